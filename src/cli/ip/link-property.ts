/**
 * `ip link property { add | del } dev DEV altname NAME…` (iproute2's
 * iplink_prop()): alternative interface names, RTM_NEWLINKPROP /
 * RTM_DELLINKPROP with an IFLA_PROP_LIST nest of IFLA_ALT_IFNAME strings.
 * @module
 */
import { CliError, Args, matches, duparg2, invarg } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { RTM, NLM_F } from '../../netlink/constants.js';
import { IFLA } from '../../netlink/rtnetlink/link-schema.js';
import { ifinfomsg } from '../../netlink/structs.js';
import type { RequestBuilder } from '../../netlink/socket.js';
import { linkUsage } from './link-parse.js';

const NLA_F_NESTED = 0x8000;

/** check_altifname(): not empty, no '/' and no white space. */
function validAltname(name: string): boolean {
  return name.length > 0 && !/[/ \t\n\v\f\r]/.test(name);
}

/** A parsed property change, ready to send once `dev` has its index. */
export interface PropertyRequest {
  readonly type: number;
  readonly flags: number;
  readonly dev: string;
  readonly altnames: readonly string[];
}

/** iplink_prop() / iplink_prop_mod(): the grammar and its errors; nothing is sent. */
export function parseProperty(argv: readonly string[]): PropertyRequest {
  const args = new Args(argv);
  const op = args.next();
  if (op === undefined) linkUsage();
  let type: number;
  let flags = 0;
  if (matches(op, 'add')) {
    type = RTM.NEWLINKPROP;
    flags = NLM_F.EXCL | NLM_F.CREATE | NLM_F.APPEND;
  } else if (matches(op, 'del')) {
    type = RTM.DELLINKPROP;
  } else if (matches(op, 'help')) {
    linkUsage();
  } else {
    throw new CliError('Operator required', 255);
  }
  let dev: string | undefined;
  const altnames: string[] = [];
  while (args.left) {
    let a = args.next()!;
    if (matches(a, 'altname')) {
      const v = args.value();
      if (!validAltname(v)) invarg('not a valid altname', v);
      altnames.push(v);
    } else if (matches(a, 'help')) {
      linkUsage();
    } else {
      if (a === 'dev') a = args.value();
      if (dev !== undefined) duparg2('dev', a);
      if (!validAltname(a)) invarg('"dev" not a valid ifname', a);
      dev = a;
    }
  }
  if (dev === undefined) throw new CliError('Not enough of information: "dev" argument is required.', 255);
  return { type, flags, dev, altnames };
}

/** The request's bytes for interface `index` and family `family` (-4/-6/-0 as iproute2's preferred_family). */
export function propertyRequest(p: PropertyRequest, index: number, family: number): RequestBuilder {
  return (w, seq) => {
    const start = w.beginMessage(p.type, p.flags | NLM_F.REQUEST | NLM_F.ACK, seq);
    ifinfomsg.encode(w, { ...ifinfomsg.zero, family, index }, {});
    const list = w.beginAttr(IFLA.PROP_LIST | NLA_F_NESTED);
    for (const n of p.altnames) {
      const at = w.beginAttr(IFLA.ALT_IFNAME);
      w.cstring(n);
      w.endAttr(at);
    }
    w.endAttr(list);
    w.endMessage(start);
  };
}

/** `ip link property …` */
export async function linkProperty(ctx: CliContext, argv: readonly string[], index: (name: string) => Promise<number>): Promise<number> {
  const p = parseProperty(argv);
  const i = await index(p.dev);
  if (!i) {
    ctx.warn(`Cannot find device "${p.dev}"`);
    return 1;
  }
  const nl = await ctx.netlink();
  await nl.socket.request(propertyRequest(p, i, ctx.opts.family), p.type === RTM.NEWLINKPROP ? 'add link property' : 'delete link property');
  return 0;
}
