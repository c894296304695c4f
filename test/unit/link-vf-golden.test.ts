/**
 * Golden bytes for `ip link set DEV vf N …` (SR-IOV VF settings, which no
 * device here has: the kernel refuses them, so this is encode-only): the
 * RTM_NEWLINK rip builds equals iproute2 6.1's (strace,
 * test/fixtures/golden/link-vf.json; veth1 = 2, veth0 = 3), and bad input
 * fails with iproute2's text before anything is built.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from '../../src/netlink/codec/writer.js';
import { linkMessage } from '../../src/netlink/rtnetlink/link-schema.js';
import { rtRequest } from '../../src/netlink/rtnetlink/request.js';
import { NLM_F } from '../../src/netlink/constants.js';
import { parseLinkCommand, type LinkResolver } from '../../src/cli/ip/link-parse.js';
import { assertSameBytes, loadGolden, normalize } from '../helpers/golden.js';

const IFINDEX: Readonly<Record<string, number>> = { lo: 1, veth1: 2, veth0: 3 };
const resolver: LinkResolver = { family: 0, index: (n) => IFINDEX[n] ?? 0, kind: () => 'veth', addrLen: () => 6 };

for (const c of loadGolden('link-vf')) {
  test(`golden: ${c.cmd}`, () => {
    const argv = c.cmd.split(' ').slice(3);
    const cmd = parseLinkCommand('set', argv, resolver);
    const w = new Writer();
    rtRequest(linkMessage, cmd.type, cmd.flags | NLM_F.ACK, cmd.header, cmd.attrs)(w, 0);
    assertSameBytes(normalize(w.toBuffer()), c.buffers[c.buffers.length - 1]!, c.cmd);
  });
}

test('ip link set … vf: bad input as iproute2', () => {
  const cases: Array<[string, RegExp]> = [
    ['vf 0 mac 02:00:00:00:00:01', /argument "dev" is required/],
    ['veth0 vf x mac 02:00:00:00:00:01', /Invalid "vf" value/],
    ['veth0 vf 0 vlan 5000', /Invalid "vlan" value/],
    ['veth0 vf 0 vlan 5 proto ip', /Invalid "vlan protocol" value/],
    ['veth0 vf 0 state sideways', /Invalid "state" value/],
    ['veth0 vf 0 node_guid 00:11', /Invalid GUID format/],
    ['veth0 vf 0 spoofchk maybe', /argument of "spoofchk" must be one of "off", "on"/],
    ['veth0 vf 0 min_tx_rate 10 max_tx_rate 5', /Invalid min_tx_rate 10 - must be <= max_tx_rate 5/],
    ['veth0 vf 0 mac 02:00:00:00:01', /Invalid address length 5 - must be 6 bytes/],
    ['veth0 vf 0', /Command line is not complete/],
  ];
  for (const [line, re] of cases) assert.throws(() => parseLinkCommand('set', line.split(' '), resolver), re, line);
});
