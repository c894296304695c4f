/**
 * `tc monitor [file FILE]`: print qdisc and class notifications as
 * tc/tc_monitor.c does, live or from a file of saved netlink messages
 * (filters, chains and actions are handed to their printers once those
 * modules register one with {@link registerTcMonitorPrinter}).
 * @module
 */
import { readFileSync } from 'node:fs';
import { matches } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkSocket, type MessageView } from '../../netlink/socket.js';
import { NETLINK, NLMSG, RTM, RTNLGRP } from '../../netlink/constants.js';
import type { Printer } from '../../output/printer.js';
import { printQdisc } from './qdisc.js';
import { printClass } from './class.js';
import { printFilter, filterEnv, NO_FILTER_FILTER } from './filter.js';
import type { TcEnv } from '../../tc/kind.js';
import { linkMap, tcEnv, TcExit, loadAllKinds, type TcLinks } from './common.js';

type MonitorPrinter = (p: Printer, m: MessageView, ctx: CliContext) => void;
const printers = new Map<number, MonitorPrinter>();

/** Let the filter/action modules print their notifications (message types RTM_*). */
export function registerTcMonitorPrinter(types: readonly number[], print: MonitorPrinter): void {
  for (const t of types) printers.set(t, print);
}

const USAGE = 'Usage: tc [-timestamp [-tshort] monitor';

function timestamp(short: boolean): string {
  const now = new Date();
  const usec = String(now.getMilliseconds() * 1000).padStart(6, '0');
  if (short) {
    const pad = (n: number): string => String(n).padStart(2, '0');
    return `[${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${usec}] `;
  }
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad2 = (n: number): string => String(n).padStart(2, '0');
  const asc = `${days[now.getDay()]} ${months[now.getMonth()]} ${String(now.getDate()).padStart(2, ' ')} ${pad2(now.getHours())}:${pad2(now.getMinutes())}:${pad2(now.getSeconds())} ${now.getFullYear()}`;
  return `Timestamp: ${asc} ${Number(usec)} usec\n`;
}

/** accept_tcmsg(): one notification (live or read from a file) as tc prints it. */
function printEvent(p: Printer, m: MessageView, ctx: CliContext, names: TcLinks, env: TcEnv): void {
  if (ctx.opts.timestamp) p.rawText(timestamp(ctx.opts.timestamp > 1));
  if (m.type === RTM.NEWQDISC || m.type === RTM.DELQDISC) printQdisc(p, m, env, names, NO_FILTER);
  else if (m.type === RTM.NEWTCLASS || m.type === RTM.DELTCLASS) printClass(p, m, env, names, NO_FILTER);
  else if (m.type === RTM.NEWTFILTER || m.type === RTM.DELTFILTER || m.type === RTM.NEWCHAIN || m.type === RTM.DELCHAIN) printFilter(p, m, filterEnv(ctx, '', names), names, NO_FILTER_FILTER);
  else {
    const pr = printers.get(m.type);
    if (pr) pr(p, m, ctx);
    else if (m.type !== NLMSG.ERROR && m.type !== NLMSG.NOOP && m.type !== NLMSG.DONE) {
      p.flush();
      process.stderr.write(`Unknown message: length ${String(m.len + 16).padStart(8, '0')} type ${m.type.toString(16).padStart(8, '0')} flags ${m.flags.toString(16).padStart(8, '0')}\n`);
    }
  }
  p.flush();
}

const NO_FILTER = { ifindex: 0, parent: 0, handle: 0, qdisc: 0, classid: 0 };

/** tc's buffer for one message of a file (rtnl_from_file's `char buf[16384]`). */
const FILE_MSG_MAX = 16384;

/**
 * rtnl_from_file(): the netlink messages saved in FILE (each nlmsghdr and its
 * payload padded to 4 bytes, back to back), printed as the monitor prints
 * them. Returns tc's exit status: 0 at a clean end of file, 255 after a
 * truncated or malformed message (the messages before it are printed).
 * Device names are those of the namespace tc runs in, as tc looks them up.
 */
async function fromFile(ctx: CliContext, file: string): Promise<number> {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    // fopen() succeeds on a directory; the first fread() fails.
    if (code === 'EISDIR') {
      process.stderr.write('rtnl_from_file: fread: Is a directory\n');
      return 255;
    }
    throw new TcExit(`Cannot fopen: ${errnoText(code, e)}`, 255);
  }
  await loadAllKinds();
  const names = await linkMap(ctx);
  const env = tcEnv(ctx);
  const p = ctx.printer;
  // A 4-aligned copy: messages are handed to the printers as the socket hands them out.
  const buf = Buffer.alloc(data.length);
  data.copy(buf);
  let pos = 0;
  for (;;) {
    if (pos === buf.length) return 0;
    if (buf.length - pos < 16) return truncated(p);
    const len = buf.readUInt32LE(pos);
    if (len < 16 || len > FILE_MSG_MAX) {
      p.flush();
      process.stderr.write(`!!!malformed message: len=${len | 0} @${pos + 16}\n`);
      return 255;
    }
    const body = (len - 16 + 3) & ~3;
    if (buf.length - pos - 16 < body) return truncated(p);
    const m: MessageView = {
      len: len - 16, type: buf.readUInt16LE(pos + 4), flags: buf.readUInt16LE(pos + 6),
      seq: buf.readUInt32LE(pos + 8), pid: buf.readUInt32LE(pos + 12), buf, off: pos + 16,
    };
    printEvent(p, m, ctx, names, env);
    pos += 16 + body;
  }
}

function truncated(p: Printer): number {
  p.flush();
  process.stderr.write('rtnl-from_file: truncated message\n');
  return 255;
}

/** strerror() text of a Node error code. */
function errnoText(code: string | undefined, e: unknown): string {
  switch (code) {
    case 'ENOENT': return 'No such file or directory';
    case 'EACCES': return 'Permission denied';
    case 'ENOTDIR': return 'Not a directory';
    case 'ELOOP': return 'Too many levels of symbolic links';
    case 'ENAMETOOLONG': return 'File name too long';
    default: return String((e as Error).message);
  }
}

/** `tc monitor [file FILE]` */
export default async function tcMonitorCmd(ctx: CliContext, argv: readonly string[]): Promise<number> {
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (matches(a, 'file')) {
      if (++i >= argv.length) throw new TcExit('Command line is not complete. Try option "help"', 255);
      file = argv[i]!;
    } else if (matches(a, 'help')) {
      throw new TcExit(USAGE, 255);
    } else {
      throw new TcExit(`Argument "${a}" is unknown, try "tc monitor help".`, 255);
    }
  }
  if (file !== undefined) return fromFile(ctx, file);
  const sock = NetlinkSocket.open(NETLINK.ROUTE, { ...(ctx.opts.netns !== undefined ? { netns: ctx.opts.netns } : {}), groups: [RTNLGRP.TC] });
  await loadAllKinds();
  const names = await linkMap(ctx);
  const env = tcEnv(ctx);
  const p = ctx.printer;
  await new Promise<void>((resolve) => {
    sock.subscribe((ev) => {
      if (ev.kind === 'overflow') return;
      printEvent(p, ev.message, ctx, names, env);
    });
    const stop = (): void => { sock.close(); resolve(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
