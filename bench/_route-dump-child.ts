/**
 * Child of route-dump.ts: dump every IPv4 route of the main table of a
 * namespace through the library (nl.route.list, streamed in batches) and
 * print the count and this process's peak RSS as JSON.
 *
 * `node dist/bench/_route-dump-child.js NETNS`
 * @module
 */
import { Netlink } from '../src/netlink/netlink.js';

const netns = process.argv[2];
if (!netns) throw new Error('usage: _route-dump-child.js NETNS');
const nl = await Netlink.open({ netns });
let count = 0;
let bytes = 0;
for await (const batch of nl.route.list({ family: 'inet', resolveNames: false }, { interrupted: 'partial' }).batches()) {
  count += batch.length;
  for (const r of batch) bytes += r.dst.length;
}
nl.close();
process.stdout.write(JSON.stringify({ count, bytes, maxRssKiB: process.resourceUsage().maxRSS }) + '\n');
