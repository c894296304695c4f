/**
 * Kernel constants, each defined once. Every group registered here is checked
 * against the UAPI headers in /usr/include by test/unit/constants.test.ts,
 * which compiles a C program that prints the header values.
 * @module
 */

/** A registered group of constants named `prefix + key` in the header(s). */
export interface ConstantGroup {
  readonly prefix: string;
  readonly headers: readonly string[];
  readonly values: Readonly<Record<string, number>>;
}

/** Every group defined with {@link constants}, for the header check. */
export const CONSTANT_GROUPS: ConstantGroup[] = [];

/**
 * Define a group of constants whose C names are `prefix + key`, declared in
 * `headers` (e.g. `linux/rtnetlink.h`).
 */
export function constants<const T extends Record<string, number>>(prefix: string, headers: readonly string[], values: T): T {
  CONSTANT_GROUPS.push({ prefix, headers, values });
  return Object.freeze(values);
}

const NL = ['linux/netlink.h'];
const RT = ['linux/rtnetlink.h'];

/** Netlink protocols (socket(AF_NETLINK, SOCK_RAW, protocol)). */
export const NETLINK = constants('NETLINK_', NL, {
  ROUTE: 0, SOCK_DIAG: 4, XFRM: 6, GENERIC: 16,
  // socket options at SOL_NETLINK
  ADD_MEMBERSHIP: 1, DROP_MEMBERSHIP: 2, PKTINFO: 3, BROADCAST_ERROR: 4, NO_ENOBUFS: 5,
  LISTEN_ALL_NSID: 8, LIST_MEMBERSHIPS: 9, CAP_ACK: 10, EXT_ACK: 11, GET_STRICT_CHK: 12,
});

/** Control message types. */
export const NLMSG = constants('NLMSG_', NL, { NOOP: 1, ERROR: 2, DONE: 3, OVERRUN: 4, MIN_TYPE: 0x10 });

/** nlmsghdr flags. */
export const NLM_F = constants('NLM_F_', NL, {
  REQUEST: 0x01, MULTI: 0x02, ACK: 0x04, ECHO: 0x08, DUMP_INTR: 0x10, DUMP_FILTERED: 0x20,
  ROOT: 0x100, MATCH: 0x200, ATOMIC: 0x400, DUMP: 0x300,
  REPLACE: 0x100, EXCL: 0x200, CREATE: 0x400, APPEND: 0x800,
  NONREC: 0x100, BULK: 0x200,
  CAPPED: 0x100, ACK_TLVS: 0x200,
});

/** Extended ACK TLVs carried after nlmsgerr. */
export const NLMSGERR_ATTR = constants('NLMSGERR_ATTR_', NL, {
  UNUSED: 0, MSG: 1, OFFS: 2, COOKIE: 3, POLICY: 4, MISS_TYPE: 5, MISS_NEST: 6,
});

/** SOL_NETLINK level for setsockopt. */
export const SOL_NETLINK = 270;

/** rtnetlink message types. */
export const RTM = constants('RTM_', RT, {
  NEWLINK: 16, DELLINK: 17, GETLINK: 18, SETLINK: 19,
  NEWADDR: 20, DELADDR: 21, GETADDR: 22,
  NEWROUTE: 24, DELROUTE: 25, GETROUTE: 26,
  NEWNEIGH: 28, DELNEIGH: 29, GETNEIGH: 30,
  NEWRULE: 32, DELRULE: 33, GETRULE: 34,
  NEWQDISC: 36, DELQDISC: 37, GETQDISC: 38,
  NEWTCLASS: 40, DELTCLASS: 41, GETTCLASS: 42,
  NEWTFILTER: 44, DELTFILTER: 45, GETTFILTER: 46,
  NEWACTION: 48, DELACTION: 49, GETACTION: 50,
  NEWPREFIX: 52, GETMULTICAST: 58, GETANYCAST: 62,
  NEWNEIGHTBL: 64, GETNEIGHTBL: 66, SETNEIGHTBL: 67,
  NEWNDUSEROPT: 68, NEWADDRLABEL: 72, DELADDRLABEL: 73, GETADDRLABEL: 74,
  GETDCB: 78, SETDCB: 79,
  NEWNETCONF: 80, DELNETCONF: 81, GETNETCONF: 82,
  NEWMDB: 84, DELMDB: 85, GETMDB: 86,
  NEWNSID: 88, DELNSID: 89, GETNSID: 90,
  NEWSTATS: 92, GETSTATS: 94,
  NEWCACHEREPORT: 96,
  NEWCHAIN: 100, DELCHAIN: 101, GETCHAIN: 102,
  NEWNEXTHOP: 104, DELNEXTHOP: 105, GETNEXTHOP: 106,
  NEWLINKPROP: 108, DELLINKPROP: 109, GETLINKPROP: 110,
  NEWVLAN: 112, DELVLAN: 113, GETVLAN: 114,
  NEWNEXTHOPBUCKET: 116, DELNEXTHOPBUCKET: 117, GETNEXTHOPBUCKET: 118,
  NEWTUNNEL: 120, DELTUNNEL: 121, GETTUNNEL: 122,
});

/** rtnetlink multicast groups (bind/NETLINK_ADD_MEMBERSHIP numbers). */
export const RTNLGRP = constants('RTNLGRP_', RT, {
  NONE: 0, LINK: 1, NOTIFY: 2, NEIGH: 3, TC: 4, IPV4_IFADDR: 5, IPV4_MROUTE: 6, IPV4_ROUTE: 7,
  IPV4_RULE: 8, IPV6_IFADDR: 9, IPV6_MROUTE: 10, IPV6_ROUTE: 11, IPV6_IFINFO: 12,
  DECnet_IFADDR: 13, DECnet_ROUTE: 15, DECnet_RULE: 16, IPV6_PREFIX: 18, IPV6_RULE: 19,
  ND_USEROPT: 20, PHONET_IFADDR: 21, PHONET_ROUTE: 22, DCB: 23, IPV4_NETCONF: 24,
  IPV6_NETCONF: 25, MDB: 26, MPLS_ROUTE: 27, NSID: 28, MPLS_NETCONF: 29,
  IPV4_MROUTE_R: 30, IPV6_MROUTE_R: 31, NEXTHOP: 32, BRVLAN: 33, MCTP_IFADDR: 34,
  TUNNEL: 35, STATS: 36,
});

/** Address families. */
export const AF = constants('AF_', ['sys/socket.h'], {
  UNSPEC: 0, UNIX: 1, INET: 2, BRIDGE: 7, INET6: 10, NETLINK: 16, PACKET: 17, MPLS: 28,
  CAN: 29, TIPC: 30, VSOCK: 40, XDP: 44, MCTP: 45,
});

/** Generic netlink controller. */
export const GENL_ID = constants('GENL_ID_', ['linux/genetlink.h'], { CTRL: 0x10 });
export const CTRL_CMD = constants('CTRL_CMD_', ['linux/genetlink.h'], {
  UNSPEC: 0, NEWFAMILY: 1, DELFAMILY: 2, GETFAMILY: 3, NEWOPS: 4, DELOPS: 5, GETOPS: 6,
  NEWMCAST_GRP: 7, DELMCAST_GRP: 8, GETMCAST_GRP: 9, GETPOLICY: 10,
});
export const CTRL_ATTR = constants('CTRL_ATTR_', ['linux/genetlink.h'], {
  UNSPEC: 0, FAMILY_ID: 1, FAMILY_NAME: 2, VERSION: 3, HDRSIZE: 4, MAXATTR: 5, OPS: 6, MCAST_GROUPS: 7,
});
export const CTRL_ATTR_MCAST_GRP = constants('CTRL_ATTR_MCAST_GRP_', ['linux/genetlink.h'], {
  UNSPEC: 0, NAME: 1, ID: 2,
});
