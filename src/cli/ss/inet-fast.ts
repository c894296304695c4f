/**
 * ss's text line of a TCP/UDP/raw/DCCP socket printed straight from its
 * sock_diag reply, without a socket object: the header and the attributes
 * that common queries carry are read in place and written as bytes into the
 * column renderer. It prints exactly what {@link printInet} prints for the
 * decoded socket (test/unit/ss-fast.test.ts checks both on generated and
 * corrupted replies); anything it does not handle (other attributes, odd
 * lengths, duplicates, options it does not cover) is left to that path,
 * which the caller then takes for the message.
 * @module
 */
import { INET_DIAG, IPPROTO, TCPI_OPT } from '../../sockdiag/constants.js';
import { inetDiagMsg } from '../../sockdiag/schema.js';
import { TCP_INFO_OFFSETS as T } from '../../sockdiag/tcp-info.js';
import { SS_STATE_NAMES } from '../../sockdiag/types.js';
import { formatIPv6 } from '../../netlink/addr.js';
import { formatOwners } from '../../sockdiag/procs.js';
import { sprintf } from '../../output/printf.js';
import type { FilterSubject } from '../../sockdiag/filter.js';
import { COL, type ColumnRenderer } from './render.js';
import { msTimer, sprintBw, resolveService, g, type FormatContext } from './format.js';

const OFF = Object.fromEntries(inetDiagMsg.members.map((m) => [m.name, m.offset])) as Record<string, number>;
const O_FAMILY = OFF.family!, O_STATE = OFF.state!, O_TIMER = OFF.timer!, O_RETRANS = OFF.retrans!;
const O_SPORT = OFF.sport!, O_DPORT = OFF.dport!, O_SRC = OFF.src!, O_DST = OFF.dst!, O_IF = OFF.if!, O_COOKIE = OFF.cookie!;
const O_EXPIRES = OFF.expires!, O_RQUEUE = OFF.rqueue!, O_WQUEUE = OFF.wqueue!, O_UID = OFF.uid!, O_INODE = OFF.inode!;
const HDR = inetDiagMsg.size;

const TIMER_NAMES = ['off', 'on', 'keepalive', 'timewait', 'persist', 'unknown'];
const ascii = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const STATE_BYTES = SS_STATE_NAMES.map(ascii);
const UNKNOWN_STATE = ascii('UNKNOWN');
const NETIDS: Record<number, Uint8Array> = {
  0: ascii('raw'), [IPPROTO.UDP]: ascii('udp'), [IPPROTO.TCP]: ascii('tcp'), [IPPROTO.DCCP]: ascii('dccp'), [IPPROTO.ICMPV6]: ascii('icmp6'),
  [IPPROTO.MPTCP]: ascii('mptcp'), [IPPROTO.SCTP]: ascii('sctp'),
};
const UNKNOWN_NETID = ascii('???');
const W = (s: string): Uint8Array => ascii(s);
const S_SKMEM = W(' skmem:(r'), S_RB = W(',rb'), S_T = W(',t'), S_TB = W(',tb'), S_F = W(',f'), S_W = W(',w'), S_O = W(',o'), S_BL = W(',bl'), S_D = W(',d');
const S_MEM = W(' mem:(r');
const S_NL_TAB = W('\n\t');
const S_WSCALE = W(' wscale:'), S_RTO = W(' rto:'), S_BACKOFF = W(' backoff:'), S_RTT = W(' rtt:'), S_ATO = W(' ato:'), S_MSS = W(' mss:');
const S_PMTU = W(' pmtu:'), S_RCVMSS = W(' rcvmss:'), S_ADVMSS = W(' advmss:'), S_CWND = W(' cwnd:'), S_SSTHRESH = W(' ssthresh:');
const S_BYTES_SENT = W(' bytes_sent:'), S_BYTES_RETRANS = W(' bytes_retrans:'), S_BYTES_ACKED = W(' bytes_acked:'), S_BYTES_RECEIVED = W(' bytes_received:');
const S_SEGS_OUT = W(' segs_out:'), S_SEGS_IN = W(' segs_in:'), S_DATA_SEGS_OUT = W(' data_segs_out:'), S_DATA_SEGS_IN = W(' data_segs_in:');
const S_SEND = W(' send '), S_BPS = W('bps'), S_LASTSND = W(' lastsnd:'), S_LASTRCV = W(' lastrcv:'), S_LASTACK = W(' lastack:');
const S_PACING = W(' pacing_rate '), S_DELIVERY = W(' delivery_rate '), S_DELIVERED = W(' delivered:'), S_DELIVERED_CE = W(' delivered_ce:');
const S_APP_LIMITED = W(' app_limited'), S_BUSY = W(' busy:'), S_MS = W('ms'), S_UNACKED = W(' unacked:'), S_RETRANS = W(' retrans:');
const S_LOST = W(' lost:'), S_SACKED = W(' sacked:'), S_DSACK = W(' dsack_dups:'), S_FACKETS = W(' fackets:'), S_REORDERING = W(' reordering:');
const S_REORD_SEEN = W(' reord_seen:'), S_RCV_RTT = W(' rcv_rtt:'), S_RCV_SPACE = W(' rcv_space:'), S_RCV_SSTHRESH = W(' rcv_ssthresh:');
const S_NOTSENT = W(' notsent:'), S_MINRTT = W(' minrtt:'), S_OOOPACK = W(' rcv_ooopack:'), S_SND_WND = W(' snd_wnd:');
const S_TS = W(' ts'), S_SACK = W(' sack'), S_ECN = W(' ecn'), S_ECNSEEN = W(' ecnseen'), S_FASTOPEN = W(' fastopen');
const S_STAR = W('*');
const S_BBR = W(' bbr:(bw:'), S_MRTT = W('bps,mrtt:'), S_PACING_GAIN = W(',pacing_gain:'), S_CWND_GAIN = W(',cwnd_gain:');

/** Attributes read in place, as bits of a "seen" mask (a duplicate sends the message to the generic path). */
const A_SHUTDOWN = 1, A_V6ONLY = 2, A_MARK = 4, A_CGROUP = 8, A_PROTOCOL = 16, A_INFO = 32, A_CONG = 64, A_VEGAS = 128, A_MEMINFO = 256, A_SKMEM = 512, A_SOCKOPT = 1024, A_DCTCP = 2048, A_BBR = 4096;

/** Per-run state of the fast printer: caches of service-name bytes. */
export class InetLinePrinter {
  /** Service text bytes by port, per services table (ss's dg_proto). */
  private readonly services = new Map<string, Map<number, Uint8Array>>();
  private readonly r: ColumnRenderer;

  /**
   * Whether the options can be printed by this path at all (others: the
   * generic path for every socket).
   */
  static supports(ctx: FormatContext): boolean {
    const o = ctx.o;
    return !o.resolve && !o.tos && !o.cgroup && !o.inetSockopt && !o.json;
  }

  private readonly numeric: boolean;
  private readonly ephMin: number;
  private readonly ephMax: number;

  constructor(private readonly ctx: FormatContext) {
    this.r = ctx.r;
    this.numeric = ctx.o.numeric;
    this.ephMin = ctx.ephemeral.min;
    this.ephMax = ctx.ephemeral.max;
  }

  /** A port as ss prints it (resolveService): `*` for 0, digits with -n or in the ephemeral range, else the cached service text. */
  private port(port: number): void {
    // Ports that print as their digits are written straight into the
    // renderer: a cache entry (and Buffer) per port costs more than the
    // digits when 100,000 sockets have as many client ports.
    if (port === 0) this.r.outBytes(S_STAR);
    else if (this.numeric || (this.ctx.dgProto !== 'raw' && port >= this.ephMin && port <= this.ephMax)) this.r.outUint(port);
    else this.r.outBytes(this.service(port));
  }

  private service(port: number): Uint8Array {
    const ctx = this.ctx;
    let cache = this.services.get(ctx.dgProto);
    if (!cache) { cache = new Map(); this.services.set(ctx.dgProto, cache); }
    let v = cache.get(port);
    if (v === undefined) { v = Buffer.from(resolveService(ctx, port), 'utf8'); cache.set(port, v); }
    return v;
  }

  // The reply last accepted by scan(): where it is and where its attributes are (-1: absent).
  private buf: Buffer = Buffer.alloc(0);
  /** `buf` as 32-bit words, and the buffer that view was made for. */
  private w: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private wOf: Buffer | null = null;
  private off = 0;
  private proto = 0;
  private aShutdown = -1; private aV6only = -1; private aMark = -1; private aCgroup = -1; private aProtocol = -1;
  private aInfo = -1; private infoLen = 0; private aCong = -1; private congLen = 0; private aVegas = -1;
  private aMeminfo = -1; private aSkmem = -1; private skmemLen = 0; private aDctcp = -1; private aBbr = -1;

  /**
   * Check that the reply (`buf[off, off+len)`, the payload after the netlink
   * header, queried from table `proto`) can be printed here, and note where
   * its attributes are. False: it needs the generic path.
   */
  scan(buf: Buffer, off: number, len: number, proto: number): boolean {
    if (len < HDR) return false;
    if (proto !== IPPROTO.TCP && proto !== IPPROTO.UDP && proto !== IPPROTO.RAW && proto !== IPPROTO.DCCP) return false;
    // Words are read through a Uint32Array over the receive buffer (host order, as netlink's):
    // far cheaper than Buffer's read methods before the JIT has optimized anything.
    if ((buf.byteOffset | off) & 3) return false;
    let w = this.w;
    if (buf !== this.wOf) {
      w = this.w = new Uint32Array(buf.buffer, buf.byteOffset, buf.length >>> 2);
      this.wOf = buf;
    }
    const end = off + len;
    let seen = 0;
    let aShutdown = -1, aV6only = -1, aMark = -1, aCgroup = -1, aProtocol = -1;
    let aInfo = -1, infoLen = 0, aCong = -1, congLen = 0, aVegas = -1, aMeminfo = -1, aSkmem = -1, skmemLen = 0;
    let aDctcp = -1, aBbr = -1;
    let p = off + HDR;
    while (end - p >= 4) {
      const h = w[p >>> 2]!;
      const alen = h & 0xffff;
      const type = (h >>> 16) & 0x3fff;
      if (alen < 4 || alen > end - p) return false;
      const d = p + 4;
      let bit: number;
      switch (type) {
        case INET_DIAG.SHUTDOWN: if (alen !== 5) return false; bit = A_SHUTDOWN; aShutdown = d; break;
        case INET_DIAG.SKV6ONLY: if (alen !== 5) return false; bit = A_V6ONLY; aV6only = d; break;
        case INET_DIAG.MARK: if (alen !== 8) return false; bit = A_MARK; aMark = d; break;
        case INET_DIAG.CGROUP_ID: if (alen !== 12) return false; bit = A_CGROUP; aCgroup = d; break;
        case INET_DIAG.PROTOCOL: if (alen !== 5) return false; bit = A_PROTOCOL; aProtocol = d; break;
        case INET_DIAG.SOCKOPT: if (alen !== 6) return false; bit = A_SOCKOPT; break;
        case INET_DIAG.INFO: bit = A_INFO; aInfo = d; infoLen = alen - 4; break;
        case INET_DIAG.CONG: bit = A_CONG; aCong = d; congLen = alen - 4; break;
        case INET_DIAG.VEGASINFO: if (alen !== 20) return false; bit = A_VEGAS; aVegas = d; break;
        case INET_DIAG.MEMINFO: if (alen !== 20) return false; bit = A_MEMINFO; aMeminfo = d; break;
        case INET_DIAG.SKMEMINFO: bit = A_SKMEM; aSkmem = d; skmemLen = alen - 4; break;
        case INET_DIAG.DCTCPINFO: if (alen !== 20) return false; bit = A_DCTCP; aDctcp = d; break;
        case INET_DIAG.BBRINFO: if (alen !== 24) return false; bit = A_BBR; aBbr = d; break;
        default: return false;
      }
      if (seen & bit) return false;
      seen |= bit;
      p += (alen + 3) & ~3;
    }
    // The congestion name: text up to its NUL; non-ASCII is left to the generic path.
    if (aCong >= 0) {
      let n = 0;
      while (n < congLen && buf[aCong + n] !== 0) {
        if (buf[aCong + n]! >= 0x80) return false;
        n++;
      }
      congLen = n;
    }
    this.buf = buf; this.off = off; this.proto = proto;
    this.aShutdown = aShutdown; this.aV6only = aV6only; this.aMark = aMark; this.aCgroup = aCgroup; this.aProtocol = aProtocol;
    this.aInfo = aInfo; this.infoLen = infoLen; this.aCong = aCong; this.congLen = congLen; this.aVegas = aVegas;
    this.aMeminfo = aMeminfo; this.aSkmem = aSkmem; this.skmemLen = skmemLen; this.aDctcp = aDctcp; this.aBbr = aBbr;
    return true;
  }

  /** Family of the scanned reply. */
  get family(): number { return this.buf[this.off + O_FAMILY]!; }
  /** Bound interface of the scanned reply (0: none). */
  get ifindex(): number { return this.w[(this.off + O_IF) >>> 2]!; }

  /** What filters evaluate, for the scanned reply (as {@link filterSubject} of the decoded socket). */
  subject(): FilterSubject {
    const b = this.buf, off = this.off;
    const alen = b[off + O_FAMILY] === 2 ? 4 : 16;
    return {
      family: b[off + O_FAMILY]!, lport: b.readUInt16BE(off + O_SPORT), rport: b.readUInt16BE(off + O_DPORT),
      local: b.subarray(off + O_SRC, off + O_SRC + alen), remote: b.subarray(off + O_DST, off + O_DST + alen),
      iface: b.readUInt32LE(off + O_IF), mark: this.aMark >= 0 ? b.readUInt32LE(this.aMark) : 0,
      cgroupId: this.aCgroup >= 0 ? b.readBigUInt64LE(this.aCgroup) : 0n,
    };
  }

  /** Print the scanned reply (ss's inet_show_sock). */
  print(): void {
    const buf = this.buf, off = this.off, proto = this.proto;
    const aShutdown = this.aShutdown, aV6only = this.aV6only, aMark = this.aMark, aCgroup = this.aCgroup, aProtocol = this.aProtocol;
    const aInfo = this.aInfo, infoLen = this.infoLen, aCong = this.aCong, congLen = this.congLen, aVegas = this.aVegas;
    const aMeminfo = this.aMeminfo, aSkmem = this.aSkmem, skmemLen = this.skmemLen;
    const ctx = this.ctx, o = ctx.o, r = this.r;
    const family = buf[off + O_FAMILY]!;
    const state = buf[off + O_STATE]!;
    const type = proto === IPPROTO.RAW ? (aProtocol >= 0 ? buf[aProtocol]! : 0) : proto;
    // sock_state_print
    r.set(COL.NETID);
    r.outBytes(NETIDS[type] ?? UNKNOWN_NETID);
    r.set(COL.STATE);
    r.outBytes(STATE_BYTES[state] ?? UNKNOWN_STATE);
    r.set(COL.RECVQ);
    const w = this.w;
    r.outIntLeft(w[(off + O_RQUEUE) >>> 2]!, 6);
    r.set(COL.SENDQ);
    r.outIntLeft(w[(off + O_WQUEUE) >>> 2]!, 6);
    r.set(COL.ADDR);
    // Addresses and ports.
    const v6only = family === 10 && aV6only >= 0 && buf[aV6only] !== 0;
    const ifindex = w[(off + O_IF) >>> 2]!;
    this.addr(buf, off + O_SRC, family, v6only, ifindex);
    this.port((buf[off + O_SPORT]! << 8) | buf[off + O_SPORT + 1]!);
    r.next();
    this.addr(buf, off + O_DST, family, v6only, 0);
    this.port((buf[off + O_DPORT]! << 8) | buf[off + O_DPORT + 1]!);
    r.next();
    const inode = w[(off + O_INODE) >>> 2]!;
    if (ctx.owners && inode) {
      const list = ctx.owners.get(inode);
      if (list && list.length) r.out(` users:(${formatOwners(list, o.threads > 0)})`);
    }
    const timer = buf[off + O_TIMER]!;
    if (o.options && timer) {
      r.out(` timer:(${TIMER_NAMES[Math.min(timer, 5)]!},${msTimer(w[(off + O_EXPIRES) >>> 2]!)},${buf[off + O_RETRANS]!})`);
    }
    if (o.details) {
      const uid = w[(off + O_UID) >>> 2]!;
      if (uid) r.out(` uid:${uid}`);
      r.out(` ino:${inode}`);
      r.out(` sk:${buf.readBigUInt64LE(off + O_COOKIE).toString(16)}`);
      const mark = aMark >= 0 ? w[aMark >>> 2]! : 0;
      if (mark) r.out(` fwmark:0x${mark.toString(16)}`);
      if (aCgroup >= 0) {
        const id = buf.readBigUInt64LE(aCgroup);
        if (id) r.out(` cgroup:${ctx.cgroups.path(id)}`);
      }
      if (family === 10 && aV6only >= 0) r.out(` v6only:${buf[aV6only] !== 0 ? 1 : 0}`);
      if (aShutdown >= 0) { const sh = buf[aShutdown]!; r.out(` ${sh & 1 ? '-' : '<'}-${sh & 2 ? '-' : '>'}`); }
    }
    if (o.memory || (o.info && type !== IPPROTO.UDP)) {
      if (!o.oneline) r.outBytes(S_NL_TAB);
      this.skmem(buf, aSkmem, skmemLen, aMeminfo);
      if (aInfo >= 0) {
        // tcp_show_info: INET_DIAG_INFO is struct tcp_info here (the fast path takes no MPTCP/SCTP).
        this.tcpInfo(buf, aInfo, infoLen, aCong, congLen, aVegas, state);
      }
    }
    ctx.lastInode = inode;
  }

  /** inet_addr_print + the address half of sock_addr_print (the port is the caller's). */
  private addr(buf: Buffer, a: number, family: number, v6only: boolean, ifindex: number): void {
    const r = this.r;
    if (family === 2) {
      r.outIPv4(buf, a);
    } else {
      const text = formatIPv6(buf, a);
      if (!v6only && text === '::') r.outBytes(S_STAR);
      else if (text.includes(':')) { r.outByte(91); r.out(text); r.outByte(93); } else r.out(text);
    }
    if (ifindex) { r.outByte(37); r.out(this.ctx.links.name(ifindex)); }
    r.outByte(58);
    r.next();
  }

  private skmem(buf: Buffer, a: number, alen: number, aMeminfo: number): void {
    const r = this.r;
    if (a >= 0) {
      const n = alen >>> 2;
      const w = this.w, base = a >>> 2;
      const at = (i: number): number => (i < n ? w[base + i]! : 0);
      r.outLabelUint(S_SKMEM, at(0));
      r.outLabelUint(S_RB, at(1));
      r.outLabelUint(S_T, at(2));
      r.outLabelUint(S_TB, at(3));
      r.outLabelUint(S_F, at(4));
      r.outLabelUint(S_W, at(5));
      r.outLabelUint(S_O, at(6));
      if (n > 7) { r.outLabelUint(S_BL, at(7)); }
      if (n > 8) { r.outLabelUint(S_D, at(8)); }
      r.outByte(41);
    } else if (aMeminfo >= 0) {
      const w = this.w, m = aMeminfo >>> 2;
      r.outLabelUint(S_MEM, w[m]!);
      r.outByte(44); r.outByte(119); r.outUint(w[m + 1]!);
      r.outByte(44); r.outByte(102); r.outUint(w[m + 2]!);
      r.outByte(44); r.outByte(116); r.outUint(w[m + 3]!);
      r.outByte(41);
    }
  }

  /** tcp_stats_print over a tcp_info of `len` bytes at `a` (fields past `len` read as zero). */
  private tcpInfo(buf: Buffer, a: number, len: number, aCong: number, congLen: number, aVegas: number, state: number): void {
    const r = this.r, o = this.ctx.o, numeric = o.numeric;
    this.ti = a; this.tiLen = len;

    const opt = this.u8(T.options);
    if (o.options) {
      if (opt & TCPI_OPT.TIMESTAMPS) r.outBytes(S_TS);
      if (opt & TCPI_OPT.SACK) r.outBytes(S_SACK);
      if (opt & TCPI_OPT.ECN) r.outBytes(S_ECN);
      if (opt & TCPI_OPT.ECN_SEEN) r.outBytes(S_ECNSEEN);
      if (opt & TCPI_OPT.SYN_DATA) r.outBytes(S_FASTOPEN);
    }
    if (aCong >= 0 && congLen) {
      r.outByte(32);
      // ASCII (checked): 15 characters are 15 bytes.
      const n = Math.min(congLen, 15);
      for (let i = 0; i < n; i++) r.outByte(buf[aCong + i]!);
    }
    if (opt & TCPI_OPT.WSCALE) {
      const ws = this.u8(T.wscaleBits);
      r.outLabelUint(S_WSCALE, ws & 0xf); r.outByte(44); r.outUint(ws >> 4);
    }
    const rto = this.u32(T.rto);
    if (rto && rto !== 3000000) { r.outBytes(S_RTO); this.msec(rto); }
    this.uint(S_BACKOFF, this.u8(T.backoff));
    const rtt = this.u32(T.rtt);
    if (rtt) { r.outBytes(S_RTT); this.msec(rtt); r.outByte(47); this.msec(this.u32(T.rttvar)); }
    const ato = this.u32(T.ato);
    if (ato) { r.outBytes(S_ATO); this.msec(ato); }
    const sndMss = this.u32(T.sndMss);
    this.int(S_MSS, sndMss);
    this.uint(S_PMTU, this.u32(T.pmtu));
    this.int(S_RCVMSS, this.u32(T.rcvMss));
    this.int(S_ADVMSS, this.u32(T.advmss));
    const cwnd = this.u32(T.sndCwnd);
    this.uint(S_CWND, cwnd);
    const ssthresh = this.u32(T.sndSsthresh);
    if (ssthresh < 0xffff && ssthresh) { r.outBytes(S_SSTHRESH); r.outInt(ssthresh); }
    this.u64(S_BYTES_SENT, T.bytesSent);
    this.u64(S_BYTES_RETRANS, T.bytesRetrans);
    this.u64(S_BYTES_ACKED, T.bytesAcked);
    this.u64(S_BYTES_RECEIVED, T.bytesReceived);
    this.uint(S_SEGS_OUT, this.u32(T.segsOut));
    this.uint(S_SEGS_IN, this.u32(T.segsIn));
    this.uint(S_DATA_SEGS_OUT, this.u32(T.dataSegsOut));
    this.uint(S_DATA_SEGS_IN, this.u32(T.dataSegsIn));
    const aDctcp = this.aDctcp, aBbr = this.aBbr;
    if (aDctcp >= 0) {
      if (buf.readUInt16LE(aDctcp)) {
        r.outA(` dctcp:(ce_state:${buf.readUInt16LE(aDctcp + 2)},alpha:${buf.readUInt32LE(aDctcp + 4)},ab_ecn:${buf.readUInt32LE(aDctcp + 8)},ab_tot:${buf.readUInt32LE(aDctcp + 12)})`);
      } else r.outA(' dctcp:fallback_mode');
    }
    if (aBbr >= 0) {
      const w = this.w, b = aBbr >>> 2;
      const bw = w[b + 1]! * 4294967296 + w[b]!;
      r.outBytes(S_BBR); r.outA(sprintBw(bw * 8, numeric)); r.outBytes(S_MRTT); this.msec(w[b + 2]!);
      const pacingGain = w[b + 3]!, cwndGain = w[b + 4]!;
      if (pacingGain) { r.outBytes(S_PACING_GAIN); r.outA(g(pacingGain / 256)); }
      if (cwndGain) { r.outBytes(S_CWND_GAIN); r.outA(g(cwndGain / 256)); }
      r.outByte(41);
    }
    let srtt = rtt;
    if (aVegas >= 0) {
      const enabled = this.w[aVegas >>> 2]!, vrtt = this.w[(aVegas >>> 2) + 2]!;
      if (enabled && vrtt && vrtt !== 0x7fffffff) srtt = vrtt;
    }
    if (srtt > 0 && sndMss && cwnd) {
      r.outBytes(S_SEND); r.outA(sprintBw(cwnd * sndMss * 8000000 / srtt, numeric)); r.outBytes(S_BPS);
    }
    this.uint(S_LASTSND, this.u32(T.lastDataSent));
    this.uint(S_LASTRCV, this.u32(T.lastDataRecv));
    this.uint(S_LASTACK, this.u32(T.lastAckRecv));
    if ((this.lo(T.pacingRate) || this.hi(T.pacingRate)) && !this.isMax(T.pacingRate)) {
      r.outBytes(S_PACING); r.outA(sprintBw(this.num64(T.pacingRate) * 8, numeric)); r.outBytes(S_BPS);
      if ((this.lo(T.maxPacingRate) || this.hi(T.maxPacingRate)) && !this.isMax(T.maxPacingRate)) {
        r.outByte(47); r.outA(sprintBw(this.num64(T.maxPacingRate) * 8, numeric)); r.outBytes(S_BPS);
      }
    }
    if (this.lo(T.deliveryRate) || this.hi(T.deliveryRate)) {
      r.outBytes(S_DELIVERY); r.outA(sprintBw(this.num64(T.deliveryRate) * 8, numeric)); r.outBytes(S_BPS);
    }
    this.uint(S_DELIVERED, this.u32(T.delivered));
    this.uint(S_DELIVERED_CE, this.u32(T.deliveredCe));
    if (this.u8(T.flagBits) & 1) r.outBytes(S_APP_LIMITED);
    if (this.lo(T.busyTime) || this.hi(T.busyTime)) {
      // Rare and exact-integer sensitive: BigInt as the generic printer.
      const big = (f: number): bigint => (f + 8 <= len ? buf.readBigUInt64LE(a + f) : 0n);
      const busyTime = big(T.busyTime);
      r.outBytes(S_BUSY); r.outA(String(busyTime / 1000n)); r.outBytes(S_MS);
      const busy = Number(busyTime);
      const rwnd = big(T.rwndLimited), sndbuf = big(T.sndbufLimited);
      if (rwnd) r.outA(` rwnd_limited:${rwnd / 1000n}ms(${sprintf('%.1f', 100 * Number(rwnd) / busy)}%)`);
      if (sndbuf) r.outA(` sndbuf_limited:${sndbuf / 1000n}ms(${sprintf('%.1f', 100 * Number(sndbuf) / busy)}%)`);
    }
    this.uint(S_UNACKED, this.u32(T.unacked));
    const retrans = this.u32(T.retrans), total = this.u32(T.totalRetrans);
    if (retrans || total) { r.outLabelUint(S_RETRANS, retrans); r.outByte(47); r.outUint(total); }
    this.uint(S_LOST, this.u32(T.lost));
    const sacked = this.u32(T.sacked);
    if (sacked && state !== 10) { r.outLabelUint(S_SACKED, sacked); }
    this.uint(S_DSACK, this.u32(T.dsackDups));
    this.uint(S_FACKETS, this.u32(T.fackets));
    const reordering = this.u32(T.reordering);
    if (reordering !== 3) { r.outBytes(S_REORDERING); r.outInt(reordering); }
    this.int(S_REORD_SEEN, this.u32(T.reordSeen));
    const rcvRtt = this.u32(T.rcvRtt);
    if (rcvRtt) { r.outBytes(S_RCV_RTT); this.msec(rcvRtt); }
    this.int(S_RCV_SPACE, this.u32(T.rcvSpace));
    this.uint(S_RCV_SSTHRESH, this.u32(T.rcvSsthresh));
    this.uint(S_NOTSENT, this.u32(T.notsentBytes));
    const minRtt = this.u32(T.minRtt);
    if (minRtt && minRtt !== 0xffffffff) { r.outBytes(S_MINRTT); this.msec(minRtt); }
    this.uint(S_OOOPACK, this.u32(T.rcvOoopack));
    this.uint(S_SND_WND, this.u32(T.sndWnd));
  }

  // The tcp_info being printed: offset and length (fields past it read as zero).
  private ti = 0;
  private tiLen = 0;
  private u8(f: number): number { return f < this.tiLen ? this.buf[this.ti + f]! : 0; }
  private u32(f: number): number { return f + 4 <= this.tiLen ? this.w[(this.ti + f) >>> 2]! : 0; }
  private lo(f: number): number { return f + 8 <= this.tiLen ? this.w[(this.ti + f) >>> 2]! : 0; }
  private hi(f: number): number { return f + 8 <= this.tiLen ? this.w[((this.ti + f) >>> 2) + 1]! : 0; }
  /** A u64 as a number (exact below 2^53, else rounded: only used for rates). */
  private num64(f: number): number { return this.hi(f) * 4294967296 + this.lo(f); }
  private isMax(f: number): boolean { return this.lo(f) === 0xffffffff && this.hi(f) === 0xffffffff; }
  /** ` name:N` of a u64 field when not zero; exact without BigInt below 2^53. */
  private u64(s: Uint8Array, f: number): void {
    const h = this.hi(f), l = this.lo(f);
    if (!h && !l) return;
    this.r.outBytes(s);
    if (h < 0x200000) this.r.outUint(h * 4294967296 + l);
    else this.r.out(this.buf.readBigUInt64LE(this.ti + f).toString());
  }
  private uint(s: Uint8Array, v: number): void { if (v) this.r.outLabelUint(s, v); }
  private int(s: Uint8Array, v: number): void { if (v) { this.r.outBytes(s); this.r.outInt(v); } }

  /** `%g` of `us / 1000` (microseconds as milliseconds). */
  private msec(us: number): void {
    const r = this.r;
    if (us >= 1000000) { r.outA(g(us / 1000)); return; }
    // Below 1000 ms the value has at most 6 significant digits, so %g prints it exactly.
    const ms = Math.floor(us / 1000);
    let frac = us - ms * 1000;
    r.outUint(ms);
    if (frac) {
      r.outByte(46);
      r.outByte(48 + Math.floor(frac / 100));
      frac %= 100;
      if (frac) {
        r.outByte(48 + Math.floor(frac / 10));
        frac %= 10;
        if (frac) r.outByte(48 + frac);
      }
    }
  }
}
