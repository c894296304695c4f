/**
 * RTM_*LINK message schema (linux/if_link.h, linux/if.h).
 *
 * Kind-specific IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA schemas register
 * themselves in {@link linkKinds} / {@link slaveKinds} (one module per kind).
 * @module
 */
import { vfInfoList, type VfInfoList } from './link-vf-schema.js';
import {
  attrs, attr, multi, cstring, u8, u32, s32, u64, u16, lladdr, bytes, struct, array, variant, keyString,
  message, lazy, headed, pad, NLA_F_NESTED, type Codec, type Infer, type AttrSet,
} from '../codec/schema.js';
import { constants } from '../constants.js';
import { ifinfomsg, linkStats64 } from '../structs.js';

const H = ['linux/if_link.h'];

/** IFLA_* link attributes. */
export const IFLA = constants('IFLA_', H, {
  UNSPEC: 0, ADDRESS: 1, BROADCAST: 2, IFNAME: 3, MTU: 4, LINK: 5, QDISC: 6, STATS: 7, COST: 8,
  PRIORITY: 9, MASTER: 10, WIRELESS: 11, PROTINFO: 12, TXQLEN: 13, MAP: 14, WEIGHT: 15,
  OPERSTATE: 16, LINKMODE: 17, LINKINFO: 18, NET_NS_PID: 19, IFALIAS: 20, NUM_VF: 21,
  VFINFO_LIST: 22, STATS64: 23, VF_PORTS: 24, PORT_SELF: 25, AF_SPEC: 26, GROUP: 27,
  NET_NS_FD: 28, EXT_MASK: 29, PROMISCUITY: 30, NUM_TX_QUEUES: 31, NUM_RX_QUEUES: 32,
  CARRIER: 33, PHYS_PORT_ID: 34, CARRIER_CHANGES: 35, PHYS_SWITCH_ID: 36, LINK_NETNSID: 37,
  PHYS_PORT_NAME: 38, PROTO_DOWN: 39, GSO_MAX_SEGS: 40, GSO_MAX_SIZE: 41, PAD: 42, XDP: 43,
  EVENT: 44, NEW_NETNSID: 45, IF_NETNSID: 46, TARGET_NETNSID: 46, CARRIER_UP_COUNT: 47,
  CARRIER_DOWN_COUNT: 48, NEW_IFINDEX: 49, MIN_MTU: 50, MAX_MTU: 51, PROP_LIST: 52,
  ALT_IFNAME: 53, PERM_ADDRESS: 54, PROTO_DOWN_REASON: 55, PARENT_DEV_NAME: 56,
  PARENT_DEV_BUS_NAME: 57, GRO_MAX_SIZE: 58, TSO_MAX_SIZE: 59, TSO_MAX_SEGS: 60, ALLMULTI: 61,
});

/** IFLA_INFO_* (inside IFLA_LINKINFO). */
export const IFLA_INFO = constants('IFLA_INFO_', H, {
  UNSPEC: 0, KIND: 1, DATA: 2, XSTATS: 3, SLAVE_KIND: 4, SLAVE_DATA: 5,
});

/** IFLA_XDP_* (inside IFLA_XDP). */
export const IFLA_XDP = constants('IFLA_XDP_', H, {
  UNSPEC: 0, FD: 1, ATTACHED: 2, FLAGS: 3, PROG_ID: 4, DRV_PROG_ID: 5, SKB_PROG_ID: 6, HW_PROG_ID: 7, EXPECTED_FD: 8,
});

/** IFLA_INET6_* (inside IFLA_AF_SPEC / AF_INET6). */
export const IFLA_INET6 = constants('IFLA_INET6_', H, {
  UNSPEC: 0, FLAGS: 1, CONF: 2, STATS: 3, MCAST: 4, CACHEINFO: 5, ICMP6STATS: 6, TOKEN: 7, ADDR_GEN_MODE: 8, RA_MTU: 9,
});

/** net_device flags (linux/if.h). */
export const IFF = constants('IFF_', ['linux/if.h'], {
  UP: 0x1, BROADCAST: 0x2, DEBUG: 0x4, LOOPBACK: 0x8, POINTOPOINT: 0x10, NOTRAILERS: 0x20,
  RUNNING: 0x40, NOARP: 0x80, PROMISC: 0x100, ALLMULTI: 0x200, MASTER: 0x400, SLAVE: 0x800,
  MULTICAST: 0x1000, PORTSEL: 0x2000, AUTOMEDIA: 0x4000, DYNAMIC: 0x8000, LOWER_UP: 0x10000,
  DORMANT: 0x20000, ECHO: 0x40000,
});

/** RTEXT_FILTER_* for IFLA_EXT_MASK. */
export const RTEXT_FILTER = constants('RTEXT_FILTER_', ['linux/rtnetlink.h'], {
  VF: 1, BRVLAN: 2, BRVLAN_COMPRESSED: 4, SKIP_STATS: 8, MRP: 16, CFM_CONFIG: 32, CFM_STATUS: 64, MST: 128,
});

/** Schemas of IFLA_INFO_DATA by link kind; kind modules add themselves. */
export const linkKinds = new Map<string, Codec<KindData>>();
/** Schemas of IFLA_INFO_SLAVE_DATA by slave kind. */
export const slaveKinds = new Map<string, Codec<KindData>>();

/** Decoded kind-specific data: an attribute object of the kind's schema. */
export type KindData = { readonly [key: string]: unknown };

/** struct rtnl_link_stats (32-bit counters). */
export const linkStats32 = struct('rtnl_link_stats', {
  rx_packets: u32, tx_packets: u32, rx_bytes: u32, tx_bytes: u32, rx_errors: u32, tx_errors: u32,
  rx_dropped: u32, tx_dropped: u32, multicast: u32, collisions: u32,
  rx_length_errors: u32, rx_over_errors: u32, rx_crc_errors: u32, rx_frame_errors: u32,
  rx_fifo_errors: u32, rx_missed_errors: u32, tx_aborted_errors: u32, tx_carrier_errors: u32,
  tx_fifo_errors: u32, tx_heartbeat_errors: u32, tx_window_errors: u32, rx_compressed: u32,
  tx_compressed: u32, rx_nohandler: u32,
});

/** struct rtnl_link_ifmap. */
export const linkIfmap = struct('rtnl_link_ifmap', {
  mem_start: u64, mem_end: u64, base_addr: u64, irq: u16, dma: u8, port: u8, _pad: pad(4),
});

/**
 * A kind name as iproute2 sends it: without a terminating NUL (addattr_l with
 * strlen), which the kernel accepts; decoding stops at a NUL if there is one.
 */
function bareString(choices: readonly string[]): Codec<string> {
  const base = keyString(choices);
  return { ...base, name: 'string(no NUL)', encode(w, v) { w.bytes(Buffer.from(v, 'utf8')); } };
}

/**
 * IFLA_INFO_SLAVE_DATA: chosen by IFLA_INFO_SLAVE_KIND when decoding; when a
 * request names the port kind as iproute2 does (IFLA_INFO_KIND
 * "bridge_slave" and no SLAVE_KIND), by that kind without "_slave".
 */
const slaveDataCodec: Codec<KindData | Buffer> = (() => {
  const pick = (ctx: Readonly<Record<string, unknown>>): Codec<KindData> | undefined => {
    const sk = ctx.slave_kind;
    if (typeof sk === 'string') return slaveKinds.get(sk);
    const k = ctx.kind;
    return typeof k === 'string' && k.endsWith('_slave') ? slaveKinds.get(k.slice(0, -6)) : undefined;
  };
  const inner = variant<KindData>('IFLA_INFO_SLAVE_DATA', 'slave_kind', (k) => slaveKinds.get(k));
  return {
    name: 'IFLA_INFO_SLAVE_DATA',
    encode(w, v, ctx) {
      const c = pick(ctx);
      if (Buffer.isBuffer(v)) w.bytes(v);
      else if (c) c.encode(w, v, ctx);
      else inner.encode(w, v, ctx);
    },
    decode(buf, off, len, ctx) {
      const c = pick(ctx);
      return c ? c.decode(buf, off, len, ctx) : Buffer.from(buf.subarray(off, off + len));
    },
    arbitrary: (rng, ctx) => inner.arbitrary(rng, ctx),
  };
})();

export const linkInfoAttrs = attrs('IFLA_LINKINFO', {
  kind: attr(IFLA_INFO.KIND, bareString(['veth', 'bridge', 'vxlan'])),
  data: attr(IFLA_INFO.DATA, variant<KindData>('IFLA_INFO_DATA', 'kind', (k) => linkKinds.get(k))),
  xstats: attr(IFLA_INFO.XSTATS, bytes),
  slave_kind: attr(IFLA_INFO.SLAVE_KIND, bareString(['bridge', 'bond'])),
  slave_data: attr(IFLA_INFO.SLAVE_DATA, slaveDataCodec),
});
export type LinkInfoAttrs = Infer<typeof linkInfoAttrs>;

export const xdpAttrs = attrs('IFLA_XDP', {
  fd: attr(IFLA_XDP.FD, s32),
  attached: attr(IFLA_XDP.ATTACHED, u8),
  flags: attr(IFLA_XDP.FLAGS, u32),
  prog_id: attr(IFLA_XDP.PROG_ID, u32),
  drv_prog_id: attr(IFLA_XDP.DRV_PROG_ID, u32),
  skb_prog_id: attr(IFLA_XDP.SKB_PROG_ID, u32),
  hw_prog_id: attr(IFLA_XDP.HW_PROG_ID, u32),
  expected_fd: attr(IFLA_XDP.EXPECTED_FD, s32),
});

export const inet6CacheInfo = struct('ifla_cacheinfo', {
  max_reasm_len: u32, tstamp: u32, reachable_time: u32, retrans_time: u32,
});

export const inet6SpecAttrs = attrs('IFLA_AF_SPEC/AF_INET6', {
  flags: attr(IFLA_INET6.FLAGS, u32),
  conf: attr(IFLA_INET6.CONF, array(s32)),
  stats: attr(IFLA_INET6.STATS, array(u64)),
  cacheinfo: attr(IFLA_INET6.CACHEINFO, inet6CacheInfo),
  icmp6stats: attr(IFLA_INET6.ICMP6STATS, array(u64)),
  token: attr(IFLA_INET6.TOKEN, bytes),
  addr_gen_mode: attr(IFLA_INET6.ADDR_GEN_MODE, u8),
  ra_mtu: attr(IFLA_INET6.RA_MTU, u32),
});

export const inetSpecAttrs = attrs('IFLA_AF_SPEC/AF_INET', {
  conf: attr(1 /* IFLA_INET_CONF */, array(u32)),
});

/** IFLA_AF_SPEC in link messages: one nest per address family (nest type = AF_*). */
export const afSpecAttrs = attrs('IFLA_AF_SPEC', {
  inet: attr(2, inetSpecAttrs),
  inet6: attr(10, inet6SpecAttrs),
});

export const protoDownReasonAttrs = attrs('IFLA_PROTO_DOWN_REASON', {
  mask: attr(1, u32),
  value: attr(2, u32),
});

export const propListAttrs = attrs('IFLA_PROP_LIST', {
  alt_ifname: multi(IFLA.ALT_IFNAME, cstring),
});

/** Every IFLA attribute rip understands. */
export const linkAttrs: AttrSet<LinkAttrsShape> = attrs('IFLA', {
  address: attr(IFLA.ADDRESS, lladdr),
  broadcast: attr(IFLA.BROADCAST, lladdr),
  ifname: attr(IFLA.IFNAME, cstring),
  mtu: attr(IFLA.MTU, u32),
  link: attr(IFLA.LINK, u32),
  qdisc: attr(IFLA.QDISC, cstring),
  stats: attr(IFLA.STATS, linkStats32),
  cost: attr(IFLA.COST, u32),
  priority: attr(IFLA.PRIORITY, u32),
  master: attr(IFLA.MASTER, u32),
  protinfo: attr(IFLA.PROTINFO, bytes),
  txqlen: attr(IFLA.TXQLEN, u32),
  map: attr(IFLA.MAP, linkIfmap),
  weight: attr(IFLA.WEIGHT, u32),
  operstate: attr(IFLA.OPERSTATE, u8),
  linkmode: attr(IFLA.LINKMODE, u8),
  linkinfo: attr(IFLA.LINKINFO, linkInfoAttrs),
  net_ns_pid: attr(IFLA.NET_NS_PID, u32),
  /** iproute2 sends the alias without a NUL (the kernel takes the attribute length). */
  ifalias: attr(IFLA.IFALIAS, bareString([])),
  num_vf: attr(IFLA.NUM_VF, u32),
  /** One nest per `vf N` on iproute2's command line; the kernel dumps one. */
  vfinfo_list: multi(IFLA.VFINFO_LIST, vfInfoList),
  stats64: attr(IFLA.STATS64, linkStats64),
  af_spec: attr(IFLA.AF_SPEC, afSpecAttrs),
  group: attr(IFLA.GROUP, u32),
  net_ns_fd: attr(IFLA.NET_NS_FD, u32),
  ext_mask: attr(IFLA.EXT_MASK, u32),
  promiscuity: attr(IFLA.PROMISCUITY, u32),
  num_tx_queues: attr(IFLA.NUM_TX_QUEUES, u32),
  num_rx_queues: attr(IFLA.NUM_RX_QUEUES, u32),
  carrier: attr(IFLA.CARRIER, u8),
  phys_port_id: attr(IFLA.PHYS_PORT_ID, bytes),
  carrier_changes: attr(IFLA.CARRIER_CHANGES, u32),
  phys_switch_id: attr(IFLA.PHYS_SWITCH_ID, bytes),
  link_netnsid: attr(IFLA.LINK_NETNSID, s32),
  phys_port_name: attr(IFLA.PHYS_PORT_NAME, cstring),
  proto_down: attr(IFLA.PROTO_DOWN, u8),
  gso_max_segs: attr(IFLA.GSO_MAX_SEGS, u32),
  gso_max_size: attr(IFLA.GSO_MAX_SIZE, u32),
  xdp: attr(IFLA.XDP, xdpAttrs),
  event: attr(IFLA.EVENT, u32),
  new_netnsid: attr(IFLA.NEW_NETNSID, s32),
  target_netnsid: attr(IFLA.TARGET_NETNSID, s32),
  carrier_up_count: attr(IFLA.CARRIER_UP_COUNT, u32),
  carrier_down_count: attr(IFLA.CARRIER_DOWN_COUNT, u32),
  new_ifindex: attr(IFLA.NEW_IFINDEX, s32),
  min_mtu: attr(IFLA.MIN_MTU, u32),
  max_mtu: attr(IFLA.MAX_MTU, u32),
  prop_list: attr(IFLA.PROP_LIST, propListAttrs),
  alt_ifname: attr(IFLA.ALT_IFNAME, cstring),
  perm_address: attr(IFLA.PERM_ADDRESS, lladdr),
  proto_down_reason: attr(IFLA.PROTO_DOWN_REASON, protoDownReasonAttrs, NLA_F_NESTED),
  parent_dev_name: attr(IFLA.PARENT_DEV_NAME, cstring),
  parent_dev_bus_name: attr(IFLA.PARENT_DEV_BUS_NAME, cstring),
  gro_max_size: attr(IFLA.GRO_MAX_SIZE, u32),
  tso_max_size: attr(IFLA.TSO_MAX_SIZE, u32),
  tso_max_segs: attr(IFLA.TSO_MAX_SEGS, u32),
  allmulti: attr(IFLA.ALLMULTI, u32),
  /** Wireless extension events (opaque). */
  wireless: attr(IFLA.WIRELESS, bytes),
});

// The shape is written out because linkAttrs is recursive through veth's peer.
/** Decoded IFLA attributes. */
export interface LinkAttrsShape {
  address?: string; broadcast?: string; ifname?: string; mtu?: number; link?: number; qdisc?: string;
  stats?: Infer<typeof linkStats32>; cost?: number; priority?: number; master?: number; protinfo?: Buffer;
  txqlen?: number; map?: Infer<typeof linkIfmap>; weight?: number; operstate?: number; linkmode?: number;
  linkinfo?: LinkInfoAttrs; net_ns_pid?: number; ifalias?: string; num_vf?: number; vfinfo_list?: VfInfoList[];
  stats64?: Infer<typeof linkStats64>; af_spec?: Infer<typeof afSpecAttrs>; group?: number; net_ns_fd?: number;
  ext_mask?: number; promiscuity?: number; num_tx_queues?: number; num_rx_queues?: number; carrier?: number;
  phys_port_id?: Buffer; carrier_changes?: number; phys_switch_id?: Buffer; link_netnsid?: number;
  phys_port_name?: string; proto_down?: number; gso_max_segs?: number; gso_max_size?: number;
  xdp?: Infer<typeof xdpAttrs>; event?: number; new_netnsid?: number; target_netnsid?: number;
  carrier_up_count?: number; carrier_down_count?: number; new_ifindex?: number; min_mtu?: number;
  max_mtu?: number; prop_list?: Infer<typeof propListAttrs>; alt_ifname?: string; perm_address?: string;
  proto_down_reason?: Infer<typeof protoDownReasonAttrs>; parent_dev_name?: string; parent_dev_bus_name?: string;
  gro_max_size?: number; tso_max_size?: number; tso_max_segs?: number; allmulti?: number; wireless?: Buffer;
}

/** RTM_NEWLINK/DELLINK/GETLINK body. */
export const linkMessage = message('RTM_NEWLINK', ifinfomsg, linkAttrs);

/** A whole link message nested in an attribute (veth's VETH_INFO_PEER and similar). */
export const nestedLinkMessage = headed('ifinfomsg+IFLA', ifinfomsg, lazy('IFLA', () => linkAttrs));

/** VETH_INFO_* (linux/veth.h). */
export const VETH_INFO = constants('VETH_INFO_', ['linux/veth.h'], { UNSPEC: 0, PEER: 1 });
linkKinds.set('veth', attrs('veth', { peer: attr(VETH_INFO.PEER, nestedLinkMessage) }));

