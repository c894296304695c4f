/**
 * The packet scheduler clock and rate tables, with tc_core.c's exact
 * arithmetic (including its double → unsigned truncations), so the rate
 * tables and tick values we send are byte-identical to iproute2's.
 *
 * /proc/net/psched holds four hex words: t2us, us2t, clock resolution and
 * HZ-ish; tc derives `tick_in_usec` and `clock_factor` from them. On every
 * modern kernel it reads `000003e8 00000040 000f4240 3b9aca00`, giving
 * 1000 ticks per microsecond (ticks are nanoseconds... times 1000/1024 in
 * older kernels, hence the arithmetic).
 *
 * ```ts
 * const ps = psched();
 * const { table, cellLog } = calcRtable(ps, { rate: 1250000n, mtu: 1600 });
 * const buffer = ps.xmittime(1250000n, 10240); // ticks to send 10 KiB
 * ```
 * @module
 */
import { readFileSync } from 'node:fs';
import { TIME_UNITS_PER_SEC, doubleToU32, LINKLAYER, type LinkLayer } from './units.js';

/** The scheduler clock parameters tc derives from /proc/net/psched. */
export interface Psched {
  /** Ticks per microsecond (tc's tick_in_usec). */
  readonly tickInUsec: number;
  /** Kernel clock units per microsecond (tc's clock_factor). */
  readonly clockFactor: number;
  /** get_hz(): the psched HZ tc uses for default bursts. */
  readonly hz: number;
  /** tc_core_time2tick() */
  time2tick(time: number): number;
  /** tc_core_tick2time() */
  tick2time(tick: number): number;
  /** tc_core_time2ktime() */
  time2ktime(time: number): number;
  /** tc_core_ktime2time() */
  ktime2time(ktime: number): number;
  /** tc_core_time2big(): whether `time` in ticks overflows 32 bits. */
  time2big(time: number): boolean;
  /** tc_calc_xmittime(): ticks to send `size` bytes at `rate` bytes/s. */
  xmittime(rate: bigint | number, size: number): number;
  /** tc_calc_xmitsize(): bytes sent at `rate` in `ticks`. */
  xmitsize(rate: bigint | number, ticks: number): number;
}

/** Parse the contents of /proc/net/psched (tc_core_init + get_hz). */
export function parsePsched(text: string): Psched {
  const words = text.trim().split(/\s+/).map((w) => parseInt(w, 16));
  let [t2us = 1, us2t = 1, clockRes = TIME_UNITS_PER_SEC, hzWord = 0] = words;
  const ok = words.length >= 3 && words.slice(0, 3).every((w) => Number.isFinite(w));
  let hz = 100;
  if (words.length >= 4 && clockRes === 1000000 && Number.isFinite(hzWord) && hzWord) hz = hzWord;
  if (!ok) {
    // tc_core_init failed: tc keeps tick_in_usec = clock_factor = 1.
    t2us = 1; us2t = 1; clockRes = TIME_UNITS_PER_SEC;
  } else if (clockRes === 1000000000) {
    // Kernels with ns resolution advertise 1000 for old binaries; it "really is 1".
    t2us = us2t;
  }
  const clockFactor = clockRes / TIME_UNITS_PER_SEC;
  const tickInUsec = (t2us / us2t) * clockFactor;
  return makePsched(tickInUsec, clockFactor, hz);
}

function makePsched(tickInUsec: number, clockFactor: number, hz: number): Psched {
  const time2tick = (time: number): number => doubleToU32(doubleToU32(time) * tickInUsec);
  const tick2time = (tick: number): number => doubleToU32(doubleToU32(tick) / tickInUsec);
  return {
    tickInUsec, clockFactor, hz,
    time2tick,
    tick2time,
    time2ktime: (time) => doubleToU32(doubleToU32(time) * clockFactor),
    ktime2time: (ktime) => doubleToU32(doubleToU32(ktime) / clockFactor),
    time2big: (time) => Math.floor((time >>> 0) * tickInUsec / 4294967296) !== 0,
    xmittime: (rate, size) => time2tick(TIME_UNITS_PER_SEC * ((size >>> 0) / Number(rate))),
    xmitsize: (rate, ticks) => doubleToU32((Number(rate) * tick2time(ticks)) / TIME_UNITS_PER_SEC),
  };
}

let cached: Psched | undefined;

/**
 * The clock of this machine (read once from /proc/net/psched, or
 * `$PROC_NET_PSCHED` / `$PROC_ROOT/net/psched` like tc). Falls back to tc's
 * defaults (tick = 1 us) when the file is unreadable.
 */
export function psched(): Psched {
  if (cached) return cached;
  const file = process.env.PROC_NET_PSCHED ?? (process.env.PROC_ROOT ? `${process.env.PROC_ROOT}/net/psched` : '/proc/net/psched');
  let text = '';
  try { text = readFileSync(file, 'utf8'); } catch { /* defaults below */ }
  cached = parsePsched(text);
  const envHz = process.env.HZ;
  if (envHz !== undefined) {
    // get_hz(): $HZ overrides the psched value (atoi, 0 → the compile-time HZ of 100).
    const n = parseInt(envHz, 10);
    cached = makePsched(cached.tickInUsec, cached.clockFactor, Number.isFinite(n) && n ? n : 100);
  }
  return cached;
}

// ---------------------------------------------------------------- rate tables

/** ATM cell payload and size (linux/atm.h). */
const ATM_CELL_PAYLOAD = 48;
const ATM_CELL_SIZE = 53;

/**
 * Packed double → u32 conversion as gcc vectorises it (cvttpd2dq on x - 2^31,
 * then xor 2^31): exact below 2^32, 0 from 2^32 up (and for NaN).
 */
function vecU32(d: number): number {
  if (d >= 0 && d < 4294967296) return Math.trunc(d);
  if (d < 0 && d > -2147483649) return Math.trunc(d) >>> 0;
  return 0;
}

/** tc_adjust_size(): mpu floor and ATM cell alignment. */
export function adjustSize(sz: number, mpu: number, linklayer: number): number {
  let s = sz < mpu ? mpu : sz;
  if (linklayer === LINKLAYER.ATM) {
    let cells = Math.floor(s / ATM_CELL_PAYLOAD);
    if (s % ATM_CELL_PAYLOAD > 0) cells++;
    s = cells * ATM_CELL_SIZE;
  }
  return s >>> 0;
}

/** Input of {@link calcRtable}. */
export interface RtableSpec {
  /** Rate in bytes/s (the full 64-bit rate: tc_calc_rtable_64 semantics when above 32 bits). */
  readonly rate: bigint | number;
  /** Minimum packet unit. */
  readonly mpu?: number;
  /** Cell log, or undefined/-1 to derive it from `mtu`. */
  readonly cellLog?: number | undefined;
  /** MTU the table covers (0 → 2047, as tc). */
  readonly mtu?: number;
  readonly linklayer?: LinkLayer | number;
}

/** Output of {@link calcRtable}: the 256-entry table and the ratespec fields tc sets. */
export interface Rtable {
  readonly table: Uint32Array;
  readonly cellLog: number;
  /** Always -1 (tc's `cell_align`). */
  readonly cellAlign: number;
  /** linklayer & TC_LINKLAYER_MASK */
  readonly linklayer: number;
}

/**
 * tc_calc_rtable(): rtab[i] = ticks to send ((i + 1) << cell_log) bytes.
 * (The kernel no longer uses the table for lookups since 3.8 but still
 * requires it; we send the same bytes as tc.)
 */
export function calcRtable(ps: Psched, spec: RtableSpec): Rtable {
  let mtu = spec.mtu ?? 0;
  if (mtu === 0) mtu = 2047;
  let cellLog = spec.cellLog ?? -1;
  if (cellLog < 0) {
    cellLog = 0;
    while ((mtu >>> cellLog) > 255) cellLog++;
  }
  const mpu = spec.mpu ?? 0;
  const ll = spec.linklayer ?? LINKLAYER.ETHERNET;
  const table = new Uint32Array(256);
  const rate = Number(spec.rate);
  for (let i = 0; i < 256; i++) {
    const sz = adjustSize(((i + 1) << cellLog) >>> 0, mpu, ll);
    // tc's table loop is vectorised by the compiler: its double → u32
    // conversions give 0 (not the low 32 bits) for values of 2^32 and more.
    const time = vecU32(TIME_UNITS_PER_SEC * (sz / rate));
    table[i] = vecU32(time * ps.tickInUsec);
  }
  return { table, cellLog, cellAlign: -1, linklayer: ll & 0x0f };
}

/** The table as the 1024 bytes tc sends (TC_RTAB_SIZE). */
export function rtableBytes(t: Uint32Array): Buffer {
  const b = Buffer.alloc(t.length * 4);
  for (let i = 0; i < t.length; i++) b.writeUInt32LE(t[i]!, i * 4);
  return b;
}
