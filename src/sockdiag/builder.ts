/**
 * `SocketFilter`: a builder for what to query — socket tables, families,
 * states and a filter expression — that {@link SockDiag} queries accept
 * piecewise, and that can be built from ss's command-line words.
 *
 * ```ts
 * const f = new SocketFilter().tables('tcp').states('connected').where(F.dport('=', 443));
 * for await (const s of sd.tcp(f.inetOptions())) …
 * ```
 * @module
 */
import { F, type FilterExpr, type PortOp } from './filter.js';
import { parseFilter, parseStateWords, stateMask, type FilterParseContext } from './filter-parser.js';

/** Socket tables (ss -A names). */
export type SocketTable = 'tcp' | 'udp' | 'udplite' | 'raw' | 'dccp' | 'sctp' | 'mptcp' | 'unix_stream' | 'unix_dgram' | 'unix_seqpacket' | 'packet_raw' | 'packet_dgram' | 'netlink';

/** Immutable-style builder (each call returns `this` after mutation, for chaining). */
export class SocketFilter {
  private readonly tableSet = new Set<SocketTable>();
  private familySet: Array<'inet' | 'inet6'> = [];
  private stateBits: number | undefined;
  private expr: FilterExpr | null = null;

  /** Parse ss's words: `state established '( dport = :ssh )'`. */
  static parse(argv: readonly string[], ctx: FilterParseContext = {}): SocketFilter {
    const f = new SocketFilter();
    const st = parseStateWords(argv);
    if (st.saw) f.stateBits = st.states;
    f.expr = parseFilter(st.rest, ctx).expr;
    return f;
  }

  /** Add socket tables. */
  tables(...t: SocketTable[]): this { for (const x of t) this.tableSet.add(x); return this; }
  /** Restrict to address families. */
  families(...f: Array<'inet' | 'inet6'>): this { this.familySet = f; return this; }
  /** Set states by name or group (connected, synchronized, bucket, big, all, established, …). */
  states(...names: string[]): this {
    let m = 0;
    for (const n of names) {
      const v = stateMask(n);
      if (v === null) throw new TypeError(`unknown socket state "${n}"`);
      m |= v;
    }
    this.stateBits = m;
    return this;
  }
  /** Exclude states. */
  exclude(...names: string[]): this {
    let m = this.stateBits ?? (1 << 12) - 1;
    for (const n of names) {
      const v = stateMask(n);
      if (v === null) throw new TypeError(`unknown socket state "${n}"`);
      m &= ~v;
    }
    this.stateBits = m;
    return this;
  }
  /** AND a condition onto the expression. */
  where(e: FilterExpr): this { this.expr = this.expr ? F.and(this.expr, e) : e; return this; }
  /** OR a condition onto the expression. */
  orWhere(e: FilterExpr): this { this.expr = this.expr ? F.or(this.expr, e) : e; return this; }
  sport(op: PortOp, port: number): this { return this.where(F.sport(op, port)); }
  dport(op: PortOp, port: number): this { return this.where(F.dport(op, port)); }
  src(prefix: string, port?: number): this { return this.where(F.src(prefix, port)); }
  dst(prefix: string, port?: number): this { return this.where(F.dst(prefix, port)); }
  dev(ifindex: number): this { return this.where(F.dev(ifindex)); }
  fwmark(mark: number, mask?: number): this { return this.where(F.fwmark(mark, mask)); }
  cgroup(id: bigint): this { return this.where(F.cgroup(id)); }
  uid(uid: number): this { this.uidValue = uid; return this; }
  private uidValue: number | undefined;

  /** The state mask, if set. */
  get stateMask(): number | undefined { return this.stateBits; }
  /** The expression, if any. */
  get expression(): FilterExpr | null { return this.expr; }
  /** The tables chosen. */
  get tableList(): SocketTable[] { return [...this.tableSet]; }
  /** The uid to match (evaluated in user space; sock_diag has no uid condition). */
  get uidFilter(): number | undefined { return this.uidValue; }

  /** Options for SockDiag.inet()/tcp()/udp(). */
  inetOptions(): { states?: number; filter: FilterExpr | null; family?: 'inet' | 'inet6' | 'all'; uid?: number } {
    const o: { states?: number; filter: FilterExpr | null; family?: 'inet' | 'inet6' | 'all'; uid?: number } = { filter: this.expr };
    if (this.stateBits !== undefined) o.states = this.stateBits;
    if (this.uidValue !== undefined) o.uid = this.uidValue;
    if (this.familySet.length === 1) o.family = this.familySet[0]!;
    return o;
  }
}
