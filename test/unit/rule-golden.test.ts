/**
 * Golden bytes for `ip rule` requests (test/fixtures/golden/rule.json): the CLI
 * encoder must reproduce iproute2 6.1's bytes, including attribute order and
 * repeated attributes; the library's buildRule must match for specs built in
 * the same order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGolden, golden, assertSameBytes } from '../helpers/golden.js';
import { Args, CliError } from '../../src/cli/common/args.js';
import { ruleModifyRequest } from '../../src/cli/ip/rule.js';
import { buildRule, ruleDumpRequest } from '../../src/netlink/rule.js';
import { ruleMessage } from '../../src/netlink/rtnetlink/rule-schema.js';
import { rtRequest, CREATE_FLAGS } from '../../src/netlink/rtnetlink/request.js';
import { RTM, NLM_F } from '../../src/netlink/constants.js';
import { splitCommand, bytesOf } from './ip-golden-util.js';

const cases = loadGolden('rule');

for (const c of cases) {
  test(`golden: ${c.cmd}`, () => {
    const { family, verb, rest } = splitCommand(c.cmd);
    const cmd = verb === 'add' ? RTM.NEWRULE : RTM.DELRULE;
    const warnings: string[] = [];
    const build = ruleModifyRequest(new Args(rest), family, cmd, (s) => warnings.push(s));
    assertSameBytes(bytesOf(build), c.buffers[0]!, c.cmd);
    assert.deepEqual(warnings, c.cmd.includes(' nat ') ? ['Warning: route NAT is deprecated'] : []);
  });
}

test('library buildRule matches iproute2 for specs in command-line order', () => {
  const lib = (spec: Parameters<typeof buildRule>[0], add = true): Buffer => {
    const { header, attrs } = buildRule(spec, add);
    return bytesOf(rtRequest(ruleMessage, add ? RTM.NEWRULE : RTM.DELRULE, add ? CREATE_FLAGS : NLM_F.ACK, header, attrs));
  };
  assertSameBytes(lib({ priority: 100, from: '10.0.0.0/8', table: 100 }), golden('rule', 'ip rule add pref 100 from 10.0.0.0/8 table 100').buffers[0]!);
  assertSameBytes(lib({ priority: 103, fwmark: 7, action: 'prohibit' }), golden('rule', 'ip rule add pref 103 fwmark 7 prohibit').buffers[0]!);
  assertSameBytes(lib({ priority: 105, goto: 200 }), golden('rule', 'ip rule add pref 105 goto 200').buffers[0]!);
  assertSameBytes(lib({ priority: 106, action: 'nop' }), golden('rule', 'ip rule add pref 106 nop').buffers[0]!);
  assertSameBytes(lib({ priority: 108, l3mdev: true }), golden('rule', 'ip rule add pref 108 l3mdev').buffers[0]!);
  assertSameBytes(lib({ priority: 109, tun_id: 42n, table: 12 }), golden('rule', 'ip rule add pref 109 tun_id 42 lookup 12').buffers[0]!);
  assertSameBytes(lib({ priority: 102, uidrange: { start: 100, end: 200 }, ipproto: 6, sport: 80, dport: { start: 1000, end: 2000 }, action: 'blackhole' }),
    golden('rule', 'ip rule add pref 102 uidrange 100-200 ipproto tcp sport 80 dport 1000-2000 blackhole').buffers[0]!);
  assertSameBytes(lib({ priority: 100 }, false), golden('rule', 'ip rule del pref 100').buffers[0]!);
});

test('rule parse errors have iproute2 text and status', () => {
  const err = (argv: string[], cmd: number = RTM.NEWRULE): CliError => {
    try { ruleModifyRequest(new Args(argv), 0, cmd, () => {}); } catch (e) { if (e instanceof CliError) return e; throw e; }
    throw new Error(`no error for ${argv.join(' ')}`);
  };
  assert.deepEqual([err([]).message, err([]).exitCode], ['"ip rule add" requires arguments.', 1]);
  assert.deepEqual([err(['l3mdev', 'table', '5']).message, err(['l3mdev', 'table', '5']).exitCode], ['table can not be specified for l3mdev rules', 22]);
  assert.equal(err(['pref', 'x']).message, 'Error: argument "x" is wrong: preference value is invalid\n');
  assert.equal(err(['from', 'zzz']).message, 'Error: any valid prefix is expected rather than "zzz".');
  assert.equal(err(['bogus']).message, 'Error: argument "bogus" is wrong: Failed to parse rule type');
});

test('library dump requests equal what ip rule list sends', () => {
  assertSameBytes(bytesOf(ruleDumpRequest(2)), golden('rule-dump', 'ip rule list').buffers[0]!);
  assertSameBytes(bytesOf(ruleDumpRequest(10)), golden('rule-dump', 'ip -6 rule list').buffers[0]!);
});
