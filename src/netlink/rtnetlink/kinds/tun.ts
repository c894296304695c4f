/**
 * TUN/TAP (`kind: 'tun'`) IFLA_INFO_DATA schema (IFLA_TUN_*). The kernel only
 * reports these (tun devices are created through /dev/net/tun, see rip/tuntap).
 * @module
 */
import { attrs, attr, u8, u32, type Infer, type Codec } from '../../codec/schema.js';
import { constants } from '../../constants.js';
import { linkKinds, type KindData } from '../link-schema.js';

/** IFLA_TUN_* */
export const IFLA_TUN = constants('IFLA_TUN_', ['linux/if_link.h'], {
  UNSPEC: 0, OWNER: 1, GROUP: 2, TYPE: 3, PI: 4, VNET_HDR: 5, PERSIST: 6, MULTI_QUEUE: 7,
  NUM_QUEUES: 8, NUM_DISABLED_QUEUES: 9,
});

/** IFLA_INFO_DATA of a tun/tap device. */
export const tunData = attrs('tun', {
  /** Owning uid (absent when none is set). */
  owner: attr(IFLA_TUN.OWNER, u32),
  /** Owning gid (absent when none is set). */
  group: attr(IFLA_TUN.GROUP, u32),
  /** IFF_TUN (1) or IFF_TAP (2). */
  type: attr(IFLA_TUN.TYPE, u8),
  /** 1 when packets carry struct tun_pi. */
  pi: attr(IFLA_TUN.PI, u8),
  vnet_hdr: attr(IFLA_TUN.VNET_HDR, u8),
  persist: attr(IFLA_TUN.PERSIST, u8),
  multi_queue: attr(IFLA_TUN.MULTI_QUEUE, u8),
  /** Attached queues (fds). */
  num_queues: attr(IFLA_TUN.NUM_QUEUES, u32),
  /** Queues detached with TUNSETQUEUE IFF_DETACH_QUEUE. */
  num_disabled_queues: attr(IFLA_TUN.NUM_DISABLED_QUEUES, u32),
});
/** tun attributes. */
export type TunData = Infer<typeof tunData>;

linkKinds.set('tun', tunData as Codec<KindData>);
