/**
 * veth (`kind: 'veth'`): IFLA_INFO_DATA carries the peer as a whole link
 * message (VETH_INFO_PEER = ifinfomsg + IFLA_* attributes). The schema itself
 * is registered by link-schema.ts (it is recursive through IFLA); this module
 * names it for the kind table.
 * @module
 */
import { attrs, attr, type Infer } from '../../codec/schema.js';
import { VETH_INFO, nestedLinkMessage } from '../link-schema.js';

export { VETH_INFO };

/** IFLA_INFO_DATA of a veth (same declaration as the registered one). */
export const vethData = attrs('veth', { peer: attr(VETH_INFO.PEER, nestedLinkMessage) });
/** veth attributes: the peer's header and IFLA attributes. */
export type VethData = Infer<typeof vethData>;
