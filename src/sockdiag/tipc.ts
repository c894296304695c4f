/**
 * TIPC sockets over sock_diag (tipc_diag, AF_TIPC): the request, the reply's
 * TIPC_NLA_SOCK attributes and the typed {@link TipcSocket}.
 *
 * ss 6.1 asks NETLINK_SOCK_DIAG (family AF_TIPC, a `tipc_sock_diag_req` with
 * a state mask), not the "TIPCv2" generic netlink family: the kernel answers
 * each socket with a bare attribute list (no header struct) holding one
 * TIPC_NLA_SOCK nest — the same nest TIPC_NL_SOCK_GET dumps, plus the
 * diag-only type, state, inode, uid and cookie.
 * @module
 */
import { constants } from '../netlink/constants.js';
import { NLM_F } from '../netlink/constants.js';
import type { Writer } from '../netlink/codec/writer.js';
import { struct, attrs, attr, u8, u32, u64, flag, pad, type Infer } from '../netlink/codec/schema.js';
import { SOCK_DIAG } from './constants.js';
import { SS_STATE_NAMES, type SocketCommon } from './types.js';

const TN = ['linux/tipc_netlink.h'];

/** AF_TIPC. */
export const AF_TIPC = 30;

/** Top-level TIPC netlink attributes (only the socket nest occurs in sock_diag replies). */
export const TIPC_NLA = constants('TIPC_NLA_', TN, {
  UNSPEC: 0, BEARER: 1, SOCK: 2, PUBL: 3, LINK: 4, MEDIA: 5, NODE: 6, NET: 7, NAME_TABLE: 8, MON: 9, MON_PEER: 10,
});

/** TIPC_NLA_SOCK nest members. */
export const TIPC_NLA_SOCK = constants('TIPC_NLA_SOCK_', TN, {
  UNSPEC: 0, ADDR: 1, REF: 2, CON: 3, HAS_PUBL: 4, STAT: 5, TYPE: 6, INO: 7, UID: 8, TIPC_STATE: 9,
  COOKIE: 10, PAD: 11, GROUP: 12,
});

/** TIPC_NLA_SOCK_CON nest members (the connection of a connected socket). */
export const TIPC_NLA_CON = constants('TIPC_NLA_CON_', TN, { UNSPEC: 0, FLAG: 1, NODE: 2, SOCK: 3, TYPE: 4, INST: 5 });

/** TIPC_NLA_SOCK_STAT nest members (note: RCVQ is attribute type 0). */
export const TIPC_NLA_SOCK_STAT = constants('TIPC_NLA_SOCK_STAT_', TN, { RCVQ: 0, SENDQ: 1, LINK_CONG: 2, CONN_CONG: 3, DROP: 4 });

/** TIPC_NLA_SOCK_GROUP nest members (sockets that joined a communication group). */
export const TIPC_NLA_SOCK_GROUP = constants('TIPC_NLA_SOCK_GROUP_', TN, {
  ID: 0, OPEN: 1, NODE_SCOPE: 2, CLUSTER_SCOPE: 3, INSTANCE: 4, BC_SEND_NEXT: 5,
});

/** struct tipc_sock_diag_req (linux/tipc_sockets_diag.h). */
export const tipcSockDiagReq = struct('tipc_sock_diag_req', { family: u8, protocol: u8, _pad: pad(2), states: u32 });

/** TIPC_NLA_SOCK_CON */
export const tipcConAttrs = attrs('TIPC_NLA_CON', {
  /** Set when the connection was made to a service name (type/instance follow). */
  flag: attr(TIPC_NLA_CON.FLAG, flag),
  node: attr(TIPC_NLA_CON.NODE, u32),
  sock: attr(TIPC_NLA_CON.SOCK, u32),
  type: attr(TIPC_NLA_CON.TYPE, u32),
  inst: attr(TIPC_NLA_CON.INST, u32),
});

/** TIPC_NLA_SOCK_STAT */
export const tipcSockStatAttrs = attrs('TIPC_NLA_SOCK_STAT', {
  rcvq: attr(TIPC_NLA_SOCK_STAT.RCVQ, u32),
  sendq: attr(TIPC_NLA_SOCK_STAT.SENDQ, u32),
  linkCong: attr(TIPC_NLA_SOCK_STAT.LINK_CONG, flag),
  connCong: attr(TIPC_NLA_SOCK_STAT.CONN_CONG, flag),
  drop: attr(TIPC_NLA_SOCK_STAT.DROP, u32),
});

/** TIPC_NLA_SOCK_GROUP */
export const tipcSockGroupAttrs = attrs('TIPC_NLA_SOCK_GROUP', {
  id: attr(TIPC_NLA_SOCK_GROUP.ID, u32),
  open: attr(TIPC_NLA_SOCK_GROUP.OPEN, flag),
  nodeScope: attr(TIPC_NLA_SOCK_GROUP.NODE_SCOPE, flag),
  clusterScope: attr(TIPC_NLA_SOCK_GROUP.CLUSTER_SCOPE, flag),
  instance: attr(TIPC_NLA_SOCK_GROUP.INSTANCE, u32),
  bcSendNext: attr(TIPC_NLA_SOCK_GROUP.BC_SEND_NEXT, u32),
});

/** TIPC_NLA_SOCK */
export const tipcSockAttrs = attrs('TIPC_NLA_SOCK', {
  addr: attr(TIPC_NLA_SOCK.ADDR, u32),
  ref: attr(TIPC_NLA_SOCK.REF, u32),
  con: attr(TIPC_NLA_SOCK.CON, tipcConAttrs),
  hasPubl: attr(TIPC_NLA_SOCK.HAS_PUBL, flag),
  stat: attr(TIPC_NLA_SOCK.STAT, tipcSockStatAttrs),
  type: attr(TIPC_NLA_SOCK.TYPE, u32),
  ino: attr(TIPC_NLA_SOCK.INO, u32),
  uid: attr(TIPC_NLA_SOCK.UID, u32),
  tipcState: attr(TIPC_NLA_SOCK.TIPC_STATE, u32),
  cookie: attr(TIPC_NLA_SOCK.COOKIE, u64),
  group: attr(TIPC_NLA_SOCK.GROUP, tipcSockGroupAttrs),
});

/** The body of one tipc_diag reply message. */
export const tipcDiagAttrs = attrs('TIPC_NLA', { sock: attr(TIPC_NLA.SOCK, tipcSockAttrs) });
export type TipcDiagAttrs = Infer<typeof tipcDiagAttrs>;

/** ss's netid of a TIPC socket type (tipc_netid_name). */
export type TipcNetid = 'ti_st' | 'ti_dg' | 'ti_rd' | 'ti_sq' | '???';

/** A TIPC socket. */
export interface TipcSocket extends SocketCommon {
  readonly kind: 'tipc';
  netid: TipcNetid;
  /** 1 stream, 2 dgram, 4 rdm, 5 seqpacket. */
  type: number;
  /** Own node address (TIPC_NLA_SOCK_ADDR; 0 until the node has an address). */
  node: number;
  /** Port identity, the socket's reference (TIPC_NLA_SOCK_REF). */
  ref: number;
  /** The peer of a connected socket. */
  peer?: {
    node: number;
    ref: number;
    /** The service name the connection was made through, when it was made by name. */
    service?: { type: number; instance: number };
  };
  /** The socket has published service names (TIPC_NLA_SOCK_HAS_PUBL). */
  published: boolean;
  /** Sending is blocked by link or connection congestion. */
  linkCongested: boolean;
  connCongested: boolean;
  /** Messages dropped (sk_drops). */
  drops: number;
  /** Membership of a communication group. */
  group?: { id: number; open: boolean; nodeScope: boolean; clusterScope: boolean; instance?: number; bcSendNext?: number };
}

function netidOf(type: number): TipcNetid {
  switch (type) {
    case 1: return 'ti_st';
    case 2: return 'ti_dg';
    case 4: return 'ti_rd';
    case 5: return 'ti_sq';
    default: return '???';
  }
}

/**
 * Decode one tipc_diag reply (the message payload after nlmsghdr); null when
 * it carries no TIPC_NLA_SOCK nest (ss skips such messages too).
 */
export function decodeTipc(buf: Buffer, off: number, len: number): TipcSocket | null {
  const s = tipcDiagAttrs.decode(buf, off, len, {}).sock;
  if (!s) return null;
  const type = s.type ?? 0;
  const state = s.tipcState ?? 0;
  const out: TipcSocket = {
    kind: 'tipc', netid: netidOf(type), type, state, stateName: SS_STATE_NAMES[state] ?? 'UNKNOWN',
    recvQ: s.stat?.rcvq ?? 0, sendQ: s.stat?.sendq ?? 0, inode: s.ino ?? 0, cookie: s.cookie ?? 0n,
    node: s.addr ?? 0, ref: s.ref ?? 0,
    published: s.hasPubl === true,
    linkCongested: s.stat?.linkCong === true, connCongested: s.stat?.connCong === true, drops: s.stat?.drop ?? 0,
  };
  if (s.uid !== undefined) out.uid = s.uid;
  if (s.con) {
    const c = s.con;
    out.peer = { node: c.node ?? 0, ref: c.sock ?? 0 };
    if (c.flag) out.peer.service = { type: c.type ?? 0, instance: c.inst ?? 0 };
  }
  if (s.group) {
    const g = s.group;
    out.group = { id: g.id ?? 0, open: g.open === true, nodeScope: g.nodeScope === true, clusterScope: g.clusterScope === true };
    if (g.instance !== undefined) out.group.instance = g.instance;
    if (g.bcSendNext !== undefined) out.group.bcSendNext = g.bcSendNext;
  }
  return out;
}

/** A tipc_diag dump request as ss's tipc_show builds it (DIAG_REQUEST: ROOT|MATCH|REQUEST). */
export function buildTipcRequest(w: Writer, seq: number, states: number): void {
  const start = w.beginMessage(SOCK_DIAG.SOCK_DIAG_BY_FAMILY, NLM_F.ROOT | NLM_F.MATCH | NLM_F.REQUEST, seq);
  tipcSockDiagReq.encode(w, { family: AF_TIPC, protocol: 0, states }, {});
  w.endMessage(start);
}
