/**
 * IPsec over NETLINK_XFRM: security associations (`xfrm.state`) and security
 * policies (`xfrm.policy`), one handle per network namespace.
 *
 * ```ts
 * await using x = await Xfrm.open({ netns: 'blue' });
 * await x.state.add({
 *   src: '10.0.0.1', dst: '10.0.0.2', proto: 'esp', spi: 0x1000, mode: 'transport',
 *   enc: { name: 'cbc(aes)', key: Buffer.alloc(16, 1) },
 *   authTrunc: { name: 'hmac(sha256)', key: Buffer.alloc(32, 2), truncLen: 128 },
 * });
 * await x.policy.add({
 *   sel: { src: '10.0.0.1/32', dst: '10.0.0.2/32' }, dir: 'out',
 *   tmpl: [{ src: '10.0.0.1', dst: '10.0.0.2', proto: 'esp', mode: 'transport' }],
 * });
 * for await (const sa of x.state.list()) console.log(sa.src, sa.dst, sa.spi.toString(16), sa.current.bytes);
 * ```
 * @module
 */
import { NetlinkSocket, type NetnsRef, type DumpOptions, type DumpStream, type RequestOptions, type MessageView, type RequestBuilder } from './socket.js';
import { NETLINK, NLM_F } from './constants.js';
import { rtRequest } from './rtnetlink/request.js';
import type { MessageCodec } from './codec/schema.js';
import {
  XFRM_MSG, XFRM_POLICY,
  xfrmSaMessage, xfrmSaIdMessage, xfrmPolicyMessage, xfrmPolicyIdMessage, xfrmSadInfoMessage, xfrmSpdInfoMessage, xfrmExpireMessage, xfrmPolexpireMessage,
  type XfrmAttrs, type XfrmUsersaInfo, type XfrmUserpolicyInfo, type XfrmSelector,
  type XfrmAlgo, type XfrmAlgoAuth, type XfrmAlgoAead,
} from './xfrm-schema.js';
import {
  XFRM_DIRS, xfrmProtoNumber, xfrmAddressText, modeNumber, policyTypeOf, buildState, buildStateId, buildPolicy, buildPolicyId,
  type XfrmProto, type XfrmModeName, type XfrmDir, type XfrmBody, type XfrmStateSpec, type XfrmStateId, type XfrmPolicySpec, type XfrmPolicyId,
} from './xfrm-spec.js';

export {
  XFRM_MSG, XFRMA, XFRM_MODE, XFRM_STATE, XFRM_SA_XFLAG, XFRM_POLICY, XFRM_SHARE, XFRMNLGRP, XFRM_INF,
  type XfrmAlgo, type XfrmAlgoAuth, type XfrmAlgoAead, type XfrmAttrs,
} from './xfrm-schema.js';
export {
  XFRM_PROTOS, XFRM_MODES, XFRM_STATE_FLAGS, XFRM_DIRS, XFRM_ENCAP_TYPES,
  xfrmProtoNumber, xfrmProtoName, xfrmProtoIsIpsec, xfrmProtoIsRo, xfrmAddressText, secCtxOf,
  buildState, buildStateId, buildPolicy, buildPolicyId,
  type XfrmProto, type XfrmModeName, type XfrmStateFlag, type XfrmDir, type XfrmEncapType,
  type XfrmSelectorSpec, type XfrmLimits, type XfrmMarkSpec, type XfrmKeyedAlgoSpec,
  type XfrmStateSpec, type XfrmStateId, type XfrmTmplSpec, type XfrmPolicySpec, type XfrmPolicyId, type XfrmBody,
} from './xfrm-spec.js';

// ---------------------------------------------------------------- decoded objects

/** A decoded selector. */
export interface XfrmSelectorInfo {
  readonly family: number;
  readonly src: string | undefined;
  readonly srcPrefixLen: number;
  readonly dst: string | undefined;
  readonly dstPrefixLen: number;
  readonly proto: number;
  readonly sport: number;
  readonly sportMask: number;
  readonly dport: number;
  readonly dportMask: number;
  readonly ifindex: number;
  readonly user: number;
}

function selectorInfo(s: XfrmSelector, fallbackFamily: number): XfrmSelectorInfo {
  const f = s.family || fallbackFamily;
  return {
    family: s.family, src: xfrmAddressText(f, s.saddr), srcPrefixLen: s.prefixlen_s, dst: xfrmAddressText(f, s.daddr), dstPrefixLen: s.prefixlen_d,
    proto: s.proto, sport: s.sport, sportMask: s.sport_mask, dport: s.dport, dportMask: s.dport_mask, ifindex: s.ifindex | 0, user: s.user,
  };
}

/** A security association as the kernel reports it. */
export interface XfrmState {
  readonly family: number;
  readonly src: string | undefined;
  readonly dst: string | undefined;
  /** XFRM protocol number (50 esp, 51 ah, 108 comp, …). */
  readonly proto: number;
  readonly spi: number;
  readonly mode: number;
  readonly reqid: number;
  readonly seq: number;
  readonly replayWindow: number;
  /** XFRM_STATE_* bits. */
  readonly flags: number;
  readonly sel: XfrmSelectorInfo;
  readonly lifetime: XfrmUsersaInfo['lft'];
  /** Current use: bytes, packets, add and use times (seconds since the epoch). */
  readonly current: XfrmUsersaInfo['curlft'];
  readonly stats: XfrmUsersaInfo['stats'];
  readonly enc: XfrmAlgo | undefined;
  readonly auth: XfrmAlgo | undefined;
  readonly authTrunc: XfrmAlgoAuth | undefined;
  readonly aead: XfrmAlgoAead | undefined;
  readonly comp: XfrmAlgo | undefined;
  readonly mark: { readonly value: number; readonly mask: number } | undefined;
  readonly ifId: number | undefined;
  /** The whole message as decoded. */
  readonly raw: XfrmBody<XfrmUsersaInfo>;
}

/** Decode a usersa_info + attributes. */
export function stateFrom(header: XfrmUsersaInfo, a: XfrmAttrs): XfrmState {
  return {
    family: header.family, src: xfrmAddressText(header.family, header.saddr), dst: xfrmAddressText(header.family, header.id.daddr),
    proto: header.id.proto, spi: header.id.spi, mode: header.mode, reqid: header.reqid, seq: header.seq,
    replayWindow: header.replay_window, flags: header.flags, sel: selectorInfo(header.sel, header.family),
    lifetime: header.lft, current: header.curlft, stats: header.stats,
    enc: a.alg_crypt, auth: a.alg_auth, authTrunc: a.alg_auth_trunc, aead: a.alg_aead, comp: a.alg_comp,
    mark: a.mark ? { value: a.mark.v, mask: a.mark.m } : undefined, ifId: a.if_id,
    raw: { header, attrs: a },
  };
}

/** A template of a policy, decoded. */
export interface XfrmTmplInfo {
  readonly family: number;
  readonly src: string | undefined;
  readonly dst: string | undefined;
  readonly proto: number;
  readonly spi: number;
  readonly reqid: number;
  readonly mode: number;
  /** 1 = optional (`level use`). */
  readonly optional: number;
  readonly share: number;
}

/** A security policy as the kernel reports it. */
export interface XfrmPolicy {
  readonly sel: XfrmSelectorInfo;
  readonly dir: number;
  readonly action: number;
  readonly index: number;
  readonly priority: number;
  readonly flags: number;
  readonly share: number;
  /** XFRM_POLICY_TYPE_* (main unless XFRMA_POLICY_TYPE says otherwise). */
  readonly ptype: number;
  readonly lifetime: XfrmUserpolicyInfo['lft'];
  readonly current: XfrmUserpolicyInfo['curlft'];
  readonly tmpl: readonly XfrmTmplInfo[];
  readonly mark: { readonly value: number; readonly mask: number } | undefined;
  readonly ifId: number | undefined;
  /** The security context text, without its NUL. */
  readonly ctx: string | undefined;
  readonly raw: XfrmBody<XfrmUserpolicyInfo>;
}

/** Decode a userpolicy_info + attributes. */
export function policyFrom(header: XfrmUserpolicyInfo, a: XfrmAttrs): XfrmPolicy {
  return {
    sel: selectorInfo(header.sel, 0), dir: header.dir, action: header.action, index: header.index, priority: header.priority,
    flags: header.flags, share: header.share, ptype: a.policy_type?.type ?? 0, lifetime: header.lft, current: header.curlft,
    tmpl: (a.tmpl ?? []).map((t) => ({
      family: t.family, src: xfrmAddressText(t.family, t.saddr), dst: xfrmAddressText(t.family, t.id.daddr),
      proto: t.id.proto, spi: t.id.spi, reqid: t.reqid, mode: t.mode, optional: t.optional, share: t.share,
    })),
    mark: a.mark ? { value: a.mark.v, mask: a.mark.m } : undefined, ifId: a.if_id,
    ctx: a.sec_ctx ? a.sec_ctx.ctx.toString('utf8').replace(/\0.*$/s, '') : undefined,
    raw: { header, attrs: a },
  };
}

/** Decode a state message (NEWSA/UPDSA/GETSA reply). */
export function decodeState(m: MessageView): XfrmState {
  const { header, attrs } = xfrmSaMessage.decode(m.buf, m.off, m.len);
  return stateFrom(header, attrs);
}

/** Decode a policy message (NEWPOLICY/UPDPOLICY/GETPOLICY reply). */
export function decodePolicy(m: MessageView): XfrmPolicy {
  const { header, attrs } = xfrmPolicyMessage.decode(m.buf, m.off, m.len);
  return policyFrom(header, attrs);
}

// ---------------------------------------------------------------- requests

/** A request of `type` whose body is `codec`'s header + attributes. */
export function xfrmRequest<H>(codec: MessageCodec<H, XfrmAttrs>, type: number, flags: number, body: XfrmBody<H>): RequestBuilder {
  return rtRequest(codec, type, flags, body.header, body.attrs);
}

/** A request with no header struct, just attributes. */
export function xfrmDumpLikeRequest(type: number, flags: number, attrs: XfrmAttrs): RequestBuilder {
  return (w, seq) => {
    const start = w.beginMessage(type, flags | NLM_F.REQUEST, seq);
    xfrmSaMessage.attrs.encode(w, attrs, {});
    w.endMessage(start);
  };
}

/** A dump request: nlmsghdr followed directly by attributes (no header struct). */
export function xfrmDumpRequest(type: number, attrs: XfrmAttrs = {}): RequestBuilder {
  return xfrmDumpLikeRequest(type, NLM_F.DUMP, attrs);
}

/** A request whose body is raw bytes (not padded: nlmsg_len counts only them, as iproute2 sends). */
export function xfrmRawRequest(type: number, flags: number, body: Buffer): RequestBuilder {
  return (w, seq) => {
    const start = w.beginMessage(type, flags | NLM_F.REQUEST, seq);
    w.bytes(body);
    w.endMessage(start);
    // nlmsg_len without the alignment padding (NLMSG_LENGTH, as iproute2 sets it).
    w.buf.writeUInt32LE(16 + body.length, start);
  };
}

/** Filters for {@link XfrmStateApi.list}. */
export interface XfrmStateFilter {
  readonly family?: number;
  readonly proto?: XfrmProto;
  readonly spi?: number;
  readonly mode?: XfrmModeName;
  readonly reqid?: number;
}

/** Counts of the security association database. */
export interface XfrmSadInfo { readonly count: number; readonly buckets: number | undefined; readonly maxBuckets: number | undefined }
/** Counts of the security policy database. */
export interface XfrmSpdInfo {
  readonly in: number; readonly out: number; readonly fwd: number;
  readonly inSocket: number; readonly outSocket: number; readonly fwdSocket: number;
  readonly buckets: number | undefined; readonly maxBuckets: number | undefined;
  readonly hthresh4: { readonly lbits: number; readonly rbits: number } | undefined;
  readonly hthresh6: { readonly lbits: number; readonly rbits: number } | undefined;
}

const ALL = Buffer.from([0xff, 0xff, 0xff, 0xff]);

/** Security associations (`ip xfrm state`). */
export class XfrmStateApi {
  constructor(private readonly sock: NetlinkSocket) {}

  /** Add a state (EEXIST if one with the same id exists). */
  async add(spec: XfrmStateSpec, opts: RequestOptions = {}): Promise<void> {
    await this.sock.request(xfrmRequest(xfrmSaMessage, XFRM_MSG.NEWSA, NLM_F.ACK, buildState(spec)), 'add xfrm state', opts);
  }

  /** Replace an existing state's updatable parts (ESRCH if none). */
  async update(spec: XfrmStateSpec, opts: RequestOptions = {}): Promise<void> {
    await this.sock.request(xfrmRequest(xfrmSaMessage, XFRM_MSG.UPDSA, NLM_F.ACK, buildState(spec)), 'update xfrm state', opts);
  }

  /** One state by id. */
  async get(id: XfrmStateId, opts: RequestOptions = {}): Promise<XfrmState> {
    const r = await this.sock.get(xfrmRequest(xfrmSaIdMessage, XFRM_MSG.GETSA, NLM_F.ACK, buildStateId(id)), 'get xfrm state', opts);
    return decodeState(r);
  }

  /** Delete one state. */
  async delete(id: XfrmStateId, opts: RequestOptions = {}): Promise<void> {
    await this.sock.request(xfrmRequest(xfrmSaIdMessage, XFRM_MSG.DELSA, NLM_F.ACK, buildStateId(id)), 'delete xfrm state', opts);
  }

  /** Every state (filtered in user space, as iproute2 does). */
  list(filter: XfrmStateFilter = {}, opts: DumpOptions = {}): DumpStream<XfrmState> {
    const proto = filter.proto === undefined ? undefined : xfrmProtoNumber(filter.proto);
    const mode = filter.mode === undefined ? undefined : modeNumber(filter.mode);
    const attrs: XfrmAttrs = proto ? { proto } : {};
    return this.sock.dump(xfrmDumpRequest(XFRM_MSG.GETSA, attrs), (m) => {
      if (m.type !== XFRM_MSG.NEWSA) return undefined;
      const s = decodeState(m);
      if (filter.family !== undefined && filter.family !== s.family) return undefined;
      if (proto !== undefined && s.proto !== proto) return undefined;
      if (filter.spi !== undefined && s.spi !== filter.spi) return undefined;
      if (mode !== undefined && s.mode !== mode) return undefined;
      if (filter.reqid !== undefined && s.reqid !== filter.reqid) return undefined;
      return s;
    }, 'list xfrm states', opts);
  }

  /** Delete every state of `proto` (all IPsec protocols when omitted). */
  async flush(proto?: XfrmProto, opts: RequestOptions = {}): Promise<void> {
    const p = proto === undefined ? 0 : xfrmProtoNumber(proto);
    await this.sock.request(xfrmRawRequest(XFRM_MSG.FLUSHSA, NLM_F.ACK, Buffer.from([p])), 'flush xfrm states', opts);
  }

  /** The database size (XFRM_MSG_GETSADINFO). */
  async count(opts: RequestOptions = {}): Promise<XfrmSadInfo> {
    const m = await this.sock.get(xfrmRawRequest(XFRM_MSG.GETSADINFO, NLM_F.ACK, ALL), 'count xfrm states', opts);
    const { attrs } = xfrmSadInfoMessage.decode(m.buf, m.off, m.len);
    return { count: attrs.cnt ?? 0, buckets: attrs.hinfo?.count, maxBuckets: attrs.hinfo?.max };
  }
}

/** Filters for {@link XfrmPolicyApi.list}. */
export interface XfrmPolicyFilter {
  readonly dir?: XfrmDir;
  readonly index?: number;
  readonly ptype?: 'main' | 'sub';
  readonly action?: 'allow' | 'block';
  readonly priority?: number;
  /** Leave out per-socket policies. */
  readonly nosock?: boolean;
}

/** Security policies (`ip xfrm policy`). */
export class XfrmPolicyApi {
  constructor(private readonly sock: NetlinkSocket) {}

  /** Add a policy (EEXIST if one with the same selector and direction exists). */
  async add(spec: XfrmPolicySpec, opts: RequestOptions = {}): Promise<void> {
    await this.sock.request(xfrmRequest(xfrmPolicyMessage, XFRM_MSG.NEWPOLICY, NLM_F.ACK, buildPolicy(spec)), 'add xfrm policy', opts);
  }

  /** Add or replace a policy. */
  async update(spec: XfrmPolicySpec, opts: RequestOptions = {}): Promise<void> {
    await this.sock.request(xfrmRequest(xfrmPolicyMessage, XFRM_MSG.UPDPOLICY, NLM_F.ACK, buildPolicy(spec)), 'update xfrm policy', opts);
  }

  /** One policy by selector or index. */
  async get(id: XfrmPolicyId, opts: RequestOptions = {}): Promise<XfrmPolicy> {
    const r = await this.sock.get(xfrmRequest(xfrmPolicyIdMessage, XFRM_MSG.GETPOLICY, NLM_F.ACK, buildPolicyId(id)), 'get xfrm policy', opts);
    return decodePolicy(r);
  }

  /** Delete one policy. */
  async delete(id: XfrmPolicyId, opts: RequestOptions = {}): Promise<void> {
    await this.sock.request(xfrmRequest(xfrmPolicyIdMessage, XFRM_MSG.DELPOLICY, NLM_F.ACK, buildPolicyId(id)), 'delete xfrm policy', opts);
  }

  /** Every policy (filtered in user space). */
  list(filter: XfrmPolicyFilter = {}, opts: DumpOptions = {}): DumpStream<XfrmPolicy> {
    return this.sock.dump(xfrmDumpRequest(XFRM_MSG.GETPOLICY), (m) => {
      if (m.type !== XFRM_MSG.NEWPOLICY) return undefined;
      const p = decodePolicy(m);
      if (filter.dir !== undefined && p.dir !== XFRM_DIRS[filter.dir]) return undefined;
      if (filter.nosock && p.dir >= XFRM_POLICY.MAX) return undefined;
      if (filter.index !== undefined && p.index !== filter.index) return undefined;
      if (filter.ptype !== undefined && p.ptype !== (filter.ptype === 'sub' ? 1 : 0)) return undefined;
      if (filter.action !== undefined && p.action !== (filter.action === 'block' ? 1 : 0)) return undefined;
      if (filter.priority !== undefined && p.priority !== filter.priority) return undefined;
      return p;
    }, 'list xfrm policies', opts);
  }

  /** Delete every policy (of `ptype`, when given). */
  async flush(ptype?: 'main' | 'sub', opts: RequestOptions = {}): Promise<void> {
    const a: XfrmAttrs = ptype ? { policy_type: policyTypeOf(ptype) } : {};
    await this.sock.request(xfrmDumpLikeRequest(XFRM_MSG.FLUSHPOLICY, NLM_F.ACK, a), 'flush xfrm policies', opts);
  }

  /** The database size (XFRM_MSG_GETSPDINFO). */
  async count(opts: RequestOptions = {}): Promise<XfrmSpdInfo> {
    const m = await this.sock.get(xfrmRawRequest(XFRM_MSG.GETSPDINFO, NLM_F.ACK, ALL), 'count xfrm policies', opts);
    const { attrs } = xfrmSpdInfoMessage.decode(m.buf, m.off, m.len);
    const i = attrs.info;
    return {
      in: i?.incnt ?? 0, out: i?.outcnt ?? 0, fwd: i?.fwdcnt ?? 0, inSocket: i?.inscnt ?? 0, outSocket: i?.outscnt ?? 0, fwdSocket: i?.fwdscnt ?? 0,
      buckets: attrs.hinfo?.count, maxBuckets: attrs.hinfo?.max, hthresh4: attrs.ipv4_hthresh, hthresh6: attrs.ipv6_hthresh,
    };
  }

  /** Set the policy hash thresholds (`ip xfrm policy set hthresh4 L R hthresh6 L R`). */
  async setHthresh(t: { readonly hthresh4?: { lbits: number; rbits: number }; readonly hthresh6?: { lbits: number; rbits: number } }, opts: RequestOptions = {}): Promise<void> {
    const attrs: { ipv4_hthresh?: { lbits: number; rbits: number }; ipv6_hthresh?: { lbits: number; rbits: number } } = {};
    if (t.hthresh4) attrs.ipv4_hthresh = t.hthresh4;
    if (t.hthresh6) attrs.ipv6_hthresh = t.hthresh6;
    await this.sock.request(rtRequest(xfrmSpdInfoMessage, XFRM_MSG.NEWSPDINFO, NLM_F.ACK, { flags: 0xffffffff }, attrs), 'set xfrm policy thresholds', opts);
  }
}

/** XFRM notification groups by name (XFRMNLGRP_*). */
export const XFRM_GROUPS = { acquire: 1, expire: 2, sa: 3, policy: 4, aevents: 5, report: 6, migrate: 7, mapping: 8 } as const;
export type XfrmGroup = keyof typeof XFRM_GROUPS;

/** One XFRM notification. */
export type XfrmEvent =
  | { readonly kind: 'state'; readonly action: 'new' | 'update' | 'delete' | 'expire'; readonly state: XfrmState; readonly hard?: boolean }
  | { readonly kind: 'policy'; readonly action: 'new' | 'update' | 'delete' | 'expire'; readonly policy: XfrmPolicy; readonly hard?: boolean }
  | { readonly kind: 'flush-states'; readonly proto: number }
  | { readonly kind: 'flush-policies'; readonly ptype: number }
  /** Any other message (acquire, report, aevent, mapping, …): its type and a copy of its body. */
  | { readonly kind: 'other'; readonly type: number; readonly body: Buffer }
  /** The kernel dropped notifications (ENOBUFS): re-read the databases. */
  | { readonly kind: 'overflow' };

/** Decode a notification message into an {@link XfrmEvent}. */
export function decodeXfrmEvent(m: MessageView): XfrmEvent {
  switch (m.type) {
    case XFRM_MSG.NEWSA: case XFRM_MSG.UPDSA:
      return { kind: 'state', action: m.type === XFRM_MSG.NEWSA ? 'new' : 'update', state: decodeState(m) };
    case XFRM_MSG.DELSA: {
      const d = xfrmSaIdMessage.decode(m.buf, m.off, m.len);
      if (d.attrs.sa) return { kind: 'state', action: 'delete', state: stateFrom(d.attrs.sa, d.attrs) };
      break;
    }
    case XFRM_MSG.EXPIRE: {
      const d = xfrmExpireMessage.decode(m.buf, m.off, m.len);
      return { kind: 'state', action: 'expire', state: stateFrom(d.header.state, d.attrs), hard: d.header.hard !== 0 };
    }
    case XFRM_MSG.NEWPOLICY: case XFRM_MSG.UPDPOLICY:
      return { kind: 'policy', action: m.type === XFRM_MSG.NEWPOLICY ? 'new' : 'update', policy: decodePolicy(m) };
    case XFRM_MSG.DELPOLICY: {
      const d = xfrmPolicyIdMessage.decode(m.buf, m.off, m.len);
      if (d.attrs.policy) return { kind: 'policy', action: 'delete', policy: policyFrom(d.attrs.policy, d.attrs) };
      break;
    }
    case XFRM_MSG.POLEXPIRE: {
      const d = xfrmPolexpireMessage.decode(m.buf, m.off, m.len);
      return { kind: 'policy', action: 'expire', policy: policyFrom(d.header.pol, d.attrs), hard: d.header.hard !== 0 };
    }
    case XFRM_MSG.FLUSHSA:
      return { kind: 'flush-states', proto: m.len > 0 ? m.buf[m.off]! : 0 };
    case XFRM_MSG.FLUSHPOLICY:
      return { kind: 'flush-policies', ptype: xfrmSaMessage.attrs.decode(m.buf, m.off, m.len, {}).policy_type?.type ?? 0 };
  }
  return { kind: 'other', type: m.type, body: Buffer.from(m.buf.subarray(m.off, m.off + m.len)) };
}

/** Options for {@link Xfrm.open}. */
export interface XfrmOpenOptions {
  readonly netns?: NetnsRef;
  readonly rcvbuf?: number;
}

/**
 * A NETLINK_XFRM handle on one network namespace.
 * ```ts
 * await using x = await Xfrm.open({ netns: 'blue' });
 * console.log((await x.state.count()).count);
 * ```
 */
export class Xfrm implements AsyncDisposable {
  /** Security associations. */
  readonly state: XfrmStateApi;
  /** Security policies. */
  readonly policy: XfrmPolicyApi;

  private constructor(readonly socket: NetlinkSocket, private readonly netns: NetnsRef | undefined) {
    this.state = new XfrmStateApi(socket);
    this.policy = new XfrmPolicyApi(socket);
  }

  /** Open a socket (in `netns`, if given). */
  static async open(opts: XfrmOpenOptions = {}): Promise<Xfrm> {
    const o: { netns?: NetnsRef; rcvbuf?: number } = {};
    if (opts.netns !== undefined) o.netns = opts.netns;
    if (opts.rcvbuf !== undefined) o.rcvbuf = opts.rcvbuf;
    return new Xfrm(NetlinkSocket.open(NETLINK.XFRM, o), opts.netns);
  }

  /**
   * Notifications of `groups` (default: SA, policy and expire) on a socket of
   * their own, until `signal` aborts or the iteration stops.
   * ```ts
   * for await (const ev of x.monitor(['sa', 'policy'], { signal })) if (ev.kind === 'state') console.log(ev.action, ev.state.spi);
   * ```
   */
  async *monitor(groups: readonly XfrmGroup[] = ['sa', 'policy', 'expire'], opts: { readonly signal?: AbortSignal } = {}): AsyncGenerator<XfrmEvent> {
    const sock = NetlinkSocket.open(NETLINK.XFRM, { ...(this.netns !== undefined ? { netns: this.netns } : {}), groups: groups.map((g) => XFRM_GROUPS[g]) });
    const queue: XfrmEvent[] = [];
    let wake: (() => void) | undefined;
    let done = opts.signal?.aborted ?? false;
    const onAbort = (): void => { done = true; wake?.(); };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    // Decode at once: a MessageView points into a receive buffer that is reused.
    const unsub = sock.subscribe((ev) => {
      queue.push(ev.kind === 'overflow' ? { kind: 'overflow' } : decodeXfrmEvent(ev.message));
      wake?.();
    });
    try {
      while (!done) {
        const ev = queue.shift();
        if (ev) { yield ev; continue; }
        await new Promise<void>((r) => { wake = r; });
        wake = undefined;
      }
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      unsub();
      sock.close();
    }
  }

  close(): void { this.socket.close(); }
  async [Symbol.asyncDispose](): Promise<void> { this.close(); }
}

