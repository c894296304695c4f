/**
 * Golden bytes for `ip nexthop` requests (test/fixtures/golden/nexthop.json):
 * CLI and library encoders against what iproute2 6.1 sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGolden, golden, assertSameBytes } from '../helpers/golden.js';
import { Args, CliError } from '../../src/cli/common/args.js';
import { nexthopModifyRequest } from '../../src/cli/ip/nexthop.js';
import { NexthopApi, nexthopDumpRequest, type NexthopSpec } from '../../src/netlink/nexthop.js';
import { nexthopMessage } from '../../src/netlink/rtnetlink/nexthop-schema.js';
import { rtRequest, CREATE_FLAGS, REPLACE_FLAGS } from '../../src/netlink/rtnetlink/request.js';
import { RTM, NLM_F } from '../../src/netlink/constants.js';
import type { NetlinkSocket } from '../../src/netlink/socket.js';
import type { LinkApi } from '../../src/netlink/link.js';
import { splitCommand, bytesOf, CAPTURE_IFINDEX, zeroPadding } from './ip-golden-util.js';

const index = (name: string): number => CAPTURE_IFINDEX[name] ?? 0;
const VERBS: Readonly<Record<string, [number, number]>> = {
  add: [RTM.NEWNEXTHOP, NLM_F.CREATE | NLM_F.EXCL],
  replace: [RTM.NEWNEXTHOP, NLM_F.CREATE | NLM_F.REPLACE],
  del: [RTM.DELNEXTHOP, 0],
};

for (const c of loadGolden('nexthop')) {
  test(`golden: ${c.cmd}`, () => {
    const { family, verb, rest } = splitCommand(c.cmd);
    const [type, flags] = VERBS[verb]!;
    // iproute2 leaves stack garbage in the padding after NHA_ENCAP's u8 TTL.
    assertSameBytes(bytesOf(nexthopModifyRequest(new Args(rest), family, type, flags, index)), zeroPadding(c.buffers[0]!, 8), c.cmd);
  });
}

test('library NexthopApi.build matches iproute2 for specs in command-line order', () => {
  // build() is pure; no socket is used.
  const api = new NexthopApi(undefined as unknown as NetlinkSocket, undefined as unknown as LinkApi);
  const lib = (spec: NexthopSpec, ifindex = 0, flags = CREATE_FLAGS): Buffer => {
    const { header, attrs } = api.build(spec, ifindex);
    return bytesOf(rtRequest(nexthopMessage, RTM.NEWNEXTHOP, flags, header, attrs));
  };
  assertSameBytes(lib({ id: 1, via: '192.0.2.2', dev: 'veth0' }, 3), golden('nexthop', 'ip nexthop add id 1 via 192.0.2.2 dev veth0').buffers[0]!);
  assertSameBytes(lib({ id: 2, blackhole: true }), golden('nexthop', 'ip nexthop add id 2 blackhole').buffers[0]!);
  assertSameBytes(lib({ id: 5, via: '192.0.2.3', dev: 'veth0', onlink: true }, 3), golden('nexthop', 'ip nexthop add id 5 via 192.0.2.3 dev veth0 onlink').buffers[0]!);
  assertSameBytes(lib({ id: 10, group: [{ id: 1, weight: 3 }, { id: 5 }] }), golden('nexthop', 'ip nexthop add id 10 group 1,3/5').buffers[0]!);
  assertSameBytes(lib({ id: 11, group: [{ id: 1 }, { id: 5 }], type: 'resilient', resilient: { buckets: 8, idle_timer: 120, unbalanced_timer: 30 } }),
    golden('nexthop', 'ip nexthop add id 11 group 1/5 type resilient buckets 8 idle_timer 120 unbalanced_timer 30').buffers[0]!);
  assertSameBytes(lib({ id: 20, via: '192.0.2.9', fdb: true }), golden('nexthop', 'ip nexthop add id 20 via 192.0.2.9 fdb').buffers[0]!);
  assertSameBytes(lib({ id: 1, via: '192.0.2.4', dev: 'veth0' }, 3, REPLACE_FLAGS), golden('nexthop', 'ip nexthop replace id 1 via 192.0.2.4 dev veth0').buffers[0]!);
});

test('nexthop parse errors have iproute2 text and status', () => {
  const err = (argv: string[]): CliError => {
    try { nexthopModifyRequest(new Args(argv), 0, RTM.NEWNEXTHOP, 0, index); } catch (e) { if (e instanceof CliError) return e; throw e; }
    throw new Error(`no error for ${argv.join(' ')}`);
  };
  assert.equal(err(['id', 'x']).message, 'Error: argument "x" is wrong: invalid id value');
  assert.equal(err(['id', '1', 'dev', 'nope']).message, 'Error: argument "nope" is wrong: Device does not exist\n');
  assert.equal(err(['id', '1', 'group', '1,0']).message, 'Error: argument "0" is wrong: "weight" is invalid\n');
  assert.equal(err(['id', '1', 'group', 'a/b']).message, 'Error: argument "a" is wrong: "group" value is invalid\n');
  assert.equal(err(['id', '1', 'via', '2001::1', 'via', '1.2.3.4']).message, 'Error: inet6 address is expected rather than "1.2.3.4".');
  assert.equal(err(['id', '1', 'via', '2001::1', 'via', '1.2.3.4']).exitCode, 1);
});

test('library dump requests equal what ip nexthop list sends', () => {
  const g = (cmd: string): Buffer => golden('nexthop-dump', cmd).buffers[0]!;
  assertSameBytes(bytesOf(nexthopDumpRequest({}, 0, 0)), g('ip nexthop list'));
  assertSameBytes(bytesOf(nexthopDumpRequest({ groups: true }, 0, 0)), g('ip nexthop list groups'));
  assertSameBytes(bytesOf(nexthopDumpRequest({}, 3, 0)), g('ip nexthop list dev veth0'));
  assertSameBytes(bytesOf(nexthopDumpRequest({ fdb: true }, 0, 0)), g('ip nexthop list fdb'));
  assertSameBytes(bytesOf(nexthopDumpRequest({}, 0, 2)), g('ip nexthop list master veth1'));
  assertSameBytes(bytesOf(nexthopDumpRequest({ family: 10 }, 0, 0)), g('ip -6 nexthop list'));
});
