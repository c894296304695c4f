/**
 * Run every benchmark of every area: each compiled `dist/bench/*.js` except
 * this runner and helpers whose name starts with `_`, one after another, each
 * in its own process with its default arguments, output streamed. Exit status
 * is non-zero if any benchmark failed.
 *
 * `npm run bench` (= `tsc -p tsconfig.json && node dist/bench/run.js`);
 * `node dist/bench/run.js route` runs only benchmarks whose name contains "route".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'run.js' && !f.startsWith('_') && f.includes(filter))
  .sort();
let failed = 0;
for (const f of benches) {
  process.stdout.write(`\n=== ${f.replace(/\.js$/, '')} (${new Date().toISOString()})\n`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(here, f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
  process.stdout.write(`=== ${f.replace(/\.js$/, '')}: ${r.status === 0 ? 'done' : `FAILED (status ${String(r.status)})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(`\n${benches.length - failed} of ${benches.length} benchmarks completed\n`);
process.exitCode = failed ? 1 : 0;
