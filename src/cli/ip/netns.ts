/**
 * `ip netns`: list, add, attach, set, delete, identify, pids, exec, monitor,
 * list-id — as iproute2's ip/ipnetns.c.
 * @module
 */
import { Args, CliError, matches, invarg, parseSigned } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { ANY, FP } from '../../output/printer.js';
import * as netns from '../../netlink/netns.js';

const USAGE = `Usage:	ip netns list
	ip netns add NAME
	ip netns attach NAME PID
	ip netns set NAME NETNSID
	ip [-all] netns delete [NAME]
	ip netns identify [PID]
	ip netns pids NAME
	ip [-all] netns exec [NAME] cmd ...
	ip netns monitor
	ip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT`;

function usage(): never {
  throw new CliError(USAGE);
}

/** Library errors carry iproute2's wording already; print and return 1 like `return -1`. */
function asCli(e: unknown): never {
  if (e instanceof netns.NetnsError) throw new CliError(e.message, 1);
  throw e;
}

async function list(ctx: CliContext): Promise<number> {
  const p = ctx.printer;
  const entries = await netns.list(ctx.opts.netns !== undefined ? { from: ctx.opts.netns } : {});
  p.start();
  for (const e of entries) {
    p.openObject();
    p.string(ANY, 'name', '%s', e.name);
    if (e.id !== undefined) p.int(ANY, 'id', ' (id: %d)', e.id);
    p.string(FP, null, '\n', null);
    p.closeObject();
  }
  p.finish();
  return 0;
}

async function listId(ctx: CliContext, args: Args): Promise<number> {
  let target: number | undefined;
  let only: number | undefined;
  while (args.left) {
    const t = args.next()!;
    if (matches(t, 'target-nsid')) {
      const v = args.value();
      const n = parseSigned(v);
      if (n === null || n < 0) invarg('Invalid "target-nsid" value', v);
      target = n;
    } else if (matches(t, 'nsid')) {
      const v = args.value();
      const n = parseSigned(v);
      if (n === null || n < 0) invarg('Invalid "nsid" value', v);
      only = n;
    } else {
      invarg('unknown argument', t);
    }
  }
  const from = ctx.opts.netns;
  const opts: { from?: string; targetNsid?: number } = {};
  if (from !== undefined) opts.from = from;
  if (target !== undefined) opts.targetNsid = target;
  const ids = await netns.listIds(opts);
  // Map ids back to names as seen from the same namespace.
  const named = await netns.list(from !== undefined ? { from } : {});
  const p = ctx.printer;
  p.start();
  for (const e of ids) {
    if (only !== undefined && e.nsid !== only) continue;
    p.openObject();
    if (e.nsid < 0) p.string(FP, null, 'nsid unassigned ', null);
    else p.int(ANY, 'nsid', 'nsid %d ', e.nsid);
    if (e.currentNsid !== undefined) {
      if (e.currentNsid < 0) p.string(FP, null, 'current-nsid unassigned ', null);
      else p.int(ANY, 'current-nsid', 'current-nsid %d ', e.currentNsid);
    }
    const n = target === undefined ? named.find((x) => x.id === e.nsid) : undefined;
    if (n) p.string(ANY, 'name', '(iproute2 netns name: %s)', n.name);
    p.string(FP, null, '\n', null);
    p.closeObject();
  }
  p.finish();
  return 0;
}

async function execIn(ctx: CliContext, name: string, argv: string[]): Promise<number> {
  ctx.printer.flush();
  const r = await netns.exec(name, argv);
  return r.signal ? 128 + r.signal : r.status;
}

/** `ip netns …` */
export default async function ipNetns(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined) return list(ctx);
  const arg1 = args.peek();
  if (!ctx.opts.all && arg1 !== undefined && !netns.isValidName(arg1)) {
    throw new CliError(`Invalid netns name "${arg1}"`);
  }
  try {
    if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return await list(ctx);
    if (matches(cmd, 'list-id')) return await listId(ctx, args);
    if (matches(cmd, 'help')) usage();
    if (matches(cmd, 'add')) {
      const name = args.next();
      if (name === undefined) throw new CliError('No netns name specified', 1);
      await netns.add(name);
      return 0;
    }
    if (matches(cmd, 'set')) {
      const name = args.next();
      if (name === undefined) throw new CliError('No netns name specified', 1);
      const v = args.next();
      if (v === undefined) throw new CliError('No nsid specified', 1);
      let id: number | 'auto';
      if (v === 'auto') id = 'auto';
      else {
        const n = parseSigned(v);
        if (n === null) invarg('Invalid "netnsid" value', v);
        if (n < 0) invarg('"netnsid" value should be >= 0', v);
        id = n;
      }
      await netns.setId(name, id);
      return 0;
    }
    if (matches(cmd, 'delete')) {
      if (ctx.opts.all) {
        for (const n of netns.names()) await netns.del(n);
        return 0;
      }
      const name = args.next();
      if (name === undefined) throw new CliError('No netns name specified', 1);
      await netns.del(name);
      return 0;
    }
    if (matches(cmd, 'identify')) {
      const pidArg = args.next();
      if (args.left) throw new CliError('extra arguments specified', 1);
      let pid: number | 'self' = 'self';
      if (pidArg !== undefined) {
        if (!/^\d+$/.test(pidArg)) throw new CliError(`Specified string '${pidArg}' is not a pid`, 1);
        pid = Number(pidArg);
      }
      // iproute2 prints the first matching name, or an empty line.
      ctx.printer.text('%s\n', netns.identify(pid)[0] ?? '');
      return 0;
    }
    if (matches(cmd, 'pids')) {
      const name = args.next();
      if (name === undefined) throw new CliError('No netns name specified', 1);
      if (args.left) throw new CliError('extra arguments specified', 1);
      for (const pid of netns.pids(name)) ctx.printer.text('%d\n', pid);
      return 0;
    }
    if (matches(cmd, 'exec')) {
      if (ctx.opts.all) {
        const argv = args.rest();
        if (!argv.length) throw new CliError('No command specified', 1);
        let status = 0;
        for (const n of netns.names()) {
          ctx.printer.text('\nnetns: %s\n', n);
          const rc = await execIn(ctx, n, argv);
          if (rc !== 0) { status = rc; if (!ctx.opts.force) break; }
        }
        return status;
      }
      const name = args.next();
      if (name === undefined) throw new CliError('No netns name specified', 1);
      const argv = args.rest();
      if (!argv.length) throw new CliError('No command specified', 1);
      return await execIn(ctx, name, argv);
    }
    if (matches(cmd, 'monitor')) {
      for await (const ev of netns.monitor()) {
        ctx.printer.text('%s %s\n', ev.action, ev.name);
        ctx.printer.flush();
      }
      return 0;
    }
    if (matches(cmd, 'attach')) {
      const name = args.next();
      const pidArg = args.next();
      if (name === undefined) throw new CliError('No netns name specified', 1);
      if (pidArg === undefined) throw new CliError('No netns name and PID specified', 1);
      if (!/^\d+$/.test(pidArg)) throw new CliError(`Invalid PID: ${pidArg}`, 1);
      await netns.attach(name, Number(pidArg));
      return 0;
    }
  } catch (e) {
    asCli(e);
  }
  throw new CliError(`Command "${cmd}" is unknown, try "ip netns help".`);
}
