/**
 * The iproute2 argument parsers and name tables that ip rule/neigh/nexthop
 * share (src/cli/ip/inet-args.ts, rtnl-names.ts), checked against what
 * iproute2 6.1 accepts and prints.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getPrefix1, getAddr1, getUnsigned, getS32, getU64, scanRange, checkIfname } from '../../src/cli/ip/inet-args.js';
import {
  strtoul, protoId, protoName, tableId, tableName, dsfieldId, dsfieldName, rtnTypeId, rtnTypeName, inetProtoId, inetProtoName,
  parseRealms, groupId,
} from '../../src/cli/ip/rtnl-names.js';
import { llAddrA2n } from '../../src/cli/ip/neighbor.js';
import { mplsLabels } from '../../src/cli/ip/nexthop.js';

test('strtoul and the get_* number parsers', () => {
  assert.equal(strtoul('0x10'), 16);
  assert.equal(strtoul('010'), 8);
  assert.equal(strtoul('10', 16), 16);
  assert.equal(strtoul('12abc'), undefined);
  assert.equal(getUnsigned('4294967295'), 0xffffffff);
  assert.equal(getUnsigned('4294967296'), undefined);
  assert.equal(getUnsigned('-1'), undefined);
  assert.equal(getUnsigned(''), undefined);
  assert.equal(getS32('-5'), -5);
  assert.equal(getS32('2147483648'), undefined);
  assert.equal(getU64('0x2a'), 42n);
  assert.equal(getU64('18446744073709551616'), undefined);
});

test('get_prefix forms', () => {
  assert.deepEqual(getPrefix1('10/8', 0), { family: 2, bytes: Buffer.from([10, 0, 0, 0]), bitlen: 8, any: false, lenSpecified: true });
  assert.deepEqual(getPrefix1('10.1.2.3', 2)?.bitlen, 32);
  // PREFIXLEN_SPECIFIED: only with a /LEN (and for `default`), as `ip address del` needs to know.
  assert.equal(getPrefix1('10.1.2.3', 2)?.lenSpecified, false);
  assert.equal(getPrefix1('10.1.2.3/32', 2)?.lenSpecified, true);
  assert.equal(getPrefix1('default', 0)?.lenSpecified, true);
  // get_addr_1() refuses default/any/all for MPLS.
  assert.equal(getAddr1('default', 28), undefined);
  assert.equal(getAddr1('any', 28), undefined);
  assert.equal(getAddr1('1.2.3.4', 17), undefined);
  assert.deepEqual(getPrefix1('10.0.0.0/255.255.0.0', 0)?.bitlen, 16);
  assert.equal(getPrefix1('10.0.0.0/255.0.255.0', 0), undefined);
  assert.equal(getPrefix1('10.0.0.0/33', 0), undefined);
  assert.deepEqual([getPrefix1('all', 0)?.bitlen, getPrefix1('all', 0)?.bytes.length], [0, 0]);
  assert.deepEqual([getPrefix1('default', 2)?.bitlen, getPrefix1('default', 2)?.bytes.length], [0, 4]);
  assert.equal(getPrefix1('default/8', 2), undefined);
  assert.equal(getPrefix1('2001:db8::/32', 2), undefined);
  assert.equal(getPrefix1('2001:db8::/32', 10)?.bitlen, 32);
  assert.deepEqual(getAddr1('0x0a.1', 0)?.bytes, Buffer.from([10, 1, 0, 0]));
  assert.equal(getAddr1('256.1.1.1', 0), undefined);
  assert.equal(getAddr1('1.2.3.4.5', 0), undefined);
});

test('ranges and interface names', () => {
  assert.deepEqual(scanRange('100-200', 32), { count: 2, start: 100, end: 200 });
  assert.deepEqual(scanRange('80', 16), { count: 1, start: 80, end: 0 });
  assert.deepEqual(scanRange('70000', 16).start, 70000 - 65536);
  assert.equal(scanRange('x-1', 16).count, 0);
  assert.equal(checkIfname('veth0'), true);
  assert.equal(checkIfname('a/b'), false);
  assert.equal(checkIfname('0123456789abcdef'), false);
  assert.equal(checkIfname(''), false);
});

test('name tables: protocols, tables, DS fields, route types, IP protocols, realms, groups', () => {
  assert.deepEqual([protoId('static'), protoId('255'), protoId('256'), protoId('nope')], [4, 255, undefined, undefined]);
  assert.deepEqual([protoName(4), protoName(4, true), protoName(77)], ['static', '4', '77']);
  assert.deepEqual([tableId('main'), tableId('local'), tableId('5000'), tableId('x')], [254, 255, 5000, undefined]);
  assert.deepEqual([tableName(254), tableName(5000), tableName(254, true)], ['main', '5000', '254']);
  assert.deepEqual([dsfieldId('10'), dsfieldId('0x10'), dsfieldId('AF11'), dsfieldId('1ff')], [0x10, 0x10, 0x28, undefined]);
  assert.deepEqual([dsfieldName(0x28), dsfieldName(0x10), dsfieldName(0x28, true)], ['AF11', '0x10', '0x28']);
  assert.deepEqual([rtnTypeId('blackhole'), rtnTypeId('unr'), rtnTypeId('prohibit'), rtnTypeId('bogus')], [6, 7, 8, undefined]);
  assert.deepEqual([rtnTypeName(6), rtnTypeName(8), rtnTypeName(99)], ['blackhole', 'prohibit', '99']);
  assert.deepEqual([inetProtoId('tcp'), inetProtoId('17'), inetProtoId('nope')], [6, 17, undefined]);
  assert.deepEqual([inetProtoName(6), inetProtoName(6, true), inetProtoName(253)], ['tcp', 'ipproto-6', inetProtoName(253)]);
  assert.equal(parseRealms('1/2'), 0x10002);
  assert.equal(parseRealms('2'), 2);
  assert.equal(parseRealms('0x30004'), 0x30004);
  assert.deepEqual([groupId('default'), groupId('5'), groupId('-1')], [0, 5, undefined]);
});

test('link-layer addresses and MPLS labels', () => {
  assert.deepEqual(llAddrA2n('2:0:0:0:0:e'), Buffer.from([2, 0, 0, 0, 0, 0xe]));
  assert.deepEqual(llAddrA2n('1.2.3.4'), Buffer.from([1, 2, 3, 4]));
  assert.throws(() => llAddrA2n('zz:11'), /"zz" is invalid lladdr\./);
  assert.throws(() => llAddrA2n('100:11'), /"100" is invalid lladdr\./);
  assert.deepEqual(mplsLabels('100'), Buffer.from('00064100', 'hex'));
  assert.deepEqual(mplsLabels('100/200'), Buffer.from('00064000000c8100', 'hex'));
  assert.equal(mplsLabels('1048576'), undefined);
  assert.equal(mplsLabels('x'), undefined);
});
