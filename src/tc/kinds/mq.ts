/**
 * mq (one child qdisc per hardware TX queue). It has no options: iproute2
 * 6.1 has no q_mq.c, so `tc qdisc add … mq` sends only TCA_KIND, and tc's
 * generic parse_noqopt rejects any argument; print_noqopt prints nothing
 * unless the kernel sent options.
 * @module
 */
import { registerQdiscKind, type QdiscKind } from '../kind.js';
import { fail } from './util.js';

/** The mq kind module (no TCA_OPTIONS). */
export const mqKind: QdiscKind<never> = {
  kind: 'mq',
  parse(tokens) {
    // tc.c parse_noqopt(): any argument is an error.
    if (tokens.length) fail(`Unknown qdisc "mq", hence option "${tokens[0]!}" is unparsable`);
    return undefined;
  },
  print: (p, o) => {
    const raw = o as unknown;
    if (Buffer.isBuffer(raw) && raw.length) p.text('[Unknown qdisc, optlen=%u] ', raw.length);
  },
};

registerQdiscKind(mqKind);
