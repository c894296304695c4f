/**
 * `ip link add|set|change|replace|delete` command lines → one RTM_NEWLINK /
 * RTM_DELLINK request, exactly as iproute2's iplink_parse() and
 * iplink_modify() build it (attributes in command-line order, then
 * IFLA_LINK / IFLA_NEW_IFINDEX, IFLA_IFNAME, IFLA_LINKINFO). Pure apart from
 * opening namespace files for `netns NAME`: the name → ifindex lookups go
 * through a {@link LinkResolver}, so the same code serves the CLI (one link
 * dump) and golden-bytes tests (a fixed table).
 * @module
 */
import { openSync, closeSync } from 'node:fs';
import { CliError, duparg, duparg2, invarg, matches, missarg } from '../common/args.js';
import { RTM, NLM_F } from '../../netlink/constants.js';
import { ifinfomsg, type IfInfoMsg } from '../../netlink/structs.js';
import { IFF, type LinkAttrsShape } from '../../netlink/rtnetlink/link-schema.js';
// Registers every kind's IFLA_INFO_DATA schema (the request is encoded with them).
import '../../netlink/rtnetlink/kinds/index.js';
import { USAGE_VETH, IPLINK_USAGE } from './link-kinds/usage.js';
import { kindCli } from './link-kinds/index.js';
import { getInteger, getU32, llAddrA2n, onOff, onOffStrict } from './link-kinds/util.js';
import { parseVf } from './link-vf.js';
import { groupId } from './rtnl-names.js';
import { checkIfname } from './inet-args.js';

/** What parsing needs to know about the namespace. */
export interface LinkResolver {
  /** ll_name_to_index(): 0 if there is no such link. */
  index(name: string): number;
  /** IFLA_INFO_KIND of a link (for `vrf NAME`). */
  kind(index: number): string | undefined;
  /** Length of the link's hardware address (nl_get_ll_addr_len), or -1. */
  addrLen(name: string): number;
  /** `-4` / `-6` / `-0` as iproute2's preferred_family. */
  readonly family: number;
  /** The nsid of a named namespace as seen from ours (for `link-netns NAME`), if known. */
  nsid?(name: string): number | undefined;
  /** A link's current IFLA_INFO_DATA bytes (what RTM_GETLINK of its index answers), if known. */
  infoData?(index: number): Buffer | undefined;
}

/** A parsed `ip link` modification, ready to send. */
export interface LinkCommand {
  readonly type: number;
  /** nlmsg_flags without NLM_F_REQUEST / NLM_F_ACK. */
  readonly flags: number;
  readonly header: IfInfoMsg;
  readonly attrs: LinkAttrsShape;
  /** Namespace fds opened for IFLA_NET_NS_FD (close after sending). */
  readonly fds: number[];
}

/** iproute2's `ip link help` text (usage() → exit 255). */
export function linkUsage(): never {
  throw new CliError(IPLINK_USAGE.replace(/\n$/, ''));
}

const OPER_STATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];

/** on_off(): the error of a bad on/off value (the parse returns -1: exit 1). */
function onOffFlag(key: string, v: string): boolean {
  return onOffStrict(key, v);
}

interface ParseOut {
  /** Tokens consumed before `type` (or all). */
  consumed: number;
  type: string | undefined;
}

/**
 * iplink_parse(): fills `attrs` and `header` from `args` in order; stops
 * after `type KIND`. `create` is whether NLM_F_CREATE is set.
 */
function iplinkParse(args: readonly string[], header: IfInfoMsg, attrs: LinkAttrsShape, create: boolean, r: LinkResolver, fds: number[]): ParseOut {
  let name: string | undefined;
  let dev: string | undefined;
  let devIsName = false;
  let link: string | undefined;
  let addrLen = 0;
  let qlen = -1, mtu = -1, netns = -1, numtx = -1, numrx = -1, linkNetnsid = -1, index = 0, group = -1;
  let moveNetns = false;
  let type: string | undefined;
  let i = 0;
  const next = (): string => {
    const v = args[++i];
    if (v === undefined) throw new CliError('Command line is not complete. Try option "help"');
    return v;
  };
  const flag = (bit: number, on: boolean): void => {
    header.change |= bit;
    if (on) header.flags |= bit; else header.flags &= ~bit;
  };
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === 'up') flag(IFF.UP, true);
    else if (a === 'down') flag(IFF.UP, false);
    else if (a === 'name') {
      const v = next();
      if (name !== undefined) duparg('name', v);
      if (!checkIfname(v)) invarg('"name" not a valid ifname', v);
      name = v;
      if (dev === undefined) { dev = name; devIsName = true; }
    } else if (a === 'index') {
      const v = next();
      if (index) duparg('index', v);
      index = Number.parseInt(v, 10) || 0;
      if (index <= 0) invarg('Invalid "index" value', v);
    } else if (matches(a, 'link')) {
      link = next();
    } else if (matches(a, 'address')) {
      const v = next();
      attrs.address = llAddrA2n(v);
      addrLen = attrs.address.split(':').length;
    } else if (matches(a, 'broadcast') || a === 'brd') {
      attrs.broadcast = llAddrA2n(next());
    } else if (matches(a, 'txqueuelen') || a === 'qlen' || matches(a, 'txqlen')) {
      const v = next();
      if (qlen !== -1) duparg('txqueuelen', v);
      const n = getInteger(v);
      if (n === undefined) invarg('Invalid "txqueuelen" value\n', v);
      qlen = n;
      attrs.txqlen = n >>> 0;
    } else if (a === 'mtu') {
      const v = next();
      if (mtu !== -1) duparg('mtu', v);
      const n = getInteger(v);
      if (n === undefined) invarg('Invalid "mtu" value\n', v);
      mtu = n;
      attrs.mtu = n >>> 0;
    } else if (a === 'xdpgeneric' || a === 'xdpdrv' || a === 'xdpoffload' || a === 'xdp') {
      throw new CliError(`${a}: attaching BPF programs is not supported by rip`, 1);
    } else if (a === 'netns') {
      const v = next();
      if (netns !== -1) duparg('netns', v);
      const fd = openNetnsFd(v);
      if (fd >= 0) {
        fds.push(fd);
        netns = fd;
        attrs.net_ns_fd = fd;
      } else {
        const n = getInteger(v);
        if (n === undefined) invarg('Invalid "netns" value\n', v);
        netns = n;
        attrs.net_ns_pid = n >>> 0;
      }
      moveNetns = true;
    } else if (a === 'multicast') flag(IFF.MULTICAST, onOffFlag('multicast', next()));
    else if (a === 'allmulticast') flag(IFF.ALLMULTI, onOffFlag('allmulticast', next()));
    else if (a === 'promisc') flag(IFF.PROMISC, onOffFlag('promisc', next()));
    else if (a === 'trailers') flag(IFF.NOTRAILERS, !onOffFlag('trailers', next()));
    else if (a === 'arp') flag(IFF.NOARP, !onOffFlag('arp', next()));
    else if (a === 'carrier') attrs.carrier = onOff('carrier', next()) ? 1 : 0;
    else if (a === 'vf') {
      const v = next();
      const vf = getInteger(v);
      if (vf === undefined) invarg('Invalid "vf" value\n', v);
      if (dev === undefined) missarg('dev');
      const { info, last } = parseVf(args, i, vf >>> 0, r.addrLen(dev));
      (attrs.vfinfo_list ??= []).push({ info: [info] });
      i = last;
      if (devIsName) dev = undefined;
    } else if (matches(a, 'master')) {
      const v = next();
      const idx = r.index(v);
      if (!idx) invarg('Device does not exist\n', v);
      attrs.master = idx;
    } else if (a === 'vrf') {
      const v = next();
      const idx = r.index(v);
      if (!idx || r.kind(idx) !== 'vrf') invarg('Not a valid VRF name\n', v);
      attrs.master = idx;
    } else if (matches(a, 'nomaster')) {
      attrs.master = 0;
    } else if (matches(a, 'dynamic')) flag(IFF.DYNAMIC, onOffFlag('dynamic', next()));
    else if (matches(a, 'type')) {
      type = next();
      i++;
      break;
    } else if (matches(a, 'alias')) {
      const v = next();
      if (Buffer.byteLength(v) >= 256) invarg('alias too long\n', v);
      attrs.ifalias = v;
    } else if (a === 'group') {
      const v = next();
      if (group !== -1) duparg('group', v);
      const g = groupId(v);
      if (g === undefined) invarg('Invalid "group" value\n', v);
      group = g;
      attrs.group = g;
    } else if (a === 'mode') {
      const v = next().toLowerCase();
      const m = v === 'default' ? 0 : v === 'dormant' ? 1 : -1;
      if (m < 0) invarg('Invalid link mode\n', args[i]!);
      attrs.linkmode = m;
    } else if (a === 'state') {
      const v = next();
      const s = OPER_STATES.findIndex((x) => x.toLowerCase() === v.toLowerCase());
      if (s < 0) invarg('Invalid operstate\n', v);
      attrs.operstate = s;
    } else if (matches(a, 'numtxqueues')) {
      const v = next();
      if (numtx !== -1) duparg('numtxqueues', v);
      const n = getInteger(v);
      if (n === undefined) invarg('Invalid "numtxqueues" value\n', v);
      numtx = n;
      attrs.num_tx_queues = n >>> 0;
    } else if (matches(a, 'numrxqueues')) {
      const v = next();
      if (numrx !== -1) duparg('numrxqueues', v);
      const n = getInteger(v);
      if (n === undefined) invarg('Invalid "numrxqueues" value\n', v);
      numrx = n;
      attrs.num_rx_queues = n >>> 0;
    } else if (matches(a, 'addrgenmode')) {
      const v = next();
      const m = ['eui64', 'none', 'stable_secret', 'random'].indexOf(v.toLowerCase());
      if (m < 0) invarg('Invalid address generation mode\n', v);
      attrs.af_spec = { inet6: { addr_gen_mode: m } };
    } else if (matches(a, 'link-netns')) {
      const v = next();
      if (linkNetnsid !== -1) duparg('link-netns/link-netnsid', v);
      const id = r.nsid?.(v);
      if (id === undefined || id < 0) invarg('Invalid "link-netns" value\n', v);
      linkNetnsid = id;
      attrs.link_netnsid = id;
    } else if (matches(a, 'link-netnsid')) {
      const v = next();
      if (linkNetnsid !== -1) duparg('link-netns/link-netnsid', v);
      const n = getInteger(v);
      if (n === undefined) invarg('Invalid "link-netnsid" value\n', v);
      linkNetnsid = n;
      attrs.link_netnsid = n;
    } else if (a === 'protodown') {
      attrs.proto_down = onOff('protodown', next()) ? 1 : 0;
    } else if (a === 'protodown_reason') {
      const v = next();
      const reason = getU32(v);
      if (reason === undefined || reason > 31) invarg('invalid protodown reason\n', v);
      const w = next();
      const mask = (1 << reason) >>> 0;
      let value = 0;
      if (matches(w, 'on')) value = mask;
      else if (!matches(w, 'off')) throw new CliError(`Error: argument of "protodown_reason" must be "on" or "off", not "${w}"`, 1);
      attrs.proto_down_reason = { mask, value };
    } else if (a === 'gso_max_size' || a === 'gso_max_segs' || a === 'gro_max_size') {
      const v = next();
      const n = getU32(v);
      if (n === undefined || (a === 'gso_max_segs' && n > 65535)) invarg(`Invalid "${a}" value\n`, v);
      if (a === 'gso_max_size') attrs.gso_max_size = n;
      else if (a === 'gso_max_segs') attrs.gso_max_segs = n;
      else attrs.gro_max_size = n;
    } else if (a === 'parentdev') {
      attrs.parent_dev_name = next();
    } else {
      if (matches(a, 'help')) linkUsage();
      let v = a;
      if (a === 'dev') v = next();
      if (dev !== undefined && !devIsName) duparg2('dev', v);
      if (!v.length || Buffer.byteLength(v) >= 128 || /[/\s]/.test(v)) invarg('"dev" not a valid ifname', v);
      dev = v;
      devIsName = false;
    }
  }
  const consumed = i;

  // "ip link add dev X" and "ip link add name X" both name the new link.
  if (name === undefined) name = dev;
  else if (dev === undefined) dev = name;
  const sameName = name === dev;

  if (dev !== undefined && addrLen && !create) {
    const halen = r.addrLen(dev);
    if (halen >= 0 && halen !== addrLen) throw new CliError(`Invalid address length ${addrLen} - must be ${halen} bytes`, 1);
  }
  if (index && !create && !moveNetns) {
    throw new CliError('index can be used only when creating devices or when moving device to another netns.');
  }
  if (group !== -1 && dev === undefined) {
    if (consumed < args.length) throw new CliError(`Garbage instead of arguments "${args[consumed]} ...". Try "ip link help".`);
    if (create) throw new CliError('group cannot be used when creating devices.');
    return { consumed, type: undefined };
  }
  if (!create) {
    if (dev === undefined) throw new CliError('Not enough information: "dev" argument is required.');
    header.index = r.index(dev);
    if (!header.index) throw new CliError(`Cannot find device "${dev}"`, 1);
    if (index) attrs.new_ifindex = index;
    if (!sameName && name !== undefined) attrs.ifname = name;
  } else {
    if (!sameName) throw new CliError('both "name" and "dev" cannot be used when creating devices.');
    if (link !== undefined) {
      const l = r.index(link);
      if (!l) throw new CliError(`Cannot find device "${link}"`, 1);
      attrs.link = l;
    }
    header.index = index;
    if (name !== undefined) attrs.ifname = name;
  }
  return { consumed, type };
}

/** netns_get_fd(): open /run/netns/NAME (or a path); -1 if that fails. */
function openNetnsFd(name: string): number {
  try {
    return openSync(name.includes('/') ? name : `/run/netns/${name}`, 'r');
  } catch {
    return -1;
  }
}

/**
 * veth_parse_opt(): `peer [options]` — the peer is a whole link message
 * parsed by iplink_parse() with its own header.
 */
function vethData(args: readonly string[], create: boolean, r: LinkResolver, fds: number[]): Record<string, unknown> {
  if (args[0] !== 'peer') {
    // veth's usage() goes to stdout (printf) in iproute2, then parse_opt fails.
    process.stdout.write(USAGE_VETH);
    throw new CliError('', 1);
  }
  const header: IfInfoMsg = { ...ifinfomsg.zero };
  const attrs: LinkAttrsShape = {};
  const rest = args.slice(1);
  // The peer is parsed by the same grammar, into its own header and attributes.
  const res = iplinkParse(rest, header, attrs, create, r, fds);
  if (res.type !== undefined) duparg('type', rest[res.consumed - 1]!);
  return { peer: { header, attrs } };
}

/** The subcommands that build a request. */
export type LinkVerb = 'add' | 'set' | 'replace' | 'delete';

/**
 * Parse `ip link VERB ARGS…` into the request iproute2 would send.
 * Throws CliError (with iproute2's text and status) on bad input; opens no
 * socket. Close `fds` if the command is not sent.
 */
export function parseLinkCommand(verb: LinkVerb, args: readonly string[], r: LinkResolver): LinkCommand {
  const type = verb === 'delete' ? RTM.DELLINK : RTM.NEWLINK;
  const flags = verb === 'add' ? NLM_F.CREATE | NLM_F.EXCL : verb === 'replace' ? NLM_F.CREATE | NLM_F.REPLACE : 0;
  const create = (flags & NLM_F.CREATE) !== 0;
  const header: IfInfoMsg = { ...ifinfomsg.zero, family: r.family };
  const attrs: LinkAttrsShape = {};
  const fds: number[] = [];
  try {
    const res = iplinkParse(args, header, attrs, create, r, fds);
    if (res.type !== undefined) {
      const kind = res.type;
      const rest = args.slice(res.consumed);
      const slave = kind.includes('_') && kind.slice(kind.indexOf('_')) === '_slave';
      const cli = kindCli(kind);
      const info: Record<string, unknown> = { kind };
      if (kind === 'veth') {
        if (rest.length) info.data = vethData(rest, create, r, fds);
      } else if (cli && rest.length) {
        const current = create ? undefined : r.infoData?.(header.index);
        const data = cli.parse([...rest], { create, family: r.family, index: (n) => r.index(n), current });
        info[slave ? 'slave_data' : 'data'] = data;
      } else if (rest.length && STUB_KINDS.has(kind)) {
        // iproute2 has an option-less module for these: an empty data nest, the words ignored.
        info[slave ? 'slave_data' : 'data'] = Buffer.alloc(0);
      } else if (rest.length) {
        // A kind iproute2 has no module for (wireguard, …) takes no arguments.
        if (matches(rest[0], 'help')) linkUsage();
        throw new CliError(`Garbage instead of arguments "${rest[0]} ...". Try "ip link help".`, 1);
      }
      attrs.linkinfo = info as LinkAttrsShape['linkinfo'];
    } else if (create) {
      throw new CliError('Not enough information: "type" argument is required', 1);
    }
    return { type, flags, header, attrs, fds };
  } catch (e) {
    for (const fd of fds) closeSync(fd);
    throw e;
  }
}


/** Kinds iproute2 6.1 has a link_util for, but without parse_opt. */
export const STUB_KINDS: ReadonlySet<string> = new Set(['dummy', 'ifb', 'netdevsim', 'nlmon', 'team', 'team_slave', 'vcan', 'virt_wifi']);
