/**
 * `ip ntable show [dev DEV] [name NAME]`: neighbour table parameters, as
 * iproute2's ip/ipntable.c (RTM_GETNEIGHTBL dump). `ip ntable change` is not
 * implemented yet.
 * @module
 */
import { Args, CliError, matches, invarg } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkError } from '../../netlink/errors.js';
import { kernelErrorText } from '../common/errors.js';
import { listNeighborTables, type NeighborTable } from '../../netlink/ntable.js';
import type { NdtConfig, NdtStats, NtableParms } from '../../netlink/rtnetlink/ntable-schema.js';
import { ANY, FP } from '../../output/printer.js';
import { COLOR_IFNAME } from '../../output/color.js';
import { familyName } from './inet-args.js';
import { LinkMap } from './ll-map.js';

const USAGE = `Usage: ip ntable change name NAME [ dev DEV ]
        [ thresh1 VAL ] [ thresh2 VAL ] [ thresh3 VAL ] [ gc_int MSEC ]
        [ PARMS ]
Usage: ip ntable show [ dev DEV ] [ name NAME ]
PARMS := [ base_reachable MSEC ] [ retrans MSEC ] [ gc_stale MSEC ]
         [ delay_probe MSEC ] [ queue LEN ]
         [ app_probes VAL ] [ ucast_probes VAL ] [ mcast_probes VAL ]
         [ anycast_delay MSEC ] [ proxy_delay MSEC ] [ proxy_queue LEN ]
         [ locktime MSEC ]`;

/** filter.index for `dev none`: the tables' own (device-less) parameters. */
const NONE_DEV = -1;

function usage(): never {
  throw new CliError(USAGE);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** ntable_strtime_delta(): local time `msec` ago, "%Y-%m-%d %T"; "(error)" for 0. */
function strtimeDelta(msec: number): string {
  if (msec === 0) return '(error)';
  const t = new Date((Math.floor(Date.now() / 1000) - Math.floor(msec / 1000)) * 1000);
  return `${t.getFullYear()}-${pad2(t.getMonth() + 1)}-${pad2(t.getDate())} ${pad2(t.getHours())}:${pad2(t.getMinutes())}:${pad2(t.getSeconds())}`;
}

function printConfig(ctx: CliContext, c: NdtConfig): void {
  const p = ctx.printer;
  p.uint(ANY, 'key_length', '    config key_len %u ', c.key_len);
  p.uint(ANY, 'entry_size', 'entry_size %u ', c.entry_size);
  p.uint(ANY, 'entries', 'entries %u ', c.entries);
  p.nl();
  p.string(ANY, 'last_flush', '        last_flush %s ', strtimeDelta(c.last_flush));
  p.string(ANY, 'last_rand', 'last_rand %s ', strtimeDelta(c.last_rand));
  p.nl();
  p.uint(ANY, 'hash_rnd', '        hash_rnd %u ', c.hash_rnd);
  p.hex0x(ANY, 'hash_mask', 'hash_mask %08x ', c.hash_mask);
  p.uint(ANY, 'hash_chain_gc', 'hash_chain_gc %u ', c.hash_chain_gc);
  p.uint(ANY, 'proxy_qlen', 'proxy_qlen %u ', c.proxy_qlen);
  p.nl();
}

function printParms(ctx: CliContext, t: NtableParms, nameOf: (i: number) => string): void {
  const p = ctx.printer;
  const sl = p.lineSep;
  if (t.ifindex !== undefined) {
    p.string(FP, null, '    dev ', null);
    p.colorString(ANY, COLOR_IFNAME, 'dev', '%s ', nameOf(t.ifindex));
    p.nl();
  }
  p.string(FP, null, '    ', null);
  if (t.refcnt !== undefined) p.uint(ANY, 'refcnt', 'refcnt %u ', t.refcnt);
  if (t.reachable_time !== undefined) p.u64(ANY, 'reachable', 'reachable %u ', t.reachable_time);
  if (t.base_reachable_time !== undefined) p.u64(ANY, 'base_reachable', 'base_reachable %u ', t.base_reachable_time);
  if (t.retrans_time !== undefined) p.u64(ANY, 'retrans', 'retrans %u ', t.retrans_time);
  p.string(FP, null, '%s    ', sl);
  if (t.gc_staletime !== undefined) p.u64(ANY, 'gc_stale', 'gc_stale %u ', t.gc_staletime);
  if (t.delay_probe_time !== undefined) p.u64(ANY, 'delay_probe', 'delay_probe %u ', t.delay_probe_time);
  if (t.queue_len !== undefined) p.uint(ANY, 'queue', 'queue %u ', t.queue_len);
  p.string(FP, null, '%s    ', sl);
  if (t.app_probes !== undefined) p.uint(ANY, 'app_probes', 'app_probes %u ', t.app_probes);
  if (t.ucast_probes !== undefined) p.uint(ANY, 'ucast_probes', 'ucast_probes %u ', t.ucast_probes);
  if (t.mcast_probes !== undefined) p.uint(ANY, 'mcast_probes', 'mcast_probes %u ', t.mcast_probes);
  p.string(FP, null, '%s    ', sl);
  if (t.anycast_delay !== undefined) p.u64(ANY, 'anycast_delay', 'anycast_delay %u ', t.anycast_delay);
  if (t.proxy_delay !== undefined) p.u64(ANY, 'proxy_delay', 'proxy_delay %u ', t.proxy_delay);
  if (t.proxy_qlen !== undefined) p.uint(ANY, 'proxy_queue', 'proxy_queue %u ', t.proxy_qlen);
  if (t.locktime !== undefined) p.u64(ANY, 'locktime', 'locktime %u ', t.locktime);
  p.nl();
}

function printStats(ctx: CliContext, s: NdtStats): void {
  const p = ctx.printer;
  const sl = p.lineSep;
  p.string(FP, null, '    stats ', null);
  p.u64(ANY, 'allocs', 'allocs %u ', s.allocs);
  p.u64(ANY, 'destroys', 'destroys %u ', s.destroys);
  p.u64(ANY, 'hash_grows', 'hash_grows %u ', s.hash_grows);
  p.string(FP, null, '%s    ', sl);
  p.u64(ANY, 'res_failed', 'res_failed %u ', s.res_failed);
  p.u64(ANY, 'lookups', 'lookups %u ', s.lookups);
  p.u64(ANY, 'hits', 'hits %u ', s.hits);
  p.string(FP, null, '%s    ', sl);
  p.u64(ANY, 'rcv_probes_mcast', 'rcv_probes_mcast %u ', s.rcv_probes_mcast);
  p.u64(ANY, 'rcv_probes_ucast', 'rcv_probes_ucast %u ', s.rcv_probes_ucast);
  p.string(FP, null, '%s    ', sl);
  p.u64(ANY, 'periodic_gc_runs', 'periodic_gc_runs %u ', s.periodic_gc_runs);
  p.u64(ANY, 'forced_gc_runs', 'forced_gc_runs %u ', s.forced_gc_runs);
  p.string(FP, null, '%s    ', sl);
  p.u64(ANY, 'table_fulls', 'table_fulls %u ', s.table_fulls);
  p.nl();
}

/** print_ntable() */
function printNtable(ctx: CliContext, t: NeighborTable, filter: { index: number; name: string | undefined }, nameOf: (i: number) => string): void {
  const p = ctx.printer;
  const a = t.attrs;
  const pf = ctx.opts.family;
  if (pf && pf !== t.family) return;
  if (a.name !== undefined && filter.name !== undefined && filter.name !== a.name) return;
  if (a.parms) {
    if (a.parms.ifindex !== undefined) {
      if (filter.index && filter.index !== a.parms.ifindex) return;
    } else if (filter.index && filter.index !== NONE_DEV) {
      return;
    }
  }
  p.openObject();
  p.string(ANY, 'family', '%s ', familyName(t.family));
  if (a.name !== undefined) p.string(ANY, 'name', '%s ', a.name);
  p.nl();
  const any = a.thresh1 !== undefined || a.thresh2 !== undefined || a.thresh3 !== undefined || a.gc_interval !== undefined;
  if (any) p.string(FP, null, '    ', null);
  if (a.thresh1 !== undefined) p.uint(ANY, 'thresh1', 'thresh1 %u ', a.thresh1);
  if (a.thresh2 !== undefined) p.uint(ANY, 'thresh2', 'thresh2 %u ', a.thresh2);
  if (a.thresh3 !== undefined) p.uint(ANY, 'thresh3', 'thresh3 %u ', a.thresh3);
  if (a.gc_interval !== undefined) p.u64(ANY, 'gc_interval', 'gc_int %u ', a.gc_interval);
  if (any) p.nl();
  if (a.config && ctx.opts.stats) printConfig(ctx, a.config);
  if (a.parms) printParms(ctx, a.parms, nameOf);
  if (a.stats && ctx.opts.stats) printStats(ctx, a.stats);
  p.string(FP, null, '\n', '');
  p.closeObject();
}

/** ipntable_show() */
async function show(ctx: CliContext, args: Args, links: LinkMap): Promise<number> {
  const filter: { index: number; name: string | undefined } = { index: 0, name: undefined };
  for (let a = args.next(); a !== undefined; a = args.next()) {
    if (a === 'dev') {
      const v = args.value();
      if (v === 'none') filter.index = NONE_DEV;
      else if (!(filter.index = links.index(v))) invarg('"DEV" is invalid', v);
    } else if (a === 'name') {
      filter.name = args.value();
    } else {
      invarg('unknown', a);
    }
  }
  const nl = await ctx.netlink();
  const p = ctx.printer;
  p.start();
  try {
    for await (const t of listNeighborTables(nl.socket, ctx.opts.family)) printNtable(ctx, t, filter, (i) => links.name(i));
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    process.stderr.write(kernelErrorText(e));
    ctx.warn('Dump terminated');
    return 1;
  }
  p.finish();
  return 0;
}

/** `ip ntable …` (do_ipntable) */
export default async function ipNtable(ctx: CliContext, args: Args): Promise<number> {
  const links = await LinkMap.load(ctx);
  const cmd = args.next();
  if (cmd === undefined) return show(ctx, args, links);
  if (matches(cmd, 'change') || matches(cmd, 'chg')) throw new CliError('ip ntable change: not supported by rip yet', 1);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return show(ctx, args, links);
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip ntable help".`);
}
