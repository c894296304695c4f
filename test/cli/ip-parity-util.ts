/**
 * CLI parity helpers for the ip neigh/rule/nexthop/vrf tests: run our `ip`
 * (bin/rip.js ip) and iproute2's `ip` against the same namespace and
 * compare stdout, stderr and exit status; snapshot a namespace's state to prove
 * that a rejected command changed nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../helpers/golden.js';
import { inVm, type TestNetns } from '../helpers/netns.js';

/** Output of one command. */
export interface Outcome { readonly stdout: string; readonly stderr: string; readonly status: number | null }

/** Path of the multi-call entry point. */
export const RIP = path.join(repoRoot(), 'bin', 'rip.js');

function run(cmd: string, args: readonly string[]): Outcome {
  // The full-kernel VM emulates the CPU: allow for a much slower node start-up there.
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: inVm() ? 900_000 : 30_000 });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

/** Our `ip -n NS …`. */
export function rip(ns: TestNetns, args: readonly string[]): Outcome {
  return run(process.execPath, [RIP, 'ip', '-n', ns.name, ...args]);
}

/** iproute2's `ip -n NS …`. */
export function iproute2(ns: TestNetns, args: readonly string[]): Outcome {
  return run('ip', ['-n', ns.name, ...args]);
}

/** Split a command line written with single spaces. */
export const words = (line: string): string[] => line.split(' ').filter(Boolean);

/** Assert that both programs print the same and exit the same for `line` (after `normalize`). */
export function assertParity(ns: TestNetns, line: string, normalize: (s: string) => string = (s) => s): void {
  const want = iproute2(ns, words(line));
  const got = rip(ns, words(line));
  assert.equal(normalize(got.stdout), normalize(want.stdout), `stdout of: ip ${line}`);
  assert.equal(got.stderr, want.stderr, `stderr of: ip ${line}`);
  assert.equal(got.status, want.status, `exit status of: ip ${line}`);
}

/**
 * Neighbour listings without the kernel's own multicast (ff02::) entries, which
 * IPv6 MLD creates asynchronously, in sorted order (hash order differs between
 * namespaces).
 */
export function stableNeigh(s: string): string {
  return s.split('\n').filter((l) => l && !l.startsWith('ff02::')).sort().join('\n');
}

/** Everything our commands could change in a namespace, as iproute2 reports it. */
export function snapshot(ns: TestNetns): string {
  const views = [
    ['-d', 'link', 'show'], ['addr', 'show'], ['neigh', 'show', 'nud', 'all'], ['neigh', 'show', 'proxy'],
    ['rule', 'show'], ['-6', 'rule', 'show'], ['nexthop', 'show'], ['route', 'show', 'table', 'all'], ['-6', 'route', 'show', 'table', 'all'],
  ];
  return views.map((v) => `## ${v.join(' ')}\n${v.includes('neigh') ? stableNeigh(iproute2(ns, v).stdout) : iproute2(ns, v).stdout}`).join('\n');
}

/**
 * For each bad command line: rip must print iproute2's stderr, exit with its
 * status, print nothing on stdout that iproute2 does not, and leave the
 * namespace exactly as it was.
 */
export function assertRejectedLikeIproute2(ns: TestNetns, lines: readonly string[]): void {
  for (const line of lines) {
    const before = snapshot(ns);
    const got = rip(ns, words(line));
    const after = snapshot(ns);
    assert.equal(after, before, `namespace changed by rejected: ip ${line}`);
    const want = iproute2(ns, words(line));
    assert.notEqual(want.status, 0, `iproute2 accepts: ip ${line} (not a bad-input case)`);
    assert.equal(snapshot(ns), before, `iproute2 changed the namespace for: ip ${line}`);
    assert.equal(got.stderr, want.stderr, `stderr of: ip ${line}`);
    assert.equal(got.status, want.status, `exit status of: ip ${line}`);
    assert.equal(got.stdout, want.stdout, `stdout of: ip ${line}`);
  }
}

/** Set up the same veth pair and addresses in a namespace. */
export function vethSetup(ns: TestNetns): void {
  // No duplicate address detection: link-local addresses would otherwise change state mid-test.
  for (const k of ['all', 'default']) ns.run('sysctl', ['-qw', `net.ipv6.conf.${k}.accept_dad=0`]);
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  ns.ip('link', 'set', 'veth0', 'address', '02:00:00:00:01:00');
  ns.ip('link', 'set', 'veth1', 'address', '02:00:00:00:01:01');
  ns.ip('link', 'set', 'veth0', 'up');
  ns.ip('link', 'set', 'veth1', 'up');
  ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'veth0');
  ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'veth0', 'nodad');
}

/**
 * Apply each modifying line with iproute2 in `a` and with rip in `b` (same
 * starting state): outputs and statuses must match, and afterwards `views`
 * must read the same in both namespaces.
 */
export function assertSameEffect(a: TestNetns, b: TestNetns, lines: readonly string[], views: ReadonlyArray<readonly string[]>, normalize: (s: string) => string = (s) => s): void {
  for (const line of lines) {
    const want = iproute2(a, words(line));
    const got = rip(b, words(line));
    assert.equal(got.stdout, want.stdout, `stdout of: ip ${line}`);
    assert.equal(got.stderr, want.stderr, `stderr of: ip ${line}`);
    assert.equal(got.status, want.status, `exit status of: ip ${line}`);
    for (const v of views) {
      assert.equal(normalize(iproute2(b, v).stdout), normalize(iproute2(a, v).stdout), `ip ${v.join(' ')} after: ip ${line}`);
    }
  }
}
