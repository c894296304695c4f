/**
 * `ip xfrm { state | policy | monitor } …`: IPsec configuration over
 * NETLINK_XFRM, as iproute2's ip/ipxfrm.c dispatches it.
 * @module
 */
import { Args, CliError, matches } from '../common/args.js';
import type { CliContext } from '../common/context.js';

const USAGE = `Usage: ip xfrm XFRM-OBJECT { COMMAND | help }
where  XFRM-OBJECT := state | policy | monitor`;

/** `ip xfrm …` (do_xfrm) */
export default async function ipXfrm(ctx: CliContext, args: Args): Promise<number> {
  const argv = args.rest();
  const obj = argv[0];
  if (obj === undefined) throw new CliError(USAGE);
  if (matches(obj, 'state') || matches(obj, 'sa')) return (await import('./xfrm-state.js')).doXfrmState(ctx, argv.slice(1));
  if (matches(obj, 'policy')) return (await import('./xfrm-policy.js')).doXfrmPolicy(ctx, argv.slice(1));
  if (matches(obj, 'monitor')) return (await import('./xfrm-monitor.js')).doXfrmMonitor(ctx, argv.slice(1));
  throw new CliError(USAGE);
}
