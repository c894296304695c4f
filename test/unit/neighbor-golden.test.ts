/**
 * Golden bytes for `ip neigh` requests: what our CLI parser/encoder and the
 * library build for a command line must equal what iproute2 6.1 sent for it
 * (test/fixtures/golden/neighbor.json, captured with test/helpers/capture-golden).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGolden, golden, assertSameBytes } from '../helpers/golden.js';
import { Args, CliError } from '../../src/cli/common/args.js';
import { neighModifyRequest } from '../../src/cli/ip/neighbor.js';
import { neighborDumpRequest } from '../../src/netlink/neighbor.js';
import { RTM, NLM_F } from '../../src/netlink/constants.js';
import { CAPTURE_IFINDEX, splitCommand, bytesOf } from './ip-golden-util.js';

const index = (name: string): number => CAPTURE_IFINDEX[name] ?? 0;

const VERBS: Readonly<Record<string, [number, number]>> = {
  add: [RTM.NEWNEIGH, NLM_F.CREATE | NLM_F.EXCL],
  replace: [RTM.NEWNEIGH, NLM_F.CREATE | NLM_F.REPLACE],
  change: [RTM.NEWNEIGH, NLM_F.REPLACE],
  del: [RTM.DELNEIGH, 0],
};

const cases = loadGolden('neighbor');

test('neighbor golden fixtures cover add, replace, change, del, proxy and flags', () => {
  assert.ok(cases.length >= 10);
  for (const v of ['add', 'replace', 'change', 'del']) assert.ok(cases.some((c) => splitCommand(c.cmd).verb === v), v);
  assert.ok(cases.some((c) => c.cmd.includes('proxy')));
});

for (const c of cases) {
  test(`golden: ${c.cmd}`, () => {
    const { family, verb, rest } = splitCommand(c.cmd);
    const [type, flags] = VERBS[verb]!;
    const build = neighModifyRequest(new Args(rest), family, type, flags, index);
    assert.equal(c.buffers.length, 1);
    assertSameBytes(bytesOf(build), c.buffers[0]!, c.cmd);
  });
}

test('a bad command line throws before anything is built', () => {
  assert.throws(() => neighModifyRequest(new Args(['192.0.2.1', 'dev', 'veth0', 'nud', 'bogus']), 0, RTM.NEWNEIGH, 0, index),
    (e: unknown) => e instanceof CliError && e.message === 'Error: argument "bogus" is wrong: nud state is bad' && e.exitCode === 255);
  assert.throws(() => neighModifyRequest(new Args(['192.0.2.1', 'dev', 'nosuch']), 0, RTM.NEWNEIGH, 0, index),
    (e: unknown) => e instanceof CliError && e.message === 'Cannot find device "nosuch"' && e.exitCode === 1);
  assert.throws(() => neighModifyRequest(new Args(['192.0.2.1', 'lladdr', 'zz', 'dev', 'veth0']), 0, RTM.NEWNEIGH, 0, index),
    (e: unknown) => e instanceof CliError && e.message === '"zz" is invalid lladdr.' && e.exitCode === 1);
});

test('library dump requests equal what ip neigh show sends', () => {
  const g = (cmd: string): Buffer => golden('neighbor-dump', cmd).buffers[0]!;
  assertSameBytes(bytesOf(neighborDumpRequest({}, 0, 0)), g('ip neigh show'));
  assertSameBytes(bytesOf(neighborDumpRequest({}, 3, 0)), g('ip neigh show dev veth0'));
  assertSameBytes(bytesOf(neighborDumpRequest({ proxy: true }, 0, 0)), g('ip neigh show proxy'));
  assertSameBytes(bytesOf(neighborDumpRequest({ family: 10 }, 0, 2)), g('ip -6 neigh show master veth1'));
  assertSameBytes(bytesOf(neighborDumpRequest({ family: 2, proxy: true }, 3, 0)), g('ip -4 neigh show dev veth0 proxy'));
});
