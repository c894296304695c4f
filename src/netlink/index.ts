/**
 * rip/netlink: netlink sockets, the schema codec, and the rtnetlink object APIs.
 *
 * ```ts
 * import { Netlink } from 'rip/netlink';
 * await using nl = await Netlink.open();
 * const links = await nl.link.list().toArray();
 * ```
 * @module
 */
export { Netlink } from './netlink.js';
export type { NetlinkOpenOptions } from './netlink.js';
export { NetlinkSocket, DumpStream, netnsTarget, parseNlmsgerr } from './socket.js';
export type {
  NetnsRef, RequestOptions, DumpOptions, InterruptPolicy, MessageView, RequestBuilder, DumpDecoder,
  SocketOptions, SubscriptionEvent,
} from './socket.js';
export {
  NetlinkError, DumpInterruptedError, SocketClosedError, TimeoutError, ValidationError, ParseError,
  isNotFound, isExists, isPermission, isNotSupported, isAbort,
} from './errors.js';
export type { KernelErrorDetails } from './errors.js';
export { errnoName, strerror, errnoNumber } from './errno.js';
export * from './constants.js';
export * as codec from './codec/index.js';
export { Writer } from './codec/writer.js';
export * from './structs.js';
export * from './addr.js';
export { LinkApi, decodeLink, linkFlagNames, linkData, slaveData, OPER_STATES } from './link.js';
export type {
  Link, LinkRef, LinkFilter, LinkAddSpec, LinkCommonSpec, LinkKindSpec, RawKindSpec, LinkSetSpec, LinkRequest,
  VethPeerSpec, NetnsTarget, LinkKindDataMap, SlaveKindDataMap, MacvlanModeName, IpvlanModeName, BondModeName,
} from './link.js';
export * from './rtnetlink/kinds/index.js';
export {
  IFLA, IFLA_INFO, IFLA_XDP, IFLA_INET6, IFF, RTEXT_FILTER, VETH_INFO, linkAttrs, linkMessage, linkInfoAttrs,
  linkKinds, slaveKinds,
} from './rtnetlink/link-schema.js';
export type { LinkAttrsShape, LinkInfoAttrs, KindData } from './rtnetlink/link-schema.js';
export * as netns from './netns.js';
export { GenericNetlink, genlRequest, genlDecode, ctrlAttrs } from './genl.js';
export type { GenlFamily } from './genl.js';
export { NetnsError, NETNSA, NETNS_RUN_DIR } from './netns.js';
export type { NamedNetns, ExecResult, NetnsEvent } from './netns.js';
export { rtRequest, CREATE_FLAGS, REPLACE_FLAGS, CHANGE_FLAGS } from './rtnetlink/request.js';
export { AddressApi, decodeAddress, buildAddressRequest, addressFlagNames, flagFilterMask, fnmatch } from './address.js';
export type {
  Address, AddressFilter, AddressSpec, AddressFlagName, SettableAddressFlag, AddressFlagFilter, AddressRequest,
} from './address.js';
export {
  IFA, IFA_F, IFAPROT, INFINITY_LIFE_TIME, IFA_FLAG_NAMES, ifaCacheinfo, addressAttrs, addressMessage, scopeName, scopeNumber,
} from './rtnetlink/address-schema.js';
export type { AddressAttrs, IfaCacheinfo } from './rtnetlink/address-schema.js';
export { Monitor, MONITOR_OBJECTS, MONITOR_OBJECT_NAMES, registerMonitorDecoder, decodeNsid, monitorTypes } from './monitor.js';
export type {
  MonitorEvent, MonitorObjectEvent, MonitorOverflowEvent, MonitorObject, MonitorAction, MonitorOptions,
  MonitorMessageMap, MonitorObjectSpec, NsidMessage, RawRtMessage,
} from './monitor.js';
