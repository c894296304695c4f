/**
 * nl.nexthop against the real kernel in a throwaway namespace: gateway,
 * device, blackhole, onlink and fdb nexthops, mpath and resilient groups with
 * weights, read back typed and through `ip -j nexthop`; replace, del, flush.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { AF } from '../../src/netlink/constants.js';
import { NetlinkError, isNotFound } from '../../src/netlink/errors.js';

type IpNh = Record<string, unknown>;

function ipNh(ns: TestNetns, ...args: string[]): IpNh[] {
  return JSON.parse(ns.ip('-j', 'nexthop', 'show', ...args)) as IpNh[];
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

test('nexthops and groups: add, read back typed and via ip -j', async (t) => {
  await withNetns(t, async (ns) => {
    setup(ns);
    await withNl(ns, async (nl) => {
      await nl.nexthop.add({ id: 1, via: '192.0.2.2', dev: 'veth0' });
      await nl.nexthop.add({ id: 2, blackhole: true });
      await nl.nexthop.add({ id: 3, via: '2001:db8::2', dev: 'veth0', protocol: 4 });
      await nl.nexthop.add({ id: 4, dev: 'veth1' });
      await nl.nexthop.add({ id: 5, via: '198.51.100.1', dev: 'veth0', onlink: true });
      await nl.nexthop.add({ id: 10, group: [{ id: 1, weight: 3 }, { id: 5 }] });
      await nl.nexthop.add({ id: 11, group: [{ id: 1 }, { id: 5 }], type: 'resilient', resilient: { buckets: 8, idle_timer: 120, unbalanced_timer: 30 } });
      await nl.nexthop.add({ id: 20, via: '192.0.2.9', fdb: true });
      await nl.nexthop.add({ id: 21, group: [{ id: 20 }], fdb: true });

      const veth0 = (await nl.link.get('veth0')).ifindex;
      const all = new Map((await nl.nexthop.list().toArray()).map((n) => [n.id, n]));
      assert.deepEqual([...all.keys()].sort((a, b) => a - b), [1, 2, 3, 4, 5, 10, 11, 20, 21]);
      const n1 = all.get(1)!;
      assert.deepEqual([n1.family, n1.gateway, n1.oif, n1.scope, n1.group], [AF.INET, '192.0.2.2', veth0, 253, undefined]);
      assert.equal(all.get(2)!.blackhole, true);
      assert.deepEqual([all.get(3)!.family, all.get(3)!.gateway, all.get(3)!.protocol], [AF.INET6, '2001:db8::2', 4]);
      assert.equal(all.get(5)!.flags & 4, 4, 'onlink');
      assert.deepEqual([all.get(10)!.group, all.get(10)!.type], [[{ id: 1, weight: 3 }, { id: 5 }], 'mpath']);
      const res = all.get(11)!;
      assert.equal(res.type, 'resilient');
      assert.deepEqual([res.resilient?.buckets, res.resilient?.idle_timer, res.resilient?.unbalanced_timer], [8, 12000, 3000]);
      assert.deepEqual([all.get(20)!.fdb, all.get(21)!.fdb], [true, true]);

      const g = await nl.nexthop.get(10);
      assert.deepEqual(g.group, [{ id: 1, weight: 3 }, { id: 5 }]);
      await assert.rejects(nl.nexthop.get(999), (e: unknown) => isNotFound(e));

      const ip = new Map(ipNh(ns).map((n) => [n.id, n]));
      assert.deepEqual(ip.get(1), { id: 1, gateway: '192.0.2.2', dev: 'veth0', scope: 'link', flags: [] });
      assert.deepEqual(ip.get(2), { id: 2, blackhole: null, flags: [] });
      assert.deepEqual(ip.get(3), { id: 3, gateway: '2001:db8::2', dev: 'veth0', scope: 'link', protocol: 'static', flags: [] });
      assert.deepEqual(ip.get(5), { id: 5, gateway: '198.51.100.1', dev: 'veth0', scope: 'link', flags: ['onlink'] });
      assert.deepEqual(ip.get(10), { id: 10, group: [{ id: 1, weight: 3 }, { id: 5 }], flags: [] });
      assert.deepEqual(ip.get(11), {
        id: 11, group: [{ id: 1 }, { id: 5 }], type: 'resilient',
        resilient_args: { buckets: 8, idle_timer: 120, unbalanced_timer: 30, unbalanced_time: 0 }, flags: [],
      });
      assert.deepEqual(ip.get(21), { id: 21, group: [{ id: 20 }], flags: [], fdb: null });

      // Kernel-side filters.
      assert.deepEqual((await nl.nexthop.list({ groups: true }).toArray()).map((n) => n.id).sort((a, b) => a - b), [10, 11, 21]);
      assert.deepEqual((await nl.nexthop.list({ dev: 'veth1' }).toArray()).map((n) => n.id), [4]);
      // Whatever this kernel does with NHA_FDB in a dump, we see what iproute2 sees.
      assert.deepEqual((await nl.nexthop.list({ fdb: true }).toArray()).map((n) => n.id), ipNh(ns, 'fdb').map((n) => n.id));
      assert.deepEqual((await nl.nexthop.list({ protocol: 4 }).toArray()).map((n) => n.id), [3]);
    });
  });
});

test('replace, errors, del and flush', async (t) => {
  await withNetns(t, async (ns) => {
    setup(ns);
    await withNl(ns, async (nl) => {
      await nl.nexthop.add({ id: 1, via: '192.0.2.2', dev: 'veth0' });
      await nl.nexthop.add({ id: 2, via: '192.0.2.3', dev: 'veth0' });
      await nl.nexthop.add({ id: 10, group: [{ id: 1 }, { id: 2 }] });
      await assert.rejects(nl.nexthop.add({ id: 1, blackhole: true }), (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST');
      await assert.rejects(nl.nexthop.add({ id: 30, group: [{ id: 1, weight: 300 }] }), /invalid weight/);
      await assert.rejects(nl.nexthop.add({ id: 31, via: '192.0.2.2', family: AF.INET6 }), /family mismatch/);
      await nl.nexthop.replace({ id: 1, via: '192.0.2.4', dev: 'veth0' });
      assert.equal((await nl.nexthop.get(1)).gateway, '192.0.2.4');
      await nl.nexthop.replace({ id: 10, group: [{ id: 1, weight: 2 }] });
      assert.deepEqual(ipNh(ns, 'id', '10')[0]?.group, [{ id: 1, weight: 2 }]);
      await nl.nexthop.del(10);
      assert.deepEqual(ipNh(ns).map((n) => n.id), [1, 2]);
      await assert.rejects(nl.nexthop.del(10), (e: unknown) => isNotFound(e));
      await nl.nexthop.add({ id: 11, group: [{ id: 1 }, { id: 2 }] });
      assert.equal(await nl.nexthop.flush(), 3);
      assert.equal(ns.ip('nexthop', 'show'), '');
    });
  });
});
