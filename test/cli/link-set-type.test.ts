/**
 * `ip link set DEV type KIND …` on kinds this kernel has (vxlan, bridge,
 * macvlan, bridge_slave): the same changes through iproute2 in one namespace
 * and through rip in another must print the same errors and leave the same
 * kernel state (`ip -d -j link show`, with MAC addresses and timers removed).
 * vxlan's changes send only what was given (set_op), bridge and macvlan
 * their options as on creation, macvlan `macaddr` edits its source list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { iproute2, rip, words } from './ip-parity-util.js';

const CHANGES = [
  'link set vx0 type vxlan ttl 9',
  'link set vx0 type vxlan learning',
  'link set vx0 type vxlan nolearning ageing 100',
  'link set vx0 type vxlan id 99',
  'link set vx0 type vxlan dstport 1234',
  'link set vx0 type vxlan remote 10.0.0.9',
  'link set vx0 type vxlan local 10.0.0.1 tos 0x10',
  'link set vx0 type vxlan l2miss l3miss',
  'link set vx0 type vxlan noudpcsum',
  'link set vx0 type vxlan ttl inherit',
  'link set vx0 type vxlan df set',
  'link set vx0 type vxlan flowlabel 5',
  'link set vx0 type vxlan bogus',
  'link set br0 type bridge stp_state 1',
  'link set br0 type bridge forward_delay 400 hello_time 300',
  'link set br0 type bridge vlan_filtering 1 vlan_default_pvid 5',
  'link set br0 type bridge mcast_snooping 0',
  'link set br0 type bridge ageing_time 1000 priority 7',
  'link set br0 type bridge group_fwd_mask 0x4000',
  'link set br0 type bridge bogus 1',
  'link set mv0 type macvlan mode private',
  'link set mv0 type macvlan mode source macaddr add 02:00:00:00:00:01',
  'link set mv0 type macvlan macaddr add 02:00:00:00:00:02',
  'link set mv0 type macvlan macaddr del 02:00:00:00:00:01',
  'link set mv0 type macvlan macaddr set 02:00:00:00:00:03 02:00:00:00:00:04',
  'link set mv0 type macvlan macaddr flush',
  'link set mv0 type macvlan mode vepa nopromisc',
  'link set mv0 type macvlan bcqueuelen 100',
  'link set mv0 type macvlan bogus',
  'link set v0 type bridge_slave cost 5',
  'link set v0 type bridge_slave priority 3 learning off',
  // Tunnel kinds read the device's settings first: without them, iproute2's error.
  'link set v0 type gre ttl 5',
  'link set vx0 type ipip ttl 5',
  'link set vx0 type ip6tnl ttl 5',
  'link set br0 type vti okey 1',
];

function setup(ns: TestNetns): void {
  ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ns.ip('link', 'add', 'vx0', 'type', 'vxlan', 'id', '5', 'dstport', '4789', 'local', '10.0.0.1');
  ns.ip('link', 'add', 'br0', 'type', 'bridge');
  ns.ip('link', 'add', 'mv0', 'link', 'v1', 'type', 'macvlan', 'mode', 'bridge');
  ns.ip('link', 'set', 'v0', 'master', 'br0');
}

/** The kernel's view without what differs between two namespaces anyway. */
function state(ns: TestNetns): string {
  return iproute2(ns, ['-d', '-j', 'link', 'show']).stdout
    .replace(/[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}/g, '')
    .replace(/"[a-z_]*timer":[0-9.]+/g, '');
}

test('ip link set DEV type vxlan|bridge|macvlan|bridge_slave|tunnel: same errors and kernel state as iproute2', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, (b) => {
      setup(a);
      setup(b);
      assert.equal(state(b), state(a));
      for (const line of CHANGES) {
        const want = iproute2(a, words(line));
        const got = rip(b, words(line));
        assert.equal(got.stderr, want.stderr, `stderr of: ip ${line}`);
        assert.equal(got.status, want.status, `status of: ip ${line}`);
        assert.equal(state(b), state(a), `kernel state after: ip ${line}`);
      }
    });
  });
});

test('ip link property add|del altname: same errors and altnames as iproute2', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, (b) => {
      for (const ns of [a, b]) ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
      const lines = [
        'link property add dev v0 altname foo altname bar',
        'link property add v1 altname averyveryveryveryverylongalternativename',
        'link property del dev v0 altname bar',
        'link property add dev v0 altname foo',
        'link property del dev v0 altname nothere',
        'link property add dev v0 altname a/b',
        'link property add altname x',
        'link property add dev nosuch altname x',
        'link property frob dev v0',
        'link property add dev v0 dev v1',
        'link property',
      ];
      for (const line of lines) {
        const want = iproute2(a, words(line));
        const got = rip(b, words(line));
        assert.equal(got.stderr, want.stderr, `stderr of: ip ${line}`);
        assert.equal(got.status, want.status, `status of: ip ${line}`);
      }
      const names = (ns: TestNetns): string => iproute2(ns, ['-j', 'link', 'show']).stdout.match(/"altnames":\[[^\]]*\]/g)?.join() ?? '';
      assert.equal(names(b), names(a));
      assert.match(names(b), /"foo"/);
    });
  });
});
