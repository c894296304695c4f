/**
 * A TUN or TAP device handle: one /dev/net/tun fd attached to a device
 * (TUNSETIFF), with async packet I/O driven by the addon's uv_poll readiness.
 *
 * ```ts
 * await using tun = await TunTap.open({ mode: 'tun', name: 'tun0' });
 * for await (const packet of tun) console.log(tun.name, packet.length);
 * ```
 * @module
 */
import { native, isNativeError, type NativePoller } from '../netlink/native.js';
import { netnsTarget, type NetnsRef } from '../netlink/socket.js';
import { TUN_IOCTL, TUN_FLAG, IFNAMSIZ } from './constants.js';
import { DeviceClosedError, asTunTapError, sys } from './errors.js';

/** Layer-3 (tun: IP packets) or layer-2 (tap: Ethernet frames). */
export type TunTapMode = 'tun' | 'tap';

/** The /dev/net/tun clone device. */
export const TUN_DEVICE = '/dev/net/tun';

/**
 * What a device is attached with (TUNSETIFF's ifr_flags). Everything but
 * `mode` defaults to off, except that packet information is off unless asked
 * for (IFF_NO_PI is set), as iproute2 does.
 */
export interface TunTapFlagOptions {
  /** tun (IFF_TUN) or tap (IFF_TAP). */
  readonly mode: TunTapMode;
  /** Prefix each packet with struct tun_pi (flags, protocol): clears IFF_NO_PI. */
  readonly packetInfo?: boolean;
  /** Prefix each packet with a virtio_net_hdr (IFF_VNET_HDR). */
  readonly vnetHdr?: boolean;
  /** One queue per fd; more fds open more queues (IFF_MULTI_QUEUE). */
  readonly multiQueue?: boolean;
  /** Legacy IFF_ONE_QUEUE: accepted and reported, without effect on current kernels. */
  readonly oneQueue?: boolean;
  /** Receive written packets through NAPI (IFF_NAPI; CAP_NET_ADMIN). */
  readonly napi?: boolean;
  /** With `napi`: writes may be page fragments (IFF_NAPI_FRAGS; tap only). */
  readonly napiFrags?: boolean;
  /** Start with the carrier off (IFF_NO_CARRIER, Linux 6.0+); see {@link TunTap.setCarrier}. */
  readonly noCarrier?: boolean;
}

/** Options of {@link TunTap.open}. */
export interface TunTapOpenOptions extends TunTapFlagOptions {
  /**
   * Device name: an existing device to attach to, a new one to create, or a
   * template such as `vpn%d`; absent: the kernel picks `tun%d` / `tap%d`.
   */
  readonly name?: string;
  /** Fail with EBUSY instead of attaching when the device exists (IFF_TUN_EXCL). */
  readonly exclusive?: boolean;
  /**
   * Network namespace to create or find the device in: a name under
   * /run/netns, a namespace file path, or a pid. Default: the caller's.
   */
  readonly netns?: NetnsRef;
  /** Set the owning uid (TUNSETOWNER) after attaching. */
  readonly owner?: number;
  /** Set the owning gid (TUNSETGROUP) after attaching. */
  readonly group?: number;
  /** Keep the device when the last fd closes (TUNSETPERSIST), or clear that. */
  readonly persist?: boolean;
}

/** Options of operations that wait. */
export interface WaitOptions {
  /** Abort the wait; the operation rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Largest read: a 64 KiB packet (tun MTU max) plus the tun_pi and the largest
 * virtio_net_hdr the kernel accepts by default, so reads never truncate.
 */
const READ_SIZE = 65536 + 4 + 20;

/** TUNSETIFF's ifr_flags for `opts`. */
export function tunFlags(opts: TunTapFlagOptions & { readonly exclusive?: boolean }): number {
  if (opts.mode !== 'tun' && opts.mode !== 'tap') throw new TypeError(`mode must be 'tun' or 'tap', not ${String(opts.mode)}`);
  let f = opts.mode === 'tun' ? TUN_FLAG.TUN : TUN_FLAG.TAP;
  if (!opts.packetInfo) f |= TUN_FLAG.NO_PI;
  if (opts.vnetHdr) f |= TUN_FLAG.VNET_HDR;
  if (opts.multiQueue) f |= TUN_FLAG.MULTI_QUEUE;
  if (opts.oneQueue) f |= TUN_FLAG.ONE_QUEUE;
  if (opts.napi) f |= TUN_FLAG.NAPI;
  if (opts.napiFrags) f |= TUN_FLAG.NAPI_FRAGS;
  if (opts.noCarrier) f |= TUN_FLAG.NO_CARRIER;
  if (opts.exclusive) f |= TUN_FLAG.TUN_EXCL;
  return f;
}

/**
 * Whether `name` fits ifr_name (1 to 15 bytes, no NUL). The kernel checks
 * the rest (no '/', ':' or blanks, not '.' or '..') and answers EINVAL.
 */
export function isValidTunName(name: string): boolean {
  return name.length > 0 && Buffer.byteLength(name) < IFNAMSIZ && !name.includes('\0');
}

/** struct ifreq (40 bytes on 64-bit): ifr_name[16] then the ifr_flags short of the union. */
function ifreq(name: string, flags: number): Buffer {
  const b = Buffer.alloc(40);
  b.write(name, 0, IFNAMSIZ - 1, 'utf8');
  b.writeUInt16LE(flags & 0xffff, IFNAMSIZ);
  return b;
}

function ifreqName(b: Buffer): string {
  const end = b.indexOf(0);
  return b.toString('utf8', 0, end < 0 || end > IFNAMSIZ ? IFNAMSIZ : end);
}

/** @internal Open /dev/net/tun (nonblocking) in `netns` or the caller's namespace. */
export function openTunFd(netns: NetnsRef | undefined): number {
  const flags = native.constants.O_RDWR | native.constants.O_NONBLOCK;
  return sys('open', () => netns === undefined
    ? native.open(TUN_DEVICE, flags)
    : native.openInNetns(TUN_DEVICE, flags, netnsTarget(netns)));
}

/**
 * The IFF_* features this kernel's tun driver supports (TUNGETFEATURES), as a
 * bit mask of {@link TUN_FLAG} values.
 */
export function tunFeatures(opts: { readonly netns?: NetnsRef } = {}): number {
  const fd = openTunFd(opts.netns);
  try {
    const b = Buffer.alloc(4);
    sys('ioctl(TUNGETFEATURES)', () => native.ioctl(fd, TUN_IOCTL.GETFEATURES, b));
    return b.readUInt32LE(0);
  } finally {
    native.close(fd);
  }
}

interface Waiter { resolve(): void; reject(e: unknown): void }

/**
 * One queue of a TUN/TAP device: an open /dev/net/tun fd attached to it.
 * Packets written here enter the kernel's stack as if received by the
 * device; packets the kernel sends out through the device are read here.
 * The device goes away with its last fd unless it is persistent.
 *
 * Reads and writes are nonblocking syscalls; waiting uses one uv_poll handle
 * on the event loop, armed only while someone waits (no thread per packet,
 * no busy loop, and an idle device does not keep the process alive).
 */
export class TunTap implements AsyncIterable<Buffer> {
  #closed = false;
  #poller: NativePoller | undefined;
  readonly #readers = new Set<Waiter>();
  readonly #writers = new Set<Waiter>();

  private constructor(
    /** Kernel device name (read back with TUNGETIFF). */
    readonly name: string,
    /** The /dev/net/tun file descriptor (nonblocking, close-on-exec). */
    readonly fd: number,
    /** IFF_* flags the kernel reports for the device (TUNGETIFF), including IFF_PERSIST. */
    readonly flags: number,
    private readonly netns: NetnsRef | undefined,
  ) {}

  /**
   * Create a device, or attach to an existing one (a persistent device, or
   * another queue of a multi-queue device), and return its handle.
   * Throws {@link TunTapError} named after the failing call, e.g.
   * `ioctl(TUNSETIFF): Device or resource busy`.
   */
  static async open(opts: TunTapOpenOptions): Promise<TunTap> {
    return TunTap.openSync(opts);
  }

  /** {@link TunTap.open} without the promise (every step is a short syscall). */
  static openSync(opts: TunTapOpenOptions): TunTap {
    const flags = tunFlags(opts);
    const name = opts.name ?? '';
    if (opts.name !== undefined && !isValidTunName(name)) throw new TypeError(`invalid device name "${name}"`);
    for (const k of ['owner', 'group'] as const) {
      const v = opts[k];
      if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) throw new TypeError(`${k} must be a uid/gid number`);
    }
    const fd = openTunFd(opts.netns);
    try {
      const req = ifreq(name, flags);
      sys('ioctl(TUNSETIFF)', () => native.ioctl(fd, TUN_IOCTL.SETIFF, req));
      // iproute2's order: owner, group, then persist.
      if (opts.owner !== undefined) sys('ioctl(TUNSETOWNER)', () => native.ioctl(fd, TUN_IOCTL.SETOWNER, opts.owner!));
      if (opts.group !== undefined) sys('ioctl(TUNSETGROUP)', () => native.ioctl(fd, TUN_IOCTL.SETGROUP, opts.group!));
      if (opts.persist !== undefined) sys('ioctl(TUNSETPERSIST)', () => native.ioctl(fd, TUN_IOCTL.SETPERSIST, opts.persist ? 1 : 0));
      const got = Buffer.alloc(40);
      sys('ioctl(TUNGETIFF)', () => native.ioctl(fd, TUN_IOCTL.GETIFF, got));
      return new TunTap(ifreqName(got), fd, got.readUInt16LE(IFNAMSIZ), opts.netns);
    } catch (e) {
      native.close(fd);
      throw e;
    }
  }

  /** tun or tap. */
  get mode(): TunTapMode {
    return this.flags & TUN_FLAG.TAP ? 'tap' : 'tun';
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Another queue of this multi-queue device (a new fd attached with the
   * same flags, in the same namespace).
   */
  async openQueue(): Promise<TunTap> {
    this.#check();
    const f = this.flags;
    return TunTap.open({
      name: this.name, netns: this.netns, mode: this.mode,
      packetInfo: !(f & TUN_FLAG.NO_PI), vnetHdr: !!(f & TUN_FLAG.VNET_HDR), multiQueue: !!(f & TUN_FLAG.MULTI_QUEUE),
      oneQueue: !!(f & TUN_FLAG.ONE_QUEUE), napi: !!(f & TUN_FLAG.NAPI), napiFrags: !!(f & TUN_FLAG.NAPI_FRAGS),
    });
  }

  /** One packet if one is queued, else null (never waits). */
  tryRead(): Buffer | null {
    this.#check();
    return this.#readNow();
  }

  /** The next packet the kernel sends out through the device (waits for one). */
  async read(opts: WaitOptions = {}): Promise<Buffer> {
    for (;;) {
      this.#check();
      const p = this.#readNow();
      if (p) return p;
      await this.#wait(this.#readers, opts.signal);
    }
  }

  /**
   * Inject one packet (an IP packet on tun, an Ethernet frame on tap, with
   * the tun_pi / virtio_net_hdr prefix if enabled) as if the device had
   * received it. Resolves with the bytes written; waits if the queue is full.
   */
  async write(packet: Uint8Array, opts: WaitOptions = {}): Promise<number> {
    const data = Buffer.isBuffer(packet) ? packet : Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
    for (;;) {
      this.#check();
      try {
        return native.write(this.fd, data);
      } catch (e) {
        if (!isNativeError(e) || e.code !== 'EAGAIN') throw asTunTapError('write', e);
      }
      await this.#wait(this.#writers, opts.signal);
    }
  }

  /**
   * Packets as they arrive, until the device is closed (then the iteration
   * ends) or `signal` aborts (then it throws the signal's reason).
   */
  async *packets(opts: WaitOptions = {}): AsyncGenerator<Buffer, void, undefined> {
    for (;;) {
      let p: Buffer;
      try {
        p = await this.read(opts);
      } catch (e) {
        if (e instanceof DeviceClosedError) return;
        throw e;
      }
      yield p;
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    return this.packets();
  }

  /** Keep the device after its last fd closes (TUNSETPERSIST 1), or not (0). */
  setPersist(on: boolean): void {
    this.#ioctlValue('TUNSETPERSIST', TUN_IOCTL.SETPERSIST, on ? 1 : 0);
  }

  /** Let this uid attach to the device without CAP_NET_ADMIN (TUNSETOWNER). */
  setOwner(uid: number): void {
    this.#ioctlValue('TUNSETOWNER', TUN_IOCTL.SETOWNER, uid);
  }

  /** Let members of this gid attach to the device without CAP_NET_ADMIN (TUNSETGROUP). */
  setGroup(gid: number): void {
    this.#ioctlValue('TUNSETGROUP', TUN_IOCTL.SETGROUP, gid);
  }

  /** Carrier on or off (TUNSETCARRIER): off makes the device NO-CARRIER / operstate down. */
  setCarrier(on: boolean): void {
    const v = Buffer.alloc(4);
    v.writeInt32LE(on ? 1 : 0);
    this.#ioctlBuf('TUNSETCARRIER', TUN_IOCTL.SETCARRIER, v);
  }

  /** Size of the virtio_net_hdr prefix with `vnetHdr` (TUNGETVNETHDRSZ; default 10). */
  vnetHdrSize(): number {
    const v = Buffer.alloc(4);
    this.#ioctlBuf('TUNGETVNETHDRSZ', TUN_IOCTL.GETVNETHDRSZ, v);
    return v.readInt32LE(0);
  }

  /** Set the virtio_net_hdr size (TUNSETVNETHDRSZ; at least 10, e.g. 12 for virtio 1.0). */
  setVnetHdrSize(size: number): void {
    const v = Buffer.alloc(4);
    v.writeInt32LE(size);
    this.#ioctlBuf('TUNSETVNETHDRSZ', TUN_IOCTL.SETVNETHDRSZ, v);
  }

  /** Re-enable this queue of a multi-queue device (TUNSETQUEUE IFF_ATTACH_QUEUE). */
  attachQueue(): void {
    this.#ioctlBuf('TUNSETQUEUE', TUN_IOCTL.SETQUEUE, ifreq('', TUN_FLAG.ATTACH_QUEUE));
  }

  /**
   * Disable this queue of a multi-queue device (TUNSETQUEUE IFF_DETACH_QUEUE):
   * the kernel stops steering packets to it; the fd stays open.
   */
  detachQueue(): void {
    this.#ioctlBuf('TUNSETQUEUE', TUN_IOCTL.SETQUEUE, ifreq('', TUN_FLAG.DETACH_QUEUE));
  }

  /**
   * Close the fd (the device goes away with its last fd unless persistent).
   * Pending reads and writes reject with {@link DeviceClosedError}; iterators end.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#poller?.close();
    this.#poller = undefined;
    native.close(this.fd);
    const err = new DeviceClosedError(this.name);
    for (const w of [...this.#readers, ...this.#writers]) w.reject(err);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  #check(): void {
    if (this.#closed) throw new DeviceClosedError(this.name);
  }

  #readNow(): Buffer | null {
    return sys('read', () => native.read(this.fd, READ_SIZE));
  }

  #ioctlValue(name: string, req: number, value: number): void {
    this.#check();
    sys(`ioctl(${name})`, () => native.ioctl(this.fd, req, value));
  }

  #ioctlBuf(name: string, req: number, arg: Buffer): void {
    this.#check();
    sys(`ioctl(${name})`, () => native.ioctl(this.fd, req, arg));
  }

  /** Wait until the poller reports the fd ready for the waiters in `set`. */
  #wait(set: Set<Waiter>, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => w.reject(signal!.reason);
      const done = (): void => {
        set.delete(w);
        signal?.removeEventListener('abort', onAbort);
        this.#arm();
      };
      const w: Waiter = {
        resolve: () => { done(); resolve(); },
        reject: (e) => { done(); reject(e); },
      };
      set.add(w);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#arm();
    });
  }

  /** Poll for what the current waiters need; a stopped poller does not hold the event loop. */
  #arm(): void {
    if (this.#closed) return;
    const r = this.#readers.size > 0;
    const w = this.#writers.size > 0;
    if (!r && !w) {
      this.#poller?.stop();
      return;
    }
    this.#poller ??= new native.Poller(this.fd, (err, readable, writable) => this.#onPoll(err, readable, writable));
    this.#poller.start(r, w);
  }

  #onPoll(err: Error | null, readable: boolean, writable: boolean): void {
    if (err) {
      const e = asTunTapError('poll', err);
      for (const w of [...this.#readers, ...this.#writers]) w.reject(e);
      return;
    }
    if (readable) for (const w of [...this.#readers]) w.resolve();
    if (writable) for (const w of [...this.#writers]) w.resolve();
  }
}
