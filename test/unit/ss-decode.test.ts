/**
 * sock_diag decoding and ss text helpers without a kernel: tolerant
 * tcp_info, inet replies built with the schema, timers, rates, the column
 * renderer and getopt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from '../../src/netlink/codec/writer.js';
import { decodeTcpInfo, tcpInfo, decodeInet, schema, INET_DIAG } from '../../src/sockdiag/index.js';
import { msTimer, sprintBw } from '../../src/cli/ss/format.js';
import { ColumnRenderer, COL } from '../../src/cli/ss/render.js';
import { StringSink } from '../../src/output/printer.js';
import { getoptLong, GETOPT_ERROR } from '../../src/cli/ss/getopt.js';

test('tcp_info: every field, tolerant of shorter and longer structs', () => {
  assert.equal(tcpInfo.size, 280, 'struct tcp_info of kernel 6.18');
  const full = Buffer.alloc(300, 0);
  full[0] = 1; // state
  full[6] = 0x97; // snd_wscale 7, rcv_wscale 9
  full[7] = 0b101; // app limited, fastopen_client_fail 2
  full.writeUInt32LE(200000, 8); // rto
  full.writeUInt32LE(12345, 228); // snd_wnd
  full.writeUInt32LE(54321, 232); // rcv_wnd
  full.writeBigUInt64LE(0xffffffffffffff01n, 120); // bytes_acked (u64 exact)
  const t = decodeTcpInfo(full, 0, 300);
  assert.equal(t.state, 1);
  assert.equal(t.sndWscale, 7);
  assert.equal(t.rcvWscale, 9);
  assert.equal(t.deliveryRateAppLimited, true);
  assert.equal(t.fastopenClientFail, 2);
  assert.equal(t.rto, 200000);
  assert.equal(t.sndWnd, 12345);
  assert.equal(t.rcvWnd, 54321);
  assert.equal(t.bytesAcked, 0xffffffffffffff01n);
  assert.equal(t.length, 300);
  // An old kernel's 104-byte tcp_info: later fields read as zero.
  const old = decodeTcpInfo(full, 0, 104);
  assert.equal(old.rto, 200000);
  assert.equal(old.sndWnd, 0);
  assert.equal(old.bytesAcked, 0n);
  assert.equal(old.length, 104);
  // 5.x's 232 bytes: up to snd_wnd.
  const mid = decodeTcpInfo(full, 0, 232);
  assert.equal(mid.sndWnd, 12345);
  assert.equal(mid.rcvWnd, 0);
});

test('inet replies built with the schema decode into typed sockets', () => {
  const w = new Writer();
  const src = Buffer.alloc(16); src.set([10, 0, 0, 1]);
  const dst = Buffer.alloc(16); dst.set([192, 0, 2, 7]);
  schema.inetDiagMsg.encode(w, {
    family: 2, state: 1, timer: 2, retrans: 3, sport: 443, dport: 51000, src, dst, if: 5, cookie: 0x1234_5678_9abcn,
    expires: 7500, rqueue: 1, wqueue: 2, uid: 1000, inode: 4242,
  }, {});
  schema.inetDiagAttrs.encode(w, { shutdown: 2, mark: 0x2a, cgroupId: 99n, cong: 'cubic', skmeminfo: [1, 2, 3, 4, 5, 6, 7, 8, 9], unknownLater: undefined } as never, {});
  const buf = w.toBuffer();
  const s = decodeInet(buf, 0, buf.length, 6);
  assert.equal(s.netid, 'tcp');
  assert.equal(s.stateName, 'ESTAB');
  assert.equal(s.localAddress, '10.0.0.1');
  assert.equal(s.peerAddress, '192.0.2.7');
  assert.equal(s.localPort, 443);
  assert.equal(s.peerPort, 51000);
  assert.deepEqual([...s.localBytes], [10, 0, 0, 1]);
  assert.equal(s.ifindex, 5);
  assert.equal(s.cookie, 0x1234_5678_9abcn);
  assert.deepEqual(s.timer, { code: 2, name: 'keepalive', expiresMs: 7500, retrans: 3 });
  assert.equal(s.shutdown, 2);
  assert.equal(s.mark, 0x2a);
  assert.equal(s.cgroupId, 99n);
  assert.equal(s.congestion, 'cubic');
  assert.equal(s.skmem?.drops, 9);
  assert.equal(INET_DIAG.CONG, 4);
});

test('print_ms_timer and sprint_bw as ss formats them', () => {
  assert.equal(msTimer(7500), '7.500ms');
  assert.equal(msTimer(59000), '59sec');
  assert.equal(msTimer(60000), '1min');
  assert.equal(msTimer(61500), '1min1sec');
  assert.equal(msTimer(650000), '10min');
  assert.equal(msTimer(250), '250ms');
  assert.equal(msTimer(12345), '12sec');
  assert.equal(sprintBw(49420377358, false), '49.4G');
  assert.equal(sprintBw(1500, false), '1.5k');
  assert.equal(sprintBw(999, false), '999');
  assert.equal(sprintBw(1234567.8, true), '1234568');
});

test('column renderer: compact widths, alignment, the unflushed last token is not measured', () => {
  const sink = new StringSink();
  const r = new ColumnRenderer(sink, -1);
  r.disable(COL.NETID);
  r.header();
  const row = (st: string, a: string, p: string, extra: string): void => {
    r.set(COL.STATE); r.out(st); r.set(COL.RECVQ); r.out('0     '); r.set(COL.SENDQ); r.out('0     ');
    r.set(COL.ADDR); r.out(a + ':'); r.next(); r.out(p); r.next(); r.out('0.0.0.0:'); r.next(); r.out('*'); r.next(); r.out(extra);
  };
  row('LISTEN', '127.0.0.1', '8080', '');
  row('ESTAB', '10.0.0.1', '22', ' a-very-long-process-column-text');
  r.render();
  assert.equal(sink.toString(),
    'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n' +
    'LISTEN 0      0          127.0.0.1:8080      0.0.0.0:*          \n' +
    'ESTAB  0      0           10.0.0.1:22        0.0.0.0:*    a-very-long-process-column-text\n');
});

test('getopt_long: clusters, attached and separate arguments, long prefixes, permutation, errors', () => {
  const longs = [{ name: 'numeric', arg: false, key: 'n' }, { name: 'net', arg: true, key: 'N' }, { name: 'no-header', arg: false, key: 'H' }];
  const r = getoptLong(['-tan', 'state', 'established', '-Nfoo', '--num', '--net=bar', '--', '-x'], 'tanN:H', longs);
  assert.deepEqual(r.opts.map((o) => `${o.key}${o.value ?? ''}`), ['t', 'a', 'n', 'Nfoo', 'n', 'Nbar']);
  assert.deepEqual(r.rest, ['state', 'established', '-x']);
  assert.deepEqual(getoptLong(['-Q'], 'tan', longs).opts, [{ key: GETOPT_ERROR, value: "ss: invalid option -- 'Q'" }]);
  // A malformed option ends the list as an error entry, after the options before it (ss acts on those first).
  const last = (r: { opts: { key: string; value: string | undefined }[] }): { key: string; value: string | undefined } => r.opts[r.opts.length - 1]!;
  assert.equal(last(getoptLong(['--n'], 'tan', longs)).key, GETOPT_ERROR);
  assert.match(last(getoptLong(['--n'], 'tan', longs)).value!, /is ambiguous/);
  assert.deepEqual(getoptLong(['-N'], 'N:', longs).opts, [{ key: GETOPT_ERROR, value: "ss: option requires an argument -- 'N'" }]);
  assert.deepEqual(getoptLong(['-t', '--bogus', '-a'], 'taN:', longs).opts, [{ key: 't', value: undefined }, { key: GETOPT_ERROR, value: "ss: unrecognized option '--bogus'" }]);
});
