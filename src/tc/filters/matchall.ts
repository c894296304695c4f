/**
 * matchall: every packet matches; usually carries actions
 * (linux/pkt_cls.h TCA_MATCHALL_*; grammar and output of iproute2's
 * tc/f_matchall.c).
 *
 * ```ts
 * import { matchall, mirred } from 'rip/tc';
 * await nl.filter.add({ dev: 'eth0', parent: 'ingress', protocol: 'all', prio: 1, kind: 'matchall',
 *   options: matchall({ actions: [mirred({ direction: 'egress', mode: 'mirror', ifindex: 5 })] }) });
 * ```
 * @module
 */
import { attrs, attr, struct, u32, u64, bytes, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { ANY, type Printer } from '../../output/printer.js';
import type { TcEnv } from '../kind.js';
import { registerFilterKind, TCA_CLS_FLAGS, type FilterEnv, type ParsedFilter } from '../filter-kind.js';
import { actionList, printActions, type Action } from '../action.js';
import { formatClassid, toHandle, type HandleLike } from '../handle.js';
import { Tokens, matches } from '../kinds/util.js';
import { fail, actionClause, classidArg, strtolHandle } from './common.js';

/** TCA_MATCHALL_* */
export const TCA_MATCHALL = constants('TCA_MATCHALL_', ['linux/pkt_cls.h'], {
  UNSPEC: 0, CLASSID: 1, ACT: 2, FLAGS: 3, PCNT: 4, PAD: 5,
});

/** struct tc_matchall_pcnt */
export const matchallPcnt = struct('tc_matchall_pcnt', { rhit: u64 });

/** TCA_OPTIONS of matchall. */
export const matchallAttrs = attrs('matchall', {
  classid: attr(TCA_MATCHALL.CLASSID, u32),
  act: attr(TCA_MATCHALL.ACT, actionList),
  flags: attr(TCA_MATCHALL.FLAGS, u32),
  pcnt: attr(TCA_MATCHALL.PCNT, matchallPcnt),
  pad: attr(TCA_MATCHALL.PAD, bytes),
});
/** Decoded/encodable matchall options. */
export type MatchallOptions = Infer<typeof matchallAttrs>;

declare module '../filter-kind.js' {
  interface FilterOptionsMap { matchall: MatchallOptions }
}

const USAGE = 'Usage: ... matchall [skip_sw | skip_hw]\n'
  + '                 [ action ACTION_SPEC ] [ classid CLASSID ]\n'
  + '\n'
  + 'Where: SELECTOR := SAMPLE SAMPLE ...\n'
  + '       FILTERID := X:Y:Z\n'
  + '       ACTION_SPEC := ... look at individual actions\n'
  + '\n'
  + 'NOTE: CLASSID is parsed as hexadecimal input.';

function parse(handle: string | undefined, argv: readonly string[], env: TcEnv): ParsedFilter<MatchallOptions> {
  const h = handle === undefined ? 0 : strtolHandle(handle);
  if (argv.length === 0) return { handle: h, options: undefined };
  const t = new Tokens(argv);
  const o: MatchallOptions = {};
  let flags = 0;
  while (t.argc > 0) {
    const a = t.cur;
    if (matches(a, 'classid') || a === 'flowid') {
      o.classid = classidArg(t.next());
    } else if (matches(a, 'action')) {
      t.next();
      o.act = actionClause(t, env);
      continue;
    } else if (a === 'skip_hw' || a === 'skip_sw') {
      // tc steps with NEXT_ARG() here: a trailing skip_hw is an incomplete command.
      t.next();
      flags |= a === 'skip_hw' ? TCA_CLS_FLAGS.SKIP_HW : TCA_CLS_FLAGS.SKIP_SW;
      continue;
    } else if (a === 'help') {
      fail(USAGE);
    } else {
      fail(`What is "${a}"?\n${USAGE}`);
    }
    t.fwd();
  }
  if (flags) {
    if (!(flags ^ (TCA_CLS_FLAGS.SKIP_HW | TCA_CLS_FLAGS.SKIP_SW))) fail('skip_hw and skip_sw are mutually exclusive');
    o.flags = flags;
  }
  return { handle: h, options: o };
}

function print(p: Printer, o: MatchallOptions, handle: number, env: FilterEnv): void {
  if (handle) p.uint(ANY, 'handle', 'handle 0x%x ', handle);
  if (o.classid !== undefined) p.string(ANY, 'flowid', 'flowid %s ', formatClassid(o.classid));
  if (o.flags !== undefined) {
    const f = o.flags;
    if (f & TCA_CLS_FLAGS.SKIP_HW) p.bool(ANY, 'skip_hw', '\n  skip_hw', true);
    if (f & TCA_CLS_FLAGS.SKIP_SW) p.bool(ANY, 'skip_sw', '\n  skip_sw', true);
    if (f & TCA_CLS_FLAGS.IN_HW) p.bool(ANY, 'in_hw', '\n  in_hw', true);
    else if (f & TCA_CLS_FLAGS.NOT_IN_HW) p.bool(ANY, 'not_in_hw', '\n  not_in_hw', true);
  }
  if (env.stats && o.pcnt) p.u64(ANY, 'rule_hit', ' (rule hit %llu)', o.pcnt.rhit);
  if (o.act) printActions(p, o.act, env);
}

registerFilterKind<MatchallOptions>({ kind: 'matchall', options: matchallAttrs, parse, print });

/** What {@link matchall} takes. */
export interface MatchallSpec {
  readonly classid?: HandleLike;
  readonly actions?: readonly Action[];
  readonly skipHw?: boolean;
  readonly skipSw?: boolean;
}

/** Build matchall options as tc does. */
export function matchall(spec: MatchallSpec): MatchallOptions {
  const o: MatchallOptions = {};
  if (spec.classid !== undefined) o.classid = toHandle(spec.classid, 'classid');
  if (spec.actions?.length) o.act = [...spec.actions];
  if (spec.skipHw && spec.skipSw) throw new RangeError('matchall: skip_hw and skip_sw are mutually exclusive');
  if (spec.skipHw) o.flags = TCA_CLS_FLAGS.SKIP_HW;
  if (spec.skipSw) o.flags = TCA_CLS_FLAGS.SKIP_SW;
  return o;
}
