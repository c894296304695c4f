/**
 * The netlink socket layer: sequence numbers, a pending-request map with many
 * requests in flight, ACK/error handling with extended ACK, dumps (NLMSG_DONE,
 * DUMP_INTR, backpressure; iterated by dump-stream.ts's DumpStream, or run
 * synchronously on a native reader thread by dumpSync), multicast
 * subscriptions with ENOBUFS surfaced as overflow events, AbortSignal and
 * timeouts.
 *
 * Protocol-agnostic: rtnetlink, sock_diag and generic netlink all use it.
 * @module
 */
import { native, type NativePoller } from './native.js';
import { Writer } from './codec/writer.js';
import { ParseError } from './codec/errors.js';
import { NLMSG, NLM_F, NLMSGERR_ATTR, NETLINK, SOL_NETLINK } from './constants.js';
import { NetlinkError, SocketClosedError, TimeoutError } from './errors.js';
import { DumpStream } from './dump-stream.js';

export { DumpStream, listStream, type ListStream } from './dump-stream.js';

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOL_SOCKET = 1;
const SO_RCVBUF = 8;
const SO_RCVBUFFORCE = 33;
const SO_SNDBUF = 7;
const SO_SNDBUFFORCE = 32;
/** Largest batch of requests written in one sendmsg (well under the default sndbuf). */
const SEND_CHUNK = 64 * 1024;
/**
 * Datagrams drained per recvmmsg round. A dump datagram holds hundreds of
 * messages, so 16 keeps what one round decodes before a slow consumer can
 * pause us small (memory stays flat for million-entry dumps).
 */
const RECV_BATCH = 16;
/** Bytes {@link NetlinkSocket.dumpSync} takes from its reader at once: a few dump datagrams (at most 32 KiB each). */
const SYNC_CHUNK = 256 * 1024;

/**
 * Which network namespace to open a socket in: a name under /run/netns, an
 * absolute path to a namespace file, or a pid (its /proc/PID/ns/net).
 */
export type NetnsRef = string | number;

/** Resolve a {@link NetnsRef} to what the native layer takes. */
export function netnsTarget(ref: NetnsRef): string | number {
  if (typeof ref === 'number') return ref;
  return ref.includes('/') ? ref : `/run/netns/${ref}`;
}

/** Options every waiting operation takes. */
export interface RequestOptions {
  /** Abort the operation; it rejects with the signal's reason (an AbortError by default). */
  readonly signal?: AbortSignal;
  /** Reject with {@link TimeoutError} after this many milliseconds. */
  readonly timeout?: number;
  /**
   * Called with the kernel's extended ACK message when a request succeeds
   * with a warning (iproute2 prints it as `Warning: …`).
   */
  readonly onWarning?: (message: string) => void;
}

/**
 * What to do when the kernel flags a dump with NLM_F_DUMP_INTR (the table
 * changed while it was being dumped): `retry` (the default) collects the
 * whole dump before yielding and restarts it, up to `maxRetries` times, so the
 * result is consistent; `partial` streams in constant memory and just notes it
 * in {@link DumpStream.interrupted}; `throw` streams and throws
 * {@link DumpInterruptedError} at the end.
 */
export type InterruptPolicy = 'retry' | 'partial' | 'throw';

/** Options for dumps. */
export interface DumpOptions extends RequestOptions {
  readonly interrupted?: InterruptPolicy;
  /** Retries for `interrupted: 'retry'` (default 5). */
  readonly maxRetries?: number;
}

/** One received netlink message, as a view into the receive buffer. */
export interface MessageView {
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly pid: number;
  readonly buf: Buffer;
  /** Payload offset (after the 16-byte header). */
  readonly off: number;
  /** Payload length. */
  readonly len: number;
}

/** Builds one request message into `w` with sequence number `seq`. */
export type RequestBuilder = (w: Writer, seq: number) => void;

/** Decodes one dump message; return undefined to skip it. */
export type DumpDecoder<T> = (m: MessageView) => T | undefined;

/** @internal A request's reply handlers (a dump's come from {@link DumpStream}). */
export interface Pending {
  readonly operation: string;
  readonly isDump: boolean;
  onData(m: MessageView): void;
  onDone(): void;
  onError(e: Error): void;
  /** The successful ACK itself (to read a warning in its extended ACK). */
  onAck?(m: MessageView): void;
}

/** The extended ACK message of a successful ACK (a warning), if the kernel sent one. */
export function ackWarning(m: MessageView): string | undefined {
  if (!(m.flags & NLM_F.ACK_TLVS) || m.len < 20) return undefined;
  const origLen = m.buf.readUInt32LE(m.off + 4);
  let p = m.off + 4 + (m.flags & NLM_F.CAPPED ? 16 : ((origLen + 3) & ~3));
  const end = m.off + m.len;
  while (end - p >= 4) {
    const alen = m.buf.readUInt16LE(p);
    if (alen < 4 || alen > end - p) return undefined;
    if ((m.buf.readUInt16LE(p + 2) & 0x3fff) === NLMSGERR_ATTR.MSG) {
      const z = m.buf.indexOf(0, p + 4);
      return m.buf.toString('utf8', p + 4, z >= 0 && z < p + alen ? z : p + alen);
    }
    p += (alen + 3) & ~3;
  }
  return undefined;
}

/** A little-endian u32 of a received header (inline arithmetic, for the per-message paths). */
function u32le(b: Buffer, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
}

/** Parse an NLMSG_ERROR payload (or the error on NLMSG_DONE) into errno and extended ACK. */
export function parseNlmsgerr(m: MessageView, operation: string): NetlinkError | null {
  if (m.len < 4) throw new ParseError('short nlmsgerr', m.off);
  const error = m.buf.readInt32LE(m.off);
  if (error === 0) return null;
  let extack: string | undefined;
  let extackOffset: number | undefined;
  let missingType: number | undefined;
  let missingNest: number | undefined;
  if (m.flags & NLM_F.ACK_TLVS) {
    let p: number;
    if (m.type === NLMSG.DONE) {
      p = m.off + 4;
    } else {
      // nlmsgerr: int error, then the original nlmsghdr and, unless CAPPED, its payload.
      if (m.len < 20) throw new ParseError('short nlmsgerr', m.off);
      const origLen = m.buf.readUInt32LE(m.off + 4);
      p = m.off + 4 + (m.flags & NLM_F.CAPPED ? 16 : ((origLen + 3) & ~3));
    }
    const end = m.off + m.len;
    while (end - p >= 4) {
      const alen = m.buf.readUInt16LE(p);
      const type = m.buf.readUInt16LE(p + 2) & 0x3fff;
      if (alen < 4 || alen > end - p) break;
      const d = p + 4;
      if (type === NLMSGERR_ATTR.MSG) {
        const z = m.buf.indexOf(0, d);
        extack = m.buf.toString('utf8', d, z >= 0 && z < p + alen ? z : p + alen);
      } else if (type === NLMSGERR_ATTR.OFFS && alen >= 8) {
        extackOffset = m.buf.readUInt32LE(d);
      } else if (type === NLMSGERR_ATTR.MISS_TYPE && alen >= 8) {
        missingType = m.buf.readUInt32LE(d);
      } else if (type === NLMSGERR_ATTR.MISS_NEST && alen >= 8) {
        missingNest = m.buf.readUInt32LE(d);
      }
      p += (alen + 3) & ~3;
    }
  }
  const details: { errno: number; extack?: string; extackOffset?: number; missingType?: number; missingNest?: number } = { errno: -error };
  if (extack !== undefined) details.extack = extack;
  if (extackOffset !== undefined) details.extackOffset = extackOffset;
  if (missingType !== undefined) details.missingType = missingType;
  if (missingNest !== undefined) details.missingNest = missingNest;
  return new NetlinkError(operation, details);
}

function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  return new DOMException('The operation was aborted', 'AbortError');
}

/**
 * Open, configure and bind a raw netlink socket (nonblocking, close-on-exec)
 * as {@link NetlinkSocket.open} does: receive buffer (forced when privileged),
 * 1 MiB send buffer, extended and capped ACKs, multicast groups. Returns the fd.
 */
export function openNetlinkFd(protocol: number, opts: Pick<SocketOptions, 'netns' | 'rcvbuf' | 'groups'> = {}): number {
  const fd = native.socket(AF_NETLINK, SOCK_RAW, protocol, opts.netns === undefined ? null : netnsTarget(opts.netns));
  try {
    const rcv = opts.rcvbuf ?? 4 * 1024 * 1024;
    try { native.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, rcv); } catch { native.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, rcv); }
    try { native.setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, 1024 * 1024); } catch { native.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 1024 * 1024); }
    native.setsockopt(fd, SOL_NETLINK, NETLINK.EXT_ACK, 1);
    try { native.setsockopt(fd, SOL_NETLINK, NETLINK.CAP_ACK, 1); } catch { /* older kernels */ }
    const addr = Buffer.alloc(12);
    addr.writeUInt16LE(AF_NETLINK, 0);
    native.bind(fd, addr);
    for (const g of opts.groups ?? []) native.setsockopt(fd, SOL_NETLINK, NETLINK.ADD_MEMBERSHIP, g);
  } catch (e) {
    native.close(fd);
    throw e;
  }
  return fd;
}

/** Options for {@link NetlinkSocket.open}. */
export interface SocketOptions {
  /** Namespace to create the socket in (the process never switches its own). */
  readonly netns?: NetnsRef;
  /** Multicast groups to join (numbers as in RTNLGRP_*). */
  readonly groups?: readonly number[];
  /** Receive buffer in bytes (forced when running with CAP_NET_ADMIN). Default 4 MiB. */
  readonly rcvbuf?: number;
  /** Requests awaiting their reply at once; more are queued. Default 2048. */
  readonly window?: number;
  /** Datagrams drained per receive syscall (recvmmsg). Default 64. */
  readonly recvBatch?: number;
}

/** An event from a multicast subscription. */
export type SubscriptionEvent =
  | { readonly kind: 'message'; readonly message: MessageView }
  /** The kernel dropped events because we read too slowly (ENOBUFS). */
  | { readonly kind: 'overflow' };

/**
 * A netlink socket of one protocol with its own sequence space.
 *
 * ```ts
 * const sock = NetlinkSocket.open(NETLINK.ROUTE, { netns: 'blue' });
 * await sock.request((w, seq) => { ... }, { operation: 'add link' });
 * sock.close();
 * ```
 */
export class NetlinkSocket {
  readonly fd: number;
  /** Our port id, assigned by the kernel at bind. */
  readonly portId: number;
  readonly protocol: number;
  private readonly poller: NativePoller;
  private seq = Math.floor(Math.random() * 0x3fffffff) + 1;
  private readonly pending = new Map<number, Pending>();
  private readonly outbox = new Writer(16 * 1024);
  /** End offsets (in outbox) and sequence numbers of messages not yet sent. */
  private readonly queuedEnds: number[] = [];
  private sentUpTo = 0;
  private flushScheduled = false;
  /** While > 0, sends are coalesced per event-loop turn instead of per microtask (see {@link NetlinkSocket.cork}). */
  private corked = 0;
  private readonly window: number;
  private inflight = 0;
  private dumpActive = false;
  private readonly dumpQueue: Array<() => void> = [];
  private closed = false;
  private paused = 0;
  private reading = false;
  private subscriber: ((ev: SubscriptionEvent) => void) | undefined;
  private refs = 0;

  private readonly recvBatch: number;
  /** Where {@link dumpSync} takes the received datagrams (made on first use, then reused). */
  private syncTarget: Buffer | undefined;

  private constructor(fd: number, protocol: number, window: number, recvBatch: number) {
    this.fd = fd;
    this.protocol = protocol;
    this.window = window;
    this.recvBatch = recvBatch;
    const name = native.getsockname(fd);
    this.portId = name.readUInt32LE(4);
    this.poller = new native.Poller(fd, (err) => this.onReadable(err));
    this.poller.start(true, false);
    this.poller.unref();
  }

  /** Open, configure (extended ACK, strict checking, buffer size) and bind a netlink socket. */
  static open(protocol: number, opts: SocketOptions = {}): NetlinkSocket {
    const fd = openNetlinkFd(protocol, opts);
    return new NetlinkSocket(fd, protocol, opts.window ?? 2048, opts.recvBatch ?? RECV_BATCH);
  }

  /** Set an integer SOL_NETLINK option (e.g. NETLINK.GET_STRICT_CHK). */
  setOption(option: number, value: number): void {
    native.setsockopt(this.fd, SOL_NETLINK, option, value);
  }

  /** Join a multicast group. */
  join(group: number): void {
    native.setsockopt(this.fd, SOL_NETLINK, NETLINK.ADD_MEMBERSHIP, group);
  }

  /** Leave a multicast group. */
  leave(group: number): void {
    native.setsockopt(this.fd, SOL_NETLINK, NETLINK.DROP_MEMBERSHIP, group);
  }

  /** The next sequence number (never 0, which multicast notifications use). */
  private nextSeq(): number {
    this.seq = (this.seq + 1) >>> 0;
    if (this.seq === 0) this.seq = 1;
    return this.seq;
  }

  /**
   * Send one request that the kernel acknowledges (the builder must set
   * NLM_F_ACK, or the request must be one that always answers, like a GET).
   * Resolves with the data messages received before the ACK.
   */
  request(build: RequestBuilder, operation: string, opts: RequestOptions = {}): Promise<MessageView[]> {
    return new Promise<MessageView[]>((resolve, reject) => {
      if (this.closed) { reject(new SocketClosedError(operation)); return; }
      if (opts.signal?.aborted) { reject(abortReason(opts.signal)); return; }
      const seq = this.nextSeq();
      const replies: MessageView[] = [];
      let settled = false;
      let cleanup = (): void => {};
      const finish = (err: Error | null): void => {
        if (settled) return;
        settled = true;
        cleanup();
        if (err) reject(err); else resolve(replies);
      };
      const p: Pending = {
        operation, isDump: false,
        onData: (m) => { replies.push(m); },
        onDone: () => finish(null),
        onError: (e) => finish(e),
      };
      const onWarning = opts.onWarning;
      if (onWarning) p.onAck = (m) => { const w = ackWarning(m); if (w !== undefined) onWarning(w); };
      cleanup = this.track(seq, p, opts, (e) => {
        // Abandoned: a late reply for seq is ignored (its entry stays until it arrives).
        this.pending.set(seq, { operation, isDump: false, onData() {}, onDone() {}, onError() {} });
        finish(e);
      });
      this.enqueue(build, seq);
    });
  }

  /**
   * Send a request without waiting for anything, e.g. a request without
   * NLM_F_ACK whose errors do not matter. Returns its sequence number.
   */
  sendOnly(build: RequestBuilder): number {
    if (this.closed) throw new SocketClosedError('send');
    const seq = this.nextSeq();
    this.outbox.pad4();
    build(this.outbox, seq);
    this.queuedEnds.push(this.outbox.offset);
    this.scheduleFlush();
    return seq;
  }

  /**
   * Start a dump and stream its decoded messages. Dumps on one socket run one
   * at a time (the kernel allows one per socket); later ones wait their turn.
   */
  dump<T>(build: RequestBuilder, decode: DumpDecoder<T>, operation: string, opts: DumpOptions = {}): DumpStream<T> {
    return new DumpStream<T>(this, build, decode, operation, opts);
  }

  /**
   * Run a dump to its end inside this call: every reply message is handed to
   * `onMessage` in order, and the event loop does not turn. The replies are
   * received by a native reader thread ({@link NativeReader}), so the kernel
   * fills the next datagrams on another core while `onMessage` handles the
   * previous ones. The message (and its `buf`) is only valid during the
   * callback: copy what must outlive it.
   *
   * Returns false, having sent nothing, when it cannot run here (the addon
   * lacks the reader, or the socket is closed or busy: requests in flight or
   * queued, a dump running, a subscriber); use {@link dump} then. Throws the
   * dump's {@link NetlinkError} (NLMSG_ERROR, or an error carried by
   * NLMSG_DONE), a receive error (e.g. ENOBUFS), or what `onMessage` throws;
   * interrupted dumps (NLM_F_DUMP_INTR) are not retried.
   */
  dumpSync(build: RequestBuilder, operation: string, onMessage: (m: MessageView) => void): boolean {
    const Reader = native.Reader;
    if (typeof Reader !== 'function' || this.closed || this.pending.size || this.dumpActive || this.queuedEnds.length || this.subscriber) return false;
    const seq = this.nextSeq();
    const w = new Writer(512);
    build(w, seq);
    const reader = new Reader(this.fd, w.buf.subarray(0, w.offset), seq);
    const target = this.syncTarget ??= Buffer.allocUnsafeSlow(SYNC_CHUNK);
    // One view object for every message: valid during the callback only, like the buffer it points into.
    const m = { type: 0, flags: 0, seq: 0, pid: 0, buf: target, off: 0, len: 0 };
    let ended = false;
    try {
      for (;;) {
        let n: number | null;
        try {
          n = reader.next(target, true);
        } catch (e) {
          ended = true; // a receive error ends the reader
          throw e;
        }
        if (n === null) { ended = true; throw new Error(`${operation}: the dump ended without NLMSG_DONE`); }
        let p = 0;
        while (n - p >= 16) {
          const len = u32le(target, p);
          if (len < 16 || len > n - p) throw new ParseError(`${operation}: malformed netlink message`, p);
          m.type = target[p + 4]! | (target[p + 5]! << 8);
          m.flags = target[p + 6]! | (target[p + 7]! << 8);
          m.seq = u32le(target, p + 8);
          m.pid = u32le(target, p + 12);
          m.off = p + 16;
          m.len = len - 16;
          p += (len + 3) & ~3;
          // Nothing else is in flight on this socket: other replies are stale, notifications unwanted.
          if (m.seq !== seq) continue;
          if (m.type === NLMSG.ERROR || m.type === NLMSG.DONE) {
            // The reader stopped after this datagram.
            ended = true;
            const err = m.type === NLMSG.ERROR || m.len >= 4 ? parseNlmsgerr(m, operation) : null;
            if (err) throw err;
            return true;
          }
          if (m.type === NLMSG.NOOP) continue;
          if (m.type === NLMSG.OVERRUN) throw new Error(`${operation}: netlink overrun`);
          onMessage(m);
        }
      }
    } finally {
      // Stopped halfway (onMessage threw, a malformed message): read the
      // dump to its end, or the kernel would refuse this socket's next dump.
      if (!ended) {
        try { while (reader.next(target, true) !== null); } catch { /* a receive error ends it too */ }
      }
      reader.close();
    }
  }

  /**
   * @internal Register a dump whose request is sent when no other dump runs.
   * Returns `abandon`, which drops the rest of the dump (replies are read and
   * discarded until DONE, so the socket is free for the next dump).
   */
  startDump(build: RequestBuilder, pending: Pending, opts: RequestOptions): () => void {
    let seq = 0;
    let state: 'queued' | 'running' | 'over' = 'queued';
    let cleanupTrack = (): void => {};
    const release = (): void => { this.dumpActive = false; this.nextDump(); };
    const discardRest = (): void => {
      if (this.closed) { release(); return; }
      this.refDelta(+1);
      const end = (): void => { this.pending.delete(seq); this.refDelta(-1); release(); };
      this.pending.set(seq, { operation: pending.operation, isDump: true, onData() {}, onDone: end, onError: end });
    };
    const launch = (): void => {
      if (state === 'over') { this.nextDump(); return; }
      if (this.closed) { state = 'over'; pending.onError(new SocketClosedError(pending.operation)); return; }
      state = 'running';
      this.dumpActive = true;
      seq = this.nextSeq();
      const wrapped: Pending = {
        operation: pending.operation, isDump: true,
        onData: (m) => pending.onData(m),
        onDone: () => { state = 'over'; cleanupTrack(); release(); pending.onDone(); },
        onError: (e) => { state = 'over'; cleanupTrack(); release(); pending.onError(e); },
      };
      cleanupTrack = this.track(seq, wrapped, opts, (e) => {
        state = 'over';
        discardRest();
        this.resumeReadingIfIdle();
        pending.onError(e);
      });
      this.enqueue(build, seq);
    };
    if (this.dumpActive) this.dumpQueue.push(launch); else launch();
    return () => {
      if (state === 'queued') { state = 'over'; return; }
      if (state === 'running') {
        state = 'over';
        cleanupTrack();
        discardRest();
      }
    };
  }

  /** After an abandoned dump, make sure we keep reading to drain it. */
  private resumeReadingIfIdle(): void {
    if (this.paused > 0 && !this.closed) { this.paused = 0; this.poller.start(true, false); }
  }

  private nextDump(): void {
    const next = this.dumpQueue.shift();
    if (next) next();
  }

  /** Register a pending entry with abort/timeout; returns its cleanup. */
  private track(seq: number, p: Pending, opts: RequestOptions, abandon: (e: Error) => void): () => void {
    this.pending.set(seq, p);
    this.inflight++;
    this.refDelta(+1);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let done = false;
    const cleanup = (): void => {
      if (done) return;
      done = true;
      if (this.pending.get(seq) === p) this.pending.delete(seq);
      this.inflight--;
      this.refDelta(-1);
      if (timer) clearTimeout(timer);
      if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
      if (this.queuedEnds.length) this.scheduleFlush();
    };
    if (opts.signal) {
      const signal = opts.signal;
      onAbort = () => { const e = abortReason(signal); cleanup(); abandon(e); };
      signal.addEventListener('abort', onAbort, { once: true });
    }
    if (opts.timeout !== undefined) {
      timer = setTimeout(() => { cleanup(); abandon(new TimeoutError(p.operation, opts.timeout!)); }, opts.timeout);
    }
    return cleanup;
  }

  private refDelta(d: number): void {
    const before = this.refs;
    this.refs += d;
    if (this.closed) return;
    if (before === 0 && this.refs > 0) this.poller.ref();
    else if (before > 0 && this.refs === 0) this.poller.unref();
  }

  private enqueue(build: RequestBuilder, seq: number): void {
    this.outbox.pad4();
    build(this.outbox, seq);
    this.queuedEnds.push(this.outbox.offset);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const run = (): void => { this.flushScheduled = false; this.flush(); };
    if (this.corked) setImmediate(run); else queueMicrotask(run);
  }

  /**
   * Coalesce sends: until {@link uncork}, queued requests go out when the
   * event loop turns (i.e. when the caller waits for I/O) instead of after
   * every microtask, so a producer that awaits between requests (e.g.
   * `ip -batch`, which parses line by line) still sends them in a few large
   * sendmsg calls. Nothing waits forever: any wait for an answer lets the
   * loop turn and the queue flush. Nested.
   */
  cork(): void {
    this.corked++;
  }

  /** Undo one {@link cork}; whatever is queued is sent now. */
  uncork(): void {
    if (this.corked === 0) return;
    if (--this.corked === 0 && this.queuedEnds.length) this.flush();
  }

  /** Send queued messages, at most SEND_CHUNK bytes per sendmsg, while the window allows. */
  private flush(): void {
    if (this.closed) return;
    while (this.queuedEnds.length) {
      // Messages sent but unanswered count against the window: queuedEnds holds unsent ones only.
      let end = this.sentUpTo;
      let n = 0;
      const budget = this.window - (this.inflight - this.queuedEnds.length);
      // Window full: wait for replies (each answered request schedules a flush).
      // Sending one message per sendmsg instead would ignore the window and
      // cost a syscall per request.
      if (budget <= 0) return;
      while (n < this.queuedEnds.length && n < budget && this.queuedEnds[n]! - this.sentUpTo <= SEND_CHUNK) {
        end = this.queuedEnds[n]!;
        n++;
      }
      if (n === 0) {
        end = this.queuedEnds[0]!; // one message bigger than a chunk
        n = 1;
      }
      try {
        native.sendmsg(this.fd, this.outbox.buf.subarray(this.sentUpTo, end), null);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'EAGAIN') { setTimeout(() => this.flush(), 1); return; }
        // Fail the messages of this batch: find their seqs from the headers.
        for (let p = this.sentUpTo; p < end; p = (p + this.outbox.buf.readUInt32LE(p) + 3) & ~3) {
          const seq = this.outbox.buf.readUInt32LE(p + 8);
          const pend = this.pending.get(seq);
          if (pend) pend.onError(e as Error);
          if (this.outbox.buf.readUInt32LE(p) < 16) break;
        }
      }
      this.sentUpTo = end;
      this.queuedEnds.splice(0, n);
    }
    this.outbox.reset();
    this.sentUpTo = 0;
  }

  /** Stop reading (backpressure from a slow consumer). Nested; see {@link resumeReading}. */
  pauseReading(): void {
    if (this.paused++ === 0 && !this.closed) this.poller.stop();
  }

  /** Undo one {@link pauseReading}. */
  resumeReading(): void {
    if (this.paused === 0) return;
    if (--this.paused === 0 && !this.closed) {
      this.poller.start(true, false);
      // Data may already be waiting; the poller reports it (level-triggered).
    }
  }

  private onReadable(err: Error | null): void {
    if (this.closed || this.reading) return;
    if (err) {
      // libuv reports a pending socket error (POLLERR, e.g. ENOBUFS after an
      // overrun) as EBADF and stops the handle: read to learn the real error,
      // then watch again.
      if (this.paused === 0) this.poller.start(true, false);
    }
    this.reading = true;
    try {
      for (let round = 0; round < 16 && this.paused === 0 && !this.closed; round++) {
        let data: Buffer | null;
        try {
          data = native.recvmany(this.fd, this.recvBatch);
        } catch (e) {
          if ((e as { code?: string }).code === 'ENOBUFS') { this.onOverflow(); continue; }
          this.failAll(e as Error);
          return;
        }
        if (!data) break;
        this.dispatch(data);
      }
    } finally {
      this.reading = false;
    }
  }

  private onOverflow(): void {
    if (this.subscriber) { this.subscriber({ kind: 'overflow' }); return; }
    // Replies may have been lost: nothing pending can be trusted to complete.
    const e = Object.assign(new Error('netlink receive buffer overflowed (ENOBUFS): replies were lost'), { code: 'ENOBUFS', errno: 105 });
    this.failAll(e);
  }

  private failAll(e: Error): void {
    for (const [, p] of [...this.pending]) p.onError(e);
    this.pending.clear();
  }

  private dispatch(data: Buffer): void {
    let p = 0;
    const end = data.length;
    while (end - p >= 16) {
      // The header read inline (not readUInt32LE & co.): this runs for every message of every dump.
      const len = u32le(data, p);
      if (len < 16 || len > end - p) break; // malformed: drop the rest of this batch
      const seq = u32le(data, p + 8);
      const m: MessageView = {
        type: data[p + 4]! | (data[p + 5]! << 8),
        flags: data[p + 6]! | (data[p + 7]! << 8),
        seq,
        pid: u32le(data, p + 12),
        buf: data,
        off: p + 16,
        len: len - 16,
      };
      p += (len + 3) & ~3;
      const pend = seq === 0 ? undefined : this.pending.get(seq);
      if (!pend) {
        if (this.subscriber && m.type !== NLMSG.ERROR && m.type !== NLMSG.DONE) this.subscriber({ kind: 'message', message: m });
        continue;
      }
      if (m.type === NLMSG.ERROR) {
        let err: NetlinkError | null;
        try { err = parseNlmsgerr(m, pend.operation); } catch (e) { pend.onError(e as Error); continue; }
        if (err) pend.onError(err); else { pend.onAck?.(m); pend.onDone(); }
      } else if (m.type === NLMSG.DONE) {
        let err: NetlinkError | null = null;
        if (m.len >= 4) {
          try { err = parseNlmsgerr(m, pend.operation); } catch { err = null; }
        }
        if (err) pend.onError(err); else pend.onDone();
      } else if (m.type === NLMSG.NOOP) {
        continue;
      } else if (m.type === NLMSG.OVERRUN) {
        pend.onError(new Error(`${pend.operation}: netlink overrun`));
      } else {
        pend.onData(m);
      }
    }
  }

  /**
   * Send a GET (the builder must set NLM_F_ACK) and resolve with its one
   * reply message, e.g. RTM_GETLINK for one link.
   */
  async get(build: RequestBuilder, operation: string, opts: RequestOptions = {}): Promise<MessageView> {
    const replies = await this.request(build, operation, opts);
    const m = replies[0];
    if (!m) throw new Error(`${operation}: no reply`);
    return m;
  }

  /** Receive every message that matches no request (multicast notifications). One subscriber per socket. */
  subscribe(handler: (ev: SubscriptionEvent) => void): () => void {
    if (this.subscriber) throw new Error('this socket already has a subscriber');
    this.subscriber = handler;
    this.refDelta(+1);
    return () => {
      if (this.subscriber === handler) { this.subscriber = undefined; this.refDelta(-1); }
    };
  }

  /** Whether {@link close} was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Close the socket; everything pending rejects with {@link SocketClosedError}. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.poller.close();
    native.close(this.fd);
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.onError(new SocketClosedError(p.operation));
    for (const launch of this.dumpQueue.splice(0)) launch();
    if (this.subscriber) this.subscriber = undefined;
  }
}
