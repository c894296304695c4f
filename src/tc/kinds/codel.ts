/**
 * codel (Controlled Delay AQM): TCA_CODEL_* options, tc(8) grammar and
 * printing as iproute2's tc/q_codel.c, and struct tc_codel_xstats.
 * @module
 */
import { attrs, attr, struct, u32, s32, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import { ANY, JSON_ONLY, Tokens, fail, usage, whatIs, getUnsigned, getTime, sprintTime, fp } from './util.js';

/** TCA_CODEL_* option attributes. */
export const TCA_CODEL = constants('TCA_CODEL_', ['linux/pkt_sched.h'], {
  TARGET: 1, LIMIT: 2, INTERVAL: 3, ECN: 4, CE_THRESHOLD: 5,
});

/** The TCA_OPTIONS payload of codel. Times are microseconds. */
export const codelOptions = attrs('TCA_CODEL', {
  limit: attr(TCA_CODEL.LIMIT, u32),
  interval: attr(TCA_CODEL.INTERVAL, u32),
  target: attr(TCA_CODEL.TARGET, u32),
  ecn: attr(TCA_CODEL.ECN, u32),
  ce_threshold: attr(TCA_CODEL.CE_THRESHOLD, u32),
});
/** Decoded codel options. */
export type CodelOptions = Infer<typeof codelOptions>;

/** struct tc_codel_xstats. */
export const codelXstats = struct('tc_codel_xstats', {
  maxpacket: u32, count: u32, lastcount: u32, ldelay: u32, drop_next: s32,
  drop_overlimit: u32, ecn_mark: u32, dropping: u32, ce_mark: u32,
});
/** Decoded codel xstats. */
export type CodelXstats = Infer<typeof codelXstats>;

/** `tc qdisc add … codel help`. */
export const CODEL_USAGE = `Usage: ... codel [ limit PACKETS ] [ target TIME ]
		 [ interval TIME ] [ ecn | noecn ]
		 [ ce_threshold TIME ]
`;

/** tc(8) codel grammar (q_codel.c). */
export function parseCodel(argv: readonly string[]): CodelOptions {
  const a = new Tokens(argv);
  let limit = 0, target = 0, interval = 0, ce = 0xffffffff, ecn = -1;
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (t === 'limit') {
      const v = getUnsigned(a.next());
      if (v === null) fail('Illegal "limit"');
      limit = v;
    } else if (t === 'target' || t === 'ce_threshold' || t === 'interval') {
      const v = getTime(a.next());
      if (v === null) fail(`Illegal "${t}"`);
      if (t === 'target') target = v; else if (t === 'interval') interval = v; else ce = v;
    } else if (t === 'ecn') ecn = 1;
    else if (t === 'noecn') ecn = 0;
    else if (t === 'help') fail(usage(CODEL_USAGE));
    else whatIs(t, CODEL_USAGE);
  }
  const o: CodelOptions = {};
  if (limit) o.limit = limit;
  if (interval) o.interval = interval;
  if (target) o.target = target;
  if (ecn !== -1) o.ecn = ecn;
  if (ce !== 0xffffffff) o.ce_threshold = ce;
  return o;
}

/** A time printed as JSON number and text "KEY 5ms " (the codel family's pattern). */
export function printTimeField(p: Printer, key: string, usec: number): void {
  p.uint(JSON_ONLY, key, '', usec);
  fp(p, `${key} %s `, sprintTime(usec));
}

/** Print codel options (q_codel.c codel_print_opt). */
export function printCodel(p: Printer, o: CodelOptions): void {
  if (o.limit !== undefined) p.uint(ANY, 'limit', 'limit %up ', o.limit);
  if (o.target !== undefined) printTimeField(p, 'target', o.target);
  if (o.ce_threshold !== undefined) printTimeField(p, 'ce_threshold', o.ce_threshold);
  if (o.interval !== undefined) printTimeField(p, 'interval', o.interval);
  if (o.ecn) p.bool(ANY, 'ecn', 'ecn ', true);
}

/** Print codel xstats (q_codel.c codel_print_xstats). */
export function printCodelXstats(p: Printer, st: CodelXstats): void {
  p.uint(ANY, 'count', '  count %u', st.count);
  p.uint(ANY, 'lastcount', ' lastcount %u', st.lastcount);
  p.uint(JSON_ONLY, 'ldelay', '', st.ldelay);
  fp(p, ' ldelay %s', sprintTime(st.ldelay));
  if (st.dropping) p.bool(ANY, 'dropping', ' dropping', true);
  p.int(JSON_ONLY, 'drop_next', '', st.drop_next);
  if (st.drop_next < 0) fp(p, ' drop_next -%s', sprintTime(-st.drop_next));
  else fp(p, ' drop_next %s', sprintTime(st.drop_next));
  p.nl();
  p.uint(ANY, 'maxpacket', '  maxpacket %u', st.maxpacket);
  p.uint(ANY, 'ecn_mark', ' ecn_mark %u', st.ecn_mark);
  p.uint(ANY, 'drop_overlimit', ' drop_overlimit %u', st.drop_overlimit);
  if (st.ce_mark) p.uint(ANY, 'ce_mark', ' ce_mark %u', st.ce_mark);
}

/** The codel kind module. */
export const codelKind: QdiscKind<CodelOptions> = {
  kind: 'codel',
  options: codelOptions,
  alwaysSendOptions: true,
  xstats: codelXstats,
  usage: CODEL_USAGE,
  parse: (tokens) => parseCodel(tokens),
  print: (p, o) => printCodel(p, o),
  printXstats: (p, x) => printCodelXstats(p, x as CodelXstats),
};

registerQdiscKind(codelKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    codel: CodelOptions;
  }
}
