/**
 * cake (Common Applications Kept Enhanced): TCA_CAKE_* options, tc(8)
 * grammar and printing as iproute2's tc/q_cake.c, and the per-tin
 * statistics (TCA_XSTATS → TCA_CAKE_STATS_*).
 *
 * ```ts
 * const opts = cakeKind.parse!(['bandwidth', '100mbit', 'diffserv4', 'nat'], env);
 * // { bandwidth: 12500000n, diffserv: 1, nat: 1 }
 * ```
 * @module
 */
import { attrs, attr, indexed, u8, u32, s32, u64, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind, type TcEnv } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import {
  ANY, FP, JSON_ONLY, Tokens, fail, duparg, usage, whatIs, getRate64, getTime, getSize, getUnsigned,
  strtolWhole, printRate, printSize, sprintTime, sprintSize, sprintRate, fp,
} from './util.js';

const H = ['linux/pkt_sched.h'];

/** TCA_CAKE_* option attributes. */
export const TCA_CAKE = constants('TCA_CAKE_', H, {
  PAD: 1, BASE_RATE64: 2, DIFFSERV_MODE: 3, ATM: 4, FLOW_MODE: 5, OVERHEAD: 6, RTT: 7, TARGET: 8,
  AUTORATE: 9, MEMORY: 10, NAT: 11, RAW: 12, WASH: 13, MPU: 14, INGRESS: 15, ACK_FILTER: 16,
  SPLIT_GSO: 17, FWMARK: 18,
});
/** TCA_CAKE_STATS_* (qdisc xstats). */
export const TCA_CAKE_STATS = constants('TCA_CAKE_STATS_', H, {
  PAD: 1, CAPACITY_ESTIMATE64: 2, MEMORY_LIMIT: 3, MEMORY_USED: 4, AVG_NETOFF: 5, MIN_NETLEN: 6,
  MAX_NETLEN: 7, MIN_ADJLEN: 8, MAX_ADJLEN: 9, TIN_STATS: 10, DEFICIT: 11, COBALT_COUNT: 12,
  DROPPING: 13, DROP_NEXT_US: 14, P_DROP: 15, BLUE_TIMER_US: 16,
});
/** TCA_CAKE_TIN_STATS_* (one nest per tin). */
export const TCA_CAKE_TIN_STATS = constants('TCA_CAKE_TIN_STATS_', H, {
  PAD: 1, SENT_PACKETS: 2, SENT_BYTES64: 3, DROPPED_PACKETS: 4, DROPPED_BYTES64: 5,
  ACKS_DROPPED_PACKETS: 6, ACKS_DROPPED_BYTES64: 7, ECN_MARKED_PACKETS: 8, ECN_MARKED_BYTES64: 9,
  BACKLOG_PACKETS: 10, BACKLOG_BYTES: 11, THRESHOLD_RATE64: 12, TARGET_US: 13, INTERVAL_US: 14,
  WAY_INDIRECT_HITS: 15, WAY_MISSES: 16, WAY_COLLISIONS: 17, PEAK_DELAY_US: 18, AVG_DELAY_US: 19,
  BASE_DELAY_US: 20, SPARSE_FLOWS: 21, BULK_FLOWS: 22, UNRESPONSIVE_FLOWS: 23, MAX_SKBLEN: 24,
  FLOW_QUANTUM: 25,
});
/** CAKE_FLOW_* flow isolation modes. */
export const CAKE_FLOW = constants('CAKE_FLOW_', H, {
  NONE: 0, SRC_IP: 1, DST_IP: 2, HOSTS: 3, FLOWS: 4, DUAL_SRC: 5, DUAL_DST: 6, TRIPLE: 7, MAX: 8,
});
/** CAKE_DIFFSERV_* tin modes. */
export const CAKE_DIFFSERV = constants('CAKE_DIFFSERV_', H, {
  DIFFSERV3: 0, DIFFSERV4: 1, DIFFSERV8: 2, BESTEFFORT: 3, PRECEDENCE: 4, MAX: 5,
});
/** CAKE_ACK_* ACK filter modes. */
export const CAKE_ACK = constants('CAKE_ACK_', H, { NONE: 0, FILTER: 1, AGGRESSIVE: 2, MAX: 3 });
/** CAKE_ATM_* link-layer compensation. */
export const CAKE_ATM = constants('CAKE_ATM_', H, { NONE: 0, ATM: 1, PTM: 2, MAX: 3 });

/** The TCA_OPTIONS payload of cake (encoded in iproute2's attribute order). */
export const cakeOptions = attrs('TCA_CAKE', {
  bandwidth: attr(TCA_CAKE.BASE_RATE64, u64),
  diffserv: attr(TCA_CAKE.DIFFSERV_MODE, u32),
  atm: attr(TCA_CAKE.ATM, u32),
  flowmode: attr(TCA_CAKE.FLOW_MODE, u32),
  overhead: attr(TCA_CAKE.OVERHEAD, s32),
  raw: attr(TCA_CAKE.RAW, u32),
  mpu: attr(TCA_CAKE.MPU, u32),
  rtt: attr(TCA_CAKE.RTT, u32),
  target: attr(TCA_CAKE.TARGET, u32),
  autorate: attr(TCA_CAKE.AUTORATE, u32),
  memlimit: attr(TCA_CAKE.MEMORY, u32),
  fwmark: attr(TCA_CAKE.FWMARK, u32),
  nat: attr(TCA_CAKE.NAT, u32),
  wash: attr(TCA_CAKE.WASH, u32),
  split_gso: attr(TCA_CAKE.SPLIT_GSO, u32),
  ingress: attr(TCA_CAKE.INGRESS, u32),
  ack_filter: attr(TCA_CAKE.ACK_FILTER, u32),
});
/** Decoded cake options. */
export type CakeOptions = Infer<typeof cakeOptions>;

/** One tin's statistics. */
export const cakeTinStats = attrs('TCA_CAKE_TIN_STATS', {
  sent_packets: attr(TCA_CAKE_TIN_STATS.SENT_PACKETS, u32),
  sent_bytes: attr(TCA_CAKE_TIN_STATS.SENT_BYTES64, u64),
  dropped_packets: attr(TCA_CAKE_TIN_STATS.DROPPED_PACKETS, u32),
  dropped_bytes: attr(TCA_CAKE_TIN_STATS.DROPPED_BYTES64, u64),
  acks_dropped_packets: attr(TCA_CAKE_TIN_STATS.ACKS_DROPPED_PACKETS, u32),
  acks_dropped_bytes: attr(TCA_CAKE_TIN_STATS.ACKS_DROPPED_BYTES64, u64),
  ecn_marked_packets: attr(TCA_CAKE_TIN_STATS.ECN_MARKED_PACKETS, u32),
  ecn_marked_bytes: attr(TCA_CAKE_TIN_STATS.ECN_MARKED_BYTES64, u64),
  backlog_packets: attr(TCA_CAKE_TIN_STATS.BACKLOG_PACKETS, u32),
  backlog_bytes: attr(TCA_CAKE_TIN_STATS.BACKLOG_BYTES, u32),
  threshold_rate: attr(TCA_CAKE_TIN_STATS.THRESHOLD_RATE64, u64),
  target_us: attr(TCA_CAKE_TIN_STATS.TARGET_US, u32),
  interval_us: attr(TCA_CAKE_TIN_STATS.INTERVAL_US, u32),
  way_indirect_hits: attr(TCA_CAKE_TIN_STATS.WAY_INDIRECT_HITS, u32),
  way_misses: attr(TCA_CAKE_TIN_STATS.WAY_MISSES, u32),
  way_collisions: attr(TCA_CAKE_TIN_STATS.WAY_COLLISIONS, u32),
  peak_delay_us: attr(TCA_CAKE_TIN_STATS.PEAK_DELAY_US, u32),
  avg_delay_us: attr(TCA_CAKE_TIN_STATS.AVG_DELAY_US, u32),
  base_delay_us: attr(TCA_CAKE_TIN_STATS.BASE_DELAY_US, u32),
  sparse_flows: attr(TCA_CAKE_TIN_STATS.SPARSE_FLOWS, u32),
  bulk_flows: attr(TCA_CAKE_TIN_STATS.BULK_FLOWS, u32),
  unresponsive_flows: attr(TCA_CAKE_TIN_STATS.UNRESPONSIVE_FLOWS, u32),
  max_skblen: attr(TCA_CAKE_TIN_STATS.MAX_SKBLEN, u32),
  flow_quantum: attr(TCA_CAKE_TIN_STATS.FLOW_QUANTUM, u32),
});
/** One tin. */
export type CakeTinStats = Infer<typeof cakeTinStats>;

/** cake's TCA_XSTATS (qdisc and class). */
export const cakeXstats = attrs('TCA_CAKE_STATS', {
  capacity_estimate: attr(TCA_CAKE_STATS.CAPACITY_ESTIMATE64, u64),
  memory_limit: attr(TCA_CAKE_STATS.MEMORY_LIMIT, u32),
  memory_used: attr(TCA_CAKE_STATS.MEMORY_USED, u32),
  avg_netoff: attr(TCA_CAKE_STATS.AVG_NETOFF, u32),
  min_netlen: attr(TCA_CAKE_STATS.MIN_NETLEN, u32),
  max_netlen: attr(TCA_CAKE_STATS.MAX_NETLEN, u32),
  min_adjlen: attr(TCA_CAKE_STATS.MIN_ADJLEN, u32),
  max_adjlen: attr(TCA_CAKE_STATS.MAX_ADJLEN, u32),
  tins: attr(TCA_CAKE_STATS.TIN_STATS, indexed('tins', cakeTinStats)),
  deficit: attr(TCA_CAKE_STATS.DEFICIT, s32),
  cobalt_count: attr(TCA_CAKE_STATS.COBALT_COUNT, u32),
  dropping: attr(TCA_CAKE_STATS.DROPPING, u32),
  drop_next_us: attr(TCA_CAKE_STATS.DROP_NEXT_US, s32),
  p_drop: attr(TCA_CAKE_STATS.P_DROP, u32),
  blue_timer_us: attr(TCA_CAKE_STATS.BLUE_TIMER_US, s32),
});
/** Decoded cake xstats. */
export type CakeXstats = Infer<typeof cakeXstats>;

void u8;

const PRESETS: Readonly<Record<string, readonly [number, number]>> = {
  datacentre: [5, 100], lan: [50, 1000], metro: [500, 10000], regional: [1500, 30000],
  internet: [5000, 100000], oceanic: [15000, 300000], satellite: [50000, 1000000],
  interplanetary: [50000000, 1000000000],
};

const DIFFSERV_NAMES = ['diffserv3', 'diffserv4', 'diffserv8', 'besteffort', 'precedence'];
const FLOWMODE_NAMES = ['flowblind', 'srchost', 'dsthost', 'hosts', 'flows', 'dual-srchost', 'dual-dsthost', 'triple-isolate'];

/** Keywords that set the diffserv mode. */
const DIFFSERV_KW: Readonly<Record<string, number>> = {
  besteffort: CAKE_DIFFSERV.BESTEFFORT, precedence: CAKE_DIFFSERV.PRECEDENCE,
  diffserv8: CAKE_DIFFSERV.DIFFSERV8, diffserv4: CAKE_DIFFSERV.DIFFSERV4,
  diffserv: CAKE_DIFFSERV.DIFFSERV4, diffserv3: CAKE_DIFFSERV.DIFFSERV3,
};

/** Framing keywords: [atm mode or -1 to keep, overhead added]. */
const FRAMING: Readonly<Record<string, readonly [number, number]>> = {
  'ipoa-vcmux': [CAKE_ATM.ATM, 8], 'ipoa-llcsnap': [CAKE_ATM.ATM, 16],
  'bridged-vcmux': [CAKE_ATM.ATM, 24], 'bridged-llcsnap': [CAKE_ATM.ATM, 32],
  'pppoa-vcmux': [CAKE_ATM.ATM, 10], 'pppoa-llc': [CAKE_ATM.ATM, 14],
  'pppoe-vcmux': [CAKE_ATM.ATM, 32], 'pppoe-llcsnap': [CAKE_ATM.ATM, 40],
  'pppoe-ptm': [CAKE_ATM.PTM, 30], 'bridged-ptm': [CAKE_ATM.PTM, 22],
  'ether-vlan': [-1, 4],
};

/** `tc qdisc add … cake help`. */
export const CAKE_USAGE = `Usage: ... cake [ bandwidth RATE | unlimited* | autorate-ingress ]
                [ rtt TIME | datacentre | lan | metro | regional |
                  internet* | oceanic | satellite | interplanetary ]
                [ besteffort | diffserv8 | diffserv4 | diffserv3* ]
                [ flowblind | srchost | dsthost | hosts | flows |
                  dual-srchost | dual-dsthost | triple-isolate* ]
                [ nat | nonat* ]
                [ wash | nowash* ]
                [ split-gso* | no-split-gso ]
                [ ack-filter | ack-filter-aggressive | no-ack-filter* ]
                [ memlimit LIMIT ]
                [ fwmark MASK ]
                [ ptm | atm | noatm* ] [ overhead N | conservative | raw* ]
                [ mpu N ] [ ingress | egress* ]
                (* marks defaults)
`;

/** tc(8) cake grammar (q_cake.c cake_parse_opt). */
export function parseCake(argv: readonly string[]): CakeOptions {
  const a = new Tokens(argv);
  let presetName: string | undefined;
  let overheadOverride = false, overheadSet = false;
  let interval = 0, target = 0, memlimit = 0, fwmark = 0;
  let bandwidth = 0n, unlimited = false;
  let diffserv = -1, ackFilter = -1, splitGso = -1, flowmode = -1, autorate = -1, ingress = -1;
  let overhead = 0, wash = -1, nat = -1, atm = -1, mpu = 0;
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (t === 'bandwidth') {
      const v = getRate64(a.next());
      if (v === null) fail('Illegal "bandwidth"');
      bandwidth = v; unlimited = false; autorate = 0;
    } else if (t === 'unlimited') {
      bandwidth = 0n; unlimited = true; autorate = 0;
    } else if (t === 'autorate-ingress') {
      autorate = 1;
    } else if (t === 'rtt') {
      const v = getTime(a.next());
      if (v === null) fail('Illegal "rtt"');
      interval = v;
      target = Math.floor(interval / 20) || 1;
    } else if (PRESETS[t]) {
      if (presetName !== undefined) duparg(t, presetName);
      presetName = t;
      [target, interval] = PRESETS[t]!;
    } else if (t in DIFFSERV_KW) {
      diffserv = DIFFSERV_KW[t]!;
    } else if (t === 'nowash') wash = 0;
    else if (t === 'wash') wash = 1;
    else if (t === 'split-gso') splitGso = 1;
    else if (t === 'no-split-gso') splitGso = 0;
    else if (FLOWMODE_NAMES.includes(t)) flowmode = FLOWMODE_NAMES.indexOf(t);
    else if (t === 'nat') nat = 1;
    else if (t === 'nonat') nat = 0;
    else if (t === 'ptm') atm = CAKE_ATM.PTM;
    else if (t === 'atm') atm = CAKE_ATM.ATM;
    else if (t === 'noatm') atm = CAKE_ATM.NONE;
    else if (t === 'raw') {
      atm = CAKE_ATM.NONE; overhead = 0; overheadSet = true; overheadOverride = true;
    } else if (t === 'conservative') {
      // One whole ATM cell plus ATM framing: safe when the real overhead is unknown.
      atm = CAKE_ATM.ATM; overhead = 48; overheadSet = true;
    } else if (FRAMING[t]) {
      const [m, add] = FRAMING[t]!;
      if (m >= 0) atm = m;
      overhead += add; overheadSet = true;
    } else if (t === 'via-ethernet') {
      // Accepted and ignored: cake compensates for the Ethernet header itself now.
    } else if (t === 'ethernet') {
      overhead += 38; overheadSet = true; mpu = 84;
    } else if (t === 'docsis') {
      atm = CAKE_ATM.NONE; overhead += 18; overheadSet = true; mpu = 64;
    } else if (t === 'overhead') {
      const v = strtolWhole(a.next());
      if (v === null || v < -64 || v > 256) fail('Illegal "overhead", valid range is -64 to 256\\n');
      overhead = v; overheadSet = true;
    } else if (t === 'mpu') {
      const v = strtolWhole(a.next());
      if (v === null || v < 0 || v > 256) fail('Illegal "mpu", valid range is 0 to 256\\n');
      mpu = v;
    } else if (t === 'ingress') ingress = 1;
    else if (t === 'egress') ingress = 0;
    else if (t === 'no-ack-filter') ackFilter = CAKE_ACK.NONE;
    else if (t === 'ack-filter') ackFilter = CAKE_ACK.FILTER;
    else if (t === 'ack-filter-aggressive') ackFilter = CAKE_ACK.AGGRESSIVE;
    else if (t === 'memlimit') {
      const v = a.next();
      const n = getSize(v);
      if (n === null) fail(`Illegal value for "memlimit": "${v}"`);
      memlimit = n;
    } else if (t === 'fwmark') {
      const v = a.next();
      const n = getUnsigned(v);
      if (n === null) fail(`Illegal value for "fwmark": "${v}"`);
      fwmark = n;
    } else if (t === 'help') {
      fail(usage(CAKE_USAGE));
    } else whatIs(t, CAKE_USAGE);
  }
  // Attribute order is iproute2's, so the bytes match tc's request.
  const o: CakeOptions = {};
  if (bandwidth || unlimited) o.bandwidth = bandwidth;
  if (diffserv !== -1) o.diffserv = diffserv;
  if (atm !== -1) o.atm = atm;
  if (flowmode !== -1) o.flowmode = flowmode;
  if (overheadSet) o.overhead = overhead;
  if (overheadOverride) o.raw = 0;
  if (mpu > 0) o.mpu = mpu;
  if (interval) o.rtt = interval;
  if (target) o.target = target;
  if (autorate !== -1) o.autorate = autorate;
  if (memlimit) o.memlimit = memlimit;
  if (fwmark) o.fwmark = fwmark;
  if (nat !== -1) o.nat = nat;
  if (wash !== -1) o.wash = wash;
  if (splitGso !== -1) o.split_gso = splitGso;
  if (ingress !== -1) o.ingress = ingress;
  if (ackFilter !== -1) o.ack_filter = ackFilter;
  return o;
}

function printMode(p: Printer, value: number, key: string, table: readonly string[]): void {
  const name = table[value];
  if (name !== undefined) p.string(ANY, key, '%s ', name);
  else {
    p.string(JSON_ONLY, key, '', 'unknown');
    p.string(FP, null, '(?%s?)', key);
  }
}

/** Print cake options as q_cake.c cake_print_opt. */
export function printCake(p: Printer, o: CakeOptions, env: TcEnv): void {
  if (o.bandwidth !== undefined) {
    if (o.bandwidth) printRate(p, env, ANY, 'bandwidth', 'bandwidth %s ', o.bandwidth);
    else p.string(ANY, 'bandwidth', 'bandwidth %s ', 'unlimited');
  }
  if (o.autorate !== undefined) {
    if (o.autorate === 1) p.string(ANY, 'autorate', '%s ', 'autorate-ingress');
    else if (o.autorate) p.string(ANY, 'autorate', '(?autorate?) ', 'unknown');
  }
  if (o.diffserv !== undefined) printMode(p, o.diffserv, 'diffserv', DIFFSERV_NAMES);
  if (o.flowmode !== undefined) printMode(p, o.flowmode, 'flowmode', FLOWMODE_NAMES);
  const nat = o.nat ?? 0;
  fp(p, nat ? 'nat ' : 'nonat ');
  p.bool(JSON_ONLY, 'nat', '', !!nat);
  const wash = o.wash ?? 0;
  const atm = o.atm ?? 0;
  const overhead = o.overhead ?? 0;
  const mpu = o.mpu ?? 0;
  const ingress = o.ingress ?? 0;
  const ack = o.ack_filter ?? 0;
  const splitGso = o.split_gso ?? 0;
  const raw = o.raw !== undefined;
  const interval = o.rtt ?? 0;
  const memlimit = o.memlimit ?? 0;
  const fwmark = o.fwmark ?? 0;
  fp(p, wash ? 'wash ' : 'nowash ');
  p.bool(JSON_ONLY, 'wash', '', !!wash);
  if (ingress) fp(p, 'ingress ');
  p.bool(JSON_ONLY, 'ingress', '', !!ingress);
  if (ack === CAKE_ACK.AGGRESSIVE) p.string(ANY, 'ack-filter', 'ack-filter-%s ', 'aggressive');
  else if (ack === CAKE_ACK.FILTER) p.string(ANY, 'ack-filter', 'ack-filter ', 'enabled');
  else p.string(ANY, 'ack-filter', 'no-ack-filter ', 'disabled');
  fp(p, splitGso ? 'split-gso ' : 'no-split-gso ');
  p.bool(JSON_ONLY, 'split_gso', '', !!splitGso);
  if (interval) fp(p, 'rtt %s ', sprintTime(interval));
  p.uint(JSON_ONLY, 'rtt', '', interval);
  if (raw) fp(p, 'raw ');
  p.bool(JSON_ONLY, 'raw', '', raw);
  if (atm === CAKE_ATM.ATM) p.string(ANY, 'atm', '%s ', 'atm');
  else if (atm === CAKE_ATM.PTM) p.string(ANY, 'atm', '%s ', 'ptm');
  else if (!raw) p.string(ANY, 'atm', '%s ', 'noatm');
  p.int(ANY, 'overhead', 'overhead %d ', overhead);
  if (mpu) p.uint(ANY, 'mpu', 'mpu %u ', mpu);
  if (memlimit) printSize(p, ANY, 'memlimit', 'memlimit %s ', memlimit);
  if (fwmark) p.uint(FP, null, 'fwmark 0x%x ', fwmark);
  p.hex0x(JSON_ONLY, 'fwmark', '', fwmark);
}

type TinKey = keyof CakeTinStats & string;

/** Print cake xstats as q_cake.c cake_print_xstats (text table per tin, JSON array "tins"). */
export function printCakeXstats(p: Printer, st: CakeXstats, env: TcEnv): void {
  if (st.memory_used !== undefined && st.memory_limit !== undefined) {
    printSize(p, FP, null, ' memory used: %s', st.memory_used);
    printSize(p, FP, null, ' of %s\n', st.memory_limit);
    p.uint(JSON_ONLY, 'memory_used', '', st.memory_used);
    p.uint(JSON_ONLY, 'memory_limit', '', st.memory_limit);
  }
  if (st.capacity_estimate !== undefined) {
    printRate(p, env, ANY, 'capacity_estimate', ' capacity estimate: %s\n', st.capacity_estimate);
  }
  if (st.min_netlen !== undefined && st.max_netlen !== undefined) {
    p.uint(ANY, 'min_network_size', ' min/max network layer size: %12u', st.min_netlen);
    p.uint(ANY, 'max_network_size', ' /%8u\n', st.max_netlen);
  }
  if (st.min_adjlen !== undefined && st.max_adjlen !== undefined) {
    p.uint(ANY, 'min_adj_size', ' min/max overhead-adjusted size: %8u', st.min_adjlen);
    p.uint(ANY, 'max_adj_size', ' /%8u\n', st.max_adjlen);
  }
  if (st.avg_netoff !== undefined) p.uint(ANY, 'avg_hdr_offset', ' average network hdr offset: %12u\n\n', st.avg_netoff);
  if (st.deficit !== undefined) p.int(ANY, 'deficit', '  deficit %d', st.deficit);
  if (st.cobalt_count !== undefined) p.uint(ANY, 'count', ' count %u', st.cobalt_count);
  if (st.dropping) {
    p.bool(ANY, 'dropping', ' dropping', true);
    if (st.drop_next_us !== undefined) {
      const dn = st.drop_next_us;
      if (dn < 0) fp(p, ' drop_next -%s', sprintTime(-dn));
      else {
        p.uint(JSON_ONLY, 'drop_next', '', dn);
        fp(p, ' drop_next %s', sprintTime(dn));
      }
    }
  }
  if (st.p_drop !== undefined) {
    p.uint(ANY, 'blue_prob', ' blue_prob %u', st.p_drop);
    if (st.blue_timer_us !== undefined) {
      const bt = st.blue_timer_us;
      // iproute2 passes the negative value itself to sprint_time (an unsigned): mirror that.
      if (bt < 0) fp(p, ' blue_timer -%s', sprintTime(bt >>> 0));
      else {
        p.uint(JSON_ONLY, 'blue_timer', '', bt);
        fp(p, ' blue_timer %s', sprintTime(bt));
      }
    }
  }
  const tins = st.tins ?? [];
  // iproute2 stops at the first missing tin and at 8 tins.
  const n = Math.min(tins.length, 8);
  if (!n) return;
  if (p.inJson) {
    p.openArray(JSON_ONLY, 'tins');
    for (let i = 0; i < n; i++) printJsonTin(p, tins[i]!);
    p.closeArray(JSON_ONLY, '');
    return;
  }
  if (n === 3) p.text('                   Bulk  Best Effort        Voice\n');
  else if (n === 4) p.text('                   Bulk  Best Effort        Video        Voice\n');
  else {
    p.text('          ');
    for (let i = 0; i < n; i++) p.text('        Tin %u', i);
    p.nl();
  }
  const t0 = tins[0]!;
  const row = (name: string, key: TinKey, f: (v: number | bigint) => string): void => {
    if (t0[key] === undefined) return;
    let s = name;
    for (let i = 0; i < n; i++) s += ' ' + f((tins[i]![key] ?? 0) as number | bigint).padStart(12);
    p.text('%s', s);
    p.nl();
  };
  if (t0.threshold_rate !== undefined) {
    let s = '  thresh  ';
    for (let i = 0; i < n; i++) s += ' ' + sprintRate(tins[i]!.threshold_rate ?? 0n, env.iec).padStart(12);
    p.text('%s', s);
    p.nl();
  }
  const time = (v: number | bigint): string => sprintTime(Number(v));
  const size = (v: number | bigint): string => sprintSize(Number(v));
  const num = (v: number | bigint): string => String(v);
  row('  target  ', 'target_us', time);
  row('  interval', 'interval_us', time);
  row('  pk_delay', 'peak_delay_us', time);
  row('  av_delay', 'avg_delay_us', time);
  row('  sp_delay', 'base_delay_us', time);
  row('  backlog ', 'backlog_bytes', size);
  row('  pkts    ', 'sent_packets', num);
  row('  bytes   ', 'sent_bytes', num);
  row('  way_inds', 'way_indirect_hits', num);
  row('  way_miss', 'way_misses', num);
  row('  way_cols', 'way_collisions', num);
  row('  drops   ', 'dropped_packets', num);
  row('  marks   ', 'ecn_marked_packets', num);
  row('  ack_drop', 'acks_dropped_packets', num);
  row('  sp_flows', 'sparse_flows', num);
  row('  bk_flows', 'bulk_flows', num);
  row('  un_flows', 'unresponsive_flows', num);
  row('  max_len ', 'max_skblen', num);
  row('  quantum ', 'flow_quantum', num);
}

function printJsonTin(p: Printer, t: CakeTinStats): void {
  p.openObject();
  const keys: ReadonlyArray<readonly [string, TinKey]> = [
    ['threshold_rate', 'threshold_rate'], ['sent_bytes', 'sent_bytes'], ['backlog_bytes', 'backlog_bytes'],
    ['target_us', 'target_us'], ['interval_us', 'interval_us'], ['peak_delay_us', 'peak_delay_us'],
    ['avg_delay_us', 'avg_delay_us'], ['base_delay_us', 'base_delay_us'], ['sent_packets', 'sent_packets'],
    ['way_indirect_hits', 'way_indirect_hits'], ['way_misses', 'way_misses'], ['way_collisions', 'way_collisions'],
    ['drops', 'dropped_packets'], ['ecn_mark', 'ecn_marked_packets'], ['ack_drops', 'acks_dropped_packets'],
    ['sparse_flows', 'sparse_flows'], ['bulk_flows', 'bulk_flows'], ['unresponsive_flows', 'unresponsive_flows'],
    ['max_pkt_len', 'max_skblen'], ['flow_quantum', 'flow_quantum'],
  ];
  for (const [json, key] of keys) {
    const v = t[key];
    if (v !== undefined) p.u64(JSON_ONLY, json, '', v as number | bigint);
  }
  p.closeObject();
}

/** The cake kind module. */
export const cakeKind: QdiscKind<CakeOptions> = {
  kind: 'cake',
  options: cakeOptions,
  alwaysSendOptions: true,
  xstats: cakeXstats,
  usage: CAKE_USAGE,
  parse: (tokens) => parseCake(tokens),
  print: printCake,
  printXstats: (p, x, env) => printCakeXstats(p, x as CakeXstats, env),
  classXstats: cakeXstats,
  printClassXstats: (p, x, env) => printCakeXstats(p, x as CakeXstats, env),
};

registerQdiscKind(cakeKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    cake: CakeOptions;
  }
}
