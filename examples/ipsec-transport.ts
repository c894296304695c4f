/**
 * A transport-mode ESP pair between two namespaces with rip/netlink's Xfrm:
 * one security association per direction and an out/in policy pair on each
 * side, then UDP datagrams through it and the states' byte counters.
 *
 * Needs a kernel with ESP (esp4) and cbc(aes)/hmac(sha256). Run as root:
 *   ip netns add left && ip netns add right
 *   ip link add veth0 netns left type veth peer name veth1 netns right
 *   ip -n left addr add 192.0.2.1/24 dev veth0 && ip -n left link set veth0 up
 *   ip -n right addr add 192.0.2.2/24 dev veth1 && ip -n right link set veth1 up
 *   node dist/examples/ipsec-transport.js left right 192.0.2.1 192.0.2.2
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Xfrm, type XfrmStateSpec } from '../src/netlink/xfrm.js';

async function main(): Promise<void> {
  const [left = 'left', right = 'right', a = '192.0.2.1', b = '192.0.2.2'] = process.argv.slice(2);
  const encKey = randomBytes(16);
  const authKey = randomBytes(32);
  // The same two SAs go into both namespaces: a→b uses SPI 0x100, b→a SPI 0x200.
  const sa = (src: string, dst: string, spi: number): XfrmStateSpec => ({
    src, dst, proto: 'esp', spi, mode: 'transport', reqid: spi,
    enc: { name: 'cbc(aes)', key: encKey },
    authTrunc: { name: 'hmac(sha256)', key: authKey, truncLen: 128 },
  });
  for (const [netns, self, peer] of [[left, a, b], [right, b, a]] as const) {
    await using x = await Xfrm.open({ netns });
    await x.state.add(sa(a, b, 0x100));
    await x.state.add(sa(b, a, 0x200));
    const outSpi = self === a ? 0x100 : 0x200;
    // ip xfrm policy add src SELF dst PEER dir out tmpl src SELF dst PEER proto esp mode transport reqid N
    await x.policy.add({ sel: { src: `${self}/32`, dst: `${peer}/32` }, dir: 'out', tmpl: [{ src: self, dst: peer, proto: 'esp', mode: 'transport', reqid: outSpi }] });
    await x.policy.add({ sel: { src: `${peer}/32`, dst: `${self}/32` }, dir: 'in', tmpl: [{ src: peer, dst: self, proto: 'esp', mode: 'transport', reqid: 0x300 - outSpi }] });
  }

  // Three UDP datagrams from left to right (no ping needed): ESP-encrypted on
  // the way out of `left`, decrypted on the way into `right`.
  const send = `const s = require('node:dgram').createSocket('udp4');
    let n = 0; const go = () => s.send('hello through ESP', 9999, '${b}', () => (++n < 3 ? go() : s.close())); go();`;
  execFileSync('ip', ['netns', 'exec', left, process.execPath, '-e', send], { stdio: 'inherit' });

  for (const netns of [left, right]) {
    await using x = await Xfrm.open({ netns });
    for await (const s of x.state.list()) {
      console.log(`${netns}: ${s.src} -> ${s.dst} spi 0x${s.spi.toString(16)}: ${s.current.packets} packets, ${s.current.bytes} bytes`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
