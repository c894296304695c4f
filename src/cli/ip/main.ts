/**
 * `ip`: global options and object dispatch, as iproute2's ip/ip.c.
 * Object handlers live one per file and are loaded on demand (start-up time).
 * @module
 */
import { readFileSync, existsSync } from 'node:fs';
import { Args, CliError, invarg, matches } from '../common/args.js';
import { CliContext, defaultGlobals, type GlobalOptions } from '../common/context.js';
import { reportError } from '../common/errors.js';
import { splitBatchLine } from '../common/batch.js';

/** An `ip OBJECT …` handler: returns the exit status. */
export type IpHandler = (ctx: CliContext, args: Args) => Promise<number>;

const notYet = (name: string): (() => Promise<{ default: IpHandler }>) => async () => ({
  default: async () => { throw new CliError(`ip ${name}: not supported by rip yet`, 1); },
});

/** iproute2's object table, in its order (prefix matching picks the first). */
const OBJECTS: ReadonlyArray<readonly [string, () => Promise<{ default: IpHandler; pipeline?: IpPipeline }>]> = [
  ['address', () => import('./address.js')],
  ['addrlabel', notYet('addrlabel')],
  ['maddress', () => import('./maddress.js')],
  ['route', () => import('./route.js')],
  ['rule', () => import('./rule.js')],
  ['neighbor', () => import('./neighbor.js')],
  ['neighbour', () => import('./neighbor.js')],
  ['ntable', notYet('ntable')],
  ['ntbl', notYet('ntbl')],
  ['link', () => import('./link.js')],
  ['l2tp', notYet('l2tp')],
  ['fou', notYet('fou')],
  ['ila', notYet('ila')],
  ['macsec', notYet('macsec')],
  ['tunnel', notYet('tunnel')],
  ['tunl', notYet('tunl')],
  ['tuntap', notYet('tuntap')],
  ['tap', notYet('tap')],
  ['token', notYet('token')],
  ['tcpmetrics', notYet('tcpmetrics')],
  ['tcp_metrics', notYet('tcp_metrics')],
  ['monitor', () => import('./monitor.js')],
  ['xfrm', notYet('xfrm')],
  ['mroute', notYet('mroute')],
  ['mrule', notYet('mrule')],
  ['netns', () => import('./netns.js')],
  ['netconf', notYet('netconf')],
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
    else if (opt === '-c' || opt === '-color' || opt.startsWith('-color=')) {
      const v = opt.startsWith('-color=') ? opt.slice(7) : 'always';
      opts.color = v === 'always' || (v === 'auto' && process.stdout.isTTY === true);
    }
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
  return argv.slice(i);
}

/** The module of an object name (iproute2's prefix matching), or undefined. */
async function findObject(obj: string): Promise<{ default: IpHandler; pipeline?: IpPipeline } | undefined> {
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
/** A rejection handler that does nothing (shared, so no closure per batch line). */
const ignore = (): void => {};

/** Modules already loaded, by the word that named them (a batch names the same object on every line). */
const loadedObjects = new Map<string, { default: IpHandler; pipeline?: IpPipeline }>();

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
 * An optional export of an object module for `-batch`: validate and send one
 * command, and return its pending answer without waiting for it, wrapped in
 * an object (an async function cannot return a bare promise unresolved);
 * undefined when the command is not one it pipelines. It may answer
 * synchronously (the common case: no lookup needed), sparing a promise per line.
 */
export type IpPipeline = (ctx: CliContext, args: Args) =>
  { readonly answer: Promise<unknown> } | undefined | Promise<{ readonly answer: Promise<unknown> } | undefined>;

/**
 * How many pipelined lines may await their answer at once (without -force
 * fewer, see runBatch). Kept below the socket's window (2048) so requests
 * never queue inside the socket, where each answer would release one send.
 */
const PIPELINE_DEPTH_FORCE = 1024;
const PIPELINE_DEPTH = 256;

/**
 * `ip -batch FILE`: every line a command; errors name the line; stop at the first unless -force.
 *
 * Pipelining: when an object module exports `pipeline` (route add/del/… do),
 * its lines are sent without awaiting each answer, so many requests are in
 * flight on one socket and bulk work is bounded by the kernel, not by round
 * trips. Answers are awaited in line order, so errors print in order with
 * their own line numbers; everything pending is settled before any other
 * command runs or a pipelined line's own parse error is printed. Without
 * -force, nothing more is sent after a failure is seen and at most
 * PIPELINE_DEPTH lines are in flight: lines sent after the failing one and
 * before its answer came back may have been applied (the kernel answers each
 * request on its own), which is the one difference from iproute2.
 */
async function runBatch(opts: GlobalOptions, file: string): Promise<number> {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`Cannot open file "${file}" for reading: No such file or directory`, 1);
  }
  const ctx = new CliContext(opts);
  let status = 0;
  let stop = false;
  const depth = opts.force ? PIPELINE_DEPTH_FORCE : PIPELINE_DEPTH;
  // Pending answers, oldest first: a queue as two parallel arrays and a head index (no shift()).
  let lineQ: number[] = [];
  let answerQ: Array<Promise<unknown>> = [];
  let head = 0;
  const pending = (): number => lineQ.length - head;
  const fail = (line: number): void => {
    ctx.warn(`Command failed ${file}:${line}`);
    status = 1;
    if (!opts.force) stop = true;
  };
  /** Await pending answers (oldest first) until at most `keep` remain. */
  const settle = async (keep: number): Promise<void> => {
    while (pending() > keep) {
      const line = lineQ[head]!;
      const answer = answerQ[head]!;
      head++;
      if (head > 4096 && head * 2 > lineQ.length) { lineQ = lineQ.slice(head); answerQ = answerQ.slice(head); head = 0; }
      try {
        await answer;
      } catch (e) {
        if (stop) continue; // iproute2 would not have run this line
        reportError(ctx, e);
        fail(line);
      }
    }
  };
  // Sends go out per event-loop turn, so pipelined lines leave in large sendmsg calls.
  const sock = (await ctx.netlink()).socket;
  sock.cork();
  try {
    const lines = text.split('\n');
    for (let n = 0; n < lines.length && !stop; n++) {
      const argv = splitBatchLine(lines[n]!);
      if (!argv.length) continue;
      const mod = loadedObjects.get(argv[0]!) ?? await findObject(argv[0]!);
      if (mod?.pipeline) {
        let answer: Promise<unknown> | undefined;
        try {
          const res = mod.pipeline(ctx, new Args(argv.slice(1)));
          answer = (res instanceof Promise ? await res : res)?.answer;
        } catch (e) {
          await settle(0);
          if (stop) break;
          const rc = reportError(ctx, e);
          if (e instanceof CliError && !(e instanceof ReturnedError)) return rc; // exit() in iproute2
          fail(n + 1);
          continue;
        }
        if (answer) {
          answer.catch(ignore); // awaited in order by settle(); avoid an unhandled-rejection report meanwhile
          lineQ.push(n + 1);
          answerQ.push(answer);
          // Settle half the window at a time: one wait per many lines, not one per line.
          if (pending() >= depth) await settle(depth >> 1);
          continue;
        }
      }
      await settle(0);
      if (stop) break;
      let rc: number;
      try {
        rc = await runIpCommand(ctx, argv);
      } catch (e) {
        rc = reportError(ctx, e);
      }
      if (rc !== 0) fail(n + 1);
    }
    await settle(0);
  } finally {
    sock.uncork();
    ctx.close();
  }
  return status;
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
