/**
 * SR-IOV virtual function settings (IFLA_VFINFO_LIST → IFLA_VF_INFO →
 * IFLA_VF_*, include/uapi/linux/if_link.h), as `ip link set DEV vf N …`
 * sends them. The structs are the kernel's, padding included.
 * @module
 */
import { attrs, attr, multi, struct, u32, u64, be16, pad, fixedBytes, bytes, type Infer } from '../codec/schema.js';
import { constants } from '../constants.js';

const H = ['linux/if_link.h'];

/** IFLA_VF_* */
export const IFLA_VF = constants('IFLA_VF_', H, {
  MAC: 1, VLAN: 2, TX_RATE: 3, SPOOFCHK: 4, LINK_STATE: 5, RATE: 6, RSS_QUERY_EN: 7, STATS: 8, TRUST: 9,
  IB_NODE_GUID: 10, IB_PORT_GUID: 11, VLAN_LIST: 12, BROADCAST: 13,
});
/** IFLA_VF_LINK_STATE_* */
export const IFLA_VF_LINK_STATE = constants('IFLA_VF_LINK_STATE_', H, { AUTO: 0, ENABLE: 1, DISABLE: 2 });

/** struct ifla_vf_{spoofchk,rss_query_en,trust}: { vf, setting }. */
const vfSetting = struct('ifla_vf_setting', { vf: u32, setting: u32 });
/** struct ifla_vf_guid (u64 after 4 bytes of padding). */
const vfGuid = struct('ifla_vf_guid', { vf: u32, _pad: pad(4), guid: u64 });
/** struct ifla_vf_vlan_info (14 bytes of fields, 16 with the tail padding). */
export const vfVlanInfo = struct('ifla_vf_vlan_info', { vf: u32, vlan: u32, qos: u32, vlan_proto: be16, _pad: pad(2) });

/** The attributes of one IFLA_VF_INFO, in the order given (iproute2's command-line order). */
export const vfInfo = attrs('IFLA_VF', {
  mac: attr(IFLA_VF.MAC, struct('ifla_vf_mac', { vf: u32, mac: fixedBytes(32) })),
  vlan: attr(IFLA_VF.VLAN, struct('ifla_vf_vlan', { vf: u32, vlan: u32, qos: u32 })),
  vlan_list: attr(IFLA_VF.VLAN_LIST, attrs('IFLA_VF_VLAN_LIST', { info: multi(1, vfVlanInfo) })),
  tx_rate: attr(IFLA_VF.TX_RATE, struct('ifla_vf_tx_rate', { vf: u32, rate: u32 })),
  spoofchk: attr(IFLA_VF.SPOOFCHK, vfSetting),
  rss_query_en: attr(IFLA_VF.RSS_QUERY_EN, vfSetting),
  trust: attr(IFLA_VF.TRUST, vfSetting),
  link_state: attr(IFLA_VF.LINK_STATE, struct('ifla_vf_link_state', { vf: u32, link_state: u32 })),
  ib_node_guid: attr(IFLA_VF.IB_NODE_GUID, vfGuid),
  ib_port_guid: attr(IFLA_VF.IB_PORT_GUID, vfGuid),
  rate: attr(IFLA_VF.RATE, struct('ifla_vf_rate', { vf: u32, min_tx_rate: u32, max_tx_rate: u32 })),
  stats: attr(IFLA_VF.STATS, bytes),
  broadcast: attr(IFLA_VF.BROADCAST, bytes),
});
export type VfInfo = Infer<typeof vfInfo>;

/** IFLA_VFINFO_LIST: IFLA_VF_INFO nests. */
export const vfInfoList = attrs('IFLA_VFINFO_LIST', { info: multi(1, vfInfo) });
export type VfInfoList = Infer<typeof vfInfoList>;
