/**
 * Example: list listening TCP and UDP sockets with the processes that own
 * them, like `ss -tulpn`, using rip/sockdiag.
 *
 * Run (as root to see other users' processes):
 *   npx tsc -p tsconfig.json && node dist/examples/listening-sockets.js [NETNS]
 */
import { SockDiag, scanProcesses, type InetSocket } from '../src/sockdiag/index.js';

async function main(): Promise<void> {
  const netns = process.argv[2];
  await using sd = await SockDiag.open(netns ? { netns } : {});
  const sockets: InetSocket[] = [
    ...await sd.tcp({ states: ['listening'] }).toArray(),
    ...await sd.udp({ states: ['unconnected'] }).toArray(),
  ];
  const owners = scanProcesses({ only: new Set(sockets.map((s) => s.inode)) });
  for (const s of sockets) {
    const addr = s.family === 10 ? `[${s.localAddress}]` : s.localAddress;
    const who = (owners.get(s.inode) ?? []).map((o) => `${o.command}(${o.pid})`).join(',') || '-';
    console.log(`${s.netid.padEnd(4)} ${`${addr}:${s.localPort}`.padEnd(30)} ${who}`);
  }
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
