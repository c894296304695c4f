/**
 * netem (network emulator): struct tc_netem_qopt followed by TCA_NETEM_*
 * attributes, tc(8) grammar (delay/jitter/correlation, distribution tables
 * read from iproute2's *.dist files, loss random/state/gemodel, duplicate,
 * corrupt, reorder/gap, rate, slot, ecn) and printing as iproute2's
 * tc/q_netem.c.
 *
 * ```ts
 * netemKind.parse!(['delay', '100ms', '10ms', '25%', 'loss', '1%'], env);
 * ```
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { attrs, attr, struct, headed, array, u32, s32, s64, u64, s16, type Infer } from '../../netlink/codec/schema.js';
import { NLA_F_NESTED } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind, type TcEnv } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import {
  ANY, FP, JSON_ONLY, Tokens, fail, matches, getSize, getTime, getTime64, getRate64, getUnsigned, getInteger,
  parsePercent, percentRate, printRate, sprintTime, sprintTime64, strtoInt, time2big, time2tick, tick2time, fp,
} from './util.js';

const H = ['linux/pkt_sched.h'];
/** TCA_NETEM_* attributes (after struct tc_netem_qopt). */
export const TCA_NETEM = constants('TCA_NETEM_', H, {
  CORR: 1, DELAY_DIST: 2, REORDER: 3, CORRUPT: 4, LOSS: 5, RATE: 6, ECN: 7, RATE64: 8, PAD: 9,
  LATENCY64: 10, JITTER64: 11, SLOT: 12, SLOT_DIST: 13,
});
/** NETEM_LOSS_* loss model attributes. */
export const NETEM_LOSS = constants('NETEM_LOSS_', H, { GI: 1, GE: 2 });

/** struct tc_netem_qopt (latency/jitter in psched ticks; probabilities scaled to 2^32-1). */
export const netemQopt = struct('tc_netem_qopt', { latency: u32, limit: u32, loss: u32, gap: u32, duplicate: u32, jitter: u32 });
const corr = struct('tc_netem_corr', { delay_corr: u32, loss_corr: u32, dup_corr: u32 });
const probCorr = struct('tc_netem_reorder', { probability: u32, correlation: u32 });
const rateStruct = struct('tc_netem_rate', { rate: u32, packet_overhead: s32, cell_size: u32, cell_overhead: s32 });
const slotStruct = struct('tc_netem_slot', {
  min_delay: s64, max_delay: s64, max_packets: s32, max_bytes: s32, dist_delay: s64, dist_jitter: s64,
});
const gimodel = struct('tc_netem_gimodel', { p13: u32, p31: u32, p32: u32, p14: u32, p23: u32 });
const gemodel = struct('tc_netem_gemodel', { p: u32, r: u32, h: u32, k1: u32 });
const lossAttrs = attrs('NETEM_LOSS', { state: attr(NETEM_LOSS.GI, gimodel), gemodel: attr(NETEM_LOSS.GE, gemodel) });

/** The attributes following the qopt struct. */
export const netemAttrs = attrs('TCA_NETEM', {
  corr: attr(TCA_NETEM.CORR, corr),
  reorder: attr(TCA_NETEM.REORDER, probCorr),
  ecn: attr(TCA_NETEM.ECN, u32),
  corrupt: attr(TCA_NETEM.CORRUPT, probCorr),
  slot: attr(TCA_NETEM.SLOT, slotStruct),
  loss: attr(TCA_NETEM.LOSS, lossAttrs, NLA_F_NESTED),
  rate64: attr(TCA_NETEM.RATE64, u64),
  rate: attr(TCA_NETEM.RATE, rateStruct),
  delay_dist: attr(TCA_NETEM.DELAY_DIST, array(s16)),
  slot_dist: attr(TCA_NETEM.SLOT_DIST, array(s16)),
  latency64: attr(TCA_NETEM.LATENCY64, s64),
  jitter64: attr(TCA_NETEM.JITTER64, s64),
});

/** The TCA_OPTIONS payload of netem: qopt header + attributes. */
export const netemOptions = headed('tc_netem', netemQopt, netemAttrs);
/** Decoded netem options. */
export type NetemOptions = Infer<typeof netemOptions>;

/** `tc qdisc add … netem help`. */
export const NETEM_USAGE = `Usage: ... netem [ limit PACKETS ]
                 [ delay TIME [ JITTER [CORRELATION]]]
                 [ distribution {uniform|normal|pareto|paretonormal} ]
                 [ corrupt PERCENT [CORRELATION]]
                 [ duplicate PERCENT [CORRELATION]]
                 [ loss random PERCENT [CORRELATION]]
                 [ loss state P13 [P31 [P32 [P23 P14]]]
                 [ loss gemodel PERCENT [R [1-H [1-K]]]
                 [ ecn ]
                 [ reorder PERCENT [CORRELATION] [ gap DISTANCE ]]
                 [ rate RATE [PACKETOVERHEAD] [CELLSIZE] [CELLOVERHEAD]]
                 [ slot MIN_DELAY [MAX_DELAY] [packets MAX_PACKETS] [bytes MAX_BYTES]]
                 [ slot distribution {uniform|normal|pareto|paretonormal|custom}
                   DELAY JITTER [packets MAX_PACKETS] [bytes MAX_BYTES]]
`;

const UINT32_MAX = 0xffffffff;
const MAX_DIST = 16 * 1024;

/** C rint() (round half to even). */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
/** set_percent(): a fraction scaled to 2^32-1. */
function scaled(per: number): number {
  return rint(per * UINT32_MAX) >>> 0;
}
function illegal(what: string): never {
  fail(`Illegal "${what}"`);
}
function usageFail(msg: string): never {
  fail(`${msg}\n${NETEM_USAGE.slice(0, -1)}`);
}
function percentArg(s: string, what: string): number {
  const v = parsePercent(s);
  if (typeof v !== 'number') illegal(what);
  return scaled(v);
}

/** iproute2's tc library directory (TC_LIB_DIR, else the distribution's LIBDIR/tc/). */
export function tcLibDir(): string {
  const env = process.env.TC_LIB_DIR;
  if (env) return env;
  for (const d of ['/usr/lib/x86_64-linux-gnu/tc/', '/usr/lib/tc/', '/usr/lib64/tc/']) if (existsSync(d)) return d;
  return '/usr/lib/tc/';
}

/** get_distribution(): read NAME.dist (comment lines start with '#'; numbers strtol base 0, stored as s16). */
export function readDistribution(name: string): number[] {
  const file = `${tcLibDir()}/${name}.dist`;
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const msg = err.code === 'ENOENT' ? 'No such file or directory' : err.code === 'EACCES' ? 'Permission denied' : String(err.message);
    fail(`No distribution data for ${name} (${file}: ${msg})`);
  }
  const out: number[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    let p = line;
    for (;;) {
      const r = strtoInt(p, 0);
      if (!r) break;
      if (out.length >= MAX_DIST) fail(`${file}: too much data`);
      out.push(Number(BigInt.asIntN(16, r.value)));
      p = r.rest;
    }
  }
  if (out.length === 0) fail('');
  return out;
}

function getTicks(s: string, what: string): number {
  const t = getTime(s);
  if (t === null) illegal(what);
  if (time2big(t)) fail(`Illegal ${t} time (too large)`);
  return time2tick(t);
}

/** tc(8) netem grammar (q_netem.c netem_parse_opt). */
export function parseNetem(argv: readonly string[], env: TcEnv): NetemOptions {
  const a = new Tokens(argv);
  const opt = { latency: 0, limit: 1000, loss: 0, gap: 0, duplicate: 0, jitter: 0 };
  const cor = { delay_corr: 0, loss_corr: 0, dup_corr: 0 };
  const reorder = { probability: 0, correlation: 0 };
  const corrupt = { probability: 0, correlation: 0 };
  const gi = { p13: 0, p31: 0, p32: 0, p14: 0, p23: 0 };
  const ge = { p: 0, r: 0, h: 0, k1: 0 };
  const rate = { rate: 0, packet_overhead: 0, cell_size: 0, cell_overhead: 0 };
  const slot = { min_delay: 0n, max_delay: 0n, max_packets: 0, max_bytes: 0, dist_delay: 0n, dist_jitter: 0n };
  let lossType = 0;
  let presentCorr = 0, presentReorder = false, presentCorrupt = false, presentEcn = false, presentRate = false, presentSlot = false;
  let dist: number[] | undefined, slotDist: number[] | undefined;
  let rate64 = 0n;
  const nextIsNumber = (): boolean => /^[0-9]/.test(a.peek() ?? '');
  const nextIsSigned = (): boolean => /^[0-9-]/.test(a.peek() ?? '');
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (matches(t, 'limit')) {
      const v = getSize(a.next());
      if (v === null) illegal('limit');
      opt.limit = v;
    } else if (matches(t, 'latency') || matches(t, 'delay')) {
      opt.latency = getTicks(a.next(), 'latency');
      if (nextIsNumber()) {
        opt.jitter = getTicks(a.next(), 'latency');
        if (nextIsNumber()) {
          presentCorr++;
          cor.delay_corr = percentArg(a.next(), 'latency');
        }
      }
    } else if (matches(t, 'loss') || matches(t, 'drop')) {
      if (opt.loss > 0 || lossType !== 0) illegal('duplicate loss argument\n');
      let w = a.next();
      if (/^[0-9]/.test(w) || w === 'random') {
        if (w === 'random') w = a.next();
        opt.loss = percentArg(w, 'loss percent');
        if (nextIsNumber()) {
          presentCorr++;
          cor.loss_corr = percentArg(a.next(), 'loss correlation');
        }
      } else if (w === 'state') {
        const p13 = parsePercent(a.next());
        if (typeof p13 !== 'number') illegal('loss p13');
        gi.p13 = scaled(p13); gi.p31 = scaled(1 - p13); gi.p32 = scaled(0); gi.p23 = scaled(1); gi.p14 = scaled(0);
        lossType = NETEM_LOSS.GI;
        for (const k of ['p31', 'p32', 'p23', 'p14'] as const) {
          if (!nextIsNumber()) break;
          gi[k] = percentArg(a.next(), `loss ${k}`);
        }
      } else if (w === 'gemodel') {
        const p = parsePercent(a.next());
        if (typeof p !== 'number') illegal('loss gemodel p');
        ge.p = scaled(p); ge.r = scaled(1 - p); ge.h = scaled(0); ge.k1 = scaled(0);
        lossType = NETEM_LOSS.GE;
        if (nextIsNumber()) {
          ge.r = percentArg(a.next(), 'loss gemodel r');
          if (nextIsNumber()) {
            // The option is "1-h"; the kernel wants h.
            ge.h = (UINT32_MAX - percentArg(a.next(), 'loss gemodel h')) >>> 0;
            if (nextIsNumber()) ge.k1 = percentArg(a.next(), 'loss gemodel k');
          }
        }
      } else fail(`Unknown loss parameter: ${w}`);
    } else if (matches(t, 'ecn')) {
      presentEcn = true;
    } else if (matches(t, 'reorder') || matches(t, 'corrupt')) {
      const target = matches(t, 'reorder') ? reorder : corrupt;
      const what = target === reorder ? 'reorder' : 'corrupt';
      if (target === reorder) presentReorder = true; else presentCorrupt = true;
      target.probability = percentArg(a.next(), what);
      if (nextIsNumber()) {
        presentCorr++;
        target.correlation = percentArg(a.next(), what);
      }
    } else if (matches(t, 'gap')) {
      const v = getUnsigned(a.next());
      if (v === null) illegal('gap');
      opt.gap = v;
    } else if (matches(t, 'duplicate')) {
      opt.duplicate = percentArg(a.next(), 'duplicate');
      if (nextIsNumber()) cor.dup_corr = percentArg(a.next(), 'duplicate');
    } else if (matches(t, 'distribution')) {
      dist = readDistribution(a.next());
    } else if (matches(t, 'rate')) {
      presentRate = true;
      const v = a.next();
      let r: bigint | null;
      if (v.includes('%')) {
        const pr = percentRate(v, env);
        r = pr === null ? null : BigInt(pr);
      } else r = getRate64(v);
      if (r === null) illegal('rate');
      rate64 = r;
      if (nextIsSigned()) {
        const x = getInteger(a.next());
        if (x === null) illegal('rate');
        rate.packet_overhead = x;
      }
      if (nextIsNumber()) {
        const x = getUnsigned(a.next());
        if (x === null) illegal('rate');
        rate.cell_size = x;
      }
      if (nextIsSigned()) {
        const x = getInteger(a.next());
        if (x === null) illegal('rate');
        rate.cell_overhead = x;
      }
    } else if (matches(t, 'slot')) {
      if (nextIsNumber()) {
        presentSlot = true;
        const mn = getTime64(a.next());
        if (mn === null) illegal('slot min_delay');
        slot.min_delay = mn;
        if (nextIsNumber()) {
          const mx = getTime64(a.next());
          if (mx === null || mx < mn) illegal('slot max_delay');
          slot.max_delay = mx;
        } else slot.max_delay = mn;
      } else {
        const w = a.next();
        if (w !== 'distribution') fail(`Unknown slot parameter: ${w}`);
        presentSlot = true;
        slotDist = readDistribution(a.next());
        const d = getTime64(a.next());
        if (d === null) illegal('slot delay');
        slot.dist_delay = d;
        const j = getTime64(a.next());
        if (j === null) illegal('slot jitter');
        slot.dist_jitter = j;
        if (j <= 0n) fail('Non-positive jitter');
      }
      if (a.peek() !== undefined && matches(a.peek()!, 'packets')) {
        a.next();
        const v = a.peek();
        const n = v === undefined ? null : getInteger(v);
        if (n === null) illegal('slot packets');
        slot.max_packets = n;
        a.next();
      }
      if (a.peek() !== undefined && matches(a.peek()!, 'bytes')) {
        a.next();
        const v = a.peek();
        const n = v === undefined ? null : getSize(v);
        if (n === null) illegal('slot bytes');
        slot.max_bytes = n | 0;
        a.next();
      }
    } else {
      fail(t === 'help' ? NETEM_USAGE.slice(0, -1) : `What is "${t}"?\n${NETEM_USAGE.slice(0, -1)}`);
    }
  }
  if (reorder.probability) {
    if (opt.latency === 0) usageFail('reordering not possible without specifying some delay');
    if (opt.gap === 0) opt.gap = 1;
  } else if (opt.gap > 0) usageFail('gap specified without reorder probability');
  if (presentEcn && opt.loss <= 0 && lossType === 0) usageFail('ecn requested without loss model');
  if (dist && (opt.latency === 0 || opt.jitter === 0)) usageFail('distribution specified but no latency and jitter values');

  const at: Infer<typeof netemAttrs> = {};
  if (presentCorr) at.corr = cor;
  if (presentReorder) at.reorder = reorder;
  if (presentEcn) at.ecn = 1;
  if (presentCorrupt) at.corrupt = corrupt;
  if (presentSlot) at.slot = slot;
  if (lossType === NETEM_LOSS.GI) at.loss = { state: gi };
  else if (lossType === NETEM_LOSS.GE) at.loss = { gemodel: ge };
  if (presentRate) {
    if (rate64 >= 1n << 32n) { at.rate64 = rate64; rate.rate = UINT32_MAX; } else rate.rate = Number(rate64);
    at.rate = rate;
  }
  if (dist) at.delay_dist = dist;
  if (slotDist) at.slot_dist = slotDist;
  return { header: opt, attrs: at };
}

function printPercent(p: Printer, key: string, fmtFp: string, per: number): void {
  p.float(FP, null, fmtFp + ' %g%%', (100 * per) / UINT32_MAX);
  p.float(JSON_ONLY, key, '', per / UINT32_MAX);
}
function printCorr(p: Printer, present: boolean, value: number): void {
  if (!p.inJson) {
    if (present) printPercent(p, '', '', value);
  } else printPercent(p, 'correlation', ' correlation', value);
}
function printTime64(p: Printer, key: string, fmtFp: string, ns: bigint): void {
  fp(p, fmtFp + ' %s', sprintTime64(ns));
  p.float(JSON_ONLY, key, '', Number(ns) / 1e9);
}
function printIntOpt(p: Printer, key: string, v: number): void {
  p.int(JSON_ONLY, key, '', v);
  if (v !== 0) p.int(FP, null, ` ${key} %d`, v);
}

/** Print netem options (q_netem.c netem_print_opt). */
export function printNetem(p: Printer, o: NetemOptions, env: TcEnv): void {
  const q = o.header;
  const at = o.attrs;
  const cor = at.corr;
  p.uint(ANY, 'limit', 'limit %d', q.limit);
  if (q.latency) {
    p.openObject('delay');
    if (!p.inJson) {
      fp(p, ' delay %s', sprintTime(tick2time(q.latency)));
      if (q.jitter) fp(p, '  %s', sprintTime(tick2time(q.jitter)));
    } else {
      p.float(JSON_ONLY, 'delay', '', tick2time(q.latency) / 1e6);
      p.float(JSON_ONLY, 'jitter', '', tick2time(q.jitter) / 1e6);
    }
    printCorr(p, !!(q.jitter && cor && cor.delay_corr), cor ? cor.delay_corr : 0);
    p.closeObject();
  }
  if (q.loss) {
    p.openObject('loss-random');
    printPercent(p, 'loss', ' loss', q.loss);
    printCorr(p, !!(cor && cor.loss_corr), cor ? cor.loss_corr : 0);
    p.closeObject();
  }
  const gi = at.loss?.state;
  if (gi) {
    p.openObject('loss-state');
    printPercent(p, 'p13', ' loss state p13', gi.p13);
    printPercent(p, 'p31', ' p31', gi.p31);
    printPercent(p, 'p32', ' p32', gi.p32);
    printPercent(p, 'p23', ' p23', gi.p23);
    printPercent(p, 'p14', ' p14', gi.p14);
    p.closeObject();
  }
  const ge = at.loss?.gemodel;
  if (ge) {
    p.openObject('loss-gemodel');
    printPercent(p, 'p', ' loss gemodel p', ge.p);
    printPercent(p, 'r', ' r', ge.r);
    printPercent(p, '1-h', ' 1-h', (UINT32_MAX - ge.h) >>> 0);
    printPercent(p, '1-k', ' 1-k', ge.k1);
    p.closeObject();
  }
  if (q.duplicate) {
    p.openObject('duplicate');
    printPercent(p, 'duplicate', ' duplicate', q.duplicate);
    printCorr(p, !!(cor && cor.dup_corr), cor ? cor.dup_corr : 0);
    p.closeObject();
  }
  for (const [key, v] of [['reorder', at.reorder], ['corrupt', at.corrupt]] as const) {
    if (v && v.probability) {
      p.openObject(key);
      printPercent(p, key, ` ${key}`, v.probability);
      printCorr(p, !!v.correlation, v.correlation);
      p.closeObject();
    }
  }
  const rate = at.rate;
  if (rate && rate.rate) {
    p.openObject('rate');
    printRate(p, env, ANY, 'rate', ' rate %s', at.rate64 || BigInt(rate.rate));
    printIntOpt(p, 'packetoverhead', rate.packet_overhead);
    p.uint(JSON_ONLY, 'cellsize', '', rate.cell_size);
    if (rate.cell_size) p.uint(FP, null, ' cellsize %u', rate.cell_size);
    printIntOpt(p, 'celloverhead', rate.cell_overhead);
    p.closeObject();
  }
  const slot = at.slot;
  if (slot) {
    p.openObject('slot');
    if (slot.dist_jitter > 0n) {
      printTime64(p, 'distribution', ' slot distribution', slot.dist_delay);
      printTime64(p, 'jitter', '', slot.dist_jitter);
    } else {
      printTime64(p, 'min-delay', ' slot', slot.min_delay);
      printTime64(p, 'max-delay', '', slot.max_delay);
    }
    printIntOpt(p, 'packets', slot.max_packets);
    printIntOpt(p, 'bytes', slot.max_bytes);
    p.closeObject();
  }
  const ecn = at.ecn !== undefined;
  p.bool(JSON_ONLY, 'ecn', '', ecn);
  if (ecn) p.bool(FP, null, ' ecn ', ecn);
  p.u64(JSON_ONLY, 'gap', '', q.gap);
  if (q.gap) p.u64(FP, null, ' gap %lu', q.gap);
}

/** The netem kind module. */
export const netemKind: QdiscKind<NetemOptions> = {
  kind: 'netem',
  options: netemOptions,
  alwaysSendOptions: true,
  usage: NETEM_USAGE,
  parse: parseNetem,
  print: printNetem,
};

registerQdiscKind(netemKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    netem: NetemOptions;
  }
}
