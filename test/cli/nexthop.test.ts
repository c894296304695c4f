/**
 * `ip nexthop` (and `ip vrf show/identify/exec` on a kernel without VRFs)
 * parity with iproute2 6.1: add/replace/del/flush have the same effect,
 * list/get/bucket print the same, bad input gets the same stderr and status.
 */
import { test } from 'node:test';
import { withNetns, createTestNetns, requireRoot } from '../helpers/netns.js';
import { assertParity, assertRejectedLikeIproute2, assertSameEffect, vethSetup, words } from './ip-parity-util.js';

const ADD = [
  'nexthop add id 1 via 192.0.2.2 dev veth0',
  'nexthop add id 2 blackhole',
  'nexthop add id 3 via 2001:db8::2 dev veth0 protocol static',
  'nexthop add id 4 dev veth1',
  'nexthop add id 5 via 198.51.100.3 dev veth0 onlink',
  'nexthop add id 6 via inet 192.0.2.6 dev veth0',
  'nexthop add id 10 group 1,3/5',
  'nexthop add id 11 group 1/5 type resilient buckets 8 idle_timer 120 unbalanced_timer 30',
  'nexthop add id 12 group 3',
  'nexthop add id 20 via 192.0.2.9 fdb',
  'nexthop add id 21 group 20 fdb',
  'nexthop replace id 6 via 192.0.2.7 dev veth0',
  'nexthop add id 1 blackhole', // EEXIST on both
  'nexthop add id 13 group 1/6 type resilient protocol boot', // kernel wants buckets
  'nexthop add id 30 group 2/1', // kernel refuses (blackhole in a multipath group)
  'nexthop del id 12',
  'nexthop del id 999',
];

const VIEWS = [['-d', 'nexthop', 'show'], ['-j', 'nexthop', 'show']];

const LIST = [
  'nexthop', 'nexthop list', 'nexthop show', '-j nexthop', '-p -j nexthop', '-d nexthop', '-4 nexthop', '-6 nexthop',
  'nexthop list groups', 'nexthop list dev veth0', 'nexthop list dev veth1', 'nexthop list fdb', 'nexthop list protocol 4',
  'nexthop list id 11', 'nexthop get id 10', '-j nexthop get id 11', '-p -j nexthop get id 1', 'nexthop get id 999', 'nh',
  '-N -d nexthop', '-M nexthop', 'nexthop bucket list id 11 nhid 1', 'nexthop bucket list dev veth1',
];

const BAD = [
  'nexthop add id x', 'nexthop add id 30 dev nope', 'nexthop add id 30 via zz', 'nexthop add id 30 via 2001::1 dev veth0 via 1.2.3.4',
  'nexthop add id 30 group 1,0', 'nexthop add id 30 group 1,300', 'nexthop add id 30 group a/b', 'nexthop add id 30 group 1/2 type foo',
  'nexthop add id 30 group 1/2 type resilient buckets x', 'nexthop add id 30 group 1/2 type resilient idle_timer 99999999',
  'nexthop add id 30 protocol nope', 'nexthop add id 30 bogus', 'nexthop get', 'nexthop get foo', 'nexthop list dev nope',
  'nexthop list bogus', 'nexthop list protocol x', 'nexthop frob', 'nexthop help', 'nexthop add id 30 group',
  'nexthop add id 30 group 1/2 type resilient buckets', 'nexthop bucket get id 11', 'nexthop bucket frob', 'nexthop list vrf veth0',
  'nexthop add id 30 via inet6 192.0.2.1 dev veth0',
  'vrf show foo', 'vrf show lo', 'vrf identify abc', 'vrf identify 1 2', 'vrf pids', 'vrf pids foo', 'vrf exec', 'vrf exec foo',
  'vrf exec foo true', 'vrf exec default /nonexistent', 'vrf frob', 'vrf help',
];

test('ip nexthop add/replace/del: same effect as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns('rip-cli-a');
  const b = createTestNetns('rip-cli-b');
  try {
    vethSetup(a);
    vethSetup(b);
    assertSameEffect(a, b, ADD, VIEWS);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('ip nexthop list/get/bucket and ip vrf show: same text and JSON as iproute2', async (t) => {
  await withNetns(t, (ns) => {
    vethSetup(ns);
    for (const l of ADD.slice(0, 12)) ns.ip(...words(l));
    // Bucket idle times tick between the two runs: compare them without their value.
    const noIdle = (s: string): string => s.replace(/idle_time"?:? ?[0-9.e+-]+/g, 'idle_time');
    for (const line of LIST) assertParity(ns, line, noIdle);
    for (const line of ['vrf', 'vrf show', '-j vrf show', '-p -j vrf', 'vrf show default', 'vrf identify', 'vrf identify 1', 'vrf exec default true', 'vrf exec default false']) {
      assertParity(ns, line);
    }
  });
});

test('ip nexthop flush: same effect and messages as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns('rip-cli-a');
  const b = createTestNetns('rip-cli-b');
  try {
    for (const ns of [a, b]) {
      vethSetup(ns);
      for (const l of ADD.slice(0, 12)) ns.ip(...words(l));
    }
    assertSameEffect(a, b, ['nexthop flush protocol 4', 'nexthop flush dev veth1', 'nexthop flush id 21', 'nexthop flush groups', 'nexthop flush', 'nexthop flush'], VIEWS);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('ip nexthop and ip vrf: bad input gets iproute2 stderr and exit status, namespace unchanged', async (t) => {
  await withNetns(t, (ns) => {
    vethSetup(ns);
    for (const l of ADD.slice(0, 8)) ns.ip(...words(l));
    assertRejectedLikeIproute2(ns, BAD);
  });
});
