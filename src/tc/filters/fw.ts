/**
 * fw: classify by the packet's firewall mark (the filter handle is the
 * mark, with an optional mask) (linux/pkt_cls.h TCA_FW_*; grammar and
 * output of iproute2's tc/f_fw.c, which prints with fprintf: plain text
 * even in JSON mode).
 *
 * ```ts
 * import { fw } from 'rip/tc';
 * await nl.filter.add({ dev: 'eth0', parent: '1:', protocol: 'ip', prio: 1, handle: 6, kind: 'fw', options: fw({ classid: '1:6' }) });
 * ```
 * @module
 */
import { attrs, attr, u32, cstring, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import type { Printer } from '../../output/printer.js';
import type { TcEnv } from '../kind.js';
import { registerFilterKind, type FilterEnv, type ParsedFilter } from '../filter-kind.js';
import { actionList, printActions, type Action } from '../action.js';
import { policeAttrs, printPolice } from '../actions/police.js';
import { formatClassid, toHandle, type HandleLike } from '../handle.js';
import { Tokens, getUnsigned, matches } from '../kinds/util.js';
import { fail, actionClause, policeClause, classidArg } from './common.js';

/** TCA_FW_* */
export const TCA_FW = constants('TCA_FW_', ['linux/pkt_cls.h'], {
  UNSPEC: 0, CLASSID: 1, POLICE: 2, INDEV: 3, ACT: 4, MASK: 5,
});

/** TCA_OPTIONS of fw. */
export const fwAttrs = attrs('fw', {
  mask: attr(TCA_FW.MASK, u32),
  classid: attr(TCA_FW.CLASSID, u32),
  police: attr(TCA_FW.POLICE, policeAttrs),
  act: attr(TCA_FW.ACT, actionList),
  indev: attr(TCA_FW.INDEV, cstring),
});
/** Decoded/encodable fw options. */
export type FwOptions = Infer<typeof fwAttrs>;

declare module '../filter-kind.js' {
  interface FilterOptionsMap { fw: FwOptions }
}

const USAGE = 'Usage: ... fw [ classid CLASSID ] [ indev DEV ] [ action ACTION_SPEC ]\n'
  + '\tCLASSID := Push matching packets to the class identified by CLASSID with format X:Y\n'
  + '\t\tCLASSID is parsed as hexadecimal input.\n'
  + '\tDEV := specify device for incoming device classification.\n'
  + '\tACTION_SPEC := Apply an action on matching packets.\n'
  + '\tNOTE: handle is represented as HANDLE[/FWMASK].\n'
  + '\t\tFWMASK is 0xffffffff by default.';

function parse(handle: string | undefined, argv: readonly string[], env: TcEnv): ParsedFilter<FwOptions> {
  let h = 0;
  let mask: number | undefined;
  if (handle !== undefined) {
    const slash = handle.indexOf('/');
    const v = getUnsigned(slash >= 0 ? handle.slice(0, slash) : handle, 0);
    if (v === null) fail('Illegal "handle"');
    h = v!;
    if (slash >= 0) {
      const m = getUnsigned(handle.slice(slash + 1), 0);
      if (m === null) fail('Illegal "handle" mask');
      mask = m!;
    }
  }
  if (argv.length === 0) return { handle: h, options: undefined };
  const t = new Tokens(argv);
  const o: FwOptions = {};
  if (mask !== undefined) o.mask = mask;
  while (t.argc > 0) {
    const a = t.cur;
    if (matches(a, 'classid') || matches(a, 'flowid')) {
      o.classid = classidArg(t.next());
    } else if (matches(a, 'police')) {
      t.next();
      o.police = policeClause(t, env);
      continue;
    } else if (matches(a, 'action')) {
      t.next();
      o.act = actionClause(t, env, 'Illegal fw "action"');
      continue;
    } else if (a === 'indev') {
      t.fwd();
      if (t.argc < 1) fail('Illegal indev');
      o.indev = t.cur.slice(0, 16);
    } else if (a === 'help') {
      fail(USAGE);
    } else {
      fail(`What is "${a}"?\n${USAGE}`);
    }
    t.fwd();
  }
  return { handle: h, options: o };
}

function print(p: Printer, o: FwOptions, handle: number, env: FilterEnv): void {
  // f_fw.c writes with fprintf: the same text in JSON mode (inside "options").
  if (handle || o.mask !== undefined) {
    if (o.mask !== undefined && o.mask !== 0xffffffff) p.rawText(`handle 0x${handle.toString(16)}/0x${o.mask.toString(16)} `);
    else p.rawText(`handle 0x${handle.toString(16)} `);
  }
  if (o.classid !== undefined) p.rawText(`classid ${formatClassid(o.classid)} `);
  if (o.police) printPolice(p, o.police, env);
  if (o.indev !== undefined) p.rawText(`input dev ${o.indev} `);
  if (o.act) {
    p.rawText('\n');
    printActions(p, o.act, env);
  }
}

registerFilterKind<FwOptions>({ kind: 'fw', options: fwAttrs, parse, print });

/** What {@link fw} takes (the mark is the filter's `handle`). */
export interface FwSpec {
  readonly classid?: HandleLike;
  /** Mask applied to the mark before comparing with the handle. */
  readonly mask?: number;
  readonly indev?: string;
  readonly actions?: readonly Action[];
}

/** Build fw options as tc does. */
export function fw(spec: FwSpec): FwOptions {
  const o: FwOptions = {};
  if (spec.mask !== undefined) o.mask = spec.mask;
  if (spec.classid !== undefined) o.classid = toHandle(spec.classid, 'classid');
  if (spec.indev !== undefined) o.indev = spec.indev;
  if (spec.actions?.length) o.act = [...spec.actions];
  return o;
}
