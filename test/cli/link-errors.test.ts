/**
 * Bad input for `ip link`: rip prints iproute2's exact stderr and exits with
 * its status, and the namespace is unchanged afterwards (nothing was sent, or
 * the kernel refused it as it refused iproute2's identical request).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { withNetns } from '../helpers/netns.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

function run(cmd: string, args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Each line is one command after `ip -n NS`. */
const CORPUS = `
link add
link add x0
link add x0 type
link add x0 type bridge foo
link add x0 type bridge stp_state abc
link add x0 type bridge priority 70000
link add x0 type bridge help
link add x0 type veth foo
link add x0 type vxlan
link add x0 type vxlan id 99999999
link add x0 type vxlan id 5 group 1.2.3.4
link add x0 type vxlan id 5 remote 239.1.1.1
link add x0 type vxlan id 5 group 239.1.1.1 dstport 4789
link add x0 type vxlan id 5 dev nosuch
link add x0 type vxlan id 5 id 6
link add x0 type vxlan external id 5
link add x0 type vxlan id 5 ttl 300
link add x0 type macvlan mode foo
link add x0 link nosuch type macvlan
link add x0 type macvlan nopromisc
link add x0 type dummy extra
link add x0 type wireguard extra
link add x0 mtu abc type dummy
link add x0 mtu 100 mtu 200 type dummy
link add x0 txqueuelen -x type dummy
link add x0 address zz:11 type dummy
link add x0 name y0 type dummy
link add x0 index 0 type dummy
link add x0 netns nosuchns type dummy
link add x0 group nosuchgroup type dummy
link add x0 type bridge_slave cost abc
link add x0 type vlan id 5000000
link add x0 type vlan id 5 protocol foo
link add x0 type bond mode foo
link add x0 type bond primary nosuch
link add x0 type vrf table
link add x0 type geneve id 5
link add x0 type ipvlan mode l4
link add v0 type veth peer name v9
link set
link set nosuch up
link set lo arp foo
link set lo promisc maybe
link set lo multicast
link set lo master nosuch
link set lo vrf nosuch
link set lo mtu -1x
link set lo index 5
link set lo mode weird
link set lo state weird
link set lo addrgenmode weird
link set lo address 11:22:33
link set v0 type bridge_slave learning maybe
link set v0 mtu 100000
link del nosuch
link delete
link show nosuch
link show dev lo dev lo
link show group nosuchgroup
link show master nosuch
link frobnicate
link help
link add help
`.trim().split('\n');

test('ip link bad input: iproute2 stderr and status, namespace unchanged', async (t) => {
  await withNetns(t, async (ns) => {
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('link', 'add', 'br0', 'type', 'bridge');
    assert.ok(CORPUS.length >= 20);
    const state = (): string => ns.ip('-d', 'link', 'show');
    const before = state();
    for (const line of CORPUS) {
      const args = ['-n', ns.name, ...line.split(' ')];
      const got = run('node', [RIP, 'ip', ...args]);
      assert.equal(state(), before, `rip ip ${line}: namespace changed`);
      const want = run('ip', args);
      assert.equal(state(), before, `ip ${line}: not a bad-input line (iproute2 changed the namespace)`);
      assert.notEqual(want.status, 0, `ip ${line} should fail`);
      assert.equal(got.stderr, want.stderr, `ip ${line}: stderr`);
      assert.equal(got.status, want.status, `ip ${line}: status`);
      assert.equal(got.stdout, want.stdout, `ip ${line}: stdout`);
    }
  });
});
