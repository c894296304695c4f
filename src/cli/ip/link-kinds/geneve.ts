/**
 * `ip link … type geneve …` (iproute2 ip/iplink_geneve.c).
 * @module
 */
import { formatHost } from '../resolve.js';
import { CliError, duparg2, invarg, matches } from '../../common/args.js';
import { formatAddress } from '../../../netlink/addr.js';
import { ANY, FP, type Printer } from '../../../output/printer.js';
import { getAddr, type InetPrefix } from '../inet-args.js';

const isMulti = (a: InetPrefix): boolean => (a.family === 2 ? (a.bytes[0]! & 0xf0) === 0xe0 : a.bytes[0] === 0xff);
import { dsfieldId } from '../rtnl-names.js';
import { USAGE_GENEVE } from './usage.js';
import { getU16, getU32, nextArg, type KindCli, type KindAttrs } from './util.js';

function explain(prefix = ''): never {
  throw new CliError(prefix + USAGE_GENEVE.replace(/\n$/, ''), 1);
}

export const geneve: KindCli = {
  usage: USAGE_GENEVE,
  parse(args, ctx) {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    const dup = (key: string, arg: string): void => { if (seen.has(key)) duparg2(key, arg); seen.add(key); };
    let vni = 0, label = 0, ttl = 0, tos = 0, dstport = 0, metadata = false, inner = false;
    let udpcsum = 0, tx = 0, rx = 0;
    let remote: InetPrefix | undefined;
    const setOp = !ctx.create;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (matches(a, 'id') || matches(a, 'vni')) {
        const v = nextArg(args, i++);
        dup('id', v);
        const n = getU32(v);
        if (n === undefined || n >= 1 << 24) invarg('invalid id', v);
        vni = n;
      } else if (matches(a, 'remote')) {
        const v = nextArg(args, i++);
        dup('remote', v);
        remote = getAddr(v, 0);
        if (remote.any || isMulti(remote)) invarg('invalid remote address', v);
      } else if (matches(a, 'ttl') || matches(a, 'hoplimit')) {
        const v = nextArg(args, i++);
        dup('ttl', v);
        if (v === 'inherit') out.ttl_inherit = 1;
        else if (v !== 'auto') {
          const n = getU32(v);
          if (n === undefined) invarg('invalid TTL', v);
          if (n > 255) invarg('TTL must be <= 255', v);
          ttl = n;
        }
      } else if (matches(a, 'tos') || matches(a, 'dsfield')) {
        const v = nextArg(args, i++);
        dup('tos', v);
        if (v !== 'inherit') {
          const n = dsfieldId(v);
          if (n === undefined) invarg('bad TOS value', v);
          tos = n;
        } else tos = 1;
      } else if (matches(a, 'df')) {
        const v = nextArg(args, i++);
        dup('df', v);
        const df = ['unset', 'set', 'inherit'].indexOf(v);
        if (df < 0) invarg("DF must be 'unset', 'set' or 'inherit'", v);
        out.df = df;
      } else if (matches(a, 'label') || matches(a, 'flowlabel')) {
        const v = nextArg(args, i++);
        dup('flowlabel', v);
        const n = getU32(v);
        if (n === undefined || n & ~0xfffff) invarg('invalid flowlabel', v);
        label = n;
      } else if (matches(a, 'dstport')) {
        const v = nextArg(args, i++);
        dup('dstport', v);
        const n = getU16(v);
        if (n === undefined) invarg('dstport', v);
        dstport = n;
      } else if (matches(a, 'external')) { dup('external', a); metadata = true; }
      else if (matches(a, 'noexternal')) { dup('external', a); metadata = false; }
      else if (matches(a, 'udpcsum')) { dup('udpcsum', a); udpcsum = 1; }
      else if (matches(a, 'noudpcsum')) { dup('udpcsum', a); udpcsum = 0; }
      else if (matches(a, 'udp6zerocsumtx')) { dup('udp6zerocsumtx', a); tx = 1; }
      else if (matches(a, 'noudp6zerocsumtx')) { dup('udp6zerocsumtx', a); tx = 0; }
      else if (matches(a, 'udp6zerocsumrx')) { dup('udp6zerocsumrx', a); rx = 1; }
      else if (matches(a, 'noudp6zerocsumrx')) { dup('udp6zerocsumrx', a); rx = 0; }
      else if (a === 'innerprotoinherit') inner = true;
      else if (matches(a, 'help')) explain();
      else explain(`geneve: unknown command "${a}"?\n`);
    }
    if (metadata && seen.has('id')) throw new CliError("geneve: both 'external' and vni cannot be specified", 1);
    if (!metadata) {
      if (!seen.has('id')) throw new CliError('geneve: missing virtual network identifier', 1);
      if (!setOp && !remote) throw new CliError('geneve: remote link partner not specified', 1);
    }
    out.id = vni;
    if (remote) out[remote.family === 2 ? 'remote' : 'remote6'] = formatAddress(remote.bytes);
    if (!setOp || seen.has('flowlabel')) out.label = label;
    if (!setOp || seen.has('ttl')) out.ttl = ttl;
    if (!setOp || seen.has('tos')) out.tos = tos;
    if (dstport) out.port = dstport;
    if (metadata) out.collect_metadata = true;
    if (inner) out.inner_proto_inherit = true;
    if (seen.has('udpcsum')) out.udp_csum = udpcsum;
    if (seen.has('udp6zerocsumtx')) out.udp_zero_csum6_tx = tx;
    if (seen.has('udp6zerocsumrx')) out.udp_zero_csum6_rx = rx;
    return out;
  },
  print(p: Printer, d: KindAttrs) {
    if (d.collect_metadata !== undefined) { p.bool(ANY, 'external', 'external ', true); }
    if (d.id !== undefined) p.uint(ANY, 'id', 'id %u ', d.id as number);
    if (d.remote !== undefined) p.string(ANY, 'remote', 'remote %s ', formatHost(d.remote as string));
    else if (d.remote6 !== undefined) p.string(ANY, 'remote6', 'remote %s ', formatHost(d.remote6 as string));
    if (d.ttl_inherit) p.string(FP, null, 'ttl %s ', 'inherit');
    else if (d.ttl !== undefined) {
      if (p.inJson || d.ttl) p.uint(ANY, 'ttl', 'ttl %u ', d.ttl as number);
      else p.string(FP, null, 'ttl %s ', 'auto');
    }
    const tos = (d.tos as number | undefined) ?? 0;
    if (tos) {
      if (p.inJson || tos !== 1) p.hex0x(ANY, 'tos', 'tos %#llx ', tos);
      else p.string(FP, null, 'tos %s ', 'inherit');
    }
    if (d.df !== undefined) {
      const df = d.df as number;
      if (df === 0) p.string(JSON_ONLY_OR_NONE, 'df', 'df %s ', 'unset');
      else if (df === 1) p.string(ANY, 'df', 'df %s ', 'set');
      else if (df === 2) p.string(ANY, 'df', 'df %s ', 'inherit');
    }
    if (d.label) p.hex0x(ANY, 'label', 'flowlabel %#llx ', d.label as number);
    if (d.port !== undefined) p.uint(ANY, 'port', 'dstport %u ', d.port as number);
    const csum = (key: string, word: string): void => {
      if (d[key] === undefined) return;
      if (p.inJson) p.bool(ANY, key, '', !!d[key]);
      else p.text(`${d[key] ? '' : 'no'}${word} `);
    };
    csum('udp_csum', 'udpcsum');
    csum('udp_zero_csum6_tx', 'udp6zerocsumtx');
    csum('udp_zero_csum6_rx', 'udp6zerocsumrx');
    if (d.inner_proto_inherit) p.bool(ANY, 'inner_proto_inherit', 'innerprotoinherit ', true);
  },
};

const JSON_ONLY_OR_NONE = 2;
