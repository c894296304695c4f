/**
 * Nexthops with MPLS lightweight-tunnel encapsulation (needs mpls_iptunnel:
 * skipped here, runs in the full-kernel VM): our `ip nexthop add … encap mpls`
 * has the same effect as iproute2's, and listings print the same.
 */
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { requireKernelFeature, createTestNetns, withNetns, type TestNetns } from '../helpers/netns.js';
import { assertParity, assertSameEffect, vethSetup, words } from '../cli/ip-parity-util.js';

let probed: boolean | undefined;
/** Can this kernel install an MPLS-encapsulated nexthop? */
function hasMplsEncap(): boolean {
  if (probed !== undefined) return probed;
  spawnSync('modprobe', ['mpls_iptunnel'], { stdio: 'ignore' });
  const ns = createTestNetns('rip-probe-mpls');
  try {
    vethSetup(ns);
    probed = ns.run('ip', ['nexthop', 'add', 'id', '1', 'encap', 'mpls', '100', 'via', '192.0.2.2', 'dev', 'veth0']).status === 0;
  } catch {
    probed = false;
  } finally {
    ns.cleanup();
  }
  return probed;
}

const ADD = [
  'nexthop add id 1 encap mpls 100 via 192.0.2.2 dev veth0',
  'nexthop add id 2 encap mpls 100/200/300 ttl 9 via 192.0.2.3 dev veth0',
  'nexthop replace id 1 via 192.0.2.2 encap mpls 16 dev veth0',
  'nexthop add id 10 group 1/2',
];

test('MPLS-encapsulated nexthops: same effect and listings as iproute2', async (t) => {
  if (!requireKernelFeature(t, hasMplsEncap, 'MPLS lightweight tunnels (mpls_iptunnel)')) return;
  const a = createTestNetns('rip-vm-a');
  const b = createTestNetns('rip-vm-b');
  try {
    vethSetup(a);
    vethSetup(b);
    assertSameEffect(a, b, ADD, [['nexthop', 'show'], ['-j', 'nexthop', 'show']]);
  } finally {
    a.cleanup();
    b.cleanup();
  }
  await withNetns(t, (ns: TestNetns) => {
    vethSetup(ns);
    for (const l of ADD) ns.ip(...words(l));
    for (const line of ['nexthop', '-j nexthop', '-p -j nexthop', 'nexthop get id 2', '-d nexthop list dev veth0']) assertParity(ns, line);
  });
});
