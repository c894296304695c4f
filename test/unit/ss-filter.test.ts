/**
 * ss filter language: parser, evaluation, bytecode (golden bytes captured
 * from iproute2's ss with strace) and the bytecode interpreter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGolden, assertSameBytes } from '../helpers/golden.js';
import { Writer } from '../../src/netlink/codec/writer.js';
import {
  parseFilter, parseStateWords, FilterParseError, compileBytecode, runBytecode, evaluate, F, fnmatch,
  buildInetRequest, buildUnixRequest, buildPacketRequest, buildNetlinkRequest, Services,
  type FilterExpr, type FilterSubject,
} from '../../src/sockdiag/index.js';
import { seededRandom } from '../../src/netlink/codec/schema.js';

const SS_CONN = 0xfff & ~((1 << 10) | (1 << 7) | (1 << 6) | (1 << 3));

/** Zero the hostcond padding bytes (ss leaves them uninitialised) in every message's bytecode. */
function maskPadding(msg: Buffer): Buffer {
  const b = Buffer.from(msg);
  let p = 16 + 56;
  while (p + 4 <= b.length) {
    const alen = b.readUInt16LE(p);
    const type = b.readUInt16LE(p + 2);
    if (alen < 4) break;
    if (type === 1) {
      let o = p + 4;
      const end = p + alen;
      while (o < end) {
        const code = b[o]!;
        if (code === 7 || code === 8) { b[o + 6] = 0; b[o + 7] = 0; }
        const yes = b[o + 1]!;
        o += yes || 4;
      }
    }
    p += (alen + 3) & ~3;
  }
  return b;
}

function request(build: (w: Writer, seq: number) => void): Buffer {
  const w = new Writer();
  build(w, 0);
  return w.toBuffer();
}

test('bytecode: our requests equal iproute2 ss byte for byte (ss-bytecode fixture)', () => {
  const cases = loadGolden('ss-bytecode');
  assert.ok(cases.length >= 18);
  const services = new Services();
  for (const c of cases) {
    const words = c.cmd.split(' ').slice(2); // "ss -tn ..."
    const { expr } = parseFilter(words, { tcp: true, services });
    assert.ok(expr, c.cmd);
    const bc = compileBytecode(expr, { mode: 'ss' });
    assert.ok(bc, `${c.cmd}: compiles`);
    [2, 10].forEach((family, i) => {
      const ours = request((w, seq) => buildInetRequest(w, seq, family, 6, SS_CONN, 0, bc));
      assertSameBytes(maskPadding(ours), maskPadding(c.buffers[i]!), `${c.cmd} (family ${family})`);
    });
  }
});

test('requests: table/extension/state options equal iproute2 ss (ss-requests fixture)', () => {
  const byCmd = new Map(loadGolden('ss-requests').map((c) => [c.cmd, c]));
  const inet = (cmd: string, proto: number, states: number, ext: number): void => {
    const c = byCmd.get(cmd);
    assert.ok(c, cmd);
    [2, 10].forEach((family, i) => {
      assertSameBytes(request((w, s) => buildInetRequest(w, s, family, proto, states, ext, null)), c.buffers[i]!, `${cmd} family ${family}`);
    });
  };
  inet('ss -ti', 6, SS_CONN, 0x0e);
  inet('ss -tm', 6, SS_CONN, (1 << 0) | (1 << 6));
  inet('ss -t --tos', 6, SS_CONN, (1 << 4) | (1 << 5));
  inet('ss -Mn', 262, SS_CONN, 0);
  inet('ss -ua', 17, 0xfff, 0);
  inet('ss -tl', 6, (1 << 10) | (1 << 7), 0);
  inet('ss -tan state established', 6, 1 << 1, 0);
  inet('ss -tan exclude listening', 6, 0xfff & ~(1 << 10), 0);
  const one = (cmd: string, build: (w: Writer, s: number) => void): void => {
    const c = byCmd.get(cmd);
    assert.ok(c, cmd);
    assertSameBytes(request(build), c.buffers[0]!, cmd);
  };
  one('ss -xa', (w, s) => buildUnixRequest(w, s, 0xfff, 0x15));
  one('ss -xme', (w, s) => buildUnixRequest(w, s, SS_CONN, 0x15 | 0x20 | 0x02 | 0x08));
  one('ss -0', (w, s) => buildPacketRequest(w, s, 0x3d));
  one('ss -f netlink', (w, s) => buildNetlinkRequest(w, s, 255, 0x3));
});

test('parser: and/or are left-associative without precedence, juxtaposition is and', () => {
  const { expr } = parseFilter(['sport = :1 or sport = :2 and dport = :3'], { tcp: true });
  assert.equal(expr?.type, 'and');
  const e = expr as Extract<FilterExpr, { left: unknown }>;
  assert.equal(e.left.type, 'or');
  const j = parseFilter(['src', '10.0.0.1', 'dport', '=', ':80'], {}).expr;
  assert.equal(j?.type, 'and');
  const n = parseFilter(['!', 'dport', '=', ':80', 'or', 'not', 'sport', '>', ':1024'], {}).expr as Extract<FilterExpr, { left: unknown }>;
  assert.equal(n.left.type, 'not');
  assert.equal(n.right.type, 'not');
});

test('parser: operators and their aliases build ss\'s nodes', () => {
  const t = (w: string): FilterExpr => parseFilter([w], { tcp: true }).expr!;
  assert.deepEqual(t('dport >= :80'), { type: 'dport-ge', port: 80 });
  assert.deepEqual(t('dport geq 80'), { type: 'dport-ge', port: 80 });
  assert.deepEqual(t('sport le 80'), { type: 'sport-le', port: 80 });
  assert.deepEqual(t('sport > 80'), { type: 'not', expr: { type: 'sport-le', port: 80 } });
  assert.deepEqual(t('sport lt 80'), { type: 'not', expr: { type: 'sport-ge', port: 80 } });
  assert.equal((t('dport != :ssh') as { type: string }).type, 'not');
  const ssh = t('dport = :ssh') as Extract<FilterExpr, { conds: unknown }>;
  assert.equal(ssh.conds[0]!.port, 22);
  const src = t('src 10.1.0.0/16:443') as Extract<FilterExpr, { conds: unknown }>;
  assert.equal(src.conds[0]!.prefixLen, 16);
  assert.equal(src.conds[0]!.port, 443);
  assert.equal(src.conds[0]!.family, 2);
  const v6 = t('dst [2001:db8::1]:80') as Extract<FilterExpr, { conds: unknown }>;
  assert.equal(v6.conds[0]!.family, 10);
  assert.equal(v6.conds[0]!.prefixLen, 128);
  assert.deepEqual(t('fwmark = 0x10/0xf0'), { type: 'fwmark', mark: 0x10, mask: 0xf0 });
  assert.deepEqual(t('dev 7'), { type: 'dev', ifindex: 7 });
  assert.deepEqual(t('autobound'), { type: 'autobound' });
});

test('parser: errors carry ss\'s text, exit status and position', () => {
  const err = (words: string[]): FilterParseError => {
    try { parseFilter(words, { tcp: true }); } catch (e) { assert.ok(e instanceof FilterParseError); return e; }
    assert.fail(`accepted: ${words.join(' ')}`);
  };
  let e = err(['dst']);
  assert.equal(e.message, 'ss: bison bellows (while parsing filter): "syntax error!" Sorry.');
  assert.equal(e.exitCode, 255);
  assert.ok(e.withUsage);
  e = err(['dst', '1.2.3.4.5']);
  assert.equal(e.message, 'Error: an inet prefix is expected rather than "1.2.3.4.5".\nCannot parse dst/src address.');
  assert.equal(e.exitCode, 1);
  assert.deepEqual(e.position, { arg: 1, offset: 0, token: '1.2.3.4.5' });
  e = err(['sport = :nosuchservice']);
  assert.equal(e.message, 'Error: "nosuchservice" does not look like a port.\nCannot parse dst/src address.');
  assert.equal(e.position.offset, 8);
  assert.equal(err(['fwmark', 'x']).message, 'Cannot parse mark x.');
  assert.equal(err(['dev', 'nosuchdev']).message, 'Cannot parse device.');
  e = err(['(', 'sport', '=', ':22']);
  assert.equal(e.exitCode, 255);
  e = err(['sport', '=', ':22', ')']);
  assert.equal(e.position.token, ')');
});

test('state words: names, groups, exclude, and ss\'s error', () => {
  assert.deepEqual(parseStateWords(['state', 'established', 'dport', '=', ':22']), { states: 2, rest: ['dport', '=', ':22'], saw: true });
  assert.equal(parseStateWords(['state', 'connected']).states, 0xfff & ~((1 << 7) | (1 << 10)));
  assert.equal(parseStateWords(['state', 'bucket']).states, (1 << 3) | (1 << 6));
  assert.equal(parseStateWords(['state', 'synchronized']).states, 0xfff & ~((1 << 7) | (1 << 10) | (1 << 2)));
  assert.equal(parseStateWords(['state', 'big']).states, 0xfff & ~((1 << 3) | (1 << 6)));
  assert.equal(parseStateWords(['exclude', 'listening', 'excl', 'time-wait']).states, 0xfff & ~((1 << 10) | (1 << 6)));
  assert.equal(parseStateWords(['state', 'SYN-RCV', 'state', 'closed']).states, (1 << 3) | (1 << 7));
  assert.throws(() => parseStateWords(['state', 'bogus']), { message: 'ss: wrong state name: bogus' });
});

test('-F file words: comment lines and lines starting with 0 are skipped', () => {
  const { expr } = parseFilter([], { tcp: true }, '# comment\nsport = :22\n0 ignored\nor dport = :80\n');
  assert.equal(expr?.type, 'or');
});

function randomSubject(rng: ReturnType<typeof seededRandom>): FilterSubject & { portLocked: boolean } {
  const v6 = rng.bool();
  const pick = (): Uint8Array => {
    const choices = v6
      ? [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, rng.int(4)], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, rng.int(3), 0, 1]]
      : [[127, 0, 0, 1], [10, rng.int(3), 0, rng.int(4)], [192, 168, 1, rng.int(3)]];
    return Uint8Array.from(choices[rng.int(choices.length)]!);
  };
  const ports = [22, 80, 443, 1024, 8080, 9000, 40000, 0];
  return {
    family: v6 ? 10 : 2, lport: ports[rng.int(ports.length)]!, rport: ports[rng.int(ports.length)]!,
    local: pick(), remote: pick(), iface: rng.int(3), mark: [0, 0x2a, 0x12a][rng.int(3)]!, cgroupId: BigInt(rng.int(3)),
    portLocked: rng.bool(),
  };
}

test('bytecode interpreter agrees with user-space evaluation (property test over 45 expressions)', () => {
  const exprs = [
    'sport = :22', 'dport = :80', 'sport != :443', 'sport > :1024', 'sport < :1024', 'dport >= :8080', 'dport <= :443',
    'src 10.0.0.0/8', 'src 10.1.0.0/16', 'dst 127.0.0.1', 'dst 192.168.1.0/24:443', 'src [2001:db8::/32]', 'dst [::1]',
    'src 10.0.0.0/8 or src 127.0.0.1', 'not dst 10.0.0.0/8', 'sport = :22 and dport > :1024', '( sport = :80 or sport = :443 ) and not dst 127.0.0.1',
    'fwmark = 0x2a', 'fwmark = 0x2a/0xff', 'fwmark != 0x2a', 'sport = :22 or dport = :22 or sport = :80',
    'not ( sport = :22 or dport = :22 )', 'src 127.0.0.1:8080', 'dst *:9000', 'src 10.0.0.0/8 dport = :443 or sport = :443',
    'sport >= :80 and sport <= :8080', 'not sport >= :80', 'dport gt :79 and dport lt :81', 'src 10.1.0.3 or src 10.2.0.0/24',
    'dst 10.0.0.0/9', 'dst 10.0.0.0/7', 'src 192.168.1.2/31', 'not not sport = :22', 'sport = :0', 'dport != :0',
    '! ( src 127.0.0.1 or dst 127.0.0.1 ) and sport > :100', 'src [::ffff:10.0.0.0/104]', 'src [2001:db8::2]',
    'sport = :8080 or sport = :9000 and dst 127.0.0.1', 'dport = :443 && src 10.0.0.0/8 || dport = :80',
    'fwmark = 0x12a/0x1ff or sport = :22', 'src 0.0.0.0/1', 'dst 128.0.0.0/1', 'sport = :40000', 'dport >= :0',
  ];
  assert.ok(exprs.length >= 45);
  const rng = seededRandom(7);
  const ctx = { ephemeral: { min: 32768, max: 60999 }, semantics: 'kernel' as const };
  for (const text of exprs) {
    const { expr } = parseFilter([text], { tcp: true });
    const bc = compileBytecode(expr!, { mode: 'ss' })!;
    for (let i = 0; i < 300; i++) {
      const s = randomSubject(rng);
      const entry = {
        family: s.family, saddr: pad16(s.local!), daddr: pad16(s.remote!), sport: s.lport, dport: s.rport,
        ifindex: s.iface, mark: s.mark, cgroupId: s.cgroupId, portLocked: s.portLocked,
      };
      const k = runBytecode(bc, entry);
      const u = evaluate(expr!, s, ctx);
      assert.equal(k, u, `${text} on ${JSON.stringify({ ...s, local: [...s.local!], remote: [...s.remote!], cgroupId: String(s.cgroupId) })}`);
    }
  }
});

function pad16(a: Uint8Array): Uint8Array { const b = new Uint8Array(16); b.set(a); return b; }

test('bytecode: best mode keeps the expressible side of an AND; ss mode gives up', () => {
  const e = F.and(F.dport('=', 22), F.dev(3));
  assert.equal(compileBytecode(e, { mode: 'ss' }), null);
  const best = compileBytecode(e, { mode: 'best' })!;
  assert.ok(best.length > 0);
  assert.equal(compileBytecode(F.or(F.dport('=', 22), F.unixPath('/run/*')), { mode: 'best' }), null);
});

test('fnmatch: ss matches Unix paths case-insensitively with shell globs', () => {
  assert.ok(fnmatch('/run/*.sock', '/RUN/foo/bar.sock'));
  assert.ok(fnmatch('@rip-?s-*', '@rip-ss-abstract'));
  assert.ok(fnmatch('[a-c]x', 'bx'));
  assert.ok(!fnmatch('[!a-c]x', 'bx'));
  assert.ok(!fnmatch('/tmp/*', '/var/x'));
});

test('evaluation: ss semantics compare bytes across families, kernel semantics do not', () => {
  const e = parseFilter(['not src 0.0.0.0/1'], {}).expr!;
  const v6 = { family: 10, lport: 1, rport: 1, local: Uint8Array.from([0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), remote: new Uint8Array(16), iface: 0, mark: 0, cgroupId: 0n };
  assert.equal(evaluate(e, v6, { ephemeral: { min: 1, max: 2 } }), false);
  assert.equal(evaluate(e, v6, { ephemeral: { min: 1, max: 2 }, semantics: 'kernel' }), true);
  const bc = compileBytecode(e, { mode: 'ss' })!;
  assert.equal(runBytecode(bc, { family: 10, saddr: v6.local, daddr: v6.remote, sport: 1, dport: 1, ifindex: 0, mark: 0, cgroupId: 0n, portLocked: false }), true);
});
