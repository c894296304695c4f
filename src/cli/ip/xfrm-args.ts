/**
 * `ip xfrm` grammar shared by state and policy, as iproute2's ip/ipxfrm.c
 * parses it: ID, MODE, SELECTOR (+ UPSPEC), LIMIT, MARK, and the list filter
 * those parsers fill in as a side effect (iproute2's global `filter`).
 * @module
 */
import { CliError, incomplete, invarg, missarg, matches } from '../common/args.js';
import { getPrefix, getUnsigned, getU64, getAddr } from './inet-args.js';
import { inetProtoId } from './rtnl-names.js';
import { xfrmProtoName, xfrmProtoIsRo, XFRM_PROTOS } from '../../netlink/xfrm.js';
import { XFRM_MODE, type XfrmSelector, type XfrmUsersaInfo } from '../../netlink/xfrm-schema.js';
import { strxfProto } from './xfrm-print.js';
import type { LinkMap } from './ll-map.js';

/** An argv cursor with iproute2's NEXT_ARG / NEXT_ARG_OK / PREV_ARG. */
export class Cursor {
  i = 0;
  constructor(readonly argv: readonly string[]) {}
  /** argc: tokens from the current one on. */
  get argc(): number { return this.argv.length - this.i; }
  /** *argv */
  get cur(): string { return this.argv[this.i] ?? ''; }
  /** NEXT_ARG(): step to the next token; "Command line is not complete" at the end. */
  next(): string {
    this.i++;
    if (this.argc <= 0) incomplete();
    return this.cur;
  }
  /** NEXT_ARG_OK() */
  nextOk(): boolean { return this.argc - 1 > 0; }
  /** PREV_ARG() */
  prev(): void { this.i--; }
  /** The loop's `argc--; argv++`. */
  step(): void { this.i++; }
}

/** iproute2's xfrm `filter`: what list/deleteall match on. */
export interface XfrmFilter {
  use: boolean;
  family: number;
  saddr: Buffer;
  daddr: Buffer;
  idSrcMask: number;
  idDstMask: number;
  proto: number; protoMask: boolean;
  spi: number; spiMask: boolean;
  mode: number; modeMask: boolean;
  reqid: number; reqidMask: boolean;
  flags: number; flagsMask: boolean;
  // policy
  dir: number; dirMask: boolean;
  selSrcMask: number; selDstMask: number;
  selFamily: number;
  ifindex: number; devMask: boolean;
  upProto: number; upProtoMask: boolean;
  sport: number; sportMask: boolean;
  dport: number; dportMask: boolean;
  index: number; indexMask: boolean;
  action: number; actionMask: boolean;
  priority: number; priorityMask: boolean;
  pflags: number; pflagsMask: boolean;
  nosock: boolean;
  ptype: number; ptypeMask: boolean;
}

export function newFilter(): XfrmFilter {
  return {
    use: false, family: 0, saddr: Buffer.alloc(16), daddr: Buffer.alloc(16), idSrcMask: 0, idDstMask: 0,
    proto: 0, protoMask: false, spi: 0, spiMask: false, mode: 0, modeMask: false, reqid: 0, reqidMask: false, flags: 0, flagsMask: false,
    dir: 0, dirMask: false, selSrcMask: 0, selDstMask: 0, selFamily: 0, ifindex: 0, devMask: false, upProto: 0, upProtoMask: false,
    sport: 0, sportMask: false, dport: 0, dportMask: false, index: 0, indexMask: false, action: 0, actionMask: false,
    priority: 0, priorityMask: false, pflags: 0, pflagsMask: false, nosock: false, ptype: 0, ptypeMask: false,
  };
}

/** Parser state shared across one command: preferred_family, the filter, device lookups. */
export interface XfrmParse {
  family: number;
  readonly filter: XfrmFilter;
  /** ll_name_to_index(); 0 if unknown. */
  readonly ifindex: (name: string) => number;
}

/** ll_name_to_index() (a LinkMap, or a fixed table in tests). */
export type IfIndexLookup = Pick<LinkMap, 'index'>;

/** The parse context of one `ip xfrm state|policy` command, with lazy device lookups. */
export function parseContext(family: number, links: IfIndexLookup | undefined): XfrmParse {
  return { family, filter: newFilter(), ifindex: (n) => links?.index(n) ?? 0 };
}

/** A u32 argument; invarg(`msg`) when it is not one. */
export function u32Arg(v: string, msg: string): number {
  const n = getUnsigned(v);
  if (n === undefined) invarg(msg, v);
  return n;
}

/** xfrm_addr_match(): 0 when the first `bits` bits are equal. */
export function addrMatch(a: Buffer, b: Buffer, bits: number): boolean {
  const words = bits >> 5;
  if (words && a.compare(b, 0, words * 4, 0, words * 4) !== 0) return false;
  const rest = bits & 31;
  if (rest) {
    const mask = (0xffffffff << (32 - rest)) >>> 0;
    if (((a.readUInt32BE(words * 4) ^ b.readUInt32BE(words * 4)) & mask) !== 0) return false;
  }
  return true;
}

function x16(b: Buffer): Buffer {
  const out = Buffer.alloc(16);
  b.copy(out, 0, 0, Math.min(16, b.length));
  return out;
}

/** xfrm_xfrmproto_getbyname() (exact names only); -1 if unknown. */
export function xfrmProtoByName(name: string): number {
  return Object.prototype.hasOwnProperty.call(XFRM_PROTOS, name) ? XFRM_PROTOS[name as keyof typeof XFRM_PROTOS] : -1;
}

/** The fields of struct xfrm_id and its source address that xfrm_id_parse() fills. */
export interface XfrmIdFields { saddr: Buffer; daddr: Buffer; spi: number; proto: number; family: number }

/**
 * xfrm_id_parse(): `[src ADDR] [dst ADDR] [proto XFRM-PROTO] [spi SPI]` from
 * the current token; leaves the cursor on the last token it took.
 */
export function parseId(c: Cursor, p: XfrmParse, id: XfrmIdFields, loose: boolean, setFamily = true): void {
  const start = c.argc;
  let srcFamily = 0, dstFamily = 0;
  for (;;) {
    const a = c.cur;
    if (a === 'src') {
      const v = c.next();
      const pr = getPrefix(v, p.family);
      if (pr.family === 0) invarg('value after "src" has an unrecognized address family', v);
      srcFamily = pr.family;
      if (setFamily) id.family = pr.family;
      id.saddr = x16(pr.bytes);
      p.filter.idSrcMask = pr.bitlen;
    } else if (a === 'dst') {
      const v = c.next();
      const pr = getPrefix(v, p.family);
      if (pr.family === 0) invarg('value after "dst" has an unrecognized address family', v);
      dstFamily = pr.family;
      if (setFamily) id.family = pr.family;
      id.daddr = x16(pr.bytes);
      p.filter.idDstMask = pr.bitlen;
    } else if (a === 'proto') {
      const v = c.next();
      const n = xfrmProtoByName(v);
      if (n < 0) invarg('XFRM-PROTO value is invalid', v);
      id.proto = n;
      p.filter.protoMask = true;
    } else if (a === 'spi') {
      const v = c.next();
      const n = getUnsigned(v);
      if (n === undefined) invarg('SPI value is invalid', v);
      id.spi = n;
      p.filter.spiMask = true;
    } else {
      c.prev();
      break;
    }
    if (!c.nextOk()) break;
    c.next();
  }
  if (srcFamily && dstFamily && srcFamily !== dstFamily) {
    invarg('the same address family is required between values after "src" and "dst"', c.cur);
  }
  if (id.spi && id.proto) {
    if (xfrmProtoIsRo(id.proto)) throw new CliError(`"spi" is invalid with XFRM-PROTO value "${xfrmProtoName(id.proto)}"`, 1);
    if (id.proto === 108 && id.spi >= 0x10000) throw new CliError(`SPI value is too large with XFRM-PROTO value "${xfrmProtoName(id.proto)}"`, 1);
  }
  if (!loose && id.proto === 0) missarg('XFRM-PROTO');
  if (c.argc === start) missarg('ID');
}

/** parseId() into a struct that nests its xfrm_id as `id` (xfrm_usersa_info, xfrm_user_tmpl). */
export function parseIdInto(c: Cursor, p: XfrmParse, x: { saddr: Buffer; id: { daddr: Buffer; spi: number; proto: number }; family: number }, loose: boolean): void {
  const id = { saddr: x.saddr, daddr: x.id.daddr, spi: x.id.spi, proto: x.id.proto, family: x.family };
  parseId(c, p, id, loose);
  x.saddr = id.saddr; x.id.daddr = id.daddr; x.id.spi = id.spi; x.id.proto = id.proto; x.family = id.family;
}

/**
 * The FLAG grammar of xfrm_state_flag_parse(), xfrm_policy_flag_parse() and
 * the state's extra-flag: `0xNN` (at most `max`), or a run of `words` ORed
 * into `flags` (the cursor ends on the last word taken).
 */
export function parseFlagWords(c: Cursor, flags: number, words: Readonly<Record<string, number>>, invalid: string, max = Infinity): number {
  const a = c.cur;
  if (a.length > 2 && a.startsWith('0x')) {
    const n = getUnsigned(a, 16);
    if (n === undefined || n > max) invarg(invalid, a);
    return n;
  }
  let f = flags;
  for (;;) {
    const bit = Object.prototype.hasOwnProperty.call(words, c.cur) ? words[c.cur] : undefined;
    if (bit === undefined) { c.prev(); break; }
    f |= bit;
    if (!c.nextOk()) break;
    c.next();
  }
  return f;
}

/** xfrm_mode_parse() (prefix matching, as iproute2). */
export function parseMode(v: string): number {
  if (matches(v, 'transport')) return XFRM_MODE.TRANSPORT;
  if (matches(v, 'tunnel')) return XFRM_MODE.TUNNEL;
  if (matches(v, 'ro')) return XFRM_MODE.ROUTEOPTIMIZATION;
  if (matches(v, 'in_trigger')) return XFRM_MODE.IN_TRIGGER;
  if (matches(v, 'beet')) return XFRM_MODE.BEET;
  invarg('MODE value is invalid', v);
}

/** xfrm_reqid_parse() */
export function parseReqid(v: string): number {
  return u32Arg(v, 'REQID value is invalid');
}

/** xfrm_parse_mark(): from the `mark` keyword; leaves the cursor on the last token taken. */
export function parseMark(c: Cursor): { v: number; m: number } {
  const v = c.next();
  const value = getUnsigned(v);
  if (value === undefined) invarg('MARK value is invalid\n', v);
  if (c.argc <= 1) return { v: value, m: 0xffffffff };
  c.next();
  if (c.cur === 'mask') {
    const mv = c.next();
    const m = getUnsigned(mv);
    if (m === undefined) invarg('MASK value is invalid\n', mv);
    return { v: value, m };
  }
  c.prev();
  return { v: value, m: 0xffffffff };
}

/** xfrm_selector_upspec_parse() */
function parseUpspec(c: Cursor, p: XfrmParse, sel: XfrmSelector): void {
  const start = c.argc;
  let ports = false, typecode = false, grekey = false;
  for (;;) {
    const a = c.cur;
    if (a === 'proto') {
      const v = c.next();
      let up: number;
      if (v === 'any') up = 0;
      else {
        const byName = inetProtoId(v);
        const n = byName ?? getUnsigned(v);
        if (n === undefined || n > 255) invarg('PROTO value is invalid', v);
        up = n;
      }
      sel.proto = up;
      p.filter.upProtoMask = true;
    } else if (a === 'sport' || a === 'dport') {
      ports = true;
      const v = c.next();
      const n = getUnsigned(v);
      if (n === undefined || n > 0xffff) invarg(`value after "${a}" is invalid`, v);
      if (a === 'sport') { sel.sport = n; if (n) sel.sport_mask = 0xffff; p.filter.sportMask = true; } else { sel.dport = n; if (n) sel.dport_mask = 0xffff; p.filter.dportMask = true; }
    } else if (a === 'type' || a === 'code') {
      typecode = true;
      const v = c.next();
      const n = getUnsigned(v);
      if (n === undefined || n > 0xffff || n & ~0xff) invarg(`value after "${a}" is invalid`, v);
      if (a === 'type') { sel.sport = n; sel.sport_mask = 0xffff; p.filter.sportMask = true; } else { sel.dport = n; sel.dport_mask = 0xffff; p.filter.dportMask = true; }
    } else if (a === 'key') {
      grekey = true;
      const v = c.next();
      let u: number;
      if (v.includes('.')) u = getAddr(v, 2).bytes.readUInt32BE(0);
      else {
        const n = getUnsigned(v);
        if (n === undefined) throw new CliError('value after "key" is invalid');
        u = n;
      }
      sel.sport = u >>> 16; sel.dport = u & 0xffff; sel.sport_mask = 0xffff; sel.dport_mask = 0xffff;
      p.filter.dportMask = true;
    } else {
      c.prev();
      break;
    }
    if (!c.nextOk()) break;
    c.next();
  }
  if (c.argc === start) missarg('UPSPEC');
  if (ports && ![6, 17, 132, 33, 0].includes(sel.proto)) {
    throw new CliError(`"sport" and "dport" are invalid with PROTO value "${strxfProto(sel.proto)}"`, 1);
  }
  if (typecode && ![1, 58, 135].includes(sel.proto)) {
    throw new CliError(`"type" and "code" are invalid with PROTO value "${strxfProto(sel.proto)}"`, 1);
  }
  if (grekey && sel.proto !== 47) throw new CliError(`"key" is invalid with PROTO value "${strxfProto(sel.proto)}"`, 1);
}

/** xfrm_selector_parse(): `[src P] [dst P] [dev D] [UPSPEC]`. */
export function parseSelector(c: Cursor, p: XfrmParse, sel: XfrmSelector): void {
  const start = c.argc;
  let srcFamily = 0, dstFamily = 0;
  let upspec = false;
  for (;;) {
    const a = c.cur;
    if (a === 'src' || a === 'dst') {
      const v = c.next();
      const pr = getPrefix(v, p.family);
      if (pr.family === 0) invarg(`value after "${a}" has an unrecognized address family`, v);
      sel.family = pr.family;
      if (a === 'src') {
        srcFamily = pr.family; sel.saddr = x16(pr.bytes); sel.prefixlen_s = pr.bitlen; p.filter.selSrcMask = pr.bitlen;
      } else {
        dstFamily = pr.family; sel.daddr = x16(pr.bytes); sel.prefixlen_d = pr.bitlen; p.filter.selDstMask = pr.bitlen;
      }
    } else if (a === 'dev') {
      const v = c.next();
      let idx = 0;
      if (v !== 'none') {
        idx = p.ifindex(v);
        if (idx <= 0) invarg('DEV value is invalid', v);
      }
      sel.ifindex = idx;
      p.filter.devMask = true;
    } else if (upspec) {
      c.prev();
      break;
    } else {
      upspec = true;
      parseUpspec(c, p, sel);
    }
    if (!c.nextOk()) break;
    c.next();
  }
  if (srcFamily && dstFamily && srcFamily !== dstFamily) {
    invarg('the same address family is required between values after "src" and "dst"', c.cur);
  }
  if (c.argc === start) missarg('SELECTOR');
}

const LIMITS: ReadonlyArray<readonly [string, keyof XfrmUsersaInfo['lft']]> = [
  ['time-soft', 'soft_add_expires_seconds'], ['time-hard', 'hard_add_expires_seconds'],
  ['time-use-soft', 'soft_use_expires_seconds'], ['time-use-hard', 'hard_use_expires_seconds'],
  ['byte-soft', 'soft_byte_limit'], ['byte-hard', 'hard_byte_limit'],
  ['packet-soft', 'soft_packet_limit'], ['packet-hard', 'hard_packet_limit'],
];

/** xfrm_lifetime_cfg_parse(): one LIMIT after `limit`. */
export function parseLimit(c: Cursor, lft: XfrmUsersaInfo['lft']): void {
  const k = c.cur;
  const e = LIMITS.find(([w]) => w === k);
  if (!e) invarg('LIMIT value is invalid', k);
  const v = c.next();
  const n = getU64(v);
  if (n === undefined) invarg(`value after "${k}" is invalid`, v);
  lft[e[1]] = n;
}

/** xfrm_sctx_parse(): the XFRMA_SEC_CTX value for a context string. */
export { secCtxOf } from '../../netlink/xfrm.js';
