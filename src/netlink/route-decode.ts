/**
 * Decoding RTM_NEWROUTE/RTM_DELROUTE messages into {@link Route} objects.
 *
 * Two decoders produce the same objects:
 * - {@link decodeRoute}, the hot path used by dumps: one pass over the
 *   attributes with the layout and RTA_* numbers of the schema, no object per
 *   attribute (a million routes decode in well under a second);
 * - {@link decodeRouteBySchema}, which goes through {@link routeMessage}
 *   (the one schema) and converts. test/unit/route-decode.test.ts checks that
 *   both agree on many generated and real messages, so the fast path cannot
 *   drift from the schema.
 * Rare attributes (metrics, multipath, encap) are decoded by their schema
 * codecs in both.
 * @module
 */
import { formatIPv4, formatIPv6 } from './addr.js';
import { ParseError } from './codec/errors.js';
import { align4 } from './codec/writer.js';
import type { MessageView } from './socket.js';
import {
  RTA, RTN, RTAX, RTM_F, routeMessage, metricsAttrs, multipath, rtvia, rtaCacheinfo, decodeEncap, ENCAP_TYPE_NAMES,
  type RtVia, type RtaCacheinfo, type MetricsAttrs, type RtNexthop,
} from './rtnetlink/route-schema.js';

/** Route type names (rtm_type), as iproute2's rtnl_rtntype_n2a. */
export type RouteTypeName =
  | 'none' | 'unicast' | 'local' | 'broadcast' | 'anycast' | 'multicast' | 'blackhole'
  | 'unreachable' | 'prohibit' | 'throw' | 'nat' | 'xresolve';

/** rtm_type → name, indexed by value. */
export const ROUTE_TYPE_NAMES: readonly RouteTypeName[] = [
  'none', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole',
  'unreachable', 'prohibit', 'throw', 'nat', 'xresolve',
];

/** Clock ticks per second of rta_cacheinfo times (USER_HZ; 100 on every Linux ABI). */
export const USER_HZ = 100;

/**
 * Route metrics (RTA_METRICS). Times are in milliseconds as `ip route` shows
 * them (the kernel keeps rtt ×8 and rttvar ×4); `lock` is the RTAX_LOCK
 * bitmask (bit `1 << RTAX.MTU` means "mtu lock").
 */
export interface RouteMetrics {
  lock?: number;
  mtu?: number;
  window?: number;
  rtt?: number;
  rttvar?: number;
  ssthresh?: number;
  cwnd?: number;
  advmss?: number;
  reordering?: number;
  hoplimit?: number;
  initcwnd?: number;
  features?: number;
  rto_min?: number;
  initrwnd?: number;
  quickack?: number;
  /** Congestion control algorithm (RTAX_CC_ALGO); `ip -j` calls it "congestion". */
  congctl?: string;
  fastopen_no_cookie?: number;
}

/** A lightweight-tunnel encapsulation (RTA_ENCAP + RTA_ENCAP_TYPE). */
export interface RouteEncap {
  /** LWTUNNEL_ENCAP_* number. */
  readonly type: number;
  /** Its name as iproute2 prints it ('mpls', 'ip', 'seg6', …). */
  readonly name: string;
  /** Decoded attributes for types with a schema (MPLS: `{ dst: '100/200', ttl?: 64 }`), else the raw nest. */
  readonly data: Readonly<Record<string, unknown>> | Buffer;
}

/** One path of a multipath route (RTA_MULTIPATH). */
export interface RouteNexthop {
  readonly gateway: string | undefined;
  readonly via: RtVia | undefined;
  /** Output interface index. */
  readonly oif: number;
  /** Its name, when the caller resolved names. */
  dev: string | undefined;
  /** Weight, 1..256 (rtnh_hops + 1). */
  readonly weight: number;
  /** RTNH_F_* flags. */
  readonly flags: number;
  /** Realms (RTA_FLOW). */
  readonly flow: number | undefined;
  readonly newdst: string | undefined;
  readonly encap: RouteEncap | undefined;
}

/**
 * A route as the kernel reports it. Key names follow `ip -j route` where it
 * has one (dst, from, gateway, via, dev, prefsrc, metric, nexthops, …);
 * table, protocol and scope are numbers (their names come from
 * /etc/iproute2 files and are a presentation matter).
 */
export interface Route {
  /** AF_INET (2), AF_INET6 (10), … */
  readonly family: number;
  /** rtm_type as a name. */
  readonly type: RouteTypeName;
  /** rtm_type as a number. */
  readonly typeId: number;
  /** `'default'`, `'10.0.0.0/8'`, or a host address without `/len` (as `ip route` prints it). */
  readonly dst: string;
  readonly dst_len: number;
  /** Source prefix (RTA_SRC with rtm_src_len), like `dst`; `ip -j` key "from". */
  readonly from: string | undefined;
  readonly src_len: number;
  readonly tos: number;
  /** Table id (RTA_TABLE, or rtm_table). */
  readonly table: number;
  readonly protocol: number;
  readonly scope: number;
  /** rtm_flags (RTNH_F_* in the low byte, RTM_F_* above). */
  readonly flags: number;
  /** Output interface index (RTA_OIF). */
  readonly oif: number | undefined;
  /** Output interface name, when the caller resolved names. */
  dev: string | undefined;
  /** Input interface index (RTA_IIF). */
  readonly iif: number | undefined;
  /** Input interface name, when resolved. */
  iifName: string | undefined;
  readonly gateway: string | undefined;
  /** Gateway of another family (RTA_VIA), e.g. an IPv6 next hop of an IPv4 route. */
  readonly via: RtVia | undefined;
  /** Preferred source address (RTA_PREFSRC). */
  readonly prefsrc: string | undefined;
  /** RTA_PRIORITY. */
  readonly metric: number | undefined;
  readonly mark: number | undefined;
  /** Realms (RTA_FLOW): from << 16 | to. */
  readonly flow: number | undefined;
  readonly uid: number | undefined;
  /** Nexthop object id (RTA_NH_ID). */
  readonly nhid: number | undefined;
  /** IPv6 router preference (RTA_PREF), ICMPV6_ROUTER_PREF_*. */
  readonly pref: number | undefined;
  readonly ttl_propagate: boolean | undefined;
  readonly newdst: string | undefined;
  readonly cacheinfo: RtaCacheinfo | undefined;
  readonly metrics: RouteMetrics | undefined;
  readonly encap: RouteEncap | undefined;
  readonly nexthops: RouteNexthop[] | undefined;
  /** True for an RTM_DELROUTE notification. */
  readonly deleted: boolean;
}

const RTM_DELROUTE = 25;

/** Host bit length of a family (af_bit_len). */
export function hostBits(family: number): number {
  return family === 10 ? 128 : family === 2 ? 32 : family === 28 ? 20 : 0;
}

/** An IPv4/IPv6 address attribute; other lengths are malformed (as the schema's ipaddr codec says). */
function formatAddr(buf: Buffer, off: number, len: number): string {
  if (len === 4) return formatIPv4(buf, off);
  if (len === 16) return formatIPv6(buf, off);
  throw new ParseError(`IP address of ${len} bytes`, off, ['rtmsg', 'RTA']);
}

/** A fixed-size attribute shorter than its type is malformed (as the schema's fixed codecs say). */
function need(dlen: number, size: number, off: number): void {
  if (dlen < size) throw new ParseError(`attribute needs ${size} bytes, got ${dlen}`, off, ['rtmsg', 'RTA']);
}

/** `dst`/`from` text as iproute2 prints it. */
function prefixText(addr: string | undefined, plen: number, hostLen: number): string {
  if (addr !== undefined) return plen !== hostLen ? `${addr}/${plen}` : addr;
  if (plen) return `0/${plen}`;
  return 'default';
}

/** Convert the kernel's metrics nest to {@link RouteMetrics} (ms units). */
export function metricsFromAttrs(m: MetricsAttrs): RouteMetrics {
  const out: RouteMetrics = {};
  for (const key of Object.keys(m) as Array<keyof MetricsAttrs & keyof RouteMetrics>) {
    const v = m[key];
    if (v === undefined) continue;
    if (key === 'rtt') out.rtt = Math.floor((v as number) / 8);
    else if (key === 'rttvar') out.rttvar = Math.floor((v as number) / 4);
    else (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

function encapOf(type: number | undefined, raw: Buffer | Record<string, unknown> | undefined): RouteEncap | undefined {
  if (type === undefined || raw === undefined) return undefined;
  const data = Buffer.isBuffer(raw) ? decodeEncap(type, raw) : raw;
  return { type, name: ENCAP_TYPE_NAMES[type] ?? String(type), data };
}

function nexthopsFrom(list: RtNexthop[]): RouteNexthop[] {
  return list.map((nh) => ({
    gateway: nh.attrs.gateway,
    via: nh.attrs.via,
    oif: nh.ifindex,
    dev: undefined,
    weight: nh.hops + 1,
    flags: nh.flags,
    flow: nh.attrs.flow,
    newdst: nh.attrs.newdst,
    encap: encapOf(nh.attrs.encap_type, nh.attrs.encap as Buffer | undefined),
  }));
}

/** A {@link Route} whose fields may be overwritten (see {@link decodeRouteInto}). */
export type MutableRoute = { -readonly [K in keyof Route]: Route[K] };

/**
 * Decode one route message (fast path). Throws {@link ParseError} on a
 * malformed message.
 */
export function decodeRoute(m: MessageView): Route {
  return decodeRouteInto(m, undefined);
}

/**
 * Decode into `into` (overwriting every field) instead of a new object, for
 * consumers that use each route at once and keep none (`ip route show` of a
 * million routes allocates no Route objects). With `into` undefined, a new
 * object is returned.
 */
export function decodeRouteInto(m: MessageView, into: MutableRoute | undefined): Route {
  const buf = m.buf;
  const off = m.off;
  if (m.len < 12) throw new ParseError(`rtmsg needs 12 bytes, got ${m.len}`, off, ['rtmsg']);
  const family = buf[off]!;
  const dstLen = buf[off + 1]!;
  const srcLen = buf[off + 2]!;
  const typeId = buf[off + 7]!;
  const hostLen = hostBits(family);
  let dst: string | undefined, src: string | undefined, gateway: string | undefined, prefsrc: string | undefined;
  let newdst: string | undefined;
  let table = buf[off + 4]!;
  let oif: number | undefined, iif: number | undefined, metric: number | undefined, mark: number | undefined;
  let flow: number | undefined, uid: number | undefined, nhid: number | undefined, pref: number | undefined;
  let ttlProp: boolean | undefined;
  let via: RtVia | undefined;
  let cacheinfo: RtaCacheinfo | undefined;
  let metrics: RouteMetrics | undefined;
  let nexthops: RouteNexthop[] | undefined;
  let encapType: number | undefined;
  let encapRaw: Buffer | undefined;
  const end = off + m.len;
  let p = off + 12;
  while (end - p >= 4) {
    const alen = buf.readUInt16LE(p);
    const type = buf.readUInt16LE(p + 2) & 0x3fff;
    if (alen < 4 || alen > end - p) throw new ParseError(`attribute type ${type} has bad length ${alen}`, p, ['rtmsg', 'RTA']);
    const d = p + 4;
    const dlen = alen - 4;
    switch (type) {
      case RTA.DST: dst = formatAddr(buf, d, dlen); break;
      case RTA.SRC: src = formatAddr(buf, d, dlen); break;
      case RTA.OIF: need(dlen, 4, d); oif = buf.readUInt32LE(d); break;
      case RTA.IIF: need(dlen, 4, d); iif = buf.readUInt32LE(d); break;
      case RTA.GATEWAY: gateway = formatAddr(buf, d, dlen); break;
      case RTA.PRIORITY: need(dlen, 4, d); metric = buf.readUInt32LE(d); break;
      case RTA.PREFSRC: prefsrc = formatAddr(buf, d, dlen); break;
      case RTA.TABLE: need(dlen, 4, d); table = buf.readUInt32LE(d); break;
      case RTA.MARK: need(dlen, 4, d); mark = buf.readUInt32LE(d); break;
      case RTA.FLOW: need(dlen, 4, d); flow = buf.readUInt32LE(d); break;
      case RTA.UID: need(dlen, 4, d); uid = buf.readUInt32LE(d); break;
      case RTA.NH_ID: need(dlen, 4, d); nhid = buf.readUInt32LE(d); break;
      case RTA.PREF: need(dlen, 1, d); pref = buf[d]!; break;
      case RTA.TTL_PROPAGATE: need(dlen, 1, d); ttlProp = buf[d] !== 0; break;
      case RTA.NEWDST: newdst = formatAddr(buf, d, dlen); break;
      case RTA.VIA: via = rtvia.decode(buf, d, dlen, {}); break;
      case RTA.CACHEINFO: cacheinfo = rtaCacheinfo.decode(buf, d, dlen); break;
      case RTA.METRICS: metrics = metricsFromAttrs(metricsAttrs.decode(buf, d, dlen, {})); break;
      case RTA.MULTIPATH: nexthops = nexthopsFrom(multipath.decode(buf, d, dlen, {})); break;
      case RTA.ENCAP_TYPE: need(dlen, 2, d); encapType = buf.readUInt16LE(d); break;
      case RTA.ENCAP: encapRaw = Buffer.from(buf.subarray(d, d + dlen)); break;
      default: break;
    }
    p += align4(alen);
  }
  // Every field is assigned, in one fixed order, so all routes share one object shape.
  if (!into) return {
    family,
    type: ROUTE_TYPE_NAMES[typeId] ?? (String(typeId) as RouteTypeName),
    typeId,
    dst: prefixText(dst, dstLen, hostLen),
    dst_len: dstLen,
    from: src !== undefined || srcLen ? prefixText(src, srcLen, hostLen) : undefined,
    src_len: srcLen,
    tos: buf[off + 3]!,
    table,
    protocol: buf[off + 5]!,
    scope: buf[off + 6]!,
    flags: buf.readUInt32LE(off + 8),
    oif,
    dev: undefined,
    iif,
    iifName: undefined,
    gateway,
    via,
    prefsrc,
    metric,
    mark,
    flow,
    uid,
    nhid,
    pref,
    ttl_propagate: ttlProp,
    newdst,
    cacheinfo,
    metrics,
    encap: encapOf(encapType, encapRaw),
    nexthops,
    deleted: m.type === RTM_DELROUTE,
  };
  into.family = family;
  into.type = ROUTE_TYPE_NAMES[typeId] ?? (String(typeId) as RouteTypeName);
  into.typeId = typeId;
  into.dst = prefixText(dst, dstLen, hostLen);
  into.dst_len = dstLen;
  into.from = src !== undefined || srcLen ? prefixText(src, srcLen, hostLen) : undefined;
  into.src_len = srcLen;
  into.tos = buf[off + 3]!;
  into.table = table;
  into.protocol = buf[off + 5]!;
  into.scope = buf[off + 6]!;
  into.flags = buf.readUInt32LE(off + 8);
  into.oif = oif;
  into.dev = undefined;
  into.iif = iif;
  into.iifName = undefined;
  into.gateway = gateway;
  into.via = via;
  into.prefsrc = prefsrc;
  into.metric = metric;
  into.mark = mark;
  into.flow = flow;
  into.uid = uid;
  into.nhid = nhid;
  into.pref = pref;
  into.ttl_propagate = ttlProp;
  into.newdst = newdst;
  into.cacheinfo = cacheinfo;
  into.metrics = metrics;
  into.encap = encapOf(encapType, encapRaw);
  into.nexthops = nexthops;
  into.deleted = m.type === RTM_DELROUTE;
  return into;
}

/**
 * Decode one route message through the schema ({@link routeMessage}); the
 * reference the fast {@link decodeRoute} is tested against.
 */
export function decodeRouteBySchema(m: MessageView): Route {
  const { header: h, attrs: a } = routeMessage.decode(m.buf, m.off, m.len);
  const hostLen = hostBits(h.family);
  return {
    family: h.family,
    type: ROUTE_TYPE_NAMES[h.type] ?? (String(h.type) as RouteTypeName),
    typeId: h.type,
    dst: prefixText(a.dst, h.dst_len, hostLen),
    dst_len: h.dst_len,
    from: a.src !== undefined || h.src_len ? prefixText(a.src, h.src_len, hostLen) : undefined,
    src_len: h.src_len,
    tos: h.tos,
    table: a.table ?? h.table,
    protocol: h.protocol,
    scope: h.scope,
    flags: h.flags,
    oif: a.oif,
    dev: undefined,
    iif: a.iif,
    iifName: undefined,
    gateway: a.gateway,
    via: a.via,
    prefsrc: a.prefsrc,
    metric: a.priority,
    mark: a.mark,
    flow: a.flow,
    uid: a.uid,
    nhid: a.nh_id,
    pref: a.pref,
    ttl_propagate: a.ttl_propagate === undefined ? undefined : a.ttl_propagate !== 0,
    newdst: a.newdst,
    cacheinfo: a.cacheinfo,
    metrics: a.metrics ? metricsFromAttrs(a.metrics) : undefined,
    encap: encapOf(a.encap_type, a.encap as Buffer | undefined),
    nexthops: a.multipath ? nexthopsFrom(a.multipath) : undefined,
    deleted: m.type === RTM_DELROUTE,
  };
}

/** Whether a route is a cache entry (RTM_F_CLONED). */
export function isCloned(r: Route): boolean {
  return (r.flags & RTM_F.CLONED) !== 0;
}

export { RTN, RTAX };
