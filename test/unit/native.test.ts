import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { native, isNativeError, type NativePoller } from '../../src/netlink/native.js';

const C = native.constants;
const NETLINK_ROUTE = 0;
const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const IFLA_IFNAME = 3;
const isRoot = process.getuid?.() === 0;

function sockaddrNl(family = C.AF_NETLINK): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16LE(family, 0);
  return b;
}

function getlinkRequest(seq: number): Buffer {
  const b = Buffer.alloc(16 + 16);
  b.writeUInt32LE(b.length, 0);
  b.writeUInt16LE(RTM_GETLINK, 4);
  b.writeUInt16LE(0x301, 6); // NLM_F_REQUEST | NLM_F_DUMP
  b.writeUInt32LE(seq, 8);
  b.writeUInt32LE(0, 12);
  b.writeUInt8(0 /* AF_UNSPEC */, 16);
  return b;
}

/** Splits a buffer of netlink messages; returns link names and whether DONE was seen. */
function parseLinks(buf: Buffer, names: string[]): boolean {
  let off = 0;
  let done = false;
  while (off + 16 <= buf.length) {
    const len = buf.readUInt32LE(off);
    const type = buf.readUInt16LE(off + 4);
    assert.ok(len >= 16 && off + len <= buf.length, 'well-formed nlmsghdr');
    if (type === NLMSG_DONE) done = true;
    if (type === NLMSG_ERROR) assert.fail(`netlink error ${buf.readInt32LE(off + 16)}`);
    if (type === RTM_NEWLINK) {
      let a = off + 16 + 16;
      while (a + 4 <= off + len) {
        const alen = buf.readUInt16LE(a);
        const atype = buf.readUInt16LE(a + 2) & 0x3fff;
        if (alen < 4) break;
        if (atype === IFLA_IFNAME) names.push(buf.toString('latin1', a + 4, a + alen).replace(/\0+$/, ''));
        a += (alen + 3) & ~3;
      }
    }
    off += (len + 3) & ~3;
  }
  return done;
}

/** Sends a link dump on a fresh socket (optionally in a netns) and collects the names via Poller + recvmany. */
async function dumpLinks(netns: string | number | null = null): Promise<string[]> {
  const fd = native.socket(C.AF_NETLINK, C.SOCK_RAW, NETLINK_ROUTE, netns);
  let poller: NativePoller | undefined;
  try {
    native.bind(fd, sockaddrNl());
    const local = native.getsockname(fd);
    assert.equal(local.readUInt16LE(0), C.AF_NETLINK);
    assert.equal(native.sendmsg(fd, getlinkRequest(1), sockaddrNl()), 32);
    const names: string[] = [];
    await new Promise<void>((resolve, reject) => {
      poller = new native.Poller(fd, (err, readable) => {
        if (err) { reject(err); return; }
        if (!readable) return;
        try {
          for (;;) {
            const buf = native.recvmany(fd, 64);
            if (buf === null) return;
            if (parseLinks(buf, names)) { resolve(); return; }
          }
        } catch (e) { reject(e); }
      });
      poller.start(true, false);
    });
    return names;
  } finally {
    poller?.close();
    native.close(fd);
  }
}

function netnsInode(path: string): number {
  return fs.statSync(path).ino;
}

test('constants are exported', () => {
  assert.equal(C.AF_NETLINK, 16);
  assert.equal(C.SOCK_RAW, 3);
  assert.equal(C.SOL_NETLINK, 270);
  assert.equal(C.CLONE_NEWNET, 0x40000000);
  assert.equal(C.MS_BIND, 4096);
  assert.equal(C.MNT_DETACH, 2);
});

test('RTM_GETLINK dump via Poller + recvmany finds lo', async () => {
  const names = await dumpLinks();
  assert.ok(names.includes('lo'), `links: ${names.join(',')}`);
});

test('recvmany returns null when nothing is queued (EAGAIN)', () => {
  const fd = native.socket(C.AF_NETLINK, C.SOCK_RAW, NETLINK_ROUTE, null);
  try {
    native.bind(fd, sockaddrNl());
    assert.equal(native.recvmany(fd, 64), null);
    assert.equal(native.recvfrom(fd, 4096), null);
    assert.equal(native.read(fd, 4096), null);
  } finally {
    native.close(fd);
  }
});

const NETLINK_USERSOCK = 2;

test('recvmany batches, concatenates, honours maxDatagrams and reports MSG_TRUNC; recvfrom gives the sender', () => {
  // two NETLINK_USERSOCK sockets unicasting to each other: no kernel side involved
  const a = native.socket(C.AF_NETLINK, C.SOCK_RAW, NETLINK_USERSOCK, null);
  const b = native.socket(C.AF_NETLINK, C.SOCK_RAW, NETLINK_USERSOCK, null);
  try {
    native.bind(a, sockaddrNl());
    native.bind(b, sockaddrNl());
    const addrA = native.getsockname(a);
    const addrB = native.getsockname(b);
    assert.notEqual(addrB.readUInt32LE(4), 0, 'kernel assigned a port id');
    native.setsockopt(a, C.SOL_SOCKET, C.SO_SNDBUF, 1 << 20);
    native.setsockopt(b, C.SOL_SOCKET, C.SO_RCVBUF, 1 << 21);
    for (let i = 0; i < 100; i++) native.sendmsg(a, Buffer.from([i]), addrB);
    const first = native.recvmany(b, 10);
    assert.deepEqual(first, Buffer.from([...Array(10).keys()]));
    const rest = native.recvmany(b, 1000); // more than one recvmmsg batch of 64
    assert.deepEqual(rest, Buffer.from([...Array(90).keys()].map((i) => i + 10)));
    assert.equal(native.recvmany(b, 1000), null);

    native.sendmsg(a, Buffer.from('hi'), addrB);
    const r = native.recvfrom(b, 100);
    assert.ok(r !== null);
    assert.equal(r.data.toString(), 'hi');
    assert.equal(r.addr.readUInt16LE(0), C.AF_NETLINK);
    assert.equal(r.addr.readUInt32LE(4), addrA.readUInt32LE(4), 'sender port id');

    native.sendmsg(a, Buffer.alloc(70000), addrB);
    assert.throws(() => native.recvmany(b, 64), { code: 'EMSGSIZE' });
  } finally {
    native.close(a);
    native.close(b);
  }
});

test('a receive-queue overrun surfaces as ENOBUFS, then the queued data is still readable', (t) => {
  // Joining NETLINK_USERSOCK multicast groups needs CAP_NET_ADMIN.
  if (!isRoot) { t.skip('needs root'); return; }
  const a = native.socket(C.AF_NETLINK, C.SOCK_RAW, NETLINK_USERSOCK, null);
  const b = native.socket(C.AF_NETLINK, C.SOCK_RAW, NETLINK_USERSOCK, null);
  try {
    const group1 = sockaddrNl();
    group1.writeUInt32LE(1, 8);
    native.bind(a, sockaddrNl());
    native.setsockopt(b, C.SOL_SOCKET, C.SO_RCVBUF, 4096);
    native.bind(b, group1); // member of multicast group 1
    for (let i = 0; i < 200; i++) {
      // the multicast copy is delivered; the unicast to port 0 (no kernel socket
      // for NETLINK_USERSOCK) then fails with ECONNREFUSED
      assert.throws(() => native.sendmsg(a, Buffer.alloc(1000, i), group1), { code: 'ECONNREFUSED' });
    }
    assert.throws(() => native.recvmany(b, 1000), { code: 'ENOBUFS', errno: 105, message: /^recvmmsg: / });
    const data = native.recvmany(b, 1000);
    assert.ok(data !== null && data.length > 0 && data.length % 1000 === 0);
    assert.equal(native.recvmany(b, 1000), null);
  } finally {
    native.close(a);
    native.close(b);
  }
});

test('setsockopt/getsockopt round trip', () => {
  const fd = native.socket(C.AF_NETLINK, C.SOCK_RAW, NETLINK_ROUTE, null);
  try {
    native.setsockopt(fd, C.SOL_SOCKET, C.SO_RCVBUF, 65536);
    const v = native.getsockopt(fd, C.SOL_SOCKET, C.SO_RCVBUF, 4);
    assert.equal(v.length, 4);
    assert.ok(v.readInt32LE(0) >= 65536);
    const b = Buffer.alloc(4);
    b.writeInt32LE(1);
    native.setsockopt(fd, C.SOL_NETLINK, 11 /* NETLINK_EXT_ACK */, b);
    assert.equal(native.getsockopt(fd, C.SOL_NETLINK, 11, 4).readInt32LE(0), 1);
  } finally {
    native.close(fd);
  }
});

test('errors carry errno and code', () => {
  const fd = native.socket(C.AF_NETLINK, C.SOCK_RAW, NETLINK_ROUTE, null);
  try {
    assert.throws(() => native.bind(fd, sockaddrNl(99)), (e: unknown) => {
      assert.ok(isNativeError(e));
      assert.equal(e.code, 'EINVAL');
      assert.equal(e.errno, 22);
      assert.match(e.message, /^bind: /);
      return true;
    });
  } finally {
    native.close(fd);
  }
  assert.throws(() => native.close(fd), { code: 'EBADF', errno: 9 });
  assert.throws(() => native.socket(12345, C.SOCK_RAW, 0, null), { code: 'EAFNOSUPPORT', message: /^socket: / });
  assert.throws(() => native.open('/nonexistent/rip', C.O_RDONLY), { code: 'ENOENT', message: 'open: No such file or directory' });
  assert.throws(() => native.socket(C.AF_NETLINK, C.SOCK_RAW, 0, '/nonexistent/netns'), { code: 'ENOENT', message: /^open: / });
  assert.throws(() => native.bind(-1, Buffer.alloc(12)), { code: 'EBADF' });
});

test('read/write on /dev/null', () => {
  const fd = native.open('/dev/null', C.O_RDWR);
  try {
    assert.equal(native.write(fd, Buffer.from('hello')), 5);
    const r = native.read(fd, 100);
    assert.ok(r !== null && r.length === 0, 'EOF is an empty Buffer');
  } finally {
    native.close(fd);
  }
});

test('ioctl passes a Buffer as a pointer (SIOCGIFINDEX)', () => {
  const fd = native.socket(C.AF_INET, C.SOCK_DGRAM, 0, null);
  try {
    const ifr = Buffer.alloc(40);
    ifr.write('lo', 0, 'latin1');
    assert.equal(native.ioctl(fd, 0x8933 /* SIOCGIFINDEX */, ifr), 0);
    assert.equal(ifr.readInt32LE(16), 1);
    ifr.fill(0);
    ifr.write('rip-no-such-if', 0, 'latin1');
    assert.throws(() => native.ioctl(fd, 0x8933, ifr), { code: 'ENODEV', message: /^ioctl: / });
    assert.throws(() => native.ioctl(fd, 0x541b /* FIONREAD */, 0), { code: 'EFAULT' });
  } finally {
    native.close(fd);
  }
});

test('socket in the netns of a pid', async (t) => {
  // setns() needs CAP_SYS_ADMIN even into our own namespace.
  if (!isRoot) { t.skip('needs root'); return; }
  const names = await dumpLinks(process.pid);
  assert.ok(names.includes('lo'));
});

test('socket in a named netns sees only its links', async (t) => {
  if (!isRoot) { t.skip('needs root'); return; }
  const name = `rip-native-test-${process.pid}`;
  execFileSync('ip', ['netns', 'add', name]);
  try {
    const before = netnsInode('/proc/self/ns/net');
    const names = await dumpLinks(`/run/netns/${name}`);
    assert.deepEqual(names, ['lo']);
    assert.equal(netnsInode('/proc/self/ns/net'), before, 'main thread never changes namespace');
  } finally {
    execFileSync('ip', ['netns', 'del', name]);
  }
});

test('netnsCreate + umount', async (t) => {
  if (!isRoot) { t.skip('needs root'); return; }
  fs.mkdirSync('/run/netns', { recursive: true });
  const path = `/run/netns/rip-native-nc-${process.pid}`;
  fs.writeFileSync(path, '');
  try {
    native.netnsCreate(path);
    try {
      assert.notEqual(netnsInode(path), netnsInode('/proc/self/ns/net'));
      assert.deepEqual(await dumpLinks(path), ['lo']);
    } finally {
      native.umount(path, C.MNT_DETACH);
    }
    assert.throws(() => native.netnsCreate('/nonexistent/dir/file'), { code: 'ENOENT', message: /^mount: / });
  } finally {
    fs.rmSync(path, { force: true });
  }
});

async function waitChild(pidfd: number): Promise<{ exited: boolean; status: number; signal: number }> {
  return new Promise((resolve, reject) => {
    const p = new native.Poller(pidfd, (err, readable) => {
      if (err) { p.close(); reject(err); return; }
      if (!readable) return;
      const r = native.waitPidfd(pidfd);
      if (r === null) return;
      p.close();
      resolve(r);
    });
    p.start(true, false);
  });
}

test('spawnInNetns runs ip -o link in a fresh netns', async (t) => {
  if (!isRoot) { t.skip('needs root'); return; }
  const name = `rip-native-sp-${process.pid}`;
  const etcDir = `/etc/netns/${name}`;
  execFileSync('ip', ['netns', 'add', name]);
  fs.mkdirSync(etcDir, { recursive: true });
  fs.writeFileSync(`${etcDir}/hosts`, '127.0.0.1 rip-marker-host\n');
  try {
    const nsPath = `/run/netns/${name}`;
    const run = async (argv: string[], etc: string | null = null) => {
      const { pid, pidfd } = native.spawnInNetns(nsPath, argv, etc);
      assert.ok(pid > 0 && pidfd >= 0);
      try {
        return await waitChild(pidfd);
      } finally {
        native.close(pidfd);
      }
    };
    assert.deepEqual(await run(['ip', '-o', 'link', 'show', 'lo']), { exited: true, status: 0, signal: 0 });
    // only lo is visible, both over netlink and in the remounted /sys
    assert.equal((await run(['sh', '-c', '[ "$(ip -o link | wc -l)" = 1 ] && [ "$(ls /sys/class/net)" = lo ]'])).status, 0);
    // /etc/netns/<name>/hosts is bind-mounted over /etc/hosts
    assert.equal((await run(['grep', '-q', 'rip-marker-host', '/etc/hosts'], name)).status, 0);
    assert.equal((await run(['grep', '-q', 'rip-marker-host', '/etc/hosts'])).status, 1);
    assert.equal((await run(['/nonexistent/rip-cmd'])).status, 255);
    assert.deepEqual(await run(['sh', '-c', 'kill -9 $$']), { exited: false, status: 0, signal: 9 });
  } finally {
    fs.rmSync(etcDir, { recursive: true, force: true });
    execFileSync('ip', ['netns', 'del', name]);
  }
});

const nativeJs = fileURLToPath(new URL('../../src/netlink/native.js', import.meta.url));

function runScript(body: string): { status: number | null; stderr: string; timedOut: boolean } {
  const script = `import { native } from ${JSON.stringify(nativeJs)};\nconst C = native.constants;\n${body}`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { timeout: 10000, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, timedOut: r.error !== undefined };
}

test('Poller close while started does not crash and the process exits', () => {
  const r = runScript(`
    const fd = native.socket(C.AF_NETLINK, C.SOCK_RAW, 0, null);
    const p = new native.Poller(fd, () => {});
    p.start(true, true);
    p.close();
    p.close();
    p.stop(); p.ref(); p.unref();
    native.close(fd);
  `);
  assert.equal(r.timedOut, false, 'process exited');
  assert.equal(r.status, 0, r.stderr);
});

test('an unref()ed started Poller does not keep the process alive', () => {
  const r = runScript(`
    const fd = native.socket(C.AF_NETLINK, C.SOCK_RAW, 0, null);
    const p = new native.Poller(fd, () => {});
    p.start(true, false);
    p.unref();
    globalThis.keep = p;
  `);
  assert.equal(r.timedOut, false, 'process exited');
  assert.equal(r.status, 0, r.stderr);
});

test('Poller is safe with GC (finalizer closes a started handle)', () => {
  const r = runScript(`
    const fds = [];
    for (let i = 0; i < 200; i++) {
      const fd = native.socket(C.AF_NETLINK, C.SOCK_RAW, 0, null);
      const p = new native.Poller(fd, () => {});
      p.start(true, false);
      if (i % 2) { p.close(); native.close(fd); } else fds.push(fd);
    }
    for (let i = 0; i < 3; i++) {
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 20));
    }
    // the finalizers stopped and closed the dropped, still-started pollers:
    // nothing keeps the loop alive any more
    for (const fd of fds) native.close(fd);
  `);
  assert.equal(r.timedOut, false, 'process exited');
  assert.equal(r.status, 0, r.stderr);
});

test('an exception thrown in a Poller callback is an uncaught exception', () => {
  const r = runScript(`
    const fd = native.socket(C.AF_NETLINK, C.SOCK_RAW, 0, null);
    const p = new native.Poller(fd, () => { throw new Error('boom-from-callback'); });
    p.start(false, true);
  `);
  assert.equal(r.timedOut, false, 'process exited');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /boom-from-callback/);
});
