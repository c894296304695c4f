/**
 * Socket filter expressions: the AST of ss's filter language
 * (misc/ssfilter.y), builders for it, and its user-space evaluation with
 * exactly ss's semantics (run_ssfilter). {@link compileBytecode} turns the
 * same AST into INET_DIAG bytecode so the kernel filters inet sockets.
 *
 * ```ts
 * import { F } from 'rip/sockdiag';
 * const e = F.and(F.dport('=', 22), F.not(F.src('10.0.0.0/8')));
 * ```
 * @module
 */

/** AF_* numbers used here. */
export const AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16, AF_PACKET = 17, AF_VSOCK = 40;

/**
 * A host condition (ss's struct aafilter): an address prefix and/or a port.
 * For Unix sockets `pattern` is a shell glob on the path; for packet sockets
 * the address is the protocol (4 bytes, host order) and the port the ifindex;
 * for netlink the address is the protocol and the port the portid.
 */
export interface HostCond {
  /** AF_* of the address (AF_UNSPEC when only a port is given). */
  readonly family: number;
  /** Prefix length in bits; 0 means any address. */
  readonly prefixLen: number;
  /** 16 bytes (zero padded), network order for IP. */
  readonly addr: Uint8Array;
  /** Port (or ifindex/portid), -1 for any. */
  readonly port: number;
  /** Unix path glob (family AF_UNIX); null matches everything. */
  readonly pattern?: string | null;
}

/** A node of a filter expression. */
export type FilterExpr =
  | { readonly type: 'src' | 'dst'; readonly conds: readonly HostCond[] }
  | { readonly type: 'sport-ge' | 'sport-le' | 'dport-ge' | 'dport-le'; readonly port: number }
  | { readonly type: 'autobound' }
  | { readonly type: 'dev'; readonly ifindex: number }
  | { readonly type: 'fwmark'; readonly mark: number; readonly mask: number }
  | { readonly type: 'cgroup'; readonly id: bigint }
  | { readonly type: 'and' | 'or'; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly type: 'not'; readonly expr: FilterExpr };

/** What the evaluator needs to know about a socket (ss's struct sockstat). */
export interface FilterSubject {
  readonly family: number;
  readonly lport: number;
  readonly rport: number;
  /** Local address bytes (inet: 4 or 16; packet/netlink: protocol as u32 LE). */
  readonly local: Uint8Array | null;
  readonly remote: Uint8Array | null;
  /** Unix: the socket's path (null when unnamed). */
  readonly localName?: string | null;
  readonly remoteName?: string | null;
  readonly iface: number;
  readonly mark: number;
  readonly cgroupId: bigint;
}

/** Comparison operators of port conditions. */
export type PortOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

function portCond(port: number): HostCond {
  return { family: AF_UNSPEC, prefixLen: 0, addr: new Uint8Array(16), port };
}

function portExpr(side: 's' | 'd', op: PortOp, port: number): FilterExpr {
  const eq: FilterExpr = { type: side === 's' ? 'src' : 'dst', conds: [portCond(port)] };
  const ge: FilterExpr = { type: side === 's' ? 'sport-ge' : 'dport-ge', port };
  const le: FilterExpr = { type: side === 's' ? 'sport-le' : 'dport-le', port };
  switch (op) {
    case '=': return eq;
    case '!=': return { type: 'not', expr: eq };
    case '>=': return ge;
    case '<=': return le;
    case '>': return { type: 'not', expr: le };
    case '<': return { type: 'not', expr: ge };
  }
}

/** Parse `a.b.c.d[/len]` or an IPv6 `x::y[/len]` into a host condition; null if malformed. */
export function parsePrefix(text: string, port = -1): HostCond | null {
  const slash = text.indexOf('/');
  const addrText = slash >= 0 ? text.slice(0, slash) : text;
  const addr = new Uint8Array(16);
  let family: number;
  let bits: number;
  if (addrText === 'default' || addrText === 'any' || addrText === 'all') {
    return slash >= 0 ? null : { family: AF_UNSPEC, prefixLen: 0, addr, port };
  }
  if (addrText.includes(':')) {
    const b = parseIPv6(addrText);
    if (!b) return null;
    addr.set(b);
    family = AF_INET6; bits = 128;
  } else {
    const b = parseIPv4Loose(addrText);
    if (!b) return null;
    addr.set(b);
    family = AF_INET; bits = 32;
  }
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d+$/.test(p)) return null;
    const n = Number(p);
    if (n > bits) return null;
    bits = n;
  }
  return { family, prefixLen: bits, addr, port };
}

/** iproute2's get_addr_ipv4: 1-4 dot-separated numbers (strtoul base 0), missing bytes zero. */
export function parseIPv4Loose(s: string): Uint8Array | null {
  const out = new Uint8Array(4);
  const parts = s.split('.');
  if (parts.length > 4 || s.length === 0) return null;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    let n: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(p)) n = parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) n = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) n = parseInt(p, 10);
    else return null;
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

/** inet_pton(AF_INET6). */
export function parseIPv6(s: string): Uint8Array | null {
  let text = s;
  const out = new Uint8Array(16);
  let tail: number[] = [];
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const parts = v4[2]!.split('.').map(Number);
    if (parts.some((x) => x > 255) || v4[2]!.split('.').some((x) => x.length > 1 && x.startsWith('0'))) return null;
    tail = [(parts[0]! << 8) | parts[1]!, (parts[2]! << 8) | parts[3]!];
    text = v4[1]!.endsWith('::') ? v4[1]! : v4[1]!.slice(0, -1);
  }
  const dbl = text.indexOf('::');
  if (dbl !== text.lastIndexOf('::')) return null;
  const parseGroups = (t: string): number[] | null => {
    if (t === '') return [];
    const g = t.split(':');
    const r: number[] = [];
    for (const x of g) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(x)) return null;
      r.push(parseInt(x, 16));
    }
    return r;
  };
  let words: number[];
  if (dbl >= 0) {
    const head = parseGroups(text.slice(0, dbl));
    const rest = parseGroups(text.slice(dbl + 2));
    if (!head || !rest) return null;
    const fill = 8 - head.length - rest.length - tail.length;
    if (fill < 1) return null;
    words = [...head, ...new Array<number>(fill).fill(0), ...rest, ...tail];
  } else {
    const all = parseGroups(text);
    if (!all) return null;
    words = [...all, ...tail];
    if (words.length !== 8) return null;
  }
  for (let i = 0; i < 8; i++) { out[2 * i] = words[i]! >> 8; out[2 * i + 1] = words[i]! & 0xff; }
  return out;
}

/**
 * Expression builders.
 *
 * ```ts
 * F.or(F.dport('=', 22), F.sport('>=', 1024))
 * ```
 */
export const F = {
  /** Source (local) address prefix, optionally with a port: `F.src('10.0.0.0/8', 80)`. */
  src(prefix: string, port = -1): FilterExpr {
    const c = parsePrefix(prefix, port);
    if (!c) throw new TypeError(`invalid address prefix "${prefix}"`);
    return { type: 'src', conds: [c] };
  },
  /** Destination (peer) address prefix, optionally with a port. */
  dst(prefix: string, port = -1): FilterExpr {
    const c = parsePrefix(prefix, port);
    if (!c) throw new TypeError(`invalid address prefix "${prefix}"`);
    return { type: 'dst', conds: [c] };
  },
  /** Local port comparison. */
  sport(op: PortOp, port: number): FilterExpr { return portExpr('s', op, port); },
  /** Peer port comparison. */
  dport(op: PortOp, port: number): FilterExpr { return portExpr('d', op, port); },
  /** Local port in [lo, hi]. */
  sportRange(lo: number, hi: number): FilterExpr { return F.and(portExpr('s', '>=', lo), portExpr('s', '<=', hi)); },
  /** Peer port in [lo, hi]. */
  dportRange(lo: number, hi: number): FilterExpr { return F.and(portExpr('d', '>=', lo), portExpr('d', '<=', hi)); },
  /** Bound to an automatically chosen (ephemeral) port. */
  autobound(): FilterExpr { return { type: 'autobound' }; },
  /** Bound to interface `ifindex`. */
  dev(ifindex: number): FilterExpr { return { type: 'dev', ifindex }; },
  /** `(mark & mask) == mark`. */
  fwmark(mark: number, mask = 0xffffffff): FilterExpr { return { type: 'fwmark', mark: mark >>> 0, mask: mask >>> 0 }; },
  /** Socket's cgroup v2 id. */
  cgroup(id: bigint): FilterExpr { return { type: 'cgroup', id }; },
  /** Unix socket path glob (case-insensitive, as ss). */
  unixPath(pattern: string): FilterExpr {
    return { type: 'src', conds: [{ family: AF_UNIX, prefixLen: pattern.length * 8, addr: new Uint8Array(16), port: -1, pattern }] };
  },
  and(first: FilterExpr, ...rest: FilterExpr[]): FilterExpr {
    return rest.reduce<FilterExpr>((l, r) => ({ type: 'and', left: l, right: r }), first);
  },
  or(first: FilterExpr, ...rest: FilterExpr[]): FilterExpr {
    return rest.reduce<FilterExpr>((l, r) => ({ type: 'or', left: l, right: r }), first);
  },
  not(expr: FilterExpr): FilterExpr { return { type: 'not', expr }; },
} as const;

// ---------------------------------------------------------------- evaluation

/** Prefix comparison over bytes; true when the first `bits` bits are equal (iproute2's inet_addr_match == 0). */
function prefixEqual(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const full = bits >> 3;
  for (let i = 0; i < full; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return false;
  const rem = bits & 7;
  if (rem) {
    const mask = (0xff << (8 - rem)) & 0xff;
    if ((((a[full] ?? 0) ^ (b[full] ?? 0)) & mask) !== 0) return false;
  }
  return true;
}

function isV4Mapped(a: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (a[i] !== 0) return false;
  return a[10] === 0xff && a[11] === 0xff;
}

/** ss's inet2_addr_match (true = match), with its v4-mapped rule. */
function addrMatch(a: Uint8Array | null, aFamily: number, p: HostCond): boolean {
  const addr = a ?? new Uint8Array(0);
  if (prefixEqual(addr, p.addr, p.prefixLen)) return true;
  if (p.family === AF_INET && aFamily === AF_INET6 && addr.length >= 16) {
    let mapped = true;
    for (let i = 0; i < 10; i++) if (addr[i] !== 0) mapped = false;
    if (mapped && addr[10] === 0xff && addr[11] === 0xff) return prefixEqual(addr.subarray(12), p.addr, p.prefixLen);
  }
  return false;
}

const globCache = new Map<string, RegExp>();

/** fnmatch(pattern, s, FNM_CASEFOLD): `*`, `?`, `[...]` (with `!`/`^` negation), backslash escapes. */
export function fnmatch(pattern: string, s: string): boolean {
  let re = globCache.get(pattern);
  if (!re) {
    let src = '^';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === '*') src += '[\\s\\S]*';
      else if (c === '?') src += '[\\s\\S]';
      else if (c === '\\' && i + 1 < pattern.length) src += escapeRe(pattern[++i]!);
      else if (c === '[') {
        const end = pattern.indexOf(']', i + 2);
        if (end < 0) { src += '\\['; continue; }
        let body = pattern.slice(i + 1, end);
        let neg = false;
        if (body.startsWith('!') || body.startsWith('^')) { neg = true; body = body.slice(1); }
        src += `[${neg ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => '\\' + m)}]`;
        i = end;
      } else src += escapeRe(c);
    }
    re = new RegExp(src + '$', 'i');
    globCache.set(pattern, re);
  }
  return re.test(s);
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? '\\' + c : c;
}

/** The ephemeral port range (net.ipv4.ip_local_port_range), for `autobound`. */
export interface PortRange { readonly min: number; readonly max: number }

/** Evaluation context. */
export interface EvalContext {
  /** Ephemeral port range; ss reads /proc/sys/net/ipv4/ip_local_port_range (default 1024-4999 if unreadable). */
  readonly ephemeral: PortRange;
  /**
   * `ss` (default): iproute2's run_ssfilter, which compares address bytes
   * whatever the socket's family. `kernel`: inet_diag_bc_run's rule that an
   * address condition of another family never matches (except IPv4 against
   * a v4-mapped IPv6 address). The two differ only for cross-family
   * prefixes; ss applies both (kernel bytecode, then its own check).
   */
  readonly semantics?: 'ss' | 'kernel';
}

/** Evaluate `e` on `s` with ss's exact semantics (run_ssfilter). */
export function evaluate(e: FilterExpr, s: FilterSubject, ctx: EvalContext): boolean {
  switch (e.type) {
    case 'autobound': {
      if (s.family === AF_UNIX) {
        const p = s.localName;
        return p == null || (p.length === 6 && p[0] === '@' && /^[0-9a-f]{5}$/.test(p.slice(1)));
      }
      if (s.family === AF_PACKET) return s.lport === 0 && !(s.local ?? []).slice(0, 4).some((b) => b !== 0);
      if (s.family === AF_NETLINK) return s.lport < 0;
      if (s.family === AF_VSOCK) return s.lport > 1023;
      return s.lport >= ctx.ephemeral.min && s.lport <= ctx.ephemeral.max;
    }
    case 'src':
    case 'dst': {
      const isSrc = e.type === 'src';
      const first = e.conds[0]!;
      if (first.family === AF_UNIX) {
        if (first.pattern == null) return true;
        return fnmatch(first.pattern, (isSrc ? s.localName : s.remoteName) ?? '');
      }
      const port = isSrc ? s.lport : s.rport;
      if (first.port !== -1 && first.port !== port) return false;
      if (ctx.semantics === 'kernel' && first.family !== AF_UNSPEC) {
        const a = isSrc ? s.local : s.remote;
        for (const c of e.conds) {
          if (c.family === s.family) { if (!c.prefixLen || prefixEqual(a ?? new Uint8Array(0), c.addr, c.prefixLen)) return true; }
          else if (c.family === AF_INET && s.family === AF_INET6 && a && a.length >= 16 && isV4Mapped(a) && prefixEqual(a.subarray(12), c.addr, c.prefixLen)) return true;
        }
        return false;
      }
      if (first.prefixLen) {
        const a = isSrc ? s.local : s.remote;
        for (const c of e.conds) if (addrMatch(a, s.family, c)) return true;
        return false;
      }
      return true;
    }
    case 'dport-ge': return s.rport >= e.port;
    case 'dport-le': return s.rport <= e.port;
    case 'sport-ge': return s.lport >= e.port;
    case 'sport-le': return s.lport <= e.port;
    case 'dev': return s.iface === e.ifindex;
    case 'fwmark': return ((s.mark & e.mask) >>> 0) === e.mark;
    case 'cgroup': return s.cgroupId === e.id;
    case 'and': return evaluate(e.left, s, ctx) && evaluate(e.right, s, ctx);
    case 'or': return evaluate(e.left, s, ctx) || evaluate(e.right, s, ctx);
    case 'not': return !evaluate(e.expr, s, ctx);
  }
}

/** A compact text form of an expression (for messages and debugging). */
export function describeExpr(e: FilterExpr): string {
  switch (e.type) {
    case 'and': case 'or': return `(${describeExpr(e.left)} ${e.type} ${describeExpr(e.right)})`;
    case 'not': return `!${describeExpr(e.expr)}`;
    case 'src': case 'dst': return `${e.type} ${e.conds.map((c) => c.pattern ?? `${c.family}/${c.prefixLen}:${c.port}`).join(',')}`;
    case 'sport-ge': case 'sport-le': case 'dport-ge': case 'dport-le': return `${e.type} ${e.port}`;
    case 'dev': return `dev ${e.ifindex}`;
    case 'fwmark': return `fwmark ${e.mark}/${e.mask}`;
    case 'cgroup': return `cgroup ${e.id}`;
    case 'autobound': return 'autobound';
  }
}
