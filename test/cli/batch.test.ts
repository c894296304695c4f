/**
 * `ip -batch` parity with iproute2 6.1 where route lines are pipelined:
 * mixed objects in order (a route on a link created earlier in the batch),
 * kernel errors with and without extended-ACK text in the middle, exact
 * line numbers (comments and blank lines counted), -force, a parse error
 * ending the batch, and thousands of failing lines with -force (every
 * failure reported, none lost to a receive-buffer overflow). Same stderr,
 * exit status and resulting state as iproute2 on a twin namespace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNetns, type TestNetns } from '../helpers/netns.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

interface Out { stdout: string; stderr: string; status: number | null }

function run(cmd: string, args: readonly string[]): Out {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120000, maxBuffer: 1 << 26 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function base(ns: TestNetns): void {
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  ns.ip('link', 'set', 'veth0', 'up');
  ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'veth0');
}

/** Everything a batch below can change. */
function state(ns: TestNetns): string {
  return ['link', 'addr', 'route', '-6 route', 'rule', 'neigh'].map((o) => ns.ip(...o.split(' '), 'show')).join('\n')
    .split('\n').filter((l) => !l.includes('link/ether') && !/inet6 fe80|fe80::/.test(l))
    // Carrier and operstate follow a peer's `link set up` asynchronously (linkwatch).
    .map((l) => l.replace(/ state \S+/, '').replace(/ linkdown/, '').replace(/NO-CARRIER,|,LOWER_UP/g, '')).join('\n');
}

/** Run `lines` with iproute2 in `a` and with rip in `b`; both namespaces must end alike. */
function compareBatch(a: TestNetns, b: TestNetns, lines: readonly string[], force: boolean, what: string, finalNewline = true): Out {
  const dir = mkdtempSync(join(tmpdir(), 'rip-batch-'));
  try {
    const file = join(dir, 'batch');
    writeFileSync(file, lines.join('\n') + (finalNewline ? '\n' : ''));
    const args = (ns: TestNetns): string[] => ['-n', ns.name, ...(force ? ['-force'] : []), '-batch', file];
    const x = run('ip', args(a));
    const y = run(process.execPath, [RIP, 'ip', ...args(b)]);
    assert.equal(y.stderr.replaceAll(file, 'FILE'), x.stderr.replaceAll(file, 'FILE'), `${what}: stderr`);
    assert.equal(y.status, x.status, `${what}: status`);
    assert.equal(y.stdout, x.stdout, `${what}: stdout`);
    assert.equal(state(b), state(a), `${what}: state`);
    return { ...x, stderr: x.stderr.replaceAll(file, 'FILE') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MIXED = (n: number): string[] => {
  const out: string[] = [];
  out.push('link add vb0 type veth peer name vb1', 'link set vb0 up', 'addr add 198.51.100.1/24 dev vb0');
  // Routes on the link just created (the name is unknown to the start of the batch), with errors between.
  for (let i = 0; i < n; i++) out.push(`route add 10.20.${i >> 8}.${i & 255}/32 dev vb0`);
  out.push('route add 10.20.0.5/32 dev vb0'); // File exists
  out.push('# a comment', '', 'route add 10.21.0.0/16 via 203.0.113.9'); // Error: Nexthop has invalid gateway.
  out.push('route del 10.99.0.0/16'); // No such process
  out.push('route add 10.22.0.0/16 via 198.51.100.2', 'route replace 10.22.0.0/16 via 198.51.100.3 metric 7');
  out.push('neigh add 198.51.100.7 lladdr 02:00:00:00:00:07 dev vb0', 'rule add from 10.22.0.0/16 table 7 pref 700');
  out.push('route add 10.23.0.0/16 dev nosuch'); // Cannot find device
  out.push('route add 10.24.0.0/16 dev vb0 table 7', 'route show table 7', 'route del 10.20.0.1/32 dev vb0');
  out.push('route add 2001:db8:5::/64 dev vb0', 'route add 2001:db8:5::/64 dev vb0');
  return out;
};

test('ip -force -batch: mixed objects and pipelined routes, errors in the middle, same output and state as iproute2', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, async (b) => {
      base(a);
      base(b);
      const x = compareBatch(a, b, MIXED(600), true, '-force');
      assert.match(x.stderr, /Command failed FILE:604\n/); // the line numbers count comments and blank lines
      assert.match(x.stderr, /Error: Nexthop has invalid gateway\.\nCommand failed FILE:607\n/);
    });
  });
});

test('ip -batch without -force: stops at the first failure with its line number, as iproute2', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, async (b) => {
      base(a);
      base(b);
      // The failing route line is followed by a non-pipelined line, so iproute2 and rip apply the same lines.
      const lines = [...MIXED(300).slice(0, 303), 'route add 10.20.0.9/32 dev vb0', 'link set vb1 up', 'route add 10.30.0.0/16 dev vb0'];
      compareBatch(a, b, lines, false, 'no -force');
      // A kernel error on the very last line, and one on the first.
      compareBatch(a, b, ['route add 10.31.0.0/16 dev vb0', 'route add 10.31.0.0/16 dev vb0'], false, 'last line');
      compareBatch(a, b, ['route add 10.31.0.0/16 dev vb0', 'link set vb1 down', 'route add 10.32.0.0/16 dev vb0'], false, 'first line');
    });
  });
});

test('ip -batch without -force: no line after a failing one takes effect, even among the lines sent with it', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, async (b) => {
      base(a);
      base(b);
      const adds = (from: number, to: number, verb = 'add'): string[] => {
        const out: string[] = [];
        for (let i = from; i < to; i++) out.push(`route ${verb} 10.60.${i >> 8}.${i & 255}/32 dev veth0`);
        return out;
      };
      // A duplicate in the middle of a run of pipelined lines, then more of them (adds, dels, a replace).
      compareBatch(a, b, [...adds(0, 300), 'route add 10.60.0.7/32 dev veth0', ...adds(300, 400), ...adds(0, 50, 'del'), 'route replace 10.61.0.0/16 dev veth0'], false, 'add fails');
      // Only plain adds (sent whole, what follows a failure undone), with routes from before
      // sharing destinations with lines after the failure.
      for (const ns of [a, b]) {
        ns.ip('route', 'add', '10.62.1.100/32', 'dev', 'veth0', 'metric', '9'); // line 357 adds its metric-0 twin
        ns.ip('route', 'add', '10.62.1.101/32', 'dev', 'veth0', 'metric', '3'); // line 358 duplicates it
      }
      const plain: string[] = [];
      for (let i = 0; i < 600; i++) plain.push(`route add 10.62.${i >> 8}.${i & 255}/32 dev veth0${i % 7 === 0 ? ' metric 3' : ''}`);
      plain[280] = 'route add 10.62.0.9/32 dev veth0';
      compareBatch(a, b, plain, false, 'plain adds, one fails');
      // A failure early in a whole chunk of 4096 (the C scanner's): ~4,000 routes sent with it are undone.
      const many: string[] = [];
      for (let i = 0; i < 5000; i++) many.push(`route add 10.63.${i >> 8}.${i & 255}/32 dev veth0`);
      many[10] = 'route add 10.63.0.3/32 dev veth0';
      compareBatch(a, b, many, false, 'plain adds, early failure in a big chunk');
      // A delete that fails after deletes that work, followed by more deletes and adds.
      compareBatch(a, b, [...adds(0, 100, 'del'), 'route del 10.60.0.5/32 dev veth0', ...adds(100, 200, 'del'), ...adds(1000, 1100)], false, 'del fails');
    });
  });
});

test('ip -batch: a parse error ends the batch after the earlier lines took effect and reported their failures', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, async (b) => {
      base(a);
      base(b);
      compareBatch(a, b, [
        'route add 10.40.0.0/16 dev veth0', 'route add 10.40.0.0/16 dev veth0', 'route add 10.41.0.0/16 dev veth0 mtu', 'route add 10.42.0.0/16 dev veth0',
      ], true, 'parse error, -force');
      compareBatch(a, b, ['route add 10.43.0.0/16 dev veth0', 'route add 10.44.0.0/16 dev veth0 mtu', 'route add 10.45.0.0/16 dev veth0'], false, 'parse error');
    });
  });
});

test('ip -force -batch: 9,000 failing route lines (whole chunks of them) are each reported, in order', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, async (b) => {
      base(a);
      base(b);
      // More failures in a row than the C scanner's chunks hold (4096): every answer must fit the receive buffer.
      const lines: string[] = [];
      for (let i = 0; i < 4500; i++) lines.push(`route add 10.50.${i >> 8}.${i & 255}/32 dev veth0`);
      for (let i = 0; i < 4500; i++) lines.push(`route add 10.50.${i >> 8}.${i & 255}/32 dev veth0`); // File exists
      for (let i = 0; i < 4500; i++) lines.push(`route del 10.51.${i >> 8}.${i & 255}/32 dev veth0`); // No such process
      const x = compareBatch(a, b, lines, true, 'many failures');
      assert.equal(x.stderr.split('\n').filter((l) => l.startsWith('Command failed')).length, 9000);
    });
  });
});

/**
 * Route lines of every kind interleaved: plain ones (read by the C scanner
 * in native/route-scan.c, chunk by chunk), ones only the JavaScript scanner
 * takes (a hexadecimal metric), ones only the general path reads (another
 * keyword, leading blanks, tabs, CR LF, quotes, a comment after the
 * command), blank and comment lines, a link created mid-file and used at
 * once, and failures of each kind among them.
 */
function mixedKinds(n: number, net: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = `10.${net}.${i >> 8}.${i & 255}/32`;
    switch (i % 16) {
      case 6: out.push(`route add ${d} dev veth0 metric 0x10`); break;
      case 7: out.push(`route add ${d} dev veth0 mtu 1400`); break;
      case 8: out.push(`  route add ${d} dev veth0`); break;
      case 9: out.push(`route\tadd\t${d}\tdev veth0`); break;
      case 10: out.push(`route add ${d} dev veth0\r`); break;
      case 11: out.push(`route add "${d}" dev veth0 # quoted`); break;
      case 12: out.push(i & 16 ? '' : '   '); break;
      case 13: out.push('# route add 10.0.0.0/8 dev veth0'); break;
      default: out.push(`route add ${d} dev veth0`);
    }
    if (i === n >> 2) out.push('link add vm0 type veth peer name vm1', 'link set vm0 up', `route add 10.${net + 1}.0.0/16 dev vm0`, `route add 10.${net + 1}.1.0/24 dev vm0 metric 5`);
    if (i === n >> 1) {
      out.push(`route add 10.${net}.0.1/32 dev veth0`); // File exists (a C-scanned line)
      out.push(`route add 10.${net}.0.6/32 dev veth0 metric 0x10`); // File exists (the JavaScript scanner's)
      out.push(`route add 10.${net + 2}.0.0/16 dev nosuch`); // Cannot find device (the general path's)
      out.push(`route add 10.${net + 3}.0.0/16 via 203.0.113.9`); // Error: Nexthop has invalid gateway.
      out.push(`route del 10.${net + 4}.0.0/16`); // No such process
      out.push(`route del 10.${net}.0.2/32 dev veth0`);
    }
  }
  return out;
}

test('ip -batch: lines the C scanner reads mixed with lines the JavaScript scanner and the general path read, failures among them, same output and state as iproute2', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, async (b) => {
      base(a);
      base(b);
      const x = compareBatch(a, b, mixedKinds(1500, 70), true, 'mixed kinds, -force');
      assert.equal(x.stderr.split('\n').filter((l) => l.startsWith('Command failed')).length, 5, x.stderr);
      // Without -force: the batch stops at the first failure (a C-scanned line), nothing after it applies.
      compareBatch(a, b, mixedKinds(900, 80), false, 'mixed kinds, stopping');
      // Batches that start with route lines have them read by the C scanner before anything
      // else is loaded: first lines it declines, blank lines first, a failure at once.
      const plain = (net: number, k: number): string[] => Array.from({ length: k }, (_, i) => `route add 10.${net}.${i >> 8}.${i & 255}/32 dev veth0`);
      compareBatch(a, b, ['route add 10.95.0.0/16 dev nosuch', ...plain(95, 300)], true, 'unknown device first');
      compareBatch(a, b, ['', '   ', ...plain(96, 3), 'route add 10.96.0.1/32 dev veth0', ...plain(97, 300)], false, 'blank lines, then a failure');
      compareBatch(a, b, ['route add 10.98.0.0/16 dev veth0 mtu', ...plain(98, 10)], true, 'a parse error first');
      // Files of 256 KiB and more: the first 64 KiB of lines go to the kernel before the rest is read.
      const big = plain(102, 10000);
      big[1000] = 'route add 10.102.0.9/32 dev veth0'; // fails inside the first part, without -force
      compareBatch(a, b, big, false, 'large file, failure in its first part');
      const big2 = plain(103, 10000);
      big2[500] = `${big2[500]!} mtu 1400`; // declined by the C scanner inside the first part
      big2[1700] = 'route add 10.103.0.1/32 dev veth0'; // near the end of the first part
      big2[1900] = 'route add 10.103.0.2/32 dev veth0'; // after it
      const x2 = compareBatch(a, b, big2, true, 'large file, -force');
      assert.equal(x2.stderr.split('\n').filter((l) => l.startsWith('Command failed')).length, 2);
      // 300 lines the C scanner declines (it then rests for a while), then lines it takes, with failures among both.
      const declined = Array.from({ length: 300 }, (_, i) => `route add 10.99.${i >> 8}.${i & 255}/32 dev veth0 mtu 1400`);
      compareBatch(a, b, [...declined, 'route add 10.99.0.5/32 dev veth0 mtu 1400', ...plain(100, 600), 'route add 10.100.1.1/32 dev veth0', ...plain(101, 50)], true, 'declined lines, then taken ones');
      // The last line without a newline, read by each of the three.
      for (const last of ['route add 10.90.0.1/32 dev veth0', 'route add 10.90.0.2/32 dev veth0 metric 0x10', 'route add 10.90.0.3/32 dev veth0 mtu 1400', 'route add 10.90.0.1/32 dev veth0']) {
        compareBatch(a, b, [...mixedKinds(300, 91).filter((l) => !l.includes('vm')), last], true, `last line ${last}`, false);
      }
    });
  });
});
