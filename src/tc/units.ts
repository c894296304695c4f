/**
 * tc's units: rates, sizes and times, parsed and printed exactly as
 * iproute2 6.1 does (lib/utils_math.c get_rate/get_rate64/get_size,
 * lib/utils.c get_time/sprint_time, lib/json_print*.c print_rate/sprint_size,
 * tc/tc_util.c percent rates).
 *
 * Units in the API: a rate is bytes per second (`bigint`, as the kernel's
 * 64-bit rate attributes), a size is bytes, a time is microseconds (tc's
 * TIME_UNITS_PER_SEC). Branded types keep a bit count from passing as bytes.
 *
 * ```ts
 * parseRate('10mbit');   // 1250000n (bytes/s)
 * parseSize('10k');      // 10240
 * parseTime('50ms');     // 50000 (us)
 * sprintRate(1250000n);  // '10Mbit'
 * ```
 * @module
 */
import { readFileSync } from 'node:fs';
import { formatG } from '../output/printf.js';
import { ascii, ByteWriter } from '../output/bytes.js';

/** A rate in bytes per second. */
export type Rate = bigint & { readonly __unit?: 'bytes/s' };
/** A size in bytes. */
export type Size = number & { readonly __unit?: 'bytes' };
/** A time in microseconds (tc's TIME_UNITS_PER_SEC = 1e6). */
export type Micros = number & { readonly __unit?: 'us' };

/** tc's time unit: microseconds per second. */
export const TIME_UNITS_PER_SEC = 1000000;

// ---------------------------------------------------------------- C conversions

/**
 * C's `(unsigned int)d` as gcc compiles it on x86-64 (cvttsd2si to 64 bits,
 * keep the low 32): negative values wrap, NaN/huge give 0.
 */
export function doubleToU32(d: number): number {
  if (d >= 0 && d < 4294967296) return Math.trunc(d);
  if (!Number.isFinite(d) || Math.abs(d) >= 2 ** 63) return 0;
  return Number(BigInt.asUintN(32, BigInt(Math.trunc(d))));
}

/** C's `(__u64)d` on x86-64 gcc: below 2^63 via cvttsd2si (negatives wrap), above by subtracting 2^63. */
export function doubleToU64(d: number): bigint {
  if (Number.isNaN(d)) return 0x8000000000000000n;
  if (d < 2 ** 63) {
    if (d <= -(2 ** 63)) return 0x8000000000000000n;
    return BigInt.asUintN(64, BigInt(Math.trunc(d)));
  }
  if (d >= 2 ** 64) return 0n;
  return BigInt(Math.trunc(d - 2 ** 63)) ^ 0x8000000000000000n;
}

/**
 * strtod() on a prefix of `s`: returns the value and the rest of the string,
 * or null when no number starts `s` (leading blanks allowed, like C).
 */
export function strtod(s: string): { value: number; rest: string } | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(?:(0[xX])([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?|(inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))/i.exec(s);
  if (!m) return null;
  const sign = m[1] === '-' ? -1 : 1;
  if (m[2]) {
    const int = m[3] ?? '';
    const frac = m[4] ?? '';
    if (!int && !frac) {
      // "0x" without hex digits: strtod reads just the "0".
      const zero = s.indexOf('0');
      return { value: sign * 0, rest: s.slice(zero + 1) };
    }
    let v = int ? parseInt(int, 16) : 0;
    for (let i = 0; i < frac.length; i++) v += parseInt(frac[i]!, 16) / 16 ** (i + 1);
    if (m[5]) v *= 2 ** Number(m[5]);
    return { value: sign * v, rest: s.slice(m[0].length) };
  }
  if (m[6]) {
    const v = /^n/i.test(m[6]) ? NaN : Infinity;
    return { value: sign * v, rest: s.slice(m[0].length) };
  }
  // Exponent only when followed by digits: "1e" reads as 1 with rest "e".
  return { value: sign * Number(m[7]), rest: s.slice(m[0].length) };
}

// ---------------------------------------------------------------- rates

/** get_rate's suffixes: bits per second multipliers (matched case-insensitively, first match wins). */
const RATE_SUFFIXES: ReadonlyArray<readonly [string, number]> = [
  ['bit', 1], ['kibit', 1024], ['kbit', 1000], ['mibit', 1024 * 1024], ['mbit', 1000000],
  ['gibit', 1024 * 1024 * 1024], ['gbit', 1000000000], ['tibit', 1024 * 1024 * 1024 * 1024],
  ['tbit', 1000000000000], ['bps', 8], ['kibps', 8 * 1024], ['kbps', 8000], ['mibps', 8 * 1024 * 1024],
  ['mbps', 8000000], ['gibps', 8 * 1024 * 1024 * 1024], ['gbps', 8000000000],
  ['tibps', 8 * 1024 * 1024 * 1024 * 1024], ['tbps', 8000000000000],
];

/** The rate in bytes/s as a double (get_rate's `bps` after `/= 8`), or null if unparsable. */
function rateBytes(str: string): number | null {
  const r = strtod(str);
  if (!r) return null;
  let bps = r.value;
  if (r.rest) {
    const suffix = r.rest.toLowerCase();
    const hit = RATE_SUFFIXES.find(([name]) => name === suffix);
    if (!hit) return null;
    bps *= hit[1];
  }
  return bps / 8;
}

/**
 * get_rate64(): a rate like `10mbit`, `1.5Gbit`, `100kbps` (bytes), `8Kibit`;
 * a bare number is bits per second. Returns bytes/s, or null when invalid.
 */
export function parseRate(str: string): Rate | null {
  const b = rateBytes(str);
  return b === null ? null : doubleToU64(b);
}

/** get_rate(): the 32-bit variant, which also rejects rates that overflow 32 bits. */
export function parseRate32(str: string): number | null {
  const b = rateBytes(str);
  if (b === null) return null;
  const r = doubleToU32(b);
  return r === Math.floor(b) ? r : null;
}

/** Why a percent rate could not be computed; `message` is tc's stderr text. */
export class PercentRateError extends Error {
  override readonly name = 'PercentRateError';
}

/**
 * Link speed in Mbit/s from /sys/class/net/DEV/speed, as read_prop() reads it
 * (messages are tc's). `sysRoot` lets callers read another namespace's sysfs.
 */
export function readLinkSpeed(dev: string, sysRoot = '/sys'): number {
  const fname = `${sysRoot}/class/net/${dev}/speed`;
  let text: string;
  try {
    text = readFileSync(fname, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'No such file or directory' : code === 'EINVAL' ? 'Invalid argument' : String((e as Error).message);
    throw new PercentRateError(`fopen ${fname}: ${reason}`);
  }
  const line = text.split('\n')[0] ?? '';
  if (!line) throw new PercentRateError(`property "speed" in file ${fname} is currently unknown\nFailed to parse ${fname}`);
  const v = /^[+-]?\d+$/.test(line) ? Number(line) : NaN;
  if (!Number.isFinite(v)) throw new PercentRateError(`value "${line}" in file ${fname} is not a number\nFailed to parse ${fname}`);
  return v;
}

/**
 * get_percent_rate64(): `30%` of the device's link speed, in bytes/s.
 * `speedMbit` is the link speed (see {@link readLinkSpeed}).
 */
export function parsePercentRate(str: string, speedMbit: number): Rate {
  const m = /^[0-9.%]+/.exec(str);
  if (!m) throw new PercentRateError('Specified rate value could not be read or is malformed');
  const r = strtod(m[0]);
  const perc = (r ? r.value : 0) / 100;
  if (perc > 1 || perc < 0) {
    throw new PercentRateError(`Invalid rate specified; should be between [0,100]% but is ${str}`);
  }
  const rest = r ? r.rest : m[0];
  if (rest && rest !== '%') throw new PercentRateError('Specified rate value could not be read or is malformed');
  const rateBit = perc * speedMbit * 1000 * 1000;
  // tc formats the bit rate with "%lf" and parses it back with get_rate64.
  const text = rateBit.toFixed(6);
  if (text.length >= 20) throw new PercentRateError('Unable to parse calculated rate');
  const out = parseRate(text);
  if (out === null) throw new PercentRateError('Specified rate value could not be read or is malformed');
  return out;
}

/**
 * print_rate(): a rate in bytes/s as tc prints it (`10Mbit`, `1500Kbit`,
 * with `iec` `8Mibit`). Rates are printed in bits; a unit is used only
 * when the value divides evenly or is at least 1000 of it.
 */
export function sprintRate(rate: bigint, iec = false): string {
  // Rates below 2^50 bytes/s (every real one) take the Number path: same digits, no BigInt arithmetic.
  if (rate >= 0n && rate < 0x4000000000000n) return sprintRateNum(Number(rate), iec);
  const kilo = iec ? 1024n : 1000n;
  let r = BigInt.asUintN(64, rate << 3n);
  let i = 0;
  for (; i < RATE_UNITS.length - 1; i++) {
    if (r < kilo) break;
    if (r % kilo !== 0n && r < 1000n * kilo) break;
    r /= kilo;
  }
  return `${r}${RATE_UNITS[i]}${i > 0 && iec ? 'i' : ''}bit`;
}

const RATE_UNITS = ['', 'K', 'M', 'G', 'T'] as const;

/**
 * {@link sprintRate} of an integer rate in bytes/s below 2^50 (so that the
 * bit rate is an exact Number): the hot path of `tc -s class show`.
 */
export function sprintRateNum(rate: number, iec = false): string {
  // A dump repeats a few rates thousands of times (every class's ceil, say):
  // the last two answers, then a map, then the arithmetic.
  if (!iec) {
    if (rate === lastRate1) return lastText1;
    if (rate === lastRate2) return lastText2;
  }
  const cache = iec ? IEC_RATES : SI_RATES;
  let text = cache.get(rate);
  if (text === undefined) {
    text = rateBits(rate, iec);
    if (cache.size >= 4096) cache.clear();
    cache.set(rate, text);
  }
  if (!iec) {
    lastRate2 = lastRate1;
    lastText2 = lastText1;
    lastRate1 = rate;
    lastText1 = text;
  }
  return text;
}

let lastRate1 = -1;
let lastText1 = '';
let lastRate2 = -1;
let lastText2 = '';

const SI_RATES = new Map<number, string>();
const IEC_RATES = new Map<number, string>();

/** Scratch for {@link rateBits}: a cache miss writes the rate with {@link writeRateNum} and reads it back. */
const rateScratch = new ByteWriter(32);

function rateBits(rate: number, iec: boolean): string {
  rateScratch.pos = 0;
  writeRateNum(rateScratch, rate, iec);
  return rateScratch.text();
}

const SI_UNIT_BYTES = ['bit', 'Kbit', 'Mbit', 'Gbit', 'Tbit'].map(ascii);
const IEC_UNIT_BYTES = ['bit', 'Kibit', 'Mibit', 'Gibit', 'Tibit'].map(ascii);

/** {@link sprintRateNum} written into `out` (a rate in bytes/s below 2^50). */
export function writeRateNum(out: ByteWriter, rate: number, iec: boolean): void {
  const kilo = iec ? 1024 : 1000;
  let r = rate * 8;
  let i = 0;
  for (; i < 4; i++) {
    if (r < kilo) break;
    const rem = r % kilo;
    if (rem !== 0 && r < 1000 * kilo) break;
    r = (r - rem) / kilo;
  }
  out.uint(r);
  out.bytes((iec ? IEC_UNIT_BYTES : SI_UNIT_BYTES)[i]!);
}

/** {@link sprintRate} of the unsigned 64-bit rate at 4-aligned byte offset `off` of `w`, written into `out`. */
export function writeRate64(out: ByteWriter, w: Uint32Array, off: number, iec: boolean): void {
  const i = off >>> 2;
  const hi = w[i + 1]!;
  if (hi < 0x40000) writeRateNum(out, hi * 4294967296 + w[i]!, iec);
  else out.str(sprintRate((BigInt(hi) << 32n) | BigInt(w[i]!), iec));
}

// ---------------------------------------------------------------- sizes

/**
 * get_size(): a size like `10k`, `1.5mb`, `100kbit` (kilobits in bytes), `64b`;
 * a bare number is bytes. Returns bytes, or null when invalid or over 32 bits.
 */
export function parseSize(str: string): Size | null {
  const r = strtod(str);
  if (!r) return null;
  let sz = r.value;
  if (r.rest) {
    const p = r.rest.toLowerCase();
    if (p === 'kb' || p === 'k') sz *= 1024;
    else if (p === 'gb' || p === 'g') sz *= 1024 * 1024 * 1024;
    else if (p === 'gbit') sz *= 1024 * 1024 * 1024 / 8;
    else if (p === 'mb' || p === 'm') sz *= 1024 * 1024;
    else if (p === 'mbit') sz *= 1024 * 1024 / 8;
    else if (p === 'kbit') sz *= 1024 / 8;
    else if (p !== 'b') return null;
  }
  const size = doubleToU32(sz);
  return size === Math.floor(sz) ? size : null;
}

/**
 * get_size_and_cell(): `SIZE[/CELL]` where CELL is a power of two; returns
 * the size and log2(cell) (undefined when no cell was given), or null.
 */
export function parseSizeAndCell(str: string): { size: Size; cellLog: number | undefined } | null {
  const slash = str.indexOf('/');
  const size = parseSize(slash >= 0 ? str.slice(0, slash) : str);
  if (size === null) return null;
  if (slash < 0) return { size, cellLog: undefined };
  const cellText = str.slice(slash + 1);
  // get_integer(…, 0): strtol with base detection, whole string, int range.
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(cellText);
  if (!m) return null;
  const digits = m[2]!;
  let cell = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits[0] === '0' ? parseInt(digits, 8) : Number(digits);
  if (m[1] === '-') cell = -cell;
  if (cell > 0x7fffffff || cell < -0x80000000) return null;
  for (let i = 0; i < 32; i++) if ((1 << i) === cell || (i === 31 && cell === 2 ** 31)) return { size, cellLog: i };
  return null;
}

/** sprint_size(): `10Kb`, `1Mb`, `1514b`, as tc prints sizes. */
export function sprintSize(sz: number): string {
  const kilo = 1024;
  const mega = kilo * kilo;
  if (sz >= mega) {
    const r = rint(sz / mega);
    if (Math.abs(mega * r - sz) < 1024) return `${intG(r)}Mb`;
  }
  if (sz >= kilo) {
    const r = rint(sz / kilo);
    if (Math.abs(kilo * r - sz) < 16) return `${intG(r)}Kb`;
  }
  return `${sz >>> 0}b`;
}

const MB = ascii('Mb');
const KB = ascii('Kb');

/** {@link sprintSize} written into `out`. */
export function writeSize(out: ByteWriter, sz: number): void {
  const kilo = 1024;
  const mega = kilo * kilo;
  if (sz >= mega) {
    const r = rint(sz / mega);
    if (Math.abs(mega * r - sz) < 1024) {
      writeIntG(out, r);
      out.bytes(MB);
      return;
    }
  }
  if (sz >= kilo) {
    const r = rint(sz / kilo);
    if (Math.abs(kilo * r - sz) < 16) {
      writeIntG(out, r);
      out.bytes(KB);
      return;
    }
  }
  out.uint(sz >>> 0);
  out.byte(0x62); // 'b'
}

/** {@link intG} written into `out`. */
function writeIntG(out: ByteWriter, n: number): void {
  if (n < 1000000 && n >= 0) out.uint(n);
  else out.str(intG(n));
}

/** `%g` of an integer: its digits below 10^6 (no formatting work), formatG above. */
function intG(n: number): string {
  return n < 1000000 && n > -1000000 ? String(n) : formatG(n, 6);
}

/** C rint() (round half to even). */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// ---------------------------------------------------------------- times

/**
 * get_time(): `50ms`, `1s`, `200us`, `1.5msec`; a bare number is
 * microseconds. Returns microseconds (truncated to u32 like tc), or null.
 */
export function parseTime(str: string): Micros | null {
  const r = strtod(str);
  if (!r) return null;
  let t = r.value;
  if (r.rest) {
    const p = r.rest.toLowerCase();
    if (p === 's' || p === 'sec' || p === 'secs') t *= TIME_UNITS_PER_SEC;
    else if (p === 'ms' || p === 'msec' || p === 'msecs') t *= TIME_UNITS_PER_SEC / 1000;
    else if (p === 'us' || p === 'usec' || p === 'usecs') t *= TIME_UNITS_PER_SEC / 1000000;
    else return null;
  }
  return doubleToU32(t);
}

/** sprint_time(): `50ms`, `1.5s`, `200us` (three significant digits). */
export function sprintTime(time: number): string {
  const t = time >>> 0;
  if (t >= TIME_UNITS_PER_SEC) return `${formatG(t / TIME_UNITS_PER_SEC, 3)}s`;
  if (t >= TIME_UNITS_PER_SEC / 1000) return `${formatG(t / (TIME_UNITS_PER_SEC / 1000), 3)}ms`;
  return `${t}us`;
}

/** sprint_time for a double time (tc passes doubles in places; C converts to u32 first). */
export function sprintTimeD(time: number): string {
  return sprintTime(doubleToU32(time));
}

// ---------------------------------------------------------------- linklayer

/** Link layers (tc_core.h enum link_layer = TC_LINKLAYER_*). */
export const LINKLAYER = { UNSPEC: 0, ETHERNET: 1, ATM: 2 } as const;
/** A link layer value. */
export type LinkLayer = (typeof LINKLAYER)[keyof typeof LINKLAYER];

/** get_linklayer(): `ethernet`, `atm`, `adsl` (prefixes allowed); null when unknown. */
export function parseLinkLayer(arg: string): LinkLayer | null {
  const m = (w: string): boolean => arg.length > 0 && arg.length <= w.length && w.startsWith(arg);
  if (m('ethernet')) return LINKLAYER.ETHERNET;
  if (m('atm')) return LINKLAYER.ATM;
  if (m('adsl')) return LINKLAYER.ATM;
  return null;
}

/** sprint_linklayer() */
export function sprintLinkLayer(ll: number): string {
  return ll === 0 ? 'unspec' : ll === 1 ? 'ethernet' : ll === 2 ? 'atm' : 'unknown';
}

// ---------------------------------------------------------------- integers

/**
 * strtoul(s, &end, base) that must consume all of `s` (iproute2's get_u32 /
 * get_u16 / get_unsigned): leading blanks and a sign are accepted as C does
 * ("-0" is 0, other negatives wrap to huge values and fail the range check).
 * Returns null when invalid or above `max`.
 */
export function parseCUnsigned(s: string, base: 0 | 8 | 10 | 16, max: number): number | null {
  if (!s) return null;
  const m = /^[ \t\n\v\f\r]*([+-]?)(.*)$/s.exec(s)!;
  let body = m[2]!;
  let b: number = base;
  if ((b === 0 || b === 16) && /^0[xX][0-9a-fA-F]/.test(body)) { body = body.slice(2); b = 16; }
  else if (b === 0) b = body.startsWith('0') ? 8 : 10;
  const re = b === 16 ? /^[0-9a-fA-F]+$/ : b === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!re.test(body)) return null;
  const v = BigInt(b === 16 ? '0x' + body : b === 8 ? '0o' + body : body);
  if (m[1] === '-' && v !== 0n) return null;
  return v > BigInt(max) ? null : Number(v);
}

/** get_u32(): null when invalid. */
export const parseU32 = (s: string, base: 0 | 8 | 10 | 16 = 0): number | null => parseCUnsigned(s, base, 0xffffffff);
/** get_u16(): null when invalid. */
export const parseU16 = (s: string, base: 0 | 8 | 10 | 16 = 0): number | null => parseCUnsigned(s, base, 0xffff);
