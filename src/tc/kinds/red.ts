/**
 * red (Random Early Detection): TCA_RED_* options (struct tc_red_qopt,
 * idle-damping table, max_P, flags bitfield, qevent blocks), tc(8) grammar
 * and printing as iproute2's tc/q_red.c, and struct tc_red_xstats.
 * @module
 */
import { attrs, attr, struct, u8, u32, fixedBytes, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind, type TcEnv } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import { bitfield32 } from '../schema.js';
import {
  ANY, FP, JSON_ONLY, Tokens, fail, usage, whatIs, matches, getSize, getUnsigned, getRate, percentRate, printSize, printRedFlags,
  redEvalEwma, redEvalIdleDamping, redEvalP, scanDouble, toU32,
} from './util.js';

const H = ['linux/pkt_sched.h'];
/** TCA_RED_* attributes. */
export const TCA_RED = constants('TCA_RED_', H, { PARMS: 1, STAB: 2, MAX_P: 3, FLAGS: 4, EARLY_DROP_BLOCK: 5, MARK_BLOCK: 6 });
/** TC_RED_* flag bits (struct tc_red_qopt.flags and TCA_RED_FLAGS). */
export const TC_RED = constants('TC_RED_', H, { ECN: 1, HARDDROP: 2, ADAPTATIVE: 4, NODROP: 8 });

/** struct tc_red_qopt. */
export const redQopt = struct('tc_red_qopt', {
  limit: u32, qth_min: u32, qth_max: u32, Wlog: u8, Plog: u8, Scell_log: u8, flags: u8,
});

/** The TCA_OPTIONS payload of red. */
export const redOptions = attrs('TCA_RED', {
  parms: attr(TCA_RED.PARMS, redQopt),
  stab: attr(TCA_RED.STAB, fixedBytes(256)),
  max_P: attr(TCA_RED.MAX_P, u32),
  flags: attr(TCA_RED.FLAGS, bitfield32),
  early_drop_block: attr(TCA_RED.EARLY_DROP_BLOCK, u32),
  mark_block: attr(TCA_RED.MARK_BLOCK, u32),
});
/** Decoded red options. */
export type RedOptions = Infer<typeof redOptions>;

/** struct tc_red_xstats. */
export const redXstats = struct('tc_red_xstats', { early: u32, pdrop: u32, other: u32, marked: u32 });
/** Decoded red xstats. */
export type RedXstats = Infer<typeof redXstats>;

/** `tc qdisc add … red help`. */
export const RED_USAGE = `Usage: ... red	limit BYTES [min BYTES] [max BYTES] avpkt BYTES [burst PACKETS]
		[adaptive] [probability PROBABILITY] [bandwidth KBPS]
		[ecn] [harddrop] [nodrop]
		[qevent early_drop block IDX] [qevent mark block IDX]
`;

const SUPPORTED_FLAGS = TC_RED.ECN | TC_RED.HARDDROP | TC_RED.ADAPTATIVE | TC_RED.NODROP;

/** tc(8) red grammar (q_red.c). */
export function parseRed(argv: readonly string[], env: TcEnv): RedOptions {
  const a = new Tokens(argv);
  const q = { limit: 0, qth_min: 0, qth_max: 0, Wlog: 0, Plog: 0, Scell_log: 0, flags: 0 };
  let flags = 0, burst = 0, avpkt = 0, probability = 0.02, rate = 0;
  let earlyDrop: number | undefined, mark: number | undefined;
  const size = (what: string): number => {
    const v = getSize(a.next());
    if (v === null) fail(`Illegal "${what}"`);
    return v;
  };
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (t === 'limit') q.limit = size('limit');
    else if (t === 'min') q.qth_min = size('min');
    else if (t === 'max') q.qth_max = size('max');
    else if (t === 'burst') {
      const v = getUnsigned(a.next());
      if (v === null) fail('Illegal "burst"');
      burst = v;
    } else if (t === 'avpkt') avpkt = size('avpkt');
    else if (t === 'probability') {
      const v = scanDouble(a.next());
      if (v === null) fail('Illegal "probability"');
      probability = v;
    } else if (t === 'bandwidth') {
      const s = a.next();
      const v = s.includes('%') ? percentRate(s, env) : getRate(s);
      if (v === null) fail('Illegal "bandwidth"');
      rate = v;
    } else if (t === 'ecn') flags |= TC_RED.ECN;
    else if (t === 'harddrop') flags |= TC_RED.HARDDROP;
    else if (t === 'nodrop') flags |= TC_RED.NODROP;
    else if (t === 'adaptative' || t === 'adaptive') flags |= TC_RED.ADAPTATIVE;
    else if (matches(t, 'qevent')) {
      const name = a.next();
      if (name !== 'early_drop' && name !== 'mark') fail(`Unknown qevent \`${name}'`);
      const kw = a.next();
      if (kw !== 'block') fail(`Unknown qevent parameter \`${kw}'`);
      const v = getUnsigned(a.next(), 10);
      if (v === null || !v) fail('Illegal qevent block index');
      if ((name === 'early_drop' ? earlyDrop : mark) !== undefined) fail('Qevent block index already specified');
      if (name === 'early_drop') earlyDrop = v; else mark = v;
    } else if (t === 'help') fail(usage(RED_USAGE));
    else whatIs(t, RED_USAGE);
  }
  if (!q.limit || !avpkt) fail('RED: Required parameter (limit, avpkt) is missing');
  if (!q.qth_max) q.qth_max = q.qth_min ? q.qth_min * 3 : Math.floor(q.limit / 4);
  if (!q.qth_min) q.qth_min = Math.floor(q.qth_max / 3);
  if (!burst) burst = Math.floor((2 * q.qth_min + q.qth_max) / (3 * avpkt));
  if (!rate) {
    rate = getRate('10Mbit')!;
    env.warn?.('RED: set bandwidth to 10Mbit');
  }
  const e = redEvalEwma(q.qth_min, burst, avpkt);
  if (e.wlog < 0) fail(`${e.hint ? e.hint + '\n' : ''}RED: failed to calculate EWMA constant.`);
  q.Wlog = e.wlog;
  if (e.wlog >= 10) env.warn?.(`RED: WARNING. Burst ${burst} seems to be too large.`);
  const pl = redEvalP(q.qth_min, q.qth_max, probability);
  if (pl < 0) fail('RED: failed to calculate probability.');
  q.Plog = pl;
  const d = redEvalIdleDamping(q.Wlog, avpkt, rate);
  if (d.clog < 0) fail('RED: failed to calculate idle damping table.');
  q.Scell_log = d.clog;
  const o: RedOptions = {
    parms: q, stab: d.stab, max_P: toU32(probability * 2 ** 32), flags: { value: flags, selector: SUPPORTED_FLAGS },
  };
  if (earlyDrop !== undefined) o.early_drop_block = earlyDrop;
  if (mark !== undefined) o.mark_block = mark;
  return o;
}

/** Print red options (q_red.c red_print_opt). */
export function printRed(p: Printer, o: RedOptions, env: TcEnv): void {
  const q = o.parms;
  if (!q) return;
  const flags = o.flags ? o.flags.value & 0xff : q.flags;
  printSize(p, ANY, 'limit', 'limit %s ', q.limit);
  printSize(p, ANY, 'min', 'min %s ', q.qth_min);
  printSize(p, ANY, 'max', 'max %s ', q.qth_max);
  printRedFlags(p, o.flags ? o.flags.value : flags);
  if (env.details) {
    p.uint(ANY, 'ewma', 'ewma %u ', q.Wlog);
    if (o.max_P) p.float(ANY, 'probability', 'probability %lg ', o.max_P / 2 ** 32);
    else p.uint(ANY, 'Plog', 'Plog %u ', q.Plog);
    p.uint(ANY, 'Scell_log', 'Scell_log %u', q.Scell_log);
  }
  // tc_qevent.c qevents_print: a JSON array "qevents" of { kind, block }.
  let first = true;
  for (const [id, block] of [['early_drop', o.early_drop_block], ['mark', o.mark_block]] as const) {
    if (!block) continue;
    if (first) { p.openArray(JSON_ONLY, 'qevents'); first = false; }
    p.openObject();
    p.string(ANY, 'kind', 'qevent %s', id);
    p.uint(ANY, 'block', ' block %u', block);
    p.string(FP, null, '%s', ' ');
    p.closeObject();
  }
  if (!first) p.closeArray(ANY, '');
}

/** Print red xstats (q_red.c red_print_xstats). */
export function printRedXstats(p: Printer, st: RedXstats): void {
  p.uint(ANY, 'marked', '  marked %u ', st.marked);
  p.uint(ANY, 'early', 'early %u ', st.early);
  p.uint(ANY, 'pdrop', 'pdrop %u ', st.pdrop);
  p.uint(ANY, 'other', 'other %u ', st.other);
}

/** The red kind module. */
export const redKind: QdiscKind<RedOptions> = {
  kind: 'red',
  options: redOptions,
  xstats: redXstats,
  usage: RED_USAGE,
  parse: parseRed,
  print: printRed,
  printXstats: (p, x) => printRedXstats(p, x as RedXstats),
};

registerQdiscKind(redKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    red: RedOptions;
  }
}
