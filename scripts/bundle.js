#!/usr/bin/env node
// Bundles each command (ip, tc, ss) of the compiled CLI into one CommonJS
// file, dist/cli/<name>.cjs, that bin/rip.js loads through a V8 code cache.
//
// Why: `ip addr show` used to load ~120 ES modules; resolving, reading and
// compiling them one by one was most of rip's start-up (≈100 ms above
// `node -e 0`). One file plus a code cache makes it ≈25 ms.
//
// Run after `tsc` (npm run build does both); it reads dist/src, not src.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli`;
const PROGRAMS = { ip: 'ipMain', tc: 'tcMain', ss: 'ssMain' };

mkdirSync(outdir, { recursive: true });
await Promise.all(Object.entries(PROGRAMS).map(async ([name, main]) => {
  const outfile = `${outdir}/${name}.cjs`;
  // Code caches (dist/cli/<name>.cjs.<object>.cache) belong to the previous bundle.
  for (const f of readdirSync(outdir)) if (f.startsWith(`${name}.cjs.`) && f.endsWith('.cache')) rmSync(`${outdir}/${f}`, { force: true });
  await build({
    stdin: { contents: `export { ${main} as main } from './${name}/main.js';`, resolveDir: `${root}dist/src/cli`, sourcefile: `${name}-entry.js` },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
    // Without comments and indentation the bundle is about half the size,
    // and ASCII-only (esbuild escapes the rest) it reads as latin1 into a
    // one-byte string: a few non-ASCII characters in comments made the
    // whole 1.3 MB source two-byte, decoded as UTF-8 at every start.
    // Identifiers are kept (stack traces and class names stay readable).
    minifyWhitespace: true,
    legalComments: 'none',
    charset: 'ascii',
    // import.meta does not exist in CommonJS: give native.ts this file's URL
    // and the addon's path relative to it (dist/cli/ → build/Release/).
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__bundleUrl', RIP_ADDON_PATH: JSON.stringify('../../build/Release/rip.node') },
  });
  // bin/rip.js reads the bundle as latin1, which equals UTF-8 only for ASCII.
  const bytes = readFileSync(outfile);
  const at = bytes.findIndex((b) => b > 0x7f);
  if (at >= 0) throw new Error(`${outfile}: byte ${at} is not ASCII (bin/rip.js reads bundles as latin1)`);
}));
