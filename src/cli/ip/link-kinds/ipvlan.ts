/**
 * `ip link … type ipvlan|ipvtap …` (iproute2 ip/iplink_ipvlan.c).
 * @module
 */
import { CliError, matches } from '../../common/args.js';
import { ANY, type Printer } from '../../../output/printer.js';
import { IPVLAN_F } from '../../../netlink/rtnetlink/kinds/ipvlan.js';
import { USAGE_IPVLAN } from './usage.js';
import { fmtUsage, nextArg, type KindCli, type KindAttrs } from './util.js';

/** An ipvlan-family kind module (`ipvlan` or `ipvtap`). */
export function ipvlan(kind: string): KindCli {
  const usage = fmtUsage(USAGE_IPVLAN, kind).replace(/\n$/, '');
  return {
    usage: USAGE_IPVLAN,
    parse(args) {
      const out: Record<string, unknown> = {};
      let flags = 0, given = false;
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (matches(a, 'mode')) {
          const v = nextArg(args, i++);
          const m = ['l2', 'l3', 'l3s'].indexOf(v);
          if (m < 0) throw new CliError('Error: argument of "mode" must be either "l2", "l3" or "l3s"', 1);
          out.mode = m;
        } else if (matches(a, 'private') && !given) {
          flags |= IPVLAN_F.PRIVATE; given = true;
        } else if (matches(a, 'vepa') && !given) {
          flags |= IPVLAN_F.VEPA; given = true;
        } else if (matches(a, 'bridge') && !given) {
          given = true;
        } else if (matches(a, 'help')) {
          throw new CliError(usage, 1);
        } else {
          throw new CliError(`${kind}: unknown option "${a}"?\n${usage}`, 1);
        }
      }
      out.flags = flags;
      return out;
    },
    print(p: Printer, d: KindAttrs) {
      if (d.mode !== undefined) p.string(ANY, 'mode', ' mode %s ', ['l2', 'l3', 'l3s'][d.mode as number] ?? 'unknown');
      if (d.flags !== undefined) {
        const f = d.flags as number;
        if (f & IPVLAN_F.PRIVATE) p.bool(ANY, 'private', 'private ', true);
        else if (f & IPVLAN_F.VEPA) p.bool(ANY, 'vepa', 'vepa ', true);
        else p.bool(ANY, 'bridge', 'bridge ', true);
      }
    },
  };
}
