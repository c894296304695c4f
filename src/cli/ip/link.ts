/**
 * `ip link`: show (list) links. Printing follows iproute2's print_linkinfo().
 * @module
 */
import { Args, CliError, matches, invarg } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../output/printer.js';
import { IFF } from '../../netlink/rtnetlink/link-schema.js';
import { OPER_STATES, type Link } from '../../netlink/link.js';
import { linkTypeName, groupName } from './names.js';

const LINK_MODES = ['DEFAULT', 'DORMANT', 'TESTING'];

/** print_link_flags() */
export function printLinkFlags(p: Printer, flagsIn: number, mdown: boolean): void {
  let flags = flagsIn;
  p.openArray(ANY, p.inJson ? 'flags' : '<');
  if (flags & IFF.UP && !(flags & IFF.RUNNING)) p.string(ANY, null, flags ? '%s,' : '%s', 'NO-CARRIER');
  flags &= ~IFF.RUNNING;
  for (const name of ['LOOPBACK', 'BROADCAST', 'POINTOPOINT', 'MULTICAST', 'NOARP', 'ALLMULTI', 'PROMISC', 'MASTER', 'SLAVE', 'DEBUG', 'DYNAMIC', 'AUTOMEDIA', 'PORTSEL', 'NOTRAILERS', 'UP', 'LOWER_UP', 'DORMANT', 'ECHO'] as const) {
    const bit = IFF[name];
    if (flags & bit) {
      flags &= ~bit;
      p.string(ANY, null, flags ? '%s,' : '%s', name);
    }
  }
  if (flags) p.hex(ANY, null, '%x', flags);
  if (mdown) p.string(ANY, null, ',%s', 'M-DOWN');
  p.closeArray(ANY, '> ');
}

/** Everything a link printer needs to resolve other links. */
export interface LinkIndex {
  readonly byIndex: ReadonlyMap<number, Link>;
}

/** print_name_and_link(): name[@link]; returns the M-DOWN flag. */
function printNameAndLink(p: Printer, fmt: string, l: Link, idx: LinkIndex): boolean {
  let name = l.ifname;
  let mflag = false;
  const a = l.raw.attrs;
  if (a.link !== undefined) {
    const iflink = a.link;
    let link: string | undefined;
    if (iflink) {
      if (a.link_netnsid !== undefined) {
        if (p.inJson) p.int(JSON_ONLY, 'link_index', '', iflink);
        else link = `if${iflink}`;
      } else {
        const peer = idx.byIndex.get(iflink);
        link = peer ? peer.ifname : `if${iflink}`;
        if (p.inJson) { p.string(JSON_ONLY, 'link', '', link); link = undefined; }
        mflag = peer ? !(peer.flags & IFF.UP) : false;
      }
    } else if (p.inJson) {
      p.null(JSON_ONLY, 'link', '', '');
    } else {
      link = 'NONE';
    }
    if (link) name = `${name}@${link}`;
  }
  p.string(ANY, 'ifname', fmt, name);
  return mflag;
}

function printOperstate(p: Printer, state: number, brief: boolean): void {
  const name = OPER_STATES[state];
  if (name === undefined) {
    if (p.inJson) p.uint(JSON_ONLY, 'operstate_index', '', state);
    else p.hex0x(FP, null, 'state %#llx', state);
  } else if (brief) {
    p.string(ANY, 'operstate', '%-14s ', name);
  } else if (p.inJson) {
    p.string(JSON_ONLY, 'operstate', '', name);
  } else {
    p.text('state %s ', name);
  }
}

/** print_linkinfo() for `ip link show` (basic fields). */
export function printLink(ctx: CliContext, l: Link, idx: LinkIndex): void {
  const p = ctx.printer;
  const a = l.raw.attrs;
  p.openObject();
  if (ctx.opts.brief) {
    printNameAndLink(p, '%-16s ', l, idx);
    if (a.operstate !== undefined) printOperstate(p, a.operstate, true);
    if (a.address !== undefined) p.string(ANY, 'address', '%s ', a.address);
    const mdown = false;
    printLinkFlags(p, l.flags, mdown);
    p.text('%s', '\n');
    p.closeObject();
    return;
  }
  p.int(ANY, 'ifindex', '%d: ', l.ifindex);
  const mflag = printNameAndLink(p, '%s: ', l, idx);
  printLinkFlags(p, l.flags, mflag);
  if (a.mtu !== undefined) p.int(ANY, 'mtu', 'mtu %u ', a.mtu);
  if (a.qdisc !== undefined) p.string(ANY, 'qdisc', 'qdisc %s ', a.qdisc);
  if (a.master !== undefined) p.string(ANY, 'master', 'master %s ', idx.byIndex.get(a.master)?.ifname ?? `if${a.master}`);
  if (a.operstate !== undefined) printOperstate(p, a.operstate, false);
  if (a.linkmode !== undefined) {
    const m = LINK_MODES[a.linkmode];
    if (m === undefined) p.int(ANY, 'linkmode_index', 'mode %d ', a.linkmode);
    else p.string(ANY, 'linkmode', 'mode %s ', m);
  }
  if (a.group !== undefined) p.string(ANY, 'group', 'group %s ', groupName(a.group));
  if (a.txqlen) p.int(ANY, 'txqlen', 'qlen %d', a.txqlen);
  p.nl();
  p.string(ANY, 'link_type', '    link/%s ', linkTypeName(l.type));
  if (a.address !== undefined) p.string(ANY, 'address', '%s', a.address);
  if (a.broadcast !== undefined) {
    if (l.flags & IFF.POINTOPOINT) {
      p.string(FP, null, ' peer ', null);
      p.bool(JSON_ONLY, 'link_pointtopoint', '', true);
    } else {
      p.string(FP, null, ' brd ', null);
    }
    p.string(ANY, 'broadcast', '%s', a.broadcast);
  }
  if (a.perm_address !== undefined && a.perm_address !== a.address) {
    p.string(FP, null, ' permaddr ', null);
    p.string(ANY, 'permaddr', '%s', a.perm_address);
  }
  if (a.link_netnsid !== undefined) {
    if (p.inJson) p.int(JSON_ONLY, 'link_netnsid', '', a.link_netnsid);
    else if (a.link_netnsid >= 0) p.int(FP, null, ' link-netnsid %d', a.link_netnsid);
    else p.string(FP, null, ' link-netnsid %s', 'unknown');
  }
  if (a.ifalias !== undefined) {
    p.string(FP, null, '%s    ', p.lineSep);
    p.string(ANY, 'ifalias', 'alias %s', a.ifalias);
  }
  p.string(FP, null, '\n', null);
  p.closeObject();
}

async function show(ctx: CliContext, args: Args): Promise<number> {
  let dev: string | undefined;
  let up = false;
  while (args.left) {
    const t = args.next()!;
    if (t === 'up') up = true;
    else if (t === 'dev') dev = args.value();
    else if (matches(t, 'help')) throw new CliError('Usage: ip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]');
    else {
      if (dev !== undefined) invarg('Device does not exist', t);
      dev = t;
    }
  }
  const nl = await ctx.netlink();
  const links = await nl.link.list({}, { interrupted: 'partial' }).toArray();
  const byIndex = new Map(links.map((l) => [l.ifindex, l] as const));
  let shown = links;
  if (dev !== undefined) {
    shown = links.filter((l) => l.ifname === dev);
    if (!shown.length) {
      ctx.warn(`Device "${dev}" does not exist.`);
      return 1;
    }
  }
  if (up) shown = shown.filter((l) => l.flags & IFF.UP);
  const p = ctx.printer;
  p.start();
  for (const l of shown) printLink(ctx, l, { byIndex });
  p.finish();
  return 0;
}

/** `ip link …` */
export default async function ipLink(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.peek();
  if (cmd === undefined || matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) {
    if (cmd !== undefined) args.next();
    return show(ctx, args);
  }
  throw new CliError(`Command "${cmd}" is unknown, try "ip link help".`);
}
