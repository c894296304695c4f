/**
 * The async side of a netlink dump: {@link DumpStream} turns the replies a
 * {@link NetlinkSocket} routes to it (see NetlinkSocket.startDump) into an
 * async iterable with batching, backpressure and the DUMP_INTR policy;
 * {@link listStream} is the same shape for lists that need a lookup first.
 * Re-exported by socket.ts, where `dump()` creates them.
 * @module
 */
import { NLM_F } from './constants.js';
import { DumpInterruptedError } from './errors.js';
import type { NetlinkSocket, Pending, RequestBuilder, DumpDecoder, DumpOptions } from './socket.js';

/** An async iterable with {@link DumpStream}'s `toArray`, for lists that need a lookup before their dump starts. */
export type ListStream<T> = AsyncIterable<T> & { toArray(): Promise<T[]> };

/**
 * A {@link ListStream} over `run`, which is started afresh by each iteration
 * (e.g. resolve a device name, then stream a dump filtered by its index).
 */
export function listStream<T>(run: () => AsyncGenerator<T>): ListStream<T> {
  return {
    [Symbol.asyncIterator]: () => run(),
    toArray: async () => {
      const out: T[] = [];
      for await (const x of run()) out.push(x);
      return out;
    },
  };
}

/**
 * A dump in progress: an async iterable of decoded messages that streams as
 * replies arrive. Iterate it once, or call {@link DumpStream.toArray}.
 */
export class DumpStream<T> implements AsyncIterable<T> {
  /** Set when the kernel flagged the dump as interrupted (only meaningful with `partial`). */
  interrupted = false;
  /** How many times the dump was restarted because the kernel flagged it interrupted. */
  retries = 0;
  private consumed = false;

  constructor(
    private readonly sock: NetlinkSocket,
    private readonly build: RequestBuilder,
    private readonly decode: DumpDecoder<T>,
    private readonly operation: string,
    private readonly opts: DumpOptions,
  ) {}

  /** Collect every item. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const batch of this.batches()) for (const x of batch) out.push(x);
    return out;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const batch of this.batches()) yield* batch;
  }

  /**
   * Stream in batches (one per receive round): cheaper than per-item
   * iteration when there are millions of items.
   */
  async *batches(): AsyncGenerator<T[], void, undefined> {
    if (this.consumed) throw new Error(`${this.operation}: a dump stream can be iterated once`);
    this.consumed = true;
    const policy = this.opts.interrupted ?? 'retry';
    const maxRetries = this.opts.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      const run = this.run(policy !== 'retry');
      if (policy !== 'retry') {
        yield* run.stream;
        if (run.state.interrupted) {
          this.interrupted = true;
          if (policy === 'throw') throw new DumpInterruptedError(this.operation);
        }
        return;
      }
      const all: T[][] = [];
      for await (const b of run.stream) all.push(b);
      if (!run.state.interrupted) {
        for (const b of all) yield b;
        return;
      }
      if (attempt >= maxRetries) {
        this.interrupted = true;
        throw new DumpInterruptedError(this.operation);
      }
      this.retries++;
    }
  }

  private run(streaming: boolean): { stream: AsyncGenerator<T[], void, undefined>; state: { interrupted: boolean } } {
    const state = { interrupted: false };
    const sock = this.sock;
    const queue: T[][] = [];
    let current: T[] = [];
    let queued = 0;
    let finished = false;
    let failure: Error | null = null;
    let wake: (() => void) | null = null;
    let paused = false;
    // Decoded items queued before reading pauses; with RECV_BATCH this bounds a dump's memory.
    const HIGH = 4096;
    const notify = (): void => { const w = wake; wake = null; if (w) w(); };
    const decode = this.decode;
    const pending: Pending = {
      operation: this.operation, isDump: true,
      onData: (m) => {
        if (m.flags & NLM_F.DUMP_INTR) state.interrupted = true;
        let v: T | undefined;
        try { v = decode(m); } catch (e) { failure ??= e as Error; return; }
        if (v === undefined) return;
        current.push(v);
        if (++queued > HIGH && streaming && !paused) { paused = true; sock.pauseReading(); }
        if (current.length >= 256) { queue.push(current); current = []; }
        notify();
      },
      onDone: () => { finished = true; notify(); },
      onError: (e) => { failure ??= e; finished = true; notify(); },
    };
    const cancel = sock.startDump(this.build, pending, this.opts);
    async function* stream(): AsyncGenerator<T[], void, undefined> {
      try {
        for (;;) {
          if (current.length && (finished || queue.length === 0)) { queue.push(current); current = []; }
          while (queue.length) {
            const b = queue.shift()!;
            queued -= b.length;
            if (paused && queued < HIGH / 2) { paused = false; sock.resumeReading(); }
            yield b;
          }
          if (failure) throw failure;
          if (finished) { if (current.length) continue; return; }
          await new Promise<void>((r) => { wake = r; });
        }
      } finally {
        if (paused) { paused = false; sock.resumeReading(); }
        if (!finished) cancel();
      }
    }
    return { stream: stream(), state };
  }
}
