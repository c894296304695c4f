/**
 * CLI parity for route and nexthop encapsulations this kernel has (`encap
 * ip`, `ip6`, `seg6`, `seg6local`): the same command lines run through
 * iproute2 in one namespace and through rip in another must leave the same
 * kernel state (read back with iproute2), fail the same way where the kernel
 * refuses, and rip must print the state as iproute2 does (text, JSON, -d, -s).
 * The other types (rpl, ioam6, xfrm, ila) are checked by golden bytes
 * (test/unit/route-encap-golden.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { iproute2, rip, words } from './ip-parity-util.js';

function setup(ns: TestNetns): void {
  ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ns.ip('link', 'set', 'v0', 'up');
  ns.ip('link', 'set', 'v1', 'up');
  ns.ip('addr', 'add', '10.0.0.1/24', 'dev', 'v0');
  ns.ip('-6', 'addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad');
}

const CHANGES = [
  'route add 10.1.0.0/16 encap ip id 5 dst 10.0.0.2 ttl 4 dev v0',
  'route add 10.1.1.0/24 encap ip id 0x10 src 10.0.0.1 dst 10.0.0.3 tos 0x10 key csum seq dev v0',
  'route add 10.1.2.0/24 encap ip dst 10.0.0.3 geneve_opts 1:2:0a0b,3:4:0c0d0e0f dev v0',
  'route add 10.1.3.0/24 encap ip dst 10.0.0.3 vxlan_opts 77 dev v0',
  'route add 10.1.4.0/24 encap ip dst 10.0.0.3 erspan_opts 2:0:1:5 dev v0',
  'route add 10.1.5.0/24 encap ip dst 10.0.0.3 erspan_opts 1:123:: dev v0',
  'route add 10.2.0.0/16 encap ip6 id 5 dst 2001:db8::2 hoplimit 4 dev v0',
  'route add 10.2.1.0/24 encap ip6 id 9 src 2001:db8::1 dst 2001:db8::3 tc 0x20 key dev v0',
  'route add 10.3.0.0/16 encap seg6 mode encap segs 2001:db8::5,2001:db8::6 dev v0',
  'route add 10.3.1.0/24 encap seg6 mode encap segs 2001:db8::5 hmac 7 dev v0',
  'route add 10.3.2.0/24 encap seg6 mode l2encap segs 2001:db8::5,2001:db8::7 dev v0',
  '-6 route add 2001:db8:3::/64 encap seg6 mode inline segs 2001:db8::5,2001:db8::7 dev v0',
  '-6 route add 2001:db8:9::/64 encap seg6local action End dev v0',
  '-6 route add 2001:db8:9:1::/64 encap seg6local action End.X nh6 2001:db8::2 dev v0',
  '-6 route add 2001:db8:9:2::/64 encap seg6local action End.T table 100 dev v0',
  '-6 route add 2001:db8:9:3::/64 encap seg6local action End.DX4 nh4 10.0.0.2 dev v0',
  '-6 route add 2001:db8:9:4::/64 encap seg6local action End.DX6 nh6 2001:db8::2 dev v0',
  '-6 route add 2001:db8:9:5::/64 encap seg6local action End.DT6 table 100 dev v0',
  '-6 route add 2001:db8:9:6::/64 encap seg6local action End.B6 srh segs 2001:db8::5,2001:db8::6 dev v0',
  '-6 route add 2001:db8:9:7::/64 encap seg6local action End.B6.Encaps srh segs 2001:db8::5,2001:db8::6 hmac 3 dev v0',
  '-6 route add 2001:db8:9:8::/64 encap seg6local action End count dev v0',
  '-6 route add 2001:db8:9:9::/64 encap seg6local action End.DX2 oif v1 dev v0',
  '-6 route add 2001:db8:9:a::/64 encap seg6local action End flavors psp,usd dev v0',
  'route add 10.6.0.0/16 nexthop via 10.0.0.2 dev v0 encap ip dst 10.0.0.9 nexthop via 10.0.0.3 dev v0 encap ip6 dst 2001:db8::9',
  'nexthop add id 10 encap ip id 5 dst 10.0.0.9 ttl 3 via 10.0.0.2 dev v0',
  '-6 nexthop add id 11 encap seg6 mode encap segs 2001:db8::5 dev v0',
  '-6 nexthop add id 12 encap seg6local action End.DX6 nh6 2001:db8::2 dev v0',
  'route add 10.7.0.0/16 nhid 10',
  // Bad input: same message and status, nothing sent.
  'route add 10.8.0.0/16 encap foo dst 10.0.0.9 dev v0',
  'route add 10.8.0.0/16 encap ip id x dev v0',
  'route add 10.8.0.0/16 encap ip dst 10.0.0.9 dst 10.0.0.8 dev v0',
  'route add 10.8.0.0/16 encap seg6 segs 2001:db8::5 dev v0',
  'route add 10.8.0.0/16 encap seg6 mode bogus segs 2001:db8::5 dev v0',
  '-6 route add 2001:db8:8::/64 encap seg6local action Bogus dev v0',
  '-6 route add 2001:db8:8::/64 encap seg6local table 5 dev v0',
  '-6 route add 2001:db8:8::/64 encap seg6local action End.DX2 oif nosuchdev dev v0',
  'route add 10.8.0.0/16 encap ip',
];

const VIEWS = ['route show', '-6 route show', '-d -s -6 route show', '-j -d -s route show', '-j -6 -d -s route show', '-p -j -6 route show', 'nexthop show', '-j nexthop show', '-d route show table 100'];

test('route/nexthop encap ip, ip6, seg6, seg6local: same kernel state, errors and printing as iproute2', async (t) => {
  await withNetns(t, async (a) => {
    await withNetns(t, (b) => {
      setup(a);
      setup(b);
      for (const line of CHANGES) {
        const want = iproute2(a, words(line));
        const got = rip(b, words(line));
        assert.equal(got.stderr, want.stderr, `stderr of: ip ${line}`);
        assert.equal(got.status, want.status, `status of: ip ${line}`);
      }
      let encaps = 0;
      for (const v of VIEWS) {
        const inA = iproute2(a, words(v)).stdout;
        assert.equal(iproute2(b, words(v)).stdout, inA, `kernel state after rip vs iproute2: ip ${v}`);
        assert.equal(rip(a, words(v)).stdout, inA, `rip prints: ip ${v}`);
        encaps += (inA.match(/encap/g) ?? []).length;
      }
      assert.ok(encaps > 40, `only ${encaps} encapsulations printed`);
    });
  });
});
