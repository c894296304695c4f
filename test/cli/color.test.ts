/**
 * Colour output parity with iproute2 6.1: `ip -c …`, `ip -color=…`, `tc -color …`
 * print the same bytes, escape sequences included, on the same namespace
 * state (links, addresses, routes, neighbours, rules, nexthops, multicast
 * addresses, tun/tap devices, qdiscs and classes; -br, -o, -d, -s); `-c -j` and
 * `-color=auto` on a pipe print no escapes; `-color=auto` on a terminal does;
 * COLORFGBG picks the dark palette; `ip -c monitor` colours events the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync, unlinkSync, mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { vethSetup, words } from './ip-parity-util.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;
const ESC = '\x1b[';

interface Outcome { readonly stdout: string; readonly stderr: string; readonly status: number | null }

function run(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Outcome {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, ...(env ? { env } : {}) });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

/** Both programs' outcome of `prog -n NS line`. */
function both(ns: TestNetns, prog: 'ip' | 'tc', line: string, env?: NodeJS.ProcessEnv): { want: Outcome; got: Outcome } {
  const args = ['-n', ns.name, ...words(line)];
  return { want: run(prog, args, env), got: run(process.execPath, [RIP, prog, ...args], env) };
}

/**
 * Packet counters of `tc -s` may move between the two runs (IPv6 router
 * solicitations and MLD reports leave through the veths): numbers outside
 * escape sequences are masked there; the escapes and everything else must match.
 */
function volatile(prog: 'ip' | 'tc', line: string, s: string): string {
  return prog === 'tc' && /(^| )-s/.test(line) ? s.replace(/(\x1b\[[0-9;]*m)|\d+/g, (m, esc: string | undefined) => esc ?? 'N') : s;
}

/** Same stdout bytes, stderr and exit status; `coloured` says whether iproute2 must have printed escapes. */
function assertSame(ns: TestNetns, prog: 'ip' | 'tc', line: string, coloured: boolean, env?: NodeJS.ProcessEnv): void {
  const { want, got } = both(ns, prog, line, env);
  assert.equal(want.stdout.includes(ESC), coloured, `iproute2 ${coloured ? 'printed no' : 'printed'} colour for: ${prog} ${line}`);
  assert.equal(JSON.stringify(volatile(prog, line, got.stdout)), JSON.stringify(volatile(prog, line, want.stdout)), `stdout of: ${prog} ${line}`);
  assert.equal(got.stderr, want.stderr, `stderr of: ${prog} ${line}`);
  assert.equal(got.status, want.status, `exit status of: ${prog} ${line}`);
}

/** A namespace with one of everything that iproute2 colours. */
function populate(ns: TestNetns): void {
  vethSetup(ns);
  ns.run('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  ns.ip('link', 'add', 'down0', 'address', '02:00:00:00:02:00', 'type', 'veth', 'peer', 'name', 'down1', 'address', '02:00:00:00:02:01');
  ns.ip('address', 'add', '10.5.0.1', 'peer', '10.5.0.2/32', 'dev', 'veth1');
  ns.ip('address', 'add', '198.18.0.1/24', 'brd', '+', 'dev', 'veth1', 'label', 'veth1:x');
  ns.ip('maddress', 'add', '33:33:00:00:00:42', 'dev', 'veth0');
  ns.ip('tuntap', 'add', 'tap0', 'mode', 'tap');
  ns.ip('tuntap', 'add', 'tun0', 'mode', 'tun', 'user', '0');
  for (const n of [
    'neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev veth0',
    'neigh add 2001:db8::7 lladdr 02:00:00:00:00:17 dev veth0 nud stale router',
    'neigh add proxy 192.0.2.9 dev veth0',
    'rule add from 192.0.2.0/24 to 198.51.100.0/24 iif veth0 table 100',
    'rule add from 192.0.2.5 oif veth1 table 101',
    '-6 rule add from 2001:db8::/64 to 2001:db8:1::1 iif lo table 102',
    'nexthop add id 1 via 192.0.2.2 dev veth0',
    'nexthop add id 2 via 2001:db8::2 dev veth0',
    'nexthop add id 3 dev veth1',
    'nexthop add id 4 group 1/3',
    'nexthop add id 5 blackhole',
    'route add 203.0.113.0/24 nhid 1',
    'route add 203.0.114.0/24 nexthop via 192.0.2.2 dev veth0 weight 2 nexthop via 192.0.2.3 dev veth0',
    'route add 203.0.115.0/24 via inet6 fe80::1 dev veth0',
    'route add 198.51.100.0/24 via 192.0.2.2 src 192.0.2.1',
    'route add unreachable 10.10.0.0/16',
    'route add local 10.11.0.1 dev veth0 table 100',
    'route add 10.12.0.0/16 dev veth0 src 192.0.2.1 metric 5 mtu 1400',
    '-6 route add 2001:db8:5::/64 from 2001:db8::/64 via 2001:db8::2',
  ]) ns.ip(...words(n));
  ns.tc('qdisc', 'add', 'dev', 'veth0', 'root', 'handle', '1:', 'htb', 'default', '10');
  ns.tc('class', 'add', 'dev', 'veth0', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '1mbit');
  ns.tc('qdisc', 'add', 'dev', 'veth1', 'root', 'handle', '2:', 'tbf', 'rate', '1mbit', 'burst', '10k', 'latency', '50ms');
  ns.tc('qdisc', 'add', 'dev', 'veth0', 'ingress');
}

/** ip command lines whose iproute2 output carries colour. */
const IP_COLOURED = [
  '-c link', '-c link show dev down0', '-color -d link', '-c -s link show dev lo', '-c -s -s -d link show dev lo', '-c -br link',
  '-c -o link', '-c -br -o link', '-c -0 -br addr',
  '-c addr', '-color=always -br addr', '-c -o addr', '-c -4 addr show dev veth1', '-c -6 -br addr', '-c -o -d addr show dev veth0',
  '-c route', '-c route show table all', '-c -d route', '-c -o route', '-c -6 route', '-c -6 route show table all',
  '-c route get 203.0.113.5', '-c route get 198.51.100.7 from 192.0.2.9 iif veth1', '-c -d route show 203.0.113.0/24',
  '-c neigh', '-c -br neigh', '-c -br neigh show dev veth0', '-c -4 neigh show dev veth0', '-c neigh show proxy', '-c -6 neigh show nud all',
  '-c rule', '-c -6 rule', '-c nexthop', '-c -d nexthop', '-c nexthop show id 2',
  '-c maddress', '-c -6 maddress show dev veth0', '-c -0 maddress', '-c tuntap', '-c -o tap show',
  '-co link show dev lo', '-colo -br addr show dev lo', '--color -br link', '-color= -br link', '-c=always -br link',
];

/** ip command lines that must print no colour (the same as iproute2, which prints none). */
const IP_PLAIN = [
  '-c -j link', '-c -j -p addr', '-j -c route', '-c -j -d route', '-c -j neigh', '-c -j rule', '-c -j nexthop', '-c -j maddress', '-c -j tuntap',
  '-color=auto link', '-color=auto -br addr', '-color=auto route', '-color=never link', '-c=never -br addr', '-c -color=never link',
  '-c link show dev nope', '-color=bogus link', '-colour link',
];

const TC_COLOURED = [
  '-color qdisc', '-col qdisc show', '-color=always -s qdisc', '-color -d qdisc show', '-color -s -d qdisc show',
  '-color -p qdisc', '-color -o qdisc', '-c=always qdisc',
];

/** tc: class lines have no colour in iproute2; -c and -co are -cf/-conf (a class names file), not colour. */
const TC_PLAIN = [
  '-color class show dev veth0', '-color -s class show dev veth0', '-color qdisc show dev veth0', '-color -j qdisc',
  '-color=auto qdisc', '-color=never qdisc', '-c qdisc show', '-co qdisc show', '-color=bogus qdisc',
];

test('ip -c: the same coloured bytes as iproute2 for every object', async (t) => {
  await withNetns(t, (ns) => {
    populate(ns);
    for (const line of IP_COLOURED) assertSame(ns, 'ip', line, true);
  }, 'rip-color');
});

test('ip: -c with -j, -color=auto on a pipe and -color=never print no colour', async (t) => {
  await withNetns(t, (ns) => {
    populate(ns);
    for (const line of IP_PLAIN) assertSame(ns, 'ip', line, false);
  }, 'rip-color');
});

test('tc -color: the same bytes as iproute2 (coloured dev names of qdiscs)', async (t) => {
  await withNetns(t, (ns) => {
    populate(ns);
    for (const line of TC_COLOURED) assertSame(ns, 'tc', line, true);
    for (const line of TC_PLAIN) assertSame(ns, 'tc', line, false);
  }, 'rip-color');
});

test('COLORFGBG with a dark background selects the bold palette', async (t) => {
  await withNetns(t, (ns) => {
    populate(ns);
    for (const fgbg of ['15;0', '0;default;8', '0;15']) {
      const env = { ...process.env, COLORFGBG: fgbg };
      assertSame(ns, 'ip', '-c -br addr', true, env);
      assertSame(ns, 'ip', '-c route', true, env);
      assertSame(ns, 'tc', '-color qdisc', true, env);
    }
    const dark = both(ns, 'ip', '-c -br link', { ...process.env, COLORFGBG: '15;0' }).got.stdout;
    assert.ok(dark.includes('\x1b[1;36m'), 'bold cyan interface names');
  }, 'rip-color');
});

test('-color=auto colours on a terminal, as iproute2 does', async (t) => {
  if (spawnSync('script', ['--version']).status !== 0) { t.skip('needs script(1) for a pseudo-terminal'); return; }
  await withNetns(t, (ns) => {
    populate(ns);
    for (const [prog, line] of [['ip', '-color=auto -br addr'], ['ip', '-color=auto route'], ['tc', '-color=auto qdisc']] as const) {
      // script(1) runs the command on a pseudo-terminal; both go through the same terminal line discipline.
      const tail = `${prog} -n ${ns.name} ${line}`;
      const want = run('script', ['-qec', tail, '/dev/null']);
      const got = run('script', ['-qec', `${process.execPath} ${RIP} ${tail}`, '/dev/null']);
      assert.ok(want.stdout.includes(ESC), `iproute2 colours on a terminal: ${prog} ${line}`);
      assert.equal(JSON.stringify(got.stdout), JSON.stringify(want.stdout), `${prog} ${line} on a terminal`);
      assert.equal(got.status, want.status);
    }
  }, 'rip-color');
});

test('ip -c -batch colours every line', async (t) => {
  await withNetns(t, (ns) => {
    populate(ns);
    const dir = mkdtempSync(path.join(tmpdir(), 'rip-color-'));
    const file = path.join(dir, 'batch');
    writeFileSync(file, 'link show dev veth0\nroute show\nneigh show\nrule show\n');
    try {
      assertSame(ns, 'ip', `-c -batch ${file}`, true);
      assertSame(ns, 'ip', `-batch ${file} -c`, true);
      writeFileSync(file, 'qdisc show\nqdisc show dev veth1\n');
      assertSame(ns, 'tc', `-color -batch ${file}`, true);
    } finally {
      unlinkSync(file);
      rmdirSync(dir);
    }
  }, 'rip-color');
});

interface Watcher { proc: ChildProcess; out: () => string; err: () => string }

function watch(cmd: string, args: string[]): Watcher {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  return { proc, out: () => out, err: () => err };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('ip -c monitor: events coloured as iproute2 colours them', async (t) => {
  await withNetns(t, async (ns) => {
    vethSetup(ns);
    const args = ['-n', ns.name, '-c', 'monitor', 'link', 'address', 'route', 'neigh', 'rule', 'nexthop', 'netconf'];
    const a = watch('ip', args);
    const b = watch(process.execPath, [RIP, 'ip', ...args]);
    try {
      // Readiness: both have printed a probe change of lo's MTU; only what follows is compared.
      let oa = -1, ob = -1;
      for (let k = 0; k < 100 && oa < 0; k++) {
        ns.ip('link', 'set', 'lo', 'mtu', String(1280 + k));
        for (let i = 0; i < 10; i++) {
          await sleep(50);
          if ([a, b].every((w) => w.out().includes(`mtu ${1280 + k} `))) {
            await sleep(200);
            oa = a.out().length;
            ob = b.out().length;
            break;
          }
        }
      }
      assert.ok(oa >= 0, `monitors never became ready: ${a.err()} | ${b.err()}`);
      for (const line of [
        'link add m0 address 02:00:00:00:03:00 type veth peer name m1 address 02:00:00:00:03:01',
        'link set m0 addrgenmode none', 'link set m1 addrgenmode none', 'link set m0 up',
        'addr add 192.0.2.77/24 dev m0', '-6 addr add 2001:db8:9::1/64 dev m0 nodad',
        'route add 10.77.0.0/16 via 192.0.2.2', 'neigh add 192.0.2.78 lladdr 02:00:00:00:00:78 dev m0',
        'rule add from 10.1.1.1 iif m0 table 5', 'nexthop add id 77 via 192.0.2.2 dev veth0', 'nexthop del id 77',
        'rule del from 10.1.1.1 iif m0 table 5', 'link del m0',
      ]) ns.ip(...words(line));
      let last = '';
      for (let i = 0; i < 40; i++) {
        await sleep(100);
        const now = a.out() + '\0' + b.out();
        if (now === last && a.out().slice(oa) === b.out().slice(ob)) break;
        last = now;
      }
      const want = a.out().slice(oa);
      assert.ok(want.includes(ESC), 'iproute2 printed coloured events');
      assert.equal(JSON.stringify(b.out().slice(ob)), JSON.stringify(want));
      assert.equal(b.err(), '');
    } finally {
      a.proc.kill('SIGTERM');
      b.proc.kill('SIGTERM');
    }
  }, 'rip-color');
});
