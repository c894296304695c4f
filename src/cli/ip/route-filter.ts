/**
 * `ip route`'s list selectors (the grammar of iproute2's
 * iproute_list_flush_or_save()) and the filter they build, applied to each
 * dumped route (filter_nlmsg()) by show, flush and save, and the print
 * options it pins.
 * @module
 */
import { invarg, matches, incomplete } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import type { Route } from '../../netlink/route.js';
import { getPrefix, getAddr, getUnsigned, afBitLen, PREFIXLEN_SPECIFIED, AF_UNSPEC, AF_INET, type InetPrefix } from './route-args.js';
import { dsfieldId, protoId, scopeId, tableId, routeTypeId, parseRealms } from './route-names.js';
import { defaultPrintOptions, type RoutePrintOptions } from './route-print.js';
import { readFamily } from './main.js';
import { routeUsage } from './route-usage.js';

const RT_TABLE_MAIN = 254;
const RT_SCOPE_NOWHERE = 255;
const RTM_F_CLONED = 0x200;

/** iproute2's `filter` of ip/iproute.c. */
export interface Filter {
  tb: number;
  cloned: boolean;
  protocol: number; protocolmask: number;
  scope: number; scopemask: number;
  typemask: number;
  tos: number; tosmask: number;
  iif: number; iifmask: number;
  oif: number; oifmask: number;
  mark: number; markmask: number;
  realm: number; realmmask: number;
  metric: number; metricmask: number;
  rprefsrc: InetPrefix | undefined;
  rvia: InetPrefix | undefined;
  rdst: InetPrefix | undefined;
  mdst: InetPrefix | undefined;
  rsrc: InetPrefix | undefined;
  msrc: InetPrefix | undefined;
}

function newFilter(): Filter {
  return {
    tb: 0, cloned: false, protocol: 0, protocolmask: 0, scope: 0, scopemask: 0, typemask: 0, tos: 0, tosmask: 0,
    iif: 0, iifmask: 0, oif: 0, oifmask: 0, mark: 0, markmask: 0, realm: 0, realmmask: 0, metric: 0, metricmask: 0,
    rprefsrc: undefined, rvia: undefined, rdst: undefined, mdst: undefined, rsrc: undefined, msrc: undefined,
  };
}

/** inet_addr_match: 0 (true here) when the first `bits` bits agree. */
function addrMatch(a: Buffer, b: Buffer, bits: number): boolean {
  if (bits <= 0) return true;
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = bits & 7;
  if (rest) {
    const mask = (0xff << (8 - rest)) & 0xff;
    if ((a[whole]! & mask) !== (b[whole]! & mask)) return false;
  }
  return true;
}

function textBytes(text: string | undefined): Buffer {
  const out = Buffer.alloc(16);
  if (text === undefined || text === 'default' || text.startsWith('0/')) return out;
  const slash = text.indexOf('/');
  const p = getPrefixQuiet(slash >= 0 ? text.slice(0, slash) : text);
  if (p) p.data.copy(out);
  return out;
}

function getPrefixQuiet(s: string): InetPrefix | undefined {
  try { return getAddr(s, 0); } catch { return undefined; }
}

const prefixOn = (p: InetPrefix | undefined): p is InetPrefix => p !== undefined && (p.family !== 0 || (p.flags & PREFIXLEN_SPECIFIED) !== 0);

/** filter_nlmsg() on a decoded route. */
export function filterRoute(f: Filter, family: number, r: Route): boolean {
  if (family !== AF_UNSPEC && r.family !== family) return false;
  if (f.cloned === !(r.flags & RTM_F_CLONED)) return false;
  if (f.tb > 0 && f.tb !== r.table) return false;
  if ((f.protocol ^ r.protocol) & f.protocolmask) return false;
  if ((f.scope ^ r.scope) & f.scopemask) return false;
  if (f.typemask && !(f.typemask & (1 << r.typeId))) return false;
  if ((f.tos ^ r.tos) & f.tosmask) return false;
  const { rdst, mdst, rsrc, msrc, rvia, rprefsrc } = f;
  if (rdst) {
    if (rdst.family) { if (r.family !== rdst.family || rdst.bitlen > r.dst_len) return false; }
    else if (rdst.flags & PREFIXLEN_SPECIFIED && rdst.bitlen > r.dst_len) return false;
  }
  if (mdst) {
    if (mdst.family) { if (r.family !== mdst.family || (mdst.bitlen >= 0 && mdst.bitlen < r.dst_len)) return false; }
    else if (mdst.flags & PREFIXLEN_SPECIFIED && mdst.bitlen >= 0 && mdst.bitlen < r.dst_len) return false;
  }
  if (rsrc) {
    if (rsrc.family) { if (r.family !== rsrc.family || rsrc.bitlen > r.src_len) return false; }
    else if (rsrc.flags & PREFIXLEN_SPECIFIED && rsrc.bitlen > r.src_len) return false;
  }
  if (msrc) {
    if (msrc.family) { if (r.family !== msrc.family || (msrc.bitlen >= 0 && msrc.bitlen < r.src_len)) return false; }
    else if (msrc.flags & PREFIXLEN_SPECIFIED && msrc.bitlen >= 0 && msrc.bitlen < r.src_len) return false;
  }
  if (rvia && rvia.family) {
    const fam = r.via ? r.via.family : r.family;
    if (fam !== rvia.family) return false;
  }
  if (rprefsrc && rprefsrc.family && r.family !== rprefsrc.family) return false;
  if (prefixOn(rdst) || prefixOn(mdst)) {
    const dst = textBytes(r.dst_len ? r.dst : undefined);
    if (prefixOn(rdst) && !addrMatch(dst, rdst.data, rdst.bitlen)) return false;
    if (prefixOn(mdst) && !addrMatch(dst, mdst.data, r.dst_len)) return false;
  }
  if (prefixOn(rsrc) || prefixOn(msrc)) {
    const src = textBytes(r.from);
    if (prefixOn(rsrc) && !addrMatch(src, rsrc.data, rsrc.bitlen)) return false;
    if (prefixOn(msrc) && msrc.bitlen >= 0 && !addrMatch(src, msrc.data, r.src_len)) return false;
  }
  if (rvia && rvia.family) {
    const via = rvia.bitlen > 0 ? textBytes(r.gateway ?? r.via?.host) : Buffer.alloc(16);
    if (!addrMatch(via, rvia.data, rvia.bitlen)) return false;
  }
  if (rprefsrc && rprefsrc.family) {
    const ps = rprefsrc.bitlen > 0 ? textBytes(r.prefsrc) : Buffer.alloc(16);
    if (!addrMatch(ps, rprefsrc.data, rprefsrc.bitlen)) return false;
  }
  if (f.realmmask && ((r.flow ?? 0) ^ f.realm) & f.realmmask) return false;
  if (f.iifmask && ((r.iif ?? 0) ^ f.iif) & f.iifmask) return false;
  if (f.oifmask && ((r.oif ?? 0) ^ f.oif) & f.oifmask) return false;
  if (f.markmask && ((r.mark ?? 0) ^ f.mark) & f.markmask) return false;
  if (f.metricmask && ((r.metric ?? 0) ^ f.metric) & f.metricmask) return false;
  return true;
}

/** Parsed list selectors: the filter, the family, and the `oif`/`iif` device names to resolve. */
export interface ListSpec { filter: Filter; family: number; od: string | undefined; id: string | undefined }

/** The selector grammar of iproute_list_flush_or_save(). */
export function parseSelectors(argv: readonly string[], preferred: number): ListSpec {
  const f = newFilter();
  f.tb = RT_TABLE_MAIN;
  let family = preferred;
  let od: string | undefined, id: string | undefined;
  let mark = 0;
  let i = 0;
  const next = (): string => { if (++i >= argv.length) incomplete(); return argv[i]!; };
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (matches(arg, 'table')) {
      const v = next();
      const t = tableId(v);
      if (t === null) {
        if (v === 'all') f.tb = 0;
        else if (v === 'cache') f.cloned = true;
        else if (v === 'help') routeUsage();
        else invarg('table id value is invalid\n', v);
      } else f.tb = t;
    } else if (matches(arg, 'vrf')) {
      invarg('Invalid VRF\n', next());
    } else if (matches(arg, 'cached') || matches(arg, 'cloned')) {
      f.cloned = true;
    } else if (arg === 'tos' || matches(arg, 'dsfield')) {
      const v = next();
      const t = dsfieldId(v);
      if (t === null) invarg('TOS value is invalid\n', v);
      f.tos = t; f.tosmask = -1;
    } else if (matches(arg, 'protocol')) {
      const v = next();
      f.protocolmask = -1;
      let p = protoId(v);
      if (p === null) {
        if (v !== 'all') invarg('invalid "protocol"\n', v);
        p = 0; f.protocolmask = 0;
      }
      f.protocol = p;
    } else if (matches(arg, 'scope')) {
      const v = next();
      f.scopemask = -1;
      let s = scopeId(v);
      if (s === null) {
        if (v !== 'all') invarg('invalid "scope"\n', v);
        s = RT_SCOPE_NOWHERE; f.scopemask = 0;
      }
      f.scope = s;
    } else if (matches(arg, 'type')) {
      const v = next();
      const t = routeTypeId(v);
      if (t === null) invarg('node type value is invalid\n', v);
      f.typemask = 1 << t;
    } else if (arg === 'dev' || arg === 'oif') {
      od = next();
    } else if (arg === 'iif') {
      id = next();
    } else if (arg === 'mark') {
      const v = next();
      const m = getUnsigned(v);
      if (m === null) invarg('invalid mark value', v);
      mark = m; f.markmask = -1;
    } else if (matches(arg, 'metric') || matches(arg, 'priority') || arg === 'preference') {
      const v = next();
      const m = getUnsigned(v);
      if (m === null) invarg('"metric" value is invalid\n', v);
      f.metric = m; f.metricmask = -1;
    } else if (arg === 'via') {
      let v = next();
      let fam = readFamily(v);
      if (fam === AF_UNSPEC) fam = family; else v = next();
      f.rvia = getPrefix(v, fam);
    } else if (arg === 'src') {
      f.rprefsrc = getPrefix(next(), family);
    } else if (matches(arg, 'realms')) {
      const v = next();
      const r = parseRealms(v);
      if (r === null) invarg('invalid realms\n', v);
      f.realm = r; f.realmmask = 0xffffffff;
      if ((r & 0xffff) === 0 && v.endsWith('/')) f.realmmask &= ~0xffff;
      if ((r & 0xffff0000) === 0 && (!v.includes('/') || v.startsWith('/'))) f.realmmask &= ~0xffff0000;
      f.realmmask >>>= 0;
    } else if (matches(arg, 'from')) {
      const v = next();
      if (matches(v, 'root')) f.rsrc = getPrefix(next(), family);
      else if (matches(v, 'match')) f.msrc = getPrefix(next(), family);
      else {
        const w = matches(v, 'exact') ? next() : v;
        f.msrc = getPrefix(w, family);
        f.rsrc = f.msrc;
      }
    } else {
      let v = arg;
      if (matches(v, 'to')) v = next();
      if (matches(v, 'root')) f.rdst = getPrefix(next(), family);
      else if (matches(v, 'match')) f.mdst = getPrefix(next(), family);
      else {
        const w = matches(v, 'exact') ? next() : v;
        f.mdst = getPrefix(w, family);
        f.rdst = f.mdst;
      }
    }
  }
  if (family === AF_UNSPEC && f.tb) family = AF_INET;
  f.mark = mark;
  return { filter: f, family, od, id };
}

/** The print options that depend on the filter (iproute2 leaves out the fields the selectors pinned to one value). */
export function printOptionsFor(ctx: CliContext, f: Filter): RoutePrintOptions {
  const base = defaultPrintOptions(ctx.opts.details, ctx.opts.stats, ctx.opts.oneline, ctx.printer.palette);
  return {
    ...base,
    typemask: f.typemask,
    tableSelected: f.tb !== 0,
    protocolPinned: f.protocolmask === -1,
    scopePinned: f.scopemask === -1,
    tosPinned: f.tosmask === -1,
    oifPinned: f.oifmask === -1,
    iifPinned: f.iifmask === -1,
    metricPinned: f.metricmask === -1,
    realmPinned: f.realmmask === 0xffffffff,
    viaExact: (fam) => f.rvia !== undefined && f.rvia.bitlen === afBitLen(fam),
    prefsrcExact: (fam) => f.rprefsrc !== undefined && f.rprefsrc.bitlen === afBitLen(fam),
  };
}
