/**
 * ephemeralRangeOf reads another namespace's net.ipv4.ip_local_port_range
 * (not the caller's), which decides `autobound` and which ports ss prints
 * as numbers instead of service names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { withNetns } from '../helpers/netns.js';
import { ephemeralRangeOf } from '../../src/sockdiag/proc-net.js';

test('ephemeralRangeOf: the namespace\'s own port range', async (t) => {
  await withNetns(t, async (ns) => {
    const host = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const want = host[0] === 20001 ? { min: 20002, max: 30002 } : { min: 20001, max: 30001 };
    const r = ns.run('sysctl', ['-qw', `net.ipv4.ip_local_port_range=${want.min} ${want.max}`]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(await ephemeralRangeOf(ns.name), want);
    assert.deepEqual(await ephemeralRangeOf(undefined), { min: host[0], max: host[1] }, 'the caller\'s own');
    assert.deepEqual(await ephemeralRangeOf('rip-no-such-netns'), { min: 1024, max: 4999 }, 'ss\'s default when unreadable');
  });
});
