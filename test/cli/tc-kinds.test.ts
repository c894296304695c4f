/**
 * CLI parity for the tc kinds this kernel lacks: `rip tc` and iproute2's
 * `tc` on the same namespace must give the same stderr and exit status for
 * every golden command line (valid grammar; this kernel then rejects the
 * unknown kind, so both report the kernel's error) and for every bad-input
 * case of test/fixtures/golden/tc-kinds-errors.json.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withNetns, hasQdisc, type TestNetns } from '../helpers/netns.js';
import { goldenPath, readGoldenFile, repoRoot } from '../helpers/golden.js';

interface ErrorCase { obj: 'qdisc' | 'class'; kind: string; args: string[]; stderr: string; status: number }

function both(ns: TestNetns, args: readonly string[]): void {
  const theirs = spawnSync('tc', ['-n', ns.name, ...args], { encoding: 'utf8' });
  const ours = spawnSync(process.execPath, [path.join(repoRoot(), 'bin', 'rip.js'), 'tc', '-n', ns.name, ...args], { encoding: 'utf8' });
  const label = `tc ${args.join(' ')}`;
  // tc ends a few messages with a literal "\n" and no newline; rip always ends the line.
  const want = theirs.stderr.endsWith('\n') || theirs.stderr === '' ? theirs.stderr : theirs.stderr + '\n';
  assert.equal(ours.stderr, want, `stderr of ${label}`);
  assert.equal(ours.status, theirs.status, `exit status of ${label}`);
  assert.equal(ours.stdout, theirs.stdout, `stdout of ${label}`);
}

const golden = readGoldenFile('tc-kinds');
const errors = JSON.parse(fs.readFileSync(goldenPath('tc-kinds-errors'), 'utf8')) as ErrorCase[];

test('rip tc = tc for the golden command lines and bad input of the missing kinds', async (t) => {
  await withNetns(t, (ns) => {
    ns.ip('link', 'add', 'veth0', 'numtxqueues', '8', 'numrxqueues', '8', 'type', 'veth', 'peer', 'name', 'veth1');
    let checked = 0;
    for (const g of golden) {
      const kind = /\b(cake|fq_codel|fq|codel|netem|hfsc|sfq|red|prio|mqprio|ets|taprio|drr|qfq|multiq|plug|mq|pfifo_head_drop)\b/.exec(g.cmd)?.[1];
      // Only where this kernel lacks the kind: then both get the same kernel rejection and nothing changes.
      if (!kind || hasQdisc(kind)) continue;
      both(ns, g.cmd.split(' ').slice(1));
      checked++;
    }
    for (const e of errors) {
      const pre = e.obj === 'qdisc'
        ? ['qdisc', 'add', 'dev', 'veth0', 'root', 'handle', '1:', e.kind]
        : ['class', 'add', 'dev', 'veth0', 'parent', '1:', 'classid', '1:1', e.kind];
      both(ns, [...pre, ...e.args]);
      checked++;
    }
    assert.ok(checked >= 150, `${checked} command lines compared`);
  });
});
