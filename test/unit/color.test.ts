/**
 * Colour output (src/output/color.ts and the printer's colour calls) against
 * iproute2 6.1's lib/color.c and lib/json_print.c: option matching, when
 * colour is on, the palette choice from COLORFGBG, and what exactly is wrapped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  matchesColor, colorEnabled, paletteFor, familyColor, operstateColor, paint, PALETTE_LIGHT, PALETTE_DARK,
  COLOR_IFNAME, COLOR_MAC, COLOR_INET, COLOR_INET6, COLOR_OPERSTATE_UP, COLOR_OPERSTATE_DOWN, COLOR_NONE,
} from '../../src/output/color.js';
import { Printer, StringSink, ANY, FP, JSON_ONLY } from '../../src/output/printer.js';

test('matches_color: -c … -color, with =always|auto|never; anything else is not a colour option', () => {
  for (const a of ['-c', '-co', '-col', '-colo', '-color', '-color=', '-color=always', '-c=always']) assert.equal(matchesColor(a), 'always', a);
  assert.equal(matchesColor('-color=auto'), 'auto');
  assert.equal(matchesColor('-col=never'), 'never');
  for (const a of ['-colour', '-colors', '-color=bogus', '-color=Always', '-x', '', '=always', '--color', 'color']) {
    assert.equal(matchesColor(a), undefined, a);
  }
});

test('check_enable_color: never with -j or never; always; auto only on a terminal', () => {
  assert.equal(colorEnabled('always', false, false), true);
  assert.equal(colorEnabled('always', true, true), false);
  assert.equal(colorEnabled('auto', false, false), false);
  assert.equal(colorEnabled('auto', false, true), true);
  assert.equal(colorEnabled('auto', true, true), false);
  assert.equal(colorEnabled('never', false, true), false);
});

test('set_color_palette: a dark background is a last COLORFGBG field of 0-6 or 8', () => {
  assert.equal(paletteFor(undefined), PALETTE_LIGHT);
  assert.equal(paletteFor(''), PALETTE_LIGHT);
  assert.equal(paletteFor('15'), PALETTE_LIGHT);
  for (const v of ['15;0', '7;6', '0;default;8', 'x;3']) assert.equal(paletteFor(v), PALETTE_DARK, v);
  for (const v of ['0;7', '0;15', '15;9', '15;', '15;0 ', '15;default']) assert.equal(paletteFor(v), PALETTE_LIGHT, v);
});

test('palettes and attribute colours are iproute2\'s', () => {
  assert.deepEqual(PALETTE_LIGHT.slice(0, 6), ['\x1b[36m', '\x1b[33m', '\x1b[35m', '\x1b[34m', '\x1b[32m', '\x1b[31m']);
  assert.deepEqual(PALETTE_DARK.slice(0, 6), ['\x1b[1;36m', '\x1b[1;33m', '\x1b[1;35m', '\x1b[1;34m', '\x1b[1;32m', '\x1b[1;31m']);
  assert.deepEqual([COLOR_IFNAME, COLOR_MAC, COLOR_INET, COLOR_INET6, COLOR_OPERSTATE_UP, COLOR_OPERSTATE_DOWN, COLOR_NONE], [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(familyColor(2), COLOR_INET);
  assert.equal(familyColor(10), COLOR_INET6);
  assert.equal(familyColor(28), COLOR_NONE);
  assert.equal(familyColor(0), COLOR_NONE);
  assert.equal(operstateColor(6), COLOR_OPERSTATE_UP);
  assert.equal(operstateColor(2), COLOR_OPERSTATE_DOWN);
  for (const s of [0, 1, 3, 4, 5]) assert.equal(operstateColor(s), COLOR_NONE);
  assert.equal(paint(undefined, COLOR_INET, 'x'), 'x');
  assert.equal(paint(PALETTE_LIGHT, COLOR_NONE, 'x'), 'x');
  assert.equal(paint(PALETTE_DARK, COLOR_MAC, 'x '), '\x1b[1;33mx \x1b[0m');
});

function printed(opts: { json?: boolean; palette?: readonly string[] }, fn: (p: Printer) => void): string {
  const sink = new StringSink();
  const p = new Printer(sink, opts);
  p.start();
  fn(p);
  p.finish();
  return sink.toString();
}

test('print_color_string wraps the whole formatted text, padding and literal text included', () => {
  const out = printed({ palette: PALETTE_LIGHT }, (p) => {
    p.colorString(ANY, COLOR_IFNAME, 'ifname', '%-8s ', 'lo');
    p.colorString(ANY, COLOR_INET, 'from', 'from %s ', '10.0.0.1');
    p.colorString(ANY, COLOR_NONE, 'x', '[%s]', 'none');
    p.colorString(JSON_ONLY, COLOR_MAC, 'address', '%s', 'not printed');
    p.text('state ');
    p.colorText(COLOR_OPERSTATE_DOWN, '%s ', 'DOWN');
  });
  assert.equal(out, '\x1b[36mlo       \x1b[0m\x1b[35mfrom 10.0.0.1 \x1b[0m[none]state \x1b[31mDOWN \x1b[0m');
  assert.equal(printed({ palette: PALETTE_LIGHT }, (p) => p.colorText(COLOR_MAC, 'ab')), '\x1b[33mab\x1b[0m');
});

test('without a palette the colour calls print exactly what the plain calls print', () => {
  const out = printed({}, (p) => {
    p.colorString(ANY, COLOR_IFNAME, 'ifname', '%-8s ', 'lo');
    p.colorString(FP, COLOR_INET6, null, '%s ', '::1');
    p.colorText(COLOR_OPERSTATE_UP, '%s ', 'UP');
  });
  assert.equal(out, 'lo       ::1 UP ');
});

test('JSON ignores colour (and a JSON printer drops its palette)', () => {
  const out = printed({ json: true, palette: PALETTE_DARK }, (p) => {
    p.openObject();
    p.colorString(ANY, COLOR_IFNAME, 'ifname', '%s: ', 'lo');
    p.colorString(FP, COLOR_MAC, 'address', '%s', 'fp only');
    p.colorText(COLOR_INET, '%s', 'text only');
    p.closeObject();
  });
  assert.equal(out, '[{"ifname":"lo"}]\n');
  assert.equal(new Printer(new StringSink(), { json: true, palette: PALETTE_DARK }).palette, undefined);
  assert.equal(new Printer(new StringSink(), { json: true, palette: PALETTE_DARK }).paint(COLOR_INET, 'a'), 'a');
});
