/**
 * rip/tc: traffic control over netlink — qdiscs, classes and filters
 * (classifiers with their actions) with typed, per-kind options,
 * statistics, tc's units and rate tables, and the kind registries the `tc`
 * command dispatches over.
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
 *
 * Filters and actions:
 * ```ts
 * import { u32, mirred, gact, TC_ACT } from 'rip/tc';
 * await nl.qdisc.add({ dev: 'eth0', kind: 'clsact' });
 * const to = (await nl.link.get('ifb0')).ifindex;
 * await nl.filter.add({ dev: 'eth0', parent: 'ingress', protocol: 'ip', prio: 10, kind: 'u32',
 *   options: u32({ match: [{ ip: { dport: 53 } }], actions: [mirred({ direction: 'egress', mode: 'redirect', ifindex: to })] }) });
 * for await (const f of nl.filter.list({ dev: 'eth0', parent: 'ingress' })) console.log(f.kind, f.pref, f.options);
 * ```
 * @module
 */
import './kinds/index.js';
import './filters/index.js';

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
export {
  FilterApi, decodeFilter, filterAttrs, filterMessage, filterParent, filterProtocol, FILTER_OPS, FILTER_PARENT,
  TCM_IFINDEX_MAGIC_BLOCK,
} from './filter.js';
export type { Filter, FilterSpec, FilterQuery, FilterTarget, FilterOp, FilterOptionsOf, FilterAttrs } from './filter.js';
export { registerFilterKind, filterKind, filterKindNames, llProtoName, llProtoId, TCA_CLS_FLAGS } from './filter-kind.js';
export type { FilterKind, FilterEnv, ParsedFilter, FilterOptionsMap } from './filter-kind.js';
export {
  TCA_ACT, TC_ACT, tcfT, actionAttrs, actionList, registerActionKind, actionKind, actionKindNames, actionA2n, actionN2a,
  parseActions, printActions, printActionControl, parseActionControl,
} from './action.js';
export type { Action, ActionKind, ActionOf, ActionOptionsMap, TcfT } from './action.js';
export { u32, u32Attrs, u32Sel, u32Key, parseU32Handle, formatU32Handle, TCA_U32, TC_U32 } from './filters/u32.js';
export type { U32Options, U32Spec, U32Match, U32Sel, U32Key } from './filters/u32.js';
export { mirred, mirredAttrs, tcMirred, TCA_MIRRED, MIRRED_EACTION } from './actions/mirred.js';
export type { MirredOptions, MirredSpec } from './actions/mirred.js';
export { gact, gactAttrs, tcGact, tcGactP, TCA_GACT, PGACT } from './actions/gact.js';
export type { GactOptions, GactSpec } from './actions/gact.js';
export { police, policeOptions, policeAttrs, tcPolice, TCA_POLICE } from './actions/police.js';
export type { PoliceOptions, PoliceSpec } from './actions/police.js';
export { bpf, bpfAttrs, sockFilter, parseBytecode, TCA_BPF } from './filters/bpf.js';
export type { BpfOptions, BpfSpec, SockFilter } from './filters/bpf.js';
export { matchall, matchallAttrs, TCA_MATCHALL } from './filters/matchall.js';
export type { MatchallOptions, MatchallSpec } from './filters/matchall.js';
export { basic, basicAttrs, TCA_BASIC } from './filters/basic.js';
export type { BasicOptions, BasicSpec } from './filters/basic.js';
export { fw, fwAttrs, TCA_FW } from './filters/fw.js';
export type { FwOptions, FwSpec } from './filters/fw.js';
export { flower, flowerAttrs, TCA_FLOWER } from './filters/flower.js';
export type { FlowerOptions, FlowerSpec } from './filters/flower.js';
export { vlanAction, vlanAttrs, tcVlan, TCA_VLAN } from './actions/vlan.js';
export type { VlanActionOptions, VlanActionSpec } from './actions/vlan.js';
export { skbedit, skbeditAttrs, tcSkbedit, TCA_SKBEDIT, SKBEDIT_F } from './actions/skbedit.js';
export type { SkbeditOptions, SkbeditSpec } from './actions/skbedit.js';
export { tunnelKey, tunnelKeyAttrs, tcTunnelKey, TCA_TUNNEL_KEY } from './actions/tunnel_key.js';
export type { TunnelKeyOptions, TunnelKeySpec } from './actions/tunnel_key.js';
