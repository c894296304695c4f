/**
 * Which processes hold which sockets: a walk of /proc/PID/fd (and, for
 * threads, of each other thread's fd table), as ss -p/-T does
 * (user_ent_hash_build in iproute2 6.1). Only `socket:[N]` links are kept;
 * the command name comes from the stat file, read at the first socket of
 * each fd table.
 *
 * Two implementations give the same answer: {@link scanProcesses} walks
 * synchronously in JS; {@link startProcessScan} walks on native background
 * threads (the addon's ProcScan) while the caller does other work, and falls
 * back to the first when the addon predates it.
 * @module
 */
import { opendirSync, readlinkSync, openSync, readSync, closeSync } from 'node:fs';
import { native, type NativeProcScan } from '../netlink/native.js';

/** One process (or thread) holding a socket. */
export interface SocketOwner {
  /** Command name (comm). */
  readonly command: string;
  readonly pid: number;
  /** Thread id (equals pid for the main thread). */
  readonly tid: number;
  readonly fd: number;
}

/** Options for {@link scanProcesses} and {@link startProcessScan}. */
export interface ProcScanOptions {
  /** Also scan every thread's fd table (ss -T). */
  readonly threads?: boolean;
  /** /proc mount (ss honours $PROC_ROOT); default `/proc`. */
  readonly procRoot?: string;
  /** Only keep these inodes (skips building entries nobody asks for). */
  readonly only?: ReadonlySet<number>;
}

/** Socket inode → its owners, in the order ss prints them. A `Map` from {@link scanProcesses} is one. */
export interface OwnerIndex {
  get(inode: number): readonly SocketOwner[] | undefined;
  /** {@link formatOwners} of the inode's owners, if the index can make it directly. */
  text?(inode: number, threads: boolean): string | undefined;
}

/** ss's `users:(...)` text of an inode (without the ` users:(` wrapper); '' or undefined when none. */
export function ownersText(ix: OwnerIndex, inode: number, threads: boolean): string | undefined {
  if (ix.text) return ix.text(inode, threads);
  const list = ix.get(inode);
  return list ? formatOwners(list, threads) : undefined;
}

/** ss's root: `/proc/` by default, a `/` appended when missing (so an empty PROC_ROOT is `/`). */
function rootDir(procRoot: string | undefined): string {
  const r = procRoot ?? '/proc/';
  return r.endsWith('/') ? r : r + '/';
}

/**
 * The number a /proc name starts with, as sscanf's `%d` reads it (white
 * space, a sign, digits; ss uses every such name, by that number), or NaN.
 */
function leadingInt(name: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(name);
  if (!m) return NaN;
  const v = Number(m[1]);
  return v >= -0x80000000 && v <= 0x7fffffff ? v : NaN;
}

/**
 * A directory's names in readdir order, as ss sees them (readdirSync sorts
 * them as strings: /proc's 10 would come before its 9). Throws if it cannot
 * be opened; a read error ends the list.
 */
function readdirOrder(dir: string): string[] {
  const d = opendirSync(dir, { bufferSize: 128 });
  const names: string[] = [];
  try {
    for (let e; (e = d.readSync()) !== null;) names.push(e.name);
  } catch {
    // The directory went away while it was read (a process exiting): what was read stands.
  } finally {
    d.closeSync();
  }
  return names;
}

/** How much of a stat file is read for the name (a real one is far shorter). */
const STAT_MAX = 4095;
const statBuf = Buffer.allocUnsafe(STAT_MAX);

/** The name in ROOT/ID/stat as ss's `"%*d (%[^)])"` reads it: up to the first ')'; '' if unreadable. */
function readComm(path: string): string {
  let n = 0;
  try {
    const fd = openSync(path, 'r');
    try {
      for (let r; n < STAT_MAX && (r = readSync(fd, statBuf, n, STAT_MAX - n, null)) > 0;) n += r;
    } finally { closeSync(fd); }
  } catch { return ''; }
  // latin1 keeps one character per byte to match on; the name's bytes are then decoded as UTF-8.
  const m = /^[ \t\n\v\f\r]*[+-]?\d+[ \t\n\v\f\r]*\(([^)\0]*)/.exec(statBuf.toString('latin1', 0, n));
  return m ? Buffer.from(m[1]!, 'latin1').toString('utf8') : '';
}

/**
 * Map socket inode → owners, in the order ss prints them (ss prepends to a
 * hash chain while scanning, so the last process/fd found is printed first).
 * Synchronous: every link is read on the calling thread.
 */
export function scanProcesses(opts: ProcScanOptions = {}): Map<number, SocketOwner[]> {
  const root = rootDir(opts.procRoot);
  const map = new Map<number, SocketOwner[]>();
  let ids: string[];
  try { ids = readdirOrder(root); } catch { return map; }
  const only = opts.only;
  // ROOT/ID/fd/ of process `pid` (ID is the pid, or one of its thread ids).
  const scanFds = (pid: number, id: number): void => {
    const dir = `${root}${id}/fd/`;
    let fds: string[];
    try { fds = readdirOrder(dir); } catch { return; }
    let comm: string | undefined;
    for (const name of fds) {
      const fd = leadingInt(name);
      if (Number.isNaN(fd)) continue;
      let link: string;
      try { link = readlinkSync(dir + fd); } catch { continue; }
      if (!link.startsWith('socket:[')) continue;
      const digits = /^\d+/.exec(link.slice(8));
      const ino = digits ? Number(digits[0]) : NaN;
      if (!(ino <= 0xffffffff) || (only && !only.has(ino))) continue;
      comm ??= readComm(`${root}${id}/stat`);
      const list = map.get(ino);
      const owner: SocketOwner = { command: comm, pid, tid: id, fd };
      if (list) list.unshift(owner); else map.set(ino, [owner]);
    }
  };
  // readdir order of /proc is ascending pid (and of fd/, ascending fd); ss walks it the same way.
  for (const p of ids) {
    const pid = leadingInt(p);
    if (Number.isNaN(pid)) continue;
    scanFds(pid, pid);
    if (!opts.threads) continue;
    let tids: string[];
    try { tids = readdirOrder(`${root}${pid}/task/`); } catch { continue; }
    for (const t of tids) {
      const tid = leadingInt(t);
      // ss reads a thread's table as ROOT/TID/fd/ (where /proc shows it too).
      if (!Number.isNaN(tid) && tid !== pid) scanFds(pid, tid);
    }
  }
  return map;
}

/** A /proc walk started by {@link startProcessScan}. */
export interface ProcessScan extends OwnerIndex {
  /**
   * The owners of `inode`, or undefined if none. The first call waits for
   * the walk to finish (blocking the thread, which has nothing else to do
   * by then).
   */
  get(inode: number): readonly SocketOwner[] | undefined;
  /** Stop the walk if it still runs and free its result (get() then answers from what it collected, if anything). */
  close(): void;
}

/** Words per owner in the native result: inode, pid, tid, fd, name index. */
const W = 5;

/**
 * The native walk's result, looked up by inode in the hash table the walk
 * built (native/procfd.c, ps_assemble). Owner objects are made on request
 * only: ss asks once per printed socket, and a walk of the whole system
 * finds many sockets that no dump prints.
 */
class NativeOwners implements ProcessScan {
  /** Records (W words each), then the chain (one word each), then the table. */
  private words = new Int32Array(0);
  private chain = new Int32Array(0);
  private table = new Int32Array(0);
  private shift = 31;
  private names: readonly string[] = [];
  private scan: NativeProcScan | null;

  constructor(scan: NativeProcScan) { this.scan = scan; }

  private collect(): void {
    const scan = this.scan;
    if (!scan) return;
    this.scan = null;
    try {
      const r = scan.wait(true);
      if (!r) return;
      const n = r.count;
      this.words = new Int32Array(r.words, 0, n * W);
      this.chain = new Int32Array(r.words, n * W * 4, n);
      this.table = new Int32Array(r.words, n * (W + 1) * 4, 2 ** r.bits);
      this.shift = 32 - r.bits;
      this.names = r.names;
    } finally {
      scan.close();
    }
  }

  /** The record of the last owner found of `inode`, or -1. */
  private last(inode: number): number {
    if (this.scan) this.collect();
    const w = this.words, table = this.table, mask = table.length - 1;
    if (mask < 0 || inode !== inode >>> 0) return -1;
    // Its hash's slot, or one of the slots after it.
    let h = Math.imul(inode, 0x9e3779b1) >>> this.shift;
    let i: number;
    while ((i = table[h]!) >= 0 && w[i * W]! >>> 0 !== inode) h = (h + 1) & mask;
    return i;
  }

  get(inode: number): readonly SocketOwner[] | undefined {
    let i = this.last(inode);
    if (i < 0) return undefined;
    const w = this.words, names = this.names, chain = this.chain;
    const list: SocketOwner[] = [];
    // From the last owner found to the first: ss's order.
    for (; i >= 0; i = chain[i]!) {
      const k = i * W;
      list.push({ command: names[w[k + 4]!] ?? '', pid: w[k + 1]!, tid: w[k + 2]!, fd: w[k + 3]! });
    }
    return list;
  }

  text(inode: number, threads: boolean): string | undefined {
    let i = this.last(inode);
    if (i < 0) return undefined;
    const w = this.words, names = this.names, chain = this.chain;
    // formatOwners' text, without an object per owner (ss -p asks this once per printed socket).
    let s = '';
    for (; i >= 0; i = chain[i]!) {
      const k = i * W;
      s += (s ? ',' : '') + ownerText(names[w[k + 4]!] ?? '', w[k + 1]!, w[k + 2]!, w[k + 3]!, threads);
    }
    return s;
  }

  close(): void {
    const scan = this.scan;
    this.scan = null;
    scan?.close();
  }
}

/** The JS walk, run when first asked (for an addon built before ProcScan existed). */
class DeferredOwners implements ProcessScan {
  private map: Map<number, SocketOwner[]> | null = null;
  constructor(private readonly opts: ProcScanOptions) {}
  get(inode: number): readonly SocketOwner[] | undefined {
    this.map ??= scanProcesses(this.opts);
    return this.map.get(inode);
  }
  close(): void { /* nothing runs in the background */ }
}

/** What bin/rip.js started before loading ss (see prestartSsProcScan there). */
interface Prestarted { readonly root: string; readonly threads: boolean; readonly scan: NativeProcScan }
const PRESTARTED = Symbol.for('rip.ss.procScan');

/** The walk bin/rip.js started, if any (once: whoever takes it owns it). */
function takePrestarted(): Prestarted | undefined {
  const g = globalThis as { [PRESTARTED]?: unknown };
  const p = g[PRESTARTED];
  if (p === undefined) return undefined;
  delete g[PRESTARTED];
  const ok = typeof p === 'object' && p !== null && typeof (p as Prestarted).root === 'string' &&
    typeof (p as Prestarted).threads === 'boolean' && typeof (p as Prestarted).scan?.wait === 'function';
  return ok ? p as Prestarted : undefined;
}

/**
 * Start walking /proc (as {@link scanProcesses}) on background threads and
 * return at once; the result is collected by the first
 * {@link ProcessScan.get}. Close it when done (an unclosed walk is stopped
 * when the object is garbage-collected). A walk that bin/rip.js started for
 * the same root and threads (no `only`, default workers) is taken over.
 * @param workers threads to walk with (default: one per CPU but the
 *   caller's, which joins the walk when it waits for it; 1–4)
 */
export function startProcessScan(opts: ProcScanOptions = {}, workers = 0): ProcessScan {
  const early = takePrestarted();
  const root = rootDir(opts.procRoot);
  if (early) {
    if (early.root === root && early.threads === (opts.threads === true) && !opts.only && workers === 0) return new NativeOwners(early.scan);
    early.scan.close();
  }
  const ProcScan = native.ProcScan;
  if (typeof ProcScan !== 'function') return new DeferredOwners(opts);
  // Inodes are 32-bit: other numbers cannot match anything.
  const only = opts.only ? Uint32Array.from([...opts.only].filter((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) : null;
  try {
    return new NativeOwners(new ProcScan(root, opts.threads === true, only, workers));
  } catch {
    // No thread to be had (or a root longer than a path): the same walk, in JS.
    return new DeferredOwners(opts);
  }
}

/** ss's `users:(...)` text for an inode's owners (without the ` users:(` wrapper). */
export function formatOwners(owners: readonly SocketOwner[], threads: boolean): string {
  return owners.map((o) => ownerText(o.command, o.pid, o.tid, o.fd, threads)).join(',');
}

/** One owner in ss's `users:(...)`: `("cmd",pid=P,fd=F)`, with `tid=T,` before fd for -T. */
function ownerText(command: string, pid: number, tid: number, fd: number, threads: boolean): string {
  return '("' + command + '",pid=' + pid + (threads ? ',tid=' + tid : '') + ',fd=' + fd + ')';
}
