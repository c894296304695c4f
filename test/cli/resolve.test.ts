/**
 * CLI parity for `ip -resolve`: addresses printed as host names.
 *
 * Both programs run in a private mount namespace whose /etc/hosts and
 * /etc/nsswitch.conf ("hosts: files") are bind-mounted from a temporary
 * directory, so names come from a hosts file the test writes and the host's
 * own files are never touched (nor is DNS asked).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { RIP, words } from './ip-parity-util.js';

const HOSTS = `127.0.0.1 localhost
10.1.1.7 seven.example seven
10.1.1.8 eight.example
10.1.1.5 five
10.1.1.255 bcast
10.2.0.2 peer2
10.60.0.1 sixty
10.70.0.9 nat-gw
239.1.1.1 mcast-group
2001:db8::7 v6seven
2001:db8::1 v6one
::1 ip6-localhost
`;

/** The argv that runs `cmd args` with the test's hosts file in a private mount namespace. */
function wrapped(dir: string, cmd: string, args: readonly string[]): string[] {
  const script = `mount --bind ${dir}/hosts /etc/hosts && mount --bind ${dir}/nsswitch.conf /etc/nsswitch.conf && exec "$@"`;
  return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', cmd, ...args];
}

function runIn(dir: string, cmd: string, args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const [exe, ...rest] = wrapped(dir, cmd, args);
  const r = spawnSync(exe!, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

async function withHostsDir<R>(fn: (dir: string) => Promise<R> | R): Promise<R> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rip-resolve-'));
  try {
    writeFileSync(path.join(dir, 'hosts'), HOSTS);
    writeFileSync(path.join(dir, 'nsswitch.conf'), 'hosts: files\n');
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function setup(ns: TestNetns): void {
  ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ns.ip('link', 'set', 'v0', 'up');
  ns.ip('link', 'set', 'v1', 'up');
  ns.ip('addr', 'add', '10.1.1.1/24', 'dev', 'v0');
  ns.ip('addr', 'add', '10.1.1.5/24', 'brd', '10.1.1.255', 'dev', 'v0');
  ns.ip('addr', 'add', '10.2.0.1', 'peer', '10.2.0.2', 'dev', 'v0');
  ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad');
  ns.ip('neigh', 'add', '10.1.1.7', 'lladdr', '02:00:00:00:00:07', 'dev', 'v0');
  ns.ip('neigh', 'add', '10.1.1.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'v0');
  ns.ip('neigh', 'add', '2001:db8::7', 'lladdr', '02:00:00:00:00:08', 'dev', 'v0');
  ns.ip('nexthop', 'add', 'id', '5', 'via', '10.1.1.7', 'dev', 'v0');
  ns.ip('nexthop', 'add', 'id', '6', 'via', '2001:db8::7', 'dev', 'v0');
  ns.ip('route', 'add', '10.50.0.0/16', 'nhid', '5');
  ns.ip('route', 'add', '10.60.0.1', 'via', '10.1.1.7');
  ns.ip('route', 'add', '10.9.0.0/16', 'via', '127.0.0.1', 'dev', 'lo');
  ns.ip('route', 'add', '10.61.0.0/16', 'nexthop', 'via', '10.1.1.7', 'nexthop', 'via', '10.1.1.8');
  ns.ip('-6', 'route', 'add', '2001:db8:5::/64', 'via', '2001:db8::7');
  ns.ip('rule', 'add', 'from', '10.7.0.0/16', 'nat', '10.70.0.9');
  ns.ip('link', 'add', 'vx0', 'type', 'vxlan', 'id', '5', 'remote', '10.1.1.7', 'local', '10.1.1.5', 'dstport', '4789');
  ns.ip('link', 'add', 'vx1', 'type', 'vxlan', 'id', '6', 'group', '239.1.1.1', 'dev', 'v0', 'dstport', '4789');
}

const LINES = [
  '-r route show table all',
  '-r -6 route show table all',
  '-r -j route show table all',
  '-r -j -p route show',
  '-r -d route show',
  '-r -j -d route show',
  '-r route get 10.60.0.1',
  '-r -j route get 10.61.0.1',
  '-r addr',
  '-r -j addr',
  '-r -br addr',
  '-r -d addr show dev vx0',
  '-r neigh',
  '-r -j neigh',
  '-r -br neigh',
  '-r neigh get 10.1.1.7 dev v0',
  '-r nexthop',
  '-r -j nexthop',
  '-r nexthop get id 5',
  '-r rule',
  '-r -j rule',
  '-r -d link show vx0',
  '-r -d -j link show vx0',
  '-r -d link show vx1',
  '-r maddr show dev v0',
];

test('ip -r prints host names from /etc/hosts like iproute2 (route, addr, neigh, nexthop, rule, link, maddr)', async (t) => {
  await withNetns(t, (ns) => withHostsDir((dir) => {
    setup(ns);
    // The state is settled (IPv6 link-local addresses appear asynchronously).
    spawnSync('sleep', ['2']);
    const unnamed: string[] = [];
    for (const line of LINES) {
      const args = ['-n', ns.name, ...words(line)];
      const want = runIn(dir, 'ip', args);
      const got = runIn(dir, process.execPath, [RIP, 'ip', ...args]);
      assert.equal(got.stdout, want.stdout, `stdout of: ip ${line}`);
      assert.equal(got.stderr, want.stderr, `stderr of: ip ${line}`);
      assert.equal(got.status, want.status, `status of: ip ${line}`);
      if (!/seven|five|peer2|sixty|nat-gw|v6one|localhost|mcast-group/.test(want.stdout)) unnamed.push(line);
    }
    // The comparison means something only if iproute2 did resolve names.
    // (No name in the rule list: the kernel keeps no NAT gateway, it prints "masquerade".)
    assert.deepEqual(unnamed, ['-r rule', '-r -j rule', '-r maddr show dev v0']);
    // And without -r nothing is resolved.
    const plain = runIn(dir, process.execPath, [RIP, 'ip', '-n', ns.name, 'route']);
    assert.doesNotMatch(plain.stdout, /seven/);
    assert.match(plain.stdout, /via 10\.1\.1\.7 /);
  }));
});

test('ip -r monitor prints host names like iproute2', async (t) => {
  await withNetns(t, (ns) => withHostsDir(async (dir) => {
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('link', 'set', 'v0', 'up');
    ns.ip('link', 'set', 'v1', 'up');
    ns.ip('addr', 'add', '10.1.1.1/24', 'dev', 'v0');
    const outs: string[] = ['', ''];
    const procs = [
      wrapped(dir, 'ip', ['-n', ns.name, '-r', 'monitor', 'route', 'neigh']),
      wrapped(dir, process.execPath, [RIP, 'ip', '-n', ns.name, '-r', 'monitor', 'route', 'neigh']),
    ].map(([exe, ...rest], i) => {
      const p = spawn(exe!, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
      p.stdout!.on('data', (d: Buffer) => { outs[i] += d.toString(); });
      return p;
    });
    const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
    try {
      // Readiness: probe routes until both monitors have printed one.
      let k = 0;
      let marks: number[] = [];
      for (; k < 100; k++) {
        ns.ip('route', 'add', `10.99.${k}.0/24`, 'dev', 'v0');
        await sleep(200);
        if (outs.every((o) => o.includes(`10.99.${k}.0/24`))) { await sleep(200); marks = outs.map((o) => o.length); break; }
      }
      assert.ok(marks.length, 'monitors never became ready');
      ns.ip('route', 'add', '10.60.0.1', 'via', '10.1.1.7');
      ns.ip('neigh', 'add', '10.1.1.8', 'lladdr', '02:00:00:00:00:08', 'dev', 'v0');
      ns.ip('route', 'del', '10.60.0.1');
      let a = '';
      for (let i = 0; i < 50; i++) {
        await sleep(100);
        a = outs[0]!.slice(marks[0]);
        if (a.includes('Deleted sixty') && outs[1]!.slice(marks[1]) === a) break;
      }
      assert.match(a, /sixty via seven\.example dev v0/);
      assert.match(a, /eight\.example dev v0 lladdr/);
      assert.equal(outs[1]!.slice(marks[1]), a);
    } finally {
      for (const p of procs) p.kill('SIGTERM');
    }
  }));
});
