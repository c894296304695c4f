/**
 * Link kinds this machine's kernel lacks (dummy, bond + bond slave, vlan,
 * vrf, gre family, ipip, sit, ip6tnl, vti/vti6, geneve, wireguard, ipvlan):
 * they skip here with the reason and run in the full-kernel VM
 * (`../shared/kernel-vm/run-in-vm.sh --timeout 900 -- node --test dist/test/integration/link.vm.test.js`).
 *
 * Each kind is created through the typed library API and through `rip ip
 * link add`, read back typed (linkData), compared with iproute2's view
 * (`ip -j -d link show`), changed where the kind allows it, and deleted.
 * For kinds whose print_opt rip implements, `rip ip -d [-j] link show`
 * must also print what iproute2 prints.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Netlink } from '../../src/netlink/netlink.js';
import { linkData, slaveData } from '../../src/netlink/link.js';
import { withNetns, hasLinkKind, requireKernelFeature, type TestNetns } from '../helpers/netns.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

function rip(ns: TestNetns, ...args: string[]): string {
  const r = spawnSync('node', [RIP, 'ip', '-n', ns.name, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `rip ip ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
function ipJson(ns: TestNetns, dev: string): Record<string, unknown> {
  const arr = JSON.parse(ns.ip('-j', '-d', 'link', 'show', 'dev', dev)) as Array<Record<string, unknown>>;
  return arr[0]!;
}
function infoData(ns: TestNetns, dev: string, key = 'info_data'): Record<string, unknown> {
  return ((ipJson(ns, dev).linkinfo as Record<string, unknown>)[key] ?? {}) as Record<string, unknown>;
}
/** rip's `-d` text and JSON for `dev` equal iproute2's. */
function assertShowParity(ns: TestNetns, dev: string): void {
  for (const o of [['-d'], ['-d', '-j']]) {
    const want = ns.ip(...o, 'link', 'show', 'dev', dev);
    assert.equal(rip(ns, ...o, 'link', 'show', 'dev', dev), want, `${o.join(' ')} link show dev ${dev}`);
  }
}
function need(t: Parameters<typeof requireKernelFeature>[0], kind: string): boolean {
  return requireKernelFeature(t, () => hasLinkKind(kind), `${kind} links`);
}

test('dummy and wireguard: create (library, CLI), read back, delete', async (t) => {
  if (!need(t, 'dummy')) return;
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.link.add({ ifname: 'd0', kind: 'dummy', mtu: 9000, address: '02:00:00:00:00:d0', up: true, group: 7 });
    rip(ns, 'link', 'add', 'd1', 'txqueuelen', '50', 'type', 'dummy');
    const d0 = await nl.link.get('d0');
    const j = ipJson(ns, 'd0');
    assert.equal(d0.kind, 'dummy');
    assert.equal(d0.mtu, 9000);
    assert.equal(j.mtu, 9000);
    assert.equal(j.address, '02:00:00:00:00:d0');
    assert.equal(j.group, '7');
    assert.equal((await nl.link.get('d1')).txqlen, 50);
    assertShowParity(ns, 'd0');
    // A running link cannot be renamed (EBUSY): down first.
    await nl.link.set('d0', { up: false });
    await nl.link.set('d0', { ifname: 'd9', mtu: 1280, alias: 'dummy nine' });
    assert.equal(ipJson(ns, 'd9').ifalias, 'dummy nine');
    await nl.link.del('d9');
    rip(ns, 'link', 'del', 'd1');
    assert.equal(ns.ip('link', 'show', 'type', 'dummy'), '');
    if (hasLinkKind('wireguard')) {
      await nl.link.add({ ifname: 'wg0', kind: 'wireguard' });
      rip(ns, 'link', 'add', 'wg1', 'type', 'wireguard');
      assert.equal((await nl.link.get('wg0')).kind, 'wireguard');
      assert.equal((ipJson(ns, 'wg1').linkinfo as Record<string, unknown>).info_kind, 'wireguard');
      assertShowParity(ns, 'wg1');
      await nl.link.del('wg0');
      rip(ns, 'link', 'delete', 'wg1');
    } else {
      t.diagnostic('wireguard not in this kernel');
    }
  });
});

test('bond and bond slaves: typed options both ways, change, delete', async (t) => {
  if (!need(t, 'bond') || !hasLinkKind('dummy')) return;
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.link.add({ ifname: 'e0', kind: 'dummy' });
    await nl.link.add({ ifname: 'e1', kind: 'dummy' });
    await nl.link.add({ ifname: 'bond0', kind: 'bond', mode: 'active-backup', miimon: 100, updelay: 200, downdelay: 200, arp_ip_target: [] });
    await nl.link.set('e0', { master: 'bond0' });
    await nl.link.set('bond0', { kindOptions: { kind: 'bond', primary: 'e0' } });
    const b = linkData(await nl.link.get('bond0'), 'bond')!;
    const j = infoData(ns, 'bond0');
    assert.equal(b.mode, 1);
    assert.equal(j.mode, 'active-backup');
    assert.equal(b.miimon, 100);
    assert.equal(j.miimon, 100);
    assert.equal(j.updelay, 200);
    assert.equal(b.primary, (await nl.link.get('e0')).ifindex);
    assert.equal(j.primary, 'e0');
    const s = slaveData(await nl.link.get('e0'), 'bond')!;
    assert.equal(typeof s.mii_status, 'number');
    assert.equal(infoData(ns, 'e0', 'info_slave_data').state, ['ACTIVE', 'BACKUP'][s.state!]);
    rip(ns, 'link', 'add', 'bond1', 'type', 'bond', 'mode', '802.3ad', 'xmit_hash_policy', 'layer3+4', 'lacp_rate', 'fast', 'miimon', '50');
    rip(ns, 'link', 'set', 'e1', 'master', 'bond1');
    rip(ns, 'link', 'set', 'e1', 'type', 'bond_slave', 'queue_id', '0');
    const b1 = linkData(await nl.link.get('bond1'), 'bond')!;
    assert.equal(b1.mode, 4);
    assert.equal(b1.xmit_hash_policy, 1);
    assert.equal(b1.ad_lacp_rate, 1);
    assertShowParity(ns, 'bond0');
    assertShowParity(ns, 'bond1');
    assertShowParity(ns, 'e1');
    await nl.link.del('bond0');
    rip(ns, 'link', 'del', 'bond1');
    assert.equal(ns.ip('link', 'show', 'type', 'bond'), '');
  });
});

test('vlan (802.1Q and 802.1ad, flags, QoS maps), vrf, ipvlan', async (t) => {
  if (!need(t, 'vlan') || !hasLinkKind('dummy')) return;
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.link.add({ ifname: 'eth0', kind: 'dummy' });
    await nl.link.add({ ifname: 'eth0.10', kind: 'vlan', link: 'eth0', id: 10, egress_qos: { mapping: [{ from: 1, to: 2 }] } });
    rip(ns, 'link', 'add', 'link', 'eth0', 'name', 'eth0.20', 'type', 'vlan', 'id', '20', 'protocol', '802.1ad', 'gvrp', 'on', 'ingress-qos-map', '3:4');
    const v10 = await nl.link.get('eth0.10');
    const d10 = linkData(v10, 'vlan')!;
    assert.equal(d10.id, 10);
    assert.equal(d10.protocol, 0x8100);
    assert.deepEqual(d10.egress_qos?.mapping, [{ from: 1, to: 2 }]);
    assert.equal(infoData(ns, 'eth0.10').id, 10);
    const d20 = linkData(await nl.link.get('eth0.20'), 'vlan')!;
    assert.equal(d20.protocol, 0x88a8);
    assert.equal(infoData(ns, 'eth0.20').protocol, '802.1ad');
    assert.ok((d20.flags!.flags & 2) !== 0, 'GVRP');
    assertShowParity(ns, 'eth0.10');
    assertShowParity(ns, 'eth0.20');
    await nl.link.del('eth0.10');
    rip(ns, 'link', 'del', 'eth0.20');

    if (hasLinkKind('vrf')) {
      await nl.link.add({ ifname: 'vrf-blue', kind: 'vrf', table: 10 });
      rip(ns, 'link', 'add', 'vrf-red', 'type', 'vrf', 'table', '20');
      assert.equal(linkData(await nl.link.get('vrf-blue'), 'vrf')!.table, 10);
      assert.equal(infoData(ns, 'vrf-red').table, 20);
      rip(ns, 'link', 'set', 'eth0', 'vrf', 'vrf-red');
      assert.equal(slaveData(await nl.link.get('eth0'), 'vrf')?.table, 20);
      assertShowParity(ns, 'vrf-blue');
      assertShowParity(ns, 'eth0');
      await nl.link.set('eth0', { master: null });
      await nl.link.del('vrf-blue');
      rip(ns, 'link', 'del', 'vrf-red');
    } else t.diagnostic('vrf not in this kernel');

    if (hasLinkKind('ipvlan')) {
      await nl.link.add({ ifname: 'ipv0', kind: 'ipvlan', link: 'eth0', mode: 'l3' });
      assert.equal(linkData(await nl.link.get('ipv0'), 'ipvlan')!.mode, 1);
      assertShowParity(ns, 'ipv0');
      // The mode belongs to the lower device's port: the next ipvlan on eth0 changes it for both.
      rip(ns, 'link', 'add', 'ipv1', 'link', 'eth0', 'type', 'ipvlan', 'mode', 'l2', 'vepa');
      assert.equal(infoData(ns, 'ipv1').mode, 'l2');
      assert.equal(infoData(ns, 'ipv1').vepa, true);
      assertShowParity(ns, 'ipv1');
      await nl.link.del('ipv0');
      rip(ns, 'link', 'del', 'ipv1');
    } else t.diagnostic('ipvlan not in this kernel');
  });
});

test('geneve: typed create, read back, delete', async (t) => {
  if (!need(t, 'geneve')) return;
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.link.add({ ifname: 'gnv0', kind: 'geneve', id: 100, remote: '192.0.2.1', ttl: 9, port: 6081 });
    rip(ns, 'link', 'add', 'gnv1', 'type', 'geneve', 'id', '101', 'remote', '2001:db8::1', 'dstport', '6082');
    const g = linkData(await nl.link.get('gnv0'), 'geneve')!;
    assert.equal(g.id, 100);
    assert.equal(g.remote, '192.0.2.1');
    assert.equal(infoData(ns, 'gnv0').remote, '192.0.2.1');
    assert.equal(g.ttl, 9);
    const g1 = linkData(await nl.link.get('gnv1'), 'geneve')!;
    assert.equal(g1.remote6, '2001:db8::1');
    assert.equal(g1.port, 6082);
    assert.equal(infoData(ns, 'gnv1').port, 6082);
    await nl.link.del('gnv0');
    rip(ns, 'link', 'del', 'gnv1');
  });
});

test('IP tunnels: gre, gretap, ip6gre, ipip, sit, ip6tnl, vti, vti6', async (t) => {
  if (!need(t, 'gre')) return;
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.link.add({ ifname: 'gre1', kind: 'gre', local: '192.0.2.2', remote: '192.0.2.1', ttl: 64, ikey: 42, okey: 42, iflags: 0x2000, oflags: 0x2000 });
    rip(ns, 'link', 'add', 'gre2', 'type', 'gre', 'remote', '192.0.2.3', 'local', '192.0.2.2', 'key', '7', 'ttl', '32');
    const g1 = linkData(await nl.link.get('gre1'), 'gre')!;
    assert.equal(g1.remote, '192.0.2.1');
    assert.equal(g1.ikey, 42);
    assert.equal(infoData(ns, 'gre1').remote, '192.0.2.1');
    assertShowParity(ns, 'gre1');
    assertShowParity(ns, 'gre2');
    const g2 = linkData(await nl.link.get('gre2'), 'gre')!;
    assert.equal(g2.ikey, 7);
    assert.equal(g2.ttl, 32);
    assert.equal(infoData(ns, 'gre2').ttl, 32);
    const kinds: Array<[string, string[]]> = [
      ['gretap', ['remote', '192.0.2.5', 'local', '192.0.2.2']],
      ['ip6gre', ['remote', '2001:db8::1', 'local', '2001:db8::2']],
      ['ipip', ['remote', '192.0.2.6', 'local', '192.0.2.2']],
      ['sit', ['remote', '192.0.2.7', 'local', '192.0.2.2']],
      ['ip6tnl', ['remote', '2001:db8::7', 'local', '2001:db8::2']],
      ['vti', ['remote', '192.0.2.8', 'local', '192.0.2.2', 'key', '5']],
      ['vti6', ['remote', '2001:db8::8', 'local', '2001:db8::2']],
    ];
    for (const [kind, args] of kinds) {
      if (!hasLinkKind(kind)) { t.diagnostic(`${kind} not in this kernel`); continue; }
      rip(ns, 'link', 'add', `t-${kind}`, 'type', kind, ...args);
      const l = await nl.link.get(`t-${kind}`);
      assert.equal(l.kind, kind);
      const data = l.raw.attrs.linkinfo?.data as Record<string, unknown>;
      assert.equal(data.remote, args[1], `${kind} remote`);
      assert.equal(infoData(ns, `t-${kind}`).remote, args[1], `${kind} remote (iproute2)`);
      assertShowParity(ns, `t-${kind}`);
      await nl.link.del(`t-${kind}`);
    }
    await nl.link.add({ ifname: 'ipip1', kind: 'ipip', remote: '198.51.100.1', local: '198.51.100.2', ttl: 20, pmtudisc: 1 });
    assert.equal(linkData(await nl.link.get('ipip1'), 'ipip')!.ttl, 20);
    await nl.link.del('ipip1');
    await nl.link.del('gre1');
    rip(ns, 'link', 'del', 'gre2');
  });
});
