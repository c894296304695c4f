/**
 * Benchmark: `tc -s qdisc show` and `tc -s class show dev veth0` on a device
 * with N htb classes (1:1 and N-1 leaves under it, each leaf with a pfifo
 * qdisc), rip against iproute2 in the same run, interleaved; wall-clock and
 * user+system CPU time per command (process start to exit, as a user sees
 * it), medians. Output is checked to be byte-identical before timing.
 *
 * The start-up reference is `tc class show dev lo`: the kernel sends no class
 * of lo, so it is process start, one empty dump and exit. (`tc qdisc show dev
 * lo` is not: the kernel does not filter qdisc dumps by device, so tc
 * receives — and skips — every qdisc of the namespace.) "Above start-up" is a
 * command's median minus that reference, i.e. the cost of the N items.
 *
 * Setup is slow for large N: this kernel's htb_change_class costs time
 * proportional to the number of classes already there, so 10,000 classes
 * take about a minute and 60,000 about 15 minutes of system time on an idle
 * machine. RIP_BENCH_TC_KEEP=1 keeps the namespace (its name is printed);
 * RIP_BENCH_TC_NETNS=NAME measures an existing namespace built that way
 * (its class count must be N) instead of building one.
 *
 * Run as root: `npm run build && node dist/bench/tc-show.js [classes=10000] [rounds=7]`
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RIP, compare, measure, median, must, ratio, type Sample } from './_util.js';

const classes = Number(process.argv[2] ?? 10000);
const rounds = Number(process.argv[3] ?? 7);
if (!Number.isInteger(classes) || classes < 2 || classes > 0xffff) throw new Error('classes: 2..65535 (htb minor ids are 16-bit)');

/** The batch that builds the state (iproute2 does it; not measured). */
function setupLines(n: number): string {
  const lines = ['qdisc add dev veth0 root handle 1: htb default 1 r2q 100', 'class add dev veth0 parent 1: classid 1:1 htb rate 10gbit'];
  for (let i = 2; i <= n; i++) {
    const id = i.toString(16);
    lines.push(`class add dev veth0 parent 1:1 classid 1:${id} htb rate ${1 + (i % 1000)}mbit ceil 10gbit prio ${i % 8}`);
    lines.push(`qdisc add dev veth0 parent 1:${id} handle ${id}: pfifo limit ${(i % 1000) + 10}`);
  }
  return lines.join('\n') + '\n';
}

/** Create and fill a namespace; returns its name. */
function build(n: number): string {
  if (process.getuid?.() !== 0) throw new Error('run as root (creates a network namespace)');
  const ns = `rip-bench-tc-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'rip-bench-'));
  try {
    must('ip', ['netns', 'add', ns]);
    must('ip', ['-n', ns, 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1']);
    const batch = join(dir, 'setup.batch');
    writeFileSync(batch, setupLines(n));
    const t0 = Date.now();
    // tc prints a "quantum of class … is big" warning per class: setup noise, discarded.
    const r = spawnSync('tc', ['-n', ns, '-batch', batch], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`setup failed: ${r.stderr.split('\n').filter((l) => !l.startsWith('Warning')).join('\n')}`);
    process.stdout.write(`setup: namespace ${ns}, ${n} htb classes, ${n - 1} pfifo leaves (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  } catch (e) {
    spawnSync('ip', ['netns', 'del', ns]);
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return ns;
}

const f0 = (x: number): string => x.toFixed(0);

function main(): void {
  const reuse = process.env['RIP_BENCH_TC_NETNS'];
  const ns = reuse ?? build(classes);
  try {
    const have = must('tc', ['-n', ns, 'class', 'show', 'dev', 'veth0']).split('\n').filter((l) => l.startsWith('class ')).length;
    if (have !== classes) throw new Error(`namespace ${ns} has ${have} classes on veth0, not ${classes}`);
    const tc = (args: readonly string[]) => (): Sample => measure('tc', ['-n', ns, ...args]);
    const rip = (args: readonly string[]) => (): Sample => measure(process.execPath, [RIP, 'tc', '-n', ns, ...args]);
    const startArgs = ['class', 'show', 'dev', 'lo'];
    // Warm the page cache and rip's code cache before timing.
    rip(startArgs)();
    const start = compare(rounds, { iproute2: tc(startArgs), rip: rip(startArgs) });
    const s = { ip: { wall: median(start['iproute2']!.map((x) => x.wallMs)), cpu: median(start['iproute2']!.map((x) => x.cpuMs)) },
      rip: { wall: median(start['rip']!.map((x) => x.wallMs)), cpu: median(start['rip']!.map((x) => x.cpuMs)) } };
    process.stdout.write(`start-up (tc class show dev lo): iproute2 wall ${f0(s.ip.wall)} ms cpu ${f0(s.ip.cpu)} ms | rip wall ${f0(s.rip.wall)} ms cpu ${f0(s.rip.cpu)} ms\n`);
    for (const args of [['-s', 'qdisc', 'show'], ['-s', 'class', 'show', 'dev', 'veth0']]) {
      const want = tc(args)();
      const got = rip(args)();
      if (got.stdout !== want.stdout || got.status !== want.status) throw new Error(`output differs for tc ${args.join(' ')}`);
      const lines = want.stdout.split('\n').length - 1;
      const res = compare(rounds, { iproute2: tc(args), rip: rip(args) });
      const m = (k: string, f: (x: Sample) => number): number => median(res[k]!.map(f));
      const ip = { wall: m('iproute2', (x) => x.wallMs), cpu: m('iproute2', (x) => x.cpuMs) };
      const r = { wall: m('rip', (x) => x.wallMs), cpu: m('rip', (x) => x.cpuMs) };
      process.stdout.write(`tc ${args.join(' ')} (${classes} classes, ${lines} lines):\n`
        + `  total:            iproute2 wall ${f0(ip.wall)} ms cpu ${f0(ip.cpu)} ms | rip wall ${f0(r.wall)} ms cpu ${f0(r.cpu)} ms | rip/iproute2 wall ${ratio(r.wall, ip.wall)} cpu ${ratio(r.cpu, ip.cpu)}\n`
        + `  above start-up:   iproute2 wall ${f0(ip.wall - s.ip.wall)} ms cpu ${f0(ip.cpu - s.ip.cpu)} ms | rip wall ${f0(r.wall - s.rip.wall)} ms cpu ${f0(r.cpu - s.rip.cpu)} ms | rip/iproute2 wall ${ratio(r.wall - s.rip.wall, ip.wall - s.ip.wall)} cpu ${ratio(r.cpu - s.rip.cpu, ip.cpu - s.ip.cpu)}\n`
        + `  (medians of ${rounds}, interleaved)\n`);
    }
  } finally {
    if (reuse === undefined && process.env['RIP_BENCH_TC_KEEP'] !== '1') spawnSync('ip', ['netns', 'del', ns]);
    else if (reuse === undefined) process.stdout.write(`kept namespace ${ns} (RIP_BENCH_TC_NETNS=${ns} to measure it again; ip netns del ${ns} when done)\n`);
  }
}

main();
