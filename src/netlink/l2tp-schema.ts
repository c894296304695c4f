/**
 * Generic netlink "l2tp" schema (linux/l2tp.h): L2TPv3 tunnels and sessions.
 * One attribute set serves every L2TP_CMD_* (requests and replies).
 * @module
 */
import { attrs, attr, u8, u16, u32, u64, s32, flag, cstring, bytes, ipaddr, type Infer } from './codec/schema.js';
import { constants } from './constants.js';

// netinet/in.h first: linux/l2tp.h pulls in linux/in.h, which must come after glibc's (libc-compat.h).
const H = ['netinet/in.h', 'linux/l2tp.h'];

/** L2TP_GENL_NAME */
export const L2TP_GENL_NAME = 'l2tp';
/** L2TP_GENL_VERSION */
export const L2TP_GENL_VERSION = 1;

/** L2TP_CMD_* */
export const L2TP_CMD = constants('L2TP_CMD_', H, {
  NOOP: 0, TUNNEL_CREATE: 1, TUNNEL_DELETE: 2, TUNNEL_MODIFY: 3, TUNNEL_GET: 4,
  SESSION_CREATE: 5, SESSION_DELETE: 6, SESSION_MODIFY: 7, SESSION_GET: 8,
});

/** L2TP_ATTR_* */
export const L2TP_ATTR = constants('L2TP_ATTR_', H, {
  NONE: 0, PW_TYPE: 1, ENCAP_TYPE: 2, OFFSET: 3, DATA_SEQ: 4, L2SPEC_TYPE: 5, L2SPEC_LEN: 6,
  PROTO_VERSION: 7, IFNAME: 8, CONN_ID: 9, PEER_CONN_ID: 10, SESSION_ID: 11, PEER_SESSION_ID: 12,
  UDP_CSUM: 13, VLAN_ID: 14, COOKIE: 15, PEER_COOKIE: 16, DEBUG: 17, RECV_SEQ: 18, SEND_SEQ: 19,
  LNS_MODE: 20, USING_IPSEC: 21, RECV_TIMEOUT: 22, FD: 23, IP_SADDR: 24, IP_DADDR: 25,
  UDP_SPORT: 26, UDP_DPORT: 27, MTU: 28, MRU: 29, STATS: 30, IP6_SADDR: 31, IP6_DADDR: 32,
  UDP_ZERO_CSUM6_TX: 33, UDP_ZERO_CSUM6_RX: 34, PAD: 35,
});

/** L2TP_ATTR_* nested in L2TP_ATTR_STATS (the same prefix in the header, a second enum). */
export const L2TP_ATTR_STATS = constants('L2TP_ATTR_', H, {
  STATS_NONE: 0, TX_PACKETS: 1, TX_BYTES: 2, TX_ERRORS: 3, RX_PACKETS: 4, RX_BYTES: 5,
  RX_SEQ_DISCARDS: 6, RX_OOS_PACKETS: 7, RX_ERRORS: 8, STATS_PAD: 9, RX_COOKIE_DISCARDS: 10, RX_INVALID: 11,
});

/** L2TP_PWTYPE_* (pseudowire types). */
export const L2TP_PWTYPE = constants('L2TP_PWTYPE_', H, {
  NONE: 0x0000, ETH_VLAN: 0x0004, ETH: 0x0005, PPP: 0x0007, PPP_AC: 0x0008, IP: 0x000b,
});

/** L2TP_L2SPECTYPE_* (layer-2-specific sublayer). */
export const L2TP_L2SPECTYPE = constants('L2TP_L2SPECTYPE_', H, { NONE: 0, DEFAULT: 1 });

/** L2TP_ENCAPTYPE_* */
export const L2TP_ENCAPTYPE = constants('L2TP_ENCAPTYPE_', H, { UDP: 0, IP: 1 });

/** L2TP_ATTR_STATS: per-tunnel or per-session data counters. */
export const l2tpStatsAttrs = attrs('L2TP_ATTR_STATS', {
  tx_packets: attr(L2TP_ATTR_STATS.TX_PACKETS, u64),
  tx_bytes: attr(L2TP_ATTR_STATS.TX_BYTES, u64),
  tx_errors: attr(L2TP_ATTR_STATS.TX_ERRORS, u64),
  rx_packets: attr(L2TP_ATTR_STATS.RX_PACKETS, u64),
  rx_bytes: attr(L2TP_ATTR_STATS.RX_BYTES, u64),
  rx_seq_discards: attr(L2TP_ATTR_STATS.RX_SEQ_DISCARDS, u64),
  rx_oos_packets: attr(L2TP_ATTR_STATS.RX_OOS_PACKETS, u64),
  rx_errors: attr(L2TP_ATTR_STATS.RX_ERRORS, u64),
  rx_cookie_discards: attr(L2TP_ATTR_STATS.RX_COOKIE_DISCARDS, u64),
  rx_invalid: attr(L2TP_ATTR_STATS.RX_INVALID, u64),
});
export type L2tpStatsAttrs = Infer<typeof l2tpStatsAttrs>;

/**
 * The message body after struct genlmsghdr, for every command. Addresses are
 * text (4 or 16 bytes on the wire); cookies raw bytes (4 or 8).
 */
export const l2tpAttrs = attrs('L2TP_ATTR', {
  conn_id: attr(L2TP_ATTR.CONN_ID, u32),
  peer_conn_id: attr(L2TP_ATTR.PEER_CONN_ID, u32),
  session_id: attr(L2TP_ATTR.SESSION_ID, u32),
  peer_session_id: attr(L2TP_ATTR.PEER_SESSION_ID, u32),
  proto_version: attr(L2TP_ATTR.PROTO_VERSION, u8),
  encap_type: attr(L2TP_ATTR.ENCAP_TYPE, u16),
  pw_type: attr(L2TP_ATTR.PW_TYPE, u16),
  l2spec_type: attr(L2TP_ATTR.L2SPEC_TYPE, u8),
  l2spec_len: attr(L2TP_ATTR.L2SPEC_LEN, u8),
  ip_saddr: attr(L2TP_ATTR.IP_SADDR, ipaddr),
  ip6_saddr: attr(L2TP_ATTR.IP6_SADDR, ipaddr),
  ip_daddr: attr(L2TP_ATTR.IP_DADDR, ipaddr),
  ip6_daddr: attr(L2TP_ATTR.IP6_DADDR, ipaddr),
  udp_sport: attr(L2TP_ATTR.UDP_SPORT, u16),
  udp_dport: attr(L2TP_ATTR.UDP_DPORT, u16),
  udp_csum: attr(L2TP_ATTR.UDP_CSUM, u8),
  udp_zero_csum6_tx: attr(L2TP_ATTR.UDP_ZERO_CSUM6_TX, flag),
  udp_zero_csum6_rx: attr(L2TP_ATTR.UDP_ZERO_CSUM6_RX, flag),
  recv_seq: attr(L2TP_ATTR.RECV_SEQ, u8),
  send_seq: attr(L2TP_ATTR.SEND_SEQ, u8),
  lns_mode: attr(L2TP_ATTR.LNS_MODE, u8),
  /** Reorder timeout in milliseconds. */
  recv_timeout: attr(L2TP_ATTR.RECV_TIMEOUT, u64),
  cookie: attr(L2TP_ATTR.COOKIE, bytes),
  peer_cookie: attr(L2TP_ATTR.PEER_COOKIE, bytes),
  ifname: attr(L2TP_ATTR.IFNAME, cstring),
  /** Not used by current kernels (accepted and ignored). */
  offset: attr(L2TP_ATTR.OFFSET, u16),
  /** Not used by current kernels (accepted and ignored). */
  data_seq: attr(L2TP_ATTR.DATA_SEQ, u16),
  vlan_id: attr(L2TP_ATTR.VLAN_ID, u16),
  debug: attr(L2TP_ATTR.DEBUG, u32),
  using_ipsec: attr(L2TP_ATTR.USING_IPSEC, u8),
  /** A tunnel socket made by user space (L2TPv2 daemons); not used for static tunnels. */
  fd: attr(L2TP_ATTR.FD, s32),
  mtu: attr(L2TP_ATTR.MTU, u16),
  mru: attr(L2TP_ATTR.MRU, u16),
  stats: attr(L2TP_ATTR.STATS, l2tpStatsAttrs),
});
export type L2tpAttrs = Infer<typeof l2tpAttrs>;
