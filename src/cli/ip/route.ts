/**
 * `ip route`: show/list, flush, get, and add/del/change/replace/append/
 * prepend/test, as iproute2 6.1's ip/iproute.c (grammar, output, errors and
 * exit status). `ip route show` streams the dump and renders text in large
 * chunks, so a million routes print in about the time iproute2 takes.
 * In `ip -batch`, route modifications are pipelined (see {@link pipeline}).
 * @module
 */
import { Args, CliError, invarg, matches, incomplete } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { reportError, kernelErrorText } from '../common/errors.js';
import { NetlinkError } from '../../netlink/errors.js';
import type { Netlink } from '../../netlink/netlink.js';
import { nameRoute, routeDumpRequest, decodeRoute, ROUTE_OPS, type Route } from '../../netlink/route.js';
import { decodeRouteInto, type MutableRoute } from '../../netlink/route-decode.js';
import { routeMessage, decodeEncap } from '../../netlink/rtnetlink/route-schema.js';
import { rtRequest } from '../../netlink/rtnetlink/request.js';
import { RTM, NLM_F } from '../../netlink/constants.js';
import type { RtMsg } from '../../netlink/structs.js';
import type { RouteAttrs } from '../../netlink/rtnetlink/route-schema.js';
import type { MessageView } from '../../netlink/socket.js';
import { parseModify, modifyOp, applyIfindexes, type ParsedModify } from './route-modify.js';
import { FastRouteLine } from './route-batch-fast.js';
import { fastRoutesAllowed, nativeRouteLines, type NativeRouteLines } from './route-batch-native.js';
import { getPrefix, getAddr, getUnsigned, getU8, prefixAddrText, AF_UNSPEC, AF_INET, AF_INET6 } from './route-args.js';
import { dsfieldId, setNumeric } from './route-names.js';
import { routeText, routeJson, routeJsonText, defaultPrintOptions, type RoutePrintOptions, type NexthopInfo } from './route-print.js';
import { routeUsage } from './route-usage.js';
import { savePrep, saveMessage, showdumpMessages, viewOf, restore } from './route-save.js';
import { ReturnedError, type BatchSink } from './main.js';
import { prefetchHosts } from './resolve.js';
import { parseSelectors, filterRoute, printOptionsFor, type ListSpec } from './route-filter.js';

const RT_TABLE_MAIN = 254;
const RTM_F_NOTIFY = 0x100;
const RTM_F_LOOKUP_TABLE = 0x1000;
const RTM_F_FIB_MATCH = 0x2000;
const RTN_UNREACHABLE = 7;
const ENOENT = 2;

// ---------------------------------------------------------------- interface names

/** ifindex ↔ name of the context's namespace, loaded once and refreshed on a miss (a batch may create links). */
const nameCache = new WeakMap<CliContext, { byIndex: Map<number, string>; byName: Map<string, number> }>();

async function linkNames(ctx: CliContext, refresh = false): Promise<{ byIndex: Map<number, string>; byName: Map<string, number> }> {
  let c = nameCache.get(ctx);
  if (!c || refresh) {
    const nl = await ctx.netlink();
    const byIndex = await nl.route.linkNames();
    const byName = new Map<string, number>();
    for (const [i, n] of byIndex) byName.set(n, i);
    c = { byIndex, byName };
    nameCache.set(ctx, c);
  }
  return c;
}

/** ll_name_to_index: 0 when unknown ("ifN" means index N, as iproute2). */
async function ifindexOf(ctx: CliContext, name: string): Promise<number> {
  let c = await linkNames(ctx);
  let i = c.byName.get(name);
  if (i === undefined) {
    c = await linkNames(ctx, true);
    i = c.byName.get(name);
  }
  if (i !== undefined) return i;
  const m = /^if(\d+)$/.exec(name);
  return m ? Number(m[1]) : 0;
}

/** nodev(): "Cannot find device" and exit status 1. */
function nodev(name: string): never {
  throw new ReturnedError(`Cannot find device "${name}"`, 1);
}

// ---------------------------------------------------------------- modify

async function resolveModify(ctx: CliContext, p: ParsedModify): Promise<void> {
  const idx = new Map<string, number>();
  const names = [p.dev, ...p.nexthopDevs].filter((d): d is string => d !== undefined);
  for (const d of names) {
    const i = await ifindexOf(ctx, d);
    if (!i) nodev(d);
    idx.set(d, i);
  }
  applyIfindexes(p, (d) => idx.get(d)!);
}

/** `ip route add|del|…`: parse, validate, resolve names, send, and wait for the kernel's answer. */
async function modify(ctx: CliContext, verb: string, args: Args): Promise<void> {
  const op = modifyOp(verb)!;
  const argv = args.rest();
  // seg6local iif/oif and xfrm link_dev are resolved while parsing (as iproute2 does).
  const names = argv.includes('encap') ? (await linkNames(ctx)).byName : undefined;
  const p = parseModify(op, argv, ctx.opts.family, (n) => names?.get(n) ?? 0);
  await resolveModify(ctx, p);
  const nl = await ctx.netlink();
  await nl.route.modify(op, p.header, p.attrs, {}, p.what);
}

/** Queue a parsed modification into a batch (RTA_OIF etc. already resolved). */
function queueModify(p: ParsedModify, sink: BatchSink): true {
  const o = ROUTE_OPS[p.op];
  sink.request(routeMessage, o.type, o.flags, p.header, p.attrs);
  return true;
}

/** The `-batch` slow path: resolve names (loading or refreshing the name cache), then queue. */
async function resolveAndQueue(ctx: CliContext, p: ParsedModify, sink: BatchSink): Promise<boolean> {
  await resolveModify(ctx, p);
  return queueModify(p, sink);
}

/**
 * The `-batch` hook: for a route modification, parse and validate the line
 * and queue its request into the batch without waiting for the answer, so
 * many lines are in flight at once. Anything else returns false and is run
 * normally by the batch runner. Synchronous when every interface name is
 * already known (the common case), asynchronous when one needs a lookup.
 */
export function pipeline(ctx: CliContext, args: Args, sink: BatchSink): boolean | Promise<boolean> {
  const verb = args.peek();
  if (verb === undefined || ctx.opts.echo) return false;
  const op = modifyOp(verb);
  if (op === undefined) return false;
  args.next();
  const names = nameCache.get(ctx);
  const argv = args.rest();
  // An encapsulation may name interfaces (seg6local iif/oif, xfrm link_dev), resolved while parsing:
  // without the names at hand, the line runs the ordinary way.
  if (!names && argv.includes('encap')) return false;
  const p = parseModify(op, argv, ctx.opts.family, (n) => names?.byName.get(n) ?? 0);
  if (!names) return resolveAndQueue(ctx, p, sink);
  const byName = names.byName;
  if (p.dev !== undefined && !byName.has(p.dev)) return resolveAndQueue(ctx, p, sink);
  for (const d of p.nexthopDevs) if (d !== undefined && !byName.has(d)) return resolveAndQueue(ctx, p, sink);
  applyIfindexes(p, (d) => byName.get(d)!);
  return queueModify(p, sink);
}

/**
 * The `-batch` fast path for plain route lines (see route-batch-fast.ts):
 * available once the interface names are loaded (the first route line of a
 * batch loads them), and only for options under which those lines need
 * nothing else (no -echo, family unspecified or -4).
 */
export function fastLines(ctx: CliContext): FastRouteLine | undefined {
  if (!fastRoutesAllowed(ctx.opts)) return undefined;
  if (!nameCache.get(ctx)) return undefined;
  return new FastRouteLine(() => nameCache.get(ctx)?.byName);
}

/**
 * The same lines as {@link fastLines}, a chunk at a time by the C addon
 * (route-batch-native.ts); undefined when fastLines is, or the addon was
 * built without the scanner.
 */
export function bulkLines(ctx: CliContext, maxRequests: number): NativeRouteLines | undefined {
  if (!fastLines(ctx)) return undefined;
  return nativeRouteLines(() => nameCache.get(ctx)?.byName, maxRequests);
}

/** With -d, the nexthop objects (for nh_info), by id; one dump, names resolved. */
async function nexthopInfos(ctx: CliContext, names: ReadonlyMap<number, string>): Promise<((id: number) => NexthopInfo | undefined) | undefined> {
  if (!ctx.opts.details) return undefined;
  const nl = await ctx.netlink();
  const map = new Map<number, NexthopInfo>();
  try {
    for (const nh of await nl.nexthop.list().toArray()) {
      map.set(nh.id, {
        id: nh.id, group: nh.group, type: nh.type, gateway: nh.gateway,
        dev: nh.oif !== undefined ? names.get(nh.oif) ?? `if${nh.oif}` : undefined,
        scope: nh.scope, blackhole: nh.blackhole, protocol: nh.protocol, flags: nh.flags, fdb: nh.fdb,
        encap: nh.encap_type !== undefined && nh.raw.attrs.encap !== undefined
          ? { type: nh.encap_type, data: decodeEncap(nh.encap_type, nh.raw.attrs.encap) } : undefined,
      });
    }
  } catch {
    return undefined; // no nexthop support: iproute2 prints no nh_info either
  }
  return (id) => map.get(id);
}

// ---------------------------------------------------------------- list / flush (selectors and filter: route-filter.ts)

async function resolveListDevs(ctx: CliContext, spec: ListSpec): Promise<void> {
  const f = spec.filter;
  if (spec.id !== undefined) {
    const i = await ifindexOf(ctx, spec.id);
    if (!i) nodev(spec.id);
    f.iif = i; f.iifmask = -1;
  }
  if (spec.od !== undefined) {
    const i = await ifindexOf(ctx, spec.od);
    if (!i) nodev(spec.od);
    f.oif = i; f.oifmask = -1;
  }
}

/** A route dump with the filter's kernel-side part (iproute_dump_filter); yields batches of matching routes. */
function dumpRoutes(nl: Netlink, spec: ListSpec, names: ReadonlyMap<number, string>, keepRaw: boolean) {
  const f = spec.filter;
  const dumpOpts: { table?: number; protocol?: number; oif?: number; cached?: boolean } = { protocol: f.protocol, cached: f.cloned };
  if (f.tb) dumpOpts.table = f.tb;
  if (f.oif) dumpOpts.oif = f.oif;
  const req = routeDumpRequest(spec.family, dumpOpts);
  const build = rtRequest(routeMessage, RTM.GETROUTE, NLM_F.DUMP, req.header, req.attrs);
  const family = spec.family;
  return nl.socket.dump<{ r: Route; raw: Buffer | undefined }>(build, (m: MessageView) => {
    if (m.type !== RTM.NEWROUTE && m.type !== RTM.DELROUTE) return undefined;
    const r = decodeRoute(m);
    if (!filterRoute(f, family, r)) return undefined;
    nameRoute(r, names);
    return { r, raw: keepRaw ? Buffer.from(m.buf.subarray(m.off - 16, m.off + m.len)) : undefined };
  }, 'dump routes', { interrupted: 'partial' });
}

/**
 * The RTM_GETROUTE dump `ip route show ARGS` sends, for a resolver of
 * interface names (golden tests; list() builds the same through the same steps).
 */
export function dumpRequestFor(argv: readonly string[], preferredFamily: number, ifindex: (name: string) => number): { header: RtMsg; attrs: RouteAttrs } {
  const spec = parseSelectors(argv, preferredFamily);
  const f = spec.filter;
  if (spec.od !== undefined) { f.oif = ifindex(spec.od); f.oifmask = -1; }
  return dumpRequestOf(spec);
}

function dumpRequestOf(spec: ListSpec): { header: RtMsg; attrs: RouteAttrs } {
  const f = spec.filter;
  const dumpOpts: { table?: number; protocol?: number; oif?: number; cached?: boolean } = { protocol: f.protocol, cached: f.cloned };
  if (f.tb) dumpOpts.table = f.tb;
  if (f.oif) dumpOpts.oif = f.oif;
  return routeDumpRequest(spec.family, dumpOpts);
}

async function list(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const spec = parseSelectors(argv, ctx.opts.family);
  await resolveListDevs(ctx, spec);
  const nl = await ctx.netlink();
  const names = (await linkNames(ctx)).byIndex;
  const nhInfo = await nexthopInfos(ctx, names);
  const ifname = (i: number): string => names.get(i) ?? `if${i}`;
  const o: RoutePrintOptions = nhInfo ? { ...printOptionsFor(ctx, spec.filter), nhInfo, ifname } : { ...printOptionsFor(ctx, spec.filter), ifname };
  const p = ctx.printer;
  const f = spec.filter;
  const family = spec.family;
  const req = dumpRequestOf(spec);
  // The hot path: every message is decoded into one reused object, filtered and
  // printed as it is dispatched (in order), so no Route objects pile up;
  // the stream itself yields nothing.
  const scratch = {} as MutableRoute;
  const sink = ctx.sink;
  const json = p.json;
  // Compact JSON (no -p) is built as text per route, like the text output; the
  // printer keeps the enclosing array. Routes with rare parts go through it.
  const compact = json && !p.pretty;
  let first = true;
  // With -r every route is kept and printed after all its addresses are looked up (resolve.ts).
  const held: Route[] | undefined = ctx.opts.resolve ? [] : undefined;
  p.start();
  const emit = (r: Route): undefined => {
    if (compact) {
      const t = routeJsonText(r, o);
      if (t !== undefined && first) { first = false; routeJson(p, r, o); return undefined; }
      if (t !== undefined) sink.write(',' + t); else { first = false; routeJson(p, r, o); }
    } else if (json) routeJson(p, r, o);
    else sink.write(routeText(r, o));
    return undefined;
  };
  const stream = nl.socket.dump<never>(rtRequest(routeMessage, RTM.GETROUTE, NLM_F.DUMP, req.header, req.attrs), (m: MessageView) => {
    if (m.type !== RTM.NEWROUTE && m.type !== RTM.DELROUTE) return undefined;
    const r = held ? decodeRoute(m) : decodeRouteInto(m, scratch);
    if (!filterRoute(f, family, r)) return undefined;
    nameRoute(r, names);
    if (held) held.push(r); else emit(r);
    return undefined;
  }, 'dump routes', { interrupted: 'partial' });
  try {
    for await (const batch of stream.batches()) void batch;
    if (held) {
      await prefetchHosts(held, nhInfo && held.map((r) => r.nhid !== undefined ? nhInfo(r.nhid) : undefined));
      for (const r of held) emit(r);
    }
  } catch (e) {
    if (e instanceof NetlinkError) {
      // save_route_errhndlr: a missing main table (e.g. IPv6 disabled) is not an error.
      if (e.errno === ENOENT && spec.filter.tb === RT_TABLE_MAIN) { p.finish(); return 0; }
      p.flush();
      process.stderr.write(kernelErrorText(e) + 'Dump terminated\n');
      return 2;
    }
    throw e;
  }
  p.finish();
  if (stream.interrupted) ctx.warn('Dump was interrupted and may be inconsistent.');
  return 0;
}

/** `ip route save SELECTOR`: the selected routes as a binary dump on stdout. */
async function save(ctx: CliContext, argv: readonly string[]): Promise<number> {
  savePrep(ctx);
  const spec = parseSelectors(argv, ctx.opts.family);
  await resolveListDevs(ctx, spec);
  const nl = await ctx.netlink();
  try {
    for await (const batch of dumpRoutes(nl, spec, new Map(), true).batches()) for (const { raw } of batch) saveMessage(raw!);
  } catch (e) {
    if (e instanceof NetlinkError) {
      if (e.errno === ENOENT && spec.filter.tb === RT_TABLE_MAIN) return 0;
      process.stderr.write(kernelErrorText(e) + 'Dump terminated\n');
      return 2;
    }
    throw e;
  }
  return 0;
}

/** `ip route showdump`: print a saved dump from stdin (unfiltered, text). */
async function showdump(ctx: CliContext): Promise<number> {
  const msgs = showdumpMessages();
  const names = (await linkNames(ctx)).byIndex;
  const o = defaultPrintOptions(ctx.opts.details, ctx.opts.stats, ctx.opts.oneline, ctx.printer.palette);
  for (const raw of msgs) {
    const m = viewOf(raw);
    if (m.type !== RTM.NEWROUTE && m.type !== RTM.DELROUTE) {
      ctx.warn(`Not a route: ${hex8(raw.readUInt32LE(0))} ${hex8(m.type)} ${hex8(m.flags)}`);
      continue;
    }
    const r = decodeRoute(m);
    nameRoute(r, names);
    if (ctx.opts.resolve) await prefetchHosts(r);
    ctx.sink.write(routeText(r, o));
  }
  ctx.printer.flush();
  return 0;
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

async function flush(ctx: CliContext, argv: readonly string[]): Promise<number> {
  if (!argv.length) throw new CliError('"ip route flush" requires arguments.', 1);
  const spec = parseSelectors(argv, ctx.opts.family);
  await resolveListDevs(ctx, spec);
  const nl = await ctx.netlink();
  const names = (await linkNames(ctx)).byIndex;
  const f = spec.filter;
  const stats = ctx.opts.stats;
  const out = (s: string): void => { ctx.sink.write(s); };
  if (f.cloned) {
    if (spec.family !== AF_INET6) {
      // iproute_flush_cache(): the IPv4 cache is flushed through procfs; this kernel has no IPv4 cache,
      // and writing there needs the namespace's /proc, so only report as iproute2 does.
      if (stats) out('*** IPv4 routing cache is flushed.\n');
    }
    if (spec.family === AF_INET) { ctx.printer.flush(); return 0; }
  }
  const start = Date.now();
  for (let round = 0; ; ) {
    const victims: Buffer[] = [];
    const o = printOptionsFor(ctx, f);
    for await (const batch of dumpRoutes(nl, spec, names, true).batches()) {
      for (const { r, raw } of batch) {
        if (r.deleted) continue;
        if (r.family === AF_INET6 && r.dst_len === 0 && r.typeId === RTN_UNREACHABLE && r.metric === 0xffffffff) continue;
        victims.push(raw!);
        if (stats >= 2) out(routeText(r, o));
      }
    }
    if (!victims.length) {
      if (stats) {
        if (round === 0 && (!f.cloned || spec.family === AF_INET6)) out('Nothing to flush.\n');
        else out(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      }
      ctx.printer.flush();
      return 0;
    }
    round++;
    // The route's own message, turned into RTM_DELROUTE (as iproute2's flush does), all in flight at once.
    await Promise.allSettled(victims.map((raw) => nl.socket.request((w, seq) => {
      w.pad4();
      const s = w.offset;
      w.bytes(raw);
      w.buf.writeUInt16LE(RTM.DELROUTE, s + 4);
      w.buf.writeUInt16LE(NLM_F.REQUEST | NLM_F.ACK, s + 6);
      w.buf.writeUInt32LE(seq, s + 8);
      w.buf.writeUInt32LE(0, s + 12);
    }, 'flush route')));
    if (Date.now() - start > 30000) {
      out(`\n*** Flush not completed after ${Math.floor((Date.now() - start) / 1000)} seconds, ${victims.length} entries remain ***\n`);
      ctx.printer.flush();
      return 1;
    }
    if (stats) out(`\n*** Round ${round}, deleting ${victims.length} entries ***\n`);
  }
}

// ---------------------------------------------------------------- get

const IPPROTO: Readonly<Record<string, number>> = {
  ip: 0, icmp: 1, igmp: 2, ipip: 4, tcp: 6, egp: 8, pup: 12, udp: 17, idp: 22, tp: 29, dccp: 33, ipv6: 41,
  rsvp: 46, gre: 47, esp: 50, ah: 51, 'ipv6-icmp': 58, icmpv6: 58, mtp: 92, beetph: 94, encap: 98, pim: 103,
  comp: 108, l2tp: 115, sctp: 132, udplite: 136, mpls: 137, ethernet: 143, raw: 255, mptcp: 262,
};

async function get(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const h: RtMsg = { family: ctx.opts.family, dst_len: 0, src_len: 0, tos: 0, table: 0, protocol: 0, scope: 0, type: 0, flags: 0 };
  const a: RouteAttrs = {};
  let idev: string | undefined, odev: string | undefined;
  let mark = 0;
  let found = false;
  let fibMatch = false;
  let connected = false;
  let i = 0;
  const next = (): string => { if (++i >= argv.length) incomplete(); return argv[i]!; };
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === 'tos' || matches(arg, 'dsfield')) {
      const v = next();
      const t = dsfieldId(v);
      if (t === null) invarg('TOS value is invalid\n', v);
      h.tos = t;
    } else if (matches(arg, 'from')) {
      const v = next();
      if (matches(v, 'help')) routeUsage();
      const p = getPrefix(v, h.family);
      if (h.family === AF_UNSPEC) h.family = p.family;
      if (p.bytelen) a.src = prefixAddrText(p);
      h.src_len = p.bitlen;
    } else if (matches(arg, 'iif')) {
      idev = next();
    } else if (matches(arg, 'mark')) {
      const v = next();
      const m = getUnsigned(v);
      if (m === null) invarg('invalid mark value', v);
      mark = m;
    } else if (matches(arg, 'oif') || arg === 'dev') {
      odev = next();
    } else if (matches(arg, 'notify')) {
      h.flags |= RTM_F_NOTIFY;
    } else if (matches(arg, 'connected')) {
      connected = true;
    } else if (matches(arg, 'vrf')) {
      invarg('Invalid VRF\n', next());
    } else if (matches(arg, 'uid')) {
      const v = next();
      const u = getUnsigned(v);
      if (u === null) invarg('invalid UID\n', v);
      a.uid = u;
    } else if (matches(arg, 'fibmatch')) {
      fibMatch = true;
    } else if (arg === 'as') {
      let v = next();
      if (v === 'to') v = next();
      const ad = getAddr(v, h.family);
      if (h.family === AF_UNSPEC) h.family = ad.family;
      a.newdst = prefixAddrText(ad);
    } else if (matches(arg, 'sport')) {
      const v = next();
      const s = getUnsigned(v);
      if (s === null || s > 0xffff) invarg('invalid sport\n', v);
      a.sport = s;
    } else if (matches(arg, 'dport')) {
      const v = next();
      const d = getUnsigned(v);
      if (d === null || d > 0xffff) invarg('invalid dport\n', v);
      a.dport = d;
    } else if (matches(arg, 'ipproto')) {
      const v = next();
      const p = IPPROTO[v] ?? getU8(v);
      if (p === null || p === undefined) invarg('Invalid "ipproto" value\n', v);
      a.ip_proto = p & 0xff;
    } else {
      let v = arg;
      if (v === 'to') v = next();
      if (matches(v, 'help')) routeUsage();
      const p = getPrefix(v, h.family);
      if (h.family === AF_UNSPEC) h.family = p.family;
      if (p.bytelen) a.dst = prefixAddrText(p);
      if (h.family === AF_INET && p.bitlen !== 32) {
        ctx.warn(`Warning: /${p.bitlen} as prefix is invalid, only /32 (or none) is supported.`);
        h.dst_len = 32;
      } else if (h.family === AF_INET6 && p.bitlen !== 128) {
        ctx.warn(`Warning: /${p.bitlen} as prefix is invalid, only /128 (or none) is supported.`);
        h.dst_len = 128;
      } else h.dst_len = p.bitlen;
      found = true;
    }
  }
  if (!found) throw new CliError('need at least a destination address', 1);
  if (idev !== undefined) {
    const x = await ifindexOf(ctx, idev);
    if (!x) nodev(idev);
    a.iif = x;
  }
  if (odev !== undefined) {
    const x = await ifindexOf(ctx, odev);
    if (!x) nodev(odev);
    a.oif = x;
  }
  if (mark) a.mark = mark;
  if (h.family === AF_UNSPEC) h.family = AF_INET;
  if (h.family === AF_INET) h.flags |= RTM_F_LOOKUP_TABLE;
  if (fibMatch) h.flags |= RTM_F_FIB_MATCH;
  const nl = await ctx.netlink();
  // iproute2 sends this without NLM_F_ACK and takes the one reply; we ask for the ACK so the
  // socket layer knows when the request is complete. The kernel's answer is the same.
  const m = await nl.socket.get(rtRequest(routeMessage, RTM.GETROUTE, NLM_F.ACK, h, a), 'get route');
  const r = decodeRoute(m);
  const names = (await linkNames(ctx)).byIndex;
  nameRoute(r, names);
  const p = ctx.printer;
  const nhInfo = r.nhid !== undefined ? await nexthopInfos(ctx, names) : undefined;
  const base = { ...defaultPrintOptions(ctx.opts.details, ctx.opts.stats, ctx.opts.oneline, ctx.printer.palette), ifname: (i: number): string => names.get(i) ?? `if${i}` };
  const o: RoutePrintOptions = nhInfo ? { ...base, nhInfo } : base;
  if (ctx.opts.resolve) await prefetchHosts(r, r.nhid !== undefined ? nhInfo?.(r.nhid) : undefined);
  p.start();
  if (p.inJson) routeJson(p, r, o); else ctx.sink.write(routeText(r, o));
  p.finish();
  if (connected && a.src === undefined) {
    // iproute2 6.1 edits the answer it has just freed and then sends the
    // original request again, so "connected" prints the same lookup twice;
    // the second print happens after its JSON context is closed (text).
    if (r.prefsrc === undefined && r.from === undefined) throw new CliError('Failed to connect the route', 1);
    const m2 = await nl.socket.get(rtRequest(routeMessage, RTM.GETROUTE, NLM_F.ACK, h, a), 'get route');
    const r2 = decodeRoute(m2);
    nameRoute(r2, names);
    if (ctx.opts.resolve) await prefetchHosts(r2);
    ctx.sink.write(routeText(r2, o));
    ctx.printer.flush();
  }
  return 0;
}

// ---------------------------------------------------------------- dispatch

/** `ip route …` */
export default async function ipRoute(ctx: CliContext, args: Args): Promise<number> {
  setNumeric(ctx.opts.numeric > 0);
  const verb = args.next();
  if (verb === undefined) return list(ctx, []);
  if (modifyOp(verb) !== undefined) {
    await modify(ctx, verb, args);
    return 0;
  }
  if (matches(verb, 'list') || matches(verb, 'show') || matches(verb, 'lst')) return list(ctx, args.rest());
  if (matches(verb, 'get')) return get(ctx, args.rest());
  if (matches(verb, 'flush')) return flush(ctx, args.rest());
  if (matches(verb, 'save')) return save(ctx, args.rest());
  if (matches(verb, 'restore')) return restore(ctx);
  if (matches(verb, 'showdump')) return showdump(ctx);
  if (matches(verb, 'help')) routeUsage();
  throw new CliError(`Command "${verb}" is unknown, try "ip route help".`, 255);
}

export { reportError, AF_INET6 };
