/**
 * Listing TUN/TAP devices as `ip tuntap show` does: a link dump filtered by
 * kind `tun`, then each device's sysfs `tun_flags`, `owner` and `group`.
 * @module
 */
import { Netlink } from '../netlink/netlink.js';
import { linkData, type Link } from '../netlink/link.js';
import type { NetnsRef, RequestOptions } from '../netlink/socket.js';
import { TUN_FLAG } from './constants.js';
import type { TunTapMode } from './device.js';
import { NetSysfs } from './sysfs.js';
import { tunTapProcesses, type TunTapProcess } from './procs.js';

/** One TUN/TAP device. Keys follow `ip -j tuntap show` where it has them. */
export interface TunTapInfo {
  readonly ifname: string;
  readonly ifindex: number;
  readonly mode: TunTapMode;
  /** The device's IFF_* flags (sysfs tun_flags); see {@link TUN_FLAG}. */
  readonly tunFlags: number;
  /**
   * iproute2's words for `tunFlags`, in its order: tun|tap, pi, one_queue,
   * multi_queue, vnet_hdr, persist, filter, then any other bits as one hex
   * number (e.g. "0x10" for IFF_NAPI).
   */
  readonly flags: readonly string[];
  /** Packets carry struct tun_pi (IFF_NO_PI clear). */
  readonly packetInfo: boolean;
  readonly vnetHdr: boolean;
  readonly multiQueue: boolean;
  readonly oneQueue: boolean;
  readonly persist: boolean;
  readonly napi: boolean;
  readonly napiFrags: boolean;
  /** Owning uid, if one is set. */
  readonly user: number | undefined;
  /** Owning gid, if one is set. */
  readonly group: number | undefined;
  /** Attached queues (fds), from the link's IFLA_TUN_NUM_QUEUES when the kernel reports it. */
  readonly numQueues: number | undefined;
  /** Queues disabled with {@link TunTap.detachQueue}, likewise. */
  readonly numDisabledQueues: number | undefined;
  /** Processes holding the device open (with `processes: true`). */
  readonly processes?: readonly TunTapProcess[];
}

/** Options of {@link listTunTap}. */
export interface TunTapListOptions extends Pick<RequestOptions, 'signal' | 'timeout'> {
  /** Namespace to list (a name under /run/netns, a path, or a pid). Default: the caller's. */
  readonly netns?: NetnsRef;
  /** An open handle to dump links with (its namespace must be `netns`'s). */
  readonly netlink?: Netlink;
  /** Also find the processes attached to each device (scans /proc). */
  readonly processes?: boolean;
}

/** The flag words of `ip tuntap show` (print_flags()) for a tun_flags value. */
export function tunFlagWords(flags: number): string[] {
  const out: string[] = [];
  if (flags & TUN_FLAG.TUN) out.push('tun');
  if (flags & TUN_FLAG.TAP) out.push('tap');
  if (!(flags & TUN_FLAG.NO_PI)) out.push('pi');
  if (flags & TUN_FLAG.ONE_QUEUE) out.push('one_queue');
  if (flags & TUN_FLAG.MULTI_QUEUE) out.push('multi_queue');
  if (flags & TUN_FLAG.VNET_HDR) out.push('vnet_hdr');
  if (flags & TUN_FLAG.PERSIST) out.push('persist');
  // IFF_NOFILTER is the same bit as IFF_NO_PI: "filter" goes with "pi".
  if (!(flags & TUN_FLAG.NOFILTER)) out.push('filter');
  const rest = flags & ~(TUN_FLAG.TUN | TUN_FLAG.TAP | TUN_FLAG.NO_PI | TUN_FLAG.ONE_QUEUE |
    TUN_FLAG.MULTI_QUEUE | TUN_FLAG.VNET_HDR | TUN_FLAG.PERSIST | TUN_FLAG.NOFILTER);
  if (rest) out.push('0x' + (rest >>> 0).toString(16));
  return out;
}

/** A device's sysfs properties, or undefined when it went away meanwhile. */
function readProps(sysfs: NetSysfs, name: string): { flags: number; owner: number; group: number } | undefined {
  try {
    const flags = sysfs.readNumber(name, 'tun_flags');
    const owner = sysfs.readNumber(name, 'owner');
    const group = sysfs.readNumber(name, 'group');
    if (flags === undefined || owner === undefined || group === undefined) return undefined;
    return { flags, owner, group };
  } catch {
    return undefined;
  }
}

/** TunTapInfo from a dumped link and its sysfs properties. */
function toInfo(l: Link, p: { flags: number; owner: number; group: number }, procs?: readonly TunTapProcess[]): TunTapInfo {
  const f = p.flags;
  const data = linkData(l, 'tun');
  const info: TunTapInfo = {
    ifname: l.ifname,
    ifindex: l.ifindex,
    mode: f & TUN_FLAG.TAP ? 'tap' : 'tun',
    tunFlags: f,
    flags: tunFlagWords(f),
    packetInfo: !(f & TUN_FLAG.NO_PI),
    vnetHdr: !!(f & TUN_FLAG.VNET_HDR),
    multiQueue: !!(f & TUN_FLAG.MULTI_QUEUE),
    oneQueue: !!(f & TUN_FLAG.ONE_QUEUE),
    persist: !!(f & TUN_FLAG.PERSIST),
    napi: !!(f & TUN_FLAG.NAPI),
    napiFrags: !!(f & TUN_FLAG.NAPI_FRAGS),
    user: p.owner === -1 ? undefined : p.owner,
    group: p.group === -1 ? undefined : p.group,
    numQueues: data?.num_queues,
    numDisabledQueues: data?.num_disabled_queues,
  };
  return procs ? { ...info, processes: procs } : info;
}

/**
 * The TUN/TAP devices of a namespace, in ifindex order.
 * ```ts
 * for (const d of await listTunTap({ netns: 'blue' })) console.log(d.ifname, d.flags.join(' '));
 * ```
 */
export async function listTunTap(opts: TunTapListOptions = {}): Promise<TunTapInfo[]> {
  const own = opts.netlink ? undefined : await Netlink.open(opts.netns !== undefined ? { netns: opts.netns } : {});
  const nl = opts.netlink ?? own!;
  try {
    const dumpOpts = { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}) };
    const links = (await nl.link.list({ kind: 'tun' }, dumpOpts).toArray()).filter((l) => l.kind === 'tun');
    if (!links.length) return [];
    const procs = opts.processes ? tunTapProcesses() : undefined;
    using sysfs = NetSysfs.open(opts.netns);
    const out: TunTapInfo[] = [];
    for (const l of links) {
      const p = readProps(sysfs, l.ifname);
      if (p) out.push(toInfo(l, p, procs ? procs.get(l.ifname) ?? [] : undefined));
    }
    return out;
  } finally {
    own?.close();
  }
}
