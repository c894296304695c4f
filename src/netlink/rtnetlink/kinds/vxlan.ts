/**
 * VXLAN (`kind: 'vxlan'`) IFLA_INFO_DATA schema (IFLA_VXLAN_*).
 * @module
 */
import { attrs, attr, u8, u32, be16, be32, flag, struct, type Infer, type Codec } from '../../codec/schema.js';
import { constants } from '../../constants.js';
import { linkKinds, type KindData } from '../link-schema.js';
import { in4, in6 } from './common.js';

/** IFLA_VXLAN_* */
export const IFLA_VXLAN = constants('IFLA_VXLAN_', ['linux/if_link.h'], {
  UNSPEC: 0, ID: 1, GROUP: 2, LINK: 3, LOCAL: 4, TTL: 5, TOS: 6, LEARNING: 7, AGEING: 8, LIMIT: 9,
  PORT_RANGE: 10, PROXY: 11, RSC: 12, L2MISS: 13, L3MISS: 14, PORT: 15, GROUP6: 16, LOCAL6: 17,
  UDP_CSUM: 18, UDP_ZERO_CSUM6_TX: 19, UDP_ZERO_CSUM6_RX: 20, REMCSUM_TX: 21, REMCSUM_RX: 22, GBP: 23,
  REMCSUM_NOPARTIAL: 24, COLLECT_METADATA: 25, LABEL: 26, GPE: 27, TTL_INHERIT: 28, DF: 29, VNIFILTER: 30,
});

/** struct ifla_vxlan_port_range (ports in host order here, big-endian on the wire). */
export const vxlanPortRange = struct('ifla_vxlan_port_range', { low: be16, high: be16 });

/**
 * IFLA_VXLAN_TTL_INHERIT: requests carry it as a flag (NLA_FLAG policy), while
 * kernels since 5.x report it as a u8 that may be 0. Encodes as a flag (only
 * when true); decodes either form.
 */
const flagOrU8: Codec<boolean> = {
  name: 'flag|u8',
  encode(w, v) { if (!v) throw new TypeError('IFLA_VXLAN_TTL_INHERIT can only be set (true); leave it out instead'); },
  decode(buf, off, len) { return len === 0 ? true : buf[off] !== 0; },
  arbitrary: () => true,
};

/** IFLA_INFO_DATA of a VXLAN device. */
export const vxlanData = attrs('vxlan', {
  id: attr(IFLA_VXLAN.ID, u32),
  group: attr(IFLA_VXLAN.GROUP, in4),
  group6: attr(IFLA_VXLAN.GROUP6, in6),
  link: attr(IFLA_VXLAN.LINK, u32),
  local: attr(IFLA_VXLAN.LOCAL, in4),
  local6: attr(IFLA_VXLAN.LOCAL6, in6),
  ttl: attr(IFLA_VXLAN.TTL, u8),
  ttl_inherit: attr(IFLA_VXLAN.TTL_INHERIT, flagOrU8),
  tos: attr(IFLA_VXLAN.TOS, u8),
  df: attr(IFLA_VXLAN.DF, u8),
  label: attr(IFLA_VXLAN.LABEL, be32),
  learning: attr(IFLA_VXLAN.LEARNING, u8),
  ageing: attr(IFLA_VXLAN.AGEING, u32),
  limit: attr(IFLA_VXLAN.LIMIT, u32),
  port_range: attr(IFLA_VXLAN.PORT_RANGE, vxlanPortRange),
  proxy: attr(IFLA_VXLAN.PROXY, u8),
  rsc: attr(IFLA_VXLAN.RSC, u8),
  l2miss: attr(IFLA_VXLAN.L2MISS, u8),
  l3miss: attr(IFLA_VXLAN.L3MISS, u8),
  /** Destination UDP port (host order; big-endian on the wire). */
  port: attr(IFLA_VXLAN.PORT, be16),
  udp_csum: attr(IFLA_VXLAN.UDP_CSUM, u8),
  udp_zero_csum6_tx: attr(IFLA_VXLAN.UDP_ZERO_CSUM6_TX, u8),
  udp_zero_csum6_rx: attr(IFLA_VXLAN.UDP_ZERO_CSUM6_RX, u8),
  remcsum_tx: attr(IFLA_VXLAN.REMCSUM_TX, u8),
  remcsum_rx: attr(IFLA_VXLAN.REMCSUM_RX, u8),
  gbp: attr(IFLA_VXLAN.GBP, flag),
  remcsum_nopartial: attr(IFLA_VXLAN.REMCSUM_NOPARTIAL, flag),
  collect_metadata: attr(IFLA_VXLAN.COLLECT_METADATA, u8),
  gpe: attr(IFLA_VXLAN.GPE, flag),
  vnifilter: attr(IFLA_VXLAN.VNIFILTER, u8),
});
/** VXLAN attributes. */
export type VxlanData = Infer<typeof vxlanData>;

linkKinds.set('vxlan', vxlanData as Codec<KindData>);
