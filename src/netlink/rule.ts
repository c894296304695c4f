/**
 * Policy routing rules: `nl.rule.list()`, `add`, `del`, `flush`.
 *
 * ```ts
 * await nl.rule.add({ priority: 100, from: '10.0.0.0/8', table: 100 });
 * await nl.rule.add({ priority: 200, fwmark: 1, fwmask: 0xff, action: 'blackhole' });
 * for await (const r of nl.rule.list({ family: AF.INET })) console.log(r.priority, r.src, r.table);
 * ```
 * @module
 */
import { NLM_F, RTM, AF } from './constants.js';
import { fibRuleHdr, type FibRuleHdr } from './structs.js';
import { ruleMessage, FR_ACT, FIB_RULE, type RuleAttrs, type FibRuleUidRange, type FibRulePortRange } from './rtnetlink/rule-schema.js';
import { rtRequest, CREATE_FLAGS } from './rtnetlink/request.js';
import type { NetlinkSocket, DumpOptions, DumpStream, RequestOptions, MessageView, RequestBuilder } from './socket.js';
import { ValidationError } from './errors.js';
import { formatAddress, parseAddress, parsePrefix } from './addr.js';

/** RTN_NAT: the historical route-NAT action value of fib_rule_hdr.action. */
const RTN_NAT = 10;

/** Rule actions by name (fib_rule_hdr.action). */
export const RULE_ACTIONS = {
  lookup: FR_ACT.TO_TBL, goto: FR_ACT.GOTO, nop: FR_ACT.NOP, blackhole: FR_ACT.BLACKHOLE,
  unreachable: FR_ACT.UNREACHABLE, prohibit: FR_ACT.PROHIBIT, nat: RTN_NAT,
} as const;
/** A rule action name. */
export type RuleAction = keyof typeof RULE_ACTIONS;

/** A rule as the kernel reports it. Field names follow `ip -j rule` keys where they exist. */
export interface Rule {
  readonly family: number;
  readonly priority: number;
  /** FIB_RULE_INVERT ("not"). */
  readonly not: boolean;
  readonly src: string | undefined;
  readonly srclen: number;
  readonly dst: string | undefined;
  readonly dstlen: number;
  readonly tos: number;
  readonly fwmark: number | undefined;
  readonly fwmask: number | undefined;
  readonly iif: string | undefined;
  readonly oif: string | undefined;
  readonly l3mdev: boolean;
  readonly uidrange: FibRuleUidRange | undefined;
  readonly ipproto: number | undefined;
  readonly sport: FibRulePortRange | undefined;
  readonly dport: FibRulePortRange | undefined;
  readonly tun_id: bigint | undefined;
  /** Table id (FRA_TABLE when present, else the header's). */
  readonly table: number;
  /** fib_rule_hdr.action (FR_ACT_*). */
  readonly actionType: number;
  /** The action's name, or the number as text for unknown ones. */
  readonly action: string;
  readonly goto: number | undefined;
  /** -1 (unset) is reported as undefined. */
  readonly suppress_prefixlen: number | undefined;
  readonly suppress_ifgroup: number | undefined;
  /** FRA_FLOW: realms (from << 16 | to). */
  readonly flow: number | undefined;
  readonly protocol: number | undefined;
  /** FIB_RULE_* flags. */
  readonly flags: number;
  /** The whole message as decoded. */
  readonly raw: { readonly header: FibRuleHdr; readonly attrs: RuleAttrs };
}

const ACTION_NAMES = new Map<number, string>(Object.entries(RULE_ACTIONS).map(([k, v]) => [v, k]));

/** Decode one RTM_NEWRULE/RTM_DELRULE message. */
export function decodeRule(m: MessageView): Rule {
  const { header, attrs } = ruleMessage.decode(m.buf, m.off, m.len);
  return {
    family: header.family,
    priority: attrs.priority ?? 0,
    not: (header.flags & FIB_RULE.INVERT) !== 0,
    src: attrs.src,
    srclen: header.src_len,
    dst: attrs.dst,
    dstlen: header.dst_len,
    tos: header.tos,
    fwmark: attrs.fwmark,
    fwmask: attrs.fwmask,
    iif: attrs.iifname,
    oif: attrs.oifname,
    l3mdev: (attrs.l3mdev ?? 0) !== 0,
    uidrange: attrs.uid_range,
    ipproto: attrs.ip_proto,
    sport: attrs.sport_range,
    dport: attrs.dport_range,
    tun_id: attrs.tun_id,
    table: attrs.table ?? header.table,
    actionType: header.action,
    action: ACTION_NAMES.get(header.action) ?? String(header.action),
    goto: attrs.goto,
    suppress_prefixlen: attrs.suppress_prefixlen === undefined || attrs.suppress_prefixlen === -1 ? undefined : attrs.suppress_prefixlen,
    suppress_ifgroup: attrs.suppress_ifgroup === undefined || attrs.suppress_ifgroup === -1 ? undefined : attrs.suppress_ifgroup,
    flow: attrs.flow,
    protocol: attrs.protocol,
    flags: header.flags,
    raw: { header, attrs },
  };
}

/** A port or an inclusive port range. */
export type PortRange = number | { readonly start: number; readonly end: number };

/**
 * A rule to add or delete. Attributes are sent in the key order of this
 * object (so building it in `ip rule` argument order reproduces iproute2's bytes).
 */
export interface RuleSpec {
  /** AF_INET (default) or AF_INET6; taken from `from`/`to` when those are given. */
  readonly family?: number;
  readonly not?: boolean;
  /** Source prefix, `ADDR[/LEN]`, or 'all'. */
  readonly from?: string;
  /** Destination prefix. */
  readonly to?: string;
  readonly priority?: number;
  /** TOS / DS field byte. */
  readonly tos?: number;
  readonly fwmark?: number;
  readonly fwmask?: number;
  /** Realms as `from << 16 | to`. */
  readonly realms?: number;
  readonly protocol?: number;
  /** Tunnel id (host order; sent big-endian). */
  readonly tun_id?: bigint;
  /** Routing table id (default main for add). */
  readonly table?: number;
  readonly suppress_prefixlength?: number;
  readonly suppress_ifgroup?: number;
  readonly iif?: string;
  readonly oif?: string;
  readonly l3mdev?: boolean;
  readonly uidrange?: { readonly start: number; readonly end: number };
  /** Route NAT target (deprecated by the kernel; sets action nat). */
  readonly nat?: string;
  readonly ipproto?: number;
  readonly sport?: PortRange;
  readonly dport?: PortRange;
  /** Rule action; `goto` needs {@link RuleSpec.goto}. Default `lookup`. */
  readonly action?: RuleAction | number;
  /** Target priority of a goto rule. */
  readonly goto?: number;
}

/** Filters for {@link RuleApi.list} and {@link RuleApi.flush} (iproute2's `ip rule list SELECTOR`). */
export interface RuleFilter {
  /** Default AF_INET (as `ip rule`); AF_INET6 for IPv6 rules. */
  readonly family?: number;
  readonly priority?: number;
  readonly not?: boolean;
  readonly tos?: number;
  readonly fwmark?: number;
  readonly fwmask?: number;
  readonly iif?: string;
  readonly oif?: string;
  readonly l3mdev?: boolean;
  readonly uidrange?: { readonly start: number; readonly end: number };
  readonly tun_id?: bigint;
  readonly table?: number;
  readonly from?: string;
  readonly to?: string;
  readonly ipproto?: number;
  readonly sport?: PortRange;
  readonly dport?: PortRange;
  /** Only rules with this protocol (flush only in iproute2; applied to list too here). */
  readonly protocol?: number;
}

function portRange(p: PortRange, what: string): FibRulePortRange {
  const r = typeof p === 'number' ? { start: p, end: p } : p;
  if (!Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < 0 || r.end > 0xffff || r.start > r.end && r.end !== 0) {
    throw new ValidationError(`invalid ${what} range`, what);
  }
  return { start: r.start, end: r.end };
}

function u32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new ValidationError(`invalid ${what} ${v}`, what);
  return v;
}

/** Encode a {@link RuleSpec} into a header and attributes, in the spec's key order. */
export function buildRule(spec: RuleSpec, forAdd: boolean): { header: FibRuleHdr; attrs: RuleAttrs } {
  const header: FibRuleHdr = { ...fibRuleHdr.zero, family: spec.family ?? AF.UNSPEC, action: forAdd ? FR_ACT.TO_TBL : FR_ACT.UNSPEC };
  const attrs: RuleAttrs = {};
  let tableSet = false;
  const rec = spec as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(rec)) {
    if (rec[key] === undefined) continue;
    switch (key) {
      case 'family': break;
      case 'not': if (spec.not) header.flags |= FIB_RULE.INVERT; break;
      case 'from':
      case 'to': {
        const text = (key === 'from' ? spec.from : spec.to)!;
        let bytes: Buffer | undefined;
        let len = 0;
        if (text !== 'all' && text !== 'any' && text !== 'default') {
          const p = parsePrefix(text, header.family === AF.INET || header.family === AF.INET6 ? header.family : 0);
          if (!p) throw new ValidationError(`invalid ${key} prefix "${text}"`, key);
          if (header.family === AF.UNSPEC) header.family = p.family;
          bytes = p.bytes;
          len = p.len;
        }
        if (key === 'from') { header.src_len = len; if (bytes) attrs.src = formatBytes(bytes); }
        else { header.dst_len = len; if (bytes) attrs.dst = formatBytes(bytes); }
        break;
      }
      case 'priority': attrs.priority = u32(spec.priority!, 'priority'); break;
      case 'tos':
        if (!Number.isInteger(spec.tos) || spec.tos! < 0 || spec.tos! > 255) throw new ValidationError(`invalid tos ${spec.tos}`, 'tos');
        header.tos = spec.tos!;
        break;
      case 'fwmark': attrs.fwmark = u32(spec.fwmark!, 'fwmark'); break;
      case 'fwmask': attrs.fwmask = u32(spec.fwmask!, 'fwmask'); break;
      case 'realms': attrs.flow = u32(spec.realms!, 'realms'); break;
      case 'protocol': attrs.protocol = spec.protocol! & 0xff; break;
      case 'tun_id': attrs.tun_id = spec.tun_id!; break;
      case 'table': {
        const t = u32(spec.table!, 'table');
        if (t < 256) header.table = t;
        else { header.table = 0; attrs.table = t; }
        tableSet = true;
        break;
      }
      case 'suppress_prefixlength':
        if (!Number.isInteger(spec.suppress_prefixlength) || spec.suppress_prefixlength! < 0) {
          throw new ValidationError('invalid suppress_prefixlength', key);
        }
        attrs.suppress_prefixlen = spec.suppress_prefixlength!;
        break;
      case 'suppress_ifgroup': attrs.suppress_ifgroup = spec.suppress_ifgroup!; break;
      case 'iif': attrs.iifname = checkIfname(spec.iif!, 'iif'); break;
      case 'oif': attrs.oifname = checkIfname(spec.oif!, 'oif'); break;
      case 'l3mdev': if (spec.l3mdev) { attrs.l3mdev = 1; tableSet = true; } break;
      case 'uidrange': attrs.uid_range = { start: u32(spec.uidrange!.start, 'uidrange'), end: u32(spec.uidrange!.end, 'uidrange') }; break;
      case 'nat': {
        const a = parseAddress(spec.nat!);
        if (!a || a.length !== 4) throw new ValidationError(`invalid nat address "${spec.nat}"`, 'nat');
        attrs.gateway = spec.nat!;
        header.action = RTN_NAT;
        break;
      }
      case 'ipproto':
        if (!Number.isInteger(spec.ipproto) || spec.ipproto! < 0 || spec.ipproto! > 255) throw new ValidationError('invalid ipproto', key);
        attrs.ip_proto = spec.ipproto!;
        break;
      case 'sport': attrs.sport_range = portRange(spec.sport!, 'sport'); break;
      case 'dport': attrs.dport_range = portRange(spec.dport!, 'dport'); break;
      case 'goto': attrs.goto = u32(spec.goto!, 'goto'); header.action = FR_ACT.GOTO; tableSet = true; break;
      case 'action': {
        const a = spec.action!;
        const v = typeof a === 'number' ? a : RULE_ACTIONS[a];
        if (v === undefined || !Number.isInteger(v) || v < 0 || v > 255) throw new ValidationError(`invalid rule action "${String(a)}"`, 'action');
        header.action = v;
        if (v !== FR_ACT.TO_TBL) tableSet = true;
        break;
      }
      default: throw new ValidationError(`unknown rule field "${key}"`, key);
    }
  }
  if (spec.l3mdev && spec.table) throw new ValidationError('table can not be specified for l3mdev rules', 'table');
  if (header.family === AF.UNSPEC) header.family = AF.INET;
  if (!tableSet && forAdd) header.table = 254;
  return { header, attrs };
}

function formatBytes(b: Buffer): string {
  return formatAddress(b);
}

function checkIfname(name: string, what: string): string {
  if (!name || name.length >= 16 || /[\s/]/.test(name) || name === '.' || name === '..') {
    throw new ValidationError(`"${name}" is not a valid ifname`, what);
  }
  return name;
}

/** A predicate implementing iproute2's rule list filter (filter_nlmsg). */
export function ruleMatcher(f: RuleFilter): (r: Rule) => boolean {
  const family = f.family ?? AF.INET;
  const src = f.from !== undefined ? filterPrefix(f.from, family) : undefined;
  const dst = f.to !== undefined ? filterPrefix(f.to, family) : undefined;
  const sport = f.sport !== undefined ? portRange(f.sport, 'sport') : undefined;
  const dport = f.dport !== undefined ? portRange(f.dport, 'dport') : undefined;
  return (r) => {
    if (family !== AF.UNSPEC && r.family !== family) return false;
    if (f.priority !== undefined && f.priority !== r.priority) return false;
    if (f.not && !r.not) return false;
    if (src && !prefixMatches(src, r.family, r.src, r.srclen)) return false;
    if (dst && !prefixMatches(dst, r.family, r.dst, r.dstlen)) return false;
    if (f.tos !== undefined && f.tos !== r.tos) return false;
    if (f.fwmark && f.fwmark !== (r.fwmark ?? 0)) return false;
    if (f.fwmask && f.fwmask !== (r.fwmask ?? 0)) return false;
    if (f.iif !== undefined && f.iif !== r.iif) return false;
    if (f.oif !== undefined && f.oif !== r.oif) return false;
    if (f.l3mdev && !r.l3mdev) return false;
    if (f.uidrange && (!r.uidrange || r.uidrange.start !== f.uidrange.start || r.uidrange.end !== f.uidrange.end)) return false;
    if (f.ipproto && f.ipproto !== (r.ipproto ?? 0)) return false;
    if (sport && sport.start && (!r.sport || r.sport.start !== sport.start || r.sport.end !== sport.end)) return false;
    if (dport && dport.start && (!r.dport || r.dport.start !== dport.start || r.dport.end !== dport.end)) return false;
    if (f.tun_id && r.tun_id !== f.tun_id) return false;
    if (f.table && f.table !== r.table) return false;
    if (f.protocol !== undefined && f.protocol !== (r.protocol ?? 0)) return false;
    return true;
  };
}

interface FilterPrefix { readonly family: number; readonly bytes: Buffer | undefined; readonly len: number }

function filterPrefix(text: string, family: number): FilterPrefix {
  if (text === 'all' || text === 'any' || text === 'default') return { family, bytes: undefined, len: 0 };
  const p = parsePrefix(text, family === AF.INET || family === AF.INET6 ? family : 0);
  if (!p) throw new ValidationError(`invalid prefix "${text}"`, 'prefix');
  return { family: p.family, bytes: p.bytes, len: p.len };
}

/** inet_addr_match_rta() plus the family/length checks of filter_nlmsg. */
function prefixMatches(f: FilterPrefix, family: number, addr: string | undefined, len: number): boolean {
  if (f.family !== family || f.len > len) return false;
  if (!f.len) return true;
  if (addr === undefined) return false;
  const a = parseAddress(addr);
  if (!a || !f.bytes || a.length !== f.bytes.length) return false;
  const whole = f.len >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== f.bytes[i]) return false;
  const rest = f.len & 7;
  return !rest || ((a[whole]! ^ f.bytes[whole]!) & ((0xff << (8 - rest)) & 0xff)) === 0;
}

/** The RTM_GETRULE dump request for one family (the bytes `ip rule list` sends). */
export function ruleDumpRequest(family: number): RequestBuilder {
  return rtRequest(ruleMessage, RTM.GETRULE, NLM_F.DUMP, { ...fibRuleHdr.zero, family }, {});
}

/** Rule operations on one namespace's rtnetlink socket. */
export class RuleApi {
  constructor(private readonly sock: NetlinkSocket) {}

  /**
   * Stream the rules of one family (default AF_INET, as `ip rule`), filtered in user space.
   * ```ts
   * const v6 = await nl.rule.list({ family: AF.INET6 }).toArray();
   * ```
   */
  list(filter: RuleFilter = {}, opts: DumpOptions = {}): DumpStream<Rule> {
    const keep = ruleMatcher(filter);
    return this.sock.dump(ruleDumpRequest(filter.family ?? AF.INET), (m) => {
      if (m.type !== RTM.NEWRULE) return undefined;
      const r = decodeRule(m);
      return keep(r) ? r : undefined;
    }, 'list rules', opts);
  }

  /** Add a rule (action `lookup` in table main unless told otherwise). */
  async add(spec: RuleSpec, opts: RequestOptions = {}): Promise<void> {
    const { header, attrs } = buildRule(spec, true);
    await this.sock.request(rtRequest(ruleMessage, RTM.NEWRULE, CREATE_FLAGS, header, attrs), 'add rule', opts);
  }

  /** Delete the first rule matching `spec` (the kernel matches on the given fields only). */
  async del(spec: RuleSpec, opts: RequestOptions = {}): Promise<void> {
    const { header, attrs } = buildRule(spec, false);
    await this.sock.request(rtRequest(ruleMessage, RTM.DELRULE, NLM_F.ACK, header, attrs), 'delete rule', opts);
  }

  /**
   * Delete every rule matching `filter` that has a priority (the kernel's
   * default rules at priority 0 are kept, as with `ip rule flush`). Returns how many.
   */
  async flush(filter: RuleFilter = {}, opts: DumpOptions = {}): Promise<number> {
    const victims = await this.list(filter, opts).toArray();
    let n = 0;
    for (const r of victims) {
      if (r.raw.attrs.priority === undefined) continue;
      await this.sock.request(rtRequest(ruleMessage, RTM.DELRULE, NLM_F.ACK, r.raw.header, r.raw.attrs), `flush rule ${r.priority}`, opts);
      n++;
    }
    return n;
  }
}
