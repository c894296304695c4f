/**
 * Benchmark: `tc -s filter show dev veth0 ingress` (and without -s, and
 * -j -s) on a clsact ingress with N u32 filters in one prio, each matching a
 * destination address and carrying a mirred action; rip against iproute2 in
 * the same run, interleaved; wall-clock and user+system CPU time per
 * command, medians. Output is checked to be byte-identical first. The
 * start-up reference is `tc filter show dev lo` (nothing to dump).
 *
 * Run as root: `npm run build && node dist/bench/tc-filter-show.js [filters=5000] [rounds=7]`
 */
import { spawnSync } from 'node:child_process';
import { BenchNetns, RIP, compare, measure, median, ratio, type Sample } from './_util.js';

const filters = Number(process.argv[2] ?? 5000);
const rounds = Number(process.argv[3] ?? 7);
if (!Number.isInteger(filters) || filters < 1 || filters > 0xfff) throw new Error('filters: 1..4095 (u32 node ids in one hash table are 12-bit)');

/** A namespace (BenchNetns: veth0–veth1) with a clsact on veth0 and `n` u32 filters in its ingress. */
function build(n: number): BenchNetns {
  const ns = new BenchNetns('tcf');
  try {
    const lines = ['qdisc add dev veth0 clsact'];
    for (let i = 0; i < n; i++) {
      lines.push(`filter add dev veth0 ingress protocol ip prio 1 u32 match ip dst 10.${(i >> 8) & 255}.${i & 255}.1/32 match ip dport ${1000 + i} 0xffff action mirred egress redirect dev veth1`);
    }
    const r = spawnSync('tc', ['-n', ns.name, '-batch', ns.file('setup.batch', lines.join('\n') + '\n')], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`setup failed: ${r.stderr}`);
  } catch (e) {
    ns.close();
    throw e;
  }
  return ns;
}

const f0 = (x: number): string => x.toFixed(0);

function main(): void {
  const bench = build(filters);
  const ns = bench.name;
  try {
    const tc = (args: readonly string[]) => (): Sample => measure('tc', ['-n', ns, ...args]);
    const rip = (args: readonly string[]) => (): Sample => measure(process.execPath, [RIP, 'tc', '-n', ns, ...args]);
    const startArgs = ['filter', 'show', 'dev', 'lo'];
    rip(startArgs)();
    const start = compare(rounds, { iproute2: tc(startArgs), rip: rip(startArgs) });
    const s = { ip: median(start['iproute2']!.map((x) => x.cpuMs)), rip: median(start['rip']!.map((x) => x.cpuMs)) };
    const sw = { ip: median(start['iproute2']!.map((x) => x.wallMs)), rip: median(start['rip']!.map((x) => x.wallMs)) };
    process.stdout.write(`start-up (tc filter show dev lo): iproute2 wall ${f0(sw.ip)} ms cpu ${f0(s.ip)} ms | rip wall ${f0(sw.rip)} ms cpu ${f0(s.rip)} ms\n`);
    for (const args of [['filter', 'show', 'dev', 'veth0', 'ingress'], ['-s', 'filter', 'show', 'dev', 'veth0', 'ingress'], ['-j', '-s', 'filter', 'show', 'dev', 'veth0', 'ingress']]) {
      const want = tc(args)();
      const got = rip(args)();
      const norm = (x: string): string => x.replace(/ (installed|used|firstused) \d+ sec/g, '').replace(/,"(installed|last_used|first_used)":\d+/g, '');
      if (norm(got.stdout) !== norm(want.stdout) || got.status !== want.status) throw new Error(`output differs for tc ${args.join(' ')}`);
      const lines = want.stdout.split('\n').length - 1;
      const res = compare(rounds, { iproute2: tc(args), rip: rip(args) });
      const m = (k: string, f: (x: Sample) => number): number => median(res[k]!.map(f));
      const ip = { wall: m('iproute2', (x) => x.wallMs), cpu: m('iproute2', (x) => x.cpuMs) };
      const r = { wall: m('rip', (x) => x.wallMs), cpu: m('rip', (x) => x.cpuMs) };
      process.stdout.write(`tc ${args.join(' ')} (${filters} filters, ${lines} lines):\n`
        + `  total:          iproute2 wall ${f0(ip.wall)} ms cpu ${f0(ip.cpu)} ms | rip wall ${f0(r.wall)} ms cpu ${f0(r.cpu)} ms | rip/iproute2 wall ${ratio(r.wall, ip.wall)} cpu ${ratio(r.cpu, ip.cpu)}\n`
        + `  above start-up: iproute2 cpu ${f0(ip.cpu - s.ip)} ms | rip cpu ${f0(r.cpu - s.rip)} ms | rip/iproute2 cpu ${ratio(r.cpu - s.rip, ip.cpu - s.ip)}\n`
        + `  (medians of ${rounds}, interleaved)\n`);
    }
  } finally {
    bench.close();
  }
}

main();
