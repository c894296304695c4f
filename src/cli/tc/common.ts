/**
 * What the `tc` subcommands share: tc's global options on top of the CLI
 * context, the kind environment, device names, the statistics printer
 * (tc_util.c print_tcstats_attr) and tc's error/exit conventions.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CliError } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { LinkMap } from '../ip/ll-map.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../output/printer.js';
import type { TcEnv } from '../../tc/kind.js';
import { TcArgError } from '../../tc/kind.js';
import type { TcAttrs } from '../../tc/schema.js';
import { sprintRate, sprintSize, PercentRateError, readLinkSpeed } from '../../tc/units.js';

/** tc-only global options (tc.c main). */
export interface TcOptions {
  /** -nm / -names */
  names: boolean;
  /** -cf / -conf FILE */
  confFile: string | undefined;
  /** -g / -graph */
  graph: boolean;
  /** -b / -brief */
  brief: boolean;
}

/**
 * An exit() inside tc (invarg, duparg, incomplete_command, usage paths):
 * ends the whole program, even in -batch mode.
 */
export class TcExit extends CliError {}

/** Turn a kind parser's TcArgError into tc's outcome: 255 = exit(), else the command fails with that status. */
export function fromKindError(e: unknown): never {
  if (e instanceof TcArgError) {
    if (e.exitCode === 255) throw new TcExit(e.message, 255);
    throw new CliError(e.message, e.exitCode);
  }
  throw e;
}

/** Device names of the namespace, loaded once per command. */
export async function linkMap(ctx: CliContext): Promise<LinkMap> {
  return LinkMap.load(ctx);
}

/** Link speed for percent rates (read_prop(dev, "speed")), in the command's namespace. */
function linkSpeed(ctx: CliContext, dev: string): number {
  if (ctx.opts.netns === undefined) return readLinkSpeed(dev);
  // tc switches namespace and remounts /sys; we read the namespace's sysfs through ip netns exec.
  const fname = `/sys/class/net/${dev}/speed`;
  const r = spawnSync('ip', ['netns', 'exec', ctx.opts.netns, 'cat', fname], { encoding: 'utf8' });
  if (r.status !== 0) {
    const reason = /No such file/.test(r.stderr) ? 'No such file or directory' : /Invalid argument/.test(r.stderr) ? 'Invalid argument' : r.stderr.trim();
    throw new PercentRateError(`fopen ${fname}: ${reason}`);
  }
  const line = r.stdout.split('\n')[0] ?? '';
  if (!/^[+-]?\d+$/.test(line)) throw new PercentRateError(`value "${line}" in file ${fname} is not a number\nFailed to parse ${fname}`);
  return Number(line);
}

/** The TcEnv handed to kind parsers and printers. */
export function tcEnv(ctx: CliContext, dev = ''): TcEnv {
  return {
    ifindex: 0,
    iec: ctx.opts.iec,
    stats: ctx.opts.stats,
    details: ctx.opts.details,
    raw: ctx.opts.raw,
    dev,
    linkSpeed: () => linkSpeed(ctx, dev),
  };
}

/** Read a whole file for -batch (tc's freopen message on failure). */
export function readBatchFile(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : code === 'EISDIR' ? 'Is a directory' : String((e as Error).message);
    throw new CliError(`Cannot open file "${file}" for reading: ${reason}`, 1);
  }
}

/**
 * print_tcstats_attr(): the `-s` lines (Sent …, rate …, backlog …).
 * Returns the raw xstats payload tc would hand to the kind printer.
 */
export function printTcStats(p: Printer, a: TcAttrs, prefix: string, iec: boolean): Buffer | unknown | undefined {
  const s2 = a.stats2;
  if (s2) {
    if (s2.basic) {
      p.string(FP, null, '%s', prefix);
      p.u64(ANY, 'bytes', 'Sent %llu bytes', s2.basic.bytes);
      if (s2.pkt64) p.u64(ANY, 'packets', ' %llu pkt', s2.pkt64);
      else p.uint(ANY, 'packets', ' %u pkt', s2.basic.packets);
    }
    const q = s2.queue;
    if (q) {
      p.uint(ANY, 'drops', ' (dropped %u', q.drops);
      p.uint(ANY, 'overlimits', ', overlimits %u', q.overlimits);
      p.uint(ANY, 'requeues', ' requeues %u) ', q.requeues);
    }
    if (s2.basic_hw) {
      const hw = s2.basic_hw;
      if (hw.bytes !== 0n || hw.packets !== 0) {
        const bs = s2.basic;
        if (bs && bs.bytes >= hw.bytes && bs.packets >= hw.packets) {
          p.nl();
          p.string(FP, null, '%s', prefix);
          p.u64(ANY, 'sw_bytes', 'Sent software %llu bytes', bs.bytes - hw.bytes);
          p.uint(ANY, 'sw_packets', ' %u pkt', bs.packets - hw.packets);
        }
        p.nl();
        p.string(FP, null, '%s', prefix);
        p.u64(ANY, 'hw_bytes', 'Sent hardware %llu bytes', hw.bytes);
        p.uint(ANY, 'hw_packets', ' %u pkt', hw.packets);
      }
    }
    if (s2.rate_est64) {
      p.string(FP, null, '\n%s', prefix);
      p.u64(JSON_ONLY, 'rate', '', s2.rate_est64.bps);
      p.string(FP, null, 'rate %s', sprintRate(s2.rate_est64.bps, iec));
      p.u64(ANY, 'pps', ' %llupps', s2.rate_est64.pps);
    } else if (s2.rate_est) {
      p.string(FP, null, '\n%s', prefix);
      p.uint(JSON_ONLY, 'rate', '', s2.rate_est.bps);
      p.string(FP, null, 'rate %s', sprintRate(BigInt(s2.rate_est.bps), iec));
      p.uint(ANY, 'pps', ' %upps', s2.rate_est.pps);
    }
    if (q) {
      if (!s2.rate_est) p.nl();
      p.string(FP, null, '%s', prefix);
      p.uint(JSON_ONLY, 'backlog', '', q.backlog);
      p.string(FP, null, 'backlog %s', sprintSize(q.backlog));
      p.uint(ANY, 'qlen', ' %up', q.qlen);
      p.uint(FP, null, ' requeues %u', q.requeues);
    }
    return s2.app ?? a.xstats;
  }
  const st = a.stats;
  if (st) {
    // Legacy TCA_STATS: tc writes it with fprintf, in text even under -j.
    let out = `${prefix}Sent ${st.bytes} bytes ${st.packets} pkts (dropped ${st.drops}, overlimits ${st.overlimits}) `;
    if (st.bps || st.pps || st.qlen || st.backlog) {
      out += `\n${prefix}`;
      if (st.bps || st.pps) {
        out += 'rate ';
        if (st.bps) out += `${sprintRate(BigInt(st.bps), iec)} `;
        if (st.pps) out += `${st.pps}pps `;
      }
      if (st.qlen || st.backlog) {
        out += 'backlog ';
        if (st.backlog) out += `${sprintSize(st.backlog)} `;
        if (st.qlen) out += `${st.qlen}p `;
      }
    }
    p.rawText(out);
  }
  return a.xstats;
}
