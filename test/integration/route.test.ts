/**
 * nl.route against the kernel, in throwaway namespaces: every route type and
 * option this kernel supports is created through the library, read back
 * typed (and checked against `ip -j route`), changed, replaced, deleted and
 * flushed; get() is compared with `ip route get`; real dumps are decoded by
 * both decoders, which must agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { NetlinkError, ValidationError } from '../../src/netlink/errors.js';
import { decodeRoute, decodeRouteBySchema, type Route } from '../../src/netlink/route.js';
import { RTM, NLM_F } from '../../src/netlink/constants.js';
import { RTAX } from '../../src/netlink/rtnetlink/route-schema.js';

type IpRoute = Record<string, unknown> & { dst: string };

function ipRoutes(ns: TestNetns, ...args: string[]): IpRoute[] {
  return JSON.parse(ns.ip('-j', ...args)) as IpRoute[];
}

async function setup(ns: TestNetns): Promise<Netlink> {
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  ns.ip('link', 'set', 'veth0', 'up');
  ns.ip('link', 'set', 'veth1', 'up');
  ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'veth0');
  ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'veth0', 'nodad');
  return Netlink.open({ netns: ns.name });
}

async function find(nl: Netlink, dst: string, filter: Parameters<Netlink['route']['list']>[0] = { table: 'all' }): Promise<Route | undefined> {
  return (await nl.route.list(filter).toArray()).find((r) => r.dst === dst);
}

test('route types: add, read back typed and as ip -j shows them, delete', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    const cases: Array<{ spec: Parameters<Netlink['route']['add']>[0]; dst: string; type: string; table: number }> = [
      { spec: { dst: '10.1.0.0/16', gateway: '192.0.2.2' }, dst: '10.1.0.0/16', type: 'unicast', table: 254 },
      { spec: { dst: '10.2.0.0/16', type: 'unreachable' }, dst: '10.2.0.0/16', type: 'unreachable', table: 254 },
      { spec: { dst: '10.3.0.0/16', type: 'blackhole' }, dst: '10.3.0.0/16', type: 'blackhole', table: 254 },
      { spec: { dst: '10.4.0.0/16', type: 'prohibit' }, dst: '10.4.0.0/16', type: 'prohibit', table: 254 },
      { spec: { dst: '10.5.0.0/16', type: 'throw', table: 10 }, dst: '10.5.0.0/16', type: 'throw', table: 10 },
      { spec: { dst: '10.6.0.1', type: 'local', dev: 'veth0' }, dst: '10.6.0.1', type: 'local', table: 255 },
      { spec: { dst: '10.7.0.255', type: 'broadcast', dev: 'veth0' }, dst: '10.7.0.255', type: 'broadcast', table: 255 },
      { spec: { dst: '224.1.0.0/16', type: 'multicast', dev: 'veth0', table: 20 }, dst: '224.1.0.0/16', type: 'multicast', table: 20 },
    ];
    for (const c of cases) await nl.route.add(c.spec);
    for (const c of cases) {
      const r = await find(nl, c.dst);
      assert.ok(r, `${c.dst} read back`);
      assert.equal(r.type, c.type, c.dst);
      assert.equal(r.table, c.table, c.dst);
      const ipr = ipRoutes(ns, 'route', 'show', 'table', 'all').find((x) => x.dst === c.dst);
      assert.ok(ipr, `ip sees ${c.dst}`);
      assert.equal(ipr.type ?? 'unicast', c.type);
    }
    // nat routes are rejected by this kernel (as by any since 2.6.x): the error comes back typed.
    await assert.rejects(nl.route.add({ dst: '10.8.0.0/16', type: 'nat' }), (e: unknown) => e instanceof NetlinkError);
    for (const c of cases) await nl.route.del({ dst: c.spec.dst, type: c.type as never, table: c.table });
    for (const c of cases) assert.equal(await find(nl, c.dst), undefined, `${c.dst} deleted`);
  });
});

test('gateway, dev, src, metric, proto, scope, tos, realms, onlink, tables > 255', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    await nl.route.add({ dst: '10.10.0.0/16', gateway: '192.0.2.2', dev: 'veth0', metric: 7, protocol: 'static', src: '192.0.2.1' });
    let r = await find(nl, '10.10.0.0/16');
    assert.ok(r);
    assert.equal(r.gateway, '192.0.2.2');
    assert.equal(r.dev, 'veth0');
    assert.equal(r.metric, 7);
    assert.equal(r.protocol, 4);
    assert.equal(r.prefsrc, '192.0.2.1');
    assert.deepEqual(ipRoutes(ns, 'route', 'show', '10.10.0.0/16')[0], {
      dst: '10.10.0.0/16', gateway: '192.0.2.2', dev: 'veth0', protocol: 'static', prefsrc: '192.0.2.1', metric: 7, flags: [],
    });
    await nl.route.add({ dst: '10.11.0.0/16', dev: 'veth0', scope: 'link', tos: 0x10, realms: (3 << 16) | 4 });
    r = await find(nl, '10.11.0.0/16');
    assert.ok(r);
    assert.equal(r.scope, 253);
    assert.equal(r.tos, 0x10);
    assert.equal(r.flow, (3 << 16) | 4);
    await nl.route.add({ dst: '10.12.0.0/16', gateway: '198.51.100.1', dev: 'veth0', onlink: true });
    r = await find(nl, '10.12.0.0/16');
    assert.ok(r && r.flags & 4, 'onlink flag read back');
    await nl.route.add({ dst: '10.13.0.0/16', dev: 'veth0', table: 100000 });
    r = await find(nl, '10.13.0.0/16', { table: 100000 });
    assert.equal(r?.table, 100000);
    assert.equal(ipRoutes(ns, 'route', 'show', 'table', '100000')[0]?.dst, '10.13.0.0/16');
    // change keeps the key and replaces the rest; replace creates or replaces.
    await nl.route.change({ dst: '10.10.0.0/16', gateway: '192.0.2.3', dev: 'veth0', metric: 7, protocol: 'static' });
    assert.equal((await find(nl, '10.10.0.0/16'))?.gateway, '192.0.2.3');
    await nl.route.replace({ dst: '10.14.0.0/16', dev: 'veth0' });
    await nl.route.replace({ dst: '10.14.0.0/16', gateway: '192.0.2.9' });
    assert.equal((await find(nl, '10.14.0.0/16'))?.gateway, '192.0.2.9');
    await assert.rejects(nl.route.add({ dst: '10.14.0.0/16', dev: 'veth0' }), (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST');
    await assert.rejects(nl.route.change({ dst: '10.99.0.0/16', dev: 'veth0' }), (e: unknown) => e instanceof NetlinkError && e.code === 'ENOENT');
    await assert.rejects(nl.route.add({ dst: '10.15.0.0/16', gateway: '10.99.0.1' }),
      (e: unknown) => e instanceof NetlinkError && e.extack === 'Nexthop has invalid gateway');
    await assert.rejects(nl.route.add({ dst: 'not-a-prefix', dev: 'veth0' }), ValidationError);
    await assert.rejects(nl.route.add({ dst: '10.16.0.0/16', dev: 'nosuchdev' }), ValidationError);
  });
});

test('metrics: every settable metric round-trips, locks included', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    await nl.route.add({
      dst: '10.20.0.0/16', gateway: '192.0.2.2',
      metrics: {
        mtu: 1400, advmss: 1300, window: 1000, rtt: 100, rttvar: 30, hoplimit: 64, initcwnd: 10, initrwnd: 20,
        quickack: 1, congctl: 'cubic', ssthresh: 5, cwnd: 8, reordering: 3, features: 1, rto_min: 10,
        fastopen_no_cookie: 1, lock: ['mtu', 'congctl'],
      },
    });
    const r = await find(nl, '10.20.0.0/16');
    assert.ok(r?.metrics);
    const m = r.metrics;
    assert.equal(m.mtu, 1400);
    assert.equal(m.advmss, 1300);
    assert.equal(m.window, 1000);
    assert.equal(m.rtt, 100);
    assert.equal(m.rttvar, 30);
    assert.equal(m.hoplimit, 64);
    assert.equal(m.initcwnd, 10);
    assert.equal(m.initrwnd, 20);
    assert.equal(m.quickack, 1);
    assert.equal(m.congctl, 'cubic');
    assert.equal(m.features, 1);
    assert.equal(m.rto_min, 10);
    assert.ok(m.lock! & (1 << RTAX.MTU) && m.lock! & (1 << RTAX.CC_ALGO) && m.lock! & (1 << RTAX.RTO_MIN));
    const ipm = (ipRoutes(ns, 'route', 'show', '10.20.0.0/16')[0]?.metrics as Array<Record<string, unknown>>)[0]!;
    assert.equal(ipm.mtu, 1400);
    assert.equal(ipm.congestion, 'cubic');
    assert.equal(ipm.rtt, 100);
  });
});

test('multipath, IPv4 via IPv6 gateway (RTA_VIA) and nexthop objects (nhid)', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    await nl.route.add({ dst: '10.30.0.0/16', nexthops: [{ gateway: '192.0.2.2', dev: 'veth0', weight: 3 }, { gateway: '192.0.2.3', dev: 'veth0' }] });
    const r = await find(nl, '10.30.0.0/16');
    assert.ok(r?.nexthops);
    assert.deepEqual(r.nexthops.map((n) => [n.gateway, n.dev, n.weight]), [['192.0.2.2', 'veth0', 3], ['192.0.2.3', 'veth0', 1]]);
    assert.deepEqual((ipRoutes(ns, 'route', 'show', '10.30.0.0/16')[0]?.nexthops as unknown[]).length, 2);

    await nl.route.add({ dst: '10.31.0.0/16', gateway: '2001:db8::2', dev: 'veth0' });
    const v = await find(nl, '10.31.0.0/16');
    assert.deepEqual(v?.via, { family: 10, host: '2001:db8::2' });
    assert.deepEqual(ipRoutes(ns, 'route', 'show', '10.31.0.0/16')[0]?.via, { family: 'inet6', host: '2001:db8::2' });

    ns.ip('nexthop', 'add', 'id', '5', 'via', '192.0.2.2', 'dev', 'veth0');
    await nl.route.add({ dst: '10.32.0.0/16', nhid: 5 });
    const n = await find(nl, '10.32.0.0/16');
    assert.equal(n?.nhid, 5);
    assert.equal(n?.gateway, '192.0.2.2');
    await nl.route.del({ dst: '10.32.0.0/16' });
    assert.equal(await find(nl, '10.32.0.0/16'), undefined);
  });
});

test('IPv6: pref, expires, metric, append (multipath by append), source routing', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    await nl.route.add({ dst: '2001:db8:1::/64', gateway: '2001:db8::2', pref: 'high', expires: 300 });
    const r = await find(nl, '2001:db8:1::/64', { family: 'inet6' });
    assert.ok(r);
    assert.equal(r.family, 10);
    assert.equal(r.pref, 1);
    assert.equal(r.metric, 1024);
    assert.ok(r.cacheinfo && r.cacheinfo.expires > 0 && r.cacheinfo.expires <= 300 * 100);
    await nl.route.append({ dst: '2001:db8:1::/64', gateway: '2001:db8::3' });
    const r2 = await find(nl, '2001:db8:1::/64', { family: 'inet6' });
    assert.equal(r2?.nexthops?.length, 2);
    await nl.route.add({ dst: '2001:db8:2::/64', from: '2001:db8:9::/48', dev: 'veth0' });
    const s = await find(nl, '2001:db8:2::/64', { family: 'inet6' });
    assert.equal(s?.from, '2001:db8:9::/48');
    assert.equal(ipRoutes(ns, '-6', 'route', 'show', '2001:db8:2::/64')[0]?.from, '2001:db8:9::/48');
  });
});

test('list filters: table, protocol, scope, type, dev, via, src, root/match/exact, family', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    await nl.route.add({ dst: '10.40.0.0/16', gateway: '192.0.2.2', protocol: 'static' });
    await nl.route.add({ dst: '10.40.1.0/24', dev: 'veth0' });
    await nl.route.add({ dst: '10.41.0.0/16', type: 'unreachable' });
    await nl.route.add({ dst: '10.42.0.0/16', dev: 'veth0', table: 7 });
    const dsts = async (f: Parameters<Netlink['route']['list']>[0]): Promise<string[]> =>
      (await nl.route.list(f).toArray()).map((r) => r.dst).sort();
    assert.deepEqual(await dsts({ family: 'inet', protocol: 'static' }), ['10.40.0.0/16']);
    assert.deepEqual(await dsts({ family: 'inet', type: 'unreachable' }), ['10.41.0.0/16']);
    assert.deepEqual(await dsts({ family: 'inet', table: 7 }), ['10.42.0.0/16']);
    assert.deepEqual(await dsts({ family: 'inet', via: '192.0.2.2' }), ['10.40.0.0/16']);
    assert.deepEqual(await dsts({ family: 'inet', root: '10.40.0.0/16' }), ['10.40.0.0/16', '10.40.1.0/24']);
    assert.deepEqual(await dsts({ family: 'inet', match: '10.40.1.7' }), ['10.40.0.0/16', '10.40.1.0/24']);
    assert.deepEqual(await dsts({ family: 'inet', exact: '10.40.1.0/24' }), ['10.40.1.0/24']);
    assert.deepEqual(await dsts({ family: 'inet', dev: 'veth0', scope: 'link' }), ['10.40.1.0/24', '192.0.2.0/24']);
    assert.deepEqual(await dsts({ family: 'inet', src: '192.0.2.1' }), ['192.0.2.0/24']);
    assert.ok((await dsts({ table: 'all', family: 'inet6' })).includes('2001:db8::/64'));
    assert.deepEqual(
      (await dsts({ family: 'inet' })),
      ipRoutes(ns, 'route', 'show').map((r) => r.dst).sort(),
    );
  });
});

test('get() answers like ip route get (mark, uid, fibmatch, oif)', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    await nl.route.add({ dst: '10.50.0.0/16', gateway: '192.0.2.2' });
    const r = await nl.route.get({ dst: '10.50.1.2' });
    const ipr = ipRoutes(ns, 'route', 'get', '10.50.1.2')[0]!;
    assert.equal(r.dst, ipr.dst);
    assert.equal(r.gateway, ipr.gateway);
    assert.equal(r.dev, ipr.dev);
    assert.equal(r.prefsrc, ipr.prefsrc);
    const f = await nl.route.get({ dst: '10.50.1.2', fibmatch: true });
    assert.equal(f.dst, '10.50.0.0/16');
    const m = await nl.route.get({ dst: '10.50.1.2', mark: 3, uid: 1000, oif: 'veth0', ipproto: 6, sport: 1000, dport: 80 });
    assert.equal(m.mark, 3);
    assert.equal(m.uid, 1000);
    await assert.rejects(nl.route.get({ dst: '203.0.113.1' }), (e: unknown) => e instanceof NetlinkError && e.code === 'ENETUNREACH');
  });
});

test('flush deletes what the filter selects; real dumps decode the same with both decoders', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    for (let i = 0; i < 200; i++) await nl.route.add({ dst: `10.60.${i}.0/24`, dev: 'veth0', protocol: 'static' });
    await nl.route.add({ dst: '10.61.0.0/16', dev: 'veth0' });
    await nl.route.add({ dst: '2001:db8:5::/64', gateway: '2001:db8::2', metrics: { mtu: 1300 } });
    // Raw dump of everything, decoded both ways.
    const msgs: Array<[Route, Route]> = [];
    const stream = nl.socket.dump((w, seq) => {
      const s = w.beginMessage(RTM.GETROUTE, NLM_F.REQUEST | NLM_F.DUMP, seq);
      w.zeros(12);
      w.endMessage(s);
    }, (m) => (m.type === RTM.NEWROUTE ? [decodeRoute(m), decodeRouteBySchema(m)] as [Route, Route] : undefined), 'dump');
    for await (const pair of stream) msgs.push(pair);
    assert.ok(msgs.length > 200);
    for (const [a, b] of msgs) assert.deepEqual(a, b);

    const n = await nl.route.flush({ family: 'inet', protocol: 'static' });
    assert.equal(n, 200);
    assert.equal(ipRoutes(ns, 'route', 'show', 'proto', 'static').length, 0);
    assert.equal(ipRoutes(ns, 'route', 'show', '10.61.0.0/16').length, 1);
  });
});
