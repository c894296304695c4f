/**
 * TIPC sockets (tipc + tipc_diag modules, which this machine's kernel lacks):
 * `SockDiag.tipc()` against what the sockets report about themselves, and
 * `rip ss` against iproute2's `ss` on the same namespace, in the full-kernel
 * VM (`npm run test:vm`). Skipped here with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withNetns, requireKernelFeature, inVm, type TestNetns } from '../helpers/netns.js';
import { repoRoot } from '../helpers/golden.js';
import { SockDiag, type TipcSocket } from '../../src/sockdiag/index.js';
import { ssMain } from '../../src/cli/ss/main.js';
import { StringSink } from '../../src/output/printer.js';

/**
 * Opens an RDM socket bound to a service range (and a message waiting in it),
 * a stream listener with a connected pair (one unread message), a seqpacket
 * listener with a connected pair (two unread), an unbound dgram and RDM socket;
 * prints each socket's own view: [label, type, (node, ref), peer (node, ref) or null].
 */
const HELPER = String.raw`
import socket, select, sys, json
AF = socket.AF_TIPC
S = []
def sock(label, kind):
    s = socket.socket(AF, kind); S.append((label, kind, s)); return s
def pair(prefix, kind, stype, inst):
    srv = sock(prefix + '-listen', kind); srv.bind((socket.TIPC_ADDR_NAME, stype, inst, 0)); srv.listen()
    cli = sock(prefix + '-client', kind); cli.setblocking(False)
    cli.connect_ex((socket.TIPC_ADDR_NAME, stype, inst, 0))
    acc, _ = srv.accept(); S.append((prefix + '-accepted', kind, acc))
    select.select([], [cli], [], 60); cli.setblocking(True)
    return cli, acc
rdm = sock('rdm-bound', socket.SOCK_RDM); rdm.bind((socket.TIPC_ADDR_NAMESEQ, 18888, 17, 17))
cli, acc = pair('stream', socket.SOCK_STREAM, 18889, 1)
cli.send(b'hello')
sqc, sqa = pair('seqpacket', socket.SOCK_SEQPACKET, 18890, 5)
sqa.send(b'abc'); sqa.send(b'def')
sock('dgram', socket.SOCK_DGRAM)
sock('rdm', socket.SOCK_RDM).sendto(b'x' * 100, (socket.TIPC_ADDR_NAME, 18888, 17, 0))
def peer(s):
    try: return list(s.getpeername()[1:3])
    except OSError: return None
print(json.dumps([[l, k, list(s.getsockname()[1:3]), peer(s)] for l, k, s in S]), flush=True)
sys.stdin.read()
`;

function hasTipc(): boolean {
  if (!inVm()) return false;
  spawnSync('modprobe', ['-q', 'tipc']);
  return fs.existsSync('/sys/module/tipc');
}

type HelperSocket = [label: string, type: number, name: [node: number, ref: number], peer: [node: number, ref: number] | null];

async function withHelper(ns: TestNetns, fn: (socks: HelperSocket[]) => Promise<void>): Promise<void> {
  const c = spawn('ip', ['netns', 'exec', ns.name, 'python3', '-c', HELPER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    c.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('\n')) resolve(out.trim()); });
    c.on('exit', (code) => reject(new Error(`helper exited ${String(code)}`)));
  });
  try { await fn(JSON.parse(line) as HelperSocket[]); } finally { c.stdin.end(); c.kill('SIGKILL'); }
}

test('TIPC sockets through tipc_diag, and rip ss = iproute2 ss', { timeout: 1_200_000 }, async (t) => {
  if (!requireKernelFeature(t, hasTipc, 'the tipc module (AF_TIPC sockets, tipc_diag)')) return;
  await withNetns(t, async (ns) => {
    // A node address, so the local side is not 0 (iproute2's own tipc tool sets it).
    const setAddr = spawnSync('ip', ['netns', 'exec', ns.name, 'tipc', 'node', 'set', 'address', '1.1.1'], { encoding: 'utf8' });
    assert.equal(setAddr.status, 0, setAddr.stderr);
    const NODE = 0x01001001;
    await withHelper(ns, async (mine) => {
      await using sd = await SockDiag.open({ netns: ns.name });
      const all = await sd.tipc({ states: ['all'] }).toArray();
      const byRef = new Map(all.map((s) => [s.ref, s]));
      const expect: Record<string, { netid: TipcSocket['netid']; state: string; recvQ: number; published: boolean; via?: [number, number] }> = {
        'rdm-bound': { netid: 'ti_rd', state: 'UNCONN', recvQ: 1, published: true },
        'stream-listen': { netid: 'ti_st', state: 'LISTEN', recvQ: 0, published: true },
        'stream-client': { netid: 'ti_st', state: 'ESTAB', recvQ: 0, published: false, via: [18889, 1] },
        'stream-accepted': { netid: 'ti_st', state: 'ESTAB', recvQ: 1, published: false, via: [18889, 1] },
        'seqpacket-listen': { netid: 'ti_sq', state: 'LISTEN', recvQ: 0, published: true },
        'seqpacket-client': { netid: 'ti_sq', state: 'ESTAB', recvQ: 2, published: false, via: [18890, 5] },
        'seqpacket-accepted': { netid: 'ti_sq', state: 'ESTAB', recvQ: 0, published: false, via: [18890, 5] },
        dgram: { netid: 'ti_dg', state: 'UNCONN', recvQ: 0, published: false },
        rdm: { netid: 'ti_rd', state: 'UNCONN', recvQ: 0, published: false },
      };
      assert.equal(mine.length, Object.keys(expect).length);
      for (const [label, type, [node, ref], peer] of mine) {
        const s = byRef.get(ref);
        assert.ok(s, `${label}: socket ${ref} listed`);
        const e = expect[label]!;
        assert.equal(s.type, type, label);
        assert.equal(s.netid, e.netid, label);
        assert.equal(s.stateName, e.state, label);
        assert.equal(s.node, node, label);
        assert.equal(s.node, NODE, label);
        assert.equal(s.recvQ, e.recvQ, label);
        assert.equal(s.sendQ, 0, label);
        assert.equal(s.published, e.published, label);
        assert.equal(s.drops, 0, label);
        assert.equal(s.uid, 0, label);
        assert.ok(s.inode > 0 && s.cookie > 0n, label);
        if (peer) {
          assert.deepEqual(s.peer, { node: peer[0], ref: peer[1], service: { type: e.via![0], instance: e.via![1] } }, label);
        } else {
          assert.equal(s.peer, undefined, label);
        }
      }
      // The kernel's topology server listens in every namespace: mine plus that one.
      assert.equal(all.length, mine.length + 1);
      // States are filtered by the kernel: the default is ss's (established, listening, unconnected).
      assert.equal((await sd.tipc().toArray()).length, all.length);
      const estab = await sd.tipc({ states: ['established'] }).toArray();
      assert.deepEqual(estab.map((s) => s.ref).sort(), mine.filter((m) => m[3]).map((m) => m[2][1]).sort());
      assert.deepEqual((await sd.tipc({ states: ['all'], types: [2] }).toArray()).map((s) => s.netid), ['ti_dg']);

      // The command line, as installed (bin/rip.js), against iproute2's ss on the same state.
      const rip = path.join(repoRoot(), 'bin', 'rip.js');
      for (const args of [['--tipc'], ['-a', '--tipc', '--tipcinfo'], ['-f', 'tipc', '-e', '-p'], ['-A', 'tipc,unix', '-a', '--tipcinfo', '-O'], ['-l', '--tipc', '-H'], ['--tipc', 'state', 'established']]) {
        const ref = spawnSync('ss', ['-N', ns.name, ...args], { encoding: 'utf8' });
        const ours = spawnSync(process.execPath, [rip, 'ss', '-N', ns.name, ...args], { encoding: 'utf8' });
        assert.equal(ours.stdout, ref.stdout, `ss ${args.join(' ')}`);
        assert.equal(ours.stderr, ref.stderr, `ss ${args.join(' ')} (stderr)`);
        assert.equal(ours.status, ref.status, `ss ${args.join(' ')} (status)`);
      }
      // JSON (rip's extension): the same sockets, keys as JSON.md documents.
      const sink = new StringSink();
      assert.equal(await ssMain(['-N', ns.name, '-j', '-a', '--tipc'], sink, () => {}), 0);
      const json = JSON.parse(sink.toString()) as Array<Record<string, unknown>>;
      assert.equal(json.length, all.length);
      const client = json.find((j) => j.ref === mine.find((m) => m[0] === 'stream-client')![2][1]);
      assert.ok(client);
      assert.equal(client.netid, 'ti_st');
      assert.equal(client.state_name, 'ESTAB');
      assert.equal(client.node, NODE);
      assert.deepEqual(client.peer, { node: NODE, ref: mine.find((m) => m[0] === 'stream-accepted')![2][1], service: { type: 18889, instance: 1 } });
      assert.equal(client.published, false);
    });
  });
});
