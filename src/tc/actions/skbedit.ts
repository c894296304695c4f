/**
 * skbedit: set a packet's queue mapping, priority, mark, packet type
 * (linux/tc_act/tc_skbedit.h; grammar and output of iproute2's
 * tc/m_skbedit.c).
 *
 * ```ts
 * import { skbedit } from 'rip/tc';
 * const markIt = skbedit({ mark: 0x10, mask: 0xff, priority: '1:10' });
 * ```
 * @module
 */
import { attrs, attr, struct, u16, u32, s32, u64, bytes, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { ANY, type Printer } from '../../output/printer.js';
import { TcArgError, type TcEnv } from '../kind.js';
import { registerActionKind, parseActionControl, printActionControl, printTm, tcfT, TC_ACT, type Action } from '../action.js';
import { parseClassid, formatClassid, toHandle, type HandleLike } from '../handle.js';
import { Tokens, getUnsigned, matches } from '../kinds/util.js';

/** TCA_SKBEDIT_* attributes. */
export const TCA_SKBEDIT = constants('TCA_SKBEDIT_', ['linux/tc_act/tc_skbedit.h'], {
  UNSPEC: 0, TM: 1, PARMS: 2, PRIORITY: 3, QUEUE_MAPPING: 4, MARK: 5, PAD: 6, PTYPE: 7, MASK: 8, FLAGS: 9,
});

/** SKBEDIT_F_* */
export const SKBEDIT_F = constants('SKBEDIT_F_', ['linux/tc_act/tc_skbedit.h'], {
  PRIORITY: 1, QUEUE_MAPPING: 2, MARK: 4, PTYPE: 8, MASK: 0x10, INHERITDSFIELD: 0x20,
});

/** PACKET_* types of `ptype`. */
const PTYPES: ReadonlyArray<readonly [string, number]> = [['host', 0], ['broadcast', 1], ['multicast', 2], ['otherhost', 3]];

/** struct tc_skbedit */
export const tcSkbedit = struct('tc_skbedit', { index: u32, capab: u32, action: s32, refcnt: s32, bindcnt: s32 });

/** TCA_ACT_OPTIONS of skbedit. */
export const skbeditAttrs = attrs('skbedit', {
  tm: attr(TCA_SKBEDIT.TM, tcfT),
  parms: attr(TCA_SKBEDIT.PARMS, tcSkbedit),
  queue_mapping: attr(TCA_SKBEDIT.QUEUE_MAPPING, u16),
  priority: attr(TCA_SKBEDIT.PRIORITY, u32),
  mark: attr(TCA_SKBEDIT.MARK, u32),
  mask: attr(TCA_SKBEDIT.MASK, u32),
  ptype: attr(TCA_SKBEDIT.PTYPE, u16),
  flags: attr(TCA_SKBEDIT.FLAGS, u64),
  pad: attr(TCA_SKBEDIT.PAD, bytes),
});
/** Decoded/encodable skbedit options. */
export type SkbeditOptions = Infer<typeof skbeditAttrs>;

declare module '../action.js' {
  interface ActionOptionsMap { skbedit: SkbeditOptions }
}

const USAGE = 'Usage: ... skbedit <[QM] [PM] [MM] [PT] [IF]>\n'
  + 'QM = queue_mapping QUEUE_MAPPING\n'
  + 'PM = priority PRIORITY\n'
  + 'MM = mark MARK[/MASK]\n'
  + 'PT = ptype PACKETYPE\n'
  + 'IF = inheritdsfield\n'
  + 'PACKETYPE = is one of:\n'
  + '  host, otherhost, broadcast, multicast\n'
  + 'QUEUE_MAPPING = device transmit queue to use\n'
  + 'PRIORITY = classID to assign to priority field\n'
  + 'MARK = firewall mark to set\n'
  + 'MASK = mask applied to firewall mark (0xffffffff by default)\n'
  + 'note: inheritdsfield maps DS field to skb->priority';

const fail = (msg: string): never => { throw new TcArgError(msg, 1); };

/** parse_skbedit() */
function parse(t: Tokens): SkbeditOptions {
  if (!matches(t.cur, 'skbedit')) fail('');
  t.next();
  let ok = 0;
  let qm: number | undefined, prio: number | undefined, mark: number | undefined, mask: number | undefined, ptype: number | undefined;
  let pure = 0n;
  while (t.argc > 0) {
    const a = t.cur;
    if (matches(a, 'queue_mapping')) {
      const v = getUnsigned(t.next(), 10);
      if (v === null || v > 65535) fail('Illegal queue_mapping');
      qm = v!;
      ok++;
    } else if (matches(a, 'priority')) {
      const c = parseClassid(t.next());
      if (c === null) fail('Illegal priority');
      prio = c!;
      ok++;
    } else if (matches(a, 'mark')) {
      const v = t.next();
      const slash = v.indexOf('/');
      const m = getUnsigned(slash >= 0 ? v.slice(0, slash) : v, 0);
      if (m === null) fail('Illegal mark');
      mark = m!;
      if (slash >= 0) {
        const k = getUnsigned(v.slice(slash + 1), 0);
        if (k === null) fail('Illegal mask');
        mask = k!;
      }
      ok++;
    } else if (matches(a, 'ptype')) {
      const v = t.next();
      const pt = PTYPES.find(([n]) => matches(v, n));
      if (!pt) fail(`Illegal ptype (${v})`);
      ptype = pt![1];
      ok++;
    } else if (matches(a, 'inheritdsfield')) {
      pure |= BigInt(SKBEDIT_F.INHERITDSFIELD);
      ok++;
    } else if (matches(a, 'help')) {
      throw new TcArgError(USAGE, 255);
    } else break;
    t.fwd();
  }
  const parms = { index: 0, capab: 0, action: parseActionControl(t, false, true) ?? TC_ACT.PIPE, refcnt: 0, bindcnt: 0 };
  if (t.argc > 0 && matches(t.cur, 'index')) {
    const v = getUnsigned(t.next(), 10);
    if (v === null) fail('skbedit: Illegal "index"');
    parms.index = v!;
    t.fwd();
    ok++;
  }
  if (!ok) fail(USAGE);
  const o: SkbeditOptions = { parms };
  if (qm !== undefined) o.queue_mapping = qm;
  if (prio !== undefined) o.priority = prio;
  if (mark !== undefined) o.mark = mark;
  if (mask !== undefined) o.mask = mask;
  if (ptype !== undefined) o.ptype = ptype;
  if (pure) o.flags = pure;
  return o;
}

function print(p: Printer, o: SkbeditOptions | undefined, env: TcEnv): void {
  p.string(ANY, 'kind', '%s ', 'skbedit');
  if (o === undefined) return;
  const s = o.parms;
  if (!s) {
    process.stderr.write('Missing skbedit parameters\n');
    return;
  }
  if (o.queue_mapping !== undefined) p.uint(ANY, 'queue_mapping', 'queue_mapping %u', o.queue_mapping);
  if (o.priority !== undefined) p.string(ANY, 'priority', ' priority %s', formatClassid(o.priority));
  if (o.mark !== undefined) p.uint(ANY, 'mark', ' mark %u', o.mark);
  if (o.mask !== undefined) p.hex(ANY, 'mask', '/%#x', o.mask);
  if (o.ptype !== undefined) {
    const n = PTYPES.find(([, v]) => v === o.ptype);
    if (n) p.string(ANY, 'ptype', ' ptype %s', n[0]);
    else p.uint(ANY, 'ptype', ' ptype %u', o.ptype);
  }
  if (o.flags !== undefined && o.flags & BigInt(SKBEDIT_F.INHERITDSFIELD)) p.null(ANY, 'inheritdsfield', ' %s', 'inheritdsfield');
  printActionControl(p, ' ', s.action, '');
  p.nl();
  p.uint(ANY, 'index', '\t index %u', s.index);
  p.int(ANY, 'ref', ' ref %d', s.refcnt);
  p.int(ANY, 'bind', ' bind %d', s.bindcnt);
  if (env.stats && o.tm) printTm(p, o.tm);
  p.nl();
}

registerActionKind<SkbeditOptions>({ kind: 'skbedit', options: skbeditAttrs, parse, print });

/** What {@link skbedit} takes. */
export interface SkbeditSpec {
  readonly queueMapping?: number;
  /** skb->priority as a class id ('1:10'). */
  readonly priority?: HandleLike;
  readonly mark?: number;
  readonly mask?: number;
  readonly ptype?: 'host' | 'broadcast' | 'multicast' | 'otherhost';
  readonly inheritDsfield?: boolean;
  readonly control?: number;
  readonly index?: number;
}

/** A skbedit action for a filter's action list. */
export function skbedit(spec: SkbeditSpec): Action {
  const o: SkbeditOptions = { parms: { index: spec.index ?? 0, capab: 0, action: spec.control ?? TC_ACT.PIPE, refcnt: 0, bindcnt: 0 } };
  if (spec.queueMapping !== undefined) o.queue_mapping = spec.queueMapping;
  if (spec.priority !== undefined) o.priority = toHandle(spec.priority, 'priority');
  if (spec.mark !== undefined) o.mark = spec.mark;
  if (spec.mask !== undefined) o.mask = spec.mask;
  if (spec.ptype !== undefined) o.ptype = PTYPES.find(([n]) => n === spec.ptype)![1];
  if (spec.inheritDsfield) o.flags = BigInt(SKBEDIT_F.INHERITDSFIELD);
  return { kind: 'skbedit', options: o };
}
