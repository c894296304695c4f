/**
 * `tc filter add|del|replace|change|get|show`, as iproute2's tc/tc_filter.c:
 * the same grammar, errors, exit statuses, request bytes and output (text
 * and JSON), with the classifiers and actions of src/tc/filters and
 * src/tc/actions.
 * @module
 */
import '../../tc/filters/index.js';
import { CliError, matches } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { kernelErrorText } from '../common/errors.js';
import { NetlinkError } from '../../netlink/errors.js';
import { NLM_F, RTM } from '../../netlink/constants.js';
import type { MessageView } from '../../netlink/socket.js';
import type { TcMsg } from '../../netlink/structs.js';
import { rtRequest } from '../../netlink/rtnetlink/request.js';
import { ANY, FP, type Printer } from '../../output/printer.js';
import { COLOR_IFNAME } from '../../output/color.js';
import { TcArgError, type TcEnv } from '../../tc/kind.js';
import { filterKind, llProtoId, llProtoName, htons, type FilterEnv } from '../../tc/filter-kind.js';
import { filterMessage, FILTER_OPS, FILTER_PARENT, TCM_IFINDEX_MAGIC_BLOCK, type FilterAttrs, type FilterOp } from '../../tc/filter.js';
import { TC_H, parseClassid, formatClassid } from '../../tc/handle.js';
import { getUnsigned } from '../../tc/kinds/util.js';
import { invarg, duparg, incomplete, fromKindError, linkMap, printTcStats, tcEnv, tcNet, tcOptions, type TcLinks } from './common.js';
import { parseEstimator, warnExtack } from './qdisc.js';

const USAGE = `Usage: tc filter [ add | del | change | replace | show ] [ dev STRING ]
       tc filter [ add | del | change | replace | show ] [ block BLOCK_INDEX ]
       tc filter get dev STRING parent CLASSID protocol PROTO handle FILTERID pref PRIO FILTER_TYPE
       tc filter get block BLOCK_INDEX protocol PROTO handle FILTERID pref PRIO FILTER_TYPE
       [ pref PRIO ] protocol PROTO [ chain CHAIN_INDEX ]
       [ estimator INTERVAL TIME_CONSTANT ]
       [ root | ingress | egress | parent CLASSID ]
       [ handle FILTERID ] [ [ FILTER_TYPE ] [ help | OPTIONS ] ]

       tc filter show [ dev STRING ] [ root | ingress | egress | parent CLASSID ]
       tc filter show [ block BLOCK_INDEX ]
Where:
FILTER_TYPE := { rsvp | u32 | bpf | fw | route | etc. }
FILTERID := ... format depends on classifier, see there
OPTIONS := ... try tc filter add <desired FILTER_KIND> help
`;

function usage(): void {
  process.stderr.write(USAGE);
}
/** A `return -1` of tc_filter_*: the message, exit status 255 (the batch goes on). */
function fail(msg: string): never {
  throw new CliError(msg, 255);
}

/** Kinds iproute2 6.1 has classifier modules for; rip says it lacks one instead of treating it as unknown. */
const IPROUTE2_FILTERS = new Set(['basic', 'bpf', 'cgroup', 'flow', 'flower', 'fw', 'matchall', 'route', 'rsvp', 'rsvp6', 'tcindex', 'u32']);

/** The filter environment of a command: devices by name and index for actions, tc's flags. */
export function filterEnv(ctx: CliContext, dev: string, names: TcLinks | undefined, protocol = 0): FilterEnv {
  const base: TcEnv = tcEnv(ctx, dev);
  return {
    ...base,
    pretty: ctx.opts.pretty,
    brief: tcOptions.brief,
    protocol,
    linkName: (i) => names ? names.name(i) : `if${i}`,
    linkIndex: (n) => names ? names.index(n) : 0,
  };
}

/** The parts of a filter command line tc reads before the kind. */
interface FilterHead {
  header: TcMsg;
  dev: string;
  block: number;
  prio: number;
  protocol: number;
  protocolSet: boolean;
  chain: number | undefined;
  fhandle: string | undefined;
  kind: string;
  est: { interval: number; ewma_log: number };
  rest: readonly string[];
}

/** The argument loop shared by tc_filter_modify() and tc_filter_get(); returns 0 for `help` (tc returns 0). */
function parseHead(argv: readonly string[], op: 'modify' | 'get', raw: boolean): FilterHead | number {
  const h: FilterHead = {
    header: { family: 0, ifindex: 0, handle: 0, parent: 0, info: 0 },
    dev: '', block: 0, prio: 0, protocol: 0, protocolSet: false, chain: undefined, fhandle: undefined, kind: '',
    est: { interval: 0, ewma_log: 0 }, rest: [],
  };
  let i = 0;
  const next = (): string => {
    if (++i >= argv.length) incomplete();
    return argv[i]!;
  };
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === 'dev') {
      const v = next();
      if (h.dev) duparg('dev', v);
      if (h.block) fail('Error: "dev" and "block" are mutually exclusive');
      h.dev = v.slice(0, 15);
    } else if (matches(a, 'block')) {
      const v = next();
      if (h.block) duparg('block', v);
      if (h.dev) fail('Error: "dev" and "block" are mutually exclusive');
      const b = getUnsigned(v, 0);
      if (b === null || !b) invarg('invalid block index value', v);
      h.block = b!;
    } else if (a === 'root' || a === 'ingress' || a === 'egress') {
      if (h.header.parent) fail(`Error: "${a}" is duplicate parent ID`);
      h.header.parent = a === 'root' ? TC_H.ROOT : a === 'ingress' ? FILTER_PARENT.INGRESS : FILTER_PARENT.EGRESS;
    } else if (a === 'parent') {
      const v = next();
      if (h.header.parent) duparg('parent', v);
      const p = parseClassid(v);
      if (p === null) invarg('Invalid parent ID', v);
      h.header.parent = p!;
    } else if (a === 'handle') {
      const v = next();
      if (h.fhandle !== undefined) duparg('handle', v);
      h.fhandle = v;
    } else if (matches(a, 'preference') || matches(a, 'priority')) {
      const v = next();
      if (h.prio) duparg('priority', v);
      const p = getUnsigned(v, 0);
      if (p === null || p > 0xffff) invarg('invalid priority value', v);
      h.prio = p!;
    } else if (matches(a, 'protocol')) {
      const v = next();
      if (h.protocolSet) duparg('protocol', v);
      const p = llProtoId(v);
      if (p === undefined) invarg('invalid protocol', v);
      h.protocol = p!;
      h.protocolSet = true;
    } else if (matches(a, 'chain')) {
      const v = next();
      if (h.chain !== undefined) duparg('chain', v);
      const c = getUnsigned(v, 0);
      if (c === null) invarg('invalid chain index value', v);
      h.chain = c!;
    } else if (op === 'modify' && matches(a, 'estimator')) {
      i = parseEstimator(argv, i, h.est, raw);
    } else if (matches(a, 'help')) {
      usage();
      return 0;
    } else {
      if (op === 'get' && a === '') invarg('invalid filter name', a);
      h.kind = a.slice(0, 15);
      i++;
      break;
    }
    i++;
  }
  h.rest = argv.slice(i);
  return h;
}

/** Run a classifier's parser; unknown kinds behave as tc's parse_nofopt(). */
function parseKind(h: FilterHead, env: TcEnv): void {
  const k = filterKind(h.kind);
  if (!k) {
    if (IPROUTE2_FILTERS.has(h.kind)) throw new CliError(`rip: filter "${h.kind}" is not supported yet`, 1);
    if (h.rest.length) throw new CliError(`Unknown filter "${h.kind}", hence option "${h.rest[0]}" is unparsable`, 1);
    if (h.fhandle !== undefined) {
      const v = getUnsigned(h.fhandle, 16);
      if (v === null) throw new CliError(`Unparsable filter ID "${h.fhandle}"`, 1);
      h.header.handle = v;
    }
    return;
  }
  let parsed;
  try {
    parsed = k.parse(h.fhandle, h.rest, env);
  } catch (e) {
    if (e instanceof TcArgError && !e.message && !e.exits) throw new CliError('', 1);
    fromKindError(e);
  }
  h.header.handle = parsed.handle;
  if (parsed.options !== undefined) (h as { options?: unknown }).options = parsed.options;
}

/** A parsed modify command: the request, and what to resolve. */
export interface ParsedFilterRequest {
  readonly header: TcMsg;
  readonly attrs: FilterAttrs;
  readonly dev: string;
  readonly block: number;
}

/**
 * tc_filter_modify()'s parsing. `names` resolves devices named by actions
 * (mirred's `dev`); the device of the command is resolved by the caller.
 * Returns a number when tc returns without sending.
 */
export function parseFilterModify(op: FilterOp, argv: readonly string[], makeEnv: (dev: string) => TcEnv, raw = false, chain = false): ParsedFilterRequest | number {
  const h = parseHead(argv, 'modify', raw);
  if (typeof h === 'number') return h;
  let protocol = h.protocol;
  // tc defaults the protocol to ETH_P_ALL when creating.
  if (!h.protocolSet && !chain && (op === 'add' || op === 'replace')) protocol = 0x0003;
  h.header.info = ((h.prio << 16) | htons(protocol)) >>> 0;
  const attrs: FilterAttrs = {};
  if (h.chain !== undefined) attrs.chain = h.chain;
  if (h.kind) attrs.kind = h.kind;
  if (h.kind) {
    // Classifiers see the command's protocol (flower derives its eth_type keys from it), host order.
    parseKind(h, { ...makeEnv(h.dev), protocol } as TcEnv);
    const o = (h as { options?: unknown }).options;
    if (o !== undefined) attrs.options = o;
  } else {
    if (h.fhandle !== undefined) fail('Must specify filter type when using "handle"');
    if (h.rest.length) {
      if (matches(h.rest[0], 'help')) usage();
      fail(`Garbage instead of arguments "${h.rest[0]} ...". Try "tc filter help".`);
    }
  }
  if (h.est.ewma_log) attrs.rate = h.est;
  if (h.block) {
    h.header.ifindex = -1;
    h.header.parent = h.block;
  }
  return { header: h.header, attrs, dev: h.dev, block: h.block };
}

async function sendOrReport(ctx: CliContext, build: Parameters<ReturnType<typeof tcNet>['request']>[0], what: string): Promise<number> {
  try {
    await tcNet(ctx).request(build, what, { onWarning: warnExtack });
  } catch (e) {
    if (e instanceof NetlinkError) {
      process.stderr.write(kernelErrorText(e));
      process.stderr.write('We have an error talking to the kernel\n');
      return 2;
    }
    throw e;
  }
  return 0;
}

/** The message types of `tc chain`: what do_chain() sends instead of filter messages. */
const CHAIN_OPS: Partial<Record<FilterOp, { type: number; flags: number }>> = {
  add: { type: RTM.NEWCHAIN, flags: NLM_F.EXCL | NLM_F.CREATE },
  del: { type: RTM.DELCHAIN, flags: 0 },
};

/** tc_filter_modify(), or do_chain()'s add/del with `chain`. */
async function modify(ctx: CliContext, op: FilterOp, argv: readonly string[], chain = false): Promise<number> {
  // Actions name devices (mirred … dev X): load the names before parsing, as tc's ll_init_map.
  const names = await linkMap(ctx);
  const parsed = parseFilterModify(op, argv, (d) => filterEnv(ctx, d, names), ctx.opts.raw, chain);
  if (typeof parsed === 'number') return parsed;
  const { header, attrs, dev } = parsed;
  if (dev) {
    const idx = names.index(dev);
    if (!idx) throw new CliError(`Cannot find device "${dev}"`, 1);
    header.ifindex = idx;
  }
  const o = chain ? CHAIN_OPS[op]! : FILTER_OPS[op];
  return sendOrReport(ctx, rtRequest(filterMessage, o.type, o.flags | NLM_F.ACK, header, attrs), `${op} ${chain ? 'chain' : 'filter'}`);
}

/** What `tc filter show` filters on (tc_filter.c's statics: fields equal to them are not printed). */
export interface FilterShowFilter {
  ifindex: number;
  block: number;
  parent: number;
  prio: number;
  /** Network order, as tcm_info carries it. */
  protocol: number;
  chain: number | undefined;
}

/** No filter (monitor). */
export const NO_FILTER_FILTER: FilterShowFilter = { ifindex: 0, block: 0, parent: 0, prio: 0, protocol: 0, chain: undefined };

/** print_filter(): one filter message as tc prints it. */
export function printFilter(p: Printer, m: MessageView, env: TcEnv, names: TcLinks, f: FilterShowFilter): void {
  const isFilter = m.type === RTM.NEWTFILTER || m.type === RTM.GETTFILTER || m.type === RTM.DELTFILTER;
  if (!isFilter && m.type !== RTM.NEWCHAIN && m.type !== RTM.GETCHAIN && m.type !== RTM.DELCHAIN) {
    process.stderr.write(`Not a filter(cmd ${m.type})\n`);
    return;
  }
  if (m.len < 20) {
    process.stderr.write(`Wrong len ${m.len - 20}\n`);
    return;
  }
  const { header: t, attrs: tb } = filterMessage.decode(m.buf, m.off, m.len);
  if (tb.kind === undefined && isFilter) {
    process.stderr.write('print_filter: NULL kind\n');
    return;
  }
  p.openObject();
  const isNew = m.type === RTM.NEWTFILTER || m.type === RTM.NEWCHAIN;
  if (m.type === RTM.DELTFILTER || m.type === RTM.DELCHAIN) p.bool(ANY, 'deleted', 'deleted ', true);
  if (isNew && m.flags & NLM_F.CREATE && !(m.flags & NLM_F.EXCL)) p.bool(ANY, 'replaced', 'replaced ', true);
  if (isNew && m.flags & NLM_F.CREATE && m.flags & NLM_F.EXCL) p.bool(ANY, 'added', 'added ', true);
  p.string(FP, null, isFilter ? 'filter ' : 'chain ', null);
  if (t.ifindex >>> 0 === TCM_IFINDEX_MAGIC_BLOCK) {
    if (!f.block || f.block !== t.parent) p.uint(ANY, 'block', 'block %u ', t.parent);
  } else {
    if (!f.ifindex || f.ifindex !== t.ifindex) {
      p.text('dev ');
      p.colorString(ANY, COLOR_IFNAME, 'dev', '%s ', names.name(t.ifindex));
    }
    if (!f.parent || f.parent !== t.parent) {
      const par = t.parent >>> 0;
      if (par === TC_H.ROOT) p.bool(ANY, 'root', 'root ', true);
      else if (par === FILTER_PARENT.INGRESS) p.bool(ANY, 'ingress', 'ingress ', true);
      else if (par === FILTER_PARENT.EGRESS) p.bool(ANY, 'egress', 'egress ', true);
      else p.string(ANY, 'parent', 'parent %s ', formatClassid(par));
    }
  }
  const protoNet = t.info & 0xffff;
  const proto = htons(protoNet);
  if (t.info && isFilter) {
    const prio = t.info >>> 16;
    if ((!f.protocol || f.protocol !== protoNet) && protoNet) p.string(ANY, 'protocol', 'protocol %s ', llProtoName(proto));
    if ((!f.prio || f.prio !== prio) && prio) p.uint(ANY, 'pref', 'pref %u ', prio);
  }
  if (tb.kind !== undefined) p.string(ANY, 'kind', '%s ', tb.kind);
  if (tb.chain !== undefined && (f.chain === undefined || f.chain !== tb.chain)) p.uint(ANY, 'chain', 'chain %u ', tb.chain);
  if (tb.options !== undefined && tb.kind !== undefined) {
    p.openObject('options');
    const k = filterKind(tb.kind);
    const fenv: FilterEnv = { ...env, protocol: proto };
    if (k && !Buffer.isBuffer(tb.options)) k.print(p, tb.options, t.handle, fenv);
    else if (IPROUTE2_FILTERS.has(tb.kind)) p.rawText(`[rip: ${tb.kind} options not decoded, optlen=${Buffer.isBuffer(tb.options) ? tb.options.length : 0}] `);
    else if (Buffer.isBuffer(tb.options) && tb.options.length) p.rawText(`fh ${(t.handle >>> 0).toString(16).padStart(8, '0')} [Unknown filter, optlen=${tb.options.length}] `);
    else if (t.handle) p.rawText(`fh ${(t.handle >>> 0).toString(16).padStart(8, '0')} `);
    p.closeObject();
  }
  p.nl();
  if (env.stats && (tb.stats || tb.stats2)) {
    printTcStats(p, tb as Parameters<typeof printTcStats>[1], ' ', env.iec);
    p.nl();
  }
  p.closeObject();
}

/** Parse `tc filter show` arguments (tc_filter_list). */
function parseList(argv: readonly string[]): { f: FilterShowFilter; dev: string; header: TcMsg } {
  const f: FilterShowFilter = { ifindex: 0, block: 0, parent: 0, prio: 0, protocol: 0, chain: undefined };
  const header: TcMsg = { family: 0, ifindex: 0, handle: 0, parent: 0, info: 0 };
  let dev = '';
  let prio = 0;
  let protocol = 0;
  let fhandle = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      if (++i >= argv.length) incomplete();
      return argv[i]!;
    };
    if (a === 'dev') {
      const v = next();
      if (dev) duparg('dev', v);
      if (f.block) fail('Error: "dev" cannot be used in the same time as "block"');
      dev = v.slice(0, 15);
    } else if (matches(a, 'block')) {
      const v = next();
      if (f.block) duparg('block', v);
      if (dev) fail('Error: "block" cannot be used in the same time as "dev"');
      const b = getUnsigned(v, 0);
      if (b === null || !b) invarg('invalid block index value', v);
      f.block = b!;
    } else if (a === 'root' || a === 'ingress' || a === 'egress') {
      if (header.parent) fail(`Error: "${a}" is duplicate parent ID`);
      header.parent = f.parent = a === 'root' ? TC_H.ROOT : a === 'ingress' ? FILTER_PARENT.INGRESS : FILTER_PARENT.EGRESS;
    } else if (a === 'parent') {
      const v = next();
      if (header.parent) duparg('parent', v);
      const p = parseClassid(v);
      if (p === null) invarg('invalid parent ID', v);
      header.parent = f.parent = p!;
    } else if (a === 'handle') {
      const v = next();
      if (fhandle) duparg('handle', v);
      fhandle = true;
    } else if (matches(a, 'preference') || matches(a, 'priority')) {
      const v = next();
      if (prio) duparg('priority', v);
      const p = getUnsigned(v, 0);
      if (p === null) invarg('invalid preference', v);
      prio = f.prio = p!;
    } else if (matches(a, 'protocol')) {
      const v = next();
      if (protocol) duparg('protocol', v);
      const p = llProtoId(v);
      if (p === undefined) invarg('invalid protocol', v);
      protocol = f.protocol = htons(p!);
    } else if (matches(a, 'chain')) {
      const v = next();
      if (f.chain !== undefined) duparg('chain', v);
      const c = getUnsigned(v, 0);
      if (c === null) invarg('invalid chain index value', v);
      f.chain = c!;
    } else if (matches(a, 'help')) {
      usage();
    } else {
      fail(` What is "${a}"? Try "tc filter help"`);
    }
  }
  header.info = ((prio << 16) + protocol) >>> 0;
  return { f, dev, header };
}

/** tc_filter_list() */
async function list(ctx: CliContext, argv: readonly string[], chain = false): Promise<number> {
  const { f, dev, header } = parseList(argv);
  const net = tcNet(ctx);
  const names = await linkMap(ctx);
  if (dev) {
    f.ifindex = names.index(dev);
    if (!f.ifindex) throw new CliError(`Cannot find device "${dev}"`, 1);
    header.ifindex = f.ifindex;
  } else if (f.block) {
    header.ifindex = -1;
    header.parent = f.block;
  }
  const attrs: FilterAttrs = {};
  if (f.chain !== undefined) attrs.chain = f.chain;
  if (tcOptions.brief) attrs.dump_flags = { value: 1, selector: 1 };
  const env = filterEnv(ctx, dev, names);
  const p = ctx.printer;
  const stream = net.sock.dump<MessageView>((w, seq) => {
    const s = w.beginMessage(chain ? RTM.GETCHAIN : RTM.GETTFILTER, NLM_F.DUMP | NLM_F.REQUEST, seq);
    filterMessage.encode(w, header, attrs);
    w.endMessage(s);
  }, (m) => m, 'dump filters', { interrupted: 'partial' });
  p.start();
  try {
    for await (const batch of stream.batches()) {
      for (const m of batch) printFilter(p, m, env, names, f);
    }
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

/** tc_filter_get() */
async function get(ctx: CliContext, argv: readonly string[], chain = false): Promise<number> {
  const h = parseHead(argv, 'get', ctx.opts.raw);
  if (typeof h === 'number') return h;
  if (!chain) {
    if (!h.protocolSet) fail('Must specify filter protocol');
    if (!h.prio) fail('Must specify filter priority');
    h.header.info = ((h.prio << 16) | htons(h.protocol)) >>> 0;
  }
  const attrs: FilterAttrs = {};
  if (h.chain !== undefined) attrs.chain = h.chain;
  if (h.header.parent === 0) fail('Must specify filter parent');
  if (!chain) {
    if (!h.kind) fail('Must specify filter type');
    attrs.kind = h.kind;
  }
  const names = await linkMap(ctx);
  const f: FilterShowFilter = { ...NO_FILTER_FILTER };
  if (h.dev) {
    h.header.ifindex = names.index(h.dev);
    if (!h.header.ifindex) throw new CliError(`Cannot find device "${h.dev}"`, 1);
    f.ifindex = h.header.ifindex;
  } else if (h.block) {
    h.header.ifindex = -1;
    h.header.parent = h.block;
    f.block = h.block;
  } else {
    fail('Must specify netdevice "dev" or block index "block"');
  }
  const env = filterEnv(ctx, h.dev, names, h.protocol);
  if (!chain) {
    parseKind(h, env);
    const o = (h as { options?: unknown }).options;
    if (o !== undefined) attrs.options = o;
    if (h.fhandle === undefined) fail('Must specify filter "handle"');
  }
  // tc hands parse_fopt a copy of argc: whatever follows the kind is garbage to tc_filter_get itself.
  if (h.rest.length) {
    if (matches(h.rest[0], 'help')) usage();
    fail(`Garbage instead of arguments "${h.rest[0]} ...". Try "tc filter help".`);
  }
  let replies: MessageView[];
  try {
    // tc sends NLM_F_ECHO and waits for the reply; the ACK we add lets the socket complete the request.
    replies = await tcNet(ctx).sock.request(rtRequest(filterMessage, chain ? RTM.GETCHAIN : RTM.GETTFILTER, NLM_F.ECHO | NLM_F.ACK, h.header, attrs), `get ${chain ? 'chain' : 'filter'}`);
  } catch (e) {
    if (e instanceof NetlinkError) {
      process.stderr.write(kernelErrorText(e));
      process.stderr.write('We have an error talking to the kernel\n');
      return 2;
    }
    throw e;
  }
  const p = ctx.printer;
  p.start();
  const m = replies.find((r) => r.type === RTM.NEWTFILTER || r.type === RTM.GETTFILTER || r.type === RTM.NEWCHAIN || r.type === RTM.GETCHAIN);
  if (m) printFilter(p, m, env, names, f);
  p.finish();
  return 0;
}

/** `tc filter …` (do_filter). */
export default async function tcFilter(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const cmd = argv[0];
  if (cmd === undefined) return list(ctx, []);
  const rest = argv.slice(1);
  if (matches(cmd, 'add')) return modify(ctx, 'add', rest);
  if (matches(cmd, 'change')) return modify(ctx, 'change', rest);
  if (matches(cmd, 'replace')) return modify(ctx, 'replace', rest);
  if (matches(cmd, 'delete')) return modify(ctx, 'del', rest);
  if (matches(cmd, 'get')) return get(ctx, rest);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return list(ctx, rest);
  if (matches(cmd, 'help')) {
    usage();
    return 0;
  }
  fail(`Command "${cmd}" is unknown, try "tc filter help".`);
}

const CHAIN_USAGE = `Usage: tc chain [ add | del | get | show ] [ dev STRING ]
       tc chain [ add | del | get | show ] [ block BLOCK_INDEX ] ]
`;

/** \`tc chain …\` (do_chain): chains and chain templates, through the filter code paths with RTM_*CHAIN. */
export async function tcChain(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const cmd = argv[0];
  if (cmd === undefined) return list(ctx, [], true);
  const rest = argv.slice(1);
  if (matches(cmd, 'add')) return modify(ctx, 'add', rest, true);
  if (matches(cmd, 'delete')) return modify(ctx, 'del', rest, true);
  if (matches(cmd, 'get')) return get(ctx, rest, true);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return list(ctx, rest, true);
  if (matches(cmd, 'help')) {
    process.stderr.write(CHAIN_USAGE);
    return 0;
  }
  fail(`Command "${cmd}" is unknown, try "tc chain help".`);
}
