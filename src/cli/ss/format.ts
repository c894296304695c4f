/**
 * Text formatting of one socket, field by field, as misc/ss.c prints it
 * (sock_state_print, inet_addr_print, tcp_show_info, unix/packet/netlink
 * show functions). Everything goes through the {@link ColumnRenderer}.
 * @module
 */
import { sprintf } from '../../output/printf.js';
import { NUM_MAX, putBw, putG } from './num-bytes.js';
import { COL, type ColumnRenderer } from './render.js';
import type { InetSocket, UnixSocket, PacketSocket, NetlinkSockInfo, VsockSocket, XdpSocket, Socket, SkMemInfo } from '../../sockdiag/types.js';
import { TCPI_OPT, IPPROTO } from '../../sockdiag/constants.js';
import { llProtoName, nlProtoName, type Services } from '../../sockdiag/names.js';
import { ownersText, type OwnerIndex } from '../../sockdiag/procs.js';
import { readFileSync } from 'node:fs';
import { hostName, protocolName, type LinkNames, type CgroupPaths } from './lookup.js';
import { sctpInfo } from '../../sockdiag/schema.js';
import { parseAddress } from '../../netlink/addr.js';
import type { SsOptions } from './options.js';

/** Shared state of one ss run. */
export interface FormatContext {
  readonly o: SsOptions;
  readonly r: ColumnRenderer;
  readonly services: Services;
  readonly links: LinkNames;
  readonly cgroups: CgroupPaths;
  readonly owners: OwnerIndex | null;
  readonly ephemeral: { min: number; max: number };
  /** ss's dg_proto: which services table ports are looked up in. */
  dgProto: 'tcp' | 'udp' | 'raw' | 'sctp';
  /** Cache of resolved service names per proto/port. */
  readonly serviceCache: Map<string, string>;
  /**
   * Inode of the last inet socket printed (ss's sctp_ino): an SCTP socket
   * with the same inode is an association of that endpoint, printed as a
   * `` `- STATE`` line under it. Unset: none yet.
   */
  lastInode?: number;
}

/** ss's names of SCTP association states (sctp_sstate_name), by sctp_state_t. */
const SCTP_STATE_NAMES = ['CLOSED', 'COOKIE_WAIT', 'COOKIE_ECHOED', 'ESTAB', 'SHUTDOWN_PENDING', 'SHUTDOWN_SENT', 'SHUTDOWN_RECEIVED', 'ACK_SENT'];
/** glibc prints a NULL %s as "(null)" (a state ss has no name for). */
function sctpStateName(n: number): string { return SCTP_STATE_NAMES[n] ?? '(null)'; }

/** print_ms_timer */
export function msTimer(timeout: number): string {
  let secs = Math.floor(timeout / 1000);
  const minutes = Math.floor(secs / 60);
  secs %= 60;
  let msecs = timeout % 1000;
  let buf = '';
  if (minutes) {
    msecs = 0;
    buf = `${minutes}min`;
    if (minutes > 9) secs = 0;
  }
  if (secs) {
    if (secs > 9) msecs = 0;
    buf += `${secs}${msecs ? '.' : 'sec'}`;
  }
  if (msecs) buf += `${String(msecs).padStart(3, '0')}ms`;
  return buf;
}

/** Where {@link sprintBw} and {@link g} write their digits. */
const numScratch = Buffer.alloc(NUM_MAX);

/** sprint_bw (a rate >= 0 in bits per second). */
export function sprintBw(bw: number, numeric: boolean): string {
  return numScratch.toString('latin1', 0, putBw(numScratch, 0, bw, numeric));
}

/** C's %g (rounded as glibc: ties to even). */
export function g(v: number): string {
  if (!(v >= 0) || v === Infinity) return sprintf('%g', v);
  return numScratch.toString('latin1', 0, putG(numScratch, 0, v));
}

const serviceCaches = new WeakMap<FormatContext, Map<string, Map<number, string>>>();

/** A port as ss prints it: `*` for 0, the number with -n or in the ephemeral range, else its service name. */
export function resolveService(ctx: FormatContext, port: number): string {
  if (port === 0) return '*';
  if (ctx.o.numeric) return String(port);
  if (ctx.dgProto === 'raw') return protocolName(port) ?? `ipproto-${port}`;
  let byProto = serviceCaches.get(ctx);
  if (!byProto) { byProto = new Map(); serviceCaches.set(ctx, byProto); }
  let cache = byProto.get(ctx.dgProto);
  if (!cache) { cache = new Map(); byProto.set(ctx.dgProto, cache); }
  let v = cache.get(port);
  if (v === undefined) {
    v = String(port);
    if (!(port >= ctx.ephemeral.min && port <= ctx.ephemeral.max)) {
      const n = ctx.services.name(port, ctx.dgProto);
      if (n) v = n;
    }
    cache.set(port, v);
  }
  return v;
}

function stateNameOf(s: Socket): string {
  return s.stateName;
}

/** sock_state_print */
export function statePrint(ctx: FormatContext, netid: string, s: Socket): void {
  const r = ctx.r;
  if (netid === 'sctp' && ctx.lastInode && ctx.lastInode === s.inode) {
    // An association of the endpoint printed just before: no Netid.
    r.set(COL.STATE);
    r.out(`\`- ${sctpStateName(s.state)}`);
  } else {
    r.set(COL.NETID);
    r.out(netid);
    r.set(COL.STATE);
    r.out(stateNameOf(s));
  }
  r.set(COL.RECVQ);
  r.outA(String(s.recvQ | 0).padEnd(6));
  r.set(COL.SENDQ);
  r.outA(String(s.sendQ | 0).padEnd(6));
  r.set(COL.ADDR);
}

/** sock_addr_print */
export function addrPrint(r: ColumnRenderer, addr: string, delim: string, port: string, ifname: string | null): void {
  r.out(ifname ? `${addr}%${ifname}${delim}` : `${addr}${delim}`);
  r.next();
  r.out(port);
  r.next();
}

function inetAddr(ctx: FormatContext, text: string, bytes: () => Buffer, family: number, port: number, ifindex: number, v6only: boolean): void {
  let ap: string;
  if (family === 2) {
    ap = ctx.o.resolve ? hostName(bytes(), true) : text;
  } else if (!v6only && text === '::') {
    ap = '*';
  } else {
    ap = ctx.o.resolve ? hostName(bytes(), false) : text;
    if (ap.includes(':')) ap = `[${ap}]`;
  }
  addrPrint(ctx.r, ap, ':', resolveService(ctx, port), ifindex ? ctx.links.name(ifindex) : null);
}

export function procPrint(ctx: FormatContext, inode: number): void {
  if (!ctx.owners || !inode) return;
  const users = ownersText(ctx.owners, inode, ctx.o.threads > 0);
  if (users) ctx.r.out(` users:(${users})`);
}

function skmemPrint(r: ColumnRenderer, m: SkMemInfo | undefined, fallback?: { rmem: number; wmem: number; fmem: number; tmem: number }): void {
  if (!m) {
    if (fallback) r.out(` mem:(r${fallback.rmem},w${fallback.wmem},f${fallback.fmem},t${fallback.tmem})`);
    return;
  }
  let t = ` skmem:(r${m.rmemAlloc},rb${m.rcvbuf},t${m.wmemAlloc},tb${m.sndbuf},f${m.fwdAlloc},w${m.wmemQueued},o${m.optmem}`;
  if (m.backlog !== undefined) t += `,bl${m.backlog}`;
  if (m.drops !== undefined) t += `,d${m.drops}`;
  r.out(t + ')');
}

export function detailsPrint(ctx: FormatContext, uid: number, ino: number, cookie: bigint, mark: number, cgroupId: bigint): void {
  const r = ctx.r;
  if (uid) r.out(` uid:${uid}`);
  r.out(` ino:${ino}`);
  r.out(` sk:${cookie.toString(16)}`);
  if (mark) r.out(` fwmark:0x${mark.toString(16)}`);
  if (cgroupId) r.out(` cgroup:${ctx.cgroups.path(cgroupId)}`);
}

/** tcp_show_info + tcp_stats_print */
function tcpInfoPrint(ctx: FormatContext, s: InetSocket): void {
  const r = ctx.r;
  skmemPrint(r, s.skmem, s.meminfo);
  const info = s.tcpInfo;
  if (info) {
    const opt = info.options;
    if (ctx.o.options) {
      if (opt & TCPI_OPT.TIMESTAMPS) r.outA(' ts');
      if (opt & TCPI_OPT.SACK) r.outA(' sack');
      if (opt & TCPI_OPT.ECN) r.outA(' ecn');
      if (opt & TCPI_OPT.ECN_SEEN) r.outA(' ecnseen');
      if (opt & TCPI_OPT.SYN_DATA) r.outA(' fastopen');
    }
    if (s.congestion) r.out(` ${s.congestion.slice(0, 15)}`);
    if (opt & TCPI_OPT.WSCALE) r.outA(` wscale:${info.sndWscale},${info.rcvWscale}`);
    if (info.rto && info.rto !== 3000000) r.outA(` rto:${g(info.rto / 1000)}`);
    if (info.backoff) r.outA(` backoff:${info.backoff}`);
    if (info.rtt) r.outA(` rtt:${g(info.rtt / 1000)}/${g(info.rttvar / 1000)}`);
    if (info.ato) r.outA(` ato:${g(info.ato / 1000)}`);
    if (info.sndMss) r.outA(` mss:${info.sndMss | 0}`);
    if (info.pmtu) r.outA(` pmtu:${info.pmtu}`);
    if (info.rcvMss) r.outA(` rcvmss:${info.rcvMss | 0}`);
    if (info.advmss) r.outA(` advmss:${info.advmss | 0}`);
    if (info.sndCwnd) r.outA(` cwnd:${info.sndCwnd}`);
    if (info.sndSsthresh < 0xffff && info.sndSsthresh) r.outA(` ssthresh:${info.sndSsthresh | 0}`);
    if (info.bytesSent) r.outA(` bytes_sent:${info.bytesSent}`);
    if (info.bytesRetrans) r.outA(` bytes_retrans:${info.bytesRetrans}`);
    if (info.bytesAcked) r.outA(` bytes_acked:${info.bytesAcked}`);
    if (info.bytesReceived) r.outA(` bytes_received:${info.bytesReceived}`);
    if (info.segsOut) r.outA(` segs_out:${info.segsOut}`);
    if (info.segsIn) r.outA(` segs_in:${info.segsIn}`);
    if (info.dataSegsOut) r.outA(` data_segs_out:${info.dataSegsOut}`);
    if (info.dataSegsIn) r.outA(` data_segs_in:${info.dataSegsIn}`);
    if (s.dctcp) {
      const d = s.dctcp;
      if (d.enabled) r.outA(` dctcp:(ce_state:${d.ceState},alpha:${d.alpha},ab_ecn:${d.abEcn},ab_tot:${d.abTot})`);
      else r.outA(' dctcp:fallback_mode');
    }
    if (s.bbr) {
      const b = s.bbr;
      let t = ` bbr:(bw:${sprintBw(Number(b.bw) * 8, ctx.o.numeric)}bps,mrtt:${g(b.minRtt / 1000)}`;
      if (b.pacingGain) t += `,pacing_gain:${g(b.pacingGain / 256)}`;
      if (b.cwndGain) t += `,cwnd_gain:${g(b.cwndGain / 256)}`;
      r.outA(t + ')');
    }
    let rtt = info.rtt;
    if (s.vegas && s.vegas.enabled && s.vegas.rtt && s.vegas.rtt !== 0x7fffffff) rtt = s.vegas.rtt;
    if (rtt > 0 && info.sndMss && info.sndCwnd) {
      r.outA(` send ${sprintBw(info.sndCwnd * info.sndMss * 8000000 / rtt, ctx.o.numeric)}bps`);
    }
    if (info.lastDataSent) r.outA(` lastsnd:${info.lastDataSent}`);
    if (info.lastDataRecv) r.outA(` lastrcv:${info.lastDataRecv}`);
    if (info.lastAckRecv) r.outA(` lastack:${info.lastAckRecv}`);
    const MAX64 = 0xffffffffffffffffn;
    if (info.pacingRate && info.pacingRate !== MAX64) {
      r.outA(` pacing_rate ${sprintBw(Number(info.pacingRate) * 8, ctx.o.numeric)}bps`);
      if (info.maxPacingRate && info.maxPacingRate !== MAX64) r.outA(`/${sprintBw(Number(info.maxPacingRate) * 8, ctx.o.numeric)}bps`);
    }
    if (info.deliveryRate) r.outA(` delivery_rate ${sprintBw(Number(info.deliveryRate) * 8, ctx.o.numeric)}bps`);
    if (info.delivered) r.outA(` delivered:${info.delivered}`);
    if (info.deliveredCe) r.outA(` delivered_ce:${info.deliveredCe}`);
    if (info.deliveryRateAppLimited) r.outA(' app_limited');
    if (info.busyTime) {
      r.outA(` busy:${info.busyTime / 1000n}ms`);
      const busy = Number(info.busyTime);
      if (info.rwndLimited) r.outA(` rwnd_limited:${info.rwndLimited / 1000n}ms(${sprintf('%.1f', 100 * Number(info.rwndLimited) / busy)}%)`);
      if (info.sndbufLimited) r.outA(` sndbuf_limited:${info.sndbufLimited / 1000n}ms(${sprintf('%.1f', 100 * Number(info.sndbufLimited) / busy)}%)`);
    }
    if (info.unacked) r.outA(` unacked:${info.unacked}`);
    if (info.retrans || info.totalRetrans) r.outA(` retrans:${info.retrans}/${info.totalRetrans}`);
    if (info.lost) r.outA(` lost:${info.lost}`);
    if (info.sacked && s.state !== 10) r.outA(` sacked:${info.sacked}`);
    if (info.dsackDups) r.outA(` dsack_dups:${info.dsackDups}`);
    if (info.fackets) r.outA(` fackets:${info.fackets}`);
    if (info.reordering !== 3) r.outA(` reordering:${info.reordering | 0}`);
    if (info.reordSeen) r.outA(` reord_seen:${info.reordSeen | 0}`);
    if (info.rcvRtt) r.outA(` rcv_rtt:${g(info.rcvRtt / 1000)}`);
    if (info.rcvSpace) r.outA(` rcv_space:${info.rcvSpace | 0}`);
    if (info.rcvSsthresh) r.outA(` rcv_ssthresh:${info.rcvSsthresh}`);
    if (info.notsentBytes) r.outA(` notsent:${info.notsentBytes}`);
    if (info.minRtt && info.minRtt !== 0xffffffff) r.outA(` minrtt:${g(info.minRtt / 1000)}`);
    if (info.rcvOoopack) r.outA(` rcv_ooopack:${info.rcvOoopack}`);
    if (info.sndWnd) r.outA(` snd_wnd:${info.sndWnd}`);
  }
  if (s.md5sig && s.md5sig.length) {
    r.outA(' md5keys:');
    r.outA(s.md5sig.map((m) => `${m.address}/${m.prefixlen}=`).join(','));
  }
  if (s.ulp?.name) r.outA(` tcp-ulp-${s.ulp.name}`);
}

/** inet_show_sock (the socket already passed the filters). */
export function printInet(ctx: FormatContext, s: InetSocket): void {
  const r = ctx.r;
  const o = ctx.o;
  const type = s.protocol === IPPROTO.RAW ? (s.rawProtocol ?? 0) : s.protocol;
  statePrint(ctx, netidOf(type), s);
  const v6only = s.family === 10 && s.v6only === true;
  inetAddr(ctx, s.localAddress, () => s.localBytes, s.family, s.localPort, s.ifindex, v6only);
  inetAddr(ctx, s.peerAddress, () => s.peerBytes, s.family, s.peerPort, 0, v6only);
  procPrint(ctx, s.inode);
  if (o.options && s.timer) {
    const t = s.timer;
    if (type === IPPROTO.SCTP) r.out(` timer:(T3_RTX,${msTimer(t.expiresMs)},${t.retrans})`);
    else r.out(` timer:(${t.name},${msTimer(t.expiresMs)},${t.retrans})`);
  }
  if (o.details) {
    detailsPrint(ctx, s.uid ?? 0, s.inode, s.cookie, s.mark ?? 0, s.cgroupId ?? 0n);
    if (s.family === 10 && s.v6only !== undefined) r.out(` v6only:${s.v6only ? 1 : 0}`);
    if (s.shutdown !== undefined) r.out(` ${s.shutdown & 1 ? '-' : '<'}-${s.shutdown & 2 ? '-' : '>'}`);
  }
  if (o.tos) {
    if (s.tos !== undefined) r.out(` tos:${hex0x(s.tos)}`);
    if (s.tclass !== undefined) r.out(` tclass:${hex0x(s.tclass)}`);
    if (s.classId !== undefined) r.out(` class_id:${hex0x(s.classId)}`);
  }
  if (o.cgroup && s.cgroupId !== undefined) r.out(` cgroup:${ctx.cgroups.path(s.cgroupId)}`);
  if (o.inetSockopt && s.sockopt) {
    const so = s.sockopt;
    r.out(o.oneline ? ' inet-sockopt: (' : '\n\tinet-sockopt: (');
    if (so.recverr) r.out(' recverr');
    if (so.isIcsk) r.out(' is_icsk');
    if (so.freebind) r.out(' freebind');
    if (so.hdrincl) r.out(' hdrincl');
    if (so.mcLoop) r.out(' mc_loop');
    if (so.transparent) r.out(' transparent');
    if (so.mcAll) r.out(' mc_all');
    if (so.nodefrag) r.out(' nodefrag');
    if (so.bindAddressNoPort) r.out(' bind_addr_no_port');
    if (so.recverrRfc4884) r.out(' recverr_rfc4884');
    if (so.deferConnect) r.out(' defer_connect');
    r.out(')');
  }
  if (o.memory || (o.info && type !== IPPROTO.UDP)) {
    if (!o.oneline) r.out('\n\t');
    if (type === IPPROTO.SCTP) sctpInfoPrint(ctx, s);
    else if (type === IPPROTO.MPTCP) mptcpInfoPrint(ctx, s);
    else tcpInfoPrint(ctx, s);
  }
  ctx.lastInode = s.inode;
}

/** sctp_show_info: memory, local and peer addresses, sctp_stats_print. */
function sctpInfoPrint(ctx: FormatContext, s: InetSocket): void {
  const r = ctx.r;
  skmemPrint(r, s.skmem, s.meminfo);
  const host = (a: string): string => {
    if (!ctx.o.resolve || a === '') return a;
    const b = parseAddress(a);
    return b ? hostName(b, b.length === 4) : a;
  };
  if (s.sctpLocals) r.out(` locals:${s.sctpLocals.map(host).join(',')}`);
  if (s.sctpPeers) r.out(` peers:${s.sctpPeers.map(host).join(',')}`);
  if (!s.sctpInfo) return;
  const i = sctpInfo.decode(s.sctpInfo, 0, s.sctpInfo.length);
  let t = '';
  const d = (name: string, v: number): void => { if (v) t += ` ${name}:${v | 0}`; };
  if (i.tag) t += ` tag:${i.tag.toString(16)}`;
  if (i.state) t += ` state:${sctpStateName(i.state)}`;
  d('rwnd', i.rwnd); d('unackdata', i.unackdata); d('penddata', i.penddata); d('instrms', i.instrms);
  d('outstrms', i.outstrms); d('inqueue', i.inqueue); d('outqueue', i.outqueue); d('overerr', i.overallError);
  d('maxburst', i.maxBurst); d('maxseg', i.maxseg); d('prwnd', i.peerRwnd);
  if (i.peerTag) t += ` ptag:${i.peerTag.toString(16)}`;
  d('pcapable', i.peerCapable); d('psack', i.peerSack); d('autoclose', i.sAutoclose); d('adapind', i.sAdaptationInd);
  d('pdpoint', i.sPdPoint); d('nodelay', i.sNodelay); d('nofrag', i.sDisableFragments); d('v4mapped', i.sV4mapped);
  d('fraginl', i.sFragInterleave);
  r.out(t);
}

/** `%#x`: 0 prints as 0. */
function hex0x(v: number): string { return v ? `0x${v.toString(16)}` : '0'; }

function netidOf(type: number): string {
  switch (type) {
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

/** unix_show_sock */
export function printUnix(ctx: FormatContext, s: UnixSocket): void {
  const r = ctx.r;
  statePrint(ctx, s.netid, s);
  addrPrint(r, s.path ?? '*', ' ', String(s.inode), null);
  addrPrint(r, '*', ' ', String(s.peerInode), null);
  procPrint(ctx, s.inode);
  if (ctx.o.memory) skmemPrint(r, s.skmem);
  if (ctx.o.details) {
    if (s.shutdown !== undefined) r.out(` ${s.shutdown & 1 ? '-' : '<'}-${s.shutdown & 2 ? '-' : '>'}`);
    if (s.vfs) {
      const dev = s.vfs.dev;
      const major = (dev & 0xfff00) >>> 8;
      const minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
      r.out(` ino:${s.vfs.inode} dev:${major}/${minor}`);
    }
    if (s.pending) {
      r.out(' peers:');
      for (const p of s.pending) r.out(` ${p}`);
    }
  }
}

/** packet_show_sock */
export function printPacket(ctx: FormatContext, s: PacketSocket): void {
  const r = ctx.r;
  const o = ctx.o;
  statePrint(ctx, s.netid, s);
  const addr = s.protocol === 3 ? '*' : llProtoName(s.protocol, o.numeric);
  const port = s.ifindex === 0 ? '*' : ctx.links.name(s.ifindex);
  addrPrint(r, addr, ':', port, null);
  addrPrint(r, '', '*', '', null);
  procPrint(ctx, s.inode);
  if (o.details) detailsPrint(ctx, s.uid ?? 0, s.inode, s.cookie, 0, 0n);
  if (o.details) {
    const nl = o.oneline ? ' ' : '\n\t';
    if (s.info) {
      const p = s.info;
      r.out(`${nl}ver:${p.version | 0}`);
      r.out(` cpy_thresh:${p.copyThresh | 0}`);
      r.out(' flags( ');
      if (p.flags & 1) r.out('running');
      if (p.flags & 2) r.out(' auxdata');
      if (p.flags & 4) r.out(' origdev');
      if (p.flags & 8) r.out(' vnethdr');
      if (p.flags & 16) r.out(' loss');
      if (!p.flags) r.out('0');
      r.out(' )');
    }
    const ring = (name: string, g: NonNullable<PacketSocket['rxRing']>): void => {
      r.out(`${nl}${name}(`);
      r.out(`blk_size:${g.blockSize | 0},blk_nr:${g.blockNr | 0},frm_size:${g.frameSize | 0},frm_nr:${g.frameNr | 0},tmo:${g.retireTmo | 0},features:0x${g.features.toString(16)}`);
      r.out(')');
    };
    if (s.rxRing) ring('ring_rx', s.rxRing);
    if (s.txRing) ring('ring_tx', s.txRing);
    if (s.fanout) {
      const names = ['hash', 'lb', 'cpu', 'roll', 'random', 'qm'];
      r.out(`${nl}fanout(id:${s.fanout.id},type:${names[s.fanout.type] ?? `0x${s.fanout.type.toString(16)}`})`);
    }
  }
  if (o.bpf && s.filter) {
    r.out(`${o.oneline ? ' ' : '\n\t'}bpf filter (${s.filter.length}): `);
    for (const f of s.filter) r.out(` 0x${f.code.toString(16).padStart(2, '0')} ${f.jt} ${f.jf} ${f.k},`);
  }
  if (o.memory) skmemPrint(r, s.skmem);
}

/** netlink_show_one + netlink_show_sock */
export function printNetlink(ctx: FormatContext, s: NetlinkSockInfo): void {
  const r = ctx.r;
  const o = ctx.o;
  statePrint(ctx, 'nl', s);
  const protoName = nlProtoName(s.protocol, o.numeric);
  const pid = s.portid;
  let procname: string;
  if (pid === -1) procname = '*';
  else if (!o.numeric) {
    procname = String(pid);
    if (pid === 0) procname = 'kernel';
    else if (pid > 0) {
      try {
        const st = readFileSync(`/proc/${pid}/stat`, 'latin1');
        const m = /^\d+ \(([^)]*)/.exec(st);
        if (m) procname = `${m[1]}/${pid}`;
      } catch { /* not a pid */ }
    }
  } else procname = String(pid);
  addrPrint(r, protoName, ':', procname, null);
  if (s.state === 1) addrPrint(r, String(s.dstGroup), ':', String(s.dstPortid | 0), null);
  else addrPrint(r, '', '*', '', null);
  if (o.details) r.out(` sk=0 cb=0 groups=0x${sprintf('%08x', Number(s.groupsMask & 0xffffffffn))}`);
  if (o.memory) {
    r.out('\t');
    skmemPrint(r, s.skmem);
  }
}

/** dgram_show_line/tcp_show_line: a socket read from /proc/net (addresses, queues, users). */
export function printInetProc(ctx: FormatContext, s: InetSocket): void {
  const type = s.protocol === IPPROTO.RAW ? 0 : s.protocol;
  statePrint(ctx, netidOf(type), s);
  inetAddr(ctx, s.localAddress, () => s.localBytes, s.family, s.localPort, 0, false);
  inetAddr(ctx, s.peerAddress, () => s.peerBytes, s.family, s.peerPort, 0, false);
  procPrint(ctx, s.inode);
  // ss would print ` opt:"…"` with -e, but its sscanf can never fill it (n < 9 always): nothing more.
}

/** vsock_show_sock */
export function printVsock(ctx: FormatContext, s: VsockSocket): void {
  const r = ctx.r;
  statePrint(ctx, s.netid, s);
  const part = (v: number): string => (v === 0xffffffff ? '*' : String(v));
  addrPrint(r, part(s.localCid), ':', part(s.localPort), null);
  addrPrint(r, part(s.peerCid), ':', part(s.peerPort), null);
  procPrint(ctx, s.inode);
}

/** mptcp_show_info */
function mptcpInfoPrint(ctx: FormatContext, s: InetSocket): void {
  const r = ctx.r;
  skmemPrint(r, s.skmem, s.meminfo);
  const m = s.mptcpInfo;
  if (!m) return;
  if (m.subflows) r.outA(` subflows:${m.subflows}`);
  if (m.addAddrSignal) r.outA(` add_addr_signal:${m.addAddrSignal}`);
  if (m.addAddrAccepted) r.outA(` add_addr_accepted:${m.addAddrAccepted}`);
  if (m.subflowsMax) r.outA(` subflows_max:${m.subflowsMax}`);
  if (m.addAddrSignalMax) r.outA(` add_addr_signal_max:${m.addAddrSignalMax}`);
  if (m.addAddrAcceptedMax) r.outA(` add_addr_accepted_max:${m.addAddrAcceptedMax}`);
  if (m.flags & 1) r.outA(' fallback');
  if (m.flags & 2) r.outA(' remote_key');
  if (m.token) r.outA(` token:${m.token.toString(16)}`);
  if (m.writeSeq) r.outA(` write_seq:${m.writeSeq.toString(16)}`);
  if (m.sndUna) r.outA(` snd_una:${m.sndUna.toString(16)}`);
  if (m.rcvNxt) r.outA(` rcv_nxt:${m.rcvNxt.toString(16)}`);
}

/** xdp_show_sock */
export function printXdp(ctx: FormatContext, s: XdpSocket): void {
  const r = ctx.r;
  const o = ctx.o;
  statePrint(ctx, 'xdp', s);
  if (s.ifindex) addrPrint(r, ctx.links.name(s.ifindex), ':', `q${s.queueId | 0}`, null);
  else addrPrint(r, '', '*', '', null);
  addrPrint(r, '', '*', '', null);
  procPrint(ctx, s.inode);
  if (o.details) detailsPrint(ctx, s.uid ?? 0, s.inode, s.cookie, 0, 0n);
  if (o.details) {
    const ring = (name: string, n: number | undefined): void => {
      if (n === undefined) return;
      r.out(o.oneline ? ` ${name}(` : `\n\t${name}(`);
      r.out(`entries:${n}`);
      r.out(')');
    };
    ring('rx', s.rxRing);
    ring('tx', s.txRing);
    if (s.umem) {
      const u = s.umem;
      r.out(o.oneline ? ' tumem(' : '\n\tumem(');
      r.out(`id:${u.id},size:${u.size},num_pages:${u.numPages},chunk_size:${u.chunkSize},headroom:${u.headroom},ifindex:${u.ifindex},qid:${u.queueId},zc:${u.flags & 1},refs:${u.refs})`);
      ring('fr', s.fillRing);
      ring('cr', s.completionRing);
    }
    if (s.stats) {
      const t = s.stats;
      r.out(o.oneline ? ' stats(' : '\n\tstats(');
      r.out(`rx dropped:${t.rxDropped},rx invalid:${t.rxInvalid},rx queue full:${t.rxFull},rx fill ring empty:${t.fillRingEmpty},tx invalid:${t.txInvalid},tx ring empty:${t.txRingEmpty})`);
    }
  }
  if (o.memory) skmemPrint(r, s.skmem);
}
