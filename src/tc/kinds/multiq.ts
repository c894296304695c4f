/**
 * multiq (one band per hardware queue): struct tc_multiq_qopt, grammar and
 * printing as iproute2's tc/q_multiq.c.
 * @module
 */
import { struct, u16, type Infer } from '../../netlink/codec/schema.js';
import { sprintf } from '../../output/printf.js';
import { registerQdiscKind, type QdiscKind } from '../kind.js';
import { Tokens, fail, usage, whatIs } from './util.js';

/** struct tc_multiq_qopt (the kernel fills both fields; iproute2 sends zeros). */
export const multiqOptions = struct('tc_multiq_qopt', { bands: u16, max_bands: u16 });
/** Decoded multiq options. */
export type MultiqOptions = Infer<typeof multiqOptions>;

/** `tc qdisc add … multiq help`. */
export const MULTIQ_USAGE = 'Usage: ... multiq [help]\n';

/** The multiq kind module. */
export const multiqKind: QdiscKind<MultiqOptions> = {
  kind: 'multiq',
  options: multiqOptions,
  alwaysSendOptions: true,
  usage: MULTIQ_USAGE,
  parse(tokens) {
    const a = new Tokens(tokens);
    if (a.argc) {
      if (a.cur === 'help') fail(usage(MULTIQ_USAGE));
      whatIs(a.cur, MULTIQ_USAGE);
    }
    return { bands: 0, max_bands: 0 };
  },
  // iproute2 writes this with fprintf straight to stdout, even inside -j output.
  print: (p, o) => p.rawText(sprintf('bands %u/%u ', o.bands, o.max_bands)),
};

registerQdiscKind(multiqKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    multiq: MultiqOptions;
  }
}
