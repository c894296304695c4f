/**
 * Benchmark: dumping and printing routes, rip against iproute2 on the same
 * namespace state in the same run (runs interleaved, medians reported).
 *
 * 1. The library: a dump of N routes through `nl.route.list()` (streamed),
 *    wall time and peak RSS, next to `ip route show` on the same state, at
 *    10,000 and 100,000 routes (RSS must not grow with the route count).
 * 2. `ip route show` and `ip -j route show` with 100,000 and 1,000,000
 *    routes: rip vs iproute2 (output checked identical first).
 *
 * Routes are /32 prefixes on a veth in a throwaway namespace, added with
 * iproute2's `ip -batch` (setup, not measured).
 *
 * Run as root: `npx tsc -p tsconfig.json && node dist/bench/route-dump.js [maxRoutes=1000000] [rounds=5]`
 */
import { BenchNetns, RIP, compare, measure, median, report } from './_util.js';

const maxRoutes = Number(process.argv[2] ?? 1000000);
const rounds = Number(process.argv[3] ?? 5);
const CHILD = new URL('./_route-dump-child.js', import.meta.url).pathname;

function libraryDump(ns: BenchNetns, n: number): void {
  const res = compare(rounds, {
    iproute2: () => measure('ip', ['-n', ns.name, 'route', 'show']),
    rip: () => measure(process.execPath, [CHILD, ns.name]),
  });
  const counts = res['rip']!.map((s) => (JSON.parse(s.stdout) as { count: number }).count);
  if (counts.some((c) => c < n)) throw new Error(`library dump saw ${counts.join(',')} routes, want ≥ ${n}`);
  const heap = median(res['rip']!.map((s) => (JSON.parse(s.stdout) as { maxRssKiB: number }).maxRssKiB));
  process.stdout.write(`${report(`library dump, ${n} routes (vs ip route show)`, res)} (child-reported maxRSS ${(heap / 1024).toFixed(0)} MiB)\n`);
}

function show(ns: BenchNetns, n: number, json: boolean): void {
  const args = ['-n', ns.name, ...(json ? ['-j'] : []), 'route', 'show'];
  const want = measure('ip', args);
  const got = measure(process.execPath, [RIP, 'ip', ...args]);
  if (want.stdout !== got.stdout) throw new Error(`output differs for ip ${args.join(' ')}`);
  const res = compare(rounds, {
    iproute2: () => measure('ip', args),
    rip: () => measure(process.execPath, [RIP, 'ip', ...args]),
  });
  process.stdout.write(report(`ip ${json ? '-j ' : ''}route show, ${n} routes`, res) + '\n');
}

function main(): void {
  const ns = new BenchNetns('dump');
  try {
    let have = 0;
    const grow = (n: number): void => {
      const t0 = Date.now();
      ns.addRoutes(have, n);
      have = n;
      process.stdout.write(`setup: ${n} routes (${Date.now() - t0} ms)\n`);
    };
    grow(Math.min(10000, maxRoutes));
    libraryDump(ns, have);
    if (maxRoutes >= 100000) {
      grow(100000);
      libraryDump(ns, have);
      show(ns, have, false);
      show(ns, have, true);
    }
    if (maxRoutes >= 1000000) {
      grow(1000000);
      show(ns, have, false);
      show(ns, have, true);
    }
  } finally {
    ns.close();
  }
}

main();
