/**
 * The fast address decoder of `ip address show` (decodeAddrFast) must give
 * exactly what the schema decoder (addressMessage.decode) gives whenever it
 * answers, and must decline (undefined) whatever it does not handle, on
 * generated messages: every IFA_* attribute the schema knows (from the
 * schema's own generator), unknown attributes, bad lengths and truncations.
 * Real dumps are covered by the parity tests of test/cli/address.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from '../../src/netlink/codec/writer.js';
import { seededRandom, UNKNOWN } from '../../src/netlink/codec/schema.js';
import { addressMessage, addressAttrs, IFA } from '../../src/netlink/rtnetlink/address-schema.js';
import { decodeAddrFast, decodeAddrRecord } from '../../src/cli/ip/address.js';
import type { MessageView } from '../../src/netlink/socket.js';
import type { IfAddrMsg } from '../../src/netlink/structs.js';

function view(buf: Buffer): MessageView {
  return { type: 20, flags: 2, seq: 1, pid: 0, buf, off: 16, len: buf.readUInt32LE(0) - 16 };
}

function message(h: IfAddrMsg, a: Record<string | symbol, unknown>): Buffer {
  const w = new Writer();
  const start = w.beginMessage(20, 2, 1);
  addressMessage.encode(w, h, a as never);
  w.endMessage(start);
  return w.toBuffer();
}

let answered = 0;
/** The fast decoder agrees with the schema or declines; decodeAddrRecord always equals the schema's result. */
function agree(buf: Buffer): void {
  const v = view(buf);
  let slow: unknown, slowErr: unknown;
  try { slow = addressMessage.decode(v.buf, v.off, v.len); } catch (e) { slowErr = e; }
  const fast = decodeAddrFast(v);
  if (fast !== undefined) {
    answered++;
    assert.equal(slowErr, undefined, `fast decoded what the schema rejects: ${buf.toString('hex')}`);
    assert.deepEqual(fast, slow, buf.toString('hex'));
  }
  if (slowErr === undefined) assert.deepEqual(decodeAddrRecord(v).raw, slow);
  else assert.throws(() => decodeAddrRecord(v));
}

test('fast and schema address decoders agree on 5000 generated messages', () => {
  const rng = seededRandom(777);
  answered = 0;
  for (let i = 0; i < 5000; i++) {
    const h: IfAddrMsg = { family: [2, 10][rng.int(2)]!, prefixlen: rng.int(129), flags: rng.int(256), scope: rng.int(256), index: rng.bytes(4).readUInt32LE(0) };
    const a = addressAttrs.arbitrary(rng, {}) as Record<string | symbol, unknown>;
    // Mostly what dumps carry; sometimes also what the fast path declines.
    if (rng.int(4)) { delete a['multicast']; delete a['target_netnsid']; }
    if (!rng.int(8)) a[UNKNOWN] = [{ type: 12 + rng.int(20), data: rng.bytes(rng.int(9)) }];
    agree(message(h, a));
  }
  assert.ok(answered > 2500, `the fast path answered ${answered} of 5000`);
});

test('bad lengths and truncated messages: declined by the fast path, same result or error as the schema', () => {
  const base = message({ family: 2, prefixlen: 24, flags: 0x80, scope: 0, index: 3 }, {
    address: '192.0.2.1', local: '192.0.2.1', label: 'eth0', broadcast: '192.0.2.255', flags: 0x80,
    cacheinfo: { ifa_prefered: 0xffffffff, ifa_valid: 0xffffffff, cstamp: 10, tstamp: 20 }, rt_priority: 5, proto: 2,
  });
  agree(base);
  assert.ok(decodeAddrFast(view(base)), 'a typical message takes the fast path');
  for (let cut = 16; cut < base.length; cut++) {
    const b = Buffer.from(base.subarray(0, cut));
    b.writeUInt32LE(cut, 0);
    agree(b);
  }
  // An IPv4 address attribute of 5 bytes, and an attribute length beyond the message.
  const w = new Writer();
  const start = w.beginMessage(20, 2, 1);
  w.u8(2).u8(32).u8(0).u8(0).u32(1);
  const at = w.beginAttr(IFA.LOCAL); w.bytes(Buffer.from([1, 2, 3, 4, 5])); w.endAttr(at);
  w.endMessage(start);
  const odd = w.toBuffer();
  assert.equal(decodeAddrFast(view(odd)), undefined);
  agree(odd);
  const over = Buffer.from(base);
  over.writeUInt16LE(0x400, 24); // first attribute claims more than the message holds
  assert.equal(decodeAddrFast(view(over)), undefined);
  agree(over);
});
