/**
 * Every constant the project defines must equal the kernel UAPI headers.
 *
 * Generic over CONSTANT_GROUPS: every compiled module under dist/src that calls
 * `constants('PREFIX_', [...headers], {...})` is imported, so groups added later
 * anywhere are checked without touching this test. We generate one C file that
 * includes every header named by a group and prints `NAME value` for each
 * `prefix + key`, compile it with `cc` and compare. Many constants are enum
 * members, which `#ifdef` cannot see, so a name the headers lack shows up as a
 * compile error ("'X' undeclared"); those are collected, reported as failures,
 * and the program is recompiled without them so the rest is still checked.
 *
 * errno.ts's table is checked the same way against the C library: each name's
 * value, strerror()'s text, and that no errno glibc knows is missing.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONSTANT_GROUPS } from '../../src/netlink/constants.js';
import { ERRNO_TABLE, errnoNumber } from '../../src/netlink/errno.js';

const distSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

/** Compiled modules that register constant groups (found by their `constants('…'` calls). */
function constantModules(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js') && /\bconstants\(\s*['"`]/.test(fs.readFileSync(p, 'utf8'))) out.push(p);
    }
  };
  walk(distSrc);
  return out.sort();
}

function hasCompiler(): boolean {
  const r = spawnSync('cc', ['--version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

interface CResult { values: Map<string, string>; undeclared: string[] }

/**
 * Compile and run `main` (a C function body) with `headers` included; names
 * reported undeclared are dropped (via `skip`) and the program is rebuilt.
 */
function runC(headers: readonly string[], lines: (skip: ReadonlySet<string>) => string[]): CResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rip-constants-'));
  const undeclared = new Set<string>();
  try {
    for (let attempt = 0; attempt < 6; attempt++) {
      const src = [
        ...headers.map((h) => `#include <${h}>`),
        '#include <stdio.h>', '#include <string.h>', '#include <errno.h>',
        'int main(void) {',
        ...lines(undeclared).map((l) => `  ${l}`),
        '  return 0;', '}', '',
      ].join('\n');
      const c = path.join(dir, 'check.c');
      const exe = path.join(dir, 'check');
      fs.writeFileSync(c, src);
      const cc = spawnSync('cc', ['-w', '-fmax-errors=0', '-o', exe, c], { encoding: 'utf8' });
      if (cc.status !== 0) {
        // gcc: ‘X’ undeclared / 'X' undeclared; clang: use of undeclared identifier 'X'
        const found = [...cc.stderr.matchAll(/[‘'](\w+)[’'] undeclared|undeclared identifier [‘'](\w+)[’']/g)].map((m) => m[1] ?? m[2]!);
        const fresh = found.filter((n) => !undeclared.has(n));
        if (fresh.length === 0) throw new Error(`cannot compile the header check:\n${cc.stderr.slice(0, 4000)}`);
        for (const n of fresh) undeclared.add(n);
        continue;
      }
      const run = spawnSync(exe, [], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`header check program failed: ${run.stderr}`);
      const values = new Map<string, string>();
      for (const line of run.stdout.split('\n')) {
        const tab = line.indexOf('\t');
        if (tab > 0) values.set(line.slice(0, tab), line.slice(tab + 1));
      }
      return { values, undeclared: [...undeclared].sort() };
    }
    throw new Error(`too many rounds of undeclared names: ${[...undeclared].join(', ')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function needCompiler(t: TestContext): boolean {
  if (hasCompiler()) return true;
  t.skip('needs a C compiler (cc) to read the UAPI headers');
  return false;
}

test('every registered constant matches the UAPI headers', async (t) => {
  if (!needCompiler(t)) return;
  for (const m of constantModules()) await import(pathToFileURL(m).href);
  assert.ok(CONSTANT_GROUPS.length > 0, 'no constant groups registered');

  const headers = new Set<string>(['sys/socket.h']);
  for (const g of CONSTANT_GROUPS) for (const h of g.headers) headers.add(h);
  headers.add('linux/netlink.h');
  headers.add('linux/rtnetlink.h');

  // name -> the values the project gives it (a name may be defined in two groups).
  const expected = new Map<string, Array<{ value: number; group: string }>>();
  for (const g of CONSTANT_GROUPS) {
    for (const [key, value] of Object.entries(g.values)) {
      const name = g.prefix + key;
      const list = expected.get(name) ?? [];
      list.push({ value, group: g.prefix });
      expected.set(name, list);
    }
  }
  const names = [...expected.keys()];
  const { values, undeclared } = runC([...headers], (skip) =>
    names.filter((n) => !skip.has(n)).map((n) => `printf("%s\\t%lld\\n", "${n}", (long long)(${n}));`));

  const problems: string[] = [];
  for (const n of undeclared) {
    const where = new Set(CONSTANT_GROUPS.filter((g) => n.startsWith(g.prefix) && (n.slice(g.prefix.length) in g.values)).flatMap((g) => g.headers));
    problems.push(`${n}: not defined in the headers (group headers: ${[...where].join(', ')})`);
  }
  for (const [name, defs] of expected) {
    const got = values.get(name);
    if (got === undefined) continue;
    for (const d of defs) {
      if (String(d.value) !== got) problems.push(`${name}: project says ${d.value}, headers say ${got} (group ${d.group})`);
    }
  }
  t.diagnostic(`${names.length} constants in ${CONSTANT_GROUPS.length} groups checked against ${headers.size} headers`);
  assert.deepEqual(problems, [], `constants that disagree with the UAPI headers:\n  ${problems.join('\n  ')}`);
});

test('errno table matches the C library (values, strerror texts, completeness)', (t) => {
  if (!needCompiler(t)) return;
  const aliases = ['EWOULDBLOCK', 'EDEADLOCK', 'EOPNOTSUPP', 'ENOTSUP'];
  const names = [...new Set([...ERRNO_TABLE.map(([, n]) => n), ...aliases])];
  const { values, undeclared } = runC([], (skip) => [
    ...names.filter((n) => !skip.has(n)).map((n) => `printf("%s\\t%d\\n", "${n}", ${n});`),
    'for (int i = 1; i < 512; i++) printf("#%d\\t%s\\n", i, strerror(i));',
  ]);
  const problems: string[] = undeclared.map((n) => `${n}: not an errno name in <errno.h>`);
  const inTable = new Set<number>();
  for (const [num, name, text] of ERRNO_TABLE) {
    inTable.add(num);
    const v = values.get(name);
    if (v !== undefined && v !== String(num)) problems.push(`${name}: table says ${num}, <errno.h> says ${v}`);
    const s = values.get(`#${num}`);
    if (s !== text) problems.push(`${num} (${name}): table text "${text}", strerror() "${s ?? '?'}"`);
  }
  for (const alias of aliases) {
    const v = values.get(alias);
    if (v !== undefined && String(errnoNumber(alias)) !== v) problems.push(`errnoNumber('${alias}') = ${String(errnoNumber(alias))}, <errno.h> says ${v}`);
  }
  for (const [key, text] of values) {
    if (!key.startsWith('#') || text.startsWith('Unknown error')) continue;
    const num = Number(key.slice(1));
    if (!inTable.has(num)) problems.push(`${num}: "${text}" is known to the C library but missing from the table`);
  }
  assert.deepEqual(problems, [], `errno table disagrees with the C library:\n  ${problems.join('\n  ')}`);
});
