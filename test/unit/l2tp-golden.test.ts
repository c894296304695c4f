/**
 * Golden bytes for `ip l2tp` (test/fixtures/golden/l2tp.json, captured from
 * iproute2 6.1 in the full-kernel VM with `capture-golden.js l2tp --genl`):
 * the requests our command line builds must equal iproute2's, with the
 * run-time generic netlink family id (nlmsg_type) zeroed on both sides. The
 * library's own builders (addTunnel/addSession configs) must match too, and
 * the schema must decode what it encodes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGolden, golden, assertSameBytes } from '../helpers/golden.js';
import { Args, CliError } from '../../src/cli/common/args.js';
import { planL2tp, type L2tpRequest } from '../../src/cli/ip/l2tp.js';
import { genlRequest, genlDecode } from '../../src/netlink/genl.js';
import { NLM_F } from '../../src/netlink/constants.js';
import { tunnelCreateAttrs, sessionCreateAttrs, tunnelFromAttrs, sessionFromAttrs, L2TP_CMD } from '../../src/netlink/l2tp.js';
import { l2tpAttrs, type L2tpAttrs } from '../../src/netlink/l2tp-schema.js';
import { bytesOf } from './ip-golden-util.js';

/** A request as bytes with family id 0 (the fixtures' normalisation). */
function bytes(cmd: number, attrs: L2tpAttrs, dump = false): Buffer {
  return bytesOf(genlRequest(0, cmd, 1, dump ? NLM_F.DUMP : NLM_F.ACK, l2tpAttrs, attrs));
}
const reqBytes = (r: L2tpRequest): Buffer => bytes(r.cmd, r.attrs, r.kind === 'dump');

/** `ip [-opts] l2tp VERB ARGS…` → the plan. */
function plan(cmd: string, warn: (s: string) => void = () => {}) {
  const words = cmd.split(' ').slice(1);
  while (words[0]?.startsWith('-')) words.shift();
  words.shift(); // l2tp
  return planL2tp(words.shift()!, new Args(words), warn);
}

const cases = loadGolden('l2tp');

test('the fixtures cover at least 15 command lines', () => {
  assert.ok(cases.length >= 15, `${cases.length} fixtures`);
});

for (const c of cases) {
  test(`golden: ${c.cmd}`, () => {
    const warnings: string[] = [];
    const p = plan(c.cmd, (s) => warnings.push(s));
    assert.equal(p.requests.length, c.buffers.length, 'number of requests');
    p.requests.forEach((r, i) => assertSameBytes(reqBytes(r), c.buffers[i]!, `${c.cmd} [${i}]`));
    const ignored = ['offset', 'peer_offset'].filter((o) => c.cmd.split(' ').includes(o)).map((o) => `Ignoring option "${o}"`);
    assert.deepEqual(warnings, ignored);
  });
}

test('library configs encode as iproute2 does', () => {
  const t = (cmd: string): Buffer => golden('l2tp', cmd).buffers[0]!;
  assertSameBytes(bytes(L2TP_CMD.TUNNEL_CREATE, tunnelCreateAttrs({
    tunnel_id: 1, peer_tunnel_id: 2, encap: 'udp', local: '192.0.2.1', remote: '192.0.2.2', udp_sport: 5000, udp_dport: 6000,
  })), t('ip l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 encap udp local 192.0.2.1 remote 192.0.2.2 udp_sport 5000 udp_dport 6000'));
  assertSameBytes(bytes(L2TP_CMD.TUNNEL_CREATE, tunnelCreateAttrs({
    tunnel_id: 3, peer_tunnel_id: 4, encap: 'ip', local: '192.0.2.1', remote: '192.0.2.2',
  })), t('ip l2tp add tunnel tunnel_id 3 peer_tunnel_id 4 encap ip local 192.0.2.1 remote 192.0.2.2'));
  assertSameBytes(bytes(L2TP_CMD.TUNNEL_CREATE, tunnelCreateAttrs({
    tunnel_id: 9, peer_tunnel_id: 10, local: '2001:db8::1', remote: '2001:db8::2', udp_sport: 5002, udp_dport: 6002, udp6_csum_tx: false, udp6_csum_rx: false,
  })), t('ip l2tp add tunnel tunnel_id 9 peer_tunnel_id 10 encap udp local 2001:db8::1 remote 2001:db8::2 udp_sport 5002 udp_dport 6002 udp6_csum_tx off udp6_csum_rx off'));
  assertSameBytes(bytes(L2TP_CMD.TUNNEL_CREATE, tunnelCreateAttrs({
    tunnel_id: 7, peer_tunnel_id: 8, local: '192.0.2.1', remote: '192.0.2.2', udp_sport: 1701, udp_dport: 1701, udp_csum: true,
  })), t('ip l2tp add tunnel remote 192.0.2.2 local 192.0.2.1 tunnel_id 7 peer_tunnel_id 8 udp_sport 1701 udp_dport 1701 udp_csum on'));
  const s = (cmd: string): Buffer | undefined => loadGolden('l2tp').find((e) => e.cmd === cmd)?.buffers[0];
  const sess = s('ip l2tp add session name l2tpeth7 tunnel_id 1 session_id 11 peer_session_id 21 cookie 0102030405060708 peer_cookie a1b2c3d4 seq both l2spec_type none');
  if (sess) {
    assertSameBytes(bytes(L2TP_CMD.SESSION_CREATE, sessionCreateAttrs({
      tunnel_id: 1, session_id: 11, peer_session_id: 21, l2spec_type: 'none', recv_seq: true, send_seq: true,
      cookie: '0102030405060708', peer_cookie: 'a1b2c3d4', ifname: 'l2tpeth7',
    })), sess);
  }
  const plain = s('ip l2tp add session tunnel_id 1 session_id 10 peer_session_id 20');
  if (plain) assertSameBytes(bytes(L2TP_CMD.SESSION_CREATE, sessionCreateAttrs({ tunnel_id: 1, session_id: 10, peer_session_id: 20 })), plain);
});

test('decode: a tunnel and a session reply read back typed', () => {
  const dec = (b: Buffer): L2tpAttrs => genlDecode({ type: 0, flags: 0, seq: 0, pid: 0, buf: b, off: 16, len: b.length - 16 }, l2tpAttrs).attrs;
  const t6 = tunnelFromAttrs(dec(bytes(L2TP_CMD.TUNNEL_GET, {
    conn_id: 9, peer_conn_id: 10, proto_version: 3, encap_type: 0, debug: 0,
    stats: { tx_packets: 1n, tx_bytes: 2n, tx_errors: 3n, rx_packets: 4n, rx_bytes: 5n, rx_seq_discards: 6n, rx_oos_packets: 7n, rx_errors: 8n },
    udp_zero_csum6_rx: true, ip6_saddr: '2001:db8::1', ip6_daddr: '2001:db8::2', udp_sport: 5002, udp_dport: 6002,
  })));
  assert.equal(t6.tunnel_id, 9);
  assert.equal(t6.peer_tunnel_id, 10);
  assert.equal(t6.encap, 'udp');
  assert.equal(t6.ip_version, 6);
  assert.equal(t6.local, '2001:db8::1');
  assert.equal(t6.remote, '2001:db8::2');
  assert.equal(t6.udp6_csum_tx, true);
  assert.equal(t6.udp6_csum_rx, false);
  assert.equal(t6.udp_csum, undefined);
  assert.equal(t6.stats?.rx_errors, 8n);
  assert.equal(t6.stats?.rx_invalid, undefined);
  const t4 = tunnelFromAttrs(dec(bytes(L2TP_CMD.TUNNEL_GET, { conn_id: 3, peer_conn_id: 4, encap_type: 1, ip_saddr: '10.0.0.1', ip_daddr: '10.0.0.2' })));
  assert.equal(t4.encap, 'ip');
  assert.equal(t4.ip_version, 4);
  assert.equal(t4.udp6_csum_tx, undefined);
  const s = sessionFromAttrs(dec(bytes(L2TP_CMD.SESSION_GET, {
    conn_id: 1, session_id: 11, peer_conn_id: 2, peer_session_id: 21, debug: 0, pw_type: 5, ifname: 'l2tpeth7',
    cookie: Buffer.from('0102030405060708', 'hex'), peer_cookie: Buffer.from('a1b2c3d4', 'hex'), recv_seq: 1, send_seq: 0, lns_mode: 0, recv_timeout: 250n,
  })));
  assert.deepEqual({ ...s, raw: undefined }, {
    tunnel_id: 1, peer_tunnel_id: 2, session_id: 11, peer_session_id: 21, pw_type: 'eth', ifname: 'l2tpeth7',
    cookie: '0102030405060708', peer_cookie: 'a1b2c3d4', recv_seq: true, send_seq: false, lns_mode: false, using_ipsec: false,
    reorder_timeout: 250, l2spec_type: undefined, debug: 0, stats: undefined, raw: undefined,
  });
  assert.equal(sessionFromAttrs(dec(bytes(L2TP_CMD.SESSION_GET, { pw_type: 0x63 }))).pw_type, 0x63, 'unknown pseudowire types stay numbers');
});

test('bad command lines: iproute2 text and exit status, no request', () => {
  const err = (cmd: string): [string, number] => {
    try { plan(cmd); } catch (e) { if (e instanceof CliError) return [e.message, e.exitCode]; throw e; }
    throw new Error(`no error for ${cmd}`);
  };
  assert.deepEqual(err('ip l2tp add tunnel'), ['Error: argument "tunnel_id" is required', 255]);
  assert.deepEqual(err('ip l2tp add tunnel_id 1'), ['Error: argument "tunnel or session" is required', 255]);
  assert.deepEqual(err('ip l2tp add tunnel tunnel_id 1'), ['Error: argument "peer_tunnel_id" is required', 255]);
  assert.deepEqual(err('ip l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 local any remote 10.0.0.1'), ['Error: argument "local" is required', 255]);
  assert.deepEqual(err('ip l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 local 10.0.0.2 remote 10.0.0.1'), ['Error: argument "udp_sport" is required', 255]);
  assert.deepEqual(err('ip l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 local 10.0.0.2 remote 10.0.0.1 udp_sport 1'), ['Error: argument "udp_dport" is required', 255]);
  assert.deepEqual(err('ip l2tp add session tunnel_id 1 session_id 2'), ['Error: argument "peer_session_id" is required', 255]);
  assert.deepEqual(err('ip l2tp add session tunnel_id 1 peer_session_id 2'), ['Error: argument "session_id" is required', 255]);
  assert.deepEqual(err('ip l2tp add tunnel tunnel_id x'), ['Error: argument "x" is wrong: invalid ID\n', 255]);
  assert.deepEqual(err('ip l2tp add tunnel tunnel_id 4294967296'), ['Error: argument "4294967296" is wrong: invalid ID\n', 255]);
  assert.deepEqual(err('ip l2tp add tunnel udp_sport 65536'), ['Error: argument "65536" is wrong: invalid port\n', 255]);
  assert.deepEqual(err('ip l2tp add tunnel encap gre'), ['Unknown tunnel encapsulation "gre"', 255]);
  assert.deepEqual(err('ip l2tp add tunnel udp_csum yes'), ['Error: argument "yes" is wrong: invalid option for udp_csum\n', 255]);
  assert.deepEqual(err('ip l2tp add session cookie 123'), ['Error: argument "123" is wrong: cookie must be either 8 or 16 hex digits\n', 255]);
  assert.deepEqual(err('ip l2tp add session cookie 0102030g'), ['Error: argument "0102030g" is wrong: cookie must be a hex string\n', 255]);
  assert.deepEqual(err('ip l2tp add session seq maybe'), ['Unknown seq value "maybe"', 255]);
  assert.deepEqual(err('ip l2tp add session l2spec_type x'), ['Unknown layer2specific header type "x"', 255]);
  assert.deepEqual(err('ip l2tp add session name a/b'), ['Error: argument "a/b" is wrong: "name" not a valid ifname', 255]);
  assert.deepEqual(err('ip l2tp add tunnel remote zz'), ['Error: any valid address is expected rather than "zz".', 1]);
  assert.deepEqual(err('ip l2tp add tunnel tunnel_id'), ['Command line is not complete. Try option "help"', 255]);
  assert.equal(err('ip l2tp add bogus')[0].split('\n')[0], 'Unknown command: bogus');
  assert.equal(err('ip l2tp add bogus')[1], 255);
  assert.ok(err('ip l2tp show help')[0].startsWith('Usage: ip l2tp add tunnel\n'));
  assert.deepEqual(err('ip l2tp show'), [err('ip l2tp show help')[0], 255]);
  assert.deepEqual(err('ip l2tp show tunnel_id 1'), ['Error: argument "tunnel or session" is required', 255]);
  assert.deepEqual(err('ip l2tp del tunnel'), ['Error: argument "tunnel_id" is required', 255]);
  assert.deepEqual(err('ip l2tp del session tunnel_id 1'), ['Error: argument "session_id" is required', 255]);
  assert.deepEqual(err('ip l2tp frob tunnel'), ['Command "frob" is unknown, try "ip l2tp help".', 255]);
});
