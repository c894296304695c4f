/**
 * `ip rule` parity with iproute2 6.1: add/del/flush have the same effect,
 * list prints the same with every selector (text, -j, -p, -d, -N, -4/-6),
 * and bad input gets the same stderr and exit status without changes.
 */
import { test } from 'node:test';
import { withNetns, createTestNetns, requireRoot } from '../helpers/netns.js';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { assertParity, assertRejectedLikeIproute2, assertSameEffect, words, iproute2, RIP } from './ip-parity-util.js';

const ADD = [
  'rule add pref 100 from 10.0.0.0/8 table 100',
  'rule add pref 101 not to 10.1.0.0/16 tos 0x10 fwmark 0x5/0xff iif veth0 oif veth1 lookup main suppress_prefixlength 2 protocol static',
  'rule add pref 102 uidrange 100-200 ipproto tcp sport 80 dport 1000-2000 blackhole',
  'rule add pref 103 fwmark 7 prohibit',
  'rule add pref 104 from 192.0.2.1 unreachable',
  'rule add pref 105 goto 200',
  'rule add pref 106 nop',
  'rule add pref 107 realms 1/2 table 5000 suppress_ifgroup 3',
  'rule add pref 108 l3mdev',
  'rule add pref 109 tun_id 42 lookup 12',
  'rule add pref 110 dsfield 0x08 table local',
  'rule add from all lookup 7',
  'rule add pref 111 nat 192.0.2.5',
  '-6 rule add pref 100 from 2001:db8::/32 table 7 dport 53 ipproto udp',
  '-6 rule add to 2001:db8:1::/48 type unreachable pref 112',
  'rule add pref 100 from 10.0.0.0/8 table 100', // EEXIST on both
  'rule del pref 104',
  'rule del from 10.0.0.0/8 table 100',
  'rule del pref 999', // ENOENT on both
];

const VIEWS = [['rule', 'show'], ['-6', 'rule', 'show'], ['-d', '-j', 'rule', 'show']];

const LIST = [
  'rule', 'rule list', 'rule show', '-j rule', '-p -j rule', '-6 rule', '-6 -j rule', '-d rule', '-N rule', '-4 rule',
  'rule list pref 101', 'rule list table 100', 'rule list lookup main', 'rule list from 10.0.0.0/8', 'rule list from 10.0.0.0/7',
  'rule list not', 'rule list fwmark 5/0xff', 'rule list fwmark 7', 'rule list iif veth0', 'rule list oif veth1', 'rule list l3mdev',
  'rule list uidrange 100-200', 'rule list sport 80', 'rule list dport 1000-2000', 'rule list ipproto tcp', 'rule list tun_id 42',
  'rule list to 10.1.0.0/16', 'rule list tos 0x10', 'rule list protocol static', '-6 rule list from 2001:db8::/32', 'rule list priority 32766',
  'ru l ta 5000', '-M rule', '-0 rule',
];

const BAD = [
  'rule add', 'rule del', 'rule add pref abc', 'rule add from zzz', 'rule add table foo', 'rule add fwmark x', 'rule add fwmark 1/y',
  'rule add uidrange 5', 'rule add sport a-b', 'rule add l3mdev table 5', 'rule add iif a/b', 'rule add bogus', 'rule add ipproto nope',
  'rule add suppress_prefixlength -1', 'rule add suppress_ifgroup foo', 'rule add realms foo', 'rule add protocol foo', 'rule add tos zz',
  'rule add goto x', 'rule add tun_id q', 'rule add pref', 'rule frob', 'rule help', 'rule list pref x', 'rule list from 2001::/8',
  'rule list table nope', 'rule list uidrange 1', 'rule list dport x', 'rule list ipproto nope', 'rule save extra',
  'rule add nat nonsense', 'rule add type', 'rule list tos 0x1ff', '-6 rule add from 10.0.0.0/8',
];

test('ip rule add/del: same effect as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns('rip-cli-a');
  const b = createTestNetns('rip-cli-b');
  try {
    assertSameEffect(a, b, ADD, VIEWS);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('ip rule list: same text and JSON as iproute2 for every selector', async (t) => {
  await withNetns(t, (ns) => {
    for (const l of ADD.slice(0, 15)) ns.ip(...words(l));
    for (const line of LIST) assertParity(ns, line);
  });
});

test('ip rule flush: same effect as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns('rip-cli-a');
  const b = createTestNetns('rip-cli-b');
  try {
    for (const ns of [a, b]) for (const l of ADD.slice(0, 15)) ns.ip(...words(l));
    assertSameEffect(a, b, ['rule flush protocol static', 'rule flush table 100', 'rule flush pref 103', '-6 rule flush', 'rule flush'], VIEWS);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('ip rule: bad input gets iproute2 stderr and exit status, namespace unchanged', async (t) => {
  await withNetns(t, (ns) => {
    ns.ip('rule', 'add', 'pref', '100', 'table', '100');
    assertRejectedLikeIproute2(ns, BAD);
  });
});

test('ip rule save/restore: our dump restores to the same rules as iproute2 restoring its own', async (t) => {
  if (!requireRoot(t)) return;
  const src = createTestNetns('rip-cli-src');
  const a = createTestNetns('rip-cli-a');
  const b = createTestNetns('rip-cli-b');
  try {
    for (const l of ADD.slice(0, 15)) src.ip(...words(l));
    const theirs = spawnSync('ip', ['-n', src.name, 'rule', 'save'], { stdio: ['ignore', 'pipe', 'pipe'] }).stdout;
    const ours = spawnSync(process.execPath, [RIP, 'ip', '-n', src.name, 'rule', 'save'], { stdio: ['ignore', 'pipe', 'pipe'] }).stdout;
    assert.equal(ours.length, theirs.length);
    assert.equal(ours.readUInt32LE(0), 0x71706986, 'magic');
    spawnSync('ip', ['-n', a.name, 'rule', 'restore'], { input: theirs });
    const r = spawnSync(process.execPath, [RIP, 'ip', '-n', b.name, 'rule', 'restore'], { input: ours, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    for (const v of [['rule', 'show'], ['-6', 'rule', 'show']]) assert.equal(iproute2(b, v).stdout, iproute2(a, v).stdout);
    const bad = spawnSync(process.execPath, [RIP, 'ip', '-n', b.name, 'rule', 'restore'], { input: 'garbage\n', encoding: 'utf8' });
    const badIp = spawnSync('ip', ['-n', b.name, 'rule', 'restore'], { input: 'garbage\n', encoding: 'utf8' });
    assert.deepEqual([bad.stderr, bad.status], [badIp.stderr, badIp.status]);
  } finally {
    src.cleanup();
    a.cleanup();
    b.cleanup();
  }
});
