/**
 * The `-batch` route scanners against the general path (splitBatchLine →
 * parseModify → the route schema): the JavaScript one
 * (src/cli/ip/route-batch-fast.ts) and its C twin (native/route-scan.c, a
 * run of lines per call). For every line a scanner takes, it must produce
 * the same request bytes as the general path, which must accept the line
 * too; the C scanner must take no line the JavaScript one declines. The
 * lines are generated from valid and invalid spellings of every token the
 * scanners know and of some they must decline, in random order, with
 * duplicates and missing destinations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FastRouteLine } from '../../src/cli/ip/route-batch-fast.js';
import { parseModify, modifyOp, applyIfindexes } from '../../src/cli/ip/route-modify.js';
import { splitBatchLine } from '../../src/cli/common/batch.js';
import { ROUTE_OPS } from '../../src/netlink/route.js';
import { routeMessage } from '../../src/netlink/rtnetlink/route-schema.js';
import { Writer } from '../../src/netlink/codec/writer.js';
import { native } from '../../src/netlink/native.js';
import { linksBlob, wordsBlob } from '../../src/cli/ip/route-batch-native.js';
import { routeNameIds } from '../../src/cli/ip/route-names.js';

const NAMES = new Map([['veth0', 7], ['eth1', 3], ['a-b.c', 70000]]);

/** The general path's request for a line, or an Error if it refuses the line. */
function general(line: string, family: number): Buffer | Error {
  try {
    const argv = splitBatchLine(line);
    if (argv[0] !== 'route') return new Error('not a route line');
    const op = modifyOp(argv[1]!);
    if (!op) return new Error('not a modification');
    const p = parseModify(op, argv.slice(2), family, (n) => NAMES.get(n) ?? 0);
    if (p.dev !== undefined && !NAMES.has(p.dev)) return new Error('unknown device');
    applyIfindexes(p, (d) => NAMES.get(d)!);
    const w = new Writer();
    const o = ROUTE_OPS[p.op];
    const start = w.beginMessage(o.type, o.flags, 1);
    routeMessage.encode(w, p.header, p.attrs);
    w.endMessage(start);
    return w.toBuffer();
  } catch (e) {
    return e as Error;
  }
}

function fastBytes(f: FastRouteLine, line: string, lead = '', tail = ''): Buffer | undefined {
  const text = lead + line + tail;
  if (!f.scan(text, lead.length, lead.length + line.length)) return undefined;
  const w = new Writer();
  const start = w.beginMessage(f.type, f.flags, 1);
  f.encode(w);
  w.endMessage(start);
  return w.toBuffer();
}

const LINKS = linksBlob(NAMES);
const WORDS = wordsBlob(routeNameIds());
const INFO_HEAD = 8;

/** What one scanRoutes call did (see native/route-scan.c). */
interface NativeRun {
  count: number; pos: number; line: number; offset: number; reason: number;
  /** Per request: start offset, line number, undo type. */
  entries: Array<[number, number, number]>;
}

function nativeRun(src: Buffer, pos: number, line: number, chunk: Buffer, offset: number, room: number, seq = 1, flags = 0, links = LINKS): NativeRun {
  const scan = native.scanRoutes;
  assert.ok(scan, 'the addon has scanRoutes (rebuild it: npm run install)');
  const info = new Uint32Array(INFO_HEAD + 3 * room);
  const count = scan(src, pos, line, chunk, offset, room, seq, flags, links, WORDS, info);
  assert.equal(info[0], count);
  const entries: Array<[number, number, number]> = [];
  for (let i = 0; i < count; i++) entries.push([info[INFO_HEAD + 3 * i]!, info[INFO_HEAD + 3 * i + 1]!, info[INFO_HEAD + 3 * i + 2]!]);
  return { count, pos: info[1]!, line: info[2]!, offset: info[3]!, reason: info[4]!, entries };
}

/** The C scanner's request for `line` read inside a larger text, as fastBytes; undefined if declined. */
function nativeBytes(line: string, lead = '', tail = ''): Buffer | undefined {
  const src = Buffer.from(lead + line + tail);
  const pos = Buffer.byteLength(lead);
  const leadLines = lead.split('\n').length - 1;
  const chunk = Buffer.alloc(256, 0xee);
  const r = nativeRun(src, pos, leadLines, chunk, 0, 1);
  if (r.count === 0) {
    assert.equal(r.reason, 0, 'a line without a request is a declined one');
    assert.deepEqual([r.pos, r.line, r.offset], [pos, leadLines, 0], 'a declined line is left unread');
    return undefined;
  }
  assert.equal(r.count, 1);
  assert.deepEqual(r.entries[0]!.slice(0, 2), [0, leadLines + 1]);
  const end = pos + Buffer.byteLength(line);
  assert.equal(r.pos, end + 1, 'the position after the line');
  assert.equal(r.line, leadLines + 1);
  assert.equal(chunk[r.offset], 0xee, 'nothing written past the request');
  const bytes = chunk.subarray(0, r.offset);
  assert.equal(bytes.readUInt32LE(0), r.offset, 'nlmsg_len');
  // An add is undone by a delete of the same body (RequestBatch's stopAtFirstFailure).
  assert.equal(r.entries[0]![2], bytes.readUInt16LE(4) === 24 && bytes.readUInt16LE(6) === 0x600 ? 25 : 0, 'undo type');
  return Buffer.from(bytes);
}

let seed = 0x9e3779b9;
function rnd(n: number): number {
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed % n;
}
const pick = <T>(a: readonly T[]): T => a[rnd(a.length)]!;
const quad = (): string => `${rnd(256)}.${rnd(256)}.${rnd(256)}.${rnd(256)}`;

const ODD_ADDRS = ['010.1.2.3', '10.1.2', '1.2.3.256', '0x0a.0.0.1', '1..2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.04', '255.255.255.255', '0.0.0.0'];
function dst(): string {
  const r = rnd(10);
  if (r < 5) return `${quad()}/${rnd(33)}`;
  if (r < 7) return quad();
  if (r === 7) return pick(ODD_ADDRS);
  return pick([`${quad()}/33`, `${quad()}/032`, `${quad()}/`, `${quad()}/0`, `${quad()}/8x`, 'default', '10.0.0.0/255.0.0.0', '2001:db8::/64']);
}
const OPTIONS: ReadonlyArray<() => string[]> = [
  () => ['dev', pick(['veth0', 'eth1', 'a-b.c', 'nosuch', 'if7'])],
  () => ['via', rnd(4) ? quad() : pick(ODD_ADDRS.concat(['inet', '2001:db8::1']))],
  () => [pick(['metric', 'priority', 'preference', 'met', 'pref']), pick(['0', '5', '4294967295', '4294967296', '0x10', '010', '-1', 'x', String(rnd(100000))])],
  () => ['table', pick(['main', 'local', 'default', '7', '255', '256', '300', '4294967295', '4294967296', 'nope', '0', '0x100'])],
  () => [pick(['proto', 'protocol']), pick(['static', 'boot', 'kernel', 'zebra', 'redirect', '99', '255', '256', 'xx', '0'])],
  () => ['scope', pick(['link', 'host', 'global', 'nowhere', 'site', '200', '300', 'x'])],
  () => pick([['mtu', '1400'], ['onlink'], ['src', quad()], ['to', quad()], ['unicast'], ['blackhole'], ['dev'], ['metric']]),
];

/** The generated lines with what the general path makes of them (family unspecified), for the whole-file test. */
const GENERATED: Array<{ line: string; bytes: Buffer | undefined }> = [];

test('route-batch-fast: the scanners encode exactly what the general path does (30,000 generated lines, each read alone and with -4)', () => {
  const f = new FastRouteLine(() => NAMES);
  let taken = 0, declined = 0;
  let nativeTaken = 0, nativeDeclined = 0, onlyJs = 0;
  const verbs = ['add', 'add', 'add', 'del', 'delete', 'replace', 'change', 'append', 'prepend', 'a', 'test', 'show', 'flush'];
  for (let k = 0; k < 30000; k++) {
    const words: string[][] = [];
    if (rnd(12)) words.push([dst()]);
    const nOpts = rnd(5);
    for (let i = 0; i < nOpts; i++) words.push(OPTIONS[rnd(rnd(4) ? 6 : 7)]!());
    if (rnd(10) === 0 && words.length) words.push(words[rnd(words.length)]!); // a duplicate
    for (let i = words.length - 1; i > 0; i--) { const j = rnd(i + 1); [words[i], words[j]] = [words[j]!, words[i]!]; }
    const sep = (): string => (rnd(8) ? ' ' : '  ');
    const line = (rnd(20) ? '' : ' ') + ['route', pick(verbs), ...words.flat()].join(sep()) + (rnd(20) ? '' : ' ');
    // The C scanner takes a subset of the JavaScript scanner's lines, with the same bytes.
    const lead = rnd(2) ? '' : 'route add 1.1.1.1 dev veth0\n', tail = rnd(2) ? '' : '\nroute del 9.9.9.9';
    const js = fastBytes(f, line, lead, tail);
    const c = nativeBytes(line, lead, tail);
    if (c) {
      nativeTaken++;
      if (!js) assert.fail(`the C scanner took ${JSON.stringify(line)}, which the JavaScript scanner declines`);
      assert.equal(c.toString('hex'), js.toString('hex'), `C and JavaScript scanners: ${JSON.stringify(line)}`);
      const want = general(line, 0);
      if (want instanceof Error) assert.fail(`the C scanner took ${JSON.stringify(line)}, which the general path refuses: ${want.message}`);
      assert.equal(c.toString('hex'), want.toString('hex'), `C scanner and general path: ${JSON.stringify(line)}`);
    } else {
      nativeDeclined++;
      if (js) onlyJs++;
    }
    GENERATED.push({ line, bytes: c });
    for (const family of [0, 2]) {
      // The scanner reads a line inside a larger text: the neighbours must not matter.
      const got = fastBytes(f, line, rnd(2) ? '' : 'route add 1.1.1.1 dev veth0\n', rnd(2) ? '' : '\nroute del 9.9.9.9');
      if (!got) { declined++; continue; }
      taken++;
      const want = general(line, family);
      if (want instanceof Error) assert.fail(`the scanner took ${JSON.stringify(line)}, which the general path refuses: ${want.message}`);
      assert.equal(got.toString('hex'), want.toString('hex'), JSON.stringify(line));
    }
  }
  // Both sides must be exercised in earnest.
  assert.ok(taken > 8000, `only ${taken} lines taken`);
  assert.ok(declined > 10000, `only ${declined} lines declined`);
  assert.ok(nativeTaken > 4000, `only ${nativeTaken} lines taken by the C scanner`);
  assert.ok(nativeDeclined > 5000, `only ${nativeDeclined} lines declined by the C scanner`);
  // Those only the JavaScript scanner takes are its octal and hexadecimal numbers: a few percent.
  assert.ok(onlyJs < nativeTaken / 5, `the C scanner declines ${onlyJs} lines the JavaScript one takes`);
  if (process.env.RIP_TEST_VERBOSE) console.log({ taken, declined, nativeTaken, nativeDeclined, onlyJs });
});

test('route-batch-native: the generated lines as one file, run by run: the same requests, numbered in order, with line numbers counting blank and comment lines', () => {
  assert.ok(GENERATED.length === 30000, 'runs after the generating test');
  // Blank lines (spaces only) are skipped by the C scanner; comment lines and
  // lines of other blanks are declined (the general path skips them).
  const text: string[] = [];
  const caseOfLine: number[] = []; // line index → GENERATED index, -1 for a filler line
  const blankish = ['', '   ', '# a comment', '\t', ' \r', '  # route add 10.0.0.1/32 dev veth0'];
  GENERATED.forEach((g, i) => {
    if (rnd(6) === 0) { text.push(pick(blankish)); caseOfLine.push(-1); }
    text.push(g.line);
    caseOfLine.push(i);
  });
  const src = Buffer.from(text.join('\n')); // no final newline
  const lineStart: number[] = [0];
  for (let p = src.indexOf(10); p >= 0; p = src.indexOf(10, p + 1)) lineStart.push(p + 1);
  const chunk = Buffer.alloc(64 * 1024);
  let pos = 0, line = 0, seq = 100, runs = 0;
  const takenLines = new Set<number>();
  while (pos <= src.length) {
    const room = 1 + rnd(300);
    const r = nativeRun(src, pos, line, chunk, 0, room, seq, 1);
    runs++;
    assert.ok(r.count <= room);
    let prevEnd = 0;
    for (const [start, n, undo] of r.entries) {
      assert.equal(start, prevEnd, 'requests back to back');
      const len = chunk.readUInt32LE(start);
      prevEnd = start + len;
      const g = GENERATED[caseOfLine[n - 1]!];
      assert.ok(g, `line ${n} is a generated line`);
      assert.ok(g.bytes, `line ${n} (${JSON.stringify(g.line)}) was declined alone but taken in the file`);
      assert.equal(chunk.readUInt32LE(start + 8), seq++, 'sequence numbers in order');
      assert.equal(chunk.readUInt16LE(start + 6), g.bytes.readUInt16LE(6) | 1, 'flags with NLM_F_REQUEST added');
      const want = Buffer.from(g.bytes);
      want.writeUInt32LE(chunk.readUInt32LE(start + 8), 8);
      want.writeUInt16LE(chunk.readUInt16LE(start + 6), 6);
      assert.equal(chunk.subarray(start, start + len).toString('hex'), want.toString('hex'), `line ${n}`);
      assert.equal(undo, g.bytes.readUInt16LE(6) === 0x600 && g.bytes.readUInt16LE(4) === 24 ? 25 : 0);
      takenLines.add(n - 1);
    }
    assert.equal(r.offset, prevEnd);
    if (r.reason === 0) {
      // Declined: the line at r.pos is a generated line declined alone, or a filler line that is not spaces only.
      const i = caseOfLine[r.line]!;
      if (i >= 0) assert.equal(GENERATED[i]!.bytes, undefined, `line ${r.line + 1} declined in the file`);
      else assert.ok(!/^ *$/.test(text[r.line]!), 'a blank line is skipped, not declined');
      assert.equal(lineStart[r.line], r.pos, 'position and line agree');
      // The caller reads that line itself and goes on after it.
      const nl = src.indexOf(10, r.pos);
      pos = nl < 0 ? src.length + 1 : nl + 1;
      line = r.line + 1;
    } else if (r.reason === 1) {
      assert.equal(r.count, room, 'full: the room is used');
      pos = r.pos;
      line = r.line;
    } else {
      assert.equal(r.reason, 2);
      assert.equal(r.pos, src.length + 1, 'the end: after the last line (which has no newline)');
      pos = r.pos;
    }
  }
  assert.equal(line, text.length);
  // Every line taken alone is taken in the file, and nothing else.
  caseOfLine.forEach((i, n) => {
    if (i >= 0) assert.equal(takenLines.has(n), GENERATED[i]!.bytes !== undefined, `line ${n + 1}`);
  });
  assert.ok(runs > 1000);
});

test('route-batch-native: 20,000 lines mutated byte by byte: whatever the C scanner takes, the JavaScript scanner and the general path take with the same bytes', () => {
  const f = new FastRouteLine(() => NAMES);
  const bases = [
    'route add 10.1.2.3/32 dev veth0', 'route del 10.1.2.0/24 dev eth1 metric 7', 'route replace 192.0.2.0/24 via 10.0.0.1 table 300',
    'route append 0.0.0.0/0 via 10.0.0.1 dev a-b.c proto static scope global', 'route change 10.9.0.0/16 dev veth0 table main proto 99 scope link',
  ];
  // Bytes that matter to the grammar, and some that must never be taken.
  const alphabet = ['0', '1', '2', '5', '9', '.', '/', ' ', ' ', 'x', 'e', 'v', '\t', '\r', '#', '"', '\\', '\0', '\xff', 'é', '3', '25', '255', '256'];
  let taken = 0, declined = 0;
  for (let k = 0; k < 20000; k++) {
    let line = pick(bases);
    for (let m = rnd(4) ? 1 : 2; m > 0; m--) {
      const at = rnd(line.length + 1);
      const r = rnd(3);
      if (r === 0) line = line.slice(0, at) + pick(alphabet) + line.slice(at); // insert
      else if (r === 1) line = line.slice(0, at) + line.slice(at + 1); // delete
      else line = line.slice(0, at) + pick(alphabet) + line.slice(at + 1); // replace
    }
    if (line.includes('\n')) continue;
    const c = nativeBytes(line);
    if (!c) { declined++; continue; }
    taken++;
    const js = fastBytes(f, line);
    if (!js) assert.fail(`the C scanner took ${JSON.stringify(line)}, which the JavaScript scanner declines`);
    assert.equal(c.toString('hex'), js.toString('hex'), JSON.stringify(line));
    const want = general(line, 0);
    if (want instanceof Error) assert.fail(`the C scanner took ${JSON.stringify(line)}, which the general path refuses: ${want.message}`);
    assert.equal(c.toString('hex'), want.toString('hex'), JSON.stringify(line));
  }
  assert.ok(taken > 1000 && declined > 10000, `taken ${taken}, declined ${declined}`);
});

test('route-batch-native: bounds, chunk limits, line ends and the device cache', () => {
  const one = 'route add 10.0.0.1/32 dev veth0';
  const oneLen = 16 + 12 + 8 + 8;
  // A chunk with room for two requests by bytes: the third waits (full), nothing written past the end.
  const big = Buffer.alloc(2 * 68 + 67 + 16, 0xee);
  const chunk = big.subarray(0, 2 * 68 + 67);
  const src = Buffer.from(`${one}\n${one}\n${one}\n`);
  let r = nativeRun(src, 0, 0, chunk, 0, 10);
  // 68 bytes (the largest request) must fit for the scanner to read a line: 44 + 44 + 68 <= 203 holds, so three go.
  assert.equal(r.count, 3);
  r = nativeRun(src, 0, 0, chunk, 68, 10);
  assert.deepEqual([r.count, r.reason, r.line], [2, 1, 2], 'the last 67 bytes do not hold a request of up to 68');
  assert.ok(big.subarray(chunk.length).every((b) => b === 0xee), 'nothing written past the chunk');
  // Room in requests.
  r = nativeRun(src, 0, 0, Buffer.alloc(4096), 0, 2);
  assert.deepEqual([r.count, r.reason, r.pos, r.line, r.offset], [2, 1, 2 * (one.length + 1), 2, 2 * oneLen]);
  // The end: a final newline leaves an empty last line, which is skipped; so is a file of blank lines.
  r = nativeRun(src, 0, 0, Buffer.alloc(4096), 0, 10);
  assert.deepEqual([r.count, r.reason, r.pos, r.line], [3, 2, src.length + 1, 4]);
  r = nativeRun(Buffer.from('\n   \n\n'), 0, 0, Buffer.alloc(4096), 0, 10);
  assert.deepEqual([r.count, r.reason, r.line], [0, 2, 4]);
  r = nativeRun(Buffer.alloc(0), 0, 0, Buffer.alloc(4096), 0, 10);
  assert.deepEqual([r.count, r.reason, r.pos, r.line], [0, 2, 1, 1]);
  // CR LF: iproute2 treats the '\r' as a blank; the scanner leaves such lines to the general path (which does too).
  r = nativeRun(Buffer.from(`${one}\r\n${one}\n`), 0, 0, Buffer.alloc(4096), 0, 10);
  assert.deepEqual([r.count, r.reason, r.pos, r.line], [0, 0, 0, 0]);
  // An unknown device mid-file stops the run there; its line is the caller's.
  const mid = Buffer.from(`${one}\n\n${one.replace('veth0', 'nosuch')}\n${one}`);
  r = nativeRun(mid, 0, 0, Buffer.alloc(4096), 0, 10);
  assert.deepEqual([r.count, r.reason, r.pos, r.line], [1, 0, one.length + 2, 2]);
  // Non-ASCII anywhere in a line, a NUL, and a 1 MiB line: declined, never misread.
  for (const bad of [`${one} métric 5`, `${one}\0`, `${one} ${'x'.repeat(1 << 20)}`, `route add 10.0.0.1/32 dev ${'v'.repeat(70000)}`, 'route add 10.0.0.1/32 dev véth0']) {
    r = nativeRun(Buffer.from(bad), 0, 0, Buffer.alloc(4096), 0, 10);
    assert.equal(r.count, 0, JSON.stringify(bad.slice(0, 60)));
  }
  // A long run of spaces between words is fine.
  r = nativeRun(Buffer.from(`route add 10.0.0.1/32${' '.repeat(100000)}dev veth0`), 0, 0, Buffer.alloc(4096), 0, 10);
  assert.equal(r.count, 1);
  // The last-hit slot: another device after it, and a slot pointing anywhere, still resolve by name.
  const links = linksBlob(NAMES);
  const devs = Buffer.from(['veth0', 'eth1', 'a-b.c', 'veth0', 'eth1'].map((d) => one.replace('veth0', d)).join('\n'));
  const out = Buffer.alloc(4096);
  r = nativeRun(devs, 0, 0, out, 0, 10, 1, 0, links);
  assert.equal(r.count, 5);
  assert.deepEqual(r.entries.map(([s]) => out.readUInt32LE(s + 40)), [7, 3, 70000, 7, 3]);
  for (const slot of [1, 3, 4, 5, 9, 0xffffffff, links.length, links.length - 1]) {
    links.writeUInt32LE(slot, 0);
    r = nativeRun(devs, 0, 0, out, 0, 10, 1, 0, links);
    assert.deepEqual(r.entries.map(([s]) => out.readUInt32LE(s + 40)), [7, 3, 70000, 7, 3], `slot ${slot}`);
  }
  // A links blob too short for any entry.
  r = nativeRun(Buffer.from(one), 0, 0, out, 0, 10, 1, 0, Buffer.alloc(5));
  assert.equal(r.count, 0);
  // Bad arguments are refused, not trusted.
  const scan = native.scanRoutes!;
  const info = new Uint32Array(8 + 30);
  assert.throws(() => scan(src, 0, 0, out, 2, 10, 1, 0, LINKS, WORDS, info), TypeError, 'unaligned offset');
  assert.throws(() => scan(src, 0, 0, out, out.length + 4, 10, 1, 0, LINKS, WORDS, info), TypeError, 'offset past the chunk');
  assert.throws(() => scan(src, src.length + 2, 0, out, 0, 10, 1, 0, LINKS, WORDS, info), TypeError, 'position past the end');
  assert.throws(() => scan(src, 0, 0, out, 0, 10, 1, 0, LINKS, WORDS, new Uint32Array(4)), TypeError, 'info too short');
  assert.throws(() => scan(src, 0, 0, out, 0, 10, 1, 0, LINKS, WORDS, new Int32Array(40) as unknown as Uint32Array), TypeError, 'info of another type');
  // More room asked than the info array holds: clipped to it.
  r = nativeRun(src, 0, 0, out, 0, 10);
  assert.equal(scan(src, 0, 0, out, 0, 10, 1, 0, LINKS, WORDS, new Uint32Array(8 + 3)), 1);
});

test('route-batch-fast: the bulk line shapes are taken; others are left to the general path', () => {
  const f = new FastRouteLine(() => NAMES);
  for (const line of [
    'route add 10.0.0.1/32 dev veth0', 'route del 10.0.0.1/32 dev veth0', 'route replace 10.0.0.0/8 via 192.0.2.1 metric 5',
    'route add 10.0.0.0/24 dev eth1 table 300 proto static', 'route append 0.0.0.0/0 via 192.0.2.1 dev veth0 scope global',
  ]) {
    assert.ok(fastBytes(f, line), line);
    assert.equal(nativeBytes(line)?.toString('hex'), fastBytes(f, line)!.toString('hex'), `C: ${line}`);
  }
  for (const line of [
    'route add 10.0.0.1/32 dev nosuch', 'route add 10.0.0.1/32 dev veth0 # comment', 'route add "10.0.0.1/32" dev veth0',
    'route add 10.0.0.1/32\tdev veth0', 'route add 10.0.0.1/32 dev veth0\r', 'ro add 10.0.0.1/32 dev veth0', 'route a 10.0.0.1/32 dev veth0',
    'route add default via 192.0.2.1', 'route add 10.0.0.1/32 dev veth0 dev eth1', 'route add dev veth0', 'route add 10.0.0.1/32 dev',
    'route add 010.0.0.1/32 dev veth0', 'route add 10.0.0.1/32 mtu 1400 dev veth0', 'route show',
  ]) {
    assert.equal(fastBytes(f, line), undefined, line);
    assert.equal(nativeBytes(line), undefined, `C: ${line}`);
  }
  // A device the scanner does not know yet becomes known when the general path refreshes the names.
  const names = new Map<string, number>();
  const g = new FastRouteLine(() => names);
  assert.equal(fastBytes(g, 'route add 10.0.0.1/32 dev veth0'), undefined);
  names.set('veth0', 7);
  assert.ok(fastBytes(g, 'route add 10.0.0.1/32 dev veth0'));
});
