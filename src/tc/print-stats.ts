/**
 * print_tcstats2_attr() of iproute2's tc/tc_util.c: the `-s` lines of a
 * TCA_STATS2 nest (Sent …, rate …, backlog …), shared by qdiscs, classes,
 * filters and actions.
 * @module
 */
import { ANY, FP, JSON_ONLY, type Printer } from '../output/printer.js';
import type { Stats2Attrs } from './schema.js';
import { sprintRate, sprintSize } from './units.js';

/** Print a decoded TCA_STATS2 nest as tc does, each line starting with `prefix`. */
export function printStats2(p: Printer, s2: Stats2Attrs, prefix: string, iec: boolean): void {
  if (s2.basic) {
    p.string(FP, null, '%s', prefix);
    p.u64(ANY, 'bytes', 'Sent %llu bytes', s2.basic.bytes);
    if (s2.pkt64) p.u64(ANY, 'packets', ' %llu pkt', s2.pkt64);
    else p.uint(ANY, 'packets', ' %u pkt', s2.basic.packets);
  }
  const q = s2.queue;
  if (q) {
    p.uint(ANY, 'drops', ' (dropped %u', q.drops);
    p.uint(ANY, 'overlimits', ', overlimits %u', q.overlimits);
    p.uint(ANY, 'requeues', ' requeues %u) ', q.requeues);
  }
  if (s2.basic_hw) {
    const hw = s2.basic_hw;
    if (hw.bytes !== 0n || hw.packets !== 0) {
      const bs = s2.basic;
      if (bs && bs.bytes >= hw.bytes && bs.packets >= hw.packets) {
        p.nl();
        p.string(FP, null, '%s', prefix);
        p.u64(ANY, 'sw_bytes', 'Sent software %llu bytes', bs.bytes - hw.bytes);
        p.uint(ANY, 'sw_packets', ' %u pkt', bs.packets - hw.packets);
      }
      p.nl();
      p.string(FP, null, '%s', prefix);
      p.u64(ANY, 'hw_bytes', 'Sent hardware %llu bytes', hw.bytes);
      p.uint(ANY, 'hw_packets', ' %u pkt', hw.packets);
    }
  }
  if (s2.rate_est64) {
    p.string(FP, null, '\n%s', prefix);
    p.u64(JSON_ONLY, 'rate', '', s2.rate_est64.bps);
    p.string(FP, null, 'rate %s', sprintRate(s2.rate_est64.bps, iec));
    p.u64(ANY, 'pps', ' %llupps', s2.rate_est64.pps);
  } else if (s2.rate_est) {
    p.string(FP, null, '\n%s', prefix);
    p.uint(JSON_ONLY, 'rate', '', s2.rate_est.bps);
    p.string(FP, null, 'rate %s', sprintRate(BigInt(s2.rate_est.bps), iec));
    p.uint(ANY, 'pps', ' %upps', s2.rate_est.pps);
  }
  if (q) {
    if (!s2.rate_est) p.nl();
    p.string(FP, null, '%s', prefix);
    p.uint(JSON_ONLY, 'backlog', '', q.backlog);
    p.string(FP, null, 'backlog %s', sprintSize(q.backlog));
    p.uint(ANY, 'qlen', ' %up', q.qlen);
    p.uint(FP, null, ' requeues %u', q.requeues);
  }
}
