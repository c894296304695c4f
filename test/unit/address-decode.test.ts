/**
 * The fast address decoder (decodeAddrFast, used by `ip address show` and
 * `flush`) must give exactly what the schema decoder (addressMessage.decode)
 * gives whenever it answers, and must decline (false) whatever it does not
 * handle, on generated messages: every IFA_* attribute the schema knows (from
 * the schema's own generator), unknown attributes, bad lengths, truncations
 * and random corruption. decodeAddrInfo (fast path, else the schema) must
 * always equal the schema's result or throw where it throws. Real dumps are
 * covered by the parity tests of test/cli/address.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from '../../src/netlink/codec/writer.js';
import { seededRandom, UNKNOWN } from '../../src/netlink/codec/schema.js';
import { addressMessage, addressAttrs, IFA } from '../../src/netlink/rtnetlink/address-schema.js';
import { decodeAddrFast, decodeAddrInfo, addrInfoToSchema, newAddrInfo, type AddrInfo } from '../../src/netlink/address-decode.js';
import { parseAddress } from '../../src/netlink/addr.js';
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

/** A scratch object full of stale values from another address, as the decoders get it in a dump. */
function stale(): AddrInfo {
  const a = newAddrInfo();
  Object.assign(a, {
    family: 99, prefixlen: 99, headerFlags: 99, scope: 99, index: 99, ifaFlags: 99, flags: 99,
    address: 'stale', local: 'stale', broadcast: 'stale', anycast: 'stale', label: 'stale',
    cacheinfo: true, preferred: 1, valid: 2, cstamp: 3, tstamp: 4, rtPriority: 5, proto: 6,
    localBuf: Buffer.from([9, 9, 9, 9]), localOff: 0, localLen: 4,
  });
  return a;
}

/** The local address bytes the decoders exposed, against the schema's text. */
function localBytesAgree(a: AddrInfo, attrs: { local?: string; address?: string }): void {
  const l = attrs.local ?? attrs.address;
  const got = Buffer.from(a.localBuf.subarray(a.localOff, a.localOff + a.localLen));
  assert.deepEqual(got, l === undefined ? Buffer.alloc(0) : parseAddress(l));
}

let answered = 0;
/** The fast decoder agrees with the schema or declines; decodeAddrInfo always equals the schema's result. */
function agree(buf: Buffer): void {
  const v = view(buf);
  let slow: ReturnType<typeof addressMessage.decode> | undefined, slowErr: unknown;
  try { slow = addressMessage.decode(v.buf, v.off, v.len); } catch (e) { slowErr = e; }
  const fast = stale();
  if (decodeAddrFast(v.buf, v.off, v.len, fast)) {
    answered++;
    assert.equal(slowErr, undefined, `fast decoded what the schema rejects: ${buf.toString('hex')}`);
    assert.deepEqual(addrInfoToSchema(fast), slow, buf.toString('hex'));
    assert.equal(fast.flags, slow!.attrs.flags ?? slow!.header.flags);
    localBytesAgree(fast, slow!.attrs);
  }
  if (slowErr === undefined) {
    const a = decodeAddrInfo(v, stale());
    // The schema keeps attributes the printers do not use (multicast, target_netnsid, unknown ones): compare the rest.
    const { multicast: _m, target_netnsid: _t, ...rest } = slow!.attrs;
    delete (rest as Record<symbol, unknown>)[UNKNOWN];
    assert.deepEqual(addrInfoToSchema(a), { header: slow!.header, attrs: rest }, buf.toString('hex'));
    assert.equal(a.flags, slow!.attrs.flags ?? slow!.header.flags);
    localBytesAgree(a, slow!.attrs);
  } else {
    assert.throws(() => decodeAddrInfo(v, stale()));
  }
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
    // Often the same local and peer (the usual case, which the fast path shares as one string).
    if (rng.int(2) && a['local'] !== undefined) a['address'] = a['local'];
    // Labels with NUL bytes and non-ASCII text.
    if (!rng.int(8)) a['label'] = ['eth0:1', 'äö', '', 'x\u0000y'][rng.int(4)];
    agree(message(h, a));
  }
  assert.ok(answered > 2500, `the fast path answered ${answered} of 5000`);
});

test('bad lengths, truncated and corrupted messages: declined by the fast path, same result or error as the schema', () => {
  const base = message({ family: 2, prefixlen: 24, flags: 0x80, scope: 0, index: 3 }, {
    address: '192.0.2.1', local: '192.0.2.1', label: 'eth0', broadcast: '192.0.2.255', flags: 0x80,
    cacheinfo: { ifa_prefered: 0xffffffff, ifa_valid: 0xffffffff, cstamp: 10, tstamp: 20 }, rt_priority: 5, proto: 2,
  });
  agree(base);
  assert.ok(decodeAddrFast(base, 16, base.length - 16, newAddrInfo()), 'a typical message takes the fast path');
  for (let cut = 16; cut < base.length; cut++) {
    const b = Buffer.from(base.subarray(0, cut));
    b.writeUInt32LE(cut, 0);
    agree(b);
  }
  const rng = seededRandom(31);
  for (let i = 0; i < 3000; i++) {
    const b = Buffer.from(base);
    for (let k = 1 + rng.int(3); k > 0; k--) b[16 + rng.int(b.length - 16)] = rng.int(256);
    agree(b);
  }
  // An IPv4 address attribute of 5 bytes, and an attribute length beyond the message.
  const w = new Writer();
  const start = w.beginMessage(20, 2, 1);
  w.u8(2).u8(32).u8(0).u8(0).u32(1);
  const at = w.beginAttr(IFA.LOCAL); w.bytes(Buffer.from([1, 2, 3, 4, 5])); w.endAttr(at);
  w.endMessage(start);
  const odd = w.toBuffer();
  assert.equal(decodeAddrFast(odd, 16, odd.length - 16, newAddrInfo()), false);
  agree(odd);
  const over = Buffer.from(base);
  over.writeUInt16LE(0x400, 24); // first attribute claims more than the message holds
  assert.equal(decodeAddrFast(over, 16, over.length - 16, newAddrInfo()), false);
  agree(over);
});

test('a point-to-point address keeps local and peer apart; labels are reused only when equal', () => {
  const a = newAddrInfo();
  const m1 = message({ family: 2, prefixlen: 32, flags: 0, scope: 0, index: 2 }, { address: '10.0.0.2', local: '10.0.0.1', label: 'eth0' });
  assert.ok(decodeAddrFast(m1, 16, m1.length - 16, a));
  assert.equal(a.local, '10.0.0.1');
  assert.equal(a.address, '10.0.0.2');
  assert.equal(a.label, 'eth0');
  const m2 = message({ family: 2, prefixlen: 32, flags: 0, scope: 0, index: 2 }, { local: '10.0.0.3', label: 'eth1' });
  assert.ok(decodeAddrFast(m2, 16, m2.length - 16, a));
  assert.equal(a.label, 'eth1');
  assert.equal(a.address, undefined);
  assert.deepEqual([...a.localBuf.subarray(a.localOff, a.localOff + a.localLen)], [10, 0, 0, 3]);
});
