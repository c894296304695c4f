/**
 * What the `tc` subcommands share: tc's global options on top of the CLI
 * context, the kind environment, device names, the statistics printer
 * (tc_util.c print_tcstats_attr) and tc's error/exit conventions.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CliError } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkSocket, type MessageView, type RequestBuilder, type RequestOptions } from '../../netlink/socket.js';
import { NETLINK, NLM_F, RTM } from '../../netlink/constants.js';
import { qdiscKind } from '../../tc/kind.js';
import { KIND_LOADERS } from '../../tc/kinds/loaders.js';
import type { Printer } from '../../output/printer.js';
import type { TcEnv } from '../../tc/kind.js';
import { TcArgError } from '../../tc/kind.js';
import type { TcAttrs } from '../../tc/schema.js';
import { sprintRate, sprintSize, PercentRateError, readLinkSpeed } from '../../tc/units.js';
import { kindAt } from '../../tc/scan.js';
import { printStats2 } from '../../tc/print-stats.js';

/** tc-only global options (tc.c main). */
export interface TcOptions {
  /** -nm / -names */
  names: boolean;
  /** -cf / -conf FILE */
  confFile: string | undefined;
  /** -g / -graph */
  graph: boolean;
  /** -b / -brief */
  brief: boolean;
}

/** tc-only options of the current invocation (set by main, read by the object modules). */
export const tcOptions: TcOptions = { names: false, confFile: undefined, graph: false, brief: false };

/**
 * An exit() inside tc (invarg, duparg, incomplete_command, usage paths):
 * ends the whole program, even in -batch mode.
 */
export class TcExit extends CliError {}

/** tc's invarg(): exit 255 with its text. */
export function invarg(msg: string, arg: string): never {
  throw new TcExit(`Error: argument "${arg}" is wrong: ${msg}`, 255);
}
/** tc's duparg(). */
export function duparg(key: string, arg: string): never {
  throw new TcExit(`Error: duplicate "${key}": "${arg}" is the second value.`, 255);
}
/** tc's incomplete_command(). */
export function incomplete(): never {
  throw new TcExit('Command line is not complete. Try option "help"', 255);
}

/** Turn a kind parser's TcArgError into tc's outcome: 255 = exit(), else the command fails with that status. */
export function fromKindError(e: unknown): never {
  if (e instanceof TcArgError) {
    if (e.exits) throw new TcExit(e.message, e.exitCode);
    throw new CliError(e.message, e.exitCode);
  }
  throw e;
}

/** Interface index ↔ name of a namespace (iproute2's ll_map), from one link dump. */
export class TcLinks {
  constructor(private readonly byIndex: ReadonlyMap<number, string>, private readonly byName: ReadonlyMap<string, number>) {}
  /** ll_name_to_index(): 0 when unknown (`ifN` is taken as index N). */
  index(name: string): number {
    const i = this.byName.get(name);
    if (i !== undefined) return i;
    const m = /^if(\d+)$/.exec(name);
    return m ? Number(m[1]) : 0;
  }
  /** ll_index_to_name(): `*` for 0, `ifN` when unknown. */
  name(index: number): string {
    if (index === 0) return '*';
    return this.byIndex.get(index) ?? `if${index}`;
  }
}

/**
 * The rtnetlink socket of a tc command. The tc CLI talks netlink through its
 * own socket rather than the full `Netlink` handle so that start-up loads only
 * the tc modules (start-up dominates short commands).
 */
export class TcNet {
  private linksP: Promise<TcLinks> | undefined;
  private constructor(readonly sock: NetlinkSocket) {}

  static open(netns: string | undefined): TcNet {
    const sock = NetlinkSocket.open(NETLINK.ROUTE, netns !== undefined ? { netns } : {});
    try { sock.setOption(NETLINK.GET_STRICT_CHK, 1); } catch { /* kernels before 4.20 */ }
    return new TcNet(sock);
  }

  /** Names of the namespace's links (dumped once). */
  links(): Promise<TcLinks> {
    this.linksP ??= (async () => {
      const stream = this.sock.dump<[number, string]>((w, seq) => {
        const s = w.beginMessage(RTM.GETLINK, NLM_F.DUMP | NLM_F.REQUEST, seq);
        w.zeros(16); // struct ifinfomsg
        const a = w.beginAttr(29); // IFLA_EXT_MASK
        w.u32(8); // RTEXT_FILTER_SKIP_STATS
        w.endAttr(a);
        w.endMessage(s);
      }, (m) => linkName(m), 'dump links', { interrupted: 'partial' });
      const byIndex = new Map<number, string>();
      const byName = new Map<string, number>();
      for (const [i, n] of await stream.toArray()) { byIndex.set(i, n); byName.set(n, i); }
      return new TcLinks(byIndex, byName);
    })();
    return this.linksP;
  }

  /** Send one acknowledged request. */
  async request(build: RequestBuilder, what: string, opts: RequestOptions): Promise<void> {
    await this.sock.request(build, what, opts);
  }

  close(): void { this.sock.close(); }
}

/** ifindex and IFLA_IFNAME of an RTM_NEWLINK message, read without decoding the rest. */
function linkName(m: MessageView): [number, string] | undefined {
  if (m.type !== RTM.NEWLINK || m.len < 16) return undefined;
  const index = m.buf.readInt32LE(m.off + 4);
  const end = m.off + m.len;
  for (let p = m.off + 16; end - p >= 4;) {
    const len = m.buf.readUInt16LE(p);
    if (len < 4 || len > end - p) break;
    if ((m.buf.readUInt16LE(p + 2) & 0x3fff) === 3) {
      const z = m.buf.indexOf(0, p + 4);
      return [index, m.buf.toString('utf8', p + 4, z >= 0 && z < p + len ? z : p + len)];
    }
    p += (len + 3) & ~3;
  }
  return [index, `if${index}`];
}

const nets = new WeakMap<CliContext, TcNet>();

/** The tc socket of a CLI context (opened on first use; closed by {@link closeTcNet}). */
export function tcNet(ctx: CliContext): TcNet {
  let n = nets.get(ctx);
  if (!n) { n = TcNet.open(ctx.opts.netns); nets.set(ctx, n); }
  return n;
}

/** Close the tc socket of a context, if one was opened. */
export function closeTcNet(ctx: CliContext): void {
  nets.get(ctx)?.close();
  nets.delete(ctx);
}

/** Device names of the namespace, loaded once per command. */
export async function linkMap(ctx: CliContext): Promise<TcLinks> {
  return tcNet(ctx).links();
}

// ---------------------------------------------------------------- kinds on demand

const tried = new Set<string>();

/**
 * Load the kind modules named by `names` unless registered already; names
 * without a module are left to tc's unknown-kind behaviour. Loading only what
 * a command needs keeps start-up short.
 */
export async function ensureKinds(names: Iterable<string>): Promise<void> {
  const loads: Array<Promise<unknown>> = [];
  for (const name of names) {
    if (tried.has(name) || qdiscKind(name)) continue;
    tried.add(name);
    const load = Object.hasOwn(KIND_LOADERS, name) ? KIND_LOADERS[name] : undefined;
    if (load) loads.push(load());
  }
  await Promise.all(loads);
}

/** Every registered kind module (for long-running commands such as monitor). */
export async function loadAllKinds(): Promise<void> {
  await import('../../tc/kinds/index.js');
}

/** TCA_KIND of a tc message (tcmsg + attributes), read without decoding. */
export function kindOf(m: MessageView): string | undefined {
  const end = m.off + m.len;
  for (let p = m.off + 20; end - p >= 4;) {
    const len = m.buf.readUInt16LE(p);
    if (len < 4 || len > end - p) return undefined;
    if ((m.buf.readUInt16LE(p + 2) & 0x3fff) === 1) return kindAt(m.buf, p + 4, len - 4);
    p += (len + 3) & ~3;
  }
  return undefined;
}

/** Load the kinds of a batch of dumped messages before printing them. */
export async function ensureKindsOf(batch: readonly MessageView[]): Promise<void> {
  let names: Set<string> | undefined;
  for (const m of batch) {
    const k = kindOf(m);
    if (k !== undefined && !tried.has(k) && !qdiscKind(k)) (names ??= new Set()).add(k);
  }
  if (names) await ensureKinds(names);
}

/** Whether the kind module of `m` is loaded or cannot be (so that {@link ensureKindsOf} has nothing to do for it). */
export function kindReady(m: MessageView): boolean {
  const k = kindOf(m);
  return k === undefined || tried.has(k) || qdiscKind(k) !== undefined || !Object.hasOwn(KIND_LOADERS, k);
}

/**
 * node:child_process, loaded on first use: only percent rates need it, and
 * loading it (with net, dgram, …) was a noticeable part of every tc start-up.
 */
function childProcess(): typeof import('node:child_process') {
  return createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
}

/** Link speed for percent rates (read_prop(dev, "speed")), in the command's namespace. */
function linkSpeed(ctx: CliContext, dev: string): number {
  if (ctx.opts.netns === undefined) return readLinkSpeed(dev);
  // tc switches namespace and remounts /sys; we read the namespace's sysfs through ip netns exec.
  const fname = `/sys/class/net/${dev}/speed`;
  const r = childProcess().spawnSync('ip', ['netns', 'exec', ctx.opts.netns, 'cat', fname], { encoding: 'utf8' });
  if (r.status !== 0) {
    const reason = /No such file/.test(r.stderr) ? 'No such file or directory' : /Invalid argument/.test(r.stderr) ? 'Invalid argument' : r.stderr.trim();
    throw new PercentRateError(`fopen ${fname}: ${reason}`);
  }
  const line = r.stdout.split('\n')[0] ?? '';
  if (!/^[+-]?\d+$/.test(line)) throw new PercentRateError(`value "${line}" in file ${fname} is not a number\nFailed to parse ${fname}`);
  return Number(line);
}

/** The TcEnv handed to kind parsers and printers. */
export function tcEnv(ctx: CliContext, dev = ''): TcEnv {
  return {
    ifindex: 0,
    iec: ctx.opts.iec,
    stats: ctx.opts.stats,
    details: ctx.opts.details,
    raw: ctx.opts.raw,
    dev,
    linkSpeed: () => linkSpeed(ctx, dev),
    warn: (msg: string) => { ctx.printer.flush(); process.stderr.write(`${msg}\n`); },
  };
}

/** Read a whole file for -batch (tc's freopen message on failure). */
export function readBatchFile(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : code === 'EISDIR' ? 'Is a directory' : String((e as Error).message);
    throw new CliError(`Cannot open file "${file}" for reading: ${reason}`, 1);
  }
}

/**
 * print_tcstats_attr(): the `-s` lines (Sent …, rate …, backlog …).
 * Returns the raw xstats payload tc would hand to the kind printer.
 */
export function printTcStats(p: Printer, a: TcAttrs, prefix: string, iec: boolean): Buffer | unknown | undefined {
  const s2 = a.stats2;
  if (s2) {
    printStats2(p, s2, prefix, iec);
    return s2.app ?? a.xstats;
  }
  const st = a.stats;
  if (st) {
    // Legacy TCA_STATS: tc writes it with fprintf, in text even under -j.
    let out = `${prefix}Sent ${st.bytes} bytes ${st.packets} pkts (dropped ${st.drops}, overlimits ${st.overlimits}) `;
    if (st.bps || st.pps || st.qlen || st.backlog) {
      out += `\n${prefix}`;
      if (st.bps || st.pps) {
        out += 'rate ';
        if (st.bps) out += `${sprintRate(BigInt(st.bps), iec)} `;
        if (st.pps) out += `${st.pps}pps `;
      }
      if (st.qlen || st.backlog) {
        out += 'backlog ';
        if (st.backlog) out += `${sprintSize(st.backlog)} `;
        if (st.qlen) out += `${st.qlen}p `;
      }
    }
    p.rawText(out);
  }
  return a.xstats;
}
