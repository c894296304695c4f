/**
 * police: rate limiting (token bucket) as an action or as a classifier's
 * `police` clause (linux/pkt_cls.h TCA_POLICE_*, struct tc_police; grammar
 * and output of iproute2's tc/m_police.c).
 *
 * ```ts
 * import { police, TC_ACT } from 'rip/tc';
 * const limit = police({ rate: '1mbit', burst: '10k', exceed: TC_ACT.SHOT });
 * ```
 * @module
 */
import { attrs, attr, struct, array, u32, s32, u64, bytes, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../output/printer.js';
import { TcArgError, type TcEnv } from '../kind.js';
import { tcRatespec, TC_LINKLAYER } from '../schema.js';
import { psched, calcRtable } from '../psched.js';
import { parseRate, parseSizeAndCell, sprintRate, sprintSize, sprintLinkLayer, parseLinkLayer, LINKLAYER } from '../units.js';
import {
  registerActionKind, parseActionControl, actionA2n, printActionControl, printTm, tcfT, TC_ACT, type Action,
} from '../action.js';
import { Tokens, getUnsigned, getU64, getSize, matches, duparg, invarg } from '../kinds/util.js';

/** TCA_POLICE_* */
export const TCA_POLICE = constants('TCA_POLICE_', ['linux/pkt_cls.h'], {
  UNSPEC: 0, TBF: 1, RATE: 2, PEAKRATE: 3, AVRATE: 4, RESULT: 5, TM: 6, PAD: 7, RATE64: 8, PEAKRATE64: 9,
  PKTRATE64: 10, PKTBURST64: 11,
});

/** struct tc_police */
export const tcPolice = struct('tc_police', {
  index: u32, action: s32, limit: u32, burst: u32, mtu: u32, rate: tcRatespec, peakrate: tcRatespec,
  refcnt: s32, bindcnt: s32, capab: u32,
});

/** The police nest (TCA_ACT_OPTIONS of police, or a classifier's TCA_<KIND>_POLICE). */
export const policeAttrs = attrs('police', {
  tbf: attr(TCA_POLICE.TBF, tcPolice),
  rate: attr(TCA_POLICE.RATE, array(u32)),
  peakrate: attr(TCA_POLICE.PEAKRATE, array(u32)),
  avrate: attr(TCA_POLICE.AVRATE, u32),
  result: attr(TCA_POLICE.RESULT, u32),
  tm: attr(TCA_POLICE.TM, tcfT),
  pad: attr(TCA_POLICE.PAD, bytes),
  rate64: attr(TCA_POLICE.RATE64, u64),
  peakrate64: attr(TCA_POLICE.PEAKRATE64, u64),
  pktrate64: attr(TCA_POLICE.PKTRATE64, u64),
  pktburst64: attr(TCA_POLICE.PKTBURST64, u64),
});
/** Decoded/encodable police options. */
export type PoliceOptions = Infer<typeof policeAttrs>;

declare module '../action.js' {
  interface ActionOptionsMap { police: PoliceOptions }
}

const USAGE = 'Usage: ... police [ rate BPS burst BYTES[/BYTES] ] \n'
  + '\t\t[ pkts_rate RATE pkts_burst PACKETS ] [ mtu BYTES[/BYTES] ]\n'
  + '\t\t[ peakrate BPS ] [ avrate BPS ] [ overhead BYTES ]\n'
  + '\t\t[ linklayer TYPE ] [ CONTROL ]\n'
  + 'Where: CONTROL := conform-exceed <EXCEEDACT>[/NOTEXCEEDACT]\n'
  + '\t\t  Define how to handle packets which exceed (<EXCEEDACT>)\n'
  + '\t\t  or conform (<NOTEXCEEDACT>) the configured bandwidth limit.\n'
  + '       EXCEEDACT/NOTEXCEEDACT := { pipe | ok | reclassify | drop | continue |\n'
  + '\t\t\t\t   goto chain <CHAIN_INDEX> }';

interface PoliceValues {
  index: number; action: number; presult: number; buffer: number; mtu: number; mpu: number; overhead: number;
  linklayer: number; rcell: number | undefined; pcell: number | undefined; rate64: bigint; prate64: bigint;
  avrate: number; pps64: bigint; ppsburst64: bigint;
}

const fail = (msg: string): never => { throw new TcArgError(msg, 1); };

/** Validate and build the nest, as act_parse_police() after its loop. */
function build(v: PoliceValues): PoliceOptions {
  if (v.rate64 && v.avrate) fail('');
  if (!v.rate64 && !v.avrate && !v.index && !v.mtu && !v.pps64) fail("'rate' or 'avrate' or 'mtu' or 'pkts_rate' MUST be specified.");
  if (v.rate64 && !v.buffer && !v.avrate) fail("'burst' requires 'rate'.");
  if (v.pps64 && !v.ppsburst64) fail("'pkts_burst' requires 'pkts_rate'.");
  if (v.pps64 && v.rate64) fail("'rate' and 'pkts_rate' are not allowed in same action.");
  if (v.prate64) {
    if (!v.rate64) fail("'peakrate' requires 'rate'.");
    if (!v.mtu) fail("'mtu' is required, if 'peakrate' is requested.");
  }
  const ps = psched();
  const zero = { cell_log: 0, linklayer: 0, overhead: 0, cell_align: 0, mpu: 0, rate: 0 };
  const p: Infer<typeof tcPolice> = {
    index: v.index, action: v.action, limit: 0, burst: 0, mtu: 0, rate: { ...zero }, peakrate: { ...zero },
    refcnt: 0, bindcnt: 0, capab: 0,
  };
  let rtab: number[] | undefined;
  let ptab: number[] | undefined;
  if (v.rate64) {
    const r32 = v.rate64 >= 2n ** 32n ? 0xffffffff : Number(v.rate64);
    const rt = calcRtable(ps, { rate: v.rate64, mpu: v.mpu, cellLog: v.rcell, mtu: v.mtu, linklayer: v.linklayer });
    p.rate = { cell_log: rt.cellLog, linklayer: rt.linklayer, overhead: v.overhead, cell_align: rt.cellAlign, mpu: v.mpu, rate: r32 };
    rtab = Array.from(rt.table);
    p.burst = ps.xmittime(v.rate64, v.buffer);
  }
  p.mtu = v.mtu;
  if (v.prate64) {
    const r32 = v.prate64 >= 2n ** 32n ? 0xffffffff : Number(v.prate64);
    const pt = calcRtable(ps, { rate: v.prate64, mpu: v.mpu, cellLog: v.pcell, mtu: v.mtu, linklayer: v.linklayer });
    p.peakrate = { cell_log: pt.cellLog, linklayer: pt.linklayer, overhead: v.overhead, cell_align: pt.cellAlign, mpu: v.mpu, rate: r32 };
    ptab = Array.from(pt.table);
  }
  const o: PoliceOptions = { tbf: p };
  if (rtab) {
    o.rate = rtab;
    if (v.rate64 >= 2n ** 32n) o.rate64 = v.rate64;
  }
  if (ptab) {
    o.peakrate = ptab;
    if (v.prate64 >= 2n ** 32n) o.peakrate64 = v.prate64;
  }
  if (v.avrate) o.avrate = v.avrate;
  if (v.presult) o.result = v.presult >>> 0;
  if (v.pps64) {
    o.pktrate64 = v.pps64;
    o.pktburst64 = BigInt(ps.xmittime(v.pps64, Number(BigInt.asUintN(32, v.ppsburst64))));
  }
  return o;
}

/**
 * act_parse_police(): `t.cur` is the first option (after `police`). Stops
 * at the first token it does not know.
 */
export function parsePolice(t: Tokens, _env?: TcEnv): PoliceOptions {
  const v: PoliceValues = {
    index: 0, action: TC_ACT.RECLASSIFY, presult: 0, buffer: 0, mtu: 0, mpu: 0, overhead: 0, linklayer: LINKLAYER.ETHERNET,
    rcell: undefined, pcell: undefined, rate64: 0n, prate64: 0n, avrate: 0, pps64: 0n, ppsburst64: 0n,
  };
  if (t.argc <= 0) fail('');
  let ok = 0;
  while (t.argc > 0) {
    const a = t.cur;
    if (matches(a, 'index')) {
      const x = t.next();
      const n = getUnsigned(x, 10);
      if (n === null) invarg('index', x);
      v.index = n!;
    } else if (matches(a, 'burst') || a === 'buffer' || a === 'maxburst') {
      const x = t.next();
      if (v.buffer) duparg('buffer/burst', x);
      const s = parseSizeAndCell(x);
      if (!s) invarg('buffer', x);
      v.buffer = s!.size; v.rcell = s!.cellLog;
    } else if (a === 'mtu' || a === 'minburst') {
      const x = t.next();
      if (v.mtu) duparg('mtu/minburst', x);
      const s = parseSizeAndCell(x);
      if (!s) invarg('mtu', x);
      v.mtu = s!.size; v.pcell = s!.cellLog;
    } else if (a === 'mpu') {
      const x = t.next();
      if (v.mpu) duparg('mpu', x);
      const s = getSize(x);
      if (s === null) invarg('mpu', x);
      v.mpu = s!;
    } else if (a === 'rate') {
      const x = t.next();
      if (v.rate64) duparg('rate', x);
      const r = parseRate(x);
      if (r === null) invarg('rate', x);
      v.rate64 = r!;
    } else if (a === 'avrate') {
      const x = t.next();
      if (v.avrate) duparg('avrate', x);
      const r = parseRate(x);
      if (r === null || r >= 2n ** 32n) invarg('avrate', x);
      v.avrate = Number(r);
    } else if (matches(a, 'peakrate')) {
      const x = t.next();
      if (v.prate64) duparg('peakrate', x);
      const r = parseRate(x);
      if (r === null) invarg('peakrate', x);
      v.prate64 = r!;
    } else if (['reclassify', 'drop', 'shot', 'continue', 'pass', 'ok', 'pipe', 'goto'].some((w) => matches(a, w))) {
      v.action = parseActionControl(t)!;
      ok++;
      continue;
    } else if (a === 'conform-exceed') {
      t.next();
      const r = parseControlSlash(t);
      v.action = r[0];
      if (r[1] !== undefined) v.presult = r[1];
      ok++;
      continue;
    } else if (matches(a, 'overhead')) {
      const x = t.next();
      const n = getUnsigned(x, 10, 0xffff);
      if (n === null) invarg('overhead', x);
      v.overhead = n!;
    } else if (matches(a, 'linklayer')) {
      const x = t.next();
      const ll = parseLinkLayer(x);
      if (ll === null) invarg('linklayer', x);
      v.linklayer = ll!;
    } else if (matches(a, 'pkts_rate')) {
      const x = t.next();
      if (v.pps64) duparg('pkts_rate', x);
      const n = getU64(x, 10);
      if (n === null) invarg('pkts_rate', x);
      v.pps64 = n!;
    } else if (matches(a, 'pkts_burst')) {
      const x = t.next();
      if (v.ppsburst64) duparg('pkts_burst', x);
      const n = getU64(x, 10);
      if (n === null) invarg('pkts_burst', x);
      v.ppsburst64 = n!;
    } else if (a === 'help') {
      throw new TcArgError(USAGE, 255);
    } else break;
    t.fwd();
    ok++;
  }
  if (!ok) fail('');
  return build(v);
}

/** parse_action_control_slash(): `EXCEED[/CONFORM]` or `EXCEED / CONFORM` (numbers allowed). */
function parseControlSlash(t: Tokens): [number, number | undefined] {
  const arg = t.cur;
  const slash = arg.indexOf('/');
  if (slash < 0) {
    const r1 = parseActionControl(t, true)!;
    if (t.argc > 0 && t.cur === '/') {
      t.next();
      return [r1, parseActionControl(t, true)];
    }
    return [r1, undefined];
  }
  const a1 = actionA2n(arg.slice(0, slash), true);
  const a2 = actionA2n(arg.slice(slash + 1), true);
  if (a1 === undefined || a2 === undefined) fail('');
  t.fwd();
  return [a1!, a2!];
}

/** What {@link police} takes. */
export interface PoliceSpec {
  /** Rate in bytes/s or tc text ('1mbit'). */
  readonly rate?: bigint | string;
  /** Bucket size: bytes or tc text ('10k', '10k/8'). */
  readonly burst?: number | string;
  readonly mtu?: number | string;
  readonly peakrate?: bigint | string;
  readonly avrate?: bigint | string;
  readonly mpu?: number;
  readonly overhead?: number;
  readonly linklayer?: 'ethernet' | 'atm';
  /** Verdict for packets over the limit (default reclassify, as tc). */
  readonly exceed?: number;
  /** Verdict for conforming packets (TCA_POLICE_RESULT). */
  readonly conform?: number;
  readonly pktsRate?: bigint;
  readonly pktsBurst?: bigint;
  readonly index?: number;
}

function rateOf(r: bigint | string | undefined, what: string): bigint {
  if (r === undefined) return 0n;
  if (typeof r === 'bigint') return r;
  const v = parseRate(r);
  if (v === null) throw new RangeError(`police: invalid ${what} "${r}"`);
  return v;
}

function sizeOf(s: number | string | undefined, what: string): { size: number; cellLog: number | undefined } {
  if (s === undefined) return { size: 0, cellLog: undefined };
  if (typeof s === 'number') return { size: s, cellLog: undefined };
  const v = parseSizeAndCell(s);
  if (!v) throw new RangeError(`police: invalid ${what} "${s}"`);
  return v;
}

/** The police nest as tc builds it (for a police action or a classifier's `police`). */
export function policeOptions(spec: PoliceSpec): PoliceOptions {
  const burst = sizeOf(spec.burst, 'burst');
  const mtu = sizeOf(spec.mtu, 'mtu');
  const avrate = rateOf(spec.avrate, 'avrate');
  try {
    return build({
      index: spec.index ?? 0, action: spec.exceed ?? TC_ACT.RECLASSIFY, presult: spec.conform ?? 0,
      buffer: burst.size, rcell: burst.cellLog, mtu: mtu.size, pcell: mtu.cellLog, mpu: spec.mpu ?? 0,
      overhead: spec.overhead ?? 0, linklayer: spec.linklayer === 'atm' ? LINKLAYER.ATM : LINKLAYER.ETHERNET,
      rate64: rateOf(spec.rate, 'rate'), prate64: rateOf(spec.peakrate, 'peakrate'), avrate: Number(avrate),
      pps64: spec.pktsRate ?? 0n, ppsburst64: spec.pktsBurst ?? 0n,
    });
  } catch (e) {
    if (e instanceof TcArgError) throw new RangeError(`police: ${e.message || 'invalid combination of parameters'}`);
    throw e;
  }
}

/** A police action for a filter's action list. */
export function police(spec: PoliceSpec): Action {
  return { kind: 'police', options: policeOptions(spec) };
}

/** print_police() / tc_print_police(). */
export function printPolice(p: Printer, o: PoliceOptions | undefined, env: TcEnv): void {
  p.string(JSON_ONLY, 'kind', '%s', 'police');
  if (o === undefined) return;
  const pol = o.tbf;
  if (!pol) {
    process.stderr.write('[NULL police tbf]');
    return;
  }
  const ps = psched();
  const rate64 = o.rate64 ?? BigInt(pol.rate.rate);
  p.hex(FP, null, ' police 0x%x ', pol.index);
  p.uint(JSON_ONLY, 'index', '', pol.index);
  p.string(FP, null, 'rate %s ', sprintRate(rate64, env.iec));
  const buffer = ps.xmitsize(rate64, pol.burst);
  p.string(FP, null, 'burst %s ', sprintSize(buffer));
  p.string(FP, null, 'mtu %s ', sprintSize(pol.mtu));
  if (env.raw) p.hex(FP, null, '[%08x] ', pol.burst);
  const prate64 = o.peakrate64 ?? BigInt(pol.peakrate.rate);
  if (prate64) p.string(FP, null, 'peakrate %s ', sprintRate(prate64, env.iec));
  if (o.avrate !== undefined) p.string(FP, null, 'avrate %s ', sprintRate(BigInt(o.avrate), env.iec));
  if (o.pktrate64 !== undefined && o.pktburst64 !== undefined) {
    const burst = ps.xmitsize(o.pktrate64, Number(BigInt.asUintN(32, o.pktburst64)));
    p.u64(ANY, 'pkts_rate', 'pkts_rate %llu ', o.pktrate64);
    p.u64(ANY, 'pkts_burst', 'pkts_burst %llu ', burst);
  }
  printActionControl(p, 'action ', pol.action, '');
  if (o.result !== undefined) printActionControl(p, '/', o.result | 0, ' ');
  else p.string(FP, null, ' ', null);
  p.uint(JSON_ONLY, 'overhead', '', pol.rate.overhead);
  p.string(FP, null, 'overhead %s ', sprintSize(pol.rate.overhead));
  const ll = pol.rate.linklayer & TC_LINKLAYER.MASK;
  if (ll > TC_LINKLAYER.ETHERNET || env.details) p.string(ANY, 'linklayer', 'linklayer %s ', sprintLinkLayer(ll));
  p.nl();
  p.int(ANY, 'ref', '\tref %d ', pol.refcnt);
  p.int(ANY, 'bind', 'bind %d ', pol.bindcnt);
  if (env.stats && o.tm) printTm(p, o.tm);
  p.nl();
}

registerActionKind<PoliceOptions>({
  kind: 'police',
  options: policeAttrs,
  parse: (t, env) => {
    // The action form: `police` is the current token (tc's NEXT_ARG past it).
    t.next();
    return parsePolice(t, env);
  },
  print: printPolice,
});
