/**
 * `ip route { add | del | change | append | replace | prepend | test }`:
 * iproute2's iproute_modify() grammar turned into a route request (rtmsg +
 * RTA_* attributes in iproute2's byte order: command-line order, then
 * RTA_OIF, RTA_METRICS and RTA_MULTIPATH). Parsing is pure: interface names
 * are resolved by the caller, and nothing is sent here.
 * @module
 */
import { CliError, invarg, duparg2, incomplete, matches } from '../common/args.js';
import type { RtMsg } from '../../netlink/structs.js';
import type { RouteAttrs, MetricsAttrs, NexthopAttrs, RtNexthop } from '../../netlink/rtnetlink/route-schema.js';
import type { RouteOp } from '../../netlink/route.js';
import {
  getAddr, getPrefix, prefixAddrText, getUnsigned, getU8, getTimeRtt, afBitLen,
  AF_UNSPEC, AF_INET, AF_INET6, AF_MPLS, type InetPrefix,
} from './route-args.js';
import { dsfieldId, scopeId, protoId, tableId, parseRealms, routeTypeId } from './route-names.js';
import { readFamily } from './main.js';
import { routeUsage } from './route-usage.js';
import { parseLwtEncap } from './lwtunnel.js';

const RTN_UNICAST = 1, RTN_LOCAL = 2, RTN_BROADCAST = 3, RTN_ANYCAST = 4, RTN_MULTICAST = 5, RTN_NAT = 10, RTN_UNSPEC = 0;
const RT_SCOPE_UNIVERSE = 0, RT_SCOPE_LINK = 253, RT_SCOPE_HOST = 254, RT_SCOPE_NOWHERE = 255;
const RT_TABLE_MAIN = 254, RT_TABLE_LOCAL = 255;
const RTPROT_BOOT = 3;
const RTNH_F_ONLINK = 4;
const LWTUNNEL_ENCAP_MPLS = 1;
const RTAX = {
  MTU: 2, WINDOW: 3, RTT: 4, RTTVAR: 5, SSTHRESH: 6, CWND: 7, ADVMSS: 8, REORDERING: 9, HOPLIMIT: 10,
  INITCWND: 11, FEATURES: 12, RTO_MIN: 13, INITRWND: 14, QUICKACK: 15, CC_ALGO: 16, FASTOPEN_NO_COOKIE: 17,
};

/** A parsed modification: everything but the interface indexes, which the caller resolves. */
export interface ParsedModify {
  readonly op: RouteOp;
  readonly header: RtMsg;
  readonly attrs: RouteAttrs;
  /** `dev NAME` of the route (resolved into attrs.oif, placed where iproute2 puts it). */
  readonly dev: string | undefined;
  /** `dev NAME` of each nexthop, in order (undefined: none given). */
  readonly nexthopDevs: Array<string | undefined>;
  /** The destination as written, for messages. */
  readonly what: string;
}

/** Map the ip verb to an operation (do_iproute); undefined if not a modification. */
export function modifyOp(verb: string): RouteOp | undefined {
  if (matches(verb, 'add')) return 'add';
  if (matches(verb, 'change') || verb === 'chg') return 'change';
  if (matches(verb, 'replace')) return 'replace';
  if (matches(verb, 'prepend')) return 'prepend';
  if (matches(verb, 'append')) return 'append';
  if (matches(verb, 'test')) return 'test';
  if (matches(verb, 'delete')) return 'del';
  return undefined;
}

function addrAttrText(a: InetPrefix): string {
  return prefixAddrText(a);
}

/** Parse an MPLS `encap mpls LABELS [ttl N]` (lwt_parse_encap); `i` points at "encap". Returns the new index. */
function parseEncap(argv: readonly string[], i: number, into: { encap?: unknown; encap_type?: number }, ifindex: (name: string) => number): number {
  if (i + 1 < argv.length && argv[i + 1] !== 'mpls') {
    // Every other type: lwtunnel.ts.
    const { encap, last } = parseLwtEncap(argv, i, { index: ifindex });
    into.encap = encap.data;
    into.encap_type = encap.type;
    return last;
  }
  if (++i >= argv.length) incomplete();
  if (++i >= argv.length) incomplete();
  if (argv.length - i <= 1) throw new CliError('Error: unexpected end of line after "encap"');
  const labels = argv[i]!;
  const a = (() => {
    try { return getAddr(labels, AF_MPLS); } catch {
      throw new CliError(`Error: mpls address is expected rather than "${labels}".`, 1);
    }
  })();
  void a;
  const data: Record<string, unknown> = { dst: labels };
  i++;
  let ttlSeen = false;
  while (i < argv.length && argv[i] === 'ttl') {
    if (++i >= argv.length) incomplete();
    if (ttlSeen) duparg2('ttl', argv[i]!);
    ttlSeen = true;
    const t = getU8(argv[i]!);
    if (t === null) invarg('"ttl" value is invalid\n', argv[i]!);
    data['ttl'] = t;
    i++;
  }
  into.encap = data;
  into.encap_type = LWTUNNEL_ENCAP_MPLS;
  return i - 1;
}

/**
 * Parse the arguments of `ip route add|del|…` (after the verb). Throws
 * CliError with iproute2's text and status on bad input.
 */
export function parseModify(op: RouteOp, argv: readonly string[], preferredFamily: number, ifindex: (name: string) => number = () => 0): ParsedModify {
  const isDel = op === 'del';
  const h: RtMsg = {
    family: preferredFamily, dst_len: 0, src_len: 0, tos: 0, table: RT_TABLE_MAIN,
    protocol: isDel ? 0 : RTPROT_BOOT, scope: isDel ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE,
    type: isDel ? 0 : RTN_UNICAST, flags: 0,
  };
  const a: RouteAttrs = {};
  const mx: MetricsAttrs = {};
  let mxlock = 0;
  let mxUsed = false;
  let dev: string | undefined;
  let gwOk = false, dstOk = false, nhsOk = false, scopeOk = false, tableOk = false, typeOk = false;
  let nhid = 0;
  let what = 'default';
  let i = 0;
  const n = argv.length;
  const next = (): string => { if (++i >= n) incomplete(); return argv[i]!; };
  const metric = (bit: number, key: Exclude<keyof MetricsAttrs, symbol>, parse: (v: string) => number | null, err: string): void => {
    let v = next();
    if (v === 'lock') { mxlock |= 1 << bit; v = next(); }
    const x = parse(v);
    if (x === null) invarg(err, v);
    (mx as Record<string, unknown>)[key] = x;
    mxUsed = true;
  };
  const dstArg = (v: string): void => {
    if (matches(v, 'help')) routeUsage();
    if (dstOk) duparg2('to', v);
    const p = getPrefix(v, h.family);
    if (h.family === AF_UNSPEC) h.family = p.family;
    h.dst_len = p.bitlen;
    dstOk = true;
    what = v;
    if (p.bytelen) a.dst = addrAttrText(p);
  };
  for (; i < n; i++) {
    const arg = argv[i]!;
    // Fast paths for the two commonest tokens. Equivalent to the chain below:
    // no keyword starts with a digit (so a digit means the destination), and
    // no earlier keyword test accepts "dev".
    const c0 = arg.charCodeAt(0);
    if (c0 >= 48 && c0 <= 57) { dstArg(arg); continue; }
    if (arg === 'dev') { dev = next(); continue; }
    if (arg === 'src') {
      const ad = getAddr(next(), h.family);
      if (h.family === AF_UNSPEC) h.family = ad.family;
      a.prefsrc = addrAttrText(ad);
    } else if (arg === 'as') {
      let v = next();
      if (v === 'to') v = next();
      const ad = getAddr(v, h.family);
      if (h.family === AF_UNSPEC) h.family = ad.family;
      a.newdst = addrAttrText(ad);
    } else if (arg === 'via') {
      if (gwOk) invarg('use nexthop syntax to specify multiple via\n', arg);
      gwOk = true;
      let v = next();
      let family = readFamily(v);
      if (family === AF_UNSPEC) family = h.family; else v = next();
      const ad = getAddr(v, family);
      if (h.family === AF_UNSPEC) h.family = ad.family;
      if (ad.family === h.family) a.gateway = addrAttrText(ad);
      else a.via = { family: ad.family, host: addrAttrText(ad) };
    } else if (arg === 'from') {
      const p = getPrefix(next(), h.family);
      if (h.family === AF_UNSPEC) h.family = p.family;
      if (p.bytelen) a.src = addrAttrText(p);
      h.src_len = p.bitlen;
    } else if (arg === 'tos' || matches(arg, 'dsfield')) {
      const v = next();
      const t = dsfieldId(v);
      if (t === null) invarg('"tos" value is invalid\n', v);
      h.tos = t;
    } else if (arg === 'expires') {
      const v = next();
      const e = getUnsigned(v);
      if (e === null) invarg('"expires" value is invalid\n', v);
      a.expires = e;
    } else if (matches(arg, 'metric') || matches(arg, 'priority') || arg === 'preference') {
      const v = next();
      const m = getUnsigned(v);
      if (m === null) invarg('"metric" value is invalid\n', v);
      a.priority = m;
    } else if (arg === 'scope') {
      const v = next();
      const s = scopeId(v);
      if (s === null) invarg('invalid "scope" value\n', v);
      h.scope = s;
      scopeOk = true;
    } else if (arg === 'mtu') {
      metric(RTAX.MTU, 'mtu', getUnsigned, '"mtu" value is invalid\n');
    } else if (arg === 'hoplimit') {
      metric(RTAX.HOPLIMIT, 'hoplimit', (v) => { const x = getUnsigned(v); return x !== null && x <= 255 ? x : null; }, '"hoplimit" value is invalid\n');
    } else if (arg === 'advmss') {
      metric(RTAX.ADVMSS, 'advmss', getUnsigned, '"mss" value is invalid\n');
    } else if (matches(arg, 'reordering')) {
      metric(RTAX.REORDERING, 'reordering', getUnsigned, '"reordering" value is invalid\n');
    } else if (arg === 'rtt') {
      metric(RTAX.RTT, 'rtt', (v) => { const t = getTimeRtt(v); return t ? (t.raw ? t.value : t.value * 8) >>> 0 : null; }, '"rtt" value is invalid\n');
    } else if (arg === 'rto_min') {
      const v = next();
      mxlock |= 1 << RTAX.RTO_MIN;
      const t = getTimeRtt(v);
      if (!t) invarg('"rto_min" value is invalid\n', v);
      mx.rto_min = t.value;
      mxUsed = true;
    } else if (matches(arg, 'window')) {
      metric(RTAX.WINDOW, 'window', getUnsigned, '"window" value is invalid\n');
    } else if (matches(arg, 'cwnd')) {
      metric(RTAX.CWND, 'cwnd', getUnsigned, '"cwnd" value is invalid\n');
    } else if (matches(arg, 'initcwnd')) {
      metric(RTAX.INITCWND, 'initcwnd', getUnsigned, '"initcwnd" value is invalid\n');
    } else if (matches(arg, 'initrwnd')) {
      metric(RTAX.INITRWND, 'initrwnd', getUnsigned, '"initrwnd" value is invalid\n');
    } else if (matches(arg, 'features')) {
      let features = 0;
      const v = next();
      if (v === 'ecn') features |= 1; else invarg('"features" value not valid\n', v);
      mx.features = features;
      mxUsed = true;
    } else if (matches(arg, 'quickack')) {
      const v = next();
      const q = getUnsigned(v);
      if (q === null) invarg('"quickack" value is invalid\n', v);
      if (q !== 0 && q !== 1) invarg('"quickack" value should be 0 or 1\n', v);
      mx.quickack = q;
      mxUsed = true;
    } else if (matches(arg, 'congctl')) {
      let v = next();
      if (v === 'lock') { mxlock |= 1 << RTAX.CC_ALGO; v = next(); }
      mx.congctl = v;
      mxUsed = true;
    } else if (matches(arg, 'rttvar')) {
      metric(RTAX.RTTVAR, 'rttvar', (v) => { const t = getTimeRtt(v); return t ? (t.raw ? t.value : t.value * 4) >>> 0 : null; }, '"rttvar" value is invalid\n');
    } else if (matches(arg, 'ssthresh')) {
      metric(RTAX.SSTHRESH, 'ssthresh', getUnsigned, '"ssthresh" value is invalid\n');
    } else if (matches(arg, 'realms')) {
      const v = next();
      const r = parseRealms(v);
      if (r === null) invarg('"realm" value is invalid\n', v);
      a.flow = r;
    } else if (arg === 'onlink') {
      h.flags |= RTNH_F_ONLINK;
    } else if (arg === 'nexthop') {
      nhsOk = true;
      break;
    } else if (arg === 'nhid') {
      const v = next();
      const x = getUnsigned(v);
      if (x === null) invarg('"id" value is invalid\n', v);
      nhid = x;
      a.nh_id = x;
    } else if (matches(arg, 'protocol')) {
      const v = next();
      const p = protoId(v);
      if (p === null) invarg('"protocol" value is invalid\n', v);
      h.protocol = p;
    } else if (matches(arg, 'table')) {
      const v = next();
      const t = tableId(v);
      if (t === null) invarg('"table" value is invalid\n', v);
      if (t < 256) h.table = t;
      else { h.table = 0; a.table = t; }
      tableOk = true;
    } else if (matches(arg, 'vrf')) {
      const v = next();
      // This kernel build has no VRF devices; iproute2 answers the same for a non-VRF name.
      invarg('Invalid VRF\n', v);
    } else if (arg === 'dev' || arg === 'oif') {
      dev = next();
    } else if (matches(arg, 'pref')) {
      const v = next();
      let pref: number | null;
      if (v === 'low') pref = 3;
      else if (v === 'medium') pref = 0;
      else if (v === 'high') pref = 1;
      else pref = getU8(v);
      if (pref === null) invarg('"pref" value is invalid\n', v);
      a.pref = pref;
    } else if (arg === 'encap') {
      i = parseEncap(argv, i, a, ifindex);
    } else if (arg === 'ttl-propagate') {
      const v = next();
      let t: number;
      if (matches(v, 'enabled')) t = 1;
      else if (matches(v, 'disabled')) t = 0;
      else invarg('"ttl-propagate" value is invalid\n', v);
      a.ttl_propagate = t;
    } else if (matches(arg, 'fastopen_no_cookie')) {
      const v = next();
      const f = getUnsigned(v);
      if (f === null) invarg('"fastopen_no_cookie" value is invalid\n', v);
      if (f !== 0 && f !== 1) invarg('"fastopen_no_cookie" value should be 0 or 1\n', v);
      mx.fastopen_no_cookie = f;
      mxUsed = true;
    } else {
      let v = arg;
      if (v === 'to') v = next();
      const c = v.charCodeAt(0);
      if (!(c >= 48 && c <= 57)) {
        const t = routeTypeId(v);
        if (t !== null) {
          v = next();
          h.type = t;
          typeOk = true;
        }
      }
      dstArg(v);
    }
  }
  if (!dstOk) routeUsage();
  const nexthopDevs: Array<string | undefined> = [];
  if (dev !== undefined) a.oif = 0; // placeholder keeps iproute2's position; the caller sets the index
  if (mxUsed) {
    if (mxlock) mx.lock = mxlock;
    a.metrics = mx;
  }
  if (nhsOk) a.multipath = parseNexthops(argv.slice(i), h, nexthopDevs, ifindex);
  if (h.family === AF_UNSPEC) h.family = AF_INET;
  if (!tableOk && (h.type === RTN_LOCAL || h.type === RTN_BROADCAST || h.type === RTN_NAT || h.type === RTN_ANYCAST)) h.table = RT_TABLE_LOCAL;
  if (!scopeOk) {
    if (h.family === AF_INET6 || h.family === AF_MPLS) h.scope = RT_SCOPE_UNIVERSE;
    else if (h.type === RTN_LOCAL || h.type === RTN_NAT) h.scope = RT_SCOPE_HOST;
    else if (h.type === RTN_BROADCAST || h.type === RTN_MULTICAST || h.type === RTN_ANYCAST) h.scope = RT_SCOPE_LINK;
    else if (h.type === RTN_UNICAST || h.type === RTN_UNSPEC) {
      if (isDel) h.scope = RT_SCOPE_NOWHERE;
      else if (!gwOk && !nhsOk && !nhid) h.scope = RT_SCOPE_LINK;
    }
  }
  if (!typeOk && h.family === AF_MPLS) h.type = RTN_UNICAST;
  void afBitLen;
  return { op, header: h, attrs: a, dev, nexthopDevs, what };
}

/** parse_nexthops / parse_one_nh: `argv` starts at the first "nexthop". */
function parseNexthops(argv: readonly string[], h: RtMsg, devs: Array<string | undefined>, ifindex: (name: string) => number): RtNexthop[] {
  const out: RtNexthop[] = [];
  let i = 0;
  while (i < argv.length) {
    if (argv[i] !== 'nexthop') throw new CliError(`Error: "nexthop" or end of line is expected instead of "${argv[i]}"`);
    if (argv.length - i <= 1) throw new CliError('Error: unexpected end of line after "nexthop"');
    const nh: RtNexthop = { flags: 0, hops: 0, ifindex: 0, attrs: {} };
    const na: NexthopAttrs = nh.attrs;
    let dev: string | undefined;
    const next = (): string => { if (++i >= argv.length) incomplete(); return argv[i]!; };
    for (i++; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === 'via') {
        let v = next();
        let family = readFamily(v);
        if (family === AF_UNSPEC) family = h.family; else v = next();
        const ad = getAddr(v, family);
        if (h.family === AF_UNSPEC) h.family = ad.family;
        if (ad.family === h.family) na.gateway = addrAttrText(ad);
        else na.via = { family: ad.family, host: addrAttrText(ad) };
      } else if (arg === 'dev') {
        dev = next();
      } else if (arg === 'weight') {
        const v = next();
        const w = getUnsigned(v);
        if (w === null || w === 0 || w > 256) invarg('"weight" is invalid\n', v);
        nh.hops = w - 1;
      } else if (arg === 'onlink') {
        nh.flags |= RTNH_F_ONLINK;
      } else if (matches(arg, 'realms')) {
        const v = next();
        const r = parseRealms(v);
        if (r === null) invarg('"realm" value is invalid\n', v);
        na.flow = r;
      } else if (arg === 'encap') {
        i = parseEncap(argv, i, na, ifindex);
      } else if (arg === 'as') {
        let v = next();
        if (v === 'to') v = next();
        na.newdst = addrAttrText(getAddr(v, h.family));
      } else {
        break;
      }
    }
    devs.push(dev);
    out.push(nh);
  }
  return out;
}

/** Put resolved interface indexes into a parsed request (RTA_OIF keeps its place). */
export function applyIfindexes(p: ParsedModify, resolve: (name: string) => number): void {
  if (p.dev !== undefined) p.attrs.oif = resolve(p.dev);
  if (p.attrs.multipath) p.attrs.multipath.forEach((nh, k) => { const d = p.nexthopDevs[k]; if (d !== undefined) nh.ifindex = resolve(d); });
}
