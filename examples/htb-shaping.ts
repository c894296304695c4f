/**
 * HTB shaping with rip/tc: a root htb qdisc, a parent class with two leaves
 * (interactive and bulk), fifo leaf qdiscs, then the per-class statistics.
 *
 * Run as root, in a namespace you own:
 *   ip netns add demo && ip -n demo link add veth0 type veth peer name veth1 && ip -n demo link set veth0 up
 *   node dist/examples/htb-shaping.js demo veth0
 */
import { Netlink } from '../src/netlink/netlink.js';
import { htbQdisc, htbClass, formatClassid, sprintRate, type HtbOptions } from '../src/tc/index.js';

async function main(): Promise<void> {
  const [netns, dev = 'veth0'] = process.argv.slice(2);
  await using nl = await Netlink.open(netns ? { netns } : {});

  // tc qdisc replace dev DEV root handle 1: htb default 20
  await nl.qdisc.replace({ dev, parent: 'root', handle: '1:', kind: 'htb', options: htbQdisc({ default: 0x20 }) });
  // tc class add dev DEV parent 1: classid 1:1 htb rate 100mbit
  await nl.class.replace({ dev, parent: '1:', classid: '1:1', kind: 'htb', options: htbClass({ rate: '100mbit' }) });
  // Interactive traffic: guaranteed 20mbit, may borrow up to the parent's 100mbit, served first.
  await nl.class.replace({ dev, parent: '1:1', classid: '1:10', kind: 'htb', options: htbClass({ rate: '20mbit', ceil: '100mbit', prio: 0 }) });
  // Bulk (the default class): 80mbit guaranteed, larger bursts.
  await nl.class.replace({ dev, parent: '1:1', classid: '1:20', kind: 'htb', options: htbClass({ rate: '80mbit', ceil: '100mbit', prio: 1, burst: '64k' }) });
  for (const [minor, limit] of [[0x10, 100], [0x20, 1000]] as const) {
    await nl.qdisc.replace({ dev, parent: `1:${minor.toString(16)}`, handle: `${minor.toString(16)}:`, kind: 'pfifo', options: { limit } });
  }

  for await (const c of nl.class.list({ dev })) {
    const o = c.options as HtbOptions;
    const rate = o.rate64 ?? BigInt(o.parms?.rate.rate ?? 0);
    const ceil = o.ceil64 ?? BigInt(o.parms?.ceil.rate ?? 0);
    console.log(`class ${formatClassid(c.classid)} parent ${formatClassid(c.parent)} rate ${sprintRate(rate)} ceil ${sprintRate(ceil)}`
      + ` sent ${c.stats?.bytes ?? 0n} bytes ${c.stats?.packets ?? 0n} pkt, drops ${c.stats?.drops ?? 0}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
