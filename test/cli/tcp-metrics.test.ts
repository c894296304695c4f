/**
 * `ip tcp_metrics` parity with iproute2 6.1 on entries made by real TCP
 * connections over loopback: show (text, -j, selectors, single get),
 * delete, flush (with -s/-s -s), and bad input. Also the library's TcpMetrics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestNetns, requireRoot, withNetns, type TestNetns } from '../helpers/netns.js';
import { assertParity, assertRejectedLikeIproute2, iproute2, rip, words } from './ip-parity-util.js';
import { TcpMetrics } from '../../src/netlink/tcp-metrics.js';

/** Connections to three IPv4 destinations and ::1; closing them stores metrics. */
const CONNECT = `
import socket
s = socket.socket(); s.bind(('0.0.0.0', 5000)); s.listen()
for dst in ['127.0.0.1', '127.0.0.2', '127.1.0.3']:
    c = socket.create_connection((dst, 5000)); a, _ = s.accept(); c.send(b'x' * 10000); a.recv(10000); c.close(); a.close()
s6 = socket.socket(socket.AF_INET6); s6.bind(('::1', 5001)); s6.listen()
c = socket.create_connection(('::1', 5001)); a, _ = s6.accept(); c.send(b'y' * 1000); a.recv(1000); c.close(); a.close()
`;

function setup(ns: TestNetns): void {
  ns.ip('link', 'set', 'lo', 'up');
  const r = ns.run('python3', ['-c', CONNECT]);
  assert.equal(r.status, 0, r.stderr);
}

/** Ages move between two reads; two namespaces differ in hash order and measured values (keys only, sorted). */
const ageless = (s: string): string => s.replace(/age [\d.]+sec/g, 'age X').replace(/"age": ?[\d.e-]+/g, '"age":X');
const sorted = (s: string): string => s.split('\n').map((l) => l.replace(/ age .* source /, ' source ')).sort().join('\n');

const SHOW = [
  'tcp_metrics', 'tcpmetrics', 'tcp_metrics show', 'tcp_metrics list', 'tcp_metrics lst', '-j tcp_metrics', '-p -j tcp_metrics',
  'tcp_metrics show 127.0.0.1', '-j tcp_metrics show 127.0.0.1', 'tcp_metrics show 127.0.0.0/8', 'tcp_metrics show address 127.0.0.2',
  'tcp_metrics show addr 127.1.0.0/16', 'tcp_metrics show src 127.0.0.1', 'tcp_metrics show src ::1', '-6 tcp_metrics', '-4 tcp_metrics',
  'tcp_metrics show ::1', 'tcp_metrics show 10.0.0.1', 'tcp_metrics show 127.0.0.1 127.0.0.2', 'tcp_metrics show 127.0.0.0/8 x 127.0.0.2',
  'tcp_metrics show 127.0.0.2 x src 127.0.0.1', '-6 tcp_metrics show 127.0.0.1', 'tcp_metrics show default', '-c tcp_metrics',
];

const BAD = [
  'tcp_metrics delete', 'tcp_metrics delete 127.0.0.0/8', 'tcp_metrics help', 'tcp_metrics foo', '-0 tcp_metrics', 'tcp_metrics show help',
  'tcp_metrics show addr', 'tcp_metrics delete 10.9.9.9', 'tcp_metrics show src 127.0.0.0/8', 'tcp_metrics show zz',
  'tcp_metrics show 127.0.0.1 src 127.0.0.1', 'tcp_metrics show src', '-6 tcp_metrics show 10.0.0.1',
];

const CHANGES = [
  'tcp_metrics delete 127.1.0.3', 'tcp_metrics delete 127.1.0.3', 'tcp_metrics delete address 127.0.0.1 src 127.0.0.2',
  '-s -s tcp_metrics flush 127.0.0.2', '-s tcp_metrics flush 127.0.0.0/8', 'tcp_metrics flush 127.0.0.0/8', '-6 tcp_metrics flush',
  'tcp_metrics flush', 'tcp_metrics flush',
];

test('ip tcp_metrics show: same output as iproute2', async (t) => {
  await withNetns(t, (ns) => {
    setup(ns);
    for (const line of SHOW) assertParity(ns, line, ageless);
    assertRejectedLikeIproute2(ns, BAD);
  });
});

test('ip tcp_metrics delete/flush: same effect as iproute2', async (t) => {
  if (!requireRoot(t)) return;
  const a = createTestNetns('rip-tcpm-a');
  const b = createTestNetns('rip-tcpm-b');
  try {
    setup(a);
    setup(b);
    for (const line of CHANGES) {
      const want = iproute2(a, words(line));
      const got = rip(b, words(line));
      assert.equal(sorted(got.stdout), sorted(want.stdout), `stdout of: ip ${line}`);
      assert.equal(got.stderr, want.stderr, `stderr of: ip ${line}`);
      assert.equal(got.status, want.status, `status of: ip ${line}`);
      assert.equal(sorted(iproute2(b, ['tcp_metrics']).stdout), sorted(iproute2(a, ['tcp_metrics']).stdout), `state after: ip ${line}`);
    }
    assert.equal(iproute2(b, ['tcp_metrics']).stdout, '');
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('TcpMetrics: list, get, del, flush', async (t) => {
  await withNetns(t, async (ns) => {
    setup(ns);
    const tm = await TcpMetrics.open({ netns: ns.name });
    try {
      const all = await tm.list().toArray();
      const keys = all.map((e) => `${e.dst} ${e.source}`).sort();
      assert.ok(keys.includes('127.0.0.2 127.0.0.1') && keys.includes('::1 ::1'), keys.join(','));
      const one = await tm.get('127.0.0.2');
      assert.equal(one?.dst, '127.0.0.2');
      assert.ok((one?.vals.cwnd ?? 0) > 0);
      await tm.del('127.0.0.2');
      assert.ok(!(await tm.list().toArray()).some((e) => e.dst === '127.0.0.2'));
      await tm.flush();
      assert.deepEqual(await tm.list().toArray(), []);
    } finally {
      tm.close();
    }
  });
});
