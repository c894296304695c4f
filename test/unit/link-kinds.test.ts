/**
 * Link kind schemas and typed specs without a kernel: every registered
 * IFLA_INFO_DATA / SLAVE_DATA schema round-trips random values inside a
 * whole link message; typed `add` specs turn into the attributes iproute2
 * would send (checked against the golden fixtures' decoded attributes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from '../../src/netlink/codec/writer.js';
import { seededRandom, UNKNOWN, type RawAttribute } from '../../src/netlink/codec/schema.js';
import { linkMessage, linkKinds, slaveKinds, type LinkAttrsShape } from '../../src/netlink/rtnetlink/link-schema.js';
import { ifinfomsg } from '../../src/netlink/structs.js';
import { LinkApi, decodeLink, linkData } from '../../src/netlink/link.js';
import type { NetlinkSocket } from '../../src/netlink/socket.js';
import { ValidationError } from '../../src/netlink/errors.js';
import '../../src/netlink/rtnetlink/kinds/index.js';
import { loadGolden } from '../helpers/golden.js';

function roundTrip(attrs: LinkAttrsShape): LinkAttrsShape {
  const w = new Writer();
  linkMessage.encode(w, { ...ifinfomsg.zero }, attrs);
  const b = w.toBuffer();
  return linkMessage.decode(b, 0, b.length).attrs;
}

/** JSON-ish comparison that keeps bigints and Buffers. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (Buffer.isBuffer(v)) return `hex:${v.toString('hex')}`;
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = plain(x);
    if ((v as { [UNKNOWN]?: unknown })[UNKNOWN]) o.unknown = plain((v as { [UNKNOWN]?: unknown })[UNKNOWN]);
    return o;
  }
  return v;
}

test('every kind schema round-trips random values (decode(encode(x)) = x)', () => {
  const rng = seededRandom(7);
  const kinds = [...linkKinds.keys()].filter((k) => k !== 'veth');
  assert.ok(kinds.length >= 20, `kinds registered: ${kinds.join(' ')}`);
  for (const kind of kinds) {
    const codec = linkKinds.get(kind)!;
    for (let i = 0; i < 30; i++) {
      const data = codec.arbitrary(rng, { kind });
      const back = roundTrip({ ifname: 'x', linkinfo: { kind, data } });
      assert.deepEqual(plain(back.linkinfo?.data), plain(data), kind);
    }
  }
  for (const kind of slaveKinds.keys()) {
    const codec = slaveKinds.get(kind)!;
    for (let i = 0; i < 30; i++) {
      const data = codec.arbitrary(rng, { slave_kind: kind });
      const back = roundTrip({ linkinfo: { kind: 'veth', slave_kind: kind, slave_data: data } });
      assert.deepEqual(plain(back.linkinfo?.slave_data), plain(data), `${kind}_slave`);
    }
  }
});

test('a veth peer nests a whole link message', () => {
  const back = roundTrip({ ifname: 'a', linkinfo: { kind: 'veth', data: { peer: { header: { ...ifinfomsg.zero, flags: 1, change: 1 }, attrs: { ifname: 'b', mtu: 1300 } } } } });
  const peer = (back.linkinfo?.data as { peer: { header: { flags: number }; attrs: LinkAttrsShape } }).peer;
  assert.equal(peer.attrs.ifname, 'b');
  assert.equal(peer.attrs.mtu, 1300);
  assert.equal(peer.header.flags, 1);
});

test('unknown kinds keep their data as bytes; unknown attributes survive', () => {
  const back = roundTrip({ linkinfo: { kind: 'frob', data: Buffer.from([4, 0, 1, 0]) } });
  assert.deepEqual(back.linkinfo?.data, Buffer.from([4, 0, 1, 0]));
  const data: Record<string, unknown> & { [UNKNOWN]?: RawAttribute[] } = { stp_state: 1 };
  data[UNKNOWN] = [{ type: 200, data: Buffer.from([1, 2, 3, 4]) }];
  const br = roundTrip({ linkinfo: { kind: 'bridge', data } });
  assert.deepEqual(plain(br.linkinfo?.data), { stp_state: 1, unknown: [{ type: 200, data: 'hex:01020304' }] });
});

/** buildAdd never touches the socket when every reference is an ifindex. */
const api = new LinkApi(null as unknown as NetlinkSocket);

/** The attributes of the golden request for `cmd`. */
function goldenAttrs(cmd: string): LinkAttrsShape {
  const c = loadGolden('link').find((x) => x.cmd === cmd);
  assert.ok(c, cmd);
  const m = c.buffers[c.buffers.length - 1]!;
  return linkMessage.decode(m, 16, m.length - 16).attrs;
}

test('typed add specs encode as iproute2 sends them', async () => {
  const cases: Array<[string, Parameters<LinkApi['buildAdd']>[0]]> = [
    ['ip link add br0 type bridge stp_state 1 forward_delay 400 hello_time 200 max_age 2000 ageing_time 30000 priority 100 vlan_filtering 1 vlan_default_pvid 10 mcast_snooping 0',
      { ifname: 'br0', kind: 'bridge', stp_state: 1, forward_delay: 400, hello_time: 200, max_age: 2000, ageing_time: 30000, priority: 100, vlan_filtering: 1, vlan_default_pvid: 10, mcast_snooping: 0 }],
    ['ip link add link d0 name d0.10 type vlan id 10', { ifname: 'd0.10', kind: 'vlan', link: 3, id: 10 }],
    ['ip link add link d0 name mv0 type macvlan mode bridge', { ifname: 'mv0', kind: 'macvlan', link: 3, mode: 'bridge' }],
    ['ip link add vrf0 type vrf table 100', { ifname: 'vrf0', kind: 'vrf', table: 100 }],
    ['ip link add dummy0 type dummy', { ifname: 'dummy0', kind: 'dummy' }],
    ['ip link add wg0 type wireguard', { ifname: 'wg0', kind: 'wireguard' }],
    ['ip link add dummy1 mtu 9000 address 02:00:00:00:00:01 txqueuelen 100 type dummy', { ifname: 'dummy1', kind: 'dummy', address: '02:00:00:00:00:01', txqlen: 100, mtu: 9000 }],
  ];
  for (const [cmd, spec] of cases) {
    const req = await api.buildAdd(spec);
    assert.deepEqual(plain(roundTrip(req.attrs)), plain(goldenAttrs(cmd)), cmd);
  }
  const vx = await api.buildAdd({ ifname: 'vx3', kind: 'vxlan', id: 44, remote: '2001:db8::1', dstport: 4789, udp_zero_csum6_tx: 1 });
  assert.deepEqual(plain(vx.attrs.linkinfo?.data), { id: 44, group6: '2001:db8::1', port: 4789, udp_zero_csum6_tx: 1 });
  const bond = await api.buildAdd({ ifname: 'b', kind: 'bond', mode: '802.3ad', primary: 5, miimon: 100 });
  assert.deepEqual(plain(bond.attrs.linkinfo?.data), { mode: 4, primary: 5, miimon: 100 });
  const vlan = await api.buildAdd({ ifname: 'v', kind: 'vlan', link: 2, id: 5, protocol: '802.1ad' });
  assert.deepEqual(plain(vlan.attrs.linkinfo?.data), { protocol: 0x88a8, id: 5 });
  assert.equal(vlan.attrs.link, 2);
});

test('typed specs are validated before anything is sent', async () => {
  await assert.rejects(api.buildAdd({ ifname: '', kind: 'dummy' }), ValidationError);
  await assert.rejects(api.buildAdd({ ifname: 'way-too-long-name0', kind: 'dummy' }), ValidationError);
  await assert.rejects(api.buildAdd({ ifname: 'x', kind: 'dummy', mtu: -1 }), ValidationError);
  await assert.rejects(api.buildAdd({ ifname: 'x', kind: 'dummy', address: 'nope' }), ValidationError);
  await assert.rejects(api.buildAdd({ ifname: 'x', kind: 'vlan', link: 2, id: 4096 }), ValidationError);
  await assert.rejects(api.buildAdd({ ifname: 'x', kind: 'vxlan', id: 1, remote: '300.1.1.1' }), ValidationError);
  await assert.rejects(api.buildAdd({ ifname: 'x', kind: 'macvlan', link: 2, mode: 'weird' as 'bridge' }), ValidationError);
  await assert.rejects(api.buildAdd({ ifname: 'x', kind: 'veth', peer: { ifname: 'bad/name' } }), ValidationError);
  await assert.rejects(api.buildAdd({ ifname: 'x', kind: 'dummy', netns: 'no-such-netns-rip' }), ValidationError);
});

test('decodeLink exposes typed kind data', () => {
  const m = loadGolden('link').find((x) => x.cmd.startsWith('ip link add vx1 type vxlan'))!;
  const buf = m.buffers[m.buffers.length - 1]!;
  const l = decodeLink({ type: 16, flags: 0, seq: 0, pid: 0, buf, off: 16, len: buf.length - 16 });
  const d = linkData(l, 'vxlan');
  assert.ok(d);
  assert.equal(d.id, 43);
  assert.equal(d.group, '239.1.1.1');
  assert.equal(d.link, 3);
  assert.deepEqual(d.port_range, { low: 1000, high: 2000 });
  assert.equal(linkData(l, 'bridge'), undefined);
});
