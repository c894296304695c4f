/**
 * `ip link … type bond …` and `type bond_slave …` (iproute2 ip/iplink_bond.c,
 * ip/iplink_bond_slave.c).
 * @module
 */
import { CliError, invarg, matches } from '../../common/args.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../../output/printer.js';
import {
  BOND_MODES, BOND_ARP_VALIDATE, BOND_ARP_ALL_TARGETS, BOND_PRIMARY_RESELECT, BOND_FAIL_OVER_MAC,
  BOND_XMIT_HASH_POLICY, BOND_LACP_ACTIVE, BOND_LACP_RATE, BOND_AD_SELECT,
} from '../../../netlink/rtnetlink/kinds/bond.js';
import { getAddr1 } from '../inet-args.js';
import { USAGE_BOND, USAGE_BOND_SLAVE } from './usage.js';
import { getInteger, getU8, getU16, getU32, llAddrA2n, nextArg, type KindCli, type KindAttrs, type KindPrintContext } from './util.js';

/** get_index(): a table entry by name, or by its decimal index. */
function getIndex(tbl: readonly string[], name: string): number {
  if (/^[ \t\n]*[+-]?\d+$/.test(name)) {
    const n = getInteger(name.replace(/^([ \t\n]*[+-]?)0+(?=\d)/, '$1'));
    if (n !== undefined && n >= 0 && n < tbl.length) return n;
  }
  return tbl.indexOf(name);
}
const getName = (tbl: readonly string[], i: number): string => tbl[i] ?? 'UNKNOWN';

function explain(prefix = ''): never {
  throw new CliError(prefix + USAGE_BOND.replace(/\n$/, ''), 1);
}

function nodev(name: string): never {
  throw new CliError(`Cannot find device "${name}"`, 1);
}

type Spec = readonly [kw: string, key: string, kind: 'u8' | 'u16' | 'u32' | readonly string[], msg: string, exact?: boolean];

/** The simple keyword → attribute options, in iproute2's matching order (special ones are handled inline). */
const BEFORE_TARGETS: readonly Spec[] = [
  ['miimon', 'miimon', 'u32', 'invalid miimon'], ['updelay', 'updelay', 'u32', 'invalid updelay'],
  ['downdelay', 'downdelay', 'u32', 'invalid downdelay'], ['peer_notify_delay', 'peer_notif_delay', 'u32', 'invalid peer_notify_delay'],
  ['use_carrier', 'use_carrier', 'u8', 'invalid use_carrier'], ['arp_interval', 'arp_interval', 'u32', 'invalid arp_interval'],
];
const AFTER_TARGETS: readonly Spec[] = [
  ['arp_validate', 'arp_validate', BOND_ARP_VALIDATE, 'invalid arp_validate'],
  ['arp_all_targets', 'arp_all_targets', BOND_ARP_ALL_TARGETS, 'invalid arp_all_targets'],
  ['arp_missed_max', 'missed_max', 'u8', 'invalid arp_missed_max', true],
];
const AFTER_PRIMARY: readonly Spec[] = [
  ['primary_reselect', 'primary_reselect', BOND_PRIMARY_RESELECT, 'invalid primary_reselect'],
  ['fail_over_mac', 'fail_over_mac', BOND_FAIL_OVER_MAC, 'invalid fail_over_mac'],
  ['xmit_hash_policy', 'xmit_hash_policy', BOND_XMIT_HASH_POLICY, 'invalid xmit_hash_policy'],
  ['resend_igmp', 'resend_igmp', 'u32', 'invalid resend_igmp'],
  ['num_grat_arp', 'num_peer_notif', 'u8', 'invalid num_grat_arp|num_unsol_na'],
  ['num_unsol_na', 'num_peer_notif', 'u8', 'invalid num_grat_arp|num_unsol_na'],
  ['all_slaves_active', 'all_slaves_active', 'u8', 'invalid all_slaves_active'],
  ['min_links', 'min_links', 'u32', 'invalid min_links'], ['lp_interval', 'lp_interval', 'u32', 'invalid lp_interval'],
  ['packets_per_slave', 'packets_per_slave', 'u32', 'invalid packets_per_slave'],
  ['lacp_rate', 'ad_lacp_rate', BOND_LACP_RATE, 'invalid lacp_rate'],
  ['lacp_active', 'ad_lacp_active', BOND_LACP_ACTIVE, 'invalid lacp_active', true],
  ['ad_select', 'ad_select', BOND_AD_SELECT, 'invalid ad_select'],
  ['ad_user_port_key', 'ad_user_port_key', 'u16', 'invalid ad_user_port_key'],
  ['ad_actor_sys_prio', 'ad_actor_sys_prio', 'u16', 'invalid ad_actor_sys_prio'],
];

function trySpecs(specs: readonly Spec[], args: string[], i: number, out: Record<string, unknown>): boolean {
  const a = args[i]!;
  for (const [kw, key, kind, msg, exact] of specs) {
    if (exact ? a !== kw : !matches(a, kw)) continue;
    const v = nextArg(args, i);
    const n = typeof kind === 'string'
      ? (kind === 'u8' ? getU8(v) : kind === 'u16' ? getU16(v) : getU32(v))
      : (getIndex(kind, v) >= 0 ? getIndex(kind, v) : undefined);
    if (n === undefined) invarg(msg, v);
    out[key] = n;
    return true;
  }
  return false;
}

function targets(arg: string | undefined, family: 2 | 10, max: number): string[] {
  if (arg === undefined) return [];
  const out: string[] = [];
  for (const t of arg.split(',').filter((x) => x !== '').slice(0, max)) {
    const a = getAddr1(t, family);
    if (!a || a.any) {
      if (family === 2) throw new CliError(`Error: an IP address is expected rather than "${t}"`, 1);
      throw new CliError(`Error: inet6 address is expected rather than "${t}".`, 1);
    }
    out.push(family === 2 ? [...a.bytes].join('.') : t);
  }
  return out;
}

export const bond: KindCli = {
  usage: USAGE_BOND,
  parse(args, ctx) {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (matches(a, 'mode')) {
        const v = nextArg(args, i++);
        const m = getIndex(BOND_MODES, v);
        if (m < 0) invarg('invalid mode', v);
        out.mode = m;
      } else if (matches(a, 'active_slave')) {
        const v = nextArg(args, i++);
        const idx = ctx.index(v);
        if (!idx) nodev(v);
        out.active_slave = idx;
      } else if (matches(a, 'clear_active_slave')) {
        out.active_slave = 0;
      } else if (trySpecs(BEFORE_TARGETS, args, i, out)) {
        i++;
      } else if (matches(a, 'arp_ip_target')) {
        // The target list is optional: an empty nest clears the targets.
        const v = args[i + 1];
        if (v !== undefined) i++;
        out.arp_ip_target = targets(v, 2, 16);
      } else if (a === 'ns_ip6_target') {
        const v = args[i + 1];
        if (v !== undefined) i++;
        out.ns_ip6_target = targets(v, 10, 16);
      } else if (trySpecs(AFTER_TARGETS, args, i, out)) {
        i++;
      } else if (matches(a, 'primary')) {
        const v = nextArg(args, i++);
        const idx = ctx.index(v);
        if (!idx) nodev(v);
        out.primary = idx;
      } else if (trySpecs(AFTER_PRIMARY, args, i, out)) {
        i++;
      } else if (matches(a, 'ad_actor_system')) {
        out.ad_actor_system = llAddrA2n(nextArg(args, i++));
      } else if (matches(a, 'tlb_dynamic_lb')) {
        const v = nextArg(args, i++);
        const n = getU8(v);
        if (n === undefined) invarg('invalid tlb_dynamic_lb', v);
        out.tlb_dynamic_lb = n;
      } else if (matches(a, 'help')) {
        explain();
      } else {
        explain(`bond: unknown command "${a}"?\n`);
      }
    }
    return out;
  },
  print(p: Printer, d: KindAttrs, ctx: KindPrintContext) {
    const u = (key: string, json: string, fmt: string): void => { if (d[key] !== undefined) p.uint(ANY, json, fmt, d[key] as number); };
    const s = (key: string, json: string, fmt: string, tbl: readonly string[]): void => {
      if (d[key] !== undefined) p.string(ANY, json, fmt, getName(tbl, d[key] as number));
    };
    s('mode', 'mode', 'mode %s ', BOND_MODES);
    if (d.active_slave) p.string(ANY, 'active_slave', 'active_slave %s ', ctx.name(d.active_slave as number));
    u('miimon', 'miimon', 'miimon %u ');
    u('updelay', 'updelay', 'updelay %u ');
    u('downdelay', 'downdelay', 'downdelay %u ');
    u('peer_notif_delay', 'peer_notify_delay', 'peer_notify_delay %u ');
    u('use_carrier', 'use_carrier', 'use_carrier %u ');
    u('arp_interval', 'arp_interval', 'arp_interval %u ');
    u('missed_max', 'arp_missed_max', 'arp_missed_max %u ');
    for (const [key, word] of [['arp_ip_target', 'arp_ip_target'], ['ns_ip6_target', 'ns_ip6_target']] as const) {
      const list = d[key] as string[] | undefined;
      if (!list || !list.length) continue;
      p.openArray(JSON_ONLY, word);
      p.string(FP, null, `${word} `, null);
      list.forEach((t, i) => {
        p.string(ANY, null, '%s', t);
        if (!p.inJson && i < list.length - 1) p.text(',');
      });
      p.string(FP, null, ' ', null);
      p.closeArray(JSON_ONLY, '');
    }
    if (d.arp_validate !== undefined) {
      if (!d.arp_validate && p.inJson) p.null(JSON_ONLY, 'arp_validate', '', '');
      else p.string(ANY, 'arp_validate', 'arp_validate %s ', getName(BOND_ARP_VALIDATE, d.arp_validate as number));
    }
    s('arp_all_targets', 'arp_all_targets', 'arp_all_targets %s ', BOND_ARP_ALL_TARGETS);
    if (d.primary) p.string(ANY, 'primary', 'primary %s ', ctx.name(d.primary as number));
    s('primary_reselect', 'primary_reselect', 'primary_reselect %s ', BOND_PRIMARY_RESELECT);
    s('fail_over_mac', 'fail_over_mac', 'fail_over_mac %s ', BOND_FAIL_OVER_MAC);
    s('xmit_hash_policy', 'xmit_hash_policy', 'xmit_hash_policy %s ', BOND_XMIT_HASH_POLICY);
    u('resend_igmp', 'resend_igmp', 'resend_igmp %u ');
    u('num_peer_notif', 'num_peer_notif', 'num_grat_arp %u ');
    u('all_slaves_active', 'all_slaves_active', 'all_slaves_active %u ');
    u('min_links', 'min_links', 'min_links %u ');
    u('lp_interval', 'lp_interval', 'lp_interval %u ');
    u('packets_per_slave', 'packets_per_slave', 'packets_per_slave %u ');
    s('ad_lacp_active', 'ad_lacp_active', 'lacp_active %s ', BOND_LACP_ACTIVE);
    s('ad_lacp_rate', 'ad_lacp_rate', 'lacp_rate %s ', BOND_LACP_RATE);
    s('ad_select', 'ad_select', 'ad_select %s ', BOND_AD_SELECT);
    if (d.ad_info !== undefined) {
      const ai = d.ad_info as Record<string, unknown>;
      p.openObject('ad_info');
      for (const [k, f] of [['aggregator', 'ad_aggregator %d '], ['num_ports', 'ad_num_ports %d '], ['actor_key', 'ad_actor_key %d '], ['partner_key', 'ad_partner_key %d ']] as const) {
        if (ai[k] !== undefined) p.int(ANY, k, f, ai[k] as number);
      }
      if (ai.partner_mac !== undefined) p.string(ANY, 'partner_mac', 'ad_partner_mac %s ', ai.partner_mac as string);
      p.closeObject();
    }
    u('ad_actor_sys_prio', 'ad_actor_sys_prio', 'ad_actor_sys_prio %u ');
    u('ad_user_port_key', 'ad_user_port_key', 'ad_user_port_key %u ');
    if (d.ad_actor_system !== undefined) p.string(ANY, 'ad_actor_system', 'ad_actor_system %s ', d.ad_actor_system as string);
    u('tlb_dynamic_lb', 'tlb_dynamic_lb', 'tlb_dynamic_lb %u ');
  },
};

const LACP_STATES = ['active', 'short_timeout', 'aggregating', 'in_sync', 'collecting', 'distributing', 'defaulted', 'expired'];

function operState(p: Printer, name: string, stateIn: number): void {
  let state = stateIn;
  p.openArray(ANY, name);
  p.string(FP, null, ' <', null);
  LACP_STATES.forEach((s, i) => {
    const bit = 1 << i;
    if (state & bit) { state &= ~bit; p.string(ANY, null, state ? '%s,' : '%s', s); }
  });
  p.closeArray(ANY, '> ');
}

export const bondSlave: KindCli = {
  usage: USAGE_BOND_SLAVE,
  parse(args) {
    const out: Record<string, unknown> = {};
    const usage = USAGE_BOND_SLAVE.replace(/\n$/, '');
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (matches(a, 'queue_id')) {
        const v = nextArg(args, i++);
        const n = getU16(v);
        if (n === undefined) invarg('queue_id is invalid', v);
        out.queue_id = n;
      } else if (a === 'prio') {
        const v = nextArg(args, i++);
        const n = getInteger(v);
        if (n === undefined) invarg('prio is invalid', v);
        out.prio = n;
      } else {
        throw new CliError((matches(a, 'help') ? '' : `bond_slave: unknown option "${a}"?\n`) + usage, 1);
      }
    }
    return out;
  },
  print(p: Printer, d: KindAttrs) {
    if (d.state !== undefined) {
      const st = d.state as number;
      if (st >= 2) p.int(ANY, 'state_index', 'state %d ', st); else p.string(ANY, 'state', 'state %s ', ['ACTIVE', 'BACKUP'][st]!);
    }
    if (d.mii_status !== undefined) {
      const st = d.mii_status as number;
      const names = ['UP', 'GOING_DOWN', 'DOWN', 'GOING_BACK'];
      if (st >= names.length) p.int(ANY, 'mii_status_index', 'mii_status %d ', st); else p.string(ANY, 'mii_status', 'mii_status %s ', names[st]!);
    }
    if (d.link_failure_count !== undefined) p.int(ANY, 'link_failure_count', 'link_failure_count %d ', d.link_failure_count as number);
    if (d.perm_hwaddr !== undefined) p.string(ANY, 'perm_hwaddr', 'perm_hwaddr %s ', d.perm_hwaddr as string);
    if (d.queue_id !== undefined) p.int(ANY, 'queue_id', 'queue_id %d ', d.queue_id as number);
    if (d.prio !== undefined) p.int(ANY, 'prio', 'prio %d ', d.prio as number);
    if (d.ad_aggregator_id !== undefined) p.int(ANY, 'ad_aggregator_id', 'ad_aggregator_id %d ', d.ad_aggregator_id as number);
    if (d.ad_actor_oper_port_state !== undefined) {
      const st = d.ad_actor_oper_port_state as number;
      p.int(ANY, 'ad_actor_oper_port_state', 'ad_actor_oper_port_state %d ', st);
      operState(p, 'ad_actor_oper_port_state_str', st);
    }
    if (d.ad_partner_oper_port_state !== undefined) {
      // iproute2 reads this u16 attribute as a u8.
      const st = (d.ad_partner_oper_port_state as number) & 0xff;
      p.int(ANY, 'ad_partner_oper_port_state', 'ad_partner_oper_port_state %d ', st);
      operState(p, 'ad_partner_oper_port_state_str', st);
    }
  },
};
