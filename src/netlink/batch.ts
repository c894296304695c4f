/**
 * Sending a long run of netlink requests fast, for bulk work such as
 * `ip -batch`: requests are encoded back to back into one buffer and sent in
 * chunks, each chunk in one sendmsg by a background thread
 * ({@link NativeSender}). The kernel processes a request synchronously inside
 * the sendmsg that carries it, so it works through chunk N on the sender
 * thread's core while the caller encodes chunk N+1, and when that sendmsg
 * returns, every answer of chunk N is already in the receive queue: no
 * promise, timer or pending-map entry per request, and no waiting on the
 * event loop. Failures are reported in request order by a tag the caller
 * chose (e.g. a line number).
 *
 * The socket is a separate one of the same protocol and namespace, read only
 * here (synchronously), so its answers never mix with a {@link NetlinkSocket}'s.
 * @module
 */
import { native, type NativeSender } from './native.js';
import { openNetlinkFd, parseNlmsgerr, ackWarning, type NetnsRef, type MessageView } from './socket.js';
import { Writer } from './codec/writer.js';
import type { MessageCodec } from './codec/schema.js';
import { NLMSG, NLM_F } from './constants.js';
import type { NetlinkError } from './errors.js';

const SOL_SOCKET = 1;
const SO_RCVBUF = 8;
/** Bytes per sendmsg at most (the send buffer is 1 MiB, doubled by the kernel). */
const CHUNK_BYTES = 256 * 1024;
/**
 * Receive-buffer charge assumed per answer (an skb's truesize: the message,
 * skb_shared_info and sk_buff; an error with an extended-ACK text stays
 * below this). A chunk is never larger than the receive buffer can hold
 * answers for, so no answer is dropped (ENOBUFS) even if every request fails.
 */
const ANSWER_TRUESIZE = 2048;

/** Options of {@link RequestBatch.open}. */
export interface RequestBatchOptions {
  /** Namespace of the socket (see {@link NetnsRef}). */
  readonly netns?: NetnsRef;
  /**
   * Ask the kernel to acknowledge every request (NLM_F_ACK, default true).
   * Errors are reported either way; only an ACK carries a success's warning
   * (extended ACK text), which {@link RequestBatchOptions.onWarning} receives.
   */
  readonly ack?: boolean;
  /**
   * Stop at the first failure exactly, as a sender waiting for each answer
   * would: nothing after a failed request takes effect. Chunks are then sent
   * one request per send (still on the sender thread, in the background),
   * stopping at the first answered one, except chunks made only of
   * undoable requests (see {@link RequestBatch.commitRequest}), which go
   * whole and have what followed a failure undone. Without this option a
   * whole chunk is in the kernel at once, so requests queued after a failing
   * one may have taken effect by the time its error is seen. The first
   * failure stops the batch whatever `onError` returns. Requires
   * `ack: false` (with ACKs every request is answered).
   */
  readonly stopAtFirstFailure?: boolean;
  /** Requests per sendmsg at most (default 1024; also bounded by the receive buffer). */
  readonly chunk?: number;
  /**
   * Requests per sendmsg at most when a chunk is filled through
   * {@link RequestBatch.encodeTarget} (default: `chunk`; also bounded by the
   * receive buffer). Such requests cost the caller next to nothing, so the
   * run waits only for the kernel, and fewer, larger chunks leave the sender
   * thread fewer gaps between sends.
   */
  readonly encodedChunk?: number;
  /**
   * A request failed. Called in request order; return true to stop: later
   * requests are dropped unsent and later failures are not reported.
   */
  readonly onError: (tag: number, error: NetlinkError) => boolean | void;
  /** A request succeeded with a warning (only with `ack`). */
  readonly onWarning?: (tag: number, message: string) => void;
}

/** One chunk: the encoded requests, their first sequence number, and their tags in order. */
interface Chunk {
  readonly w: Writer;
  firstSeq: number;
  tags: number[];
  /** Per request: its start in `w`, and the message type that undoes it (0: none). */
  starts: number[];
  undoTypes: number[];
  /** Whether every request so far can be undone (see beginRequest). */
  undoable: boolean;
  /** Indexes of the requests that failed, in order. */
  failed: number[];
}

function newChunk(firstSeq: number): Chunk {
  return { w: new Writer(CHUNK_BYTES + 4096), firstSeq, tags: [], starts: [], undoTypes: [], undoable: true, failed: [] };
}

function resetChunk(c: Chunk): void {
  c.w.reset();
  c.tags.length = 0;
  c.starts.length = 0;
  c.undoTypes.length = 0;
  c.undoable = true;
  c.failed.length = 0;
}

/**
 * Where a bulk encoder writes requests straight into the chunk being built
 * (see {@link RequestBatch.encodeTarget}). Valid until the next call on the batch.
 */
export interface EncodeTarget {
  /** The chunk's buffer: requests go at `offset`, up to its end at most. */
  buf: Buffer;
  /** Where the next request starts (4-byte aligned). */
  offset: number;
  /** Requests that still fit in the chunk (at least 1). */
  room: number;
  /** Sequence number of the next request; each one takes the next. */
  seq: number;
  /** Netlink flags to add to each request's own (NLM_F_REQUEST, and NLM_F_ACK per the options). */
  flags: number;
}

/**
 * Requests sent in pipelined chunks on a sender thread (see the module
 * comment). All methods are synchronous; {@link RequestBatch.drain} blocks
 * until the kernel has processed everything queued.
 *
 * ```ts
 * const b = RequestBatch.open(NETLINK.ROUTE, { netns: 'blue', onError: (line, e) => { … } });
 * b.add(routeMessage, RTM.NEWROUTE, NLM_F.CREATE | NLM_F.EXCL, header, attrs, 1);
 * b.drain();
 * b.close();
 * ```
 */
export class RequestBatch {
  private readonly fd: number;
  private readonly sender: NativeSender;
  private readonly ackFlag: number;
  private readonly oneByOne: boolean;
  private readonly maxRequests: number;
  /** The same for chunks filled by commitEncoded (see RequestBatchOptions.encodedChunk). */
  private readonly maxEncoded: number;
  private readonly onError: RequestBatchOptions['onError'];
  private readonly onWarning: RequestBatchOptions['onWarning'];
  private building: Chunk = newChunk(1);
  /** The chunk handed to the sender thread, if its result is not collected yet. */
  private inflight: Chunk | undefined;
  /** Whether the chunk in flight went whole (not one by one). */
  private inflightWhole = false;
  private spare: Chunk = newChunk(0);
  private seq = 1;
  /** Start of the message being written (see open). */
  private openStart = 0;
  private stop = false;
  private closed = false;
  private readonly target: EncodeTarget = { buf: Buffer.alloc(0), offset: 0, room: 0, seq: 0, flags: 0 };

  private constructor(fd: number, opts: RequestBatchOptions) {
    this.fd = fd;
    this.ackFlag = opts.ack === false ? 0 : NLM_F.ACK;
    this.oneByOne = opts.stopAtFirstFailure === true;
    if (this.oneByOne && this.ackFlag) throw new TypeError('stopAtFirstFailure requires ack: false');
    const rcvbuf = native.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, 4).readInt32LE(0);
    const answers = Math.floor(rcvbuf / ANSWER_TRUESIZE);
    this.maxRequests = Math.max(1, Math.min(opts.chunk ?? 1024, answers));
    this.maxEncoded = Math.max(1, Math.min(opts.encodedChunk ?? opts.chunk ?? 1024, answers));
    this.onError = opts.onError;
    this.onWarning = opts.onWarning;
    this.sender = new native.Sender(fd);
  }

  /** Open a socket of `protocol` (e.g. NETLINK.ROUTE) and its sender thread. */
  static open(protocol: number, opts: RequestBatchOptions): RequestBatch {
    const fd = openNetlinkFd(protocol, { netns: opts.netns });
    try {
      return new RequestBatch(fd, opts);
    } catch (e) {
      native.close(fd);
      throw e;
    }
  }

  /** Whether an error handler asked to stop. */
  get stopped(): boolean {
    return this.stop;
  }

  /** Requests per sendmsg (after the receive-buffer bound); chunks filled by commitEncoded hold up to {@link encodedChunkRequests}. */
  get chunkRequests(): number {
    return this.maxRequests;
  }

  /** Requests per sendmsg of chunks filled by commitEncoded (after the receive-buffer bound). */
  get encodedChunkRequests(): number {
    return this.maxEncoded;
  }

  /**
   * Queue one request of `type` with `flags` (NLM_F_REQUEST, and NLM_F_ACK
   * per the options, are added) and a body encoded by `codec`. A full chunk
   * is handed to the sender thread, which may first wait for the previous
   * chunk and report its failures. Dropped once stopped.
   */
  add<H, A>(codec: MessageCodec<H, A>, type: number, flags: number, header: H, attrs: A, tag: number): void {
    const w = this.open(type, flags);
    if (!w) return;
    try {
      codec.encode(w, header, attrs);
    } catch (e) {
      w.offset = this.openStart; // drop the partial message
      throw e;
    }
    this.queue(tag, 0);
  }

  /**
   * Start one request of `type` with `flags` whose body the caller writes
   * into the returned writer (right after the netlink header), then queues
   * with {@link commitRequest}: for callers that encode a message
   * themselves, with no codec, header or attribute objects. Nothing else may
   * be added in between. Undefined once stopped (the request is dropped).
   */
  beginRequest(type: number, flags: number): Writer | undefined {
    return this.open(type, flags);
  }

  /**
   * Queue the request begun by {@link beginRequest}, reported as `tag`.
   *
   * `undoType`, if given, is the message type that exactly undoes the
   * request when sent with the same body: e.g. RTM_DELROUTE for an IPv4
   * RTM_NEWROUTE with NLM_F_CREATE | NLM_F_EXCL, since the route it created
   * is then the only one of its destination, tos and priority, and the
   * delete matches it. With `stopAtFirstFailure`, a chunk made only of such
   * requests is sent whole rather than one by one; if one fails, those after
   * it in the chunk that took effect are undone before this batch reports
   * the failure, so the end state is as if nothing after it was sent.
   */
  commitRequest(tag: number, undoType = 0): void {
    this.queue(tag, undoType);
  }

  /**
   * Queue one request whose body is `body` verbatim, e.g. a dumped message
   * sent back with another type (`ip address flush` deletes each address it
   * dumped this way, as iproute2 does). Otherwise as {@link add}.
   */
  addRaw(type: number, flags: number, body: Uint8Array, tag: number): void {
    const w = this.open(type, flags);
    if (!w) return;
    w.bytes(body);
    this.queue(tag, 0);
  }

  /**
   * Room for requests encoded by the caller straight into the chunk being
   * built, many at a time (e.g. by a native scanner; no JavaScript call per
   * request), then counted in with {@link commitEncoded}. Nothing else may be
   * added in between. Undefined once stopped.
   */
  encodeTarget(): EncodeTarget | undefined {
    const c = this.ready();
    if (!c) return undefined;
    const t = this.target;
    t.buf = c.w.buf;
    t.offset = c.w.offset;
    // At least 1: a chunk the per-request path filled to its own limit was handed off.
    t.room = Math.max(1, this.maxEncoded - c.tags.length);
    t.seq = this.seq;
    t.flags = NLM_F.REQUEST | this.ackFlag;
    return t;
  }

  /**
   * Queue `count` requests written at the {@link encodeTarget} (consecutive
   * and complete netlink messages, sequence numbers from its `seq` on),
   * ending at `end`. `entries[base + 3i]`, `[base + 3i + 1]` and
   * `[base + 3i + 2]` are request i's start offset, tag and undo type (as
   * {@link commitRequest}'s). A full chunk is handed to the sender thread.
   */
  commitEncoded(count: number, end: number, entries: Uint32Array, base: number): void {
    if (count === 0) return;
    const t = this.target;
    const c = this.building;
    if (t.buf !== c.w.buf || count > t.room || end < t.offset || end > c.w.buf.length || base + 3 * count > entries.length) {
      throw new RangeError('commitEncoded: requests outside the target of encodeTarget()');
    }
    for (let k = base, kEnd = base + 3 * count; k < kEnd; k += 3) this.count(c, entries[k]!, entries[k + 1]!, entries[k + 2]!);
    c.w.offset = end;
    t.room = 0; // used up: the next bulk write asks again
    this.handOffIfFull(c, this.maxEncoded);
  }

  /** The most requests a chunk can hold, by either path (sequence numbers must not wrap inside one). */
  private maxChunk(): number {
    return Math.max(this.maxRequests, this.maxEncoded);
  }

  /** The chunk being built, for a request from {@link seq} on; undefined once stopped. */
  private ready(): Chunk | undefined {
    if (this.closed) throw new Error('request batch is closed');
    if (this.stop) return undefined;
    const c = this.building;
    // A chunk's sequence numbers never wrap: an answer's index in it is seq - firstSeq.
    if (c.tags.length === 0 && this.seq > 0xffffffff - this.maxChunk()) this.seq = 1;
    return c;
  }

  /** Begin a message in the chunk being built; undefined once stopped. */
  private open(type: number, flags: number): Writer | undefined {
    const c = this.ready();
    if (!c) return undefined;
    this.openStart = c.w.beginMessage(type, (flags & ~NLM_F.ACK) | NLM_F.REQUEST | this.ackFlag, this.seq);
    return c.w;
  }

  /** End the message begun by open and count it in; a full chunk is handed off. */
  private queue(tag: number, undoType: number): void {
    const c = this.building;
    c.w.endMessage(this.openStart);
    this.count(c, this.openStart, tag, undoType);
    this.handOffIfFull(c, this.maxRequests);
  }

  /** Count in the request at `start` of chunk `c`, numbered {@link seq} (queue's and commitEncoded's bookkeeping). */
  private count(c: Chunk, start: number, tag: number, undoType: number): void {
    if (c.tags.length === 0) c.firstSeq = this.seq;
    this.seq++;
    c.tags.push(tag);
    c.starts.push(start);
    c.undoTypes.push(undoType);
    if (!undoType) c.undoable = false;
  }

  /** Hand chunk `c` off once it holds `limit` requests or its bytes are full. */
  private handOffIfFull(c: Chunk, limit: number): void {
    if (c.tags.length >= limit || c.w.offset >= CHUNK_BYTES) this.handOff();
  }

  /**
   * Send everything queued and wait until the kernel has processed it; every
   * failure has been reported when this returns.
   */
  drain(): void {
    if (this.building.tags.length) this.handOff();
    this.collect();
  }

  /**
   * Hand what is queued to the sender thread now, without waiting for the
   * kernel (but after the chunk in flight, whose failures are reported):
   * for a caller about to do something slow, so the kernel starts on a
   * partial chunk meanwhile.
   */
  flush(): void {
    if (this.building.tags.length) this.handOff();
  }

  /** Stop the sender thread and close the socket; unsent requests are dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sender.close();
    native.close(this.fd);
  }

  /** Wait for the chunk in flight (reporting its failures), then send the one being built. */
  private handOff(): void {
    this.collect();
    const c = this.building;
    if (this.stop || this.closed) {
      resetChunk(c);
      return;
    }
    const whole = !this.oneByOne || c.undoable;
    this.sender.send(c.w.view(), !whole);
    this.inflight = c;
    this.inflightWhole = whole;
    this.building = this.spare;
    resetChunk(this.building);
  }

  /** Block until the chunk in flight is processed, then read and report its answers. */
  private collect(): void {
    const c = this.inflight;
    if (!c) return;
    this.inflight = undefined;
    this.spare = c;
    // Throws if the sendmsg itself failed (nothing of the chunk was processed).
    const sent = this.sender.wait(true) ?? 0;
    // The kernel answered every request sent before sendmsg returned.
    for (let data = this.receive(); data; data = this.receive()) this.answers(data, c);
    if (!this.oneByOne) return;
    if (!this.inflightWhole) {
      // One by one, the sender stops after a failed request: the rest of the chunk was never sent.
      if (sent < c.w.offset) this.stop = true;
    } else if (c.failed.length) {
      this.undoAfter(c, c.failed[0]!);
      this.stop = true;
    }
  }

  /** The answers waiting on the socket (null: none). */
  private receive(): Buffer | null {
    try {
      return native.recvmany(this.fd, 64);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOBUFS') {
        throw Object.assign(new Error('netlink receive buffer overflowed (ENOBUFS): answers of a batch were lost'), { code: 'ENOBUFS', errno: 105 });
      }
      throw e;
    }
  }

  /**
   * Undo the requests of chunk `c` after request `k` that took effect (all
   * are undoable: see commitRequest), acknowledged, in one send; throws if
   * the kernel refuses one, since the state then is not what a stop at `k`
   * would have left.
   */
  private undoAfter(c: Chunk, k: number): void {
    const failed = new Set(c.failed);
    const w = new Writer(4096);
    const firstSeq = this.seq;
    const tags: number[] = [];
    for (let i = k + 1; i < c.tags.length; i++) {
      if (failed.has(i)) continue;
      const start = c.starts[i]!;
      const len = c.w.buf.readUInt32LE(start);
      const m = w.beginMessage(c.undoTypes[i]!, NLM_F.REQUEST | NLM_F.ACK, this.seq++);
      w.bytes(c.w.buf.subarray(start + 16, start + len));
      w.endMessage(m);
      tags.push(c.tags[i]!);
    }
    if (!tags.length) return;
    this.sender.send(w.view(), false);
    this.sender.wait(true);
    let acked = 0;
    for (let data = this.receive(); data; data = this.receive()) {
      for (let p = 0; data.length - p >= 20;) {
        const len = data.readUInt32LE(p);
        if (len < 16 || len > data.length - p) break;
        const at = p;
        p += (len + 3) & ~3;
        const i = data.readUInt32LE(at + 8) - firstSeq;
        if (data.readUInt16LE(at + 4) !== NLMSG.ERROR || i < 0 || i >= tags.length) continue;
        const error = data.readInt32LE(at + 16);
        if (error !== 0) {
          const m: MessageView = { type: NLMSG.ERROR, flags: data.readUInt16LE(at + 6), seq: firstSeq + i, pid: 0, buf: data, off: at + 16, len: len - 16 };
          const err = parseNlmsgerr(m, `undoing request ${tags[i]!}`);
          throw new Error(`the batch stopped at request ${c.tags[k]!}, but request ${tags[i]!}, sent with it, could not be undone: ${err?.message ?? `errno ${-error}`}`);
        }
        acked++;
      }
    }
    if (acked !== tags.length) throw new Error(`the batch stopped at request ${c.tags[k]!}, but only ${acked} of the ${tags.length} requests sent with it after it were confirmed undone`);
  }

  /** Report the failures (and warnings) among a run of answers to chunk `c`. */
  private answers(data: Buffer, c: Chunk): void {
    let p = 0;
    while (data.length - p >= 20) {
      const len = data.readUInt32LE(p);
      if (len < 16 || len > data.length - p) break;
      const at = p;
      p += (len + 3) & ~3;
      if (data.readUInt16LE(at + 4) !== NLMSG.ERROR) continue;
      const i = data.readUInt32LE(at + 8) - c.firstSeq;
      if (i < 0 || i >= c.tags.length) continue; // not ours
      const error = data.readInt32LE(at + 16);
      const flags = data.readUInt16LE(at + 6);
      if (error === 0 && !(flags & NLM_F.ACK_TLVS)) continue; // the common plain ACK
      if (error !== 0) c.failed.push(i);
      if (this.stop) continue; // its request would not have run after the stop
      const m: MessageView = { type: NLMSG.ERROR, flags, seq: c.firstSeq + i, pid: data.readUInt32LE(at + 12), buf: data, off: at + 16, len: len - 16 };
      if (error === 0) {
        const text = ackWarning(m);
        if (text !== undefined) this.onWarning?.(c.tags[i]!, text);
        continue;
      }
      const err = parseNlmsgerr(m, `request ${c.tags[i]!}`);
      // With stopAtFirstFailure, the first failure stops whatever onError says.
      if (err && (this.onError(c.tags[i]!, err) === true || this.oneByOne)) this.stop = true;
    }
  }
}
