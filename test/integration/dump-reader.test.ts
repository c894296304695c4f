/**
 * The native Reader (a dump received on a background thread) and
 * NetlinkSocket.dumpSync / SockDiag.inetSync on top of it, against the real
 * kernel: a route dump arrives whole and in order, the reader stops at its
 * request's end and leaves later replies in the socket, the kernel's errors
 * (NLMSG_ERROR, NLMSG_DONE with an error, a receive-queue overflow) come
 * back once after the data before them, and close() and garbage collection
 * stop the thread whether it waits for the socket or for room in its ring.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { native, isNativeError } from '../../src/netlink/native.js';
import { NetlinkSocket, type MessageView } from '../../src/netlink/socket.js';
import { NETLINK, NLMSG, RTM, NLM_F } from '../../src/netlink/constants.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { SockDiag } from '../../src/sockdiag/sockdiag.js';
import { IPPROTO } from '../../src/sockdiag/constants.js';
import type { Writer } from '../../src/netlink/codec/writer.js';

const RTNLGRP_IPV4_ROUTE = 7;

/** `count` host routes via lo, added with one `ip -batch`. */
function addRoutes(ns: TestNetns, count: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'rip-reader-'));
  try {
    const file = join(dir, 'batch');
    const lines: string[] = [];
    for (let i = 0; i < count; i++) lines.push(`route add 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 dev lo`);
    writeFileSync(file, lines.join('\n') + '\n');
    ns.ip('link', 'set', 'lo', 'up');
    ns.ip('-batch', file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** IPv4 routes of every table, as the kernel dumps them. */
function routeTotal(ns: TestNetns): number {
  return ns.ip('-4', 'route', 'show', 'table', 'all').split('\n').filter((l) => l.trim()).length;
}

/** RTM_GETROUTE dump request (AF_INET) with sequence number `seq`. */
function routeDump(seq: number, type: number = RTM.GETROUTE): Buffer {
  const b = Buffer.alloc(28);
  b.writeUInt32LE(28, 0);
  b.writeUInt16LE(type, 4);
  b.writeUInt16LE(NLM_F.REQUEST | NLM_F.DUMP, 6);
  b.writeUInt32LE(seq, 8);
  b[16] = 2;
  return b;
}

/** RTM_GETLINK of ifindex 1 with an ACK. */
function getLo(seq: number): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(32, 0);
  b.writeUInt16LE(RTM.GETLINK, 4);
  b.writeUInt16LE(NLM_F.REQUEST | NLM_F.ACK, 6);
  b.writeUInt32LE(seq, 8);
  b.writeInt32LE(1, 20);
  return b;
}

function openRoute(ns: TestNetns, rcvbuf?: number): number {
  const fd = native.socket(native.constants.AF_NETLINK, native.constants.SOCK_RAW, NETLINK.ROUTE, `/run/netns/${ns.name}`);
  if (rcvbuf !== undefined) native.setsockopt(fd, native.constants.SOL_SOCKET, native.constants.SO_RCVBUFFORCE, rcvbuf);
  const addr = Buffer.alloc(12);
  addr.writeUInt16LE(native.constants.AF_NETLINK, 0);
  native.bind(fd, addr);
  return fd;
}

interface Msg { type: number; seq: number; error: number }

/** The messages of a run of datagrams (headers, and the errno of ERROR/DONE). */
function messages(b: Buffer, n: number): Msg[] {
  const out: Msg[] = [];
  for (let p = 0; n - p >= 16;) {
    const len = b.readUInt32LE(p);
    assert.ok(len >= 16 && len <= n - p, `message at ${p} has a sane length`);
    const type = b.readUInt16LE(p + 4);
    out.push({ type, seq: b.readUInt32LE(p + 8), error: type === NLMSG.ERROR || type === NLMSG.DONE ? b.readInt32LE(p + 16) : 0 });
    p += (len + 3) & ~3;
  }
  return out;
}

/** Everything a reader delivers, until it finishes. */
function drain(r: { next(t: Buffer, block: boolean): number | null }, target = Buffer.alloc(256 * 1024)): { msgs: Msg[]; chunks: number } {
  const msgs: Msg[] = [];
  let chunks = 0;
  for (let n = r.next(target, true); n !== null; n = r.next(target, true)) {
    assert.ok(n > 0, 'a blocking next() returns data or null');
    chunks++;
    msgs.push(...messages(target, n));
  }
  return { msgs, chunks };
}

const threads = (): number => readdirSync('/proc/self/task').length;

function Reader(): NonNullable<typeof native.Reader> {
  assert.ok(native.Reader, 'the addon has the Reader (rebuild it: node-gyp rebuild)');
  return native.Reader;
}

test('native Reader: a whole route dump in order; stops at its request\'s end, later replies stay in the socket', async (t) => {
  await withNetns(t, async (ns) => {
    addRoutes(ns, 5000);
    const total = routeTotal(ns);
    assert.ok(total >= 5000);
    const fd = openRoute(ns);
    try {
      const R = Reader();
      // The whole dump: every route, then DONE; several chunks (a datagram is at most 32 KiB).
      const r = new R(fd, routeDump(1), 1);
      assert.throws(() => r.next(Buffer.alloc(1024), true), TypeError, 'a target smaller than a slot');
      // A one-slot target: the dump (about 260 KiB) comes in several takes.
      const { msgs, chunks } = drain(r, Buffer.alloc(65536));
      assert.ok(chunks >= 4, `${chunks} chunks`);
      assert.equal(msgs.filter((m) => m.type === RTM.NEWROUTE && m.seq === 1).length, total);
      assert.deepEqual(msgs.at(-1), { type: NLMSG.DONE, seq: 1, error: 0 });
      assert.equal(r.next(Buffer.alloc(65536), false), null, 'finished stays finished');
      r.close();
      r.close();
      assert.equal(r.next(Buffer.alloc(65536), true), null, 'closed');
      assert.equal(native.recvmany(fd, 64), null, 'nothing left in the socket');

      // A dump and a GET in one send, read up to the GET's ACK: the dump's rest stays for the event loop's reads.
      const r2 = new R(fd, Buffer.concat([routeDump(2), getLo(3)]), 3);
      const first = drain(r2).msgs;
      r2.close();
      assert.deepEqual(first.at(-1), { type: NLMSG.ERROR, seq: 3, error: 0 }, 'ends with the ACK of seq 3');
      assert.equal(first.filter((m) => m.type === RTM.NEWLINK && m.seq === 3).length, 1);
      assert.ok(!first.some((m) => m.type === NLMSG.DONE), 'the dump was not read to its end');
      const rest: Msg[] = [];
      for (let i = 0; i < 10000 && !rest.some((m) => m.type === NLMSG.DONE); i++) {
        const b = native.recvmany(fd, 64);
        if (b) rest.push(...messages(b, b.length));
      }
      const routes = [...first, ...rest].filter((m) => m.type === RTM.NEWROUTE && m.seq === 2).length;
      assert.equal(routes, total, 'both parts together hold the whole dump');
      assert.deepEqual(rest.at(-1), { type: NLMSG.DONE, seq: 2, error: 0 });
    } finally {
      native.close(fd);
    }
  });
});

test('native Reader: NLMSG_ERROR, NLMSG_DONE with an error, ENOBUFS and a failed send', async (t) => {
  await withNetns(t, async (ns) => {
    const R = Reader();
    const fd = openRoute(ns);
    try {
      // An unknown rtnetlink type: NLMSG_ERROR (EOPNOTSUPP) ends the reader.
      const r = new R(fd, routeDump(7, 0x7ffe), 7);
      assert.deepEqual(drain(r).msgs, [{ type: NLMSG.ERROR, seq: 7, error: -95 }]);
      r.close();
    } finally {
      native.close(fd);
    }
    // sock_diag of a protocol without a handler: NLMSG_DONE carrying ENOENT.
    const dfd = native.socket(native.constants.AF_NETLINK, native.constants.SOCK_RAW, NETLINK.SOCK_DIAG, `/run/netns/${ns.name}`);
    try {
      const req = Buffer.alloc(72);
      req.writeUInt32LE(72, 0); req.writeUInt16LE(20, 4); req.writeUInt16LE(NLM_F.REQUEST | NLM_F.DUMP, 6); req.writeUInt32LE(5, 8);
      req[16] = 2; req[17] = 200; req.writeUInt32LE(0xfff, 20);
      const r = new R(dfd, req, 5);
      assert.deepEqual(drain(r).msgs, [{ type: NLMSG.DONE, seq: 5, error: -2 }]);
      r.close();
    } finally {
      native.close(dfd);
    }
    // A receive queue that overflowed (a small buffer subscribed to route events): recvmsg fails with ENOBUFS.
    const ofd = openRoute(ns, 4096);
    try {
      native.setsockopt(ofd, 270, NETLINK.ADD_MEMBERSHIP, RTNLGRP_IPV4_ROUTE);
      addRoutes(ns, 300);
      const r = new R(ofd, routeDump(11), 11);
      const target = Buffer.alloc(65536);
      let err: unknown;
      let data = 0;
      try {
        for (let n = r.next(target, true); n !== null; n = r.next(target, true)) data += n;
      } catch (e) { err = e; }
      assert.ok(isNativeError(err) && err.code === 'ENOBUFS', `ENOBUFS, got ${String(err)} after ${data} bytes`);
      assert.equal(r.next(target, true), null, 'the error is reported once');
      r.close();
    } finally {
      native.close(ofd);
    }
    // A closed fd cannot be read: the constructor fails (it works on its own dup).
    const cfd = openRoute(ns);
    native.close(cfd);
    assert.throws(() => new R(cfd, routeDump(1), 1), (e: unknown) => isNativeError(e) && e.code === 'EBADF');
  });
});

test('native Reader: close() stops the thread while it waits for the socket or for room in its ring; GC does too', async (t) => {
  await withNetns(t, async (ns) => {
    const R = Reader();
    addRoutes(ns, 20000);
    const fd = openRoute(ns);
    const before = threads();
    try {
      // Waiting for a reply that never comes (nothing was sent).
      const idle = new R(fd, null, 12345);
      assert.equal(idle.next(Buffer.alloc(65536), false), 0, 'nothing yet');
      const t0 = Date.now();
      idle.close();
      assert.ok(Date.now() - t0 < 1000, 'close() wakes the thread');
      // A dump bigger than the ring (16 datagrams): the thread waits for room, one chunk is taken, then close().
      const busy = new R(fd, routeDump(20), 20);
      const target = Buffer.alloc(65536);
      assert.ok((busy.next(target, true) ?? 0) > 0);
      await new Promise((r) => setTimeout(r, 100));
      busy.close();
      assert.equal(busy.next(target, true), null);
      assert.equal(threads(), before, 'both threads joined');
    } finally {
      native.close(fd);
    }
    // Readers dropped without close(): collected, their threads joined (in a child with --expose-gc).
    const nativeJs = new URL('../../src/netlink/native.js', import.meta.url).pathname;
    const child = `
      import { readdirSync } from 'node:fs';
      const { native } = await import(${JSON.stringify(nativeJs)});
      const fd = native.socket(16, 3, 0, null);
      const count = () => readdirSync('/proc/self/task').length;
      const before = count();
      (() => { for (let i = 0; i < 8; i++) new native.Reader(fd, null, 1000 + i); })();
      const during = count();
      for (let i = 0; i < 5 && count() > before; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
      console.log(JSON.stringify({ before, during, after: count() }));
    `;
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', child], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const c = JSON.parse(r.stdout) as { before: number; during: number; after: number };
    assert.equal(c.during, c.before + 8, 'a thread per reader');
    assert.equal(c.after, c.before, 'joined when collected');
  });
});

test('NetlinkSocket.dumpSync: the same messages as dump(); errors thrown; busy sockets decline; the socket stays usable', async (t) => {
  await withNetns(t, async (ns) => {
    addRoutes(ns, 3000);
    const total = routeTotal(ns);
    const sock = NetlinkSocket.open(NETLINK.ROUTE, { netns: ns.name });
    try {
      const dsts: string[] = [];
      const ok = sock.dumpSync((w, seq) => writeRaw(w, routeDump(seq)), 'dump routes', (m: MessageView) => {
        assert.equal(m.type, RTM.NEWROUTE);
        dsts.push(m.buf.subarray(m.off, m.off + m.len).toString('hex'));
      });
      assert.equal(ok, true);
      assert.equal(dsts.length, total);
      const viaLoop = await sock.dump((w, seq) => writeRaw(w, routeDump(seq)), (m) => m.buf.subarray(m.off, m.off + m.len).toString('hex'), 'dump routes').toArray();
      assert.deepEqual(dsts, viaLoop, 'same messages, same order');

      // The kernel's error: NLMSG_ERROR.
      assert.throws(() => sock.dumpSync((w, seq) => writeRaw(w, routeDump(seq, 0x7ffe)), 'dump nothing', () => {}),
        (e: unknown) => e instanceof NetlinkError && e.code === 'EOPNOTSUPP');

      // A request in flight: declined, nothing sent.
      const pending = sock.request((w, seq) => writeRaw(w, getLo(seq)), 'get lo');
      assert.equal(sock.dumpSync((w, seq) => writeRaw(w, routeDump(seq)), 'dump routes', () => {}), false);
      assert.equal((await pending).length, 1);

      // The callback throws halfway: the error propagates, the rest of the dump is drained.
      let seen = 0;
      assert.throws(() => sock.dumpSync((w, seq) => writeRaw(w, routeDump(seq)), 'dump routes', () => { if (++seen === 100) throw new Error('stop'); }), /stop/);
      let again = 0;
      assert.equal(sock.dumpSync((w, seq) => writeRaw(w, routeDump(seq)), 'dump routes', () => { again++; }), true);
      assert.equal(again, total);
      assert.equal((await sock.dump((w, seq) => writeRaw(w, routeDump(seq)), () => 1, 'dump routes').toArray()).length, total);
    } finally {
      sock.close();
    }
    assert.equal(sock.dumpSync((w, seq) => writeRaw(w, routeDump(seq)), 'dump routes', () => {}), false, 'closed');
  });
});

test('SockDiag.inetSync: TCP sockets of one family; a table the kernel lacks throws its error', async (t) => {
  await withNetns(t, async (ns) => {
    const sd = await SockDiag.open({ netns: ns.name });
    try {
      ns.ip('link', 'set', 'lo', 'up');
      let n = 0;
      assert.equal(sd.inetSync(IPPROTO.TCP, { family: 'inet', states: 0xfff }, () => { n++; }), true);
      assert.equal(n, 0, 'a fresh namespace has no TCP sockets');
      assert.throws(() => sd.inetSync(200, { family: 'inet' }, () => {}), (e: unknown) => e instanceof NetlinkError && e.code === 'ENOENT');
    } finally {
      sd.close();
    }
  });
});

/** Append a prepared request to the writer (the builders above make whole messages). */
function writeRaw(w: Writer, msg: Buffer): void {
  w.bytes(msg);
}
