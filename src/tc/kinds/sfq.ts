/**
 * sfq (Stochastic Fairness Queueing, optionally with RED per flow): struct
 * tc_sfq_qopt_v1, tc(8) grammar and printing as iproute2's tc/q_sfq.c,
 * and struct tc_sfq_xstats.
 * @module
 */
import { struct, u8, u32, s32, type Infer } from '../../netlink/codec/schema.js';
import { registerQdiscKind, type QdiscKind, type TcEnv } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import {
  ANY, Tokens, fail, usage, whatIs, getSize, getInteger, getUnsigned, printSize, printRedFlags, redEvalEwma, redEvalP,
  scanDouble, toU32,
} from './util.js';
import { TC_RED } from './red.js';

/** struct tc_sfq_qopt_v1 (v0 fields first; the kernel may send only v0). */
export const sfqOptions = struct('tc_sfq_qopt_v1', {
  quantum: u32, perturb_period: s32, limit: u32, divisor: u32, flows: u32,
  depth: u32, headdrop: u32,
  redflowlimit: u32, qth_min: u32, qth_max: u32, Wlog: u8, Plog: u8, Scell_log: u8, flags: u8, max_P: u32,
  prob_drop: u32, forced_drop: u32, prob_mark: u32, forced_mark: u32, prob_mark_head: u32, forced_mark_head: u32,
});
/** Decoded sfq options. */
export type SfqOptions = Infer<typeof sfqOptions>;

/** struct tc_sfq_xstats. */
export const sfqXstats = struct('tc_sfq_xstats', { allot: s32 });
/** Decoded sfq xstats. */
export type SfqXstats = Infer<typeof sfqXstats>;

/** `tc qdisc add … sfq help`. */
export const SFQ_USAGE = `Usage: ... sfq	[ limit NUMBER ] [ perturb SECS ] [ quantum BYTES ]
		[ divisor NUMBER ] [ flows NUMBER] [ depth NUMBER ]
		[ headdrop ]
		[ redflowlimit BYTES ] [ min BYTES ] [ max BYTES ]
		[ avpkt BYTES ] [ burst PACKETS ] [ probability P ]
		[ ecn ] [ harddrop ]
`;

/** tc(8) sfq grammar (q_sfq.c). Undefined when no option was given (iproute2 then sends no TCA_OPTIONS). */
export function parseSfq(argv: readonly string[], env?: TcEnv): SfqOptions | undefined {
  const a = new Tokens(argv);
  const o: SfqOptions = { ...sfqOptions.zero };
  let ok = 0, red = 0, burst = 0, avpkt = 1000, probability = 0.02;
  const u32arg = (what: string): number => {
    const v = getUnsigned(a.next());
    if (v === null) fail(`Illegal "${what}"`);
    return v;
  };
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (t === 'quantum') {
      const v = getSize(a.next());
      if (v === null) fail('Illegal "limit"');
      o.quantum = v; ok++;
    } else if (t === 'perturb') {
      const v = getInteger(a.next());
      if (v === null) fail('Illegal "perturb"');
      o.perturb_period = v; ok++;
    } else if (t === 'limit') {
      o.limit = u32arg('limit');
      if (o.limit < 2) fail('Illegal "limit", must be > 1');
      ok++;
    } else if (t === 'divisor') { o.divisor = u32arg('divisor'); ok++; }
    else if (t === 'flows') { o.flows = u32arg('flows'); ok++; }
    else if (t === 'depth') { o.depth = u32arg('flows'); ok++; }
    else if (t === 'headdrop') { o.headdrop = 1; ok++; }
    else if (t === 'redflowlimit') { o.redflowlimit = u32arg('redflowlimit'); red++; }
    else if (t === 'min') { o.qth_min = u32arg('min'); red++; }
    else if (t === 'max') { o.qth_max = u32arg('max'); red++; }
    else if (t === 'burst') { burst = u32arg('burst'); red++; }
    else if (t === 'avpkt') {
      const v = getSize(a.next());
      if (v === null) fail('Illegal "avpkt"');
      avpkt = v; red++;
    } else if (t === 'probability') {
      const v = scanDouble(a.next());
      if (v === null) fail('Illegal "probability"');
      probability = v; red++;
    } else if (t === 'ecn') { o.flags |= TC_RED.ECN; red++; }
    else if (t === 'harddrop') { o.flags |= TC_RED.HARDDROP; red++; }
    else if (t === 'help') fail(usage(SFQ_USAGE));
    else whatIs(t, SFQ_USAGE);
  }
  if (red) {
    if (!o.redflowlimit) fail('Required parameter (redflowlimit) is missing');
    // Default thresholds after Sally Floyd's recommendations, as iproute2.
    if (!o.qth_max) o.qth_max = Math.floor(o.redflowlimit / 4);
    if (!o.qth_min) o.qth_min = Math.floor(o.qth_max / 3);
    if (!burst) burst = Math.floor((2 * o.qth_min + o.qth_max) / (3 * avpkt));
    if (o.qth_max > o.redflowlimit) fail('"max" is larger than "limit"');
    if (o.qth_min >= o.qth_max) fail('"min" is not smaller than "max"');
    const e = redEvalEwma(o.qth_min, burst, avpkt);
    if (e.wlog < 0) fail(`${e.hint ? e.hint + '\n' : ''}SFQ: failed to calculate EWMA constant.`);
    o.Wlog = e.wlog;
    if (e.wlog >= 10) env?.warn?.(`SFQ: WARNING. Burst ${burst} seems to be too large.`);
    const pl = redEvalP(o.qth_min, o.qth_max, probability);
    if (pl < 0) fail('SFQ: failed to calculate probability.');
    o.Plog = pl;
    o.max_P = toU32(probability * 2 ** 32);
  }
  return ok || red ? o : undefined;
}

/** Print sfq options (q_sfq.c sfq_print_opt). */
export function printSfq(p: Printer, o: SfqOptions, env: TcEnv): void {
  p.uint(ANY, 'limit', 'limit %up ', o.limit);
  printSize(p, ANY, 'quantum', 'quantum %s ', o.quantum);
  if (o.depth) p.uint(ANY, 'depth', 'depth %u ', o.depth);
  if (o.headdrop) p.bool(ANY, 'headdrop', 'headdrop ', true);
  if (env.details) p.uint(ANY, 'flows', 'flows %u ', o.flows);
  p.uint(ANY, 'divisor', 'divisor %u ', o.divisor);
  if (o.perturb_period) p.int(ANY, 'perturb', 'perturb %dsec ', o.perturb_period);
  if (o.qth_min) {
    p.uint(ANY, 'ewma', 'ewma %u ', o.Wlog);
    printSize(p, ANY, 'min', 'min %s ', o.qth_min);
    printSize(p, ANY, 'max', 'max %s ', o.qth_max);
    p.float(ANY, 'probability', 'probability %lg ', o.max_P / 2 ** 32);
    printRedFlags(p, o.flags);
    if (env.stats) {
      p.nl();
      p.uint(ANY, 'prob_mark', '  prob_mark %u', o.prob_mark);
      p.uint(ANY, 'prob_mark_head', ' prob_mark_head %u', o.prob_mark_head);
      p.uint(ANY, 'prob_drop', ' prob_drop %u', o.prob_drop);
      p.nl();
      p.uint(ANY, 'forced_mark', '  forced_mark %u', o.forced_mark);
      p.uint(ANY, 'forced_mark_head', ' forced_mark_head %u', o.forced_mark_head);
      p.uint(ANY, 'forced_drop', ' forced_drop %u', o.forced_drop);
    }
  }
}

/** The sfq kind module. */
export const sfqKind: QdiscKind<SfqOptions> = {
  kind: 'sfq',
  options: sfqOptions,
  xstats: sfqXstats,
  usage: SFQ_USAGE,
  parse: (tokens, env) => parseSfq(tokens, env),
  print: printSfq,
  printXstats: (p, x) => p.int(ANY, 'allot', '  allot %d', (x as SfqXstats).allot),
  classXstats: sfqXstats,
  printClassXstats: (p, x) => p.int(ANY, 'allot', '  allot %d', (x as SfqXstats).allot),
};

registerQdiscKind(sfqKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    sfq: SfqOptions;
  }
}
