/**
 * `ip route` parity with iproute2 6.1: on one namespace state, rip and
 * iproute2 print the same text and JSON for many command lines; the same
 * modification commands leave the same state; bad input gets the same
 * stderr and exit status and leaves the namespace unchanged; `-batch`
 * reports failures on the same lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNetns, type TestNetns } from '../helpers/netns.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

interface Out { stdout: string; stderr: string; status: number | null }

function run(cmd: string, args: readonly string[]): Out {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}
const ours = (ns: TestNetns, line: string): Out => run('node', [RIP, 'ip', '-n', ns.name, ...line.split(' ')]);
const theirs = (ns: TestNetns, line: string): Out => run('ip', ['-n', ns.name, ...line.split(' ')]);

/** A namespace with routes of most kinds (built with iproute2). */
function populate(ns: TestNetns): void {
  const sh = (s: string): void => { ns.ip(...s.split(' ')); };
  sh('link add veth0 type veth peer name veth1');
  // No IPv6 link-local addresses: the kernel adds them (and their local
  // routes) a moment after the link comes up, which could land between
  // iproute2's command and ours.
  sh('link set veth0 addrgenmode none');
  sh('link set veth1 addrgenmode none');
  sh('link set veth0 up');
  sh('link set veth1 up');
  sh('addr add 192.0.2.1/24 dev veth0');
  sh('addr add 2001:db8::1/64 dev veth0 nodad');
  sh('route add 10.1.0.0/16 via 192.0.2.2 metric 5 mtu lock 1400 advmss 1300 rtt 100ms rttvar 30 congctl lock cubic initcwnd 10 features ecn');
  sh('route add 10.2.0.0/16 nexthop via 192.0.2.2 weight 2 nexthop via 192.0.2.3 dev veth0 onlink');
  sh('route add unreachable 10.3.0.0/16 proto static');
  sh('route add blackhole 10.4.0.0/16 table 200');
  sh('route add prohibit 10.5.0.0/16 table 100000');
  sh('route add throw 10.6.0.0/16 table 10');
  sh('route add 10.7.0.0/16 via inet6 2001:db8::2 dev veth0');
  sh('route add 10.8.0.0/16 dev veth0 src 192.0.2.1 realms 3/4 tos 0x10');
  sh('route add 10.9.0.1 dev veth0 proto 99 scope host');
  sh('route add 10.10.0.0/16 via 198.51.100.1 dev veth0 onlink');
  sh('nexthop add id 5 via 192.0.2.2 dev veth0');
  sh('route add 10.11.0.0/16 nhid 5');
  sh('nexthop add id 6 via 192.0.2.3 dev veth0');
  sh('nexthop add id 7 group 5/6,3');
  sh('route add 10.12.0.0/16 nhid 7');
  sh('route add default via 192.0.2.254');
  sh('-6 route add 2001:db8:1::/64 via 2001:db8::2 pref high');
  sh('-6 route add 2001:db8:2::/64 from 2001:db8:9::/48 dev veth0 metric 7');
  sh('-6 route add 2001:db8:3::/64 dev veth0 hoplimit 5 pref low');
  sh('-6 route append 2001:db8:1::/64 via 2001:db8::3');
}

/** Show/get lines compared byte for byte (text and -j). */
const SHOW = `
route
route show
route list
r s
route show table all
route show table main
route show table local
route show table 200
route show table 100000
route show proto static
route show proto boot
route show scope link
route show scope host
route show type unreachable
route show type blackhole table all
route show dev veth0
route show via 192.0.2.2
route show src 192.0.2.1
route show root 10.0.0.0/8
route show match 10.1.2.3
route show exact 10.1.0.0/16
route show 10.2.0.0/16
route show default
route show table all 10.5.0.0/16
route show cached
route show metric 5
route show realms 3/4
route show tos 0x10
-6 route show
-6 route show table all
-6 route show from 2001:db8:9::/48
-4 route show table all
-d route show table all root 10.1.0.0/16
-d route show
-d route show table all
route get 10.12.0.1
-d route get 10.12.0.1
-d route show proto static
-d -6 route show
-o route show
-N route show table all
route get 10.1.2.3
route get 10.2.2.2
route get 192.0.2.5 from 192.0.2.1
route get 10.1.2.3 mark 7 uid 1000
route get fibmatch 10.1.2.3
route get 10.11.0.1
-6 route get 2001:db8:1::5
route get 10.1.2.3 oif veth0 ipproto tcp sport 1000 dport 80
route get 10.1.2.3 connected
route get 192.0.2.9 from 192.0.2.1 connected
`.trim().split('\n');

test('ip route show/get: text, -j and -j -p identical to iproute2', async (t) => {
  await withNetns(t, async (ns) => {
    populate(ns);
    let n = 0;
    for (const line of SHOW) {
      for (const pre of ['', '-j ', '-j -p ']) {
        if (pre && (line.startsWith('-o') || line.startsWith('-N'))) continue;
        const cmd = pre + line;
        const a = theirs(ns, cmd);
        const b = ours(ns, cmd);
        assert.equal(b.stdout, a.stdout, `stdout of: ip ${cmd}`);
        assert.equal(b.stderr, a.stderr, `stderr of: ip ${cmd}`);
        assert.equal(b.status, a.status, `status of: ip ${cmd}`);
        n++;
      }
    }
    assert.ok(n >= 100);
  });
});

/** Modifications: run by each tool in its own namespace, then the states must match. */
const MODIFY = `
route add 10.20.0.0/16 via 192.0.2.2
route add 10.21.0.0/16 dev veth0 metric 9 proto static
route add unreachable 10.22.0.0/16
route add blackhole 10.23.0.0/16 table 300
route replace 10.20.0.0/16 via 192.0.2.3 mtu 1300
route change 10.21.0.0/16 dev veth0 metric 9 proto static advmss 1000
route prepend 10.24.0.0/16 dev veth0
route append 10.24.0.0/16 via 192.0.2.9 metric 3
route add 10.25.0.0/16 nexthop via 192.0.2.2 weight 5 nexthop via 192.0.2.3
route add 10.26.0.0/16 via inet6 2001:db8::2 dev veth0
route add local 10.27.0.1 dev veth0
route add 10.28.0.0/16 dev veth0 initcwnd 12 initrwnd 14 quickack 1 congctl reno
-6 route add 2001:db8:7::/64 via 2001:db8::2 expires 600 pref medium
-6 route add 2001:db8:8::/64 dev veth0 table 77
route del 10.23.0.0/16 table 300
route del 10.2.0.0/16
route flush proto static
`.trim().split('\n');

test('ip route add/change/replace/append/prepend/del/flush leave the same state as iproute2', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, async (b) => {
      populate(a);
      populate(b);
      for (const line of MODIFY) {
        const x = theirs(a, line);
        const y = ours(b, line);
        assert.equal(y.stderr, x.stderr, `stderr of: ip ${line}`);
        assert.equal(y.status, x.status, `status of: ip ${line}`);
      }
      for (const show of ['route show table all', '-6 route show table all']) {
        // Link-local addresses differ between the namespaces (random MACs); expiry counts down.
        const strip = (s: string): string => s.split('\n').filter((l) => !l.includes('fe80:') && !l.includes('ff00::')).join('\n').replace(/expires \d+sec/g, 'expires Nsec');
        assert.equal(strip(theirs(b, show).stdout), strip(theirs(a, show).stdout), show);
      }
    });
  });
});

/** Bad input: same stderr and exit status, namespace unchanged. */
const BAD = `
route add x
route add 10.0.0.0/33 dev veth0
route add foo/8 dev veth0
route add 10.0.0.0/8 dev nosuch
route add 10.0.0.0/8 via 192.0.2.2 via 192.0.2.3
route add 10.0.0.0/8 via 10.99.0.1
route add 10.0.0.0/8 via bogus
route add 10.0.0.0/8 dev veth0 metric abc
route add 10.0.0.0/8 dev veth0 mtu x
route add 10.0.0.0/8 dev veth0 hoplimit 300
route add 10.0.0.0/8 dev veth0 table bogus
route add 10.0.0.0/8 dev veth0 proto 999
route add 10.0.0.0/8 dev veth0 scope nowhere2
route add 10.0.0.0/8 dev veth0 tos zz
route add 10.0.0.0/8 dev veth0 quickack 2
route add 10.0.0.0/8 dev veth0 features foo
route add 10.0.0.0/8 dev veth0 rtt 1x
route add 10.0.0.0/8 dev veth0 pref bogus
route add 10.0.0.0/8 nexthop via 192.0.2.2 weight 0
route add 10.0.0.0/8 nexthop via 192.0.2.2 bogus
route add 10.0.0.0/8 nexthop
route add 10.0.0.0/8 10.1.0.0/8 dev veth0
route add 10.0.0.0/8 dev
route add unreachable
route add 10.0.0.0/8 encap mpls 100 dev veth0
route add 10.0.0.0/8 encap foo 100 dev veth0
route add 10.0.0.0/8 dev veth0 ttl-propagate maybe
-6 route add 10.0.0.0/8 dev veth0
-4 route add 2001:db8::/64 dev veth0
route add 10.9.0.1 dev veth0 proto 99 scope host
route del 10.99.0.0/16
route change 10.99.0.0/16 dev veth0
route show table bogus
route show proto bogus
route show scope bogus
route show type bogus
route show dev nosuch
route show root x
route show mark x
route get
route get x
route get 10.0.0.1 iif nosuch
route get 10.0.0.1 mark x
route get 10.0.0.1 ipproto bogus
route get 203.0.113.1
route flush
route bogus
route help
`.trim().split('\n');

test('bad ip route input: iproute2\'s stderr and exit status, namespace unchanged', async (t) => {
  await withNetns(t, async (ns) => {
    populate(ns);
    // IPv6 link-local and multicast routes appear on their own once the links are up: left out.
    const state = (): string => (theirs(ns, 'route show table all').stdout + theirs(ns, '-6 route show table all').stdout)
      .split('\n').filter((l) => !l.includes('fe80:') && !l.includes('ff00::')).join('\n');
    const before = state();
    for (const line of BAD) {
      const a = theirs(ns, line);
      const b = ours(ns, line);
      assert.equal(b.stderr, a.stderr, `stderr of: ip ${line}`);
      assert.equal(b.status, a.status, `status of: ip ${line}`);
      assert.equal(b.stdout, a.stdout, `stdout of: ip ${line}`);
    }
    assert.equal(state(), before);
  });
});

test('ip -batch of route lines: same failures, line numbers and exit status as iproute2 (with and without -force)', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, async (b) => {
      populate(a);
      populate(b);
      const dir = mkdtempSync(join(tmpdir(), 'rip-route-batch-'));
      try {
        const file = join(dir, 'batch');
        const lines: string[] = [];
        for (let i = 0; i < 300; i++) lines.push(`route add 10.100.${i}.0/24 dev veth0`);
        lines.push('route add 10.100.7.0/24 dev veth0', 'route add 10.101.0.0/16 dev nosuch', '# comment', '', 'route del 10.100.0.0/24');
        lines.push('link set veth1 down', 'route add 10.102.0.0/16 via 192.0.2.2', 'route add 10.100.9.0/24 dev veth0');
        writeFileSync(file, lines.join('\n') + '\n');
        for (const force of [true, false]) {
          const args = (ns: TestNetns): string[] => ['-n', ns.name, ...(force ? ['-force'] : []), '-batch', file];
          const x = run('ip', args(a));
          const y = run('node', [RIP, 'ip', ...args(b)]);
          assert.equal(y.stderr, x.stderr, `stderr, force=${force}`);
          assert.equal(y.status, x.status, `status, force=${force}`);
          assert.equal(theirs(b, 'route show').stdout, theirs(a, 'route show').stdout, `state, force=${force}`);
        }
        // A parse error ends the batch (iproute2 exits from inside the parser).
        writeFileSync(file, 'route add 10.103.0.0/16 dev veth0\nroute add x\nroute add 10.104.0.0/16 dev veth0\n');
        const x = run('ip', ['-n', a.name, '-force', '-batch', file]);
        const y = run('node', [RIP, 'ip', '-n', b.name, '-force', '-batch', file]);
        assert.equal(y.stderr, x.stderr);
        assert.equal(y.status, x.status);
        assert.equal(theirs(b, 'route show').stdout, theirs(a, 'route show').stdout);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

test('ip route save / showdump / restore: same bytes (but seq and pid), output and state as iproute2', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, async (b) => {
      populate(a);
      b.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
      b.ip('link', 'set', 'veth0', 'up');
      b.ip('addr', 'add', '192.0.2.1/24', 'dev', 'veth0');
      const bin = (cmd: string, args: string[]): Buffer => spawnSync(cmd, args, { maxBuffer: 1 << 26 }).stdout;
      /** Zero nlmsg_seq and nlmsg_pid of every message after the 4-byte magic. */
      const norm = (d: Buffer): Buffer => {
        const c = Buffer.from(d);
        for (let p = 4; p + 16 <= c.length; p += (c.readUInt32LE(p) + 3) & ~3) c.fill(0, p + 8, p + 16);
        return c;
      };
      // IPv4 only: IPv6 link-local routes may appear between the two saves.
      for (const sel of [[], ['table', 'all'], ['proto', 'static']]) {
        const x = bin('ip', ['-n', a.name, '-4', 'route', 'save', ...sel]);
        const y = bin('node', [RIP, 'ip', '-n', a.name, '-4', 'route', 'save', ...sel]);
        assert.ok(x.length > 4);
        assert.deepEqual(norm(y), norm(x), `route save ${sel.join(' ')}`);
      }
      const dump = bin('ip', ['-n', a.name, 'route', 'save']);
      const show = (cmd: string, args: string[]): Out => {
        const r = spawnSync(cmd, args, { input: dump, encoding: 'utf8' });
        return { stdout: r.stdout, stderr: r.stderr, status: r.status };
      };
      assert.deepEqual(show('node', [RIP, 'ip', '-n', a.name, 'route', 'showdump']), show('ip', ['-n', a.name, 'route', 'showdump']));
      // From a pipe iproute2 cannot rewind stdin: same error.
      assert.deepEqual(show('node', [RIP, 'ip', '-n', b.name, 'route', 'restore']), show('ip', ['-n', b.name, 'route', 'restore']));
      // Restore from a file into b: the gateway routes need b's addresses; errors must match too.
      const dir = mkdtempSync(join(tmpdir(), 'rip-route-save-'));
      const file = join(dir, 'dump');
      writeFileSync(file, dump);
      const fd = openSync(file, 'r');
      const r1 = spawnSync('node', [RIP, 'ip', '-n', b.name, 'route', 'restore'], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' });
      closeSync(fd);
      const ref = createState(file);
      rmSync(dir, { recursive: true, force: true });
      assert.equal(r1.stderr, ref.stderr);
      assert.equal(r1.status, ref.status);
      assert.equal(theirs(b, 'route show').stdout, ref.state);
      const bad = spawnSync('node', [RIP, 'ip', '-n', a.name, 'route', 'showdump'], { input: 'garbage', encoding: 'utf8' });
      const badRef = spawnSync('ip', ['-n', a.name, 'route', 'showdump'], { input: 'garbage', encoding: 'utf8' });
      assert.equal(bad.stderr, badRef.stderr);
      assert.equal(bad.status, badRef.status);
    });
  });
});

/** iproute2's restore of the dump in `file` into a fresh namespace set up like `b`: its stderr, status and resulting routes. */
function createState(file: string): { stderr: string; status: number | null; state: string } {
  const ns = `rip-restore-ref-${process.pid}`;
  spawnSync('ip', ['netns', 'add', ns]);
  try {
    for (const c of [['link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1'], ['link', 'set', 'veth0', 'up'], ['addr', 'add', '192.0.2.1/24', 'dev', 'veth0']]) {
      spawnSync('ip', ['-n', ns, ...c]);
    }
    const fd = openSync(file, 'r');
    const r = spawnSync('ip', ['-n', ns, 'route', 'restore'], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' });
    closeSync(fd);
    const state = spawnSync('ip', ['-n', ns, 'route', 'show'], { encoding: 'utf8' }).stdout;
    return { stderr: r.stderr, status: r.status, state };
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}
