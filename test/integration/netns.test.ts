/**
 * Namespaces: the library (add, attach, list, ids, identify, pids, exec,
 * delete), Netlink.open by name/path/pid, and `ip netns` against iproute2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, readlinkSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { requireRoot } from '../helpers/netns.js';
import * as netns from '../../src/netlink/netns.js';
import { Netlink } from '../../src/netlink/netlink.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;
const uniq = (s: string): string => `rip-nst-${s}-${process.pid}`;

function sh(cmd: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

test('add, list, exec, identify, pids, set id, delete', async (t) => {
  if (!requireRoot(t)) return;
  const a = uniq('a'), b = uniq('b');
  await netns.add(a);
  try {
    await netns.add(b);
    assert.ok(existsSync(`/run/netns/${a}`));
    assert.notEqual(statSync(`/run/netns/${a}`).ino, statSync('/proc/self/ns/net').ino, 'a new namespace');
    assert.equal(readlinkSync('/proc/self/ns/net'), netns.namespaceId(), 'our own namespace is unchanged');
    const names = netns.names();
    assert.ok(names.includes(a) && names.includes(b));
    // iproute2 sees it and lists in the same order.
    const ipList = sh('ip', ['netns', 'list']).stdout.split('\n').filter(Boolean).map((l) => l.split(' ')[0]);
    assert.deepEqual(names, ipList);

    // Ids: unassigned, then set, then read back by both us and iproute2.
    assert.equal(await netns.getId(a), undefined);
    await netns.setId(a, 42);
    assert.equal(await netns.getId(a), 42);
    const listed = await netns.list();
    assert.equal(listed.find((x) => x.name === a)?.id, 42);
    assert.match(sh('ip', ['netns', 'list']).stdout, new RegExp(`^${a} \\(id: 42\\)$`, 'm'));
    await assert.rejects(netns.setId(a, -3), /should be >= 0/);

    // exec runs inside, with the caller's stdio and exit status.
    const r = await netns.exec(a, ['sh', '-c', 'test "$(ls /sys/class/net)" = lo && exit 7']);
    assert.deepEqual(r, { status: 7, signal: 0 });

    // A process inside: identify and pids find it.
    const child = spawn('ip', ['netns', 'exec', a, 'sleep', '30'], { stdio: 'ignore' });
    try {
      await new Promise((res) => setTimeout(res, 300));
      const inside = netns.pids(a);
      assert.ok(inside.length >= 1);
      for (const pid of inside) assert.deepEqual(netns.identify(pid), [a]);
      assert.deepEqual(netns.identify(), [], 'we are in no named namespace');
    } finally {
      child.kill();
    }

    // Netlink.open by name, by path and by pid all land in the same namespace.
    const byName = await Netlink.open({ netns: a });
    const byPath = await Netlink.open({ netns: `/run/netns/${a}` });
    await byName.link.add({ ifname: 'probe0', kind: 'veth' });
    assert.equal((await byPath.link.get('probe0')).ifname, 'probe0');
    const holder = spawn('ip', ['netns', 'exec', a, 'sleep', '30'], { stdio: 'ignore' });
    try {
      await new Promise((res) => setTimeout(res, 300));
      const pid = netns.pids(a).find((p) => p !== holder.pid) ?? netns.pids(a)[0]!;
      const byPid = await Netlink.open({ netns: pid });
      assert.equal((await byPid.link.get('probe0')).ifname, 'probe0');
      byPid.close();
    } finally {
      holder.kill();
    }
    byName.close();
    byPath.close();
    await assert.rejects(Netlink.open({ netns: uniq('absent') }), (e: Error & { code?: string }) => e.code === 'ENOENT');
  } finally {
    await netns.del(a).catch(() => {});
    await netns.del(b).catch(() => {});
  }
  assert.ok(!existsSync(`/run/netns/${a}`));
  await assert.rejects(netns.del(a), /Cannot remove namespace file ".*": No such file or directory/);
  await assert.rejects(netns.add('a/b'), /Invalid netns name/);
});

test('ip netns: same output, errors and exit codes as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const a = uniq('cli');
  const ours = (...args: string[]) => sh('node', [RIP, 'ip', ...args]);
  const theirs = (...args: string[]) => sh('ip', args);
  // Other tests add and delete namespaces meanwhile: ours must equal iproute2's from just before or just after.
  const same = (argv: string[]): void => {
    const before = theirs(...argv);
    const got = ours(...argv);
    if (isDeepStrictEqual(got, before)) return;
    assert.deepEqual(got, theirs(...argv), argv.join(' '));
  };
  let r = ours('netns', 'add', a);
  assert.equal(r.status, 0, r.stderr);
  try {
    for (const argv of [['netns'], ['netns', 'list'], ['-j', 'netns'], ['netns', 'list-id'], ['netns', 'pids', a], ['netns', 'identify']]) same(argv);
    theirs('netns', 'set', a, '5');
    for (const argv of [['netns'], ['-j', '-p', 'netns', 'show'], ['netns', 'list-id'], ['-j', 'netns', 'list-id'], ['netns', 'list-id', 'nsid', '5']]) same(argv);
    for (const argv of [
      ['netns', 'add', a], ['netns', 'add'], ['netns', 'del', uniq('nope')], ['netns', 'add', '..'],
      ['netns', 'set', a], ['netns', 'set', a, 'x'], ['netns', 'set', a, '-2'], ['netns', 'exec', a],
      ['netns', 'identify', 'abc'], ['netns', 'pids'], ['netns', 'frob'], ['netns', 'pids', a, 'extra'],
    ]) {
      const o = ours(...argv), i = theirs(...argv);
      assert.equal(o.stderr, i.stderr, argv.join(' '));
      assert.equal(o.status, i.status, argv.join(' '));
    }
    const e = ours('netns', 'exec', a, 'sh', '-c', 'ls /sys/class/net; exit 4');
    assert.equal(e.stdout, 'lo\n');
    assert.equal(e.status, 4);
  } finally {
    r = ours('netns', 'del', a);
    assert.equal(r.status, 0, r.stderr);
  }
  assert.ok(!existsSync(`/run/netns/${a}`));
});
