/**
 * `encap TYPE …` of routes and nexthops, both directions, as iproute2's
 * ip/iproute_lwtunnel.c: lwt_parse_encap() (grammar, errors, attribute order)
 * and lwt_print_encap() (text and JSON). MPLS is parsed by the route and
 * nexthop modules themselves; everything else is here.
 * @module
 */
import { CliError, duparg2, invarg, missarg, incomplete } from '../common/args.js';
import { ANY, FP, JSON_ONLY, Printer, StringSink } from '../../output/printer.js';
import { COLOR_INET, COLOR_INET6, type Palette } from '../../output/color.js';
import { formatAddress } from '../../netlink/addr.js';
import {
  LWTUNNEL_ENCAP, SEG6_LOCAL_ACTION, SEG6_IPTUN_MODE, IOAM6_IPTUNNEL, TUNNEL_FLAGS,
  buildSrh, buildRplSrh, srhHmacKeyId,
  type Srh, type RplSrh, type GeneveOpt, type IpTunnelOpts, type BpfProg,
} from '../../netlink/rtnetlink/lwtunnel-schema.js';
import { getAddr } from './inet-args.js';
import { getU8, getU16, getU32 } from './link-kinds/util.js';
import { getU64 } from './inet-args.js';
import { tableId, tableName, dsfieldId } from './route-names.js';

/** format_encap_type() */
export const ENCAP_NAMES: Readonly<Record<number, string>> = {
  1: 'mpls', 2: 'ip', 3: 'ila', 4: 'ip6', 5: 'seg6', 6: 'bpf', 7: 'seg6local', 8: 'rpl', 9: 'ioam6', 10: 'xfrm',
};

/** read_encap_type(): 0 when unknown; `help` prints the usage and exits. */
export function readEncapType(name: string): number {
  for (const [t, n] of Object.entries(ENCAP_NAMES)) if (n === name) return Number(t);
  if (name === 'help') {
    let s = 'Usage: ip route ... encap TYPE [ OPTIONS ] [...]\n';
    for (let i = 1; i <= 10; i++) s += `${ENCAP_NAMES[i]} ${i === 1 ? 'TYPE := ' : '      '}\n`;
    throw new CliError(s.replace(/\n$/, ''), 255);
  }
  return 0;
}

const SEG6_MODES = ['inline', 'encap', 'l2encap', 'encap.red', 'l2encap.red'];
const SEG6_ACTIONS = ['', 'End', 'End.X', 'End.T', 'End.DX2', 'End.DX6', 'End.DX4', 'End.DT6', 'End.DT4', 'End.B6',
  'End.B6.Encaps', 'End.BM', 'End.S', 'End.AS', 'End.AM', 'End.BPF', 'End.DT46'];
const FLAVORS = ['', 'psp', 'usp', 'usd', 'next-csid'];
const IOAM6_MODES = ['', 'inline', 'encap', 'auto'];
const ILA_CSUM: Readonly<Record<number, string>> = { 0: 'adj-transport', 1: 'neutral-map', 2: 'no-action', 3: 'neutral-map-auto' };
const ILA_IDENT: Readonly<Record<number, string>> = { 0: 'iid', 1: 'luid', 2: 'virt-v4', 3: 'virt-uni-v6', 4: 'virt-multi-v6', 5: 'nonlocal-addr', 32: 'use-format' };
const ILA_HOOK: Readonly<Record<number, string>> = { 0: 'output', 1: 'input' };
const IOAM6_TRACE_DATA_SIZE_MAX = 244;

// ---------------------------------------------------------------- parsing

/** A parsed encapsulation: the RTA_ENCAP payload (schema object) and its type. */
export interface ParsedEncap {
  readonly type: number;
  readonly data: Record<string, unknown>;
}

/** What parsing needs besides the words: ll_name_to_index() (0 when unknown). */
export interface EncapParseContext {
  index(name: string): number;
}

/** A cursor over argv as iproute2's argc/argv pair. */
class Cursor {
  constructor(readonly argv: readonly string[], public i: number) {}
  get cur(): string { return this.argv[this.i]!; }
  /** argc > 0 */
  get left(): boolean { return this.i < this.argv.length; }
  /** NEXT_ARG() */
  next(): string {
    this.i++;
    if (this.i >= this.argv.length) incomplete();
    return this.argv[this.i]!;
  }
  /** NEXT_ARG_OK() */
  nextOk(): boolean { return this.argv.length - this.i - 1 > 0; }
}

function nodev(name: string): never {
  throw new CliError(`Cannot find device "${name}"`, 255);
}

/** get_addr(): the address text in `family`, or iproute2's error. */
function addrText(arg: string, family: number): string {
  return formatAddress(getAddr(arg, family).bytes);
}

/**
 * lwt_parse_encap(): `argv[i]` is "encap"; the type and its options follow.
 * Returns the parsed encapsulation and the index of the last word it used.
 * MPLS is not handled here (the caller parses it).
 */
export function parseLwtEncap(argv: readonly string[], i: number, ctx: EncapParseContext): { encap: ParsedEncap; last: number } {
  const c = new Cursor(argv, i);
  const typeName = c.next();
  const type = readEncapType(typeName);
  if (!type) invarg('"encap type" value is invalid\n', typeName);
  c.next();
  if (argv.length - c.i <= 1) throw new CliError('Error: unexpected end of line after "encap"', 255);
  let data: Record<string, unknown>;
  switch (type) {
    case LWTUNNEL_ENCAP.IP: data = parseIp(c, false); break;
    case LWTUNNEL_ENCAP.IP6: data = parseIp(c, true); break;
    case LWTUNNEL_ENCAP.ILA: data = parseIla(c); break;
    case LWTUNNEL_ENCAP.SEG6: data = parseSeg6(c); break;
    case LWTUNNEL_ENCAP.SEG6_LOCAL: data = parseSeg6Local(c, ctx); break;
    case LWTUNNEL_ENCAP.RPL: data = parseRpl(c); break;
    case LWTUNNEL_ENCAP.IOAM6: data = parseIoam6(c); break;
    case LWTUNNEL_ENCAP.XFRM: data = parseXfrm(c, ctx); break;
    case LWTUNNEL_ENCAP.BPF:
      // Loading an eBPF object (ELF) into the kernel is not something rip does.
      throw new CliError('Error: encap type "bpf" is not supported by rip (it needs an eBPF object loader)', 255);
    default:
      throw new CliError(`Error: encap type "${typeName}" is not supported here`, 255);
  }
  // The type parsers stop on the first word that is not theirs; lwt_parse_encap() steps back to the one before.
  return { encap: { type, data }, last: c.i - 1 };
}

/** parse_encap_ip() / parse_encap_ip6() */
function parseIp(c: Cursor, v6: boolean): Record<string, unknown> {
  const seen = new Set<string>();
  const once = (key: string, arg: string, shown = key): void => {
    if (seen.has(key)) duparg2(shown, arg);
    seen.add(key);
  };
  const out: Record<string, unknown> = {};
  let flags = 0;
  const family = v6 ? 10 : 2;
  for (; c.left; c.i++) {
    const a = c.cur;
    if (a === 'id') {
      const v = c.next();
      once('id', v);
      const id = getU64(v);
      if (id === undefined) invarg('"id" value is invalid\n', v);
      out.id = id;
    } else if (a === 'dst') {
      const v = c.next();
      once('dst', v);
      out.dst = addrText(v, family);
    } else if (a === 'src') {
      const v = c.next();
      once('src', v);
      out.src = addrText(v, family);
    } else if (!v6 && a === 'tos') {
      const v = c.next();
      once('tos', v);
      const t = dsfieldId(v);
      if (t === null) invarg('"tos" value is invalid\n', v);
      out.tos = t;
    } else if (v6 && a === 'tc') {
      const v = c.next();
      once('tc', v);
      const t = dsfieldId(v);
      if (t === null) invarg('"tc" value is invalid\n', v);
      out.tc = t;
    } else if (!v6 && a === 'ttl') {
      const v = c.next();
      once('ttl', v);
      const t = getU8(v);
      if (t === undefined) invarg('"ttl" value is invalid\n', v);
      out.ttl = t;
    } else if (v6 && a === 'hoplimit') {
      const v = c.next();
      once('hoplimit', v);
      const t = getU8(v);
      if (t === undefined) invarg('"hoplimit" value is invalid\n', v);
      out.hoplimit = t;
    } else if (a === 'geneve_opts' || a === 'vxlan_opts' || a === 'erspan_opts') {
      if (seen.has('opts')) duparg2('opts', a);
      seen.add('opts');
      const v = c.next();
      const opts = parseTunnelOpts(a, v);
      if (!opts) invarg(`"${a}" value is invalid\n`, v);
      // Each option set is its own LWTUNNEL_IP_OPTS nest, as iproute2 sends it.
      out.opts = opts;
    } else if (a === 'key' || a === 'csum' || a === 'seq') {
      once(a, a);
      flags |= a === 'key' ? TUNNEL_FLAGS.KEY : a === 'csum' ? TUNNEL_FLAGS.CSUM : TUNNEL_FLAGS.SEQ;
    } else break;
  }
  if (flags) out.flags = flags;
  return out;
}

/** hex2mem(): an even-length hex string (an odd last digit is dropped, as iproute2's len / 2). */
function hexBytes(s: string): Buffer | undefined {
  const n = s.length >> 1;
  if (!/^[0-9a-fA-F]*$/.test(s.slice(0, n * 2))) return undefined;
  return Buffer.from(s.slice(0, n * 2), 'hex');
}

/** lwtunnel_parse_{geneve,vxlan,erspan}_opts(); undefined when invalid. */
function parseTunnelOpts(kind: string, v: string): IpTunnelOpts | undefined {
  if (kind === 'vxlan_opts') {
    const gbp = getU32(v);
    return gbp === undefined ? undefined : { vxlan: { gbp } };
  }
  if (kind === 'erspan_opts') {
    const e: Record<string, number> = {};
    const parts = v.split(':');
    if (parts.length > 4) return undefined;
    const keys = ['ver', 'index', 'dir', 'hwid'] as const;
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k]!;
      if (!p.length) continue;
      const n = keys[k] === 'index' ? getU32(p) : getU8(p);
      if (n === undefined) return undefined;
      e[keys[k]!] = n;
    }
    return { erspan: e };
  }
  const list: GeneveOpt[][] = [];
  for (const one of v.split(',')) {
    const parts = one.split(':');
    if (parts.length > 3) return undefined;
    const o: { class?: number; type?: number; data?: Buffer } = {};
    if (parts[0]) { const n = getU16(parts[0]); if (n === undefined) return undefined; o.class = n; }
    if (parts[1]) { const n = getU8(parts[1]); if (n === undefined) return undefined; o.type = n; }
    if (parts[2]) { const b = hexBytes(parts[2]); if (!b) return undefined; o.data = b; }
    list.push([o]);
  }
  return { geneve: list };
}

/** parse_encap_ila() */
function parseIla(c: Cursor): Record<string, unknown> {
  const loc = c.cur;
  const m = /^([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})$/.exec(loc);
  if (!m) throw new CliError(`Bad locator: ${loc}`, 1);
  // The locator as a u64 in network byte order (four be16 words).
  const b = Buffer.alloc(8);
  for (let k = 0; k < 4; k++) b.writeUInt16BE(parseInt(m[k + 1]!, 16), 2 * k);
  const out: Record<string, unknown> = { locator: b.readBigUInt64LE(0) };
  c.i++;
  const table = (names: Readonly<Record<number, string>>, v: string): number | undefined => {
    for (const [k, n] of Object.entries(names)) if (n === v) return Number(k);
    return undefined;
  };
  while (c.left) {
    const a = c.cur;
    if (a === 'csum-mode' || a === 'ident-type' || a === 'hook-type') {
      const v = c.next();
      const names = a === 'csum-mode' ? ILA_CSUM : a === 'ident-type' ? ILA_IDENT : ILA_HOOK;
      const n = table(names, v);
      if (n === undefined) invarg(`"${a}" value is invalid\n`, v);
      out[a === 'csum-mode' ? 'csum_mode' : a === 'ident-type' ? 'ident_type' : 'hook_type'] = n;
      c.i++;
    } else break;
  }
  return out;
}

/** The segments of `segs A,B,C` (get_addr() of each, as IPv6). */
function segments(list: string): string[] {
  // strtok() skips empty fields.
  return list.split(',').filter((s) => s.length).map((s) => addrText(s, 10));
}

/** The comma count + 1 that parse_srh()/parse_rpl_srh() size the header with (strtok may fill fewer). */
function segCount(list: string): number {
  return list.split(',').length;
}

/** parse_srh() with iproute2's sizing (empty fields leave zero segments at the low end). */
function srhOf(list: string, hmac: number, encap: boolean): Srh {
  const segs = segments(list);
  const n = segCount(list);
  const s = buildSrh([...segs, ...new Array<string>(n - segs.length).fill('::')], hmac, encap);
  return s;
}

/** parse_encap_seg6() */
function parseSeg6(c: Cursor): Record<string, unknown> {
  let mode = -1, modeOk = false, segsOk = false, hmacOk = false;
  let segbuf = '';
  let hmac = 0;
  for (; c.left; c.i++) {
    const a = c.cur;
    if (a === 'mode') {
      const v = c.next();
      if (modeOk) duparg2('mode', v);
      modeOk = true;
      mode = SEG6_MODES.indexOf(v);
      if (mode < 0) invarg('"mode" value is invalid\n', v);
    } else if (a === 'segs') {
      const v = c.next();
      if (segsOk) duparg2('segs', v);
      segsOk = true;
      if (mode === -1) invarg('"segs" provided before "mode"\n', v);
      segbuf = v;
    } else if (a === 'hmac') {
      const v = c.next();
      if (hmacOk) duparg2('hmac', v);
      hmacOk = true;
      hmac = getU32(v) ?? 0;
    } else break;
  }
  // parse_srh(segbuf, hmac, encap): `encap` is the mode number, so only inline (0) reserves a slot.
  return { srh: { mode, srh: srhOf(segbuf, hmac, mode !== SEG6_IPTUN_MODE.INLINE) } };
}

/** parse_seg6local_flavors(): the operation bits, or undefined when invalid. */
function flavorMask(list: string): number | undefined {
  if (!list.length) return undefined;
  let mask = 0;
  for (const s of list.split(',').filter((x) => x.length)) {
    const k = FLAVORS.findIndex((f, idx) => idx > 0 && f.toLowerCase() === s.toLowerCase());
    if (k < 0 || mask & (1 << k)) return undefined;
    mask |= 1 << k;
  }
  return mask;
}

/** parse_encap_seg6local() */
function parseSeg6Local(c: Cursor, ctx: EncapParseContext): Record<string, unknown> {
  const seen = new Set<string>();
  const once = (key: string, arg: string): void => {
    if (seen.has(key)) duparg2(key, arg);
    seen.add(key);
  };
  const out: Record<string, unknown> = {};
  let action = 0;
  let segbuf = '';
  let hmac = 0;
  let srhOk = false;
  loop: for (; c.left; c.i++) {
    const a = c.cur;
    if (a === 'action') {
      const v = c.next();
      once('action', v);
      action = Math.max(0, SEG6_ACTIONS.indexOf(v));
      if (!action) invarg('"action" value is invalid\n', v);
      out.action = action;
    } else if (a === 'table' || a === 'vrftable') {
      const v = c.next();
      once(a, v);
      const t = tableId(v);
      if (t === null) invarg(a === 'table' ? 'invalid table id\n' : 'invalid vrf table id\n', v);
      out[a] = t;
    } else if (a === 'nh4' || a === 'nh6') {
      const v = c.next();
      once(a, v);
      out[a] = addrText(v, a === 'nh4' ? 2 : 10);
    } else if (a === 'iif' || a === 'oif') {
      const v = c.next();
      once(a, v);
      const idx = ctx.index(v);
      if (!idx) nodev(v);
      out[a] = idx;
    } else if (a === 'count') {
      once('count', a);
      // The kernel starts the counters at zero; iproute2 sends them as zero.
      out.counters = { packets: 0n, bytes: 0n, errors: 0n };
    } else if (a === 'flavors') {
      const v = c.next();
      once('flavors', v);
      const mask = flavorMask(v);
      if (mask === undefined) invarg('invalid "flavors" attribute\n', v);
      const flv: Record<string, number> = { operation: mask };
      if (mask & (1 << 4)) {
        // next-csid: optional lblen / nflen follow.
        c.i++;
        if (c.left && c.cur === 'lblen') {
          const n = c.next();
          const b = getU8(n);
          if (b === undefined) invarg('"locator-block length" value is invalid\n', n);
          flv.lblen = b;
          c.i++;
        }
        if (c.left && c.cur === 'nflen') {
          const n = c.next();
          const b = getU8(n);
          if (b === undefined) invarg('"locator-node function length" value is invalid\n', n);
          flv.nflen = b;
          c.i++;
        }
        c.i--;
      }
      out.flavors = flv;
    } else if (a === 'srh') {
      const v = c.next();
      once('srh', v);
      if (v !== 'segs') invarg('missing "segs" attribute for srh\n', v);
      const s = c.next();
      once('segs', s);
      segbuf = s;
      srhOk = true;
      if (!c.nextOk()) break;
      const h = c.next();
      if (h === 'hmac') {
        const k = c.next();
        once('hmac', k);
        hmac = getU32(k) ?? 0;
      } else {
        c.i--; // the word after the segments is parsed as an option of its own
        continue loop;
      }
    } else if (a === 'endpoint') {
      throw new CliError('Error: seg6local "endpoint" (End.BPF) is not supported by rip (it needs an eBPF object loader)', 255);
    } else break;
  }
  if (!action) throw new CliError('Missing action type', 255);
  if (srhOk) out.srh = srhOf(segbuf, hmac, action === SEG6_LOCAL_ACTION.END_B6_ENCAP);
  return out;
}

/** parse_encap_rpl() */
function parseRpl(c: Cursor): Record<string, unknown> {
  let segbuf = '';
  let segsOk = false;
  for (; c.left; c.i++) {
    if (c.cur !== 'segs') break;
    const v = c.next();
    if (segsOk) duparg2('segs', v);
    segsOk = true;
    segbuf = v;
  }
  const segs = segments(segbuf);
  const n = segCount(segbuf);
  return { srh: buildRplSrh([...new Array<string>(n - segs.length).fill('::'), ...segs]) };
}

/** parse_encap_ioam6() */
function parseIoam6(c: Cursor): Record<string, unknown> {
  let freqK = 1, freqN = 1;
  if (c.cur === 'freq') {
    const v = c.next();
    if (v.length > 15) invarg('Invalid frequency (too long)', v);
    const m = /^([^/]+)\/([^/]+)$/.exec(v);
    const k = m ? getU32(m[1]!, 10) : undefined;
    const n = m ? getU32(m[2]!, 10) : undefined;
    if (k === undefined || n === undefined) invarg('Invalid frequency (malformed)', v);
    if (k < 1 || k > 1000000) invarg('Out of bound "k" frequency', v);
    if (n < 1 || n > 1000000) invarg('Out of bound "n" frequency', v);
    if (k > n) invarg('Frequency with k > n is forbidden', v);
    freqK = k; freqN = n;
    c.next();
  }
  let mode: number = IOAM6_IPTUNNEL.MODE_INLINE;
  if (c.cur === 'mode') {
    const v = c.next();
    mode = IOAM6_MODES.indexOf(v);
    if (mode <= 0) invarg('Invalid mode', v);
    c.next();
  }
  let dst: string | undefined;
  if (c.cur !== 'tundst') {
    if (mode !== IOAM6_IPTUNNEL.MODE_INLINE) missarg('tundst');
  } else {
    if (mode === IOAM6_IPTUNNEL.MODE_INLINE) invarg('Inline mode does not need tundst', c.cur);
    const v = c.next();
    dst = addrText(v, 10);
    c.next();
  }
  if (c.cur !== 'trace') missarg('trace');
  if (c.next() !== 'prealloc') missarg('prealloc');
  let type = 0, ns: number | undefined, size = 0;
  while (c.nextOk()) {
    c.i++;
    const a: string = c.argv[c.i]!;
    if (a === 'type') {
      const v = c.next();
      if (type) duparg2('type', v);
      const t = getU32(v);
      if (t === undefined || !t) invarg('Invalid trace type', v);
      type = t;
    } else if (a === 'ns') {
      const v = c.next();
      if (ns !== undefined) duparg2('ns', v);
      const t = getU16(v);
      if (t === undefined) invarg('Invalid namespace ID', v);
      ns = t;
    } else if (a === 'size') {
      const v = c.next();
      if (size) duparg2('size', v);
      const t = getU16(v);
      if (t === undefined || !t) invarg('Invalid trace size', v);
      if (t % 4) invarg('Trace size must be a 4-octet multiple', v);
      if (t > IOAM6_TRACE_DATA_SIZE_MAX) invarg('Trace size is too big', v);
      size = t;
    } else break;
  }
  if (!type) missarg('type');
  if (ns === undefined) missarg('ns');
  if (!size) missarg('size');
  const out: Record<string, unknown> = { freq_k: freqK, freq_n: freqN, mode };
  if (dst !== undefined) out.dst = dst;
  out.trace = { namespace_id: ns, nodelen: 0, remlen: (size / 4) & 0xff, type_be32: (type << 8) >>> 0 };
  return out;
}

/** parse_encap_xfrm() */
function parseXfrm(c: Cursor, ctx: EncapParseContext): Record<string, unknown> {
  const usage = (): never => { throw new CliError('Usage: ip route ... encap xfrm if_id IF_ID [ link_dev LINK ]', 255); };
  const out: Record<string, unknown> = {};
  let idOk = false, linkOk = false;
  for (; c.left; c.i++) {
    const a = c.cur;
    if (a === 'if_id') {
      const v = c.next();
      if (idOk) duparg2('if_id', v);
      idOk = true;
      const id = getU32(v);
      if (id === undefined || id === 0) invarg('"if_id" value is invalid\n', v);
      out.if_id = id;
    } else if (a === 'link_dev') {
      const v = c.next();
      if (linkOk) duparg2('link_dev', v);
      linkOk = true;
      const idx = ctx.index(v);
      if (!idx) nodev(v);
      out.link = idx;
    } else if (a === 'help') usage();
    // iproute2's loop has no `else break`: every other word is skipped.
  }
  if (!idOk) usage();
  return out;
}

// ---------------------------------------------------------------- printing

/** What printing needs besides the encapsulation. */
export interface EncapPrintContext {
  /** ll_index_to_name() */
  name(index: number): string;
  /** -s given (seg6local counters). */
  readonly stats: number;
}

const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Buffer.isBuffer(v) ? v as Record<string, unknown> : {});

/** lwt_print_encap(): " encap TYPE " and the type's options. */
export function printLwtEncap(p: Printer, type: number, data: Record<string, unknown> | Buffer, ctx: EncapPrintContext): void {
  p.string(ANY, 'encap', ' encap %s ', ENCAP_NAMES[type] ?? 'unknown');
  // Raw bytes: an encapsulation this kernel reports that the schema could not read.
  if (Buffer.isBuffer(data)) return;
  switch (type) {
    case LWTUNNEL_ENCAP.MPLS:
      if (typeof data.dst === 'string') p.string(ANY, 'dst', ' %s ', data.dst);
      if (typeof data.ttl === 'number') p.uint(ANY, 'ttl', 'ttl %u ', data.ttl);
      break;
    case LWTUNNEL_ENCAP.IP: printIp(p, data, false); break;
    case LWTUNNEL_ENCAP.IP6: printIp(p, data, true); break;
    case LWTUNNEL_ENCAP.ILA: printIla(p, data); break;
    case LWTUNNEL_ENCAP.BPF: printBpf(p, data); break;
    case LWTUNNEL_ENCAP.SEG6: printSeg6(p, data); break;
    case LWTUNNEL_ENCAP.SEG6_LOCAL: printSeg6Local(p, data, ctx); break;
    case LWTUNNEL_ENCAP.RPL: printRpl(p, data); break;
    case LWTUNNEL_ENCAP.IOAM6: printIoam6(p, data); break;
    case LWTUNNEL_ENCAP.XFRM: printXfrm(p, data, ctx); break;
  }
}

/** The text of {@link printLwtEncap} (for the route printer's string-built lines). */
export function lwtEncapText(type: number, data: Record<string, unknown> | Buffer, ctx: EncapPrintContext, lineSep: string, palette?: Palette): string {
  const sink = new StringSink();
  printLwtEncap(new Printer(sink, palette !== undefined ? { lineSep, palette } : { lineSep }), type, data, ctx);
  return sink.toString();
}

function printIp(p: Printer, d: Record<string, unknown>, v6: boolean): void {
  if (typeof d.id === 'bigint') p.u64(ANY, 'id', 'id %s ', d.id);
  const color = v6 ? COLOR_INET6 : COLOR_INET;
  if (typeof d.src === 'string') p.colorString(ANY, color, 'src', 'src %s ', d.src);
  if (typeof d.dst === 'string') p.colorString(ANY, color, 'dst', 'dst %s ', d.dst);
  if (v6) {
    if (typeof d.hoplimit === 'number') p.u64(ANY, 'hoplimit', 'hoplimit %u ', d.hoplimit);
    if (typeof d.tc === 'number') p.uint(ANY, 'tc', 'tc %u ', d.tc);
  } else {
    if (typeof d.ttl === 'number') p.uint(ANY, 'ttl', 'ttl %u ', d.ttl);
    if (typeof d.tos === 'number') p.uint(ANY, 'tos', 'tos %d ', d.tos);
  }
  if (typeof d.flags === 'number') {
    if (d.flags & TUNNEL_FLAGS.KEY) p.bool(ANY, 'key', 'key ', true);
    if (d.flags & TUNNEL_FLAGS.CSUM) p.bool(ANY, 'csum', 'csum ', true);
    if (d.flags & TUNNEL_FLAGS.SEQ) p.bool(ANY, 'seq', 'seq ', true);
  }
  if (d.opts !== undefined) printOpts(p, rec(d.opts));
}

/** lwtunnel_print_opts(): one kind of options, on a line of its own. */
function printOpts(p: Printer, o: Record<string, unknown>): void {
  if (Array.isArray(o.geneve)) {
    const list = (o.geneve as GeneveOpt[][]).flat();
    p.nl();
    p.string(FP, 'geneve_opts', '\t%s ', 'geneve_opts');
    p.openArray(JSON_ONLY, 'geneve_opts');
    list.forEach((g, k) => {
      p.openObject();
      p.uint(ANY, 'class', '%u', g.class ?? 0);
      p.uint(ANY, 'type', ':%u', g.type ?? 0);
      const hex = g.data ? g.data.toString('hex') : '';
      p.string(ANY, 'data', k < list.length - 1 ? ':%s,' : ':%s ', hex);
      p.closeObject();
    });
    p.closeArray(JSON_ONLY, '');
  } else if (o.vxlan !== undefined) {
    const v = rec(o.vxlan);
    p.nl();
    p.string(FP, 'vxlan_opts', '\t%s ', 'vxlan_opts');
    p.openArray(JSON_ONLY, 'vxlan_opts');
    p.openObject();
    p.uint(ANY, 'gbp', '%u ', typeof v.gbp === 'number' ? v.gbp : 0);
    p.closeObject();
    p.closeArray(JSON_ONLY, '');
  } else if (o.erspan !== undefined) {
    const e = rec(o.erspan);
    const num = (x: unknown): number => (typeof x === 'number' ? x : 0);
    const ver = num(e.ver);
    p.nl();
    p.string(FP, 'erspan_opts', '\t%s ', 'erspan_opts');
    p.openArray(JSON_ONLY, 'erspan_opts');
    p.openObject();
    p.uint(ANY, 'ver', '%u', ver);
    p.uint(ANY, 'index', ':%u', ver === 1 ? num(e.index) : 0);
    p.uint(ANY, 'dir', ':%u', ver === 1 ? 0 : num(e.dir));
    p.uint(ANY, 'hwid', ':%u ', ver === 1 ? 0 : num(e.hwid));
    p.closeObject();
    p.closeArray(JSON_ONLY, '');
  }
}

function printIla(p: Printer, d: Record<string, unknown>): void {
  if (typeof d.locator === 'bigint') {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(d.locator);
    const words = [0, 2, 4, 6].map((o) => b.readUInt16BE(o).toString(16));
    p.string(ANY, 'locator', ' %s ', words.join(':'));
  }
  if (typeof d.csum_mode === 'number') p.string(ANY, 'csum_mode', ' csum-mode %s ', ILA_CSUM[d.csum_mode] ?? 'unknown');
  if (typeof d.ident_type === 'number') p.string(ANY, 'ident_type', ' ident-type %s ', ILA_IDENT[d.ident_type] ?? 'unknown');
  if (typeof d.hook_type === 'number') p.string(ANY, 'hook_type', ' hook-type %s ', ILA_HOOK[d.hook_type] ?? 'unknown');
}

/** print_encap_bpf_prog() */
function printBpfProg(p: Printer, prog: BpfProg, key: string): void {
  const name = prog.name;
  if (p.inJson) p.string(JSON_ONLY, key, '', name ?? '<unknown>');
  else {
    p.text('%s ', key);
    if (name !== undefined) p.text('%s ', name);
  }
}

function printBpf(p: Printer, d: Record<string, unknown>): void {
  for (const k of ['in', 'out', 'xmit'] as const) if (d[k] !== undefined) printBpfProg(p, rec(d[k]) as BpfProg, k);
  if (typeof d.headroom === 'number') p.uint(ANY, 'headroom', ' %u ', d.headroom);
}

/** print_srh() */
function printSrh(p: Printer, h: Srh): void {
  if (p.inJson) p.openArray(JSON_ONLY, 'segs');
  else p.text('segs %d [ ', h.first_segment + 1);
  for (let i = h.first_segment; i >= 0; i--) p.colorString(ANY, COLOR_INET6, null, '%s ', h.segments[i] ?? '::');
  if (p.inJson) p.closeArray(JSON_ONLY, '');
  else p.text('] ');
  const key = srhHmacKeyId(h);
  if (key !== undefined) p.hex0x(ANY, 'hmac', 'hmac %X ', key);
}

function printSeg6(p: Printer, d: Record<string, unknown>): void {
  const t = rec(d.srh);
  if (d.srh === undefined) return;
  const mode = typeof t.mode === 'number' ? t.mode : -1;
  p.string(ANY, 'mode', 'mode %s ', mode >= 0 && mode <= SEG6_MODES.length ? SEG6_MODES[mode] ?? '(null)' : '<unknown>');
  printSrh(p, t.srh as Srh);
}

function printSeg6Local(p: Printer, d: Record<string, unknown>, ctx: EncapPrintContext): void {
  if (typeof d.action !== 'number') return;
  const a = d.action;
  p.string(ANY, 'action', 'action %s ', a < 0 || a > 16 ? '<invalid>' : SEG6_ACTIONS[a] || '<unknown>');
  if (d.srh !== undefined) {
    p.openObject('srh');
    printSrh(p, d.srh as Srh);
    p.closeObject();
  }
  if (typeof d.table === 'number') p.string(ANY, 'table', 'table %s ', tableName(d.table));
  if (typeof d.vrftable === 'number') p.string(ANY, 'vrftable', 'vrftable %s ', tableName(d.vrftable));
  if (typeof d.nh4 === 'string') p.string(ANY, 'nh4', 'nh4 %s ', d.nh4);
  if (typeof d.nh6 === 'string') p.string(ANY, 'nh6', 'nh6 %s ', d.nh6);
  if (typeof d.iif === 'number') p.string(ANY, 'iif', 'iif %s ', ctx.name(d.iif));
  if (typeof d.oif === 'number') p.string(ANY, 'oif', 'oif %s ', ctx.name(d.oif));
  if (d.bpf !== undefined) printBpfProg(p, rec(d.bpf) as BpfProg, 'endpoint');
  if (d.counters !== undefined && ctx.stats) {
    const c = rec(d.counters);
    const n = (x: unknown): bigint => (typeof x === 'bigint' ? x : 0n);
    if (p.inJson) {
      p.openObject('stats64');
      p.u64(JSON_ONLY, 'packets', '', n(c.packets));
      p.u64(JSON_ONLY, 'bytes', '', n(c.bytes));
      p.u64(JSON_ONLY, 'errors', '', n(c.errors));
      p.closeObject();
    } else {
      p.text('packets %s ', String(n(c.packets)));
      p.text('bytes %s ', String(n(c.bytes)));
      p.text('errors %s ', String(n(c.errors)));
    }
  }
  if (d.flavors !== undefined) {
    const f = rec(d.flavors);
    if (typeof f.operation === 'number') {
      const names = FLAVORS.filter((name, i) => i > 0 && name && (f.operation as number) & (1 << i));
      if (p.inJson) {
        p.openArray(JSON_ONLY, 'flavors');
        for (const n of names) p.string(JSON_ONLY, null, '', n);
        p.closeArray(JSON_ONLY, '');
      } else p.text('flavors %s ', names.join(','));
    }
    if (typeof f.lblen === 'number') {
      if (p.inJson) p.u64(JSON_ONLY, 'lblen', '', f.lblen); else p.text('lblen %u ', f.lblen);
    }
    if (typeof f.nflen === 'number') {
      if (p.inJson) p.u64(JSON_ONLY, 'nflen', '', f.nflen); else p.text('nflen %u ', f.nflen);
    }
  }
}

function printRpl(p: Printer, d: Record<string, unknown>): void {
  if (d.srh === undefined) return;
  const h = d.srh as RplSrh;
  if (p.inJson) p.openArray(JSON_ONLY, 'segs');
  else p.text('segs %d [ ', h.segments_left);
  for (let i = h.segments_left - 1; i >= 0; i--) p.colorString(ANY, COLOR_INET6, null, '%s ', h.segments[i] ?? '::');
  if (p.inJson) p.closeArray(JSON_ONLY, '');
  else p.text('] ');
}

function printIoam6(p: Printer, d: Record<string, unknown>): void {
  if (typeof d.mode !== 'number' || d.trace === undefined || typeof d.freq_k !== 'number' || typeof d.freq_n !== 'number') return;
  p.uint(ANY, 'freqk', 'freq %u', d.freq_k);
  p.uint(ANY, 'freqn', '/%u ', d.freq_n);
  const mode = d.mode;
  if (d.dst === undefined && mode !== IOAM6_IPTUNNEL.MODE_INLINE) return;
  p.string(ANY, 'mode', 'mode %s ', IOAM6_MODES[mode] || '<unknown>');
  if (mode !== IOAM6_IPTUNNEL.MODE_INLINE) p.string(ANY, 'tundst', 'tundst %s ', typeof d.dst === 'string' ? d.dst : '');
  const t = rec(d.trace);
  const num = (x: unknown): number => (typeof x === 'number' ? x : 0);
  p.null(ANY, 'trace', 'trace ', '');
  p.null(ANY, 'prealloc', 'prealloc ', '');
  p.hex(ANY, 'type', 'type %#08x ', num(t.type_be32) >>> 8);
  p.uint(ANY, 'ns', 'ns %u ', num(t.namespace_id));
  p.uint(ANY, 'size', 'size %u ', (num(t.remlen) & 0x7f) * 4);
}

function printXfrm(p: Printer, d: Record<string, unknown>, ctx: EncapPrintContext): void {
  if (typeof d.if_id === 'number') p.uint(ANY, 'if_id', 'if_id %lu ', d.if_id);
  if (typeof d.link === 'number') p.string(ANY, 'link_dev', 'link_dev %s ', ctx.name(d.link));
}
