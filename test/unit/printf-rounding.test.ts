/**
 * sprintf's %g, %.3g and %.0f round as glibc's printf does (ties to even on
 * the exact value), against 2,400 doubles printed by a C program
 * (test/fixtures/printf/gen-printf.c: exact midpoints and their neighbours,
 * decade boundaries, times and rates), and %f / %e on exact midpoints.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/golden.js';
import { sprintf, formatG, toFixedEven, toExponentialEven } from '../../src/output/printf.js';

test('sprintf %.3g / %g / %.0f equal glibc printf on 2,400 doubles', () => {
  const text = fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'printf', 'printf-g.txt'), 'utf8');
  const b = Buffer.alloc(8);
  let n = 0;
  for (const line of text.trim().split('\n')) {
    const [bits, g3, g, f0] = line.split(' ');
    b.writeBigUInt64LE(BigInt(`0x${bits!}`));
    const v = b.readDoubleLE(0);
    assert.equal(sprintf('%.3g', v), g3, `%.3g of ${v}`);
    assert.equal(sprintf('%g', v), g, `%g of ${v}`);
    assert.equal(sprintf('%.0f', v), f0, `%.0f of ${v}`);
    n++;
  }
  assert.ok(n > 2000);
});

test('exact midpoints go to the even neighbour, negative ones too; near-midpoints round to nearest', () => {
  // Doubles and what glibc 2.36's printf prints for them (a C program's, not the shell's printf, which reads long doubles).
  const cases: Array<[string, number, string]> = [
    ['%.0f', 0.5, '0'], ['%.0f', 1.5, '2'], ['%.0f', 2.5, '2'], ['%.0f', -2.5, '-2'], ['%.0f', -3.5, '-4'],
    ['%.2f', 1.125, '1.12'], ['%.2f', 1.375, '1.38'], ['%.2f', 1.005, '1.00'], ['%.1f', 0.25, '0.2'], ['%.1f', 0.35, '0.3'],
    ['%.3f', 2.0625, '2.062'], ['%f', 0.0000125, '0.000013'], ['%.1f', 0.25000000000000006, '0.3'],
    ['%e', 1.0000005, '1.000001e+00'], ['%.1e', 1.25, '1.2e+00'], ['%.1e', -1.75, '-1.8e+00'], ['%.0e', 2.5e10, '2e+10'],
    ['%.3g', 1.125, '1.12'], ['%.3g', 1.135, '1.14'], ['%g', 1234565, '1.23456e+06'], ['%g', 1234575, '1.23458e+06'], ['%.2g', 0.125, '0.12'],
  ];
  for (const [fmt, v, want] of cases) assert.equal(sprintf(fmt, v), want, `${fmt} of ${v}`);
  assert.equal(formatG(99.5, 2), '1e+02');
  assert.equal(formatG(98.5, 2), '98');
  assert.equal(toFixedEven(1e21, 0), '1000000000000000000000');
  assert.equal(toFixedEven(-2e21, 2), '-2000000000000000000000.00');
  assert.equal(toExponentialEven(Infinity, 2), 'Infinity');
});
