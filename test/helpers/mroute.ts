/**
 * Multicast forwarding cache entries for tests: a python3 helper in the
 * namespace opens multicast routing sockets, adds the entries and keeps them
 * while it runs (they vanish with its sockets).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './golden.js';
import type { TestNetns } from './netns.js';

/** What to create: see test/helpers/mroute-entries.py. */
export interface MrouteConfig {
  readonly v4?: ReadonlyArray<{ readonly table?: number; readonly vifs: readonly string[]; readonly mfcs: ReadonlyArray<readonly [string, string, number, readonly number[]]> }>;
  readonly v6?: ReadonlyArray<{ readonly mifs: readonly string[]; readonly mfcs: ReadonlyArray<readonly [string, string, number, readonly number[]]> }>;
}

/** Held entries; `stop()` removes them. */
export interface HeldMroutes { stop(): Promise<void> }

/** Create the entries in `ns` and resolve once they exist. */
export async function holdMroutes(ns: TestNetns, cfg: MrouteConfig): Promise<HeldMroutes> {
  const script = path.join(repoRoot(), 'test', 'helpers', 'mroute-entries.py');
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns.name, 'python3', script, JSON.stringify(cfg)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`mroute helper exited (${code}): ${err}`)));
  });
  return {
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      child.on('exit', () => resolve());
      child.stdin!.end();
    }),
  };
}
