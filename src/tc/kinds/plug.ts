/**
 * plug (buffer packets until released; used for checkpoint/restart):
 * struct tc_plug_qopt, grammar as iproute2's tc/q_plug.c. The kernel does
 * not dump plug options, so there is nothing to print.
 * @module
 */
import { struct, s32, u32, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind } from '../kind.js';
import { Tokens, fail, usage, getSize } from './util.js';

/** TCQ_PLUG_* actions. */
export const TCQ_PLUG = constants('TCQ_PLUG_', ['linux/pkt_sched.h'], {
  BUFFER: 0, RELEASE_ONE: 1, RELEASE_INDEFINITE: 2, LIMIT: 3,
});

/** struct tc_plug_qopt. */
export const plugOptions = struct('tc_plug_qopt', { action: s32, limit: u32 });
/** Decoded plug options. */
export type PlugOptions = Infer<typeof plugOptions>;

/** `tc qdisc add … plug help`. */
export const PLUG_USAGE = 'Usage: ... plug [block | release | release_indefinite | limit NUMBER]\n';

/** tc(8) plug grammar; undefined when no action was given (iproute2 sends no TCA_OPTIONS). */
export function parsePlug(argv: readonly string[]): PlugOptions | undefined {
  const a = new Tokens(argv);
  const o: PlugOptions = { action: 0, limit: 0 };
  let ok = 0;
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (t === 'block') { o.action = TCQ_PLUG.BUFFER; ok++; }
    else if (t === 'release') { o.action = TCQ_PLUG.RELEASE_ONE; ok++; }
    else if (t === 'release_indefinite') { o.action = TCQ_PLUG.RELEASE_INDEFINITE; ok++; }
    else if (t === 'limit') {
      o.action = TCQ_PLUG.LIMIT;
      const v = a.next();
      const n = getSize(v);
      if (n === null) fail(`Illegal value for "limit": "${v}"`);
      o.limit = n; ok++;
    } else if (t === 'help') fail(usage(PLUG_USAGE));
    else fail(`plug: unknown parameter "${t}"\n${usage(PLUG_USAGE)}`);
  }
  return ok ? o : undefined;
}

/** The plug kind module. */
export const plugKind: QdiscKind<PlugOptions> = {
  kind: 'plug',
  options: plugOptions,
  usage: PLUG_USAGE,
  parse: (tokens) => parsePlug(tokens),
  print: () => {},
};

registerQdiscKind(plugKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    plug: PlugOptions;
  }
}
