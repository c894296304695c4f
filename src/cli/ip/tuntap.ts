/**
 * `ip tuntap` / `ip tap`: add, del, show — as iproute2 6.1's ip/iptuntap.c,
 * over rip/tuntap.
 *
 * One deliberate difference: with `-j -d` and processes attached, iproute2
 * 6.1 writes `"processes":["name":"x","pid":1]` (keys inside an array, not
 * JSON); we write `"processes":[{"name":"x","pid":1}]`. Text output and every
 * other JSON output are the same.
 * @module
 */
import { Args, CliError, duparg2, incomplete, invarg, matches } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { ANY, FP, JSON_ONLY } from '../../output/printer.js';
import { COLOR_IFNAME } from '../../output/color.js';
import { strerror, errnoNumber } from '../../netlink/errno.js';
import { TunTap } from '../../tuntap/device.js';
import { TunTapError } from '../../tuntap/errors.js';
import { TUN_FLAG, TUN_TYPE } from '../../tuntap/constants.js';
import { listTunTap } from '../../tuntap/list.js';
import { tunTapProcesses } from '../../tuntap/procs.js';
import { checkIfname } from './inet-args.js';
import { uidOf, gidOf } from '../common/passwd.js';

const USAGE = `Usage: ip tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]
       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]

Where: USER  := { STRING | NUMBER }
       GROUP := { STRING | NUMBER }`;

function usage(): never {
  throw new CliError(USAGE);
}

/** uid_t/gid_t -1: "not given". */
const NO_ID = 0xffffffff;

/** What parse_args() fills in: the ifreq and the owner ids. */
interface TuntapArgs {
  readonly name: string;
  readonly flags: number;
  readonly uid: number;
  readonly gid: number;
}

/**
 * `user`/`group` values: a whole decimal number (strtol base 10, the result
 * truncated to 32 bits as the C assignment does, so -1 means "none"), else a
 * name looked up in the user/group database.
 */
function parseId(v: string, lookup: (name: string) => number | undefined, what: 'user' | 'group'): number {
  if (/^[ \t\n\v\f\r]*[+-]?[0-9]+$/.test(v)) {
    let n = BigInt(v.trim());
    const LONG_MAX = (1n << 63n) - 1n;
    if (n > LONG_MAX) n = LONG_MAX;
    if (n < -LONG_MAX - 1n) n = -LONG_MAX - 1n;
    return Number(BigInt.asUintN(32, n));
  }
  const id = lookup(v);
  if (id === undefined) throw new CliError(`invalid ${what} "${v}"`);
  return id;
}

/**
 * parse_args(): the grammar shared by add and del. `del` has no user/group
 * keywords (iproute2 passes no uid/gid there), so those words are names.
 * Returns undefined after "You failed to specify a tunnel mode" (exit 1).
 */
function parseArgs(ctx: CliContext, argv: readonly string[], withIds: boolean): TuntapArgs | undefined {
  let flags: number = TUN_FLAG.NO_PI;
  let name = '';
  let uid = NO_ID;
  let gid = NO_ID;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]!;
    const value = (): string => {
      if (++i >= argv.length) incomplete();
      return argv[i]!;
    };
    if (matches(a, 'mode')) {
      const m = value();
      if (matches(m, 'tun')) {
        if (flags & TUN_FLAG.TAP) throw new CliError('You managed to ask for more than one tunnel mode.');
        flags |= TUN_FLAG.TUN;
      } else if (matches(m, 'tap')) {
        if (flags & TUN_FLAG.TUN) throw new CliError('You managed to ask for more than one tunnel mode.');
        flags |= TUN_FLAG.TAP;
      } else {
        throw new CliError(`Unknown tunnel mode "${m}"`);
      }
    } else if (withIds && matches(a, 'user')) {
      uid = parseId(value(), uidOf, 'user');
    } else if (withIds && matches(a, 'group')) {
      gid = parseId(value(), gidOf, 'group');
    } else if (matches(a, 'pi')) {
      flags &= ~TUN_FLAG.NO_PI;
    } else if (matches(a, 'one_queue')) {
      flags |= TUN_FLAG.ONE_QUEUE;
    } else if (matches(a, 'vnet_hdr')) {
      flags |= TUN_FLAG.VNET_HDR;
    } else if (matches(a, 'multi_queue')) {
      flags |= TUN_FLAG.MULTI_QUEUE;
    } else if (matches(a, 'dev')) {
      const v = value();
      if (!checkIfname(v)) invarg('"dev" not a valid ifname', v);
      name = v;
    } else {
      // `name NAME`, or a bare word taken as the name.
      if (matches(a, 'name')) a = value();
      else if (matches(a, 'help')) usage();
      if (name) duparg2('name', a);
      if (!checkIfname(a)) invarg('"name" not a valid ifname', a);
      name = a;
    }
  }
  if (!(flags & TUN_TYPE.TYPE_MASK)) {
    ctx.warn('You failed to specify a tunnel mode');
    return undefined;
  }
  return { name, flags, uid, gid };
}

/** Attach with `a`'s flags, apply owner/group/persist, close: tap_add_ioctl() / tap_del_ioctl(). */
function attachAndClose(ctx: CliContext, a: TuntapArgs, persist: boolean, exclusive: boolean): number {
  const f = a.flags;
  try {
    const dev = TunTap.openSync({
      mode: f & TUN_FLAG.TAP ? 'tap' : 'tun',
      ...(a.name ? { name: a.name } : {}),
      ...(ctx.opts.netns !== undefined ? { netns: ctx.opts.netns } : {}),
      packetInfo: !(f & TUN_FLAG.NO_PI),
      oneQueue: (f & TUN_FLAG.ONE_QUEUE) !== 0,
      vnetHdr: (f & TUN_FLAG.VNET_HDR) !== 0,
      multiQueue: (f & TUN_FLAG.MULTI_QUEUE) !== 0,
      exclusive,
      ...(a.uid !== NO_ID ? { owner: a.uid } : {}),
      ...(a.gid !== NO_ID ? { group: a.gid } : {}),
      persist,
    });
    dev.close();
    return 0;
  } catch (e) {
    if (!(e instanceof TunTapError)) throw e;
    ctx.warn(e.message); // perror("ioctl(TUNSETIFF)") etc.
    return 1;
  }
}

/** `ip tuntap add …` */
function add(ctx: CliContext, argv: readonly string[]): number {
  const a = parseArgs(ctx, argv, true);
  if (!a) return 1;
  return attachAndClose(ctx, a, true, true);
}

/** `ip tuntap del …`: attach and clear IFF_PERSIST; the device goes with the fd. */
function del(ctx: CliContext, argv: readonly string[]): number {
  const a = parseArgs(ctx, argv, false);
  if (!a) return 1;
  return attachAndClose(ctx, a, false, false);
}

/** `ip tuntap show` (extra arguments are ignored, as iproute2 does). */
async function show(ctx: CliContext): Promise<number> {
  const devices = await listTunTap({
    netlink: await ctx.netlink(),
    ...(ctx.opts.netns !== undefined ? { netns: ctx.opts.netns } : {}),
  });
  // iproute2 scans /proc once per device (show_processes()); one scan finds the same.
  const procs = ctx.opts.details && devices.length
    ? tunTapProcesses({
        excludePid: process.pid,
        onError: (op, err) => ctx.warn(`${op}: ${strerror(errnoNumber(err.code ?? '') ?? 0)}`),
      })
    : undefined;
  const p = ctx.printer;
  p.start();
  for (const d of devices) {
    p.openObject();
    p.colorString(ANY, COLOR_IFNAME, 'ifname', '%s:', d.ifname);
    p.openArray(JSON_ONLY, 'flags');
    for (const w of d.flags) p.string(ANY, null, ' %s', w);
    p.closeArray(JSON_ONLY, '');
    if (d.user !== undefined) p.u64(ANY, 'user', ' user %ld', d.user);
    if (d.group !== undefined) p.u64(ANY, 'group', ' group %ld', d.group);
    if (procs) {
      p.string(FP, null, '%s\tAttached to processes:', p.lineSep);
      p.openArray(JSON_ONLY, 'processes');
      for (const proc of procs.get(d.ifname) ?? []) {
        p.openObject();
        p.string(ANY, 'name', '%s', proc.name);
        p.uint(ANY, 'pid', '(%d)', proc.pid);
        p.closeObject();
      }
      p.closeArray(JSON_ONLY, '');
    }
    p.closeObject();
    p.string(FP, null, '%s', '\n');
  }
  p.finish();
  return 0;
}

/** `ip tuntap …` / `ip tap …` */
export default async function ipTuntap(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined) return show(ctx);
  if (matches(cmd, 'add')) return add(ctx, args.rest());
  if (matches(cmd, 'delete')) return del(ctx, args.rest());
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return show(ctx);
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip tuntap help".`);
}
