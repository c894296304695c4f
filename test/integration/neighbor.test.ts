/**
 * nl.neighbor against the real kernel in a throwaway namespace: permanent,
 * reachable, stale, noarp and proxy entries on a veth, read back typed and
 * through `ip -j neigh`; replace/change/get/del/flush.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { AF } from '../../src/netlink/constants.js';
import { isNotFound, NetlinkError } from '../../src/netlink/errors.js';

interface IpNeigh { dst: string; dev?: string; lladdr?: string; state?: string[]; router?: null; proxy?: null; protocol?: string; extern_learn?: null }

function ipNeigh(ns: TestNetns, ...args: string[]): IpNeigh[] {
  return JSON.parse(ns.ip('-j', 'neigh', 'show', ...args)) as IpNeigh[];
}

function setup(ns: TestNetns): void {
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  ns.ip('link', 'set', 'veth0', 'up');
  ns.ip('link', 'set', 'veth1', 'up');
  ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'veth0');
  ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'veth0', 'nodad');
}

async function withNl<R>(ns: TestNetns, fn: (nl: Netlink) => Promise<R>): Promise<R> {
  const nl = await Netlink.open({ netns: ns.name });
  try { return await fn(nl); } finally { nl.close(); }
}

test('add permanent, reachable, stale and noarp entries; read back typed and via ip -j', async (t) => {
  await withNetns(t, async (ns) => {
    setup(ns);
    await withNl(ns, async (nl) => {
      await nl.neighbor.add({ dst: '192.0.2.7', dev: 'veth0', lladdr: '02:00:00:00:00:07' });
      await nl.neighbor.add({ dst: '192.0.2.8', dev: 'veth0', lladdr: '02:00:00:00:00:08', state: 'stale', router: true, protocol: 4 });
      await nl.neighbor.add({ dst: '2001:db8::7', dev: 'veth0', lladdr: '02:00:00:00:00:17', state: 'reachable' });
      await nl.neighbor.add({ dst: '192.0.2.11', dev: 'veth0', lladdr: '02:00:00:00:00:0b', state: 'noarp' });

      const all = await nl.neighbor.list({ dev: 'veth0' }).toArray();
      const by = new Map(all.map((n) => [n.dst, n]));
      const p = by.get('192.0.2.7')!;
      assert.deepEqual([p.family, p.lladdr, p.state, p.router], [AF.INET, '02:00:00:00:00:07', ['PERMANENT'], false]);
      const s = by.get('192.0.2.8')!;
      assert.deepEqual([s.state, s.router, s.protocol], [['STALE'], true, 4]);
      const r = by.get('2001:db8::7')!;
      assert.equal(r.family, AF.INET6);
      assert.ok(r.state[0] === 'REACHABLE' || r.state[0] === 'STALE' || r.state[0] === 'DELAY', `state ${r.state.join()}`);
      assert.deepEqual(by.get('192.0.2.11')?.state, ['NOARP']);
      assert.ok(p.cacheinfo !== undefined);
      assert.equal(p.ifindex, (await nl.link.get('veth0')).ifindex);

      // The same entries through iproute2 (NOARP entries are hidden by default there, as in our CLI).
      const ip = new Map(ipNeigh(ns, 'dev', 'veth0', 'nud', 'all').map((n) => [n.dst, n]));
      assert.deepEqual(ip.get('192.0.2.7'), { dst: '192.0.2.7', lladdr: '02:00:00:00:00:07', state: ['PERMANENT'] });
      assert.deepEqual(ip.get('192.0.2.8'), { dst: '192.0.2.8', lladdr: '02:00:00:00:00:08', router: null, state: ['STALE'], protocol: 'static' });
      assert.deepEqual(ip.get('192.0.2.11')?.state, ['NOARP']);

      // State filters behave as iproute2's.
      const stale = await nl.neighbor.list({ states: ['stale'] }).toArray();
      assert.deepEqual(stale.map((n) => n.dst), ['192.0.2.8']);
      const v6 = await nl.neighbor.list({ family: AF.INET6, dev: 'veth0', states: ['reachable', 'stale', 'delay', 'probe'] }).toArray();
      assert.deepEqual(v6.map((n) => n.dst), ['2001:db8::7']);

      const got = await nl.neighbor.get({ dst: '192.0.2.7', dev: 'veth0' });
      assert.equal(got.lladdr, '02:00:00:00:00:07');
      await assert.rejects(nl.neighbor.get({ dst: '192.0.2.99', dev: 'veth0' }), (e: unknown) => isNotFound(e));
    });
  });
});

test('proxy entries: add, list with proxy: true, get and delete', async (t) => {
  await withNetns(t, async (ns) => {
    setup(ns);
    await withNl(ns, async (nl) => {
      await nl.neighbor.add({ dst: '192.0.2.9', dev: 'veth0', proxy: true });
      await nl.neighbor.add({ dst: '2001:db8::9', dev: 'veth0', proxy: true });
      const proxies = await nl.neighbor.list({ proxy: true }).toArray();
      assert.deepEqual(proxies.map((n) => [n.dst, n.proxy]).sort(), [['192.0.2.9', true], ['2001:db8::9', true]]);
      assert.deepEqual(ipNeigh(ns, 'proxy').map((n) => [n.dst, n.dev, n.proxy]).sort(),
        [['192.0.2.9', 'veth0', null], ['2001:db8::9', 'veth0', null]]);
      // Proxy entries are not in the cache dump.
      assert.ok(!(await nl.neighbor.list({ dev: 'veth0' }).toArray()).some((n) => n.dst === '192.0.2.9'));
      const g = await nl.neighbor.get({ dst: '192.0.2.9', dev: 'veth0', proxy: true });
      assert.equal(g.proxy, true);
      await nl.neighbor.del({ dst: '192.0.2.9', dev: 'veth0', proxy: true });
      assert.deepEqual(ipNeigh(ns, 'proxy').map((n) => n.dst), ['2001:db8::9']);
    });
  });
});

test('replace, change, extern_learn, duplicate add, del and flush', async (t) => {
  await withNetns(t, async (ns) => {
    setup(ns);
    await withNl(ns, async (nl) => {
      await nl.neighbor.add({ dst: '192.0.2.7', dev: 'veth0', lladdr: '02:00:00:00:00:07' });
      await assert.rejects(nl.neighbor.add({ dst: '192.0.2.7', dev: 'veth0', lladdr: '02:00:00:00:00:07' }),
        (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST');
      await nl.neighbor.replace({ dst: '192.0.2.7', dev: 'veth0', lladdr: '02:00:00:00:00:70', state: 'stale' });
      assert.deepEqual(ipNeigh(ns, '192.0.2.7'), [{ dst: '192.0.2.7', dev: 'veth0', lladdr: '02:00:00:00:00:70', state: ['STALE'] }]);
      await nl.neighbor.change({ dst: '192.0.2.7', dev: 'veth0', lladdr: '02:00:00:00:00:71', state: 'permanent' });
      assert.deepEqual(ipNeigh(ns, '192.0.2.7')[0]?.lladdr, '02:00:00:00:00:71');
      await nl.neighbor.add({ dst: '192.0.2.20', dev: 'veth0', lladdr: '02:00:00:00:00:20', state: 'reachable', extern_learn: true });
      const el = (await nl.neighbor.list({}).toArray()).find((n) => n.dst === '192.0.2.20');
      assert.equal(el?.extern_learn, true);
      await nl.neighbor.add({ dst: '192.0.2.21', dev: 'veth0', lladdr: '02:00:00:00:00:21', state: 'stale' });
      await nl.neighbor.add({ dst: '192.0.2.22', dev: 'veth0', lladdr: '02:00:00:00:00:22', state: 'stale' });

      // flush removes non-permanent entries under the prefix, leaves the permanent one.
      const n = await nl.neighbor.flush({ dev: 'veth0', to: '192.0.2.0/24' });
      assert.ok(n >= 2, `flushed ${n}`);
      const left = ipNeigh(ns, 'dev', 'veth0').map((x) => x.dst);
      assert.ok(left.includes('192.0.2.7'));
      assert.ok(!left.includes('192.0.2.21') && !left.includes('192.0.2.22'));

      await nl.neighbor.del({ dst: '192.0.2.7', dev: 'veth0' });
      assert.ok(!ipNeigh(ns, 'dev', 'veth0').some((x) => x.dst === '192.0.2.7'));
      await assert.rejects(nl.neighbor.del({ dst: '192.0.2.7', dev: 'veth0' }), (e: unknown) => isNotFound(e));
      await assert.rejects(nl.neighbor.add({ dst: 'nonsense', dev: 'veth0' }), /invalid neighbour address/);
    });
  });
});
