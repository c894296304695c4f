/**
 * Golden bytes for `ip link set DEV type TUNNEL …`: iproute2 reads the
 * tunnel's IFLA_INFO_DATA (RTM_GETLINK) and sends every setting again with
 * the change applied. The fixtures were captured in the full-kernel VM:
 * test/fixtures/golden/link-set.json holds iproute2's RTM_NEWLINK (strace),
 * link-set-current.json the device's IFLA_INFO_DATA before the change, as
 * the kernel reported it (capture-infodata.ts). Given those bytes, rip must
 * build iproute2's request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Writer } from '../../src/netlink/codec/writer.js';
import { linkMessage } from '../../src/netlink/rtnetlink/link-schema.js';
import { rtRequest } from '../../src/netlink/rtnetlink/request.js';
import { NLM_F } from '../../src/netlink/constants.js';
import { parseLinkCommand } from '../../src/cli/ip/link-parse.js';
import { assertSameBytes, goldenPath, loadGolden } from '../helpers/golden.js';

const cases = loadGolden('link-set');
const current = JSON.parse(fs.readFileSync(goldenPath('link-set-current'), 'utf8')) as Record<string, string>;

test('the link-set golden suite covers every tunnel kind iproute2 merges', () => {
  const kinds = new Set(cases.map((c) => /type (\S+)/.exec(c.cmd)?.[1]));
  for (const k of ['gre', 'gretap', 'erspan', 'ip6gre', 'ip6gretap', 'ip6erspan', 'ipip', 'sit', 'ip6tnl', 'vti', 'vti6']) assert.ok(kinds.has(k), `no case for ${k}`);
});

for (const c of cases) {
  test(`golden: ${c.cmd}`, () => {
    const expected = c.buffers[c.buffers.length - 1]!;
    const argv = c.cmd.split(' ').slice(3); // after "ip link set"
    // The device's ifindex as iproute2 resolved it (the request's ifi_index).
    const index = expected.readInt32LE(16 + 4);
    const hex = current[c.cmd];
    assert.ok(hex !== undefined, `no current IFLA_INFO_DATA for: ${c.cmd}`);
    const cmd = parseLinkCommand('set', argv, {
      family: 0,
      index: (n) => (n === argv[0] ? index : 0),
      kind: () => undefined,
      addrLen: () => -1,
      infoData: (i) => (i === index ? Buffer.from(hex, 'hex') : undefined),
    });
    const w = new Writer();
    rtRequest(linkMessage, cmd.type, cmd.flags | NLM_F.ACK, cmd.header, cmd.attrs)(w, 0);
    assertSameBytes(w.toBuffer(), expected, c.cmd);
  });
}

test('without current tunnel info, a change fails as iproute2 does and builds nothing', () => {
  assert.throws(() => parseLinkCommand('set', ['tg0', 'type', 'gre', 'ttl', '9'], {
    family: 0, index: () => 4, kind: () => undefined, addrLen: () => -1, infoData: () => undefined,
  }), /Failed to get existing tunnel info\./);
});
