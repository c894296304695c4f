/**
 * Capture the netlink requests iproute2 sends for one command line into a
 * golden fixture (see golden.ts for the format).
 *
 * Usage (as root; compiled to dist/test/helpers/capture-golden.js):
 * ```
 * node dist/test/helpers/capture-golden.js <suite> [--setup "ip link add ..."]... [--type N|RTM_NAME]... -- tc qdisc add dev veth0 root tbf ...
 * ```
 * Appends the entry to test/fixtures/golden/<suite>.json, or replaces the entry
 * with the same cmd.
 *
 * How: a fresh namespace (so ifindexes are the same on every capture: lo = 1,
 * then each link created by the setup in order), the setup commands run in it
 * with `sh -c`, then the command runs under
 * `strace -f -e trace=sendmsg,sendto -e write=all -xx`. We read strace's hex
 * dump of the written data (`-e write=`) rather than its decoded argument
 * text, because strace decodes rtnetlink messages into C-like text that
 * cannot be turned back into bytes. The kernel may reject the request (e.g. a
 * feature missing on this kernel); that does not matter, only the bytes do.
 *
 * Which messages are kept: with `--type`, only those nlmsg_types. Without it,
 * everything except RTM_GETLINK (18) — iproute2's name→ifindex lookups — unless
 * every message is an RTM_GETLINK (then the command itself is a link query).
 * Every kept message has nlmsg_seq and nlmsg_pid zeroed.
 *
 * Generic netlink (`--genl`): the command's family id is allocated by each
 * kernel at run time, so the nlctrl messages (family resolution, type 0x10)
 * are dropped and every kept message has its nlmsg_type zeroed as well; a test
 * zeroes the type of its own message the same way before comparing.
 * @module
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestNetns } from './netns.js';
import { goldenPath, normalize, readGoldenFile, splitMessages, type GoldenEntry } from './golden.js';
import { RTM, GENL_ID } from '../../src/netlink/constants.js';

const RTM_GETLINK = 18;

interface Options { suite: string; setup: string[]; types: number[]; genl: boolean; argv: string[] }

function usage(msg: string): never {
  process.stderr.write(`capture-golden: ${msg}\nusage: capture-golden <suite> [--setup CMD]... [--type N|RTM_NAME]... [--genl] -- COMMAND ARGS...\n`);
  process.exit(2);
}

function parseType(s: string): number {
  if (/^(0x)?[0-9a-f]+$/i.test(s)) return Number(s);
  const k = s.replace(/^RTM_/, '') as keyof typeof RTM;
  const v = RTM[k];
  if (v === undefined) usage(`unknown message type "${s}"`);
  return v;
}

function parseArgs(args: string[]): Options {
  const o: Options = { suite: '', setup: [], types: [], genl: false, argv: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { o.argv = args.slice(i + 1); break; }
    if (a === '--genl') { o.genl = true; continue; }
    if (a === '--setup' || a === '--type') {
      const v = args[++i];
      if (v === undefined) usage(`${a} needs a value`);
      if (a === '--setup') o.setup.push(v); else o.types.push(parseType(v));
    } else if (!o.suite && !a.startsWith('-')) o.suite = a;
    else usage(`unexpected argument "${a}"`);
  }
  if (!o.suite) usage('missing suite name');
  if (!/^[\w.-]+$/.test(o.suite)) usage(`bad suite name "${o.suite}"`);
  if (o.argv.length === 0) usage('missing command after --');
  return o;
}

/**
 * Parse strace output written with `-e write=all`: each sendmsg/sendto line is
 * followed by ` | 00000  28 00 00 00 ...  ascii |` dump lines (for sendmsg,
 * one block per iovec, announced by ` * N bytes in buffer K`).
 */
export function parseStraceDump(text: string): Buffer[] {
  const sends: Buffer[] = [];
  let cur: number[] | null = null;
  const flush = (): void => { if (cur && cur.length) sends.push(Buffer.from(cur)); cur = null; };
  for (const line of text.split('\n')) {
    const dump = /^ \| [0-9a-f]{5}  ((?:[0-9a-f]{2} {1,2}){1,16})/.exec(line);
    if (dump) {
      if (cur) for (const h of dump[1]!.trim().split(/\s+/)) cur.push(parseInt(h, 16));
      continue;
    }
    if (/^ \* \d+ bytes in buffer/.test(line)) continue;
    if (/^\d+\s+(sendmsg|sendto)\(/.test(line) || /^(sendmsg|sendto)\(/.test(line)) { flush(); cur = []; continue; }
    if (line.trim()) flush();
  }
  flush();
  return sends;
}

/** A copy of a generic netlink message with nlmsg_type (the run-time family id) zeroed. */
export function zeroGenlFamily(m: Buffer): Buffer {
  const b = Buffer.from(m);
  b.writeUInt16LE(0, 4);
  return b;
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  if (process.getuid?.() !== 0) usage('must run as root (it creates a network namespace)');
  const ns = createTestNetns('rip-golden');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rip-golden-'));
  try {
    for (const s of o.setup) {
      const r = ns.run('sh', ['-c', s]);
      if (r.status !== 0) throw new Error(`setup "${s}" failed: ${r.stderr.trim()}`);
    }
    const trace = path.join(tmp, 'strace.txt');
    const r = ns.run('strace', ['-f', '-qq', '-e', 'trace=sendmsg,sendto', '-e', 'write=all', '-xx', '-s', '65536', '-o', trace, '--', ...o.argv]);
    if (!fs.existsSync(trace)) throw new Error(`strace did not run: ${r.stderr.trim()}`);
    process.stderr.write(`command exited ${String(r.status)}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}\n`);
    // A send's bytes are netlink messages if its first nlmsg_len fits the buffer.
    const all = parseStraceDump(fs.readFileSync(trace, 'utf8')).flatMap((b) => splitMessages(b)).map((m) => normalize(m));
    const typeOf = (m: Buffer): number => m.readUInt16LE(4);
    const kept = o.genl
      ? all.filter((m) => typeOf(m) !== GENL_ID.CTRL).map(zeroGenlFamily)
      : o.types.length
        ? all.filter((m) => o.types.includes(typeOf(m)))
        : all.every((m) => typeOf(m) === RTM_GETLINK) ? all : all.filter((m) => typeOf(m) !== RTM_GETLINK);
    if (kept.length === 0) throw new Error(`no netlink messages captured (saw types ${all.map(typeOf).join(', ') || 'none'})`);
    const entry: GoldenEntry = { cmd: o.argv.join(' '), setup: o.setup, messages: kept.map((m) => m.toString('hex')) };
    const entries = readGoldenFile(o.suite).filter((e) => e.cmd !== entry.cmd);
    entries.push(entry);
    const file = goldenPath(o.suite);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(entries, null, 2) + '\n');
    process.stderr.write(`${file}: ${entry.cmd}: ${kept.length} message(s), types ${kept.map(typeOf).join(', ')}\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    ns.cleanup();
  }
}

// Run only as a script, so tests can import parseStraceDump.
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`capture-golden: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
