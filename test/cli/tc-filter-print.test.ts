/**
 * Printing parity for every classifier and action, including those this
 * kernel lacks (flower, matchall, basic, fw, gact, police): the messages of
 * test/fixtures/golden/tc-filter.json (iproute2's own requests) plus
 * dump-like messages built with statistics, timestamps and offload flags
 * are saved to a file, and `tc monitor file FILE` of rip and of iproute2
 * must print the same, with -s, -d, -p, -r, -oneline and -iec.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, unlinkSync } from 'node:fs';
import { createTestNetns, requireRoot } from '../helpers/netns.js';
import { readGoldenFile } from '../helpers/golden.js';
import { Writer } from '../../src/netlink/codec/writer.js';
import { NLM_F, RTM } from '../../src/netlink/constants.js';
import { rtRequest } from '../../src/netlink/rtnetlink/request.js';
import { filterMessage, type FilterAttrs } from '../../src/tc/filter.js';
import { flower } from '../../src/tc/filters/flower.js';
import { matchall } from '../../src/tc/filters/matchall.js';
import { gact } from '../../src/tc/actions/gact.js';
import { police } from '../../src/tc/actions/police.js';
import { mirred } from '../../src/tc/actions/mirred.js';
import { TC_ACT, type Action } from '../../src/tc/action.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

function msg(type: number, flags: number, header: { ifindex: number; handle: number; parent: number; info: number }, attrs: FilterAttrs): Buffer {
  const w = new Writer();
  rtRequest(filterMessage, type, flags, { family: 0, ...header }, attrs)(w, 0);
  return Buffer.from(w.buf.subarray(0, w.offset));
}

const stats = { basic: { bytes: 123456n, packets: 789 }, queue: { qlen: 0, backlog: 0, drops: 5, requeues: 0, overlimits: 2 } };
const tm = { install: 12345n, lastuse: 300n, expires: 0n, firstuse: 1000n };

/** An action as the kernel dumps it: bound, counted, timed. */
function dumped(a: Action, index: number): Action {
  const o = a.options as Record<string, unknown>;
  const parmsKey = 'parms' in o ? 'parms' : 'tbf';
  const parms = { ...(o[parmsKey] as Record<string, unknown>), index, refcnt: 1, bindcnt: 1 };
  return { ...a, options: { ...o, [parmsKey]: parms, tm }, stats };
}

/** Dump-like messages: what a full kernel sends back for these filters. */
function synthetic(): Buffer[] {
  const ingress = 0xfffffff2;
  const ip = (prio: number): number => ((prio << 16) | 0x0008) >>> 0;
  return [
    msg(RTM.NEWTFILTER, NLM_F.MULTI, { ifindex: 3, handle: 1, parent: ingress, info: ip(1) }, {
      kind: 'flower', chain: 0,
      options: { ...flower({ ethType: 0x0800, ipProto: 'tcp', dstIp: '10.1.2.0/24', srcIp: '10.9.9.9', dstPort: 443, srcPort: [1024, 65535], ipFlags: { frag: false } }),
        flags: 8, act: [dumped(gact({ control: TC_ACT.SHOT }), 1), dumped(mirred({ direction: 'egress', mode: 'mirror', ifindex: 2 }), 7)] },
    }),
    msg(RTM.NEWTFILTER, NLM_F.MULTI, { ifindex: 3, handle: 2, parent: ingress, info: ((2 << 16) | 0xdd86) >>> 0 }, {
      kind: 'flower', chain: 4,
      options: { ...flower({ ethType: 0x86dd, dstMac: 'aa:bb:cc:00:00:00/24', ipProto: 'icmpv6', dstIp: '2001:db8::/48', classid: '1:10', skipSw: true }),
        flags: 4 | 2, in_hw_count: 1, icmpv6_type: 135, icmpv6_type_mask: 255, ct_state: 10, ct_state_mask: 26, ct_zone: 3, ct_mark: 16, ct_mark_mask: 0xf0 },
    }),
    msg(RTM.NEWTFILTER, NLM_F.MULTI, { ifindex: 3, handle: 1, parent: 0xfffffff3, info: ((3 << 16) | 0x0300) >>> 0 }, {
      kind: 'matchall', chain: 0,
      options: { ...matchall({ actions: [dumped(police({ rate: '10gbit', burst: '1m', peakrate: '20gbit', mtu: '9k', exceed: TC_ACT.SHOT, conform: TC_ACT.PIPE, linklayer: 'atm' }), 3)] }), flags: 8, pcnt: { rhit: 42n } },
    }),
    // The kernel dumps basic with an empty ematch tree (header + empty list).
    msg(RTM.NEWTFILTER, NLM_F.MULTI, { ifindex: 3, handle: 7, parent: ingress, info: ip(5) }, {
      kind: 'basic', chain: 0, options: { classid: 0x10007, ematches: { hdr: { nmatches: 0, progid: 0 }, list: Buffer.alloc(0) }, act: [dumped(gact({ control: TC_ACT.OK }), 2)] },
    }),
    msg(RTM.NEWTFILTER, NLM_F.MULTI, { ifindex: 3, handle: 1, parent: 0xfffffff3, info: ((4 << 16) | 0x0300) >>> 0 }, {
      kind: 'matchall', chain: 0,
      options: { act: [dumped(police({ pktsRate: 1000n, pktsBurst: 100n, exceed: TC_ACT.GOTO_CHAIN | 9 }), 4),
        dumped(gact({ control: TC_ACT.JUMP | 1, random: { type: 'determ', control: TC_ACT.RECLASSIFY, probability: 17 } }), 5)] },
    }),
  ];
}

const OPTS: ReadonlyArray<readonly string[]> = [[], ['-s'], ['-d'], ['-s', '-d'], ['-p'], ['-r'], ['-oneline'], ['-iec', '-s'], ['-j'], ['-s', '-j'], ['-br', '-s']];

test('tc monitor file: rip prints every classifier and action as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const ns = createTestNetns();
  const file = `${process.env.TMPDIR ?? '/tmp'}/rip-tc-filter-print-${process.pid}.bin`;
  try {
    // The fixtures' ifindexes: lo = 1, veth1 = 2, veth0 = 3.
    ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
    const msgs = [...readGoldenFile('tc-filter').map((e) => Buffer.from(e.messages[0]!, 'hex')), ...synthetic()];
    writeFileSync(file, Buffer.concat(msgs.map((b) => { const p = Buffer.alloc((b.length + 3) & ~3); b.copy(p); return p; })));
    for (const o of OPTS) {
      const want = spawnSync('tc', ['-n', ns.name, ...o, 'monitor', 'file', file], { encoding: 'utf8' });
      const got = spawnSync(process.execPath, [RIP, 'tc', '-n', ns.name, ...o, 'monitor', 'file', file], { encoding: 'utf8' });
      const label = `tc ${o.join(' ')} monitor file`;
      assert.equal(got.stdout, want.stdout, `${label}: stdout`);
      assert.equal(got.stderr, want.stderr, `${label}: stderr`);
      assert.equal(got.status, want.status, `${label}: status`);
    }
    // Sanity: the file really exercised the printers.
    const text = spawnSync('tc', ['-n', ns.name, '-s', 'monitor', 'file', file], { encoding: 'utf8' }).stdout;
    for (const s of ['flower', 'eth_type ipv4', 'dst_port 443', 'matchall', 'basic', 'fw handle', ' police 0x3 rate 10Gbit', 'gact action drop', 'Action statistics:', 'ct_state +trk+est-inv']) {
      assert.ok(text.includes(s), `iproute2 output lacks ${JSON.stringify(s)}`);
    }
  } finally {
    try { unlinkSync(file); } catch { /* never written */ }
    ns.cleanup();
  }
});
