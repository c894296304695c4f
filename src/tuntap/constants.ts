/**
 * TUN/TAP kernel constants (linux/if_tun.h, linux/if_link.h), checked against
 * the UAPI headers by test/unit/constants.test.ts.
 * @module
 */
import { constants } from '../netlink/constants.js';

const TUN_H = ['linux/if_tun.h'];

/**
 * ioctl requests on a /dev/net/tun fd (`TUN` + key, e.g. TUNSETIFF). The
 * numbers are the `_IOW('T', n, int)` / `_IOR(…)` encodings of x86-64 and
 * every other architecture with the generic ioctl layout.
 */
export const TUN_IOCTL = constants('TUN', ['linux/ioctl.h', ...TUN_H], {
  SETIFF: 0x400454ca,
  SETPERSIST: 0x400454cb,
  SETOWNER: 0x400454cc,
  SETGROUP: 0x400454ce,
  GETFEATURES: 0x800454cf,
  GETIFF: 0x800454d2,
  GETVNETHDRSZ: 0x800454d7,
  SETVNETHDRSZ: 0x400454d8,
  SETQUEUE: 0x400454d9,
  SETCARRIER: 0x400454e2,
});

/**
 * ifr_flags of TUNSETIFF / TUNGETIFF / TUNSETQUEUE and the bits of sysfs
 * `tun_flags` (`IFF_` + key). NOFILTER and NO_PI share a bit: iproute2 prints
 * "filter" whenever packet information is on.
 */
export const TUN_FLAG = constants('IFF_', TUN_H, {
  TUN: 0x0001,
  TAP: 0x0002,
  NAPI: 0x0010,
  NAPI_FRAGS: 0x0020,
  NO_CARRIER: 0x0040,
  MULTI_QUEUE: 0x0100,
  ATTACH_QUEUE: 0x0200,
  DETACH_QUEUE: 0x0400,
  PERSIST: 0x0800,
  NO_PI: 0x1000,
  NOFILTER: 0x1000,
  ONE_QUEUE: 0x2000,
  VNET_HDR: 0x4000,
  TUN_EXCL: 0x8000,
});

/** TUN_TYPE_MASK: the bits of ifr_flags that choose tun or tap. */
export const TUN_TYPE = constants('TUN_', TUN_H, { TYPE_MASK: 0x000f });

/** IFNAMSIZ: device names are at most 15 bytes plus a NUL. */
export const IFNAMSIZ = 16;
