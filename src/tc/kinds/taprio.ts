/**
 * taprio (time-aware priority shaper, 802.1Qbv): TCA_TAPRIO_ATTR_*
 * options (priomap struct, clockid, flags, txtime delay, base/cycle time,
 * schedule entries), tc(8) grammar and printing as iproute2's tc/q_taprio.c.
 * @module
 */
import { attrs, attr, multi, u8, u32, s32, s64, type Infer } from '../../netlink/codec/schema.js';
import { NLA_F_NESTED, lazy, type Codec } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import { ANY, JSON_ONLY, Tokens, fail, usage, getUnsigned, getU64 } from './util.js';
import { mqprioQopt, TC_QOPT_MAX_QUEUE } from './mqprio.js';

const H = ['linux/pkt_sched.h'];
/** TCA_TAPRIO_ATTR_* attributes. */
export const TCA_TAPRIO_ATTR = constants('TCA_TAPRIO_ATTR_', H, {
  PRIOMAP: 1, SCHED_ENTRY_LIST: 2, SCHED_BASE_TIME: 3, SCHED_SINGLE_ENTRY: 4, SCHED_CLOCKID: 5,
  ADMIN_SCHED: 7, SCHED_CYCLE_TIME: 8, SCHED_CYCLE_TIME_EXTENSION: 9, FLAGS: 10, TXTIME_DELAY: 11,
  TC_ENTRY: 12,
});
/** TCA_TAPRIO_SCHED_ENTRY_* attributes. */
export const TCA_TAPRIO_SCHED_ENTRY = constants('TCA_TAPRIO_SCHED_ENTRY_', H, { INDEX: 1, CMD: 2, GATE_MASK: 3, INTERVAL: 4 });
/** TC_TAPRIO_CMD_*. */
export const TC_TAPRIO_CMD = constants('TC_TAPRIO_CMD_', H, { SET_GATES: 0, SET_AND_HOLD: 1, SET_AND_RELEASE: 2 });

/** One schedule entry. */
export const taprioEntry = attrs('TCA_TAPRIO_SCHED_ENTRY', {
  index: attr(TCA_TAPRIO_SCHED_ENTRY.INDEX, u32),
  cmd: attr(TCA_TAPRIO_SCHED_ENTRY.CMD, u8),
  gatemask: attr(TCA_TAPRIO_SCHED_ENTRY.GATE_MASK, u32),
  interval: attr(TCA_TAPRIO_SCHED_ENTRY.INTERVAL, u32),
});
/** The schedule entry list (TCA_TAPRIO_SCHED_ENTRY = 1 repeated). */
export const taprioEntryList = attrs('TCA_TAPRIO_SCHED', { entry: multi(1, taprioEntry) });

interface TaprioShape {
  priomap?: Infer<typeof mqprioQopt>;
  clockid?: number;
  flags?: number;
  txtime_delay?: number;
  base_time?: bigint;
  cycle_time?: bigint;
  cycle_time_extension?: bigint;
  schedule?: Infer<typeof taprioEntryList>;
  admin?: TaprioShape;
}
/** The TCA_OPTIONS payload of taprio (attribute order as iproute2 sends it). */
export const taprioOptions: Codec<TaprioShape> = attrs('TCA_TAPRIO', {
  clockid: attr(TCA_TAPRIO_ATTR.SCHED_CLOCKID, s32),
  flags: attr(TCA_TAPRIO_ATTR.FLAGS, u32),
  priomap: attr(TCA_TAPRIO_ATTR.PRIOMAP, mqprioQopt),
  txtime_delay: attr(TCA_TAPRIO_ATTR.TXTIME_DELAY, u32),
  base_time: attr(TCA_TAPRIO_ATTR.SCHED_BASE_TIME, s64),
  cycle_time: attr(TCA_TAPRIO_ATTR.SCHED_CYCLE_TIME, s64),
  cycle_time_extension: attr(TCA_TAPRIO_ATTR.SCHED_CYCLE_TIME_EXTENSION, s64),
  schedule: attr(TCA_TAPRIO_ATTR.SCHED_ENTRY_LIST, taprioEntryList, NLA_F_NESTED),
  admin: attr(TCA_TAPRIO_ATTR.ADMIN_SCHED, lazy<TaprioShape>('admin', () => taprioOptions)),
});
/** Decoded taprio options. */
export type TaprioOptions = TaprioShape;

/** `tc qdisc add … taprio help`. */
export const TAPRIO_USAGE = `Usage: ... taprio clockid CLOCKID
		[num_tc NUMBER] [map P0 P1 ...] 		[queues COUNT@OFFSET COUNT@OFFSET COUNT@OFFSET ...] 		[ [sched-entry index cmd gate-mask interval] ... ] 		[base-time time] [txtime-delay delay]
CLOCKID must be a valid SYS-V id (i.e. CLOCK_TAI)
`;

const CLOCKS: ReadonlyArray<readonly [string, number]> = [['REALTIME', 0], ['TAI', 11], ['BOOTTIME', 7], ['MONOTONIC', 1]];

/** tc(8) taprio grammar (q_taprio.c). */
export function parseTaprio(argv: readonly string[]): TaprioOptions {
  const a = new Tokens(argv);
  const q = {
    num_tc: 0, prio_tc_map: new Array<number>(16).fill(0), hw: 0,
    count: new Array<number>(16).fill(0), offset: new Array<number>(16).fill(0),
  };
  let clockid = -1, flags = 0, txtime = 0, base = 0n, cycle = 0n, ext = 0n;
  const entries: Array<Infer<typeof taprioEntry>> = [];
  const hasNext = (): boolean => a.peek() !== undefined;
  const entryUsage = 'Usage: ... taprio ... sched-entry <cmd> <gate mask> <interval>';
  const s64arg = (): bigint | null => {
    const v = getU64(a.next(), 10);
    return v === null ? null : BigInt.asIntN(64, v);
  };
  loop: for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    let idx = 0;
    if (t === 'num_tc') {
      const v = getUnsigned(a.next(), 10, 0xff);
      if (v === null) fail('Illegal "num_tc"');
      q.num_tc = v;
    } else if (t === 'map') {
      while (idx < TC_QOPT_MAX_QUEUE && hasNext()) {
        const v = getUnsigned(a.next(), 10, 0xff);
        if (v === null) { a.back(); break; }
        q.prio_tc_map[idx++] = v;
      }
      for (; idx < TC_QOPT_MAX_QUEUE; idx++) q.prio_tc_map[idx] = 0;
    } else if (t === 'queues') {
      while (idx < TC_QOPT_MAX_QUEUE && hasNext()) {
        const [c, o] = a.next().split('@');
        const cn = c === undefined ? null : getUnsigned(c, 10, 0xffff);
        if (cn === null) { a.back(); break; }
        q.count[idx] = cn;
        const on = o === undefined ? null : getUnsigned(o, 10, 0xffff);
        if (on === null) { a.back(); break; }
        q.offset[idx] = on;
        idx++;
      }
    } else if (t === 'sched-entry') {
      if (a.next() !== 'S') fail(entryUsage);
      const mask = getUnsigned(a.next(), 16);
      if (mask === null) fail(entryUsage);
      const interval = getUnsigned(a.next(), 0);
      if (interval === null) fail(entryUsage);
      entries.push({ cmd: TC_TAPRIO_CMD.SET_GATES, gatemask: mask, interval });
    } else if (t === 'base-time' || t === 'cycle-time' || t === 'cycle-time-extension') {
      a.next();
      if (t === 'cycle-time' && cycle) fail('taprio: duplicate "cycle-time" specification');
      if (t === 'cycle-time-extension' && ext) fail('taprio: duplicate "cycle-time-extension" specification');
      a.back();
      const v = s64arg();
      // iproute2 stops parsing (and sends what it has) on a bad time.
      if (v === null) { a.back(); break loop; }
      if (t === 'base-time') base = v; else if (t === 'cycle-time') cycle = v; else ext = v;
    } else if (t === 'clockid') {
      const v = a.next();
      if (clockid !== -1) fail('taprio: duplicate "clockid" specification');
      const name = /CLOCK_/i.test(v) ? v.slice(v.toUpperCase().indexOf('CLOCK_') + 6) : v;
      const c = CLOCKS.find(([n]) => n.toLowerCase() === name.toLowerCase());
      if (!c) fail(`taprio: illegal value for "clockid": "${v}".\nIt must be a valid SYS-V id (i.e. CLOCK_TAI)`);
      clockid = c[1];
    } else if (t === 'flags' || t === 'txtime-delay') {
      const v = a.next();
      if (t === 'flags' ? flags : txtime) fail(`taprio: duplicate "${t}" specification`);
      const n = getUnsigned(v, 0);
      if (n === null) fail('');
      if (t === 'flags') flags = n; else txtime = n;
    } else if (t === 'help') fail(usage(TAPRIO_USAGE));
    else fail('Unknown argument');
  }
  const o: TaprioOptions = {};
  if (clockid !== -1) o.clockid = clockid;
  if (flags) o.flags = flags;
  if (q.num_tc > 0) o.priomap = q;
  if (txtime) o.txtime_delay = txtime;
  if (base) o.base_time = base;
  if (cycle) o.cycle_time = cycle;
  if (ext) o.cycle_time_extension = ext;
  o.schedule = { entry: entries };
  return o;
}

function printSchedule(p: Printer, o: TaprioOptions): void {
  p.u64(ANY, 'base_time', '\tbase-time %lld', o.base_time ?? 0n);
  p.u64(ANY, 'cycle_time', ' cycle-time %lld', o.cycle_time ?? 0n);
  p.u64(ANY, 'cycle_time_extension', ' cycle-time-extension %lld', o.cycle_time_extension ?? 0n);
  if (!o.schedule) return;
  p.openArray(JSON_ONLY, 'schedule');
  p.nl();
  for (const e of o.schedule.entry ?? []) {
    p.openObject();
    p.uint(ANY, 'index', '\tindex %u', e.index ?? 0);
    p.string(ANY, 'cmd', ' cmd %s', e.cmd === undefined || e.cmd === TC_TAPRIO_CMD.SET_GATES ? 'S' : 'Invalid');
    p.hex0x(ANY, 'gatemask', ' gatemask %#llx', e.gatemask ?? 0);
    p.uint(ANY, 'interval', ' interval %u', e.interval ?? 0);
    p.closeObject();
    p.nl();
  }
  p.closeArray(ANY, '');
}

/** Print taprio options (q_taprio.c taprio_print_opt). */
export function printTaprio(p: Printer, o: TaprioOptions): void {
  const q = o.priomap;
  if (!q) return;
  p.uint(ANY, 'tc', 'tc %u ', q.num_tc);
  p.openArray(ANY, 'map');
  for (let i = 0; i <= 15; i++) p.uint(ANY, null, ' %u', q.prio_tc_map[i] ?? 0);
  p.closeArray(ANY, '');
  p.nl();
  p.openArray(ANY, 'queues');
  for (let i = 0; i < q.num_tc && i < 16; i++) {
    p.openObject();
    p.uint(ANY, 'offset', ' offset %u', q.offset[i] ?? 0);
    p.uint(ANY, 'count', ' count %u', q.count[i] ?? 0);
    p.closeObject();
  }
  p.closeArray(ANY, '');
  p.nl();
  const clock = CLOCKS.find(([, id]) => id === (o.clockid ?? -1));
  p.string(ANY, 'clockid', 'clockid %s', clock ? clock[0] : 'invalid');
  if (o.flags !== undefined) p.hex0x(ANY, 'flags', ' flags %#x', o.flags);
  if (o.txtime_delay !== undefined) p.uint(ANY, 'txtime_delay', ' txtime delay %d', o.txtime_delay | 0);
  printSchedule(p, o);
  if (o.admin) {
    p.openObject();
    printSchedule(p, o.admin);
    p.closeObject();
  }
}

/** The taprio kind module. */
export const taprioKind: QdiscKind<TaprioOptions> = {
  kind: 'taprio',
  options: taprioOptions,
  alwaysSendOptions: true,
  usage: TAPRIO_USAGE,
  parse: (tokens) => parseTaprio(tokens),
  print: (p, o) => printTaprio(p, o),
};

registerQdiscKind(taprioKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    taprio: TaprioOptions;
  }
}
