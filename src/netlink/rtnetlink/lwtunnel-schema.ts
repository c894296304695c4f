/**
 * Lightweight-tunnel encapsulations (RTA_ENCAP / NHA_ENCAP payloads) other
 * than MPLS: `ip`, `ip6`, `ila`, `seg6`, `seg6local`, `bpf`, `rpl`, `ioam6`
 * and `xfrm` (include/uapi/linux/lwtunnel.h, seg6_iptunnel.h, seg6_local.h,
 * rpl_iptunnel.h, ioam6_iptunnel.h, ila.h). One schema per type drives both
 * directions; the segment routing headers inside them (struct ipv6_sr_hdr,
 * struct ipv6_rpl_sr_hdr) and the IOAM trace header have codecs of their own.
 * @module
 */
import {
  attrs, attr, multi, struct, u8, u16, u32, s32, u64, be16, be32, be64, bytes, cstring,
  type AttrSet, type Codec, type Infer,
} from '../codec/schema.js';
import { ParseError } from '../codec/errors.js';
import { constants } from '../constants.js';
import { formatAddress, parseAddress } from '../addr.js';
import { in4, in6 } from './kinds/common.js';

const LWT = ['linux/lwtunnel.h'];

/** LWTUNNEL_ENCAP_* (RTA_ENCAP_TYPE / NHA_ENCAP_TYPE). */
export const LWTUNNEL_ENCAP = constants('LWTUNNEL_ENCAP_', LWT, {
  NONE: 0, MPLS: 1, IP: 2, ILA: 3, IP6: 4, SEG6: 5, BPF: 6, SEG6_LOCAL: 7, RPL: 8, IOAM6: 9, XFRM: 10,
});

/** LWTUNNEL_IP_* */
export const LWTUNNEL_IP = constants('LWTUNNEL_IP_', LWT, { ID: 1, DST: 2, SRC: 3, TTL: 4, TOS: 5, FLAGS: 6, PAD: 7, OPTS: 8 });
/** LWTUNNEL_IP6_* */
export const LWTUNNEL_IP6 = constants('LWTUNNEL_IP6_', LWT, { ID: 1, DST: 2, SRC: 3, HOPLIMIT: 4, TC: 5, FLAGS: 6, PAD: 7, OPTS: 8 });
/** LWTUNNEL_IP_OPTS_* */
export const LWTUNNEL_IP_OPTS = constants('LWTUNNEL_IP_OPTS_', LWT, { GENEVE: 1, VXLAN: 2, ERSPAN: 3 });
/** LWTUNNEL_IP_OPT_GENEVE_* */
export const LWTUNNEL_IP_OPT_GENEVE = constants('LWTUNNEL_IP_OPT_GENEVE_', LWT, { CLASS: 1, TYPE: 2, DATA: 3 });
/** LWTUNNEL_IP_OPT_VXLAN_* */
export const LWTUNNEL_IP_OPT_VXLAN = constants('LWTUNNEL_IP_OPT_VXLAN_', LWT, { GBP: 1 });
/** LWTUNNEL_IP_OPT_ERSPAN_* */
export const LWTUNNEL_IP_OPT_ERSPAN = constants('LWTUNNEL_IP_OPT_ERSPAN_', LWT, { VER: 1, INDEX: 2, DIR: 3, HWID: 4 });
/** LWT_BPF_* and LWT_BPF_PROG_* */
export const LWT_BPF = constants('LWT_BPF_', LWT, { IN: 1, OUT: 2, XMIT: 3, XMIT_HEADROOM: 4 });
export const LWT_BPF_PROG = constants('LWT_BPF_PROG_', LWT, { FD: 1, NAME: 2 });
/** LWT_XFRM_* */
export const LWT_XFRM = constants('LWT_XFRM_', LWT, { IF_ID: 1, LINK: 2 });
/** SEG6_IPTUNNEL_* and the seg6 modes (SEG6_IPTUN_MODE_*). */
export const SEG6_IPTUNNEL = constants('SEG6_IPTUNNEL_', ['linux/seg6_iptunnel.h'], { SRH: 1 });
export const SEG6_IPTUN_MODE = constants('SEG6_IPTUN_MODE_', ['linux/seg6_iptunnel.h'], {
  INLINE: 0, ENCAP: 1, L2ENCAP: 2, ENCAP_RED: 3, L2ENCAP_RED: 4,
});
/** SEG6_LOCAL_* attributes. */
export const SEG6_LOCAL = constants('SEG6_LOCAL_', ['linux/seg6_local.h'], {
  ACTION: 1, SRH: 2, TABLE: 3, NH4: 4, NH6: 5, IIF: 6, OIF: 7, BPF: 8, VRFTABLE: 9, COUNTERS: 10, FLAVORS: 11,
});
/** SEG6_LOCAL_ACTION_* */
export const SEG6_LOCAL_ACTION = constants('SEG6_LOCAL_ACTION_', ['linux/seg6_local.h'], {
  UNSPEC: 0, END: 1, END_X: 2, END_T: 3, END_DX2: 4, END_DX6: 5, END_DX4: 6, END_DT6: 7, END_DT4: 8, END_B6: 9,
  END_B6_ENCAP: 10, END_BM: 11, END_S: 12, END_AS: 13, END_AM: 14, END_BPF: 15, END_DT46: 16,
});
/** SEG6_LOCAL_CNT_*, SEG6_LOCAL_FLV_* (SEG6_LOCAL_BPF_PROG* has LWT_BPF_PROG_*'s numbers). */
export const SEG6_LOCAL_CNT = constants('SEG6_LOCAL_CNT_', ['linux/seg6_local.h'], { PAD: 1, PACKETS: 2, BYTES: 3, ERRORS: 4 });
export const SEG6_LOCAL_FLV = constants('SEG6_LOCAL_FLV_', ['linux/seg6_local.h'], { OPERATION: 1, LCBLOCK_BITS: 2, LCNODE_FN_BITS: 3 });
/** RPL_IPTUNNEL_* */
export const RPL_IPTUNNEL = constants('RPL_IPTUNNEL_', ['linux/rpl_iptunnel.h'], { SRH: 1 });
/** IOAM6_IPTUNNEL_* and its modes. */
export const IOAM6_IPTUNNEL = constants('IOAM6_IPTUNNEL_', ['linux/ioam6_iptunnel.h'], {
  MODE: 1, DST: 2, TRACE: 3, FREQ_K: 4, FREQ_N: 5, MODE_INLINE: 1, MODE_ENCAP: 2, MODE_AUTO: 3,
});
/** ILA_ATTR_* (the ILA encapsulation's attributes). */
export const ILA_ATTR = constants('ILA_ATTR_', ['linux/ila.h'], { LOCATOR: 1, CSUM_MODE: 7, IDENT_TYPE: 8, HOOK_TYPE: 9 });

/** TUNNEL_CSUM / TUNNEL_KEY / TUNNEL_SEQ as LWTUNNEL_IP_FLAGS carries them (be16 on the wire). */
export const TUNNEL_FLAGS = { CSUM: 0x01, KEY: 0x04, SEQ: 0x08 } as const;
/** SR6_FLAG1_HMAC of ipv6_sr_hdr.flags, and the HMAC TLV type. */
export const SR6_FLAG1_HMAC = 1 << 3;
export const SR6_TLV_HMAC = 5;

const NLA_F_NESTED = 0x8000;

// ---------------------------------------------------------------- ip / ip6

/** One GENEVE option (class:type:data); a field left empty on the command line is absent. */
const geneveOpt = attrs('LWTUNNEL_IP_OPT_GENEVE', {
  class: attr(LWTUNNEL_IP_OPT_GENEVE.CLASS, be16),
  type: attr(LWTUNNEL_IP_OPT_GENEVE.TYPE, u8),
  data: attr(LWTUNNEL_IP_OPT_GENEVE.DATA, bytes),
});
/** A GENEVE option as {@link geneveOpts} lists them. */
export type GeneveOpt = Infer<typeof geneveOpt>;

/**
 * LWTUNNEL_IP_OPTS_GENEVE: a run of class/type/data attributes, one option
 * after the other (the kernel dumps all options in one nest; iproute2 sends
 * one nest per option). Decoded into options, a new one at each class.
 */
export const geneveOpts: Codec<GeneveOpt[]> = {
  name: 'LWTUNNEL_IP_OPTS_GENEVE',
  encode(w, list, ctx) {
    for (const o of list) geneveOpt.encode(w, o, ctx);
  },
  decode(buf, off, len, ctx) {
    const out: GeneveOpt[] = [];
    let cur: Record<string, unknown> | undefined;
    for (let p = off, end = off + len; end - p >= 4;) {
      const alen = buf.readUInt16LE(p);
      if (alen < 4 || alen > end - p) throw new ParseError(`geneve option attribute of bad length ${alen}`, p);
      const t = buf.readUInt16LE(p + 2) & 0x3fff;
      const one = geneveOpt.decode(buf, p, Math.min((alen + 3) & ~3, end - p), ctx) as Record<string, unknown>;
      if (t === LWTUNNEL_IP_OPT_GENEVE.CLASS || !cur) { cur = {}; out.push(cur as GeneveOpt); }
      Object.assign(cur, one);
      p += (alen + 3) & ~3;
    }
    return out;
  },
  arbitrary: (rng, ctx) => [geneveOpt.arbitrary(rng, ctx)].filter((o) => o.class !== undefined).map((o) => ({ ...o })),
};

/** LWTUNNEL_IP_OPTS (ip and ip6). */
export const ipTunnelOpts = attrs('LWTUNNEL_IP_OPTS', {
  geneve: multi(LWTUNNEL_IP_OPTS.GENEVE, geneveOpts, NLA_F_NESTED),
  vxlan: attr(LWTUNNEL_IP_OPTS.VXLAN, attrs('LWTUNNEL_IP_OPT_VXLAN', { gbp: attr(LWTUNNEL_IP_OPT_VXLAN.GBP, u32) }), NLA_F_NESTED),
  erspan: attr(LWTUNNEL_IP_OPTS.ERSPAN, attrs('LWTUNNEL_IP_OPT_ERSPAN', {
    ver: attr(LWTUNNEL_IP_OPT_ERSPAN.VER, u8),
    index: attr(LWTUNNEL_IP_OPT_ERSPAN.INDEX, be32),
    dir: attr(LWTUNNEL_IP_OPT_ERSPAN.DIR, u8),
    hwid: attr(LWTUNNEL_IP_OPT_ERSPAN.HWID, u8),
  }), NLA_F_NESTED),
});
export type IpTunnelOpts = Infer<typeof ipTunnelOpts>;

/** LWTUNNEL_ENCAP_IP */
export const ipEncap = attrs('LWTUNNEL_IP', {
  id: attr(LWTUNNEL_IP.ID, be64),
  dst: attr(LWTUNNEL_IP.DST, in4),
  src: attr(LWTUNNEL_IP.SRC, in4),
  tos: attr(LWTUNNEL_IP.TOS, u8),
  ttl: attr(LWTUNNEL_IP.TTL, u8),
  opts: attr(LWTUNNEL_IP.OPTS, ipTunnelOpts, NLA_F_NESTED),
  flags: attr(LWTUNNEL_IP.FLAGS, be16),
});
export type IpEncap = Infer<typeof ipEncap>;

/** LWTUNNEL_ENCAP_IP6 */
export const ip6Encap = attrs('LWTUNNEL_IP6', {
  id: attr(LWTUNNEL_IP6.ID, be64),
  dst: attr(LWTUNNEL_IP6.DST, in6),
  src: attr(LWTUNNEL_IP6.SRC, in6),
  tc: attr(LWTUNNEL_IP6.TC, u8),
  hoplimit: attr(LWTUNNEL_IP6.HOPLIMIT, u8),
  opts: attr(LWTUNNEL_IP6.OPTS, ipTunnelOpts, NLA_F_NESTED),
  flags: attr(LWTUNNEL_IP6.FLAGS, be16),
});
export type Ip6Encap = Infer<typeof ip6Encap>;

// ---------------------------------------------------------------- ila

/** LWTUNNEL_ENCAP_ILA */
export const ilaEncap = attrs('ILA_ATTR', {
  locator: attr(ILA_ATTR.LOCATOR, u64),
  csum_mode: attr(ILA_ATTR.CSUM_MODE, u8),
  ident_type: attr(ILA_ATTR.IDENT_TYPE, u8),
  hook_type: attr(ILA_ATTR.HOOK_TYPE, u8),
});
export type IlaEncap = Infer<typeof ilaEncap>;

// ---------------------------------------------------------------- segment routing headers

/**
 * struct ipv6_sr_hdr with its segments (in wire order: segments[0] is the
 * last segment) and whatever follows them (TLVs such as the HMAC) as bytes.
 * The number of segments is first_segment + 1, as iproute2 reads it.
 */
export interface Srh {
  readonly nexthdr: number;
  readonly hdrlen: number;
  readonly type: number;
  readonly segments_left: number;
  readonly first_segment: number;
  readonly flags: number;
  readonly tag: number;
  readonly segments: readonly string[];
  readonly tlvs: Buffer;
}

function addrBytes(a: string): Buffer {
  const b = parseAddress(a);
  if (!b || b.length !== 16) throw new TypeError(`invalid IPv6 address "${a}"`);
  return b;
}

/** struct ipv6_sr_hdr (SEG6_LOCAL_SRH, and inside SEG6_IPTUNNEL_SRH). */
export const srh: Codec<Srh> = {
  name: 'ipv6_sr_hdr',
  encode(w, v) {
    w.u8(v.nexthdr).u8(v.hdrlen).u8(v.type).u8(v.segments_left).u8(v.first_segment).u8(v.flags);
    w.u16(v.tag);
    for (const s of v.segments) w.bytes(addrBytes(s));
    w.bytes(v.tlvs);
  },
  decode(buf, off, len) {
    if (len < 8) throw new ParseError(`ipv6_sr_hdr needs 8 bytes, got ${len}`, off);
    const first = buf[off + 4]!;
    const n = Math.min(first + 1, Math.floor((len - 8) / 16));
    const segments: string[] = [];
    for (let i = 0; i < n; i++) segments.push(formatAddress(buf, off + 8 + 16 * i, 16));
    return {
      nexthdr: buf[off]!, hdrlen: buf[off + 1]!, type: buf[off + 2]!, segments_left: buf[off + 3]!,
      first_segment: first, flags: buf[off + 5]!, tag: buf.readUInt16LE(off + 6), segments,
      tlvs: Buffer.from(buf.subarray(off + 8 + 16 * n, off + len)),
    };
  },
  arbitrary(rng) {
    const n = 1 + rng.int(3);
    const segments = Array.from({ length: n }, () => formatAddress(rng.bytes(16), 0, 16));
    return { nexthdr: 0, hdrlen: 2 * n, type: 4, segments_left: n - 1, first_segment: n - 1, flags: 0, tag: 0, segments, tlvs: Buffer.alloc(0) };
  },
};

/** The HMAC key id of an SRH with SR6_FLAG1_HMAC (its HMAC TLV sits 40 bytes before the header's end). */
export function srhHmacKeyId(h: Srh): number | undefined {
  if (!(h.flags & SR6_FLAG1_HMAC)) return undefined;
  // offset from the SRH's start: ((hdrlen + 1) << 3) - 40; the TLV's key id is 4 bytes into it.
  const at = ((h.hdrlen + 1) << 3) - 40 - 8 - 16 * h.segments.length + 4;
  return at >= 0 && at + 4 <= h.tlvs.length ? h.tlvs.readUInt32BE(at) : undefined;
}

/**
 * parse_srh() of iproute2: the SRH for `segs A,B,C [hmac KEYID]`. Segments go
 * in reverse; without `encap` (inline mode, End.B6) one more, zero segment is
 * reserved at index 0 for the packet's own destination.
 */
export function buildSrh(segs: readonly string[], hmac: number, encap: boolean): Srh {
  const n = segs.length + (encap ? 0 : 1);
  const len = 8 + 16 * n + (hmac ? 40 : 0);
  const segments = new Array<string>(n).fill('::');
  segs.forEach((s, k) => { segments[n - 1 - k] = s; });
  let tlvs = Buffer.alloc(0);
  if (hmac) {
    tlvs = Buffer.alloc(40);
    tlvs[0] = SR6_TLV_HMAC;
    tlvs[1] = 38;
    tlvs.writeUInt32BE(hmac >>> 0, 4);
  }
  return {
    nexthdr: 0, hdrlen: (len >> 3) - 1, type: 4, segments_left: n - 1, first_segment: n - 1,
    flags: hmac ? SR6_FLAG1_HMAC : 0, tag: 0, segments, tlvs,
  };
}

/** struct seg6_iptunnel_encap: the mode (int), then the SRH. */
export interface Seg6Tunnel { readonly mode: number; readonly srh: Srh }

const seg6Tunnel: Codec<Seg6Tunnel> = {
  name: 'seg6_iptunnel_encap',
  encode(w, v, ctx) {
    w.ensure(4);
    w.buf.writeInt32LE(v.mode, w.offset);
    w.offset += 4;
    srh.encode(w, v.srh, ctx);
  },
  decode(buf, off, len, ctx) {
    if (len < 4) throw new ParseError(`seg6_iptunnel_encap needs 4 bytes, got ${len}`, off);
    return { mode: s32.decode(buf, off, 4, ctx), srh: srh.decode(buf, off + 4, len - 4, ctx) };
  },
  arbitrary: (rng, ctx) => ({ mode: rng.int(5), srh: srh.arbitrary(rng, ctx) }),
};

/** LWTUNNEL_ENCAP_SEG6 */
export const seg6Encap = attrs('SEG6_IPTUNNEL', { srh: attr(SEG6_IPTUNNEL.SRH, seg6Tunnel) });
export type Seg6Encap = Infer<typeof seg6Encap>;

/** struct ipv6_rpl_sr_hdr with its (uncompressed) addresses, in wire order. */
export interface RplSrh {
  readonly nexthdr: number;
  readonly hdrlen: number;
  readonly type: number;
  readonly segments_left: number;
  /** The cmpri/cmpre/pad/reserved word, as on the wire (little-endian u32). */
  readonly bits: number;
  readonly segments: readonly string[];
  /** Bytes after the last whole address. */
  readonly rest: Buffer;
}

const rplSrh: Codec<RplSrh> = {
  name: 'ipv6_rpl_sr_hdr',
  encode(w, v) {
    w.u8(v.nexthdr).u8(v.hdrlen).u8(v.type).u8(v.segments_left).u32(v.bits);
    for (const s of v.segments) w.bytes(addrBytes(s));
    w.bytes(v.rest);
  },
  decode(buf, off, len) {
    if (len < 8) throw new ParseError(`ipv6_rpl_sr_hdr needs 8 bytes, got ${len}`, off);
    const n = Math.floor((len - 8) / 16);
    const segments: string[] = [];
    for (let i = 0; i < n; i++) segments.push(formatAddress(buf, off + 8 + 16 * i, 16));
    return {
      nexthdr: buf[off]!, hdrlen: buf[off + 1]!, type: buf[off + 2]!, segments_left: buf[off + 3]!,
      bits: buf.readUInt32LE(off + 4), segments, rest: Buffer.from(buf.subarray(off + 8 + 16 * n, off + len)),
    };
  },
  arbitrary(rng) {
    const n = 1 + rng.int(3);
    return {
      nexthdr: 0, hdrlen: 2 * n, type: 3, segments_left: n, bits: 0,
      segments: Array.from({ length: n }, () => formatAddress(rng.bytes(16), 0, 16)), rest: Buffer.alloc(0),
    };
  },
};

/** parse_rpl_srh() of iproute2: `segs A,B,C`, addresses in reverse, uncompressed. */
export function buildRplSrh(segs: readonly string[]): RplSrh {
  const n = segs.length;
  return {
    nexthdr: 0, hdrlen: ((8 + 16 * n) >> 3) - 1, type: 3, segments_left: n, bits: 0,
    segments: [...segs].reverse(), rest: Buffer.alloc(0),
  };
}

/** LWTUNNEL_ENCAP_RPL */
export const rplEncap = attrs('RPL_IPTUNNEL', { srh: attr(RPL_IPTUNNEL.SRH, rplSrh) });
export type RplEncap = Infer<typeof rplEncap>;

// ---------------------------------------------------------------- seg6local, bpf

/** A BPF program of an lwt hook or of End.BPF (LWT_BPF_PROG_* / SEG6_LOCAL_BPF_PROG*: same numbers). */
export const bpfProg = attrs('LWT_BPF_PROG', {
  fd: attr(LWT_BPF_PROG.FD, u32),
  name: attr(LWT_BPF_PROG.NAME, cstring),
});
export type BpfProg = Infer<typeof bpfProg>;

/** LWTUNNEL_ENCAP_BPF */
export const bpfEncap = attrs('LWT_BPF', {
  in: attr(LWT_BPF.IN, bpfProg, NLA_F_NESTED),
  out: attr(LWT_BPF.OUT, bpfProg, NLA_F_NESTED),
  xmit: attr(LWT_BPF.XMIT, bpfProg, NLA_F_NESTED),
  headroom: attr(LWT_BPF.XMIT_HEADROOM, u32),
});
export type BpfEncap = Infer<typeof bpfEncap>;

/** LWTUNNEL_ENCAP_SEG6_LOCAL (key order is iproute2's print order; requests follow the command line). */
export const seg6LocalEncap = attrs('SEG6_LOCAL', {
  action: attr(SEG6_LOCAL.ACTION, u32),
  srh: attr(SEG6_LOCAL.SRH, srh),
  table: attr(SEG6_LOCAL.TABLE, u32),
  vrftable: attr(SEG6_LOCAL.VRFTABLE, u32),
  nh4: attr(SEG6_LOCAL.NH4, in4),
  nh6: attr(SEG6_LOCAL.NH6, in6),
  iif: attr(SEG6_LOCAL.IIF, u32),
  oif: attr(SEG6_LOCAL.OIF, u32),
  bpf: attr(SEG6_LOCAL.BPF, bpfProg),
  counters: attr(SEG6_LOCAL.COUNTERS, attrs('SEG6_LOCAL_CNT', {
    packets: attr(SEG6_LOCAL_CNT.PACKETS, u64),
    bytes: attr(SEG6_LOCAL_CNT.BYTES, u64),
    errors: attr(SEG6_LOCAL_CNT.ERRORS, u64),
  }), NLA_F_NESTED),
  flavors: attr(SEG6_LOCAL.FLAVORS, attrs('SEG6_LOCAL_FLV', {
    operation: attr(SEG6_LOCAL_FLV.OPERATION, u32),
    lblen: attr(SEG6_LOCAL_FLV.LCBLOCK_BITS, u8),
    nflen: attr(SEG6_LOCAL_FLV.LCNODE_FN_BITS, u8),
  }), NLA_F_NESTED),
});
export type Seg6LocalEncap = Infer<typeof seg6LocalEncap>;

// ---------------------------------------------------------------- ioam6, xfrm

/** struct ioam6_trace_hdr (without trace data). */
export const ioam6Trace = struct('ioam6_trace_hdr', {
  namespace_id: be16,
  /** overflow:1 and nodelen:5 as one byte. */
  nodelen: u8,
  /** remlen:7 (in 4-octet units) as one byte. */
  remlen: u8,
  /** The 24-bit trace type, shifted left by 8 (type_be32). */
  type_be32: be32,
});
export type Ioam6Trace = Infer<typeof ioam6Trace>;

/** LWTUNNEL_ENCAP_IOAM6 (iproute2's order: freq k, freq n, mode, dst, trace). */
export const ioam6Encap = attrs('IOAM6_IPTUNNEL', {
  freq_k: attr(IOAM6_IPTUNNEL.FREQ_K, u32),
  freq_n: attr(IOAM6_IPTUNNEL.FREQ_N, u32),
  mode: attr(IOAM6_IPTUNNEL.MODE, u8),
  dst: attr(IOAM6_IPTUNNEL.DST, in6),
  trace: attr(IOAM6_IPTUNNEL.TRACE, ioam6Trace),
});
export type Ioam6Encap = Infer<typeof ioam6Encap>;

/** LWTUNNEL_ENCAP_XFRM */
export const xfrmEncap = attrs('LWT_XFRM', {
  if_id: attr(LWT_XFRM.IF_ID, u32),
  link: attr(LWT_XFRM.LINK, u32),
});
export type XfrmEncap = Infer<typeof xfrmEncap>;

/** The schemas of this module by encap type (MPLS lives with the route schema). */
export const lwtunnelSchemas: ReadonlyArray<readonly [number, AttrSet<Record<string, unknown>>]> = [
  [LWTUNNEL_ENCAP.IP, ipEncap as unknown as AttrSet<Record<string, unknown>>],
  [LWTUNNEL_ENCAP.IP6, ip6Encap as unknown as AttrSet<Record<string, unknown>>],
  [LWTUNNEL_ENCAP.ILA, ilaEncap as unknown as AttrSet<Record<string, unknown>>],
  [LWTUNNEL_ENCAP.SEG6, seg6Encap as unknown as AttrSet<Record<string, unknown>>],
  [LWTUNNEL_ENCAP.SEG6_LOCAL, seg6LocalEncap as unknown as AttrSet<Record<string, unknown>>],
  [LWTUNNEL_ENCAP.BPF, bpfEncap as unknown as AttrSet<Record<string, unknown>>],
  [LWTUNNEL_ENCAP.RPL, rplEncap as unknown as AttrSet<Record<string, unknown>>],
  [LWTUNNEL_ENCAP.IOAM6, ioam6Encap as unknown as AttrSet<Record<string, unknown>>],
  [LWTUNNEL_ENCAP.XFRM, xfrmEncap as unknown as AttrSet<Record<string, unknown>>],
];
