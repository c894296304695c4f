/**
 * pfifo_head_drop (packet FIFO dropping at the head when full): struct
 * tc_fifo_qopt, grammar and printing as iproute2's tc/q_fifo.c.
 * @module
 */
import { struct, u32, type Infer } from '../../netlink/codec/schema.js';
import { registerQdiscKind, type QdiscKind } from '../kind.js';
import { ANY, Tokens, fail, usage, getSize } from './util.js';

/** struct tc_fifo_qopt. */
export const fifoHeadDropOptions = struct('tc_fifo_qopt', { limit: u32 });
/** Decoded pfifo_head_drop options. */
export type FifoHeadDropOptions = Infer<typeof fifoHeadDropOptions>;

/** `tc qdisc add … pfifo_head_drop help`. */
export const FIFO_USAGE = 'Usage: ... <[p|b]fifo | pfifo_head_drop> [ limit NUMBER ]\n';

/** tc(8) grammar of q_fifo.c for pfifo_head_drop; undefined when no limit was given (no TCA_OPTIONS). */
export function parseFifoHeadDrop(argv: readonly string[]): FifoHeadDropOptions | undefined {
  const a = new Tokens(argv);
  let limit: number | undefined;
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (t === 'limit') {
      const v = a.next();
      const n = getSize(v);
      if (n === null) fail(`pfifo_head_drop: Illegal value for "limit": "${v}"`);
      limit = n;
    } else if (t === 'help') fail(usage(FIFO_USAGE));
    else fail(`pfifo_head_drop: unknown parameter "${t}"\n${usage(FIFO_USAGE)}`);
  }
  return limit === undefined ? undefined : { limit };
}

/** The pfifo_head_drop kind module. */
export const pfifoHeadDropKind: QdiscKind<FifoHeadDropOptions> = {
  kind: 'pfifo_head_drop',
  options: fifoHeadDropOptions,
  usage: FIFO_USAGE,
  parse: (tokens) => parseFifoHeadDrop(tokens),
  print: (p, o) => p.uint(ANY, 'limit', 'limit %up', o.limit),
};

registerQdiscKind(pfifoHeadDropKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    pfifo_head_drop: FifoHeadDropOptions;
  }
}
