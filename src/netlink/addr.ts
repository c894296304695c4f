/**
 * IP and link-layer address text <-> bytes, matching glibc's inet_ntop/inet_pton
 * and iproute2's get_addr (which also accepts short IPv4 forms such as `10/8`).
 * @module
 */

/** Format 4 bytes at `off` as dotted quad. */
export function formatIPv4(b: Uint8Array, off = 0): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** Format 16 bytes at `off` like glibc inet_ntop(AF_INET6). */
export function formatIPv6(b: Uint8Array, off = 0): string {
  const w = new Array<number>(8);
  for (let i = 0; i < 8; i++) w[i] = (b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!;
  // Longest run of at least two zero words; the first one wins ties (as glibc).
  let bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      if (curBase < 0) { curBase = i; curLen = 1; } else curLen++;
    } else if (curBase >= 0) {
      if (curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
      curBase = -1;
    }
  }
  if (curBase >= 0 && curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // Embedded IPv4: ::a.b.c.d and ::ffff:a.b.c.d
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      out += formatIPv4(b, off + 12);
      return out;
    }
    out += w[i]!.toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** Format an address of 4 or 16 bytes; other lengths as colon-separated hex. */
export function formatAddress(b: Uint8Array, off = 0, len = b.length - off): string {
  if (len === 4) return formatIPv4(b, off);
  if (len === 16) return formatIPv6(b, off);
  return formatLladdr(b, off, len);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Colon-separated lowercase hex, as iproute2 prints link-layer addresses. */
export function formatLladdr(b: Uint8Array, off = 0, len = b.length - off): string {
  let s = '';
  for (let i = 0; i < len; i++) s += (i ? ':' : '') + HEX[b[off + i]!];
  return s;
}

/** Parse colon-separated hex (`aa:bb:cc:dd:ee:ff`); null if malformed. */
export function parseLladdr(s: string): Buffer | null {
  if (s.length === 0) return null;
  const parts = s.split(':');
  const out = Buffer.alloc(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return null;
    out[i] = parseInt(p, 16);
  }
  return out;
}

/** Strict dotted-quad IPv4; null if malformed. */
export function parseIPv4(s: string): Buffer | null {
  const out = Buffer.allocUnsafe(4);
  return parseIPv4Into(s, out, 0) ? out : null;
}

/**
 * Strict dotted-quad IPv4 written into `out` at `off` (4 bytes); false if
 * malformed (the bytes may then have been partly written). Lets an encoder
 * write an address straight into its buffer.
 */
export function parseIPv4Into(s: string, out: Uint8Array, off: number): boolean {
  // A character loop instead of split + regex: this runs once per route in bulk work (ip -batch).
  let part = 0, digits = 0, n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return false;
      n = n * 10 + (c - 48);
    } else if (c === 46 && digits > 0 && part < 3) {
      if (n > 255) return false;
      out[off + part++] = n;
      n = 0; digits = 0;
    } else {
      return false;
    }
  }
  if (part !== 3 || digits === 0 || n > 255) return false;
  out[off + 3] = n;
  return true;
}

/**
 * IPv4 as iproute2's get_addr_ipv4 reads it: 1 to 4 dotted decimal parts,
 * missing trailing parts are zero (`10` is 10.0.0.0, `192.168` is 192.168.0.0).
 */
export function parseIPv4Loose(s: string): Buffer | null {
  const parts = s.split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  const out = Buffer.alloc(4);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

/** IPv6 text (with optional embedded IPv4 tail); null if malformed. */
export function parseIPv6(s: string): Buffer | null {
  if (s.length < 2 || s.length > 45) return null;
  const out = Buffer.alloc(16);
  let head = s, tail = '';
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return null;
    head = s.slice(0, dbl);
    tail = s.slice(dbl + 2);
  }
  const words: number[] = [];
  const tailWords: number[] = [];
  const parse = (part: string, into: number[], allowV4: boolean): boolean => {
    if (part === '') return true;
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (allowV4 && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return false;
        into.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
      into.push(parseInt(g, 16));
    }
    return true;
  };
  if (dbl >= 0) {
    if (!parse(head, words, false) || !parse(tail, tailWords, true)) return null;
    if (words.length + tailWords.length > 7) return null;
  } else {
    if (!parse(head, words, true) || words.length !== 8) return null;
  }
  for (let i = 0; i < words.length; i++) out.writeUInt16BE(words[i]!, 2 * i);
  for (let i = 0; i < tailWords.length; i++) out.writeUInt16BE(tailWords[i]!, 16 - 2 * (tailWords.length - i));
  return out;
}

/** Parse IPv4 (strict) or IPv6 text; null if neither. */
export function parseAddress(s: string): Buffer | null {
  return s.includes(':') ? parseIPv6(s) : parseIPv4(s);
}

/** Address family number for a 4- or 16-byte address. */
export function familyOfLength(len: number): 2 | 10 | 0 {
  return len === 4 ? 2 : len === 16 ? 10 : 0;
}

/** A parsed `ADDR[/PLEN]` prefix. */
export interface Prefix {
  readonly family: 2 | 10;
  readonly bytes: Buffer;
  /** Prefix length; the full length when no `/` was given. */
  readonly len: number;
  /** Whether a `/len` was written. */
  readonly explicitLen: boolean;
}

/**
 * Parse `ADDR[/LEN]` as iproute2's get_prefix does (IPv4 may be short: `10/8`).
 * Returns null when the text is not a prefix.
 */
export function parsePrefix(s: string, family: 0 | 2 | 10 = 0): Prefix | null {
  const slash = s.indexOf('/');
  const a = slash >= 0 ? s.slice(0, slash) : s;
  const isV6 = a.includes(':');
  if ((family === 2 && isV6) || (family === 10 && !isV6)) return null;
  const bytes = isV6 ? parseIPv6(a) : parseIPv4Loose(a);
  if (!bytes) return null;
  const max = isV6 ? 128 : 32;
  let len = max;
  if (slash >= 0) {
    const l = s.slice(slash + 1);
    if (!/^\d+$/.test(l)) return null;
    len = Number(l);
    if (len > max) return null;
  }
  return { family: isV6 ? 10 : 2, bytes, len, explicitLen: slash >= 0 };
}
