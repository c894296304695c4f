/**
 * IP tunnel kinds: `gre`, `gretap`, `erspan` (ip/link_gre.c), `ip6gre`,
 * `ip6gretap`, `ip6erspan` (ip/link_gre6.c), `ipip`, `sit` (ip/link_iptnl.c),
 * `ip6tnl` (ip/link_ip6tnl.c), `vti`, `vti6` (ip/link_vti.c, link_vti6.c).
 *
 * Like iproute2 these emit every attribute: with its default on creation,
 * and for a change (`ip link set … type gre …`) with the tunnel's current
 * value, which iproute2 reads with RTM_GETLINK first (ctx.current here: the
 * link dump the command already made).
 * @module
 */
import { formatHost } from '../resolve.js';
import { CliError, invarg, matches } from '../../common/args.js';
import { getAddr, getPrefix, type InetPrefix } from '../inet-args.js';
import { dsfieldId } from '../rtnl-names.js';
import { formatAddress } from '../../../netlink/addr.js';
import { GRE_FLAGS, IP6_TNL_F, SIT, TUNNEL_ENCAP, TUNNEL_ENCAP_FLAG, greData, iptunData, ip6tnlData, vtiData } from '../../../netlink/rtnetlink/kinds/tunnel.js';
import { TUNNEL_USAGE, USAGE_VTI, USAGE_VTI6 } from './usage.js';
import type { AttrSet } from '../../../netlink/codec/schema.js';
import { fmtUsage, getU8, getU16, getU32, nextArg, type KindCli, type KindParseContext, type KindAttrs, type KindPrintContext } from './util.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../../output/printer.js';

const SIT_ISATAP = SIT.ISATAP;
const IPPROTO = { IPIP: 4, IPV6: 41, MPLS: 137 };

/** is_addrtype_inet_not_unspec(): an address given, and not 0.0.0.0 / ::. */
const isInet = (a: InetPrefix | undefined): a is InetPrefix => a !== undefined && !a.any && a.bytes.some((b) => b !== 0);
const isMulti = (a: InetPrefix): boolean => (a.family === 2 ? (a.bytes[0]! & 0xf0) === 0xe0 : a.bytes[0] === 0xff);
const text = (a: InetPrefix): string => formatAddress(a.bytes);

/**
 * The parse_opt() prologue of a change: the tunnel's current IFLA_INFO_DATA,
 * or iproute2's "Failed to get existing tunnel info." when the device has none
 * this kind could read (no data, another kind's attributes, or endpoint
 * addresses of the other family, which get_addr_rta() refuses).
 * Undefined on creation.
 */
function existing(ctx: KindParseContext, schema: AttrSet<unknown>, family: number, more: Readonly<Record<string, number>> = {}): KindAttrs | undefined {
  if (ctx.create) return undefined;
  const fail = (): never => { throw new CliError('Failed to get existing tunnel info.', 1); };
  const bytes = ctx.current;
  if (!bytes) return fail();
  // The addresses parse_opt() reads with get_addr_rta(), and their family.
  const addrFamily: Record<string, number> = { local: family, remote: family, ...more };
  // Attribute by attribute: the device may be of another kind, whose attributes iproute2 reads by
  // this kind's numbers all the same; only an endpoint address get_addr_rta() refuses stops it.
  const d: Record<string, unknown> = {};
  for (let p = 0; bytes.length - p >= 4;) {
    const len = bytes.readUInt16LE(p);
    if (len < 4 || len > bytes.length - p) break;
    const key = schema.nameOf(bytes.readUInt16LE(p + 2) & 0x3fff);
    if (key !== undefined) {
      try {
        d[key] = schema.fields[key]!.codec.decode(bytes, p + 4, len - 4, d);
      } catch {
        if (addrFamily[key] !== undefined) fail();
      }
    }
    p += (len + 3) & ~3;
  }
  for (const [key, fam] of Object.entries(addrFamily)) {
    const v = d[key];
    if (typeof v === 'string' && v.includes(':') !== (fam === 10)) fail();
  }
  return d;
}

/** A current endpoint address (decoded text) as the parser's InetPrefix. */
function addrOf(v: unknown, family: number): InetPrefix | undefined {
  return typeof v === 'string' ? getAddr(v, family) : undefined;
}

const num = (v: unknown, dflt: number): number => (typeof v === 'number' ? v : dflt);

function help(usage: string, kind: string): never {
  throw new CliError(fmtUsage(usage, kind).replace(/\n$/, ''), 1);
}

/** tnl_parse_key(): a number or a dotted quad; the value as the be32 codec takes it. */
function parseKey(name: string, key: string): number {
  if (key.includes('.')) {
    const a = getAddr(key, 2);
    if (a.any) throw new CliError(`Error: an IP address is expected rather than "${key}"`, 1);
    return a.bytes.readUInt32BE(0);
  }
  const v = getU32(key);
  if (v === undefined) throw new CliError(`invalid value for "${name}": "${key}"; it should be an unsigned integer`);
  return v;
}

/** Encapsulation options shared by every tunnel kind; true when `a` was one. */
function encapOption(args: string[], i: number, st: { encaptype: number; encapflags: number; sport: number; dport: number }): number {
  const a = args[i]!;
  if (a === 'noencap') { st.encaptype = TUNNEL_ENCAP.NONE; return 1; }
  if (a === 'encap') {
    const v = nextArg(args, i);
    if (v === 'fou') st.encaptype = TUNNEL_ENCAP.FOU;
    else if (v === 'gue') st.encaptype = TUNNEL_ENCAP.GUE;
    else if (v === 'none') st.encaptype = TUNNEL_ENCAP.NONE;
    else invarg('Invalid encap type.', v);
    return 2;
  }
  if (a === 'encap-sport') {
    const v = nextArg(args, i);
    const n = v === 'auto' ? 0 : getU16(v);
    if (n === undefined) invarg('Invalid source port.', v);
    st.sport = n;
    return 2;
  }
  if (a === 'encap-dport') {
    const v = nextArg(args, i);
    const n = getU16(v);
    if (n === undefined) invarg('Invalid destination port.', v);
    st.dport = n;
    return 2;
  }
  const flags: Record<string, [number, boolean]> = {
    'encap-csum': [TUNNEL_ENCAP_FLAG.CSUM, true], 'noencap-csum': [TUNNEL_ENCAP_FLAG.CSUM, false],
    'encap-udp6-csum': [TUNNEL_ENCAP_FLAG.CSUM6, true], 'noencap-udp6-csum': [TUNNEL_ENCAP_FLAG.CSUM6, false],
    'encap-remcsum': [TUNNEL_ENCAP_FLAG.REMCSUM, true], 'noencap-remcsum': [TUNNEL_ENCAP_FLAG.REMCSUM, false],
  };
  const f = flags[a];
  if (f) { if (f[1]) st.encapflags |= f[0]; else st.encapflags &= ~f[0]; return 1; }
  return 0;
}

/** key/seq/csum keywords of GRE; returns tokens consumed (0 if not one). */
function greKeyOption(args: string[], i: number, st: { iflags: number; oflags: number; ikey: number; okey: number }): number {
  const a = args[i]!;
  const { KEY, SEQ, CSUM } = GRE_FLAGS;
  if (matches(a, 'key')) { const v = nextArg(args, i); st.iflags |= KEY; st.oflags |= KEY; st.ikey = st.okey = parseKey('key', v); return 2; }
  if (matches(a, 'nokey')) { st.iflags &= ~KEY; st.oflags &= ~KEY; st.ikey = st.okey = 0; return 1; }
  if (matches(a, 'ikey')) { const v = nextArg(args, i); st.iflags |= KEY; st.ikey = parseKey('ikey', v); return 2; }
  if (matches(a, 'noikey')) { st.iflags &= ~KEY; st.ikey = 0; return 1; }
  if (matches(a, 'okey')) { const v = nextArg(args, i); st.oflags |= KEY; st.okey = parseKey('okey', v); return 2; }
  if (matches(a, 'nookey')) { st.oflags &= ~KEY; st.okey = 0; return 1; }
  const both: Array<[string, number, 'i' | 'o' | 'io', boolean]> = [
    ['seq', SEQ, 'io', true], ['noseq', SEQ, 'io', false], ['iseq', SEQ, 'i', true], ['noiseq', SEQ, 'i', false],
    ['oseq', SEQ, 'o', true], ['nooseq', SEQ, 'o', false], ['csum', CSUM, 'io', true], ['nocsum', CSUM, 'io', false],
    ['icsum', CSUM, 'i', true], ['noicsum', CSUM, 'i', false], ['ocsum', CSUM, 'o', true], ['noocsum', CSUM, 'o', false],
  ];
  for (const [kw, bit, which, on] of both) {
    if (!matches(a, kw)) continue;
    if (which.includes('i')) st.iflags = on ? st.iflags | bit : st.iflags & ~bit;
    if (which.includes('o')) st.oflags = on ? st.oflags | bit : st.oflags & ~bit;
    return 1;
  }
  return 0;
}

function gre(kind: string, v6: boolean): KindCli {
  const usage = TUNNEL_USAGE[kind]!;
  const erspan = kind.endsWith('erspan');
  return {
    usage,
    parse(args: string[], ctx: KindParseContext) {
      const k = { iflags: 0, oflags: 0, ikey: 0, okey: 0 };
      const e = { encaptype: 0, encapflags: v6 ? TUNNEL_ENCAP_FLAG.CSUM6 : 0, sport: 0, dport: 0 };
      let pmtudisc = 1, ignoreDf = 0, tos = 0, ttl = v6 ? 64 : 0, link = 0, metadata = false, fwmark = 0;
      let encapLimit = 4, flowinfo = 0, flags = 0;
      let erspanIdx = 0, erspanVer = 1, erspanDir = 0, erspanHwid = 0;
      let saddr: InetPrefix | undefined, daddr: InetPrefix | undefined;
      const fam = v6 ? 10 : 2;
      const cur = existing(ctx, greData, fam);
      if (cur) {
        saddr = addrOf(cur.local, fam); daddr = addrOf(cur.remote, fam);
        k.ikey = num(cur.ikey, 0); k.okey = num(cur.okey, 0); k.iflags = num(cur.iflags, 0); k.oflags = num(cur.oflags, 0);
        if (!v6) {
          pmtudisc = num(cur.pmtudisc, pmtudisc);
          ignoreDf = cur.ignore_df ? 1 : 0;
          tos = num(cur.tos, tos);
        } else {
          encapLimit = num(cur.encap_limit, encapLimit); flowinfo = num(cur.flowinfo, flowinfo); flags = num(cur.flags, flags);
        }
        ttl = num(cur.ttl, ttl); link = num(cur.link, link);
        // iproute2 reads the be16 ports as host-order numbers and sends them through htons() again,
        // which swaps their bytes; we keep the ports the tunnel has.
        e.encaptype = num(cur.encap_type, 0); e.encapflags = num(cur.encap_flags, 0);
        e.sport = num(cur.encap_sport, 0); e.dport = num(cur.encap_dport, 0);
        if (cur.collect_metadata) metadata = true;
        fwmark = num(cur.fwmark, 0);
        erspanIdx = num(cur.erspan_index, erspanIdx); erspanVer = num(cur.erspan_ver, erspanVer);
        erspanDir = num(cur.erspan_dir, erspanDir); erspanHwid = num(cur.erspan_hwid, erspanHwid);
      }
      for (let i = 0; i < args.length;) {
        const a = args[i]!;
        let n = greKeyOption(args, i, k);
        if (!n) {
          n = 1;
          if (!v6 && matches(a, 'nopmtudisc')) pmtudisc = 0;
          else if (!v6 && matches(a, 'pmtudisc')) pmtudisc = 1;
          else if (matches(a, 'remote')) { daddr = getAddr(nextArg(args, i), fam); n = 2; }
          else if (matches(a, 'local')) { saddr = getAddr(nextArg(args, i), fam); n = 2; }
          else if (matches(a, 'dev')) {
            const v = nextArg(args, i); n = 2;
            link = ctx.index(v);
            if (!link) throw new CliError(`Cannot find device "${v}"`, 255);
          } else if (matches(a, 'ttl') || matches(a, 'hoplimit') || matches(a, 'hlim')) {
            const v = nextArg(args, i); n = 2;
            if (v === 'inherit') ttl = 0;
            else { const t = getU8(v); if (t === undefined) invarg(v6 ? 'invalid HLIM\n' : 'invalid TTL\n', v); ttl = t; }
          } else if (matches(a, 'tos') || matches(a, 'tclass') || matches(a, 'dsfield')) {
            const v = nextArg(args, i); n = 2;
            if (v6) {
              flowinfo &= ~0x0ff00000;
              if (v === 'inherit') flags |= IP6_TNL_F.USE_ORIG_TCLASS;
              else {
                const t = getU8(v, 16);
                if (t === undefined) invarg('invalid TClass', v);
                flowinfo |= (t << 20) & 0x0ff00000;
                flags &= ~IP6_TNL_F.USE_ORIG_TCLASS;
              }
            } else if (v === 'inherit') tos = 1;
            else { const t = dsfieldId(v); if (t === undefined) invarg('bad TOS value', v); tos = t; }
          } else if (v6 && (a === 'flowlabel' || a === 'fl')) {
            const v = nextArg(args, i); n = 2;
            flowinfo &= ~0x000fffff;
            if (v === 'inherit') flags |= IP6_TNL_F.USE_ORIG_FLOWLABEL;
            else {
              const t = getU32(v, 16);
              if (t === undefined || t > 0xfffff) invarg('invalid Flowlabel', v);
              flowinfo |= t;
              flags &= ~IP6_TNL_F.USE_ORIG_FLOWLABEL;
            }
          } else if (v6 && a === 'dscp') {
            const v = nextArg(args, i); n = 2;
            if (v !== 'inherit') invarg('not inherit', v);
            flags |= IP6_TNL_F.RCV_DSCP_COPY;
          } else if (v6 && a === 'encaplimit') {
            const v = nextArg(args, i); n = 2;
            if (v === 'none') flags |= IP6_TNL_F.IGN_ENCAP_LIMIT;
            else { const t = getU8(v); if (t === undefined) invarg('invalid ELIM', v); encapLimit = t; flags &= ~IP6_TNL_F.IGN_ENCAP_LIMIT; }
          } else if ((n = encapOption(args, i, e))) {
            // consumed
          } else if (a === 'external') { metadata = true; n = 1; }
          else if (!v6 && a === 'ignore-df') { ignoreDf = 1; n = 1; }
          else if (!v6 && a === 'noignore-df') { ignoreDf = 2; n = 1; }
          else if (a === 'fwmark') {
            const v = nextArg(args, i); n = 2;
            if (v6 && v === 'inherit') { flags |= IP6_TNL_F.USE_ORIG_FWMARK; fwmark = 0; }
            else { const t = getU32(v); if (t === undefined) invarg('invalid fwmark\n', v); fwmark = t; if (v6) flags &= ~IP6_TNL_F.USE_ORIG_FWMARK; }
          } else if (v6 && a === 'allow-localremote') { flags |= IP6_TNL_F.ALLOW_LOCAL_REMOTE; n = 1; }
          else if (v6 && a === 'noallow-localremote') { flags &= ~IP6_TNL_F.ALLOW_LOCAL_REMOTE; n = 1; }
          else if ((erspan || v6) && a === 'erspan') {
            const v = nextArg(args, i); n = 2;
            const t = getU32(v);
            if (t === undefined) invarg('invalid erspan index\n', v);
            if (t & ~((1 << 20) - 1) || t === 0) invarg('erspan index must be > 0 and <= 20-bit\n', v);
            erspanIdx = t;
          } else if ((erspan || v6) && a === 'erspan_ver') {
            const v = nextArg(args, i); n = 2;
            const t = getU8(v);
            if (t === undefined) invarg('invalid erspan version\n', v);
            if (t > 2) invarg('erspan version must be 0/1/2\n', v);
            erspanVer = t;
          } else if ((erspan || v6) && a === 'erspan_dir') {
            const v = nextArg(args, i); n = 2;
            if (matches(v, 'ingress')) erspanDir = 0;
            else if (matches(v, 'egress')) erspanDir = 1;
            else invarg('Invalid erspan direction.', v);
          } else if ((erspan || v6) && a === 'erspan_hwid') {
            const v = nextArg(args, i); n = 2;
            const t = getU16(v);
            if (t === undefined) invarg('invalid erspan hwid\n', v);
            erspanHwid = t;
          } else help(usage, kind);
        }
        i += n;
      }
      if (!v6 && daddr && isInet(daddr) && isMulti(daddr)) {
        if (!k.ikey) { k.ikey = daddr.bytes.readUInt32BE(0); k.iflags |= GRE_FLAGS.KEY; }
        if (!k.okey) { k.okey = daddr.bytes.readUInt32BE(0); k.oflags |= GRE_FLAGS.KEY; }
        if (!isInet(saddr)) throw new CliError('A broadcast tunnel requires a source address.', 1);
      }
      const out: Record<string, unknown> = {};
      if (metadata) { out.collect_metadata = true; return out; }
      out.ikey = k.ikey; out.okey = k.okey; out.iflags = k.iflags; out.oflags = k.oflags;
      if (isInet(saddr)) out.local = text(saddr);
      if (isInet(daddr)) out.remote = text(daddr);
      if (!v6) {
        out.pmtudisc = pmtudisc;
        if (ignoreDf) out.ignore_df = ignoreDf & 1;
        out.tos = tos;
        if (link) out.link = link;
        out.ttl = ttl;
        out.fwmark = fwmark;
        if (erspan) {
          out.erspan_ver = erspanVer;
          if (erspanVer === 1 && erspanIdx !== 0) out.erspan_index = erspanIdx;
          else if (erspanVer === 2) { out.erspan_dir = erspanDir; out.erspan_hwid = erspanHwid; }
        }
      } else {
        if (link) out.link = link;
        out.ttl = ttl;
        out.encap_limit = encapLimit;
        out.flowinfo = flowinfo;
        out.flags = flags;
        out.fwmark = fwmark;
        if (erspanVer <= 2) {
          out.erspan_ver = erspanVer;
          if (erspanVer === 1 && erspanIdx !== 0) out.erspan_index = erspanIdx;
          else if (erspanVer === 2) { out.erspan_dir = erspanDir; out.erspan_hwid = erspanHwid; }
        }
      }
      out.encap_type = e.encaptype; out.encap_flags = e.encapflags; out.encap_sport = e.sport; out.encap_dport = e.dport;
      return out;
    },
  };
}

function iptnl(kind: 'ipip' | 'sit' | 'ip6tnl'): KindCli {
  const v6 = kind === 'ip6tnl';
  const usageText = TUNNEL_USAGE[kind]!;
  return {
    usage: usageText,
    parse(args, ctx) {
      const e = { encaptype: 0, encapflags: v6 ? TUNNEL_ENCAP_FLAG.CSUM6 : 0, sport: 0, dport: 0 };
      let pmtudisc = 1, tos = 0, ttl = v6 ? 64 : 0, proto = 0, link = 0, metadata = false, fwmark = 0, iflags = 0;
      let encapLimit = 4, flowinfo = 0, flags = 0;
      let saddr: InetPrefix | undefined, daddr: InetPrefix | undefined;
      let prefix6rd: InetPrefix | undefined, relay6rd: InetPrefix | undefined;
      const fam = v6 ? 10 : 2;
      const cur = v6 ? existing(ctx, ip6tnlData, fam) : existing(ctx, iptunData, fam, { '6rd_prefix': 10, '6rd_relay_prefix': 2 });
      if (cur) {
        saddr = addrOf(cur.local, fam); daddr = addrOf(cur.remote, fam);
        ttl = num(cur.ttl, ttl); link = num(cur.link, 0); proto = num(cur.proto, 0);
        if (cur.collect_metadata) metadata = true;
        fwmark = num(cur.fwmark, 0);
        if (!v6) {
          if (typeof cur['6rd_prefix'] === 'string') prefix6rd = getPrefix(`${cur['6rd_prefix']}/${num(cur['6rd_prefixlen'], 0)}`, 10);
          if (typeof cur['6rd_relay_prefix'] === 'string') relay6rd = getPrefix(`${cur['6rd_relay_prefix']}/${num(cur['6rd_relay_prefixlen'], 0)}`, 2);
          pmtudisc = num(cur.pmtudisc, pmtudisc); tos = num(cur.tos, tos); iflags = num(cur.flags, 0);
          // (ports: see gre above.) ip6tnl's parse_opt reads no encapsulation settings.
          e.encaptype = num(cur.encap_type, 0); e.encapflags = num(cur.encap_flags, 0);
          e.sport = num(cur.encap_sport, 0); e.dport = num(cur.encap_dport, 0);
        } else {
          encapLimit = num(cur.encap_limit, encapLimit); flowinfo = num(cur.flowinfo, flowinfo); flags = num(cur.flags, flags);
        }
      }
      for (let i = 0; i < args.length;) {
        const a = args[i]!;
        let n = 1;
        if (a === 'mode') {
          const v = nextArg(args, i); n = 2;
          const modes: Record<string, number> = v6
            ? { 'ipv6/ipv6': IPPROTO.IPV6, ip6ip6: IPPROTO.IPV6, 'ip/ipv6': IPPROTO.IPIP, 'ipv4/ipv6': IPPROTO.IPIP, ipip6: IPPROTO.IPIP, ip4ip6: IPPROTO.IPIP, 'any/ipv6': 0, any: 0 }
            : { 'ipv6/ipv4': IPPROTO.IPV6, ip6ip: IPPROTO.IPV6, 'ipv4/ipv4': IPPROTO.IPIP, ipip: IPPROTO.IPIP, ip4ip4: IPPROTO.IPIP, 'mpls/ipv4': IPPROTO.MPLS, mplsip: IPPROTO.MPLS, 'any/ipv4': 0, any: 0 };
          const p = modes[v];
          if (p === undefined) invarg('Cannot guess tunnel mode.', v);
          proto = p;
        } else if (a === 'remote') { daddr = getAddr(nextArg(args, i), fam); n = 2; }
        else if (a === 'local') { saddr = getAddr(nextArg(args, i), fam); n = 2; }
        else if (matches(a, 'dev')) {
          const v = nextArg(args, i); n = 2;
          link = ctx.index(v);
          if (!link) throw new CliError(`Cannot find device "${v}"`, 255);
        } else if (a === 'ttl' || a === 'hoplimit' || a === 'hlim') {
          const v = nextArg(args, i); n = 2;
          if (v === 'inherit') ttl = 0;
          else { const t = getU8(v); if (t === undefined) invarg(v6 ? 'invalid HLIM\n' : 'invalid TTL\n', v); ttl = t; }
        } else if (a === 'tos' || a === 'tclass' || a === 'tc' || matches(a, 'dsfield')) {
          const v = nextArg(args, i); n = 2;
          if (v6) {
            flowinfo &= ~0x0ff00000;
            if (v === 'inherit') flags |= IP6_TNL_F.USE_ORIG_TCLASS;
            else {
              const t = getU8(v, 16);
              if (t === undefined) invarg('invalid TClass', v);
              flowinfo |= (t << 20) & 0x0ff00000;
              flags &= ~IP6_TNL_F.USE_ORIG_TCLASS;
            }
          } else if (v === 'inherit') tos = 1;
          else { const t = dsfieldId(v); if (t === undefined) invarg('bad TOS value', v); tos = t; }
        } else if (v6 && a === 'encaplimit') {
          const v = nextArg(args, i); n = 2;
          if (v === 'none') flags |= IP6_TNL_F.IGN_ENCAP_LIMIT;
          else { const t = getU8(v); if (t === undefined) invarg('invalid ELIM', v); encapLimit = t; flags &= ~IP6_TNL_F.IGN_ENCAP_LIMIT; }
        } else if (v6 && (a === 'flowlabel' || a === 'fl')) {
          const v = nextArg(args, i); n = 2;
          flowinfo &= ~0x000fffff;
          if (v === 'inherit') flags |= IP6_TNL_F.USE_ORIG_FLOWLABEL;
          else {
            const t = getU32(v, 16);
            if (t === undefined || t > 0xfffff) invarg('invalid Flowlabel', v);
            flowinfo |= t; flags &= ~IP6_TNL_F.USE_ORIG_FLOWLABEL;
          }
        } else if (v6 && a === 'dscp') {
          const v = nextArg(args, i); n = 2;
          if (v !== 'inherit') invarg('not inherit', v);
          flags |= IP6_TNL_F.RCV_DSCP_COPY;
        } else if (v6 && a === 'allow-localremote') flags |= IP6_TNL_F.ALLOW_LOCAL_REMOTE;
        else if (v6 && a === 'noallow-localremote') flags &= ~IP6_TNL_F.ALLOW_LOCAL_REMOTE;
        else if (!v6 && a === 'nopmtudisc') pmtudisc = 0;
        else if (!v6 && a === 'pmtudisc') pmtudisc = 1;
        else if (kind === 'sit' && a === 'isatap') iflags |= SIT_ISATAP;
        else if ((n = encapOption(args, i, e))) { /* consumed */ }
        else if (a === 'external') { metadata = true; n = 1; }
        else if (kind === 'sit' && a === '6rd-prefix') {
          const v = nextArg(args, i); n = 2;
          prefix6rd = getPrefix(v, 10);
        } else if (kind === 'sit' && a === '6rd-relay_prefix') {
          const v = nextArg(args, i); n = 2;
          relay6rd = getPrefix(v, 2);
        } else if (kind === 'sit' && a === '6rd-reset') {
          prefix6rd = getPrefix('2002::/16', 10); relay6rd = undefined; n = 1;
        } else if (a === 'fwmark') {
          const v = nextArg(args, i); n = 2;
          if (v6 && v === 'inherit') { flags |= IP6_TNL_F.USE_ORIG_FWMARK; fwmark = 0; }
          else { const t = getU32(v); if (t === undefined) invarg('invalid fwmark\n', v); fwmark = t; if (v6) flags &= ~IP6_TNL_F.USE_ORIG_FWMARK; }
        } else throw new CliError(usageText.replace(/\n$/, ''), 1);
        i += n;
      }
      if (!v6 && ttl && pmtudisc === 0) throw new CliError('ttl != 0 and nopmtudisc are incompatible');
      const out: Record<string, unknown> = { proto };
      if (metadata) { out.collect_metadata = true; return out; }
      if (isInet(saddr)) out.local = text(saddr);
      if (isInet(daddr)) out.remote = text(daddr);
      if (!v6) {
        out.pmtudisc = pmtudisc; out.tos = tos; out.ttl = ttl;
      } else {
        out.ttl = ttl; out.encap_limit = encapLimit; out.flowinfo = flowinfo; out.flags = flags;
      }
      out.link = link; out.fwmark = fwmark;
      out.encap_type = e.encaptype; out.encap_flags = e.encapflags; out.encap_sport = e.sport; out.encap_dport = e.dport;
      if (kind === 'sit') {
        out.flags = iflags;
        // is_addrtype_inet(): a prefix read back as ::/0 is sent again too.
        if (prefix6rd && !prefix6rd.any) { out['6rd_prefix'] = text(prefix6rd); out['6rd_prefixlen'] = prefix6rd.bitlen; }
        if (relay6rd && !relay6rd.any) { out['6rd_relay_prefix'] = text(relay6rd); out['6rd_relay_prefixlen'] = relay6rd.bitlen; }
      }
      return out;
    },
  };
}

function vti(kind: 'vti' | 'vti6'): KindCli {
  const usage = kind === 'vti' ? USAGE_VTI : USAGE_VTI6;
  const fam = kind === 'vti' ? 2 : 10;
  return {
    usage,
    parse(args, ctx) {
      let ikey = 0, okey = 0, link = 0, fwmark = 0;
      let saddr: InetPrefix | undefined, daddr: InetPrefix | undefined;
      const cur = existing(ctx, vtiData, fam);
      if (cur) {
        saddr = addrOf(cur.local, fam); daddr = addrOf(cur.remote, fam);
        ikey = num(cur.ikey, 0); okey = num(cur.okey, 0); fwmark = num(cur.fwmark, 0);
        // iproute2 6.1 reads IFLA_VTI_LINK with rta_getattr_u8() (the index's low byte); we keep the whole index.
        link = num(cur.link, 0);
      }
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (matches(a, 'key')) ikey = okey = parseKey('key', nextArg(args, i++));
        else if (matches(a, 'ikey')) ikey = parseKey('ikey', nextArg(args, i++));
        else if (matches(a, 'okey')) okey = parseKey('okey', nextArg(args, i++));
        else if (matches(a, 'remote')) daddr = getAddr(nextArg(args, i++), fam);
        else if (matches(a, 'local')) saddr = getAddr(nextArg(args, i++), fam);
        else if (matches(a, 'dev')) {
          const v = nextArg(args, i++);
          link = ctx.index(v);
          if (!link) throw new CliError(`Cannot find device "${v}"`, 255);
        } else if (a === 'fwmark') {
          const v = nextArg(args, i++);
          const t = getU32(v);
          if (t === undefined) invarg('invalid fwmark\n', v);
          fwmark = t;
        } else help(usage, kind);
      }
      const out: Record<string, unknown> = { ikey, okey };
      if (isInet(saddr)) out.local = text(saddr);
      if (isInet(daddr)) out.remote = text(daddr);
      out.fwmark = fwmark;
      if (link) out.link = link;
      return out;
    },
  };
}

// ---------------------------------------------------------------- printing (print_opt)

/** tnl_print_endpoint(): `remote ADDR ` / `local any `. */
function endpoint(p: Printer, name: string, v: unknown): void {
  const value = typeof v === 'string' && v !== '0.0.0.0' && v !== '::' ? formatHost(v) : 'any';
  if (p.inJson) p.string(JSON_ONLY, name, '', value);
  else p.text('%s %s', name, value);
  p.string(FP, null, ' ', null);
}

/** A be32 key printed as inet_ntop() of its bytes (`0.0.0.42`). */
function keyText(k: number): string {
  return [k >>> 24, (k >>> 16) & 0xff, (k >>> 8) & 0xff, k & 0xff].join('.');
}

function printLink(p: Printer, d: KindAttrs, ctx: KindPrintContext): void {
  if (d.link) p.string(ANY, 'link', 'dev %s ', ctx.name(d.link as number));
}

function printTtlTos(p: Printer, d: KindAttrs): void {
  const ttl = (d.ttl as number | undefined) ?? 0;
  if (p.inJson || ttl) p.uint(ANY, 'ttl', 'ttl %u ', ttl);
  else p.string(FP, null, 'ttl %s ', 'inherit');
  const tos = (d.tos as number | undefined) ?? 0;
  if (tos) {
    if (p.inJson || tos !== 1) p.hex0x(ANY, 'tos', 'tos %#llx ', tos);
    else p.string(FP, null, 'tos %s ', 'inherit');
  }
}

/** tnl_print_encap(): nothing unless an encapsulation is configured. */
function printEncap(p: Printer, d: KindAttrs): void {
  const type = d.encap_type as number | undefined;
  if (!type) return;
  const flags = (d.encap_flags as number | undefined) ?? 0;
  const sport = (d.encap_sport as number | undefined) ?? 0;
  const dport = (d.encap_dport as number | undefined) ?? 0;
  p.openObject('encap');
  p.string(FP, null, 'encap ', null);
  if (type === TUNNEL_ENCAP.FOU) p.string(ANY, 'type', '%s ', 'fou');
  else if (type === TUNNEL_ENCAP.GUE) p.string(ANY, 'type', '%s ', 'gue');
  else p.null(ANY, 'type', '%s ', 'unknown');
  if (p.inJson) {
    p.uint(JSON_ONLY, 'sport', '', sport);
    p.uint(JSON_ONLY, 'dport', '', dport);
    p.bool(JSON_ONLY, 'csum', '', (flags & TUNNEL_ENCAP_FLAG.CSUM) !== 0);
    p.bool(JSON_ONLY, 'csum6', '', (flags & TUNNEL_ENCAP_FLAG.CSUM6) !== 0);
    p.bool(JSON_ONLY, 'remcsum', '', (flags & TUNNEL_ENCAP_FLAG.REMCSUM) !== 0);
  } else {
    p.text('%s', sport ? `encap-sport ${sport} ` : 'encap-sport auto ');
    p.text('encap-dport %u ', dport);
    p.text('%s', flags & TUNNEL_ENCAP_FLAG.CSUM ? 'encap-csum ' : 'noencap-csum ');
    p.text('%s', flags & TUNNEL_ENCAP_FLAG.CSUM6 ? 'encap-csum6 ' : 'noencap-csum6 ');
    p.text('%s', flags & TUNNEL_ENCAP_FLAG.REMCSUM ? 'encap-remcsum ' : 'noencap-remcsum ');
  }
  p.closeObject();
}

/** gre_print_opt() of ip/link_gre.c (gre, gretap, erspan). */
function printGre(p: Printer, d: KindAttrs, ctx: KindPrintContext): void {
  if (d.collect_metadata) p.bool(ANY, 'external', 'external ', true);
  endpoint(p, 'remote', d.remote);
  endpoint(p, 'local', d.local);
  printLink(p, d, ctx);
  printTtlTos(p, d);
  if (d.pmtudisc !== undefined) {
    if (!d.pmtudisc) p.bool(ANY, 'pmtudisc', 'nopmtudisc ', false);
    else p.bool(JSON_ONLY, 'pmtudisc', '', true);
  }
  if (d.ignore_df) p.bool(ANY, 'ignore_df', 'ignore-df ', true);
  const iflags = (d.iflags as number | undefined) ?? 0;
  const oflags = (d.oflags as number | undefined) ?? 0;
  if (iflags & GRE_FLAGS.KEY && d.ikey !== undefined) p.string(ANY, 'ikey', 'ikey %s ', keyText(d.ikey as number));
  if (oflags & GRE_FLAGS.KEY && d.okey !== undefined) p.string(ANY, 'okey', 'okey %s ', keyText(d.okey as number));
  if (iflags & GRE_FLAGS.SEQ) p.bool(ANY, 'iseq', 'iseq ', true);
  if (oflags & GRE_FLAGS.SEQ) p.bool(ANY, 'oseq', 'oseq ', true);
  if (iflags & GRE_FLAGS.CSUM) p.bool(ANY, 'icsum', 'icsum ', true);
  if (oflags & GRE_FLAGS.CSUM) p.bool(ANY, 'ocsum', 'ocsum ', true);
  if (d.fwmark) p.hex0x(ANY, 'fwmark', 'fwmark %#llx ', d.fwmark as number);
  if (d.erspan_index !== undefined) p.uint(ANY, 'erspan_index', 'erspan_index %u ', d.erspan_index as number);
  if (d.erspan_ver !== undefined) p.uint(ANY, 'erspan_ver', 'erspan_ver %u ', d.erspan_ver as number);
  if (d.erspan_dir !== undefined) p.string(ANY, 'erspan_dir', 'erspan_dir %s ', d.erspan_dir === 0 ? 'ingress' : 'egress');
  if (d.erspan_hwid !== undefined) p.hex0x(ANY, 'erspan_hwid', 'erspan_hwid %#llx ', d.erspan_hwid as number);
  printEncap(p, d);
}

/** iptunnel_print_opt() of ip/link_iptnl.c (ipip, sit). */
function printIptnl(p: Printer, d: KindAttrs, ctx: KindPrintContext): void {
  if (d.collect_metadata) p.bool(ANY, 'external', 'external ', true);
  if (d.proto !== undefined) {
    const names: Record<number, string> = { [IPPROTO.IPIP]: 'ipip', [IPPROTO.IPV6]: 'ip6ip', [IPPROTO.MPLS]: 'mplsip', 0: 'any' };
    const n = names[d.proto as number];
    if (n) p.string(ANY, 'proto', '%s ', n);
  }
  endpoint(p, 'remote', d.remote);
  endpoint(p, 'local', d.local);
  printLink(p, d, ctx);
  printTtlTos(p, d);
  if (d.pmtudisc) p.bool(ANY, 'pmtudisc', 'pmtudisc ', true);
  else p.bool(ANY, 'pmtudisc', 'nopmtudisc ', false);
  if (d.flags !== undefined && ((d.flags as number) & SIT_ISATAP)) p.bool(ANY, 'isatap', 'isatap ', true);
  const plen = d['6rd_prefixlen'] as number | undefined;
  if (plen) {
    const relay = d['6rd_relay_prefix'] as string | undefined;
    const rlen = (d['6rd_relay_prefixlen'] as number | undefined) ?? 0;
    const prefix = (d['6rd_prefix'] as string | undefined) ?? '::';
    if (p.inJson) {
      p.string(JSON_ONLY, 'prefix', '', prefix);
      p.int(JSON_ONLY, 'prefixlen', '', plen);
      if (relay && relay !== '0.0.0.0') {
        p.string(JSON_ONLY, 'relay_prefix', '', formatHost(relay));
        p.int(JSON_ONLY, 'relay_prefixlen', '', rlen);
      }
    } else {
      p.text('6rd-prefix %s/%u ', prefix, plen);
      if (relay && relay !== '0.0.0.0') p.text('6rd-relay_prefix %s/%u ', formatHost(relay), rlen);
    }
  }
  if (d.fwmark) p.hex0x(ANY, 'fwmark', 'fwmark %#llx ', d.fwmark as number);
  printEncap(p, d);
}

/** vti_print_opt() of ip/link_vti.c (and vti6, whose addresses are IPv6). */
function printVti(p: Printer, d: KindAttrs, ctx: KindPrintContext): void {
  endpoint(p, 'remote', d.remote);
  endpoint(p, 'local', d.local);
  printLink(p, d, ctx);
  if (d.ikey) p.string(ANY, 'ikey', 'ikey %s ', keyText(d.ikey as number));
  if (d.okey) p.string(ANY, 'okey', 'okey %s ', keyText(d.okey as number));
  if (d.fwmark) p.hex0x(ANY, 'fwmark', 'fwmark %#llx ', d.fwmark as number);
}

/** The IPv6 tunnel fields shared by ip6gre and ip6tnl print_opt (hoplimit … dscp). */
function printV6Common(p: Printer, d: KindAttrs): number {
  const flags = (d.flags as number | undefined) ?? 0;
  const flowinfo = d.flowinfo as number | undefined;
  const ttl = (d.ttl as number | undefined) ?? 0;
  if (p.inJson || ttl) p.uint(ANY, 'ttl', 'hoplimit %u ', ttl);
  else p.string(FP, null, 'hoplimit %s ', 'inherit');
  if (flags & IP6_TNL_F.IGN_ENCAP_LIMIT) p.bool(ANY, 'ip6_tnl_f_ign_encap_limit', 'encaplimit none ', true);
  else if (d.encap_limit !== undefined) p.uint(ANY, 'encap_limit', 'encaplimit %u ', d.encap_limit as number);
  if (flags & IP6_TNL_F.USE_ORIG_TCLASS) p.bool(ANY, 'ip6_tnl_f_use_orig_tclass', 'tclass inherit ', true);
  else if (flowinfo !== undefined) p.string(ANY, 'tclass', 'tclass %s ', `0x${((flowinfo & 0x0ff00000) >>> 20).toString(16).padStart(2, '0')}`);
  if (flags & IP6_TNL_F.USE_ORIG_FLOWLABEL) p.bool(ANY, 'ip6_tnl_f_use_orig_flowlabel', 'flowlabel inherit ', true);
  else if (flowinfo !== undefined) p.string(ANY, 'flowlabel', 'flowlabel %s ', `0x${(flowinfo & 0xfffff).toString(16).padStart(5, '0')}`);
  if (flags & IP6_TNL_F.RCV_DSCP_COPY) p.bool(ANY, 'ip6_tnl_f_rcv_dscp_copy', 'dscp inherit ', true);
  return flags;
}

function printFwmark6(p: Printer, d: KindAttrs, flags: number): void {
  if (flags & IP6_TNL_F.USE_ORIG_FWMARK) p.bool(ANY, 'ip6_tnl_f_use_orig_fwmark', 'fwmark inherit ', true);
  else if (d.fwmark) p.hex0x(ANY, 'fwmark', 'fwmark %#llx ', d.fwmark as number);
}

/** gre_print_opt() of ip/link_gre6.c (ip6gre, ip6gretap, ip6erspan). */
function printGre6(p: Printer, d: KindAttrs, ctx: KindPrintContext): void {
  if (d.collect_metadata) p.bool(ANY, 'external', 'external ', true);
  endpoint(p, 'remote', d.remote);
  endpoint(p, 'local', d.local);
  printLink(p, d, ctx);
  const flags = printV6Common(p, d);
  const iflags = (d.iflags as number | undefined) ?? 0;
  const oflags = (d.oflags as number | undefined) ?? 0;
  if (iflags & GRE_FLAGS.KEY && d.ikey !== undefined) p.string(ANY, 'ikey', 'ikey %s ', keyText(d.ikey as number));
  if (oflags & GRE_FLAGS.KEY && d.okey !== undefined) p.string(ANY, 'okey', 'okey %s ', keyText(d.okey as number));
  if (iflags & GRE_FLAGS.SEQ) p.bool(ANY, 'iseq', 'iseq ', true);
  if (oflags & GRE_FLAGS.SEQ) p.bool(ANY, 'oseq', 'oseq ', true);
  if (iflags & GRE_FLAGS.CSUM) p.bool(ANY, 'icsum', 'icsum ', true);
  if (oflags & GRE_FLAGS.CSUM) p.bool(ANY, 'ocsum', 'ocsum ', true);
  if (flags & IP6_TNL_F.ALLOW_LOCAL_REMOTE) p.bool(ANY, 'ip6_tnl_f_allow_local_remote', 'allow-localremote ', true);
  printFwmark6(p, d, flags);
  if (d.erspan_index !== undefined) p.uint(ANY, 'erspan_index', 'erspan_index %u ', d.erspan_index as number);
  if (d.erspan_ver !== undefined) p.uint(ANY, 'erspan_ver', 'erspan_ver %u ', d.erspan_ver as number);
  if (d.erspan_dir !== undefined) p.string(ANY, 'erspan_dir', 'erspan_dir %s ', d.erspan_dir === 0 ? 'ingress' : 'egress');
  if (d.erspan_hwid !== undefined) p.hex0x(ANY, 'erspan_hwid', 'erspan_hwid %#llx ', d.erspan_hwid as number);
  printEncap(p, d);
}

/** ip6tunnel_print_opt() of ip/link_ip6tnl.c. */
function printIp6tnl(p: Printer, d: KindAttrs, ctx: KindPrintContext): void {
  if (d.collect_metadata) p.bool(ANY, 'external', 'external ', true);
  if (d.proto !== undefined) {
    const names: Record<number, string> = { [IPPROTO.IPIP]: 'ipip6', [IPPROTO.IPV6]: 'ip6ip6', 0: 'any' };
    const n = names[d.proto as number];
    if (n) p.string(ANY, 'proto', '%s ', n);
  }
  endpoint(p, 'remote', d.remote);
  endpoint(p, 'local', d.local);
  printLink(p, d, ctx);
  const flags = printV6Common(p, d);
  if (flags & IP6_TNL_F.MIP6_DEV) p.bool(ANY, 'ip6_tnl_f_mip6_dev', 'mip6 ', true);
  if (flags & IP6_TNL_F.ALLOW_LOCAL_REMOTE) p.bool(ANY, 'ip6_tnl_f_allow_local_remote', 'allow-localremote ', true);
  printFwmark6(p, d, flags);
  printEncap(p, d);
}

const withPrint = (cli: KindCli, print: KindCli['print']): KindCli => (print ? { ...cli, print } : cli);

/** Every tunnel kind's CLI module. */
export function tunnelKinds(): Array<[string, KindCli]> {
  return [
    ['gre', withPrint(gre('gre', false), printGre)], ['gretap', withPrint(gre('gretap', false), printGre)],
    ['erspan', withPrint(gre('erspan', false), printGre)],
    ['ip6gre', withPrint(gre('ip6gre', true), printGre6)], ['ip6gretap', withPrint(gre('ip6gretap', true), printGre6)],
    ['ip6erspan', withPrint(gre('ip6erspan', true), printGre6)],
    ['ipip', withPrint(iptnl('ipip'), printIptnl)], ['sit', withPrint(iptnl('sit'), printIptnl)],
    ['ip6tnl', withPrint(iptnl('ip6tnl'), printIp6tnl)],
    ['vti', withPrint(vti('vti'), printVti)], ['vti6', withPrint(vti('vti6'), printVti)],
  ];
}
