/**
 * MACVLAN and MACVTAP (`kind: 'macvlan' | 'macvtap'`) IFLA_INFO_DATA schema (IFLA_MACVLAN_*).
 * @module
 */
import { attrs, attr, multi, u16, u32, lladdr, type Infer, type Codec } from '../../codec/schema.js';
import { constants } from '../../constants.js';
import { linkKinds, type KindData } from '../link-schema.js';

const H = ['linux/if_link.h'];

/** IFLA_MACVLAN_* */
export const IFLA_MACVLAN = constants('IFLA_MACVLAN_', H, {
  UNSPEC: 0, MODE: 1, FLAGS: 2, MACADDR_MODE: 3, MACADDR: 4, MACADDR_DATA: 5, MACADDR_COUNT: 6,
  BC_QUEUE_LEN: 7, BC_QUEUE_LEN_USED: 8,
});
/** MACVLAN_MODE_* */
export const MACVLAN_MODE = constants('MACVLAN_MODE_', H, {
  PRIVATE: 1, VEPA: 2, BRIDGE: 4, PASSTHRU: 8, SOURCE: 16,
});
/** MACVLAN_MACADDR_* (IFLA_MACVLAN_MACADDR_MODE values). */
export const MACVLAN_MACADDR = constants('MACVLAN_MACADDR_', H, { ADD: 0, DEL: 1, FLUSH: 2, SET: 3 });
/** MACVLAN_FLAG_* */
export const MACVLAN_FLAG = constants('MACVLAN_FLAG_', H, { NOPROMISC: 1, NODST: 2 });

/** IFLA_MACVLAN_MACADDR_DATA nest: a list of IFLA_MACVLAN_MACADDR. */
export const macvlanMacaddrData = attrs('IFLA_MACVLAN_MACADDR_DATA', { macaddr: multi(IFLA_MACVLAN.MACADDR, lladdr) });

/** IFLA_INFO_DATA of a macvlan/macvtap device. */
export const macvlanData = attrs('macvlan', {
  mode: attr(IFLA_MACVLAN.MODE, u32),
  flags: attr(IFLA_MACVLAN.FLAGS, u16),
  macaddr_mode: attr(IFLA_MACVLAN.MACADDR_MODE, u32),
  macaddr: attr(IFLA_MACVLAN.MACADDR, lladdr),
  macaddr_data: attr(IFLA_MACVLAN.MACADDR_DATA, macvlanMacaddrData),
  macaddr_count: attr(IFLA_MACVLAN.MACADDR_COUNT, u32),
  bc_queue_len: attr(IFLA_MACVLAN.BC_QUEUE_LEN, u32),
  bc_queue_len_used: attr(IFLA_MACVLAN.BC_QUEUE_LEN_USED, u32),
});
/** macvlan/macvtap attributes. */
export type MacvlanData = Infer<typeof macvlanData>;

linkKinds.set('macvlan', macvlanData as Codec<KindData>);
linkKinds.set('macvtap', macvlanData as Codec<KindData>);
