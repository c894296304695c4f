/**
 * Integration tests for the tc kinds this machine's kernel lacks (they skip
 * here and run in the full-kernel VM: `npm run test:vm`, or
 * `../shared/kernel-vm/run-in-vm.sh --timeout 1500 -- node --test dist/test/integration/tc-kinds.vm.test.js`).
 *
 * For cake, fq, fq_codel, codel, netem, sfq, prio, red, hfsc, drr and ets:
 * add through the library (options built by the kind's tc(8) parser), read
 * back typed options, change, send traffic through a veth pair and decode
 * the statistics (generic and kind xstats), compare `rip tc` with iproute2's
 * `tc` for text and JSON output on the same state, delete, read back.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Netlink } from '../../src/netlink/netlink.js';
import { qdiscKind, type TcEnv } from '../../src/tc/kind.js';
import '../../src/tc/kinds/index.js';
import type { CakeOptions, CakeXstats } from '../../src/tc/kinds/cake.js';
import type { FqOptions, FqXstats } from '../../src/tc/kinds/fq.js';
import type { FqCodelOptions, FqCodelXstats } from '../../src/tc/kinds/fq_codel.js';
import type { CodelOptions, CodelXstats } from '../../src/tc/kinds/codel.js';
import type { NetemOptions } from '../../src/tc/kinds/netem.js';
import type { SfqOptions } from '../../src/tc/kinds/sfq.js';
import type { PrioOptions } from '../../src/tc/kinds/prio.js';
import type { RedOptions, RedXstats } from '../../src/tc/kinds/red.js';
import type { HfscClassOptions } from '../../src/tc/kinds/hfsc.js';
import type { DrrClassOptions } from '../../src/tc/kinds/drr.js';
import type { EtsOptions, EtsClassOptions } from '../../src/tc/kinds/ets.js';
import { createTestNetns, hasQdisc, requireKernelFeature, type TestNetns } from '../helpers/netns.js';
import { repoRoot } from '../helpers/golden.js';
import { traffic } from './tc-kinds-replies.capture.js';

const env: TcEnv = { ifindex: 0, iec: false, stats: 0, details: 0, raw: false };

/** Codel times are stored in 1024 ns units by the kernel, so µs values come back within 1 µs. */
function near(actual: number | undefined, expected: number): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= 1, `${String(actual)} is not ${expected} ± 1`);
}

function opts(kind: string, line: string): unknown {
  return qdiscKind(kind)!.parse!(line ? line.split(' ') : [], env);
}
function classOpts(kind: string, line: string): unknown {
  return qdiscKind(kind)!.parseClass!(line ? line.split(' ') : [], env);
}

/** Two namespaces joined by veth0 (10.9.0.1, 4 TX queues) — veth1 (10.9.0.2). */
function pair(a: TestNetns, b: TestNetns): void {
  // Nothing but our own traffic may cross veth0 (no IPv6 autoconf/MLD, no ARP),
  // so counters are stable between rip's and tc's dumps.
  for (const ns of [a, b]) ns.run('sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  a.ip('link', 'add', 'veth0', 'numtxqueues', '4', 'numrxqueues', '4', 'type', 'veth', 'peer', 'name', 'veth1', 'netns', b.name);
  a.ip('addr', 'add', '10.9.0.1/24', 'dev', 'veth0');
  b.ip('addr', 'add', '10.9.0.2/24', 'dev', 'veth1');
  a.ip('link', 'set', 'veth0', 'up');
  b.ip('link', 'set', 'veth1', 'up');
  const mac = (ns: TestNetns, dev: string): string => ns.run('cat', [`/sys/class/net/${dev}/address`]).stdout.trim();
  a.ip('neigh', 'replace', '10.9.0.2', 'lladdr', mac(b, 'veth1'), 'dev', 'veth0', 'nud', 'permanent');
  b.ip('neigh', 'replace', '10.9.0.1', 'lladdr', mac(a, 'veth0'), 'dev', 'veth1', 'nud', 'permanent');
}

/** `rip tc` and iproute2's `tc` print the same text and JSON for `args` in `ns`. */
function sameOutput(ns: TestNetns, args: readonly string[]): void {
  for (const j of [[], ['-j']]) {
    const theirs = spawnSync('tc', ['-n', ns.name, ...j, ...args], { encoding: 'utf8' });
    const ours = spawnSync(process.execPath, [path.join(repoRoot(), 'bin', 'rip.js'), 'tc', '-n', ns.name, ...j, ...args], { encoding: 'utf8' });
    assert.equal(theirs.status, 0, theirs.stderr);
    assert.equal(ours.stderr, theirs.stderr, `stderr of tc ${[...j, ...args].join(' ')}`);
    assert.equal(ours.stdout, theirs.stdout, `output of tc ${[...j, ...args].join(' ')}`);
  }
}

interface Case {
  readonly kind: string;
  /** Arguments the kernel needs to accept the kind at all (for the probe). */
  readonly probe?: readonly string[];
  readonly add: string;
  readonly handle?: string;
  check(o: unknown): void;
  readonly change?: string;
  /** The kernel has no change operation for this kind (sfq in 6.1): replace it by a new qdisc (handle 2:). */
  readonly replace?: boolean;
  checkChanged?(o: unknown): void;
  /** Classes to add under handle 1: (classid, options line), and a check of their read-back options. */
  readonly classes?: ReadonlyArray<readonly [string, string]>;
  checkClass?(classid: number, o: unknown): void;
  checkXstats?(x: unknown): void;
}

const CASES: readonly Case[] = [
  {
    kind: 'cake', add: 'bandwidth 100mbit diffserv4 nat wash ack-filter memlimit 32mb fwmark 0xff ethernet rtt 50ms',
    check(o) {
      const c = o as CakeOptions;
      assert.equal(c.bandwidth, 12500000n);
      assert.equal(c.diffserv, 1);
      assert.equal(c.nat, 1);
      assert.equal(c.wash, 1);
      assert.equal(c.ack_filter, 1);
      assert.equal(c.memlimit, 32 << 20);
      assert.equal(c.fwmark, 0xff);
      assert.equal(c.overhead, 38);
      assert.equal(c.mpu, 84);
      assert.equal(c.rtt, 50000);
    },
    change: 'bandwidth 20mbit besteffort',
    checkChanged(o) {
      const c = o as CakeOptions;
      assert.equal(c.bandwidth, 2500000n);
      assert.equal(c.diffserv, 3);
    },
    checkXstats(x) {
      const s = x as CakeXstats;
      assert.equal(s.tins?.length, 1, 'besteffort has one tin');
      assert.ok((s.tins![0]!.sent_packets ?? 0) > 0, 'tin 0 sent packets');
      assert.ok((s.memory_limit ?? 0) > 0);
    },
  },
  {
    kind: 'fq', add: 'limit 1000 flow_limit 50 quantum 3028 maxrate 100mbit buckets 2048 ce_threshold 5ms horizon 5s horizon_drop',
    check(o) {
      const f = o as FqOptions;
      assert.equal(f.limit, 1000);
      assert.equal(f.flow_limit, 50);
      assert.equal(f.quantum, 3028);
      assert.equal(f.maxrate, 12500000);
      assert.equal(f.buckets_log, 11);
      assert.equal(f.ce_threshold, 5000);
      assert.equal(f.horizon, 5000000);
      assert.equal(f.horizon_drop, 1);
    },
    change: 'limit 2000 nopacing',
    checkChanged(o) {
      assert.equal((o as FqOptions).limit, 2000);
      assert.equal((o as FqOptions).pacing, 0);
    },
    checkXstats(x) {
      const s = x as FqXstats;
      assert.equal(typeof s.gc_flows, 'bigint');
      assert.ok(s.flows >= 1, 'fq saw a flow');
    },
  },
  {
    kind: 'fq_codel', add: 'limit 1000 flows 512 target 3ms interval 50ms quantum 1514 ecn memory_limit 16mb drop_batch 32',
    check(o) {
      const f = o as FqCodelOptions;
      assert.equal(f.limit, 1000);
      assert.equal(f.flows, 512);
      near(f.target, 3000);
      near(f.interval, 50000);
      assert.equal(f.quantum, 1514);
      assert.equal(f.ecn, 1);
      assert.equal(f.memory_limit, 16 << 20);
      assert.equal(f.drop_batch, 32);
    },
    change: 'target 10ms noecn',
    checkChanged(o) {
      near((o as FqCodelOptions).target, 10000);
      assert.equal((o as FqCodelOptions).ecn, 0);
    },
    checkXstats(x) {
      const s = x as FqCodelXstats;
      // The qdisc variant of tc_fq_codel_xstats (values are compared with tc's output below;
      // on an uncongested veth the kernel leaves maxpacket at 0).
      assert.equal(s.type, 'qdisc');
      if (s.type === 'qdisc') assert.equal(s.drop_overlimit, 0);
    },
  },
  {
    kind: 'codel', add: 'limit 500 target 3ms interval 50ms ecn ce_threshold 2ms',
    check(o) {
      const c = o as CodelOptions;
      assert.equal(c.limit, 500);
      assert.equal(c.ecn, 1);
      near(c.target, 3000);
      near(c.interval, 50000);
      near(c.ce_threshold, 2000);
    },
    change: 'limit 800',
    checkChanged(o) { assert.equal((o as CodelOptions).limit, 800); },
    checkXstats(x) {
      const s = x as CodelXstats;
      assert.equal(s.dropping, 0);
      assert.equal(typeof s.ldelay, 'number');
    },
  },
  {
    kind: 'netem', add: 'delay 2ms 1ms 25% distribution normal loss 1% 25% duplicate 1% corrupt 0.1% reorder 25% 50% rate 100mbit',
    check(o) {
      const n = o as NetemOptions;
      assert.equal(n.header.limit, 1000);
      assert.ok(n.header.latency > 0 && n.header.jitter > 0);
      assert.equal(n.header.loss, Math.round(0.01 * 0xffffffff));
      assert.ok(n.attrs.corr && n.attrs.reorder && n.attrs.corrupt && n.attrs.rate);
      assert.equal(n.attrs.rate!.rate, 12500000);
    },
    change: 'loss state 1% 10% ecn',
    checkChanged(o) {
      const n = o as NetemOptions;
      assert.ok(n.attrs.loss?.state, 'gi model');
      assert.equal(n.attrs.ecn, 1);
    },
  },
  {
    kind: 'sfq', add: 'perturb 10 quantum 1514 limit 64 divisor 1024 flows 64 depth 64 headdrop',
    check(o) {
      const s = o as SfqOptions;
      assert.equal(s.perturb_period, 10);
      assert.equal(s.quantum, 1514);
      assert.equal(s.limit, 64);
      assert.equal(s.divisor, 1024);
      assert.equal(s.depth, 64);
      assert.equal(s.headdrop, 1);
    },
    change: 'limit 100 redflowlimit 100000 min 8000 max 60000 probability 0.2 ecn',
    replace: true,
    checkChanged(o) {
      const s = o as SfqOptions;
      assert.equal(s.qth_min, 8000);
      assert.equal(s.qth_max, 60000);
      assert.equal(s.flags & 1, 1);
    },
  },
  {
    kind: 'prio', handle: '1:', add: 'bands 4 priomap 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3',
    check(o) {
      const p = o as PrioOptions;
      assert.equal(p.header.bands, 4);
      assert.deepEqual(p.header.priomap, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    },
    change: 'bands 3',
    checkChanged(o) { assert.equal((o as PrioOptions).header.bands, 3); },
  },
  {
    kind: 'red', probe: ['limit', '400000', 'avpkt', '1000'], add: 'limit 400000 min 30000 max 90000 avpkt 1000 burst 55 bandwidth 10mbit probability 0.02 ecn adaptive',
    check(o) {
      const r = o as RedOptions;
      assert.equal(r.parms?.limit, 400000);
      assert.equal(r.parms?.qth_min, 30000);
      assert.equal(r.parms?.qth_max, 90000);
      assert.equal((r.flags?.value ?? r.parms!.flags) & 5, 5);
    },
    change: 'limit 500000 min 30000 max 90000 avpkt 1000 harddrop',
    checkChanged(o) { assert.equal((o as RedOptions).parms?.limit, 500000); },
    checkXstats(x) { assert.equal(typeof (x as RedXstats).early, 'number'); },
  },
  {
    kind: 'hfsc', handle: '1:', add: 'default 10',
    check(o) { assert.equal((o as { defcls: number }).defcls, 0x10); },
    classes: [['1:10', 'sc rate 1mbit ul rate 2mbit'], ['1:20', 'rt m1 10mbit d 10ms m2 1mbit ls rate 2mbit']],
    checkClass(id, o) {
      const c = o as HfscClassOptions;
      if (id === 0x10010) {
        assert.equal(c.rt?.m2, 125000);
        assert.equal(c.ls?.m2, 125000);
        assert.equal(c.ul?.m2, 250000);
      } else {
        assert.equal(c.rt?.m1, 1250000);
        assert.equal(c.ls?.m2, 250000);
      }
    },
  },
  {
    kind: 'drr', handle: '1:', add: '',
    check(o) { assert.equal(o, undefined); },
    classes: [['1:1', 'quantum 1500'], ['1:2', '']],
    checkClass(id, o) {
      const c = o as DrrClassOptions;
      assert.equal(c.quantum, id === 0x10001 ? 1500 : c.quantum);
      assert.ok((c.quantum ?? 0) > 0);
    },
  },
  {
    kind: 'ets', probe: ['bands', '2'], handle: '1:', add: 'bands 4 strict 1 quanta 1500 3000 priomap 3 2 1 0',
    check(o) {
      const e = o as EtsOptions;
      assert.equal(e.bands, 4);
      assert.equal(e.strict, 1);
      assert.deepEqual(e.quanta?.band, [1500, 3000, 1514]);
      assert.deepEqual(e.priomap?.band?.slice(0, 4), [3, 2, 1, 0]);
    },
    classes: [['1:3', 'quantum 1000']],
    checkClass(id, o) { if (id === 0x10003) assert.equal((o as EtsClassOptions).quantum, 1000); },
  },
];

for (const c of CASES) {
  test(`tc kind ${c.kind}: add, read back, change, traffic + stats, output parity, delete`, async (t) => {
    if (!requireKernelFeature(t, () => hasQdisc(c.kind, c.probe), `the ${c.kind} qdisc`)) return;
    const a = createTestNetns('rip-kinds');
    const b = createTestNetns('rip-kinds');
    try {
      pair(a, b);
      await using nl = await Netlink.open({ netns: a.name });
      const handle = c.handle ?? '1:';
      await nl.qdisc.add({ dev: 'veth0', kind: c.kind, handle, options: opts(c.kind, c.add) as never });
      const q = (await nl.qdisc.list({ dev: 'veth0' }).toArray()).find((x) => x.kind === c.kind);
      assert.ok(q, `${c.kind} qdisc listed`);
      c.check(q.options);
      for (const [classid, line] of c.classes ?? []) {
        const verb = c.kind === 'ets' ? 'change' : 'add';
        await nl.class[verb]({ dev: 'veth0', kind: c.kind, parent: handle, classid, options: classOpts(c.kind, line) as never });
      }
      if (c.classes) {
        const classes = await nl.class.list({ dev: 'veth0' }).toArray();
        for (const [classid] of c.classes) {
          const cl = classes.find((x) => x.classid === parseInt(classid.split(':')[0]!, 16) * 65536 + parseInt(classid.split(':')[1]!, 16));
          assert.ok(cl, `class ${classid} listed`);
          c.checkClass?.(cl.classid, cl.options);
        }
      }
      if (c.change !== undefined) {
        if (c.replace) await nl.qdisc.replace({ dev: 'veth0', kind: c.kind, parent: 'root', handle: '2:', options: opts(c.kind, c.change) as never });
        else await nl.qdisc.change({ dev: 'veth0', kind: c.kind, handle, options: opts(c.kind, c.change) as never });
        const q2 = (await nl.qdisc.list({ dev: 'veth0' }).toArray()).find((x) => x.kind === c.kind);
        c.checkChanged?.(q2!.options);
      }
      traffic(a, 200);
      const q3 = (await nl.qdisc.list({ dev: 'veth0' }).toArray()).find((x) => x.kind === c.kind)!;
      assert.ok(q3.stats, 'generic statistics');
      if (c.kind !== 'netem' && c.kind !== 'drr' && c.kind !== 'hfsc') assert.ok(q3.stats.packets > 0n, `${c.kind} counted packets`);
      if (c.checkXstats) c.checkXstats(q3.xstats);
      sameOutput(a, ['qdisc', 'show', 'dev', 'veth0']);
      sameOutput(a, ['-s', '-d', 'qdisc', 'show', 'dev', 'veth0']);
      if (c.classes) sameOutput(a, ['-s', '-d', 'class', 'show', 'dev', 'veth0']);
      await nl.qdisc.del({ dev: 'veth0', parent: 'root' });
      const left = (await nl.qdisc.list({ dev: 'veth0' }).toArray()).filter((x) => x.kind === c.kind);
      assert.equal(left.length, 0, `${c.kind} deleted`);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
}
