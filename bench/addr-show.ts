/**
 * Benchmark: `ip address` with many addresses on one link, rip against
 * iproute2 on the same namespace state in the same run (runs interleaved,
 * medians reported).
 *
 * 1. `ip address show`, `ip -j address show` and `ip -br address show` with
 *    N IPv4 /32 addresses on one veth (output checked identical first), next
 *    to a bare `node -e 0` (what the runtime itself costs) and to the same
 *    command with `dev lo` (everything but the N addresses: start-up, the
 *    link dump, an address dump of one link), so that the cost of the N
 *    addresses themselves can be compared with iproute2's.
 * 2. `ip address flush dev veth0` of the N addresses; each run starts from a
 *    namespace refilled by iproute2's `ip -batch` (setup, not measured), and
 *    the namespace must be empty of them afterwards.
 *
 * Run as root: `npx tsc -p tsconfig.json && node dist/bench/addr-show.js [addresses=10000] [rounds=5]`
 */
import { BenchNetns, RIP, measure, median, must, report, type Sample } from './_util.js';

const count = Number(process.argv[2] ?? 10000);
const rounds = Number(process.argv[3] ?? 5);

/** `address add 10.A.B.1/32 dev veth0` lines for N addresses (N ≤ 65536). */
function addressLines(n: number, dev = 'veth0'): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`address add 10.${(i >> 8) & 255}.${i & 255}.1/32 dev ${dev}`);
  return out.join('\n') + '\n';
}

function fill(ns: BenchNetns): void {
  must('ip', ['-n', ns.name, '-batch', ns.file('addrs.batch', addressLines(count))]);
}

function addressCount(ns: BenchNetns): number {
  return must('ip', ['-n', ns.name, '-4', '-o', 'address', 'show', 'dev', 'veth0']).split('\n').filter((l) => l.includes(' inet ')).length;
}

function show(ns: BenchNetns, opts: readonly string[]): void {
  const args = ['-n', ns.name, ...opts, 'address', 'show'];
  const want = measure('ip', args);
  const got = measure(process.execPath, [RIP, 'ip', ...args]);
  if (want.stdout !== got.stdout) throw new Error(`output differs for ip ${args.join(' ')}`);
  const lo = [...args, 'dev', 'lo'];
  const res: Record<string, Sample[]> = { iproute2: [], rip: [], node: [], iproute2Lo: [], ripLo: [] };
  for (let i = 0; i < rounds; i++) {
    res['iproute2']!.push(measure('ip', args));
    res['rip']!.push(measure(process.execPath, [RIP, 'ip', ...args]));
    res['node']!.push(measure(process.execPath, ['-e', '0']));
    res['iproute2Lo']!.push(measure('ip', lo));
    res['ripLo']!.push(measure(process.execPath, [RIP, 'ip', ...lo]));
  }
  process.stdout.write(report(`ip ${opts.length ? opts.join(' ') + ' ' : ''}address show, ${count} addresses`, res) + '\n');
  process.stdout.write(excludingNode(res) + '\n');
  process.stdout.write(perAddress(res) + '\n');
}

/** The cost of the N addresses alone: each side minus its own `… show dev lo`. */
function perAddress(res: Record<string, Sample[]>): string {
  const m = (k: string, f: (s: Sample) => number): number => median(res[k]!.map(f));
  const f = (x: number): string => x.toFixed(0);
  const cpu = (k: string): number => m(k, (s) => s.cpuMs) - m(`${k}Lo`, (s) => s.cpuMs);
  const wall = (k: string): number => m(k, (s) => s.wallMs) - m(`${k}Lo`, (s) => s.wallMs);
  return `  the ${count} addresses alone (minus \`show dev lo\`: rip cpu ${f(m('ripLo', (s) => s.cpuMs))} ms, iproute2 cpu ${f(m('iproute2Lo', (s) => s.cpuMs))} ms): `
    + `rip wall ${f(wall('rip'))} ms cpu ${f(cpu('rip'))} ms | iproute2 wall ${f(wall('iproute2'))} ms cpu ${f(cpu('iproute2'))} ms`;
}

/** rip minus `node -e 0` against iproute2 (CPU and wall medians). */
function excludingNode(res: Record<string, Sample[]>): string {
  const m = (k: string, f: (s: Sample) => number): number => median(res[k]!.map(f));
  const cpu = m('rip', (s) => s.cpuMs) - m('node', (s) => s.cpuMs);
  const wall = m('rip', (s) => s.wallMs) - m('node', (s) => s.wallMs);
  const f = (x: number): string => x.toFixed(0);
  return `  excluding node start-up (node -e 0: wall ${f(m('node', (s) => s.wallMs))} ms cpu ${f(m('node', (s) => s.cpuMs))} ms): rip wall ${f(wall)} ms cpu ${f(cpu)} ms | ratio rip/iproute2: wall ${(wall / m('iproute2', (s) => s.wallMs)).toFixed(2)} cpu ${(cpu / Math.max(1, m('iproute2', (s) => s.cpuMs))).toFixed(2)}`;
}

function flush(ns: BenchNetns): void {
  const args = ['-n', ns.name, 'address', 'flush', 'dev', 'veth0'];
  const res: Record<string, Sample[]> = { iproute2: [], rip: [] };
  const run = (who: string, cmd: string, argv: readonly string[]): void => {
    fill(ns);
    const s = measure(cmd, argv);
    if (s.status !== 0) throw new Error(`${who} flush failed: ${s.stderr}`);
    const left = addressCount(ns);
    if (left !== 0) throw new Error(`${who} flush left ${left} addresses`);
    res[who]!.push(s);
  };
  must('ip', args); // start empty: each run fills the namespace first
  for (let i = 0; i < rounds; i++) {
    run('iproute2', 'ip', args);
    run('rip', process.execPath, [RIP, 'ip', ...args]);
  }
  process.stdout.write(report(`ip address flush dev veth0, ${count} addresses`, res) + '\n');
}

function main(): void {
  const ns = new BenchNetns('addr');
  try {
    const t0 = Date.now();
    fill(ns);
    process.stdout.write(`setup: ${count} addresses (${Date.now() - t0} ms)\n`);
    show(ns, []);
    show(ns, ['-j']);
    show(ns, ['-br']);
    flush(ns);
  } finally {
    ns.close();
  }
}

main();
