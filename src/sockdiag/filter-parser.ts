/**
 * A parser for ss's filter-expression language (misc/ssfilter.y and the
 * parse_hostcond family in misc/ss.c), producing a {@link FilterExpr}.
 *
 * Grammar (left to right, no precedence between `and` and `or`, as bison's
 * left-recursive `exprlist` gives):
 * ```
 * exprlist := expr { [ '|' | '&' ] expr }
 * expr     := '(' exprlist ')' | '!' expr | 'autobound'
 *           | ( 'src' | 'dst' ) [ '=' ] HOST
 *           | ( 'sport' | 'dport' ) ( '=' | '!=' | '<' | '>' | '<=' | '>=' | ) PORT
 *           | 'dev' ( '=' | '!=' | ) DEV | 'fwmark' ( '=' | '!=' | ) MARK[/MASK]
 *           | 'cgroup' ( '=' | '!=' | ) PATH
 * ```
 * Words: `!`/`not`, `&`/`&&`/`and`, `|`/`||`/`or`, `=`/`==`/`eq`, `!=`/`ne`/`neq`,
 * `>=`/`ge`/`geq`, `<=`/`le`/`leq`, `>`/`gt`, `<`/`lt`. Each argument is split
 * at blanks (backslash escapes), so `'( dport = :ssh )'` is one argument.
 * @module
 */
import { statSync, readFileSync } from 'node:fs';
import {
  AF_UNSPEC, AF_UNIX, AF_INET, AF_INET6, AF_PACKET, AF_NETLINK, AF_VSOCK,
  parsePrefix, type FilterExpr, type HostCond,
} from './filter.js';
import { Services, llProtoParse, nlProtoParse, strtolFull, strtoulFull } from './names.js';

/** A filter that ss would reject, with ss's stderr text and exit status. */
export class FilterParseError extends Error {
  override readonly name = 'FilterParseError';
  constructor(
    /** ss's exact stderr text (without the usage text ss appends to syntax errors). */
    message: string,
    /** ss's exit status (1 for bad values, 255 for syntax errors). */
    readonly exitCode: number,
    /** Whether ss prints its usage after the message (syntax errors). */
    readonly withUsage: boolean,
    /** The offending token and where it is: argument index and character offset (-1 when at the end). */
    readonly position: { readonly arg: number; readonly offset: number; readonly token: string | null },
  ) {
    super(message);
  }
}

/** Hooks the parser uses to resolve names (all optional). */
export interface FilterParseContext {
  /** -4/-6/-0/-f: the family bare addresses are parsed in (AF_UNSPEC by default). */
  readonly preferredFamily?: number;
  /** Which tables are queried: a port name is looked up for tcp and/or udp (getservbyname). */
  readonly tcp?: boolean;
  readonly udp?: boolean;
  readonly services?: Services;
  /** Interface name → index (0 when unknown). */
  readonly devIndex?: (name: string) => number;
  /** Host name → addresses (sync), for names that are not literal addresses. */
  readonly resolveHost?: (name: string, family: number) => Uint8Array[];
  /** cgroup path → id (default: the inode number of the cgroup2 directory). */
  readonly cgroupId?: (path: string) => bigint | null;
}

/** Result of {@link parseFilter}. */
export interface ParsedFilter {
  /** The expression, or null when empty. */
  readonly expr: FilterExpr | null;
  /**
   * The family named by the last `unix:`/`inet:`/`inet6:`/`link:`/`netlink:`/`vsock:`
   * prefix (or the preferred family), which restricts the query to it, as ss does.
   */
  readonly family: number | null;
}

type Tok =
  | { k: '!' | '&' | '|' | '(' | ')' | '=' | 'NEQ' | 'GEQ' | 'LEQ' | '>' | '<' | 'DCOND' | 'SCOND' | 'DPORT' | 'SPORT' | 'DEVNAME' | 'FWMARK' | 'CGROUPPATH' | 'AUTOBOUND' | 'EOF' }
  | { k: 'HOSTCOND'; v: HostCond }
  | { k: 'DEVCOND'; v: number }
  | { k: 'MARKMASK'; v: { mark: number; mask: number } }
  | { k: 'CGROUPCOND'; v: bigint };

interface Word { text: string; arg: number; offset: number }

/** Split one argument as ss's get_token_from_line does (blanks separate, backslash escapes). */
function splitArg(s: string, arg: number, out: Word[]): void {
  let i = 0;
  while (i < s.length) {
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (i >= s.length) break;
    const start = i;
    let tok = '';
    while (i < s.length && s[i] !== ' ' && s[i] !== '\t') {
      if (s[i] === '\\') { i++; if (i >= s.length) break; }
      tok += s[i]!;
      i++;
    }
    out.push({ text: tok, arg, offset: start });
  }
}

/** Lines of a -F filter file as ss reads them: lines starting with `#` (or `0`) are skipped. */
export function filterFileWords(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('0')) continue;
    out.push(line);
  }
  return out;
}

/** The default cgroup-id lookup: cgroup v2 directory inode (== kernfs id), relative paths under the cgroup2 mount. */
export function cgroupIdOf(path: string): bigint | null {
  const tryStat = (p: string): bigint | null => {
    try { return statSync(p, { bigint: true }).ino; } catch { return null; }
  };
  const direct = tryStat(path);
  if (direct !== null) return direct;
  const rel = path.replace(/^\/+/, '');
  if (!rel) return null;
  let mnt = '/sys/fs/cgroup';
  try {
    for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const f = line.split(' ');
      if (f[2] === 'cgroup2') { mnt = f[1]!; break; }
    }
  } catch { /* default */ }
  return tryStat(`${mnt}/${rel}`);
}

/**
 * Parse ss's filter expression from argv words (and optionally the contents
 * of a -F file, read after the arguments as ss does).
 *
 * ```ts
 * const { expr } = parseFilter(['dport = :ssh or sport = :http'], { tcp: true });
 * ```
 * @throws FilterParseError with ss's message.
 */
export function parseFilter(argv: readonly string[], ctx: FilterParseContext = {}, fileText?: string): ParsedFilter {
  const words: Word[] = [];
  argv.forEach((a, i) => splitArg(a, i, words));
  if (fileText !== undefined) filterFileWords(fileText).forEach((l) => splitArg(l, -1, words));
  const services = ctx.services ?? new Services();
  let family: number | null = null;
  let pos = 0;
  let tokType: Tok['k'] | null = null;
  let look: { tok: Tok; word: Word | null } | null = null;
  let current: Word | null = null;

  const fail = (msg: string, code: number, w: Word | null, usage = false): never => {
    throw new FilterParseError(msg, code, usage, { arg: w?.arg ?? -1, offset: w?.offset ?? -1, token: w?.text ?? null });
  };

  const hostcond = (w: Word, isPort: boolean): HostCond => {
    let addr = w.text;
    let fam = ctx.preferredFamily ?? AF_UNSPEC;
    const prefixes: Array<[string, number]> = [['unix:', AF_UNIX], ['link:', AF_PACKET], ['netlink:', AF_NETLINK], ['vsock:', AF_VSOCK], ['inet:', AF_INET], ['inet6:', AF_INET6]];
    for (const [p, f] of prefixes) if (addr.startsWith(p)) { fam = f; addr = addr.slice(p.length); break; }
    const bad = (): never => fail('Cannot parse dst/src address.', 1, w);
    const zero = new Uint8Array(16);
    const setFamily = (): void => { if (fam !== AF_UNSPEC) family = fam; };
    if (fam === AF_UNIX) {
      setFamily();
      return { family: AF_UNIX, prefixLen: addr.length * 8, addr: zero, port: -1, pattern: addr };
    }
    const findPort = (): { host: string; port: string | null } => {
      if (isPort) return { host: addr, port: addr.startsWith(':') ? addr.slice(1) : addr };
      const i = addr.indexOf(':');
      return i >= 0 ? { host: addr.slice(0, i), port: addr.slice(i + 1) } : { host: addr, port: null };
    };
    if (fam === AF_PACKET || fam === AF_NETLINK) {
      const { host, port } = findPort();
      let p = -1;
      if (port !== null && port !== '' && port !== '*') {
        const n = strtolFull(port);
        if (n !== null) p = n;
        else if (fam === AF_PACKET) {
          const idx = ctx.devIndex?.(port) ?? 0;
          if (idx <= 0) bad();
          p = idx;
        } else if (port === 'kernel') p = 0;
        else bad();
      }
      let prefixLen = 0;
      const a = new Uint8Array(16);
      if (!isPort && host !== '' && host !== '*') {
        prefixLen = 32;
        const v = fam === AF_PACKET ? llProtoParse(host) : nlProtoParse(host);
        if (v === null) bad();
        new DataView(a.buffer).setUint32(0, v! >>> 0, true);
      }
      setFamily();
      return { family: fam, prefixLen, addr: a, port: p };
    }
    if (fam === AF_VSOCK) {
      const { host, port } = findPort();
      let p = -1;
      if (port !== null && port !== '*') {
        const n = strtoulFull(port);
        if (n === null || n > 0xffffffff) bad();
        p = n! | 0;
      }
      let cid = 0xffffffff;
      let prefixLen = 0;
      if (!isPort && host !== '' && host !== '*') {
        const n = strtoulFull(host);
        if (n === null || n > 0xffffffff) bad();
        cid = n!;
        prefixLen = 32;
      }
      const a = new Uint8Array(16);
      new DataView(a.buffer).setUint32(0, cid, true);
      setFamily();
      return { family: AF_VSOCK, prefixLen, addr: a, port: p };
    }
    // inet: URL-like [addr]:port, *:port, or the last ':' (after any '/').
    let host = addr;
    let portText: string | null = null;
    if (host.startsWith('[')) {
      const close = host.indexOf(']');
      if (close < 0) bad();
      portText = host.slice(close + 1);
      host = host.slice(1, close);
    } else if (host.startsWith('*')) {
      portText = host.slice(1);
      host = '*';
    } else {
      const slash = host.indexOf('/');
      const c = host.lastIndexOf(':');
      if (c >= 0 && (slash < 0 || c > slash)) { portText = host.slice(c); host = host.slice(0, c); }
    }
    if (isPort) { portText = addr; host = ''; }
    let port = -1;
    if (portText !== null && portText !== '') {
      if (portText.startsWith(':')) portText = portText.slice(1);
      if (portText !== '' && !portText.startsWith('*')) {
        const n = strtolFull(portText);
        if (n !== null) port = n;
        else {
          const u = ctx.udp ? services.port(portText, 'udp') : undefined;
          const t = ctx.tcp ? services.port(portText, 'tcp') : undefined;
          if (u !== undefined && t !== undefined && u !== t) {
            fail(`Error: ambiguous port "${portText}".\nCannot parse dst/src address.`, 1, w);
          }
          const v = u ?? t;
          if (v === undefined) fail(`Error: "${portText}" does not look like a port.\nCannot parse dst/src address.`, 1, w);
          port = v!;
        }
      }
    }
    let cond: HostCond = { family: AF_UNSPEC, prefixLen: 0, addr: zero, port };
    if (!isPort && host !== '' && !host.startsWith('*')) {
      const p = parsePrefix(host, port);
      const famOk = p && (fam === AF_UNSPEC || p.family === AF_UNSPEC || p.family === fam);
      if (p && famOk) cond = { ...p, family: p.family === AF_UNSPEC ? fam : p.family };
      else {
        const addrs = ctx.resolveHost?.(host, fam) ?? [];
        if (!addrs.length) fail(`Error: an inet prefix is expected rather than "${host}".\nCannot parse dst/src address.`, 1, w);
        const conds = addrs.map((a): HostCond => {
          const b = new Uint8Array(16);
          b.set(a);
          return { family: a.length === 16 ? AF_INET6 : AF_INET, prefixLen: a.length * 8, addr: b, port };
        });
        cond = conds[0]!;
        multi = conds;
      }
    }
    setFamily();
    return cond;
  };
  let multi: HostCond[] | null = null;

  const lex = (): { tok: Tok; word: Word | null } => {
    const w = words[pos++];
    if (!w) return { tok: { k: 'EOF' }, word: null };
    current = w;
    const t = w.text;
    const simple: Record<string, Tok['k']> = {
      '!': '!', not: '!', '&': '&', '&&': '&', and: '&', '|': '|', '||': '|', or: '|', '(': '(', ')': ')',
      '>=': 'GEQ', ge: 'GEQ', geq: 'GEQ', '<=': 'LEQ', le: 'LEQ', leq: 'LEQ', '!=': 'NEQ', ne: 'NEQ', neq: 'NEQ',
      '=': '=', '==': '=', eq: '=', '>': '>', gt: '>', '<': '<', lt: '<',
    };
    const keywords: Record<string, Tok['k']> = {
      dst: 'DCOND', src: 'SCOND', dport: 'DPORT', sport: 'SPORT', dev: 'DEVNAME', fwmark: 'FWMARK', cgroup: 'CGROUPPATH', autobound: 'AUTOBOUND',
    };
    // Keyword checks come in ss's order: operators first except that the keywords are tested between `(`/`)` and the comparisons.
    if (t === '!' || t === 'not' || t === '&' || t === '&&' || t === 'and' || t === '|' || t === '||' || t === 'or' || t === '(' || t === ')') {
      return { tok: { k: simple[t]! } as Tok, word: w };
    }
    if (t in keywords && t !== 'autobound') { tokType = keywords[t]!; return { tok: { k: tokType } as Tok, word: w }; }
    if (t in simple) return { tok: { k: simple[t]! } as Tok, word: w };
    if (t === 'autobound') { tokType = 'AUTOBOUND'; return { tok: { k: 'AUTOBOUND' }, word: w }; }
    if (tokType === 'DEVNAME') {
      let idx = ctx.devIndex?.(t) ?? 0;
      if (!idx) {
        const n = strtoulFull(t);
        if (n === null || n > 0xffffffff) fail('Cannot parse device.', 1, w);
        idx = n!;
      }
      return { tok: { k: 'DEVCOND', v: idx }, word: w };
    }
    if (tokType === 'FWMARK') {
      const parts = t.split('/');
      const num = (s: string | undefined): number | null => {
        if (s === undefined) return null;
        const m = /^\s*([+-]?(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*))/.exec(s);
        if (!m) return null;
        const v = m[1]!.replace(/^\+/, '');
        const neg = v.startsWith('-');
        const n = strtoulFull(neg ? v.slice(1) : v);
        return n === null ? null : ((neg ? -n : n) >>> 0);
      };
      let mark: number | null; let mask: number | null;
      if (t.includes('/')) { mark = num(parts[0]); mask = num(parts[1]); }
      else { mark = num(t); mask = 0xffffffff; }
      if (mark === null || mask === null) fail(`Cannot parse mark ${t}.`, 1, w);
      return { tok: { k: 'MARKMASK', v: { mark: mark!, mask: mask! } }, word: w };
    }
    if (tokType === 'CGROUPPATH') {
      const id = (ctx.cgroupId ?? cgroupIdOf)(t);
      if (!id) fail(`Cannot parse cgroup ${t}.`, 1, w);
      return { tok: { k: 'CGROUPCOND', v: id! }, word: w };
    }
    multi = null;
    const c = hostcond(w, tokType === 'SPORT' || tokType === 'DPORT');
    return { tok: { k: 'HOSTCOND', v: c }, word: w };
  };

  const peek = (): Tok => { if (!look) look = lex(); return look.tok; };
  const take = (): { tok: Tok; word: Word | null } => { const l = look ?? lex(); look = null; return l; };
  const syntax = (): never => {
    const w = look?.word ?? current;
    return fail('ss: bison bellows (while parsing filter): "syntax error!" Sorry.', 255, w, true);
  };

  const hostOf = (): HostCond[] => {
    const t = take();
    if (t.tok.k !== 'HOSTCOND') syntax();
    const m = multi as HostCond[] | null;
    return m ?? [(t.tok as { v: HostCond }).v];
  };

  const expr = (): FilterExpr => {
    const t = take();
    switch (t.tok.k) {
      case '(': {
        const e = exprlist();
        if (take().tok.k !== ')') syntax();
        return e;
      }
      case '!': return { type: 'not', expr: expr() };
      case 'AUTOBOUND': return { type: 'autobound' };
      case 'DCOND':
      case 'SCOND': {
        if (peek().k === '=') take();
        return { type: t.tok.k === 'DCOND' ? 'dst' : 'src', conds: hostOf() };
      }
      case 'DPORT':
      case 'SPORT': {
        const d = t.tok.k === 'DPORT';
        const opTok = peek().k;
        let op: string = '=';
        if (opTok === '=' || opTok === 'NEQ' || opTok === 'GEQ' || opTok === 'LEQ' || opTok === '>' || opTok === '<') { take(); op = opTok; }
        const conds = hostOf();
        const eq: FilterExpr = { type: d ? 'dst' : 'src', conds };
        const port = conds[0]!.port;
        const ge: FilterExpr = { type: d ? 'dport-ge' : 'sport-ge', port };
        const le: FilterExpr = { type: d ? 'dport-le' : 'sport-le', port };
        switch (op) {
          case 'GEQ': return ge;
          case 'LEQ': return le;
          case '>': return { type: 'not', expr: le };
          case '<': return { type: 'not', expr: ge };
          case 'NEQ': return { type: 'not', expr: eq };
          default: return eq;
        }
      }
      case 'DEVNAME':
      case 'FWMARK':
      case 'CGROUPPATH': {
        let neg = false;
        const o = peek().k;
        if (o === '=') take(); else if (o === 'NEQ') { take(); neg = true; }
        const v = take().tok;
        let e: FilterExpr;
        if (t.tok.k === 'DEVNAME' && v.k === 'DEVCOND') e = { type: 'dev', ifindex: v.v };
        else if (t.tok.k === 'FWMARK' && v.k === 'MARKMASK') e = { type: 'fwmark', mark: v.v.mark, mask: v.v.mask };
        else if (t.tok.k === 'CGROUPPATH' && v.k === 'CGROUPCOND') e = { type: 'cgroup', id: v.v };
        else return syntax();
        return neg ? { type: 'not', expr: e } : e;
      }
      default:
        look = t;
        return syntax();
    }
  };

  const startsExpr = (k: Tok['k']): boolean =>
    ['(', '!', 'AUTOBOUND', 'DCOND', 'SCOND', 'DPORT', 'SPORT', 'DEVNAME', 'FWMARK', 'CGROUPPATH'].includes(k);

  const exprlist = (): FilterExpr => {
    let left = expr();
    for (;;) {
      const k = peek().k;
      if (k === '|' || k === '&') {
        take();
        left = { type: k === '|' ? 'or' : 'and', left, right: expr() };
      } else if (startsExpr(k)) {
        left = { type: 'and', left, right: expr() };
      } else if (k === 'EOF' || k === ')') {
        return left;
      } else {
        return syntax();
      }
    }
  };

  if (peek().k === 'EOF') return { expr: null, family };
  const e = exprlist();
  if (peek().k !== 'EOF') syntax();
  return { expr: e, family };
}

/** ss's state names (scan_state), lower-case as accepted (case-insensitive). */
const STATE_WORDS: Record<string, number> = {
  established: 1 << 1, 'syn-sent': 1 << 2, 'syn-recv': 1 << 3, 'fin-wait-1': 1 << 4, 'fin-wait-2': 1 << 5,
  'time-wait': 1 << 6, unconnected: 1 << 7, 'close-wait': 1 << 8, 'last-ack': 1 << 9, listening: 1 << 10,
  closing: 1 << 11, unknown: 1 << 0,
  close: 1 << 7, closed: 1 << 7, 'syn-rcv': 1 << 3,
};
const ALL = (1 << 12) - 1;
/** Named state groups. */
export const STATE_GROUPS: Readonly<Record<string, number>> = {
  all: ALL,
  connected: ALL & ~((1 << 7) | (1 << 10)),
  synchronized: ALL & ~((1 << 7) | (1 << 10) | (1 << 2)),
  bucket: (1 << 3) | (1 << 6),
  big: ALL & ~((1 << 3) | (1 << 6)),
};

/** scan_state: a state name or group to its bit mask; null if unknown. */
export function stateMask(name: string): number | null {
  const n = name.toLowerCase();
  return STATE_GROUPS[n] ?? STATE_WORDS[n] ?? null;
}

/**
 * Parse ss's leading `state X` / `exclude X` words. Returns the state mask
 * (0 if none given) and the remaining argv (the expression).
 * @throws FilterParseError `ss: wrong state name: X` (exit 255).
 */
export function parseStateWords(argv: readonly string[], initial = 0): { states: number; rest: string[]; saw: boolean } {
  let states = initial;
  let saw = false;
  let i = 0;
  while (i < argv.length) {
    const w = argv[i]!;
    if (w !== 'state' && w !== 'exclude' && w !== 'excl') break;
    const v = argv[i + 1];
    if (v === undefined) {
      throw new FilterParseError('Command line is not complete. Try option "help"', 255, false, { arg: i, offset: 0, token: w });
    }
    const m = stateMask(v);
    if (m === null) throw new FilterParseError(`ss: wrong state name: ${v}`, 255, false, { arg: i + 1, offset: 0, token: v });
    if (w === 'state') {
      if (!saw) states = 0;
      states |= m;
    } else {
      if (!saw) states = ALL;
      states &= ~m;
    }
    saw = true;
    i += 2;
  }
  return { states, rest: argv.slice(i), saw };
}
