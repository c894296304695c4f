/**
 * Bad input for `ip address`, `ip maddress` and `ip monitor`: rip prints
 * iproute2's exact stderr and exits with its status, and the namespace is
 * unchanged afterwards (nothing was sent, or the kernel refused it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { withNetns } from '../helpers/netns.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

function run(cmd: string, args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Each line is one command after `ip -n NS`. */
const CORPUS = `
addr add 10.0.0.9/24
addr add 10.0.0.9/33 dev v0
addr add foo dev v0
addr add 10.0.0.9/24 dev nosuch
addr add 10.0.0.9/24 dev v0 scope bogus
addr add 10.0.0.9/24 dev v0 metric x
addr add 10.0.0.9/24 dev v0 valid_lft abc
addr add 10.0.0.9/24 dev v0 preferred_lft -1
addr add 10.0.0.9/24 dev v0 valid_lft 10 preferred_lft 20
addr add 10.0.0.9/24 dev v0 valid_lft 0
addr add 10.0.0.9/24 dev v0 valid_lft 10 valid_lft 20
addr add 10.0.0.9/24 10.0.0.2/24 dev v0
addr add 10.0.0.9/24 dev v0 autojoin
addr add 2001:db8::9/64 dev v0 broadcast +
addr add 10.0.0.9/24 dev v0 peer 1.2.3.4 peer 1.2.3.5
addr add 10.0.0.9/24 dev
addr add 10.0.0.9/24 dev v0 broadcast foo
addr add 10.0.0.9/24 dev v0 anycast 2001::1
addr add 10.0.0.9/24 dev v0 brd 1.1.1.1 brd 2.2.2.2
addr add 10.0.0.9/255.255.0.255 dev v0
addr add 300.0.0.1/24 dev v0
addr add 2001:db8::zz/64 dev v0
-4 addr add 2001:db8::9/64 dev v0
-6 addr add 10.0.0.9/24 dev v0
addr add 10.0.0.1/24 dev v0
addr del 10.9.9.9/24 dev v0
addr del 10.0.0.9/24
addr change 10.0.0.9/24 dev nosuch
addr replace dev v0
addr foo
addr add help
addr help
addr show dev nosuch
addr show scope bogus
addr show dev v0 dev v1
addr show label
addr show to bogus
addr show to 10.0.0.0/40
addr show group bogus
addr show master nosuch
addr show vrf nosuch
addr flush
-0 addr flush dev v0
addr flush dev nosuch
maddr foo
maddr help
maddr show dev v0 dev v1
maddr add 01:00:5e:01:02 dev v0
maddr add zz:00:5e:01:02:03 dev v0
maddr add 01:00:5e:01:02:03
maddr add 01:00:5e:01:02:03 dev nosuch
maddr del 01:00:5e:09:09:09 dev v0
maddr add address 01:00:5e:01:02:03 dev v0 dev v1
maddr add 01:00:5e:01:02:03 dev a/b
monitor foo
monitor help
monitor dev nosuch
monitor link dev
`.trim().split('\n');

test('bad input: iproute2 stderr and status, namespace unchanged', async (t) => {
  await withNetns(t, async (ns) => {
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('address', 'add', '10.0.0.1/24', 'dev', 'v0');
    ns.ip('address', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad');
    assert.ok(CORPUS.length >= 15);
    const state = (): string => ns.ip('-d', 'address') + ns.ip('-d', 'route', 'show', 'table', 'all') + ns.ip('maddress');
    const before = state();
    for (const line of CORPUS) {
      const args = ['-n', ns.name, ...line.split(' ')];
      const got = run('node', [RIP, 'ip', ...args]);
      assert.equal(state(), before, `rip ip ${line}: namespace changed`);
      const want = run('ip', args);
      assert.equal(state(), before, `ip ${line}: not a bad-input line (iproute2 changed the namespace)`);
      assert.notEqual(want.status, 0, `ip ${line} should fail`);
      assert.equal(got.stderr, want.stderr, `ip ${line}: stderr`);
      assert.equal(got.status, want.status, `ip ${line}: status`);
      assert.equal(got.stdout, want.stdout, `ip ${line}: stdout`);
    }
  });
});
