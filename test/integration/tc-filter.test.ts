/**
 * The filter library against this kernel (u32 and bpf classifiers, mirred
 * action): filters are added, read back typed, changed, fetched one by one
 * and deleted in a throwaway namespace; action statistics are decoded
 * after real traffic through a veth pair between two namespaces, and equal
 * what iproute2 reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, createTestNetns, requireRoot, type TestNetns } from '../helpers/netns.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { isExists } from '../../src/netlink/errors.js';
import { u32, type U32Options } from '../../src/tc/filters/u32.js';
import { mirred, MIRRED_EACTION, type MirredOptions } from '../../src/tc/actions/mirred.js';
import { TC_ACT } from '../../src/tc/action.js';
import { FILTER_PARENT } from '../../src/tc/filter.js';
import { bpf, type BpfOptions } from '../../src/tc/filters/bpf.js';

function veths(ns: TestNetns): void {
  ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ns.ip('link', 'add', 'v2', 'type', 'veth', 'peer', 'name', 'v3');
  for (const d of ['v0', 'v1', 'v2', 'v3']) ns.ip('link', 'set', d, 'up');
  ns.tc('qdisc', 'add', 'dev', 'v0', 'clsact');
}

test('u32 + mirred: add, read back typed, change, get, delete', async (t) => {
  await withNetns(t, async (ns) => {
    veths(ns);
    await using nl = await Netlink.open({ netns: ns.name });
    const v2 = (await nl.link.get('v2')).ifindex;
    await nl.filter.add({
      dev: 'v0', parent: 'ingress', protocol: 'ip', prio: 10, kind: 'u32',
      options: u32({
        match: [{ ip: { dst: '10.1.0.0/16', protocol: 17 } }, { ip: { dport: 53 } }],
        actions: [mirred({ direction: 'egress', mode: 'redirect', ifindex: v2 })],
      }),
    });
    const all = await nl.filter.list({ dev: 'v0', parent: 'ingress' }).toArray();
    // The kernel reports the u32 root, its hash table 800: and our key node 800::800.
    assert.equal(all.length, 3);
    for (const f of all) {
      assert.equal(f.kind, 'u32');
      assert.equal(f.pref, 10);
      assert.equal(f.protocol, 0x0800);
      assert.equal(f.parent, FILTER_PARENT.INGRESS);
      assert.equal(f.chain, 0);
    }
    const node = all.find((f) => f.handle === 0x80000800);
    assert.ok(node, 'filter 800::800');
    const o = node.options as U32Options;
    assert.equal(o.hash, 0x80000000);
    assert.ok(o.sel);
    assert.deepEqual(o.sel.keys.map((k) => [k.off, k.val.toString(16), k.mask.toString(16)]), [
      [16, 'a010000', 'ffff0000'],
      [8, '110000', 'ff0000'],
      [20, '35', 'ffff'],
    ]);
    assert.equal(o.sel.flags & 1, 1, 'terminal');
    const act = o.act?.[0];
    assert.equal(act?.kind, 'mirred');
    const m = act.options as MirredOptions;
    assert.equal(m.parms?.eaction, MIRRED_EACTION.EGRESS_REDIR);
    assert.equal(m.parms?.ifindex, v2);
    assert.equal(m.parms?.action, TC_ACT.STOLEN);
    assert.equal(m.parms?.bindcnt, 1);
    assert.ok(m.parms!.index > 0);
    assert.equal(all.find((f) => f.handle === 0x80000000)?.options !== undefined, true);
    assert.equal((all.find((f) => f.handle === 0x80000000)?.options as U32Options).divisor, 1);

    // The same filter again: EEXIST at the same handle.
    await assert.rejects(nl.filter.add({ dev: 'v0', parent: 'ingress', protocol: 'ip', prio: 10, handle: 0x80000800, kind: 'u32', options: u32({ match: [{ ip: { dport: 53 } }] }) }),
      (e: unknown) => isExists(e));

    // Change the node: the kernel takes new parameters (classid, actions) and keeps the keys.
    await nl.filter.change({ dev: 'v0', parent: 'ingress', protocol: 'ip', prio: 10, handle: 0x80000800, kind: 'u32', options: u32({ match: [{ ip: { dport: 53 } }], classid: '1:7' }) });
    const got = await nl.filter.get({ dev: 'v0', parent: 'ingress', protocol: 'ip', prio: 10, handle: 0x80000800, kind: 'u32' });
    assert.equal(got.handle, 0x80000800);
    const go = got.options as U32Options;
    assert.equal(go.classid, 0x10007);
    assert.equal(go.sel?.keys.length, 3);
    assert.match(ns.tc('filter', 'show', 'dev', 'v0', 'ingress'), /fh 800::800 order 2048 key ht 800 bkt 0 \*flowid 1:7 not_in_hw \n {2}match 0a010000\/ffff0000 at 16/);

    // A second prio on egress; delete by prio; delete everything.
    await nl.filter.add({ dev: 'v0', parent: 'egress', protocol: 'all', prio: 20, kind: 'u32', options: u32({ match: [{ u32: { value: 0, mask: 0 } }], classid: '1:1' }) });
    assert.equal((await nl.filter.list({ dev: 'v0', parent: 'egress' }).toArray()).length, 3);
    await nl.filter.del({ dev: 'v0', parent: 'ingress', prio: 10 });
    assert.equal((await nl.filter.list({ dev: 'v0', parent: 'ingress' }).toArray()).length, 0);
    await nl.filter.del({ dev: 'v0', parent: 'egress' });
    assert.equal((await nl.filter.list({ dev: 'v0', parent: 'egress' }).toArray()).length, 0);
  });
});

test('u32 hash tables: divisor, link, ht, hashkey, offset', async (t) => {
  await withNetns(t, async (ns) => {
    veths(ns);
    await using nl = await Netlink.open({ netns: ns.name });
    // tc's recipe: a 256-bucket table 2:, the root linking into it hashed on the last byte of the destination.
    await nl.filter.add({ dev: 'v0', parent: 'ingress', protocol: 'ip', prio: 5, handle: 0x00200000, kind: 'u32', options: u32({ divisor: 256 }) });
    await nl.filter.add({
      dev: 'v0', parent: 'ingress', protocol: 'ip', prio: 5, kind: 'u32',
      options: u32({ ht: 0x80000000, link: 0x00200000, hashkey: { mask: 0xff, at: 16 }, match: [{ ip: { dst: '10.0.0.0/8' } }], offset: { at: 0, mask: 0x0f00, shift: 6, eat: true } }),
    });
    await nl.filter.add({ dev: 'v0', parent: 'ingress', protocol: 'ip', prio: 5, kind: 'u32', options: u32({ ht: 0x00207000, match: [{ ip: { dst: '10.0.0.7/32' } }], classid: '1:7' }) });
    const fs = await nl.filter.list({ dev: 'v0', parent: 'ingress' }).toArray();
    const table = fs.find((f) => f.handle === 0x00200000);
    assert.equal((table?.options as U32Options).divisor, 256);
    const linker = fs.find((f) => ((f.options as U32Options | undefined)?.link) === 0x00200000);
    assert.ok(linker);
    const lo = linker.options as U32Options;
    assert.equal(lo.sel?.hmask, 0xff);
    assert.equal(lo.sel?.hoff, 16);
    assert.equal(lo.sel?.offmask, 0x0f00);
    assert.equal(lo.sel?.offshift, 6);
    assert.equal(lo.sel?.flags, 4 | 8);
    const leaf = fs.find((f) => (f.handle & 0xfffff000) === 0x00207000);
    assert.ok(leaf, `bucket 7 of table 2: (${fs.map((f) => f.handle.toString(16))})`);
    assert.equal((leaf.options as U32Options).classid, 0x10007);
  });
});

test('bpf (classic bytecode) + mirred: add, read back typed, replace, delete', async (t) => {
  await withNetns(t, async (ns) => {
    veths(ns);
    await using nl = await Netlink.open({ netns: ns.name });
    const v2 = (await nl.link.get('v2')).ifindex;
    // ldh [12]; jeq #0x800 → accept, else drop
    const prog: Array<[number, number, number, number]> = [[0x28, 0, 0, 12], [0x15, 0, 1, 0x800], [6, 0, 0, 0xffffffff], [6, 0, 0, 0]];
    await nl.filter.add({ dev: 'v0', parent: 'ingress', protocol: 'all', prio: 3, handle: 5, kind: 'bpf',
      options: bpf({ bytecode: prog, classid: '1:3', directAction: true, actions: [mirred({ direction: 'ingress', mode: 'mirror', ifindex: v2 })] }) });
    const fs = await nl.filter.list({ dev: 'v0', parent: 'ingress', kind: 'bpf' }).toArray();
    const f = fs.find((x) => x.handle === 5);
    assert.ok(f);
    assert.equal(f.protocol, 3);
    const o = f.options as BpfOptions;
    assert.equal(o.ops_len, 4);
    assert.deepEqual(o.ops?.map((i) => [i.code, i.jt, i.jf, i.k]), prog);
    assert.equal(o.classid, 0x10003);
    assert.equal(o.flags, 1);
    assert.equal((o.act?.[0]?.options as MirredOptions).parms?.eaction, MIRRED_EACTION.INGRESS_MIRROR);
    assert.match(ns.tc('filter', 'show', 'dev', 'v0', 'ingress'), /handle 0x5 flowid 1:3 direct-action not_in_hw bytecode '4,40 0 0 12,21 0 1 2048,6 0 0 4294967295,6 0 0 0'/);
    await nl.filter.replace({ dev: 'v0', parent: 'ingress', protocol: 'all', prio: 3, handle: 5, kind: 'bpf', options: bpf({ bytecode: [[6, 0, 0, 0]] }) });
    const r = (await nl.filter.get({ dev: 'v0', parent: 'ingress', protocol: 'all', prio: 3, handle: 5, kind: 'bpf' })).options as BpfOptions;
    assert.equal(r.ops_len, 1);
    assert.equal(r.classid, undefined);
    assert.equal(r.act, undefined);
    await nl.filter.del({ dev: 'v0', parent: 'ingress', protocol: 'all', prio: 3, handle: 5, kind: 'bpf' });
    assert.equal((await nl.filter.list({ dev: 'v0', parent: 'ingress' }).toArray()).length, 0);
    assert.throws(() => bpf({}), RangeError);
  });
});

test('bad library input is refused before anything is sent', async (t) => {
  await withNetns(t, async (ns) => {
    veths(ns);
    await using nl = await Netlink.open({ netns: ns.name });
    await assert.rejects(nl.filter.add({ dev: 'v0', parent: 'ingress', protocol: 'nosuchproto', kind: 'u32', options: u32({}) }), /invalid protocol/);
    await assert.rejects(nl.filter.add({ dev: 'v0', parent: 'ingress', prio: 70000, kind: 'u32', options: u32({}) }), /invalid prio/);
    await assert.rejects(nl.filter.add({ dev: 'v0', parent: 'ingress' }), /"kind" is required/);
    assert.throws(() => u32({ match: [{ u32: { value: 1, mask: 1, at: 2 } }] }), RangeError);
    assert.throws(() => u32({ match: [{ ip: { dst: '300.1.1.1/8' } }] }), RangeError);
    assert.throws(() => u32({ skipHw: true, skipSw: true }), RangeError);
    assert.equal(ns.tc('filter', 'show', 'dev', 'v0', 'ingress'), '');
  });
});

const UDP_BLAST = `
const s = require('node:dgram').createSocket('udp4');
const buf = Buffer.alloc(100);
let n = 0;
const next = () => { if (n++ === 50) { s.close(); return; } s.send(buf, 9999, '10.9.0.2', (e) => { if (e) throw e; next(); }); };
next();`;

test('action statistics after real traffic through a veth pair', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns();
  const b = createTestNetns();
  try {
    a.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1', 'netns', b.name);
    a.ip('link', 'add', 'm0', 'type', 'veth', 'peer', 'name', 'm1');
    a.ip('address', 'add', '10.9.0.1/24', 'dev', 'veth0');
    b.ip('address', 'add', '10.9.0.2/24', 'dev', 'veth1');
    for (const d of ['veth0', 'm0', 'm1']) a.ip('link', 'set', d, 'up');
    b.ip('link', 'set', 'veth1', 'up');
    const mac = (JSON.parse(b.ip('-j', 'link', 'show', 'dev', 'veth1')) as Array<{ address: string }>)[0]!.address;
    a.ip('neigh', 'add', '10.9.0.2', 'lladdr', mac, 'dev', 'veth0', 'nud', 'permanent');
    await using nl = await Netlink.open({ netns: a.name });
    await nl.qdisc.add({ dev: 'veth0', kind: 'clsact' });
    const m0 = (await nl.link.get('m0')).ifindex;
    // Mirror UDP to 10.9.0.2:9999 leaving veth0 onto m0; everything else is not counted.
    await nl.filter.add({
      dev: 'veth0', parent: 'egress', protocol: 'ip', prio: 1, kind: 'u32',
      options: u32({ match: [{ ip: { dst: '10.9.0.2/32', protocol: 17, dport: 9999 } }], actions: [mirred({ direction: 'egress', mode: 'mirror', ifindex: m0 })] }),
    });
    const blast = a.run(process.execPath, ['-e', UDP_BLAST]);
    assert.equal(blast.status, 0, blast.stderr);
    const f = (await nl.filter.list({ dev: 'veth0', parent: 'egress' }).toArray()).find((x) => (x.options as U32Options | undefined)?.act);
    assert.ok(f);
    const act = (f.options as U32Options).act![0]!;
    assert.ok(act.stats?.basic, 'action statistics');
    assert.equal(act.stats.basic.packets, 50);
    assert.equal(act.stats.basic.bytes, 50n * 142n);
    const tm = (act.options as MirredOptions).tm;
    assert.ok(tm && tm.lastuse >= 0n);
    // iproute2 reads the same counters.
    const text = a.tc('-s', 'filter', 'show', 'dev', 'veth0', 'egress');
    assert.match(text, /Action statistics:\n\tSent 7100 bytes 50 pkt/);
    // The mirror copies reached m0's peer.
    const rx = JSON.parse(a.ip('-s', '-j', 'link', 'show', 'dev', 'm1')) as Array<{ stats64: { rx: { packets: number } } }>;
    assert.ok(rx[0]!.stats64.rx.packets >= 50, `m1 rx ${rx[0]!.stats64.rx.packets}`);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});
