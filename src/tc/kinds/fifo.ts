/**
 * pfifo and bfifo (struct tc_fifo_qopt as TCA_OPTIONS), grammar and printing
 * of iproute2's tc/q_fifo.c.
 *
 * ```ts
 * await nl.qdisc.add({ dev: 'eth0', parent: 'root', kind: 'pfifo', options: { limit: 100 } });
 * ```
 * @module
 */
import { struct, u32, type Infer } from '../../netlink/codec/schema.js';
import { ANY, JSON_ONLY, FP, type Printer } from '../../output/printer.js';
import { registerQdiscKind, type QdiscKind } from '../kind.js';
import { parseSize, sprintSize, writeSize } from '../units.js';
import { ascii, type ByteWriter } from '../../output/bytes.js';
import { kindFail, TokenCursor } from '../args.js';
import { offsetOf, words } from '../scan.js';

/** struct tc_fifo_qopt: limit in packets (pfifo) or bytes (bfifo). */
export const fifoQopt = struct('tc_fifo_qopt', { limit: u32 });
/** fifo options. */
export type FifoOptions = Infer<typeof fifoQopt>;

declare module '../kind.js' {
  interface QdiscOptionsMap { pfifo: FifoOptions; bfifo: FifoOptions }
}

/** The usage text of tc's fifo family. */
export const FIFO_USAGE = 'Usage: ... <[p|b]fifo | pfifo_head_drop> [ limit NUMBER ]';

/** fifo_parse_opt() for kind `id` (messages name the kind). */
export function parseFifo(id: string, tokens: readonly string[]): FifoOptions | undefined {
  const t = new TokenCursor(tokens);
  let limit: number | undefined;
  while (t.left > 0) {
    const a = t.cur;
    if (a === 'limit') {
      const v = t.next();
      const s = parseSize(v);
      if (s === null) kindFail(`${id}: Illegal value for "limit": "${v}"`);
      limit = s!;
    } else if (a === 'help') {
      kindFail(FIFO_USAGE);
    } else {
      kindFail(`${id}: unknown parameter "${a}"\n${FIFO_USAGE}`);
    }
    t.advance();
  }
  return limit === undefined ? undefined : { limit };
}

/** fifo_print_opt(): bfifo prints a size, the others a packet count. */
export function printFifo(id: string, p: Printer, o: FifoOptions): void {
  if (id === 'bfifo') {
    p.uint(JSON_ONLY, 'limit', '', o.limit);
    p.string(FP, null, 'limit %s', sprintSize(o.limit));
  } else {
    p.uint(ANY, 'limit', 'limit %up', o.limit);
  }
}

const LIMIT = offsetOf(fifoQopt, 'limit');

const LIMIT_WORD = ascii('limit ');
const P = 0x70; // 'p'

/** {@link printFifo} in text mode from the tc_fifo_qopt bytes, into `out` (false: short struct, let the schema path print it). */
export function fifoText(id: string, out: ByteWriter, buf: Buffer, off: number, len: number): boolean {
  if (len < fifoQopt.size) return false;
  const w = words(buf);
  if (w === undefined || (off & 3) !== 0) return false;
  const limit = w[(off + LIMIT) >>> 2]!;
  out.bytes(LIMIT_WORD);
  if (id === 'bfifo') {
    writeSize(out, limit);
  } else {
    out.uint(limit);
    out.byte(P);
  }
  return true;
}

/** A fifo-family kind module (pfifo_head_drop uses the same shape). */
export function fifoKind(id: string): QdiscKind<FifoOptions> {
  return {
    kind: id,
    options: fifoQopt,
    usage: FIFO_USAGE,
    parse: (tokens) => parseFifo(id, tokens),
    print: (p, o) => printFifo(id, p, o),
    fastText: { options: (out, buf, off, len) => fifoText(id, out, buf, off, len) },
  };
}

registerQdiscKind(fifoKind('pfifo'));
registerQdiscKind(fifoKind('bfifo'));
