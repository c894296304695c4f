/**
 * `tc class add|del|replace|change|show`, as iproute2's tc/tc_class.c.
 * Like tc 6.1, class listings are plain text even with -j (tc prints them
 * with fprintf and never opens a JSON object for classes).
 * @module
 */
import { CliError, matches } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { kernelErrorText } from '../common/errors.js';
import { NetlinkError } from '../../netlink/errors.js';
import { NLM_F, RTM } from '../../netlink/constants.js';
import type { MessageView, RequestBuilder } from '../../netlink/socket.js';
import type { TcMsg } from '../../netlink/structs.js';
import type { Printer } from '../../output/printer.js';
import { qdiscKind, type TcEnv } from '../../tc/kind.js';
import { classMessage, type TcAttrs } from '../../tc/schema.js';
import { TC_H, parseClassid, parseQdiscHandle, formatClassid, major, minor } from '../../tc/handle.js';
import { CLASS_OPS, type ClassOp } from '../../tc/schema.js';
import { rtRequest } from '../../netlink/rtnetlink/request.js';
import { invarg, duparg, incomplete, fromKindError, linkMap, printTcStats, tcEnv, tcNet, ensureKinds, ensureKindsOf, tcOptions, type TcLinks } from './common.js';
import { parseEstimator, warnExtack, type ParsedRequest } from './qdisc.js';
import { classBytes } from './show-fast.js';
import { showDump, type FastLine } from './show-dump.js';

const USAGE = `Usage: tc class [ add | del | change | replace | show ] dev STRING
       [ classid CLASSID ] [ root | parent CLASSID ]
       [ [ QDISC_KIND ] [ help | OPTIONS ] ]

       tc class show [ dev STRING ] [ root | parent CLASSID ]
Where:
QDISC_KIND := { prio | cbq | etc. }
OPTIONS := ... try tc class add <desired QDISC_KIND> help
`;

function usage(): void {
  process.stderr.write(USAGE);
}

/**
 * tc_class_modify()'s parsing, up to the device lookup. Pure; throws with tc's
 * text. Returns a number when tc returns without sending (its exit status).
 */
export function parseClassModify(argv: readonly string[], makeEnv: (dev: string) => TcEnv, raw = false): ParsedRequest | number {
  const header: TcMsg = { family: 0, ifindex: 0, handle: 0, parent: 0, info: 0 };
  const est = { interval: 0, ewma_log: 0 };
  let dev = '';
  let k = '';
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === 'dev') {
      if (++i >= argv.length) incomplete();
      if (dev) duparg('dev', argv[i]!);
      dev = argv[i]!.slice(0, 15);
    } else if (a === 'classid') {
      if (++i >= argv.length) incomplete();
      if (header.handle) duparg('classid', argv[i]!);
      const h = parseClassid(argv[i]!);
      if (h === null) invarg('invalid class ID', argv[i]!);
      header.handle = h!;
    } else if (a === 'handle') {
      throw new CliError('Error: try "classid" instead of "handle"', 255);
    } else if (a === 'root') {
      if (header.parent) throw new CliError('Error: "root" is duplicate parent ID.', 255);
      header.parent = TC_H.ROOT;
    } else if (a === 'parent') {
      if (++i >= argv.length) incomplete();
      if (header.parent) duparg('parent', argv[i]!);
      const h = parseClassid(argv[i]!);
      if (h === null) invarg('invalid parent ID', argv[i]!);
      header.parent = h!;
    } else if (matches(a, 'estimator')) {
      i = parseEstimator(argv, i, est, raw);
    } else if (matches(a, 'help')) {
      usage();
    } else {
      k = a.slice(0, 15);
      i++;
      break;
    }
    i++;
  }
  const rest = argv.slice(i);
  const attrs: TcAttrs = {};
  if (k) attrs.kind = k;
  if (est.ewma_log) attrs.rate = est;
  if (k) {
    const q = qdiscKind(k);
    if (!q?.parseClass) throw new CliError(`Error: Qdisc "${k}" is classless.`, 1);
    let o: unknown;
    try { o = q.parseClass(rest, makeEnv(dev)); } catch (e) { fromKindError(e); }
    if (o !== undefined) attrs.options = o;
  } else if (rest.length) {
    if (matches(rest[0], 'help')) usage();
    // tc prints this one without a newline.
    process.stderr.write(`Garbage instead of arguments "${rest[0]} ...". Try "tc class help".`);
    return 255;
  }
  return { header, attrs, dev };
}

/** tc_class_modify() */
async function modify(ctx: CliContext, op: ClassOp, argv: readonly string[]): Promise<number> {
  await ensureKinds(argv);
  const parsed = parseClassModify(argv, (d) => tcEnv(ctx, d), ctx.opts.raw);
  if (typeof parsed === 'number') return parsed;
  const { header, attrs, dev } = parsed;
  const net = tcNet(ctx);
  if (dev) {
    const idx = (await linkMap(ctx)).index(dev);
    if (!idx) throw new CliError(`Cannot find device "${dev}"`, 1);
    header.ifindex = idx;
  }
  try {
    const o = CLASS_OPS[op];
    await net.request(rtRequest(classMessage, o.type, o.flags | NLM_F.ACK, header, attrs), `${op} class`, { onWarning: warnExtack });
  } catch (e) {
    if (e instanceof NetlinkError) {
      process.stderr.write(kernelErrorText(e));
      return 2;
    }
    throw e;
  }
  return 0;
}

/** The filters of `tc class show`. */
export interface ClassShowFilter {
  ifindex: number;
  qdisc: number;
  classid: number;
}

/** print_class(): one class message as tc prints it (text only, like tc). */
export function printClass(p: Printer, m: MessageView, env: TcEnv, names: TcLinks, f: ClassShowFilter): void {
  if (m.type !== RTM.NEWTCLASS && m.type !== RTM.DELTCLASS) {
    process.stderr.write('Not a class\n');
    return;
  }
  const { header: t, attrs: tb } = classMessage.decode(m.buf, m.off, m.len);
  if (f.qdisc && major(t.handle ^ f.qdisc)) return;
  if (f.classid && t.handle !== f.classid) return;
  if (tb.kind === undefined) {
    process.stderr.write('print_class: NULL kind\n');
    return;
  }
  let out = m.type === RTM.DELTCLASS ? 'deleted ' : '';
  const id = t.handle ? formatClassid(f.qdisc ? minor(t.handle) : t.handle) : '';
  out += `class ${tb.kind} ${id} `;
  if (f.ifindex === 0) out += `dev ${names.name(t.ifindex)} `;
  if (t.parent >>> 0 === TC_H.ROOT) out += 'root ';
  else out += `parent ${formatClassid(f.qdisc ? minor(t.parent) : t.parent)} `;
  if (t.info) out += `leaf ${(t.info >>> 16).toString(16)}: `;
  p.rawText(out);
  const q = qdiscKind(tb.kind);
  if (tb.options !== undefined) {
    if (q?.printClass && q.classOptions) q.printClass(p, tb.options, env);
    else process.stderr.write('[cannot parse class parameters]');
  }
  p.rawText('\n');
  if (env.stats) {
    let xstats: unknown;
    if (tb.stats || tb.stats2) {
      xstats = printTcStats(p, tb, ' ', env.iec);
      p.rawText('\n');
    }
    if (xstats === undefined) xstats = tb.xstats;
    const printX = q?.printClassXstats ?? q?.printXstats;
    if (q && xstats !== undefined && printX) {
      const codec = q.printClassXstats ? q.classXstats : q.xstats;
      const x = Buffer.isBuffer(xstats) && codec ? codec.decode(xstats, 0, xstats.length, tb as Record<string, unknown>) : xstats;
      printX(p, x, env);
      p.rawText('\n');
    }
  }
}

/** A class of `tc -g class show` (tc_class.c struct graph_node; sibling lists are newest first). */
interface GraphNode {
  readonly id: number;
  readonly parentId: number;
  readonly attrs: TcAttrs;
  parent: GraphNode | undefined;
  /** The child on the path last walked through this node (tc keeps it between walks; so do we). */
  right: GraphNode | undefined;
  /** Next sibling in the list the node is in. */
  next: GraphNode | undefined;
  count: number;
}

/** `tc -g class show`: the class tree drawn as tc's graph_cls_show() draws it. */
class ClassGraph {
  private roots: GraphNode[] = [];
  private others: GraphNode[] = [];

  add(m: MessageView): void {
    if (m.type !== RTM.NEWTCLASS && m.type !== RTM.DELTCLASS) return;
    const { header, attrs } = classMessage.decode(m.buf, m.off, m.len);
    const node: GraphNode = { id: header.handle, parentId: header.parent, attrs, parent: undefined, right: undefined, next: undefined, count: 0 };
    // hlist_add_head
    (header.parent >>> 0 === TC_H.ROOT ? this.roots : this.others).unshift(node);
  }

  private static link(list: GraphNode[]): GraphNode[] {
    list.forEach((n, i) => { n.next = list[i + 1]; });
    return list;
  }

  private static indent(node: GraphNode, newline: boolean, spaces: number): string {
    let n: GraphNode = node;
    while (n.parent) { n.parent.right = n; n = n.parent; }
    let out = '';
    let cur: GraphNode | undefined = n;
    while (cur && cur.right) {
      out += cur.next ? '|    ' : '     ';
      cur = cur.right;
    }
    if (newline && cur) {
      if (cur.next && cur.count) out += '|    |';
      else if (cur.next) out += '|     ';
      else if (cur.count) out += '     |';
      else out += '      ';
    }
    if (spaces > 0) out += ' '.repeat(spaces);
    return out;
  }

  print(p: Printer, env: TcEnv): void {
    this.show(p, env, ClassGraph.link(this.roots));
  }

  private show(p: Printer, env: TcEnv, list: GraphNode[]): void {
    for (const cls of list) {
      const children: GraphNode[] = [];
      const rest: GraphNode[] = [];
      for (const c of this.others) {
        if (c.parentId === cls.id) { children.unshift(c); cls.count++; c.parent = cls; } else rest.push(c);
      }
      this.others = rest;
      ClassGraph.link(children);
      let buf = ClassGraph.indent(cls, false, 0);
      const id = formatClassid(cls.id);
      buf += `+---(${id})`;
      const tb = cls.attrs;
      if (tb.kind === undefined) {
        buf += ' [unknown qdisc kind] ';
      } else {
        buf += ` ${tb.kind} `;
        p.rawText(buf);
        buf = '';
        const q = qdiscKind(tb.kind);
        if (q?.printClass && q.classOptions && tb.options !== undefined) q.printClass(p, tb.options, env);
        if (env.stats) {
          // tc only shows statistics for kinds it has a module for; its stub for unknown kinds counts too.
          buf = ClassGraph.indent(cls, true, tb.kind.length - 2 + id.length);
          if (tb.stats || tb.stats2) {
            p.rawText('\n');
            printTcStats(p, tb, buf, env.iec);
            buf = '';
          }
          if (cls.next || cls.count) buf += '\n' + ClassGraph.indent(cls, true, 0);
        }
      }
      p.rawText(`${buf}\n`);
      this.show(p, env, children);
      p.rawText(cls.next ? '' : `${ClassGraph.indent(cls, false, 0)}\n`);
    }
  }
}

/** tc_class_list() */
async function list(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const f: ClassShowFilter = { ifindex: 0, qdisc: 0, classid: 0 };
  let dev = '';
  let parent = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === 'dev') {
      if (++i >= argv.length) incomplete();
      if (dev) duparg('dev', argv[i]!);
      dev = argv[i]!.slice(0, 15);
    } else if (a === 'qdisc') {
      if (++i >= argv.length) incomplete();
      if (f.qdisc) duparg('qdisc', argv[i]!);
      const h = parseQdiscHandle(argv[i]!);
      if (h === null) invarg('invalid qdisc ID', argv[i]!);
      f.qdisc = h!;
    } else if (a === 'classid') {
      if (++i >= argv.length) incomplete();
      if (f.classid) duparg('classid', argv[i]!);
      const h = parseClassid(argv[i]!);
      if (h === null) invarg('invalid class ID', argv[i]!);
      f.classid = h!;
    } else if (a === 'root') {
      if (parent) throw new CliError('Error: "root" is duplicate parent ID', 255);
      parent = TC_H.ROOT;
    } else if (a === 'parent') {
      if (parent) duparg('parent', a);
      if (++i >= argv.length) incomplete();
      const h = parseClassid(argv[i]!);
      if (h === null) invarg('invalid parent ID', argv[i]!);
      parent = h!;
    } else if (matches(a, 'help')) {
      usage();
    } else {
      throw new CliError(`What is "${a}"? Try "tc class help".`, 255);
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
  const header: TcMsg = { family: 0, ifindex: f.ifindex, handle: 0, parent, info: 0 };
  const build: RequestBuilder = (w, seq) => {
    const s = w.beginMessage(RTM.GETTCLASS, NLM_F.DUMP | NLM_F.REQUEST, seq);
    classMessage.encode(w, header, {});
    w.endMessage(s);
  };
  const graph = tcOptions.graph ? new ClassGraph() : undefined;
  // Without -g, classes go through the byte-level renderer (show-fast.ts); it declines what it does not print itself.
  const nl = p.lineSep;
  const fast: FastLine | undefined = !graph && !env.details && !env.raw ? (out, m) => classBytes(out, m, env, names, f, nl) : undefined;
  try {
    await showDump(net.sock, build, 'dump classes', p, graph ? (m) => graph.add(m) : (m) => printClass(p, m, env, names, f), fast);
    graph?.print(p, env);
  } catch (e) {
    if (e instanceof NetlinkError) {
      p.flush();
      process.stderr.write(kernelErrorText(e));
      process.stderr.write('Dump terminated\n');
      return 1;
    }
    throw e;
  }
  p.flush();
  return 0;
}

/** `tc class …` (do_class). */
export default async function tcClass(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const cmd = argv[0];
  if (cmd === undefined) return list(ctx, []);
  const rest = argv.slice(1);
  if (matches(cmd, 'add')) return modify(ctx, 'add', rest);
  if (matches(cmd, 'change')) return modify(ctx, 'change', rest);
  if (matches(cmd, 'replace')) return modify(ctx, 'replace', rest);
  if (matches(cmd, 'delete')) return modify(ctx, 'del', rest);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return list(ctx, rest);
  if (matches(cmd, 'help')) {
    usage();
    return 0;
  }
  throw new CliError(`Command "${cmd}" is unknown, try "tc class help".`, 255);
}
