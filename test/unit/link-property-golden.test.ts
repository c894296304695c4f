/**
 * Golden bytes for `ip link property add|del dev DEV altname NAME…`: the
 * RTM_NEWLINKPROP / RTM_DELLINKPROP rip builds equals iproute2 6.1's
 * (strace, test/fixtures/golden/link-property.json; veth1 = 2, veth0 = 3),
 * and bad input fails before anything is built, with iproute2's text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from '../../src/netlink/codec/writer.js';
import { parseProperty, propertyRequest } from '../../src/cli/ip/link-property.js';
import { assertSameBytes, loadGolden, normalize } from '../helpers/golden.js';

const IFINDEX: Readonly<Record<string, number>> = { lo: 1, veth1: 2, veth0: 3 };

for (const c of loadGolden('link-property')) {
  test(`golden: ${c.cmd}`, () => {
    const argv = c.cmd.split(' ').slice(1);
    let family = 0;
    if (argv[0] === '-6') { family = 10; argv.shift(); }
    assert.deepEqual(argv.splice(0, 2), ['link', 'property']);
    const p = parseProperty(argv);
    const w = new Writer();
    propertyRequest(p, IFINDEX[p.dev]!, family)(w, 0);
    assertSameBytes(normalize(w.toBuffer()), c.buffers[c.buffers.length - 1]!, c.cmd);
  });
}

test('ip link property: bad input as iproute2', () => {
  const cases: Array<[string, RegExp]> = [
    ['frob dev veth0', /Operator required$/],
    ['add altname x', /Not enough of information: "dev" argument is required\.$/],
    ['add dev veth0 altname a/b', /not a valid altname/],
    ['add dev veth0 dev veth1', /either "dev" is duplicate, or "veth1" is a garbage/],
    ['add dev veth0 altname', /Command line is not complete/],
  ];
  for (const [line, re] of cases) assert.throws(() => parseProperty(line.split(' ')), re, line);
});
