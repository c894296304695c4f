/**
 * Links (network interfaces): `nl.link.list()`, `get`, `add`, `set`, `del`.
 * @module
 */
import { NLM_F } from './constants.js';
import { RTM } from './constants.js';
import { ifinfomsg, type IfInfoMsg } from './structs.js';
import { linkMessage, IFF, RTEXT_FILTER, type LinkAttrsShape } from './rtnetlink/link-schema.js';
import { rtRequest, CREATE_FLAGS } from './rtnetlink/request.js';
import type { NetlinkSocket, DumpOptions, DumpStream, RequestOptions, MessageView } from './socket.js';
import { ValidationError } from './errors.js';

/** Operational states (IF_OPER_*), indexed by value. */
export const OPER_STATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'] as const;

/** A link as the kernel reports it. Field names follow `ip -j link` keys. */
export interface Link {
  readonly ifindex: number;
  readonly ifname: string;
  /** IFF_* flags as a number; see {@link linkFlagNames}. */
  readonly flags: number;
  /** ARPHRD_* type. */
  readonly type: number;
  readonly mtu: number | undefined;
  readonly qdisc: string | undefined;
  readonly operstate: string;
  readonly master: number | undefined;
  readonly group: number;
  readonly txqlen: number | undefined;
  readonly address: string | undefined;
  readonly broadcast: string | undefined;
  /** IFLA_INFO_KIND, e.g. 'veth', 'bridge'. */
  readonly kind: string | undefined;
  /** The whole message as decoded: header and every attribute. */
  readonly raw: { readonly header: IfInfoMsg; readonly attrs: LinkAttrsShape };
}

/** Flag names in iproute2's order. */
export function linkFlagNames(flags: number): string[] {
  const out: string[] = [];
  for (const [name, bit] of Object.entries(IFF)) if (flags & bit) out.push(name);
  return out;
}

/** Decode one RTM_NEWLINK/RTM_DELLINK message into a {@link Link}. */
export function decodeLink(m: MessageView): Link {
  const { header, attrs } = linkMessage.decode(m.buf, m.off, m.len);
  return {
    ifindex: header.index,
    ifname: attrs.ifname ?? `if${header.index}`,
    flags: header.flags,
    type: header.type,
    mtu: attrs.mtu,
    qdisc: attrs.qdisc,
    operstate: OPER_STATES[attrs.operstate ?? 0] ?? String(attrs.operstate),
    master: attrs.master,
    group: attrs.group ?? 0,
    txqlen: attrs.txqlen,
    address: attrs.address,
    broadcast: attrs.broadcast,
    kind: attrs.linkinfo?.kind,
    raw: { header, attrs },
  };
}

/** A link by name or index. */
export type LinkRef = string | number;

/** Filters for {@link LinkApi.list}. */
export interface LinkFilter {
  /** Only links of this kind (IFLA_INFO_KIND), filtered by the kernel. */
  readonly kind?: string;
  /** Only slaves of this master (name or index), filtered by the kernel. */
  readonly master?: LinkRef;
  /** Only links that are administratively up. */
  readonly up?: boolean;
  /** Skip statistics in the dump (cheaper). */
  readonly skipStats?: boolean;
}

/** What `nl.link.add` takes. */
export interface LinkAddSpec {
  readonly ifname: string;
  /** Link kind, e.g. 'veth', 'bridge', 'dummy'. */
  readonly kind: string;
  /** Kind-specific IFLA_INFO_DATA attributes (schema of the kind). */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly mtu?: number;
  readonly address?: string;
  readonly txqlen?: number;
  readonly master?: LinkRef;
  readonly up?: boolean;
}

/** Link operations on one namespace's rtnetlink socket. */
export class LinkApi {
  constructor(private readonly sock: NetlinkSocket) {}

  private async index(ref: LinkRef, opts: RequestOptions): Promise<number> {
    if (typeof ref === 'number') return ref;
    return (await this.get(ref, opts)).ifindex;
  }

  /**
   * Stream every link.
   * ```ts
   * for await (const l of nl.link.list()) console.log(l.ifindex, l.ifname);
   * ```
   */
  list(filter: LinkFilter = {}, opts: DumpOptions = {}): DumpStream<Link> {
    const attrs: LinkAttrsShape = { ext_mask: RTEXT_FILTER.VF | (filter.skipStats ? RTEXT_FILTER.SKIP_STATS : 0) };
    if (filter.kind) attrs.linkinfo = { kind: filter.kind };
    if (typeof filter.master === 'number') attrs.master = filter.master;
    const header: IfInfoMsg = { ...ifinfomsg.zero };
    const build = rtRequest(linkMessage, RTM.GETLINK, NLM_F.DUMP, header, attrs);
    const up = filter.up;
    return this.sock.dump(build, (m) => {
      if (m.type !== RTM.NEWLINK) return undefined;
      const l = decodeLink(m);
      if (up && !(l.flags & IFF.UP)) return undefined;
      if (filter.kind && l.kind !== filter.kind) return undefined;
      return l;
    }, 'list links', opts);
  }

  /** One link by name or index; rejects with a NetlinkError (ENODEV) if absent. */
  async get(ref: LinkRef, opts: RequestOptions = {}): Promise<Link> {
    const header: IfInfoMsg = { ...ifinfomsg.zero, index: typeof ref === 'number' ? ref : 0 };
    const attrs: LinkAttrsShape = { ext_mask: RTEXT_FILTER.VF };
    if (typeof ref === 'string') attrs.ifname = ref;
    const m = await this.sock.get(rtRequest(linkMessage, RTM.GETLINK, NLM_F.ACK, header, attrs), `get link ${ref}`, opts);
    return decodeLink(m);
  }

  /**
   * Create a link.
   * ```ts
   * await nl.link.add({ ifname: 'veth0', kind: 'veth', data: { peer: { header: {...}, attrs: { ifname: 'veth1' } } } });
   * ```
   */
  async add(spec: LinkAddSpec, opts: RequestOptions = {}): Promise<void> {
    if (!spec.ifname || spec.ifname.length > 15) throw new ValidationError(`invalid link name "${spec.ifname}"`, 'ifname');
    const attrs: LinkAttrsShape = { ifname: spec.ifname };
    if (spec.mtu !== undefined) attrs.mtu = spec.mtu;
    if (spec.address !== undefined) attrs.address = spec.address;
    if (spec.txqlen !== undefined) attrs.txqlen = spec.txqlen;
    if (spec.master !== undefined) attrs.master = await this.index(spec.master, opts);
    attrs.linkinfo = spec.data ? { kind: spec.kind, data: spec.data } : { kind: spec.kind };
    const header: IfInfoMsg = { ...ifinfomsg.zero, flags: spec.up ? IFF.UP : 0, change: spec.up ? IFF.UP : 0 };
    await this.sock.request(rtRequest(linkMessage, RTM.NEWLINK, CREATE_FLAGS, header, attrs), `add link ${spec.ifname}`, opts);
  }

  /** Delete a link. */
  async del(ref: LinkRef, opts: RequestOptions = {}): Promise<void> {
    const header: IfInfoMsg = { ...ifinfomsg.zero, index: typeof ref === 'number' ? ref : 0 };
    const attrs: LinkAttrsShape = typeof ref === 'string' ? { ifname: ref } : {};
    await this.sock.request(rtRequest(linkMessage, RTM.DELLINK, NLM_F.ACK, header, attrs), `delete link ${ref}`, opts);
  }

  /** Bring a link up or down. */
  async setUp(ref: LinkRef, up: boolean, opts: RequestOptions = {}): Promise<void> {
    const index = await this.index(ref, opts);
    const header: IfInfoMsg = { ...ifinfomsg.zero, index, flags: up ? IFF.UP : 0, change: IFF.UP };
    await this.sock.request(rtRequest(linkMessage, RTM.NEWLINK, NLM_F.ACK, header, {}), `set link ${ref} ${up ? 'up' : 'down'}`, opts);
  }
}
