/**
 * `ip link set DEV type TUNNEL …` changes one option and keeps the others:
 * iproute2 reads the tunnel's current settings (RTM_GETLINK) and sends them
 * back merged with the change, and so must rip.
 *
 * Each case builds the same tunnel in two namespaces, changes it with
 * iproute2 in one and with rip in the other, and requires the kernel's view
 * (`ip -d -j link show`) to be identical afterwards, with the changed option
 * changed and the options named in `kept` unchanged. The kernel here lacks
 * these kinds: the test skips with the reason and runs in the full-kernel VM
 * (`../shared/kernel-vm/run-in-vm.sh --timeout 900 -- node --test dist/test/integration/link-tunnel-set.vm.test.js`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { withNetns, hasLinkKind, requireKernelFeature, type TestNetns } from '../helpers/netns.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

function rip(ns: TestNetns, args: readonly string[]): { status: number | null; stderr: string } {
  const r = spawnSync('node', [RIP, 'ip', '-n', ns.name, ...args], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

function infoData(ns: TestNetns, dev: string): Record<string, unknown> {
  const arr = JSON.parse(ns.ip('-j', '-d', 'link', 'show', 'dev', dev)) as Array<{ linkinfo?: { info_data?: Record<string, unknown> } }>;
  return arr[0]?.linkinfo?.info_data ?? {};
}

interface Case {
  readonly kind: string;
  readonly dev: string;
  readonly create: string;
  readonly change: string;
  /** info_data keys the change must not touch. */
  readonly kept: readonly string[];
  /** info_data key → value after the change. */
  readonly changed: Readonly<Record<string, unknown>>;
}

const CASES: readonly Case[] = [
  { kind: 'gre', dev: 'tg0', create: 'remote 192.0.2.1 local 192.0.2.2 ttl 64 key 42 csum dev d0 tos 0x10 fwmark 7', change: 'ttl 9', kept: ['remote', 'local', 'link', 'ikey', 'okey', 'icsum', 'ocsum', 'tos', 'fwmark'], changed: { ttl: 9 } },
  { kind: 'gre', dev: 'tg1', create: 'remote 192.0.2.1 local 192.0.2.2 ikey 5 okey 6 seq ignore-df nopmtudisc', change: 'remote 192.0.2.9', kept: ['local', 'ikey', 'okey', 'iseq', 'oseq', 'pmtudisc', 'ignore_df'], changed: { remote: '192.0.2.9' } },
  { kind: 'gretap', dev: 'gt0', create: 'remote 192.0.2.1 local 192.0.2.2 seq ikey 5 okey 6 csum', change: 'nocsum', kept: ['remote', 'local', 'ikey', 'okey', 'iseq', 'oseq'], changed: {} },
  { kind: 'erspan', dev: 'er0', create: 'remote 192.0.2.1 local 192.0.2.2 erspan_ver 2 erspan_dir egress erspan_hwid 7 seq key 1', change: 'erspan_hwid 9', kept: ['remote', 'local', 'erspan_ver', 'erspan_dir', 'ikey'], changed: { erspan_hwid: '0x9' } },
  { kind: 'ip6erspan', dev: 'e6', create: 'remote 2001:db8::1 local 2001:db8::2 erspan_ver 2 erspan_dir ingress erspan_hwid 4 seq key 2', change: 'erspan_dir egress', kept: ['remote', 'local', 'erspan_ver', 'erspan_hwid', 'ikey'], changed: { erspan_dir: 'egress' } },
  { kind: 'ip6gre', dev: 'g6', create: 'remote 2001:db8::1 local 2001:db8::2 hoplimit 32 encaplimit 5 tclass 0x10 flowlabel 0x1234 key 3 dev d0', change: 'hoplimit 40', kept: ['remote', 'local', 'encap_limit', 'tclass', 'flowlabel', 'ikey', 'link'], changed: { ttl: 40 } },
  { kind: 'ip6gretap', dev: 'g6t', create: 'remote 2001:db8::1 local 2001:db8::2 flowlabel 0x1234 tclass inherit seq', change: 'key 7', kept: ['remote', 'local', 'flowlabel', 'tclass', 'iseq'], changed: { ikey: '0.0.0.7' } },
  { kind: 'ipip', dev: 'ip0', create: 'remote 192.0.2.1 local 192.0.2.2 ttl 30 tos 0x8 dev d0 fwmark 3', change: 'ttl 31', kept: ['remote', 'local', 'tos', 'link', 'fwmark'], changed: { ttl: 31 } },
  { kind: 'sit', dev: 'sit1', create: 'remote 192.0.2.1 local 192.0.2.2 ttl 20 mode ip6ip 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8', change: 'ttl 21', kept: ['remote', 'local', 'proto', 'prefix', 'prefixlen', 'relay_prefix', 'relay_prefixlen'], changed: { ttl: 21 } },
  { kind: 'ip6tnl', dev: 't6', create: 'mode ip6ip6 remote 2001:db8::1 local 2001:db8::2 hoplimit 9 encaplimit none tclass 0x20 flowlabel 0x55', change: 'hoplimit 10', kept: ['remote', 'local', 'proto', 'encap_limit', 'tclass', 'flowlabel', 'ip6_tnl_f_ign_encap_limit'], changed: { ttl: 10 } },
  { kind: 'ip6tnl', dev: 't6b', create: 'mode any remote 2001:db8::1 local 2001:db8::2 dscp inherit allow-localremote fwmark 9', change: 'tclass 0x4', kept: ['remote', 'local', 'proto', 'fwmark', 'ip6_tnl_f_rcv_dscp_copy', 'ip6_tnl_f_allow_local_remote'], changed: { tclass: '0x04' } },
  { kind: 'vti', dev: 'vti1', create: 'remote 192.0.2.1 local 192.0.2.2 ikey 3 okey 4 fwmark 5 dev d0', change: 'okey 8', kept: ['remote', 'local', 'ikey', 'fwmark', 'link'], changed: { okey: '0.0.0.8' } },
  { kind: 'vti6', dev: 'vti6a', create: 'remote 2001:db8::1 local 2001:db8::2 key 6 fwmark 2', change: 'remote 2001:db8::9', kept: ['local', 'ikey', 'okey', 'fwmark'], changed: { remote: '2001:db8::9' } },
];

const words = (s: string): string[] => s.split(' ').filter(Boolean);

/**
 * Probe arguments for kinds whose bare `ip link add … type KIND` fails even where the kernel has
 * them: an endpoint-less ip6tnl/vti6 duplicates the namespace's fallback device, erspan needs seq and a key.
 */
const PROBE_ARGS: Readonly<Record<string, readonly string[]>> = {
  erspan: ['remote', '192.0.2.1', 'local', '192.0.2.2', 'seq', 'key', '1'],
  ip6erspan: ['remote', '2001:db8::1', 'local', '2001:db8::2', 'seq', 'key', '1'],
  ip6tnl: ['remote', '2001:db8::1', 'local', '2001:db8::2'],
  vti6: ['remote', '2001:db8::1', 'local', '2001:db8::2'],
};

function setup(ns: TestNetns, c: Case): void {
  ns.ip('link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1');
  ns.ip('link', 'add', c.dev, 'type', c.kind, ...words(c.create));
}

for (const c of CASES) {
  test(`ip link set ${c.dev} type ${c.kind} ${c.change}: the other settings are kept, as with iproute2`, async (t) => {
    if (!requireKernelFeature(t, () => hasLinkKind(c.kind, PROBE_ARGS[c.kind]), `${c.kind} links`)) return;
    await withNetns(t, async (a) => {
      await withNetns(t, (b) => {
        setup(a, c);
        setup(b, c);
        const before = infoData(b, c.dev);
        a.ip('link', 'set', c.dev, 'type', c.kind, ...words(c.change));
        const r = rip(b, ['link', 'set', c.dev, 'type', c.kind, ...words(c.change)]);
        assert.equal(r.status, 0, r.stderr);
        const want = infoData(a, c.dev);
        const got = infoData(b, c.dev);
        assert.deepEqual(got, want, 'the kernel state after rip equals the state after iproute2');
        for (const k of c.kept) assert.deepEqual(got[k], before[k], `${k} kept`);
        for (const [k, v] of Object.entries(c.changed)) assert.deepEqual(got[k], v, `${k} changed`);
        assert.notDeepEqual(got, before, 'the change was applied');
      });
    });
  });
}

test('ip link set DEV type gre on a device without tunnel info fails like iproute2, nothing sent', async (t) => {
  await withNetns(t, (ns) => {
    ns.ip('link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1');
    ns.ip('link', 'add', 'vx0', 'type', 'vxlan', 'id', '4', 'dstport', '4789');
    for (const kind of ['gre', 'gretap', 'erspan', 'ip6gre', 'ip6gretap', 'ip6erspan', 'ipip', 'sit', 'ip6tnl', 'vti', 'vti6']) {
      for (const dev of ['d0', 'vx0']) {
        const args = ['link', 'set', dev, 'type', kind, 'ttl', '5'];
        const want = ns.run('ip', args);
        const got = rip(ns, args);
        assert.equal(got.stderr, want.stderr, `stderr of ip ${args.join(' ')}`);
        assert.equal(got.status, want.status, `status of ip ${args.join(' ')}`);
      }
    }
  });
});
