/**
 * TBF (token bucket filter): linux/pkt_sched.h TCA_TBF_*, grammar and
 * printing of iproute2's tc/q_tbf.c.
 *
 * ```ts
 * await nl.qdisc.add({ dev: 'eth0', parent: 'root', kind: 'tbf',
 *   options: tbfOptions({ rate: '1mbit', burst: '10k', latency: '50ms' }) });
 * ```
 * @module
 */
import { attrs, attr, struct, array, u32, u64, bytes, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../output/printer.js';
import { registerQdiscKind, type TcEnv } from '../kind.js';
import { tcRatespec } from '../schema.js';
import { psched, calcRtable, type Psched } from '../psched.js';
import {
  parseRate, parseSize, parseSizeAndCell, parseTime, parseLinkLayer, parseU16, parsePercentRate, sprintRate, sprintSize,
  sprintTime, sprintLinkLayer, doubleToU32, LINKLAYER, TIME_UNITS_PER_SEC, PercentRateError, type Rate,
} from '../units.js';
import { matches, kindFail, TokenCursor } from '../args.js';

/** TCA_TBF_* */
export const TCA_TBF = constants('TCA_TBF_', ['linux/pkt_sched.h'], {
  UNSPEC: 0, PARMS: 1, RTAB: 2, PTAB: 3, RATE64: 4, PRATE64: 5, BURST: 6, PBURST: 7, PAD: 8,
});

/** struct tc_tbf_qopt */
export const tbfQopt = struct('tc_tbf_qopt', { rate: tcRatespec, peakrate: tcRatespec, limit: u32, buffer: u32, mtu: u32 });

/** TCA_OPTIONS of tbf. */
export const tbfAttrs = attrs('tbf', {
  parms: attr(TCA_TBF.PARMS, tbfQopt),
  rtab: attr(TCA_TBF.RTAB, array(u32)),
  ptab: attr(TCA_TBF.PTAB, array(u32)),
  rate64: attr(TCA_TBF.RATE64, u64),
  prate64: attr(TCA_TBF.PRATE64, u64),
  burst: attr(TCA_TBF.BURST, u32),
  pburst: attr(TCA_TBF.PBURST, u32),
  pad: attr(TCA_TBF.PAD, bytes),
});
/** Decoded/encodable tbf options. */
export type TbfOptions = Infer<typeof tbfAttrs>;

declare module '../kind.js' {
  interface QdiscOptionsMap { tbf: TbfOptions }
}

const USAGE = `Usage: ... tbf limit BYTES burst BYTES[/BYTES] rate KBPS [ mtu BYTES[/BYTES] ]
	[ peakrate KBPS ] [ latency TIME ] [ overhead BYTES ] [ linklayer TYPE ]`;

const illegal = (arg: string, val: string): never => kindFail(`tbf: illegal value for "${arg}": "${val}"`);

/** tbf options in tc's terms. */
export interface TbfSpec {
  readonly rate: Rate | string;
  /** Bucket size: bytes or tc text (`10k`, `10k/8`). */
  readonly burst: number | string;
  /** Queue limit in bytes (or give `latency`). */
  readonly limit?: number | string;
  /** Maximum queueing latency: microseconds or tc text (`50ms`). */
  readonly latency?: number | string;
  readonly peakrate?: Rate | string;
  /** Peak bucket (minburst): bytes or tc text; required with peakrate. */
  readonly mtu?: number | string;
  readonly mpu?: number | string;
  readonly overhead?: number;
  readonly linklayer?: 'ethernet' | 'atm' | number;
}

/** Parsed tbf values before the tables are computed. */
interface TbfValues {
  rate64: bigint; prate64: bigint; buffer: number; mtu: number; mpu: number; latency: number; limit: number;
  rcellLog: number | undefined; pcellLog: number | undefined; overhead: number; linklayer: number;
}

function build(v: TbfValues, ps: Psched): TbfOptions {
  const rate32 = v.rate64 >= 2n ** 32n ? 0xffffffff : Number(v.rate64);
  const prate32 = v.prate64 >= 2n ** 32n ? 0xffffffff : Number(v.prate64);
  let limit = v.limit;
  if (limit === 0) {
    let lim = Number(v.rate64) * v.latency / TIME_UNITS_PER_SEC + v.buffer;
    if (v.prate64) {
      const lim2 = Number(v.prate64) * v.latency / TIME_UNITS_PER_SEC + v.mtu;
      if (lim2 < lim) lim = lim2;
    }
    limit = doubleToU32(lim);
  }
  const rt = calcRtable(ps, { rate: rate32, mpu: v.mpu, cellLog: v.rcellLog, mtu: v.mtu, linklayer: v.linklayer });
  const zero = { cell_log: 0, linklayer: 0, overhead: 0, cell_align: 0, mpu: 0, rate: 0 };
  const parms: Infer<typeof tbfQopt> = {
    rate: { cell_log: rt.cellLog, linklayer: rt.linklayer, overhead: v.overhead, cell_align: rt.cellAlign, mpu: v.mpu, rate: rate32 },
    peakrate: { ...zero, rate: prate32 },
    limit,
    buffer: ps.xmittime(rate32, v.buffer),
    mtu: 0,
  };
  let ptab: number[] | undefined;
  if (prate32) {
    const pt = calcRtable(ps, { rate: prate32, mpu: v.mpu, cellLog: v.pcellLog, mtu: v.mtu, linklayer: v.linklayer });
    parms.peakrate = { cell_log: pt.cellLog, linklayer: pt.linklayer, overhead: v.overhead, cell_align: pt.cellAlign, mpu: v.mpu, rate: prate32 };
    parms.mtu = ps.xmittime(prate32, v.mtu);
    ptab = Array.from(pt.table);
  }
  const o: TbfOptions = { parms, burst: v.buffer };
  if (v.rate64 >= 2n ** 32n) o.rate64 = v.rate64;
  o.rtab = Array.from(rt.table);
  if (ptab) {
    if (v.prate64 >= 2n ** 32n) o.prate64 = v.prate64;
    o.pburst = v.mtu;
    o.ptab = ptab;
  }
  return o;
}

/** Build tbf options exactly as `tc qdisc add … tbf …` does. */
export function tbfOptions(spec: TbfSpec, ps: Psched = psched()): TbfOptions {
  const rate = typeof spec.rate === 'bigint' ? spec.rate : parseRate(spec.rate);
  if (!rate) throw new RangeError('tbf: the "rate" parameter is mandatory');
  const peak = spec.peakrate === undefined ? 0n : typeof spec.peakrate === 'bigint' ? spec.peakrate : parseRate(spec.peakrate);
  if (peak === null) throw new RangeError(`tbf: invalid peakrate "${String(spec.peakrate)}"`);
  const burst = typeof spec.burst === 'number' ? { size: spec.burst, cellLog: undefined } : parseSizeAndCell(spec.burst);
  if (!burst || !burst.size) throw new RangeError('tbf: the "burst" parameter is mandatory');
  const mtu = spec.mtu === undefined ? { size: 0, cellLog: undefined } : typeof spec.mtu === 'number' ? { size: spec.mtu, cellLog: undefined } : parseSizeAndCell(spec.mtu);
  if (!mtu) throw new RangeError(`tbf: invalid mtu "${String(spec.mtu)}"`);
  if (peak && !mtu.size) throw new RangeError('tbf: when "peakrate" is specified, "mtu" must also be specified');
  const limit = spec.limit === undefined ? 0 : typeof spec.limit === 'number' ? spec.limit : parseSize(spec.limit);
  const latency = spec.latency === undefined ? 0 : typeof spec.latency === 'number' ? spec.latency : parseTime(spec.latency);
  if (limit === null || latency === null) throw new RangeError('tbf: invalid limit or latency');
  if (!limit && !latency) throw new RangeError('tbf: either "limit" or "latency" is required');
  if (limit && latency) throw new RangeError('tbf: specifying both "limit" and "latency" is not allowed');
  const mpu = spec.mpu === undefined ? 0 : typeof spec.mpu === 'number' ? spec.mpu : parseSize(spec.mpu);
  if (mpu === null) throw new RangeError(`tbf: invalid mpu "${String(spec.mpu)}"`);
  const ll = typeof spec.linklayer === 'number' ? spec.linklayer : spec.linklayer === 'atm' ? LINKLAYER.ATM : LINKLAYER.ETHERNET;
  return build({
    rate64: rate, prate64: peak, buffer: burst.size, mtu: mtu.size, mpu, latency, limit,
    rcellLog: burst.cellLog, pcellLog: mtu.cellLog, overhead: spec.overhead ?? 0, linklayer: ll,
  }, ps);
}

function percentOrRate(arg: string, env: TcEnv, what: string): bigint {
  if (arg.includes('%')) {
    if (!env.dev) kindFail(`No device specified; specify device to rate limit by percentage\ntbf: illegal value for "${what}": "${arg}"`);
    try {
      return parsePercentRate(arg, env.linkSpeed ? env.linkSpeed() : 0);
    } catch (e) {
      if (e instanceof PercentRateError) kindFail(`${e.message}\ntbf: illegal value for "${what}": "${arg}"`);
      throw e;
    }
  }
  const r = parseRate(arg);
  if (r === null) illegal(what, arg);
  return r!;
}

function parse(tokens: readonly string[], env: TcEnv): TbfOptions {
  const t = new TokenCursor(tokens);
  const v: TbfValues = {
    rate64: 0n, prate64: 0n, buffer: 0, mtu: 0, mpu: 0, latency: 0, limit: 0,
    rcellLog: undefined, pcellLog: undefined, overhead: 0, linklayer: LINKLAYER.ETHERNET,
  };
  while (t.left > 0) {
    const a = t.cur;
    if (matches(a, 'limit')) {
      const val = t.next();
      if (v.limit) kindFail('tbf: duplicate "limit" specification');
      if (v.latency) kindFail('tbf: specifying both "latency" and "limit" is not allowed');
      const s = parseSize(val);
      if (s === null) illegal('limit', val);
      v.limit = s!;
    } else if (matches(a, 'latency')) {
      const val = t.next();
      if (v.latency) kindFail('tbf: duplicate "latency" specification');
      if (v.limit) kindFail('tbf: specifying both "limit" and "/latency" is not allowed');
      const s = parseTime(val);
      if (s === null) illegal('latency', val);
      v.latency = s!;
    } else if (matches(a, 'burst') || a === 'buffer' || a === 'maxburst') {
      const val = t.next();
      if (v.buffer) kindFail('tbf: duplicate "buffer/burst/maxburst" specification');
      const s = parseSizeAndCell(val);
      if (!s) illegal(a, val);
      v.buffer = s!.size;
      if (s!.cellLog !== undefined) v.rcellLog = s!.cellLog;
    } else if (a === 'mtu' || a === 'minburst') {
      const val = t.next();
      if (v.mtu) kindFail('tbf: duplicate "mtu/minburst" specification');
      const s = parseSizeAndCell(val);
      if (!s) illegal(a, val);
      v.mtu = s!.size;
      if (s!.cellLog !== undefined) v.pcellLog = s!.cellLog;
    } else if (a === 'mpu') {
      const val = t.next();
      if (v.mpu) kindFail('tbf: duplicate "mpu" specification');
      const s = parseSize(val);
      if (s === null) illegal('mpu', val);
      v.mpu = s!;
    } else if (a === 'rate') {
      const val = t.next();
      if (v.rate64) kindFail('tbf: duplicate "rate" specification');
      v.rate64 = percentOrRate(val, env, 'rate');
    } else if (matches(a, 'peakrate')) {
      const val = t.next();
      if (v.prate64) kindFail('tbf: duplicate "peakrate" specification');
      v.prate64 = percentOrRate(val, env, 'peakrate');
    } else if (matches(a, 'overhead')) {
      const val = t.next();
      if (v.overhead) kindFail('tbf: duplicate "overhead" specification');
      const s = parseU16(val, 10);
      if (s === null) illegal('overhead', val);
      v.overhead = s!;
    } else if (matches(a, 'linklayer')) {
      const val = t.next();
      const s = parseLinkLayer(val);
      if (s === null) illegal('linklayer', val);
      v.linklayer = s!;
    } else if (a === 'help') {
      kindFail(USAGE);
    } else {
      kindFail(`tbf: unknown parameter "${a}"\n${USAGE}`);
    }
    t.advance();
  }
  const errors: string[] = [];
  if (v.rate64 === 0n) errors.push('tbf: the "rate" parameter is mandatory.');
  if (!v.buffer) errors.push('tbf: the "burst" parameter is mandatory.');
  if (v.prate64 && !v.mtu) errors.push('tbf: when "peakrate" is specified, "mtu" must also be specified.');
  if (v.limit === 0 && v.latency === 0) errors.push('tbf: either "limit" or "latency" is required.');
  if (errors.length) kindFail(`${errors.join('\n')}\n${USAGE}`);
  return build(v, psched());
}

/** tbf_print_opt() */
export function printTbf(p: Printer, o: TbfOptions, env: TcEnv): void {
  const ps = psched();
  const q = o.parms;
  if (!q) return;
  const rate64 = o.rate64 ?? BigInt(q.rate.rate);
  if (p.inJson) p.u64(JSON_ONLY, 'rate', '', rate64);
  else p.string(FP, null, 'rate %s ', sprintRate(rate64, env.iec));
  const buffer = ps.xmitsize(rate64, q.buffer);
  if (env.details) {
    p.string(ANY, 'burst', 'burst %s ', `${sprintSize(buffer)}/${(1 << q.rate.cell_log) >>> 0}`);
    p.uint(JSON_ONLY, 'mpu', '', q.rate.mpu);
    p.string(FP, null, 'mpu %s ', sprintSize(q.rate.mpu));
  } else {
    p.uint(JSON_ONLY, 'burst', '', buffer);
    p.string(FP, null, 'burst %s ', sprintSize(buffer));
  }
  if (env.raw) p.hex(ANY, 'burst_raw', '[%08x] ', q.buffer);
  const prate64 = o.prate64 ?? BigInt(q.peakrate.rate);
  let mtu = 0;
  if (prate64) {
    p.string(FP, null, 'peakrate %s ', sprintRate(prate64, env.iec));
    if (q.mtu || q.peakrate.mpu) {
      mtu = ps.xmitsize(prate64, q.mtu);
      if (env.details) {
        p.string(ANY, 'mtu', 'mtu %s ', `${sprintSize(mtu)}/${(1 << q.peakrate.cell_log) >>> 0}`);
        p.uint(JSON_ONLY, 'mpu', '', q.peakrate.mpu);
        p.string(FP, null, 'mpu %s ', sprintSize(q.peakrate.mpu));
      } else {
        p.uint(JSON_ONLY, 'minburst', '', mtu);
        p.string(FP, null, 'minburst %s ', sprintSize(mtu));
      }
      if (env.raw) p.hex(ANY, 'mtu_raw', '[%08x] ', q.mtu);
    }
  }
  let latency = TIME_UNITS_PER_SEC * (q.limit / Number(rate64)) - ps.tick2time(q.buffer);
  if (prate64) {
    const lat2 = TIME_UNITS_PER_SEC * (q.limit / Number(prate64)) - ps.tick2time(q.mtu);
    if (lat2 > latency) latency = lat2;
  }
  if (latency >= 0) {
    // print_u64 of a double: C converts to uint64 (truncates).
    p.u64(JSON_ONLY, 'lat', '', BigInt(Math.trunc(latency)));
    p.string(FP, null, 'lat %s ', sprintTime(doubleToU32(latency)));
  }
  if (env.raw || latency < 0) {
    p.uint(JSON_ONLY, 'limit', '', q.limit);
    p.string(FP, null, 'limit %s ', sprintSize(q.limit));
  }
  if (q.rate.overhead) p.int(ANY, 'overhead', 'overhead %d ', q.rate.overhead);
  const ll = q.rate.linklayer & 0x0f;
  if (ll > LINKLAYER.ETHERNET || env.details) p.string(ANY, 'linklayer', 'linklayer %s ', sprintLinkLayer(ll));
}

registerQdiscKind<TbfOptions>({
  kind: 'tbf',
  options: tbfAttrs,
  alwaysSendOptions: true,
  usage: USAGE,
  parse,
  print: printTbf,
});
