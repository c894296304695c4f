/**
 * Bad kind arguments: our kind parsers must report exactly what iproute2
 * 6.1's tc prints (stderr text) with the same exit status, before anything
 * is sent. The expectations in test/fixtures/golden/tc-kinds-errors.json
 * were captured by running the real `tc qdisc add dev veth0 root handle 1: KIND …`
 * / `tc class add dev veth0 parent 1: classid 1:1 KIND …` in a scratch netns.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { qdiscKind, TcArgError, type TcEnv } from '../../src/tc/kind.js';
import '../../src/tc/kinds/index.js';
import { goldenPath } from '../helpers/golden.js';

interface ErrorCase { obj: 'qdisc' | 'class'; kind: string; args: string[]; stderr: string; status: number }

const env: TcEnv = { ifindex: 0, iec: false, stats: 0, details: 0, raw: false };
const cases = JSON.parse(fs.readFileSync(goldenPath('tc-kinds-errors'), 'utf8')) as ErrorCase[];

test('error fixtures exist', () => assert.ok(cases.length >= 80));

for (const c of cases) {
  test(`${c.obj} ${c.kind} ${c.args.join(' ')} → exit ${c.status}`, () => {
    const k = qdiscKind(c.kind);
    assert.ok(k, `kind ${c.kind} registered`);
    const run = (): unknown => (c.obj === 'class' ? k.parseClass!(c.args, env) : k.parse!(c.args, env));
    assert.throws(run, (e: unknown) => {
      assert.ok(e instanceof TcArgError, String(e));
      // tc ends a few messages without a newline (cake's literal "\\n"); rip always ends the line.
      assert.equal(e.message + '\n', c.stderr.endsWith('\n') ? c.stderr : c.stderr + '\n');
      assert.equal(e.exitCode, c.status);
      return true;
    });
  });
}

test('red and sfq report tc\'s non-fatal warnings through env.warn', () => {
  const seen: string[] = [];
  const w: TcEnv = { ...env, warn: (m) => seen.push(m) };
  qdiscKind('red')!.parse!('limit 400000 avpkt 1000'.split(' '), w);
  assert.deepEqual(seen, ['RED: set bandwidth to 10Mbit']);
  seen.length = 0;
  qdiscKind('red')!.parse!('limit 400000 avpkt 1000 bandwidth 10mbit'.split(' '), w);
  assert.deepEqual(seen, []);
  // A burst far beyond min/avpkt makes Wlog >= 10, which tc warns about.
  qdiscKind('sfq')!.parse!('redflowlimit 1000000 min 100000 max 300000 avpkt 1000 burst 1000'.split(' '), w);
  assert.deepEqual(seen, ['SFQ: WARNING. Burst 1000 seems to be too large.']);
});
