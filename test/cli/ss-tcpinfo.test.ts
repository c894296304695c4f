/**
 * `ss -i` text of generated TCP replies, against iproute2's own ss reading
 * the same replies from a TCPDIAG_FILE: rip's byte printer
 * (src/cli/ss/inet-fast.ts) and its generic printer (rip's TCPDIAG_FILE
 * path) must print what iproute2 prints. The tcp_info values switch every
 * conditional field on and off (zero, the values ss leaves out: rto 3 s,
 * ssthresh >= 0xffff, reordering 3, ~0 rates and min_rtt, sacked in
 * LISTEN), cover big counters (u32 near 2^32, u64 past 2^53 and ~0) and
 * land on rounding boundaries of %g / %.3g (rates of exactly 1.125 G, times
 * of 6+ significant digits), next to congestion names, bbr, vegas and dctcp
 * info and memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { seededRandom, type Random } from '../../src/netlink/codec/schema.js';
import { tcpInfo } from '../../src/sockdiag/tcp-info.js';
import { INET_DIAG, IPPROTO } from '../../src/sockdiag/constants.js';
import { Services } from '../../src/sockdiag/names.js';
import { parseOptions } from '../../src/cli/ss/options.js';
import { ColumnRenderer, COL } from '../../src/cli/ss/render.js';
import type { FormatContext } from '../../src/cli/ss/format.js';
import { InetLinePrinter } from '../../src/cli/ss/inet-fast.js';
import { LinkNames, type CgroupPaths } from '../../src/cli/ss/lookup.js';
import { StringSink } from '../../src/output/printer.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;
const T = Object.fromEntries(tcpInfo.members.map((m) => [m.name, m.offset])) as Record<string, number>;
/** The tcp_info iproute2 6.1 knows (through tcpi_snd_wnd), as kernel 6.1 sends it. */
const INFO_LEN = T.sndWnd! + 4;

function attr(type: number, payload: Buffer): Buffer {
  const len = 4 + payload.length;
  const b = Buffer.alloc((len + 3) & ~3);
  b.writeUInt16LE(len, 0);
  b.writeUInt16LE(type, 2);
  payload.copy(b, 4);
  return b;
}

/** A u32 field: off, on, ss's "leave out" values and big ones. */
function v32(rng: Random, special: number[] = []): number {
  const pool = [0, 0, 1 + rng.int(9), rng.int(1000), rng.int(100000), 1000 + rng.int(1_000_000_000), 0x7fffffff, 0x80000000, 0xffffffff, ...special];
  return pool[rng.int(pool.length)]! >>> 0;
}

/** A u64 field: off, small, around 2^53, ~0, random. */
function v64(rng: Random, special: bigint[] = []): bigint {
  const pool = [0n, 0n, BigInt(rng.int(1_000_000)), (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, 0xffffffffffffffffn,
    rng.bytes(8).readBigUInt64LE(0), BigInt(rng.int(0xffffffff)) * 1000n, ...special];
  return pool[rng.int(pool.length)]!;
}

/** Times in microseconds: sub-millisecond, 6+ significant digits as milliseconds, and the edges of putMsec. */
const TIMES = [1, 5, 999, 1000, 1001, 204000, 999999, 1000000, 1000001, 1234567, 9999995, 123456789];
/** Bytes/s whose bit rate is an exact %.3g midpoint (1.125 G, 3.375 M; 2.25 M, 1.5 T) or next to one. */
const RATES = [140625000n, 281250n, 421875n, 187500000000n, 140625001n, 124937n, 125000n, 124999n];

function info(rng: Random): Buffer {
  const b = Buffer.alloc(INFO_LEN);
  b[T.state!] = 1 + rng.int(11);
  b[T.caState!] = rng.int(5);
  b[T.retransmits!] = rng.int(3);
  b[T.probes!] = rng.int(3);
  b[T.backoff!] = rng.int(3) ? 0 : rng.int(256);
  b[T.options!] = rng.int(64);
  b[T.wscaleBits!] = rng.int(256);
  b[T.flagBits!] = rng.int(8);
  const times = (): number => (rng.int(2) ? TIMES[rng.int(TIMES.length)]! : v32(rng));
  for (const f of ['rto', 'ato', 'rtt', 'rttvar', 'rcvRtt', 'minRtt']) b.writeUInt32LE(f === 'rto' && rng.int(4) === 0 ? 3000000 : times(), T[f]!);
  for (const f of ['sndMss', 'rcvMss', 'unacked', 'sacked', 'lost', 'retrans', 'fackets', 'lastDataSent', 'lastAckSent',
    'lastDataRecv', 'lastAckRecv', 'pmtu', 'rcvSsthresh', 'sndCwnd', 'advmss', 'rcvSpace', 'totalRetrans', 'segsOut', 'segsIn',
    'notsentBytes', 'dataSegsIn', 'dataSegsOut', 'delivered', 'deliveredCe', 'dsackDups', 'reordSeen', 'rcvOoopack', 'sndWnd']) {
    b.writeUInt32LE(v32(rng), T[f]!);
  }
  b.writeUInt32LE(v32(rng, [0xffff, 0xfffe, 0x7fffffff]), T.sndSsthresh!);
  b.writeUInt32LE(v32(rng, [3, 3, 3]), T.reordering!);
  if (rng.int(4) === 0) b.writeUInt32LE(0xffffffff, T.minRtt!);
  // The send rate's inputs: also small values whose quotient lands on round rates.
  if (rng.bool()) { b.writeUInt32LE([10, 16, 1, 4][rng.int(4)]!, T.sndCwnd!); b.writeUInt32LE([1448, 32768, 1125, 1][rng.int(4)]!, T.sndMss!); b.writeUInt32LE([8, 64, 1000, 16384, 5][rng.int(5)]!, T.rtt!); }
  for (const f of ['pacingRate', 'maxPacingRate', 'deliveryRate']) b.writeBigUInt64LE(rng.int(3) ? RATES[rng.int(RATES.length)]! : v64(rng), T[f]!);
  for (const f of ['bytesAcked', 'bytesReceived', 'bytesSent', 'bytesRetrans']) b.writeBigUInt64LE(v64(rng), T[f]!);
  // busy_time and its parts: mostly off (then ss prints none of them).
  if (rng.int(4) === 0) {
    const busy = BigInt(1 + rng.int(1_000_000_000));
    b.writeBigUInt64LE(busy, T.busyTime!);
    b.writeBigUInt64LE(rng.bool() ? 0n : BigInt(rng.int(Number(busy))), T.rwndLimited!);
    b.writeBigUInt64LE(rng.bool() ? 0n : BigInt(rng.int(Number(busy))), T.sndbufLimited!);
  }
  return b;
}

function reply(rng: Random, inode: number): Buffer {
  const h = Buffer.alloc(72);
  const family = rng.int(3) ? 2 : 10;
  h[0] = family;
  h[1] = [1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11][rng.int(13)]!;
  h[2] = rng.int(5) ? 0 : 1 + rng.int(4);
  h[3] = rng.int(3);
  h.writeUInt16BE([22, 80, 443, 8080, 40000 + rng.int(20000)][rng.int(5)]!, 4);
  h.writeUInt16BE(rng.int(4) ? 40000 + rng.int(20000) : 0, 6);
  if (family === 2) {
    h.set([127, 0, 0, 1 + rng.int(3)], 8);
    h.set([10, rng.int(256), rng.int(256), 1 + rng.int(254)], 24);
  } else {
    h.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 + rng.int(200)], 8);
    h.set([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, rng.int(256), 1 + rng.int(200)], 24);
  }
  // No interface (no name lookups); cookie, expires, queues, uid, inode.
  h.writeUInt32LE(rng.int(0xffffffff), 44); h.writeUInt32LE(rng.int(0xffff), 48);
  h.writeUInt32LE(rng.int(100000), 52);
  h.writeUInt32LE(rng.int(3) ? 0 : rng.int(100000), 56);
  h.writeUInt32LE(rng.int(3) ? 0 : rng.int(1000000), 60);
  h.writeUInt32LE(rng.int(3) ? 0 : 1000 + rng.int(10), 64);
  h.writeUInt32LE(inode, 68);
  const parts: Buffer[] = [h];
  if (rng.int(10)) parts.push(attr(INET_DIAG.INFO, info(rng)));
  if (rng.int(5)) parts.push(attr(INET_DIAG.CONG, Buffer.from(`${['cubic', 'bbr', 'reno', 'dctcp', 'a-long-name-123456'][rng.int(5)]!}\0`)));
  if (rng.int(4) === 0) {
    const v = Buffer.alloc(16);
    v.writeUInt32LE(rng.int(2), 0); v.writeUInt32LE(rng.int(100), 4);
    v.writeUInt32LE([0, 0x7fffffff, 250, 1234567][rng.int(4)]!, 8); v.writeUInt32LE(rng.int(1000), 12);
    parts.push(attr(INET_DIAG.VEGASINFO, v));
  }
  const extra = rng.int(4);
  if (extra === 0) {
    const bbr = Buffer.alloc(20);
    if (rng.bool()) bbr.writeBigUInt64LE(RATES[rng.int(RATES.length)]!, 0);
    else { bbr.writeUInt32LE(v32(rng), 0); bbr.writeUInt32LE(rng.int(4) ? 0 : v32(rng), 4); }
    bbr.writeUInt32LE(rng.bool() ? TIMES[rng.int(TIMES.length)]! : v32(rng), 8);
    bbr.writeUInt32LE(rng.int(3) ? [0, 256, 739, 288, 1 + rng.int(5000)][rng.int(5)]! : v32(rng), 12);
    bbr.writeUInt32LE(rng.int(3) ? [0, 512, 257][rng.int(3)]! : v32(rng), 16);
    parts.push(attr(INET_DIAG.BBRINFO, bbr));
  } else if (extra === 1) {
    const dctcp = Buffer.alloc(16);
    dctcp.writeUInt16LE(rng.int(2), 0); dctcp.writeUInt16LE(rng.int(3), 2);
    for (let i = 1; i < 4; i++) dctcp.writeUInt32LE(v32(rng), 4 * i);
    parts.push(attr(INET_DIAG.DCTCPINFO, dctcp));
  }
  if (rng.bool()) {
    const sk = Buffer.alloc(36);
    for (let i = 0; i < 9; i++) sk.writeUInt32LE(v32(rng), 4 * i);
    parts.push(attr(INET_DIAG.SKMEMINFO, sk));
  }
  if (rng.bool()) parts.push(attr(INET_DIAG.SHUTDOWN, Buffer.from([rng.int(4)])));
  return Buffer.concat(parts);
}

/** The replies as `ss -D` writes them: netlink headers, and NLMSG_DONE. */
function dumpFile(replies: Buffer[]): Buffer {
  const out: Buffer[] = [];
  for (const r of replies) {
    const n = Buffer.alloc(16 + ((r.length + 3) & ~3));
    n.writeUInt32LE(16 + r.length, 0); n.writeUInt16LE(20, 4); n.writeUInt16LE(2, 6); n.writeUInt32LE(1, 8);
    r.copy(n, 16);
    out.push(n);
  }
  const done = Buffer.alloc(20);
  done.writeUInt32LE(20, 0); done.writeUInt16LE(3, 4); done.writeUInt16LE(2, 6); done.writeUInt32LE(1, 8);
  out.push(done);
  return Buffer.concat(out);
}

/** The byte printer over the replies, as `ss ARGS` prints them (text). */
function fast(args: string[], replies: Buffer[]): string {
  const sink = new StringSink();
  const o = parseOptions(args);
  const r = new ColumnRenderer(sink, -1);
  r.disable(COL.NETID);
  const ctx: FormatContext = {
    o, r, services: new Services(), links: new LinkNames(undefined), cgroups: { path: () => '' } as unknown as CgroupPaths,
    owners: null, ephemeral: { min: 32768, max: 60999 }, dgProto: 'tcp', serviceCache: new Map(), lastInode: 0,
  };
  if (o.header) r.header();
  const p = new InetLinePrinter(ctx);
  for (const b of replies) {
    // Aligned as in a receive buffer.
    const c = Buffer.alloc(b.length);
    b.copy(c);
    assert.ok(p.scan(c, 0, c.length, IPPROTO.TCP), `the byte printer declines ${c.toString('hex')}`);
    p.print();
  }
  r.render();
  return sink.toString();
}

const ssVersion = spawnSync('ss', ['-V'], { encoding: 'utf8' });
const haveSs = ssVersion.status === 0 && /iproute2/.test(ssVersion.stdout);

test('ss -i on generated tcp_info: the byte printer and the generic printer print what iproute2 prints', { skip: haveSs ? false : 'iproute2 ss not installed' }, () => {
  const dir = mkdtempSync(`${tmpdir()}/rip-ss-info-`);
  try {
    const rng = seededRandom(61);
    let all = '';
    for (const args of [['-tin'], ['-ti'], ['-tino'], ['-tinm'], ['-tine'], ['-tinoem'], ['-tiO', '-n'], ['-Htin']]) {
      for (let round = 0; round < 4; round++) {
        const replies = Array.from({ length: 150 }, (_, i) => reply(rng, 5000 + i));
        const file = `${dir}/dump`;
        writeFileSync(file, dumpFile(replies));
        const env = { ...process.env, TCPDIAG_FILE: file };
        const theirs = spawnSync('ss', args, { encoding: 'utf8', env });
        assert.equal(theirs.status, 0, theirs.stderr);
        assert.ok(theirs.stdout.split('\n').length > 150, 'iproute2 printed the replies');
        const label = `ss ${args.join(' ')} round ${round}`;
        assert.equal(fast(args, replies), theirs.stdout, `byte printer, ${label}`);
        const ours = spawnSync('node', [RIP, 'ss', ...args], { encoding: 'utf8', env });
        assert.equal(ours.status, 0, ours.stderr);
        assert.equal(ours.stdout, theirs.stdout, `generic printer, ${label}`);
        all += theirs.stdout;
      }
    }
    // The generated values reach what they are meant to (else the comparison proves little).
    for (const want of [/ 1\.12Gbps/, / 1\.5Tbps/, / 2\.25Mbps/, / 3\.38Mbps/, / rto:1234\.57 /, / ssthresh:\d/, / reordering:\d/, / sacked:\d/, / minrtt:/,
      / bytes_acked:18446744073709551615 /, / bytes_sent:9007199254740993 /, / pacing_rate \S+bps\/\S+bps/, / delivery_rate /,
      / busy:\d+ms rwnd_limited:\d+ms\(\d+\.\d%\)/, / sndbuf_limited:/, / bbr:\(bw:\S+bps,mrtt:[\d.]+,pacing_gain:2\.88672,cwnd_gain:2\)/,
      / dctcp:\(ce_state:/, / dctcp:fallback_mode/, / app_limited /, / retrans:\d+\/\d+/, / send \d+(\.\d+)?[kMGT]?bps/,
      / a-long-name-123 /, / timer:\(/, / skmem:\(/, / ts sack/, / ecnseen/, / fastopen/, / backoff:\d/]) {
      assert.match(all, want);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
