/**
 * CLI parity for `ss`: on the same namespace state (sockets of every kind
 * opened by a helper process), rip's ss and iproute2's ss print the same
 * text and exit with the same status, for many option and filter
 * combinations. Normalised: only timers, counters that move between the two
 * runs, and the querying tool's own sock_diag socket.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { withNetns } from '../helpers/netns.js';
import { startSocketHelper } from '../integration/ss-state.js';
import { ssMain } from '../../src/cli/ss/main.js';
import { StringSink } from '../../src/output/printer.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

interface Run { stdout: string; stderr: string; status: number | null }

/** iproute2's `ss -N NS …` (it switches namespace itself). */
function refSs(ns: string, args: string[]): Run {
  const r = spawnSync('ss', ['-N', ns, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** rip's ss in this process (`-N NS`), so a hundred runs take seconds. */
async function ripSs(ns: string, args: string[]): Promise<Run> {
  const sink = new StringSink();
  let stderr = '';
  const status = await ssMain(['-N', ns, ...args], sink, (t) => { stderr += t; });
  return { stdout: sink.toString(), stderr, status };
}

function inNs(ns: string, cmd: string[]): Run {
  const r = spawnSync('ip', ['netns', 'exec', ns, ...cmd], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Volatile values: timers, idle times, moving counters, the tool's own netlink socket. */
function normalize(s: string): string {
  return s
    .split('\n')
    .filter((l) => !/tcpdiag:(?!kernel)\S+/.test(l) && !/^\s*4:(?!0\b)\d+\s/.test(l.replace(/^nl\s+UNCONN\s+\d+\s+\d+\s+/, '')))
    .join('\n')
    .replace(/timer:\([^)]*\)/g, 'timer:(T)')
    .replace(/\b(lastsnd|lastrcv|lastack|busy|rcv_rtt|rtt|ato|minrtt|rcv_space|rcv_ssthresh):[\d./]+(ms)?/g, '$1:N')
    .replace(/\b(send|pacing_rate|delivery_rate) [\d.]+[kMGT]?bps/g, '$1 Nbps')
    .replace(/ mrtt:[\d.]+/g, ' mrtt:N')
    .replace(/^Total: \d+/m, 'Total: N');
}

/** Options whose output has the tool's own netlink socket (its width shifts columns): compare token-wise. */
const LOOSE = new Set(['-a', '-an', '-f netlink', '-A netlink', '-ae', '-anm']);

const CASES: string[] = [
  '-tan', '-tln', '-ta', '-t', '-tn', '-tulpn', '-tlp', '-ltnp', '-tanp', '-tanpT', '-s',
  '-uan', '-ua', '-u', '-uln', '-x', '-xa', '-xl', '-xe', '-xm', '-xp', '-xap',
  '-0', '-0a', '-0e', '-0n', '-0b', '-0m', '-w', '-wa', '-wan',
  '-4 -tan', '-6 -tan', '-f inet -a', '-f inet6 -a', '-f unix', '-f link',
  '-A tcp', '-A udp,tcp -a', '-A unix_stream', '-A unix_dgram', '-A unix_seqpacket -a', '-A packet_raw', '-A packet_dgram', '-A inet -n',
  '-tao', '-taon', '-tane', '-tanm', '-tin', '-tino', '-tanH', '-tanO', '-tanoe', '-um', '-uam',
  '-tn --tos', '-tan --cgroup', '-tan --inet-sockopt', '-tn --inet-sockopt -O',
  '-tan state established', '-tan state listening', '-tan state time-wait', '-ta state connected', '-ta state synchronized',
  '-ta state bucket', '-ta state big', '-ta exclude listening', '-ta state established state listening',
  '-tan sport = :8080', '-tan dport = :9000', '-tan ( sport = :8080 or sport = :9000 )', '-tan src 10.77.0.0/24',
  '-tan dst [::1]', '-tan fwmark = 0x2a', '-tan dev rip-ss0', '-tan not sport = :8080', '-tan sport > :8000',
  '-ta state established ( dport = :http-alt or sport = :http-alt )', '-uan dport = :5353',
  '-x src /tmp/rip-ss-test.sock', '-xa src unix:@rip-ss*', '-0 src link:ip', '-an',
  '-a', '-ae', '-f netlink', '-A netlink', '-tanr', '-Htan', '-l', '-lH', '-o -tan', '-tan -K dst 10.99.0.1',
  '-d', '-M', '-S', '-V', '-h', '-f help',
  '--tipc', '-a --tipc --tipcinfo -e', '-f tipc', '-A tipc,tcp -an',
];

const ERRORS: string[] = [
  '-tan state bogus', '-tan dst 1.2.3.4.5', '-tan sport = :nosuchport', '-tan (', '-tan dport = :22 )', '-f foo',
  '-A nosuch', '--nosuch', '-Q', '-tan dev nosuchdev', '-tan fwmark = xyz', '-tan state', '-F /nonexistent',
  '-A', '--fam', '-tan dst',
];

test('ss CLI parity with iproute2 on the same sockets', { timeout: 600_000 }, async (t) => {
  await withNetns(t, async (ns) => {
    const helper = await startSocketHelper(ns);
    try {
      let compared = 0;
      const failures: string[] = [];
      for (const c of CASES) {
        const args = c.split(' ');
        const ref = refSs(ns.name, args);
        const ours = await ripSs(ns.name, args);
        let a = normalize(ref.stdout);
        let b = normalize(ours.stdout);
        if (a.includes('timer:(T)')) {
          // The timers' own text (e.g. 1min vs 59sec) sizes the last column, whose padding then differs.
          a = a.replace(/ +$/gm, '');
          b = b.replace(/ +$/gm, '');
        }
        if (LOOSE.has(c)) {
          a = a.split('\n').map((l) => l.trim().split(/\s+/).join(' ')).join('\n');
          b = b.split('\n').map((l) => l.trim().split(/\s+/).join(' ')).join('\n');
        }
        compared++;
        if (a !== b || ref.status !== ours.status) {
          failures.push(`ss ${c}: status ${String(ref.status)}/${String(ours.status)}\n--- iproute2\n${a}\n+++ rip\n${b}`);
        }
      }
      for (const c of ERRORS) {
        const args = c.split(' ');
        const ref = inNs(ns.name, ['ss', ...args]);
        const ours = inNs(ns.name, ['node', RIP, 'ss', ...args]);
        compared++;
        if (ref.stderr !== ours.stderr || ref.status !== ours.status || normalize(ref.stdout) !== normalize(ours.stdout)) {
          failures.push(`ss ${c}: status ${String(ref.status)}/${String(ours.status)}\n--- iproute2 stderr\n${ref.stderr}\n+++ rip stderr\n${ours.stderr}`);
        }
      }
      assert.ok(compared >= 40);
      assert.deepEqual(failures, [], failures.join('\n\n'));
    } finally {
      await helper.stop();
    }
  });
});

test('ss -j: a JSON array with exact 64-bit values and typed fields', async (t) => {
  await withNetns(t, async (ns) => {
    const helper = await startSocketHelper(ns);
    try {
      const r = inNs(ns.name, ['node', RIP, 'ss', '-tanij']);
      assert.equal(r.status, 0, r.stderr);
      const arr = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
      const l = arr.find((s) => s.local_port === 8080 && s.state_name === 'LISTEN');
      assert.ok(l, 'the 8080 listener');
      assert.equal(l.netid, 'tcp');
      assert.equal(typeof l.inode, 'number');
      assert.match(r.stdout, /"cookie":\d+/);
      const est = arr.find((s) => s.state_name === 'ESTAB' && s.tcp_info !== undefined) as { tcp_info: Record<string, unknown> } | undefined;
      assert.ok(est);
      assert.equal(typeof est.tcp_info.snd_cwnd, 'number');
      assert.match(r.stdout, /"bytes_acked":\d+/);
      const p = inNs(ns.name, ['node', RIP, 'ss', '-tlnpj']);
      const withUsers = (JSON.parse(p.stdout) as Array<{ users?: Array<{ command: string; pid: number }> }>).find((s) => s.users);
      assert.equal(withUsers?.users?.[0]?.pid, helper.pid);
    } finally {
      await helper.stop();
    }
  });
});

test('ss -D FILE and TCPDIAG_FILE: dumps interoperate with iproute2 both ways', async (t) => {
  await withNetns(t, async (ns) => {
    const helper = await startSocketHelper(ns);
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/rip-ss-dump-`);
    try {
      const theirs = `${dir}/ss.dump`;
      const ours = `${dir}/rip.dump`;
      assert.equal(spawnSync('ss', ['-N', ns.name, '-ta', '-D', theirs]).status, 0);
      assert.equal(await ripSs(ns.name, ['-ta', '-D', ours]).then((r) => r.status), 0);
      const show = (file: string, prog: 'ss' | 'rip'): string => {
        const env = { ...process.env, TCPDIAG_FILE: file };
        const r = prog === 'ss'
          ? spawnSync('ss', ['-tan'], { encoding: 'utf8', env })
          : spawnSync('node', [RIP, 'ss', '-tan'], { encoding: 'utf8', env });
        assert.equal(r.status, 0, r.stderr);
        return r.stdout;
      };
      const reference = show(theirs, 'ss');
      assert.match(reference, /LISTEN .*0\.0\.0\.0:8080/);
      assert.equal(show(theirs, 'rip'), reference, 'rip reads iproute2\'s dump');
      assert.equal(show(ours, 'ss'), reference, 'iproute2 reads rip\'s dump');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await helper.stop();
    }
  });
});

test('ss -E: destroyed sockets are printed as iproute2 prints them', async (t) => {
  await withNetns(t, async (ns) => {
    const { spawn } = await import('node:child_process');
    const collect = (cmd: string, args: string[]): { out: () => string; done: Promise<string>; stop: () => void } => {
      const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      return { out: () => out, done: new Promise((r) => c.on('exit', () => r(out))), stop: () => c.kill('SIGTERM') };
    };
    const udp = (port: number): void => {
      const r = spawnSync('ip', ['netns', 'exec', ns.name, 'python3', '-c',
        `import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", ${port})); s.connect(("127.0.0.1", 53)); s.close()`]);
      assert.equal(r.status, 0);
    };
    // iproute2's ss uses stdio: line-buffer it so a killed ss has printed its lines.
    const a = collect('stdbuf', ['-oL', 'ss', '-N', ns.name, '-E', '-un']);
    const b = collect('node', [RIP, 'ss', '-N', ns.name, '-E', '-un']);
    // Both subscribed: probe with sockets on port 4443 until both have printed
    // one (node can take seconds to start on a loaded machine); compare the rest.
    for (let i = 0; i < 50 && !(a.out().includes(':4443') && b.out().includes(':4443')); i++) {
      udp(4443);
      await new Promise((r) => setTimeout(r, 200));
    }
    udp(4444);
    await new Promise((r2) => setTimeout(r2, 1500));
    a.stop(); b.stop();
    const [refAll, oursAll] = await Promise.all([a.done, b.done]);
    assert.match(oursAll, /:4443/, 'rip ss -E never printed the probe sockets');
    const events = (s: string): string => s.split('\n').filter((l) => !l.includes(':4443')).join('\n');
    const ref = events(refAll);
    assert.match(ref, /127\.0\.0\.1:4444 +127\.0\.0\.1:53/);
    assert.equal(events(oursAll), ref);
  });
});

test('ss -N with a namespace that cannot be opened: iproute2\'s message and status, before later options', { skip: process.getuid?.() !== 0 ? 'needs root (ss -N)' : false }, () => {
  const missing = `rip-ss-missing-${process.pid}`;
  for (const args of [['-N', missing, '-tan'], ['-N', `${missing}/x`, '-tan'], ['-tan', '-N', missing, '--nosuch'], ['-N', '', '-tan'], ['-N', '../../etc/hostname', '-tan'], ['-V', '--nosuch'], ['--nosuch', '-V']]) {
    const theirs = spawnSync('ss', args, { encoding: 'utf8' });
    const ours = spawnSync('node', [RIP, 'ss', ...args], { encoding: 'utf8' });
    assert.equal(ours.stderr, theirs.stderr, `stderr of ss ${args.join(' ')}`);
    assert.equal(ours.status, theirs.status, `status of ss ${args.join(' ')}`);
    assert.equal(ours.stdout, theirs.stdout, `stdout of ss ${args.join(' ')}`);
  }
});
