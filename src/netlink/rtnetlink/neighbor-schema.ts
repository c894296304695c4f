/**
 * RTM_*NEIGH message schema (linux/neighbour.h): ndmsg + NDA_* attributes.
 * @module
 */
import { attrs, attr, u8, u16, u32, s32, lladdr, ipaddr, bytes, struct, message, type Infer } from '../codec/schema.js';
import { constants } from '../constants.js';
import { ndmsg } from '../structs.js';

const H = ['linux/neighbour.h'];

/** NDA_* neighbour attributes. */
export const NDA = constants('NDA_', H, {
  UNSPEC: 0, DST: 1, LLADDR: 2, CACHEINFO: 3, PROBES: 4, VLAN: 5, PORT: 6, VNI: 7, IFINDEX: 8,
  MASTER: 9, LINK_NETNSID: 10, SRC_VNI: 11, PROTOCOL: 12, NH_ID: 13, FDB_EXT_ATTRS: 14,
  FLAGS_EXT: 15, NDM_STATE_MASK: 16, NDM_FLAGS_MASK: 17,
});

/** Neighbour cache states (ndm_state bits). NONE is 0. */
export const NUD = constants('NUD_', H, {
  INCOMPLETE: 0x01, REACHABLE: 0x02, STALE: 0x04, DELAY: 0x08, PROBE: 0x10, FAILED: 0x20,
  NOARP: 0x40, PERMANENT: 0x80, NONE: 0x00,
});

/** ndm_flags bits. */
export const NTF = constants('NTF_', H, {
  USE: 0x01, SELF: 0x02, MASTER: 0x04, PROXY: 0x08, EXT_LEARNED: 0x10, OFFLOADED: 0x20,
  STICKY: 0x40, ROUTER: 0x80,
});

/** Extended flags carried in NDA_FLAGS_EXT. */
export const NTF_EXT = constants('NTF_EXT_', H, { MANAGED: 0x01 });

/** struct nda_cacheinfo: ages in USER_HZ clock ticks, and the reference count. */
export const ndaCacheinfo = struct('nda_cacheinfo', {
  ndm_confirmed: u32, ndm_used: u32, ndm_updated: u32, ndm_refcnt: u32,
});
export type NdaCacheinfo = Infer<typeof ndaCacheinfo>;

/** NDA_* attribute set. NDA_PORT and NDA_VNI are big-endian on the wire but kept raw here (bridge/vxlan FDB use). */
export const neighAttrs = attrs('NDA', {
  dst: attr(NDA.DST, ipaddr),
  lladdr: attr(NDA.LLADDR, lladdr),
  cacheinfo: attr(NDA.CACHEINFO, ndaCacheinfo),
  probes: attr(NDA.PROBES, u32),
  vlan: attr(NDA.VLAN, u16),
  port: attr(NDA.PORT, bytes),
  vni: attr(NDA.VNI, u32),
  ifindex: attr(NDA.IFINDEX, u32),
  master: attr(NDA.MASTER, u32),
  link_netnsid: attr(NDA.LINK_NETNSID, s32),
  src_vni: attr(NDA.SRC_VNI, u32),
  protocol: attr(NDA.PROTOCOL, u8),
  nh_id: attr(NDA.NH_ID, u32),
  fdb_ext_attrs: attr(NDA.FDB_EXT_ATTRS, bytes),
  flags_ext: attr(NDA.FLAGS_EXT, u32),
  ndm_state_mask: attr(NDA.NDM_STATE_MASK, u16),
  ndm_flags_mask: attr(NDA.NDM_FLAGS_MASK, u8),
});
export type NeighAttrs = Infer<typeof neighAttrs>;

/** A whole RTM_*NEIGH body. */
export const neighMessage = message('ndmsg', ndmsg, neighAttrs);
