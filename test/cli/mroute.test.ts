/**
 * `ip mroute` parity with iproute2 6.1 on real multicast forwarding cache
 * entries (IPv4 in the default table and table 5, IPv6), in text, -j, -p,
 * -s, -d, with every selector; bad input gets the same stderr and status.
 * Also nl.mroute.list() against the entries the helper created.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { holdMroutes, type MrouteConfig } from '../helpers/mroute.js';
import { assertParity, assertRejectedLikeIproute2 } from './ip-parity-util.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { AF } from '../../src/netlink/constants.js';
import { RTNL_FAMILY } from '../../src/netlink/mroute.js';

const CONFIG: MrouteConfig = {
  v4: [
    { vifs: ['veth0', 'veth1', 'lo'], mfcs: [['10.0.0.1', '239.1.1.1', 0, [0, 1, 3]], ['10.0.0.2', '239.2.2.2', 1, [2, 0, 1]]] },
    { table: 5, vifs: ['veth1', 'veth0'], mfcs: [['10.9.0.1', '239.9.9.9', 0, [0, 1]]] },
  ],
  v6: [{ mifs: ['veth0', 'veth1'], mfcs: [['2001:db8::1', 'ff3e::1', 0, [1]], ['2001:db8::2', 'ff3e::2', 1, [0]]] }],
};

function setup(ns: TestNetns): void {
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  for (const d of ['lo', 'veth0', 'veth1']) ns.ip('link', 'set', d, 'up');
}

/** The entries' age (RTA_EXPIRES) moves between the two runs. */
const ageless = (s: string): string => s.replace(/Age \d+\.\d+/g, 'Age X').replace(/"expires": ?[\d.]+/g, '"expires":X');

const SHOW = [
  'mroute', 'mroute show', 'mroute list', 'mroute lst', 'mr s', '-d mroute', '-j mroute', '-p -j mroute', '-s mroute', '-s -j mroute',
  '-6 mroute', '-6 -j mroute', '-6 -s mroute', '-6 -d mroute', '-4 mroute', 'mroute show table all', '-j mroute show table all',
  'mroute show table 5', 'mroute show table default', '-d mroute show table all', '-N mroute show table all', 'mroute show iif veth1',
  'mroute show table 5 iif veth1', 'mroute show table 5 iif veth0', '-6 mroute show iif veth0', 'mroute show from all',
  'mroute show to default', 'mroute show any', '-6 mroute show table all', '-c mroute', '-0 mroute', '-M mroute', '-0 mroute show iif nope',
];

const BAD = [
  'mroute show table 6', '-j mroute show table 6', 'mroute show table main', '-6 mroute show table 5', 'mroute show from 10.0.0.0/8',
  '-6 mroute show from 2001:db8::/32', 'mroute show 239.1.1.1', 'mroute show to zz', 'mroute show table foo', 'mroute show table help',
  'mroute show iif nope', 'mroute show iif', 'mroute show to', 'mroute show from', 'mroute show table', 'mroute show help', 'mroute foo',
  'mroute help',
];

test('ip mroute show: same output as iproute2 on real entries', async (t) => {
  await withNetns(t, async (ns) => {
    setup(ns);
    const held = await holdMroutes(ns, CONFIG);
    try {
      for (const line of SHOW) assertParity(ns, line, ageless);
      assertRejectedLikeIproute2(ns, BAD);
    } finally {
      await held.stop();
    }
    // The entries went with the sockets: both print nothing now.
    assertParity(ns, 'mroute show table all');
    assertParity(ns, '-j -6 mroute');
  });
});

test('nl.mroute.list(): the entries, by family and table', async (t) => {
  await withNetns(t, async (ns) => {
    setup(ns);
    const held = await holdMroutes(ns, CONFIG);
    const nl = await Netlink.open({ netns: ns.name });
    try {
      const idx = (d: string): number => Number(ns.run('cat', [`/sys/class/net/${d}/ifindex`]).stdout.trim());
      const [v0, v1, lo] = [idx('veth0'), idx('veth1'), idx('lo')];
      const def = await nl.mroute.list().toArray();
      assert.deepEqual(def.map((r) => [r.src, r.dst, r.iif, r.table, r.family]), [
        ['10.0.0.1', '239.1.1.1', v0, 253, RTNL_FAMILY.IPMR], ['10.0.0.2', '239.2.2.2', v1, 253, RTNL_FAMILY.IPMR],
      ]);
      assert.deepEqual(def[0]!.oifs!.map((o) => [o.ifindex, o.ttl]), [[v1, 1], [lo, 3]]);
      assert.equal(def[0]!.unresolved, false);
      assert.equal(def[0]!.stats?.packets, 0n);
      const all = await nl.mroute.list({ table: 'all' }).toArray();
      assert.deepEqual(all.map((r) => r.table).sort((a, b) => a - b), [5, 253, 253]);
      assert.deepEqual((await nl.mroute.list({ table: 5, iif: v1 }).toArray()).map((r) => r.dst), ['239.9.9.9']);
      const v6 = await nl.mroute.list({ family: AF.INET6 }).toArray();
      assert.deepEqual(v6.map((r) => [r.src, r.dst, r.iif, r.addressFamily]), [['2001:db8::1', 'ff3e::1', v0, AF.INET6], ['2001:db8::2', 'ff3e::2', v1, AF.INET6]]);
      await assert.rejects(nl.mroute.list({ table: 6 }).toArray(), (e: Error & { code?: string }) => e.code === 'ENOENT');
    } finally {
      nl.close();
      await held.stop();
    }
  });
});
