/**
 * TC filters (classifiers): `nl.filter.add/replace/change/del/get/list`,
 * with options typed by classifier kind (see {@link FilterOptionsMap}),
 * actions and their statistics decoded.
 *
 * ```ts
 * import { Netlink } from 'rip/netlink';
 * import { u32, mirred } from 'rip/tc';
 * await using nl = await Netlink.open({ netns: 'blue' });
 * await nl.qdisc.add({ dev: 'veth0', kind: 'clsact' });
 * const to = (await nl.link.get('veth1')).ifindex;
 * await nl.filter.add({ dev: 'veth0', parent: 'ingress', protocol: 'ip', prio: 10, kind: 'u32',
 *   options: u32({ match: [{ ip: { dst: '10.1.0.0/16' } }], actions: [mirred({ direction: 'egress', mode: 'redirect', ifindex: to })] }) });
 * for await (const f of nl.filter.list({ dev: 'veth0', parent: 'ingress' })) console.log(f.kind, f.prio, f.handle);
 * ```
 * @module
 */
import './filters/index.js';
import { attrs, attr, cstring, u8, u32, bytes, flag, variant, message, type Infer, type Codec } from '../netlink/codec/schema.js';
import { NLM_F, RTM } from '../netlink/constants.js';
import { tcmsg, type TcMsg } from '../netlink/structs.js';
import { rtRequest } from '../netlink/rtnetlink/request.js';
import type { NetlinkSocket, DumpOptions, RequestOptions, MessageView } from '../netlink/socket.js';
import { ValidationError } from '../netlink/errors.js';
import type { LinkApi, LinkRef } from '../netlink/link.js';
import { TCA, stats2Attrs, tcStatsStruct, tcEstimator, bitfield32, statistics, type TcStatistics } from './schema.js';
import { filterKind, htons, llProtoId, type FilterOptionsMap } from './filter-kind.js';
import { TC_H, toHandle, type HandleLike } from './handle.js';
import { resolveIfindex, LazyDump, type TcDump } from './qdisc.js';

/** tcm_ifindex of a request that addresses a shared block (tcm_parent then holds the block index). */
export const TCM_IFINDEX_MAGIC_BLOCK = 0xffffffff;

/** Parents of clsact's / ingress's hooks as tc filter names them. */
export const TC_H_MIN_INGRESS = 0xfff2;
export const TC_H_MIN_EGRESS = 0xfff3;
/** `ingress` and `egress` parents (TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS/EGRESS)). */
export const FILTER_PARENT = { ROOT: TC_H.ROOT, INGRESS: 0xfffffff2, EGRESS: 0xfffffff3 } as const;

/** TCA attributes of filter messages (TCA_OPTIONS by the classifier's codec). */
export const filterAttrs = attrs('TCA(filter)', {
  chain: attr(TCA.CHAIN, u32),
  kind: attr(TCA.KIND, cstring),
  options: attr(TCA.OPTIONS, variant<unknown>('TCA(filter).TCA_OPTIONS', 'kind', (k) => filterKind(k)?.options as Codec<unknown> | undefined)),
  stats: attr(TCA.STATS, tcStatsStruct),
  xstats: attr(TCA.XSTATS, bytes),
  rate: attr(TCA.RATE, tcEstimator),
  fcnt: attr(TCA.FCNT, u32),
  stats2: attr(TCA.STATS2, stats2Attrs),
  pad: attr(TCA.PAD, bytes),
  dump_invisible: attr(TCA.DUMP_INVISIBLE, flag),
  hw_offload: attr(TCA.HW_OFFLOAD, u8),
  dump_flags: attr(TCA.DUMP_FLAGS, bitfield32),
  ext_warn_msg: attr(TCA.EXT_WARN_MSG, cstring),
});
/** Decoded filter TCA attributes. */
export type FilterAttrs = Infer<typeof filterAttrs>;

/** RTM_NEWTFILTER/DELTFILTER/GETTFILTER body. */
export const filterMessage = message('RTM_NEWTFILTER', tcmsg, filterAttrs);

/** Filter operations and tc's netlink flags for them (NLM_F_ACK is added when sending). */
export const FILTER_OPS = {
  add: { type: RTM.NEWTFILTER, flags: NLM_F.EXCL | NLM_F.CREATE },
  change: { type: RTM.NEWTFILTER, flags: 0 },
  replace: { type: RTM.NEWTFILTER, flags: NLM_F.CREATE },
  del: { type: RTM.DELTFILTER, flags: 0 },
} as const;
/** A modifying filter operation. */
export type FilterOp = keyof typeof FILTER_OPS;

/** A filter as the kernel reports it. Field names follow `tc -j filter` keys where they exist. */
export interface Filter {
  readonly kind: string;
  /** Device of the filter (0 for a shared block). */
  readonly ifindex: number;
  /** Shared block index (filters of a block). */
  readonly block: number | undefined;
  readonly parent: number;
  /** Filter handle (tcm_handle; `fh` in u32's output). */
  readonly handle: number;
  /** Priority (`pref`). */
  readonly pref: number;
  /** Link-layer protocol, host order (ETH_P_*: 0x0800 for ip, 3 for all). */
  readonly protocol: number;
  readonly chain: number | undefined;
  /** TCA_OPTIONS decoded by the classifier's codec (raw bytes for kinds rip does not know; undefined when absent). */
  readonly options: unknown;
  readonly stats: TcStatistics | undefined;
  readonly raw: { readonly type: number; readonly flags: number; readonly header: TcMsg; readonly attrs: FilterAttrs };
}

/** Options by kind: typed for classifiers whose module augments {@link FilterOptionsMap}. */
export type FilterOptionsOf<K extends string> = K extends keyof FilterOptionsMap ? FilterOptionsMap[K] : unknown;

/** Where a filter lives: a device or a shared block. */
export type FilterTarget = { readonly dev: LinkRef; readonly block?: undefined } | { readonly block: number; readonly dev?: undefined };

/** What `nl.filter.add/replace/change/del/get` take. */
export type FilterSpec<K extends string = string> = FilterTarget & {
  readonly kind?: K;
  /** 'root', 'ingress', 'egress', a class id ('1:10', 'ffff:') or a number. */
  readonly parent?: HandleLike;
  /** ETH_P_* protocol: a tc name ('ip', 'ipv6', 'all', '802.1Q') or a number (host order). Default 'all' for add/replace. */
  readonly protocol?: string | number;
  /** Priority 1..65535 (`pref`); 0 lets the kernel choose. */
  readonly prio?: number;
  /** Filter handle (tcm_handle), in the classifier's numbering. */
  readonly handle?: number;
  readonly chain?: number;
  /** TCA_OPTIONS as the classifier's codec takes it (use the builders, e.g. u32()), or raw bytes. */
  readonly options?: FilterOptionsOf<K> | Buffer;
  readonly estimator?: { readonly interval: number; readonly ewmaLog: number };
};

/** Filters for {@link FilterApi.list}. */
export type FilterQuery = FilterTarget & {
  readonly parent?: HandleLike;
  readonly prio?: number;
  readonly protocol?: string | number;
  readonly chain?: number;
  /** Only filters of this kind (filtered in user space). */
  readonly kind?: string;
};

/** Resolve a filter parent ('ingress'/'egress' are clsact's hooks, as tc filter names them). */
export function filterParent(h: HandleLike): number {
  if (h === 'ingress') return FILTER_PARENT.INGRESS;
  if (h === 'egress') return FILTER_PARENT.EGRESS;
  if (h === 'root') return TC_H.ROOT;
  return toHandle(h, 'parent');
}

/** A protocol by tc name or number, host order. */
export function filterProtocol(p: string | number): number {
  if (typeof p === 'number') {
    if (!Number.isInteger(p) || p < 0 || p > 0xffff) throw new RangeError(`invalid protocol ${p}`);
    return p;
  }
  const v = llProtoId(p);
  if (v === undefined) throw new RangeError(`invalid protocol "${p}"`);
  return v;
}

/** Decode one RTM_NEWTFILTER/RTM_DELTFILTER message. */
export function decodeFilter(m: MessageView): Filter {
  const { header, attrs: a } = filterMessage.decode(m.buf, m.off, m.len);
  const block = header.ifindex === -1 ? header.parent : undefined;
  return {
    kind: a.kind ?? '',
    ifindex: block === undefined ? header.ifindex : 0,
    block,
    parent: block === undefined ? header.parent : 0,
    handle: header.handle,
    pref: header.info >>> 16,
    protocol: htons(header.info & 0xffff),
    chain: a.chain,
    options: a.options,
    stats: statistics(a),
    raw: { type: m.type, flags: m.flags, header, attrs: a },
  };
}

/** Filter operations on one namespace's rtnetlink socket. */
export class FilterApi {
  constructor(private readonly sock: NetlinkSocket, private readonly links: LinkApi) {}

  private async header(spec: FilterTarget & { parent?: HandleLike; protocol?: string | number; prio?: number; handle?: number }, defaultProto: number, opts: RequestOptions): Promise<TcMsg> {
    let parent: number;
    let proto: number;
    try {
      parent = spec.parent === undefined ? 0 : filterParent(spec.parent);
      proto = spec.protocol === undefined ? defaultProto : filterProtocol(spec.protocol);
    } catch (e) {
      throw new ValidationError((e as Error).message, 'parent');
    }
    const prio = spec.prio ?? 0;
    if (!Number.isInteger(prio) || prio < 0 || prio > 0xffff) throw new ValidationError(`invalid prio ${prio}`, 'prio');
    const info = ((prio << 16) | htons(proto)) >>> 0;
    if (spec.block !== undefined) {
      if (spec.dev !== undefined) throw new ValidationError('"dev" and "block" are mutually exclusive', 'block');
      return { family: 0, ifindex: -1, handle: spec.handle ?? 0, parent: spec.block, info };
    }
    const ifindex = await resolveIfindex(this.links, spec.dev, opts);
    return { family: 0, ifindex, handle: spec.handle ?? 0, parent, info };
  }

  private async modify(op: FilterOp, spec: FilterSpec, opts: RequestOptions): Promise<void> {
    if ((op === 'add' || op === 'replace') && !spec.kind) throw new ValidationError(`${op} filter: "kind" is required`, 'kind');
    if (spec.options !== undefined && spec.kind && !Buffer.isBuffer(spec.options) && !filterKind(spec.kind)) {
      throw new ValidationError(`filter kind "${spec.kind}" has no options schema; pass options as a Buffer`, 'options');
    }
    // tc defaults the protocol to ETH_P_ALL only when creating.
    const header = await this.header(spec, op === 'add' || op === 'replace' ? 0x0003 : 0, opts);
    const a: FilterAttrs = {};
    if (spec.chain !== undefined) a.chain = spec.chain;
    if (spec.kind) a.kind = spec.kind;
    if (spec.options !== undefined) a.options = spec.options;
    if (spec.estimator) a.rate = { interval: spec.estimator.interval, ewma_log: spec.estimator.ewmaLog };
    await this.send(op, header, a, opts);
  }

  /** Send a filter request with exactly these header and attributes (the `tc` command uses this). */
  async send(op: FilterOp, header: TcMsg, a: FilterAttrs, opts: RequestOptions = {}): Promise<void> {
    const o = FILTER_OPS[op];
    await this.sock.request(rtRequest(filterMessage, o.type, o.flags | NLM_F.ACK, header, a), `${op} filter${a.kind ? ` ${a.kind}` : ''}`, opts);
  }

  /** Create a filter (EEXIST if the handle is taken). */
  add<K extends string>(spec: FilterSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('add', spec, opts); }
  /** Create or replace (tc filter replace: NLM_F_CREATE). */
  replace<K extends string>(spec: FilterSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('replace', spec, opts); }
  /** Change an existing filter. */
  change<K extends string>(spec: FilterSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('change', spec, opts); }
  /** Delete one filter (prio + protocol + kind + handle), or all filters of a prio, or all of a parent. */
  del<K extends string>(spec: FilterSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('del', spec, opts); }

  /**
   * One filter (RTM_GETTFILTER): `parent`, `protocol`, `prio`, `kind` and `handle` are needed, as for tc filter get.
   * ```ts
   * const f = await nl.filter.get({ dev: 'eth0', parent: 'ingress', protocol: 'ip', prio: 10, kind: 'u32', handle: 0x800800 });
   * ```
   */
  async get(spec: FilterSpec & { readonly kind: string; readonly handle: number; readonly prio: number; readonly protocol: string | number }, opts: RequestOptions = {}): Promise<Filter> {
    if (spec.parent === undefined && spec.block === undefined) throw new ValidationError('get filter: "parent" is required', 'parent');
    const header = await this.header(spec, 0, opts);
    const a: FilterAttrs = {};
    if (spec.chain !== undefined) a.chain = spec.chain;
    a.kind = spec.kind;
    const replies = await this.sock.request(rtRequest(filterMessage, RTM.GETTFILTER, NLM_F.ECHO | NLM_F.ACK, header, a), `get filter ${spec.kind}`, opts);
    const m = replies.find((r) => r.type === RTM.NEWTFILTER);
    if (!m) throw new Error(`get filter ${spec.kind}: no reply`);
    return decodeFilter(m);
  }

  /**
   * Stream the filters of a device's qdisc or class (the root qdisc's when
   * `parent` is absent, as the kernel does) or of a shared block.
   * ```ts
   * for await (const f of nl.filter.list({ dev: 'eth0', parent: 'ingress' })) console.log(f.kind, f.pref);
   * ```
   */
  list(q: FilterQuery, opts: DumpOptions = {}): TcDump<Filter> {
    const decode = (m: MessageView): Filter | undefined => {
      if (m.type !== RTM.NEWTFILTER || m.len < tcmsg.size) return undefined;
      const f = decodeFilter(m);
      return q.kind === undefined || f.kind === q.kind ? f : undefined;
    };
    return new LazyDump(async () => {
      const header = await this.header(q, 0, opts);
      const a: FilterAttrs = q.chain !== undefined ? { chain: q.chain } : {};
      return this.sock.dump(rtRequest(filterMessage, RTM.GETTFILTER, NLM_F.DUMP, header, a), decode, 'list filters', opts);
    });
  }
}
