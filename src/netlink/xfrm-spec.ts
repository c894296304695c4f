/**
 * What `Xfrm` sends: the typed specs of states, policies and their ids
 * (`XfrmStateSpec`, `XfrmPolicySpec`, …), the name tables they use, and the
 * builders that turn a spec into the header struct + XFRMA_* attributes of
 * one NETLINK_XFRM request body, in the order iproute2 sends them.
 * xfrm.ts decodes replies and holds the API on top.
 * @module
 */
import { ValidationError } from './errors.js';
import { formatAddress, parseAddress } from './addr.js';
import {
  XFRM_MODE, XFRM_STATE, XFRM_POLICY, XFRM_INF, XFRMA_REPLAY_ESN_MAX,
  xfrmUsersaInfo, xfrmUserpolicyInfo, xfrmSelector, xfrmUserTmpl,
  type XfrmAttrs, type XfrmUsersaInfo, type XfrmUsersaId, type XfrmUserpolicyInfo, type XfrmSelector, type XfrmUserTmpl,
  type XfrmAlgo, type XfrmUserpolicyId,
} from './xfrm-schema.js';

const AF_INET = 2, AF_INET6 = 10;
const IPPROTO = { ESP: 50, AH: 51, COMP: 108, ROUTING: 43, DSTOPTS: 60 } as const;

/** XFRM protocol names as iproute2 spells them, and their numbers. */
export const XFRM_PROTOS = { esp: IPPROTO.ESP, ah: IPPROTO.AH, comp: IPPROTO.COMP, route2: IPPROTO.ROUTING, hao: IPPROTO.DSTOPTS, 'ipsec-any': 255 } as const;
/** An XFRM protocol by name (or its number). */
export type XfrmProto = keyof typeof XFRM_PROTOS | number;
/** Modes by name. */
export const XFRM_MODES = { transport: XFRM_MODE.TRANSPORT, tunnel: XFRM_MODE.TUNNEL, ro: XFRM_MODE.ROUTEOPTIMIZATION, in_trigger: XFRM_MODE.IN_TRIGGER, beet: XFRM_MODE.BEET } as const;
export type XfrmModeName = keyof typeof XFRM_MODES;
/** State flags by name (iproute2's FLAG words). */
export const XFRM_STATE_FLAGS = {
  noecn: XFRM_STATE.NOECN, 'decap-dscp': XFRM_STATE.DECAP_DSCP, nopmtudisc: XFRM_STATE.NOPMTUDISC, wildrecv: XFRM_STATE.WILDRECV,
  icmp: XFRM_STATE.ICMP, 'af-unspec': XFRM_STATE.AF_UNSPEC, align4: XFRM_STATE.ALIGN4, esn: XFRM_STATE.ESN,
} as const;
export type XfrmStateFlag = keyof typeof XFRM_STATE_FLAGS;
/** Policy directions. */
export const XFRM_DIRS = { in: XFRM_POLICY.IN, out: XFRM_POLICY.OUT, fwd: XFRM_POLICY.FWD } as const;
export type XfrmDir = keyof typeof XFRM_DIRS;
/** UDP/TCP encapsulation types (linux/udp.h, linux/tcp.h). */
export const XFRM_ENCAP_TYPES = { 'espinudp-nonike': 1, espinudp: 2, espintcp: 7 } as const;
export type XfrmEncapType = keyof typeof XFRM_ENCAP_TYPES;

/** Protocol number of a name or number. */
export function xfrmProtoNumber(p: XfrmProto): number {
  if (typeof p === 'number') return p;
  const n = XFRM_PROTOS[p];
  if (n === undefined) throw new ValidationError(`unknown XFRM protocol "${String(p)}"`);
  return n;
}

/** iproute2's name of an XFRM protocol (strxf_xfrmproto), or the number as text. */
export function xfrmProtoName(p: number): string {
  for (const [k, v] of Object.entries(XFRM_PROTOS)) if (v === p) return k;
  return String(p);
}

/** True for ESP, AH and IPComp (xfrm_xfrmproto_is_ipsec). */
export function xfrmProtoIsIpsec(p: number): boolean {
  return p === IPPROTO.ESP || p === IPPROTO.AH || p === IPPROTO.COMP;
}

/** True for the Mobile IPv6 route-optimisation protocols (xfrm_xfrmproto_is_ro). */
export function xfrmProtoIsRo(p: number): boolean {
  return p === IPPROTO.ROUTING || p === IPPROTO.DSTOPTS;
}

// ---------------------------------------------------------------- addresses

/** An xfrm_address_t from text; returns the family too. */
function xaddr(text: string): { family: number; bytes: Buffer } {
  const b = parseAddress(text);
  if (!b) throw new ValidationError(`invalid address "${text}"`);
  const out = Buffer.alloc(16);
  b.copy(out);
  return { family: b.length === 4 ? AF_INET : AF_INET6, bytes: out };
}

function xprefix(text: string): { family: number; bytes: Buffer; len: number } {
  const [a, l] = text.split('/');
  const { family, bytes } = xaddr(a!);
  const max = family === AF_INET ? 32 : 128;
  const len = l === undefined ? max : Number(l);
  if (!Number.isInteger(len) || len < 0 || len > max) throw new ValidationError(`invalid prefix length in "${text}"`);
  return { family, bytes, len };
}

/** Text of an xfrm_address_t of `family` (undefined for an unknown family). */
export function xfrmAddressText(family: number, b: Buffer): string | undefined {
  if (family === AF_INET) return formatAddress(b, 0, 4);
  if (family === AF_INET6) return formatAddress(b, 0, 16);
  return undefined;
}

// ---------------------------------------------------------------- specs

/** A traffic selector: which packets a state or policy applies to. */
export interface XfrmSelectorSpec {
  /** Source prefix `ADDR[/LEN]` (full length when no /LEN). */
  readonly src?: string;
  readonly dst?: string;
  /** Upper-layer protocol number (IPPROTO_*), 0 = any. */
  readonly proto?: number;
  readonly sport?: number;
  readonly dport?: number;
  /** ICMP / MH type (stored in the source port). */
  readonly type?: number;
  /** ICMP code (stored in the destination port). */
  readonly code?: number;
  /** Interface index (0 = any). */
  readonly ifindex?: number;
}

/** Lifetime limits (absent = unlimited / no expiry). */
export interface XfrmLimits {
  readonly timeSoft?: bigint; readonly timeHard?: bigint;
  readonly timeUseSoft?: bigint; readonly timeUseHard?: bigint;
  readonly byteSoft?: bigint; readonly byteHard?: bigint;
  readonly packetSoft?: bigint; readonly packetHard?: bigint;
}

/** A mark and mask (mask defaults to 0xffffffff). */
export interface XfrmMarkSpec { readonly value: number; readonly mask?: number }

/** An algorithm with its key (bytes, or text used as the key bytes). */
export interface XfrmKeyedAlgoSpec { readonly name: string; readonly key: Buffer | string }

/** A security association to add or update. */
export interface XfrmStateSpec {
  readonly src: string;
  readonly dst: string;
  readonly proto: XfrmProto;
  readonly spi?: number;
  readonly mode?: XfrmModeName;
  readonly reqid?: number;
  readonly seq?: number;
  readonly replayWindow?: number;
  readonly replaySeq?: number;
  readonly replayOseq?: number;
  readonly replaySeqHi?: number;
  readonly replayOseqHi?: number;
  readonly flags?: readonly XfrmStateFlag[];
  /** XFRM_SA_XFLAG_* bits. */
  readonly extraFlags?: number;
  readonly sel?: XfrmSelectorSpec;
  readonly limits?: XfrmLimits;
  readonly enc?: XfrmKeyedAlgoSpec;
  readonly auth?: XfrmKeyedAlgoSpec;
  readonly authTrunc?: XfrmKeyedAlgoSpec & { readonly truncLen: number };
  readonly aead?: XfrmKeyedAlgoSpec & { readonly icvLen: number };
  readonly comp?: { readonly name: string };
  readonly encap?: { readonly type: XfrmEncapType; readonly sport: number; readonly dport: number; readonly oa: string };
  /** Care-of address (route2/hao). */
  readonly coa?: string;
  /** Security context text. */
  readonly ctx?: string;
  readonly mark?: XfrmMarkSpec;
  readonly ifId?: number;
  readonly tfcpad?: number;
  readonly outputMark?: XfrmMarkSpec;
}

/** Names one state: destination, SPI and protocol (plus source and mark). */
export interface XfrmStateId {
  readonly src?: string;
  readonly dst: string;
  readonly proto: XfrmProto;
  readonly spi: number;
  readonly mark?: XfrmMarkSpec;
}

/** A policy template: which state a policy's traffic needs. */
export interface XfrmTmplSpec {
  readonly src?: string;
  readonly dst?: string;
  readonly proto: XfrmProto;
  readonly spi?: number;
  readonly mode?: XfrmModeName;
  readonly reqid?: number;
  /** `use` makes the template optional. */
  readonly level?: 'required' | 'use';
}

/** A security policy to add or update. */
export interface XfrmPolicySpec {
  readonly sel: XfrmSelectorSpec;
  readonly dir: XfrmDir;
  readonly ctx?: string;
  readonly mark?: XfrmMarkSpec;
  readonly index?: number;
  readonly ptype?: 'main' | 'sub';
  readonly action?: 'allow' | 'block';
  readonly priority?: number;
  readonly flags?: ReadonlyArray<'localok' | 'icmp'>;
  readonly ifId?: number;
  readonly limits?: XfrmLimits;
  readonly tmpl?: readonly XfrmTmplSpec[];
}

/** Names one policy: by selector or by index, and direction. */
export interface XfrmPolicyId {
  readonly sel?: XfrmSelectorSpec;
  readonly index?: number;
  readonly dir: XfrmDir;
  readonly ptype?: 'main' | 'sub';
  readonly mark?: XfrmMarkSpec;
  readonly ifId?: number;
}

/** A message body: header struct + attributes. */
export interface XfrmBody<H> { header: H; attrs: XfrmAttrs }

function selectorOf(s: XfrmSelectorSpec | undefined): XfrmSelector {
  const sel: XfrmSelector = { ...xfrmSelector.zero, daddr: Buffer.alloc(16), saddr: Buffer.alloc(16) };
  if (!s) return sel;
  if (s.src !== undefined) {
    const p = xprefix(s.src);
    sel.family = p.family; sel.saddr = p.bytes; sel.prefixlen_s = p.len;
  }
  if (s.dst !== undefined) {
    const p = xprefix(s.dst);
    if (s.src !== undefined && p.family !== sel.family) throw new ValidationError('selector src and dst must be of the same family');
    sel.family = p.family; sel.daddr = p.bytes; sel.prefixlen_d = p.len;
  }
  if (s.proto !== undefined) sel.proto = s.proto;
  const port = (v: number | undefined, what: string): number | undefined => {
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new ValidationError(`invalid selector ${what} ${v}`);
    return v;
  };
  const sport = port(s.sport ?? s.type, 'sport/type');
  const dport = port(s.dport ?? s.code, 'dport/code');
  // iproute2 sets the port mask only for a non-zero port, but always for type/code.
  if (sport !== undefined) { sel.sport = sport; if (sport || s.type !== undefined) sel.sport_mask = 0xffff; }
  if (dport !== undefined) { sel.dport = dport; if (dport || s.code !== undefined) sel.dport_mask = 0xffff; }
  if (s.ifindex !== undefined) sel.ifindex = s.ifindex;
  return sel;
}

function lifetimeOf(l: XfrmLimits | undefined): XfrmUsersaInfo['lft'] {
  return {
    soft_byte_limit: l?.byteSoft ?? XFRM_INF, hard_byte_limit: l?.byteHard ?? XFRM_INF,
    soft_packet_limit: l?.packetSoft ?? XFRM_INF, hard_packet_limit: l?.packetHard ?? XFRM_INF,
    soft_add_expires_seconds: l?.timeSoft ?? 0n, hard_add_expires_seconds: l?.timeHard ?? 0n,
    soft_use_expires_seconds: l?.timeUseSoft ?? 0n, hard_use_expires_seconds: l?.timeUseHard ?? 0n,
  };
}

const keyBytes = (k: Buffer | string): Buffer => (typeof k === 'string' ? Buffer.from(k, 'latin1') : k);
const algo = (a: XfrmKeyedAlgoSpec): XfrmAlgo => {
  const key = keyBytes(a.key);
  return { name: a.name, keyLen: key.length * 8, key };
};

/** The XFRMA_SEC_CTX value iproute2 sends for a context string (NUL included). */
export function secCtxOf(text: string): NonNullable<XfrmAttrs['sec_ctx']> {
  return { exttype: 8, alg: 1, doi: 1, ctx: Buffer.concat([Buffer.from(text), Buffer.alloc(1)]) };
}

export const markOf = (m: XfrmMarkSpec): NonNullable<XfrmAttrs['mark']> => ({ v: m.value, m: m.mask ?? 0xffffffff });
export const policyTypeOf = (t: 'main' | 'sub'): NonNullable<XfrmAttrs['policy_type']> =>
  ({ type: t === 'sub' ? XFRM_POLICY.TYPE_SUB : XFRM_POLICY.TYPE_MAIN, reserved1: 0, reserved2: 0 });

export function modeNumber(m: XfrmModeName | undefined): number {
  if (m === undefined) return XFRM_MODE.TRANSPORT;
  const n = XFRM_MODES[m];
  if (n === undefined) throw new ValidationError(`unknown mode "${String(m)}"`);
  return n;
}

/**
 * The XFRM_MSG_NEWSA/UPDSA body for a spec, attributes in the order
 * iproute2 sends them for a command line written in the spec's order
 * (encap, coa, ctx, algorithms, then replay, extra flags, mark, if_id,
 * tfcpad, output mark).
 */
export function buildState(spec: XfrmStateSpec): XfrmBody<XfrmUsersaInfo> {
  const s = xaddr(spec.src);
  const d = xaddr(spec.dst);
  if (s.family !== d.family) throw new ValidationError('src and dst must be of the same family');
  const proto = xfrmProtoNumber(spec.proto);
  const header: XfrmUsersaInfo = {
    ...xfrmUsersaInfo.zero,
    sel: selectorOf(spec.sel),
    id: { daddr: d.bytes, spi: spec.spi ?? 0, proto },
    saddr: s.bytes,
    lft: lifetimeOf(spec.limits),
    seq: spec.seq ?? 0,
    reqid: spec.reqid ?? 0,
    family: s.family,
    mode: modeNumber(spec.mode),
  };
  let flags = 0;
  for (const f of spec.flags ?? []) {
    const bit = XFRM_STATE_FLAGS[f];
    if (bit === undefined) throw new ValidationError(`unknown state flag "${String(f)}"`);
    flags |= bit;
  }
  header.flags = flags;
  const a: XfrmAttrs = {};
  if (spec.encap) {
    const oa = xaddr(spec.encap.oa);
    a.encap = { encap_type: XFRM_ENCAP_TYPES[spec.encap.type], encap_sport: spec.encap.sport, encap_dport: spec.encap.dport, encap_oa: oa.bytes };
  }
  if (spec.coa !== undefined) a.coaddr = xaddr(spec.coa.split('/')[0]!).bytes;
  if (spec.ctx !== undefined) a.sec_ctx = secCtxOf(spec.ctx);
  if (spec.aead) a.alg_aead = { ...algo(spec.aead), icvLen: spec.aead.icvLen };
  if (spec.enc) a.alg_crypt = algo(spec.enc);
  if (spec.auth) a.alg_auth = algo(spec.auth);
  if (spec.authTrunc) a.alg_auth_trunc = { ...algo(spec.authTrunc), truncLen: spec.authTrunc.truncLen };
  if (spec.comp) a.alg_comp = { name: spec.comp.name, keyLen: 0, key: Buffer.alloc(0) };
  const rw = spec.replayWindow ?? 0;
  if (rw > XFRMA_REPLAY_ESN_MAX) throw new ValidationError(`replay window ${rw} > ${XFRMA_REPLAY_ESN_MAX}`);
  if (flags & XFRM_STATE.ESN && rw === 0) throw new ValidationError('esn flag set without a replay window');
  const seq = spec.replaySeq ?? 0, oseq = spec.replayOseq ?? 0;
  if (flags & XFRM_STATE.ESN || rw > 32) {
    const bmpLen = Math.ceil(rw / 32);
    // iproute2 sends the struct without a bitmap; the kernel sizes it from bmp_len.
    a.replay_esn_val = { bmpLen, oseq, seq, oseqHi: spec.replayOseqHi ?? 0, seqHi: spec.replaySeqHi ?? 0, replayWindow: rw, bmp: [] };
  } else {
    if (seq || oseq) a.replay_val = { oseq, seq, bitmap: 0 };
    header.replay_window = rw;
  }
  if (spec.extraFlags) a.sa_extra_flags = spec.extraFlags;
  if (spec.mark) a.mark = markOf(spec.mark);
  if (spec.ifId !== undefined) a.if_id = spec.ifId;
  if (spec.tfcpad) a.tfcpad = spec.tfcpad;
  if (spec.outputMark) {
    if (spec.outputMark.value) a.set_mark = spec.outputMark.value;
    if (spec.outputMark.mask) a.set_mark_mask = spec.outputMark.mask;
  }
  return { header, attrs: a };
}

/** The XFRM_MSG_GETSA/DELSA body naming one state. */
export function buildStateId(id: XfrmStateId): XfrmBody<XfrmUsersaId> {
  const d = xaddr(id.dst);
  const a: XfrmAttrs = { srcaddr: id.src !== undefined ? xaddr(id.src).bytes : Buffer.alloc(16) };
  if (id.mark) { const m = markOf(id.mark); if (m.v & m.m) a.mark = m; }
  return { header: { daddr: d.bytes, spi: id.spi, family: d.family, proto: xfrmProtoNumber(id.proto) }, attrs: a };
}

function tmplOf(t: XfrmTmplSpec): XfrmUserTmpl {
  const s = t.src !== undefined ? xaddr(t.src) : undefined;
  const d = t.dst !== undefined ? xaddr(t.dst) : undefined;
  return {
    ...xfrmUserTmpl.zero,
    id: { daddr: d?.bytes ?? Buffer.alloc(16), spi: t.spi ?? 0, proto: xfrmProtoNumber(t.proto) },
    family: d?.family ?? s?.family ?? 0,
    saddr: s?.bytes ?? Buffer.alloc(16),
    reqid: t.reqid ?? 0,
    mode: modeNumber(t.mode),
    optional: t.level === 'use' ? 1 : 0,
    aalgos: 0xffffffff, ealgos: 0xffffffff, calgos: 0xffffffff,
  };
}

/**
 * The XFRM_MSG_NEWPOLICY/UPDPOLICY body for a spec, attributes in iproute2's
 * order (policy type, templates, mark, security context, if_id).
 */
export function buildPolicy(spec: XfrmPolicySpec): XfrmBody<XfrmUserpolicyInfo> {
  const dir = XFRM_DIRS[spec.dir];
  if (dir === undefined) throw new ValidationError(`unknown policy direction "${String(spec.dir)}"`);
  const sel = selectorOf(spec.sel);
  if (sel.family === 0) sel.family = AF_INET;
  let flags = 0;
  for (const f of spec.flags ?? []) flags |= f === 'localok' ? XFRM_POLICY.LOCALOK : f === 'icmp' ? XFRM_POLICY.ICMP : 0;
  const header: XfrmUserpolicyInfo = {
    ...xfrmUserpolicyInfo.zero,
    sel, lft: lifetimeOf(spec.limits),
    priority: spec.priority ?? 0, index: spec.index ?? 0, dir,
    action: spec.action === 'block' ? XFRM_POLICY.BLOCK : XFRM_POLICY.ALLOW,
    flags,
  };
  const a: XfrmAttrs = {};
  if (spec.ptype) a.policy_type = policyTypeOf(spec.ptype);
  if (spec.tmpl?.length) a.tmpl = spec.tmpl.map(tmplOf);
  if (spec.mark) a.mark = markOf(spec.mark);
  if (spec.ctx !== undefined) a.sec_ctx = secCtxOf(spec.ctx);
  if (spec.ifId !== undefined) a.if_id = spec.ifId;
  return { header, attrs: a };
}

/** The XFRM_MSG_GETPOLICY/DELPOLICY body naming one policy. */
export function buildPolicyId(id: XfrmPolicyId): XfrmBody<XfrmUserpolicyId> {
  const dir = XFRM_DIRS[id.dir];
  if (dir === undefined) throw new ValidationError(`unknown policy direction "${String(id.dir)}"`);
  if ((id.sel === undefined) === (id.index === undefined)) throw new ValidationError('name a policy by either selector or index');
  const sel = selectorOf(id.sel);
  if (sel.family === 0) sel.family = AF_INET;
  const a: XfrmAttrs = {};
  if (id.ptype) a.policy_type = policyTypeOf(id.ptype);
  if (id.mark) { const m = markOf(id.mark); if (m.v & m.m) a.mark = m; }
  if (id.ifId !== undefined) a.if_id = id.ifId;
  return { header: { sel, index: id.index ?? 0, dir }, attrs: a };
}
