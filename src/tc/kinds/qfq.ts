/**
 * qfq (Quick Fair Queueing): no qdisc options; class options
 * TCA_QFQ_WEIGHT/TCA_QFQ_LMAX; class xstats struct tc_qfq_stats. Grammar
 * and printing as iproute2's tc/q_qfq.c.
 * @module
 */
import { attrs, attr, struct, u32, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import { sprintf } from '../../output/printf.js';
import { Tokens, fail, usage, whatIs, matches, getUnsigned } from './util.js';

/** TCA_QFQ_* class attributes. */
export const TCA_QFQ = constants('TCA_QFQ_', ['linux/pkt_sched.h'], { WEIGHT: 1, LMAX: 2 });

/** Class TCA_OPTIONS of qfq. */
export const qfqClassOptions = attrs('TCA_QFQ', { weight: attr(TCA_QFQ.WEIGHT, u32), maxpkt: attr(TCA_QFQ.LMAX, u32) });
/** Decoded qfq class options. */
export type QfqClassOptions = Infer<typeof qfqClassOptions>;
/** struct tc_qfq_stats (class xstats). */
export const qfqXstats = struct('tc_qfq_stats', { weight: u32, lmax: u32 });

/** `tc qdisc add … qfq help`. */
export const QFQ_USAGE = 'Usage: ... qfq\n';
/** `tc class add … qfq help`. */
export const QFQ_CLASS_USAGE = 'Usage: ... qfq weight NUMBER maxpkt BYTES\n';

/** tc(8) qfq class grammar (the options nest is always sent). */
export function parseQfqClass(argv: readonly string[]): QfqClassOptions {
  const a = new Tokens(argv);
  const o: QfqClassOptions = {};
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (matches(t, 'weight') || matches(t, 'maxpkt')) {
      const key = matches(t, 'weight') ? 'weight' : 'maxpkt';
      const v = getUnsigned(a.next(), 10);
      if (v === null) fail(`Illegal "${key}"`);
      o[key] = v;
    } else if (t === 'help') fail(usage(QFQ_CLASS_USAGE));
    else whatIs(t, QFQ_CLASS_USAGE);
  }
  return o;
}

function printQfq(p: Printer, o: QfqClassOptions): void {
  // fprintf in iproute2: text only.
  if (o.weight !== undefined) p.rawText(sprintf('weight %u ', o.weight));
  if (o.maxpkt !== undefined) p.rawText(sprintf('maxpkt %u ', o.maxpkt));
}

/** The qfq kind module. */
export const qfqKind: QdiscKind<QfqClassOptions, QfqClassOptions> = {
  kind: 'qfq',
  usage: QFQ_USAGE,
  parse(tokens) {
    if (tokens.length) fail(matches(tokens[0]!, 'help') ? usage(QFQ_USAGE) : `What is "${tokens[0]!}"?\n${usage(QFQ_USAGE)}`);
    return undefined;
  },
  options: qfqClassOptions,
  print: printQfq,
  classOptions: qfqClassOptions,
  classUsage: QFQ_CLASS_USAGE,
  parseClass: (tokens) => parseQfqClass(tokens),
  printClass: printQfq,
  classXstats: qfqXstats,
};

registerQdiscKind(qfqKind);

declare module '../kind.js' {
  interface ClassOptionsMap {
    qfq: QfqClassOptions;
  }
}
