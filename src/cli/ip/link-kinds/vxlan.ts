/**
 * `ip link … type vxlan …` (iproute2 ip/iplink_vxlan.c).
 * @module
 */
import { formatHost } from '../resolve.js';
import { CliError, duparg2, invarg, matches } from '../../common/args.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../../output/printer.js';
import { IFLA_VXLAN } from '../../../netlink/rtnetlink/kinds/vxlan.js';
import { getAddr, type InetPrefix } from '../inet-args.js';
import { dsfieldId } from '../rtnl-names.js';
import { USAGE_VXLAN } from './usage.js';
import { getU16, getU32, getUint, nextArg, type KindCli, type KindAttrs, type KindPrintContext } from './util.js';

const isMulti = (a: InetPrefix): boolean =>
  !a.any && (a.family === 2 ? (a.bytes[0]! & 0xf0) === 0xe0 : a.bytes[0] === 0xff);
const isInet = (a: InetPrefix | undefined): a is InetPrefix => a !== undefined && !a.any;

function explain(prefix = ''): never {
  throw new CliError(prefix + USAGE_VXLAN.replace(/\n$/, ''), 1);
}

/** Keyword → attribute of the u8 on/off switches, `no` forms first as iproute2 matches them. */
const SWITCHES: ReadonlyArray<readonly [string, string, number]> = [
  ['noproxy', 'proxy', 0], ['proxy', 'proxy', 1], ['norsc', 'rsc', 0], ['rsc', 'rsc', 1],
  ['nol2miss', 'l2miss', 0], ['l2miss', 'l2miss', 1], ['nol3miss', 'l3miss', 0], ['l3miss', 'l3miss', 1],
  ['udpcsum', 'udp_csum', 1], ['noudpcsum', 'udp_csum', 0],
  ['udp6zerocsumtx', 'udp_zero_csum6_tx', 1], ['noudp6zerocsumtx', 'udp_zero_csum6_tx', 0],
  ['udp6zerocsumrx', 'udp_zero_csum6_rx', 1], ['noudp6zerocsumrx', 'udp_zero_csum6_rx', 0],
  ['remcsumtx', 'remcsum_tx', 1], ['noremcsumtx', 'remcsum_tx', 0],
  ['remcsumrx', 'remcsum_rx', 1], ['noremcsumrx', 'remcsum_rx', 0],
];

export const vxlan: KindCli = {
  usage: USAGE_VXLAN,
  parse(args, ctx) {
    const out: Record<string, unknown> = {};
    const seen = new Set<number>();
    const dup = (type: number, key: string, arg: string): void => {
      if (seen.has(type)) duparg2(key, arg);
      seen.add(type);
    };
    let vni = 0, learning = 1, dstport = 0, metadata = 0, vnifilter = 0;
    let saddr: InetPrefix | undefined, daddr: InetPrefix | undefined;
    const setOp = !ctx.create;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const sw = SWITCHES.find(([kw]) => matches(a, kw));
      if (matches(a, 'id') || matches(a, 'vni')) {
        const v = nextArg(args, i++);
        dup(IFLA_VXLAN.ID, 'id', v);
        const n = getU32(v);
        if (n === undefined || n >= 1 << 24) invarg('invalid id', v);
        vni = n;
      } else if (matches(a, 'group') || matches(a, 'remote')) {
        const isGroup = matches(a, 'group');
        if (daddr && (isGroup ? (isInet(daddr) && !isMulti(daddr)) : (isInet(daddr) && isMulti(daddr)))) {
          throw new CliError('vxlan: both group and remote cannot be specified', 1);
        }
        const v = nextArg(args, i++);
        dup(IFLA_VXLAN.GROUP, isGroup ? 'group' : 'remote', v);
        daddr = getAddr(v, saddr?.family ?? 0);
        if (isGroup ? !(isInet(daddr) && isMulti(daddr)) : !(isInet(daddr) && !isMulti(daddr))) {
          invarg(isGroup ? 'invalid group address' : 'invalid remote address', v);
        }
      } else if (matches(a, 'local')) {
        const v = nextArg(args, i++);
        dup(IFLA_VXLAN.LOCAL, 'local', v);
        saddr = getAddr(v, daddr?.family ?? 0);
        if (!(isInet(saddr) && !isMulti(saddr))) invarg('invalid local address', v);
      } else if (matches(a, 'dev')) {
        const v = nextArg(args, i++);
        dup(IFLA_VXLAN.LINK, 'dev', v);
        const link = ctx.index(v);
        if (!link) throw new CliError(`Cannot find device "${v}"`, 255);
        out.link = link;
      } else if (matches(a, 'ttl') || matches(a, 'hoplimit')) {
        const v = nextArg(args, i++);
        dup(IFLA_VXLAN.TTL, 'ttl', v);
        if (v === 'inherit') out.ttl_inherit = true;
        else if (v === 'auto') out.ttl = 0;
        else {
          const n = getU32(v);
          if (n === undefined) invarg('invalid TTL', v);
          if (n > 255) invarg('TTL must be <= 255', v);
          out.ttl = n;
        }
      } else if (matches(a, 'tos') || matches(a, 'dsfield')) {
        const v = nextArg(args, i++);
        dup(IFLA_VXLAN.TOS, 'tos', v);
        let tos = 1;
        if (v !== 'inherit') {
          const n = dsfieldId(v);
          if (n === undefined) invarg('bad TOS value', v);
          tos = n;
        }
        out.tos = tos;
      } else if (matches(a, 'df')) {
        const v = nextArg(args, i++);
        dup(IFLA_VXLAN.DF, 'df', v);
        const df = ['unset', 'set', 'inherit'].indexOf(v);
        if (df < 0) invarg("DF must be 'unset', 'set' or 'inherit'", v);
        out.df = df;
      } else if (matches(a, 'label') || matches(a, 'flowlabel')) {
        const v = nextArg(args, i++);
        dup(IFLA_VXLAN.LABEL, 'flowlabel', v);
        const n = getU32(v);
        if (n === undefined || n & ~0xfffff) invarg('invalid flowlabel', v);
        out.label = n;
      } else if (matches(a, 'ageing')) {
        const v = nextArg(args, i++);
        dup(IFLA_VXLAN.AGEING, 'ageing', v);
        const n = v === 'none' ? 0 : getU32(v);
        if (n === undefined) invarg('ageing timer', v);
        out.ageing = n;
      } else if (matches(a, 'maxaddress')) {
        const v = nextArg(args, i++);
        dup(IFLA_VXLAN.LIMIT, 'maxaddress', v);
        const n = v === 'unlimited' ? 0 : getU32(v);
        if (n === undefined) invarg('max addresses', v);
        out.limit = n;
      } else if (matches(a, 'port') || matches(a, 'srcport')) {
        const lo = nextArg(args, i++);
        dup(IFLA_VXLAN.PORT_RANGE, 'srcport', lo);
        const low = getU16(lo);
        if (low === undefined) invarg('min port', lo);
        const hi = nextArg(args, i++);
        const high = getU16(hi);
        if (high === undefined) invarg('max port', hi);
        if (low || high) out.port_range = { low, high };
      } else if (matches(a, 'dstport')) {
        const v = nextArg(args, i++);
        dup(IFLA_VXLAN.PORT, 'dstport', v);
        const n = getUint(v, 0xffff);
        if (n === undefined) invarg('dst port', v);
        dstport = n;
      } else if (matches(a, 'nolearning')) {
        dup(IFLA_VXLAN.LEARNING, a, a); learning = 0;
      } else if (matches(a, 'learning')) {
        dup(IFLA_VXLAN.LEARNING, a, a); learning = 1;
      } else if (sw) {
        dup(IFLA_VXLAN[sw[1].toUpperCase() as keyof typeof IFLA_VXLAN], a, a);
        out[sw[1]] = sw[2];
      } else if (matches(a, 'external')) {
        dup(IFLA_VXLAN.COLLECT_METADATA, a, a);
        metadata = 1; learning = 0;
        out.collect_metadata = 1;
      } else if (matches(a, 'noexternal')) {
        dup(IFLA_VXLAN.COLLECT_METADATA, a, a);
        metadata = 0;
        out.collect_metadata = 0;
      } else if (matches(a, 'gbp')) {
        dup(IFLA_VXLAN.GBP, a, a); out.gbp = true;
      } else if (matches(a, 'gpe')) {
        dup(IFLA_VXLAN.GPE, a, a); out.gpe = true;
      } else if (a === 'vnifilter') {
        dup(IFLA_VXLAN.VNIFILTER, a, a); out.vnifilter = 1; vnifilter = 1;
      } else if (a === 'novnifilter') {
        dup(IFLA_VXLAN.VNIFILTER, a, a); out.vnifilter = 0;
      } else if (matches(a, 'help')) {
        explain();
      } else {
        explain(`vxlan: unknown command "${a}"?\n`);
      }
    }
    const fail = (m: string): never => { throw new CliError(m, 1); };
    if (!metadata && vnifilter) fail("vxlan: vnifilter is valid only when 'external' is set");
    if (metadata && seen.has(IFLA_VXLAN.ID)) fail("vxlan: both 'external' and vni cannot be specified");
    if (!metadata && !vnifilter && !seen.has(IFLA_VXLAN.ID) && !setOp) fail('vxlan: missing virtual network identifier');
    if (daddr && isInet(daddr) && isMulti(daddr) && !seen.has(IFLA_VXLAN.LINK)) fail("vxlan: 'group' requires 'dev' to be specified");
    if (!seen.has(IFLA_VXLAN.PORT) && seen.has(IFLA_VXLAN.GPE)) dstport = 4790;
    else if (!seen.has(IFLA_VXLAN.PORT) && !setOp) {
      process.stderr.write('vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n'
        + "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n");
    }
    if (seen.has(IFLA_VXLAN.ID)) out.id = vni;
    let selected = false;
    if (isInet(saddr)) { out[saddr.family === 2 ? 'local' : 'local6'] = addrText(saddr); selected = true; }
    if (isInet(daddr)) { out[daddr.family === 2 ? 'group' : 'group6'] = addrText(daddr); selected = true; }
    if (!selected) {
      if (ctx.family === 2) out.group = '0.0.0.0';
      else if (ctx.family === 10) out.group6 = '::';
    }
    if (!setOp || seen.has(IFLA_VXLAN.LEARNING)) out.learning = learning;
    if (dstport) out.port = dstport;
    return out;
  },
  print(p: Printer, d: KindAttrs, ctx: KindPrintContext) {
    if (d.collect_metadata) p.bool(ANY, 'external', 'external ', true);
    if (d.vnifilter) p.bool(ANY, 'vnifilter', 'vnifilter', true);
    if (d.id !== undefined) p.uint(ANY, 'id', 'id %u ', d.id as number);
    if (d.group !== undefined) {
      const g = d.group as string;
      if (g !== '0.0.0.0') {
        const multi = (Number(g.split('.')[0]) & 0xf0) === 0xe0;
        p.string(ANY, multi ? 'group' : 'remote', multi ? 'group %s ' : 'remote %s ', formatHost(g));
      }
    } else if (d.group6 !== undefined) {
      const g = d.group6 as string;
      if (g !== '::') {
        const multi = g.toLowerCase().startsWith('ff');
        p.string(ANY, multi ? 'group6' : 'remote6', multi ? 'group %s ' : 'remote %s ', formatHost(g));
      }
    }
    if (d.local !== undefined) {
      if (d.local !== '0.0.0.0') p.string(ANY, 'local', 'local %s ', formatHost(d.local as string));
    } else if (d.local6 !== undefined && d.local6 !== '::') {
      p.string(ANY, 'local6', 'local %s ', formatHost(d.local6 as string));
    }
    if (d.link) p.string(ANY, 'link', 'dev %s ', ctx.name(d.link as number));
    if (d.port_range !== undefined) {
      const r = d.port_range as { low: number; high: number };
      if (p.inJson) {
        p.openObject('port_range');
        p.uint(JSON_ONLY, 'low', '', r.low);
        p.uint(JSON_ONLY, 'high', '', r.high);
        p.closeObject();
      } else {
        p.text('srcport %u %u ', r.low, r.high);
      }
    }
    if (d.port !== undefined) p.uint(ANY, 'port', 'dstport %u ', d.port as number);
    if (d.learning !== undefined) {
      p.bool(JSON_ONLY, 'learning', '', !!d.learning);
      if (!d.learning) p.bool(FP, null, 'nolearning ', true);
    }
    if (d.proxy) p.bool(ANY, 'proxy', 'proxy ', true);
    if (d.rsc) p.bool(ANY, 'rsc', 'rsc ', true);
    if (d.l2miss) p.bool(ANY, 'l2miss', 'l2miss ', true);
    if (d.l3miss) p.bool(ANY, 'l3miss', 'l3miss ', true);
    const tos = (d.tos as number | undefined) ?? 0;
    if (tos) {
      if (p.inJson || tos !== 1) p.hex0x(ANY, 'tos', 'tos %#llx ', tos);
      else p.string(FP, null, 'tos %s ', 'inherit');
    }
    if (d.ttl_inherit) p.string(FP, null, 'ttl %s ', 'inherit');
    else if (d.ttl !== undefined) {
      const ttl = d.ttl as number;
      if (p.inJson || ttl) p.uint(ANY, 'ttl', 'ttl %u ', ttl);
      else p.string(FP, null, 'ttl %s ', 'auto');
    }
    if (d.df !== undefined) {
      const df = d.df as number;
      if (df === 0) p.string(JSON_ONLY, 'df', 'df %s ', 'unset');
      else if (df === 1) p.string(ANY, 'df', 'df %s ', 'set');
      else if (df === 2) p.string(ANY, 'df', 'df %s ', 'inherit');
    }
    if (d.label) p.hex0x(ANY, 'label', 'flowlabel %#llx ', d.label as number);
    if (d.ageing !== undefined) {
      const age = d.ageing as number;
      p.uint(ANY, 'ageing', age === 0 ? 'ageing none ' : 'ageing %u ', age);
    }
    if (d.limit) p.uint(ANY, 'limit', 'maxaddr %u ', d.limit as number);
    const csum = (key: string, word: string): void => {
      if (d[key] === undefined) return;
      if (p.inJson) p.bool(ANY, key, '', !!d[key]);
      else p.text(`${d[key] ? '' : 'no'}${word} `);
    };
    csum('udp_csum', 'udpcsum');
    csum('udp_zero_csum6_tx', 'udp6zerocsumtx');
    csum('udp_zero_csum6_rx', 'udp6zerocsumrx');
    if (d.remcsum_tx) p.bool(ANY, 'remcsum_tx', 'remcsumtx ', true);
    if (d.remcsum_rx) p.bool(ANY, 'remcsum_rx', 'remcsumrx ', true);
    if (d.gbp) p.bool(ANY, 'gbp', 'gbp ', true);
    if (d.gpe) p.bool(ANY, 'gpe', 'gpe ', true);
  },
};

function addrText(a: InetPrefix): string {
  if (a.family === 2) return [...a.bytes].join('.');
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(a.bytes.readUInt16BE(i).toString(16));
  return parts.join(':');
}
