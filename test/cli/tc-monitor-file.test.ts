/**
 * `tc monitor file FILE` (rtnl_from_file): rip and iproute2 read the same
 * file of saved tc notifications and must print the same text, stderr and
 * exit status — for a file recorded from a real namespace (qdisc and class
 * events of several kinds, deletions, an unknown message type), for a file
 * cut in the middle of a message, one with a malformed length, an empty
 * file, a missing file and a missing FILE argument.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestNetns, requireRoot, type TestNetns } from '../helpers/netns.js';
import { NetlinkSocket, type MessageView } from '../../src/netlink/socket.js';
import { NETLINK, RTNLGRP } from '../../src/netlink/constants.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

interface Run { stdout: string; stderr: string; status: number | null }
function run(cmd: string, args: readonly string[]): Run {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Both tools on the same arguments (after `tc -n NS`): identical stdout, stderr and status. */
function same(ns: string, args: readonly string[]): Run {
  const want = run('tc', ['-n', ns, ...args]);
  const got = run(process.execPath, [RIP, 'tc', '-n', ns, ...args]);
  const label = `tc ${args.join(' ')}`;
  assert.equal(got.stdout, want.stdout, `${label}: stdout`);
  assert.equal(got.stderr, want.stderr, `${label}: stderr`);
  assert.equal(got.status, want.status, `${label}: status`);
  return want;
}

/** A message as saved in a file: nlmsghdr + payload, padded to 4 bytes. */
function saved(m: MessageView): Buffer {
  const out = Buffer.alloc(16 + ((m.len + 3) & ~3));
  m.buf.copy(out, 0, m.off - 16, m.off + m.len);
  return out;
}

/** Record the RTNLGRP_TC notifications caused by `cmds` (tc command lines) in `ns`. */
async function record(ns: TestNetns, cmds: readonly string[]): Promise<Buffer[]> {
  const sock = NetlinkSocket.open(NETLINK.ROUTE, { netns: ns.name, groups: [RTNLGRP.TC] });
  const msgs: Buffer[] = [];
  const stop = sock.subscribe((ev) => { if (ev.kind === 'message') msgs.push(saved(ev.message)); });
  try {
    for (const c of cmds) ns.tc(...c.split(' '));
    // Notifications are queued on the socket by the time tc returns; give the poller a turn to read them.
    for (let i = 0; i < 20 && msgs.length < cmds.length; i++) await new Promise((r) => setTimeout(r, 50));
  } finally {
    stop();
    sock.close();
  }
  return msgs;
}

test('tc monitor file: same output, errors and status as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const ns = createTestNetns();
  const dir = mkdtempSync(join(tmpdir(), 'rip-tc-monitor-'));
  try {
    ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
    ns.ip('link', 'set', 'veth0', 'up');
    const msgs = await record(ns, [
      'qdisc add dev veth0 root handle 1: htb default 10 r2q 20',
      'class add dev veth0 parent 1: classid 1:1 htb rate 10mbit ceil 20mbit',
      'class add dev veth0 parent 1:1 classid 1:10 htb rate 1mbit ceil 5gbit prio 3',
      'qdisc add dev veth0 parent 1:10 handle 10: pfifo limit 77',
      'class add dev veth0 parent 1:1 classid 1:20 htb rate 2mbit',
      'qdisc add dev veth0 parent 1:20 handle 20: tbf rate 1mbit burst 10k latency 50ms',
      'qdisc change dev veth0 parent 1:10 handle 10: pfifo limit 88',
      'qdisc add dev veth1 root handle 3: bfifo limit 64k',
      'class change dev veth0 parent 1: classid 1:1 htb rate 12mbit',
      'qdisc add dev veth1 clsact',
      'qdisc add dev veth0 ingress',
      'qdisc del dev veth0 ingress',
      'class del dev veth0 classid 1:10',
      'qdisc del dev veth0 root',
    ]);
    assert.ok(msgs.length >= 12, `recorded ${msgs.length} notifications`);
    const file = join(dir, 'events');
    // An RTM_NEWLINK in the middle: tc reports it as an unknown message on stderr.
    const link = Buffer.alloc(32);
    link.writeUInt32LE(32, 0);
    link.writeUInt16LE(16, 4);
    writeFileSync(file, Buffer.concat([...msgs.slice(0, 3), link, ...msgs.slice(3)]));
    const full = same(ns.name, ['monitor', 'file', file]);
    assert.match(full.stdout, /^qdisc htb 1: dev veth0 root r2q 20 default 0x10 direct_packets_stat 0/m);
    assert.match(full.stdout, /^deleted class htb 1:10 dev veth0 parent 1:1 leaf 10: prio 3 /m);
    assert.match(full.stderr, /^Unknown message: length 00000032 type 00000010 flags 00000000$/m);
    same(ns.name, ['-s', 'monitor', 'f', file]);

    // Cut inside the fifth message: the first four are printed, then the error.
    const all = Buffer.concat(msgs);
    const cut = msgs.slice(0, 4).reduce((n, m) => n + m.length, 0) + 20;
    writeFileSync(file, all.subarray(0, cut));
    const r = same(ns.name, ['monitor', 'file', file]);
    assert.equal(r.status, 255);
    assert.equal(r.stderr, 'rtnl-from_file: truncated message\n');
    writeFileSync(file, all.subarray(0, msgs[0]!.length + 7));
    same(ns.name, ['monitor', 'file', file]);

    // A length tc's 16 KiB buffer cannot hold, and one shorter than a header.
    const bad = Buffer.from(msgs[1]!);
    bad.writeUInt32LE(20000, 0);
    writeFileSync(file, Buffer.concat([msgs[0]!, bad]));
    assert.match(same(ns.name, ['monitor', 'file', file]).stderr, /^!!!malformed message: len=20000 @\d+$/m);
    bad.writeUInt32LE(8, 0);
    writeFileSync(file, Buffer.concat([msgs[0]!, bad]));
    same(ns.name, ['monitor', 'file', file]);
    bad.writeUInt32LE(0xfffffff0, 0);
    writeFileSync(file, bad);
    same(ns.name, ['monitor', 'file', file]);

    writeFileSync(file, '');
    assert.equal(same(ns.name, ['monitor', 'file', file]).status, 0);
    same(ns.name, ['monitor', 'file', join(dir, 'missing')]);
    same(ns.name, ['monitor', 'file', dir]);
    same(ns.name, ['monitor', 'file']);
  } finally {
    ns.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
