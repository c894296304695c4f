/**
 * The common `ip -batch` route line, parsed and encoded straight from the
 * batch text: `route add|del|replace|change|append|prepend A.B.C.D[/N]` with
 * any of `dev NAME`, `via A.B.C.D`, `metric N`, `table T`, `proto P`,
 * `scope S`, each at most once, in any order.
 *
 * Bulk batches (100,000 route lines) are made of exactly these lines, and
 * the general path (split into words, parseModify, the route schema) costs
 * a few µs per line in strings and objects, more than the kernel takes to
 * insert the route. This scanner reads the characters in place and writes
 * the request bytes itself; the general path stays the only definition of
 * the grammar: any line this scanner is not certain about (another keyword,
 * an abbreviation, an address written any other way, a duplicate, an
 * unknown device, quotes or comments) is left to it, and the test suite
 * checks that both produce the same bytes for every line the scanner takes.
 *
 * native/route-scan.c is this scanner's C twin (a whole chunk of lines per
 * call; see route-batch-native.ts), and this file stays the definition it
 * mirrors: change the grammar or the bytes here first, then there; the same
 * test checks that it takes no line this one declines, with the same bytes.
 * @module
 */
import type { Writer } from '../../netlink/codec/writer.js';
import { RTM, NLM_F } from '../../netlink/constants.js';
import { getUnsigned } from './route-args.js';
import { protoId, scopeId, tableId } from './route-names.js';

const AF_INET = 2;
const RTN_UNICAST = 1;
const RT_SCOPE_UNIVERSE = 0, RT_SCOPE_LINK = 253, RT_SCOPE_NOWHERE = 255;
const RT_TABLE_MAIN = 254;
const RTPROT_BOOT = 3;
const RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PRIORITY = 6, RTA_TABLE = 15;

/** Verb → message type and flags (as ROUTE_OPS in src/netlink/route.ts), by exact word only. */
interface Verb { readonly type: number; readonly flags: number; readonly del: boolean }
const ADD: Verb = { type: RTM.NEWROUTE, flags: NLM_F.CREATE | NLM_F.EXCL, del: false };
const VERBS: ReadonlyMap<string, Verb> = new Map<string, Verb>([
  ['add', ADD],
  ['change', { type: RTM.NEWROUTE, flags: NLM_F.REPLACE, del: false }],
  ['replace', { type: RTM.NEWROUTE, flags: NLM_F.CREATE | NLM_F.REPLACE, del: false }],
  ['prepend', { type: RTM.NEWROUTE, flags: NLM_F.CREATE, del: false }],
  ['append', { type: RTM.NEWROUTE, flags: NLM_F.CREATE | NLM_F.APPEND, del: false }],
  ['del', { type: RTM.DELROUTE, flags: 0, del: true }],
  ['delete', { type: RTM.DELROUTE, flags: 0, del: true }],
]);

// Attributes in the order their keyword appeared (iproute2 adds them while parsing).
const K_DST = 1, K_GW = 2, K_PRIO = 3, K_TABLE = 4;

/**
 * One reusable scanner (no allocation per line beyond the device and verb
 * words). {@link scan} parses a line; {@link encode} writes its request body.
 */
export class FastRouteLine {
  /** Message type and flags of the last line scanned. */
  type = 0;
  flags = 0;
  /**
   * RTM_DELROUTE for an `add` (exactly undone by deleting with the same
   * body: see RequestBatch.commitRequest), else 0.
   */
  undoType = 0;
  private dst = 0;
  private dstLen = 0;
  private gw = 0;
  private prio = 0;
  private table = RT_TABLE_MAIN;
  private proto = RTPROT_BOOT;
  private scope = 0;
  private oif = 0;
  private hasDev = false;
  private hasGw = false;
  private hasScope = false;
  private hasTable = false;
  private hasProto = false;
  /** Keywords K_* in order of appearance. */
  private readonly order = new Uint8Array(4);
  private nOrder = 0;
  private isDel = false;
  private pos = 0;
  private end = 0;
  private text = '';

  /**
   * @param names the namespace's interfaces by name, as the general path
   * currently knows them (an unknown name leaves the line to it, which
   * looks the name up and refreshes its cache).
   */
  constructor(private readonly names: () => ReadonlyMap<string, number> | undefined) {}

  /**
   * Parse `text[start, end)` (one line, without its newline). True when the
   * line is one this scanner handles, with everything valid; false to leave
   * it to the general path (nothing is kept from a false scan).
   */
  scan(text: string, start: number, end: number): boolean {
    this.text = text;
    this.pos = start;
    this.end = end;
    if (!this.word('route')) return false;
    const verbEnd = this.tokenEnd();
    if (verbEnd < 0) return false;
    const verb = VERBS.get(text.slice(this.pos, verbEnd));
    if (!verb) return false;
    this.pos = verbEnd;
    this.type = verb.type;
    this.flags = verb.flags;
    this.isDel = verb.del;
    this.undoType = verb === ADD ? RTM.DELROUTE : 0;
    this.nOrder = 0;
    this.hasDev = this.hasGw = this.hasScope = this.hasTable = this.hasProto = false;
    let seen = 0; // bit per keyword, to leave duplicates to the general path
    for (;;) {
      this.skipBlanks();
      if (this.pos >= end) break;
      const c = text.charCodeAt(this.pos);
      if (c >= 48 && c <= 57) { // a digit: the destination
        if (seen & 1) return false;
        seen |= 1;
        if (!this.prefix()) return false;
        this.order[this.nOrder++] = K_DST;
        continue;
      }
      const kwEnd = this.tokenEnd();
      if (kwEnd < 0) return false;
      const kw = text.slice(this.pos, kwEnd);
      this.pos = kwEnd;
      this.skipBlanks();
      const vEnd = this.tokenEnd();
      if (vEnd < 0 || vEnd === this.pos) return false; // no value: the general path says so
      switch (kw) {
        case 'dev': {
          if (seen & 2) return false;
          seen |= 2;
          const i = this.names()?.get(text.slice(this.pos, vEnd));
          if (i === undefined) return false;
          this.oif = i;
          this.hasDev = true;
          this.pos = vEnd;
          break;
        }
        case 'via': {
          if (seen & 4) return false;
          seen |= 4;
          const a = this.ipv4(vEnd);
          if (a < 0) return false;
          this.gw = a;
          this.hasGw = true;
          this.order[this.nOrder++] = K_GW;
          break;
        }
        case 'metric': case 'priority': case 'preference': {
          if (seen & 8) return false;
          seen |= 8;
          const m = getUnsigned(text.slice(this.pos, vEnd));
          if (m === null) return false;
          this.prio = m;
          this.order[this.nOrder++] = K_PRIO;
          this.pos = vEnd;
          break;
        }
        case 'table': {
          if (seen & 16) return false;
          seen |= 16;
          const t = tableId(text.slice(this.pos, vEnd));
          if (t === null) return false;
          this.table = t;
          this.hasTable = true;
          if (t >= 256) this.order[this.nOrder++] = K_TABLE;
          this.pos = vEnd;
          break;
        }
        case 'proto': case 'protocol': {
          if (seen & 32) return false;
          seen |= 32;
          const p = protoId(text.slice(this.pos, vEnd));
          if (p === null) return false;
          this.proto = p;
          this.hasProto = true;
          this.pos = vEnd;
          break;
        }
        case 'scope': {
          if (seen & 64) return false;
          seen |= 64;
          const s = scopeId(text.slice(this.pos, vEnd));
          if (s === null) return false;
          this.scope = s;
          this.hasScope = true;
          this.pos = vEnd;
          break;
        }
        default:
          return false;
      }
    }
    return (seen & 1) !== 0;
  }

  /**
   * Write the request body (rtmsg and attributes, in iproute2's order) of
   * the last successful {@link scan}, after the netlink header.
   */
  encode(w: Writer): void {
    const isDel = this.isDel;
    const table = this.hasTable ? this.table : RT_TABLE_MAIN;
    let scope: number;
    if (this.hasScope) scope = this.scope;
    else if (isDel) scope = RT_SCOPE_NOWHERE;
    else scope = this.hasGw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
    w.u8(AF_INET).u8(this.dstLen).u8(0).u8(0);
    w.u8(table < 256 ? table : 0);
    w.u8(this.hasProto ? this.proto : isDel ? 0 : RTPROT_BOOT);
    w.u8(scope);
    w.u8(isDel ? 0 : RTN_UNICAST);
    w.u32(0);
    for (let k = 0; k < this.nOrder; k++) {
      switch (this.order[k]) {
        case K_DST: attrBE32(w, RTA_DST, this.dst); break;
        case K_GW: attrBE32(w, RTA_GATEWAY, this.gw); break;
        case K_PRIO: attrU32(w, RTA_PRIORITY, this.prio); break;
        case K_TABLE: attrU32(w, RTA_TABLE, table); break;
      }
    }
    if (this.hasDev) attrU32(w, RTA_OIF, this.oif);
  }

  /** Consume `w` followed by a blank; false (position unchanged) otherwise. */
  private word(w: string): boolean {
    const p = this.pos;
    if (!this.text.startsWith(w, p) || p + w.length >= this.end || this.text.charCodeAt(p + w.length) !== 32) return false;
    this.pos = p + w.length;
    this.skipBlanks();
    return true;
  }

  private skipBlanks(): void {
    while (this.pos < this.end && this.text.charCodeAt(this.pos) === 32) this.pos++;
  }

  /**
   * End of the token at the position; -1 when it holds a character the
   * general splitter treats specially (quotes, comments, other blanks,
   * backslashes) or anything outside printable ASCII.
   */
  private tokenEnd(): number {
    const t = this.text;
    let i = this.pos;
    for (; i < this.end; i++) {
      const c = t.charCodeAt(i);
      if (c === 32) break;
      if (c < 33 || c > 126 || c === 34 || c === 35 || c === 39 || c === 92) return -1;
    }
    return i;
  }

  /**
   * A dotted quad in canonical decimal (1–3 digits, no leading zero: other
   * spellings are octal or hexadecimal to iproute2) ending at `end`;
   * advances past it. -1 if not exactly that.
   */
  private ipv4(end: number): number {
    const t = this.text;
    let i = this.pos;
    let addr = 0;
    for (let octet = 0; octet < 4; octet++) {
      const from = i;
      let v = 0;
      while (i < end) {
        const c = t.charCodeAt(i);
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48);
        i++;
      }
      const n = i - from;
      if (n === 0 || n > 3 || v > 255 || (n > 1 && t.charCodeAt(from) === 48)) return -1;
      addr = addr * 256 + v;
      if (octet < 3) {
        if (i >= end || t.charCodeAt(i) !== 46) return -1;
        i++;
      }
    }
    if (i !== end) return -1;
    this.pos = i;
    return addr;
  }

  /** The destination: a canonical dotted quad with an optional canonical `/N` (N ≤ 32). */
  private prefix(): boolean {
    const end = this.tokenEnd();
    if (end < 0) return false;
    const slash = this.text.indexOf('/', this.pos);
    const addrEnd = slash >= 0 && slash < end ? slash : end;
    const a = this.ipv4(addrEnd);
    if (a < 0) return false;
    let len = 32;
    if (addrEnd < end) {
      const t = this.text;
      const from = addrEnd + 1;
      const n = end - from;
      if (n < 1 || n > 2 || (n > 1 && t.charCodeAt(from) === 48)) return false;
      len = 0;
      for (let i = from; i < end; i++) {
        const c = t.charCodeAt(i);
        if (c < 48 || c > 57) return false;
        len = len * 10 + (c - 48);
      }
      if (len > 32) return false;
    }
    this.dst = a;
    this.dstLen = len;
    this.pos = end;
    return true;
  }
}

function attrU32(w: Writer, type: number, v: number): void {
  w.u16(8).u16(type).u32(v);
}

function attrBE32(w: Writer, type: number, v: number): void {
  w.u16(8).u16(type);
  w.u8(v >>> 24).u8((v >>> 16) & 255).u8((v >>> 8) & 255).u8(v & 255);
}
