#!/usr/bin/env node
/**
 * The one test runner (`npm test` = `tsc && node test/run.js`).
 *
 * Runs `node --test` over the compiled tests in dist/test/{unit,integration,cli}.
 * Node 20's --test does not glob, so files are found here. Unit tests run with
 * node's default file concurrency; integration and CLI tests run one file at a
 * time (--test-concurrency=1) because they create namespaces, load kernel
 * modules and compare against iproute2, where parallel runs only add flakiness.
 *
 * Output: the spec reporter streams to stdout; a tiny extra reporter (written
 * to a temp file, so the repo needs no reporter module) records skipped tests
 * and node's summary counters as JSON lines. At the end we print one combined
 * summary in node's TAP form (`# pass N`, `# fail N`, `# skipped N`, …) and the
 * list of skipped tests with their reasons, so "what did not run here, and why"
 * is never lost in the scroll.
 *
 * Options:
 *   --only-vm              only files whose name contains `.vm.` (run inside the
 *                          full-kernel VM by `npm run test:vm`)
 *   RIP_TEST_FILTER=text   only files whose path contains `text`
 *
 * Only compiled files whose TypeScript source still exists are run, so a test
 * deleted from test/ does not keep running from a stale dist/.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const onlyVm = process.argv.includes('--only-vm');
const filter = process.env.RIP_TEST_FILTER ?? '';
for (const a of process.argv.slice(2)) {
  if (a !== '--only-vm') {
    console.error(`test/run.js: unknown argument "${a}" (usage: node test/run.js [--only-vm]; env RIP_TEST_FILTER=substring)`);
    process.exit(2);
  }
}

/** Recursively list dist/test/<dir>/**\/*.test.js that still have a .ts source. */
function findTests(dir) {
  const out = [];
  const walk = (d) => {
    let entries;
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.js')) {
        const src = path.join(root, path.relative(path.join(root, 'dist'), p)).replace(/\.js$/, '.ts');
        if (fs.existsSync(src)) out.push(p);
      }
    }
  };
  walk(path.join(root, 'dist', 'test', dir));
  return out;
}

const select = (files) => files.filter((f) => {
  const rel = path.relative(root, f);
  if (onlyVm && !path.basename(f).includes('.vm.')) return false;
  return !filter || rel.includes(filter);
});

const groups = [
  { label: 'unit', files: select(findTests('unit')), serial: false },
  { label: 'integration + cli', files: select([...findTests('integration'), ...findTests('cli')]), serial: true },
].filter((g) => g.files.length > 0);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rip-test-run-'));
const reporter = path.join(tmp, 'record-reporter.mjs');
// Records skips (with the file they came from) and node's summary counters.
fs.writeFileSync(reporter, `
export default async function* record(source) {
  for await (const ev of source) {
    const d = ev.data ?? {};
    if ((ev.type === 'test:pass' || ev.type === 'test:fail') && d.skip !== undefined && d.skip !== false) {
      yield JSON.stringify({ skip: true, file: d.file ?? '', name: d.name, reason: d.skip === true ? '' : String(d.skip) }) + '\\n';
    } else if (ev.type === 'test:diagnostic' && (d.nesting ?? 0) === 0) {
      const m = /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ([\\d.]+)$/.exec(d.message ?? '');
      if (m) yield JSON.stringify({ counter: m[1], value: Number(m[2]) }) + '\\n';
    }
  }
}
`);

function runGroup(group, index) {
  const record = path.join(tmp, `record-${index}.jsonl`);
  const args = [
    '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${reporter}`, `--test-reporter-destination=${record}`,
  ];
  if (group.serial) args.push('--test-concurrency=1');
  // A hung test fails after 5 minutes instead of stalling the whole run (CI has 90).
  // In the VM (software emulation, 10-25x slower) a whole file gets 25 minutes.
  args.push(`--test-timeout=${process.env.RIP_TEST_TIMEOUT ?? (onlyVm ? 1500000 : 300000)}`);
  args.push(...group.files);
  console.log(`\n# ${group.label}: ${group.files.length} file(s)`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), record }));
  });
}

const counters = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0, duration_ms: 0 };
const skips = [];
let exitCode = 0;

if (groups.length === 0) {
  console.log(`# no test files matched${onlyVm ? ' (--only-vm: names containing ".vm.")' : ''}${filter ? ` (RIP_TEST_FILTER=${filter})` : ''}`);
}
for (const [i, g] of groups.entries()) {
  const { code, record } = await runGroup(g, i);
  if (code !== 0 && exitCode === 0) exitCode = code;
  let text = '';
  try { text = fs.readFileSync(record, 'utf8'); } catch { /* node died before reporting */ }
  for (const line of text.split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (r.skip) skips.push(r);
    else if (r.counter in counters) counters[r.counter] += r.value;
  }
}
fs.rmSync(tmp, { recursive: true, force: true });

if (skips.length) {
  console.log(`\n# skipped tests (${skips.length}):`);
  for (const s of skips) {
    // Name the TypeScript source, which is what a reader edits.
    const abs = s.file.startsWith('file:') ? fileURLToPath(s.file) : s.file;
    const file = abs ? path.relative(path.join(root, 'dist'), abs).replace(/\.js$/, '.ts') : '';
    console.log(`#   ${file ? file + ': ' : ''}${s.name}${s.reason ? ' — ' + s.reason : ''}`);
  }
}
console.log('');
for (const [k, v] of Object.entries(counters)) console.log(`# ${k} ${k === 'duration_ms' ? v.toFixed(1) : v}`);
if (exitCode === 0 && counters.fail > 0) exitCode = 1;
process.exit(exitCode);
