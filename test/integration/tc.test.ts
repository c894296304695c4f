/**
 * The qdisc/class library against this kernel: htb, tbf, the fifo family,
 * ingress and clsact are added, read back typed, changed and deleted in a
 * throwaway namespace; statistics are decoded after real traffic through a
 * veth pair between two namespaces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, createTestNetns, requireRoot, type TestNetns } from '../helpers/netns.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { isNotFound, isExists } from '../../src/netlink/errors.js';
import { htbQdisc, htbClass, type HtbOptions, type HtbXstats } from '../../src/tc/kinds/htb.js';
import { tbfOptions, type TbfOptions } from '../../src/tc/kinds/tbf.js';
import type { FifoOptions } from '../../src/tc/kinds/fifo.js';
import type { PrioOptions } from '../../src/tc/kinds/pfifo_fast.js';
import { TC_H } from '../../src/tc/handle.js';
import { psched } from '../../src/tc/psched.js';

const UDP_BLAST = `
const s = require('node:dgram').createSocket('udp4');
const buf = Buffer.alloc(100);
let n = 0;
const next = () => { if (n++ === 200) { s.close(); return; } s.send(buf, 9999, '10.9.0.2', (e) => { if (e) throw e; next(); }); };
next();`;

function vethNs(ns: TestNetns): void {
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  ns.ip('link', 'set', 'veth0', 'up');
  ns.ip('link', 'set', 'veth1', 'up');
}

test('htb qdisc and classes: add, read back typed, change, delete', async (t) => {
  await withNetns(t, async (ns) => {
    vethNs(ns);
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.qdisc.add({ dev: 'veth0', parent: 'root', handle: '1:', kind: 'htb', options: htbQdisc({ default: 0x10, r2q: 5, directQlen: 100 }) });
    const q = await nl.qdisc.get({ dev: 'veth0', parent: 'root' });
    assert.ok(q);
    assert.equal(q.kind, 'htb');
    assert.equal(q.handle, 0x10000);
    assert.equal(q.parent, TC_H.ROOT);
    const qo = q.options as HtbOptions;
    assert.equal(qo.init?.defcls, 0x10);
    assert.equal(qo.init?.rate2quantum, 5);
    assert.equal(qo.direct_qlen, 100);
    // direct_packets_stat counts stray IPv6 packets (MLD, RS) sent while the link is up.
    assert.match(ns.tc('qdisc', 'show', 'dev', 'veth0'), /qdisc htb 1: root refcnt \d+ r2q 5 default 0x10 direct_packets_stat \d+ direct_qlen 100/);

    await nl.class.add({ dev: 'veth0', parent: '1:', classid: '1:1', kind: 'htb', options: htbClass({ rate: '10mbit', ceil: '20mbit' }) });
    await nl.class.add({ dev: 'veth0', parent: '1:1', classid: '1:10', kind: 'htb', options: htbClass({ rate: 5_000_000n / 8n, ceil: '10mbit', prio: 2, quantum: 1500 }) });
    const classes = await nl.class.list({ dev: 'veth0' }).toArray();
    assert.deepEqual(classes.map((c) => c.classid).sort(), [0x10001, 0x10010]);
    const c10 = classes.find((c) => c.classid === 0x10010)!;
    assert.equal(c10.parent, 0x10001);
    const o10 = c10.options as HtbOptions;
    assert.equal(o10.parms?.rate.rate, 625000);
    assert.equal(o10.parms?.ceil.rate, 1250000);
    assert.equal(o10.parms?.prio, 2);
    assert.equal(o10.parms?.quantum, 1500);
    assert.equal(o10.parms?.level, 0);
    // The burst tc computes: rate/HZ + mtu bytes, in ticks.
    assert.equal(psched().xmitsize(625000n, o10.parms!.buffer), 1600);
    assert.match(ns.tc('class', 'show', 'dev', 'veth0', 'classid', '1:10'), /class htb 1:10 parent 1:1 prio 2 rate 5Mbit ceil 10Mbit burst 1600b cburst 1600b/);
    const x = c10.xstats as HtbXstats;
    assert.equal(typeof x.tokens, 'number');
    assert.equal(x.lends, 0);

    await nl.class.change({ dev: 'veth0', parent: '1:1', classid: '1:10', kind: 'htb', options: htbClass({ rate: '7mbit', ceil: '9mbit', prio: 3 }) });
    const changed = await nl.class.get({ dev: 'veth0', classid: '1:10' });
    assert.equal((changed?.options as HtbOptions).parms?.rate.rate, 875000);
    assert.equal((changed?.options as HtbOptions).parms?.prio, 3);

    await assert.rejects(nl.class.add({ dev: 'veth0', parent: '1:', classid: '1:1', kind: 'htb', options: htbClass({ rate: '1mbit' }) }), isExists);
    await nl.class.del({ dev: 'veth0', classid: '1:10' });
    assert.deepEqual((await nl.class.list({ dev: 'veth0' }).toArray()).map((c) => c.classid), [0x10001]);
    await assert.rejects(nl.class.del({ dev: 'veth0', classid: '1:10' }), isNotFound);

    // This kernel's htb has no qdisc change operation: the kernel's refusal surfaces with its extack.
    await assert.rejects(nl.qdisc.change({ dev: 'veth0', parent: 'root', handle: '1:', kind: 'htb', options: htbQdisc({ default: 0x20 }) }),
      (e: Error) => /Change operation not supported/.test(e.message));
    await nl.qdisc.del({ dev: 'veth0', parent: 'root' });
    assert.notEqual((await nl.qdisc.get({ dev: 'veth0', parent: 'root' }))?.kind, 'htb');
  });
});

test('tbf: add, read back, replace, change, delete', async (t) => {
  await withNetns(t, async (ns) => {
    vethNs(ns);
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.qdisc.add({ dev: 'veth0', handle: '5:', kind: 'tbf', options: tbfOptions({ rate: '1mbit', burst: '10k', latency: '50ms', peakrate: '2mbit', mtu: 1600 }) });
    const q = await nl.qdisc.get({ dev: 'veth0', handle: '5:' });
    const o = q?.options as TbfOptions;
    assert.equal(q?.kind, 'tbf');
    assert.equal(o.parms?.rate.rate, 125000);
    assert.equal(o.parms?.peakrate.rate, 250000);
    assert.equal(psched().xmitsize(125000n, o.parms!.buffer), 10240);
    assert.equal(o.parms?.limit, 10240 + 6250 - (10240 + 6250 - (250000 * 0.05 + 1600)));
    assert.match(ns.tc('qdisc', 'show', 'dev', 'veth0'), /qdisc tbf 5: root refcnt \d+ rate 1Mbit burst 10Kb peakrate 2Mbit minburst 1600b lat 50ms/);
    await nl.qdisc.replace({ dev: 'veth0', handle: '5:', kind: 'tbf', options: tbfOptions({ rate: '40gbit', burst: '4mb', limit: 100000 }) });
    const r = (await nl.qdisc.get({ dev: 'veth0', handle: '5:' }))?.options as TbfOptions;
    assert.equal(r.rate64, 5_000_000_000n);
    assert.equal(r.parms?.limit, 100000);
    await nl.qdisc.change({ dev: 'veth0', handle: '5:', kind: 'tbf', options: tbfOptions({ rate: '3mbit', burst: '20k', latency: '10ms' }) });
    assert.equal(((await nl.qdisc.get({ dev: 'veth0', handle: '5:' }))?.options as TbfOptions).parms?.rate.rate, 375000);
    await nl.qdisc.del({ dev: 'veth0', parent: 'root' });
    assert.equal(await nl.qdisc.get({ dev: 'veth0', handle: '5:' }), undefined);
  });
});

test('fifo family, pfifo_fast, noqueue, ingress, clsact', async (t) => {
  await withNetns(t, async (ns) => {
    vethNs(ns);
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.qdisc.add({ dev: 'veth0', parent: 'root', handle: '1:', kind: 'pfifo', options: { limit: 100 } });
    assert.deepEqual((await nl.qdisc.get({ dev: 'veth0', handle: '1:' }))?.options as FifoOptions, { limit: 100 });
    await nl.qdisc.replace({ dev: 'veth0', parent: 'root', handle: '2:', kind: 'bfifo', options: { limit: 10240 } });
    const b = await nl.qdisc.get({ dev: 'veth0', handle: '2:' });
    assert.equal(b?.kind, 'bfifo');
    assert.deepEqual(b?.options, { limit: 10240 });
    assert.match(ns.tc('qdisc', 'show', 'dev', 'veth0'), /qdisc bfifo 2: root refcnt \d+ limit 10Kb/);
    await nl.qdisc.del({ dev: 'veth0', parent: 'root' });

    await nl.qdisc.add({ dev: 'veth0', parent: 'root', kind: 'pfifo_fast' });
    const pf = await nl.qdisc.get({ dev: 'veth0', parent: 'root' });
    assert.equal(pf?.kind, 'pfifo_fast');
    assert.equal((pf?.options as PrioOptions).bands, 3);
    assert.deepEqual([...(pf?.options as PrioOptions).priomap], [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    await nl.qdisc.replace({ dev: 'veth0', parent: 'root', kind: 'noqueue' });
    assert.equal((await nl.qdisc.get({ dev: 'veth0', parent: 'root' }))?.kind, 'noqueue');

    await nl.qdisc.add({ dev: 'veth0', kind: 'ingress' });
    const ing = await nl.qdisc.get({ dev: 'veth0', parent: 'ingress' });
    assert.equal(ing?.kind, 'ingress');
    assert.equal(ing?.handle, 0xffff0000);
    assert.equal(ing?.parent, TC_H.INGRESS);
    await nl.qdisc.del({ dev: 'veth0', kind: 'ingress' });
    await nl.qdisc.add({ dev: 'veth1', kind: 'clsact' });
    assert.equal((await nl.qdisc.get({ dev: 'veth1', parent: 'clsact' }))?.kind, 'clsact');
    await assert.rejects(nl.qdisc.add({ dev: 'veth1', kind: 'clsact' }), isExists);
    await nl.qdisc.del({ dev: 'veth1', parent: 'clsact' });
    assert.equal(await nl.qdisc.get({ dev: 'veth1', parent: 'clsact' }), undefined);
  });
});

test('statistics after real traffic between two namespaces', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns();
  const b = createTestNetns();
  try {
    a.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1', 'netns', b.name);
    a.ip('address', 'add', '10.9.0.1/24', 'dev', 'veth0');
    b.ip('address', 'add', '10.9.0.2/24', 'dev', 'veth1');
    a.ip('link', 'set', 'veth0', 'up');
    b.ip('link', 'set', 'veth1', 'up');
    await using nl = await Netlink.open({ netns: a.name });
    await using nlb = await Netlink.open({ netns: b.name });
    await nl.qdisc.add({ dev: 'veth0', parent: 'root', handle: '1:', kind: 'htb', options: htbQdisc({ default: 0x10 }) });
    await nl.class.add({ dev: 'veth0', parent: '1:', classid: '1:10', kind: 'htb', options: htbClass({ rate: '100mbit' }) });
    await nl.qdisc.add({ dev: 'veth0', parent: '1:10', handle: '10:', kind: 'pfifo', options: { limit: 1000 } });
    await nlb.qdisc.add({ dev: 'veth1', kind: 'ingress' });
    // 200 UDP datagrams of 100 bytes (142 on the wire), sent from inside namespace a.
    const blast = a.run(process.execPath, ['-e', UDP_BLAST]);
    assert.equal(blast.status, 0, blast.stderr);

    const root = await nl.qdisc.get({ dev: 'veth0', handle: '1:' });
    assert.ok(root?.stats);
    assert.ok(root.stats.packets >= 200n, `root packets ${root.stats.packets}`);
    assert.ok(root.stats.bytes >= 200n * 142n, `root bytes ${root.stats.bytes}`);
    const leaf = await nl.qdisc.get({ dev: 'veth0', handle: '10:' });
    assert.ok(leaf?.stats && leaf.stats.packets >= 200n);
    assert.equal(leaf.parent, 0x10010);
    const cls = await nl.class.get({ dev: 'veth0', classid: '1:10' });
    assert.ok(cls?.stats && cls.stats.packets >= 200n, `class packets ${cls?.stats?.packets}`);
    assert.equal(cls.leaf, 0x100000);
    const x = cls.xstats as HtbXstats;
    assert.equal(typeof x.ctokens, 'number');
    // The peer's ingress qdisc reports (zero: without filters the kernel does not count) statistics.
    const ing = await nlb.qdisc.get({ dev: 'veth1', parent: 'ingress' });
    assert.equal(ing?.stats?.drops, 0);
    // And the numbers are iproute2's.
    const text = a.tc('-s', 'class', 'show', 'dev', 'veth0', 'classid', '1:10');
    const m = /Sent (\d+) bytes (\d+) pkt/.exec(text);
    assert.ok(m);
    assert.equal(BigInt(m[1]!), cls.stats.bytes);
    assert.equal(BigInt(m[2]!), cls.stats.packets);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('validation: nothing is sent for bad library input', async (t) => {
  await withNetns(t, async (ns) => {
    vethNs(ns);
    await using nl = await Netlink.open({ netns: ns.name });
    const before = ns.tc('qdisc', 'show');
    await assert.rejects(nl.qdisc.add({ dev: 'veth0', handle: '1:x', kind: 'htb' }), /invalid handle/);
    await assert.rejects(nl.qdisc.add({ dev: 'veth0', kind: 'nosuchkind', options: { a: 1 } }), /no options schema/);
    assert.throws(() => htbClass({ rate: '10 mbit' }), RangeError);
    assert.throws(() => tbfOptions({ rate: '1mbit', burst: '10k' }), /limit.*latency/);
    assert.equal(ns.tc('qdisc', 'show'), before);
  });
});

test('tcMonitor: typed qdisc and class events', async (t) => {
  await withNetns(t, async (ns) => {
    vethNs(ns);
    const { tcMonitor } = await import('../../src/tc/monitor.js');
    const ac = new AbortController();
    const events: string[] = [];
    const done = (async () => {
      for await (const ev of tcMonitor({ netns: ns.name, signal: ac.signal })) {
        if (ev.type === 'qdisc') events.push(`${ev.action} qdisc ${ev.qdisc.kind} ${ev.qdisc.handle.toString(16)}`);
        else if (ev.type === 'class') events.push(`${ev.action} class ${ev.tclass.kind} ${ev.tclass.classid.toString(16)} ${(ev.tclass.options as HtbOptions).parms?.rate.rate}`);
        if (events[events.length - 1] === 'del qdisc htb 10000') ac.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.qdisc.add({ dev: 'veth0', parent: 'root', handle: '1:', kind: 'htb', options: htbQdisc() });
    await nl.class.add({ dev: 'veth0', parent: '1:', classid: '1:5', kind: 'htb', options: htbClass({ rate: '1mbit' }) });
    await nl.class.del({ dev: 'veth0', classid: '1:5' });
    await nl.qdisc.del({ dev: 'veth0', parent: 'root' });
    const timer = setTimeout(() => ac.abort(), 5000);
    await done;
    clearTimeout(timer);
    // The kernel also reports the default qdiscs that the htb replaced and that come back after it.
    assert.deepEqual(events.filter((e) => e.includes('htb')), ['new qdisc htb 10000', 'new class htb 10005 125000', 'del class htb 10005 125000', 'del qdisc htb 10000']);
  });
});
