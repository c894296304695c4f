/**
 * Small helpers shared by the kind modules in this folder: tc(8) value
 * grammar (rates, sizes, times, percentages, strtoul-style integers) with
 * iproute2's exact acceptance rules, the matching printers (sprint_time,
 * sprint_size, print_rate), psched tick conversion and argument walking.
 *
 * They follow lib/utils.c, lib/utils_math.c, lib/json_print*.c and
 * tc/tc_core.c of iproute2 6.1 semantically. They are private to the kind
 * modules; where src/tc/units.ts / psched.ts provide the same, prefer those.
 * @module
 */
import { readFileSync, readdirSync } from 'node:fs';
import { TcArgError, type TcEnv } from '../kind.js';
import { ANY, FP, JSON_ONLY, type OutputType, type Printer } from '../../output/printer.js';
import { sprintf } from '../../output/printf.js';
import { ParseError } from '../../netlink/codec/errors.js';
import type { Codec, FixedCodec, StructCodec } from '../../netlink/codec/schema.js';

// ------------------------------------------------------------ errors, argv

/** A kind parse error: iproute2 prints the text and exits 1 (parse_qopt returned -1). */
export function fail(message: string): never {
  throw new TcArgError(message, 1);
}

/** NEXT_ARG() at the end of argv: iproute2's incomplete_command() (exit 255). */
export function incomplete(): never {
  throw new TcArgError('Command line is not complete. Try option "help"', 255);
}

/** iproute2's duparg(): exit 255. */
export function duparg(key: string, arg: string): never {
  throw new TcArgError(`Error: duplicate "${key}": "${arg}" is the second value.`, 255);
}

/** iproute2's invarg(): exit 255. */
export function invarg(msg: string, arg: string): never {
  throw new TcArgError(`Error: argument "${arg}" is wrong: ${msg}`, 255);
}

/** A cursor over a kind's tokens with NEXT_ARG()/PREV_ARG() semantics. */
export class Tokens {
  i = 0;
  constructor(readonly argv: readonly string[]) {}
  /** Tokens left, including the current one (argc). */
  get argc(): number { return this.argv.length - this.i; }
  /** The current token (*argv); '' past the end. */
  get cur(): string { return this.argv[this.i] ?? ''; }
  /** NEXT_ARG(): move to the next token, which must exist. */
  next(): string {
    this.i++;
    if (this.i >= this.argv.length) incomplete();
    return this.argv[this.i]!;
  }
  /** NEXT_ARG_FWD(): argc--, argv++. */
  fwd(): void { this.i++; }
  /** PREV_ARG(). */
  back(): void { this.i--; }
  /** Whether the next token exists (NEXT_IS_NUMBER needs the value too). */
  peek(n = 1): string | undefined { return this.argv[this.i + n]; }
}

// ------------------------------------------------------------ C number parsing

/** strtod(): the numeric prefix of `s` and the rest; null when no number was read. */
export function strtod(s: string): { value: number; rest: string } | null {
  const m = /^\s*([+-]?)(?:(0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?)|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(inf(?:inity)?|nan))/i.exec(s);
  if (!m) return null;
  let v: number;
  if (m[2]) {
    const [mant, exp] = m[2].slice(2).split(/[pP]/);
    const [ip, fp = ''] = mant!.split('.');
    v = parseInt(ip || '0', 16) + (fp ? parseInt(fp, 16) / 16 ** fp.length : 0);
    if (exp !== undefined) v *= 2 ** Number(exp);
  } else if (m[3]) v = Number(m[3]);
  else v = /^n/i.test(m[4]!) ? NaN : Infinity;
  if (m[1] === '-') v = -v;
  return { value: v, rest: s.slice(m[0].length) };
}

/** strtoul/strtol digits with base 0/8/10/16: value, rest; null when no digits. */
export function strtoInt(s: string, base: number): { value: bigint; rest: string } | null {
  const m = /^\s*([+-]?)/.exec(s)!;
  let t = s.slice(m[0].length);
  let b = base;
  if ((b === 0 || b === 16) && /^0[xX][0-9a-fA-F]/.test(t)) { t = t.slice(2); b = 16; } else if (b === 0) b = /^0/.test(t) ? 8 : 10;
  const re = b === 16 ? /^[0-9a-fA-F]+/ : b === 8 ? /^[0-7]+/ : /^[0-9]+/;
  const d = re.exec(t);
  if (!d) return null;
  let v = 0n;
  for (const c of d[0]) v = v * BigInt(b) + BigInt(parseInt(c, 16));
  return { value: m[1] === '-' ? -v : v, rest: t.slice(d[0].length) };
}

/** get_unsigned()/get_u32(): strtoul with `base`, whole token, ≤ max. Null when invalid. */
export function getUnsigned(s: string, base = 0, max = 0xffffffff): number | null {
  const r = strtoInt(s, base);
  if (!r || r.rest !== '' || s === '') return null;
  let v = r.value;
  // strtoul negates a leading '-' modulo 2^64; anything above UINT_MAX is rejected.
  if (v < 0n) v = BigInt.asUintN(64, v);
  if (v > BigInt(max)) return null;
  return Number(v);
}

/** get_u64(). */
export function getU64(s: string, base = 0): bigint | null {
  const r = strtoInt(s, base);
  if (!r || r.rest !== '' || s === '') return null;
  return BigInt.asUintN(64, r.value);
}

/** get_integer()/get_s32(): strtol, whole token, int range. */
export function getInteger(s: string, base = 0): number | null {
  const r = strtoInt(s, base);
  if (!r || r.rest !== '' || s === '') return null;
  if (r.value < -0x80000000n || r.value > 0x7fffffffn) return null;
  return Number(r.value);
}

/** strtol(s, &p, 10) with `!p || *p` checked: the whole token must be an integer. */
export function strtolWhole(s: string): number | null {
  const r = strtoInt(s, 10);
  if (!r || r.rest !== '') return null;
  return Number(r.value);
}

/** C's conversion of a double to unsigned int (truncate; out-of-range wraps like x86 does via int64). */
export function toU32(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return Number(BigInt.asUintN(32, BigInt(Math.trunc(x))));
}

// ------------------------------------------------------------ units

const RATE_SUFFIXES: ReadonlyArray<readonly [string, number]> = [
  ['bit', 1], ['Kibit', 1024], ['kbit', 1000], ['mibit', 1024 * 1024], ['mbit', 1e6],
  ['gibit', 1024 ** 3], ['gbit', 1e9], ['tibit', 1024 ** 4], ['tbit', 1e12],
  ['Bps', 8], ['KiBps', 8 * 1024], ['KBps', 8000], ['MiBps', 8 * 1024 * 1024], ['MBps', 8e6],
  ['GiBps', 8 * 1024 ** 3], ['GBps', 8e9], ['TiBps', 8 * 1024 ** 4], ['TBps', 8e12],
];

function rateBytes(s: string): number | null {
  const r = strtod(s);
  if (!r) return null;
  let bps = r.value;
  let rest = r.rest;
  const suf = RATE_SUFFIXES.find(([n]) => n.toLowerCase() === rest.toLowerCase() && rest !== '');
  if (suf) { bps *= suf[1]; rest = ''; }
  if (rest) return null;
  return bps / 8;
}

/** get_rate(): bytes per second as u32; null when invalid or overflowing. */
export function getRate(s: string): number | null {
  const b = rateBytes(s);
  if (b === null) return null;
  const v = toU32(b);
  return v === Math.floor(b) ? v : null;
}

/** get_rate64(): bytes per second as u64. */
export function getRate64(s: string): bigint | null {
  const b = rateBytes(s);
  if (b === null) return null;
  if (!Number.isFinite(b)) return null;
  return BigInt.asUintN(64, BigInt(Math.trunc(b)));
}

/** get_size(): bytes as u32. */
export function getSize(s: string): number | null {
  const r = strtod(s);
  if (!r) return null;
  let sz = r.value;
  const p = r.rest.toLowerCase();
  if (p) {
    if (p === 'kb' || p === 'k') sz *= 1024;
    else if (p === 'gb' || p === 'g') sz *= 1024 * 1024 * 1024;
    else if (p === 'gbit') sz *= 1024 * 1024 * 1024 / 8;
    else if (p === 'mb' || p === 'm') sz *= 1024 * 1024;
    else if (p === 'mbit') sz *= 1024 * 1024 / 8;
    else if (p === 'kbit') sz *= 1024 / 8;
    else if (p !== 'b') return null;
  }
  const v = toU32(sz);
  return v === Math.floor(sz) ? v : null;
}

/** get_time(): microseconds as u32. */
export function getTime(s: string): number | null {
  const r = strtod(s);
  if (!r) return null;
  let t = r.value;
  const p = r.rest.toLowerCase();
  if (p) {
    if (p === 's' || p === 'sec' || p === 'secs') t *= 1e6;
    else if (p === 'ms' || p === 'msec' || p === 'msecs') t *= 1000;
    else if (p === 'us' || p === 'usec' || p === 'usecs') t *= 1;
    else return null;
  }
  return toU32(t);
}

/** get_time64(): nanoseconds (s64). */
export function getTime64(s: string): bigint | null {
  const r = strtod(s);
  if (!r) return null;
  let t = r.value;
  const p = r.rest.toLowerCase();
  if (p) {
    if (p === 's' || p === 'sec' || p === 'secs') t *= 1e9;
    else if (p === 'ms' || p === 'msec' || p === 'msecs') t *= 1e6;
    else if (p === 'us' || p === 'usec' || p === 'usecs') t *= 1e3;
    else if (p !== 'ns' && p !== 'nsec' && p !== 'nsecs') return null;
  }
  if (!Number.isFinite(t)) return null;
  return BigInt.asIntN(64, BigInt(Math.trunc(t)));
}

/** sprint_time(): usec as "1s", "100ms", "5us" (%.3g). */
export function sprintTime(usec: number): string {
  if (usec >= 1e6) return sprintf('%.3gs', usec / 1e6);
  if (usec >= 1000) return sprintf('%.3gms', usec / 1000);
  return `${usec >>> 0}us`;
}

/** sprint_time64(): ns as "1s", "2ms", "20us", "5ns". */
export function sprintTime64(ns: number | bigint): string {
  const n = Number(ns);
  if (n >= 1e9) return sprintf('%.3gs', n / 1e9);
  if (n >= 1e6) return sprintf('%.3gms', n / 1e6);
  if (n >= 1e3) return sprintf('%.3gus', n / 1e3);
  return `${String(ns)}ns`;
}

/** sprint_size(): "1514b", "64Kb", "32Mb". */
export function sprintSize(sz: number): string {
  const kilo = 1024;
  const mega = kilo * kilo;
  if (sz >= mega && Math.abs(mega * rint(sz / mega) - sz) < 1024) return sprintf('%gMb', rint(sz / mega));
  if (sz >= kilo && Math.abs(kilo * rint(sz / kilo) - sz) < 16) return sprintf('%gKb', rint(sz / kilo));
  return `${sz >>> 0}b`;
}

/** C rint(): round half to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** print_rate()/tc_print_rate(): `rate` in bytes/s; text "100Mbit" (or "Mibit" with -iec), JSON the number. */
export function sprintRate(rate: number | bigint, iec: boolean): string {
  const kilo = iec ? 1024n : 1000n;
  const units = ['', 'K', 'M', 'G', 'T'];
  let r = BigInt.asUintN(64, BigInt(rate) << 3n);
  let i = 0;
  for (; i < units.length - 1; i++) {
    if (r < kilo) break;
    if (r % kilo !== 0n && r < 1000n * kilo) break;
    r /= kilo;
  }
  return `${r}${units[i]}${i > 0 && iec ? 'i' : ''}bit`;
}

/** tc_print_rate(). */
export function printRate(p: Printer, env: TcEnv, t: OutputType, key: string | null, fmt: string, rate: number | bigint): void {
  if (p.inJson) {
    if (t !== FP) p.u64(t, key, '%llu', rate);
    return;
  }
  if (t !== JSON_ONLY) p.string(t, key, fmt, sprintRate(rate, env.iec));
}

/** print_size(). */
export function printSize(p: Printer, t: OutputType, key: string | null, fmt: string, sz: number): void {
  if (p.inJson) {
    if (t !== FP) p.uint(t, key, '%u', sz);
    return;
  }
  if (t !== JSON_ONLY) p.string(t, key, fmt, sprintSize(sz));
}

/** Text-only print_string(PRINT_FP, NULL, fmt, value). */
export function fp(p: Printer, fmt: string, value = ''): void {
  p.string(FP, null, fmt, value);
}

export { ANY, FP, JSON_ONLY };

// ------------------------------------------------------------ psched ticks

let tickInUsec: number | undefined;

/** tick_in_usec from /proc/net/psched (tc_core_init); 1 when unreadable, as iproute2. */
export function psched(): number {
  if (tickInUsec !== undefined) return tickInUsec;
  tickInUsec = 1;
  try {
    const f = readFileSync('/proc/net/psched', 'utf8').trim().split(/\s+/).map((x) => parseInt(x, 16));
    let [t2us, us2t, res] = f as [number, number, number];
    if (res === 1000000000) t2us = us2t;
    tickInUsec = (t2us / us2t) * (res / 1e6);
  } catch { /* keep 1 */ }
  return tickInUsec;
}

/** tc_core_time2tick(): usec → ticks (u32). */
export function time2tick(usec: number): number {
  return toU32(usec * psched());
}

/** tc_core_tick2time(): ticks → usec (u32). */
export function tick2time(tick: number): number {
  return toU32(tick / psched());
}

/** tc_core_time2big(). */
export function time2big(usec: number): boolean {
  return usec * psched() >= 2 ** 32;
}

/** tc_calc_xmittime(rate, size): ticks to send `size` bytes at `rate` bytes/s. */
export function calcXmittime(rate: number, size: number): number {
  return time2tick(1e6 * (size / rate));
}

// ------------------------------------------------------------ misc

/** `help` text as iproute2's explain() prints it, without the final newline (the CLI adds it). */
export function usage(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** "What is "X"?" + usage (iproute2's fallback for unknown tokens). */
export function whatIs(tok: string, text: string): never {
  fail(`What is "${tok}"?\n${usage(text)}`);
}

/** Read a u32 flag/enum from a decoded options object where absent means default. */
export function orZero(v: number | undefined): number {
  return v ?? 0;
}

/** Signed view of a u32 (for __s32 kernel values carried in u32 attributes). */
export function s32(v: number): number {
  return v | 0;
}

// ------------------------------------------------------------ percentages

/** parse_percent(): "30%" → 0.3; null when malformed, 'range' when outside [0, 1]. */
export function parsePercent(s: string): number | null | 'range' {
  const r = strtod(s);
  const v = (r ? r.value : 0) / 100;
  if (v > 1 || v < 0) return 'range';
  const rest = r ? r.rest : s;
  if (rest && rest !== '%') return null;
  return v;
}

/** The name of the device with `ifindex` in this process's /sys (for percentage rates). */
function devName(ifindex: number): string | undefined {
  try {
    for (const n of readdirSync('/sys/class/net')) {
      if (readFileSync(`/sys/class/net/${n}/ifindex`, 'utf8').trim() === String(ifindex)) return n;
    }
  } catch { /* no sysfs */ }
  return undefined;
}

/**
 * get_percent_rate(): "10%" of the device's link speed as bytes/s (u32), or
 * null after printing nothing (the caller reports its own "Illegal …").
 * Errors iproute2 reports itself (no device, unreadable speed) are thrown.
 */
export function percentRate(s: string, env: TcEnv): number | null {
  let speed: number;
  if (env.linkSpeed) {
    // The foundation's lookup throws tc's own messages (PercentRateError).
    try {
      speed = env.linkSpeed();
    } catch (e) {
      fail((e as Error).message);
    }
  } else {
    const dev = env.dev || (env.ifindex ? devName(env.ifindex) : undefined);
    if (!dev) fail('No device specified; specify device to rate limit by percentage');
    try {
      speed = parseInt(readFileSync(`/sys/class/net/${dev}/speed`, 'utf8').trim(), 10);
    } catch {
      return null;
    }
  }
  if (!Number.isFinite(speed) || speed <= 0) return null;
  const m = /^[0-9.%]+/.exec(s);
  if (!m) fail('Specified rate value could not be read or is malformed');
  const perc = parsePercent(m[0]);
  if (perc === 'range') fail(`Invalid rate specified; should be between [0,100]% but is ${s}`);
  if (perc === null) fail('Specified rate value could not be read or is malformed');
  return getRate(sprintf('%f', perc * speed * 1e6));
}

/** iproute2's matches(): `arg` is a non-empty prefix of `word`. */
export function matches(arg: string, word: string): boolean {
  return arg.length > 0 && word.startsWith(arg);
}

// ------------------------------------------------------------ codecs

/** A fixed array of `n` little-endian integers of `el` inside a struct (e.g. a priomap). */
export function fixedArray(el: FixedCodec<number>, n: number): FixedCodec<number[]> {
  const size = el.size * n;
  const read = (buf: Buffer, off: number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(el.read(buf, off + i * el.size));
    return out;
  };
  const write = (buf: Buffer, off: number, v: number[]): void => {
    for (let i = 0; i < n; i++) el.write(buf, off + i * el.size, v[i] ?? 0);
  };
  return {
    name: `${el.name}[${n}]`, size, zero: new Array<number>(n).fill(0), read, write,
    encode(w, v) { w.ensure(size); write(w.buf, w.offset, v); w.offset += size; },
    decode(buf, off, len) {
      if (len < size) throw new ParseError(`${el.name}[${n}] needs ${size} bytes, got ${len}`, off);
      return read(buf, off);
    },
    arbitrary(rng) { const out: number[] = []; for (let i = 0; i < n; i++) out.push(el.arbitrary(rng, {})); return out; },
  };
}

/**
 * iproute2's addattr_nest_compat layout: a struct, then ONE nested attribute
 * of type `nestType` (TCA_OPTIONS again) holding the attributes. The nest is
 * always emitted (possibly empty), as iproute2 does; decoding tolerates its absence.
 */
export function compatNest<H, A>(name: string, header: StructCodec<H>, nestType: number, inner: Codec<A>): Codec<{ header: H; attrs: A }> {
  const hlen = (header.size + 3) & ~3;
  return {
    name,
    encode(w, v, ctx) {
      header.encode(w, v.header, ctx);
      w.pad4();
      const start = w.beginAttr(nestType);
      inner.encode(w, v.attrs, ctx);
      w.endAttr(start);
    },
    decode(buf, off, len, ctx) {
      if (len < header.size) throw new ParseError(`${name} needs ${header.size} bytes, got ${len}`, off, [name]);
      const h = header.decode(buf, off, len);
      let p = off + hlen;
      const end = off + len;
      let a = inner.decode(buf, p, 0, ctx);
      if (end - p >= 4) {
        const alen = buf.readUInt16LE(p);
        if (alen >= 4 && alen <= end - p) a = inner.decode(buf, p + 4, alen - 4, ctx);
        p += alen;
      }
      return { header: h, attrs: a };
    },
    arbitrary: (rng, ctx) => ({ header: header.arbitrary(rng, ctx), attrs: inner.arbitrary(rng, ctx) }),
  };
}

// ------------------------------------------------------------ RED parameters (tc/tc_red.c)

/** tc_red_eval_P(): Plog = log(prob/(qmax - qmin)); -1 when impossible. */
export function redEvalP(qmin: number, qmax: number, prob: number): number {
  let i = (qmax - qmin) | 0;
  if (!i) return 0;
  if (i < 0) return -1;
  prob /= i;
  for (i = 0; i < 32; i++) {
    if (prob > 1.0) break;
    prob *= 2;
  }
  return i >= 32 ? -1 : i;
}

/** tc_red_eval_ewma(): Wlog for burst/avpkt; -1 when impossible. The "too small" hint is part of the error. */
export function redEvalEwma(qmin: number, burst: number, avpkt: number): { wlog: number; hint?: string } {
  let W = 0.5;
  const a = burst + 1 - qmin / avpkt;
  if (a < 1.0) {
    return { wlog: -1, hint: `tc_red_eval_ewma() burst ${burst} is too small ? Try burst ${1 + Math.floor(qmin / avpkt)}` };
  }
  for (let wlog = 1; wlog < 32; wlog++, W /= 2) {
    if (a <= (1 - Math.pow(1 - W, burst)) / W) return { wlog };
  }
  return { wlog: -1 };
}

/** tc_red_eval_idle_damping(): Scell_log and the 256-byte stab; clog -1 when impossible. */
export function redEvalIdleDamping(wlog: number, avpkt: number, bps: number): { clog: number; stab: Buffer } {
  const xmit = calcXmittime(bps, avpkt);
  const lW = -Math.log(1.0 - 1.0 / 2 ** wlog) / xmit;
  const maxtime = 31 / lW;
  const stab = Buffer.alloc(256);
  let clog = 0;
  for (; clog < 32; clog++) if (maxtime / 2 ** clog < 512) break;
  if (clog >= 32) return { clog: -1, stab };
  stab[0] = 0;
  for (let i = 1; i < 255; i++) {
    // C stores the double into a __u8 (truncation modulo 256), then clamps at 31.
    const v = Math.trunc(i * 2 ** clog * lW) & 0xff;
    stab[i] = v > 31 ? 31 : v;
  }
  stab[255] = 31;
  return { clog, stab };
}

/** tc_red_print_flags(). */
export function printRedFlags(p: Printer, flags: number): void {
  p.bool(ANY, 'ecn', flags & 1 ? 'ecn ' : '', !!(flags & 1));
  p.bool(ANY, 'harddrop', flags & 2 ? 'harddrop ' : '', !!(flags & 2));
  p.bool(ANY, 'adaptive', flags & 4 ? 'adaptive ' : '', !!(flags & 4));
  p.bool(ANY, 'nodrop', flags & 8 ? 'nodrop ' : '', !!(flags & 8));
}

/** sscanf("%lg"): the leading double of `s`, or null. */
export function scanDouble(s: string): number | null {
  const r = strtod(s);
  return r ? r.value : null;
}

/** clock_factor of tc_core.c: kernel clock units per microsecond. */
export function clockFactor(): number {
  try {
    const f = readFileSync('/proc/net/psched', 'utf8').trim().split(/\s+/).map((x) => parseInt(x, 16));
    return (f[2] ?? 1e6) / 1e6;
  } catch {
    return 1;
  }
}
/** tc_core_time2ktime(). */
export function time2ktime(usec: number): number { return toU32(usec * clockFactor()); }
/** tc_core_ktime2time(). */
export function ktime2time(kt: number): number { return toU32(kt / clockFactor()); }

/**
 * A nest whose enclosing attribute must carry NLA_F_NESTED (the kernel's
 * nla_parse_nested() rejects it otherwise, e.g. ets's TCA_OPTIONS). The
 * enclosing attribute's header is the 4 bytes just before the payload
 * this codec writes, so the flag is set there. Kinds also declare
 * `optionsFlags` so the request builder can do the same explicitly; OR-ing
 * twice is harmless.
 */
export function withNestedFlag<T>(inner: Codec<T>): Codec<T> {
  return {
    ...inner,
    encode(w, v, ctx) {
      if (w.offset >= 4) w.buf.writeUInt16LE(w.buf.readUInt16LE(w.offset - 2) | 0x8000, w.offset - 2);
      inner.encode(w, v, ctx);
    },
  };
}
