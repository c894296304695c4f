/**
 * TC actions attached to filters: the TCA_ACT_* nest of one action, the
 * numbered list a classifier carries in its TCA_<KIND>_ACT attribute, the
 * registry of action kinds (one module per kind in ./actions/), and tc's
 * action grammar and printing (iproute2 tc/m_action.c: parse_action(),
 * tc_print_action(); tc/tc_util.c: action controls, print_tm()).
 *
 * ```ts
 * import { mirred } from 'rip/tc';
 * const actions = [mirred({ direction: 'egress', mode: 'redirect', ifindex: 3 })];
 * await nl.filter.add({ dev: 'veth0', parent: 'ingress', protocol: 'ip', kind: 'u32',
 *   options: u32({ match: [{ ip: { dst: '10.0.0.0/8' } }], actions }) });
 * ```
 * @module
 */
import {
  attrs, attr, cstring, u32, u64, bytes, struct, indexed, variant, NLA_F_NESTED, type Codec, type Infer,
} from '../netlink/codec/schema.js';
import { constants } from '../netlink/constants.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../output/printer.js';
import { TcArgError, type TcEnv } from './kind.js';
import { stats2Attrs, bitfield32 } from './schema.js';
import { printStats2 } from './print-stats.js';
import { Tokens, getUnsigned, matches } from './kinds/util.js';

/** TCA_ACT_* (one action's nest). */
export const TCA_ACT = constants('TCA_ACT_', ['linux/pkt_cls.h'], {
  UNSPEC: 0, KIND: 1, OPTIONS: 2, INDEX: 3, STATS: 4, PAD: 5, COOKIE: 6, FLAGS: 7, HW_STATS: 8,
  USED_HW_STATS: 9, IN_HW_COUNT: 10, MAX_PRIO: 32,
  FLAGS_NO_PERCPU_STATS: 1, FLAGS_SKIP_HW: 2, FLAGS_SKIP_SW: 4, HW_STATS_IMMEDIATE: 1, HW_STATS_DELAYED: 2,
});

/** Action verdicts (TC_ACT_*), and the extended opcodes jump / goto chain. */
export const TC_ACT = constants('TC_ACT_', ['linux/pkt_cls.h'], {
  UNSPEC: -1, OK: 0, RECLASSIFY: 1, SHOT: 2, PIPE: 3, STOLEN: 4, QUEUED: 5, REPEAT: 6, REDIRECT: 7, TRAP: 8,
  JUMP: 0x10000000, GOTO_CHAIN: 0x20000000, EXT_VAL_MASK: 0x0fffffff,
});

/** struct tcf_t: install/last use/expiry times of an action, in USER_HZ ticks. */
export const tcfT = struct('tcf_t', { install: u64, lastuse: u64, expires: u64, firstuse: u64 });
/** Decoded struct tcf_t. */
export type TcfT = Infer<typeof tcfT>;

/** One action kind (mirred, gact, police, …): its TCA_ACT_OPTIONS codec, tc grammar and printer. */
export interface ActionKind<O = unknown> {
  /** TCA_ACT_KIND, e.g. 'mirred'. */
  readonly kind: string;
  /** Codec of the TCA_ACT_OPTIONS nest. */
  readonly options: Codec<O>;
  /**
   * parse_aopt(): `t.cur` is the action's first token (its name, or a gact
   * verdict such as `drop`); consumes what belongs to the action. Errors are
   * TcArgError (exit 1: m_action.c adds its "bad action parsing" lines).
   */
  parse(t: Tokens, env: TcEnv): O;
  /** print_aopt(): from the kind name on (`mirred (Egress Redirect to device v1) stolen …`). */
  print(p: Printer, options: O | undefined, env: TcEnv): void;
}

const actionKinds = new Map<string, ActionKind>();

/** Register an action kind module (called once per module at import). */
export function registerActionKind<O>(k: ActionKind<O>): void {
  actionKinds.set(k.kind, k as unknown as ActionKind);
}

/** The module of an action kind, or undefined. */
export function actionKind(kind: string): ActionKind | undefined {
  return actionKinds.get(kind);
}

/** Names of the registered action kinds. */
export function actionKindNames(): string[] {
  return [...actionKinds.keys()];
}

/** Typed action options by kind; action modules augment this interface. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ActionOptionsMap {}

/** The attributes of one action (TCA_ACT_*), as sent and as dumped. */
export const actionAttrs = attrs('TCA_ACT', {
  kind: attr(TCA_ACT.KIND, cstring),
  options: attr(TCA_ACT.OPTIONS, variant<unknown>('TCA_ACT_OPTIONS', 'kind', (k) => actionKind(k)?.options), NLA_F_NESTED),
  index: attr(TCA_ACT.INDEX, u32),
  /** Statistics of the action (a TCA_STATS2-style nest). */
  stats: attr(TCA_ACT.STATS, stats2Attrs),
  pad: attr(TCA_ACT.PAD, bytes),
  cookie: attr(TCA_ACT.COOKIE, bytes),
  flags: attr(TCA_ACT.FLAGS, bitfield32),
  hw_stats: attr(TCA_ACT.HW_STATS, bitfield32),
  used_hw_stats: attr(TCA_ACT.USED_HW_STATS, bitfield32),
  in_hw_count: attr(TCA_ACT.IN_HW_COUNT, u32),
});

/** One action: kind, its options (typed by the kind's codec; raw bytes for kinds rip does not know), statistics. */
export type Action = Infer<typeof actionAttrs>;

/** The list of a classifier's actions (TCA_<KIND>_ACT): nests numbered 1..N in order. */
export const actionList: Codec<Action[]> = indexed('TCA_ACT_TAB', actionAttrs);

/** An action value of a kind: `{ kind, options }` typed through {@link ActionOptionsMap}. */
export type ActionOf<K extends keyof ActionOptionsMap> = Action & { kind: K; options: ActionOptionsMap[K] };

// ---------------------------------------------------------------- verdicts

const A2N: ReadonlyArray<readonly [string, number]> = [
  ['continue', TC_ACT.UNSPEC], ['drop', TC_ACT.SHOT], ['shot', TC_ACT.SHOT], ['pass', TC_ACT.OK], ['ok', TC_ACT.OK],
  ['reclassify', TC_ACT.RECLASSIFY], ['pipe', TC_ACT.PIPE], ['goto', TC_ACT.GOTO_CHAIN], ['jump', TC_ACT.JUMP],
  ['trap', TC_ACT.TRAP],
];

/** action_a2n(): a verdict name (unique prefix, as tc's matches()), or a number when `allowNum`. */
export function actionA2n(arg: string, allowNum = false): number | undefined {
  for (const [a, n] of A2N) if (matches(arg, a)) return n;
  if (allowNum && /^\s*[+-]?\d+$/.test(arg)) {
    const v = Number(arg);
    if (v >= -0x80000000 && v <= 0x7fffffff) return v;
  }
  return undefined;
}

/** action_n2a(): `pass`, `drop`, `goto`, … or the number. */
export function actionN2a(action: number): string {
  const op = (action & ~TC_ACT.EXT_VAL_MASK) | 0;
  if (op === TC_ACT.GOTO_CHAIN) return 'goto';
  if (op === TC_ACT.JUMP) return 'jump';
  switch (action) {
    case TC_ACT.UNSPEC: return 'continue';
    case TC_ACT.OK: return 'pass';
    case TC_ACT.SHOT: return 'drop';
    case TC_ACT.RECLASSIFY: return 'reclassify';
    case TC_ACT.PIPE: return 'pipe';
    case TC_ACT.STOLEN: return 'stolen';
    case TC_ACT.TRAP: return 'trap';
    default: return String(action | 0);
  }
}

/**
 * parse_action_control(): a verdict at `t.cur` (with `goto chain N` /
 * `jump N`), moving past it. Returns undefined (tokens untouched) when
 * `quiet` and the token is no verdict; otherwise prints tc's message.
 */
export function parseActionControl(t: Tokens, allowNum = false, quiet = false): number | undefined {
  if (t.argc <= 0) return undefined;
  let result = actionA2n(t.cur, allowNum);
  if (result === undefined) {
    if (!quiet) throw new TcArgError(`Bad action type ${t.cur}`, 1);
    return undefined;
  }
  if (result === TC_ACT.GOTO_CHAIN) {
    if (!matches(t.next(), 'chain')) throw new TcArgError('"chain index" expected', 1);
    const v = getUnsigned(t.next(), 10);
    if (v === null || v > TC_ACT.EXT_VAL_MASK) throw new TcArgError('Illegal "chain index"', 1);
    result |= v;
  } else if (result === TC_ACT.JUMP) {
    const a = t.next();
    const v = getUnsigned(a, 10);
    if (v === null || v > TC_ACT.EXT_VAL_MASK) throw new TcArgError(`Invalid "jump count" (${a})`, 1);
    result |= v;
  }
  t.fwd();
  return result;
}

/** print_action_control(): `prefix` + verdict (+ chain/jump) + `suffix`; JSON `control_action`. */
export function printActionControl(p: Printer, prefix: string, action: number, suffix: string): void {
  p.string(FP, null, '%s', prefix);
  p.openObject('control_action');
  p.string(ANY, 'type', '%s', actionN2a(action));
  const op = (action & ~TC_ACT.EXT_VAL_MASK) | 0;
  if (op === TC_ACT.GOTO_CHAIN) p.uint(ANY, 'chain', ' chain %u', action & TC_ACT.EXT_VAL_MASK);
  if (op === TC_ACT.JUMP) p.uint(ANY, 'jump', ' %u', action & TC_ACT.EXT_VAL_MASK);
  p.closeObject();
  p.string(FP, null, '%s', suffix);
}

/** USER_HZ: the kernel reports tcf_t in clock ticks of 1/100 s on Linux. */
const USER_HZ = 100;

/** print_tm(): installed/used/firstused/expires, in seconds. */
export function printTm(p: Printer, tm: TcfT): void {
  if (tm.install !== 0n) p.uint(ANY, 'installed', ' installed %u sec', Number(BigInt.asUintN(32, tm.install / BigInt(USER_HZ))));
  if (tm.lastuse !== 0n) p.uint(ANY, 'last_used', ' used %u sec', Number(BigInt.asUintN(32, tm.lastuse / BigInt(USER_HZ))));
  if (tm.firstuse !== 0n) p.uint(ANY, 'first_used', ' firstused %u sec', Number(BigInt.asUintN(32, tm.firstuse / BigInt(USER_HZ))));
  if (tm.expires !== 0n) p.uint(ANY, 'expires', ' expires %u sec', Number(BigInt.asUintN(32, tm.expires / BigInt(USER_HZ))));
}

// ---------------------------------------------------------------- grammar

/** Action names iproute2 6.1 has modules for; those rip lacks are refused with a clear message. */
const IPROUTE2_ACTIONS = new Set([
  'bpf', 'connmark', 'csum', 'ct', 'ctinfo', 'gact', 'gate', 'ife', 'ipt', 'xt', 'mirred', 'mpls', 'nat', 'pedit',
  'police', 'sample', 'simple', 'skbedit', 'skbmod', 'tunnel_key', 'vlan',
]);

const NEW_CMDS = ['change', 'replace', 'delete', 'get', 'add'];

const HW_STATS: ReadonlyArray<readonly [string, number]> = [['immediate', 1], ['delayed', 2], ['disabled', 0]];

/** A parse_action() failure: tc prints `lines` and the classifier adds its own (`Illegal "action"`). */
function badValue(t: Tokens, at: number, before: string[]): never {
  const tok = t.argv[at];
  throw new TcArgError([...before, `parse_action: bad value (${t.argv.length - at}:${tok ?? '(null)'})!`].join('\n'), 1);
}

/**
 * parse_action(): the actions from `t.cur` on (`t.cur` is the first token
 * after the classifier's `action` keyword), up to a `classid`/`flowid` or
 * the end. Returns the list for TCA_<KIND>_ACT.
 */
export function parseActions(t: Tokens, env: TcEnv): Action[] {
  const out: Action[] = [];
  if (t.argc <= 0) throw new TcArgError('', 1);
  let eap = false;
  while (t.argc > 0) {
    const a = t.cur;
    if (a === 'action') {
      t.fwd();
      eap = true;
      continue;
    }
    if (a === 'flowid' || a === 'classid') break;
    if (a === 'help') throw new TcArgError('', 1);
    if (NEW_CMDS.some((c) => matches(a, c))) break;
    let k = actionA2n(a) !== undefined ? 'gact' : a.slice(0, 15);
    eap = false;
    let kind = actionKind(k);
    if (!kind) {
      if (IPROUTE2_ACTIONS.has(k)) throw new TcArgError(`rip: action "${k}" is not supported yet`, 1);
      // tc looks for m_<name>.so, then falls back to gact, which rejects the word as a verdict.
      k = 'gact';
      kind = actionKind('gact');
      if (!kind) throw new TcArgError(`rip: action "${a}" is not supported yet`, 1);
    }
    const at = t.i;
    let options: unknown;
    try {
      options = kind.parse(t, env);
    } catch (e) {
      if (e instanceof TcArgError && !e.exits) {
        t.i = at;
        badValue(t, at, [...(e.message ? [e.message] : []), 'bad action parsing']);
      }
      throw e;
    }
    const act: Action = { kind: k, options };
    if (t.argc > 0 && t.cur === 'cookie') {
      const c = t.next();
      if (c.length > 32) throw new TcArgError(`Error: argument "${c}" is wrong: ${c.length} Max allowed size 32`, 255);
      if (c.length % 2 || !/^[0-9a-fA-F]*$/.test(c)) throw new TcArgError(`Error: argument "${c}" is wrong: cookie must be a hex string\n`, 255);
      act.cookie = Buffer.from(c, 'hex');
      t.fwd();
    }
    if (t.argc > 0 && matches(t.cur, 'hw_stats')) {
      const v = t.next();
      const item = HW_STATS.find(([s]) => matches(v, s));
      if (!item) throw new TcArgError(`Error: argument "${v}" is wrong: value is invalid\n`, 255);
      act.hw_stats = { value: item[1], selector: item[1] };
      t.fwd();
    }
    let flag = 0;
    if (t.argc > 0 && t.cur === 'no_percpu') { flag |= TCA_ACT.FLAGS_NO_PERCPU_STATS; t.fwd(); }
    for (let n = 0; n < 2; n++) {
      if (t.argc > 0 && t.cur === 'skip_sw') { flag |= TCA_ACT.FLAGS_SKIP_SW; t.fwd(); } else if (t.argc > 0 && t.cur === 'skip_hw') { flag |= TCA_ACT.FLAGS_SKIP_HW; t.fwd(); }
    }
    if (flag) act.flags = { value: flag, selector: flag };
    out.push(act);
  }
  if (eap) badValue(t, t.i, ['bad action empty 1']);
  return out;
}

// ---------------------------------------------------------------- printing

function printHwStats(p: Printer, bf: { value: number; selector: number }, used: boolean): void {
  const hw = bf.value & bf.selector & 0xff;
  p.string(FP, null, '\t', null);
  p.openArray(ANY, used ? 'used_hw_stats' : 'hw_stats');
  for (const [s, type] of HW_STATS) if ((!hw && !type) || hw & type) p.string(ANY, null, ' %s', s);
  p.closeArray(JSON_ONLY, '');
  p.nl();
}

/** tc_print_one_action() */
function printOne(p: Printer, a: Action, env: TcEnv, bind: boolean): void {
  if (a.kind === undefined) {
    process.stderr.write('NULL Action!\n');
    return;
  }
  const k = actionKind(a.kind);
  if (k && !Buffer.isBuffer(a.options)) k.print(p, a.options, env);
  else {
    // tc's stub for kinds it has no module for.
    p.string(FP, null, '%s', Buffer.isBuffer(a.options) && a.options.length ? `[Unknown action, optlen=${a.options.length}] ` : '');
  }
  if (env.brief && a.index !== undefined) {
    p.uint(ANY, 'index', '\t index %u', a.index);
    p.nl();
  }
  if (env.stats && a.stats) {
    p.string(FP, null, '\tAction statistics:', null);
    p.nl();
    p.openObject('stats');
    printStats2(p, a.stats, '\t', env.iec);
    p.closeObject();
    p.nl();
  }
  if (a.cookie) {
    p.string(ANY, 'cookie', '\tcookie %s', a.cookie.toString('hex'));
    p.nl();
  }
  if (a.flags || a.in_hw_count !== undefined) {
    let skipHw = false;
    let newline = false;
    if (a.flags) {
      const f = a.flags;
      if (f.selector & TCA_ACT.FLAGS_NO_PERCPU_STATS) {
        newline = true;
        p.bool(ANY, 'no_percpu', '\tno_percpu', !!(f.value & TCA_ACT.FLAGS_NO_PERCPU_STATS));
      }
      if (!bind) {
        if (f.selector & TCA_ACT.FLAGS_SKIP_HW) {
          newline = true;
          p.bool(ANY, 'skip_hw', '\tskip_hw', !!(f.value & TCA_ACT.FLAGS_SKIP_HW));
          skipHw = !!(f.value & TCA_ACT.FLAGS_SKIP_HW);
        }
        if (f.selector & TCA_ACT.FLAGS_SKIP_SW) {
          newline = true;
          p.bool(ANY, 'skip_sw', '\tskip_sw', !!(f.value & TCA_ACT.FLAGS_SKIP_SW));
        }
      }
    }
    if (a.in_hw_count !== undefined && !bind && !skipHw) {
      newline = true;
      if (a.in_hw_count) {
        p.bool(ANY, 'in_hw', '\tin_hw', true);
        p.uint(ANY, 'in_hw_count', ' in_hw_count %u', a.in_hw_count);
      } else {
        p.bool(ANY, 'not_in_hw', '\tnot_in_hw', true);
      }
    }
    if (newline) p.nl();
  }
  if (a.hw_stats) printHwStats(p, a.hw_stats, false);
  if (a.used_hw_stats) printHwStats(p, a.used_hw_stats, true);
}

/**
 * tc_print_action() (a classifier's actions, bound): JSON array `actions`,
 * text lines `\taction order N: …`.
 */
export function printActions(p: Printer, list: readonly Action[], env: TcEnv, bind = true): void {
  p.openArray(JSON_ONLY, 'actions');
  list.forEach((a, i) => {
    p.openObject();
    p.nl();
    p.uint(ANY, 'order', '\taction order %u: ', i + 1);
    printOne(p, a, env, bind);
    p.closeObject();
  });
  p.closeArray(JSON_ONLY, '');
}
