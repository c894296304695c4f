/**
 * Golden bytes for `ip xfrm state/policy` requests (test/fixtures/golden/xfrm.json,
 * captured from iproute2 6.1 with strace): our CLI parser + the xfrm schema must
 * build the same NETLINK_XFRM messages, and the library's buildState/buildPolicy
 * must match for specs written in the same order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGolden, golden, assertSameBytes } from '../helpers/golden.js';
import { CliError } from '../../src/cli/common/args.js';
import { stateModifyRequest, stateFlushRequest } from '../../src/cli/ip/xfrm-state.js';
import { policyModifyRequest, policyFlushRequest } from '../../src/cli/ip/xfrm-policy.js';
import { buildState, buildPolicy, xfrmRequest } from '../../src/netlink/xfrm.js';
import { XFRM_MSG, xfrmSaMessage, xfrmPolicyMessage } from '../../src/netlink/xfrm-schema.js';
import { NLM_F } from '../../src/netlink/constants.js';
import type { RequestBuilder } from '../../src/netlink/socket.js';
import { splitCommand, bytesOf, CAPTURE_IFINDEX } from './ip-golden-util.js';

const links = { index: (n: string): number => CAPTURE_IFINDEX[n] ?? 0 };
const cases = loadGolden('xfrm');

function requestFor(cmd: string): RequestBuilder {
  const words = cmd.split(' ');
  const obj = words.find((w) => w === 'state' || w === 'policy');
  const { family, verb, rest } = splitCommand(cmd.replace(/ xfrm /, ' '));
  if (obj === 'state') {
    if (verb === 'flush') return stateFlushRequest(rest).build;
    return stateModifyRequest(rest, family, verb === 'add' ? XFRM_MSG.NEWSA : XFRM_MSG.UPDSA, links);
  }
  if (verb === 'flush') return policyFlushRequest(rest);
  return policyModifyRequest(rest, family, verb === 'add' ? XFRM_MSG.NEWPOLICY : XFRM_MSG.UPDPOLICY, links);
}

/**
 * iproute2 builds struct xfrm_encap_tmpl on its stack without zeroing it, so
 * the 2 padding bytes after encap_dport are whatever was there: zero them
 * in the expected bytes (the kernel ignores them).
 */
function zeroEncapPadding(msg: Buffer): Buffer {
  const b = Buffer.from(msg);
  let p = 16 + 224;
  while (p + 4 <= b.length) {
    const len = b.readUInt16LE(p);
    if (len < 4) break;
    if ((b.readUInt16LE(p + 2) & 0x3fff) === 4 && len >= 4 + 24) b.fill(0, p + 4 + 6, p + 4 + 8);
    p += (len + 3) & ~3;
  }
  return b;
}

test('golden fixture has the captured lines', () => {
  assert.ok(cases.length >= 30, `${cases.length} cases`);
});

for (const c of cases) {
  test(`golden: ${c.cmd}`, () => {
    const built = bytesOf(requestFor(c.cmd));
    // A message shorter than its padded size (flush: a 1-byte body) ends at nlmsg_len.
    const got = built.subarray(0, built.readUInt32LE(0));
    const want = c.cmd.includes(' encap ') ? zeroEncapPadding(c.buffers[0]!) : c.buffers[0]!;
    assertSameBytes(c.cmd.includes(' encap ') ? zeroEncapPadding(got) : got, want, c.cmd);
  });
}

const KEY16 = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');

test('library buildState/buildPolicy match iproute2 for specs in command-line order', () => {
  const st = (spec: Parameters<typeof buildState>[0], cmd: number = XFRM_MSG.NEWSA): Buffer => bytesOf(xfrmRequest(xfrmSaMessage, cmd, NLM_F.ACK, buildState(spec)));
  const pol = (spec: Parameters<typeof buildPolicy>[0], cmd: number = XFRM_MSG.NEWPOLICY): Buffer => bytesOf(xfrmRequest(xfrmPolicyMessage, cmd, NLM_F.ACK, buildPolicy(spec)));
  assertSameBytes(st({
    src: '10.0.0.1', dst: '10.0.0.2', proto: 'esp', spi: 0x1000, mode: 'transport',
    enc: { name: 'cbc(aes)', key: Buffer.from('00112233445566778899aabbccddeeff', 'hex') },
    authTrunc: { name: 'hmac(sha256)', key: Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex'), truncLen: 128 },
  }), golden('xfrm', 'ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 mode transport enc cbc(aes) 0x00112233445566778899aabbccddeeff auth-trunc hmac(sha256) 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 128').buffers[0]!);
  assertSameBytes(st({
    src: '2001:db8::1', dst: '2001:db8::2', proto: 'esp', spi: 0x2000, mode: 'transport',
    aead: { name: 'rfc4106(gcm(aes))', key: Buffer.from('00112233445566778899aabbccddeeff01020304', 'hex'), icvLen: 128 },
  }), golden('xfrm', 'ip xfrm state add src 2001:db8::1 dst 2001:db8::2 proto esp spi 0x2000 mode transport aead rfc4106(gcm(aes)) 0x00112233445566778899aabbccddeeff01020304 128').buffers[0]!);
  assertSameBytes(st({ src: '10.0.0.1', dst: '10.0.0.2', proto: 'ah', spi: 0x3000, mode: 'transport', auth: { name: 'hmac(sha256)', key: 'secretkeysecretkeysecretkey12345' } }),
    golden('xfrm', 'ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x3000 mode transport auth hmac(sha256) secretkeysecretkeysecretkey12345').buffers[0]!);
  assertSameBytes(st({ src: '10.0.0.1', dst: '10.0.0.2', proto: 'comp', spi: 0x4000, mode: 'tunnel', comp: { name: 'deflate' } }),
    golden('xfrm', 'ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto comp spi 0x4000 mode tunnel comp deflate').buffers[0]!);
  assertSameBytes(st({ src: '10.0.0.1', dst: '10.0.0.2', proto: 'esp', spi: 0x1003, replayWindow: 128, flags: ['esn'], replaySeq: 5, replayOseq: 6, replaySeqHi: 1, replayOseqHi: 2, enc: { name: 'cbc(aes)', key: KEY16 } }),
    golden('xfrm', 'ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1003 replay-window 128 flag esn replay-seq 5 replay-oseq 6 replay-seq-hi 1 replay-oseq-hi 2 enc cbc(aes) 0x000102030405060708090a0b0c0d0e0f').buffers[0]!);
  assertSameBytes(st({ src: '10.0.0.1', dst: '10.0.0.2', proto: 'esp', spi: 0x1005, sel: { src: '192.168.1.0/24', dst: '192.168.2.0/24', proto: 6, sport: 80, dport: 8080 }, enc: { name: 'cbc(aes)', key: KEY16 } }),
    golden('xfrm', 'ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1005 sel src 192.168.1.0/24 dst 192.168.2.0/24 proto tcp sport 80 dport 8080 enc cbc(aes) 0x000102030405060708090a0b0c0d0e0f').buffers[0]!);
  assertSameBytes(st({ src: '10.0.0.1', dst: '10.0.0.2', proto: 'esp', spi: 0x1008, mark: { value: 0x10, mask: 0xff }, ifId: 42, outputMark: { value: 7, mask: 0xf }, enc: { name: 'cbc(aes)', key: KEY16 } }),
    golden('xfrm', 'ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1008 mark 0x10 mask 0xff if_id 42 output-mark 7 mask 0xf enc cbc(aes) 0x000102030405060708090a0b0c0d0e0f').buffers[0]!);
  assertSameBytes(st({ src: '10.0.0.1', dst: '10.0.0.2', proto: 'esp', spi: 0x1000, mode: 'transport', enc: { name: 'cbc(aes)', key: Buffer.from('00112233445566778899aabbccddeeff', 'hex') } }, XFRM_MSG.UPDSA),
    golden('xfrm', 'ip xfrm state update src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 mode transport enc cbc(aes) 0x00112233445566778899aabbccddeeff').buffers[0]!);
  assertSameBytes(pol({ sel: { src: '10.0.0.1/32', dst: '10.0.0.2/32' }, dir: 'out', tmpl: [{ src: '10.0.0.1', dst: '10.0.0.2', proto: 'esp', mode: 'transport' }] }),
    golden('xfrm', 'ip xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 dir out tmpl src 10.0.0.1 dst 10.0.0.2 proto esp mode transport').buffers[0]!);
  assertSameBytes(pol({ sel: { src: '10.1.0.0/16', dst: '10.2.0.0/16', proto: 6, sport: 80 }, dir: 'in', ptype: 'sub', priority: 7, flags: ['localok', 'icmp'], mark: { value: 5, mask: 0xff }, ifId: 3, action: 'block' }),
    golden('xfrm', 'ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp sport 80 dir in ptype sub priority 7 flag localok icmp mark 5 mask 0xff if_id 3 action block').buffers[0]!);
  assertSameBytes(pol({ sel: { src: '10.0.0.1/32', dst: '10.0.0.2/32' }, dir: 'out', action: 'block' }, XFRM_MSG.UPDPOLICY),
    golden('xfrm', 'ip xfrm policy update src 10.0.0.1/32 dst 10.0.0.2/32 dir out action block').buffers[0]!);
});

test('xfrm parse errors have iproute2 text and status, before anything is built', () => {
  const err = (line: string): CliError => {
    try { stateModifyRequest(line.split(' '), 0, XFRM_MSG.NEWSA, links); } catch (e) { if (e instanceof CliError) return e; throw e; }
    throw new Error(`no error for ${line}`);
  };
  assert.deepEqual([err('src 10.0.0.1 dst 10.0.0.2 proto esp spi 1').message, err('src 10.0.0.1 dst 10.0.0.2 proto esp spi 1').exitCode],
    ['ALGO-TYPE value "enc" or "aead" is required with XFRM-PROTO value "esp"', 1]);
  assert.equal(err('src 10.0.0.1 dst 10.0.0.2 proto foo').message, 'Error: argument "foo" is wrong: XFRM-PROTO value is invalid');
  assert.equal(err('src 10.0.0.1 dst ::1 proto esp').message, 'Error: argument "esp" is wrong: the same address family is required between values after "src" and "dst"');
  assert.equal(err('src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0xzz').message, 'Error: argument "0xzz" is wrong: ALGO-KEYMAT value is invalid');
});
