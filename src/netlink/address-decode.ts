/**
 * Decoding RTM_NEWADDR/RTM_DELADDR messages into one reusable flat object
 * ({@link AddrInfo}), for consumers that handle tens of thousands of
 * addresses (`ip address show`/`flush`).
 *
 * Two decoders fill the same object:
 * - {@link decodeAddrFast}: one pass over the attributes a kernel dump
 *   carries, with the layout and IFA_* numbers of the schema, no object per
 *   message; it declines (returns false) anything else: a bad length, an
 *   attribute it does not know;
 * - {@link addrInfoFromSchema}, which converts what the schema decoder
 *   ({@link addressMessage}) gives, so errors and rare attributes are handled
 *   in one place. {@link decodeAddrInfo} tries the first, then the second.
 * test/unit/address-decode.test.ts checks that both agree on generated and
 * corrupted messages, so the fast path cannot drift from the schema.
 * @module
 */
import { formatIPv6, parseAddress } from './addr.js';
import { addressMessage, IFA, type AddressAttrs } from './rtnetlink/address-schema.js';
import type { IfAddrMsg } from './structs.js';
import type { MessageView } from './socket.js';

/** sizeof(struct ifaddrmsg) */
export const IFADDRMSG_LEN = 8;

/**
 * One address message, flat: the ifaddrmsg fields and the IFA_* attributes
 * printers use. Reused from message to message (every field is rewritten).
 */
export interface AddrInfo {
  family: number;
  prefixlen: number;
  /** ifa_flags of the header (8 bits). */
  headerFlags: number;
  scope: number;
  /** Interface index (ifa_index). */
  index: number;
  /** IFA_FLAGS (32 bits), when present. */
  ifaFlags: number | undefined;
  /** The address's flags: IFA_FLAGS when present, else ifa_flags. */
  flags: number;
  /** IFA_ADDRESS (the peer on point-to-point links, else equal to local). */
  address: string | undefined;
  /** IFA_LOCAL. */
  local: string | undefined;
  broadcast: string | undefined;
  anycast: string | undefined;
  label: string | undefined;
  /** Whether IFA_CACHEINFO was present (then the four fields below are set). */
  cacheinfo: boolean;
  preferred: number;
  valid: number;
  cstamp: number;
  tstamp: number;
  /** IFA_RT_PRIORITY (the prefix route's metric). */
  rtPriority: number | undefined;
  /** IFA_PROTO. */
  proto: number | undefined;
  /**
   * The bytes of the local address (IFA_LOCAL, else IFA_ADDRESS) are
   * `localBuf[localOff .. localOff + localLen)`; localLen is 0 when absent.
   * For prefix filters, without parsing text back.
   */
  localBuf: Uint8Array;
  localOff: number;
  localLen: number;
}

const EMPTY = new Uint8Array(0);

/** A fresh {@link AddrInfo} to decode into. */
export function newAddrInfo(): AddrInfo {
  return {
    family: 0, prefixlen: 0, headerFlags: 0, scope: 0, index: 0, ifaFlags: undefined, flags: 0,
    address: undefined, local: undefined, broadcast: undefined, anycast: undefined, label: undefined,
    cacheinfo: false, preferred: 0, valid: 0, cstamp: 0, tstamp: 0, rtPriority: undefined, proto: undefined,
    localBuf: EMPTY, localOff: 0, localLen: 0,
  };
}

/** "0" … "255" */
const DEC: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address as text; the caller checked the length. */
function ipText(b: Buffer, off: number, len: number): string {
  if (len === 4) return DEC[b[off]!]! + '.' + DEC[b[off + 1]!]! + '.' + DEC[b[off + 2]!]! + '.' + DEC[b[off + 3]!]!;
  return formatIPv6(b, off);
}

function sameBytes(b: Buffer, x: number, y: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (b[x + i] !== b[y + i]) return false;
  return true;
}

/** The last label attribute's bytes and its text: consecutive addresses mostly carry the same label. */
let lastLabel = '';
let lastLabelBytes: Buffer = Buffer.alloc(0);

function labelText(b: Buffer, d: number, n: number): string {
  const last = lastLabelBytes;
  if (n === last.length) {
    let i = 0;
    while (i < n && b[d + i] === last[i]) i++;
    if (i === n) return lastLabel;
  }
  // cstring: up to the first NUL (as the schema's codec), else the whole attribute.
  let len = 0;
  while (len < n && b[d + len] !== 0) len++;
  lastLabel = b.toString('utf8', d, d + len);
  lastLabelBytes = Buffer.from(b.subarray(d, d + n));
  return lastLabel;
}

/** A little-endian u32 (without a call into Buffer's readUInt32LE: this runs for every attribute). */
function u32(b: Buffer, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
}

/**
 * Decode a well-formed address message with only the attributes the kernel
 * sends in dumps (IFA_ADDRESS, LOCAL, LABEL, BROADCAST, ANYCAST, CACHEINFO,
 * FLAGS, RT_PRIORITY, PROTO) into `out`, with exactly the values the schema
 * decoder gives. Returns false, leaving `out` in an unspecified state, for
 * anything else (bad lengths, other attributes): use the schema decoder then.
 */
export function decodeAddrFast(buf: Buffer, off: number, len: number, out: AddrInfo): boolean {
  if (len < IFADDRMSG_LEN) return false;
  const end = off + len;
  let addrAt = -1, addrLen = 0, localAt = -1, localLen = 0, brdAt = -1, brdLen = 0, anyAt = -1, anyLen = 0, labelAt = -1, labelLen = 0;
  let ifaFlags: number | undefined;
  let rtPriority: number | undefined;
  let proto: number | undefined;
  let cacheinfo = false;
  let p = off + IFADDRMSG_LEN;
  while (end - p >= 4) {
    const alen = buf[p]! | (buf[p + 1]! << 8);
    if (alen < 4 || alen > end - p) return false;
    const d = p + 4;
    const n = alen - 4;
    switch ((buf[p + 2]! | (buf[p + 3]! << 8)) & 0x3fff) {
      case IFA.ADDRESS: if (n !== 4 && n !== 16) return false; addrAt = d; addrLen = n; break;
      case IFA.LOCAL: if (n !== 4 && n !== 16) return false; localAt = d; localLen = n; break;
      case IFA.BROADCAST: if (n !== 4 && n !== 16) return false; brdAt = d; brdLen = n; break;
      case IFA.ANYCAST: if (n !== 4 && n !== 16) return false; anyAt = d; anyLen = n; break;
      case IFA.LABEL: labelAt = d; labelLen = n; break;
      case IFA.CACHEINFO:
        if (n < 16) return false;
        cacheinfo = true;
        out.preferred = u32(buf, d);
        out.valid = u32(buf, d + 4);
        out.cstamp = u32(buf, d + 8);
        out.tstamp = u32(buf, d + 12);
        break;
      case IFA.FLAGS: if (n < 4) return false; ifaFlags = u32(buf, d); break;
      case IFA.RT_PRIORITY: if (n < 4) return false; rtPriority = u32(buf, d); break;
      case IFA.PROTO: if (n < 1) return false; proto = buf[d]!; break;
      default: return false;
    }
    p += (alen + 3) & ~3;
  }
  const headerFlags = buf[off + 2]!;
  out.family = buf[off]!;
  out.prefixlen = buf[off + 1]!;
  out.headerFlags = headerFlags;
  out.scope = buf[off + 3]!;
  out.index = u32(buf, off + 4);
  out.ifaFlags = ifaFlags;
  out.flags = ifaFlags ?? headerFlags;
  out.cacheinfo = cacheinfo;
  out.rtPriority = rtPriority;
  out.proto = proto;
  const local = localAt >= 0 ? ipText(buf, localAt, localLen) : undefined;
  out.local = local;
  out.address = addrAt < 0 ? undefined
    : local !== undefined && addrLen === localLen && sameBytes(buf, addrAt, localAt, addrLen) ? local
      : ipText(buf, addrAt, addrLen);
  out.broadcast = brdAt >= 0 ? ipText(buf, brdAt, brdLen) : undefined;
  out.anycast = anyAt >= 0 ? ipText(buf, anyAt, anyLen) : undefined;
  out.label = labelAt >= 0 ? labelText(buf, labelAt, labelLen) : undefined;
  out.localBuf = buf;
  if (localAt >= 0) { out.localOff = localAt; out.localLen = localLen; }
  else if (addrAt >= 0) { out.localOff = addrAt; out.localLen = addrLen; }
  else out.localLen = 0;
  return true;
}

/** Fill `out` from the schema decoder's result for one address message. */
export function addrInfoFromSchema(header: IfAddrMsg, attrs: AddressAttrs, out: AddrInfo): AddrInfo {
  out.family = header.family;
  out.prefixlen = header.prefixlen;
  out.headerFlags = header.flags;
  out.scope = header.scope;
  out.index = header.index;
  out.ifaFlags = attrs.flags;
  out.flags = attrs.flags ?? header.flags;
  out.address = attrs.address;
  out.local = attrs.local;
  out.broadcast = attrs.broadcast;
  out.anycast = attrs.anycast;
  out.label = attrs.label;
  const ci = attrs.cacheinfo;
  out.cacheinfo = ci !== undefined;
  out.preferred = ci ? ci.ifa_prefered : 0;
  out.valid = ci ? ci.ifa_valid : 0;
  out.cstamp = ci ? ci.cstamp : 0;
  out.tstamp = ci ? ci.tstamp : 0;
  out.rtPriority = attrs.rt_priority;
  out.proto = attrs.proto;
  const l = attrs.local ?? attrs.address;
  // The schema decoder's own text, so it parses back.
  out.localBuf = (l === undefined ? null : parseAddress(l)) ?? EMPTY;
  out.localOff = 0;
  out.localLen = out.localBuf.length;
  return out;
}

/**
 * Decode one RTM_NEWADDR/DELADDR message into `out`: the fast path when it
 * applies, else the schema decoder (which throws ParseError on malformed
 * messages).
 */
export function decodeAddrInfo(m: MessageView, out: AddrInfo): AddrInfo {
  if (decodeAddrFast(m.buf, m.off, m.len, out)) return out;
  const { header, attrs } = addressMessage.decode(m.buf, m.off, m.len);
  return addrInfoFromSchema(header, attrs, out);
}

/**
 * The schema decoder's view of what `a` holds (the attributes it keeps):
 * for tests that check both decoders agree.
 */
export function addrInfoToSchema(a: AddrInfo): { header: IfAddrMsg; attrs: AddressAttrs } {
  const attrs: { -readonly [K in keyof AddressAttrs]: AddressAttrs[K] } = {};
  if (a.address !== undefined) attrs.address = a.address;
  if (a.local !== undefined) attrs.local = a.local;
  if (a.label !== undefined) attrs.label = a.label;
  if (a.broadcast !== undefined) attrs.broadcast = a.broadcast;
  if (a.anycast !== undefined) attrs.anycast = a.anycast;
  if (a.cacheinfo) attrs.cacheinfo = { ifa_prefered: a.preferred, ifa_valid: a.valid, cstamp: a.cstamp, tstamp: a.tstamp };
  if (a.ifaFlags !== undefined) attrs.flags = a.ifaFlags;
  if (a.rtPriority !== undefined) attrs.rt_priority = a.rtPriority;
  if (a.proto !== undefined) attrs.proto = a.proto;
  return { header: { family: a.family, prefixlen: a.prefixlen, flags: a.headerFlags, scope: a.scope, index: a.index }, attrs };
}
