/**
 * nl.link against the real kernel, in throwaway namespaces: every link kind
 * this kernel has (veth incl. a peer in another namespace, bridge and bridge
 * port options, vxlan, macvlan, macvtap, ifb) is created through the library
 * and through `rip ip link`, read back typed, compared with iproute2's view
 * (`ip -n NS -j -d link show`), changed, and deleted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Netlink } from '../../src/netlink/netlink.js';
import { linkData, slaveData, type Link } from '../../src/netlink/link.js';
import { NetlinkError, ValidationError, isExists, isNotFound } from '../../src/netlink/errors.js';
import { IFF } from '../../src/netlink/rtnetlink/link-schema.js';
import { MACVLAN_MODE } from '../../src/netlink/rtnetlink/kinds/macvlan.js';
import { withNetns, createTestNetns, type TestNetns, requireRoot } from '../helpers/netns.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

/** iproute2's JSON view of one link. */
function ipJson(ns: TestNetns, dev: string): Record<string, unknown> {
  const arr = JSON.parse(ns.ip('-j', '-d', '-s', 'link', 'show', 'dev', dev)) as Array<Record<string, unknown>>;
  assert.equal(arr.length, 1);
  return arr[0]!;
}
function infoData(j: Record<string, unknown>, key = 'info_data'): Record<string, unknown> {
  return ((j.linkinfo as Record<string, unknown>)[key] ?? {}) as Record<string, unknown>;
}

function rip(ns: TestNetns, ...args: string[]): void {
  const r = spawnSync('node', [RIP, 'ip', '-n', ns.name, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `rip ip ${args.join(' ')}: ${r.stderr}`);
}

/** The fields every link shares, checked against iproute2's JSON. */
function assertCommon(l: Link, j: Record<string, unknown>): void {
  assert.equal(l.ifindex, j.ifindex);
  assert.equal(l.ifname, j.ifname);
  assert.equal(l.mtu, j.mtu);
  assert.equal(l.address, j.address);
  assert.equal(l.operstate, j.operstate);
  assert.equal(l.txqlen, j.txqlen);
  assert.equal(l.promiscuity, j.promiscuity);
  assert.equal(l.minMtu, j.min_mtu);
  assert.equal(l.maxMtu, j.max_mtu);
  assert.equal(l.numTxQueues, j.num_tx_queues);
  assert.equal(l.kind, (j.linkinfo as Record<string, unknown> | undefined)?.info_kind);
  const stats = j.stats64 as { rx: { packets: number }; tx: { packets: number } };
  assert.equal(typeof l.stats64?.rx_packets, 'bigint');
  assert.ok(l.stats64!.rx_packets <= BigInt(stats.rx.packets) + 100n);
}

test('veth: add with typed peer, read back, set, delete', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    // IFLA_IFALIAS is only applied by the kernel when changing a link, not on creation.
    await nl.link.add({ ifname: 'a0', kind: 'veth', mtu: 1400, address: '02:00:00:00:00:a0', txqlen: 300, peer: { ifname: 'a1', mtu: 1300, address: '02:00:00:00:00:a1' } });
    await nl.link.set('a0', { alias: 'left' });
    const a0 = await nl.link.get('a0');
    const a1 = await nl.link.get('a1');
    assertCommon(a0, ipJson(ns, 'a0'));
    assertCommon(a1, ipJson(ns, 'a1'));
    assert.equal(a0.link, a1.ifindex);
    assert.equal(a1.link, a0.ifindex);
    assert.equal(a0.ifalias, 'left');
    assert.equal(ipJson(ns, 'a0').ifalias, 'left');
    assert.equal(a1.mtu, 1300);
    assert.equal(a0.kind, 'veth');

    await nl.link.set('a0', { up: true, mtu: 1450, ifname: 'b0', promisc: true, allmulticast: true, arp: false, txqlen: 77, group: 9, alias: 'renamed' });
    const b0 = await nl.link.get('b0');
    const j = ipJson(ns, 'b0');
    assertCommon(b0, j);
    assert.ok(b0.flags & IFF.UP && b0.flags & IFF.PROMISC && b0.flags & IFF.ALLMULTI && b0.flags & IFF.NOARP);
    assert.deepEqual(j.flags, ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'NOARP', 'ALLMULTI', 'PROMISC', 'UP', 'M-DOWN']);
    assert.equal(b0.group, 9);
    assert.equal(j.group, '9');
    await nl.link.set(b0.ifindex, { multicast: false, promisc: false, arp: true });
    assert.deepEqual(ipJson(ns, 'b0').flags, ['NO-CARRIER', 'BROADCAST', 'ALLMULTI', 'UP', 'M-DOWN']);

    const dup = await nl.link.add({ ifname: 'b0', kind: 'veth' }).catch((e: unknown) => e);
    assert.ok(dup instanceof NetlinkError && isExists(dup));
    await assert.rejects(nl.link.add({ ifname: 'bad/name', kind: 'veth' }), ValidationError);
    await assert.rejects(nl.link.set('b0', { address: 'zz' }), ValidationError);

    await nl.link.del('b0');
    const gone = await nl.link.get('a1').catch((e: unknown) => e);
    assert.ok(gone instanceof NetlinkError && isNotFound(gone), 'deleting one end deletes the pair');
    assert.equal(ns.ip('link', 'show', 'type', 'veth'), '');
  });
});

test('veth with the peer in another namespace (library and CLI), moved back with netns', async (t) => {
  if (!requireRoot(t)) return;
  const other = createTestNetns('rip-link-other');
  t.after(() => other.cleanup());
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.link.add({ ifname: 'x0', kind: 'veth', peer: { ifname: 'x1', netns: other.name } });
    const x0 = await nl.link.get('x0');
    assert.equal(x0.linkNetnsid !== undefined, true, 'peer in another namespace has a link-netnsid');
    await using peerNl = await Netlink.open({ netns: other.name });
    const x1 = await peerNl.link.get('x1');
    assert.equal(x1.link, x0.ifindex);
    assertCommon(x1, ipJson(other, 'x1'));
    assert.match(other.ip('-d', 'link', 'show', 'x1'), new RegExp(`link-netns ${ns.name}`));

    rip(ns, 'link', 'add', 'y0', 'type', 'veth', 'peer', 'name', 'y1', 'netns', other.name);
    assert.equal((await peerNl.link.get('y1')).ifname, 'y1');
    // Move y1 back by name of namespace, then by pid-less fd path.
    await peerNl.link.set('y1', { netns: ns.name });
    assert.equal((await nl.link.get('y1')).link, (await nl.link.get('y0')).ifindex);
    rip(ns, 'link', 'set', 'y1', 'netns', other.name);
    assert.equal((await peerNl.link.get('y1')).ifname, 'y1');
    rip(ns, 'link', 'del', 'y0');
    await nl.link.del('x0');
    assert.equal(other.ip('link', 'show', 'type', 'veth'), '');
  });
});

test('bridge: typed options both ways, port options, master/nomaster, change, delete', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.link.add({ ifname: 'br0', kind: 'bridge', stp_state: 1, forward_delay: 400, hello_time: 300, max_age: 1900, ageing_time: 20000, priority: 100, vlan_default_pvid: 7, mcast_snooping: 0, group_fwd_mask: 0x4000 });
    const br = await nl.link.get('br0');
    const d = linkData(br, 'bridge');
    assert.ok(d);
    const j = infoData(ipJson(ns, 'br0'));
    for (const k of ['stp_state', 'forward_delay', 'hello_time', 'max_age', 'ageing_time', 'priority', 'vlan_default_pvid', 'mcast_snooping'] as const) {
      assert.equal(d[k], j[k], k);
    }
    assert.equal(d.stp_state, 1);
    assert.equal(d.forward_delay, 400);
    assert.equal(d.group_fwd_mask, 0x4000);
    assert.equal(typeof d.gc_timer, 'bigint');
    assert.equal(linkData(br, 'vxlan'), undefined, 'typed access checks the kind');

    await nl.link.add({ ifname: 'p0', kind: 'veth', peer: { ifname: 'p1' } });
    await nl.link.set('p0', { master: 'br0' });
    await nl.link.set('p0', { slaveOptions: { kind: 'bridge', data: { cost: 33, priority: 7, learning: 0, mode: 1, unicast_flood: 0 } } });
    const p0 = await nl.link.get('p0');
    assert.equal(p0.master, br.ifindex);
    assert.equal(p0.slaveKind, 'bridge');
    const s = slaveData(p0, 'bridge');
    assert.ok(s);
    const js = infoData(ipJson(ns, 'p0'), 'info_slave_data');
    assert.equal(s.cost, 33);
    assert.equal(js.cost, 33);
    assert.equal(s.priority, js.priority);
    assert.equal(js.learning, false);
    assert.equal(js.hairpin, true);
    assert.equal(js.flood, false);
    assert.equal(ipJson(ns, 'p0').master, 'br0');
    assert.deepEqual((await nl.link.list({ master: br.ifindex }).toArray()).map((l) => l.ifname), ['p0']);

    await nl.link.set('br0', { kindOptions: { kind: 'bridge', stp_state: 0, forward_delay: 1500 } });
    const d2 = linkData(await nl.link.get('br0'), 'bridge')!;
    assert.equal(d2.stp_state, 0);
    assert.equal(d2.forward_delay, 1500);
    assert.equal(infoData(ipJson(ns, 'br0')).forward_delay, 1500);

    await nl.link.set('p0', { master: null });
    assert.equal((await nl.link.get('p0')).master, undefined);
    assert.equal(ipJson(ns, 'p0').master, undefined);

    // The same through the CLI.
    rip(ns, 'link', 'add', 'br1', 'type', 'bridge', 'stp_state', '1', 'priority', '4096', 'mcast_querier', '1');
    rip(ns, 'link', 'set', 'p1', 'master', 'br1', 'up');
    rip(ns, 'link', 'set', 'p1', 'type', 'bridge_slave', 'cost', '99', 'guard', 'on');
    const b1 = linkData(await nl.link.get('br1'), 'bridge')!;
    assert.equal(b1.priority, 4096);
    assert.equal(b1.mcast_querier, 1);
    const p1 = slaveData(await nl.link.get('p1'), 'bridge')!;
    assert.equal(p1.cost, 99);
    assert.equal(p1.guard, 1);
    rip(ns, 'link', 'set', 'p1', 'nomaster');
    rip(ns, 'link', 'delete', 'br1');
    await nl.link.del('br0');
    assert.equal(ns.ip('link', 'show', 'type', 'bridge'), '');
  });
});

test('vxlan: unicast and multicast, IPv4 and IPv6, typed read back, change, delete', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.link.add({ ifname: 'u0', kind: 'veth', peer: { ifname: 'u1' } });
    await nl.link.add({ ifname: 'vx0', kind: 'vxlan', id: 42, remote: '192.0.2.1', local: '192.0.2.2', dstport: 4789, ttl: 10, tos: 1, learning: 0, l2miss: 1, port_range: { low: 1000, high: 2000 }, ageing: 120, limit: 5 });
    const v = linkData(await nl.link.get('vx0'), 'vxlan')!;
    const j = infoData(ipJson(ns, 'vx0'));
    assert.equal(v.id, 42);
    assert.equal(j.id, 42);
    assert.equal(v.group, '192.0.2.1');
    assert.equal(j.remote, '192.0.2.1');
    assert.equal(v.local, j.local);
    assert.equal(v.port, 4789);
    assert.equal(j.port, 4789);
    assert.equal(v.ttl, 10);
    assert.equal(j.ttl, 10);
    assert.deepEqual(v.port_range, { low: 1000, high: 2000 });
    assert.deepEqual(j.port_range, { low: 1000, high: 2000 });
    assert.equal(v.learning, 0);
    assert.equal(j.learning, false);
    assert.equal(j.l2miss, true);
    assert.equal(v.ageing, 120);
    assert.equal(j.limit, 5);

    await nl.link.add({ ifname: 'vx1', kind: 'vxlan', id: 43, remote: 'ff05::9', dev: 'u0', dstport: 0 });
    const v1 = linkData(await nl.link.get('vx1'), 'vxlan')!;
    assert.equal(v1.group6, 'ff05::9');
    assert.equal(v1.link, (await nl.link.get('u0')).ifindex);
    assert.equal(infoData(ipJson(ns, 'vx1')).group6, 'ff05::9');
    assert.equal(infoData(ipJson(ns, 'vx1')).link, 'u0');

    await nl.link.set('vx0', { kindOptions: { kind: 'vxlan', ttl: 20 } });
    assert.equal(linkData(await nl.link.get('vx0'), 'vxlan')!.ttl, 20);

    rip(ns, 'link', 'add', 'vx2', 'type', 'vxlan', 'external', 'dstport', '4790');
    const v2 = linkData(await nl.link.get('vx2'), 'vxlan')!;
    assert.equal(v2.collect_metadata, 1);
    assert.equal(infoData(ipJson(ns, 'vx2')).external, true);
    for (const n of ['vx0', 'vx1', 'vx2']) await nl.link.del(n);
    assert.equal(ns.ip('link', 'show', 'type', 'vxlan'), '');
  });
});

test('macvlan and macvtap modes, ifb: create, read back, change, delete', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.link.add({ ifname: 'lower', kind: 'veth', peer: { ifname: 'lower1' } });
    await nl.link.add({ ifname: 'mv0', kind: 'macvlan', link: 'lower', mode: 'private' });
    await nl.link.add({ ifname: 'mvt0', kind: 'macvtap', link: 'lower', mode: MACVLAN_MODE.VEPA, address: '02:00:00:00:00:77' });
    const mv = await nl.link.get('mv0');
    assert.equal(linkData(mv, 'macvlan')!.mode, MACVLAN_MODE.PRIVATE);
    assert.equal(infoData(ipJson(ns, 'mv0')).mode, 'private');
    assert.equal(ipJson(ns, 'mv0').link, 'lower');
    assert.equal(mv.link, (await nl.link.get('lower')).ifindex);
    const mvt = await nl.link.get('mvt0');
    assert.equal(linkData(mvt, 'macvtap')!.mode, MACVLAN_MODE.VEPA);
    assert.equal(mvt.address, '02:00:00:00:00:77');
    assertCommon(mvt, ipJson(ns, 'mvt0'));

    await nl.link.set('mv0', { kindOptions: { kind: 'macvlan', mode: 'bridge' } });
    assert.equal(infoData(ipJson(ns, 'mv0')).mode, 'bridge');
    rip(ns, 'link', 'set', 'mvt0', 'type', 'macvtap', 'mode', 'private');
    assert.equal(infoData(ipJson(ns, 'mvt0')).mode, 'private');
    rip(ns, 'link', 'add', 'mv1', 'link', 'lower', 'type', 'macvlan', 'mode', 'source', 'macaddr', 'add', '02:00:00:00:01:01');
    const mv1 = linkData(await nl.link.get('mv1'), 'macvlan')!;
    assert.equal(mv1.mode, MACVLAN_MODE.SOURCE);
    assert.equal(mv1.macaddr_count, 1);
    assert.deepEqual(mv1.macaddr_data?.macaddr, ['02:00:00:00:01:01']);

    await nl.link.add({ ifname: 'ifb0', kind: 'ifb', txqlen: 50, up: true });
    rip(ns, 'link', 'add', 'ifb1', 'numtxqueues', '3', 'type', 'ifb');
    const ifb0 = await nl.link.get('ifb0');
    assert.equal(ifb0.kind, 'ifb');
    assert.ok(ifb0.flags & IFF.UP);
    assertCommon(ifb0, ipJson(ns, 'ifb0'));
    assert.equal((await nl.link.get('ifb1')).numTxQueues, 3);
    const kinds = (await nl.link.list().toArray()).map((l) => `${l.ifname}:${l.kind ?? ''}`).sort();
    assert.deepEqual(kinds, ['ifb0:ifb', 'ifb1:ifb', 'lo:', 'lower1:veth', 'lower:veth', 'mv0:macvlan', 'mv1:macvlan', 'mvt0:macvtap'].sort());
    assert.deepEqual((await nl.link.list({ kind: 'ifb' }).toArray()).map((l) => l.ifname), ['ifb0', 'ifb1']);
    assert.deepEqual((await nl.link.list({ up: true }).toArray()).map((l) => l.ifname), ['lo', 'ifb0']);
    for (const n of ['mv0', 'mv1', 'mvt0', 'ifb0', 'ifb1', 'lower']) await nl.link.del(n);
    assert.equal(ns.ip('link', 'show').split('\n').filter((x) => /^\d+:/.test(x)).length, 1);
  });
});

test('link list/get: stats64, alt names, protodown, permaddr-less veth, unknown device', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    ns.ip('link', 'add', 's0', 'type', 'veth', 'peer', 'name', 's1');
    ns.ip('link', 'property', 'add', 'dev', 's0', 'altname', 'left-end');
    ns.ip('link', 'set', 's0', 'up');
    ns.ip('link', 'set', 's1', 'up');
    const s0 = await nl.link.get('left-end');
    assert.equal(s0.ifname, 's0');
    assert.deepEqual(s0.altnames, ['left-end']);
    assert.deepEqual(ipJson(ns, 's0').altnames, ['left-end']);
    const j = ipJson(ns, 's0') as { stats64: { tx: { packets: number } } };
    assert.equal(typeof s0.stats64?.tx_packets, 'bigint');
    assert.ok(Math.abs(Number(s0.stats64!.tx_packets) - j.stats64.tx.packets) < 50);
    const skip = await nl.link.list({ skipStats: true }).toArray();
    assert.ok(skip.every((l) => l.stats64 !== undefined), 'SKIP_STATS only drops VF statistics');
    assert.equal(s0.permaddr, undefined);
    assert.equal(s0.protoDown, false);
    const missing = await nl.link.get('nope').catch((e: unknown) => e);
    assert.ok(missing instanceof NetlinkError && isNotFound(missing));
  });
});
