/**
 * Routes: `nl.route.list()`, `get`, `add`, `del`, `replace`, `change`,
 * `append`, `prepend`, `flush`.
 *
 * ```ts
 * await using nl = await Netlink.open({ netns: 'blue' });
 * await nl.route.add({ dst: '10.0.0.0/8', gateway: '192.0.2.1' });
 * for await (const r of nl.route.list({ table: 'all' })) console.log(r.dst, r.gateway);
 * const hit = await nl.route.get({ dst: '10.1.2.3' });
 * ```
 * @module
 */
import { NLM_F, RTM, AF } from './constants.js';
import { rtmsg, type RtMsg } from './structs.js';
import { parseAddress, parsePrefix } from './addr.js';
import { ValidationError } from './errors.js';
import { DumpStream, type NetlinkSocket, type DumpOptions, type RequestOptions, type MessageView } from './socket.js';
import {
  routeMessage, RTN, RT_TABLE, RT_SCOPE, RTPROT, RTM_F, RTNH_F, RTAX, LWTUNNEL_ENCAP, ICMPV6_ROUTER_PREF,
  type RouteAttrs, type MetricsAttrs, type NexthopAttrs, type RtNexthop, type RtVia,
} from './rtnetlink/route-schema.js';
import { rtRequest } from './rtnetlink/request.js';
import { linkNameOf, linkNamesRequest } from './link-names.js';
import { decodeRoute, hostBits, type Route, type RouteTypeName, type RouteMetrics } from './route-decode.js';

export { decodeRoute, decodeRouteBySchema, ROUTE_TYPE_NAMES, USER_HZ, hostBits, isCloned } from './route-decode.js';
export type { Route, RouteTypeName, RouteMetrics, RouteNexthop, RouteEncap } from './route-decode.js';

/** A table by id or by its reserved name. */
export type TableRef = number | 'main' | 'local' | 'default';
/** A scope by number or name. */
export type ScopeRef = number | 'global' | 'universe' | 'site' | 'link' | 'host' | 'nowhere';
/** A protocol (origin) by number or kernel name. */
export type ProtocolRef = number | Lowercase<Exclude<keyof typeof RTPROT, 'UNSPEC'>> | 'unspec';
/** An interface by name or index. */
export type IfRef = string | number;

/** Resolve a table reference to its id. */
export function tableId(t: TableRef): number {
  if (typeof t === 'number') return t;
  return t === 'main' ? RT_TABLE.MAIN : t === 'local' ? RT_TABLE.LOCAL : RT_TABLE.DEFAULT;
}

/** Resolve a scope reference to its number. */
export function scopeId(s: ScopeRef): number {
  if (typeof s === 'number') return s;
  return s === 'global' || s === 'universe' ? RT_SCOPE.UNIVERSE : RT_SCOPE[s.toUpperCase() as 'SITE' | 'LINK' | 'HOST' | 'NOWHERE'];
}

/** Resolve a protocol reference to its number. */
export function protocolId(p: ProtocolRef): number {
  if (typeof p === 'number') return p;
  const v = (RTPROT as Record<string, number>)[p.toUpperCase()];
  if (v === undefined) throw new ValidationError(`unknown route protocol "${p}"`, 'protocol');
  return v;
}

/** Route type name → rtm_type. */
export function routeTypeId(t: RouteTypeName): number {
  const v = (RTN as Record<string, number>)[t === 'none' ? 'UNSPEC' : t.toUpperCase()];
  if (v === undefined) throw new ValidationError(`unknown route type "${t}"`, 'type');
  return v;
}

/** Metric names usable in {@link RouteMetricsSpec.lock}. */
export type MetricName = Exclude<keyof RouteMetrics, 'lock'>;

/** Metrics to set; times (rtt, rttvar, rto_min) in milliseconds. */
export interface RouteMetricsSpec extends Omit<RouteMetrics, 'lock'> {
  /** Metrics to lock (the kernel will not change them), e.g. `['mtu']`. */
  readonly lock?: readonly MetricName[];
}

/** MPLS encapsulation for a route or nexthop. */
export interface MplsEncapSpec {
  readonly type: 'mpls';
  /** Label stack, `'100'` or `'100/200'`. */
  readonly labels: string;
  readonly ttl?: number;
}

/** One path of a multipath route. */
export interface NexthopSpec {
  /** Gateway; of another family than the route's it is sent as RTA_VIA. */
  readonly gateway?: string;
  readonly dev?: IfRef;
  /** 1..256, default 1. */
  readonly weight?: number;
  readonly onlink?: boolean;
  /** Realms (RTA_FLOW). */
  readonly realms?: number;
  readonly encap?: MplsEncapSpec;
}

/** What `nl.route.add` (and replace/change/append/prepend/del) takes. */
export interface RouteSpec {
  /** `'default'`, a prefix (`'10.0.0.0/8'`) or an address (a host route). */
  readonly dst: string;
  /** Route type; default 'unicast'. */
  readonly type?: RouteTypeName;
  /** Table; default main ('local' for local/broadcast/nat/anycast). */
  readonly table?: TableRef;
  /** Origin; default 'boot' like iproute2. */
  readonly protocol?: ProtocolRef;
  /** Scope; default chosen as iproute2 does (link for direct unicast routes, host for local, …). */
  readonly scope?: ScopeRef;
  readonly tos?: number;
  /** Priority (RTA_PRIORITY). */
  readonly metric?: number;
  /** Gateway; of another family than `dst` it is sent as RTA_VIA (e.g. IPv4 via IPv6). */
  readonly gateway?: string;
  readonly dev?: IfRef;
  /** Preferred source address (RTA_PREFSRC). */
  readonly src?: string;
  /** Source prefix (RTA_SRC), IPv6 source routing. */
  readonly from?: string;
  /** Treat the gateway as on-link. */
  readonly onlink?: boolean;
  /** IPv6 router preference. */
  readonly pref?: 'low' | 'medium' | 'high' | number;
  /** Lifetime in seconds (IPv6). */
  readonly expires?: number;
  readonly metrics?: RouteMetricsSpec;
  readonly nexthops?: readonly NexthopSpec[];
  /** Use a nexthop object. */
  readonly nhid?: number;
  readonly encap?: MplsEncapSpec;
  /** Realms (RTA_FLOW). */
  readonly realms?: number;
  readonly ttlPropagate?: boolean;
}

/** Filters for {@link RouteApi.list} (the selectors of `ip route show`). */
export interface RouteFilter {
  /** Address family; default both IPv4 and IPv6. */
  readonly family?: 'inet' | 'inet6' | number;
  /** Table: id, name or 'all'. Default 'main', like `ip route show`. */
  readonly table?: TableRef | 'all';
  readonly protocol?: ProtocolRef;
  readonly scope?: ScopeRef;
  readonly type?: RouteTypeName;
  /** Output interface (filtered by the kernel). */
  readonly dev?: IfRef;
  /** Input interface. */
  readonly iif?: IfRef;
  /** Gateway (or RTA_VIA) prefix. */
  readonly via?: string;
  /** Preferred source prefix. */
  readonly src?: string;
  /** Routes whose dst lies within this prefix (`root`). */
  readonly root?: string;
  /** Routes whose dst contains this prefix (`match`). */
  readonly match?: string;
  /** Exactly this prefix (`exact`). */
  readonly exact?: string;
  readonly metric?: number;
  readonly tos?: number;
  readonly mark?: number;
  /** Only cache entries (RTM_F_CLONED), as `ip route show cached`. */
  readonly cached?: boolean;
  /** Fill in `dev` names (one link dump first). Default true. */
  readonly resolveNames?: boolean;
}

/** What {@link RouteApi.get} takes (`ip route get`). */
export interface RouteQuery {
  readonly dst: string;
  readonly from?: string;
  readonly iif?: IfRef;
  readonly oif?: IfRef;
  readonly mark?: number;
  readonly uid?: number;
  readonly tos?: number;
  /** IP protocol number (RTA_IP_PROTO), e.g. 6 for TCP. */
  readonly ipproto?: number;
  readonly sport?: number;
  readonly dport?: number;
  /** Return the FIB entry that matched instead of the resulting dst entry. */
  readonly fibmatch?: boolean;
}

/** Modification operations and their nlmsg flags (as iproute2's do_iproute). */
export const ROUTE_OPS = {
  add: { type: RTM.NEWROUTE, flags: NLM_F.CREATE | NLM_F.EXCL },
  change: { type: RTM.NEWROUTE, flags: NLM_F.REPLACE },
  replace: { type: RTM.NEWROUTE, flags: NLM_F.CREATE | NLM_F.REPLACE },
  prepend: { type: RTM.NEWROUTE, flags: NLM_F.CREATE },
  append: { type: RTM.NEWROUTE, flags: NLM_F.CREATE | NLM_F.APPEND },
  test: { type: RTM.NEWROUTE, flags: NLM_F.EXCL },
  del: { type: RTM.DELROUTE, flags: 0 },
} as const;
export type RouteOp = keyof typeof ROUTE_OPS;

const METRIC_RTAX: Readonly<Record<MetricName, number>> = {
  mtu: RTAX.MTU, window: RTAX.WINDOW, rtt: RTAX.RTT, rttvar: RTAX.RTTVAR, ssthresh: RTAX.SSTHRESH,
  cwnd: RTAX.CWND, advmss: RTAX.ADVMSS, reordering: RTAX.REORDERING, hoplimit: RTAX.HOPLIMIT,
  initcwnd: RTAX.INITCWND, features: RTAX.FEATURES, rto_min: RTAX.RTO_MIN, initrwnd: RTAX.INITRWND,
  quickack: RTAX.QUICKACK, congctl: RTAX.CC_ALGO, fastopen_no_cookie: RTAX.FASTOPEN_NO_COOKIE,
};

function familyNumber(f: RouteFilter['family']): number {
  if (f === undefined) return AF.UNSPEC;
  if (f === 'inet') return AF.INET;
  if (f === 'inet6') return AF.INET6;
  return f;
}

/** A parsed prefix for filtering: family 0 = any (for 'default'/'all'). */
interface FilterPrefix { family: number; bytes: Buffer; len: number }

function filterPrefix(s: string, what: string): FilterPrefix {
  if (s === 'default' || s === 'all' || s === 'any') return { family: 0, bytes: Buffer.alloc(16), len: s === 'default' ? 0 : -1 };
  const p = parsePrefix(s);
  if (!p) throw new ValidationError(`invalid ${what} prefix "${s}"`, what);
  return { family: p.family, bytes: p.bytes, len: p.len };
}

/** inet_addr_match: do the first `bits` bits of `a` and `b` agree? */
export function prefixMatch(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = bits & 7;
  if (rest) {
    const mask = (0xff << (8 - rest)) & 0xff;
    if (((a[whole] ?? 0) & mask) !== ((b[whole] ?? 0) & mask)) return false;
  }
  return true;
}

function addrBytes(text: string | undefined, family: number): Buffer {
  const out = Buffer.alloc(16);
  if (text === undefined || text === 'default') return out;
  const slash = text.indexOf('/');
  const b = parseAddress(slash >= 0 ? text.slice(0, slash) : text);
  if (b && (family === 0 || b.length === (family === AF.INET6 ? 16 : 4))) b.copy(out);
  return out;
}

/** The user-space part of iproute2's filter_nlmsg (the kernel already filtered table, protocol, oif, cloned). */
export function routeFilterPredicate(f: RouteFilter, ifindex: { oif?: number; iif?: number }): (r: Route) => boolean {
  const family = familyNumber(f.family);
  const table = f.table === undefined ? RT_TABLE.MAIN : f.table === 'all' ? 0 : tableId(f.table);
  const proto = f.protocol === undefined ? undefined : protocolId(f.protocol);
  const scope = f.scope === undefined ? undefined : scopeId(f.scope);
  const type = f.type === undefined ? undefined : routeTypeId(f.type);
  const cached = f.cached === true;
  let rdst: FilterPrefix | undefined, mdst: FilterPrefix | undefined;
  if (f.exact !== undefined) { rdst = mdst = filterPrefix(f.exact, 'exact'); }
  if (f.root !== undefined) rdst = filterPrefix(f.root, 'root');
  if (f.match !== undefined) mdst = filterPrefix(f.match, 'match');
  const via = f.via === undefined ? undefined : filterPrefix(f.via, 'via');
  const psrc = f.src === undefined ? undefined : filterPrefix(f.src, 'src');
  return (r) => {
    if (family && r.family !== family) return false;
    if (cached !== ((r.flags & RTM_F.CLONED) !== 0)) return false;
    if (table && r.table !== table) return false;
    if (proto !== undefined && r.protocol !== proto) return false;
    if (scope !== undefined && r.scope !== scope) return false;
    if (type !== undefined && r.typeId !== type) return false;
    if (f.tos !== undefined && r.tos !== f.tos) return false;
    if (rdst) {
      if ((rdst.family && r.family !== rdst.family) || rdst.len > r.dst_len) return false;
      if (rdst.len > 0 && !prefixMatch(addrBytes(r.dst, r.family), rdst.bytes, rdst.len)) return false;
    }
    if (mdst) {
      if ((mdst.family && r.family !== mdst.family) || (mdst.len >= 0 && mdst.len < r.dst_len)) return false;
      if (!prefixMatch(addrBytes(r.dst, r.family), mdst.bytes, r.dst_len)) return false;
    }
    if (via) {
      const vfam = r.via ? r.via.family : r.family;
      if (via.family && vfam !== via.family) return false;
      if (via.len > 0 && !prefixMatch(addrBytes(r.gateway ?? r.via?.host, 0), via.bytes, via.len)) return false;
    }
    if (psrc) {
      if (psrc.family && r.family !== psrc.family) return false;
      if (psrc.len > 0 && !prefixMatch(addrBytes(r.prefsrc, 0), psrc.bytes, psrc.len)) return false;
    }
    if (ifindex.oif !== undefined && (r.oif ?? 0) !== ifindex.oif) return false;
    if (ifindex.iif !== undefined && (r.iif ?? 0) !== ifindex.iif) return false;
    if (f.mark !== undefined && (r.mark ?? 0) !== f.mark) return false;
    if (f.metric !== undefined && (r.metric ?? 0) !== f.metric) return false;
    return true;
  };
}

/** The RTM_GETROUTE dump request iproute2 sends for a filter (rtnl_routedump_req + iproute_dump_filter). */
export function routeDumpRequest(family: number, opts: { table?: number; protocol?: number; oif?: number; cached?: boolean }): { header: RtMsg; attrs: RouteAttrs } {
  const header: RtMsg = { ...rtmsg.zero, family, protocol: opts.protocol ?? 0, flags: opts.cached ? RTM_F.CLONED : 0 };
  const attrs: RouteAttrs = {};
  if (opts.table) attrs.table = opts.table;
  if (opts.oif) attrs.oif = opts.oif;
  return { header, attrs };
}

/**
 * A route dump: a {@link DumpStream} that first resolves interface names
 * (when asked to), then streams.
 */
export class RouteDumpStream extends DumpStream<Route> {
  constructor(
    sock: NetlinkSocket,
    build: (w: import('./codec/writer.js').Writer, seq: number) => void,
    decode: (m: MessageView) => Route | undefined,
    operation: string,
    opts: DumpOptions,
    private readonly prepare: () => Promise<void>,
  ) {
    super(sock, build, decode, operation, opts);
  }

  override async *batches(): AsyncGenerator<Route[], void, undefined> {
    await this.prepare();
    yield* super.batches();
  }
}

/** Route operations on one namespace's rtnetlink socket. */
export class RouteApi {
  constructor(private readonly sock: NetlinkSocket) {}

  /** ifindex → name for every link (one link dump). */
  async linkNames(opts: RequestOptions = {}): Promise<Map<number, string>> {
    const names = new Map<number, string>();
    const stream = this.sock.dump(linkNamesRequest, linkNameOf, 'list links', opts);
    for await (const batch of stream.batches()) for (const [i, n] of batch) names.set(i, n);
    return names;
  }

  private async ifindex(ref: IfRef, names?: Map<number, string>): Promise<number> {
    if (typeof ref === 'number') return ref;
    const map = names ?? await this.linkNames();
    for (const [i, n] of map) if (n === ref) return i;
    throw new ValidationError(`Cannot find device "${ref}"`, 'dev');
  }

  /**
   * Stream routes, filtered as `ip route show` filters. Defaults: the main
   * table, both families (`ip route show` itself dumps IPv4 only unless
   * given -6 or `table all`; pass `family: 'inet'` for that).
   * ```ts
   * for await (const r of nl.route.list({ table: 'all', family: 'inet6' })) console.log(r.dst);
   * ```
   */
  list(filter: RouteFilter = {}, opts: DumpOptions = {}): RouteDumpStream {
    const family = familyNumber(filter.family);
    const table = filter.table === undefined ? RT_TABLE.MAIN : filter.table === 'all' ? 0 : tableId(filter.table);
    const idx: { oif?: number; iif?: number } = {};
    let names: Map<number, string> | undefined;
    let pred: ((r: Route) => boolean) | undefined;
    const prepare = async (): Promise<void> => {
      const needNames = filter.resolveNames !== false || typeof filter.dev === 'string' || typeof filter.iif === 'string';
      if (needNames) names = await this.linkNames(opts);
      if (filter.dev !== undefined) idx.oif = await this.ifindex(filter.dev, names);
      if (filter.iif !== undefined) idx.iif = await this.ifindex(filter.iif, names);
      if (filter.resolveNames === false) names = undefined;
      pred = routeFilterPredicate(filter, idx);
    };
    const build = (w: import('./codec/writer.js').Writer, seq: number): void => {
      const dumpOpts: { table?: number; protocol?: number; oif?: number; cached?: boolean } = {
        table, cached: filter.cached === true,
      };
      if (filter.protocol !== undefined) dumpOpts.protocol = protocolId(filter.protocol);
      if (idx.oif !== undefined) dumpOpts.oif = idx.oif;
      const req = routeDumpRequest(family, dumpOpts);
      rtRequest(routeMessage, RTM.GETROUTE, NLM_F.DUMP, req.header, req.attrs)(w, seq);
    };
    const decode = (m: MessageView): Route | undefined => {
      if (m.type !== RTM.NEWROUTE) return undefined;
      const r = decodeRoute(m);
      if (pred && !pred(r)) return undefined;
      if (names) nameRoute(r, names);
      return r;
    };
    return new RouteDumpStream(this.sock, build, decode, 'list routes', opts, prepare);
  }

  /**
   * Look a destination up (RTM_GETROUTE), as `ip route get`.
   * ```ts
   * const r = await nl.route.get({ dst: '8.8.8.8', mark: 1 });
   * ```
   */
  async get(q: RouteQuery, opts: RequestOptions = {}): Promise<Route> {
    const dst = parsePrefix(q.dst);
    if (!dst) throw new ValidationError(`invalid destination "${q.dst}"`, 'dst');
    const header: RtMsg = { ...rtmsg.zero, family: dst.family, dst_len: dst.family === AF.INET ? 32 : 128 };
    const attrs: RouteAttrs = {};
    const names = typeof q.iif === 'string' || typeof q.oif === 'string' ? await this.linkNames(opts) : undefined;
    if (q.tos !== undefined) header.tos = q.tos;
    if (q.from !== undefined) {
      const src = parsePrefix(q.from, dst.family);
      if (!src) throw new ValidationError(`invalid source "${q.from}"`, 'from');
      attrs.src = q.from.split('/')[0]!;
      header.src_len = src.len;
    }
    attrs.dst = q.dst.split('/')[0]!;
    if (q.uid !== undefined) attrs.uid = q.uid;
    if (q.sport !== undefined) attrs.sport = q.sport;
    if (q.dport !== undefined) attrs.dport = q.dport;
    if (q.ipproto !== undefined) attrs.ip_proto = q.ipproto;
    if (q.iif !== undefined) attrs.iif = await this.ifindex(q.iif, names);
    if (q.oif !== undefined) attrs.oif = await this.ifindex(q.oif, names);
    if (q.mark) attrs.mark = q.mark;
    if (dst.family === AF.INET) header.flags |= RTM_F.LOOKUP_TABLE;
    if (q.fibmatch) header.flags |= RTM_F.FIB_MATCH;
    const m = await this.sock.get(rtRequest(routeMessage, RTM.GETROUTE, NLM_F.ACK, header, attrs), `get route ${q.dst}`, opts);
    const r = decodeRoute(m);
    if (r.oif !== undefined || r.iif !== undefined || r.nexthops) nameRoute(r, names ?? await this.linkNames(opts));
    return r;
  }

  /**
   * Send one route modification with a header and attributes built by the
   * caller (the CLI builds them in command-line order, which is iproute2's
   * byte order). The promise settles with the kernel's ACK; many calls may be
   * in flight at once on the socket (pipelining).
   */
  modify(op: RouteOp, header: RtMsg, attrs: RouteAttrs, opts: RequestOptions = {}, what = attrs.dst ?? 'default'): Promise<MessageView[]> {
    const o = ROUTE_OPS[op];
    return this.sock.request(rtRequest(routeMessage, o.type, o.flags | NLM_F.ACK, header, attrs), `${op} route ${what}`, opts);
  }

  /** Turn a {@link RouteSpec} into the request iproute2 would send (validated; nothing is sent). */
  async build(op: RouteOp, spec: RouteSpec, opts: RequestOptions = {}): Promise<{ header: RtMsg; attrs: RouteAttrs }> {
    let names: Map<number, string> | undefined;
    const needNames = typeof spec.dev === 'string' || (spec.nexthops ?? []).some((n) => typeof n.dev === 'string');
    if (needNames) names = await this.linkNames(opts);
    return buildRouteRequest(op, spec, (ref) => {
      if (typeof ref === 'number') return ref;
      for (const [i, n] of names!) if (n === ref) return i;
      throw new ValidationError(`Cannot find device "${ref}"`, 'dev');
    });
  }

  private async run(op: RouteOp, spec: RouteSpec, opts: RequestOptions): Promise<void> {
    const { header, attrs } = await this.build(op, spec, opts);
    await this.modify(op, header, attrs, opts, spec.dst);
  }

  /** Add a route (fails with EEXIST if it exists). */
  add(spec: RouteSpec, opts: RequestOptions = {}): Promise<void> { return this.run('add', spec, opts); }
  /** Delete a route; fields given narrow which route. */
  del(spec: RouteSpec, opts: RequestOptions = {}): Promise<void> { return this.run('del', spec, opts); }
  /** Add or replace a route. */
  replace(spec: RouteSpec, opts: RequestOptions = {}): Promise<void> { return this.run('replace', spec, opts); }
  /** Change an existing route (ENOENT if absent). */
  change(spec: RouteSpec, opts: RequestOptions = {}): Promise<void> { return this.run('change', spec, opts); }
  /** Add a route after existing ones with the same key (IPv6 multipath / alternatives). */
  append(spec: RouteSpec, opts: RequestOptions = {}): Promise<void> { return this.run('append', spec, opts); }
  /** Add a route before existing ones with the same key. */
  prepend(spec: RouteSpec, opts: RequestOptions = {}): Promise<void> { return this.run('prepend', spec, opts); }

  /**
   * Delete every route the filter selects (as `ip route flush`), in rounds
   * until a dump finds nothing; returns how many were deleted.
   */
  async flush(filter: RouteFilter, opts: RequestOptions = {}): Promise<number> {
    let total = 0;
    for (let round = 0; round < 10; round++) {
      const victims: Route[] = [];
      for await (const b of this.list({ ...filter, resolveNames: false }, { ...opts, interrupted: 'partial' }).batches()) {
        for (const r of b) {
          // iproute2 never flushes IPv6's catch-all unreachable default (metric 0xffffffff).
          if (r.family === AF.INET6 && r.dst_len === 0 && r.typeId === RTN.UNREACHABLE && r.metric === 0xffffffff) continue;
          victims.push(r);
        }
      }
      if (!victims.length) return total;
      const results = await Promise.allSettled(victims.map((r) => {
        const { header, attrs } = deleteRequestFor(r);
        return this.modify('del', header, attrs, opts, r.dst);
      }));
      for (const res of results) if (res.status === 'fulfilled') total++;
    }
    return total;
  }
}

/** Fill `dev` / `iifName` / nexthop `dev` from an ifindex→name map. */
export function nameRoute(r: Route, names: ReadonlyMap<number, string>): void {
  if (r.oif !== undefined) r.dev = names.get(r.oif) ?? `if${r.oif}`;
  if (r.iif !== undefined) r.iifName = names.get(r.iif) ?? `if${r.iif}`;
  if (r.nexthops) for (const nh of r.nexthops) nh.dev = names.get(nh.oif) ?? `if${nh.oif}`;
}

/** The RTM_DELROUTE that removes exactly `r` (what `ip route flush` sends: the route's own keys). */
export function deleteRequestFor(r: Route): { header: RtMsg; attrs: RouteAttrs } {
  const header: RtMsg = {
    family: r.family, dst_len: r.dst_len, src_len: r.src_len, tos: r.tos,
    table: r.table < 256 ? r.table : RT_TABLE.UNSPEC, protocol: r.protocol, scope: r.scope, type: r.typeId, flags: 0,
  };
  const attrs: RouteAttrs = {};
  if (r.table >= 256) attrs.table = r.table;
  if (r.dst !== 'default' && r.dst_len) attrs.dst = r.dst.split('/')[0]!;
  if (r.from !== undefined && r.src_len) attrs.src = r.from.split('/')[0]!;
  if (r.metric !== undefined) attrs.priority = r.metric;
  if (r.oif !== undefined) attrs.oif = r.oif;
  if (r.gateway !== undefined) attrs.gateway = r.gateway;
  if (r.nhid !== undefined) attrs.nh_id = r.nhid;
  return { header, attrs };
}

function mplsEncapAttrs(e: MplsEncapSpec): { encap: Record<string, unknown>; encap_type: number } {
  const data: Record<string, unknown> = { dst: e.labels };
  if (e.ttl !== undefined) data['ttl'] = e.ttl;
  return { encap: data, encap_type: LWTUNNEL_ENCAP.MPLS };
}

/**
 * Build a route request from a spec (iproute2's iproute_modify defaults),
 * resolving interface names with `ifindex`. Throws ValidationError on bad input.
 */
export function buildRouteRequest(op: RouteOp, spec: RouteSpec, ifindex: (ref: IfRef) => number): { header: RtMsg; attrs: RouteAttrs } {
  const isDel = op === 'del';
  const header: RtMsg = {
    ...rtmsg.zero,
    table: RT_TABLE.MAIN,
    scope: isDel ? RT_SCOPE.NOWHERE : RT_SCOPE.UNIVERSE,
    protocol: isDel ? 0 : RTPROT.BOOT,
    type: isDel ? 0 : RTN.UNICAST,
  };
  const attrs: RouteAttrs = {};
  let family = 0;
  if (spec.dst === 'default' || spec.dst === 'all' || spec.dst === 'any') {
    header.dst_len = 0;
    if (spec.dst === 'default' && spec.gateway) family = spec.gateway.includes(':') ? AF.INET6 : AF.INET;
  } else {
    const p = parsePrefix(spec.dst);
    if (!p) throw new ValidationError(`invalid destination "${spec.dst}"`, 'dst');
    family = p.family;
    header.dst_len = p.len;
    attrs.dst = spec.dst.split('/')[0]!;
    if (p.bytes.length === 4 && !spec.dst.split('/')[0]!.includes(':')) attrs.dst = `${p.bytes[0]}.${p.bytes[1]}.${p.bytes[2]}.${p.bytes[3]}`;
  }
  if (spec.type !== undefined) header.type = routeTypeId(spec.type);
  if (spec.tos !== undefined) header.tos = spec.tos;
  if (spec.protocol !== undefined) header.protocol = protocolId(spec.protocol);
  if (spec.from !== undefined) {
    const p = parsePrefix(spec.from);
    if (!p) throw new ValidationError(`invalid source prefix "${spec.from}"`, 'from');
    family ||= p.family;
    attrs.src = spec.from.split('/')[0]!;
    header.src_len = p.len;
  }
  if (spec.src !== undefined) {
    if (!parseAddress(spec.src)) throw new ValidationError(`invalid source address "${spec.src}"`, 'src');
    family ||= spec.src.includes(':') ? AF.INET6 : AF.INET;
    attrs.prefsrc = spec.src;
  }
  if (spec.gateway !== undefined) {
    const g = parseAddress(spec.gateway);
    if (!g) throw new ValidationError(`invalid gateway "${spec.gateway}"`, 'gateway');
    const gfam = g.length === 16 ? AF.INET6 : AF.INET;
    family ||= gfam;
    if (gfam === family) attrs.gateway = spec.gateway;
    else attrs.via = { family: gfam, host: spec.gateway };
  }
  if (spec.metric !== undefined) attrs.priority = spec.metric;
  if (spec.expires !== undefined) attrs.expires = spec.expires;
  if (spec.realms !== undefined) attrs.flow = spec.realms;
  if (spec.onlink) header.flags |= RTNH_F.ONLINK;
  if (spec.nhid !== undefined) attrs.nh_id = spec.nhid;
  if (spec.pref !== undefined) {
    attrs.pref = typeof spec.pref === 'number' ? spec.pref : ICMPV6_ROUTER_PREF[spec.pref.toUpperCase() as 'LOW' | 'MEDIUM' | 'HIGH'];
  }
  if (spec.encap) Object.assign(attrs, mplsEncapAttrs(spec.encap));
  if (spec.ttlPropagate !== undefined) attrs.ttl_propagate = spec.ttlPropagate ? 1 : 0;
  let tableGiven = false;
  if (spec.table !== undefined) {
    const t = tableId(spec.table);
    tableGiven = true;
    if (t < 256) header.table = t;
    else { header.table = RT_TABLE.UNSPEC; attrs.table = t; }
  }
  if (spec.dev !== undefined) attrs.oif = ifindex(spec.dev);
  if (spec.metrics) attrs.metrics = metricsToAttrs(spec.metrics);
  if (spec.nexthops?.length) {
    const list: RtNexthop[] = spec.nexthops.map((nh) => {
      const a: NexthopAttrs = {};
      if (nh.encap) Object.assign(a, mplsEncapAttrs(nh.encap));
      if (nh.gateway !== undefined) {
        const g = parseAddress(nh.gateway);
        if (!g) throw new ValidationError(`invalid nexthop gateway "${nh.gateway}"`, 'gateway');
        const gfam = g.length === 16 ? AF.INET6 : AF.INET;
        family ||= gfam;
        if (gfam === family) a.gateway = nh.gateway; else a.via = { family: gfam, host: nh.gateway } satisfies RtVia;
      }
      if (nh.realms !== undefined) a.flow = nh.realms;
      const w = nh.weight ?? 1;
      if (!Number.isInteger(w) || w < 1 || w > 256) throw new ValidationError(`invalid nexthop weight ${w}`, 'weight');
      return { flags: nh.onlink ? RTNH_F.ONLINK : 0, hops: w - 1, ifindex: nh.dev === undefined ? 0 : ifindex(nh.dev), attrs: a };
    });
    attrs.multipath = list;
  }
  header.family = family || AF.INET;
  if (!tableGiven && (header.type === RTN.LOCAL || header.type === RTN.BROADCAST || header.type === RTN.NAT || header.type === RTN.ANYCAST)) {
    header.table = RT_TABLE.LOCAL;
  }
  if (spec.scope !== undefined) header.scope = scopeId(spec.scope);
  else header.scope = defaultScope(isDel, header, spec.gateway !== undefined, !!spec.nexthops?.length, spec.nhid !== undefined, header.scope);
  return { header, attrs };
}

/** iproute2's choice of rtm_scope when none is given. */
export function defaultScope(isDel: boolean, h: RtMsg, gw: boolean, nhs: boolean, nhid: boolean, current: number): number {
  if (h.family === AF.INET6 || h.family === AF.MPLS) return RT_SCOPE.UNIVERSE;
  if (h.type === RTN.LOCAL || h.type === RTN.NAT) return RT_SCOPE.HOST;
  if (h.type === RTN.BROADCAST || h.type === RTN.MULTICAST || h.type === RTN.ANYCAST) return RT_SCOPE.LINK;
  if (h.type === RTN.UNICAST || h.type === RTN.UNSPEC) {
    if (isDel) return RT_SCOPE.NOWHERE;
    if (!gw && !nhs && !nhid) return RT_SCOPE.LINK;
  }
  return current;
}

/** Metrics spec (ms) → the kernel's RTA_METRICS attributes, in iproute2's order with RTAX_LOCK last. */
export function metricsToAttrs(m: RouteMetricsSpec): MetricsAttrs {
  const out: MetricsAttrs = {};
  let lock = 0;
  for (const [k, v] of Object.entries(m) as Array<[keyof RouteMetricsSpec, unknown]>) {
    if (k === 'lock' || v === undefined) continue;
    if (k === 'rtt') out.rtt = (v as number) * 8;
    else if (k === 'rttvar') out.rttvar = (v as number) * 4;
    else (out as Record<string, unknown>)[k] = v;
  }
  for (const name of m.lock ?? []) lock |= 1 << METRIC_RTAX[name];
  // The kernel uses rto_min only when it is locked; iproute2 always locks it.
  if (m.rto_min !== undefined) lock |= 1 << RTAX.RTO_MIN;
  if (lock) out.lock = lock;
  // Re-insert lock last (iproute2 appends RTAX_LOCK after the metrics).
  if (out.lock !== undefined) { const l = out.lock; delete out.lock; out.lock = l; }
  return out;
}
