/**
 * `ip xfrm state …`: security associations, as iproute2's ip/xfrm_state.c
 * (add, update, allocspi, get, delete, deleteall, list, flush, count).
 * @module
 */
import { CliError, duparg, invarg, missarg, matches } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkError } from '../../netlink/errors.js';
import { kernelErrorText } from '../common/errors.js';
import { NLM_F } from '../../netlink/constants.js';
import type { RequestBuilder, MessageView } from '../../netlink/socket.js';
import { xfrmRequest, xfrmDumpRequest, xfrmRawRequest, XFRM_STATE_FLAGS, xfrmProtoIsIpsec, xfrmProtoIsRo, xfrmProtoName } from '../../netlink/xfrm.js';
import {
  XFRM_MSG, XFRM_INF, XFRMA_REPLAY_ESN_MAX, XFRM_STATE, XFRM_SA_XFLAG, XFRM_MODE,
  xfrmSaMessage, xfrmSaIdMessage, xfrmSpiMessage, xfrmUsersaInfo, xfrmExpireMessage, xfrmSadInfoMessage,
  type XfrmAttrs, type XfrmUsersaInfo, type XfrmUsersaId,
} from '../../netlink/xfrm-schema.js';
import { getAddr, getPrefix, getUnsigned } from './inet-args.js';
import { LinkMap } from './ll-map.js';

import { Cursor, parseContext, parseFlagWords, parseIdInto, u32Arg, type IfIndexLookup, parseId, parseMode, parseReqid, parseMark, parseSelector, parseLimit, addrMatch, xfrmProtoByName, secCtxOf, type XfrmParse, type XfrmFilter } from './xfrm-args.js';
import { XfrmOut, hex8 } from './xfrm-print.js';
import { printOptions, openXfrm, talk } from './xfrm-command.js';

const USAGE = `Usage: ip xfrm state { add | update } ID [ ALGO-LIST ] [ mode MODE ]
        [ mark MARK [ mask MASK ] ] [ reqid REQID ] [ seq SEQ ]
        [ replay-window SIZE ] [ replay-seq SEQ ] [ replay-oseq SEQ ]
        [ replay-seq-hi SEQ ] [ replay-oseq-hi SEQ ]
        [ flag FLAG-LIST ] [ sel SELECTOR ] [ LIMIT-LIST ] [ encap ENCAP ]
        [ coa ADDR[/PLEN] ] [ ctx CTX ] [ extra-flag EXTRA-FLAG-LIST ]
        [ offload [dev DEV] dir DIR ]
        [ output-mark OUTPUT-MARK [ mask MASK ] ]
        [ if_id IF_ID ] [ tfcpad LENGTH ]
Usage: ip xfrm state allocspi ID [ mode MODE ] [ mark MARK [ mask MASK ] ]
        [ reqid REQID ] [ seq SEQ ] [ min SPI max SPI ]
Usage: ip xfrm state { delete | get } ID [ mark MARK [ mask MASK ] ]
Usage: ip xfrm state deleteall [ ID ] [ mode MODE ] [ reqid REQID ]
        [ flag FLAG-LIST ]
Usage: ip xfrm state list [ nokeys ] [ ID ] [ mode MODE ] [ reqid REQID ]
        [ flag FLAG-LIST ]
Usage: ip xfrm state flush [ proto XFRM-PROTO ]
Usage: ip xfrm state count
ID := [ src ADDR ] [ dst ADDR ] [ proto XFRM-PROTO ] [ spi SPI ]
XFRM-PROTO := esp | ah | comp | route2 | hao
ALGO-LIST := [ ALGO-LIST ] ALGO
ALGO := { enc | auth } ALGO-NAME ALGO-KEYMAT |
        auth-trunc ALGO-NAME ALGO-KEYMAT ALGO-TRUNC-LEN |
        aead ALGO-NAME ALGO-KEYMAT ALGO-ICV-LEN |
        comp ALGO-NAME
MODE := transport | tunnel | beet | ro | in_trigger
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG := noecn | decap-dscp | nopmtudisc | wildrecv | icmp | af-unspec | align4 | esn
EXTRA-FLAG-LIST := [ EXTRA-FLAG-LIST ] EXTRA-FLAG
EXTRA-FLAG := dont-encap-dscp | oseq-may-wrap
SELECTOR := [ src ADDR[/PLEN] ] [ dst ADDR[/PLEN] ] [ dev DEV ] [ UPSPEC ]
UPSPEC := proto { { tcp | udp | sctp | dccp } [ sport PORT ] [ dport PORT ] |
                  { icmp | ipv6-icmp | mobility-header } [ type NUMBER ] [ code NUMBER ] |
                  gre [ key { DOTTED-QUAD | NUMBER } ] | PROTO }
LIMIT-LIST := [ LIMIT-LIST ] limit LIMIT
LIMIT := { time-soft | time-hard | time-use-soft | time-use-hard } SECONDS |
         { byte-soft | byte-hard } SIZE | { packet-soft | packet-hard } COUNT
ENCAP := { espinudp | espinudp-nonike | espintcp } SPORT DPORT OADDR
DIR := in | out`;

function usage(): never {
  throw new CliError(USAGE);
}

const IPPROTO_ESP = 50, IPPROTO_AH = 51, IPPROTO_COMP = 108;
const ALGO_TYPES: Readonly<Record<string, 'alg_crypt' | 'alg_auth' | 'alg_comp' | 'alg_aead' | 'alg_auth_trunc'>> = {
  enc: 'alg_crypt', auth: 'alg_auth', comp: 'alg_comp', aead: 'alg_aead', 'auth-trunc': 'alg_auth_trunc',
};
const ALGO_KEY_MAX = 512;


/** xfrm_algo_parse(): key bytes from `0xHEX` (odd length: a leading 0 nibble) or the text itself. */
export function algoKey(key: string): Buffer {
  if (key.length > 2 && key.startsWith('0x')) {
    const p = key.slice(2);
    const len = Math.ceil(p.length / 2);
    if (len > ALGO_KEY_MAX) invarg('ALGO-KEYMAT value makes buffer overflow\n', key);
    const out = Buffer.alloc(len);
    const padded = p.length % 2 ? '0' + p : p;
    for (let j = 0; j < len; j++) {
      const pair = padded.slice(2 * j, 2 * j + 2);
      // get_u8(…, 16): strtoul accepts leading blanks and a sign, and must use up both characters.
      const m = /^[ \t\n\v\f\r]*\+?([0-9a-fA-F]+)$/.exec(pair);
      if (!m) invarg('ALGO-KEYMAT value is invalid', key);
      out[j] = parseInt(m[1]!, 16);
    }
    return out;
  }
  const b = Buffer.from(key, 'latin1');
  if (b.length > ALGO_KEY_MAX) invarg('ALGO-KEYMAT value makes buffer overflow\n', key);
  return b;
}

/** xfrm_state_flag_parse(): `0xNN`, or a run of flag words (the cursor ends on the last one). */
export function parseStateFlags(c: Cursor, flags: number): number {
  return parseFlagWords(c, flags, XFRM_STATE_FLAGS, 'FLAG value is invalid', 0xff);
}

const EXTRA_FLAGS = { 'dont-encap-dscp': XFRM_SA_XFLAG.DONT_ENCAP_DSCP, 'oseq-may-wrap': XFRM_SA_XFLAG.OSEQ_MAY_WRAP };

function parseExtraFlags(c: Cursor, flags: number): number {
  return parseFlagWords(c, flags, EXTRA_FLAGS, '"EXTRA-FLAG" is invalid');
}

/** A fresh usersa_info as iproute2 starts one: unlimited lifetimes, `family`. */
function freshInfo(family: number): XfrmUsersaInfo {
  const h = xfrmUsersaInfo.read(Buffer.alloc(xfrmUsersaInfo.size), 0);
  h.family = family;
  h.lft.soft_byte_limit = XFRM_INF; h.lft.hard_byte_limit = XFRM_INF;
  h.lft.soft_packet_limit = XFRM_INF; h.lft.hard_packet_limit = XFRM_INF;
  return h;
}

/**
 * xfrm_state_modify(): parse `ip xfrm state add|update …` into the request
 * (checked completely before anything is sent).
 */
export function stateModifyRequest(argv: readonly string[], family: number, cmd: number, links: IfIndexLookup | undefined): RequestBuilder {
  const p = parseContext(family, links);
  const c = new Cursor(argv);
  const h = freshInfo(p.family);
  const a: XfrmAttrs = {};
  let replayWindow = 0, seq = 0, oseq = 0, seqHi = 0, oseqHi = 0;
  let idp = false;
  let aeadop = false, ealgop = false, aalgop = false, calgop = false;
  let coap = false, sctxp = false;
  let extraFlags = 0;
  let mark = { v: 0, m: 0 };
  let offload: { ifindex: number; flags: number } | undefined;
  const outputMark = { v: 0, m: 0 };
  let ifId: number | undefined;
  let tfcpad = 0;
  while (c.argc > 0) {
    const w = c.cur;
    if (w === 'mode') {
      h.mode = parseMode(c.next());
    } else if (w === 'mark') {
      mark = parseMark(c);
    } else if (w === 'reqid') {
      h.reqid = parseReqid(c.next());
    } else if (w === 'seq') {
      const v = c.next();
      const n = getUnsigned(v);
      if (n === undefined) invarg('SEQ value is invalid', v);
      // get_be32: stored in network order in a host-order field.
      h.seq = ((n & 0xff) << 24 | (n & 0xff00) << 8 | (n >>> 8) & 0xff00 | n >>> 24) >>> 0;
    } else if (w === 'replay-window') {
      replayWindow = u32Arg(c.next(), 'value after "replay-window" is invalid');
    } else if (w === 'replay-seq') {
      seq = u32Arg(c.next(), 'value after "replay-seq" is invalid');
    } else if (w === 'replay-seq-hi') {
      seqHi = u32Arg(c.next(), 'value after "replay-seq-hi" is invalid');
    } else if (w === 'replay-oseq') {
      oseq = u32Arg(c.next(), 'value after "replay-oseq" is invalid');
    } else if (w === 'replay-oseq-hi') {
      oseqHi = u32Arg(c.next(), 'value after "replay-oseq-hi" is invalid');
    } else if (w === 'flag') {
      c.next();
      h.flags = parseStateFlags(c, h.flags);
    } else if (w === 'extra-flag') {
      c.next();
      extraFlags = parseExtraFlags(c, extraFlags);
    } else if (w === 'sel') {
      c.next();
      p.family = 0;
      parseSelector(c, p, h.sel);
      p.family = h.sel.family;
    } else if (w === 'limit') {
      c.next();
      parseLimit(c, h.lft);
    } else if (w === 'encap') {
      const t = c.next();
      const type = t === 'espinudp-nonike' ? 1 : t === 'espinudp' ? 2 : t === 'espintcp' ? 7 : invarg('ENCAP-TYPE value is invalid', t);
      const sv = c.next();
      const sport = getUnsigned(sv);
      if (sport === undefined || sport > 0xffff) invarg('SPORT value after "encap" is invalid', sv);
      const dv = c.next();
      const dport = getUnsigned(dv);
      if (dport === undefined || dport > 0xffff) invarg('DPORT value after "encap" is invalid', dv);
      const oa = getAddrLoose(c.next());
      a.encap = { encap_type: type, encap_sport: sport, encap_dport: dport, encap_oa: oa };
    } else if (w === 'coa') {
      if (coap) duparg('coa', w);
      coap = true;
      const v = c.next();
      const pr = getPrefix(v, p.family);
      if (pr.family === 0) invarg('value after "coa" has an unrecognized address family', v);
      const b = Buffer.alloc(16);
      pr.bytes.copy(b);
      a.coaddr = b;
    } else if (w === 'ctx') {
      if (sctxp) duparg('ctx', w);
      sctxp = true;
      a.sec_ctx = secCtxOf(c.next());
    } else if (w === 'offload') {
      let v = c.next();
      let ifindex = 0;
      if (v === 'dev') {
        const d = c.next();
        ifindex = links?.index(d) ?? 0;
        if (!ifindex) invarg('value after "offload dev" is invalid', d);
        v = c.next();
      }
      if (v !== 'dir') invarg('value after "offload dir" is invalid', v);
      const dv = c.next();
      const dir = dv === 'in' ? 2 : dv === 'out' ? 0 : invarg('DIR value is invalid', dv);
      offload = { ifindex, flags: dir };
    } else if (w === 'output-mark') {
      outputMark.v = u32Arg(c.next(), 'value after "output-mark" is invalid');
      if (c.argc > 1) {
        c.next();
        if (c.cur === 'mask') outputMark.m = u32Arg(c.next(), 'mask value is invalid\n');
        else c.prev();
      }
    } else if (w === 'if_id') {
      ifId = u32Arg(c.next(), 'value after "if_id" is invalid');
    } else if (w === 'tfcpad') {
      tfcpad = u32Arg(c.next(), 'value after "tfcpad" is invalid');
    } else if (Object.prototype.hasOwnProperty.call(ALGO_TYPES, w)) {
      const key = ALGO_TYPES[w]!;
      if (key === 'alg_aead') { if (ealgop || aalgop || aeadop) duparg('ALGO-TYPE', w); aeadop = true; }
      else if (key === 'alg_crypt') { if (ealgop || aeadop) duparg('ALGO-TYPE', w); ealgop = true; }
      else if (key === 'alg_auth' || key === 'alg_auth_trunc') { if (aalgop || aeadop) duparg('ALGO-TYPE', w); aalgop = true; }
      else { if (calgop) duparg('ALGO-TYPE', w); calgop = true; }
      if (!c.nextOk()) missarg('ALGO-NAME');
      const name = c.next();
      let keyText = '';
      if (key !== 'alg_comp') {
        if (!c.nextOk()) missarg('ALGO-KEYMAT');
        keyText = c.next();
      }
      let extra = 0;
      if (key === 'alg_aead') {
        if (!c.nextOk()) missarg('ALGO-ICV-LEN');
        extra = u32Arg(c.next(), 'ALGO-ICV-LEN value is invalid');
      } else if (key === 'alg_auth_trunc') {
        if (!c.nextOk()) missarg('ALGO-TRUNC-LEN');
        extra = u32Arg(c.next(), 'ALGO-TRUNC-LEN value is invalid');
      }
      const k = algoKey(keyText);
      const base = { name, keyLen: k.length * 8, key: k };
      if (key === 'alg_aead') a.alg_aead = { ...base, icvLen: extra };
      else if (key === 'alg_auth_trunc') a.alg_auth_trunc = { ...base, truncLen: extra };
      else a[key] = base;
    } else {
      if (idp) invarg('unknown', w);
      idp = true;
      parseIdInto(c, p, h, false);
      if (p.family === 0) p.family = h.family;
    }
    c.step();
  }

  if (h.flags & XFRM_STATE.ESN && replayWindow === 0) throw new CliError('Error: esn flag set without replay-window.');
  if (replayWindow > XFRMA_REPLAY_ESN_MAX) {
    throw new CliError(`Error: replay-window (${replayWindow}) > XFRMA_REPLAY_ESN_MAX (${XFRMA_REPLAY_ESN_MAX}).`);
  }
  if (offload) a.offload_dev = offload;
  if (h.flags & XFRM_STATE.ESN || replayWindow > 32) {
    a.replay_esn_val = { bmpLen: Math.ceil(replayWindow / 32), oseq, seq, oseqHi, seqHi, replayWindow, bmp: [] };
  } else {
    if (seq || oseq) a.replay_val = { oseq, seq, bitmap: 0 };
    h.replay_window = replayWindow;
  }
  if (extraFlags) a.sa_extra_flags = extraFlags;
  if (!idp) throw new CliError('Not enough information: ID is required', 1);
  if (mark.m) a.mark = mark;
  if (ifId !== undefined) a.if_id = ifId;
  if (tfcpad) a.tfcpad = tfcpad;

  const proto = h.id.proto;
  const pn = xfrmProtoName(proto);
  if (xfrmProtoIsIpsec(proto)) {
    const modeOk = h.mode === XFRM_MODE.TRANSPORT || h.mode === XFRM_MODE.TUNNEL || (h.mode === XFRM_MODE.BEET && proto === IPPROTO_ESP);
    if (!modeOk) throw new CliError(`MODE value is invalid with XFRM-PROTO value "${pn}"`, 1);
    if (proto === IPPROTO_ESP) {
      if (calgop) throw new CliError(`ALGO-TYPE value "comp" is invalid with XFRM-PROTO value "${pn}"`, 1);
      if (!ealgop && !aeadop) throw new CliError(`ALGO-TYPE value "enc" or "aead" is required with XFRM-PROTO value "${pn}"`, 1);
    } else if (proto === IPPROTO_AH) {
      if (ealgop || aeadop || calgop) throw new CliError(`ALGO-TYPE values "enc", "aead", and "comp" are invalid with XFRM-PROTO value "${pn}"`, 1);
      if (!aalgop) throw new CliError(`ALGO-TYPE value "auth" or "auth-trunc" is required with XFRM-PROTO value "${pn}"`, 1);
    } else if (proto === IPPROTO_COMP) {
      if (ealgop || aalgop || aeadop) throw new CliError(`ALGO-TYPE values "enc", "auth", "auth-trunc", and "aead" are invalid with XFRM-PROTO value "${pn}"`, 1);
      if (!calgop) throw new CliError(`ALGO-TYPE value "comp" is required with XFRM-PROTO value "${pn}"`, 1);
    }
  } else if (ealgop || aalgop || aeadop || calgop) {
    throw new CliError(`ALGO is invalid with XFRM-PROTO value "${pn}"`, 1);
  }
  if (xfrmProtoIsRo(proto)) {
    if (h.mode === 0) throw new CliError(`"mode" is required with XFRM-PROTO value "${pn}"`, 1);
    if (h.mode !== XFRM_MODE.ROUTEOPTIMIZATION && h.mode !== XFRM_MODE.IN_TRIGGER) throw new CliError(`MODE value is invalid with XFRM-PROTO value "${pn}"`, 1);
    if (!coap) throw new CliError(`"coa" is required with XFRM-PROTO value "${pn}"`, 1);
  } else if (coap) {
    throw new CliError(`"coa" is invalid with XFRM-PROTO value "${pn}"`, 1);
  }
  if (outputMark.v) a.set_mark = outputMark.v;
  if (outputMark.m) a.set_mark_mask = outputMark.m;
  if (h.family === 0) h.family = 2;
  return xfrmRequest(xfrmSaMessage, cmd, NLM_F.ACK, { header: h, attrs: a });
}

/** get_addr(…, AF_UNSPEC) into an xfrm_address_t (exits 1 on a bad address). */
function getAddrLoose(v: string): Buffer {
  const b = Buffer.alloc(16);
  getAddr(v, 0).bytes.copy(b);
  return b;
}

/** xfrm_state_filter_match() */
export function stateFilterMatch(f: XfrmFilter, x: XfrmUsersaInfo): boolean {
  if (!f.use) return true;
  if (f.family !== 0 && f.family !== x.family) return false;
  if (f.idSrcMask && !addrMatch(x.saddr, f.saddr, f.idSrcMask)) return false;
  if (f.idDstMask && !addrMatch(x.id.daddr, f.daddr, f.idDstMask)) return false;
  if (f.protoMask && x.id.proto !== f.proto) return false;
  if (f.spiMask && x.id.spi !== f.spi) return false;
  if (f.modeMask && x.mode !== f.mode) return false;
  if (f.reqidMask && x.reqid !== f.reqid) return false;
  if (f.flagsMask && (x.flags & f.flags) === 0) return false;
  return true;
}

/** Print one state message (NEWSA/UPDSA/DELSA/EXPIRE) as __do_xfrm_state_print(); false if it is not one. */
export function printStateMessage(out: XfrmOut, m: MessageView, filter: XfrmFilter | undefined, nokeys: boolean): void {
  let info: XfrmUsersaInfo;
  let attrs: XfrmAttrs;
  let hard: number | undefined;
  if (m.type === XFRM_MSG.DELSA) {
    const d = xfrmSaIdMessage.decode(m.buf, m.off, m.len);
    if (!d.attrs.sa) { process.stderr.write('Buggy XFRM_MSG_DELSA: no XFRMA_SA\n'); return; }
    info = d.attrs.sa;
    attrs = d.attrs;
  } else if (m.type === XFRM_MSG.EXPIRE) {
    const d = xfrmExpireMessage.decode(m.buf, m.off, m.len);
    info = d.header.state;
    attrs = d.attrs;
    hard = d.header.hard;
  } else if (m.type === XFRM_MSG.NEWSA || m.type === XFRM_MSG.UPDSA) {
    const d = xfrmSaMessage.decode(m.buf, m.off, m.len);
    info = d.header;
    attrs = d.attrs;
  } else {
    process.stderr.write(`Not a state: ${hex8(m.len + 16)} ${hex8(m.type)} ${hex8(m.flags)}\n`);
    return;
  }
  if (m.type !== XFRM_MSG.DELSA && filter && !stateFilterMatch(filter, info)) return;
  if (m.type === XFRM_MSG.DELSA) out.w('Deleted ');
  else if (m.type === XFRM_MSG.UPDSA) out.w('Updated ');
  else if (m.type === XFRM_MSG.EXPIRE) out.w('Expired ');
  out.stateInfo(info, attrs, nokeys);
  if (hard !== undefined) out.w(`\thard ${hard}${out.sl}`);
  if (out.sl !== '\n') out.w('\n');
}

async function modify(ctx: CliContext, argv: readonly string[], cmd: number): Promise<number> {
  const links = argv.some((w) => w === 'dev') ? await LinkMap.load(ctx) : undefined;
  const build = stateModifyRequest(argv, ctx.opts.family, cmd, links);
  const x = await openXfrm(ctx);
  try {
    const r = await talk(ctx, x, build, 'xfrm state');
    return typeof r === 'number' ? r : 0;
  } finally {
    x.close();
  }
}

/** xfrm_state_allocspi() parse. */
export function allocspiRequest(argv: readonly string[], family: number): RequestBuilder {
  const p = parseContext(family, undefined);
  const c = new Cursor(argv);
  const info = freshInfo(p.family);
  // allocspi starts from a zeroed usersa_info (no INF lifetimes).
  info.lft = { ...xfrmUsersaInfo.zero.lft };
  let idp = false;
  let min: number | undefined, max: number | undefined;
  let mark = { v: 0, m: 0 };
  while (c.argc > 0) {
    const w = c.cur;
    if (w === 'mode') info.mode = parseMode(c.next());
    else if (w === 'mark') mark = parseMark(c);
    else if (w === 'reqid') info.reqid = parseReqid(c.next());
    else if (w === 'seq') {
      const v = c.next();
      const n = getUnsigned(v);
      if (n === undefined) invarg('SEQ value is invalid', v);
      info.seq = ((n & 0xff) << 24 | (n & 0xff00) << 8 | (n >>> 8) & 0xff00 | n >>> 24) >>> 0;
    } else if (w === 'min') {
      if (min !== undefined) duparg('min', w);
      min = u32Arg(c.next(), 'value after "min" is invalid');
    } else if (w === 'max') {
      if (max !== undefined) duparg('max', w);
      max = u32Arg(c.next(), 'value after "max" is invalid');
    } else {
      if (idp) invarg('unknown', w);
      idp = true;
      parseIdInto(c, p, info, false);
      if (info.id.spi) throw new CliError('"spi" is invalid', 1);
      if (p.family === 0) p.family = info.family;
    }
    c.step();
  }
  if (!idp) throw new CliError('Not enough information: ID is required', 1);
  if (min !== undefined) {
    if (max === undefined) throw new CliError('"max" is missing', 1);
    if (min > max) throw new CliError('value after "min" is larger than value after "max"', 1);
  } else {
    if (max !== undefined) throw new CliError('"min" is missing', 1);
    min = 0x100;
    max = info.id.proto === IPPROTO_COMP ? 0xffff : 0x0fffffff;
  }
  const attrs: XfrmAttrs = {};
  if (mark.m & mark.v) attrs.mark = mark;
  if (info.family === 0) info.family = 2;
  return xfrmRequest(xfrmSpiMessage, XFRM_MSG.ALLOCSPI, NLM_F.ACK, { header: { info, min, max }, attrs });
}

/** xfrm_state_get_or_delete() parse. */
export function stateIdRequest(argv: readonly string[], family: number, del: boolean): RequestBuilder {
  const p = parseContext(family, undefined);
  const c = new Cursor(argv);
  const h: XfrmUsersaId = { daddr: Buffer.alloc(16), spi: 0, family: p.family, proto: 0 };
  const attrs: XfrmAttrs = {};
  let idp = false;
  let mark = { v: 0, m: 0 };
  while (c.argc > 0) {
    if (c.cur === 'mark') {
      mark = parseMark(c);
    } else {
      if (idp) invarg('unknown', c.cur);
      idp = true;
      const id = { saddr: Buffer.alloc(16), daddr: Buffer.alloc(16), spi: 0, proto: 0, family: h.family };
      parseId(c, p, id, false);
      h.family = id.family; h.daddr = id.daddr; h.spi = id.spi; h.proto = id.proto;
      attrs.srcaddr = id.saddr;
    }
    c.step();
  }
  if (mark.m & mark.v) attrs.mark = mark;
  if (h.family === 0) h.family = 2;
  return xfrmRequest(xfrmSaIdMessage, del ? XFRM_MSG.DELSA : XFRM_MSG.GETSA, NLM_F.ACK, { header: h, attrs });
}

async function getOrDelete(ctx: CliContext, argv: readonly string[], del: boolean): Promise<number> {
  const build = stateIdRequest(argv, ctx.opts.family, del);
  const x = await openXfrm(ctx);
  try {
    const r = await talk(ctx, x, build, del ? 'delete xfrm state' : 'get xfrm state');
    if (typeof r === 'number') return r;
    if (!del && r[0]) {
      const links = await linksFor(ctx, r);
      const out = new XfrmOut(printOptions(ctx, ctx.opts.family, links));
      printStateMessage(out, r[0], undefined, false);
      ctx.sink.write(out.text);
    }
    return 0;
  } finally {
    x.close();
  }
}

async function allocspi(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const build = allocspiRequest(argv, ctx.opts.family);
  const x = await openXfrm(ctx);
  try {
    const r = await talk(ctx, x, build, 'allocate spi');
    if (typeof r === 'number') return r;
    if (r[0]) {
      const out = new XfrmOut(printOptions(ctx, ctx.opts.family, await linksFor(ctx, r)));
      printStateMessage(out, r[0], undefined, false);
      ctx.sink.write(out.text);
    }
    return 0;
  } finally {
    x.close();
  }
}

/** Device names are needed only when a message names an interface (selector dev, offload dev). */
async function linksFor(ctx: CliContext, msgs: readonly MessageView[]): Promise<LinkMap | undefined> {
  for (const m of msgs) {
    if (m.type === XFRM_MSG.NEWSA || m.type === XFRM_MSG.UPDSA) {
      const d = xfrmSaMessage.decode(m.buf, m.off, m.len);
      if (d.header.sel.ifindex || d.attrs.offload_dev) return LinkMap.load(ctx);
    } else {
      return LinkMap.load(ctx);
    }
  }
  return undefined;
}

/** The state list filter of `list`/`deleteall` arguments. */
export function parseStateFilter(argv: readonly string[], family: number): { p: XfrmParse; nokeys: boolean } {
  const p = parseContext(family, undefined);
  const f = p.filter;
  if (argv.length > 0 || family !== 0) f.use = true;
  f.family = family;
  const c = new Cursor(argv);
  let idp = false;
  let nokeys = false;
  while (c.argc > 0) {
    const w = c.cur;
    if (w === 'nokeys') nokeys = true;
    else if (w === 'mode') { f.mode = parseMode(c.next()); f.modeMask = true; }
    else if (w === 'reqid') { f.reqid = parseReqid(c.next()); f.reqidMask = true; }
    else if (w === 'flag') { c.next(); f.flags = parseStateFlags(c, f.flags); f.flagsMask = true; }
    else {
      if (idp) invarg('unknown', w);
      idp = true;
      const id = { saddr: f.saddr, daddr: f.daddr, spi: f.spi, proto: f.proto, family: f.family };
      parseId(c, p, id, true);
      f.saddr = id.saddr; f.daddr = id.daddr; f.spi = id.spi; f.proto = id.proto; f.family = id.family;
      if (p.family === 0) p.family = f.family;
    }
    c.step();
  }
  return { p, nokeys };
}

async function listOrDeleteall(ctx: CliContext, argv: readonly string[], deleteall: boolean): Promise<number> {
  const { p, nokeys } = parseStateFilter(argv, ctx.opts.family);
  const f = p.filter;
  const x = await openXfrm(ctx);
  try {
    if (deleteall) {
      for (;;) {
        let victims: Array<{ header: XfrmUsersaId; attrs: XfrmAttrs }>;
        try {
          victims = await x.socket.dump(xfrmDumpRequest(XFRM_MSG.GETSA), (m) => {
            if (m.type !== XFRM_MSG.NEWSA) return undefined;
            const d = xfrmSaMessage.decode(m.buf, m.off, m.len);
            if (!stateFilterMatch(f, d.header)) return undefined;
            if (d.header.id.proto === 4 || d.header.id.proto === 41) return undefined;
            const attrs: XfrmAttrs = { srcaddr: d.header.saddr };
            if (d.attrs.mark) attrs.mark = d.attrs.mark;
            return { header: { daddr: d.header.id.daddr, spi: d.header.id.spi, family: d.header.family, proto: d.header.id.proto }, attrs };
          }, 'list xfrm states').toArray();
        } catch (e) {
          if (!(e instanceof NetlinkError)) throw e;
          ctx.warn(kernelErrorText(e) + 'Delete-all terminated');
          return 1;
        }
        if (ctx.opts.stats > 1) ctx.warn('Delete-all round = 0');
        if (victims.length === 0) break;
        const results = await Promise.allSettled(victims.map((v) => x.socket.request(xfrmRequest(xfrmSaIdMessage, XFRM_MSG.DELSA, NLM_F.ACK, v), 'delete xfrm state')));
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) {
          const e: unknown = failed.reason;
          ctx.warn(`Failed to send delete-all request\n: ${e instanceof NetlinkError ? e.reason : String(e)}`);
          return 1;
        }
      }
      return 0;
    }
    const attrs: XfrmAttrs = {};
    if (f.proto) attrs.proto = f.proto;
    attrs.address_filter = { saddr: f.saddr, daddr: f.daddr, family: f.family, splen: f.idSrcMask & 0xff, dplen: f.idDstMask & 0xff };
    let links: LinkMap | undefined;
    const out = new XfrmOut(printOptions(ctx, p.family, undefined));
    try {
      const msgs = x.socket.dump(xfrmDumpRequest(XFRM_MSG.GETSA, attrs), (m) => m, 'list xfrm states');
      for await (const m of msgs) {
        if (!links && m.type === XFRM_MSG.NEWSA) {
          const d = xfrmSaMessage.decode(m.buf, m.off, m.len);
          if (d.header.sel.ifindex || d.attrs.offload_dev) {
            links = await LinkMap.load(ctx);
            Object.assign(out, { o: printOptions(ctx, p.family, links) });
          }
        }
        printStateMessage(out, m, f, nokeys);
        ctx.sink.write(out.text);
        out.text = '';
      }
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      ctx.sink.write(out.text);
      ctx.warn(kernelErrorText(e) + 'Dump terminated');
      return 1;
    }
    return 0;
  } finally {
    x.close();
  }
}

/** `flush [proto XFRM-PROTO]` */
export function stateFlushRequest(argv: readonly string[]): { build: RequestBuilder; proto: number } {
  const c = new Cursor(argv);
  let proto = 0;
  let protop = false;
  while (c.argc > 0) {
    if (c.cur === 'proto') {
      if (protop) duparg('proto', c.cur);
      protop = true;
      const v = c.next();
      const n = xfrmProtoByName(v);
      if (n < 0) invarg('XFRM-PROTO value is invalid', v);
      proto = n;
    } else {
      invarg('unknown', c.cur);
    }
    c.step();
  }
  return { build: xfrmRawRequest(XFRM_MSG.FLUSHSA, NLM_F.ACK, Buffer.from([proto])), proto };
}

async function flush(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const { build, proto } = stateFlushRequest(argv);
  const x = await openXfrm(ctx);
  try {
    if (ctx.opts.stats > 1) ctx.warn(`Flush state with XFRM-PROTO value "${xfrmProtoName(proto)}"`);
    const r = await talk(ctx, x, build, 'flush xfrm states');
    return typeof r === 'number' ? r : 0;
  } finally {
    x.close();
  }
}

async function count(ctx: CliContext): Promise<number> {
  const x = await openXfrm(ctx);
  try {
    const r = await talk(ctx, x, xfrmRawRequest(XFRM_MSG.GETSADINFO, NLM_F.ACK, Buffer.from([0xff, 0xff, 0xff, 0xff])), 'count xfrm states');
    if (typeof r === 'number') return r;
    const m = r[0];
    if (!m) return 0;
    const { attrs } = xfrmSadInfoMessage.decode(m.buf, m.off, m.len);
    let s = '';
    if (attrs.cnt === undefined) {
      ctx.sink.write('BAD SAD info returned\n');
      return 0;
    }
    s += `\t SAD count ${attrs.cnt >>> 0}`;
    if (ctx.opts.stats && attrs.hinfo) s += ` (buckets count ${attrs.hinfo.count | 0} Max ${attrs.hinfo.max | 0})`;
    ctx.sink.write(s + '\n');
    return 0;
  } finally {
    x.close();
  }
}

/** `ip xfrm state …` (do_xfrm_state) */
export async function doXfrmState(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (cmd === undefined) return listOrDeleteall(ctx, [], false);
  if (matches(cmd, 'add')) return modify(ctx, rest, XFRM_MSG.NEWSA);
  if (matches(cmd, 'update')) return modify(ctx, rest, XFRM_MSG.UPDSA);
  if (matches(cmd, 'allocspi')) return allocspi(ctx, rest);
  if (matches(cmd, 'delete')) return getOrDelete(ctx, rest, true);
  if (matches(cmd, 'deleteall') || matches(cmd, 'delall')) return listOrDeleteall(ctx, rest, true);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return listOrDeleteall(ctx, rest, false);
  if (matches(cmd, 'get')) return getOrDelete(ctx, rest, false);
  if (matches(cmd, 'flush')) return flush(ctx, rest);
  if (matches(cmd, 'count')) return count(ctx);
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip xfrm state help".`);
}
