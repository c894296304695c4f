/**
 * How to load each qdisc/class kind module on demand, by kind name. The `tc`
 * command loads only the kinds a command needs (start-up time); the imports
 * are static so that bundlers include every kind.
 *
 * Keep in step with ./index.ts (test/unit/tc-kind-loaders.test.ts checks that
 * every kind module is listed here and registers the kinds named).
 * @module
 */

/** Kind name → loader of the module that registers it. */
export const KIND_LOADERS: Readonly<Record<string, () => Promise<unknown>>> = {
  pfifo: () => import('./fifo.js'),
  bfifo: () => import('./fifo.js'),
  pfifo_fast: () => import('./pfifo_fast.js'),
  htb: () => import('./htb.js'),
  tbf: () => import('./tbf.js'),
  ingress: () => import('./ingress.js'),
  clsact: () => import('./clsact.js'),
  noqueue: () => import('./noqueue.js'),
  cake: () => import('./cake.js'),
  codel: () => import('./codel.js'),
  fq_codel: () => import('./fq_codel.js'),
  fq: () => import('./fq.js'),
  netem: () => import('./netem.js'),
  sfq: () => import('./sfq.js'),
  red: () => import('./red.js'),
  prio: () => import('./prio.js'),
  multiq: () => import('./multiq.js'),
  pfifo_head_drop: () => import('./pfifo_head_drop.js'),
  plug: () => import('./plug.js'),
  mq: () => import('./mq.js'),
  drr: () => import('./drr.js'),
  qfq: () => import('./qfq.js'),
  hfsc: () => import('./hfsc.js'),
  mqprio: () => import('./mqprio.js'),
  ets: () => import('./ets.js'),
  taprio: () => import('./taprio.js'),
};
