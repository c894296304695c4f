/**
 * Watch link, address, route, neighbour, rule and nsid events in a namespace
 * (default: ours) until Ctrl-C, printing one line per typed event.
 *
 *   node dist/examples/watch-events.js [NETNS]
 *
 * Try it: `ip netns add demo; node dist/examples/watch-events.js demo` and, in
 * another shell, `ip -n demo link add a type veth peer name b;
 * ip -n demo addr add 10.0.0.1/24 dev a`.
 */
import { Netlink, type Address, type Link, type MonitorEvent } from '../src/netlink/index.js';

const netnsName = process.argv[2];
const ac = new AbortController();
process.once('SIGINT', () => ac.abort());

await using nl = await Netlink.open(netnsName ? { netns: netnsName } : {});
const names = new Map<number, string>();
for await (const l of nl.link.list({ skipStats: true })) names.set(l.ifindex, l.ifname);

/** One human line per event; objects without a decoder arrive raw and are shown by type. */
function describe(ev: MonitorEvent): string {
  const at = ev.timestamp.toISOString();
  if (ev.type === 'overflow') return `${at} !! events were lost (receive buffer overflow): re-read the state you track`;
  const m = ev.message;
  if ('undecoded' in m) return `${at} ${ev.type} ${ev.action} (raw message type ${m.nlmsgType}, ${m.payload.length} bytes)`;
  switch (ev.type) {
    case 'link': {
      const l = m as Link;
      if (ev.action === 'del') names.delete(l.ifindex); else names.set(l.ifindex, l.ifname);
      return `${at} link ${ev.action} ${l.ifindex}: ${l.ifname} ${l.operstate}${l.kind ? ` (${l.kind})` : ''}`;
    }
    case 'address': {
      const a = m as Address;
      const peer = a.address ? ` peer ${a.address}` : '';
      return `${at} address ${ev.action} ${a.local}${peer}/${a.prefixlen} dev ${names.get(a.index) ?? a.index} scope ${a.scope}`;
    }
    default:
      return `${at} ${ev.type} ${ev.action} ${JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`;
  }
}

for await (const ev of nl.monitor(['link', 'address', 'route', 'neigh', 'rule', 'nsid'], { signal: ac.signal })) {
  console.log(describe(ev));
}
