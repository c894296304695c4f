/**
 * tunnel_key: set or release the tunnel metadata of a packet (for
 * collect_md tunnels such as vxlan/geneve external)
 * (linux/tc_act/tc_tunnel_key.h; grammar and output of iproute2's
 * tc/m_tunnel_key.c). Tunnel options (geneve_opts, vxlan_opts,
 * erspan_opts) are not parsed yet; dumped ones are kept raw.
 *
 * ```ts
 * import { tunnelKey } from 'rip/tc';
 * const encap = tunnelKey({ action: 'set', srcIp: '10.0.0.1', dstIp: '10.0.0.2', id: 42, dstPort: 4789 });
 * ```
 * @module
 */
import { attrs, attr, struct, u8, u32, s32, be16, be32, ipaddr, bytes, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { parseIPv4Loose, parseIPv6 } from '../../netlink/addr.js';
import { ANY, type Printer } from '../../output/printer.js';
import { TcArgError, type TcEnv } from '../kind.js';
import { registerActionKind, parseActionControl, printActionControl, printTm, tcfT, TC_ACT, type Action } from '../action.js';
import { Tokens, getUnsigned, matches } from '../kinds/util.js';

/** TCA_TUNNEL_KEY_* */
export const TCA_TUNNEL_KEY = constants('TCA_TUNNEL_KEY_', ['linux/tc_act/tc_tunnel_key.h'], {
  UNSPEC: 0, TM: 1, PARMS: 2, ENC_IPV4_SRC: 3, ENC_IPV4_DST: 4, ENC_IPV6_SRC: 5, ENC_IPV6_DST: 6, ENC_KEY_ID: 7,
  PAD: 8, ENC_DST_PORT: 9, NO_CSUM: 10, ENC_OPTS: 11, ENC_TOS: 12, ENC_TTL: 13, ACT_SET: 1, ACT_RELEASE: 2,
});

/** struct tc_tunnel_key */
export const tcTunnelKey = struct('tc_tunnel_key', { index: u32, capab: u32, action: s32, refcnt: s32, bindcnt: s32, t_action: s32 });

/** TCA_ACT_OPTIONS of tunnel_key. */
export const tunnelKeyAttrs = attrs('tunnel_key', {
  tm: attr(TCA_TUNNEL_KEY.TM, tcfT),
  enc_ipv4_src: attr(TCA_TUNNEL_KEY.ENC_IPV4_SRC, ipaddr),
  enc_ipv4_dst: attr(TCA_TUNNEL_KEY.ENC_IPV4_DST, ipaddr),
  enc_ipv6_src: attr(TCA_TUNNEL_KEY.ENC_IPV6_SRC, ipaddr),
  enc_ipv6_dst: attr(TCA_TUNNEL_KEY.ENC_IPV6_DST, ipaddr),
  enc_key_id: attr(TCA_TUNNEL_KEY.ENC_KEY_ID, be32),
  pad: attr(TCA_TUNNEL_KEY.PAD, bytes),
  enc_dst_port: attr(TCA_TUNNEL_KEY.ENC_DST_PORT, be16),
  /** Tunnel options nest (geneve/vxlan/erspan), raw. */
  enc_opts: attr(TCA_TUNNEL_KEY.ENC_OPTS, bytes),
  enc_tos: attr(TCA_TUNNEL_KEY.ENC_TOS, u8),
  enc_ttl: attr(TCA_TUNNEL_KEY.ENC_TTL, u8),
  no_csum: attr(TCA_TUNNEL_KEY.NO_CSUM, u8),
  parms: attr(TCA_TUNNEL_KEY.PARMS, tcTunnelKey),
});
/** Decoded/encodable tunnel_key options. */
export type TunnelKeyOptions = Infer<typeof tunnelKeyAttrs>;

declare module '../action.js' {
  interface ActionOptionsMap { tunnel_key: TunnelKeyOptions }
}

const USAGE = 'Usage: tunnel_key unset\n'
  + '       tunnel_key set <TUNNEL_KEY>\n'
  + 'Where TUNNEL_KEY is a combination of:\n'
  + 'id <TUNNELID>\n'
  + 'src_ip <IP> (mandatory)\n'
  + 'dst_ip <IP> (mandatory)\n'
  + 'dst_port <UDP_PORT>\n'
  + 'geneve_opts | vxlan_opts | erspan_opts <OPTIONS>\n'
  + 'csum | nocsum (default is "csum")';

const fail = (msg: string): never => { throw new TcArgError(msg, 1); };

/** get_addr(…, AF_UNSPEC): an IPv4 or IPv6 address; tc exit(1)s otherwise. */
function addr(s: string): { v6: boolean; text: string } {
  const v6 = s.includes(':');
  const b = v6 ? parseIPv6(s) : parseIPv4Loose(s);
  if (!b) throw new TcArgError(`Error: any valid address is expected rather than "${s}".`, 1, true);
  return { v6, text: v6 ? s : Array.from(b).join('.') };
}

const u8tosttl = (s: string): number | null => getUnsigned(s, 10, 0xff) ?? getUnsigned(s, 16, 0xff);

/** parse_tunnel_key(): the attributes in tc's order (options as met, no_csum, then parms). */
function parse(t: Tokens): TunnelKeyOptions {
  if (!matches(t.cur, 'tunnel_key')) fail('');
  t.next();
  let action = 0;
  let hasSrc = false, hasDst = false, csum = 1;
  const o: TunnelKeyOptions = {};
  while (t.argc > 0) {
    const a = t.cur;
    if (matches(a, 'unset') || matches(a, 'set')) {
      if (action) fail(`unexpected "${a}" - action already specified\n${USAGE}`);
      action = matches(a, 'unset') ? TCA_TUNNEL_KEY.ACT_RELEASE : TCA_TUNNEL_KEY.ACT_SET;
    } else if (matches(a, 'src_ip') || matches(a, 'dst_ip')) {
      const src = a.startsWith('s');
      const r = addr(t.next());
      if (src) { if (r.v6) o.enc_ipv6_src = r.text; else o.enc_ipv4_src = r.text; hasSrc = true; } else { if (r.v6) o.enc_ipv6_dst = r.text; else o.enc_ipv4_dst = r.text; hasDst = true; }
    } else if (matches(a, 'id')) {
      const v = getUnsigned(t.next(), 10);
      if (v === null) fail('Illegal "id"');
      o.enc_key_id = v!;
    } else if (matches(a, 'dst_port')) {
      const v = getUnsigned(t.next(), 10, 0xffff);
      if (v === null) fail('Illegal "dst port"');
      o.enc_dst_port = v!;
    } else if (matches(a, 'geneve_opts') || matches(a, 'vxlan_opts') || matches(a, 'erspan_opts')) {
      fail(`rip: tunnel_key "${a}" is not supported yet`);
    } else if (matches(a, 'tos') || matches(a, 'ttl')) {
      const tos = matches(a, 'tos');
      const v = u8tosttl(t.next());
      if (v === null) fail(tos ? 'Illegal "tos"' : 'Illegal "ttl"');
      if (tos) o.enc_tos = v!; else o.enc_ttl = v!;
    } else if (matches(a, 'csum')) {
      csum = 1;
    } else if (matches(a, 'nocsum')) {
      csum = 0;
    } else if (matches(a, 'help')) {
      throw new TcArgError(USAGE, 255);
    } else break;
    t.fwd();
  }
  o.no_csum = csum ? 0 : 1;
  const parms = { index: 0, capab: 0, action: parseActionControl(t, false, true) ?? TC_ACT.PIPE, refcnt: 0, bindcnt: 0, t_action: 0 };
  if (t.argc > 0 && matches(t.cur, 'index')) {
    const v = getUnsigned(t.next(), 10);
    if (v === null) fail('tunnel_key: Illegal "index"');
    parms.index = v!;
    t.fwd();
  }
  if (action === TCA_TUNNEL_KEY.ACT_SET && (!hasSrc || !hasDst)) fail(`set needs tunnel_key parameters\n${USAGE}`);
  parms.t_action = action;
  o.parms = parms;
  return o;
}

function print(p: Printer, o: TunnelKeyOptions | undefined, env: TcEnv): void {
  p.string(ANY, 'kind', '%s ', 'tunnel_key');
  if (o === undefined) return;
  const k = o.parms;
  if (!k) {
    process.stderr.write('Missing tunnel_key parameters\n');
    return;
  }
  if (k.t_action === TCA_TUNNEL_KEY.ACT_RELEASE) p.string(ANY, 'mode', ' %s', 'unset');
  else if (k.t_action === TCA_TUNNEL_KEY.ACT_SET) {
    p.string(ANY, 'mode', ' %s', 'set');
    for (const [name, v] of [['src_ip', o.enc_ipv4_src], ['dst_ip', o.enc_ipv4_dst], ['src_ip', o.enc_ipv6_src], ['dst_ip', o.enc_ipv6_dst]] as const) {
      if (v === undefined) continue;
      p.nl();
      p.string(ANY, name, `\t${name} %s`, v);
    }
    if (o.enc_key_id !== undefined) { p.nl(); p.uint(ANY, 'key_id', '\tkey_id %u', o.enc_key_id); }
    if (o.enc_dst_port !== undefined) { p.nl(); p.uint(ANY, 'dst_port', '\tdst_port %u', o.enc_dst_port); }
    if (o.no_csum !== undefined) { p.nl(); p.string(ANY, 'flag', '\t%s', o.no_csum ? 'nocsum' : 'csum'); }
    if (o.enc_tos) { p.nl(); p.uint(ANY, 'tos', '\ttos 0x%x', o.enc_tos); }
    if (o.enc_ttl) { p.nl(); p.uint(ANY, 'ttl', '\tttl %u', o.enc_ttl); }
  }
  printActionControl(p, ' ', k.action, '');
  p.nl();
  p.uint(ANY, 'index', '\t index %u', k.index);
  p.int(ANY, 'ref', ' ref %d', k.refcnt);
  p.int(ANY, 'bind', ' bind %d', k.bindcnt);
  if (env.stats && o.tm) printTm(p, o.tm);
  p.nl();
}

registerActionKind<TunnelKeyOptions>({ kind: 'tunnel_key', options: tunnelKeyAttrs, parse, print });

/** What {@link tunnelKey} takes. */
export interface TunnelKeySpec {
  readonly action: 'set' | 'unset';
  readonly srcIp?: string;
  readonly dstIp?: string;
  /** Tunnel id (VNI / key). */
  readonly id?: number;
  readonly dstPort?: number;
  readonly tos?: number;
  readonly ttl?: number;
  /** UDP checksum on the outer header (default true, as tc). */
  readonly csum?: boolean;
  readonly control?: number;
  readonly index?: number;
}

/** A tunnel_key action for a filter's action list. */
export function tunnelKey(spec: TunnelKeySpec): Action {
  const o: TunnelKeyOptions = {};
  if (spec.action === 'set' && (spec.srcIp === undefined || spec.dstIp === undefined)) throw new RangeError('tunnel_key set: srcIp and dstIp are required');
  if (spec.srcIp !== undefined) { if (spec.srcIp.includes(':')) o.enc_ipv6_src = spec.srcIp; else o.enc_ipv4_src = spec.srcIp; }
  if (spec.dstIp !== undefined) { if (spec.dstIp.includes(':')) o.enc_ipv6_dst = spec.dstIp; else o.enc_ipv4_dst = spec.dstIp; }
  if (spec.id !== undefined) o.enc_key_id = spec.id;
  if (spec.dstPort !== undefined) o.enc_dst_port = spec.dstPort;
  if (spec.tos !== undefined) o.enc_tos = spec.tos;
  if (spec.ttl !== undefined) o.enc_ttl = spec.ttl;
  o.no_csum = spec.csum === false ? 1 : 0;
  o.parms = { index: spec.index ?? 0, capab: 0, action: spec.control ?? TC_ACT.PIPE, refcnt: 0, bindcnt: 0,
    t_action: spec.action === 'set' ? TCA_TUNNEL_KEY.ACT_SET : TCA_TUNNEL_KEY.ACT_RELEASE };
  return { kind: 'tunnel_key', options: o };
}
