/**
 * `tc qdisc add|del|replace|change|link|show`, as iproute2's tc/tc_qdisc.c:
 * the same grammar, errors, exit statuses, request bytes and output.
 * @module
 */
import { CliError, matches } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { kernelErrorText } from '../common/errors.js';
import { NetlinkError } from '../../netlink/errors.js';
import { NLM_F, RTM } from '../../netlink/constants.js';
import type { MessageView, RequestBuilder } from '../../netlink/socket.js';
import type { TcMsg } from '../../netlink/structs.js';
import { ANY, FP, type Printer } from '../../output/printer.js';
import { COLOR_IFNAME } from '../../output/color.js';
import { qdiscKind, type QdiscKind, type TcEnv } from '../../tc/kind.js';
import { qdiscMessage, type TcAttrs } from '../../tc/schema.js';
import { TC_H, parseClassid, parseQdiscHandle, formatClassid, formatQdiscHandle } from '../../tc/handle.js';
import { parseTime, parseU32, parseLinkLayer, sprintLinkLayer, LINKLAYER } from '../../tc/units.js';
import { adjustSize } from '../../tc/psched.js';
import { qdiscMessage as qm, QDISC_OPS, type QdiscOp } from '../../tc/schema.js';
import { rtRequest } from '../../netlink/rtnetlink/request.js';
import { TcExit, invarg, duparg, incomplete, fromKindError, linkMap, printTcStats, tcEnv, tcNet, ensureKinds, ensureKindsOf, type TcLinks } from './common.js';
import { qdiscBytes } from './show-fast.js';
import { showDump, type FastLine } from './show-dump.js';

const USAGE = `Usage: tc qdisc [ add | del | replace | change | show ] dev STRING
       [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ]
       [ estimator INTERVAL TIME_CONSTANT ]
       [ stab [ help | STAB_OPTIONS] ]
       [ ingress_block BLOCK_INDEX ] [ egress_block BLOCK_INDEX ]
       [ [ QDISC_KIND ] [ help | OPTIONS ] ]

       tc qdisc { show | list } [ dev STRING ] [ QDISC_ID ] [ invisible ]
Where:
QDISC_KIND := { [p|b]fifo | tbf | prio | cbq | red | etc. }
OPTIONS := ... try tc qdisc add <desired QDISC_KIND> help
STAB_OPTIONS := ... try tc qdisc add stab help
QDISC_ID := { root | ingress | handle QHANDLE | parent CLASSID }
`;

function usage(): void {
  process.stderr.write(USAGE);
}

/** `Error: argument "ARG" is wrong: MSG` and exit. */

/** get_u32(…, 0) */
function u32arg(s: string): number | null {
  if (!/^[ \t]*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(s)) return null;
  const t = s.trim().replace(/^\+/, '');
  const v = /^0[xX]/.test(t) ? parseInt(t, 16) : t.length > 1 && t[0] === '0' ? parseInt(t, 8) : Number(t);
  return v > 0xffffffff ? null : v;
}

const EST_HELP = `Usage: ... estimator INTERVAL TIME-CONST
  INTERVAL is interval between measurements
  TIME-CONST is averaging time constant
Example: ... est 1sec 8sec
`;

/** parse_estimator() + tc_setup_estimator(): argv[i] is "estimator"; returns the new index. */
export function parseEstimator(argv: readonly string[], i: number, est: { interval: number; ewma_log: number }, raw: boolean): number {
  let j = i + 1;
  if (j >= argv.length) incomplete();
  if (est.ewma_log) duparg('estimator', argv[j]!);
  if (matches(argv[j], 'help')) process.stderr.write(EST_HELP);
  const A = parseTime(argv[j]!);
  if (A === null) invarg('estimator', 'invalid estimator interval');
  j++;
  if (j >= argv.length) incomplete();
  if (matches(argv[j], 'help')) process.stderr.write(EST_HELP);
  const tconst = parseTime(argv[j]!);
  if (tconst === null) invarg('estimator', 'invalid estimator time constant');
  let interval = 0;
  for (; interval <= 5; interval++) if (A! <= (1 << interval) * (1000000 / 4)) break;
  if (interval > 5) throw new CliError('Error: estimator parameters are out of range.', 255);
  interval -= 2;
  let ewma = 1;
  for (; ewma < 32; ewma++) {
    const w = 1.0 - 1.0 / 2 ** ewma;
    if (A! / -Math.log(w) > tconst!) break;
  }
  ewma--;
  if (ewma === 0 || ewma >= 31) throw new CliError('Error: estimator parameters are out of range.', 255);
  est.interval = interval;
  est.ewma_log = ewma;
  if (raw) process.stderr.write(`[estimator i=${interval} e=${ewma}]\n`);
  return j;
}

/** struct tc_sizespec */
type SizeSpec = { cell_log: number; size_log: number; cell_align: number; overhead: number; linklayer: number; mpu: number; mtu: number; tsize: number };

const STAB_HELP = `Usage: ... stab [ mtu BYTES ] [ tsize SLOTS ] [ mpu BYTES ]
                [ overhead BYTES ] [ linklayer TYPE ] ...
   mtu       : max packet size we create rate map for {2047}
   tsize     : how many slots should size table have {512}
   mpu       : minimum packet size used in rate computations
   overhead  : per-packet size overhead used in rate computations
   linklayer : adapting to a linklayer e.g. atm
Example: ... stab overhead 20 linklayer atm
`;

/** parse_size_table(): argv[i] is "stab"; returns the index of the first token after the stab options. */
function parseSizeTable(argv: readonly string[], i: number, out: SizeSpec): number {
  let j = i + 1;
  if (j >= argv.length) incomplete();
  if (matches(argv[j], 'help')) {
    process.stderr.write(STAB_HELP);
    throw new CliError('', 255);
  }
  const s: SizeSpec = { cell_log: 0, size_log: 0, cell_align: 0, overhead: 0, linklayer: 0, mpu: 0, mtu: 0, tsize: 0 };
  const value = (): string => { if (++j >= argv.length) incomplete(); return argv[j]!; };
  while (j < argv.length) {
    const a = argv[j]!;
    if (matches(a, 'mtu')) {
      const v = value();
      if (s.mtu) duparg('mtu', v);
      const n = parseU32(v, 10);
      if (n === null) invarg('mtu', 'invalid mtu');
      s.mtu = n!;
    } else if (matches(a, 'mpu')) {
      const v = value();
      if (s.mpu) duparg('mpu', v);
      const n = parseU32(v, 10);
      if (n === null) invarg('mpu', 'invalid mpu');
      s.mpu = n!;
    } else if (matches(a, 'overhead')) {
      const v = value();
      if (s.overhead) duparg('overhead', v);
      const n = /^[ \t]*[+-]?\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n > 0x7fffffff || n < -0x80000000) invarg('overhead', 'invalid overhead');
      s.overhead = n;
    } else if (matches(a, 'tsize')) {
      const v = value();
      if (s.tsize) duparg('tsize', v);
      const n = parseU32(v, 10);
      if (n === null) invarg('tsize', 'invalid table size');
      s.tsize = n!;
    } else if (matches(a, 'linklayer')) {
      const v = value();
      if (s.linklayer !== LINKLAYER.UNSPEC) duparg('linklayer', v);
      const n = parseLinkLayer(v);
      if (n === null) invarg('linklayer', 'invalid linklayer');
      s.linklayer = n!;
    } else {
      break;
    }
    j++;
  }
  if (!(s.linklayer >= LINKLAYER.ETHERNET || s.mpu !== 0 || s.overhead !== 0)) throw new CliError('', 255);
  Object.assign(out, s);
  return j;
}

/** tc_calc_size_table(): fills the derived fields of `s`; returns the table (undefined when not needed). */
function calcSizeTable(s: SizeSpec): number[] | undefined {
  if (s.linklayer <= LINKLAYER.ETHERNET && s.mpu === 0) {
    s.mtu = 0; s.tsize = 0; s.cell_log = 0; s.cell_align = 0;
    return undefined;
  }
  if (s.mtu === 0) s.mtu = 2047;
  if (s.tsize === 0) s.tsize = 512;
  s.cell_log = 0;
  while ((s.mtu >>> s.cell_log) > s.tsize - 1) s.cell_log++;
  const data = new Array<number>(s.tsize);
  for (;;) {
    let again = false;
    for (let i = s.tsize - 1; i >= 0; i--) {
      const sz = adjustSize(((i + 1) << s.cell_log) >>> 0, s.mpu, s.linklayer);
      if ((sz >>> s.size_log) > 0xffff) { s.size_log++; again = true; break; }
      data[i] = sz >>> s.size_log;
    }
    if (!again) break;
  }
  s.cell_align = -1;
  return data;
}

/** print_size_table() (with -d). */
function printSizeTable(p: Printer, stab: NonNullable<TcAttrs['stab']>): void {
  const s = stab.base;
  if (!s) return;
  p.openObject('stab');
  p.string(FP, null, ' ', null);
  if (s.linklayer) p.string(ANY, 'linklayer', 'linklayer %s ', sprintLinkLayer(s.linklayer));
  if (s.overhead) p.int(ANY, 'overhead', 'overhead %d ', s.overhead);
  if (s.mpu) p.uint(ANY, 'mpu', 'mpu %u ', s.mpu);
  if (s.mtu) p.uint(ANY, 'mtu', 'mtu %u ', s.mtu);
  if (s.tsize) p.uint(ANY, 'tsize', 'tsize %u ', s.tsize);
  p.closeObject();
}

/** Print an extack warning of a successful request as tc does. */
export function warnExtack(msg: string): void {
  process.stderr.write(`Warning: ${msg}${msg.endsWith('.') ? '' : '.'}\n`);
}

/** A parsed modify command: what to send, and the device to resolve into header.ifindex. */
export interface ParsedRequest {
  readonly header: TcMsg;
  readonly attrs: TcAttrs;
  readonly dev: string;
}

/**
 * tc_qdisc_modify()'s parsing: everything up to the device lookup. Pure (no
 * netlink); throws CliError/TcExit with tc's text. `makeEnv` supplies the
 * kind environment for the named device.
 */
export function parseQdiscModify(argv: readonly string[], makeEnv: (dev: string) => TcEnv, raw = false): ParsedRequest {
  const header: TcMsg = { family: 0, ifindex: 0, handle: 0, parent: 0, info: 0 };
  const est = { interval: 0, ewma_log: 0 };
  const stab: SizeSpec = { cell_log: 0, size_log: 0, cell_align: 0, overhead: 0, linklayer: 0, mpu: 0, mtu: 0, tsize: 0 };
  let dev = '';
  let k = '';
  let q: QdiscKind | undefined;
  let known = false;
  let ingressBlock = 0;
  let egressBlock = 0;
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === 'dev') {
      if (++i >= argv.length) incomplete();
      if (dev) duparg('dev', argv[i]!);
      dev = argv[i]!.slice(0, 15);
    } else if (a === 'handle') {
      if (header.handle) duparg('handle', argv[i]!);
      if (++i >= argv.length) incomplete();
      const h = parseQdiscHandle(argv[i]!);
      if (h === null) invarg('invalid qdisc ID', argv[i]!);
      header.handle = h!;
    } else if (a === 'root') {
      if (header.parent) throw new CliError('Error: "root" is duplicate parent ID', 255);
      header.parent = TC_H.ROOT;
    } else if (a === 'clsact' || a === 'ingress') {
      if (header.parent) throw new CliError(`Error: "${a}" is a duplicate parent ID`, 255);
      header.parent = TC_H.INGRESS;
      k = a;
      known = true;
      header.handle = 0xffff0000;
      i++;
      break;
    } else if (a === 'parent') {
      if (++i >= argv.length) incomplete();
      if (header.parent) duparg('parent', argv[i]!);
      const h = parseClassid(argv[i]!);
      if (h === null) invarg('invalid parent ID', argv[i]!);
      header.parent = h!;
    } else if (matches(a, 'estimator')) {
      i = parseEstimator(argv, i, est, raw);
    } else if (matches(a, 'stab')) {
      i = parseSizeTable(argv, i, stab);
      continue;
    } else if (matches(a, 'ingress_block')) {
      if (++i >= argv.length) incomplete();
      const v = u32arg(argv[i]!);
      if (!v) invarg('invalid ingress block index value', argv[i]!);
      ingressBlock = v!;
    } else if (matches(a, 'egress_block')) {
      if (++i >= argv.length) incomplete();
      const v = u32arg(argv[i]!);
      if (!v) invarg('invalid egress block index value', argv[i]!);
      egressBlock = v!;
    } else if (matches(a, 'help')) {
      usage();
    } else {
      k = a.slice(0, 15);
      known = true;
      i++;
      break;
    }
    i++;
  }
  q = known ? qdiscKind(k) : undefined;
  const rest = argv.slice(i);
  const attrs: TcAttrs = {};
  if (k) attrs.kind = k;
  if (est.ewma_log) attrs.rate = est;
  if (ingressBlock) attrs.ingress_block = ingressBlock;
  if (egressBlock) attrs.egress_block = egressBlock;
  const env = makeEnv(dev);
  if (known) {
    if (q?.parse) {
      let o: unknown;
      try { o = q.parse(rest, env); } catch (e) { fromKindError(e); }
      if (o !== undefined) attrs.options = o;
    } else if (q) {
      if (rest.length) throw new CliError(`qdisc '${k}' does not support option parsing`, 255);
    } else if (rest.length) {
      // tc's stub for kinds it has no module for.
      throw new CliError(`Unknown qdisc "${k}", hence option "${rest[0]}" is unparsable`, 1);
    }
  } else if (rest.length) {
    if (matches(rest[0], 'help')) usage();
    throw new CliError(`Garbage instead of arguments "${rest[0]} ...". Try "tc qdisc help".`, 255);
  }
  if (stab.linklayer >= LINKLAYER.ETHERNET || stab.mpu !== 0 || stab.overhead !== 0) {
    const data = calcSizeTable(stab);
    attrs.stab = data ? { base: stab, data } : { base: stab };
  }
  return { header, attrs, dev };
}

/** tc_qdisc_modify() */
async function modify(ctx: CliContext, op: QdiscOp, argv: readonly string[]): Promise<number> {
  await ensureKinds(argv);
  const { header, attrs, dev } = parseQdiscModify(argv, (d) => tcEnv(ctx, d), ctx.opts.raw);
  const net = tcNet(ctx);
  if (dev) {
    const map = await linkMap(ctx);
    const idx = map.index(dev);
    if (!idx) throw new CliError(`Cannot find device "${dev}"`, 1);
    header.ifindex = idx;
  }
  try {
    const o = QDISC_OPS[op];
    await net.request(rtRequest(qm, o.type, o.flags | NLM_F.ACK, header, attrs), `${op} qdisc`, { onWarning: warnExtack });
  } catch (e) {
    if (e instanceof NetlinkError) {
      process.stderr.write(kernelErrorText(e));
      return 2;
    }
    throw e;
  }
  return 0;
}

/** The filters of `tc qdisc show`. */
interface ShowFilter {
  ifindex: number;
  parent: number;
  handle: number;
}

/** print_qdisc(): one qdisc message as tc prints it. */
export function printQdisc(p: Printer, m: MessageView, env: TcEnv, names: TcLinks, f: ShowFilter): void {
  if (m.type !== RTM.NEWQDISC && m.type !== RTM.DELQDISC) {
    process.stderr.write('Not a qdisc\n');
    return;
  }
  const { header: t, attrs: tb } = qdiscMessage.decode(m.buf, m.off, m.len);
  if (f.ifindex && f.ifindex !== t.ifindex) return;
  if (f.handle && f.handle !== t.handle) return;
  if (f.parent && f.parent !== t.parent) return;
  if (tb.kind === undefined) {
    process.stderr.write('print_qdisc: NULL kind\n');
    return;
  }
  p.openObject();
  if (m.type === RTM.DELQDISC) p.bool(ANY, 'deleted', 'deleted ', true);
  if (m.type === RTM.NEWQDISC && m.flags & NLM_F.CREATE && m.flags & NLM_F.REPLACE) p.bool(ANY, 'replaced', 'replaced ', true);
  if (m.type === RTM.NEWQDISC && m.flags & NLM_F.CREATE && m.flags & NLM_F.EXCL) p.bool(ANY, 'added', 'added ', true);
  p.string(ANY, 'kind', 'qdisc %s', tb.kind);
  p.string(ANY, 'handle', ' %s', formatQdiscHandle(t.handle));
  if (env.raw) p.string(FP, null, '%s', `[${(t.handle >>> 0).toString(16).padStart(8, '0')}]`);
  p.string(FP, null, ' ', null);
  if (f.ifindex === 0) {
    p.text('dev ');
    p.colorString(ANY, COLOR_IFNAME, 'dev', '%s ', names.name(t.ifindex));
  }
  if (t.parent >>> 0 === TC_H.ROOT) p.bool(ANY, 'root', 'root ', true);
  else if (t.parent) p.string(ANY, 'parent', 'parent %s ', formatClassid(t.parent));
  if (t.info !== 1) p.uint(ANY, 'refcnt', 'refcnt %u ', t.info);
  if (tb.hw_offload) p.bool(ANY, 'offloaded', 'offloaded ', true);
  if (tb.ingress_block) p.uint(ANY, 'ingress_block', 'ingress_block %u ', tb.ingress_block);
  if (tb.egress_block) p.uint(ANY, 'egress_block', 'egress_block %u ', tb.egress_block);
  const q = qdiscKind(tb.kind);
  p.openObject('options');
  if (tb.options !== undefined) {
    if (q?.print && (q.options || Buffer.isBuffer(tb.options))) q.print(p, tb.options, env);
    else if (Buffer.isBuffer(tb.options) && tb.options.length) p.rawText(`[Unknown qdisc, optlen=${tb.options.length}] `);
  }
  p.closeObject();
  p.nl();
  if (env.details && tb.stab) {
    printSizeTable(p, tb.stab);
    p.nl();
  }
  if (env.stats) {
    let xstats: unknown;
    if (tb.stats || tb.stats2 || tb.xstats !== undefined) {
      xstats = printTcStats(p, tb, ' ', env.iec);
      p.nl();
    }
    if (q && xstats !== undefined && q.printXstats) {
      const x = Buffer.isBuffer(xstats) && q.xstats ? q.xstats.decode(xstats, 0, xstats.length, tb as Record<string, unknown>) : xstats;
      q.printXstats(p, x, env);
      p.nl();
    }
  }
  p.closeObject();
}

/** tc_qdisc_list() */
async function list(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const f: ShowFilter = { ifindex: 0, parent: 0, handle: 0 };
  let dev = '';
  let invisible = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === 'dev') {
      if (++i >= argv.length) incomplete();
      dev = argv[i]!.slice(0, 15);
    } else if (a === 'root' || a === 'ingress' || a === 'clsact') {
      if (f.parent) invarg('parent is already specified', a);
      else if (f.handle) invarg('handle is already specified', a);
      f.parent = a === 'root' ? TC_H.ROOT : TC_H.INGRESS;
    } else if (matches(a, 'parent')) {
      if (f.parent) invarg('parent is already specified', a);
      else if (f.handle) invarg('handle is already specified', a);
      if (++i >= argv.length) incomplete();
      const h = parseClassid(argv[i]!);
      if (h === null) invarg('invalid parent ID', argv[i]!);
      f.parent = h!;
    } else if (matches(a, 'handle')) {
      if (f.parent) invarg('parent is already specified', a);
      else if (f.handle) invarg('handle is already specified', a);
      if (++i >= argv.length) incomplete();
      const h = parseQdiscHandle(argv[i]!);
      if (h === null) invarg('invalid handle ID', argv[i]!);
      f.handle = h!;
    } else if (matches(a, 'help')) {
      usage();
    } else if (a === 'invisible') {
      invisible = true;
    } else {
      throw new CliError(`What is "${a}"? Try "tc qdisc help".`, 255);
    }
  }
  const net = tcNet(ctx);
  const names = await linkMap(ctx);
  if (dev) {
    f.ifindex = names.index(dev);
    if (!f.ifindex) throw new CliError(`Cannot find device "${dev}"`, 1);
  }
  const env = tcEnv(ctx, dev);
  const p = ctx.printer;
  p.start();
  const header: TcMsg = { family: 0, ifindex: f.ifindex, handle: 0, parent: 0, info: 0 };
  const attrs: TcAttrs = invisible ? { dump_invisible: true } : {};
  const build: RequestBuilder = (w, seq) => {
    const s = w.beginMessage(RTM.GETQDISC, NLM_F.DUMP | NLM_F.REQUEST, seq);
    qdiscMessage.encode(w, header, attrs);
    w.endMessage(s);
  };
  // Plain text goes through the byte-level renderer (show-fast.ts); it declines what it does not print itself.
  const nl = p.lineSep;
  const fast: FastLine | undefined = !p.inJson && !env.details && !env.raw ? (out, m) => qdiscBytes(out, m, env, names, f, nl, p.palette) : undefined;
  try {
    await showDump(net.sock, build, 'dump qdiscs', p, (m) => printQdisc(p, m, env, names, f), fast);
  } catch (e) {
    if (e instanceof NetlinkError) {
      p.flush();
      process.stderr.write(kernelErrorText(e));
      process.stderr.write('Dump terminated\n');
      return 1;
    }
    throw e;
  }
  p.finish();
  return 0;
}

/** `tc qdisc …` (do_qdisc). */
export default async function tcQdisc(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const cmd = argv[0];
  if (cmd === undefined) return list(ctx, []);
  const rest = argv.slice(1);
  if (matches(cmd, 'add')) return modify(ctx, 'add', rest);
  if (matches(cmd, 'change')) return modify(ctx, 'change', rest);
  if (matches(cmd, 'replace')) return modify(ctx, 'replace', rest);
  if (matches(cmd, 'link')) return modify(ctx, 'link', rest);
  if (matches(cmd, 'delete')) return modify(ctx, 'del', rest);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return list(ctx, rest);
  if (matches(cmd, 'help')) {
    usage();
    return 0;
  }
  throw new CliError(`Command "${cmd}" is unknown, try "tc qdisc help".`, 255);
}

export { QDISC_OPS };
