/**
 * The `-batch` route scanner (src/cli/ip/route-batch-fast.ts) against the
 * general path (splitBatchLine → parseModify → the route schema): for every
 * line the scanner takes, both must produce the same request bytes, and the
 * general path must accept the line too. The lines are generated from valid
 * and invalid spellings of every token the scanner knows and of some it must
 * decline, in random order, with duplicates and missing destinations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FastRouteLine } from '../../src/cli/ip/route-batch-fast.js';
import { parseModify, modifyOp, applyIfindexes } from '../../src/cli/ip/route-modify.js';
import { splitBatchLine } from '../../src/cli/common/batch.js';
import { ROUTE_OPS } from '../../src/netlink/route.js';
import { routeMessage } from '../../src/netlink/rtnetlink/route-schema.js';
import { Writer } from '../../src/netlink/codec/writer.js';

const NAMES = new Map([['veth0', 7], ['eth1', 3], ['a-b.c', 70000]]);

/** The general path's request for a line, or an Error if it refuses the line. */
function general(line: string, family: number): Buffer | Error {
  try {
    const argv = splitBatchLine(line);
    if (argv[0] !== 'route') return new Error('not a route line');
    const op = modifyOp(argv[1]!);
    if (!op) return new Error('not a modification');
    const p = parseModify(op, argv.slice(2), family, (n) => NAMES.get(n) ?? 0);
    if (p.dev !== undefined && !NAMES.has(p.dev)) return new Error('unknown device');
    applyIfindexes(p, (d) => NAMES.get(d)!);
    const w = new Writer();
    const o = ROUTE_OPS[p.op];
    const start = w.beginMessage(o.type, o.flags, 1);
    routeMessage.encode(w, p.header, p.attrs);
    w.endMessage(start);
    return w.toBuffer();
  } catch (e) {
    return e as Error;
  }
}

function fastBytes(f: FastRouteLine, line: string, lead = '', tail = ''): Buffer | undefined {
  const text = lead + line + tail;
  if (!f.scan(text, lead.length, lead.length + line.length)) return undefined;
  const w = new Writer();
  const start = w.beginMessage(f.type, f.flags, 1);
  f.encode(w);
  w.endMessage(start);
  return w.toBuffer();
}

let seed = 0x9e3779b9;
function rnd(n: number): number {
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed % n;
}
const pick = <T>(a: readonly T[]): T => a[rnd(a.length)]!;
const quad = (): string => `${rnd(256)}.${rnd(256)}.${rnd(256)}.${rnd(256)}`;

const ODD_ADDRS = ['010.1.2.3', '10.1.2', '1.2.3.256', '0x0a.0.0.1', '1..2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.04', '255.255.255.255', '0.0.0.0'];
function dst(): string {
  const r = rnd(10);
  if (r < 5) return `${quad()}/${rnd(33)}`;
  if (r < 7) return quad();
  if (r === 7) return pick(ODD_ADDRS);
  return pick([`${quad()}/33`, `${quad()}/032`, `${quad()}/`, `${quad()}/0`, `${quad()}/8x`, 'default', '10.0.0.0/255.0.0.0', '2001:db8::/64']);
}
const OPTIONS: ReadonlyArray<() => string[]> = [
  () => ['dev', pick(['veth0', 'eth1', 'a-b.c', 'nosuch', 'if7'])],
  () => ['via', rnd(4) ? quad() : pick(ODD_ADDRS.concat(['inet', '2001:db8::1']))],
  () => [pick(['metric', 'priority', 'preference', 'met', 'pref']), pick(['0', '5', '4294967295', '4294967296', '0x10', '010', '-1', 'x', String(rnd(100000))])],
  () => ['table', pick(['main', 'local', 'default', '7', '255', '256', '300', '4294967295', '4294967296', 'nope', '0', '0x100'])],
  () => [pick(['proto', 'protocol']), pick(['static', 'boot', 'kernel', 'zebra', 'redirect', '99', '255', '256', 'xx', '0'])],
  () => ['scope', pick(['link', 'host', 'global', 'nowhere', 'site', '200', '300', 'x'])],
  () => pick([['mtu', '1400'], ['onlink'], ['src', quad()], ['to', quad()], ['unicast'], ['blackhole'], ['dev'], ['metric']]),
];

test('route-batch-fast: the scanner encodes exactly what the general path does (30,000 generated lines, each read alone and with -4)', () => {
  const f = new FastRouteLine(() => NAMES);
  let taken = 0, declined = 0;
  const verbs = ['add', 'add', 'add', 'del', 'delete', 'replace', 'change', 'append', 'prepend', 'a', 'test', 'show', 'flush'];
  for (let k = 0; k < 30000; k++) {
    const words: string[][] = [];
    if (rnd(12)) words.push([dst()]);
    const nOpts = rnd(5);
    for (let i = 0; i < nOpts; i++) words.push(OPTIONS[rnd(rnd(4) ? 6 : 7)]!());
    if (rnd(10) === 0 && words.length) words.push(words[rnd(words.length)]!); // a duplicate
    for (let i = words.length - 1; i > 0; i--) { const j = rnd(i + 1); [words[i], words[j]] = [words[j]!, words[i]!]; }
    const sep = (): string => (rnd(8) ? ' ' : '  ');
    const line = (rnd(20) ? '' : ' ') + ['route', pick(verbs), ...words.flat()].join(sep()) + (rnd(20) ? '' : ' ');
    for (const family of [0, 2]) {
      // The scanner reads a line inside a larger text: the neighbours must not matter.
      const got = fastBytes(f, line, rnd(2) ? '' : 'route add 1.1.1.1 dev veth0\n', rnd(2) ? '' : '\nroute del 9.9.9.9');
      if (!got) { declined++; continue; }
      taken++;
      const want = general(line, family);
      if (want instanceof Error) assert.fail(`the scanner took ${JSON.stringify(line)}, which the general path refuses: ${want.message}`);
      assert.equal(got.toString('hex'), want.toString('hex'), JSON.stringify(line));
    }
  }
  // Both sides must be exercised in earnest.
  assert.ok(taken > 8000, `only ${taken} lines taken`);
  assert.ok(declined > 10000, `only ${declined} lines declined`);
});

test('route-batch-fast: the bulk line shapes are taken; others are left to the general path', () => {
  const f = new FastRouteLine(() => NAMES);
  for (const line of [
    'route add 10.0.0.1/32 dev veth0', 'route del 10.0.0.1/32 dev veth0', 'route replace 10.0.0.0/8 via 192.0.2.1 metric 5',
    'route add 10.0.0.0/24 dev eth1 table 300 proto static', 'route append 0.0.0.0/0 via 192.0.2.1 dev veth0 scope global',
  ]) assert.ok(fastBytes(f, line), line);
  for (const line of [
    'route add 10.0.0.1/32 dev nosuch', 'route add 10.0.0.1/32 dev veth0 # comment', 'route add "10.0.0.1/32" dev veth0',
    'route add 10.0.0.1/32\tdev veth0', 'route add 10.0.0.1/32 dev veth0\r', 'ro add 10.0.0.1/32 dev veth0', 'route a 10.0.0.1/32 dev veth0',
    'route add default via 192.0.2.1', 'route add 10.0.0.1/32 dev veth0 dev eth1', 'route add dev veth0', 'route add 10.0.0.1/32 dev',
    'route add 010.0.0.1/32 dev veth0', 'route add 10.0.0.1/32 mtu 1400 dev veth0', 'route show',
  ]) assert.equal(fastBytes(f, line), undefined, line);
  // A device the scanner does not know yet becomes known when the general path refreshes the names.
  const names = new Map<string, number>();
  const g = new FastRouteLine(() => names);
  assert.equal(fastBytes(g, 'route add 10.0.0.1/32 dev veth0'), undefined);
  names.set('veth0', 7);
  assert.ok(fastBytes(g, 'route add 10.0.0.1/32 dev veth0'));
});
