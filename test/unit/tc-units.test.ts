/** tc's units and handles: parsing and printing as iproute2 6.1. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseRate, parseRate32, parseSize, parseSizeAndCell, parseTime, sprintRate, sprintSize, sprintTime, parsePercentRate,
  PercentRateError, parseLinkLayer, parseU32, parseU16, strtod, doubleToU32, doubleToU64,
} from '../../src/tc/units.js';
import { parseClassid, parseQdiscHandle, formatClassid, formatQdiscHandle, toHandle, TC_H } from '../../src/tc/handle.js';

test('rates: suffixes (case-insensitive), bare bits, bytes', () => {
  const cases: Array<[string, bigint | null]> = [
    ['1mbit', 125000n], ['1Mbit', 125000n], ['1MBIT', 125000n], ['10kbit', 1250n], ['1gbit', 125000000n],
    ['1tbit', 125000000000n], ['8', 1n], ['8bit', 1n], ['1Kibit', 128n], ['1mibit', 131072n], ['1gibit', 134217728n],
    ['1tibit', 137438953472n], ['1bps', 1n], ['1kbps', 1000n], ['1KiBps', 1024n], ['1mbps', 1000000n],
    ['1MiBps', 1048576n], ['1gbps', 1000000000n], ['1GiBps', 1073741824n], ['1tbps', 1000000000000n],
    ['1.5mbit', 187500n], ['0x10', 2n], ['1e6', 125000n], [' 8', 1n], ['40gbit', 5000000000n],
    ['1mbitx', null], ['mbit', null], ['', null], ['1 mbit', null], ['1kb', null],
  ];
  for (const [s, want] of cases) assert.equal(parseRate(s), want, s);
  assert.equal(parseRate32('40gbit'), null, 'overflows 32 bits');
  assert.equal(parseRate32('1mbit'), 125000);
});

test('sizes and size/cell', () => {
  const cases: Array<[string, number | null]> = [
    ['100', 100], ['10k', 10240], ['10K', 10240], ['10kb', 10240], ['1m', 1048576], ['1mb', 1048576], ['1g', 1073741824],
    ['1gb', 1073741824], ['8kbit', 1024], ['8mbit', 1048576], ['1gbit', 134217728], ['64b', 64], ['1.5k', 1536],
    ['4g', null], ['10x', null], ['k', null], ['-1', null],
  ];
  for (const [s, want] of cases) assert.equal(parseSize(s), want, s);
  assert.deepEqual(parseSizeAndCell('10k/8'), { size: 10240, cellLog: 3 });
  assert.deepEqual(parseSizeAndCell('1600'), { size: 1600, cellLog: undefined });
  assert.equal(parseSizeAndCell('10k/3'), null);
  assert.equal(parseSizeAndCell('10k/x'), null);
});

test('times: s/ms/us and bare microseconds', () => {
  const cases: Array<[string, number | null]> = [
    ['50ms', 50000], ['1s', 1000000], ['1sec', 1000000], ['2secs', 2000000], ['100us', 100], ['100usec', 100],
    ['5msec', 5000], ['1.5ms', 1500], ['100', 100], ['0.5s', 500000], ['1m', null], ['abc', null],
  ];
  for (const [s, want] of cases) assert.equal(parseTime(s), want, s);
});

test('print helpers as tc prints them', () => {
  assert.equal(sprintRate(125000n), '1Mbit');
  assert.equal(sprintRate(187500n), '1500Kbit');
  assert.equal(sprintRate(1250000000n), '10Gbit');
  assert.equal(sprintRate(1n), '8bit');
  assert.equal(sprintRate(124n), '992bit');
  assert.equal(sprintRate(125n), '1Kbit');
  assert.equal(sprintRate(131072n, true), '1Mibit');
  assert.equal(sprintRate(125000n, true), '1000000bit');
  assert.equal(sprintRate(128000n, true), '1000Kibit');
  assert.equal(sprintSize(10240), '10Kb');
  assert.equal(sprintSize(1600), '1600b');
  assert.equal(sprintSize(1048576), '1Mb');
  assert.equal(sprintSize(1048577), '1Mb');
  assert.equal(sprintSize(1500), '1500b');
  assert.equal(sprintSize(0), '0b');
  assert.equal(sprintTime(50000), '50ms');
  assert.equal(sprintTime(1500000), '1.5s');
  assert.equal(sprintTime(999), '999us');
  assert.equal(sprintTime(1234567), '1.23s');
  assert.equal(sprintTime(12345), '12.3ms');
});

test('percent rates', () => {
  assert.equal(parsePercentRate('10%', 10000), 125000000n);
  assert.equal(parsePercentRate('30%', 10000), 375000000n);
  assert.throws(() => parsePercentRate('110%', 1000), (e: Error) => e instanceof PercentRateError && /between \[0,100\]% but is 110%/.test(e.message));
  assert.throws(() => parsePercentRate('1.2.3%', 1000), PercentRateError);
});

test('C integer parsing and conversions', () => {
  assert.equal(parseU32('10'), 10);
  assert.equal(parseU32('0x10'), 16);
  assert.equal(parseU32('10', 16), 16);
  assert.equal(parseU32('010'), 8);
  assert.equal(parseU32('4294967296'), null);
  assert.equal(parseU32('-1'), null);
  assert.equal(parseU32('1x'), null);
  assert.equal(parseU16('65536', 10), null);
  assert.equal(doubleToU32(4375000000), 80032704);
  assert.equal(doubleToU32(-5), 4294967291);
  assert.equal(doubleToU64(-1), 2n ** 64n - 1n);
  assert.deepEqual(strtod('1.5e3x'), { value: 1500, rest: 'x' });
  assert.equal(strtod('x'), null);
  assert.equal(parseLinkLayer('atm'), 2);
  assert.equal(parseLinkLayer('adsl'), 2);
  assert.equal(parseLinkLayer('eth'), 1);
  assert.equal(parseLinkLayer(''), null);
});

test('handles: parse and print like tc', () => {
  assert.equal(parseQdiscHandle('1:'), 0x10000);
  assert.equal(parseQdiscHandle('1'), 0x10000);
  assert.equal(parseQdiscHandle('ffff:'), 0xffff0000);
  assert.equal(parseQdiscHandle('none'), 0);
  assert.equal(parseQdiscHandle('10000:'), null);
  assert.equal(parseQdiscHandle('1:2'), 0x10000, 'tc ignores what follows the colon');
  assert.equal(parseQdiscHandle('x'), null);
  assert.equal(parseClassid('1:10'), 0x10010);
  assert.equal(parseClassid(':10'), 0x10);
  assert.equal(parseClassid('1:'), 0x10000);
  assert.equal(parseClassid('root'), TC_H.ROOT);
  assert.equal(parseClassid('none'), 0);
  assert.equal(parseClassid('ffff:fff1'), 0xfffffff1);
  assert.equal(parseClassid('10'), 0x10);
  assert.equal(parseClassid('1:10000'), null);
  assert.equal(parseClassid('1:x'), null);
  assert.equal(parseClassid('g'), null);
  assert.equal(formatClassid(TC_H.ROOT), 'root');
  assert.equal(formatClassid(0), 'none');
  assert.equal(formatClassid(0x10), ':10');
  assert.equal(formatClassid(0x10000), '1:');
  assert.equal(formatClassid(0x1000a), '1:a');
  assert.equal(formatClassid(0xfffffff1), 'ffff:fff1');
  assert.equal(formatQdiscHandle(0x80010000), '8001:');
  assert.equal(formatQdiscHandle(0), '0:');
  assert.equal(toHandle('ingress'), TC_H.INGRESS);
  assert.throws(() => toHandle('1:x'), RangeError);
});
