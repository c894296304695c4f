/**
 * CLI parity for `ip link`: `rip ip -n NS …` prints what `ip -n NS …` prints
 * on the same namespace state (text, -j, -p, -d, -s, -s -s, -br, -o), and
 * links created with rip's `ip link add|set` read back in iproute2 exactly as
 * iproute2-created ones do.
 *
 * Volatile fields, normalised (and nothing else):
 * - bridge and bridge-port timers (hello_timer, tcn_timer,
 *   topology_change_timer, gc_timer, hold_timer, message_age_timer,
 *   forward_delay_timer): kernel countdowns that tick between two runs;
 * - packet/byte counters are not normalised: instead each rip run sits
 *   between two iproute2 runs and must equal one of them, since an up
 *   interface may send (IPv6 DAD/MLD) while the commands run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { withNetns, createTestNetns, type TestNetns, requireRoot } from '../helpers/netns.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

function run(cmd: string, args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 15000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const TIMERS = /((?:hello|tcn|topology_change|gc|hold|message_age|forward_delay)_timer)(":| +)\d+\.\d\d/g;
function normalize(s: string): string {
  return s.replace(TIMERS, '$1$2T');
}

/** rip's output for `args` must equal iproute2's from just before or just after it. */
function assertParity(ns: TestNetns, line: string): void {
  const args = ['-n', ns.name, ...line.split(' ')];
  const before = run('ip', args);
  const got = run('node', [RIP, 'ip', ...args]);
  const after = run('ip', args);
  assert.equal(got.status, before.status, `${line}: status (stderr ${got.stderr})`);
  assert.equal(got.stderr, before.stderr, `${line}: stderr`);
  const g = normalize(got.stdout);
  if (g === normalize(after.stdout)) return;
  assert.equal(g, normalize(before.stdout), `${line}: stdout`);
}

/** Command lines after `ip -n NS`, compared on the shared state below. */
const SHOW = `
link
link show
link show dev v0
link show v1
link show up
link show type veth
link show type bridge
link show type bridge_slave
link show master br0
link show nomaster
link show group 5
link show type vxlan
link list
link lst br0
-d link show
-d -d link show
-s link show
-s -s link show
-s -s link show dev v0
-br link show
-br link show type macvlan
-o link show
-o -d link show
-o -s link show
-j link show
-j -p link show
-j -d link show
-j -p -d link show dev br0
-j -s link show
-j -s -s link show
-j -br link show
-d -s -j link show type vxlan
-d link show dev mv0
-d link show dev vx0
-d link show dev vx6
-d link show dev p0
-d link show dev v0
-d -j link show dev v0
`.trim().split('\n');

test('ip link show: text and JSON identical to iproute2 on the same state', async (t) => {
  if (!requireRoot(t)) return;
  const peerNs = createTestNetns('rip-link-peer');
  t.after(() => peerNs.cleanup());
  await withNetns(t, async (ns) => {
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('link', 'add', 'br0', 'type', 'bridge', 'stp_state', '1', 'forward_delay', '500');
    ns.ip('link', 'set', 'v0', 'master', 'br0', 'up');
    ns.ip('link', 'set', 'v0', 'type', 'bridge_slave', 'cost', '10', 'learning', 'off');
    ns.ip('link', 'set', 'v1', 'alias', 'peer of v0', 'group', '5', 'mtu', '1400', 'up');
    ns.ip('link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'dstport', '4789', 'remote', '192.0.2.1', 'local', '192.0.2.2', 'ttl', '10', 'srcport', '1000', '2000', 'nolearning');
    ns.ip('link', 'add', 'vx6', 'type', 'vxlan', 'id', '7', 'dstport', '0', 'group', 'ff05::1', 'dev', 'v1', 'udp6zerocsumrx');
    ns.ip('link', 'add', 'mv0', 'link', 'v1', 'type', 'macvlan', 'mode', 'bridge');
    ns.ip('link', 'add', 'mvt0', 'link', 'v1', 'type', 'macvtap', 'mode', 'vepa');
    ns.ip('link', 'add', 'ifb0', 'type', 'ifb');
    ns.ip('link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1', 'netns', peerNs.name);
    ns.ip('link', 'set', 'lo', 'promisc', 'on');
    assert.ok(SHOW.length >= 20);
    for (const line of SHOW) assertParity(ns, line);
    // The peer side: "link-netns NAME" resolved through the namespace ids.
    for (const line of ['-d link show', '-j -d link show', 'link show p1']) assertParity(peerNs, line);
  });
});

/** Commands rip runs to build the same state iproute2 builds in a twin namespace. */
const BUILD = `
link add v0 type veth peer name v1
link add br0 type bridge stp_state 1 forward_delay 400 hello_time 300 priority 100 vlan_default_pvid 20 mcast_snooping 0
link set v0 master br0
link set v0 type bridge_slave cost 7 priority 9 hairpin on flood off
link set v1 up mtu 1400 txqueuelen 500 alias uplink group 3 promisc on allmulticast on
link add vx0 type vxlan id 99 dstport 4789 group 239.1.2.3 dev v1 ttl 5 ageing 60 maxaddress 100 l2miss
link add mv0 link v1 type macvlan mode private
link add mvt0 link v1 address 02:00:00:00:00:07 type macvtap mode vepa
link add ifb0 type ifb
link add ifb1 numtxqueues 4 numrxqueues 2 type ifb
link set ifb1 name ifb9 arp off multicast off
link add q0 type veth peer name q1 mtu 1300 address 02:00:00:00:00:11
link set q0 nomaster
link delete q1
`.trim().split('\n');

test('links built with rip ip link read back as iproute2 builds them', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, async (b) => {
      for (const line of BUILD) {
        const r = run('node', [RIP, 'ip', '-n', a.name, ...line.split(' ')]);
        assert.equal(r.status, 0, `rip ip ${line}: ${r.stderr}`);
        const w = run('ip', ['-n', b.name, ...line.split(' ')]);
        assert.equal(w.status, 0, `ip ${line}: ${w.stderr}`);
      }
      // Kernel-chosen MAC addresses differ between the namespaces: compare without them.
      // Bridge ids embed the bridge's MAC (unpadded): replace them first.
      const view = (ns: TestNetns): string => normalize(ns.ip('-d', 'link', 'show'))
        .replace(/\b([0-9a-f]{4})\.[0-9a-f:]+/g, '$1.ID')
        .replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g, (m) => (m.startsWith('02:00:00') || m.startsWith('ff:ff') || m.startsWith('01:80') || m === '00:00:00:00:00:00' ? m : 'MAC'));
      assert.equal(view(a), view(b));
    });
  });
});

test('ip link help TYPE: the kind help texts and statuses of iproute2', () => {
  for (const k of ['bridge', 'bridge_slave', 'bond', 'bond_slave', 'vlan', 'vxlan', 'veth', 'macvlan', 'macvtap', 'ipvlan', 'vrf', 'geneve',
    'gre', 'gretap', 'erspan', 'ip6gre', 'ip6gretap', 'ipip', 'sit', 'ip6tnl', 'vti', 'vti6', 'dummy', 'ifb', 'nosuchkind']) {
    const want = run('ip', ['link', 'help', k]);
    const got = run('node', [RIP, 'ip', 'link', 'help', k]);
    assert.equal(got.stdout, want.stdout, `help ${k}: stdout`);
    assert.equal(got.stderr, want.stderr, `help ${k}: stderr`);
    assert.equal(got.status, want.status, `help ${k}: status`);
  }
});
