#!/usr/bin/env node
/**
 * `npm run test:vm`: run the tests that need a full kernel (files named
 * `*.vm.test.ts`) inside a qemu VM booting Debian's stock 6.1 kernel:
 *
 *   ../shared/kernel-vm/run-in-vm.sh --timeout 3000 -- node test/run.js --only-vm
 *
 * run-in-vm.sh is looked up in $RIP_KERNEL_VM (the script itself or its
 * directory), then at ../shared/kernel-vm/ relative to the repo root. When it
 * is missing this prints why and exits 0 with a "skipped: no kernel-vm" line,
 * so machines without the VM are not failed for it.
 *
 * SLOW: where /dev/kvm is unusable (here it is PVM, see the kernel-vm README)
 * qemu runs under TCG emulation, 10-25x slower than the host: boot takes
 * ~4 s, each node process start ~1-2 s, CPU-bound code 11-30x longer. Only
 * `.vm.` tests run there, one file at a time; give them generous timeouts.
 * Extra arguments are passed to run-in-vm.sh before `--` (e.g. --verbose).
 * The exit status is run-in-vm.sh's: the tests' own, 124 on timeout, 125 if the VM failed.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function findScript() {
  const env = process.env.RIP_KERNEL_VM;
  const candidates = [];
  if (env) candidates.push(env.endsWith('.sh') ? env : path.join(env, 'run-in-vm.sh'));
  candidates.push(path.resolve(root, '..', 'shared', 'kernel-vm', 'run-in-vm.sh'));
  return { found: candidates.find((c) => fs.existsSync(c)), candidates };
}

const { found, candidates } = findScript();
if (!found) {
  console.log(`run-in-vm.sh not found (looked at ${candidates.join(', ')}; set RIP_KERNEL_VM to its directory)`);
  console.log('skipped: no kernel-vm');
  process.exit(0);
}

const args = [found, '--timeout', '3000', ...process.argv.slice(2), '--', process.execPath, 'test/run.js', '--only-vm'];
console.log(`# ${['bash', ...args].join(' ')}`);
console.log('# (TCG emulation when KVM is unusable: expect 10-25x slower than the host)');
const child = spawn('bash', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
