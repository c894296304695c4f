/**
 * Redirect ingress traffic with rip/tc: a clsact qdisc on DEV, a u32 filter
 * on its ingress hook matching UDP to port 5353 that redirects the packets
 * to the egress of TARGET (mirred), and a second filter that mirrors all
 * other IPv4 traffic; then the filters with their action counters.
 *
 * Run as root, in a namespace you own:
 *   ip netns add demo && ip -n demo link add veth0 type veth peer name veth1
 *   ip -n demo link add veth2 type veth peer name veth3 && ip -n demo link set veth0 up && ip -n demo link set veth2 up
 *   node dist/examples/ingress-redirect.js demo veth0 veth2
 */
import { Netlink } from '../src/netlink/netlink.js';
import { u32, mirred, formatU32Handle, type U32Options, type MirredOptions } from '../src/tc/index.js';

async function main(): Promise<void> {
  const [netns, dev = 'veth0', target = 'veth2'] = process.argv.slice(2);
  await using nl = await Netlink.open(netns ? { netns } : {});
  const to = (await nl.link.get(target)).ifindex;

  // tc qdisc replace dev DEV clsact
  await nl.qdisc.replace({ dev, kind: 'clsact' });
  // tc filter replace dev DEV ingress protocol ip pref 10 u32 match ip protocol 17 0xff match ip dport 5353 0xffff
  //   action mirred egress redirect dev TARGET
  await nl.filter.replace({
    dev, parent: 'ingress', protocol: 'ip', prio: 10, kind: 'u32',
    options: u32({ match: [{ ip: { protocol: 17, dport: 5353 } }], actions: [mirred({ direction: 'egress', mode: 'redirect', ifindex: to })] }),
  });
  // tc filter replace dev DEV ingress protocol ip pref 20 u32 match u32 0 0 action mirred egress mirror dev TARGET
  await nl.filter.replace({
    dev, parent: 'ingress', protocol: 'ip', prio: 20, kind: 'u32',
    options: u32({ match: [{ u32: { value: 0, mask: 0 } }], actions: [mirred({ direction: 'egress', mode: 'mirror', ifindex: to })] }),
  });

  for await (const f of nl.filter.list({ dev, parent: 'ingress', kind: 'u32' })) {
    const o = f.options as U32Options | undefined;
    if (!o?.sel) continue; // the u32 root and hash-table entries the kernel adds
    for (const a of o.act ?? []) {
      const m = a.options as MirredOptions;
      console.log(`pref ${f.pref} fh ${formatU32Handle(f.handle)}: ${a.kind} eaction ${m.parms?.eaction} to ifindex ${m.parms?.ifindex}`
        + ` sent ${a.stats?.basic?.bytes ?? 0n} bytes ${a.stats?.basic?.packets ?? 0} pkt`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
