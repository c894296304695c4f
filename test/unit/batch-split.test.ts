/**
 * splitBatchLine: the fast path for lines of plain words must split exactly
 * as the blank-separated reading (runs of spaces, leading and trailing
 * spaces), and lines with quotes, comments or other blanks take the general
 * path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitBatchLine } from '../../src/cli/common/batch.js';

test('splitBatchLine: plain words split on runs of spaces (10,000 random lines)', () => {
  let x = 12345;
  const rnd = (n: number): number => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % n; };
  const alphabet = 'ab0./: -';
  for (let k = 0; k < 10000; k++) {
    let line = '';
    const n = rnd(30);
    for (let i = 0; i < n; i++) line += rnd(3) === 0 ? ' ' : alphabet[rnd(alphabet.length)]!;
    assert.deepEqual(splitBatchLine(line), line.split(' ').filter((t) => t !== ''), JSON.stringify(line));
  }
});

test('splitBatchLine: quotes, comments, tabs and CR take the general path', () => {
  assert.deepEqual(splitBatchLine('route add 10.0.0.0/8 dev veth0'), ['route', 'add', '10.0.0.0/8', 'dev', 'veth0']);
  assert.deepEqual(splitBatchLine('  link  set\tdev "my dev" alias \'a b\'  '), ['link', 'set', 'dev', 'my dev', 'alias', 'a b']);
  assert.deepEqual(splitBatchLine('route add 10.0.0.0/8 dev veth0 # comment'), ['route', 'add', '10.0.0.0/8', 'dev', 'veth0']);
  assert.deepEqual(splitBatchLine('# only a comment'), []);
  assert.deepEqual(splitBatchLine('route show\r'), ['route', 'show']);
  assert.deepEqual(splitBatchLine(''), []);
  assert.deepEqual(splitBatchLine('   '), []);
});
