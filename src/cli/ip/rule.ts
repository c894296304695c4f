/**
 * `ip rule`: list, add, del, flush, save, restore — grammar, output and
 * errors as iproute2's ip/iprule.c.
 * @module
 */
import { readSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { Args, CliError, matches, invarg } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { ANY, FP, type Printer } from '../../output/printer.js';
import { COLOR_IFNAME, familyColor } from '../../output/color.js';
import { RTM, NLM_F, AF } from '../../netlink/constants.js';
import { ruleMessage, FR_ACT, FIB_RULE, type RuleAttrs } from '../../netlink/rtnetlink/rule-schema.js';
import { rtRequest } from '../../netlink/rtnetlink/request.js';
import { decodeRule, type Rule } from '../../netlink/rule.js';
import { fibRuleHdr, type FibRuleHdr } from '../../netlink/structs.js';
import type { MessageView, RequestBuilder } from '../../netlink/socket.js';
import { NetlinkError } from '../../netlink/errors.js';
import { getAddr1, getPrefix, getUnsigned, getS32, getU64, scanRange, checkIfname, type InetPrefix } from './inet-args.js';
import { formatHost, withHosts } from './resolve.js';
import {
  protoId, protoName, tableId, tableName, dsfieldId, dsfieldName, groupId, groupName, parseRealms, realmName,
  rtnTypeId, rtnTypeName, inetProtoId, inetProtoName,
} from './rtnl-names.js';

const USAGE = `Usage: ip rule { add | del } SELECTOR ACTION
       ip rule { flush | save | restore }
       ip rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ nat ADDRESS ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]`;

function usage(): never {
  throw new CliError(USAGE);
}

/** The magic number `ip rule save` writes first. */
const RULE_DUMP_MAGIC = 0x71706986;
const RTPROT_KERNEL = 2;
const RTN_NAT = 10;

interface ListFilter {
  not: boolean;
  l3mdev: boolean;
  iif: string | undefined;
  oif: string | undefined;
  uidrange: { start: number; end: number } | undefined;
  tb: number;
  tos: number | undefined;
  pref: number | undefined;
  fwmark: number;
  fwmask: number;
  tunId: bigint;
  src: InetPrefix | undefined;
  dst: InetPrefix | undefined;
  protocol: number;
  protocolmask: number;
  sport: { start: number; end: number } | undefined;
  dport: { start: number; end: number } | undefined;
  ipproto: number;
}

const afBitLen = (f: number): number => (f === AF.INET ? 32 : f === AF.INET6 ? 128 : 0);

/** inet_addr_match_rta() plus the family/length checks of filter_nlmsg(). */
function prefixPasses(f: InetPrefix, family: number, addr: string | undefined, len: number): boolean {
  if (f.family !== family || f.bitlen > len) return false;
  if (!f.bitlen) return true;
  if (addr === undefined) return false;
  const a = getAddr1(addr, family);
  if (!a || a.bytes.length !== f.bytes.length) return false;
  const whole = f.bitlen >> 3;
  for (let i = 0; i < whole; i++) if (a.bytes[i] !== f.bytes[i]) return false;
  const rest = f.bitlen & 7;
  return !rest || ((a.bytes[whole]! ^ f.bytes[whole]!) & ((0xff << (8 - rest)) & 0xff)) === 0;
}

/** filter_nlmsg() */
function filterRule(f: ListFilter, family: number, r: Rule): boolean {
  const a = r.raw.attrs;
  if (family !== AF.UNSPEC && r.family !== family) return false;
  if (f.pref !== undefined && f.pref !== (a.priority ?? 0)) return false;
  if (f.not && !(r.flags & FIB_RULE.INVERT)) return false;
  if (f.src && !prefixPasses(f.src, r.family, a.src, r.srclen)) return false;
  if (f.dst && !prefixPasses(f.dst, r.family, a.dst, r.dstlen)) return false;
  if (f.tos !== undefined && f.tos !== r.tos) return false;
  if (f.fwmark && f.fwmark !== (a.fwmark ?? 0)) return false;
  if (f.fwmask && f.fwmask !== (a.fwmask ?? 0)) return false;
  if (f.iif !== undefined && f.iif !== a.iifname) return false;
  if (f.oif !== undefined && f.oif !== a.oifname) return false;
  if (f.l3mdev && !a.l3mdev) return false;
  if (f.uidrange && (!a.uid_range || a.uid_range.start !== f.uidrange.start || a.uid_range.end !== f.uidrange.end)) return false;
  if (f.ipproto && f.ipproto !== (a.ip_proto ?? 0)) return false;
  if (f.sport && f.sport.start && (!a.sport_range || a.sport_range.start !== f.sport.start || a.sport_range.end !== f.sport.end)) return false;
  if (f.dport && f.dport.start && (!a.dport_range || a.dport_range.start !== f.dport.start || a.dport_range.end !== f.dport.end)) return false;
  if (f.tunId && a.tun_id !== f.tunId) return false;
  if (f.tb > 0 && f.tb !== r.table) return false;
  return true;
}

/** print_rule() */
export function printRule(ctx: CliContext, p: Printer, r: Rule, msgType: number): void {
  const a = r.raw.attrs;
  const h = r.raw.header;
  const numeric = ctx.opts.numeric > 0;
  const hostLen = afBitLen(h.family);
  p.openObject();
  if (msgType === RTM.DELRULE) p.bool(ANY, 'deleted', 'Deleted ', true);
  p.uint(ANY, 'priority', '%u:\t', a.priority ?? 0);
  if (h.flags & FIB_RULE.INVERT) p.null(ANY, 'not', 'not ', '');
  if (a.src !== undefined) {
    p.string(FP, null, 'from ', null);
    p.colorString(ANY, familyColor(h.family), 'src', '%s', a.src);
    if (h.src_len !== hostLen) p.uint(ANY, 'srclen', '/%u', h.src_len);
  } else if (h.src_len) {
    p.string(ANY, 'src', 'from %s', '0');
    p.uint(ANY, 'srclen', '/%u', h.src_len);
  } else {
    p.string(ANY, 'src', 'from %s', 'all');
  }
  if (a.dst !== undefined) {
    p.string(FP, null, ' to ', null);
    p.colorString(ANY, familyColor(h.family), 'dst', '%s', a.dst);
    if (h.dst_len !== hostLen) p.uint(ANY, 'dstlen', '/%u', h.dst_len);
  } else if (h.dst_len) {
    p.string(ANY, 'dst', ' to %s', '0');
    p.uint(ANY, 'dstlen', '/%u', h.dst_len);
  }
  if (h.tos) p.string(ANY, 'tos', ' tos %s', dsfieldName(h.tos, numeric));
  if (a.fwmark !== undefined || a.fwmask !== undefined) {
    const mark = a.fwmark ?? 0;
    p.hex0x(ANY, 'fwmark', ' fwmark %#llx', mark);
    if (a.fwmask !== undefined && a.fwmask !== 0xffffffff) p.hex0x(ANY, 'fwmask', '/%#llx', a.fwmask);
  }
  if (a.iifname !== undefined) {
    p.text(' iif ');
    p.colorString(ANY, COLOR_IFNAME, 'iif', '%s', a.iifname);
    if (h.flags & FIB_RULE.IIF_DETACHED) p.null(ANY, 'iif_detached', ' [detached]', '');
  }
  if (a.oifname !== undefined) {
    p.text(' oif ');
    p.colorString(ANY, COLOR_IFNAME, 'oif', '%s', a.oifname);
    if (h.flags & FIB_RULE.OIF_DETACHED) p.null(ANY, 'oif_detached', ' [detached]', '');
  }
  if (a.l3mdev) p.null(ANY, 'l3mdev', ' lookup [l3mdev-table]', '');
  if (a.uid_range) {
    p.uint(ANY, 'uid_start', ' uidrange %u', a.uid_range.start);
    p.uint(ANY, 'uid_end', '-%u', a.uid_range.end);
  }
  if (a.ip_proto !== undefined) p.string(ANY, 'ipproto', ' ipproto %s', inetProtoName(a.ip_proto, numeric));
  for (const [key, range] of [['sport', a.sport_range], ['dport', a.dport_range]] as const) {
    if (!range) continue;
    if (range.start === range.end) {
      p.uint(ANY, key, ` ${key} %u`, range.start);
    } else {
      p.uint(ANY, `${key}_start`, ` ${key} %u`, range.start);
      p.uint(ANY, `${key}_end`, '-%u', range.end);
    }
  }
  if (a.tun_id !== undefined) p.u64(ANY, 'tun_id', ' tun_id %llu', a.tun_id);
  if (r.table) {
    p.string(ANY, 'table', ' lookup %s', tableName(r.table, numeric));
    if (a.suppress_prefixlen !== undefined && a.suppress_prefixlen !== -1) {
      p.int(ANY, 'suppress_prefixlen', ' suppress_prefixlength %d', a.suppress_prefixlen);
    }
    if (a.suppress_ifgroup !== undefined && a.suppress_ifgroup !== -1) {
      p.string(ANY, 'suppress_ifgroup', ' suppress_ifgroup %s', groupName(a.suppress_ifgroup, numeric));
    }
  }
  if (a.flow !== undefined) {
    const from = a.flow >>> 16;
    const to = a.flow & 0xffff;
    if (from) p.string(ANY, 'flow_from', ' realms %s/', realmName(from, numeric));
    else p.string(FP, null, ' realms ', null);
    p.string(ANY, 'flow_to', '%s', realmName(to, numeric));
  }
  if (h.action === RTN_NAT) {
    if (a.gateway !== undefined) p.string(ANY, 'nat_gateway', ' map-to %s', formatHost(a.gateway));
    else p.null(ANY, 'masquerade', ' masquerade', '');
  } else if (h.action === FR_ACT.GOTO) {
    if (a.goto !== undefined) p.uint(ANY, 'goto', ' goto %u', a.goto);
    else p.string(ANY, 'goto', ' goto %s', 'none');
    if (h.flags & FIB_RULE.UNRESOLVED) p.null(ANY, 'unresolved', ' [unresolved]', '');
  } else if (h.action === FR_ACT.NOP) {
    p.null(ANY, 'nop', ' nop', '');
  } else if (h.action !== FR_ACT.TO_TBL) {
    p.string(ANY, 'action', ' %s', rtnTypeName(h.action, numeric));
  }
  if (a.protocol !== undefined && ((a.protocol && a.protocol !== RTPROT_KERNEL) || ctx.opts.details > 0)) {
    p.string(ANY, 'protocol', ' proto %s', protoName(a.protocol, numeric));
  }
  p.string(FP, null, '\n', '');
  p.closeObject();
}

function parsePortRange(v: string, msg: string): { start: number; end: number } {
  const r = scanRange(v, 16);
  if (r.count === 1) return { start: r.start, end: r.start };
  if (r.count !== 2) invarg(msg, v);
  return { start: r.start, end: r.end };
}

type ListAction = 'list' | 'flush' | 'save';

/** iprule_list_flush_or_save() */
async function listFlushOrSave(ctx: CliContext, args: Args, action: ListAction, family: number): Promise<number> {
  let af = family;
  if (af === AF.UNSPEC) af = AF.INET;
  if (action === 'save' && args.left) throw new CliError('"ip rule save" does not take any arguments.', 1);
  if (action === 'save' && isatty(1)) throw new CliError('Not sending a binary stream to stdout', 1);
  const f: ListFilter = {
    not: false, l3mdev: false, iif: undefined, oif: undefined, uidrange: undefined, tb: 0, tos: undefined, pref: undefined,
    fwmark: 0, fwmask: 0, tunId: 0n, src: undefined, dst: undefined, protocol: 0, protocolmask: 0, sport: undefined,
    dport: undefined, ipproto: 0,
  };
  while (args.left) {
    const t = args.next()!;
    if (matches(t, 'preference') || matches(t, 'order') || matches(t, 'priority')) {
      const v = args.value();
      const n = getUnsigned(v);
      if (n === undefined) invarg('preference value is invalid\n', v);
      f.pref = n;
    } else if (t === 'not') {
      f.not = true;
    } else if (t === 'tos' || t === 'dsfield') {
      const v = args.value();
      const n = dsfieldId(v);
      if (n === undefined) invarg('TOS value is invalid\n', v);
      f.tos = n;
    } else if (t === 'fwmark') {
      const v = args.value();
      const slash = v.indexOf('/');
      const markText = slash >= 0 ? v.slice(0, slash) : v;
      const mark = getUnsigned(markText);
      if (mark === undefined) invarg('fwmark value is invalid\n', markText);
      f.fwmark = mark;
      if (slash >= 0) {
        const mask = getUnsigned(v.slice(slash + 1));
        if (mask === undefined) invarg('fwmask value is invalid\n', v.slice(slash + 1));
        f.fwmask = mask;
      }
    } else if (t === 'dev' || t === 'iif') {
      const v = args.value();
      if (!checkIfname(v)) invarg('"iif"/"dev" not a valid ifname', v);
      f.iif = v;
    } else if (t === 'oif') {
      const v = args.value();
      if (!checkIfname(v)) invarg('"oif" not a valid ifname', v);
      f.oif = v;
    } else if (t === 'l3mdev') {
      f.l3mdev = true;
    } else if (t === 'uidrange') {
      const v = args.value();
      const r = scanRange(v, 32);
      if (r.count !== 2) invarg('invalid UID range\n', v);
      f.uidrange = { start: r.start, end: r.end };
    } else if (matches(t, 'tun_id')) {
      const v = args.value();
      const n = getU64(v);
      if (n === undefined) invarg('"tun_id" value is invalid\n', v);
      f.tunId = n;
    } else if (matches(t, 'lookup') || matches(t, 'table')) {
      const v = args.value();
      const n = tableId(v);
      if (n === undefined) invarg('table id value is invalid\n', v);
      f.tb = n;
    } else if (matches(t, 'from') || matches(t, 'src')) {
      f.src = getPrefix(args.value(), af);
    } else if (matches(t, 'protocol')) {
      const v = args.value();
      f.protocolmask = -1;
      let n = protoId(v);
      if (n === undefined) {
        if (v !== 'all') invarg('invalid "protocol"\n', v);
        n = 0;
        f.protocolmask = 0;
      }
      f.protocol = n;
    } else if (t === 'ipproto') {
      const v = args.value();
      const n = inetProtoId(v);
      if (n === undefined) invarg('Invalid "ipproto" value\n', v);
      f.ipproto = n;
    } else if (t === 'sport') {
      f.sport = parsePortRange(args.value(), 'invalid port range\n');
    } else if (t === 'dport') {
      f.dport = parsePortRange(args.value(), 'invalid dport range\n');
    } else {
      let v = t;
      if (matches(v, 'dst') || matches(v, 'to')) v = args.value();
      f.dst = getPrefix(v, af);
    }
  }

  const nl = await ctx.netlink();
  const header: FibRuleHdr = { ...fibRuleHdr.zero, family: af };
  const items = nl.socket.dump(rtRequest(ruleMessage, RTM.GETRULE, NLM_F.DUMP, header, {}), (m: MessageView) => {
    if (m.type !== RTM.NEWRULE && m.type !== RTM.DELRULE) return undefined;
    const raw = Buffer.from(m.buf.subarray(m.off - 16, m.off + m.len));
    return { rule: decodeRule(m), type: m.type, raw };
  }, 'dump rules', { interrupted: 'partial' });

  if (action === 'save') {
    const magic = Buffer.alloc(4);
    magic.writeUInt32LE(RULE_DUMP_MAGIC, 0);
    writeSync(1, magic);
    for await (const { rule, raw } of items) {
      if (filterRule(f, af, rule)) writeSync(1, raw);
    }
    return 0;
  }

  if (action === 'flush') {
    const victims: Rule[] = [];
    for await (const { rule } of items) {
      if (!filterRule(f, af, rule)) continue;
      const a = rule.raw.attrs;
      if (a.protocol !== undefined && ((f.protocol ^ a.protocol) & f.protocolmask)) continue;
      if (a.priority !== undefined) victims.push(rule);
    }
    for (const r of victims) {
      await nl.socket.request(rtRequest(ruleMessage, RTM.DELRULE, NLM_F.ACK, r.raw.header, r.raw.attrs), 'flush rule');
    }
    return 0;
  }

  const p = ctx.printer;
  p.start();
  try {
    for await (const { rule, type } of await withHosts(ctx.opts.resolve, items)) {
      if (filterRule(f, af, rule)) printRule(ctx, p, rule, type);
    }
  } catch (e) {
    return dumpTerminated(ctx, e, 255);
  }
  p.finish();
  return 0;
}

/** rtnl_dump_filter() failing: perror("RTNETLINK answers"), then "Dump terminated"; `status` is what the caller exits with. */
export function dumpTerminated(ctx: CliContext, e: unknown, status: number): number {
  if (!(e instanceof NetlinkError)) throw e;
  ctx.printer.flush();
  ctx.warn(`RTNETLINK answers: ${e.reason}`);
  ctx.warn('Dump terminated');
  return status;
}

/** iprule_restore(): replay a `ip rule save` stream from stdin (existing rules are skipped). */
async function restore(ctx: CliContext): Promise<number> {
  if (isatty(0)) throw new CliError("Can't restore rule dump from a terminal");
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n = 0;
    try { n = readSync(0, buf, 0, buf.length, null); } catch (e) {
      if ((e as { code?: string }).code === 'EAGAIN') continue;
      if ((e as { code?: string }).code === 'EOF') break;
      throw e;
    }
    if (!n) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  const data = Buffer.concat(chunks);
  const magic = data.length >= 4 ? data.readUInt32LE(0) : 0;
  if (magic !== RULE_DUMP_MAGIC) {
    throw new CliError(`Magic mismatch (${data.length >= 4 ? 1 : 0} elems, ${magic.toString(16)} magic)`);
  }
  const nl = await ctx.netlink();
  let p = 4;
  while (data.length - p >= 16) {
    const len = data.readUInt32LE(p);
    if (len < 16 || len > data.length - p) break;
    const msg = Buffer.from(data.subarray(p, p + len));
    const flags = msg.readUInt16LE(6) | NLM_F.REQUEST | NLM_F.CREATE | NLM_F.ACK;
    try {
      await nl.socket.request((w, seq) => {
        const start = w.offset;
        w.bytes(msg);
        w.buf.writeUInt16LE(flags, start + 6);
        w.buf.writeUInt32LE(seq, start + 8);
        w.buf.writeUInt32LE(0, start + 12);
      }, 'restore rule');
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
    }
    p += (len + 3) & ~3;
  }
  return 0;
}

/** iprule_modify() */
async function modify(ctx: CliContext, args: Args, cmd: number, family: number): Promise<number> {
  const build = ruleModifyRequest(args, family, cmd, (s) => ctx.warn(s));
  const nl = await ctx.netlink();
  await nl.socket.request(build, cmd === RTM.NEWRULE ? 'add rule' : 'delete rule');
  return 0;
}

/**
 * Parse `ip rule add|del` arguments (iprule_modify) into a request whose bytes
 * equal iproute2's (attributes in command-line order, repeats kept).
 * Throws CliError with iproute2's text and exit status; `warn` gets warnings.
 */
export function ruleModifyRequest(args: Args, family: number, cmd: number, warn: (line: string) => void): RequestBuilder {
  const header: FibRuleHdr = { ...fibRuleHdr.zero, family, action: FR_ACT.UNSPEC };
  const attrs: RuleAttrs = {};
  let l3mdevRule = false;
  let tableOk = false;
  let tid = 0;
  let flags = 0;
  if (cmd === RTM.NEWRULE) {
    if (!args.left) throw new CliError('"ip rule add" requires arguments.', 1);
    flags |= NLM_F.CREATE | NLM_F.EXCL;
    header.action = FR_ACT.TO_TBL;
  }
  if (cmd === RTM.DELRULE && !args.left) throw new CliError('"ip rule del" requires arguments.', 1);
  // Attributes may repeat in iproute2's request; keep every one in order.
  const list: Array<[Exclude<keyof RuleAttrs, symbol>, unknown]> = [];
  const add = (k: Exclude<keyof RuleAttrs, symbol>, v: unknown): void => { list.push([k, v]); };
  while (args.left) {
    const t = args.next()!;
    if (t === 'not') {
      header.flags |= FIB_RULE.INVERT;
    } else if (t === 'from' || t === 'to') {
      const pfx = getPrefix(args.value(), header.family);
      if (t === 'from') header.src_len = pfx.bitlen & 0xff; else header.dst_len = pfx.bitlen & 0xff;
      add(t === 'from' ? 'src' : 'dst', pfx.bytes);
    } else if (matches(t, 'preference') || matches(t, 'order') || matches(t, 'priority')) {
      const v = args.value();
      const n = getUnsigned(v);
      if (n === undefined) invarg('preference value is invalid\n', v);
      add('priority', n);
    } else if (t === 'tos' || matches(t, 'dsfield')) {
      const v = args.value();
      const n = dsfieldId(v);
      if (n === undefined) invarg('TOS value is invalid\n', v);
      header.tos = n;
    } else if (t === 'fwmark') {
      const v = args.value();
      const slash = v.indexOf('/');
      const markText = slash >= 0 ? v.slice(0, slash) : v;
      const mark = getUnsigned(markText);
      if (mark === undefined) invarg('fwmark value is invalid\n', markText);
      add('fwmark', mark);
      if (slash >= 0) {
        const mask = getUnsigned(v.slice(slash + 1));
        if (mask === undefined) invarg('fwmask value is invalid\n', v.slice(slash + 1));
        add('fwmask', mask);
      }
    } else if (matches(t, 'realms')) {
      const v = args.value();
      const n = parseRealms(v);
      if (n === undefined) invarg('invalid realms\n', v);
      add('flow', n);
    } else if (matches(t, 'protocol')) {
      const v = args.value();
      const n = protoId(v);
      if (n === undefined) invarg('"protocol" value is invalid\n', v);
      add('protocol', n);
    } else if (matches(t, 'tun_id')) {
      const v = args.value();
      const n = getU64(v);
      if (n === undefined) invarg('"tun_id" value is invalid\n', v);
      add('tun_id', n);
    } else if (matches(t, 'table') || t === 'lookup') {
      const v = args.value();
      const n = tableId(v);
      if (n === undefined) invarg('invalid table ID\n', v);
      tid = n;
      if (n < 256) header.table = n;
      else { header.table = 0; add('table', n); }
      tableOk = true;
    } else if (matches(t, 'suppress_prefixlength') || t === 'sup_pl') {
      const v = args.value();
      const n = getS32(v);
      if (n === undefined || n < 0) invarg('suppress_prefixlength value is invalid\n', v);
      add('suppress_prefixlen', n);
    } else if (matches(t, 'suppress_ifgroup') || t === 'sup_group') {
      const v = args.value();
      const n = groupId(v);
      if (n === undefined) invarg('Invalid "suppress_ifgroup" value\n', v);
      add('suppress_ifgroup', n);
    } else if (t === 'dev' || t === 'iif') {
      const v = args.value();
      if (!checkIfname(v)) invarg('"iif"/"dev" not a valid ifname', v);
      add('iifname', v);
    } else if (t === 'oif') {
      const v = args.value();
      if (!checkIfname(v)) invarg('"oif" not a valid ifname', v);
      add('oifname', v);
    } else if (t === 'l3mdev') {
      add('l3mdev', 1);
      tableOk = true;
      l3mdevRule = true;
    } else if (t === 'uidrange') {
      const v = args.value();
      const r = scanRange(v, 32);
      if (r.count !== 2) invarg('invalid UID range\n', v);
      add('uid_range', { start: r.start, end: r.end });
    } else if (t === 'nat' || matches(t, 'map-to')) {
      const v = args.value();
      warn('Warning: route NAT is deprecated');
      const a = getAddr1(v, AF.INET);
      if (!a) throw new CliError(`Error: an IP address is expected rather than "${v}"`, 1);
      add('gateway', a.bytes.length ? a.bytes : Buffer.alloc(4));
      header.action = RTN_NAT;
    } else if (t === 'ipproto') {
      const v = args.value();
      const n = inetProtoId(v);
      if (n === undefined) invarg('Invalid "ipproto" value\n', v);
      add('ip_proto', n);
    } else if (t === 'sport') {
      add('sport_range', parsePortRange(args.value(), 'invalid port range\n'));
    } else if (t === 'dport') {
      add('dport_range', parsePortRange(args.value(), 'invalid dport range\n'));
    } else {
      let v = t;
      if (v === 'type') v = args.value();
      if (matches(v, 'help')) usage();
      let type: number;
      if (matches(v, 'goto')) {
        type = FR_ACT.GOTO;
        const target = args.value();
        const n = getUnsigned(target);
        if (n === undefined) invarg('invalid target\n', target);
        add('goto', n);
      } else if (matches(v, 'nop')) {
        type = FR_ACT.NOP;
      } else {
        const n = rtnTypeId(v);
        if (n === undefined) invarg('Failed to parse rule type', v);
        type = n;
      }
      header.action = type;
      tableOk = true;
    }
  }
  if (l3mdevRule && tid !== 0) throw new CliError('table can not be specified for l3mdev rules', 22);
  if (header.family === AF.UNSPEC) header.family = AF.INET;
  if (!tableOk && cmd === RTM.NEWRULE) header.table = 254;

  return (w, seq) => {
    const start = w.beginMessage(cmd, flags | NLM_F.REQUEST | NLM_F.ACK, seq);
    fibRuleHdr.encode(w, header, {});
    w.pad4();
    // One attribute per call, in command-line order (repeats included), as iproute2 sends them.
    for (const [k, v] of list) {
      if (Buffer.isBuffer(v)) {
        // Addresses go raw: `from all` sends a zero-length FRA_SRC, which the ipaddr codec cannot express.
        const a = w.beginAttr(ruleMessage.attrs.fields[k]!.type);
        w.bytes(v);
        w.endAttr(a);
      } else {
        ruleMessage.attrs.encode(w, { [k]: v } as RuleAttrs, {});
      }
    }
    w.endMessage(start);
  };
}

/**
 * do_iprule() for `family`: the address family of `ip rule` (AF_UNSPEC
 * meaning inet), or RTNL_FAMILY_IPMR/IP6MR for `ip mrule`.
 */
export async function ruleCommand(ctx: CliContext, args: Args, family: number): Promise<number> {
  const cmd = args.next();
  if (cmd === undefined) return listFlushOrSave(ctx, args, 'list', family);
  if (matches(cmd, 'list') || matches(cmd, 'lst') || matches(cmd, 'show')) return listFlushOrSave(ctx, args, 'list', family);
  if (matches(cmd, 'save')) return listFlushOrSave(ctx, args, 'save', family);
  if (matches(cmd, 'restore')) return restore(ctx);
  if (matches(cmd, 'add')) return modify(ctx, args, RTM.NEWRULE, family);
  if (matches(cmd, 'delete')) return modify(ctx, args, RTM.DELRULE, family);
  if (matches(cmd, 'flush')) return listFlushOrSave(ctx, args, 'flush', family);
  if (matches(cmd, 'help')) usage();
  throw new CliError(`Command "${cmd}" is unknown, try "ip rule help".`);
}

/** `ip rule …` (do_iprule) */
export default async function ipRule(ctx: CliContext, args: Args): Promise<number> {
  return ruleCommand(ctx, args, ctx.opts.family);
}
