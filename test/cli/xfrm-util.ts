/**
 * Shared parts of the `ip xfrm` CLI tests: the bad-input corpus, an
 * order-independent snapshot of a namespace's SAD/SPD, and the rejection check.
 */
import assert from 'node:assert/strict';
import { createTestNetns, type TestNetns } from '../helpers/netns.js';
import { iproute2, rip, words, vethSetup } from './ip-parity-util.js';

/** Add/use times differ between namespaces and runs. */
export const timeless = (s: string): string => s.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, 'TIME');

/** Entries of an xfrm listing (each starts at a line without a leading tab), sorted: dump order follows the kernel's hash tables. */
export function sortedEntries(s: string): string {
  const entries: string[] = [];
  for (const line of s.split('\n')) {
    if (line.startsWith('\t') && entries.length) entries[entries.length - 1] += '\n' + line;
    else entries.push(line);
  }
  return entries.sort().join('\n');
}

export const BAD = [
  'xfrm policy add src 10.0.0.1 dst 10.0.0.2', 'xfrm policy add src 10.0.0.1 dst 10.0.0.2 dir up', 'xfrm policy add src 10.0.0.1 dst ::2 dir in',
  'xfrm policy add src 10.0.0.1 dir in dir out', 'xfrm policy add src 10.0.0.1 dir in ptype foo', 'xfrm policy add src 10.0.0.1 dir in action drop',
  'xfrm policy add src 10.0.0.1 dir in priority x', 'xfrm policy add src 10.0.0.1 dir in tmpl proto esp mode bogus', 'xfrm policy add src 10.0.0.1 dir in tmpl src 1.1.1.1',
  'xfrm policy add src 10.0.0.1 dir in tmpl proto esp level maybe', 'xfrm policy add src 10.0.0.1 proto tcp type 3 dir in', 'xfrm policy add src 10.0.0.1 proto icmp sport 3 dir in',
  'xfrm policy add src 10.0.0.1 proto udp key 5 dir in', 'xfrm policy add src 10.0.0.1 dev nosuchdev dir in', 'xfrm policy add src 10.0.0.1 dir in limit foo 3',
  'xfrm policy add src 10.0.0.1 dir in limit time-soft x', 'xfrm policy add src 10.0.0.1 dir in mark x', 'xfrm policy add src 10.0.0.1 dir in mark 1 mask y',
  'xfrm policy add src 300.0.0.1 dir in', 'xfrm policy add src 10.0.0.1 dir in flag 0xzz', 'xfrm policy add src 10.0.0.1 dir in index', 'xfrm policy add dir in src 10.0.0.1 dst 10.0.0.2 proto 300',
  'xfrm policy get dir in', 'xfrm policy get src 10.0.0.1 index 3 dir in', 'xfrm policy delete src 10.0.0.1', 'xfrm policy get index 1 index 2 dir in',
  'xfrm policy delete src 10.99.0.1/32 dst 10.99.0.2/32 dir in', 'xfrm policy flush ptype', 'xfrm policy flush foo', 'xfrm policy set hthresh4 33 1',
  'xfrm policy set hthresh6 1 200', 'xfrm policy set foo', 'xfrm policy setdefault in maybe', 'xfrm policy setdefault sideways block', 'xfrm policy list dir up',
  'xfrm policy list foo bar', 'xfrm policy frob', 'xfrm foo', 'xfrm monitor frob',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto foo', 'xfrm state add src 10.0.0.1 dst ::1 proto esp',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0xzz', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto ah spi 1 enc cbc(aes) 0x00',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto ah spi 1', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto comp spi 0x10000 comp deflate',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto comp spi 1 enc cbc(aes) 0x00', 'xfrm state add src ::1 dst ::2 proto route2 spi 1 mode ro coa ::3',
  'xfrm state add src ::1 dst ::2 proto route2 coa ::3', 'xfrm state add src ::1 dst ::2 proto route2 mode ro', 'xfrm state add src ::1 dst ::2 proto hao mode tunnel coa ::3',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 mode ro enc cbc(aes) 0x00', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto ah spi 1 mode beet auth hmac(sha1) 0x00',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 coa 10.0.0.3 enc cbc(aes) 0x00', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 flag esn enc cbc(aes) 0x00',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 replay-window 5000 enc cbc(aes) 0x00', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 enc cbc(aes) 0x00',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 aead rfc4106(gcm(aes)) 0x00 enc cbc(aes) 0x00', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes)',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 auth-trunc hmac(sha1) 0x00', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 aead gcm 0x00 x',
  'xfrm state add mode tunnel', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 encap espinudp 1 2', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 encap udp 1 2 3.3.3.3',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 encap espinudp 70000 2 3.3.3.3', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 offload dir sideways',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 sel src 10.0.0.0/8 dst ::/0', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi x enc cbc(aes) 0x00',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 reqid -1 enc cbc(aes) 0x00', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 foo',
  'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 extra-flag 0xqq', 'xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) 0x00 ctx a ctx b',
  'xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 1', 'xfrm state delete src 10.0.0.1 dst 10.0.0.2 proto esp spi 1', 'xfrm state get dst 10.0.0.2',
  'xfrm state flush proto foo', 'xfrm state flush proto esp proto ah', 'xfrm state flush bar', 'xfrm state list foo bar', 'xfrm state list mode weird', 'xfrm state frob',
  'xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp spi 5', 'xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp min 5', 'xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp min 9 max 5',
  'xfrm state allocspi mode tunnel',
];

/** Everything xfrm commands can change, as iproute2 reports it. */
export function xfrmSnapshot(ns: TestNetns): string {
  return sortedEntries(timeless([['-s', '-s', 'xfrm', 'state'], ['-s', 'xfrm', 'policy'], ['-s', '-s', 'xfrm', 'policy', 'count'], ['xfrm', 'policy', 'getdefault']]
    .map((v) => `## ${v.join(' ')}\n${iproute2(ns, v).stdout}`).join('\n')));
}

/** rip rejects each line exactly as iproute2 does, and neither changes the namespace. */
export function assertXfrmRejected(ns: TestNetns, lines: readonly string[]): void {
  for (const line of lines) {
    const before = xfrmSnapshot(ns);
    const got = rip(ns, words(line));
    assert.equal(xfrmSnapshot(ns), before, `namespace changed by rejected: ip ${line}`);
    const want = iproute2(ns, words(line));
    assert.notEqual(want.status, 0, `iproute2 accepts: ip ${line} (not a bad-input case)`);
    assert.equal(xfrmSnapshot(ns), before, `iproute2 changed the namespace for: ip ${line}`);
    assert.equal(got.stderr, want.stderr, `stderr of: ip ${line}`);
    assert.equal(got.status, want.status, `exit status of: ip ${line}`);
    assert.equal(got.stdout, want.stdout, `stdout of: ip ${line}`);
  }
}


/** Two namespaces `<prefix>-a` (iproute2's) and `<prefix>-b` (rip's), each with the veth pair set up. */
export function xfrmTwins(prefix: string): [TestNetns, TestNetns] {
  const a = createTestNetns(`${prefix}-a`);
  const b = createTestNetns(`${prefix}-b`);
  vethSetup(a);
  vethSetup(b);
  return [a, b];
}

/** Each line run by iproute2 in `a` and by rip in `b`: same output, status and resulting SAD/SPD. */
export function assertXfrmChangesMatch(a: TestNetns, b: TestNetns, lines: readonly string[]): void {
  for (const line of lines) {
    const want = iproute2(a, words(line));
    const got = rip(b, words(line));
    assert.equal(got.stdout, want.stdout, `stdout of: ip ${line}`);
    assert.equal(got.stderr, want.stderr, `stderr of: ip ${line}`);
    assert.equal(got.status, want.status, `exit status of: ip ${line}`);
    assert.equal(xfrmSnapshot(b), xfrmSnapshot(a), `state after: ip ${line}`);
  }
}
