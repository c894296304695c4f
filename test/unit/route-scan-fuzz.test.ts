/**
 * native/route-scan.c under AddressSanitizer and UndefinedBehaviorSanitizer:
 * test/native/route-scan-fuzz.c runs the scanner on random and mutated
 * route lines held in buffers of exactly their size (source, chunk, link
 * and word blobs — some cut short — and result array), so a read or write
 * out of bounds, or undefined behaviour, ends it with an error. Skipped
 * without gcc or its sanitizer runtimes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SRC = new URL('../../../test/native/route-scan-fuzz.c', import.meta.url).pathname;
const NODE_INCLUDE = '/usr/include/node';

test('route-scan.c: 200,000 random batch files under ASan and UBSan, every result within its buffers', (t) => {
  if (spawnSync('gcc', ['--version']).status !== 0 || !existsSync(join(NODE_INCLUDE, 'node_api.h'))) {
    t.skip('needs gcc and the Node headers');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'rip-fuzz-'));
  try {
    const exe = join(dir, 'fuzz');
    const cc = spawnSync('gcc', ['-std=gnu11', '-O1', '-g', '-Wall', '-Wextra', '-Werror', '-fsanitize=address,undefined',
      '-fno-sanitize-recover=all', `-I${NODE_INCLUDE}`, SRC, '-o', exe], { encoding: 'utf8' });
    if (cc.status !== 0 && /cannot find .*(asan|ubsan)/.test(cc.stderr)) {
      t.skip('no sanitizer runtime');
      return;
    }
    assert.equal(cc.status, 0, cc.stderr);
    const r = spawnSync(exe, ['200000'], { encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, r.stderr);
    const [taken, runs] = r.stdout.trim().split(' ').map(Number);
    // Both ends are exercised: many requests written, many more runs stopped early.
    assert.ok(taken! > 20000 && runs! > 200000, r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
