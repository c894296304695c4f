/**
 * Every tc qdisc/class kind module rip has. Importing this file registers
 * them all (src/tc/kind.ts registry).
 *
 * To add a kind: create src/tc/kinds/<kind>.ts calling registerQdiscKind()
 * and append one `import './<kind>.js';` line to the list below. Name the
 * file after the kind: the `tc` command loads only the kind modules a
 * command needs, by that name (aliases for other names are in
 * src/cli/tc/common.ts KIND_FILES).
 * @module
 */
// Kinds of the tc foundation (the kinds this machine's kernel has).
import './fifo.js';
import './pfifo_fast.js';
import './htb.js';
import './tbf.js';
import './ingress.js';
import './clsact.js';
import './noqueue.js';
// Further kinds: one line each.
import './cake.js';
import './codel.js';
import './fq_codel.js';
import './fq.js';
import './netem.js';
import './sfq.js';
import './red.js';
import './prio.js';
import './multiq.js';
import './pfifo_head_drop.js';
import './plug.js';
import './mq.js';
import './drr.js';
import './qfq.js';
import './hfsc.js';
import './mqprio.js';
import './ets.js';
import './taprio.js';
