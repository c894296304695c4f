/**
 * prio (priority bands): struct tc_prio_qopt + nested TCA_PRIO_MQ in
 * iproute2's "compat nest" layout, tc(8) grammar and printing as
 * iproute2's tc/q_prio.c.
 * @module
 */
import { attrs, attr, struct, s32, u8, flag, type Infer } from '../../netlink/codec/schema.js';
import { registerQdiscKind, type QdiscKind } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import { ANY, FP, JSON_ONLY, Tokens, fail, usage, whatIs, getInteger, getUnsigned, fixedArray, compatNest, fp } from './util.js';

/**
 * TCA_PRIO_* attributes (inside the compat nest). Not from constants():
 * the installed UAPI pkt_sched.h no longer declares this enum (the kernel
 * still parses TCA_PRIO_MQ = 1), so the header check could not verify it.
 */
export const TCA_PRIO = { MQ: 1 } as const;
/** TC_PRIO_MAX: the highest skb priority mapped by a priomap. */
export const TC_PRIO_MAX = 15;

/** struct tc_prio_qopt. */
export const prioQopt = struct('tc_prio_qopt', { bands: s32, priomap: fixedArray(u8, TC_PRIO_MAX + 1) });
/** Attributes after the struct. TCA_PRIO_MQ is sent empty by iproute2 and read back as a u8 by the kernel's dump. */
export const prioAttrs = attrs('TCA_PRIO', { multiqueue: attr(TCA_PRIO.MQ, flag) });
/** The TCA_OPTIONS payload of prio. */
export const prioOptions = compatNest('tc_prio', prioQopt, 2, prioAttrs);
/** Decoded prio options. */
export type PrioOptions = Infer<typeof prioOptions>;

/** `tc qdisc add … prio help`. */
export const PRIO_USAGE = 'Usage: ... prio bands NUMBER priomap P1 P2...[multiqueue]\n';

/** tc(8) prio grammar (q_prio.c). */
export function parsePrio(argv: readonly string[]): PrioOptions {
  const a = new Tokens(argv);
  const q = { bands: 3, priomap: [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1] };
  let pmap = false, idx = 0, mq = false;
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (t === 'bands') {
      const v = getInteger(a.next(), 10);
      if (v === null) fail('Illegal "bands"');
      q.bands = v;
    } else if (t === 'priomap') {
      if (pmap) fail('Error: duplicate priomap');
      pmap = true;
    } else if (t === 'multiqueue') mq = true;
    else if (t === 'help') fail(usage(PRIO_USAGE));
    else {
      if (!pmap) whatIs(t, PRIO_USAGE);
      const band = getUnsigned(t, 10);
      if (band === null) fail('Illegal "priomap" element');
      if (band >= q.bands) fail('"priomap" element is out of bands');
      if (idx > TC_PRIO_MAX) fail(`"priomap" index > TC_PRIO_MAX=${TC_PRIO_MAX}`);
      q.priomap[idx++] = band;
    }
  }
  return { header: q, attrs: mq ? { multiqueue: true } : {} };
}

/** Print prio options (q_prio.c prio_print_opt; also pfifo_fast's printer). */
export function printPrio(p: Printer, o: PrioOptions, mqRaw?: number): void {
  p.uint(ANY, 'bands', 'bands %u ', o.header.bands >>> 0);
  p.openArray(ANY, 'priomap');
  for (let i = 0; i <= TC_PRIO_MAX; i++) p.uint(ANY, null, ' %d', o.header.priomap[i] ?? 0);
  p.closeArray(ANY, '');
  const present = o.attrs.multiqueue !== undefined;
  const on = present && (mqRaw ?? 1) !== 0;
  if (present) fp(p, ' multiqueue: %s ', on ? 'on' : 'off');
  p.bool(JSON_ONLY, 'multiqueue', '', on);
  void FP;
}

/** The prio kind module. */
export const prioKind: QdiscKind<PrioOptions> = {
  kind: 'prio',
  options: prioOptions,
  alwaysSendOptions: true,
  usage: PRIO_USAGE,
  parse: (tokens) => parsePrio(tokens),
  print: (p, o) => printPrio(p, o),
};

registerQdiscKind(prioKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    prio: PrioOptions;
  }
}
