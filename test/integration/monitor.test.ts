/**
 * nl.monitor against the kernel: changes made in a throwaway namespace arrive
 * as typed events (link, address, route, neigh, rule, nsid), and a reader that
 * falls behind with a tiny receive buffer gets an `overflow` event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { withNetns } from '../helpers/netns.js';
import { Netlink } from '../../src/netlink/netlink.js';
import type { Monitor, MonitorEvent, MonitorObjectEvent } from '../../src/netlink/monitor.js';
import type { Link } from '../../src/netlink/link.js';
import type { Address } from '../../src/netlink/address.js';

/** Collect events until `done(events)` or the timeout. */
async function collect(mon: Monitor, done: (evs: MonitorEvent[]) => boolean, ms = 5000): Promise<MonitorEvent[]> {
  const evs: MonitorEvent[] = [];
  const timer = setTimeout(() => mon.close(), ms);
  try {
    for await (const ev of mon) {
      evs.push(ev);
      if (done(evs)) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return evs;
}

const isRaw = (m: object): boolean => (m as { undecoded?: unknown }).undecoded === true;

test('typed events for link, address, route, neigh, rule and nsid changes', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    const ac = new AbortController();
    const mon = nl.monitor(['link', 'address', 'route', 'neigh', 'rule', 'nsid'], { signal: ac.signal });
    const started = Date.now();
    // The subscription exists from monitor(): these changes happen before iteration starts.
    ns.ip('link', 'add', 'm0', 'type', 'veth', 'peer', 'name', 'm1');
    ns.ip('link', 'set', 'm0', 'up');
    ns.ip('address', 'add', '10.7.0.1/24', 'dev', 'm0', 'label', 'm0:mon');
    ns.ip('route', 'add', '10.8.0.0/16', 'via', '10.7.0.2');
    ns.ip('neigh', 'add', '10.7.0.3', 'lladdr', '02:00:00:00:00:03', 'dev', 'm0');
    ns.ip('rule', 'add', 'from', '10.9.0.0/16', 'table', '100', 'pref', '1234');
    ns.ip('netns', 'set', ns.name, '77'); // nsid of the namespace seen from itself
    ns.ip('address', 'del', '10.7.0.1/24', 'dev', 'm0');
    ns.ip('link', 'del', 'm0');
    const want = (evs: MonitorEvent[]): boolean =>
      evs.some((e) => e.type === 'link' && e.action === 'del' && (e.message as Link).ifname === 'm0') &&
      evs.some((e) => e.type === 'nsid') && evs.some((e) => e.type === 'rule') && evs.some((e) => e.type === 'neigh');
    const evs = await collect(mon, want);
    ac.abort();
    const types = new Set(evs.map((e) => `${e.type}:${e.type === 'overflow' ? '' : e.action}`));
    for (const k of ['link:new', 'link:del', 'address:new', 'address:del', 'route:new', 'neigh:new', 'rule:new', 'nsid:new']) {
      assert.ok(types.has(k), `missing ${k} in ${[...types].join(' ')}`);
    }
    assert.ok(!types.has('overflow:'));
    for (const e of evs) {
      assert.ok(e.timestamp instanceof Date);
      assert.ok(e.timestamp.getTime() >= started - 1000 && e.timestamp.getTime() <= Date.now());
    }
    const objs = evs.filter((e): e is MonitorObjectEvent => e.type !== 'overflow');
    const addrNew = objs.find((e) => e.type === 'address' && e.action === 'new' && (e.message as Address).local === '10.7.0.1');
    assert.ok(addrNew, 'address event for 10.7.0.1');
    const a = addrNew.message as Address;
    assert.equal(a.prefixlen, 24);
    assert.equal(a.label, 'm0:mon');
    assert.equal(a.broadcast, undefined);
    assert.equal(a.family, 'inet');
    const addrDel = objs.find((e) => e.type === 'address' && e.action === 'del' && (e.message as Address).local === '10.7.0.1');
    assert.ok(addrDel);
    const linkNew = objs.find((e) => e.type === 'link' && e.action === 'new' && (e.message as Link).ifname === 'm0');
    assert.ok(linkNew && !isRaw(linkNew.message));
    assert.equal((linkNew.message as Link).kind, 'veth');
    const nsid = objs.find((e) => e.type === 'nsid');
    assert.equal((nsid!.message as { nsid: number }).nsid, 77);
    // Objects whose decoders live in other modules are decoded when those exist, raw otherwise — never dropped.
    for (const e of evs) if (e.type !== 'overflow') assert.ok(typeof e.message === 'object' && e.message !== null);
  });
});

test('-4 style family selection joins only IPv4 groups', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    ns.ip('link', 'add', 'm0', 'type', 'veth', 'peer', 'name', 'm1');
    const mon = nl.monitor(['address'], { family: 2 });
    ns.ip('address', 'add', '2001:db8::1/64', 'dev', 'm0', 'nodad');
    ns.ip('address', 'add', '10.7.0.1/24', 'dev', 'm0');
    const evs = await collect(mon, (e) => e.length >= 1);
    assert.equal(evs.length, 1);
    assert.equal(((evs[0] as MonitorObjectEvent).message as Address).local, '10.7.0.1');
  });
});

test('a slow reader with a tiny rcvbuf gets an overflow event, then later events', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    ns.ip('link', 'add', 'm0', 'type', 'veth', 'peer', 'name', 'm1');
    const mon = nl.monitor(['address'], { rcvbuf: 4096, maxQueue: 16 });
    // 2000 addresses in one iproute2 batch: the event loop is blocked meanwhile, so nobody reads.
    const batch = Array.from({ length: 2000 }, (_, i) => `address add 10.${(i >> 8) & 255}.${i & 255}.1/32 dev m0`).join('\n');
    const r = spawnSync('ip', ['-n', ns.name, '-batch', '-'], { input: batch, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    let overflowAt = -1;
    const evs = await collect(mon, (e) => {
      if (overflowAt < 0 && e[e.length - 1]!.type === 'overflow') {
        overflowAt = e.length - 1;
        ns.ip('address', 'add', '10.200.0.1/32', 'dev', 'm0');
      }
      return overflowAt >= 0 && e.some((x) => x.type === 'address' && (x.message as Address).local === '10.200.0.1');
    });
    assert.ok(overflowAt >= 0, `no overflow among ${evs.length} events`);
    assert.ok(evs.length < 2000, 'events were dropped by the kernel');
    assert.ok(evs.slice(overflowAt + 1).some((x) => x.type === 'address'), 'events keep coming after the overflow');
  });
});

test('abort ends the iteration and closes the socket', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await Netlink.open({ netns: ns.name });
    const ac = new AbortController();
    const mon = nl.monitor('all', { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const evs: MonitorEvent[] = [];
    for await (const e of mon) evs.push(e);
    assert.deepEqual(evs, []);
  });
});
