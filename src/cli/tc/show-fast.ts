/**
 * The text hot path of `tc [-s] qdisc show` and `tc [-s] class show`: one
 * message becomes one string, read straight from the wire bytes
 * ({@link scanTc} and the kinds' {@link KindFastText} renderers) and built
 * by concatenation, with no decoded objects and no printf.
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
import { TcScan, scanTc, u64Text, u64IsZero, u64Number, u64Big, BASIC, QUEUE, RATE_EST, RATE_EST64 } from '../../tc/scan.js';
import { formatClassid, formatQdiscHandle, major, minor } from '../../tc/handle.js';
import { sprintRate, sprintRateNum, sprintSize } from '../../tc/units.js';
import type { TcLinks } from './common.js';
import { COLOR_IFNAME, paint, type Palette } from '../../output/color.js';

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

const scan = new TcScan();

/**
 * print_tcstats_attr()'s text for TCA_STATS2 (what printTcStats prints), without
 * the final newline; null when it cannot (offloaded counters).
 */
function stats2Text(s: TcScan, prefix: string, iec: boolean, nl: string): string | null {
  const w = s.w;
  let o = '';
  if (s.basic >= 0) {
    const b = s.basic >>> 2;
    const pkts = s.pkt64 >= 0 && !u64IsZero(w, s.pkt64) ? u64Text(w, s.pkt64) : String(w[b + B_PACKETS]);
    o = `${prefix}Sent ${u64Text(w, s.basic + BASIC.BYTES)} bytes ${pkts} pkt`;
  }
  const q = s.queue >>> 2;
  if (s.queue >= 0) o += ` (dropped ${w[q + Q_DROPS]}, overlimits ${w[q + Q_OVERLIMITS]} requeues ${w[q + Q_REQUEUES]}) `;
  // Hardware counters that are not zero add "Sent software/hardware" lines: the schema path prints those.
  if (s.basicHw >= 0 && !(u64IsZero(w, s.basicHw + BASIC.BYTES) && w[(s.basicHw >>> 2) + B_PACKETS] === 0)) return null;
  if (s.rateEst64 >= 0) {
    const b = s.rateEst64 + RATE_EST64.BPS;
    const rate = w[(b >>> 2) + 1]! < 0x40000 ? sprintRateNum(u64Number(w, b), iec) : sprintRate(u64Big(w, b), iec);
    o += `\n${prefix}rate ${rate} ${u64Text(w, s.rateEst64 + RATE_EST64.PPS)}pps`;
  } else if (s.rateEst >= 0) {
    const r = s.rateEst >>> 2;
    o += `\n${prefix}rate ${sprintRateNum(w[r + R_BPS]!, iec)} ${w[r + R_PPS]}pps`;
  }
  if (s.queue >= 0) {
    if (s.rateEst < 0) o += nl;
    o += `${prefix}backlog ${sprintSize(w[q + Q_BACKLOG]!)} ${w[q + Q_QLEN]}p requeues ${w[q + Q_REQUEUES]}`;
  }
  return o;
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
 * printQdisc() in text mode for one dumped message: its text ('' when the
 * filters skip it), or null to print it through the schema path. `nl` is the
 * printer's line separator (-oneline), `palette` its colours (-color).
 */
export function qdiscTextFast(m: MessageView, env: TcEnv, names: TcLinks, f: QdiscTextFilter, nl: string, palette?: Palette): string | null {
  if (env.details || env.raw) return null;
  if (m.type !== RTM.NEWQDISC && m.type !== RTM.DELQDISC) return null;
  const s = scan;
  if (!scanTc(m, s)) return null;
  const kind = s.kind;
  if (kind === undefined) return null;
  const buf = s.buf;
  const q = qdiscKind(kind);
  const ft = q?.fastText;
  let opts = '';
  if (s.options >= 0) {
    if (!q?.print || !q.options || !ft?.options) return null;
    const t = ft.options(buf, s.options, s.optionsLen, env);
    if (t === null) return null;
    opts = t;
  }
  // The schema path decodes TCA_XSTATS with the kind's codec even when it is not printed.
  if (s.xstats >= 0 && q?.xstats && (!ft?.xstats || ft.xstats(buf, s.xstats, s.xstatsLen, env) === null)) return null;
  if (f.ifindex && f.ifindex !== s.ifindex) return '';
  if (f.handle && f.handle !== s.handle >>> 0) return '';
  if (f.parent && f.parent !== s.parent >>> 0) return '';
  let o = '';
  if (s.type === RTM.DELQDISC) o += 'deleted ';
  else if (s.flags & NLM_F.CREATE) {
    if (s.flags & NLM_F.REPLACE) o += 'replaced ';
    if (s.flags & NLM_F.EXCL) o += 'added ';
  }
  o += `qdisc ${kind} ${formatQdiscHandle(s.handle)} `;
  // print_color_string(PRINT_ANY, COLOR_IFNAME, "dev", "%s ", …): the colour spans the name and its space.
  if (f.ifindex === 0) o += `dev ${paint(palette, COLOR_IFNAME, `${names.name(s.ifindex)} `)}`;
  if (s.parent === -1) o += 'root '; // TC_H_ROOT
  else if (s.parent) o += `parent ${formatClassid(s.parent)} `;
  if (s.info !== 1) o += `refcnt ${s.info >>> 0} `;
  if (s.hwOffload) o += 'offloaded ';
  if (s.ingressBlock) o += `ingress_block ${s.ingressBlock >>> 0} `;
  if (s.egressBlock) o += `egress_block ${s.egressBlock >>> 0} `;
  o += opts + nl;
  if (env.stats) {
    let x = -1;
    let xlen = 0;
    if (s.stats2 || s.xstats >= 0) {
      if (s.stats2) {
        const t = stats2Text(s, ' ', env.iec, nl);
        if (t === null) return null;
        o += t;
      }
      if (s.app >= 0 && s.stats2) { x = s.app; xlen = s.appLen; } else if (s.xstats >= 0) { x = s.xstats; xlen = s.xstatsLen; }
      o += nl;
    }
    if (x >= 0 && q?.printXstats) {
      if (!q.xstats || !ft?.xstats) return null;
      const t = ft.xstats(buf, x, xlen, env);
      if (t === null) return null;
      o += t + nl;
    }
  }
  return o;
}

/**
 * printClass() for one dumped message: its text ('' when the filters skip
 * it), or null to print it through the schema path.
 */
export function classTextFast(m: MessageView, env: TcEnv, names: TcLinks, f: ClassTextFilter, nl: string): string | null {
  if (env.details || env.raw) return null;
  if (m.type !== RTM.NEWTCLASS && m.type !== RTM.DELTCLASS) return null;
  const s = scan;
  if (!scanTc(m, s)) return null;
  const kind = s.kind;
  if (kind === undefined) return null;
  const buf = s.buf;
  const q = qdiscKind(kind);
  const ft = q?.fastText;
  let opts = '';
  if (s.options >= 0) {
    if (!q?.printClass || !q.classOptions || !ft?.classOptions) return null;
    const t = ft.classOptions(buf, s.options, s.optionsLen, env);
    if (t === null) return null;
    opts = t;
  }
  if (s.xstats >= 0 && q?.classXstats && (!ft?.classXstats || ft.classXstats(buf, s.xstats, s.xstatsLen, env) === null)) return null;
  const h = s.handle;
  if (f.qdisc && major(h ^ f.qdisc)) return '';
  if (f.classid && h >>> 0 !== f.classid) return '';
  let o = s.type === RTM.DELTCLASS ? 'deleted ' : '';
  o += `class ${kind} ${h ? formatClassid(f.qdisc ? minor(h) : h) : ''} `;
  if (f.ifindex === 0) o += `dev ${names.name(s.ifindex)} `;
  if (s.parent === -1) o += 'root '; // TC_H_ROOT
  else o += `parent ${formatClassid(f.qdisc ? minor(s.parent) : s.parent)} `;
  if (s.info) o += `leaf ${(s.info >>> 16).toString(16)}: `;
  o += opts + '\n';
  if (env.stats) {
    let x = -1;
    let xlen = 0;
    if (s.stats2) {
      const t = stats2Text(s, ' ', env.iec, nl);
      if (t === null) return null;
      o += t + '\n';
      if (s.app >= 0) { x = s.app; xlen = s.appLen; }
    }
    if (x < 0 && s.xstats >= 0) { x = s.xstats; xlen = s.xstatsLen; }
    if (x >= 0 && (q?.printClassXstats ?? q?.printXstats)) {
      if (!q?.printClassXstats || !q.classXstats || !ft?.classXstats) return null;
      const t = ft.classXstats(buf, x, xlen, env);
      if (t === null) return null;
      o += t + '\n';
    }
  }
  return o;
}
