/**
 * clsact: the ingress + egress classifier hooks (parent ffff:fff1,
 * handle ffff:), as iproute2's tc/q_clsact.c. No options.
 * @module
 */
import { bytes } from '../../netlink/codec/schema.js';
import { registerQdiscKind } from '../kind.js';
import { kindFail } from '../args.js';

const USAGE = 'Usage: ... clsact';

registerQdiscKind<Buffer>({
  kind: 'clsact',
  options: bytes,
  usage: USAGE,
  parse(tokens) {
    if (tokens.length > 0) kindFail(`What is "${tokens[0]}"?\n${USAGE}`);
    return undefined;
  },
  print() {},
});
