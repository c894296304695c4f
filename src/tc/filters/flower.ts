/**
 * flower: flow-key classifier (linux/pkt_cls.h TCA_FLOWER_*; grammar and
 * output of iproute2's tc/f_flower.c) with the common keys: indev, VLAN and
 * QinQ, MAC addresses, ethertype, IP protocol/TOS/TTL, IPv4/IPv6 addresses,
 * TCP/UDP/SCTP ports and port ranges, TCP flags, ICMP type/code, IP
 * fragment flags, tunnel (enc_*) keys, conntrack state/zone/mark, and the
 * skip_sw/skip_hw flags. MPLS, ARP, PPPoE, tunnel options, ct_label and
 * hw_tc are not parsed yet (the `tc` command says so); their attributes are
 * kept raw when decoding.
 *
 * ```ts
 * import { flower, gact, TC_ACT } from 'rip/tc';
 * await nl.filter.add({ dev: 'eth0', parent: 'ingress', protocol: 'ip', prio: 1, kind: 'flower',
 *   options: flower({ ethType: 0x0800, ipProto: 'tcp', dstIp: '10.0.0.0/8', dstPort: 80, actions: [gact({ control: TC_ACT.SHOT })] }) });
 * ```
 * @module
 */
import { attrs, attr, u8, u16, u32, be16, be32, cstring, lladdr, ipaddr, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { parseIPv4Loose, parseIPv6, parseLladdr, formatLladdr, formatIPv4, formatIPv6 } from '../../netlink/addr.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../output/printer.js';
import { TcArgError, type TcEnv } from '../kind.js';
import { registerFilterKind, TCA_CLS_FLAGS, llProtoId, llProtoName, type FilterEnv, type ParsedFilter } from '../filter-kind.js';
import { actionList, printActions, type Action } from '../action.js';
import { formatClassid, toHandle, type HandleLike } from '../handle.js';
import { Tokens, getUnsigned, matches } from '../kinds/util.js';
import { fail, actionClause, classidArg } from './common.js';

/** TCA_FLOWER_* (the attributes rip names; the rest are kept raw). */
export const TCA_FLOWER = constants('TCA_FLOWER_', ['linux/pkt_cls.h'], {
  UNSPEC: 0, CLASSID: 1, INDEV: 2, ACT: 3, KEY_ETH_DST: 4, KEY_ETH_DST_MASK: 5, KEY_ETH_SRC: 6, KEY_ETH_SRC_MASK: 7,
  KEY_ETH_TYPE: 8, KEY_IP_PROTO: 9, KEY_IPV4_SRC: 10, KEY_IPV4_SRC_MASK: 11, KEY_IPV4_DST: 12, KEY_IPV4_DST_MASK: 13,
  KEY_IPV6_SRC: 14, KEY_IPV6_SRC_MASK: 15, KEY_IPV6_DST: 16, KEY_IPV6_DST_MASK: 17, KEY_TCP_SRC: 18, KEY_TCP_DST: 19,
  KEY_UDP_SRC: 20, KEY_UDP_DST: 21, FLAGS: 22, KEY_VLAN_ID: 23, KEY_VLAN_PRIO: 24, KEY_VLAN_ETH_TYPE: 25,
  KEY_ENC_KEY_ID: 26, KEY_ENC_IPV4_SRC: 27, KEY_ENC_IPV4_SRC_MASK: 28, KEY_ENC_IPV4_DST: 29, KEY_ENC_IPV4_DST_MASK: 30,
  KEY_ENC_IPV6_SRC: 31, KEY_ENC_IPV6_SRC_MASK: 32, KEY_ENC_IPV6_DST: 33, KEY_ENC_IPV6_DST_MASK: 34,
  KEY_TCP_SRC_MASK: 35, KEY_TCP_DST_MASK: 36, KEY_UDP_SRC_MASK: 37, KEY_UDP_DST_MASK: 38, KEY_SCTP_SRC_MASK: 39,
  KEY_SCTP_DST_MASK: 40, KEY_SCTP_SRC: 41, KEY_SCTP_DST: 42, KEY_ENC_UDP_SRC_PORT: 43, KEY_ENC_UDP_SRC_PORT_MASK: 44,
  KEY_ENC_UDP_DST_PORT: 45, KEY_ENC_UDP_DST_PORT_MASK: 46, KEY_FLAGS: 47, KEY_FLAGS_MASK: 48,
  KEY_ICMPV4_CODE: 49, KEY_ICMPV4_CODE_MASK: 50, KEY_ICMPV4_TYPE: 51, KEY_ICMPV4_TYPE_MASK: 52,
  KEY_ICMPV6_CODE: 53, KEY_ICMPV6_CODE_MASK: 54, KEY_ICMPV6_TYPE: 55, KEY_ICMPV6_TYPE_MASK: 56,
  KEY_TCP_FLAGS: 71, KEY_TCP_FLAGS_MASK: 72, KEY_IP_TOS: 73, KEY_IP_TOS_MASK: 74, KEY_IP_TTL: 75, KEY_IP_TTL_MASK: 76,
  KEY_CVLAN_ID: 77, KEY_CVLAN_PRIO: 78, KEY_CVLAN_ETH_TYPE: 79, KEY_ENC_IP_TOS: 80, KEY_ENC_IP_TOS_MASK: 81,
  KEY_ENC_IP_TTL: 82, KEY_ENC_IP_TTL_MASK: 83, IN_HW_COUNT: 86, KEY_PORT_SRC_MIN: 87, KEY_PORT_SRC_MAX: 88,
  KEY_PORT_DST_MIN: 89, KEY_PORT_DST_MAX: 90, KEY_CT_STATE: 91, KEY_CT_STATE_MASK: 92, KEY_CT_ZONE: 93,
  KEY_CT_ZONE_MASK: 94, KEY_CT_MARK: 95, KEY_CT_MARK_MASK: 96, KEY_NUM_OF_VLANS: 102,
  KEY_FLAGS_IS_FRAGMENT: 1, KEY_FLAGS_FRAG_IS_FIRST: 2,
  KEY_CT_FLAGS_NEW: 1, KEY_CT_FLAGS_ESTABLISHED: 2, KEY_CT_FLAGS_RELATED: 4, KEY_CT_FLAGS_TRACKED: 8,
  KEY_CT_FLAGS_INVALID: 16, KEY_CT_FLAGS_REPLY: 32,
});

const F = TCA_FLOWER;

/** TCA_OPTIONS of flower. Addresses are text; ports, ethertypes and key ids host numbers of big-endian fields. */
export const flowerAttrs = attrs('flower', {
  classid: attr(F.CLASSID, u32),
  indev: attr(F.INDEV, cstring),
  act: attr(F.ACT, actionList),
  eth_dst: attr(F.KEY_ETH_DST, lladdr),
  eth_dst_mask: attr(F.KEY_ETH_DST_MASK, lladdr),
  eth_src: attr(F.KEY_ETH_SRC, lladdr),
  eth_src_mask: attr(F.KEY_ETH_SRC_MASK, lladdr),
  eth_type: attr(F.KEY_ETH_TYPE, be16),
  ip_proto: attr(F.KEY_IP_PROTO, u8),
  ipv4_src: attr(F.KEY_IPV4_SRC, ipaddr),
  ipv4_src_mask: attr(F.KEY_IPV4_SRC_MASK, ipaddr),
  ipv4_dst: attr(F.KEY_IPV4_DST, ipaddr),
  ipv4_dst_mask: attr(F.KEY_IPV4_DST_MASK, ipaddr),
  ipv6_src: attr(F.KEY_IPV6_SRC, ipaddr),
  ipv6_src_mask: attr(F.KEY_IPV6_SRC_MASK, ipaddr),
  ipv6_dst: attr(F.KEY_IPV6_DST, ipaddr),
  ipv6_dst_mask: attr(F.KEY_IPV6_DST_MASK, ipaddr),
  tcp_src: attr(F.KEY_TCP_SRC, be16),
  tcp_dst: attr(F.KEY_TCP_DST, be16),
  udp_src: attr(F.KEY_UDP_SRC, be16),
  udp_dst: attr(F.KEY_UDP_DST, be16),
  flags: attr(F.FLAGS, u32),
  vlan_id: attr(F.KEY_VLAN_ID, u16),
  vlan_prio: attr(F.KEY_VLAN_PRIO, u8),
  vlan_eth_type: attr(F.KEY_VLAN_ETH_TYPE, be16),
  enc_key_id: attr(F.KEY_ENC_KEY_ID, be32),
  enc_ipv4_src: attr(F.KEY_ENC_IPV4_SRC, ipaddr),
  enc_ipv4_src_mask: attr(F.KEY_ENC_IPV4_SRC_MASK, ipaddr),
  enc_ipv4_dst: attr(F.KEY_ENC_IPV4_DST, ipaddr),
  enc_ipv4_dst_mask: attr(F.KEY_ENC_IPV4_DST_MASK, ipaddr),
  enc_ipv6_src: attr(F.KEY_ENC_IPV6_SRC, ipaddr),
  enc_ipv6_src_mask: attr(F.KEY_ENC_IPV6_SRC_MASK, ipaddr),
  enc_ipv6_dst: attr(F.KEY_ENC_IPV6_DST, ipaddr),
  enc_ipv6_dst_mask: attr(F.KEY_ENC_IPV6_DST_MASK, ipaddr),
  tcp_src_mask: attr(F.KEY_TCP_SRC_MASK, be16),
  tcp_dst_mask: attr(F.KEY_TCP_DST_MASK, be16),
  udp_src_mask: attr(F.KEY_UDP_SRC_MASK, be16),
  udp_dst_mask: attr(F.KEY_UDP_DST_MASK, be16),
  sctp_src_mask: attr(F.KEY_SCTP_SRC_MASK, be16),
  sctp_dst_mask: attr(F.KEY_SCTP_DST_MASK, be16),
  sctp_src: attr(F.KEY_SCTP_SRC, be16),
  sctp_dst: attr(F.KEY_SCTP_DST, be16),
  enc_udp_src_port: attr(F.KEY_ENC_UDP_SRC_PORT, be16),
  enc_udp_src_port_mask: attr(F.KEY_ENC_UDP_SRC_PORT_MASK, be16),
  enc_udp_dst_port: attr(F.KEY_ENC_UDP_DST_PORT, be16),
  enc_udp_dst_port_mask: attr(F.KEY_ENC_UDP_DST_PORT_MASK, be16),
  key_flags: attr(F.KEY_FLAGS, be32),
  key_flags_mask: attr(F.KEY_FLAGS_MASK, be32),
  icmpv4_code: attr(F.KEY_ICMPV4_CODE, u8),
  icmpv4_code_mask: attr(F.KEY_ICMPV4_CODE_MASK, u8),
  icmpv4_type: attr(F.KEY_ICMPV4_TYPE, u8),
  icmpv4_type_mask: attr(F.KEY_ICMPV4_TYPE_MASK, u8),
  icmpv6_code: attr(F.KEY_ICMPV6_CODE, u8),
  icmpv6_code_mask: attr(F.KEY_ICMPV6_CODE_MASK, u8),
  icmpv6_type: attr(F.KEY_ICMPV6_TYPE, u8),
  icmpv6_type_mask: attr(F.KEY_ICMPV6_TYPE_MASK, u8),
  tcp_flags: attr(F.KEY_TCP_FLAGS, be16),
  tcp_flags_mask: attr(F.KEY_TCP_FLAGS_MASK, be16),
  ip_tos: attr(F.KEY_IP_TOS, u8),
  ip_tos_mask: attr(F.KEY_IP_TOS_MASK, u8),
  ip_ttl: attr(F.KEY_IP_TTL, u8),
  ip_ttl_mask: attr(F.KEY_IP_TTL_MASK, u8),
  cvlan_id: attr(F.KEY_CVLAN_ID, u16),
  cvlan_prio: attr(F.KEY_CVLAN_PRIO, u8),
  cvlan_eth_type: attr(F.KEY_CVLAN_ETH_TYPE, be16),
  enc_ip_tos: attr(F.KEY_ENC_IP_TOS, u8),
  enc_ip_tos_mask: attr(F.KEY_ENC_IP_TOS_MASK, u8),
  enc_ip_ttl: attr(F.KEY_ENC_IP_TTL, u8),
  enc_ip_ttl_mask: attr(F.KEY_ENC_IP_TTL_MASK, u8),
  in_hw_count: attr(F.IN_HW_COUNT, u32),
  port_src_min: attr(F.KEY_PORT_SRC_MIN, be16),
  port_src_max: attr(F.KEY_PORT_SRC_MAX, be16),
  port_dst_min: attr(F.KEY_PORT_DST_MIN, be16),
  port_dst_max: attr(F.KEY_PORT_DST_MAX, be16),
  ct_state: attr(F.KEY_CT_STATE, u16),
  ct_state_mask: attr(F.KEY_CT_STATE_MASK, u16),
  ct_zone: attr(F.KEY_CT_ZONE, u16),
  ct_zone_mask: attr(F.KEY_CT_ZONE_MASK, u16),
  ct_mark: attr(F.KEY_CT_MARK, u32),
  ct_mark_mask: attr(F.KEY_CT_MARK_MASK, u32),
  num_of_vlans: attr(F.KEY_NUM_OF_VLANS, u8),
});
/** Decoded/encodable flower options. */
export type FlowerOptions = Infer<typeof flowerAttrs>;
type Key = Exclude<keyof FlowerOptions, symbol>;

declare module '../filter-kind.js' {
  interface FilterOptionsMap { flower: FlowerOptions }
}

const USAGE = 'Usage: ... flower\t[ MATCH-LIST ] [ verbose ]\n'
  + '\t\t\t[ skip_sw | skip_hw ]\n'
  + '\t\t\t[ action ACTION-SPEC ] [ classid CLASSID ]\n'
  + '\n'
  + 'Where: MATCH-LIST := [ MATCH-LIST ] MATCH\n'
  + '       MATCH      := {\tindev DEV-NAME |\n'
  + '\t\t\tnum_of_vlans VLANS_COUNT |\n'
  + '\t\t\tvlan_id VID |\n'
  + '\t\t\tvlan_prio PRIORITY |\n'
  + '\t\t\tvlan_ethtype [ ipv4 | ipv6 | ETH-TYPE ] |\n'
  + '\t\t\tcvlan_id VID |\n'
  + '\t\t\tcvlan_prio PRIORITY |\n'
  + '\t\t\tcvlan_ethtype [ ipv4 | ipv6 | ETH-TYPE ] |\n'
  + '\t\t\tpppoe_sid PSID |\n'
  + '\t\t\tppp_proto [ ipv4 | ipv6 | mpls_uc | mpls_mc | PPP_PROTO ]'
  + '\t\t\tdst_mac MASKED-LLADDR |\n'
  + '\t\t\tsrc_mac MASKED-LLADDR |\n'
  + '\t\t\tip_proto [tcp | udp | sctp | icmp | icmpv6 | IP-PROTO ] |\n'
  + '\t\t\tip_tos MASKED-IP_TOS |\n'
  + '\t\t\tip_ttl MASKED-IP_TTL |\n'
  + '\t\t\tmpls LSE-LIST |\n'
  + '\t\t\tmpls_label LABEL |\n'
  + '\t\t\tmpls_tc TC |\n'
  + '\t\t\tmpls_bos BOS |\n'
  + '\t\t\tmpls_ttl TTL |\n'
  + '\t\t\tdst_ip PREFIX |\n'
  + '\t\t\tsrc_ip PREFIX |\n'
  + '\t\t\tdst_port PORT-NUMBER |\n'
  + '\t\t\tsrc_port PORT-NUMBER |\n'
  + '\t\t\ttcp_flags MASKED-TCP_FLAGS |\n'
  + '\t\t\ttype MASKED-ICMP-TYPE |\n'
  + '\t\t\tcode MASKED-ICMP-CODE |\n'
  + '\t\t\tarp_tip IPV4-PREFIX |\n'
  + '\t\t\tarp_sip IPV4-PREFIX |\n'
  + '\t\t\tarp_op [ request | reply | OP ] |\n'
  + '\t\t\tarp_tha MASKED-LLADDR |\n'
  + '\t\t\tarp_sha MASKED-LLADDR |\n'
  + '\t\t\tenc_dst_ip [ IPV4-ADDR | IPV6-ADDR ] |\n'
  + '\t\t\tenc_src_ip [ IPV4-ADDR | IPV6-ADDR ] |\n'
  + '\t\t\tenc_key_id [ KEY-ID ] |\n'
  + '\t\t\tenc_tos MASKED-IP_TOS |\n'
  + '\t\t\tenc_ttl MASKED-IP_TTL |\n'
  + '\t\t\tgeneve_opts MASKED-OPTIONS |\n'
  + '\t\t\tvxlan_opts MASKED-OPTIONS |\n'
  + '                       erspan_opts MASKED-OPTIONS |\n'
  + '\t\t\tgtp_opts MASKED-OPTIONS |\n'
  + '\t\t\tip_flags IP-FLAGS |\n'
  + '\t\t\tenc_dst_port [ port_number ] |\n'
  + '\t\t\tct_state MASKED_CT_STATE |\n'
  + '\t\t\tct_label MASKED_CT_LABEL |\n'
  + '\t\t\tct_mark MASKED_CT_MARK |\n'
  + '\t\t\tct_zone MASKED_CT_ZONE }\n'
  + '\tLSE-LIST := [ LSE-LIST ] LSE\n'
  + '\tLSE := lse depth DEPTH { label LABEL | tc TC | bos BOS | ttl TTL }\n'
  + '\tFILTERID := X:Y:Z\n'
  + '\tMASKED_LLADDR := { LLADDR | LLADDR/MASK | LLADDR/BITS }\n'
  + '\tMASKED_CT_STATE := combination of {+|-} and flags trk,est,new,rel,rpl,inv\n'
  + '\tACTION-SPEC := ... look at individual actions\n'
  + '\n'
  + 'NOTE:\tCLASSID, IP-PROTO are parsed as hexadecimal input.\n'
  + 'NOTE:\tThere can be only used one mask per one prio. If user needs\n'
  + '\tto specify different mask, he has to use different prio.';

const ETH_P = { IP: 0x0800, IPV6: 0x86dd, ALL: 0x0003, VLAN: 0x8100, QINQ: 0x88a8, ARP: 0x0806, RARP: 0x8035 } as const;
const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, SCTP: 132, ICMPV6: 58 } as const;

const CT_STATES: ReadonlyArray<readonly [string, number]> = [
  ['trk', F.KEY_CT_FLAGS_TRACKED], ['new', F.KEY_CT_FLAGS_NEW], ['est', F.KEY_CT_FLAGS_ESTABLISHED],
  ['rel', F.KEY_CT_FLAGS_RELATED], ['inv', F.KEY_CT_FLAGS_INVALID], ['rpl', F.KEY_CT_FLAGS_REPLY],
];
const IP_FLAGS: ReadonlyArray<readonly [string, number]> = [['frag', F.KEY_FLAGS_IS_FRAGMENT], ['firstfrag', F.KEY_FLAGS_FRAG_IS_FIRST]];

/** Keys iproute2 knows that rip does not parse yet. */
const NOT_YET = ['mpls', 'mpls_label', 'mpls_tc', 'mpls_bos', 'mpls_ttl', 'arp_tip', 'arp_sip', 'arp_op', 'arp_tha', 'arp_sha',
  'enc_src_port', 'geneve_opts', 'vxlan_opts', 'erspan_opts', 'ct_label', 'hw_tc'];

// ---------------------------------------------------------------- value parsers (null: invalid)

const u8v = (s: string, base: 0 | 10 | 16 = 0): number | null => getUnsigned(s, base, 0xff);
const u16v = (s: string, base: 0 | 10 | 16 = 0): number | null => getUnsigned(s, base, 0xffff);

/** flower_parse_eth_addr(): `LLADDR[/MASK|/BITS]`. */
function parseEthAddr(str: string): [string, string] | null {
  const slash = str.indexOf('/');
  const a = parseLladdrStrict(slash >= 0 ? str.slice(0, slash) : str);
  if (!a) return null;
  let mask: Buffer | null;
  if (slash >= 0) {
    const m = str.slice(slash + 1);
    const bits = getUnsigned(m, 10);
    if (bits !== null) {
      // tc shifts a 64-bit all-ones value; x86 takes the shift count mod 64.
      const shift = BigInt((16 + 48 - bits) & 63);
      const v = BigInt.asUintN(64, 0xffffffffffffn << shift);
      mask = Buffer.alloc(8);
      mask.writeBigUInt64BE(v);
      mask = mask.subarray(0, 6);
    } else {
      mask = parseLladdrStrict(m);
      if (!mask) return null;
    }
  } else mask = Buffer.alloc(6, 0xff);
  return [formatLladdr(a), formatLladdr(mask)];
}

function parseLladdrStrict(s: string): Buffer | null {
  const b = parseLladdr(s);
  return b && b.length === 6 ? b : null;
}

/** get_prefix() of an address for `family` (4, 6, or 0 for either): address and mask as text. */
function parsePrefix(str: string, family: 0 | 4 | 6): { v6: boolean; addr: string; mask: string } | null {
  const slash = str.indexOf('/');
  const a = slash >= 0 ? str.slice(0, slash) : str;
  const v6 = a.includes(':');
  if ((family === 4 && v6) || (family === 6 && !v6)) return null;
  const bytesA = v6 ? parseIPv6(a) : parseIPv4Loose(a);
  if (!bytesA) return null;
  const size = v6 ? 16 : 4;
  let bits = size * 8;
  if (slash >= 0) {
    const p = getUnsigned(str.slice(slash + 1), 0);
    if (p === null || p > bits) return null;
    bits = p;
  }
  const mask = Buffer.alloc(size);
  for (let i = 0; i < size; i++) {
    const b = Math.max(0, Math.min(8, bits - i * 8));
    mask[i] = (0xff00 >> b) & 0xff;
  }
  return v6 ? { v6, addr: formatIPv6(bytesA), mask: formatIPv6(mask) } : { v6, addr: formatIPv4(bytesA), mask: formatIPv4(mask) };
}

/** get_prefix()'s failure: tc prints this and exit(1)s. */
function prefixExpected(arg: string, family: 0 | 4 | 6): never {
  const name = family === 4 ? 'inet' : family === 6 ? 'inet6' : 'any valid';
  throw new TcArgError(`Error: ${name} prefix is expected rather than "${arg}".`, 1, true);
}

/** `V[/M]` with a C parser for each part; null if either is invalid. */
function masked(str: string, value: (s: string) => number | null, mask: (s: string) => number | null, full: number): [number, number] | null {
  const slash = str.indexOf('/');
  const v = value(slash >= 0 ? str.slice(0, slash) : str);
  if (v === null) return null;
  if (slash < 0) return [v, full];
  const m = mask(str.slice(slash + 1));
  return m === null ? null : [v, m];
}

/** flower_parse_opt() */
function parse(handle: string | undefined, argv: readonly string[], env: TcEnv): ParsedFilter<FlowerOptions> {
  let h = 0;
  if (handle !== undefined) {
    const v = getUnsigned(handle, 0);
    if (v === null) fail('Illegal "handle"');
    h = v!;
  }
  const tcProto = (env as Partial<FilterEnv>).protocol ?? 0;
  let ethType = tcProto;
  let vlanEthtype = 0;
  let numVlans = 0;
  let ipProto = 0xff;
  let flags = 0;
  let mtf = 0;
  let mtfMask = 0;
  const o: FlowerOptions = {};
  const set = <K extends Key>(k: K, v: FlowerOptions[K]): void => { o[k] = v; };
  const illegal = (what: string): never => fail(`Illegal "${what}"`);
  const t = new Tokens(argv);
  const isVlan = (e: number, good: boolean): boolean => e === ETH_P.VLAN || e === ETH_P.QINQ || good;
  while (t.argc > 0) {
    const a = t.cur;
    if (matches(a, 'classid') || matches(a, 'flowid')) {
      o.classid = classidArg(t.next());
    } else if (matches(a, 'ip_flags')) {
      const v = t.next();
      for (const tok of v.split('/').filter((x) => x !== '')) {
        const no = tok.startsWith('no');
        const name = no ? tok.slice(2) : tok;
        const f = IP_FLAGS.find(([n]) => n === name);
        if (!f) illegal('ip_flags');
        if (no) mtf &= ~f![1]; else mtf |= f![1];
        mtfMask |= f![1];
      }
    } else if (matches(a, 'verbose')) {
      flags |= TCA_CLS_FLAGS.VERBOSE;
    } else if (matches(a, 'skip_hw')) {
      flags |= TCA_CLS_FLAGS.SKIP_HW;
    } else if (matches(a, 'skip_sw')) {
      flags |= TCA_CLS_FLAGS.SKIP_SW;
    } else if (matches(a, 'ct_state')) {
      let s = t.next();
      let st = 0, mask = 0;
      while (s !== '') {
        if (s[0] !== '+' && s[0] !== '-') illegal('ct_state');
        const c = CT_STATES.find(([n]) => s.startsWith(n, 1));
        if (!c) illegal('ct_state');
        if (s[0] === '+') st |= c![1];
        mask |= c![1];
        s = s.slice(c![0].length + 1);
      }
      o.ct_state = st;
      o.ct_state_mask = mask;
    } else if (matches(a, 'ct_zone')) {
      const r = masked(t.next(), (x) => u16v(x), (x) => u16v(x), 0xffff);
      if (!r) illegal('ct_zone');
      [o.ct_zone, o.ct_zone_mask] = r!;
    } else if (matches(a, 'ct_mark')) {
      const r = masked(t.next(), (x) => getUnsigned(x, 0), (x) => getUnsigned(x, 0), 0xffffffff);
      if (!r) illegal('ct_mark');
      [o.ct_mark, o.ct_mark_mask] = r!;
    } else if (matches(a, 'indev')) {
      const v = t.next();
      if (!v || v.length >= 16 || /[\s/]/.test(v)) throw new TcArgError(`Error: argument "${v}" is wrong: "indev" not a valid ifname`, 255);
      o.indev = v;
    } else if (a === 'num_of_vlans') {
      const v = u8v(t.next(), 10);
      if (v === null) illegal('num_of_vlans');
      numVlans = v!;
      o.num_of_vlans = v!;
    } else if (matches(a, 'vlan_id') || matches(a, 'cvlan_id')) {
      const c = a.startsWith('c');
      t.next();
      if (c ? !isVlan(vlanEthtype, numVlans > 1) : !isVlan(tcProto, numVlans > 0)) {
        fail(c ? 'Can\'t set "cvlan_id" if inner vlan ethertype isn\'t 802.1Q or 802.1AD and num_of_vlans is less than 2'
          : 'Can\'t set "vlan_id" if ethertype isn\'t 802.1Q or 802.1AD and num_of_vlans is 0');
      }
      const v = u16v(t.cur, 10);
      if (v === null || v & ~0xfff) illegal(c ? 'cvlan_id' : 'vlan_id');
      set(c ? 'cvlan_id' : 'vlan_id', v!);
    } else if (matches(a, 'vlan_prio') || matches(a, 'cvlan_prio')) {
      const c = a.startsWith('c');
      t.next();
      if (c ? !isVlan(vlanEthtype, numVlans > 1) : !isVlan(tcProto, numVlans > 0)) {
        fail(c ? 'Can\'t set "cvlan_prio" if inner vlan ethertype isn\'t 802.1Q or 802.1AD and num_of_vlans is less than 2'
          : 'Can\'t set "vlan_prio" if ethertype isn\'t 802.1Q or 802.1AD and num_of_vlans is 0');
      }
      const v = u8v(t.cur, 10);
      if (v === null || v & ~7) illegal(c ? 'cvlan_prio' : 'vlan_prio');
      set(c ? 'cvlan_prio' : 'vlan_prio', v!);
    } else if (matches(a, 'vlan_ethtype') || matches(a, 'cvlan_ethtype')) {
      const c = a.startsWith('c');
      const v = t.next();
      if (c ? !isVlan(vlanEthtype, numVlans > 1) : !isVlan(ethType, numVlans > 0)) {
        fail(`Can't set "${c ? 'cvlan_ethtype' : 'vlan_ethtype'}" if ethertype isn't 802.1Q or 802.1AD and num_of_vlans ${c ? 'less than 2' : 'is 0'}`);
      }
      const p = llProtoId(v);
      if (p === undefined) throw new TcArgError(`Error: argument "${v}" is wrong: invalid vlan_ethtype`, 255);
      if (c) { o.cvlan_eth_type = p; ethType = p; } else { o.vlan_eth_type = p; vlanEthtype = p; ethType = p; }
    } else if (matches(a, 'dst_mac') || matches(a, 'src_mac')) {
      const dst = a.startsWith('d');
      const r = parseEthAddr(t.next());
      if (!r) illegal(dst ? 'dst_mac' : 'src_mac');
      if (dst) [o.eth_dst, o.eth_dst_mask] = r!; else [o.eth_src, o.eth_src_mask] = r!;
    } else if (matches(a, 'ip_proto')) {
      const v = t.next();
      if (ethType !== ETH_P.IP && ethType !== ETH_P.IPV6) fail('Illegal "eth_type" for ip proto\nIllegal "ip_proto"');
      let p: number | null;
      if (matches(v, 'tcp')) p = IPPROTO.TCP;
      else if (matches(v, 'udp')) p = IPPROTO.UDP;
      else if (matches(v, 'sctp')) p = IPPROTO.SCTP;
      else if (matches(v, 'icmp')) {
        if (ethType !== ETH_P.IP) fail('Illegal "eth_type" for ip proto\nIllegal "ip_proto"');
        p = IPPROTO.ICMP;
      } else if (matches(v, 'icmpv6')) {
        if (ethType !== ETH_P.IPV6) fail('Illegal "eth_type" for ip proto\nIllegal "ip_proto"');
        p = IPPROTO.ICMPV6;
      } else p = u8v(v, 16);
      if (p === null) illegal('ip_proto');
      ipProto = p!;
      o.ip_proto = p!;
    } else if (matches(a, 'ip_tos') || matches(a, 'ip_ttl') || matches(a, 'enc_tos') || matches(a, 'enc_ttl')) {
      const which = a.startsWith('ip_tos') ? 'ip_tos' : a.startsWith('ip_') ? 'ip_ttl' : a.startsWith('enc_to') ? 'enc_tos' : 'enc_ttl';
      const r = masked(t.next(), (x) => u8v(x, 10) ?? u8v(x, 16), (x) => u8v(x, 16), 0xff);
      if (!r) illegal(which);
      const key = which === 'ip_tos' ? 'ip_tos' : which === 'ip_ttl' ? 'ip_ttl' : which === 'enc_tos' ? 'enc_ip_tos' : 'enc_ip_ttl';
      set(key, r![0]);
      set(`${key}_mask`, r![1]);
    } else if (matches(a, 'dst_ip') || matches(a, 'src_ip')) {
      const dst = a.startsWith('d');
      const v = t.next();
      const fam = ethType === ETH_P.IP ? 4 : ethType === ETH_P.IPV6 ? 6 : ethType === 0 ? 0 : -1;
      if (fam < 0) illegal(dst ? 'dst_ip' : 'src_ip');
      const r = parsePrefix(v, fam as 0 | 4 | 6);
      if (!r) prefixExpected(v, fam as 0 | 4 | 6);
      const base = `${r!.v6 ? 'ipv6' : 'ipv4'}_${dst ? 'dst' : 'src'}` as 'ipv4_dst';
      set(base, r!.addr);
      set(`${base}_mask`, r!.mask);
    } else if (matches(a, 'enc_dst_ip') || matches(a, 'enc_src_ip')) {
      const dst = a.startsWith('enc_d');
      const v = t.next();
      const r = parsePrefix(v, 0);
      if (!r) prefixExpected(v, 0);
      const base = `enc_${r!.v6 ? 'ipv6' : 'ipv4'}_${dst ? 'dst' : 'src'}` as 'enc_ipv4_dst';
      set(base, r!.addr);
      set(`${base}_mask`, r!.mask);
    } else if (matches(a, 'dst_port') || matches(a, 'src_port')) {
      const dst = a.startsWith('d');
      if (!parsePort(t.next(), ipProto, dst, o)) illegal(dst ? 'dst_port' : 'src_port');
    } else if (matches(a, 'tcp_flags')) {
      const r = masked(t.next(), (x) => u16v(x, 16), (x) => u16v(x, 16), 0xfff);
      if (!r || r[0] & ~0xfff || r[1] & ~0xfff) illegal('tcp_flags');
      [o.tcp_flags, o.tcp_flags_mask] = r!;
    } else if (matches(a, 'type') || matches(a, 'code')) {
      const code = a.startsWith('c');
      const v = t.next();
      const icmp4 = ethType === ETH_P.IP && ipProto === IPPROTO.ICMP;
      const icmp6 = ethType === ETH_P.IPV6 && ipProto === IPPROTO.ICMPV6;
      const r = icmp4 || icmp6 ? masked(v, (x) => u8v(x, 10), (x) => u8v(x, 10), 0xff) : null;
      if (!r) illegal(code ? 'icmp code' : 'icmp type');
      const key = `icmpv${icmp4 ? 4 : 6}_${code ? 'code' : 'type'}` as 'icmpv4_code';
      set(key, r![0]);
      set(`${key}_mask`, r![1]);
    } else if (matches(a, 'enc_key_id')) {
      const v = getUnsigned(t.next(), 10);
      if (v === null) illegal('enc_key_id');
      o.enc_key_id = v!;
    } else if (matches(a, 'enc_dst_port')) {
      const v = u16v(t.next(), 10);
      if (v === null) illegal('enc_dst_port');
      o.enc_udp_dst_port = v!;
    } else if (matches(a, 'action')) {
      t.next();
      o.act = actionClause(t, env);
      continue;
    } else if (a === 'pppoe_sid' || a === 'ppp_proto' || NOT_YET.some((k) => matches(a, k))) {
      fail(`rip: flower "${a}" is not supported yet`);
    } else {
      fail(a === 'help' ? USAGE : `What is "${a}"?\n${USAGE}`);
    }
    t.fwd();
  }
  o.flags = flags;
  if (mtfMask) {
    o.key_flags = mtf >>> 0;
    o.key_flags_mask = mtfMask;
  }
  if (tcProto !== ETH_P.ALL) o.eth_type = tcProto;
  return { handle: h, options: o };
}

/** flower_parse_port(): `P`, `MIN-MAX` or `P/MASK` into the attributes of the protocol. */
function parsePort(str: string, ipProto: number, dst: boolean, o: FlowerOptions): boolean {
  const proto = ipProto === IPPROTO.TCP ? 'tcp' : ipProto === IPPROTO.UDP ? 'udp' : ipProto === IPPROTO.SCTP ? 'sctp' : undefined;
  const end = dst ? 'dst' : 'src';
  let min = 0, max = 0, ok = true;
  const dash = str.indexOf('-');
  if (dash >= 0) {
    const a = u16v(str.slice(0, dash), 10);
    const b = u16v(str.slice(dash + 1), 10);
    if (a === null || b === null) ok = false; else { min = a; max = b; }
  } else {
    const a = u16v(str, 10);
    if (a === null) ok = false; else min = a;
  }
  const slash = ok ? -1 : str.indexOf('/');
  if (!ok && slash < 0) return false;
  if (min && max) {
    if (max <= min) fail(`max value should be greater than min value\nIllegal "${dst ? 'dst_port' : 'src_port'}"`);
    if (!proto) return false;
    o[`port_${end}_min`] = min;
    o[`port_${end}_max`] = max;
    return true;
  }
  if (slash >= 0 || (min && !max)) {
    if (!proto) return false;
    const key = `${proto}_${end}` as 'tcp_dst';
    if (slash < 0) {
      o[key] = min;
      return true;
    }
    const r = masked(str, (x) => u16v(x, 0), (x) => u16v(x, 0), 0xffff);
    if (!r) return false;
    o[key] = r[0];
    o[`${key}_mask`] = r[1];
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- printing

/** print_indent_name_value(): newline, two spaces, `name value`. */
function indentNameValue(p: Printer, name: string, value: string): void {
  p.string(FP, null, '%s  ', p.lineSep);
  p.string(ANY, name, `${name} %s`, value);
}

/** __mask_bits(): the prefix length of a contiguous mask, or -1. */
function maskBits(b: Uint8Array): number {
  let bits = 0;
  let hole = false;
  for (const byte of b) {
    for (let j = 7; j >= 0; j--) {
      if ((byte >> j) & 1) {
        if (hole) return -1;
        bits++;
      } else if (bits) hole = true;
      else return -1;
    }
  }
  return bits;
}

function printEthAddr(p: Printer, name: string, addr: string | undefined, mask: string | undefined): void {
  if (addr === undefined) return;
  const a = parseLladdr(addr);
  if (!a || a.length !== 6) return;
  let out = addr;
  const m = mask === undefined ? null : parseLladdr(mask);
  if (m && m.length === 6) {
    const bits = maskBits(m);
    if (bits < 0) out += `/${mask}`;
    else if (bits < 48) out += `/${bits}`;
  }
  indentNameValue(p, name, out);
}

function printIpAddr(p: Printer, name: string, addr: string | undefined, mask: string | undefined, v6: boolean): void {
  if (addr === undefined || mask === undefined) return;
  if (addr.includes(':') !== v6 || mask.includes(':') !== v6) return;
  const mb = v6 ? parseIPv6(mask) : parseIPv4Loose(mask);
  if (!mb) return;
  const bits = maskBits(mb);
  let out = addr;
  if (bits < 0) out += `/${mask}`;
  else if (bits < mb.length * 8) out += `/${bits}`;
  indentNameValue(p, name, out);
}

/** print_masked_u8/u16/be16/u32(…, newline = true). */
function printMasked(p: Printer, name: string, value: number | undefined, mask: number | undefined, max: number): void {
  if (value === undefined) return;
  const m = mask ?? max;
  p.string(FP, null, '%s  ', p.lineSep);
  p.uint(ANY, name, `${name} %u`, value);
  if (m !== max) p.hex(ANY, `${name}_mask`, '/0x%x', m);
}

/** flower_print_masked_u8() for ICMP (decimal mask). */
function printMaskedU8(p: Printer, name: string, value: number | undefined, mask: number | undefined): void {
  if (value === undefined) return;
  const m = mask ?? 0xff;
  indentNameValue(p, name, m !== 0xff ? `${value}/${m}` : `${value}`);
}

function ipProtoName(v: number): string {
  switch (v) {
    case IPPROTO.TCP: return 'tcp';
    case IPPROTO.UDP: return 'udp';
    case IPPROTO.SCTP: return 'sctp';
    case IPPROTO.ICMP: return 'icmp';
    case IPPROTO.ICMPV6: return 'icmpv6';
    default: return v.toString(16).padStart(2, '0');
  }
}

function ethTypeName(v: number): string {
  if (v === ETH_P.IP) return 'ipv4';
  if (v === ETH_P.IPV6) return 'ipv6';
  if (v === ETH_P.ARP) return 'arp';
  if (v === ETH_P.RARP) return 'rarp';
  return v.toString(16).padStart(4, '0');
}

/** flower_print_opt() */
function print(p: Printer, o: FlowerOptions, handle: number, env: FilterEnv): void {
  if (handle) p.uint(ANY, 'handle', 'handle 0x%x ', handle);
  if (o.classid !== undefined) {
    const min = o.classid & 0xffff;
    if (min < 0xffe0 || min > 0xffe0 + 15) p.string(ANY, 'classid', 'classid %s ', formatClassid(o.classid));
    else p.uint(ANY, 'hw_tc', 'hw_tc %u ', min - 0xffe0);
  }
  if (o.indev !== undefined) {
    p.nl();
    p.string(ANY, 'indev', '  indev %s', o.indev);
  }
  p.openObject('keys');
  if (o.num_of_vlans !== undefined) { p.nl(); p.uint(ANY, 'num_of_vlans', '  num_of_vlans %d', o.num_of_vlans); }
  if (o.vlan_id !== undefined) { p.nl(); p.uint(ANY, 'vlan_id', '  vlan_id %u', o.vlan_id); }
  if (o.vlan_prio !== undefined) { p.nl(); p.uint(ANY, 'vlan_prio', '  vlan_prio %d', o.vlan_prio); }
  if (o.vlan_eth_type !== undefined) { p.nl(); p.string(ANY, 'vlan_ethtype', '  vlan_ethtype %s', llProtoName(o.vlan_eth_type)); }
  if (o.cvlan_id !== undefined) { p.nl(); p.uint(ANY, 'cvlan_id', '  cvlan_id %u', o.cvlan_id); }
  if (o.cvlan_prio !== undefined) { p.nl(); p.uint(ANY, 'cvlan_prio', '  cvlan_prio %d', o.cvlan_prio); }
  if (o.cvlan_eth_type !== undefined) { p.nl(); p.string(ANY, 'cvlan_ethtype', '  cvlan_ethtype %s', llProtoName(o.cvlan_eth_type)); }
  printEthAddr(p, 'dst_mac', o.eth_dst, o.eth_dst_mask);
  printEthAddr(p, 'src_mac', o.eth_src, o.eth_src_mask);
  let ethType = 0;
  if (o.eth_type !== undefined) {
    p.nl();
    p.string(ANY, 'eth_type', '  eth_type %s', ethTypeName(o.eth_type));
    ethType = o.eth_type;
  }
  let ipProto = 0xff;
  if (o.ip_proto !== undefined) {
    p.nl();
    p.string(ANY, 'ip_proto', '  ip_proto %s', ipProtoName(o.ip_proto));
    ipProto = o.ip_proto;
  }
  printMasked(p, 'ip_tos', o.ip_tos, o.ip_tos_mask, 0xff);
  printMasked(p, 'ip_ttl', o.ip_ttl, o.ip_ttl_mask, 0xff);
  if (ethType === ETH_P.IP) {
    printIpAddr(p, 'dst_ip', o.ipv4_dst, o.ipv4_dst_mask, false);
    printIpAddr(p, 'src_ip', o.ipv4_src, o.ipv4_src_mask, false);
  } else if (ethType === ETH_P.IPV6) {
    printIpAddr(p, 'dst_ip', o.ipv6_dst, o.ipv6_dst_mask, true);
    printIpAddr(p, 'src_ip', o.ipv6_src, o.ipv6_src_mask, true);
  }
  const proto = ipProto === IPPROTO.TCP ? 'tcp' : ipProto === IPPROTO.UDP ? 'udp' : ipProto === IPPROTO.SCTP ? 'sctp' : undefined;
  if (proto) {
    printMasked(p, 'dst_port', o[`${proto}_dst`], o[`${proto}_dst_mask`], 0xffff);
    printMasked(p, 'src_port', o[`${proto}_src`], o[`${proto}_src_mask`], 0xffff);
    for (const end of ['dst', 'src'] as const) {
      const min = o[`port_${end}_min`];
      const max = o[`port_${end}_max`];
      if (min === undefined || max === undefined) continue;
      if (p.inJson) {
        p.openObject(`${end}_port`);
        p.uint(JSON_ONLY, 'start', '', min);
        p.uint(JSON_ONLY, 'end', '', max);
        p.closeObject();
      } else indentNameValue(p, `${end}_port`, `${min}-${max}`);
    }
  }
  if (o.tcp_flags !== undefined) {
    indentNameValue(p, 'tcp_flags', `0x${o.tcp_flags.toString(16)}${o.tcp_flags_mask !== undefined ? `/${o.tcp_flags_mask.toString(16)}` : ''}`);
  }
  if (ethType === ETH_P.IP && ipProto === IPPROTO.ICMP) {
    printMaskedU8(p, 'icmp_type', o.icmpv4_type, o.icmpv4_type_mask);
    printMaskedU8(p, 'icmp_code', o.icmpv4_code, o.icmpv4_code_mask);
  } else if (ethType === ETH_P.IPV6 && ipProto === IPPROTO.ICMPV6) {
    printMaskedU8(p, 'icmp_type', o.icmpv6_type, o.icmpv6_type_mask);
    printMaskedU8(p, 'icmp_code', o.icmpv6_code, o.icmpv6_code_mask);
  }
  if (o.enc_ipv4_dst_mask !== undefined) printIpAddr(p, 'enc_dst_ip', o.enc_ipv4_dst, o.enc_ipv4_dst_mask, false);
  else printIpAddr(p, 'enc_dst_ip', o.enc_ipv6_dst, o.enc_ipv6_dst_mask, true);
  if (o.enc_ipv4_src_mask !== undefined) printIpAddr(p, 'enc_src_ip', o.enc_ipv4_src, o.enc_ipv4_src_mask, false);
  else printIpAddr(p, 'enc_src_ip', o.enc_ipv6_src, o.enc_ipv6_src_mask, true);
  if (o.enc_key_id !== undefined) {
    p.nl();
    p.string(FP, null, '  ', null);
    p.uint(ANY, 'enc_key_id', 'enc_key_id %u', o.enc_key_id);
  }
  printMasked(p, 'enc_dst_port', o.enc_udp_dst_port, o.enc_udp_dst_port_mask, 0xffff);
  printMasked(p, 'enc_tos', o.enc_ip_tos, o.enc_ip_tos_mask, 0xff);
  printMasked(p, 'enc_ttl', o.enc_ip_ttl, o.enc_ip_ttl_mask, 0xff);
  if (o.key_flags !== undefined && o.key_flags_mask !== undefined) {
    let count = 0;
    for (const [n, f] of IP_FLAGS) {
      if (!(o.key_flags_mask & f)) continue;
      if (++count === 1) {
        p.nl();
        p.string(FP, null, '  %s ', 'ip_flags');
        p.openObject('ip_flags');
      } else p.string(FP, null, '/', null);
      p.bool(JSON_ONLY, n, '', !!(o.key_flags & f));
      p.string(FP, null, '%s', o.key_flags & f ? n : `no${n}`);
    }
    if (count) p.closeObject();
  }
  if (o.ct_state !== undefined) {
    const mask = o.ct_state_mask ?? 0xffff;
    let out = '';
    for (const [n, f] of CT_STATES) if (mask & f) out += `${o.ct_state & f ? '+' : '-'}${n}`;
    p.nl();
    p.string(ANY, 'ct_state', '  ct_state %s', out);
  }
  printMasked(p, 'ct_zone', o.ct_zone, o.ct_zone_mask, 0xffff);
  printMasked(p, 'ct_mark', o.ct_mark, o.ct_mark_mask, 0xffffffff);
  p.closeObject();
  if (o.flags !== undefined) {
    const f = o.flags;
    if (f & TCA_CLS_FLAGS.SKIP_HW) { p.nl(); p.bool(ANY, 'skip_hw', '  skip_hw', true); }
    if (f & TCA_CLS_FLAGS.SKIP_SW) { p.nl(); p.bool(ANY, 'skip_sw', '  skip_sw', true); }
    if (f & TCA_CLS_FLAGS.IN_HW) {
      p.nl();
      p.bool(ANY, 'in_hw', '  in_hw', true);
      if (o.in_hw_count !== undefined) p.uint(ANY, 'in_hw_count', ' in_hw_count %u', o.in_hw_count);
    } else if (f & TCA_CLS_FLAGS.NOT_IN_HW) {
      p.nl();
      p.bool(ANY, 'not_in_hw', '  not_in_hw', true);
    }
  }
  if (o.act) printActions(p, o.act, env);
}

registerFilterKind<FlowerOptions>({ kind: 'flower', options: flowerAttrs, parse, print });

// ---------------------------------------------------------------- builder

/** What {@link flower} takes. Ports are numbers or `[min, max]` ranges. */
export interface FlowerSpec {
  /** The filter's protocol (ETH_P_*); tc sends it as the eth_type key unless it is `all`. */
  readonly ethType?: number;
  readonly indev?: string;
  readonly vlanId?: number;
  readonly vlanPrio?: number;
  readonly vlanEthType?: number;
  readonly dstMac?: string;
  readonly srcMac?: string;
  readonly ipProto?: 'tcp' | 'udp' | 'sctp' | 'icmp' | 'icmpv6' | number;
  /** `10.0.0.0/8`, `2001:db8::1`, … */
  readonly dstIp?: string;
  readonly srcIp?: string;
  readonly dstPort?: number | readonly [number, number];
  readonly srcPort?: number | readonly [number, number];
  readonly ipFlags?: { readonly frag?: boolean; readonly firstfrag?: boolean };
  readonly classid?: HandleLike;
  readonly skipHw?: boolean;
  readonly skipSw?: boolean;
  readonly actions?: readonly Action[];
}

/** Build flower options with tc's attributes and order (classid, keys, actions, flags, eth_type). */
export function flower(spec: FlowerSpec): FlowerOptions {
  const o: FlowerOptions = {};
  if (spec.classid !== undefined) o.classid = toHandle(spec.classid, 'classid');
  if (spec.indev !== undefined) o.indev = spec.indev;
  if (spec.vlanId !== undefined) o.vlan_id = spec.vlanId;
  if (spec.vlanPrio !== undefined) o.vlan_prio = spec.vlanPrio;
  if (spec.vlanEthType !== undefined) o.vlan_eth_type = spec.vlanEthType;
  for (const [mac, dst] of [[spec.dstMac, true], [spec.srcMac, false]] as const) {
    if (mac === undefined) continue;
    const r = parseEthAddr(mac);
    if (!r) throw new RangeError(`flower: invalid MAC "${mac}"`);
    if (dst) [o.eth_dst, o.eth_dst_mask] = r; else [o.eth_src, o.eth_src_mask] = r;
  }
  let proto = 0xff;
  if (spec.ipProto !== undefined) {
    proto = typeof spec.ipProto === 'number' ? spec.ipProto : IPPROTO[spec.ipProto.toUpperCase() as keyof typeof IPPROTO];
    o.ip_proto = proto;
  }
  for (const [ip, dst] of [[spec.dstIp, true], [spec.srcIp, false]] as const) {
    if (ip === undefined) continue;
    const r = parsePrefix(ip, 0);
    if (!r) throw new RangeError(`flower: invalid prefix "${ip}"`);
    const base = `${r.v6 ? 'ipv6' : 'ipv4'}_${dst ? 'dst' : 'src'}` as 'ipv4_dst';
    o[base] = r.addr;
    o[`${base}_mask`] = r.mask;
  }
  for (const [port, dst] of [[spec.dstPort, true], [spec.srcPort, false]] as const) {
    if (port === undefined) continue;
    const text = typeof port === 'number' ? String(port) : `${port[0]}-${port[1]}`;
    if (!parsePort(text, proto, dst, o)) throw new RangeError(`flower: port ${text} needs ipProto tcp, udp or sctp`);
  }
  if (spec.actions?.length) o.act = [...spec.actions];
  o.flags = (spec.skipHw ? TCA_CLS_FLAGS.SKIP_HW : 0) | (spec.skipSw ? TCA_CLS_FLAGS.SKIP_SW : 0);
  if (spec.ipFlags) {
    let v = 0, m = 0;
    for (const [n, f] of IP_FLAGS) {
      const x = spec.ipFlags[n as 'frag'];
      if (x === undefined) continue;
      m |= f;
      if (x) v |= f;
    }
    if (m) { o.key_flags = v; o.key_flags_mask = m; }
  }
  if (spec.ethType !== undefined && spec.ethType !== ETH_P.ALL) o.eth_type = spec.ethType;
  return o;
}
