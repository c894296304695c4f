/**
 * Socket tables this machine's kernel lacks (raw_diag, sctp_diag, MPTCP,
 * vsock_diag, xsk_diag): library queries and `ss` parity with iproute2 in the
 * full-kernel VM (`npm run test:vm`). Skipped here with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { withNetns, requireKernelFeature, inVm, type TestNetns } from '../helpers/netns.js';
import { SockDiag } from '../../src/sockdiag/index.js';
import { ssMain } from '../../src/cli/ss/main.js';
import { StringSink } from '../../src/output/printer.js';

const HELPER = String.raw`
import socket, sys
S = []
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); S.append(r)
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132); s.bind(('127.0.0.1', 9100)); s.listen(4); S.append(s)
    # An association: the client's and the accepted socket's endpoints each print one under them.
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132); c.connect(('127.0.0.1', 9100)); S.append(c)
    a, _ = s.accept(); S.append(a)
except OSError as e: print('nosctp', e, flush=True)
try:
    m = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262); m.bind(('127.0.0.1', 9200)); m.listen(4); S.append(m)
except OSError as e: print('nomptcp', e, flush=True)
try:
    v = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM); v.bind((socket.VMADDR_CID_ANY, 1234)); v.listen(4); S.append(v)
except (OSError, AttributeError) as e: print('novsock', e, flush=True)
try:
    x = socket.socket(44, socket.SOCK_RAW); S.append(x)
except OSError as e: print('noxdp', e, flush=True)
print('ready', flush=True)
sys.stdin.read()
`;

/** Does the running kernel have raw_diag (a raw dump does not fail with ENOENT)? */
function hasRawDiag(): boolean {
  if (!inVm()) return false;
  for (const m of ['raw_diag', 'sctp', 'sctp_diag', 'vsock_diag', 'vsock_loopback', 'mptcp_diag', 'xsk_diag']) spawnSync('modprobe', ['-q', m]);
  const r = spawnSync('ss', ['-wan'], { encoding: 'utf8' });
  return r.status === 0 && spawnSync('sh', ['-c', 'ls /sys/module | grep -q raw_diag']).status === 0;
}

/** Start the helper; `fn` gets what it reported (e.g. `noxdp …` when a socket could not be made). */
async function withHelper(ns: TestNetns, fn: (notes: string) => Promise<void>): Promise<void> {
  const c = spawn('ip', ['netns', 'exec', ns.name, 'python3', '-c', HELPER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const notes = await new Promise<string>((resolve, reject) => {
    let out = '';
    c.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('ready')) resolve(out); });
    c.on('exit', (code) => reject(new Error(`helper exited ${String(code)}`)));
  });
  try { await fn(notes); } finally { c.stdin.end(); c.kill('SIGKILL'); }
}

test('raw, sctp, mptcp and vsock tables through sock_diag, and ss parity', { timeout: 600_000 }, async (t) => {
  if (!requireKernelFeature(t, hasRawDiag, 'raw_diag/sctp_diag/mptcp/vsock_diag/xsk_diag')) return;
  await withNetns(t, async (ns) => {
    await withHelper(ns, async (notes) => {
      await using sd = await SockDiag.open({ netns: ns.name });
      const raw = sd.raw({ states: ['all'] });
      const raws = await raw.toArray();
      assert.equal(raw.fromProc, false, 'raw sockets come from sock_diag');
      assert.ok(raws.some((s) => s.rawProtocol === 1 && s.localPort === 1));
      const sctp = await sd.sctp({ states: ['listening'] }).toArray();
      assert.ok(sctp.some((s) => s.localPort === 9100 && s.netid === 'sctp'));
      const assoc = await sd.sctp({ states: ['all'], info: true }).toArray();
      assert.ok(assoc.some((s) => s.peerPort === 9100 && s.sctpPeers?.includes('127.0.0.1') && s.sctpInfo !== undefined),
        'an association of the client with its peer addresses and sctp_info');
      const mptcp = await sd.mptcp({ states: ['listening'] }).toArray();
      assert.ok(mptcp.some((s) => s.localPort === 9200 && s.netid === 'mptcp'));
      const vs = await sd.vsock({ states: ['all'] }).toArray();
      assert.ok(vs.some((s) => s.localPort === 1234 && s.netid === 'v_str' && s.stateName === 'LISTEN'));
      const xdpStream = sd.xdp();
      const xdp = await xdpStream.toArray();
      if (notes.includes('noxdp') || xdpStream.unsupported.length) {
        t.diagnostic(`AF_XDP not checked: ${notes.trim()} unsupported=${xdpStream.unsupported.join(',')}`);
      } else {
        assert.equal(xdp.length, 1, 'the helper\'s unbound AF_XDP socket');
        assert.equal(xdp[0]!.ifindex, 0);
      }
      for (const args of [['-wan'], ['-wa'], ['-Sln'], ['-Mln'], ['--vsock', '-a'], ['-A', 'vsock_stream', '-an'], ['-an', '-A', 'raw,sctp,mptcp'], ['-Sa'], ['-San'], ['-Sani'], ['-Sanm'], ['-Sanie'], ['-SaniO'], ['--xdp'], ['--xdp', '-e'], ['-A', 'xdp', '-m']]) {
        const ref = spawnSync('ss', ['-N', ns.name, ...args], { encoding: 'utf8' });
        const sink = new StringSink();
        const status = await ssMain(['-N', ns.name, ...args], sink, () => {});
        assert.equal(sink.toString(), ref.stdout, `ss ${args.join(' ')}`);
        assert.equal(status, ref.status);
      }
    });
  });
});
