/**
 * mirred: mirror or redirect packets to another device's egress or ingress
 * (linux/tc_act/tc_mirred.h; grammar and output of iproute2's tc/m_mirred.c).
 *
 * ```ts
 * import { mirred } from 'rip/tc';
 * const redirect = mirred({ direction: 'egress', mode: 'redirect', ifindex: (await nl.link.get('veth1')).ifindex });
 * ```
 * @module
 */
import { attrs, attr, struct, u32, s32, bytes, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../output/printer.js';
import { TcArgError, type TcEnv } from '../kind.js';
import {
  registerActionKind, parseActionControl, printActionControl, printTm, tcfT, TC_ACT, type Action,
} from '../action.js';
import { Tokens, getUnsigned, matches, duparg } from '../kinds/util.js';

/** TCA_MIRRED_* */
export const TCA_MIRRED = constants('TCA_MIRRED_', ['linux/tc_act/tc_mirred.h'], {
  UNSPEC: 0, TM: 1, PARMS: 2, PAD: 3,
});

/** TCA_EGRESS_REDIR etc.: the `eaction` of struct tc_mirred. */
export const MIRRED_EACTION = constants('TCA_', ['linux/tc_act/tc_mirred.h'], {
  EGRESS_REDIR: 1, EGRESS_MIRROR: 2, INGRESS_REDIR: 3, INGRESS_MIRROR: 4,
});

/** struct tc_mirred */
export const tcMirred = struct('tc_mirred', {
  index: u32, capab: u32, action: s32, refcnt: s32, bindcnt: s32, eaction: s32, ifindex: u32,
});

/** TCA_ACT_OPTIONS of mirred. */
export const mirredAttrs = attrs('mirred', {
  tm: attr(TCA_MIRRED.TM, tcfT),
  parms: attr(TCA_MIRRED.PARMS, tcMirred),
  pad: attr(TCA_MIRRED.PAD, bytes),
});
/** Decoded/encodable mirred options. */
export type MirredOptions = Infer<typeof mirredAttrs>;

declare module '../action.js' {
  interface ActionOptionsMap { mirred: MirredOptions }
}

/** What {@link mirred} takes. */
export interface MirredSpec {
  readonly direction: 'egress' | 'ingress';
  readonly mode: 'redirect' | 'mirror';
  /** Target device. */
  readonly ifindex: number;
  /** Verdict after the action (default: stolen for redirect, pipe for mirror, as tc). */
  readonly control?: number;
  /** Action index (0: the kernel picks one). */
  readonly index?: number;
}

/** A mirred action for a filter's action list. */
export function mirred(spec: MirredSpec): Action {
  const redirect = spec.mode === 'redirect';
  const eaction = spec.direction === 'egress'
    ? (redirect ? MIRRED_EACTION.EGRESS_REDIR : MIRRED_EACTION.EGRESS_MIRROR)
    : (redirect ? MIRRED_EACTION.INGRESS_REDIR : MIRRED_EACTION.INGRESS_MIRROR);
  const parms = {
    index: spec.index ?? 0, capab: 0, action: spec.control ?? (redirect ? TC_ACT.STOLEN : TC_ACT.PIPE),
    refcnt: 0, bindcnt: 0, eaction, ifindex: spec.ifindex,
  };
  return { kind: 'mirred', options: { parms } satisfies MirredOptions };
}

const USAGE = `Usage: mirred <DIRECTION> <ACTION> [index INDEX] <dev DEVICENAME>
where:
	DIRECTION := <ingress | egress>
	ACTION := <mirror | redirect>
	INDEX  is the specific policy instance id
	DEVICENAME is the devicename
`;

/** parse_direction() of m_mirred.c; `t.cur` is the first token after `mirred`. */
function parseDirection(t: Tokens, env: TcEnv): MirredOptions {
  let ok = 0, iok = 0;
  let mirror = false, redir = false, ingress = false, egress = false;
  const p = { index: 0, capab: 0, action: 0, refcnt: 0, bindcnt: 0, eaction: 0, ifindex: 0 };
  let d = '';
  while (t.argc > 0) {
    const a = t.cur;
    if (matches(a, 'action')) {
      t.next();
      break;
    } else if (!egress && matches(a, 'egress')) {
      egress = true;
      if (ingress) throw new TcArgError("Can't have both egress and ingress", 1);
      t.next();
      ok++;
      continue;
    } else if (!ingress && matches(a, 'ingress')) {
      ingress = true;
      if (egress) throw new TcArgError("Can't have both ingress and egress", 1);
      t.next();
      ok++;
      continue;
    } else if (matches(a, 'index')) {
      const v = getUnsigned(t.next(), 10);
      if (v === null) throw new TcArgError('Illegal "index"', 1);
      p.index = v;
      iok++;
      if (!ok) {
        t.fwd();
        break;
      }
    } else if (!ok) {
      // tc prints this, breaks out and then fails (nothing was parsed).
      throw new TcArgError(`was expecting egress or ingress (${a})`, 1);
    } else if (!mirror && matches(a, 'mirror')) {
      mirror = true;
      if (redir) throw new TcArgError("Can't have both mirror and redir", 1);
      p.eaction = egress ? MIRRED_EACTION.EGRESS_MIRROR : MIRRED_EACTION.INGRESS_MIRROR;
      p.action = TC_ACT.PIPE;
      ok++;
    } else if (!redir && matches(a, 'redirect')) {
      redir = true;
      if (mirror) throw new TcArgError("Can't have both mirror and redir", 1);
      p.eaction = egress ? MIRRED_EACTION.EGRESS_REDIR : MIRRED_EACTION.INGRESS_REDIR;
      p.action = TC_ACT.STOLEN;
      ok++;
    } else if ((redir || mirror) && matches(a, 'dev')) {
      const v = t.next();
      if (d) duparg('dev', v);
      d = v.slice(0, 15);
      t.fwd();
      break;
    }
    t.next();
  }
  if (!ok && !iok) throw new TcArgError('', 1);
  if (d) {
    const idx = env.linkIndex ? env.linkIndex(d) : 0;
    if (!idx) throw new TcArgError(`Cannot find device "${d}"`, 1);
    p.ifindex = idx;
  }
  if (p.eaction === MIRRED_EACTION.EGRESS_MIRROR || p.eaction === MIRRED_EACTION.INGRESS_MIRROR) {
    p.action = parseActionControl(t, false, true) ?? TC_ACT.PIPE;
  }
  if (t.argc > 0) {
    if (iok && matches(t.cur, 'index')) throw new TcArgError('mirred: Illegal double index', 1);
    if (matches(t.cur, 'index')) {
      const v = getUnsigned(t.next(), 10);
      if (v === null) throw new TcArgError('mirred: Illegal "index"', 1);
      p.index = v;
      t.fwd();
    }
  }
  return { parms: p };
}

function parse(t: Tokens, env: TcEnv): MirredOptions {
  if (!matches(t.cur, 'mirred')) throw new TcArgError(`mirred bad argument ${t.cur}`, 1);
  const a = t.next();
  if (matches(a, 'egress') || matches(a, 'ingress') || matches(a, 'index')) return parseDirection(t, env);
  if (matches(a, 'help')) throw new TcArgError(USAGE.trimEnd(), 255);
  throw new TcArgError(`mirred option not supported ${a}`, 1);
}

function mirredN2a(e: number): string {
  switch (e) {
    case MIRRED_EACTION.EGRESS_REDIR: return 'Egress Redirect';
    case MIRRED_EACTION.INGRESS_REDIR: return 'Ingress Redirect';
    case MIRRED_EACTION.EGRESS_MIRROR: return 'Egress Mirror';
    case MIRRED_EACTION.INGRESS_MIRROR: return 'Ingress Mirror';
    default: return 'unknown';
  }
}

function print(p: Printer, o: MirredOptions | undefined, env: TcEnv): void {
  p.string(ANY, 'kind', '%s ', 'mirred');
  if (o === undefined) return;
  const m = o.parms;
  if (!m) {
    process.stderr.write('Missing mirred parameters\n');
    return;
  }
  const dev = env.linkName ? env.linkName(m.ifindex) : `if${m.ifindex}`;
  const e = m.eaction;
  p.string(FP, null, '(%s', mirredN2a(e));
  const action = e === MIRRED_EACTION.EGRESS_REDIR || e === MIRRED_EACTION.INGRESS_REDIR ? 'redirect'
    : e === MIRRED_EACTION.EGRESS_MIRROR || e === MIRRED_EACTION.INGRESS_MIRROR ? 'mirror' : 'unknown';
  const dir = e === MIRRED_EACTION.EGRESS_REDIR || e === MIRRED_EACTION.EGRESS_MIRROR ? 'egress'
    : e === MIRRED_EACTION.INGRESS_REDIR || e === MIRRED_EACTION.INGRESS_MIRROR ? 'ingress' : 'unknown';
  p.string(JSON_ONLY, 'mirred_action', '', action);
  p.string(JSON_ONLY, 'direction', '', dir);
  p.string(ANY, 'to_dev', ' to device %s)', dev);
  printActionControl(p, ' ', m.action, '');
  p.nl();
  p.uint(ANY, 'index', '\tindex %u', m.index);
  p.int(ANY, 'ref', ' ref %d', m.refcnt);
  p.int(ANY, 'bind', ' bind %d', m.bindcnt);
  if (env.stats && o.tm) printTm(p, o.tm);
  p.nl();
}

registerActionKind<MirredOptions>({ kind: 'mirred', options: mirredAttrs, parse, print });
