/**
 * RTM_NEWADDR/DELADDR/GETADDR message schema (linux/if_addr.h): IFA_*
 * attributes, struct ifa_cacheinfo, IFA_F_* flags and address scopes.
 * @module
 */
import { attrs, attr, cstring, u8, u32, ipaddr, struct, message, type Infer } from '../codec/schema.js';
import { constants } from '../constants.js';
import { ifaddrmsg } from '../structs.js';

const H = ['linux/if_addr.h'];

/** IFA_* address attributes. */
export const IFA = constants('IFA_', H, {
  UNSPEC: 0, ADDRESS: 1, LOCAL: 2, LABEL: 3, BROADCAST: 4, ANYCAST: 5, CACHEINFO: 6,
  MULTICAST: 7, FLAGS: 8, RT_PRIORITY: 9, TARGET_NETNSID: 10, PROTO: 11,
});

/** IFA_F_* address flags (ifa_flags, extended to 32 bits by IFA_FLAGS). */
export const IFA_F = constants('IFA_F_', H, {
  SECONDARY: 0x01, TEMPORARY: 0x01, NODAD: 0x02, OPTIMISTIC: 0x04, DADFAILED: 0x08,
  HOMEADDRESS: 0x10, DEPRECATED: 0x20, TENTATIVE: 0x40, PERMANENT: 0x80,
  MANAGETEMPADDR: 0x100, NOPREFIXROUTE: 0x200, MCAUTOJOIN: 0x400, STABLE_PRIVACY: 0x800,
});

/** IFAPROT_* address protocols (IFA_PROTO). */
export const IFAPROT = constants('IFAPROT_', H, {
  UNSPEC: 0, KERNEL_LO: 1, KERNEL_RA: 2, KERNEL_LL: 3,
});

/** The lifetime the kernel uses for "forever" (INFINITY_LIFE_TIME). */
export const INFINITY_LIFE_TIME = 0xffffffff;

/** struct ifa_cacheinfo: lifetimes in seconds, timestamps in hundredths of a second since boot. */
export const ifaCacheinfo = struct('ifa_cacheinfo', {
  ifa_prefered: u32, ifa_valid: u32, cstamp: u32, tstamp: u32,
});
export type IfaCacheinfo = Infer<typeof ifaCacheinfo>;

/** Every IFA attribute, in the kernel's numbering. */
export const addressAttrs = attrs('IFA', {
  address: attr(IFA.ADDRESS, ipaddr),
  local: attr(IFA.LOCAL, ipaddr),
  label: attr(IFA.LABEL, cstring),
  broadcast: attr(IFA.BROADCAST, ipaddr),
  anycast: attr(IFA.ANYCAST, ipaddr),
  cacheinfo: attr(IFA.CACHEINFO, ifaCacheinfo),
  multicast: attr(IFA.MULTICAST, ipaddr),
  flags: attr(IFA.FLAGS, u32),
  rt_priority: attr(IFA.RT_PRIORITY, u32),
  target_netnsid: attr(IFA.TARGET_NETNSID, u32),
  proto: attr(IFA.PROTO, u8),
});
/** Decoded IFA attributes. */
export type AddressAttrs = Infer<typeof addressAttrs>;

/** RTM_*ADDR body: struct ifaddrmsg + IFA attributes. */
export const addressMessage = message('RTM_NEWADDR', ifaddrmsg, addressAttrs);

/**
 * Address flags as iproute2 names them (ipaddress.c ifa_flag_data), in its
 * print order. `readonly` flags cannot be set from user space; `v6only` ones
 * only apply to IPv6. The JSON key of each is its name.
 */
export const IFA_FLAG_NAMES: ReadonlyArray<{ readonly name: string; readonly mask: number; readonly readonly: boolean; readonly v6only: boolean }> = [
  { name: 'secondary', mask: IFA_F.SECONDARY, readonly: true, v6only: false },
  { name: 'temporary', mask: IFA_F.SECONDARY, readonly: true, v6only: false },
  { name: 'nodad', mask: IFA_F.NODAD, readonly: false, v6only: true },
  { name: 'optimistic', mask: IFA_F.OPTIMISTIC, readonly: false, v6only: true },
  { name: 'dadfailed', mask: IFA_F.DADFAILED, readonly: true, v6only: true },
  { name: 'home', mask: IFA_F.HOMEADDRESS, readonly: false, v6only: true },
  { name: 'deprecated', mask: IFA_F.DEPRECATED, readonly: true, v6only: true },
  { name: 'tentative', mask: IFA_F.TENTATIVE, readonly: true, v6only: true },
  { name: 'permanent', mask: IFA_F.PERMANENT, readonly: true, v6only: true },
  { name: 'mngtmpaddr', mask: IFA_F.MANAGETEMPADDR, readonly: false, v6only: true },
  { name: 'noprefixroute', mask: IFA_F.NOPREFIXROUTE, readonly: false, v6only: false },
  { name: 'autojoin', mask: IFA_F.MCAUTOJOIN, readonly: false, v6only: false },
  { name: 'stable-privacy', mask: IFA_F.STABLE_PRIVACY, readonly: true, v6only: true },
];

const SCOPE_NAMES: Readonly<Record<number, string>> = { 0: 'global', 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' };

/** rtnl_rtscope_n2a without /etc/iproute2/rt_scopes: a name for the built-in scopes, else the number. */
export function scopeName(scope: number): string {
  return SCOPE_NAMES[scope] ?? String(scope);
}

/** Scope number for a built-in name or a decimal/hex number 0..255; undefined if neither. */
export function scopeNumber(name: string): number | undefined {
  for (const [n, s] of Object.entries(SCOPE_NAMES)) if (s === name) return Number(n);
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(name)) return undefined;
  const n = Number(name);
  return n <= 255 ? n : undefined;
}

/** Address family names as iproute2's family_name() prints them. */
export function familyName(family: number): string {
  switch (family) {
    case 2: return 'inet';
    case 10: return 'inet6';
    case 17: return 'link';
    case 28: return 'mpls';
    case 7: return 'bridge';
    case 4: return 'ipx';
    case 12: return 'dnet';
    default: return '???';
  }
}
