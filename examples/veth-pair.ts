/**
 * Create a veth pair across two network namespaces with the library, address
 * both ends, bring them up, and show what the kernel reports — then clean up.
 *
 *   sudo node dist/examples/veth-pair.js [NS_A] [NS_B]
 *
 * The namespaces (default `rip-demo-a`, `rip-demo-b`) are created if missing
 * and deleted at the end if this program created them.
 */
import { Netlink, netns } from '../src/netlink/index.js';

const [nsA = 'rip-demo-a', nsB = 'rip-demo-b'] = process.argv.slice(2);
const existing = new Set(netns.names());
const created: string[] = [];
for (const name of [nsA, nsB]) {
  if (!existing.has(name)) {
    await netns.add(name);
    created.push(name);
  }
}

try {
  await using a = await Netlink.open({ netns: nsA });
  await using b = await Netlink.open({ netns: nsB });

  // One request: veth0 in A, its peer veth1 created directly in B.
  await a.link.add({ ifname: 'veth0', kind: 'veth', mtu: 1400, peer: { ifname: 'veth1', netns: nsB, mtu: 1400 } });

  await a.address.add({ dev: 'veth0', local: '10.99.0.1/24' });
  await b.address.add({ dev: 'veth1', local: '10.99.0.2/24' });
  await a.link.set('veth0', { up: true, alias: `to ${nsB}` });
  await b.link.set('veth1', { up: true });

  for (const [name, nl] of [[nsA, a], [nsB, b]] as const) {
    for await (const l of nl.link.list({ kind: 'veth' })) {
      const peerNs = l.linkNetnsid !== undefined ? ` (peer ifindex ${l.link} in netns id ${l.linkNetnsid})` : '';
      console.log(`${name}: ${l.ifindex}: ${l.ifname} ${l.operstate} mtu ${l.mtu} ${l.address}${peerNs}`
        + `${l.ifalias ? ` alias "${l.ifalias}"` : ''} rx ${l.stats64?.rx_packets ?? 0n} tx ${l.stats64?.tx_packets ?? 0n}`);
    }
  }

  // Deleting one end deletes the pair.
  await a.link.del('veth0');
} finally {
  for (const name of created) await netns.del(name);
}
