/**
 * iproute2's inet_prefix parsing (lib/utils.c get_addr_1/get_prefix_1,
 * get_addr/get_prefix with their error lines and exit status 1), and the
 * number parsers `ip route` uses. Kept byte-exact: e.g. `ip -4 route add
 * default` sends a 4-byte zero RTA_DST while `ip route add default` sends none.
 * @module
 */
import { CliError, parseUnsigned } from '../common/args.js';
import { parseIPv6 } from '../../netlink/addr.js';
import { familyName } from './route-names.js';

/** AF_* numbers used here. */
export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_PACKET = 17;
export const AF_MPLS = 28;

/** PREFIXLEN_SPECIFIED */
export const PREFIXLEN_SPECIFIED = 1;

/** iproute2's inet_prefix. */
export interface InetPrefix {
  family: number;
  /** Address bytes (bytelen of them are meaningful). */
  data: Buffer;
  bytelen: number;
  /** -2 for default/any/all before prefix resolution, -1 for "no length", else bits. */
  bitlen: number;
  flags: number;
}

/** af_bit_len */
export function afBitLen(af: number): number {
  return af === AF_INET6 ? 128 : af === AF_INET ? 32 : af === AF_MPLS ? 20 : 0;
}

/** strtoul(cp, &end, 0) prefix parse: returns value and characters consumed (0 = no digits). */
function strtoul0(s: string, from: number, out: { v: number; used: number }): void {
  let i = from;
  let base = 10;
  const c0 = s.charCodeAt(i);
  if (c0 === 48) {
    const c1 = s.charCodeAt(i + 1);
    if ((c1 === 120 || c1 === 88) && hexDigit(s.charCodeAt(i + 2)) >= 0) { base = 16; i += 2; } else base = 8;
  }
  const start = i;
  let v = 0;
  for (; i < s.length; i++) {
    const d = hexDigit(s.charCodeAt(i));
    if (d < 0 || d >= base) break;
    v = v * base + d;
  }
  out.v = v;
  out.used = i === start && base !== 16 ? 0 : i - from;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const scratch = { v: 0, used: 0 };

/** get_addr_ipv4 into `out`: 1..4 parts, each strtoul base 0, ≤ 255. */
function getAddrIPv4(s: string, out: Buffer): boolean {
  let p = 0;
  for (let i = 0; i < 4; i++) {
    strtoul0(s, p, scratch);
    if (scratch.used === 0 || scratch.v > 255) return false;
    out[i] = scratch.v;
    p += scratch.used;
    if (p === s.length) return true;
    if (i === 3 || s.charCodeAt(p) !== 46) return false;
    p++;
  }
  return true;
}

function mplsPton(s: string): Buffer | null {
  const parts = s.split('/');
  if (parts.length > 8) return null;
  const out = Buffer.alloc(4 * parts.length);
  for (let i = 0; i < parts.length; i++) {
    strtoul0(parts[i]!, 0, scratch);
    const n = scratch.v;
    if (scratch.used === 0 || scratch.used !== parts[i]!.length || n > 0xfffff) return null;
    out.writeUInt32BE(((n << 12) | (i === parts.length - 1 ? 0x100 : 0)) >>> 0, 4 * i);
  }
  return out;
}

/** get_addr_1: null when the text is not an address of `family`. */
export function getAddr1(name: string, family: number): InetPrefix | null {
  const data = Buffer.alloc(16); // one allocation (allocUnsafe + fill costs two native calls)
  if (name === 'default') {
    if (family === AF_MPLS) return null;
    return { family, data, bytelen: afBitLen(family) / 8, bitlen: -2, flags: PREFIXLEN_SPECIFIED };
  }
  if (name === 'all' || name === 'any') {
    if (family === AF_MPLS) return null;
    return { family, data, bytelen: 0, bitlen: -2, flags: 0 };
  }
  if (name.includes(':')) {
    if (family !== AF_UNSPEC && family !== AF_INET6) return null;
    const b = parseIPv6(name);
    if (!b) return null;
    b.copy(data);
    return { family: AF_INET6, data, bytelen: 16, bitlen: -1, flags: 0 };
  }
  if (family === AF_MPLS) {
    const b = mplsPton(name);
    if (!b) return null;
    b.copy(data);
    return { family: AF_MPLS, data, bytelen: b.length, bitlen: 20, flags: 0 };
  }
  if (family !== AF_UNSPEC && family !== AF_INET) return null;
  if (!getAddrIPv4(name, data)) return null;
  return { family: AF_INET, data, bytelen: 4, bitlen: -1, flags: 0 };
}

/** mask2bits of a dotted netmask; -1 if not contiguous. */
function mask2bits(b: Buffer): number {
  const mask = b.readUInt32BE(0);
  const host = (~mask) >>> 0;
  if ((host & (host + 1)) !== 0) return -1;
  let bits = 0;
  for (let m = mask; m; m = (m << 1) >>> 0) bits++;
  return bits;
}

/** get_netmask */
function getNetmask(s: string): number | null {
  // Plain decimal (the common case) without the general parser.
  if (s.length > 0 && s.length <= 3) {
    let v = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) { v = -1; break; }
      v = v * 10 + (c - 48);
    }
    if (v >= 0 && !(s.length > 1 && s.charCodeAt(0) === 48)) return v;
  }
  const n = parseUnsigned(s);
  if (n !== null) return n;
  const a = getAddr1(s, AF_INET);
  if (a && a.family === AF_INET) {
    const b = mask2bits(a.data);
    if (b >= 0) return b;
  }
  return null;
}

/** get_prefix_1: null when invalid. */
export function getPrefix1(arg: string, family: number): InetPrefix | null {
  const slash = arg.indexOf('/');
  const dst = getAddr1(slash >= 0 ? arg.slice(0, slash) : arg, family);
  if (!dst) return null;
  let bitlen = afBitLen(dst.family);
  if (slash >= 0) {
    if (dst.bitlen === -2) return null;
    const plen = getNetmask(arg.slice(slash + 1));
    if (plen === null || plen > bitlen) return null;
    dst.flags |= PREFIXLEN_SPECIFIED;
    bitlen = plen;
  } else if (dst.bitlen === -2) {
    bitlen = 0;
  }
  dst.bitlen = bitlen;
  return dst;
}

function familyNameVerbose(family: number): string {
  return family === AF_UNSPEC ? 'any valid' : familyName(family);
}

/** get_addr: exits 1 with iproute2's line on failure. */
export function getAddr(arg: string, family: number): InetPrefix {
  const a = getAddr1(arg, family);
  if (!a) throw new CliError(`Error: ${familyNameVerbose(family)} address is expected rather than "${arg}".`, 1);
  return a;
}

/** get_prefix: exits 1 with iproute2's line on failure. */
export function getPrefix(arg: string, family: number): InetPrefix {
  if (family === AF_PACKET) throw new CliError(`Error: "${arg}" may be inet prefix, but it is not allowed in this context.`, 1);
  const p = getPrefix1(arg, family);
  if (!p) throw new CliError(`Error: ${familyNameVerbose(family)} prefix is expected rather than "${arg}".`, 1);
  return p;
}

/** Text of the first `bytelen` bytes of an inet_prefix (for the schema's ipaddr codec). */
export function prefixAddrText(p: InetPrefix): string {
  const d = p.data;
  if (p.bytelen === 4) return `${d[0]}.${d[1]}.${d[2]}.${d[3]}`;
  if (p.bytelen === 16) {
    const words: string[] = [];
    for (let i = 0; i < 8; i++) words.push(d.readUInt16BE(2 * i).toString(16));
    return words.join(':');
  }
  throw new Error(`no text form for a ${p.bytelen}-byte address`);
}

/** get_unsigned (strtoul base 0, whole string, ≤ UINT_MAX). */
export function getUnsigned(s: string): number | null {
  return parseUnsigned(s, 0xffffffff);
}

/** get_u8 */
export function getU8(s: string): number | null {
  return parseUnsigned(s, 255);
}

/** get_time_rtt: milliseconds, and whether the value had no unit (raw). */
export function getTimeRtt(arg: string): { value: number; raw: boolean } | null {
  let t: number;
  let rest: string;
  if (arg.includes('.')) {
    const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(.*)$/.exec(arg);
    if (!m) return null;
    t = Number(m[1]);
    if (t < 0) return null;
    rest = m[2]!;
  } else {
    const m = /^\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)(.*)$/.exec(arg);
    if (!m) return null;
    t = m[1]!.startsWith('0x') || m[1]!.startsWith('0X') ? parseInt(m[1]!.slice(2), 16)
      : m[1]!.length > 1 && m[1]!.startsWith('0') ? parseInt(m[1]!, 8) : Number(m[1]);
    rest = m[2]!;
  }
  let raw = true;
  if (rest) {
    raw = false;
    const u = rest.toLowerCase();
    if (u === 's' || u === 'sec' || u === 'secs') t *= 1000;
    else if (u === 'ms' || u === 'msec' || u === 'msecs') { /* ms */ } else return null;
  }
  let v = Math.trunc(t) >>> 0;
  if (v < t) v += 1;
  return { value: v >>> 0, raw };
}
