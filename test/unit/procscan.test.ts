/**
 * The native /proc walk (ProcScan, native/procfd.c, through
 * startProcessScan) against the JS one (scanProcesses) and against what ss
 * reads, on a fake PROC_ROOT tree of directories, stat files and symlinks:
 * numeric and odd names, links that are sockets and links that are not, a
 * name with ')' and spaces, a missing stat, threads (read as ROOT/TID/fd as
 * ss does), the inode filter, every worker count, a root that does not exist.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanProcesses, startProcessScan, formatOwners, ownersText, type OwnerIndex, type ProcScanOptions, type SocketOwner } from '../../src/sockdiag/procs.js';
import { native } from '../../src/netlink/native.js';

interface FakeProc {
  /** Name of the entry under the root. */
  readonly dir: string;
  /** stat file content (omitted: no stat file). */
  readonly stat?: string;
  /** fd name → link target. */
  readonly fds?: Record<string, string>;
  /** task names (ROOT/DIR/task/NAME, empty directories as in /proc). */
  readonly tasks?: string[];
}

function makeTree(procs: FakeProc[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rip-procscan-'));
  for (const p of procs) {
    const d = path.join(root, p.dir);
    fs.mkdirSync(path.join(d, 'fd'), { recursive: true });
    if (p.stat !== undefined) fs.writeFileSync(path.join(d, 'stat'), p.stat);
    for (const [fd, target] of Object.entries(p.fds ?? {})) fs.symlinkSync(target, path.join(d, 'fd', fd));
    for (const t of p.tasks ?? []) fs.mkdirSync(path.join(d, 'task', t), { recursive: true });
  }
  // Entries that are not processes.
  fs.mkdirSync(path.join(root, 'self'));
  fs.writeFileSync(path.join(root, 'version'), 'x');
  return root;
}

/** Owners of `inodes` through an index, as plain data. */
function owners(ix: OwnerIndex, inodes: number[]): Array<[number, SocketOwner[]]> {
  return inodes.map((i) => [i, [...(ix.get(i) ?? [])]]);
}

function nativeScan(opts: ProcScanOptions, workers: number): Array<[number, SocketOwner[]]> {
  const s = startProcessScan(opts, workers);
  try {
    return owners(s, INODES);
  } finally {
    s.close();
  }
}

const INODES = [123, 456, 789, 999, 1000, 4294967295, 31337];

const TREE: FakeProc[] = [
  {
    dir: '100', stat: '100 (fake one) S 1 100 100 0 -1 4194560\n',
    fds: { 0: '/dev/null', 3: 'socket:[123]', 4: 'pipe:[77]', 5: 'socket:[456]', 6: 'socket:[123]', 7: 'socket:[abc]', 8: 'socket:[999', 9: 'socket:[4294967296]', 10: 'socket:[4294967295]', x: 'socket:[31337]' },
    tasks: ['100', '101', '102'],
  },
  // A thread's own table: ss reads it as ROOT/101/fd/ (and, listed in the root here, as a process too).
  { dir: '101', stat: '101 (thr) a)d) S 1\n', fds: { 3: 'socket:[123]', 11: 'socket:[789]' } },
  // Task 102 has no directory at ROOT/102: nothing found for it.
  // No stat file: the name is empty.
  { dir: '200', fds: { 1: 'socket:[1000]' } },
  // A name that starts with a number is that number (sscanf "%d"): 0300 is read as ROOT/300/.
  { dir: '0300', fds: {} },
  // An fd name is read by its number too: ROOT/300/fd/7 does not exist, so '07' yields nothing.
  { dir: '300', stat: 'garbage', fds: { '07': 'socket:[789]', 2: 'socket:[456]' } },
  // Not a number: skipped.
  { dir: 'abc', stat: '1 (no) S', fds: { 1: 'socket:[123]' } },
  { dir: '400', stat: '400 () S', fds: { 2: 'socket:[999]' } },
];

/** What ss finds in TREE, by hand (last found first). */
function expected(threads: boolean): Array<[number, SocketOwner[]]> {
  const o = (command: string, pid: number, tid: number, fd: number): SocketOwner => ({ command, pid, tid, fd });
  // In walk order (readdir's, which for these directories need not be sorted: see canonical()).
  const found: Array<[number, SocketOwner]> = [];
  const p100: Array<[number, SocketOwner]> = [[123, o('fake one', 100, 100, 3)], [456, o('fake one', 100, 100, 5)], [123, o('fake one', 100, 100, 6)],
    [999, o('fake one', 100, 100, 8)], [4294967295, o('fake one', 100, 100, 10)]];
  found.push(...p100);
  if (threads) found.push([123, o('thr', 100, 101, 3)], [789, o('thr', 100, 101, 11)]);
  found.push([123, o('thr', 101, 101, 3)], [789, o('thr', 101, 101, 11)]);
  found.push([1000, o('', 200, 200, 1)]);
  found.push([456, o('', 300, 300, 2)], [456, o('', 300, 300, 2)]);
  found.push([999, o('', 400, 400, 2)]);
  return INODES.map((i) => [i, found.filter(([k]) => k === i).map(([, v]) => v).reverse()]);
}

/** Owner lists compared without the order that depends on readdir of one fd directory. */
function canonical(r: Array<[number, SocketOwner[]]>): string {
  return JSON.stringify(r.map(([i, l]) => [i, l.map((x) => JSON.stringify(x)).sort()]));
}

test('ProcScan: the fake tree, native equals JS equals what ss finds', (t) => {
  if (typeof native.ProcScan !== 'function') { t.skip('addon built before ProcScan (rebuild it)'); return; }
  const root = makeTree(TREE);
  try {
    for (const threads of [false, true]) {
      const js = owners(scanProcesses({ procRoot: root, threads }), INODES);
      assert.equal(canonical(js), canonical(expected(threads)), `JS, threads ${String(threads)}`);
      for (const workers of [1, 2, 3, 0]) {
        // Same order exactly (same readdir order of the same directories).
        assert.deepEqual(nativeScan({ procRoot: root, threads }, workers), js, `native, ${workers} workers, threads ${String(threads)}`);
      }
      // The root with and without its trailing '/'.
      assert.deepEqual(nativeScan({ procRoot: root + '/', threads }, 2), js);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('ProcScan: the inode filter keeps only those inodes', (t) => {
  if (typeof native.ProcScan !== 'function') { t.skip('addon built before ProcScan (rebuild it)'); return; }
  const root = makeTree(TREE);
  try {
    const only = new Set([456, 789, 5, -1, 2 ** 40]);
    const js = owners(scanProcesses({ procRoot: root, threads: true, only }), INODES);
    const all = new Map(expected(true));
    assert.equal(canonical(js), canonical(INODES.map((i) => [i, only.has(i) ? all.get(i)! : []])));
    assert.deepEqual(nativeScan({ procRoot: root, threads: true, only }, 2), js);
    assert.deepEqual(nativeScan({ procRoot: root, only: new Set() }, 1), INODES.map((i) => [i, []]));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('ProcScan: a root that cannot be read has no owners; close() before and after the result', (t) => {
  if (typeof native.ProcScan !== 'function') { t.skip('addon built before ProcScan (rebuild it)'); return; }
  const missing = path.join(os.tmpdir(), `rip-procscan-missing-${process.pid}`);
  assert.equal(scanProcesses({ procRoot: missing }).size, 0);
  assert.deepEqual(nativeScan({ procRoot: missing }, 2), INODES.map((i) => [i, []]));
  const root = makeTree(TREE);
  try {
    // Closed before anything was asked: the walk stops, nothing is found, nothing leaks or hangs.
    const early = startProcessScan({ procRoot: root }, 2);
    early.close();
    assert.equal(early.get(123), undefined);
    // Asked, then closed: the answers already collected stay.
    const s = startProcessScan({ procRoot: root }, 2);
    assert.equal(s.get(1000)?.[0]?.pid, 200);
    s.close();
    assert.equal(s.get(1000)?.[0]?.pid, 200);
    // The raw class: wait() after close() is an error, close() twice is fine.
    const raw = new native.ProcScan!(root, false, null, 1);
    assert.ok(raw.wait(true));
    raw.close();
    raw.close();
    assert.throws(() => raw.wait(true), /EBADF|Bad file/);
    assert.throws(() => new native.ProcScan!(root, false, [1, 2] as unknown as Uint32Array, 1), TypeError);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('ProcScan: names are UTF-8, cut at the first ")"', (t) => {
  if (typeof native.ProcScan !== 'function') { t.skip('addon built before ProcScan (rebuild it)'); return; }
  const root = makeTree([
    { dir: '10', stat: '10 (naïve ☃) S', fds: { 1: 'socket:[1]' } },
    { dir: '11', stat: '  11(tight)x) S', fds: { 1: 'socket:[2]' } },
    { dir: '12', stat: '12 (no close paren', fds: { 1: 'socket:[3]' } },
    { dir: '13', stat: '-13 (neg) S', fds: { 1: 'socket:[4]' } },
  ]);
  try {
    const want = [[1, 'naïve ☃'], [2, 'tight'], [3, 'no close paren'], [4, 'neg']] as const;
    const js = scanProcesses({ procRoot: root });
    const nat = startProcessScan({ procRoot: root }, 1);
    try {
      for (const [ino, name] of want) {
        assert.equal(js.get(ino)?.[0]?.command, name);
        assert.equal(nat.get(ino)?.[0]?.command, name);
      }
    } finally {
      nat.close();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('ProcScan: lookups among many inodes (hash table probing, shared sockets, absent inodes)', (t) => {
  if (typeof native.ProcScan !== 'function') { t.skip('addon built before ProcScan (rebuild it)'); return; }
  // Inodes that differ only in high bits, sequential ones, and the extremes: many land in the same
  // slots. Each process holds some of them, several twice.
  const inodes = [0, 1, 2, 3, 0xffffffff, 0x80000000, 0x7fffffff];
  for (let i = 1; i < 200; i++) inodes.push(i * 0x01000000 >>> 0, 1000 + i, (i * 2654435761) >>> 0);
  const procs: FakeProc[] = [];
  for (let p = 0; p < 5; p++) {
    const fds: Record<string, string> = {};
    inodes.forEach((ino, k) => { if ((k + p) % 3 !== 0) fds[String(3 + k)] = `socket:[${ino}]`; });
    procs.push({ dir: String(50 + p), stat: `${50 + p} (p${p}) S`, fds });
  }
  const root = makeTree(procs);
  try {
    const asked = [...inodes, 4, 999, 0x01000001, 0xfffffffe, -1, 2 ** 32, 1.5];
    const js = scanProcesses({ procRoot: root });
    const want = asked.map((i) => [i, [...(js.get(i) ?? [])]]);
    assert.equal(js.size, new Set(inodes).size);
    for (const workers of [1, 2]) {
      const s = startProcessScan({ procRoot: root }, workers);
      try {
        assert.deepEqual(asked.map((i) => [i, [...(s.get(i) ?? [])]]), want);
        // The users:(...) text made directly from the words = formatOwners of the owners.
        assert.ok(typeof s.text === 'function');
        for (const threads of [false, true]) {
          for (const i of asked) {
            const list = js.get(i);
            assert.equal(ownersText(s, i, threads), list ? formatOwners(list, threads) : undefined, `inode ${i}`);
            assert.equal(ownersText(js, i, threads), list ? formatOwners(list, threads) : undefined);
          }
        }
      } finally {
        s.close();
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('startProcessScan without the native class (an older addon): the JS walk, same answers', (t) => {
  const saved = native.ProcScan;
  if (typeof saved !== 'function') { t.skip('addon built before ProcScan (this is the fallback already)'); return; }
  const root = makeTree(TREE);
  const binding = native as { ProcScan?: typeof saved };
  try {
    const want = nativeScan({ procRoot: root, threads: true }, 2);
    delete binding.ProcScan;
    assert.equal(typeof native.ProcScan, 'undefined');
    assert.deepEqual(nativeScan({ procRoot: root, threads: true }, 2), want);
    assert.deepEqual(want, owners(scanProcesses({ procRoot: root, threads: true }), INODES));
  } finally {
    binding.ProcScan = saved;
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('startProcessScan takes over the walk bin/rip.js started, when it is the same walk', (t) => {
  const ProcScan = native.ProcScan;
  if (typeof ProcScan !== 'function') { t.skip('addon built before ProcScan (rebuild it)'); return; }
  const a = makeTree([{ dir: '5', stat: '5 (from-a) S', fds: { 1: 'socket:[77]' } }]);
  const b = makeTree([{ dir: '6', stat: '6 (from-b) S', fds: { 1: 'socket:[77]' } }]);
  const key = Symbol.for('rip.ss.procScan');
  const g = globalThis as { [key]?: unknown };
  const who = (opts: ProcScanOptions): string | undefined => {
    const s = startProcessScan(opts);
    try { return s.get(77)?.[0]?.command; } finally { s.close(); }
  };
  try {
    // A walk of tree b, registered as if for root a: taken over, so it answers with b's process.
    g[key] = { root: a + '/', threads: false, scan: new ProcScan(b, false, null, 0) };
    assert.equal(who({ procRoot: a }), 'from-b');
    assert.equal(g[key], undefined, 'taken once');
    assert.equal(who({ procRoot: a }), 'from-a');
    // Not the same walk (threads, root, an inode filter): stopped, and a walk of its own answers.
    for (const opts of [{ procRoot: a, threads: true }, { procRoot: b }, { procRoot: a, only: new Set([77]) }]) {
      g[key] = { root: a + '/', threads: false, scan: new ProcScan(b, false, null, 0) };
      const own = opts.procRoot === b ? 'from-b' : 'from-a';
      assert.equal(who(opts), own);
      assert.equal(g[key], undefined);
    }
    // Something else under the key is ignored.
    g[key] = { root: 1 };
    assert.equal(who({ procRoot: a }), 'from-a');
  } finally {
    delete g[key];
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  }
});
