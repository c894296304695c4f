/**
 * rip/tuntap pieces that need no root: ifr_flags from options, iproute2's
 * flag words for sysfs tun_flags, read_prop()'s number parsing, name checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tunFlags, tunFlagWords, isValidTunName, TUN_FLAG } from '../../src/tuntap/index.js';
import { parseCLong } from '../../src/tuntap/sysfs.js';

test('tunFlags: TUNSETIFF flags as iproute2 builds them (IFF_NO_PI unless pi)', () => {
  assert.equal(tunFlags({ mode: 'tun' }), 0x1001);
  assert.equal(tunFlags({ mode: 'tap' }), 0x1002);
  assert.equal(tunFlags({ mode: 'tap', packetInfo: true }), 0x0002);
  assert.equal(tunFlags({ mode: 'tun', vnetHdr: true, multiQueue: true, oneQueue: true, exclusive: true }), 0x1001 | 0x4000 | 0x0100 | 0x2000 | 0x8000);
  assert.equal(tunFlags({ mode: 'tap', napi: true, napiFrags: true, noCarrier: true }), 0x1002 | 0x10 | 0x20 | 0x40);
  assert.throws(() => tunFlags({ mode: 'tuntap' as 'tun' }), TypeError);
});

test('tunFlagWords: print_flags() order, "filter" with "pi", the rest as hex', () => {
  assert.deepEqual(tunFlagWords(0x1801), ['tun', 'persist']);
  assert.deepEqual(tunFlagWords(0x6902), ['tap', 'pi', 'one_queue', 'multi_queue', 'vnet_hdr', 'persist', 'filter']);
  assert.deepEqual(tunFlagWords(0x1001), ['tun']);
  assert.deepEqual(tunFlagWords(0x0001), ['tun', 'pi', 'filter']);
  assert.deepEqual(tunFlagWords(0x1832), ['tap', 'persist', '0x30']);
  assert.deepEqual(tunFlagWords(0x1000 | 0x40), ['0x40']);
  assert.equal(TUN_FLAG.NOFILTER, TUN_FLAG.NO_PI);
});

test('parseCLong: strtol(…, 0) over a whole sysfs line', () => {
  assert.equal(parseCLong('0x1001'), 0x1001);
  assert.equal(parseCLong('-1'), -1);
  assert.equal(parseCLong('1000'), 1000);
  assert.equal(parseCLong('017'), 15);
  assert.equal(parseCLong('0'), 0);
  assert.equal(parseCLong(' 12'), 12);
  assert.equal(parseCLong(''), undefined);
  assert.equal(parseCLong('12 '), undefined);
  assert.equal(parseCLong('0x'), undefined);
  assert.equal(parseCLong('abc'), undefined);
});

test('isValidTunName: what fits ifr_name', () => {
  assert.ok(isValidTunName('tun0'));
  assert.ok(isValidTunName('vpn%d'));
  assert.ok(isValidTunName('a'.repeat(15)));
  assert.ok(!isValidTunName('a'.repeat(16)));
  assert.ok(!isValidTunName(''));
  assert.ok(!isValidTunName('a\0b'));
  assert.ok(!isValidTunName('é'.repeat(8))); // 16 bytes
});
