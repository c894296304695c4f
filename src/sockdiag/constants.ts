/**
 * sock_diag constants, each checked against the UAPI headers by
 * test/unit/constants.test.ts.
 * @module
 */
import { constants } from '../netlink/constants.js';

const SD = ['linux/sock_diag.h'];
const ID = ['linux/inet_diag.h'];
const UD = ['linux/unix_diag.h'];
const PD = ['linux/packet_diag.h'];
const ND = ['linux/netlink_diag.h'];

/** sock_diag message types. */
export const SOCK_DIAG = constants('', SD, { SOCK_DIAG_BY_FAMILY: 20, SOCK_DESTROY: 21 });

/** Legacy inet_diag message types (the TCPDIAG_FILE format and kernels without SOCK_DIAG_BY_FAMILY). */
export const INETDIAG_MSG = constants('', ID, { TCPDIAG_GETSOCK: 18, DCCPDIAG_GETSOCK: 19 });

/** Indices into the SK_MEMINFO array (INET_DIAG_SKMEMINFO and friends). */
export const SK_MEMINFO = constants('SK_MEMINFO_', SD, {
  RMEM_ALLOC: 0, RCVBUF: 1, WMEM_ALLOC: 2, SNDBUF: 3, FWD_ALLOC: 4, WMEM_QUEUED: 5, OPTMEM: 6,
  BACKLOG: 7, DROPS: 8, VARS: 9,
});

/** sock_diag multicast groups (socket destruction events). */
export const SKNLGRP = constants('SKNLGRP_', SD, {
  NONE: 0, INET_TCP_DESTROY: 1, INET_UDP_DESTROY: 2, INET6_TCP_DESTROY: 3, INET6_UDP_DESTROY: 4,
});

/** Request attributes of inet_diag_req_v2. */
export const INET_DIAG_REQ = constants('INET_DIAG_REQ_', ID, {
  NONE: 0, BYTECODE: 1, SK_BPF_STORAGES: 2, PROTOCOL: 3,
});

/** inet_diag bytecode operations. */
export const INET_DIAG_BC = constants('INET_DIAG_BC_', ID, {
  NOP: 0, JMP: 1, S_GE: 2, S_LE: 3, D_GE: 4, D_LE: 5, AUTO: 6, S_COND: 7, D_COND: 8,
  DEV_COND: 9, MARK_COND: 10, S_EQ: 11, D_EQ: 12, CGROUP_COND: 13,
});

/** Reply attributes of inet_diag_msg. */
export const INET_DIAG = constants('INET_DIAG_', ID, {
  NONE: 0, MEMINFO: 1, INFO: 2, VEGASINFO: 3, CONG: 4, TOS: 5, TCLASS: 6, SKMEMINFO: 7,
  SHUTDOWN: 8, DCTCPINFO: 9, PROTOCOL: 10, SKV6ONLY: 11, LOCALS: 12, PEERS: 13, PAD: 14,
  MARK: 15, BBRINFO: 16, CLASS_ID: 17, MD5SIG: 18, ULP_INFO: 19, SK_BPF_STORAGES: 20,
  CGROUP_ID: 21, SOCKOPT: 22,
});

/** INET_DIAG_ULP_INFO nest. */
export const INET_ULP_INFO = constants('INET_ULP_INFO_', ID, { UNSPEC: 0, NAME: 1, TLS: 2, MPTCP: 3 });

/** unix_diag_req.udiag_show bits. */
export const UDIAG_SHOW = constants('UDIAG_SHOW_', UD, {
  NAME: 0x1, VFS: 0x2, PEER: 0x4, ICONS: 0x8, RQLEN: 0x10, MEMINFO: 0x20, UID: 0x40,
});

/** unix_diag reply attributes. */
export const UNIX_DIAG = constants('UNIX_DIAG_', UD, {
  NAME: 0, VFS: 1, PEER: 2, ICONS: 3, RQLEN: 4, MEMINFO: 5, SHUTDOWN: 6, UID: 7,
});

/** packet_diag_req.pdiag_show bits. */
export const PACKET_SHOW = constants('PACKET_SHOW_', PD, {
  INFO: 0x1, MCLIST: 0x2, RING_CFG: 0x4, FANOUT: 0x8, MEMINFO: 0x10, FILTER: 0x20,
});

/** packet_diag reply attributes. */
export const PACKET_DIAG = constants('PACKET_DIAG_', PD, {
  INFO: 0, MCLIST: 1, RX_RING: 2, TX_RING: 3, FANOUT: 4, UID: 5, MEMINFO: 6, FILTER: 7,
});

/** packet_diag_info.pdi_flags bits. */
export const PDI = constants('PDI_', PD, { RUNNING: 0x1, AUXDATA: 0x2, ORIGDEV: 0x4, VNETHDR: 0x8, LOSS: 0x10 });

/** netlink_diag_req.ndiag_show bits. */
export const NDIAG_SHOW = constants('NDIAG_SHOW_', ND, { MEMINFO: 0x1, GROUPS: 0x2, RING_CFG: 0x4, FLAGS: 0x8 });

/** netlink_diag reply attributes. */
export const NETLINK_DIAG = constants('NETLINK_DIAG_', ND, { MEMINFO: 0, GROUPS: 1, RX_RING: 2, TX_RING: 3, FLAGS: 4 });

/** NETLINK_DIAG_FLAGS bits. */
export const NDIAG_FLAG = constants('NDIAG_FLAG_', ND, {
  CB_RUNNING: 0x1, PKTINFO: 0x2, BROADCAST_ERROR: 0x4, NO_ENOBUFS: 0x8, LISTEN_ALL_NSID: 0x10, CAP_ACK: 0x20,
});

/** xdp_diag_req.xdiag_show bits. */
export const XDP_SHOW = constants('XDP_SHOW_', ['linux/xdp_diag.h'], { INFO: 1, RING_CFG: 2, UMEM: 4, MEMINFO: 8, STATS: 16 });

/** xdp_diag reply attributes. */
export const XDP_DIAG = constants('XDP_DIAG_', ['linux/xdp_diag.h'], {
  NONE: 0, INFO: 1, UID: 2, RX_RING: 3, TX_RING: 4, UMEM: 5, UMEM_FILL_RING: 6, UMEM_COMPLETION_RING: 7, MEMINFO: 8, STATS: 9,
});

/** NDIAG_PROTO_ALL: every netlink protocol. */
export const NDIAG_PROTO_ALL = 255;

/** tcp_info.tcpi_options bits. */
export const TCPI_OPT = constants('TCPI_OPT_', ['linux/tcp.h'], {
  TIMESTAMPS: 1, SACK: 2, WSCALE: 4, ECN: 8, ECN_SEEN: 16, SYN_DATA: 32,
});

/** IP protocol numbers used by sock_diag. */
export const IPPROTO = constants('IPPROTO_', ['netinet/in.h'], {
  IP: 0, ICMP: 1, TCP: 6, UDP: 17, DCCP: 33, ICMPV6: 58, SCTP: 132, UDPLITE: 136, RAW: 255, MPTCP: 262,
});

/** Socket types. */
export const SOCK_TYPE = { STREAM: 1, DGRAM: 2, RAW: 3, RDM: 4, SEQPACKET: 5 } as const;

/**
 * TCP states as the kernel numbers them (and ss's SS_* enum, which is the same
 * numbering): bit `1 << state` of a state mask.
 */
export const TCP_STATE = {
  UNKNOWN: 0, ESTABLISHED: 1, SYN_SENT: 2, SYN_RECV: 3, FIN_WAIT1: 4, FIN_WAIT2: 5, TIME_WAIT: 6,
  CLOSE: 7, CLOSE_WAIT: 8, LAST_ACK: 9, LISTEN: 10, CLOSING: 11, NEW_SYN_RECV: 12,
} as const;

/** Every state bit ss knows (SS_ALL). */
export const SS_ALL = (1 << 12) - 1;
