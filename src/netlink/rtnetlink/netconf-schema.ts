/**
 * RTM_*NETCONF message schema (linux/netconf.h): struct netconfmsg + NETCONFA_* attributes.
 * @module
 */
import { attrs, attr, s32, u8, pad, struct, message } from '../codec/schema.js';
import { constants } from '../constants.js';
import type { MessageView } from '../socket.js';

/** NETCONFA_* (linux/netconf.h). */
export const NETCONFA = constants('NETCONFA_', ['linux/netconf.h'], {
  UNSPEC: 0, IFINDEX: 1, FORWARDING: 2, RP_FILTER: 3, MC_FORWARDING: 4, PROXY_NEIGH: 5,
  IGNORE_ROUTES_WITH_LINKDOWN: 6, INPUT: 7, BC_FORWARDING: 8,
});

/** NETCONFA_IFINDEX_* pseudo indexes (linux/netconf.h). */
export const NETCONFA_IFINDEX = constants('NETCONFA_IFINDEX_', ['linux/netconf.h'], { ALL: -1, DEFAULT: -2 });

/** RTM_NEWNETCONF/DELNETCONF/GETNETCONF body: struct netconfmsg + NETCONFA attributes. */
export const netconfMessage = message('RTM_NEWNETCONF', struct('netconfmsg', { family: u8, _pad: pad(3) }), attrs('NETCONFA', {
  ifindex: attr(NETCONFA.IFINDEX, s32),
  forwarding: attr(NETCONFA.FORWARDING, s32),
  rp_filter: attr(NETCONFA.RP_FILTER, s32),
  mc_forwarding: attr(NETCONFA.MC_FORWARDING, s32),
  proxy_neigh: attr(NETCONFA.PROXY_NEIGH, s32),
  ignore_routes_with_linkdown: attr(NETCONFA.IGNORE_ROUTES_WITH_LINKDOWN, s32),
  input: attr(NETCONFA.INPUT, s32),
  bc_forwarding: attr(NETCONFA.BC_FORWARDING, s32),
}));

/**
 * Per-device (or `all`/`default`) IP configuration of one family, as
 * `ip netconf` reports it. `ifindex` is -1 for all, -2 for default.
 */
export interface NetconfMessage {
  /** AF_INET, AF_INET6, AF_MPLS. */
  readonly family: number;
  readonly ifindex?: number;
  readonly forwarding?: number;
  /** 0 off, 1 strict, 2 loose. */
  readonly rp_filter?: number;
  readonly mc_forwarding?: number;
  readonly proxy_neigh?: number;
  readonly ignore_routes_with_linkdown?: number;
  readonly input?: number;
  readonly bc_forwarding?: number;
}

/** Decode an RTM_NEWNETCONF/DELNETCONF message. */
export function decodeNetconf(m: MessageView): NetconfMessage {
  const { header, attrs: a } = netconfMessage.decode(m.buf, m.off, m.len);
  const out: { -readonly [K in keyof NetconfMessage]: NetconfMessage[K] } = { family: header.family };
  if (a.ifindex !== undefined) out.ifindex = a.ifindex;
  if (a.forwarding !== undefined) out.forwarding = a.forwarding;
  if (a.rp_filter !== undefined) out.rp_filter = a.rp_filter;
  if (a.mc_forwarding !== undefined) out.mc_forwarding = a.mc_forwarding;
  if (a.proxy_neigh !== undefined) out.proxy_neigh = a.proxy_neigh;
  if (a.ignore_routes_with_linkdown !== undefined) out.ignore_routes_with_linkdown = a.ignore_routes_with_linkdown;
  if (a.input !== undefined) out.input = a.input;
  if (a.bc_forwarding !== undefined) out.bc_forwarding = a.bc_forwarding;
  return out;
}
