/**
 * An Ethernet pseudowire over static L2TPv3 between two network namespaces:
 * a veth pair carries the tunnel (UDP, port 1701), a session at each end
 * makes an l2tpeth interface, and those get addresses of their own. Prints
 * the tunnels and sessions as the kernel reports them, then cleans up.
 *
 *   sudo node dist/examples/l2tp-pseudowire.js [NS_A] [NS_B]
 *
 * Needs a kernel with L2TP (l2tp_netlink, l2tp_eth); without it the first
 * L2TP call rejects with ENOENT (family "l2tp" not found).
 */
import { Netlink, netns, NetlinkError } from '../src/netlink/index.js';

const [nsA = 'rip-l2tp-a', nsB = 'rip-l2tp-b'] = process.argv.slice(2);
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

  // The underlay: 10.98.0.1 in A, 10.98.0.2 in B.
  await a.link.add({ ifname: 'under0', kind: 'veth', peer: { ifname: 'under1', netns: nsB } });
  await a.address.add({ dev: 'under0', local: '10.98.0.1/24' });
  await b.address.add({ dev: 'under1', local: '10.98.0.2/24' });
  await a.link.set('under0', { up: true });
  await b.link.set('under1', { up: true });

  // Each end names its own ids and the peer's.
  const ends = [
    { nl: a, local: '10.98.0.1', remote: '10.98.0.2', tunnel: 100, peerTunnel: 200, session: 1000, peerSession: 2000, addr: '172.31.0.1/30' },
    { nl: b, local: '10.98.0.2', remote: '10.98.0.1', tunnel: 200, peerTunnel: 100, session: 2000, peerSession: 1000, addr: '172.31.0.2/30' },
  ];
  for (const e of ends) {
    await e.nl.l2tp.addTunnel({
      tunnel_id: e.tunnel, peer_tunnel_id: e.peerTunnel, encap: 'udp',
      local: e.local, remote: e.remote, udp_sport: 1701, udp_dport: 1701,
    });
    await e.nl.l2tp.addSession({ tunnel_id: e.tunnel, session_id: e.session, peer_session_id: e.peerSession, ifname: 'pw0' });
    await e.nl.address.add({ dev: 'pw0', local: e.addr });
    await e.nl.link.set('pw0', { up: true });
  }

  for (const [name, nl] of [[nsA, a], [nsB, b]] as const) {
    for await (const t of nl.l2tp.listTunnels()) {
      console.log(`${name}: tunnel ${t.tunnel_id} → ${t.peer_tunnel_id} ${String(t.encap)} ${t.local}:${t.udp_sport} → ${t.remote}:${t.udp_dport}`);
    }
    for await (const s of nl.l2tp.listSessions()) {
      console.log(`${name}:   session ${s.session_id} → ${s.peer_session_id} on ${s.ifname} (${String(s.pw_type)}) tx ${s.stats?.tx_packets ?? 0n} rx ${s.stats?.rx_packets ?? 0n}`);
    }
  }

  // Deleting a tunnel deletes its sessions and their interfaces.
  for (const e of ends) await e.nl.l2tp.delTunnel(e.tunnel);
  await a.link.del('under0');
} catch (e) {
  if (e instanceof NetlinkError && e.code === 'ENOENT') console.error(`no L2TP here: ${e.message}`);
  else throw e;
} finally {
  for (const name of created) await netns.del(name);
}
