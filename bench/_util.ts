/**
 * Shared helpers of the benchmarks (not a benchmark itself: run.ts skips
 * files whose name starts with `_`): timed child processes with CPU time and
 * peak RSS from /usr/bin/time, medians, throwaway namespaces with routes.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** bin/rip.js of this checkout. */
export const RIP = new URL('../../bin/rip.js', import.meta.url).pathname;

/** One measured run. */
export interface Sample {
  /** Wall-clock milliseconds, process start to exit. */
  readonly wallMs: number;
  /** User + system CPU milliseconds of the process. */
  readonly cpuMs: number;
  /** The user and system parts of {@link cpuMs}. */
  readonly userMs: number;
  readonly sysMs: number;
  /** Peak resident set size in KiB. */
  readonly rssKiB: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

const TIME = '/usr/bin/time';
const MARK = '@@rip-bench-time@@';

/** Run a command, measuring wall time, CPU time and peak RSS (GNU time when present). */
export function measure(cmd: string, args: readonly string[], input?: string): Sample {
  const haveTime = existsSync(TIME);
  const argv = haveTime ? ['-f', `${MARK} %e %U %S %M`, cmd, ...args] : [...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(haveTime ? TIME : cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let stderr = r.stderr ?? '';
  let cpuMs = NaN, userMs = NaN, sysMs = NaN, rssKiB = NaN;
  const i = stderr.lastIndexOf(MARK);
  if (i >= 0) {
    const [, , u, s, m] = stderr.slice(i).trim().split(/\s+/);
    userMs = Number(u) * 1000;
    sysMs = Number(s) * 1000;
    cpuMs = userMs + sysMs;
    rssKiB = Number(m);
    stderr = stderr.slice(0, i);
  }
  return { wallMs, cpuMs, userMs, sysMs, rssKiB, stdout: r.stdout ?? '', stderr, status: r.status };
}

/** Median of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

/** Run `fn` `rounds` times for each contender, interleaved (A B A B …) so machine load hits both alike. */
export function compare(rounds: number, contenders: Record<string, () => Sample>): Record<string, Sample[]> {
  const out: Record<string, Sample[]> = {};
  for (const k of Object.keys(contenders)) out[k] = [];
  for (let i = 0; i < rounds; i++) {
    for (const [k, fn] of Object.entries(contenders)) out[k]!.push(fn());
  }
  return out;
}

/** One line of a result table: medians and ours/theirs ratios. */
export function report(label: string, res: Record<string, Sample[]>, ours = 'rip', theirs = 'iproute2'): string {
  const m = (k: string, f: (s: Sample) => number): number => median(res[k]!.map(f));
  const a = { wall: m(ours, (s) => s.wallMs), cpu: m(ours, (s) => s.cpuMs), rss: Math.max(...res[ours]!.map((s) => s.rssKiB)) };
  const b = { wall: m(theirs, (s) => s.wallMs), cpu: m(theirs, (s) => s.cpuMs), rss: Math.max(...res[theirs]!.map((s) => s.rssKiB)) };
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : '?');
  return `${label.padEnd(44)} ${theirs} wall ${f(b.wall)} ms cpu ${f(b.cpu)} ms rss ${f(b.rss / 1024)} MiB | ${ours} wall ${f(a.wall)} ms cpu ${f(a.cpu)} ms rss ${f(a.rss / 1024)} MiB | ratio ${ours}/${theirs}: wall ${ratio(a.wall, b.wall)} cpu ${ratio(a.cpu, b.cpu)}`;
}

/** a/b with two decimals, or n/a when b is too small to measure (GNU time has 10 ms resolution). */
export function ratio(a: number, b: number): string {
  return b >= 10 ? (a / b).toFixed(2) : 'n/a';
}

/** Fail loudly. */
export function must(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `route add 10.A.B.C/32 dev DEV` lines for routes [from, to). */
export function routeLines(from: number, to: number, dev = 'veth0', verb = 'add'): string {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(`route ${verb} 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 dev ${dev}`);
  return out.join('\n') + '\n';
}

/** A throwaway namespace with a veth pair (veth0 up), deleted by `close`. */
export class BenchNetns {
  readonly name: string;
  private readonly dir: string;
  constructor(tag: string) {
    if (process.getuid?.() !== 0) throw new Error('benchmarks run as root (they create network namespaces)');
    this.name = `rip-bench-${tag}-${process.pid}`;
    this.dir = mkdtempSync(join(tmpdir(), 'rip-bench-'));
    must('ip', ['netns', 'add', this.name]);
    must('ip', ['-n', this.name, 'link', 'set', 'lo', 'up']);
    must('ip', ['-n', this.name, 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1']);
    must('ip', ['-n', this.name, 'link', 'set', 'veth0', 'up']);
    must('ip', ['-n', this.name, 'link', 'set', 'veth1', 'up']);
  }
  /** Write a batch file in this bench's temp dir; returns its path. */
  file(name: string, text: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, text);
    return p;
  }
  /** Add routes [from, to) with iproute2 (setup, not measured). */
  addRoutes(from: number, to: number): void {
    const CHUNK = 200000;
    for (let a = from; a < to; a += CHUNK) must('ip', ['-n', this.name, '-force', '-batch', this.file('setup.batch', routeLines(a, Math.min(to, a + CHUNK)))]);
  }
  close(): void {
    spawnSync('ip', ['netns', 'del', this.name]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
