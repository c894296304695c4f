/**
 * Golden bytes for `ip link add|set|replace|delete`: the RTM_NEWLINK /
 * RTM_DELLINK message rip builds for a command line equals the one iproute2
 * 6.1 sent (captured with strace into test/fixtures/golden/link.json), for
 * every link kind — including those this machine's kernel lacks.
 *
 * iproute2 first sends an RTM_NEWLINK probe (iplink_have_newlink, ifindex -1)
 * and resolves names with RTM_GETLINK; the capture drops the GETLINKs and the
 * command's own message is the last one. Names resolve to the ifindexes a
 * fresh namespace gives after the fixture's setup (lo 1, then each created
 * link in order; a veth pair gives the peer the lower index).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from '../../src/netlink/codec/writer.js';
import { linkMessage } from '../../src/netlink/rtnetlink/link-schema.js';
import { rtRequest } from '../../src/netlink/rtnetlink/request.js';
import { NLM_F } from '../../src/netlink/constants.js';
import { parseLinkCommand, type LinkResolver, type LinkVerb } from '../../src/cli/ip/link-parse.js';
import { assertSameBytes, loadGolden } from '../helpers/golden.js';

/** Links each fixture setup creates, by name: [ifindex, kind, address length]. */
function resolverFor(setup: readonly string[], family: number): LinkResolver {
  const links = new Map<string, [number, string, number]>([['lo', [1, 'loopback', 6]]]);
  let next = 2;
  for (const s of setup) {
    const m = /^ip link add (\S+) type (\S+)(?: peer name (\S+))?/.exec(s);
    if (!m) throw new Error(`unexpected setup: ${s}`);
    if (m[3]) links.set(m[3], [next++, m[2]!, 6]);
    links.set(m[1]!, [next++, m[2]!, 6]);
  }
  const byIndex = new Map([...links.values()].map((v) => [v[0], v] as const));
  return {
    family,
    index: (n) => links.get(n)?.[0] ?? 0,
    kind: (i) => byIndex.get(i)?.[1],
    addrLen: (n) => links.get(n)?.[2] ?? -1,
  };
}

const VERBS: Record<string, LinkVerb> = { add: 'add', set: 'set', replace: 'replace', del: 'delete', delete: 'delete' };

/** Our bytes for a fixture's command line. */
function build(cmd: string, setup: readonly string[]): Buffer {
  const argv = cmd.split(' ').slice(1);
  let family = 0;
  if (argv[0] === '-4') { family = 2; argv.shift(); }
  if (argv[0] === '-6') { family = 10; argv.shift(); }
  assert.equal(argv.shift(), 'link');
  const verb = VERBS[argv.shift()!];
  assert.ok(verb, cmd);
  const c = parseLinkCommand(verb, argv, resolverFor(setup, family));
  const w = new Writer();
  // rtnl_talk() adds NLM_F_ACK, as LinkApi.modify() does.
  rtRequest(linkMessage, c.type, c.flags | NLM_F.ACK, c.header, c.attrs)(w, 0);
  return w.toBuffer();
}

const cases = loadGolden('link');

test('the link golden suite covers at least 25 command lines and every kind', () => {
  assert.ok(cases.length >= 25, `only ${cases.length} fixtures`);
  const kinds = new Set(cases.map((c) => /type (\S+)/.exec(c.cmd)?.[1]).filter(Boolean));
  for (const k of ['dummy', 'bridge', 'bond', 'vlan', 'vxlan', 'macvlan', 'macvtap', 'ipvlan', 'vrf', 'gre', 'gretap', 'ip6gre', 'ip6gretap', 'ipip', 'sit', 'ip6tnl', 'vti', 'vti6', 'geneve', 'wireguard', 'veth', 'ifb', 'bridge_slave', 'bond_slave']) {
    assert.ok(kinds.has(k), `no golden case for ${k}`);
  }
});

for (const c of cases) {
  test(`golden: ${c.cmd}`, () => {
    const expected = c.buffers[c.buffers.length - 1]!;
    assertSameBytes(build(c.cmd, c.setup), expected, c.cmd);
  });
}

test('decoding a golden request gives back the typed attributes', () => {
  const c = cases.find((x) => x.cmd.startsWith('ip link add br0 type bridge'))!;
  const m = c.buffers[c.buffers.length - 1]!;
  const { attrs } = linkMessage.decode(m, 16, m.length - 16);
  assert.equal(attrs.ifname, 'br0');
  assert.equal(attrs.linkinfo?.kind, 'bridge');
  assert.deepEqual({ ...(attrs.linkinfo?.data as object) }, {
    stp_state: 1, forward_delay: 400, hello_time: 200, max_age: 2000, ageing_time: 30000, priority: 100,
    vlan_filtering: 1, vlan_default_pvid: 10, mcast_snooping: 0,
  });
});
