/**
 * `tc monitor`: print qdisc and class notifications as tc/tc_monitor.c does
 * (filters, chains and actions are handed to their printers once those
 * modules register one with {@link registerTcMonitorPrinter}).
 * @module
 */
import { CliError, matches } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkSocket, type MessageView } from '../../netlink/socket.js';
import { NETLINK, NLMSG, RTM, RTNLGRP } from '../../netlink/constants.js';
import type { Printer } from '../../output/printer.js';
import { printQdisc } from './qdisc.js';
import { printClass } from './class.js';
import { linkMap, tcEnv, TcExit, loadAllKinds } from './common.js';

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

/** `tc monitor [file FILE]` */
export default async function tcMonitorCmd(ctx: CliContext, argv: readonly string[]): Promise<number> {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (matches(a, 'file')) {
      throw new CliError('rip tc monitor: "file" (replay of saved messages) is not supported yet', 1);
    } else if (matches(a, 'help')) {
      throw new TcExit(USAGE, 255);
    } else {
      throw new TcExit(`Argument "${a}" is unknown, try "tc monitor help".`, 255);
    }
  }
  const sock = NetlinkSocket.open(NETLINK.ROUTE, { ...(ctx.opts.netns !== undefined ? { netns: ctx.opts.netns } : {}), groups: [RTNLGRP.TC] });
  await loadAllKinds();
  const names = await linkMap(ctx);
  const env = tcEnv(ctx);
  const p = ctx.printer;
  const noFilter = { ifindex: 0, parent: 0, handle: 0, qdisc: 0, classid: 0 };
  await new Promise<void>((resolve) => {
    sock.subscribe((ev) => {
      if (ev.kind === 'overflow') return;
      const m = ev.message;
      if (ctx.opts.timestamp) p.rawText(timestamp(ctx.opts.timestamp > 1));
      if (m.type === RTM.NEWQDISC || m.type === RTM.DELQDISC) printQdisc(p, m, env, names, noFilter);
      else if (m.type === RTM.NEWTCLASS || m.type === RTM.DELTCLASS) printClass(p, m, env, names, noFilter);
      else {
        const pr = printers.get(m.type);
        if (pr) pr(p, m, ctx);
        else if (m.type !== NLMSG.ERROR && m.type !== NLMSG.NOOP && m.type !== NLMSG.DONE) {
          p.flush();
          process.stderr.write(`Unknown message: length ${String(m.len + 16).padStart(8, '0')} type ${m.type.toString(16).padStart(8, '0')} flags ${m.flags.toString(16).padStart(8, '0')}\n`);
        }
      }
      p.flush();
    });
    const stop = (): void => { sock.close(); resolve(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
