/**
 * `ip vrf`: show, identify, pids, exec — as iproute2's ip/ipvrf.c.
 *
 * `exec` into a real VRF needs a BPF cgroup program binding new sockets to
 * the VRF device, which rip cannot load yet; `exec default` (leave any VRF)
 * works.
 * @module
 */
import { readFileSync, readdirSync, lstatSync, accessSync, statSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Args, CliError, matches, invarg } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { ANY, FP } from '../../output/printer.js';
import { isNotFound } from '../../netlink/errors.js';
import type { Link } from '../../netlink/link.js';
import { getUnsigned } from './inet-args.js';
import { tableId } from './rtnl-names.js';

const USAGE = `Usage:	ip vrf show [NAME] ...
	ip vrf exec [NAME] cmd ...
	ip vrf identify [PID]
	ip vrf pids [NAME]`;

function usage(): never {
  throw new CliError(USAGE);
}

const IFLA_VRF_TABLE = 1;

/** IFLA_VRF_TABLE of a vrf link (0 when absent), from decoded or raw IFLA_INFO_DATA. */
export function vrfTable(l: Link): number {
  const data = l.raw.attrs.linkinfo?.data;
  if (data === undefined) return 0;
  if (Buffer.isBuffer(data)) {
    let p = 0;
    while (data.length - p >= 4) {
      const len = data.readUInt16LE(p);
      if (len < 4 || len > data.length - p) break;
      if ((data.readUInt16LE(p + 2) & 0x3fff) === IFLA_VRF_TABLE && len >= 8) return data.readUInt32LE(p + 4);
      p += (len + 3) & ~3;
    }
    return 0;
  }
  const t = (data as Readonly<Record<string, unknown>>).table;
  return typeof t === 'number' ? t : 0;
}

/** The link `name` if it exists (undefined on ENODEV). */
async function linkByName(ctx: CliContext, name: string): Promise<Link | undefined> {
  const nl = await ctx.netlink();
  try {
    return await nl.link.get(name);
  } catch (e) {
    if (isNotFound(e) || (e as { code?: string }).code === 'ENODEV' || (e as { code?: string }).code === 'EINVAL') return undefined;
    throw e;
  }
}

/** name_is_vrf(): the ifindex of VRF `name`, or 0. */
async function nameIsVrf(ctx: CliContext, name: string): Promise<number> {
  const l = await linkByName(ctx, name);
  return l && l.kind === 'vrf' ? l.ifindex : 0;
}

/** ipvrf_get_table() */
async function getTable(ctx: CliContext, name: string): Promise<number> {
  const l = await linkByName(ctx, name);
  if (!l) return name === 'default' ? tableId('main') ?? 254 : 0;
  if (l.kind !== 'vrf' || l.raw.attrs.linkinfo?.data === undefined) return 0;
  const t = vrfTable(l);
  if (!t) ctx.warn(`BUG: VRF ${name} is missing table id`);
  return t;
}

/** ipvrf_show() */
async function show(ctx: CliContext, args: Args): Promise<number> {
  const rest = args.rest();
  if (rest.length > 1) usage();
  if (rest.length === 1) {
    const t = await getTable(ctx, rest[0]!);
    if (!t) throw new CliError('Invalid VRF', 255);
    ctx.printer.text('%s %u\n', rest[0]!, t);
    ctx.printer.flush();
    return 0;
  }
  const nl = await ctx.netlink();
  const links = await nl.link.list({ kind: 'vrf' }, { interrupted: 'partial' }).toArray();
  const p = ctx.printer;
  p.start();
  p.string(FP, null, '%-16s', 'Name');
  p.string(FP, null, '  %5s\n', 'Table');
  p.string(FP, null, '%s\n', '-----------------------');
  let n = 0;
  for (const l of links) {
    if (l.kind !== 'vrf') continue;
    const t = vrfTable(l);
    if (!t) {
      ctx.warn(`BUG: VRF ${l.ifname} is missing table id`);
      continue;
    }
    p.openObject();
    p.string(ANY, 'name', '%-16s', l.ifname);
    p.uint(ANY, 'table', ' %5u', t);
    p.string(FP, null, '%s', '\n');
    p.closeObject();
    n++;
  }
  if (!n) p.string(FP, null, '%s\n', 'No VRF has been configured');
  p.finish();
  return 0;
}

/** vrf_identify(): the VRF name in a process's controller-less cgroup path ('' if none); null if unreadable. */
export function vrfOfPid(pid: number | 'self'): string | null {
  let text: string;
  try { text = readFileSync(`/proc/${pid}/cgroup`, 'utf8'); } catch { return null; }
  for (const line of text.split('\n')) {
    if (!line.includes('::/')) continue;
    const i = line.indexOf('/vrf/');
    if (i >= 0) return line.slice(i + 5).slice(0, 31);
  }
  return '';
}

/** ipvrf_identify() */
function identify(ctx: CliContext, args: Args): number {
  const rest = args.rest();
  let pid: number | 'self' = 'self';
  if (rest.length > 1) invarg('Extra arguments specified\n', rest[1]!);
  if (rest.length === 1) {
    const n = getUnsigned(rest[0]!, 10);
    if (n === undefined) invarg('Invalid pid\n', rest[0]!);
    pid = n;
  }
  const vrf = vrfOfPid(pid);
  if (vrf === null) {
    ctx.warn('Failed to lookup vrf association: No such file or directory');
    return 1;
  }
  if (vrf) {
    ctx.printer.text('%s\n', vrf);
    ctx.printer.flush();
  }
  return 0;
}

/** The cgroup2 mount point, if any. */
function cgroup2Mount(): string | undefined {
  let text = '';
  try { text = readFileSync('/proc/mounts', 'utf8'); } catch { return undefined; }
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f[2] === 'cgroup2') return f[1];
  }
  return undefined;
}

/** ipvrf_pids(): list the processes in the VRF's cgroups. */
async function pids(ctx: CliContext, args: Args): Promise<number> {
  const rest = args.rest();
  if (rest.length !== 1) throw new CliError('Invalid arguments', 1);
  const vrf = rest[0]!;
  if (!(await nameIsVrf(ctx, vrf))) throw new CliError('Invalid VRF name', 1);
  const mnt = cgroup2Mount();
  if (!mnt) return 1;
  const ns = ctx.opts.netns !== undefined ? `${ctx.opts.netns}-ns` : '';
  const walk = (dir: string): void => {
    let entries: string[];
    try { entries = readdirSync(dir); } catch { return; }
    for (const e of entries) {
      if (e === 'vrf') {
        const parent = dir.slice(dir.lastIndexOf('/') + 1);
        if (!ns || parent === ns) {
          let procs = '';
          try { procs = readFileSync(`${dir}/vrf/${vrf}/cgroup.procs`, 'utf8'); } catch { continue; }
          for (const pid of procs.split('\n').filter(Boolean)) {
            let comm = '<terminated?>';
            try { comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { /* gone */ }
            ctx.printer.text('%5s  %s\n', pid, comm);
          }
        }
        continue;
      }
      try { if (lstatSync(`${dir}/${e}`).isDirectory()) walk(`${dir}/${e}`); } catch { /* raced */ }
    }
  };
  walk(mnt);
  ctx.printer.flush();
  return 0;
}

/** execvp()'s search: whether `cmd` names an executable file (directly or on PATH). */
function findExecutable(cmd: string): boolean {
  const isExec = (p: string): boolean => {
    try { accessSync(p, constants.X_OK); return statSync(p).isFile(); } catch { return false; }
  };
  if (cmd.includes('/')) return isExec(cmd);
  return (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':').some((d) => isExec(`${d || '.'}/${cmd}`));
}

/** ipvrf_exec() */
async function exec(ctx: CliContext, args: Args): Promise<number> {
  const rest = args.rest();
  if (rest.length < 1) throw new CliError('No VRF name specified', 1);
  if (rest.length < 2) throw new CliError('No command specified', 1);
  const [name, cmd, ...cmdArgs] = rest as [string, string, ...string[]];
  if (name !== 'default') {
    if (!(await nameIsVrf(ctx, name))) throw new CliError('Invalid VRF name', 255);
    throw new CliError('Failed to load BPF prog: rip cannot attach the VRF cgroup program yet', 255);
  }
  ctx.printer.flush();
  if (!findExecutable(cmd)) {
    ctx.warn(`exec of "${cmd}" failed: No such file or directory`);
    return 1;
  }
  if (ctx.opts.netns !== undefined) {
    const { exec: netnsExec } = await import('../../netlink/netns.js');
    const r = await netnsExec(ctx.opts.netns, [cmd, ...cmdArgs]);
    return r.status ?? 1;
  }
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (r.error) {
    ctx.warn(`exec of "${cmd}" failed: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : r.error.message}`);
    return 1;
  }
  return r.status ?? 1;
}

/** `ip vrf …` (do_ipvrf) */
export default async function ipVrf(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined) return show(ctx, args);
  if (matches(cmd, 'identify')) return identify(ctx, args);
  if (matches(cmd, 'pids')) return pids(ctx, args);
  if (matches(cmd, 'exec')) return exec(ctx, args);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return show(ctx, args);
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip vrf help".`);
}
