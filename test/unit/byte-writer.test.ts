/**
 * ByteWriter (src/output/bytes.ts) and the byte forms of tc's unit printers
 * (writeRateNum, writeRate64, writeSize, writeClassid) write exactly the text
 * of their string counterparts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../../src/output/bytes.js';
import { StringSink, FdSink } from '../../src/output/printer.js';
import { seededRandom } from '../../src/netlink/codec/schema.js';
import { sprintRate, sprintRateNum, sprintSize, writeRate64, writeRateNum, writeSize } from '../../src/tc/units.js';
import { formatClassid, writeClassid } from '../../src/tc/handle.js';

const rng = seededRandom(0x7c5e);

/** Write with `fn` into a fresh writer (small, so that it has to grow) and return the text. */
function written(fn: (out: ByteWriter) => void): string {
  const out = new ByteWriter(4);
  out.str('<');
  fn(out);
  out.str('>');
  const t = out.text();
  return t.slice(1, -1);
}

/** Random integers spread over every number of digits up to `bits` bits. */
function spread(bits: number, n: number): number[] {
  const xs = [0, 1, 9, 10, 99, 100, 999, 1000, 0x7fffffff, 0x80000000, 0xffffffff, 2 ** bits - 1];
  for (let i = 0; i < n; i++) {
    // A random 53-bit integer cut down to 1..bits bits.
    const v = rng.int(0x200000) * 2 ** 32 + rng.bytes(4).readUInt32LE(0);
    xs.push(Math.floor(v / 2 ** (53 - (1 + rng.int(bits)))));
  }
  return xs.filter((x) => x < 2 ** bits);
}

test('uint, int, hex and u64 write the digits String() and toString(16) give', () => {
  for (const n of spread(53, 3000)) assert.equal(written((o) => o.uint(n)), String(n), `uint ${n}`);
  for (const n of spread(32, 2000)) {
    assert.equal(written((o) => o.int(n)), String(n | 0), `int ${n}`);
    assert.equal(written((o) => o.hex(n)), (n >>> 0).toString(16), `hex ${n}`);
  }
  const w = new Uint32Array(2);
  for (let i = 0; i < 2000; i++) {
    w[0] = rng.bytes(4).readUInt32LE(0);
    w[1] = i % 3 === 0 ? rng.int(0x200000) : rng.bytes(4).readUInt32LE(0);
    const v = (BigInt(w[1]!) << 32n) | BigInt(w[0]!);
    assert.equal(written((o) => o.u64(w, 0)), v.toString(), `u64 ${v}`);
  }
});

test('str writes UTF-8, bytes and byte write what they are given', () => {
  assert.equal(written((o) => o.str('veth0 ')), 'veth0 ');
  assert.equal(written((o) => o.str('vé🙂th')), 'vé🙂th');
  assert.equal(written((o) => { o.bytes(Buffer.from('qdisc ')); o.byte(0x31); o.byte(0x3a); }), 'qdisc 1:');
});

test('flushTo hands the bytes to a sink that takes bytes, text to one that does not', () => {
  const out = new ByteWriter(16);
  out.str('class htb 1:1 ');
  const sink = new StringSink();
  out.flushTo(sink);
  assert.equal(sink.toString(), 'class htb 1:1 ');
  assert.equal(out.pos, 0);
  assert.equal(typeof (new FdSink() as { writeBytes?: unknown }).writeBytes, 'function');
});

test('writeRateNum, writeRate64 and writeSize print what sprintRateNum, sprintRate and sprintSize print', () => {
  const w = new Uint32Array(2);
  for (const iec of [false, true]) {
    for (const r of spread(50, 3000)) {
      assert.equal(written((o) => writeRateNum(o, r, iec)), sprintRateNum(r, iec), `rate ${r} iec ${iec}`);
    }
    for (let i = 0; i < 2000; i++) {
      w[0] = rng.bytes(4).readUInt32LE(0);
      w[1] = i % 2 ? rng.int(0x40000) : rng.bytes(4).readUInt32LE(0);
      const v = (BigInt(w[1]!) << 32n) | BigInt(w[0]!);
      assert.equal(written((o) => writeRate64(o, w, 0, iec)), sprintRate(v, iec), `rate64 ${v} iec ${iec}`);
    }
  }
  const sizes = spread(32, 3000);
  for (let k = 1; k < 4096; k *= 2) sizes.push(k * 1024, k * 1024 - 1, k * 1024 + 15, k * 1024 + 16, k * 1048576 + 1023, k * 1048576 - 1024);
  for (const s of sizes) assert.equal(written((o) => writeSize(o, s)), sprintSize(s), `size ${s}`);
});

test('writeClassid prints what formatClassid prints', () => {
  const ids = [0, 0xffffffff, 0x10000, 0x10001, 0xffff0000, 0xfff1, 0x1, 0xabcd1234, 0xffffffe0];
  for (let i = 0; i < 2000; i++) ids.push(rng.bytes(4).readUInt32LE(0), rng.int(0x10000), rng.int(0x10000) << 16);
  for (const h of ids) assert.equal(written((o) => writeClassid(o, h)), formatClassid(h), `classid ${h.toString(16)}`);
});
