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
    this.buf.writeUInt16LE(v & 0xffff, this.offset);
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
    this.buf.writeUInt32LE(v >>> 0, this.offset);
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
    this.buf.fill(0, this.offset, this.offset + n);
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
    this.buf.writeUInt32LE(0, start);
    this.buf.writeUInt16LE(type, start + 4);
    this.buf.writeUInt16LE(flags, start + 6);
    this.buf.writeUInt32LE(seq >>> 0, start + 8);
    this.buf.writeUInt32LE(pid >>> 0, start + 12);
    this.offset += NLMSG_HDRLEN;
    return start;
  }

  /** Back-patch the length of the message begun at `start` (aligned, as iproute2 sends it). */
  endMessage(start: number): void {
    this.pad4();
    this.buf.writeUInt32LE(this.offset - start, start);
  }

  /** Start an attribute of `type` (already including NLA_F_* flags); returns its start offset. */
  beginAttr(type: number): number {
    this.pad4();
    const start = this.offset;
    this.ensure(NLA_HDRLEN);
    this.buf.writeUInt16LE(0, start);
    this.buf.writeUInt16LE(type, start + 2);
    this.offset += NLA_HDRLEN;
    return start;
  }

  /** Back-patch the attribute length (unpadded, per netlink) and pad to alignment. */
  endAttr(start: number): void {
    const len = this.offset - start;
    if (len > 0xffff) throw new RangeError(`netlink attribute too long (${len} bytes)`);
    this.buf.writeUInt16LE(len, start);
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
