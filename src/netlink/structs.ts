/**
 * Fixed header structs of the netlink families (linux/*.h layouts).
 * @module
 */
import { struct, u8, u16, u32, s32, be16, pad, fixedBytes, u64, type Infer } from './codec/schema.js';

/** struct nlmsghdr */
export const nlmsghdr = struct('nlmsghdr', { len: u32, type: u16, flags: u16, seq: u32, pid: u32 });

/** struct ifinfomsg (RTM_*LINK) */
export const ifinfomsg = struct('ifinfomsg', {
  family: u8, _pad: pad(1), type: u16, index: s32, flags: u32, change: u32,
});
export type IfInfoMsg = Infer<typeof ifinfomsg>;

/** struct ifaddrmsg (RTM_*ADDR) */
export const ifaddrmsg = struct('ifaddrmsg', { family: u8, prefixlen: u8, flags: u8, scope: u8, index: u32 });
export type IfAddrMsg = Infer<typeof ifaddrmsg>;

/** struct rtmsg (RTM_*ROUTE) */
export const rtmsg = struct('rtmsg', {
  family: u8, dst_len: u8, src_len: u8, tos: u8, table: u8, protocol: u8, scope: u8, type: u8, flags: u32,
});
export type RtMsg = Infer<typeof rtmsg>;

/** struct ndmsg (RTM_*NEIGH) */
export const ndmsg = struct('ndmsg', {
  family: u8, _pad1: pad(1), _pad2: pad(2), ifindex: s32, state: u16, flags: u8, type: u8,
});
export type NdMsg = Infer<typeof ndmsg>;

/** struct fib_rule_hdr (RTM_*RULE) */
export const fibRuleHdr = struct('fib_rule_hdr', {
  family: u8, dst_len: u8, src_len: u8, tos: u8, table: u8, res1: u8, res2: u8, action: u8, flags: u32,
});
export type FibRuleHdr = Infer<typeof fibRuleHdr>;

/** struct tcmsg (RTM_*QDISC/TCLASS/TFILTER) */
export const tcmsg = struct('tcmsg', {
  family: u8, _pad1: pad(1), _pad2: pad(2), ifindex: s32, handle: u32, parent: u32, info: u32,
});
export type TcMsg = Infer<typeof tcmsg>;

/** struct tcamsg (RTM_*ACTION) */
export const tcamsg = struct('tcamsg', { family: u8, _pad1: pad(1), _pad2: pad(2) });

/** struct nhmsg (RTM_*NEXTHOP) */
export const nhmsg = struct('nhmsg', { family: u8, scope: u8, protocol: u8, resvd: u8, flags: u32 });
export type NhMsg = Infer<typeof nhmsg>;

/** struct rtgenmsg */
export const rtgenmsg = struct('rtgenmsg', { family: u8 });

/** struct genlmsghdr */
export const genlmsghdr = struct('genlmsghdr', { cmd: u8, version: u8, reserved: u16 });

/** struct inet_diag_sockid */
export const inetDiagSockid = struct('inet_diag_sockid', {
  sport: be16, dport: be16, src: fixedBytes(16), dst: fixedBytes(16), if: u32, cookie: fixedBytes(8),
});

/** struct inet_diag_req_v2 */
export const inetDiagReqV2 = struct('inet_diag_req_v2', {
  family: u8, protocol: u8, ext: u8, pad: u8, states: u32,
  sport: be16, dport: be16, src: fixedBytes(16), dst: fixedBytes(16), if: u32, cookie: fixedBytes(8),
});

/** struct inet_diag_msg */
export const inetDiagMsg = struct('inet_diag_msg', {
  family: u8, state: u8, timer: u8, retrans: u8,
  sport: be16, dport: be16, src: fixedBytes(16), dst: fixedBytes(16), if: u32, cookie: fixedBytes(8),
  expires: u32, rqueue: u32, wqueue: u32, uid: u32, inode: u32,
});

/** struct rtnl_link_stats64 */
export const linkStats64 = struct('rtnl_link_stats64', {
  rx_packets: u64, tx_packets: u64, rx_bytes: u64, tx_bytes: u64, rx_errors: u64, tx_errors: u64,
  rx_dropped: u64, tx_dropped: u64, multicast: u64, collisions: u64,
  rx_length_errors: u64, rx_over_errors: u64, rx_crc_errors: u64, rx_frame_errors: u64,
  rx_fifo_errors: u64, rx_missed_errors: u64,
  tx_aborted_errors: u64, tx_carrier_errors: u64, tx_fifo_errors: u64, tx_heartbeat_errors: u64,
  tx_window_errors: u64, rx_compressed: u64, tx_compressed: u64, rx_nohandler: u64,
  rx_otherhost_dropped: u64,
});
export type LinkStats64 = Infer<typeof linkStats64>;
