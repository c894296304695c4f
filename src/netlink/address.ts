/**
 * Interface addresses: `nl.address.list()`, `add`, `del`, `replace`,
 * `change`, `flush` — IPv4 and IPv6, with peer, broadcast, anycast, label,
 * scope, lifetimes, flags and metric.
 *
 * Returned objects use the keys of `ip -j address` (`local`, `prefixlen`,
 * `scope`, `label`, `valid_life_time`, `dynamic`, …).
 * @module
 */
import { NLM_F, RTM } from './constants.js';
import { ifaddrmsg, type IfAddrMsg } from './structs.js';
import {
  addressMessage, IFA_F, IFA_FLAG_NAMES, INFINITY_LIFE_TIME, familyName, scopeName, scopeNumber,
  type AddressAttrs,
} from './rtnetlink/address-schema.js';
import { IFF } from './rtnetlink/link-schema.js';
import { rtRequest, CREATE_FLAGS, REPLACE_FLAGS, CHANGE_FLAGS } from './rtnetlink/request.js';
import { DumpStream, type NetlinkSocket, type DumpOptions, type RequestOptions, type MessageView, type RequestBuilder, type DumpDecoder } from './socket.js';
import { parsePrefix, parseAddress, formatAddress } from './addr.js';
import { ValidationError, NetlinkError } from './errors.js';
import type { LinkApi, LinkRef } from './link.js';

/** Names of the address flags as `ip` prints them (and as the JSON keys). */
export type AddressFlagName =
  | 'secondary' | 'temporary' | 'nodad' | 'optimistic' | 'dadfailed' | 'home' | 'deprecated'
  | 'tentative' | 'permanent' | 'mngtmpaddr' | 'noprefixroute' | 'autojoin' | 'stable-privacy';

/** Flags user space may set on an address (the others are kernel state). */
export type SettableAddressFlag = 'nodad' | 'optimistic' | 'home' | 'mngtmpaddr' | 'noprefixroute' | 'autojoin';

/** The flags as `ip -j address` shows them: a `true` key per flag that is set (`dynamic` when not permanent). */
export type AddressFlagKeys = { readonly [K in Exclude<AddressFlagName, 'permanent'> | 'dynamic']?: true };

/**
 * An interface address as the kernel reports it. Keys follow `ip -j address`,
 * flags included (`{ …, "nodad": true, "dynamic": true }`).
 */
export interface Address extends AddressFlagKeys {
  /** 'inet', 'inet6', … (family_name()). */
  readonly family: string;
  /** Interface index (`ip -j -o` key `index`). */
  readonly index: number;
  /** The local address (IFA_LOCAL, or IFA_ADDRESS when there is no IFA_LOCAL). */
  readonly local: string | undefined;
  /** The peer (IFA_ADDRESS), present only when it differs from `local`, as `ip -j` does. */
  readonly address?: string;
  readonly prefixlen: number;
  /** Prefix route metric (IFA_RT_PRIORITY). */
  readonly metric?: number;
  readonly broadcast?: string;
  readonly anycast?: string;
  /** 'global', 'link', 'host', … or the number as text. */
  readonly scope: string;
  /** IFA_LABEL (IPv4 only). */
  readonly label?: string;
  /** Seconds; 4294967295 is forever. Absent when the kernel sent no cacheinfo. */
  readonly valid_life_time?: number;
  readonly preferred_life_time?: number;
  /** IFA_F_* bits (the 32-bit IFA_FLAGS when present, else ifa_flags). */
  readonly flags: number;
  /** Flag names set on this address, in iproute2's order (`dynamic` stands for "not permanent"). */
  readonly flagNames: readonly string[];
  /** IFA_PROTO (IFAPROT_*), on kernels that report it. */
  readonly protocol?: number;
  /** The whole message as decoded. */
  readonly raw: { readonly header: IfAddrMsg; readonly attrs: AddressAttrs };
}

/** Names of the flags set in `flags` for an address of `family`, as `ip address` prints them. */
export function addressFlagNames(family: number, flags: number): string[] {
  const out: string[] = [];
  let rest = flags >>> 0;
  for (const f of IFA_FLAG_NAMES) {
    if (f.mask === IFA_F.PERMANENT) {
      if (!(rest & f.mask)) out.push('dynamic');
    } else if (rest & f.mask) {
      out.push(f.mask === IFA_F.SECONDARY && family === 10 ? 'temporary' : f.name);
    }
    rest &= ~f.mask;
  }
  return out;
}

/** Decode one RTM_NEWADDR/RTM_DELADDR message into an {@link Address}. */
export function decodeAddress(m: MessageView): Address {
  const { header, attrs } = addressMessage.decode(m.buf, m.off, m.len);
  const flags = attrs.flags ?? header.flags;
  const local = attrs.local ?? attrs.address;
  const peer = attrs.address ?? attrs.local;
  const a: { -readonly [K in keyof Address]: Address[K] } = {
    family: familyName(header.family),
    index: header.index,
    local,
    prefixlen: header.prefixlen,
    scope: scopeName(header.scope),
    flags,
    flagNames: addressFlagNames(header.family, flags),
    raw: { header, attrs },
  };
  if (peer !== undefined && peer !== local) a.address = peer;
  const keys = a as Record<string, unknown>;
  for (const f of a.flagNames) keys[f] = true;
  if (attrs.rt_priority !== undefined) a.metric = attrs.rt_priority;
  if (attrs.broadcast !== undefined) a.broadcast = attrs.broadcast;
  if (attrs.anycast !== undefined) a.anycast = attrs.anycast;
  if (attrs.label !== undefined) a.label = attrs.label;
  if (attrs.cacheinfo) {
    a.valid_life_time = attrs.cacheinfo.ifa_valid;
    a.preferred_life_time = attrs.cacheinfo.ifa_prefered;
  }
  if (attrs.proto !== undefined) a.protocol = attrs.proto;
  return a;
}

/**
 * A flag filter as `ip address show` takes them: a flag name to require it,
 * `-name` to exclude it; `dynamic` means not permanent, `primary` not secondary.
 */
export type AddressFlagFilter = AddressFlagName | 'dynamic' | 'primary' | `-${AddressFlagName | 'dynamic' | 'primary'}`;

/** Filters for {@link AddressApi.list} and {@link AddressApi.flush}. */
export interface AddressFilter {
  /** Only addresses on this link (filtered by the kernel). */
  readonly dev?: LinkRef;
  /** 'inet' / 'inet6' or AF_INET / AF_INET6 (filtered by the kernel). */
  readonly family?: 'inet' | 'inet6' | 2 | 10;
  /** Only this scope (name or number). */
  readonly scope?: string | number;
  /** Only labels matching this shell pattern (fnmatch); addresses without a label match by link name. */
  readonly label?: string;
  /** Only addresses on links that are up. */
  readonly up?: boolean;
  /** Flag conditions, all of which must hold. */
  readonly flags?: readonly AddressFlagFilter[];
  /** Only local addresses inside this prefix (`10.0.0.0/8`). */
  readonly to?: string;
}

/** What add/replace/change/del take. Attributes are encoded in this object's key order. */
export interface AddressSpec {
  /** The link (name or index). */
  readonly dev: LinkRef;
  /** `ADDR[/PLEN]`: the local address. */
  readonly local?: string;
  /** `ADDR[/PLEN]`: the peer of a point-to-point address (its length is the prefix length). */
  readonly peer?: string;
  /** IPv4 broadcast; `+` sets the host bits of the prefix, `-` clears them. */
  readonly broadcast?: string;
  readonly anycast?: string;
  /** IPv4 label (`eth0:1`); must start with the link name. */
  readonly label?: string;
  /** 'host', 'link', 'global', … or a number; default: host for 127/8, else global. */
  readonly scope?: string | number;
  /** Prefix route metric. */
  readonly metric?: number;
  /** Seconds, or 'forever'. */
  readonly valid_lft?: number | 'forever';
  readonly preferred_lft?: number | 'forever';
  readonly flags?: readonly SettableAddressFlag[];
}

const FAMILY = { inet: 2, inet6: 10 } as const;

/** Parse `ADDR[/PLEN]` or fail with a {@link ValidationError} naming `field`. */
function prefixOf(s: string, family: number, field: string): { family: 2 | 10; bytes: Buffer; len: number; explicitLen: boolean } {
  const p = parsePrefix(s, family === 2 || family === 10 ? family : 0);
  if (!p) throw new ValidationError(`${field}: "${s}" is not an ${family === 10 ? 'inet6' : family === 2 ? 'inet' : 'IP'} prefix`, field);
  return p;
}

/** The request built for an address change: header and attributes in wire order. */
export interface AddressRequest {
  readonly header: IfAddrMsg;
  readonly attrs: AddressAttrs;
  /** For `del` of an IPv4 address without a prefix length: the kernel deletes the first match (iproute2's wildcard deletion). */
  readonly wildcard: boolean;
}

/**
 * Build the RTM_NEWADDR/RTM_DELADDR body for `spec` exactly as iproute2's
 * ipaddr_modify() does (same attribute order for the same key order), with the
 * link already resolved to `index`. Throws {@link ValidationError} on bad input.
 */
export function buildAddressRequest(spec: AddressSpec, index: number, del: boolean): AddressRequest {
  const attrs: Record<string, unknown> = {};
  const header: { -readonly [K in keyof IfAddrMsg]: IfAddrMsg[K] } = { family: 0, prefixlen: 0, flags: 0, scope: 0, index };
  let local: ReturnType<typeof prefixOf> | undefined;
  let peer: ReturnType<typeof prefixOf> | undefined;
  let brd: '+' | '-' | undefined;
  let scoped = false;
  let flags = 0;
  let valid = INFINITY_LIFE_TIME;
  let preferred = INFINITY_LIFE_TIME;
  let lifetimes = false;
  const lifetime = (v: number | 'forever', field: string): number => {
    if (v === 'forever') return INFINITY_LIFE_TIME;
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new ValidationError(`${field}: invalid lifetime ${v}`, field);
    return v;
  };
  for (const key of Object.keys(spec) as Array<keyof AddressSpec>) {
    const v = spec[key];
    if (v === undefined) continue;
    switch (key) {
      case 'dev': break;
      case 'peer': {
        peer = prefixOf(spec.peer!, header.family, 'peer');
        header.family ||= peer.family;
        attrs.address = formatAddress(peer.bytes);
        header.prefixlen = peer.len;
        break;
      }
      case 'broadcast': {
        const b = spec.broadcast!;
        if (b === '+' || b === '-') { brd = b; break; }
        const bytes = parseAddress(b);
        if (!bytes || (header.family && bytes.length !== (header.family === 2 ? 4 : 16))) throw new ValidationError(`broadcast: "${b}" is not an address`, 'broadcast');
        header.family ||= bytes.length === 4 ? 2 : 10;
        attrs.broadcast = formatAddress(bytes);
        break;
      }
      case 'anycast': {
        const bytes = parseAddress(spec.anycast!);
        if (!bytes || (header.family && bytes.length !== (header.family === 2 ? 4 : 16))) throw new ValidationError(`anycast: "${spec.anycast}" is not an address`, 'anycast');
        header.family ||= bytes.length === 4 ? 2 : 10;
        attrs.anycast = formatAddress(bytes);
        break;
      }
      case 'scope': {
        const s = typeof spec.scope === 'number' ? spec.scope : scopeNumber(spec.scope!);
        if (s === undefined || !Number.isInteger(s) || s < 0 || s > 255) throw new ValidationError(`invalid scope "${spec.scope}"`, 'scope');
        header.scope = s;
        scoped = true;
        break;
      }
      case 'label':
        attrs.label = spec.label;
        break;
      case 'metric':
        if (!Number.isInteger(spec.metric) || spec.metric! < 0 || spec.metric! > 0xffffffff) throw new ValidationError(`invalid metric ${spec.metric}`, 'metric');
        attrs.rt_priority = spec.metric;
        break;
      case 'valid_lft':
        valid = lifetime(spec.valid_lft!, 'valid_lft');
        lifetimes = true;
        break;
      case 'preferred_lft':
        preferred = lifetime(spec.preferred_lft!, 'preferred_lft');
        lifetimes = true;
        break;
      case 'flags':
        for (const name of spec.flags!) {
          const f = IFA_FLAG_NAMES.find((x) => x.name === name);
          if (!f || f.readonly) throw new ValidationError(`address flag "${name}" cannot be set`, 'flags');
          if (f.v6only && header.family !== 10) throw new ValidationError(`${name} can be set only for IPv6 addresses`, 'flags');
          flags |= f.mask;
        }
        break;
      case 'local': {
        local = prefixOf(spec.local!, header.family, 'local');
        header.family ||= local.family;
        attrs.local = formatAddress(local.bytes);
        break;
      }
      default:
        throw new ValidationError(`unknown address option "${String(key)}"`, String(key));
    }
  }
  if (flags <= 0xff) header.flags = flags; else attrs.flags = flags;
  let wildcard = false;
  if (!peer && local) {
    if (del && local.family === 2 && !local.explicitLen) wildcard = true;
    else { peer = local; attrs.address = attrs.local; }
  }
  if (header.prefixlen === 0) header.prefixlen = local ? local.len : 0;
  if (brd && !del) {
    if (header.family !== 2) throw new ValidationError('Broadcast can be set only for IPv4 addresses', 'broadcast');
    const base = peer ?? local;
    if (base && base.len <= 30) {
      const b = Buffer.from(base.bytes);
      let w = b.readUInt32BE(0);
      const host = base.len === 0 ? 0xffffffff : (2 ** (32 - base.len)) - 1;
      w = brd === '+' ? (w | host) >>> 0 : (w & ~host) >>> 0;
      b.writeUInt32BE(w, 0);
      attrs.broadcast = formatAddress(b);
    }
  }
  if (!scoped && !del) header.scope = local && local.family === 2 && local.bytes[0] === 127 ? 254 : 0;
  if (lifetimes) {
    if (!valid) throw new ValidationError('valid_lft is zero', 'valid_lft');
    if (valid < preferred) throw new ValidationError('preferred_lft is greater than valid_lft', 'preferred_lft');
    attrs.cacheinfo = { ifa_prefered: preferred, ifa_valid: valid, cstamp: 0, tstamp: 0 };
  }
  if (flags & IFA_F.MCAUTOJOIN) {
    const b = local?.bytes;
    const mc = b && (b.length === 4 ? (b[0]! & 0xf0) === 0xe0 : b[0] === 0xff);
    if (!mc) throw new ValidationError('autojoin needs multicast address', 'flags');
  }
  return { header, attrs: attrs as AddressAttrs, wildcard };
}

const FLAG_FILTERS: Readonly<Record<string, number>> = Object.fromEntries(IFA_FLAG_NAMES.map((f) => [f.name, f.mask]));

/** Turn flag filters into iproute2's (flags, flagmask) pair; throws on an unknown name. */
export function flagFilterMask(filters: readonly string[]): { flags: number; mask: number } {
  let flags = 0;
  let mask = 0;
  for (const f of filters) {
    let inv = f.startsWith('-');
    let name = inv ? f.slice(1) : f;
    if (name === 'dynamic') { inv = !inv; name = 'permanent'; } else if (name === 'primary') { inv = !inv; name = 'secondary'; }
    const m = FLAG_FILTERS[name];
    if (m === undefined) throw new ValidationError(`unknown address flag "${f}"`, 'flags');
    if (inv) flags &= ~m; else flags |= m;
    mask |= m;
  }
  return { flags, mask };
}

/** fnmatch(pattern, s, 0): `*`, `?`, `[...]` (with `!`/`^`), backslash escapes. */
export function fnmatch(pattern: string, s: string): boolean {
  let re = fnmatchCache.get(pattern);
  if (!re) {
    re = fnmatchRegExp(pattern);
    fnmatchCache.set(pattern, re);
  }
  return re.test(s);
}

const fnmatchCache = new Map<string, RegExp>();

function fnmatchRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) { re += '\\['; continue; }
      let body = pattern.slice(i + 1, close);
      if (body[0] === '!' || body[0] === '^') body = '^' + body.slice(1);
      re += '[' + body.replace(/\\/g, '\\\\') + ']';
      i = close;
    } else re += escapeRe(c);
  }
  return new RegExp(re + '$');
}
function escapeRe(c: string): string { return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'); }

/** Does `a` lie inside prefix `p` (inet_addr_match)? */
function inPrefix(a: string | undefined, p: { bytes: Buffer; len: number }): boolean {
  if (a === undefined) return true;
  const b = parseAddress(a);
  if (!b || b.length !== p.bytes.length) return false;
  let bits = p.len;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((b[i]! ^ p.bytes[i]!) & mask) return false;
  }
  return true;
}

/** The address dump: resolves link names (for `dev`, `up`, `label`) before it starts. */
class AddressDumpStream extends DumpStream<Address> {
  constructor(
    sock: NetlinkSocket, build: RequestBuilder, decode: DumpDecoder<Address>, opts: DumpOptions,
    private readonly prepare: () => Promise<void>,
  ) {
    super(sock, build, decode, 'list addresses', opts);
  }
  override async *batches(): AsyncGenerator<Address[], void, undefined> {
    await this.prepare();
    yield* super.batches();
  }
}

/** Address operations on one namespace's rtnetlink socket. */
export class AddressApi {
  constructor(private readonly sock: NetlinkSocket, private readonly links: LinkApi) {}

  private async index(ref: LinkRef, opts: RequestOptions): Promise<number> {
    if (typeof ref === 'number') return ref;
    return (await this.links.get(ref, opts)).ifindex;
  }

  /**
   * Stream the addresses that match `filter`.
   * ```ts
   * for await (const a of nl.address.list({ dev: 'eth0', family: 'inet' })) {
   *   console.log(`${a.local}/${a.prefixlen} scope ${a.scope}`);
   * }
   * ```
   */
  list(filter: AddressFilter = {}, opts: DumpOptions = {}): DumpStream<Address> {
    const family = typeof filter.family === 'string' ? FAMILY[filter.family] : filter.family ?? 0;
    if (family !== 0 && family !== 2 && family !== 10) throw new ValidationError(`invalid family ${String(filter.family)}`, 'family');
    const { flags, mask } = flagFilterMask(filter.flags ?? []);
    let scope: number | undefined;
    if (filter.scope !== undefined) {
      scope = typeof filter.scope === 'number' ? filter.scope : scopeNumber(filter.scope);
      if (scope === undefined) throw new ValidationError(`invalid scope "${String(filter.scope)}"`, 'scope');
    }
    const to = filter.to !== undefined ? prefixOf(filter.to, family, 'to') : undefined;
    const state = { index: typeof filter.dev === 'number' ? filter.dev : 0, names: new Map<number, string>(), upSet: new Set<number>() };
    const needLinks = filter.up || filter.label !== undefined;
    const prepare = async (): Promise<void> => {
      if (typeof filter.dev === 'string') state.index = await this.index(filter.dev, opts);
      if (needLinks) {
        for await (const l of this.links.list({ skipStats: true }, opts)) {
          state.names.set(l.ifindex, l.ifname);
          if (l.flags & IFF.UP) state.upSet.add(l.ifindex);
        }
      }
    };
    const build: RequestBuilder = (w, seq) =>
      rtRequest(addressMessage, RTM.GETADDR, NLM_F.DUMP, { ...ifaddrmsg.zero, family: to ? to.family : family, index: state.index }, {})(w, seq);
    const decode: DumpDecoder<Address> = (m) => {
      if (m.type !== RTM.NEWADDR) return undefined;
      const a = decodeAddress(m);
      const h = a.raw.header;
      if (state.index && h.index !== state.index) return undefined;
      if (family && h.family !== family) return undefined;
      if (scope !== undefined && h.scope !== scope) return undefined;
      if ((flags ^ a.flags) & mask) return undefined;
      if (filter.up && !state.upSet.has(h.index)) return undefined;
      if (filter.label !== undefined && !fnmatch(filter.label, a.label ?? state.names.get(h.index) ?? '')) return undefined;
      if (to && !inPrefix(a.local, to)) return undefined;
      return a;
    };
    return new AddressDumpStream(this.sock, build, decode, opts, prepare);
  }

  private async modify(type: number, flags: number, spec: AddressSpec, verb: string, opts: RequestOptions): Promise<void> {
    // Validate everything that needs no kernel state before the link lookup.
    buildAddressRequest(spec, 0, type === RTM.DELADDR);
    const index = await this.index(spec.dev, opts);
    const req = buildAddressRequest(spec, index, type === RTM.DELADDR);
    const what = spec.local ?? spec.peer ?? '';
    await this.sock.request(rtRequest(addressMessage, type, flags, req.header, req.attrs), `${verb} address ${what} dev ${spec.dev}`, opts);
  }

  /**
   * Add an address (fails with EEXIST if it exists).
   * ```ts
   * await nl.address.add({ dev: 'eth0', local: '192.0.2.1/24', broadcast: '+', label: 'eth0:web' });
   * await nl.address.add({ dev: 'eth0', local: '2001:db8::1/64', flags: ['nodad'], valid_lft: 3600, preferred_lft: 1800 });
   * ```
   */
  add(spec: AddressSpec, opts: RequestOptions = {}): Promise<void> {
    return this.modify(RTM.NEWADDR, CREATE_FLAGS, spec, 'add', opts);
  }

  /** Add the address or update it if it exists. */
  replace(spec: AddressSpec, opts: RequestOptions = {}): Promise<void> {
    return this.modify(RTM.NEWADDR, REPLACE_FLAGS, spec, 'replace', opts);
  }

  /** Change an existing address's attributes (lifetimes, flags, metric…); ENOENT if absent. */
  change(spec: AddressSpec, opts: RequestOptions = {}): Promise<void> {
    return this.modify(RTM.NEWADDR, CHANGE_FLAGS, spec, 'change', opts);
  }

  /** Delete an address. An IPv4 `local` without `/len` deletes the first address that matches it. */
  del(spec: AddressSpec, opts: RequestOptions = {}): Promise<void> {
    return this.modify(RTM.DELADDR, NLM_F.ACK, spec, 'delete', opts);
  }

  /** Delete exactly this dumped address (the message is sent back as RTM_DELADDR, as `ip address flush` does). */
  async delExact(a: Address, opts: RequestOptions = {}): Promise<void> {
    const build = rtRequest(addressMessage, RTM.DELADDR, NLM_F.ACK, a.raw.header, a.raw.attrs);
    await this.sock.request(build, `delete address ${a.local}/${a.prefixlen}`, opts);
  }

  /**
   * Delete every address that matches `filter` (at least one condition is
   * required, as `ip address flush` insists). Runs rounds until nothing matches
   * (deleting a primary IPv4 address may promote a secondary), unless the
   * filter asks for primaries only. Resolves with the count deleted per round.
   */
  async flush(filter: AddressFilter, opts: DumpOptions & { readonly maxRounds?: number } = {}): Promise<number[]> {
    if (Object.values(filter).every((v) => v === undefined)) throw new ValidationError('flush requires a filter', 'filter');
    const { flags, mask } = flagFilterMask(filter.flags ?? []);
    const rounds: number[] = [];
    const maxRounds = opts.maxRounds ?? 10;
    while (rounds.length < maxRounds) {
      const found = await this.list(filter, { ...opts, interrupted: 'partial' }).toArray();
      if (!found.length) return rounds;
      await Promise.all(found.map(async (a) => {
        try {
          await this.delExact(a, opts);
        } catch (e) {
          // Deleting a primary may already have removed its secondaries.
          if (!(e instanceof NetlinkError && e.code === 'EADDRNOTAVAIL')) throw e;
        }
      }));
      rounds.push(found.length);
      if (!(flags & IFA_F.SECONDARY) && (mask & IFA_F.SECONDARY)) return rounds;
    }
    throw new Error(`flush addresses: still incomplete after ${maxRounds} rounds`);
  }
}
