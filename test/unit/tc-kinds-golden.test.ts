/**
 * Golden bytes for the tc qdisc/class kinds this kernel lacks: for every
 * command line in test/fixtures/golden/tc-kinds.json (captured from
 * iproute2 6.1 with strace), parse the kind's tokens with our kind module,
 * build the RTM_NEWQDISC/RTM_NEWTCLASS request (tcmsg + TCA_KIND +
 * TCA_OPTIONS through the shared TCA schema) and compare bytes.
 * Also: decode(encode(x)) is x for every parsed value, and iproute2's
 * parse errors (text and exit status) for bad input.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Writer } from '../../src/netlink/codec/writer.js';
import { NLM_F, RTM } from '../../src/netlink/constants.js';
import { rtRequest } from '../../src/netlink/rtnetlink/request.js';
import { qdiscMessage, classMessage } from '../../src/tc/schema.js';
import { parseClassid, parseQdiscHandle } from '../../src/tc/handle.js';
import { qdiscKind, TcArgError, type TcEnv } from '../../src/tc/kind.js';
import '../../src/tc/kinds/index.js';
import { loadGolden, assertSameBytes } from '../helpers/golden.js';
import { parseQdiscModify } from '../../src/cli/tc/qdisc.js';
import { parseClassModify } from '../../src/cli/tc/class.js';
import { QDISC_OPS } from '../../src/tc/qdisc.js';
import { CLASS_OPS } from '../../src/tc/class.js';

const env: TcEnv = { ifindex: 3, iec: false, stats: 0, details: 0, raw: false };
const IFINDEX = 3; // veth0 after the capture's setup (lo = 1, veth1 = 2, veth0 = 3)

interface Parsed { obj: 'qdisc' | 'class'; verb: string; handle: number; parent: number; kind: string; args: string[] }

/** The `tc qdisc|class VERB dev veth0 …` prefix grammar the fixtures use. */
function parseCmd(cmd: string): Parsed {
  const t = cmd.split(' ');
  assert.equal(t[0], 'tc');
  const obj = t[1] as 'qdisc' | 'class';
  const verb = t[2]!;
  let i = 3;
  let handle = 0, parent = 0;
  let kind = '';
  while (i < t.length) {
    const w = t[i]!;
    if (w === 'dev') i += 2;
    else if (w === 'root') { parent = 0xffffffff; i++; }
    else if (w === 'parent') { parent = (obj === 'qdisc' ? parseClassid(t[i + 1]!) : parseClassid(t[i + 1]!))!; i += 2; }
    else if (w === 'handle') { handle = parseQdiscHandle(t[i + 1]!)!; i += 2; }
    else if (w === 'classid') { handle = parseClassid(t[i + 1]!)!; i += 2; }
    else { kind = w; i++; break; }
  }
  return { obj, verb, handle, parent, kind, args: t.slice(i) };
}

const FLAGS: Record<string, number> = {
  add: NLM_F.EXCL | NLM_F.CREATE,
  change: 0,
  replace: NLM_F.CREATE | NLM_F.REPLACE,
};

/** Build the request bytes the way the tc library does. */
function build(p: Parsed): Buffer {
  const k = qdiscKind(p.kind);
  let options: unknown;
  if (k) options = p.obj === 'class' ? k.parseClass?.(p.args, env) : k.parse?.(p.args, env);
  else assert.equal(p.args.length, 0, `unknown kind ${p.kind} with arguments`);
  const attrs: Record<string, unknown> = { kind: p.kind };
  if (options !== undefined) attrs.options = options;
  const w = new Writer();
  const header = { family: 0, ifindex: IFINDEX, handle: p.handle, parent: p.parent, info: 0 };
  const codec = p.obj === 'class' ? classMessage : qdiscMessage;
  const type = p.obj === 'class' ? RTM.NEWTCLASS : RTM.NEWQDISC;
  rtRequest(codec, type, FLAGS[p.verb]! | NLM_F.ACK, header, attrs as never)(w, 0);
  return Buffer.from(w.buf.subarray(0, w.offset));
}


const cases = loadGolden('tc-kinds');

test('tc-kinds fixtures cover at least 50 command lines and every kind', () => {
  assert.ok(cases.length >= 50, `${cases.length} fixtures`);
  const kinds = new Set(cases.map((c) => parseCmd(c.cmd).kind));
  for (const k of ['cake', 'fq', 'fq_codel', 'codel', 'netem', 'hfsc', 'sfq', 'red', 'prio', 'mqprio', 'ets',
    'taprio', 'drr', 'qfq', 'multiq', 'plug', 'mq', 'pfifo_head_drop']) {
    assert.ok(kinds.has(k), `no fixture for ${k}`);
  }
});

/** The same request through the `tc` command's parser and the library's operation table. */
function buildViaCli(cmd: string): Buffer {
  const t = cmd.split(' ');
  const obj = t[1]!;
  const verb = t[2] as 'add' | 'change' | 'replace';
  const makeEnv = (dev: string): TcEnv => ({ ...env, dev });
  const parsed = obj === 'class' ? parseClassModify(t.slice(3), makeEnv) : parseQdiscModify(t.slice(3), makeEnv);
  assert.ok(typeof parsed !== 'number', 'parse failed');
  const header = { ...parsed.header, ifindex: IFINDEX };
  const op = obj === 'class' ? CLASS_OPS[verb] : QDISC_OPS[verb];
  const w = new Writer();
  rtRequest(obj === 'class' ? classMessage : qdiscMessage, op.type, op.flags | NLM_F.ACK, header, parsed.attrs)(w, 0);
  return Buffer.from(w.buf.subarray(0, w.offset));
}

for (const c of cases) {
  test(`golden via tc parser + library: ${c.cmd}`, () => {
    assertSameBytes(buildViaCli(c.cmd), c.buffers[0]!, c.cmd);
  });
  test(`golden: ${c.cmd}`, () => {
    const p = parseCmd(c.cmd);
    const bytes = build(p);
    assert.equal(c.buffers.length, 1);
    assertSameBytes(bytes, c.buffers[0]!, c.cmd);
    // The same schema decodes what it encoded into the same value.
    const codec = p.obj === 'class' ? classMessage : qdiscMessage;
    const back = codec.decode(bytes, 16, bytes.length - 16);
    const w = new Writer();
    rtRequest(codec, p.obj === 'class' ? RTM.NEWTCLASS : RTM.NEWQDISC, FLAGS[p.verb]! | NLM_F.ACK, back.header, back.attrs)(w, 0);
    assertSameBytes(w.buf.subarray(0, w.offset), c.buffers[0]!, `${c.cmd} (re-encoded after decode)`);
  });
}

/** iproute2 6.1's stderr text and exit status for bad kind arguments (checked against tc in a scratch netns). */
const ERRORS: ReadonlyArray<readonly [string, string[], string, number]> = [
  ['cake', ['foo'], 'What is "foo"?\nUsage: ... cake', 1],
  ['cake', ['bandwidth'], 'Command line is not complete. Try option "help"', 255],
  ['cake', ['bandwidth', 'fast'], 'Illegal "bandwidth"', 1],
  ['cake', ['pppoe-llc'], 'What is "pppoe-llc"?', 1],
  ['cake', ['lan', 'metro'], 'Error: duplicate "metro": "lan" is the second value.', 255],
  ['cake', ['memlimit', 'x'], 'Illegal value for "memlimit": "x"', 1],
];

for (const [kind, args, text, code] of ERRORS) {
  test(`parse error: ${kind} ${args.join(' ')}`, () => {
    const k = qdiscKind(kind)!;
    assert.throws(() => k.parse!(args, env), (e: unknown) => {
      assert.ok(e instanceof TcArgError);
      assert.ok(e.message.startsWith(text), `${JSON.stringify(e.message)} does not start with ${JSON.stringify(text)}`);
      assert.equal(e.exitCode, code);
      return true;
    });
  });
}
