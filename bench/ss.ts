/**
 * Benchmark: `ss -tan` and `ss -tanp` over 10,000 and 50,000 established
 * loopback TCP connections (20,000 / 100,000 sockets) in a throwaway
 * namespace, and `ss -ti` over 10,000 (with `ss -tan src 1.2.3.4`, which
 * prints nothing, as a start-up reference); rip against iproute2 in the same run
 * (interleaved rounds), wall-clock time per command including process start.
 * Output is checked to be identical before timing (-ti: after removing the
 * fields that move between runs).
 *
 * Run as root: `npm run build && node dist/bench/ss.js [rounds] [sizes…]`
 * e.g. `node dist/bench/ss.js 5 10000 50000`. With `RIP_BASELINE=/path/to/other/bin/rip.js`
 * another build of rip (e.g. before a change) is measured in the same rounds too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { RIP, measure, compare, report, must } from './_util.js';

const rounds = Number(process.argv[2] ?? 5);
const BASELINE = process.env.RIP_BASELINE;
const sizes = process.argv.slice(3).map(Number).filter((n) => n > 0);
if (!sizes.length) sizes.push(10000, 50000);

/**
 * One helper process holds `n` connections (both ends) to its own listening
 * port. The fd limit cannot be raised here (no CAP_SYS_RESOURCE in this
 * container), so big runs use several helpers, each under the soft limit.
 */
const HELPER = String.raw`
import socket, sys, resource
n = int(sys.argv[1]); port = int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(('127.0.0.1', port)); srv.listen(4096)
keep = []
for i in range(n):
    c = socket.socket(); c.connect(('127.0.0.1', port)); a, _ = srv.accept()
    keep.append(c); keep.append(a)
print('ready', flush=True)
sys.stdin.read()
`;
const PER_HELPER = 4000;

async function startHelpers(ns: string, n: number): Promise<ChildProcess[]> {
  const out: ChildProcess[] = [];
  for (let done = 0, k = 0; done < n; k++) {
    const m = Math.min(PER_HELPER, n - done);
    out.push(await startHelper(ns, m, 2001 + k));
    done += m;
  }
  return out;
}

function startHelper(ns: string, n: number, port: number): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', HELPER, String(n), String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('ready')) resolve(child); });
    child.on('exit', (c) => reject(new Error(`helper exited ${String(c)}`)));
  });
}

/**
 * Fields of -i output that move between two runs, and the trailing padding
 * (the last column is as wide as its widest token: a timer that gains a
 * digit between the runs widens it).
 */
function stable(s: string): string {
  return s.replace(/\b(lastsnd|lastrcv|lastack|busy):\d+(ms)?/g, '$1:N').replace(/ +$/gm, '');
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root (creates a network namespace)');
  for (const n of sizes) {
    const ns = `rip-bench-ss-${process.pid}-${n}`;
    must('ip', ['netns', 'add', ns]);
    let helpers: ChildProcess[] = [];
    try {
      must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      must('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.ip_local_port_range=10000 65000']);
      must('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.core.somaxconn=65535']);
      helpers = await startHelpers(ns, n);
      const cases: Array<[string, string[]]> = [['-tan', ['-tan']], ['-tanp', ['-tanp']]];
      if (n <= 10000) {
        cases.push(['-ti', ['-ti']]);
        // Start-up reference: the same dump request with a filter that no socket passes (the
        // kernel still walks the table; nothing is printed): what -tan costs above it is the printing.
        cases.push(['-tan src 1.2.3.4', ['-tan', 'src', '1.2.3.4']]);
      }
      for (const [label, args] of cases) {
        const theirs = measure('ss', ['-N', ns, ...args]);
        const ours = measure('node', [RIP, 'ss', '-N', ns, ...args]);
        const same = label === '-ti' ? stable(theirs.stdout) === stable(ours.stdout) : theirs.stdout === ours.stdout;
        const lines = theirs.stdout.split('\n').length - 1;
        if (!same) process.stdout.write(`WARNING: ss ${label} output differs at ${n} connections\n`);
        const res = compare(rounds, {
          iproute2: () => measure('ss', ['-N', ns, ...args]),
          rip: () => measure('node', [RIP, 'ss', '-N', ns, ...args]),
          ...(BASELINE ? { baseline: () => measure('node', [BASELINE, 'ss', '-N', ns, ...args]) } : {}),
        });
        process.stdout.write(report(`ss ${label} (${n} conns, ${lines} lines${same ? ', identical' : ''})`, res) + '\n');
        if (BASELINE) process.stdout.write(report(`  baseline ${label}`, res, 'baseline') + '\n');
      }
    } finally {
      for (const h of helpers) { h.stdin?.end(); h.kill('SIGKILL'); }
      must('ip', ['netns', 'del', ns]);
    }
  }
}

main().catch((e: unknown) => { process.stderr.write(`${String(e)}\n`); process.exitCode = 1; });
