/**
 * Benchmark: `tc -s qdisc show` and `tc -s class show` on a device with
 * 10,000 htb classes (each with a pfifo leaf qdisc), rip against iproute2 in
 * the same run, as wall-clock time per command (process start included, as a
 * user sees it). Output is checked to be identical before timing.
 *
 * Run as root: `npx tsc -p tsconfig.json && node dist/bench/tc-show.js [classes] [rounds]`
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RIP = new URL('../../bin/rip.js', import.meta.url).pathname;
const classes = Number(process.argv[2] ?? 10000);
const rounds = Number(process.argv[3] ?? 7);
const ns = `rip-bench-tc-${process.pid}`;

function sh(cmd: string, args: readonly string[]): { stdout: string; ms: number; status: number | null; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, ms };
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
      for (let r = 0; r < rounds; r++) {
        // Alternate so both see the same system conditions.
        tIp.push(sh('tc', full).ms);
        tRip.push(sh(process.execPath, [RIP, 'tc', ...full]).ms);
      }
      const mi = median(tIp);
      const mr = median(tRip);
      process.stdout.write(`tc ${args.join(' ')} (${lineCount} lines): iproute2 ${mi.toFixed(1)} ms, rip ${mr.toFixed(1)} ms, ratio rip/iproute2 ${(mr / mi).toFixed(2)} (median of ${rounds})\n`);
    }
    // Start-up cost alone, for reference: an empty namespace's qdisc list.
    const empty = ['-n', ns, 'qdisc', 'show', 'dev', 'lo'];
    const si: number[] = [];
    const sr: number[] = [];
    for (let r = 0; r < rounds; r++) { si.push(sh('tc', empty).ms); sr.push(sh(process.execPath, [RIP, 'tc', ...empty]).ms); }
    process.stdout.write(`start-up (tc qdisc show dev lo): iproute2 ${median(si).toFixed(1)} ms, rip ${median(sr).toFixed(1)} ms\n`);
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
