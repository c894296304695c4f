/**
 * The `rip` multi-call entry point: `rip ip …`, `rip tc …`, `rip ss …`, or
 * invoked as `rip-ip`/`ip` (argv[0] basename) to behave as that command.
 * @module
 */
import { basename } from 'node:path';

type Main = (argv: string[]) => Promise<number>;

const PROGRAMS: Record<string, () => Promise<Main>> = {
  ip: async () => (await import('./ip/main.js')).ipMain,
};

/** Register another program (tc, ss) without this file importing it eagerly. */
export function registerProgram(name: string, load: () => Promise<Main>): void {
  PROGRAMS[name] = load;
}

async function main(): Promise<number> {
  const invoked = basename(process.argv[1] ?? 'rip').replace(/\.js$/, '');
  let name = invoked.startsWith('rip-') ? invoked.slice(4) : invoked;
  let argv = process.argv.slice(2);
  if (!(name in PROGRAMS) && !(name === 'tc' || name === 'ss')) {
    name = argv[0] ?? '';
    argv = argv.slice(1);
  }
  if (name === 'tc' && !('tc' in PROGRAMS)) {
    try { PROGRAMS.tc = async () => (await import('./tc/main.js' as string) as { tcMain: Main }).tcMain; } catch { /* absent */ }
  }
  if (name === 'ss' && !('ss' in PROGRAMS)) {
    try { PROGRAMS.ss = async () => (await import('./ss/main.js' as string) as { ssMain: Main }).ssMain; } catch { /* absent */ }
  }
  const load = PROGRAMS[name];
  if (!load) {
    process.stderr.write('Usage: rip { ip | tc | ss } [ OPTIONS ] ...\n');
    return 1;
  }
  return (await load())(argv);
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`rip: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
