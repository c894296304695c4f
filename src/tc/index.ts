/**
 * rip/tc: traffic control over netlink — qdiscs and classes with typed,
 * per-kind options, statistics, tc's units and rate tables, and the kind
 * registry the `tc` command dispatches over.
 *
 * ```ts
 * import { Netlink } from 'rip/netlink';
 * import { htbQdisc, htbClass, sprintRate } from 'rip/tc';
 *
 * await using nl = await Netlink.open({ netns: 'blue' });
 * await nl.qdisc.add({ dev: 'eth0', parent: 'root', handle: '1:', kind: 'htb', options: htbQdisc({ default: 0x10 }) });
 * await nl.class.add({ dev: 'eth0', parent: '1:', classid: '1:10', kind: 'htb', options: htbClass({ rate: '10mbit' }) });
 * for await (const c of nl.class.list({ dev: 'eth0' })) {
 *   console.log(c.classid.toString(16), c.stats?.bytes, sprintRate(c.stats?.rate?.bps ?? 0n));
 * }
 * ```
 * @module
 */
import './kinds/index.js';

export { QdiscApi, decodeQdisc, decodeXstats, QDISC_OPS, LazyDump } from './qdisc.js';
export type { Qdisc, QdiscSpec, QdiscFilter, QdiscOp, QdiscOptionsOf, TcDump } from './qdisc.js';
export { ClassApi, decodeClass, CLASS_OPS } from './class.js';
export type { TcClass, ClassSpec, ClassFilter, ClassOp, ClassOptionsOf } from './class.js';
export { tcMonitor, decodeTcEvent } from './monitor.js';
export type { TcEvent, TcMonitorOptions } from './monitor.js';
export {
  TCA, TCA_STATS, TCA_STAB, TC_LINKLAYER, qdiscAttrs, classAttrs, qdiscMessage, classMessage, stats2Attrs, tcStatsStruct,
  tcEstimator, tcSizespec, stabAttrs, tcRatespec, gnetStatsBasic, gnetStatsQueue, gnetStatsRateEst, gnetStatsRateEst64,
  statistics,
} from './schema.js';
export type { TcAttrs, TcStatistics, TcRatespec, Stats2Attrs } from './schema.js';
export {
  TC_H, major, minor, handle, parseClassid, parseQdiscHandle, formatClassid, formatQdiscHandle, toHandle, loadClassNames,
} from './handle.js';
export type { TcHandle, HandleLike } from './handle.js';
export {
  parseRate, parseRate32, parseSize, parseSizeAndCell, parseTime, parsePercentRate, readLinkSpeed, parseLinkLayer,
  sprintRate, sprintSize, sprintTime, sprintLinkLayer, LINKLAYER, TIME_UNITS_PER_SEC, PercentRateError,
} from './units.js';
export type { Rate, Size, Micros, LinkLayer } from './units.js';
export { psched, parsePsched, calcRtable, adjustSize, rtableBytes } from './psched.js';
export type { Psched, RtableSpec, Rtable } from './psched.js';
export { registerQdiscKind, qdiscKind, qdiscKindNames, TcArgError } from './kind.js';
export type { QdiscKind, TcEnv, QdiscOptionsMap, ClassOptionsMap } from './kind.js';
export { htbQdisc, htbClass, htbAttrs, htbOpt, htbGlob, htbXstats, TCA_HTB } from './kinds/htb.js';
export type { HtbOptions, HtbQdiscSpec, HtbClassSpec, HtbXstats } from './kinds/htb.js';
export { tbfOptions, tbfAttrs, tbfQopt, TCA_TBF } from './kinds/tbf.js';
export type { TbfOptions, TbfSpec } from './kinds/tbf.js';
export { fifoQopt, fifoKind } from './kinds/fifo.js';
export type { FifoOptions } from './kinds/fifo.js';
export { prioQopt, prioOptions, TCA_PRIO } from './kinds/pfifo_fast.js';
export type { PrioOptions } from './kinds/pfifo_fast.js';
