/**
 * Nexthop objects: `nl.nexthop.list()`, `get`, `add`, `replace`, `del`, `flush`.
 *
 * ```ts
 * await nl.nexthop.add({ id: 1, via: '192.0.2.1', dev: 'veth0' });
 * await nl.nexthop.add({ id: 2, blackhole: true });
 * await nl.nexthop.add({ id: 10, group: [{ id: 1, weight: 3 }, { id: 2 }] });
 * for await (const nh of nl.nexthop.list()) console.log(nh.id, nh.gateway ?? nh.group);
 * ```
 * @module
 */
import { NLM_F, RTM, AF } from './constants.js';
import { nhmsg, type NhMsg } from './structs.js';
import {
  nexthopMessage, NEXTHOP_GRP_TYPE, RTNH_F, type NexthopAttrs, type ResGroupAttrs,
} from './rtnetlink/nexthop-schema.js';
import { rtRequest, CREATE_FLAGS, REPLACE_FLAGS } from './rtnetlink/request.js';
import { listStream, type ListStream, type NetlinkSocket, type DumpOptions, type DumpStream, type RequestOptions, type MessageView, type RequestBuilder } from './socket.js';
import { ValidationError } from './errors.js';
import { parseAddress } from './addr.js';
import type { LinkApi, LinkRef } from './link.js';

/** One member of a nexthop group; `weight` is 1..256 (as `ip nexthop`, not the wire's weight-1). */
export interface NexthopGroupMember {
  readonly id: number;
  readonly weight?: number;
}

/** Resilient group parameters; timers in seconds (as `ip nexthop … type resilient`). */
export interface ResilientArgs {
  readonly buckets?: number;
  readonly idle_timer?: number;
  readonly unbalanced_timer?: number;
}

/** A nexthop as the kernel reports it. Field names follow `ip -j nexthop` keys. */
export interface Nexthop {
  readonly id: number;
  readonly family: number;
  /** Group members with weights 1..256; undefined for a plain nexthop. */
  readonly group: NexthopGroupMember[] | undefined;
  /** 'mpath' or 'resilient' for groups. */
  readonly type: 'mpath' | 'resilient' | undefined;
  /** Resilient group state; timers in USER_HZ ticks as the kernel sends them. */
  readonly resilient: ResGroupAttrs | undefined;
  readonly gateway: string | undefined;
  /** Output device ifindex (NHA_OIF). */
  readonly oif: number | undefined;
  readonly scope: number;
  readonly blackhole: boolean;
  readonly protocol: number;
  /** RTNH_F_* flags. */
  readonly flags: number;
  readonly fdb: boolean;
  readonly encap_type: number | undefined;
  /** The whole message as decoded. */
  readonly raw: { readonly header: NhMsg; readonly attrs: NexthopAttrs };
}

/** Decode one RTM_NEWNEXTHOP/RTM_DELNEXTHOP message. */
export function decodeNexthop(m: MessageView): Nexthop {
  const { header, attrs } = nexthopMessage.decode(m.buf, m.off, m.len);
  const gt = attrs.group_type;
  return {
    id: attrs.id ?? 0,
    family: header.family,
    group: attrs.group?.map((g) => (g.weight ? { id: g.id, weight: g.weight + 1 } : { id: g.id })),
    type: attrs.group ? (gt === NEXTHOP_GRP_TYPE.RES ? 'resilient' : 'mpath') : undefined,
    resilient: attrs.res_group,
    gateway: attrs.gateway,
    oif: attrs.oif,
    scope: header.scope,
    blackhole: attrs.blackhole === true,
    protocol: header.protocol,
    flags: header.flags,
    fdb: attrs.fdb === true,
    encap_type: attrs.encap_type,
    raw: { header, attrs },
  };
}

/**
 * A nexthop to add or replace. Attributes are sent in this object's key
 * order, so building it in `ip nexthop` argument order reproduces iproute2's bytes.
 */
export interface NexthopSpec {
  /** 0 or absent: the kernel picks one. */
  readonly id?: number;
  /** AF_INET or AF_INET6; inferred from `via`, AF_INET for dev-only or blackhole nexthops. */
  readonly family?: number;
  readonly dev?: LinkRef;
  readonly via?: string;
  readonly blackhole?: boolean;
  readonly fdb?: boolean;
  readonly onlink?: boolean;
  readonly group?: readonly NexthopGroupMember[];
  /** Group type (default mpath). */
  readonly type?: 'mpath' | 'resilient';
  readonly resilient?: ResilientArgs;
  /** nh_protocol (RTPROT_*). */
  readonly protocol?: number;
}

/** Filters for {@link NexthopApi.list}. */
export interface NexthopFilter {
  readonly family?: number;
  /** Only nexthops using this device (kernel filter). */
  readonly dev?: LinkRef;
  /** Only nexthops whose device is enslaved to this master (kernel filter). */
  readonly master?: LinkRef;
  /** Only groups (kernel filter). */
  readonly groups?: boolean;
  /** Only fdb nexthops (kernel filter). */
  readonly fdb?: boolean;
  /** Only this nh_protocol. */
  readonly protocol?: number;
}

/** Seconds → clock_t ticks as iproute2 sends them (USER_HZ = 100). */
function timerTicks(s: number, what: string): number {
  if (!Number.isInteger(s) || s < 0 || s >= Math.floor(0xffffffff / 100)) throw new ValidationError(`invalid ${what} value ${s}`, what);
  return s * 100;
}

/** Nexthop operations on one namespace's rtnetlink socket. */
export class NexthopApi {
  constructor(private readonly sock: NetlinkSocket, private readonly links: LinkApi) {}

  private async index(ref: LinkRef, opts: RequestOptions): Promise<number> {
    if (typeof ref === 'number') return ref;
    return (await this.links.get(ref, opts)).ifindex;
  }

  /** Validate a spec and encode it with `ifindex` for `dev`, in the spec's key order. */
  build(spec: NexthopSpec, ifindex: number): { header: NhMsg; attrs: NexthopAttrs } {
    const header: NhMsg = { ...nhmsg.zero, family: spec.family ?? AF.UNSPEC };
    const attrs: NexthopAttrs = {};
    const rec = spec as Readonly<Record<string, unknown>>;
    for (const key of Object.keys(rec)) {
      if (rec[key] === undefined) continue;
      switch (key) {
        case 'family': break;
        case 'id':
          if (!Number.isInteger(spec.id) || spec.id! < 0 || spec.id! > 0xffffffff) throw new ValidationError(`invalid id ${spec.id}`, 'id');
          attrs.id = spec.id!;
          break;
        case 'dev':
          attrs.oif = ifindex;
          if (header.family === AF.UNSPEC) header.family = AF.INET;
          break;
        case 'via': {
          const a = parseAddress(spec.via!);
          if (!a) throw new ValidationError(`invalid gateway "${spec.via}"`, 'via');
          const fam = a.length === 4 ? AF.INET : AF.INET6;
          if (header.family === AF.UNSPEC) header.family = fam;
          else if (header.family !== fam) throw new ValidationError('address family mismatch', 'via');
          attrs.gateway = spec.via!;
          break;
        }
        case 'blackhole':
          if (spec.blackhole) {
            attrs.blackhole = true;
            if (header.family === AF.UNSPEC) header.family = AF.INET;
          }
          break;
        case 'fdb': if (spec.fdb) attrs.fdb = true; break;
        case 'onlink': if (spec.onlink) header.flags |= RTNH_F.ONLINK; break;
        case 'group': {
          const g = spec.group!;
          if (!g.length) throw new ValidationError('empty nexthop group', 'group');
          attrs.group = g.map((m) => {
            const w = m.weight ?? 1;
            if (!Number.isInteger(m.id) || m.id < 0 || m.id > 0xffffffff) throw new ValidationError(`invalid group member id ${m.id}`, 'group');
            if (!Number.isInteger(w) || w < 1 || w > 256) throw new ValidationError(`invalid weight ${w}`, 'group');
            return { id: m.id, weight: w - 1 };
          });
          break;
        }
        case 'type': {
          if (spec.type !== 'mpath' && spec.type !== 'resilient') throw new ValidationError(`invalid group type "${String(spec.type)}"`, 'type');
          if (spec.type === 'resilient' && spec.resilient) attrs.res_group = resilientAttrs(spec.resilient);
          attrs.group_type = spec.type === 'resilient' ? NEXTHOP_GRP_TYPE.RES : NEXTHOP_GRP_TYPE.MPATH;
          break;
        }
        case 'resilient':
          if (spec.type === undefined) throw new ValidationError('resilient arguments need type "resilient"', 'resilient');
          break;
        case 'protocol':
          if (!Number.isInteger(spec.protocol) || spec.protocol! < 0 || spec.protocol! > 255) throw new ValidationError('invalid protocol', 'protocol');
          header.protocol = spec.protocol!;
          break;
        default: throw new ValidationError(`unknown nexthop field "${key}"`, key);
      }
    }
    return { header, attrs };
  }

  private async modify(flags: number, verb: string, spec: NexthopSpec, opts: RequestOptions): Promise<void> {
    this.build(spec, 0);
    const ifindex = spec.dev !== undefined ? await this.index(spec.dev, opts) : 0;
    const { header, attrs } = this.build(spec, ifindex);
    await this.sock.request(rtRequest(nexthopMessage, RTM.NEWNEXTHOP, flags, header, attrs), `${verb} nexthop ${spec.id ?? ''}`.trimEnd(), opts);
  }

  /** Add a nexthop (fails if the id exists). */
  add(spec: NexthopSpec, opts: RequestOptions = {}): Promise<void> {
    return this.modify(CREATE_FLAGS, 'add', spec, opts);
  }

  /** Add or replace a nexthop. */
  replace(spec: NexthopSpec, opts: RequestOptions = {}): Promise<void> {
    return this.modify(REPLACE_FLAGS, 'replace', spec, opts);
  }

  /** Delete a nexthop by id. */
  async del(id: number, opts: RequestOptions = {}): Promise<void> {
    await this.sock.request(rtRequest(nexthopMessage, RTM.DELNEXTHOP, NLM_F.ACK, { ...nhmsg.zero }, { id }), `delete nexthop ${id}`, opts);
  }

  /** One nexthop by id; rejects with ENOENT if absent. */
  async get(id: number, opts: RequestOptions = {}): Promise<Nexthop> {
    const m = await this.sock.get(rtRequest(nexthopMessage, RTM.GETNEXTHOP, NLM_F.ACK, { ...nhmsg.zero }, { id }), `get nexthop ${id}`, opts);
    return decodeNexthop(m);
  }

  /**
   * Stream nexthops.
   * ```ts
   * const groups = await nl.nexthop.list({ groups: true }).toArray();
   * ```
   */
  list(filter: NexthopFilter = {}, opts: DumpOptions = {}): ListStream<Nexthop> {
    const self = this;
    return listStream(async function* () {
      const ifindex = filter.dev !== undefined ? await self.index(filter.dev, opts) : 0;
      const master = filter.master !== undefined ? await self.index(filter.master, opts) : 0;
      yield* self.listByIndex(filter, ifindex, master, opts);
    });
  }

  /** {@link list} with `dev` and `master` already resolved (0 = any). */
  listByIndex(filter: NexthopFilter, ifindex: number, master: number, opts: DumpOptions = {}): DumpStream<Nexthop> {
    return this.sock.dump(nexthopDumpRequest(filter, ifindex, master), (m) => {
      if (m.type !== RTM.NEWNEXTHOP) return undefined;
      const nh = decodeNexthop(m);
      if (filter.protocol !== undefined && filter.protocol !== nh.protocol) return undefined;
      return nh;
    }, 'list nexthops', opts);
  }

  /**
   * Delete the nexthops matching `filter` (all, groups first, when the filter is empty,
   * as `ip nexthop flush`). Returns how many were deleted.
   */
  async flush(filter: NexthopFilter = {}, opts: DumpOptions = {}): Promise<number> {
    const all = filter.dev === undefined && filter.master === undefined && !filter.groups && !filter.fdb;
    const passes: NexthopFilter[] = all ? [{ ...filter, groups: true }, filter] : [filter];
    let n = 0;
    for (const f of passes) {
      for (const nh of await this.list(f, opts).toArray()) {
        if (!nh.id) continue;
        try {
          await this.del(nh.id, opts);
          n++;
        } catch {
          // Deleting a nexthop can take dependent groups with it; those are gone already.
        }
      }
    }
    return n;
  }
}

/**
 * The RTM_GETNEXTHOP dump request for a filter (the bytes `ip nexthop list` sends):
 * NHA_OIF, NHA_GROUPS, NHA_MASTER and NHA_FDB in iproute2's order.
 */
export function nexthopDumpRequest(filter: NexthopFilter, ifindex: number, master: number): RequestBuilder {
  const attrs: NexthopAttrs = {};
  if (ifindex) attrs.oif = ifindex;
  if (filter.groups) attrs.groups = true;
  if (master) attrs.master = master;
  if (filter.fdb) attrs.fdb = true;
  const header: NhMsg = { ...nhmsg.zero, family: filter.family ?? AF.UNSPEC };
  return rtRequest(nexthopMessage, RTM.GETNEXTHOP, NLM_F.DUMP, header, attrs);
}

function resilientAttrs(r: ResilientArgs): ResGroupAttrs {
  const out: ResGroupAttrs = {};
  const rec = r as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(rec)) {
    if (rec[key] === undefined) continue;
    if (key === 'buckets') {
      if (!Number.isInteger(r.buckets) || r.buckets! < 0 || r.buckets! > 0xffff) throw new ValidationError('invalid buckets value', 'buckets');
      out.buckets = r.buckets!;
    } else if (key === 'idle_timer') out.idle_timer = timerTicks(r.idle_timer!, 'idle_timer');
    else if (key === 'unbalanced_timer') out.unbalanced_timer = timerTicks(r.unbalanced_timer!, 'unbalanced_timer');
    else throw new ValidationError(`unknown resilient argument "${key}"`, key);
  }
  return out;
}
