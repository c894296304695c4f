/**
 * Traffic classes: `nl.class.add/replace/change/del/list/get`, options typed
 * by kind (see {@link ClassOptionsMap}), statistics and kind xstats decoded.
 *
 * ```ts
 * import { htbClass } from 'rip/tc';
 * await nl.class.add({ dev: 'veth0', parent: '1:', classid: '1:10', kind: 'htb',
 *   options: htbClass({ rate: '10mbit', ceil: '20mbit' }) });
 * for await (const c of nl.class.list({ dev: 'veth0' })) console.log(c.classid, c.stats?.bytes);
 * ```
 * @module
 */
import './kinds/index.js';
import { NLM_F, RTM } from '../netlink/constants.js';
import { tcmsg, type TcMsg } from '../netlink/structs.js';
import { rtRequest } from '../netlink/rtnetlink/request.js';
import type { NetlinkSocket, DumpOptions, RequestOptions, MessageView } from '../netlink/socket.js';
import { ValidationError } from '../netlink/errors.js';
import type { LinkApi, LinkRef } from '../netlink/link.js';
import { qdiscKind, type ClassOptionsMap } from './kind.js';
import { classMessage, statistics, CLASS_OPS, type ClassOp, type TcAttrs, type TcStatistics } from './schema.js';

export { CLASS_OPS };
export type { ClassOp };
import { major, toHandle, type HandleLike } from './handle.js';
import { decodeXstats, resolveIfindex, LazyDump, type TcDump } from './qdisc.js';

/** A class as the kernel reports it. */
export interface TcClass {
  readonly kind: string;
  readonly ifindex: number;
  /** The class id (tcm_handle). */
  readonly classid: number;
  readonly parent: number;
  /** Handle of the leaf qdisc attached to this class (tcm_info), 0 if none. */
  readonly leaf: number;
  /** TCA_OPTIONS decoded by the kind's class codec (raw bytes for unknown kinds). */
  readonly options: unknown;
  readonly stats: TcStatistics | undefined;
  /** Kind-specific class statistics (e.g. htb's lends/borrows/tokens). */
  readonly xstats: unknown;
  readonly raw: { readonly type: number; readonly flags: number; readonly header: TcMsg; readonly attrs: TcAttrs };
}

/** Options by kind: typed for kinds whose module augments {@link ClassOptionsMap}. */
export type ClassOptionsOf<K extends string> = K extends keyof ClassOptionsMap ? ClassOptionsMap[K] : unknown;

/** What `nl.class.add/replace/change/del` take. */
export interface ClassSpec<K extends string = string> {
  readonly dev: LinkRef;
  readonly kind?: K;
  /** 'root' or the parent class/qdisc ('1:', '1:1'). */
  readonly parent?: HandleLike;
  /** The class id ('1:10'). */
  readonly classid?: HandleLike;
  /** TCA_OPTIONS as the kind's class codec takes it (e.g. htbClass()), or raw bytes. */
  readonly options?: ClassOptionsOf<K> | Buffer;
  readonly estimator?: { readonly interval: number; readonly ewmaLog: number };
}

/** Filters for {@link ClassApi.list}; `dev` is required by the kernel. */
export interface ClassFilter {
  readonly dev: LinkRef;
  /** Only classes under this parent (filtered by the kernel). */
  readonly parent?: HandleLike;
  /** Only classes of this qdisc (major number). */
  readonly qdisc?: HandleLike;
  /** Only this class. */
  readonly classid?: HandleLike;
}

/** Decode one RTM_NEWTCLASS/RTM_DELTCLASS message. */
export function decodeClass(m: MessageView): TcClass {
  const { header, attrs } = classMessage.decode(m.buf, m.off, m.len);
  return {
    kind: attrs.kind ?? '',
    ifindex: header.ifindex,
    classid: header.handle,
    parent: header.parent,
    leaf: header.info,
    options: attrs.options,
    stats: statistics(attrs),
    get xstats(): unknown { return decodeXstats(attrs, true); },
    raw: { type: m.type, flags: m.flags, header, attrs },
  };
}

/** Class operations on one namespace's rtnetlink socket. */
export class ClassApi {
  constructor(private readonly sock: NetlinkSocket, private readonly links: LinkApi) {}

  private async modify(op: ClassOp, spec: ClassSpec, opts: RequestOptions): Promise<void> {
    if ((op === 'add' || op === 'replace') && !spec.kind) throw new ValidationError(`${op} class: "kind" is required`, 'kind');
    if (spec.kind && spec.options !== undefined && !Buffer.isBuffer(spec.options) && !qdiscKind(spec.kind)?.classOptions) {
      throw new ValidationError(`class kind "${spec.kind}" has no class options schema; pass options as a Buffer`, 'options');
    }
    let parent: number;
    let classid: number;
    try {
      parent = spec.parent === undefined ? 0 : toHandle(spec.parent, 'parent');
      classid = spec.classid === undefined ? 0 : toHandle(spec.classid, 'classid');
    } catch (e) {
      throw new ValidationError((e as Error).message, 'classid');
    }
    const ifindex = await resolveIfindex(this.links, spec.dev, opts);
    const attrs: TcAttrs = {};
    if (spec.kind) attrs.kind = spec.kind;
    if (spec.estimator) attrs.rate = { interval: spec.estimator.interval, ewma_log: spec.estimator.ewmaLog };
    if (spec.options !== undefined) attrs.options = spec.options;
    await this.send(op, { family: 0, ifindex, handle: classid, parent, info: 0 }, attrs, opts);
  }

  /** Send a class request with exactly these header and attributes (used by the `tc` command). */
  async send(op: ClassOp, header: TcMsg, attrs: TcAttrs, opts: RequestOptions = {}): Promise<void> {
    const o = CLASS_OPS[op];
    await this.sock.request(rtRequest(classMessage, o.type, o.flags | NLM_F.ACK, header, attrs), `${op} class${attrs.kind ? ` ${attrs.kind}` : ''}`, opts);
  }

  /** Create a class. */
  add<K extends string>(spec: ClassSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('add', spec, opts); }
  /** Create or change (tc class replace: NLM_F_CREATE). */
  replace<K extends string>(spec: ClassSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('replace', spec, opts); }
  /** Change an existing class. */
  change<K extends string>(spec: ClassSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('change', spec, opts); }
  /** Delete a class. */
  del<K extends string>(spec: ClassSpec<K>, opts: RequestOptions = {}): Promise<void> { return this.modify('del', spec, opts); }

  /**
   * Stream the classes of a device.
   * ```ts
   * for await (const c of nl.class.list({ dev: 'eth0', qdisc: '1:' })) console.log(c.classid);
   * ```
   */
  list(filter: ClassFilter, opts: DumpOptions = {}): TcDump<TcClass> {
    const parent = filter.parent === undefined ? 0 : toHandle(filter.parent, 'parent');
    const q = filter.qdisc === undefined ? 0 : toHandle(filter.qdisc, 'qdisc');
    const classid = filter.classid === undefined ? 0 : toHandle(filter.classid, 'classid');
    const decode = (m: MessageView): TcClass | undefined => {
      if (m.type !== RTM.NEWTCLASS || m.len < tcmsg.size) return undefined;
      const h = m.buf.readUInt32LE(m.off + 8);
      if (q && major(h ^ q)) return undefined;
      if (classid && h !== classid) return undefined;
      return decodeClass(m);
    };
    return new LazyDump(async () => {
      const ifindex = await resolveIfindex(this.links, filter.dev, opts);
      return this.sock.dump(rtRequest(classMessage, RTM.GETTCLASS, NLM_F.DUMP, { family: 0, ifindex, handle: 0, parent, info: 0 }, {}),
        decode, 'list classes', opts);
    });
  }

  /** One class by id, or undefined. */
  async get(filter: ClassFilter & { readonly classid: HandleLike }, opts: DumpOptions = {}): Promise<TcClass | undefined> {
    return (await this.list(filter, opts).toArray())[0];
  }
}
