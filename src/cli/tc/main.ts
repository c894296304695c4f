/**
 * `tc`: global options, object dispatch and -batch, as iproute2's tc/tc.c.
 * Objects other than qdisc/class/monitor (filter, chain, actions, exec) are
 * not implemented yet and say so.
 * @module
 */
import { existsSync } from 'node:fs';
import { CliError, matches } from '../common/args.js';
import { CliContext, defaultGlobals, type GlobalOptions } from '../common/context.js';
import { reportError } from '../common/errors.js';
import { splitBatchLine } from '../common/batch.js';
import { matchesColor, colorEnabled, type ColorOption } from '../../output/color.js';
import { loadClassNames, unloadClassNames } from '../../tc/handle.js';
import { TcExit, readBatchFile, closeTcNet, tcOptions } from './common.js';

/** A `tc OBJECT …` handler: returns the exit status. */
export type TcHandler = (ctx: CliContext, argv: readonly string[]) => Promise<number>;

type Loader = () => Promise<{ default: TcHandler }>;

const missing = (name: string): Loader => async () => ({
  default: async () => { throw new CliError(`tc ${name}: not supported by rip yet`, 1); },
});

/** do_cmd()'s object table, in tc's matching order. */
const OBJECTS: ReadonlyArray<readonly [string, Loader]> = [
  ['qdisc', () => import('./qdisc.js')],
  ['class', () => import('./class.js')],
  ['filter', () => import('./filter.js')],
  ['chain', async () => ({ default: (await import('./filter.js')).tcChain })],
  ['actions', missing('actions')],
  ['monitor', () => import('./monitor.js')],
  ['exec', missing('exec')],
];

const USAGE = `Usage:	tc [ OPTIONS ] OBJECT { COMMAND | help }
	tc [-force] -batch filename
where  OBJECT := { qdisc | class | filter | chain |
		    action | monitor | exec }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[aw] |
		    -o[neline] | -j[son] | -p[retty] | -c[olor]
		    -b[atch] [filename] | -n[etns] name | -N[umeric] |
		     -nm | -nam[es] | { -cf | -conf } path
		     -br[ief] }
`;


/** Parse tc's global options (tc.c main); returns the rest, or an exit status. */
function parseGlobals(argv: string[], opts: GlobalOptions): string[] | number {
  let i = 0;
  let color: ColorOption = 'never';
  while (i < argv.length) {
    const a = argv[i]!;
    if (a[0] !== '-') break;
    if (matches(a, '-stats') || matches(a, '-statistics')) opts.stats++;
    else if (matches(a, '-details')) opts.details++;
    else if (matches(a, '-raw')) opts.raw = true;
    else if (matches(a, '-pretty')) opts.pretty = true;
    else if (matches(a, '-graph')) tcOptions.graph = true;
    else if (matches(a, '-Version')) {
      process.stdout.write('tc utility, iproute2-6.1.0, rip\n');
      return 0;
    } else if (matches(a, '-iec')) opts.iec = true;
    else if (matches(a, '-help')) {
      process.stderr.write(USAGE);
      return 0;
    } else if (matches(a, '-force')) opts.force = true;
    else if (matches(a, '-batch')) {
      i++;
      if (i >= argv.length) {
        process.stderr.write(USAGE);
        opts.batchFile = undefined;
      } else opts.batchFile = argv[i];
    } else if (matches(a, '-netns')) {
      i++;
      const v = argv[i];
      if (v === undefined) {
        // tc's NEXT_ARG() in main() does not catch the missing name; netns_switch(NULL) fails.
        process.stderr.write('Cannot open network namespace "(null)": No such file or directory\n');
        return 255;
      }
      const path = v.includes('/') ? v : `/run/netns/${v}`;
      if (!existsSync(path)) {
        process.stderr.write(`Cannot open network namespace "${v}": No such file or directory\n`);
        return 255;
      }
      opts.netns = v;
    } else if (matches(a, '-Numeric')) opts.numeric++;
    else if (matches(a, '-names') || matches(a, '-nm')) tcOptions.names = true;
    else if (matches(a, '-cf') || matches(a, '-conf')) {
      i++;
      const v = argv[i];
      // tc's NEXT_ARG() in main() lets a missing path through: no command follows, so it prints usage.
      if (v === undefined) break;
      tcOptions.confFile = v;
    } else if (matchesColor(a) !== undefined) {
      // `-c` and `-co` never get here: tc.c tests -cf/-conf first, so they name a class-names file.
      color = matchesColor(a)!;
    } else if (matches(a, '-timestamp')) opts.timestamp++;
    else if (matches(a, '-tshort')) opts.timestamp += 2;
    else if (matches(a, '-json')) opts.json = true;
    else if (matches(a, '-oneline')) opts.oneline = true;
    else if (matches(a, '-brief')) tcOptions.brief = true;
    else {
      process.stderr.write(`Option "${a}" is unknown, try "tc -help".\n`);
      return 255;
    }
    i++;
  }
  // process.stdout is made only for -color=auto: making it loads Node's stream modules (~5-10 ms of start-up).
  opts.color = colorEnabled(color, opts.json, color === 'auto' && process.stdout.isTTY === true);
  return argv.slice(i);
}

/** do_cmd(): run one command line (after global options). */
export async function runTcCommand(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const obj = argv[0]!;
  for (const [name, load] of OBJECTS) {
    if (matches(obj, name)) return (await load()).default(ctx, argv.slice(1));
  }
  if (matches(obj, 'help')) {
    process.stderr.write(USAGE);
    return 0;
  }
  throw new CliError(`Object "${obj}" is unknown, try "tc help".`, 255);
}

/** Run a command and turn errors into tc's output and status; TcExit ends everything. */
async function runReported(ctx: CliContext, argv: readonly string[]): Promise<{ status: number; exit: boolean }> {
  try {
    return { status: await runTcCommand(ctx, argv), exit: false };
  } catch (e) {
    const status = reportError(ctx, e);
    return { status, exit: e instanceof TcExit };
  }
}

/** tc -batch FILE */
async function runBatch(opts: GlobalOptions, file: string): Promise<number> {
  let text: string;
  try {
    text = readBatchFile(file);
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(e.message + '\n');
      return 1;
    }
    throw e;
  }
  const ctx = new CliContext(opts);
  let status = 0;
  try {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    let lineNo = 0;
    for (let n = 0; n < lines.length; n++) {
      // getcmdline(): a trailing backslash continues the line.
      let line = lines[n]!;
      lineNo++;
      while (line.endsWith('\\') && n + 1 < lines.length) {
        line = line.slice(0, -1) + lines[++n]!;
        lineNo++;
      }
      const argv = splitBatchLine(line);
      if (!argv.length) continue;
      const r = await runReported(ctx, argv);
      if (r.exit) return r.status;
      if (r.status !== 0) {
        ctx.printer.flush();
        process.stderr.write(`Command failed ${file}:${lineNo}\n`);
        status = 1;
        if (!opts.force) break;
      }
    }
  } finally {
    closeTcNet(ctx);
    ctx.close();
  }
  return status;
}

/** The `tc` program: returns the exit status. */
export async function tcMain(argv: string[]): Promise<number> {
  const opts = defaultGlobals();
  tcOptions.names = false;
  tcOptions.confFile = undefined;
  tcOptions.graph = false;
  tcOptions.brief = false;
  const rest = parseGlobals(argv, opts);
  if (typeof rest === 'number') return rest;
  if (tcOptions.names) {
    if (!loadClassNames(tcOptions.confFile)) {
      process.stderr.write(`Can't open class names file: ${tcOptions.confFile}\n`);
      return 255;
    }
  } else {
    unloadClassNames();
  }
  if (opts.batchFile !== undefined) return runBatch(opts, opts.batchFile);
  if (!rest.length) {
    process.stderr.write(USAGE);
    return 0;
  }
  const ctx = new CliContext(opts);
  try {
    return (await runReported(ctx, rest)).status;
  } finally {
    closeTcNet(ctx);
    ctx.close();
  }
}
