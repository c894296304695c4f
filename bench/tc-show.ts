/**
 * Benchmark: `tc -s qdisc show` and `tc -s class show` on a device with
 * 10,000 htb classes (each with a pfifo leaf qdisc), rip against iproute2 in
 * the same run, as wall-clock time per command (process start included, as a
 * user sees it). Output is checked to be identical before timing.
 *
 * Run as root: `npx tsc -p tsconfig.json && node dist/bench/tc-show.js [classes] [rounds]`
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RIP = new URL('../../bin/rip.js', import.meta.url).pathname;
const classes = Number(process.argv[2] ?? 10000);
const rounds = Number(process.argv[3] ?? 7);
const ns = `rip-bench-tc-${process.pid}`;
const timeFile = join(tmpdir(), `rip-bench-time-${process.pid}`);

/**
 * Run a command; `ms` is wall-clock time, `cpu` the child's user+sys CPU time
 * in ms (via /usr/bin/time, which writes it to the file given with -o), since
 * wall time on a busy machine is mostly waiting for a CPU.
 */
function sh(cmd: string, args: readonly string[]): { stdout: string; ms: number; cpu: number; status: number | null; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const [u = '0', sy = '0'] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, ms, cpu: (Number(u) + Number(sy)) * 1000 };
}

function must(cmd: string, args: readonly string[]): void {
  const r = sh(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function main(): void {
  if (process.getuid?.() !== 0) throw new Error('run as root (creates a network namespace)');
  const dir = mkdtempSync(join(tmpdir(), 'rip-bench-'));
  must('ip', ['netns', 'add', ns]);
  try {
    must('ip', ['-n', ns, 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1']);
    const lines = ['qdisc add dev veth0 root handle 1: htb default 1 r2q 100'];
    lines.push('class add dev veth0 parent 1: classid 1:1 htb rate 10gbit');
    for (let i = 2; i <= classes; i++) {
      const id = i.toString(16);
      lines.push(`class add dev veth0 parent 1:1 classid 1:${id} htb rate ${1 + (i % 1000)}mbit ceil 10gbit prio ${i % 8}`);
      lines.push(`qdisc add dev veth0 parent 1:${id} handle ${id}: pfifo limit ${i % 1000 + 10}`);
    }
    const batch = join(dir, 'setup.batch');
    writeFileSync(batch, lines.join('\n') + '\n');
    const t0 = Date.now();
    must('tc', ['-n', ns, '-batch', batch]);
    process.stdout.write(`setup: ${classes} htb classes, ${classes - 1} pfifo leaves (${Date.now() - t0} ms)\n`);

    const commands: Array<readonly string[]> = [['-s', 'qdisc', 'show'], ['-s', 'class', 'show', 'dev', 'veth0']];
    for (const args of commands) {
      const full = ['-n', ns, ...args];
      const want = sh('tc', full);
      const got = sh(process.execPath, [RIP, 'tc', ...full]);
      if (want.stdout !== got.stdout) throw new Error(`output differs for tc ${args.join(' ')}`);
      const lineCount = want.stdout.split('\n').length - 1;
      const tIp: number[] = [];
      const tRip: number[] = [];
      const cIp: number[] = [];
      const cRip: number[] = [];
      for (let r = 0; r < rounds; r++) {
        // Alternate so both see the same system conditions.
        const a = sh('tc', full);
        const b = sh(process.execPath, [RIP, 'tc', ...full]);
        tIp.push(a.ms); cIp.push(a.cpu); tRip.push(b.ms); cRip.push(b.cpu);
      }
      const mi = median(tIp);
      const mr = median(tRip);
      process.stdout.write(`tc ${args.join(' ')} (${lineCount} lines): wall iproute2 ${mi.toFixed(1)} ms, rip ${mr.toFixed(1)} ms, ratio ${(mr / mi).toFixed(2)}; `
        + `CPU iproute2 ${median(cIp).toFixed(0)} ms, rip ${median(cRip).toFixed(0)} ms, ratio ${(median(cRip) / Math.max(1, median(cIp))).toFixed(2)} (medians of ${rounds})\n`);
    }
    // Start-up cost alone, for reference: an empty namespace's qdisc list.
    const empty = ['-n', ns, 'qdisc', 'show', 'dev', 'lo'];
    const si: number[] = [];
    const sr: number[] = [];
    const ci: number[] = [];
    const cr: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const a = sh('tc', empty);
      const b = sh(process.execPath, [RIP, 'tc', ...empty]);
      si.push(a.ms); ci.push(a.cpu); sr.push(b.ms); cr.push(b.cpu);
    }
    process.stdout.write(`start-up (tc qdisc show dev lo): wall iproute2 ${median(si).toFixed(1)} ms, rip ${median(sr).toFixed(1)} ms; `
      + `CPU iproute2 ${median(ci).toFixed(0)} ms, rip ${median(cr).toFixed(0)} ms\n`);
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(timeFile, { force: true });
  }
}

main();
