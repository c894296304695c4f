/**
 * Text built as bytes: the hot paths of long listings (`tc -s class show`
 * with tens of thousands of classes) write words and digits straight into
 * one buffer instead of building strings, which then had to be joined,
 * flattened and encoded to UTF-8 again before they could be written.
 * @module
 */
import type { Sink } from './printer.js';

/** A sink that also takes bytes (written, or copied, before `writeBytes` returns). */
export interface ByteSink extends Sink {
  writeBytes(b: Uint8Array): void;
}

/** Whether `s` takes bytes. */
export function isByteSink(s: Sink): s is ByteSink {
  return typeof (s as Partial<ByteSink>).writeBytes === 'function';
}

/** ASCII text as bytes (for the constant words of a renderer). */
export function ascii(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/** "00".."99": two digits per step of the decimal writer. */
const PAIRS = ascii(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''));
const HEX = ascii('0123456789abcdef');

/** Decimal digits of `n` (a non-negative integer below 2^53). */
function decimalDigits(n: number): number {
  let d = 1;
  while (n >= 10) { n = Math.floor(n / 10); d++; }
  return d;
}

/**
 * A growing byte buffer with writers for text and numbers. `pos` may be
 * set back to discard what was written since (a renderer that gives up
 * half-way through a line).
 */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(size = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /**
   * Make room for `n` more bytes. The writers check for room themselves and
   * call this only when there is none: a call per write would cost, as V8
   * does not inline in tc (bin/rip.js).
   */
  private grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = Buffer.allocUnsafe(size);
    this.buf.copy(b, 0, 0, this.pos);
    this.buf = b;
  }

  /** Text (UTF-8; ASCII is copied character by character). */
  str(s: string): void {
    const n = s.length;
    if (this.pos + n * 3 > this.buf.length) this.grow(n * 3);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        p += b.write(i ? s.slice(i) : s, p, 'utf8');
        break;
      }
      b[p++] = c;
    }
    this.pos = p;
  }

  /** Bytes (e.g. a constant word made by {@link ascii}). */
  bytes(x: Uint8Array): void {
    const n = x.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const b = this.buf;
    const p = this.pos;
    // Words are short: a loop costs less than TypedArray#set's call once V8 has optimised this.
    if (n <= 16) {
      for (let i = 0; i < n; i++) b[p + i] = x[i]!;
    } else {
      b.set(x, p);
    }
    this.pos = p + n;
  }

  /** One byte (an ASCII character code). */
  byte(c: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = c;
  }

  /** A non-negative integer below 2^53 in decimal (C's %u / %llu). */
  uint(n: number): void {
    if (n < 10) {
      if (this.pos >= this.buf.length) this.grow(1);
      this.buf[this.pos++] = 48 + n;
      return;
    }
    const k = n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : decimalDigits(n);
    if (this.pos + k > this.buf.length) this.grow(k);
    const b = this.buf;
    let p = this.pos + k;
    this.pos = p;
    if (n >= 0x80000000) {
      // Beyond int32: Number division until the rest fits.
      while (n >= 0x80000000) {
        const q = Math.floor(n / 100);
        const r = (n - q * 100) * 2;
        b[--p] = PAIRS[r + 1]!;
        b[--p] = PAIRS[r]!;
        n = q;
      }
    }
    while (n >= 100) {
      const q = (n / 100) | 0;
      const r = (n - q * 100) * 2;
      b[--p] = PAIRS[r + 1]!;
      b[--p] = PAIRS[r]!;
      n = q;
    }
    if (n >= 10) {
      b[--p] = PAIRS[n * 2 + 1]!;
      b[--p] = PAIRS[n * 2]!;
    } else {
      b[--p] = 48 + n;
    }
  }

  /** A signed 32-bit integer in decimal (C's %d). */
  int(n: number): void {
    n |= 0;
    if (n < 0) {
      this.byte(45);
      this.uint(-n);
    } else {
      this.uint(n);
    }
  }

  /** An unsigned 32-bit integer in lowercase hexadecimal, no prefix (C's %x). */
  hex(n: number): void {
    n >>>= 0;
    let k = 1;
    for (let x = n >>> 4; x; x >>>= 4) k++;
    if (this.pos + k > this.buf.length) this.grow(k);
    const b = this.buf;
    let p = this.pos + k;
    this.pos = p;
    do {
      b[--p] = HEX[n & 15]!;
      n >>>= 4;
    } while (n);
  }

  /** The unsigned 64-bit little-endian integer at 4-aligned byte offset `off` of `w`, in decimal. */
  u64(w: Uint32Array, off: number): void {
    const i = off >>> 2;
    const hi = w[i + 1]!;
    if (hi < 0x200000) this.uint(hi * 4294967296 + w[i]!);
    else this.str(((BigInt(hi) << 32n) | BigInt(w[i]!)).toString());
  }

  /** What was written since byte `from`, as text (tests, and sinks that take no bytes). */
  text(from = 0): string {
    return this.buf.toString('utf8', from, this.pos);
  }

  /** Hand everything written to `sink` (as bytes when it takes them) and start over. */
  flushTo(sink: Sink): void {
    if (this.pos === 0) return;
    if (isByteSink(sink)) sink.writeBytes(this.buf.subarray(0, this.pos));
    else sink.write(this.text());
    this.pos = 0;
  }
}
