/**
 * The typed sockets the sock_diag queries return.
 * @module
 */
import type { TcpInfo } from './tcp-info.js';
import type { TipcSocket } from './tipc.js';

/** TCP state names as ss prints them, by state number. */
export const SS_STATE_NAMES = [
  'UNKNOWN', 'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN',
  'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING',
] as const;

/** Socket memory (SK_MEMINFO_*), as much as the kernel sent. */
export interface SkMemInfo {
  rmemAlloc: number; rcvbuf: number; wmemAlloc: number; sndbuf: number; fwdAlloc: number;
  wmemQueued: number; optmem: number;
  /** Absent on kernels before 4.x. */
  backlog?: number;
  drops?: number;
}

/** A pending timer (idiag_timer/expires/retrans). */
export interface SocketTimer {
  /** 1 on (retransmit), 2 keepalive, 3 timewait, 4 persist (zero-window probe); others unknown. */
  readonly code: number;
  /** ss's name: on, keepalive, timewait, persist, unknown. */
  readonly name: string;
  /** Milliseconds until it fires. */
  readonly expiresMs: number;
  /** Retransmits / probes so far. */
  readonly retrans: number;
}

/** Congestion-control details. */
export interface VegasInfo { enabled: number; rttcnt: number; rtt: number; minrtt: number }
export interface DctcpInfo { enabled: number; ceState: number; alpha: number; abEcn: number; abTot: number }
export interface BbrInfo { bw: bigint; minRtt: number; pacingGain: number; cwndGain: number }

/** INET_DIAG_SOCKOPT flags. */
export interface InetSockopt {
  recverr: boolean; isIcsk: boolean; freebind: boolean; hdrincl: boolean; mcLoop: boolean;
  transparent: boolean; mcAll: boolean; nodefrag: boolean; bindAddressNoPort: boolean;
  recverrRfc4884: boolean; deferConnect: boolean;
}

/** Fields every socket has. */
export interface SocketCommon {
  /** Kernel state number (TCP states; UNCONN = 7 for unconnected datagram sockets). */
  state: number;
  /** ss's state name (ESTAB, LISTEN, UNCONN, …). */
  stateName: string;
  recvQ: number;
  sendQ: number;
  /** Socket inode (0 for time-wait and request sockets). */
  inode: number;
  /** Kernel socket cookie. */
  cookie: bigint;
  uid?: number;
}

/** ss's netid for inet protocols. */
export type InetNetid = 'tcp' | 'udp' | 'raw' | 'mptcp' | 'sctp' | 'dccp' | 'icmp6' | 'udplite' | '???';

/** A TCP, UDP, UDP-Lite, raw, DCCP, SCTP or MPTCP socket. */
export interface InetSocket extends SocketCommon {
  readonly kind: 'inet';
  /** 2 (AF_INET) or 10 (AF_INET6). */
  family: number;
  /** IPPROTO_* of the table queried. */
  protocol: number;
  netid: InetNetid;
  /** For raw sockets: the socket's own protocol (INET_DIAG_PROTOCOL). */
  rawProtocol?: number;
  localAddress: string;
  localPort: number;
  peerAddress: string;
  peerPort: number;
  /** Raw address bytes (4 or 16), for filters. */
  localBytes: Buffer;
  peerBytes: Buffer;
  /** Bound interface index (0 = none). */
  ifindex: number;
  timer?: SocketTimer;
  /** Shutdown mask: bit 0 receive, bit 1 send. */
  shutdown?: number;
  v6only?: boolean;
  tos?: number;
  tclass?: number;
  classId?: number;
  mark?: number;
  cgroupId?: bigint;
  /** Congestion control algorithm name. */
  congestion?: string;
  tcpInfo?: TcpInfo;
  /** MPTCP sockets: struct mptcp_info (their INET_DIAG_INFO). */
  mptcpInfo?: {
    subflows: number; addAddrSignal: number; addAddrAccepted: number; subflowsMax: number; addAddrSignalMax: number;
    addAddrAcceptedMax: number; flags: number; token: number; writeSeq: bigint; sndUna: bigint; rcvNxt: bigint;
    localAddrUsed: number; localAddrMax: number; csumEnabled: number;
  };
  /** SCTP sockets: their INET_DIAG_INFO (struct sctp_info), raw. */
  sctpInfo?: Buffer;
  /** SCTP sockets: local and peer addresses (INET_DIAG_LOCALS/PEERS; "" for a family other than IPv4/IPv6). */
  sctpLocals?: string[];
  sctpPeers?: string[];
  skmem?: SkMemInfo;
  meminfo?: { rmem: number; wmem: number; fmem: number; tmem: number };
  vegas?: VegasInfo;
  dctcp?: DctcpInfo;
  bbr?: BbrInfo;
  sockopt?: InetSockopt;
  md5sig?: Array<{ family: number; prefixlen: number; keylen: number; address: string }>;
  ulp?: { name?: string; tls?: Buffer; mptcp?: Buffer };
}

/** A Unix domain socket. */
export interface UnixSocket extends SocketCommon {
  readonly kind: 'unix';
  /** 1 stream, 2 dgram, 5 seqpacket. */
  type: number;
  netid: 'u_str' | 'u_dgr' | 'u_seq';
  /** Path; abstract names start with `@` (NULs shown as `@`, as ss). Undefined when unnamed. */
  path?: string;
  /** Raw name bytes as the kernel sent them. */
  rawName?: Buffer;
  /** Peer socket inode (0 = none). */
  peerInode: number;
  vfs?: { inode: number; dev: number };
  /** Inodes of connections waiting to be accepted (listening sockets). */
  pending?: number[];
  shutdown?: number;
  skmem?: SkMemInfo;
}

/** A packet socket. */
export interface PacketSocket extends SocketCommon {
  readonly kind: 'packet';
  /** 3 raw, 2 dgram. */
  type: number;
  netid: 'p_raw' | 'p_dgr';
  /** Ethertype (host order). */
  protocol: number;
  ifindex: number;
  info?: { index: number; version: number; reserve: number; copyThresh: number; tstamp: number; flags: number };
  rxRing?: PacketRing;
  txRing?: PacketRing;
  fanout?: { id: number; type: number; raw: number };
  filter?: Array<{ code: number; jt: number; jf: number; k: number }>;
  mclist?: Array<{ index: number; count: number; type: number; address: string }>;
  skmem?: SkMemInfo;
}

/** Packet ring configuration. */
export interface PacketRing {
  blockSize: number; blockNr: number; frameSize: number; frameNr: number; retireTmo: number; sizeofPriv: number; features: number;
}

/** A netlink socket. */
export interface NetlinkSockInfo extends SocketCommon {
  readonly kind: 'netlink';
  netid: 'nl';
  /** Netlink protocol (NETLINK_ROUTE = 0, …). */
  protocol: number;
  portid: number;
  dstPortid: number;
  dstGroup: number;
  /** Multicast groups joined (group numbers, 1-based). */
  groups: number[];
  /** The first word of the group bitmap (what ss prints as groups=0x…). */
  groupsMask: bigint;
  flags?: number;
  skmem?: SkMemInfo;
}

/** A vsock (AF_VSOCK) socket. */
export interface VsockSocket extends SocketCommon {
  readonly kind: 'vsock';
  /** 1 stream, 2 dgram, 5 seqpacket. */
  type: number;
  netid: 'v_str' | 'v_dgr' | '???';
  localCid: number;
  localPort: number;
  peerCid: number;
  peerPort: number;
  shutdown: number;
}

/** An AF_XDP socket. */
export interface XdpSocket extends SocketCommon {
  readonly kind: 'xdp';
  netid: 'xdp';
  type: number;
  /** Bound device and queue (0 when unbound). */
  ifindex: number;
  queueId: number;
  /** Ring sizes (entries). */
  rxRing?: number; txRing?: number; fillRing?: number; completionRing?: number;
  umem?: { size: bigint; id: number; numPages: number; chunkSize: number; headroom: number; ifindex: number; queueId: number; flags: number; refs: number };
  stats?: { rxDropped: bigint; rxInvalid: bigint; rxFull: bigint; fillRingEmpty: bigint; txInvalid: bigint; txRingEmpty: bigint };
  skmem?: SkMemInfo;
}

/** Any socket a query returns. */
export type Socket = InetSocket | UnixSocket | PacketSocket | NetlinkSockInfo | VsockSocket | XdpSocket | TipcSocket;
export type { TipcSocket };
