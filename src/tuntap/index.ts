/**
 * rip/tuntap: TUN/TAP devices — create, attach, read and write packets, list
 * and delete, optionally inside a named network namespace.
 *
 * ```ts
 * import { TunTap, listTunTap } from 'rip/tuntap';
 * await using tun = await TunTap.open({ mode: 'tun', name: 'tun0', netns: 'blue' });
 * for await (const packet of tun) await tun.write(reply(packet));
 * ```
 * @module
 */
export { TunTap, TUN_DEVICE, tunFlags, tunFeatures, isValidTunName } from './device.js';
export type { TunTapMode, TunTapFlagOptions, TunTapOpenOptions, WaitOptions } from './device.js';
export { listTunTap, tunFlagWords } from './list.js';
export type { TunTapInfo, TunTapListOptions } from './list.js';
export { addTunTap, deleteTunTap } from './admin.js';
export type { TunTapAddOptions, TunTapDeleteOptions } from './admin.js';
export { tunTapProcesses } from './procs.js';
export type { TunTapProcess, ProcessScanOptions } from './procs.js';
export { NetSysfs } from './sysfs.js';
export { TunTapError, DeviceClosedError } from './errors.js';
export { TUN_IOCTL, TUN_FLAG, TUN_TYPE, IFNAMSIZ } from './constants.js';
export { IFLA_TUN, tunData } from '../netlink/rtnetlink/kinds/tun.js';
export type { TunData } from '../netlink/rtnetlink/kinds/tun.js';
