/**
 * Typed loader for the C addon (build/Release/rip.node).
 *
 * The addon exposes syscall primitives only: it knows nothing about netlink
 * messages. All sockets are nonblocking and close-on-exec; readiness comes from
 * {@link NativePoller} (a libuv uv_poll_t). Failing syscalls throw an Error whose
 * message is "<call>: <strerror>" and which carries `errno` (positive) and
 * `code` (e.g. 'EPERM', 'ENOBUFS'); see {@link NativeError}.
 */
import { createRequire } from 'node:module';

/** An Error thrown by the addon for a failing syscall. */
export interface NativeError extends Error {
  /** Positive errno value. */
  errno: number;
  /** Symbolic errno name, e.g. 'ENOBUFS'; 'E<number>' for uncommon ones. */
  code: string;
}

/** Poll callback: err is set (with errno/code) on a poll error. */
export type PollCallback = (err: Error | null, readable: boolean, writable: boolean) => void;

/** A uv_poll_t wrapper. close() does not close the fd. */
export interface NativePoller {
  start(readable: boolean, writable: boolean): void;
  stop(): void;
  ref(): void;
  unref(): void;
  close(): void;
}

export interface NativePollerConstructor {
  new (fd: number, callback: PollCallback): NativePoller;
}

/**
 * A background thread that performs send(2) on one fd for JS, one buffer at
 * a time. A netlink request is processed by the kernel inside the sender's
 * sendmsg, so a batch sent by the Sender is worked through on another core
 * while JS prepares the next one. The buffer is referenced (and must not be
 * modified) until its result is collected with wait().
 */
export interface NativeSender {
  /**
   * Start sending `data`; throws EBUSY while a send has not been collected.
   * With `oneByOne`, `data`'s messages are sent one per send() and the run
   * stops after the first one the kernel answered (the result then counts
   * the bytes up to and including it).
   */
  send(data: Buffer, oneByOne?: boolean): void;
  /**
   * Collect the send in flight: bytes sent (throws its errno if it failed),
   * or null when none is in flight or, with `block` false, it has not finished.
   */
  wait(block: boolean): number | null;
  /** Stop the thread (after the send in progress, if any). Does not close the fd. */
  close(): void;
}

export interface NativeSenderConstructor {
  new (fd: number): NativeSender;
}

/**
 * A background thread that sends one netlink request and receives its
 * replies (up to the datagram holding its NLMSG_DONE or NLMSG_ERROR) into a
 * ring of its own, so that the kernel fills a dump's datagrams on another
 * core while JS handles the ones already received. Works on a dup() of the
 * fd; nothing else may read the socket until the reader finished.
 */
export interface NativeReader {
  /**
   * Copy the datagrams received so far (whole ones, each at a 4-byte aligned
   * offset, gaps zeroed) into `target` (at least 64 KiB); returns the bytes
   * written: 0 when none are ready (`block` false), null once the reader
   * finished and everything was taken. A receive error is thrown once, after
   * the datagrams received before it.
   */
  next(target: Buffer, block: boolean): number | null;
  /** Stop and join the thread (also done when the object is collected). Does not close the fd. */
  close(): void;
}

export interface NativeReaderConstructor {
  /** Send `request` (if not null) on `fd` and receive the replies of sequence number `seq`. */
  new (fd: number, request: Buffer | null, seq: number): NativeReader;
}

/** What a {@link NativeProcScan} found. */
export interface NativeProcScanResult {
  /**
   * 32-bit words: `count` records of five (inode, read unsigned; pid; tid;
   * fd; index of the command name in `names`) in the order found; then per
   * record the index of the previous record of the same inode (-1: none);
   * then a table of 2^bits slots, each the last record of an inode (-1:
   * empty), found at `Math.imul(inode, 0x9e3779b1) >>> (32 - bits)` or in the
   * slots after it.
   */
  readonly words: ArrayBuffer;
  readonly count: number;
  readonly bits: number;
  readonly names: string[];
}

/**
 * ss -p's walk of /proc (every ROOT/PID/fd/N link that reads `socket:[N]`,
 * and each thread's with `threads`), run on background threads from its
 * construction on; see native/procfd.c.
 */
export interface NativeProcScan {
  /**
   * The result: null while the walk runs (`block` false); with `block`, waits
   * for it. Throws when the walk failed (out of memory) or after close().
   */
  wait(block: boolean): NativeProcScanResult | null;
  /** Stop the walk and join its threads, freeing the result (also done when the object is collected). */
  close(): void;
}

export interface NativeProcScanConstructor {
  /**
   * Walk `root` (a trailing '/' is added if missing) on `workers` threads (0:
   * one per CPU but the caller's, at least 1 and at most 4; a caller that
   * waits takes part), keeping only the inodes in `only` when given.
   */
  new (root: string, threads: boolean, only: Uint32Array | null, workers: number): NativeProcScan;
}

export interface NativeConstants {
  readonly AF_NETLINK: number;
  readonly AF_INET: number;
  readonly AF_INET6: number;
  readonly AF_UNIX: number;
  readonly AF_PACKET: number;
  readonly SOCK_RAW: number;
  readonly SOCK_DGRAM: number;
  readonly SOCK_STREAM: number;
  readonly SOL_SOCKET: number;
  readonly SOL_NETLINK: number;
  readonly SO_RCVBUF: number;
  readonly SO_SNDBUF: number;
  readonly SO_RCVBUFFORCE: number;
  readonly SO_SNDBUFFORCE: number;
  readonly O_RDWR: number;
  readonly O_RDONLY: number;
  readonly O_CLOEXEC: number;
  readonly O_NONBLOCK: number;
  readonly MS_BIND: number;
  readonly MS_REC: number;
  readonly MS_SHARED: number;
  readonly MS_SLAVE: number;
  readonly MNT_DETACH: number;
  readonly CLONE_NEWNET: number;
}

export interface WaitResult {
  /** True if the child exited normally (status is its exit code). */
  exited: boolean;
  /** Exit code when exited, else 0. */
  status: number;
  /** Terminating signal number when not exited normally, else 0. */
  signal: number;
}

export interface NativeBinding {
  /**
   * socket(2) with SOCK_CLOEXEC|SOCK_NONBLOCK added. netns: a netns file path,
   * a pid (its /proc/PID/ns/net), or null for the caller's namespace.
   */
  socket(domain: number, type: number, protocol: number, netns: string | number | null): number;
  /** bind(2) with raw sockaddr bytes. */
  bind(fd: number, addr: Buffer): void;
  getsockname(fd: number): Buffer;
  /** A number value is passed as a C int. */
  setsockopt(fd: number, level: number, name: number, value: number | Buffer): void;
  /** Returns the bytes the kernel returned (optlen). */
  getsockopt(fd: number, level: number, name: number, length: number): Buffer;
  /** sendto(MSG_DONTWAIT); returns bytes sent; throws on EAGAIN too. */
  sendmsg(fd: number, data: Buffer, addr: Buffer | null): number;
  /**
   * Drains up to maxDatagrams datagrams (recvmmsg, MSG_DONTWAIT) and returns
   * their bytes concatenated, or null if none is queued. A truncated datagram
   * throws EMSGSIZE. An error after some datagrams were read is deferred to the
   * next call.
   */
  recvmany(fd: number, maxDatagrams: number): Buffer | null;
  /** One datagram with its sender address, or null on EAGAIN. */
  recvfrom(fd: number, maxLen: number): { data: Buffer; addr: Buffer } | null;
  /** One read(2); null on EAGAIN, empty Buffer on EOF. */
  read(fd: number, maxLen: number): Buffer | null;
  /** write(2); throws on EAGAIN too. */
  write(fd: number, data: Buffer): number;
  /** A Buffer is passed as a pointer (the kernel may write into it). */
  ioctl(fd: number, request: number, arg: Buffer | number): number;
  /** open(2); O_CLOEXEC is always added. */
  open(path: string, flags: number): number;
  close(fd: number): void;
  Poller: NativePollerConstructor;
  Sender: NativeSenderConstructor;
  /** Missing from an addon built before it was added (callers use the event loop's reads). */
  Reader?: NativeReaderConstructor;
  /**
   * The `ip -batch` route-line scanner (native/route-scan.c; see
   * src/cli/ip/route-batch-native.ts): encodes consecutive route lines of
   * `src` from byte `pos` (0-based line index `line`) into `chunk` from
   * `offset`, at most `room` requests numbered from `seq` with `nlmFlags`
   * added, stopping at a line it declines, a full chunk or the end. Returns
   * the requests written; `info` receives [count, pos, line, offset, stop
   * reason (0 declined, 1 full, 2 end)] and from index 8 per request its
   * start offset, line number (1-based) and undo message type. Missing from
   * an addon built before it was added.
   */
  scanRoutes?(src: Buffer, pos: number, line: number, chunk: Buffer, offset: number, room: number, seq: number,
    nlmFlags: number, links: Buffer, words: Buffer, info: Uint32Array): number;
  /** Missing from an addon built before it was added (callers walk /proc in JS). */
  ProcScan?: NativeProcScanConstructor;
  /** Creates a network namespace and bind-mounts it onto an existing file. */
  netnsCreate(path: string): void;
  /** umount2(2). */
  umount(path: string, flags: number): void;
  /** Raw mount(2). */
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  /**
   * fork + setns(nsPath) + private mount ns + fresh /sys (+ /etc/netns/<name>
   * bind mounts) + execvp(argv). The child exits 255 on setup failure.
   */
  spawnInNetns(nsPath: string, argv: string[], etcNetnsName: string | null): { pid: number; pidfd: number };
  /** waitid(P_PIDFD, WEXITED|WNOHANG); null if the child has not exited. */
  waitPidfd(pidfd: number): WaitResult | null;
  /**
   * open(2) (O_CLOEXEC added) on a short-lived thread that joined `netns` (a
   * namespace file path or a pid). A /dev/net/tun fd opened this way creates
   * its device in that namespace.
   */
  openInNetns(path: string, flags: number, netns: string | number): number;
  /**
   * A detached read-only sysfs mount made inside `netns` (fsopen/fsmount on a
   * short-lived thread): its class/net shows that namespace's devices. Read it
   * through `/proc/self/fd/FD/…`; closing the fd unmounts it.
   */
  sysfsInNetns(netns: string | number): number;
  readonly constants: NativeConstants;
}

/**
 * Where the addon is, relative to this module: this compiled file is
 * dist/src/netlink/native.js. The bundled CLI (scripts/bundle.js) lives
 * elsewhere and defines RIP_ADDON_PATH relative to itself.
 */
declare const RIP_ADDON_PATH: string | undefined;
const addonPath = typeof RIP_ADDON_PATH === 'string' ? RIP_ADDON_PATH : '../../../build/Release/rip.node';

/** The loaded addon. */
export const native: NativeBinding = createRequire(import.meta.url)(addonPath) as NativeBinding;

/** Type guard for errors thrown by the addon. */
export function isNativeError(e: unknown): e is NativeError {
  return e instanceof Error && typeof (e as Partial<NativeError>).errno === 'number' &&
    typeof (e as Partial<NativeError>).code === 'string';
}
