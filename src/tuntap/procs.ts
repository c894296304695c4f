/**
 * Which processes have a TUN/TAP device open: iproute2's show_processes(),
 * which walks /proc/PID/fd for links to /dev/net/tun and reads the device
 * name from the `iff:` line of /proc/PID/fdinfo/FD.
 * @module
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { TUN_DEVICE } from './device.js';

/** A process with a queue (fd) of a TUN/TAP device. */
export interface TunTapProcess {
  /** Command name (/proc/PID/comm), or `<NULL>` if unreadable. */
  readonly name: string;
  readonly pid: number;
}

/** Options of {@link tunTapProcesses}. */
export interface ProcessScanOptions {
  /** Leave out this pid (iproute2 leaves out itself). */
  readonly excludePid?: number;
  /**
   * Called for a failure iproute2 reports with perror() and skips, e.g.
   * ('readlink', err) for an fd that went away during the scan.
   */
  readonly onError?: (operation: string, err: NodeJS.ErrnoException) => void;
}

function numericEntries(dir: string): number[] {
  // readdir order is ascending for /proc and fd directories; Node sorts by name, so sort by number again.
  const out: number[] = [];
  for (const n of readdirSync(dir)) if (/^[0-9]+$/.test(n)) out.push(Number(n));
  return out.sort((a, b) => a - b);
}

/**
 * The processes attached to each TUN/TAP device name, in /proc order (pid,
 * then fd; a process appears once per fd it holds). Names are matched
 * across all namespaces, as iproute2 does.
 */
export function tunTapProcesses(opts: ProcessScanOptions = {}): Map<string, TunTapProcess[]> {
  const found = new Map<string, TunTapProcess[]>();
  let pids: number[];
  try {
    pids = numericEntries('/proc');
  } catch {
    return found;
  }
  for (const pid of pids) {
    if (pid === opts.excludePid) continue;
    let fds: number[];
    try {
      fds = numericEntries(`/proc/${pid}/fd`);
    } catch {
      continue; // the process exited, or its fd directory is not ours to read
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch (e) {
        opts.onError?.('readlink', e as NodeJS.ErrnoException);
        continue;
      }
      if (target !== TUN_DEVICE) continue;
      let info: string;
      try {
        info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1');
      } catch (e) {
        opts.onError?.('fopen', e as NodeJS.ErrnoException);
        continue;
      }
      const m = /^iff:[ \t]*(\S+)/m.exec(info);
      if (!m) continue; // an fd not attached to a device yet
      const list = found.get(m[1]!) ?? [];
      list.push({ name: taskName(pid), pid });
      found.set(m[1]!, list);
    }
  }
  return found;
}

/** get_task_name(): /proc/PID/comm without its newline. */
function taskName(pid: number): string {
  try {
    const s = readFileSync(`/proc/${pid}/comm`, 'utf8');
    const nl = s.indexOf('\n');
    return nl < 0 ? s : s.slice(0, nl);
  } catch {
    return '<NULL>';
  }
}
