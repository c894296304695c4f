/**
 * Multicast forwarding cache entries (`ip mroute`): `nl.mroute.list()`.
 *
 * ```ts
 * for await (const r of nl.mroute.list({ family: AF.INET, table: 'all' })) console.log(r.src, r.dst, r.iif, r.oifs);
 * ```
 * The entries are made by a multicast routing daemon (MRT_ADD_MFC on its
 * socket); rtnetlink only reads them.
 * @module
 */
import { NLM_F, RTM, AF } from './constants.js';
import { rtmsg, type RtMsg } from './structs.js';
import { mrouteMessage, RTNL_FAMILY, type MrouteAttrs, type RtaMfcStats } from './rtnetlink/mroute-schema.js';
import { rtRequest } from './rtnetlink/request.js';
import type { NetlinkSocket, DumpOptions, DumpStream, RequestBuilder, MessageView } from './socket.js';

export { RTNL_FAMILY } from './rtnetlink/mroute-schema.js';

/** RTN_MULTICAST */
const RTN_MULTICAST = 5;
/** RTNH_F_UNRESOLVED: the entry waits for its route (no iif yet). */
const RTNH_F_UNRESOLVED = 0x20;
/** RT_TABLE_DEFAULT: the IPv4 multicast default table, which `ip mroute` shows unless told otherwise. */
export const MROUTE_DEFAULT_TABLE = 253;

/** One outgoing interface of a multicast route. */
export interface MrouteOif {
  readonly ifindex: number;
  /** TTL threshold (rtnh_hops). */
  readonly ttl: number;
  /** rtnh_flags */
  readonly flags: number;
}

/** A multicast forwarding cache entry. */
export interface MulticastRoute {
  /** RTNL_FAMILY_IPMR (128) or RTNL_FAMILY_IP6MR (129). */
  readonly family: number;
  /** AF_INET or AF_INET6. */
  readonly addressFamily: number;
  /** Whether the message is a multicast route at all (rtm_type RTN_MULTICAST). */
  readonly multicast: boolean;
  readonly table: number;
  /** Origin, undefined for (*,G) entries. */
  readonly src: string | undefined;
  /** Group. */
  readonly dst: string | undefined;
  /** Incoming interface index; 0 while unresolved. */
  readonly iif: number;
  /** Outgoing interfaces in the kernel's order; undefined when the message has none. */
  readonly oifs: readonly MrouteOif[] | undefined;
  /** The cache entry still waits for a route (RTNH_F_UNRESOLVED). */
  readonly unresolved: boolean;
  /** rtm_flags */
  readonly flags: number;
  readonly stats: RtaMfcStats | undefined;
  /** Age in clock ticks (USER_HZ), as RTA_EXPIRES reports it. */
  readonly expires: bigint | undefined;
  /** The whole message as decoded. */
  readonly raw: { readonly header: RtMsg; readonly attrs: MrouteAttrs };
}

/** The struct rtnexthop entries of RTA_MULTIPATH, read as iproute2's print_mroute() walks them. */
function parseOifs(mp: Buffer): MrouteOif[] {
  const out: MrouteOif[] = [];
  for (let off = 0; mp.length - off >= 8;) {
    const len = mp.readUInt16LE(off);
    if (len > mp.length - off) break;
    out.push({ flags: mp[off + 2]!, ttl: mp[off + 3]!, ifindex: mp.readInt32LE(off + 4) });
    if (len < 8) break;
    off += (len + 3) & ~3;
  }
  return out;
}

/** Decode a multicast route message body (`buf[off, off+len)`). */
export function decodeMrouteBody(buf: Buffer, off: number, len: number): MulticastRoute {
  const { header, attrs } = mrouteMessage.decode(buf, off, len);
  return {
    family: header.family,
    addressFamily: header.family === RTNL_FAMILY.IP6MR ? AF.INET6 : header.family === RTNL_FAMILY.IPMR ? AF.INET : header.family,
    multicast: header.type === RTN_MULTICAST,
    table: attrs.table ?? header.table,
    src: attrs.src,
    dst: attrs.dst,
    iif: attrs.iif ?? 0,
    oifs: attrs.multipath ? parseOifs(attrs.multipath) : undefined,
    unresolved: (header.flags & RTNH_F_UNRESOLVED) !== 0,
    flags: header.flags,
    stats: attrs.mfc_stats,
    expires: attrs.expires,
    raw: { header, attrs },
  };
}

/** Decode one RTM_NEWROUTE/DELROUTE message of a multicast family. */
export function decodeMroute(m: MessageView): MulticastRoute {
  return decodeMrouteBody(m.buf, m.off, m.len);
}

/** What {@link MrouteApi.list} reads. */
export interface MrouteFilter {
  /** AF_INET (default) or AF_INET6, or RTNL_FAMILY_IPMR/IP6MR. */
  readonly family?: number;
  /** A table id, or 'all'. Default: the IPv4 default table (253) for IPv4, every table for IPv6 (as `ip mroute`). */
  readonly table?: number | 'all';
  /** Only entries arriving on this interface. */
  readonly iif?: number;
}

/** The multicast family of an address family (RTNL_FAMILY_IPMR for AF_INET, …); undefined if it has none. */
export function mrouteFamily(family: number): number | undefined {
  if (family === AF.INET || family === AF.UNSPEC || family === RTNL_FAMILY.IPMR) return RTNL_FAMILY.IPMR;
  if (family === AF.INET6 || family === RTNL_FAMILY.IP6MR) return RTNL_FAMILY.IP6MR;
  return undefined;
}

/** The RTM_GETROUTE dump request of `ip mroute` (rtnl_routedump_req() with RTA_TABLE when `table` is non-zero). */
export function mrouteDumpRequest(family: number, table: number): RequestBuilder {
  return rtRequest(mrouteMessage, RTM.GETROUTE, NLM_F.DUMP, { ...rtmsg.zero, family }, table ? { table } : {});
}

/** Multicast route queries on one namespace's rtnetlink socket. */
export class MrouteApi {
  constructor(private readonly sock: NetlinkSocket) {}

  /**
   * Stream multicast forwarding cache entries (a message that is not
   * RTN_MULTICAST is passed on with `multicast: false`). A table that does not exist
   * fails the dump with ENOENT ("MR table does not exist").
   */
  list(filter: MrouteFilter = {}, opts: DumpOptions = {}): DumpStream<MulticastRoute> {
    const family = mrouteFamily(filter.family ?? AF.INET);
    if (family === undefined) throw new RangeError(`address family ${filter.family} has no multicast routing`);
    const table = filter.table === 'all' ? 0 : filter.table ?? (family === RTNL_FAMILY.IPMR ? MROUTE_DEFAULT_TABLE : 0);
    return this.sock.dump(mrouteDumpRequest(family, table), (m) => {
      if (m.type !== RTM.NEWROUTE) return undefined;
      const r = decodeMroute(m);
      if (r.family !== family) return undefined;
      if (table && r.table !== table) return undefined;
      if (filter.iif && r.iif !== filter.iif) return undefined;
      return r;
    }, 'list multicast routes', opts);
  }
}
