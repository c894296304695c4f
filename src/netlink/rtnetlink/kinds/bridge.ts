/**
 * Bridge (`kind: 'bridge'`) IFLA_INFO_DATA and bridge port (`slave_kind:
 * 'bridge'`) IFLA_INFO_SLAVE_DATA schemas (linux/if_link.h IFLA_BR_*, IFLA_BRPORT_*).
 * @module
 */
import { attrs, attr, u8, u16, u32, u64, be16, flag, lladdr, bytes, struct, fixedBytes, type Infer, type Codec } from '../../codec/schema.js';
import { constants } from '../../constants.js';
import { linkKinds, slaveKinds, type KindData } from '../link-schema.js';

const H = ['linux/if_link.h'];

/** IFLA_BR_* */
export const IFLA_BR = constants('IFLA_BR_', H, {
  UNSPEC: 0, FORWARD_DELAY: 1, HELLO_TIME: 2, MAX_AGE: 3, AGEING_TIME: 4, STP_STATE: 5, PRIORITY: 6,
  VLAN_FILTERING: 7, VLAN_PROTOCOL: 8, GROUP_FWD_MASK: 9, ROOT_ID: 10, BRIDGE_ID: 11, ROOT_PORT: 12,
  ROOT_PATH_COST: 13, TOPOLOGY_CHANGE: 14, TOPOLOGY_CHANGE_DETECTED: 15, HELLO_TIMER: 16, TCN_TIMER: 17,
  TOPOLOGY_CHANGE_TIMER: 18, GC_TIMER: 19, GROUP_ADDR: 20, FDB_FLUSH: 21, MCAST_ROUTER: 22,
  MCAST_SNOOPING: 23, MCAST_QUERY_USE_IFADDR: 24, MCAST_QUERIER: 25, MCAST_HASH_ELASTICITY: 26,
  MCAST_HASH_MAX: 27, MCAST_LAST_MEMBER_CNT: 28, MCAST_STARTUP_QUERY_CNT: 29, MCAST_LAST_MEMBER_INTVL: 30,
  MCAST_MEMBERSHIP_INTVL: 31, MCAST_QUERIER_INTVL: 32, MCAST_QUERY_INTVL: 33, MCAST_QUERY_RESPONSE_INTVL: 34,
  MCAST_STARTUP_QUERY_INTVL: 35, NF_CALL_IPTABLES: 36, NF_CALL_IP6TABLES: 37, NF_CALL_ARPTABLES: 38,
  VLAN_DEFAULT_PVID: 39, PAD: 40, VLAN_STATS_ENABLED: 41, MCAST_STATS_ENABLED: 42, MCAST_IGMP_VERSION: 43,
  MCAST_MLD_VERSION: 44, VLAN_STATS_PER_PORT: 45, MULTI_BOOLOPT: 46, MCAST_QUERIER_STATE: 47,
});

/** IFLA_BRPORT_* */
export const IFLA_BRPORT = constants('IFLA_BRPORT_', H, {
  UNSPEC: 0, STATE: 1, PRIORITY: 2, COST: 3, MODE: 4, GUARD: 5, PROTECT: 6, FAST_LEAVE: 7, LEARNING: 8,
  UNICAST_FLOOD: 9, PROXYARP: 10, LEARNING_SYNC: 11, PROXYARP_WIFI: 12, ROOT_ID: 13, BRIDGE_ID: 14,
  DESIGNATED_PORT: 15, DESIGNATED_COST: 16, ID: 17, NO: 18, TOPOLOGY_CHANGE_ACK: 19, CONFIG_PENDING: 20,
  MESSAGE_AGE_TIMER: 21, FORWARD_DELAY_TIMER: 22, HOLD_TIMER: 23, FLUSH: 24, MULTICAST_ROUTER: 25, PAD: 26,
  MCAST_FLOOD: 27, MCAST_TO_UCAST: 28, VLAN_TUNNEL: 29, BCAST_FLOOD: 30, GROUP_FWD_MASK: 31,
  NEIGH_SUPPRESS: 32, ISOLATED: 33, BACKUP_PORT: 34, MRP_RING_OPEN: 35, MRP_IN_OPEN: 36,
  MCAST_EHT_HOSTS_LIMIT: 37, MCAST_EHT_HOSTS_CNT: 38, LOCKED: 39,
});

/** BR_BOOLOPT_* bit numbers for IFLA_BR_MULTI_BOOLOPT (linux/if_bridge.h). */
export const BR_BOOLOPT = constants('BR_BOOLOPT_', ['linux/if_bridge.h'], {
  NO_LL_LEARN: 0, MCAST_VLAN_SNOOPING: 1,
});

/** struct ifla_bridge_id: 2 priority bytes and a MAC address. */
export const bridgeId = struct('ifla_bridge_id', { prio: fixedBytes(2), addr: fixedBytes(6) });
/** struct br_boolopt_multi */
export const brBoolopt = struct('br_boolopt_multi', { optval: u32, optmask: u32 });

/** IFLA_INFO_DATA of a bridge. Times are in centiseconds (USER_HZ) as the kernel takes them. */
export const bridgeData = attrs('bridge', {
  forward_delay: attr(IFLA_BR.FORWARD_DELAY, u32),
  hello_time: attr(IFLA_BR.HELLO_TIME, u32),
  max_age: attr(IFLA_BR.MAX_AGE, u32),
  ageing_time: attr(IFLA_BR.AGEING_TIME, u32),
  stp_state: attr(IFLA_BR.STP_STATE, u32),
  priority: attr(IFLA_BR.PRIORITY, u16),
  vlan_filtering: attr(IFLA_BR.VLAN_FILTERING, u8),
  /** Ethertype in host order (0x8100 for 802.1Q, 0x88a8 for 802.1ad); big-endian on the wire. */
  vlan_protocol: attr(IFLA_BR.VLAN_PROTOCOL, be16),
  group_fwd_mask: attr(IFLA_BR.GROUP_FWD_MASK, u16),
  root_id: attr(IFLA_BR.ROOT_ID, bridgeId),
  bridge_id: attr(IFLA_BR.BRIDGE_ID, bridgeId),
  root_port: attr(IFLA_BR.ROOT_PORT, u16),
  root_path_cost: attr(IFLA_BR.ROOT_PATH_COST, u32),
  topology_change: attr(IFLA_BR.TOPOLOGY_CHANGE, u8),
  topology_change_detected: attr(IFLA_BR.TOPOLOGY_CHANGE_DETECTED, u8),
  hello_timer: attr(IFLA_BR.HELLO_TIMER, u64),
  tcn_timer: attr(IFLA_BR.TCN_TIMER, u64),
  topology_change_timer: attr(IFLA_BR.TOPOLOGY_CHANGE_TIMER, u64),
  gc_timer: attr(IFLA_BR.GC_TIMER, u64),
  group_addr: attr(IFLA_BR.GROUP_ADDR, lladdr),
  fdb_flush: attr(IFLA_BR.FDB_FLUSH, flag),
  mcast_router: attr(IFLA_BR.MCAST_ROUTER, u8),
  mcast_snooping: attr(IFLA_BR.MCAST_SNOOPING, u8),
  mcast_query_use_ifaddr: attr(IFLA_BR.MCAST_QUERY_USE_IFADDR, u8),
  mcast_querier: attr(IFLA_BR.MCAST_QUERIER, u8),
  mcast_hash_elasticity: attr(IFLA_BR.MCAST_HASH_ELASTICITY, u32),
  mcast_hash_max: attr(IFLA_BR.MCAST_HASH_MAX, u32),
  mcast_last_member_cnt: attr(IFLA_BR.MCAST_LAST_MEMBER_CNT, u32),
  mcast_startup_query_cnt: attr(IFLA_BR.MCAST_STARTUP_QUERY_CNT, u32),
  mcast_last_member_intvl: attr(IFLA_BR.MCAST_LAST_MEMBER_INTVL, u64),
  mcast_membership_intvl: attr(IFLA_BR.MCAST_MEMBERSHIP_INTVL, u64),
  mcast_querier_intvl: attr(IFLA_BR.MCAST_QUERIER_INTVL, u64),
  mcast_query_intvl: attr(IFLA_BR.MCAST_QUERY_INTVL, u64),
  mcast_query_response_intvl: attr(IFLA_BR.MCAST_QUERY_RESPONSE_INTVL, u64),
  mcast_startup_query_intvl: attr(IFLA_BR.MCAST_STARTUP_QUERY_INTVL, u64),
  nf_call_iptables: attr(IFLA_BR.NF_CALL_IPTABLES, u8),
  nf_call_ip6tables: attr(IFLA_BR.NF_CALL_IP6TABLES, u8),
  nf_call_arptables: attr(IFLA_BR.NF_CALL_ARPTABLES, u8),
  vlan_default_pvid: attr(IFLA_BR.VLAN_DEFAULT_PVID, u16),
  vlan_stats_enabled: attr(IFLA_BR.VLAN_STATS_ENABLED, u8),
  mcast_stats_enabled: attr(IFLA_BR.MCAST_STATS_ENABLED, u8),
  mcast_igmp_version: attr(IFLA_BR.MCAST_IGMP_VERSION, u8),
  mcast_mld_version: attr(IFLA_BR.MCAST_MLD_VERSION, u8),
  vlan_stats_per_port: attr(IFLA_BR.VLAN_STATS_PER_PORT, u8),
  multi_boolopt: attr(IFLA_BR.MULTI_BOOLOPT, brBoolopt),
  mcast_querier_state: attr(IFLA_BR.MCAST_QUERIER_STATE, bytes),
});
/** Bridge attributes (decoded, or options for `add`/`set`). */
export type BridgeData = Infer<typeof bridgeData>;

/** IFLA_INFO_SLAVE_DATA of a bridge port. */
export const bridgeSlaveData = attrs('bridge_slave', {
  state: attr(IFLA_BRPORT.STATE, u8),
  priority: attr(IFLA_BRPORT.PRIORITY, u16),
  cost: attr(IFLA_BRPORT.COST, u32),
  mode: attr(IFLA_BRPORT.MODE, u8),
  guard: attr(IFLA_BRPORT.GUARD, u8),
  protect: attr(IFLA_BRPORT.PROTECT, u8),
  fast_leave: attr(IFLA_BRPORT.FAST_LEAVE, u8),
  learning: attr(IFLA_BRPORT.LEARNING, u8),
  unicast_flood: attr(IFLA_BRPORT.UNICAST_FLOOD, u8),
  proxyarp: attr(IFLA_BRPORT.PROXYARP, u8),
  learning_sync: attr(IFLA_BRPORT.LEARNING_SYNC, u8),
  proxyarp_wifi: attr(IFLA_BRPORT.PROXYARP_WIFI, u8),
  root_id: attr(IFLA_BRPORT.ROOT_ID, bridgeId),
  bridge_id: attr(IFLA_BRPORT.BRIDGE_ID, bridgeId),
  designated_port: attr(IFLA_BRPORT.DESIGNATED_PORT, u16),
  designated_cost: attr(IFLA_BRPORT.DESIGNATED_COST, u16),
  id: attr(IFLA_BRPORT.ID, u16),
  no: attr(IFLA_BRPORT.NO, u16),
  topology_change_ack: attr(IFLA_BRPORT.TOPOLOGY_CHANGE_ACK, u8),
  config_pending: attr(IFLA_BRPORT.CONFIG_PENDING, u8),
  message_age_timer: attr(IFLA_BRPORT.MESSAGE_AGE_TIMER, u64),
  forward_delay_timer: attr(IFLA_BRPORT.FORWARD_DELAY_TIMER, u64),
  hold_timer: attr(IFLA_BRPORT.HOLD_TIMER, u64),
  flush: attr(IFLA_BRPORT.FLUSH, flag),
  multicast_router: attr(IFLA_BRPORT.MULTICAST_ROUTER, u8),
  mcast_flood: attr(IFLA_BRPORT.MCAST_FLOOD, u8),
  mcast_to_ucast: attr(IFLA_BRPORT.MCAST_TO_UCAST, u8),
  vlan_tunnel: attr(IFLA_BRPORT.VLAN_TUNNEL, u8),
  bcast_flood: attr(IFLA_BRPORT.BCAST_FLOOD, u8),
  group_fwd_mask: attr(IFLA_BRPORT.GROUP_FWD_MASK, u16),
  neigh_suppress: attr(IFLA_BRPORT.NEIGH_SUPPRESS, u8),
  isolated: attr(IFLA_BRPORT.ISOLATED, u8),
  backup_port: attr(IFLA_BRPORT.BACKUP_PORT, u32),
  mrp_ring_open: attr(IFLA_BRPORT.MRP_RING_OPEN, u8),
  mrp_in_open: attr(IFLA_BRPORT.MRP_IN_OPEN, u8),
  mcast_eht_hosts_limit: attr(IFLA_BRPORT.MCAST_EHT_HOSTS_LIMIT, u32),
  mcast_eht_hosts_cnt: attr(IFLA_BRPORT.MCAST_EHT_HOSTS_CNT, u32),
  locked: attr(IFLA_BRPORT.LOCKED, u8),
});
/** Bridge port attributes. */
export type BridgeSlaveData = Infer<typeof bridgeSlaveData>;

linkKinds.set('bridge', bridgeData as Codec<KindData>);
slaveKinds.set('bridge', bridgeSlaveData as Codec<KindData>);
