/**
 * Self-test of the golden-bytes helpers against the one fixture captured with
 * them (helpers-selftest: `tc qdisc add ... tbf` after a veth setup).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSameBytes, golden, loadGolden, normalize, splitMessages } from '../helpers/golden.js';
import { parseStraceDump } from '../helpers/capture-golden.js';
import { RTM } from '../../src/netlink/constants.js';

const CMD = 'tc qdisc add dev veth0 root tbf rate 1mbit burst 10k latency 50ms';

test('helpers-selftest fixture loads and is an RTM_NEWQDISC with zeroed seq/pid', () => {
  const cases = loadGolden('helpers-selftest');
  assert.ok(cases.length >= 1);
  const c = golden('helpers-selftest', CMD);
  assert.deepEqual(c.setup, ['ip link add veth0 type veth peer name veth1']);
  assert.equal(c.buffers.length, 1);
  const m = c.buffers[0]!;
  assert.equal(m.readUInt32LE(0), m.length, 'nlmsg_len covers the message');
  assert.equal(m.readUInt16LE(4), RTM.NEWQDISC);
  assert.equal(m.readUInt16LE(4), 36);
  assert.equal(m.readUInt32LE(8), 0, 'seq zeroed');
  assert.equal(m.readUInt32LE(12), 0, 'pid zeroed');
  // tcmsg: ifindex of veth0 is 3 in a fresh netns (lo=1, veth1=2), parent TC_H_ROOT.
  assert.equal(m.readInt32LE(16 + 4), 3);
  assert.equal(m.readUInt32LE(16 + 12), 0xffffffff);
  // TCA_KIND "tbf"
  assert.equal(m.readUInt16LE(36 + 2), 1);
  assert.equal(m.toString('latin1', 40, 43), 'tbf');
});

test('normalize zeroes seq and pid of every message, and nothing else', () => {
  const m = golden('helpers-selftest', CMD).buffers[0]!;
  const two = Buffer.concat([m, m]);
  two.writeUInt32LE(0x12345678, 8);
  two.writeUInt32LE(4242, 12);
  two.writeUInt32LE(0xdeadbeef, m.length + 8);
  two.writeUInt32LE(99, m.length + 12);
  const n = normalize(two);
  assert.notEqual(n, two, 'returns a copy');
  assert.equal(two.readUInt32LE(8), 0x12345678, 'input untouched');
  assert.deepEqual(n, Buffer.concat([m, m]));
  assert.deepEqual(splitMessages(n).map((x) => x.length), [m.length, m.length]);
  // Garbage after the messages must not loop or throw.
  assert.doesNotThrow(() => normalize(Buffer.concat([n, Buffer.alloc(20)])));
});

test('assertSameBytes ignores seq/pid and reports the first difference readably', () => {
  const m = golden('helpers-selftest', CMD).buffers[0]!;
  const other = Buffer.from(m);
  other.writeUInt32LE(7, 8);
  assertSameBytes(other, m);
  other[44 + 8] = other[44 + 8]! ^ 0xff; // inside TCA_OPTIONS > TCA_TBF_PARMS
  assert.throws(() => assertSameBytes(other, m, 'tbf'), (e: Error) => {
    assert.match(e.message, /^tbf: first difference at byte 0x34 \(52\)/);
    assert.match(e.message, /nlmsghdr len=1124 type=36/);
    assert.match(e.message, /attr type=2 len=1080 \{/);
    assert.match(e.message, /^>> /m);
    return true;
  });
  assert.throws(() => assertSameBytes(m.subarray(0, 40), m), /lengths differ at byte 40/);
});

test('parseStraceDump reads strace -e write= hex dumps, joining iovecs', () => {
  const text = [
    '4228  sendto(3, [{nlmsg_len=20, ...}], 20, 0, NULL, 0) = 20',
    ' | 00000  14 00 00 00 12 00 01 03  a3 ca 09 6b 00 00 00 00  (..........k.... |',
    ' | 00010  00 00 00 00                                       ....             |',
    '4228  sendmsg(3, {msg_iov=[...]}, 0) = 8',
    ' * 4 bytes in buffer 0',
    ' | 00000  01 02 03 04                                       ....             |',
    ' * 4 bytes in buffer 1',
    ' | 00000  05 06 07 08                                       ....             |',
    '4228  +++ exited with 0 +++',
  ].join('\n');
  const sends = parseStraceDump(text);
  assert.equal(sends.length, 2);
  assert.equal(sends[0]!.toString('hex'), '1400000012000103a3ca096b0000000000000000');
  assert.equal(sends[1]!.toString('hex'), '0102030405060708');
});
