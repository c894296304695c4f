/**
 * Generic netlink "tcp_metrics" schema (linux/tcp_metrics.h): the kernel's
 * per-destination TCP metrics cache.
 * @module
 */
import { attrs, attr, u16, u32, s32, u64, bytes, type Infer } from './codec/schema.js';
import { constants } from './constants.js';

const H = ['linux/tcp_metrics.h'];

/** TCP_METRICS_GENL_NAME / _VERSION */
export const TCP_METRICS_GENL_NAME = 'tcp_metrics';
export const TCP_METRICS_GENL_VERSION = 1;

/** TCP_METRICS_CMD_* */
export const TCP_METRICS_CMD = constants('TCP_METRICS_CMD_', H, { UNSPEC: 0, GET: 1, DEL: 2 });

/** TCP_METRICS_ATTR_* */
export const TCP_METRICS_ATTR = constants('TCP_METRICS_ATTR_', H, {
  UNSPEC: 0, ADDR_IPV4: 1, ADDR_IPV6: 2, AGE: 3, TW_TSVAL: 4, TW_TS_STAMP: 5, VALS: 6, FOPEN_MSS: 7,
  FOPEN_SYN_DROPS: 8, FOPEN_SYN_DROP_TS: 9, FOPEN_COOKIE: 10, SADDR_IPV4: 11, SADDR_IPV6: 12, PAD: 13,
});

/** TCP_METRIC_* (the nested VALS attribute types are these + 1). */
export const TCP_METRIC = constants('TCP_METRIC_', H, {
  RTT: 0, RTTVAR: 1, SSTHRESH: 2, CWND: 3, REORDERING: 4, RTT_US: 5, RTTVAR_US: 6,
});

/** TCP_METRICS_ATTR_VALS: one u32 per metric. */
export const tcpMetricValAttrs = attrs('TCP_METRIC', {
  rtt: attr(TCP_METRIC.RTT + 1, u32),
  rttvar: attr(TCP_METRIC.RTTVAR + 1, u32),
  ssthresh: attr(TCP_METRIC.SSTHRESH + 1, u32),
  cwnd: attr(TCP_METRIC.CWND + 1, u32),
  reordering: attr(TCP_METRIC.REORDERING + 1, u32),
  rtt_us: attr(TCP_METRIC.RTT_US + 1, u32),
  rttvar_us: attr(TCP_METRIC.RTTVAR_US + 1, u32),
});
export type TcpMetricVals = Infer<typeof tcpMetricValAttrs>;

/** The message body after struct genlmsghdr. Addresses are raw (network order) bytes. */
export const tcpMetricsAttrs = attrs('TCP_METRICS_ATTR', {
  addr_ipv4: attr(TCP_METRICS_ATTR.ADDR_IPV4, bytes),
  addr_ipv6: attr(TCP_METRICS_ATTR.ADDR_IPV6, bytes),
  /** Milliseconds since the entry was last updated. */
  age: attr(TCP_METRICS_ATTR.AGE, u64),
  tw_tsval: attr(TCP_METRICS_ATTR.TW_TSVAL, u32),
  tw_ts_stamp: attr(TCP_METRICS_ATTR.TW_TS_STAMP, s32),
  vals: attr(TCP_METRICS_ATTR.VALS, tcpMetricValAttrs),
  fopen_mss: attr(TCP_METRICS_ATTR.FOPEN_MSS, u16),
  fopen_syn_drops: attr(TCP_METRICS_ATTR.FOPEN_SYN_DROPS, u16),
  fopen_syn_drop_ts: attr(TCP_METRICS_ATTR.FOPEN_SYN_DROP_TS, u64),
  fopen_cookie: attr(TCP_METRICS_ATTR.FOPEN_COOKIE, bytes),
  saddr_ipv4: attr(TCP_METRICS_ATTR.SADDR_IPV4, bytes),
  saddr_ipv6: attr(TCP_METRICS_ATTR.SADDR_IPV6, bytes),
});
export type TcpMetricsAttrs = Infer<typeof tcpMetricsAttrs>;
