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
import { TCP_INFO_OFFSETS as T, tcpInfo as tcpInfoStruct } from '../../sockdiag/tcp-info.js';
import { SS_STATE_NAMES } from '../../sockdiag/types.js';
import { formatIPv6 } from '../../netlink/addr.js';
import { ownersText } from '../../sockdiag/procs.js';
import { sprintf } from '../../output/printf.js';
import type { FilterSubject } from '../../sockdiag/filter.js';
import { COL, type ColumnRenderer } from './render.js';
import { msTimer, resolveService, type FormatContext } from './format.js';
import { putUint, putInt, putG, putBw, putMsec, putAscii, putLabel, putIntLeft6, putIPv4, label, type Label } from './num-bytes.js';

const OFF = Object.fromEntries(inetDiagMsg.members.map((m) => [m.name, m.offset])) as Record<string, number>;
const O_FAMILY = OFF.family!, O_STATE = OFF.state!, O_TIMER = OFF.timer!, O_RETRANS = OFF.retrans!;
const O_SPORT = OFF.sport!, O_DPORT = OFF.dport!, O_SRC = OFF.src!, O_DST = OFF.dst!, O_IF = OFF.if!, O_COOKIE = OFF.cookie!;
const O_EXPIRES = OFF.expires!, O_RQUEUE = OFF.rqueue!, O_WQUEUE = OFF.wqueue!, O_UID = OFF.uid!, O_INODE = OFF.inode!;
const HDR = inetDiagMsg.size;

const TIMER_NAMES = ['off', 'on', 'keepalive', 'timewait', 'persist', 'unknown'];
const ascii = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const STATE_LABELS = SS_STATE_NAMES.map(label);
const L_UNKNOWN_STATE = label('UNKNOWN');
const NETID_LABELS: Record<number, Label> = {
  0: label('raw'), [IPPROTO.UDP]: label('udp'), [IPPROTO.TCP]: label('tcp'), [IPPROTO.DCCP]: label('dccp'), [IPPROTO.ICMPV6]: label('icmp6'),
  [IPPROTO.MPTCP]: label('mptcp'), [IPPROTO.SCTP]: label('sctp'),
};
const L_UNKNOWN_NETID = label('???');
/** Room print() makes for what it writes directly up to the ports (a long service name makes its own). */
const LINE_ROOM = 256;
/** Service names up to this many bytes fit in LINE_ROOM after the rest of the line. */
const SERVICE_IN_ROOM = 64;
const W = (s: string): Uint8Array => ascii(s);
const S_SKMEM = W(' skmem:(r'), S_RB = W(',rb'), S_T = W(',t'), S_TB = W(',tb'), S_F = W(',f'), S_W = W(',w'), S_O = W(',o'), S_BL = W(',bl'), S_D = W(',d');
const S_MEM = W(' mem:(r');
const S_NL_TAB = W('\n\t');
const S_BUSY = W(' busy:'), S_MS = W('ms');
// tcp_info's fixed texts, as words for putLabel.
const L_WSCALE = label(' wscale:'), L_BPS = label('bps'), L_NONE = label(''), L_APP_LIMITED = label(' app_limited');
const L_TS = label(' ts'), L_SACK = label(' sack'), L_ECN = label(' ecn'), L_ECNSEEN = label(' ecnseen'), L_FASTOPEN = label(' fastopen');
const L_BBR = label(' bbr:(bw:'), L_MRTT = label('bps,mrtt:'), L_PACING_GAIN = label(',pacing_gain:'), L_CWND_GAIN = label(',cwnd_gain:');

// tcp_info as read in place by tcpInfo(): byte offsets of the u8 fields, and
// word indexes of the u32 fields and of the low words of the u64 ones.
const T_OPTIONS = T.options, T_WSCALE = T.wscaleBits, T_BACKOFF = T.backoff, T_FLAGS = T.flagBits;
const I_RTO = T.rto >>> 2, I_RTT = T.rtt >>> 2, I_RTTVAR = T.rttvar >>> 2, I_ATO = T.ato >>> 2, I_SND_MSS = T.sndMss >>> 2;
const I_PMTU = T.pmtu >>> 2, I_RCV_MSS = T.rcvMss >>> 2, I_ADVMSS = T.advmss >>> 2, I_SND_CWND = T.sndCwnd >>> 2;
const I_SND_SSTHRESH = T.sndSsthresh >>> 2, I_BYTES_SENT = T.bytesSent >>> 2, I_BYTES_RETRANS = T.bytesRetrans >>> 2;
const I_BYTES_ACKED = T.bytesAcked >>> 2, I_BYTES_RECEIVED = T.bytesReceived >>> 2, I_SEGS_OUT = T.segsOut >>> 2;
const I_SEGS_IN = T.segsIn >>> 2, I_DATA_SEGS_OUT = T.dataSegsOut >>> 2, I_DATA_SEGS_IN = T.dataSegsIn >>> 2;
const I_LAST_DATA_SENT = T.lastDataSent >>> 2, I_LAST_DATA_RECV = T.lastDataRecv >>> 2, I_LAST_ACK_RECV = T.lastAckRecv >>> 2;
const I_PACING_RATE = T.pacingRate >>> 2, I_MAX_PACING_RATE = T.maxPacingRate >>> 2, I_DELIVERY_RATE = T.deliveryRate >>> 2;
const I_DELIVERED = T.delivered >>> 2, I_DELIVERED_CE = T.deliveredCe >>> 2, I_BUSY_TIME = T.busyTime >>> 2;
const I_UNACKED = T.unacked >>> 2, I_RETRANS = T.retrans >>> 2, I_TOTAL_RETRANS = T.totalRetrans >>> 2, I_LOST = T.lost >>> 2;
const I_SACKED = T.sacked >>> 2, I_DSACK_DUPS = T.dsackDups >>> 2, I_FACKETS = T.fackets >>> 2, I_REORDERING = T.reordering >>> 2;
const I_REORD_SEEN = T.reordSeen >>> 2, I_RCV_RTT = T.rcvRtt >>> 2, I_RCV_SPACE = T.rcvSpace >>> 2, I_RCV_SSTHRESH = T.rcvSsthresh >>> 2;
const I_NOTSENT = T.notsentBytes >>> 2, I_MIN_RTT = T.minRtt >>> 2, I_OOOPACK = T.rcvOoopack >>> 2, I_SND_WND = T.sndWnd >>> 2;
/** Bytes of tcp_info that tcpInfo() reads (through snd_wnd); a shorter one is read from a zero-padded copy. */
const TI_READ = T.sndWnd + 4;
/** Offsets of the u64 fields (a copy of a short tcp_info leaves out a u64 it has only half of, as the decoder does). */
const TI_U64_LO = new Set(tcpInfoStruct.members.filter((m) => m.codec.size === 8).map((m) => m.offset));
const tiScratchW = new Uint32Array(TI_READ >>> 2);
const tiScratch = Buffer.from(tiScratchW.buffer);
/** Room tcpInfo() makes for its text: more than its longest (about 1.5 KiB with every field at its widest). */
const TI_TEXT_MAX = 4096;
const TI_OPT_ANY = TCPI_OPT.TIMESTAMPS | TCPI_OPT.SACK | TCPI_OPT.ECN | TCPI_OPT.ECN_SEEN | TCPI_OPT.SYN_DATA;

/** Attributes read in place, as bits of a "seen" mask (a duplicate sends the message to the generic path). */
const A_SHUTDOWN = 1, A_V6ONLY = 2, A_MARK = 4, A_CGROUP = 8, A_PROTOCOL = 16, A_INFO = 32, A_CONG = 64, A_VEGAS = 128, A_MEMINFO = 256, A_SKMEM = 512, A_SOCKOPT = 1024, A_DCTCP = 2048, A_BBR = 4096;

/** Per-run state of the fast printer: caches of service-name bytes. */
export class InetLinePrinter {
  /** Service text bytes by port, per services table (ss's dg_proto). */
  private readonly services = new Map<string, Map<number, Label>>();
  private readonly r: ColumnRenderer;

  /**
   * Whether the options can be printed by this path at all (others: the
   * generic path for every socket).
   */
  static supports(ctx: FormatContext): boolean {
    const o = ctx.o;
    const r = ctx.r;
    return !o.resolve && !o.tos && !o.cgroup && !o.inetSockopt && !o.json &&
      // print() writes these columns without asking (ss never disables them).
      r.enabled(COL.RECVQ) && r.enabled(COL.SENDQ) && r.enabled(COL.ADDR) && r.enabled(COL.SERV) && r.enabled(COL.RADDR) && r.enabled(COL.RSERV);
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

  private service(port: number): Label {
    const ctx = this.ctx;
    let cache = this.services.get(ctx.dgProto);
    if (!cache) { cache = new Map(); this.services.set(ctx.dgProto, cache); }
    let v = cache.get(port);
    if (v === undefined) { v = label(resolveService(ctx, port)); cache.set(port, v); }
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
    // sock_state_print, the queues, addresses and ports: written straight
    // into the token buffer (fields ended by cut(); nothing is written
    // into a disabled Netid or State column).
    r.set(COL.NETID);
    let d = r.buf(LINE_ROOM), dv = this.view(d), p = r.tail();
    if (r.enabled(COL.NETID)) p = putLabel(dv, p, NETID_LABELS[type] ?? L_UNKNOWN_NETID);
    r.cut(p);
    if (r.enabled(COL.STATE)) p = putLabel(dv, p, STATE_LABELS[state] ?? L_UNKNOWN_STATE);
    r.cut(p);
    const w = this.w;
    p = putIntLeft6(d, p, w[(off + O_RQUEUE) >>> 2]!);
    r.cut(p);
    p = putIntLeft6(d, p, w[(off + O_WQUEUE) >>> 2]!);
    r.cut(p);
    const v6only = family === 10 && aV6only >= 0 && buf[aV6only] !== 0;
    const ifindex = w[(off + O_IF) >>> 2]!;
    for (let end = 0; end < 2; end++) {
      // inet_addr_print + sock_addr_print: address (with %interface for the local end) and ':', then the port.
      const a = off + (end === 0 ? O_SRC : O_DST);
      if (family === 2) {
        p = putIPv4(d, p, buf, a);
      } else {
        r.setTail(p);
        this.addr6(buf, a, v6only);
        d = r.buf(LINE_ROOM); dv = this.view(d); p = r.tail();
      }
      if (end === 0 && ifindex) {
        r.setTail(p);
        r.outByte(37); r.out(this.ctx.links.name(ifindex));
        d = r.buf(LINE_ROOM); dv = this.view(d); p = r.tail();
      }
      d[p++] = 58;
      r.cut(p);
      const portAt = off + (end === 0 ? O_SPORT : O_DPORT);
      const port = (buf[portAt]! << 8) | buf[portAt + 1]!;
      if (port === 0) d[p++] = 42;
      else if (this.numeric || (this.ctx.dgProto !== 'raw' && port >= this.ephMin && port <= this.ephMax)) p = putUint(d, p, port);
      else {
        const name = this.service(port);
        if (name[0]! > SERVICE_IN_ROOM) { d = r.buf(name[0]! + 4); dv = this.view(d); }
        p = putLabel(dv, p, name);
      }
      r.cut(p);
    }
    const inode = w[(off + O_INODE) >>> 2]!;
    if (ctx.owners && inode) {
      const users = ownersText(ctx.owners, inode, o.threads > 0);
      if (users) r.out(` users:(${users})`);
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

  /** inet_addr_print of an IPv6 address (as text: `*`, `[v6]` or an IPv4-mapped form). */
  private addr6(buf: Buffer, a: number, v6only: boolean): void {
    const r = this.r;
    const text = formatIPv6(buf, a);
    if (!v6only && text === '::') r.outByte(42);
    else if (text.includes(':')) { r.outByte(91); r.out(text); r.outByte(93); } else r.out(text);
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

  /** A DataView over the renderer's buffer (made again when the renderer replaces it). */
  private view(d: Buffer): DataView<ArrayBufferLike> {
    if (d !== this.viewOf) {
      this.dv = new DataView(d.buffer, d.byteOffset, d.length);
      this.viewOf = d;
    }
    return this.dv;
  }

  private dv: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private viewOf: Buffer | null = null;

  /**
   * tcp_stats_print over a tcp_info of `len` bytes at `a` (fields past `len`
   * read as zero), written straight into the renderer's buffer. The numeric
   * fields are printed by one loop over a table (putFields), so every call
   * and property access in it has type feedback from the first socket on:
   * V8 compiles it once, small, and a field that first shows up after that
   * (segs_out, delivery_rate …) does not throw the compiled code away.
   */
  private tcpInfo(buf: Buffer, a: number, len: number, aCong: number, congLen: number, aVegas: number, state: number): void {
    const r = this.r, o = this.ctx.o, numeric = o.numeric;
    let d = r.room(TI_TEXT_MAX);
    if (d === null) return;
    let dv = this.view(d);
    let p = r.tail();
    // The fields, in place, or a zero-padded copy of a shorter tcp_info (whole fields only).
    let B: Buffer = buf, W = this.w, b8 = a;
    if (len < TI_READ) {
      B = tiScratch; W = tiScratchW; b8 = 0;
      tiScratch.fill(0);
      let n = len < 8 ? len : len & ~3;
      if (n & 4 && TI_U64_LO.has(n - 4)) n -= 4;
      buf.copy(tiScratch, 0, a, a + n);
    }
    const b32 = b8 >>> 2;

    const opt = B[b8 + T_OPTIONS]!;
    if (o.options && opt & TI_OPT_ANY) {
      if (opt & TCPI_OPT.TIMESTAMPS) { p = putLabel(dv, p, L_TS); }
      if (opt & TCPI_OPT.SACK) { p = putLabel(dv, p, L_SACK); }
      if (opt & TCPI_OPT.ECN) { p = putLabel(dv, p, L_ECN); }
      if (opt & TCPI_OPT.ECN_SEEN) { p = putLabel(dv, p, L_ECNSEEN); }
      if (opt & TCPI_OPT.SYN_DATA) { p = putLabel(dv, p, L_FASTOPEN); }
    }
    if (aCong >= 0 && congLen) {
      // ASCII (checked by scan): 15 characters are 15 bytes.
      d[p++] = 32;
      const n = congLen < 15 ? congLen : 15;
      for (let i = 0; i < n; i++) d[p++] = buf[aCong + i]!;
    }
    if (opt & TCPI_OPT.WSCALE) {
      const ws = B[b8 + T_WSCALE]!;
      p = putLabel(dv, p, L_WSCALE);
      p = putUint(d, p, ws & 0xf); d[p++] = 44; p = putUint(d, p, ws >> 4);
    }
    // rto … data_segs_in
    p = putFields(d, dv, p, W, B, b32, 0, F_SEND, state, -1, numeric);
    const aDctcp = this.aDctcp, aBbr = this.aBbr;
    if (aDctcp >= 0) {
      // Rare: as text.
      r.setTail(p);
      if (buf.readUInt16LE(aDctcp)) {
        r.outA(` dctcp:(ce_state:${buf.readUInt16LE(aDctcp + 2)},alpha:${buf.readUInt32LE(aDctcp + 4)},ab_ecn:${buf.readUInt32LE(aDctcp + 8)},ab_tot:${buf.readUInt32LE(aDctcp + 12)})`);
      } else r.outA(' dctcp:fallback_mode');
      d = r.room(TI_TEXT_MAX)!;
      dv = this.view(d);
      p = r.tail();
    }
    if (aBbr >= 0) {
      const w = this.w, i = aBbr >>> 2;
      p = putLabel(dv, p, L_BBR);
      p = putBw(d, p, (w[i + 1]! * 4294967296 + w[i]!) * 8, numeric);
      p = putMsec(d, putLabel(dv, p, L_MRTT), w[i + 2]!);
      // The gains when not zero: written, and taken back when zero (the
      // same code runs either way, so it has type feedback from the first
      // socket; see putFields).
      const pacingGain = w[i + 3]!, cwndGain = w[i + 4]!;
      let q = p;
      q = putG(d, putLabel(dv, q, L_PACING_GAIN), pacingGain / 256);
      p = pacingGain === 0 ? p : q;
      q = p;
      q = putG(d, putLabel(dv, q, L_CWND_GAIN), cwndGain / 256);
      p = cwndGain === 0 ? p : q;
      d[p++] = 41;
    }
    // send: cwnd * mss over the smoothed rtt (vegas' when it has one).
    let srtt = W[b32 + I_RTT]!;
    if (aVegas >= 0) {
      const enabled = this.w[aVegas >>> 2]!, vrtt = this.w[(aVegas >>> 2) + 2]!;
      if (enabled && vrtt && vrtt !== 0x7fffffff) srtt = vrtt;
    }
    const sndMss = W[b32 + I_SND_MSS]!, cwnd = W[b32 + I_SND_CWND]!;
    const send = srtt > 0 && sndMss && cwnd ? cwnd * sndMss * 8000000 / srtt : -1;
    // send … delivered_ce
    p = putFields(d, dv, p, W, B, b32, F_SEND, F_UNACKED, state, send, numeric);
    // A constant picked by a condition (no call in a branch: see putFields).
    const appLimited = B[b8 + T_FLAGS]! & 1 ? L_APP_LIMITED : L_NONE;
    p = putLabel(dv, p, appLimited);
    if (W[b32 + I_BUSY_TIME] || W[b32 + I_BUSY_TIME + 1]) {
      // Rare and exact-integer sensitive: BigInt as the generic printer, as text.
      r.setTail(p);
      const busyTime = B.readBigUInt64LE(b8 + T.busyTime);
      r.outBytes(S_BUSY); r.outA(String(busyTime / 1000n)); r.outBytes(S_MS);
      const busy = Number(busyTime);
      const rwnd = B.readBigUInt64LE(b8 + T.rwndLimited), sndbuf = B.readBigUInt64LE(b8 + T.sndbufLimited);
      if (rwnd) r.outA(` rwnd_limited:${rwnd / 1000n}ms(${sprintf('%.1f', 100 * Number(rwnd) / busy)}%)`);
      if (sndbuf) r.outA(` sndbuf_limited:${sndbuf / 1000n}ms(${sprintf('%.1f', 100 * Number(sndbuf) / busy)}%)`);
      d = r.room(TI_TEXT_MAX)!;
      dv = this.view(d);
      p = r.tail();
    }
    // unacked … snd_wnd
    p = putFields(d, dv, p, W, B, b32, F_UNACKED, F_END, state, -1, numeric);
    r.setTail(p);
  }
}

// The numeric fields of tcp_stats_print, in print order: label, word (or
// byte) of tcp_info, when it is printed (R_*) and how (P_*).
/** Printed when not zero. */
const R_NZ = 0;
/** A u8 field (backoff), when not zero. */
const R_U8 = 1;
/** rto: not zero and not the initial 3 s. */
const R_RTO = 2;
/** rtt/rttvar. */
const R_RTT = 3;
/** snd_ssthresh: not zero and below "infinite" (0xffff). */
const R_SSTHRESH = 4;
/** A u64 counter, when not zero. */
const R_U64 = 5;
/** send: the rate computed by the caller (negative: none). */
const R_SEND = 6;
/** pacing_rate[/max_pacing_rate]: set and not ~0. */
const R_PACING = 7;
/** A u64 rate (delivery_rate), when not zero. */
const R_RATE = 8;
/** retrans:N/total, when either is not zero. */
const R_RETRANS = 9;
/** sacked: not zero and not in LISTEN. */
const R_SACKED = 10;
/** reordering: when not the default 3. */
const R_REORDERING = 11;
/** min_rtt: set and not ~0. */
const R_MINRTT = 12;
const P_UINT = 0, P_INT = 1, P_MSEC = 2, P_BW = 3, P_BIG = 4;

const FIELDS: ReadonlyArray<readonly [string, number, number, number]> = [
  [' rto:', I_RTO, R_RTO, P_MSEC], [' backoff:', T.backoff, R_U8, P_UINT], [' rtt:', I_RTT, R_RTT, P_MSEC],
  [' ato:', I_ATO, R_NZ, P_MSEC], [' mss:', I_SND_MSS, R_NZ, P_INT], [' pmtu:', I_PMTU, R_NZ, P_UINT],
  [' rcvmss:', I_RCV_MSS, R_NZ, P_INT], [' advmss:', I_ADVMSS, R_NZ, P_INT], [' cwnd:', I_SND_CWND, R_NZ, P_UINT],
  [' ssthresh:', I_SND_SSTHRESH, R_SSTHRESH, P_INT],
  [' bytes_sent:', I_BYTES_SENT, R_U64, P_UINT], [' bytes_retrans:', I_BYTES_RETRANS, R_U64, P_UINT],
  [' bytes_acked:', I_BYTES_ACKED, R_U64, P_UINT], [' bytes_received:', I_BYTES_RECEIVED, R_U64, P_UINT],
  [' segs_out:', I_SEGS_OUT, R_NZ, P_UINT], [' segs_in:', I_SEGS_IN, R_NZ, P_UINT],
  [' data_segs_out:', I_DATA_SEGS_OUT, R_NZ, P_UINT], [' data_segs_in:', I_DATA_SEGS_IN, R_NZ, P_UINT],
  // (dctcp, bbr)
  [' send ', 0, R_SEND, P_BW],
  [' lastsnd:', I_LAST_DATA_SENT, R_NZ, P_UINT], [' lastrcv:', I_LAST_DATA_RECV, R_NZ, P_UINT], [' lastack:', I_LAST_ACK_RECV, R_NZ, P_UINT],
  [' pacing_rate ', I_PACING_RATE, R_PACING, P_BW], [' delivery_rate ', I_DELIVERY_RATE, R_RATE, P_BW],
  [' delivered:', I_DELIVERED, R_NZ, P_UINT], [' delivered_ce:', I_DELIVERED_CE, R_NZ, P_UINT],
  // (app_limited, busy)
  [' unacked:', I_UNACKED, R_NZ, P_UINT], [' retrans:', I_RETRANS, R_RETRANS, P_UINT], [' lost:', I_LOST, R_NZ, P_UINT],
  [' sacked:', I_SACKED, R_SACKED, P_UINT], [' dsack_dups:', I_DSACK_DUPS, R_NZ, P_UINT], [' fackets:', I_FACKETS, R_NZ, P_UINT],
  [' reordering:', I_REORDERING, R_REORDERING, P_INT], [' reord_seen:', I_REORD_SEEN, R_NZ, P_INT],
  [' rcv_rtt:', I_RCV_RTT, R_NZ, P_MSEC], [' rcv_space:', I_RCV_SPACE, R_NZ, P_INT], [' rcv_ssthresh:', I_RCV_SSTHRESH, R_NZ, P_UINT],
  [' notsent:', I_NOTSENT, R_NZ, P_UINT], [' minrtt:', I_MIN_RTT, R_MINRTT, P_MSEC], [' rcv_ooopack:', I_OOOPACK, R_NZ, P_UINT],
  [' snd_wnd:', I_SND_WND, R_NZ, P_UINT],
];
const F_SEND = FIELDS.findIndex((f) => f[0] === ' send ');
const F_UNACKED = FIELDS.findIndex((f) => f[0] === ' unacked:');
const F_END = FIELDS.length;
const F_LABEL: readonly Label[] = FIELDS.map((f) => label(f[0]));
const F_WORD = Int32Array.from(FIELDS, (f) => f[1]);
const F_RULE = Uint8Array.from(FIELDS, (f) => f[2]);
const F_PRINT = Uint8Array.from(FIELDS, (f) => f[3]);

/**
 * Fields [from, to) of the table: the tcp_info words are W[b32 + …] (B the
 * same memory as bytes); `send` is the send rate (R_SEND). A loop without
 * a call or property access in a rarely taken branch: what a field needs is
 * decided first (R_*), and written by code every field shares (P_*).
 */
function putFields(d: Buffer, dv: DataView<ArrayBufferLike>, p: number, W: Uint32Array<ArrayBufferLike>, B: Buffer, b32: number,
  from: number, to: number, state: number, send: number, numeric: boolean): number {
  for (let k = from; k < to; k++) {
    const wi = b32 + F_WORD[k]!;
    // Every operation of a rule runs whenever the rule does (its conditions
    // only pick between values), so none of them lacks type feedback when a
    // field first shows up after V8 compiled this loop.
    let how = F_PRINT[k]!, v = W[wi]!, v2 = 0, skip = 0, pair = 0;
    switch (F_RULE[k]) {
      case R_NZ: skip = v === 0 ? 1 : 0; break;
      case R_U8: v = B[b32 * 4 + F_WORD[k]!]!; skip = v === 0 ? 1 : 0; break;
      case R_RTO: skip = (v === 0 ? 1 : 0) | (v === 3000000 ? 1 : 0); break;
      case R_RTT: v2 = W[b32 + I_RTTVAR]!; skip = v === 0 ? 1 : 0; pair = 1; break;
      case R_SSTHRESH: skip = (v === 0 ? 1 : 0) | (v >= 0xffff ? 1 : 0); break;
      case R_U64: {
        const hi = W[wi + 1]!, big = hi * 4294967296 + v;
        skip = (v === 0 ? 1 : 0) & (hi === 0 ? 1 : 0);
        // Exact as a number below 2^53 (and a small integer stays one).
        how = hi >= 0x200000 ? P_BIG : how;
        v = hi === 0 ? v : big;
        break;
      }
      case R_SEND: skip = send < 0 ? 1 : 0; v = send; break;
      case R_PACING: {
        const hi = W[wi + 1]!, mlo = W[b32 + I_MAX_PACING_RATE]!, mhi = W[b32 + I_MAX_PACING_RATE + 1]!;
        skip = ((v === 0 ? 1 : 0) & (hi === 0 ? 1 : 0)) | ((v === 0xffffffff ? 1 : 0) & (hi === 0xffffffff ? 1 : 0));
        pair = 1 ^ (((mlo === 0 ? 1 : 0) & (mhi === 0 ? 1 : 0)) | ((mlo === 0xffffffff ? 1 : 0) & (mhi === 0xffffffff ? 1 : 0)));
        v = (hi * 4294967296 + v) * 8;
        v2 = (mhi * 4294967296 + mlo) * 8;
        break;
      }
      case R_RATE: {
        const hi = W[wi + 1]!;
        skip = (v === 0 ? 1 : 0) & (hi === 0 ? 1 : 0);
        v = (hi * 4294967296 + v) * 8;
        break;
      }
      case R_RETRANS: v2 = W[b32 + I_TOTAL_RETRANS]!; skip = (v === 0 ? 1 : 0) & (v2 === 0 ? 1 : 0); pair = 1; break;
      case R_SACKED: skip = (v === 0 ? 1 : 0) | (state === 10 ? 1 : 0); break;
      case R_REORDERING: skip = v === 3 ? 1 : 0; break;
      default: skip = (v === 0 ? 1 : 0) | (v === 0xffffffff ? 1 : 0); break; // R_MINRTT
    }
    if (skip) continue;
    p = putLabel(dv, p, F_LABEL[k]!);
    // The value, then for a pair "/" and the second.
    for (;;) {
      if (how === P_UINT) p = putUint(d, p, v);
      else if (how === P_INT) p = putInt(d, p, v);
      else if (how === P_MSEC) p = putMsec(d, p, v);
      else if (how === P_BW) { p = putBw(d, p, v, numeric); p = putLabel(dv, p, L_BPS); }
      else p = putAscii(d, p, B.readBigUInt64LE(wi * 4).toString()); // P_BIG: W and B start at the same byte
      if (pair === 0) break;
      d[p++] = 47;
      v = v2;
      pair = 0;
    }
  }
  return p;
}
