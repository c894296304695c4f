/**
 * ss's command line: options (getopt_long with ss's table), socket tables,
 * families and states, combined exactly as misc/ss.c main() does.
 * @module
 */
import { closeSync, openSync, statfsSync } from 'node:fs';
import { getoptLong, GETOPT_ERROR, GetoptError, type LongOpt } from './getopt.js';
import { errnoNumber, strerror } from '../../netlink/errno.js';

/** Socket tables (ss's *_DB enum, same numbering). */
export const DB = {
  TCP: 0, MPTCP: 1, DCCP: 2, UDP: 3, RAW: 4, UNIX_DG: 5, UNIX_ST: 6, UNIX_SQ: 7, PACKET_DG: 8, PACKET_R: 9,
  NETLINK: 10, SCTP: 11, VSOCK_ST: 12, VSOCK_DG: 13, TIPC: 14, XDP: 15, MAX: 16,
} as const;

export const AF = { UNSPEC: 0, UNIX: 1, INET: 2, INET6: 10, NETLINK: 16, PACKET: 17, TIPC: 30, VSOCK: 40, XDP: 44 } as const;

const SS_ALL = (1 << 12) - 1;
const SS_LISTEN = 10, SS_CLOSE = 7, SS_TIME_WAIT = 6, SS_SYN_RECV = 3, SS_ESTABLISHED = 1;
/** SS_CONN */
export const SS_CONN = SS_ALL & ~((1 << SS_LISTEN) | (1 << SS_CLOSE) | (1 << SS_TIME_WAIT) | (1 << SS_SYN_RECV));
const TIPC_SS_CONN = (1 << SS_ESTABLISHED) | (1 << SS_LISTEN) | (1 << SS_CLOSE);
const fm = (af: number): bigint => 1n << BigInt(af);

const PACKET_DBM = (1 << DB.PACKET_DG) | (1 << DB.PACKET_R);
const UNIX_DBM = (1 << DB.UNIX_DG) | (1 << DB.UNIX_ST) | (1 << DB.UNIX_SQ);
const INET_L4_DBM = (1 << DB.TCP) | (1 << DB.MPTCP) | (1 << DB.UDP) | (1 << DB.DCCP) | (1 << DB.SCTP);
const INET_DBM = INET_L4_DBM | (1 << DB.RAW);
const VSOCK_DBM = (1 << DB.VSOCK_ST) | (1 << DB.VSOCK_DG);

const DEFAULT_DBS: ReadonlyArray<{ states: number; families: bigint }> = [
  { states: SS_CONN, families: fm(AF.INET) | fm(AF.INET6) }, // TCP
  { states: SS_CONN, families: fm(AF.INET) | fm(AF.INET6) }, // MPTCP
  { states: SS_CONN, families: fm(AF.INET) | fm(AF.INET6) }, // DCCP
  { states: 1 << SS_ESTABLISHED, families: fm(AF.INET) | fm(AF.INET6) }, // UDP
  { states: 1 << SS_ESTABLISHED, families: fm(AF.INET) | fm(AF.INET6) }, // RAW
  { states: 1 << SS_CLOSE, families: fm(AF.UNIX) }, // UNIX_DG
  { states: SS_CONN, families: fm(AF.UNIX) }, // UNIX_ST
  { states: SS_CONN, families: fm(AF.UNIX) }, // UNIX_SQ
  { states: 1 << SS_CLOSE, families: fm(AF.PACKET) },
  { states: 1 << SS_CLOSE, families: fm(AF.PACKET) },
  { states: 1 << SS_CLOSE, families: fm(AF.NETLINK) },
  { states: SS_CONN, families: fm(AF.INET) | fm(AF.INET6) }, // SCTP
  { states: SS_CONN, families: fm(AF.VSOCK) },
  { states: SS_CONN, families: fm(AF.VSOCK) },
  { states: TIPC_SS_CONN, families: fm(AF.TIPC) },
  { states: 1 << SS_CLOSE, families: fm(AF.XDP) },
];

const DEFAULT_AFS: Readonly<Record<number, { dbs: number; states: number }>> = {
  [AF.INET]: { dbs: INET_DBM, states: SS_CONN },
  [AF.INET6]: { dbs: INET_DBM, states: SS_CONN },
  [AF.UNIX]: { dbs: UNIX_DBM, states: SS_CONN },
  [AF.PACKET]: { dbs: PACKET_DBM, states: 1 << SS_CLOSE },
  [AF.NETLINK]: { dbs: 1 << DB.NETLINK, states: 1 << SS_CLOSE },
  [AF.VSOCK]: { dbs: VSOCK_DBM, states: SS_CONN },
  [AF.TIPC]: { dbs: 1 << DB.TIPC, states: TIPC_SS_CONN },
  [AF.XDP]: { dbs: 1 << DB.XDP, states: 1 << SS_CLOSE },
};

const DB_NAMES: Readonly<Record<string, readonly number[]>> = {
  all: [DB.UDP, DB.DCCP, DB.TCP, DB.MPTCP, DB.RAW, DB.UNIX_ST, DB.UNIX_DG, DB.UNIX_SQ, DB.PACKET_R, DB.PACKET_DG, DB.NETLINK, DB.SCTP, DB.VSOCK_ST, DB.VSOCK_DG, DB.XDP],
  inet: [DB.UDP, DB.DCCP, DB.TCP, DB.MPTCP, DB.SCTP, DB.RAW],
  udp: [DB.UDP], dccp: [DB.DCCP], tcp: [DB.TCP], mptcp: [DB.MPTCP], sctp: [DB.SCTP], raw: [DB.RAW],
  unix: [DB.UNIX_ST, DB.UNIX_DG, DB.UNIX_SQ],
  unix_stream: [DB.UNIX_ST], u_str: [DB.UNIX_ST], unix_dgram: [DB.UNIX_DG], u_dgr: [DB.UNIX_DG],
  unix_seqpacket: [DB.UNIX_SQ], u_seq: [DB.UNIX_SQ],
  packet: [DB.PACKET_R, DB.PACKET_DG], packet_raw: [DB.PACKET_R], p_raw: [DB.PACKET_R],
  packet_dgram: [DB.PACKET_DG], p_dgr: [DB.PACKET_DG],
  netlink: [DB.NETLINK], tipc: [DB.TIPC],
  vsock: [DB.VSOCK_ST, DB.VSOCK_DG], vsock_stream: [DB.VSOCK_ST], v_str: [DB.VSOCK_ST],
  vsock_dgram: [DB.VSOCK_DG], v_dgr: [DB.VSOCK_DG], xdp: [DB.XDP],
};

/** ss's struct filter (tables, states, families). */
export interface TableFilter { dbs: number; states: number; families: bigint }

/** Everything the command line selects. */
export interface SsOptions {
  numeric: boolean; resolve: boolean; options: boolean; details: number; memory: boolean; info: boolean;
  processes: number; threads: number; bpf: number; events: boolean; summary: boolean; tipcinfo: boolean;
  tos: boolean; cgroup: boolean; kill: boolean; header: boolean; oneline: boolean; inetSockopt: boolean;
  json: boolean; pretty: boolean;
  procCtx: number; sockCtx: number;
  netns: string | undefined;
  diagFile: string | undefined;
  filterFile: string | undefined;
  help: boolean; version: boolean;
  preferredFamily: number;
  filter: TableFilter;
  doDefault: boolean;
  stateFilter: number;
  sawQuery: boolean;
  /** Words after the options: `state …` and the expression. */
  rest: string[];
}

const LONG: readonly LongOpt[] = [
  { name: 'numeric', arg: false, key: 'n' }, { name: 'resolve', arg: false, key: 'r' },
  { name: 'options', arg: false, key: 'o' }, { name: 'extended', arg: false, key: 'e' },
  { name: 'memory', arg: false, key: 'm' }, { name: 'info', arg: false, key: 'i' },
  { name: 'processes', arg: false, key: 'p' }, { name: 'threads', arg: false, key: 'T' },
  { name: 'bpf', arg: false, key: 'b' }, { name: 'events', arg: false, key: 'E' },
  { name: 'dccp', arg: false, key: 'd' }, { name: 'tcp', arg: false, key: 't' },
  { name: 'sctp', arg: false, key: 'S' }, { name: 'udp', arg: false, key: 'u' },
  { name: 'raw', arg: false, key: 'w' }, { name: 'unix', arg: false, key: 'x' },
  { name: 'tipc', arg: false, key: 'TIPC' }, { name: 'vsock', arg: false, key: 'VSOCK' },
  { name: 'all', arg: false, key: 'a' }, { name: 'listening', arg: false, key: 'l' },
  { name: 'ipv4', arg: false, key: '4' }, { name: 'ipv6', arg: false, key: '6' },
  { name: 'packet', arg: false, key: '0' }, { name: 'family', arg: true, key: 'f' },
  { name: 'socket', arg: true, key: 'A' }, { name: 'query', arg: true, key: 'A' },
  { name: 'summary', arg: false, key: 's' }, { name: 'diag', arg: true, key: 'D' },
  { name: 'filter', arg: true, key: 'F' }, { name: 'version', arg: false, key: 'V' },
  { name: 'help', arg: false, key: 'h' }, { name: 'context', arg: false, key: 'Z' },
  { name: 'contexts', arg: false, key: 'z' }, { name: 'net', arg: true, key: 'N' },
  { name: 'tipcinfo', arg: false, key: 'TIPCINFO' }, { name: 'tos', arg: false, key: 'TOS' },
  { name: 'cgroup', arg: false, key: 'CGROUP' }, { name: 'kill', arg: false, key: 'K' },
  { name: 'no-header', arg: false, key: 'H' }, { name: 'xdp', arg: false, key: 'XDP' },
  { name: 'mptcp', arg: false, key: 'M' }, { name: 'oneline', arg: false, key: 'O' },
  { name: 'inet-sockopt', arg: false, key: 'INETSOCKOPT' },
  // Beyond iproute2 6.1: JSON output (see JSON.md).
  { name: 'json', arg: false, key: 'j' }, { name: 'pretty', arg: false, key: 'PRETTY' },
];

/** ss's optstring plus -j (JSON). */
const SHORT = 'dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSOj';

/** A usage error: `message` (may be empty) then the usage text on stderr, exit 255. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string, readonly exitCode = 255, readonly withUsage = true) { super(message); }
}

/** Exit early with a message on stderr and a status (ss's exit(0) cases). */
export class EarlyExit extends Error {
  override readonly name = 'EarlyExit';
  constructor(message: string, readonly exitCode: number, readonly stdout = '') { super(message); }
}

function dbSet(o: SsOptions, db: number, enable: boolean): void {
  if (enable) { o.filter.states |= DEFAULT_DBS[db]!.states; o.filter.dbs |= 1 << db; }
  else o.filter.dbs &= ~(1 << db);
  o.doDefault = false;
}

/** filter_db_parse: false if unknown. */
function dbParse(o: SsOptions, name: string): boolean {
  let enable = true;
  let s = name;
  if (s.startsWith('!')) { enable = false; s = s.slice(1); }
  const dbs = DB_NAMES[s];
  if (!dbs) return false;
  for (const d of dbs) dbSet(o, d, enable);
  return true;
}

/** filter_af_set */
export function afSet(o: SsOptions, af: number): void {
  o.filter.states |= DEFAULT_AFS[af]?.states ?? 0;
  o.filter.families |= fm(af);
  o.doDefault = false;
  o.preferredFamily = af;
}

/** filter_af_get */
export function afGet(f: TableFilter, af: number): boolean { return (f.families & fm(af)) !== 0n; }

/** filter_merge_defaults */
function mergeDefaults(f: TableFilter): void {
  for (let db = 0; db < DB.MAX; db++) {
    if (!(f.dbs & (1 << db))) continue;
    if (!(DEFAULT_DBS[db]!.families & f.families)) f.families |= DEFAULT_DBS[db]!.families;
  }
  for (const [afText, d] of Object.entries(DEFAULT_AFS)) {
    const af = Number(afText);
    if (!(f.families & fm(af))) continue;
    if (!(d.dbs & f.dbs)) f.dbs |= d.dbs;
  }
}

/** Parse options (everything before the state words and filter). */
export function parseOptions(argv: readonly string[]): SsOptions {
  const { opts, rest } = getoptLong(argv, SHORT, LONG);
  const o: SsOptions = {
    numeric: false, resolve: false, options: false, details: 0, memory: false, info: false, processes: 0,
    threads: 0, bpf: 0, events: false, summary: false, tipcinfo: false, tos: false, cgroup: false, kill: false,
    header: true, oneline: false, inetSockopt: false, json: false, pretty: false, procCtx: 0, sockCtx: 0,
    netns: undefined, diagFile: undefined, filterFile: undefined, help: false, version: false,
    preferredFamily: AF.UNSPEC, filter: { dbs: 0, states: 0, families: 0n }, doDefault: true, stateFilter: 0,
    sawQuery: false, rest,
  };
  for (const { key, value } of opts) {
    switch (key) {
      case GETOPT_ERROR: throw new GetoptError(value);
      case 'n': o.numeric = true; break;
      case 'r': o.resolve = true; break;
      case 'o': o.options = true; break;
      case 'e': o.options = true; o.details++; break;
      case 'm': o.memory = true; break;
      case 'i': o.info = true; break;
      case 'p': o.processes++; break;
      case 'T': o.threads++; break;
      case 'b': o.options = true; o.bpf++; break;
      case 'E': o.events = true; break;
      case 'd': dbSet(o, DB.DCCP, true); break;
      case 't': dbSet(o, DB.TCP, true); break;
      case 'S': dbSet(o, DB.SCTP, true); break;
      case 'u': dbSet(o, DB.UDP, true); break;
      case 'w': dbSet(o, DB.RAW, true); break;
      case 'x': afSet(o, AF.UNIX); break;
      case 'VSOCK': afSet(o, AF.VSOCK); break;
      case 'TIPC': afSet(o, AF.TIPC); break;
      case 'a': o.stateFilter = SS_ALL; break;
      case 'l': o.stateFilter = (1 << SS_LISTEN) | (1 << SS_CLOSE); break;
      case '4': afSet(o, AF.INET); break;
      case '6': afSet(o, AF.INET6); break;
      case '0': afSet(o, AF.PACKET); break;
      case 'XDP': afSet(o, AF.XDP); break;
      case 'M': dbSet(o, DB.MPTCP, true); break;
      case 'f': {
        const fams: Record<string, number> = { inet: AF.INET, inet6: AF.INET6, link: AF.PACKET, unix: AF.UNIX, netlink: AF.NETLINK, tipc: AF.TIPC, vsock: AF.VSOCK, xdp: AF.XDP };
        if (value === 'help') { o.help = true; return o; }
        const af = fams[value!];
        if (af === undefined) throw new UsageError(`ss: "${value}" is invalid family`);
        afSet(o, af);
        break;
      }
      case 'A': {
        if (!o.sawQuery) {
          o.filter.dbs = 0;
          o.stateFilter = o.stateFilter ? o.stateFilter : SS_CONN;
          o.sawQuery = true;
          o.doDefault = false;
        }
        for (const p of value!.split(',')) {
          if (!dbParse(o, p)) throw new UsageError(`ss: "${p}" is illegal socket table id`);
        }
        break;
      }
      case 's': o.summary = true; break;
      case 'D': o.diagFile = value; break;
      case 'F':
        if (o.filterFile !== undefined) throw new UsageError('More than one filter file', 255, false);
        o.filterFile = value;
        break;
      case 'v': case 'V': o.version = true; return o;
      case 'z': o.sockCtx++; o.procCtx++; throw new EarlyExit('ss: SELinux is not enabled.', 1);
      case 'Z': o.procCtx++; throw new EarlyExit('ss: SELinux is not enabled.', 1);
      case 'N': o.netns = openNetns(value ?? ''); break;
      case 'TIPCINFO': o.tipcinfo = true; break;
      case 'TOS': o.tos = true; break;
      case 'CGROUP': o.cgroup = true; break;
      case 'K': o.kill = true; break;
      case 'H': o.header = false; break;
      case 'O': o.oneline = true; break;
      case 'INETSOCKOPT': o.inetSockopt = true; break;
      case 'j': o.json = true; break;
      case 'PRETTY': o.json = true; o.pretty = true; break;
      case 'h': o.help = true; return o;
    }
  }
  return o;
}

/** After the state words: apply defaults and merge (the part of main() before filter parsing). */
export function finishTables(o: SsOptions): void {
  if (o.doDefault) {
    o.stateFilter = o.stateFilter ? o.stateFilter : SS_CONN;
    dbParse(o, 'all');
  }
  if (o.stateFilter) o.filter.states = o.stateFilter;
  mergeDefaults(o.filter);
}

/** ssfilter's family side effect (parse_hostcond with a `unix:`/`inet:`… prefix). */
export function applyExprFamily(o: SsOptions, af: number): void {
  const states = o.filter.states;
  o.filter.families = 0n;
  afSet(o, af);
  if (states) o.filter.states = states;
}

/** ss's usage text. */
export const USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -T, --threads       show thread using socket
   -i, --info          show internal TCP information
       --tipcinfo      show internal tipc socket information
   -s, --summary       show socket usage summary
       --tos           show tos and priority information
       --cgroup        show cgroup information
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display task SELinux security contexts
   -z, --contexts      display task and socket SELinux security contexts
   -N, --net           switch to the specified network namespace name

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
   -d, --dccp          display only DCCP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --tipc          display only TIPC sockets
       --vsock         display only vsock sockets
       --xdp           display only XDP sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]

   -D, --diag=FILE     Dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
             bucket := {syn-recv|time-wait}
                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}
`;

/**
 * `-N NAME`: ss switches namespace while it parses its options
 * (netns_switch), so a namespace that cannot be opened ends the run there,
 * before any later option is read, with its message and status 1. The
 * name is always taken under /var/run/netns, even with a slash in it; the
 * returned reference says so to the library (a reference with a slash is a
 * path to it).
 */
/** statfs f_type of nsfs, where namespace files live. */
const NSFS_MAGIC = 0x6e736673;

function openNetns(name: string): string {
  const path = `/var/run/netns/${name}`;
  const reason = (e: unknown): string => {
    const code = (e as { code?: unknown }).code;
    const num = typeof code === 'string' ? errnoNumber(code) : undefined;
    return num !== undefined ? strerror(num) : String(e);
  };
  try {
    closeSync(openSync(path, 'r'));
  } catch (e) {
    throw new EarlyExit(`Cannot open network namespace "${name}": ${reason(e)}`, 1);
  }
  // setns() refuses (EINVAL) a file that is not a namespace (e.g. the
  // directory itself for an empty name); a bound namespace lives on nsfs.
  let nsfs = false;
  try { nsfs = statfsSync(path).type === NSFS_MAGIC; } catch { /* then setns would fail too */ }
  if (!nsfs) throw new EarlyExit(`setting the network namespace "${name}" failed: Invalid argument`, 1);
  return name.includes('/') ? path : name;
}
