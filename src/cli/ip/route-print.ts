/**
 * Printing routes as iproute2's print_route() (ip/iproute.c) does.
 *
 * Two renderers of the same field sequence: {@link routeText} builds the text
 * line by string concatenation (the hot path of `ip route show` with a
 * million routes: no printf, no per-field sink writes), {@link routeJson}
 * goes through the shared {@link Printer} so JSON stays byte-identical to
 * iproute2's json_writer (including `-p`). CLI parity tests compare both
 * with iproute2.
 * @module
 */
import { ANY, FP, JSON_ONLY, jsonString, type Printer } from '../../output/printer.js';
import { COLOR_IFNAME, familyColor, paint, type ColorAttr, type Palette } from '../../output/color.js';
import type { Route, RouteEncap } from '../../netlink/route.js';
import type { RtVia } from '../../netlink/rtnetlink/route-schema.js';
import {
  tableName, protoName, scopeName, realmName, dsfieldName, routeTypeName, familyName,
} from './route-names.js';
import { formatHost } from './resolve.js';
import { lwtEncapText, printLwtEncap, type EncapPrintContext } from './lwtunnel.js';

/** What print_route consults besides the route (global options and the list filter). */
export interface RoutePrintOptions {
  readonly details: number;
  readonly stats: number;
  /** Line separator for multipath and cache lines (_SL_): "\n", or "\\" with -oneline. */
  readonly sl: string;
  /** filter.typemask (0 = none). */
  readonly typemask: number;
  /** filter.tb != 0: a single table was selected, so `table` is not printed. */
  readonly tableSelected: boolean;
  /** The masks that are -1 when the selector pins the field (then it is not printed). */
  readonly protocolPinned: boolean;
  readonly scopePinned: boolean;
  readonly tosPinned: boolean;
  readonly oifPinned: boolean;
  readonly iifPinned: boolean;
  readonly metricPinned: boolean;
  readonly realmPinned: boolean;
  /** filter.rvia.bitlen == host_len / filter.rprefsrc.bitlen == host_len (exact match: not printed). */
  readonly viaExact: (family: number) => boolean;
  readonly prefsrcExact: (family: number) => boolean;
  /** With -d: the nexthop object of an `nhid` route, printed as `nh_info` (print_cache_nexthop_id). */
  readonly nhInfo?: (id: number) => NexthopInfo | undefined;
  /** Text colours (-c), or undefined for none. */
  readonly palette?: Palette;
  /** ll_index_to_name() for interfaces inside encapsulations (seg6local iif/oif, xfrm link_dev); "ifN" without. */
  readonly ifname?: (index: number) => string;
}

/** What `nh_info` prints of a nexthop object (ip/ipnexthop.c __print_nexthop_entry). */
export interface NexthopInfo {
  readonly id: number;
  readonly group: ReadonlyArray<{ readonly id: number; readonly weight?: number }> | undefined;
  /** Group type name when not 'mpath' (iproute2 prints only other types). */
  readonly type: string | undefined;
  readonly gateway: string | undefined;
  /** Output device name. */
  readonly dev: string | undefined;
  readonly scope: number;
  readonly blackhole: boolean;
  readonly protocol: number;
  readonly flags: number;
  readonly fdb: boolean;
  /** NHA_ENCAP_TYPE and the decoded NHA_ENCAP. */
  readonly encap?: { readonly type: number; readonly data: Readonly<Record<string, unknown>> | Buffer } | undefined;
}

function nhInfoText(nh: NexthopInfo, o: RoutePrintOptions): string {
  let s = `id ${nh.id} `;
  if (nh.group) s += 'group ' + nh.group.map((g) => `${g.id}${g.weight !== undefined && g.weight > 1 ? `,${g.weight}` : ''}`).join('/') + ' ';
  if (nh.type !== undefined && nh.type !== 'mpath') s += `type ${nh.type} `;
  if (nh.encap) s += lwtEncapText(nh.encap.type, nh.encap.data as Record<string, unknown> | Buffer, encapCtx(o), o.sl, o.palette);
  if (nh.gateway !== undefined) s += o.palette === undefined ? `via ${formatHost(nh.gateway)} ` : 'via ' + paint(o.palette, familyColor(nh.gateway.includes(':') ? AF_INET6 : AF_INET), formatHost(nh.gateway) + ' ');
  if (nh.dev !== undefined) s += o.palette === undefined ? `dev ${nh.dev} ` : 'dev ' + paint(o.palette, COLOR_IFNAME, nh.dev + ' ');
  if (nh.scope !== 0 || o.details > 0) s += `scope ${scopeName(nh.scope)} `;
  if (nh.blackhole) s += 'blackhole ';
  if (nh.protocol !== 0 || o.details > 0) s += `proto ${protoName(nh.protocol)} `;
  s += flagsText(nh.flags);
  if (nh.fdb) s += 'fdb';
  return s;
}

function nhInfoJson(p: Printer, nh: NexthopInfo, o: RoutePrintOptions): void {
  p.openObject('nh_info');
  p.uint(ANY, 'id', '', nh.id);
  if (nh.group) {
    p.openArray(JSON_ONLY, 'group');
    for (const g of nh.group) {
      p.openObject();
      p.uint(ANY, 'id', '', g.id);
      if (g.weight !== undefined && g.weight > 1) p.uint(ANY, 'weight', '', g.weight);
      p.closeObject();
    }
    p.closeArray(JSON_ONLY, '');
  }
  if (nh.type !== undefined && nh.type !== 'mpath') p.string(ANY, 'type', '', nh.type);
  if (nh.encap) printLwtEncap(p, nh.encap.type, nh.encap.data as Record<string, unknown> | Buffer, encapCtx(o));
  if (nh.gateway !== undefined) p.string(JSON_ONLY, 'gateway', '', formatHost(nh.gateway));
  if (nh.dev !== undefined) p.string(JSON_ONLY, 'dev', '', nh.dev);
  if (nh.scope !== 0 || o.details > 0) p.string(ANY, 'scope', '', scopeName(nh.scope));
  if (nh.blackhole) p.null(ANY, 'blackhole', '', '');
  if (nh.protocol !== 0 || o.details > 0) p.string(ANY, 'protocol', '', protoName(nh.protocol));
  flagsJson(p, nh.flags);
  if (nh.fdb) p.null(ANY, 'fdb', '', '');
  p.closeObject();
}

/** Options for a plain `ip route show` / `ip route get`. */
export function defaultPrintOptions(details: number, stats: number, oneline: boolean, palette?: Palette): RoutePrintOptions {
  return {
    details, stats, sl: oneline ? '\\' : '\n', typemask: 0, tableSelected: false,
    protocolPinned: false, scopePinned: false, tosPinned: false, oifPinned: false, iifPinned: false,
    metricPinned: false, realmPinned: false, viaExact: () => false, prefsrcExact: () => false, palette,
  };
}

/** The colour of dst/from: get_real_family() maps multicast routes of the IPMR/IP6MR families to inet/inet6. */
function prefixColor(r: Route): ColorAttr {
  const f = r.typeId === RTN_MULTICAST ? (r.family === RTNL_FAMILY_IPMR ? AF_INET : r.family === RTNL_FAMILY_IP6MR ? AF_INET6 : r.family) : r.family;
  return familyColor(f);
}

const RT_TABLE_MAIN = 254;
const RTPROT_BOOT = 3;
const RTM_F_CLONED = 0x200;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_MPLS = 28;
const RTN_UNICAST = 1;
const RTN_MULTICAST = 5;
const RTNL_FAMILY_IPMR = 128;
const RTNL_FAMILY_IP6MR = 129;

const RT_FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [1, 'dead'], [4, 'onlink'], [2, 'pervasive'], [8, 'offload'], [64, 'trap'], [0x100, 'notify'],
  [16, 'linkdown'], [32, 'unresolved'], [0x4000, 'rt_offload'], [0x8000, 'rt_trap'], [0x20000000, 'rt_offload_failed'],
];

const CACHE_FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [0x80000000, 'local'], [0x40000000, 'reject'], [0x20000000, 'mc'], [0x10000000, 'brd'], [0x08000000, 'dst-nat'],
  [0x00800000, 'src-nat'], [0x00400000, 'masq'], [0x00020000, 'dst-direct'], [0x04000000, 'src-direct'],
  [0x00040000, 'redirected'], [0x01000000, 'redirect'], [0x00200000, 'fastroute'], [0x00010000, 'notify'],
  [0x00080000, 'proxy'],
];

/** RTAX index → name, in printing order (2..17). */
const METRIC_ORDER: ReadonlyArray<readonly [number, string, keyof NonNullable<Route['metrics']>]> = [
  [2, 'mtu', 'mtu'], [3, 'window', 'window'], [4, 'rtt', 'rtt'], [5, 'rttvar', 'rttvar'], [6, 'ssthresh', 'ssthresh'],
  [7, 'cwnd', 'cwnd'], [8, 'advmss', 'advmss'], [9, 'reordering', 'reordering'], [10, 'hoplimit', 'hoplimit'],
  [11, 'initcwnd', 'initcwnd'], [12, 'features', 'features'], [13, 'rto_min', 'rto_min'], [14, 'initrwnd', 'initrwnd'],
  [15, 'quickack', 'quickack'], [16, 'congctl', 'congctl'], [17, 'fastopen_no_cookie', 'fastopen_no_cookie'],
];

/** %g as glibc prints it for the small values used here. */
function fmtG(v: number): string {
  if (v === 0) return '0';
  const s = v.toPrecision(6);
  if (s.includes('e')) {
    const [m, e] = s.split('e');
    const mm = m!.includes('.') ? m!.replace(/0+$/, '').replace(/\.$/, '') : m!;
    const en = Number(e);
    return `${mm}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

function viaHost(v: RtVia): string { return formatHost(v.host); }

function prefName(pref: number): string | undefined {
  return pref === 3 ? 'low' : pref === 0 ? 'medium' : pref === 1 ? 'high' : undefined;
}

/** lwtunnel.ts's printer context from the route options. */
function encapCtx(o: RoutePrintOptions): EncapPrintContext {
  return { name: o.ifname ?? ((i) => `if${i}`), stats: o.stats };
}

function encapText(e: RouteEncap, o: RoutePrintOptions): string {
  if (e.type !== 1) return lwtEncapText(e.type, e.data as Record<string, unknown> | Buffer, encapCtx(o), o.sl, o.palette);
  let s = ` encap ${e.name} `;
  if (e.type === 1 && !Buffer.isBuffer(e.data)) {
    const d = e.data as { dst?: string; ttl?: number };
    if (d.dst !== undefined) s += ` ${d.dst} `;
    if (d.ttl !== undefined) s += `ttl ${d.ttl} `;
  }
  return s;
}

function realmsText(flow: number): string {
  const from = flow >>> 16;
  const to = flow & 0xffff;
  return `realm${from ? 's' : ''} ` + (from ? `${realmName(from)}/` : '') + `${realmName(to)} `;
}

function metricsText(m: NonNullable<Route['metrics']>): string {
  const lock = m.lock ?? 0;
  let s = '';
  for (const [i, name, key] of METRIC_ORDER) {
    const v = m[key];
    const locked = (lock & (1 << i)) !== 0;
    if (v === undefined && !locked) continue;
    const val = typeof v === 'number' ? v : 0;
    if (i === 10 && (val | 0) === -1) continue;
    s += name + ' ';
    if (locked) s += 'lock ';
    if (i === 12) {
      let f = val;
      if (f & 1) { s += 'ecn '; f &= ~1; }
      if (f) s += '0x' + (val >>> 0).toString(16) + ' ';
    } else if (i === 4 || i === 5 || i === 13) {
      s += val >= 1000 ? `${fmtG(val / 1e3)}s ` : `${val}ms `;
    } else if (i === 16) {
      s += `${typeof v === 'string' ? v : ''} `;
    } else {
      s += `${val >>> 0} `;
    }
  }
  return s;
}

function cacheinfoText(r: Route, o: RoutePrintOptions): string {
  const ci = r.cacheinfo!;
  let s = '';
  if (ci.expires !== 0) s += `expires ${Math.trunc(ci.expires / 100)}sec `;
  if (ci.error !== 0) s += `error ${ci.error} `;
  if (o.stats) {
    if (ci.clntref) s += `users ${ci.clntref} `;
    if (ci.used !== 0) s += `used ${ci.used} `;
    if (ci.lastuse !== 0) s += `age ${Math.trunc(ci.lastuse / 100)}sec `;
  }
  if (ci.id) s += `ipid 0x${ci.id.toString(16).padStart(4, '0')} `;
  if (ci.ts || ci.tsage) s += `ts 0x${ci.ts.toString(16)}tsage ${ci.tsage}sec `;
  return s;
}

function cacheFlagsText(flagsIn: number, sl: string): string {
  let flags = (flagsIn & ~0xffff) >>> 0;
  let s = `${sl}    cache `;
  if (flags === 0) return s;
  s += '<';
  for (const [bit, name] of CACHE_FLAG_NAMES) {
    if (flags & bit) {
      flags = (flags & ~bit) >>> 0;
      s += name + (flags ? ',' : '> ');
    }
  }
  if (flags) s += flags.toString(16) + '>';
  return s;
}

function flagsText(flags: number): string {
  if (!flags) return '';
  let s = '';
  for (const [bit, name] of RT_FLAG_NAMES) if (flags & bit) s += name + ' ';
  return s;
}

/** The text line(s) of one route, newline included. */
export function routeText(r: Route, o: RoutePrintOptions): string {
  const hostLen = r.family === AF_INET6 ? 128 : r.family === AF_INET ? 32 : r.family === AF_MPLS ? 20 : 0;
  let s = r.deleted ? 'Deleted ' : '';
  if ((r.typeId !== RTN_UNICAST || o.details > 0) && (!o.typemask || (o.typemask & (1 << r.typeId)))) s += routeTypeName(r.typeId) + ' ';
  // iproute2 prints "0/LEN " through "%s " here: two spaces.
  // With -c (pal), fields are wrapped as color_fprintf() does; only an address (RTA_DST/RTA_SRC) is, not "default" or "0/LEN".
  const pal = o.palette;
  if (pal !== undefined && r.dst !== 'default' && !r.dst.startsWith('0/')) s += paint(pal, prefixColor(r), formatHost(r.dst) + ' ');
  else s += (r.dst.startsWith('0/') && r.dst_len ? r.dst + ' ' : formatHost(r.dst)) + ' ';
  if (r.from !== undefined) s += pal !== undefined && !r.from.startsWith('0/') ? paint(pal, prefixColor(r), `from ${formatHost(r.from)} `) : `from ${formatHost(r.from)} `;
  if (r.nhid !== undefined) s += `nhid ${r.nhid} `;
  if (r.newdst !== undefined) s += pal === undefined ? `as to ${formatHost(r.newdst)} ` : 'as to ' + paint(pal, familyColor(r.family), formatHost(r.newdst) + ' ');
  if (r.encap) s += encapText(r.encap, o);
  if (r.tos && !o.tosPinned) s += `tos ${dsfieldName(r.tos)} `;
  if (r.gateway !== undefined && !o.viaExact(r.family)) s += pal === undefined ? `via ${formatHost(r.gateway)} ` : 'via ' + paint(pal, familyColor(r.family), formatHost(r.gateway) + ' ');
  if (r.via) s += pal === undefined ? `via ${familyName(r.via.family)} ${viaHost(r.via)} ` : `via ${familyName(r.via.family)} ` + paint(pal, familyColor(r.via.family), viaHost(r.via) + ' ');
  if (r.oif !== undefined && !o.oifPinned) s += pal === undefined ? `dev ${r.dev ?? `if${r.oif}`} ` : 'dev ' + paint(pal, COLOR_IFNAME, (r.dev ?? `if${r.oif}`) + ' ');
  if (r.table && (r.table !== RT_TABLE_MAIN || o.details > 0) && !o.tableSelected) s += `table ${tableName(r.table)} `;
  if (!(r.flags & RTM_F_CLONED)) {
    if ((r.protocol !== RTPROT_BOOT || o.details > 0) && !o.protocolPinned) s += `proto ${protoName(r.protocol)} `;
    if ((r.scope !== 0 || o.details > 0) && !o.scopePinned) s += `scope ${scopeName(r.scope)} `;
  }
  if (r.prefsrc !== undefined && !o.prefsrcExact(r.family)) s += pal === undefined ? `src ${r.prefsrc} ` : 'src ' + paint(pal, familyColor(r.family), r.prefsrc + ' ');
  if (r.metric !== undefined && !o.metricPinned) s += `metric ${r.metric} `;
  s += flagsText(r.flags);
  if (r.mark) s += r.mark >= 16 ? `mark 0x${r.mark.toString(16)} ` : `mark ${r.mark} `;
  if (r.flow !== undefined && !o.realmPinned) s += realmsText(r.flow);
  if (r.uid !== undefined) s += `uid ${r.uid} `;
  if (r.family === AF_INET) {
    if (r.flags & RTM_F_CLONED) s += cacheFlagsText(r.flags, o.sl);
    if (r.cacheinfo) s += cacheinfoText(r, o);
  } else if (r.family === AF_INET6 && r.cacheinfo) {
    s += cacheinfoText(r, o);
  }
  if (r.metrics) s += metricsText(r.metrics);
  if (r.iif !== undefined && !o.iifPinned) s += pal === undefined ? `iif ${r.iifName ?? `if${r.iif}`} ` : 'iif ' + paint(pal, COLOR_IFNAME, (r.iifName ?? `if${r.iif}`) + ' ');
  if (r.pref !== undefined) s += prefName(r.pref) !== undefined ? `pref ${prefName(r.pref)}` : String(r.pref);
  if (r.ttl_propagate !== undefined) s += `ttl-propogate ${r.ttl_propagate ? 'enabled' : 'disabled'}`;
  if (r.nhid !== undefined && o.details && o.nhInfo) {
    const nh = o.nhInfo(r.nhid);
    if (nh) s += '\n\tnh_info ' + nhInfoText(nh, o);
  }
  if (r.nexthops) {
    for (const nh of r.nexthops) {
      s += `${o.sl}\tnexthop `;
      if (nh.encap) s += encapText(nh.encap, o);
      if (nh.newdst !== undefined) s += pal === undefined ? `as to ${formatHost(nh.newdst)} ` : 'as to ' + paint(pal, familyColor(r.family), formatHost(nh.newdst) + ' ');
      if (nh.gateway !== undefined) s += pal === undefined ? `via ${formatHost(nh.gateway)} ` : 'via ' + paint(pal, familyColor(r.family), formatHost(nh.gateway) + ' ');
      if (nh.via) s += pal === undefined ? `via ${familyName(nh.via.family)} ${viaHost(nh.via)} ` : `via ${familyName(nh.via.family)} ` + paint(pal, familyColor(nh.via.family), viaHost(nh.via) + ' ');
      if (nh.flow !== undefined) s += realmsText(nh.flow);
      s += `dev ${nh.dev ?? `if${nh.oif}`} `;
      if (r.family !== AF_MPLS) s += `weight ${nh.weight} `;
      s += flagsText(nh.flags);
    }
  }
  return s + '\n';
}

function encapJson(p: Printer, e: RouteEncap, o: RoutePrintOptions): void {
  if (e.type !== 1) { printLwtEncap(p, e.type, e.data as Record<string, unknown> | Buffer, encapCtx(o)); return; }
  p.string(ANY, 'encap', '', e.name);
  if (e.type === 1 && !Buffer.isBuffer(e.data)) {
    const d = e.data as { dst?: string; ttl?: number };
    if (d.dst !== undefined) p.string(ANY, 'dst', '', d.dst);
    if (d.ttl !== undefined) p.uint(ANY, 'ttl', '', d.ttl);
  }
}

function flagsJson(p: Printer, flags: number): void {
  p.openArray(JSON_ONLY, 'flags');
  for (const [bit, name] of RT_FLAG_NAMES) if (flags & bit) p.string(ANY, null, '', name);
  p.closeArray(JSON_ONLY, '');
}

function flowJson(p: Printer, flow: number): void {
  const from = flow >>> 16;
  p.openObject('flow');
  if (from) p.string(JSON_ONLY, 'from', '', realmName(from));
  p.string(JSON_ONLY, 'to', '', realmName(flow & 0xffff));
  p.closeObject();
}

function viaJson(p: Printer, v: RtVia): void {
  p.openObject('via');
  p.string(JSON_ONLY, 'family', '', familyName(v.family));
  p.string(JSON_ONLY, 'host', '', formatHost(v.host));
  p.closeObject();
}

/** One route as a JSON object through the printer (`ip -j route`). */
export function routeJson(p: Printer, r: Route, o: RoutePrintOptions): void {
  p.openObject();
  if (r.deleted) p.bool(ANY, 'deleted', '', true);
  if ((r.typeId !== RTN_UNICAST || o.details > 0) && (!o.typemask || (o.typemask & (1 << r.typeId)))) p.string(ANY, 'type', '', routeTypeName(r.typeId));
  p.string(ANY, 'dst', '', r.dst.startsWith('0/') && r.dst_len ? r.dst + ' ' : formatHost(r.dst));
  if (r.from !== undefined) {
    if (r.from.startsWith('0/')) p.string(ANY, 'src', '', r.from);
    else p.string(ANY, 'from', '', formatHost(r.from));
  }
  if (r.nhid !== undefined) p.uint(ANY, 'nhid', '', r.nhid);
  if (r.newdst !== undefined) p.string(JSON_ONLY, 'to', '', formatHost(r.newdst));
  if (r.encap) encapJson(p, r.encap, o);
  if (r.tos && !o.tosPinned) p.string(ANY, 'tos', '', dsfieldName(r.tos));
  if (r.gateway !== undefined && !o.viaExact(r.family)) p.string(JSON_ONLY, 'gateway', '', formatHost(r.gateway));
  if (r.via) viaJson(p, r.via);
  if (r.oif !== undefined && !o.oifPinned) p.string(JSON_ONLY, 'dev', '', r.dev ?? `if${r.oif}`);
  if (r.table && (r.table !== RT_TABLE_MAIN || o.details > 0) && !o.tableSelected) p.string(ANY, 'table', '', tableName(r.table));
  if (!(r.flags & RTM_F_CLONED)) {
    if ((r.protocol !== RTPROT_BOOT || o.details > 0) && !o.protocolPinned) p.string(ANY, 'protocol', '', protoName(r.protocol));
    if ((r.scope !== 0 || o.details > 0) && !o.scopePinned) p.string(ANY, 'scope', '', scopeName(r.scope));
  }
  if (r.prefsrc !== undefined && !o.prefsrcExact(r.family)) p.string(JSON_ONLY, 'prefsrc', '', r.prefsrc);
  if (r.metric !== undefined && !o.metricPinned) p.uint(ANY, 'metric', '', r.metric);
  flagsJson(p, r.flags);
  if (r.mark) p.uint(JSON_ONLY, 'mark', '', r.mark);
  if (r.flow !== undefined && !o.realmPinned) flowJson(p, r.flow);
  if (r.uid !== undefined) p.uint(ANY, 'uid', '', r.uid);
  if (r.family === AF_INET || r.family === AF_INET6) {
    if (r.family === AF_INET && r.flags & RTM_F_CLONED) {
      let flags = (r.flags & ~0xffff) >>> 0;
      p.openArray(JSON_ONLY, 'cache');
      for (const [bit, name] of CACHE_FLAG_NAMES) {
        if (flags & bit) { flags = (flags & ~bit) >>> 0; p.string(JSON_ONLY, null, '', name); }
      }
      if (flags) p.hex(ANY, 'flags', '', flags);
      p.closeArray(JSON_ONLY, '');
    }
    const ci = r.cacheinfo;
    if (ci) {
      if (ci.expires !== 0) p.int(ANY, 'expires', '', Math.trunc(ci.expires / 100));
      if (ci.error !== 0) p.uint(ANY, 'error', '', ci.error);
      if (o.stats) {
        if (ci.clntref) p.uint(ANY, 'users', '', ci.clntref);
        if (ci.used !== 0) p.uint(ANY, 'used', '', ci.used);
        if (ci.lastuse !== 0) p.uint(ANY, 'age', '', Math.trunc(ci.lastuse / 100));
      }
      if (ci.id) p.hex0x(ANY, 'ipid', '', ci.id);
      if (ci.ts || ci.tsage) { p.hex0x(ANY, 'ts', '', ci.ts); p.uint(ANY, 'tsage', '', ci.tsage); }
    }
  }
  if (r.metrics) {
    const m = r.metrics;
    const lock = m.lock ?? 0;
    p.openArray(JSON_ONLY, 'metrics');
    p.openObject();
    for (const [i, name, key] of METRIC_ORDER) {
      const v = m[key];
      if (v === undefined && !(lock & (1 << i))) continue;
      const val = typeof v === 'number' ? v : 0;
      if (i === 10 && (val | 0) === -1) continue;
      if (i === 12) {
        if (val & 1) p.null(ANY, 'ecn', '', '');
        if (val & ~1) p.hex0x(ANY, 'features', '', val >>> 0);
      } else if (i === 16) {
        p.string(ANY, 'congestion', '', typeof v === 'string' ? v : '');
      } else {
        p.uint(ANY, name, '', val >>> 0);
      }
    }
    p.closeObject();
    p.closeArray(JSON_ONLY, '');
  }
  if (r.iif !== undefined && !o.iifPinned) p.string(JSON_ONLY, 'iif', '', r.iifName ?? `if${r.iif}`);
  if (r.pref !== undefined) {
    const n = prefName(r.pref);
    if (n !== undefined) p.string(ANY, 'pref', '', n); else p.uint(ANY, 'pref', '', r.pref);
  }
  if (r.ttl_propagate !== undefined) p.bool(JSON_ONLY, 'ttl-propogate', '', r.ttl_propagate);
  if (r.nhid !== undefined && o.details && o.nhInfo) {
    const nh = o.nhInfo(r.nhid);
    if (nh) nhInfoJson(p, nh, o);
  }
  if (r.nexthops) {
    p.openArray(JSON_ONLY, 'nexthops');
    for (const nh of r.nexthops) {
      p.openObject();
      if (nh.encap) encapJson(p, nh.encap, o);
      if (nh.newdst !== undefined) p.string(JSON_ONLY, 'to', '', formatHost(nh.newdst));
      if (nh.gateway !== undefined) p.string(JSON_ONLY, 'gateway', '', formatHost(nh.gateway));
      if (nh.via) viaJson(p, nh.via);
      if (nh.flow !== undefined) flowJson(p, nh.flow);
      p.string(ANY, 'dev', '', nh.dev ?? `if${nh.oif}`);
      if (r.family !== AF_MPLS) p.int(ANY, 'weight', '', nh.weight);
      flagsJson(p, nh.flags);
      p.closeObject();
    }
    p.closeArray(JSON_ONLY, '');
  }
  p.closeObject();
}

export { FP };

// ---------------------------------------------------------------- compact JSON fast path

const q = (s: string): string => jsonString(s);

function flagsJsonText(flags: number): string {
  let s = '"flags":[';
  let first = true;
  for (const [bit, name] of RT_FLAG_NAMES) if (flags & bit) { s += (first ? '' : ',') + q(name); first = false; }
  return s + ']';
}

function flowJsonText(flow: number): string {
  const from = flow >>> 16;
  return '"flow":{' + (from ? `"from":${q(realmName(from))},` : '') + `"to":${q(realmName(flow & 0xffff))}}`;
}

function viaJsonText(v: RtVia): string {
  return `"via":{"family":${q(familyName(v.family))},"host":${q(formatHost(v.host))}}`;
}

function encapJsonText(e: RouteEncap): string {
  let s = `"encap":${q(e.name)}`;
  if (e.type === 1 && !Buffer.isBuffer(e.data)) {
    const d = e.data as { dst?: string; ttl?: number };
    if (d.dst !== undefined) s += `,"dst":${q(d.dst)}`;
    if (d.ttl !== undefined) s += `,"ttl":${d.ttl}`;
  }
  return s;
}

/**
 * One route as compact JSON text (`ip -j route` without -p): the same fields
 * in the same order as {@link routeJson}, built as one string for the hot
 * path. Routes with rare parts (cache flags, cacheinfo, metrics, nh_info)
 * return undefined and go through {@link routeJson}. The CLI parity tests
 * compare both with iproute2.
 */
export function routeJsonText(r: Route, o: RoutePrintOptions): string | undefined {
  if (r.cacheinfo || r.metrics || (r.flags & RTM_F_CLONED) || (r.nhid !== undefined && o.details && o.nhInfo)) return undefined;
  // Encapsulations other than MPLS go through the printer (lwtunnel.ts).
  if ((r.encap && r.encap.type !== 1) || r.nexthops?.some((nh) => nh.encap && nh.encap.type !== 1)) return undefined;
  const f: string[] = [];
  if (r.deleted) f.push('"deleted":true');
  if ((r.typeId !== RTN_UNICAST || o.details > 0) && (!o.typemask || (o.typemask & (1 << r.typeId)))) f.push(`"type":${q(routeTypeName(r.typeId))}`);
  f.push(`"dst":${q(r.dst.startsWith('0/') && r.dst_len ? r.dst + ' ' : formatHost(r.dst))}`);
  if (r.from !== undefined) f.push(r.from.startsWith('0/') ? `"src":${q(r.from)}` : `"from":${q(formatHost(r.from))}`);
  if (r.nhid !== undefined) f.push(`"nhid":${r.nhid}`);
  if (r.newdst !== undefined) f.push(`"to":${q(formatHost(r.newdst))}`);
  if (r.encap) f.push(encapJsonText(r.encap));
  if (r.tos && !o.tosPinned) f.push(`"tos":${q(dsfieldName(r.tos))}`);
  if (r.gateway !== undefined && !o.viaExact(r.family)) f.push(`"gateway":${q(formatHost(r.gateway))}`);
  if (r.via) f.push(viaJsonText(r.via));
  if (r.oif !== undefined && !o.oifPinned) f.push(`"dev":${q(r.dev ?? `if${r.oif}`)}`);
  if (r.table && (r.table !== RT_TABLE_MAIN || o.details > 0) && !o.tableSelected) f.push(`"table":${q(tableName(r.table))}`);
  if ((r.protocol !== RTPROT_BOOT || o.details > 0) && !o.protocolPinned) f.push(`"protocol":${q(protoName(r.protocol))}`);
  if ((r.scope !== 0 || o.details > 0) && !o.scopePinned) f.push(`"scope":${q(scopeName(r.scope))}`);
  if (r.prefsrc !== undefined && !o.prefsrcExact(r.family)) f.push(`"prefsrc":${q(r.prefsrc)}`);
  if (r.metric !== undefined && !o.metricPinned) f.push(`"metric":${r.metric}`);
  f.push(flagsJsonText(r.flags));
  if (r.mark) f.push(`"mark":${r.mark}`);
  if (r.flow !== undefined && !o.realmPinned) f.push(flowJsonText(r.flow));
  if (r.uid !== undefined) f.push(`"uid":${r.uid}`);
  if (r.iif !== undefined && !o.iifPinned) f.push(`"iif":${q(r.iifName ?? `if${r.iif}`)}`);
  if (r.pref !== undefined) {
    const n = prefName(r.pref);
    f.push(n !== undefined ? `"pref":${q(n)}` : `"pref":${r.pref}`);
  }
  if (r.ttl_propagate !== undefined) f.push(`"ttl-propogate":${r.ttl_propagate ? 'true' : 'false'}`);
  if (r.nexthops) {
    const nhs: string[] = [];
    for (const nh of r.nexthops) {
      const g: string[] = [];
      if (nh.encap) g.push(encapJsonText(nh.encap));
      if (nh.newdst !== undefined) g.push(`"to":${q(formatHost(nh.newdst))}`);
      if (nh.gateway !== undefined) g.push(`"gateway":${q(formatHost(nh.gateway))}`);
      if (nh.via) g.push(viaJsonText(nh.via));
      if (nh.flow !== undefined) g.push(flowJsonText(nh.flow));
      g.push(`"dev":${q(nh.dev ?? `if${nh.oif}`)}`);
      if (r.family !== AF_MPLS) g.push(`"weight":${nh.weight}`);
      g.push(flagsJsonText(nh.flags));
      nhs.push('{' + g.join(',') + '}');
    }
    f.push('"nexthops":[' + nhs.join(',') + ']');
  }
  return '{' + f.join(',') + '}';
}
