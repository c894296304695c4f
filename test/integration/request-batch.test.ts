/**
 * RequestBatch and the native Sender against the real kernel: requests sent
 * in chunks from the sender thread are all applied, failures come back in
 * request order with their tags and the kernel's error, stopping drops the
 * rest unsent, every failure of a large all-failing batch is reported (no
 * receive-buffer overflow), and a small receive buffer shrinks the chunks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { RequestBatch } from '../../src/netlink/batch.js';
import { native, isNativeError } from '../../src/netlink/native.js';
import { NETLINK, RTM, NLM_F } from '../../src/netlink/constants.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { routeMessage, type RouteAttrs } from '../../src/netlink/rtnetlink/route-schema.js';
import type { RtMsg } from '../../src/netlink/structs.js';

const ADD = NLM_F.CREATE | NLM_F.EXCL;

function setup(ns: TestNetns): number {
  ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  ns.ip('link', 'set', 'veth0', 'up');
  return Number(ns.ip('-o', 'link', 'show', 'veth0').split(':')[0]);
}

/** `10.a.b.c/32 dev veth0` as iproute2 builds it. */
function route(i: number, oif: number): { header: RtMsg; attrs: RouteAttrs } {
  return {
    header: { family: 2, dst_len: 32, src_len: 0, tos: 0, table: 254, protocol: 3, scope: 253, type: 1, flags: 0 },
    attrs: { dst: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, oif },
  };
}

function routeCount(ns: TestNetns): number {
  return ns.ip('route', 'show').split('\n').filter((l) => l.startsWith('10.')).length;
}

test('RequestBatch: 5,000 routes in chunks are all applied; failures come back in order with tags and errno', async (t) => {
  await withNetns(t, async (ns) => {
    const oif = setup(ns);
    for (const ack of [false, true]) {
      const failures: Array<[number, string]> = [];
      const b = RequestBatch.open(NETLINK.ROUTE, { netns: ns.name, ack, chunk: 300, onError: (tag, e) => { failures.push([tag, e.code]); } });
      try {
        for (let i = 0; i < 5000; i++) {
          const { header, attrs } = route(ack ? i + 10000 : i, oif);
          b.add(routeMessage, RTM.NEWROUTE, ADD, header, attrs, i + 1);
        }
        // Duplicates (EEXIST) and a route on a missing device (ENODEV), interleaved with good ones.
        const dup = route(ack ? 10007 : 7, oif);
        b.add(routeMessage, RTM.NEWROUTE, ADD, dup.header, dup.attrs, 6001);
        const bad = route(99999, 12345);
        b.add(routeMessage, RTM.NEWROUTE, ADD, bad.header, bad.attrs, 6002);
        const ok = route(ack ? 20000 : 30000, oif);
        b.add(routeMessage, RTM.NEWROUTE, ADD, ok.header, ok.attrs, 6003);
        b.add(routeMessage, RTM.NEWROUTE, ADD, dup.header, dup.attrs, 6004);
        b.drain();
      } finally {
        b.close();
      }
      assert.deepEqual(failures, [[6001, 'EEXIST'], [6002, 'ENODEV'], [6004, 'EEXIST']], `ack=${ack}`);
    }
    assert.equal(routeCount(ns), 10002);
  });
});

test('RequestBatch: onError returning true stops: later requests are not sent and later failures not reported', async (t) => {
  await withNetns(t, async (ns) => {
    const oif = setup(ns);
    const seen: number[] = [];
    const b = RequestBatch.open(NETLINK.ROUTE, { netns: ns.name, chunk: 10, onError: (tag) => { seen.push(tag); return true; } });
    try {
      for (let i = 0; i < 25; i++) {
        // Request 5 and 6 fail (5 duplicates 0, 6 duplicates 1); the stop comes at 5.
        const r = route(i === 5 ? 0 : i === 6 ? 1 : i, oif);
        b.add(routeMessage, RTM.NEWROUTE, ADD, r.header, r.attrs, i);
      }
      b.drain();
      assert.equal(b.stopped, true);
      const more = route(1000, oif);
      b.add(routeMessage, RTM.NEWROUTE, ADD, more.header, more.attrs, 1000); // dropped
      b.drain();
    } finally {
      b.close();
    }
    assert.deepEqual(seen, [5]);
    // The chunk of the failure (requests 0–9) was processed whole; nothing after it was sent.
    assert.equal(routeCount(ns), 8);
  });
});

test('RequestBatch stopAtFirstFailure: nothing after the first failure is applied, even within its chunk', async (t) => {
  await withNetns(t, async (ns) => {
    const oif = setup(ns);
    assert.throws(() => RequestBatch.open(NETLINK.ROUTE, { netns: ns.name, stopAtFirstFailure: true, onError: () => {} }), /requires ack: false/);
    const seen: Array<[number, string]> = [];
    const b = RequestBatch.open(NETLINK.ROUTE, {
      netns: ns.name, ack: false, stopAtFirstFailure: true, chunk: 100,
      // Returning false would go on with -force; the stop is the option's, regardless.
      onError: (tag, e) => { seen.push([tag, e.code]); return false; },
    });
    try {
      for (let i = 0; i < 1000; i++) {
        // Request 250 (in the third chunk) duplicates request 3; 251 and 600 would fail too.
        const r = route(i === 250 ? 3 : i === 251 ? 4 : i === 600 ? 5 : i, oif);
        b.add(routeMessage, RTM.NEWROUTE, ADD, r.header, r.attrs, i);
      }
      b.drain();
      assert.equal(b.stopped, true);
    } finally {
      b.close();
    }
    assert.deepEqual(seen, [[250, 'EEXIST']]);
    assert.equal(routeCount(ns), 250); // requests 0–249, nothing of the rest of the chunk
    // Without a failure, every request goes through.
    const c = RequestBatch.open(NETLINK.ROUTE, { netns: ns.name, ack: false, stopAtFirstFailure: true, chunk: 64, onError: () => true });
    try {
      for (let i = 5000; i < 6000; i++) {
        const r = route(i, oif);
        c.add(routeMessage, RTM.NEWROUTE, ADD, r.header, r.attrs, i);
      }
      c.drain();
      assert.equal(c.stopped, false);
    } finally {
      c.close();
    }
    assert.equal(routeCount(ns), 1250);
  });
});

test('RequestBatch stopAtFirstFailure with undoable requests: chunks go whole and what followed a failure is undone exactly', async (t) => {
  await withNetns(t, async (ns) => {
    const oif = setup(ns);
    // Routes that exist before the batch: same destinations as requests after the failure, other priorities or the same one.
    ns.ip('route', 'add', '10.0.1.44/32', 'dev', 'veth0', 'metric', '5'); // request 300 adds the metric-0 twin: undone, this one kept
    ns.ip('route', 'add', '10.0.1.45/32', 'dev', 'veth0'); // request 301 duplicates it: fails, must not be undone
    const before = ns.ip('route', 'show');
    const seen: Array<[number, string]> = [];
    const b = RequestBatch.open(NETLINK.ROUTE, { netns: ns.name, ack: false, stopAtFirstFailure: true, chunk: 128, onError: (tag, e) => { seen.push([tag, e.code]); } });
    try {
      for (let i = 0; i < 600; i++) {
        // Request 290 (in the third chunk, 256–383) duplicates request 3.
        const r = route(i === 290 ? 3 : i, oif);
        const w = b.beginRequest(RTM.NEWROUTE, ADD);
        if (!w) break;
        routeMessage.encode(w, r.header, r.attrs);
        b.commitRequest(i, RTM.DELROUTE);
      }
      b.drain();
      assert.equal(b.stopped, true);
    } finally {
      b.close();
    }
    assert.deepEqual(seen, [[290, 'EEXIST']]);
    const after = ns.ip('route', 'show').split('\n').filter((l) => l.startsWith('10.')).map((l) => l.replace(' linkdown', '').trim());
    // Requests 0–289 and the two routes from before, nothing else.
    assert.equal(after.length, 292);
    assert.ok(after.includes('10.0.1.44 dev veth0 scope link metric 5'), 'the metric-5 route survives the undo of its twin');
    assert.ok(after.includes('10.0.1.45 dev veth0 scope link'), 'a route a failed request duplicated survives');
    assert.ok(!after.includes('10.0.1.44 dev veth0 scope link'), 'the twin was undone');
    assert.ok(before.includes('10.0.1.45'));
  });
});

test('RequestBatch: 20,000 failing requests are each reported (the receive buffer never overflows)', async (t) => {
  await withNetns(t, async (ns) => {
    const oif = setup(ns);
    for (const ack of [false, true]) {
      let n = 0;
      let lastTag = 0;
      let ordered = true;
      const b = RequestBatch.open(NETLINK.ROUTE, {
        netns: ns.name, ack, chunk: 4096,
        onError: (tag, e) => {
          assert.ok(e instanceof NetlinkError);
          if (e.code !== 'ENODEV' || tag <= lastTag) ordered = false;
          lastTag = tag;
          n++;
        },
      });
      try {
        for (let i = 0; i < 20000; i++) {
          const r = route(i, 54321); // no such device
          b.add(routeMessage, RTM.NEWROUTE, ADD, r.header, r.attrs, i + 1);
        }
        b.drain();
      } finally {
        b.close();
      }
      assert.equal(n, 20000, `ack=${ack}`);
      assert.ok(ordered, 'in order, each ENODEV');
    }
    assert.equal(routeCount(ns), 0);
  });
});

test('RequestBatch: a chunk is no larger than the receive buffer can hold answers for', async (t) => {
  await withNetns(t, async (ns) => {
    setup(ns);
    const b = RequestBatch.open(NETLINK.ROUTE, { netns: ns.name, chunk: 100000, onError: () => {} });
    try {
      const rcvbuf = native.getsockopt((b as unknown as { fd: number }).fd, native.constants.SOL_SOCKET, native.constants.SO_RCVBUF, 4).readInt32LE(0);
      assert.ok(b.chunkRequests < 100000);
      assert.ok(b.chunkRequests * 1024 <= rcvbuf, `${b.chunkRequests} requests for a ${rcvbuf}-byte buffer`);
    } finally {
      b.close();
    }
  });
});

test('native Sender: sends on its thread, one buffer at a time (EBUSY), results collected by wait()', async (t) => {
  await withNetns(t, async (ns) => {
    const fd = native.socket(native.constants.AF_NETLINK, native.constants.SOCK_RAW, NETLINK.ROUTE, `/run/netns/${ns.name}`);
    const addr = Buffer.alloc(12);
    addr.writeUInt16LE(native.constants.AF_NETLINK, 0);
    native.bind(fd, addr);
    assert.ok(native.Sender, 'the addon has the Sender (rebuild it: npx node-gyp rebuild)');
    const s = new native.Sender(fd);
    try {
      assert.equal(s.wait(true), null, 'nothing in flight');
      // RTM_GETLINK of ifindex 1 with an ACK: answered by a link message and an ACK.
      const req = Buffer.alloc(32);
      req.writeUInt32LE(32, 0);
      req.writeUInt16LE(RTM.GETLINK, 4);
      req.writeUInt16LE(NLM_F.REQUEST | NLM_F.ACK, 6);
      req.writeUInt32LE(77, 8);
      req.writeInt32LE(1, 20);
      s.send(req);
      assert.throws(() => s.send(req), (e: unknown) => isNativeError(e) && e.code === 'EBUSY');
      assert.equal(s.wait(true), 32);
      assert.equal(s.wait(false), null, 'collected once');
      const got = native.recvmany(fd, 8);
      assert.ok(got && got.readUInt32LE(8) === 77, 'the kernel answered before the send returned');
      // A failing sendmsg throws its errno from wait().
      const fd2 = native.socket(native.constants.AF_NETLINK, native.constants.SOCK_RAW, NETLINK.ROUTE, null);
      const s2 = new native.Sender!(fd2);
      native.close(fd2);
      s2.send(req);
      assert.throws(() => s2.wait(true), (e: unknown) => isNativeError(e) && e.code === 'EBADF');
      s2.close();
    } finally {
      s.close();
      s.close();
      native.close(fd);
    }
    assert.throws(() => s.send(Buffer.alloc(16)), (e: unknown) => isNativeError(e) && e.code === 'EBADF');
  });
});
