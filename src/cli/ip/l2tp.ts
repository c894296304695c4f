/**
 * `ip l2tp { add | del | show } { tunnel | session } …`: static L2TPv3 tunnels
 * and sessions over generic netlink "l2tp", as iproute2's ip/ipl2tp.c.
 * @module
 */
import { Args, CliError, matches, invarg, missarg } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkError } from '../../netlink/errors.js';
import { kernelErrorText } from '../common/errors.js';
import { formatAddress, parseAddress } from '../../netlink/addr.js';
import { L2tp, tunnelCreateAttrs, sessionCreateAttrs, L2TP_CMD, L2TP_ENCAPTYPE } from '../../netlink/l2tp.js';
import type { L2tpAttrs } from '../../netlink/l2tp-schema.js';
import { ANY, FP, JSON_ONLY } from '../../output/printer.js';
import { COLOR_IFNAME } from '../../output/color.js';
import { getAddr, getUnsigned, getU16, checkIfname, type InetPrefix } from './inet-args.js';

const USAGE = `Usage: ip l2tp add tunnel
          remote ADDR local ADDR
          tunnel_id ID peer_tunnel_id ID
          [ encap { ip | udp } ]
          [ udp_sport PORT ] [ udp_dport PORT ]
          [ udp_csum { on | off } ]
          [ udp6_csum_tx { on | off } ]
          [ udp6_csum_rx { on | off } ]
Usage: ip l2tp add session [ name NAME ]
          tunnel_id ID
          session_id ID peer_session_id ID
          [ cookie HEXSTR ] [ peer_cookie HEXSTR ]
          [ seq { none | send | recv | both } ]
          [ l2spec_type L2SPEC ]
       ip l2tp del tunnel tunnel_id ID
       ip l2tp del session tunnel_id ID session_id ID
       ip l2tp show tunnel [ tunnel_id ID ]
       ip l2tp show session [ tunnel_id ID ] [ session_id ID ]

Where: NAME   := STRING
       ADDR   := { IP_ADDRESS | any }
       PORT   := { 0..65535 }
       ID     := { 1..4294967295 }
       HEXSTR := { 8 or 16 hex digits (4 / 8 bytes) }
       L2SPEC := { none | default }`;

const AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10;

function usage(): never {
  throw new CliError(USAGE);
}

/** struct l2tp_parm: what the command line says. */
export interface Parm {
  tunnel_id: number;
  peer_tunnel_id: number;
  session_id: number;
  peer_session_id: number;
  encap: number;
  local_udp_port: number;
  peer_udp_port: number;
  cookie: Buffer | undefined;
  peer_cookie: Buffer | undefined;
  local_ip: InetPrefix | undefined;
  peer_ip: InetPrefix | undefined;
  udp6_csum_tx: boolean;
  udp6_csum_rx: boolean;
  udp_csum: boolean;
  recv_seq: boolean;
  send_seq: boolean;
  tunnel: boolean;
  session: boolean;
  ifname: string | undefined;
  l2spec_none: boolean;
}

function idArg(v: string): number {
  const n = getUnsigned(v);
  return n ?? invarg('invalid ID\n', v);
}

function portArg(v: string): number {
  const n = getU16(v);
  return n ?? invarg('invalid port\n', v);
}

function onOff(v: string, what: string): boolean {
  if (v === 'on') return true;
  if (v === 'off') return false;
  return invarg(`invalid option for ${what}\n`, v);
}

/** hex2mem() of a cookie argument (8 or 16 hex digits). */
function cookieArg(v: string): Buffer {
  // strlen(): bytes, not UTF-16 units.
  const len = Buffer.byteLength(v);
  if (len !== 8 && len !== 16) invarg('cookie must be either 8 or 16 hex digits\n', v);
  if (!/^[0-9a-fA-F]*$/.test(v)) invarg('cookie must be a hex string\n', v);
  return Buffer.from(v, 'hex');
}

/** parse_args() */
function parseArgs(args: Args, warn: (line: string) => void): Parm {
  if (args.left === 0) usage();
  const p: Parm = {
    tunnel_id: 0, peer_tunnel_id: 0, session_id: 0, peer_session_id: 0, encap: L2TP_ENCAPTYPE.UDP,
    local_udp_port: 0, peer_udp_port: 0, cookie: undefined, peer_cookie: undefined, local_ip: undefined, peer_ip: undefined,
    udp6_csum_tx: true, udp6_csum_rx: true, udp_csum: false, recv_seq: false, send_seq: false,
    tunnel: false, session: false, ifname: undefined, l2spec_none: false,
  };
  for (let a = args.next(); a !== undefined; a = args.next()) {
    switch (a) {
      case 'encap': {
        const v = args.value();
        if (v === 'ip') p.encap = L2TP_ENCAPTYPE.IP;
        else if (v === 'udp') p.encap = L2TP_ENCAPTYPE.UDP;
        else throw new CliError(`Unknown tunnel encapsulation "${v}"`);
        break;
      }
      case 'name': {
        const v = args.value();
        if (!checkIfname(v)) invarg('"name" not a valid ifname', v);
        p.ifname = v;
        break;
      }
      case 'remote': p.peer_ip = getAddr(args.value(), AF_UNSPEC); break;
      case 'local': p.local_ip = getAddr(args.value(), AF_UNSPEC); break;
      case 'tunnel_id': case 'tid': p.tunnel_id = idArg(args.value()); break;
      case 'peer_tunnel_id': case 'ptid': p.peer_tunnel_id = idArg(args.value()); break;
      case 'session_id': case 'sid': p.session_id = idArg(args.value()); break;
      case 'peer_session_id': case 'psid': p.peer_session_id = idArg(args.value()); break;
      case 'udp_sport': p.local_udp_port = portArg(args.value()); break;
      case 'udp_dport': p.peer_udp_port = portArg(args.value()); break;
      case 'udp_csum': p.udp_csum = onOff(args.value(), 'udp_csum'); break;
      case 'udp6_csum_rx': p.udp6_csum_rx = onOff(args.value(), 'udp6_csum_rx'); break;
      case 'udp6_csum_tx': p.udp6_csum_tx = onOff(args.value(), 'udp6_csum_tx'); break;
      case 'offset': case 'peer_offset':
        warn(`Ignoring option "${a}"`);
        args.value();
        break;
      case 'cookie': p.cookie = cookieArg(args.value()); break;
      case 'peer_cookie': p.peer_cookie = cookieArg(args.value()); break;
      case 'l2spec_type': {
        const v = args.value();
        const l = v.toLowerCase();
        if (l === 'default') p.l2spec_none = false;
        else if (l === 'none') p.l2spec_none = true;
        else throw new CliError(`Unknown layer2specific header type "${v}"`);
        break;
      }
      case 'seq': {
        const v = args.value();
        switch (v.toLowerCase()) {
          case 'both': p.recv_seq = true; p.send_seq = true; break;
          case 'recv': p.recv_seq = true; break;
          case 'send': p.send_seq = true; break;
          case 'none': p.recv_seq = false; p.send_seq = false; break;
          default: throw new CliError(`Unknown seq value "${v}"`);
        }
        break;
      }
      case 'tunnel': p.tunnel = true; break;
      case 'session': p.session = true; break;
      default:
        if (matches(a, 'help')) usage();
        throw new CliError(`Unknown command: ${a}\n${USAGE}`);
    }
  }
  return p;
}

const addrText = (a: InetPrefix): string => formatAddress(a.bytes, 0, a.bytes.length);

/** One request `ip l2tp` sends: a command and its attributes. */
export interface L2tpRequest {
  readonly cmd: number;
  readonly attrs: L2tpAttrs;
  /** `dump` for show (NLM_F_DUMP), else `ack`. */
  readonly kind: 'ack' | 'dump';
}

/** What a command line asks for, parsed and checked, before anything is sent. */
export interface L2tpPlan {
  readonly verb: 'add' | 'del' | 'show';
  readonly requests: readonly L2tpRequest[];
  /** For show: which printer. */
  readonly session: boolean;
  /** @internal The parsed command line (show starts its carried-over view from it). */
  readonly parm: Parm;
}

/** do_add()'s checks and requests. */
function planAdd(p: Parm): L2tpRequest[] {
  if (!p.tunnel && !p.session) missarg('tunnel or session');
  if (p.tunnel_id === 0) missarg('tunnel_id');
  if (p.session && p.peer_session_id === 0) missarg('peer_session_id');
  if (p.session && p.session_id === 0) missarg('session_id');
  if (p.tunnel && p.peer_tunnel_id === 0) missarg('peer_tunnel_id');
  const out: L2tpRequest[] = [];
  if (p.tunnel) {
    if (!p.local_ip || p.local_ip.family === AF_UNSPEC) missarg('local');
    if (!p.peer_ip || p.peer_ip.family === AF_UNSPEC) missarg('remote');
    const udp = p.encap === L2TP_ENCAPTYPE.UDP;
    if (udp) {
      if (p.local_udp_port === 0) missarg('udp_sport');
      if (p.peer_udp_port === 0) missarg('udp_dport');
    }
    out.push({
      cmd: L2TP_CMD.TUNNEL_CREATE, kind: 'ack', attrs: tunnelCreateAttrs({
        tunnel_id: p.tunnel_id, peer_tunnel_id: p.peer_tunnel_id, encap: udp ? 'udp' : 'ip',
        local: addrText(p.local_ip), remote: addrText(p.peer_ip),
        udp_sport: p.local_udp_port, udp_dport: p.peer_udp_port,
        udp_csum: p.udp_csum, udp6_csum_tx: p.udp6_csum_tx, udp6_csum_rx: p.udp6_csum_rx,
      }),
    });
  }
  if (p.session) {
    out.push({
      cmd: L2TP_CMD.SESSION_CREATE, kind: 'ack', attrs: sessionCreateAttrs({
        tunnel_id: p.tunnel_id, peer_tunnel_id: p.peer_tunnel_id, session_id: p.session_id, peer_session_id: p.peer_session_id,
        // Only ethernet pseudowires, as iproute2.
        pw_type: 'eth', l2spec_type: p.l2spec_none ? 'none' : 'default', recv_seq: p.recv_seq, send_seq: p.send_seq,
        ...(p.cookie ? { cookie: p.cookie.toString('hex') } : {}),
        ...(p.peer_cookie ? { peer_cookie: p.peer_cookie.toString('hex') } : {}),
        ...(p.ifname !== undefined ? { ifname: p.ifname } : {}),
      }),
    });
  }
  return out;
}

/** do_del()'s checks and request. */
function planDel(p: Parm): L2tpRequest[] {
  if (!p.tunnel && !p.session) missarg('tunnel or session');
  if (p.tunnel && p.tunnel_id === 0) missarg('tunnel_id');
  if (p.session && p.session_id === 0) missarg('session_id');
  if (p.session_id) return [{ cmd: L2TP_CMD.SESSION_DELETE, kind: 'ack', attrs: { conn_id: p.tunnel_id, session_id: p.session_id } }];
  return [{ cmd: L2TP_CMD.TUNNEL_DELETE, kind: 'ack', attrs: { conn_id: p.tunnel_id } }];
}

/** do_show()'s check and dump request. */
function planShow(p: Parm): L2tpRequest[] {
  if (!p.tunnel && !p.session) missarg('tunnel or session');
  // Sent as iproute2 does; the kernel's dumps ignore them and list everything.
  if (p.session) return [{ cmd: L2TP_CMD.SESSION_GET, kind: 'dump', attrs: p.tunnel_id && p.session_id ? { conn_id: p.tunnel_id, session_id: p.session_id } : {} }];
  return [{ cmd: L2TP_CMD.TUNNEL_GET, kind: 'dump', attrs: p.tunnel_id ? { conn_id: p.tunnel_id } : {} }];
}

/**
 * Parse `ip l2tp VERB ARGS…` (VERB already taken from `args`) into the
 * requests iproute2 would send; bad input throws iproute2's error. `warn`
 * gets the "Ignoring option" lines.
 */
export function planL2tp(verb: string, args: Args, warn: (line: string) => void): L2tpPlan {
  if (matches(verb, 'add')) {
    const parm = parseArgs(args, warn);
    return { verb: 'add', requests: planAdd(parm), session: parm.session, parm };
  }
  if (matches(verb, 'delete')) {
    const parm = parseArgs(args, warn);
    return { verb: 'del', requests: planDel(parm), session: parm.session, parm };
  }
  if (matches(verb, 'show') || matches(verb, 'lst') || matches(verb, 'list')) {
    const parm = parseArgs(args, warn);
    return { verb: 'show', requests: planShow(parm), session: parm.session, parm };
  }
  throw new CliError(`Command "${verb}" is unknown, try "ip l2tp help".`);
}

/** Run an add or del plan: each request in turn; iproute2 goes on after a failure and exits with the last one's outcome. */
async function runChanges(ctx: CliContext, l2tp: L2tp, plan: L2tpPlan): Promise<number> {
  let ret = 0;
  for (const r of plan.requests) {
    try {
      await l2tp.send(r.cmd, r.attrs, `${plan.verb} l2tp ${r.cmd === L2TP_CMD.TUNNEL_CREATE || r.cmd === L2TP_CMD.TUNNEL_DELETE ? 'tunnel' : 'session'}`);
      ret = 0;
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      ctx.warn(kernelErrorText(e));
      ret = 2;
    }
  }
  return ret;
}

/**
 * What get_response() leaves in struct l2tp_parm: iproute2 reuses one struct
 * for every message of a dump and sets only the fields a message carries, so
 * a value (a cookie, an interface name) shows through on later messages that
 * lack it. Kept the same way here so the output is the same.
 */
interface View {
  tunnel_id: number;
  peer_tunnel_id: number;
  session_id: number;
  peer_session_id: number;
  encap: number;
  local_port: number;
  peer_port: number;
  udp_csum: boolean;
  udp6_csum_tx: boolean;
  udp6_csum_rx: boolean;
  cookie: Buffer | undefined;
  peer_cookie: Buffer | undefined;
  recv_seq: boolean;
  send_seq: boolean;
  reorder_timeout: number;
  ifname: string | undefined;
  local_family: number;
  local: Buffer;
  peer_family: number;
  peer: Buffer;
}

function viewOf(p: Parm): View {
  const addr = (a: InetPrefix | undefined): Buffer => {
    const b = Buffer.alloc(16);
    a?.bytes.copy(b);
    return b;
  };
  return {
    tunnel_id: p.tunnel_id, peer_tunnel_id: p.peer_tunnel_id, session_id: p.session_id, peer_session_id: p.peer_session_id,
    encap: p.encap, local_port: p.local_udp_port, peer_port: p.peer_udp_port, udp_csum: p.udp_csum,
    udp6_csum_tx: p.udp6_csum_tx, udp6_csum_rx: p.udp6_csum_rx, cookie: p.cookie, peer_cookie: p.peer_cookie,
    recv_seq: p.recv_seq, send_seq: p.send_seq, reorder_timeout: 0, ifname: p.ifname,
    local_family: p.local_ip?.family ?? AF_UNSPEC, local: addr(p.local_ip), peer_family: p.peer_ip?.family ?? AF_UNSPEC, peer: addr(p.peer_ip),
  };
}

/** get_response(): fold one reply into the view. */
function update(v: View, a: L2tpAttrs): void {
  if (a.encap_type !== undefined) v.encap = a.encap_type;
  if (a.conn_id !== undefined) v.tunnel_id = a.conn_id;
  if (a.peer_conn_id !== undefined) v.peer_tunnel_id = a.peer_conn_id;
  if (a.session_id !== undefined) v.session_id = a.session_id;
  if (a.peer_session_id !== undefined) v.peer_session_id = a.peer_session_id;
  if (a.udp_csum !== undefined) v.udp_csum = a.udp_csum !== 0;
  v.udp6_csum_tx = !a.udp_zero_csum6_tx;
  v.udp6_csum_rx = !a.udp_zero_csum6_rx;
  if (a.cookie) v.cookie = a.cookie;
  if (a.peer_cookie) v.peer_cookie = a.peer_cookie;
  if (a.recv_seq !== undefined) v.recv_seq = a.recv_seq !== 0;
  if (a.send_seq !== undefined) v.send_seq = a.send_seq !== 0;
  // Stored in an int and printed with %u.
  if (a.recv_timeout !== undefined) v.reorder_timeout = Number(BigInt.asUintN(32, a.recv_timeout));
  const setAddr = (v4: string | undefined, v6: string | undefined, out: Buffer): number => {
    const s = v4 ?? v6;
    if (s !== undefined) parseAddress(s)?.copy(out);
    return v4 !== undefined ? AF_INET : AF_INET6;
  };
  v.local_family = setAddr(a.ip_saddr, a.ip6_saddr, v.local);
  v.peer_family = setAddr(a.ip_daddr, a.ip6_daddr, v.peer);
  if (a.udp_sport !== undefined) v.local_port = a.udp_sport;
  if (a.udp_dport !== undefined) v.peer_port = a.udp_dport;
  if (a.ifname !== undefined) v.ifname = a.ifname;
}

const ntop = (family: number, b: Buffer): string => formatAddress(b, 0, family === AF_INET ? 4 : 16);

/** print_tunnel() */
function printTunnel(ctx: CliContext, v: View): void {
  const p = ctx.printer;
  p.openObject();
  p.uint(ANY, 'tunnel_id', 'Tunnel %u,', v.tunnel_id);
  p.string(ANY, 'encap', ' encap %s', v.encap === L2TP_ENCAPTYPE.UDP ? 'UDP' : v.encap === L2TP_ENCAPTYPE.IP ? 'IP' : '??');
  p.nl();
  p.string(ANY, 'local', '  From %s ', ntop(v.local_family, v.local));
  p.string(ANY, 'peer', 'to %s', ntop(v.peer_family, v.peer));
  p.nl();
  p.uint(ANY, 'peer_tunnel', '  Peer tunnel %u', v.peer_tunnel_id);
  p.nl();
  if (v.encap === L2TP_ENCAPTYPE.UDP) {
    p.string(FP, null, '  UDP source / dest ports:', null);
    p.uint(ANY, 'local_port', ' %hu', v.local_port);
    p.uint(ANY, 'peer_port', '/%hu', v.peer_port);
    p.nl();
    if (v.local_family === AF_INET) {
      p.bool(JSON_ONLY, 'checksum', '', v.udp_csum);
      p.text('  UDP checksum: %s\n', v.udp_csum ? 'enabled' : 'disabled');
    } else if (v.local_family === AF_INET6) {
      if (p.inJson) {
        p.bool(JSON_ONLY, 'checksum_tx', '', v.udp6_csum_tx);
        p.bool(JSON_ONLY, 'checksum_rx', '', v.udp6_csum_rx);
      } else {
        const tx = v.udp6_csum_tx, rx = v.udp6_csum_rx;
        p.text('  UDP checksum: %s\n', tx && rx ? 'enabled' : tx ? 'tx' : rx ? 'rx' : 'disabled');
      }
    }
  }
  p.closeObject();
}

/** print_cookie(): the first 4 bytes, and 4 more when it has 8. */
function cookieText(c: Buffer): string {
  const b = Buffer.alloc(8);
  c.copy(b, 0, 0, Math.min(8, c.length));
  return b.subarray(0, c.length === 8 ? 8 : 4).toString('hex');
}

/** print_session() */
function printSession(ctx: CliContext, v: View): void {
  const p = ctx.printer;
  p.openObject();
  p.uint(ANY, 'session_id', 'Session %u', v.session_id);
  p.uint(ANY, 'tunnel_id', ' in tunnel %u', v.tunnel_id);
  p.nl();
  p.uint(ANY, 'peer_session_id', '  Peer session %u,', v.peer_session_id);
  p.uint(ANY, 'peer_tunnel_id', ' tunnel %u', v.peer_tunnel_id);
  p.nl();
  if (v.ifname !== undefined) {
    p.colorString(ANY, COLOR_IFNAME, 'interface', '  interface name: %s', v.ifname);
    p.nl();
  }
  // Offsets only in text (for legacy scripts), always 0.
  p.uint(FP, 'offset', '  offset %u,', 0);
  p.uint(FP, 'peer_offset', ' peer offset %u\n', 0);
  if (v.cookie && v.cookie.length > 0) p.string(ANY, 'cookie', '  cookie %s', cookieText(v.cookie));
  if (v.peer_cookie && v.peer_cookie.length > 0) p.string(ANY, 'peer_cookie', '  peer cookie %s', cookieText(v.peer_cookie));
  if (v.reorder_timeout !== 0) p.uint(ANY, 'reorder_timeout', '  reorder timeout: %u', v.reorder_timeout);
  if (v.send_seq || v.recv_seq) {
    p.string(FP, null, '%s  sequence numbering:', p.lineSep);
    if (v.send_seq) p.null(ANY, 'send_seq', ' send', '');
    if (v.recv_seq) p.null(ANY, 'recv_seq', ' recv', '');
  }
  p.string(FP, null, '\n', null);
  p.closeObject();
}

/** get_session() / get_tunnel(): the dump, printed as it arrives. */
async function runShow(ctx: CliContext, l2tp: L2tp, plan: L2tpPlan): Promise<number> {
  const v = viewOf(plan.parm);
  const print = plan.session ? printSession : printTunnel;
  const r = plan.requests[0]!;
  const out = ctx.printer;
  out.start();
  try {
    for await (const a of l2tp.dump(r.cmd, r.attrs, plan.session ? 'list l2tp sessions' : 'list l2tp tunnels')) {
      update(v, a);
      print(ctx, v);
    }
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    ctx.warn(kernelErrorText(e));
    ctx.warn('Dump terminated');
    return 1;
  }
  out.finish();
  return 0;
}

/** `ip l2tp …` (do_ipl2tp) */
export default async function ipL2tp(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined || matches(cmd, 'help')) usage();
  // iproute2 resolves the family before it reads the rest of the command line.
  const l2tp = new L2tp(ctx.opts.netns);
  try {
    try {
      await l2tp.family();
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      ctx.warn(e.extack ? kernelErrorText(e) : `RTNETLINK answers: ${e.reason}`);
      ctx.warn('Error talking to the kernel');
      return 1;
    }
    const plan = planL2tp(cmd, args, (line) => ctx.warn(line));
    return plan.verb === 'show' ? await runShow(ctx, l2tp, plan) : await runChanges(ctx, l2tp, plan);
  } finally {
    l2tp.close();
  }
}
