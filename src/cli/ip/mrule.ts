/**
 * `ip [-4|-6] mrule …`: multicast routing policy rules, which iproute2's
 * do_multirule() serves as `ip rule` with family RTNL_FAMILY_IPMR/IP6MR
 * (same grammar, output and usage text).
 * @module
 */
import { CliError, type Args } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { RTNL_FAMILY } from '../../netlink/rtnetlink/mroute-schema.js';
import { ruleCommand } from './rule.js';

const AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10;

/** `ip mrule …` (do_multirule) */
export default async function ipMrule(ctx: CliContext, args: Args): Promise<number> {
  const f = ctx.opts.family;
  let family: number;
  if (f === AF_UNSPEC || f === AF_INET || f === RTNL_FAMILY.IPMR) family = RTNL_FAMILY.IPMR;
  else if (f === AF_INET6 || f === RTNL_FAMILY.IP6MR) family = RTNL_FAMILY.IP6MR;
  else throw new CliError(`Multicast rules are only supported for IPv4/IPv6, was: ${f}`);
  return ruleCommand(ctx, args, family);
}
