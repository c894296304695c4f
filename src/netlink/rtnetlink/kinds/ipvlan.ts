/**
 * IPVLAN and IPVTAP (`kind: 'ipvlan' | 'ipvtap'`) IFLA_INFO_DATA schema (IFLA_IPVLAN_*).
 * @module
 */
import { attrs, attr, u16, type Infer, type Codec } from '../../codec/schema.js';
import { constants } from '../../constants.js';
import { linkKinds, type KindData } from '../link-schema.js';

const H = ['linux/if_link.h'];

/** IFLA_IPVLAN_* */
export const IFLA_IPVLAN = constants('IFLA_IPVLAN_', H, { UNSPEC: 0, MODE: 1, FLAGS: 2 });
/** IPVLAN_MODE_* */
export const IPVLAN_MODE = constants('IPVLAN_MODE_', H, { L2: 0, L3: 1, L3S: 2 });
/** IPVLAN_F_* flags. */
export const IPVLAN_F = constants('IPVLAN_F_', H, { PRIVATE: 0x01, VEPA: 0x02 });

/** IFLA_INFO_DATA of an ipvlan/ipvtap device. */
export const ipvlanData = attrs('ipvlan', {
  mode: attr(IFLA_IPVLAN.MODE, u16),
  flags: attr(IFLA_IPVLAN.FLAGS, u16),
});
/** ipvlan attributes. */
export type IpvlanData = Infer<typeof ipvlanData>;

linkKinds.set('ipvlan', ipvlanData as Codec<KindData>);
linkKinds.set('ipvtap', ipvlanData as Codec<KindData>);
