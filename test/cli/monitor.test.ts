/**
 * CLI parity for `ip monitor`: iproute2's and rip's monitors run side by side
 * on one namespace while it changes; both must print the same lines.
 * Readiness: both monitors must have printed a probe change (lo's MTU) before
 * the real changes start, and only what follows the probe is compared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { withNetns, createTestNetns, requireKernelFeature, type TestNetns } from '../helpers/netns.js';
import { formatTimestamp } from '../../src/cli/ip/monitor.js';

const RIP = new URL('../../../bin/rip.js', import.meta.url).pathname;

interface Watcher { proc: ChildProcess; out: () => string; err: () => string }

function watch(cmd: string, args: string[]): Watcher {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  return { proc, out: () => out, err: () => err };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Change `dev`'s MTU and add an address to it until every watcher has printed
 * one of the two; returns each watcher's output length after the probe.
 */
async function probe(ns: TestNetns, ws: Watcher[], dev: string): Promise<number[]> {
  for (let k = 0; k < 100; k++) {
    const mtu = 1280 + k;
    const addr = `127.1.0.${k + 1}`;
    ns.ip('link', 'set', dev, 'mtu', String(mtu));
    ns.ip('address', 'add', `${addr}/32`, 'dev', dev);
    for (let i = 0; i < 10; i++) {
      await sleep(50);
      if (ws.every((w) => w.out().includes(`mtu ${mtu} `) || w.out().includes(`${addr}/32`))) {
        await sleep(200); // the rest of the probe's events
        return ws.map((w) => w.out().length);
      }
    }
  }
  throw new Error(`monitors never became ready: ${ws.map((w) => w.err()).join(' | ')}`);
}

async function compare(ns: TestNetns, monArgs: string[], changes: (ns: TestNetns) => void, norm: (s: string) => string = (s) => s, probeDev = 'lo'): Promise<string> {
  const a = watch('ip', ['-n', ns.name, ...monArgs]);
  const b = watch('node', [RIP, 'ip', '-n', ns.name, ...monArgs]);
  try {
    const [oa, ob] = await probe(ns, [a, b], probeDev);
    changes(ns);
    // Wait until both have been quiet for a while.
    let last = '';
    for (let i = 0; i < 40; i++) {
      await sleep(100);
      const now = a.out() + '\0' + b.out();
      if (now === last && a.out().length > oa! && norm(a.out().slice(oa)) === norm(b.out().slice(ob))) break;
      last = now;
    }
    const want = norm(a.out().slice(oa));
    const got = norm(b.out().slice(ob));
    assert.ok(want.length > 0, 'iproute2 printed events');
    assert.equal(got, want, `ip ${monArgs.join(' ')}`);
    // iproute2's stderr may carry noise about other processes' half-deleted namespaces in /run/netns
    // (its netns_map_init asks each one for an id); ours must simply be clean.
    assert.equal(b.err(), '');
    return want;
  } finally {
    a.proc.kill('SIGTERM');
    b.proc.kill('SIGTERM');
  }
}

function changes(ns: TestNetns): void {
  ns.ip('link', 'add', 'm0', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'm1', 'address', '02:00:00:00:00:02');
  ns.ip('link', 'set', 'm0', 'addrgenmode', 'none');
  ns.ip('link', 'set', 'm1', 'addrgenmode', 'none');
  ns.ip('link', 'set', 'm0', 'up');
  ns.ip('address', 'add', '10.7.0.1/24', 'brd', '+', 'dev', 'm0', 'label', 'm0:x');
  ns.ip('address', 'add', '10.7.1.1', 'peer', '10.7.1.2/32', 'dev', 'm0', 'metric', '7', 'valid_lft', '500', 'preferred_lft', '400');
  ns.ip('address', 'add', '2001:db8::1/64', 'dev', 'm0', 'nodad');
  ns.ip('route', 'add', '10.8.0.0/16', 'via', '10.7.0.2');
  ns.ip('rule', 'add', 'from', '10.9.0.0/16', 'table', '100', 'pref', '1234');
  ns.ip('-6', 'rule', 'add', 'to', '2001:db8:9::/48', 'table', '101', 'pref', '1235');
  ns.ip('rule', 'del', 'pref', '1234');
  ns.ip('address', 'del', '10.7.0.1/24', 'dev', 'm0');
  ns.ip('link', 'set', 'm0', 'down');
  ns.ip('link', 'del', 'm0');
}

const lifetimes = (s: string): string => s.replace(/\b\d+sec\b/g, 'Nsec');

test('ip monitor link address route rule netconf', async (t) => {
  await withNetns(t, (ns) => compare(ns, ['monitor', 'link', 'address', 'route', 'rule', 'netconf'], changes, lifetimes));
});

test('ip -6 monitor label route rule', async (t) => {
  await withNetns(t, (ns) => compare(ns, ['-6', 'monitor', 'label', 'link', 'route', 'rule', 'address'], changes, lifetimes));
});

test('ip monitor label link address', async (t) => {
  await withNetns(t, (ns) => compare(ns, ['monitor', 'label', 'link', 'address'], changes, lifetimes));
});

test('ip -4 monitor address', async (t) => {
  await withNetns(t, (ns) => compare(ns, ['-4', 'monitor', 'address', 'link'], changes, lifetimes));
});

test('ip -o monitor address dev m0 (device filter)', async (t) => {
  await withNetns(t, (ns) => {
    ns.ip('link', 'add', 'm0', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'm1', 'address', '02:00:00:00:00:02');
    ns.ip('link', 'set', 'm0', 'addrgenmode', 'none');
    ns.ip('link', 'set', 'm1', 'addrgenmode', 'none');
    return compare(ns, ['-o', 'monitor', 'address', 'link', 'dev', 'm0'], (n) => {
      n.ip('address', 'add', '10.7.0.1/24', 'dev', 'm0');
      n.ip('address', 'add', '10.7.0.5/24', 'dev', 'm1');
      n.ip('link', 'set', 'm0', 'mtu', '1400');
      n.ip('link', 'set', 'lo', 'mtu', '1600');
      n.ip('address', 'del', '10.7.0.1/24', 'dev', 'm0');
    }, lifetimes, 'm0');
  });
});

test('ip -t and -ts monitor: timestamp headers', async (t) => {
  const ts = (s: string): string => lifetimes(s)
    .replace(/^Timestamp: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \d+ usec$/gm, 'Timestamp: T')
    .replace(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\] /gm, '[T] ');
  await withNetns(t, (ns) => compare(ns, ['-t', 'monitor', 'link', 'address'], changes, ts));
  await withNetns(t, (ns) => compare(ns, ['-ts', 'monitor', 'label', 'address'], changes, ts));
});

test('formatTimestamp as asctime and the -ts form', () => {
  const d = new Date(2026, 10, 7, 8, 5, 3, 12);
  assert.equal(formatTimestamp(d, false, 12345), 'Timestamp: Sat Nov  7 08:05:03 2026 12345 usec\n');
  assert.equal(formatTimestamp(d, true, 12345), '[2026-11-07T08:05:03.012345] ');
});

test('ip monitor nsid link: ids with iproute2 netns names, deletions', async (t) => {
  await withNetns(t, async (ns) => {
    const peer1 = createTestNetns('rip-mon-p');
    const peer2 = createTestNetns('rip-mon-p');
    try {
      ns.ip('netns', 'set', peer2.name, '9');
      await compare(ns, ['monitor', 'nsid', 'link'], () => {
        ns.ip('netns', 'set', peer1.name, '5');
        peer2.cleanup();
      });
    } finally {
      peer1.cleanup();
      peer2.cleanup();
    }
  });
});

/** Two veths (m0, m1) without IPv6 link-local addresses, both up. */
function vethPair(ns: TestNetns): void {
  ns.ip('link', 'add', 'm0', 'address', '02:00:00:00:00:01', 'type', 'veth', 'peer', 'name', 'm1', 'address', '02:00:00:00:00:02');
  ns.ip('link', 'set', 'm0', 'addrgenmode', 'none');
  ns.ip('link', 'set', 'm1', 'addrgenmode', 'none');
  ns.ip('link', 'set', 'm0', 'up');
  ns.ip('link', 'set', 'm1', 'up');
}

function neighChanges(ns: TestNetns): void {
  ns.ip('neigh', 'add', '10.9.0.1', 'lladdr', '02:00:00:00:00:09', 'dev', 'm0', 'nud', 'permanent');
  ns.ip('neigh', 'add', '2001:db8::9', 'lladdr', '02:00:00:00:00:0a', 'dev', 'm0', 'nud', 'reachable', 'router');
  ns.ip('neigh', 'add', '10.9.0.2', 'lladdr', '02:00:00:00:00:0b', 'dev', 'm1', 'nud', 'noarp', 'proto', 'static');
  ns.ip('neigh', 'add', 'proxy', '10.9.0.5', 'dev', 'm0');
  ns.ip('neigh', 'change', '10.9.0.1', 'lladdr', '02:00:00:00:00:19', 'dev', 'm0', 'nud', 'stale');
  ns.ip('neigh', 'del', '10.9.0.1', 'dev', 'm0');
  ns.ip('neigh', 'del', '2001:db8::9', 'dev', 'm0');
  ns.ip('neigh', 'del', 'proxy', '10.9.0.5', 'dev', 'm0');
}

function nexthopChanges(ns: TestNetns): void {
  ns.ip('address', 'add', '10.7.0.1/24', 'dev', 'm0');
  ns.ip('nexthop', 'add', 'id', '1', 'via', '10.7.0.2', 'dev', 'm0');
  ns.ip('nexthop', 'add', 'id', '2', 'dev', 'm1', 'proto', 'static');
  ns.ip('nexthop', 'add', 'id', '3', 'blackhole');
  ns.ip('nexthop', 'add', 'id', '4', 'via', '10.7.0.3', 'dev', 'm0', 'onlink');
  ns.ip('nexthop', 'add', 'id', '10', 'group', '1/2,5');
  ns.ip('nexthop', 'add', 'id', '11', 'group', '1,3/4', 'type', 'resilient', 'buckets', '8', 'idle_timer', '10');
  ns.ip('nexthop', 'replace', 'id', '2', 'dev', 'm0');
  ns.ip('nexthop', 'del', 'id', '10');
  ns.ip('nexthop', 'del', 'id', '11');
  ns.ip('nexthop', 'del', 'id', '3');
}

test('ip monitor neigh nexthop: neighbour and nexthop events', async (t) => {
  await withNetns(t, async (ns) => {
    vethPair(ns);
    const out = await compare(ns, ['monitor', 'neigh', 'nexthop', 'address'], (n) => { neighChanges(n); nexthopChanges(n); }, lifetimes);
    for (const line of ['10.9.0.1 dev m0 lladdr 02:00:00:00:00:09 PERMANENT', 'Deleted 2001:db8::9 dev m0', 'proto static',
      'id 10 group 1/2,5', 'type resilient buckets 8', 'Deleted id 3 blackhole']) assert.ok(out.includes(line), `events include "${line}"`);
  });
});

test('ip -4 monitor label neigh (family filter, banners) and -s', async (t) => {
  await withNetns(t, (ns) => {
    vethPair(ns);
    return compare(ns, ['-4', 'monitor', 'label', 'neigh', 'address'], neighChanges, lifetimes);
  });
  await withNetns(t, (ns) => {
    vethPair(ns);
    // -s adds " used A/B/C" ages; the two monitors may see different clock ticks only across a second boundary.
    const ages = (s: string): string => lifetimes(s).replace(/ used \d+\/\d+\/\d+/g, ' used N/N/N');
    return compare(ns, ['-s', 'monitor', 'neigh', 'address'], neighChanges, ages);
  });
});

test('ip monitor neigh nexthop dev m0 (device filter)', async (t) => {
  await withNetns(t, async (ns) => {
    vethPair(ns);
    const out = await compare(ns, ['monitor', 'neigh', 'nexthop', 'address', 'dev', 'm0'], (n) => { neighChanges(n); nexthopChanges(n); }, lifetimes, 'm0');
    assert.ok(out.includes('10.9.0.1 lladdr 02:00:00:00:00:09 PERMANENT') && !out.includes('10.9.0.2'), 'only m0 neighbours, without "dev"');
  });
});

/**
 * A multicast router in the namespace: MRT_INIT on a raw IGMP socket, two
 * VIFs by ifindex, two (S,G) entries added and one deleted; closing the
 * socket deletes the rest (each change is an RTNL_FAMILY_IPMR notification).
 */
const MROUTER = `
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
s.setsockopt(socket.IPPROTO_IP, 200, struct.pack('i', 1))
for vifi, name in ((0, 'm0'), (1, 'm1')):
    s.setsockopt(socket.IPPROTO_IP, 202, struct.pack('HBBIiI', vifi, 8, 1, 0, socket.if_nametoindex(name), 0))
def mfc(src, grp, parent, ttls):
    return struct.pack('4s4sH32s2xIIIi', socket.inet_aton(src), socket.inet_aton(grp), parent, bytes(ttls + [0] * (32 - len(ttls))), 0, 0, 0, 0)
s.setsockopt(socket.IPPROTO_IP, 204, mfc('10.7.0.9', '239.1.2.3', 0, [0, 1]))
s.setsockopt(socket.IPPROTO_IP, 204, mfc('10.7.0.8', '239.1.2.4', 1, [3, 0]))
time.sleep(0.2)
s.setsockopt(socket.IPPROTO_IP, 205, mfc('10.7.0.9', '239.1.2.3', 0, [0, 1]))
time.sleep(0.2)
s.close()
`;

/** A router advertisement with one prefix, sent out of argv[1] (link-local source, hop limit 255). */
const RA_SENDER = `
import socket, struct, sys
idx = socket.if_nametoindex(sys.argv[1])
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
ra = struct.pack('!BBHBBHII', 134, 0, 0, 64, 0, 0, 0, 0)
pi = struct.pack('!BBBBIII16s', 3, 4, 64, 0xc0, 3600, 1800, 0, socket.inet_pton(socket.AF_INET6, sys.argv[2]))
s.sendto(ra + pi, ('ff02::1', 0, 0, idx))
`;

function python(ns: TestNetns, script: string, ...args: string[]): void {
  const r = ns.run('python3', ['-c', script, ...args]);
  if (r.status !== 0) throw new Error(`python3 in ${ns.name}: ${r.stderr}`);
}

const hasPython = (): boolean => spawnSync('python3', ['-c', 'import socket'], { stdio: 'ignore' }).status === 0;

test('ip monitor mroute prefix: multicast routes and RA prefixes', async (t) => {
  if (!requireKernelFeature(t, hasPython, 'python3 (drives the multicast router and sends the router advertisement)')) return;
  await withNetns(t, async (ns) => {
    vethPair(ns);
    // Link-local addresses without DAD on both ends: m1 sends the RA, m0 (and m1) accept it.
    for (const dev of ['m0', 'm1']) {
      ns.run('sysctl', ['-q', '-w', `net.ipv6.conf.${dev}.accept_dad=0`, `net.ipv6.conf.${dev}.accept_ra=1`]);
      ns.ip('link', 'set', dev, 'addrgenmode', 'eui64');
    }
    ns.ip('link', 'set', 'm1', 'down');
    ns.ip('link', 'set', 'm1', 'up');
    const out = await compare(ns, ['monitor', 'mroute', 'prefix', 'address'], (n) => {
      python(n, MROUTER);
      python(n, RA_SENDER, 'm1', '2001:db8:5::');
    }, lifetimes);
    assert.match(out, /^\(10\.7\.0\.8,239\.1\.2\.4\) +Iif: m1 +Oifs: m0\(ttl 3\)/m);
    assert.match(out, /^Deleted \(10\.7\.0\.9,239\.1\.2\.3\)/m);
    assert.match(out, /^prefix 2001:db8:5::\/64dev m0 /m);
  });
});
