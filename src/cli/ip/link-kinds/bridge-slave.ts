/**
 * `ip link … type bridge_slave …` (iproute2 ip/iplink_bridge_slave.c).
 * @module
 */
import { CliError, invarg, matches } from '../../common/args.js';
import { ANY, FP, type Printer } from '../../../output/printer.js';
import { USAGE_BRIDGE_SLAVE } from './usage.js';
import { bridgeIdText, printTimer } from './bridge-id.js';
import { getU8, getU16, getU32, nextArg, onOff, type KindCli, type KindAttrs, type KindPrintContext } from './util.js';

const PORT_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];
const FWD_MASK_NAMES: Record<number, string> = { 0: 'stp', 2: 'lacp', 14: 'lldp' };

/** on/off keyword → attribute, in iproute2's matching order (interleaved with the others below). */
const ON_OFF_1: ReadonlyArray<readonly [string, string]> = [
  ['hairpin', 'mode'], ['guard', 'guard'], ['root_block', 'protect'], ['fastleave', 'fast_leave'],
  ['learning', 'learning'], ['flood', 'unicast_flood'], ['mcast_flood', 'mcast_flood'], ['bcast_flood', 'bcast_flood'],
  ['mcast_to_unicast', 'mcast_to_ucast'], ['proxy_arp', 'proxyarp'], ['proxy_arp_wifi', 'proxyarp_wifi'],
];

function explain(prefix = ''): never {
  throw new CliError(prefix + USAGE_BRIDGE_SLAVE.replace(/\n$/, ''), 1);
}

function bitmaskText(mask: number): string {
  const parts: string[] = [];
  for (let i = 0, m = mask; m; i++, m >>= 1) if (m & 1) parts.push(FWD_MASK_NAMES[i] ?? `0x${(1 << i).toString(16)}`);
  return parts.length ? parts.join(',') : '0x0';
}

export const bridgeSlave: KindCli = {
  usage: USAGE_BRIDGE_SLAVE,
  parse(args, ctx) {
    const out: Record<string, unknown> = {};
    // bridge_slave_parse_on_off() exits with status 1 on a bad value.
    const onoff = (kw: string, key: string, i: number): void => { out[key] = onOff(kw, nextArg(args, i)) ? 1 : 0; };
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const simple = ON_OFF_1.find(([kw]) => matches(a, kw));
      if (matches(a, 'fdb_flush')) { out.flush = true; continue; }
      if (matches(a, 'state')) {
        const v = nextArg(args, i++); const n = getU8(v);
        if (n === undefined) invarg('state is invalid', v);
        out.state = n;
      } else if (matches(a, 'priority')) {
        const v = nextArg(args, i++); const n = getU16(v);
        if (n === undefined) invarg('priority is invalid', v);
        out.priority = n;
      } else if (matches(a, 'cost')) {
        const v = nextArg(args, i++); const n = getU32(v);
        if (n === undefined) invarg('cost is invalid', v);
        out.cost = n;
      } else if (simple) {
        onoff(simple[0], simple[1], i++);
      } else if (matches(a, 'mcast_router')) {
        const v = nextArg(args, i++); const n = getU8(v);
        if (n === undefined) invarg('invalid mcast_router', v);
        out.multicast_router = n;
      } else if (matches(a, 'mcast_fast_leave')) {
        onoff('mcast_fast_leave', 'fast_leave', i++);
      } else if (matches(a, 'neigh_suppress')) {
        onoff('neigh_suppress', 'neigh_suppress', i++);
      } else if (matches(a, 'group_fwd_mask')) {
        const v = nextArg(args, i++); const n = getU16(v);
        if (n === undefined) invarg('invalid group_fwd_mask', v);
        out.group_fwd_mask = n;
      } else if (matches(a, 'vlan_tunnel')) {
        onoff('vlan_tunnel', 'vlan_tunnel', i++);
      } else if (matches(a, 'isolated')) {
        onoff('isolated', 'isolated', i++);
      } else if (matches(a, 'locked')) {
        onoff('locked', 'locked', i++);
      } else if (matches(a, 'backup_port')) {
        const v = nextArg(args, i++); const idx = ctx.index(v);
        if (!idx) invarg('Device does not exist\n', v);
        out.backup_port = idx;
      } else if (matches(a, 'nobackup_port')) {
        out.backup_port = 0;
      } else if (matches(a, 'help')) {
        explain();
      } else {
        explain(`bridge_slave: unknown option "${a}"?\n`);
      }
    }
    return out;
  },
  print(p: Printer, d: KindAttrs, ctx: KindPrintContext) {
    const onoff = (key: string, json: string, fmt: string): void => {
      if (d[key] !== undefined) p.onOff(ANY, json, fmt, (d[key] as number) !== 0);
    };
    const uint = (key: string, json: string, fmt: string): void => {
      if (d[key] !== undefined) p.uint(ANY, json, fmt, d[key] as number);
    };
    if (d.state !== undefined) {
      const s = d.state as number;
      if (s < PORT_STATES.length) p.string(ANY, 'state', 'state %s ', PORT_STATES[s]!);
      else p.int(ANY, 'state_index', 'state (%d) ', s);
    }
    if (d.priority !== undefined) p.int(ANY, 'priority', 'priority %d ', d.priority as number);
    if (d.cost !== undefined) p.int(ANY, 'cost', 'cost %d ', d.cost as number);
    onoff('mode', 'hairpin', 'hairpin %s ');
    onoff('guard', 'guard', 'guard %s ');
    onoff('protect', 'root_block', 'root_block %s ');
    onoff('fast_leave', 'fastleave', 'fastleave %s ');
    onoff('learning', 'learning', 'learning %s ');
    onoff('unicast_flood', 'flood', 'flood %s ');
    if (d.id !== undefined) p.hex0x(ANY, 'id', 'port_id %#llx ', d.id as number);
    if (d.no !== undefined) p.hex0x(ANY, 'no', 'port_no %#llx ', d.no as number);
    uint('designated_port', 'designated_port', 'designated_port %u ');
    uint('designated_cost', 'designated_cost', 'designated_cost %u ');
    if (d.bridge_id !== undefined) p.string(ANY, 'bridge_id', 'designated_bridge %s ', bridgeIdText(d.bridge_id));
    if (d.root_id !== undefined) p.string(ANY, 'root_id', 'designated_root %s ', bridgeIdText(d.root_id));
    if (d.hold_timer !== undefined) printTimer(p, 'hold_timer', d.hold_timer);
    if (d.message_age_timer !== undefined) printTimer(p, 'message_age_timer', d.message_age_timer);
    if (d.forward_delay_timer !== undefined) printTimer(p, 'forward_delay_timer', d.forward_delay_timer);
    uint('topology_change_ack', 'topology_change_ack', 'topology_change_ack %u ');
    uint('config_pending', 'config_pending', 'config_pending %u ');
    onoff('proxyarp', 'proxy_arp', 'proxy_arp %s ');
    onoff('proxyarp_wifi', 'proxy_arp_wifi', 'proxy_arp_wifi %s ');
    uint('multicast_router', 'multicast_router', 'mcast_router %u ');
    // Text only: the JSON already has it as "fastleave".
    if (d.fast_leave !== undefined) p.string(FP, null, 'mcast_fast_leave %s ', d.fast_leave ? 'on' : 'off');
    onoff('mcast_flood', 'mcast_flood', 'mcast_flood %s ');
    onoff('bcast_flood', 'bcast_flood', 'bcast_flood %s ');
    onoff('mcast_to_ucast', 'mcast_to_unicast', 'mcast_to_unicast %s ');
    onoff('neigh_suppress', 'neigh_suppress', 'neigh_suppress %s ');
    if (d.group_fwd_mask !== undefined) {
      const m = d.group_fwd_mask as number;
      p.hex0x(ANY, 'group_fwd_mask', 'group_fwd_mask %#llx ', m);
      p.string(ANY, 'group_fwd_mask_str', 'group_fwd_mask_str %s ', bitmaskText(m));
    }
    onoff('vlan_tunnel', 'vlan_tunnel', 'vlan_tunnel %s ');
    onoff('isolated', 'isolated', 'isolated %s ');
    onoff('locked', 'locked', 'locked %s ');
    if (d.backup_port !== undefined) p.string(ANY, 'backup_port', 'backup_port %s ', ctx.name(d.backup_port as number));
  },
};
