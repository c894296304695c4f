/**
 * fq_codel (Fair Queuing with Controlled Delay): TCA_FQ_CODEL_* options,
 * tc(8) grammar and printing as iproute2's tc/q_fq_codel.c, and the
 * qdisc/class variants of struct tc_fq_codel_xstats.
 * @module
 */
import { attrs, attr, struct, u8, u32, s32, type Codec, type Infer } from '../../netlink/codec/schema.js';
import { ParseError } from '../../netlink/codec/errors.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import { ANY, JSON_ONLY, Tokens, fail, usage, whatIs, getUnsigned, getTime, getSize, printSize, sprintTime, fp } from './util.js';
import { printTimeField } from './codel.js';

const H = ['linux/pkt_sched.h'];
/** TCA_FQ_CODEL_* option attributes. */
export const TCA_FQ_CODEL = constants('TCA_FQ_CODEL_', H, {
  TARGET: 1, LIMIT: 2, INTERVAL: 3, ECN: 4, FLOWS: 5, QUANTUM: 6, CE_THRESHOLD: 7,
  DROP_BATCH_SIZE: 8, MEMORY_LIMIT: 9, CE_THRESHOLD_SELECTOR: 10, CE_THRESHOLD_MASK: 11,
});
/** tc_fq_codel_xstats.type values. */
export const TCA_FQ_CODEL_XSTATS = constants('TCA_FQ_CODEL_XSTATS_', H, { QDISC: 0, CLASS: 1 });

/** The TCA_OPTIONS payload of fq_codel. Times are microseconds. */
export const fqCodelOptions = attrs('TCA_FQ_CODEL', {
  limit: attr(TCA_FQ_CODEL.LIMIT, u32),
  flows: attr(TCA_FQ_CODEL.FLOWS, u32),
  quantum: attr(TCA_FQ_CODEL.QUANTUM, u32),
  interval: attr(TCA_FQ_CODEL.INTERVAL, u32),
  target: attr(TCA_FQ_CODEL.TARGET, u32),
  ecn: attr(TCA_FQ_CODEL.ECN, u32),
  ce_threshold: attr(TCA_FQ_CODEL.CE_THRESHOLD, u32),
  ce_threshold_mask: attr(TCA_FQ_CODEL.CE_THRESHOLD_MASK, u8),
  ce_threshold_selector: attr(TCA_FQ_CODEL.CE_THRESHOLD_SELECTOR, u8),
  memory_limit: attr(TCA_FQ_CODEL.MEMORY_LIMIT, u32),
  drop_batch: attr(TCA_FQ_CODEL.DROP_BATCH_SIZE, u32),
});
/** Decoded fq_codel options. */
export type FqCodelOptions = Infer<typeof fqCodelOptions>;

const qdiscStats = struct('tc_fq_codel_qd_stats', {
  maxpacket: u32, drop_overlimit: u32, ecn_mark: u32, new_flow_count: u32, new_flows_len: u32,
  old_flows_len: u32, ce_mark: u32, memory_usage: u32, drop_overmemory: u32,
});
const classStats = struct('tc_fq_codel_cl_stats', {
  deficit: s32, ldelay: u32, count: u32, lastcount: u32, dropping: u32, drop_next: s32,
});
/** struct tc_fq_codel_xstats: a type tag and the qdisc or class stats. */
export type FqCodelXstats =
  | ({ type: 'qdisc' } & Infer<typeof qdiscStats>)
  | ({ type: 'class' } & Infer<typeof classStats>)
  | { type: 'unknown'; tag: number };

/** Codec of struct tc_fq_codel_xstats (u32 type + union; short payloads read as zero-filled). */
export const fqCodelXstats: Codec<FqCodelXstats> = {
  name: 'tc_fq_codel_xstats',
  encode(w, v) {
    if (v.type === 'qdisc') { w.u32(TCA_FQ_CODEL_XSTATS.QDISC); qdiscStats.encode(w, v, {}); } else if (v.type === 'class') { w.u32(TCA_FQ_CODEL_XSTATS.CLASS); classStats.encode(w, v, {}); } else w.u32(v.tag);
  },
  decode(buf, off, len) {
    if (len < 4) throw new ParseError(`tc_fq_codel_xstats needs 4 bytes, got ${len}`, off);
    const tag = buf.readUInt32LE(off);
    if (tag === TCA_FQ_CODEL_XSTATS.QDISC) return { type: 'qdisc', ...qdiscStats.decode(buf, off + 4, len - 4) };
    if (tag === TCA_FQ_CODEL_XSTATS.CLASS) return { type: 'class', ...classStats.decode(buf, off + 4, len - 4) };
    return { type: 'unknown', tag };
  },
  arbitrary(rng) {
    return rng.bool() ? { type: 'qdisc', ...qdiscStats.arbitrary(rng, {}) } : { type: 'class', ...classStats.arbitrary(rng, {}) };
  },
};

/** `tc qdisc add … fq_codel help`. */
export const FQ_CODEL_USAGE = `Usage: ... fq_codel	[ limit PACKETS ] [ flows NUMBER ]
[ memory_limit BYTES ]
[ target TIME ] [ interval TIME ]
[ quantum BYTES ] [ [no]ecn ]
[ ce_threshold TIME ]
[ ce_threshold_selector VALUE/MASK ]
[ drop_batch SIZE ]
`;

/** tc(8) fq_codel grammar (q_fq_codel.c). */
export function parseFqCodel(argv: readonly string[]): FqCodelOptions {
  const a = new Tokens(argv);
  let dropBatch = 0, limit = 0, flows = 0, target = 0, interval = 0, quantum = 0;
  let ce = 0xffffffff, memory = 0xffffffff, mask = 0, selector = 0xff, ecn = -1;
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (t === 'limit' || t === 'flows' || t === 'quantum' || t === 'drop_batch') {
      const v = getUnsigned(a.next());
      if (v === null) fail(`Illegal "${t}"`);
      if (t === 'limit') limit = v; else if (t === 'flows') flows = v; else if (t === 'quantum') quantum = v; else dropBatch = v;
    } else if (t === 'target' || t === 'ce_threshold' || t === 'interval') {
      const v = getTime(a.next());
      if (v === null) fail(`Illegal "${t}"`);
      if (t === 'target') target = v; else if (t === 'interval') interval = v; else ce = v;
    } else if (t === 'ce_threshold_selector') {
      const v = a.next();
      const slash = v.indexOf('/');
      if (slash < 0) fail('Missing mask for "ce_threshold_selector"');
      const m = getUnsigned(v.slice(slash + 1), 0, 0xff);
      if (m === null) fail('Illegal mask for "ce_threshold_selector"');
      mask = m;
      const s = getUnsigned(v.slice(0, slash), 0, 0xff);
      if (s === null) fail('Illegal "ce_threshold_selector"');
      selector = s;
    } else if (t === 'memory_limit') {
      const v = getSize(a.next());
      if (v === null) fail('Illegal "memory_limit"');
      memory = v;
    } else if (t === 'ecn') ecn = 1;
    else if (t === 'noecn') ecn = 0;
    else if (t === 'help') fail(usage(FQ_CODEL_USAGE));
    else whatIs(t, FQ_CODEL_USAGE);
  }
  const o: FqCodelOptions = {};
  if (limit) o.limit = limit;
  if (flows) o.flows = flows;
  if (quantum) o.quantum = quantum;
  if (interval) o.interval = interval;
  if (target) o.target = target;
  if (ecn !== -1) o.ecn = ecn;
  if (ce !== 0xffffffff) o.ce_threshold = ce;
  if (selector !== 0xff) { o.ce_threshold_mask = mask; o.ce_threshold_selector = selector; }
  if (memory !== 0xffffffff) o.memory_limit = memory;
  if (dropBatch) o.drop_batch = dropBatch;
  return o;
}

/** Print fq_codel options (q_fq_codel.c fq_codel_print_opt). */
export function printFqCodel(p: Printer, o: FqCodelOptions): void {
  if (o.limit !== undefined) p.uint(ANY, 'limit', 'limit %up ', o.limit);
  if (o.flows !== undefined) p.uint(ANY, 'flows', 'flows %u ', o.flows);
  if (o.quantum !== undefined) p.uint(ANY, 'quantum', 'quantum %u ', o.quantum);
  if (o.target !== undefined) printTimeField(p, 'target', o.target);
  if (o.ce_threshold !== undefined) printTimeField(p, 'ce_threshold', o.ce_threshold);
  const sel = o.ce_threshold_selector ?? 0;
  const mask = o.ce_threshold_mask ?? 0;
  if (mask || sel) {
    p.uint(ANY, 'ce_threshold_selector', 'ce_threshold_selector %#x', sel);
    p.uint(ANY, 'ce_threshold_mask', '/%#x ', mask);
  }
  if (o.interval !== undefined) printTimeField(p, 'interval', o.interval);
  if (o.memory_limit !== undefined) printSize(p, ANY, 'memory_limit', 'memory_limit %s ', o.memory_limit);
  if (o.ecn) p.bool(ANY, 'ecn', 'ecn ', true);
  if (o.drop_batch) p.uint(ANY, 'drop_batch', 'drop_batch %u ', o.drop_batch);
}

/** Print fq_codel xstats (q_fq_codel.c fq_codel_print_xstats). */
export function printFqCodelXstats(p: Printer, st: FqCodelXstats): void {
  if (st.type === 'qdisc') {
    p.uint(ANY, 'maxpacket', '  maxpacket %u', st.maxpacket);
    p.uint(ANY, 'drop_overlimit', ' drop_overlimit %u', st.drop_overlimit);
    p.uint(ANY, 'new_flow_count', ' new_flow_count %u', st.new_flow_count);
    p.uint(ANY, 'ecn_mark', ' ecn_mark %u', st.ecn_mark);
    if (st.ce_mark) p.uint(ANY, 'ce_mark', ' ce_mark %u', st.ce_mark);
    if (st.memory_usage) p.uint(ANY, 'memory_used', ' memory_used %u', st.memory_usage);
    if (st.drop_overmemory) p.uint(ANY, 'drop_overmemory', ' drop_overmemory %u', st.drop_overmemory);
    p.nl();
    p.uint(ANY, 'new_flows_len', '  new_flows_len %u', st.new_flows_len);
    p.uint(ANY, 'old_flows_len', ' old_flows_len %u', st.old_flows_len);
  } else if (st.type === 'class') {
    p.int(ANY, 'deficit', '  deficit %d', st.deficit);
    p.uint(ANY, 'count', ' count %u', st.count);
    p.uint(ANY, 'lastcount', ' lastcount %u', st.lastcount);
    p.uint(JSON_ONLY, 'ldelay', '', st.ldelay);
    fp(p, ' ldelay %s', sprintTime(st.ldelay));
    if (st.dropping) {
      p.bool(ANY, 'dropping', ' dropping', true);
      p.int(JSON_ONLY, 'drop_next', '', st.drop_next);
      if (st.drop_next < 0) fp(p, ' drop_next -%s', sprintTime(-st.drop_next));
      else fp(p, ' drop_next %s', sprintTime(st.drop_next));
    }
  }
}

/** The fq_codel kind module. */
export const fqCodelKind: QdiscKind<FqCodelOptions> = {
  kind: 'fq_codel',
  options: fqCodelOptions,
  alwaysSendOptions: true,
  xstats: fqCodelXstats as Codec<unknown>,
  usage: FQ_CODEL_USAGE,
  parse: (tokens) => parseFqCodel(tokens),
  print: (p, o) => printFqCodel(p, o),
  printXstats: (p, x) => printFqCodelXstats(p, x as FqCodelXstats),
  classXstats: fqCodelXstats as Codec<unknown>,
  printClassXstats: (p, x) => printFqCodelXstats(p, x as FqCodelXstats),
};

registerQdiscKind(fqCodelKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    fq_codel: FqCodelOptions;
  }
}
