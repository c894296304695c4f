/**
 * nl.address against the kernel, in a throwaway namespace: every address
 * option this kernel supports is created, read back typed and through
 * `ip -j address`, changed, replaced, deleted and flushed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNetns, type TestNetns } from '../helpers/netns.js';
import { Netlink } from '../../src/netlink/netlink.js';
import { NetlinkError, ValidationError } from '../../src/netlink/errors.js';
import type { Address } from '../../src/netlink/address.js';

type IpAddrInfo = Record<string, unknown> & { local: string; prefixlen: number };

function ipAddrs(ns: TestNetns, dev: string): IpAddrInfo[] {
  const out = JSON.parse(ns.ip('-j', 'address', 'show', 'dev', dev)) as Array<{ addr_info: IpAddrInfo[] }>;
  return out[0]?.addr_info ?? [];
}

/** Our typed object projected onto `ip -j` keys (the ones iproute2 prints). */
function asIpJson(a: Address): Record<string, unknown> {
  const o: Record<string, unknown> = { family: a.family, local: a.local };
  if (a.address !== undefined) o.address = a.address;
  o.prefixlen = a.prefixlen;
  if (a.metric !== undefined) o.metric = a.metric;
  if (a.broadcast !== undefined) o.broadcast = a.broadcast;
  if (a.anycast !== undefined) o.anycast = a.anycast;
  o.scope = a.scope;
  for (const f of a.flagNames) o[f] = true;
  if (a.label !== undefined) o.label = a.label;
  if (a.valid_life_time !== undefined) o.valid_life_time = a.valid_life_time;
  if (a.preferred_life_time !== undefined) o.preferred_life_time = a.preferred_life_time;
  return o;
}

async function setup(ns: TestNetns): Promise<Netlink> {
  ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  return Netlink.open({ netns: ns.name });
}

const byLocal = (list: readonly Address[], local: string): Address | undefined => list.find((a) => a.local === local);

test('IPv4: prefix, broadcast +, label, metric, scope, lifetimes — typed and as ip -j', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    await nl.address.add({ dev: 'v0', local: '10.0.0.1/24', broadcast: '+', label: 'v0:web', metric: 7 });
    await nl.address.add({ dev: 'v0', local: '10.9.0.1/16', broadcast: '-', scope: 'link' });
    await nl.address.add({ dev: 'v0', local: '10.1.0.1', peer: '10.1.0.2/32', valid_lft: 1000, preferred_lft: 500 });
    await nl.address.add({ dev: 'v0', local: '10.2.0.1/24', anycast: '10.2.0.9', scope: 'host' });
    const ours = await nl.address.list({ dev: 'v0', family: 'inet' }).toArray();
    assert.equal(ours.length, 4);
    const a = byLocal(ours, '10.0.0.1')!;
    assert.equal(a.prefixlen, 24);
    assert.equal(a.broadcast, '10.0.0.255');
    assert.equal(a.label, 'v0:web');
    assert.equal(a.metric, 7);
    assert.equal(a.scope, 'global');
    assert.equal(a.valid_life_time, 0xffffffff);
    assert.equal(byLocal(ours, '10.9.0.1')!.broadcast, '10.9.0.0');
    assert.equal(byLocal(ours, '10.9.0.1')!.scope, 'link');
    const p = byLocal(ours, '10.1.0.1')!;
    assert.equal(p.address, '10.1.0.2');
    assert.equal(p.prefixlen, 32);
    assert.ok(p.flagNames.includes('dynamic'));
    assert.equal(p.dynamic, true);
    assert.ok(p.valid_life_time! <= 1000 && p.valid_life_time! > 900);
    assert.ok(p.preferred_life_time! <= 500 && p.preferred_life_time! > 400);
    assert.equal(byLocal(ours, '10.2.0.1')!.scope, 'host');
    // iproute2 reads the same state, key for key (lifetimes may tick between the two reads).
    const theirs = ipAddrs(ns, 'v0').filter((x) => x.family === 'inet');
    assert.equal(theirs.length, ours.length);
    for (const x of theirs) {
      const mine = asIpJson(byLocal(ours, x.local)!);
      if (x.valid_life_time !== 0xffffffff) {
        assert.ok(Math.abs((mine.valid_life_time as number) - (x.valid_life_time as number)) <= 2);
        mine.valid_life_time = x.valid_life_time;
        mine.preferred_life_time = x.preferred_life_time;
      }
      assert.deepEqual(mine, x, x.local);
    }
  });
});

test('IPv6: nodad, noprefixroute, mngtmpaddr, home, optimistic; tentative without nodad', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    ns.ip('link', 'set', 'v0', 'up');
    ns.ip('link', 'set', 'v1', 'up');
    await nl.address.add({ dev: 'v0', local: '2001:db8::1/64', flags: ['nodad', 'noprefixroute'] });
    await nl.address.add({ dev: 'v0', local: '2001:db8:1::1/64', flags: ['mngtmpaddr', 'home', 'nodad'] });
    await nl.address.add({ dev: 'v0', local: '2001:db8:2::1/64', valid_lft: 600, preferred_lft: 300 });
    const ours = await nl.address.list({ dev: 'v0', family: 'inet6', scope: 'global' }).toArray();
    const a = byLocal(ours, '2001:db8::1')!;
    assert.ok(a.flagNames.includes('nodad') && a.flagNames.includes('noprefixroute'), a.flagNames.join(','));
    const b = byLocal(ours, '2001:db8:1::1')!;
    assert.ok(b.flagNames.includes('mngtmpaddr') && b.flagNames.includes('home'), b.flagNames.join(','));
    const c = byLocal(ours, '2001:db8:2::1')!;
    assert.ok(c.valid_life_time! <= 600 && c.preferred_life_time! <= 300);
    // noprefixroute: no 2001:db8::/64 route for the first, one for the third.
    const routes = ns.ip('-6', 'route', 'show', 'dev', 'v0');
    assert.doesNotMatch(routes, /^2001:db8::\/64/m);
    assert.match(routes, /^2001:db8:2::\/64/m);
    for (const x of ipAddrs(ns, 'v0').filter((y) => y.scope === 'global')) {
      const mine = asIpJson(byLocal(ours, x.local)!);
      mine.valid_life_time = x.valid_life_time;
      mine.preferred_life_time = x.preferred_life_time;
      assert.deepEqual(mine, x, x.local);
    }
    // Flag filters as `ip address show` takes them.
    const nodad = await nl.address.list({ dev: 'v0', flags: ['nodad'] }).toArray();
    assert.deepEqual(nodad.map((x) => x.local).sort(), ['2001:db8:1::1', '2001:db8::1']);
    const dynamic = await nl.address.list({ dev: 'v0', flags: ['dynamic'] }).toArray();
    assert.deepEqual(dynamic.map((x) => x.local), ['2001:db8:2::1']);
    const permanent = await nl.address.list({ dev: 'v0', family: 'inet6', flags: ['permanent', '-tentative'], scope: 'global' }).toArray();
    assert.deepEqual(permanent.map((x) => x.local).sort(), ['2001:db8:1::1', '2001:db8::1']);
  });
});

test('autojoin on a multicast address joins the group', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    ns.ip('link', 'set', 'v0', 'up');
    await nl.address.add({ dev: 'v0', local: '239.1.2.3/32', flags: ['autojoin'] });
    const [a] = await nl.address.list({ dev: 'v0', family: 'inet' }).toArray();
    assert.ok(a!.flagNames.includes('autojoin'));
    assert.match(ns.ip('maddress', 'show', 'dev', 'v0'), /inet {2}239\.1\.2\.3/);
    await assert.rejects(nl.address.add({ dev: 'v0', local: '10.0.0.1/24', flags: ['autojoin'] }), ValidationError);
  });
});

test('change, replace, delete (incl. wildcard), errors', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    await nl.address.add({ dev: 'v0', local: '10.0.0.1/24', valid_lft: 1000, preferred_lft: 1000 });
    await assert.rejects(nl.address.add({ dev: 'v0', local: '10.0.0.1/24' }), (e: unknown) => e instanceof NetlinkError && e.code === 'EEXIST');
    await nl.address.change({ dev: 'v0', local: '10.0.0.1/24', valid_lft: 'forever', preferred_lft: 'forever', metric: 3 });
    let [a] = await nl.address.list({ dev: 'v0', family: 'inet' }).toArray();
    assert.equal(a!.valid_life_time, 0xffffffff);
    assert.equal(a!.metric, 3);
    assert.ok(!a!.flagNames.includes('dynamic'));
    await nl.address.replace({ dev: 'v0', local: '10.0.0.1/24', metric: 9 });
    await nl.address.replace({ dev: 'v0', local: '10.3.0.1/24' });
    const all = await nl.address.list({ dev: 'v0', family: 'inet' }).toArray();
    assert.equal(all.length, 2);
    [a] = all;
    assert.equal(a!.metric, 9);
    await nl.address.del({ dev: 'v0', local: '10.0.0.1/24' });
    await assert.rejects(nl.address.del({ dev: 'v0', local: '10.0.0.1/24' }), (e: unknown) => e instanceof NetlinkError && e.code === 'EADDRNOTAVAIL');
    // IPv4 without a prefix length: iproute2's wildcard deletion.
    await nl.address.del({ dev: 'v0', local: '10.3.0.1' });
    assert.deepEqual(await nl.address.list({ dev: 'v0', family: 'inet' }).toArray(), []);
    assert.equal(ipAddrs(ns, 'v0').filter((x) => x.family === 'inet').length, 0);
    // Bad input never reaches the kernel.
    await assert.rejects(nl.address.add({ dev: 'v0', local: '10.0.0.1/40' }), ValidationError);
    await assert.rejects(nl.address.add({ dev: 'nosuch', local: '10.0.0.1/24' }), (e: unknown) => e instanceof NetlinkError && e.code === 'ENODEV');
  });
});

test('list filters: scope, label, up, primary/secondary, to', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    await nl.address.add({ dev: 'v0', local: '10.0.0.1/24', label: 'v0:a' });
    await nl.address.add({ dev: 'v0', local: '10.0.0.2/24', label: 'v0:b' });
    await nl.address.add({ dev: 'v1', local: '192.168.1.1/24' });
    const locals = async (f: Parameters<typeof nl.address.list>[0]): Promise<string[]> =>
      (await nl.address.list(f).toArray()).map((a) => a.local!).sort();
    assert.deepEqual(await locals({ label: 'v0:*' }), ['10.0.0.1', '10.0.0.2']);
    assert.deepEqual(await locals({ label: 'v0:b' }), ['10.0.0.2']);
    assert.deepEqual(await locals({ flags: ['secondary'] }), ['10.0.0.2']);
    assert.deepEqual(await locals({ flags: ['primary'], family: 'inet', scope: 'global' }), ['10.0.0.1', '192.168.1.1']);
    assert.deepEqual(await locals({ to: '192.168.0.0/16' }), ['192.168.1.1']);
    assert.deepEqual(await locals({ scope: 'host' }), ['127.0.0.1', '::1']);
    assert.deepEqual(await locals({ up: true, family: 'inet' }), ['127.0.0.1']);
    ns.ip('link', 'set', 'v1', 'up');
    assert.deepEqual(await locals({ up: true, family: 'inet' }), ['127.0.0.1', '192.168.1.1']);
    // Streaming: the dump is an async iterable.
    let n = 0;
    for await (const a of nl.address.list({ dev: 'v0' })) { assert.equal(a.index, (await nl.link.get('v0')).ifindex); n++; }
    assert.ok(n >= 2);
  });
});

test('flush by dev, family, label; primary-only flush stops after one round', async (t) => {
  await withNetns(t, async (ns) => {
    await using nl = await setup(ns);
    ns.ip('link', 'set', 'v0', 'up');
    for (let i = 1; i <= 5; i++) await nl.address.add({ dev: 'v0', local: `10.0.0.${i}/24` });
    await nl.address.add({ dev: 'v0', local: '10.7.0.1/24', label: 'v0:x' });
    await nl.address.add({ dev: 'v0', local: '2001:db8::5/64', flags: ['nodad'] });
    assert.deepEqual(await nl.address.flush({ dev: 'v0', label: 'v0:x' }), [1]);
    // Deleting the primary deletes its secondaries too unless promote_secondaries is set.
    const rounds = await nl.address.flush({ dev: 'v0', flags: ['primary'], family: 'inet' });
    assert.equal(rounds.length, 1);
    assert.deepEqual(await nl.address.list({ dev: 'v0', family: 'inet' }).toArray(), []);
    await nl.address.flush({ dev: 'v0', family: 'inet6', scope: 'global' });
    assert.deepEqual(ipAddrs(ns, 'v0').filter((x) => x.scope === 'global'), []);
    await assert.rejects(nl.address.flush({}), ValidationError);
  });
});
