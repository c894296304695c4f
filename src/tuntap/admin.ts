/**
 * Persistent devices, as `ip tuntap add` / `ip tuntap del` manage them: a
 * device is created by attaching an fd and setting IFF_PERSIST, and deleted
 * by attaching an fd and clearing it (the device goes when that fd closes).
 * @module
 */
import type { NetnsRef } from '../netlink/socket.js';
import { TUN_FLAG } from './constants.js';
import { TunTap, type TunTapFlagOptions, type TunTapMode } from './device.js';
import { NetSysfs, parseCLong } from './sysfs.js';
import { TunTapError, fsError } from './errors.js';
import { errnoNumber } from '../netlink/errno.js';

/** Options of {@link addTunTap}. */
export interface TunTapAddOptions extends TunTapFlagOptions {
  /** Device name or `%d` template; absent: the kernel picks `tun%d` / `tap%d`. */
  readonly name?: string;
  readonly netns?: NetnsRef;
  /** Owning uid: this user may attach without CAP_NET_ADMIN. */
  readonly owner?: number;
  /** Owning gid: members may attach without CAP_NET_ADMIN. */
  readonly group?: number;
}

/**
 * Create a persistent TUN/TAP device (no fd stays open) and resolve with its
 * name. Fails with `ioctl(TUNSETIFF): Device or resource busy` if a device of
 * that name exists (IFF_TUN_EXCL), as `ip tuntap add` does.
 */
export async function addTunTap(opts: TunTapAddOptions): Promise<string> {
  const dev = TunTap.openSync({ ...opts, exclusive: true, persist: true });
  dev.close();
  return dev.name;
}

/** Options of {@link deleteTunTap}. */
export interface TunTapDeleteOptions {
  readonly netns?: NetnsRef;
  /** The device's mode; read from sysfs when absent. */
  readonly mode?: TunTapMode;
  /** Whether it is multi-queue (must match to attach); read from sysfs when `mode` is absent. */
  readonly multiQueue?: boolean;
}

/**
 * Delete a persistent TUN/TAP device: attach, clear IFF_PERSIST, close.
 * Fails with EBUSY while another process has the (single-queue) device
 * open, and with EINVAL if `mode`/`multiQueue` do not match the device.
 */
export async function deleteTunTap(name: string, opts: TunTapDeleteOptions = {}): Promise<void> {
  let mode = opts.mode;
  let multiQueue = opts.multiQueue ?? false;
  if (mode === undefined) {
    using sysfs = NetSysfs.open(opts.netns);
    const path = NetSysfs.displayPath(name, 'tun_flags');
    let flags: number | undefined;
    try {
      flags = parseCLong(sysfs.readLine(name, 'tun_flags'));
    } catch (e) {
      throw fsError(`open ${path}`, e);
    }
    if (flags === undefined) throw new TunTapError(`parse ${path}`, errnoNumber('EINVAL')!);
    mode = flags & TUN_FLAG.TAP ? 'tap' : 'tun';
    multiQueue = (flags & TUN_FLAG.MULTI_QUEUE) !== 0;
  }
  const dev = TunTap.openSync({ name, mode, multiQueue, ...(opts.netns !== undefined ? { netns: opts.netns } : {}), persist: false });
  dev.close();
}
