/**
 * RTM_*RULE message schema (linux/fib_rules.h): fib_rule_hdr + FRA_* attributes.
 * @module
 */
import { attrs, attr, u8, u16, u32, s32, be64, cstring, ipaddr, struct, message, type Infer } from '../codec/schema.js';
import { constants } from '../constants.js';
import { fibRuleHdr } from '../structs.js';

const H = ['linux/fib_rules.h'];

/** FRA_* rule attributes. */
export const FRA = constants('FRA_', H, {
  UNSPEC: 0, DST: 1, SRC: 2, IIFNAME: 3, IFNAME: 3, GOTO: 4, PRIORITY: 6, FWMARK: 10, FLOW: 11,
  TUN_ID: 12, SUPPRESS_IFGROUP: 13, SUPPRESS_PREFIXLEN: 14, TABLE: 15, FWMASK: 16, OIFNAME: 17,
  PAD: 18, L3MDEV: 19, UID_RANGE: 20, PROTOCOL: 21, IP_PROTO: 22, SPORT_RANGE: 23, DPORT_RANGE: 24,
});

/** fib_rule_hdr.action values. */
export const FR_ACT = constants('FR_ACT_', H, {
  UNSPEC: 0, TO_TBL: 1, GOTO: 2, NOP: 3, RES3: 4, RES4: 5, BLACKHOLE: 6, UNREACHABLE: 7, PROHIBIT: 8,
});

/** fib_rule_hdr.flags bits. */
export const FIB_RULE = constants('FIB_RULE_', H, {
  PERMANENT: 0x1, INVERT: 0x2, UNRESOLVED: 0x4, IIF_DETACHED: 0x8, DEV_DETACHED: 0x8,
  OIF_DETACHED: 0x10, FIND_SADDR: 0x10000,
});

/** struct fib_rule_uid_range */
export const fibRuleUidRange = struct('fib_rule_uid_range', { start: u32, end: u32 });
export type FibRuleUidRange = Infer<typeof fibRuleUidRange>;

/** struct fib_rule_port_range (host byte order) */
export const fibRulePortRange = struct('fib_rule_port_range', { start: u16, end: u16 });
export type FibRulePortRange = Infer<typeof fibRulePortRange>;

/**
 * FRA_* attribute set. Type 5 (FRA_UNUSED2, historically RTA_GATEWAY for
 * route NAT) is declared as `gateway` because `ip rule add nat ADDR` still sends it.
 */
export const ruleAttrs = attrs('FRA', {
  dst: attr(FRA.DST, ipaddr),
  src: attr(FRA.SRC, ipaddr),
  iifname: attr(FRA.IIFNAME, cstring),
  goto: attr(FRA.GOTO, u32),
  gateway: attr(5, ipaddr),
  priority: attr(FRA.PRIORITY, u32),
  fwmark: attr(FRA.FWMARK, u32),
  flow: attr(FRA.FLOW, u32),
  tun_id: attr(FRA.TUN_ID, be64),
  suppress_ifgroup: attr(FRA.SUPPRESS_IFGROUP, s32),
  suppress_prefixlen: attr(FRA.SUPPRESS_PREFIXLEN, s32),
  table: attr(FRA.TABLE, u32),
  fwmask: attr(FRA.FWMASK, u32),
  oifname: attr(FRA.OIFNAME, cstring),
  l3mdev: attr(FRA.L3MDEV, u8),
  uid_range: attr(FRA.UID_RANGE, fibRuleUidRange),
  protocol: attr(FRA.PROTOCOL, u8),
  ip_proto: attr(FRA.IP_PROTO, u8),
  sport_range: attr(FRA.SPORT_RANGE, fibRulePortRange),
  dport_range: attr(FRA.DPORT_RANGE, fibRulePortRange),
});
export type RuleAttrs = Infer<typeof ruleAttrs>;

/** A whole RTM_*RULE body. */
export const ruleMessage = message('fib_rule_hdr', fibRuleHdr, ruleAttrs);
