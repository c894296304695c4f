/**
 * What `ip xfrm state` and `ip xfrm policy` share to run a command: the
 * NETLINK_XFRM handle of the context's namespace, iproute2's rtnl_talk()
 * error handling, and the printers' options.
 * @module
 */
import type { CliContext } from '../common/context.js';
import { NetlinkError } from '../../netlink/errors.js';
import { kernelErrorText } from '../common/errors.js';
import type { RequestBuilder, MessageView } from '../../netlink/socket.js';
import { Xfrm } from '../../netlink/xfrm.js';
import type { LinkMap } from './ll-map.js';
import type { XfrmPrintOptions } from './xfrm-print.js';

/** The printers' options for this command line. */
export function printOptions(ctx: CliContext, family: number, links: LinkMap | undefined): XfrmPrintOptions {
  return { stats: ctx.opts.stats, sl: ctx.opts.oneline ? '\\' : '\n', family, ifname: (i) => links?.name(i) ?? `if${i}` };
}

/** An xfrm handle in the context's namespace. */
export async function openXfrm(ctx: CliContext): Promise<Xfrm> {
  return Xfrm.open(ctx.opts.netns !== undefined ? { netns: ctx.opts.netns } : {});
}

/** Run `fn` with an xfrm handle that is closed afterwards. */
export async function withXfrm(ctx: CliContext, fn: (x: Xfrm) => Promise<number>): Promise<number> {
  const x = await openXfrm(ctx);
  try {
    return await fn(x);
  } finally {
    x.close();
  }
}

/** rtnl_talk(): send, and on a kernel error print it and return exit status 2. */
export async function talk(ctx: CliContext, x: Xfrm, build: RequestBuilder, what: string): Promise<MessageView[] | number> {
  try {
    return await x.socket.request(build, what);
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    ctx.warn(kernelErrorText(e));
    return 2;
  }
}
