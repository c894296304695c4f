/**
 * `ip tcp_metrics { show | flush } [[address] PREFIX] [src PREFIX]`,
 * `ip tcp_metrics delete [address] ADDRESS [src ADDRESS]`: the kernel's TCP
 * metrics cache over generic netlink, as iproute2's ip/tcp_metrics.c.
 * @module
 */
import { Args, CliError, matches, duparg2, missarg } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkError } from '../../netlink/errors.js';
import { kernelErrorText } from '../common/errors.js';
import { NLM_F } from '../../netlink/constants.js';
import { TcpMetrics, decodeTcpMetrics, tcpMetricsKey, TCP_METRICS_CMD, type TcpMetricsEntry } from '../../netlink/tcp-metrics.js';
import { ANY, FP, JSON_ONLY } from '../../output/printer.js';
import { familyColor } from '../../output/color.js';
import { getPrefix, type InetPrefix } from './inet-args.js';

const USAGE = `Usage:\tip tcp_metrics/tcpmetrics { COMMAND | help }
\tip tcp_metrics { show | flush } SELECTOR
\tip tcp_metrics delete [ address ] ADDRESS
SELECTOR := [ [ address ] PREFIX ]`;

const AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10;
const CMD_LIST = 1, CMD_DEL = 2, CMD_FLUSH = 4;
const COMMANDS: ReadonlyArray<readonly [string, number]> = [
  ['list', CMD_LIST], ['lst', CMD_LIST], ['show', CMD_LIST], ['delete', CMD_DEL], ['remove', CMD_DEL], ['flush', CMD_FLUSH],
];

function usage(): never {
  throw new CliError(USAGE);
}

/** A selector prefix: family 0 with bitlen -1 when not given. */
interface Sel { family: number; bitlen: number; bytes: Buffer }

/** inet_addr_match() on whole bits of two equal-family addresses: true when they differ. */
function differs(a: Buffer, p: Sel): boolean {
  const whole = p.bitlen >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== p.bytes[i]) return true;
  const rest = p.bitlen & 7;
  return rest !== 0 && ((a[whole]! ^ p.bytes[whole]!) & ((0xff << (8 - rest)) & 0xff)) !== 0;
}

/** process_msg()'s selection: whether an entry passes the daddr/saddr selectors. */
function selected(e: TcpMetricsEntry, d: Sel, s: Sel): boolean {
  const r = e.raw;
  const dst = r.addr_ipv4 ?? r.addr_ipv6!;
  const dfam = r.addr_ipv4 ? AF_INET : AF_INET6;
  if (d.family && d.family !== dfam) return false;
  if (d.family && d.bitlen >= 0 && differs(dst, d)) return false;
  const src = r.saddr_ipv4 ?? r.saddr_ipv6;
  if (src) {
    const sfam = r.saddr_ipv4 ? AF_INET : AF_INET6;
    if (s.family && s.family !== sfam) return false;
    if (s.family && s.bitlen >= 0 && differs(src, s)) return false;
  }
  return true;
}

/** process_msg()'s output for one entry. */
function printEntry(ctx: CliContext, e: TcpMetricsEntry, deleted: boolean): void {
  const p = ctx.printer;
  const r = e.raw;
  p.openObject();
  if (deleted) p.bool(ANY, 'deleted', 'Deleted ', true);
  p.colorString(ANY, familyColor(e.family), 'dst', '%s', e.dst);
  if (r.age !== undefined) p.float(ANY, 'age', ' age %.03fsec', Number(r.age) / 1000);
  if (r.tw_ts_stamp !== undefined) p.string(ANY, 'tw_ts_stamp', ' tw_ts %s ago', `${r.tw_tsval ?? 0}/${r.tw_ts_stamp}`);
  if (r.vals) {
    const v = r.vals;
    // print_tcp_metrics(): RTT/RTTVAR in ms units unless the _US variants are present.
    let rtt = 0n, rttvar = 0n;
    if (v.rtt !== undefined) rtt = (BigInt(v.rtt) * 1000n) >> 3n;
    if (v.rttvar !== undefined) rttvar = (BigInt(v.rttvar) * 1000n) >> 2n;
    for (const name of ['ssthresh', 'cwnd', 'reordering'] as const) {
      const x = v[name];
      if (x === undefined) continue;
      p.uint(JSON_ONLY, name, '', x);
      p.string(FP, null, ' %s ', name);
      p.uint(FP, null, '%u', x);
    }
    if (v.rtt_us !== undefined) rtt = BigInt(v.rtt_us >>> 3);
    if (v.rttvar_us !== undefined) rttvar = BigInt(v.rttvar_us >>> 2);
    if (rtt) {
      p.float(JSON_ONLY, 'rtt', '', Number(rtt) / 1e6);
      p.u64(FP, null, ' rtt %uus', rtt);
    }
    if (rttvar) {
      p.float(JSON_ONLY, 'rttvar', '', Number(rttvar) / 1e6);
      p.u64(FP, null, ' rttvar %uus', rttvar);
    }
  }
  if (r.fopen_mss !== undefined) p.uint(ANY, 'fopen_miss', ' fo_mss %u', r.fopen_mss);
  if (r.fopen_syn_drops !== undefined) {
    p.uint(ANY, 'fopen_syn_drops', ' fo_syn_drops %u', r.fopen_syn_drops);
    p.float(ANY, 'fopen_syn_drop_ts', '/%.03fusec ago', Number(r.fopen_syn_drop_ts ?? 0n) / 1e6);
  }
  if (r.fopen_cookie) p.string(ANY, 'fo_cookie', ' fo_cookie %s', r.fopen_cookie.subarray(0, 16).toString('hex'));
  if (e.source !== undefined) p.string(ANY, 'source', ' source %s', e.source);
  p.string(FP, null, '\n', '');
  p.closeObject();
}

/** tcpm_do_cmd() */
async function run(ctx: CliContext, cmd: number, args: Args): Promise<number> {
  const pf = ctx.opts.family;
  const d: Sel = { family: pf, bitlen: -1, bytes: Buffer.alloc(0) };
  const s: Sel = { family: pf, bitlen: -1, bytes: Buffer.alloc(0) };
  if (pf !== AF_UNSPEC && pf !== AF_INET && pf !== AF_INET6) throw new CliError(`Unsupported protocol family: ${pf}`, 1);
  let atype = false, stype = false;
  const full = (x: InetPrefix): boolean => x.bytes.length > 0 && x.bytes.length * 8 === x.bitlen && (x.family === AF_INET || x.family === AF_INET6);
  for (let a = args.next(); a !== undefined; a = args.next()) {
    if (a === 'src' || a === 'source') {
      const v = args.value();
      if (matches(v, 'help')) usage();
      if (s.bitlen >= 0) duparg2(a, v);
      const x = getPrefix(v, pf);
      Object.assign(s, { family: x.family, bitlen: x.bitlen, bytes: x.bytes });
      stype = full(x);
      if (!stype) throw new CliError(`Error: a specific IP address is expected rather than "${v}"`, 1);
    } else {
      let who = 'address';
      let v = a;
      if (a === 'addr' || a === 'address') { who = a; v = args.value(); }
      if (matches(v, 'help')) usage();
      if (d.bitlen >= 0) duparg2(who, v);
      const x = getPrefix(v, pf);
      Object.assign(d, { family: x.family, bitlen: x.bitlen, bytes: x.bytes });
      atype = full(x);
      if ((cmd & CMD_DEL) && !atype) throw new CliError(`Error: a specific IP address is expected rather than "${v}"`, 1);
    }
    // iproute2 steps past each item twice (its loop's increment and the body's), so the word after it is skipped.
    args.next();
  }
  if (cmd === CMD_DEL && !atype) missarg('address');
  if (cmd === CMD_FLUSH && atype) cmd = CMD_DEL;
  let ack = false;
  let genlCmd: number = TCP_METRICS_CMD.GET;
  if (cmd === CMD_FLUSH && d.bitlen <= 0 && s.bitlen <= 0 && pf === AF_UNSPEC) {
    cmd = CMD_DEL;
    genlCmd = TCP_METRICS_CMD.DEL;
    ack = true;
  } else if (cmd === CMD_DEL) {
    genlCmd = TCP_METRICS_CMD.DEL;
    ack = true;
  }
  let tm: TcpMetrics;
  try {
    tm = await TcpMetrics.open(ctx.opts.netns !== undefined ? { netns: ctx.opts.netns } : {});
  } catch (e) {
    if (e instanceof NetlinkError) { ctx.warn(kernelErrorText(e)); return 1; }
    throw e;
  }
  try {
    return await runWith(ctx, tm, cmd, genlCmd, ack, d, s, atype, stype);
  } finally {
    tm.close();
  }
}

async function runWith(ctx: CliContext, tm: TcpMetrics, cmd: number, genlCmd: number, ack: boolean, d: Sel, s: Sel, atype: boolean, stype: boolean): Promise<number> {
  const p = ctx.printer;
  // Only a del or a single get names an entry (a flush of everything sends no key).
  const key = atype ? tcpMetricsKey(d.bytes, stype ? s.bytes : undefined) : {};
  if (cmd & CMD_FLUSH) {
    for (let round = 0; ; round++) {
      let victims: TcpMetricsEntry[];
      try {
        victims = (await tm.list().toArray()).filter((e) => selected(e, d, s));
      } catch (e) {
        if (!(e instanceof NetlinkError)) throw e;
        ctx.warn(kernelErrorText(e));
        ctx.warn('Flush terminated');
        return 1;
      }
      if (!victims.length) {
        if (round === 0) ctx.warn('Nothing to flush.');
        else if (ctx.opts.stats) p.rawText(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
        return 0;
      }
      for (const e of victims) {
        if (ctx.opts.stats >= 2) printEntry(ctx, e, true);
        const r = e.raw;
        const k = tcpMetricsKey((r.addr_ipv4 ?? r.addr_ipv6)!, r.saddr_ipv4 ?? r.saddr_ipv6);
        try {
          await tm.socket.request(tm.request(TCP_METRICS_CMD.DEL, NLM_F.ACK, k), 'flush tcp metrics');
        } catch (err) {
          if (!(err instanceof NetlinkError)) throw err;
          ctx.warn(kernelErrorText(err));
          ctx.warn('Flush terminated');
          return 1;
        }
      }
      if (ctx.opts.stats) p.rawText(`\n*** Round ${round + 1}, deleting ${victims.length} entries ***\n`);
    }
  }
  if (ack || atype) {
    let replies;
    try {
      replies = await tm.socket.request(tm.request(genlCmd, NLM_F.ACK, key), 'tcp metrics');
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      ctx.warn(kernelErrorText(e));
      return 2;
    }
    if (!ack) {
      // rtnl_talk() with an answer: printed without a JSON writer.
      const m = replies[0];
      const e = m ? decodeTcpMetrics(m) : undefined;
      if (e && selected(e, d, s)) printEntry(ctx, e, false);
    }
    return 0;
  }
  p.start();
  try {
    for await (const e of tm.list()) if (selected(e, d, s)) printEntry(ctx, e, false);
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    ctx.warn(kernelErrorText(e));
    ctx.warn('Dump terminated');
    return 1;
  }
  p.finish();
  return 0;
}

/** `ip tcp_metrics …` (do_tcp_metrics) */
export default async function ipTcpMetrics(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined) return run(ctx, CMD_LIST, args);
  for (const [name, code] of COMMANDS) if (matches(cmd, name)) return run(ctx, code, args);
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip tcp_metrics help".`);
}
