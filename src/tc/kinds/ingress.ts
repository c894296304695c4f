/**
 * ingress: the ingress hook qdisc (parent ffff:fff1, handle ffff:), as
 * iproute2's tc/q_ingress.c. It has no options; tc accepts and ignores a
 * `handle X` after the kind.
 * @module
 */
import { bytes } from '../../netlink/codec/schema.js';
import { FP } from '../../output/printer.js';
import { registerQdiscKind } from '../kind.js';
import { kindFail, TokenCursor } from '../args.js';

const USAGE = 'Usage: ... ingress';

registerQdiscKind<Buffer>({
  kind: 'ingress',
  // The kernel dumps an empty TCA_OPTIONS nest; keep it raw.
  options: bytes,
  usage: USAGE,
  parse(tokens) {
    const t = new TokenCursor(tokens);
    while (t.left > 0) {
      if (t.cur === 'handle') {
        t.next();
        t.advance();
      } else {
        kindFail(`What is "${t.cur}"?\n${USAGE}`);
      }
    }
    return undefined;
  },
  print(p) {
    p.string(FP, null, '---------------- ', null);
  },
});
