/**
 * `ip monitor [ all | OBJECTS ] [ label ] [ dev DEV ]`: print rtnetlink
 * notifications as iproute2's ip/ipmonitor.c does, with `-t`/`-ts`
 * timestamps. Built on the library's typed {@link Monitor}.
 *
 * Links and addresses are printed here; neighbours, nexthops, multicast
 * routes and prefixes by ./monitor-print.js; routes and rules by their CLI
 * module's `print…` export (the tables below).
 * @module
 */
import { Args, CliError, matches, invarg } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { sprintf } from '../../output/printf.js';
import type { Link } from '../../netlink/link.js';
import type { Address } from '../../netlink/address.js';
import type { MonitorEvent, MonitorObject, NetconfMessage, NsidMessage, RawRtMessage } from '../../netlink/monitor.js';
import { familyName } from '../../netlink/rtnetlink/address-schema.js';
import { ANY, FP } from '../../output/printer.js';
import { COLOR_IFNAME } from '../../output/color.js';
import * as netns from '../../netlink/netns.js';
import { printAddressLinkInfo, nsNameResolver } from './address-link.js';
import { printAddrInfo, emptyAddrFilter } from './address-print.js';
import { printNeighEvent, printNexthopEvent, printMrouteEvent, printPrefixEvent, printNetconfEvent } from './monitor-print.js';
import { prefetchHosts } from './resolve.js';
import { decodeNeighbor } from '../../netlink/neighbor.js';
import { decodeNexthop } from '../../netlink/nexthop.js';
import { decodeMrouteBody } from '../../netlink/mroute.js';
import type { MessageView } from '../../netlink/socket.js';

const USAGE = `Usage: ip monitor [ all | OBJECTS ] [ FILE ] [ label ] [ all-nsid ]
                  [ dev DEVICE ]
OBJECTS :=  address | link | mroute | neigh | netconf |
            nexthop | nsid | prefix | route | rule | stats
FILE := file FILENAME`;

/** Banner per object (print_headers label). */
const LABELS: Readonly<Record<MonitorObject, string>> = {
  link: '[LINK]', address: '[ADDR]', route: '[ROUTE]', mroute: '[MROUTE]', prefix: '[PREFIX]',
  neigh: '[NEIGH]', netconf: '[NETCONF]', rule: '[RULE]', nsid: '[NSID]', nexthop: '[NEXTHOP]',
};

/** A printer for an object's decoded notification, from another CLI module. */
type ObjectPrinter = (ctx: CliContext, message: object, deleted: boolean, names: ReadonlyMap<number, string>) => void;

/** Printers assembled here from other modules' exported pieces (loaded on first use: start-up time). */
const BUILTIN: Partial<Record<MonitorObject, () => Promise<ObjectPrinter>>> = {
  route: async () => {
    const [print, lib] = await Promise.all([import('./route-print.js'), import('../../netlink/route.js')]);
    return (ctx, message, _deleted, names) => {
      const r = message as Parameters<typeof print.routeText>[0];
      lib.nameRoute(r, names);
      const o = print.defaultPrintOptions(ctx.opts.details, ctx.opts.stats, ctx.opts.oneline, ctx.printer.palette);
      if (ctx.printer.inJson) print.routeJson(ctx.printer, r, o);
      else ctx.printer.text('%s', print.routeText(r, o));
    };
  },
  rule: async () => {
    const { printRule } = await import('./rule.js');
    return (ctx, message, deleted) => {
      printRule(ctx, ctx.printer, message as Parameters<typeof printRule>[2], deleted ? 33 /* RTM_DELRULE */ : 32 /* RTM_NEWRULE */);
    };
  },
};

async function loadPrinters(types: readonly MonitorObject[]): Promise<Map<MonitorObject, ObjectPrinter>> {
  const out = new Map<MonitorObject, ObjectPrinter>();
  await Promise.all(types.map(async (t) => {
    const builtin = BUILTIN[t];
    if (builtin) out.set(t, await builtin());
  }));
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** print_timestamp(): `Timestamp: <asctime> N usec` or, with -ts, `[YYYY-MM-DDTHH:MM:SS.uuuuuu] `. */
export function formatTimestamp(d: Date, short: boolean, usec = d.getMilliseconds() * 1000): string {
  const pad2 = (n: number): string => String(n).padStart(2, '0');
  const hms = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  if (short) {
    return `[${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${hms}.${String(usec).padStart(6, '0')}] `;
  }
  return `Timestamp: ${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]}${sprintf('%3d', d.getDate())} ${hms} ${d.getFullYear()} ${usec} usec\n`;
}

/** `ip monitor …` */
export default async function ipMonitor(ctx: CliContext, args: Args): Promise<number> {
  const selected = new Set<MonitorObject>();
  let banner = false;
  let devName: string | undefined;
  while (args.left) {
    const t = args.next()!;
    if (matches(t, 'file')) {
      args.value();
      throw new CliError('ip monitor file: not supported by rip yet', 1);
    } else if (matches(t, 'label')) banner = true;
    else if (matches(t, 'link')) selected.add('link');
    else if (matches(t, 'address')) selected.add('address');
    else if (matches(t, 'route')) selected.add('route');
    else if (matches(t, 'mroute')) selected.add('mroute');
    else if (matches(t, 'prefix')) selected.add('prefix');
    else if (matches(t, 'neigh')) selected.add('neigh');
    else if (matches(t, 'netconf')) selected.add('netconf');
    else if (matches(t, 'rule')) selected.add('rule');
    else if (matches(t, 'nsid')) selected.add('nsid');
    else if (matches(t, 'nexthop')) selected.add('nexthop');
    else if (t === 'stats') { /* RTNLGRP_STATS: no decoder in rip yet; accepted like iproute2 */ }
    else if (t === 'all') banner = true;
    else if (matches(t, 'all-nsid')) throw new CliError('ip monitor all-nsid: not supported by rip yet', 1);
    else if (matches(t, 'help')) throw new CliError(USAGE);
    else if (t === 'dev') devName = args.value();
    else throw new CliError(`Argument "${t}" is unknown, try "ip monitor help".`);
  }
  const nl = await ctx.netlink();
  let ifindex = 0;
  if (devName !== undefined) {
    ifindex = await nl.link.get(devName).then((l) => l.ifindex, () => 0);
    if (!ifindex) invarg('Device does not exist\n', devName);
  }
  const family = ctx.opts.family === 2 || ctx.opts.family === 10 ? ctx.opts.family : 0;
  const types: MonitorObject[] = selected.size ? [...selected] : ['link', 'address', 'route', 'mroute', 'prefix', 'neigh', 'netconf', 'rule', 'nsid', 'nexthop'];
  let refreshNsids = async (): Promise<void> => {};
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const mon = nl.monitor(types, { family, signal: ac.signal });
  // ll_init_map(): names for `dev@peer` and for address lines.
  const links = new Map<number, Link>();
  for (const l of await nl.link.list({ skipStats: true }, { interrupted: 'partial' }).toArray()) links.set(l.ifindex, l);
  const printers = await loadPrinters(types);
  const nsName = types.includes('link') ? await nsNameResolver(ctx, 'always') : () => undefined;
  const nsidNames = new Map<number, string>();
  let lookupNsid: ((id: number) => string | undefined) | undefined;
  if (types.includes('nsid')) {
    const from = ctx.opts.netns !== undefined ? { from: ctx.opts.netns } : {};
    const load = async (): Promise<Array<{ name: string; id: number | undefined }>> => netns.list(from).catch(() => []);
    for (const x of await load()) if (x.id !== undefined) nsidNames.set(x.id, x.name);
    let latest = new Map(nsidNames);
    // The event loop must not block on a lookup: refresh the snapshot after every nsid event.
    lookupNsid = (id) => latest.get(id);
    refreshNsids = async (): Promise<void> => {
      latest = new Map();
      for (const x of await load()) if (x.id !== undefined) latest.set(x.id, x.name);
    };
  }
  const nameOf = (i: number): string => links.get(i)?.ifname ?? `if${i}`;
  const addrFilter = emptyAddrFilter(true, ifindex);
  const p = ctx.printer;
  const header = (t: MonitorObject): void => {
    const ts = ctx.opts.timestamp;
    if (ts) {
      const d = new Date();
      p.text('%s', formatTimestamp(d, ts > 1));
    }
    if (banner) p.text('%s', LABELS[t]);
  };
  try {
    for await (const ev of mon) {
      // ll_index_to_name() asks the kernel about an index it has not seen (and remembers the answer).
      const index = ev.type === 'address' ? (ev.message as Address).index
        : ev.type === 'route' ? (ev.message as { oif?: number }).oif
          : ev.type === 'netconf' ? (ev.message as NetconfMessage).ifindex
            : ev.type === 'neigh' ? (ev.message as { ifindex?: number }).ifindex
              : ev.type === 'nexthop' ? (ev.message as { oif?: number }).oif : undefined;
      if (index && !links.has(index)) {
        const l = await nl.link.get(index).catch(() => undefined);
        if (l) links.set(index, l);
      }
      if (ev.type === 'nsid' && ev.action === 'new') await refreshNsids();
      if (ctx.opts.resolve && 'message' in ev) await prefetchHosts(ev.message);
      printEvent(ctx, ev, { header, links, nameOf, addrFilter, ifindex, family, printers, nsName, nsidNames, lookupNsid });
      p.flush();
    }
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
  return 0;
}

interface PrintState {
  header(t: MonitorObject): void;
  links: Map<number, Link>;
  nameOf(i: number): string;
  addrFilter: ReturnType<typeof emptyAddrFilter>;
  ifindex: number;
  family: number;
  printers: Map<MonitorObject, ObjectPrinter>;
  nsName: (nsid: number) => string | undefined;
  /** netns_map: namespace names by nsid, loaded at start (entries are dropped once printed, as iproute2 does). */
  nsidNames: Map<number, string>;
  /** netns_get_name(): the name of an nsid right now (read after a NEWNSID event). */
  lookupNsid: ((nsid: number) => string | undefined) | undefined;
}

/** The message as decoded by the monitor, or decoded here when its decoder was not loaded. */
function decoded<T>(m: object, decode: (v: MessageView) => T): T {
  if (!isRaw(m)) return m as T;
  return decode({ type: m.nlmsgType, flags: m.nlmsgFlags, seq: 0, pid: 0, buf: m.payload, off: 0, len: m.payload.length });
}

function isRaw(m: object): m is RawRtMessage {
  return (m as { undecoded?: unknown }).undecoded === true && Buffer.isBuffer((m as { payload?: unknown }).payload);
}

/** accept_msg() */
function printEvent(ctx: CliContext, ev: MonitorEvent, s: PrintState): void {
  const p = ctx.printer;
  if (ev.type === 'overflow') {
    ctx.warn('netlink receive error No buffer space available (105)');
    return;
  }
  const deleted = ev.action === 'del';
  switch (ev.type) {
    case 'link': {
      const l = ev.message as Link;
      if (isRaw(l)) return;
      // ll_remember_index()
      if (deleted) s.links.delete(l.ifindex); else s.links.set(l.ifindex, l);
      s.header('link');
      if (s.ifindex && l.ifindex !== s.ifindex) return;
      printAddressLinkInfo(ctx, l, {
        byIndex: s.links, family: 0, label: false, up: false, group: -1, master: 0, kind: undefined, slaveKind: undefined, showQueue: false, nsName: s.nsName,
      }, deleted);
      return;
    }
    case 'address': {
      const a = ev.message as Address;
      if (isRaw(a)) return;
      s.header('address');
      printAddrInfo(ctx, a, s.addrFilter, s.nameOf, deleted);
      return;
    }
    case 'netconf': {
      const n = ev.message as NetconfMessage;
      if (isRaw(n)) return;
      // ipnetconf_reset_filter(ifindex): the family filter is not applied here.
      const ifi = n.ifindex ?? 0;
      if (s.ifindex && s.ifindex !== ifi) return;
      s.header('netconf');
      printNetconfEvent(ctx, n, deleted, s.nameOf);
      return;
    }
    case 'nsid': {
      const n = ev.message as NsidMessage;
      if (isRaw(n)) return;
      s.header('nsid');
      p.openObject();
      if (deleted) p.bool(ANY, 'deleted', 'Deleted ', true);
      if (n.nsid < 0) p.string(FP, null, 'nsid unassigned ', null);
      else p.int(ANY, 'nsid', 'nsid %d ', n.nsid);
      const cur = n['current-nsid'];
      if (cur !== undefined) {
        if (cur < 0) p.string(FP, null, 'current-nsid unassigned ', null);
        else p.int(ANY, 'current-nsid', 'current-nsid %d ', cur);
      }
      const id = cur ?? n.nsid;
      const known = id >= 0 ? s.nsidNames.get(id) : undefined;
      if (known !== undefined) {
        p.string(ANY, 'name', '(iproute2 netns name: %s)', known);
        s.nsidNames.delete(id);
      } else if (!deleted && s.lookupNsid) {
        const name = s.lookupNsid(n.nsid);
        if (name !== undefined) {
          p.string(ANY, 'name', '(iproute2 netns name: %s)', name);
          s.nsidNames.set(n.nsid, name);
        }
      }
      p.string(FP, null, '\n', null);
      p.closeObject();
      return;
    }
    case 'neigh': {
      const n = decoded(ev.message, decodeNeighbor);
      // accept_msg(): -4/-6 drop other families before the header.
      if (s.family && n.raw.header.family !== s.family) return;
      s.header('neigh');
      printNeighEvent(ctx, n, ev.action, s.ifindex, s.nameOf);
      return;
    }
    case 'nexthop': {
      const nh = decoded(ev.message, decodeNexthop);
      s.header('nexthop');
      printNexthopEvent(ctx, nh, deleted, s.nameOf);
      return;
    }
    case 'mroute': {
      const m = ev.message;
      if (!isRaw(m)) return;
      // accept_msg(): cloned routes are skipped before the header.
      if (m.payload.length >= 12 && m.payload.readUInt32LE(8) & 0x200 /* RTM_F_CLONED */) return;
      s.header('mroute');
      printMrouteEvent(ctx, decodeMrouteBody(m.payload, 0, m.payload.length), deleted, { tb: 0, iif: s.ifindex }, s.nameOf);
      return;
    }
    case 'prefix': {
      const m = ev.message;
      if (!isRaw(m)) return;
      s.header('prefix');
      printPrefixEvent(ctx, m.payload, s.nameOf);
      return;
    }
    default: {
      const print = s.printers.get(ev.type);
      if (!print || isRaw(ev.message)) return;
      if (ev.type === 'route' && ((ev.message as { flags?: number }).flags ?? 0) & 0x200 /* RTM_F_CLONED */) return;
      s.header(ev.type);
      // iproute_reset_filter(ifindex): print_route() drops routes of other devices (after the header).
      if (ev.type === 'route' && s.ifindex && (ev.message as { oif?: number }).oif !== s.ifindex) return;
      const names = new Map([...s.links].map(([i, l]) => [i, l.ifname] as const));
      print(ctx, ev.message, deleted, names);
    }
  }
}
