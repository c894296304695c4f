/**
 * `ip mrule` parity with iproute2 6.1: multicast routing rules (ip rule with
 * family RTNL_FAMILY_IPMR/IP6MR) added, deleted and flushed with the same
 * effect, listed the same (text, -j, -p, -d), and bad input rejected alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestNetns, requireRoot, type TestNetns } from '../helpers/netns.js';
import { assertParity, assertRejectedLikeIproute2, assertSameEffect, iproute2, rip, words } from './ip-parity-util.js';

const ADD = [
  'mrule add iif veth0 table 5 pref 100',
  'mrule add iif veth1 oif veth0 fwmark 3/0xff table 10 pref 200',
  'mrule add iif veth1 table 11',
  'mrule add pref 50 blackhole',
  'mrule add pref 51 goto 100',
  'mrule add pref 52 nop',
  'mrule add pref 53 not iif veth0 lookup default',
  '-6 mrule add iif veth0 table 9 pref 10',
  '-6 mrule add oif veth1 table 12',
  'mrule add iif veth0 table 5 pref 100', // EEXIST on both
  'mrule del pref 51',
  'mrule del iif veth1 table 11',
  'mrule del pref 999', // ENOENT on both
];

const VIEWS = [['mrule', 'show'], ['-6', 'mrule', 'show'], ['-d', '-j', 'mrule', 'show'], ['rule', 'show']];

const LIST = [
  'mrule', 'mrule list', 'mrule show', 'mru s', '-j mrule', '-p -j mrule', '-d mrule', '-6 mrule', '-6 -j mrule', '-4 mrule',
  'mrule list pref 100', 'mrule list table 5', 'mrule list iif veth1', 'mrule list oif veth0', 'mrule list fwmark 3/0xff',
  'mrule list not', 'mrule list from all', 'mrule list table default', '-N mrule', '-c mrule', '-6 mrule list table 9',
];

const BAD = [
  'mrule add from 10.0.0.0/8 table 7', 'mrule add to 239.0.0.0/8 table 8', '-6 mrule add from 2001:db8::/32', 'mrule add pref abc',
  'mrule add table foo', 'mrule add bogus', 'mrule add l3mdev table 5', 'mrule list from 10.0.0.0/8', 'mrule list pref x',
  'mrule frob', 'mrule help', '-0 mrule', '-M mrule', '-0 mrule add iif veth0', 'mrule add iif', 'mrule save extra',
];

function setup(ns: TestNetns): void {
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
}

const mruleState = (ns: TestNetns): string => VIEWS.map((v) => iproute2(ns, v).stdout).join('\n');

test('ip mrule add/del/flush: same effect as iproute2; list the same', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns('rip-mrule-a');
  const b = createTestNetns('rip-mrule-b');
  try {
    setup(a);
    setup(b);
    assertSameEffect(a, b, ADD, VIEWS);
    for (const line of LIST) assertParity(b, line);
    for (const line of BAD) {
      const before = mruleState(b);
      assertRejectedLikeIproute2(b, [line]);
      assert.equal(mruleState(b), before, `rules changed by: ip ${line}`);
    }
    assertSameEffect(a, b, ['mrule flush', '-6 mrule flush'], VIEWS);
    assert.equal(rip(b, words('-j mrule')).stdout, '[]\n');
  } finally {
    a.cleanup();
    b.cleanup();
  }
});
