/**
 * Grammar pieces the classifier modules share: the `action …` and
 * `police …` clauses (with the classifier's own failure line, as each
 * f_*.c prints it), `classid`, tc's strtol() handles; the cls flags as
 * f_u32.c and f_bpf.c print them.
 * @module
 */
import { ANY, type Printer } from '../../output/printer.js';
import { TcArgError, type TcEnv } from '../kind.js';
import { TCA_CLS_FLAGS } from '../filter-kind.js';
import { parseActions, type Action } from '../action.js';
import { parsePolice, type PoliceOptions } from '../actions/police.js';
import { parseClassid } from '../handle.js';
import { Tokens, strtoInt } from '../kinds/util.js';

/** A classifier parser's failure (tc prints `msg`, the command exits 1). */
export function fail(msg: string): never {
  throw new TcArgError(msg, 1);
}

/** `action …` after the keyword (t.cur is the first token after `action`); `illegal` is the classifier's line. */
export function actionClause(t: Tokens, env: TcEnv, illegal = 'Illegal "action"'): Action[] {
  try {
    return parseActions(t, env);
  } catch (e) {
    if (e instanceof TcArgError && !e.exits) fail(`${e.message ? `${e.message}\n` : ''}${illegal}`);
    throw e;
  }
}

/** `police …` after the keyword. */
export function policeClause(t: Tokens, env: TcEnv): PoliceOptions {
  try {
    return parsePolice(t, env);
  } catch (e) {
    if (e instanceof TcArgError && !e.exits) fail(`${e.message ? `${e.message}\n` : ''}Illegal "police"`);
    throw e;
  }
}

/** get_tc_classid() of a classifier's `classid`/`flowid` value. */
export function classidArg(v: string): number {
  const c = parseClassid(v);
  if (c === null) fail('Illegal "classid"');
  return c!;
}

/**
 * `(__u32)strtol(handle, NULL, 0)` with the overflow check of f_matchall.c
 * and f_basic.c (garbage reads as 0, as strtol does).
 */
export function strtolHandle(handle: string): number {
  const r = strtoInt(handle, 0);
  if (!r) return 0;
  if (r.value >= 0x7fffffffffffffffn || r.value <= -0x8000000000000000n) fail(`Illegal handle "${handle}", must be numeric.`);
  return Number(BigInt.asUintN(32, r.value));
}

/** TCA_*_FLAGS (skip_hw, skip_sw, in_hw/not_in_hw) on the filter's line, as f_u32.c and f_bpf.c print them. */
export function printClsFlags(p: Printer, flags: number): void {
  if (flags & TCA_CLS_FLAGS.SKIP_HW) p.bool(ANY, 'skip_hw', 'skip_hw ', true);
  if (flags & TCA_CLS_FLAGS.SKIP_SW) p.bool(ANY, 'skip_sw', 'skip_sw ', true);
  if (flags & TCA_CLS_FLAGS.IN_HW) p.bool(ANY, 'in_hw', 'in_hw ', true);
  else if (flags & TCA_CLS_FLAGS.NOT_IN_HW) p.bool(ANY, 'not_in_hw', 'not_in_hw ', true);
}
