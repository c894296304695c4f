/**
 * VRF (`kind: 'vrf'`) IFLA_INFO_DATA and VRF port slave data (IFLA_VRF_*).
 * @module
 */
import { attrs, attr, u32, type Infer, type Codec } from '../../codec/schema.js';
import { constants } from '../../constants.js';
import { linkKinds, slaveKinds, type KindData } from '../link-schema.js';

const H = ['linux/if_link.h'];

/** IFLA_VRF_* */
export const IFLA_VRF = constants('IFLA_VRF_', H, { UNSPEC: 0, TABLE: 1 });
/** IFLA_VRF_PORT_* */
export const IFLA_VRF_PORT = constants('IFLA_VRF_PORT_', H, { UNSPEC: 0, TABLE: 1 });

/** IFLA_INFO_DATA of a VRF. */
export const vrfData = attrs('vrf', { table: attr(IFLA_VRF.TABLE, u32) });
/** VRF attributes. */
export type VrfData = Infer<typeof vrfData>;
/** IFLA_INFO_SLAVE_DATA of a VRF port. */
export const vrfSlaveData = attrs('vrf_slave', { table: attr(IFLA_VRF_PORT.TABLE, u32) });

linkKinds.set('vrf', vrfData as Codec<KindData>);
slaveKinds.set('vrf', vrfSlaveData as Codec<KindData>);
