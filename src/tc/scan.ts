/**
 * A specialised reader of dumped qdisc/class messages for the text hot path
 * of `tc -s qdisc show` / `tc -s class show` (src/cli/tc/show-fast.ts): one
 * pass over tcmsg and the TCA_* / TCA_STATS_* attributes that records where
 * each payload is, in one reused {@link TcScan}, instead of decoding the
 * message into objects through the schema.
 *
 * It uses the schema's attribute numbers (TCA, TCA_STATS) and struct layouts
 * (member offsets of the schema's structs), and it only accepts messages
 * shaped as the kernel sends them: any bad length, a struct shorter than the
 * schema's, a repeated TCA_KIND, options before the kind or an attribute it
 * does not render (TCA_STAB, legacy-only TCA_STATS) makes {@link scanTc}
 * return false, and the caller prints that message through the schema
 * decoder and the kinds' printers instead (which also produce any error).
 * test/unit/tc-show-fast.test.ts checks that both paths print the same bytes
 * on thousands of generated and corrupted messages.
 * @module
 */
import type { StructCodec } from '../netlink/codec/schema.js';
import type { MessageView } from '../netlink/socket.js';
import { tcmsg } from '../netlink/structs.js';
import { TCA, TCA_STATS, gnetStatsBasic, gnetStatsQueue, gnetStatsRateEst, gnetStatsRateEst64, tcStatsStruct } from './schema.js';

/** Byte offset of a struct member in the schema (fast readers take layouts from the schema, never by hand). */
export function offsetOf(s: StructCodec<unknown>, member: string): number {
  const m = s.members.find((x) => x.name === member);
  if (!m) throw new Error(`${s.name} has no member ${member}`);
  return m.offset;
}

/** Bytes of a struct's members up to and including `member` (what a full read of the visible members needs). */
export function sizeThrough(s: StructCodec<unknown>, member: string): number {
  const m = s.members.find((x) => x.name === member);
  if (!m) throw new Error(`${s.name} has no member ${member}`);
  return m.offset + m.codec.size;
}

const TCMSG_IFINDEX = offsetOf(tcmsg, 'ifindex');
const TCMSG_HANDLE = offsetOf(tcmsg, 'handle');
const TCMSG_PARENT = offsetOf(tcmsg, 'parent');
const TCMSG_INFO = offsetOf(tcmsg, 'info');
/** Attributes start after tcmsg, 4-aligned. */
const TCMSG_LEN = (tcmsg.size + 3) & ~3;

/** Layout of struct gnet_stats_basic (TCA_STATS_BASIC, TCA_STATS_BASIC_HW). */
export const BASIC = {
  BYTES: offsetOf(gnetStatsBasic, 'bytes'),
  PACKETS: offsetOf(gnetStatsBasic, 'packets'),
  SIZE: sizeThrough(gnetStatsBasic, 'packets'),
} as const;
/** Layout of struct gnet_stats_queue. */
export const QUEUE = {
  QLEN: offsetOf(gnetStatsQueue, 'qlen'),
  BACKLOG: offsetOf(gnetStatsQueue, 'backlog'),
  DROPS: offsetOf(gnetStatsQueue, 'drops'),
  REQUEUES: offsetOf(gnetStatsQueue, 'requeues'),
  OVERLIMITS: offsetOf(gnetStatsQueue, 'overlimits'),
  SIZE: sizeThrough(gnetStatsQueue, 'overlimits'),
} as const;
/** Layout of struct gnet_stats_rate_est. */
export const RATE_EST = {
  BPS: offsetOf(gnetStatsRateEst, 'bps'),
  PPS: offsetOf(gnetStatsRateEst, 'pps'),
  SIZE: sizeThrough(gnetStatsRateEst, 'pps'),
} as const;
/** Layout of struct gnet_stats_rate_est64. */
export const RATE_EST64 = {
  BPS: offsetOf(gnetStatsRateEst64, 'bps'),
  PPS: offsetOf(gnetStatsRateEst64, 'pps'),
  SIZE: sizeThrough(gnetStatsRateEst64, 'pps'),
} as const;
const TC_STATS_SIZE = sizeThrough(tcStatsStruct, 'backlog');
const BASIC_SIZE = BASIC.SIZE;
const QUEUE_SIZE = QUEUE.SIZE;
const RATE_EST_SIZE = RATE_EST.SIZE;
const RATE_EST64_SIZE = RATE_EST64.SIZE;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const NO_WORDS: Uint32Array = new Uint32Array(0);
let wordsOf: Buffer | undefined;
let wordsView = NO_WORDS;

/**
 * The buffer as 32-bit little-endian words (cached for the last buffer), or
 * undefined when its memory is not 4-aligned or the host is big-endian.
 * Netlink attributes and their struct members are 4-aligned, so the fast
 * readers load words (one typed-array access) instead of calling
 * Buffer.readUInt32LE, which costs far more before V8 has optimised the
 * loop, i.e. during most of a 10,000-message dump.
 */
export function words(buf: Buffer): Uint32Array | undefined {
  if (buf === wordsOf) return wordsView;
  if (!LITTLE_ENDIAN || (buf.byteOffset & 3) !== 0) return undefined;
  wordsOf = buf;
  wordsView = new Uint32Array(buf.buffer, buf.byteOffset, buf.length >>> 2);
  return wordsView;
}

/**
 * A table from attribute type (0..0x3fff) to a small code, so the readers'
 * switches are over literal codes: V8 turns those into one jump instead of
 * comparing against each constant in turn (which matters most before the
 * loop is optimised). Types not listed map to 0.
 */
export function attrCodes(entries: ReadonlyArray<readonly [type: number, code: number]>): Uint8Array {
  let max = 0;
  for (const [t] of entries) max = Math.max(max, t);
  const table = new Uint8Array(max + 1);
  for (const [t, c] of entries) table[t] = c;
  return table;
}

// Codes of the TCA_* attributes (the literals in scanTc's switch).
const TOP = attrCodes([
  [TCA.KIND, 1], [TCA.OPTIONS, 2], [TCA.XSTATS, 3], [TCA.STATS, 4], [TCA.STATS2, 5], [TCA.HW_OFFLOAD, 6],
  [TCA.INGRESS_BLOCK, 7], [TCA.EGRESS_BLOCK, 8], [TCA.FCNT, 9], [TCA.CHAIN, 9], [TCA.STAB, 10],
]);
// Codes of the TCA_STATS_* attributes (the literals in scanStats2's switch).
const ST = attrCodes([
  [TCA_STATS.BASIC, 1], [TCA_STATS.RATE_EST, 2], [TCA_STATS.QUEUE, 3], [TCA_STATS.APP, 4],
  [TCA_STATS.RATE_EST64, 5], [TCA_STATS.BASIC_HW, 6], [TCA_STATS.PKT64, 7],
]);
const TOP_MAX = TOP.length;
const ST_MAX = ST.length;

/** Where the parts of one tc message are (offsets into `buf`; -1 = absent). Reused from message to message. */
export class TcScan {
  buf: Buffer = Buffer.alloc(0);
  /** `buf` as 32-bit words ({@link words}); offsets below are byte offsets into `buf`. */
  w: Uint32Array = NO_WORDS;
  /** nlmsg_type and nlmsg_flags. */
  type = 0;
  flags = 0;
  ifindex = 0;
  // The u32 fields below are kept as int32 (`x | 0`; print with `>>> 0`): small
  // integers keep one field representation, so V8's optimised code for the
  // readers is not thrown away the first time a handle like ffff:fff1 appears.
  handle = 0;
  parent = 0;
  info = 0;
  /** TCA_KIND (undefined when absent). */
  kind: string | undefined = undefined;
  /** TCA_OPTIONS payload. */
  options = -1;
  optionsLen = 0;
  /** TCA_XSTATS payload. */
  xstats = -1;
  xstatsLen = 0;
  /** Legacy TCA_STATS present. */
  legacyStats = false;
  /** TCA_STATS2 present; its members follow. */
  stats2 = false;
  basic = -1;
  rateEst = -1;
  queue = -1;
  app = -1;
  appLen = 0;
  rateEst64 = -1;
  basicHw = -1;
  pkt64 = -1;
  /** TCA_HW_OFFLOAD, TCA_INGRESS_BLOCK, TCA_EGRESS_BLOCK (0 when absent, as the printers treat them; blocks as int32). */
  hwOffload = 0;
  ingressBlock = 0;
  egressBlock = 0;
}

/** Recently seen TCA_KIND strings with their bytes: a dump repeats a handful of kinds. */
const kindCache: Array<{ bytes: Buffer; text: string }> = [];

/** TCA_KIND as the schema's cstring reads it (up to the first NUL), without decoding known kinds again. */
export function kindAt(buf: Buffer, off: number, len: number): string {
  let n = 0;
  while (n < len && buf[off + n] !== 0) n++;
  for (let c = 0; c < kindCache.length; c++) {
    const e = kindCache[c]!;
    const b = e.bytes;
    if (b.length !== n) continue;
    let i = 0;
    while (i < n && b[i] === buf[off + i]) i++;
    if (i === n) return e.text;
  }
  const text = buf.toString('utf8', off, off + n);
  if (kindCache.length >= 8) kindCache.shift();
  kindCache.push({ bytes: Buffer.from(buf.subarray(off, off + n)), text });
  return text;
}

/**
 * Read tcmsg and the TCA_* attributes of `m` into `s`. Returns false when the
 * message is not one this reader vouches for (see the module comment); `s`
 * is then in an unspecified state.
 */
export function scanTc(m: MessageView, s: TcScan): boolean {
  const buf = m.buf;
  const off = m.off;
  const len = m.len;
  if (len < tcmsg.size || (off & 3) !== 0) return false;
  const w = words(buf);
  if (w === undefined) return false;
  s.buf = buf;
  s.w = w;
  s.type = m.type;
  s.flags = m.flags;
  s.ifindex = w[(off + TCMSG_IFINDEX) >>> 2]! | 0;
  s.handle = w[(off + TCMSG_HANDLE) >>> 2]! | 0;
  s.parent = w[(off + TCMSG_PARENT) >>> 2]! | 0;
  s.info = w[(off + TCMSG_INFO) >>> 2]! | 0;
  s.kind = undefined;
  s.options = -1;
  s.optionsLen = 0;
  s.xstats = -1;
  s.xstatsLen = 0;
  s.legacyStats = false;
  s.stats2 = false;
  s.hwOffload = 0;
  s.ingressBlock = 0;
  s.egressBlock = 0;
  const end = off + len;
  let p = off + TCMSG_LEN;
  while (end - p >= 4) {
    const h = w[p >>> 2]!;
    const alen = h & 0xffff;
    if (alen < 4 || alen > end - p) return false;
    const d = p + 4;
    const dl = alen - 4;
    const type = (h >>> 16) & 0x3fff;
    switch (type < TOP_MAX ? TOP[type] : 0) {
      case 1: // TCA_KIND
        if (s.kind !== undefined) return false;
        s.kind = kindAt(buf, d, dl);
        break;
      case 2: // TCA_OPTIONS
        if (s.kind === undefined) return false;
        s.options = d;
        s.optionsLen = dl;
        break;
      case 3: // TCA_XSTATS
        if (s.kind === undefined) return false;
        s.xstats = d;
        s.xstatsLen = dl;
        break;
      case 4: // TCA_STATS
        if (dl < TC_STATS_SIZE) return false;
        s.legacyStats = true;
        break;
      case 5: // TCA_STATS2
        if (!scanStats2(w, d, dl, s)) return false;
        break;
      case 6: // TCA_HW_OFFLOAD
        if (dl < 1) return false;
        s.hwOffload = buf[d]!;
        break;
      case 7: // TCA_INGRESS_BLOCK
        if (dl < 4) return false;
        s.ingressBlock = w[d >>> 2]! | 0;
        break;
      case 8: // TCA_EGRESS_BLOCK
        if (dl < 4) return false;
        s.egressBlock = w[d >>> 2]! | 0;
        break;
      case 9: // TCA_FCNT, TCA_CHAIN
        if (dl < 4) return false;
        break;
      case 10: // TCA_STAB
        return false;
      default:
        // TCA_RATE, TCA_DUMP_FLAGS (structs read tolerantly), TCA_PAD, flags, strings
        // and attributes unknown to the schema: nothing the printers show.
        break;
    }
    p += (alen + 3) & ~3;
  }
  // Legacy statistics alone are printed by the schema path (tc's fprintf branch).
  return s.stats2 || !s.legacyStats;
}

function scanStats2(w: Uint32Array, off: number, len: number, s: TcScan): boolean {
  // A repeated TCA_STATS2 replaces the first one entirely, as in the schema's decode.
  s.stats2 = true;
  s.basic = -1;
  s.rateEst = -1;
  s.queue = -1;
  s.app = -1;
  s.appLen = 0;
  s.rateEst64 = -1;
  s.basicHw = -1;
  s.pkt64 = -1;
  const end = off + len;
  let p = off;
  while (end - p >= 4) {
    const h = w[p >>> 2]!;
    const alen = h & 0xffff;
    if (alen < 4 || alen > end - p) return false;
    const d = p + 4;
    const dl = alen - 4;
    const type = (h >>> 16) & 0x3fff;
    switch (type < ST_MAX ? ST[type] : 0) {
      case 1: // TCA_STATS_BASIC
        if (dl < BASIC_SIZE) return false;
        s.basic = d;
        break;
      case 2: // TCA_STATS_RATE_EST
        if (dl < RATE_EST_SIZE) return false;
        s.rateEst = d;
        break;
      case 3: // TCA_STATS_QUEUE
        if (dl < QUEUE_SIZE) return false;
        s.queue = d;
        break;
      case 4: // TCA_STATS_APP
        s.app = d;
        s.appLen = dl;
        break;
      case 5: // TCA_STATS_RATE_EST64
        if (dl < RATE_EST64_SIZE) return false;
        s.rateEst64 = d;
        break;
      case 6: // TCA_STATS_BASIC_HW
        if (dl < BASIC_SIZE) return false;
        s.basicHw = d;
        break;
      case 7: // TCA_STATS_PKT64
        if (dl < 8) return false;
        s.pkt64 = d;
        break;
      default:
        break;
    }
    p += (alen + 3) & ~3;
  }
  return true;
}

/** The unsigned 64-bit integer at 4-aligned byte offset `off` of `w`, as decimal text (Number arithmetic when exact). */
export function u64Text(w: Uint32Array, off: number): string {
  const i = off >>> 2;
  const hi = w[i + 1]!;
  if (hi < 0x200000) return String(hi * 4294967296 + w[i]!);
  return ((BigInt(hi) << 32n) | BigInt(w[i]!)).toString();
}

/** Whether the unsigned 64-bit integer at `off` is zero. */
export function u64IsZero(w: Uint32Array, off: number): boolean {
  const i = off >>> 2;
  return w[i] === 0 && w[i + 1] === 0;
}

/** The unsigned 64-bit integer at `off` as a Number (rounded to nearest above 2^53, as `Number(bigint)`). */
export function u64Number(w: Uint32Array, off: number): number {
  const i = off >>> 2;
  return w[i + 1]! * 4294967296 + w[i]!;
}

/** The unsigned 64-bit integer at `off` as a bigint. */
export function u64Big(w: Uint32Array, off: number): bigint {
  const i = off >>> 2;
  return (BigInt(w[i + 1]!) << 32n) | BigInt(w[i]!);
}
