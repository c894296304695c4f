/**
 * iproute2's rt_names.c / rtm_map.c / inet_proto.c tables: routing protocols,
 * scopes, tables, DS fields, realms, device groups, route types and IP
 * protocols, each read from /etc/iproute2 (and /etc/protocols) the way
 * iproute2 reads them, with its built-in defaults.
 * @module
 */
import { readFileSync, readdirSync } from 'node:fs';

const CONFDIR = '/etc/iproute2';

/** fread_id_name(): `0xNN name` or `NN name` lines; comments and blank lines skipped. */
function readIdNames(file: string): Array<[number, string]> {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch { return []; }
  const out: Array<[number, string]> = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^[ \t]+/, '');
    if (!line || line.startsWith('#')) continue;
    const m = /^(0x[0-9a-fA-F]+|-?\d+)\s+(\S+)/.exec(line);
    if (!m) break; // iproute2 reports the database as corrupted and stops reading it
    const id = m[1]!.startsWith('0x') ? parseInt(m[1]!.slice(2), 16) : parseInt(m[1]!, 10);
    out.push([id, m[2]!]);
  }
  return out;
}

/** Files `DIR.d/*.conf` in readdir order, after DIR itself. */
function withConfD(base: string): string[] {
  const files = [`${CONFDIR}/${base}`];
  try {
    for (const f of readdirSync(`${CONFDIR}/${base}.d`)) {
      if (!f.startsWith('.') && f.length > 5 && f.endsWith('.conf')) files.push(`${CONFDIR}/${base}.d/${f}`);
    }
  } catch { /* no .d directory */ }
  return files;
}

/** A 256-entry table (rtnl_tab_initialize): later lines override earlier ones. */
class Tab {
  private tab: Array<string | undefined> | undefined;
  constructor(private readonly defaults: Readonly<Record<number, string>>, private readonly files: () => string[]) {}
  private load(): Array<string | undefined> {
    if (this.tab) return this.tab;
    const t = new Array<string | undefined>(256);
    for (const [k, v] of Object.entries(this.defaults)) t[Number(k)] = v;
    for (const f of this.files()) for (const [id, name] of readIdNames(f)) if (id >= 0 && id < 256) t[id] = name;
    this.tab = t;
    return t;
  }
  name(id: number): string | undefined { return id >= 0 && id < 256 ? this.load()[id] : undefined; }
  id(name: string): number | undefined {
    const t = this.load();
    for (let i = 0; i < 256; i++) if (t[i] === name) return i;
    return undefined;
  }
}

/** A hashed table (rtnl_hash_initialize): ids of any size; the most recent line for an id wins. */
class Hash {
  private entries: Array<[number, string]> | undefined;
  constructor(private readonly defaults: ReadonlyArray<[number, string]>, private readonly files: () => string[]) {}
  private load(): Array<[number, string]> {
    if (this.entries) return this.entries;
    // Newest first, as iproute2 prepends to its hash chains.
    const e: Array<[number, string]> = [...this.defaults];
    for (const f of this.files()) for (const [id, name] of readIdNames(f)) if (id >= 0) e.unshift([id, name]);
    this.entries = e;
    return e;
  }
  name(id: number): string | undefined { return this.load().find(([i]) => i === id)?.[1]; }
  id(name: string): number | undefined {
    // iproute2 walks buckets 0..255 in order; within a bucket, newest first.
    const e = this.load();
    for (let b = 0; b < 256; b++) {
      const hit = e.find(([i, n]) => (i & 255) === b && n === name);
      if (hit) return hit[0];
    }
    return undefined;
  }
}

/** strtoul(arg, &end, base) accepting the whole string, or undefined. */
export function strtoul(arg: string, base = 0): number | undefined {
  let s = arg.replace(/^[ \t\n]+/, '');
  let neg = false;
  if (s.startsWith('+')) s = s.slice(1);
  else if (s.startsWith('-')) { neg = true; s = s.slice(1); }
  let b = base;
  if ((b === 0 || b === 16) && /^0[xX][0-9a-fA-F]/.test(s)) { s = s.slice(2); b = 16; }
  else if (b === 0 && /^0/.test(s)) b = 8;
  else if (b === 0) b = 10;
  const re = b === 16 ? /^[0-9a-fA-F]+$/ : b === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!re.test(s)) return undefined;
  const n = parseInt(s, b);
  return neg ? (2 ** 64 - n) : n; // unsigned wrap, only ever compared against a maximum
}

const protos = new Tab({
  0: 'unspec', 1: 'redirect', 2: 'kernel', 3: 'boot', 4: 'static', 8: 'gated', 9: 'ra', 10: 'mrt', 11: 'zebra',
  12: 'bird', 42: 'babel', 13: 'dnrouted', 14: 'xorp', 15: 'ntk', 16: 'dhcp', 18: 'keepalived', 186: 'bgp',
  187: 'isis', 188: 'ospf', 189: 'rip', 192: 'eigrp',
}, () => withConfD('rt_protos'));
const scopes = new Tab({ 0: 'global', 255: 'nowhere', 254: 'host', 253: 'link', 200: 'site' }, () => [`${CONFDIR}/rt_scopes`]);
const realms = new Tab({ 0: 'unknown' }, () => [`${CONFDIR}/rt_realms`]);
const dsfields = new Tab({ 0: '0' }, () => [`${CONFDIR}/rt_dsfield`]);
const tables = new Hash([[253, 'default'], [254, 'main'], [255, 'local']], () => withConfD('rt_tables'));
const groups = new Hash([[0, 'default']], () => [`${CONFDIR}/group`]);

/** rtnl_rtprot_n2a */
export function protoName(id: number, numeric = false): string {
  return (!numeric && protos.name(id)) || String(id);
}
/** rtnl_rtprot_a2n: a name or a number 0..255; undefined if invalid. */
export function protoId(arg: string): number | undefined {
  const n = protos.id(arg);
  if (n !== undefined) return n;
  const v = strtoul(arg);
  return v !== undefined && v <= 255 ? v : undefined;
}

/** rtnl_rtscope_n2a */
export function scopeName(id: number, numeric = false): string {
  return (!numeric && scopes.name(id)) || String(id);
}

/** rtnl_rtrealm_n2a */
export function realmName(id: number, numeric = false): string {
  return (!numeric && realms.name(id)) || String(id);
}
/** rtnl_rtrealm_a2n */
export function realmId(arg: string): number | undefined {
  const n = realms.id(arg);
  if (n !== undefined) return n;
  const v = strtoul(arg);
  return v !== undefined && v <= 255 ? v : undefined;
}
/** get_rt_realms_or_raw(): `[FROM/]TO` names, or a raw 32-bit number. */
export function parseRealms(arg: string): number | undefined {
  const slash = arg.indexOf('/');
  let from = 0;
  let rest = arg;
  if (slash >= 0) {
    const f = realmId(arg.slice(0, slash));
    if (f === undefined) return rawRealms(arg);
    from = f;
    rest = arg.slice(slash + 1);
  }
  if (rest) {
    const t = realmId(rest);
    if (t === undefined) return rawRealms(arg);
    return ((from << 16) | t) >>> 0;
  }
  return (from << 16) >>> 0;
}
function rawRealms(arg: string): number | undefined {
  const v = strtoul(arg);
  return v !== undefined && v <= 0xffffffff ? v : undefined;
}

/** rtnl_rttable_n2a */
export function tableName(id: number, numeric = false): string {
  return (!numeric && tables.name(id)) || String(id);
}
/** rtnl_rttable_a2n */
export function tableId(arg: string): number | undefined {
  const n = tables.id(arg);
  if (n !== undefined) return n;
  const v = strtoul(arg);
  return v !== undefined && v <= 0xffffffff ? v : undefined;
}

/** rtnl_dsfield_n2a */
export function dsfieldName(id: number, numeric = false): string {
  const n = numeric ? undefined : dsfields.name(id);
  return n ?? `0x${id.toString(16).padStart(2, '0')}`;
}
/** rtnl_dsfield_a2n (numbers are hexadecimal) */
export function dsfieldId(arg: string): number | undefined {
  const n = dsfields.id(arg);
  if (n !== undefined) return n;
  const v = strtoul(arg, 16);
  return v !== undefined && v <= 255 ? v : undefined;
}

/** rtnl_group_n2a */
export function groupName(id: number, numeric = false): string {
  return (!numeric && groups.name(id)) || String(id);
}
/** rtnl_group_a2n (strtol, must be >= 0) */
export function groupId(arg: string): number | undefined {
  const n = groups.id(arg);
  if (n !== undefined) return n;
  if (/^\s*-/.test(arg)) return undefined;
  const v = strtoul(arg);
  return v !== undefined && v <= 0x7fffffff ? v : undefined;
}

const RTN_NAMES = ['none', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve'];

/** rtnl_rtntype_n2a */
export function rtnTypeName(id: number, numeric = false): string {
  return (!numeric && RTN_NAMES[id]) || String(id);
}

/** matches() of iproute2: a (possibly empty) prefix of `word`. */
function prefixOf(arg: string, word: string): boolean {
  return arg.length <= word.length && word.startsWith(arg);
}

/** rtnl_rtntype_a2n */
export function rtnTypeId(arg: string): number | undefined {
  if (arg === 'local') return 2;
  if (arg === 'nat') return 10;
  if (prefixOf(arg, 'broadcast') || arg === 'brd') return 3;
  if (prefixOf(arg, 'anycast')) return 4;
  if (prefixOf(arg, 'multicast')) return 5;
  if (prefixOf(arg, 'prohibit')) return 8;
  if (prefixOf(arg, 'unreachable')) return 7;
  if (prefixOf(arg, 'blackhole')) return 6;
  if (prefixOf(arg, 'xresolve')) return 11;
  if (prefixOf(arg, 'unicast')) return 1;
  if (arg === 'throw') return 9;
  const v = strtoul(arg);
  return v !== undefined && v <= 255 ? v : undefined;
}

let protocols: Array<{ num: number; names: string[] }> | undefined;
function loadProtocols(): Array<{ num: number; names: string[] }> {
  if (protocols) return protocols;
  protocols = [];
  let text = '';
  try { text = readFileSync('/etc/protocols', 'utf8'); } catch { /* none */ }
  for (const line of text.split('\n')) {
    const t = line.replace(/#.*/, '').trim();
    if (!t) continue;
    const [name, num, ...aliases] = t.split(/\s+/);
    if (name === undefined || num === undefined || !/^\d+$/.test(num)) continue;
    protocols.push({ num: Number(num), names: [name, ...aliases] });
  }
  return protocols;
}

/** inet_proto_n2a (getprotobynumber, else `ipproto-N`) */
export function inetProtoName(n: number, numeric = false): string {
  const p = numeric ? undefined : loadProtocols().find((x) => x.num === n);
  return p ? p.names[0]! : `ipproto-${n}`;
}
/** inet_proto_a2n: a decimal number 0..255 or a name from /etc/protocols; undefined if neither. */
export function inetProtoId(arg: string): number | undefined {
  const v = strtoul(arg, 10);
  if (v !== undefined && v <= 255) return v;
  return loadProtocols().find((x) => x.names.includes(arg))?.num;
}
