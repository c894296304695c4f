/**
 * ss's standard output: text and the renderer's bytes, in order, written to
 * a file descriptor in large writes.
 * @module
 */
import { writeSync } from 'node:fs';
import type { ByteSink } from './render.js';

/** A sink on a file descriptor that takes strings and bytes (default stdout). */
export class FdByteSink implements ByteSink {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly fd = 1, private readonly threshold = 64 * 1024) {}

  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= this.threshold) this.flush();
  }

  /** Written at once (after any text written before), so `b` may be reused by the caller. */
  writeBytes(b: Uint8Array): void {
    this.flush();
    this.writeAll(b);
  }

  flush(): void {
    if (!this.parts.length) return;
    const buf = Buffer.from(this.parts.join(''));
    this.parts = [];
    this.size = 0;
    this.writeAll(buf);
  }

  private writeAll(buf: Uint8Array): void {
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'EAGAIN') continue;
        // A closed pipe (ss | head): stop writing, as ss dies quietly on SIGPIPE.
        if (code === 'EPIPE') return;
        throw e;
      }
    }
  }
}
