/**
 * Capture kernel replies and iproute2's output for the tc kinds this
 * machine's kernel lacks, for test/unit/tc-kinds-print.test.ts. Run it as
 * root in the full-kernel VM (it is not a test; nothing runs it implicitly):
 *
 * ```
 * npx tsc -p tsconfig.json
 * ../shared/kernel-vm/run-in-vm.sh --timeout 1500 -- node dist/test/integration/tc-kinds-replies.capture.js
 * ```
 *
 * For each scenario: two namespaces joined by a veth pair (veth0 with 4 TX
 * queues, 10.9.0.1/24; veth1, 10.9.0.2/24), the qdisc/class commands, ping
 * traffic through veth0's root qdisc, then for each show command: its text
 * output, its JSON output (-j), and the RTM_NEWQDISC/RTM_NEWTCLASS replies
 * tc received while printing each (strace -e read=all of recvmsg), so the
 * unit test can print the same messages and compare.
 * Writes test/fixtures/golden/tc-kinds-replies.json.
 * @module
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestNetns, type TestNetns } from '../helpers/netns.js';
import { goldenPath, splitMessages } from '../helpers/golden.js';

/** One captured show command. */
export interface ReplyCapture {
  readonly scenario: string;
  readonly setup: readonly string[];
  /** The show command's arguments after `tc` (without -j). */
  readonly show: readonly string[];
  readonly ifindex: number;
  readonly text: string;
  readonly json: string;
  /** Hex of each RTM_NEWQDISC / RTM_NEWTCLASS reply of the text run. */
  readonly textReplies: readonly string[];
  /** The same for the JSON run. */
  readonly jsonReplies: readonly string[];
}

const SCENARIOS: ReadonlyArray<readonly [string, readonly string[], boolean]> = [
  ['cake-default', ['qdisc add dev veth0 root cake'], false],
  ['cake-full', ['qdisc add dev veth0 root cake bandwidth 100mbit diffserv4 nat wash ack-filter memlimit 32mb fwmark 0xff ethernet rtt 50ms dual-dsthost split-gso'], false],
  ['cake-ptm', ['qdisc add dev veth0 root cake unlimited besteffort ptm overhead 30 mpu 64 ingress ack-filter-aggressive no-split-gso'], false],
  ['cake-diffserv3-raw', ['qdisc add dev veth0 root cake bandwidth 1gbit diffserv3 raw autorate-ingress satellite'], false],
  ['cake-diffserv8', ['qdisc add dev veth0 root cake bandwidth 50mbit diffserv8 conservative flows'], false],
  ['fq-full', ['qdisc add dev veth0 root fq limit 1000 flow_limit 50 quantum 3028 initial_quantum 15140 maxrate 100mbit buckets 2048 orphan_mask 511 refill_delay 40ms low_rate_threshold 550kbit ce_threshold 5ms timer_slack 20us horizon 5s horizon_drop'], false],
  ['fq-nopacing', ['qdisc add dev veth0 root fq nopacing horizon_cap'], false],
  ['fq_codel-full', ['qdisc add dev veth0 root fq_codel limit 1000 flows 512 target 3ms interval 50ms quantum 1514 ecn ce_threshold 2ms memory_limit 16mb drop_batch 32'], false],
  ['fq_codel-selector', ['qdisc add dev veth0 root handle 1: fq_codel noecn ce_threshold 1ms ce_threshold_selector 0x1/0x3'], true],
  ['codel', ['qdisc add dev veth0 root codel limit 500 target 3ms interval 50ms ecn ce_threshold 2ms'], false],
  ['netem-delay', ['qdisc add dev veth0 root netem delay 10ms 2ms 25% distribution normal loss 1% 25% duplicate 1% corrupt 0.1% reorder 25% 50% rate 100mbit 20 100 5'], false],
  ['netem-state', ['qdisc add dev veth0 root netem loss state 1% 10% 20% 5% 1% ecn slot 800us 1ms packets 32 bytes 64000'], false],
  ['netem-gemodel', ['qdisc add dev veth0 root netem loss gemodel 1% 10% 70% 0.1% delay 1ms'], false],
  ['netem-slotdist', ['qdisc add dev veth0 root netem slot distribution pareto 1ms 200us packets 10 delay 5ms 1ms distribution paretonormal limit 2000'], false],
  ['sfq', ['qdisc add dev veth0 root sfq perturb 10 quantum 1514 limit 64 divisor 1024 flows 64 depth 64 headdrop'], false],
  ['sfq-red', ['qdisc add dev veth0 root sfq limit 100 redflowlimit 100000 min 8000 max 60000 probability 0.2 ecn harddrop'], false],
  ['red', ['qdisc add dev veth0 root red limit 400000 min 30000 max 90000 avpkt 1000 burst 55 bandwidth 10mbit probability 0.02 ecn adaptive'], false],
  ['red-nodrop', ['qdisc add dev veth0 root red limit 400000 avpkt 1000 harddrop nodrop'], false],
  ['prio', ['qdisc add dev veth0 root handle 1: prio bands 4 priomap 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3'], true],
  ['prio-mq', ['qdisc add dev veth0 root handle 1: prio bands 4 multiqueue'], true],
  ['hfsc', [
    'qdisc add dev veth0 root handle 1: hfsc default 10',
    'class add dev veth0 parent 1: classid 1:10 hfsc sc rate 1mbit ul rate 2mbit',
    'class add dev veth0 parent 1: classid 1:20 hfsc rt m1 10mbit d 10ms m2 1mbit ls rate 2mbit',
    'class add dev veth0 parent 1: classid 1:30 hfsc ls umax 1500b dmax 20ms rate 5mbit',
  ], true],
  ['drr', ['qdisc add dev veth0 root handle 1: drr', 'class add dev veth0 parent 1: classid 1:1 drr quantum 1500', 'class add dev veth0 parent 1: classid 1:2 drr'], true],
  ['qfq', ['qdisc add dev veth0 root handle 1: qfq', 'class add dev veth0 parent 1: classid 1:1 qfq weight 10 maxpkt 2000'], true],
  ['ets', ['qdisc add dev veth0 root handle 1: ets bands 4 strict 1 quanta 1500 3000 priomap 3 2 1 0', 'class change dev veth0 classid 1:3 ets quantum 1000'], true],
  ['multiq', ['qdisc add dev veth0 root handle 1: multiq'], true],
  ['mqprio', ['qdisc add dev veth0 root handle 1: mqprio num_tc 2 map 0 0 0 0 1 1 1 1 queues 2@0 2@2 hw 0'], true],
  ['taprio', ['qdisc add dev veth0 root handle 1: taprio num_tc 2 map 0 1 queues 1@0 1@1 base-time 0 sched-entry S 03 500000 sched-entry S 01 500000 clockid CLOCK_TAI'], false],
  ['pfifo_head_drop', ['qdisc add dev veth0 root pfifo_head_drop limit 100'], false],
  ['mq', ['qdisc add dev veth0 root handle 1: mq'], true],
];

/** Parse strace `-e read=all` dumps of recvmsg calls into the received buffers. */
function parseRecvDump(text: string): Buffer[] {
  const out: Buffer[] = [];
  let cur: number[] | null = null;
  const flush = (): void => { if (cur && cur.length) out.push(Buffer.from(cur)); cur = null; };
  for (const line of text.split('\n')) {
    const dump = /^ \| [0-9a-f]{5}  ((?:[0-9a-f]{2} {1,2}){1,16})/.exec(line);
    if (dump) {
      if (cur) for (const h of dump[1]!.trim().split(/\s+/)) cur.push(parseInt(h, 16));
      continue;
    }
    if (/^ \* \d+ bytes in buffer/.test(line)) continue;
    if (/^(\d+\s+)?recvmsg\(/.test(line)) { flush(); cur = /MSG_PEEK/.test(line) ? null : []; continue; }
    if (line.trim()) flush();
  }
  flush();
  return out;
}

/** Send 200 UDP datagrams from veth0's namespace through its root qdisc (ping is not installed everywhere). */
export function traffic(ns: TestNetns, count = 200, dst = '10.9.0.2'): void {
  const js = `const s=require('dgram').createSocket('udp4');let n=0;const b=Buffer.alloc(400);` +
    `const go=()=>{if(n++>=${count}){s.close();return;}s.send(b,9,'${dst}',()=>setTimeout(go,2));};go();`;
  ns.run(process.execPath, ['-e', js]);
}

function run(ns: TestNetns, args: readonly string[], tmp: string): { stdout: string; replies: string[] } {
  const trace = path.join(tmp, 'trace.txt');
  const r = ns.run('strace', ['-f', '-qq', '-e', 'trace=recvmsg', '-e', 'read=all', '-xx', '-s', '1000000', '-o', trace, '--', 'tc', ...args]);
  if (r.status !== 0) throw new Error(`tc ${args.join(' ')}: ${r.stderr}`);
  const replies = parseRecvDump(fs.readFileSync(trace, 'utf8'))
    .flatMap((b) => splitMessages(b))
    .filter((m) => m.readUInt16LE(4) === 36 || m.readUInt16LE(4) === 40)
    .map((m) => m.toString('hex'));
  return { stdout: r.stdout, replies };
}

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rip-replies-'));
  const out: ReplyCapture[] = [];
  for (const [name, cmds, classful] of SCENARIOS) {
    const a = createTestNetns('rip-cap');
    const b = createTestNetns('rip-cap');
    try {
      a.ip('link', 'add', 'veth0', 'numtxqueues', '4', 'numrxqueues', '4', 'type', 'veth', 'peer', 'name', 'veth1', 'netns', b.name);
      a.ip('addr', 'add', '10.9.0.1/24', 'dev', 'veth0');
      b.ip('addr', 'add', '10.9.0.2/24', 'dev', 'veth1');
      a.ip('link', 'set', 'veth0', 'up');
      b.ip('link', 'set', 'veth1', 'up');
      let ok = true;
      for (const c of cmds) {
        const r = a.run('tc', c.split(' '));
        if (r.status !== 0) { process.stderr.write(`${name}: tc ${c}: ${r.stderr}`); ok = false; break; }
      }
      if (!ok) continue;
      traffic(a);
      const ifindex = Number(a.run('cat', ['/sys/class/net/veth0/ifindex']).stdout.trim());
      const shows: string[][] = [['qdisc', 'show', 'dev', 'veth0'], ['-s', '-d', 'qdisc', 'show', 'dev', 'veth0']];
      if (classful) shows.push(['-s', '-d', 'class', 'show', 'dev', 'veth0'], ['class', 'show', 'dev', 'veth0']);
      for (const show of shows) {
        const t = run(a, show, tmp);
        const j = run(a, ['-j', ...show], tmp);
        out.push({ scenario: name, setup: cmds, show, ifindex, text: t.stdout, json: j.stdout, textReplies: t.replies, jsonReplies: j.replies });
      }
      process.stderr.write(`${name}: ok\n`);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.writeFileSync(goldenPath('tc-kinds-replies'), JSON.stringify(out, null, 1) + '\n');
  process.stderr.write(`${out.length} captures\n`);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) main();
