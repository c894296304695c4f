/**
 * L2TPv3 static tunnels and sessions over generic netlink "l2tp" (the kernel's
 * l2tp_netlink module): what `ip l2tp` manages.
 *
 * ```ts
 * await using l2tp = await L2tp.open({ netns: 'blue' });
 * await l2tp.addTunnel({ tunnel_id: 1, peer_tunnel_id: 2, encap: 'udp', local: '192.0.2.1', remote: '192.0.2.2', udp_sport: 5000, udp_dport: 5000 });
 * await l2tp.addSession({ tunnel_id: 1, session_id: 10, peer_session_id: 20, ifname: 'l2tpeth0' });
 * for await (const s of l2tp.listSessions()) console.log(s.session_id, s.ifname);
 * ```
 *
 * A `Netlink` handle has one too, opened on first use: `await nl.l2tp.listTunnels().toArray()`.
 * On a kernel without L2TP every call rejects with a {@link NetlinkError}
 * whose code is ENOENT (the generic netlink family "l2tp" does not exist).
 * @module
 */
import { NLM_F } from './constants.js';
import { GenericNetlink, genlRequest, genlDecode, type GenlFamily } from './genl.js';
import type { NetnsRef, RequestOptions, DumpOptions, RequestBuilder, MessageView } from './socket.js';
import { NetlinkError, ValidationError } from './errors.js';
import { parseAddress } from './addr.js';
import {
  l2tpAttrs, L2TP_CMD, L2TP_GENL_NAME, L2TP_GENL_VERSION, L2TP_PWTYPE, L2TP_ENCAPTYPE, L2TP_L2SPECTYPE,
  type L2tpAttrs, type L2tpStatsAttrs,
} from './l2tp-schema.js';

export { L2TP_CMD, L2TP_ATTR, L2TP_PWTYPE, L2TP_ENCAPTYPE, L2TP_L2SPECTYPE, L2TP_GENL_NAME, L2TP_GENL_VERSION } from './l2tp-schema.js';

/** Encapsulation of a tunnel's data packets: in UDP, or directly in IP (protocol 115). */
export type L2tpEncap = 'udp' | 'ip';
/** Pseudowire type of a session (`ip l2tp` creates only `eth`). */
export type L2tpPwType = 'none' | 'eth_vlan' | 'eth' | 'ppp' | 'ppp_ac' | 'ip';
/** Layer-2-specific sublayer of a session's data packets. */
export type L2tpL2specType = 'none' | 'default';

const ENCAP: Readonly<Record<L2tpEncap, number>> = { udp: L2TP_ENCAPTYPE.UDP, ip: L2TP_ENCAPTYPE.IP };
const PWTYPE: Readonly<Record<L2tpPwType, number>> = {
  none: L2TP_PWTYPE.NONE, eth_vlan: L2TP_PWTYPE.ETH_VLAN, eth: L2TP_PWTYPE.ETH,
  ppp: L2TP_PWTYPE.PPP, ppp_ac: L2TP_PWTYPE.PPP_AC, ip: L2TP_PWTYPE.IP,
};
const L2SPEC: Readonly<Record<L2tpL2specType, number>> = { none: L2TP_L2SPECTYPE.NONE, default: L2TP_L2SPECTYPE.DEFAULT };

function nameOf<K extends string>(table: Readonly<Record<K, number>>, v: number): K | number {
  for (const k in table) if (table[k] === v) return k;
  return v;
}

/** What a tunnel is made of (`ip l2tp add tunnel`). */
export interface L2tpTunnelConfig {
  /** Local tunnel id, 1..4294967295. */
  readonly tunnel_id: number;
  /** The peer's tunnel id, 1..4294967295. */
  readonly peer_tunnel_id: number;
  /** Default `udp`. */
  readonly encap?: L2tpEncap;
  /** Local IPv4 or IPv6 address (the same family as `remote`). */
  readonly local: string;
  readonly remote: string;
  /** UDP source port (UDP encapsulation only; 0 lets the kernel pick one). */
  readonly udp_sport?: number;
  /** UDP destination port (UDP encapsulation only). */
  readonly udp_dport?: number;
  /** IPv4 over UDP: compute UDP checksums on transmit (default off). */
  readonly udp_csum?: boolean;
  /** IPv6 over UDP: compute UDP checksums on transmit (default on). */
  readonly udp6_csum_tx?: boolean;
  /** IPv6 over UDP: require UDP checksums on receive (default on). */
  readonly udp6_csum_rx?: boolean;
}

/** What a session is made of (`ip l2tp add session`). */
export interface L2tpSessionConfig {
  /** The tunnel it belongs to. */
  readonly tunnel_id: number;
  /** Sent as iproute2 does (0 unless given); the kernel takes the peer's id from the tunnel. */
  readonly peer_tunnel_id?: number;
  /** Local session id, 1..4294967295. */
  readonly session_id: number;
  /** The peer's session id, 1..4294967295. */
  readonly peer_session_id: number;
  /** Default `eth` (an l2tpeth interface is created). */
  readonly pw_type?: L2tpPwType;
  /** Default `default` (4-byte sublayer). */
  readonly l2spec_type?: L2tpL2specType;
  /** Expect sequence numbers on received data packets. */
  readonly recv_seq?: boolean;
  /** Put sequence numbers on sent data packets. */
  readonly send_seq?: boolean;
  /** LNS mode: this end controls sequence numbering. */
  readonly lns_mode?: boolean;
  /**
   * How long to wait for out-of-order packets, in milliseconds (0: no
   * reordering). The kernel keeps it in jiffies, so it reads back rounded to
   * the tick (e.g. 250 → 252 at HZ=250).
   */
  readonly reorder_timeout?: number;
  /** Local cookie: 8 or 16 hex digits (4 or 8 bytes). */
  readonly cookie?: string;
  /** The peer's cookie: 8 or 16 hex digits. */
  readonly peer_cookie?: string;
  /** Name of the interface the kernel creates (default l2tpethN). */
  readonly ifname?: string;
  /** L2TP_ATTR_OFFSET: not used by current kernels, sent only when given. */
  readonly offset?: number;
  /** L2TP_ATTR_DATA_SEQ: not used by current kernels, sent only when given. */
  readonly data_seq?: number;
}

/** Data counters of a tunnel or session (bigint: 64-bit kernel counters). */
export interface L2tpStats {
  readonly tx_packets: bigint;
  readonly tx_bytes: bigint;
  readonly tx_errors: bigint;
  readonly rx_packets: bigint;
  readonly rx_bytes: bigint;
  /** Packets dropped as out of sequence. */
  readonly rx_seq_discards: bigint;
  /** Packets received out of sequence. */
  readonly rx_oos_packets: bigint;
  readonly rx_errors: bigint;
  /** Packets dropped for a wrong cookie (newer kernels; undefined when not reported). */
  readonly rx_cookie_discards: bigint | undefined;
  /** Invalid packets (newer kernels; undefined when not reported). */
  readonly rx_invalid: bigint | undefined;
}

/** A tunnel as the kernel reports it. */
export interface L2tpTunnel {
  readonly tunnel_id: number;
  readonly peer_tunnel_id: number;
  /** 2 or 3. */
  readonly proto_version: number | undefined;
  /** A name, or the number of an encapsulation this library does not know. */
  readonly encap: L2tpEncap | number | undefined;
  /** 4 (IPv4) or 6 (IPv6), from the addresses; undefined when the kernel sent none. */
  readonly ip_version: 4 | 6 | undefined;
  readonly local: string | undefined;
  readonly remote: string | undefined;
  readonly udp_sport: number | undefined;
  readonly udp_dport: number | undefined;
  /** IPv4 over UDP: whether UDP checksums are computed on transmit. */
  readonly udp_csum: boolean | undefined;
  /** IPv6 over UDP: whether UDP checksums are computed on transmit. */
  readonly udp6_csum_tx: boolean | undefined;
  /** IPv6 over UDP: whether UDP checksums are required on receive. */
  readonly udp6_csum_rx: boolean | undefined;
  readonly debug: number | undefined;
  readonly stats: L2tpStats | undefined;
  /** The whole message body as decoded. */
  readonly raw: L2tpAttrs;
}

/** A session as the kernel reports it. */
export interface L2tpSession {
  readonly tunnel_id: number;
  readonly peer_tunnel_id: number;
  readonly session_id: number;
  readonly peer_session_id: number;
  /** A name, or the number of a pseudowire type this library does not know. */
  readonly pw_type: L2tpPwType | number | undefined;
  /** The session's interface (l2tpeth sessions). */
  readonly ifname: string | undefined;
  /** Hex digits (8 or 16). */
  readonly cookie: string | undefined;
  readonly peer_cookie: string | undefined;
  readonly recv_seq: boolean;
  readonly send_seq: boolean;
  readonly lns_mode: boolean;
  readonly using_ipsec: boolean;
  /** Milliseconds; undefined when reordering is off. */
  readonly reorder_timeout: number | undefined;
  /** Reported by kernels that send it (6.1 does not). */
  readonly l2spec_type: L2tpL2specType | number | undefined;
  readonly debug: number | undefined;
  readonly stats: L2tpStats | undefined;
  /** The whole message body as decoded. */
  readonly raw: L2tpAttrs;
}

/** Changes `modifySession` can make (L2TP_CMD_SESSION_MODIFY). */
export interface L2tpSessionChanges {
  readonly recv_seq?: boolean;
  readonly send_seq?: boolean;
  readonly lns_mode?: boolean;
  readonly reorder_timeout?: number;
  readonly debug?: number;
}

function decodeStats(s: L2tpStatsAttrs | undefined): L2tpStats | undefined {
  if (!s) return undefined;
  return {
    tx_packets: s.tx_packets ?? 0n, tx_bytes: s.tx_bytes ?? 0n, tx_errors: s.tx_errors ?? 0n,
    rx_packets: s.rx_packets ?? 0n, rx_bytes: s.rx_bytes ?? 0n, rx_seq_discards: s.rx_seq_discards ?? 0n,
    rx_oos_packets: s.rx_oos_packets ?? 0n, rx_errors: s.rx_errors ?? 0n,
    rx_cookie_discards: s.rx_cookie_discards, rx_invalid: s.rx_invalid,
  };
}

/** A tunnel from the attributes of a TUNNEL_GET reply. */
export function tunnelFromAttrs(a: L2tpAttrs): L2tpTunnel {
  const v6 = a.ip6_saddr !== undefined || a.ip6_daddr !== undefined;
  const v4 = a.ip_saddr !== undefined || a.ip_daddr !== undefined;
  const udp6 = v6 && a.encap_type === L2TP_ENCAPTYPE.UDP;
  return {
    tunnel_id: a.conn_id ?? 0,
    peer_tunnel_id: a.peer_conn_id ?? 0,
    proto_version: a.proto_version,
    encap: a.encap_type === undefined ? undefined : nameOf(ENCAP, a.encap_type),
    ip_version: v4 ? 4 : v6 ? 6 : undefined,
    local: a.ip_saddr ?? a.ip6_saddr,
    remote: a.ip_daddr ?? a.ip6_daddr,
    udp_sport: a.udp_sport,
    udp_dport: a.udp_dport,
    udp_csum: a.udp_csum === undefined ? undefined : a.udp_csum !== 0,
    udp6_csum_tx: udp6 ? !a.udp_zero_csum6_tx : undefined,
    udp6_csum_rx: udp6 ? !a.udp_zero_csum6_rx : undefined,
    debug: a.debug,
    stats: decodeStats(a.stats),
    raw: a,
  };
}

/** A session from the attributes of a SESSION_GET reply. */
export function sessionFromAttrs(a: L2tpAttrs): L2tpSession {
  return {
    tunnel_id: a.conn_id ?? 0,
    peer_tunnel_id: a.peer_conn_id ?? 0,
    session_id: a.session_id ?? 0,
    peer_session_id: a.peer_session_id ?? 0,
    pw_type: a.pw_type === undefined ? undefined : nameOf(PWTYPE, a.pw_type),
    ifname: a.ifname,
    cookie: a.cookie?.toString('hex'),
    peer_cookie: a.peer_cookie?.toString('hex'),
    recv_seq: (a.recv_seq ?? 0) !== 0,
    send_seq: (a.send_seq ?? 0) !== 0,
    lns_mode: (a.lns_mode ?? 0) !== 0,
    using_ipsec: (a.using_ipsec ?? 0) !== 0,
    reorder_timeout: a.recv_timeout ? Number(a.recv_timeout) : undefined,
    l2spec_type: a.l2spec_type === undefined ? undefined : nameOf(L2SPEC, a.l2spec_type),
    debug: a.debug,
    stats: decodeStats(a.stats),
    raw: a,
  };
}

/**
 * L2TP_CMD_TUNNEL_CREATE attributes for `c`, in iproute2's order (so `ip
 * l2tp add tunnel` sends the same bytes). Addresses of different families
 * are not rejected here (iproute2 sends them and the kernel refuses);
 * {@link L2tp.addTunnel} checks them first.
 */
export function tunnelCreateAttrs(c: L2tpTunnelConfig): L2tpAttrs {
  const a: L2tpAttrs = {
    conn_id: c.tunnel_id,
    peer_conn_id: c.peer_tunnel_id,
    proto_version: 3,
    encap_type: ENCAP[c.encap ?? 'udp'],
  };
  if (c.local.includes(':')) a.ip6_saddr = c.local; else a.ip_saddr = c.local;
  if (c.remote.includes(':')) a.ip6_daddr = c.remote; else a.ip_daddr = c.remote;
  if ((c.encap ?? 'udp') === 'udp') {
    if (c.udp_sport !== undefined) a.udp_sport = c.udp_sport;
    if (c.udp_dport !== undefined) a.udp_dport = c.udp_dport;
    if (c.udp_csum) a.udp_csum = 1;
    if (c.udp6_csum_tx === false) a.udp_zero_csum6_tx = true;
    if (c.udp6_csum_rx === false) a.udp_zero_csum6_rx = true;
  }
  return a;
}

/** L2TP_CMD_SESSION_CREATE attributes for `c`, in iproute2's order. */
export function sessionCreateAttrs(c: L2tpSessionConfig): L2tpAttrs {
  const l2spec = c.l2spec_type ?? 'default';
  const a: L2tpAttrs = {
    conn_id: c.tunnel_id,
    peer_conn_id: c.peer_tunnel_id ?? 0,
    session_id: c.session_id,
    peer_session_id: c.peer_session_id,
    pw_type: PWTYPE[c.pw_type ?? 'eth'],
    l2spec_type: L2SPEC[l2spec],
    // The kernel derives the length from the type; iproute2 sends both.
    l2spec_len: l2spec === 'default' ? 4 : 0,
  };
  if (c.recv_seq) a.recv_seq = 1;
  if (c.send_seq) a.send_seq = 1;
  if (c.lns_mode) a.lns_mode = 1;
  if (c.reorder_timeout) a.recv_timeout = BigInt(c.reorder_timeout);
  if (c.cookie !== undefined) a.cookie = cookieBytes(c.cookie, 'cookie');
  if (c.peer_cookie !== undefined) a.peer_cookie = cookieBytes(c.peer_cookie, 'peer_cookie');
  if (c.ifname !== undefined) a.ifname = c.ifname;
  if (c.offset !== undefined) a.offset = c.offset;
  if (c.data_seq !== undefined) a.data_seq = c.data_seq;
  return a;
}

function cookieBytes(hex: string, field: string): Buffer {
  if (!/^(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{16})$/.test(hex)) throw new ValidationError(`${field} must be 8 or 16 hex digits, not "${hex}"`, field);
  return Buffer.from(hex, 'hex');
}

const isU32 = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
const isU16 = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffff;

function needId(n: unknown, field: string): void {
  if (!isU32(n) || n === 0) throw new ValidationError(`${field} must be an integer in 1..4294967295, not ${String(n)}`, field);
}

function addrFamily(s: string, field: string): number {
  const b = parseAddress(s);
  if (!b) throw new ValidationError(`${field}: invalid IP address "${s}"`, field);
  return b.length;
}

/** Check a tunnel config before anything is sent. */
function validateTunnel(c: L2tpTunnelConfig): void {
  needId(c.tunnel_id, 'tunnel_id');
  needId(c.peer_tunnel_id, 'peer_tunnel_id');
  if (c.encap !== undefined && !(c.encap in ENCAP)) throw new ValidationError(`encap must be "udp" or "ip", not "${String(c.encap)}"`, 'encap');
  if (addrFamily(c.local, 'local') !== addrFamily(c.remote, 'remote')) {
    throw new ValidationError(`local ${c.local} and remote ${c.remote} are of different address families`, 'remote');
  }
  for (const f of ['udp_sport', 'udp_dport'] as const) {
    const v = c[f];
    if (v !== undefined && !isU16(v)) throw new ValidationError(`${f} must be a port in 0..65535, not ${String(v)}`, f);
  }
}

/** Check a session config before anything is sent. */
function validateSession(c: L2tpSessionConfig): void {
  needId(c.tunnel_id, 'tunnel_id');
  needId(c.session_id, 'session_id');
  needId(c.peer_session_id, 'peer_session_id');
  if (c.peer_tunnel_id !== undefined && !isU32(c.peer_tunnel_id)) throw new ValidationError(`peer_tunnel_id must be a u32, not ${String(c.peer_tunnel_id)}`, 'peer_tunnel_id');
  if (c.pw_type !== undefined && !(c.pw_type in PWTYPE)) throw new ValidationError(`unknown pw_type "${String(c.pw_type)}"`, 'pw_type');
  if (c.l2spec_type !== undefined && !(c.l2spec_type in L2SPEC)) throw new ValidationError(`l2spec_type must be "none" or "default", not "${String(c.l2spec_type)}"`, 'l2spec_type');
  if (c.reorder_timeout !== undefined && !(Number.isSafeInteger(c.reorder_timeout) && c.reorder_timeout >= 0)) {
    throw new ValidationError(`reorder_timeout must be a number of milliseconds, not ${String(c.reorder_timeout)}`, 'reorder_timeout');
  }
  if (c.ifname !== undefined && !(c.ifname.length > 0 && Buffer.byteLength(c.ifname) < 16 && !/[/\s]/.test(c.ifname))) {
    throw new ValidationError(`"${c.ifname}" is not a valid interface name`, 'ifname');
  }
}

/** A dump whose request can only be built once the family is resolved. */
export interface L2tpDump<T> extends AsyncIterable<T> {
  /** Collect every item. */
  toArray(): Promise<T[]>;
}

function lazyDump<T>(start: () => Promise<AsyncIterable<T>>): L2tpDump<T> {
  const it = {
    async *[Symbol.asyncIterator](): AsyncIterator<T> {
      yield* await start();
    },
    async toArray(): Promise<T[]> {
      const out: T[] = [];
      for await (const x of it) out.push(x);
      return out;
    },
  };
  return it;
}

/**
 * A handle on generic netlink "l2tp" in one namespace. The socket is opened
 * and the family resolved on first use (or by {@link L2tp.open}).
 */
export class L2tp implements AsyncDisposable {
  private genl: Promise<{ genl: GenericNetlink; family: GenlFamily }> | undefined;
  private closed = false;

  /** A handle in `netns` (a name under /run/netns, a path or a pid); nothing is opened until first use. */
  constructor(private readonly netns?: NetnsRef) {}

  /** Open a socket and resolve the family now (rejects with ENOENT if the kernel lacks L2TP). */
  static async open(opts: { netns?: NetnsRef } = {}): Promise<L2tp> {
    const h = new L2tp(opts.netns);
    try {
      await h.family();
    } catch (e) {
      h.close();
      throw e;
    }
    return h;
  }

  /** The resolved family (id, version, multicast groups). */
  async family(opts: RequestOptions = {}): Promise<GenlFamily> {
    return (await this.ready(opts)).family;
  }

  private ready(opts: RequestOptions = {}): Promise<{ genl: GenericNetlink; family: GenlFamily }> {
    if (this.closed) return Promise.reject(new ValidationError('l2tp handle is closed'));
    if (!this.genl) {
      const p = (async () => {
        const genl = await GenericNetlink.open(this.netns !== undefined ? { netns: this.netns } : {});
        try {
          return { genl, family: await genl.family(L2TP_GENL_NAME, opts) };
        } catch (e) {
          genl.close();
          if (e instanceof NetlinkError && e.code === 'ENOENT') {
            // Say what is missing rather than just "No such file or directory".
            throw new NetlinkError('resolve generic netlink family "l2tp" (kernel without L2TP support: l2tp_netlink not loaded or not built)', {
              errno: e.errno, extack: e.extack, extackOffset: e.extackOffset, missingType: e.missingType, missingNest: e.missingNest,
            });
          }
          throw e;
        }
      })();
      p.catch(() => { if (this.genl === p) this.genl = undefined; });
      this.genl = p;
    }
    return this.genl;
  }

  /** A request builder of this family (for callers that send their own, like the CLI). */
  async request(cmd: number, flags: number, attrs: L2tpAttrs, opts: RequestOptions = {}): Promise<RequestBuilder> {
    const { family } = await this.ready(opts);
    return genlRequest(family.id, cmd, L2TP_GENL_VERSION, flags, l2tpAttrs, attrs);
  }

  /** Send `attrs` as command `cmd` and wait for the ACK (and any replies). */
  async send(cmd: number, attrs: L2tpAttrs, operation: string, opts: RequestOptions = {}): Promise<MessageView[]> {
    const { genl, family } = await this.ready(opts);
    return genl.socket.request(genlRequest(family.id, cmd, L2TP_GENL_VERSION, NLM_F.ACK, l2tpAttrs, attrs), operation, opts);
  }

  /** Dump command `cmd` (TUNNEL_GET or SESSION_GET) with `attrs`, decoding each reply's attributes. */
  dump(cmd: number, attrs: L2tpAttrs, operation: string, opts: DumpOptions = {}): L2tpDump<L2tpAttrs> {
    return lazyDump(async () => {
      const { genl, family } = await this.ready(opts);
      return genl.socket.dump(genlRequest(family.id, cmd, L2TP_GENL_VERSION, NLM_F.DUMP, l2tpAttrs, attrs),
        (m) => (m.type === family.id && m.len >= 4 ? genlDecode(m, l2tpAttrs).attrs : undefined), operation, opts);
    });
  }

  /** Create a tunnel. The tunnel's socket is bound to `local`, which must be an address of the namespace. */
  async addTunnel(c: L2tpTunnelConfig, opts: RequestOptions = {}): Promise<void> {
    validateTunnel(c);
    await this.send(L2TP_CMD.TUNNEL_CREATE, tunnelCreateAttrs(c), `add l2tp tunnel ${c.tunnel_id}`, opts);
  }

  /** Delete a tunnel and its sessions. */
  async delTunnel(tunnelId: number, opts: RequestOptions = {}): Promise<void> {
    needId(tunnelId, 'tunnel_id');
    await this.send(L2TP_CMD.TUNNEL_DELETE, { conn_id: tunnelId }, `delete l2tp tunnel ${tunnelId}`, opts);
  }

  /** One tunnel (rejects with ENODEV… when there is none). */
  async getTunnel(tunnelId: number, opts: RequestOptions = {}): Promise<L2tpTunnel> {
    needId(tunnelId, 'tunnel_id');
    const { genl, family } = await this.ready(opts);
    const [m] = await genl.socket.request(genlRequest(family.id, L2TP_CMD.TUNNEL_GET, L2TP_GENL_VERSION, NLM_F.ACK, l2tpAttrs, { conn_id: tunnelId }),
      `get l2tp tunnel ${tunnelId}`, opts);
    if (!m) throw new NetlinkError(`get l2tp tunnel ${tunnelId}`, { errno: 61 /* ENODATA */ });
    return tunnelFromAttrs(genlDecode(m, l2tpAttrs).attrs);
  }

  /** Every tunnel of the namespace. */
  listTunnels(opts: DumpOptions = {}): L2tpDump<L2tpTunnel> {
    const d = this.dump(L2TP_CMD.TUNNEL_GET, {}, 'list l2tp tunnels', opts);
    return lazyDump(async () => mapIter(d, tunnelFromAttrs));
  }

  /** Create a session in an existing tunnel (for `eth`, with its l2tpeth interface). */
  async addSession(c: L2tpSessionConfig, opts: RequestOptions = {}): Promise<void> {
    validateSession(c);
    await this.send(L2TP_CMD.SESSION_CREATE, sessionCreateAttrs(c), `add l2tp session ${c.session_id} in tunnel ${c.tunnel_id}`, opts);
  }

  /** Delete a session. */
  async delSession(tunnelId: number, sessionId: number, opts: RequestOptions = {}): Promise<void> {
    needId(tunnelId, 'tunnel_id');
    needId(sessionId, 'session_id');
    await this.send(L2TP_CMD.SESSION_DELETE, { conn_id: tunnelId, session_id: sessionId }, `delete l2tp session ${sessionId} in tunnel ${tunnelId}`, opts);
  }

  /** Change a session's sequencing, LNS mode, reorder timeout or debug flags. */
  async modifySession(tunnelId: number, sessionId: number, ch: L2tpSessionChanges, opts: RequestOptions = {}): Promise<void> {
    needId(tunnelId, 'tunnel_id');
    needId(sessionId, 'session_id');
    const a: L2tpAttrs = { conn_id: tunnelId, session_id: sessionId };
    if (ch.debug !== undefined) a.debug = ch.debug;
    if (ch.recv_seq !== undefined) a.recv_seq = ch.recv_seq ? 1 : 0;
    if (ch.send_seq !== undefined) a.send_seq = ch.send_seq ? 1 : 0;
    if (ch.lns_mode !== undefined) a.lns_mode = ch.lns_mode ? 1 : 0;
    if (ch.reorder_timeout !== undefined) a.recv_timeout = BigInt(ch.reorder_timeout);
    await this.send(L2TP_CMD.SESSION_MODIFY, a, `modify l2tp session ${sessionId} in tunnel ${tunnelId}`, opts);
  }

  /** One session, by tunnel and session id, or by interface name. */
  async getSession(key: { readonly tunnel_id: number; readonly session_id: number } | { readonly ifname: string }, opts: RequestOptions = {}): Promise<L2tpSession> {
    let a: L2tpAttrs;
    let what: string;
    if ('ifname' in key) {
      a = { ifname: key.ifname };
      what = key.ifname;
    } else {
      needId(key.tunnel_id, 'tunnel_id');
      needId(key.session_id, 'session_id');
      a = { conn_id: key.tunnel_id, session_id: key.session_id };
      what = `${key.session_id} in tunnel ${key.tunnel_id}`;
    }
    const { genl, family } = await this.ready(opts);
    const [m] = await genl.socket.request(genlRequest(family.id, L2TP_CMD.SESSION_GET, L2TP_GENL_VERSION, NLM_F.ACK, l2tpAttrs, a),
      `get l2tp session ${what}`, opts);
    if (!m) throw new NetlinkError(`get l2tp session ${what}`, { errno: 61 /* ENODATA */ });
    return sessionFromAttrs(genlDecode(m, l2tpAttrs).attrs);
  }

  /** Every session (of one tunnel, if given: the kernel dumps all and they are filtered here). */
  listSessions(filter: { readonly tunnel_id?: number } = {}, opts: DumpOptions = {}): L2tpDump<L2tpSession> {
    const d = this.dump(L2TP_CMD.SESSION_GET, {}, 'list l2tp sessions', opts);
    return lazyDump(async () => filterIter(mapIter(d, sessionFromAttrs), (s) => filter.tunnel_id === undefined || s.tunnel_id === filter.tunnel_id));
  }

  /** Close the socket (if it was opened); pending requests reject. */
  close(): void {
    this.closed = true;
    const p = this.genl;
    this.genl = undefined;
    void p?.then(({ genl }) => genl.close(), () => {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const p = this.genl;
    this.close();
    await p?.then(() => {}, () => {});
  }
}

async function* mapIter<A, B>(src: AsyncIterable<A>, f: (a: A) => B): AsyncIterable<B> {
  for await (const a of src) yield f(a);
}

async function* filterIter<A>(src: AsyncIterable<A>, f: (a: A) => boolean): AsyncIterable<A> {
  for await (const a of src) if (f(a)) yield a;
}
