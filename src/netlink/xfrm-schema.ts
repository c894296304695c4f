/**
 * NETLINK_XFRM schemas (linux/xfrm.h): the IPsec security association
 * (state) and security policy databases. Each C struct is declared once with
 * its padding spelled out (`_…` members), and each message body is a header
 * struct followed by one XFRMA_* attribute set, so the same declarations
 * encode requests and decode replies.
 *
 * Addresses (`xfrm_address_t`) are 16 raw bytes here: what they mean depends
 * on a family carried elsewhere in the message; xfrm.ts turns them into text.
 * @module
 */
import {
  attrs, attr, struct, message, fixedBytes, pad, u8, u16, u32, u64, be16, be32, bytes,
  type Codec, type Infer,
} from './codec/schema.js';
import { ParseError } from './codec/errors.js';
import { constants } from './constants.js';

const H = ['linux/xfrm.h'];

/** XFRM_MSG_* message types. */
export const XFRM_MSG = constants('XFRM_MSG_', H, {
  NEWSA: 0x10, DELSA: 0x11, GETSA: 0x12, NEWPOLICY: 0x13, DELPOLICY: 0x14, GETPOLICY: 0x15,
  ALLOCSPI: 0x16, ACQUIRE: 0x17, EXPIRE: 0x18, UPDPOLICY: 0x19, UPDSA: 0x1a, POLEXPIRE: 0x1b,
  FLUSHSA: 0x1c, FLUSHPOLICY: 0x1d, NEWAE: 0x1e, GETAE: 0x1f, REPORT: 0x20, MIGRATE: 0x21,
  NEWSADINFO: 0x22, GETSADINFO: 0x23, NEWSPDINFO: 0x24, GETSPDINFO: 0x25, MAPPING: 0x26,
  SETDEFAULT: 0x27, GETDEFAULT: 0x28,
});

/** XFRMA_* attribute types. */
export const XFRMA = constants('XFRMA_', H, {
  ALG_AUTH: 1, ALG_CRYPT: 2, ALG_COMP: 3, ENCAP: 4, TMPL: 5, SA: 6, POLICY: 7, SEC_CTX: 8,
  LTIME_VAL: 9, REPLAY_VAL: 10, REPLAY_THRESH: 11, ETIMER_THRESH: 12, SRCADDR: 13, COADDR: 14,
  LASTUSED: 15, POLICY_TYPE: 16, MIGRATE: 17, ALG_AEAD: 18, KMADDRESS: 19, ALG_AUTH_TRUNC: 20,
  MARK: 21, TFCPAD: 22, REPLAY_ESN_VAL: 23, SA_EXTRA_FLAGS: 24, PROTO: 25, ADDRESS_FILTER: 26,
  PAD: 27, OFFLOAD_DEV: 28, SET_MARK: 29, SET_MARK_MASK: 30, IF_ID: 31, MTIMER_THRESH: 32,
});

/** XFRMA_SAD_* (XFRM_MSG_NEWSADINFO attributes). */
export const XFRMA_SAD = constants('XFRMA_SAD_', H, { CNT: 1, HINFO: 2 });
/** XFRMA_SPD_* (XFRM_MSG_NEWSPDINFO attributes). */
export const XFRMA_SPD = constants('XFRMA_SPD_', H, { INFO: 1, HINFO: 2, IPV4_HTHRESH: 3, IPV6_HTHRESH: 4 });

/** XFRM_MODE_* */
export const XFRM_MODE = constants('XFRM_MODE_', H, {
  TRANSPORT: 0, TUNNEL: 1, ROUTEOPTIMIZATION: 2, IN_TRIGGER: 3, BEET: 4,
});

/** XFRM_STATE_* (xfrm_usersa_info.flags). */
export const XFRM_STATE = constants('XFRM_STATE_', H, {
  NOECN: 1, DECAP_DSCP: 2, NOPMTUDISC: 4, WILDRECV: 8, ICMP: 16, AF_UNSPEC: 32, ALIGN4: 64, ESN: 128,
});

/** XFRM_SA_XFLAG_* (XFRMA_SA_EXTRA_FLAGS). */
export const XFRM_SA_XFLAG = constants('XFRM_SA_XFLAG_', H, { DONT_ENCAP_DSCP: 1, OSEQ_MAY_WRAP: 2 });

/** XFRM_POLICY_* directions, actions and flags. */
export const XFRM_POLICY = constants('XFRM_POLICY_', H, {
  IN: 0, OUT: 1, FWD: 2, MAX: 3, ALLOW: 0, BLOCK: 1, LOCALOK: 1, ICMP: 2,
  TYPE_MAIN: 0, TYPE_SUB: 1, TYPE_ANY: 255,
});

/** XFRM_SHARE_* */
export const XFRM_SHARE = constants('XFRM_SHARE_', H, { ANY: 0, SESSION: 1, USER: 2, UNIQUE: 3 });

/** XFRM_USERPOLICY_* (default policies). */
export const XFRM_USERPOLICY = constants('XFRM_USERPOLICY_', H, { UNSPEC: 0, BLOCK: 1, ACCEPT: 2 });

/** XFRM_OFFLOAD_* */
export const XFRM_OFFLOAD = constants('XFRM_OFFLOAD_', H, { IPV6: 1, INBOUND: 2, PACKET: 4 });

/** XFRMNLGRP_* multicast groups. */
export const XFRMNLGRP = constants('XFRMNLGRP_', H, {
  ACQUIRE: 1, EXPIRE: 2, SA: 3, POLICY: 4, AEVENTS: 5, REPORT: 6, MIGRATE: 7, MAPPING: 8,
});

/** XFRMA_REPLAY_ESN_MAX: the largest replay window the kernel takes. */
export const XFRMA_REPLAY_ESN_MAX = 4096;
/** XFRM_INF: "no limit" in a lifetime config. */
export const XFRM_INF = 0xffffffffffffffffn;

/** xfrm_address_t: 16 bytes, an IPv4 address in the first 4. */
const xaddr = fixedBytes(16);

/** struct xfrm_selector (56 bytes). Ports are in host order here, big-endian on the wire. */
export const xfrmSelector = struct('xfrm_selector', {
  daddr: xaddr,
  saddr: xaddr,
  dport: be16,
  dport_mask: be16,
  sport: be16,
  sport_mask: be16,
  family: u16,
  prefixlen_d: u8,
  prefixlen_s: u8,
  proto: u8,
  _pad: pad(3),
  ifindex: u32,
  user: u32,
});
export type XfrmSelector = Infer<typeof xfrmSelector>;

/** struct xfrm_id (24 bytes). The SPI is in host order here. */
export const xfrmId = struct('xfrm_id', {
  daddr: xaddr,
  spi: be32,
  proto: u8,
  _pad: pad(3),
});

/** struct xfrm_lifetime_cfg (64 bytes). */
export const xfrmLifetimeCfg = struct('xfrm_lifetime_cfg', {
  soft_byte_limit: u64,
  hard_byte_limit: u64,
  soft_packet_limit: u64,
  hard_packet_limit: u64,
  soft_add_expires_seconds: u64,
  hard_add_expires_seconds: u64,
  soft_use_expires_seconds: u64,
  hard_use_expires_seconds: u64,
});

/** struct xfrm_lifetime_cur (32 bytes). */
export const xfrmLifetimeCur = struct('xfrm_lifetime_cur', {
  bytes: u64,
  packets: u64,
  add_time: u64,
  use_time: u64,
});

/** struct xfrm_stats (12 bytes). */
export const xfrmStats = struct('xfrm_stats', {
  replay_window: u32,
  replay: u32,
  integrity_failed: u32,
});

/** struct xfrm_usersa_info (224 bytes): the body of XFRM_MSG_NEWSA/UPDSA and XFRMA_SA. */
export const xfrmUsersaInfo = struct('xfrm_usersa_info', {
  sel: xfrmSelector,
  id: xfrmId,
  saddr: xaddr,
  lft: xfrmLifetimeCfg,
  curlft: xfrmLifetimeCur,
  stats: xfrmStats,
  seq: u32,
  reqid: u32,
  family: u16,
  mode: u8,
  replay_window: u8,
  flags: u8,
  _pad: pad(7),
});
export type XfrmUsersaInfo = Infer<typeof xfrmUsersaInfo>;

/** struct xfrm_usersa_id (24 bytes): names one state (get/delete). */
export const xfrmUsersaId = struct('xfrm_usersa_id', {
  daddr: xaddr,
  spi: be32,
  family: u16,
  proto: u8,
  _pad: pad(1),
});
export type XfrmUsersaId = Infer<typeof xfrmUsersaId>;

/** struct xfrm_userspi_info (232 bytes): XFRM_MSG_ALLOCSPI. */
export const xfrmUserspiInfo = struct('xfrm_userspi_info', {
  info: xfrmUsersaInfo,
  min: u32,
  max: u32,
});

/** struct xfrm_userpolicy_info (168 bytes): the body of XFRM_MSG_NEWPOLICY/UPDPOLICY and XFRMA_POLICY. */
export const xfrmUserpolicyInfo = struct('xfrm_userpolicy_info', {
  sel: xfrmSelector,
  lft: xfrmLifetimeCfg,
  curlft: xfrmLifetimeCur,
  priority: u32,
  index: u32,
  dir: u8,
  action: u8,
  flags: u8,
  share: u8,
  _pad: pad(4),
});
export type XfrmUserpolicyInfo = Infer<typeof xfrmUserpolicyInfo>;

/** struct xfrm_userpolicy_id (64 bytes): names one policy (get/delete). */
export const xfrmUserpolicyId = struct('xfrm_userpolicy_id', {
  sel: xfrmSelector,
  index: u32,
  dir: u8,
  _pad: pad(3),
});
export type XfrmUserpolicyId = Infer<typeof xfrmUserpolicyId>;

/** struct xfrm_user_tmpl (64 bytes): one element of XFRMA_TMPL. */
export const xfrmUserTmpl = struct('xfrm_user_tmpl', {
  id: xfrmId,
  family: u16,
  _pad1: pad(2),
  saddr: xaddr,
  reqid: u32,
  mode: u8,
  share: u8,
  optional: u8,
  _pad2: pad(1),
  aalgos: u32,
  ealgos: u32,
  calgos: u32,
});
export type XfrmUserTmpl = Infer<typeof xfrmUserTmpl>;

/** struct xfrm_encap_tmpl (24 bytes). Ports in host order here. */
export const xfrmEncapTmpl = struct('xfrm_encap_tmpl', {
  encap_type: u16,
  encap_sport: be16,
  encap_dport: be16,
  _pad: pad(2),
  encap_oa: xaddr,
});
export type XfrmEncapTmpl = Infer<typeof xfrmEncapTmpl>;

/** struct xfrm_mark (8 bytes). */
export const xfrmMark = struct('xfrm_mark', { v: u32, m: u32 });

/** struct xfrm_replay_state (12 bytes). */
export const xfrmReplayState = struct('xfrm_replay_state', { oseq: u32, seq: u32, bitmap: u32 });

/** struct xfrm_userpolicy_type (6 bytes). */
export const xfrmUserpolicyType = struct('xfrm_userpolicy_type', {
  type: u8,
  _pad: pad(1),
  reserved1: u16,
  reserved2: u8,
  _pad2: pad(1),
});

/** struct xfrm_user_offload (8 bytes). */
export const xfrmUserOffload = struct('xfrm_user_offload', { ifindex: u32, flags: u8, _pad: pad(3) });

/** struct xfrm_address_filter (36 bytes): narrows a GETSA dump in the kernel. */
export const xfrmAddressFilter = struct('xfrm_address_filter', {
  saddr: xaddr,
  daddr: xaddr,
  family: u16,
  splen: u8,
  dplen: u8,
});

/** struct xfrmu_spdhthresh (2 bytes). */
export const xfrmuSpdhthresh = struct('xfrmu_spdhthresh', { lbits: u8, rbits: u8 });
/** struct xfrmu_spdinfo (24 bytes). */
export const xfrmuSpdinfo = struct('xfrmu_spdinfo', {
  incnt: u32, outcnt: u32, fwdcnt: u32, inscnt: u32, outscnt: u32, fwdscnt: u32,
});
/** struct xfrmu_spdhinfo / xfrmu_sadhinfo (8 bytes). */
export const xfrmuHinfo = struct('xfrmu_hinfo', { count: u32, max: u32 });

/** struct xfrm_user_expire (232 bytes). */
export const xfrmUserExpire = struct('xfrm_user_expire', { state: xfrmUsersaInfo, hard: u8, _pad: pad(7) });
/** struct xfrm_user_polexpire (176 bytes). */
export const xfrmUserPolexpire = struct('xfrm_user_polexpire', { pol: xfrmUserpolicyInfo, hard: u8, _pad: pad(7) });
/** struct xfrm_user_acquire (280 bytes). */
export const xfrmUserAcquire = struct('xfrm_user_acquire', {
  id: xfrmId, saddr: xaddr, sel: xfrmSelector, policy: xfrmUserpolicyInfo,
  aalgos: u32, ealgos: u32, calgos: u32, seq: u32,
});
/** struct xfrm_userpolicy_default (3 bytes). */
export const xfrmUserpolicyDefault = struct('xfrm_userpolicy_default', { in: u8, fwd: u8, out: u8 });
/** struct xfrm_usersa_flush (1 byte). */
export const xfrmUsersaFlush = struct('xfrm_usersa_flush', { proto: u8 });

const ALG_NAME_LEN = 64;

/** Decode a fixed `char[64]` algorithm name. */
function algName(buf: Buffer, off: number): string {
  const end = buf.indexOf(0, off);
  return buf.toString('latin1', off, end >= 0 && end < off + ALG_NAME_LEN ? end : off + ALG_NAME_LEN);
}

function writeAlgName(b: Buffer, off: number, name: string): void {
  b.fill(0, off, off + ALG_NAME_LEN);
  // strlcpy: at most 63 bytes and a NUL.
  b.write(name, off, Math.min(Buffer.byteLength(name, 'latin1'), ALG_NAME_LEN - 1), 'latin1');
}

/** An algorithm (struct xfrm_algo / xfrm_algo_auth / xfrm_algo_aead). */
export interface XfrmAlgo {
  /** Kernel crypto API name, e.g. `cbc(aes)`, `hmac(sha256)`, `rfc4106(gcm(aes))`. */
  name: string;
  /** Key length in bits (usually `key.length * 8`). */
  keyLen: number;
  /** Key material. */
  key: Buffer;
}
/** struct xfrm_algo_auth: an authentication algorithm with a truncation length. */
export interface XfrmAlgoAuth extends XfrmAlgo { truncLen: number }
/** struct xfrm_algo_aead: an AEAD algorithm with an ICV length. */
export interface XfrmAlgoAead extends XfrmAlgo { icvLen: number }

/** A variable-length algorithm struct: name[64], key_len (bits), optional extra u32, key. */
function algoCodec<T extends XfrmAlgo>(name: string, extra: 'truncLen' | 'icvLen' | undefined): Codec<T> {
  const head = ALG_NAME_LEN + 4 + (extra ? 4 : 0);
  return {
    name,
    encode(w, v) {
      const keyBytes = Math.ceil(v.keyLen / 8);
      w.ensure(head + keyBytes);
      writeAlgName(w.buf, w.offset, v.name);
      w.buf.writeUInt32LE(v.keyLen >>> 0, w.offset + ALG_NAME_LEN);
      if (extra) w.buf.writeUInt32LE((v as unknown as Record<string, number>)[extra]! >>> 0, w.offset + ALG_NAME_LEN + 4);
      w.offset += head;
      const k = Buffer.alloc(keyBytes);
      v.key.copy(k, 0, 0, keyBytes);
      w.bytes(k);
    },
    decode(buf, off, len) {
      if (len < head) throw new ParseError(`${name} needs ${head} bytes, got ${len}`, off);
      const keyLen = buf.readUInt32LE(off + ALG_NAME_LEN);
      const keyBytes = Math.min(Math.ceil(keyLen / 8), len - head);
      const o: Record<string, unknown> = { name: algName(buf, off), keyLen };
      if (extra) o[extra] = buf.readUInt32LE(off + ALG_NAME_LEN + 4);
      o.key = Buffer.from(buf.subarray(off + head, off + head + keyBytes));
      return o as unknown as T;
    },
    arbitrary(rng) {
      const key = rng.bytes(rng.int(33));
      const o: Record<string, unknown> = { name: `alg${rng.int(100)}`, keyLen: key.length * 8, key };
      if (extra) o[extra] = rng.int(512);
      return o as unknown as T;
    },
  };
}

export const xfrmAlgo = algoCodec<XfrmAlgo>('xfrm_algo', undefined);
export const xfrmAlgoAuth = algoCodec<XfrmAlgoAuth>('xfrm_algo_auth', 'truncLen');
export const xfrmAlgoAead = algoCodec<XfrmAlgoAead>('xfrm_algo_aead', 'icvLen');

/** struct xfrm_replay_state_esn with its bitmap. */
export interface XfrmReplayEsn {
  bmpLen: number;
  oseq: number;
  seq: number;
  oseqHi: number;
  seqHi: number;
  replayWindow: number;
  bmp: number[];
}
export const xfrmReplayEsn: Codec<XfrmReplayEsn> = {
  name: 'xfrm_replay_state_esn',
  encode(w, v) {
    w.u32(v.bmpLen).u32(v.oseq).u32(v.seq).u32(v.oseqHi).u32(v.seqHi).u32(v.replayWindow);
    for (const x of v.bmp) w.u32(x);
  },
  decode(buf, off, len) {
    if (len < 24) throw new ParseError(`xfrm_replay_state_esn needs 24 bytes, got ${len}`, off);
    const bmpLen = buf.readUInt32LE(off);
    const n = Math.min(bmpLen, Math.floor((len - 24) / 4));
    const bmp: number[] = [];
    for (let i = 0; i < n; i++) bmp.push(buf.readUInt32LE(off + 24 + 4 * i));
    return {
      bmpLen, oseq: buf.readUInt32LE(off + 4), seq: buf.readUInt32LE(off + 8), oseqHi: buf.readUInt32LE(off + 12),
      seqHi: buf.readUInt32LE(off + 16), replayWindow: buf.readUInt32LE(off + 20), bmp,
    };
  },
  arbitrary(rng) {
    const bmp = Array.from({ length: rng.int(3) }, () => rng.int(0x10000));
    return { bmpLen: bmp.length, oseq: rng.int(1000), seq: rng.int(1000), oseqHi: rng.int(9), seqHi: rng.int(9), replayWindow: rng.int(128), bmp };
  },
};

/** struct xfrm_user_sec_ctx followed by the context string. */
export interface XfrmSecCtx {
  /** Usually XFRMA_SEC_CTX. */
  exttype: number;
  alg: number;
  doi: number;
  /** The context text as sent (iproute2 includes a trailing NUL, counted in ctx_len). */
  ctx: Buffer;
}
export const xfrmSecCtx: Codec<XfrmSecCtx> = {
  name: 'xfrm_user_sec_ctx',
  encode(w, v) {
    w.u16(8 + v.ctx.length).u16(v.exttype).u8(v.alg).u8(v.doi).u16(v.ctx.length);
    w.bytes(v.ctx);
  },
  decode(buf, off, len) {
    if (len < 8) throw new ParseError(`xfrm_user_sec_ctx needs 8 bytes, got ${len}`, off);
    const clen = Math.min(buf.readUInt16LE(off + 6), len - 8);
    return { exttype: buf.readUInt16LE(off + 2), alg: buf[off + 4]!, doi: buf[off + 5]!, ctx: Buffer.from(buf.subarray(off + 8, off + 8 + clen)) };
  },
  arbitrary(rng) {
    return { exttype: XFRMA.SEC_CTX, alg: 1, doi: 1, ctx: rng.bytes(rng.int(12)) };
  },
};

/** An array of struct xfrm_user_tmpl (XFRMA_TMPL). */
export const xfrmTmplList: Codec<XfrmUserTmpl[]> = {
  name: 'xfrm_user_tmpl[]',
  encode(w, v) { for (const t of v) xfrmUserTmpl.encode(w, t, {}); },
  decode(buf, off, len) {
    const out: XfrmUserTmpl[] = [];
    for (let p = 0; p + xfrmUserTmpl.size <= len; p += xfrmUserTmpl.size) out.push(xfrmUserTmpl.read(buf, off + p));
    return out;
  },
  arbitrary(rng) { return Array.from({ length: 1 + rng.int(2) }, () => xfrmUserTmpl.arbitrary(rng, {})); },
};

/** The XFRMA_* attributes of state and policy messages. */
export const xfrmAttrs = attrs('XFRMA', {
  alg_auth: attr(XFRMA.ALG_AUTH, xfrmAlgo),
  alg_crypt: attr(XFRMA.ALG_CRYPT, xfrmAlgo),
  alg_comp: attr(XFRMA.ALG_COMP, xfrmAlgo),
  encap: attr(XFRMA.ENCAP, xfrmEncapTmpl),
  tmpl: attr(XFRMA.TMPL, xfrmTmplList),
  sa: attr(XFRMA.SA, xfrmUsersaInfo),
  policy: attr(XFRMA.POLICY, xfrmUserpolicyInfo),
  sec_ctx: attr(XFRMA.SEC_CTX, xfrmSecCtx),
  ltime_val: attr(XFRMA.LTIME_VAL, xfrmLifetimeCur),
  replay_val: attr(XFRMA.REPLAY_VAL, xfrmReplayState),
  replay_thresh: attr(XFRMA.REPLAY_THRESH, u32),
  etimer_thresh: attr(XFRMA.ETIMER_THRESH, u32),
  srcaddr: attr(XFRMA.SRCADDR, xaddr),
  coaddr: attr(XFRMA.COADDR, xaddr),
  lastused: attr(XFRMA.LASTUSED, u64),
  policy_type: attr(XFRMA.POLICY_TYPE, xfrmUserpolicyType),
  alg_aead: attr(XFRMA.ALG_AEAD, xfrmAlgoAead),
  alg_auth_trunc: attr(XFRMA.ALG_AUTH_TRUNC, xfrmAlgoAuth),
  mark: attr(XFRMA.MARK, xfrmMark),
  tfcpad: attr(XFRMA.TFCPAD, u32),
  replay_esn_val: attr(XFRMA.REPLAY_ESN_VAL, xfrmReplayEsn),
  sa_extra_flags: attr(XFRMA.SA_EXTRA_FLAGS, u32),
  proto: attr(XFRMA.PROTO, u8),
  address_filter: attr(XFRMA.ADDRESS_FILTER, xfrmAddressFilter),
  offload_dev: attr(XFRMA.OFFLOAD_DEV, xfrmUserOffload),
  set_mark: attr(XFRMA.SET_MARK, u32),
  set_mark_mask: attr(XFRMA.SET_MARK_MASK, u32),
  if_id: attr(XFRMA.IF_ID, u32),
  mtimer_thresh: attr(XFRMA.MTIMER_THRESH, u32),
  migrate: attr(XFRMA.MIGRATE, bytes),
  kmaddress: attr(XFRMA.KMADDRESS, bytes),
});
export type XfrmAttrs = Infer<typeof xfrmAttrs>;

/** XFRM_MSG_NEWSA / UPDSA (and GETSA replies). */
export const xfrmSaMessage = message('xfrm state', xfrmUsersaInfo, xfrmAttrs);
/** XFRM_MSG_GETSA / DELSA requests (and DELSA notifications). */
export const xfrmSaIdMessage = message('xfrm state id', xfrmUsersaId, xfrmAttrs);
/** XFRM_MSG_ALLOCSPI. */
export const xfrmSpiMessage = message('xfrm allocspi', xfrmUserspiInfo, xfrmAttrs);
/** XFRM_MSG_NEWPOLICY / UPDPOLICY (and GETPOLICY replies). */
export const xfrmPolicyMessage = message('xfrm policy', xfrmUserpolicyInfo, xfrmAttrs);
/** XFRM_MSG_GETPOLICY / DELPOLICY requests (and DELPOLICY notifications). */
export const xfrmPolicyIdMessage = message('xfrm policy id', xfrmUserpolicyId, xfrmAttrs);
/** XFRM_MSG_EXPIRE notifications. */
export const xfrmExpireMessage = message('xfrm expire', xfrmUserExpire, xfrmAttrs);
/** XFRM_MSG_POLEXPIRE notifications. */
export const xfrmPolexpireMessage = message('xfrm polexpire', xfrmUserPolexpire, xfrmAttrs);
/** XFRM_MSG_ACQUIRE notifications. */
export const xfrmAcquireMessage = message('xfrm acquire', xfrmUserAcquire, xfrmAttrs);

/** XFRM_MSG_NEWSADINFO attributes (after a u32 of flags). */
export const xfrmSadAttrs = attrs('XFRMA_SAD', {
  cnt: attr(XFRMA_SAD.CNT, u32),
  hinfo: attr(XFRMA_SAD.HINFO, xfrmuHinfo),
});
/** XFRM_MSG_NEWSPDINFO attributes (after a u32 of flags). */
export const xfrmSpdAttrs = attrs('XFRMA_SPD', {
  info: attr(XFRMA_SPD.INFO, xfrmuSpdinfo),
  hinfo: attr(XFRMA_SPD.HINFO, xfrmuHinfo),
  ipv4_hthresh: attr(XFRMA_SPD.IPV4_HTHRESH, xfrmuSpdhthresh),
  ipv6_hthresh: attr(XFRMA_SPD.IPV6_HTHRESH, xfrmuSpdhthresh),
});
const flagsHeader = struct('xfrm info flags', { flags: u32 });
/** SADINFO messages: u32 flags + XFRMA_SAD_*. */
export const xfrmSadInfoMessage = message('xfrm sadinfo', flagsHeader, xfrmSadAttrs);
/** SPDINFO messages: u32 flags + XFRMA_SPD_*. */
export const xfrmSpdInfoMessage = message('xfrm spdinfo', flagsHeader, xfrmSpdAttrs);
