/**
 * Qdiscs: `nl.qdisc.add/replace/change/link/del/list/get`, with options
 * typed by kind (see {@link QdiscOptionsMap}) and statistics decoded.
 *
 * ```ts
 * import { Netlink } from 'rip/netlink';
 * import { htbQdisc } from 'rip/tc';
 * await using nl = await Netlink.open({ netns: 'blue' });
 * await nl.qdisc.add({ dev: 'veth0', parent: 'root', handle: '1:', kind: 'htb', options: htbQdisc({ default: 0x10 }) });
 * for await (const q of nl.qdisc.list({ dev: 'veth0' })) console.log(q.kind, q.stats?.bytes);
 * ```
 * @module
 */
import './kinds/index.js';
import { NLM_F, RTM } from '../netlink/constants.js';
import { tcmsg, type TcMsg } from '../netlink/structs.js';
import { rtRequest } from '../netlink/rtnetlink/request.js';
import type { NetlinkSocket, DumpOptions, DumpStream, RequestOptions, MessageView } from '../netlink/socket.js';
import { ValidationError } from '../netlink/errors.js';
import type { LinkApi, LinkRef } from '../netlink/link.js';
import { qdiscKind, type QdiscOptionsMap, type TcEnv } from './kind.js';
import { qdiscMessage, statistics, TCA, QDISC_OPS, type QdiscOp, type TcAttrs, type TcStatistics } from './schema.js';
import { TC_H, toHandle, type HandleLike } from './handle.js';

/** A qdisc as the kernel reports it. Field names follow `tc -j qdisc` keys where they exist. */
export interface Qdisc {
  readonly kind: string;
  readonly ifindex: number;
  readonly handle: number;
  /** TC_H_ROOT for root qdiscs, TC_H_INGRESS for ingress/clsact, else the parent class. */
  readonly parent: number;
  /** tcm_info: the qdisc's reference count. */
  readonly refcnt: number;
  /** TCA_OPTIONS decoded by the kind's codec (raw bytes for kinds rip does not know). */
  readonly options: unknown;
  /** Generic statistics (TCA_STATS2, or legacy TCA_STATS). */
  readonly stats: TcStatistics | undefined;
  /** Kind-specific statistics (TCA_STATS_APP / TCA_XSTATS) decoded by the kind. */
  readonly xstats: unknown;
  readonly offloaded: boolean;
  readonly ingressBlock: number | undefined;
  readonly egressBlock: number | undefined;
  /** The message as decoded. */
  readonly raw: { readonly type: number; readonly flags: number; readonly header: TcMsg; readonly attrs: TcAttrs };
}

/** Options by kind: typed for kinds whose module augments {@link QdiscOptionsMap}. */
export type QdiscOptionsOf<K extends string> = K extends keyof QdiscOptionsMap ? QdiscOptionsMap[K] : unknown;

/** What `nl.qdisc.add/replace/change/link/del` take. */
export interface QdiscSpec<K extends string = string> {
  /** Device name or ifindex. */
  readonly dev: LinkRef;
  readonly kind?: K;
  /** 'root', 'ingress', 'clsact', a class id ('1:10') or a number. Default: root, or ingress for ingress/clsact kinds. */
  readonly parent?: HandleLike;
  /** Qdisc handle ('1:', or a number with minor 0). */
  readonly handle?: HandleLike;
  /** TCA_OPTIONS as the kind's codec takes it (use the kind's builders, e.g. htbQdisc()), or raw bytes. */
  readonly options?: QdiscOptionsOf<K> | Buffer;
  /** TCA_RATE: rate estimator (interval as tc's `estimator` computes it). */
  readonly estimator?: { readonly interval: number; readonly ewmaLog: number };
  readonly ingressBlock?: number;
  readonly egressBlock?: number;
  /** TCA_STAB, as encoded by the stab schema. */
  readonly stab?: TcAttrs['stab'];
}

/** Filters for {@link QdiscApi.list}. */
export interface QdiscFilter {
  readonly dev?: LinkRef;
  /** Only qdiscs with this parent. */
  readonly parent?: HandleLike;
  /** Only the qdisc with this handle. */
  readonly handle?: HandleLike;
  /** Also dump invisible (default) qdiscs (TCA_DUMP_INVISIBLE). */
  readonly invisible?: boolean;
}

/** Default TcEnv for kind parsers called by the library. */
export const LIBRARY_ENV: TcEnv = { ifindex: 0, iec: false, stats: 0, details: 0, raw: false };

/** Decode the xstats of a tc message with the kind's codec (STATS_APP preferred, as tc). */
export function decodeXstats(attrs: TcAttrs, forClass: boolean): unknown {
  const k = attrs.kind === undefined ? undefined : qdiscKind(attrs.kind);
  const codec = forClass ? k?.classXstats : k?.xstats;
  const app = attrs.stats2?.app;
  if (app !== undefined) return codec ? codec.decode(app, 0, app.length, attrs as Record<string, unknown>) : app;
  return attrs.xstats;
}

/** Decode one RTM_NEWQDISC/RTM_DELQDISC message. */
export function decodeQdisc(m: MessageView): Qdisc {
  const { header, attrs } = qdiscMessage.decode(m.buf, m.off, m.len);
  return {
    kind: attrs.kind ?? '',
    ifindex: header.ifindex,
    handle: header.handle,
    parent: header.parent,
    refcnt: header.info,
    options: attrs.options,
    stats: statistics(attrs),
    get xstats(): unknown { return decodeXstats(attrs, false); },
    offloaded: !!attrs.hw_offload,
    ingressBlock: attrs.ingress_block,
    egressBlock: attrs.egress_block,
    raw: { type: m.type, flags: m.flags, header, attrs },
  };
}

/** Resolve a device to its ifindex with one RTM_GETLINK (numbers are taken as is). */
export async function resolveIfindex(links: LinkApi, dev: LinkRef, opts: RequestOptions): Promise<number> {
  if (typeof dev === 'number') return dev;
  return (await links.get(dev, opts)).ifindex;
}

/**
 * The TCA attributes of a modify request, in tc's order (kind, rate,
 * ingress/egress block, options, stab), so bytes equal iproute2's.
 */
export function qdiscRequestAttrs(spec: Omit<QdiscSpec, 'dev'>, forDelete: boolean): TcAttrs {
  const a: TcAttrs = {};
  if (spec.kind) a.kind = spec.kind;
  if (spec.estimator) a.rate = { interval: spec.estimator.interval, ewma_log: spec.estimator.ewmaLog };
  if (spec.ingressBlock) a.ingress_block = spec.ingressBlock;
  if (spec.egressBlock) a.egress_block = spec.egressBlock;
  let options: unknown = spec.options;
  if (options === undefined && spec.kind && !forDelete) {
    const k = qdiscKind(spec.kind);
    // Kinds whose tc always sends TCA_OPTIONS get their defaults (e.g. htb's TCA_HTB_INIT).
    if (k?.alwaysSendOptions && k.parse) options = k.parse([], LIBRARY_ENV);
  }
  if (options !== undefined) a.options = options;
  if (spec.stab) a.stab = spec.stab;
  return a;
}

function defaultParent(kind: string | undefined): number {
  return kind === 'ingress' || kind === 'clsact' ? TC_H.INGRESS : TC_H.ROOT;
}

/** Qdisc operations on one namespace's rtnetlink socket. */
export class QdiscApi {
  constructor(private readonly sock: NetlinkSocket, private readonly links: LinkApi) {}

  /** Build and send one modify request; `header` fields default as tc's (parent/handle for ingress, clsact). */
  private async modify(op: QdiscOp, spec: QdiscSpec, opts: RequestOptions): Promise<void> {
    if (op !== 'del' && op !== 'change' && !spec.kind) throw new ValidationError(`${op} qdisc: "kind" is required`, 'kind');
    if (spec.options !== undefined && spec.kind && !Buffer.isBuffer(spec.options)) {
      const k = qdiscKind(spec.kind);
      if (!k?.options) throw new ValidationError(`qdisc kind "${spec.kind}" has no options schema; pass options as a Buffer`, 'options');
    }
    let parent: number;
    let handle: number;
    try {
      parent = spec.parent === undefined ? defaultParent(spec.kind) : toHandle(spec.parent, 'parent');
      const ingressLike = spec.parent === undefined ? parent === TC_H.INGRESS : spec.parent === 'ingress' || spec.parent === 'clsact';
      handle = spec.handle === undefined ? (ingressLike ? 0xffff0000 : 0) : toHandle(spec.handle, 'handle');
    } catch (e) {
      throw new ValidationError((e as Error).message, 'handle');
    }
    const ifindex = await resolveIfindex(this.links, spec.dev, opts);
    const header: TcMsg = { family: 0, ifindex, handle, parent, info: 0 };
    const attrs = qdiscRequestAttrs(spec, op === 'del');
    await this.send(op, header, attrs, opts);
  }

  /**
   * Send a qdisc request with exactly these header and attributes (the
   * `tc` command uses this to reproduce iproute2's bytes).
   */
  async send(op: QdiscOp, header: TcMsg, attrs: TcAttrs, opts: RequestOptions = {}): Promise<void> {
    const o = QDISC_OPS[op];
    const what = `${op} qdisc${attrs.kind ? ` ${attrs.kind}` : ''}`;
    await this.sock.request(rtRequest(qdiscMessage, o.type, o.flags | NLM_F.ACK, header, attrs), what, opts);
  }

  /** Create a qdisc (fails with EEXIST if one is there). */
  add<K extends string>(spec: QdiscSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('add', spec, opts); }
  /** Create or replace. */
  replace<K extends string>(spec: QdiscSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('replace', spec, opts); }
  /** Change the options of an existing qdisc. */
  change<K extends string>(spec: QdiscSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('change', spec, opts); }
  /** Replace an existing qdisc only (tc qdisc link). */
  link<K extends string>(spec: QdiscSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('link', spec, opts); }
  /** Delete a qdisc (by parent and/or handle; kind optional). */
  del<K extends string>(spec: QdiscSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('del', spec, opts); }

  /**
   * Stream qdiscs (filtered in user space like tc; the kernel dumps all devices).
   * ```ts
   * const qs = await nl.qdisc.list({ dev: 'eth0' }).toArray();
   * ```
   */
  list(filter: QdiscFilter = {}, opts: DumpOptions = {}): TcDump<Qdisc> {
    let ifindex = typeof filter.dev === 'number' ? filter.dev : 0;
    const parent = filter.parent === undefined ? 0 : toHandle(filter.parent, 'parent');
    const handle = filter.handle === undefined ? 0 : toHandle(filter.handle, 'handle');
    const devName = typeof filter.dev === 'string' ? filter.dev : undefined;
    const sock = this.sock;
    const links = this.links;
    const build = (w: Parameters<Parameters<NetlinkSocket['dump']>[0]>[0], seq: number): void => {
      const attrs: TcAttrs = filter.invisible ? { dump_invisible: true } : {};
      rtRequest(qdiscMessage, RTM.GETQDISC, NLM_F.DUMP, { family: 0, ifindex, handle: 0, parent: 0, info: 0 }, attrs)(w, seq);
    };
    const decode = (m: MessageView): Qdisc | undefined => {
      if (m.type !== RTM.NEWQDISC) return undefined;
      if (m.len < tcmsg.size) return undefined;
      const hIf = m.buf.readInt32LE(m.off + 4);
      if (ifindex && hIf !== ifindex) return undefined;
      if (handle && m.buf.readUInt32LE(m.off + 8) !== handle) return undefined;
      if (parent && m.buf.readUInt32LE(m.off + 12) !== parent) return undefined;
      return decodeQdisc(m);
    };
    if (devName === undefined) return sock.dump(build, decode, 'list qdiscs', opts);
    // Resolve the name first; the dump starts once the index is known.
    return new LazyDump(async () => {
      ifindex = (await links.get(devName, opts)).ifindex;
      return sock.dump(build, decode, 'list qdiscs', opts);
    });
  }

  /** The first qdisc matching `filter` (e.g. `{ dev: 'eth0', parent: 'root' }`), or undefined. */
  async get(filter: QdiscFilter, opts: DumpOptions = {}): Promise<Qdisc | undefined> {
    const dev = typeof filter.dev === 'string' ? await resolveIfindex(this.links, filter.dev, opts) : filter.dev;
    const all = await this.list({ ...filter, ...(dev !== undefined ? { dev } : {}) }, opts).toArray();
    return all[0];
  }
}

export { TCA, QDISC_OPS };
export type { QdiscOp };

/** A streaming dump: async iterable, with `toArray()` and `batches()` like the socket's DumpStream. */
export interface TcDump<T> extends AsyncIterable<T> {
  toArray(): Promise<T[]>;
  batches(): AsyncGenerator<T[], void, undefined>;
}

/** A dump that needs an async step (a name lookup) before it can start. */
export class LazyDump<T> implements TcDump<T> {
  constructor(private readonly start: () => Promise<DumpStream<T>>) {}
  async toArray(): Promise<T[]> { return (await this.start()).toArray(); }
  async *batches(): AsyncGenerator<T[], void, undefined> { yield* (await this.start()).batches(); }
  async *[Symbol.asyncIterator](): AsyncIterator<T> { yield* await this.start(); }
}
