/**
 * Property and fuzz tests for the schema codec (src/netlink/codec/schema.ts).
 *
 * (a) Round trip: for every schema we can find, 2,000 seeded random values
 *     (`codec.arbitrary`) must satisfy decode(encode(v)) deep-equals v.
 *     Schemas come from a test-local attribute set that uses every codec kind,
 *     and from discovery: every compiled module under dist/src that imports
 *     the schema module (plus the package entry points in SCHEMA_MODULES) is
 *     imported and its exports are walked (into plain objects, arrays and Maps,
 *     i.e. kind registries) for codecs. So schemas added later are covered
 *     without editing this file.
 * (b) Fuzz: at least 100,000 random and mutated messages (valid encodings with
 *     flipped bytes, truncations, extensions, corrupted attribute lengths and
 *     types, splices) go to the decoders, which may throw ParseError and
 *     nothing else. Inputs are exact-size buffers, so a read past the end of
 *     the input shows up as a RangeError instead of silently reading garbage;
 *     and each input is decoded a second time at an offset inside a larger
 *     buffer with other bytes after it, which must give the same result (a
 *     decoder must not look outside [off, off + len)).
 *
 * A failure prints the codec, the seed/iteration and the input hex to replay it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  attrs, attr, multi, u8, s8, u16, s16, u32, s32, u64, s64, be16, be32, be64, flag, cstring, bytes, lladdr, ipaddr,
  struct, array, variant, indexed, keyString, transform, pad, fixedBytes, message, NLA_F_NESTED, seededRandom,
  type Codec, type Random,
} from '../../src/netlink/codec/schema.js';
import { Writer } from '../../src/netlink/codec/writer.js';
import { ParseError } from '../../src/netlink/codec/errors.js';
import { ifinfomsg, tcmsg } from '../../src/netlink/structs.js';

const ROUNDS = 2000;
const FUZZ_MIN = 250_000;
/** Stop fuzzing after this long even if FUZZ_MIN is not reached (slow machine/VM); reported as a diagnostic. */
const FUZZ_BUDGET_MS = 15_000;

/** Entry points walked for schemas (relative to the compiled tree); missing ones are ignored. */
const SCHEMA_MODULES = [
  'src/netlink/structs.js',
  'src/netlink/index.js',
  'src/tc/index.js',
  'src/filter/index.js',
  'src/action/index.js',
  'src/sockdiag/index.js',
  'src/tuntap/index.js',
];

// ---------------------------------------------------------------- local schemas: every codec kind

const inner = attrs('test.inner', {
  a: attr(1, u8),
  b: attr(2, cstring),
  c: multi(3, u32),
});
const optsA = attrs('test.optsA', { x: attr(1, u32), y: attr(2, be16), z: attr(3, inner, NLA_F_NESTED) });
const optsB = attrs('test.optsB', { addr: attr(1, ipaddr), mac: attr(2, lladdr) });
const hdr = struct('test.hdr', { kind: u8, _pad: pad(3), id: be32, cookie: fixedBytes(6), _pad2: pad(2), big: be64 });
const COLORS = ['red', 'green', 'blue'] as const;
type Color = (typeof COLORS)[number];
const color: Codec<Color> = transform(u8, 'color', (n) => COLORS[n % 3]!, (c) => COLORS.indexOf(c));

/** One attribute set using every codec kind the schema module offers. */
const everything = attrs('test.everything', {
  u8: attr(1, u8),
  s8: attr(2, s8),
  u16: attr(3, u16),
  s16: attr(4, s16),
  u32: attr(5, u32),
  s32: attr(6, s32),
  u64: attr(7, u64),
  s64: attr(8, s64),
  be16: attr(9, be16),
  be32: attr(10, be32),
  be64: attr(11, be64),
  flag: attr(12, flag),
  cstring: attr(13, cstring),
  bytes: attr(14, bytes),
  lladdr: attr(15, lladdr),
  ipaddr: attr(16, ipaddr),
  struct: attr(17, hdr),
  kernelStruct: attr(18, ifinfomsg),
  array: attr(19, array(u32)),
  structArray: attr(20, array(hdr)),
  multi: multi(21, u16),
  multiNested: multi(22, inner),
  nested: attr(23, inner, NLA_F_NESTED),
  kind: attr(24, keyString(['a', 'b'])),
  options: attr(25, variant('test.options', 'kind', (k) => (k === 'a' ? optsA : k === 'b' ? optsB : undefined))),
  list: attr(26, indexed('test.list', inner, NLA_F_NESTED)),
  listOfU32: attr(27, indexed('test.list32', u32)),
  color: attr(28, color),
});

const everythingMessage = message('test.message', tcmsg, everything);

// ---------------------------------------------------------------- discovery

/** Anything with the Codec shape. */
function isCodec(v: unknown): v is Codec<unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return typeof c.name === 'string' && typeof c.encode === 'function' && typeof c.decode === 'function' && typeof c.arbitrary === 'function';
}

/** The MessageCodec shape (header struct + attribute set, encode(w, h, a)). */
interface MessageLike {
  readonly name: string;
  readonly header: Codec<unknown>;
  readonly attrs: Codec<unknown>;
  encode(w: Writer, h: unknown, a: unknown): void;
  decode(buf: Buffer, off: number, len: number): unknown;
}
function isMessage(v: unknown): v is MessageLike {
  if (typeof v !== 'object' || v === null || isCodec(v)) return false;
  const m = v as Record<string, unknown>;
  return isCodec(m.header) && isCodec(m.attrs) && typeof m.encode === 'function' && typeof m.decode === 'function';
}

/** A unit under test: round-trips values of its own making and decodes arbitrary bytes. */
interface Subject {
  readonly label: string;
  arbitrary(rng: Random): unknown;
  encode(w: Writer, v: unknown): void;
  decode(buf: Buffer, off: number, len: number): unknown;
}

function codecSubject(label: string, c: Codec<unknown>): Subject {
  return {
    label,
    arbitrary: (rng) => c.arbitrary(rng, {}),
    encode: (w, v) => c.encode(w, v, {}),
    decode: (buf, off, len) => c.decode(buf, off, len, {}),
  };
}

function messageSubject(label: string, m: MessageLike): Subject {
  return {
    label,
    arbitrary: (rng) => ({ header: m.header.arbitrary(rng, {}), attrs: m.attrs.arbitrary(rng, {}) }),
    encode: (w, v) => { const x = v as { header: unknown; attrs: unknown }; m.encode(w, x.header, x.attrs); },
    decode: (buf, off, len) => m.decode(buf, off, len),
  };
}

/** Walk exports for codecs: into plain objects, arrays and Maps, not into codecs themselves. */
function collect(value: unknown, where: string, out: Map<object, Subject>, seen: Set<unknown>, depth: number): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (isCodec(value)) {
    if (!out.has(value)) out.set(value, codecSubject(`${where} (${value.name})`, value));
    return;
  }
  if (isMessage(value)) {
    if (!out.has(value)) out.set(value, messageSubject(`${where} (${value.name})`, value));
    return;
  }
  if (depth >= 4) return;
  if (value instanceof Map) {
    for (const [k, v] of value) collect(v, `${where}[${String(k)}]`, out, seen, depth + 1);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => collect(v, `${where}[${i}]`, out, seen, depth + 1));
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    // Plain objects and module namespaces only: class instances (sockets…) are not schema containers.
    if (proto !== Object.prototype && proto !== null) return;
    for (const [k, v] of Object.entries(value)) collect(v, `${where}.${k}`, out, seen, depth + 1);
  }
}

const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Compiled modules that import the schema module, plus SCHEMA_MODULES. */
function schemaModules(): string[] {
  const found = new Set<string>();
  for (const m of SCHEMA_MODULES) {
    const p = path.join(distRoot, m);
    if (fs.existsSync(p)) found.add(p);
  }
  const codecDir = path.join(distRoot, 'src', 'netlink', 'codec');
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (p !== codecDir) walk(p); continue; }
      if (!e.name.endsWith('.js')) continue;
      // Only modules that are still in the source tree (dist may hold stale files).
      const src = path.join(distRoot, '..', path.relative(distRoot, p)).replace(/\.js$/, '.ts');
      if (!fs.existsSync(src)) continue;
      if (/from ['"][./]*(?:[\w/-]*\/)?codec\/(?:schema|index)\.js['"]/.test(fs.readFileSync(p, 'utf8'))) found.add(p);
    }
  };
  walk(path.join(distRoot, 'src'));
  return [...found].sort();
}

async function discover(): Promise<{ subjects: Subject[]; importErrors: string[] }> {
  const out = new Map<object, Subject>();
  const seen = new Set<unknown>();
  out.set(everything, codecSubject('test.everything', everything as Codec<unknown>));
  out.set(everythingMessage, messageSubject('test.message', everythingMessage as unknown as MessageLike));
  const importErrors: string[] = [];
  for (const file of schemaModules()) {
    const rel = path.relative(distRoot, file);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (e) {
      importErrors.push(`${rel}: ${(e as Error).message}`);
      continue;
    }
    for (const [k, v] of Object.entries(mod)) collect(v, `${rel.replace(/^src\//, '').replace(/\.js$/, '')}:${k}`, out, seen, 0);
  }
  return { subjects: [...out.values()], importErrors };
}

const { subjects, importErrors } = await discover();

function show(v: unknown): string {
  return inspect(v, { depth: 8, maxArrayLength: 16, maxStringLength: 200, breakLength: 120 });
}

test('schema modules import cleanly', () => {
  assert.deepEqual(importErrors, [], `modules that could not be imported for discovery:\n  ${importErrors.join('\n  ')}`);
});

// ---------------------------------------------------------------- (a) round trip

/** Valid encodings kept per subject as fuzz seeds. */
const corpus = new Map<Subject, Buffer[]>();

test('decode(encode(x)) deep-equals x for every schema (2,000 values each)', async (t) => {
  t.diagnostic(`${subjects.length} schemas`);
  for (const [index, s] of subjects.entries()) {
    await t.test(s.label, () => {
      const seed = 0x9e3779b9 ^ (index * 7919);
      const rng = seededRandom(seed);
      const w = new Writer(256);
      const seeds: Buffer[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const v = s.arbitrary(rng);
        w.reset();
        let buf: Buffer | undefined;
        try {
          s.encode(w, v);
          buf = w.toBuffer();
          const back = s.decode(buf, 0, buf.length);
          assert.deepStrictEqual(back, v);
        } catch (e) {
          assert.fail(`${s.label}: round trip failed at iteration ${i} (seed ${seed >>> 0}): ${(e as Error).message}\n`
            + `value: ${show(v)}\nbytes: ${buf?.toString('hex') ?? '(encode threw)'}`);
        }
        if (seeds.length < 64 && i % 16 === 0) seeds.push(buf);
      }
      corpus.set(s, seeds);
    });
  }
});

// ---------------------------------------------------------------- (b) fuzz

/** One mutation of a valid encoding (or pure noise). */
function mutate(rng: Random, seeds: readonly Buffer[], all: readonly Buffer[]): Buffer {
  const base = seeds.length ? seeds[rng.int(seeds.length)]! : Buffer.alloc(0);
  const b = Buffer.from(base);
  const at = (): number => rng.int(Math.max(1, b.length));
  switch (rng.int(9)) {
    case 0: return rng.bytes(rng.int(80));
    case 1: { // flip 1-4 random bytes
      if (b.length) for (let n = 1 + rng.int(4); n > 0; n--) b[at()] = rng.int(256);
      return b;
    }
    case 2: return b.subarray(0, at());
    case 3: return Buffer.concat([b, rng.bytes(1 + rng.int(24))]);
    case 4: { // corrupt a 16-bit length at a 4-aligned offset (attribute headers live there)
      const off = rng.int(Math.max(1, b.length >> 2)) << 2;
      if (off + 2 <= b.length) {
        const choices = [0, 1, 3, 4, 5, 8, 0xffff, b.readUInt16LE(off) + 1, b.readUInt16LE(off) - 1, b.length - off, b.length - off + 4];
        b.writeUInt16LE(choices[rng.int(choices.length)]! & 0xffff, off);
      }
      return b;
    }
    case 5: { // corrupt an attribute type: flags, out-of-range, neighbouring type
      const off = (rng.int(Math.max(1, b.length >> 2)) << 2) + 2;
      if (off + 2 <= b.length) {
        const t = b.readUInt16LE(off);
        const choices = [t ^ NLA_F_NESTED, t ^ 0x4000, (t + 1) & 0xffff, (t - 1) & 0xffff, 0, 0x3fff, rng.int(65536)];
        b.writeUInt16LE(choices[rng.int(choices.length)]!, off);
      }
      return b;
    }
    case 6: { // splice two encodings (possibly of different schemas)
      const other = all.length ? all[rng.int(all.length)]! : rng.bytes(8);
      return Buffer.concat([b.subarray(0, at()), other.subarray(rng.int(Math.max(1, other.length)))]);
    }
    case 7: { // set a 32-bit word to an extreme (message lengths, counts)
      const off = rng.int(Math.max(1, b.length >> 2)) << 2;
      if (off + 4 <= b.length) b.writeUInt32LE([0, 1, 0xffffffff, 0x7fffffff, b.length][rng.int(5)]! >>> 0, off);
      return b;
    }
    default: { // delete a range
      const from = at();
      return Buffer.concat([b.subarray(0, from), b.subarray(from + 1 + rng.int(16))]);
    }
  }
}

interface Outcome { value?: unknown; error?: unknown }

function outcome(s: Subject, buf: Buffer, off: number, len = buf.length - off): Outcome {
  try { return { value: s.decode(buf, off, len) }; } catch (e) { return { error: e }; }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Both decoded to deep-equal values, or both failed with the same ParseError reason. */
function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.error || b.error) {
    return a.error instanceof ParseError && b.error instanceof ParseError && a.error.reason === b.error.reason;
  }
  try { assert.deepStrictEqual(a.value, b.value); return true; } catch { return false; }
}

test('decoders throw only ParseError on random and mutated inputs (250,000)', (t) => {
  // Seeds from the round-trip test; subjects it did not reach get fresh ones.
  const rng = seededRandom(0xc0dec);
  const w = new Writer(256);
  for (const s of subjects) {
    if (corpus.has(s)) continue;
    const seeds: Buffer[] = [];
    for (let i = 0; i < 32; i++) {
      try { w.reset(); s.encode(w, s.arbitrary(rng)); seeds.push(w.toBuffer()); } catch { /* reported by the round-trip test */ }
    }
    corpus.set(s, seeds);
  }
  const all = [...corpus.values()].flat();
  const failures: string[] = [];
  const started = Date.now();
  let runs = 0;
  let parseErrors = 0;
  const report = (s: Subject, input: Buffer, what: string): void => {
    if (failures.length < 10) failures.push(`${s.label}: ${what}\n    input (${input.length} bytes): ${input.toString('hex').slice(0, 512)}`);
  };
  outer: while (runs < FUZZ_MIN) {
    for (const s of subjects) {
      // 1-3 stacked mutations, so e.g. a shortened attribute can also end up last.
      let input = mutate(rng, corpus.get(s) ?? [], all);
      for (let n = rng.int(3); n > 0; n--) input = mutate(rng, [input], all);
      // Exact-size buffer: a read past the end throws RangeError.
      const first = outcome(s, input, 0);
      if (first.error && !(first.error instanceof ParseError)) report(s, input, describe(first.error));
      else {
        if (first.error) parseErrors++;
        // Same input at an offset, followed by other bytes: the result must not change
        // (a decoder must not look outside [off, off + len)).
        const prefix = 1 + rng.int(7);
        const second = outcome(s, Buffer.concat([rng.bytes(prefix), input, rng.bytes(1 + rng.int(16))]), prefix, input.length);
        if (second.error && !(second.error instanceof ParseError)) report(s, input, `at an offset: ${describe(second.error)}`);
        else if (!sameOutcome(first, second)) report(s, input, `result depends on bytes outside the input: ${show(first.value ?? first.error)} vs ${show(second.value ?? second.error)}`);
      }
      runs++;
      if ((runs & 1023) === 0 && Date.now() - started > FUZZ_BUDGET_MS) break outer;
    }
  }
  t.diagnostic(`${runs} inputs over ${subjects.length} decoders in ${Date.now() - started} ms; ${parseErrors} ParseErrors`);
  if (runs < FUZZ_MIN) t.diagnostic(`time budget of ${FUZZ_BUDGET_MS} ms reached before ${FUZZ_MIN} inputs`);
  assert.deepEqual(failures, [], `decoders threw something other than ParseError:\n  ${failures.join('\n  ')}`);
});
