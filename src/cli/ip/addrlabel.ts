/**
 * `ip addrlabel { add | del } prefix PREFIX [dev DEV] [label LABEL]`,
 * `ip addrlabel [list | flush]`: the IPv6 address selection label table, as
 * iproute2's ip/ipaddrlabel.c (RTM_*ADDRLABEL).
 * @module
 */
import { Args, CliError, matches, invarg } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkError } from '../../netlink/errors.js';
import { kernelErrorText } from '../common/errors.js';
import { RTM, NLM_F } from '../../netlink/constants.js';
import { rtRequest, CREATE_FLAGS } from '../../netlink/rtnetlink/request.js';
import { addrlabelMessage, ifaddrlblmsg, type AddrlabelAttrs, type IfAddrLblMsg } from '../../netlink/rtnetlink/addrlabel-schema.js';
import type { AddressLabel } from '../../netlink/addrlabel.js';
import { ANY, FP } from '../../output/printer.js';
import { COLOR_IFNAME, familyColor } from '../../output/color.js';
import { LinkMap } from './ll-map.js';
import { getPrefix, getUnsigned, type InetPrefix } from './inet-args.js';

const USAGE = `Usage: ip addrlabel { add | del } prefix PREFIX [ dev DEV ] [ label LABEL ]
       ip addrlabel [ list | flush | help ]`;

const AF_UNSPEC = 0, AF_INET6 = 10;

function usage(): never {
  throw new CliError(USAGE);
}

/** print_addrlabel() */
export function printAddrlabel(ctx: CliContext, l: AddressLabel, deleted: boolean, nameOf: (i: number) => string): void {
  const p = ctx.printer;
  p.openObject();
  if (deleted) p.bool(ANY, 'deleted', 'Deleted ', true);
  if (l.raw.attrs.address !== undefined) {
    p.string(FP, null, 'prefix ', null);
    p.colorString(ANY, familyColor(l.family), 'address', '%s', l.address ?? '');
    p.uint(ANY, 'prefixlen', '/%u ', l.prefixlen);
  }
  if (l.ifindex) {
    p.string(FP, null, 'dev ', null);
    p.colorString(ANY, COLOR_IFNAME, 'ifname', '%s ', nameOf(l.ifindex));
  }
  if (l.label !== undefined) p.uint(ANY, 'label', 'label %u ', l.label);
  p.string(FP, null, '\n', '');
  p.closeObject();
}

/** ipaddrlabel_list() */
async function list(ctx: CliContext, args: Args): Promise<number> {
  const af = ctx.opts.family || AF_INET6;
  if (args.left) throw new CliError('"ip addrlabel show" does not take any arguments.', 1);
  const nl = await ctx.netlink();
  const p = ctx.printer;
  let links: LinkMap | undefined;
  p.start();
  try {
    const entries = await nl.addrlabel.list(af).toArray();
    if (entries.some((l) => l.ifindex)) links = await LinkMap.load(ctx);
    for (const l of entries) printAddrlabel(ctx, l, false, (i) => links?.name(i) ?? `if${i}`);
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    // iproute2 leaves its JSON array open here; the "[" leaves stdio's buffer at exit.
    process.stderr.write(kernelErrorText(e) + 'Dump terminated\n');
    return 255;
  }
  p.finish();
  return 0;
}

/** ipaddrlabel_modify() */
async function modify(ctx: CliContext, args: Args, cmd: number): Promise<number> {
  const family = ctx.opts.family;
  const header: IfAddrLblMsg = { ...ifaddrlblmsg.zero, family };
  let prefix: InetPrefix | undefined;
  let label: number | undefined;
  let links: LinkMap | undefined;
  for (let a = args.next(); a !== undefined; a = args.next()) {
    if (a === 'prefix') {
      prefix = getPrefix(args.value(), family);
    } else if (a === 'dev') {
      const v = args.value();
      links ??= await LinkMap.load(ctx);
      header.index = links.index(v);
      if (!header.index) invarg('dev is invalid\n', v);
    } else if (a === 'label') {
      const v = args.value();
      const n = /^\s*-/.test(v) ? undefined : getUnsigned(v);
      if (n === undefined || n === 0xffffffff) invarg('label is invalid\n', v);
      label = n;
    }
    // Other words are skipped, as iproute2 does.
  }
  if (!prefix) throw new CliError('Not enough information: "prefix" argument is required.', 1);
  if (label === undefined) throw new CliError('Not enough information: "label" argument is required.', 1);
  const attrs: AddrlabelAttrs = { label, address: prefix.bytes };
  header.prefixlen = prefix.bitlen & 0xff;
  if (header.family === AF_UNSPEC) header.family = AF_INET6;
  const nl = await ctx.netlink();
  const flags = cmd === RTM.NEWADDRLABEL ? CREATE_FLAGS : NLM_F.ACK;
  try {
    await nl.socket.request(rtRequest(addrlabelMessage, cmd, flags, header, attrs), 'address label');
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    ctx.warn(kernelErrorText(e));
    return 2;
  }
  return 0;
}

/** ipaddrlabel_flush() */
async function flush(ctx: CliContext, args: Args): Promise<number> {
  const af = ctx.opts.family || AF_INET6;
  if (args.left) throw new CliError('"ip addrlabel flush" does not allow extra arguments', 1);
  const nl = await ctx.netlink();
  try {
    const entries = await nl.addrlabel.list(af).toArray();
    for (const l of entries) {
      if (l.raw.attrs.address === undefined) continue;
      await nl.socket.request(rtRequest(addrlabelMessage, RTM.DELADDRLABEL, NLM_F.ACK, l.raw.header, l.raw.attrs), 'flush address labels');
    }
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    ctx.warn(kernelErrorText(e));
    ctx.warn('Flush terminated');
    return 1;
  }
  return 0;
}

/** `ip addrlabel …` (do_ipaddrlabel) */
export default async function ipAddrlabel(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined) return list(ctx, args);
  if (matches(cmd, 'list') || matches(cmd, 'lst') || matches(cmd, 'show')) return list(ctx, args);
  if (matches(cmd, 'add')) return modify(ctx, args, RTM.NEWADDRLABEL);
  if (matches(cmd, 'delete')) return modify(ctx, args, RTM.DELADDRLABEL);
  if (matches(cmd, 'flush')) return flush(ctx, args);
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip addrlabel help".`);
}
