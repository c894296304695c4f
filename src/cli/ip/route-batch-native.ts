/**
 * The `ip -batch` route lines scanned and encoded by the C addon
 * (native/route-scan.c), a whole chunk per call, straight into a
 * {@link RequestBatch}'s send buffer.
 *
 * The C scanner mirrors {@link FastRouteLine} (route-batch-fast.ts, the
 * definition of the grammar and bytes), and declines at least the lines it
 * declines: each declined line is then read by FastRouteLine or the general
 * path exactly as without the addon. What C cannot know is passed in
 * compact byte blobs: the namespace's link names (rebuilt whenever the
 * name cache is, since a batch may create links) and the table, protocol
 * and scope names iproute2 resolves before numbers.
 * @module
 */
import { native, type NativeBinding } from '../../netlink/native.js';
import type { RequestBatch } from '../../netlink/batch.js';
import { NetlinkSocket } from '../../netlink/socket.js';
import { NETLINK } from '../../netlink/constants.js';
import { linkNameOf, linkNamesRequest } from '../../netlink/link-names.js';
import type { GlobalOptions } from '../common/context.js';
import { routeNameIds } from './route-names.js';

/** The addon's scanRoutes (see native/route-scan.c); missing in an addon built before it. */
export type NativeScanRoutes = NonNullable<NativeBinding['scanRoutes']>;

/** Why {@link NativeRouteLines.run} stopped. */
export const RUN_STOP = { declined: 0, full: 1, end: 2 } as const;

/** Entries of the result array before the per-request triples (INFO_HEAD in route-scan.c). */
const INFO_HEAD = 8;
/** Word kinds of the words blob (W_* in route-scan.c). */
const W_TABLE = 1, W_PROTO = 2, W_SCOPE = 3;

/**
 * Link names → ifindex as the C scanner reads them: a u32 slot it keeps
 * its last hit in, then per link a u32 ifindex, a u16 name length and the
 * name's UTF-8 bytes.
 */
export function linksBlob(names: ReadonlyMap<string, number>): Buffer {
  const parts: Buffer[] = [Buffer.alloc(4)];
  for (const [name, index] of names) {
    const b = Buffer.from(name, 'utf8');
    if (b.length > 0xffff) continue; // no token of a line the C scanner takes is this long
    const h = Buffer.alloc(6);
    h.writeUInt32LE(index >>> 0, 0);
    h.writeUInt16LE(b.length, 4);
    parts.push(h, b);
  }
  return Buffer.concat(parts);
}

/**
 * Table, protocol and scope names with their ids (rtnl_*_a2n's lists): per
 * name a u8 kind, a u16 length, a u32 id and the name's UTF-8 bytes.
 */
export function wordsBlob(ids: ReturnType<typeof routeNameIds>): Buffer {
  const parts: Buffer[] = [];
  for (const [kind, map] of [[W_TABLE, ids.table], [W_PROTO, ids.proto], [W_SCOPE, ids.scope]] as const) {
    for (const [name, id] of map) {
      const b = Buffer.from(name, 'utf8');
      if (b.length > 0xffff) continue; // declined by C then (a longer token is never a number it takes)
      const h = Buffer.alloc(7);
      h.writeUInt8(kind, 0);
      h.writeUInt16LE(b.length, 1);
      h.writeUInt32LE(id >>> 0, 3);
      parts.push(h, b);
    }
  }
  return Buffer.concat(parts);
}

/**
 * Runs of route lines encoded by the C scanner. One per batch; see
 * {@link nativeRouteLines}.
 */
export class NativeRouteLines {
  /** Byte position and 0-based line index where the last {@link run} stopped. */
  pos = 0;
  line = 0;
  private linksOf: ReadonlyMap<string, number> | undefined;
  private links: Buffer = Buffer.alloc(0);
  private readonly words: Buffer;
  private readonly info: Uint32Array;

  /**
   * @param names the namespace's interfaces by name, as the general path
   * currently knows them (as FastRouteLine's).
   * @param maxRequests the most requests a chunk holds (RequestBatch.encodedChunkRequests).
   */
  constructor(
    private readonly scan: NativeScanRoutes,
    private readonly names: () => ReadonlyMap<string, number> | undefined,
    maxRequests: number,
  ) {
    this.words = wordsBlob(routeNameIds());
    this.info = new Uint32Array(INFO_HEAD + 3 * maxRequests);
  }

  /**
   * Encode the route lines of `src` from byte `pos` (0-based line index
   * `line`) into `batch`, chunk after chunk, until a line the scanner
   * declines (left for the caller at {@link pos}/{@link line}), the end of
   * `src`, or a stop of the batch. Returns a {@link RUN_STOP} reason.
   */
  run(src: Buffer, pos: number, line: number, batch: RequestBatch): number {
    const names = this.names();
    if (!names) {
      this.pos = pos;
      this.line = line;
      return RUN_STOP.declined;
    }
    if (names !== this.linksOf) {
      this.links = linksBlob(names);
      this.linksOf = names;
    }
    const info = this.info;
    for (;;) {
      const t = batch.encodeTarget();
      if (!t) {
        this.pos = pos;
        this.line = line;
        return RUN_STOP.declined; // stopped: the caller ends the batch
      }
      const n = this.scan(src, pos, line, t.buf, t.offset, t.room, t.seq, t.flags, this.links, this.words, info);
      batch.commitEncoded(n, info[3]!, info, INFO_HEAD);
      pos = info[1]!;
      line = info[2]!;
      const reason = info[4]!;
      if (reason !== RUN_STOP.full || batch.stopped) {
        this.pos = pos;
        this.line = line;
        return reason;
      }
      if (n === 0) throw new Error('scanRoutes: a chunk with room took no request');
    }
  }
}

/**
 * Whether the fast route scanners may read lines under these global
 * options: their requests are then all a line needs (no -echo to print, an
 * address family they handle).
 */
export function fastRoutesAllowed(opts: GlobalOptions): boolean {
  return !opts.echo && (opts.family === AF_UNSPEC || opts.family === AF_INET);
}
const AF_UNSPEC = 0, AF_INET = 2;

/**
 * The C scanner for a batch whose first command is a route line, before
 * any line ran: the link names come from one dump of their own, so a batch
 * made only of lines it takes never loads the route command or the
 * library's object modules (start-up time the kernel would otherwise wait
 * through). Undefined when it cannot run (options, an old addon, no
 * reader thread, the namespace cannot be opened): the general path then
 * reads the first line and reports any error as usual.
 */
export function earlyRouteLines(opts: GlobalOptions, maxRequests: number): NativeRouteLines | undefined {
  const scan = native.scanRoutes;
  if (!scan || !fastRoutesAllowed(opts)) return undefined;
  let sock: NetlinkSocket | undefined;
  try {
    sock = NetlinkSocket.open(NETLINK.ROUTE, opts.netns !== undefined ? { netns: opts.netns } : {});
    const names = new Map<string, number>();
    const ran = sock.dumpSync(linkNamesRequest, 'list links', (m) => {
      const n = linkNameOf(m);
      if (n) names.set(n[1], n[0]);
    });
    return ran ? new NativeRouteLines(scan, () => names, maxRequests) : undefined;
  } catch {
    return undefined;
  } finally {
    sock?.close();
  }
}

/** The C scanner for a batch, or undefined if the addon was built without it. */
export function nativeRouteLines(names: () => ReadonlyMap<string, number> | undefined, maxRequests: number): NativeRouteLines | undefined {
  const scan = native.scanRoutes;
  return scan ? new NativeRouteLines(scan, names, maxRequests) : undefined;
}
