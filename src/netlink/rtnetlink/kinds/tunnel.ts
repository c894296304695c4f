/**
 * IP tunnels: GRE family (`gre`, `gretap`, `erspan`, `ip6gre`, `ip6gretap`,
 * `ip6erspan`; IFLA_GRE_*), `ipip`/`sit` and `ip6tnl` (IFLA_IPTUN_*),
 * `vti`/`vti6` (IFLA_VTI_*) IFLA_INFO_DATA schemas (linux/if_tunnel.h).
 * Addresses are IPv4 or IPv6 text (4 or 16 bytes on the wire).
 * @module
 */
import { attrs, attr, u8, u16, u32, be16, be32, flag, ipaddr, type Infer, type Codec } from '../../codec/schema.js';
import { constants } from '../../constants.js';
import { linkKinds, type KindData } from '../link-schema.js';
import { in4, in6 } from './common.js';

const H = ['linux/if_tunnel.h'];

/** IFLA_GRE_* */
export const IFLA_GRE = constants('IFLA_GRE_', H, {
  UNSPEC: 0, LINK: 1, IFLAGS: 2, OFLAGS: 3, IKEY: 4, OKEY: 5, LOCAL: 6, REMOTE: 7, TTL: 8, TOS: 9,
  PMTUDISC: 10, ENCAP_LIMIT: 11, FLOWINFO: 12, FLAGS: 13, ENCAP_TYPE: 14, ENCAP_FLAGS: 15,
  ENCAP_SPORT: 16, ENCAP_DPORT: 17, COLLECT_METADATA: 18, IGNORE_DF: 19, FWMARK: 20, ERSPAN_INDEX: 21,
  ERSPAN_VER: 22, ERSPAN_DIR: 23, ERSPAN_HWID: 24,
});
/** IFLA_IPTUN_* */
export const IFLA_IPTUN = constants('IFLA_IPTUN_', H, {
  UNSPEC: 0, LINK: 1, LOCAL: 2, REMOTE: 3, TTL: 4, TOS: 5, ENCAP_LIMIT: 6, FLOWINFO: 7, FLAGS: 8,
  PROTO: 9, PMTUDISC: 10, '6RD_PREFIX': 11, '6RD_RELAY_PREFIX': 12, '6RD_PREFIXLEN': 13,
  '6RD_RELAY_PREFIXLEN': 14, ENCAP_TYPE: 15, ENCAP_FLAGS: 16, ENCAP_SPORT: 17, ENCAP_DPORT: 18,
  COLLECT_METADATA: 19, FWMARK: 20,
});
/** IFLA_VTI_* */
export const IFLA_VTI = constants('IFLA_VTI_', H, {
  UNSPEC: 0, LINK: 1, IKEY: 2, OKEY: 3, LOCAL: 4, REMOTE: 5, FWMARK: 6,
});
/** GRE header flag bits as IFLA_GRE_IFLAGS/OFLAGS carry them (host order here). */
export const GRE_FLAGS = { CSUM: 0x8000, KEY: 0x2000, SEQ: 0x1000 } as const;
/** TUNNEL_ENCAP_* (IFLA_*_ENCAP_TYPE). */
export const TUNNEL_ENCAP = constants('TUNNEL_ENCAP_', H, { NONE: 0, FOU: 1, GUE: 2, MPLS: 3 });
/** TUNNEL_ENCAP_FLAG_* */
export const TUNNEL_ENCAP_FLAG = constants('TUNNEL_ENCAP_FLAG_', H, { CSUM: 1, CSUM6: 2, REMCSUM: 4 });

/** IP6_TNL_F_* (IFLA_GRE_FLAGS of ip6gre, IFLA_IPTUN_FLAGS of ip6tnl). */
export const IP6_TNL_F = constants('IP6_TNL_F_', ['linux/ip6_tunnel.h'], {
  IGN_ENCAP_LIMIT: 0x1, USE_ORIG_TCLASS: 0x2, USE_ORIG_FLOWLABEL: 0x4, MIP6_DEV: 0x8, RCV_DSCP_COPY: 0x10,
  USE_ORIG_FWMARK: 0x20, ALLOW_LOCAL_REMOTE: 0x40,
});
/** SIT_* (IFLA_IPTUN_FLAGS of sit). */
export const SIT = constants('SIT_', H, { ISATAP: 0x0001 });

/** IFLA_INFO_DATA of the GRE family. */
export const greData = attrs('gre', {
  link: attr(IFLA_GRE.LINK, u32),
  iflags: attr(IFLA_GRE.IFLAGS, be16),
  oflags: attr(IFLA_GRE.OFLAGS, be16),
  ikey: attr(IFLA_GRE.IKEY, be32),
  okey: attr(IFLA_GRE.OKEY, be32),
  local: attr(IFLA_GRE.LOCAL, ipaddr),
  remote: attr(IFLA_GRE.REMOTE, ipaddr),
  ttl: attr(IFLA_GRE.TTL, u8),
  tos: attr(IFLA_GRE.TOS, u8),
  pmtudisc: attr(IFLA_GRE.PMTUDISC, u8),
  encap_limit: attr(IFLA_GRE.ENCAP_LIMIT, u8),
  flowinfo: attr(IFLA_GRE.FLOWINFO, be32),
  flags: attr(IFLA_GRE.FLAGS, u32),
  encap_type: attr(IFLA_GRE.ENCAP_TYPE, u16),
  encap_flags: attr(IFLA_GRE.ENCAP_FLAGS, u16),
  encap_sport: attr(IFLA_GRE.ENCAP_SPORT, be16),
  encap_dport: attr(IFLA_GRE.ENCAP_DPORT, be16),
  collect_metadata: attr(IFLA_GRE.COLLECT_METADATA, flag),
  ignore_df: attr(IFLA_GRE.IGNORE_DF, u8),
  fwmark: attr(IFLA_GRE.FWMARK, u32),
  erspan_index: attr(IFLA_GRE.ERSPAN_INDEX, u32),
  erspan_ver: attr(IFLA_GRE.ERSPAN_VER, u8),
  erspan_dir: attr(IFLA_GRE.ERSPAN_DIR, u8),
  erspan_hwid: attr(IFLA_GRE.ERSPAN_HWID, u16),
});
/** GRE family attributes. */
export type GreData = Infer<typeof greData>;

function iptun(name: string, flagsCodec: Codec<number>) {
  return attrs(name, {
    link: attr(IFLA_IPTUN.LINK, u32),
    local: attr(IFLA_IPTUN.LOCAL, ipaddr),
    remote: attr(IFLA_IPTUN.REMOTE, ipaddr),
    ttl: attr(IFLA_IPTUN.TTL, u8),
    tos: attr(IFLA_IPTUN.TOS, u8),
    encap_limit: attr(IFLA_IPTUN.ENCAP_LIMIT, u8),
    flowinfo: attr(IFLA_IPTUN.FLOWINFO, be32),
    flags: attr(IFLA_IPTUN.FLAGS, flagsCodec),
    proto: attr(IFLA_IPTUN.PROTO, u8),
    pmtudisc: attr(IFLA_IPTUN.PMTUDISC, u8),
    '6rd_prefix': attr(IFLA_IPTUN['6RD_PREFIX'], in6),
    '6rd_relay_prefix': attr(IFLA_IPTUN['6RD_RELAY_PREFIX'], in4),
    '6rd_prefixlen': attr(IFLA_IPTUN['6RD_PREFIXLEN'], u16),
    '6rd_relay_prefixlen': attr(IFLA_IPTUN['6RD_RELAY_PREFIXLEN'], u16),
    encap_type: attr(IFLA_IPTUN.ENCAP_TYPE, u16),
    encap_flags: attr(IFLA_IPTUN.ENCAP_FLAGS, u16),
    encap_sport: attr(IFLA_IPTUN.ENCAP_SPORT, be16),
    encap_dport: attr(IFLA_IPTUN.ENCAP_DPORT, be16),
    collect_metadata: attr(IFLA_IPTUN.COLLECT_METADATA, flag),
    fwmark: attr(IFLA_IPTUN.FWMARK, u32),
  });
}

/** IFLA_INFO_DATA of ipip and sit (IFLA_IPTUN_FLAGS is 16 bits there: SIT_ISATAP). */
export const iptunData = iptun('ipip', u16);
/** ipip/sit attributes. */
export type IptunData = Infer<typeof iptunData>;
/** IFLA_INFO_DATA of ip6tnl (IFLA_IPTUN_FLAGS is 32 bits: IP6_TNL_F_*). */
export const ip6tnlData = iptun('ip6tnl', u32);
/** ip6tnl attributes. */
export type Ip6tnlData = Infer<typeof ip6tnlData>;

/** IFLA_INFO_DATA of vti and vti6. */
export const vtiData = attrs('vti', {
  link: attr(IFLA_VTI.LINK, u32),
  ikey: attr(IFLA_VTI.IKEY, be32),
  okey: attr(IFLA_VTI.OKEY, be32),
  local: attr(IFLA_VTI.LOCAL, ipaddr),
  remote: attr(IFLA_VTI.REMOTE, ipaddr),
  fwmark: attr(IFLA_VTI.FWMARK, u32),
});
/** vti/vti6 attributes. */
export type VtiData = Infer<typeof vtiData>;

for (const k of ['gre', 'gretap', 'erspan', 'ip6gre', 'ip6gretap', 'ip6erspan']) linkKinds.set(k, greData as Codec<KindData>);
for (const k of ['ipip', 'sit']) linkKinds.set(k, iptunData as Codec<KindData>);
linkKinds.set('ip6tnl', ip6tnlData as Codec<KindData>);
for (const k of ['vti', 'vti6']) linkKinds.set(k, vtiData as Codec<KindData>);
