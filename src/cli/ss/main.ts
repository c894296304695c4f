/**
 * `ss`: iproute2 6.1's socket statistics on top of rip/sockdiag. Options,
 * table/state/family selection, filter expression, output (text identical to
 * iproute2, or `-j` JSON, see JSON.md), `-s`, `-K`, `-E`, `-D FILE` and the
 * TCPDIAG_FILE environment variable.
 * @module
 */
import { readFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { Sink } from '../../output/printer.js';
import { FdByteSink } from './sink.js';
import { SockDiag, filterSubject, UnsupportedSocketTableError } from '../../sockdiag/sockdiag.js';
import { evaluate, type FilterExpr, type EvalContext } from '../../sockdiag/filter.js';
import { parseFilter, parseStateWords, FilterParseError } from '../../sockdiag/filter-parser.js';
import { compileBytecode } from '../../sockdiag/bytecode.js';
import { startProcessScan } from '../../sockdiag/procs.js';
import { socketSummary } from '../../sockdiag/summary.js';
import { Services, ephemeralRange } from '../../sockdiag/names.js';
import { decodeInet } from '../../sockdiag/decode.js';
import { ephemeralRangeOf } from '../../sockdiag/proc-net.js';
import { IPPROTO } from '../../sockdiag/constants.js';
import { NetlinkError } from '../../netlink/errors.js';
import type { InetSocket, Socket } from '../../sockdiag/types.js';
import type { MessageView } from '../../netlink/socket.js';
import { GetoptError } from './getopt.js';
import {
  parseOptions, finishTables, applyExprFamily, afGet, DB, AF, USAGE, UsageError, EarlyExit, type SsOptions,
} from './options.js';
import { ColumnRenderer, COL } from './render.js';
import { printInet, printInetProc, printUnix, printPacket, printNetlink, printVsock, printXdp, type FormatContext } from './format.js';
import { printTipc } from './format-tipc.js';
import { LinkNames, CgroupPaths, resolveHostSync } from './lookup.js';
import { JsonSocketWriter } from './json.js';
import { InetLinePrinter } from './inet-fast.js';

const VERSION = 'ss utility, iproute2-6.1.0';

/** Terminal width, or -1 when stdout is not a terminal (ss's render_screen_width). */
function screenWidth(): number {
  // isatty first: touching process.stdout builds a stream object, which costs start-up time.
  if (isatty(1) && process.stdout.columns > 0) return process.stdout.columns;
  return -1;
}

/** Where error text goes (stderr, unbuffered as in C; replaceable for in-process use). */
let errOut: (s: string) => void = (s) => { process.stderr.write(s); };

/**
 * Run ss with `argv` (without the program name); resolves to the exit status.
 * `sink` receives stdout, `stderr` the diagnostics (default: the process's).
 */
export async function ssMain(argv: string[], sink: Sink = new FdByteSink(1), stderr?: (s: string) => void): Promise<number> {
  const prevErr = errOut;
  if (stderr) errOut = stderr;
  try {
    return await ssRun(argv, sink);
  } finally {
    errOut = prevErr;
  }
}

async function ssRun(argv: string[], sink: Sink): Promise<number> {
  let o: SsOptions;
  try {
    o = parseOptions(argv);
  } catch (e) {
    return reportEarly(e, sink);
  }
  if (o.help) { sink.write(USAGE); sink.flush(); return 0; }
  if (o.version) { sink.write(VERSION + '\n'); sink.flush(); return 0; }

  if (o.summary) {
    const s = await socketSummary(o.netns !== undefined ? { netns: o.netns } : {});
    const w = (line: string): void => sink.write(line + '\n');
    w(`Total: ${s.sockets}`);
    w(`TCP:   ${s.tcpTotal + s.tcpTimeWait} (estab ${s.tcpEstablished}, closed ${s.tcpTotal - (s.tcp4Hashed + s.tcp6Hashed - s.tcpTimeWait)}, orphaned ${s.tcpOrphans}, timewait ${s.tcpTimeWait})`);
    w('');
    const row = (n: string, a: number, b: number): void => w(`${n}\t  ${pad9(a + b)} ${pad9(a)} ${pad9(b)}`);
    w('Transport Total     IP        IPv6');
    row('RAW', s.raw4, s.raw6);
    row('UDP', s.udp4, s.udp6);
    row('TCP', s.tcp4Hashed, s.tcp6Hashed);
    row('INET', s.raw4 + s.udp4 + s.tcp4Hashed, s.raw6 + s.udp6 + s.tcp6Hashed);
    row('FRAG', s.frag4, s.frag6);
    w('');
    sink.flush();
    if (o.doDefault && o.rest.length === 0) return 0;
  }

  let rest: string[];
  try {
    const st = parseStateWords(o.rest);
    if (st.saw) o.stateFilter = st.states;
    rest = st.rest;
  } catch (e) {
    return reportEarly(e, sink);
  }
  finishTables(o);
  const f = o.filter;
  if (f.dbs === 0) return stderrExit('ss: no socket tables to show with such filter.', 0, sink);
  if (f.families === 0n) return stderrExit('ss: no families to show with such filter.', 0, sink);
  if (f.states === 0) return stderrExit('ss: no socket states to show with such filter.', 0, sink);

  // Walked on background threads while the dump runs; the first socket printed waits for it.
  const owners = o.processes || o.threads ? startProcessScan({ threads: o.threads > 0, procRoot: process.env.PROC_ROOT }) : null;
  const links = new LinkNames(o.netns);
  const services = new Services();
  let sd: SockDiag | undefined;
  try {
    if (o.diagFile !== undefined) {
      if (!(f.dbs & (1 << DB.TCP))) return stderrExit('ss: tcpdiag dump requested and no tcp in filter.', 0, sink);
      sd = await SockDiag.open(o.netns !== undefined ? { netns: o.netns, ephemeral: UNUSED_RANGE } : { ephemeral: UNUSED_RANGE });
      await dumpRaw(sd, o, o.diagFile === '-' || o.diagFile.startsWith('-') ? null : o.diagFile, sink);
      return 0;
    }

    // The expression (may name devices: load the namespace's links first if it does).
    let expr: FilterExpr | null = null;
    let fileText: string | undefined;
    try {
      fileText = o.filterFile !== undefined ? readFilterFile(o.filterFile) : undefined;
    } catch (e) {
      return reportEarly(e, sink);
    }
    if (rest.some((w) => /\bdev\b/.test(w)) || (fileText ?? '').includes('dev') || rest.some((w) => w.includes('link:'))) await links.load();
    try {
      const parsed = parseFilter(rest, {
        preferredFamily: o.preferredFamily,
        tcp: (f.dbs & (1 << DB.TCP)) !== 0,
        udp: (f.dbs & (1 << DB.UDP)) !== 0,
        services,
        devIndex: (n) => links.index(n),
        resolveHost: resolveHostSync,
      }, fileText);
      expr = parsed.expr;
      if (parsed.family !== null) applyExprFamily(o, parsed.family);
    } catch (e) {
      return reportEarly(e, sink);
    }

    const r = new ColumnRenderer(sink, screenWidth());
    if (!(f.dbs & (f.dbs - 1))) r.disable(COL.NETID);
    if (!(f.states & (f.states - 1))) r.disable(COL.STATE);
    // The ephemeral port range is only read where it is used (service names, `autobound`):
    // for another namespace reading it takes a helper process.
    const ephemeral = !o.numeric || (expr !== null && hasAutobound(expr))
      ? (o.netns !== undefined ? await ephemeralRangeOf(o.netns) : ephemeralRange())
      : UNUSED_RANGE;
    const ctx: FormatContext = {
      o, r, services, links, cgroups: new CgroupPaths((l) => errOut(l + '\n'), o.netns !== undefined), owners, ephemeral, dgProto: 'tcp',
      serviceCache: new Map(), lastInode: 0,
    };
    const json = o.json ? new JsonSocketWriter(sink, o.pretty, owners, o.threads > 0) : null;
    if (o.header && !json) r.header();

    sd = await SockDiag.open(o.netns !== undefined ? { netns: o.netns, ephemeral } : { ephemeral });
    if (o.events) {
      return await followEvents(sd, o, expr, ctx, json);
    }
    const evalCtx: EvalContext = { ephemeral: ctx.ephemeral };
    // Interface names are needed for packet sockets and bound inet sockets only (loaded on first need).
    if ((f.dbs & ((1 << DB.PACKET_DG) | (1 << DB.PACKET_R))) && afGet(f, AF.PACKET)) await links.load();

    const show = (s: Socket): void => {
      if (json) json.socket(s);
      else if (s.kind === 'inet') printInet(ctx, s);
      else if (s.kind === 'unix') printUnix(ctx, s);
      else if (s.kind === 'packet') printPacket(ctx, s);
      else if (s.kind === 'vsock') printVsock(ctx, s);
      else if (s.kind === 'xdp') printXdp(ctx, s);
      else if (s.kind === 'tipc') printTipc(ctx, s);
      else printNetlink(ctx, s);
    };
    const keep = (s: Socket): boolean => !expr || evaluate(expr, filterSubject(s), evalCtx);

    if ((f.dbs & (1 << DB.NETLINK)) && afGet(f, AF.NETLINK) && (f.states & (1 << 7))) {
      for await (const b of sd.netlink().batches()) for (const s of b) if (keep(s)) show(s);
    }
    if ((f.dbs & ((1 << DB.PACKET_DG) | (1 << DB.PACKET_R))) && afGet(f, AF.PACKET) && (f.states & (1 << 7))) {
      for await (const b of sd.packet().batches()) {
        for (const s of b) {
          if (s.type === 3 && !(f.dbs & (1 << DB.PACKET_R))) continue;
          if (s.type === 2 && !(f.dbs & (1 << DB.PACKET_DG))) continue;
          if (keep(s)) show(s);
        }
      }
    }
    if ((f.dbs & ((1 << DB.UNIX_DG) | (1 << DB.UNIX_ST) | (1 << DB.UNIX_SQ))) && afGet(f, AF.UNIX)) {
      for await (const b of sd.unix({ states: f.states, memory: o.memory, details: o.details > 0 }).batches()) {
        for (const s of b) {
          if (s.type === 1 && !(f.dbs & (1 << DB.UNIX_ST))) continue;
          if (s.type === 2 && !(f.dbs & (1 << DB.UNIX_DG))) continue;
          if (s.type === 5 && !(f.dbs & (1 << DB.UNIX_SQ))) continue;
          if (keep(s)) show(s);
        }
      }
    }
    const inet = async (db: number, proto: number, dg: FormatContext['dgProto'] | null): Promise<void> => {
      if (!(f.dbs & (1 << db))) return;
      if (!afGet(f, AF.INET) && !afGet(f, AF.INET6)) return;
      if (dg) ctx.dgProto = dg;
      if (proto === IPPROTO.TCP && process.env.TCPDIAG_FILE) {
        await links.load();
        readDiagFile(process.env.TCPDIAG_FILE, ctx, keep, show);
        return;
      }
      await inetShow(sd!, o, proto, expr, show, ctx);
    };
    await inet(DB.RAW, IPPROTO.RAW, 'raw');
    await inet(DB.UDP, IPPROTO.UDP, 'udp');
    await inet(DB.TCP, IPPROTO.TCP, 'tcp');
    await inet(DB.DCCP, IPPROTO.DCCP, null);
    await inet(DB.SCTP, IPPROTO.SCTP, null);
    if ((f.dbs & ((1 << DB.VSOCK_ST) | (1 << DB.VSOCK_DG))) && afGet(f, AF.VSOCK)) {
      for await (const b of sd.vsock({ states: f.states }).batches()) {
        for (const s of b) {
          if (s.type === 1 && !(f.dbs & (1 << DB.VSOCK_ST))) continue;
          if (s.type === 2 && !(f.dbs & (1 << DB.VSOCK_DG))) continue;
          if (keep(s)) show(s);
        }
      }
    }
    // tipc_show: no family check and no filter expression (ss applies neither to TIPC sockets).
    if (f.dbs & (1 << DB.TIPC)) {
      for await (const b of sd.tipc({ states: f.states }).batches()) for (const s of b) show(s);
    }
    if ((f.dbs & (1 << DB.XDP)) && afGet(f, AF.XDP) && (f.states & (1 << 7))) {
      for await (const b of sd.xdp().batches()) {
        for (const s of b) {
          if (s.ifindex && !links.isLoaded) await links.load();
          if (keep(s)) show(s);
        }
      }
    }
    await inet(DB.MPTCP, IPPROTO.MPTCP, null);

    if (json) json.finish(); else r.render();
    sink.flush();
    return 0;
  } catch (e) {
    sink.flush();
    if (e instanceof NetlinkError) {
      errOut(`${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    sd?.close();
    owners?.close();
  }
}

/** An empty port range, for runs that never look at the ephemeral range. */
const UNUSED_RANGE = { min: 1, max: 0 };

function hasAutobound(e: FilterExpr): boolean {
  switch (e.type) {
    case 'autobound': return true;
    case 'and': case 'or': return hasAutobound(e.left) || hasAutobound(e.right);
    case 'not': return hasAutobound(e.expr);
    default: return false;
  }
}

function pad9(n: number): string { return String(n).padEnd(9); }

function readFilterFile(path: string): string {
  if (path.startsWith('-')) return readFileSync(0, 'utf8');
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const msg = (e as { code?: string }).code === 'ENOENT' ? 'No such file or directory' : String((e as Error).message);
    throw new EarlyExit(`fopen filter file: ${msg}`, 255);
  }
}

function stderrExit(msg: string, code: number, sink: Sink): number {
  sink.flush();
  errOut(msg + '\n');
  return code;
}

function reportEarly(e: unknown, sink: Sink): number {
  sink.flush();
  if (e instanceof GetoptError) {
    errOut(e.message + '\n' + USAGE);
    return 255;
  }
  if (e instanceof UsageError) {
    errOut((e.message ? e.message + '\n' : '') + (e.withUsage ? USAGE : ''));
    return e.exitCode;
  }
  if (e instanceof EarlyExit) {
    if (e.message) errOut(e.message + '\n');
    return e.exitCode;
  }
  if (e instanceof FilterParseError) {
    // Syntax errors: bison's message has no newline before " Sorry."; ss then prints its usage.
    errOut(e.withUsage ? e.message + '\n' + USAGE : e.message + '\n');
    return e.exitCode;
  }
  throw e;
}

/** inet_show_netlink: IPv4 then IPv6 (or just the preferred), kill if -K. */
async function inetShow(sd: SockDiag, o: SsOptions, proto: number, expr: FilterExpr | null,
  show: (s: Socket) => void, ctx: FormatContext): Promise<void> {
  const f = o.filter;
  const fams: Array<'inet' | 'inet6'> = o.preferredFamily === AF.INET6 ? ['inet6'] : o.preferredFamily === AF.INET ? ['inet'] : ['inet', 'inet6'];
  // Text output is printed from the replies as they arrive, without socket objects, where it can be.
  const fast = !o.kill && InetLinePrinter.supports(ctx) ? new InetLinePrinter(ctx) : null;
  const evalCtx: EvalContext = { ephemeral: ctx.ephemeral };
  const v4 = afGet(f, AF.INET), v6 = afGet(f, AF.INET6);
  for (const fam of fams) {
    const wantFamily = fam === 'inet' ? AF.INET : AF.INET6;
    // Once a socket needs something asynchronous (interface names), the rest
    // of the dump goes through the stream, so that the order is kept.
    let passthrough = false;
    const consume = (m: MessageView): boolean => {
      if (passthrough) return false;
      const b = m.buf, off = m.off, len = m.len;
      if (fast!.scan(b, off, len, proto)) {
        const family = fast!.family;
        if (family !== wantFamily) return true;
        if (expr && !evaluate(expr, fast!.subject(), evalCtx)) return true;
        if (!(family === AF.INET ? v4 : family === AF.INET6 ? v6 : afGet(f, family))) return true;
        if (fast!.ifindex && !ctx.links.isLoaded) { passthrough = true; return false; }
        fast!.print();
        return true;
      }
      // What the stream and the loop below would do with it, in place (same order, same errors).
      const s = decodeInet(b, off, len, proto);
      if (s.family !== wantFamily) return true;
      if (expr && !evaluate(expr, filterSubject(s), evalCtx)) return true;
      if (!afGet(f, s.family)) return true;
      if (s.ifindex && !ctx.links.isLoaded) { passthrough = true; return false; }
      show(s);
      return true;
    };
    const query = { family: fam, states: f.states, filter: expr, bytecodeMode: 'ss', info: o.info, memory: o.memory, tos: o.tos } as const;
    if (fast && (proto === IPPROTO.TCP || proto === IPPROTO.UDP)) {
      // The whole dump in one synchronous call, its replies received on a
      // native thread while this one prints. Sockets that wait for interface
      // names are decoded (copied: the reply buffer is reused) and printed after it.
      const later: InetSocket[] = [];
      let seen = false;
      const onMessage = (m: MessageView): void => {
        seen = true;
        if (consume(m)) return;
        const s = decodeInet(Buffer.from(m.buf.subarray(m.off, m.off + m.len)), 0, m.len, proto);
        if (s.family !== wantFamily) return;
        if (expr && !evaluate(expr, filterSubject(s), evalCtx)) return;
        if (afGet(f, s.family)) later.push(s);
      };
      let ran: boolean;
      try {
        ran = sd.inetSync(proto, query, onMessage);
      } catch (e) {
        // An error before any socket (e.g. a table this kernel lacks): the
        // stream below asks again and handles it (/proc fallback, messages).
        if (seen || !(e instanceof NetlinkError)) throw e;
        ran = false;
        passthrough = false;
      }
      if (ran) {
        if (later.length) await ctx.links.load();
        for (const s of later) show(s);
        continue;
      }
    }
    const st = sd.inet(proto, {
      ...query,
      ...(fast ? { consume } : {}),
    });
    st.strict = true;
    const showProc = (c: FormatContext, s: InetSocket): void => { if (c.o.json) show(s); else printInetProc(c, s); };
    try {
      for await (const b of st.batches()) {
        for (const s of b) {
          if (!afGet(f, s.family)) continue;
          if (o.kill) {
            const ok = await sd.destroy(s);
            if (!ok) continue;
          }
          if (s.ifindex && !ctx.links.isLoaded) await ctx.links.load();
          // The stream already applied the expression (kernel bytecode + user space).
          if (st.fromProc) showProc(ctx, s); else show(s);
        }
      }
    } catch (e) {
      if (e instanceof UnsupportedSocketTableError) {
        // ss retries with the legacy inet_diag request, which exists for TCP and DCCP only.
        if (proto === IPPROTO.DCCP || proto === IPPROTO.TCP) {
          try {
            await sd.inet(proto, { legacy: true, states: f.states }).toArray();
          } catch (e2) {
            if (e2 instanceof NetlinkError) errOut(`RTNETLINK answers: ${e2.reason}\n`);
          }
        }
        return;
      }
      if (e instanceof NetlinkError && proto > 255) return;
      throw e;
    }
  }
}

/** -D FILE: write the raw TCP replies (as ss: every datagram, DONE included). */
async function dumpRaw(sd: SockDiag, o: SsOptions, path: string | null, sink: Sink): Promise<void> {
  const fd = path === null ? 1 : openSync(path, 'w');
  sink.flush();
  try {
    const fams: Array<'inet' | 'inet6'> = o.preferredFamily === AF.INET6 ? ['inet6'] : o.preferredFamily === AF.INET ? ['inet'] : ['inet', 'inet6'];
    for (const fam of fams) {
      let last: MessageView | null = null;
      const st = sd.inet(IPPROTO.TCP, {
        family: fam, states: o.filter.states, info: o.info, memory: o.memory, tos: o.tos,
        onRaw: (m) => {
          last = m;
          writeSync(fd, m.buf.subarray(m.off - 16, m.off + ((m.len + 3) & ~3)));
        },
      });
      for await (const _ of st.batches()) { /* written by onRaw */ }
      const done = Buffer.alloc(20);
      done.writeUInt32LE(20, 0); done.writeUInt16LE(3, 4); done.writeUInt16LE(2, 6);
      const lm = last as MessageView | null;
      if (lm) { done.writeUInt32LE(lm.seq, 8); done.writeUInt32LE(lm.pid, 12); }
      writeSync(fd, done);
    }
  } finally {
    if (path !== null) closeSync(fd);
  }
}

/** TCPDIAG_FILE: read TCP sockets from a -D dump (up to the first NLMSG_DONE, as ss). */
function readDiagFile(path: string, ctx: FormatContext, keep: (s: Socket) => boolean, show: (s: Socket) => void): void {
  let buf: Buffer;
  try { buf = readFileSync(path); } catch (e) {
    errOut(`fopen($TCPDIAG_FILE): ${(e as { code?: string }).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}\n`);
    return;
  }
  let p = 0;
  for (;;) {
    if (buf.length - p < 16) { if (p < buf.length || true) errOut('Unexpected EOF reading $TCPDIAG_FILE'); break; }
    const len = buf.readUInt32LE(p);
    const type = buf.readUInt16LE(p + 4);
    const body = (len - 16 + 3) & ~3;
    if (len < 16 || buf.length - p - 16 < body) { errOut('Unexpected EOF reading $TCPDIAG_FILE'); break; }
    if (type === 3) break;
    if (type === 2) {
      if (len < 16 + 20) errOut('ERROR truncated\n');
      else errOut(`TCPDIAG answered: errno ${-buf.readInt32LE(p + 16)}\n`);
      break;
    }
    const s: InetSocket = decodeInet(buf, p + 16, len - 16, IPPROTO.TCP);
    if (afGet(ctx.o.filter, s.family) && keep(s)) show(s);
    p += 16 + body;
  }
}

/** -E: print sockets as they are destroyed, until interrupted. */
async function followEvents(sd: SockDiag, o: SsOptions, expr: FilterExpr | null, ctx: FormatContext, json: JsonSocketWriter | null): Promise<number> {
  const f = o.filter;
  const tcp = (f.dbs & (1 << DB.TCP)) !== 0;
  const udp = (f.dbs & (1 << DB.UDP)) !== 0;
  const v4 = afGet(f, AF.INET);
  const v6 = afGet(f, AF.INET6);
  if (!(tcp || udp) || !(v4 || v6)) return 255;
  ctx.r.render();
  ctx.r.flushSink();
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for await (const ev of sd.events({ tcp, udp, family: v4 && v6 ? 'all' : v4 ? 'inet' : 'inet6', signal: ac.signal })) {
      if (ev.kind !== 'destroy') continue;
      const s = ev.socket;
      if (s.kind !== 'inet') continue;
      if (expr && !evaluate(expr, filterSubject(s), { ephemeral: ctx.ephemeral })) continue;
      if (o.kill) await sd.destroy(s);
      if (s.ifindex && !ctx.links.isLoaded) await ctx.links.load();
      if (json) json.socket(s);
      else {
        ctx.dgProto = s.protocol === IPPROTO.UDP ? 'udp' : 'tcp';
        printInet(ctx, s);
        ctx.r.render();
      }
      // Each event is written at once (ss renders per event; its stdio flushes per line on a terminal).
      ctx.r.flushSink();
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (json) json.finish();
    ctx.r.flushSink();
  }
  return 0;
}

export { compileBytecode };
