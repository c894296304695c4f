/**
 * Which processes hold which sockets: a scan of /proc/PID/fd (and, for
 * threads, /proc/PID/task/TID/fd), as ss -p/-T does (user_ent_hash_build).
 * Only `socket:[N]` links are kept; the command name comes from
 * /proc/PID/stat, read once per process that has a socket.
 * @module
 */
import { readdirSync, readlinkSync, readFileSync } from 'node:fs';

/** One process (or thread) holding a socket. */
export interface SocketOwner {
  /** Command name (comm). */
  readonly command: string;
  readonly pid: number;
  /** Thread id (equals pid for the main thread). */
  readonly tid: number;
  readonly fd: number;
}

/** Options for {@link scanProcesses}. */
export interface ProcScanOptions {
  /** Also scan every thread's fd table (ss -T). */
  readonly threads?: boolean;
  /** /proc mount (ss honours $PROC_ROOT). */
  readonly procRoot?: string;
  /** Only keep these inodes (skips building entries nobody asks for). */
  readonly only?: ReadonlySet<number>;
}

/**
 * Map socket inode → owners, in the order ss prints them (ss prepends to a
 * hash chain while scanning, so the last process/fd found is printed first).
 */
export function scanProcesses(opts: ProcScanOptions = {}): Map<number, SocketOwner[]> {
  const root = (opts.procRoot ?? '/proc').replace(/\/+$/, '');
  const map = new Map<number, SocketOwner[]>();
  let pids: string[];
  try { pids = readdirSync(root); } catch { return map; }
  const only = opts.only;
  const scanTask = (dir: string, pid: number, tid: number, statPath: string): void => {
    let fds: string[];
    try { fds = readdirSync(`${dir}/fd`); } catch { return; }
    let comm: string | undefined;
    for (const name of fds) {
      const fd = parseInt(name, 10);
      if (!Number.isFinite(fd)) continue;
      let link: string;
      try { link = readlinkSync(`${dir}/fd/${name}`); } catch { continue; }
      if (!link.startsWith('socket:[')) continue;
      const ino = parseInt(link.slice(8), 10);
      if (!Number.isFinite(ino) || (only && !only.has(ino))) continue;
      if (comm === undefined) {
        comm = '';
        try {
          const st = readFileSync(statPath, 'latin1');
          const open = st.indexOf('(');
          const close = st.lastIndexOf(')');
          // ss reads with "%*d (%[^)])": the name stops at the first ')'.
          if (open >= 0 && close > open) { const inner = st.slice(open + 1, close); const p = inner.indexOf(')'); comm = p >= 0 ? inner.slice(0, p) : inner; }
        } catch { /* gone */ }
      }
      const list = map.get(ino);
      const owner: SocketOwner = { command: comm, pid, tid, fd };
      if (list) list.unshift(owner); else map.set(ino, [owner]);
    }
  };
  // readdir order of /proc is ascending pid; ss walks it the same way.
  for (const p of pids) {
    const pid = parseInt(p, 10);
    if (!Number.isFinite(pid) || String(pid) !== p) continue;
    scanTask(`${root}/${p}`, pid, pid, `${root}/${p}/stat`);
    if (opts.threads) {
      let tids: string[];
      try { tids = readdirSync(`${root}/${p}/task`); } catch { continue; }
      for (const t of tids) {
        const tid = parseInt(t, 10);
        if (!Number.isFinite(tid) || tid === pid) continue;
        scanTask(`${root}/${p}/task/${t}`, pid, tid, `${root}/${p}/task/${t}/stat`);
      }
    }
  }
  return map;
}

/** ss's `users:(...)` text for an inode's owners (without the ` users:(` wrapper). */
export function formatOwners(owners: readonly SocketOwner[], threads: boolean): string {
  return owners.map((o) => `("${o.command}",pid=${o.pid},${threads ? `tid=${o.tid},` : ''}fd=${o.fd})`).join(',');
}
