/**
 * nl.rule against the real kernel in a throwaway namespace: every selector
 * and action this kernel has, read back typed and through `ip -j rule`;
 * filters, delete and flush.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { AF } from '../../src/netlink/constants.js';
import { NetlinkError } from '../../src/netlink/errors.js';

type IpRule = Record<string, unknown>;

function ipRule(ns: TestNetns, ...args: string[]): IpRule[] {
  return JSON.parse(ns.ip('-j', ...args, 'rule', 'show')) as IpRule[];
}

async function withNl<R>(ns: TestNetns, fn: (nl: Netlink) => Promise<R>): Promise<R> {
  const nl = await Netlink.open({ netns: ns.name });
  try { return await fn(nl); } finally { nl.close(); }
}

test('every selector and action: add, read back typed and via ip -j', async (t) => {
  await withNetns(t, async (ns) => {
    await withNl(ns, async (nl) => {
      await nl.rule.add({ priority: 100, from: '10.0.0.0/8', table: 100 });
      await nl.rule.add({ priority: 101, not: true, to: '10.1.0.0/16', tos: 0x10, fwmark: 5, fwmask: 0xff, iif: 'veth0', oif: 'veth1', table: 254, suppress_prefixlength: 2, protocol: 4 });
      await nl.rule.add({ priority: 102, uidrange: { start: 100, end: 200 }, ipproto: 6, sport: 80, dport: { start: 1000, end: 2000 }, action: 'blackhole' });
      await nl.rule.add({ priority: 103, fwmark: 7, action: 'prohibit' });
      await nl.rule.add({ priority: 104, from: '192.0.2.1', action: 'unreachable' });
      await nl.rule.add({ priority: 105, goto: 200 });
      await nl.rule.add({ priority: 106, action: 'nop' });
      await nl.rule.add({ priority: 107, realms: (1 << 16) | 2, table: 5000, suppress_ifgroup: 3 });
      await nl.rule.add({ priority: 108, l3mdev: true });
      await nl.rule.add({ priority: 109, tun_id: 42n, table: 12 });
      await nl.rule.add({ priority: 200, table: 200 });
      await nl.rule.add({ family: AF.INET6, priority: 100, from: '2001:db8::/32', table: 7, dport: 53, ipproto: 17 });

      const rules = new Map((await nl.rule.list().toArray()).map((r) => [r.priority, r]));
      assert.deepEqual([...rules.keys()], [0, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 200, 32766, 32767]);
      const r101 = rules.get(101)!;
      assert.deepEqual(
        [r101.not, r101.dst, r101.dstlen, r101.tos, r101.fwmark, r101.fwmask, r101.iif, r101.oif, r101.table, r101.suppress_prefixlen, r101.protocol],
        [true, '10.1.0.0', 16, 0x10, 5, 0xff, 'veth0', 'veth1', 254, 2, 4]);
      const r102 = rules.get(102)!;
      assert.deepEqual([r102.uidrange, r102.ipproto, r102.sport, r102.dport, r102.action], [{ start: 100, end: 200 }, 6, { start: 80, end: 80 }, { start: 1000, end: 2000 }, 'blackhole']);
      assert.equal(rules.get(103)!.action, 'prohibit');
      assert.deepEqual([rules.get(104)!.src, rules.get(104)!.srclen, rules.get(104)!.action], ['192.0.2.1', 32, 'unreachable']);
      assert.deepEqual([rules.get(105)!.action, rules.get(105)!.goto], ['goto', 200]);
      assert.equal(rules.get(106)!.action, 'nop');
      assert.deepEqual([rules.get(107)!.table, rules.get(107)!.flow, rules.get(107)!.suppress_ifgroup], [5000, 65538, 3]);
      assert.equal(rules.get(108)!.l3mdev, true);
      assert.deepEqual([rules.get(109)!.tun_id, rules.get(109)!.table], [42n, 12]);
      assert.equal(rules.get(100)!.table, 100);

      const v6 = await nl.rule.list({ family: AF.INET6 }).toArray();
      const r6 = v6.find((r) => r.priority === 100)!;
      assert.deepEqual([r6.src, r6.srclen, r6.table, r6.dport, r6.ipproto], ['2001:db8::', 32, 7, { start: 53, end: 53 }, 17]);

      // iproute2 sees the same rules.
      const ip = new Map(ipRule(ns).map((r) => [r.priority, r]));
      assert.deepEqual(ip.get(101), {
        priority: 101, not: null, src: 'all', dst: '10.1.0.0', dstlen: 16, tos: '0x10', fwmark: '0x5', fwmask: '0xff',
        iif: 'veth0', iif_detached: null, oif: 'veth1', oif_detached: null, table: 'main', suppress_prefixlen: 2, protocol: 'static',
      });
      assert.deepEqual(ip.get(102), {
        priority: 102, src: 'all', uid_start: 100, uid_end: 200, ipproto: 'tcp', sport: 80, dport_start: 1000, dport_end: 2000, action: 'blackhole',
      });
      assert.deepEqual(ip.get(105), { priority: 105, src: 'all', goto: 200 }); // resolved: rule 200 exists
      assert.deepEqual(ip.get(107), { priority: 107, src: 'all', table: '5000', suppress_ifgroup: '3', flow_from: '1', flow_to: '2' });
      assert.deepEqual(ip.get(108), { priority: 108, src: 'all', l3mdev: null });
      assert.deepEqual(ip.get(109), { priority: 109, src: 'all', tun_id: 42, table: '12' });
      assert.deepEqual(ipRule(ns, '-6').find((r) => r.priority === 100),
        { priority: 100, src: '2001:db8::', srclen: 32, ipproto: 'udp', dport: 53, table: '7' });
    });
  });
});

test('filters, duplicate add, delete and flush', async (t) => {
  await withNetns(t, async (ns) => {
    await withNl(ns, async (nl) => {
      await nl.rule.add({ priority: 100, from: '10.0.0.0/8', table: 100 });
      await nl.rule.add({ priority: 101, fwmark: 1, table: 101, protocol: 4 });
      await nl.rule.add({ priority: 102, iif: 'x0', table: 100 });
      await assert.rejects(nl.rule.add({ priority: 100, from: '10.0.0.0/8', table: 100 }),
        (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST');

      assert.deepEqual((await nl.rule.list({ table: 100 }).toArray()).map((r) => r.priority), [100, 102]);
      assert.deepEqual((await nl.rule.list({ from: '10.0.0.0/8' }).toArray()).map((r) => r.priority), [100]);
      assert.deepEqual((await nl.rule.list({ iif: 'x0' }).toArray()).map((r) => r.priority), [102]);
      assert.deepEqual((await nl.rule.list({ fwmark: 1 }).toArray()).map((r) => r.priority), [101]);
      assert.deepEqual((await nl.rule.list({ priority: 32766 }).toArray()).map((r) => r.table), [254]);

      await nl.rule.del({ priority: 102 });
      assert.ok(!ipRule(ns).some((r) => r.priority === 102));
      await assert.rejects(nl.rule.del({ priority: 102 }), (e: unknown) => e instanceof NetlinkError && e.code === 'ENOENT');

      assert.equal(await nl.rule.flush({ protocol: 4 }), 1);
      assert.deepEqual(ipRule(ns).map((r) => r.priority), [0, 100, 32766, 32767]);
      // A plain flush removes everything with a priority (main and default too), as `ip rule flush`.
      assert.equal(await nl.rule.flush(), 3);
      assert.deepEqual(ipRule(ns).map((r) => r.priority), [0]);
      await assert.rejects(nl.rule.add({ priority: 5, l3mdev: true, table: 7 }), /l3mdev/);
    });
  });
});
