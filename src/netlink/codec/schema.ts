/**
 * Attribute schemas: one declaration drives encode, decode, the inferred
 * TypeScript type and random value generation (for property tests).
 *
 * ```ts
 * const linkInfo = attrs('IFLA_LINKINFO', {
 *   kind: attr(1, cstring),
 *   data: attr(2, bytes),
 * });
 * type LinkInfo = Infer<typeof linkInfo>;   // { kind?: string; data?: Buffer }
 * linkInfo.encode(writer, { kind: 'veth' });
 * const back = linkInfo.decode(buf, 0, buf.length);
 * ```
 *
 * Attributes are encoded in the key order of the value object (so a caller
 * that builds the object in command-line order gets iproute2's byte order),
 * and unknown attributes met while decoding are kept under {@link UNKNOWN}
 * and re-emitted byte-exact.
 * @module
 */
import { ParseError } from './errors.js';
import { Writer, align4 } from './writer.js';
import { formatAddress, formatLladdr, parseAddress, parseIPv4Into, parseLladdr } from '../addr.js';

/** The enclosing decoded/encoded attribute object, for codecs whose meaning depends on a sibling. */
export type Context = Readonly<Record<string, unknown>>;

/** Minimal deterministic random source for {@link Codec.arbitrary}. */
export interface Random {
  /** Integer in [0, n). */
  int(n: number): number;
  bool(): boolean;
  bytes(n: number): Buffer;
}

/** A seeded xorshift32 {@link Random}. */
export function seededRandom(seed = 1): Random {
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
  return {
    int: (n) => next() % n,
    bool: () => (next() & 1) === 1,
    bytes: (n) => {
      const b = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) b[i] = next() & 0xff;
      return b;
    },
  };
}

/** Encoder + decoder + generator for one wire value. */
export interface Codec<T> {
  /** For error paths and docs. */
  readonly name: string;
  /** Append the wire form of `value` (the attribute payload, without header). */
  encode(w: Writer, value: T, ctx: Context): void;
  /** Decode `len` bytes at `off`; throws only {@link ParseError}. */
  decode(buf: Buffer, off: number, len: number, ctx: Context): T;
  /** A random valid value such that decode(encode(v)) deep-equals v. */
  arbitrary(rng: Random, ctx: Context): T;
}

/** A codec of constant wire size, usable as a struct member. */
export interface FixedCodec<T> extends Codec<T> {
  readonly size: number;
  /** The value a missing (short struct) member decodes to. */
  readonly zero: T;
  read(buf: Buffer, off: number): T;
  write(buf: Buffer, off: number, value: T): void;
}

/** The value type a codec produces. */
export type Infer<C> = C extends Codec<infer T> ? T : never;

function need(len: number, size: number, off: number, name: string): void {
  if (len < size) throw new ParseError(`${name} needs ${size} bytes, got ${len}`, off);
}

function fixed<T>(
  name: string,
  size: number,
  zero: T,
  read: (buf: Buffer, off: number) => T,
  write: (buf: Buffer, off: number, v: T) => void,
  arbitrary: (rng: Random) => T,
): FixedCodec<T> {
  return {
    name, size, zero, read, write,
    encode(w, v) {
      w.ensure(size);
      write(w.buf, w.offset, v);
      w.offset += size;
    },
    decode(buf, off, len) {
      need(len, size, off, name);
      return read(buf, off);
    },
    arbitrary,
  };
}

const rndU32 = (r: Random): number => r.bytes(4).readUInt32LE(0);

export const u8 = fixed<number>('u8', 1, 0, (b, o) => b[o]!, (b, o, v) => { b[o] = v & 0xff; }, (r) => r.int(256));
export const s8 = fixed<number>('s8', 1, 0, (b, o) => b.readInt8(o), (b, o, v) => { b.writeInt8(v, o); }, (r) => r.int(256) - 128);
// u16/u32/s32 store bytes directly: every writer of a fixed member (struct
// write, encode) has ensured the room, and Buffer#write*LE's checks cost more
// than the store in per-message bulk work. The low bytes are the same.
export const u16 = fixed<number>('u16', 2, 0, (b, o) => b.readUInt16LE(o), (b, o, v) => { b[o] = v; b[o + 1] = v >>> 8; }, (r) => r.int(65536));
export const s16 = fixed<number>('s16', 2, 0, (b, o) => b.readInt16LE(o), (b, o, v) => { b.writeInt16LE(v, o); }, (r) => r.int(65536) - 32768);
export const be16 = fixed<number>('be16', 2, 0, (b, o) => b.readUInt16BE(o), (b, o, v) => { b.writeUInt16BE(v & 0xffff, o); }, (r) => r.int(65536));
export const u32 = fixed<number>('u32', 4, 0, (b, o) => b.readUInt32LE(o), (b, o, v) => { b[o] = v; b[o + 1] = v >>> 8; b[o + 2] = v >>> 16; b[o + 3] = v >>> 24; }, rndU32);
export const s32 = fixed<number>('s32', 4, 0, (b, o) => b.readInt32LE(o), (b, o, v) => { b[o] = v; b[o + 1] = v >> 8; b[o + 2] = v >> 16; b[o + 3] = v >> 24; }, (r) => rndU32(r) | 0);
export const be32 = fixed<number>('be32', 4, 0, (b, o) => b.readUInt32BE(o), (b, o, v) => { b.writeUInt32BE(v >>> 0, o); }, rndU32);
export const u64 = fixed<bigint>('u64', 8, 0n, (b, o) => b.readBigUInt64LE(o), (b, o, v) => { b.writeBigUInt64LE(BigInt.asUintN(64, v), o); }, (r) => r.bytes(8).readBigUInt64LE(0));
export const s64 = fixed<bigint>('s64', 8, 0n, (b, o) => b.readBigInt64LE(o), (b, o, v) => { b.writeBigInt64LE(BigInt.asIntN(64, v), o); }, (r) => r.bytes(8).readBigInt64LE(0));
export const be64 = fixed<bigint>('be64', 8, 0n, (b, o) => b.readBigUInt64BE(o), (b, o, v) => { b.writeBigUInt64BE(BigInt.asUintN(64, v), o); }, (r) => r.bytes(8).readBigUInt64BE(0));

/** `n` bytes of padding inside a struct (name struct members `_…` to hide them from the type). */
export function pad(n: number): FixedCodec<0> {
  return fixed<0>(`pad${n}`, n, 0, () => 0, (b, o) => { b.fill(0, o, o + n); }, () => 0);
}

/** Fixed-length raw bytes inside a struct. */
export function fixedBytes(n: number): FixedCodec<Buffer> {
  return fixed<Buffer>(`bytes${n}`, n, Buffer.alloc(n), (b, o) => Buffer.from(b.subarray(o, o + n)),
    (b, o, v) => { b.fill(0, o, o + n); v.copy(b, o, 0, Math.min(n, v.length)); }, (r) => r.bytes(n));
}

/** A zero-length attribute whose presence means true (NLA_FLAG). */
export const flag: Codec<true> = {
  name: 'flag',
  encode() {},
  decode() { return true; },
  arbitrary: () => true,
};

function randomText(rng: Random, max: number): string {
  const n = rng.int(max);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(0x21 + rng.int(94));
  return s;
}

/** A NUL-terminated string; decoding stops at the first NUL (or the attribute end). */
export const cstring: Codec<string> = {
  name: 'string',
  encode(w, v) { w.cstring(v); },
  decode(buf, off, len) {
    const end = buf.indexOf(0, off);
    return buf.toString('utf8', off, end >= 0 && end < off + len ? end : off + len);
  },
  arbitrary: (rng) => randomText(rng, 16),
};

/** A string attribute whose random values come from `choices` (so variants keyed by it get exercised). */
export function keyString(choices: readonly string[]): Codec<string> {
  return { ...cstring, arbitrary: (rng) => (choices.length && rng.int(4) ? choices[rng.int(choices.length)]! : randomText(rng, 12)) };
}

/** Raw bytes (copied out of the receive buffer). */
export const bytes: Codec<Buffer> = {
  name: 'bytes',
  encode(w, v) { w.bytes(v); },
  decode(buf, off, len) { return Buffer.from(buf.subarray(off, off + len)); },
  arbitrary: (rng) => rng.bytes(rng.int(24)),
};

/** Link-layer address as `aa:bb:cc:…` text. */
export const lladdr: Codec<string> = {
  name: 'lladdr',
  encode(w, v) {
    const b = parseLladdr(v);
    if (!b) throw new TypeError(`invalid link-layer address "${v}"`);
    w.bytes(b);
  },
  decode(buf, off, len) { return formatLladdr(buf, off, len); },
  arbitrary: (rng) => formatLladdr(rng.bytes(1 + rng.int(8))),
};

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address as text. */
export const ipaddr: Codec<string> = {
  name: 'ipaddr',
  encode(w, v) {
    // IPv4 goes straight into the writer (no Buffer per address in bulk work).
    if (!v.includes(':')) {
      w.ensure(4);
      if (!parseIPv4Into(v, w.buf, w.offset)) throw new TypeError(`invalid IP address "${v}"`);
      w.offset += 4;
      return;
    }
    const b = parseAddress(v);
    if (!b) throw new TypeError(`invalid IP address "${v}"`);
    w.bytes(b);
  },
  decode(buf, off, len) {
    if (len !== 4 && len !== 16) throw new ParseError(`IP address of ${len} bytes`, off);
    return formatAddress(buf, off, len);
  },
  arbitrary: (rng) => formatAddress(rng.bytes(rng.bool() ? 4 : 16)),
};

/** Map a codec's values through a bijection (e.g. numbers to names). */
export function transform<W, T>(
  inner: Codec<W>,
  name: string,
  fromWire: (w: W) => T,
  toWire: (v: T) => W,
): Codec<T> {
  return {
    name,
    encode(w, v, ctx) { inner.encode(w, toWire(v), ctx); },
    decode(buf, off, len, ctx) { return fromWire(inner.decode(buf, off, len, ctx)); },
    arbitrary: (rng, ctx) => fromWire(inner.arbitrary(rng, ctx)),
  };
}

// ---------------------------------------------------------------- structs

type StructFields = Record<string, FixedCodec<unknown>>;
/** The object type of a struct: members named `_…` are padding and hidden. */
export type InferStruct<F extends StructFields> = {
  -readonly [K in keyof F as K extends `_${string}` ? never : K]: F[K] extends FixedCodec<infer T> ? T : never;
};

/** A C struct codec. */
export interface StructCodec<T> extends FixedCodec<T> {
  /** Decode tolerating any length: members past `len` read as zero, bytes past our size are ignored. */
  decode(buf: Buffer, off: number, len: number): T;
  /** Members in order, with byte offsets. */
  readonly members: ReadonlyArray<{ readonly name: string; readonly offset: number; readonly codec: FixedCodec<unknown> }>;
}

/**
 * A fixed C struct. Reads are tolerant: a struct shorter than we know (older
 * kernel) yields zero for the missing members; a longer one (newer kernel) is
 * read up to what we know. Missing members encode as zero.
 */
export function struct<F extends StructFields>(name: string, fields: F): StructCodec<InferStruct<F>> {
  const members: Array<{ name: string; offset: number; codec: FixedCodec<unknown>; hidden: boolean }> = [];
  let size = 0;
  for (const [key, codec] of Object.entries(fields)) {
    members.push({ name: key, offset: size, codec, hidden: key.startsWith('_') });
    size += codec.size;
  }
  const visible = members.filter((m) => !m.hidden);
  type T = InferStruct<F>;
  // Missing members of a short struct read from zeros, so each decode gets
  // fresh values (a shared `zero` Buffer or object could be mutated by a caller).
  const zeros = Buffer.alloc(size);
  const read = (buf: Buffer, off: number, len = size): T => {
    const o: Record<string, unknown> = {};
    for (const m of visible) {
      o[m.name] = m.offset + m.codec.size <= len ? m.codec.read(buf, off + m.offset) : m.codec.read(zeros, m.offset);
    }
    return o as T;
  };
  const write = (buf: Buffer, off: number, v: T): void => {
    // A loop, not Buffer#fill: a native call costs more than zeroing a small
    // struct, and a struct is written per message in bulk work.
    for (let i = off; i < off + size; i++) buf[i] = 0;
    const rec = v as Record<string, unknown>;
    for (const m of visible) {
      const x = rec[m.name];
      if (x !== undefined) m.codec.write(buf, off + m.offset, x);
    }
  };
  const zero = read(Buffer.alloc(size), 0);
  return {
    name, size, zero, members,
    read: (buf, off) => read(buf, off),
    write,
    encode(w, v) {
      w.ensure(size);
      write(w.buf, w.offset, v);
      w.offset += size;
    },
    decode(buf, off, len) {
      return read(buf, off, Math.min(len, size));
    },
    arbitrary(rng) {
      const o: Record<string, unknown> = {};
      for (const m of visible) o[m.name] = m.codec.arbitrary(rng, o);
      return o as T;
    },
  };
}

/** Back-to-back fixed elements (e.g. an array of u32 or of structs). */
export function array<T>(el: FixedCodec<T>): Codec<T[]> {
  return {
    name: `${el.name}[]`,
    encode(w, v, ctx) { for (const x of v) el.encode(w, x, ctx); },
    decode(buf, off, len) {
      const n = Math.floor(len / el.size);
      const out = new Array<T>(n);
      for (let i = 0; i < n; i++) out[i] = el.read(buf, off + i * el.size);
      return out;
    },
    arbitrary(rng, ctx) {
      const n = rng.int(5);
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(el.arbitrary(rng, ctx));
      return out;
    },
  };
}

// ---------------------------------------------------------------- attribute sets

/** Netlink attribute header flag bits and mask. */
export const NLA_F_NESTED = 0x8000;
export const NLA_F_NET_BYTEORDER = 0x4000;
export const NLA_TYPE_MASK = 0x3fff;

/** Key under which attributes unknown to the schema are kept. */
export const UNKNOWN: unique symbol = Symbol('rip.unknownAttributes');

/** An attribute the schema does not know, kept verbatim. */
export interface RawAttribute {
  /** The full 16-bit type, flags included. */
  readonly type: number;
  readonly data: Buffer;
}

/** One attribute of a set. */
export interface Field<T> {
  readonly type: number;
  readonly codec: Codec<T>;
  /** Extra NLA_F_* bits set when encoding (e.g. NLA_F_NESTED where the kernel requires it). */
  readonly flags: number;
  /** May occur many times; decodes to an array. */
  readonly multi: boolean;
}

/** An attribute of `type` holding one value. */
export function attr<T>(type: number, codec: Codec<T>, flags = 0): Field<T> & { readonly multi: false } {
  return { type, codec, flags, multi: false };
}

/** An attribute of `type` that may repeat; decodes to an array in wire order. */
export function multi<T>(type: number, codec: Codec<T>, flags = 0): Field<T> & { readonly multi: true } {
  return { type, codec, flags, multi: true };
}

type Fields = Record<string, Field<unknown>>;

/** The object type of an attribute set: every attribute is optional. */
export type InferAttrs<F extends Fields> = {
  -readonly [K in keyof F]?: F[K] extends { readonly multi: true; readonly codec: Codec<infer T> }
    ? T[]
    : F[K] extends Field<infer T> ? T : never;
} & { [UNKNOWN]?: RawAttribute[] };

/** A set of netlink attributes (a message body or a nest). */
export interface AttrSet<T> extends Codec<T> {
  /** Fields by name. */
  readonly fields: Readonly<Record<string, Field<unknown>>>;
  /** Field name for a wire type, or undefined. */
  nameOf(type: number): string | undefined;
}

/**
 * Declare an attribute set. The returned codec encodes an object's attributes
 * in its key order and decodes into a fresh object.
 */
export function attrs<F extends Fields>(name: string, fields: F): AttrSet<InferAttrs<F>> {
  type T = InferAttrs<F>;
  const byType: Array<{ key: string; field: Field<unknown> } | undefined> = [];
  for (const [key, field] of Object.entries(fields)) {
    if (byType[field.type]) throw new Error(`${name}: attribute type ${field.type} declared twice`);
    byType[field.type] = { key, field };
  }
  const set: AttrSet<T> = {
    name,
    fields,
    nameOf: (type) => byType[type]?.key,
    encode(w, value) {
      const rec = value as Record<string, unknown>;
      for (const key in rec) {
        const v = rec[key];
        if (v === undefined) continue;
        const field = fields[key];
        if (!field) throw new TypeError(`${name}: unknown attribute "${key}"`);
        if (field.multi) {
          if (!Array.isArray(v)) throw new TypeError(`${name}.${key}: expected an array`);
          for (const item of v) {
            const start = w.beginAttr(field.type | field.flags);
            field.codec.encode(w, item, rec);
            w.endAttr(start);
          }
        } else {
          const start = w.beginAttr(field.type | field.flags);
          field.codec.encode(w, v, rec);
          w.endAttr(start);
        }
      }
      const unknown = (value as { [UNKNOWN]?: RawAttribute[] })[UNKNOWN];
      if (unknown) {
        for (const a of unknown) {
          const start = w.beginAttr(a.type);
          w.bytes(a.data);
          w.endAttr(start);
        }
      }
    },
    decode(buf, off, len) {
      const out: Record<string, unknown> = {};
      const end = off + len;
      let p = off;
      // Fewer than 4 trailing bytes are padding (iproute2 tolerates them too).
      while (end - p >= 4) {
        const alen = buf.readUInt16LE(p);
        const rawType = buf.readUInt16LE(p + 2);
        if (alen < 4 || alen > end - p) {
          throw new ParseError(`attribute type ${rawType & NLA_TYPE_MASK} has bad length ${alen}`, p, [name]);
        }
        const entry = byType[rawType & NLA_TYPE_MASK];
        if (entry) {
          let v: unknown;
          try {
            v = entry.field.codec.decode(buf, p + 4, alen - 4, out);
          } catch (e) {
            throw e instanceof ParseError ? e.within(`${name}.${entry.key}`) : e;
          }
          if (entry.field.multi) {
            const arr = out[entry.key] as unknown[] | undefined;
            if (arr) arr.push(v); else out[entry.key] = [v];
          } else {
            out[entry.key] = v;
          }
        } else {
          const rec = out as { [UNKNOWN]?: RawAttribute[] };
          (rec[UNKNOWN] ??= []).push({ type: rawType, data: Buffer.from(buf.subarray(p + 4, p + alen)) });
        }
        p += align4(alen);
      }
      return out as T;
    },
    arbitrary(rng) {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(fields)) {
        if (!rng.bool()) continue;
        if (field.multi) {
          const n = 1 + rng.int(3);
          const arr: unknown[] = [];
          for (let i = 0; i < n; i++) arr.push(field.codec.arbitrary(rng, out));
          out[key] = arr;
        } else {
          out[key] = field.codec.arbitrary(rng, out);
        }
      }
      return out as T;
    },
  };
  return set;
}

/**
 * A payload whose codec is chosen by a sibling attribute (e.g. IFLA_INFO_DATA by
 * IFLA_INFO_KIND, TCA_OPTIONS by TCA_KIND). The sibling must precede it on the
 * wire, as the kernel guarantees for these pairs. Unknown keys decode to raw bytes.
 */
export function variant<V>(
  name: string,
  keyField: string,
  lookup: (key: string) => Codec<V> | undefined,
): Codec<V | Buffer> {
  const pick = (ctx: Context): Codec<V> | undefined => {
    const k = ctx[keyField];
    return typeof k === 'string' ? lookup(k) : undefined;
  };
  return {
    name,
    encode(w, v, ctx) {
      const c = pick(ctx);
      if (Buffer.isBuffer(v)) w.bytes(v);
      else if (c) c.encode(w, v, ctx);
      else throw new TypeError(`${name}: no schema for ${keyField} "${String(ctx[keyField])}"; pass a Buffer`);
    },
    decode(buf, off, len, ctx) {
      const c = pick(ctx);
      return c ? c.decode(buf, off, len, ctx) : Buffer.from(buf.subarray(off, off + len));
    },
    arbitrary(rng, ctx) {
      const c = pick(ctx);
      return c ? c.arbitrary(rng, ctx) : rng.bytes(rng.int(16));
    },
  };
}

/**
 * A nest whose children are numbered 1..N and form a list (e.g. TCA_ACT_TAB,
 * IFLA_VF_PORTS). Decodes to an array in wire order; encodes with types 1..N.
 */
export function indexed<T>(name: string, el: Codec<T>, flags = 0): Codec<T[]> {
  return {
    name,
    encode(w, v, ctx) {
      v.forEach((item, i) => {
        const start = w.beginAttr((i + 1) | flags);
        el.encode(w, item, ctx);
        w.endAttr(start);
      });
    },
    decode(buf, off, len, ctx) {
      const out: T[] = [];
      const end = off + len;
      let p = off;
      while (end - p >= 4) {
        const alen = buf.readUInt16LE(p);
        if (alen < 4 || alen > end - p) throw new ParseError(`list element has bad length ${alen}`, p, [name]);
        try {
          out.push(el.decode(buf, p + 4, alen - 4, ctx));
        } catch (e) {
          throw e instanceof ParseError ? e.within(`${name}[${out.length + 1}]`) : e;
        }
        p += align4(alen);
      }
      return out;
    },
    arbitrary(rng, ctx) {
      const n = rng.int(4);
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(el.arbitrary(rng, ctx));
      return out;
    },
  };
}

/** A fixed header struct followed by attributes: the body of most netlink messages. */
export interface MessageCodec<H, A> {
  readonly name: string;
  readonly header: StructCodec<H>;
  readonly attrs: AttrSet<A>;
  encode(w: Writer, header: H, attrs: A): void;
  decode(buf: Buffer, off: number, len: number): { header: H; attrs: A };
}

/** Combine a header struct and an attribute set into a message body codec. */
export function message<H, A>(name: string, header: StructCodec<H>, body: AttrSet<A>): MessageCodec<H, A> {
  const hlen = align4(header.size);
  return {
    name, header, attrs: body,
    encode(w, h, a) {
      header.encode(w, h, {});
      w.pad4();
      body.encode(w, a, {});
    },
    decode(buf, off, len) {
      if (len < header.size) throw new ParseError(`${name} header needs ${header.size} bytes, got ${len}`, off, [name]);
      const h = header.read(buf, off);
      try {
        return { header: h, attrs: body.decode(buf, off + hlen, Math.max(0, len - hlen), {}) };
      } catch (e) {
        throw e instanceof ParseError ? e.within(name) : e;
      }
    },
  };
}

/**
 * Defer to a codec defined later (for recursive schemas, e.g. a veth peer
 * that carries a whole link message).
 */
export function lazy<T>(name: string, get: () => Codec<T>): Codec<T> {
  return {
    name,
    encode: (w, v, ctx) => get().encode(w, v, ctx),
    decode: (buf, off, len, ctx) => get().decode(buf, off, len, ctx),
    arbitrary: (rng, ctx) => get().arbitrary(rng, ctx),
  };
}

/** A header struct followed by attributes, nested inside an attribute (e.g. VETH_INFO_PEER). */
export function headed<H, A>(name: string, header: StructCodec<H>, body: Codec<A>): Codec<{ header: H; attrs: A }> {
  const hlen = align4(header.size);
  return {
    name,
    encode(w, v, ctx) {
      header.encode(w, v.header, ctx);
      w.pad4();
      body.encode(w, v.attrs, ctx);
    },
    decode(buf, off, len, ctx) {
      if (len < header.size) throw new ParseError(`${name} header needs ${header.size} bytes, got ${len}`, off, [name]);
      return { header: header.read(buf, off), attrs: body.decode(buf, off + hlen, Math.max(0, len - hlen), ctx) };
    },
    arbitrary: (rng, ctx) => ({ header: header.arbitrary(rng, ctx), attrs: body.arbitrary(rng, ctx) }),
  };
}
