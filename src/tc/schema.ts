/**
 * The tc message schema (RTM_*QDISC, RTM_*TCLASS): struct tcmsg followed by
 * TCA_* attributes (linux/rtnetlink.h), with the statistics nests of
 * linux/gen_stats.h and the legacy struct tc_stats (linux/pkt_sched.h).
 *
 * TCA_OPTIONS and TCA_XSTATS are variants keyed by TCA_KIND through the kind
 * registry (src/tc/kind.ts): qdisc messages use a kind's `options`/`xstats`
 * codecs, class messages its `classOptions`/`classXstats`. Kinds rip does not
 * know keep their payloads as raw bytes. TCA_STATS2's TCA_STATS_APP (the
 * modern home of xstats) stays raw here: its nest does not see TCA_KIND, so
 * the object APIs decode it with the kind's codec afterwards.
 * @module
 */
import {
  attrs, attr, cstring, u8, u16, u32, s8, s16, s32, u64, bytes, flag, struct, array, variant, keyString,
  message, pad, type Infer, type Codec,
} from '../netlink/codec/schema.js';
import { constants, NLM_F, RTM } from '../netlink/constants.js';
import { tcmsg } from '../netlink/structs.js';
import { qdiscKind, qdiscKindNames } from './kind.js';

/** TCA_* attributes of tc messages. */
export const TCA = constants('TCA_', ['linux/rtnetlink.h'], {
  UNSPEC: 0, KIND: 1, OPTIONS: 2, STATS: 3, XSTATS: 4, RATE: 5, FCNT: 6, STATS2: 7, STAB: 8, PAD: 9,
  DUMP_INVISIBLE: 10, CHAIN: 11, HW_OFFLOAD: 12, INGRESS_BLOCK: 13, EGRESS_BLOCK: 14, DUMP_FLAGS: 15,
  EXT_WARN_MSG: 16,
});

/** TCA_STATS_* (inside TCA_STATS2). */
export const TCA_STATS = constants('TCA_STATS_', ['linux/gen_stats.h'], {
  UNSPEC: 0, BASIC: 1, RATE_EST: 2, QUEUE: 3, APP: 4, RATE_EST64: 5, PAD: 6, BASIC_HW: 7, PKT64: 8,
});

/** TCA_STAB_* (inside TCA_STAB). */
export const TCA_STAB = constants('TCA_STAB_', ['linux/pkt_sched.h'], { UNSPEC: 0, BASE: 1, DATA: 2 });

/** TC_LINKLAYER_* and the mask of tc_ratespec.linklayer. */
export const TC_LINKLAYER = constants('TC_LINKLAYER_', ['linux/pkt_sched.h'], { UNAWARE: 0, ETHERNET: 1, ATM: 2, MASK: 0x0f });

/** struct gnet_stats_basic (kernel pads it to 16 bytes). */
export const gnetStatsBasic = struct('gnet_stats_basic', { bytes: u64, packets: u32, _pad: pad(4) });
/** struct gnet_stats_rate_est */
export const gnetStatsRateEst = struct('gnet_stats_rate_est', { bps: u32, pps: u32 });
/** struct gnet_stats_rate_est64 */
export const gnetStatsRateEst64 = struct('gnet_stats_rate_est64', { bps: u64, pps: u64 });
/** struct gnet_stats_queue */
export const gnetStatsQueue = struct('gnet_stats_queue', { qlen: u32, backlog: u32, drops: u32, requeues: u32, overlimits: u32 });

/** TCA_STATS2 nest. */
export const stats2Attrs = attrs('TCA_STATS2', {
  basic: attr(TCA_STATS.BASIC, gnetStatsBasic),
  rate_est: attr(TCA_STATS.RATE_EST, gnetStatsRateEst),
  queue: attr(TCA_STATS.QUEUE, gnetStatsQueue),
  /** Kind-specific statistics (decode with the kind's xstats codec). */
  app: attr(TCA_STATS.APP, bytes),
  rate_est64: attr(TCA_STATS.RATE_EST64, gnetStatsRateEst64),
  pad: attr(TCA_STATS.PAD, bytes),
  basic_hw: attr(TCA_STATS.BASIC_HW, gnetStatsBasic),
  pkt64: attr(TCA_STATS.PKT64, u64),
});
/** Decoded TCA_STATS2. */
export type Stats2Attrs = Infer<typeof stats2Attrs>;

/** struct tc_stats (legacy TCA_STATS; 36 bytes of data padded to 40). */
export const tcStatsStruct = struct('tc_stats', {
  bytes: u64, packets: u32, drops: u32, overlimits: u32, bps: u32, pps: u32, qlen: u32, backlog: u32, _pad: pad(4),
});

/** struct tc_estimator (TCA_RATE). */
export const tcEstimator = struct('tc_estimator', { interval: s8, ewma_log: u8 });

/** struct tc_sizespec (TCA_STAB_BASE). */
export const tcSizespec = struct('tc_sizespec', {
  cell_log: u8, size_log: u8, cell_align: s16, overhead: s32, linklayer: u32, mpu: u32, mtu: u32, tsize: u32,
});

/** TCA_STAB nest. */
export const stabAttrs = attrs('TCA_STAB', {
  base: attr(TCA_STAB.BASE, tcSizespec),
  data: attr(TCA_STAB.DATA, array(u16)),
});

/** struct nla_bitfield32 (TCA_DUMP_FLAGS). */
export const bitfield32 = struct('nla_bitfield32', { value: u32, selector: u32 });

/** struct tc_ratespec, shared by htb, tbf and many other kinds. */
export const tcRatespec = struct('tc_ratespec', {
  cell_log: u8, linklayer: u8, overhead: u16, cell_align: s16, mpu: u16, rate: u32,
});
/** Decoded struct tc_ratespec. */
export type TcRatespec = Infer<typeof tcRatespec>;

/** Decoded kind options: the kind's codec value, or raw bytes for kinds rip does not know. */
export type KindOptions = unknown;

const kindKey = (): Codec<string> => keyString(qdiscKindNames());

function tcAttrs(name: string, forClass: boolean) {
  return attrs(name, {
    kind: attr(TCA.KIND, kindKey()),
    options: attr(TCA.OPTIONS, variant<KindOptions>(`${name}.TCA_OPTIONS`, 'kind', (k) => {
      const m = qdiscKind(k);
      return (forClass ? m?.classOptions : m?.options) as Codec<KindOptions> | undefined;
    })),
    stats: attr(TCA.STATS, tcStatsStruct),
    xstats: attr(TCA.XSTATS, variant<KindOptions>(`${name}.TCA_XSTATS`, 'kind', (k) => {
      const m = qdiscKind(k);
      return (forClass ? m?.classXstats : m?.xstats) as Codec<KindOptions> | undefined;
    })),
    rate: attr(TCA.RATE, tcEstimator),
    fcnt: attr(TCA.FCNT, u32),
    stats2: attr(TCA.STATS2, stats2Attrs),
    stab: attr(TCA.STAB, stabAttrs),
    pad: attr(TCA.PAD, bytes),
    dump_invisible: attr(TCA.DUMP_INVISIBLE, flag),
    chain: attr(TCA.CHAIN, u32),
    hw_offload: attr(TCA.HW_OFFLOAD, u8),
    ingress_block: attr(TCA.INGRESS_BLOCK, u32),
    egress_block: attr(TCA.EGRESS_BLOCK, u32),
    dump_flags: attr(TCA.DUMP_FLAGS, bitfield32),
    ext_warn_msg: attr(TCA.EXT_WARN_MSG, cstring),
  });
}

/** TCA attributes of qdisc messages (options/xstats by the kind's qdisc codecs). */
export const qdiscAttrs = tcAttrs('TCA(qdisc)', false);
/** TCA attributes of class messages (options/xstats by the kind's class codecs). */
export const classAttrs = tcAttrs('TCA(class)', true);
/** Decoded TCA attributes. */
export type TcAttrs = Infer<typeof qdiscAttrs>;

/** RTM_NEWQDISC/DELQDISC/GETQDISC body. */
export const qdiscMessage = message('RTM_NEWQDISC', tcmsg, qdiscAttrs);
/** RTM_NEWTCLASS/DELTCLASS/GETTCLASS body. */
export const classMessage = message('RTM_NEWTCLASS', tcmsg, classAttrs);

// ---------------------------------------------------------------- statistics

/**
 * Statistics of a qdisc or class, merged from TCA_STATS2 (preferred) or the
 * legacy TCA_STATS. Keys follow `tc -s -j` output.
 */
export interface TcStatistics {
  readonly bytes: bigint;
  /** From TCA_STATS_PKT64 when the kernel sent it, else the 32-bit count. */
  readonly packets: bigint;
  readonly drops: number;
  readonly overlimits: number;
  readonly requeues: number;
  readonly backlog: number;
  readonly qlen: number;
  /** Rate estimator (bytes/s and packets/s), when one is configured. */
  readonly rate?: { readonly bps: bigint; readonly pps: bigint };
  /** Offloaded traffic (TCA_STATS_BASIC_HW). */
  readonly hw?: { readonly bytes: bigint; readonly packets: number };
}

/** Build {@link TcStatistics} from decoded attributes; undefined when the message carried none. */
export function statistics(a: Pick<TcAttrs, 'stats' | 'stats2'>): TcStatistics | undefined {
  const s2 = a.stats2;
  if (s2) {
    const q = s2.queue;
    const out: { -readonly [K in keyof TcStatistics]: TcStatistics[K] } = {
      bytes: s2.basic?.bytes ?? 0n,
      packets: s2.pkt64 !== undefined && s2.pkt64 !== 0n ? s2.pkt64 : BigInt(s2.basic?.packets ?? 0),
      drops: q?.drops ?? 0,
      overlimits: q?.overlimits ?? 0,
      requeues: q?.requeues ?? 0,
      backlog: q?.backlog ?? 0,
      qlen: q?.qlen ?? 0,
    };
    if (s2.rate_est64) out.rate = { bps: s2.rate_est64.bps, pps: s2.rate_est64.pps };
    else if (s2.rate_est) out.rate = { bps: BigInt(s2.rate_est.bps), pps: BigInt(s2.rate_est.pps) };
    if (s2.basic_hw) out.hw = { bytes: s2.basic_hw.bytes, packets: s2.basic_hw.packets };
    return out;
  }
  const s = a.stats;
  if (!s) return undefined;
  const out: { -readonly [K in keyof TcStatistics]: TcStatistics[K] } = {
    bytes: s.bytes, packets: BigInt(s.packets), drops: s.drops, overlimits: s.overlimits, requeues: 0,
    backlog: s.backlog, qlen: s.qlen,
  };
  if (s.bps || s.pps) out.rate = { bps: BigInt(s.bps), pps: BigInt(s.pps) };
  return out;
}

// ---------------------------------------------------------------- operations

/** Modifying qdisc operations and tc's netlink flags for them (NLM_F_ACK is added when sending). */
export const QDISC_OPS = {
  add: { type: RTM.NEWQDISC, flags: NLM_F.EXCL | NLM_F.CREATE },
  change: { type: RTM.NEWQDISC, flags: 0 },
  replace: { type: RTM.NEWQDISC, flags: NLM_F.CREATE | NLM_F.REPLACE },
  link: { type: RTM.NEWQDISC, flags: NLM_F.REPLACE },
  del: { type: RTM.DELQDISC, flags: 0 },
} as const;
/** A modifying qdisc operation. */
export type QdiscOp = keyof typeof QDISC_OPS;

/** Class operations and tc's netlink flags for them (`replace` is NLM_F_CREATE only, as tc). */
export const CLASS_OPS = {
  add: { type: RTM.NEWTCLASS, flags: NLM_F.EXCL | NLM_F.CREATE },
  change: { type: RTM.NEWTCLASS, flags: 0 },
  replace: { type: RTM.NEWTCLASS, flags: NLM_F.CREATE },
  del: { type: RTM.DELTCLASS, flags: 0 },
} as const;
/** A modifying class operation. */
export type ClassOp = keyof typeof CLASS_OPS;
