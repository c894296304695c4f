/**
 * A user-space "host" behind a TUN device: every address of 10.77.0.0/24 other
 * than ours answers ping (ICMP echo) and echoes UDP datagrams back.
 *
 *   sudo node dist/examples/tun-echo.js [NETNS]
 *   sudo ip netns exec rip-demo-tun ping -c3 10.77.0.9
 *   echo hi | sudo ip netns exec rip-demo-tun nc -u -w1 10.77.0.9 7
 *
 * The namespace (default `rip-demo-tun`) is created if missing and deleted on
 * Ctrl-C if this program created it.
 */
import { Netlink, netns } from '../src/netlink/index.js';
import { TunTap } from '../src/tuntap/index.js';

const ns = process.argv[2] ?? 'rip-demo-tun';
const created = !netns.names().includes(ns);
if (created) await netns.add(ns);

/** The Internet checksum of `b`. */
function checksum(b: Buffer): number {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += b.readUInt16BE(i);
  if (b.length & 1) s += b[b.length - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** The answer to an IPv4 ping or UDP datagram, or undefined for anything else. */
function answer(p: Buffer): Buffer | undefined {
  if (p.length < 20 || p[0]! >> 4 !== 4) return undefined;
  const ihl = (p[0]! & 15) * 4;
  const proto = p[9];
  const r = Buffer.from(p.subarray(0, p.readUInt16BE(2)));
  p.copy(r, 12, 16, 20); // swap source and destination
  p.copy(r, 16, 12, 16);
  if (proto === 1 && p[ihl] === 8) { // ICMP echo request → echo reply
    r[ihl] = 0;
    r.writeUInt16BE(0, ihl + 2);
    r.writeUInt16BE(checksum(r.subarray(ihl)), ihl + 2);
  } else if (proto === 17) { // UDP: swap ports (checksum 0: none, allowed on IPv4)
    r.writeUInt16BE(p.readUInt16BE(ihl + 2), ihl);
    r.writeUInt16BE(p.readUInt16BE(ihl), ihl + 2);
    r.writeUInt16BE(0, ihl + 6);
  } else {
    return undefined;
  }
  r.writeUInt16BE(0, 10);
  r.writeUInt16BE(checksum(r.subarray(0, ihl)), 10);
  return r;
}

const stop = new AbortController();
process.once('SIGINT', () => stop.abort());

try {
  await using tun = await TunTap.open({ mode: 'tun', name: 'echo0', netns: ns });
  await using nl = await Netlink.open({ netns: ns });
  await nl.address.add({ dev: tun.name, local: '10.77.0.1/24' });
  await nl.link.set(tun.name, { up: true });
  console.log(`${tun.name} up in netns ${ns} as 10.77.0.1/24; try: ip netns exec ${ns} ping 10.77.0.9 (Ctrl-C to stop)`);
  try {
    for await (const packet of tun.packets({ signal: stop.signal })) {
      const reply = answer(packet);
      if (!reply) continue;
      await tun.write(reply);
      const kind = reply[9] === 1 ? 'ping' : 'udp';
      console.log(`${kind} ${[...packet.subarray(12, 16)].join('.')} → ${[...packet.subarray(16, 20)].join('.')}: answered ${reply.length} bytes`);
    }
  } catch (e) {
    if (!stop.signal.aborted) throw e;
  }
} finally {
  if (created) await netns.del(ns);
}
