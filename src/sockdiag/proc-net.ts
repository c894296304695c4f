/**
 * The /proc/net fallback ss uses when sock_diag lacks a table (e.g. a kernel
 * without raw_diag): /proc/net/{tcp,udp,raw}{,6} lines parsed into the same
 * {@link InetSocket} shape. The files describe the namespace of the process
 * reading them, so another namespace is read through a short-lived helper
 * process inside it.
 * @module
 */
import { closeSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { native } from '../netlink/native.js';
import { netnsTarget, type NetnsRef } from '../netlink/socket.js';
import { formatIPv4, formatIPv6 } from '../netlink/addr.js';
import { SS_STATE_NAMES, type InetSocket } from './types.js';
import { inetNetid } from './decode.js';

/** Run `fn` with the /proc/…/net directory of `netns` (or /proc/net for the caller's). */
export async function withNetDir<T>(netns: NetnsRef | undefined, fn: (netDir: string) => T): Promise<T> {
  if (netns === undefined) return fn('/proc/net');
  const target = netnsTarget(netns);
  const nsPath = typeof target === 'number' ? `/proc/${target}/ns/net` : target;
  const child = native.spawnInNetns(nsPath, ['sleep', '5'], null);
  try {
    let want: bigint | null = null;
    try { want = statSync(nsPath, { bigint: true }).ino; } catch { want = null; }
    for (let i = 0; i < 500; i++) {
      try {
        const link = readlinkSync(`/proc/${child.pid}/ns/net`);
        const m = /\[(\d+)\]/.exec(link);
        if (m && (want === null || BigInt(m[1]!) === want)) break;
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 2));
    }
    return fn(`/proc/${child.pid}/net`);
  } finally {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
    for (let i = 0; i < 100 && !native.waitPidfd(child.pidfd); i++) await new Promise((r) => setTimeout(r, 2));
    native.close(child.pidfd);
  }
}

function hexAddr(text: string, v6: boolean): Buffer {
  // Each 32-bit word is printed as host-order hex (%08X of the raw u32).
  const words = v6 ? 4 : 1;
  const b = Buffer.alloc(words * 4);
  for (let i = 0; i < words; i++) b.writeUInt32LE(parseInt(text.slice(i * 8, i * 8 + 8), 16) >>> 0, i * 4);
  return b;
}

/**
 * Parse one /proc/net/{tcp,udp,raw}{,6} file. `protocol` is the table's
 * IPPROTO (raw: 255). Header line skipped; malformed lines end the parse.
 */
export function parseProcNetInet(text: string, family: number, protocol: number): InetSocket[] {
  const out: InetSocket[] = [];
  const v6 = family === 10;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer [drops|…]
    if (f.length < 10) break;
    const [la, lp] = f[1]!.split(':') as [string, string];
    const [ra, rp] = f[2]!.split(':') as [string, string];
    const state = parseInt(f[3]!, 16);
    const [tx, rx] = f[4]!.split(':').map((x) => parseInt(x, 16)) as [number, number];
    const local = hexAddr(la, v6);
    const peer = hexAddr(ra, v6);
    const s: InetSocket = {
      kind: 'inet', family, protocol, netid: inetNetid(protocol === 255 ? 0 : protocol),
      state, stateName: SS_STATE_NAMES[state] ?? 'UNKNOWN', recvQ: rx, sendQ: tx,
      inode: Number(f[9]), cookie: BigInt('0x' + (f[11] ?? '0')), uid: Number(f[7]),
      localAddress: v6 ? formatIPv6(local) : formatIPv4(local), localPort: parseInt(lp, 16),
      peerAddress: v6 ? formatIPv6(peer) : formatIPv4(peer), peerPort: parseInt(rp, 16),
      localBytes: local, peerBytes: peer, ifindex: 0,
    };
    if (f.length > 12) (s as InetSocket & { procExtra?: string }).procExtra = f.slice(12).join(' ');
    out.push(s);
  }
  return out;
}

/** Read a table of the namespace from /proc/net. */
export async function procNetInet(netns: NetnsRef | undefined, table: 'tcp' | 'udp' | 'raw', families: number[], protocol: number): Promise<InetSocket[]> {
  return withNetDir(netns, (dir) => {
    const out: InetSocket[] = [];
    for (const fam of families) {
      let text: string;
      try { text = readFileSync(`${dir}/${table}${fam === 10 ? '6' : ''}`, 'utf8'); } catch { continue; }
      out.push(...parseProcNetInet(text, fam, protocol));
    }
    return out;
  });
}

/**
 * The ephemeral port range (net.ipv4.ip_local_port_range) of a namespace.
 * A /proc/sys/net file shows the namespace of the task that opens it, so
 * for another namespace it is opened on a thread that joined that namespace
 * (a thread costs far less than a process started inside it).
 */
export async function ephemeralRangeOf(netns: NetnsRef | undefined): Promise<{ min: number; max: number }> {
  const parse = (t: string): { min: number; max: number } | null => {
    const [a, b] = t.trim().split(/\s+/).map(Number);
    return a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && a > 0 ? { min: a, max: b } : null;
  };
  const dflt = { min: 1024, max: 4999 };
  const file = '/proc/sys/net/ipv4/ip_local_port_range';
  try {
    if (netns === undefined) return parse(readFileSync(file, 'utf8')) ?? dflt;
    const fd = native.openInNetns(file, native.constants.O_RDONLY, netnsTarget(netns));
    try {
      return parse(readFileSync(fd, 'utf8')) ?? dflt;
    } finally {
      closeSync(fd);
    }
  } catch {
    return dflt;
  }
}
