/**
 * ss's fast inet line printer (src/cli/ss/inet-fast.ts, which prints from
 * the reply bytes) must print exactly what the generic printer (printInet on
 * the decoded socket) prints: on generated replies covering every header
 * field, every attribute it reads in place (tcp_info of every length,
 * congestion names, memory, vegas/dctcp/bbr), the attributes it leaves to
 * the generic path, duplicates and corrupted lengths, under many option sets.
 * Where it declines a reply, the generic path prints it; where the generic
 * decoder throws, the fast path must have declined.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom, type Random } from '../../src/netlink/codec/schema.js';
import { ParseError } from '../../src/netlink/codec/errors.js';
import { tcpInfo } from '../../src/sockdiag/tcp-info.js';
import { decodeInet } from '../../src/sockdiag/decode.js';
import { INET_DIAG, IPPROTO } from '../../src/sockdiag/constants.js';
import { Services } from '../../src/sockdiag/names.js';
import type { SocketOwner } from '../../src/sockdiag/procs.js';
import { parseOptions } from '../../src/cli/ss/options.js';
import { ColumnRenderer, COL } from '../../src/cli/ss/render.js';
import { printInet, type FormatContext } from '../../src/cli/ss/format.js';
import { InetLinePrinter } from '../../src/cli/ss/inet-fast.js';
import { LinkNames, type CgroupPaths } from '../../src/cli/ss/lookup.js';
import { StringSink } from '../../src/output/printer.js';

const OPTION_SETS = [
  ['-tan'], ['-ta'], ['-tani'], ['-ti'], ['-tiom'], ['-tanem'], ['-tanpeio'], ['-taniO'], ['-tanm'], ['-tane'],
  ['-uan'], ['-uai'], ['-uaem'], ['-wai'], ['-wae'], ['-dai'], ['-taniT'], ['-tieo'],
];

function attr(type: number, payload: Buffer): Buffer {
  const len = 4 + payload.length;
  const b = Buffer.alloc((len + 3) & ~3);
  b.writeUInt16LE(len, 0);
  b.writeUInt16LE(type, 2);
  payload.copy(b, 4);
  return b;
}

function u32(v: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; }

function val32(rng: Random): number {
  switch (rng.int(8)) {
    case 0: return 0;
    case 1: return rng.int(1000);
    case 2: return rng.int(1_000_000);
    case 3: return rng.bytes(4).readUInt32LE(0);
    case 4: return 0xffffffff;
    case 5: return 3000000;
    case 6: return 0x7fffffff;
    default: return 1 + rng.int(100);
  }
}

function val64(rng: Random): bigint {
  switch (rng.int(7)) {
    case 0: return 0n;
    case 1: return BigInt(rng.int(1_000_000));
    case 2: return (1n << 53n) - 1n + BigInt(rng.int(3));
    case 3: return 0xffffffffffffffffn;
    case 4: return rng.bytes(8).readBigUInt64LE(0);
    case 5: return BigInt(rng.bytes(4).readUInt32LE(0)) * 1000n;
    default: return BigInt(1 + rng.int(100));
  }
}

function tcpInfoBytes(rng: Random): Buffer {
  const full = Buffer.alloc(tcpInfo.size + 24);
  for (const m of tcpInfo.members) {
    const o = m.offset;
    if (m.codec.size === 1) full[o] = rng.int(256);
    else if (m.codec.size === 2) full.writeUInt16LE(rng.int(65536), o);
    else if (m.codec.size === 4) full.writeUInt32LE(val32(rng), o);
    else full.writeBigUInt64LE(val64(rng), o);
  }
  const lens = [0, 7, 8, 104, 160, 192, 232, 248, tcpInfo.size, tcpInfo.size + 24, rng.int(tcpInfo.size + 24)];
  return full.subarray(0, lens[rng.int(lens.length)]!);
}

function congName(rng: Random): Buffer {
  switch (rng.int(6)) {
    case 0: return Buffer.from('cubic\0');
    case 1: return Buffer.from('bbr\0');
    case 2: return Buffer.from('a-congestion-control-name\0');
    case 3: return Buffer.from('reno');
    case 4: return Buffer.from('\0');
    default: return Buffer.from('vé\0', 'utf8');
  }
}

/** A random inet_diag_msg with attributes (payload after the netlink header). */
function reply(rng: Random, proto: number): Buffer {
  const h = Buffer.alloc(72);
  const family = [2, 10, 2, 10, 2, 0][rng.int(6)]!;
  h[0] = family; h[1] = rng.int(13); h[2] = rng.int(7); h[3] = rng.int(256);
  h.writeUInt16BE([0, 22, 80, 443, 5353, 40000, rng.int(65536)][rng.int(7)]!, 4);
  h.writeUInt16BE([0, 22, 53, 50000, rng.int(65536)][rng.int(5)]!, 6);
  for (const at of [8, 24]) {
    const kind = rng.int(6);
    if (kind === 0) { /* all zero */ } else if (kind === 1) h[at + 15] = 1;
    else if (kind === 2) { h.writeUInt16BE(0xffff, at + 10); rng.bytes(4).copy(h, at + 12); } else rng.bytes(family === 10 ? 16 : 4).copy(h, at);
  }
  h.writeUInt32LE(rng.int(4) ? 0 : rng.int(5) + 1, 40);
  rng.bytes(8).copy(h, 44);
  h.writeUInt32LE(val32(rng), 52); h.writeUInt32LE(val32(rng), 56); h.writeUInt32LE(val32(rng), 60);
  h.writeUInt32LE(rng.bool() ? 0 : val32(rng), 64); h.writeUInt32LE(rng.int(3) ? 1000 + rng.int(8) : val32(rng), 68);
  const parts: Buffer[] = [h];
  const add = (p: number, make: () => Buffer): void => { if (rng.int(100) < p) parts.push(make()); };
  add(70, () => attr(INET_DIAG.SHUTDOWN, Buffer.from([rng.int(4)])));
  add(30, () => attr(INET_DIAG.SKV6ONLY, Buffer.from([rng.int(2)])));
  add(40, () => attr(INET_DIAG.MARK, u32(rng.bool() ? 0 : val32(rng))));
  add(40, () => { const b = Buffer.alloc(8); b.writeBigUInt64LE(rng.bool() ? 0n : val64(rng)); return attr(INET_DIAG.CGROUP_ID, b); });
  add(40, () => attr(INET_DIAG.SOCKOPT, rng.bytes(2)));
  add(proto === IPPROTO.RAW ? 70 : 5, () => attr(INET_DIAG.PROTOCOL, Buffer.from([[0, 1, 6, 17, 58, 255][rng.int(6)]!])));
  add(60, () => attr(INET_DIAG.INFO, tcpInfoBytes(rng)));
  add(50, () => attr(INET_DIAG.CONG, congName(rng)));
  add(15, () => { const b = Buffer.alloc(16); for (let i = 0; i < 4; i++) b.writeUInt32LE(val32(rng), 4 * i); return attr(INET_DIAG.VEGASINFO, b); });
  add(15, () => { const b = Buffer.alloc(16); b.writeUInt16LE(rng.int(2), 0); b.writeUInt16LE(rng.int(3), 2); for (let i = 1; i < 4; i++) b.writeUInt32LE(val32(rng), 4 * i); return attr(INET_DIAG.DCTCPINFO, b); });
  add(25, () => { const b = Buffer.alloc(20); for (let i = 0; i < 5; i++) b.writeUInt32LE(rng.int(3) ? val32(rng) : 0, 4 * i); return attr(INET_DIAG.BBRINFO, b); });
  add(30, () => { const b = Buffer.alloc(16); for (let i = 0; i < 4; i++) b.writeUInt32LE(val32(rng), 4 * i); return attr(INET_DIAG.MEMINFO, b); });
  add(40, () => { const n = rng.int(11); const b = Buffer.alloc(4 * n + (rng.int(5) ? 0 : rng.int(4))); for (let i = 0; i < n; i++) b.writeUInt32LE(val32(rng), 4 * i); return attr(INET_DIAG.SKMEMINFO, b); });
  // What the fast path leaves to the generic one.
  add(4, () => attr(INET_DIAG.TOS, Buffer.from([rng.int(256)])));
  add(3, () => attr(INET_DIAG.CLASS_ID, u32(val32(rng))));
  add(3, () => attr(INET_DIAG.ULP_INFO, attr(1, Buffer.from('tls\0'))));
  add(2, () => attr(60, rng.bytes(rng.int(9))));
  // Shuffle a little, duplicate one now and then.
  for (let i = parts.length - 1; i > 1; i--) { const j = 1 + rng.int(i); [parts[i], parts[j]] = [parts[j]!, parts[i]!]; }
  if (parts.length > 1 && rng.int(20) === 0) parts.push(parts[1 + rng.int(parts.length - 1)]!);
  return Buffer.concat(parts);
}

/** Same-length corruption: a byte changed, or the reply cut short. */
function corrupt(rng: Random, b: Buffer): Buffer {
  const c = Buffer.from(b);
  if (rng.bool() && c.length > 72) c[72 + rng.int(c.length - 72)] = rng.int(256);
  if (rng.bool()) return c.subarray(0, rng.int(c.length + 1));
  return c;
}

const services = new Services();
const owners = new Map<number, SocketOwner[]>([
  [1000, [{ command: 'sshd', pid: 10, tid: 10, fd: 3 }]],
  [1001, [{ command: 'a b', pid: 11, tid: 12, fd: 4 }, { command: 'x', pid: 13, tid: 13, fd: 5 }]],
]);
const cgroups = { path: (id: bigint): string => `/cg/${id.toString(16)}` } as unknown as CgroupPaths;

function context(args: string[], sink: StringSink, proto: number): FormatContext {
  const o = parseOptions(args);
  const r = new ColumnRenderer(sink, -1);
  r.disable(COL.NETID);
  return {
    o, r, services, links: new LinkNames(undefined), cgroups, owners: o.processes ? owners : null,
    ephemeral: { min: 32768, max: 60999 },
    dgProto: proto === IPPROTO.UDP ? 'udp' : proto === IPPROTO.RAW ? 'raw' : 'tcp',
    serviceCache: new Map(), lastInode: 0,
  };
}

const PROTOS = [IPPROTO.TCP, IPPROTO.TCP, IPPROTO.UDP, IPPROTO.RAW, IPPROTO.DCCP, IPPROTO.SCTP, IPPROTO.MPTCP];

/** Print `replies` both ways; the texts must be equal. Returns how many the fast path took. */
function compare(args: string[], proto: number, replies: Buffer[]): number {
  const fastSink = new StringSink(), slowSink = new StringSink();
  const fastCtx = context(args, fastSink, proto), slowCtx = context(args, slowSink, proto);
  const p = new InetLinePrinter(fastCtx);
  let took = 0;
  for (const b of replies) {
    let slowErr: unknown = null;
    try { printInet(slowCtx, decodeInet(b, 0, b.length, proto)); } catch (e) { slowErr = e; }
    if (p.scan(b, 0, b.length, proto)) {
      assert.equal(slowErr, null, `fast path took a reply the decoder rejects: ${b.toString('hex')}`);
      p.print();
      took++;
    } else if (slowErr === null) {
      printInet(fastCtx, decodeInet(b, 0, b.length, proto));
    } else {
      assert.ok(slowErr instanceof ParseError, String(slowErr));
    }
  }
  fastCtx.r.render(); slowCtx.r.render();
  assert.equal(fastSink.toString(), slowSink.toString(), `${args.join(' ')} proto ${proto}: ${replies.map((b) => b.toString('hex')).join(' ')}`);
  return took;
}

test('fast printer and generic printer agree on 6000 generated replies, line by line', () => {
  const rng = seededRandom(2026);
  let took = 0;
  for (let i = 0; i < 6000; i++) {
    const proto = PROTOS[rng.int(PROTOS.length)]!;
    took += compare(OPTION_SETS[rng.int(OPTION_SETS.length)]!, proto, [reply(rng, proto)]);
  }
  // Most generated replies are ones the fast path prints (else this test proves little).
  assert.ok(took > 3000, `fast path took only ${took}`);
});

test('fast printer and generic printer agree on whole tables (shared column widths)', () => {
  const rng = seededRandom(11);
  for (const args of OPTION_SETS) {
    for (const proto of [IPPROTO.TCP, IPPROTO.UDP, IPPROTO.RAW]) {
      const replies = Array.from({ length: 60 }, () => reply(rng, proto));
      compare(args, proto, replies);
    }
  }
});

test('corrupted and truncated replies: the fast path declines what the decoder rejects', () => {
  const rng = seededRandom(99);
  for (let i = 0; i < 4000; i++) {
    const proto = PROTOS[rng.int(3)]!;
    compare(OPTION_SETS[rng.int(OPTION_SETS.length)]!, proto, [corrupt(rng, reply(rng, proto))]);
  }
});

test('renderer byte writers: numbers, padding, IPv4, non-ASCII text measured in bytes', () => {
  const sink = new StringSink();
  const r = new ColumnRenderer(sink, -1);
  r.disable(COL.NETID);
  r.set(COL.STATE); r.out('ÉTAT');
  r.set(COL.RECVQ); r.outIntLeft(-5, 6);
  r.set(COL.SENDQ); r.outIntLeft(4294967295 | 0, 6);
  r.set(COL.ADDR); r.outIPv4(Buffer.from([0, 10, 255, 100]), 0); r.outByte(58); r.next();
  r.outUint(2 ** 53 - 1); r.next();
  r.out('x:'); r.next(); r.outUint(0);
  r.set(COL.STATE); r.out('E');
  r.render();
  assert.equal(sink.toString(),
    'ÉTAT -5     -1     0.10.255.100:9007199254740991 x:0\n' +
    // É is two bytes: the State column is five wide, as ss measures it.
    'E    \n');
});

test('SCTP: associations print as `- STATE under their endpoint, with locals, peers and sctp_info', () => {
  const sctp = (inode: number, state: number, attrs: Buffer[]): Buffer => {
    const h = Buffer.alloc(72);
    h[0] = 2; h[1] = state;
    h.writeUInt16BE(9100, 4); h.writeUInt16BE(state === 10 ? 0 : 40000, 6);
    h.set([127, 0, 0, 1], 8); if (state !== 10) h.set([127, 0, 0, 1], 24);
    h.writeUInt32LE(inode, 68);
    return Buffer.concat([h, ...attrs]);
  };
  const sa = (family: number, addr: number[]): Buffer => {
    const b = Buffer.alloc(128);
    b.writeUInt16LE(family, 0);
    b.set(addr, family === 2 ? 4 : 8);
    return b;
  };
  const info = Buffer.alloc(368);
  info.writeUInt32LE(0x1a2b, 0); info.writeUInt32LE(3, 4); info.writeUInt32LE(106496, 8); info.writeUInt16LE(10, 16);
  info.writeUInt32LE(0xff, 48); info[53] = 1; info[356] = 1;
  const v6lo = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  const replies = [
    sctp(77, 10, [attr(INET_DIAG.LOCALS, Buffer.concat([sa(2, [127, 0, 0, 1]), sa(10, v6lo)]))]),
    sctp(77, 3, [attr(INET_DIAG.LOCALS, sa(2, [127, 0, 0, 1])), attr(INET_DIAG.PEERS, Buffer.concat([sa(2, [10, 0, 0, 2]), sa(44, [])])), attr(INET_DIAG.INFO, info)]),
    sctp(78, 1, [attr(INET_DIAG.INFO, info.subarray(0, 8))]),
  ];
  const sink = new StringSink();
  const ctx = context(['-Sani'], sink, IPPROTO.SCTP);
  const r = new ColumnRenderer(sink, -1);
  const c: FormatContext = { ...ctx, r };
  const p = new InetLinePrinter(c);
  for (const b of replies) {
    assert.equal(p.scan(b, 0, b.length, IPPROTO.SCTP), false, 'SCTP is printed by the generic path');
    printInet(c, decodeInet(b, 0, b.length, IPPROTO.SCTP));
  }
  r.render();
  // (The info lines are the end of the last column's token, padded to its width as in ss.)
  const lines = sink.toString().split('\n').map((l) => l.trimEnd());
  assert.match(lines[0]!, /^sctp\s+LISTEN\s/);
  assert.equal(lines[1], '\t locals:127.0.0.1,::1');
  assert.match(lines[2]!, /^\s+`- ESTAB\s+0\s+0\s+127\.0\.0\.1:9100\s+127\.0\.0\.1:40000/);
  assert.equal(lines[3], '\t locals:127.0.0.1 peers:10.0.0.2, tag:1a2b state:ESTAB rwnd:106496 instrms:10 ptag:ff psack:1 nodelay:1');
  // Another inode: an endpoint again; a short sctp_info reads as zeros past its end.
  assert.match(lines[4]!, /^sctp\s+ESTAB\s/);
  assert.equal(lines[5], '\t tag:1a2b state:ESTAB');
});
