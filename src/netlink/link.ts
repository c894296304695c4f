/**
 * Links (network interfaces): `nl.link.list()`, `get`, `add`, `set`, `del`.
 *
 * ```ts
 * await using nl = await Netlink.open({ netns: 'blue' });
 * await nl.link.add({ ifname: 'br0', kind: 'bridge', stp_state: 1, forward_delay: 400 });
 * await nl.link.add({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v1', netns: 'red' } });
 * await nl.link.set('v0', { master: 'br0', up: true, mtu: 1400 });
 * const br = await nl.link.get('br0');
 * linkData(br, 'bridge')?.stp_state;   // 1, typed by the bridge schema
 * ```
 * @module
 */
import { closeSync, openSync } from 'node:fs';
import { NLM_F, RTM } from './constants.js';
import { ifinfomsg, type IfInfoMsg, type LinkStats64 } from './structs.js';
import { linkMessage, IFF, RTEXT_FILTER, type LinkAttrsShape, type KindData } from './rtnetlink/link-schema.js';
import { rtRequest, CREATE_FLAGS, REPLACE_FLAGS } from './rtnetlink/request.js';
import type { NetlinkSocket, DumpOptions, DumpStream, RequestOptions, MessageView } from './socket.js';
import { ValidationError } from './errors.js';
import { parseAddress, parseLladdr } from './addr.js';
import {
  BOND_MODES, MACVLAN_MODE, IPVLAN_MODE, VLAN_PROTO,
  type BridgeData, type BridgeSlaveData, type BondData, type BondSlaveData, type VlanData, type VxlanData,
  type MacvlanData, type IpvlanData, type VrfData, type GeneveData, type GreData, type IptunData,
  type Ip6tnlData, type VtiData, type VethData, type TunData,
} from './rtnetlink/kinds/index.js';

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
  /** IFLA_INFO_SLAVE_KIND of a port, e.g. 'bridge' for a bridge port. */
  readonly slaveKind: string | undefined;
  /** IFLA_LINK: the lower device's ifindex (in `linkNetnsid`'s namespace if that is set). */
  readonly link: number | undefined;
  /** IFLA_LINK_NETNSID: the namespace of `link` (veth peer, tunnel underlay). */
  readonly linkNetnsid: number | undefined;
  readonly ifalias: string | undefined;
  /** Alternative names (IFLA_PROP_LIST / IFLA_ALT_IFNAME). */
  readonly altnames: readonly string[];
  /** Permanent hardware address, if the driver has one. */
  readonly permaddr: string | undefined;
  readonly parentdev: string | undefined;
  readonly parentbus: string | undefined;
  readonly protoDown: boolean;
  readonly promiscuity: number | undefined;
  readonly allmulti: number | undefined;
  readonly minMtu: number | undefined;
  readonly maxMtu: number | undefined;
  readonly numTxQueues: number | undefined;
  readonly numRxQueues: number | undefined;
  readonly carrier: boolean | undefined;
  /** 64-bit counters (absent when the dump skipped statistics). */
  readonly stats64: LinkStats64 | undefined;
  /** The whole message as decoded: header and every attribute. */
  readonly raw: { readonly header: IfInfoMsg; readonly attrs: LinkAttrsShape };
}

/** Typed IFLA_INFO_DATA by link kind (see {@link linkData}). */
export interface LinkKindDataMap {
  veth: VethData; bridge: BridgeData; bond: BondData; vlan: VlanData; vxlan: VxlanData;
  macvlan: MacvlanData; macvtap: MacvlanData; ipvlan: IpvlanData; ipvtap: IpvlanData; vrf: VrfData;
  geneve: GeneveData; gre: GreData; gretap: GreData; erspan: GreData; ip6gre: GreData; ip6gretap: GreData;
  ip6erspan: GreData; ipip: IptunData; sit: IptunData; ip6tnl: Ip6tnlData; vti: VtiData; vti6: VtiData;
  tun: TunData;
}
/** Typed IFLA_INFO_SLAVE_DATA by master kind (see {@link slaveData}). */
export interface SlaveKindDataMap { bridge: BridgeSlaveData; bond: BondSlaveData; vrf: { table?: number } }

/**
 * The kind-specific attributes of `l` if it is of `kind`, typed by that
 * kind's schema (which decoded them).
 * ```ts
 * const br = linkData(await nl.link.get('br0'), 'bridge');
 * if (br) console.log(br.stp_state, br.forward_delay);
 * ```
 */
export function linkData<K extends keyof LinkKindDataMap>(l: Link, kind: K): LinkKindDataMap[K] | undefined {
  const info = l.raw.attrs.linkinfo;
  if (info?.kind !== kind || info.data === undefined || Buffer.isBuffer(info.data)) return undefined;
  // The registered schema of `kind` decoded these attributes, so they have its type.
  return info.data as LinkKindDataMap[K];
}

/** The port attributes of `l` if it is a port of a `kind` master (bridge, bond, vrf). */
export function slaveData<K extends keyof SlaveKindDataMap>(l: Link, kind: K): SlaveKindDataMap[K] | undefined {
  const info = l.raw.attrs.linkinfo;
  if (info?.slave_kind !== kind || info.slave_data === undefined || Buffer.isBuffer(info.slave_data)) return undefined;
  return info.slave_data as SlaveKindDataMap[K];
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
    slaveKind: attrs.linkinfo?.slave_kind,
    link: attrs.link,
    linkNetnsid: attrs.link_netnsid,
    ifalias: attrs.ifalias,
    altnames: attrs.prop_list?.alt_ifname ?? [],
    permaddr: attrs.perm_address,
    parentdev: attrs.parent_dev_name,
    parentbus: attrs.parent_dev_bus_name,
    protoDown: !!attrs.proto_down,
    promiscuity: attrs.promiscuity,
    allmulti: attrs.allmulti,
    minMtu: attrs.min_mtu,
    maxMtu: attrs.max_mtu,
    numTxQueues: attrs.num_tx_queues,
    numRxQueues: attrs.num_rx_queues,
    carrier: attrs.carrier === undefined ? undefined : attrs.carrier !== 0,
    stats64: attrs.stats64,
    raw: { header, attrs },
  };
}

/** A link by name or index. */
export type LinkRef = string | number;

/** A network namespace: a name under /run/netns or a path (opened as IFLA_NET_NS_FD), or a pid (IFLA_NET_NS_PID). */
export type NetnsTarget = string | number;

/** Filters for {@link LinkApi.list}. */
export interface LinkFilter {
  /** Only links of this kind (IFLA_INFO_KIND), filtered by the kernel. */
  readonly kind?: string;
  /** Only ports of this master (ifindex; resolve a name with `get()` first), filtered by the kernel. */
  readonly master?: number;
  /** Only links that are administratively up. */
  readonly up?: boolean;
  /** Only links in this group. */
  readonly group?: number;
  /**
   * RTEXT_FILTER_SKIP_STATS: leave out per-VF statistics (cheaper on SR-IOV
   * NICs); the link's own counters are always reported.
   */
  readonly skipStats?: boolean;
}

/** Attributes every link accepts on creation. */
export interface LinkCommonSpec {
  readonly ifname: string;
  readonly mtu?: number;
  readonly address?: string;
  readonly broadcast?: string;
  readonly txqlen?: number;
  readonly master?: LinkRef;
  readonly up?: boolean;
  readonly group?: number;
  readonly alias?: string;
  /** Lower device (IFLA_LINK), e.g. the parent of a vlan or macvlan. */
  readonly link?: LinkRef;
  /** Create the link directly in this namespace. */
  readonly netns?: NetnsTarget;
  readonly numtxqueues?: number;
  readonly numrxqueues?: number;
  /** Requested ifindex. */
  readonly index?: number;
}

/** The far end of a veth pair. */
export interface VethPeerSpec {
  readonly ifname?: string;
  readonly address?: string;
  readonly mtu?: number;
  readonly txqlen?: number;
  /** Put the peer in another namespace. (The kernel cannot bring a peer up while the pair is being created: set it up afterwards.) */
  readonly netns?: NetnsTarget;
}

/** macvlan/macvtap mode names (MACVLAN_MODE_*). */
export type MacvlanModeName = 'private' | 'vepa' | 'bridge' | 'passthru' | 'source';
/** ipvlan mode names (IPVLAN_MODE_*). */
export type IpvlanModeName = 'l2' | 'l3' | 'l3s';
/** Bond mode names (BOND_MODE_*). */
export type BondModeName = (typeof BOND_MODES)[number];

type Without<T, K extends PropertyKey> = Omit<T, K | symbol>;

/**
 * Kind and kind-specific options of a new link: a union discriminated by
 * `kind`. Option names are those of the kind's schema (and of `ip -d -j`);
 * modes and protocols may be given by name.
 */
export type LinkKindSpec =
  | { readonly kind: 'veth'; readonly peer?: VethPeerSpec }
  | ({ readonly kind: 'bridge' } & Without<BridgeData, 'root_id' | 'bridge_id'>)
  | ({ readonly kind: 'bond'; readonly mode?: BondModeName | number; readonly primary?: LinkRef; readonly active_slave?: LinkRef } & Without<BondData, 'mode' | 'primary' | 'active_slave'>)
  | ({ readonly kind: 'vlan'; readonly id: number; readonly protocol?: keyof typeof VLAN_PROTO | number } & Without<VlanData, 'id' | 'protocol'>)
  /** vxlan: `remote` is the unicast remote or the multicast group (IPv4 or IPv6), as iproute2's `remote`/`group`. */
  | ({ readonly kind: 'vxlan'; readonly id?: number; readonly remote?: string; readonly local?: string; readonly dev?: LinkRef; readonly dstport?: number } & Without<VxlanData, 'id' | 'group' | 'group6' | 'local' | 'local6' | 'link' | 'port'>)
  | ({ readonly kind: 'macvlan' | 'macvtap'; readonly mode?: MacvlanModeName | number } & Without<MacvlanData, 'mode'>)
  | ({ readonly kind: 'ipvlan' | 'ipvtap'; readonly mode?: IpvlanModeName | number } & Without<IpvlanData, 'mode'>)
  | ({ readonly kind: 'vrf'; readonly table: number })
  | ({ readonly kind: 'geneve'; readonly id: number; readonly remote?: string } & Without<GeneveData, 'id' | 'remote' | 'remote6'>)
  | ({ readonly kind: 'gre' | 'gretap' | 'erspan' | 'ip6gre' | 'ip6gretap' | 'ip6erspan' } & GreData)
  | ({ readonly kind: 'ipip' | 'sit' } & IptunData)
  | ({ readonly kind: 'ip6tnl' } & Ip6tnlData)
  | ({ readonly kind: 'vti' | 'vti6' } & VtiData)
  | { readonly kind: 'dummy' | 'ifb' | 'wireguard' | 'nlmon' };

/** Any kind by name with raw IFLA_INFO_DATA (schema object or bytes): the escape hatch for kinds without a typed spec. */
export interface RawKindSpec {
  readonly kind: string;
  readonly data?: KindData | Buffer;
}

/** What `nl.link.add` takes: common attributes plus the kind and its options. */
export type LinkAddSpec = LinkCommonSpec & (LinkKindSpec | RawKindSpec);

/** What `nl.link.set` changes. Absent fields are left alone. */
export interface LinkSetSpec {
  readonly up?: boolean;
  readonly mtu?: number;
  /** Rename. */
  readonly ifname?: string;
  readonly address?: string;
  readonly broadcast?: string;
  readonly txqlen?: number;
  readonly alias?: string;
  readonly group?: number;
  /** Enslave to a master, or `null` to release (nomaster). */
  readonly master?: LinkRef | null;
  /** Move to another namespace. */
  readonly netns?: NetnsTarget;
  readonly arp?: boolean;
  readonly multicast?: boolean;
  readonly promisc?: boolean;
  readonly allmulticast?: boolean;
  readonly protoDown?: boolean;
  /** Change kind options (`ip link set DEV type KIND …`). */
  readonly kindOptions?: LinkKindSpec | RawKindSpec;
  /** Change port options (`ip link set DEV type bridge_slave …`). */
  readonly slaveOptions?: { readonly kind: 'bridge'; readonly data: BridgeSlaveData } | { readonly kind: 'bond'; readonly data: BondSlaveData } | { readonly kind: string; readonly data: KindData };
}

/** A built link request: header and attributes, and namespace fds to close after sending. */
export interface LinkRequest {
  readonly header: IfInfoMsg;
  readonly attrs: LinkAttrsShape;
  /** File descriptors opened for IFLA_NET_NS_FD; {@link LinkApi.modify} closes them. */
  readonly fds: number[];
}

const COMMON_KEYS = new Set(['ifname', 'mtu', 'address', 'broadcast', 'txqlen', 'master', 'up', 'group', 'alias', 'link', 'netns', 'numtxqueues', 'numrxqueues', 'index', 'kind']);

function checkName(name: string, field: string): void {
  // Same rule as the kernel's dev_valid_name() and iproute2's check_ifname().
  if (!name || name.length > 15 || name === '.' || name === '..' || /[/:\s]/.test(name)) {
    throw new ValidationError(`invalid link name "${name}"`, field);
  }
}

function checkLladdr(s: string, field: string): void {
  if (!parseLladdr(s)) throw new ValidationError(`invalid link-layer address "${s}"`, field);
}

function checkU32(v: number, field: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new ValidationError(`invalid ${field} ${v}`, field);
}

/** Open a namespace for IFLA_NET_NS_FD (name under /run/netns, or a path). */
function openNetns(name: string, fds: number[]): number {
  const path = name.includes('/') ? name : `/run/netns/${name}`;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new ValidationError(`cannot open network namespace "${name}": ${(e as Error).message}`, 'netns');
  }
  fds.push(fd);
  return fd;
}

function netnsAttrs(target: NetnsTarget, fds: number[]): Pick<LinkAttrsShape, 'net_ns_fd' | 'net_ns_pid'> {
  if (typeof target === 'number') return { net_ns_pid: target };
  return { net_ns_fd: openNetns(target, fds) };
}

function modeByName(names: Readonly<Record<string, number>>, v: string | number, field: string): number {
  if (typeof v === 'number') return v;
  const n = names[v.toUpperCase()];
  if (n === undefined) throw new ValidationError(`invalid ${field} "${v}"`, field);
  return n;
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
    if (typeof filter.master === 'number') attrs.master = filter.master;
    if (filter.kind) attrs.linkinfo = { kind: filter.kind };
    const header: IfInfoMsg = { ...ifinfomsg.zero };
    const build = rtRequest(linkMessage, RTM.GETLINK, NLM_F.DUMP, header, attrs);
    const { up, group } = filter;
    const masterIndex = typeof filter.master === 'number' ? filter.master : undefined;
    return this.sock.dump(build, (m) => {
      if (m.type !== RTM.NEWLINK) return undefined;
      const l = decodeLink(m);
      if (up && !(l.flags & IFF.UP)) return undefined;
      if (filter.kind && l.kind !== filter.kind) return undefined;
      if (group !== undefined && l.group !== group) return undefined;
      if (masterIndex !== undefined && l.master !== masterIndex) return undefined;
      return l;
    }, 'list links', opts);
  }

  /** One link by name or index; rejects with a NetlinkError (ENODEV) if absent. */
  async get(ref: LinkRef, opts: RequestOptions & { readonly skipStats?: boolean } = {}): Promise<Link> {
    const header: IfInfoMsg = { ...ifinfomsg.zero, index: typeof ref === 'number' ? ref : 0 };
    const attrs: LinkAttrsShape = {};
    if (typeof ref === 'string') attrs.ifname = ref;
    attrs.ext_mask = RTEXT_FILTER.VF | (opts.skipStats ? RTEXT_FILTER.SKIP_STATS : 0);
    const m = await this.sock.get(rtRequest(linkMessage, RTM.GETLINK, NLM_F.ACK, header, attrs), `get link ${ref}`, opts);
    return decodeLink(m);
  }

  /**
   * Create a link.
   * ```ts
   * await nl.link.add({ ifname: 'br0', kind: 'bridge', stp_state: 1 });
   * await nl.link.add({ ifname: 'veth0', kind: 'veth', peer: { ifname: 'veth1', netns: 'blue' } });
   * await nl.link.add({ ifname: 'vx0', kind: 'vxlan', id: 42, remote: '239.1.1.1', dev: 'eth0', dstport: 4789 });
   * ```
   */
  async add(spec: LinkAddSpec, opts: RequestOptions & { readonly replace?: boolean } = {}): Promise<void> {
    const req = await this.buildAdd(spec, opts);
    await this.modify(RTM.NEWLINK, opts.replace ? REPLACE_FLAGS : CREATE_FLAGS, req, `add link ${spec.ifname}`, opts);
  }

  /** Build (without sending) the RTM_NEWLINK request of {@link add}; resolves names to ifindexes. */
  async buildAdd(spec: LinkAddSpec, opts: RequestOptions = {}): Promise<LinkRequest> {
    checkName(spec.ifname, 'ifname');
    const fds: number[] = [];
    try {
      const attrs: LinkAttrsShape = {};
      if (spec.address !== undefined) { checkLladdr(spec.address, 'address'); attrs.address = spec.address; }
      if (spec.broadcast !== undefined) { checkLladdr(spec.broadcast, 'broadcast'); attrs.broadcast = spec.broadcast; }
      if (spec.txqlen !== undefined) { checkU32(spec.txqlen, 'txqlen'); attrs.txqlen = spec.txqlen; }
      if (spec.mtu !== undefined) { checkU32(spec.mtu, 'mtu'); attrs.mtu = spec.mtu; }
      if (spec.netns !== undefined) Object.assign(attrs, netnsAttrs(spec.netns, fds));
      if (spec.master !== undefined) attrs.master = await this.index(spec.master, opts);
      if (spec.alias !== undefined) attrs.ifalias = spec.alias;
      if (spec.group !== undefined) attrs.group = spec.group;
      if (spec.numtxqueues !== undefined) attrs.num_tx_queues = spec.numtxqueues;
      if (spec.numrxqueues !== undefined) attrs.num_rx_queues = spec.numrxqueues;
      if (spec.link !== undefined) attrs.link = await this.index(spec.link, opts);
      attrs.ifname = spec.ifname;
      const data = await this.kindData(spec, fds, opts);
      attrs.linkinfo = data === undefined ? { kind: spec.kind } : { kind: spec.kind, data };
      const header: IfInfoMsg = { ...ifinfomsg.zero, index: spec.index ?? 0, flags: spec.up ? IFF.UP : 0, change: spec.up ? IFF.UP : 0 };
      return { header, attrs, fds };
    } catch (e) {
      for (const fd of fds) closeSync(fd);
      throw e;
    }
  }

  /** IFLA_INFO_DATA for a kind spec (undefined when the kind has no options given). */
  private async kindData(spec: LinkKindSpec | RawKindSpec, fds: number[], opts: RequestOptions): Promise<KindData | Buffer | undefined> {
    if ('data' in spec) return spec.data;
    // Without `data`, a raw spec of a known kind is that kind's typed spec with
    // no options; one of an unknown kind falls through to the default branch.
    const typed = spec as LinkKindSpec;
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(spec)) if (!COMMON_KEYS.has(k) && v !== undefined) rest[k] = v;
    switch (typed.kind) {
      case 'veth': {
        const p = typed.peer;
        if (!p) return undefined;
        const attrs: LinkAttrsShape = {};
        if (p.ifname !== undefined) { checkName(p.ifname, 'peer.ifname'); }
        if (p.address !== undefined) { checkLladdr(p.address, 'peer.address'); attrs.address = p.address; }
        if (p.txqlen !== undefined) attrs.txqlen = p.txqlen;
        if (p.mtu !== undefined) attrs.mtu = p.mtu;
        if (p.netns !== undefined) Object.assign(attrs, netnsAttrs(p.netns, fds));
        if (p.ifname !== undefined) attrs.ifname = p.ifname;
        return { peer: { header: { ...ifinfomsg.zero }, attrs } };
      }
      case 'bond': {
        if (typed.mode !== undefined) {
          const m = typeof typed.mode === 'number' ? typed.mode : BOND_MODES.indexOf(typed.mode);
          if (m < 0) throw new ValidationError(`invalid bond mode "${String(typed.mode)}"`, 'mode');
          rest.mode = m;
        }
        if (typed.primary !== undefined) rest.primary = await this.index(typed.primary, opts);
        if (typed.active_slave !== undefined) rest.active_slave = await this.index(typed.active_slave, opts);
        break;
      }
      case 'vlan': {
        if (!Number.isInteger(typed.id) || typed.id < 0 || typed.id > 4095) throw new ValidationError(`invalid VLAN id ${typed.id}`, 'id');
        const out: Record<string, unknown> = {};
        if (typed.protocol !== undefined) {
          const p = typeof typed.protocol === 'number' ? typed.protocol : VLAN_PROTO[typed.protocol];
          if (p === undefined) throw new ValidationError(`invalid VLAN protocol "${String(typed.protocol)}"`, 'protocol');
          out.protocol = p;
        }
        for (const [k, v] of Object.entries(rest)) if (k !== 'protocol') out[k] = v;
        return out;
      }
      case 'vxlan': {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(rest)) {
          if (k === 'remote' || k === 'local') {
            const b = parseAddress(String(v));
            if (!b) throw new ValidationError(`invalid ${k} address "${String(v)}"`, k);
            const key = k === 'remote' ? 'group' : 'local';
            out[b.length === 4 ? key : `${key}6`] = v;
          } else if (k === 'dev') out.link = await this.index(v as LinkRef, opts);
          else if (k === 'dstport') out.port = v;
          else out[k] = v;
        }
        return out;
      }
      case 'geneve': {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(rest)) {
          if (k === 'remote') {
            const b = parseAddress(String(v));
            if (!b) throw new ValidationError(`invalid remote address "${String(v)}"`, k);
            out[b.length === 4 ? 'remote' : 'remote6'] = v;
          } else out[k] = v;
        }
        return out;
      }
      case 'macvlan': case 'macvtap':
        if (typed.mode !== undefined) rest.mode = modeByName(MACVLAN_MODE, typed.mode, 'mode');
        break;
      case 'ipvlan': case 'ipvtap':
        if (typed.mode !== undefined) rest.mode = modeByName(IPVLAN_MODE, typed.mode, 'mode');
        break;
      default:
        break;
    }
    return Object.keys(rest).length ? rest : undefined;
  }

  /** Build (without sending) the RTM_NEWLINK request of {@link set}. */
  async buildSet(ref: LinkRef, changes: LinkSetSpec, opts: RequestOptions = {}): Promise<LinkRequest> {
    const fds: number[] = [];
    try {
      const index = await this.index(ref, opts);
      const header: IfInfoMsg = { ...ifinfomsg.zero, index };
      const flag = (on: boolean | undefined, bit: number, invert = false): void => {
        if (on === undefined) return;
        header.change |= bit;
        if (on !== invert) header.flags |= bit;
      };
      flag(changes.up, IFF.UP);
      flag(changes.arp, IFF.NOARP, true);
      flag(changes.multicast, IFF.MULTICAST);
      flag(changes.promisc, IFF.PROMISC);
      flag(changes.allmulticast, IFF.ALLMULTI);
      const attrs: LinkAttrsShape = {};
      if (changes.address !== undefined) { checkLladdr(changes.address, 'address'); attrs.address = changes.address; }
      if (changes.broadcast !== undefined) { checkLladdr(changes.broadcast, 'broadcast'); attrs.broadcast = changes.broadcast; }
      if (changes.txqlen !== undefined) { checkU32(changes.txqlen, 'txqlen'); attrs.txqlen = changes.txqlen; }
      if (changes.mtu !== undefined) { checkU32(changes.mtu, 'mtu'); attrs.mtu = changes.mtu; }
      if (changes.netns !== undefined) Object.assign(attrs, netnsAttrs(changes.netns, fds));
      if (changes.master !== undefined) attrs.master = changes.master === null ? 0 : await this.index(changes.master, opts);
      if (changes.alias !== undefined) attrs.ifalias = changes.alias;
      if (changes.group !== undefined) attrs.group = changes.group;
      if (changes.protoDown !== undefined) attrs.proto_down = changes.protoDown ? 1 : 0;
      if (changes.ifname !== undefined) { checkName(changes.ifname, 'ifname'); attrs.ifname = changes.ifname; }
      if (changes.kindOptions) {
        const data = await this.kindData(changes.kindOptions, fds, opts);
        attrs.linkinfo = data === undefined ? { kind: changes.kindOptions.kind } : { kind: changes.kindOptions.kind, data };
      } else if (changes.slaveOptions) {
        attrs.linkinfo = { slave_kind: changes.slaveOptions.kind, slave_data: changes.slaveOptions.data };
      }
      return { header, attrs, fds };
    } catch (e) {
      for (const fd of fds) closeSync(fd);
      throw e;
    }
  }

  /**
   * Change a link.
   * ```ts
   * await nl.link.set('eth0', { up: true, mtu: 9000, alias: 'uplink' });
   * await nl.link.set('veth1', { netns: 'blue' });
   * await nl.link.set('br0', { kindOptions: { kind: 'bridge', stp_state: 0 } });
   * ```
   */
  async set(ref: LinkRef, changes: LinkSetSpec, opts: RequestOptions = {}): Promise<void> {
    const req = await this.buildSet(ref, changes, opts);
    await this.modify(RTM.NEWLINK, NLM_F.ACK, req, `set link ${ref}`, opts);
  }

  /**
   * Send a built request (RTM_NEWLINK or RTM_DELLINK with `flags`; NLM_F_ACK
   * is the caller's to include) and close its namespace fds.
   */
  async modify(type: number, flags: number, req: LinkRequest, operation: string, opts: RequestOptions = {}): Promise<void> {
    try {
      await this.sock.request(rtRequest(linkMessage, type, flags | NLM_F.ACK, req.header, req.attrs), operation, opts);
    } finally {
      for (const fd of req.fds) closeSync(fd);
    }
  }

  /** Delete a link. */
  async del(ref: LinkRef, opts: RequestOptions = {}): Promise<void> {
    const header: IfInfoMsg = { ...ifinfomsg.zero, index: typeof ref === 'number' ? ref : 0 };
    const attrs: LinkAttrsShape = typeof ref === 'string' ? { ifname: ref } : {};
    await this.sock.request(rtRequest(linkMessage, RTM.DELLINK, NLM_F.ACK, header, attrs), `delete link ${ref}`, opts);
  }

  /** Bring a link up or down. */
  async setUp(ref: LinkRef, up: boolean, opts: RequestOptions = {}): Promise<void> {
    await this.set(ref, { up }, opts);
  }
}
