/**
 * ss's byte number writers (src/cli/ss/num-bytes.ts) against glibc's printf:
 * %.3g, %g and %.0f of 2,400 doubles printed by a C program
 * (test/fixtures/printf/gen-printf.c: exact midpoints and their neighbours,
 * decade boundaries, times, rates, bbr gains), sprint_bw and the
 * millisecond writer built from them, and integers of every length.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/golden.js';
import { putUint, putInt, putG, putG3, putGP, putFixed0, putBw, putMsec, putLabel, label, NUM_MAX } from '../../src/cli/ss/num-bytes.js';
import { sprintf } from '../../src/output/printf.js';

interface Vector { v: number; g3: string; g: string; f0: string }

function vectors(): Vector[] {
  const text = fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'printf', 'printf-g.txt'), 'utf8');
  const b = Buffer.alloc(8);
  return text.trim().split('\n').map((line) => {
    const [bits, g3, g, f0] = line.split(' ');
    b.writeBigUInt64LE(BigInt(`0x${bits!}`));
    return { v: b.readDoubleLE(0), g3: g3!, g: g!, f0: f0! };
  });
}

/** What a writer puts down, as text (checked to stay within NUM_MAX bytes, from a non-zero offset). */
function run(f: (d: Uint8Array, p: number) => number): string {
  const d = new Uint8Array(64).fill(0x7e);
  const end = f(d, 3);
  assert.ok(end - 3 <= NUM_MAX, 'NUM_MAX');
  assert.equal(d[end], 0x7e, 'wrote past its end');
  return Buffer.from(d.subarray(3, end)).toString('latin1');
}

test('putG3 / putG / putFixed0: glibc printf on exact midpoints, boundaries, times and rates', () => {
  const vs = vectors();
  assert.ok(vs.length > 2000);
  for (const { v, g3, g, f0 } of vs) {
    assert.equal(run((d, p) => putG3(d, p, v)), g3, `%.3g of ${v}`);
    assert.equal(run((d, p) => putG(d, p, v)), g, `%g of ${v}`);
    assert.equal(run((d, p) => putFixed0(d, p, v)), f0, `%.0f of ${v}`);
  }
});

test('putGP agrees with the string printf where neither rounds a midpoint', () => {
  let seed = 12345;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296; };
  for (let i = 0; i < 20000; i++) {
    const v = 10 ** (rnd() * 26 - 5) * (1 + rnd());
    for (const prec of [1, 3, 6, 10]) {
      // The string printf rounds exact ties up; random doubles are never ties at these precisions.
      assert.equal(run((d, p) => putGP(d, p, v, prec)), sprintf(`%.${prec}g`, v), `%.${prec}g of ${v}`);
    }
  }
  assert.equal(run((d, p) => putG(d, p, 0)), '0');
  assert.equal(run((d, p) => putG3(d, p, 0)), '0');
});

test('putBw: sprint_bw with and without -n', () => {
  const cases: Array<[number, string, string]> = [
    [0, '0', '0'], [999, '999', '999'], [999.5, '999.5', '1000'], [1000, '1k', '1000'], [1125000000, '1.12G', '1125000000'],
    [524288000000, '524G', '524288000000'], [1.5e12, '1.5T', '1500000000000'], [999500, '1e+03k', '999500'],
    [2.5, '2.5', '2'], [3.5, '3.5', '4'], [8 * 0xffffffffffffffff, '1.48e+08T', '147573952589676412928'],
  ];
  for (const [bw, text, numeric] of cases) {
    assert.equal(run((d, p) => putBw(d, p, bw, false)), text, `${bw}`);
    assert.equal(run((d, p) => putBw(d, p, bw, true)), numeric, `-n ${bw}`);
  }
  for (const { v } of vectors()) {
    if (!(v >= 0) || v > 2 ** 70) continue;
    const unit = v >= 1e12 ? [1e12, 'T'] as const : v >= 1e9 ? [1e9, 'G'] as const : v >= 1e6 ? [1e6, 'M'] as const : v >= 1e3 ? [1e3, 'k'] as const : null;
    const want = unit ? run((d, p) => putG3(d, p, v / unit[0])) + unit[1] : run((d, p) => putG(d, p, v));
    assert.equal(run((d, p) => putBw(d, p, v, false)), want);
  }
});

test('putMsec: %g of us / 1000 for every length of microseconds', () => {
  const samples = [0, 1, 5, 10, 99, 100, 204, 999, 1000, 1001, 1010, 1100, 12345, 200000, 999999, 1000000, 1000001,
    1234567, 3000000, 99999999, 0x7fffffff, 0x80000000, 0xffffffff];
  let seed = 7;
  for (let i = 0; i < 5000; i++) { seed = (seed * 1103515245 + 12345) >>> 0; samples.push(seed >>> (i % 32)); }
  for (const us of samples) {
    assert.equal(run((d, p) => putMsec(d, p, us)), run((d, p) => putG(d, p, us / 1000)), `${us}`);
  }
  assert.equal(run((d, p) => putMsec(d, p, 5)), '0.005');
  assert.equal(run((d, p) => putMsec(d, p, 204000)), '204');
  assert.equal(run((d, p) => putMsec(d, p, 1234567)), '1234.57');
  assert.equal(run((d, p) => putMsec(d, p, 0xffffffff)), '4.29497e+06');
});

test('putUint / putInt: every length up to 2^53 and C int conversion', () => {
  for (let k = 0; k <= 53; k++) {
    for (const n of [2 ** k - 1, 2 ** k, 2 ** k + 1, Math.floor(2 ** k * 0.7)]) {
      if (n < 0 || n > Number.MAX_SAFE_INTEGER) continue;
      assert.equal(run((d, p) => putUint(d, p, n)), String(n));
    }
  }
  for (let n = 1; n < 1e15; n *= 10) for (const m of [n - 1, n, n + 1]) assert.equal(run((d, p) => putUint(d, p, m)), String(m));
  assert.equal(run((d, p) => putInt(d, p, -5)), '-5');
  assert.equal(run((d, p) => putInt(d, p, 0xffffffff)), '-1');
  assert.equal(run((d, p) => putInt(d, p, 0x80000000)), '-2147483648');
  assert.equal(run((d, p) => putInt(d, p, 0x7fffffff)), '2147483647');
});

test('putLabel: every length, at every alignment, up to 3 bytes past the end written', () => {
  for (let n = 0; n <= 17; n++) {
    const text = 'abcdefghijklmnopq'.slice(0, n);
    for (let at = 0; at < 8; at++) {
      const d = Buffer.alloc(40, 0x7e);
      const dv = new DataView(d.buffer, d.byteOffset, d.length);
      const end = putLabel(dv, at, label(text));
      assert.equal(end, at + n);
      assert.equal(d.toString('latin1', at, end), text);
      assert.ok(d.subarray(0, at).every((c) => c === 0x7e), 'nothing before it');
      assert.ok(d.subarray(end + 3).every((c) => c === 0x7e), 'at most 3 bytes past its end');
    }
  }
});
