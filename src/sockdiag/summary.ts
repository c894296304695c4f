/**
 * `ss -s`: socket counts from /proc/net/sockstat(6) and /proc/net/snmp.
 * These files describe the network namespace of the process reading them,
 * so for another namespace they are read through a helper process living in
 * it (/proc/PID/net/…).
 * @module
 */
import { readFileSync } from 'node:fs';
import type { NetnsRef } from '../netlink/socket.js';
import { withNetDir } from './proc-net.js';

/** The counts ss -s prints (ss's struct ssummary plus TCP CurrEstab). */
export interface SocketSummary {
  sockets: number;
  tcpMem: number; tcpTotal: number; tcpOrphans: number; tcpTimeWait: number;
  tcp4Hashed: number; udp4: number; raw4: number; frag4: number; frag4Mem: number;
  tcp6Hashed: number; udp6: number; raw6: number; frag6: number; frag6Mem: number;
  /** Tcp: CurrEstab from /proc/net/snmp. */
  tcpEstablished: number;
}

function ints(rem: string, positions: number[]): number[] {
  // sscanf "%*s%d%*s%d…": alternating label / number words.
  const w = rem.trim().split(/\s+/);
  return positions.map((i) => parseInt(w[i] ?? '0', 10) || 0);
}

/** Parse sockstat/sockstat6 text into `s` (get_sockstat_line). */
export function parseSockstat(text: string, s: SocketSummary): void {
  for (const line of text.split('\n')) {
    const m = /^(\S+) (.*)$/.exec(line);
    if (!m) continue;
    const [, id, rem] = m as unknown as [string, string, string];
    switch (id) {
      case 'sockets:': [s.sockets] = ints(rem, [1]) as [number]; break;
      case 'UDP:': [s.udp4] = ints(rem, [1]) as [number]; break;
      case 'UDP6:': [s.udp6] = ints(rem, [1]) as [number]; break;
      case 'RAW:': [s.raw4] = ints(rem, [1]) as [number]; break;
      case 'RAW6:': [s.raw6] = ints(rem, [1]) as [number]; break;
      case 'TCP6:': [s.tcp6Hashed] = ints(rem, [1]) as [number]; break;
      case 'FRAG:': [s.frag4, s.frag4Mem] = ints(rem, [1, 3]) as [number, number]; break;
      case 'FRAG6:': [s.frag6, s.frag6Mem] = ints(rem, [1, 3]) as [number, number]; break;
      case 'TCP:': [s.tcp4Hashed, s.tcpOrphans, s.tcpTimeWait, s.tcpTotal, s.tcpMem] = ints(rem, [1, 3, 5, 7, 9]) as [number, number, number, number, number]; break;
    }
  }
}

/** get_snmp_int("Tcp:", key) over /proc/net/snmp text. */
export function snmpValue(text: string, proto: string, key: string): number {
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.startsWith(proto) || !lines[i + 1]!.startsWith(proto)) continue;
    const keys = lines[i]!.trim().split(/\s+/);
    const vals = lines[i + 1]!.trim().split(/\s+/);
    const idx = keys.indexOf(key);
    if (idx > 0) return parseInt(vals[idx] ?? '0', 10) || 0;
  }
  return 0;
}

function emptySummary(): SocketSummary {
  return {
    sockets: 0, tcpMem: 0, tcpTotal: 0, tcpOrphans: 0, tcpTimeWait: 0, tcp4Hashed: 0, udp4: 0, raw4: 0,
    frag4: 0, frag4Mem: 0, tcp6Hashed: 0, udp6: 0, raw6: 0, frag6: 0, frag6Mem: 0, tcpEstablished: 0,
  };
}

/** Summarise from a /proc/…/net directory. */
export function summaryFromNetDir(netDir: string): SocketSummary {
  const s = emptySummary();
  const read = (f: string): string => { try { return readFileSync(`${netDir}/${f}`, 'utf8'); } catch { return ''; } };
  parseSockstat(read('sockstat'), s);
  parseSockstat(read('sockstat6'), s);
  s.tcpEstablished = snmpValue(read('snmp'), 'Tcp:', 'CurrEstab');
  return s;
}

/**
 * The socket summary of a namespace (default: the caller's). For another
 * namespace a short-lived `sleep` is started inside it to read its /proc/PID/net.
 */
export async function socketSummary(opts: { netns?: NetnsRef; procRoot?: string } = {}): Promise<SocketSummary> {
  if (opts.netns === undefined) return summaryFromNetDir(`${opts.procRoot ?? '/proc'}/net`);
  return withNetDir(opts.netns, (dir) => summaryFromNetDir(dir));
}
