/**
 * The link kinds `ip link` knows, by IFLA_INFO_KIND (and `KIND_slave` for
 * port options), like iproute2's get_link_kind(). A kind missing here is
 * still accepted by `ip link add … type KIND` (as iproute2 does for kinds
 * it has no module for): its arguments are then ignored.
 * @module
 */
import type { KindCli } from './util.js';
import { bridge } from './bridge.js';
import { bridgeSlave } from './bridge-slave.js';
import { bond, bondSlave } from './bond.js';
import { vlan } from './vlan.js';
import { vxlan } from './vxlan.js';
import { macvlan } from './macvlan.js';
import { ipvlan } from './ipvlan.js';
import { vrf, vrfSlave } from './vrf.js';
import { tunnelKinds } from './tunnel.js';
import { geneve } from './geneve.js';
import { tun } from './tun.js';

const KINDS = new Map<string, KindCli>([
  ['bridge', bridge], ['bridge_slave', bridgeSlave], ['bond', bond], ['bond_slave', bondSlave],
  ['vlan', vlan], ['vxlan', vxlan], ['macvlan', macvlan('macvlan')], ['macvtap', macvlan('macvtap')],
  ['ipvlan', ipvlan('ipvlan')], ['ipvtap', ipvlan('ipvtap')], ['vrf', vrf], ['vrf_slave', vrfSlave],
  ['geneve', geneve], ['tun', tun], ...tunnelKinds(),
]);

/** The CLI module of a kind (`bridge`, `bridge_slave`, …), if rip has one. */
export function kindCli(kind: string): KindCli | undefined {
  return KINDS.get(kind);
}

export type { KindCli, KindParseContext, KindPrintContext, KindAttrs } from './util.js';
