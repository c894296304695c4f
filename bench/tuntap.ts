/**
 * Benchmark: `ip tuntap show` (text, -j, -d) with 100 persistent devices and
 * `ip tuntap add` + `del` of one device, rip against iproute2 (output checked
 * identical first); and packet rates of the library: TunTap.write() of
 * 100,000 packets into a tun device, and read() of 100,000 packets the kernel
 * routes out through it.
 *
 * Run as root: `npx tsc -p tsconfig.json && node dist/bench/tuntap.js [rounds=9] [packets=100000]`
 */
import { BenchNetns, RIP, compare, measure, must, report } from './_util.js';
import { TunTap } from '../src/tuntap/index.js';
import { native } from '../src/netlink/native.js';

const rounds = Number(process.argv[2] ?? 9);
const packets = Number(process.argv[3] ?? 100000);

function cliBench(ns: BenchNetns): void {
  const lines: string[] = [];
  for (let i = 0; i < 100; i++) lines.push(`tuntap add dev bt${i} mode ${i & 1 ? 'tap' : 'tun'}${i % 3 ? '' : ' pi'}${i % 5 ? '' : ' multi_queue'}`);
  must('ip', ['-n', ns.name, '-batch', ns.file('tuntap.batch', lines.join('\n') + '\n')]);
  for (const args of [['tuntap', 'show'], ['-j', 'tuntap', 'show'], ['-d', 'tuntap', 'show']]) {
    const full = ['-n', ns.name, ...args];
    if (measure('ip', full).stdout !== measure(process.execPath, [RIP, 'ip', ...full]).stdout) throw new Error(`output differs for ip ${args.join(' ')}`);
    const res = compare(rounds, {
      iproute2: () => measure('ip', full),
      rip: () => measure(process.execPath, [RIP, 'ip', ...full]),
    });
    process.stdout.write(report(`ip ${args.join(' ')} (100 devices)`, res) + '\n');
  }
  const add = ['-n', ns.name, 'tuntap', 'add', 'dev', 'addme', 'mode', 'tap', 'user', '1000'];
  const del = ['-n', ns.name, 'tuntap', 'del', 'dev', 'addme', 'mode', 'tap'];
  const res = compare(rounds, {
    iproute2: () => { const s = measure('ip', add); must('ip', del); return s; },
    rip: () => { const s = measure(process.execPath, [RIP, 'ip', ...add]); must('ip', del); return s; },
  });
  process.stdout.write(report('ip tuntap add (one device)', res) + '\n');
}

function checksum(b: Buffer): number {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += b.readUInt16BE(i);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** An IPv4 UDP packet 10.8.0.2 → `dst` with 64 bytes of payload. */
function udp(dst: number[]): Buffer {
  const p = Buffer.alloc(28 + 64);
  p[0] = 0x45;
  p.writeUInt16BE(p.length, 2);
  p[8] = 64;
  p[9] = 17;
  Buffer.from([10, 8, 0, 2]).copy(p, 12);
  Buffer.from(dst).copy(p, 16);
  p.writeUInt16BE(checksum(p.subarray(0, 20)), 10);
  p.writeUInt16BE(4000, 20);
  p.writeUInt16BE(9, 22);
  p.writeUInt16BE(8 + 64, 24);
  return p;
}

function cpuMs(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
}

async function packetBench(ns: BenchNetns): Promise<void> {
  await using tun = await TunTap.open({ mode: 'tun', name: 'bench0', netns: ns.name });
  must('ip', ['-n', ns.name, 'addr', 'add', '10.8.0.1/24', 'dev', 'bench0']);
  must('ip', ['-n', ns.name, 'link', 'set', 'bench0', 'up', 'txqueuelen', '10000']);
  must('ip', ['netns', 'exec', ns.name, 'sysctl', '-qw', 'net.ipv6.conf.bench0.disable_ipv6=1']);

  // In: packets for the discard port of a local address (no listener; ICMP
  // port-unreachable answers are rate-limited by the kernel).
  const pkt = udp([10, 8, 0, 1]);
  let t0 = process.hrtime.bigint();
  let c0 = process.cpuUsage();
  for (let i = 0; i < packets; i++) await tun.write(pkt);
  let ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(`TunTap.write, ${packets} packets of 92 bytes: ${ms.toFixed(0)} ms wall, ${cpuMs(c0).toFixed(0)} ms cpu, ${(packets / ms * 1000).toFixed(0)} packets/s\n`);
  while (tun.tryRead()) { /* drain the ICMP answers */ }

  // Out: a UDP socket in the namespace sends bursts to the peer (routed out
  // through bench0); read() takes them off the device.
  const fd = native.socket(native.constants.AF_INET, native.constants.SOCK_DGRAM, 0, `/run/netns/${ns.name}`);
  const to = Buffer.alloc(16);
  to.writeUInt16LE(native.constants.AF_INET, 0);
  to.writeUInt16BE(9, 2);
  Buffer.from([10, 8, 0, 2]).copy(to, 4);
  const payload = Buffer.alloc(64);
  const BURST = 500;
  let got = 0;
  t0 = process.hrtime.bigint();
  c0 = process.cpuUsage();
  while (got < packets) {
    const n = Math.min(BURST, packets - got);
    for (let i = 0; i < n; i++) native.sendmsg(fd, payload, to);
    for (let i = 0; i < n; i++) {
      const p = await tun.read({ signal: AbortSignal.timeout(5000) });
      if (p[9] === 17) got++;
      else i--; // not ours
    }
  }
  ms = Number(process.hrtime.bigint() - t0) / 1e6;
  native.close(fd);
  process.stdout.write(`TunTap.read, ${packets} packets (sent in bursts of ${BURST}, send time included): ${ms.toFixed(0)} ms wall, ${cpuMs(c0).toFixed(0)} ms cpu, ${(packets / ms * 1000).toFixed(0)} packets/s\n`);
}

async function main(): Promise<void> {
  const ns = new BenchNetns('tuntap');
  try {
    cliBench(ns);
    await packetBench(ns);
  } finally {
    ns.close();
  }
}

await main();
