/**
 * `ip`: global options and object dispatch, as iproute2's ip/ip.c.
 * Object handlers live one per file and are loaded on demand (start-up time).
 * @module
 */
import { readFileSync, existsSync, openSync, fstatSync, readSync, closeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { Args, CliError, invarg, matches } from '../common/args.js';
import { CliContext, defaultGlobals, type GlobalOptions } from '../common/context.js';
import { reportError } from '../common/errors.js';
import { splitBatchLine } from '../common/batch.js';
import { RequestBatch } from '../../netlink/batch.js';
import { NETLINK } from '../../netlink/constants.js';
import type { MessageCodec } from '../../netlink/codec/schema.js';
import type { Writer } from '../../netlink/codec/writer.js';
import { matchesColor, colorEnabled, type ColorOption } from '../../output/color.js';

/** An `ip OBJECT …` handler: returns the exit status. */
export type IpHandler = (ctx: CliContext, args: Args) => Promise<number>;

const notYet = (name: string): (() => Promise<{ default: IpHandler }>) => async () => ({
  default: async () => { throw new CliError(`ip ${name}: not supported by rip yet`, 1); },
});

/** What an object module exports: its command, and optionally its `-batch` hooks. */
interface IpModule {
  default: IpHandler;
  pipeline?: IpPipeline;
  fastLines?: (ctx: CliContext) => FastBatchLine | undefined;
  bulkLines?: (ctx: CliContext, maxRequests: number) => BulkBatchLines | undefined;
}

/** iproute2's object table, in its order (prefix matching picks the first). */
const OBJECTS: ReadonlyArray<readonly [string, () => Promise<IpModule>]> = [
  ['address', () => import('./address.js')],
  ['addrlabel', () => import('./addrlabel.js')],
  ['maddress', () => import('./maddress.js')],
  ['route', () => import('./route.js')],
  ['rule', () => import('./rule.js')],
  ['neighbor', () => import('./neighbor.js')],
  ['neighbour', () => import('./neighbor.js')],
  ['ntable', () => import('./ntable.js')],
  ['ntbl', () => import('./ntable.js')],
  ['link', () => import('./link.js')],
  ['l2tp', () => import('./l2tp.js')],
  ['fou', notYet('fou')],
  ['ila', notYet('ila')],
  ['macsec', notYet('macsec')],
  ['tunnel', notYet('tunnel')],
  ['tunl', notYet('tunl')],
  ['tuntap', () => import('./tuntap.js')],
  ['tap', () => import('./tuntap.js')],
  ['token', notYet('token')],
  ['tcpmetrics', () => import('./tcp-metrics.js')],
  ['tcp_metrics', () => import('./tcp-metrics.js')],
  ['monitor', () => import('./monitor.js')],
  ['xfrm', () => import('./xfrm.js')],
  ['mroute', () => import('./mroute.js')],
  ['mrule', () => import('./mrule.js')],
  ['netns', () => import('./netns.js')],
  ['netconf', () => import('./netconf.js')],
  ['vrf', () => import('./vrf.js')],
  ['sr', notYet('sr')],
  ['nexthop', () => import('./nexthop.js')],
  ['mptcp', notYet('mptcp')],
  ['ioam', notYet('ioam')],
  ['help', async () => ({ default: async () => usage() })],
  ['stats', notYet('stats')],
];

/** Register (or replace) the handler of an object: used by the object modules' index. */
export function objectTable(): ReadonlyArray<readonly [string, () => Promise<{ default: IpHandler }>]> {
  return OBJECTS;
}

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

function usage(): never {
  throw new CliError(USAGE.trimEnd());
}

/** read_family() */
export function readFamily(name: string): number {
  if (name === 'inet') return 2;
  if (name === 'inet6') return 10;
  if (name === 'link') return 17;
  if (name === 'ipx') return 4;
  if (name === 'dnet') return 12;
  if (name === 'mpls') return 28;
  if (name === 'bridge') return 7;
  return 0;
}

/** Parse leading global options; returns the rest of argv. */
export function parseGlobals(argv: string[], opts: GlobalOptions, prog = 'ip'): string[] {
  let i = 0;
  let color: ColorOption = 'never';
  while (i < argv.length) {
    let opt = argv[i]!;
    if (opt === '--') { i++; break; }
    if (!opt.startsWith('-')) break;
    if (opt[1] === '-') opt = opt.slice(1);
    const needValue = (): string => {
      i++;
      const v = argv[i];
      if (v === undefined) usage();
      return v;
    };
    if (matches(opt, '-loops')) { needValue(); }
    else if (matches(opt, '-family')) {
      const v = needValue();
      if (v === 'help') usage();
      opts.family = readFamily(v);
      if (opts.family === 0) invarg('invalid protocol family', v);
    }
    else if (opt === '-4') opts.family = 2;
    else if (opt === '-6') opts.family = 10;
    else if (opt === '-0') opts.family = 17;
    else if (opt === '-M') opts.family = 28;
    else if (opt === '-B') opts.family = 7;
    else if (matches(opt, '-human') || matches(opt, '-human-readable')) { /* human_readable */ }
    else if (matches(opt, '-iec')) opts.iec = true;
    else if (matches(opt, '-stats') || matches(opt, '-statistics')) opts.stats++;
    else if (matches(opt, '-details')) opts.details++;
    else if (matches(opt, '-resolve')) opts.resolve = true;
    else if (matches(opt, '-oneline')) opts.oneline = true;
    else if (matches(opt, '-timestamp')) opts.timestamp++;
    else if (matches(opt, '-tshort')) opts.timestamp += 2;
    else if (matches(opt, '-Version')) {
      process.stdout.write(`${prog} utility, iproute2-6.1.0, rip\n`);
      throw new CliError('', 0);
    }
    else if (matches(opt, '-force')) opts.force = true;
    else if (matches(opt, '-batch')) opts.batchFile = needValue();
    else if (matches(opt, '-brief')) opts.brief = true;
    else if (matches(opt, '-json')) opts.json = true;
    else if (matches(opt, '-pretty')) opts.pretty = true;
    else if (matches(opt, '-rcvbuf')) {
      const v = needValue();
      if (!/^(0x[0-9a-f]+|\d+)$/i.test(v)) throw new CliError(`Invalid rcvbuf size '${v}'`);
    }
    else if (matchesColor(opt) !== undefined) color = matchesColor(opt)!;
    else if (matches(opt, '-help')) usage();
    else if (matches(opt, '-netns')) {
      const v = argv[++i];
      if (v === undefined) throw new CliError('Command line is not complete. Try option "help"');
      const path = v.includes('/') ? v : `/run/netns/${v}`;
      if (!existsSync(path)) throw new CliError(`Cannot open network namespace "${v}": No such file or directory`);
      opts.netns = v;
    }
    else if (matches(opt, '-Numeric')) opts.numeric++;
    else if (matches(opt, '-all')) opts.all = true;
    else if (opt === '-echo') opts.echo = true;
    else throw new CliError(`Option "${opt}" is unknown, try "${prog} -help".`);
    i++;
  }
  // check_enable_color() runs after all options, so a later -j still turns colour off.
  // isatty(1), not process.stdout.isTTY: touching process.stdout builds a
  // stream object (a net.Socket for a pipe), which costs every start.
  opts.color = colorEnabled(color, opts.json, color === 'auto' && isatty(1));
  return argv.slice(i);
}

/** The module of an object name (iproute2's prefix matching), or undefined. */
async function findObject(obj: string): Promise<IpModule | undefined> {
  const hit = loadedObjects.get(obj);
  if (hit) return hit;
  for (const [name, load] of OBJECTS) {
    if (matches(obj, name)) {
      const mod = await load();
      loadedObjects.set(obj, mod);
      return mod;
    }
  }
  return undefined;
}
/** Modules already loaded, by the word that named them (a batch names the same object on every line). */
const loadedObjects = new Map<string, IpModule>();

/** Run one `ip` command line (after global options) in `ctx`. */
export async function runIpCommand(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const obj = argv[0];
  if (obj === undefined) usage();
  for (const [name, load] of OBJECTS) {
    if (matches(obj, name)) {
      const mod = await load();
      return mod.default(ctx, new Args(argv.slice(1)));
    }
  }
  throw new CliError(`Object "${obj}" is unknown, try "ip help".`, 1);
}

/**
 * A command error after which iproute2 *returns* (e.g. nodev()), so `-batch`
 * reports "Command failed" and goes on (with -force); any other CliError of a
 * pipelined line is one iproute2 reports by exit() (invarg, a bad prefix…),
 * which ends the whole batch with that status.
 */
export class ReturnedError extends CliError {}

/**
 * Where a pipelined `-batch` line puts its request: encoded straight into
 * the batch's send buffer, sent later with other lines' requests, and its
 * failure reported against the line.
 */
export interface BatchSink {
  /** Queue one request (NLM_F_REQUEST/NLM_F_ACK are the batch's business) whose body `codec` encodes. */
  request<H, A>(codec: MessageCodec<H, A>, type: number, flags: number, header: H, attrs: A): void;
}

/**
 * An optional export of an object module for `-batch`: validate one command
 * and queue its request into `sink` (returning true) without waiting for the
 * kernel's answer; false when the command is not one it pipelines (the
 * runner then runs it normally). Synchronous in the common case, a promise
 * when it needs a lookup first.
 */
export type IpPipeline = (ctx: CliContext, args: Args, sink: BatchSink) => boolean | Promise<boolean>;

/**
 * An optional `-batch` scanner of an object module for its commonest lines
 * (see route-batch-fast.ts): reads a line in place and, when it is certain
 * of it, encodes its request without words, arguments or a codec; any line
 * it declines runs through the module's {@link IpPipeline} as usual.
 */
export interface FastBatchLine {
  /** Parse `text[start, end)`; false leaves the line to the general path. */
  scan(text: string, start: number, end: number): boolean;
  /** Message type and flags of the line scanned last. */
  readonly type: number;
  readonly flags: number;
  /** The message type that exactly undoes the line scanned last, or 0 (see RequestBatch.commitRequest). */
  readonly undoType: number;
  /** Write the request body of the line scanned last. */
  encode(w: Writer): void;
}

/**
 * An optional `-batch` scanner of an object module that reads many of its
 * commonest lines at once (see route-batch-native.ts, a C twin of its
 * {@link FastBatchLine}) and encodes them straight into the batch's chunks.
 * Any line it declines is read by the {@link FastBatchLine} or the general
 * path as usual.
 */
export interface BulkBatchLines {
  /**
   * Queue the lines of `src` from byte `pos` (0-based line index `line`)
   * into `batch` until one it declines, the end of `src`, or a stop of the
   * batch; lines of spaces only are skipped. Then {@link pos} and
   * {@link line} are where the caller goes on (`pos` > `src.length` at the end).
   */
  run(src: Buffer, pos: number, line: number, batch: RequestBatch): number;
  readonly pos: number;
  readonly line: number;
}

/**
 * Pipelined requests per sendmsg (see runBatch). Small enough that the kernel starts early and the last
 * chunk's kernel time (not overlapped with parsing) is short; larger chunks
 * (1024) measured no faster, with -force either.
 */
const CHUNK_LINES = 256;
/**
 * Requests per sendmsg of chunks the C scanner fills (see
 * RequestBatchOptions.encodedChunk): it reads lines ~20× faster than the
 * kernel inserts them, so the run is the kernel's time plus the gaps
 * between sends (the sender thread waits for the main thread to wake, take
 * the answers and hand over the next chunk). 4096 (the receive buffer's
 * bound) measured ~5% faster than 256 over 100,000 lines.
 */
const ENCODED_CHUNK_LINES = 4096;
/**
 * A batch file of at least 4× this many bytes is read in two steps: the
 * first route lines go to the kernel (on the sender thread) while the rest
 * of the file is read (3.5 MB take 2–10 ms).
 */
const PREFIX_BYTES = 64 * 1024;
/** See runBatch's loop: consecutive lines the C scanner declined at once before it rests, and for how many lines. */
const BULK_MISSES = 16, BULK_BACKOFF = 256;

/**
 * `ip -batch FILE`: every line a command; errors name the line; stop at the first unless -force.
 *
 * Pipelining: when an object module exports `pipeline` (route add/del/… do),
 * its lines are validated and encoded into a {@link RequestBatch}, which
 * sends them in chunks from a background thread, so the kernel works through
 * one chunk on another core while the next lines are parsed. Failures are
 * reported in line order with their own line numbers; everything queued is
 * sent and answered before any other command runs or a pipelined line's own
 * parse error is printed. Without -force, as in iproute2, no line after a
 * failing one takes effect: the sender thread sends a chunk's lines one by
 * one and stops at the first that fails, unless they are all plain IPv4
 * `route add` lines, which go whole, and those that followed a failure are
 * deleted again (see RequestBatch's stopAtFirstFailure).
 *
 * The route lines of bulk batches are read by the C scanner
 * (route-batch-native.ts), a chunk per call, straight into the batch's
 * buffer; only the lines it declines are decoded and read here, by the
 * module's FastBatchLine or the general path, so both give exactly what
 * they gave before.
 */
async function runBatch(opts: GlobalOptions, file: string): Promise<number> {
  // Bytes, not text: the bulk scanner reads them in place, and only the
  // lines it leaves are decoded (UTF-8 never has a '\n' byte inside a
  // character, so lines and their numbers are those of the decoded text).
  let src: Buffer;
  /** A large file's first whole lines, while the rest is unread (see readRest). */
  let prefix: Buffer | undefined;
  let fd = -1, have = 0;
  try {
    if (file === '-') {
      src = readFileSync(0);
    } else {
      fd = openSync(file, 'r');
      const st = fstatSync(fd);
      if (st.isFile() && st.size >= 4 * PREFIX_BYTES) {
        src = Buffer.allocUnsafe(st.size);
        have = readSync(fd, src, 0, PREFIX_BYTES, null);
        const nl = src.lastIndexOf(10, have - 1);
        if (nl > 0) prefix = src.subarray(0, nl);
      } else {
        src = readFileSync(fd);
        closeSync(fd);
        fd = -1;
      }
    }
  } catch {
    if (fd >= 0) closeSync(fd);
    throw new CliError(`Cannot open file "${file}" for reading: No such file or directory`, 1);
  }
  /** The whole file, once read past the prefix (as readFileSync would, whatever its size now). */
  const readRest = (): void => {
    if (fd < 0) return;
    try {
      while (have < src.length) {
        const n = readSync(fd, src, have, src.length - have, null);
        if (n === 0) break;
        have += n;
      }
      if (have < src.length) src = src.subarray(0, have);
      else {
        const more = readFileSync(fd);
        if (more.length) src = Buffer.concat([src, more]);
      }
    } finally {
      closeSync(fd);
      fd = -1;
    }
  };
  const ctx = new CliContext(opts);
  let status = 0;
  let line = 0;
  const fail = (n: number): boolean => {
    ctx.warn(`Command failed ${file}:${n}`);
    status = 1;
    return !opts.force;
  };
  let batch: RequestBatch | undefined;
  /** The fast scanners of the pipelining object (route), once its first line has been queued. */
  let fast: FastBatchLine | undefined;
  let bulk: BulkBatchLines | undefined;
  /** Whether `bulk` is the pipelining module's own (not the early one: see below). */
  let bulkOfModule = false;
  const openBatch = (): RequestBatch => {
    batch ??= RequestBatch.open(NETLINK.ROUTE, {
      ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
      chunk: CHUNK_LINES,
      encodedChunk: ENCODED_CHUNK_LINES,
      // Completion is known without ACKs (see RequestBatch), and a failure is
      // answered anyway: ACKs would only cost the kernel and us one message
      // per line. (A success's warning comes only with an ACK; route
      // requests are not known to carry one.)
      ack: false,
      // Without -force nothing after a failing line may run, as in iproute2:
      // the sender thread then sends the lines one by one and stops there.
      stopAtFirstFailure: !opts.force,
      onError: (n, e) => { reportError(ctx, e); return fail(n); },
    });
    return batch;
  };
  const sink: BatchSink = {
    request(codec, type, flags, header, attrs) {
      openBatch().add(codec, type, flags, header, attrs, line);
    },
  };
  /** Send and settle everything queued; true if a failure stops the batch. */
  const drain = (): boolean => {
    if (!batch) return false;
    batch.drain();
    return batch.stopped;
  };
  try {
    // A batch that starts with route lines (the bulk case) has them read by
    // the C scanner from the start, with link names of its own, while the
    // route command and the library's object modules (tens of ms to load)
    // are loaded only if a line needs them.
    let at0 = 0, n0 = 0;
    if (firstIsRoute(prefix ?? src.subarray(0, fd >= 0 ? have : src.length))) {
      const { earlyRouteLines } = await import('./route-batch-native.js');
      try {
        const b = openBatch();
        bulk = earlyRouteLines(opts, b.encodedChunkRequests);
      } catch {
        // The general path reads the line and reports what went wrong.
      }
      if (!bulk) {
        batch?.close();
        batch = undefined;
      } else if (prefix && batch) {
        // A large file: its first lines go to the kernel while the rest is read.
        bulk.run(prefix, 0, 0, batch);
        batch.flush();
        at0 = bulk.pos;
        n0 = bulk.line;
      }
    }
    readRest();
    // Lines are cut out one at a time (not split into an array up front), so
    // each dies young instead of 100,000 of them being kept and promoted by the GC.
    // A file of lines the C scanner never takes (another keyword on every
    // line, CR LF ends…) would pay a call per line for nothing: after
    // BULK_MISSES lines in a row it declined at once, it is asked again only
    // every BULK_BACKOFF lines (until it takes one).
    let misses = 0, skip = 0;
    for (let n = n0, at = at0; at <= src.length; n++) {
      if (bulk && batch && (skip === 0 || --skip === 0)) {
        bulk.run(src, at, n, batch);
        if (batch.stopped) break;
        if (bulk.pos === at) {
          if (++misses >= BULK_MISSES) skip = BULK_BACKOFF;
        } else {
          misses = 0;
        }
        at = bulk.pos;
        n = bulk.line;
        if (at > src.length) break;
      }
      let end = src.indexOf(10, at);
      if (end < 0) end = src.length;
      const text = src.toString('utf8', at, end);
      if (fast && batch && fast.scan(text, 0, text.length)) {
        line = n + 1;
        at = end + 1;
        const w = batch.beginRequest(fast.type, fast.flags);
        if (w) {
          fast.encode(w);
          batch.commitRequest(line, fast.undoType);
        }
        if (batch.stopped) break;
        continue;
      }
      const argv = splitBatchLine(text);
      at = end + 1;
      if (!argv.length) continue;
      line = n + 1;
      const mod = loadedObjects.get(argv[0]!) ?? await findObject(argv[0]!);
      if (mod?.pipeline) {
        let queued: boolean;
        try {
          const args = new Args(argv);
          args.next(); // the object
          const res = mod.pipeline(ctx, args, sink);
          queued = res instanceof Promise ? await res : res;
        } catch (e) {
          if (drain()) break;
          const rc = reportError(ctx, e);
          if (e instanceof CliError && !(e instanceof ReturnedError)) return rc; // exit() in iproute2
          if (fail(line)) break;
          continue;
        }
        if (queued) {
          fast ??= mod.fastLines?.(ctx);
          if (batch && !bulkOfModule) {
            // The module's scanner follows its name cache, which is newer than the early names.
            const b = mod.bulkLines?.(ctx, batch.encodedChunkRequests);
            if (b) {
              bulk = b;
              bulkOfModule = true;
            }
          }
          if (batch?.stopped) break;
          continue;
        }
      }
      if (drain()) break;
      let rc: number;
      try {
        rc = await runIpCommand(ctx, argv);
      } catch (e) {
        rc = reportError(ctx, e);
      }
      if (rc !== 0 && fail(line)) break;
    }
    drain();
  } finally {
    batch?.close();
    ctx.close();
  }
  return status;
}

/** Whether the first command of a batch file is a route line (blank lines of spaces before it). */
function firstIsRoute(src: Buffer): boolean {
  let i = 0;
  while (i < src.length && (src[i] === 32 || src[i] === 10)) i++;
  return src.toString('latin1', i, i + 6) === 'route ';
}

/** The `ip` program: returns the exit status. */
export async function ipMain(argv: string[]): Promise<number> {
  const opts = defaultGlobals();
  let rest: string[];
  try {
    rest = parseGlobals(argv, opts);
  } catch (e) {
    if (e instanceof CliError) {
      if (e.message) process.stderr.write(e.message + '\n');
      return e.exitCode;
    }
    throw e;
  }
  if (opts.batchFile !== undefined) return runBatch(opts, opts.batchFile);
  if (!rest.length) {
    process.stderr.write(USAGE);
    return 255;
  }
  const ctx = new CliContext(opts);
  try {
    return await runIpCommand(ctx, rest);
  } catch (e) {
    return reportError(ctx, e);
  } finally {
    ctx.close();
  }
}
