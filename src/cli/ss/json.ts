/**
 * `ss -j`: one JSON array of socket objects (beyond iproute2 6.1, which has
 * no JSON for ss). Keys are the library's field names in snake_case; 64-bit
 * counters are printed as exact integers (never rounded through a double).
 * The keys are documented in JSON.md.
 * @module
 */
import type { Sink } from '../../output/printer.js';
import type { Socket } from '../../sockdiag/types.js';
import type { OwnerIndex } from '../../sockdiag/procs.js';

const SKIP = new Set(['localBytes', 'peerBytes', 'rawName', 'wscaleBits', 'flagBits', 'kind', 'raw', 'rawOff']);

function snake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

function str(s: string): string {
  return JSON.stringify(s);
}

/** Serialize with bigints as exact integers and Buffers as hex strings. */
export function toJson(v: unknown, pretty: boolean, depth = 0): string {
  const ind = pretty ? '\n' + '  '.repeat(depth + 1) : '';
  const end = pretty ? '\n' + '  '.repeat(depth) : '';
  const sep = pretty ? ': ' : ':';
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return str(v);
  if (Buffer.isBuffer(v)) return str(v.toString('hex'));
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + v.map((x) => ind + toJson(x, pretty, depth + 1)).join(',') + end + ']';
  }
  if (typeof v === 'object') {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined || SKIP.has(k)) continue;
      parts.push(ind + str(snake(k)) + sep + toJson(x, pretty, depth + 1));
    }
    return parts.length ? '{' + parts.join(',') + end + '}' : '{}';
  }
  return 'null';
}

/** Streams sockets as one JSON array. */
export class JsonSocketWriter {
  private count = 0;
  constructor(private readonly sink: Sink, private readonly pretty: boolean,
    private readonly owners: OwnerIndex | null, private readonly threads: boolean) {}

  socket(s: Socket): void {
    const o: Record<string, unknown> = { ...s };
    if (this.owners && s.inode) {
      const list = this.owners.get(s.inode);
      if (list) o.users = list.map((u) => (this.threads ? { command: u.command, pid: u.pid, tid: u.tid, fd: u.fd } : { command: u.command, pid: u.pid, fd: u.fd }));
    }
    this.sink.write((this.count++ ? ',' : '[') + (this.pretty ? '\n' : '') + toJson(o, this.pretty, 0));
  }

  finish(): void {
    this.sink.write(this.count ? (this.pretty ? '\n]\n' : ']\n') : '[]\n');
  }
}
