/**
 * Wire schemas of sock_diag: request and reply headers of every family and
 * their attribute sets. One declaration drives encode and decode (see
 * src/netlink/codec/schema.ts); structs are read tolerantly, so a kernel whose
 * struct grew (tcp_info does, often) or shrank never breaks a dump.
 * @module
 */
import {
  struct, attrs, attr, u8, u16, u32, u64, be16, fixedBytes, cstring, bytes, array, pad,
  type Infer, type FixedCodec,
} from '../netlink/codec/schema.js';
import { INET_DIAG, INET_ULP_INFO, UNIX_DIAG, PACKET_DIAG, NETLINK_DIAG, XDP_DIAG } from './constants.js';
import { tcpInfo } from './tcp-info.js';

/** struct inet_diag_sockid (ports big-endian, addresses as 16 raw bytes). */
export const inetDiagSockid = struct('inet_diag_sockid', {
  sport: be16, dport: be16, src: fixedBytes(16), dst: fixedBytes(16), if: u32, cookie: u64,
});

/** struct inet_diag_req_v2 (also inet_diag_req_raw: `pad` is sdiag_raw_protocol). */
export const inetDiagReqV2 = struct('inet_diag_req_v2', {
  family: u8, protocol: u8, ext: u8, rawProtocol: u8, states: u32,
  sport: be16, dport: be16, src: fixedBytes(16), dst: fixedBytes(16), if: u32, cookie: u64,
});
export type InetDiagReqV2 = Infer<typeof inetDiagReqV2>;

/** struct inet_diag_req (legacy TCPDIAG_GETSOCK request). */
export const inetDiagReq = struct('inet_diag_req', {
  family: u8, srcLen: u8, dstLen: u8, ext: u8,
  sport: be16, dport: be16, src: fixedBytes(16), dst: fixedBytes(16), if: u32, cookie: u64,
  states: u32, dbs: u32,
});

/** struct inet_diag_msg */
export const inetDiagMsg = struct('inet_diag_msg', {
  family: u8, state: u8, timer: u8, retrans: u8,
  sport: be16, dport: be16, src: fixedBytes(16), dst: fixedBytes(16), if: u32, cookie: u64,
  expires: u32, rqueue: u32, wqueue: u32, uid: u32, inode: u32,
});
export type InetDiagMsg = Infer<typeof inetDiagMsg>;

/** struct inet_diag_meminfo */
export const inetDiagMeminfo = struct('inet_diag_meminfo', { rmem: u32, wmem: u32, fmem: u32, tmem: u32 });

/** struct tcpvegas_info */
export const tcpVegasInfo = struct('tcpvegas_info', { enabled: u32, rttcnt: u32, rtt: u32, minrtt: u32 });

/** struct tcp_dctcp_info */
export const tcpDctcpInfo = struct('tcp_dctcp_info', { enabled: u16, ceState: u16, alpha: u32, abEcn: u32, abTot: u32 });

/** struct tcp_bbr_info */
export const tcpBbrInfo = struct('tcp_bbr_info', { bwLo: u32, bwHi: u32, minRtt: u32, pacingGain: u32, cwndGain: u32 });

/** struct inet_diag_sockopt: two bytes of single-bit flags, kept raw (see {@link decodeSockopt}). */
export const inetDiagSockopt = struct('inet_diag_sockopt', { bits0: u8, bits1: u8 });

/** struct tcp_diag_md5sig */
export const tcpDiagMd5sig = struct('tcp_diag_md5sig', {
  family: u8, prefixlen: u8, keylen: u16, addr: fixedBytes(16), key: fixedBytes(80),
});

/** The SK_MEMINFO_* u32 array (as long as the kernel sends). */
export const skMeminfo = array(u32);

/** struct sctp_info (an SCTP socket's INET_DIAG_INFO), as much as ss prints. Read tolerantly: older kernels send less. */
export const sctpInfo = struct('sctp_info', {
  tag: u32, state: u32, rwnd: u32, unackdata: u16, penddata: u16, instrms: u16, outstrms: u16,
  fragmentationPoint: u32, inqueue: u32, outqueue: u32, overallError: u32, maxBurst: u32, maxseg: u32,
  peerRwnd: u32, peerTag: u32, peerCapable: u8, peerSack: u8, _reserved1: pad(2),
  isacks: u64, osacks: u64, opackets: u64, ipackets: u64, rtxchunks: u64, outofseqtsns: u64, idupchunks: u64,
  gapcnt: u64, ouodchunks: u64, iuodchunks: u64, oodchunks: u64, iodchunks: u64, octrlchunks: u64, ictrlchunks: u64,
  /** struct sockaddr_storage of the primary path. */
  pAddress: fixedBytes(128),
  pState: u32, pCwnd: u32, pSrtt: u32, pRto: u32, pHbinterval: u32, pPathmaxrxt: u32, pSackdelay: u32,
  pSackfreq: u32, pSsthresh: u32, pPartialBytesAcked: u32, pFlightSize: u32, pError: u16, _reserved2: pad(2),
  sAutoclose: u32, sAdaptationInd: u32, sPdPoint: u32, sNodelay: u8, sDisableFragments: u8, sV4mapped: u8,
  sFragInterleave: u8, sType: u32, _reserved3: pad(4),
});

/** INET_DIAG_ULP_INFO nest (TLS/MPTCP details kept raw). */
export const inetUlpInfo = attrs('INET_DIAG_ULP_INFO', {
  name: attr(INET_ULP_INFO.NAME, cstring),
  tls: attr(INET_ULP_INFO.TLS, bytes),
  mptcp: attr(INET_ULP_INFO.MPTCP, bytes),
});

/** Reply attributes of an inet socket. */
export const inetDiagAttrs = attrs('INET_DIAG', {
  meminfo: attr(INET_DIAG.MEMINFO, inetDiagMeminfo),
  info: attr(INET_DIAG.INFO, bytes),
  vegasinfo: attr(INET_DIAG.VEGASINFO, tcpVegasInfo),
  cong: attr(INET_DIAG.CONG, cstring),
  tos: attr(INET_DIAG.TOS, u8),
  tclass: attr(INET_DIAG.TCLASS, u8),
  skmeminfo: attr(INET_DIAG.SKMEMINFO, skMeminfo),
  shutdown: attr(INET_DIAG.SHUTDOWN, u8),
  dctcpinfo: attr(INET_DIAG.DCTCPINFO, tcpDctcpInfo),
  protocol: attr(INET_DIAG.PROTOCOL, u8),
  skv6only: attr(INET_DIAG.SKV6ONLY, u8),
  mark: attr(INET_DIAG.MARK, u32),
  bbrinfo: attr(INET_DIAG.BBRINFO, tcpBbrInfo),
  classId: attr(INET_DIAG.CLASS_ID, u32),
  md5sig: attr(INET_DIAG.MD5SIG, array(tcpDiagMd5sig)),
  ulpInfo: attr(INET_DIAG.ULP_INFO, inetUlpInfo),
  cgroupId: attr(INET_DIAG.CGROUP_ID, u64),
  sockopt: attr(INET_DIAG.SOCKOPT, inetDiagSockopt),
  /** SCTP: the endpoint's or association's local and peer addresses (struct sockaddr_storage each). */
  locals: attr(INET_DIAG.LOCALS, bytes),
  peers: attr(INET_DIAG.PEERS, bytes),
});
export type InetDiagAttrs = Infer<typeof inetDiagAttrs>;

/** struct unix_diag_req */
export const unixDiagReq = struct('unix_diag_req', {
  family: u8, protocol: u8, _pad: pad(2), states: u32, ino: u32, show: u32, cookie: u64,
});

/** struct unix_diag_msg */
export const unixDiagMsg = struct('unix_diag_msg', {
  family: u8, type: u8, state: u8, _pad: pad(1), ino: u32, cookie: u64,
});

/** struct unix_diag_vfs */
export const unixDiagVfs = struct('unix_diag_vfs', { ino: u32, dev: u32 });
/** struct unix_diag_rqlen */
export const unixDiagRqlen = struct('unix_diag_rqlen', { rqueue: u32, wqueue: u32 });

/** A Unix socket name: raw bytes (abstract names start with NUL). */
export const unixDiagAttrs = attrs('UNIX_DIAG', {
  name: attr(UNIX_DIAG.NAME, bytes),
  vfs: attr(UNIX_DIAG.VFS, unixDiagVfs),
  peer: attr(UNIX_DIAG.PEER, u32),
  icons: attr(UNIX_DIAG.ICONS, array(u32)),
  rqlen: attr(UNIX_DIAG.RQLEN, unixDiagRqlen),
  meminfo: attr(UNIX_DIAG.MEMINFO, skMeminfo),
  shutdown: attr(UNIX_DIAG.SHUTDOWN, u8),
  uid: attr(UNIX_DIAG.UID, u32),
});

/** struct packet_diag_req */
export const packetDiagReq = struct('packet_diag_req', {
  family: u8, protocol: u8, _pad: pad(2), ino: u32, show: u32, cookie: u64,
});

/** struct packet_diag_msg */
export const packetDiagMsg = struct('packet_diag_msg', { family: u8, type: u8, num: u16, ino: u32, cookie: u64 });

/** struct packet_diag_info */
export const packetDiagInfo = struct('packet_diag_info', {
  index: u32, version: u32, reserve: u32, copyThresh: u32, tstamp: u32, flags: u32,
});

/** struct packet_diag_mclist */
export const packetDiagMclist = struct('packet_diag_mclist', {
  index: u32, count: u32, type: u16, alen: u16, addr: fixedBytes(32),
});

/** struct packet_diag_ring */
export const packetDiagRing = struct('packet_diag_ring', {
  blockSize: u32, blockNr: u32, frameSize: u32, frameNr: u32, retireTmo: u32, sizeofPriv: u32, features: u32,
});

/** struct sock_filter (classic BPF instruction). */
export const sockFilter = struct('sock_filter', { code: u16, jt: u8, jf: u8, k: u32 });

export const packetDiagAttrs = attrs('PACKET_DIAG', {
  info: attr(PACKET_DIAG.INFO, packetDiagInfo),
  mclist: attr(PACKET_DIAG.MCLIST, array(packetDiagMclist)),
  rxRing: attr(PACKET_DIAG.RX_RING, packetDiagRing),
  txRing: attr(PACKET_DIAG.TX_RING, packetDiagRing),
  fanout: attr(PACKET_DIAG.FANOUT, u32),
  uid: attr(PACKET_DIAG.UID, u32),
  meminfo: attr(PACKET_DIAG.MEMINFO, skMeminfo),
  filter: attr(PACKET_DIAG.FILTER, array(sockFilter)),
});

/** struct netlink_diag_req */
export const netlinkDiagReq = struct('netlink_diag_req', {
  family: u8, protocol: u8, _pad: pad(2), ino: u32, show: u32, cookie: u64,
});

/** struct netlink_diag_msg */
export const netlinkDiagMsg = struct('netlink_diag_msg', {
  family: u8, type: u8, protocol: u8, state: u8, portid: u32, dstPortid: u32, dstGroup: u32, ino: u32, cookie: u64,
});

/** struct netlink_diag_ring */
export const netlinkDiagRing = struct('netlink_diag_ring', { blockSize: u32, blockNr: u32, frameSize: u32, frameNr: u32 });

export const netlinkDiagAttrs = attrs('NETLINK_DIAG', {
  meminfo: attr(NETLINK_DIAG.MEMINFO, skMeminfo),
  /** A bitmap of unsigned longs (64-bit here): group N is bit N-1. */
  groups: attr(NETLINK_DIAG.GROUPS, bytes),
  rxRing: attr(NETLINK_DIAG.RX_RING, netlinkDiagRing),
  txRing: attr(NETLINK_DIAG.TX_RING, netlinkDiagRing),
  flags: attr(NETLINK_DIAG.FLAGS, u32),
});

/** struct mptcp_info (INET_DIAG_INFO of MPTCP sockets). */
export const mptcpInfo = struct('mptcp_info', {
  subflows: u8, addAddrSignal: u8, addAddrAccepted: u8, subflowsMax: u8, addAddrSignalMax: u8, addAddrAcceptedMax: u8,
  _pad: pad(2), flags: u32, token: u32, writeSeq: u64, sndUna: u64, rcvNxt: u64,
  localAddrUsed: u8, localAddrMax: u8, csumEnabled: u8,
});

/** struct vsock_diag_req */
export const vsockDiagReq = struct('vsock_diag_req', {
  family: u8, protocol: u8, _pad: pad(2), states: u32, ino: u32, show: u32, cookie: u64,
});

/** struct vsock_diag_msg */
export const vsockDiagMsg = struct('vsock_diag_msg', {
  family: u8, type: u8, state: u8, shutdown: u8, srcCid: u32, srcPort: u32, dstCid: u32, dstPort: u32, ino: u32, cookie: u64,
});

/** struct xdp_diag_req */
export const xdpDiagReq = struct('xdp_diag_req', { family: u8, protocol: u8, _pad: pad(2), ino: u32, show: u32, cookie: u64 });
/** struct xdp_diag_msg */
export const xdpDiagMsg = struct('xdp_diag_msg', { family: u8, type: u8, _pad: pad(2), ino: u32, cookie: u64 });
/** struct xdp_diag_umem */
export const xdpDiagUmem = struct('xdp_diag_umem', {
  size: u64, id: u32, numPages: u32, chunkSize: u32, headroom: u32, ifindex: u32, queueId: u32, flags: u32, refs: u32,
});
/** struct xdp_diag_stats */
export const xdpDiagStats = struct('xdp_diag_stats', {
  rxDropped: u64, rxInvalid: u64, rxFull: u64, fillRingEmpty: u64, txInvalid: u64, txRingEmpty: u64,
});
export const xdpDiagAttrs = attrs('XDP_DIAG', {
  info: attr(XDP_DIAG.INFO, struct('xdp_diag_info', { ifindex: u32, queueId: u32 })),
  uid: attr(XDP_DIAG.UID, u32),
  rxRing: attr(XDP_DIAG.RX_RING, u32),
  txRing: attr(XDP_DIAG.TX_RING, u32),
  umem: attr(XDP_DIAG.UMEM, xdpDiagUmem),
  fillRing: attr(XDP_DIAG.UMEM_FILL_RING, u32),
  completionRing: attr(XDP_DIAG.UMEM_COMPLETION_RING, u32),
  meminfo: attr(XDP_DIAG.MEMINFO, skMeminfo),
  stats: attr(XDP_DIAG.STATS, xdpDiagStats),
});

/** sock_diag_req: the common two-byte prefix of every request (family, protocol). */
export const sockDiagReq = struct('sock_diag_req', { family: u8, protocol: u8 });

/** tcp_info, re-exported for convenience. */
export { tcpInfo };

/** The 8-byte inet_diag_bc_op. */
export const inetDiagBcOp = struct('inet_diag_bc_op', { code: u8, yes: u8, no: u16 });

export type { FixedCodec };
