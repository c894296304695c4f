/**
 * The native /proc walk (startProcessScan → native ProcScan) on the live
 * /proc, against the JS walk (scanProcesses) and against what the process
 * itself holds: a helper named `rip a)b c` (a symlink to python, so its comm
 * has a space and a ')') in a throwaway namespace, with a listener at two
 * fds (3 and 10) and two extra threads. Then ss -tanp/-tanpT as iproute2 prints them,
 * on the live /proc and on a fake $PROC_ROOT whose links name the helper's
 * sockets; and walks while processes come and go.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { withNetns, requireRoot } from '../helpers/netns.js';
import { scanProcesses, startProcessScan, type SocketOwner, type ProcScanOptions } from '../../src/sockdiag/procs.js';
import { native } from '../../src/netlink/native.js';
import { ssMain } from '../../src/cli/ss/main.js';
import { StringSink } from '../../src/output/printer.js';

const HELPER = String.raw`
import json, os, socket, sys, threading
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', 7788)); l.listen(4)
c = socket.socket(); c.connect(('127.0.0.1', 7788)); a, _ = l.accept()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 7789))
os.dup2(l.fileno(), 10)
ev = threading.Event()
ths = [threading.Thread(target=ev.wait) for _ in range(2)]
for t in ths: t.start()
fds = {}
for name in os.listdir('/proc/self/fd'):
    try: link = os.readlink('/proc/self/fd/' + name)
    except OSError: continue
    # 0-2 are the test's pipes (sockets shared with node): only the helper's own.
    if int(name) > 2 and link.startswith('socket:['): fds[int(name)] = int(link[8:-1])
print(json.dumps({'pid': os.getpid(), 'fds': fds, 'listener': l.fileno(), 'client': c.fileno(), 'accepted': a.fileno()}), flush=True)
sys.stdin.read()
ev.set()
`;

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;
const NAME = 'rip a)b c';
/** What ss shows for it: the name up to the first ')'. */
const COMM = 'rip a';

interface Helper {
  pid: number;
  /** fd → socket inode. */
  fds: Map<number, number>;
  /** fds of the listener (also at fd 10) and of the connected pair. */
  listener: number; client: number; accepted: number;
  tids: number[];
  stop(): Promise<void>;
}

/** Start the helper in `ns` under the name NAME (a symlink to the python binary). */
async function startHelper(ns: string, dir: string): Promise<Helper> {
  const py = spawnSync('python3', ['-c', 'import os, sys; print(os.path.realpath(sys.executable))'], { encoding: 'utf8' }).stdout.trim();
  const exe = path.join(dir, NAME);
  fs.symlinkSync(py, exe);
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns, exe, '-c', HELPER], { stdio: ['pipe', 'pipe', 'inherit'] });
  type Info = { pid: number; fds: Record<string, number>; listener: number; client: number; accepted: number };
  const info = await new Promise<Info>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as Info);
    });
    child.on('exit', (code) => reject(new Error(`helper exited (${String(code)})`)));
  });
  // Threads in /proc's order (ascending tid), the main one included.
  const tids = fs.readdirSync(`/proc/${info.pid}/task`).map(Number).sort((a, b) => a - b);
  return {
    pid: info.pid,
    listener: info.listener,
    client: info.client,
    accepted: info.accepted,
    fds: new Map(Object.entries(info.fds).map(([fd, ino]) => [Number(fd), ino])),
    tids,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      child.stdin!.end();
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    }),
  };
}

/** What ss finds for the helper's sockets: its fds in ascending order, then each other thread's; last found first. */
function expected(h: Helper, threads: boolean): Map<number, SocketOwner[]> {
  const m = new Map<number, SocketOwner[]>();
  const fds = [...h.fds].sort((a, b) => a[0] - b[0]);
  for (const tid of [h.pid, ...(threads ? h.tids.filter((t) => t !== h.pid) : [])]) {
    for (const [fd, ino] of fds) {
      const l = m.get(ino) ?? [];
      l.unshift({ command: COMM, pid: h.pid, tid, fd });
      m.set(ino, l);
    }
  }
  return m;
}

function lookup(ix: { get(i: number): readonly SocketOwner[] | undefined }, inodes: Iterable<number>): Map<number, SocketOwner[]> {
  const m = new Map<number, SocketOwner[]>();
  for (const i of inodes) { const l = ix.get(i); if (l) m.set(i, [...l]); }
  return m;
}

function nativeLookup(opts: ProcScanOptions, inodes: Iterable<number>, workers = 0): Map<number, SocketOwner[]> {
  const s = startProcessScan(opts, workers);
  try { return lookup(s, inodes); } finally { s.close(); }
}

async function ripSs(ns: string, args: string[], procRoot?: string): Promise<string> {
  const sink = new StringSink();
  const prev = process.env.PROC_ROOT;
  if (procRoot !== undefined) process.env.PROC_ROOT = procRoot;
  try {
    const status = await ssMain(['-N', ns, ...args], sink, (t) => { throw new Error(`stderr: ${t}`); });
    assert.equal(status, 0);
  } finally {
    if (prev === undefined) delete process.env.PROC_ROOT; else process.env.PROC_ROOT = prev;
  }
  return sink.toString();
}

function refSs(ns: string, args: string[], procRoot?: string): string {
  const env = { ...process.env };
  if (procRoot !== undefined) env.PROC_ROOT = procRoot;
  const r = spawnSync('ss', ['-N', ns, ...args], { encoding: 'utf8', env, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

async function withHelper(t: import('node:test').TestContext, fn: (ns: string, h: Helper, dir: string) => Promise<void>): Promise<void> {
  if (!requireRoot(t)) return;
  if (typeof native.ProcScan !== 'function') { t.skip('addon built before ProcScan (rebuild it)'); return; }
  await withNetns(t, async (ns) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rip-procscan-'));
    const h = await startHelper(ns.name, dir);
    try {
      await fn(ns.name, h, dir);
    } finally {
      await h.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('ProcScan on /proc: the helper\'s sockets, fds, threads and name; native equals JS', async (t) => {
  await withHelper(t, async (_ns, h) => {
    const inodes = new Set(h.fds.values());
    assert.equal(inodes.size, 4, 'listener, client, accepted, UDP');
    assert.ok(h.tids.length >= 3, 'two threads besides the main one');
    for (const threads of [false, true]) {
      const want = expected(h, threads);
      const js = lookup(scanProcesses({ threads, only: inodes }), inodes);
      assert.deepEqual(js, want, `JS, threads ${String(threads)}`);
      for (const workers of [1, 2, 0]) {
        assert.deepEqual(nativeLookup({ threads, only: inodes }, inodes, workers), want, `native, ${workers} workers, threads ${String(threads)}`);
      }
      // The whole of /proc, unfiltered: nobody else holds these sockets.
      assert.deepEqual(nativeLookup({ threads }, inodes), want);
    }
    // The listener is at two fds: fd 10 (found last: /proc lists fds in numeric order, not as
    // strings, where "10" < "3") first, as ss prints it.
    const listener = h.fds.get(10)!;
    assert.ok(h.listener < 10 && h.fds.get(h.listener) === listener);
    assert.deepEqual(nativeLookup({}, [listener]).get(listener)!.map((o) => o.fd), [10, h.listener]);
    assert.deepEqual(scanProcesses({ only: new Set([listener]) }).get(listener)!.map((o) => o.fd), [10, h.listener]);
  });
});

test('ss -tanp/-tanpT/-tuanpT: users as iproute2 prints them, on /proc and on a fake $PROC_ROOT', async (t) => {
  await withHelper(t, async (ns, h, dir) => {
    for (const args of [['-tanp'], ['-tanpT'], ['-ulpn'], ['-tlp'], ['-tuanpT']]) {
      const ours = await ripSs(ns, args);
      assert.match(ours, new RegExp(`users:\\(\\("${COMM}",pid=${h.pid},`));
      assert.equal(ours, refSs(ns, args), `ss ${args.join(' ')}`);
    }
    // The command as installed (bin/rip.js starts the walk before loading ss, which takes it over).
    for (const args of [['-tanp'], ['-tanpT'], ['--processes', '-tan'], ['-N', ns, '-tanp', '--threads']]) {
      const r = spawnSync(process.execPath, [RIP, 'ss', '-N', ns, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, refSs(ns, args), `rip ss ${args.join(' ')}`);
    }
    // A fake tree: three "processes" share one end of the connection, one of them with a thread
    // of its own table. With PROC_ROOT set, iproute2's ss reads the socket tables from ROOT/net/
    // instead of sock_diag: they are copies of the namespace's, so both list the same sockets
    // (established ones only: /proc/net/tcp has no listener backlog).
    const shared = h.fds.get(h.client)!;
    const other = h.fds.get(h.accepted)!;
    const root = path.join(dir, 'proc');
    const mk = (id: string, stat: string | null, fds: Record<string, string>, tasks: string[] = []): void => {
      fs.mkdirSync(path.join(root, id, 'fd'), { recursive: true });
      if (stat !== null) fs.writeFileSync(path.join(root, id, 'stat'), stat);
      for (const [fd, target] of Object.entries(fds)) fs.symlinkSync(target, path.join(root, id, 'fd', fd));
      for (const task of tasks) fs.mkdirSync(path.join(root, id, 'task', task), { recursive: true });
    };
    mk('4242', '4242 (web (x) S 1', { 3: `socket:[${shared}]`, 9: `socket:[${other}]`, 10: '/dev/null', 11: `socket:[${shared}]` }, ['4242', '4243']);
    mk('4243', '4243 (worker) S 1', { 5: `socket:[${shared}]` });
    mk('77', null, { 1: `socket:[${shared}]` });
    fs.mkdirSync(path.join(root, 'net'));
    for (const table of ['tcp', 'tcp6']) {
      const r = spawnSync('ip', ['netns', 'exec', ns, 'cat', `/proc/net/${table}`], { encoding: 'utf8' });
      fs.writeFileSync(path.join(root, 'net', table), r.stdout);
    }
    for (const args of [['-tnp'], ['-tnpT'], ['-tp']]) {
      const ours = await ripSs(ns, args, root);
      assert.match(ours, /"web \(x",pid=4242,/);
      assert.equal(ours, refSs(ns, args, root), `PROC_ROOT ss ${args.join(' ')}`);
      const r = spawnSync(process.execPath, [RIP, 'ss', '-N', ns, ...args], { encoding: 'utf8', env: { ...process.env, PROC_ROOT: root } });
      assert.equal(r.stdout, ours, `PROC_ROOT rip ss ${args.join(' ')}`);
    }
    assert.equal(await ripSs(ns, ['-tnp'], root + '/'), refSs(ns, ['-tnp'], root), 'PROC_ROOT with a trailing /');
    // A root that does not exist: no users at all.
    assert.doesNotMatch(await ripSs(ns, ['-tanp'], path.join(dir, 'missing')), /users:/);
  });
});

test('ProcScan while processes come and go: no error, the steady helper always found', async (t) => {
  await withHelper(t, async (_ns, h) => {
    const inodes = new Set(h.fds.values());
    // Short-lived processes (and their /proc directories) appearing and vanishing during the walks.
    const churn = spawn('sh', ['-c', 'while :; do /bin/true & /bin/true; wait; done'], { stdio: 'ignore' });
    try {
      const want = expected(h, true);
      for (let i = 0; i < 40; i++) {
        assert.deepEqual(nativeLookup({ threads: true }, inodes, (i % 3) + 1), want, `walk ${i}`);
      }
    } finally {
      churn.kill('SIGKILL');
    }
  });
});
