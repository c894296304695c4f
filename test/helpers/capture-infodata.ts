/**
 * Capture a link's IFLA_INFO_DATA bytes as the kernel reports them, after a
 * setup, into test/fixtures/golden/<suite>-current.json ({ cmd: hex }): what
 * `ip link set DEV type KIND …` starts from (iproute2 reads it with
 * RTM_GETLINK). Used with capture-golden.ts for the same cmd and setup.
 *
 * Usage (as root; compiled to dist/test/helpers/capture-infodata.js):
 * ```
 * node dist/test/helpers/capture-infodata.js <suite> <dev> [--setup "ip link add ..."]... -- ip link set DEV type gre ttl 9
 * ```
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTestNetns } from './netns.js';
import { repoRoot } from './golden.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { infoDataBytes } from '../../src/cli/ip/link.js';

async function main(args: string[]): Promise<void> {
  const [suite, dev] = args;
  if (!suite || !dev) throw new Error('usage: capture-infodata <suite> <dev> [--setup CMD]... -- COMMAND...');
  const setup: string[] = [];
  let cmd: string[] = [];
  for (let i = 2; i < args.length; i++) {
    if (args[i] === '--setup') setup.push(args[++i]!);
    else if (args[i] === '--') { cmd = args.slice(i + 1); break; }
  }
  const ns = createTestNetns('rip-golden');
  try {
    for (const s of setup) {
      const r = ns.run('sh', ['-c', s]);
      if (r.status !== 0) throw new Error(`setup "${s}" failed: ${r.stderr.trim()}`);
    }
    const nl = await Netlink.open({ netns: ns.name });
    try {
      const index = (await nl.link.get(dev)).ifindex;
      const bytes = (await infoDataBytes(nl)).get(index);
      if (!bytes) throw new Error(`${dev} has no IFLA_INFO_DATA`);
      const file = path.join(repoRoot(), 'test', 'fixtures', 'golden', `${suite}-current.json`);
      const all = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string> : {};
      all[cmd.join(' ')] = bytes.toString('hex');
      fs.writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
      process.stderr.write(`${file}: ${cmd.join(' ')}: ${bytes.length} bytes\n`);
    } finally {
      nl.close();
    }
  } finally {
    ns.cleanup();
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`capture-infodata: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
