/**
 * vlan: pop, push or modify a VLAN tag, or pop/push an Ethernet header
 * (linux/tc_act/tc_vlan.h; grammar and output of iproute2's tc/m_vlan.c).
 *
 * ```ts
 * import { vlanAction } from 'rip/tc';
 * const push = vlanAction({ action: 'push', id: 100, priority: 3 });
 * ```
 * @module
 */
import { attrs, attr, struct, u8, u16, u32, s32, be16, lladdr, bytes, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { parseLladdr, formatLladdr } from '../../netlink/addr.js';
import { ANY, type Printer } from '../../output/printer.js';
import { TcArgError, type TcEnv } from '../kind.js';
import { registerActionKind, parseActionControl, printActionControl, printTm, tcfT, TC_ACT, type Action } from '../action.js';
import { llProtoId, llProtoName } from '../filter-kind.js';
import { Tokens, getUnsigned, matches, invarg } from '../kinds/util.js';

/** TCA_VLAN_* attributes. */
export const TCA_VLAN = constants('TCA_VLAN_', ['linux/tc_act/tc_vlan.h'], {
  UNSPEC: 0, TM: 1, PARMS: 2, PUSH_VLAN_ID: 3, PUSH_VLAN_PROTOCOL: 4, PAD: 5, PUSH_VLAN_PRIORITY: 6,
  PUSH_ETH_DST: 7, PUSH_ETH_SRC: 8,
  ACT_POP: 1, ACT_PUSH: 2, ACT_MODIFY: 3, ACT_POP_ETH: 4, ACT_PUSH_ETH: 5,
});

/** struct tc_vlan */
export const tcVlan = struct('tc_vlan', { index: u32, capab: u32, action: s32, refcnt: s32, bindcnt: s32, v_action: s32 });

/** TCA_ACT_OPTIONS of vlan. */
export const vlanAttrs = attrs('vlan', {
  tm: attr(TCA_VLAN.TM, tcfT),
  parms: attr(TCA_VLAN.PARMS, tcVlan),
  push_vlan_id: attr(TCA_VLAN.PUSH_VLAN_ID, u16),
  push_vlan_protocol: attr(TCA_VLAN.PUSH_VLAN_PROTOCOL, be16),
  pad: attr(TCA_VLAN.PAD, bytes),
  push_vlan_priority: attr(TCA_VLAN.PUSH_VLAN_PRIORITY, u8),
  push_eth_dst: attr(TCA_VLAN.PUSH_ETH_DST, lladdr),
  push_eth_src: attr(TCA_VLAN.PUSH_ETH_SRC, lladdr),
});
/** Decoded/encodable vlan action options. */
export type VlanActionOptions = Infer<typeof vlanAttrs>;

declare module '../action.js' {
  interface ActionOptionsMap { vlan: VlanActionOptions }
}

const NAMES = ['', 'pop', 'push', 'modify', 'pop_eth', 'push_eth'] as const;

const USAGE = 'Usage: vlan pop [CONTROL]\n'
  + '       vlan push [ protocol VLANPROTO ] id VLANID [ priority VLANPRIO ] [CONTROL]\n'
  + '       vlan modify [ protocol VLANPROTO ] id VLANID [ priority VLANPRIO ] [CONTROL]\n'
  + '       vlan pop_eth [CONTROL]\n'
  + '       vlan push_eth dst_mac LLADDR src_mac LLADDR [CONTROL]\n'
  + '       VLANPROTO is one of 802.1Q or 802.1AD\n'
  + '            with default: 802.1Q\n'
  + '       CONTROL := reclassify | pipe | drop | continue | pass |\n'
  + '                  goto chain <CHAIN_INDEX>';

const fail = (msg: string): never => { throw new TcArgError(msg, 1); };

function mac(v: string, what: string): string {
  const b = parseLladdr(v);
  if (!b || b.length !== 6) invarg(`${what} is invalid`, v);
  return formatLladdr(b!);
}

/** parse_vlan() */
function parse(t: Tokens): VlanActionOptions {
  if (!matches(t.cur, 'vlan')) fail('');
  t.next();
  let action = 0;
  let id: number | undefined, proto: number | undefined, prio: number | undefined;
  let dst: string | undefined, src: string | undefined;
  const pushAttrs = (): boolean => action === TCA_VLAN.ACT_PUSH || action === TCA_VLAN.ACT_MODIFY;
  while (t.argc > 0) {
    const a = t.cur;
    const verb = ([['pop', 1], ['push', 2], ['modify', 3], ['pop_eth', 4], ['push_eth', 5]] as const).find(([w]) => matches(a, w));
    if (verb) {
      if (action) fail(`unexpected "${a}" - action already specified\n${USAGE}`);
      action = verb[1];
    } else if (matches(a, 'id')) {
      if (!pushAttrs()) invarg('only valid for push/modify', a);
      const v = getUnsigned(t.next(), 0, 0xffff);
      if (v === null) invarg('id is invalid', t.cur);
      id = v!;
    } else if (matches(a, 'protocol')) {
      if (!pushAttrs()) invarg('only valid for push/modify', a);
      const p = llProtoId(t.next());
      if (p === undefined) invarg('protocol is invalid', t.cur);
      proto = p!;
    } else if (matches(a, 'priority')) {
      if (!pushAttrs()) invarg('only valid for push/modify', a);
      const v = getUnsigned(t.next(), 0, 0xff);
      if (v === null || v & ~7) invarg('prio is invalid', t.cur);
      prio = v!;
    } else if (matches(a, 'dst_mac') || matches(a, 'src_mac')) {
      if (action !== TCA_VLAN.ACT_PUSH_ETH) invarg('only valid for push_eth', a);
      const isDst = a.startsWith('d');
      const m = mac(t.next(), isDst ? 'dst_mac' : 'src_mac');
      if (isDst) dst = m; else src = m;
    } else if (matches(a, 'help')) {
      throw new TcArgError(USAGE, 255);
    } else break;
    t.fwd();
  }
  const parms = { index: 0, capab: 0, action: parseActionControl(t, false, true) ?? TC_ACT.PIPE, refcnt: 0, bindcnt: 0, v_action: action };
  if (t.argc > 0 && matches(t.cur, 'index')) {
    const v = getUnsigned(t.next(), 10);
    if (v === null) fail('vlan: Illegal "index"');
    parms.index = v!;
    t.fwd();
  }
  if (pushAttrs() && id === undefined) fail(`id needs to be set for ${NAMES[action]}\n${USAGE}`);
  if (action === TCA_VLAN.ACT_PUSH_ETH) {
    if (dst === undefined) fail(`dst_mac needs to be set for ${NAMES[action]}\n${USAGE}`);
    if (src === undefined) fail(`src_mac needs to be set for ${NAMES[action]}\n${USAGE}`);
  }
  const o: VlanActionOptions = { parms };
  if (id !== undefined) o.push_vlan_id = id;
  if (proto !== undefined) {
    if (proto !== 0x8100 && proto !== 0x88a8) fail(`protocol not supported\n${USAGE}`);
    o.push_vlan_protocol = proto;
  }
  if (prio !== undefined) o.push_vlan_priority = prio;
  if (dst !== undefined) o.push_eth_dst = dst;
  if (src !== undefined) o.push_eth_src = src;
  return o;
}

function print(p: Printer, o: VlanActionOptions | undefined, env: TcEnv): void {
  p.string(ANY, 'kind', '%s ', 'vlan');
  if (o === undefined) return;
  const v = o.parms;
  if (!v) {
    process.stderr.write('Missing vlan parameters\n');
    return;
  }
  p.string(ANY, 'vlan_action', ' %s', NAMES[v.v_action as 1] ?? '(null)');
  if (v.v_action === TCA_VLAN.ACT_PUSH || v.v_action === TCA_VLAN.ACT_MODIFY) {
    if (o.push_vlan_id !== undefined) p.uint(ANY, 'id', ' id %u', o.push_vlan_id);
    if (o.push_vlan_protocol !== undefined) p.string(ANY, 'protocol', ' protocol %s', llProtoName(o.push_vlan_protocol));
    if (o.push_vlan_priority !== undefined) p.uint(ANY, 'priority', ' priority %u', o.push_vlan_priority);
  } else if (v.v_action === TCA_VLAN.ACT_PUSH_ETH) {
    if (o.push_eth_dst !== undefined && o.push_eth_dst.split(':').length === 6) p.string(ANY, 'dst_mac', ' dst_mac %s', o.push_eth_dst);
    if (o.push_eth_src !== undefined && o.push_eth_src.split(':').length === 6) p.string(ANY, 'src_mac', ' src_mac %s', o.push_eth_src);
  }
  printActionControl(p, ' ', v.action, '');
  p.nl();
  p.uint(ANY, 'index', '\t index %u', v.index);
  p.int(ANY, 'ref', ' ref %d', v.refcnt);
  p.int(ANY, 'bind', ' bind %d', v.bindcnt);
  if (env.stats && o.tm) printTm(p, o.tm);
  p.nl();
}

registerActionKind<VlanActionOptions>({ kind: 'vlan', options: vlanAttrs, parse, print });

/** What {@link vlanAction} takes. */
export interface VlanActionSpec {
  readonly action: 'pop' | 'push' | 'modify' | 'pop_eth' | 'push_eth';
  readonly id?: number;
  /** 0x8100 (802.1Q) or 0x88a8 (802.1ad). */
  readonly protocol?: number;
  readonly priority?: number;
  readonly dstMac?: string;
  readonly srcMac?: string;
  readonly control?: number;
  readonly index?: number;
}

/** A vlan action for a filter's action list. */
export function vlanAction(spec: VlanActionSpec): Action {
  const v = NAMES.indexOf(spec.action);
  const o: VlanActionOptions = { parms: { index: spec.index ?? 0, capab: 0, action: spec.control ?? TC_ACT.PIPE, refcnt: 0, bindcnt: 0, v_action: v } };
  if ((spec.action === 'push' || spec.action === 'modify') && spec.id === undefined) throw new RangeError(`vlan ${spec.action}: id is required`);
  if (spec.id !== undefined) o.push_vlan_id = spec.id;
  if (spec.protocol !== undefined) o.push_vlan_protocol = spec.protocol;
  if (spec.priority !== undefined) o.push_vlan_priority = spec.priority;
  if (spec.dstMac !== undefined) o.push_eth_dst = spec.dstMac;
  if (spec.srcMac !== undefined) o.push_eth_src = spec.srcMac;
  return { kind: 'vlan', options: o };
}
