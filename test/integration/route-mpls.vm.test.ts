/**
 * MPLS lightweight-tunnel encapsulation of routes (RTA_ENCAP with
 * LWTUNNEL_ENCAP_MPLS) against a kernel that has mpls_iptunnel: added through
 * the library and through `ip route` (rip), read back typed and printed
 * exactly as iproute2 prints it. This machine's kernel lacks MPLS, so the
 * file skips here and runs in the full-kernel VM (npm run test:vm); the
 * request bytes are covered on every machine by test/unit/route-golden.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { withNetns, requireKernelFeature, createTestNetns } from '../helpers/netns.js';
import { Netlink } from '../../src/netlink/netlink.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

let probed: boolean | undefined;
/** Can this kernel add an MPLS-encapsulated route? (loads mpls_iptunnel if it is a module) */
function hasMplsEncap(): boolean {
  if (probed !== undefined) return probed;
  spawnSync('modprobe', ['mpls_iptunnel'], { stdio: 'ignore' });
  const ns = createTestNetns('rip-probe-mpls');
  try {
    ns.ip('link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1');
    ns.ip('link', 'set', 'p0', 'up');
    probed = ns.run('ip', ['route', 'add', '10.0.0.0/24', 'encap', 'mpls', '100', 'dev', 'p0']).status === 0;
  } catch {
    probed = false;
  } finally {
    ns.cleanup();
  }
  return probed;
}

test('MPLS encap routes: library add/read back, ip route parity (text and -j)', async (t) => {
  if (!requireKernelFeature(t, hasMplsEncap, 'MPLS lwtunnel encapsulation (mpls_iptunnel)')) return;
  await withNetns(t, async (ns) => {
    ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
    ns.ip('link', 'set', 'veth0', 'up');
    ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'veth0');
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.route.add({ dst: '10.1.0.0/24', gateway: '192.0.2.2', encap: { type: 'mpls', labels: '100/200', ttl: 10 } });
    await nl.route.add({
      dst: '10.2.0.0/24',
      nexthops: [
        { gateway: '192.0.2.2', dev: 'veth0', encap: { type: 'mpls', labels: '300' } },
        { gateway: '192.0.2.3', dev: 'veth0', weight: 2, encap: { type: 'mpls', labels: '400/500' } },
      ],
    });
    const routes = await nl.route.list({ family: 'inet' }).toArray();
    const r1 = routes.find((r) => r.dst === '10.1.0.0/24');
    assert.equal(r1?.encap?.name, 'mpls');
    assert.deepEqual(r1?.encap?.data, { dst: '100/200', ttl: 10 });
    const r2 = routes.find((r) => r.dst === '10.2.0.0/24');
    assert.deepEqual(r2?.nexthops?.map((n) => n.encap?.data), [{ dst: '300' }, { dst: '400/500' }]);

    // rip's ip route add with encap, then every show form against iproute2.
    const add = spawnSync('node', [RIP, 'ip', '-n', ns.name, 'route', 'add', '10.3.0.0/24', 'encap', 'mpls', '600', 'ttl', '5', 'via', '192.0.2.2', 'dev', 'veth0'], { encoding: 'utf8' });
    assert.equal(add.status, 0, add.stderr);
    for (const args of [['route', 'show'], ['-j', 'route', 'show'], ['-d', 'route', 'show'], ['-j', '-p', 'route', 'show']]) {
      const a = spawnSync('ip', ['-n', ns.name, ...args], { encoding: 'utf8' });
      const b = spawnSync('node', [RIP, 'ip', '-n', ns.name, ...args], { encoding: 'utf8' });
      assert.equal(b.stdout, a.stdout, args.join(' '));
      assert.equal(b.status, a.status);
    }
    assert.match(ns.ip('route', 'show', '10.3.0.0/24'), /encap mpls {2}600 ttl 5 /);
  });
});
