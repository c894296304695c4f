/**
 * One address of `ip address`/`ip monitor` output: the show filter and
 * iproute2's print_addrinfo (text, -br and JSON), plus the rt_scopes names
 * the printer and the argument parser share.
 * @module
 */
import type { CliContext } from '../common/context.js';
import { ANY, FP, JSON_ONLY, jsonString, type Printer } from '../../output/printer.js';
import { familyColor } from '../../output/color.js';
import { fnmatch, type Address } from '../../netlink/address.js';
import { IFA_F, IFA_FLAG_NAMES, INFINITY_LIFE_TIME, familyName } from '../../netlink/rtnetlink/address-schema.js';
import { getUnsigned, type InetPrefix } from './inet-args.js';
import { readNameTable } from './names.js';
import { formatHost } from './resolve.js';
import { newAddrInfo, addrInfoFromSchema, type AddrInfo } from '../../netlink/address-decode.js';

const AF_INET = 2;
const AF_INET6 = 10;

let scopeTable: Map<number, string> | undefined;
function scopes(): Map<number, string> {
  if (!scopeTable) {
    scopeTable = new Map([[0, 'global'], [255, 'nowhere'], [254, 'host'], [253, 'link'], [200, 'site']]);
    for (const [n, name] of readNameTable('rt_scopes')) if (!scopeTable.has(n) || n === 200) scopeTable.set(n, name);
  }
  return scopeTable;
}

/** rtnl_rtscope_n2a */
export function rtScopeName(scope: number): string {
  return scopes().get(scope) ?? String(scope);
}

/** rtnl_rtscope_a2n: undefined when invalid. */
export function rtScopeNumber(s: string): number | undefined {
  for (const [n, name] of scopes()) if (name === s) return n;
  const n = getUnsigned(s);
  return n !== undefined && n <= 255 ? n : undefined;
}

/** The show/flush filter (iproute2's struct link_filter, address part). */
export interface AddrFilter {
  family: number;
  ifindex: number;
  scope: number;
  scopemask: number;
  flags: number;
  flagmask: number;
  label: string | undefined;
  pfx: InetPrefix | undefined;
  up: boolean;
  oneline: boolean;
  group: number;
  master: number;
  kind: string | undefined;
  slaveKind: string | undefined;
  flushing: boolean;
}

/** A filter that lets everything through (ipaddr_reset_filter). */
export function emptyAddrFilter(oneline: boolean, ifindex = 0): AddrFilter {
  return {
    family: 0, ifindex, scope: 0, scopemask: 0, flags: 0, flagmask: 0, label: undefined, pfx: undefined,
    up: false, oneline, group: -1, master: 0, kind: undefined, slaveKind: undefined, flushing: false,
  };
}

export function inetAddrMatch(a: AddrInfo, pfx: InetPrefix): boolean {
  if (a.localLen === 0 || pfx.family === 0 || pfx.bitlen <= 0) return true;
  if (a.localLen !== pfx.bytes.length) return false;
  const b = a.localBuf;
  const o = a.localOff;
  let bits = pfx.bitlen;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((b[o + i]! ^ pfx.bytes[i]!) & mask) return false;
  }
  return true;
}

/**
 * What the address printers take of a decoded address (an {@link Address}
 * is one): the flags and the message as the schema decodes it.
 */
export type AddrRecord = Pick<Address, 'flags' | 'raw'>;

/** The conditions print_addrinfo() applies to one address. */
export function addrInfoMatches(a: AddrInfo, f: AddrFilter, nameOf: (index: number) => string): boolean {
  if (f.ifindex && f.ifindex !== a.index) return false;
  if ((f.scope ^ a.scope) & f.scopemask) return false;
  if ((f.flags ^ a.flags) & f.flagmask) return false;
  if (f.family && f.family !== a.family) return false;
  if (f.label !== undefined && !fnmatch(f.label, a.label ?? nameOf(a.index))) return false;
  if (f.pfx && !inetAddrMatch(a, f.pfx)) return false;
  return true;
}

const recordScratch = newAddrInfo();

/** print_addrinfo() for an address decoded by the schema (monitor events, saved dumps). */
export function printAddrInfo(ctx: CliContext, a: AddrRecord, f: AddrFilter, nameOf: (index: number) => string, deleted = false): void {
  printAddr(ctx, addrInfoFromSchema(a.raw.header, a.raw.attrs, recordScratch), f, nameOf, deleted);
}

/**
 * print_addrinfo(). Plain text and compact JSON are built as one string per
 * address (`ip address` may list tens of thousands); pretty JSON and
 * coloured text go through the per-field printer.
 */
export function printAddr(ctx: CliContext, a: AddrInfo, f: AddrFilter, nameOf: (index: number) => string, deleted = false): void {
  if (!addrInfoMatches(a, f, nameOf)) return;
  const p = ctx.printer;
  if (!p.inJson) {
    if (p.palette === undefined) p.sink.write(addrInfoText(a, f, nameOf, ctx.opts.brief, p.lineSep, deleted));
    else printAddrFields(p, a, f, nameOf, ctx.opts.brief, deleted);
  } else if (!p.pretty) p.jsonMembers(addrInfoJson(a, f, nameOf, ctx.opts.brief, deleted));
  else printAddrFields(p, a, f, nameOf, ctx.opts.brief, deleted);
}

/** print_addrinfo() one call per field (text and JSON; used for coloured text and pretty JSON). */
function printAddrFields(p: Printer, a: AddrInfo, f: AddrFilter, nameOf: (index: number) => string, brief: boolean, deleted: boolean): void {
  if (deleted) p.bool(ANY, 'deleted', 'Deleted ', true);
  if (!brief) {
    if (f.oneline || f.flushing) {
      const dev = nameOf(a.index);
      if (p.inJson) {
        p.int(JSON_ONLY, 'index', '', a.index);
        p.string(JSON_ONLY, 'dev', '', dev);
      } else {
        p.text('%u: %s', a.index, dev);
      }
    }
    const name = familyName(a.family);
    if (name[0] !== '?') p.string(ANY, 'family', '    %s ', name);
    else p.int(ANY, 'family_index', '    family %d ', a.family);
  }
  const local = a.local ?? a.address;
  const peer = a.address ?? a.local;
  if (local !== undefined) {
    p.colorString(ANY, familyColor(a.family), 'local', '%s', formatHost(local));
    if (peer !== undefined && peer !== local) {
      p.string(FP, null, ' %s ', 'peer');
      p.colorString(ANY, familyColor(a.family), 'address', '%s', formatHost(peer));
    }
    p.int(ANY, 'prefixlen', '/%d ', a.prefixlen);
    if (a.rtPriority !== undefined) p.uint(ANY, 'metric', 'metric %u ', a.rtPriority);
  }
  if (brief) return;
  if (a.broadcast !== undefined) {
    p.string(FP, null, '%s ', 'brd');
    p.colorString(ANY, familyColor(a.family), 'broadcast', '%s ', formatHost(a.broadcast));
  }
  if (a.anycast !== undefined) {
    p.string(FP, null, '%s ', 'any');
    p.colorString(ANY, familyColor(a.family), 'anycast', '%s ', formatHost(a.anycast));
  }
  p.string(ANY, 'scope', 'scope %s ', rtScopeName(a.scope));
  let flags = a.flags >>> 0;
  for (const fl of IFA_FLAG_NAMES) {
    if (fl.mask === IFA_F.PERMANENT) {
      if (!(flags & fl.mask)) p.bool(ANY, 'dynamic', 'dynamic ', true);
    } else if (flags & fl.mask) {
      if (fl.mask === IFA_F.SECONDARY && a.family === AF_INET6) {
        p.bool(ANY, 'temporary', 'temporary ', true);
      } else {
        p.string(FP, null, '%s ', fl.name);
        p.bool(JSON_ONLY, fl.name, '', true);
      }
    }
    flags &= ~fl.mask;
  }
  if (flags) {
    const hex = flags.toString(16).padStart(2, '0');
    if (p.inJson) p.string(JSON_ONLY, 'ifa_flags', '', hex);
    else p.text('flags %s ', hex);
  }
  if (a.label !== undefined) p.string(ANY, 'label', '%s', a.label);
  if (a.cacheinfo) {
    p.nl();
    p.string(FP, null, '       valid_lft ', null);
    if (a.valid === INFINITY_LIFE_TIME) {
      p.uint(JSON_ONLY, 'valid_life_time', '', INFINITY_LIFE_TIME);
      p.string(FP, null, '%s', 'forever');
    } else {
      p.uint(ANY, 'valid_life_time', '%usec', a.valid);
    }
    p.string(FP, null, ' preferred_lft ', null);
    if (a.preferred === INFINITY_LIFE_TIME) {
      p.uint(JSON_ONLY, 'preferred_life_time', '', INFINITY_LIFE_TIME);
      p.string(FP, null, '%s', 'forever');
    } else if (a.flags & IFA_F.DEPRECATED) {
      p.int(ANY, 'preferred_life_time', '%dsec', a.preferred | 0);
    } else {
      p.uint(ANY, 'preferred_life_time', '%usec', a.preferred);
    }
  }
  p.string(FP, null, '%s', '\n');
}

/**
 * print_ifa_flags() as text ("dynamic noprefixroute flags 8000 " …) and as
 * compact JSON members (`,"dynamic":true` …), for one (family, flags) pair.
 * The last pair is remembered: a dump's addresses mostly share their flags.
 */
const flagsCache = { family: -1, flags: -1, text: '', json: '' };
function ifaFlags(family: number, flagsIn: number): typeof flagsCache {
  const c = flagsCache;
  if (c.family === family && c.flags === flagsIn) return c;
  let text = '';
  let json = '';
  let flags = flagsIn >>> 0;
  for (const fl of IFA_FLAG_NAMES) {
    if (fl.mask === IFA_F.PERMANENT) {
      if (!(flags & fl.mask)) { text += 'dynamic '; json += ',"dynamic":true'; }
    } else if (flags & fl.mask) {
      const name = fl.mask === IFA_F.SECONDARY && family === AF_INET6 ? 'temporary' : fl.name;
      text += name + ' ';
      json += `,${jsonString(name)}:true`;
    }
    flags &= ~fl.mask;
  }
  if (flags) {
    const hex = flags.toString(16).padStart(2, '0');
    text += `flags ${hex} `;
    json += `,"ifa_flags":"${hex}"`;
  }
  c.family = family; c.flags = flagsIn; c.text = text; c.json = json;
  return c;
}

/** The family word of an address line ("    inet "), by family number. */
function familyText(family: number): string {
  const name = familyName(family);
  return name[0] !== '?' ? `    ${name} ` : `    family ${family} `;
}

/** The text of print_addrinfo() as one string: exactly what the per-field calls print in text mode. */
function addrInfoText(a: AddrInfo, f: AddrFilter, nameOf: (index: number) => string, brief: boolean, lineSep: string, deleted: boolean): string {
  let s = deleted ? 'Deleted ' : '';
  if (!brief) {
    if (f.oneline || f.flushing) s += a.index + ': ' + nameOf(a.index);
    s += a.family === AF_INET ? '    inet ' : a.family === AF_INET6 ? '    inet6 ' : familyText(a.family);
  }
  const local = a.local ?? a.address;
  if (local !== undefined) {
    const peer = a.address ?? local;
    s += peer !== local ? formatHost(local) + ' peer ' + formatHost(peer) : formatHost(local);
    s += '/' + a.prefixlen + ' ';
    if (a.rtPriority !== undefined) s += 'metric ' + a.rtPriority + ' ';
  }
  if (brief) return s;
  if (a.broadcast !== undefined) s += 'brd ' + formatHost(a.broadcast) + ' ';
  if (a.anycast !== undefined) s += 'any ' + formatHost(a.anycast) + ' ';
  s += scopeText(a.scope) + ifaFlags(a.family, a.flags).text;
  if (a.label !== undefined) s += a.label;
  if (a.cacheinfo) {
    s += lineSep + '       valid_lft ' + (a.valid === INFINITY_LIFE_TIME ? 'forever' : a.valid + 'sec') + ' preferred_lft ';
    if (a.preferred === INFINITY_LIFE_TIME) s += 'forever';
    else s += (a.flags & IFA_F.DEPRECATED ? a.preferred | 0 : a.preferred) + 'sec';
  }
  return s + '\n';
}

/** The members of print_addrinfo()'s JSON object, compact, as the per-field calls print them. */
function addrInfoJson(a: AddrInfo, f: AddrFilter, nameOf: (index: number) => string, brief: boolean, deleted: boolean): string {
  let s = deleted ? ',"deleted":true' : '';
  if (!brief) {
    if (f.oneline || f.flushing) s += ',"index":' + a.index + ',"dev":' + jsonString(nameOf(a.index));
    const name = familyName(a.family);
    s += name[0] !== '?' ? ',"family":"' + name + '"' : ',"family_index":' + a.family;
  }
  const local = a.local ?? a.address;
  if (local !== undefined) {
    const peer = a.address ?? local;
    s += ',"local":' + jsonString(formatHost(local));
    if (peer !== local) s += ',"address":' + jsonString(formatHost(peer));
    s += ',"prefixlen":' + a.prefixlen;
    if (a.rtPriority !== undefined) s += ',"metric":' + a.rtPriority;
  }
  if (!brief) {
    if (a.broadcast !== undefined) s += ',"broadcast":' + jsonString(formatHost(a.broadcast));
    if (a.anycast !== undefined) s += ',"anycast":' + jsonString(formatHost(a.anycast));
    s += scopeJson(a.scope) + ifaFlags(a.family, a.flags).json;
    if (a.label !== undefined) s += ',"label":' + jsonString(a.label);
    if (a.cacheinfo) {
      s += ',"valid_life_time":' + a.valid + ',"preferred_life_time":';
      s += a.preferred !== INFINITY_LIFE_TIME && a.flags & IFA_F.DEPRECATED ? a.preferred | 0 : a.preferred;
    }
  }
  return s.slice(1);
}

/** "scope NAME " and `,"scope":"NAME"` by scope number (names come from rt_scopes, so computed once each). */
const scopeTexts: string[] = [];
const scopeJsons: string[] = [];
function scopeText(scope: number): string {
  return scopeTexts[scope] ??= `scope ${rtScopeName(scope)} `;
}
function scopeJson(scope: number): string {
  return scopeJsons[scope] ??= `,"scope":${jsonString(rtScopeName(scope))}`;
}

