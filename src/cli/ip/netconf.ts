/**
 * `ip netconf show [dev NAME]`: per-family IP configuration of devices, as
 * iproute2's ip/ipnetconf.c (RTM_GETNETCONF: one entry with a family and a
 * device, else a dump), printed by the same printer as `ip monitor netconf`.
 * @module
 */
import { Args, CliError, matches } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkError } from '../../netlink/errors.js';
import type { NetconfMessage } from '../../netlink/netconf.js';
import { LinkMap } from './ll-map.js';
import { printNetconfEvent } from './monitor-print.js';
import { dumpTerminated } from './rule.js';

const USAGE = 'Usage: ip netconf show [ dev STRING ]';

const AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10;
const EOPNOTSUPP = 95;

function usage(): never {
  throw new CliError(USAGE);
}

/** do_show() */
async function show(ctx: CliContext, args: Args): Promise<number> {
  const nl = await ctx.netlink();
  let links: LinkMap | undefined;
  let ifindex = 0;
  for (let a = args.next(); a !== undefined; a = args.next()) {
    // Only `dev` is a keyword; anything else is skipped, as iproute2 does.
    if (a !== 'dev') continue;
    const name = args.value();
    links ??= await LinkMap.load(ctx);
    ifindex = links.index(name);
    if (ifindex <= 0) throw new CliError(`Device "${name}" does not exist.`, 1);
  }
  links ??= await LinkMap.load(ctx);
  const nameOf = (i: number): string => links.name(i);
  const preferred = ctx.opts.family;
  const p = ctx.printer;

  if (ifindex && preferred !== AF_UNSPEC) {
    // rtnl_listen() on the answer: print_netconf() stops at the ACK or an
    // error without a word, and no JSON writer is open on this path.
    let c: NetconfMessage;
    try {
      c = await nl.netconf.get(preferred, ifindex);
    } catch (e) {
      if (e instanceof NetlinkError) return 0;
      throw e;
    }
    if (c.family === preferred && (c.ifindex ?? 0) === ifindex) printNetconfEvent(ctx, c, false, nameOf);
    return 0;
  }

  let family = preferred;
  for (;;) {
    let entries: NetconfMessage[];
    try {
      entries = await nl.netconf.list({ family }).toArray();
    } catch (e) {
      // Kernels without an AF_UNSPEC netconf dump: ask inet, then inet6.
      if (e instanceof NetlinkError && e.errno === EOPNOTSUPP && family === AF_UNSPEC) {
        family = AF_INET;
        continue;
      }
      return dumpTerminated(ctx, e, 1);
    }
    p.start();
    for (const c of entries) {
      if (ifindex && (c.ifindex ?? 0) !== ifindex) continue;
      printNetconfEvent(ctx, c, false, nameOf);
    }
    p.finish();
    if (preferred === AF_UNSPEC && family === AF_INET) {
      family = AF_INET6;
      continue;
    }
    return 0;
  }
}

/** `ip netconf …` (do_ipnetconf) */
export default async function ipNetconf(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined) return show(ctx, args);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return show(ctx, args);
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip netconf help".`);
}
