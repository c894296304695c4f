/**
 * `ip link`: add, delete, set/change, replace, show/list, help — iproute2's
 * ip/iplink.c grammar and ip/ipaddress.c's print_linkinfo() output.
 * @module
 */
import { Args, CliError, matches, duparg2, invarg } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../output/printer.js';
import { COLOR_IFNAME, COLOR_MAC, operstateColor } from '../../output/color.js';
import { IFF, type LinkInfoAttrs } from '../../netlink/rtnetlink/link-schema.js';
import { OPER_STATES, type Link } from '../../netlink/link.js';
import type { LinkStats64 } from '../../netlink/structs.js';
import * as netns from '../../netlink/netns.js';
import { linkTypeName, groupName } from './names.js';
import { groupId } from './rtnl-names.js';
import { llAddrText } from './ll-map.js';
import { kindCli } from './link-kinds/index.js';
import { fmtUsage } from './link-kinds/util.js';
import { USAGE_VETH } from './link-kinds/usage.js';
import { parseLinkCommand, linkUsage, STUB_KINDS, type LinkResolver, type LinkVerb } from './link-parse.js';
import { prefetchHosts } from './resolve.js';
import { linkProperty } from './link-property.js';
import { RTM, NLM_F } from '../../netlink/constants.js';
import { rtRequest } from '../../netlink/rtnetlink/request.js';
import { linkMessage } from '../../netlink/rtnetlink/link-schema.js';
import { ifinfomsg } from '../../netlink/structs.js';
import type { MessageView } from '../../netlink/socket.js';
import type { Netlink } from '../../netlink/netlink.js';

export { parseLinkCommand, type LinkResolver, type LinkCommand, type LinkVerb } from './link-parse.js';

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

/** Everything a link printer needs to resolve other links and namespaces. */
export interface LinkIndex {
  readonly byIndex: ReadonlyMap<number, Link>;
  /** get_name_from_nsid(): the name under /run/netns of a namespace id, if any. */
  readonly nsName?: (nsid: number) => string | undefined;
}

/** print_name_and_link(): name[@link]; returns the M-DOWN flag. */
export function printNameAndLink(p: Printer, fmt: string, l: Link, idx: LinkIndex): boolean {
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
        // ll_index_to_flags() of an unknown link is 0: iproute2 then says M-DOWN.
        mflag = peer ? !(peer.flags & IFF.UP) : true;
      }
    } else if (p.inJson) {
      p.null(JSON_ONLY, 'link', '', '');
    } else {
      link = 'NONE';
    }
    if (link) name = `${name}@${link}`;
  }
  p.colorString(ANY, COLOR_IFNAME, 'ifname', fmt, name);
  return mflag;
}

/** print_operstate() (also used by ip address's link lines). */
export function printOperstate(p: Printer, state: number, brief: boolean): void {
  const name = OPER_STATES[state];
  if (name === undefined) {
    if (p.inJson) p.uint(JSON_ONLY, 'operstate_index', '', state);
    else p.hex0x(FP, null, 'state %#llx', state);
  } else if (brief) {
    p.colorString(ANY, operstateColor(state), 'operstate', '%-14s ', name);
  } else if (p.inJson) {
    p.string(JSON_ONLY, 'operstate', '', name);
  } else {
    p.text('state ');
    p.colorText(operstateColor(state), '%s ', name);
  }
}

const LINK_MODES = ['DEFAULT', 'DORMANT'];
const LINK_EVENTS = ['NONE', 'REBOOT', 'FEATURE CHANGE', 'BONDING FAILOVER', 'NOTIFY PEERS', 'RESEND IGMP', 'BONDING OPTION'];
const ADDR_GEN_MODES = ['eui64', 'none', 'stable_secret', 'random'];

/**
 * print_linktype(): `-d`'s kind line(s) with the kind's own options, for
 * `ip link` and the link lines of `ip address`/`ip monitor`.
 */
export function printLinktype(ctx: CliContext, info: LinkInfoAttrs, byIndex: ReadonlyMap<number, Link>): void {
  const p = ctx.printer;
  const pctx = {
    name: (i: number): string => byIndex.get(i)?.ifname ?? `if${i}`,
    details: ctx.opts.details,
    stats: ctx.opts.stats,
  };
  p.openObject('linkinfo');
  if (info.kind !== undefined) {
    p.nl();
    p.string(ANY, 'info_kind', '    %s ', info.kind);
    // Kinds without print_opt in iproute2 (veth, dummy, ifb, …) print only their name.
    const cli = kindCli(info.kind);
    if (cli?.print) {
      p.openObject('info_data');
      if (info.data !== undefined && !Buffer.isBuffer(info.data)) cli.print(p, info.data, pctx);
      p.closeObject();
    }
  }
  if (info.slave_kind !== undefined) {
    p.nl();
    p.string(ANY, 'info_slave_kind', '    %s_slave ', info.slave_kind);
    const cli = kindCli(`${info.slave_kind}_slave`);
    if (cli?.print) {
      p.openObject('info_slave_data');
      if (info.slave_data !== undefined && !Buffer.isBuffer(info.slave_data)) cli.print(p, info.slave_data, pctx);
      p.closeObject();
    }
  }
  p.closeObject();
}

/** print_num(): a right-aligned counter column. */
function num(width: number, v: bigint): string {
  return String(v).padStart(width) + ' ';
}

/** print_stats64() for text and JSON. */
export function printStats64(p: Printer, s: LinkStats64, carrierChanges: number | undefined, what: string | null, level: number): void {
  if (p.inJson) {
    if (what) p.openObject(what);
    p.openObject('rx');
    p.u64(JSON_ONLY, 'bytes', '', s.rx_bytes);
    p.u64(JSON_ONLY, 'packets', '', s.rx_packets);
    p.u64(JSON_ONLY, 'errors', '', s.rx_errors);
    p.u64(JSON_ONLY, 'dropped', '', s.rx_dropped);
    p.u64(JSON_ONLY, 'over_errors', '', s.rx_over_errors);
    p.u64(JSON_ONLY, 'multicast', '', s.multicast);
    if (s.rx_compressed) p.u64(JSON_ONLY, 'compressed', '', s.rx_compressed);
    if (level > 1) {
      p.u64(JSON_ONLY, 'length_errors', '', s.rx_length_errors);
      p.u64(JSON_ONLY, 'crc_errors', '', s.rx_crc_errors);
      p.u64(JSON_ONLY, 'frame_errors', '', s.rx_frame_errors);
      p.u64(JSON_ONLY, 'fifo_errors', '', s.rx_fifo_errors);
      p.u64(JSON_ONLY, 'missed_errors', '', s.rx_missed_errors);
      if (s.rx_nohandler) p.u64(JSON_ONLY, 'nohandler', '', s.rx_nohandler);
      if (s.rx_otherhost_dropped) p.u64(JSON_ONLY, 'otherhost', '', s.rx_otherhost_dropped);
    }
    p.closeObject();
    p.openObject('tx');
    p.u64(JSON_ONLY, 'bytes', '', s.tx_bytes);
    p.u64(JSON_ONLY, 'packets', '', s.tx_packets);
    p.u64(JSON_ONLY, 'errors', '', s.tx_errors);
    p.u64(JSON_ONLY, 'dropped', '', s.tx_dropped);
    p.u64(JSON_ONLY, 'carrier_errors', '', s.tx_carrier_errors);
    p.u64(JSON_ONLY, 'collisions', '', s.collisions);
    if (s.tx_compressed) p.u64(JSON_ONLY, 'compressed', '', s.tx_compressed);
    if (level > 1) {
      p.u64(JSON_ONLY, 'aborted_errors', '', s.tx_aborted_errors);
      p.u64(JSON_ONLY, 'fifo_errors', '', s.tx_fifo_errors);
      p.u64(JSON_ONLY, 'window_errors', '', s.tx_window_errors);
      p.u64(JSON_ONLY, 'heartbeat_errors', '', s.tx_heartbeat_errors);
      if (carrierChanges !== undefined) p.u64(JSON_ONLY, 'carrier_changes', '', carrierChanges);
    }
    p.closeObject();
    if (what) p.closeObject();
    return;
  }
  const cols = ['*X errors:', 'packets', 'errors', 'dropped', 'heartbt', 'overrun', 'compressed', 'otherhost'].map((x) => x.length);
  const size = (...vals: bigint[]): void => {
    vals.forEach((v, i) => { const n = String(v).length; if (n > cols[i]!) cols[i] = n; });
  };
  size(s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped, s.rx_missed_errors, s.multicast, s.rx_compressed, 0n);
  if (level > 1) size(0n, s.rx_length_errors, s.rx_crc_errors, s.rx_frame_errors, s.rx_fifo_errors, s.rx_over_errors, s.rx_nohandler, s.rx_otherhost_dropped);
  size(s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped, s.tx_carrier_errors, s.collisions, s.tx_compressed, 0n);
  if (level > 1) size(0n, 0n, s.tx_aborted_errors, s.tx_fifo_errors, s.tx_window_errors, s.tx_heartbeat_errors, BigInt(carrierChanges ?? 0), 0n);
  const c = (i: number): number => cols[i]!;
  const sl = p.lineSep;
  let out = `    RX: ${'bytes'.padStart(c(0) - 4)} ${'packets'.padStart(c(1))} ${'errors'.padStart(c(2))} ${'dropped'.padStart(c(3))} ${'missed'.padStart(c(4))} ${'mcast'.padStart(c(5))} ${(s.rx_compressed ? 'compressed' : '').padStart(c(6))}${sl}`;
  out += '    ' + num(c(0), s.rx_bytes) + num(c(1), s.rx_packets) + num(c(2), s.rx_errors) + num(c(3), s.rx_dropped) + num(c(4), s.rx_missed_errors) + num(c(5), s.multicast);
  if (s.rx_compressed) out += num(c(6), s.rx_compressed);
  if (level > 1) {
    out += sl;
    out += `    RX errors:${''.padStart(c(0) - 10)} ${'length'.padStart(c(1))} ${'crc'.padStart(c(2))} ${'frame'.padStart(c(3))} ${'fifo'.padStart(c(4))} ${'overrun'.padStart(c(5))}`
      + `${(s.rx_nohandler ? ' nohandler' : '').padStart(s.rx_nohandler ? c(6) + 1 : 0)}${(s.rx_otherhost_dropped ? ' otherhost' : '').padStart(s.rx_otherhost_dropped ? c(7) + 1 : 0)}${sl}`;
    out += ''.padStart(c(0) + 5) + num(c(1), s.rx_length_errors) + num(c(2), s.rx_crc_errors) + num(c(3), s.rx_frame_errors) + num(c(4), s.rx_fifo_errors) + num(c(5), s.rx_over_errors);
    if (s.rx_nohandler) out += num(c(6), s.rx_nohandler);
    if (s.rx_otherhost_dropped) out += num(c(7), s.rx_otherhost_dropped);
  }
  out += sl;
  out += `    TX: ${'bytes'.padStart(c(0) - 4)} ${'packets'.padStart(c(1))} ${'errors'.padStart(c(2))} ${'dropped'.padStart(c(3))} ${'carrier'.padStart(c(4))} ${'collsns'.padStart(c(5))} ${(s.tx_compressed ? 'compressed' : '').padStart(c(6))}${sl}`;
  out += '    ' + num(c(0), s.tx_bytes) + num(c(1), s.tx_packets) + num(c(2), s.tx_errors) + num(c(3), s.tx_dropped) + num(c(4), s.tx_carrier_errors) + num(c(5), s.collisions);
  if (s.tx_compressed) out += num(c(6), s.tx_compressed);
  if (level > 1) {
    out += sl;
    out += `    TX errors:${''.padStart(c(0) - 10)} ${'aborted'.padStart(c(1))} ${'fifo'.padStart(c(2))} ${'window'.padStart(c(3))} ${'heartbt'.padStart(c(4))} ${(carrierChanges !== undefined ? 'transns' : '').padStart(c(5))}${sl}`;
    out += ''.padStart(c(0) + 5) + num(c(1), s.tx_aborted_errors) + num(c(2), s.tx_fifo_errors) + num(c(3), s.tx_window_errors) + num(c(4), s.tx_heartbeat_errors);
    if (carrierChanges !== undefined) out += num(c(5), BigInt(carrierChanges));
  }
  p.text('%s', out);
}

/** __print_link_stats(): stats64 if present, else the 32-bit stats widened. */
function printLinkStats(p: Printer, l: Link, level: number): void {
  const a = l.raw.attrs;
  let s: LinkStats64 | undefined = a.stats64;
  let what = 'stats64';
  if (!s && a.stats) {
    const w: Record<string, bigint> = {};
    for (const [k, v] of Object.entries(a.stats)) w[k] = BigInt(v as number);
    w.rx_otherhost_dropped = 0n;
    s = w as unknown as LinkStats64;
    what = 'stats';
  }
  if (!s) return;
  printStats64(p, s, a.carrier_changes, what, level);
}

/** xdp_dump() for links whose IFLA_XDP says a program is attached. */
function printXdp(p: Printer, l: Link, details: boolean): void {
  const x = l.raw.attrs.xdp;
  if (!x || !x.attached) return;
  if (p.inJson) {
    if (details) return;
    p.openObject('xdp');
    p.uint(JSON_ONLY, 'mode', '', x.attached);
    p.closeObject();
    return;
  }
  if (!details) {
    const names: Record<number, string> = { 1: 'xdp', 2: 'xdpgeneric', 3: 'xdpoffload', 4: 'xdpmulti' };
    p.text('%s', names[x.attached] ?? `xdp[${x.attached}]`);
    if (x.prog_id) p.text('/id:%u', x.prog_id);
    p.text(' ');
  } else if (x.prog_id) {
    p.text('%s    prog/xdp id %u ', p.lineSep, x.prog_id);
  }
}

/** The bytes as lowercase hex without separators (phys_port_id, phys_switch_id). */
export function hexstring(b: Buffer): string {
  return b.toString('hex');
}

/**
 * print_linkinfo(): one link as `ip link show` prints it (`-d`, `-s`, `-br`,
 * `-o`, `-j` included). `ip address` reuses it for its link lines.
 */
export function printLink(ctx: CliContext, l: Link, idx: LinkIndex, opts: { readonly doLink?: boolean } = {}): void {
  const doLink = opts.doLink ?? true;
  const p = ctx.printer;
  const a = l.raw.attrs;
  const details = ctx.opts.details > 0;
  p.openObject();
  if (ctx.opts.brief) {
    const mdown = printNameAndLink(p, '%-16s ', l, idx);
    if (a.operstate !== undefined) printOperstate(p, a.operstate, true);
    if (a.address !== undefined) p.colorString(ANY, COLOR_MAC, 'address', '%s ', llAddrText(a.address, l.type));
    printLinkFlags(p, l.flags, mdown);
    p.string(FP, null, '%s', '\n');
    p.closeObject();
    return;
  }
  p.int(ANY, 'ifindex', '%d: ', l.ifindex);
  const mflag = printNameAndLink(p, '%s: ', l, idx);
  printLinkFlags(p, l.flags, mflag);
  if (a.mtu !== undefined) p.int(ANY, 'mtu', 'mtu %u ', a.mtu);
  printXdp(p, l, false);
  if (a.qdisc !== undefined) p.string(ANY, 'qdisc', 'qdisc %s ', a.qdisc);
  if (a.master !== undefined) p.string(ANY, 'master', 'master %s ', idx.byIndex.get(a.master)?.ifname ?? `if${a.master}`);
  if (a.operstate !== undefined) printOperstate(p, a.operstate, false);
  if (doLink && a.linkmode !== undefined) {
    const m = LINK_MODES[a.linkmode];
    if (m === undefined) p.int(ANY, 'linkmode_index', 'mode %d ', a.linkmode);
    else p.string(ANY, 'linkmode', 'mode %s ', m);
  }
  if (a.group !== undefined) p.string(ANY, 'group', 'group %s ', groupName(a.group));
  if (a.txqlen) p.int(ANY, 'txqlen', 'qlen %d', a.txqlen);
  if (a.event !== undefined) {
    if (a.event >= LINK_EVENTS.length) p.int(ANY, 'event', 'event %d ', a.event);
    else if (a.event) p.string(ANY, 'event', 'event %s ', LINK_EVENTS[a.event]!);
  }
  p.nl();
  p.string(ANY, 'link_type', '    link/%s ', linkTypeName(l.type));
  if (a.address !== undefined) p.colorString(ANY, COLOR_MAC, 'address', '%s', llAddrText(a.address, l.type));
  if (a.broadcast !== undefined) {
    if (l.flags & IFF.POINTOPOINT) {
      p.string(FP, null, ' peer ', null);
      p.bool(JSON_ONLY, 'link_pointtopoint', '', true);
    } else {
      p.string(FP, null, ' brd ', null);
    }
    p.colorString(ANY, COLOR_MAC, 'broadcast', '%s', llAddrText(a.broadcast, l.type));
  }
  if (a.perm_address !== undefined && a.perm_address !== a.address) {
    p.string(FP, null, ' permaddr ', null);
    p.colorString(ANY, COLOR_MAC, 'permaddr', '%s', llAddrText(a.perm_address, l.type));
  }
  if (a.link_netnsid !== undefined) {
    const id = a.link_netnsid;
    if (p.inJson) p.int(JSON_ONLY, 'link_netnsid', '', id);
    else if (id >= 0) {
      const name = idx.nsName?.(id);
      if (name !== undefined) p.string(FP, null, ' link-netns %s', name);
      else p.int(FP, null, ' link-netnsid %d', id);
    } else p.string(FP, null, ' link-netnsid %s', 'unknown');
  }
  if (a.new_netnsid !== undefined) {
    const name = idx.nsName?.(a.new_netnsid);
    if (name !== undefined) p.string(FP, null, ' new-netns %s', name);
    else p.int(FP, null, ' new-netnsid %d', a.new_netnsid);
  }
  if (a.new_ifindex !== undefined) p.int(FP, null, ' new-ifindex %d', a.new_ifindex);
  if (a.proto_down !== undefined) {
    if (a.proto_down) p.bool(ANY, 'proto_down', ' protodown on ', true);
    const r = a.proto_down_reason;
    if (r?.value) {
      p.openArray(ANY, p.inJson ? 'proto_down_reason' : 'protodown_reason <');
      let start = true;
      for (let i = 0, v = r.value & 0xff; v; i++, v >>= 1) {
        if (v & 1) { p.string(ANY, null, start ? '%s' : ',%s', String(i)); start = false; }
      }
      p.closeArray(ANY, '>');
    }
  }
  if (details) {
    if (a.promiscuity !== undefined) p.uint(ANY, 'promiscuity', ' promiscuity %u ', a.promiscuity);
    if (a.allmulti !== undefined) p.uint(ANY, 'allmulti', ' allmulti %u ', a.allmulti);
    if (a.min_mtu !== undefined) p.uint(ANY, 'min_mtu', 'minmtu %u ', a.min_mtu);
    if (a.max_mtu !== undefined) p.uint(ANY, 'max_mtu', 'maxmtu %u ', a.max_mtu);
    if (a.linkinfo) printLinktype(ctx, a.linkinfo, idx.byIndex);
    if (doLink && a.af_spec?.inet6?.addr_gen_mode !== undefined) {
      const m = a.af_spec.inet6.addr_gen_mode;
      p.string(ANY, 'inet6_addr_gen_mode', 'addrgenmode %s ', ADDR_GEN_MODES[m] ?? `0x${m.toString(16).padStart(2, '0')}`);
    }
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
  }
  if ((doLink || details) && a.ifalias !== undefined) {
    p.string(FP, null, '%s    ', p.lineSep);
    p.string(ANY, 'ifalias', 'alias %s', a.ifalias);
  }
  if (doLink || details) printXdp(p, l, true);
  if (doLink && ctx.opts.stats) {
    p.nl();
    printLinkStats(p, l, ctx.opts.stats);
  }
  const alt = a.prop_list?.alt_ifname;
  if (a.prop_list) {
    p.openArray(JSON_ONLY, 'altnames');
    for (const n of alt ?? []) {
      p.string(FP, null, '%s    altname ', p.lineSep);
      p.string(ANY, null, '%s', n);
    }
    p.closeArray(JSON_ONLY, '');
  }
  p.string(FP, null, '%s', '\n');
  p.closeObject();
}

/** A resolver over one link dump (ll_name_to_index and friends). */
export function resolverOf(links: readonly Link[], family: number): LinkResolver {
  const byName = new Map(links.map((l) => [l.ifname, l] as const));
  for (const l of links) for (const n of l.altnames) if (!byName.has(n)) byName.set(n, l);
  const byIndex = new Map(links.map((l) => [l.ifindex, l] as const));
  return {
    family,
    index(name) {
      const l = byName.get(name);
      if (l) return l.ifindex;
      // ll_name_to_index() accepts "ifN" for a link without a name.
      const m = /^if(\d+)$/.exec(name);
      return m && byIndex.has(Number(m[1])) ? Number(m[1]) : 0;
    },
    kind: (i) => byIndex.get(i)?.kind,
    addrLen(name) {
      const a = byName.get(name)?.address;
      return a === undefined ? -1 : a.split(':').length;
    },
  };
}

async function loadLinks(ctx: CliContext, skipStats = true): Promise<Link[]> {
  const nl = await ctx.netlink();
  return nl.link.list({ skipStats }, { interrupted: 'partial' }).toArray();
}

/** iplink_modify() */
async function modify(ctx: CliContext, verb: LinkVerb, args: Args): Promise<number> {
  const argv = args.rest();
  const links = await loadLinks(ctx);
  const resolver = resolverOf(links, ctx.opts.family === 17 ? 0 : ctx.opts.family);
  // link-netns NAME needs the namespace's nsid; like iproute2, assign one if it has none.
  const nsids = new Map<string, number>();
  for (let i = 0; i < argv.length - 1; i++) {
    if (!matches(argv[i], 'link-netns')) continue;
    const name = argv[i + 1]!;
    const from = ctx.opts.netns !== undefined ? { from: ctx.opts.netns } : {};
    try {
      let id = await netns.getId(name, from);
      if (id === undefined) {
        await netns.setId(name, 'auto', from);
        id = await netns.getId(name, from);
      }
      if (id !== undefined) nsids.set(name, id);
    } catch {
      // Not a namespace: the parser reports the invalid value.
    }
  }
  // A change with `type` may need the device's IFLA_INFO_DATA as bytes (the tunnel kinds re-send it).
  const typeAt = argv.indexOf('type');
  const infoData = verb === 'set' && typeAt >= 0 && TUNNEL_KINDS.has(argv[typeAt + 1] ?? '') ? await infoDataBytes(await ctx.netlink()) : undefined;
  const cmd = parseLinkCommand(verb, argv, { ...resolver, nsid: (n) => nsids.get(n), infoData: (i) => infoData?.get(i) });
  const nl = await ctx.netlink();
  await nl.link.modify(cmd.type, cmd.flags, cmd, `${verb} link`);
  return 0;
}

/** The kinds whose parse_opt() starts from the device's current settings (link-kinds/tunnel.ts). */
const TUNNEL_KINDS: ReadonlySet<string> = new Set(['gre', 'gretap', 'erspan', 'ip6gre', 'ip6gretap', 'ip6erspan', 'ipip', 'sit', 'ip6tnl', 'vti', 'vti6']);

/** IFLA_LINKINFO → IFLA_INFO_DATA payload of every link, by index, as the kernel sent it. */
export async function infoDataBytes(nl: Netlink): Promise<Map<number, Buffer>> {
  const out = new Map<number, Buffer>();
  const build = rtRequest(linkMessage, RTM.GETLINK, NLM_F.DUMP, { ...ifinfomsg.zero }, {});
  const found = await nl.socket.dump(build, (m: MessageView) => {
    if (m.type !== RTM.NEWLINK || m.len < IFINFOMSG_LEN) return undefined;
    const info = findAttr(m.buf, m.off + IFINFOMSG_LEN, m.off + m.len, IFLA_LINKINFO);
    const data = info && findAttr(m.buf, info.start, info.end, IFLA_INFO_DATA);
    return data ? { index: m.buf.readInt32LE(m.off + 4), bytes: Buffer.from(m.buf.subarray(data.start, data.end)) } : undefined;
  }, 'list links', { interrupted: 'partial' }).toArray();
  for (const x of found) out.set(x.index, x.bytes);
  return out;
}

const IFINFOMSG_LEN = 16;
const IFLA_LINKINFO = 18;
const IFLA_INFO_DATA = 2;

/** The payload bounds of the first attribute of `type` in [off, end), if any. */
function findAttr(buf: Buffer, off: number, end: number, type: number): { start: number; end: number } | undefined {
  for (let p = off; end - p >= 4;) {
    const len = buf.readUInt16LE(p);
    if (len < 4 || len > end - p) return undefined;
    if ((buf.readUInt16LE(p + 2) & 0x3fff) === type) return { start: p + 4, end: p + len };
    p += (len + 3) & ~3;
  }
  return undefined;
}

/** The namespace names of nsids as seen from the context's namespace (for "link-netns NAME"). */
async function nsNames(ctx: CliContext, needed: boolean): Promise<(id: number) => string | undefined> {
  if (!needed) return () => undefined;
  let list: Array<{ name: string; id: number | undefined }> = [];
  try {
    list = await netns.list(ctx.opts.netns !== undefined ? { from: ctx.opts.netns } : {});
  } catch {
    list = [];
  }
  return (id) => list.find((x) => x.id === id)?.name;
}

/** `ip link show` (ipaddr_list_link()). */
async function show(ctx: CliContext, args: Args): Promise<number> {
  let dev: string | undefined;
  let up = false;
  let group = -1;
  let master: string | undefined;
  let noMaster = false;
  let vrf: string | undefined;
  let kind: string | undefined;
  let slaveKind: string | undefined;
  while (args.left) {
    const t = args.next()!;
    if (t === 'up') up = true;
    else if (t === 'group') {
      const v = args.value();
      const g = groupId(v);
      if (g === undefined) invarg('Invalid "group" value\n', v);
      group = g;
    } else if (t === 'master') master = args.value();
    else if (t === 'vrf') vrf = args.value();
    else if (t === 'nomaster') noMaster = true;
    else if (t === 'type') {
      const v = args.value();
      if (v.endsWith('_slave') && v.length >= 6) slaveKind = v.slice(0, -6);
      else kind = v;
    } else if (t === 'to' || t === 'scope' || t === 'label') {
      args.value();
    } else {
      let v = t;
      if (t === 'dev') v = args.value();
      else if (matches(t, 'help')) linkUsage();
      if (dev !== undefined) duparg2('dev', v);
      dev = v;
    }
  }
  const nl = await ctx.netlink();
  const all = await loadLinks(ctx, true);
  const r = resolverOf(all, 0);
  let masterIndex: number | undefined;
  if (master !== undefined) {
    masterIndex = r.index(master);
    if (!masterIndex) invarg('Device does not exist\n', master);
  }
  if (vrf !== undefined) {
    masterIndex = r.index(vrf);
    if (!masterIndex || r.kind(masterIndex) !== 'vrf') invarg('Not a valid VRF name\n', vrf);
  }
  let shown: Link[];
  if (dev !== undefined) {
    const i = r.index(dev);
    if (!i) {
      ctx.warn(`Device "${dev}" does not exist.`);
      return 1;
    }
    if (group === -1) {
      shown = [await nl.link.get(i, { skipStats: false })];
    } else {
      shown = (await nl.link.list({}, { interrupted: 'partial' }).toArray()).filter((l) => l.ifindex === i);
    }
  } else {
    const filter: { kind?: string; master?: number } = {};
    if (kind !== undefined) filter.kind = kind;
    if (masterIndex !== undefined) filter.master = masterIndex;
    shown = await nl.link.list(filter, { interrupted: 'partial' }).toArray();
  }
  shown = shown.filter((l) => {
    if (up && !(l.flags & IFF.UP)) return false;
    if (group !== -1 && l.group !== group) return false;
    if (masterIndex !== undefined && l.master !== masterIndex) return false;
    if (noMaster && l.master !== undefined) return false;
    if (kind !== undefined && l.kind !== kind) return false;
    if (slaveKind !== undefined && l.slaveKind !== slaveKind) return false;
    return true;
  });
  const byIndex = new Map(all.map((l) => [l.ifindex, l] as const));
  const nsName = await nsNames(ctx, !ctx.opts.json && shown.some((l) => l.linkNetnsid !== undefined || l.raw.attrs.new_netnsid !== undefined));
  // Only link details (-d: tunnel endpoints, vxlan groups…) print host names.
  if (ctx.opts.resolve && ctx.opts.details) await prefetchHosts(shown.map((l) => l.raw.attrs.linkinfo));
  const p = ctx.printer;
  p.start();
  for (const l of shown) printLink(ctx, l, { byIndex, nsName });
  p.finish();
  return 0;
}

/** `ip link help [TYPE]` (do_help()). */
function help(ctx: CliContext, args: Args): number {
  const kind = args.next();
  if (kind === undefined) linkUsage();
  if (kind === 'veth') {
    ctx.sink.write(USAGE_VETH);
    ctx.sink.flush();
    return 0;
  }
  const cli = kindCli(kind);
  if (!cli && STUB_KINDS.has(kind)) {
    ctx.sink.write(`Usage: ... ${kind}\n`);
    ctx.sink.flush();
    return 0;
  }
  if (!cli || !cli.usage) linkUsage(); // a kind without print_help (tun)
  ctx.sink.write(fmtUsage(cli.usage, kind));
  ctx.sink.flush();
  return 0;
}

/** `ip link …` */
export default async function ipLink(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.peek();
  if (cmd === undefined) return show(ctx, args);
  args.next();
  if (matches(cmd, 'add')) return modify(ctx, 'add', args);
  if (matches(cmd, 'set') || matches(cmd, 'change')) return modify(ctx, 'set', args);
  if (matches(cmd, 'replace')) return modify(ctx, 'replace', args);
  if (matches(cmd, 'delete')) return modify(ctx, 'delete', args);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return show(ctx, args);
  if (matches(cmd, 'property')) {
    const argv = args.rest();
    return linkProperty(ctx, argv, async (n) => resolverOf(await loadLinks(ctx), 0).index(n));
  }
  if (matches(cmd, 'xstats') || matches(cmd, 'afstats')) {
    throw new CliError(`ip link ${cmd}: not supported by rip yet`, 1);
  }
  if (matches(cmd, 'help')) return help(ctx, args);
  throw new CliError(`Command "${cmd}" is unknown, try "ip link help".`);
}
