/**
 * Golden netlink bytes: what iproute2 sends for a command line, captured once
 * with strace by test/helpers/capture-golden.ts, stored in
 * test/fixtures/golden/<suite>.json and compared with what our encoder builds.
 *
 * Fixture format (one file per suite):
 * ```json
 * [{ "cmd": "tc qdisc add dev veth0 root tbf rate 1mbit burst 10k latency 50ms",
 *    "setup": ["ip link add veth0 type veth peer name veth1"],
 *    "messages": ["6404000024000506..."] }]
 * ```
 * Each message is one whole netlink message (nlmsghdr included) with
 * nlmsg_seq and nlmsg_pid zeroed, since those differ on every run.
 *
 * IFINDEXES: a capture runs in a fresh namespace after exactly `setup`, so
 * ifindexes are deterministic (lo = 1, then one per created link in order;
 * a veth pair `ip link add veth0 type veth peer name veth1` gives veth1 = 2 and
 * veth0 = 3). A test that compares against a fixture must encode with the same
 * ifindexes (or recreate the same setup in a fresh namespace).
 * @module
 */
import { AssertionError } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One captured command. */
export interface GoldenEntry {
  readonly cmd: string;
  readonly setup: readonly string[];
  /** Hex of each message, seq and pid zeroed. */
  readonly messages: readonly string[];
}

/** A loaded entry with the messages as buffers. */
export interface GoldenCase extends GoldenEntry {
  readonly buffers: readonly Buffer[];
}

/** The repository root (the nearest directory above this file with a package.json). */
export function repoRoot(): string {
  let d = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(d, 'package.json'))) {
    const up = path.dirname(d);
    if (up === d) throw new Error('repository root not found');
    d = up;
  }
  return d;
}

/** Path of a suite's fixture file. */
export function goldenPath(suite: string): string {
  return path.join(repoRoot(), 'test', 'fixtures', 'golden', `${suite}.json`);
}

/** Read a suite's raw entries ([] when the file does not exist yet). */
export function readGoldenFile(suite: string): GoldenEntry[] {
  const p = goldenPath(suite);
  if (!fs.existsSync(p)) return [];
  return JSON.parse(fs.readFileSync(p, 'utf8')) as GoldenEntry[];
}

/** Load a suite's fixtures; throws if the file is missing (a golden test without goldens is a bug). */
export function loadGolden(suite: string): GoldenCase[] {
  if (!fs.existsSync(goldenPath(suite))) throw new Error(`no golden fixtures for suite "${suite}" at ${goldenPath(suite)}`);
  return readGoldenFile(suite).map((e) => ({ ...e, buffers: e.messages.map((h) => Buffer.from(h, 'hex')) }));
}

/** The fixture for exactly `cmd` in `suite`; throws if there is none. */
export function golden(suite: string, cmd: string): GoldenCase {
  const e = loadGolden(suite).find((x) => x.cmd === cmd);
  if (!e) throw new Error(`golden suite "${suite}" has no entry for: ${cmd}`);
  return e;
}

/** Split a buffer of back-to-back netlink messages (stops at a malformed length). */
export function splitMessages(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let p = 0;
  while (buf.length - p >= 16) {
    const len = buf.readUInt32LE(p);
    if (len < 16 || len > buf.length - p) break;
    out.push(buf.subarray(p, p + len));
    p += (len + 3) & ~3;
  }
  return out;
}

/** A copy of `buf` with nlmsg_seq and nlmsg_pid zeroed in every message. */
export function normalize(buf: Uint8Array): Buffer {
  const b = Buffer.from(buf);
  let p = 0;
  while (b.length - p >= 16) {
    const len = b.readUInt32LE(p);
    b.writeUInt32LE(0, p + 8);
    b.writeUInt32LE(0, p + 12);
    if (len < 16) break;
    p += (len + 3) & ~3;
  }
  return b;
}

// ---------------------------------------------------------------- readable diff

/** Fixed header size after nlmsghdr for rtnetlink message types, for annotation only. */
function familyHeaderSize(type: number): number {
  if (type < 16 || type > 123) return 0;
  const sizes: Record<number, number> = { 0: 16, 1: 8, 2: 12, 3: 12, 4: 12, 5: 20, 6: 20, 7: 20, 8: 4, 22: 8 };
  return sizes[(type - 16) >> 2] ?? 0;
}

interface Line { off: number; len: number; text: string; data: boolean }

/** Does `[off, end)` parse exactly as a sequence of attributes? (annotation heuristic) */
function looksLikeAttrs(b: Buffer, off: number, end: number): boolean {
  let p = off;
  if (end - p < 4) return false;
  while (end - p >= 4) {
    const len = b.readUInt16LE(p);
    if (len < 4 || len > end - p) return false;
    p += (len + 3) & ~3;
  }
  return p === end || p - end < 4;
}

function hexLines(b: Buffer, off: number, end: number, indent: string, out: Line[]): void {
  for (let p = off; p < end; p += 16) {
    const n = Math.min(16, end - p);
    out.push({ off: p, len: n, text: `${indent}${b.subarray(p, p + n).toString('hex').replace(/(..)(?!$)/g, '$1 ')}`, data: true });
  }
}

function attrLines(b: Buffer, off: number, end: number, depth: number, out: Line[]): void {
  const indent = '  '.repeat(depth + 1);
  let p = off;
  while (end - p >= 4) {
    const len = b.readUInt16LE(p);
    const type = b.readUInt16LE(p + 2);
    if (len < 4 || len > end - p) {
      out.push({ off: p, len: end - p, text: `${indent}!! bad attribute length ${len}`, data: false });
      hexLines(b, p, end, indent, out);
      return;
    }
    const nested = (type & 0x8000) !== 0 || (depth < 6 && looksLikeAttrs(b, p + 4, p + len));
    const flags = `${type & 0x8000 ? ' NESTED' : ''}${type & 0x4000 ? ' NET_BYTEORDER' : ''}`;
    out.push({ off: p, len: 4, text: `${indent}attr type=${type & 0x3fff}${flags} len=${len}${nested ? ' {' : ''}`, data: false });
    if (nested) attrLines(b, p + 4, p + len, depth + 1, out);
    else hexLines(b, p + 4, p + len, indent + '  ', out);
    p += (len + 3) & ~3;
  }
  if (p < end) hexLines(b, p, end, indent + '(pad) ', out);
}

/** Annotated dump: nlmsghdr, family header and (nested) attributes, one element per line. */
export function annotate(buf: Buffer): Line[] {
  const out: Line[] = [];
  let p = 0;
  while (buf.length - p >= 16) {
    const len = buf.readUInt32LE(p);
    const type = buf.readUInt16LE(p + 4);
    const end = len >= 16 && len <= buf.length - p ? p + len : buf.length;
    out.push({ off: p, len: 16, text: `nlmsghdr len=${len} type=${type} flags=0x${buf.readUInt16LE(p + 6).toString(16)} seq=${buf.readUInt32LE(p + 8)} pid=${buf.readUInt32LE(p + 12)}`, data: false });
    const h = Math.min(familyHeaderSize(type), end - p - 16);
    if (h > 0) {
      out.push({ off: p + 16, len: h, text: `  family header (${h} bytes)`, data: false });
      hexLines(buf, p + 16, p + 16 + h, '    ', out);
    }
    const body = p + 16 + ((h + 3) & ~3);
    if (h > 0 || familyHeaderSize(type) === 0 && looksLikeAttrs(buf, body, end)) attrLines(buf, Math.min(body, end), end, 0, out);
    else hexLines(buf, p + 16, end, '  ', out);
    if (len < 16) break;
    p += (len + 3) & ~3;
  }
  if (p < buf.length) hexLines(buf, p, buf.length, '(trailing) ', out);
  return out;
}

/** Render an annotated dump, marking lines that contain `mark` with `>>`, eliding far-away data. */
function render(buf: Buffer, mark: number): string {
  const lines = annotate(buf);
  const hit = lines.findIndex((l) => l.data && mark >= l.off && mark < l.off + l.len);
  const keep = (i: number, l: Line): boolean => lines.length <= 60 || !l.data || Math.abs(i - hit) <= 3;
  const out: string[] = [];
  let elided = 0;
  lines.forEach((l, i) => {
    if (!keep(i, l)) { elided++; return; }
    if (elided) { out.push(`      … ${elided} data line(s)`); elided = 0; }
    const inside = mark >= l.off && mark < l.off + l.len;
    out.push(`${inside && (l.data || hit < 0) ? '>>' : '  '} ${l.off.toString(16).padStart(4, '0')}  ${l.text}`);
  });
  if (elided) out.push(`      … ${elided} data line(s)`);
  return out.join('\n');
}

/**
 * Assert that two netlink buffers are equal after {@link normalize} (seq and pid
 * are ignored). On mismatch, the error names the first differing byte offset
 * and shows both buffers annotated with message and attribute boundaries.
 */
export function assertSameBytes(actual: Uint8Array, expected: Uint8Array, label = 'netlink bytes'): void {
  const a = normalize(actual);
  const e = normalize(expected);
  if (a.equals(e)) return;
  let i = 0;
  while (i < a.length && i < e.length && a[i] === e[i]) i++;
  const what = i < a.length && i < e.length
    ? `byte 0x${i.toString(16)} (${i}): actual 0x${a[i]!.toString(16).padStart(2, '0')}, expected 0x${e[i]!.toString(16).padStart(2, '0')}`
    : `lengths differ at byte ${i}: actual ${a.length} bytes, expected ${e.length}`;
  throw new AssertionError({
    message: `${label}: first difference at ${what}\n--- expected\n${render(e, i)}\n+++ actual\n${render(a, i)}`,
    // No actual/expected: the runner's generic string diff of 2 KB of hex helps nobody.
    operator: 'assertSameBytes',
  });
}
