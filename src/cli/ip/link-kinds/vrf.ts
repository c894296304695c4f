/**
 * `ip link … type vrf …` and the vrf_slave printer (iproute2 ip/iplink_vrf.c).
 * @module
 */
import { CliError, invarg, matches } from '../../common/args.js';
import { ANY, type Printer } from '../../../output/printer.js';
import { tableId } from '../rtnl-names.js';
import { USAGE_VRF } from './usage.js';
import { nextArg, type KindCli, type KindAttrs } from './util.js';

function explain(prefix = ''): never {
  throw new CliError(prefix + USAGE_VRF.replace(/\n$/, ''), 1);
}

export const vrf: KindCli = {
  usage: USAGE_VRF,
  parse(args) {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (matches(a, 'table')) {
        const v = nextArg(args, i++);
        const t = tableId(v);
        if (t === undefined) invarg('invalid table ID\n', v);
        out.table = t;
      } else if (matches(a, 'help')) explain();
      else explain(`vrf: unknown option "${a}"?\n`);
    }
    return out;
  },
  print(p: Printer, d: KindAttrs) {
    if (d.table !== undefined) p.uint(ANY, 'table', 'table %u ', d.table as number);
  },
};

export const vrfSlave: KindCli = {
  usage: USAGE_VRF,
  parse() { return {}; },
  print(p: Printer, d: KindAttrs) {
    if (d.table !== undefined) p.uint(ANY, 'table', 'table %u ', d.table as number);
  },
};
