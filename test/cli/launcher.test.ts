/**
 * bin/rip.js runs each command from its bundle (dist/cli/<name>.cjs) with a
 * V8 code cache, and falls back to the compiled ES modules when the bundle is
 * missing or older than the last tsc run. Both paths must behave the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/golden.js';

const ROOT = repoRoot();
const BIN = path.join(ROOT, 'bin', 'rip.js');

function run(args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Runs the unbundled command module directly, as the fallback does. */
function runUnbundled(name: string, main: string, args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const mod = path.join(ROOT, 'dist', 'src', 'cli', name, 'main.js');
  const code = `import(${JSON.stringify(mod)}).then((m) => m.${main}(process.argv.slice(1))).then((c) => { process.exitCode = c; })`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code, '--', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const PROGRAMS: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['ip', 'ipMain', ['-V']],
  ['ip', 'ipMain', ['link', 'help']],
  ['ip', 'ipMain', ['-j', 'route', 'show', 'table', 'nonsense']],
  ['tc', 'tcMain', ['-V']],
  ['tc', 'tcMain', ['qdisc', 'add', 'dev', 'lo', 'root', 'htb', 'r2q', 'x']],
  ['ss', 'ssMain', ['-V']],
  ['ss', 'ssMain', ['state', 'bogus']],
];

test('the build leaves a fresh bundle of every command', () => {
  const built = statSync(path.join(ROOT, 'dist', '.tsbuildinfo')).mtimeMs;
  for (const name of ['ip', 'tc', 'ss']) {
    const bundle = path.join(ROOT, 'dist', 'cli', `${name}.cjs`);
    assert.ok(existsSync(bundle), `${bundle} missing: npm run build bundles the CLI`);
    assert.ok(statSync(bundle).mtimeMs >= built, `${bundle} is older than the last tsc run: bin/rip.js would not use it`);
  }
});

for (const [name, main, args] of PROGRAMS) {
  test(`bundled and unbundled \`${name} ${args.join(' ')}\` behave the same`, () => {
    const bundled = run([name, ...args]);
    const plain = runUnbundled(name, main, args);
    assert.deepEqual(bundled, plain);
  });
}

test('invoked without a known program, rip prints its usage and exits 1', () => {
  const r = run(['bogus']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'Usage: rip { ip | tc | ss } [ OPTIONS ] ...\n');
});
