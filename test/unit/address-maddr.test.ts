/**
 * `ip maddress` reads /proc/net/{dev_mcast,igmp,igmp6} like iproute2's
 * ipmaddr.c: parsing, the dev filter, and the ifindex ordering of maddr_ins().
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDevMcast, parseIgmp, parseIgmp6, type MaddrEntry } from '../../src/cli/ip/maddress.js';
import { formatAddress, formatLladdr } from '../../src/netlink/addr.js';

const IGMP = `Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter
1\tlo        :     1      V3
\t\t\t\t010000E0     1 0:00000000\t\t0
3\tv0        :     2      V3
\t\t\t\t030201EF     2 0:00000000\t\t0
\t\t\t\t010000E0     1 0:00000000\t\t0
`;
const IGMP6 = `1    lo              ff020000000000000000000000000001     1 0000000C 0
3    v0              ff0200000000000000000001ff000001     1 00000004 0
2    v1              ff020000000000000000000000000001     1 0000000C 0
`;
const DEV_MCAST = `2    v1              1     0     333300000001
3    v0              1     1     3333ff000001
`;

const show = (l: MaddrEntry[]): string[] =>
  l.map((m) => `${m.index} ${m.name} ${m.family === 17 ? formatLladdr(m.addr) : formatAddress(m.addr)} ${m.users}${m.features ? ` ${m.features}` : ''}`);

test('igmp: host-order hex groups, per-device headers, users', () => {
  const out: MaddrEntry[] = [];
  parseIgmp(IGMP, undefined, out);
  assert.deepEqual(show(out), ['1 lo 224.0.0.1 1', '3 v0 239.1.2.3 2', '3 v0 224.0.0.1 1']);
  const only: MaddrEntry[] = [];
  parseIgmp(IGMP, 'v0', only);
  assert.equal(only.length, 2);
});

test('igmp6 and dev_mcast, merged in ifindex order with reading order kept for equal indexes', () => {
  const out: MaddrEntry[] = [];
  parseDevMcast(DEV_MCAST, undefined, out);
  parseIgmp(IGMP, undefined, out);
  parseIgmp6(IGMP6, undefined, out);
  assert.deepEqual(show(out), [
    '1 lo 224.0.0.1 1',
    '1 lo ff02::1 1',
    '2 v1 33:33:00:00:00:01 1',
    '2 v1 ff02::1 1',
    '3 v0 33:33:ff:00:00:01 1 static',
    '3 v0 239.1.2.3 2',
    '3 v0 224.0.0.1 1',
    '3 v0 ff02::1:ff00:1 1',
  ]);
});

test('malformed lines are skipped, not fatal', () => {
  const out: MaddrEntry[] = [];
  parseIgmp6('garbage\n1 lo fff 1 0 0\n', undefined, out);
  parseDevMcast('1 lo 1\n', undefined, out);
  assert.deepEqual(out, []);
});
