/**
 * basic: classify by classid/actions, optionally with an ematch tree
 * (linux/pkt_cls.h TCA_BASIC_*; grammar and output of iproute2's
 * tc/f_basic.c). Ematch trees are kept as raw bytes: rip does not parse or
 * print `match EMATCH_TREE` yet.
 *
 * ```ts
 * import { basic } from 'rip/tc';
 * await nl.filter.add({ dev: 'eth0', parent: '1:', protocol: 'ip', prio: 1, kind: 'basic', options: basic({ classid: '1:10' }) });
 * ```
 * @module
 */
import { attrs, attr, struct, u16, u32, u64, bytes, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { ANY, type Printer } from '../../output/printer.js';
import type { TcEnv } from '../kind.js';
import { registerFilterKind, type FilterEnv, type ParsedFilter } from '../filter-kind.js';
import { actionList, printActions, type Action } from '../action.js';
import { policeAttrs, printPolice } from '../actions/police.js';
import { formatClassid, toHandle, type HandleLike } from '../handle.js';
import { Tokens, matches } from '../kinds/util.js';
import { fail, actionClause, policeClause, classidArg, strtolHandle } from './common.js';

/** TCA_BASIC_* */
export const TCA_BASIC = constants('TCA_BASIC_', ['linux/pkt_cls.h'], {
  UNSPEC: 0, CLASSID: 1, EMATCHES: 2, ACT: 3, POLICE: 4, PCNT: 5, PAD: 6,
});

/** TCA_EMATCH_TREE_* (linux/pkt_cls.h): an ematch tree is a header and a list of matches. */
export const TCA_EMATCH_TREE = constants('TCA_EMATCH_TREE_', ['linux/pkt_cls.h'], { UNSPEC: 0, HDR: 1, LIST: 2 });

/** struct tcf_ematch_tree_hdr */
export const ematchTreeHdr = struct('tcf_ematch_tree_hdr', { nmatches: u16, progid: u16 });

/** TCA_BASIC_EMATCHES: the tree header decoded, the matches kept raw (rip does not parse ematches yet). */
export const ematchTreeAttrs = attrs('TCA_EMATCH_TREE', {
  hdr: attr(TCA_EMATCH_TREE.HDR, ematchTreeHdr),
  list: attr(TCA_EMATCH_TREE.LIST, bytes),
});

/** struct tc_basic_pcnt */
export const basicPcnt = struct('tc_basic_pcnt', { rcnt: u64, rhit: u64 });

/** TCA_OPTIONS of basic. */
export const basicAttrs = attrs('basic', {
  classid: attr(TCA_BASIC.CLASSID, u32),
  /** The ematch tree (the kernel dumps an empty one when there is none). */
  ematches: attr(TCA_BASIC.EMATCHES, ematchTreeAttrs),
  act: attr(TCA_BASIC.ACT, actionList),
  police: attr(TCA_BASIC.POLICE, policeAttrs),
  pcnt: attr(TCA_BASIC.PCNT, basicPcnt),
  pad: attr(TCA_BASIC.PAD, bytes),
});
/** Decoded/encodable basic options. */
export type BasicOptions = Infer<typeof basicAttrs>;

declare module '../filter-kind.js' {
  interface FilterOptionsMap { basic: BasicOptions }
}

const USAGE = 'Usage: ... basic [ match EMATCH_TREE ]\n'
  + '                 [ action ACTION_SPEC ] [ classid CLASSID ]\n'
  + '\n'
  + 'Where:\tSELECTOR := SAMPLE SAMPLE ...\n'
  + '\tFILTERID := X:Y:Z\n'
  + '\tACTION_SPEC := ... look at individual actions\n'
  + '\n'
  + 'NOTE: CLASSID is parsed as hexadecimal input.';

function parse(handle: string | undefined, argv: readonly string[], env: TcEnv): ParsedFilter<BasicOptions> {
  const h = handle === undefined ? 0 : strtolHandle(handle);
  if (argv.length === 0) return { handle: h, options: undefined };
  const t = new Tokens(argv);
  const o: BasicOptions = {};
  while (t.argc > 0) {
    const a = t.cur;
    if (matches(a, 'match')) {
      fail('rip: basic "match EMATCH_TREE" is not supported yet');
    } else if (matches(a, 'classid') || a === 'flowid') {
      o.classid = classidArg(t.next());
    } else if (matches(a, 'action')) {
      t.next();
      o.act = actionClause(t, env);
      continue;
    } else if (matches(a, 'police')) {
      t.next();
      o.police = policeClause(t, env);
      continue;
    } else if (a === 'help') {
      fail(USAGE);
    } else {
      fail(`What is "${a}"?\n${USAGE}`);
    }
    t.fwd();
  }
  return { handle: h, options: o };
}

function print(p: Printer, o: BasicOptions, handle: number, env: FilterEnv): void {
  if (handle) p.hex(ANY, 'handle', 'handle 0x%x ', handle);
  if (o.classid !== undefined) p.string(ANY, 'flowid', 'flowid %s ', formatClassid(o.classid));
  const tree = o.ematches;
  if (tree) {
    // print_ematch(): nothing for an empty tree; rip does not print ematch expressions yet.
    if (!tree.hdr) process.stderr.write('Missing ematch tree header\n');
    else if (!tree.list) process.stderr.write('Missing ematch tree list\n');
    else if (tree.hdr.nmatches > 0) p.rawText(`\n  [rip: ${tree.hdr.nmatches} ematch(es) not decoded] `);
  }
  if (o.police) {
    p.nl();
    printPolice(p, o.police, env);
  }
  if (o.act) printActions(p, o.act, env);
}

registerFilterKind<BasicOptions>({ kind: 'basic', options: basicAttrs, parse, print });

/** What {@link basic} takes. */
export interface BasicSpec {
  readonly classid?: HandleLike;
  readonly actions?: readonly Action[];
}

/** Build basic options as tc does (without an ematch tree). */
export function basic(spec: BasicSpec): BasicOptions {
  const o: BasicOptions = {};
  if (spec.classid !== undefined) o.classid = toHandle(spec.classid, 'classid');
  if (spec.actions?.length) o.act = [...spec.actions];
  return o;
}
