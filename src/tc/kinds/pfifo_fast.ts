/**
 * pfifo_fast: the kernel's default qdisc. It takes no options (tc says
 * "does not support option parsing"); its dump is a struct tc_prio_qopt,
 * printed like prio (tc/q_prio.c prio_print_opt: bands and priomap).
 * @module
 */
import { attrs, attr, struct, s32, u8, fixedBytes, type Codec, type Infer } from '../../netlink/codec/schema.js';
import { ParseError } from '../../netlink/codec/errors.js';
import { align4 } from '../../netlink/codec/writer.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../output/printer.js';
import { registerQdiscKind } from '../kind.js';

/**
 * TCA_PRIO_* (nested after struct tc_prio_qopt, "nested compat"). Not from
 * constants(): the UAPI headers no longer define it (the kernel still reads 1 as MQ).
 */
export const TCA_PRIO = { UNSPEC: 0, MQ: 1 } as const;

/** struct tc_prio_qopt */
export const prioQopt = struct('tc_prio_qopt', { bands: s32, priomap: fixedBytes(16) });

/** The attributes that may follow the struct. */
export const prioCompatAttrs = attrs('prio(compat)', { mq: attr(TCA_PRIO.MQ, u8) });

/** pfifo_fast/prio TCA_OPTIONS: the struct, then (optionally) attributes after it. */
export type PrioOptions = Infer<typeof prioQopt> & { readonly nested?: Infer<typeof prioCompatAttrs> };

/** Codec of a struct followed by nested attributes (addattr_nest_compat / parse_rtattr_nested_compat). */
export const prioOptions: Codec<PrioOptions> = {
  name: 'tc_prio_qopt+TCA_PRIO',
  encode(w, v, ctx) {
    prioQopt.encode(w, v, ctx);
    if (v.nested) {
      w.pad4();
      prioCompatAttrs.encode(w, v.nested, ctx);
    }
  },
  decode(buf, off, len, ctx) {
    if (len < prioQopt.size) throw new ParseError(`tc_prio_qopt needs ${prioQopt.size} bytes, got ${len}`, off);
    const base = prioQopt.decode(buf, off, len);
    const at = align4(prioQopt.size);
    if (len >= at + 4) return { ...base, nested: prioCompatAttrs.decode(buf, off + at, len - at, ctx) };
    return base;
  },
  arbitrary(rng, ctx) {
    const base = prioQopt.arbitrary(rng, ctx);
    // An empty nest encodes to nothing, so only generate one that carries MQ.
    return rng.bool() ? { ...base, nested: { mq: rng.int(256) } } : base;
  },
};

declare module '../kind.js' {
  interface QdiscOptionsMap { pfifo_fast: PrioOptions }
}

/** prio_print_opt() */
export function printPrio(p: Printer, o: PrioOptions): void {
  p.uint(ANY, 'bands', 'bands %u ', o.bands >>> 0);
  p.openArray(ANY, 'priomap');
  for (let i = 0; i < 16; i++) p.uint(ANY, null, ' %d', o.priomap[i] ?? 0);
  p.closeArray(ANY, '');
  const mq = o.nested?.mq;
  if (mq !== undefined) p.string(FP, null, ' multiqueue: %s ', mq ? 'on' : 'off');
  p.bool(JSON_ONLY, 'multiqueue', '', !!mq);
}

registerQdiscKind<PrioOptions>({
  kind: 'pfifo_fast',
  options: prioOptions,
  print: printPrio,
});
