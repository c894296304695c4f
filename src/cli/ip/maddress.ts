/**
 * `ip maddress show [dev DEV]`: multicast addresses, read from
 * /proc/net/dev_mcast, /proc/net/igmp and /proc/net/igmp6 as iproute2's
 * ip/ipmaddr.c does. /proc/net follows the reading process's namespace, so for
 * `-n NAME` the files are read through a short-lived helper process started in
 * that namespace (/proc/PID/net/…); rip itself never changes namespace.
 * @module
 */
import { readFileSync, statSync } from 'node:fs';
import { Args, CliError, matches, duparg, duparg2, invarg } from '../common/args.js';
import { llAddrA2n } from './neighbor.js';
import type { CliContext } from '../common/context.js';
import { ANY, FP, JSON_ONLY } from '../../output/printer.js';
import { COLOR_IFNAME, COLOR_MAC, familyColor } from '../../output/color.js';
import { native } from '../../netlink/native.js';
import { netnsTarget } from '../../netlink/socket.js';
import { formatAddress, formatLladdr } from '../../netlink/addr.js';
import { formatHost, prefetchHosts } from './resolve.js';

const USAGE = `Usage: ip maddr [ add | del ] MULTIADDR dev STRING
       ip maddr show [ dev STRING ]`;

/** One multicast membership. */
export interface MaddrEntry {
  readonly index: number;
  readonly name: string;
  /** 17 (AF_PACKET, link layer), 2 or 10. */
  readonly family: number;
  readonly addr: Buffer;
  readonly users: number;
  readonly features: string | undefined;
}

/** parse_hex(): pairs of hex digits; null on an odd length or bad digit. */
function parseHex(s: string): Buffer | null {
  if (s.length % 2) return null;
  if (!/^[0-9a-fA-F]*$/.test(s)) return null;
  return Buffer.from(s, 'hex');
}

/** maddr_ins(): insert before the first entry of a greater ifindex (equal ones keep reading order). */
function insert(list: MaddrEntry[], m: MaddrEntry): void {
  let i = 0;
  while (i < list.length && !(list[i]!.index > m.index)) i++;
  list.splice(i, 0, m);
}

/** Parse /proc/net/dev_mcast text. */
export function parseDevMcast(text: string, dev: string | undefined, out: MaddrEntry[]): void {
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const [idx, name, users, st, hexa] = f as [string, string, string, string, string];
    if (dev !== undefined && dev !== name) continue;
    const addr = parseHex(hexa);
    if (!addr) continue;
    insert(out, { index: Number(idx), name, family: 17, addr, users: Number(users), features: Number(st) ? 'static' : undefined });
  }
}

/** Parse /proc/net/igmp text. */
export function parseIgmp(text: string, dev: string | undefined, out: MaddrEntry[]): void {
  const lines = text.split('\n');
  let index = 0;
  let name = '';
  for (const line of lines.slice(1)) {
    if (!line) continue;
    if (line[0] !== '\t') {
      const f = line.trim().split(/\s+/);
      index = Number(f[0]);
      name = (f[1] ?? '').replace(/:$/, '');
      continue;
    }
    if (dev !== undefined && dev !== name) continue;
    const f = line.trim().split(/\s+/);
    const v = parseInt(f[0] ?? '0', 16) >>> 0;
    const addr = Buffer.alloc(4);
    addr.writeUInt32LE(v, 0); // the kernel prints the be32 group as a host-order number
    insert(out, { index, name, family: 2, addr, users: Number(f[1] ?? 0), features: undefined });
  }
}

/** Parse /proc/net/igmp6 text. */
export function parseIgmp6(text: string, dev: string | undefined, out: MaddrEntry[]): void {
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4) continue;
    const [idx, name, hexa, users] = f as [string, string, string, string];
    if (dev !== undefined && dev !== name) continue;
    const addr = parseHex(hexa);
    if (!addr) continue;
    insert(out, { index: Number(idx), name, family: 10, addr, users: Number(users), features: undefined });
  }
}

/** Read /proc/net files of the namespace `netns` (or ours). */
async function readProcNet(files: readonly string[], netns: string | undefined): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const read = (dir: string): void => {
    for (const f of files) {
      try { out.set(f, readFileSync(`${dir}/${f}`, 'utf8')); } catch { /* missing: as iproute2, skip */ }
    }
  };
  if (netns === undefined) { read('/proc/net'); return out; }
  const path = String(netnsTarget(netns));
  const want = statSync(path).ino;
  const child = native.spawnInNetns(path, ['sleep', '10'], null);
  try {
    // Wait until the child has joined the namespace before reading its /proc/PID/net.
    for (let i = 0; i < 500; i++) {
      let ino = -1;
      try { ino = statSync(`/proc/${child.pid}/ns/net`).ino; } catch { /* not yet */ }
      if (ino === want) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    read(`/proc/${child.pid}/net`);
  } finally {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
    for (let i = 0; i < 100 && !native.waitPidfd(child.pidfd); i++) await new Promise((r) => setTimeout(r, 2));
    native.close(child.pidfd);
  }
  return out;
}

function familyWord(f: number): string {
  return f === 2 ? 'inet' : f === 10 ? 'inet6' : 'link';
}

async function list(ctx: CliContext, args: Args): Promise<number> {
  let dev: string | undefined;
  while (args.left) {
    let t = args.next()!;
    if (t === 'dev') t = args.value();
    else if (matches(t, 'help')) throw new CliError(USAGE);
    if (dev !== undefined) duparg2('dev', t);
    dev = t;
  }
  const family = ctx.opts.family;
  const files = await readProcNet(['dev_mcast', 'igmp', 'igmp6'], ctx.opts.netns);
  const entries: MaddrEntry[] = [];
  if (!family || family === 17) parseDevMcast(files.get('dev_mcast') ?? '', dev, entries);
  if (!family || family === 2) parseIgmp(files.get('igmp') ?? '', dev, entries);
  if (!family || family === 10) parseIgmp6(files.get('igmp6') ?? '', dev, entries);
  if (ctx.opts.resolve) await prefetchHosts(entries.filter((m) => m.family !== 17).map((m) => formatAddress(m.addr)));
  const p = ctx.printer;
  p.start();
  let cur = 0;
  for (const m of entries) {
    if (m.index !== cur || ctx.opts.oneline) {
      if (cur) { p.closeArray(JSON_ONLY, ''); p.closeObject(); }
      p.openObject();
      p.uint(ANY, 'ifindex', '%d:', m.index);
      p.colorString(ANY, COLOR_IFNAME, 'ifname', '\t%s', m.name);
      p.nl();
      cur = m.index;
      p.openArray(JSON_ONLY, 'maddr');
    }
    p.string(FP, null, '\t', null);
    p.openObject();
    if (m.family === 17) {
      p.string(FP, null, 'link  ', null);
      p.colorString(ANY, COLOR_MAC, 'link', '%s', formatLladdr(m.addr));
    } else {
      p.string(ANY, 'family', '%-5s ', familyWord(m.family));
      p.colorString(ANY, familyColor(m.family), 'address', '%s', formatHost(formatAddress(m.addr)));
    }
    if (m.users !== 1) p.uint(ANY, 'users', ' users %u', m.users);
    if (m.features) p.string(ANY, 'features', ' %s', m.features);
    p.string(FP, null, '\n', null);
    p.closeObject();
  }
  if (cur) { p.closeArray(JSON_ONLY, ''); p.closeObject(); }
  p.finish();
  return 0;
}

const SIOCADDMULTI = 0x8931;
const SIOCDELMULTI = 0x8932;
const ETH_ALEN = 6;

/** multiaddr_modify(): join/leave a link-layer multicast address with SIOCADDMULTI/SIOCDELMULTI. */
async function modify(ctx: CliContext, args: Args, cmd: number): Promise<number> {
  let dev = '';
  let hw: Buffer | undefined;
  while (args.left) {
    const t = args.next()!;
    if (t === 'dev') {
      const v = args.value();
      if (dev) duparg('dev', v);
      if (!v || Buffer.byteLength(v) >= 16 || /[\/\s]/.test(v)) invarg('"dev" not a valid ifname', v);
      dev = v;
    } else {
      let v = t;
      if (matches(t, 'address')) v = args.value();
      if (matches(v, 'help')) throw new CliError(USAGE);
      // iproute2 tests the first byte of the stored address for "already given".
      if (hw && hw[0]) duparg('address', v);
      const b = llAddrA2n(v, 14);
      if (b.length !== ETH_ALEN) throw new CliError(`Error: Invalid address length ${b.length} - must be ${ETH_ALEN} bytes`, 1);
      hw = b;
    }
  }
  if (!dev) throw new CliError('Not enough information: "dev" is required.');
  const family = ctx.opts.family === 10 || ctx.opts.family === 17 ? ctx.opts.family : 2;
  let fd = -1;
  try {
    fd = native.socket(family, 2 /* SOCK_DGRAM */, 0, ctx.opts.netns === undefined ? null : netnsTarget(ctx.opts.netns));
  } catch (e) {
    throw new CliError(`Cannot create socket: ${(e as Error).message.replace(/^[^:]*: /, '')}`, 1);
  }
  try {
    // struct ifreq: ifr_name[16], then ifr_hwaddr (sa_family = AF_UNSPEC, sa_data[14]).
    const ifr = Buffer.alloc(40);
    ifr.write(dev, 0, 'utf8');
    hw?.copy(ifr, 18);
    native.ioctl(fd, cmd, ifr);
  } catch (e) {
    throw new CliError(`ioctl: ${(e as Error).message.replace(/^[^:]*: /, '')}`, 1);
  } finally {
    native.close(fd);
  }
  return 0;
}

/** `ip maddress …` */
export default async function ipMaddress(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined) return list(ctx, args);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return list(ctx, args);
  if (matches(cmd, 'help')) throw new CliError(USAGE);
  if (matches(cmd, 'add')) return modify(ctx, args, SIOCADDMULTI);
  if (matches(cmd, 'delete')) return modify(ctx, args, SIOCDELMULTI);
  throw new CliError(`Command "${cmd}" is unknown, try "ip maddr help".`);
}
