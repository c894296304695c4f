/**
 * VRF-dependent parts of ip rule / neigh / nexthop / vrf (needs the vrf link
 * kind: skipped here, runs in the full-kernel VM): l3mdev rules, `vrf NAME`
 * and `master DEV` filters, `ip vrf show|pids`, through the library and the
 * CLI (parity with iproute2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, requireKernelFeature, hasLinkKind, type TestNetns } from '../helpers/netns.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { AF } from '../../src/netlink/constants.js';
import { assertParity, assertSameEffect, rip, words } from '../cli/ip-parity-util.js';
import { createTestNetns } from '../helpers/netns.js';

function vrfSetup(ns: TestNetns): void {
  for (const k of ['all', 'default']) ns.run('sysctl', ['-qw', `net.ipv6.conf.${k}.accept_dad=0`]);
  ns.ip('link', 'add', 'blue', 'type', 'vrf', 'table', '10');
  ns.ip('link', 'add', 'red', 'type', 'vrf', 'table', '20');
  ns.ip('link', 'set', 'blue', 'up');
  ns.ip('link', 'set', 'red', 'up');
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  ns.ip('link', 'set', 'veth0', 'master', 'blue');
  ns.ip('link', 'set', 'veth0', 'up');
  ns.ip('link', 'set', 'veth1', 'up');
  ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'veth0');
  ns.ip('neigh', 'add', '192.0.2.7', 'lladdr', '02:00:00:00:00:07', 'dev', 'veth0');
  ns.ip('neigh', 'add', '192.0.2.8', 'lladdr', '02:00:00:00:00:08', 'dev', 'veth1');
  ns.ip('nexthop', 'add', 'id', '1', 'via', '192.0.2.2', 'dev', 'veth0');
  ns.ip('nexthop', 'add', 'id', '2', 'dev', 'veth1');
}

test('vrf: library filters by master and l3mdev rules', async (t) => {
  if (!requireKernelFeature(t, () => hasLinkKind('vrf'), 'the vrf link kind')) return;
  await withNetns(t, async (ns) => {
    vrfSetup(ns);
    const nl = await Netlink.open({ netns: ns.name });
    try {
      const neigh = await nl.neighbor.list({ master: 'blue', family: AF.INET }).toArray();
      assert.deepEqual(neigh.map((n) => n.dst), ['192.0.2.7']);
      const nhs = await nl.nexthop.list({ master: 'blue' }).toArray();
      assert.deepEqual(nhs.map((n) => n.id), [1]);
      await nl.rule.add({ priority: 1000, l3mdev: true });
      const r = (await nl.rule.list({ l3mdev: true }).toArray()).find((x) => x.priority === 1000);
      assert.ok(r && r.l3mdev && r.table === 0);
    } finally {
      nl.close();
    }
  });
});

test('vrf: CLI parity for vrf show/pids, neigh/nexthop vrf filters, l3mdev rules', async (t) => {
  if (!requireKernelFeature(t, () => hasLinkKind('vrf'), 'the vrf link kind')) return;
  await withNetns(t, (ns) => {
    vrfSetup(ns);
    for (const line of [
      'vrf', 'vrf show', '-j vrf show', '-p -j vrf show', 'vrf show blue', 'vrf show red', 'vrf show veth0', 'vrf pids blue',
      'neigh show vrf blue', 'neigh show master blue', 'neigh show vrf veth0', 'nexthop list vrf blue', 'nexthop list master blue',
      'nexthop list vrf veth0', '-j nexthop list vrf red', 'nexthop bucket list vrf blue',
    ]) assertParity(ns, line);
    const r = rip(ns, words('vrf exec blue true'));
    assert.equal(r.status, 255);
    assert.match(r.stderr, /BPF/);
  });
  const a = createTestNetns('rip-vm-a');
  const b = createTestNetns('rip-vm-b');
  try {
    vrfSetup(a);
    vrfSetup(b);
    assertSameEffect(a, b, ['rule add pref 1000 l3mdev', '-6 rule add pref 1000 l3mdev protocol static', 'rule add pref 1001 iif blue table 10',
      'rule add pref 1002 l3mdev table 10', 'rule del pref 1000'], [['rule', 'show'], ['-6', 'rule', 'show'], ['-j', 'rule', 'show']]);
    assertParity(b, 'rule list l3mdev');
    assertParity(b, '-j -6 rule list l3mdev');
  } finally {
    a.cleanup();
    b.cleanup();
  }
});
