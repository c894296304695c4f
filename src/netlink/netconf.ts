/**
 * Per-family IP configuration of devices (RTM_GETNETCONF): `nl.netconf.list()`, `get`.
 *
 * ```ts
 * for await (const c of nl.netconf.list({ family: AF.INET })) console.log(c.ifindex, c.forwarding, c.rp_filter);
 * const all6 = await nl.netconf.get(AF.INET6, NETCONFA_IFINDEX.ALL);
 * ```
 * @module
 */
import { NLM_F, RTM, AF } from './constants.js';
import { netconfMessage, decodeNetconf, type NetconfMessage } from './rtnetlink/netconf-schema.js';
import { rtRequest } from './rtnetlink/request.js';
import type { NetlinkSocket, DumpOptions, DumpStream, RequestOptions, RequestBuilder } from './socket.js';

export { NETCONFA, NETCONFA_IFINDEX, type NetconfMessage } from './rtnetlink/netconf-schema.js';

/** What {@link NetconfApi.list} reports. */
export interface NetconfFilter {
  /** AF_INET, AF_INET6 or AF_MPLS; AF_UNSPEC (the default) asks every family at once. */
  readonly family?: number;
  /** Only this device (or NETCONFA_IFINDEX.ALL/DEFAULT). */
  readonly ifindex?: number;
}

/** The RTM_GETNETCONF dump request of one family (rtnl_netconfdump_req()'s bytes). */
export function netconfDumpRequest(family: number): RequestBuilder {
  return rtRequest(netconfMessage, RTM.GETNETCONF, NLM_F.DUMP, { family }, {});
}

/** The RTM_GETNETCONF request for one device of one family (as `ip -4 netconf show dev D`). */
export function netconfGetRequest(family: number, ifindex: number): RequestBuilder {
  return rtRequest(netconfMessage, RTM.GETNETCONF, NLM_F.ACK, { family }, { ifindex });
}

/** Netconf queries on one namespace's rtnetlink socket. */
export class NetconfApi {
  constructor(private readonly sock: NetlinkSocket) {}

  /** Stream the configuration entries (devices, `all` and `default`) of one or every family. */
  list(filter: NetconfFilter = {}, opts: DumpOptions = {}): DumpStream<NetconfMessage> {
    const family = filter.family ?? AF.UNSPEC;
    return this.sock.dump(netconfDumpRequest(family), (m) => {
      if (m.type !== RTM.NEWNETCONF) return undefined;
      const c = decodeNetconf(m);
      if (family !== AF.UNSPEC && c.family !== family) return undefined;
      if (filter.ifindex !== undefined && (c.ifindex ?? 0) !== filter.ifindex) return undefined;
      return c;
    }, 'dump netconf', opts);
  }

  /** The configuration of one device (or NETCONFA_IFINDEX.ALL/DEFAULT) in one family. */
  async get(family: number, ifindex: number, opts: RequestOptions = {}): Promise<NetconfMessage> {
    const m = await this.sock.get(netconfGetRequest(family, ifindex), 'get netconf', opts);
    return decodeNetconf(m);
  }
}
