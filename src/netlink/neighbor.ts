/**
 * Neighbours (ARP / NDP cache and proxy entries): `nl.neighbor.list()`,
 * `get`, `add`, `replace`, `change`, `del`, `flush`.
 *
 * ```ts
 * await nl.neighbor.add({ dst: '192.0.2.7', dev: 'veth0', lladdr: '02:00:00:00:00:07' });
 * for await (const n of nl.neighbor.list({ dev: 'veth0' })) console.log(n.dst, n.lladdr, n.state);
 * ```
 * @module
 */
import { NLM_F, RTM, AF } from './constants.js';
import { ndmsg, type NdMsg } from './structs.js';
import { neighMessage, NUD, NTF, NTF_EXT, type NeighAttrs, type NdaCacheinfo } from './rtnetlink/neighbor-schema.js';
import { rtRequest, CREATE_FLAGS, REPLACE_FLAGS, CHANGE_FLAGS } from './rtnetlink/request.js';
import { listStream, type ListStream, type NetlinkSocket, type DumpOptions, type DumpStream, type RequestOptions, type MessageView, type RequestBuilder } from './socket.js';
import { ValidationError } from './errors.js';
import { parseAddress, parseLladdr } from './addr.js';
import type { LinkApi, LinkRef } from './link.js';

/** NUD state names in iproute2's print order (ip -j "state" array). */
export const NUD_STATE_NAMES = ['INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'NOARP', 'PERMANENT'] as const;
/** One NUD state name. */
export type NudStateName = (typeof NUD_STATE_NAMES)[number];

/** Lower-case state names accepted by {@link NeighborSpec.state} (as `ip neigh … nud STATE`). */
export type NudState = 'permanent' | 'reachable' | 'noarp' | 'none' | 'stale' | 'incomplete' | 'delay' | 'probe' | 'failed';

const NUD_BY_NAME: Readonly<Record<NudState, number>> = {
  permanent: NUD.PERMANENT, reachable: NUD.REACHABLE, noarp: NUD.NOARP, none: NUD.NONE, stale: NUD.STALE,
  incomplete: NUD.INCOMPLETE, delay: NUD.DELAY, probe: NUD.PROBE, failed: NUD.FAILED,
};

/** The names of the NUD bits set in `state`, in iproute2's order. */
export function nudStateNames(state: number): NudStateName[] {
  const out: NudStateName[] = [];
  for (const name of NUD_STATE_NAMES) if (state & NUD[name]) out.push(name);
  return out;
}

/** A state given by name or as the raw ndm_state number. */
export function nudStateValue(s: NudState | number): number {
  return typeof s === 'number' ? s : NUD_BY_NAME[s];
}

/** A neighbour entry as the kernel reports it. Field names follow `ip -j neigh` keys. */
export interface Neighbor {
  /** AF_INET, AF_INET6 (or AF_BRIDGE for FDB entries). */
  readonly family: number;
  readonly ifindex: number;
  readonly dst: string | undefined;
  readonly lladdr: string | undefined;
  /** ndm_state bits (NUD_*). */
  readonly ndmState: number;
  /** State names (`ip -j`'s "state"); empty for NUD_NONE. */
  readonly state: NudStateName[];
  /** ndm_flags bits (NTF_*). */
  readonly flags: number;
  /** NDA_FLAGS_EXT bits (NTF_EXT_*). */
  readonly extFlags: number;
  readonly router: boolean;
  readonly proxy: boolean;
  readonly extern_learn: boolean;
  readonly offload: boolean;
  readonly managed: boolean;
  /** NDA_PROTOCOL (RTPROT_*), if set. */
  readonly protocol: number | undefined;
  readonly probes: number | undefined;
  /** Ages in USER_HZ clock ticks and the reference count. */
  readonly cacheinfo: NdaCacheinfo | undefined;
  /** The whole message as decoded. */
  readonly raw: { readonly header: NdMsg; readonly attrs: NeighAttrs };
}

/** Decode one RTM_NEWNEIGH/RTM_DELNEIGH message. */
export function decodeNeighbor(m: MessageView): Neighbor {
  const { header, attrs } = neighMessage.decode(m.buf, m.off, m.len);
  const ext = attrs.flags_ext ?? 0;
  return {
    family: header.family,
    ifindex: header.ifindex,
    dst: attrs.dst,
    lladdr: attrs.lladdr,
    ndmState: header.state,
    state: nudStateNames(header.state),
    flags: header.flags,
    extFlags: ext,
    router: (header.flags & NTF.ROUTER) !== 0,
    proxy: (header.flags & NTF.PROXY) !== 0,
    extern_learn: (header.flags & NTF.EXT_LEARNED) !== 0,
    offload: (header.flags & NTF.OFFLOADED) !== 0,
    managed: (ext & NTF_EXT.MANAGED) !== 0,
    protocol: attrs.protocol,
    probes: attrs.probes,
    cacheinfo: attrs.cacheinfo,
    raw: { header, attrs },
  };
}

/** Filters for {@link NeighborApi.list}. */
export interface NeighborFilter {
  /** AF_INET or AF_INET6 (default: both). */
  readonly family?: number;
  /** Only entries on this device (filtered by the kernel). */
  readonly dev?: LinkRef;
  /** Only entries of devices enslaved to this master (kernel filter). */
  readonly master?: LinkRef;
  /** List proxy entries (NTF_PROXY) instead of the cache. */
  readonly proxy?: boolean;
  /**
   * Only entries in one of these states. `'none'` matches NUD_NONE entries.
   * Default: everything.
   */
  readonly states?: ReadonlyArray<NudState | number>;
  /** Only entries with this NDA_PROTOCOL. */
  readonly protocol?: number;
  /** Only entries whose reference count is zero. */
  readonly unused?: boolean;
}

/** What add/replace/change/del take. */
export interface NeighborSpec {
  /** The neighbour's IP address. */
  readonly dst: string;
  readonly dev: LinkRef;
  /** Link-layer address; `null` sends none (as `lladdr null`). */
  readonly lladdr?: string | null;
  /** Default `permanent` (as iproute2), or `none` when `managed`. */
  readonly state?: NudState | number;
  /** A proxy entry (NTF_PROXY). */
  readonly proxy?: boolean;
  readonly router?: boolean;
  /** NTF_USE: kick the state machine as if the entry were used. */
  readonly use?: boolean;
  /** NTF_EXT_MANAGED: the kernel keeps the entry resolved. */
  readonly managed?: boolean;
  readonly extern_learn?: boolean;
  /** NDA_PROTOCOL (RTPROT_* number). */
  readonly protocol?: number;
}

/** Which neighbour entries {@link NeighborApi.flush} removes (defaults: all but permanent/noarp). */
export type NeighborFlushFilter = NeighborFilter & {
  /** Only these destinations (exact address or prefix, e.g. '192.0.2.0/24'). */
  readonly to?: string;
};

/** Neighbour operations on one namespace's rtnetlink socket. */
export class NeighborApi {
  constructor(private readonly sock: NetlinkSocket, private readonly links: LinkApi) {}

  private async index(ref: LinkRef, opts: RequestOptions): Promise<number> {
    if (typeof ref === 'number') return ref;
    return (await this.links.get(ref, opts)).ifindex;
  }

  /** Build (and validate) the header and attributes of a modify request, in iproute2's attribute order. */
  private build(spec: NeighborSpec, ifindex: number): { header: NdMsg; attrs: NeighAttrs } {
    const dst = parseAddress(spec.dst);
    if (!dst) throw new ValidationError(`invalid neighbour address "${spec.dst}"`, 'dst');
    let flags = 0;
    if (spec.proxy) flags |= NTF.PROXY;
    if (spec.router) flags |= NTF.ROUTER;
    if (spec.use) flags |= NTF.USE;
    if (spec.extern_learn) flags |= NTF.EXT_LEARNED;
    const state = spec.state !== undefined ? nudStateValue(spec.state) : spec.managed ? NUD.NONE : NUD.PERMANENT;
    const attrs: NeighAttrs = {};
    if (spec.protocol !== undefined) attrs.protocol = spec.protocol;
    attrs.dst = spec.dst;
    if (spec.managed) attrs.flags_ext = NTF_EXT.MANAGED;
    if (spec.lladdr !== undefined && spec.lladdr !== null) {
      if (!parseLladdr(spec.lladdr)) throw new ValidationError(`invalid link-layer address "${spec.lladdr}"`, 'lladdr');
      attrs.lladdr = spec.lladdr;
    }
    const header: NdMsg = { family: dst.length === 4 ? AF.INET : AF.INET6, ifindex, state, flags, type: 0 };
    return { header, attrs };
  }

  private async modify(type: number, flags: number, verb: string, spec: NeighborSpec, opts: RequestOptions): Promise<void> {
    this.build(spec, 0); // validate before any request (the ifindex lookup included)
    const { header, attrs } = this.build(spec, await this.index(spec.dev, opts));
    await this.sock.request(rtRequest(neighMessage, type, flags, header, attrs), `${verb} neighbor ${spec.dst} dev ${spec.dev}`, opts);
  }

  /** Add an entry (fails if it exists). */
  add(spec: NeighborSpec, opts: RequestOptions = {}): Promise<void> {
    return this.modify(RTM.NEWNEIGH, CREATE_FLAGS, 'add', spec, opts);
  }

  /** Add or overwrite an entry. */
  replace(spec: NeighborSpec, opts: RequestOptions = {}): Promise<void> {
    return this.modify(RTM.NEWNEIGH, REPLACE_FLAGS, 'replace', spec, opts);
  }

  /** Change an existing entry. */
  change(spec: NeighborSpec, opts: RequestOptions = {}): Promise<void> {
    return this.modify(RTM.NEWNEIGH, CHANGE_FLAGS, 'change', spec, opts);
  }

  /** Delete an entry (`proxy: true` for a proxy entry). */
  del(spec: Pick<NeighborSpec, 'dst' | 'dev' | 'proxy'>, opts: RequestOptions = {}): Promise<void> {
    return this.modify(RTM.DELNEIGH, NLM_F.ACK, 'delete', spec, opts);
  }

  /** One entry (or proxy entry); rejects with ENOENT if absent. */
  async get(q: { readonly dst: string; readonly dev: LinkRef; readonly proxy?: boolean }, opts: RequestOptions = {}): Promise<Neighbor> {
    const dst = parseAddress(q.dst);
    if (!dst) throw new ValidationError(`invalid neighbour address "${q.dst}"`, 'dst');
    const ifindex = await this.index(q.dev, opts);
    const header: NdMsg = { family: dst.length === 4 ? AF.INET : AF.INET6, ifindex, state: 0, flags: q.proxy ? NTF.PROXY : 0, type: 0 };
    const m = await this.sock.get(rtRequest(neighMessage, RTM.GETNEIGH, NLM_F.ACK, header, { dst: q.dst }), `get neighbor ${q.dst} dev ${q.dev}`, opts);
    return decodeNeighbor(m);
  }

  /** The user-space predicate for a filter (iproute2's semantics). */
  private dumpRequest(filter: NeighborFilter, ifindex: number, _master: number): { keep: (n: Neighbor) => boolean } {
    let mask = ~0;
    if (filter.states) {
      mask = 0;
      for (const s of filter.states) {
        const v = nudStateValue(s);
        mask |= v === 0 ? 0x100 : v;
      }
    }
    const keep = (n: Neighbor): boolean => {
      if (filter.family && n.family !== filter.family) return false;
      if (ifindex && n.ifindex !== ifindex) return false;
      if (!(mask & n.ndmState) && !n.proxy && !n.extern_learn && (n.ndmState || !(mask & 0x100))) return false;
      if (filter.protocol !== undefined && filter.protocol !== (n.protocol ?? 0)) return false;
      if (filter.unused && n.cacheinfo && n.cacheinfo.ndm_refcnt) return false;
      return true;
    };
    return { keep };
  }

  /**
   * Stream neighbour entries (or proxy entries with `{ proxy: true }`).
   * A `dev` or `master` given by name is resolved to its ifindex when iteration
   * starts; pass ifindexes (or use {@link listByIndex}) to skip that lookup.
   * ```ts
   * for await (const n of nl.neighbor.list({ dev: 'veth0', states: ['reachable', 'stale'] })) console.log(n.dst);
   * ```
   */
  list(filter: NeighborFilter = {}, opts: DumpOptions = {}): ListStream<Neighbor> {
    const self = this;
    return listStream(async function* () {
      const ifindex = filter.dev !== undefined ? await self.index(filter.dev, opts) : 0;
      const master = filter.master !== undefined ? await self.index(filter.master, opts) : 0;
      yield* self.listByIndex(filter, ifindex, master, opts);
    });
  }

  /** {@link list} with the device and master already resolved to ifindexes (0 = any). */
  listByIndex(filter: NeighborFilter, ifindex: number, master: number, opts: DumpOptions = {}): DumpStream<Neighbor> {
    const { keep } = this.dumpRequest(filter, ifindex, master);
    return this.sock.dump(neighborDumpRequest(filter, ifindex, master), (m) => {
      if (m.type !== RTM.NEWNEIGH) return undefined;
      const n = decodeNeighbor(m);
      return keep(n) ? n : undefined;
    }, 'list neighbors', opts);
  }

  /**
   * Delete the entries matching `filter` (default states: all but permanent and noarp), in rounds
   * as iproute2 does, until none is left. Returns how many were deleted.
   */
  async flush(filter: NeighborFlushFilter = {}, opts: DumpOptions = {}): Promise<number> {
    const ifindex = filter.dev !== undefined ? await this.index(filter.dev, opts) : 0;
    const master = filter.master !== undefined ? await this.index(filter.master, opts) : 0;
    const states = filter.states ?? [~(NUD.PERMANENT | NUD.NOARP) & 0xff | 0x100];
    const match = filter.to !== undefined ? prefixMatcher(filter.to) : () => true;
    let total = 0;
    let failedToo = true;
    for (let round = 0; round < 10; round++) {
      const f: NeighborFilter = { ...filter, states: failedToo ? states : states.map((s) => nudStateValue(s) & ~NUD.FAILED) };
      const victims: Neighbor[] = [];
      for await (const n of this.listByIndex(f, ifindex, master, opts)) if (match(n.dst)) victims.push(n);
      if (!victims.length) return total;
      await Promise.all(victims.map(async (n) => {
        const h = n.raw.header;
        try {
          await this.sock.request(rtRequest(neighMessage, RTM.DELNEIGH, NLM_F.ACK, h, n.raw.attrs), `flush neighbor ${n.dst ?? ''}`, opts);
          total++;
        } catch {
          // Entries may vanish between the dump and the delete; iproute2 ignores those errors too.
        }
      }));
      failedToo = false;
    }
    return total;
  }
}

/**
 * The RTM_GETNEIGH dump request for a filter (the bytes `ip neigh show` sends):
 * family, NTF_PROXY for proxy entries, NDA_IFINDEX and NDA_MASTER for the kernel-side filters.
 */
export function neighborDumpRequest(filter: NeighborFilter, ifindex: number, master: number): RequestBuilder {
  const header: NdMsg = { ...ndmsg.zero, family: filter.family ?? AF.UNSPEC, flags: filter.proxy ? NTF.PROXY : 0 };
  const attrs: NeighAttrs = {};
  if (ifindex) attrs.ifindex = ifindex;
  if (master) attrs.master = master >>> 0;
  return rtRequest(neighMessage, RTM.GETNEIGH, NLM_F.DUMP, header, attrs);
}

/** A predicate testing an address against `ADDR[/LEN]` (inet_addr_match). */
export function prefixMatcher(prefix: string): (addr: string | undefined) => boolean {
  const slash = prefix.indexOf('/');
  const base = parseAddress(slash >= 0 ? prefix.slice(0, slash) : prefix);
  if (!base) throw new ValidationError(`invalid prefix "${prefix}"`, 'to');
  const bits = slash >= 0 ? Number(prefix.slice(slash + 1)) : base.length * 8;
  return (addr) => {
    if (addr === undefined) return bits === 0;
    const a = parseAddress(addr);
    if (!a || a.length !== base.length) return false;
    return bitsEqual(a, base, bits);
  };
}

/** Whether the first `bits` bits of two buffers are equal. */
export function bitsEqual(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = bits & 7;
  if (!rest) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[whole]! ^ b[whole]!) & mask) === 0;
}
