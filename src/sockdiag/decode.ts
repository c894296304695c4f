/**
 * Reply decoding: one sock_diag message to a typed socket.
 * @module
 */
import { formatIPv4, formatIPv6 } from '../netlink/addr.js';
import {
  inetDiagMsg, inetDiagAttrs, unixDiagMsg, unixDiagAttrs, packetDiagMsg, packetDiagAttrs,
  netlinkDiagMsg, netlinkDiagAttrs,
} from './schema.js';
import { decodeTcpInfo } from './tcp-info.js';
import { INET_DIAG, IPPROTO, SK_MEMINFO } from './constants.js';
import {
  SS_STATE_NAMES, type InetSocket, type UnixSocket, type PacketSocket, type NetlinkSockInfo, type SkMemInfo,
  type InetNetid, type InetSockopt,
} from './types.js';

const TIMER_NAMES = ['off', 'on', 'keepalive', 'timewait', 'persist', 'unknown'];

/** ss's proto_name. */
export function inetNetid(protocol: number): InetNetid {
  switch (protocol) {
    case 0: return 'raw';
    case IPPROTO.UDP: return 'udp';
    case IPPROTO.TCP: return 'tcp';
    case IPPROTO.MPTCP: return 'mptcp';
    case IPPROTO.SCTP: return 'sctp';
    case IPPROTO.DCCP: return 'dccp';
    case IPPROTO.ICMPV6: return 'icmp6';
    default: return '???';
  }
}

/** SK_MEMINFO array → named fields. */
export function skmemOf(a: readonly number[]): SkMemInfo {
  const m: SkMemInfo = {
    rmemAlloc: a[SK_MEMINFO.RMEM_ALLOC] ?? 0, rcvbuf: a[SK_MEMINFO.RCVBUF] ?? 0,
    wmemAlloc: a[SK_MEMINFO.WMEM_ALLOC] ?? 0, sndbuf: a[SK_MEMINFO.SNDBUF] ?? 0,
    fwdAlloc: a[SK_MEMINFO.FWD_ALLOC] ?? 0, wmemQueued: a[SK_MEMINFO.WMEM_QUEUED] ?? 0,
    optmem: a[SK_MEMINFO.OPTMEM] ?? 0,
  };
  if (a.length > SK_MEMINFO.BACKLOG) m.backlog = a[SK_MEMINFO.BACKLOG]!;
  if (a.length > SK_MEMINFO.DROPS) m.drops = a[SK_MEMINFO.DROPS]!;
  return m;
}

/** Unpack the two bytes of struct inet_diag_sockopt. */
export function decodeSockopt(b0: number, b1: number): InetSockopt {
  return {
    recverr: !!(b0 & 1), isIcsk: !!(b0 & 2), freebind: !!(b0 & 4), hdrincl: !!(b0 & 8), mcLoop: !!(b0 & 16),
    transparent: !!(b0 & 32), mcAll: !!(b0 & 64), nodefrag: !!(b0 & 128),
    bindAddressNoPort: !!(b1 & 1), recverrRfc4884: !!(b1 & 2), deferConnect: !!(b1 & 4),
  };
}

/**
 * Decode an inet_diag_msg (SOCK_DIAG_BY_FAMILY or TCPDIAG_GETSOCK reply).
 * `protocol` is the table that was queried (the message does not say).
 */
export function decodeInet(buf: Buffer, off: number, len: number, protocol: number): InetSocket {
  const h = inetDiagMsg.decode(buf, off, len);
  const a = inetDiagAttrs.decode(buf, off + inetDiagMsg.size, Math.max(0, len - inetDiagMsg.size), {});
  const v4 = h.family === 2;
  const alen = v4 ? 4 : 16;
  const s: InetSocket = {
    kind: 'inet',
    family: h.family,
    protocol,
    netid: inetNetid(protocol === IPPROTO.RAW ? 0 : protocol),
    state: h.state,
    stateName: SS_STATE_NAMES[h.state] ?? 'UNKNOWN',
    recvQ: h.rqueue,
    sendQ: h.wqueue,
    inode: h.inode,
    cookie: h.cookie,
    uid: h.uid,
    localAddress: v4 ? formatIPv4(h.src) : formatIPv6(h.src),
    localPort: h.sport,
    peerAddress: v4 ? formatIPv4(h.dst) : formatIPv6(h.dst),
    peerPort: h.dport,
    localBytes: h.src.subarray(0, alen),
    peerBytes: h.dst.subarray(0, alen),
    ifindex: h.if,
  };
  if (h.timer) s.timer = { code: h.timer, name: TIMER_NAMES[Math.min(h.timer, 5)]!, expiresMs: h.expires, retrans: h.retrans };
  if (protocol === IPPROTO.RAW && a.protocol !== undefined) s.rawProtocol = a.protocol;
  if (a.shutdown !== undefined) s.shutdown = a.shutdown;
  if (a.skv6only !== undefined) s.v6only = a.skv6only !== 0;
  if (a.tos !== undefined) s.tos = a.tos;
  if (a.tclass !== undefined) s.tclass = a.tclass;
  if (a.classId !== undefined) s.classId = a.classId;
  if (a.mark !== undefined) s.mark = a.mark;
  if (a.cgroupId !== undefined) s.cgroupId = a.cgroupId;
  if (a.cong !== undefined) s.congestion = a.cong;
  if (a.info !== undefined) s.tcpInfo = decodeTcpInfo(a.info, 0, a.info.length);
  if (a.skmeminfo !== undefined) s.skmem = skmemOf(a.skmeminfo);
  if (a.meminfo !== undefined) s.meminfo = a.meminfo;
  if (a.vegasinfo !== undefined) s.vegas = a.vegasinfo;
  if (a.dctcpinfo !== undefined) s.dctcp = a.dctcpinfo;
  if (a.bbrinfo !== undefined) {
    const b = a.bbrinfo;
    s.bbr = { bw: (BigInt(b.bwHi) << 32n) | BigInt(b.bwLo), minRtt: b.minRtt, pacingGain: b.pacingGain, cwndGain: b.cwndGain };
  }
  if (a.sockopt !== undefined) s.sockopt = decodeSockopt(a.sockopt.bits0, a.sockopt.bits1);
  if (a.md5sig !== undefined) {
    s.md5sig = a.md5sig.map((m) => ({
      family: m.family, prefixlen: m.prefixlen, keylen: m.keylen,
      address: m.family === 2 ? formatIPv4(m.addr) : formatIPv6(m.addr),
    }));
  }
  if (a.ulpInfo !== undefined) {
    const u: { name?: string; tls?: Buffer; mptcp?: Buffer } = {};
    if (a.ulpInfo.name !== undefined) u.name = a.ulpInfo.name;
    if (a.ulpInfo.tls !== undefined) u.tls = a.ulpInfo.tls;
    if (a.ulpInfo.mptcp !== undefined) u.mptcp = a.ulpInfo.mptcp;
    s.ulp = u;
  }
  return s;
}

/** Whether an inet reply carries attribute `type` (cheap check without decoding). */
export function hasInetAttr(buf: Buffer, off: number, len: number, type: number): boolean {
  let p = off + inetDiagMsg.size;
  const end = off + len;
  while (end - p >= 4) {
    const alen = buf.readUInt16LE(p);
    if (alen < 4) break;
    if ((buf.readUInt16LE(p + 2) & 0x3fff) === type) return true;
    p += (alen + 3) & ~3;
  }
  return false;
}
export { INET_DIAG };

const UNIX_NETIDS: Record<number, UnixSocket['netid']> = { 1: 'u_str', 5: 'u_seq' };

/** Decode a unix_diag_msg. */
export function decodeUnix(buf: Buffer, off: number, len: number): UnixSocket {
  const h = unixDiagMsg.decode(buf, off, len);
  const a = unixDiagAttrs.decode(buf, off + unixDiagMsg.size, Math.max(0, len - unixDiagMsg.size), {});
  const s: UnixSocket = {
    kind: 'unix',
    type: h.type,
    netid: UNIX_NETIDS[h.type] ?? 'u_dgr',
    state: h.state,
    stateName: SS_STATE_NAMES[h.state] ?? 'UNKNOWN',
    recvQ: a.rqlen?.rqueue ?? 0,
    sendQ: a.rqlen?.wqueue ?? 0,
    inode: h.ino,
    cookie: h.cookie,
    peerInode: a.peer ?? 0,
  };
  if (a.name !== undefined) {
    s.rawName = a.name;
    // ss: an abstract name (leading NUL) has every NUL shown as '@'; a path stops at its NUL.
    let text = a.name.toString('latin1');
    if (text.startsWith('\0')) text = text.replace(/\0/g, '@');
    else { const z = text.indexOf('\0'); if (z >= 0) text = text.slice(0, z); }
    s.path = text;
  }
  if (a.vfs !== undefined) s.vfs = { inode: a.vfs.ino, dev: a.vfs.dev };
  if (a.icons !== undefined) s.pending = a.icons;
  if (a.shutdown !== undefined) s.shutdown = a.shutdown;
  if (a.meminfo !== undefined) s.skmem = skmemOf(a.meminfo);
  if (a.uid !== undefined) s.uid = a.uid;
  return s;
}

/** Decode a packet_diag_msg. */
export function decodePacket(buf: Buffer, off: number, len: number): PacketSocket {
  const h = packetDiagMsg.decode(buf, off, len);
  const a = packetDiagAttrs.decode(buf, off + packetDiagMsg.size, Math.max(0, len - packetDiagMsg.size), {});
  const s: PacketSocket = {
    kind: 'packet',
    type: h.type,
    netid: h.type === 3 ? 'p_raw' : 'p_dgr',
    protocol: h.num,
    state: 7,
    stateName: 'UNCONN',
    recvQ: a.meminfo?.[SK_MEMINFO.RMEM_ALLOC] ?? 0,
    sendQ: 0,
    inode: h.ino,
    cookie: h.cookie,
    ifindex: a.info?.index ?? 0,
  };
  if (a.info !== undefined) s.info = a.info;
  if (a.uid !== undefined) s.uid = a.uid;
  if (a.rxRing !== undefined) s.rxRing = a.rxRing;
  if (a.txRing !== undefined) s.txRing = a.txRing;
  if (a.fanout !== undefined) s.fanout = { id: a.fanout & 0xffff, type: (a.fanout >>> 16) & 0xffff, raw: a.fanout };
  if (a.filter !== undefined) s.filter = a.filter;
  if (a.mclist !== undefined) {
    s.mclist = a.mclist.map((m) => ({
      index: m.index, count: m.count, type: m.type,
      address: [...m.addr.subarray(0, m.alen)].map((b) => b.toString(16).padStart(2, '0')).join(':'),
    }));
  }
  if (a.meminfo !== undefined) s.skmem = skmemOf(a.meminfo);
  return s;
}

/** Decode a netlink_diag_msg. */
export function decodeNetlink(buf: Buffer, off: number, len: number): NetlinkSockInfo {
  const h = netlinkDiagMsg.decode(buf, off, len);
  const a = netlinkDiagAttrs.decode(buf, off + netlinkDiagMsg.size, Math.max(0, len - netlinkDiagMsg.size), {});
  const groups: number[] = [];
  let mask = 0n;
  if (a.groups && a.groups.length) {
    for (let i = 0; i < a.groups.length; i++) {
      const byte = a.groups[i]!;
      for (let b = 0; b < 8; b++) if (byte & (1 << b)) groups.push(i * 8 + b + 1);
    }
    mask = a.groups.length >= 8 ? a.groups.readBigUInt64LE(0) : BigInt(a.groups.readUIntLE(0, Math.min(6, a.groups.length)));
  }
  const s: NetlinkSockInfo = {
    kind: 'netlink',
    netid: 'nl',
    protocol: h.protocol,
    portid: h.portid | 0,
    dstPortid: h.dstPortid,
    dstGroup: h.dstGroup,
    state: h.state,
    stateName: 'UNCONN',
    recvQ: a.meminfo?.[SK_MEMINFO.RMEM_ALLOC] ?? 0,
    sendQ: a.meminfo?.[SK_MEMINFO.WMEM_ALLOC] ?? 0,
    inode: h.ino,
    cookie: h.cookie,
    groups,
    groupsMask: mask,
  };
  if (a.flags !== undefined) s.flags = a.flags;
  if (a.meminfo !== undefined) s.skmem = skmemOf(a.meminfo);
  return s;
}
