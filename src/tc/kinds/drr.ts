/**
 * drr (Deficit Round Robin): no qdisc options; class option TCA_DRR_QUANTUM;
 * class xstats struct tc_drr_stats. Grammar and printing as iproute2's tc/q_drr.c.
 * @module
 */
import { attrs, attr, struct, u32, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import { FP, Tokens, fail, usage, whatIs, getSize, printSize } from './util.js';

/** TCA_DRR_* class attributes. */
export const TCA_DRR = constants('TCA_DRR_', ['linux/pkt_sched.h'], { QUANTUM: 1 });

/** Class TCA_OPTIONS of drr. */
export const drrClassOptions = attrs('TCA_DRR', { quantum: attr(TCA_DRR.QUANTUM, u32) });
/** Decoded drr class options. */
export type DrrClassOptions = Infer<typeof drrClassOptions>;
/** struct tc_drr_stats (class xstats). */
export const drrXstats = struct('tc_drr_stats', { deficit: u32 });
/** Decoded drr class xstats. */
export type DrrXstats = Infer<typeof drrXstats>;

/** `tc qdisc add … drr help`. */
export const DRR_USAGE = 'Usage: ... drr\n';
/** `tc class add … drr help`. */
export const DRR_CLASS_USAGE = 'Usage: ... drr quantum SIZE\n';

/** tc(8) drr class grammar. The options nest is always sent (possibly empty). */
export function parseDrrClass(argv: readonly string[]): DrrClassOptions {
  const a = new Tokens(argv);
  const o: DrrClassOptions = {};
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (t === 'quantum') {
      const v = getSize(a.next());
      if (v === null) fail('Illegal "quantum"');
      o.quantum = v;
    } else if (t === 'help') fail(usage(DRR_CLASS_USAGE));
    else whatIs(t, DRR_CLASS_USAGE);
  }
  return o;
}

function printDrr(p: Printer, o: DrrClassOptions): void {
  // Text only in iproute2 6.1 (print_size with PRINT_FP).
  if (o.quantum !== undefined) printSize(p, FP, null, 'quantum %s ', o.quantum);
}

/** The drr kind module. */
export const drrKind: QdiscKind<Record<string, never>, DrrClassOptions> = {
  kind: 'drr',
  usage: DRR_USAGE,
  parse(tokens) {
    const a = new Tokens(tokens);
    if (a.argc) {
      if (a.cur === 'help') fail(usage(DRR_USAGE));
      whatIs(a.cur, DRR_USAGE);
    }
    return undefined;
  },
  classOptions: drrClassOptions,
  classUsage: DRR_CLASS_USAGE,
  parseClass: (tokens) => parseDrrClass(tokens),
  printClass: printDrr,
  classXstats: drrXstats,
  printClassXstats: (p, x) => printSize(p, FP, null, ' deficit %s ', (x as DrrXstats).deficit),
};

registerQdiscKind(drrKind);

declare module '../kind.js' {
  interface ClassOptionsMap {
    drr: DrrClassOptions;
  }
}
