/**
 * fq (Fair Queue packet scheduler, with pacing): TCA_FQ_* options, tc(8)
 * grammar and printing as iproute2's tc/q_fq.c, and struct tc_fq_qd_stats.
 * @module
 */
import { attrs, attr, struct, u8, u32, u64, s64, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind, type TcEnv } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import {
  ANY, JSON_ONLY, Tokens, fail, usage, whatIs, getUnsigned, getTime, getTime64, getRate, printRate, printSize, percentRate,
  sprintTime, sprintTime64, fp,
} from './util.js';


/** TCA_FQ_* option attributes. */
export const TCA_FQ = constants('TCA_FQ_', ['linux/pkt_sched.h'], {
  PLIMIT: 1, FLOW_PLIMIT: 2, QUANTUM: 3, INITIAL_QUANTUM: 4, RATE_ENABLE: 5, FLOW_DEFAULT_RATE: 6,
  FLOW_MAX_RATE: 7, BUCKETS_LOG: 8, FLOW_REFILL_DELAY: 9, ORPHAN_MASK: 10, LOW_RATE_THRESHOLD: 11,
  CE_THRESHOLD: 12, TIMER_SLACK: 13, HORIZON: 14, HORIZON_DROP: 15,
});

/** The TCA_OPTIONS payload of fq (rates in bytes/s, times in µs except timer_slack in ns). */
export const fqOptions = attrs('TCA_FQ', {
  buckets_log: attr(TCA_FQ.BUCKETS_LOG, u32),
  limit: attr(TCA_FQ.PLIMIT, u32),
  flow_limit: attr(TCA_FQ.FLOW_PLIMIT, u32),
  quantum: attr(TCA_FQ.QUANTUM, u32),
  initial_quantum: attr(TCA_FQ.INITIAL_QUANTUM, u32),
  pacing: attr(TCA_FQ.RATE_ENABLE, u32),
  maxrate: attr(TCA_FQ.FLOW_MAX_RATE, u32),
  low_rate_threshold: attr(TCA_FQ.LOW_RATE_THRESHOLD, u32),
  defrate: attr(TCA_FQ.FLOW_DEFAULT_RATE, u32),
  refill_delay: attr(TCA_FQ.FLOW_REFILL_DELAY, u32),
  orphan_mask: attr(TCA_FQ.ORPHAN_MASK, u32),
  ce_threshold: attr(TCA_FQ.CE_THRESHOLD, u32),
  timer_slack: attr(TCA_FQ.TIMER_SLACK, u32),
  horizon: attr(TCA_FQ.HORIZON, u32),
  horizon_drop: attr(TCA_FQ.HORIZON_DROP, u8),
});
/** Decoded fq options. */
export type FqOptions = Infer<typeof fqOptions>;

/** struct tc_fq_qd_stats. */
export const fqXstats = struct('tc_fq_qd_stats', {
  gc_flows: u64, highprio_packets: u64, tcp_retrans: u64, throttled: u64, flows_plimit: u64,
  pkts_too_long: u64, allocation_errors: u64, time_next_delayed_flow: s64, flows: u32,
  inactive_flows: u32, throttled_flows: u32, unthrottle_latency_ns: u32, ce_mark: u64,
  horizon_drops: u64, horizon_caps: u64,
});
/** Decoded fq xstats. */
export type FqXstats = Infer<typeof fqXstats>;

/** `tc qdisc add … fq help`. */
export const FQ_USAGE = `Usage: ... fq	[ limit PACKETS ] [ flow_limit PACKETS ]
		[ quantum BYTES ] [ initial_quantum BYTES ]
		[ maxrate RATE  ] [ buckets NUMBER ]
		[ [no]pacing ] [ refill_delay TIME ]
		[ low_rate_threshold RATE ]
		[ orphan_mask MASK]
		[ timer_slack TIME]
		[ ce_threshold TIME ]
		[ horizon TIME ]
		[ horizon_{cap|drop} ]
`;

function ilog2(v: number): number {
  let res = 0;
  let x = (v - 1) >>> 0;
  while (x) { res++; x >>>= 1; }
  return res;
}

/** tc(8) fq grammar (q_fq.c). `env.ifindex` names the device for percentage rates. */
export function parseFq(argv: readonly string[], env: TcEnv): FqOptions {
  const a = new Tokens(argv);
  const set: Partial<Record<keyof FqOptions, number>> = {};
  let buckets = 0, pacing = -1, horizonDrop = 255;
  const rate = (name: string, v: string): number => {
    const r = v.includes('%') ? percentRate(v, env) : getRate(v);
    if (r === null) fail(`Illegal "${name}"`);
    return r;
  };
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (t === 'limit' || t === 'flow_limit' || t === 'buckets' || t === 'quantum' || t === 'initial_quantum' || t === 'orphan_mask') {
      const v = getUnsigned(a.next());
      // iproute2 names initial_quantum in orphan_mask's error (copy-paste in q_fq.c).
      if (v === null) fail(`Illegal "${t === 'orphan_mask' ? 'initial_quantum' : t}"`);
      if (t === 'buckets') buckets = v; else set[t] = v;
    } else if (t === 'maxrate' || t === 'defrate') {
      set[t] = rate(t, a.next());
    } else if (t === 'low_rate_threshold') {
      const v = getRate(a.next());
      if (v === null) fail('Illegal "low_rate_threshold"');
      set.low_rate_threshold = v;
    } else if (t === 'ce_threshold' || t === 'horizon' || t === 'refill_delay') {
      const v = getTime(a.next());
      if (v === null) fail(`Illegal "${t}"`);
      set[t] = v;
    } else if (t === 'timer_slack') {
      const v = getTime64(a.next());
      if (v === null) fail('Illegal "timer_slack"');
      if (v < 0n || v > 0xffffffffn) fail('Illegal (out of range) "timer_slack"');
      set.timer_slack = Number(v);
    } else if (t === 'horizon_drop') horizonDrop = 1;
    else if (t === 'horizon_cap') horizonDrop = 0;
    else if (t === 'pacing') pacing = 1;
    else if (t === 'nopacing') pacing = 0;
    else if (t === 'help') fail(usage(FQ_USAGE));
    else whatIs(t, FQ_USAGE);
  }
  const o: FqOptions = {};
  if (buckets) o.buckets_log = ilog2(buckets);
  if (set.limit !== undefined) o.limit = set.limit;
  if (set.flow_limit !== undefined) o.flow_limit = set.flow_limit;
  if (set.quantum !== undefined) o.quantum = set.quantum;
  if (set.initial_quantum !== undefined) o.initial_quantum = set.initial_quantum;
  if (pacing !== -1) o.pacing = pacing;
  if (set.maxrate !== undefined) o.maxrate = set.maxrate;
  if (set.low_rate_threshold !== undefined) o.low_rate_threshold = set.low_rate_threshold;
  if (set.defrate !== undefined) o.defrate = set.defrate;
  if (set.refill_delay !== undefined) o.refill_delay = set.refill_delay;
  if (set.orphan_mask !== undefined) o.orphan_mask = set.orphan_mask;
  if (set.ce_threshold !== undefined) o.ce_threshold = set.ce_threshold;
  if (set.timer_slack !== undefined) o.timer_slack = set.timer_slack;
  if (set.horizon !== undefined) o.horizon = set.horizon;
  if (horizonDrop !== 255) o.horizon_drop = horizonDrop;
  return o;
}

/** Print fq options (q_fq.c fq_print_opt). */
export function printFq(p: Printer, o: FqOptions, env: TcEnv): void {
  if (o.limit !== undefined) p.uint(ANY, 'limit', 'limit %up ', o.limit);
  if (o.flow_limit !== undefined) p.uint(ANY, 'flow_limit', 'flow_limit %up ', o.flow_limit);
  if (o.buckets_log !== undefined) p.uint(ANY, 'buckets', 'buckets %u ', 2 ** (o.buckets_log & 31));
  if (o.orphan_mask !== undefined) p.uint(ANY, 'orphan_mask', 'orphan_mask %u ', o.orphan_mask);
  if (o.pacing === 0) p.bool(ANY, 'pacing', 'nopacing ', false);
  if (o.quantum !== undefined) printSize(p, ANY, 'quantum', 'quantum %s ', o.quantum);
  if (o.initial_quantum !== undefined) printSize(p, ANY, 'initial_quantum', 'initial_quantum %s ', o.initial_quantum);
  if (o.maxrate !== undefined && o.maxrate !== 0xffffffff) printRate(p, env, ANY, 'maxrate', 'maxrate %s ', o.maxrate);
  if (o.defrate) printRate(p, env, ANY, 'defrate', 'defrate %s ', o.defrate);
  if (o.low_rate_threshold) printRate(p, env, ANY, 'low_rate_threshold', 'low_rate_threshold %s ', o.low_rate_threshold);
  if (o.refill_delay !== undefined) {
    p.uint(JSON_ONLY, 'refill_delay', '', o.refill_delay);
    fp(p, 'refill_delay %s ', sprintTime(o.refill_delay));
  }
  if (o.ce_threshold !== undefined && o.ce_threshold !== 0xffffffff) {
    p.uint(JSON_ONLY, 'ce_threshold', '', o.ce_threshold);
    fp(p, 'ce_threshold %s ', sprintTime(o.ce_threshold));
  }
  if (o.timer_slack !== undefined) {
    p.uint(JSON_ONLY, 'timer_slack', '', o.timer_slack);
    fp(p, 'timer_slack %s ', sprintTime64(o.timer_slack));
  }
  if (o.horizon !== undefined) {
    p.uint(JSON_ONLY, 'horizon', '', o.horizon);
    fp(p, 'horizon %s ', sprintTime(o.horizon));
  }
  if (o.horizon_drop !== undefined) {
    if (!o.horizon_drop) p.null(ANY, 'horizon_cap', 'horizon_cap ', '');
    else p.null(ANY, 'horizon_drop', 'horizon_drop ', '');
  }
}

/** Print fq xstats (q_fq.c fq_print_xstats). */
export function printFqXstats(p: Printer, st: FqXstats): void {
  p.uint(ANY, 'flows', '  flows %u', st.flows);
  p.uint(ANY, 'inactive', ' (inactive %u', st.inactive_flows);
  p.uint(ANY, 'throttled', ' throttled %u)', st.throttled_flows);
  if (st.time_next_delayed_flow > 0n) {
    p.u64(JSON_ONLY, 'next_packet_delay', '', st.time_next_delayed_flow);
    fp(p, ' next_packet_delay %s', sprintTime64(st.time_next_delayed_flow));
  }
  p.nl();
  p.u64(ANY, 'gc', '  gc %llu', st.gc_flows);
  p.u64(ANY, 'highprio', ' highprio %llu', st.highprio_packets);
  if (st.tcp_retrans) p.u64(ANY, 'retrans', ' retrans %llu', st.tcp_retrans);
  p.u64(ANY, 'throttled', ' throttled %llu', st.throttled);
  if (st.unthrottle_latency_ns) {
    p.uint(JSON_ONLY, 'latency', '', st.unthrottle_latency_ns);
    fp(p, ' latency %s', sprintTime64(st.unthrottle_latency_ns));
  }
  if (st.ce_mark) p.u64(ANY, 'ce_mark', ' ce_mark %llu', st.ce_mark);
  if (st.flows_plimit) p.u64(ANY, 'flows_plimit', ' flows_plimit %llu', st.flows_plimit);
  if (st.pkts_too_long || st.allocation_errors || st.horizon_drops || st.horizon_caps) {
    p.nl();
    if (st.pkts_too_long) p.u64(ANY, 'pkts_too_long', ' pkts_too_long %llu', st.pkts_too_long);
    if (st.allocation_errors) p.u64(ANY, 'alloc_errors', ' alloc_errors %llu', st.allocation_errors);
    if (st.horizon_drops) p.u64(ANY, 'horizon_drops', ' horizon_drops %llu', st.horizon_drops);
    if (st.horizon_caps) p.u64(ANY, 'horizon_caps', '  horizon_caps %llu', st.horizon_caps);
  }
}

/** The fq kind module. */
export const fqKind: QdiscKind<FqOptions> = {
  kind: 'fq',
  options: fqOptions,
  alwaysSendOptions: true,
  xstats: fqXstats,
  usage: FQ_USAGE,
  parse: parseFq,
  print: printFq,
  printXstats: (p, x) => printFqXstats(p, x as FqXstats),
};

registerQdiscKind(fqKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    fq: FqOptions;
  }
}
