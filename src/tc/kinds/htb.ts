/**
 * HTB (hierarchical token bucket) qdisc and classes: linux/pkt_sched.h
 * TCA_HTB_*, grammar and printing of iproute2's tc/q_htb.c.
 *
 * ```ts
 * await nl.qdisc.add({ dev: 'eth0', parent: 'root', handle: '1:', kind: 'htb', options: htbQdisc({ default: 0x10 }) });
 * await nl.class.add({ dev: 'eth0', parent: '1:', classid: '1:10', kind: 'htb',
 *   options: htbClass({ rate: '10mbit', ceil: '20mbit' }) });
 * ```
 * @module
 */
import { attrs, attr, struct, array, u32, s32, u64, bytes, flag, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { ANY, FP, type Printer } from '../../output/printer.js';
import { registerQdiscKind, type TcEnv } from '../kind.js';
import { tcRatespec } from '../schema.js';
import { attrCodes, offsetOf, words, u64Number } from '../scan.js';
import { ascii, type ByteWriter } from '../../output/bytes.js';
import { psched, calcRtable, type Psched } from '../psched.js';
import {
  parseRate, parseSizeAndCell, parseLinkLayer, parseU32, parseU16, sprintRate, sprintSize, sprintLinkLayer, writeRateNum, writeRate64, writeSize,
  parsePercentRate, LINKLAYER, PercentRateError, type Rate,
} from '../units.js';
import { matches, kindFail, TokenCursor } from '../args.js';

/** TCA_HTB_* */
export const TCA_HTB = constants('TCA_HTB_', ['linux/pkt_sched.h'], {
  UNSPEC: 0, PARMS: 1, INIT: 2, CTAB: 3, RTAB: 4, DIRECT_QLEN: 5, RATE64: 6, CEIL64: 7, PAD: 8, OFFLOAD: 9,
});

/** struct tc_htb_opt (class parameters). */
export const htbOpt = struct('tc_htb_opt', {
  rate: tcRatespec, ceil: tcRatespec, buffer: u32, cbuffer: u32, quantum: u32, level: u32, prio: u32,
});
/** struct tc_htb_glob (qdisc parameters). */
export const htbGlob = struct('tc_htb_glob', { version: u32, rate2quantum: u32, defcls: u32, debug: u32, direct_pkts: u32 });
/** struct tc_htb_xstats (class statistics). */
export const htbXstats = struct('tc_htb_xstats', { lends: u32, borrows: u32, giants: u32, tokens: s32, ctokens: s32 });
/** Decoded htb class statistics. */
export type HtbXstats = Infer<typeof htbXstats>;

/** TCA_OPTIONS of htb qdiscs and classes (one attribute set serves both). */
export const htbAttrs = attrs('htb', {
  parms: attr(TCA_HTB.PARMS, htbOpt),
  init: attr(TCA_HTB.INIT, htbGlob),
  ctab: attr(TCA_HTB.CTAB, array(u32)),
  rtab: attr(TCA_HTB.RTAB, array(u32)),
  direct_qlen: attr(TCA_HTB.DIRECT_QLEN, u32),
  rate64: attr(TCA_HTB.RATE64, u64),
  ceil64: attr(TCA_HTB.CEIL64, u64),
  pad: attr(TCA_HTB.PAD, bytes),
  offload: attr(TCA_HTB.OFFLOAD, flag),
});
/** Decoded/encodable htb options. */
export type HtbOptions = Infer<typeof htbAttrs>;

declare module '../kind.js' {
  interface QdiscOptionsMap { htb: HtbOptions }
  interface ClassOptionsMap { htb: HtbOptions }
}

const HTB_TC_VER = 0x30003;

const USAGE = `Usage: ... qdisc add ... htb [default N] [r2q N]
                      [direct_qlen P] [offload]
 default  minor id of class to which unclassified packets are sent {0}
 r2q      DRR quantums are computed as rate in Bps/r2q {10}
 debug    string of 16 numbers each 0-3 {0}

 direct_qlen  Limit of the direct queue {in packets}
 offload  enable hardware offload
... class add ... htb rate R1 [burst B1] [mpu B] [overhead O]
                      [prio P] [slot S] [pslot PS]
                      [ceil R2] [cburst B2] [mtu MTU] [quantum Q]
 rate     rate allocated to this class (class can still borrow)
 burst    max bytes burst which can be accumulated during idle period {computed}
 mpu      minimum packet size used in rate computations
 overhead per-packet size overhead used in rate computations
 linklay  adapting to a linklayer e.g. atm
 ceil     definite upper class rate (no borrows) {rate}
 cburst   burst but for ceil {computed}
 mtu      max packet size we create rate map for {1600}
 prio     priority of leaf; lower are served first {0}
 quantum  how much bytes to serve from leaf at once {use r2q}

TC HTB version ${HTB_TC_VER >> 16}.${HTB_TC_VER & 0xffff}`;

const illegal = (arg: string): never => kindFail(`Illegal "${arg}"\n${USAGE}`);
const whatIs = (arg: string): never => kindFail(`What is "${arg}"?\n${USAGE}`);

// ---------------------------------------------------------------- library builders

/** Options of an htb qdisc, in tc's terms. */
export interface HtbQdiscSpec {
  /** Minor id of the default class (tc: `default 10` is hex, i.e. 0x10). */
  readonly default?: number;
  /** Rate-to-quantum divisor (default 10). */
  readonly r2q?: number;
  /** Direct queue limit in packets. */
  readonly directQlen?: number;
  readonly offload?: boolean;
  /** Debug flags word. */
  readonly debug?: number;
}

/** Build htb qdisc options (TCA_HTB_INIT …) as `tc qdisc add … htb` does. */
export function htbQdisc(spec: HtbQdiscSpec = {}): HtbOptions {
  const o: HtbOptions = {
    init: { version: 3, rate2quantum: spec.r2q ?? 10, defcls: spec.default ?? 0, debug: spec.debug ?? 0, direct_pkts: 0 },
  };
  if (spec.directQlen !== undefined) o.direct_qlen = spec.directQlen;
  if (spec.offload) o.offload = true;
  return o;
}

/** Options of an htb class, in tc's terms (rates in bytes/s or tc text, sizes in bytes or tc text). */
export interface HtbClassSpec {
  readonly rate: Rate | string;
  /** Default: `rate`. */
  readonly ceil?: Rate | string;
  /** Bytes (or tc text like `15k`, `15k/8`); default rate/HZ + mtu. */
  readonly burst?: number | string;
  readonly cburst?: number | string;
  /** log2 of the rate table cell (tc's `burst B/CELL`). */
  readonly cellLog?: number;
  readonly ccellLog?: number;
  readonly prio?: number;
  readonly quantum?: number;
  /** MTU the rate tables cover (default 1600). */
  readonly mtu?: number;
  readonly mpu?: number;
  readonly overhead?: number;
  /** 'ethernet' (default) or 'atm'. */
  readonly linklayer?: 'ethernet' | 'atm' | number;
}

function rateOf(v: Rate | string, what: string): bigint {
  if (typeof v === 'bigint') return v;
  const r = parseRate(v);
  if (r === null) throw new RangeError(`htb: invalid ${what} "${v}"`);
  return r;
}

function sizeOf(v: number | string, what: string): { size: number; cellLog: number | undefined } {
  if (typeof v === 'number') return { size: v >>> 0, cellLog: undefined };
  const r = parseSizeAndCell(v);
  if (!r) throw new RangeError(`htb: invalid ${what} "${v}"`);
  return r;
}

/** Build htb class options (TCA_HTB_PARMS + rate tables) exactly as `tc class add … htb` does. */
export function htbClass(spec: HtbClassSpec, ps: Psched = psched()): HtbOptions {
  const rate64 = rateOf(spec.rate, 'rate');
  if (!rate64) throw new RangeError('htb: "rate" is required');
  const ceil64 = spec.ceil !== undefined ? rateOf(spec.ceil, 'ceil') || rate64 : rate64;
  const b = spec.burst !== undefined ? sizeOf(spec.burst, 'burst') : undefined;
  const cb = spec.cburst !== undefined ? sizeOf(spec.cburst, 'cburst') : undefined;
  const mtu = spec.mtu ?? 1600;
  const ll = typeof spec.linklayer === 'number' ? spec.linklayer : spec.linklayer === 'atm' ? LINKLAYER.ATM : LINKLAYER.ETHERNET;
  const mpu = spec.mpu ?? 0;
  const overhead = spec.overhead ?? 0;
  let buffer = b?.size ?? 0;
  let cbuffer = cb?.size ?? 0;
  // tc: buffer = rate64 / get_hz() + mtu (u64 arithmetic, stored in an unsigned int).
  if (!buffer) buffer = Number(BigInt.asUintN(32, rate64 / BigInt(ps.hz) + BigInt(mtu)));
  if (!cbuffer) cbuffer = Number(BigInt.asUintN(32, ceil64 / BigInt(ps.hz) + BigInt(mtu)));
  const rate32 = rate64 >= 2n ** 32n ? 0xffffffff : Number(rate64);
  const ceil32 = ceil64 >= 2n ** 32n ? 0xffffffff : Number(ceil64);
  const rt = calcRtable(ps, { rate: rate32, mpu, cellLog: spec.cellLog ?? b?.cellLog, mtu, linklayer: ll });
  const ct = calcRtable(ps, { rate: ceil32, mpu, cellLog: spec.ccellLog ?? cb?.cellLog, mtu, linklayer: ll });
  const o: HtbOptions = {};
  if (rate64 >= 2n ** 32n) o.rate64 = rate64;
  if (ceil64 >= 2n ** 32n) o.ceil64 = ceil64;
  o.parms = {
    rate: { cell_log: rt.cellLog, linklayer: rt.linklayer, overhead, cell_align: rt.cellAlign, mpu, rate: rate32 },
    ceil: { cell_log: ct.cellLog, linklayer: ct.linklayer, overhead, cell_align: ct.cellAlign, mpu, rate: ceil32 },
    buffer: ps.xmittime(rate64, buffer),
    cbuffer: ps.xmittime(ceil64, cbuffer),
    quantum: spec.quantum ?? 0,
    level: 0,
    prio: spec.prio ?? 0,
  };
  o.rtab = Array.from(rt.table);
  o.ctab = Array.from(ct.table);
  return o;
}

// ---------------------------------------------------------------- tc grammar

function parseQdisc(tokens: readonly string[]): HtbOptions {
  const t = new TokenCursor(tokens);
  let r2q = 10;
  let defcls = 0;
  let debug = 0;
  let directQlen: number | undefined;
  let offload = false;
  while (t.left > 0) {
    const a = t.cur;
    if (matches(a, 'r2q')) {
      const v = parseU32(t.next(), 10);
      if (v === null) illegal('r2q');
      r2q = v!;
    } else if (matches(a, 'default')) {
      const v = parseU32(t.next(), 16);
      if (v === null) illegal('default');
      defcls = v!;
    } else if (matches(a, 'debug')) {
      const p = t.next();
      for (let i = 0; i < 16 && i < p.length; i++) {
        const c = p.charCodeAt(i) - 48;
        if (c < 0 || c > 3) break;
        debug = (debug | (c << (2 * i))) >>> 0;
      }
    } else if (matches(a, 'direct_qlen')) {
      const v = parseU32(t.next(), 10);
      if (v === null) illegal('direct_qlen');
      // ~0U means "not given" to tc.
      directQlen = v === 0xffffffff ? undefined : v!;
    } else if (matches(a, 'offload')) {
      offload = true;
    } else {
      whatIs(a);
    }
    t.advance();
  }
  const o: HtbOptions = { init: { version: 3, rate2quantum: r2q, defcls, debug, direct_pkts: 0 } };
  if (directQlen !== undefined) o.direct_qlen = directQlen;
  if (offload) o.offload = true;
  return o;
}

function parsePercentOrRate(arg: string, env: TcEnv, what: string): bigint {
  if (arg.includes('%')) {
    if (!env.dev) kindFail(`No device specified; specify device to rate limit by percentage\nIllegal "${what}"\n${USAGE}`);
    try {
      return parsePercentRate(arg, env.linkSpeed ? env.linkSpeed() : 0);
    } catch (e) {
      if (e instanceof PercentRateError) kindFail(`${e.message}\nIllegal "${what}"\n${USAGE}`);
      throw e;
    }
  }
  const r = parseRate(arg);
  if (r === null) illegal(what);
  return r!;
}

function parseClassTokens(tokens: readonly string[], env: TcEnv): HtbOptions {
  const t = new TokenCursor(tokens);
  let prio = 0;
  let quantum = 0;
  let mtu = 1600;
  let mpu = 0;
  let overhead = 0;
  let linklayer: number = LINKLAYER.ETHERNET;
  let buffer = 0;
  let cbuffer = 0;
  let cellLog: number | undefined;
  let ccellLog: number | undefined;
  let rate64 = 0n;
  let ceil64 = 0n;
  while (t.left > 0) {
    const a = t.cur;
    if (matches(a, 'prio')) {
      const v = parseU32(t.next(), 10);
      if (v === null) illegal('prio');
      prio = v!;
    } else if (matches(a, 'mtu')) {
      const v = parseU32(t.next(), 10);
      if (v === null) illegal('mtu');
      mtu = v!;
    } else if (matches(a, 'mpu')) {
      const v = parseU16(t.next(), 10);
      if (v === null) illegal('mpu');
      mpu = v!;
    } else if (matches(a, 'overhead')) {
      const v = parseU16(t.next(), 10);
      if (v === null) illegal('overhead');
      overhead = v!;
    } else if (matches(a, 'linklayer')) {
      const v = parseLinkLayer(t.next());
      if (v === null) illegal('linklayer');
      linklayer = v!;
    } else if (matches(a, 'quantum')) {
      const v = parseU32(t.next(), 10);
      if (v === null) illegal('quantum');
      quantum = v!;
    } else if (matches(a, 'burst') || a === 'buffer' || a === 'maxburst') {
      const v = parseSizeAndCell(t.next());
      if (!v) illegal(a);
      buffer = v!.size;
      if (v!.cellLog !== undefined) cellLog = v!.cellLog;
    } else if (matches(a, 'cburst') || a === 'cbuffer' || a === 'cmaxburst') {
      const v = parseSizeAndCell(t.next());
      if (!v) illegal(a);
      cbuffer = v!.size;
      if (v!.cellLog !== undefined) ccellLog = v!.cellLog;
    } else if (a === 'ceil') {
      const v = t.next();
      if (ceil64) kindFail('Double "ceil" spec');
      ceil64 = parsePercentOrRate(v, env, 'ceil');
    } else if (a === 'rate') {
      const v = t.next();
      if (rate64) kindFail('Double "rate" spec');
      rate64 = parsePercentOrRate(v, env, 'rate');
    } else if (a === 'help') {
      kindFail(USAGE);
    } else {
      whatIs(a);
    }
    t.advance();
  }
  if (!rate64) kindFail('"rate" is required.');
  const spec: { -readonly [K in keyof HtbClassSpec]: HtbClassSpec[K] } = {
    rate: rate64, prio, quantum, mtu, mpu, overhead, linklayer,
  };
  if (ceil64) spec.ceil = ceil64;
  if (buffer) spec.burst = buffer;
  if (cbuffer) spec.cburst = cbuffer;
  if (cellLog !== undefined) spec.cellLog = cellLog;
  if (ccellLog !== undefined) spec.ccellLog = ccellLog;
  return htbClass(spec);
}

// ---------------------------------------------------------------- printing

/** htb_print_opt(): shared by qdiscs and classes. `fprintf` pieces go out raw, as in tc. */
export function printHtb(p: Printer, o: HtbOptions, env: TcEnv): void {
  const ps = psched();
  const h = o.parms;
  if (h) {
    if (!h.level) {
      p.int(ANY, 'prio', 'prio %d ', h.prio | 0);
      if (env.details) p.int(ANY, 'quantum', 'quantum %d ', h.quantum | 0);
    }
    const rate64 = o.rate64 ?? BigInt(h.rate.rate);
    const ceil64 = o.ceil64 ?? BigInt(h.ceil.rate);
    p.string(FP, null, 'rate %s ', sprintRate(rate64, env.iec));
    if (h.rate.overhead) p.rawText(`overhead ${h.rate.overhead} `);
    const buffer = ps.xmitsize(rate64, h.buffer);
    p.string(FP, null, 'ceil %s ', sprintRate(ceil64, env.iec));
    const cbuffer = ps.xmitsize(ceil64, h.cbuffer);
    const ll = h.rate.linklayer & 0x0f;
    if (ll > LINKLAYER.ETHERNET || env.details) p.rawText(`linklayer ${sprintLinkLayer(ll)} `);
    if (env.details) {
      p.string(FP, null, 'burst %s/', sprintSize(buffer));
      p.rawText(`${(1 << h.rate.cell_log) >>> 0} `);
      p.string(FP, null, 'mpu %s ', sprintSize(h.rate.mpu));
      p.string(FP, null, 'cburst %s/', sprintSize(cbuffer));
      p.rawText(`${(1 << h.ceil.cell_log) >>> 0} `);
      p.string(FP, null, 'mpu %s ', sprintSize(h.ceil.mpu));
      p.rawText(`level ${h.level | 0} `);
    } else {
      p.string(FP, null, 'burst %s ', sprintSize(buffer));
      p.string(FP, null, 'cburst %s ', sprintSize(cbuffer));
    }
    if (env.raw) {
      p.rawText(`buffer [${h.buffer.toString(16).padStart(8, '0')}] cbuffer [${h.cbuffer.toString(16).padStart(8, '0')}] `);
    }
  }
  const g = o.init;
  if (g) {
    p.int(ANY, 'r2q', 'r2q %d', g.rate2quantum | 0);
    p.hex0x(ANY, 'default', ' default %#llx', g.defcls);
    p.uint(ANY, 'direct_packets_stat', ' direct_packets_stat %u', g.direct_pkts);
    if (env.details) p.string(ANY, 'ver', ' ver %s', `${g.version >>> 16}.${g.version & 0xffff}`);
  }
  if (o.direct_qlen !== undefined) p.uint(ANY, 'direct_qlen', ' direct_qlen %u', o.direct_qlen);
  if (o.offload) p.null(ANY, 'offload', ' offload', '');
}

function printXstats(p: Printer, x: unknown): void {
  // Decoded by htbXstats; anything else (raw bytes of a short payload) is not printed, as tc.
  if (typeof x !== 'object' || x === null || Buffer.isBuffer(x)) return;
  const st = x as HtbXstats;
  p.rawText(` lended: ${st.lends} borrowed: ${st.borrows} giants: ${st.giants}\n`);
  p.rawText(` tokens: ${st.tokens} ctokens: ${st.ctokens}\n`);
}

// ---------------------------------------------------------------- text fast path

// Layouts from the schema above (never by hand), in 32-bit words where the member is a u32/s32.
const word = (s: Parameters<typeof offsetOf>[0], m: string): number => offsetOf(s, m) / 4;
const OPT_RATE = word(htbOpt, 'rate');
const OPT_CEIL = word(htbOpt, 'ceil');
const OPT_BUFFER = word(htbOpt, 'buffer');
const OPT_CBUFFER = word(htbOpt, 'cbuffer');
const OPT_LEVEL = word(htbOpt, 'level');
const OPT_PRIO = word(htbOpt, 'prio');
const RS_RATE = word(tcRatespec, 'rate');
const RS_OVERHEAD_B = offsetOf(tcRatespec, 'overhead');
const RS_LINKLAYER_B = offsetOf(tcRatespec, 'linklayer');
const GLOB_R2Q = word(htbGlob, 'rate2quantum');
const GLOB_DEFCLS = word(htbGlob, 'defcls');
const GLOB_DIRECT = word(htbGlob, 'direct_pkts');
const XS_LENDS = word(htbXstats, 'lends');
const XS_BORROWS = word(htbXstats, 'borrows');
const XS_GIANTS = word(htbXstats, 'giants');
const XS_TOKENS = word(htbXstats, 'tokens');
const XS_CTOKENS = word(htbXstats, 'ctokens');
const OPT_SIZE = htbOpt.size;
const GLOB_SIZE = htbGlob.size;
const HTB_CODES = attrCodes([
  [TCA_HTB.PARMS, 1], [TCA_HTB.INIT, 2], [TCA_HTB.DIRECT_QLEN, 3], [TCA_HTB.RATE64, 4], [TCA_HTB.CEIL64, 5], [TCA_HTB.OFFLOAD, 6],
]);

/** print_rate() of a 64-bit rate attribute, or of the 32-bit ratespec rate when there is none. */
function writeRate(out: ByteWriter, w: Uint32Array, off64: number, rate32: number, iec: boolean): void {
  if (off64 < 0) writeRateNum(out, rate32, iec);
  else writeRate64(out, w, off64, iec);
}

const W_PRIO = ascii('prio '), W_RATE = ascii('rate '), W_OVERHEAD = ascii('overhead '), W_CEIL = ascii('ceil ');
const W_LINKLAYER = ascii('linklayer '), W_BURST = ascii('burst '), W_CBURST = ascii(' cburst ');
const W_R2Q = ascii('r2q '), W_DEFAULT = ascii(' default '), W_0X = ascii('0x'), W_DIRECT_STAT = ascii(' direct_packets_stat ');
const W_DIRECT_QLEN = ascii(' direct_qlen '), W_OFFLOAD = ascii(' offload');
const W_LENDED = ascii(' lended: '), W_BORROWED = ascii(' borrowed: '), W_GIANTS = ascii(' giants: ');
const W_TOKENS = ascii('\n tokens: '), W_CTOKENS = ascii(' ctokens: ');
const SP = 0x20, NL = 0x0a, ZERO = 0x30;

/** {@link printHtb} in text mode, from the TCA_OPTIONS bytes into `out` (false: let the schema path print it). */
function htbText(out: ByteWriter, buf: Buffer, off: number, len: number, env: TcEnv): boolean {
  if (env.details || env.raw) return false;
  const w = words(buf);
  if (w === undefined || (off & 3) !== 0) return false;
  let parms = -1, init = -1, directQlen = -1, rate64 = -1, ceil64 = -1;
  let offload = false;
  const end = off + len;
  let p = off;
  while (end - p >= 4) {
    const h = w[p >>> 2]!;
    const alen = h & 0xffff;
    if (alen < 4 || alen > end - p) return false;
    const d = p + 4;
    const dl = alen - 4;
    const type = (h >>> 16) & 0x3fff;
    switch (type < HTB_CODES.length ? HTB_CODES[type] : 0) {
      case 1: if (dl < OPT_SIZE) return false; parms = d >>> 2; break; // TCA_HTB_PARMS
      case 2: if (dl < GLOB_SIZE) return false; init = d >>> 2; break; // TCA_HTB_INIT
      case 3: if (dl < 4) return false; directQlen = d >>> 2; break; // TCA_HTB_DIRECT_QLEN
      case 4: if (dl < 8) return false; rate64 = d; break; // TCA_HTB_RATE64
      case 5: if (dl < 8) return false; ceil64 = d; break; // TCA_HTB_CEIL64
      case 6: offload = true; break; // TCA_HTB_OFFLOAD
      default: break; // rate tables, padding, attributes the schema keeps raw
    }
    p += (alen + 3) & ~3;
  }
  if (parms >= 0) {
    const ps = psched();
    if (w[parms + OPT_LEVEL]! === 0) {
      out.bytes(W_PRIO);
      out.int(w[parms + OPT_PRIO]!);
      out.byte(SP);
    }
    const rate32 = w[parms + OPT_RATE + RS_RATE]!;
    const ceil32 = w[parms + OPT_CEIL + RS_RATE]!;
    const rate = rate64 >= 0 ? u64Number(w, rate64) : rate32;
    const ceil = ceil64 >= 0 ? u64Number(w, ceil64) : ceil32;
    out.bytes(W_RATE);
    writeRate(out, w, rate64, rate32, env.iec);
    out.byte(SP);
    const b = (parms << 2) + OPT_RATE * 4;
    const overhead = buf[b + RS_OVERHEAD_B]! | (buf[b + RS_OVERHEAD_B + 1]! << 8);
    if (overhead) {
      out.bytes(W_OVERHEAD);
      out.uint(overhead);
      out.byte(SP);
    }
    out.bytes(W_CEIL);
    writeRate(out, w, ceil64, ceil32, env.iec);
    out.byte(SP);
    const ll = buf[b + RS_LINKLAYER_B]! & 0x0f;
    if (ll > LINKLAYER.ETHERNET) {
      out.bytes(W_LINKLAYER);
      out.str(sprintLinkLayer(ll));
      out.byte(SP);
    }
    out.bytes(W_BURST);
    writeSize(out, ps.xmitsize(rate, w[parms + OPT_BUFFER]!));
    out.bytes(W_CBURST);
    writeSize(out, ps.xmitsize(ceil, w[parms + OPT_CBUFFER]!));
    out.byte(SP);
  }
  if (init >= 0) {
    const def = w[init + GLOB_DEFCLS]!;
    out.bytes(W_R2Q);
    out.int(w[init + GLOB_R2Q]!);
    out.bytes(W_DEFAULT);
    if (def === 0) {
      out.byte(ZERO);
    } else {
      out.bytes(W_0X);
      out.hex(def);
    }
    out.bytes(W_DIRECT_STAT);
    out.uint(w[init + GLOB_DIRECT]!);
  }
  if (directQlen >= 0) {
    out.bytes(W_DIRECT_QLEN);
    out.uint(w[directQlen]!);
  }
  if (offload) out.bytes(W_OFFLOAD);
  return true;
}

/** printXstats() of a class, from the tc_htb_xstats bytes into `out`. */
function htbXstatsText(out: ByteWriter, buf: Buffer, off: number, len: number): boolean {
  if (len < htbXstats.size) return false;
  const w = words(buf);
  if (w === undefined || (off & 3) !== 0) return false;
  const i = off >>> 2;
  out.bytes(W_LENDED);
  out.uint(w[i + XS_LENDS]!);
  out.bytes(W_BORROWED);
  out.uint(w[i + XS_BORROWS]!);
  out.bytes(W_GIANTS);
  out.uint(w[i + XS_GIANTS]!);
  out.bytes(W_TOKENS);
  out.int(w[i + XS_TOKENS]!);
  out.bytes(W_CTOKENS);
  out.int(w[i + XS_CTOKENS]!);
  out.byte(NL);
  return true;
}

registerQdiscKind<HtbOptions, HtbOptions>({
  kind: 'htb',
  options: htbAttrs,
  alwaysSendOptions: true,
  classOptions: htbAttrs,
  classXstats: htbXstats,
  usage: USAGE,
  classUsage: USAGE,
  parse: (tokens) => parseQdisc(tokens),
  parseClass: (tokens, env) => parseClassTokens(tokens, env),
  print: printHtb,
  printClass: printHtb,
  printClassXstats: (p, x) => printXstats(p, x),
  fastText: { options: htbText, classOptions: htbText, classXstats: htbXstatsText },
});
