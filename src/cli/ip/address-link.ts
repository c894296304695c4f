/**
 * The link lines of `ip address` and `ip monitor`: iproute2's print_linkinfo()
 * as ipaddress.c calls it for addresses (with the address filters), split from
 * address.ts.
 * @module
 */
import type { CliContext } from '../common/context.js';
import { ANY, FP, JSON_ONLY } from '../../output/printer.js';
import { COLOR_MAC } from '../../output/color.js';
import { IFF } from '../../netlink/rtnetlink/link-schema.js';
import { type Link } from '../../netlink/link.js';
import { printLinkFlags, printNameAndLink, printOperstate, printLinktype, hexstring } from './link.js';
import { linkTypeName, groupName } from './names.js';
import { native } from '../../netlink/native.js';
import * as netns from '../../netlink/netns.js';
import { netnsTarget } from '../../netlink/socket.js';

const AF_INET = 2;
const AF_INET6 = 10;
const AF_PACKET = 17;

const LINK_EVENTS = ['NONE', 'REBOOT', 'FEATURE CHANGE', 'BONDING FAILOVER', 'NOTIFY PEERS', 'RESEND IGMP', 'BONDING OPTION'];

/** What the address view of print_linkinfo() needs besides the link. */
export interface LinkLineOptions {
  /** Link names and flags by index, for `name@peer` and M-DOWN. */
  readonly byIndex: ReadonlyMap<number, Link>;
  /** filter.family: 0, AF_INET, AF_INET6 or AF_PACKET. */
  readonly family: number;
  /** With `label`, the link line is not printed (print_linkinfo returns 0). */
  readonly label: boolean;
  /** filter.up / group / master / kind conditions. */
  readonly up: boolean;
  readonly group: number;
  readonly master: number;
  readonly kind: string | undefined;
  readonly slaveKind: string | undefined;
  /** filter.showqueue: `ip address` prints qlen, `ip monitor` does not. */
  readonly showQueue: boolean;
  /** get_name_from_nsid(): the /run/netns name of a peer namespace id. */
  readonly nsName?: (nsid: number) => string | undefined;
}

/** The names of namespace ids seen from the context's namespace, when a link refers to one. */
export async function nsNameResolver(ctx: CliContext, links: readonly Link[] | 'always'): Promise<(id: number) => string | undefined> {
  if (ctx.opts.json || (links !== 'always' && !links.some((l) => l.raw.attrs.link_netnsid !== undefined || l.raw.attrs.new_netnsid !== undefined))) return () => undefined;
  let list: Array<{ name: string; id: number | undefined }> = [];
  try {
    list = await netns.list(ctx.opts.netns !== undefined ? { from: ctx.opts.netns } : {});
  } catch {
    list = [];
  }
  return (id) => list.find((x) => x.id === id)?.name;
}

const SIOCGIFTXQLEN = 0x8942;

/**
 * print_queuelen()'s fallback when the message has no IFLA_TXQLEN (family
 * dumps): ask SIOCGIFTXQLEN on a socket in the namespace.
 */
function txqlenByIoctl(netns: string | undefined, name: string): number {
  let fd = -1;
  try {
    fd = native.socket(2, 1 /* SOCK_STREAM */, 0, netns === undefined ? null : netnsTarget(netns));
    const ifr = Buffer.alloc(40);
    ifr.write(name.slice(0, 15), 0, 'utf8');
    native.ioctl(fd, SIOCGIFTXQLEN, ifr);
    return ifr.readInt32LE(16);
  } catch {
    return 0;
  } finally {
    if (fd >= 0) native.close(fd);
  }
}

/**
 * print_linkinfo() as `ip address` and `ip monitor` use it (do_link = 0):
 * returns -1 when the link is filtered out, 0 when nothing was printed
 * (label filter, brief), 1 after a full link line.
 */
export function printAddressLinkInfo(ctx: CliContext, l: Link, o: LinkLineOptions, deleted = false): number {
  const p = ctx.printer;
  const a = l.raw.attrs;
  if (o.up && !(l.flags & IFF.UP)) return -1;
  if (o.label) return 0;
  if (o.group !== -1 && a.group !== undefined && a.group !== o.group) return -1;
  if (a.master !== undefined) { if (o.master > 0 && a.master !== o.master) return -1; } else if (o.master > 0) return -1;
  if (o.kind !== undefined && (a.linkinfo?.kind ?? '') !== o.kind) return -1;
  if (o.slaveKind !== undefined && (a.linkinfo?.slave_kind ?? '') !== o.slaveKind) return -1;
  if (deleted) p.bool(ANY, 'deleted', 'Deleted ', true);
  if (ctx.opts.brief) {
    const mflag = printNameAndLink(p, '%-16s ', l, { byIndex: o.byIndex });
    if (a.operstate !== undefined) printOperstate(p, a.operstate, true);
    if (o.family === AF_PACKET) {
      if (a.address !== undefined) p.colorString(ANY, COLOR_MAC, 'address', '%s ', a.address);
      printLinkFlags(p, l.flags, mflag);
      p.string(FP, null, '%s', '\n');
    }
    return 0;
  }
  p.int(ANY, 'ifindex', '%d: ', l.ifindex);
  const mflag = printNameAndLink(p, '%s: ', l, { byIndex: o.byIndex });
  printLinkFlags(p, l.flags, mflag);
  if (a.mtu !== undefined) p.int(ANY, 'mtu', 'mtu %u ', a.mtu);
  if (a.qdisc !== undefined) p.string(ANY, 'qdisc', 'qdisc %s ', a.qdisc);
  if (a.master !== undefined) p.string(ANY, 'master', 'master %s ', o.byIndex.get(a.master)?.ifname ?? `if${a.master}`);
  if (a.operstate !== undefined) printOperstate(p, a.operstate, false);
  if (a.group !== undefined) p.string(ANY, 'group', 'group %s ', groupName(a.group));
  if (o.showQueue) {
    const qlen = a.txqlen ?? txqlenByIoctl(ctx.opts.netns, l.ifname);
    if (qlen) p.int(ANY, 'txqlen', 'qlen %d', qlen);
  }
  if (a.event !== undefined) {
    const ev = LINK_EVENTS[a.event];
    p.string(ANY, 'event', 'event %s ', ev ?? 'Unknown');
  }
  const details = ctx.opts.details > 0;
  if (!o.family || o.family === AF_PACKET || details) {
    p.nl();
    p.string(ANY, 'link_type', '    link/%s ', linkTypeName(l.type));
    if (a.address !== undefined) p.colorString(ANY, COLOR_MAC, 'address', '%s', a.address);
    if (a.broadcast !== undefined) {
      if (l.flags & IFF.POINTOPOINT) {
        p.string(FP, null, ' peer ', null);
        p.bool(JSON_ONLY, 'link_pointtopoint', '', true);
      } else {
        p.string(FP, null, ' brd ', null);
      }
      p.colorString(ANY, COLOR_MAC, 'broadcast', '%s', a.broadcast);
    }
    if (a.perm_address !== undefined && a.perm_address !== a.address) {
      p.string(FP, null, ' permaddr ', null);
      p.colorString(ANY, COLOR_MAC, 'permaddr', '%s', a.perm_address);
    }
  }
  if (a.link_netnsid !== undefined) {
    const id = a.link_netnsid;
    if (p.inJson) p.int(JSON_ONLY, 'link_netnsid', '', id);
    else if (id >= 0) {
      const name = o.nsName?.(id);
      if (name !== undefined) p.string(FP, null, ' link-netns %s', name);
      else p.int(FP, null, ' link-netnsid %d', id);
    } else p.string(FP, null, ' link-netnsid %s', 'unknown');
  }
  if (a.new_netnsid !== undefined) {
    const name = o.nsName?.(a.new_netnsid);
    if (name !== undefined) p.string(FP, null, ' new-netns %s', name);
    else p.int(FP, null, ' new-netnsid %d', a.new_netnsid);
  }
  if (a.new_ifindex !== undefined) p.int(FP, null, ' new-ifindex %d', a.new_ifindex);
  if (a.proto_down !== undefined && a.proto_down) p.bool(ANY, 'proto_down', ' protodown on ', true);
  if (details) {
    if (a.promiscuity !== undefined) p.uint(ANY, 'promiscuity', ' promiscuity %u ', a.promiscuity);
    if (a.allmulti !== undefined) p.uint(ANY, 'allmulti', ' allmulti %u ', a.allmulti);
    if (a.min_mtu !== undefined) p.uint(ANY, 'min_mtu', 'minmtu %u ', a.min_mtu);
    if (a.max_mtu !== undefined) p.uint(ANY, 'max_mtu', 'maxmtu %u ', a.max_mtu);
    if (a.linkinfo) printLinktype(ctx, a.linkinfo, o.byIndex);
    if (a.num_tx_queues !== undefined) p.uint(ANY, 'num_tx_queues', 'numtxqueues %u ', a.num_tx_queues);
    if (a.num_rx_queues !== undefined) p.uint(ANY, 'num_rx_queues', 'numrxqueues %u ', a.num_rx_queues);
    if (a.gso_max_size !== undefined) p.uint(ANY, 'gso_max_size', 'gso_max_size %u ', a.gso_max_size);
    if (a.gso_max_segs !== undefined) p.uint(ANY, 'gso_max_segs', 'gso_max_segs %u ', a.gso_max_segs);
    if (a.tso_max_size !== undefined) p.uint(ANY, 'tso_max_size', 'tso_max_size %u ', a.tso_max_size);
    if (a.tso_max_segs !== undefined) p.uint(ANY, 'tso_max_segs', 'tso_max_segs %u ', a.tso_max_segs);
    if (a.gro_max_size !== undefined) p.uint(ANY, 'gro_max_size', 'gro_max_size %u ', a.gro_max_size);
    if (a.phys_port_name !== undefined) p.string(ANY, 'phys_port_name', 'portname %s ', a.phys_port_name);
    if (a.phys_port_id !== undefined) p.string(ANY, 'phys_port_id', 'portid %s ', hexstring(a.phys_port_id));
    if (a.phys_switch_id !== undefined) p.string(ANY, 'phys_switch_id', 'switchid %s ', hexstring(a.phys_switch_id));
    if (a.parent_dev_bus_name !== undefined) p.string(ANY, 'parentbus', 'parentbus %s ', a.parent_dev_bus_name);
    if (a.parent_dev_name !== undefined) p.string(ANY, 'parentdev', 'parentdev %s ', a.parent_dev_name);
    if (a.ifalias !== undefined) {
      p.string(FP, null, '%s    ', p.lineSep);
      p.string(ANY, 'ifalias', 'alias %s', a.ifalias);
    }
  }
  const alt = a.prop_list?.alt_ifname;
  if (alt) {
    p.openArray(JSON_ONLY, 'altnames');
    for (const n of alt) {
      p.string(FP, null, '%s    altname ', p.lineSep);
      p.string(ANY, null, '%s', n);
    }
    p.closeArray(JSON_ONLY, '');
  }
  p.string(FP, null, '%s', '\n');
  return 1;
}
