/**
 * `ip neigh` parity with iproute2 6.1: modifying commands have the same
 * effect, show/get/flush print the same (text, -j, -p, -br, -4/-6), and bad
 * input gets the same stderr and exit status without touching the namespace.
 */
import { test } from 'node:test';
import { withNetns, createTestNetns, requireRoot } from '../helpers/netns.js';
import { assertParity, assertRejectedLikeIproute2, assertSameEffect, vethSetup, rip, iproute2, words, stableNeigh } from './ip-parity-util.js';
import assert from 'node:assert/strict';

const MODIFY = [
  'neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev veth0',
  'neigh add 192.0.2.8 lladdr 02:00:00:00:00:08 dev veth0 nud stale router protocol static',
  'neigh add 192.0.2.11 lladdr 02:00:00:00:00:0b dev veth0 nud noarp',
  'neigh replace 2001:db8::7 lladdr 02:00:00:00:00:17 dev veth0 nud permanent',
  'neigh change 192.0.2.7 lladdr 02:00:00:00:00:70 dev veth0',
  'neigh add proxy 192.0.2.9 dev veth0',
  'neigh add proxy 2001:db8::9 dev veth0',
  'neigh add 192.0.2.12 lladdr 02:00:00:00:00:0c dev veth0 nud stale extern_learn',
  'neigh del 192.0.2.12 dev veth0',
  'neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev veth0', // EEXIST on both
  'neigh del proxy 2001:db8::9 dev veth0',
  'neigh del 192.0.2.99 dev veth0', // ENOENT on both
];

const VIEWS = [['neigh', 'show', 'nud', 'all'], ['neigh', 'show', 'proxy']];

const SHOW = [
  'neigh', 'neigh show', 'neigh show dev veth0', '-4 neigh', '-6 neigh', '-j neigh', '-p -j neigh', '-br neigh',
  '-j -br neigh', 'neigh show nud stale', 'neigh show nud permanent nud stale', 'neigh show nud all', 'neigh show nud noarp',
  'neigh show to 192.0.2.0/28', 'neigh show 192.0.2.8', 'neigh show proxy', '-j neigh show proxy', 'neigh show protocol static',
  'neigh list unused', 'neigh get 192.0.2.7 dev veth0', '-j neigh get 192.0.2.8 dev veth0', 'neigh get proxy 192.0.2.9 dev veth0',
  'neigh get 192.0.2.99 dev veth0', 'neighbour show dev veth0', 'n', 'neigh show nomaster', '-N neigh show protocol static',
];

const BAD = [
  'neigh add 192.0.2.50', 'neigh add dev veth0', 'neigh add 192.0.2.50 dev nope', 'neigh add bad dev veth0',
  'neigh add 192.0.2.50 dev veth0 nud bogus', 'neigh add 192.0.2.50 dev veth0 nud 3', 'neigh add 192.0.2.50 dev veth0 lladdr zz:11',
  'neigh add 192.0.2.50 dev veth0 lladdr 1 lladdr 2', 'neigh add 192.0.2.50 192.0.2.51 dev veth0',
  'neigh add 192.0.2.50 dev veth0 protocol foo', 'neigh add proxy 192.0.2.50 proxy 192.0.2.51 dev veth0',
  'neigh add 192.0.2.50 dev veth0 nud', '-6 neigh add 192.0.2.50 dev veth0', 'neigh flush', 'neigh show nud foo',
  'neigh show dev nope', 'neigh show to zzz', 'neigh show dev veth0 dev veth1', 'neigh frob', 'neigh help',
  'neigh get 192.0.2.7', 'neigh get dev veth0', 'neigh show master nope', 'neigh show vrf veth0', 'neigh replace 192.0.2.50 dev veth0 lladdr 1.2.3',
];

test('ip neigh: modifying commands have the same effect as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns('rip-cli-a');
  const b = createTestNetns('rip-cli-b');
  try {
    vethSetup(a);
    vethSetup(b);
    assertSameEffect(a, b, MODIFY, VIEWS, stableNeigh);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('ip neigh show/get: same text and JSON as iproute2', async (t) => {
  await withNetns(t, (ns) => {
    vethSetup(ns);
    for (const l of MODIFY.slice(0, 8)) ns.ip(...words(l));
    for (const line of SHOW) assertParity(ns, line);
  });
});

test('ip neigh flush: same effect and messages as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns('rip-cli-a');
  const b = createTestNetns('rip-cli-b');
  try {
    for (const ns of [a, b]) {
      vethSetup(ns);
      for (const l of MODIFY.slice(0, 8)) ns.ip(...words(l));
    }
    assertSameEffect(a, b, ['-s neigh flush dev veth0 nud stale', '-s neigh flush to 192.0.2.0/24', 'neigh flush proxy', '-s neigh flush all'], VIEWS, stableNeigh);
    assert.equal(rip(b, words('-s neigh flush dev veth0')).stdout, iproute2(a, words('-s neigh flush dev veth0')).stdout);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('ip neigh: bad input gets iproute2 stderr and exit status, namespace unchanged', async (t) => {
  await withNetns(t, (ns) => {
    vethSetup(ns);
    ns.ip('neigh', 'add', '192.0.2.7', 'lladdr', '02:00:00:00:00:07', 'dev', 'veth0');
    assertRejectedLikeIproute2(ns, BAD);
  });
});
