/**
 * `ip tuntap` / `ip tap` parity with iproute2 6.1: add/del have the same
 * effect, show/list print the same (text, -j, -p, -d, -o), bad input gets the
 * same stderr and exit status without touching the namespace; and the tun
 * part of `ip -d link show`.
 *
 * With -d, iproute2 prints a `readlink: …` line on stderr for every /proc fd
 * it cannot resolve while looking for attached processes (fds of processes
 * that come and go), so for -d only stdout and the exit status are compared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { withNetns, createTestNetns, requireRoot, type TestNetns } from '../helpers/netns.js';
import { assertParity, assertRejectedLikeIproute2, assertSameEffect, rip, iproute2, words } from './ip-parity-util.js';

/** Random tap MAC addresses differ between namespaces. */
const noMac = (s: string): string => s.replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g, 'MAC');

const MODIFY = [
  'tuntap add dev t0 mode tun',
  'tuntap add dev t1 mode tap',
  'tuntap add mode tun',
  'tuntap add mode tap',
  'tuntap add dev t2 mode tun pi',
  'tuntap add dev t3 mode tap vnet_hdr',
  'tuntap add dev t4 mode tun one_queue',
  'tuntap add dev t5 mode tap multi_queue',
  'tuntap add dev t6 mode tap pi one_queue vnet_hdr multi_queue user 1000 group 100',
  'tuntap add name t7 mode tun user root group root',
  'tuntap add t8 mode tun user 4242 group 4343',
  'tap add dev t9 mode tap user -1 group -1',
  'tuntap a m tun d t10 u 7 g 8 o p v mu',
  'tuntap add dev t11 mode tun user 99999999999999999999',
  'tuntap add dev v%d mode tun',
  'tuntap add dev v%d mode tap',
  'tuntap add name t12 dev t13 mode tun',
  'tuntap add dev t0 mode tun', // exists: EBUSY on both
  'tuntap add dev t1 mode tun',
  'tuntap del dev t0 mode tun',
  'tuntap del dev t1 mode tap pi',
  'tuntap del dev t5 mode tap', // multi_queue mismatch: EINVAL on both
  'tuntap del dev t5 mode tap multi_queue',
  'tuntap delete t2 mode tun',
  'tap d dev t3 mode tap',
  'tuntap del dev nosuch mode tun', // attaches a fresh device and drops it: success on both
  'tuntap add dev t0 mode tap',
];

const VIEWS = [['tuntap', 'show'], ['-j', 'tuntap', 'show'], ['-d', 'link', 'show'], ['-d', '-j', 'link', 'show']];

const SHOW = [
  'tuntap', 'tuntap show', 'tuntap list', 'tuntap lst', 'tuntap s', 'tuntap l', 'tap', 'tap show',
  'tuntap show dev t1 foo', '-j tuntap', '-j -p tuntap', '-p -j tap list', '-o tuntap', '-s tuntap',
];

const DETAIL_SHOW = ['-d tuntap', '-d -j tuntap', '-d -j -p tuntap', '-o -d tuntap', '-d tap list'];

const LINK_SHOW = ['-d link show', '-d -j link show', '-d -j -p link show', '-d link show type tun', '-d link show dev t6', 'link show'];

const BAD = [
  'tuntap add', 'tuntap add mode', 'tuntap add mode foo', 'tuntap add mode tun mode tap', 'tuntap add mode tap mode tun',
  'tuntap add dev', 'tuntap add dev aaaaaaaaaaaaaaaaaaa mode tun', 'tuntap add dev a/b mode tun', 'tuntap add name', 'tuntap add x/y mode tun',
  'tuntap add mode tun user nosuchuser', 'tuntap add mode tun group nosuchgroup', 'tuntap add mode tun user 12ab', 'tuntap add mode tun user -',
  'tuntap add mode tun user', 'tuntap add mode tun group', 'tuntap add foo bar mode tun', 'tuntap add dev x1 name x2 mode tun',
  'tuntap add mode tun help', 'tuntap add mode tun h', 'tuntap help', 'tuntap h', 'tap help', 'tuntap frob', 'tuntap addx mode tun',
  'tuntap del', 'tuntap del mode', 'tuntap del mode tun user root', 'tuntap del mode tun group root', 'tuntap del dev t0 mode tap',
  'tuntap add dev t0 mode tun', 'tuntap add dev t0 mode tap', 'tuntap add dev t1 mode tap multi_queue', 'tuntap add dev a:b mode tun',
  'tuntap add dev . mode tun', 'tuntap del dev rtheld mode tun',
  // The tun link kind: no creation over rtnetlink, no help text of its own.
  'link add foo type tun', 'link add foo type tun pi on', 'link help tun',
];

test('ip tuntap add/del: same effect, output and status as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns('rip-cli-a');
  const b = createTestNetns('rip-cli-b');
  try {
    assertSameEffect(a, b, MODIFY, VIEWS, noMac);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

/** Devices with every flag combination iproute2 can set, made by iproute2. */
function populate(ns: TestNetns): void {
  for (const l of MODIFY.slice(0, 17)) ns.ip(...words(l));
}

test('ip tuntap show/list: same text and JSON as iproute2', async (t) => {
  await withNetns(t, (ns) => {
    assertParity(ns, 'tuntap'); // nothing to show
    assertParity(ns, '-j tuntap');
    assertParity(ns, '-j -p tuntap');
    populate(ns);
    for (const line of SHOW) assertParity(ns, line);
    for (const line of LINK_SHOW) assertParity(ns, line);
    for (const line of DETAIL_SHOW) {
      // Attached processes are matched by name across all namespaces: a
      // concurrent test holding a device named like ours (tun0…) may come or
      // go between the two runs, so a differing pair is run again.
      for (let attempt = 1; ; attempt++) {
        const want = iproute2(ns, words(line));
        const got = rip(ns, words(line));
        if (attempt < 3 && got.stdout !== want.stdout) continue;
        assert.equal(got.stdout, want.stdout, `stdout of: ip ${line}`);
        assert.equal(got.status, want.status, `exit status of: ip ${line}`);
        break;
      }
    }
  });
});

/**
 * A child process holding queues of `names` open (in `ns`) until killed.
 * iproute2 matches attached processes by device name across all namespaces,
 * so these names are ones no other test uses.
 */
async function holdOpen(ns: TestNetns, names: readonly string[]): Promise<{ pid: number; stop(): void }> {
  const script = `
    const { TunTap } = await import(${JSON.stringify(new URL('../../src/tuntap/index.js', import.meta.url).href)});
    const held = [];
    for (const n of ${JSON.stringify(names)}) held.push(await TunTap.open({ name: n, mode: 'tun', multiQueue: n.startsWith('mq'), netns: ${JSON.stringify(ns.name)} }));
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    child.stdout!.once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  return {
    pid: child.pid!,
    stop: () => { child.kill('SIGKILL'); },
  };
}

test('ip -d tuntap: attached processes as iproute2 prints them', async (t) => {
  await withNetns(t, async (ns) => {
    ns.ip('tuntap', 'add', 'dev', 'rtheld', 'mode', 'tun');
    ns.ip('tuntap', 'add', 'dev', 'mqrt0', 'mode', 'tun', 'multi_queue');
    ns.ip('tuntap', 'add', 'dev', 'rtidle', 'mode', 'tap');
    const holder = await holdOpen(ns, ['rtheld', 'mqrt0', 'mqrt0']);
    try {
      for (const line of ['-d tuntap', '-o -d tuntap']) {
        const want = iproute2(ns, words(line));
        const got = rip(ns, words(line));
        assert.equal(got.stdout, want.stdout, `stdout of: ip ${line}`);
      }
      const text = rip(ns, words('-d tuntap')).stdout;
      assert.match(text, new RegExp(`^rtheld: tun persist\\n\\tAttached to processes:node\\(${holder.pid}\\)$`, 'm'));
      assert.match(text, new RegExp(`^mqrt0: tun multi_queue persist\\n\\tAttached to processes:node\\(${holder.pid}\\)node\\(${holder.pid}\\)$`, 'm'));
      // iproute2 6.1 writes keys inside the array here (not JSON); ours is the same data as objects.
      const json = JSON.parse(rip(ns, words('-d -j tuntap')).stdout) as Array<{ ifname: string; processes: unknown[] }>;
      const byName = new Map(json.map((d) => [d.ifname, d.processes]));
      assert.deepEqual(byName.get('rtheld'), [{ name: 'node', pid: holder.pid }]);
      assert.deepEqual(byName.get('mqrt0'), [{ name: 'node', pid: holder.pid }, { name: 'node', pid: holder.pid }]);
      assert.deepEqual(byName.get('rtidle'), []);
      // Busy: a single-queue device held by another process cannot be attached to delete it.
      assertRejectedLikeIproute2(ns, ['tuntap del dev rtheld mode tun']);
    } finally {
      holder.stop();
    }
  });
});

test('ip tuntap: bad input gets iproute2 stderr and exit status, namespace unchanged', async (t) => {
  await withNetns(t, async (ns) => {
    ns.ip('tuntap', 'add', 'dev', 't0', 'mode', 'tun');
    ns.ip('tuntap', 'add', 'dev', 't1', 'mode', 'tap');
    ns.ip('tuntap', 'add', 'dev', 'rtheld', 'mode', 'tun');
    const holder = await holdOpen(ns, ['rtheld']);
    try {
      assertRejectedLikeIproute2(ns, BAD);
    } finally {
      holder.stop();
    }
  });
});
