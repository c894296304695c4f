/**
 * `ip ntable show` parity with iproute2 6.1 (text, -j, -4/-6, dev/name
 * selectors), bad input alike. (-s is not compared: the tables' statistics are
 * shared with the rest of the machine and move between two reads.)
 */
import { test } from 'node:test';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { assertParity, assertRejectedLikeIproute2 } from './ip-parity-util.js';

function setup(ns: TestNetns): void {
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  ns.run('sysctl', ['-qw', 'net.ipv4.neigh.veth0.ucast_solicit=7', 'net.ipv6.neigh.veth1.retrans_time_ms=2000']);
}

/** `reachable` is re-randomised by the kernel now and then; last_flush/last_rand are wall-clock times. */
const stable = (s: string): string => s
  .replace(/reachable \d+/g, 'reachable X').replace(/"reachable": ?\d+/g, '"reachable":X')
  .replace(/last_(flush|rand) [\d-]+ [\d:]+/g, 'last_$1 T').replace(/"last_(flush|rand)": ?"[^"]*"/g, '"last_$1":T');

const SHOW = [
  'ntable', 'ntable show', 'ntable list', 'ntbl', '-j ntable', '-p -j ntable', '-4 ntable', '-6 ntable', 'ntable show dev veth0',
  'ntable show dev none', 'ntable show name arp_cache', '-6 ntable show name ndisc_cache dev veth1', 'ntable show name nope',
  '-o ntable', '-c ntable show dev veth1', '-0 ntable',
];

const BAD = ['ntable show dev nope', 'ntable show foo', 'ntable show dev', 'ntable show name', 'ntable help', 'ntable frob'];

test('ip ntable show: same output as iproute2', async (t) => {
  await withNetns(t, (ns) => {
    setup(ns);
    for (const line of SHOW) assertParity(ns, line, stable);
    assertRejectedLikeIproute2(ns, BAD);
  });
});
