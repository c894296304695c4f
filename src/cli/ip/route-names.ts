/**
 * Name tables `ip route` uses (iproute2's lib/rt_names.c and ip/rtm_map.c):
 * tables, protocols, scopes, realms, DS fields and route types, each built-in
 * list overlaid with /etc/iproute2/FILE (and FILE.d/*.conf for tables and
 * protocols), read lazily.
 * @module
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parseUnsigned } from '../common/args.js';

const CONFDIRS = ['/etc/iproute2', '/usr/share/iproute2', '/usr/lib/iproute2'];

/** Read "ID NAME" lines (ID decimal or 0x hex) of one file into `into`; later files override. */
function readTable(path: string, into: Map<number, string>, max: number): void {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return; }
  for (const raw of text.split('\n')) {
    const line = raw.trimStart();
    if (!line || line.startsWith('#')) continue;
    const m = /^(0x[0-9a-fA-F]+|-?\d+)\s+(\S+)/.exec(line);
    if (!m) break; // iproute2 stops at a corrupt line
    const id = m[1]!.startsWith('0x') ? parseInt(m[1]!.slice(2), 16) : parseInt(m[1]!, 10);
    if (id < 0 || id > max) continue;
    into.set(id, m[2]!);
  }
}

function confDir(): string {
  for (const d of CONFDIRS) {
    try { readdirSync(d); return d; } catch { /* next */ }
  }
  return CONFDIRS[0]!;
}

function loadWithDir(base: Map<number, string>, file: string, max: number): Map<number, string> {
  const dir = confDir();
  readTable(`${dir}/${file}`, base, max);
  let entries: string[] = [];
  try { entries = readdirSync(`${dir}/${file}.d`); } catch { /* none */ }
  for (const e of entries) {
    if (e.startsWith('.') || e.length <= 5 || !e.endsWith('.conf')) continue;
    readTable(`${dir}/${file}.d/${e}`, base, max);
  }
  return base;
}

/** A lazily loaded id ↔ name table. */
class NameTable {
  private map: Map<number, string> | undefined;
  private byName: Map<string, number> | undefined;
  constructor(private readonly load: () => Map<number, string>) {}
  private get m(): Map<number, string> {
    if (!this.map) {
      this.map = this.load();
      this.byName = new Map();
      // The lowest id wins for a name listed twice (iproute2 scans ids upwards).
      for (const [id, name] of [...this.map].sort((a, b) => a[0] - b[0])) if (!this.byName.has(name)) this.byName.set(name, id);
    }
    return this.map;
  }
  name(id: number): string | undefined { return this.m.get(id); }
  id(name: string): number | undefined { return this.ids().get(name); }
  /** Every name with the id {@link id} gives it. */
  ids(): ReadonlyMap<string, number> { void this.m; return this.byName!; }
}

const tables = new NameTable(() => loadWithDir(new Map([[253, 'default'], [254, 'main'], [255, 'local']]), 'rt_tables', 0xffffffff));
const protos = new NameTable(() => loadWithDir(new Map([
  [0, 'unspec'], [1, 'redirect'], [2, 'kernel'], [3, 'boot'], [4, 'static'], [8, 'gated'], [9, 'ra'], [10, 'mrt'],
  [11, 'zebra'], [12, 'bird'], [42, 'babel'], [13, 'dnrouted'], [14, 'xorp'], [15, 'ntk'], [16, 'dhcp'],
  [18, 'keepalived'], [186, 'bgp'], [187, 'isis'], [188, 'ospf'], [189, 'rip'], [192, 'eigrp'],
]), 'rt_protos', 255));
const scopes = new NameTable(() => {
  const m = new Map<number, string>([[0, 'global'], [255, 'nowhere'], [254, 'host'], [253, 'link'], [200, 'site']]);
  readTable(`${confDir()}/rt_scopes`, m, 255);
  return m;
});
const realms = new NameTable(() => {
  const m = new Map<number, string>([[0, 'unknown']]);
  readTable(`${confDir()}/rt_realms`, m, 255);
  return m;
});
const dsfields = new NameTable(() => {
  const m = new Map<number, string>([[0, '0']]);
  readTable(`${confDir()}/rt_dsfield`, m, 255);
  return m;
});

/** Whether -N (numeric) is in effect: set once per run by the CLI. */
let numeric = false;
/** Set numeric output (ip -N). */
export function setNumeric(on: boolean): void { numeric = on; }

/** strtoul(s, &end, base) with the whole string consumed, within max; null otherwise. */
function num(s: string, max: number, base = 0): number | null {
  return parseUnsigned(s, max, base);
}

/** rtnl_rttable_n2a */
export function tableName(id: number): string {
  if (numeric) return String(id >>> 0);
  return tables.name(id) ?? String(id >>> 0);
}
/** rtnl_rttable_a2n: null if invalid. */
export function tableId(s: string): number | null {
  const t = tables.id(s);
  if (t !== undefined) return t;
  return num(s, 0xffffffff);
}

/**
 * The names rtnl_rttable_a2n, rtnl_rtprot_a2n and rtnl_rtscope_a2n resolve
 * before trying a number ({@link tableId}, {@link protoId}, {@link scopeId}),
 * for scanners that resolve those words themselves (route-batch-native.ts).
 */
export function routeNameIds(): { readonly table: ReadonlyMap<string, number>; readonly proto: ReadonlyMap<string, number>; readonly scope: ReadonlyMap<string, number> } {
  return { table: tables.ids(), proto: protos.ids(), scope: scopes.ids() };
}

/** rtnl_rtprot_n2a */
export function protoName(id: number): string {
  if (numeric) return String(id);
  return protos.name(id) ?? String(id);
}
/** rtnl_rtprot_a2n */
export function protoId(s: string): number | null {
  return protos.id(s) ?? num(s, 255);
}

/** rtnl_rtscope_n2a */
export function scopeName(id: number): string {
  if (numeric) return String(id);
  return scopes.name(id) ?? String(id);
}
/** rtnl_rtscope_a2n */
export function scopeId(s: string): number | null {
  return scopes.id(s) ?? num(s, 255);
}

/** rtnl_rtrealm_n2a */
export function realmName(id: number): string {
  if (numeric) return String(id);
  return realms.name(id) ?? String(id);
}
/** rtnl_rtrealm_a2n */
export function realmId(s: string): number | null {
  return realms.id(s) ?? num(s, 255);
}

/** get_rt_realms_or_raw: `FROM/TO`, `TO`, or a raw 32-bit number. */
export function parseRealms(s: string): number | null {
  const slash = s.indexOf('/');
  let out = 0;
  let ok = true;
  let rest = s;
  if (slash >= 0) {
    const from = realmId(s.slice(0, slash));
    if (from === null) ok = false; else { out = from << 16; rest = s.slice(slash + 1); }
  }
  if (ok && rest) {
    const to = realmId(rest);
    if (to === null) ok = false; else out |= to;
  }
  if (ok) return out >>> 0;
  return num(s, 0xffffffff);
}

/** rtnl_dsfield_n2a */
export function dsfieldName(id: number): string {
  if (!numeric) {
    const n = dsfields.name(id);
    if (n !== undefined) return n;
  }
  return '0x' + id.toString(16).padStart(2, '0');
}
/** rtnl_dsfield_a2n (numbers are hex, as in iproute2) */
export function dsfieldId(s: string): number | null {
  return dsfields.id(s) ?? num(s, 255, 16);
}

const TYPE_NAMES = ['none', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve'];

/** rtnl_rtntype_n2a */
export function routeTypeName(id: number): string {
  if (numeric) return String(id);
  return TYPE_NAMES[id] ?? String(id);
}

const isPrefix = (arg: string, word: string): boolean => arg.length <= word.length && word.startsWith(arg);

/** rtnl_rtntype_a2n: null if not a type. */
export function routeTypeId(arg: string): number | null {
  if (arg === 'local') return 2;
  if (arg === 'nat') return 10;
  if (isPrefix(arg, 'broadcast') || arg === 'brd') return 3;
  if (isPrefix(arg, 'anycast')) return 4;
  if (isPrefix(arg, 'multicast')) return 5;
  if (isPrefix(arg, 'prohibit')) return 8;
  if (isPrefix(arg, 'unreachable')) return 7;
  if (isPrefix(arg, 'blackhole')) return 6;
  if (isPrefix(arg, 'xresolve')) return 11;
  if (isPrefix(arg, 'unicast')) return 1;
  if (arg === 'throw') return 9;
  return num(arg, 255);
}

/** family_name() */
export function familyName(f: number): string {
  switch (f) {
    case 2: return 'inet';
    case 10: return 'inet6';
    case 17: return 'link';
    case 4: return 'ipx';
    case 28: return 'mpls';
    case 7: return 'bridge';
    default: return '???';
  }
}
