/**
 * CLI parity for `tc qdisc` / `tc class`: on the same namespace state, rip's
 * tc and iproute2's print the same text and JSON (statistics included, after
 * real traffic) with the same exit status; modifications leave twin
 * namespaces in the same state; bad input gets tc's error text and exit
 * status and changes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, unlinkSync } from 'node:fs';
import { createTestNetns, requireRoot, withNetns, type TestNetns } from '../helpers/netns.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

interface Run { stdout: string; stderr: string; status: number | null }

function run(cmd: string, args: readonly string[], input?: string): Run {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}
const tc = (ns: string, args: readonly string[]): Run => run('tc', ['-n', ns, ...args]);
const rip = (ns: string, args: readonly string[]): Run => run(process.execPath, [RIP, 'tc', '-n', ns, ...args]);

/** Only rate-estimator values move between two runs on an idle namespace. */
function normalize(s: string): string {
  return s.replace(/rate \d+(?:[KMGT]i?)?bit \d+pps/g, 'rate Rbit Npps').replace(/"rate":\d+,"pps":\d+/g, '"rate":R,"pps":N')
    .replace(/"rate": \d+,\n(\s*)"pps": \d+/g, '"rate": R,\n$1"pps": N');
}

const UDP_BLAST = `
const s = require('node:dgram').createSocket('udp4');
const buf = Buffer.alloc(200);
let n = 0;
const next = () => { if (n++ === 300) { s.close(); return; } s.send(buf, 9999, '10.7.0.2', (e) => { if (e) throw e; next(); }); };
next();`;

/** No IPv6 (router solicitations, MLD, DAD): otherwise counters move between the two runs. */
function quiet(ns: TestNetns): TestNetns {
  const r = ns.run('sysctl', ['-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  assert.equal(r.status, 0, r.stderr);
  return ns;
}

/** Two namespaces joined by a veth pair, with every kind this kernel has, and traffic through them. */
function populate(a: TestNetns, b: TestNetns): void {
  a.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1', 'netns', b.name);
  a.ip('link', 'add', 'v2', 'type', 'veth', 'peer', 'name', 'v3');
  a.ip('address', 'add', '10.7.0.1/24', 'dev', 'veth0');
  b.ip('address', 'add', '10.7.0.2/24', 'dev', 'veth1');
  a.ip('link', 'set', 'veth0', 'up');
  a.ip('link', 'set', 'v2', 'up');
  a.ip('link', 'set', 'v3', 'up');
  b.ip('link', 'set', 'veth1', 'up');
  // Permanent neighbours: no ARP probes that would move counters between the two runs.
  const mac = (ns: TestNetns, dev: string): string => (JSON.parse(ns.ip('-j', 'link', 'show', 'dev', dev)) as Array<{ address: string }>)[0]!.address;
  a.ip('neigh', 'add', '10.7.0.2', 'lladdr', mac(b, 'veth1'), 'dev', 'veth0', 'nud', 'permanent');
  b.ip('neigh', 'add', '10.7.0.1', 'lladdr', mac(a, 'veth0'), 'dev', 'veth1', 'nud', 'permanent');
  const cmds = [
    'qdisc add dev veth0 root handle 1: htb default 10 r2q 5 direct_qlen 500',
    'class add dev veth0 parent 1: classid 1:1 htb rate 100mbit ceil 200mbit',
    'class add dev veth0 parent 1:1 classid 1:10 htb rate 50mbit ceil 100mbit prio 1 quantum 3000',
    'class add dev veth0 parent 1:1 classid 1:20 htb rate 1500kbit ceil 10gbit burst 15k/8 cburst 3k mtu 9000 mpu 64 overhead 4',
    'class add dev veth0 parent 1:1 classid 1:30 htb rate 64kbit linklayer atm',
    'class add dev veth0 parent 1: classid 1:40 htb rate 40gbit ceil 100gbit',
    'qdisc add dev veth0 parent 1:10 handle 10: pfifo limit 1000',
    'qdisc add dev veth0 parent 1:20 handle 20: bfifo limit 64k',
    'qdisc add dev veth0 parent 1:30 handle 30: tbf rate 1mbit burst 10k latency 50ms peakrate 2mbit mtu 1600',
    'qdisc add dev veth0 parent 1:40 handle 40: estimator 250ms 1s tbf rate 40gbit burst 4mb limit 100000',
    'qdisc add dev veth0 ingress',
    'qdisc add dev v2 root handle 5: stab overhead 20 linklayer atm mtu 1600 tbf rate 512kbit burst 3000 latency 5000us mpu 64 overhead 24 linklayer atm',
    'qdisc add dev v2 clsact',
    'qdisc add dev v3 root pfifo_fast',
  ];
  for (const c of cmds) a.tc(...c.split(' '));
  b.tc('qdisc', 'add', 'dev', 'veth1', 'root', 'noqueue');
  const r = a.run(process.execPath, ['-e', UDP_BLAST]);
  assert.equal(r.status, 0, r.stderr);
}

/** A class names file for -nm (tc_cls format). */
const CLS_FILE = (() => {
  const f = `${process.env.TMPDIR ?? '/tmp'}/rip-tc-cls-${process.pid}`;
  writeFileSync(f, '1:10 web\n1:1 parent_class\n# comment\n1: top\n10: leaf\n');
  process.on('exit', () => { try { unlinkSync(f); } catch { /* gone */ } });
  return f;
})();

const SHOW: ReadonlyArray<readonly string[]> = [
  ['qdisc'], ['qdisc', 'show'], ['qdisc', 'ls'], ['q', 'l'], ['-s', 'qdisc', 'show'], ['-s', '-d', 'qdisc', 'show'], ['-d', 'qdisc'],
  ['-stat', 'q'], ['-j', 'qdisc'], ['-j', '-s', '-d', 'qdisc'], ['-p', '-j', '-s', 'qdisc'], ['-j', '-p', '-d', 'qdisc', 'show', 'dev', 'veth0'],
  ['-iec', '-s', 'qdisc'], ['-r', 'qdisc'], ['-r', '-d', '-s', 'qdisc'], ['qdisc', 'show', 'dev', 'veth0'], ['qdisc', 'show', 'dev', 'v2'],
  ['qdisc', 'show', 'root'], ['qdisc', 'show', 'ingress'], ['qdisc', 'show', 'clsact'], ['qdisc', 'show', 'handle', '1:'],
  ['qdisc', 'show', 'parent', '1:10'], ['-s', 'qdisc', 'show', 'dev', 'veth0', 'handle', '40:'], ['qdisc', 'show', 'invisible'],
  ['-oneline', 'qdisc'], ['-s', '-oneline', 'qdisc'],
  ['class', 'show', 'dev', 'veth0'], ['class', 'ls', 'dev', 'veth0'], ['-s', 'class', 'show', 'dev', 'veth0'], ['-s', '-d', 'class', 'show', 'dev', 'veth0'],
  ['-d', 'class', 'show', 'dev', 'veth0'], ['-j', 'class', 'show', 'dev', 'veth0'], ['-j', '-s', '-d', 'class', 'show', 'dev', 'veth0'],
  ['-iec', '-s', '-d', 'class', 'show', 'dev', 'veth0'], ['-r', '-d', 'class', 'show', 'dev', 'veth0'],
  ['class', 'show', 'dev', 'veth0', 'parent', '1:1'], ['class', 'show', 'dev', 'veth0', 'root'], ['class', 'show', 'dev', 'veth0', 'classid', '1:20'],
  ['class', 'show', 'dev', 'veth0', 'qdisc', '1:'], ['-s', 'class', 'show', 'dev', 'veth0', 'qdisc', '1:', 'classid', '1:30'],
  ['class', 'show', 'dev', 'v2'], ['class', 'show'], ['class'],
  ['-nm', '-cf', CLS_FILE, 'class', 'show', 'dev', 'veth0'], ['-nm', '-cf', CLS_FILE, '-s', 'qdisc', 'show', 'dev', 'veth0'],
  ['-nm', '-cf', '/nonexistent/tc_cls', 'qdisc'],
  ['-g', 'class', 'show', 'dev', 'veth0'], ['-g', '-s', 'class', 'show', 'dev', 'veth0'], ['-g', '-s', '-d', 'class', 'show', 'dev', 'veth0'],
  ['-g', 'class', 'show', 'dev', 'v2'],
];

test('tc qdisc/class show: same text and JSON as iproute2 after traffic', async (t) => {
  if (!requireRoot(t)) return;
  const a = quiet(createTestNetns());
  const b = quiet(createTestNetns());
  try {
    populate(a, b);
    for (const args of SHOW) {
      const want = tc(a.name, args);
      const got = rip(a.name, args);
      const label = `tc ${args.join(' ')}`;
      assert.equal(normalize(got.stdout), normalize(want.stdout), `${label}: stdout (rip status ${got.status} stderr: ${got.stderr})`);
      assert.equal(got.stderr, want.stderr, `${label}: stderr`);
      assert.equal(got.status, want.status, `${label}: status`);
    }
    // The traffic was counted and printed identically.
    assert.match(tc(a.name, ['-s', 'class', 'show', 'dev', 'veth0', 'classid', '1:10']).stdout, /Sent [1-9]\d* bytes 30\d pkt/);
    const other = rip(b.name, ['-s', '-d', 'qdisc']);
    assert.equal(other.stdout, tc(b.name, ['-s', '-d', 'qdisc']).stdout);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

/** Both tools apply `lines` in twin namespaces; stdout/stderr/status and the resulting state must agree. */
const MODIFY: ReadonlyArray<string> = [
  'qdisc add dev veth0 root handle 1: htb default 10',
  'class add dev veth0 parent 1: classid 1:1 htb rate 10mbit ceil 20mbit',
  'class add dev veth0 parent 1:1 classid 1:10 htb rate 5mbit ceil 10mbit prio 2 quantum 1500',
  'class add dev veth0 parent 1:1 classid 1:11 htb rate 1kbit',
  'class change dev veth0 parent 1:1 classid 1:10 htb rate 6mbit ceil 12mbit',
  'class replace dev veth0 parent 1:1 classid 1:12 htb rate 30% ceil 50%',
  'class add dev veth0 parent 1:1 classid 1:10 htb rate 1mbit',
  'qdisc add dev veth0 parent 1:10 handle 10: bfifo limit 10k',
  'qdisc replace dev veth0 parent 1:10 handle 10: bfifo limit 20k',
  'qdisc change dev veth0 parent 1:10 handle 10: bfifo limit 30k',
  'qdisc add dev veth0 parent 1:11 handle 11: tbf rate 1mbit burst 10k latency 50ms',
  'qdisc change dev veth0 parent 1:11 handle 11: tbf rate 2mbit burst 20k limit 40000',
  'qdisc link dev veth0 parent 1:11 handle 11: tbf rate 3mbit burst 20k limit 40000',
  'class del dev veth0 classid 1:12',
  'class del dev veth0 classid 1:12',
  'qdisc add dev veth0 ingress',
  'qdisc add dev veth0 ingress',
  'qdisc del dev veth0 ingress',
  'qdisc add dev veth1 clsact',
  'qdisc del dev veth1 clsact',
  'qdisc add dev veth1 root handle 2: pfifo',
  'qdisc replace dev veth1 root handle 3: pfifo_fast',
  'qdisc del dev veth1 root',
  'qdisc add dev veth1 root noqueue',
  'qdisc del dev veth0 root handle 2:',
  'qdisc add dev veth0 root handle 2: pfifo',
  'qdisc change dev veth0 root handle 1: htb default 20',
];

function twin(): TestNetns {
  const ns = quiet(createTestNetns());
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  ns.ip('link', 'set', 'veth0', 'up');
  ns.ip('link', 'set', 'veth1', 'up');
  return ns;
}

/** Both namespaces' qdiscs and classes; kernel-chosen handles (a global counter) are normalised. */
function state(ns: TestNetns): string {
  return (tc(ns.name, ['-d', 'qdisc']).stdout + tc(ns.name, ['-d', 'class', 'show', 'dev', 'veth0']).stdout
    + tc(ns.name, ['-d', 'class', 'show', 'dev', 'veth1']).stdout).replace(/\b8[0-9a-f]{3}:/g, 'AUTO:');
}

test('tc qdisc/class add/change/replace/link/del: same effect, output and status as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const a = twin();
  const b = twin();
  try {
    for (const line of MODIFY) {
      const args = line.split(' ');
      const want = tc(a.name, args);
      const got = rip(b.name, args);
      assert.equal(got.stderr, want.stderr, `${line}: stderr`);
      assert.equal(got.status, want.status, `${line}: status`);
      assert.equal(got.stdout, want.stdout, `${line}: stdout`);
      assert.equal(state(b), state(a), `${line}: resulting state`);
    }
    // -batch with a failing line in the middle (and -force).
    const batch = 'qdisc del dev veth0 root\nqdisc add dev veth0 root handle 7: tbf rate 1mbit burst 1k latency 1s\nqdisc add dev nosuch root pfifo\nqdisc add dev veth1 ingress\n';
    for (const force of [[], ['-force']]) {
      const want = run('tc', ['-n', a.name, ...force, '-batch', '-'], batch);
      const got = run(process.execPath, [RIP, 'tc', '-n', b.name, ...force, '-batch', '-'], batch);
      assert.equal(got.stderr, want.stderr, `batch ${force.join('')}: stderr`);
      assert.equal(got.status, want.status, `batch ${force.join('')}: status`);
      assert.equal(state(b), state(a), `batch ${force.join('')}: state`);
    }
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

/** Bad input: tc's text and exit status, and nothing changes. */
const BAD: ReadonlyArray<string> = [
  'qdisc add dev veth0 root tbf rate 1mbit burst 10k latency 50ms bogus',
  'qdisc add dev veth0 root tbf rate 1xbit burst 10k latency 50ms',
  'qdisc add dev veth0 root tbf rate 1mbit burst 10q latency 50ms',
  'qdisc add dev veth0 root tbf rate 1mbit burst 10k latency 50mss',
  'qdisc add dev veth0 root tbf rate 1mbit burst 10k/3 latency 50ms',
  'qdisc add dev veth0 root tbf rate 1mbit',
  'qdisc add dev veth0 root tbf burst 10k',
  'qdisc add dev veth0 root tbf rate 1mbit burst 10k latency 50ms limit 100',
  'qdisc add dev veth0 root tbf rate 1mbit rate 2mbit burst 10k latency 50ms',
  'qdisc add dev veth0 root tbf rate 1mbit burst 10k latency 50ms peakrate 2mbit',
  'qdisc add dev veth0 root tbf rate 1mbit burst 10k latency 50ms overhead 70000',
  'qdisc add dev veth0 root tbf rate 1mbit burst 10k latency 50ms linklayer foo',
  'qdisc add dev veth0 root tbf rate 200% burst 10k latency 50ms',
  'qdisc add dev veth0 root tbf rate 1mbit burst',
  'qdisc add dev veth0 root tbf help',
  'qdisc add dev veth0 root htb bogus',
  'qdisc add dev veth0 root htb r2q x',
  'qdisc add dev veth0 root htb default 1g',
  'qdisc add dev veth0 root htb direct_qlen 99999999999',
  'qdisc add dev veth0 root pfifo limit x',
  'qdisc add dev veth0 root pfifo bogus 1',
  'qdisc add dev veth0 root bfifo help',
  'qdisc add dev veth0 root pfifo_fast bands 3',
  'qdisc add dev veth0 root noqueue foo',
  'qdisc add dev veth0 root nosuchkind',
  'qdisc add dev veth0 root nosuchkind foo',
  'qdisc add dev veth0 ingress foo',
  'qdisc add dev veth0 clsact foo',
  'qdisc add dev veth0 handle 1:x root htb',
  'qdisc add dev veth0 handle 10000: root htb',
  'qdisc add dev veth0 parent 1:x htb',
  'qdisc add dev veth0 root root htb',
  'qdisc add dev veth0 root ingress',
  'qdisc add dev veth0 dev veth1 root htb',
  'qdisc add dev veth0 root handle 1: handle 2: htb',
  'qdisc add dev nosuchdev root htb',
  'qdisc add dev veth0 root estimator 1s htb',
  'qdisc add dev veth0 root estimator 100s 1s htb',
  'qdisc add dev veth0 root estimator x 1s htb',
  'qdisc add dev veth0 root ingress_block 0 htb',
  'qdisc add dev veth0 root stab help',
  'qdisc add dev veth0 root stab',
  'qdisc add dev veth0 root stab htb',
  'qdisc add dev veth0 root stab mtu x htb',
  'qdisc add dev veth0 root stab overhead 1 overhead 2 htb',
  'qdisc add dev veth0 root stab linklayer foo htb',
  'qdisc add dev veth0',
  'qdisc bogus',
  'qdisc show bogus',
  'qdisc show dev nosuchdev',
  'qdisc show root root',
  'qdisc show handle x',
  'class add dev veth0 parent 1: classid 1:10 htb',
  'class add dev veth0 parent 1: classid 1:10 htb rate 1mbit bogus',
  'class add dev veth0 parent 1: classid 1:10 htb rate x',
  'class add dev veth0 parent 1: classid 1:10 htb rate 1mbit rate 2mbit',
  'class add dev veth0 parent 1: classid 1:10 htb rate 1mbit ceil 2mbit ceil 3mbit',
  'class add dev veth0 parent 1: classid 1:10 htb rate 1mbit burst 1x',
  'class add dev veth0 parent 1: classid 1:10 htb rate 1mbit prio x',
  'class add dev veth0 parent 1: classid 1:10 htb rate 1mbit mpu 70000',
  'class add dev veth0 parent 1: classid 1:10 htb rate 1mbit linklayer x',
  'class add dev veth0 parent 1: classid 1:10 htb rate 101%',
  'class add dev veth0 parent 1: classid 1:10 htb help',
  'class add dev veth0 parent 1: classid 1:x htb rate 1mbit',
  'class add dev veth0 parent 1: handle 1:10 htb rate 1mbit',
  'class add dev veth0 root root htb rate 1mbit',
  'class add dev veth0 parent 1: classid 1:10 tbf rate 1mbit',
  'class add dev veth0 parent 1: classid 1:10 pfifo',
  'class add dev nosuchdev parent 1: classid 1:10 htb rate 1mbit',
  'class bogus',
  'class show dev veth0 bogus',
  'class show dev nosuchdev',
  'monitor bogus',
  'monitor help',
  'help',
  'qdisc help',
  'class help',
  'qdisc add help',
  'qdisc show help',
  '-help',
  '-n',
  '-cf',
  '-batch /nonexistent',
  'qdisc add dev veth0 root estimator help 1s htb',
  'bogus',
  '-bogus qdisc',
];

test('bad input: tc error text and exit status, nothing changes', async (t) => {
  await withNetns(t, async (ns) => {
    quiet(ns);
    ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
    ns.ip('link', 'set', 'veth0', 'up');
    ns.ip('link', 'set', 'veth1', 'up');
    ns.tc('qdisc', 'add', 'dev', 'veth0', 'root', 'handle', '1:', 'htb');
    const before = state(ns);
    for (const line of BAD) {
      const args = line.split(' ');
      const want = tc(ns.name, args);
      const got = rip(ns.name, args);
      assert.equal(got.stderr, want.stderr, `${line}: stderr`);
      assert.equal(got.status, want.status, `${line}: status`);
      assert.equal(got.stdout, want.stdout, `${line}: stdout`);
      assert.equal(state(ns), before, `${line}: state changed`);
    }
  });
});

test('tc monitor: same event lines as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const { spawn } = await import('node:child_process');
  const ns = quiet(createTestNetns());
  try {
    ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
    ns.ip('link', 'set', 'veth0', 'up');
    const start = (cmd: string, args: readonly string[]): { out: () => string; stop: () => Promise<void> } => {
      const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
      return {
        out: () => out,
        stop: () => new Promise<void>((resolve) => { p.once('exit', () => resolve()); p.kill('SIGTERM'); }),
      };
    };
    const theirs = start('tc', ['-n', ns.name, 'monitor']);
    const ours = start(process.execPath, [RIP, 'tc', '-n', ns.name, 'monitor']);
    // Both subscribed: probe with an event on veth1 until both have printed
    // one (a loaded machine can take seconds to start node), let stragglers
    // arrive, then compare only what comes after.
    ns.ip('link', 'set', 'veth1', 'up');
    for (let i = 0; i < 100 && !(theirs.out().includes('veth1') && ours.out().includes('veth1')); i++) {
      ns.tc('qdisc', 'replace', 'dev', 'veth1', 'root', 'pfifo', 'limit', String(100 + i));
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 500));
    const theirsFrom = theirs.out().length;
    const oursFrom = ours.out().length;
    for (const c of [
      'qdisc add dev veth0 root handle 1: htb default 10',
      'class add dev veth0 parent 1: classid 1:10 htb rate 1mbit ceil 2mbit',
      'qdisc add dev veth0 parent 1:10 handle 10: tbf rate 1mbit burst 10k latency 50ms',
      'class change dev veth0 parent 1: classid 1:10 htb rate 3mbit',
      'qdisc add dev veth0 ingress',
      'qdisc del dev veth0 ingress',
      'class del dev veth0 classid 1:10',
      'qdisc del dev veth0 root',
    ]) ns.tc(...c.split(' '));
    await new Promise((r) => setTimeout(r, 1000));
    await Promise.all([theirs.stop(), ours.stop()]);
    assert.ok(ours.out().includes('veth1'), `rip's tc monitor never printed the probe events:\n${ours.out()}`);
    // A late probe event (veth1) may still land after the offsets were taken.
    const events = (s: string): string => s.split('\n').filter((l) => !l.includes(' dev veth1 ')).join('\n');
    const want = events(theirs.out().slice(theirsFrom));
    assert.ok(want.includes('qdisc htb 1:'), want);
    assert.equal(events(ours.out().slice(oursFrom)), want);
  } finally {
    ns.cleanup();
  }
});
