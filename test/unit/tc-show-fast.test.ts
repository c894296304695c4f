/**
 * The byte-level text path of `tc [-s] qdisc/class show` (src/cli/tc/show-fast.ts
 * with src/tc/scan.ts and the kinds' fastText renderers) must print exactly
 * what the schema path (qdiscMessage/classMessage decode + printQdisc /
 * printClass + the kinds' printers) prints, or decline. Checked here on
 * generated kernel-like messages (random headers, kinds, options from the
 * kinds' own generators, statistics, filters and printer settings, colour
 * included), on
 * truncated and corrupted copies of them (the fast path must decline
 * whenever the schema path fails or writes to stderr), and on the real
 * kernel replies of test/fixtures/golden/tc-kinds-replies.json. The number
 * of messages the fast path accepts is checked too, so that a fast path
 * declining everything fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Writer } from '../../src/netlink/codec/writer.js';
import { seededRandom, type Random } from '../../src/netlink/codec/schema.js';
import { NLM_F, RTM } from '../../src/netlink/constants.js';
import type { MessageView } from '../../src/netlink/socket.js';
import type { TcMsg } from '../../src/netlink/structs.js';
import { Printer, StringSink } from '../../src/output/printer.js';
import { PALETTE_DARK, PALETTE_LIGHT, type Palette } from '../../src/output/color.js';
import { qdiscKind, qdiscKindNames, type TcEnv } from '../../src/tc/kind.js';
import { qdiscMessage, classMessage, qdiscAttrs, classAttrs, type TcAttrs } from '../../src/tc/schema.js';
import { htbXstats } from '../../src/tc/kinds/htb.js';
import { TC_H } from '../../src/tc/handle.js';
import { sprintRate, sprintRateNum, sprintSize } from '../../src/tc/units.js';
import { u64Text, u64Number, words } from '../../src/tc/scan.js';
import { formatG } from '../../src/output/printf.js';
import '../../src/tc/kinds/index.js';
import { printQdisc } from '../../src/cli/tc/qdisc.js';
import { printClass } from '../../src/cli/tc/class.js';
import { TcLinks } from '../../src/cli/tc/common.js';
import { qdiscTextFast, classTextFast, FAST_TEXT_KINDS } from '../../src/cli/tc/show-fast.js';
import { goldenPath } from '../helpers/golden.js';
import type { ReplyCapture } from '../integration/tc-kinds-replies.capture.js';

const names = new TcLinks(new Map([[1, 'lo'], [2, 'veth1'], [3, 'veth0']]), new Map([['lo', 1], ['veth1', 2], ['veth0', 3]]));

/** The message in a fresh (4-aligned) buffer, after a 16-byte nlmsghdr, as the socket hands it out. */
function view(body: Buffer, type: number, flags: number, shift = 0): MessageView {
  const buf = Buffer.alloc(16 + body.length + shift);
  body.copy(buf, 16 + shift);
  return { type, flags, seq: 1, pid: 0, buf, off: 16 + shift, len: body.length };
}

function encode(forClass: boolean, h: TcMsg, a: TcAttrs): Buffer {
  const w = new Writer();
  (forClass ? classMessage : qdiscMessage).encode(w, h, a);
  return Buffer.from(w.toBuffer());
}

interface Outcome { text: string; failed: boolean }

/** The schema path: printer text, and whether it threw or wrote to stderr. */
/** -color in a third of the runs (qdisc device names are coloured). */
let palette: Palette | undefined;

function slow(forClass: boolean, m: MessageView, env: TcEnv, f: { ifindex: number; parent: number; handle: number; qdisc: number; classid: number }, lineSep: string): Outcome {
  const sink = new StringSink();
  const p = new Printer(sink, palette ? { lineSep, palette } : { lineSep });
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((s: string | Uint8Array): boolean => { stderr += String(s); return true; }) as typeof process.stderr.write;
  try {
    if (forClass) printClass(p, m, env, names, f);
    else printQdisc(p, m, env, names, f);
  } catch {
    return { text: sink.toString(), failed: true };
  } finally {
    process.stderr.write = write;
  }
  return { text: sink.toString(), failed: stderr !== '' };
}

function fast(forClass: boolean, m: MessageView, env: TcEnv, f: { ifindex: number; parent: number; handle: number; qdisc: number; classid: number }, lineSep: string): string | null {
  return forClass ? classTextFast(m, env, names, f, lineSep) : qdiscTextFast(m, env, names, f, lineSep, palette);
}

const stats = { accepted: 0, declined: 0 };

/** Both paths on one message: the fast one declines, or prints what the schema path prints. */
function agree(forClass: boolean, m: MessageView, env: TcEnv, f: { ifindex: number; parent: number; handle: number; qdisc: number; classid: number }, lineSep: string): boolean {
  const want = slow(forClass, m, env, f, lineSep);
  const got = fast(forClass, m, env, f, lineSep);
  if (got === null) { stats.declined++; return false; }
  stats.accepted++;
  const hex = m.buf.subarray(m.off, m.off + m.len).toString('hex');
  assert.ok(!want.failed, `fast path printed a message the schema path rejects (${forClass ? 'class' : 'qdisc'} type ${m.type}): ${hex}`);
  assert.equal(got, want.text, `${forClass ? 'class' : 'qdisc'} type ${m.type} flags ${m.flags} env ${JSON.stringify(env)} filter ${JSON.stringify(f)}: ${hex}`);
  return true;
}

const QDISC_KINDS = ['htb', 'pfifo', 'bfifo', 'pfifo_fast', 'tbf', 'noqueue', 'ingress', 'clsact', 'nosuchkind'];
const CLASS_KINDS = ['htb', 'htb', 'htb', 'drr', 'hfsc', 'nosuchkind'];

function pick<T>(rng: Random, xs: readonly T[]): T { return xs[rng.int(xs.length)]!; }
function u32(rng: Random): number { return rng.bytes(4).readUInt32LE(0); }
function u64(rng: Random): bigint {
  // Mostly counters that fit a Number, sometimes full 64-bit values.
  return rng.int(4) ? BigInt(rng.int(1 << 30)) * BigInt(1 + rng.int(1 << 20)) : rng.bytes(8).readBigUInt64LE(0);
}

/** A message shaped like the kernel's (tc_fill_qdisc / tc_fill_tclass), with random content. */
function kernelLike(rng: Random, forClass: boolean): { h: TcMsg; a: TcAttrs; kind: string } {
  const kind = pick(rng, forClass ? CLASS_KINDS : QDISC_KINDS);
  const handles = [0, TC_H.ROOT, 0x10000, 0x10001, 0x1000a, 0xffff0000, u32(rng)];
  const h: TcMsg = {
    family: 0, ifindex: pick(rng, [1, 2, 3, 3, 3, 7]),
    handle: pick(rng, handles), parent: pick(rng, handles), info: pick(rng, [0, 1, 1, 2, 0x100000, u32(rng)]),
  };
  const a: TcAttrs = { kind };
  const k = qdiscKind(kind);
  const codec = forClass ? k?.classOptions : k?.options;
  if (codec && rng.int(8)) a.options = codec.arbitrary(rng, a);
  else if (rng.int(4) === 0) a.options = rng.bytes(rng.int(12));
  if (rng.int(3) === 0) a.hw_offload = rng.int(2);
  if (rng.int(6) === 0) a.ingress_block = rng.int(3);
  if (rng.int(6) === 0) a.egress_block = rng.int(3);
  if (rng.int(8) === 0) a.chain = u32(rng);
  if (rng.int(8)) {
    const s2: NonNullable<TcAttrs['stats2']> = {};
    if (rng.int(8)) s2.basic = { bytes: u64(rng), packets: u32(rng) };
    if (rng.int(2)) s2.pkt64 = rng.int(3) ? u64(rng) : 0n;
    if (rng.int(4) === 0) s2.rate_est = { bps: rng.int(4) ? rng.int(1 << 24) : u32(rng), pps: u32(rng) };
    if (rng.int(6) === 0) s2.rate_est64 = { bps: u64(rng), pps: u64(rng) };
    if (rng.int(8)) s2.queue = { qlen: u32(rng), backlog: rng.int(2) ? rng.int(1 << 22) : u32(rng), drops: u32(rng), requeues: u32(rng), overlimits: u32(rng) };
    if (rng.int(3)) s2.basic_hw = rng.int(4) ? { bytes: 0n, packets: 0 } : { bytes: u64(rng), packets: u32(rng) };
    if (kind === 'htb' && forClass && rng.int(4)) {
      const w = new Writer();
      htbXstats.encode(w, htbXstats.arbitrary(rng, {}), {});
      s2.app = Buffer.from(w.toBuffer());
    } else if (rng.int(6) === 0) {
      s2.app = rng.bytes(rng.int(24));
    }
    a.stats2 = s2;
  }
  if (rng.int(3)) a.stats = { bytes: u64(rng), packets: u32(rng), drops: u32(rng), overlimits: u32(rng), bps: 0, pps: 0, qlen: u32(rng), backlog: u32(rng) };
  if (rng.int(3)) {
    const xs = forClass ? k?.classXstats : k?.xstats;
    a.xstats = xs ? xs.arbitrary(rng, a) : rng.bytes(rng.int(24));
  }
  return { h, a, kind };
}

function randomEnv(rng: Random): TcEnv {
  return { ifindex: 0, iec: rng.int(4) === 0, stats: rng.int(4) ? 1 : 0, details: rng.int(10) === 0 ? 1 : 0, raw: rng.int(10) === 0, dev: '' };
}

function randomFilter(rng: Random, h: TcMsg): { ifindex: number; parent: number; handle: number; qdisc: number; classid: number } {
  return {
    ifindex: rng.int(2) ? pick(rng, [h.ifindex, 3, 9]) : 0,
    parent: rng.int(6) === 0 ? pick(rng, [h.parent, 0x10000]) : 0,
    handle: rng.int(6) === 0 ? pick(rng, [h.handle, 0x10000]) : 0,
    qdisc: rng.int(6) === 0 ? pick(rng, [h.handle & 0xffff0000, 0x20000]) >>> 0 : 0,
    classid: rng.int(6) === 0 ? pick(rng, [h.handle, 0x10001]) : 0,
  };
}

const TYPES = { qdisc: [RTM.NEWQDISC, RTM.NEWQDISC, RTM.DELQDISC, RTM.NEWTCLASS], class: [RTM.NEWTCLASS, RTM.NEWTCLASS, RTM.DELTCLASS, RTM.NEWQDISC] };
const FLAGS = [NLM_F.MULTI, 0, NLM_F.CREATE | NLM_F.EXCL, NLM_F.CREATE | NLM_F.REPLACE, NLM_F.CREATE, NLM_F.REPLACE | NLM_F.EXCL | NLM_F.CREATE];

test('fast and schema paths print the same text for 6000 generated kernel-like messages', () => {
  const rng = seededRandom(2026);
  const before = stats.accepted;
  let htbClasses = 0;
  let fifoQdiscs = 0;
  for (let i = 0; i < 6000; i++) {
    const forClass = i % 2 === 1;
    const { h, a, kind } = kernelLike(rng, forClass);
    const body = encode(forClass, h, a);
    const m = view(body, pick(rng, forClass ? TYPES.class : TYPES.qdisc), pick(rng, FLAGS));
    const env = randomEnv(rng);
    palette = [undefined, undefined, PALETTE_LIGHT, PALETTE_DARK][rng.int(4)];
    const ok = agree(forClass, m, env, randomFilter(rng, h), rng.int(5) ? '\n' : '\\');
    palette = undefined;
    if (ok) {
      if (forClass && kind === 'htb') htbClasses++;
      if (!forClass && kind.endsWith('fifo')) fifoQdiscs++;
    }
  }
  // The fast path must carry the common cases, not decline everything.
  assert.ok(stats.accepted - before > 1500, `fast path accepted only ${stats.accepted - before} of 6000`);
  assert.ok(htbClasses > 400, `htb classes accepted: ${htbClasses}`);
  assert.ok(fifoQdiscs > 100, `fifo qdiscs accepted: ${fifoQdiscs}`);
});

test('fast and schema paths agree on arbitrary attribute sets (every TCA_* the schema knows)', () => {
  const rng = seededRandom(99);
  for (let i = 0; i < 3000; i++) {
    const forClass = i % 2 === 1;
    const h: TcMsg = { family: 0, ifindex: pick(rng, [1, 3]), handle: u32(rng), parent: pick(rng, [TC_H.ROOT, 0x10001, 0]), info: rng.int(3) };
    const a = (forClass ? classAttrs : qdiscAttrs).arbitrary(rng, {}) as TcAttrs;
    let body: Buffer;
    try { body = encode(forClass, h, a); } catch { continue; } // options of a kind without that codec
    agree(forClass, view(body, forClass ? RTM.NEWTCLASS : RTM.NEWQDISC, 0), { ifindex: 0, iec: false, stats: 1, details: 0, raw: false }, { ifindex: 0, parent: 0, handle: 0, qdisc: 0, classid: 0 }, '\n');
  }
});

test('truncated and corrupted messages: the fast path declines whenever the schema path fails', () => {
  const rng = seededRandom(7);
  const before = stats.accepted;
  for (let i = 0; i < 6000; i++) {
    const forClass = i % 2 === 1;
    const { h, a } = kernelLike(rng, forClass);
    const body = encode(forClass, h, a);
    const cut = rng.int(3) ? body.length : rng.int(body.length + 1);
    const b = Buffer.from(body.subarray(0, cut));
    for (let n = rng.int(4); n > 0 && b.length > 0; n--) b[rng.int(b.length)] = rng.int(3) ? rng.int(256) : 0;
    agree(forClass, view(b, forClass ? RTM.NEWTCLASS : RTM.NEWQDISC, 0), { ifindex: 0, iec: false, stats: 1, details: 0, raw: false }, { ifindex: 0, parent: 0, handle: 0, qdisc: 0, classid: 0 }, '\n');
  }
  assert.ok(stats.accepted - before > 500, `accepted only ${stats.accepted - before} corrupted/truncated messages`);
});

test('a message that is not 4-aligned in memory is left to the schema path', () => {
  const rng = seededRandom(3);
  const { h, a } = kernelLike(rng, true);
  const body = encode(true, { ...h, ifindex: 3 }, { kind: 'htb', options: qdiscKind('htb')!.classOptions!.arbitrary(rng, {}) as TcAttrs['options'] });
  const env: TcEnv = { ifindex: 0, iec: false, stats: 1, details: 0, raw: false };
  const f = { ifindex: 3, parent: 0, handle: 0, qdisc: 0, classid: 0 };
  assert.notEqual(fast(true, view(body, RTM.NEWTCLASS, 0), env, f, '\n'), null);
  assert.equal(fast(true, view(body, RTM.NEWTCLASS, 0, 2), env, f, '\n'), null);
});

const file = goldenPath('tc-kinds-replies');
const captures: ReplyCapture[] = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ReplyCapture[]) : [];

test('real kernel replies (tc-kinds-replies fixture): both paths print the same text', () => {
  assert.ok(captures.length > 0, `no captures in ${file}`);
  for (const c of captures) {
    const forClass = c.show.includes('class');
    const env: TcEnv = { ifindex: c.ifindex, iec: false, raw: false, dev: 'veth0', stats: c.show.includes('-s') ? 1 : 0, details: c.show.includes('-d') ? 1 : 0 };
    for (const hex of c.textReplies) {
      const raw = Buffer.from(hex, 'hex');
      const m = view(raw.subarray(16, raw.readUInt32LE(0)), raw.readUInt16LE(4), raw.readUInt16LE(6));
      agree(forClass, m, env, { ifindex: c.ifindex, parent: 0, handle: 0, qdisc: 0, classid: 0 }, '\n');
    }
  }
});

/** Offsets of the attribute headers in `buf[off, off+len)`, descending into payloads that parse as attribute lists. */
function attrHeaders(buf: Buffer, off: number, len: number, out: number[] = []): number[] {
  const end = off + len;
  for (let p = off; end - p >= 4;) {
    const alen = buf.readUInt16LE(p);
    if (alen < 4 || alen > end - p) break;
    out.push(p);
    if (alen > 8 && looksNested(buf, p + 4, alen - 4)) attrHeaders(buf, p + 4, alen - 4, out);
    p += (alen + 3) & ~3;
  }
  return out;
}

function looksNested(buf: Buffer, off: number, len: number): boolean {
  const end = off + len;
  let p = off;
  while (end - p >= 4) {
    const alen = buf.readUInt16LE(p);
    if (alen < 4 || alen > end - p) return false;
    p += (alen + 3) & ~3;
  }
  return p >= end;
}

test('shortened attributes (every header of every nest): the fast path declines whenever the schema path fails', () => {
  const rng = seededRandom(17);
  let shortened = 0;
  for (let i = 0; i < 4000; i++) {
    const forClass = i % 2 === 1;
    const { h, a } = kernelLike(rng, forClass);
    const body = encode(forClass, h, a);
    const heads = attrHeaders(body, 20, body.length - 20);
    if (!heads.length) continue;
    const at = heads[rng.int(heads.length)]!;
    const alen = body.readUInt16LE(at);
    // A shorter attribute: its tail is then read as the next attribute(s), or as padding.
    body.writeUInt16LE(4 + rng.int(alen - 3), at);
    shortened++;
    agree(forClass, view(body, forClass ? RTM.NEWTCLASS : RTM.NEWQDISC, 0), { ifindex: 0, iec: false, stats: 1, details: 0, raw: false }, { ifindex: 0, parent: 0, handle: 0, qdisc: 0, classid: 0 }, '\n');
  }
  assert.ok(shortened > 3000);
});

// ---------------------------------------------------------------- number printers

/** iproute2's sprint_rate as the BigInt reference implementation (the pre-optimisation code). */
function sprintRateRef(rate: bigint, iec: boolean): string {
  const kilo = iec ? 1024n : 1000n;
  const units = ['', 'K', 'M', 'G', 'T'];
  let r = BigInt.asUintN(64, rate << 3n);
  let i = 0;
  for (; i < units.length - 1; i++) {
    if (r < kilo) break;
    if (r % kilo !== 0n && r < 1000n * kilo) break;
    r /= kilo;
  }
  return `${r}${units[i]}${i > 0 && iec ? 'i' : ''}bit`;
}

/** sprint_size as the reference (formatG for every value). */
function sprintSizeRef(sz: number): string {
  const rint = (x: number): number => { const r = Math.round(x); return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; };
  const kilo = 1024;
  const mega = kilo * kilo;
  if (sz >= mega && Math.abs(mega * rint(sz / mega) - sz) < 1024) return `${formatG(rint(sz / mega), 6)}Mb`;
  if (sz >= kilo && Math.abs(kilo * rint(sz / kilo) - sz) < 16) return `${formatG(rint(sz / kilo), 6)}Kb`;
  return `${sz >>> 0}b`;
}

test('rate and size printers: Number fast paths equal the reference on random and edge values', () => {
  const rng = seededRandom(11);
  const rates: bigint[] = [0n, 1n, 124n, 125n, 128n, 125000n, 131072n, 1250000000n, 2n ** 32n, 2n ** 50n - 1n, 2n ** 50n, 2n ** 61n, 2n ** 64n - 1n];
  for (let i = 0; i < 20000; i++) {
    const unit = [1n, 125n, 128n, 1000n, 1024n, 125000n, 131072n][rng.int(7)]!;
    rates.push(rng.int(3) ? BigInt(rng.int(100000)) * unit : rng.bytes(8).readBigUInt64LE(0) >> BigInt(rng.int(64)));
  }
  for (const r of rates) {
    for (const iec of [false, true]) {
      assert.equal(sprintRate(r, iec), sprintRateRef(r, iec), `sprintRate(${r}, ${iec})`);
      if (r < 2n ** 50n) assert.equal(sprintRateNum(Number(r), iec), sprintRateRef(r, iec), `sprintRateNum(${r}, ${iec})`);
    }
  }
  const sizes = [0, 1, 15, 16, 1008, 1009, 1023, 1024, 1040, 1041, 1048576, 1048576 + 1023, 1048576 + 1024, 1024000000, 1024 * 999999, 1024 * 1000000, 2 ** 32 - 1];
  for (let i = 0; i < 20000; i++) sizes.push(rng.int(2) ? rng.int(1 << 20) * [1, 1024, 1048576][rng.int(3)]! % 2 ** 32 + rng.int(40) - 20 : u32(rng));
  for (const s of sizes) if (s >= 0) assert.equal(sprintSize(s), sprintSizeRef(s), `sprintSize(${s})`);
});

test('64-bit counters read from words print as their decimal value', () => {
  const rng = seededRandom(5);
  const buf = Buffer.alloc(8);
  const w = words(buf)!;
  for (let i = 0; i < 5000; i++) {
    const v = i < 3 ? [0n, 2n ** 53n, 2n ** 64n - 1n][i]! : rng.bytes(8).readBigUInt64LE(0) >> BigInt(rng.int(64));
    buf.writeBigUInt64LE(v, 0);
    assert.equal(u64Text(w, 0), v.toString());
    assert.equal(u64Number(w, 0), Number(v));
  }
});

test('FAST_TEXT_KINDS lists exactly the kinds whose modules have byte renderers', () => {
  const withFast = qdiscKindNames().filter((k) => qdiscKind(k)?.fastText !== undefined).sort();
  assert.deepEqual([...FAST_TEXT_KINDS].sort(), withFast);
});
