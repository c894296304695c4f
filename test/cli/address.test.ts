/**
 * CLI parity for `ip address` and `ip maddress`: on the same namespace state,
 * rip and iproute2 print the same text and JSON with the same exit status;
 * add/change/replace/del/flush leave twin namespaces in the same state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { withNetns, createTestNetns, requireRoot, type TestNetns } from '../helpers/netns.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

interface Run { stdout: string; stderr: string; status: number | null }

function run(cmd: string, args: readonly string[]): Run {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}
const ip = (ns: string, args: readonly string[]): Run => run('ip', ['-n', ns, ...args]);
const rip = (ns: string, args: readonly string[]): Run => run('node', [RIP, 'ip', '-n', ns, ...args]);

/** Lifetimes of dynamic addresses tick between the two runs: the only volatile fields. */
function normalize(s: string): string {
  return s.replace(/\b\d+sec\b/g, 'Nsec').replace(/"(valid|preferred)_life_time":\s*(?!4294967295)\d+/g, '"$1_life_time":N');
}

/** A namespace with links and addresses of every kind `ip address` prints differently. */
function populate(ns: TestNetns): void {
  ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ns.ip('link', 'set', 'v1', 'addrgenmode', 'none'); // no link-local address whose DAD state would change under us
  ns.ip('link', 'set', 'v1', 'up');
  ns.ip('link', 'add', 'v2', 'type', 'veth', 'peer', 'name', 'v3'); // links without addresses
  ns.ip('link', 'add', 'br0', 'type', 'bridge'); // kind data and slave data under -d
  ns.ip('link', 'set', 'v3', 'master', 'br0');
  ns.ip('link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'dstport', '4789');
  ns.ip('address', 'add', '10.0.0.1/24', 'brd', '+', 'dev', 'v0', 'label', 'v0:1');
  ns.ip('address', 'add', '10.0.0.2/24', 'dev', 'v0'); // secondary
  ns.ip('address', 'add', '10.1.0.1', 'peer', '10.1.0.2/32', 'dev', 'v0', 'metric', '5', 'valid_lft', '5000', 'preferred_lft', '4000');
  ns.ip('address', 'add', '10.2.0.1/16', 'dev', 'v0', 'scope', 'link', 'anycast', '10.2.0.9');
  ns.ip('address', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad', 'noprefixroute');
  ns.ip('address', 'add', '2001:db8:1::1/64', 'dev', 'v0', 'nodad', 'home', 'mngtmpaddr');
  ns.ip('address', 'add', '192.168.5.1/24', 'dev', 'v1');
  ns.ip('address', 'add', '2001:db8:5::1/64', 'dev', 'v1', 'nodad');
  ns.ip('address', 'add', '239.1.1.1/32', 'dev', 'v1', 'autojoin');
}

const SHOW = [
  ['addr'], ['a'], ['address', 'show'], ['a', 'lst'], ['-br', 'a'], ['-br', '-4', 'a'], ['-br', '-6', 'a'],
  ['-4', '-o', 'a'], ['-o', 'a'], ['-6', 'a'], ['-4', 'a'], ['-j', 'a'], ['-j', '-p', 'a'], ['-j', '-br', 'a'],
  ['-j', '-p', '-br', 'a'], ['-j', '-o', 'a'], ['a', 's', 'dev', 'v0'], ['a', 's', 'v1'], ['-o', 'a', 's', 'dev', 'v0'],
  ['address', 'show', 'dev', 'v0', 'scope', 'global'], ['a', 's', 'scope', 'link'], ['a', 's', 'scope', 'host'],
  ['a', 's', 'label', 'v0*'], ['-j', 'a', 's', 'label', 'v0:1'], ['-br', 'a', 's', 'label', 'v0*'],
  ['a', 's', 'primary'], ['a', 's', 'secondary'], ['a', 's', 'dynamic'], ['a', 's', 'permanent'], ['a', 's', '-tentative'],
  ['a', 's', 'nodad'], ['a', 's', 'home'], ['a', 's', 'to', '10.0.0.0/8'], ['a', 's', 'to', '2001:db8::/32'],
  ['a', 's', 'up'], ['-br', 'a', 's', 'up'], ['-d', 'a'], ['-j', '-d', 'a'], ['-d', '-br', 'a'],
  ['-br', '-0', 'a'], ['-0', 'a'], ['a', 's', 'master', 'br0'], ['a', 's', 'type', 'bridge_slave'], ['-d', 'a', 's', 'dev', 'br0'], ['-j', '-0', 'a'], ['-6', 'a', 's', 'dev', 'v0'], ['a', 's', 'type', 'veth'],
  ['a', 's', 'nomaster'], ['-j', 'a', 's', 'dev', 'v0', 'type', 'bridge'], ['-j', 'a', 's', 'dev', 'v3', 'nomaster'],
  ['a', 's', 'scope', 'all'], ['a', 's', 'to', '10/8'], ['a', 's', 'scope', '253'], ['a', 's', 'label', 'v0:1', 'primary'],
  ['a', 's', 'group', 'default'], ['-s', 'a', 's', 'dev', 'v0'], ['-s', '-s', '-j', 'a', 's', 'dev', 'v2'],
  ['maddr'], ['maddress', 'show'], ['-j', 'maddr'], ['-j', '-p', 'maddr'], ['maddr', 'show', 'dev', 'v1'],
  ['-4', 'maddr'], ['-6', 'maddr'], ['-0', 'maddr'], ['-o', 'maddr'],
] as const;

test('ip address / maddress show: same output and status as iproute2', async (t) => {
  await withNetns(t, async (ns) => {
    populate(ns);
    assert.ok(SHOW.length >= 20);
    for (const args of SHOW) {
      const want = ip(ns.name, args);
      const got = rip(ns.name, args);
      const label = `ip ${args.join(' ')}`;
      assert.equal(normalize(got.stdout), normalize(want.stdout), `${label}: stdout`);
      assert.equal(got.stderr, want.stderr, `${label}: stderr`);
      assert.equal(got.status, want.status, `${label}: status`);
      if ((args as readonly string[]).includes('-j')) assert.doesNotThrow(() => JSON.parse(got.stdout), label);
    }
  });
});

/** Modifying command sequences: run by iproute2 in one namespace and by rip in its twin. */
const MODIFY: ReadonlyArray<readonly string[][]> = [
  [['address', 'add', '10.5.0.1/24', 'dev', 'v0']],
  [['a', 'add', '10.5.0.1/24', 'broadcast', '+', 'dev', 'v0', 'label', 'v0:x', 'metric', '9']],
  [['a', 'add', '10.5.0.1/24', 'brd', '-', 'dev', 'v0', 'scope', 'host']],
  [['a', 'add', '10.5.0.1', 'peer', '10.5.0.2/31', 'dev', 'v0']],
  [['a', 'add', 'local', '10.5.0.1/24', 'dev', 'v0', 'valid_lft', '3000', 'preferred_lft', '2000']],
  [['a', 'add', '2001:db8:9::1/64', 'dev', 'v0', 'nodad', 'noprefixroute', 'mngtmpaddr', 'home']],
  [['-6', 'a', 'add', '2001:db8:9::1/64', 'dev', 'v0', 'nodad', 'valid_lft', 'forever', 'preferred_lft', '100']],
  [['a', 'add', '239.5.5.5/32', 'dev', 'v0', 'autojoin']],
  [['a', 'add', '10.5.0.1/24', 'dev', 'v0'], ['a', 'change', '10.5.0.1/24', 'dev', 'v0', 'metric', '3', 'valid_lft', '900', 'preferred_lft', '900']],
  [['a', 'add', '10.5.0.1/24', 'dev', 'v0'], ['a', 'replace', '10.5.0.1/24', 'dev', 'v0', 'label', 'v0:y']],
  [['a', 'replace', '10.6.0.1/24', 'dev', 'v0']],
  [['a', 'add', '10.5.0.1/24', 'dev', 'v0'], ['a', 'del', '10.5.0.1/24', 'dev', 'v0']],
  [['a', 'add', '10.5.0.1/24', 'dev', 'v0'], ['a', 'del', '10.5.0.1', 'dev', 'v0']],
  [['a', 'add', '10.5.0.1/24', 'dev', 'v0'], ['a', 'add', '10.5.0.1/24', 'dev', 'v0']],
  [['a', 'del', '10.99.0.1/24', 'dev', 'v0']],
  [['a', 'add', '10.5.0.1/24', 'dev', 'v0', 'nodad']],
  [['a', 'add', '10.5.0.1/24', 'dev', 'v0', 'tentative']],
  [['a', 'flush', 'dev', 'v0']],
  [['-s', 'a', 'flush', 'dev', 'v0']],
  [['-s', '-4', 'address', 'flush', 'label', 'v0*']],
  [['a', 'flush', 'dev', 'v0', 'secondary']],
  [['-s', 'a', 'flush', 'dev', 'v0', 'primary']],
  [['-6', 'a', 'flush', 'dev', 'v0', 'scope', 'global']],
  [['-s', 'a', 'flush', 'to', '10.9.0.0/16']],
];

test('ip address add/change/replace/del/flush: twin namespaces end in the same state', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns('rip-addr-ip');
  const b = createTestNetns('rip-addr-rip');
  try {
    for (const seq of MODIFY) {
      for (const ns of [a, b]) {
        ns.run('ip', ['link', 'del', 'v0']);
        populate2(ns);
      }
      for (const args of seq) {
        const want = ip(a.name, args);
        const got = rip(b.name, args);
        const label = `ip ${args.join(' ')}`;
        assert.equal(got.stdout, want.stdout, `${label}: stdout`);
        assert.equal(got.stderr, want.stderr, `${label}: stderr`);
        assert.equal(got.status, want.status, `${label}: status`);
      }
      const stateA = normalize(ip(a.name, ['-d', 'address']).stdout);
      const stateB = normalize(ip(b.name, ['-d', 'address']).stdout);
      assert.equal(stateB, stateA, `state after ${seq.map((x) => x.join(' ')).join(' ; ')}`);
    }
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

/** The per-sequence state for the twin test (MACs fixed so both namespaces print the same). */
function populate2(ns: TestNetns): void {
  ns.ip('link', 'add', 'v0', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'v1', 'address', '02:00:00:00:00:02');
  ns.ip('link', 'set', 'v0', 'addrgenmode', 'none');
  ns.ip('link', 'set', 'v0', 'up');
  ns.ip('address', 'add', '10.9.0.1/24', 'dev', 'v0', 'label', 'v0:a');
  ns.ip('address', 'add', '10.9.0.2/24', 'dev', 'v0');
  ns.ip('address', 'add', '10.9.0.3/24', 'dev', 'v0');
  ns.ip('address', 'add', '2001:db8:7::1/64', 'dev', 'v0', 'nodad');
}

test('ip maddress add/del: twin namespaces end in the same state', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns('rip-maddr-ip');
  const b = createTestNetns('rip-maddr-rip');
  try {
    for (const ns of [a, b]) ns.ip('link', 'add', 'v0', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'v1', 'address', '02:00:00:00:00:02');
    for (const args of [
      ['maddress', 'add', '01:00:5e:01:02:03', 'dev', 'v0'],
      ['maddr', 'add', 'address', '01:00:5e:01:02:04', 'dev', 'v0'],
      ['-6', 'maddr', 'add', '33:33:00:00:00:07', 'dev', 'v1'],
      ['maddr', 'del', '01:00:5e:01:02:03', 'dev', 'v0'],
      ['maddr', 'del', '01:00:5e:01:02:03', 'dev', 'v0'],
    ]) {
      const want = ip(a.name, args);
      const got = rip(b.name, args);
      const label = `ip ${args.join(' ')}`;
      assert.equal(got.stderr, want.stderr, `${label}: stderr`);
      assert.equal(got.status, want.status, `${label}: status`);
      assert.equal(ip(b.name, ['maddress']).stdout, ip(a.name, ['maddress']).stdout, `${label}: state`);
    }
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('ip address save | showdump | restore round trip like iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const src = createTestNetns('rip-save');
  const a = createTestNetns('rip-rst-ip');
  const b = createTestNetns('rip-rst-rip');
  try {
    populate(src);
    const saveIp = spawnSync('ip', ['-n', src.name, 'address', 'save']);
    const saveRip = spawnSync('node', [RIP, 'ip', '-n', src.name, 'address', 'save']);
    assert.equal(saveRip.status, 0, String(saveRip.stderr));
    // Same messages (the dump's seq/pid differ per run: compare what showdump makes of them).
    for (const args of [['address', 'showdump'], ['-j', 'address', 'showdump']]) {
      const want = spawnSync('ip', args, { input: saveIp.stdout, encoding: 'utf8' });
      assert.equal(spawnSync('node', [RIP, 'ip', ...args], { input: saveIp.stdout, encoding: 'utf8' }).stdout, want.stdout, args.join(' '));
      // The two saves ran at different times: lifetimes may differ by a second.
      assert.equal(normalize(spawnSync('node', [RIP, 'ip', ...args], { input: saveRip.stdout, encoding: 'utf8' }).stdout), normalize(want.stdout), `${args.join(' ')} of rip's save`);
    }
    for (const ns of [a, b]) {
      ns.ip('link', 'add', 'v0', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'v1', 'address', '02:00:00:00:00:02');
      ns.ip('link', 'add', 'v2', 'address', '02:00:00:00:00:03', 'type', 'veth', 'peer', 'name', 'v3', 'address', '02:00:00:00:00:04');
    }
    assert.equal(spawnSync('ip', ['-n', a.name, 'address', 'restore'], { input: saveIp.stdout }).status, 0);
    assert.equal(spawnSync('node', [RIP, 'ip', '-n', b.name, 'address', 'restore'], { input: saveRip.stdout }).status, 0);
    assert.equal(normalize(ip(b.name, ['address']).stdout), normalize(ip(a.name, ['address']).stdout));
    // Garbage instead of a dump.
    const bad = spawnSync('node', [RIP, 'ip', 'address', 'restore'], { input: 'x\n', encoding: 'utf8' });
    const badIp = spawnSync('ip', ['address', 'restore'], { input: 'x\n', encoding: 'utf8' });
    assert.equal(bad.stderr, badIp.stderr);
    assert.equal(bad.status, badIp.status);
  } finally {
    src.cleanup();
    a.cleanup();
    b.cleanup();
  }
});
