/**
 * iproute2's address and number argument parsers (lib/utils.c: get_addr,
 * get_prefix, get_unsigned, get_u32, …) with the same accepted forms and the
 * same error texts and exit statuses.
 * @module
 */
import { CliError } from '../common/args.js';
import { parseIPv6 } from '../../netlink/addr.js';
import { strtoul } from './rtnl-names.js';

/** iproute2's inet_prefix. `bitlen` -2 marks default/any/all; `bytes` is empty for any/all. */
export interface InetPrefix {
  /** 0 (unspec, for any/all/default without a family), 2 or 10. */
  readonly family: number;
  readonly bytes: Buffer;
  readonly bitlen: number;
  /** `default`, `any` or `all`. */
  readonly any: boolean;
  /** PREFIXLEN_SPECIFIED: the text had a `/LEN` (or was `default`). */
  readonly lenSpecified: boolean;
}

/** family_name() / family_name_verbose() */
export function familyName(family: number, verbose = false): string {
  switch (family) {
    case 0: return verbose ? 'any valid' : 'unspec';
    case 2: return 'inet';
    case 10: return 'inet6';
    case 17: return 'link';
    case 28: return 'mpls';
    case 7: return 'bridge';
    default: return '???';
  }
}

const afByteLen = (f: number): number => (f === 2 ? 4 : f === 10 ? 16 : 0);
const afBitLen = (f: number): number => afByteLen(f) * 8;

/** get_addr_ipv4(): 1 to 4 dot-separated strtoul(…, 0) numbers, missing bytes zero. */
function ipv4Loose(s: string): Buffer | null {
  const out = Buffer.alloc(4);
  const parts = s.split('.');
  if (parts.length > 4) return null;
  for (let i = 0; i < parts.length; i++) {
    const m = /^[ \t\n]*[+]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(parts[i]!);
    if (!m || m[0].length !== parts[i]!.length) return null;
    const n = strtoul(parts[i]!);
    if (n === undefined || n > 255) return null;
    out[i] = n;
  }
  return out;
}

const AF_MPLS = 28;

/** get_addr_1(): undefined when the text is not an address of `family`. */
export function getAddr1(name: string, family: number): InetPrefix | undefined {
  if (name === 'default') {
    if (family === AF_MPLS) return undefined;
    return { family, bytes: Buffer.alloc(afByteLen(family)), bitlen: -2, any: true, lenSpecified: true };
  }
  if (name === 'all' || name === 'any') {
    if (family === AF_MPLS) return undefined;
    return { family, bytes: Buffer.alloc(0), bitlen: -2, any: true, lenSpecified: false };
  }
  if (name.includes(':')) {
    if (family !== 0 && family !== 10) return undefined;
    const b = parseIPv6(name);
    return b ? { family: 10, bytes: b, bitlen: -1, any: false, lenSpecified: false } : undefined;
  }
  if (family !== 0 && family !== 2) return undefined;
  const b = ipv4Loose(name);
  return b ? { family: 2, bytes: b, bitlen: -1, any: false, lenSpecified: false } : undefined;
}

/** get_addr()'s failure: exits 1 with iproute2's message. */
export function addressExpected(arg: string, family: number): never {
  throw new CliError(`Error: ${familyName(family, true)} address is expected rather than "${arg}".`, 1);
}

/** get_addr(): exits 1 with iproute2's message on failure. */
export function getAddr(arg: string, family: number): InetPrefix {
  return getAddr1(arg, family) ?? addressExpected(arg, family);
}

/** mask2bits(): a contiguous netmask's length, or -1. */
function mask2bits(b: Buffer): number {
  const m = b.readUInt32BE(0);
  const inv = (~m) >>> 0;
  if (((inv + 1) & inv) !== 0) return -1;
  let n = 0;
  for (let x = m; x; x = (x << 1) >>> 0) n++;
  return n;
}

/** get_netmask(): a number, or a dotted-quad mask. */
function getNetmask(s: string): number | undefined {
  const n = getUnsigned(s);
  if (n !== undefined) return n;
  const a = getAddr1(s, 2);
  if (a && a.family === 2) {
    const b = mask2bits(a.bytes);
    if (b >= 0) return b;
  }
  return undefined;
}

/** get_prefix_1(): `ADDR[/LEN]`, `default`, `any`, `all`; undefined if invalid. */
export function getPrefix1(arg: string, family: number): InetPrefix | undefined {
  const slash = arg.indexOf('/');
  const a = getAddr1(slash >= 0 ? arg.slice(0, slash) : arg, family);
  if (!a) return undefined;
  let bitlen = afBitLen(a.family);
  if (slash >= 0) {
    if (a.bitlen === -2) return undefined;
    const plen = getNetmask(arg.slice(slash + 1));
    if (plen === undefined || plen > bitlen) return undefined;
    bitlen = plen;
    return { ...a, bitlen, lenSpecified: true };
  } else if (a.bitlen === -2) {
    bitlen = 0;
  }
  return { ...a, bitlen };
}

/** get_prefix()'s failure: exits 1 with iproute2's message. */
export function prefixExpected(arg: string, family: number): never {
  throw new CliError(`Error: ${familyName(family, true)} prefix is expected rather than "${arg}".`, 1);
}

/** get_prefix(): exits 1 with iproute2's message on failure. */
export function getPrefix(arg: string, family: number): InetPrefix {
  if (family === 17) throw new CliError(`Error: "${arg}" may be inet prefix, but it is not allowed in this context.`, 1);
  return getPrefix1(arg, family) ?? prefixExpected(arg, family);
}

/** get_unsigned() (strtoul base 0, at most UINT_MAX); undefined if invalid. */
export function getUnsigned(arg: string, base = 0): number | undefined {
  if (!arg) return undefined;
  const v = strtoul(arg, base);
  return v !== undefined && v <= 0xffffffff ? v : undefined;
}

/** get_u16() */
export function getU16(arg: string, base = 0): number | undefined {
  const v = getUnsigned(arg, base);
  return v !== undefined && v <= 0xffff ? v : undefined;
}

/** get_s32() (strtol base 0 within int32). */
export function getS32(arg: string): number | undefined {
  const m = /^([ \t\n]*)([+-]?)(.*)$/s.exec(arg);
  if (!arg || !m || /^[+-]/.test(m[3]!)) return undefined;
  const v = strtoul(m[3]!);
  if (v === undefined) return undefined;
  const n = m[2] === '-' ? -v : v;
  return n >= -0x80000000 && n <= 0x7fffffff ? n : undefined;
}

/** get_u64() */
export function getU64(arg: string): bigint | undefined {
  const s = arg.trim();
  let v: bigint;
  try {
    if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = BigInt(s);
    else if (/^0[0-7]*$/.test(s)) v = BigInt('0o' + (s.slice(1) || '0'));
    else if (/^[1-9][0-9]*$/.test(s)) v = BigInt(s);
    else return undefined;
  } catch { return undefined; }
  return v < 2n ** 64n ? v : undefined;
}

/** sscanf("%u-%u") / "%hu-%hu" as iproute2 uses them for ranges: how many numbers matched, and their values. */
export function scanRange(arg: string, bits: 16 | 32): { count: number; start: number; end: number } {
  const mod = bits === 16 ? 0x10000 : 0x100000000;
  const m = /^[ \t\n]*([+-]?\d+)(?:-[ \t\n]*([+-]?\d+))?/.exec(arg);
  if (!m) return { count: 0, start: 0, end: 0 };
  const conv = (s: string): number => {
    const n = Number(BigInt.asUintN(64, BigInt(s)) % BigInt(mod));
    return n;
  };
  const start = conv(m[1]!);
  if (m[2] === undefined) return { count: 1, start, end: 0 };
  return { count: 2, start, end: conv(m[2]) };
}

/** check_ifname(): what the kernel accepts as a device name. */
export function checkIfname(name: string): boolean {
  return name.length > 0 && Buffer.byteLength(name) < 16 && !/[/\s]/.test(name);
}
