/**
 * rip/sockdiag against the real kernel: every query kind, typed fields,
 * filters (kernel bytecode and user space), process lookup, SOCK_DESTROY,
 * destruction events and the summary, on sockets a helper process opens in a
 * throwaway namespace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { startSocketHelper, STATE, type SocketHelper } from './ss-state.js';
import { SockDiag, F, scanProcesses, socketSummary, SocketFilter } from '../../src/sockdiag/index.js';

async function withState(t: import('node:test').TestContext, fn: (ns: TestNetns, sd: SockDiag, h: SocketHelper) => Promise<void>): Promise<void> {
  await withNetns(t, async (ns) => {
    const h = await startSocketHelper(ns);
    const sd = await SockDiag.open({ netns: ns.name });
    try {
      await fn(ns, sd, h);
    } finally {
      sd.close();
      await h.stop();
    }
  });
}

test('tcp: listeners, established pairs, time-wait, typed fields', async (t) => {
  await withState(t, async (ns, sd) => {
    const all = await sd.tcp({ states: ['all'] }).toArray();
    const listen = all.filter((s) => s.stateName === 'LISTEN').map((s) => s.localPort).sort((a, b) => a - b);
    assert.deepEqual(listen, [STATE.markedPort, STATE.devPort, STATE.tcpListen4, STATE.tcpListen6, STATE.tcpEstabServer].sort((a, b) => a - b));
    const v6 = all.find((s) => s.localPort === STATE.tcpListen6 && s.stateName === 'LISTEN')!;
    assert.equal(v6.family, 10);
    assert.equal(v6.v6only, true);
    assert.equal(v6.localAddress, '::');
    const est = all.filter((s) => s.stateName === 'ESTAB');
    assert.equal(est.length, 8);
    const tw = all.find((s) => s.stateName === 'TIME-WAIT');
    assert.ok(tw, 'a time-wait socket');
    assert.equal(tw.peerPort, STATE.tcpEstabServer);
    assert.equal(tw.inode, 0);
    const twTimed = await sd.tcp({ states: ['time-wait'] }).toArray();
    assert.equal(twTimed[0]?.timer?.name, 'timewait');
    assert.ok(twTimed[0]!.timer!.expiresMs > 0 && twTimed[0]!.timer!.expiresMs <= 60000);
    const marked = all.find((s) => s.localPort === STATE.markedPort)!;
    assert.equal(marked.mark, STATE.mark);
    const bound = all.find((s) => s.localPort === STATE.devPort)!;
    const ifindex = Number(/^(\d+):/.exec(ns.ip('-o', 'link', 'show', 'rip-ss0'))![1]);
    assert.equal(bound.ifindex, ifindex);
    // Default states are ss's "connected" set: no listeners, no time-wait.
    const dflt = await sd.tcp().toArray();
    assert.ok(dflt.every((s) => s.stateName !== 'LISTEN' && s.stateName !== 'TIME-WAIT'));
    assert.equal(dflt.length, 8);
  });
});

test('tcp: info, congestion, memory and tos extensions', async (t) => {
  await withState(t, async (_ns, sd) => {
    const est = await sd.tcp({ states: ['established'], info: true, memory: true, tos: true }).toArray();
    assert.ok(est.length > 0);
    for (const s of est) {
      assert.ok(s.tcpInfo, 'tcp_info');
      assert.equal(s.tcpInfo.state, 1);
      assert.ok(s.tcpInfo.length >= 104, `tcp_info of ${s.tcpInfo.length} bytes`);
      assert.ok(s.tcpInfo.sndCwnd > 0);
      assert.ok(s.tcpInfo.sndMss > 0);
      assert.equal(typeof s.tcpInfo.bytesReceived, 'bigint');
      assert.equal(typeof s.tcpInfo.deliveryRateAppLimited, 'boolean');
      assert.ok(s.congestion && s.congestion.length > 0);
      assert.ok(s.skmem && s.skmem.rcvbuf > 0 && s.skmem.sndbuf > 0);
      assert.ok(s.meminfo);
      assert.equal(typeof s.tos, 'number');
    }
    const plain = await sd.tcp({ states: ['established'] }).toArray();
    assert.ok(plain.every((s) => s.tcpInfo === undefined && s.skmem === undefined));
  });
});

test('udp, raw, unix, packet and netlink queries', async (t) => {
  await withState(t, async (_ns, sd, h) => {
    const udp = await sd.udp({ states: ['all'] }).toArray();
    const bound = udp.find((s) => s.localPort === STATE.udpBound)!;
    assert.equal(bound.stateName, 'UNCONN');
    assert.ok(bound.recvQ > 0, 'the datagram sent to it is queued');
    const conn = udp.find((s) => s.localPort === STATE.udpConnectedLocal)!;
    assert.equal(conn.stateName, 'ESTAB');
    assert.equal(conn.peerPort, STATE.udpBound);
    assert.ok(udp.some((s) => s.family === 10 && s.localPort === STATE.udp6 && s.localAddress === '::1'));
    assert.deepEqual((await sd.udp().toArray()).map((s) => s.localPort), [STATE.udpConnectedLocal]);

    const raw = sd.raw({ states: ['all'] });
    const raws = await raw.toArray();
    assert.ok(raws.some((s) => s.localPort === 1 && s.family === 2), 'the ICMP raw socket (sock_diag or /proc fallback)');

    const unix = await sd.unix({ states: ['all'], details: true, memory: true }).toArray();
    const listener = unix.find((s) => s.path === STATE.unixPath && s.stateName === 'LISTEN')!;
    assert.ok(listener, 'listening unix socket');
    assert.equal(listener.netid, 'u_str');
    assert.equal(listener.pending?.length, 1, 'one connection waiting in accept');
    assert.ok(listener.vfs && listener.vfs.inode > 0);
    assert.ok(listener.skmem);
    const abs = unix.find((s) => s.path === '@' + STATE.unixAbstract)!;
    assert.equal(abs.netid, 'u_dgr');
    assert.ok(unix.some((s) => s.netid === 'u_seq' && s.path === '@rip-ss-seq'));
    const pairs = unix.filter((s) => s.netid === 'u_str' && s.stateName === 'ESTAB');
    assert.ok(pairs.some((a) => pairs.some((b) => a.peerInode === b.inode && b.peerInode === a.inode)), 'a connected pair');
    const streamsOnly = await sd.unix({ states: ['all'], types: [1] }).toArray();
    assert.ok(streamsOnly.every((s) => s.type === 1));

    const packet = await sd.packet().toArray();
    const all = packet.find((s) => s.netid === 'p_raw')!;
    assert.equal(all.protocol, 3);
    assert.equal(all.ifindex, 1);
    assert.ok(all.info && all.skmem);
    assert.ok(packet.some((s) => s.netid === 'p_dgr' && s.protocol === 0x0800 && s.ifindex === 0));

    const nl = await sd.netlink().toArray();
    const mine = nl.find((s) => s.protocol === 0 && s.portid === h.pid);
    assert.ok(mine, 'the helper\'s rtnetlink socket, portid = its pid');
    assert.deepEqual(mine.groups, [1]);
    assert.ok(nl.some((s) => s.portid === 0), 'kernel sockets');
  });
});

test('filters: strings, builders and SocketFilter select the same sockets in kernel and user space', async (t) => {
  await withState(t, async (_ns, sd) => {
    const key = (s: { localPort: number; peerPort: number; stateName: string }): string => `${s.stateName}:${s.localPort}:${s.peerPort}`;
    const cases: Array<[string, Parameters<SockDiag['tcp']>[0]]> = [
      ['sport = :8080', { filter: F.sport('=', 8080) }],
      ['dport >= :9000', { filter: F.dport('>=', 9000) }],
      ['src 10.77.0.0/24', { filter: F.src('10.77.0.0/24') }],
      ['fwmark = 0x2a', { filter: F.fwmark(0x2a) }],
      ['( sport = :8080 or sport = :9000 ) and not dst 10.77.0.0/24', { filter: F.and(F.or(F.sport('=', 8080), F.sport('=', 9000)), F.not(F.dst('10.77.0.0/24'))) }],
    ];
    for (const [text, built] of cases) {
      const a = (await sd.tcp({ states: ['all'], filter: text }).toArray()).map(key).sort();
      const b = (await sd.tcp({ states: ['all'], ...built }).toArray()).map(key).sort();
      const k = (await sd.tcp({ states: ['all'], filter: text, userspaceFilter: false }).toArray()).map(key).sort();
      assert.deepEqual(a, b, text);
      assert.deepEqual(a, k, `${text}: kernel only`);
      assert.ok(a.length > 0, `${text} selects something`);
    }
    const sf = SocketFilter.parse(['state', 'established', '( dport = :http-alt or sport = :http-alt )'], { tcp: true });
    const est = await sd.tcp(sf.inetOptions()).toArray();
    assert.equal(est.length, 4);
    assert.ok(est.every((s) => s.stateName === 'ESTAB' && (s.localPort === 8080 || s.peerPort === 8080)));
    const everyone = await sd.tcp({ states: ['all'] }).toArray();
    assert.equal((await sd.tcp({ states: ['all'], uid: 0 }).toArray()).length, everyone.length, 'all owned by root');
    assert.equal((await sd.tcp({ states: ['all'], uid: 4242 }).toArray()).length, 0, 'nothing owned by uid 4242');
    assert.equal((await sd.tcp(new SocketFilter().uid(4242).inetOptions()).toArray()).length, 0);
    const ux = await sd.unix({ states: ['all'], filter: 'src unix:/tmp/rip-ss*' }).toArray();
    assert.ok(ux.length >= 1 && ux.every((s) => s.path?.startsWith('/tmp/rip-ss')));
    const pk = await sd.packet({ filter: 'src link:ip' }).toArray();
    assert.deepEqual(pk.map((s) => s.protocol), [0x0800]);
  });
});

test('processes: /proc scan maps inodes to the helper', async (t) => {
  await withState(t, async (_ns, sd, h) => {
    const l = (await sd.tcp({ states: ['listening'], filter: 'sport = :8080' }).toArray())[0]!;
    const owners = scanProcesses({ only: new Set([l.inode]) });
    const o = owners.get(l.inode);
    assert.ok(o && o.length === 1);
    assert.equal(o[0]!.pid, h.pid);
    assert.equal(o[0]!.command, 'python3');
    assert.ok(o[0]!.fd > 2);
    const withThreads = scanProcesses({ threads: true, only: new Set([l.inode]) });
    assert.equal(withThreads.get(l.inode)?.[0]?.tid, h.pid);
  });
});

test('kill: SOCK_DESTROY closes the selected sockets only; destruction events arrive', async (t) => {
  await withState(t, async (ns, sd) => {
    const victims = await sd.tcp({ filter: 'dport = :9000' }).toArray();
    assert.equal(victims.length, 1);
    assert.equal(await sd.destroy(victims[0]!), true);
    assert.equal((await sd.tcp({ filter: 'dport = :9000' }).toArray()).length, 0);
    assert.equal((await sd.tcp({ filter: 'dport = :8080' }).toArray()).length, 2, 'others untouched');
    // Destroying it again: already gone.
    assert.equal(await sd.destroy(victims[0]!), false);

    const ac = new AbortController();
    const seen: number[] = [];
    const done = (async () => {
      for await (const ev of sd.events({ udp: true, tcp: false, signal: ac.signal })) {
        if (ev.kind === 'destroy' && ev.socket.kind === 'inet') { seen.push(ev.socket.localPort); ac.abort(); }
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    const r = spawnSync('ip', ['netns', 'exec', ns.name, 'python3', '-c', 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 4444)); s.close()']);
    assert.equal(r.status, 0, String(r.stderr));
    const timer = setTimeout(() => ac.abort(), 5000);
    await done;
    clearTimeout(timer);
    assert.deepEqual(seen, [4444]);
  });
});

test('summary: counts of the namespace', async (t) => {
  await withState(t, async () => {
    // withState's namespace is the only one with these sockets; compare with iproute2's ss -s there.
  });
  await withNetns(t, async (ns) => {
    const h = await startSocketHelper(ns);
    try {
      const s = await socketSummary({ netns: ns.name });
      assert.equal(s.tcpEstablished, 8);
      assert.equal(s.tcpTimeWait, 1);
      assert.equal(s.udp4, 2);
      assert.equal(s.udp6, 1);
      assert.equal(s.raw4, 1);
      const ref = spawnSync('ss', ['-N', ns.name, '-s'], { encoding: 'utf8' }).stdout;
      assert.match(ref, new RegExp(`TCP:\\s+${s.tcpTotal + s.tcpTimeWait} \\(estab 8,`));
    } finally {
      await h.stop();
    }
  });
});
