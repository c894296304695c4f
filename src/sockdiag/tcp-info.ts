/**
 * struct tcp_info, every field up to what kernel 6.18 sends. The kernel sends
 * as many bytes as it knows; older kernels send fewer (missing fields read as
 * zero and {@link TcpInfo.length} tells how many bytes came), newer ones more
 * (ignored past what we know).
 * @module
 */
import { struct, u8, u16, u32, u64, type Infer } from '../netlink/codec/schema.js';

/** The wire layout (bitfield bytes kept raw; see {@link decodeTcpInfo}). */
export const tcpInfo = struct('tcp_info', {
  state: u8, caState: u8, retransmits: u8, probes: u8, backoff: u8, options: u8,
  /** snd_wscale (low 4 bits), rcv_wscale (high 4 bits) */
  wscaleBits: u8,
  /** delivery_rate_app_limited (bit 0), fastopen_client_fail (bits 1-2) */
  flagBits: u8,
  rto: u32, ato: u32, sndMss: u32, rcvMss: u32,
  unacked: u32, sacked: u32, lost: u32, retrans: u32, fackets: u32,
  lastDataSent: u32, lastAckSent: u32, lastDataRecv: u32, lastAckRecv: u32,
  pmtu: u32, rcvSsthresh: u32, rtt: u32, rttvar: u32, sndSsthresh: u32, sndCwnd: u32, advmss: u32, reordering: u32,
  rcvRtt: u32, rcvSpace: u32,
  totalRetrans: u32,
  pacingRate: u64, maxPacingRate: u64, bytesAcked: u64, bytesReceived: u64,
  segsOut: u32, segsIn: u32,
  notsentBytes: u32, minRtt: u32, dataSegsIn: u32, dataSegsOut: u32,
  deliveryRate: u64,
  busyTime: u64, rwndLimited: u64, sndbufLimited: u64,
  delivered: u32, deliveredCe: u32,
  bytesSent: u64, bytesRetrans: u64, dsackDups: u32, reordSeen: u32,
  rcvOoopack: u32,
  sndWnd: u32,
  // 6.2+
  rcvWnd: u32, rehash: u32,
  // 6.7+
  totalRto: u16, totalRtoRecoveries: u16, totalRtoTime: u32,
  // 6.18+ (accurate ECN)
  receivedCe: u32,
  deliveredE1Bytes: u32, deliveredE0Bytes: u32, deliveredCeBytes: u32,
  receivedE1Bytes: u32, receivedE0Bytes: u32, receivedCeBytes: u32,
  accecnFailMode: u16, accecnOptSeen: u16,
});

/** Raw tcp_info fields as on the wire. */
export type TcpInfoRaw = Infer<typeof tcpInfo>;

/** Decoded tcp_info: every wire field plus the bitfields split out. */
export interface TcpInfo extends TcpInfoRaw {
  sndWscale: number;
  rcvWscale: number;
  deliveryRateAppLimited: boolean;
  fastopenClientFail: number;
  /** Bytes of tcp_info the kernel sent. */
  length: number;
}

/** Decode a tcp_info payload of any length. */
export function decodeTcpInfo(buf: Buffer, off: number, len: number): TcpInfo {
  const raw = tcpInfo.decode(buf, off, len) as TcpInfo;
  raw.sndWscale = raw.wscaleBits & 0xf;
  raw.rcvWscale = raw.wscaleBits >> 4;
  raw.deliveryRateAppLimited = (raw.flagBits & 1) !== 0;
  raw.fastopenClientFail = (raw.flagBits >> 1) & 3;
  raw.length = len;
  return raw;
}

/** Byte offset of every tcp_info member (from the one declaration above), for in-place readers. */
export const TCP_INFO_OFFSETS = Object.fromEntries(tcpInfo.members.map((m) => [m.name, m.offset])) as { readonly [K in keyof TcpInfoRaw]: number };
