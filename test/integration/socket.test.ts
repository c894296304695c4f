/**
 * The socket layer against the real kernel: pipelining, close, abort,
 * timeouts, extended ACK, DUMP_INTR policies and multicast overflow.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns } from '../helpers/netns.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { LinkApi } from '../../src/netlink/link.js';
import { NETLINK, RTM, NLM_F, RTNLGRP } from '../../src/netlink/constants.js';
import { NetlinkError, SocketClosedError, TimeoutError, DumpInterruptedError, isExists, isNotFound } from '../../src/netlink/errors.js';
import { linkMessage, IFF } from '../../src/netlink/rtnetlink/link-schema.js';
import { rtRequest, CREATE_FLAGS } from '../../src/netlink/rtnetlink/request.js';
import { ifinfomsg } from '../../src/netlink/structs.js';
import { decodeLink } from '../../src/netlink/link.js';
import { native } from '../../src/netlink/native.js';
import { Writer } from '../../src/netlink/codec/writer.js';

/** Build veth pairs quickly with one iproute2 batch. */
function addVeths(ns: { name: string; run(cmd: string, args?: readonly string[]): { status: number | null; stderr: string } }, n: number, prefix = 'v'): void {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`link add ${prefix}${i}a type veth peer name ${prefix}${i}b`);
  const r = ns.run('sh', ['-c', `printf '%s\\n' ${lines.map((l) => `'${l}'`).join(' ')} | ip -batch -`]);
  assert.equal(r.status, 0, r.stderr);
}

test('1,000 concurrent requests on one socket each resolve with their own reply', async (t) => {
  await withNetns(t, async (ns) => {
    addVeths(ns, 10);
    await using nl = await Netlink.open({ netns: ns.name });
    const all = await nl.link.list().toArray();
    const indexes = all.map((l) => l.ifindex);
    assert.ok(indexes.length >= 21);
    const wanted = Array.from({ length: 1000 }, (_, i) => indexes[i % indexes.length]!);
    const got = await Promise.all(wanted.map((ix) => nl.link.get(ix)));
    assert.deepEqual(got.map((l) => l.ifindex), wanted);
    // Name lookups too, interleaved with a dump on the same socket.
    const [names, again] = await Promise.all([
      Promise.all(all.map((l) => nl.link.get(l.ifname).then((x) => x.ifname))),
      nl.link.list().toArray(),
    ]);
    assert.deepEqual(names, all.map((l) => l.ifname));
    assert.equal(again.length, all.length);
  });
});

test('closing a socket rejects what is pending with a clear error', async (t) => {
  await withNetns(t, async (ns) => {
    const nl = await Netlink.open({ netns: ns.name });
    const pending = Array.from({ length: 50 }, () => nl.link.get('lo'));
    nl.close();
    const results = await Promise.allSettled(pending);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.ok(r.reason instanceof SocketClosedError, String(r.reason));
      assert.match((r.reason as Error).message, /get link lo: netlink socket closed/);
    }
    await assert.rejects(nl.link.get('lo'), SocketClosedError);
  });
});

test('an aborted request rejects with AbortError and leaves the socket usable', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    const ac = new AbortController();
    const p = nl.link.get('lo', { signal: ac.signal });
    ac.abort();
    await assert.rejects(p, (e: Error) => e.name === 'AbortError');
    // Already-aborted signal: rejects before sending.
    await assert.rejects(nl.link.get('lo', { signal: AbortSignal.abort() }), (e: Error) => e.name === 'AbortError');
    // An aborted dump leaves the socket free for the next dump.
    const ac2 = new AbortController();
    const it = nl.link.list({}, { signal: ac2.signal, interrupted: 'partial' })[Symbol.asyncIterator]();
    const first = await it.next();
    assert.equal(first.done, false);
    ac2.abort();
    const rest = await nl.link.list().toArray();
    assert.ok(rest.some((l) => l.ifname === 'lo'));
    assert.equal((await nl.link.get('lo')).ifname, 'lo');
  });
});

test('a request without a reply times out with TimeoutError; the socket stays usable', async (t) => {
  await withNetns(t, async (ns) => {
    const sock = NetlinkSocket.open(NETLINK.ROUTE, { netns: ns.name });
    try {
      // RTM_NEWLINK without NLM_F_ACK succeeds silently: nothing ever answers it.
      const build = rtRequest(linkMessage, RTM.NEWLINK, 0, { ...ifinfomsg.zero, index: 1, flags: IFF.UP, change: IFF.UP }, {});
      await assert.rejects(sock.request(build, 'set lo up', { timeout: 100 }), TimeoutError);
      const links = new LinkApi(sock);
      assert.equal((await links.get(1)).ifname, 'lo');
    } finally {
      sock.close();
    }
  });
});

test('kernel rejections carry errno, code, operation and the extended ACK text', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    await nl.link.add({ ifname: 'x0', kind: 'veth', data: { peer: { header: ifinfomsg.zero, attrs: { ifname: 'x1' } } } });
    const exists = await nl.link.add({ ifname: 'x0', kind: 'veth' }).catch((e: unknown) => e);
    assert.ok(exists instanceof NetlinkError);
    assert.equal(exists.errno, 17);
    assert.equal(exists.code, 'EEXIST');
    assert.ok(isExists(exists));
    assert.match(exists.message, /^add link x0: File exists/);
    // An invalid value the kernel explains through extended ACK.
    const unknown = await nl.link.add({ ifname: 'x2', kind: 'no-such-kind' }).catch((e: unknown) => e);
    assert.ok(unknown instanceof NetlinkError, String(unknown));
    assert.equal(unknown.code, 'EOPNOTSUPP');
    assert.equal(unknown.extack, 'Unknown device type');
    assert.equal(unknown.message, 'add link x2: Operation not supported (Unknown device type)');
    const missing = await nl.link.get('nope0').catch((e: unknown) => e);
    assert.ok(missing instanceof NetlinkError);
    assert.ok(isNotFound(missing));
  });
});

/** A raw socket in `ns` whose sendmsg runs a request synchronously inside the kernel. */
function syncRequester(netns: string): { addLink(name: string): void; close(): void } {
  const fd = native.socket(16, 3, NETLINK.ROUTE, `/run/netns/${netns}`);
  const addr = Buffer.alloc(12);
  addr.writeUInt16LE(16, 0);
  native.bind(fd, addr);
  return {
    addLink(name: string) {
      const w = new Writer();
      rtRequest(linkMessage, RTM.NEWLINK, CREATE_FLAGS & ~NLM_F.ACK, { ...ifinfomsg.zero }, { ifname: name, linkinfo: { kind: 'veth' } })(w, 1);
      native.sendmsg(fd, w.view(), null);
    },
    close() { native.close(fd); },
  };
}

/** A link dump that changes the link table right after its first message arrives. */
function interruptedDump(ns: string, sock: NetlinkSocket, policy: 'retry' | 'partial' | 'throw', tag: string) {
  const req = syncRequester(ns);
  let changed = false;
  const build = rtRequest(linkMessage, RTM.GETLINK, NLM_F.DUMP, { ...ifinfomsg.zero }, {});
  const stream = sock.dump(build, (m) => {
    if (!changed) { changed = true; req.addLink(tag); }
    return m.type === RTM.NEWLINK ? decodeLink(m) : undefined;
  }, 'list links', { interrupted: policy });
  return { stream, close: () => req.close() };
}

test('NLM_F_DUMP_INTR: retried by default for a consistent result; partial and throw on request', async (t) => {
  await withNetns(t, async (ns) => {
    addVeths(ns, 40);
    // One datagram per receive round, so the change lands between dump parts.
    const sock = NetlinkSocket.open(NETLINK.ROUTE, { netns: ns.name, recvBatch: 1 });
    try {
      const retry = interruptedDump(ns.name, sock, 'retry', 'new0');
      const links = await retry.stream.toArray();
      retry.close();
      assert.ok(retry.stream.retries >= 1, 'the dump was restarted');
      assert.equal(retry.stream.interrupted, false);
      const names = links.map((l) => l.ifname);
      assert.equal(new Set(names).size, names.length, 'no duplicates');
      assert.ok(names.includes('new0'), 'the retried dump sees the change');
      assert.equal(links.length, 81 + 2, 'lo + 80 veths + the new pair');

      const partial = interruptedDump(ns.name, sock, 'partial', 'new1');
      await partial.stream.toArray();
      partial.close();
      assert.equal(partial.stream.interrupted, true);
      assert.equal(partial.stream.retries, 0);

      const thrower = interruptedDump(ns.name, sock, 'throw', 'new2');
      await assert.rejects(thrower.stream.toArray(), DumpInterruptedError);
      thrower.close();
      // The socket still works afterwards.
      assert.equal((await new LinkApi(sock).get('lo')).ifindex, 1);
    } finally {
      sock.close();
    }
  });
});

test('a multicast subscriber that falls behind gets an overflow event (ENOBUFS), not silence', async (t) => {
  await withNetns(t, async (ns) => {
    const sub = NetlinkSocket.open(NETLINK.ROUTE, { netns: ns.name, groups: [RTNLGRP.LINK], rcvbuf: 4096 });
    const events: string[] = [];
    const stop = sub.subscribe((ev) => { events.push(ev.kind); });
    try {
      sub.pauseReading();
      addVeths(ns, 30, 'o');
      sub.resumeReading();
      const deadline = Date.now() + 3000;
      while (!events.includes('overflow') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(events.includes('overflow'), `events: ${events.slice(0, 5).join(',')}…`);
      assert.ok(events.includes('message'), 'messages after the overflow still arrive');
    } finally {
      stop();
      sub.close();
    }
  });
});
