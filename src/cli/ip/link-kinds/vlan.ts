/**
 * `ip link … type vlan …` (iproute2 ip/iplink_vlan.c).
 * @module
 */
import { CliError, invarg, matches } from '../../common/args.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../../output/printer.js';
import { VLAN_FLAG } from '../../../netlink/rtnetlink/kinds/vlan.js';
import { USAGE_VLAN } from './usage.js';
import { getU16, getU32, llProtoId, llProtoName, nextArg, type KindCli, type KindAttrs } from './util.js';

const FLAG_WORDS: ReadonlyArray<readonly [string, number]> = [
  ['reorder_hdr', VLAN_FLAG.REORDER_HDR], ['gvrp', VLAN_FLAG.GVRP], ['mvrp', VLAN_FLAG.MVRP],
  ['loose_binding', VLAN_FLAG.LOOSE_BINDING], ['bridge_binding', VLAN_FLAG.BRIDGE_BINDING],
];

function explain(prefix = ''): never {
  throw new CliError(prefix + USAGE_VLAN.replace(/\n$/, ''), 1);
}

/** parse_mapping(): FROM:TO pairs until the first token without a colon. Returns the next index. */
function qosMap(args: string[], start: number, what: string): [Array<{ from: number; to: number }>, number] {
  const list: Array<{ from: number; to: number }> = [];
  let i = start;
  for (; i < args.length; i++) {
    const t = args[i]!;
    const c = t.indexOf(':');
    if (c < 0) break;
    const from = getU32(t.slice(0, c));
    const to = getU32(t.slice(c + 1));
    // iproute2 cut the token at the colon before reporting it.
    if (from === undefined || to === undefined) invarg(`invalid ${what}`, t.slice(0, c));
    list.push({ from, to });
  }
  return [list, i];
}

export const vlan: KindCli = {
  usage: USAGE_VLAN,
  parse(args) {
    const out: Record<string, unknown> = {};
    let flags = 0, mask = 0;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const fw = FLAG_WORDS.find(([kw]) => matches(a, kw));
      if (matches(a, 'protocol')) {
        const v = nextArg(args, i++);
        const p = llProtoId(v);
        if (p === undefined) invarg('protocol is invalid', v);
        out.protocol = p;
      } else if (matches(a, 'id')) {
        const v = nextArg(args, i++);
        const n = getU16(v);
        if (n === undefined) invarg('id is invalid', v);
        out.id = n;
      } else if (fw) {
        const v = nextArg(args, i++);
        mask |= fw[1];
        if (v === 'on') flags |= fw[1];
        else if (v === 'off') flags &= ~fw[1];
        else throw new CliError(`Error: argument of "${fw[0]}" must be "on" or "off", not "${v}"`, 1);
      } else if (matches(a, 'ingress-qos-map') || matches(a, 'egress-qos-map')) {
        const ingress = matches(a, 'ingress-qos-map');
        nextArg(args, i);
        const [mapping, next] = qosMap(args, i + 1, ingress ? 'ingress-qos-map' : 'egress-qos-map');
        out[ingress ? 'ingress_qos' : 'egress_qos'] = { mapping };
        i = next - 1;
      } else if (matches(a, 'help')) {
        explain();
      } else {
        explain(`vlan: unknown command "${a}"?\n`);
      }
    }
    if (mask) out.flags = { flags, mask };
    return out;
  },
  print(p: Printer, d: KindAttrs) {
    if (d.id === undefined) return;
    p.string(ANY, 'protocol', 'protocol %s ', d.protocol !== undefined ? llProtoName(d.protocol as number) : '802.1q');
    p.uint(ANY, 'id', 'id %u ', d.id as number);
    if (d.flags !== undefined) {
      let f = (d.flags as { flags: number }).flags;
      p.openArray(ANY, p.inJson ? 'flags' : '<');
      for (const [name, bit] of [['REORDER_HDR', 1], ['GVRP', 2], ['MVRP', 8], ['LOOSE_BINDING', 4], ['BRIDGE_BINDING', 16]] as const) {
        if (f & bit) { f &= ~bit; p.string(ANY, null, f ? '%s,' : '%s', name); }
      }
      if (f) p.hex(ANY, null, '%x', f);
      p.closeArray(ANY, '> ');
    }
    for (const [key, json, fp] of [['ingress_qos', 'ingress_qos', 'ingress-qos-map'], ['egress_qos', 'egress_qos', 'egress-qos-map']] as const) {
      const m = d[key] as { mapping?: Array<{ from: number; to: number }> } | undefined;
      if (!m) continue;
      p.openArray(JSON_ONLY, json);
      p.nl();
      p.string(FP, null, '      %s { ', fp);
      for (const x of m.mapping ?? []) {
        if (p.inJson) {
          p.openObject();
          p.uint(JSON_ONLY, 'from', '', x.from);
          p.uint(JSON_ONLY, 'to', '', x.to);
          p.closeObject();
        } else p.text('%u:%u ', x.from, x.to);
      }
      p.closeArray(JSON_ONLY, '');
      p.string(FP, null, '%s ', '}');
    }
  },
};
