/**
 * `ip addrlabel` parity with iproute2 6.1: add/del/flush have the same
 * effect, list prints the same (text, -j, -p), kernel and argument errors
 * match. Also nl.addrlabel read back against iproute2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestNetns, requireRoot, withNetns, type TestNetns } from '../helpers/netns.js';
import { assertParity, assertRejectedLikeIproute2, assertSameEffect, iproute2 } from './ip-parity-util.js';
import { Netlink } from '../../src/netlink/netlink.js';

const ADD = [
  'addrlabel add prefix 2001:db8::/32 label 100',
  'addrlabel add prefix 2001:db8:1::/48 dev veth0 label 101',
  'addrlabel a prefix 2001:db8:8::/64 label 0x10 dev veth1 extra',
  '-6 addrlabel add prefix 2001:db8:5::/64 label 0',
  'addrlabel add prefix 2001:db8:7::1 label 8',
  'addrlabel add prefix 2001:db8::/32 label 100', // EEXIST on both
  'addrlabel add prefix 10.0.0.0/8 label 5', // policy validation on both
  '-4 addrlabel add prefix 10.0.0.0/8 label 5', // EOPNOTSUPP on both
  'addrlabel add prefix default label 7',
  'addrlabel del prefix 2001:db8::/32 label 100',
  'addrlabel del prefix 2001:db8::/32 label 100', // ESRCH on both
  'addrlabel del prefix 2001:db8:1::/48 dev veth0 label 3',
];

const VIEWS = [['addrlabel'], ['-j', 'addrlabel']];

const LIST = ['addrlabel', 'addrlabel list', 'addrlabel show', 'addrlabel lst', 'addrlabel l', '-j addrlabel', '-p -j addrlabel', '-6 addrlabel', '-c addrlabel'];

const BAD = [
  'addrlabel show x', 'addrlabel add label 5', 'addrlabel add prefix ::/0', 'addrlabel add prefix x label 1',
  'addrlabel add prefix ::/0 label 4294967295', 'addrlabel add prefix ::/0 label -1', 'addrlabel add prefix ::/0 label z',
  'addrlabel add prefix ::/0 dev nope label 1', 'addrlabel flush x', 'addrlabel help', 'addrlabel foo', '-4 addrlabel', '-j -4 addrlabel',
  '-0 addrlabel', 'addrlabel add prefix', 'addrlabel add prefix ::/0 label', 'addrlabel add prefix ::/0 dev', 'addrlabel del',
];

function setup(ns: TestNetns): void {
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
}

test('ip addrlabel add/del/flush: same effect as iproute2; list the same', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns('rip-addrlabel-a');
  const b = createTestNetns('rip-addrlabel-b');
  try {
    setup(a);
    setup(b);
    assertSameEffect(a, b, ADD, VIEWS);
    for (const line of LIST) assertParity(b, line);
    for (const line of BAD) {
      const before = iproute2(b, ['addrlabel']).stdout;
      assertRejectedLikeIproute2(b, [line]);
      assert.equal(iproute2(b, ['addrlabel']).stdout, before, `labels changed by: ip ${line}`);
    }
    assertSameEffect(a, b, ['addrlabel flush', 'addrlabel', '-j addrlabel', 'addrlabel add prefix ::/0 label 1', '-0 addrlabel flush'], VIEWS);
    assert.equal(iproute2(b, ['addrlabel']).stdout, 'prefix ::/0 label 1 \n');
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('nl.addrlabel: add, list, del, flush', async (t) => {
  await withNetns(t, async (ns) => {
    setup(ns);
    const nl = await Netlink.open({ netns: ns.name });
    try {
      const veth0 = Number(ns.run('cat', ['/sys/class/net/veth0/ifindex']).stdout.trim());
      const defaults = await nl.addrlabel.list().toArray();
      assert.ok(defaults.some((l) => l.address === '::ffff:0.0.0.0' && l.prefixlen === 96 && l.label === 4));
      await nl.addrlabel.add({ prefix: '2001:db8::/32', label: 100 });
      await nl.addrlabel.add({ prefix: '2001:db8:1::/48', label: 101, ifindex: veth0 });
      const got = await nl.addrlabel.list().toArray();
      assert.deepEqual(got.filter((l) => l.label! >= 100).map((l) => [l.address, l.prefixlen, l.ifindex, l.label]),
        [['2001:db8:1::', 48, veth0, 101], ['2001:db8::', 32, 0, 100]]);
      assert.match(iproute2(ns, ['addrlabel']).stdout, /prefix 2001:db8:1::\/48 dev veth0 label 101 \n/);
      await nl.addrlabel.del({ prefix: '2001:db8::/32', label: 100 });
      await assert.rejects(nl.addrlabel.del({ prefix: '2001:db8::/32', label: 100 }), (e: Error & { code?: string }) => e.code === 'ESRCH');
      assert.equal(await nl.addrlabel.flush(), defaults.length + 1);
      assert.equal(iproute2(ns, ['addrlabel']).stdout, '');
    } finally {
      nl.close();
    }
  });
});
