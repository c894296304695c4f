/**
 * `ip link … type bridge …` (iproute2 ip/iplink_bridge.c).
 * @module
 */
import { CliError, invarg, matches } from '../../common/args.js';
import { ANY, type Printer } from '../../../output/printer.js';
import { BR_BOOLOPT } from '../../../netlink/rtnetlink/kinds/bridge.js';
import { USAGE_BRIDGE } from './usage.js';
import { bridgeIdText, printTimer } from './bridge-id.js';
import { getU8, getU16, getU32, getU64, llAddrA2n, llProtoId, llProtoName, nextArg, type KindCli, type KindAttrs } from './util.js';

type Num = 'u8' | 'u16' | 'u32' | 'u64';
/** keyword, attribute, width; in iproute2's matching order. */
const NUMERIC: ReadonlyArray<readonly [string, string, Num]> = [
  ['forward_delay', 'forward_delay', 'u32'], ['hello_time', 'hello_time', 'u32'], ['max_age', 'max_age', 'u32'],
  ['ageing_time', 'ageing_time', 'u32'], ['stp_state', 'stp_state', 'u32'], ['priority', 'priority', 'u16'],
  ['vlan_filtering', 'vlan_filtering', 'u8'],
];
const NUMERIC2: ReadonlyArray<readonly [string, string, Num]> = [
  ['vlan_default_pvid', 'vlan_default_pvid', 'u16'], ['vlan_stats_enabled', 'vlan_stats_enabled', 'u8'],
  ['vlan_stats_per_port', 'vlan_stats_per_port', 'u8'], ['mcast_router', 'mcast_router', 'u8'],
  ['mcast_snooping', 'mcast_snooping', 'u8'],
];
const NUMERIC3: ReadonlyArray<readonly [string, string, Num]> = [
  ['mcast_query_use_ifaddr', 'mcast_query_use_ifaddr', 'u8'], ['mcast_querier', 'mcast_querier', 'u8'],
  ['mcast_hash_elasticity', 'mcast_hash_elasticity', 'u32'], ['mcast_hash_max', 'mcast_hash_max', 'u32'],
  ['mcast_last_member_count', 'mcast_last_member_cnt', 'u32'], ['mcast_startup_query_count', 'mcast_startup_query_cnt', 'u32'],
  ['mcast_last_member_interval', 'mcast_last_member_intvl', 'u64'], ['mcast_membership_interval', 'mcast_membership_intvl', 'u64'],
  ['mcast_querier_interval', 'mcast_querier_intvl', 'u64'], ['mcast_query_interval', 'mcast_query_intvl', 'u64'],
  ['mcast_query_response_interval', 'mcast_query_response_intvl', 'u64'], ['mcast_startup_query_interval', 'mcast_startup_query_intvl', 'u64'],
  ['mcast_stats_enabled', 'mcast_stats_enabled', 'u8'], ['mcast_igmp_version', 'mcast_igmp_version', 'u8'],
  ['mcast_mld_version', 'mcast_mld_version', 'u8'], ['nf_call_iptables', 'nf_call_iptables', 'u8'],
  ['nf_call_ip6tables', 'nf_call_ip6tables', 'u8'], ['nf_call_arptables', 'nf_call_arptables', 'u8'],
];

function num(width: Num, arg: string): number | bigint | undefined {
  switch (width) {
    case 'u8': return getU8(arg);
    case 'u16': return getU16(arg);
    case 'u32': return getU32(arg);
    case 'u64': return getU64(arg);
  }
}

function explain(prefix = ''): never {
  throw new CliError(prefix + USAGE_BRIDGE.replace(/\n$/, ''), 1);
}

function tryTable(table: ReadonlyArray<readonly [string, string, Num]>, args: string[], i: number, out: Record<string, unknown>): boolean {
  const a = args[i]!;
  for (const [kw, key, width] of table) {
    if (!matches(a, kw)) continue;
    const v = nextArg(args, i);
    const n = num(width, v);
    if (n === undefined) invarg(`invalid ${kw}`, v);
    out[key] = n;
    return true;
  }
  return false;
}

export const bridge: KindCli = {
  usage: USAGE_BRIDGE,
  parse(args) {
    const out: Record<string, unknown> = {};
    let optval = 0, optmask = 0;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (tryTable(NUMERIC, args, i, out)) { i++; continue; }
      if (matches(a, 'vlan_protocol')) {
        const v = nextArg(args, i++);
        const p = llProtoId(v);
        if (p === undefined) invarg('invalid vlan_protocol', v);
        out.vlan_protocol = p;
      } else if (matches(a, 'group_fwd_mask')) {
        const v = nextArg(args, i++);
        const m = getU16(v);
        if (m === undefined) invarg('invalid group_fwd_mask', v);
        out.group_fwd_mask = m;
      } else if (matches(a, 'group_address')) {
        const v = nextArg(args, i++);
        out.group_addr = llAddrA2n(v);
      } else if (a === 'no_linklocal_learn' || a === 'mcast_vlan_snooping') {
        const v = nextArg(args, i++);
        const n = getU8(v);
        if (n === undefined) invarg(`invalid ${a}`, v);
        const bit = 1 << (a === 'no_linklocal_learn' ? BR_BOOLOPT.NO_LL_LEARN : BR_BOOLOPT.MCAST_VLAN_SNOOPING);
        optmask |= bit;
        if (n) optval |= bit; else optval &= ~bit;
      } else if (matches(a, 'fdb_flush')) {
        out.fdb_flush = true;
      } else if (tryTable(NUMERIC2, args, i, out) || tryTable(NUMERIC3, args, i, out)) {
        i++;
      } else if (matches(a, 'help')) {
        explain();
      } else {
        explain(`bridge: unknown command "${a}"?\n`);
      }
    }
    if (optmask) out.multi_boolopt = { optval, optmask };
    return out;
  },
  print(p: Printer, d: KindAttrs) {
    const u = (key: string, json: string, fmt: string): void => {
      const v = d[key];
      if (v !== undefined) p.uint(ANY, json, fmt, v as number | bigint);
    };
    u('forward_delay', 'forward_delay', 'forward_delay %u ');
    u('hello_time', 'hello_time', 'hello_time %u ');
    u('max_age', 'max_age', 'max_age %u ');
    u('ageing_time', 'ageing_time', 'ageing_time %u ');
    u('stp_state', 'stp_state', 'stp_state %u ');
    u('priority', 'priority', 'priority %u ');
    u('vlan_filtering', 'vlan_filtering', 'vlan_filtering %u ');
    if (d.vlan_protocol !== undefined) p.string(ANY, 'vlan_protocol', 'vlan_protocol %s ', llProtoName(d.vlan_protocol as number));
    if (d.bridge_id !== undefined) p.string(ANY, 'bridge_id', 'bridge_id %s ', bridgeIdText(d.bridge_id));
    // iproute2 6.1 prints the bridge id again as the designated root (it reads IFLA_BR_BRIDGE_ID).
    if (d.root_id !== undefined) p.string(ANY, 'root_id', 'designated_root %s ', bridgeIdText(d.bridge_id ?? d.root_id));
    u('root_port', 'root_port', 'root_port %u ');
    u('root_path_cost', 'root_path_cost', 'root_path_cost %u ');
    u('topology_change', 'topology_change', 'topology_change %u ');
    u('topology_change_detected', 'topology_change_detected', 'topology_change_detected %u ');
    for (const t of ['hello_timer', 'tcn_timer', 'topology_change_timer', 'gc_timer']) if (d[t] !== undefined) printTimer(p, t, d[t]);
    u('vlan_default_pvid', 'vlan_default_pvid', 'vlan_default_pvid %u ');
    u('vlan_stats_enabled', 'vlan_stats_enabled', 'vlan_stats_enabled %u ');
    u('vlan_stats_per_port', 'vlan_stats_per_port', 'vlan_stats_per_port %u ');
    if (d.group_fwd_mask !== undefined) p.hex0x(ANY, 'group_fwd_mask', 'group_fwd_mask %#llx ', d.group_fwd_mask as number);
    if (d.group_addr !== undefined) p.string(ANY, 'group_addr', 'group_address %s ', d.group_addr as string);
    u('mcast_snooping', 'mcast_snooping', 'mcast_snooping %u ');
    if (d.multi_boolopt !== undefined) {
      const bm = d.multi_boolopt as { optval: number; optmask: number };
      const nl = 1 << BR_BOOLOPT.NO_LL_LEARN, mv = 1 << BR_BOOLOPT.MCAST_VLAN_SNOOPING;
      if (bm.optmask & nl) p.uint(ANY, 'no_linklocal_learn', 'no_linklocal_learn %u ', bm.optval & nl ? 1 : 0);
      if (bm.optmask & mv) p.uint(ANY, 'mcast_vlan_snooping', 'mcast_vlan_snooping %u ', bm.optval & mv ? 1 : 0);
    }
    u('mcast_router', 'mcast_router', 'mcast_router %u ');
    u('mcast_query_use_ifaddr', 'mcast_query_use_ifaddr', 'mcast_query_use_ifaddr %u ');
    u('mcast_querier', 'mcast_querier', 'mcast_querier %u ');
    u('mcast_hash_elasticity', 'mcast_hash_elasticity', 'mcast_hash_elasticity %u ');
    u('mcast_hash_max', 'mcast_hash_max', 'mcast_hash_max %u ');
    u('mcast_last_member_cnt', 'mcast_last_member_cnt', 'mcast_last_member_count %u ');
    u('mcast_startup_query_cnt', 'mcast_startup_query_cnt', 'mcast_startup_query_count %u ');
    u('mcast_last_member_intvl', 'mcast_last_member_intvl', 'mcast_last_member_interval %llu ');
    u('mcast_membership_intvl', 'mcast_membership_intvl', 'mcast_membership_interval %llu ');
    u('mcast_querier_intvl', 'mcast_querier_intvl', 'mcast_querier_interval %llu ');
    u('mcast_query_intvl', 'mcast_query_intvl', 'mcast_query_interval %llu ');
    u('mcast_query_response_intvl', 'mcast_query_response_intvl', 'mcast_query_response_interval %llu ');
    u('mcast_startup_query_intvl', 'mcast_startup_query_intvl', 'mcast_startup_query_interval %llu ');
    u('mcast_stats_enabled', 'mcast_stats_enabled', 'mcast_stats_enabled %u ');
    u('mcast_igmp_version', 'mcast_igmp_version', 'mcast_igmp_version %u ');
    u('mcast_mld_version', 'mcast_mld_version', 'mcast_mld_version %u ');
    u('nf_call_iptables', 'nf_call_iptables', 'nf_call_iptables %u ');
    u('nf_call_ip6tables', 'nf_call_ip6tables', 'nf_call_ip6tables %u ');
    u('nf_call_arptables', 'nf_call_arptables', 'nf_call_arptables %u ');
  },
};
