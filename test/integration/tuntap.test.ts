/**
 * rip/tuntap against the real kernel, each test in a throwaway namespace:
 * devices with every flag combination read back through sysfs, RTM_GETLINK and
 * iproute2; persist, owner/group, multi-queue attach/detach; packets written
 * into and read out of tun and tap devices through the kernel's stack.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { native } from '../../src/netlink/native.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { linkData } from '../../src/netlink/link.js';
import {
  TunTap, addTunTap, deleteTunTap, listTunTap, tunTapProcesses, tunFeatures, TunTapError, DeviceClosedError, TUN_FLAG,
  type TunTapFlagOptions,
} from '../../src/tuntap/index.js';

// ---------- packets ----------

function checksum(b: Buffer): number {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += b.readUInt16BE(i);
  if (b.length & 1) s += b[b.length - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

const ip4 = (s: string): Buffer => Buffer.from(s.split('.').map(Number));

/** An IPv4 UDP packet (UDP checksum 0: allowed on IPv4). */
function udp4(src: string, sport: number, dst: string, dport: number, payload: Buffer): Buffer {
  const p = Buffer.alloc(28 + payload.length);
  p[0] = 0x45;
  p.writeUInt16BE(p.length, 2);
  p[8] = 64;
  p[9] = 17;
  ip4(src).copy(p, 12);
  ip4(dst).copy(p, 16);
  p.writeUInt16BE(checksum(p.subarray(0, 20)), 10);
  p.writeUInt16BE(sport, 20);
  p.writeUInt16BE(dport, 22);
  p.writeUInt16BE(8 + payload.length, 24);
  payload.copy(p, 28);
  return p;
}

interface Udp { src: string; dst: string; sport: number; dport: number; payload: Buffer }

function parseUdp4(p: Buffer): Udp | undefined {
  if (p.length < 28 || p[0]! >> 4 !== 4 || p[9] !== 17) return undefined;
  const ihl = (p[0]! & 15) * 4;
  return {
    src: [...p.subarray(12, 16)].join('.'), dst: [...p.subarray(16, 20)].join('.'),
    sport: p.readUInt16BE(ihl), dport: p.readUInt16BE(ihl + 2), payload: p.subarray(ihl + 8, p.readUInt16BE(2)),
  };
}

const mac = (s: string): Buffer => Buffer.from(s.split(':').map((x) => parseInt(x, 16)));

// ---------- a UDP socket inside the namespace ----------

function sockaddrIn(addr: string, port: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(native.constants.AF_INET, 0);
  b.writeUInt16BE(port, 2);
  ip4(addr).copy(b, 4);
  return b;
}

class UdpSocket {
  readonly fd: number;
  constructor(ns: TestNetns, addr: string, port: number) {
    this.fd = native.socket(native.constants.AF_INET, native.constants.SOCK_DGRAM, 0, ns.path);
    native.bind(this.fd, sockaddrIn(addr, port));
  }
  send(addr: string, port: number, data: Buffer): void {
    native.sendmsg(this.fd, data, sockaddrIn(addr, port));
  }
  /** One datagram and its sender, waiting up to `ms`. */
  async recv(ms = 5000): Promise<{ data: Buffer; from: string; port: number }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const r = native.recvfrom(this.fd, 65536);
      if (r) return { data: r.data, from: [...r.addr.subarray(4, 8)].join('.'), port: r.addr.readUInt16BE(2) };
      if (Date.now() > deadline) throw new Error('no datagram');
      await new Promise<void>((resolve) => {
        const poller = new native.Poller(this.fd, () => done());
        const timer = setTimeout(() => done(), 100);
        const done = (): void => { clearTimeout(timer); poller.close(); resolve(); };
        poller.start(true, false);
      });
    }
  }
  close(): void {
    native.close(this.fd);
  }
}

/** Read from `dev` until `pick` accepts a packet (other traffic is skipped). */
async function readUntil<T>(dev: TunTap, pick: (p: Buffer) => T | undefined, ms = 5000): Promise<T> {
  const signal = AbortSignal.timeout(ms);
  for (;;) {
    const hit = pick(await dev.read({ signal }));
    if (hit !== undefined) return hit;
  }
}

/** Bring a device up with an address, IPv6 off (no router solicitations etc. in the way). */
function configure(ns: TestNetns, name: string, cidr: string): void {
  ns.run('sysctl', ['-qw', `net.ipv6.conf.${name}.disable_ipv6=1`]);
  ns.ip('addr', 'add', cidr, 'dev', name);
  ns.ip('link', 'set', name, 'up');
}

// ---------- devices and flags ----------

interface IpLinkTun { ifname: string; linkinfo?: { info_kind: string; info_data?: Record<string, unknown> } }

function ipLinkTun(ns: TestNetns, name: string): Record<string, unknown> {
  const [l] = JSON.parse(ns.ip('-d', '-j', 'link', 'show', 'dev', name)) as IpLinkTun[];
  assert.equal(l!.linkinfo?.info_kind, 'tun');
  return l!.linkinfo!.info_data ?? {};
}

function sysfsFlags(ns: TestNetns, name: string): number {
  const r = ns.run('cat', [`/sys/class/net/${name}/tun_flags`]);
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

test('every flag combination: created in the namespace, read back via sysfs, RTM_GETLINK and iproute2, deleted', async (t) => {
  await withNetns(t, async (ns) => {
    const combos: Array<TunTapFlagOptions & { name: string }> = [];
    for (const mode of ['tun', 'tap'] as const) {
      for (let bits = 0; bits < 16; bits++) {
        combos.push({
          name: `${mode}c${bits}`, mode,
          packetInfo: !!(bits & 1), vnetHdr: !!(bits & 2), multiQueue: !!(bits & 4), oneQueue: !!(bits & 8),
        });
      }
    }
    for (const c of combos) assert.equal(await addTunTap({ ...c, netns: ns.name }), c.name);
    // Not in the host namespace.
    for (const c of combos) assert.throws(() => readlinkSync(`/sys/class/net/${c.name}`), { code: 'ENOENT' });
    const listed = new Map((await listTunTap({ netns: ns.name })).map((d) => [d.ifname, d]));
    await using nl = await Netlink.open({ netns: ns.name });
    for (const c of combos) {
      const want = (c.mode === 'tun' ? TUN_FLAG.TUN : TUN_FLAG.TAP) | (c.packetInfo ? 0 : TUN_FLAG.NO_PI) |
        (c.vnetHdr ? TUN_FLAG.VNET_HDR : 0) | (c.multiQueue ? TUN_FLAG.MULTI_QUEUE : 0) |
        (c.oneQueue ? TUN_FLAG.ONE_QUEUE : 0) | TUN_FLAG.PERSIST;
      assert.equal(sysfsFlags(ns, c.name), want, `sysfs tun_flags of ${c.name}`);
      const d = listed.get(c.name);
      assert.ok(d, `${c.name} listed`);
      assert.equal(d.tunFlags, want);
      assert.equal(d.mode, c.mode);
      assert.deepEqual(
        [d.packetInfo, d.vnetHdr, d.multiQueue, d.oneQueue, d.persist, d.user, d.group],
        [!!c.packetInfo, !!c.vnetHdr, !!c.multiQueue, !!c.oneQueue, true, undefined, undefined]);
      const data = linkData(await nl.link.get(c.name), 'tun');
      assert.deepEqual(
        { type: data?.type, pi: data?.pi, vnet_hdr: data?.vnet_hdr, multi_queue: data?.multi_queue, persist: data?.persist },
        { type: c.mode === 'tun' ? 1 : 2, pi: c.packetInfo ? 1 : 0, vnet_hdr: c.vnetHdr ? 1 : 0, multi_queue: c.multiQueue ? 1 : 0, persist: 1 });
      const ip = ipLinkTun(ns, c.name);
      assert.equal(ip.type, c.mode);
      assert.equal(ip.pi, !!c.packetInfo);
      assert.equal(ip.vnet_hdr, !!c.vnetHdr);
      assert.equal(ip.multi_queue, !!c.multiQueue);
      assert.equal(ip.persist, true);
    }
    for (const c of combos) await deleteTunTap(c.name, { netns: ns.name });
    assert.deepEqual(await listTunTap({ netns: ns.name }), []);
    assert.equal(ns.ip('link', 'show', 'type', 'tun'), '');
  });
});

test('kernel-assigned names, namespace placement, napi and exclusive creation', async (t) => {
  await withNetns(t, async (ns) => {
    await using a = await TunTap.open({ mode: 'tun', netns: ns.name });
    await using b = await TunTap.open({ mode: 'tap', netns: ns.name });
    assert.match(a.name, /^tun\d+$/);
    assert.match(b.name, /^tap\d+$/);
    assert.equal(a.mode, 'tun');
    assert.equal(b.mode, 'tap');
    assert.equal(a.flags, TUN_FLAG.TUN | TUN_FLAG.NO_PI);
    assert.match(ns.ip('link', 'show', 'dev', a.name), new RegExp(`${a.name}: <POINTOPOINT`));
    assert.match(ns.ip('link', 'show', 'dev', b.name), new RegExp(`${b.name}: <BROADCAST`));
    // A name unique to this test does not exist on the host: the device was made in the namespace.
    const own = `rt${process.pid % 100000}x`;
    await using c = await TunTap.open({ mode: 'tun', name: own, netns: ns.name });
    assert.throws(() => readlinkSync(`/sys/class/net/${own}`), { code: 'ENOENT' });
    assert.match(ns.ip('link', 'show', 'dev', own), new RegExp(`: ${own}:`));
    // Templates.
    const tpl = await addTunTap({ mode: 'tun', name: 'vpn%d', netns: ns.name });
    assert.equal(tpl, 'vpn0');
    await assert.rejects(addTunTap({ mode: 'tun', name: 'vpn0', netns: ns.name }), (e: unknown) =>
      e instanceof TunTapError && e.code === 'EBUSY' && e.operation === 'ioctl(TUNSETIFF)' &&
      e.message === 'ioctl(TUNSETIFF): Device or resource busy');
    // NAPI flags are kept in tun_flags.
    const napi = await addTunTap({ mode: 'tap', name: 'napi0', napi: true, napiFrags: true, netns: ns.name });
    assert.equal(sysfsFlags(ns, napi) & (TUN_FLAG.NAPI | TUN_FLAG.NAPI_FRAGS), TUN_FLAG.NAPI | TUN_FLAG.NAPI_FRAGS);
    const [info] = (await listTunTap({ netns: ns.name })).filter((d) => d.ifname === 'napi0');
    assert.deepEqual([info!.napi, info!.napiFrags, info!.flags], [true, true, ['tap', 'persist', '0x30']]);
    const features = tunFeatures({ netns: ns.name });
    for (const f of [TUN_FLAG.TUN, TUN_FLAG.TAP, TUN_FLAG.NO_PI, TUN_FLAG.VNET_HDR, TUN_FLAG.MULTI_QUEUE]) assert.ok(features & f);
    // Wrong mode for an existing device; missing namespace.
    await assert.rejects(TunTap.open({ mode: 'tap', name: own, netns: ns.name }), { code: 'EINVAL' });
    await assert.rejects(TunTap.open({ mode: 'tun', netns: 'rip-no-such-netns' }), { name: 'TunTapError', operation: 'open', code: 'ENOENT' });
    assert.throws(() => TunTap.openSync({ mode: 'tun', name: 'a-very-long-device-name' }), TypeError);
  });
});

test('persist on and off, owner and group', async (t) => {
  await withNetns(t, async (ns) => {
    const dev = await TunTap.open({ mode: 'tap', name: 'p0', netns: ns.name, owner: 1234, group: 4321 });
    assert.equal(ns.run('cat', ['/sys/class/net/p0/owner']).stdout.trim(), '1234');
    assert.equal(ns.run('cat', ['/sys/class/net/p0/group']).stdout.trim(), '4321');
    let ip = ipLinkTun(ns, 'p0');
    assert.deepEqual([ip.user, ip.group, ip.persist], [1234, 4321, false]);
    dev.setOwner(1000);
    dev.setGroup(100);
    dev.setPersist(true);
    ip = ipLinkTun(ns, 'p0');
    assert.deepEqual([ip.persist], [true]);
    let [info] = await listTunTap({ netns: ns.name });
    assert.deepEqual([info!.user, info!.group, info!.persist], [1000, 100, true]);
    dev.close();
    assert.equal(dev.closed, true);
    // Persistent: still there with nothing attached; attach again and clear persist.
    [info] = await listTunTap({ netns: ns.name });
    assert.equal(info!.ifname, 'p0');
    const again = await TunTap.open({ mode: 'tap', name: 'p0', netns: ns.name });
    again.setPersist(false);
    assert.equal(ipLinkTun(ns, 'p0').persist, false);
    again.close();
    assert.equal(ns.ip('link', 'show', 'type', 'tun'), '');
    // Not persistent: gone with the fd.
    const transient = await TunTap.open({ mode: 'tun', name: 'p1', netns: ns.name });
    assert.equal((await listTunTap({ netns: ns.name }))[0]!.persist, false);
    transient.close();
    assert.deepEqual(await listTunTap({ netns: ns.name }), []);
  });
});

test('multi-queue: more queues, detach and attach', async (t) => {
  await withNetns(t, async (ns) => {
    await using q1 = await TunTap.open({ mode: 'tap', name: 'imq0', multiQueue: true, netns: ns.name });
    await using q2 = await q1.openQueue();
    await using q3 = await q2.openQueue();
    assert.equal(q3.name, 'imq0');
    const queues = (): unknown[] => { const d = ipLinkTun(ns, 'imq0'); return [d.numqueues, d.numdisabled]; };
    assert.deepEqual(queues(), [3, 0]);
    q2.detachQueue();
    assert.deepEqual(queues(), [2, 1]);
    const [info] = await listTunTap({ netns: ns.name, processes: true });
    assert.deepEqual([info!.numQueues, info!.numDisabledQueues], [2, 1]);
    // Our process holds all three fds (detached ones too).
    assert.deepEqual(info!.processes?.filter((p) => p.pid === process.pid).length, 3);
    assert.throws(() => q2.detachQueue(), { code: 'EINVAL' });
    q2.attachQueue();
    assert.deepEqual(queues(), [3, 0]);
    q3.close();
    assert.deepEqual(queues(), [2, 0]);
    // A single-queue device has no queues to detach, and a second fd cannot attach.
    await using single = await TunTap.open({ mode: 'tun', name: 'isq0', netns: ns.name });
    assert.throws(() => single.detachQueue(), { name: 'TunTapError', code: 'EINVAL' });
    await assert.rejects(single.openQueue(), { code: 'EBUSY' });
    const procs = tunTapProcesses().get('isq0') ?? [];
    assert.ok(procs.some((p) => p.pid === process.pid && p.name === 'node'));
  });
});

test('tun: a written packet reaches a UDP socket; a packet the kernel routes out is read and answered', async (t) => {
  await withNetns(t, async (ns) => {
    await using tun = await TunTap.open({ mode: 'tun', name: 'itun0', netns: ns.name });
    configure(ns, 'itun0', '10.9.0.1/24');
    const sock = new UdpSocket(ns, '10.9.0.1', 5555);
    try {
      // In: the kernel receives what we write as if it came over the wire.
      const n = await tun.write(udp4('10.9.0.2', 4000, '10.9.0.1', 5555, Buffer.from('hello tun')));
      assert.equal(n, 28 + 9);
      const got = await sock.recv();
      assert.deepEqual([got.data.toString(), got.from, got.port], ['hello tun', '10.9.0.2', 4000]);
      // Out: a datagram to the peer is routed through tun0; answer it from user space.
      sock.send('10.9.0.2', 6000, Buffer.from('ping'));
      const out = await readUntil(tun, (p) => {
        const u = parseUdp4(p);
        return u && u.dst === '10.9.0.2' && u.dport === 6000 ? u : undefined;
      });
      assert.deepEqual([out.src, out.sport, out.payload.toString()], ['10.9.0.1', 5555, 'ping']);
      await tun.write(udp4(out.dst, out.dport, out.src, out.sport, Buffer.from('pong')));
      const reply = await sock.recv();
      assert.deepEqual([reply.data.toString(), reply.from, reply.port], ['pong', '10.9.0.2', 6000]);
      await using nl = await Netlink.open({ netns: ns.name });
      const stats = (await nl.link.get('itun0')).stats64!;
      assert.ok(stats.rx_packets >= 2n && stats.tx_packets >= 1n);
    } finally {
      sock.close();
    }
  });
});

test('tun with packet information and vnet headers: the prefixes are there', async (t) => {
  await withNetns(t, async (ns) => {
    await using tun = await TunTap.open({ mode: 'tun', name: 'pi0', packetInfo: true, netns: ns.name });
    await using vnet = await TunTap.open({ mode: 'tun', name: 'vh0', vnetHdr: true, netns: ns.name });
    configure(ns, 'pi0', '10.9.2.1/24');
    configure(ns, 'vh0', '10.9.3.1/24');
    assert.equal(vnet.vnetHdrSize(), 10);
    vnet.setVnetHdrSize(12);
    assert.equal(vnet.vnetHdrSize(), 12);
    const sock = new UdpSocket(ns, '0.0.0.0', 5556);
    try {
      sock.send('10.9.2.2', 7000, Buffer.from('pi'));
      const pi = await readUntil(tun, (p) => (parseUdp4(p.subarray(4))?.dport === 7000 ? p : undefined));
      assert.deepEqual([pi.readUInt16BE(0), pi.readUInt16BE(2)], [0, 0x0800]); // struct tun_pi: flags, ETH_P_IP
      sock.send('10.9.3.2', 7001, Buffer.from('vnet'));
      const vh = await readUntil(vnet, (p) => (parseUdp4(p.subarray(12))?.dport === 7001 ? p : undefined));
      assert.equal(parseUdp4(vh.subarray(12))!.payload.toString(), 'vnet');
      // Writing needs the prefix too.
      const prefix = Buffer.from([0, 0, 0x08, 0x00]);
      await tun.write(Buffer.concat([prefix, udp4('10.9.2.2', 4001, '10.9.2.1', 5556, Buffer.from('in with pi'))]));
      assert.equal((await sock.recv()).data.toString(), 'in with pi');
    } finally {
      sock.close();
    }
  });
});

test('tap: ARP request read and answered, then the Ethernet frame; a written frame is received', async (t) => {
  await withNetns(t, async (ns) => {
    await using tap = await TunTap.open({ mode: 'tap', name: 'itap0', netns: ns.name });
    configure(ns, 'itap0', '10.9.1.1/24');
    await using nl = await Netlink.open({ netns: ns.name });
    const ourMac = mac((await nl.link.get('itap0')).address!);
    const peerMac = mac('02:00:00:00:00:02');
    const sock = new UdpSocket(ns, '10.9.1.1', 5557);
    try {
      sock.send('10.9.1.2', 8000, Buffer.from('frame'));
      const arp = await readUntil(tap, (f) => (f.readUInt16BE(12) === 0x0806 && f.readUInt16BE(20) === 1 &&
        [...f.subarray(38, 42)].join('.') === '10.9.1.2' ? f : undefined));
      assert.deepEqual(arp.subarray(22, 28), ourMac); // sender hardware address
      const reply = Buffer.alloc(42);
      arp.copy(reply, 0, 6, 12); // dst = the requester
      peerMac.copy(reply, 6);
      reply.writeUInt16BE(0x0806, 12);
      arp.copy(reply, 14, 14, 20); // htype, ptype, hlen, plen
      reply.writeUInt16BE(2, 20); // ARP reply
      peerMac.copy(reply, 22);
      ip4('10.9.1.2').copy(reply, 28);
      arp.copy(reply, 32, 22, 32); // target = the requester's MAC and IP
      await tap.write(reply);
      const frame = await readUntil(tap, (f) => (f.readUInt16BE(12) === 0x0800 && parseUdp4(f.subarray(14))?.dport === 8000 ? f : undefined));
      assert.deepEqual(frame.subarray(0, 6), peerMac);
      assert.equal(parseUdp4(frame.subarray(14))!.payload.toString(), 'frame');
      assert.match(ns.ip('neigh', 'show', '10.9.1.2'), /lladdr 02:00:00:00:00:02/);
      // A frame for us, in.
      const eth = Buffer.alloc(14);
      ourMac.copy(eth, 0);
      peerMac.copy(eth, 6);
      eth.writeUInt16BE(0x0800, 12);
      await tap.write(Buffer.concat([eth, udp4('10.9.1.2', 8001, '10.9.1.1', 5557, Buffer.from('to us'))]));
      const got = await sock.recv();
      assert.deepEqual([got.data.toString(), got.from], ['to us', '10.9.1.2']);
    } finally {
      sock.close();
    }
  });
});

test('carrier off and on', async (t) => {
  await withNetns(t, async (ns) => {
    await using dev = await TunTap.open({ mode: 'tap', name: 'nc0', noCarrier: true, netns: ns.name });
    ns.ip('link', 'set', 'nc0', 'up');
    assert.match(ns.ip('link', 'show', 'nc0'), /NO-CARRIER/);
    dev.setCarrier(true);
    assert.doesNotMatch(ns.ip('link', 'show', 'nc0'), /NO-CARRIER/);
    dev.setCarrier(false);
    assert.match(ns.ip('link', 'show', 'nc0'), /NO-CARRIER/);
  });
});

test('reads: abort, close while waiting, iteration ends on close, use after close', async (t) => {
  await withNetns(t, async (ns) => {
    const dev = await TunTap.open({ mode: 'tun', name: 'r0', netns: ns.name });
    assert.equal(dev.tryRead(), null);
    await assert.rejects(dev.read({ signal: AbortSignal.timeout(30) }), { name: 'TimeoutError' });
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(dev.read({ signal: ac.signal }), /stop/);
    const pending = dev.read();
    const iterated: Buffer[] = [];
    const iteration = (async () => { for await (const p of dev) iterated.push(p); })();
    setTimeout(() => dev.close(), 30);
    await assert.rejects(pending, DeviceClosedError);
    await iteration; // ends without throwing
    assert.deepEqual(iterated, []);
    await assert.rejects(dev.read(), DeviceClosedError);
    await assert.rejects(dev.write(Buffer.alloc(20)), DeviceClosedError);
    assert.throws(() => dev.setPersist(true), DeviceClosedError);
    dev.close(); // idempotent
  });
});
