/**
 * `ip neigh`: show, flush, get, add, del, change, replace — grammar, output
 * and errors as iproute2's ip/ipneigh.c.
 * @module
 */
import { Args, CliError, matches, invarg, duparg, duparg2 } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { ANY, FP, JSON_ONLY, Printer } from '../../output/printer.js';
import { COLOR_IFNAME, COLOR_MAC, familyColor } from '../../output/color.js';
import { RTM, NLM_F } from '../../netlink/constants.js';
import { neighMessage, NUD, NTF, NTF_EXT, type NeighAttrs } from '../../netlink/rtnetlink/neighbor-schema.js';
import { rtRequest } from '../../netlink/rtnetlink/request.js';
import { decodeNeighbor, nudStateNames, type Neighbor } from '../../netlink/neighbor.js';
import { formatAddress, formatLladdr } from '../../netlink/addr.js';
import type { NdMsg } from '../../netlink/structs.js';
import type { MessageView, RequestBuilder } from '../../netlink/socket.js';
import { getAddr, getPrefix, getUnsigned, type InetPrefix } from './inet-args.js';
import { protoId, protoName } from './rtnl-names.js';
import { dumpTerminated } from './rule.js';
import { LinkMap, llAddrText } from './ll-map.js';
import { formatHost, prefetchHosts, withHosts } from './resolve.js';

const USAGE = `Usage: ip neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }
                [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]
                [ protocol PROTO ]

	ip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
				  [ vrf NAME ] [ nomaster ]
	ip neigh get { ADDR | proxy ADDR } dev DEV

STATE := { delay | failed | incomplete | noarp | none |
           permanent | probe | reachable | stale }`;

function usage(): never {
  throw new CliError(USAGE);
}

/** nud_state_a2n(): undefined when invalid. */
function nudStateA2n(arg: string): number | undefined {
  if (matches(arg, 'permanent')) return NUD.PERMANENT;
  if (matches(arg, 'reachable')) return NUD.REACHABLE;
  if (arg === 'noarp') return NUD.NOARP;
  if (arg === 'none') return NUD.NONE;
  if (arg === 'stale') return NUD.STALE;
  if (arg === 'incomplete') return NUD.INCOMPLETE;
  if (arg === 'delay') return NUD.DELAY;
  if (arg === 'probe') return NUD.PROBE;
  if (matches(arg, 'failed')) return NUD.FAILED;
  const v = getUnsigned(arg);
  if (v === undefined || v >= 0x100 || (v & (v - 1))) return undefined;
  return v;
}

/** ll_addr_a2n(): bytes, or a CliError with iproute2's text (exit 1). */
export function llAddrA2n(arg: string, max = 20): Buffer {
  const bad = (s: string): never => { throw new CliError(`"${s}" is invalid lladdr.`, 1); };
  if (arg.includes('.')) {
    const p = getAddrOrUndefined(arg);
    if (!p) bad(arg);
    return p!;
  }
  const out: number[] = [];
  const parts = arg.split(':');
  for (let i = 0; i < parts.length && i < max; i++) {
    const m = /^[ \t\n]*([+-]?)(?:0[xX])?([0-9a-fA-F]+)/.exec(parts[i]!);
    if (!m) bad(parts[i]!);
    const v = parseInt(m![2]!, 16) * (m![1] === '-' ? -1 : 1);
    if (v < 0 || v > 255) bad(parts[i]!);
    out.push(v);
  }
  return Buffer.from(out);
}

function getAddrOrUndefined(arg: string): Buffer | undefined {
  try {
    const a = getAddr(arg, 2);
    return a.family === 2 ? a.bytes : undefined;
  } catch {
    return undefined;
  }
}

/** ipneigh_modify(): resolve device names with `index` only after the whole line is valid. */
async function modify(ctx: CliContext, args: Args, type: number, flags: number): Promise<number> {
  const build = neighModifyRequest(args, ctx.opts.family, type, flags, await linkIndexer(ctx, args));
  const nl = await ctx.netlink();
  await nl.socket.request(build, 'neighbor');
  return 0;
}

/** A name → ifindex lookup backed by one link dump, loaded only when the command names a device. */
async function linkIndexer(ctx: CliContext, args: Args): Promise<(name: string) => number> {
  const links = args.left ? await LinkMap.load(ctx) : undefined;
  return (name) => links?.index(name) ?? 0;
}

/**
 * Parse `ip neigh add|del|change|replace` arguments (ipneigh_modify) into a
 * request, validating everything first; the request bytes equal iproute2's.
 * Throws CliError with iproute2's text and exit status.
 */
export function neighModifyRequest(args: Args, family: number, type: number, flags: number, index: (name: string) => number): RequestBuilder {
  const header: NdMsg = { family, ifindex: 0, state: NUD.PERMANENT, flags: 0, type: 0 };
  const attrs: NeighAttrs = {};
  let extFlags = 0;
  let dev: string | undefined;
  let dst: InetPrefix | undefined;
  let devOk = false;
  let lla: string | undefined;
  while (args.left) {
    const t = args.next()!;
    if (matches(t, 'lladdr')) {
      const v = args.value();
      if (lla !== undefined) duparg('lladdr', v);
      lla = v;
    } else if (t === 'nud') {
      const v = args.value();
      const s = nudStateA2n(v);
      if (s === undefined) invarg('nud state is bad', v);
      header.state = s;
    } else if (matches(t, 'proxy')) {
      const v = args.value();
      if (matches(v, 'help')) usage();
      if (dst) duparg('address', v);
      dst = getAddr(v, family);
      devOk = true;
      header.flags |= NTF.PROXY;
    } else if (t === 'router') {
      header.flags |= NTF.ROUTER;
    } else if (t === 'use') {
      header.flags |= NTF.USE;
    } else if (t === 'managed') {
      extFlags |= NTF_EXT.MANAGED;
      header.state = NUD.NONE;
    } else if (matches(t, 'extern_learn')) {
      header.flags |= NTF.EXT_LEARNED;
    } else if (t === 'dev') {
      dev = args.value();
      devOk = true;
    } else if (matches(t, 'protocol')) {
      const v = args.value();
      const p = protoId(v);
      if (p === undefined) invarg('"protocol" value is invalid\n', v);
      attrs.protocol = p;
    } else {
      let v = t;
      if (v === 'to') v = args.value();
      if (matches(v, 'help')) v = args.value();
      if (dst) duparg2('to', v);
      dst = getAddr(v, family);
    }
  }
  if (!devOk || !dst || dst.family === 0) throw new CliError('Device and destination are required arguments.');
  header.family = dst.family;
  const before: NeighAttrs = attrs.protocol !== undefined ? { protocol: attrs.protocol } : {};
  const after: NeighAttrs = {};
  if (extFlags) after.flags_ext = extFlags;
  if (lla !== undefined && lla !== 'null') after.lladdr = formatLladdr(llAddrA2n(lla));
  if (dev !== undefined) {
    header.ifindex = index(dev);
    if (!header.ifindex) throw new CliError(`Cannot find device "${dev}"`, 1);
  }
  const dstBytes = dst.bytes;
  return (w, seq) => {
    const start = w.beginMessage(type, flags | NLM_F.REQUEST | NLM_F.ACK, seq);
    neighMessage.header.encode(w, header, {});
    w.pad4();
    neighMessage.attrs.encode(w, before, {});
    // NDA_DST raw: `any`/`all` send it empty, which the address codec cannot express.
    const at = w.beginAttr(neighMessage.attrs.fields.dst!.type);
    w.bytes(dstBytes);
    w.endAttr(at);
    neighMessage.attrs.encode(w, after, {});
    w.endMessage(start);
  };
}

/** print_neigh() for one entry. */
function printNeigh(ctx: CliContext, p: Printer, n: Neighbor, links: LinkMap, filterIndex: number, msgType: number): void {
  const a = n.raw.attrs;
  p.openObject();
  if (msgType === RTM.DELNEIGH) p.bool(ANY, 'deleted', 'Deleted ', true);
  else if (msgType === RTM.GETNEIGH) p.null(ANY, 'miss', '%s ', 'miss');
  const dst = a.dst;
  const lladdr = a.lladdr !== undefined ? llAddrText(a.lladdr, links.type(n.ifindex)) : undefined;
  if (ctx.opts.brief) {
    if (dst !== undefined) p.colorString(ANY, familyColor(n.family), 'dst', '%-39s ', formatHost(dst));
    if (!filterIndex && n.ifindex) p.colorString(ANY, COLOR_IFNAME, 'dev', '%-16s ', links.name(n.ifindex));
    if (lladdr !== undefined) p.colorString(ANY, COLOR_MAC, 'lladdr', '%s', lladdr);
    p.string(FP, null, '%s', '\n');
    p.closeObject();
    return;
  }
  if (dst !== undefined) p.colorString(ANY, familyColor(n.family), 'dst', '%s ', formatHost(dst));
  if (!filterIndex && n.ifindex) {
    p.text('dev ');
    p.colorString(ANY, COLOR_IFNAME, 'dev', '%s ', links.name(n.ifindex));
  }
  if (lladdr !== undefined) {
    p.text('lladdr ');
    p.colorString(ANY, COLOR_MAC, 'lladdr', '%s ', lladdr);
  }
  if (n.flags & NTF.ROUTER) p.null(ANY, 'router', '%s ', 'router');
  if (n.flags & NTF.PROXY) p.null(ANY, 'proxy', '%s ', 'proxy');
  if (n.extFlags & NTF_EXT.MANAGED) p.null(ANY, 'managed', '%s ', 'managed');
  if (n.flags & NTF.EXT_LEARNED) p.null(ANY, 'extern_learn', '%s ', 'extern_learn');
  if (n.flags & NTF.OFFLOADED) p.null(ANY, 'offload', '%s ', 'offload');
  if (ctx.opts.stats) {
    const ci = a.cacheinfo;
    if (ci) {
      const hz = 100;
      if (ci.ndm_refcnt) p.uint(ANY, 'refcnt', ' ref %u', ci.ndm_refcnt);
      p.uint(ANY, 'used', ' used %u', Math.floor(ci.ndm_used / hz));
      p.uint(ANY, 'confirmed', '/%u', Math.floor(ci.ndm_confirmed / hz));
      p.uint(ANY, 'updated', '/%u', Math.floor(ci.ndm_updated / hz));
    }
    if (a.probes !== undefined) p.uint(ANY, 'probes', 'probes %u ', a.probes);
  }
  if (n.ndmState) {
    p.openArray(JSON_ONLY, 'state');
    for (const s of nudStateNames(n.ndmState)) p.string(ANY, null, '%s ', s);
    p.closeArray(JSON_ONLY, '');
  }
  const protocol = a.protocol ?? 0;
  if (protocol) p.string(ANY, 'protocol', 'proto %s ', protoName(protocol, ctx.opts.numeric > 0));
  p.string(FP, null, '\n', '');
  p.closeObject();
}

interface ShowFilter {
  family: number;
  index: number;
  master: number;
  state: number;
  unusedOnly: boolean;
  pfx: InetPrefix | undefined;
  protocol: number;
  proxy: boolean;
}

/** The user-space part of print_neigh()'s filtering. */
function passes(f: ShowFilter, n: Neighbor): boolean {
  if (f.family && f.family !== n.family) return false;
  if (f.index && f.index !== n.ifindex) return false;
  if (!(f.state & n.ndmState) && !(n.flags & NTF.PROXY) && !(n.flags & NTF.EXT_LEARNED) && (n.ndmState || !(f.state & 0x100))) return false;
  if (f.pfx && !addrMatch(f.pfx, n.raw.attrs.dst)) return false;
  if (f.protocol && f.protocol !== (n.raw.attrs.protocol ?? 0)) return false;
  if (f.unusedOnly && n.raw.attrs.cacheinfo && n.raw.attrs.cacheinfo.ndm_refcnt) return false;
  return true;
}

/** inet_addr_match_rta(): true when `addr` is inside the prefix (any prefix of length 0 matches). */
function addrMatch(pfx: InetPrefix, addr: string | undefined): boolean {
  if (!pfx.bitlen) return true;
  if (addr === undefined) return false;
  const b = addr.includes(':') ? 16 : 4;
  if (b !== pfx.bytes.length) return false;
  const x = Buffer.from(addrBytes(addr));
  const bits = pfx.bitlen;
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (x[i] !== pfx.bytes[i]) return false;
  const rest = bits & 7;
  return !rest || ((x[whole]! ^ pfx.bytes[whole]!) & ((0xff << (8 - rest)) & 0xff)) === 0;
}

function addrBytes(addr: string): Buffer {
  return getAddr(addr, addr.includes(':') ? 10 : 2).bytes;
}

/** do_show_or_flush() */
async function showOrFlush(ctx: CliContext, args: Args, flush: boolean): Promise<number> {
  const f: ShowFilter = {
    family: ctx.opts.family, index: 0, master: 0, state: 0xff & ~NUD.NOARP, unusedOnly: false, pfx: undefined, protocol: 0, proxy: false,
  };
  let filterDev: string | undefined;
  let masterName: string | undefined;
  let vrfName: string | undefined;
  let stateGiven = false;
  if (flush) {
    if (!args.left) throw new CliError('Flush requires arguments.', 1);
    f.state = ~(NUD.PERMANENT | NUD.NOARP);
  }
  while (args.left) {
    const t = args.next()!;
    if (t === 'dev') {
      const v = args.value();
      if (filterDev !== undefined) duparg('dev', v);
      filterDev = v;
    } else if (t === 'master') {
      masterName = args.value();
      vrfName = undefined;
    } else if (t === 'vrf') {
      vrfName = args.value();
      masterName = undefined;
    } else if (t === 'nomaster') {
      f.master = -1;
      masterName = vrfName = undefined;
    } else if (t === 'unused') {
      f.unusedOnly = true;
    } else if (t === 'nud') {
      const v = args.value();
      if (!stateGiven) { stateGiven = true; f.state = 0; }
      let s = nudStateA2n(v);
      if (s === undefined) {
        if (v !== 'all') invarg('nud state is bad', v);
        s = ~0;
        if (flush) s &= ~NUD.NOARP;
      }
      if (s === 0) s = 0x100;
      f.state |= s;
    } else if (t === 'proxy') {
      f.proxy = true;
    } else if (matches(t, 'protocol')) {
      const v = args.value();
      let p = protoId(v);
      if (p === undefined) {
        if (v !== 'all') invarg('invalid "protocol"\n', v);
        p = 0;
      }
      f.protocol = p;
    } else {
      let v = t;
      if (v === 'to') v = args.value();
      if (matches(v, 'help')) usage();
      const pfx = getPrefixOr(v, f.family);
      if (!pfx) invarg('to value is invalid\n', v);
      f.pfx = pfx;
      if (f.family === 0) f.family = pfx.family;
    }
  }
  const links = await LinkMap.load(ctx);
  if (masterName !== undefined) {
    f.master = links.index(masterName);
    if (!f.master) invarg('Device does not exist\n', masterName);
  }
  if (vrfName !== undefined) {
    const i = links.index(vrfName);
    if (!i || links.kind(i) !== 'vrf') invarg('Not a valid VRF name\n', vrfName);
    f.master = i;
  }
  if (filterDev !== undefined) {
    f.index = links.index(filterDev);
    if (!f.index) throw new CliError(`Cannot find device "${filterDev}"`, 1);
  }
  const nl = await ctx.netlink();
  const header: NdMsg = { family: f.family, ifindex: 0, state: 0, flags: f.proxy ? NTF.PROXY : 0, type: 0 };
  const dumpAttrs: NeighAttrs = {};
  if (f.index) dumpAttrs.ifindex = f.index;
  if (f.master) dumpAttrs.master = f.master >>> 0;
  const dump = (): AsyncIterable<{ m: Neighbor; type: number }> => nl.socket.dump(
    rtRequest(neighMessage, RTM.GETNEIGH, NLM_F.DUMP, header, dumpAttrs),
    (m: MessageView) => (m.type === RTM.NEWNEIGH || m.type === RTM.DELNEIGH || m.type === RTM.GETNEIGH ? { m: decodeNeighbor(m), type: m.type } : undefined),
    'dump neighbors', { interrupted: 'partial' },
  );

  if (flush) return flushRounds(ctx, f, links, dump);

  const p = ctx.printer;
  p.start();
  try {
    for await (const { m, type } of await withHosts(ctx.opts.resolve, dump())) {
      if (!passes(f, m)) continue;
      printNeigh(ctx, p, m, links, f.index, type);
    }
  } catch (e) {
    return dumpTerminated(ctx, e, 1);
  }
  p.finish();
  return 0;
}

function getPrefixOr(v: string, family: number): InetPrefix | undefined {
  return getPrefix(v, family);
}

/** The flush loop of do_show_or_flush(): up to 10 rounds, reporting with -s. */
async function flushRounds(ctx: CliContext, f: ShowFilter, links: LinkMap, dump: () => AsyncIterable<{ m: Neighbor; type: number }>): Promise<number> {
  const nl = await ctx.netlink();
  const text = new Printer(ctx.sink, { lineSep: ctx.printer.lineSep });
  const out = (s: string): void => ctx.printer.text('%s', s);
  for (let round = 0; round < 10; round++) {
    const victims: Neighbor[] = [];
    for await (const { m, type } of dump()) {
      if (type !== RTM.NEWNEIGH || !passes(f, m)) continue;
      victims.push(m);
      // With -s -s, iproute2 also prints each entry it flushes (as text: flush never opens JSON).
      if (ctx.opts.stats >= 2) printNeigh(ctx, text, m, links, f.index, type);
    }
    if (!victims.length) {
      if (ctx.opts.stats) {
        if (round === 0) out('Nothing to flush.\n');
        else out(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      }
      ctx.printer.flush();
      return 0;
    }
    await Promise.all(victims.map(async (n) => {
      try {
        await nl.socket.request(rtRequest(neighMessage, RTM.DELNEIGH, NLM_F.ACK, n.raw.header, n.raw.attrs), 'flush neighbor');
      } catch {
        // Gone in the meantime, or not deletable: the next round's dump decides.
      }
    }));
    if (ctx.opts.stats) out(`\n*** Round ${round + 1}, deleting ${victims.length} entries ***\n`);
    f.state &= ~NUD.FAILED;
  }
  out('*** Flush not complete bailing out after 10 rounds\n');
  ctx.printer.flush();
  return 1;
}

/** ipneigh_get() */
async function get(ctx: CliContext, args: Args): Promise<number> {
  const family = ctx.opts.family;
  let d: string | undefined;
  let dst: InetPrefix | undefined;
  let devOk = false;
  let flags = 0;
  while (args.left) {
    const t = args.next()!;
    if (t === 'dev') {
      d = args.value();
      devOk = true;
    } else if (matches(t, 'proxy')) {
      const v = args.value();
      if (matches(v, 'help')) usage();
      if (dst) duparg('address', v);
      dst = getAddr(v, family);
      devOk = true;
      flags |= NTF.PROXY;
    } else {
      let v = t;
      if (v === 'to') v = args.value();
      if (matches(v, 'help')) usage();
      if (dst) duparg2('to', v);
      dst = getAddr(v, family);
    }
  }
  if (!devOk || !dst || dst.family === 0) throw new CliError('Device and address are required arguments.', 1);
  const links = await LinkMap.load(ctx);
  let ifindex = 0;
  if (d !== undefined) {
    ifindex = links.index(d);
    if (!ifindex) throw new CliError(`Cannot find device "${d}"`, 1);
  }
  const header: NdMsg = { family: dst.family, ifindex, state: 0, flags, type: 0 };
  const body: NeighAttrs = dst.bytes.length ? { dst: formatAddress(dst.bytes) } : {};
  const nl = await ctx.netlink();
  const m = await nl.socket.get(rtRequest(neighMessage, RTM.GETNEIGH, NLM_F.ACK, header, body), 'get neighbor');
  // iproute2 6.1 never opens its JSON writer here: the answer is text even with -j.
  const p = new Printer(ctx.sink, { lineSep: ctx.printer.lineSep });
  const n = decodeNeighbor(m);
  if (ctx.opts.resolve) await prefetchHosts(n);
  printNeigh(ctx, p, n, links, 0, m.type);
  p.flush();
  return 0;
}

/** `ip neigh …` (do_ipneigh) */
export default async function ipNeigh(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined) return showOrFlush(ctx, args, false);
  if (matches(cmd, 'add')) return modify(ctx, args, RTM.NEWNEIGH, NLM_F.CREATE | NLM_F.EXCL);
  if (matches(cmd, 'change') || cmd === 'chg') return modify(ctx, args, RTM.NEWNEIGH, NLM_F.REPLACE);
  if (matches(cmd, 'replace')) return modify(ctx, args, RTM.NEWNEIGH, NLM_F.CREATE | NLM_F.REPLACE);
  if (matches(cmd, 'delete')) return modify(ctx, args, RTM.DELNEIGH, 0);
  if (matches(cmd, 'get')) return get(ctx, args);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return showOrFlush(ctx, args, false);
  if (matches(cmd, 'flush')) return showOrFlush(ctx, args, true);
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip neigh help".`);
}
