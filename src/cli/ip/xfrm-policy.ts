/**
 * `ip xfrm policy …`: security policies, as iproute2's ip/xfrm_policy.c
 * (add, update, get, delete, deleteall, list, flush, count, set,
 * setdefault, getdefault).
 * @module
 */
import { CliError, duparg, duparg2, invarg, missarg, matches } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkError } from '../../netlink/errors.js';
import { kernelErrorText } from '../common/errors.js';
import { NLM_F } from '../../netlink/constants.js';
import type { RequestBuilder, MessageView } from '../../netlink/socket.js';
import { xfrmRequest, xfrmDumpRequest, xfrmRawRequest, xfrmDumpLikeRequest, secCtxOf } from '../../netlink/xfrm.js';
import {
  XFRM_MSG, XFRM_INF, XFRM_POLICY,
  xfrmPolicyMessage, xfrmPolicyIdMessage, xfrmPolexpireMessage, xfrmUserpolicyInfo, xfrmUserTmpl, xfrmSpdInfoMessage, xfrmUserpolicyDefault,
  type XfrmAttrs, type XfrmUserpolicyInfo, type XfrmUserpolicyId, type XfrmUserTmpl,
} from '../../netlink/xfrm-schema.js';
import { getUnsigned } from './inet-args.js';
import { LinkMap } from './ll-map.js';

import { Cursor, parseContext, parseFlagWords, parseIdInto, u32Arg, type IfIndexLookup, parseMode, parseReqid, parseMark, parseSelector, parseLimit, addrMatch, type XfrmParse, type XfrmFilter } from './xfrm-args.js';
import { XfrmOut, hex8 } from './xfrm-print.js';
import { printOptions, withXfrm, talk } from './xfrm-command.js';

const USAGE = `Usage: ip xfrm policy { add | update } SELECTOR dir DIR [ ctx CTX ]
	[ mark MARK [ mask MASK ] ] [ index INDEX ] [ ptype PTYPE ]
	[ action ACTION ] [ priority PRIORITY ] [ flag FLAG-LIST ]
	[ if_id IF_ID ] [ LIMIT-LIST ] [ TMPL-LIST ]
Usage: ip xfrm policy { delete | get } { SELECTOR | index INDEX } dir DIR
	[ ctx CTX ] [ mark MARK [ mask MASK ] ] [ ptype PTYPE ]
	[ if_id IF_ID ]
Usage: ip xfrm policy { deleteall | list } [ nosock ] [ SELECTOR ] [ dir DIR ]
	[ index INDEX ] [ ptype PTYPE ] [ action ACTION ] [ priority PRIORITY ]
	[ flag FLAG-LIST ]
Usage: ip xfrm policy flush [ ptype PTYPE ]
Usage: ip xfrm policy count
Usage: ip xfrm policy set [ hthresh4 LBITS RBITS ] [ hthresh6 LBITS RBITS ]
Usage: ip xfrm policy setdefault DIR ACTION [ DIR ACTION ] [ DIR ACTION ]
Usage: ip xfrm policy getdefault
SELECTOR := [ src ADDR[/PLEN] ] [ dst ADDR[/PLEN] ] [ dev DEV ] [ UPSPEC ]
UPSPEC := proto { { tcp | udp | sctp | dccp } [ sport PORT ] [ dport PORT ] |
                  { icmp | ipv6-icmp | mobility-header } [ type NUMBER ] [ code NUMBER ] |
                  gre [ key { DOTTED-QUAD | NUMBER } ] | PROTO }
DIR := in | out | fwd
PTYPE := main | sub
ACTION := allow | block
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG := localok | icmp
LIMIT-LIST := [ LIMIT-LIST ] limit LIMIT
LIMIT := { time-soft | time-hard | time-use-soft | time-use-hard } SECONDS |
         { byte-soft | byte-hard } SIZE | { packet-soft | packet-hard } COUNT
TMPL-LIST := [ TMPL-LIST ] tmpl TMPL
TMPL := ID [ mode MODE ] [ reqid REQID ] [ level LEVEL ]
ID := [ src ADDR ] [ dst ADDR ] [ proto XFRM-PROTO ] [ spi SPI ]
XFRM-PROTO := esp | ah | comp | route2 | hao
MODE := transport | tunnel | beet | ro | in_trigger
LEVEL := required | use`;

function usage(): never {
  throw new CliError(USAGE);
}

function parseDir(v: string): number {
  if (v === 'in') return XFRM_POLICY.IN;
  if (v === 'out') return XFRM_POLICY.OUT;
  if (v === 'fwd') return XFRM_POLICY.FWD;
  invarg('DIR value is invalid', v);
}

function parsePtype(v: string): number {
  if (v === 'main') return 0;
  if (v === 'sub') return 1;
  invarg('PTYPE value is invalid', v);
}

function parseAction(v: string): number {
  if (v === 'allow') return XFRM_POLICY.ALLOW;
  if (v === 'block') return XFRM_POLICY.BLOCK;
  invarg('ACTION value is invalid\n', v);
}

const POLICY_FLAGS = { localok: XFRM_POLICY.LOCALOK, icmp: XFRM_POLICY.ICMP };

/** xfrm_policy_flag_parse() */
function parsePolicyFlags(c: Cursor, flags: number): number {
  return parseFlagWords(c, flags, POLICY_FLAGS, 'FLAG value is invalid', 0xff);
}

/** xfrm_tmpl_parse() */
function parseTmpl(c: Cursor, p: XfrmParse, t: XfrmUserTmpl): void {
  const start = c.argc;
  let idp = false;
  for (;;) {
    const w = c.cur;
    if (w === 'mode') t.mode = parseMode(c.next());
    else if (w === 'reqid') t.reqid = parseReqid(c.next());
    else if (w === 'level') {
      const v = c.next();
      if (v === 'required') t.optional = 0;
      else if (v === 'use') t.optional = 1;
      else invarg('LEVEL value is invalid\n', v);
    } else {
      if (idp) { c.prev(); break; }
      idp = true;
      p.family = 0;
      parseIdInto(c, p, t, false);
      p.family = t.family;
    }
    if (!c.nextOk()) break;
    c.next();
  }
  if (c.argc === start) missarg('TMPL');
}

const needsLinks = (argv: readonly string[]): boolean => argv.includes('dev');

/** xfrm_policy_modify(): parse `ip xfrm policy add|update …` into the request. */
export function policyModifyRequest(argv: readonly string[], family: number, cmd: number, links: IfIndexLookup | undefined): RequestBuilder {
  const p = parseContext(family, links);
  const c = new Cursor(argv);
  const h: XfrmUserpolicyInfo = xfrmUserpolicyInfo.read(Buffer.alloc(xfrmUserpolicyInfo.size), 0);
  h.sel.family = p.family;
  h.lft.soft_byte_limit = XFRM_INF; h.lft.hard_byte_limit = XFRM_INF;
  h.lft.soft_packet_limit = XFRM_INF; h.lft.hard_packet_limit = XFRM_INF;
  let dirp = false, selp = false, ptypep = false, sctxp = false;
  let ptype = 0;
  let ctxText = '';
  const tmpls: XfrmUserTmpl[] = [];
  let mark = { v: 0, m: 0 };
  let ifId: number | undefined;
  while (c.argc > 0) {
    const w = c.cur;
    if (w === 'dir') {
      if (dirp) duparg('dir', w);
      dirp = true;
      h.dir = parseDir(c.next());
    } else if (w === 'ctx') {
      if (sctxp) duparg('ctx', w);
      sctxp = true;
      ctxText = c.next();
    } else if (w === 'mark') {
      mark = parseMark(c);
    } else if (w === 'index') {
      h.index = u32Arg(c.next(), 'INDEX value is invalid');
    } else if (w === 'ptype') {
      if (ptypep) duparg('ptype', w);
      ptypep = true;
      ptype = parsePtype(c.next());
    } else if (w === 'action') {
      h.action = parseAction(c.next());
    } else if (w === 'priority') {
      h.priority = u32Arg(c.next(), 'PRIORITY value is invalid');
    } else if (w === 'flag') {
      c.next();
      h.flags = parsePolicyFlags(c, h.flags);
    } else if (w === 'limit') {
      c.next();
      parseLimit(c, h.lft);
    } else if (w === 'tmpl') {
      if ((tmpls.length + 1) * xfrmUserTmpl.size > 1024) throw new CliError('Too many tmpls: buffer overflow', 1);
      const t = xfrmUserTmpl.read(Buffer.alloc(xfrmUserTmpl.size), 0);
      t.family = p.family;
      t.aalgos = 0xffffffff; t.ealgos = 0xffffffff; t.calgos = 0xffffffff;
      c.next();
      parseTmpl(c, p, t);
      tmpls.push(t);
    } else if (w === 'if_id') {
      ifId = u32Arg(c.next(), 'IF_ID value is invalid');
    } else {
      if (selp) duparg('unknown', w);
      selp = true;
      parseSelector(c, p, h.sel);
      if (p.family === 0) p.family = h.sel.family;
    }
    c.step();
  }
  if (!dirp) throw new CliError('Not enough information: DIR is required.', 1);
  const a: XfrmAttrs = {};
  if (ptypep) a.policy_type = { type: ptype, reserved1: 0, reserved2: 0 };
  if (tmpls.length) a.tmpl = tmpls;
  if (mark.m) a.mark = mark;
  if (sctxp) a.sec_ctx = secCtxOf(ctxText);
  if (ifId !== undefined) a.if_id = ifId;
  if (h.sel.family === 0) h.sel.family = 2;
  return xfrmRequest(xfrmPolicyMessage, cmd, NLM_F.ACK, { header: h, attrs: a });
}

/** xfrm_policy_get_or_delete() parse. */
export function policyIdRequest(argv: readonly string[], family: number, del: boolean, links: IfIndexLookup | undefined): RequestBuilder {
  const p = parseContext(family, links);
  const c = new Cursor(argv);
  const h: XfrmUserpolicyId = xfrmPolicyIdMessage.header.read(Buffer.alloc(xfrmPolicyIdMessage.header.size), 0);
  let dirp = false, selp = false, indexp = false, ptypep = false, sctxp = false;
  let ptype = 0;
  let ctxText = '';
  let mark = { v: 0, m: 0 };
  let ifId: number | undefined;
  while (c.argc > 0) {
    const w = c.cur;
    if (w === 'dir') {
      if (dirp) duparg('dir', w);
      dirp = true;
      h.dir = parseDir(c.next());
    } else if (w === 'ctx') {
      if (sctxp) duparg('ctx', w);
      sctxp = true;
      ctxText = c.next();
    } else if (w === 'mark') {
      mark = parseMark(c);
    } else if (w === 'index') {
      if (indexp) duparg('index', w);
      indexp = true;
      h.index = u32Arg(c.next(), 'INDEX value is invalid');
    } else if (w === 'ptype') {
      if (ptypep) duparg('ptype', w);
      ptypep = true;
      ptype = parsePtype(c.next());
    } else if (w === 'if_id') {
      ifId = u32Arg(c.next(), 'IF_ID value is invalid');
    } else {
      if (selp) invarg('unknown', w);
      selp = true;
      parseSelector(c, p, h.sel);
      if (p.family === 0) p.family = h.sel.family;
    }
    c.step();
  }
  if (!dirp) throw new CliError('Not enough information: DIR is required.', 1);
  const a: XfrmAttrs = {};
  if (ptypep) a.policy_type = { type: ptype, reserved1: 0, reserved2: 0 };
  if (!selp && !indexp) throw new CliError('Not enough information: either SELECTOR or INDEX is required.', 1);
  if (selp && indexp) duparg2('SELECTOR', 'INDEX');
  if (h.sel.family === 0) h.sel.family = 2;
  if (mark.m & mark.v) a.mark = mark;
  if (sctxp) a.sec_ctx = secCtxOf(ctxText);
  if (ifId !== undefined) a.if_id = ifId;
  return xfrmRequest(xfrmPolicyIdMessage, del ? XFRM_MSG.DELPOLICY : XFRM_MSG.GETPOLICY, NLM_F.ACK, { header: h, attrs: a });
}

/** xfrm_policy_filter_match() */
export function policyFilterMatch(f: XfrmFilter, x: XfrmUserpolicyInfo, ptype: number): boolean {
  if (!f.use) return true;
  if (f.selFamily !== 0 && f.selFamily !== x.sel.family) return false;
  if (f.dirMask && x.dir !== f.dir) return false;
  if (f.nosock && x.dir >= XFRM_POLICY.MAX) return false;
  if (f.ptypeMask && ptype !== f.ptype) return false;
  if (f.selSrcMask && !addrMatch(x.sel.saddr, fSel(f).saddr, f.selSrcMask)) return false;
  if (f.selDstMask && !addrMatch(x.sel.daddr, fSel(f).daddr, f.selDstMask)) return false;
  if (f.devMask && x.sel.ifindex !== fSel(f).ifindex) return false;
  if (f.upProtoMask && x.sel.proto !== fSel(f).proto) return false;
  if (f.sportMask && x.sel.sport !== fSel(f).sport) return false;
  if (f.dportMask && x.sel.dport !== fSel(f).dport) return false;
  if (f.indexMask && x.index !== f.index) return false;
  if (f.actionMask && x.action !== f.action) return false;
  if (f.priorityMask && x.priority !== f.priority) return false;
  if (f.pflagsMask && (x.flags & f.pflags) === 0) return false;
  return true;
}

/** The filter's selector (filter.xpinfo.sel in iproute2). */
const filterSel = new WeakMap<XfrmFilter, XfrmUserpolicyInfo['sel']>();
function fSel(f: XfrmFilter): XfrmUserpolicyInfo['sel'] {
  let s = filterSel.get(f);
  if (!s) { s = xfrmUserpolicyInfo.read(Buffer.alloc(xfrmUserpolicyInfo.size), 0).sel; filterSel.set(f, s); }
  return s;
}

/** The policy list filter of `list`/`deleteall` arguments. */
export function parsePolicyFilter(argv: readonly string[], family: number, links: IfIndexLookup | undefined): XfrmParse {
  const p = parseContext(family, links);
  const f = p.filter;
  if (argv.length > 0 || family !== 0) f.use = true;
  const sel = fSel(f);
  sel.family = family;
  const c = new Cursor(argv);
  let selp = false;
  while (c.argc > 0) {
    const w = c.cur;
    if (w === 'dir') { f.dir = parseDir(c.next()); f.dirMask = true; }
    else if (w === 'index') { f.index = u32Arg(c.next(), 'INDEX value is invalid'); f.indexMask = true; }
    else if (w === 'ptype') { f.ptype = parsePtype(c.next()); f.ptypeMask = true; }
    else if (w === 'action') { f.action = parseAction(c.next()); f.actionMask = true; }
    else if (w === 'priority') { f.priority = u32Arg(c.next(), 'PRIORITY value is invalid'); f.priorityMask = true; }
    else if (w === 'flag') { c.next(); f.pflags = parsePolicyFlags(c, f.pflags); f.pflagsMask = true; }
    else if (w === 'nosock') f.nosock = true;
    else {
      if (selp) invarg('unknown', w);
      selp = true;
      parseSelector(c, p, sel);
      if (p.family === 0) p.family = sel.family;
    }
    c.step();
  }
  f.selFamily = sel.family;
  return p;
}

/** Print one policy message (NEWPOLICY/UPDPOLICY/DELPOLICY/POLEXPIRE) as xfrm_policy_print(). */
export function printPolicyMessage(out: XfrmOut, m: MessageView, filter: XfrmFilter | undefined): void {
  let info: XfrmUserpolicyInfo | undefined;
  let attrs: XfrmAttrs;
  let hard: number | undefined;
  if (m.type === XFRM_MSG.DELPOLICY) {
    const d = xfrmPolicyIdMessage.decode(m.buf, m.off, m.len);
    attrs = d.attrs;
  } else if (m.type === XFRM_MSG.POLEXPIRE) {
    const d = xfrmPolexpireMessage.decode(m.buf, m.off, m.len);
    info = d.header.pol; attrs = d.attrs; hard = d.header.hard;
  } else if (m.type === XFRM_MSG.NEWPOLICY || m.type === XFRM_MSG.UPDPOLICY) {
    const d = xfrmPolicyMessage.decode(m.buf, m.off, m.len);
    info = d.header; attrs = d.attrs;
  } else {
    process.stderr.write(`Not a policy: ${hex8(m.len + 16)} ${hex8(m.type)} ${hex8(m.flags)}\n`);
    return;
  }
  const ptype = attrs.policy_type?.type ?? 0;
  if (info && filter && !policyFilterMatch(filter, info, ptype)) return;
  if (m.type === XFRM_MSG.DELPOLICY) out.w('Deleted ');
  else if (m.type === XFRM_MSG.UPDPOLICY) out.w('Updated ');
  else if (m.type === XFRM_MSG.POLEXPIRE) out.w('Expired ');
  if (m.type === XFRM_MSG.DELPOLICY) {
    if (!attrs.policy) { process.stderr.write('Buggy XFRM_MSG_DELPOLICY: no XFRMA_POLICY\n'); return; }
    info = attrs.policy;
  }
  out.policyInfo(info!, attrs);
  if (hard !== undefined) out.w(`\thard ${hard}${out.sl}`);
  if (out.sl !== '\n') out.w('\n');
}

async function modify(ctx: CliContext, argv: readonly string[], cmd: number): Promise<number> {
  const links = needsLinks(argv) ? await LinkMap.load(ctx) : undefined;
  const build = policyModifyRequest(argv, ctx.opts.family, cmd, links);
  return withXfrm(ctx, async (x) => {
    const r = await talk(ctx, x, build, 'xfrm policy');
    return typeof r === 'number' ? r : 0;
  });
}

async function getOrDelete(ctx: CliContext, argv: readonly string[], del: boolean): Promise<number> {
  const links = needsLinks(argv) ? await LinkMap.load(ctx) : undefined;
  const build = policyIdRequest(argv, ctx.opts.family, del, links);
  return withXfrm(ctx, async (x) => {
    const r = await talk(ctx, x, build, del ? 'delete xfrm policy' : 'get xfrm policy');
    if (typeof r === 'number') return r;
    if (!del && r[0]) {
      const d = xfrmPolicyMessage.decode(r[0].buf, r[0].off, r[0].len);
      const l = links ?? (d.header.sel.ifindex ? await LinkMap.load(ctx) : undefined);
      const out = new XfrmOut(printOptions(ctx, ctx.opts.family, l));
      printPolicyMessage(out, r[0], undefined);
      ctx.sink.write(out.text);
    }
    return 0;
  });
}

async function listOrDeleteall(ctx: CliContext, argv: readonly string[], deleteall: boolean): Promise<number> {
  const links = needsLinks(argv) ? await LinkMap.load(ctx) : undefined;
  const p = parsePolicyFilter(argv, ctx.opts.family, links);
  const f = p.filter;
  return withXfrm(ctx, async (x) => {
    if (deleteall) {
      for (;;) {
        let victims: Array<{ header: XfrmUserpolicyId; attrs: XfrmAttrs }>;
        try {
          victims = await x.socket.dump(xfrmDumpRequest(XFRM_MSG.GETPOLICY), (m) => {
            if (m.type !== XFRM_MSG.NEWPOLICY) return undefined;
            const d = xfrmPolicyMessage.decode(m.buf, m.off, m.len);
            if (!policyFilterMatch(f, d.header, d.attrs.policy_type?.type ?? 0)) return undefined;
            if (d.header.dir >= XFRM_POLICY.MAX) return undefined;
            const attrs: XfrmAttrs = {};
            if (d.attrs.mark) attrs.mark = d.attrs.mark;
            if (d.attrs.if_id !== undefined) attrs.if_id = d.attrs.if_id;
            return { header: { sel: d.header.sel, dir: d.header.dir, index: d.header.index }, attrs };
          }, 'list xfrm policies').toArray();
        } catch (e) {
          if (!(e instanceof NetlinkError)) throw e;
          ctx.warn(kernelErrorText(e) + 'Delete-all terminated');
          return 1;
        }
        if (victims.length === 0) break;
        const results = await Promise.allSettled(victims.map((v) => x.socket.request(xfrmRequest(xfrmPolicyIdMessage, XFRM_MSG.DELPOLICY, NLM_F.ACK, v), 'delete xfrm policy')));
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) {
          const e: unknown = failed.reason;
          ctx.warn(`Failed to send delete-all request: ${e instanceof NetlinkError ? e.reason : String(e)}`);
          return 1;
        }
      }
      return 0;
    }
    let l = links;
    const out = new XfrmOut(printOptions(ctx, p.family, l));
    try {
      for await (const m of x.socket.dump(xfrmDumpRequest(XFRM_MSG.GETPOLICY), (msg) => msg, 'list xfrm policies')) {
        if (!l && m.type === XFRM_MSG.NEWPOLICY && xfrmPolicyMessage.decode(m.buf, m.off, m.len).header.sel.ifindex) {
          l = await LinkMap.load(ctx);
          Object.assign(out, { o: printOptions(ctx, p.family, l) });
        }
        printPolicyMessage(out, m, f);
        ctx.sink.write(out.text);
        out.text = '';
      }
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      ctx.warn(kernelErrorText(e) + 'Dump terminated');
      return 1;
    }
    return 0;
  });
}

/** `flush [ptype PTYPE]` */
export function policyFlushRequest(argv: readonly string[]): RequestBuilder {
  const c = new Cursor(argv);
  let ptypep = false;
  let ptype = 0;
  while (c.argc > 0) {
    if (c.cur === 'ptype') {
      if (ptypep) duparg('ptype', c.cur);
      ptypep = true;
      ptype = parsePtype(c.next());
    } else {
      invarg('unknown', c.cur);
    }
    c.step();
  }
  return xfrmDumpLikeRequest(XFRM_MSG.FLUSHPOLICY, NLM_F.ACK, ptypep ? { policy_type: { type: ptype, reserved1: 0, reserved2: 0 } } : {});
}

/** `set [hthresh4 L R] [hthresh6 L R]` */
export function policySetRequest(argv: readonly string[]): RequestBuilder {
  const c = new Cursor(argv);
  const attrs: { ipv4_hthresh?: { lbits: number; rbits: number }; ipv6_hthresh?: { lbits: number; rbits: number } } = {};
  let thr4 = false, thr6 = false;
  while (c.argc > 0) {
    const w = c.cur;
    if (w === 'hthresh4' || w === 'hthresh6') {
      const v4 = w === 'hthresh4';
      if (v4 ? thr4 : thr6) duparg(w, w);
      if (v4) thr4 = true; else thr6 = true;
      const max = v4 ? 32 : 128;
      const lv = c.next();
      const l = getUnsigned(lv);
      if (l === undefined || l > 255 || l > max) invarg(`${w} LBITS value is invalid`, lv);
      const rv = c.next();
      const r = getUnsigned(rv);
      if (r === undefined || r > 255 || r > max) invarg(`${w} RBITS value is invalid`, rv);
      if (v4) attrs.ipv4_hthresh = { lbits: l, rbits: r }; else attrs.ipv6_hthresh = { lbits: l, rbits: r };
    } else {
      invarg('unknown', w);
    }
    c.step();
  }
  return (w, seq) => {
    const start = w.beginMessage(XFRM_MSG.NEWSPDINFO, NLM_F.REQUEST | NLM_F.ACK, seq);
    xfrmSpdInfoMessage.encode(w, { flags: 0xffffffff }, attrs);
    w.endMessage(start);
  };
}

async function count(ctx: CliContext): Promise<number> {
  return withXfrm(ctx, async (x) => {
    const r = await talk(ctx, x, xfrmRawRequest(XFRM_MSG.GETSPDINFO, NLM_F.ACK, Buffer.from([0xff, 0xff, 0xff, 0xff])), 'count xfrm policies');
    if (typeof r === 'number') return r;
    const m = r[0];
    if (!m) return 0;
    const { attrs } = xfrmSpdInfoMessage.decode(m.buf, m.off, m.len);
    const sl = ctx.opts.oneline ? '\\' : '\n';
    let s = '\t SPD';
    if (attrs.info) {
      const i = attrs.info;
      s += ` IN  ${i.incnt | 0} OUT ${i.outcnt | 0} FWD ${i.fwdcnt | 0}`;
      if (ctx.opts.stats) s += ` (Sock: IN ${i.inscnt | 0} OUT ${i.outscnt | 0} FWD ${i.fwdscnt | 0})`;
      s += sl;
    }
    if (ctx.opts.stats > 1) {
      if (attrs.hinfo) s += `\t SPD buckets: count ${attrs.hinfo.count | 0} Max ${attrs.hinfo.max | 0}${sl}`;
      if (attrs.ipv4_hthresh) s += `\t SPD IPv4 thresholds: local ${attrs.ipv4_hthresh.lbits} remote ${attrs.ipv4_hthresh.rbits}${sl}`;
      if (attrs.ipv6_hthresh) s += `\t SPD IPv6 thresholds: local ${attrs.ipv6_hthresh.lbits} remote ${attrs.ipv6_hthresh.rbits}${sl}`;
    }
    if (ctx.opts.oneline) s += '\n';
    ctx.sink.write(s);
    return 0;
  });
}

/** `setdefault DIR ACTION …` */
export function policySetdefaultRequest(argv: readonly string[]): RequestBuilder {
  const c = new Cursor(argv);
  const up = { in: 0, fwd: 0, out: 0 };
  while (c.argc > 0) {
    const w = c.cur;
    if (w === 'in' || w === 'fwd' || w === 'out') {
      if (up[w]) duparg(w, w);
      const v = c.next();
      if (v === 'block') up[w] = 1;
      else if (v === 'accept') up[w] = 2;
      else invarg(`${w} policy value is invalid`, v);
    } else {
      invarg('unknown direction', w);
    }
    c.step();
  }
  return xfrmRawRequest(XFRM_MSG.SETDEFAULT, NLM_F.ACK, Buffer.from([up.in, up.fwd, up.out]));
}

const defaultName = (v: number): string => ['unspec', 'block', 'accept'][v] ?? 'unknown';

async function getdefault(ctx: CliContext): Promise<number> {
  return withXfrm(ctx, async (x) => {
    const r = await talk(ctx, x, xfrmRawRequest(XFRM_MSG.GETDEFAULT, NLM_F.ACK, Buffer.alloc(3)), 'get default xfrm policies');
    if (typeof r === 'number') return r;
    const m = r[0];
    if (!m) return 0;
    const d = xfrmUserpolicyDefault.decode(m.buf, m.off, m.len);
    ctx.sink.write(`Default policies:\n in:  ${defaultName(d.in)}\n fwd: ${defaultName(d.fwd)}\n out: ${defaultName(d.out)}\n`);
    return 0;
  });
}

async function simple(ctx: CliContext, build: RequestBuilder, what: string, before?: () => void): Promise<number> {
  return withXfrm(ctx, async (x) => {
    before?.();
    const r = await talk(ctx, x, build, what);
    return typeof r === 'number' ? r : 0;
  });
}

/** `ip xfrm policy …` (do_xfrm_policy) */
export async function doXfrmPolicy(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const cmd = argv[0];
  const rest = argv.slice(1);
  if (cmd === undefined) return listOrDeleteall(ctx, [], false);
  if (matches(cmd, 'add')) return modify(ctx, rest, XFRM_MSG.NEWPOLICY);
  if (matches(cmd, 'update')) return modify(ctx, rest, XFRM_MSG.UPDPOLICY);
  if (matches(cmd, 'delete')) return getOrDelete(ctx, rest, true);
  if (matches(cmd, 'deleteall') || matches(cmd, 'delall')) return listOrDeleteall(ctx, rest, true);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return listOrDeleteall(ctx, rest, false);
  if (matches(cmd, 'get')) return getOrDelete(ctx, rest, false);
  if (matches(cmd, 'flush')) return simple(ctx, policyFlushRequest(rest), 'flush xfrm policies', () => { if (ctx.opts.stats > 1) ctx.warn('Flush policy'); });
  if (matches(cmd, 'count')) return count(ctx);
  if (matches(cmd, 'set')) return simple(ctx, policySetRequest(rest), 'set xfrm policy thresholds');
  if (matches(cmd, 'setdefault')) return simple(ctx, policySetdefaultRequest(rest), 'set default xfrm policies');
  if (matches(cmd, 'getdefault')) return getdefault(ctx);
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip xfrm policy help".`);
}
