/**
 * Golden bytes: for every `tc qdisc|class …` line captured from iproute2 6.1
 * (test/fixtures/golden/tc-core*.json), the request our tc CLI parser and the
 * schema build must be byte-identical, rate tables included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertSameBytes, loadGolden, type GoldenCase } from '../helpers/golden.js';
import { Writer } from '../../src/netlink/codec/writer.js';
import { NLM_F } from '../../src/netlink/constants.js';
import { rtRequest } from '../../src/netlink/rtnetlink/request.js';
import { qdiscMessage, classMessage } from '../../src/tc/schema.js';
import { QDISC_OPS, type QdiscOp } from '../../src/tc/qdisc.js';
import { CLASS_OPS, type ClassOp } from '../../src/tc/class.js';
import { parseQdiscModify } from '../../src/cli/tc/qdisc.js';
import { parseClassModify } from '../../src/cli/tc/class.js';
import { matches } from '../../src/cli/common/args.js';
import type { TcEnv } from '../../src/tc/kind.js';

// The captures were made on a kernel whose /proc/net/psched reads like this; pin it.
const pschedFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rip-psched-')), 'psched');
fs.writeFileSync(pschedFile, '000003e8 00000040 000f4240 3b9aca00\n');
process.env.PROC_NET_PSCHED = pschedFile;

/** ifindexes of the capture setup (lo = 1, veth1 = 2, veth0 = 3). */
const IFINDEX: Record<string, number> = { lo: 1, veth1: 2, veth0: 3 };
/** veth link speed in Mbit/s (percent rates). */
const SPEED = 10000;

const env = (dev: string): TcEnv => ({ ifindex: IFINDEX[dev] ?? 0, iec: false, stats: 0, details: 0, raw: false, dev, linkSpeed: () => SPEED });

/** Build our request bytes for a captured command line. */
export function ourBytes(cmd: string): Buffer {
  const argv = cmd.split(/\s+/).slice(1);
  const [obj, verb, ...rest] = argv;
  const w = new Writer();
  if (matches(obj, 'qdisc')) {
    const op: QdiscOp = matches(verb, 'add') ? 'add' : matches(verb, 'change') ? 'change' : matches(verb, 'replace') ? 'replace'
      : matches(verb, 'link') ? 'link' : 'del';
    const r = parseQdiscModify(rest, env);
    const header = { ...r.header, ifindex: IFINDEX[r.dev] ?? 0 };
    rtRequest(qdiscMessage, QDISC_OPS[op].type, QDISC_OPS[op].flags | NLM_F.ACK, header, r.attrs)(w, 0);
  } else {
    const op: ClassOp = matches(verb, 'add') ? 'add' : matches(verb, 'change') ? 'change' : matches(verb, 'replace') ? 'replace' : 'del';
    const r = parseClassModify(rest, env);
    assert.notEqual(typeof r, 'number');
    if (typeof r === 'number') throw new Error('unreachable');
    const header = { ...r.header, ifindex: IFINDEX[r.dev] ?? 0 };
    rtRequest(classMessage, CLASS_OPS[op].type, CLASS_OPS[op].flags | NLM_F.ACK, header, r.attrs)(w, 0);
  }
  return w.toBuffer();
}

function suites(): GoldenCase[] {
  const dir = path.dirname(path.join(process.cwd(), 'test', 'fixtures', 'golden', 'x'));
  void dir;
  const names = ['tc-core', 'tc-core-rates'];
  return names.flatMap((n) => loadGolden(n));
}

const cases = suites();

test('there are at least 40 captured tc qdisc/class lines', () => {
  assert.ok(cases.length >= 40, `only ${cases.length}`);
});

for (const c of cases) {
  test(`golden: ${c.cmd}`, () => {
    assert.equal(c.buffers.length, 1, 'one request per command');
    assertSameBytes(ourBytes(c.cmd), c.buffers[0]!, c.cmd);
  });
}
