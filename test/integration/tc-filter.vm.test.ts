/**
 * Filters and actions this machine's kernel lacks (flower, matchall, basic,
 * fw classifiers; gact, police, vlan, skbedit and tunnel_key actions). They skip here and run in the
 * full-kernel VM (`npm run test:vm`, or
 * `../shared/kernel-vm/run-in-vm.sh --timeout 1500 -- node --test dist/test/integration/tc-filter.vm.test.js`).
 *
 * Added through the library, read back typed, counted after real traffic
 * between two namespaces; `rip tc filter show` prints the same as iproute2
 * on that state (text and JSON, with -s); the same command lines applied by
 * both tools to twin namespaces give the same state; deleted.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Netlink } from '../../src/netlink/netlink.js';
import { flower, type FlowerOptions } from '../../src/tc/filters/flower.js';
import { matchall, type MatchallOptions } from '../../src/tc/filters/matchall.js';
import { basic, type BasicOptions } from '../../src/tc/filters/basic.js';
import { fw, type FwOptions } from '../../src/tc/filters/fw.js';
import { gact, type GactOptions } from '../../src/tc/actions/gact.js';
import { police, type PoliceOptions } from '../../src/tc/actions/police.js';
import { TC_ACT } from '../../src/tc/action.js';
import { createTestNetns, hasFilter, hasAction, requireKernelFeature, type TestNetns } from '../helpers/netns.js';
import { repoRoot } from '../helpers/golden.js';

const RIP = path.join(repoRoot(), 'bin', 'rip.js');

function need(t: Parameters<typeof requireKernelFeature>[0]): boolean {
  return requireKernelFeature(t, () => hasFilter('flower'), 'flower classifier')
    && requireKernelFeature(t, () => hasFilter('matchall'), 'matchall classifier')
    && requireKernelFeature(t, () => hasFilter('basic'), 'basic classifier')
    && requireKernelFeature(t, () => hasFilter('fw'), 'fw classifier')
    && requireKernelFeature(t, () => hasAction('gact'), 'gact action')
    && requireKernelFeature(t, () => hasAction('police'), 'police action')
    && requireKernelFeature(t, () => hasAction('vlan'), 'vlan action')
    && requireKernelFeature(t, () => hasAction('skbedit'), 'skbedit action')
    && requireKernelFeature(t, () => hasAction('tunnel_key'), 'tunnel_key action');
}

/** Ages of actions tick between the two tools' dumps. */
function normalize(s: string): string {
  return s.replace(/ (installed|used|firstused) \d+ sec/g, '').replace(/,\s*"(installed|last_used|first_used)": ?\d+/g, '');
}

function pair(a: TestNetns, b: TestNetns): void {
  for (const ns of [a, b]) ns.run('sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  a.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1', 'netns', b.name);
  a.ip('addr', 'add', '10.9.0.1/24', 'dev', 'veth0');
  b.ip('addr', 'add', '10.9.0.2/24', 'dev', 'veth1');
  a.ip('link', 'set', 'veth0', 'up');
  b.ip('link', 'set', 'veth1', 'up');
  const mac = (ns: TestNetns, dev: string): string => ns.run('cat', [`/sys/class/net/${dev}/address`]).stdout.trim();
  a.ip('neigh', 'replace', '10.9.0.2', 'lladdr', mac(b, 'veth1'), 'dev', 'veth0', 'nud', 'permanent');
}

const UDP_BLAST = `
const s = require('node:dgram').createSocket('udp4');
const buf = Buffer.alloc(100);
let n = 0;
const next = () => { if (n++ === 20) { s.close(); return; } s.send(buf, 9999, '10.9.0.2', (e) => { if (e) throw e; next(); }); };
next();`;

test('flower, matchall, basic, fw with gact and police: add, read back, traffic, output parity, delete', async (t) => {
  if (!need(t)) return;
  const a = createTestNetns();
  const b = createTestNetns();
  try {
    pair(a, b);
    await using nl = await Netlink.open({ netns: a.name });
    await nl.qdisc.add({ dev: 'veth0', kind: 'clsact' });
    // Egress of veth0: flower counts our UDP (gact continue: classification goes on), matchall polices everything after it.
    await nl.filter.add({ dev: 'veth0', parent: 'egress', protocol: 'ip', prio: 1, kind: 'flower',
      options: flower({ ethType: 0x0800, ipProto: 'udp', dstIp: '10.9.0.2/32', dstPort: 9999, skipHw: true, actions: [gact({ control: TC_ACT.UNSPEC })] }) });
    await nl.filter.add({ dev: 'veth0', parent: 'egress', protocol: 'all', prio: 2, kind: 'matchall',
      options: matchall({ actions: [police({ rate: '100mbit', burst: '100k', exceed: TC_ACT.SHOT, conform: TC_ACT.PIPE })] }) });
    await nl.filter.add({ dev: 'veth0', parent: 'ingress', protocol: 'ip', prio: 3, handle: 7, kind: 'basic', options: basic({ classid: '1:7', actions: [gact({ control: TC_ACT.OK })] }) });
    await nl.filter.add({ dev: 'veth0', parent: 'ingress', protocol: 'ip', prio: 4, handle: 6, kind: 'fw', options: fw({ mask: 0xff, classid: '1:6' }) });

    const blast = a.run(process.execPath, ['-e', UDP_BLAST]);
    assert.equal(blast.status, 0, blast.stderr);

    const egress = await nl.filter.list({ dev: 'veth0', parent: 'egress' }).toArray();
    // Each classifier instance is dumped once bare (no options), then per filter.
    const fl = egress.find((f) => f.kind === 'flower' && f.options);
    assert.ok(fl);
    const fo = fl.options as FlowerOptions;
    assert.equal(fo.ip_proto, 17);
    assert.equal(fo.ipv4_dst, '10.9.0.2');
    assert.equal(fo.udp_dst, 9999);
    assert.equal(fo.eth_type, 0x0800);
    const g = fo.act![0]!;
    assert.equal(g.kind, 'gact');
    assert.equal((g.options as GactOptions).parms?.action, TC_ACT.UNSPEC);
    assert.equal(g.stats?.basic?.packets, 20);
    const ma = egress.find((f) => f.kind === 'matchall' && f.options);
    assert.ok(ma);
    const po = (ma.options as MatchallOptions).act![0]!;
    assert.equal(po.kind, 'police');
    const pol = po.options as PoliceOptions;
    assert.equal(pol.tbf?.rate.rate, 12_500_000);
    assert.equal(pol.tbf?.action, TC_ACT.SHOT);
    // The kernel dumps TCA_POLICE_RESULT only when it is not 0 (TC_ACT_OK).
    assert.equal(pol.result, TC_ACT.PIPE);
    assert.ok((po.stats?.basic?.packets ?? 0) >= 20);
    const ingress = await nl.filter.list({ dev: 'veth0', parent: 'ingress' }).toArray();
    assert.equal((ingress.find((f) => f.kind === 'basic' && f.options)?.options as BasicOptions).classid, 0x10007);
    const fwf = ingress.find((f) => f.kind === 'fw' && f.options);
    assert.equal(fwf?.handle, 6);
    assert.equal((fwf?.options as FwOptions).mask, 0xff);

    for (const args of [['filter', 'show', 'dev', 'veth0', 'egress'], ['-s', 'filter', 'show', 'dev', 'veth0', 'egress'],
      ['-j', '-s', 'filter', 'show', 'dev', 'veth0', 'egress'], ['-s', '-d', 'filter', 'show', 'dev', 'veth0', 'ingress'],
      ['-j', 'filter', 'show', 'dev', 'veth0', 'ingress'], ['filter', 'get', 'dev', 'veth0', 'egress', 'protocol', 'ip', 'pref', '1', 'handle', '1', 'flower']]) {
      const want = spawnSync('tc', ['-n', a.name, ...args], { encoding: 'utf8' });
      const got = spawnSync(process.execPath, [RIP, 'tc', '-n', a.name, ...args], { encoding: 'utf8' });
      assert.equal(normalize(got.stdout), normalize(want.stdout), `tc ${args.join(' ')}`);
      assert.equal(got.status, want.status);
    }

    await nl.filter.del({ dev: 'veth0', parent: 'egress' });
    await nl.filter.del({ dev: 'veth0', parent: 'ingress' });
    assert.equal((await nl.filter.list({ dev: 'veth0', parent: 'egress' }).toArray()).length, 0);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

const LINES: ReadonlyArray<string> = [
  'filter add dev veth0 ingress protocol ip pref 1 flower ip_proto tcp dst_ip 10.0.0.0/8 dst_port 80 src_port 1000-2000 action drop',
  'filter add dev veth0 ingress protocol ipv6 pref 2 flower ip_proto udp src_ip 2001:db8::/32 dst_port 53/0xff00 skip_hw action pass',
  'filter add dev veth0 ingress protocol 802.1Q pref 3 flower vlan_id 100 vlan_prio 3 vlan_ethtype ip ip_proto icmp type 8 code 0 action gact pass random determ drop 10',
  'filter add dev veth0 ingress protocol ip pref 4 flower ip_flags frag/nofirstfrag ip_tos 0x10/0xfc ip_ttl 64 dst_mac 02:00:00:00:00:01/24 action goto chain 3',
  'filter add dev veth0 ingress protocol ip pref 5 flower enc_key_id 42 enc_dst_ip 10.1.1.1 enc_dst_port 4789 action continue',
  'filter add dev veth0 ingress protocol ip pref 6 flower ct_state +trk+est ct_zone 5 ct_mark 0x10/0xff action mirred egress redirect dev veth1',
  'filter replace dev veth0 ingress protocol ip pref 1 handle 1 flower ip_proto udp action pass',
  'filter add dev veth0 egress pref 1 matchall skip_sw action police rate 1mbit burst 10k conform-exceed drop/pass',
  'filter add dev veth0 egress pref 2 matchall action police pkts_rate 1000 pkts_burst 100 action gact reclassify',
  'filter add dev veth0 egress pref 3 handle 9 basic classid 1:3 police rate 2mbit burst 20k mtu 2k drop',
  'filter add dev veth0 egress pref 4 handle 6/0xff fw classid 1:6 action pass',
  'filter del dev veth0 egress pref 4',
  'filter add dev veth0 egress pref 5 matchall action vlan push id 100 priority 3 action skbedit mark 0x10/0xff priority 1:10 action tunnel_key unset',
  'filter add dev veth0 egress pref 6 matchall action vlan modify id 7 protocol 802.1ad pass index 3',
  'filter add dev veth0 egress pref 7 matchall action tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 tos 0x10 ttl 64 nocsum',
  'filter add dev veth0 ingress protocol ip pref 9 flower dst_ip 10.0.0.0/33',
  'filter del dev veth0 ingress protocol ip pref 1 handle 1 flower',
];

test('flower/matchall/basic/fw/gact/police command lines: same effect, output and status as iproute2', async (t) => {
  if (!need(t)) return;
  const twin = (): TestNetns => {
    const ns = createTestNetns();
    ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
    ns.tc('qdisc', 'add', 'dev', 'veth0', 'clsact');
    return ns;
  };
  const a = twin();
  const b = twin();
  const state = (ns: TestNetns): string => normalize(spawnSync('tc', ['-n', ns.name, '-s', 'filter', 'show', 'dev', 'veth0', 'ingress'], { encoding: 'utf8' }).stdout
    + spawnSync('tc', ['-n', ns.name, '-s', 'filter', 'show', 'dev', 'veth0', 'egress'], { encoding: 'utf8' }).stdout);
  try {
    for (const line of LINES) {
      const args = line.split(' ');
      const want = spawnSync('tc', ['-n', a.name, ...args], { encoding: 'utf8' });
      const got = spawnSync(process.execPath, [RIP, 'tc', '-n', b.name, ...args], { encoding: 'utf8' });
      assert.equal(got.stderr, want.stderr, `${line}: stderr`);
      assert.equal(got.status, want.status, `${line}: status`);
      assert.equal(state(b), state(a), `${line}: state`);
    }
    // And rip prints that state as iproute2 does.
    for (const o of [[], ['-j'], ['-s', '-d']]) {
      const want = spawnSync('tc', ['-n', a.name, ...o, 'filter', 'show', 'dev', 'veth0', 'ingress'], { encoding: 'utf8' });
      const got = spawnSync(process.execPath, [RIP, 'tc', '-n', a.name, ...o, 'filter', 'show', 'dev', 'veth0', 'ingress'], { encoding: 'utf8' });
      assert.equal(normalize(got.stdout), normalize(want.stdout), `show ${o.join(' ')}`);
    }
  } finally {
    a.cleanup();
    b.cleanup();
  }
});
