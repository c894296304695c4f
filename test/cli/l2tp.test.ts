/**
 * `ip l2tp` and the L2tp library on a kernel WITHOUT L2TP (this machine's):
 * the library rejects with a NetlinkError that says the family is missing,
 * and the command prints what iproute2 prints there (it resolves the family
 * before it reads the rest of the line) with the same exit status. On a
 * kernel with L2TP this skips; test/integration/l2tp.vm.test.ts covers it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { L2tp } from '../../src/netlink/l2tp.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { assertParity } from './ip-parity-util.js';

const hasL2tp = (ns: TestNetns): boolean => ns.run('ip', ['l2tp', 'show', 'tunnel']).status === 0;

const LINES = [
  'l2tp', 'l2tp help', 'l2tp h', 'l2tp show tunnel', 'l2tp show session', '-j l2tp show tunnel', 'l2tp foo',
  'l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 encap ip local 192.0.2.1 remote 192.0.2.2',
  'l2tp add tunnel', 'l2tp add session cookie 1', 'l2tp del tunnel tunnel_id 1', 'l2tp show',
];

test('without L2TP in the kernel: library error names the missing family', async (t) => {
  await withNetns(t, async (ns) => {
    if (hasL2tp(ns)) { t.skip('this kernel has L2TP (see l2tp.vm.test.ts)'); return; }
    const isMissing = (e: unknown): boolean => e instanceof NetlinkError && e.code === 'ENOENT' && /family "l2tp"/.test(e.message) && /L2TP/.test(e.message);
    await assert.rejects(L2tp.open({ netns: ns.name }), isMissing);
    await using nl = await Netlink.open({ netns: ns.name });
    await assert.rejects(nl.l2tp.listTunnels().toArray(), isMissing);
    await assert.rejects(nl.l2tp.addTunnel({ tunnel_id: 1, peer_tunnel_id: 1, encap: 'ip', local: '192.0.2.1', remote: '192.0.2.2' }), isMissing);
    await assert.rejects(nl.l2tp.getSession({ ifname: 'l2tpeth0' }), isMissing);
    // The failed resolution is not cached: the same handle tries again.
    await assert.rejects(nl.l2tp.family(), isMissing);
  });
});

test('without L2TP in the kernel: ip l2tp prints what iproute2 prints', async (t) => {
  await withNetns(t, (ns) => {
    if (hasL2tp(ns)) { t.skip('this kernel has L2TP (see l2tp.vm.test.ts)'); return; }
    for (const line of LINES) assertParity(ns, line);
  });
});
