/**
 * Reply decoding: one sock_diag message to a typed socket.
 * @module
 */
import { formatIPv4, formatIPv6 } from '../netlink/addr.js';
import {
  inetDiagMsg, inetDiagAttrs, unixDiagMsg, unixDiagAttrs, packetDiagMsg, packetDiagAttrs,
  netlinkDiagMsg, netlinkDiagAttrs, vsockDiagMsg, mptcpInfo, xdpDiagMsg, xdpDiagAttrs,
} from './schema.js';
import { decodeTcpInfo } from './tcp-info.js';
import { ParseError } from '../netlink/codec/errors.js';
import type { Infer } from '../netlink/codec/schema.js';
import { INET_DIAG, IPPROTO, SK_MEMINFO } from './constants.js';
import {
  SS_STATE_NAMES, type InetSocket, type UnixSocket, type PacketSocket, type NetlinkSockInfo, type SkMemInfo,
  type InetNetid, type InetSockopt, type VsockSocket, type XdpSocket,
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

// Member offsets of inet_diag_msg, taken from the schema (one declaration of the layout).
const OFF = Object.fromEntries(inetDiagMsg.members.map((m) => [m.name, m.offset])) as Record<string, number>;
const O_FAMILY = OFF.family!, O_STATE = OFF.state!, O_TIMER = OFF.timer!, O_RETRANS = OFF.retrans!;
const O_SPORT = OFF.sport!, O_DPORT = OFF.dport!, O_SRC = OFF.src!, O_DST = OFF.dst!, O_IF = OFF.if!, O_COOKIE = OFF.cookie!;
const O_EXPIRES = OFF.expires!, O_RQUEUE = OFF.rqueue!, O_WQUEUE = OFF.wqueue!, O_UID = OFF.uid!, O_INODE = OFF.inode!;
const HDR = inetDiagMsg.size;

/**
 * An inet socket decoded from a reply. The address bytes are views into the
 * receive buffer, made on first use (most sockets never need them).
 */
class InetRecord {
  readonly kind = 'inet' as const;
  family: number; protocol: number; netid: InetNetid; state: number; stateName: string;
  recvQ: number; sendQ: number; inode: number; cookie: bigint; uid: number;
  localAddress: string; localPort: number; peerAddress: string; peerPort: number; ifindex: number;
  timer?: InetSocket['timer'];
  constructor(private readonly raw: Buffer, private readonly rawOff: number, protocol: number) {
    const b = raw, o = rawOff;
    const family = b[o + O_FAMILY]!;
    const state = b[o + O_STATE]!;
    this.family = family;
    this.protocol = protocol;
    this.netid = protocol === IPPROTO.TCP ? 'tcp' : protocol === IPPROTO.UDP ? 'udp' : inetNetid(protocol === IPPROTO.RAW ? 0 : protocol);
    this.state = state;
    this.stateName = SS_STATE_NAMES[state] ?? 'UNKNOWN';
    this.recvQ = b.readUInt32LE(o + O_RQUEUE);
    this.sendQ = b.readUInt32LE(o + O_WQUEUE);
    this.inode = b.readUInt32LE(o + O_INODE);
    this.cookie = b.readBigUInt64LE(o + O_COOKIE);
    this.uid = b.readUInt32LE(o + O_UID);
    const v4 = family === 2;
    this.localAddress = v4 ? formatIPv4(b, o + O_SRC) : formatIPv6(b, o + O_SRC);
    this.localPort = b.readUInt16BE(o + O_SPORT);
    this.peerAddress = v4 ? formatIPv4(b, o + O_DST) : formatIPv6(b, o + O_DST);
    this.peerPort = b.readUInt16BE(o + O_DPORT);
    this.ifindex = b.readUInt32LE(o + O_IF);
    const timer = b[o + O_TIMER]!;
    if (timer) this.timer = { code: timer, name: TIMER_NAMES[Math.min(timer, 5)]!, expiresMs: b.readUInt32LE(o + O_EXPIRES), retrans: b[o + O_RETRANS]! };
  }
  get localBytes(): Buffer { return this.raw.subarray(this.rawOff + O_SRC, this.rawOff + O_SRC + (this.family === 2 ? 4 : 16)); }
  get peerBytes(): Buffer { return this.raw.subarray(this.rawOff + O_DST, this.rawOff + O_DST + (this.family === 2 ? 4 : 16)); }
}

/**
 * Decode an inet_diag_msg (SOCK_DIAG_BY_FAMILY or TCPDIAG_GETSOCK reply).
 * `protocol` is the table that was queried (the message does not say).
 * The header is read at the schema's member offsets; attributes through the
 * schema, except the few every dump carries, which are read in place.
 */
export function decodeInet(buf: Buffer, off: number, len: number, protocol: number): InetSocket {
  if (len < HDR) throw new ParseError(`inet_diag_msg needs ${HDR} bytes, got ${len}`, off);
  const s = new InetRecord(buf, off, protocol) as unknown as InetSocket;
  const end = off + len;
  let p = off + HDR;
  let rest: number | null = null;
  while (end - p >= 4) {
    const alen = buf.readUInt16LE(p);
    const type = buf.readUInt16LE(p + 2) & 0x3fff;
    if (alen < 4 || alen > end - p) throw new ParseError(`attribute type ${type} has bad length ${alen}`, p, ['INET_DIAG']);
    const d = p + 4;
    switch (type) {
      case INET_DIAG.SHUTDOWN: if (alen >= 5) s.shutdown = buf[d]!; break;
      case INET_DIAG.SKV6ONLY: if (alen >= 5) s.v6only = buf[d] !== 0; break;
      case INET_DIAG.MARK: if (alen >= 8) s.mark = buf.readUInt32LE(d); break;
      case INET_DIAG.CGROUP_ID: if (alen >= 12) s.cgroupId = buf.readBigUInt64LE(d); break;
      case INET_DIAG.SOCKOPT: if (alen >= 6) s.sockopt = decodeSockopt(buf[d]!, buf[d + 1]!); break;
      case INET_DIAG.PROTOCOL: if (alen >= 5 && protocol === IPPROTO.RAW) s.rawProtocol = buf[d]!; break;
      default: rest ??= p;
    }
    p += (alen + 3) & ~3;
  }
  if (rest !== null) applyInetAttrs(s, inetDiagAttrs.decode(buf, rest, end - rest, {}));
  return s;
}

/** The less common attributes, decoded through the schema. */
function applyInetAttrs(s: InetSocket, a: Infer<typeof inetDiagAttrs>): void {
  if (a.tos !== undefined) s.tos = a.tos;
  if (a.tclass !== undefined) s.tclass = a.tclass;
  if (a.classId !== undefined) s.classId = a.classId;
  if (a.cong !== undefined) s.congestion = a.cong;
  if (a.info !== undefined) {
    // INET_DIAG_INFO is struct tcp_info for TCP, but mptcp_info / sctp_info for those tables.
    if (s.protocol === IPPROTO.MPTCP) s.mptcpInfo = mptcpInfo.decode(a.info, 0, a.info.length);
    else if (s.protocol === IPPROTO.SCTP) s.sctpInfo = a.info;
    else s.tcpInfo = decodeTcpInfo(a.info, 0, a.info.length);
  }
  if (a.skmeminfo !== undefined) s.skmem = skmemOf(a.skmeminfo);
  if (a.meminfo !== undefined) s.meminfo = a.meminfo;
  if (a.locals !== undefined) s.sctpLocals = sockaddrList(a.locals);
  if (a.peers !== undefined) s.sctpPeers = sockaddrList(a.peers);
  if (a.vegasinfo !== undefined) s.vegas = a.vegasinfo;
  if (a.dctcpinfo !== undefined) s.dctcp = a.dctcpinfo;
  if (a.bbrinfo !== undefined) {
    const b = a.bbrinfo;
    s.bbr = { bw: (BigInt(b.bwHi) << 32n) | BigInt(b.bwLo), minRtt: b.minRtt, pacingGain: b.pacingGain, cwndGain: b.cwndGain };
  }
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
}

/**
 * Addresses of a list of struct sockaddr_storage (128 bytes each, family in
 * host order first) as ss prints them: IPv4/IPv6 text, "" for other
 * families. As ss, the first entry is always read and a short last one too
 * (missing bytes read as zero).
 */
export function sockaddrList(b: Buffer): string[] {
  const SS = 128;
  const out: string[] = [];
  for (let p = 0; p === 0 || p < b.length; p += SS) {
    const e = Buffer.alloc(SS);
    b.copy(e, 0, p, Math.min(b.length, p + SS));
    const family = e.readUInt16LE(0);
    out.push(family === 2 ? formatIPv4(e, 4) : family === 10 ? formatIPv6(e, 8) : '');
  }
  return out;
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

/** Decode a vsock_diag_msg. */
export function decodeVsock(buf: Buffer, off: number, len: number): VsockSocket {
  const h = vsockDiagMsg.decode(buf, off, len);
  return {
    kind: 'vsock', type: h.type, netid: h.type === 1 ? 'v_str' : h.type === 2 ? 'v_dgr' : '???',
    state: h.state, stateName: SS_STATE_NAMES[h.state] ?? 'UNKNOWN', recvQ: 0, sendQ: 0, inode: h.ino, cookie: h.cookie,
    localCid: h.srcCid, localPort: h.srcPort, peerCid: h.dstCid, peerPort: h.dstPort, shutdown: h.shutdown,
  };
}

/** Decode an xdp_diag_msg. */
export function decodeXdp(buf: Buffer, off: number, len: number): XdpSocket {
  const h = xdpDiagMsg.decode(buf, off, len);
  const a = xdpDiagAttrs.decode(buf, off + xdpDiagMsg.size, Math.max(0, len - xdpDiagMsg.size), {});
  const s: XdpSocket = {
    kind: 'xdp', netid: 'xdp', type: h.type, state: 7, stateName: 'UNCONN',
    recvQ: a.meminfo?.[SK_MEMINFO.RMEM_ALLOC] ?? 0, sendQ: 0, inode: h.ino, cookie: h.cookie,
    ifindex: a.info?.ifindex ?? 0, queueId: a.info?.queueId ?? 0,
  };
  if (a.uid !== undefined) s.uid = a.uid;
  if (a.rxRing !== undefined) s.rxRing = a.rxRing;
  if (a.txRing !== undefined) s.txRing = a.txRing;
  if (a.fillRing !== undefined) s.fillRing = a.fillRing;
  if (a.completionRing !== undefined) s.completionRing = a.completionRing;
  if (a.umem !== undefined) s.umem = a.umem;
  if (a.stats !== undefined) s.stats = a.stats;
  if (a.meminfo !== undefined) s.skmem = skmemOf(a.meminfo);
  return s;
}
