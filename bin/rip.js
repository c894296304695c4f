#!/usr/bin/env node
// Entry point for rip, rip-ip, rip-tc, rip-ss, and symlinks named ip/tc/ss:
// `rip ip …` or, invoked as `rip-ip`/`ip`, the `ip` command itself.
//
// Start-up is most of a small command's run time, so this file stays tiny: it
// loads the command's bundle (dist/cli/<name>.cjs, made by scripts/bundle.js)
// through a V8 code cache kept next to it (one per object: ip route, tc class …), so that neither module resolution
// nor compilation of already-seen code is paid again. Without a bundle, or
// when dist/src was recompiled after it was made, it runs the compiled ES
// modules in dist/src instead (same code, slower start).
//
// It is CommonJS (bin/package.json): an ES module entry point costs Node its
// ES module loader (~5 ms of CPU) before the first line runs.
'use strict';
const { readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { basename, join } = require('node:path');
const { Script } = require('node:vm');

const PROGRAMS = { ip: 'ipMain', tc: 'tcMain', ss: 'ssMain' };
const dist = join(__dirname, '..', 'dist') + '/';

/**
 * V8 flags of a program, set before its code is compiled (they are part of a
 * code cache's key, so each cache is written and read under the same flags).
 * tc: TurboFan without inlining. `tc -s class show` with 10,000-30,000 classes
 * spent a fifth to a third of its CPU time in TurboFan compiling the
 * renderers with all they call inlined (on the other core, which the kernel
 * or other processes want), more than the inlining saved in a run of well
 * under a second; without it, CPU time fell by 5-20% (bench/README.md, tc).
 * ss: the same. `ss -ti` with 20,000 sockets spent as much CPU in TurboFan
 * (on the core its dump's reader thread wants) as in printing; without
 * inlining, -ti 10k took ~15% less CPU and -tan 10k/50k ~5% less, and less
 * wall time on a busy machine (bench/README.md, ss).
 */
const V8_FLAGS = { tc: '--no-turbo-inlining', ss: '--no-turbo-inlining' };

/** mtime of a file, or -1 if it does not exist. */
function mtime(file) {
  try { return statSync(file).mtimeMs; } catch { return -1; }
}

/** Objects of each program, in the programs' matching order (for code cache names only). */
const OBJECTS = {
  ip: ['address', 'addrlabel', 'maddress', 'route', 'rule', 'neighbor', 'neighbour', 'ntable', 'link', 'l2tp',
    'tuntap', 'tap', 'tcp_metrics', 'tcpmetrics', 'monitor', 'mroute', 'mrule', 'netns', 'netconf', 'vrf', 'nexthop'],
  tc: ['qdisc', 'class', 'filter', 'chain', 'actions', 'monitor'],
  ss: [],
};

/**
 * Which code cache a command uses: one per object (`ip route …`, `tc class …`),
 * because a cache holds the functions that the run which wrote it compiled,
 * and `ip route` shares little of that with `ip link`. The first argument that
 * abbreviates an object names it (an option's value may match by chance: that
 * only picks another cache); anything else shares the program's default.
 */
function cacheKey(name, argv) {
  for (const a of argv) {
    if (a.startsWith('-') || !/^[a-z_]+$/.test(a)) continue;
    const object = OBJECTS[name].find((o) => o.startsWith(a));
    if (object !== undefined) return object;
  }
  return 'default';
}

/**
 * Runs a CommonJS bundle with a code cache; returns its exports. Bundles are
 * ASCII (scripts/bundle.js checks), so they are read as latin1: a one-byte
 * string made by a copy, where UTF-8 decoding cost ~4 ms for ip's bundle.
 */
function loadBundle(file, key) {
  const cacheFile = `${file}.${key}.cache`;
  let cachedData;
  try { cachedData = readFileSync(cacheFile); } catch { /* first run */ }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'latin1')}\n})`, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written at exit so that it includes the functions this run compiled;
    // best effort (the package may be read-only), atomically (runs race).
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch { /* no cache then */ }
    });
  }
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, join(file, '..'));
  return bundle.exports;
}

async function loadMain(name, argv) {
  // node:v8 is loaded only here: it brings Node's stream modules along (~2 ms).
  if (Object.hasOwn(V8_FLAGS, name)) require('node:v8').setFlagsFromString(V8_FLAGS[name]);
  const bundle = `${dist}cli/${name}.cjs`;
  const bundled = mtime(bundle);
  if (bundled >= 0 && bundled >= mtime(`${dist}.tsbuildinfo`)) return loadBundle(bundle, cacheKey(name, argv)).main;
  return (await import(`${dist}src/cli/${name}/main.js`))[PROGRAMS[name]];
}

/**
 * `ss -p`/`-T` wait for a walk of /proc (which process holds which socket,
 * on native threads: ProcScan, see src/sockdiag/procs.ts). Started here,
 * the walk also runs while the bundle is read and compiled (10-15 ms);
 * startProcessScan adopts it when ss asks for the same walk (and stops it
 * when not). Only what is certain is read from the command line: clusters of
 * short options, skipping the arguments of f, A, D, F and N, and the long
 * options in full; anything else leaves the start to ss itself.
 */
function prestartSsProcScan(argv) {
  let processes = false, threads = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === '--processes') processes = true;
    else if (a === '--threads') threads = true;
    else if (a.length > 1 && a[0] === '-' && a[1] !== '-') {
      for (let k = 1; k < a.length; k++) {
        const c = a[k];
        if ('fADFN'.includes(c)) { if (k === a.length - 1) i++; break; }
        if (c === 'p') processes = true;
        else if (c === 'T') threads = true;
      }
    }
  }
  if (!processes && !threads) return;
  try {
    const addon = require(join(__dirname, '..', 'build', 'Release', 'rip.node'));
    if (typeof addon.ProcScan !== 'function') return;
    // ss's root: $PROC_ROOT or /proc/, with a trailing '/' (startProcessScan compares it).
    let root = process.env.PROC_ROOT ?? '/proc/';
    if (!root.endsWith('/')) root += '/';
    globalThis[Symbol.for('rip.ss.procScan')] = { root, threads, scan: new addon.ProcScan(root, threads, null, 0) };
  } catch { /* ss starts it (or walks in JS) */ }
}

async function main() {
  const invoked = basename(process.argv[1] ?? 'rip').replace(/\.js$/, '');
  let name = invoked.startsWith('rip-') ? invoked.slice(4) : invoked;
  let argv = process.argv.slice(2);
  if (!Object.hasOwn(PROGRAMS, name)) {
    name = argv[0] ?? '';
    argv = argv.slice(1);
  }
  if (!Object.hasOwn(PROGRAMS, name)) {
    process.stderr.write('Usage: rip { ip | tc | ss } [ OPTIONS ] ...\n');
    return 1;
  }
  if (name === 'ss') prestartSsProcScan(argv);
  return (await loadMain(name, argv))(argv);
}

main().then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`rip: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
