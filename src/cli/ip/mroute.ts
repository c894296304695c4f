/**
 * `ip [-6] mroute show [[to] PREFIX] [from PREFIX] [iif DEV] [table T]`:
 * multicast forwarding cache entries, as iproute2's ip/ipmroute.c (an
 * RTM_GETROUTE dump of family RTNL_FAMILY_IPMR/IP6MR), printed by the same
 * printer as `ip monitor mroute`.
 * @module
 */
import { Args, CliError, matches, invarg } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkError } from '../../netlink/errors.js';
import { kernelErrorText } from '../common/errors.js';
import { MROUTE_DEFAULT_TABLE, RTNL_FAMILY, type MulticastRoute } from '../../netlink/mroute.js';
import { LinkMap } from './ll-map.js';
import { printMrouteEvent } from './monitor-print.js';
import { getPrefix } from './inet-args.js';
import { tableId } from './rtnl-names.js';

const USAGE = `Usage: ip mroute show [ [ to ] PREFIX ] [ from PREFIX ] [ iif DEVICE ]
                      [ table TABLE_ID ]
TABLE_ID := [ local | main | default | all | NUMBER ]`;

const AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10;

function usage(): never {
  throw new CliError(USAGE);
}

/** mroute_list() */
async function list(ctx: CliContext, args: Args): Promise<number> {
  const preferred = ctx.opts.family;
  let family: number;
  let tb = 0;
  if (preferred === AF_INET || preferred === AF_UNSPEC) {
    family = RTNL_FAMILY.IPMR;
    tb = MROUTE_DEFAULT_TABLE; // iproute2: "for backward compatibility"
  } else if (preferred === AF_INET6) {
    family = RTNL_FAMILY.IP6MR;
  } else {
    return 0; // the family has no multicast routing
  }
  let iifName: string | undefined;
  for (let a = args.next(); a !== undefined; a = args.next()) {
    if (matches(a, 'table')) {
      const v = args.value();
      const id = tableId(v);
      if (id !== undefined) tb = id;
      else if (v === 'all') tb = 0;
      else if (v === 'help') usage();
      else invarg('table id value is invalid\n', v);
    } else if (a === 'iif') {
      iifName = args.value();
    } else if (matches(a, 'from')) {
      // get_prefix() with the multicast family: only default/any/all pass,
      // and they match every entry (iproute2 6.1 behaves so too).
      getPrefix(args.value(), family);
    } else {
      let v = a;
      if (v === 'to') v = args.value();
      if (matches(v, 'help')) usage();
      getPrefix(v, family);
    }
  }
  const links = await LinkMap.load(ctx);
  let iif = 0;
  if (iifName !== undefined) {
    iif = links.index(iifName);
    if (!iif) throw new CliError(`Cannot find device "${iifName}"`, 1);
  }
  const nl = await ctx.netlink();
  const p = ctx.printer;
  const nameOf = (i: number): string => links.name(i);
  p.start();
  try {
    // The filtering is print_mroute()'s (the kernel filters by table already).
    for await (const r of nl.mroute.list({ family, table: tb || 'all' }, { interrupted: 'partial' })) {
      if (!show(ctx, r, tb, iif, family, nameOf)) throw new DumpFailed();
    }
  } catch (e) {
    if (!(e instanceof NetlinkError) && !(e instanceof DumpFailed)) throw e;
    // The kernel's complaint comes while "[" still sits in stdio's buffer.
    if (e instanceof NetlinkError) process.stderr.write(kernelErrorText(e));
    p.finish();
    ctx.warn('Dump terminated');
    return 1;
  }
  p.finish();
  return 0;
}

/** print_mroute()'s callback failed (a non-multicast route): rtnl_dump_filter() stops. */
class DumpFailed extends Error {}

function show(ctx: CliContext, r: MulticastRoute, tb: number, iif: number, family: number, nameOf: (i: number) => string): boolean {
  if (r.family !== family && r.multicast) return true;
  return printMrouteEvent(ctx, r, false, { tb, iif }, nameOf);
}

/** `ip mroute …` (do_multiroute) */
export default async function ipMroute(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined) return list(ctx, args);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return list(ctx, args);
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip mroute help".`);
}
