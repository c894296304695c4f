/**
 * A growable little-endian byte writer for netlink messages.
 *
 * Messages and attributes are written header-first with a placeholder length
 * that is back-patched when the message or attribute ends, so nesting costs a
 * stack of start offsets and no intermediate buffers.
 *
 * @module
 */

const NLMSG_HDRLEN = 16;
const NLA_HDRLEN = 4;

/** Round `n` up to the 4-byte netlink alignment. */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

/*
 * Little-endian stores by byte: the callers have ensured the room, and
 * Buffer#writeUInt16LE/32LE's checks cost more than the store on the paths
 * that run once per message in bulk work (headers, attribute headers).
 */
function put16(b: Buffer, off: number, v: number): void {
  b[off] = v;
  b[off + 1] = v >>> 8;
}
function put32(b: Buffer, off: number, v: number): void {
  b[off] = v;
  b[off + 1] = v >>> 8;
  b[off + 2] = v >>> 16;
  b[off + 3] = v >>> 24;
}

/** Growable byte writer; one instance can be reused for many messages with {@link Writer.reset}. */
export class Writer {
  /** Backing store; only bytes `[0, offset)` are meaningful. */
  buf: Buffer;
  /** Write position. */
  offset = 0;

  constructor(initialSize = 4096) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Forget everything written; keeps the backing store. */
  reset(): this {
    this.offset = 0;
    return this;
  }

  /** Make room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.offset + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.offset);
    this.buf = next;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.offset++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    put16(this.buf, this.offset, v);
    this.offset += 2;
    return this;
  }

  be16(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16BE(v & 0xffff, this.offset);
    this.offset += 2;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    put32(this.buf, this.offset, v);
    this.offset += 4;
    return this;
  }

  s32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32LE(v | 0, this.offset);
    this.offset += 4;
    return this;
  }

  be32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.offset);
    this.offset += 4;
    return this;
  }

  u64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.offset);
    this.offset += 8;
    return this;
  }

  s64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64LE(BigInt.asIntN(64, v), this.offset);
    this.offset += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.offset);
    this.offset += b.length;
    return this;
  }

  /** Write a string as UTF-8 followed by a NUL, like iproute2's addattr_l(strlen + 1). */
  cstring(s: string): this {
    const n = Buffer.byteLength(s);
    this.ensure(n + 1);
    this.buf.write(s, this.offset);
    this.buf[this.offset + n] = 0;
    this.offset += n + 1;
    return this;
  }

  zeros(n: number): this {
    this.ensure(n);
    // Padding is 1–3 bytes: a loop beats Buffer#fill's native call.
    if (n <= 16) for (let i = 0; i < n; i++) this.buf[this.offset + i] = 0;
    else this.buf.fill(0, this.offset, this.offset + n);
    this.offset += n;
    return this;
  }

  /** Pad with zeros to the next 4-byte boundary. */
  pad4(): this {
    const pad = align4(this.offset) - this.offset;
    if (pad) this.zeros(pad);
    return this;
  }

  /**
   * Start a netlink message; returns its start offset for {@link endMessage}.
   * Header: u32 len, u16 type, u16 flags, u32 seq, u32 pid.
   */
  beginMessage(type: number, flags: number, seq = 0, pid = 0): number {
    this.pad4();
    const start = this.offset;
    this.ensure(NLMSG_HDRLEN);
    const b = this.buf;
    put32(b, start, 0);
    put16(b, start + 4, type);
    put16(b, start + 6, flags);
    put32(b, start + 8, seq);
    put32(b, start + 12, pid);
    this.offset += NLMSG_HDRLEN;
    return start;
  }

  /** Back-patch the length of the message begun at `start` (aligned, as iproute2 sends it). */
  endMessage(start: number): void {
    this.pad4();
    put32(this.buf, start, this.offset - start);
  }

  /** Start an attribute of `type` (already including NLA_F_* flags); returns its start offset. */
  beginAttr(type: number): number {
    this.pad4();
    const start = this.offset;
    this.ensure(NLA_HDRLEN);
    put16(this.buf, start, 0);
    put16(this.buf, start + 2, type);
    this.offset += NLA_HDRLEN;
    return start;
  }

  /** Back-patch the attribute length (unpadded, per netlink) and pad to alignment. */
  endAttr(start: number): void {
    const len = this.offset - start;
    if (len > 0xffff) throw new RangeError(`netlink attribute too long (${len} bytes)`);
    put16(this.buf, start, len);
    this.pad4();
  }

  /** Set the sequence number of the message begun at `start`. */
  setSeq(start: number, seq: number): void {
    this.buf.writeUInt32LE(seq >>> 0, start + 8);
  }

  /** A copy of the bytes written so far. */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.offset));
  }

  /** A view (no copy) of the bytes written so far; valid until the next write. */
  view(): Buffer {
    return this.buf.subarray(0, this.offset);
  }
}
