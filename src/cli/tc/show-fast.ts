/**
 * The text hot path of `tc [-s] qdisc show` and `tc [-s] class show`: one
 * message is read straight from the wire bytes ({@link scanTc} and the kinds'
 * {@link KindFastText} renderers) and its text written as bytes into a
 * {@link ByteWriter}, with no decoded objects, no printf and no strings.
 *
 * It prints exactly what {@link printQdisc} / {@link printClass} print in
 * text mode, or declines (returns null) and the caller prints the message
 * through the schema: for -d and -r, for kinds without fast renderers, and
 * for any message that is not shaped as the kernel sends it (which includes
 * every message the schema path would reject).
 * test/unit/tc-show-fast.test.ts compares the two paths on generated and
 * corrupted messages.
 * @module
 */
import { NLM_F, RTM } from '../../netlink/constants.js';
import type { MessageView } from '../../netlink/socket.js';
import { qdiscKind, type TcEnv } from '../../tc/kind.js';
import { TcScan, scanTc, u64IsZero, BASIC, QUEUE, RATE_EST, RATE_EST64 } from '../../tc/scan.js';
import { writeClassid, major, minor } from '../../tc/handle.js';
import { writeRate64, writeRateNum, writeSize } from '../../tc/units.js';
import type { TcLinks } from './common.js';
import { COLOR_IFNAME, paint, type Palette } from '../../output/color.js';
import { ByteWriter, ascii } from '../../output/bytes.js';

/** The filters of `tc qdisc show` (as printQdisc takes them). */
export interface QdiscTextFilter {
  readonly ifindex: number;
  readonly parent: number;
  readonly handle: number;
}

/** The filters of `tc class show` (as printClass takes them). */
export interface ClassTextFilter {
  readonly ifindex: number;
  readonly qdisc: number;
  readonly classid: number;
}

/**
 * The kinds whose modules have byte renderers (KindFastText in src/tc/kind.ts); loaded
 * before a dump so that their messages take this path from the first one
 * (test/unit/tc-show-fast.test.ts checks the list against the modules).
 */
export const FAST_TEXT_KINDS: readonly string[] = ['htb', 'pfifo', 'bfifo'];

/** The renderers' bytes are handed to the printer's sink in pieces of about this size (at message ends). */
export const OUT_FLUSH = 64 * 1024;

const scan = new TcScan();

// Words of the lines, as bytes.
const W_SENT = ascii(' Sent '), W_BYTES = ascii(' bytes '), W_PKT = ascii(' pkt');
const W_DROPPED = ascii(' (dropped '), W_OVERLIMITS = ascii(', overlimits '), W_REQUEUES = ascii(' requeues '), W_CLOSE = ascii(') ');
const W_RATE = ascii('\n rate '), W_PPS = ascii('pps'), W_BACKLOG = ascii(' backlog '), W_P_REQUEUES = ascii('p requeues ');
const W_DELETED = ascii('deleted '), W_REPLACED = ascii('replaced '), W_ADDED = ascii('added ');
const W_ROOT = ascii('root '), W_PARENT = ascii('parent '), W_REFCNT = ascii('refcnt '), W_OFFLOADED = ascii('offloaded ');
const W_INGRESS_BLOCK = ascii('ingress_block '), W_EGRESS_BLOCK = ascii('egress_block '), W_LEAF = ascii('leaf ');
const SP = 0x20, NL = 0x0a, COLON = 0x3a;

/** "qdisc KIND " / "class KIND " by kind: a dump repeats a few kinds. */
const qdiscWords = new Map<string, Uint8Array>();
const classWords = new Map<string, Uint8Array>();

function kindWords(cache: Map<string, Uint8Array>, object: string, kind: string): Uint8Array {
  let b = cache.get(kind);
  if (b === undefined) {
    b = Buffer.from(`${object} ${kind} `);
    cache.set(kind, b);
  }
  return b;
}

/** "dev NAME " by ifindex (with -color's escapes), for one listing's names and palette. */
let devWords = new Map<number, Uint8Array>();
let devNames: TcLinks | undefined;
let devPalette: Palette | undefined;
let devPainted = false;

function devBytes(names: TcLinks, ifindex: number, painted: boolean, palette: Palette | undefined): Uint8Array {
  if (names !== devNames || palette !== devPalette || painted !== devPainted) {
    devWords = new Map();
    devNames = names;
    devPalette = palette;
    devPainted = painted;
  }
  let b = devWords.get(ifindex);
  if (b === undefined) {
    const name = names.name(ifindex);
    // print_color_string(PRINT_ANY, COLOR_IFNAME, "dev", "%s ", …): the colour spans the name and its space.
    b = Buffer.from(`dev ${painted ? paint(palette, COLOR_IFNAME, `${name} `) : `${name} `}`);
    devWords.set(ifindex, b);
  }
  return b;
}

/** The line separator (-oneline's "\\" or a newline), as bytes. */
function lineSep(out: ByteWriter, nl: string): void {
  if (nl === '\n') out.byte(NL);
  else out.str(nl);
}

/**
 * print_tcstats_attr()'s text for TCA_STATS2 (what printTcStats prints), without
 * the final newline; false when it cannot (offloaded counters).
 */
function writeStats2(out: ByteWriter, s: TcScan, iec: boolean, nl: string): boolean {
  const w = s.w;
  // Hardware counters that are not zero add "Sent software/hardware" lines: the schema path prints those.
  if (s.basicHw >= 0 && !(u64IsZero(w, s.basicHw + BASIC.BYTES) && w[(s.basicHw >>> 2) + B_PACKETS] === 0)) return false;
  if (s.basic >= 0) {
    out.bytes(W_SENT);
    out.u64(w, s.basic + BASIC.BYTES);
    out.bytes(W_BYTES);
    if (s.pkt64 >= 0 && !u64IsZero(w, s.pkt64)) out.u64(w, s.pkt64);
    else out.uint(w[(s.basic >>> 2) + B_PACKETS]!);
    out.bytes(W_PKT);
  }
  const q = s.queue >>> 2;
  if (s.queue >= 0) {
    out.bytes(W_DROPPED);
    out.uint(w[q + Q_DROPS]!);
    out.bytes(W_OVERLIMITS);
    out.uint(w[q + Q_OVERLIMITS]!);
    out.bytes(W_REQUEUES);
    out.uint(w[q + Q_REQUEUES]!);
    out.bytes(W_CLOSE);
  }
  if (s.rateEst64 >= 0) {
    out.bytes(W_RATE);
    writeRate64(out, w, s.rateEst64 + RATE_EST64.BPS, iec);
    out.byte(SP);
    out.u64(w, s.rateEst64 + RATE_EST64.PPS);
    out.bytes(W_PPS);
  } else if (s.rateEst >= 0) {
    const r = s.rateEst >>> 2;
    out.bytes(W_RATE);
    writeRateNum(out, w[r + R_BPS]!, iec);
    out.byte(SP);
    out.uint(w[r + R_PPS]!);
    out.bytes(W_PPS);
  }
  if (s.queue >= 0) {
    if (s.rateEst < 0) lineSep(out, nl);
    out.bytes(W_BACKLOG);
    writeSize(out, w[q + Q_BACKLOG]!);
    out.byte(SP);
    out.uint(w[q + Q_QLEN]!);
    out.bytes(W_P_REQUEUES);
    out.uint(w[q + Q_REQUEUES]!);
  }
  return true;
}

// Struct members as 32-bit word indexes (layouts from the schema, via scan.ts).
const B_PACKETS = BASIC.PACKETS / 4;
const Q_DROPS = QUEUE.DROPS / 4;
const Q_OVERLIMITS = QUEUE.OVERLIMITS / 4;
const Q_REQUEUES = QUEUE.REQUEUES / 4;
const Q_BACKLOG = QUEUE.BACKLOG / 4;
const Q_QLEN = QUEUE.QLEN / 4;
const R_BPS = RATE_EST.BPS / 4;
const R_PPS = RATE_EST.PPS / 4;

/**
 * printQdisc() in text mode for one dumped message, written into `out`:
 * true when it printed it (or the filters skip it), false to print it
 * through the schema path (then nothing was written). `nl` is the printer's
 * line separator (-oneline), `palette` its colours (-color).
 */
export function qdiscBytes(out: ByteWriter, m: MessageView, env: TcEnv, names: TcLinks, f: QdiscTextFilter, nl: string, palette?: Palette): boolean {
  if (env.details || env.raw) return false;
  if (m.type !== RTM.NEWQDISC && m.type !== RTM.DELQDISC) return false;
  const s = scan;
  if (!scanTc(m, s)) return false;
  const kind = s.kind;
  if (kind === undefined) return false;
  const start = out.pos;
  if (!qdiscLine(out, s, kind, env, names, f, nl, palette)) {
    out.pos = start;
    return false;
  }
  return true;
}

function qdiscLine(out: ByteWriter, s: TcScan, kind: string, env: TcEnv, names: TcLinks, f: QdiscTextFilter, nl: string, palette: Palette | undefined): boolean {
  const buf = s.buf;
  const q = qdiscKind(kind);
  const ft = q?.fastText;
  const start = out.pos;
  if (s.type === RTM.DELQDISC) out.bytes(W_DELETED);
  else if (s.flags & NLM_F.CREATE) {
    if (s.flags & NLM_F.REPLACE) out.bytes(W_REPLACED);
    if (s.flags & NLM_F.EXCL) out.bytes(W_ADDED);
  }
  out.bytes(kindWords(qdiscWords, 'qdisc', kind));
  out.hex(s.handle >>> 16);
  out.byte(COLON);
  out.byte(SP);
  if (f.ifindex === 0) out.bytes(devBytes(names, s.ifindex, true, palette));
  if (s.parent === -1) out.bytes(W_ROOT); // TC_H_ROOT
  else if (s.parent) {
    out.bytes(W_PARENT);
    writeClassid(out, s.parent);
    out.byte(SP);
  }
  if (s.info !== 1) {
    out.bytes(W_REFCNT);
    out.uint(s.info >>> 0);
    out.byte(SP);
  }
  if (s.hwOffload) out.bytes(W_OFFLOADED);
  if (s.ingressBlock) {
    out.bytes(W_INGRESS_BLOCK);
    out.uint(s.ingressBlock >>> 0);
    out.byte(SP);
  }
  if (s.egressBlock) {
    out.bytes(W_EGRESS_BLOCK);
    out.uint(s.egressBlock >>> 0);
    out.byte(SP);
  }
  if (s.options >= 0) {
    if (!q?.print || !q.options || !ft?.options) return false;
    if (!ft.options(out, buf, s.options, s.optionsLen, env)) return false;
  }
  // The schema path decodes TCA_XSTATS with the kind's codec even when it is not printed (and before the filters).
  if (s.xstats >= 0 && q?.xstats) {
    const x = out.pos;
    if (!ft?.xstats || !ft.xstats(out, buf, s.xstats, s.xstatsLen, env)) return false;
    out.pos = x;
  }
  if ((f.ifindex && f.ifindex !== s.ifindex) || (f.handle && f.handle !== s.handle >>> 0) || (f.parent && f.parent !== s.parent >>> 0)) {
    out.pos = start;
    return true;
  }
  lineSep(out, nl);
  if (env.stats) {
    let x = -1;
    let xlen = 0;
    if (s.stats2 || s.xstats >= 0) {
      if (s.stats2) {
        if (!writeStats2(out, s, env.iec, nl)) return false;
      }
      if (s.app >= 0 && s.stats2) { x = s.app; xlen = s.appLen; } else if (s.xstats >= 0) { x = s.xstats; xlen = s.xstatsLen; }
      lineSep(out, nl);
    }
    if (x >= 0 && q?.printXstats) {
      if (!q.xstats || !ft?.xstats) return false;
      if (!ft.xstats(out, buf, x, xlen, env)) return false;
      lineSep(out, nl);
    }
  }
  return true;
}

/**
 * printClass() for one dumped message, written into `out`: true when it
 * printed it (or the filters skip it), false to print it through the schema
 * path (then nothing was written).
 */
export function classBytes(out: ByteWriter, m: MessageView, env: TcEnv, names: TcLinks, f: ClassTextFilter, nl: string): boolean {
  if (env.details || env.raw) return false;
  if (m.type !== RTM.NEWTCLASS && m.type !== RTM.DELTCLASS) return false;
  const s = scan;
  if (!scanTc(m, s)) return false;
  const kind = s.kind;
  if (kind === undefined) return false;
  const start = out.pos;
  if (!classLine(out, s, kind, env, names, f, nl)) {
    out.pos = start;
    return false;
  }
  return true;
}

function classLine(out: ByteWriter, s: TcScan, kind: string, env: TcEnv, names: TcLinks, f: ClassTextFilter, nl: string): boolean {
  const buf = s.buf;
  const q = qdiscKind(kind);
  const ft = q?.fastText;
  const h = s.handle;
  const start = out.pos;
  if (s.type === RTM.DELTCLASS) out.bytes(W_DELETED);
  out.bytes(kindWords(classWords, 'class', kind));
  if (h) writeClassid(out, f.qdisc ? minor(h) : h);
  out.byte(SP);
  if (f.ifindex === 0) out.bytes(devBytes(names, s.ifindex, false, undefined));
  if (s.parent === -1) out.bytes(W_ROOT); // TC_H_ROOT
  else {
    out.bytes(W_PARENT);
    writeClassid(out, f.qdisc ? minor(s.parent) : s.parent);
    out.byte(SP);
  }
  if (s.info) {
    out.bytes(W_LEAF);
    out.hex(s.info >>> 16);
    out.byte(COLON);
    out.byte(SP);
  }
  if (s.options >= 0) {
    if (!q?.printClass || !q.classOptions || !ft?.classOptions) return false;
    if (!ft.classOptions(out, buf, s.options, s.optionsLen, env)) return false;
  }
  if (s.xstats >= 0 && q?.classXstats) {
    const x = out.pos;
    if (!ft?.classXstats || !ft.classXstats(out, buf, s.xstats, s.xstatsLen, env)) return false;
    out.pos = x;
  }
  if ((f.qdisc && major(h ^ f.qdisc)) || (f.classid && h >>> 0 !== f.classid)) {
    out.pos = start;
    return true;
  }
  out.byte(NL);
  if (env.stats) {
    let x = -1;
    let xlen = 0;
    if (s.stats2) {
      if (!writeStats2(out, s, env.iec, nl)) return false;
      out.byte(NL);
      if (s.app >= 0) { x = s.app; xlen = s.appLen; }
    }
    if (x < 0 && s.xstats >= 0) { x = s.xstats; xlen = s.xstatsLen; }
    if (x >= 0 && (q?.printClassXstats ?? q?.printXstats)) {
      if (!q?.printClassXstats || !q.classXstats || !ft?.classXstats) return false;
      if (!ft.classXstats(out, buf, x, xlen, env)) return false;
      out.byte(NL);
    }
  }
  return true;
}

/** A writer for the string forms below (tests). */
const textOut = new ByteWriter(4096);

/** {@link qdiscBytes} as text: the message's text ('' when the filters skip it), or null for the schema path. */
export function qdiscTextFast(m: MessageView, env: TcEnv, names: TcLinks, f: QdiscTextFilter, nl: string, palette?: Palette): string | null {
  textOut.pos = 0;
  return qdiscBytes(textOut, m, env, names, f, nl, palette) ? textOut.text() : null;
}

/** {@link classBytes} as text: the message's text ('' when the filters skip it), or null for the schema path. */
export function classTextFast(m: MessageView, env: TcEnv, names: TcLinks, f: ClassTextFilter, nl: string): string | null {
  textOut.pos = 0;
  return classBytes(textOut, m, env, names, f, nl) ? textOut.text() : null;
}
