/**
 * RTM_*NEIGHTBL message schema (linux/neighbour.h): struct ndtmsg + NDTA_*
 * attributes, with the NDTPA_* parameters nested in NDTA_PARMS.
 * @module
 */
import { attrs, attr, u8, u16, u32, u64, cstring, pad, struct, message, type Infer } from '../codec/schema.js';
import { constants } from '../constants.js';

const H = ['linux/neighbour.h'];

/** NDTA_* */
export const NDTA = constants('NDTA_', H, {
  UNSPEC: 0, NAME: 1, THRESH1: 2, THRESH2: 3, THRESH3: 4, CONFIG: 5, PARMS: 6, STATS: 7, GC_INTERVAL: 8, PAD: 9,
});

/** NDTPA_* */
export const NDTPA = constants('NDTPA_', H, {
  UNSPEC: 0, IFINDEX: 1, REFCNT: 2, REACHABLE_TIME: 3, BASE_REACHABLE_TIME: 4, RETRANS_TIME: 5, GC_STALETIME: 6,
  DELAY_PROBE_TIME: 7, QUEUE_LEN: 8, APP_PROBES: 9, UCAST_PROBES: 10, MCAST_PROBES: 11, ANYCAST_DELAY: 12,
  PROXY_DELAY: 13, PROXY_QLEN: 14, LOCKTIME: 15, QUEUE_LENBYTES: 16, MCAST_REPROBES: 17, PAD: 18, INTERVAL_PROBE_TIME_MS: 19,
});

/** struct ndtmsg */
export const ndtmsg = struct('ndtmsg', { family: u8, _pad1: pad(1), _pad2: pad(2) });

/** struct ndt_config (read-only) */
export const ndtConfig = struct('ndt_config', {
  key_len: u16, entry_size: u16, entries: u32, last_flush: u32, last_rand: u32, hash_rnd: u32, hash_mask: u32,
  hash_chain_gc: u32, proxy_qlen: u32,
});
export type NdtConfig = Infer<typeof ndtConfig>;

/** struct ndt_stats (read-only) */
export const ndtStats = struct('ndt_stats', {
  allocs: u64, destroys: u64, hash_grows: u64, res_failed: u64, lookups: u64, hits: u64, rcv_probes_mcast: u64,
  rcv_probes_ucast: u64, periodic_gc_runs: u64, forced_gc_runs: u64, table_fulls: u64,
});
export type NdtStats = Infer<typeof ndtStats>;

/** NDTPA_* parameters (times in milliseconds). */
export const ntableParmsAttrs = attrs('NDTPA', {
  ifindex: attr(NDTPA.IFINDEX, u32),
  refcnt: attr(NDTPA.REFCNT, u32),
  reachable_time: attr(NDTPA.REACHABLE_TIME, u64),
  base_reachable_time: attr(NDTPA.BASE_REACHABLE_TIME, u64),
  retrans_time: attr(NDTPA.RETRANS_TIME, u64),
  gc_staletime: attr(NDTPA.GC_STALETIME, u64),
  delay_probe_time: attr(NDTPA.DELAY_PROBE_TIME, u64),
  queue_len: attr(NDTPA.QUEUE_LEN, u32),
  app_probes: attr(NDTPA.APP_PROBES, u32),
  ucast_probes: attr(NDTPA.UCAST_PROBES, u32),
  mcast_probes: attr(NDTPA.MCAST_PROBES, u32),
  anycast_delay: attr(NDTPA.ANYCAST_DELAY, u64),
  proxy_delay: attr(NDTPA.PROXY_DELAY, u64),
  proxy_qlen: attr(NDTPA.PROXY_QLEN, u32),
  locktime: attr(NDTPA.LOCKTIME, u64),
  queue_lenbytes: attr(NDTPA.QUEUE_LENBYTES, u32),
  mcast_reprobes: attr(NDTPA.MCAST_REPROBES, u32),
  interval_probe_time_ms: attr(NDTPA.INTERVAL_PROBE_TIME_MS, u64),
});
export type NtableParms = Infer<typeof ntableParmsAttrs>;

/** NDTA_* attributes. */
export const ntableAttrs = attrs('NDTA', {
  name: attr(NDTA.NAME, cstring),
  thresh1: attr(NDTA.THRESH1, u32),
  thresh2: attr(NDTA.THRESH2, u32),
  thresh3: attr(NDTA.THRESH3, u32),
  config: attr(NDTA.CONFIG, ndtConfig),
  parms: attr(NDTA.PARMS, ntableParmsAttrs),
  stats: attr(NDTA.STATS, ndtStats),
  gc_interval: attr(NDTA.GC_INTERVAL, u64),
});
export type NtableAttrs = Infer<typeof ntableAttrs>;

/** A whole RTM_*NEIGHTBL body. */
export const ntableMessage = message('ndtmsg', ndtmsg, ntableAttrs);
