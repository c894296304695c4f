/**
 * Test state for the ss/sockdiag tests: a helper process inside a test
 * namespace that opens real sockets of every kind and reports when ready.
 * (Python is used because Node cannot open packet, raw or bare netlink sockets.)
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestNetns } from '../helpers/netns.js';

/** What the helper opened (ports etc. are fixed so expectations can name them). */
export const STATE = {
  tcpListen4: 8080, tcpListen6: 8443, tcpEstabServer: 9000, udpBound: 5353, udpConnectedLocal: 5001,
  udp6: 6000, unixPath: '/tmp/rip-ss-test.sock', unixAbstract: 'rip-ss-abstract', markedPort: 7070, mark: 0x2a,
  devPort: 7171,
} as const;

const SCRIPT = String.raw`
import socket, sys, os, time, struct
S = []
def keep(s): S.append(s); return s
ns = sys.argv[1]
# TCP listeners (v4, v6-only) and an established pair; a marked listener; a device-bound one.
l4 = keep(socket.socket()); l4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l4.bind(('0.0.0.0', 8080)); l4.listen(16)
l6 = keep(socket.socket(socket.AF_INET6)); l6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1); l6.bind(('::', 8443)); l6.listen(16)
srv = keep(socket.socket()); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(('127.0.0.1', 9000)); srv.listen(16)
c1 = keep(socket.socket()); c1.connect(('127.0.0.1', 9000)); a1, _ = srv.accept(); keep(a1)
c2 = keep(socket.socket()); c2.connect(('127.0.0.1', 8080)); a2, _ = l4.accept(); keep(a2)
c3 = keep(socket.socket(socket.AF_INET6)); c3.connect(('::1', 8443)); a3, _ = l6.accept(); keep(a3)
m = keep(socket.socket()); m.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, 0x2a); m.bind(('127.0.0.1', 7070)); m.listen(4)
d = keep(socket.socket()); d.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'rip-ss0'); d.bind(('0.0.0.0', 7171)); d.listen(4)
c4 = keep(socket.socket()); c4.connect(('10.77.0.2', 8080)); a4, _ = l4.accept(); keep(a4)
# a time-wait: the client closes first
tw = socket.socket(); tw.connect(('127.0.0.1', 9000)); tws, _ = srv.accept(); tw.close(); time.sleep(0.05); tws.close()
# UDP: bound, connected, v6
u1 = keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)); u1.bind(('0.0.0.0', 5353))
u2 = keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)); u2.bind(('127.0.0.1', 5001)); u2.connect(('127.0.0.1', 5353))
u3 = keep(socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)); u3.bind(('::1', 6000))
u2.send(b'x' * 100)
# raw
r1 = keep(socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
# unix: stream listener + connection, abstract, dgram, seqpacket
try: os.unlink('/tmp/rip-ss-test.sock')
except OSError: pass
ul = keep(socket.socket(socket.AF_UNIX)); ul.bind('/tmp/rip-ss-test.sock'); ul.listen(4)
uc = keep(socket.socket(socket.AF_UNIX)); uc.connect('/tmp/rip-ss-test.sock'); ua, _ = ul.accept(); keep(ua)
pending = keep(socket.socket(socket.AF_UNIX)); pending.connect('/tmp/rip-ss-test.sock')
uabs = keep(socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)); uabs.bind('\0rip-ss-abstract')
useq = keep(socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)); useq.bind('\0rip-ss-seq'); useq.listen(1)
# packet sockets
p1 = keep(socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))); p1.bind(('lo', 0))
p2 = keep(socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800)))
# netlink
n1 = keep(socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)); n1.bind((0, 1))
print('ready', os.getpid(), flush=True)
sys.stdin.read()
`;

/** A running socket helper. */
export interface SocketHelper {
  readonly pid: number;
  stop(): Promise<void>;
}

/** Set up links (veth pair with addresses) and start the helper; resolves once its sockets are open. */
export async function startSocketHelper(ns: TestNetns): Promise<SocketHelper> {
  ns.ip('link', 'add', 'rip-ss0', 'type', 'veth', 'peer', 'name', 'rip-ss1');
  ns.ip('addr', 'add', '10.77.0.1/24', 'dev', 'rip-ss0');
  ns.ip('addr', 'add', '10.77.0.2/24', 'dev', 'rip-ss1');
  ns.ip('link', 'set', 'rip-ss0', 'up');
  ns.ip('link', 'set', 'rip-ss1', 'up');
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns.name, 'python3', '-c', SCRIPT, ns.name], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const pid = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`socket helper exited (${String(code)}): ${err}`)));
  });
  // Let the time-wait and queued data settle.
  await new Promise((r) => setTimeout(r, 100));
  return {
    pid,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      child.stdin!.end();
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    }),
  };
}
