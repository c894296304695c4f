/**
 * `ip xfrm policy` parity with iproute2 6.1 (this kernel has the SPD but no
 * ESP/AH/IPComp, so states are covered by xfrm-state.vm.test.ts): policies
 * added by both programs in twin namespaces read back the same; list, -s,
 * -s -s, -o, -j, filters, get, count, delete, deleteall, flush print the
 * same; bad input gets iproute2's error text and status and changes nothing.
 * Also the library's Xfrm.policy API, read back typed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireRoot, withNetns, type TestNetns } from '../helpers/netns.js';
import { assertParity, iproute2, rip, words, vethSetup } from './ip-parity-util.js';
import { Xfrm } from '../../src/netlink/xfrm.js';
import { BAD, xfrmSnapshot, assertXfrmRejected, assertXfrmChangesMatch, xfrmTwins, timeless, sortedEntries } from './xfrm-util.js';


const POLICY_ADDS = [
  'xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 dir out tmpl src 10.0.0.1 dst 10.0.0.2 proto esp mode transport',
  'xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp sport 80 dir in ptype sub priority 7 flag localok icmp mark 5 mask 0xff if_id 3 action block',
  '-6 xfrm policy add src 2001:db8::/64 dst ::/0 proto ipv6-icmp type 128 code 0 dir fwd tmpl src 2001:db8::1 dst 2001:db8::2 proto esp mode tunnel reqid 9 level use tmpl proto ah mode transport',
  'xfrm policy add dir out src 10.9.9.9 dst 10.8.8.8 proto gre key 1.2.3.4 limit time-soft 100 limit byte-hard 1000 index 0',
  'xfrm policy add src 10.3.0.0/24 dst 10.4.0.0/24 dev veth0 proto udp dport 4500 dir out priority 100 tmpl src 10.3.0.1 dst 10.4.0.1 proto esp spi 0x55 reqid 1 mode tunnel level required',
  'xfrm policy add dir in flag 0x3 mark 0x7 tmpl proto comp mode tunnel src 1.1.1.1 dst 2.2.2.2',
  'xfrm policy add src 10.5.0.0/16 dst 10.6.0.0/16 proto sctp dport 9 dir fwd limit packet-soft 10 limit packet-hard 20 limit time-use-soft 30 limit time-use-hard 40 limit byte-soft 50 limit time-hard 60',
  'xfrm policy add src 10.7.0.0/16 dst 10.8.0.0/16 proto icmp type 3 dir out tmpl src 10.7.0.1 dst 10.8.0.1 proto ah spi 0x99 mode beet',
  'xfrm policy add src 10.11.0.0/16 dst 10.12.0.0/16 dir in ptype sub priority 3',
  'xfrm policy add src 10.13.0.0/16 dst 10.14.0.0/16 proto 33 dport 7 dir out',
  'xfrm policy update src 10.0.0.1/32 dst 10.0.0.2/32 dir out action block priority 9',
  'xfrm policy add src 10.15.0.0/16 dst 10.16.0.0/16 proto mobility-header type 5 dir out',
  'xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 dir out',
  'xfrm policy add src 10.17.0.0/16 dst 10.18.0.0/16 dir in mark 0x1 mask 0x0',
  'xfrm policy set hthresh4 24 16 hthresh6 64 48',
];

const SHOW = [
  'xfrm policy', 'xfrm policy list', 'xfrm policy show', 'xfrm pol lst', '-s xfrm policy', '-s -s xfrm policy', '-o xfrm policy',
  '-j xfrm policy', '-4 xfrm policy', '-6 xfrm policy', 'xfrm policy list dir in', 'xfrm policy list dir out', 'xfrm policy list dir fwd',
  'xfrm policy list ptype sub', 'xfrm policy list ptype main', 'xfrm policy list action block', 'xfrm policy list action allow',
  'xfrm policy list priority 7', 'xfrm policy list flag icmp', 'xfrm policy list flag localok', 'xfrm policy list nosock',
  'xfrm policy list src 10.1.0.0/16', 'xfrm policy list dst 10.0.0.0/8', 'xfrm policy list src 10.0.0.0/8 proto udp', 'xfrm policy list dev veth0',
  'xfrm policy list proto tcp sport 80', 'xfrm policy list index 16', '-s xfrm policy list index 8', 'xfrm policy count', '-s xfrm policy count', '-s -s xfrm policy count',
  '-o -s -s xfrm policy count', 'xfrm policy get src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp sport 80 dir in ptype sub mark 5 mask 0xff if_id 3',
  '-s xfrm policy get src 10.0.0.1/32 dst 10.0.0.2/32 dir out', 'xfrm policy getdefault', 'xfrm state', 'xfrm state count', '-s xfrm state count',
  'xfrm', 'xfrm policy help', 'xfrm state help', 'xfrm help', 'xfrm monitor help',
];

function twins(t: Parameters<typeof requireRoot>[0]): [TestNetns, TestNetns] | undefined {
  if (!requireRoot(t)) return undefined;
  return xfrmTwins('rip-xfrm');
}

test('ip xfrm policy add/update/set: same effect and output as iproute2, then list/get/count parity', async (t) => {
  const ns = twins(t);
  if (!ns) return;
  const [a, b] = ns;
  try {
    for (const line of POLICY_ADDS) {
      const want = iproute2(a, words(line));
      const got = rip(b, words(line));
      assert.equal(got.stderr, want.stderr, `stderr of: ip ${line}`);
      assert.equal(got.status, want.status, `exit status of: ip ${line}`);
      // One line re-adds an existing policy: both must fail the same way (EEXIST).
      assert.equal(want.status, line === 'xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 dir out' ? 2 : 0, `iproute2: ip ${line}: ${want.stderr}`);
      assert.equal(xfrmSnapshot(b), xfrmSnapshot(a), `state after: ip ${line}`);
    }
    for (const line of SHOW) assertParity(b, line, timeless);
    // The same listing read from the namespace iproute2 populated.
    for (const line of ['-s xfrm policy', '-s -s xfrm policy count']) {
      assert.equal(sortedEntries(timeless(rip(a, words(line)).stdout)), sortedEntries(timeless(iproute2(b, words(line)).stdout)), line);
    }
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('ip xfrm policy delete/deleteall/flush: same effect as iproute2', async (t) => {
  const ns = twins(t);
  if (!ns) return;
  const [a, b] = ns;
  try {
    for (const line of POLICY_ADDS) { iproute2(a, words(line)); iproute2(b, words(line)); }
    const CHANGES = [
      'xfrm policy delete src 10.0.0.1/32 dst 10.0.0.2/32 dir out', 'xfrm policy delete src 10.0.0.1/32 dst 10.0.0.2/32 dir out',
      'xfrm policy delete index 8 dir fwd', 'xfrm policy deleteall dir fwd', 'xfrm policy deleteall src 10.0.0.0/8 proto tcp',
      'xfrm policy flush ptype sub', 'xfrm policy deleteall', 'xfrm policy setdefault in accept out block fwd accept', 'xfrm policy flush',
    ];
    assertXfrmChangesMatch(a, b, CHANGES);
    assert.equal(iproute2(b, ['xfrm', 'policy']).stdout, '');
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('ip xfrm bad input: iproute2 text and status, nothing changed', async (t) => {
  await withNetns(t, (ns) => {
    vethSetup(ns);
    iproute2(ns, words(POLICY_ADDS[0]!));
    assertXfrmRejected(ns, BAD);
  });
});

test('Xfrm.policy: add, update, get, list (filters), count, delete, flush, hash thresholds', async (t) => {
  await withNetns(t, async (ns) => {
    await using x = await Xfrm.open({ netns: ns.name });
    await x.policy.add({
      sel: { src: '10.0.0.0/24', dst: '10.1.0.0/24', proto: 6, dport: 443 }, dir: 'out', priority: 5, mark: { value: 7, mask: 0xff }, ifId: 9,
      limits: { timeHard: 60n, byteSoft: 1000n },
      tmpl: [{ src: '192.0.2.1', dst: '192.0.2.2', proto: 'esp', mode: 'tunnel', reqid: 4 }, { proto: 'ah', level: 'use' }],
    });
    await x.policy.add({ sel: { src: '2001:db8::/64', dst: '2001:db8:1::/64' }, dir: 'in', action: 'block', ptype: 'sub', flags: ['localok'] });
    const out = await x.policy.get({ sel: { src: '10.0.0.0/24', dst: '10.1.0.0/24', proto: 6, dport: 443 }, dir: 'out', mark: { value: 7, mask: 0xff }, ifId: 9 });
    assert.equal(out.sel.src, '10.0.0.0');
    assert.equal(out.sel.srcPrefixLen, 24);
    assert.equal(out.sel.dport, 443);
    assert.equal(out.priority, 5);
    assert.deepEqual(out.mark, { value: 7, mask: 0xff });
    assert.equal(out.ifId, 9);
    assert.equal(out.lifetime.hard_add_expires_seconds, 60n);
    assert.equal(out.lifetime.soft_byte_limit, 1000n);
    assert.equal(out.tmpl.length, 2);
    assert.equal(out.tmpl[0]!.dst, '192.0.2.2');
    assert.equal(out.tmpl[0]!.reqid, 4);
    assert.equal(out.tmpl[0]!.mode, 1);
    assert.equal(out.tmpl[1]!.proto, 51);
    assert.equal(out.tmpl[1]!.optional, 1);
    // What iproute2 sees is what we added.
    assert.match(iproute2(ns, ['xfrm', 'policy']).stdout, /src 10\.0\.0\.0\/24 dst 10\.1\.0\.0\/24 proto tcp dport 443 \n\tdir out priority 5 ptype main \n\tmark 0x7\/0xff \n\ttmpl src 192\.0\.2\.1 dst 192\.0\.2\.2/);
    const blocked = await x.policy.list({ action: 'block' }).toArray();
    assert.deepEqual(blocked.map((p) => [p.sel.src, p.dir, p.ptype, p.flags]), [['2001:db8::', 0, 1, 1]]);
    assert.equal((await x.policy.list({ dir: 'out' }).toArray()).length, 1);
    assert.deepEqual(await x.policy.count().then((c) => [c.in, c.out, c.fwd]), [1, 1, 0]);
    await x.policy.update({ sel: { src: '2001:db8::/64', dst: '2001:db8:1::/64' }, dir: 'in', ptype: 'sub', priority: 77 });
    const upd = await x.policy.get({ sel: { src: '2001:db8::/64', dst: '2001:db8:1::/64' }, dir: 'in', ptype: 'sub' });
    assert.equal(upd.priority, 77);
    assert.equal(upd.action, 0);
    await x.policy.delete({ index: upd.index, dir: 'in', ptype: 'sub' });
    assert.equal((await x.policy.list().toArray()).length, 1);
    await x.policy.setHthresh({ hthresh4: { lbits: 20, rbits: 12 } });
    const c = await x.policy.count();
    assert.deepEqual(c.hthresh4, { lbits: 20, rbits: 12 });
    await x.policy.flush();
    assert.deepEqual(await x.policy.list().toArray(), []);
    await assert.rejects(x.policy.get({ index: 1234, dir: 'out' }), (e: Error & { code?: string }) => e.code === 'ENOENT');
  });
});

test('ip xfrm monitor: prints policy, flush and default events as iproute2 does', async (t) => {
  await withNetns(t, async (ns) => {
    const { spawn } = await import('node:child_process');
    const { RIP } = await import('./ip-parity-util.js');
    const start = (cmd: string, args: string[]): { out: () => string; stop: () => Promise<void> } => {
      const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      p.stdout.on('data', (d: Buffer) => { text += d.toString(); });
      p.stderr.on('data', (d: Buffer) => { text += d.toString(); });
      const done = new Promise<void>((r) => p.once('exit', () => r()));
      return { out: () => text, stop: async () => { p.kill('SIGTERM'); await done; } };
    };
    const mons = [start('ip', ['-n', ns.name, 'xfrm', 'monitor']), start(process.execPath, [RIP, 'ip', '-n', ns.name, 'xfrm', 'monitor'])];
    try {
      // Both are listening once both print an event for the probe policy.
      const probe = 'xfrm policy update src 10.255.255.1 dst 10.255.255.2 dir in';
      for (let i = 0; i < 100 && !mons.every((m) => m.out().includes('10.255.255.1')); i++) {
        iproute2(ns, words(probe));
        await new Promise((r) => setTimeout(r, 200));
      }
      iproute2(ns, words('xfrm policy delete src 10.255.255.1 dst 10.255.255.2 dir in'));
      for (const line of [
        'xfrm policy add src 10.0.0.1 dst 10.0.0.2 proto tcp dport 22 dir out tmpl src 1.1.1.1 dst 2.2.2.2 proto esp mode tunnel reqid 4',
        'xfrm policy update src 10.0.0.1 dst 10.0.0.2 proto tcp dport 22 dir out priority 5 mark 3 if_id 9', 'xfrm policy delete src 10.0.0.1 dst 10.0.0.2 proto tcp dport 22 dir out',
        'xfrm policy add src 10.0.0.0/8 dst 10.1.0.0/16 dir in ptype sub action block', 'xfrm policy flush ptype sub', 'xfrm policy setdefault out block', 'xfrm policy setdefault out accept',
        'xfrm policy add src 10.0.0.0/8 dst 10.1.0.0/16 dir fwd', 'xfrm policy flush',
      ]) iproute2(ns, words(line));
      const marker = 'Deleted src 10.255.255.1/32 dst 10.255.255.2/32 \n\tdir in priority 0 ptype main \n';
      const tail = (s: string): string => s.slice(s.lastIndexOf(marker) + marker.length);
      for (let i = 0; i < 50 && !mons.every((m) => tail(m.out()).includes('Flushed policy \n')); i++) await new Promise((r) => setTimeout(r, 100));
      const [want, got] = mons.map((m) => m.out());
      assert.ok(want!.includes(marker) && got!.includes(marker), `${want}\n---\n${got}`);
      assert.equal(tail(got!), tail(want!));
      assert.match(tail(want!), /^src 10\.0\.0\.1\/32 dst 10\.0\.0\.2\/32 proto tcp dport 22 \n\tdir out priority 0 ptype main \n\ttmpl src 1\.1\.1\.1/);
    } finally {
      for (const m of mons) await m.stop();
    }
  });
});

test('Xfrm.monitor: typed policy and flush events', async (t) => {
  await withNetns(t, async (ns) => {
    await using x = await Xfrm.open({ netns: ns.name });
    const ac = new AbortController();
    const seen: string[] = [];
    const it = x.monitor(['policy'], { signal: ac.signal });
    const reader = (async () => {
      for await (const ev of it) {
        if (ev.kind === 'policy') seen.push(`${ev.action} ${ev.policy.sel.src}/${ev.policy.sel.srcPrefixLen} dir ${ev.policy.dir} prio ${ev.policy.priority}`);
        else if (ev.kind === 'flush-policies') seen.push(`flush ${ev.ptype}`);
        if (seen.length === 5) ac.abort();
      }
    })();
    // The subscription starts with the first next(): give it a moment before changing anything.
    await new Promise((r) => setTimeout(r, 200));
    await x.policy.add({ sel: { src: '10.0.0.0/8', dst: '10.1.0.0/16' }, dir: 'in' });
    await x.policy.update({ sel: { src: '10.0.0.0/8', dst: '10.1.0.0/16' }, dir: 'in', priority: 4 });
    await x.policy.delete({ sel: { src: '10.0.0.0/8', dst: '10.1.0.0/16' }, dir: 'in' });
    // The kernel announces a flush only when it removed something.
    await x.policy.add({ sel: { src: '10.2.0.0/16', dst: '10.3.0.0/16' }, dir: 'fwd' });
    await x.policy.flush();
    const timer = setTimeout(() => ac.abort(), 10_000);
    await reader;
    clearTimeout(timer);
    assert.deepEqual(seen, ['new 10.0.0.0/8 dir 0 prio 0', 'update 10.0.0.0/8 dir 0 prio 4', 'delete 10.0.0.0/8 dir 0 prio 4', 'new 10.2.0.0/16 dir 2 prio 0', 'flush 0']);
  });
});
