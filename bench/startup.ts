/**
 * Benchmark: process start to exit of `ip addr show` and `ip route show` on
 * a small namespace (lo and a veth pair), rip against iproute2, and rip's
 * overhead above a bare `node -e 0` (what the runtime itself costs).
 *
 * Run as root: `npx tsc -p tsconfig.json && node dist/bench/startup.js [rounds=15]`
 */
import { BenchNetns, RIP, compare, measure, median, report } from './_util.js';

const rounds = Number(process.argv[2] ?? 15);

function main(): void {
  const ns = new BenchNetns('startup');
  try {
    must2(ns);
    for (const args of [['addr', 'show'], ['route', 'show']]) {
      const full = ['-n', ns.name, ...args];
      const want = measure('ip', full);
      const got = measure(process.execPath, [RIP, 'ip', ...full]);
      if (want.stdout !== got.stdout) throw new Error(`output differs for ip ${args.join(' ')}`);
      const res = compare(rounds, {
        iproute2: () => measure('ip', full),
        rip: () => measure(process.execPath, [RIP, 'ip', ...full]),
        node: () => measure(process.execPath, ['-e', '0']),
      });
      process.stdout.write(report(`ip ${args.join(' ')} (small namespace)`, res) + '\n');
      const over = median(res['rip']!.map((s) => s.wallMs)) - median(res['node']!.map((s) => s.wallMs));
      const overCpu = median(res['rip']!.map((s) => s.cpuMs)) - median(res['node']!.map((s) => s.cpuMs));
      process.stdout.write(`  rip overhead above \`node -e 0\`: wall ${over.toFixed(0)} ms, cpu ${overCpu.toFixed(0)} ms (node -e 0: wall ${median(res['node']!.map((s) => s.wallMs)).toFixed(0)} ms)\n`);
    }
  } finally {
    ns.close();
  }
}

function must2(ns: BenchNetns): void {
  measure('ip', ['-n', ns.name, 'addr', 'add', '192.0.2.1/24', 'dev', 'veth0']);
  measure('ip', ['-n', ns.name, 'route', 'add', '10.0.0.0/8', 'via', '192.0.2.2']);
}

main();
