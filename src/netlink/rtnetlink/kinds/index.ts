/**
 * Loads every link kind module so their IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA
 * schemas are registered in linkKinds / slaveKinds. Kinds without
 * attributes (dummy, ifb, wireguard, nlmon, …) need no schema: their
 * IFLA_INFO_DATA, if any, decodes as raw bytes.
 * @module
 */
export * from './bridge.js';
export * from './bond.js';
export * from './vlan.js';
export * from './vxlan.js';
export * from './macvlan.js';
export * from './ipvlan.js';
export * from './vrf.js';
export * from './geneve.js';
export * from './tunnel.js';
export * from './veth.js';
export * from './tun.js';
export { in4, in6, zeroIndexed } from './common.js';
