/**
 * The tc command loads kind modules by name through KIND_LOADERS: every kind
 * module in src/tc/kinds must be listed, and each loader must register the
 * kind it is listed under (a missing entry would make `tc` treat a kind rip
 * has as unknown).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { KIND_LOADERS } from '../../src/tc/kinds/loaders.js';
import { qdiscKind } from '../../src/tc/kind.js';

const NOT_KIND_MODULES = new Set(['index', 'loaders', 'unknown', 'util']);

test('every kind module of src/tc/kinds has a loader', () => {
  const dir = new URL('../../src/tc/kinds/', import.meta.url);
  const modules = readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)).filter((f) => !NOT_KIND_MODULES.has(f));
  assert.ok(modules.length >= 20, `found only ${modules.length} kind modules in ${dir.pathname}`);
  const loaded = new Set(Object.values(KIND_LOADERS).map((f) => /import\('\.\/([a-z_]+)\.js'\)/.exec(f.toString())?.[1]));
  for (const m of modules) assert.ok(loaded.has(m), `src/tc/kinds/${m}.ts has no entry in KIND_LOADERS`);
});

test('each loader registers the kind it is listed under', async () => {
  for (const [name, load] of Object.entries(KIND_LOADERS)) {
    await load();
    assert.ok(qdiscKind(name), `loading KIND_LOADERS.${name} did not register kind ${name}`);
  }
});
