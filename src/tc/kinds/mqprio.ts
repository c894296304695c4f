/**
 * mqprio (multiqueue priority): struct tc_mqprio_qopt followed by
 * TCA_MQPRIO_* attributes (mode, shaper, per-TC min/max rates), tc(8)
 * grammar and printing as iproute2's tc/q_mqprio.c.
 * @module
 */
import { attrs, attr, struct, headed, multi, u8, u16, u64, type Infer } from '../../netlink/codec/schema.js';
import { NLA_F_NESTED } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind, type TcEnv } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import { ANY, JSON_ONLY, Tokens, fail, usage, invarg, matches, getUnsigned, getRate64, fixedArray, printRate } from './util.js';

const H = ['linux/pkt_sched.h'];
/** TCA_MQPRIO_* attributes. */
export const TCA_MQPRIO = constants('TCA_MQPRIO_', H, { MODE: 1, SHAPER: 2, MIN_RATE64: 3, MAX_RATE64: 4 });
/** TC_MQPRIO_MODE_*. */
export const TC_MQPRIO_MODE = constants('TC_MQPRIO_MODE_', H, { DCB: 0, CHANNEL: 1 });
/** TC_MQPRIO_SHAPER_*. */
export const TC_MQPRIO_SHAPER = constants('TC_MQPRIO_SHAPER_', H, { DCB: 0, BW_RATE: 1 });
/** TC_QOPT_MAX_QUEUE: traffic classes (and queue ranges) at most. */
export const TC_QOPT_MAX_QUEUE = 16;

/** struct tc_mqprio_qopt. */
export const mqprioQopt = struct('tc_mqprio_qopt', {
  num_tc: u8, prio_tc_map: fixedArray(u8, 16), hw: u8, count: fixedArray(u16, 16), offset: fixedArray(u16, 16),
});
const rates = attrs('TCA_MQPRIO_RATE64', { min: multi(TCA_MQPRIO.MIN_RATE64, u64), max: multi(TCA_MQPRIO.MAX_RATE64, u64) });
/** Attributes after the struct. */
export const mqprioAttrs = attrs('TCA_MQPRIO', {
  mode: attr(TCA_MQPRIO.MODE, u16),
  shaper: attr(TCA_MQPRIO.SHAPER, u16),
  min_rate: attr(TCA_MQPRIO.MIN_RATE64, rates, NLA_F_NESTED),
  max_rate: attr(TCA_MQPRIO.MAX_RATE64, rates, NLA_F_NESTED),
});
/** The TCA_OPTIONS payload of mqprio. */
export const mqprioOptions = headed('tc_mqprio', mqprioQopt, mqprioAttrs);
/** Decoded mqprio options. */
export type MqprioOptions = Infer<typeof mqprioOptions>;

/** `tc qdisc add … mqprio help`. */
export const MQPRIO_USAGE = `Usage: ... mqprio	[num_tc NUMBER] [map P0 P1 ...]
			[queues count1@offset1 count2@offset2 ...] [hw 1|0]
			[mode dcb|channel]
			[shaper bw_rlimit SHAPER_PARAMS]
Where: SHAPER_PARAMS := { min_rate MIN_RATE1 MIN_RATE2 ...|
			  max_rate MAX_RATE1 MAX_RATE2 ... }
`;

/** tc(8) mqprio grammar (q_mqprio.c). */
export function parseMqprio(argv: readonly string[]): MqprioOptions {
  const a = new Tokens(argv);
  const q = {
    num_tc: 8, prio_tc_map: [0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 1, 1, 3, 3, 3, 3], hw: 1,
    count: new Array<number>(16).fill(0), offset: new Array<number>(16).fill(0),
  };
  const minRate = new Array<bigint>(16).fill(0n);
  const maxRate = new Array<bigint>(16).fill(0n);
  let shaper: number = TC_MQPRIO_SHAPER.DCB, mode: number = TC_MQPRIO_MODE.DCB, pairs = 0, flags = 0;
  const hasNext = (): boolean => a.peek() !== undefined;
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    let idx = 0;
    if (t === 'num_tc') {
      const v = getUnsigned(a.next(), 10, 0xff);
      if (v === null) fail('Illegal "num_tc"');
      q.num_tc = v;
    } else if (t === 'map') {
      while (idx < TC_QOPT_MAX_QUEUE && hasNext()) {
        const v = getUnsigned(a.next(), 10, 0xff);
        if (v === null) { a.back(); break; }
        q.prio_tc_map[idx++] = v;
      }
      for (; idx < TC_QOPT_MAX_QUEUE; idx++) q.prio_tc_map[idx] = 0;
    } else if (t === 'queues') {
      while (idx < TC_QOPT_MAX_QUEUE && hasNext()) {
        const [c, o] = a.next().split('@');
        const cn = c === undefined ? null : getUnsigned(c, 10, 0xffff);
        const on = o === undefined || cn === null ? null : getUnsigned(o, 10, 0xffff);
        if (cn === null || on === null) {
          // iproute2 keeps a count it parsed even when the offset is bad.
          if (cn !== null) q.count[idx] = cn;
          a.back();
          break;
        }
        q.count[idx] = cn;
        q.offset[idx] = on;
        idx++;
        pairs++;
      }
    } else if (t === 'hw') {
      const v = getUnsigned(a.next(), 10, 0xff);
      if (v === null) fail('Illegal "hw"');
      q.hw = v;
    } else if (q.hw && t === 'mode') {
      const v = a.next();
      if (matches(v, 'dcb')) mode = TC_MQPRIO_MODE.DCB;
      else if (matches(v, 'channel')) mode = TC_MQPRIO_MODE.CHANNEL;
      else fail(`Illegal mode (${v})`);
      if (mode !== TC_MQPRIO_MODE.DCB) flags |= 1;
    } else if (q.hw && t === 'shaper') {
      const v = a.next();
      if (matches(v, 'dcb')) shaper = TC_MQPRIO_SHAPER.DCB;
      else if (matches(v, 'bw_rlimit')) {
        shaper = TC_MQPRIO_SHAPER.BW_RATE;
        if (!hasNext()) fail('Incomplete shaper arguments');
      } else fail(`Illegal shaper (${v})`);
      if (shaper !== TC_MQPRIO_SHAPER.DCB) flags |= 2;
    } else if (shaper === TC_MQPRIO_SHAPER.BW_RATE && (t === 'min_rate' || t === 'max_rate')) {
      const arr = t === 'min_rate' ? minRate : maxRate;
      while (idx < TC_QOPT_MAX_QUEUE && hasNext()) {
        const v = getRate64(a.next());
        if (v === null) { a.back(); break; }
        arr[idx++] = v;
      }
      if (idx < q.num_tc && !hasNext()) fail(`Incomplete arguments, ${t} values expected`);
      flags |= t === 'min_rate' ? 4 : 8;
    } else if (t === 'help') fail(usage(MQPRIO_USAGE));
    else invarg('unknown argument', t);
  }
  if (pairs > q.num_tc) fail(`queues count/offset pair count ${pairs} can not be higher than given num_tc ${q.num_tc}`);
  const at: Infer<typeof mqprioAttrs> = {};
  if (flags & 1) at.mode = mode;
  if (flags & 2) at.shaper = shaper;
  if (flags & 4) at.min_rate = { min: minRate };
  if (flags & 8) at.max_rate = { max: maxRate };
  return { header: q, attrs: at };
}

function printRates(p: Printer, env: TcEnv, key: string, label: string, list: readonly bigint[], n: number): void {
  p.openArray(ANY, p.inJson ? key : label);
  for (let i = 0; i < n; i++) printRate(p, env, ANY, null, '%s ', list[i] ?? 0n);
  p.closeArray(ANY, '');
}

/** Print mqprio options (q_mqprio.c mqprio_print_opt). */
export function printMqprio(p: Printer, o: MqprioOptions, env: TcEnv, hasAttrs = true): void {
  const q = o.header;
  p.uint(ANY, 'tc', 'tc %u ', q.num_tc);
  p.openArray(ANY, p.inJson ? 'map' : 'map ');
  for (let i = 0; i <= 15; i++) p.uint(ANY, null, '%u ', q.prio_tc_map[i] ?? 0);
  p.closeArray(ANY, '');
  p.openArray(ANY, p.inJson ? 'queues' : '\n             queues:');
  for (let i = 0; i < q.num_tc && i < 16; i++) {
    p.openArray(JSON_ONLY, '');
    p.uint(ANY, null, '(%u:', q.offset[i] ?? 0);
    p.uint(ANY, null, '%u) ', ((q.offset[i] ?? 0) + (q.count[i] ?? 0) - 1) >>> 0);
    p.closeArray(JSON_ONLY, '');
  }
  p.closeArray(ANY, '');
  if (!hasAttrs) return;
  const at = o.attrs;
  if (at.mode !== undefined) {
    if (at.mode === TC_MQPRIO_MODE.CHANNEL) p.string(ANY, 'mode', '\n             mode:%s', 'channel');
  } else p.string(ANY, 'mode', '\n             mode:%s', 'dcb');
  if (at.shaper !== undefined) {
    if (at.shaper === TC_MQPRIO_SHAPER.BW_RATE) p.string(ANY, 'shaper', '\n             shaper:%s', 'bw_rlimit');
  } else p.string(ANY, 'shaper', '\n             shaper:%s', 'dcb');
  if (at.min_rate) printRates(p, env, 'min_rate', '	min_rate:', at.min_rate.min ?? [], q.num_tc);
  if (at.max_rate) printRates(p, env, 'max_rate', '	max_rate:', at.max_rate.max ?? [], q.num_tc);
}

/** The mqprio kind module. */
export const mqprioKind: QdiscKind<MqprioOptions> = {
  kind: 'mqprio',
  options: mqprioOptions,
  alwaysSendOptions: true,
  usage: MQPRIO_USAGE,
  parse: (tokens) => parseMqprio(tokens),
  // iproute2 prints mode/shaper only when attributes follow the struct; the
  // decoded attribute set is empty exactly then.
  print: (p, o, env) => printMqprio(p, o, env, Object.keys(o.attrs).length > 0),
};

registerQdiscKind(mqprioKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    mqprio: MqprioOptions;
  }
}
