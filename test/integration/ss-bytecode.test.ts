/**
 * Filter expressions compiled to INET_DIAG bytecode: for every expression,
 * on the same namespace state, the sockets the kernel returns for our
 * bytecode (no user-space filtering) equal user-space evaluation of the
 * expression over an unfiltered dump, and equal what iproute2's ss prints
 * for the same expression. The kernel's bytecode audit must accept every
 * program (a rejected program fails the dump).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { withNetns } from '../helpers/netns.js';
import { startSocketHelper } from './ss-state.js';
import { SockDiag, parseFilter, evaluate, filterSubject, Services, compileBytecode, FilterParseError, type InetSocket } from '../../src/sockdiag/index.js';
import { ephemeralRange } from '../../src/sockdiag/names.js';

const EXPRESSIONS: readonly string[] = [
  'sport = :8080',
  'sport == 8080',
  'sport eq :http-alt',
  'dport = :8080',
  'dport != :8080',
  'sport > :8000',
  'sport < :8000',
  'sport >= :8080',
  'sport <= :8080',
  'dport gt :1024',
  'dport lt :1024',
  'dport ge :9000',
  'dport le :9000',
  'sport neq :9000',
  'src 127.0.0.1',
  'src 127.0.0.0/8',
  'src 10.77.0.0/24',
  'dst 10.77.0.1',
  'dst 127.0.0.1:9000',
  'src 127.0.0.1:9000',
  'src [::1]',
  'dst [::1]:8443',
  'src [::]',
  'src *:8080',
  'dst *:9000',
  'src 0.0.0.0/0',
  'not src 127.0.0.1',
  '! dport = :9000',
  'sport = :8080 or sport = :9000',
  'sport = :8080 || dport = :8080',
  'sport = :8080 | dport = :9000',
  'sport = :9000 and dport > :1024',
  'sport = :9000 && src 127.0.0.1',
  'sport = :9000 & dst 127.0.0.1',
  '( sport = :8080 or sport = :9000 ) and dst 127.0.0.1',
  '( dport = :8080 or sport = :8080 ) and not dst 10.77.0.0/24',
  'not ( sport = :8080 or sport = :9000 )',
  'src 127.0.0.1 dport = :9000',
  'sport = :8080 or sport = :9000 and dst 127.0.0.1',
  'dst 127.0.0.1 or dst 10.77.0.2 or dst ::1',
  'fwmark = 0x2a',
  'fwmark = 42',
  'fwmark != 0x2a',
  'fwmark = 0x2a/0xff',
  'fwmark = 0x0/0x0',
  'dev = rip-ss0',
  'dev rip-ss0',
  'dev != rip-ss0',
  'src 10.77.0.1 or dev rip-ss0',
  'autobound',
  'not autobound',
  'sport >= :1024 and sport <= :9000',
  'dport >= :8000 and dport <= :8500',
  'sport = :7070 or fwmark = 0x2a',
  'not fwmark = 0x2a and sport = :7070',
  'src inet:127.0.0.1',
  'src inet6:::1',
  'dst inet6:[::1]',
  'sport = :5353',
  'dport = :5353',
  'src 127.0.0.2',
  'not ( not sport = :8080 )',
  '( ( sport = :8080 ) )',
  'dport = :0',
  'sport = :9000 or sport = :8080 or sport = :8443 or sport = :7070',
  'src 127.0.0.1/32 and dst 127.0.0.1/32',
  'src ::1/128',
  'dst 127.0.0.1/8:9000',
];

/** A socket as `state local peer` with ss -n's address text (brackets, `*`, `%dev` removed). */
function keyOf(s: InetSocket): string {
  const a = (addr: string): string => addr;
  return `${s.stateName} ${a(s.localAddress)}:${s.localPort} ${a(s.peerAddress)}:${s.peerPort}`;
}

function keyOfLine(line: string): string | null {
  const f = line.trim().split(/\s+/);
  if (f.length < 5) return null;
  const norm = (t: string): string => {
    const i = t.lastIndexOf(':');
    let addr = t.slice(0, i);
    const port = t.slice(i + 1);
    addr = addr.replace(/%[^%]*$/, '').replace(/^\[(.*)\]$/, '$1');
    if (addr === '*') addr = '::';
    return `${addr}:${port === '*' ? '0' : port}`;
  };
  return `${f[0]} ${norm(f[3]!)} ${norm(f[4]!)}`;
}

test('bytecode: kernel filtering = user-space evaluation = iproute2 ss, for 68 expressions on tcp and udp', { timeout: 600_000 }, async (t) => {
  await withNetns(t, async (ns) => {
    const helper = await startSocketHelper(ns);
    const sd = await SockDiag.open({ netns: ns.name });
    try {
      const services = new Services();
      const ifindex = Number(/^(\d+):/.exec(ns.ip('-o', 'link', 'show', 'rip-ss0'))![1]);
      const ctx = { ephemeral: ephemeralRange(), semantics: 'kernel' as const };
      const failures: string[] = [];
      let checked = 0;
      for (const [table, proto, opt] of [['tcp', 6, '-t'], ['udp', 17, '-u']] as const) {
        const everything = await sd.inet(proto, { states: 0xfff }).toArray();
        for (const text of EXPRESSIONS) {
          const r = spawnSync('ss', ['-N', ns.name, '-HanO', opt, ...text.split(' ')], { encoding: 'utf8' });
          let expr;
          try {
            expr = parseFilter([text], { tcp: table === 'tcp', udp: table === 'udp', services, devIndex: (n) => (n === 'rip-ss0' ? ifindex : 0) }).expr;
          } catch (e) {
            // An expression ss rejects too (e.g. `inet6:::1` without brackets): same message, no socket shown.
            checked++;
            if (!(e instanceof FilterParseError) || r.stderr !== `${e.message}\n` || r.status !== e.exitCode) failures.push(`${table} "${text}": ours ${String(e)} vs ss ${r.stderr}`);
            continue;
          }
          assert.ok(expr, text);
          const bc = compileBytecode(expr, { mode: 'best' });
          const kernel = (await sd.inet(proto, { states: 0xfff, filter: expr, userspaceFilter: false }).toArray()).map(keyOf).sort();
          const user = everything.filter((s) => evaluate(expr, filterSubject(s), ctx)).map(keyOf).sort();
          const ref = r.stdout.split('\n').map(keyOfLine).filter((k): k is string => k !== null).sort();
          checked++;
          // What ss shows: the kernel's bytecode result narrowed by its own user-space check.
          const combined = (await sd.inet(proto, { states: 0xfff, filter: expr, bytecodeMode: 'ss' }).toArray()).map(keyOf).sort();
          // `autobound` is the one condition user space cannot decide like the kernel (SOCK_BINDPORT_LOCK is not exported).
          const kernelDecidable = !text.includes('autobound');
          if (bc && kernelDecidable && JSON.stringify(kernel) !== JSON.stringify(user)) failures.push(`${table} "${text}": kernel ${JSON.stringify(kernel)} != user ${JSON.stringify(user)}`);
          if (kernelDecidable && JSON.stringify(user) !== JSON.stringify(ref)) failures.push(`${table} "${text}": user ${JSON.stringify(user)} != ss ${JSON.stringify(ref)}`);
          if (JSON.stringify(combined) !== JSON.stringify(ref)) failures.push(`${table} "${text}": combined ${JSON.stringify(combined)} != ss ${JSON.stringify(ref)}`);
        }
      }
      assert.ok(checked >= 120);
      assert.deepEqual(failures, [], failures.join('\n'));
    } finally {
      sd.close();
      await helper.stop();
    }
  });
});
