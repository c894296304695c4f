/**
 * ss's column renderer laid out against a plain string model of ss's
 * compact render (stdout not a terminal): many lines (the output is written
 * in several pieces), tokens longer than the output buffer, empty and
 * non-ASCII tokens, disabled columns, and a last line without its last
 * columns. (Below ss's early render at 5 MiB of tokens: one set of widths.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ColumnRenderer, COL } from '../../src/cli/ss/render.js';
import type { ByteSink } from '../../src/cli/ss/render.js';

class Bytes implements ByteSink {
  readonly parts: Buffer[] = [];
  write(s: string): void { this.parts.push(Buffer.from(s, 'utf8')); }
  writeBytes(b: Uint8Array): void { this.parts.push(Buffer.from(b)); }
  flush(): void {}
  text(): string { return Buffer.concat(this.parts).toString('utf8'); }
}

const RIGHT = new Set<number>([COL.ADDR, COL.RADDR]);
const DELIM = new Set<number>([COL.STATE, COL.RECVQ, COL.SENDQ, COL.ADDR, COL.RADDR]);

/**
 * ss's compact render of `lines` (each: a token per enabled column; the last
 * line may stop early, and then its last token, still unfinished, is printed
 * but not measured).
 */
function model(lines: string[][], enabled: number[]): string {
  const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
  const maxLen = new Map<number, number>();
  lines.forEach((l, n) => l.forEach((t, i) => {
    if (n === lines.length - 1 && l.length < enabled.length && i === l.length - 1) return;
    maxLen.set(enabled[i]!, Math.max(maxLen.get(enabled[i]!) ?? 0, bytes(t)));
  }));
  const width = new Map<number, number>();
  let first = true;
  for (const c of enabled) {
    const m = maxLen.get(c) ?? 0;
    width.set(c, !first && m ? m + (DELIM.has(c) ? 1 : 0) : m);
    if (width.get(c)) first = false;
  }
  let out = '';
  for (const l of lines) {
    let started = false;
    l.forEach((t, i) => {
      const c = enabled[i]!;
      const w = width.get(c)!;
      let printed = 0;
      if (started && DELIM.has(c)) { out += ' '; printed = 1; }
      started = true;
      if (w && RIGHT.has(c)) { const s = w - bytes(t) - printed; if (s > 0) { out += ' '.repeat(s); printed += s; } }
      out += t;
      printed += bytes(t);
      if (w && !RIGHT.has(c)) { const s = w - printed; if (s > 0) out += ' '.repeat(s); }
    });
    out += '\n';
  }
  return out;
}

/** Feed lines to a renderer as the printers do (set/out/next), render, return the text. */
function rendered(lines: string[][], disabled: number[]): string {
  const sink = new Bytes();
  const r = new ColumnRenderer(sink, -1);
  for (const c of disabled) r.disable(c);
  const enabled = [...Array(10).keys()].filter((c) => !disabled.includes(c));
  for (const l of lines) {
    l.forEach((t, i) => { r.set(enabled[i]!); r.out(t); });
    if (l.length === enabled.length) r.set(COL.NETID);
  }
  r.render();
  return sink.text();
}

test('ColumnRenderer: compact layout as ss, over many pieces of output and tokens longer than its buffer', () => {
  let seed = 7;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
  const cases: number[][] = [[COL.NETID], [COL.NETID, COL.STATE], []];
  for (const disabled of cases) {
    const enabled = [...Array(10).keys()].filter((c) => !disabled.includes(c));
    const lines: string[][] = [];
    for (let i = 0; i < 6000; i++) {
      lines.push(enabled.map((c) => {
        if (c === COL.EXT || c === COL.PROC) return rnd(50) === 0 ? 'x'.repeat(rnd(200)) : '';
        if (rnd(4999) === 0) return 'L'.repeat(70000 + rnd(100000));
        if (rnd(301) === 0) return 'ü€' + 'z'.repeat(rnd(5));
        return 'abcdefghijklmnopqrstuvwxyz0123456789'.slice(0, rnd(20));
      }));
    }
    // The last line stops before the process column (ss prints the unfinished line too).
    lines.push(enabled.slice(0, enabled.indexOf(COL.PROC)).map(() => 'end'));
    const want = model(lines, enabled);
    assert.ok(want.length > 10 * 65536, 'several pieces of output');
    assert.equal(rendered(lines, disabled), want);
  }
});
