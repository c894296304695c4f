/**
 * Neighbour table parameters (`ip ntable`): `listNeighborTables(nl.socket)`.
 *
 * ```ts
 * for await (const t of listNeighborTables(nl.socket)) console.log(t.family, t.attrs.name, t.attrs.parms?.ifindex);
 * ```
 * @module
 */
import { NLM_F, RTM } from './constants.js';
import { ntableMessage, type NtableAttrs } from './rtnetlink/ntable-schema.js';
import { rtRequest } from './rtnetlink/request.js';
import type { NetlinkSocket, DumpOptions, DumpStream, RequestBuilder } from './socket.js';

export { NDTA, NDTPA } from './rtnetlink/ntable-schema.js';

/** One neighbour table, or one device's parameters within it (`attrs.parms.ifindex` set). */
export interface NeighborTable {
  readonly family: number;
  readonly attrs: NtableAttrs;
}

/** The RTM_GETNEIGHTBL dump request (rtnl_neightbldump_req()'s bytes). */
export function ntableDumpRequest(family: number): RequestBuilder {
  return rtRequest(ntableMessage, RTM.GETNEIGHTBL, NLM_F.DUMP, { family }, {});
}

/** Stream the neighbour tables of `family` (0: every family). */
export function listNeighborTables(sock: NetlinkSocket, family = 0, opts: DumpOptions = {}): DumpStream<NeighborTable> {
  return sock.dump(ntableDumpRequest(family), (m) => {
    if (m.type !== RTM.NEWNEIGHTBL) return undefined;
    const { header, attrs } = ntableMessage.decode(m.buf, m.off, m.len);
    return { family: header.family, attrs };
  }, 'list neighbour tables', opts);
}
