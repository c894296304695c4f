/**
 * 802.1Q/802.1ad VLAN (`kind: 'vlan'`) IFLA_INFO_DATA schema (IFLA_VLAN_*).
 * @module
 */
import { attrs, attr, multi, u16, u32, be16, struct, type Infer, type Codec } from '../../codec/schema.js';
import { constants } from '../../constants.js';
import { linkKinds, type KindData } from '../link-schema.js';

const H = ['linux/if_link.h'];

/** IFLA_VLAN_* */
export const IFLA_VLAN = constants('IFLA_VLAN_', H, {
  UNSPEC: 0, ID: 1, FLAGS: 2, EGRESS_QOS: 3, INGRESS_QOS: 4, PROTOCOL: 5,
});
/** IFLA_VLAN_QOS_* */
export const IFLA_VLAN_QOS = constants('IFLA_VLAN_QOS_', H, { UNSPEC: 0, MAPPING: 1 });
/** VLAN_FLAG_* (linux/if_vlan.h). */
export const VLAN_FLAG = constants('VLAN_FLAG_', ['linux/if_vlan.h'], {
  REORDER_HDR: 0x1, GVRP: 0x2, LOOSE_BINDING: 0x4, MVRP: 0x8, BRIDGE_BINDING: 0x10,
});
/** VLAN protocol ethertypes. */
export const VLAN_PROTO = { '802.1Q': 0x8100, '802.1ad': 0x88a8 } as const;

/** struct ifla_vlan_flags */
export const vlanFlags = struct('ifla_vlan_flags', { flags: u32, mask: u32 });
/** struct ifla_vlan_qos_mapping */
export const vlanQosMapping = struct('ifla_vlan_qos_mapping', { from: u32, to: u32 });
/** IFLA_VLAN_EGRESS_QOS / INGRESS_QOS nest. */
export const vlanQos = attrs('IFLA_VLAN_QOS', { mapping: multi(IFLA_VLAN_QOS.MAPPING, vlanQosMapping) });

/** IFLA_INFO_DATA of a VLAN device. */
export const vlanData = attrs('vlan', {
  /** Ethertype in host order (0x8100, 0x88a8); big-endian on the wire. */
  protocol: attr(IFLA_VLAN.PROTOCOL, be16),
  id: attr(IFLA_VLAN.ID, u16),
  flags: attr(IFLA_VLAN.FLAGS, vlanFlags),
  egress_qos: attr(IFLA_VLAN.EGRESS_QOS, vlanQos),
  ingress_qos: attr(IFLA_VLAN.INGRESS_QOS, vlanQos),
});
/** VLAN attributes. */
export type VlanData = Infer<typeof vlanData>;

linkKinds.set('vlan', vlanData as Codec<KindData>);
