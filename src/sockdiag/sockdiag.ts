/**
 * `SockDiag`: typed, streaming socket queries over NETLINK_SOCK_DIAG in one
 * network namespace, socket destruction (SOCK_DESTROY) and destruction events.
 *
 * ```ts
 * import { SockDiag } from 'rip/sockdiag';
 * await using sd = await SockDiag.open({ netns: 'blue' });
 * const listening = await sd.tcp({ states: ['listening'] }).toArray();
 * for await (const s of sd.tcp({ filter: 'dport = :ssh', info: true })) console.log(s.peerAddress, s.tcpInfo?.rtt);
 * ```
 * @module
 */
import { NetlinkSocket, type NetnsRef, type DumpStream, type MessageView, type DumpOptions } from '../netlink/socket.js';
import { NETLINK, NLM_F, NLMSG } from '../netlink/constants.js';
import { NetlinkError } from '../netlink/errors.js';
import type { Writer } from '../netlink/codec/writer.js';
import {
  SOCK_DIAG, INETDIAG_MSG, INET_DIAG, INET_DIAG_REQ, IPPROTO, UDIAG_SHOW, PACKET_SHOW, NDIAG_SHOW,
  NDIAG_PROTO_ALL, SKNLGRP, SS_ALL, XDP_SHOW,
} from './constants.js';
import { inetDiagReqV2, inetDiagReq, unixDiagReq, packetDiagReq, netlinkDiagReq, vsockDiagReq, xdpDiagReq } from './schema.js';
import { decodeInet, decodeUnix, decodePacket, decodeNetlink, decodeVsock, decodeXdp } from './decode.js';
import { compileBytecode } from './bytecode.js';
import { evaluate, AF_INET, AF_INET6, AF_UNIX, AF_PACKET, AF_NETLINK, AF_VSOCK, type FilterExpr, type FilterSubject, type EvalContext } from './filter.js';
import { parseFilter, stateMask } from './filter-parser.js';
import { ephemeralRange } from './names.js';
import { procNetInet, ephemeralRangeOf } from './proc-net.js';
import { decodeTipc, buildTipcRequest, AF_TIPC, type TipcSocket } from './tipc.js';
import type { InetSocket, UnixSocket, PacketSocket, NetlinkSockInfo, VsockSocket, XdpSocket, Socket } from './types.js';

/** The kernel does not support a socket table (module not loaded / too old). */
export class UnsupportedSocketTableError extends Error {
  override readonly name = 'UnsupportedSocketTableError';
  readonly code = 'EUNSUPPORTED_TABLE';
  constructor(readonly table: string, override readonly cause: unknown) {
    super(`${table} sockets are not supported by this kernel${cause instanceof Error ? ` (${cause.message})` : ''}`);
  }
}

/** A state selection: a mask (bit per state) or names/groups as ss accepts them. */
export type StateSelection = number | readonly string[];

/** Resolve a {@link StateSelection} to a mask. */
export function statesToMask(s: StateSelection | undefined, dflt: number): number {
  if (s === undefined) return dflt;
  if (typeof s === 'number') return s;
  let m = 0;
  for (const n of s) {
    const v = stateMask(n);
    if (v === null) throw new TypeError(`unknown socket state "${n}"`);
    m |= v;
  }
  return m;
}

/** Options common to every query. */
export interface QueryOptions extends DumpOptions {
  /** States to return (default: ss's default for the table, e.g. connected for TCP). */
  readonly states?: StateSelection;
  /** A filter expression (AST or ss syntax). Compiled to bytecode for inet tables; evaluated in user space too. */
  readonly filter?: FilterExpr | string | null;
  /** Only sockets owned by this uid (sock_diag has no uid condition: filtered in user space). */
  readonly uid?: number;
}

/** Options of inet queries. */
export interface InetQueryOptions extends QueryOptions {
  /** 'inet', 'inet6' or both (default). */
  readonly family?: 'inet' | 'inet6' | 'all';
  /** Ask for tcp_info, congestion name and cc info (INET_DIAG_INFO, VEGASINFO, CONG). */
  readonly info?: boolean;
  /** Ask for memory (INET_DIAG_MEMINFO and SKMEMINFO). */
  readonly memory?: boolean;
  /** Ask for TOS/TCLASS/class id. */
  readonly tos?: boolean;
  /** Raw sockets: the raw protocol to match (0 = all). */
  readonly rawProtocol?: number;
  /** Bytecode strategy (see compileBytecode): 'ss' reproduces iproute2's requests byte for byte. */
  readonly bytecodeMode?: 'ss' | 'best';
  /** Use the legacy TCPDIAG_GETSOCK request (AF_UNSPEC), as ss does when SOCK_DIAG_BY_FAMILY fails. */
  readonly legacy?: boolean;
  /** Read /proc/net/{tcp,udp,raw} when sock_diag lacks the table, as ss does (default true). */
  readonly procFallback?: boolean;
  /** Evaluate the filter in user space too (default true; false leaves filtering to the kernel's bytecode). */
  readonly userspaceFilter?: boolean;
  /** Called with every raw reply message (for `ss -D`). */
  readonly onRaw?: (m: MessageView) => void;
  /**
   * Called with each socket's reply before it is decoded; returning true
   * means the caller handled (or dropped) it: no socket object is made and
   * the query's own filters (`family`, `uid`, `filter` in user space) are not
   * applied to it, so the callback must apply them. For printing very large
   * dumps without an object per socket.
   */
  readonly consume?: (m: MessageView) => boolean;
}

/** Options of Unix queries. */
export interface UnixQueryOptions extends QueryOptions {
  /** Socket types: 1 stream, 2 dgram, 5 seqpacket (default all). */
  readonly types?: readonly number[];
  /** Ask for VFS inode and pending connections. */
  readonly details?: boolean;
  readonly memory?: boolean;
}

/** Options of packet queries. */
export interface PacketQueryOptions extends QueryOptions {
  /** 3 raw, 2 dgram (default both). */
  readonly types?: readonly number[];
}

/** Protocol names accepted by {@link SockDiag.inet}. */
export type InetProtocol = 'tcp' | 'udp' | 'udplite' | 'raw' | 'dccp' | 'sctp' | 'mptcp';

const PROTO_NUMBERS: Record<InetProtocol, number> = {
  tcp: IPPROTO.TCP, udp: IPPROTO.UDP, udplite: IPPROTO.UDPLITE, raw: IPPROTO.RAW, dccp: IPPROTO.DCCP,
  sctp: IPPROTO.SCTP, mptcp: IPPROTO.MPTCP,
};

/** ss's default state sets per table. */
const SS_CONN = SS_ALL & ~((1 << 10) | (1 << 7) | (1 << 6) | (1 << 3));
const DEFAULT_STATES: Record<number, number> = {
  [IPPROTO.TCP]: SS_CONN, [IPPROTO.DCCP]: SS_CONN, [IPPROTO.SCTP]: SS_CONN, [IPPROTO.MPTCP]: SS_CONN,
  [IPPROTO.UDP]: 1 << 1, [IPPROTO.UDPLITE]: 1 << 1, [IPPROTO.RAW]: 1 << 1,
};

/** The view of a socket that filters evaluate. */
export function filterSubject(s: Socket): FilterSubject {
  switch (s.kind) {
    case 'inet':
      return {
        family: s.family, lport: s.localPort, rport: s.peerPort, local: s.localBytes, remote: s.peerBytes,
        iface: s.ifindex, mark: s.mark ?? 0, cgroupId: s.cgroupId ?? 0n,
      };
    case 'unix':
      return {
        family: AF_UNIX, lport: s.inode, rport: s.peerInode, local: null, remote: null,
        localName: s.path ?? null, remoteName: null, iface: 0, mark: 0, cgroupId: 0n,
      };
    case 'packet': {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, s.protocol, true);
      return { family: AF_PACKET, lport: s.ifindex, rport: 0, local: b, remote: new Uint8Array(4), iface: s.ifindex, mark: 0, cgroupId: 0n };
    }
    case 'netlink': {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, s.protocol, true);
      return { family: AF_NETLINK, lport: s.portid, rport: -1, local: b, remote: new Uint8Array(4), iface: 0, mark: 0, cgroupId: 0n };
    }
    case 'xdp':
      return { family: 44, lport: s.queueId, rport: 0, local: new Uint8Array(4), remote: new Uint8Array(4), iface: s.ifindex, mark: 0, cgroupId: 0n };
    case 'vsock': {
      const l = new Uint8Array(4);
      new DataView(l.buffer).setUint32(0, s.localCid, true);
      const r = new Uint8Array(4);
      new DataView(r.buffer).setUint32(0, s.peerCid, true);
      return { family: AF_VSOCK, lport: s.localPort | 0, rport: s.peerPort | 0, local: l, remote: r, iface: 0, mark: 0, cgroupId: 0n };
    }
    case 'tipc': {
      // Node addresses as 4 bytes, the socket reference as the "port" (ss itself never filters TIPC sockets).
      const l = new Uint8Array(4);
      new DataView(l.buffer).setUint32(0, s.node, true);
      const r = new Uint8Array(4);
      new DataView(r.buffer).setUint32(0, s.peer?.node ?? 0, true);
      return { family: AF_TIPC, lport: s.ref | 0, rport: (s.peer?.ref ?? 0) | 0, local: l, remote: r, iface: 0, mark: 0, cgroupId: 0n };
    }
  }
}

/**
 * A query in progress: an async iterable of sockets, possibly spanning
 * several dumps (e.g. IPv4 then IPv6), with a user-space filter applied.
 */
export class SocketStream<T> implements AsyncIterable<T> {
  /** Tables the kernel did not support (left empty). */
  readonly unsupported: string[] = [];
  /** Throw {@link UnsupportedSocketTableError} instead of returning nothing for an unsupported table. */
  strict = false;
  /** Set when the sockets came from /proc/net because sock_diag lacks the table. */
  fromProc = false;
  constructor(
    private readonly parts: ReadonlyArray<() => DumpStream<T>>,
    private readonly keep: ((x: T) => boolean) | null,
    private readonly tolerateUnsupported: string | null = null,
    /** Per part: where to read the sockets from when sock_diag does not support the table. */
    private readonly fallback: ReadonlyArray<(() => Promise<T[]>) | undefined> = [],
  ) {}

  /** Stream in batches (cheapest for very large dumps). */
  async *batches(): AsyncGenerator<T[], void, undefined> {
    for (const [i, make] of this.parts.entries()) {
      try {
        for await (const b of make().batches()) {
          yield this.keep ? b.filter(this.keep) : b;
        }
      } catch (e) {
        if (this.tolerateUnsupported !== null && e instanceof NetlinkError && (e.code === 'ENOENT' || e.code === 'EOPNOTSUPP' || e.code === 'EPROTONOSUPPORT')) {
          const fb = this.fallback[i];
          if (fb) {
            this.fromProc = true;
            const all = await fb();
            yield this.keep ? all.filter(this.keep) : all;
            continue;
          }
          if (this.strict) throw new UnsupportedSocketTableError(this.tolerateUnsupported, e);
          this.unsupported.push(this.tolerateUnsupported);
          continue;
        }
        throw e;
      }
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const b of this.batches()) yield* b;
  }

  /** Collect everything. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const b of this.batches()) for (const x of b) out.push(x);
    return out;
  }
}

/** A socket-destruction event (`ss -E`). */
export type SockDiagEvent =
  | { readonly kind: 'destroy'; readonly socket: Socket }
  | { readonly kind: 'overflow' };

/** Options for {@link SockDiag.open}. */
export interface SockDiagOpenOptions {
  readonly netns?: NetnsRef;
  readonly rcvbuf?: number;
  /**
   * The namespace's ephemeral port range (what `autobound` is checked
   * against), when the caller already knows it; otherwise it is read from
   * the namespace (which, for another namespace, takes a helper process).
   */
  readonly ephemeral?: { readonly min: number; readonly max: number };
}

/**
 * A sock_diag handle on one network namespace.
 */
export class SockDiag implements AsyncDisposable {
  /** The NETLINK_SOCK_DIAG socket (dumps run on it one at a time). */
  readonly socket: NetlinkSocket;
  private killer: NetlinkSocket | undefined;
  private readonly evalCtx: EvalContext;

  private constructor(socket: NetlinkSocket, private readonly opts: SockDiagOpenOptions, ephemeral: { min: number; max: number }) {
    this.socket = socket;
    this.evalCtx = { ephemeral };
  }

  /** Open a handle (in `netns` if given). */
  static async open(opts: SockDiagOpenOptions = {}): Promise<SockDiag> {
    const so: { netns?: NetnsRef; rcvbuf?: number } = {};
    if (opts.netns !== undefined) so.netns = opts.netns;
    so.rcvbuf = opts.rcvbuf ?? 8 * 1024 * 1024;
    const sock = NetlinkSocket.open(NETLINK.SOCK_DIAG, so);
    // `autobound` is decided against the namespace's own ephemeral port range.
    const eph = opts.ephemeral ?? (opts.netns === undefined ? ephemeralRange() : await ephemeralRangeOf(opts.netns));
    return new SockDiag(sock, opts, eph);
  }

  private filterOf(f: FilterExpr | string | null | undefined, tcp: boolean, udp: boolean): FilterExpr | null {
    if (f === undefined || f === null) return null;
    if (typeof f === 'string') return parseFilter([f], { tcp, udp }).expr;
    return f;
  }

  /** Query an inet table (`protocol` name or IPPROTO number). */
  inet(protocol: InetProtocol | number, q: InetQueryOptions = {}): SocketStream<InetSocket> {
    const proto = typeof protocol === 'number' ? protocol : PROTO_NUMBERS[protocol];
    const { states, expr, bc, ext } = this.inetRequest(proto, q);
    const families = q.legacy ? [0] : q.family === 'inet' ? [AF_INET] : q.family === 'inet6' ? [AF_INET6] : [AF_INET, AF_INET6];
    const dumpOpts: DumpOptions = { interrupted: q.interrupted ?? 'partial', ...(q.signal ? { signal: q.signal } : {}), ...(q.timeout !== undefined ? { timeout: q.timeout } : {}) };
    const onRaw = q.onRaw;
    const consume = q.consume;
    const parts = families.map((family) => () => this.socket.dump<InetSocket>(
      (w, seq) => buildInetRequest(w, seq, family, proto, states, ext, bc, q.rawProtocol ?? 0),
      (m) => {
        if (m.type === NLMSG.DONE || m.type === NLMSG.ERROR) return undefined;
        onRaw?.(m);
        if (consume?.(m)) return undefined;
        return decodeInet(m.buf, m.off, m.len, proto);
      },
      `dump ${protoLabel(proto)} sockets`, dumpOpts));
    const wantFamily = q.family === 'inet' ? AF_INET : q.family === 'inet6' ? AF_INET6 : 0;
    const ctx = this.evalCtx;
    const userExpr = q.userspaceFilter === false ? null : expr;
    const uid = q.uid;
    const keep = userExpr || wantFamily || uid !== undefined
      ? (s: InetSocket) => (!wantFamily || s.family === wantFamily) && (uid === undefined || s.uid === uid) && (!userExpr || evaluate(userExpr, filterSubject(s), ctx))
      : null;
    const table = proto === IPPROTO.TCP ? 'tcp' : proto === IPPROTO.UDP ? 'udp' : proto === IPPROTO.RAW ? 'raw' : null;
    const fallback = families.map((family) => (table && q.procFallback !== false && family !== 0
      ? async () => (await procNetInet(this.opts.netns, table, [family], proto)).filter((s) => (states & (1 << s.state)) !== 0)
      : undefined));
    return new SocketStream(parts, keep, protoLabel(proto), fallback);
  }

  /**
   * One family of an inet table, dumped synchronously
   * ({@link NetlinkSocket.dumpSync}: a native thread receives the replies
   * while this thread handles them): `onMessage` gets every socket's reply
   * message, valid during the call only, without any of the query's
   * filters applied (family, uid, filter in user space: the kernel applied
   * states and the filter's bytecode). For printing very large dumps.
   * Returns false, having sent nothing, when the socket cannot run it (use
   * {@link inet}); throws the kernel's error (e.g. ENOENT for a table this
   * kernel lacks: no /proc fallback here).
   */
  inetSync(protocol: InetProtocol | number, q: InetQueryOptions & { readonly family: 'inet' | 'inet6' }, onMessage: (m: MessageView) => void): boolean {
    const proto = typeof protocol === 'number' ? protocol : PROTO_NUMBERS[protocol];
    const r = this.inetRequest(proto, q);
    const family = q.family === 'inet' ? AF_INET : AF_INET6;
    return this.socket.dumpSync(
      (w, seq) => buildInetRequest(w, seq, family, proto, r.states, r.ext, r.bc, q.rawProtocol ?? 0),
      `dump ${protoLabel(proto)} sockets`, onMessage);
  }

  /** What an inet query asks the kernel for: states, extensions, filter bytecode. */
  private inetRequest(proto: number, q: InetQueryOptions): { states: number; ext: number; expr: FilterExpr | null; bc: Buffer | null } {
    const states = statesToMask(q.states, DEFAULT_STATES[proto] ?? SS_CONN);
    const expr = this.filterOf(q.filter, proto === IPPROTO.TCP, proto === IPPROTO.UDP);
    const bc = expr ? compileBytecode(expr, { mode: q.bytecodeMode ?? 'best' }) : null;
    let ext = 0;
    if (q.memory) ext |= (1 << (INET_DIAG.MEMINFO - 1)) | (1 << (INET_DIAG.SKMEMINFO - 1));
    if (q.info) ext |= (1 << (INET_DIAG.INFO - 1)) | (1 << (INET_DIAG.VEGASINFO - 1)) | (1 << (INET_DIAG.CONG - 1));
    if (q.tos) ext |= (1 << (INET_DIAG.TOS - 1)) | (1 << (INET_DIAG.TCLASS - 1));
    return { states, ext, expr, bc };
  }

  /** TCP sockets. */
  tcp(q: InetQueryOptions = {}): SocketStream<InetSocket> { return this.inet('tcp', q); }
  /** UDP sockets. */
  udp(q: InetQueryOptions = {}): SocketStream<InetSocket> { return this.inet('udp', q); }
  /** UDP-Lite sockets. */
  udplite(q: InetQueryOptions = {}): SocketStream<InetSocket> { return this.inet('udplite', q); }
  /** Raw IPv4/IPv6 sockets. */
  raw(q: InetQueryOptions = {}): SocketStream<InetSocket> { return this.inet('raw', q); }
  /** MPTCP sockets (empty, with `unsupported` set, on kernels without MPTCP diag). */
  mptcp(q: InetQueryOptions = {}): SocketStream<InetSocket> { return this.inet('mptcp', q); }
  /** SCTP sockets (empty, with `unsupported` set, without sctp_diag). */
  sctp(q: InetQueryOptions = {}): SocketStream<InetSocket> { return this.inet('sctp', q); }
  /** DCCP sockets. */
  dccp(q: InetQueryOptions = {}): SocketStream<InetSocket> { return this.inet('dccp', q); }

  /** Unix domain sockets. */
  unix(q: UnixQueryOptions = {}): SocketStream<UnixSocket> {
    const states = statesToMask(q.states, SS_CONN);
    const expr = this.filterOf(q.filter, false, false);
    let show = UDIAG_SHOW.NAME | UDIAG_SHOW.PEER | UDIAG_SHOW.RQLEN;
    if (q.memory) show |= UDIAG_SHOW.MEMINFO;
    if (q.details) show |= UDIAG_SHOW.VFS | UDIAG_SHOW.ICONS;
    const types = q.types ? new Set(q.types) : null;
    const ctx = this.evalCtx;
    const part = () => this.socket.dump<UnixSocket>((w, seq) => buildUnixRequest(w, seq, states, show), (m) => (m.type === SOCK_DIAG.SOCK_DIAG_BY_FAMILY ? decodeUnix(m.buf, m.off, m.len) : undefined), 'dump unix sockets', { interrupted: 'partial' });
    if (q.uid !== undefined) show |= UDIAG_SHOW.UID;
    const uid = q.uid;
    const keep = types || expr || uid !== undefined
      ? (s: UnixSocket) => (!types || types.has(s.type)) && (uid === undefined || s.uid === uid) && (!expr || evaluate(expr, filterSubject(s), ctx))
      : null;
    return new SocketStream([part], keep);
  }

  /** Packet sockets. */
  packet(q: PacketQueryOptions = {}): SocketStream<PacketSocket> {
    const expr = this.filterOf(q.filter, false, false);
    const types = q.types ? new Set(q.types) : null;
    const ctx = this.evalCtx;
    const show = PACKET_SHOW.INFO | PACKET_SHOW.MEMINFO | PACKET_SHOW.FILTER | PACKET_SHOW.RING_CFG | PACKET_SHOW.FANOUT;
    const part = () => this.socket.dump<PacketSocket>((w, seq) => buildPacketRequest(w, seq, show), (m) => (m.type === SOCK_DIAG.SOCK_DIAG_BY_FAMILY ? decodePacket(m.buf, m.off, m.len) : undefined), 'dump packet sockets', { interrupted: 'partial' });
    const uid = q.uid;
    const keep = types || expr || uid !== undefined
      ? (s: PacketSocket) => (!types || types.has(s.type)) && (uid === undefined || s.uid === uid) && (!expr || evaluate(expr, filterSubject(s), ctx))
      : null;
    return new SocketStream([part], keep, 'packet');
  }

  /** Netlink sockets (of every protocol, or one). */
  netlink(q: QueryOptions & { readonly protocol?: number; readonly flags?: boolean } = {}): SocketStream<NetlinkSockInfo> {
    const expr = this.filterOf(q.filter, false, false);
    const ctx = this.evalCtx;
    const show = NDIAG_SHOW.GROUPS | NDIAG_SHOW.MEMINFO | (q.flags ? NDIAG_SHOW.FLAGS : 0);
    const part = () => this.socket.dump<NetlinkSockInfo>((w, seq) => buildNetlinkRequest(w, seq, q.protocol ?? NDIAG_PROTO_ALL, show), (m) => (m.type === SOCK_DIAG.SOCK_DIAG_BY_FAMILY ? decodeNetlink(m.buf, m.off, m.len) : undefined), 'dump netlink sockets', { interrupted: 'partial' });
    const keep = expr ? (s: NetlinkSockInfo) => evaluate(expr, filterSubject(s), ctx) : null;
    return new SocketStream([part], keep, 'netlink');
  }

  /** AF_XDP sockets (empty, with `unsupported` set, without xsk_diag). */
  xdp(q: QueryOptions = {}): SocketStream<XdpSocket> {
    const expr = this.filterOf(q.filter, false, false);
    const ctx = this.evalCtx;
    const show = XDP_SHOW.INFO | XDP_SHOW.RING_CFG | XDP_SHOW.UMEM | XDP_SHOW.MEMINFO | XDP_SHOW.STATS;
    const part = () => this.socket.dump<XdpSocket>((w, seq) => buildXdpRequest(w, seq, show),
      (m) => (m.type === SOCK_DIAG.SOCK_DIAG_BY_FAMILY ? decodeXdp(m.buf, m.off, m.len) : undefined), 'dump xdp sockets', { interrupted: 'partial' });
    const uid = q.uid;
    const keep = expr || uid !== undefined ? (s: XdpSocket) => (uid === undefined || s.uid === uid) && (!expr || evaluate(expr, filterSubject(s), ctx)) : null;
    return new SocketStream([part], keep, 'xdp');
  }

  /** vsock sockets (empty, with `unsupported` set, without vsock_diag). */
  vsock(q: QueryOptions & { readonly types?: readonly number[] } = {}): SocketStream<VsockSocket> {
    const states = statesToMask(q.states, SS_CONN);
    const expr = this.filterOf(q.filter, false, false);
    const types = q.types ? new Set(q.types) : null;
    const ctx = this.evalCtx;
    const part = () => this.socket.dump<VsockSocket>((w, seq) => buildVsockRequest(w, seq, states),
      (m) => (m.type === SOCK_DIAG.SOCK_DIAG_BY_FAMILY ? decodeVsock(m.buf, m.off, m.len) : undefined), 'dump vsock sockets', { interrupted: 'partial' });
    const keep = types || expr
      ? (s: VsockSocket) => (!types || types.has(s.type)) && (!expr || evaluate(expr, filterSubject(s), ctx))
      : null;
    return new SocketStream([part], keep, 'vsock');
  }

  /**
   * TIPC sockets (empty, with `unsupported` set, without the tipc and
   * tipc_diag modules). The kernel filters by `states` (default: ss's
   * established, listening and unconnected); `filter` is evaluated in user
   * space against {@link filterSubject} (node addresses, references).
   */
  tipc(q: QueryOptions & { readonly types?: readonly number[] } = {}): SocketStream<TipcSocket> {
    const states = statesToMask(q.states, (1 << 1) | (1 << 10) | (1 << 7));
    const expr = this.filterOf(q.filter, false, false);
    const types = q.types ? new Set(q.types) : null;
    const ctx = this.evalCtx;
    const part = () => this.socket.dump<TipcSocket>((w, seq) => buildTipcRequest(w, seq, states),
      (m) => (m.type === SOCK_DIAG.SOCK_DIAG_BY_FAMILY ? decodeTipc(m.buf, m.off, m.len) ?? undefined : undefined), 'dump tipc sockets', { interrupted: 'partial' });
    const uid = q.uid;
    const keep = types || expr || uid !== undefined
      ? (s: TipcSocket) => (!types || types.has(s.type)) && (uid === undefined || s.uid === uid) && (!expr || evaluate(expr, filterSubject(s), ctx))
      : null;
    return new SocketStream([part], keep, 'tipc');
  }

  /**
   * Close an inet socket (SOCK_DESTROY; needs CONFIG_INET_DIAG_DESTROY and
   * CAP_NET_ADMIN). Resolves true if the kernel closed it, false if it
   * cannot be closed or is already gone (EOPNOTSUPP/ENOENT), as ss -K treats them.
   */
  async destroy(s: InetSocket): Promise<boolean> {
    this.killer ??= NetlinkSocket.open(NETLINK.SOCK_DIAG, this.opts.netns !== undefined ? { netns: this.opts.netns } : {});
    const src = Buffer.alloc(16); s.localBytes.copy(src);
    const dst = Buffer.alloc(16); s.peerBytes.copy(dst);
    try {
      await this.killer.request((w, seq) => {
        const start = w.beginMessage(SOCK_DIAG.SOCK_DESTROY, NLM_F.REQUEST | NLM_F.ACK, seq);
        inetDiagReqV2.encode(w, {
          family: s.family, protocol: s.protocol, ext: 0, rawProtocol: s.protocol === IPPROTO.RAW ? (s.rawProtocol ?? 0) : 0,
          states: 0, sport: s.localPort, dport: s.peerPort, src, dst, if: s.ifindex, cookie: s.cookie,
        }, {});
        w.endMessage(start);
      }, `destroy ${s.netid} socket ${s.localAddress}:${s.localPort}`);
      return true;
    } catch (e) {
      if (e instanceof NetlinkError && (e.code === 'EOPNOTSUPP' || e.code === 'ENOENT')) return false;
      throw e;
    }
  }

  /**
   * Stream socket-destruction events (the SKNLGRP_* groups), as `ss -E`.
   * Ends when `signal` aborts.
   */
  async *events(opts: { tcp?: boolean; udp?: boolean; family?: 'inet' | 'inet6' | 'all'; signal?: AbortSignal } = {}): AsyncGenerator<SockDiagEvent, void, undefined> {
    const tcp = opts.tcp ?? true;
    const udp = opts.udp ?? true;
    const v4 = opts.family !== 'inet6';
    const v6 = opts.family !== 'inet';
    const groups: number[] = [];
    if (v4 && tcp) groups.push(SKNLGRP.INET_TCP_DESTROY);
    if (v4 && udp) groups.push(SKNLGRP.INET_UDP_DESTROY);
    if (v6 && tcp) groups.push(SKNLGRP.INET6_TCP_DESTROY);
    if (v6 && udp) groups.push(SKNLGRP.INET6_UDP_DESTROY);
    const so: { netns?: NetnsRef; groups: number[] } = { groups };
    if (this.opts.netns !== undefined) so.netns = this.opts.netns;
    const sock = NetlinkSocket.open(NETLINK.SOCK_DIAG, so);
    const queue: SockDiagEvent[] = [];
    let wake: (() => void) | null = null;
    const unsub = sock.subscribe((ev) => {
      if (ev.kind === 'overflow') queue.push({ kind: 'overflow' });
      else {
        const m = ev.message;
        if (m.type !== SOCK_DIAG.SOCK_DIAG_BY_FAMILY || m.len < 1) return;
        const fam = m.buf[m.off]!;
        if (fam === AF_INET || fam === AF_INET6) {
          const probe = decodeInet(m.buf, m.off, m.len, 0);
          // The reply says which protocol through INET_DIAG_PROTOCOL.
          const proto = probe.rawProtocol ?? protocolAttr(m);
          queue.push({ kind: 'destroy', socket: decodeInet(m.buf, m.off, m.len, proto) });
        }
      }
      const w = wake; wake = null; w?.();
    });
    const onAbort = (): void => { const w = wake; wake = null; w?.(); };
    opts.signal?.addEventListener('abort', onAbort);
    try {
      while (!opts.signal?.aborted) {
        while (queue.length) yield queue.shift()!;
        if (opts.signal?.aborted) break;
        await new Promise<void>((r) => { wake = r; });
      }
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      unsub();
      sock.close();
    }
  }

  /** The ephemeral port range of the namespace (what `autobound` is checked against). */
  get ephemeralRange(): { min: number; max: number } { return this.evalCtx.ephemeral; }

  /** Close the handle. */
  close(): void {
    this.socket.close();
    this.killer?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> { this.close(); }
}

function protocolAttr(m: MessageView): number {
  let p = m.off + 72;
  const end = m.off + m.len;
  while (end - p >= 4) {
    const alen = m.buf.readUInt16LE(p);
    if (alen < 4) break;
    if ((m.buf.readUInt16LE(p + 2) & 0x3fff) === INET_DIAG.PROTOCOL && alen >= 5) return m.buf[p + 4]!;
    p += (alen + 3) & ~3;
  }
  return 0;
}

function protoLabel(p: number): string {
  for (const [k, v] of Object.entries(PROTO_NUMBERS)) if (v === p) return k;
  return `protocol ${p}`;
}

/**
 * Build an inet dump request as ss does (sockdiag_send / tcpdiag_send):
 * header, then INET_DIAG_REQ_BYTECODE, then INET_DIAG_REQ_PROTOCOL for
 * protocols above 255.
 */
export function buildInetRequest(w: Writer, seq: number, family: number, proto: number, states: number, ext: number, bc: Buffer | null, rawProtocol = 0): void {
  if (family === 0) {
    const start = w.beginMessage(proto === IPPROTO.DCCP ? INETDIAG_MSG.DCCPDIAG_GETSOCK : INETDIAG_MSG.TCPDIAG_GETSOCK, NLM_F.ROOT | NLM_F.MATCH | NLM_F.REQUEST, seq);
    inetDiagReq.encode(w, { family: AF_INET, srcLen: 0, dstLen: 0, ext, sport: 0, dport: 0, src: Buffer.alloc(16), dst: Buffer.alloc(16), if: 0, cookie: 0n, states, dbs: 0 }, {});
    if (bc) { const a = w.beginAttr(INET_DIAG_REQ.BYTECODE); w.bytes(bc); w.endAttr(a); }
    w.endMessage(start);
    return;
  }
  const start = w.beginMessage(SOCK_DIAG.SOCK_DIAG_BY_FAMILY, NLM_F.ROOT | NLM_F.MATCH | NLM_F.REQUEST, seq);
  inetDiagReqV2.encode(w, {
    family, protocol: proto & 0xff, ext, rawProtocol, states,
    sport: 0, dport: 0, src: Buffer.alloc(16), dst: Buffer.alloc(16), if: 0, cookie: 0n,
  }, {});
  if (bc) { const a = w.beginAttr(INET_DIAG_REQ.BYTECODE); w.bytes(bc); w.endAttr(a); }
  if (proto > 255) { const a = w.beginAttr(INET_DIAG_REQ.PROTOCOL); w.u32(proto); w.endAttr(a); }
  w.endMessage(start);
}

/** A unix_diag dump request (ss's unix_show_netlink). */
export function buildUnixRequest(w: Writer, seq: number, states: number, show: number): void {
  const start = w.beginMessage(SOCK_DIAG.SOCK_DIAG_BY_FAMILY, NLM_F.REQUEST | NLM_F.DUMP, seq);
  unixDiagReq.encode(w, { family: AF_UNIX, protocol: 0, states, ino: 0, show, cookie: 0n }, {});
  w.endMessage(start);
}

/** A packet_diag dump request (ss's packet_show_netlink). */
export function buildPacketRequest(w: Writer, seq: number, show: number): void {
  const start = w.beginMessage(SOCK_DIAG.SOCK_DIAG_BY_FAMILY, NLM_F.REQUEST | NLM_F.DUMP, seq);
  packetDiagReq.encode(w, { family: AF_PACKET, protocol: 0, ino: 0, show, cookie: 0n }, {});
  w.endMessage(start);
}

/** A netlink_diag dump request (ss's netlink_show_netlink). */
export function buildNetlinkRequest(w: Writer, seq: number, protocol: number, show: number): void {
  const start = w.beginMessage(SOCK_DIAG.SOCK_DIAG_BY_FAMILY, NLM_F.REQUEST | NLM_F.DUMP, seq);
  netlinkDiagReq.encode(w, { family: AF_NETLINK, protocol, ino: 0, show, cookie: 0n }, {});
  w.endMessage(start);
}

/** A vsock_diag dump request (ss's vsock_show). */
export function buildVsockRequest(w: Writer, seq: number, states: number): void {
  const start = w.beginMessage(SOCK_DIAG.SOCK_DIAG_BY_FAMILY, NLM_F.REQUEST | NLM_F.DUMP, seq);
  vsockDiagReq.encode(w, { family: AF_VSOCK, protocol: 0, states, ino: 0, show: 0, cookie: 0n }, {});
  w.endMessage(start);
}

/** An xdp_diag dump request (ss's xdp_show). */
export function buildXdpRequest(w: Writer, seq: number, show: number): void {
  const start = w.beginMessage(SOCK_DIAG.SOCK_DIAG_BY_FAMILY, NLM_F.REQUEST | NLM_F.DUMP, seq);
  xdpDiagReq.encode(w, { family: 44, protocol: 0, ino: 0, show, cookie: 0n }, {});
  w.endMessage(start);
}
