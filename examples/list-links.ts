/**
 * List the links of a namespace (default: ours) with their state and kind.
 *
 *   node dist/examples/list-links.js [NETNS]
 */
import { Netlink } from '../src/netlink/index.js';

const netnsName = process.argv[2];
await using nl = await Netlink.open(netnsName ? { netns: netnsName } : {});
for await (const link of nl.link.list()) {
  console.log(`${link.ifindex}: ${link.ifname} ${link.operstate} mtu ${link.mtu ?? '-'}${link.kind ? ` (${link.kind})` : ''}`);
}
