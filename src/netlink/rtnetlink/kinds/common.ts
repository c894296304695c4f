/**
 * Codecs shared by several link kinds.
 * @module
 */
import { ParseError } from '../../codec/errors.js';
import { align4 } from '../../codec/writer.js';
import { formatAddress, parseAddress } from '../../addr.js';
import type { Codec, FixedCodec } from '../../codec/schema.js';

function ipOfSize(size: 4 | 16): FixedCodec<string> {
  const name = size === 4 ? 'in_addr' : 'in6_addr';
  const zero = size === 4 ? '0.0.0.0' : '::';
  const write = (buf: Buffer, off: number, v: string): void => {
    const b = parseAddress(v);
    if (!b || b.length !== size) throw new TypeError(`${name}: invalid address "${v}"`);
    b.copy(buf, off);
  };
  const read = (buf: Buffer, off: number): string => formatAddress(buf, off, size);
  return {
    name, size, zero, read, write,
    encode(w, v) { w.ensure(size); write(w.buf, w.offset, v); w.offset += size; },
    decode(buf, off, len) {
      if (len < size) throw new ParseError(`${name} needs ${size} bytes, got ${len}`, off);
      return read(buf, off);
    },
    arbitrary: (rng) => formatAddress(rng.bytes(size), 0, size),
  };
}

/** An IPv4 address (struct in_addr / __be32) as dotted text. */
export const in4 = ipOfSize(4);
/** An IPv6 address (struct in6_addr) as text. */
export const in6 = ipOfSize(16);

/**
 * A nest whose children are numbered from 0 and form a list (bonding's
 * IFLA_BOND_ARP_IP_TARGET and IFLA_BOND_NS_IP6_TARGET, which iproute2 and the
 * kernel number 0..N-1, unlike the 1-based lists of {@link indexed}).
 */
export function zeroIndexed<T>(name: string, el: Codec<T>): Codec<T[]> {
  return {
    name,
    encode(w, v, ctx) {
      v.forEach((item, i) => {
        const start = w.beginAttr(i);
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
        out.push(el.decode(buf, p + 4, alen - 4, ctx));
        p += align4(alen);
      }
      return out;
    },
    arbitrary(rng, ctx) {
      const out: T[] = [];
      for (let i = rng.int(4); i > 0; i--) out.push(el.arbitrary(rng, ctx));
      return out;
    },
  };
}
