/**
 * Bonding (`kind: 'bond'`) IFLA_INFO_DATA and bond slave IFLA_INFO_SLAVE_DATA
 * schemas (linux/if_link.h IFLA_BOND_*, IFLA_BOND_SLAVE_*).
 * @module
 */
import { attrs, attr, u8, u16, u32, s32, lladdr, type Infer, type Codec } from '../../codec/schema.js';
import { constants } from '../../constants.js';
import { linkKinds, slaveKinds, type KindData } from '../link-schema.js';
import { in4, in6, zeroIndexed } from './common.js';

const H = ['linux/if_link.h'];

/** IFLA_BOND_* */
export const IFLA_BOND = constants('IFLA_BOND_', H, {
  UNSPEC: 0, MODE: 1, ACTIVE_SLAVE: 2, MIIMON: 3, UPDELAY: 4, DOWNDELAY: 5, USE_CARRIER: 6,
  ARP_INTERVAL: 7, ARP_IP_TARGET: 8, ARP_VALIDATE: 9, ARP_ALL_TARGETS: 10, PRIMARY: 11,
  PRIMARY_RESELECT: 12, FAIL_OVER_MAC: 13, XMIT_HASH_POLICY: 14, RESEND_IGMP: 15, NUM_PEER_NOTIF: 16,
  ALL_SLAVES_ACTIVE: 17, MIN_LINKS: 18, LP_INTERVAL: 19, PACKETS_PER_SLAVE: 20, AD_LACP_RATE: 21,
  AD_SELECT: 22, AD_INFO: 23, AD_ACTOR_SYS_PRIO: 24, AD_USER_PORT_KEY: 25, AD_ACTOR_SYSTEM: 26,
  TLB_DYNAMIC_LB: 27, PEER_NOTIF_DELAY: 28, AD_LACP_ACTIVE: 29, MISSED_MAX: 30, NS_IP6_TARGET: 31,
});

/** IFLA_BOND_AD_INFO_* */
export const IFLA_BOND_AD_INFO = constants('IFLA_BOND_AD_INFO_', H, {
  UNSPEC: 0, AGGREGATOR: 1, NUM_PORTS: 2, ACTOR_KEY: 3, PARTNER_KEY: 4, PARTNER_MAC: 5,
});

/** IFLA_BOND_SLAVE_* */
export const IFLA_BOND_SLAVE = constants('IFLA_BOND_SLAVE_', H, {
  UNSPEC: 0, STATE: 1, MII_STATUS: 2, LINK_FAILURE_COUNT: 3, PERM_HWADDR: 4, QUEUE_ID: 5,
  AD_AGGREGATOR_ID: 6, AD_ACTOR_OPER_PORT_STATE: 7, AD_PARTNER_OPER_PORT_STATE: 8, PRIO: 9,
});

/** Bonding modes by name, in kernel order (BOND_MODE_*). */
export const BOND_MODES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'] as const;
/** arp_validate names by value. */
export const BOND_ARP_VALIDATE = ['none', 'active', 'backup', 'all', 'filter', 'filter_active', 'filter_backup'] as const;
/** arp_all_targets names by value. */
export const BOND_ARP_ALL_TARGETS = ['any', 'all'] as const;
/** primary_reselect names by value. */
export const BOND_PRIMARY_RESELECT = ['always', 'better', 'failure'] as const;
/** fail_over_mac names by value. */
export const BOND_FAIL_OVER_MAC = ['none', 'active', 'follow'] as const;
/** xmit_hash_policy names by value. */
export const BOND_XMIT_HASH_POLICY = ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac'] as const;
/** lacp_active names by value. */
export const BOND_LACP_ACTIVE = ['off', 'on'] as const;
/** lacp_rate names by value. */
export const BOND_LACP_RATE = ['slow', 'fast'] as const;
/** ad_select names by value. */
export const BOND_AD_SELECT = ['stable', 'bandwidth', 'count'] as const;

/** IFLA_BOND_AD_INFO nest. */
export const bondAdInfo = attrs('IFLA_BOND_AD_INFO', {
  aggregator: attr(IFLA_BOND_AD_INFO.AGGREGATOR, u16),
  num_ports: attr(IFLA_BOND_AD_INFO.NUM_PORTS, u16),
  actor_key: attr(IFLA_BOND_AD_INFO.ACTOR_KEY, u16),
  partner_key: attr(IFLA_BOND_AD_INFO.PARTNER_KEY, u16),
  partner_mac: attr(IFLA_BOND_AD_INFO.PARTNER_MAC, lladdr),
});

/** IFLA_INFO_DATA of a bond. Enumerations are numbers; see the BOND_* name tables. */
export const bondData = attrs('bond', {
  mode: attr(IFLA_BOND.MODE, u8),
  active_slave: attr(IFLA_BOND.ACTIVE_SLAVE, u32),
  miimon: attr(IFLA_BOND.MIIMON, u32),
  updelay: attr(IFLA_BOND.UPDELAY, u32),
  downdelay: attr(IFLA_BOND.DOWNDELAY, u32),
  use_carrier: attr(IFLA_BOND.USE_CARRIER, u8),
  arp_interval: attr(IFLA_BOND.ARP_INTERVAL, u32),
  arp_ip_target: attr(IFLA_BOND.ARP_IP_TARGET, zeroIndexed('IFLA_BOND_ARP_IP_TARGET', in4)),
  arp_validate: attr(IFLA_BOND.ARP_VALIDATE, u32),
  arp_all_targets: attr(IFLA_BOND.ARP_ALL_TARGETS, u32),
  primary: attr(IFLA_BOND.PRIMARY, u32),
  primary_reselect: attr(IFLA_BOND.PRIMARY_RESELECT, u8),
  fail_over_mac: attr(IFLA_BOND.FAIL_OVER_MAC, u8),
  xmit_hash_policy: attr(IFLA_BOND.XMIT_HASH_POLICY, u8),
  resend_igmp: attr(IFLA_BOND.RESEND_IGMP, u32),
  num_peer_notif: attr(IFLA_BOND.NUM_PEER_NOTIF, u8),
  all_slaves_active: attr(IFLA_BOND.ALL_SLAVES_ACTIVE, u8),
  min_links: attr(IFLA_BOND.MIN_LINKS, u32),
  lp_interval: attr(IFLA_BOND.LP_INTERVAL, u32),
  packets_per_slave: attr(IFLA_BOND.PACKETS_PER_SLAVE, u32),
  ad_lacp_rate: attr(IFLA_BOND.AD_LACP_RATE, u8),
  ad_select: attr(IFLA_BOND.AD_SELECT, u8),
  ad_info: attr(IFLA_BOND.AD_INFO, bondAdInfo),
  ad_actor_sys_prio: attr(IFLA_BOND.AD_ACTOR_SYS_PRIO, u16),
  ad_user_port_key: attr(IFLA_BOND.AD_USER_PORT_KEY, u16),
  ad_actor_system: attr(IFLA_BOND.AD_ACTOR_SYSTEM, lladdr),
  tlb_dynamic_lb: attr(IFLA_BOND.TLB_DYNAMIC_LB, u8),
  peer_notif_delay: attr(IFLA_BOND.PEER_NOTIF_DELAY, u32),
  ad_lacp_active: attr(IFLA_BOND.AD_LACP_ACTIVE, u8),
  missed_max: attr(IFLA_BOND.MISSED_MAX, u8),
  ns_ip6_target: attr(IFLA_BOND.NS_IP6_TARGET, zeroIndexed('IFLA_BOND_NS_IP6_TARGET', in6)),
});
/** Bond attributes. */
export type BondData = Infer<typeof bondData>;

/** IFLA_INFO_SLAVE_DATA of a bond port. */
export const bondSlaveData = attrs('bond_slave', {
  state: attr(IFLA_BOND_SLAVE.STATE, u8),
  mii_status: attr(IFLA_BOND_SLAVE.MII_STATUS, u8),
  link_failure_count: attr(IFLA_BOND_SLAVE.LINK_FAILURE_COUNT, u32),
  perm_hwaddr: attr(IFLA_BOND_SLAVE.PERM_HWADDR, lladdr),
  queue_id: attr(IFLA_BOND_SLAVE.QUEUE_ID, u16),
  ad_aggregator_id: attr(IFLA_BOND_SLAVE.AD_AGGREGATOR_ID, u16),
  ad_actor_oper_port_state: attr(IFLA_BOND_SLAVE.AD_ACTOR_OPER_PORT_STATE, u8),
  ad_partner_oper_port_state: attr(IFLA_BOND_SLAVE.AD_PARTNER_OPER_PORT_STATE, u16),
  prio: attr(IFLA_BOND_SLAVE.PRIO, s32),
});
/** Bond port attributes. */
export type BondSlaveData = Infer<typeof bondSlaveData>;

linkKinds.set('bond', bondData as Codec<KindData>);
slaveKinds.set('bond', bondSlaveData as Codec<KindData>);
