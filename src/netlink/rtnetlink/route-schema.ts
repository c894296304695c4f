/**
 * RTM_*ROUTE message schema (linux/rtnetlink.h, linux/lwtunnel.h,
 * linux/mpls_iptunnel.h): RTA_* attributes, the RTAX_* metrics nest, the
 * rtnexthop list of RTA_MULTIPATH, struct rta_cacheinfo, struct rtvia and
 * the lightweight-tunnel (RTA_ENCAP) schemas.
 *
 * ```ts
 * const { header, attrs } = routeMessage.decode(m.buf, m.off, m.len);
 * attrs.gateway;            // '192.0.2.1'
 * attrs.metrics?.mtu;       // 1400
 * ```
 * @module
 */
import {
  attrs, attr, u8, u16, u32, s32, be16, ipaddr, struct, message, flag,
  type Codec, type Infer, type AttrSet,
} from '../codec/schema.js';
import { ParseError } from '../codec/errors.js';
import { constants } from '../constants.js';
import { LWTUNNEL_ENCAP, lwtunnelSchemas } from './lwtunnel-schema.js';
import { rtmsg } from '../structs.js';
import { formatAddress, parseAddress } from '../addr.js';
import { align4 } from '../codec/writer.js';

const RT = ['linux/rtnetlink.h'];

/** RTA_* route attributes. */
export const RTA = constants('RTA_', RT, {
  UNSPEC: 0, DST: 1, SRC: 2, IIF: 3, OIF: 4, GATEWAY: 5, PRIORITY: 6, PREFSRC: 7, METRICS: 8,
  MULTIPATH: 9, PROTOINFO: 10, FLOW: 11, CACHEINFO: 12, SESSION: 13, MP_ALGO: 14, TABLE: 15,
  MARK: 16, MFC_STATS: 17, VIA: 18, NEWDST: 19, PREF: 20, ENCAP_TYPE: 21, ENCAP: 22, EXPIRES: 23,
  PAD: 24, UID: 25, TTL_PROPAGATE: 26, IP_PROTO: 27, SPORT: 28, DPORT: 29, NH_ID: 30,
});

/** RTAX_* metrics (inside RTA_METRICS). */
export const RTAX = constants('RTAX_', RT, {
  UNSPEC: 0, LOCK: 1, MTU: 2, WINDOW: 3, RTT: 4, RTTVAR: 5, SSTHRESH: 6, CWND: 7, ADVMSS: 8,
  REORDERING: 9, HOPLIMIT: 10, INITCWND: 11, FEATURES: 12, RTO_MIN: 13, INITRWND: 14,
  QUICKACK: 15, CC_ALGO: 16, FASTOPEN_NO_COOKIE: 17,
});

/** RTAX_FEATURE_* bits of the `features` metric. */
export const RTAX_FEATURE = constants('RTAX_FEATURE_', RT, { ECN: 1, SACK: 2, TIMESTAMP: 4, ALLFRAG: 8 });

/** Route types (rtm_type). */
export const RTN = constants('RTN_', RT, {
  UNSPEC: 0, UNICAST: 1, LOCAL: 2, BROADCAST: 3, ANYCAST: 4, MULTICAST: 5, BLACKHOLE: 6,
  UNREACHABLE: 7, PROHIBIT: 8, THROW: 9, NAT: 10, XRESOLVE: 11,
});

/** Route origins (rtm_protocol) the kernel header names. */
export const RTPROT = constants('RTPROT_', RT, {
  UNSPEC: 0, REDIRECT: 1, KERNEL: 2, BOOT: 3, STATIC: 4, GATED: 8, RA: 9, MRT: 10, ZEBRA: 11,
  BIRD: 12, DNROUTED: 13, XORP: 14, NTK: 15, DHCP: 16, MROUTED: 17, KEEPALIVED: 18, BABEL: 42,
  OPENR: 99, BGP: 186, ISIS: 187, OSPF: 188, RIP: 189, EIGRP: 192,
});

/** Route scopes (rtm_scope). */
export const RT_SCOPE = constants('RT_SCOPE_', RT, { UNIVERSE: 0, SITE: 200, LINK: 253, HOST: 254, NOWHERE: 255 });

/** Reserved routing table ids. */
export const RT_TABLE = constants('RT_TABLE_', RT, { UNSPEC: 0, COMPAT: 252, DEFAULT: 253, MAIN: 254, LOCAL: 255 });

/** rtm_flags bits. */
export const RTM_F = constants('RTM_F_', RT, {
  NOTIFY: 0x100, CLONED: 0x200, EQUALIZE: 0x400, PREFIX: 0x800, LOOKUP_TABLE: 0x1000,
  FIB_MATCH: 0x2000, OFFLOAD: 0x4000, TRAP: 0x8000, OFFLOAD_FAILED: 0x20000000,
});

/** Next-hop flags (rtnh_flags, and the low byte of rtm_flags). */
export const RTNH_F = constants('RTNH_F_', RT, {
  DEAD: 1, PERVASIVE: 2, ONLINK: 4, OFFLOAD: 8, LINKDOWN: 16, UNRESOLVED: 32, TRAP: 64,
});

/** Lightweight tunnel encapsulation types (RTA_ENCAP_TYPE), defined with their schemas. */
export { LWTUNNEL_ENCAP };

/** MPLS_IPTUNNEL_* (inside RTA_ENCAP when the encap type is MPLS). */
export const MPLS_IPTUNNEL = constants('MPLS_IPTUNNEL_', ['linux/mpls_iptunnel.h'], { UNSPEC: 0, DST: 1, TTL: 2 });

/** IPv6 router preference (RTA_PREF), linux/icmpv6.h. */
export const ICMPV6_ROUTER_PREF = constants('ICMPV6_ROUTER_PREF_', ['linux/icmpv6.h'], {
  LOW: 3, MEDIUM: 0, HIGH: 1, INVALID: 2,
});

// ---------------------------------------------------------------- leaf codecs

/**
 * A string sent without its NUL (iproute2 sends RTAX_CC_ALGO with strlen,
 * the kernel answers with a NUL): decoding stops at a NUL if there is one.
 */
export const bareString: Codec<string> = {
  name: 'bare string',
  encode(w, v) { w.bytes(Buffer.from(v, 'utf8')); },
  decode(buf, off, len) {
    const end = buf.indexOf(0, off);
    return buf.toString('utf8', off, end >= 0 && end < off + len ? end : off + len);
  },
  arbitrary: (rng) => {
    let s = '';
    const n = 1 + rng.int(12);
    for (let i = 0; i < n; i++) s += String.fromCharCode(0x61 + rng.int(26));
    return s;
  },
};

/** MPLS label stack bits (linux/mpls.h). */
const MPLS_LS_LABEL_SHIFT = 12;
const MPLS_LS_S_MASK = 0x100;

/**
 * An MPLS label stack as iproute2 writes it (`100/200/300`) ↔ 4 bytes per
 * label (label << 12, bottom-of-stack bit on the last), big-endian.
 */
export const mplsLabels: Codec<string> = {
  name: 'mpls labels',
  encode(w, v) {
    const labels = parseMplsLabels(v);
    if (!labels) throw new TypeError(`invalid MPLS label stack "${v}"`);
    labels.forEach((l, i) => {
      w.ensure(4);
      w.buf.writeUInt32BE(((l << MPLS_LS_LABEL_SHIFT) | (i === labels.length - 1 ? MPLS_LS_S_MASK : 0)) >>> 0, w.offset);
      w.offset += 4;
    });
  },
  decode(buf, off, len) { return formatMplsLabels(buf, off, len); },
  arbitrary: (rng) => {
    const n = 1 + rng.int(3);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(16 + rng.int(0xfffff - 16));
    return out.join('/');
  },
};

/** Parse `L1/L2/…` (each 0..2^20-1, as mpls_pton: strtoul base 0); null if malformed. */
export function parseMplsLabels(s: string): number[] | null {
  const parts = s.split('/');
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(p)) return null;
    const n = Number(p.startsWith('0') && !/^0[xX]/.test(p) && p.length > 1 ? parseInt(p, 8) : p);
    if (!Number.isInteger(n) || n > 0xfffff) return null;
    out.push(n);
  }
  return out.length ? out : null;
}

/** Format a label stack like iproute2's mpls_ntop: labels up to the bottom-of-stack, joined by '/'. */
export function formatMplsLabels(buf: Buffer, off: number, len: number): string {
  let s = '';
  for (let p = off; p + 4 <= off + len; p += 4) {
    const entry = buf.readUInt32BE(p);
    s += (s ? '/' : '') + String(entry >>> MPLS_LS_LABEL_SHIFT);
    if (entry & MPLS_LS_S_MASK) break;
  }
  return s;
}

/** struct rtvia: an address of another family (e.g. an IPv6 gateway of an IPv4 route). */
export interface RtVia {
  /** AF_INET, AF_INET6, AF_MPLS, AF_PACKET… */
  family: number;
  /** The address: IPv4/IPv6 text, MPLS labels, or hex bytes for other families. */
  host: string;
}

/** RTA_VIA: u16 family, then the address bytes. */
export const rtvia: Codec<RtVia> = {
  name: 'rtvia',
  encode(w, v) {
    w.u16(v.family);
    if (v.family === 28) { mplsLabels.encode(w, v.host, {}); return; }
    const b = parseAddress(v.host);
    if (!b) throw new TypeError(`invalid via address "${v.host}"`);
    w.bytes(b);
  },
  decode(buf, off, len) {
    if (len < 2) throw new ParseError(`rtvia needs 2 bytes, got ${len}`, off);
    const family = buf.readUInt16LE(off);
    const host = family === 28 ? formatMplsLabels(buf, off + 2, len - 2) : formatAddress(buf, off + 2, len - 2);
    return { family, host };
  },
  arbitrary: (rng) => (rng.bool()
    ? { family: 10, host: formatAddress(rng.bytes(16)) }
    : { family: 2, host: formatAddress(rng.bytes(4)) }),
};

/** struct rta_cacheinfo (times in clock ticks of USER_HZ, as the kernel reports them). */
export const rtaCacheinfo = struct('rta_cacheinfo', {
  clntref: u32, lastuse: u32, expires: s32, error: u32, used: u32, id: u32, ts: u32, tsage: u32,
});
export type RtaCacheinfo = Infer<typeof rtaCacheinfo>;

// ---------------------------------------------------------------- metrics

/** RTA_METRICS: RTAX_* attributes. Times (rtt, rttvar, rto_min) are in the kernel's units. */
export const metricsAttrs = attrs('RTA_METRICS', {
  lock: attr(RTAX.LOCK, u32),
  mtu: attr(RTAX.MTU, u32),
  window: attr(RTAX.WINDOW, u32),
  rtt: attr(RTAX.RTT, u32),
  rttvar: attr(RTAX.RTTVAR, u32),
  ssthresh: attr(RTAX.SSTHRESH, u32),
  cwnd: attr(RTAX.CWND, u32),
  advmss: attr(RTAX.ADVMSS, u32),
  reordering: attr(RTAX.REORDERING, u32),
  hoplimit: attr(RTAX.HOPLIMIT, u32),
  initcwnd: attr(RTAX.INITCWND, u32),
  features: attr(RTAX.FEATURES, u32),
  rto_min: attr(RTAX.RTO_MIN, u32),
  initrwnd: attr(RTAX.INITRWND, u32),
  quickack: attr(RTAX.QUICKACK, u32),
  congctl: attr(RTAX.CC_ALGO, bareString),
  fastopen_no_cookie: attr(RTAX.FASTOPEN_NO_COOKIE, u32),
});
export type MetricsAttrs = Infer<typeof metricsAttrs>;

// ---------------------------------------------------------------- encap

/** MPLS encapsulation (LWTUNNEL_ENCAP_MPLS). */
export const mplsEncapAttrs = attrs('MPLS_IPTUNNEL', {
  dst: attr(MPLS_IPTUNNEL.DST, mplsLabels),
  ttl: attr(MPLS_IPTUNNEL.TTL, u8),
});

/** Encap type names as iproute2's format_encap_type/read_encap_type. */
export const ENCAP_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'none', 1: 'mpls', 2: 'ip', 3: 'ila', 4: 'ip6', 5: 'seg6', 6: 'bpf', 7: 'seg6local', 8: 'rpl', 9: 'ioam6', 10: 'xfrm',
};

/** RTA_ENCAP payload schemas by encap type; types without one are kept as raw bytes. */
export const encapSchemas = new Map<number, AttrSet<Record<string, unknown>>>([
  [LWTUNNEL_ENCAP.MPLS, mplsEncapAttrs as unknown as AttrSet<Record<string, unknown>>],
  ...lwtunnelSchemas,
]);

/**
 * RTA_ENCAP. The kernel (and iproute2) put RTA_ENCAP *before* RTA_ENCAP_TYPE
 * on the wire, so the payload cannot be decoded with a {@link variant} keyed
 * by the type (the key comes second). Encoding picks the schema from the
 * sibling `encap_type` (the whole object is known); decoding keeps the nest's
 * bytes, and {@link decodeEncap} reads them once the type is known.
 */
export const encapNest: Codec<Record<string, unknown> | Buffer> = {
  name: 'RTA_ENCAP',
  encode(w, v, ctx) {
    if (Buffer.isBuffer(v)) { w.bytes(v); return; }
    const t = ctx['encap_type'];
    const schema = typeof t === 'number' ? encapSchemas.get(t) : undefined;
    if (!schema) throw new TypeError(`RTA_ENCAP: no schema for encap type ${String(t)}; pass a Buffer`);
    schema.encode(w, v, ctx);
  },
  decode(buf, off, len) { return Buffer.from(buf.subarray(off, off + len)); },
  arbitrary: (rng) => rng.bytes(4 * rng.int(4)),
};

/** Decode an RTA_ENCAP payload of encap type `type` (raw bytes back when no schema is known). */
export function decodeEncap(type: number, raw: Buffer): Record<string, unknown> | Buffer {
  const schema = encapSchemas.get(type);
  return schema ? schema.decode(raw, 0, raw.length, {}) : raw;
}

// ---------------------------------------------------------------- multipath

/** Attributes inside one rtnexthop of RTA_MULTIPATH. */
export const nexthopAttrs = attrs('rtnexthop', {
  gateway: attr(RTA.GATEWAY, ipaddr),
  via: attr(RTA.VIA, rtvia),
  flow: attr(RTA.FLOW, u32),
  newdst: attr(RTA.NEWDST, ipaddr),
  encap: attr(RTA.ENCAP, encapNest, 0x8000),
  encap_type: attr(RTA.ENCAP_TYPE, u16),
});
export type NexthopAttrs = Infer<typeof nexthopAttrs>;

/** One element of RTA_MULTIPATH: struct rtnexthop (without its length) plus attributes. */
export interface RtNexthop {
  /** RTNH_F_* flags. */
  flags: number;
  /** Weight minus one (rtnh_hops). */
  hops: number;
  ifindex: number;
  attrs: NexthopAttrs;
}

const RTNH_SIZE = 8;

/** RTA_MULTIPATH: back-to-back struct rtnexthop, each followed by its attributes. */
export const multipath: Codec<RtNexthop[]> = {
  name: 'RTA_MULTIPATH',
  encode(w, v, ctx) {
    for (const nh of v) {
      w.pad4();
      const start = w.offset;
      w.ensure(RTNH_SIZE);
      w.buf.writeUInt16LE(0, start);
      w.buf[start + 2] = nh.flags & 0xff;
      w.buf[start + 3] = nh.hops & 0xff;
      w.buf.writeInt32LE(nh.ifindex | 0, start + 4);
      w.offset += RTNH_SIZE;
      nexthopAttrs.encode(w, nh.attrs, ctx);
      w.buf.writeUInt16LE(w.offset - start, start);
    }
  },
  decode(buf, off, len, ctx) {
    const out: RtNexthop[] = [];
    const end = off + len;
    let p = off;
    while (end - p >= RTNH_SIZE) {
      const nlen = buf.readUInt16LE(p);
      if (nlen < RTNH_SIZE || nlen > end - p) throw new ParseError(`rtnexthop has bad length ${nlen}`, p, ['RTA_MULTIPATH']);
      out.push({
        flags: buf[p + 2]!,
        hops: buf[p + 3]!,
        ifindex: buf.readInt32LE(p + 4),
        attrs: nexthopAttrs.decode(buf, p + RTNH_SIZE, nlen - RTNH_SIZE, ctx),
      });
      p += align4(nlen);
    }
    return out;
  },
  arbitrary(rng, ctx) {
    const n = 1 + rng.int(3);
    const out: RtNexthop[] = [];
    for (let i = 0; i < n; i++) {
      const a: NexthopAttrs = {};
      if (rng.bool()) a.gateway = formatAddress(rng.bytes(4));
      if (rng.bool()) a.flow = rng.int(1 << 30);
      out.push({ flags: rng.int(256), hops: rng.int(256), ifindex: 1 + rng.int(1000), attrs: a });
    }
    void ctx;
    return out;
  },
};

// ---------------------------------------------------------------- the message

/** RTM_*ROUTE attributes. Key names follow `ip -j route` where it has one. */
export const routeAttrs = attrs('RTA', {
  dst: attr(RTA.DST, ipaddr),
  src: attr(RTA.SRC, ipaddr),
  iif: attr(RTA.IIF, u32),
  oif: attr(RTA.OIF, u32),
  gateway: attr(RTA.GATEWAY, ipaddr),
  priority: attr(RTA.PRIORITY, u32),
  prefsrc: attr(RTA.PREFSRC, ipaddr),
  metrics: attr(RTA.METRICS, metricsAttrs),
  multipath: attr(RTA.MULTIPATH, multipath),
  flow: attr(RTA.FLOW, u32),
  cacheinfo: attr(RTA.CACHEINFO, rtaCacheinfo),
  table: attr(RTA.TABLE, u32),
  mark: attr(RTA.MARK, u32),
  via: attr(RTA.VIA, rtvia),
  newdst: attr(RTA.NEWDST, ipaddr),
  pref: attr(RTA.PREF, u8),
  encap_type: attr(RTA.ENCAP_TYPE, u16),
  encap: attr(RTA.ENCAP, encapNest, 0x8000),
  expires: attr(RTA.EXPIRES, u32),
  pad: attr(RTA.PAD, flag),
  uid: attr(RTA.UID, u32),
  ttl_propagate: attr(RTA.TTL_PROPAGATE, u8),
  ip_proto: attr(RTA.IP_PROTO, u8),
  sport: attr(RTA.SPORT, be16),
  dport: attr(RTA.DPORT, be16),
  nh_id: attr(RTA.NH_ID, u32),
});
export type RouteAttrs = Infer<typeof routeAttrs>;

/** struct rtmsg + RTA_* attributes. */
export const routeMessage = message('rtmsg', rtmsg, routeAttrs);
