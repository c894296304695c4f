/**
 * Benchmark: `ip -batch` adding N routes (default 100,000 /32 routes on a
 * veth), rip against iproute2, each run in a fresh namespace with the same
 * batch file (runs interleaved, medians reported). iproute2 does one round
 * trip per line; rip encodes route lines back to back and a sender thread
 * hands them to the kernel in chunks (src/netlink/batch.ts), so the kernel
 * inserts one chunk on the other core while the next is parsed. Also
 * reported: the same batch with `-force`, and deleting the routes again.
 *
 * Run as root: `npm run build && node dist/bench/route-batch.js [routes=100000] [rounds=5]`
 */
import { BenchNetns, RIP, compare, measure, median, report, routeLines, type Sample } from './_util.js';

const routes = Number(process.argv[2] ?? 100000);
const rounds = Number(process.argv[3] ?? 5);

/** Run `tool` on a batch in a fresh namespace; the namespace must then hold the routes. */
function once(tool: 'ip' | 'rip', force: boolean, del: boolean): Sample {
  const ns = new BenchNetns(`batch-${tool}`);
  try {
    const add = ns.file('add.batch', routeLines(0, routes));
    let file = add;
    if (del) {
      ns.addRoutes(0, routes);
      file = ns.file('del.batch', routeLines(0, routes, 'veth0', 'del'));
    }
    const args = ['-n', ns.name, ...(force ? ['-force'] : []), '-batch', file];
    const s = tool === 'ip' ? measure('ip', args) : measure(process.execPath, [RIP, 'ip', ...args]);
    if (s.status !== 0) throw new Error(`${tool} -batch failed (${String(s.status)}): ${s.stderr.slice(0, 500)}`);
    const n = Number(measure('sh', ['-c', `ip -n ${ns.name} route show | wc -l`]).stdout.trim());
    if (del ? n !== 0 : n !== routes) throw new Error(`${tool}: ${n} routes in the namespace after the batch`);
    return s;
  } finally {
    ns.close();
  }
}

function main(): void {
  for (const [label, force, del] of [['add', false, false], ['add, -force', true, false], ['del', false, true]] as const) {
    const res = compare(rounds, { iproute2: () => once('ip', force, del), rip: () => once('rip', force, del) });
    process.stdout.write(report(`ip -batch: ${routes} route ${label}`, res) + '\n');
    // Runs are interleaved, so round i of each tool saw about the same load: the spread of the pairs.
    const pairs = res['rip']!.map((r, i) => `${(r.wallMs / res['iproute2']![i]!.wallMs).toFixed(2)}`);
    const split = (k: string): string => `user ${median(res[k]!.map((r) => r.userMs)).toFixed(0)} sys ${median(res[k]!.map((r) => r.sysMs)).toFixed(0)}`;
    process.stdout.write(`  per run: rip/iproute2 wall ${pairs.join(' ')} | median cpu ms: iproute2 ${split('iproute2')}, rip ${split('rip')}\n`);
  }
}

main();
