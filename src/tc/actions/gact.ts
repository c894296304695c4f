/**
 * gact: the generic verdict action (pass, drop, reclassify, continue, pipe,
 * goto chain, jump), optionally random (linux/tc_act/tc_gact.h; grammar and
 * output of iproute2's tc/m_gact.c).
 *
 * ```ts
 * import { gact, TC_ACT } from 'rip/tc';
 * const drop = gact({ control: TC_ACT.SHOT });
 * ```
 * @module
 */
import { attrs, attr, struct, u16, u32, s32, bytes, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { ANY, type Printer } from '../../output/printer.js';
import { TcArgError, type TcEnv } from '../kind.js';
import { registerActionKind, parseActionControl, printActionControl, printTm, tcfT, type Action } from '../action.js';
import { Tokens, getUnsigned, matches } from '../kinds/util.js';

/** TCA_GACT_* */
export const TCA_GACT = constants('TCA_GACT_', ['linux/tc_act/tc_gact.h'], { UNSPEC: 0, TM: 1, PARMS: 2, PROB: 3, PAD: 4 });

/** PGACT_*: how a random gact picks packets. */
export const PGACT = constants('PGACT_', ['linux/tc_act/tc_gact.h'], { NONE: 0, NETRAND: 1, DETERM: 2 });

/** struct tc_gact */
export const tcGact = struct('tc_gact', { index: u32, capab: u32, action: s32, refcnt: s32, bindcnt: s32 });
/** struct tc_gact_p */
export const tcGactP = struct('tc_gact_p', { ptype: u16, pval: u16, paction: s32 });

/** TCA_ACT_OPTIONS of gact. */
export const gactAttrs = attrs('gact', {
  tm: attr(TCA_GACT.TM, tcfT),
  parms: attr(TCA_GACT.PARMS, tcGact),
  prob: attr(TCA_GACT.PROB, tcGactP),
  pad: attr(TCA_GACT.PAD, bytes),
});
/** Decoded/encodable gact options. */
export type GactOptions = Infer<typeof gactAttrs>;

declare module '../action.js' {
  interface ActionOptionsMap { gact: GactOptions }
}

/** What {@link gact} takes. */
export interface GactSpec {
  /** The verdict (TC_ACT.*; `TC_ACT.GOTO_CHAIN | n` for goto chain n). */
  readonly control: number;
  /** Random variant: with `probability` (in 1/10000) do `control2` instead. */
  readonly random?: { readonly type: 'netrand' | 'determ'; readonly control: number; readonly probability: number };
  readonly index?: number;
}

/** A gact action for a filter's action list. */
export function gact(spec: GactSpec): Action {
  const o: GactOptions = { parms: { index: spec.index ?? 0, capab: 0, action: spec.control, refcnt: 0, bindcnt: 0 } };
  if (spec.random) {
    if (spec.random.probability < 0 || spec.random.probability > 10000) throw new RangeError('gact: probability is 0..10000');
    o.prob = { ptype: spec.random.type === 'netrand' ? PGACT.NETRAND : PGACT.DETERM, pval: spec.random.probability, paction: spec.random.control };
  }
  return { kind: 'gact', options: o };
}

const USAGE = 'Usage: ... gact <ACTION> [RAND] [INDEX]\n'
  + 'Where: \tACTION := reclassify | drop | continue | pass | pipe |\n'
  + '       \t          goto chain <CHAIN_INDEX> | jump <JUMP_COUNT>\n'
  + '\tRAND := random <RANDTYPE> <ACTION> <VAL>\n'
  + '\tRANDTYPE := netrand | determ\n'
  + '\tVAL : = value not exceeding 10000\n'
  + '\tJUMP_COUNT := Absolute jump from start of action list\n'
  + '\tINDEX := index value used\n'
  + '\n';

/** usage(): explain() and exit(-1). */
function usage(): never {
  throw new TcArgError(USAGE.slice(0, -1), 255);
}

function parse(t: Tokens): GactOptions {
  const parms = { index: 0, capab: 0, action: 0, refcnt: 0, bindcnt: 0 };
  let prob: Infer<typeof tcGactP> | undefined;
  if (!matches(t.cur, 'gact')) { /* a verdict word stands for `gact VERDICT` */ } else t.next();
  let skipToIndex = matches(t.cur, 'index');
  if (!skipToIndex) {
    let c: number | undefined;
    try { c = parseActionControl(t); } catch (e) {
      if (e instanceof TcArgError && e.exitCode === 1) throw new TcArgError(`${e.message}\n${USAGE.slice(0, -1)}`, 255);
      throw e;
    }
    if (c === undefined) usage();
    parms.action = c;
    if (t.argc > 0) {
      if (matches(t.cur, 'random')) {
        const r = t.next();
        let ptype: number;
        if (matches(r, 'netrand')) ptype = PGACT.NETRAND;
        else if (matches(r, 'determ')) ptype = PGACT.DETERM;
        else throw new TcArgError('Illegal "random type"', 1);
        t.next();
        let pa: number | undefined;
        try { pa = parseActionControl(t); } catch (e) {
          if (e instanceof TcArgError && e.exitCode === 1) throw new TcArgError(`${e.message}\n${USAGE.slice(0, -1)}`, 255);
          throw e;
        }
        if (pa === undefined) usage();
        const v = getUnsigned(t.cur, 10, 0xffff);
        if (v === null) throw new TcArgError('Illegal probability val 0x0', 1);
        if (v > 10000) throw new TcArgError(`Illegal probability val  0x${v.toString(16)}`, 1);
        prob = { ptype, pval: v, paction: pa };
        t.fwd();
      } else if (matches(t.cur, 'help')) usage();
    }
    if (t.argc > 0) {
      if (matches(t.cur, 'index')) skipToIndex = true;
      else if (matches(t.cur, 'help')) usage();
    }
  }
  if (skipToIndex) {
    const v = getUnsigned(t.next(), 10);
    if (v === null) throw new TcArgError('Illegal "index"', 1);
    parms.index = v;
    t.fwd();
  }
  const o: GactOptions = { parms };
  if (prob) o.prob = prob;
  return o;
}

function probN2a(p: number): string {
  return p === PGACT.NETRAND ? 'netrand' : p === PGACT.DETERM ? 'determ' : 'none';
}

function print(p: Printer, o: GactOptions | undefined, env: TcEnv): void {
  p.string(ANY, 'kind', '%s ', 'gact');
  if (o === undefined) return;
  const g = o.parms;
  if (!g) {
    process.stderr.write('Missing gact parameters\n');
    return;
  }
  printActionControl(p, 'action ', g.action, '');
  const pp = o.prob ?? { ptype: 0, pval: 0, paction: 0 };
  p.openObject('prob');
  p.nl();
  p.string(ANY, 'random_type', '\t random type %s', probN2a(pp.ptype));
  printActionControl(p, ' ', pp.paction, ' ');
  p.int(ANY, 'val', 'val %d', pp.pval);
  p.closeObject();
  p.nl();
  p.uint(ANY, 'index', '\t index %u', g.index);
  p.int(ANY, 'ref', ' ref %d', g.refcnt);
  p.int(ANY, 'bind', ' bind %d', g.bindcnt);
  if (env.stats && o.tm) printTm(p, o.tm);
  p.nl();
}

registerActionKind<GactOptions>({ kind: 'gact', options: gactAttrs, parse, print });
