/**
 * rip/sockdiag: socket diagnostics over NETLINK_SOCK_DIAG — typed streaming
 * queries (TCP, UDP, UDP-Lite, raw, Unix, packet, netlink, MPTCP, SCTP,
 * DCCP, vsock, XDP, TIPC), ss's filter language compiled to INET_DIAG bytecode, process
 * lookup, SOCK_DESTROY, destruction events and the `ss -s` summary.
 *
 * ```ts
 * import { SockDiag, parseFilter } from 'rip/sockdiag';
 * await using sd = await SockDiag.open({ netns: 'blue' });
 * const ssh = await sd.tcp({ states: ['established'], filter: '( dport = :ssh or sport = :ssh )' }).toArray();
 * ```
 * @module
 */
export { SockDiag, SocketStream, UnsupportedSocketTableError, filterSubject, statesToMask, buildInetRequest, buildUnixRequest, buildPacketRequest, buildNetlinkRequest, buildVsockRequest, buildXdpRequest } from './sockdiag.js';
export type {
  SockDiagOpenOptions, QueryOptions, InetQueryOptions, UnixQueryOptions, PacketQueryOptions, InetProtocol,
  StateSelection, SockDiagEvent,
} from './sockdiag.js';
export * from './types.js';
export { F, evaluate, parsePrefix, fnmatch, describeExpr } from './filter.js';
export type { FilterExpr, HostCond, FilterSubject, PortOp, EvalContext, PortRange } from './filter.js';
export { parseFilter, parseStateWords, stateMask, STATE_GROUPS, FilterParseError, filterFileWords, cgroupIdOf } from './filter-parser.js';
export type { FilterParseContext, ParsedFilter } from './filter-parser.js';
export { compileBytecode, runBytecode } from './bytecode.js';
export type { CompileOptions, BytecodeEntry } from './bytecode.js';
export { SocketFilter } from './builder.js';
export { scanProcesses, startProcessScan, formatOwners, ownersText } from './procs.js';
export type { SocketOwner, ProcScanOptions, OwnerIndex, ProcessScan } from './procs.js';
export { socketSummary, summaryFromNetDir, parseSockstat } from './summary.js';
export type { SocketSummary } from './summary.js';
export { decodeInet, decodeUnix, decodePacket, decodeNetlink, decodeVsock, decodeXdp, skmemOf } from './decode.js';
export { decodeTcpInfo, tcpInfo } from './tcp-info.js';
export type { TcpInfo, TcpInfoRaw } from './tcp-info.js';
export * from './constants.js';
export * as schema from './schema.js';
export { decodeTipc, buildTipcRequest, tipcDiagAttrs, tipcSockAttrs, tipcSockDiagReq, AF_TIPC, TIPC_NLA, TIPC_NLA_SOCK, TIPC_NLA_CON, TIPC_NLA_SOCK_STAT, TIPC_NLA_SOCK_GROUP } from './tipc.js';
export type { TipcSocket, TipcNetid, TipcDiagAttrs } from './tipc.js';
export { Services, llProtoName, nlProtoName, ephemeralRange } from './names.js';
