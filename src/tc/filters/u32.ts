/**
 * u32: the universal 32-bit key classifier (linux/pkt_cls.h TCA_U32_*,
 * struct tc_u32_sel; grammar and output of iproute2's tc/f_u32.c).
 *
 * ```ts
 * import { u32, mirred } from 'rip/tc';
 * await nl.filter.add({ dev: 'veth0', parent: 'ingress', protocol: 'ip', prio: 1, kind: 'u32',
 *   options: u32({ match: [{ ip: { dst: '10.0.0.0/8' } }, { ip: { dport: 80 } }], classid: '1:10' }) });
 * ```
 * @module
 */
import { attrs, attr, struct, u8, u16, u32 as u32c, s16, s32, be16, be32, u64, cstring, bytes, type Codec, type Infer } from '../../netlink/codec/schema.js';
import { ParseError } from '../../netlink/codec/errors.js';
import { constants } from '../../netlink/constants.js';
import { formatIPv4, parseIPv4Loose, parseIPv6 } from '../../netlink/addr.js';
import { ANY, FP, type Printer } from '../../output/printer.js';
import { TcArgError, type TcEnv } from '../kind.js';
import { registerFilterKind, TCA_CLS_FLAGS, type FilterEnv, type ParsedFilter } from '../filter-kind.js';
import { actionList, printActions, type Action } from '../action.js';
import { formatClassid, type HandleLike, toHandle } from '../handle.js';
import { Tokens, getUnsigned, getInteger, matches } from '../kinds/util.js';
import { printPolice, policeAttrs } from '../actions/police.js';
import { fail, actionClause, policeClause, classidArg, printClsFlags } from './common.js';

/** TCA_U32_* */
export const TCA_U32 = constants('TCA_U32_', ['linux/pkt_cls.h'], {
  UNSPEC: 0, CLASSID: 1, HASH: 2, LINK: 3, DIVISOR: 4, SEL: 5, POLICE: 6, ACT: 7, INDEV: 8, PCNT: 9, MARK: 10,
  FLAGS: 11, PAD: 12,
});

/** TC_U32_* selector flags. */
export const TC_U32 = constants('TC_U32_', ['linux/pkt_cls.h'], { TERMINAL: 1, OFFSET: 2, VAROFFSET: 4, EAT: 8, ROOT: 0xfff00000 });

/** struct tc_u32_key: `mask` and `val` as the big-endian words of the packet (host numbers). */
export const u32Key = struct('tc_u32_key', { mask: be32, val: be32, off: s32, offmask: s32 });
/** A u32 key. */
export type U32Key = Infer<typeof u32Key>;

const selHeader = struct('tc_u32_sel', {
  flags: u8, offshift: u8, nkeys: u8, _pad: u8, offmask: be16, off: u16, offoff: s16, hoff: s16, hmask: be32,
});

/** struct tc_u32_sel with its keys (nkeys is keys.length). */
export interface U32Sel {
  flags: number;
  offshift: number;
  offmask: number;
  off: number;
  offoff: number;
  hoff: number;
  hmask: number;
  keys: U32Key[];
}

/** TCA_U32_SEL: the selector header followed by nkeys keys. */
export const u32Sel: Codec<U32Sel> = {
  name: 'tc_u32_sel',
  encode(w, v) {
    selHeader.encode(w, { ...v, nkeys: v.keys.length }, {});
    for (const k of v.keys) u32Key.encode(w, k, {});
  },
  decode(buf, off, len) {
    if (len < selHeader.size) throw new ParseError(`tc_u32_sel needs ${selHeader.size} bytes, got ${len}`, off);
    const h = selHeader.decode(buf, off, len);
    const keys: U32Key[] = [];
    const n = Math.min(h.nkeys, Math.floor((len - selHeader.size) / u32Key.size));
    for (let i = 0; i < n; i++) keys.push(u32Key.read(buf, off + selHeader.size + i * u32Key.size));
    return { flags: h.flags, offshift: h.offshift, offmask: h.offmask, off: h.off, offoff: h.offoff, hoff: h.hoff, hmask: h.hmask, keys };
  },
  arbitrary(rng) {
    const h = selHeader.arbitrary(rng, {});
    const keys: U32Key[] = [];
    for (let i = rng.int(4); i > 0; i--) keys.push(u32Key.arbitrary(rng, {}));
    return { flags: h.flags, offshift: h.offshift, offmask: h.offmask, off: h.off, offoff: h.offoff, hoff: h.hoff, hmask: h.hmask, keys };
  },
};

/** struct tc_u32_mark */
export const u32Mark = struct('tc_u32_mark', { val: u32c, mask: u32c, success: u32c });

/** struct tc_u32_pcnt (rcnt, rhit, then one counter per key). */
export const u32Pcnt: Codec<{ rcnt: bigint; rhit: bigint; kcnts: bigint[] }> = {
  name: 'tc_u32_pcnt',
  encode(w, v) {
    w.u64(v.rcnt); w.u64(v.rhit);
    for (const k of v.kcnts) w.u64(k);
  },
  decode(buf, off, len) {
    if (len < 16) throw new ParseError(`tc_u32_pcnt needs 16 bytes, got ${len}`, off);
    const kcnts: bigint[] = [];
    for (let p = 16; p + 8 <= len; p += 8) kcnts.push(buf.readBigUInt64LE(off + p));
    return { rcnt: buf.readBigUInt64LE(off), rhit: buf.readBigUInt64LE(off + 8), kcnts };
  },
  arbitrary(rng) {
    return { rcnt: u64.arbitrary(rng, {}), rhit: u64.arbitrary(rng, {}), kcnts: [] };
  },
};

/** TCA_OPTIONS of u32. */
export const u32Attrs = attrs('u32', {
  mark: attr(TCA_U32.MARK, u32Mark),
  classid: attr(TCA_U32.CLASSID, u32c),
  divisor: attr(TCA_U32.DIVISOR, u32c),
  link: attr(TCA_U32.LINK, u32c),
  indev: attr(TCA_U32.INDEV, cstring),
  act: attr(TCA_U32.ACT, actionList),
  police: attr(TCA_U32.POLICE, policeAttrs),
  hash: attr(TCA_U32.HASH, u32c),
  sel: attr(TCA_U32.SEL, u32Sel),
  flags: attr(TCA_U32.FLAGS, u32c),
  pcnt: attr(TCA_U32.PCNT, u32Pcnt),
  pad: attr(TCA_U32.PAD, bytes),
});
/** Decoded/encodable u32 options. */
export type U32Options = Infer<typeof u32Attrs>;

declare module '../filter-kind.js' {
  interface FilterOptionsMap { u32: U32Options }
}

const USAGE = 'Usage: ... u32 [ match SELECTOR ... ] [ link HTID ] [ classid CLASSID ]\n'
  + '               [ action ACTION_SPEC ] [ offset OFFSET_SPEC ]\n'
  + '               [ ht HTID ] [ hashkey HASHKEY_SPEC ]\n'
  + '               [ sample SAMPLE ] [skip_hw | skip_sw]\n'
  + 'or         u32 divisor DIVISOR\n'
  + '\n'
  + 'Where: SELECTOR := SAMPLE SAMPLE ...\n'
  + '       SAMPLE := { ip | ip6 | udp | tcp | icmp | u{32|16|8} | mark }\n'
  + '                 SAMPLE_ARGS [ divisor DIVISOR ]\n'
  + '       FILTERID := X:Y:Z\n'
  + '\nNOTE: CLASSID is parsed at hexadecimal input.';

// ---------------------------------------------------------------- handles

const htid = (h: number): number => (h & 0xfff00000) >>> 0;
const hashOf = (h: number): number => (h >>> 12) & 0xff;
const nodeOf = (h: number): number => h & 0xfff;

/** strtoul(str, &end, 16): value and the rest (value 0 with nothing read when no digits). */
function strtoulHex(s: string): { v: number; rest: string; read: boolean } {
  const m = /^\s*[+-]?(?:0[xX])?([0-9a-fA-F]+)/.exec(s);
  if (!m) return { v: 0, rest: s, read: false };
  const neg = /^\s*-/.test(s);
  let v = parseInt(m[1]!, 16);
  if (neg) v = -v;
  if (!Number.isFinite(v) || v > 0xffffffff) v = 0xffffffff;
  return { v, rest: s.slice(m[0].length), read: true };
}

/** get_u32_handle(): `X:Y:Z` (hex parts; htid < 0x1000, hash < 0x100, node < 0x1000) or `0x…`; null if invalid. */
export function parseU32Handle(str: string): number | null {
  if (!str.includes(':')) {
    if (str.startsWith('0x')) return getUnsigned(str, 16);
    return null;
  }
  let s = str;
  let r = strtoulHex(s);
  if (!r.read && s[0] !== ':' && s !== '') return null;
  const ht = r.v >>> 0;
  if (r.v < 0 || ht >= 0x1000) return null;
  let hash = 0;
  let node = 0;
  if (r.rest) {
    s = r.rest.slice(1);
    r = strtoulHex(s);
    if (!r.read && s[0] !== ':' && s !== '') return null;
    if (r.v < 0 || r.v >= 0x100) return null;
    hash = r.v;
    if (r.rest) {
      s = r.rest.slice(1);
      r = strtoulHex(s);
      if (!r.read && s !== '') return null;
      if (r.v < 0 || r.v >= 0x1000) return null;
      node = r.v;
      if (r.rest) return null;
    }
  }
  return ((ht << 20) | (hash << 12) | node) >>> 0;
}

/** sprint_u32_handle(): `800:`, `800::800`, `1:2:3`, `none`; `[%08x]` added with -raw. */
export function formatU32Handle(h: number, raw = false): string {
  if (h === 0) return 'none';
  let b = '';
  if (htid(h)) b += `${(h >>> 20).toString(16)}:`;
  if (nodeOf(h) | hashOf(h)) {
    if (hashOf(h)) b += hashOf(h).toString(16);
    if (nodeOf(h)) b += `:${nodeOf(h).toString(16)}`;
  }
  if (raw) b += `[${(h >>> 0).toString(16).padStart(8, '0')}]`;
  return b;
}

// ---------------------------------------------------------------- keys

function emptySel(): U32Sel {
  return { flags: 0, offshift: 0, offmask: 0, off: 0, offoff: 0, hoff: 0, hmask: 0, keys: [] };
}

/** pack_key(): merge a key into the selector (key/mask as host numbers of the big-endian word); false if impossible. */
function packKey(sel: U32Sel, key: number, mask: number, off: number, offmask: number): boolean {
  key = (key & mask) >>> 0;
  for (const k of sel.keys) {
    if (k.off === off && k.offmask === offmask) {
      const intersect = mask & k.mask;
      if ((key ^ k.val) & intersect) return false;
      k.val = (k.val | key) >>> 0;
      k.mask = (k.mask | mask) >>> 0;
      return true;
    }
  }
  if (sel.keys.length >= 128) return false;
  if (off % 4) return false;
  sel.keys.push({ mask: mask >>> 0, val: key, off, offmask });
  return true;
}

function packKey16(sel: U32Sel, key: number, mask: number, off: number, offmask: number): boolean {
  if (key > 0xffff || mask > 0xffff) return false;
  if ((off & 3) === 0) { key = (key << 16) >>> 0; mask = (mask << 16) >>> 0; }
  return packKey(sel, key, mask, off & ~3, offmask);
}

function packKey8(sel: U32Sel, key: number, mask: number, off: number, offmask: number): boolean {
  if (key > 0xff || mask > 0xff) return false;
  const shift = [24, 16, 8, 0][off & 3]!;
  return packKey(sel, (key << shift) >>> 0, (mask << shift) >>> 0, off & ~3, offmask);
}

// ---------------------------------------------------------------- grammar

/** A selector failed to parse (tc prints `Illegal "match"` etc.). */
class Bad extends Error {}
const bad = (): never => { throw new Bad(); };

/** parse_at(): `at [nexthdr+]OFF`, after the `at`. */
function parseAt(t: Tokens): { off: number; offmask: number } {
  if (t.argc <= 0) bad();
  let p = t.cur;
  let offmask = 0;
  if (p.length > 'nexthdr+'.length && p.startsWith('nexthdr+')) {
    offmask = -1;
    p = p.slice('nexthdr+'.length);
  } else if (matches(p, 'nexthdr+')) {
    p = t.next();
    offmask = -1;
  }
  const off = getInteger(p, 0);
  if (off === null) bad();
  t.fwd();
  return { off: off!, offmask };
}

function keyMask(t: Tokens): { key: number; mask: number } {
  if (t.argc < 2) bad();
  const key = getUnsigned(t.cur, 0);
  if (key === null) bad();
  t.fwd();
  const mask = getUnsigned(t.cur, 16);
  if (mask === null) bad();
  t.fwd();
  return { key: key!, mask: mask! };
}

function maybeAt(t: Tokens, off: number, offmask: number): { off: number; offmask: number } {
  if (t.argc > 0 && t.cur === 'at') {
    t.next();
    return parseAt(t);
  }
  return { off, offmask };
}

function parseUN(t: Tokens, sel: U32Sel, size: 32 | 16 | 8, off: number, offmask: number): void {
  const { key, mask } = keyMask(t);
  if (size === 8 && (key > 0xff || mask > 0xff)) bad();
  const at = maybeAt(t, off, offmask);
  const ok = size === 32 ? packKey(sel, key, mask, at.off, at.offmask)
    : size === 16 ? packKey16(sel, key, mask, at.off, at.offmask) : packKey8(sel, key, mask, at.off, at.offmask);
  if (!ok) bad();
}

/** get_prefix_1(): address bytes and prefix length; null if invalid. */
function getPrefix(arg: string, v6: boolean): { addr: Buffer; bits: number } | null {
  const slash = arg.indexOf('/');
  const a = slash >= 0 ? arg.slice(0, slash) : arg;
  const size = v6 ? 16 : 4;
  let addr: Buffer | null;
  let any = false;
  if (a === 'default' || a === 'all' || a === 'any') {
    addr = Buffer.alloc(size);
    any = true;
  } else {
    addr = v6 ? (a.includes(':') ? parseIPv6(a) : null) : (a.includes(':') ? null : parseIPv4Loose(a));
  }
  if (!addr) return null;
  let bits = size * 8;
  if (slash >= 0) {
    if (any) return null;
    const m = arg.slice(slash + 1);
    let plen: number | null;
    if (!v6 && m.includes('.')) {
      const mb = parseIPv4Loose(m);
      if (!mb) return null;
      const mask = mb.readUInt32BE(0);
      const host = (~mask) >>> 0;
      if ((host & (host + 1)) !== 0) return null;
      plen = 0;
      for (let x = mask; x; x = (x << 1) >>> 0) plen++;
    } else plen = getUnsigned(m, 0);
    if (plen === null || plen > size * 8) return null;
    bits = plen;
  } else if (any) bits = 0;
  return { addr, bits };
}

function parseIpAddr(t: Tokens, sel: U32Sel, off0: number): void {
  if (t.argc < 1) bad();
  const pfx = getPrefix(t.cur, false);
  if (!pfx) bad();
  t.fwd();
  const { off, offmask } = maybeAt(t, off0, 0);
  const mask = pfx!.bits ? (0xffffffff << (32 - pfx!.bits)) >>> 0 : 0;
  if (!packKey(sel, pfx!.addr.readUInt32BE(0), mask, off, offmask)) bad();
}

function parseIp6Addr(t: Tokens, sel: U32Sel, off0: number): void {
  if (t.argc < 1) bad();
  const pfx = getPrefix(t.cur, true);
  if (!pfx) bad();
  t.fwd();
  const { off, offmask } = maybeAt(t, off0, 0);
  const plen = pfx!.bits;
  for (let i = 0; i < plen; i += 32) {
    const word = pfx!.addr.readUInt32BE(i / 8);
    const mask = i + 31 < plen ? 0xffffffff : (0xffffffff << (32 - (plen - i))) >>> 0;
    if (!packKey(sel, word, mask, off + 4 * (i / 32), offmask)) bad();
  }
}

function parseIp(t: Tokens, sel: U32Sel): void {
  if (t.argc < 2) bad();
  const a = t.cur;
  const u8at = (off: number): void => { t.next(); parseUN(t, sel, 8, off, 0); };
  const u16at = (off: number): void => { t.next(); parseUN(t, sel, 16, off, 0); };
  const flag16 = (key: number, mask: number): void => { t.fwd(); if (!packKey16(sel, key, mask, 6, 0)) bad(); };
  if (a === 'src') { t.next(); parseIpAddr(t, sel, 12); }
  else if (a === 'dst') { t.next(); parseIpAddr(t, sel, 16); }
  else if (a === 'tos' || matches(a, 'dsfield') || matches(a, 'precedence')) u8at(1);
  else if (a === 'ihl') u8at(0);
  else if (a === 'protocol') u8at(9);
  else if (a === 'nofrag') flag16(0, 0x3fff);
  else if (a === 'firstfrag') flag16(0x2000, 0x3fff);
  else if (a === 'df') flag16(0x4000, 0x4000);
  else if (a === 'mf') flag16(0x2000, 0x2000);
  else if (a === 'dport') u16at(22);
  else if (a === 'sport') u16at(20);
  else if (a === 'icmp_type') u8at(20);
  else if (a === 'icmp_code') u8at(21);
  else bad();
}

function parseIp6(t: Tokens, sel: U32Sel): void {
  if (t.argc < 2) bad();
  const a = t.cur;
  if (a === 'src') { t.next(); parseIp6Addr(t, sel, 8); }
  else if (a === 'dst') { t.next(); parseIp6Addr(t, sel, 24); }
  else if (a === 'priority') {
    t.next();
    const { key, mask } = keyMask(t);
    if (key > 0xff || mask > 0xff) bad();
    if (!packKey(sel, (key << 20) >>> 0, (mask << 20) >>> 0, 0, 0)) bad();
  } else if (a === 'protocol') { t.next(); parseUN(t, sel, 8, 6, 0); }
  else if (a === 'flowlabel') { t.next(); parseUN(t, sel, 32, 0, 0); }
  else if (a === 'dport') { t.next(); parseUN(t, sel, 16, 42, 0); }
  else if (a === 'sport') { t.next(); parseUN(t, sel, 16, 40, 0); }
  else if (a === 'icmp_type') { t.next(); parseUN(t, sel, 8, 40, 0); }
  else if (a === 'icmp_code') { t.next(); parseUN(t, sel, 8, 41, 1); }
  else bad();
}

function parseEther(t: Tokens, sel: U32Sel): void {
  if (t.argc < 2) bad();
  const a = t.cur;
  let off: number;
  if (a === 'src') off = -8;
  else if (a === 'dst') off = -14;
  else throw new TcArgError(`Unknown match: ether ${a}\nIllegal "match"`, 1);
  const v = t.next();
  const parts = v.split(':');
  const bytesOf = parts.slice(0, 6).map((x) => /^[0-9a-fA-F]{1,2}/.exec(x)?.[0]);
  if (parts.length < 6 || bytesOf.some((x) => x === undefined)) {
    throw new TcArgError(`parse_ether_addr: improperly formed address '${v}'\nIllegal "match"`, 1);
  }
  t.fwd();
  const at = maybeAt(t, off, 0);
  for (let i = 0; i < 6; i++) if (!packKey8(sel, parseInt(bytesOf[i]!, 16), 0xff, at.off + i, at.offmask)) bad();
}

function parseL4(t: Tokens, sel: U32Sel, icmp: boolean): void {
  if (t.argc < 2) bad();
  const a = t.cur;
  if (!icmp && a === 'src') { t.next(); parseUN(t, sel, 16, 0, -1); }
  else if (!icmp && a === 'dst') { t.next(); parseUN(t, sel, 16, 2, -1); }
  else if (icmp && a === 'type') { t.next(); parseUN(t, sel, 8, 0, -1); }
  else if (icmp && a === 'code') { t.next(); parseUN(t, sel, 8, 1, -1); }
  else bad();
}

/** parse_selector(); `mark` goes to `o.mark`. */
function parseSelector(t: Tokens, sel: U32Sel, o: U32Options): void {
  if (t.argc <= 0) bad();
  const a = t.cur;
  if (matches(a, 'u32')) { t.next(); parseUN(t, sel, 32, 0, 0); }
  else if (matches(a, 'u16')) { t.next(); parseUN(t, sel, 16, 0, 0); }
  else if (matches(a, 'u8')) { t.next(); parseUN(t, sel, 8, 0, 0); }
  else if (matches(a, 'ip')) { t.next(); parseIp(t, sel); }
  else if (matches(a, 'ip6')) { t.next(); parseIp6(t, sel); }
  else if (matches(a, 'udp') || matches(a, 'tcp')) { t.next(); parseL4(t, sel, false); }
  else if (matches(a, 'icmp')) { t.next(); parseL4(t, sel, true); }
  else if (matches(a, 'mark')) {
    t.next();
    if (t.argc <= 1) bad();
    const val = getUnsigned(t.cur, 0);
    if (val === null) throw new TcArgError('Illegal "mark" value\nIllegal "match"', 1);
    const mask = getUnsigned(t.next(), 0);
    if (mask === null) throw new TcArgError('Illegal "mark" mask\nIllegal "match"', 1);
    t.next();
    if (((val & mask) >>> 0) !== val) throw new TcArgError('Illegal "mark" (impossible combination)\nIllegal "match"', 1);
    o.mark = { val, mask, success: 0 };
  } else if (matches(a, 'ether')) { t.next(); parseEther(t, sel); }
  else bad();
}

function parseOffset(t: Tokens, sel: U32Sel): void {
  while (t.argc > 0) {
    const a = t.cur;
    if (matches(a, 'plus')) {
      const v = getInteger(t.next(), 0);
      if (v === null) bad();
      sel.off = v! & 0xffff;
      sel.flags |= TC_U32.OFFSET;
    } else if (matches(a, 'at')) {
      const v = getInteger(t.next(), 0);
      if (v === null) bad();
      sel.offoff = (v! << 16) >> 16;
      if (v! % 2) throw new TcArgError('offset "at" must be even\nIllegal "offset"', 1);
      sel.flags |= TC_U32.VAROFFSET;
    } else if (matches(a, 'mask')) {
      const v = getUnsigned(t.next(), 16, 0xffff);
      if (v === null) bad();
      sel.offmask = v!;
      sel.flags |= TC_U32.VAROFFSET;
    } else if (matches(a, 'shift')) {
      const v = getInteger(t.next(), 0);
      if (v === null) bad();
      sel.offshift = v! & 0xff;
      sel.flags |= TC_U32.VAROFFSET;
    } else if (matches(a, 'eat')) {
      sel.flags |= TC_U32.EAT;
    } else break;
    t.fwd();
  }
}

function parseHashkey(t: Tokens, sel: U32Sel): void {
  while (t.argc > 0) {
    const a = t.cur;
    if (matches(a, 'mask')) {
      const v = getUnsigned(t.next(), 16);
      if (v === null) bad();
      sel.hmask = v!;
    } else if (matches(a, 'at')) {
      const v = getInteger(t.next(), 0);
      if (v === null || v % 4) bad();
      sel.hoff = (v! << 16) >> 16;
    } else break;
    t.fwd();
  }
}

/** Run a sub-parser; a `Bad` from it is tc's `Illegal "<what>"`. */
function illegal(what: string, f: () => void): void {
  try { f(); } catch (e) {
    if (e instanceof Bad) fail(`Illegal "${what}"`);
    throw e;
  }
}

/** u32_parse_opt() */
function parse(handle: string | undefined, argv: readonly string[], env: TcEnv): ParsedFilter<U32Options> {
  let tcmHandle = 0;
  if (handle !== undefined) {
    const h = parseU32Handle(handle);
    if (h === null) fail('Illegal filter ID');
    tcmHandle = h!;
  }
  if (argv.length === 0) return { handle: tcmHandle, options: undefined };
  const t = new Tokens(argv);
  const sel = emptySel();
  const o: U32Options = {};
  let selOk = 0, terminalOk = 0, sampleOk = false;
  let ht = 0, order = 0, flags = 0;
  while (t.argc > 0) {
    const a = t.cur;
    if (matches(a, 'match')) {
      t.next();
      illegal('match', () => parseSelector(t, sel, o));
      selOk++;
      continue;
    } else if (matches(a, 'offset')) {
      t.next();
      illegal('offset', () => parseOffset(t, sel));
      continue;
    } else if (matches(a, 'hashkey')) {
      t.next();
      illegal('hashkey', () => parseHashkey(t, sel));
      continue;
    } else if (matches(a, 'classid') || a === 'flowid') {
      o.classid = classidArg(t.next());
      sel.flags |= TC_U32.TERMINAL;
    } else if (matches(a, 'divisor')) {
      const d = getUnsigned(t.next(), 0);
      if (d === null || d === 0 || d > 0x100 || ((d - 1) & d)) fail('Illegal "divisor"');
      o.divisor = d!;
    } else if (matches(a, 'order')) {
      const v = getUnsigned(t.next(), 0);
      if (v === null) fail('Illegal "order"');
      order = v!;
    } else if (a === 'link') {
      const l = parseU32Handle(t.next());
      if (l === null) fail('Illegal "link"');
      if (l && nodeOf(l!)) fail('"link" must be a hash table.');
      o.link = l!;
    } else if (a === 'ht') {
      const h = parseU32Handle(t.next());
      if (h === null) fail('Illegal "ht"');
      if (handle !== undefined && nodeOf(h!)) fail('"ht" must be a hash table.');
      ht = sampleOk ? ((ht & 0xff000) | (h! & 0xfff00000)) >>> 0 : (h! & 0xfffff000) >>> 0;
    } else if (a === 'sample') {
      t.next();
      const sel2 = emptySel();
      const dummy: U32Options = {};
      illegal('sample', () => parseSelector(t, sel2, dummy));
      if (dummy.mark) o.mark = dummy.mark;
      if (sel2.keys.length !== 1) fail('"sample" must contain exactly ONE key.');
      let divisor = 0x100;
      if (t.argc > 0 && t.cur === 'divisor') {
        const d = getUnsigned(t.next(), 0);
        if (d === null || d === 0 || d > 0x100 || ((d - 1) & d)) fail('Illegal sample "divisor"');
        divisor = d!;
        t.next();
      }
      const k = sel2.keys[0]!;
      const fshift = k.mask ? Math.log2((k.mask & -k.mask) >>> 0) : 0;
      const hash = ((k.val & k.mask) >>> 0) / 2 ** fshift;
      ht = (((hash % divisor) << 12) | (ht & 0xfff00000)) >>> 0;
      sampleOk = true;
      continue;
    } else if (a === 'indev') {
      t.fwd();
      if (t.argc < 1) fail('Illegal indev');
      o.indev = t.cur.slice(0, 16);
    } else if (matches(a, 'action')) {
      t.next();
      o.act = actionClause(t, env);
      terminalOk++;
      continue;
    } else if (matches(a, 'police')) {
      t.next();
      o.police = policeClause(t, env);
      terminalOk++;
      continue;
    } else if (a === 'skip_hw') {
      flags |= TCA_CLS_FLAGS.SKIP_HW;
    } else if (a === 'skip_sw') {
      flags |= TCA_CLS_FLAGS.SKIP_SW;
    } else if (a === 'help') {
      fail(USAGE);
    } else {
      fail(`What is "${a}"?\n${USAGE}`);
    }
    t.fwd();
  }
  if (terminalOk) sel.flags |= TC_U32.TERMINAL;
  if (order) {
    if (nodeOf(tcmHandle) && order !== nodeOf(tcmHandle)) fail('"order" contradicts "handle"');
    tcmHandle = (tcmHandle | order) >>> 0;
  }
  if (ht) o.hash = ht;
  if (selOk) o.sel = sel;
  if (flags) {
    if (!(flags ^ (TCA_CLS_FLAGS.SKIP_HW | TCA_CLS_FLAGS.SKIP_SW))) fail('skip_hw and skip_sw are mutually exclusive');
    o.flags = flags;
  }
  return { handle: tcmHandle, options: o };
}

// ---------------------------------------------------------------- printing

function mask2bits(mask: number): number {
  const host = (~mask) >>> 0;
  if ((host & (host + 1)) !== 0) return -1;
  let bits = 0;
  for (let m = mask >>> 0; m; m = (m << 1) >>> 0) bits++;
  return bits;
}

function printRaw(p: Printer, k: U32Key): void {
  p.openObject('match');
  p.nl();
  p.hex(ANY, 'value', '  match %08x', k.val);
  p.hex(ANY, 'mask', '/%08x ', k.mask);
  p.string(ANY, 'offmask', 'at %s', k.offmask ? 'nexthdr+' : '');
  p.int(ANY, 'off', '%d', k.off);
  p.closeObject();
}

/** print_ipv4()/print_ipv6() of f_u32.c (identical but for the port order). Returns early without closing `match`, as tc does. */
function printIp(p: Printer, k: U32Key, v6: boolean): void {
  p.openObject('match');
  switch (k.off) {
    case 0:
      if (k.mask === 0x0f000000) {
        p.nl();
        p.uint(ANY, 'ip_ihl', '  match IP ihl %u', k.val >>> 24);
        return;
      }
      if (k.mask === 0x00ff0000) {
        p.nl();
        p.hex0x(ANY, 'ip_dsfield', '  match IP dsfield %#x', k.val >>> 16);
        return;
      }
      break;
    case 8:
      if (k.mask === 0x00ff0000) {
        p.nl();
        p.int(ANY, 'ip_protocol', '  match IP protocol %d', k.val >>> 16);
        return;
      }
      break;
    case 12:
    case 16: {
      const bits = mask2bits(k.mask);
      if (bits >= 0) {
        p.nl();
        p.null(FP, null, k.off === 12 ? '  match IP src ' : '  match IP dst ', '');
        p.openObject(k.off === 12 ? 'src' : 'dst');
        const b = Buffer.alloc(4);
        b.writeUInt32BE(k.val >>> 0);
        p.string(ANY, 'address', '%s', formatIPv4(b));
        p.int(ANY, 'prefixlen', '/%d', bits);
        p.closeObject();
        return;
      }
      break;
    }
    case 20:
      if (!v6) {
        if (k.mask === 0x0000ffff) { p.uint(ANY, 'dport', 'match dport %u', k.val & 0xffff); return; }
        if (k.mask === 0xffff0000) { p.nl(); p.uint(ANY, 'sport', '  match sport %u', k.val >>> 16); return; }
        if (k.mask === 0xffffffff) {
          p.nl();
          p.uint(ANY, 'dport', '  match dport %u, ', k.val & 0xffff);
          p.uint(ANY, 'sport', 'match sport %u', k.val >>> 16);
          return;
        }
      } else {
        if (k.mask === 0x0000ffff) { p.nl(); p.uint(ANY, 'sport', '  match sport %u', k.val & 0xffff); return; }
        if (k.mask === 0xffff0000) { p.uint(ANY, 'dport', 'match dport %u', k.val >>> 16); return; }
        if (k.mask === 0xffffffff) {
          p.nl();
          p.uint(ANY, 'sport', '  match sport %u, ', k.val & 0xffff);
          p.uint(ANY, 'dport', 'match dport %u', k.val >>> 16);
          return;
        }
      }
      break;
  }
  p.closeObject();
}

function showKey(p: Printer, k: U32Key, env: FilterEnv): void {
  if (env.pretty && env.protocol === 0x0800) printIp(p, k, false);
  else if (env.pretty && env.protocol === 0x86dd) printIp(p, k, true);
  else printRaw(p, k);
}

export { printClsFlags };

/** u32_print_opt() */
function print(p: Printer, o: U32Options, handle: number, env: FilterEnv): void {
  if (handle) p.string(ANY, 'fh', 'fh %s ', formatU32Handle(handle, env.raw));
  if (nodeOf(handle)) p.int(ANY, 'order', 'order %d ', nodeOf(handle));
  const sel = o.sel;
  if (o.divisor !== undefined) p.int(ANY, 'ht_divisor', 'ht divisor %d ', o.divisor | 0);
  else if (o.hash !== undefined) {
    p.hex(ANY, 'key_ht', 'key ht %x ', o.hash >>> 20);
    p.hex(ANY, 'bkt', 'bkt %x ', hashOf(o.hash));
  } else process.stderr.write('divisor and hash missing ');
  if (o.classid !== undefined) {
    if (sel && sel.flags & TC_U32.TERMINAL) p.string(FP, null, '*', null);
    p.string(ANY, 'flowid', 'flowid %s ', formatClassid(o.classid));
  } else if (sel && sel.flags & TC_U32.TERMINAL) {
    p.string(FP, null, 'terminal flowid ', null);
  }
  if (o.link !== undefined) p.string(ANY, 'link', 'link %s ', formatU32Handle(o.link, env.raw));
  if (o.flags !== undefined) printClsFlags(p, o.flags);
  const pf = o.pcnt;
  if (sel && env.stats && pf) {
    p.u64(ANY, 'rule_hit', '(rule hit %llu ', pf.rcnt);
    p.u64(ANY, 'success', 'success %llu)', pf.rhit);
  }
  if (o.mark) {
    p.nl();
    p.hex0x(ANY, 'fwmark_value', '  mark 0x%04x ', o.mark.val);
    p.hex0x(ANY, 'fwmark_mask', '0x%04x ', o.mark.mask);
    p.int(ANY, 'fwmark_success', '(success %d)', o.mark.success | 0);
  }
  if (sel) {
    sel.keys.forEach((k, i) => {
      showKey(p, k, env);
      if (env.stats && pf) p.u64(ANY, 'success', ' (success %llu ) ', pf.kcnts[i] ?? 0n);
    });
    if (sel.flags & (TC_U32.VAROFFSET | TC_U32.OFFSET)) {
      p.nl();
      p.string(ANY, null, '%s', '    offset ');
      if (sel.flags & TC_U32.VAROFFSET) {
        p.hex(ANY, 'offset_mask', '%04x', sel.offmask);
        p.int(ANY, 'offset_shift', '>>%d ', sel.offshift);
        p.int(ANY, 'offset_off', 'at %d ', sel.offoff);
      }
      if (sel.off) p.int(ANY, 'plus', 'plus %d ', (sel.off << 16) >> 16);
    }
    if (sel.flags & TC_U32.EAT) p.string(ANY, null, '%s', ' eat ');
    if (sel.hmask) {
      p.nl();
      p.hex(ANY, 'hash_mask', '    hash mask %08x ', sel.hmask);
      p.int(ANY, 'hash_off', 'at %d ', sel.hoff);
    }
  }
  if (o.police) {
    p.nl();
    printPolice(p, o.police, env);
  }
  if (o.indev !== undefined) {
    p.nl();
    p.string(ANY, 'input_dev', '  input dev %s', o.indev);
    p.nl();
  }
  if (o.act) printActions(p, o.act, env);
}

registerFilterKind<U32Options>({ kind: 'u32', options: u32Attrs, parse, print });

// ---------------------------------------------------------------- builder

/** One u32 match, as tc's `match` selectors. Numbers are host values; `at` overrides the offset. */
export type U32Match =
  | { readonly u32: { readonly value: number; readonly mask: number; readonly at?: number; readonly nexthdr?: boolean } }
  | { readonly u16: { readonly value: number; readonly mask: number; readonly at?: number; readonly nexthdr?: boolean } }
  | { readonly u8: { readonly value: number; readonly mask: number; readonly at?: number; readonly nexthdr?: boolean } }
  | { readonly ip: { readonly src?: string; readonly dst?: string; readonly protocol?: number; readonly tos?: number; readonly sport?: number; readonly dport?: number } }
  | { readonly ip6: { readonly src?: string; readonly dst?: string; readonly protocol?: number; readonly sport?: number; readonly dport?: number } };

/** What {@link u32} takes. */
export interface U32Spec {
  readonly match?: readonly U32Match[];
  /** Target class ('1:10') when the keys match. */
  readonly classid?: HandleLike;
  /** Make this filter a hash table with this many buckets. */
  readonly divisor?: number;
  /** Continue in hash table `link` (a u32 handle, e.g. 0x00100000 for `1:`). */
  readonly link?: number;
  /** TCA_U32_HASH: the hash table / bucket the filter goes to. */
  readonly ht?: number;
  readonly hashkey?: { readonly mask: number; readonly at: number };
  readonly offset?: { readonly plus?: number; readonly at?: number; readonly mask?: number; readonly shift?: number; readonly eat?: boolean };
  readonly actions?: readonly Action[];
  readonly skipHw?: boolean;
  readonly skipSw?: boolean;
  readonly indev?: string;
}

/** Build u32 options as `tc filter add … u32 match …` builds them. Throws RangeError on impossible keys. */
export function u32(spec: U32Spec): U32Options {
  const sel = emptySel();
  const chk = (ok: boolean): void => { if (!ok) throw new RangeError('u32: impossible or misaligned key'); };
  for (const m of spec.match ?? []) {
    if ('u32' in m) chk(packKey(sel, m.u32.value >>> 0, m.u32.mask >>> 0, m.u32.at ?? 0, m.u32.nexthdr ? -1 : 0));
    else if ('u16' in m) chk(packKey16(sel, m.u16.value, m.u16.mask, m.u16.at ?? 0, m.u16.nexthdr ? -1 : 0));
    else if ('u8' in m) chk(packKey8(sel, m.u8.value, m.u8.mask, m.u8.at ?? 0, m.u8.nexthdr ? -1 : 0));
    else if ('ip' in m) {
      const ip = m.ip;
      for (const [addr, off] of [[ip.src, 12], [ip.dst, 16]] as const) {
        if (addr === undefined) continue;
        const pfx = getPrefix(addr, false);
        if (!pfx) throw new RangeError(`u32: invalid IPv4 prefix "${addr}"`);
        chk(packKey(sel, pfx.addr.readUInt32BE(0), pfx.bits ? (0xffffffff << (32 - pfx.bits)) >>> 0 : 0, off, 0));
      }
      if (ip.tos !== undefined) chk(packKey8(sel, ip.tos, 0xff, 1, 0));
      if (ip.protocol !== undefined) chk(packKey8(sel, ip.protocol, 0xff, 9, 0));
      if (ip.sport !== undefined) chk(packKey16(sel, ip.sport, 0xffff, 20, 0));
      if (ip.dport !== undefined) chk(packKey16(sel, ip.dport, 0xffff, 22, 0));
    } else {
      const ip = m.ip6;
      for (const [addr, off] of [[ip.src, 8], [ip.dst, 24]] as const) {
        if (addr === undefined) continue;
        const pfx = getPrefix(addr, true);
        if (!pfx) throw new RangeError(`u32: invalid IPv6 prefix "${addr}"`);
        for (let i = 0; i < pfx.bits; i += 32) {
          const mask = i + 31 < pfx.bits ? 0xffffffff : (0xffffffff << (32 - (pfx.bits - i))) >>> 0;
          chk(packKey(sel, pfx.addr.readUInt32BE(i / 8), mask, off + 4 * (i / 32), 0));
        }
      }
      if (ip.protocol !== undefined) chk(packKey8(sel, ip.protocol, 0xff, 6, 0));
      if (ip.sport !== undefined) chk(packKey16(sel, ip.sport, 0xffff, 40, 0));
      if (ip.dport !== undefined) chk(packKey16(sel, ip.dport, 0xffff, 42, 0));
    }
  }
  if (spec.offset) {
    const off = spec.offset;
    if (off.plus !== undefined) { sel.off = off.plus & 0xffff; sel.flags |= TC_U32.OFFSET; }
    if (off.at !== undefined) { sel.offoff = off.at; sel.flags |= TC_U32.VAROFFSET; }
    if (off.mask !== undefined) { sel.offmask = off.mask; sel.flags |= TC_U32.VAROFFSET; }
    if (off.shift !== undefined) { sel.offshift = off.shift; sel.flags |= TC_U32.VAROFFSET; }
    if (off.eat) sel.flags |= TC_U32.EAT;
  }
  if (spec.hashkey) { sel.hmask = spec.hashkey.mask >>> 0; sel.hoff = spec.hashkey.at; }
  const o: U32Options = {};
  if (spec.classid !== undefined) { o.classid = toHandle(spec.classid, 'classid'); sel.flags |= TC_U32.TERMINAL; }
  if (spec.divisor !== undefined) o.divisor = spec.divisor;
  if (spec.link !== undefined) o.link = spec.link;
  if (spec.indev !== undefined) o.indev = spec.indev;
  if (spec.actions?.length) { o.act = [...spec.actions]; sel.flags |= TC_U32.TERMINAL; }
  if (spec.ht !== undefined) o.hash = spec.ht;
  if (spec.match?.length || spec.offset || spec.hashkey) o.sel = sel;
  const flags = (spec.skipHw ? TCA_CLS_FLAGS.SKIP_HW : 0) | (spec.skipSw ? TCA_CLS_FLAGS.SKIP_SW : 0);
  if (flags === (TCA_CLS_FLAGS.SKIP_HW | TCA_CLS_FLAGS.SKIP_SW)) throw new RangeError('u32: skip_hw and skip_sw are mutually exclusive');
  if (flags) o.flags = flags;
  return o;
}
