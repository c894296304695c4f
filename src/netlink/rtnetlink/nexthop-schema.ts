/**
 * RTM_*NEXTHOP message schema (linux/nexthop.h): nhmsg + NHA_* attributes.
 * @module
 */
import {
  attrs, attr, u8, u16, u32, u64, flag, ipaddr, bytes, struct, array, pad, message, NLA_F_NESTED, type Infer,
} from '../codec/schema.js';
import { constants } from '../constants.js';
import { nhmsg } from '../structs.js';
import { RTNH_F } from './route-schema.js';

const H = ['linux/nexthop.h'];

/** NHA_* nexthop attributes. */
export const NHA = constants('NHA_', H, {
  UNSPEC: 0, ID: 1, GROUP: 2, GROUP_TYPE: 3, BLACKHOLE: 4, OIF: 5, GATEWAY: 6, ENCAP_TYPE: 7,
  ENCAP: 8, GROUPS: 9, MASTER: 10, FDB: 11, RES_GROUP: 12, RES_BUCKET: 13,
});

/** NHA_RES_GROUP_* (inside NHA_RES_GROUP). */
export const NHA_RES_GROUP = constants('NHA_RES_GROUP_', H, {
  PAD: 0, BUCKETS: 1, IDLE_TIMER: 2, UNBALANCED_TIMER: 3, UNBALANCED_TIME: 4,
});

/** NHA_RES_BUCKET_* (inside NHA_RES_BUCKET). */
export const NHA_RES_BUCKET = constants('NHA_RES_BUCKET_', H, {
  PAD: 0, INDEX: 1, IDLE_TIME: 2, NH_ID: 3,
});

/** Group types (NHA_GROUP_TYPE). */
export const NEXTHOP_GRP_TYPE = constants('NEXTHOP_GRP_TYPE_', H, { MPATH: 0, RES: 1 });

/** nh_flags bits are the route schema's RTNH_F_* flags (re-exported for convenience). */
export { RTNH_F };

/** struct nexthop_grp; `weight` on the wire is the user's weight minus one. */
export const nexthopGrp = struct('nexthop_grp', { id: u32, weight: u8, _resvd1: pad(1), _resvd2: pad(2) });
export type NexthopGrp = Infer<typeof nexthopGrp>;

/** NHA_RES_GROUP nest: timers are clock_t (USER_HZ ticks). */
export const resGroupAttrs = attrs('NHA_RES_GROUP', {
  buckets: attr(NHA_RES_GROUP.BUCKETS, u16),
  idle_timer: attr(NHA_RES_GROUP.IDLE_TIMER, u32),
  unbalanced_timer: attr(NHA_RES_GROUP.UNBALANCED_TIMER, u32),
  unbalanced_time: attr(NHA_RES_GROUP.UNBALANCED_TIME, u64),
});
export type ResGroupAttrs = Infer<typeof resGroupAttrs>;

/** NHA_RES_BUCKET nest. */
export const resBucketAttrs = attrs('NHA_RES_BUCKET', {
  index: attr(NHA_RES_BUCKET.INDEX, u16),
  idle_time: attr(NHA_RES_BUCKET.IDLE_TIME, u64),
  nh_id: attr(NHA_RES_BUCKET.NH_ID, u32),
});
export type ResBucketAttrs = Infer<typeof resBucketAttrs>;

/** NHA_* attribute set. NHA_ENCAP is kept raw (its layout depends on NHA_ENCAP_TYPE). */
export const nexthopAttrs = attrs('NHA', {
  id: attr(NHA.ID, u32),
  group: attr(NHA.GROUP, array(nexthopGrp)),
  group_type: attr(NHA.GROUP_TYPE, u16),
  blackhole: attr(NHA.BLACKHOLE, flag),
  oif: attr(NHA.OIF, u32),
  gateway: attr(NHA.GATEWAY, ipaddr),
  encap_type: attr(NHA.ENCAP_TYPE, u16),
  encap: attr(NHA.ENCAP, bytes),
  groups: attr(NHA.GROUPS, flag),
  master: attr(NHA.MASTER, u32),
  fdb: attr(NHA.FDB, flag),
  res_group: attr(NHA.RES_GROUP, resGroupAttrs, NLA_F_NESTED),
  res_bucket: attr(NHA.RES_BUCKET, resBucketAttrs, NLA_F_NESTED),
});
export type NexthopAttrs = Infer<typeof nexthopAttrs>;

/** A whole RTM_*NEXTHOP body. */
export const nexthopMessage = message('nhmsg', nhmsg, nexthopAttrs);
