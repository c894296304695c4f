/**
 * `ip netconf` parity with iproute2 6.1: the dump (all families, -4/-6,
 * filtered by device) and the single-entry get, in text, -j and -p -j, on
 * sysctl values that differ per device; bad input gets the same stderr and
 * exit status. Also the library's nl.netconf against the sysctls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { assertParity, assertRejectedLikeIproute2 } from './ip-parity-util.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { AF } from '../../src/netlink/constants.js';
import { NETCONFA_IFINDEX } from '../../src/netlink/netconf.js';

function setup(ns: TestNetns): void {
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  const r = ns.run('sysctl', ['-qw',
    'net.ipv4.conf.veth0.rp_filter=2', 'net.ipv4.conf.veth1.rp_filter=1', 'net.ipv4.conf.veth1.forwarding=1',
    'net.ipv6.conf.veth0.forwarding=1', 'net.ipv4.conf.veth0.proxy_arp=1', 'net.ipv6.conf.veth1.proxy_ndp=1',
    'net.ipv4.conf.veth0.ignore_routes_with_linkdown=1']);
  assert.equal(r.status, 0, r.stderr);
}

const SHOW = [
  'netconf', 'netconf show', 'netconf list', 'netconf lst', 'netconf l', '-j netconf', '-p -j netconf', '-4 netconf', '-6 netconf',
  '-6 -j netconf', 'netconf show dev veth0', '-j netconf show dev veth1', '-4 netconf show dev veth0', '-6 netconf show dev veth0',
  '-j -4 netconf show dev veth1', '-6 netconf show dev veth1', '-M netconf', '-M netconf show dev veth0', '-0 netconf',
  'netconf show bar', 'netconf show dev lo', '-4 netconf show dev if1', '-c netconf', '-c netconf show dev veth0',
];

const BAD = ['netconf show dev', 'netconf show dev nope', 'netconf foo', 'netconf help', '-4 netconf show dev nope'];

test('ip netconf show: same output as iproute2', async (t) => {
  await withNetns(t, (ns) => {
    setup(ns);
    for (const line of SHOW) assertParity(ns, line);
  });
});

test('ip netconf: bad input like iproute2', async (t) => {
  await withNetns(t, (ns) => {
    setup(ns);
    assertRejectedLikeIproute2(ns, BAD);
  });
});

test('nl.netconf: dump and get read the sysctls', async (t) => {
  await withNetns(t, async (ns) => {
    setup(ns);
    const nl = await Netlink.open({ netns: ns.name });
    try {
      const veth0 = Number(ns.run('cat', ['/sys/class/net/veth0/ifindex']).stdout.trim());
      const v4 = await nl.netconf.list({ family: AF.INET }).toArray();
      assert.ok(v4.every((c) => c.family === AF.INET));
      const e = v4.find((c) => c.ifindex === veth0);
      assert.equal(e?.rp_filter, 2);
      assert.equal(e?.proxy_neigh, 1);
      assert.equal(e?.ignore_routes_with_linkdown, 1);
      assert.ok(v4.some((c) => c.ifindex === NETCONFA_IFINDEX.ALL));
      assert.ok(v4.some((c) => c.ifindex === NETCONFA_IFINDEX.DEFAULT));
      const all = await nl.netconf.list().toArray();
      assert.deepEqual(new Set(all.map((c) => c.family)), new Set([AF.INET, AF.INET6]));
      const only = await nl.netconf.list({ ifindex: veth0 }).toArray();
      assert.deepEqual(only.map((c) => c.family).sort((a, b) => a - b), [AF.INET, AF.INET6]);
      const g6 = await nl.netconf.get(AF.INET6, veth0);
      assert.equal(g6.forwarding, 1);
      assert.equal(g6.ifindex, veth0);
      ns.run('sysctl', ['-qw', 'net.ipv6.conf.veth0.forwarding=0']);
      assert.equal((await nl.netconf.get(AF.INET6, veth0)).forwarding, 0);
    } finally {
      nl.close();
    }
  });
});
