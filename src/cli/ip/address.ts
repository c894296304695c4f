/**
 * `ip address`: show/list, add, change, replace, del, flush, help — grammar,
 * checks, messages and output as iproute2's ip/ipaddress.c
 * (ipaddr_list_flush_or_save, ipaddr_modify). The link lines are printed by
 * address-link.ts, each address by address-print.ts (print_addrinfo).
 * @module
 */
import { Args, CliError, matches, invarg, duparg, duparg2 } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { FP, JSON_ONLY } from '../../output/printer.js';
import { IFF } from '../../netlink/rtnetlink/link-schema.js';
import { decodeLink, type Link } from '../../netlink/link.js';
import { linkMessage } from '../../netlink/rtnetlink/link-schema.js';
import { rtRequest } from '../../netlink/rtnetlink/request.js';
import { ifinfomsg, ifaddrmsg, type LinkStats64 } from '../../netlink/structs.js';
import { NETLINK, NLM_F, RTM } from '../../netlink/constants.js';
import { flagFilterMask, fnmatch, type AddressSpec, type SettableAddressFlag } from '../../netlink/address.js';
import { IFA_F, IFA_FLAG_NAMES, INFINITY_LIFE_TIME } from '../../netlink/rtnetlink/address-schema.js';
import { NetlinkError } from '../../netlink/errors.js';
import { formatAddress } from '../../netlink/addr.js';
import { getAddr, getPrefix, getUnsigned, addressExpected, prefixExpected, type InetPrefix } from './inet-args.js';
import { printStats64 } from './link.js';
import type { Netlink } from '../../netlink/netlink.js';
import { addressMessage } from '../../netlink/rtnetlink/address-schema.js';
import { save, showdump, restore } from './address-save.js';
import { nsNameResolver, printAddressLinkInfo, type LinkLineOptions } from './address-link.js';
import { prefetchHosts } from './resolve.js';
import { readNameTable } from './names.js';
import type { MessageView } from '../../netlink/socket.js';
import { RequestBatch } from '../../netlink/batch.js';
import { newAddrInfo, decodeAddrInfo, IFADDRMSG_LEN, type AddrInfo } from '../../netlink/address-decode.js';
import { rtScopeNumber, emptyAddrFilter, addrInfoMatches, inetAddrMatch, printAddr, type AddrFilter } from './address-print.js';

const AF_INET = 2;
const AF_INET6 = 10;
const AF_PACKET = 17;

const USAGE = `Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                      [ CONFFLAG-LIST ]
       ip address del IFADDR dev IFNAME [mngtmpaddr]
       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]
                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]
                         [ nomaster ]
                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]
                         [ label LABEL ] [up] [ vrf NAME ] ]
       ip address {showdump|restore}
IFADDR := PREFIX | ADDR peer PREFIX
          [ broadcast ADDR ] [ anycast ADDR ]
          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ permanent | dynamic | secondary | primary |
           [-]tentative | [-]deprecated | [-]dadfailed | temporary |
           CONFFLAG-LIST ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |
          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |
          ip6erspan | ip6gre | ip6gretap | ip6tnl |
          ipip | ipoib | ipvlan | ipvtap |
          macsec | macvlan | macvtap |
          netdevsim | nlmon | rmnet | sit | team | team_slave |
          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |
          xfrm | virt_wifi }`;

function usage(): never {
  throw new CliError(USAGE);
}

// ------------------------------------------------------------------ arguments

/**
 * get_prefix() for an address being set (local, peer). iproute2 takes
 * `default`, `any` and `all` here too and sends an empty or all-zero address
 * (which the kernel refuses, or ignores for a peer); rip refuses them with
 * get_prefix()'s own error instead, before anything is sent.
 */
function addrPrefix(arg: string, family: number): InetPrefix {
  const p = getPrefix(arg, family);
  return p.any ? prefixExpected(arg, family) : p;
}

/** get_addr() for an address being set (broadcast, anycast); as {@link addrPrefix}. */
function addrAddress(arg: string, family: number): InetPrefix {
  const a = getAddr(arg, family);
  return a.any ? addressExpected(arg, family) : a;
}

// ------------------------------------------------------------------ links

/** ll_name_to_index: name (or alternative name, or `ifN`) → index, 0 if none. */
async function nameToIndex(nl: Netlink, name: string): Promise<number> {
  try {
    return (await nl.link.get(name)).ifindex;
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
  }
  const m = /^if(\d+)$/.exec(name);
  return m ? Number(m[1]) : 0;
}

/** get_filter(): a flag condition word; false if `arg` is none. */
function getFilter(f: AddrFilter, arg: string): boolean {
  try {
    const { flags, mask } = flagFilterMask([arg]);
    // flagFilterMask starts from zero; fold into the running (flags, flagmask) pair like iproute2.
    f.flags = (f.flags & ~mask) | flags;
    f.flagmask |= mask;
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------ show / flush

async function listOrFlush(ctx: CliContext, args: Args, action: 'list' | 'flush' | 'save'): Promise<number> {
  const flush = action === 'flush';
  const f = emptyAddrFilter(ctx.opts.oneline);
  f.family = ctx.opts.family;
  if (flush) {
    if (!args.left) { ctx.warn('Flush requires arguments.'); return 1; }
    if (f.family === AF_PACKET) { ctx.warn('Cannot flush link addresses.'); return 1; }
  }
  let filterDev: string | undefined;
  let masterName: string | undefined;
  let vrfName: string | undefined;
  while (args.left) {
    const t = args.next()!;
    if (t === 'to') {
      const v = args.value();
      f.pfx = getPrefix(v, f.family);
      if (f.family === 0) f.family = f.pfx.family;
    } else if (t === 'scope') {
      const v = args.value();
      f.scopemask = -1;
      let s = rtScopeNumber(v);
      if (s === undefined) {
        if (v !== 'all') invarg('invalid "scope"\n', v);
        s = 255;
        f.scopemask = 0;
      }
      f.scope = s;
    } else if (t === 'up') {
      f.up = true;
    } else if (getFilter(f, t)) {
      // flag condition
    } else if (t === 'label') {
      f.label = args.value();
    } else if (t === 'group') {
      const v = args.value();
      const g = groupNumber(v);
      if (g === undefined) invarg('Invalid "group" value\n', v);
      f.group = g;
    } else if (t === 'master') {
      masterName = args.value();
      vrfName = undefined;
    } else if (t === 'vrf') {
      vrfName = args.value();
      masterName = undefined;
    } else if (t === 'nomaster') {
      f.master = -1;
      masterName = vrfName = undefined;
    } else if (t === 'type') {
      const v = args.value();
      if (v.length > 6 && v.endsWith('_slave')) f.slaveKind = v.slice(0, -6); else f.kind = v;
    } else {
      let dev = t;
      if (t === 'dev') dev = args.value();
      else if (matches(t, 'help')) usage();
      if (filterDev !== undefined) duparg2('dev', dev);
      filterDev = dev;
    }
  }
  const nl = await ctx.netlink();
  if (masterName !== undefined) {
    const i = await nameToIndex(nl, masterName);
    if (!i) invarg('Device does not exist\n', masterName);
    f.master = i;
  }
  if (vrfName !== undefined) {
    const i = await nameToIndex(nl, vrfName);
    const l = i ? await nl.link.get(i).catch(() => undefined) : undefined;
    if (!l || l.kind !== 'vrf') invarg('Not a valid VRF name\n', vrfName);
    f.master = i;
  }
  if (filterDev !== undefined) {
    f.ifindex = await nameToIndex(nl, filterDev);
    if (f.ifindex <= 0) { ctx.warn(`Device "${filterDev}" does not exist.`); return 1; }
  }
  if (flush) return doFlush(ctx, nl, f);
  if (action === 'save') return save(ctx, nl, f);
  return show(ctx, nl, f);
}

let groupTable: Map<number, string> | undefined;
function groupNumber(s: string): number | undefined {
  groupTable ??= readNameTable('group');
  if (s === 'default') return 0;
  for (const [n, name] of groupTable) if (name === s) return n;
  return getUnsigned(s);
}

/**
 * The link dump of ip_link_list(): a family-specific dump (bare ifinfomsg) for
 * -4/-6, where the kernel answers with that family's view of each link.
 */
async function dumpLinks(nl: Netlink, family: number, stats: boolean): Promise<Link[]> {
  if (family === 0 || family === AF_PACKET) return nl.link.list({ skipStats: !stats }, { interrupted: 'partial' }).toArray();
  const build = rtRequest(linkMessage, RTM.GETLINK, NLM_F.DUMP, { ...ifinfomsg.zero, family }, {});
  return nl.socket.dump(build, (m) => (m.type === RTM.NEWLINK ? decodeLink(m) : undefined), 'list links', { interrupted: 'partial' }).toArray();
}

async function show(ctx: CliContext, nl: Netlink, f: AddrFilter): Promise<number> {
  // ipaddr_link_get() (with `dev`) asks for the one link without a family; the dump uses -4/-6's family.
  const allLinks = await dumpLinks(nl, f.ifindex ? 0 : ctx.opts.family, ctx.opts.stats > 0);
  const byIndex = new Map(allLinks.map((l) => [l.ifindex, l] as const));
  const nameOf = (i: number): string => byIndex.get(i)?.ifname ?? `if${i}`;
  let links = allLinks;
  if (f.ifindex) {
    // ipaddr_link_get(): one link; kind and master are then only checked by print_linkinfo().
    links = allLinks.filter((l) => l.ifindex === f.ifindex);
  } else {
    // iplink_filter_req() lets the kernel filter the dump: IFLA_LINKINFO kind, IFLA_MASTER = index or -1 ("no master").
    if (f.kind !== undefined) links = links.filter((l) => l.kind === f.kind);
    if (f.master > 0) links = links.filter((l) => l.raw.attrs.master === f.master);
    else if (f.master === -1) links = links.filter((l) => l.raw.attrs.master === undefined);
  }
  // The address messages are kept as received (one view each) and decoded only
  // when printed, so what survives the dump is small and short-lived.
  const byLink = f.family !== AF_PACKET ? await dumpAddrMessages(nl, f) : new Map<number, MessageView[]>();
  const scratch = newAddrInfo();
  if (f.family !== AF_PACKET) links = links.filter((l) => keepLink(byLink.get(l.ifindex) ?? [], f, nameOf, scratch));
  if (ctx.opts.resolve) {
    const addrs: Array<string | undefined> = [];
    for (const ms of byLink.values()) {
      for (const m of ms) { const a = decodeAddrInfo(m, scratch); addrs.push(a.local, a.address, a.broadcast, a.anycast); }
    }
    await prefetchHosts(ctx.opts.details ? links.map((l) => l.raw.attrs.linkinfo) : [], addrs);
  }
  const p = ctx.printer;
  const noLink = f.family !== AF_PACKET && f.oneline;
  const opts: LinkLineOptions = {
    byIndex, family: f.family, label: f.label !== undefined, up: f.up, group: f.group, master: f.master,
    kind: f.kind, slaveKind: f.slaveKind, showQueue: true, nsName: await nsNameResolver(ctx, links),
  };
  p.start();
  for (const l of links) {
    p.openObject();
    let res = 0;
    if (ctx.opts.brief || !noLink) res = printAddressLinkInfo(ctx, l, opts);
    if (res >= 0 && f.family !== AF_PACKET) {
      p.openArray(JSON_ONLY, 'addr_info');
      const msgs = f.up && !(l.flags & IFF.UP) ? undefined : byLink.get(l.ifindex);
      if (msgs) {
        const json = p.inJson;
        for (const m of msgs) {
          if (f.family && f.family !== m.buf[m.off]) continue;
          if (json) p.openObject();
          printAddr(ctx, decodeAddrInfo(m, scratch), f, nameOf);
          if (json) p.closeObject();
        }
      }
      p.closeArray(JSON_ONLY, '');
      if (ctx.opts.brief) p.string(FP, null, '%s', '\n');
    }
    if (res > 0 && ctx.opts.stats) {
      // print_link_stats(): the link's counters after its addresses.
      const a = l.raw.attrs;
      if (a.stats64) printStats64(p, a.stats64, a.carrier_changes, 'stats64', ctx.opts.stats);
      else if (a.stats) {
        const w: Record<string, bigint> = { rx_otherhost_dropped: 0n };
        for (const [k, v] of Object.entries(a.stats)) w[k] = BigInt(v);
        printStats64(p, w as unknown as LinkStats64, a.carrier_changes, 'stats', ctx.opts.stats);
      }
      p.nl();
    }
    p.closeObject();
  }
  p.finish();
  return 0;
}

/**
 * The RTM_NEWADDR messages of the address dump (ip's family, `dev` filtered by
 * the kernel), grouped by interface index in arrival order. They are kept as
 * received (views into the receive buffers) and decoded only when used.
 */
async function dumpAddrMessages(nl: Netlink, f: AddrFilter): Promise<Map<number, MessageView[]>> {
  const family = f.family === AF_INET || f.family === AF_INET6 ? f.family : 0;
  const build = rtRequest(addressMessage, RTM.GETADDR, NLM_F.DUMP, { ...ifaddrmsg.zero, family, index: f.ifindex }, {});
  const byLink = new Map<number, MessageView[]>();
  const ifindex = f.ifindex;
  let last = -1;
  let list: MessageView[] = [];
  // Grouped as they are dispatched; the stream itself yields nothing.
  const stream = nl.socket.dump<never>(build, (m) => {
    if (m.type !== RTM.NEWADDR || m.len < IFADDRMSG_LEN) return undefined;
    // ifaddrmsg: family, prefixlen, flags, scope (u8 each), then the u32 index.
    const b = m.buf;
    const o = m.off;
    const index = (b[o + 4]! | (b[o + 5]! << 8) | (b[o + 6]! << 16)) + b[o + 7]! * 0x1000000;
    if (ifindex && index !== ifindex) return undefined;
    if (family && b[o] !== family) return undefined;
    if (index !== last) {
      last = index;
      const l = byLink.get(index);
      if (l) list = l; else byLink.set(index, list = []);
    }
    list.push(m);
    return undefined;
  }, 'list addresses', { interrupted: 'partial' });
  for await (const batch of stream.batches()) void batch;
  return byLink;
}

/**
 * ipaddr_filter(): keep a link that has a matching address (or none at all,
 * when no family was asked). `addrs` are the link's own addresses.
 */
function keepLink(addrs: readonly MessageView[], f: AddrFilter, nameOf: (i: number) => string, scratch: AddrInfo): boolean {
  let missing = true;
  for (const m of addrs) {
    const a = decodeAddrInfo(m, scratch);
    missing = false;
    if (f.family && f.family !== a.family) continue;
    if ((f.scope ^ a.scope) & f.scopemask) continue;
    if ((f.flags ^ a.flags) & f.flagmask) continue;
    if (f.label !== undefined && !fnmatch(f.label, a.label ?? nameOf(a.index))) continue;
    if (f.pfx && !inetAddrMatch(a, f.pfx)) continue;
    return true;
  }
  return missing && (f.family === 0 || f.family === AF_PACKET);
}

async function doFlush(ctx: CliContext, nl: Netlink, f: AddrFilter): Promise<number> {
  const links = await nl.link.list({ skipStats: true }, { interrupted: 'partial' }).toArray();
  const names = new Map(links.map((l) => [l.ifindex, l.ifname] as const));
  const nameOf = (i: number): string => names.get(i) ?? `if${i}`;
  f.flushing = true;
  const stats = ctx.opts.stats;
  const p = ctx.printer;
  const scratch = newAddrInfo();
  // The deletes are pipelined: each dumped message goes back as RTM_DELADDR
  // byte for byte (as iproute2's flush sends it), queued into a RequestBatch
  // that sends them in large chunks from its own thread, without ACKs (as
  // iproute2, which only looks for errors): no promise or pending request per
  // address. Deleting a primary may already have removed its secondaries,
  // so EADDRNOTAVAIL is no failure (flush_update()).
  let failure: NetlinkError | undefined;
  let batch: RequestBatch | undefined;
  const done = (status: number): number => {
    p.flush();
    return status;
  };
  try {
    for (let round = 0; ; ) {
      const found: MessageView[] = [];
      for (const msgs of (await dumpAddrMessages(nl, f)).values()) {
        for (const m of msgs) if (addrInfoMatches(decodeAddrInfo(m, scratch), f, nameOf)) found.push(m);
      }
      if (!found.length) {
        if (stats) {
          if (round === 0) p.text('Nothing to flush.\n');
          else p.text(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
        }
        return done(0);
      }
      if (stats >= 2) for (const m of found) printAddr(ctx, decodeAddrInfo(m, scratch), f, nameOf);
      batch ??= RequestBatch.open(NETLINK.ROUTE, {
        ...(ctx.opts.netns !== undefined ? { netns: ctx.opts.netns } : {}),
        ack: false,
        onError: (_i, e) => {
          if (e.code === 'EADDRNOTAVAIL') return false;
          failure = e;
          return true;
        },
      });
      for (let i = 0; i < found.length; i++) {
        const m = found[i]!;
        batch.addRaw(RTM.DELADDR, 0, m.buf.subarray(m.off, m.off + m.len), i);
      }
      batch.drain();
      if (failure) throw new CliError(`Failed to send flush request: ${failure.reason}`, 1);
      round++;
      if (stats) p.text(`\n*** Round ${round}, deleting ${found.length} addresses ***\n`);
      if (!(f.flags & IFA_F.SECONDARY) && (f.flagmask & IFA_F.SECONDARY)) {
        if (stats) p.text(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
        return done(0);
      }
      if (round >= 10) {
        done(0);
        ctx.warn('*** Flush remains incomplete after 10 rounds. ***');
        return 1;
      }
    }
  } finally {
    batch?.close();
  }
}

// ------------------------------------------------------------------ save / showdump / restore

type Verb = 'add' | 'change' | 'replace' | 'del';

/** An `ip address add|change|replace|del` command line, parsed. */
export interface ParsedAddrModify {
  /** The library spec in command-line order (`dev` is the name; lifetimes last, as on the wire). */
  readonly spec: Record<string, unknown>;
  readonly dev: string | undefined;
  readonly family: number;
  readonly local: InetPrefix | undefined;
  readonly localArg: string;
  readonly peer: InetPrefix | undefined;
  readonly brd: 0 | '+' | '-' | 'addr';
  readonly lifetimes: { readonly set: boolean; readonly valid: number; readonly preferred: number };
  readonly flags: readonly SettableAddressFlag[];
}

/**
 * Parse ipaddr_modify()'s grammar. Errors iproute2 reports while parsing are
 * thrown as CliError; warnings go to `warn` in order.
 */
export function parseAddrModify(argv: readonly string[], startFamily: number, warn: (line: string) => void): ParsedAddrModify {
  const args = new Args(argv);
  let family = startFamily;
  const spec: Record<string, unknown> = {};
  let dev: string | undefined;
  let local: InetPrefix | undefined;
  let localArg = '';
  let peer: InetPrefix | undefined;
  let brd: 0 | '+' | '-' | 'addr' = 0;
  let anySet = false;
  let validArg: string | undefined;
  let preferredArg: string | undefined;
  let valid = INFINITY_LIFE_TIME;
  let preferred = INFINITY_LIFE_TIME;
  const flagNames: SettableAddressFlag[] = [];
  const labels: string[] = [];
  const lifetime = (v: string): number | undefined => (v === 'forever' ? INFINITY_LIFE_TIME : getUnsigned(v));
  while (args.left) {
    const t = args.next()!;
    if (t === 'peer' || t === 'remote') {
      const v = args.value();
      if (peer) duparg('peer', v);
      peer = addrPrefix(v, family);
      if (family === 0) family = peer.family;
      spec.peer = `${formatAddress(peer.bytes)}/${peer.bitlen}`;
    } else if (matches(t, 'broadcast') || t === 'brd') {
      const v = args.value();
      if (brd) duparg('broadcast', v);
      if (v === '+' || v === '-') { brd = v; spec.broadcast = v; }
      else {
        const a = addrAddress(v, family);
        if (family === 0) family = a.family;
        spec.broadcast = formatAddress(a.bytes);
        brd = 'addr';
      }
    } else if (t === 'anycast') {
      const v = args.value();
      if (anySet) duparg('anycast', v);
      const a = addrAddress(v, family);
      if (family === 0) family = a.family;
      spec.anycast = formatAddress(a.bytes);
      anySet = true;
    } else if (t === 'scope') {
      const v = args.value();
      const s = rtScopeNumber(v);
      if (s === undefined) invarg('invalid scope value.', v);
      spec.scope = s;
    } else if (t === 'dev') {
      dev = args.value();
    } else if (t === 'label') {
      const v = args.value();
      labels.push(v);
      spec.label = v;
    } else if (matches(t, 'metric') || matches(t, 'priority') || matches(t, 'preference')) {
      const v = args.value();
      const m = getUnsigned(v);
      if (m === undefined) invarg('"metric" value is invalid\n', v);
      spec.metric = m;
    } else if (matches(t, 'valid_lft')) {
      if (validArg !== undefined) duparg('valid_lft', t);
      const v = args.value();
      validArg = v;
      const n = lifetime(v);
      if (n === undefined) invarg('valid_lft value', v);
      valid = n;
      spec.valid_lft = n === INFINITY_LIFE_TIME ? 'forever' : n;
    } else if (matches(t, 'preferred_lft')) {
      if (preferredArg !== undefined) duparg('preferred_lft', t);
      const v = args.value();
      preferredArg = v;
      const n = lifetime(v);
      if (n === undefined) invarg('preferred_lft value', v);
      preferred = n;
      spec.preferred_lft = n === INFINITY_LIFE_TIME ? 'forever' : n;
    } else if (IFA_FLAG_NAMES.some((x) => x.name === t)) {
      const fd = IFA_FLAG_NAMES.find((x) => x.name === t)!;
      if (fd.readonly) warn(`Warning: ${fd.name} option is not mutable from userspace`);
      else if (fd.v6only && family !== AF_INET6) warn(`Warning: ${fd.name} option can be set only for IPv6 addresses`);
      else flagNames.push(fd.name as SettableAddressFlag);
    } else {
      let v = t;
      if (t === 'local') v = args.value();
      if (matches(v, 'help')) usage();
      if (local) duparg2('local', v);
      localArg = v;
      local = addrPrefix(v, family);
      if (family === 0) family = local.family;
      spec.local = `${formatAddress(local.bytes)}${local.lenSpecified ? `/${local.bitlen}` : ''}`;
    }
  }
  if (labels.length > 1) {
    // iproute2 sends every label; the kernel uses the last one.
    spec.label = labels[labels.length - 1];
  }
  if (flagNames.length) spec.flags = flagNames;
  // Lifetimes go last on the wire (IFA_CACHEINFO is appended after the loop).
  const ordered: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (k !== 'valid_lft' && k !== 'preferred_lft') ordered[k] = v;
  if (spec.valid_lft !== undefined) ordered.valid_lft = spec.valid_lft;
  if (spec.preferred_lft !== undefined) ordered.preferred_lft = spec.preferred_lft;
  return {
    spec: ordered, dev, family, local, localArg, peer, brd,
    lifetimes: { set: validArg !== undefined || preferredArg !== undefined, valid, preferred }, flags: flagNames,
  };
}

/** ipaddr_modify(): parse, check (printing iproute2's messages) and send. */
async function modify(ctx: CliContext, args: Args, verb: Verb): Promise<number> {
  const del = verb === 'del';
  const { spec, dev, family, local, localArg, peer, brd, lifetimes, flags } = parseAddrModify(args.rest(), ctx.opts.family, (l) => ctx.warn(l));
  if (dev === undefined) { ctx.warn('Not enough information: "dev" argument is required.'); return 1; }
  if (!peer && local && del && local.family === AF_INET && !local.lenSpecified) {
    ctx.warn(`Warning: Executing wildcard deletion to stay compatible with old scripts.
         Explicitly specify the prefix length (${localArg}/${local.bitlen}) to avoid this warning.
         This special behaviour is likely to disappear in further releases,
         fix your scripts!`);
  }
  if ((brd === '+' || brd === '-') && !del && family !== AF_INET) {
    ctx.warn('Broadcast can be set only for IPv4 addresses');
    return 1;
  }
  const nl = await ctx.netlink();
  const index = await nameToIndex(nl, dev);
  if (!index) { ctx.warn(`Cannot find device "${dev}"`); return 1; }
  if (lifetimes.set) {
    if (!lifetimes.valid) { ctx.warn('valid_lft is zero'); return 1; }
    if (lifetimes.valid < lifetimes.preferred) { ctx.warn('preferred_lft is greater than valid_lft'); return 1; }
  }
  if (flags.includes('autojoin')) {
    const b = local?.bytes;
    const mc = b && (b.length === 4 ? (b[0]! & 0xf0) === 0xe0 : b[0] === 0xff);
    if (!mc) { ctx.warn('autojoin needs multicast address'); return 1; }
  }
  const s = { dev: index, ...spec } as unknown as AddressSpec;
  if (verb === 'add') await nl.address.add(s);
  else if (verb === 'change') await nl.address.change(s);
  else if (verb === 'replace') await nl.address.replace(s);
  else await nl.address.del(s);
  return 0;
}

/** `ip address …` */
export default async function ipAddress(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined) return listOrFlush(ctx, args, 'list');
  if (matches(cmd, 'add')) return modify(ctx, args, 'add');
  if (matches(cmd, 'change') || cmd === 'chg') return modify(ctx, args, 'change');
  if (matches(cmd, 'replace')) return modify(ctx, args, 'replace');
  if (matches(cmd, 'delete')) return modify(ctx, args, 'del');
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return listOrFlush(ctx, args, 'list');
  if (matches(cmd, 'flush')) return listOrFlush(ctx, args, 'flush');
  if (matches(cmd, 'help')) usage();
  if (matches(cmd, 'save')) return listOrFlush(ctx, args, 'save');
  if (matches(cmd, 'showdump')) return showdump(ctx);
  if (matches(cmd, 'restore')) return restore(ctx);
  throw new CliError(`Command "${cmd}" is unknown, try "ip address help".`);
}
