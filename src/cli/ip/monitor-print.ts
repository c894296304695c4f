/**
 * `ip monitor` lines for neighbours, nexthops, multicast routes and IPv6
 * prefixes, as iproute2 6.1 prints them from ipmonitor.c's accept_msg():
 * print_neigh() (ip/ipneigh.c), print_cache_nexthop() (ip/ipnexthop.c),
 * print_mroute() (ip/ipmroute.c) and print_prefix() (ip/ipprefix.c), with
 * the filters ipmonitor.c resets them to (only `dev` is set).
 *
 * Prefixes have no library decoder, so they are decoded here from the raw
 * payload with a schema declared in this file. The multicast route and
 * netconf printers also serve `ip mroute` and `ip netconf`.
 * @module
 */
import type { CliContext } from '../common/context.js';
import { ANY, FP, JSON_ONLY } from '../../output/printer.js';
import { COLOR_IFNAME, COLOR_MAC, familyColor } from '../../output/color.js';
import type { Neighbor } from '../../netlink/neighbor.js';
import type { Nexthop } from '../../netlink/nexthop.js';
import { attrs, attr, u32, ipaddr, struct, message, u8, pad, s32 } from '../../netlink/codec/schema.js';
import type { MulticastRoute } from '../../netlink/mroute.js';
import { protoName, tableName } from './rtnl-names.js';
import { sprintf } from '../../output/printf.js';
import { printNexthop } from './nexthop.js';
import type { NetconfMessage } from '../../netlink/rtnetlink/netconf-schema.js';
import { familyName } from '../../netlink/rtnetlink/address-schema.js';
import { formatHost } from './resolve.js';

/** Names of devices by index (ll_index_to_name: `ifN` when unknown). */
export type NameOf = (index: number) => string;

const NUD_NAMES: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'INCOMPLETE'], [0x02, 'REACHABLE'], [0x04, 'STALE'], [0x08, 'DELAY'],
  [0x10, 'PROBE'], [0x20, 'FAILED'], [0x40, 'NOARP'], [0x80, 'PERMANENT'],
];
const NTF_ROUTER = 0x80, NTF_PROXY = 0x08, NTF_EXT_LEARNED = 0x10, NTF_OFFLOADED = 0x20;
const NTF_EXT_MANAGED = 0x01;
/** USER_HZ (get_user_hz(): sysconf(_SC_CLK_TCK) is 100 on Linux). */
const USER_HZ = 100;

/**
 * print_neigh() for a notification: `nlmsgType` tells new (RTM_NEWNEIGH),
 * deleted (RTM_DELNEIGH) and a resolution miss (RTM_GETNEIGH); `ifindex` is
 * `ip monitor dev`'s filter (0 for none).
 */
export function printNeighEvent(ctx: CliContext, n: Neighbor, action: 'new' | 'del' | 'get', ifindex: number, nameOf: NameOf): void {
  const p = ctx.printer;
  const h = n.raw.header;
  if (ifindex && ifindex !== h.ifindex) return;
  // filter.state = ~0: only entries without a state (NUD_NONE) are dropped, unless proxy/extern_learn.
  if (!h.state && !(h.flags & NTF_PROXY) && !(h.flags & NTF_EXT_LEARNED)) return;
  p.openObject();
  if (action === 'del') p.bool(ANY, 'deleted', 'Deleted ', true);
  else if (action === 'get') p.null(ANY, 'miss', '%s ', 'miss');
  const dst = n.raw.attrs.dst;
  if (ctx.opts.brief) {
    if (dst !== undefined) p.colorString(ANY, familyColor(h.family), 'dst', '%-39s ', formatHost(dst));
    if (!ifindex && h.ifindex) p.colorString(ANY, COLOR_IFNAME, 'dev', '%-16s ', nameOf(h.ifindex));
    if (n.lladdr !== undefined) p.colorString(ANY, COLOR_MAC, 'lladdr', '%s', n.lladdr);
    p.string(FP, null, '%s', '\n');
    p.closeObject();
    return;
  }
  if (dst !== undefined) p.colorString(ANY, familyColor(h.family), 'dst', '%s ', formatHost(dst));
  if (!ifindex && h.ifindex) {
    p.text('dev ');
    p.colorString(ANY, COLOR_IFNAME, 'dev', '%s ', nameOf(h.ifindex));
  }
  if (n.lladdr !== undefined) {
    p.text('lladdr ');
    p.colorString(ANY, COLOR_MAC, 'lladdr', '%s ', n.lladdr);
  }
  if (h.flags & NTF_ROUTER) p.null(ANY, 'router', '%s ', 'router');
  if (h.flags & NTF_PROXY) p.null(ANY, 'proxy', '%s ', 'proxy');
  if (n.extFlags & NTF_EXT_MANAGED) p.null(ANY, 'managed', '%s ', 'managed');
  if (h.flags & NTF_EXT_LEARNED) p.null(ANY, 'extern_learn', '%s ', 'extern_learn');
  if (h.flags & NTF_OFFLOADED) p.null(ANY, 'offload', '%s ', 'offload');
  if (ctx.opts.stats) {
    const ci = n.cacheinfo;
    if (ci) {
      if (ci.ndm_refcnt) p.uint(ANY, 'refcnt', ' ref %u', ci.ndm_refcnt);
      p.uint(ANY, 'used', ' used %u', Math.floor(ci.ndm_used / USER_HZ));
      p.uint(ANY, 'confirmed', '/%u', Math.floor(ci.ndm_confirmed / USER_HZ));
      p.uint(ANY, 'updated', '/%u', Math.floor(ci.ndm_updated / USER_HZ));
    }
    if (n.probes !== undefined) p.uint(ANY, 'probes', 'probes %u ', n.probes);
  }
  if (h.state) {
    p.openArray(JSON_ONLY, p.inJson ? 'state' : '');
    for (const [bit, name] of NUD_NAMES) if (h.state & bit) p.string(ANY, null, '%s ', name);
    p.closeArray(JSON_ONLY, '');
  }
  if (n.protocol) p.string(ANY, 'protocol', 'proto %s ', protoName(n.protocol, ctx.opts.numeric > 0));
  p.string(FP, null, '\n', '');
  p.closeObject();
}

/** clock_t ticks → seconds as __jiffies_to_tv() + print_tv() read them (%g). */
function ticks(t: number | bigint | undefined): number {
  const us = BigInt(t ?? 0) * 10000n;
  const sec = us / 1000000n;
  return Number(sec) + Number(us - sec * 1000000n) / 1000000;
}

/** print_cache_nexthop(): the nexthop module's printer, with monitor's device names. */
export function printNexthopEvent(ctx: CliContext, nh: Nexthop, deleted: boolean, nameOf: NameOf): void {
  printNexthop(ctx, ctx.printer, nh.raw.header, nh.raw.attrs, { name: nameOf }, deleted);
}


const RTNH_F_OFFLOAD = 0x08;
const RT_TABLE_MAIN = 254;

/** print_mroute()'s filter: table (0 for any), iif (0 for any). */
export interface MrouteShowFilter {
  readonly tb: number;
  readonly iif: number;
}

/**
 * print_mroute() (ip/ipmroute.c), for `ip mroute` and `ip monitor mroute`.
 * Returns false, after iproute2's complaint on stderr, for a route that is
 * not multicast (iproute2's callback then fails).
 */
export function printMrouteEvent(ctx: CliContext, r: MulticastRoute, deleted: boolean, filter: MrouteShowFilter, nameOf: NameOf): boolean {
  const p = ctx.printer;
  if (!r.multicast) {
    ctx.warn('Non multicast route received, kernel does support IP multicast?');
    return false;
  }
  const table = r.table;
  if (filter.tb > 0 && filter.tb !== table) return true;
  const iif = r.iif;
  if (filter.iif && filter.iif !== iif) return true;
  p.openObject();
  if (deleted) p.bool(ANY, 'deleted', 'Deleted ', true);
  const src = r.src ?? 'unknown';
  const dst = r.dst ?? 'unknown';
  if (p.inJson) {
    p.string(JSON_ONLY, 'src', '', src);
    p.string(JSON_ONLY, 'dst', '', dst);
  } else {
    p.string(FP, null, '%-32s Iif: ', `(${src},${dst})`);
  }
  if (iif) p.colorString(ANY, COLOR_IFNAME, 'iif', '%-10s ', nameOf(iif));
  else p.string(ANY, 'iif', '%s ', 'unresolved');
  if (r.oifs) {
    p.openArray(JSON_ONLY, 'multipath');
    let first = true;
    for (const o of r.oifs) {
      p.openObject();
      if (first) { p.string(FP, null, 'Oifs: ', null); first = false; }
      p.colorString(ANY, COLOR_IFNAME, 'oif', '%s', nameOf(o.ifindex));
      if (o.ttl > 1) p.uint(ANY, 'ttl', '(ttl %u) ', o.ttl);
      else p.string(FP, null, ' ', null);
      p.closeObject();
    }
    p.closeArray(JSON_ONLY, '');
  }
  p.string(ANY, 'state', ' State: %s', r.unresolved ? 'unresolved' : 'resolved');
  if (r.flags & RTNH_F_OFFLOAD) p.null(ANY, 'offload', ' offload', '');
  if (ctx.opts.stats && r.stats) {
    const s = r.stats;
    p.nl();
    p.u64(ANY, 'packets', '  %u packets,', s.packets);
    p.u64(ANY, 'bytes', ' %u bytes', s.bytes);
    if (s.wrong_if) p.u64(ANY, 'wrong_if', ', %u arrived on wrong iif.', s.wrong_if);
  }
  if (ctx.opts.stats && r.expires !== undefined) p.float(ANY, 'expires', ', Age %.2f', ticks(r.expires));
  if (table && (table !== RT_TABLE_MAIN || ctx.opts.details > 0) && !filter.tb) p.string(ANY, 'table', ' Table: %s', tableName(table, ctx.opts.numeric > 0));
  p.string(FP, null, '\n', null);
  p.closeObject();
  return true;
}

const RP_FILTER_NAMES = ['off', 'strict', 'loose'];

/**
 * print_netconf() (ip/ipnetconf.c) for one entry, by `ip netconf` and
 * `ip monitor netconf`; filtering is the caller's.
 */
export function printNetconfEvent(ctx: CliContext, n: NetconfMessage, deleted: boolean, nameOf: NameOf): void {
  const p = ctx.printer;
  p.openObject();
  if (deleted) p.bool(ANY, 'deleted', 'Deleted ', true);
  p.string(ANY, 'family', '%s ', familyName(n.family));
  if (n.ifindex !== undefined) {
    const ifi = n.ifindex;
    const dev = ifi === -1 ? 'all' : ifi === -2 ? 'default' : nameOf(ifi);
    p.colorString(ANY, COLOR_IFNAME, 'interface', '%s ', dev);
  }
  const onOff = (key: string, v: number | undefined): void => { if (v !== undefined) p.onOff(ANY, key, `${key} %s `, v !== 0); };
  onOff('forwarding', n.forwarding);
  if (n.rp_filter !== undefined) {
    const rp = n.rp_filter >>> 0;
    if (rp < RP_FILTER_NAMES.length) p.string(ANY, 'rp_filter', 'rp_filter %s ', RP_FILTER_NAMES[rp]!);
    else p.uint(ANY, 'rp_filter', 'rp_filter %u ', rp);
  }
  onOff('mc_forwarding', n.mc_forwarding);
  onOff('proxy_neigh', n.proxy_neigh);
  onOff('ignore_routes_with_linkdown', n.ignore_routes_with_linkdown);
  onOff('input', n.input);
  p.closeObject();
  p.string(FP, null, '\n', null);
}

/** struct prefixmsg (linux/rtnetlink.h). */
const prefixmsg = struct('prefixmsg', {
  family: u8, _pad1: pad(1), _pad2: pad(2), ifindex: s32, type: u8, len: u8, flags: u8, _pad3: pad(1),
});
/** struct prefix_cacheinfo */
const prefixCacheinfo = struct('prefix_cacheinfo', { preferred_time: u32, valid_time: u32 });
/** PREFIX_* attributes. */
const prefixAttrs = attrs('PREFIX', {
  address: attr(1, ipaddr),
  cacheinfo: attr(2, prefixCacheinfo),
});
/** An RTM_NEWPREFIX notification (a prefix learnt from a router advertisement). */
const prefixMessage = message('RTM_NEWPREFIX', prefixmsg, prefixAttrs);

const AF_INET6 = 10;
const ND_OPT_PREFIX_INFORMATION = 3;
const IF_PREFIX_ONLINK = 0x01, IF_PREFIX_AUTOCONF = 0x02;

/**
 * print_prefix() for a notification's payload. iproute2 prints it with
 * fprintf (text even under -j), including its missing space between the
 * prefix length and `dev`; so do we.
 */
export function printPrefixEvent(ctx: CliContext, payload: Buffer, nameOf: NameOf): void {
  const family = ctx.opts.family || AF_INET6;
  if (family !== AF_INET6) return;
  const { header: h, attrs: tb } = prefixMessage.decode(payload, 0, payload.length);
  if (h.family !== AF_INET6) { ctx.warn(`incorrect protocol family: ${h.family}`); return; }
  if (h.type !== ND_OPT_PREFIX_INFORMATION) { ctx.warn(`wrong ND type ${h.type}`); return; }
  let s = '';
  if (tb.address !== undefined) s += `prefix ${tb.address}/${h.len}`;
  s += `dev ${nameOf(h.ifindex)} `;
  if (h.flags & IF_PREFIX_ONLINK) s += 'onlink ';
  if (h.flags & IF_PREFIX_AUTOCONF) s += 'autoconf ';
  if (tb.cacheinfo) s += sprintf('valid %u preferred %u ', tb.cacheinfo.valid_time, tb.cacheinfo.preferred_time);
  ctx.printer.rawText(s + '\n');
}

/** Whether a neighbour notification's family passes `ip -4/-6 monitor` (accept_msg's preferred_family check). */
export function neighFamilyMatches(n: Neighbor, family: number): boolean {
  return !family || n.raw.header.family === family;
}
