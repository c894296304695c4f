/**
 * The fast route decoder (decodeRoute, used by dumps) must agree with the
 * schema decoder (decodeRouteBySchema, which goes through routeMessage) on
 * every message: generated ones here (random headers and random attribute
 * sets from the schema's own generator, so every RTA_* the schema knows is
 * exercised), real kernel dumps in test/integration/route.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from '../../src/netlink/codec/writer.js';
import { seededRandom, UNKNOWN } from '../../src/netlink/codec/schema.js';
import { routeMessage, routeAttrs, rtaCacheinfo, RTA, LWTUNNEL_ENCAP, mplsLabels, formatMplsLabels, parseMplsLabels, metricsAttrs } from '../../src/netlink/rtnetlink/route-schema.js';
import { decodeRoute, decodeRouteBySchema, decodeRouteInto, type MutableRoute } from '../../src/netlink/route-decode.js';
import { ParseError } from '../../src/netlink/codec/errors.js';
import type { MessageView } from '../../src/netlink/socket.js';
import type { RtMsg } from '../../src/netlink/structs.js';

function view(buf: Buffer, type = 24): MessageView {
  return { type, flags: 2, seq: 1, pid: 0, buf, off: 16, len: buf.readUInt32LE(0) - 16 };
}

function message(h: RtMsg, a: Record<string | symbol, unknown>, type = 24): Buffer {
  const w = new Writer();
  const start = w.beginMessage(type, 2, 1);
  routeMessage.encode(w, h, a as never);
  w.endMessage(start);
  return w.toBuffer();
}

/** Both decoders: equal results, or both throw a ParseError. */
function agree(buf: Buffer, type = 24): void {
  let fast: unknown, slow: unknown, fastErr: unknown, slowErr: unknown;
  try { fast = decodeRoute(view(buf, type)); } catch (e) { fastErr = e; }
  try { slow = decodeRouteBySchema(view(buf, type)); } catch (e) { slowErr = e; }
  if (fastErr || slowErr) {
    assert.ok(fastErr instanceof ParseError && slowErr instanceof ParseError, `only one decoder threw: fast=${String(fastErr)} slow=${String(slowErr)} on ${buf.toString('hex')}`);
    return;
  }
  assert.deepEqual(fast, slow, buf.toString('hex'));
  // Decoding into a reused object gives the same route.
  const into = decodeRouteInto(view(buf, type), { nexthops: [], dev: 'stale' } as unknown as MutableRoute);
  assert.deepEqual({ ...into }, slow);
}

test('fast and schema decoders agree on 5000 generated route messages', () => {
  const rng = seededRandom(4242);
  for (let i = 0; i < 5000; i++) {
    const family = [2, 10, 2, 10, 0, 28][rng.int(6)]!;
    const h: RtMsg = {
      family, dst_len: rng.int(129), src_len: rng.int(129), tos: rng.int(256), table: rng.int(256),
      protocol: rng.int(256), scope: rng.int(256), type: rng.int(13), flags: rng.bytes(4).readUInt32LE(0),
    };
    const a = routeAttrs.arbitrary(rng, {}) as Record<string | symbol, unknown>;
    // Addresses of the family (the generator picks 4 or 16 bytes at random).
    if (rng.bool()) a[UNKNOWN] = [{ type: 31 + rng.int(50), data: rng.bytes(rng.int(9)) }];
    if (a['encap'] !== undefined && rng.bool()) {
      a['encap_type'] = LWTUNNEL_ENCAP.MPLS;
      a['encap'] = { dst: mplsLabels.arbitrary(rng, {}), ttl: rng.int(256) };
    }
    agree(message(h, a), rng.bool() ? 24 : 25);
  }
});

test('decoders agree on truncated and corrupted messages (both raise ParseError or both decode)', () => {
  const rng = seededRandom(7);
  for (let i = 0; i < 2000; i++) {
    const h: RtMsg = { family: 2, dst_len: 24, src_len: 0, tos: 0, table: 254, protocol: 3, scope: 0, type: 1, flags: 0 };
    const buf = message(h, routeAttrs.arbitrary(rng, {}) as Record<string, unknown>);
    const cut = 28 + rng.int(Math.max(1, buf.length - 28));
    const b = Buffer.from(buf.subarray(0, cut));
    b.writeUInt32LE(cut, 0);
    if (rng.bool() && cut > 30) b[28 + rng.int(cut - 28)] = rng.int(256);
    agree(b);
  }
});

test('a typical kernel route decodes to ip -j key names', () => {
  const h: RtMsg = { family: 2, dst_len: 16, src_len: 0, tos: 0, table: 254, protocol: 3, scope: 0, type: 1, flags: 0 };
  const r = decodeRoute(view(message(h, {
    table: 254, dst: '10.1.0.0', priority: 5, gateway: '192.0.2.2', oif: 3,
    metrics: { mtu: 1400, rtt: 800, rttvar: 120, lock: 1 << 2, congctl: 'cubic' },
  })));
  assert.equal(r.dst, '10.1.0.0/16');
  assert.equal(r.gateway, '192.0.2.2');
  assert.equal(r.metric, 5);
  assert.equal(r.oif, 3);
  assert.equal(r.type, 'unicast');
  assert.deepEqual(r.metrics, { mtu: 1400, rtt: 100, rttvar: 30, lock: 4, congctl: 'cubic' });
});

test('host routes print without /len, default and 0/len as iproute2', () => {
  const base: RtMsg = { family: 2, dst_len: 32, src_len: 0, tos: 0, table: 254, protocol: 3, scope: 0, type: 1, flags: 0 };
  assert.equal(decodeRoute(view(message(base, { dst: '10.0.0.1' }))).dst, '10.0.0.1');
  assert.equal(decodeRoute(view(message({ ...base, dst_len: 0 }, {}))).dst, 'default');
  assert.equal(decodeRoute(view(message({ ...base, dst_len: 8 }, {}))).dst, '0/8');
  assert.equal(decodeRoute(view(message({ ...base, family: 10, dst_len: 128 }, { dst: '2001:db8::1' }))).dst, '2001:db8::1');
});

test('MPLS labels: text ↔ wire, bottom of stack on the last label', () => {
  const w = new Writer();
  mplsLabels.encode(w, '100/200', {});
  assert.equal(w.toBuffer().toString('hex'), '0006400000' + '0c8100');
  assert.equal(formatMplsLabels(w.toBuffer(), 0, 8), '100/200');
  assert.deepEqual(parseMplsLabels('0x10/017/3'), [16, 15, 3]);
  assert.equal(parseMplsLabels('1048576'), null);
  assert.equal(parseMplsLabels('a'), null);
});

test('rta_cacheinfo is read tolerantly (short struct → zeros)', () => {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(7, 0);
  assert.deepEqual(rtaCacheinfo.decode(b, 0, 8), { clntref: 7, lastuse: 0, expires: 0, error: 0, used: 0, id: 0, ts: 0, tsage: 0 });
});

test('congctl is sent without a NUL (as iproute2) and read with or without one', () => {
  const w = new Writer();
  metricsAttrs.encode(w, { congctl: 'cubic' }, {});
  assert.equal(w.toBuffer().toString('hex'), '0900100063756269630000'.slice(0, 18) + '000000');
  const withNul = Buffer.from('0a00100063756269630000', 'hex');
  assert.deepEqual(metricsAttrs.decode(withNul, 0, withNul.length, {}), { congctl: 'cubic' });
  assert.equal(RTA.METRICS, 8);
});
