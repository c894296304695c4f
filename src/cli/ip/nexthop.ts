/**
 * `ip nexthop`: list, get, add, replace, del, flush and `bucket list|get` —
 * grammar, output and errors as iproute2's ip/ipnexthop.c.
 * @module
 */
import { Args, CliError, matches, invarg, duparg2 } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../output/printer.js';
import { COLOR_IFNAME, familyColor } from '../../output/color.js';
import { RTM, NLM_F, AF } from '../../netlink/constants.js';
import {
  nexthopMessage, NEXTHOP_GRP_TYPE, RTNH_F, type NexthopAttrs, type ResGroupAttrs,
} from '../../netlink/rtnetlink/nexthop-schema.js';
import { rtRequest } from '../../netlink/rtnetlink/request.js';
import { NLA_F_NESTED } from '../../netlink/codec/schema.js';
import { nhmsg, type NhMsg } from '../../netlink/structs.js';
import type { MessageView, RequestBuilder } from '../../netlink/socket.js';
import { NetlinkError } from '../../netlink/errors.js';
import { reportError } from '../common/errors.js';
import { getAddr, getUnsigned, getU16 } from './inet-args.js';
import { protoId, protoName, scopeName } from './rtnl-names.js';
import { LinkMap } from './ll-map.js';
import { formatHost, prefetchHosts, withHosts } from './resolve.js';
import { dumpTerminated } from './rule.js';
import { readFamily } from './main.js';
import { parseLwtEncap, printLwtEncap, type ParsedEncap } from './lwtunnel.js';
import { decodeEncap, encapSchemas } from '../../netlink/rtnetlink/route-schema.js';

const USAGE = `Usage: ip nexthop { list | flush } [ protocol ID ] SELECTOR
       ip nexthop { add | replace } id ID NH [ protocol ID ]
       ip nexthop { get | del } id ID
       ip nexthop bucket list BUCKET_SELECTOR
       ip nexthop bucket get id ID index INDEX
SELECTOR := [ id ID ] [ dev DEV ] [ vrf NAME ] [ master DEV ]
            [ groups ] [ fdb ]
BUCKET_SELECTOR := SELECTOR | [ nhid ID ]
NH := { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ]
        [ encap ENCAPTYPE ENCAPHDR ] |
        group GROUP [ fdb ] [ type TYPE [ TYPE_ARGS ] ] }
GROUP := [ <id[,weight]>/<id[,weight]>/... ]
TYPE := { mpath | resilient }
TYPE_ARGS := [ RESILIENT_ARGS ]
RESILIENT_ARGS := [ buckets BUCKETS ] [ idle_timer IDLE ]
                  [ unbalanced_timer UNBALANCED ]
ENCAPTYPE := [ mpls ]
ENCAPHDR := [ MPLSLABEL ]`;

function usage(): never {
  throw new CliError(USAGE);
}

/** RTM_F_* route flags print_rt_flags() knows besides the RTNH_F_* ones. */
const RTM_F_NOTIFY = 0x100, RTM_F_OFFLOAD = 0x2000, RTM_F_TRAP = 0x4000, RTM_F_OFFLOAD_FAILED = 0x20000000;

/** print_rt_flags() */
function printRtFlags(p: Printer, flags: number): void {
  p.openArray(JSON_ONLY, 'flags');
  const names: Array<[number, string]> = [
    [RTNH_F.DEAD, 'dead'], [RTNH_F.ONLINK, 'onlink'], [RTNH_F.PERVASIVE, 'pervasive'], [RTNH_F.OFFLOAD, 'offload'],
    [RTNH_F.TRAP, 'trap'], [RTM_F_NOTIFY, 'notify'], [RTNH_F.LINKDOWN, 'linkdown'], [RTNH_F.UNRESOLVED, 'unresolved'],
    [RTM_F_OFFLOAD, 'rt_offload'], [RTM_F_TRAP, 'rt_trap'], [RTM_F_OFFLOAD_FAILED, 'rt_offload_failed'],
  ];
  for (const [bit, name] of names) if (flags & bit) p.string(ANY, null, '%s ', name);
  p.closeArray(JSON_ONLY, '');
}

/** clock_t ticks (USER_HZ 100) → seconds, as __jiffies_to_tv() + print_tv(). */
function ticksToSeconds(t: number | bigint): number {
  const us = BigInt(t) * 10000n;
  const sec = us / 1000000n;
  return Number(sec) + Number(us - sec * 1000000n) / 1000000;
}

function printResGroup(p: Printer, r: ResGroupAttrs): void {
  p.openObject('resilient_args');
  p.uint(ANY, 'buckets', 'buckets %u ', r.buckets ?? 0);
  p.float(ANY, 'idle_timer', 'idle_timer %g ', ticksToSeconds(r.idle_timer ?? 0));
  p.float(ANY, 'unbalanced_timer', 'unbalanced_timer %g ', ticksToSeconds(r.unbalanced_timer ?? 0));
  p.float(ANY, 'unbalanced_time', 'unbalanced_time %g ', ticksToSeconds(r.unbalanced_time ?? 0n));
  p.closeObject();
}

/** __print_nexthop_entry() + the trailing newline of print_cache_nexthop() (also used by ip monitor). */
export function printNexthop(ctx: CliContext, p: Printer, h: NhMsg, a: NexthopAttrs, links: Pick<LinkMap, 'name'>, deleted: boolean): void {
  const numeric = ctx.opts.numeric > 0;
  p.openObject();
  if (deleted) p.bool(ANY, 'deleted', 'Deleted ', true);
  p.uint(ANY, 'id', 'id %u ', a.id ?? 0);
  if (a.group && a.group.length) {
    p.openArray(JSON_ONLY, 'group');
    p.string(FP, null, '%s', 'group ');
    a.group.forEach((g, i) => {
      p.openObject();
      if (i) p.string(FP, null, '%s', '/');
      p.uint(ANY, 'id', '%u', g.id);
      if (g.weight) p.uint(ANY, 'weight', ',%u', g.weight + 1);
      p.closeObject();
    });
    p.string(FP, null, '%s', ' ');
    p.closeArray(JSON_ONLY, '');
  }
  const gt = a.group_type ?? NEXTHOP_GRP_TYPE.MPATH;
  if (gt !== NEXTHOP_GRP_TYPE.MPATH) p.string(ANY, 'type', 'type %s ', gt === NEXTHOP_GRP_TYPE.RES ? 'resilient' : '<unknown type>');
  if (a.res_group) printResGroup(p, a.res_group);
  if (a.encap !== undefined && a.encap_type !== undefined) {
    if (a.encap_type === LWTUNNEL_ENCAP_MPLS) printEncap(p, a.encap_type, a.encap);
    else printLwtEncap(p, a.encap_type, decodeEncapQuiet(a.encap_type, a.encap), { name: (i) => links.name(i), stats: ctx.opts.stats });
  }
  if (a.gateway !== undefined) {
    if (p.inJson) p.string(JSON_ONLY, 'gateway', '', formatHost(a.gateway));
    else { p.text('via '); p.colorString(FP, familyColor(h.family), null, '%s ', formatHost(a.gateway)); }
  }
  if (a.oif) {
    const name = links.name(a.oif);
    if (p.inJson) p.string(JSON_ONLY, 'dev', '', name);
    else { p.text('dev '); p.colorText(COLOR_IFNAME, '%s ', name); }
  }
  if (h.scope !== 0 || ctx.opts.details > 0) p.string(ANY, 'scope', 'scope %s ', scopeName(h.scope, numeric));
  if (a.blackhole) p.null(ANY, 'blackhole', 'blackhole ', '');
  if (h.protocol !== 0 || ctx.opts.details > 0) p.string(ANY, 'protocol', 'proto %s ', protoName(h.protocol, numeric));
  printRtFlags(p, h.flags);
  if (a.fdb) p.null(ANY, 'fdb', 'fdb', '');
  p.closeObject();
  p.string(FP, null, '%s', '\n');
}

const LWTUNNEL_ENCAP_MPLS = 1;
const MPLS_IPTUNNEL_DST = 1, MPLS_IPTUNNEL_TTL = 2;
/** read_encap_type() names, by LWTUNNEL_ENCAP_* value. */
const ENCAP_TYPES = ['none', 'mpls', 'ip', 'ila', 'ip6', 'seg6', 'bpf', 'seg6local', 'rpl', 'ioam6', 'xfrm'];

/** An MPLS lightweight-tunnel encapsulation: label stack (wire form) and optional TTL. */
interface MplsEncap { readonly labels: Buffer; readonly ttl: number | undefined }

/** mpls_pton(): `LABEL[/LABEL…]` → big-endian label stack entries with bottom-of-stack on the last. */
export function mplsLabels(text: string): Buffer | undefined {
  const parts = text.split('/');
  if (parts.length > 64) return undefined;
  const out = Buffer.alloc(parts.length * 4);
  for (let i = 0; i < parts.length; i++) {
    const n = getUnsigned(parts[i]!);
    if (n === undefined || n >= 1 << 20) return undefined;
    out.writeUInt32BE(((n << 12) | (i === parts.length - 1 ? 0x100 : 0)) >>> 0, i * 4);
  }
  return out;
}

/** lwt_parse_encap() for nexthops; only MPLS is supported (as ip nexthop documents). */
function parseEncap(args: Args): MplsEncap {
  const typeName = args.value();
  const et = ENCAP_TYPES.indexOf(typeName);
  if (et <= 0) invarg('"encap type" value is invalid\n', typeName);
  const labelText = args.value();
  if (!args.left) throw new CliError('Error: unexpected end of line after "encap"');
  if (et !== LWTUNNEL_ENCAP_MPLS) throw new CliError(`Error: encap type "${typeName}" is not supported by rip yet`);
  const labels = mplsLabels(labelText);
  if (!labels) throw new CliError(`Error: mpls address is expected rather than "${labelText}".`, 1);
  let ttl: number | undefined;
  while (args.peek() === 'ttl') {
    args.next();
    const v = args.value();
    if (ttl !== undefined) duparg2('ttl', v);
    const n = getUnsigned(v);
    if (n === undefined || n > 255) invarg('"ttl" value is invalid\n', v);
    ttl = n;
  }
  return { labels, ttl };
}

/** print_encap_mpls() after lwt_print_encap()'s type. */
function printEncap(p: Printer, type: number, data: Buffer | undefined): void {
  p.string(ANY, 'encap', ' encap %s ', ENCAP_TYPES[type] ?? 'unknown');
  if (type !== LWTUNNEL_ENCAP_MPLS || !data) return;
  let off = 0;
  while (data.length - off >= 4) {
    const len = data.readUInt16LE(off);
    if (len < 4 || len > data.length - off) break;
    const t = data.readUInt16LE(off + 2) & 0x3fff;
    if (t === MPLS_IPTUNNEL_DST) {
      const labels: string[] = [];
      for (let i = off + 4; i + 4 <= off + len; i += 4) {
        const e = data.readUInt32BE(i);
        labels.push(String(e >>> 12));
        if (e & 0x100) break;
      }
      p.string(ANY, 'dst', ' %s ', labels.join('/'));
    } else if (t === MPLS_IPTUNNEL_TTL && len >= 5) {
      p.uint(ANY, 'ttl', 'ttl %u ', data[off + 4]!);
    }
    off += (len + 3) & ~3;
  }
}

/** An encapsulation's attributes, or its bytes when they do not decode. */
function decodeEncapQuiet(type: number, raw: Buffer): Record<string, unknown> | Buffer {
  try {
    return decodeEncap(type, raw);
  } catch {
    return raw;
  }
}

/** ipnh_parse_id() */
function parseId(v: string): number {
  const n = getUnsigned(v);
  if (n === undefined) invarg('invalid id value', v);
  return n;
}

/** add_nh_group_attr(): undefined when the text is not a valid group. */
function parseGroup(text: string): Array<{ id: number; weight: number }> | undefined {
  if (!text) return undefined;
  const out: Array<{ id: number; weight: number }> = [];
  for (const part of text.split('/')) {
    const comma = part.indexOf(',');
    const idText = comma >= 0 ? part.slice(0, comma) : part;
    const id = getUnsigned(idText);
    if (id === undefined) return undefined;
    let weight = 0;
    if (comma >= 0) {
      const wText = part.slice(comma + 1);
      const w = getUnsigned(wText);
      if (w === undefined || w === 0 || w > 256) invarg('"weight" is invalid\n', part.slice(comma + 1));
      weight = w - 1;
    }
    out.push({ id, weight });
  }
  return out;
}

/** ipnh_modify() */
async function modify(ctx: CliContext, args: Args, type: number, flags: number): Promise<number> {
  const links = args.left ? await LinkMap.load(ctx) : undefined;
  const build = nexthopModifyRequest(args, ctx.opts.family, type, flags, (name) => links?.index(name) ?? 0);
  const nl = await ctx.netlink();
  await nl.socket.request(build, 'nexthop');
  return 0;
}

/**
 * Parse `ip nexthop add|replace|del` arguments (ipnh_modify) into a request
 * whose bytes equal iproute2's. Throws CliError with iproute2's text and status.
 */
export function nexthopModifyRequest(args: Args, family: number, type: number, flags: number, index: (name: string) => number): RequestBuilder {
  const header: NhMsg = { ...nhmsg.zero, family };
  const list: Array<[Exclude<keyof NexthopAttrs, symbol>, unknown]> = [];
  let nhFlags = 0;
  while (args.left) {
    const t = args.next()!;
    if (t === 'id') {
      list.push(['id', parseId(args.value())]);
    } else if (t === 'dev') {
      const v = args.value();
      const ifindex = index(v);
      if (!ifindex) invarg('Device does not exist\n', v);
      list.push(['oif', ifindex]);
      if (header.family === AF.UNSPEC) header.family = AF.INET;
    } else if (t === 'via') {
      let v = args.value();
      let family = readFamily(v);
      if (family === AF.UNSPEC) family = header.family;
      else v = args.value();
      const addr = getAddr(v, family);
      if (header.family === AF.UNSPEC) header.family = addr.family;
      else if (header.family !== addr.family) invarg('address family mismatch\n', v);
      list.push(['gateway', addr.bytes]);
    } else if (t === 'encap') {
      if (args.peek() !== undefined && args.peek() !== 'mpls') {
        // Every type but MPLS: lwtunnel.ts (which needs the words as an array).
        const rest = args.rest();
        const { encap, last } = parseLwtEncap(['encap', ...rest], 0, { index });
        list.push(['encap', encap]);
        args = new Args(rest.slice(last));
      } else {
        list.push(['encap', parseEncap(args)]);
      }
    } else if (t === 'blackhole') {
      list.push(['blackhole', true]);
      if (header.family === AF.UNSPEC) header.family = AF.INET;
    } else if (t === 'fdb') {
      list.push(['fdb', true]);
    } else if (t === 'onlink') {
      nhFlags |= RTNH_F.ONLINK;
    } else if (t === 'group') {
      const v = args.value();
      const g = parseGroup(v);
      // iproute2 cut the argument at its first separator while parsing, so that is what it names.
      if (!g) invarg('"group" value is invalid\n', v.split(/[/,]/)[0]!);
      list.push(['group', g]);
    } else if (t === 'type') {
      const v = args.value();
      const gt = v === 'mpath' ? NEXTHOP_GRP_TYPE.MPATH : v === 'resilient' ? NEXTHOP_GRP_TYPE.RES : -1;
      if (gt < 0) invarg('"type" value is invalid\n', v);
      if (gt === NEXTHOP_GRP_TYPE.RES && args.left) {
        // parse_nh_group_type_res(): a (possibly empty) nest as soon as anything follows.
        const res: ResGroupAttrs = {};
        const order: Array<keyof ResGroupAttrs> = [];
        for (;;) {
          const k = args.peek();
          if (k === 'buckets') {
            args.next();
            const x = args.value();
            const n = getU16(x);
            if (n === undefined) invarg('invalid buckets value', x);
            res.buckets = n; order.push('buckets');
          } else if (k === 'idle_timer' || k === 'unbalanced_timer') {
            args.next();
            const x = args.value();
            const n = getUnsigned(x);
            if (n === undefined || n >= Math.floor(0xffffffff / 100)) invarg(k === 'idle_timer' ? 'invalid idle timer value' : 'invalid unbalanced timer value', x);
            res[k] = n * 100; order.push(k);
          } else {
            break;
          }
        }
        list.push(['res_group', { order, res }]);
      }
      list.push(['group_type', gt]);
    } else if (matches(t, 'protocol')) {
      const v = args.value();
      const n = protoId(v);
      if (n === undefined) invarg('"protocol" value is invalid\n', v);
      header.protocol = n;
    } else if (t === 'help') {
      usage();
    } else {
      invarg('', t);
    }
  }
  header.flags = nhFlags;
  return (w, seq) => {
    const start = w.beginMessage(type, flags | NLM_F.REQUEST | NLM_F.ACK, seq);
    nhmsg.encode(w, header, {});
    w.pad4();
    const fields = nexthopMessage.attrs.fields;
    for (const [k, v] of list) {
      if (k === 'gateway') {
        const at = w.beginAttr(fields.gateway!.type);
        w.bytes(v as Buffer);
        w.endAttr(at);
      } else if (k === 'encap') {
        // lwt_parse_encap(): the NHA_ENCAP nest, then NHA_ENCAP_TYPE.
        if (!('labels' in (v as object))) {
          const { type: et, data } = v as ParsedEncap;
          const at = w.beginAttr(fields.encap!.type | NLA_F_NESTED);
          encapSchemas.get(et)!.encode(w, data, {});
          w.endAttr(at);
          nexthopMessage.attrs.encode(w, { encap_type: et }, {});
          continue;
        }
        const e = v as MplsEncap;
        const at = w.beginAttr(fields.encap!.type | NLA_F_NESTED);
        const d = w.beginAttr(MPLS_IPTUNNEL_DST);
        w.bytes(e.labels);
        w.endAttr(d);
        if (e.ttl !== undefined) {
          const tt = w.beginAttr(MPLS_IPTUNNEL_TTL);
          w.u8(e.ttl);
          w.endAttr(tt);
        }
        w.endAttr(at);
        nexthopMessage.attrs.encode(w, { encap_type: LWTUNNEL_ENCAP_MPLS }, {});
      } else if (k === 'res_group') {
        // Attributes inside in command-line order (repeats kept).
        const { order, res } = v as { order: Array<keyof ResGroupAttrs>; res: ResGroupAttrs };
        const at = w.beginAttr(fields.res_group!.type | fields.res_group!.flags);
        for (const key of order) nexthopMessage.attrs.fields.res_group!.codec.encode(w, { [key]: res[key] }, {});
        w.endAttr(at);
      } else {
        nexthopMessage.attrs.encode(w, { [k]: v } as NexthopAttrs, {});
      }
    }
    w.endMessage(start);
  };
}

interface ListFilter {
  groups: boolean;
  ifindex: number;
  master: number;
  proto: number;
  fdb: boolean;
  id: number;
  nhid: number;
}

function dumpAttrs(f: ListFilter): NexthopAttrs {
  const a: NexthopAttrs = {};
  if (f.ifindex) a.oif = f.ifindex;
  if (f.groups) a.groups = true;
  if (f.master) a.master = f.master;
  if (f.fdb) a.fdb = true;
  return a;
}

/** Parse the common SELECTOR words; returns an id when `id N` was given (ends the parse). */
async function parseSelector(ctx: CliContext, args: Args, f: ListFilter, bucket: boolean): Promise<number | undefined> {
  let links: LinkMap | undefined;
  const devIndex = async (v: string, msg: string): Promise<number> => {
    links ??= await LinkMap.load(ctx);
    const i = links.index(v);
    if (!i) invarg(msg, v);
    return i;
  };
  while (args.left) {
    const t = args.next()!;
    if (matches(t, 'dev')) {
      f.ifindex = await devIndex(args.value(), 'Device does not exist\n');
    } else if (!bucket && matches(t, 'groups')) {
      f.groups = true;
    } else if (matches(t, 'master')) {
      f.master = await devIndex(args.value(), 'Device does not exist\n');
    } else if (matches(t, 'vrf')) {
      const v = args.value();
      links ??= await LinkMap.load(ctx);
      const i = links.index(v);
      if (!i || links.kind(i) !== 'vrf') invarg('Invalid VRF\n', v);
      f.master = i;
    } else if (t === 'id') {
      const id = parseId(args.value());
      if (!bucket) return id;
      f.id = id;
    } else if (bucket && t === 'nhid') {
      f.nhid = parseId(args.value());
    } else if (!bucket && matches(t, 'protocol')) {
      const v = args.value();
      const n = getUnsigned(v);
      if (n === undefined) invarg('invalid protocol value', v);
      f.proto = n;
    } else if (!bucket && matches(t, 'fdb')) {
      f.fdb = true;
    } else if (matches(t, 'help')) {
      usage();
    } else {
      invarg('', t);
    }
  }
  return undefined;
}

const newFilter = (): ListFilter => ({ groups: false, ifindex: 0, master: 0, proto: 0, fdb: false, id: 0, nhid: 0 });

/** ipnh_get_id(): print one nexthop inside a JSON array. */
async function getId(ctx: CliContext, id: number): Promise<number> {
  const nl = await ctx.netlink();
  const header: NhMsg = { ...nhmsg.zero, family: ctx.opts.family };
  const m = await nl.socket.get(rtRequest(nexthopMessage, RTM.GETNEXTHOP, NLM_F.ACK, header, { id }), 'get nexthop');
  const links = await LinkMap.load(ctx);
  const { header: h, attrs } = nexthopMessage.decode(m.buf, m.off, m.len);
  if (ctx.opts.resolve) await prefetchHosts(attrs);
  const p = ctx.printer;
  p.start();
  printNexthop(ctx, p, h, attrs, links, m.type === RTM.DELNEXTHOP);
  p.finish();
  return 0;
}

/** ipnh_list_flush() */
async function listOrFlush(ctx: CliContext, args: Args, flush: boolean): Promise<number> {
  const all = args.left === 0;
  const f = newFilter();
  const id = await parseSelector(ctx, args, f, false);
  const nl = await ctx.netlink();
  if (id !== undefined) {
    if (!flush) return getId(ctx, id);
    try {
      await nl.socket.request(rtRequest(nexthopMessage, RTM.DELNEXTHOP, NLM_F.ACK, { ...nhmsg.zero }, { id }), 'delete nexthop');
    } catch (e) {
      if (e instanceof NetlinkError) { reportError(ctx, e); return 1; }
      throw e;
    }
    return 0;
  }
  const dump = (flt: ListFilter) => nl.socket.dump(
    rtRequest(nexthopMessage, RTM.GETNEXTHOP, NLM_F.DUMP, { ...nhmsg.zero, family: ctx.opts.family }, dumpAttrs(flt)),
    (m: MessageView) => (m.type === RTM.NEWNEXTHOP || m.type === RTM.DELNEXTHOP ? { ...nexthopMessage.decode(m.buf, m.off, m.len), type: m.type } : undefined),
    'dump nexthops', { interrupted: 'partial' },
  );
  if (flush) {
    if (all) { f.groups = true; f.ifindex = 0; f.master = 0; }
    let flushed = 0;
    for (;;) {
      const victims: number[] = [];
      for await (const x of dump(f)) {
        if (f.proto && x.header.protocol !== f.proto) continue;
        if (x.attrs.id) victims.push(x.attrs.id);
      }
      for (const v of victims) {
        try {
          await nl.socket.request(rtRequest(nexthopMessage, RTM.DELNEXTHOP, NLM_F.ACK, { ...nhmsg.zero }, { id: v }), 'delete nexthop');
          flushed++;
        } catch (e) {
          if (!(e instanceof NetlinkError)) throw e;
          reportError(ctx, e);
        }
      }
      if (all && f.groups) { f.groups = false; continue; }
      break;
    }
    ctx.printer.text('%s', flushed ? `Flushed ${flushed} nexthops\n` : 'Nothing to flush\n');
    ctx.printer.flush();
    return 0;
  }
  const links = await LinkMap.load(ctx);
  const p = ctx.printer;
  p.start();
  try {
    for await (const x of await withHosts(ctx.opts.resolve, dump(f))) {
      if (f.proto && f.proto !== x.header.protocol) continue;
      printNexthop(ctx, p, x.header, x.attrs, links, x.type === RTM.DELNEXTHOP);
    }
  } catch (e) {
    return dumpTerminated(ctx, e, 2);
  }
  p.finish();
  return 0;
}

/** ipnh_get() */
async function get(ctx: CliContext, args: Args): Promise<number> {
  let id = 0;
  while (args.left) {
    const t = args.next()!;
    if (t === 'id') id = parseId(args.value());
    else usage();
  }
  if (!id) usage();
  return getId(ctx, id);
}

/** print_nexthop_bucket() */
function printBucket(p: Printer, h: NhMsg, a: NexthopAttrs): void {
  p.openObject();
  if (a.id !== undefined) p.uint(ANY, 'id', 'id %u ', a.id);
  if (a.res_bucket) {
    const b = a.res_bucket;
    p.openObject('bucket');
    if (b.index !== undefined) p.uint(ANY, 'index', 'index %u ', b.index);
    if (b.idle_time !== undefined) p.float(ANY, 'idle_time', 'idle_time %g ', ticksToSeconds(b.idle_time));
    if (b.nh_id !== undefined) p.uint(ANY, 'nhid', 'nhid %u ', b.nh_id);
    p.closeObject();
  }
  printRtFlags(p, h.flags);
  p.string(FP, null, '%s', '\n');
  p.closeObject();
}

/** do_ipnh_bucket() */
async function bucket(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.peek();
  const nl = await ctx.netlink();
  if (cmd === undefined || matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) {
    if (cmd !== undefined) args.next();
    const f = newFilter();
    await parseSelector(ctx, args, f, true);
    const attrs = dumpAttrs(f);
    if (f.id) attrs.id = f.id;
    if (f.nhid) attrs.res_bucket = { nh_id: f.nhid };
    const p = ctx.printer;
    p.start();
    const items = nl.socket.dump(
      rtRequest(nexthopMessage, RTM.GETNEXTHOPBUCKET, NLM_F.DUMP, { ...nhmsg.zero, family: ctx.opts.family }, attrs),
      (m: MessageView) => (m.type === RTM.NEWNEXTHOPBUCKET || m.type === RTM.DELNEXTHOPBUCKET ? nexthopMessage.decode(m.buf, m.off, m.len) : undefined),
      'dump nexthop buckets', { interrupted: 'partial' },
    );
    try {
      for await (const x of items) printBucket(p, x.header, x.attrs);
    } catch (e) {
      return dumpTerminated(ctx, e, 2);
    }
    p.finish();
    return 0;
  }
  if (matches(cmd, 'get')) {
    args.next();
    let id = 0;
    let index: number | undefined;
    while (args.left) {
      const t = args.next()!;
      if (t === 'id') id = parseId(args.value());
      else if (t === 'index') {
        const v = args.value();
        const n = getU16(v);
        if (n === undefined) invarg('invalid bucket index value', v);
        index = n;
      } else usage();
    }
    if (!id || index === undefined) usage();
    const m = await nl.socket.get(rtRequest(nexthopMessage, RTM.GETNEXTHOPBUCKET, NLM_F.ACK,
      { ...nhmsg.zero, family: ctx.opts.family }, { id, res_bucket: { index } }), 'get nexthop bucket');
    const x = nexthopMessage.decode(m.buf, m.off, m.len);
    const p = ctx.printer;
    p.start();
    printBucket(p, x.header, x.attrs);
    p.finish();
    return 0;
  }
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip nexthop help".`);
}

/** `ip nexthop …` (do_ipnh) */
export default async function ipNexthop(ctx: CliContext, args: Args): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined) return listOrFlush(ctx, args, false);
  if (matches(cmd, 'add')) return modify(ctx, args, RTM.NEWNEXTHOP, NLM_F.CREATE | NLM_F.EXCL);
  if (matches(cmd, 'replace')) return modify(ctx, args, RTM.NEWNEXTHOP, NLM_F.CREATE | NLM_F.REPLACE);
  if (matches(cmd, 'delete')) return modify(ctx, args, RTM.DELNEXTHOP, 0);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return listOrFlush(ctx, args, false);
  if (matches(cmd, 'get')) return get(ctx, args);
  if (matches(cmd, 'flush')) return listOrFlush(ctx, args, true);
  if (matches(cmd, 'bucket')) return bucket(ctx, args);
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip nexthop help".`);
}
