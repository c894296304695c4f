/**
 * L2TPv3 against a kernel that has it (this machine's does not: these skip
 * here and run in the full-kernel VM, e.g.
 * `../shared/kernel-vm/run-in-vm.sh --timeout 1500 -- node --test dist/test/integration/l2tp.vm.test.js`).
 *
 * Library: tunnels over UDP and IP, IPv4 and IPv6, and sessions (with their
 * l2tpeth interfaces) are created, read back typed, modified and deleted.
 * CLI: `rip ip l2tp` and iproute2 make the same tunnels and sessions in two
 * namespaces, `show` prints the same text and JSON on the same state, kernel
 * refusals read the same, and bad input is refused with iproute2's message
 * and nothing sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { L2tp } from '../../src/netlink/l2tp.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { ValidationError, NetlinkError, isNotFound } from '../../src/netlink/errors.js';
import { createTestNetns, requireKernelFeature, type TestNetns } from '../helpers/netns.js';
import { assertParity, iproute2, rip, words } from '../cli/ip-parity-util.js';

/** Whether the kernel has generic netlink "l2tp" (module autoloads on first use). */
function hasL2tp(): boolean {
  const ns = createTestNetns('rip-l2tp-probe');
  try {
    return ns.run('ip', ['l2tp', 'show', 'tunnel']).status === 0;
  } finally {
    ns.cleanup();
  }
}

/** Poll `cond` every 100 ms for up to 10 s (the kernel deletes tunnels from a work queue). */
async function until(cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 100));
}

let l2tpAvailable: boolean | undefined;
const probe = (): boolean => (l2tpAvailable ??= hasL2tp());

/** Local addresses the tunnels bind to (on lo, so the remote ends are routable too). */
function addresses(ns: TestNetns): void {
  for (const k of ['all', 'default']) ns.run('sysctl', ['-qw', `net.ipv6.conf.${k}.accept_dad=0`]);
  ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'lo');
  ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'lo', 'nodad');
}

test('library: tunnels (udp/ip, v4/v6) and sessions created, read back, modified, deleted', { timeout: 600_000 }, async (t) => {
  if (!requireKernelFeature(t, probe, 'L2TP (l2tp_netlink, l2tp_eth, l2tp_ip, l2tp_ip6)')) return;
  const ns = createTestNetns('rip-l2tp');
  try {
    addresses(ns);
    await using nl = await Netlink.open({ netns: ns.name });
    const l2tp = nl.l2tp;
    assert.equal((await l2tp.family()).name, 'l2tp');

    await l2tp.addTunnel({ tunnel_id: 1, peer_tunnel_id: 2, encap: 'udp', local: '192.0.2.1', remote: '192.0.2.2', udp_sport: 5000, udp_dport: 6000, udp_csum: true });
    await l2tp.addTunnel({ tunnel_id: 3, peer_tunnel_id: 4, encap: 'ip', local: '192.0.2.1', remote: '192.0.2.3' });
    await l2tp.addTunnel({ tunnel_id: 5, peer_tunnel_id: 6, local: '2001:db8::1', remote: '2001:db8::2', udp_sport: 5001, udp_dport: 6001, udp6_csum_tx: false });
    await l2tp.addTunnel({ tunnel_id: 7, peer_tunnel_id: 8, encap: 'ip', local: '2001:db8::1', remote: '2001:db8::3' });

    const tunnels = new Map((await l2tp.listTunnels().toArray()).map((x) => [x.tunnel_id, x]));
    assert.deepEqual([...tunnels.keys()].sort(), [1, 3, 5, 7]);
    const t1 = tunnels.get(1)!;
    assert.deepEqual([t1.peer_tunnel_id, t1.encap, t1.ip_version, t1.local, t1.remote, t1.udp_sport, t1.udp_dport, t1.udp_csum, t1.proto_version],
      [2, 'udp', 4, '192.0.2.1', '192.0.2.2', 5000, 6000, true, 3]);
    assert.equal(typeof t1.stats?.tx_packets, 'bigint');
    const t3 = tunnels.get(3)!;
    assert.deepEqual([t3.peer_tunnel_id, t3.encap, t3.ip_version, t3.local, t3.remote, t3.udp_sport], [4, 'ip', 4, '192.0.2.1', '192.0.2.3', undefined]);
    const t5 = tunnels.get(5)!;
    assert.deepEqual([t5.encap, t5.ip_version, t5.local, t5.remote, t5.udp_sport, t5.udp_dport, t5.udp6_csum_tx, t5.udp6_csum_rx],
      ['udp', 6, '2001:db8::1', '2001:db8::2', 5001, 6001, false, true]);
    const t7 = await l2tp.getTunnel(7);
    assert.deepEqual([t7.peer_tunnel_id, t7.encap, t7.ip_version, t7.local, t7.remote], [8, 'ip', 6, '2001:db8::1', '2001:db8::3']);

    await l2tp.addSession({ tunnel_id: 1, session_id: 10, peer_session_id: 20, ifname: 'l2tpeth7', cookie: '0102030405060708', peer_cookie: 'a1b2c3d4', recv_seq: true, send_seq: true, l2spec_type: 'none' });
    await l2tp.addSession({ tunnel_id: 3, session_id: 11, peer_session_id: 21 });
    await l2tp.addSession({ tunnel_id: 5, session_id: 12, peer_session_id: 22, send_seq: true, ifname: 'v6sess' });
    await l2tp.addSession({ tunnel_id: 7, session_id: 13, peer_session_id: 23, reorder_timeout: 200 });

    const s10 = await l2tp.getSession({ tunnel_id: 1, session_id: 10 });
    assert.deepEqual([s10.peer_tunnel_id, s10.peer_session_id, s10.pw_type, s10.ifname, s10.cookie, s10.peer_cookie, s10.recv_seq, s10.send_seq, s10.lns_mode],
      [2, 20, 'eth', 'l2tpeth7', '0102030405060708', 'a1b2c3d4', true, true, false]);
    const byName = await l2tp.getSession({ ifname: 'v6sess' });
    assert.deepEqual([byName.tunnel_id, byName.session_id, byName.send_seq, byName.recv_seq], [5, 12, true, false]);
    const all = await l2tp.listSessions().toArray();
    assert.deepEqual(all.map((s) => s.session_id).sort(), [10, 11, 12, 13]);
    const s13 = all.find((s) => s.session_id === 13)!;
    // Kept in jiffies by the kernel: 200 ms reads back exactly at HZ 100, 250, 1000.
    assert.equal(s13.reorder_timeout, 200);
    const s11 = all.find((s) => s.session_id === 11)!;
    assert.match(s11.ifname ?? '', /^l2tpeth\d+$/);
    assert.equal(s11.cookie, undefined);
    assert.deepEqual((await l2tp.listSessions({ tunnel_id: 5 }).toArray()).map((s) => s.session_id), [12]);

    // The l2tpeth interfaces exist (plain Ethernet devices: on 6.1 they report no IFLA_INFO_KIND).
    for (const name of ['l2tpeth7', 'v6sess', s11.ifname!]) {
      const link = await nl.link.get(name);
      assert.equal(link.ifname, name);
      assert.ok(link.ifindex > 1, `${name} ifindex`);
    }

    await l2tp.modifySession(7, 13, { reorder_timeout: 500, lns_mode: true, recv_seq: true });
    const m13 = await l2tp.getSession({ tunnel_id: 7, session_id: 13 });
    assert.deepEqual([m13.reorder_timeout, m13.lns_mode, m13.recv_seq], [500, true, true]);

    // Validation happens before anything is sent.
    await assert.rejects(l2tp.addTunnel({ tunnel_id: 9, peer_tunnel_id: 9, local: '192.0.2.1', remote: '2001:db8::2' }), ValidationError);
    await assert.rejects(l2tp.addTunnel({ tunnel_id: 0, peer_tunnel_id: 9, local: '192.0.2.1', remote: '192.0.2.2' }), ValidationError);
    await assert.rejects(l2tp.addSession({ tunnel_id: 1, session_id: 30, peer_session_id: 31, cookie: 'xyz' }), ValidationError);
    assert.equal((await l2tp.listTunnels().toArray()).length, 4);
    // Kernel refusals are NetlinkErrors.
    await assert.rejects(l2tp.addTunnel({ tunnel_id: 1, peer_tunnel_id: 2, local: '192.0.2.1', remote: '192.0.2.2', udp_sport: 5005, udp_dport: 6000 }),
      (e) => e instanceof NetlinkError && e.code === 'EEXIST');
    await assert.rejects(l2tp.getTunnel(99), (e) => isNotFound(e));

    await l2tp.delSession(1, 10);
    await assert.rejects(nl.link.get('l2tpeth7'), (e) => isNotFound(e));
    await assert.rejects(l2tp.getSession({ tunnel_id: 1, session_id: 10 }), (e) => isNotFound(e));
    await l2tp.delTunnel(5);
    // Deleting a tunnel takes its sessions (and their interfaces) with it; the
    // kernel frees both from a work queue after acknowledging the delete.
    const tunnelIds = async (): Promise<number[]> => (await l2tp.listTunnels().toArray()).map((x) => x.tunnel_id).sort();
    const linkGone = async (name: string): Promise<boolean> => nl.link.get(name).then(() => false, (e: unknown) => isNotFound(e));
    await until(async () => (await tunnelIds()).length === 3 && (await l2tp.listSessions({ tunnel_id: 5 }).toArray()).length === 0 && (await linkGone('v6sess')));
    assert.deepEqual(await l2tp.listSessions({ tunnel_id: 5 }).toArray(), []);
    assert.deepEqual(await tunnelIds(), [1, 3, 7]);
    await assert.rejects(nl.link.get('v6sess'), (e) => isNotFound(e));
    for (const id of [1, 3, 7]) await l2tp.delTunnel(id);
    await until(async () => (await tunnelIds()).length === 0);
    assert.deepEqual(await l2tp.listTunnels().toArray(), []);
  } finally {
    ns.cleanup();
  }
});

test('L2tp.open resolves the family up front; a closed handle refuses', async (t) => {
  if (!requireKernelFeature(t, probe, 'L2TP')) return;
  const ns = createTestNetns('rip-l2tp');
  try {
    const h = await L2tp.open({ netns: ns.name });
    assert.deepEqual(await h.listTunnels().toArray(), []);
    h.close();
    await assert.rejects(h.listTunnels().toArray(), /closed/);
  } finally {
    ns.cleanup();
  }
});

/** l2tpeth MAC addresses are random. */
const noMac = (s: string): string => s.replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g, 'MAC');

const ADDS = [
  'l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 encap udp local 192.0.2.1 remote 192.0.2.2 udp_sport 5000 udp_dport 6000 udp_csum on',
  'l2tp add tunnel tid 3 ptid 4 encap ip local 192.0.2.1 remote 192.0.2.3',
  'l2tp add tunnel remote 2001:db8::2 local 2001:db8::1 tunnel_id 5 peer_tunnel_id 6 udp_sport 5001 udp_dport 6001 udp6_csum_tx off',
  'l2tp add tunnel tunnel_id 9 peer_tunnel_id 10 local 2001:db8::1 remote 2001:db8::4 udp_sport 5002 udp_dport 6002 udp6_csum_rx off udp6_csum_tx off',
  'l2tp add tunnel tunnel_id 7 peer_tunnel_id 8 encap ip local 2001:db8::1 remote 2001:db8::3',
  'l2tp add session name l2tpeth7 tunnel_id 1 session_id 10 peer_session_id 20 cookie 0102030405060708 peer_cookie a1b2c3d4 seq both l2spec_type none',
  'l2tp add session tunnel_id 3 session_id 11 peer_session_id 21',
  'l2tp add session tid 5 sid 12 psid 22 seq send offset 8 name v6sess',
  'l2tp add session tunnel_id 7 session_id 13 peer_session_id 23 seq recv cookie abcdef01',
  'l2tp add tunnel session tunnel_id 15 peer_tunnel_id 16 session_id 14 peer_session_id 24 encap ip local 192.0.2.1 remote 192.0.2.5',
  // Kernel refusals: same message and status.
  'l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 encap ip local 192.0.2.1 remote 192.0.2.2',
  'l2tp add session tunnel_id 99 session_id 1 peer_session_id 1',
  'l2tp add tunnel tunnel_id 20 peer_tunnel_id 2 encap ip local 192.0.2.1 remote 2001:db8::9',
  'l2tp del tunnel tunnel_id 42',
  'l2tp del session tunnel_id 1 session_id 42',
];

const SHOWS = [
  'l2tp show tunnel', 'l2tp show session', 'l2tp list tunnel tunnel_id 3', 'l2tp lst session tid 1 sid 10', 'l2tp s session tunnel_id 5',
  '-j l2tp show tunnel', '-j l2tp show session', '-p -j l2tp show session', '-p -j l2tp show tunnel', '-o l2tp show session',
  '-color=always l2tp show session', 'l2tp show session cookie 99887766',
];

const BAD = [
  'l2tp', 'l2tp help', 'l2tp foo', 'l2tp show', 'l2tp show tunnel_id 1', 'l2tp add tunnel', 'l2tp add tunnel tunnel_id 1',
  'l2tp add tunnel tunnel_id 30 peer_tunnel_id 2 local any remote 192.0.2.2', 'l2tp add tunnel tunnel_id 30 peer_tunnel_id 2 local 192.0.2.1 remote 192.0.2.2',
  'l2tp add tunnel encap gre', 'l2tp add session cookie 123', 'l2tp add session peer_cookie 0102030g', 'l2tp add session seq maybe',
  'l2tp add tunnel tunnel_id x', 'l2tp del session tunnel_id 1', 'l2tp add session name a/b', 'l2tp add tunnel remote zz', 'l2tp show tunnel bogus',
  'l2tp add session tunnel_id 1 session_id 40', 'l2tp add tunnel udp_sport 70000', 'l2tp add tunnel tunnel_id',
];

test('ip l2tp: same effect, output and errors as iproute2', { timeout: 1_500_000 }, async (t) => {
  if (!requireKernelFeature(t, probe, 'L2TP')) return;
  const a = createTestNetns('rip-l2tp-a');
  const b = createTestNetns('rip-l2tp-b');
  try {
    addresses(a);
    addresses(b);
    for (const line of ADDS) {
      const want = iproute2(a, words(line));
      const got = rip(b, words(line));
      assert.equal(got.stdout, want.stdout, `stdout of: ip ${line}`);
      assert.equal(got.stderr, want.stderr, `stderr of: ip ${line}`);
      assert.equal(got.status, want.status, `exit status of: ip ${line}`);
    }
    // Same state in both namespaces, as iproute2 reads it.
    for (const v of ['l2tp show tunnel', 'l2tp show session', '-br link show']) {
      assert.equal(noMac(iproute2(b, words(v)).stdout), noMac(iproute2(a, words(v)).stdout), `ip ${v}`);
    }
    assert.match(iproute2(b, words('link show v6sess')).stdout, /v6sess/);
    // rip prints what iproute2 prints on the same state.
    for (const line of SHOWS) assertParity(a, line);
    // Bad input: iproute2's message and status, and nothing changed (l2tp state and links).
    const state = (): string => ['l2tp show tunnel', 'l2tp show session', '-br link show'].map((v) => noMac(iproute2(a, words(v)).stdout)).join('\n');
    const before = state();
    for (const line of BAD) {
      const want = iproute2(a, words(line));
      assert.notEqual(want.status, 0, `iproute2 accepts: ip ${line}`);
      const got = rip(a, words(line));
      assert.deepEqual([got.stdout, got.stderr, got.status], [want.stdout, want.stderr, want.status], `ip ${line}`);
    }
    assert.equal(state(), before, 'bad input changed nothing');
    // Deletes.
    for (const line of ['l2tp del session tunnel_id 1 session_id 10', 'l2tp delete tunnel tid 3 sid 11', 'l2tp del tunnel tunnel_id 5', 'l2tp del tunnel tunnel_id 9']) {
      const want = iproute2(a, words(line));
      const got = rip(b, words(line));
      assert.deepEqual([got.stdout, got.stderr, got.status], [want.stdout, want.stderr, want.status], `ip ${line}`);
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const v of ['l2tp show tunnel', 'l2tp show session', '-br link show']) {
      assert.equal(noMac(iproute2(b, words(v)).stdout), noMac(iproute2(a, words(v)).stdout), `ip ${v} after deletes`);
    }
    assert.doesNotMatch(iproute2(b, words('l2tp show session')).stdout, /Session 10 /);
    for (const line of ['l2tp show session', '-j l2tp show tunnel']) assertParity(b, line);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});
