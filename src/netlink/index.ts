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
export { NetlinkSocket, DumpStream, netnsTarget, parseNlmsgerr, type ListStream } from './socket.js';
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
export {
  Monitor, MONITOR_OBJECTS, MONITOR_OBJECT_NAMES, registerMonitorDecoder, decodeNsid, decodeNetconf, monitorTypes, NETCONFA, netconfMessage,
} from './monitor.js';
export type {
  MonitorEvent, MonitorObjectEvent, MonitorOverflowEvent, MonitorObject, MonitorAction, MonitorOptions,
  MonitorMessageMap, MonitorObjectSpec, NsidMessage, NetconfMessage, RawRtMessage,
} from './monitor.js';
export { NeighborApi, decodeNeighbor, nudStateNames, nudStateValue, NUD_STATE_NAMES } from './neighbor.js';
export type { Neighbor, NeighborFilter, NeighborSpec, NeighborFlushFilter, NudState, NudStateName } from './neighbor.js';
export { NDA, NUD, NTF, NTF_EXT, ndaCacheinfo, neighAttrs, neighMessage } from './rtnetlink/neighbor-schema.js';
export type { NeighAttrs, NdaCacheinfo } from './rtnetlink/neighbor-schema.js';
export { RuleApi, decodeRule, buildRule, ruleMatcher, RULE_ACTIONS } from './rule.js';
export type { Rule, RuleSpec, RuleFilter, RuleAction, PortRange } from './rule.js';
export { FRA, FR_ACT, FIB_RULE, fibRuleUidRange, fibRulePortRange, ruleAttrs, ruleMessage } from './rtnetlink/rule-schema.js';
export type { RuleAttrs, FibRuleUidRange, FibRulePortRange } from './rtnetlink/rule-schema.js';
export { NexthopApi, decodeNexthop } from './nexthop.js';
export type { Nexthop, NexthopSpec, NexthopFilter, NexthopGroupMember, ResilientArgs } from './nexthop.js';
export {
  NHA, NHA_RES_GROUP, NHA_RES_BUCKET, NEXTHOP_GRP_TYPE, nexthopGrp, resGroupAttrs, resBucketAttrs, nexthopAttrs, nexthopMessage,
} from './rtnetlink/nexthop-schema.js';
export type { NexthopAttrs, NexthopGrp, ResGroupAttrs, ResBucketAttrs } from './rtnetlink/nexthop-schema.js';
export {
  RouteApi, RouteDumpStream, buildRouteRequest, deleteRequestFor, nameRoute, routeFilterPredicate, routeDumpRequest,
  ROUTE_OPS, tableId, scopeId, protocolId, routeTypeId, metricsToAttrs, defaultScope, prefixMatch,
  decodeRoute, decodeRouteBySchema, ROUTE_TYPE_NAMES, USER_HZ, hostBits, isCloned,
} from './route.js';
export type {
  Route, RouteTypeName, RouteMetrics, RouteNexthop, RouteEncap, RouteSpec, RouteFilter, RouteQuery, RouteOp,
  RouteMetricsSpec, MetricName, MplsEncapSpec, NexthopSpec as RouteNexthopSpec, TableRef, ScopeRef, ProtocolRef, IfRef,
} from './route.js';
export { decodeRouteInto } from './route-decode.js';
export type { MutableRoute } from './route-decode.js';
export {
  RTA, RTAX, RTAX_FEATURE, RTN, RTPROT, RT_SCOPE, RT_TABLE, RTM_F, RTNH_F, LWTUNNEL_ENCAP, MPLS_IPTUNNEL, ICMPV6_ROUTER_PREF,
  routeAttrs, routeMessage, metricsAttrs, mplsEncapAttrs, nexthopAttrs as routeNexthopAttrs, multipath, rtvia, rtaCacheinfo,
  encapSchemas, decodeEncap, mplsLabels, parseMplsLabels, formatMplsLabels, ENCAP_TYPE_NAMES,
} from './rtnetlink/route-schema.js';
export type { RouteAttrs, MetricsAttrs, NexthopAttrs as RouteNexthopAttrs, RtNexthop, RtVia, RtaCacheinfo } from './rtnetlink/route-schema.js';
export { NetconfApi, netconfDumpRequest, netconfGetRequest, NETCONFA_IFINDEX } from './netconf.js';
export type { NetconfFilter } from './netconf.js';
export { MrouteApi, decodeMroute, decodeMrouteBody, mrouteDumpRequest, mrouteFamily, MROUTE_DEFAULT_TABLE, RTNL_FAMILY } from './mroute.js';
export type { MulticastRoute, MrouteOif, MrouteFilter } from './mroute.js';
export { mrouteMessage, mrouteAttrs, rtaMfcStats } from './rtnetlink/mroute-schema.js';
export type { MrouteAttrs, RtaMfcStats } from './rtnetlink/mroute-schema.js';
export { AddrlabelApi, decodeAddrlabel, addrlabelDumpRequest, IFAL } from './addrlabel.js';
export type { AddressLabel, AddressLabelSpec } from './addrlabel.js';
export { addrlabelMessage, addrlabelAttrs, ifaddrlblmsg } from './rtnetlink/addrlabel-schema.js';
export type { AddrlabelAttrs, IfAddrLblMsg } from './rtnetlink/addrlabel-schema.js';
export { TcpMetrics, decodeTcpMetrics, tcpMetricsKey, TCP_METRICS_CMD, TCP_METRICS_ATTR, TCP_METRIC } from './tcp-metrics.js';
export type { TcpMetricsEntry } from './tcp-metrics.js';
export { L2tp, tunnelCreateAttrs, sessionCreateAttrs, tunnelFromAttrs, sessionFromAttrs } from './l2tp.js';
export type { L2tpEncap, L2tpPwType, L2tpL2specType, L2tpTunnelConfig, L2tpSessionConfig, L2tpStats, L2tpTunnel, L2tpSession, L2tpSessionChanges, L2tpDump } from './l2tp.js';
export { l2tpAttrs, l2tpStatsAttrs, L2TP_CMD, L2TP_ATTR, L2TP_ATTR_STATS, L2TP_PWTYPE, L2TP_L2SPECTYPE, L2TP_ENCAPTYPE, L2TP_GENL_NAME, L2TP_GENL_VERSION } from './l2tp-schema.js';
export type { L2tpAttrs, L2tpStatsAttrs } from './l2tp-schema.js';
export { tcpMetricsAttrs, tcpMetricValAttrs, TCP_METRICS_GENL_NAME, TCP_METRICS_GENL_VERSION } from './tcp-metrics-schema.js';
export type { TcpMetricsAttrs, TcpMetricVals } from './tcp-metrics-schema.js';
export { listNeighborTables, ntableDumpRequest, NDTA, NDTPA } from './ntable.js';
export type { NeighborTable } from './ntable.js';
export { ntableMessage, ntableAttrs, ntableParmsAttrs, ndtConfig, ndtStats, ndtmsg } from './rtnetlink/ntable-schema.js';
export type { NtableAttrs, NtableParms, NdtConfig, NdtStats } from './rtnetlink/ntable-schema.js';
export {
  Xfrm, XfrmStateApi, XfrmPolicyApi, buildState, buildStateId, buildPolicy, buildPolicyId, decodeState, decodePolicy, stateFrom, policyFrom,
  xfrmProtoName, xfrmProtoNumber, xfrmProtoIsIpsec, xfrmProtoIsRo, xfrmAddressText, secCtxOf, xfrmRequest, xfrmDumpRequest, xfrmRawRequest, xfrmDumpLikeRequest,
  XFRM_PROTOS, XFRM_MODES, XFRM_STATE_FLAGS, XFRM_DIRS, XFRM_ENCAP_TYPES, XFRM_GROUPS, decodeXfrmEvent,
} from './xfrm.js';
export type {
  XfrmProto, XfrmModeName, XfrmStateFlag, XfrmDir, XfrmEncapType, XfrmSelectorSpec, XfrmLimits, XfrmMarkSpec, XfrmKeyedAlgoSpec,
  XfrmStateSpec, XfrmStateId, XfrmTmplSpec, XfrmPolicySpec, XfrmPolicyId, XfrmBody, XfrmSelectorInfo, XfrmState, XfrmTmplInfo, XfrmPolicy,
  XfrmStateFilter, XfrmPolicyFilter, XfrmSadInfo, XfrmSpdInfo, XfrmOpenOptions, XfrmGroup, XfrmEvent,
} from './xfrm.js';
export * as xfrmSchema from './xfrm-schema.js';
