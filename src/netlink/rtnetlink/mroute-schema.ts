/**
 * Multicast route messages: RTM_*ROUTE of family RTNL_FAMILY_IPMR/IP6MR
 * (struct rtmsg + the RTA_* attributes ipmr/ip6mr report).
 * @module
 */
import { attrs, attr, u32, u64, ipaddr, bytes, struct, message, type Infer } from '../codec/schema.js';
import { constants } from '../constants.js';
import { rtmsg } from '../structs.js';

/** RTNL_FAMILY_* (linux/rtnetlink.h): the rtm_family of multicast routing messages. */
export const RTNL_FAMILY = constants('RTNL_FAMILY_', ['linux/rtnetlink.h'], { IPMR: 128, IP6MR: 129, MAX: 129 });

/** struct rta_mfc_stats */
export const rtaMfcStats = struct('rta_mfc_stats', { packets: u64, bytes: u64, wrong_if: u64 });
export type RtaMfcStats = Infer<typeof rtaMfcStats>;

/** The RTA_* attributes of a multicast route (numbers as in route-schema's RTA). */
export const mrouteAttrs = attrs('RTA', {
  dst: attr(1, ipaddr),
  src: attr(2, ipaddr),
  iif: attr(3, u32),
  /** struct rtnexthop entries: the outgoing interfaces with their TTL thresholds. */
  multipath: attr(9, bytes),
  table: attr(15, u32),
  mfc_stats: attr(17, rtaMfcStats),
  /** Age of the entry in clock ticks (USER_HZ). */
  expires: attr(23, u64),
});
export type MrouteAttrs = Infer<typeof mrouteAttrs>;

/** A whole multicast route message body (also the RTM_GETROUTE dump request). */
export const mrouteMessage = message('rtmsg', rtmsg, mrouteAttrs);
