/**
 * How tc treats a kind it has no module for (tc.c parse_noqopt/print_noqopt):
 * any option is an error, and options in a dump print as their length.
 * @module
 */
import type { QdiscKind } from '../kind.js';
import { kindFail } from '../args.js';

/** A kind module with tc's behaviour for unknown kinds. */
export function unknownKind(id: string): QdiscKind<Buffer> {
  return {
    kind: id,
    parse(tokens) {
      if (tokens.length > 0) kindFail(`Unknown qdisc "${id}", hence option "${tokens[0]}" is unparsable`);
      return undefined;
    },
    print(p, o) {
      if (o.length) p.rawText(`[Unknown qdisc, optlen=${o.length}] `);
    },
  };
}
