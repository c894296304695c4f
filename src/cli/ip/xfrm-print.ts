/**
 * `ip xfrm` text output, as iproute2's ip/ipxfrm.c prints states, policies,
 * selectors, templates and the XFRMA_* attributes. iproute2 6.1 prints xfrm
 * objects with plain fprintf (also under -j), so this is text only.
 * @module
 */
import { formatAddress } from '../../netlink/addr.js';
import { xfrmProtoName, xfrmProtoIsIpsec } from '../../netlink/xfrm.js';
import { XFRM_INF, XFRM_STATE, XFRM_SA_XFLAG, XFRM_POLICY, type XfrmAttrs, type XfrmUsersaInfo, type XfrmUserpolicyInfo, type XfrmSelector, type XfrmAlgo } from '../../netlink/xfrm-schema.js';
import { inetProtoName } from './rtnl-names.js';

const AF_INET = 2, AF_INET6 = 10;
const IPPROTO_ICMP = 1, IPPROTO_ICMPV6 = 58, IPPROTO_GRE = 47, IPPROTO_MH = 135;

/** What the printers need from the command: -s level, line separator, device names. */
export interface XfrmPrintOptions {
  readonly stats: number;
  /** `\n`, or `\\` under -oneline (iproute2's _SL_). */
  readonly sl: string;
  /** preferred_family (-4/-6 or the family of a command's filter). */
  readonly family: number;
  readonly ifname: (index: number) => string;
}

/** rt_addr_n2a() for an xfrm_address_t. */
export function addrText(family: number, b: Buffer): string {
  if (family === AF_INET) return formatAddress(b, 0, 4);
  if (family === AF_INET6) return formatAddress(b, 0, 16);
  return '???';
}

/** strxf_proto(): getprotobynumber's name, else the number. */
export function strxfProto(p: number): string {
  const n = inetProtoName(p);
  return n.startsWith('ipproto-') ? String(p) : n;
}

/** %08x */
export const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

function modeText(mode: number): string {
  switch (mode) {
    case 0: return 'transport';
    case 1: return 'tunnel';
    case 2: return 'ro';
    case 3: return 'in_trigger';
    case 4: return 'beet';
    default: return String(mode);
  }
}

function shareText(s: number): string {
  return ['any', 'session', 'user', 'unique'][s] ?? String(s);
}

/** XFRM_FLAG_PRINT over a list of (bit, word) pairs, then any rest in hex. */
function flagWords(flags: number, words: ReadonlyArray<readonly [number, string]>): string {
  let f = flags;
  let out = '';
  for (const [bit, w] of words) {
    if (f & bit) {
      f &= ~bit;
      out += w + (f ? ' ' : '');
    }
  }
  if (f) out += (f >>> 0).toString(16);
  return out;
}

const STATE_FLAG_WORDS: ReadonlyArray<readonly [number, string]> = [
  [XFRM_STATE.NOECN, 'noecn'], [XFRM_STATE.DECAP_DSCP, 'decap-dscp'], [XFRM_STATE.NOPMTUDISC, 'nopmtudisc'],
  [XFRM_STATE.WILDRECV, 'wildrecv'], [XFRM_STATE.ICMP, 'icmp'], [XFRM_STATE.AF_UNSPEC, 'af-unspec'],
  [XFRM_STATE.ALIGN4, 'align4'], [XFRM_STATE.ESN, 'esn'],
];
const EXTRA_FLAG_WORDS: ReadonlyArray<readonly [number, string]> = [
  [XFRM_SA_XFLAG.DONT_ENCAP_DSCP, 'dont-encap-dscp'], [XFRM_SA_XFLAG.OSEQ_MAY_WRAP, 'oseq-may-wrap'],
];
const POLICY_FLAG_WORDS: ReadonlyArray<readonly [number, string]> = [
  [XFRM_POLICY.LOCALOK, 'localok'], [XFRM_POLICY.ICMP, 'icmp'],
];

/** strxf_mask8(): 8 binary digits. */
const mask8 = (m: number): string => (m & 0xff).toString(2).padStart(8, '0');

/** strxf_time(): local `YYYY-MM-DD HH:MM:SS`, or `-` for 0. */
export function strxfTime(t: bigint): string {
  if (t === 0n) return '-';
  const d = new Date(Number(BigInt.asIntN(64, t)) * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const limit = (v: bigint): string => (v === XFRM_INF ? '(INF)' : v.toString());

/** Accumulates output; each printer appends to it. */
export class XfrmOut {
  text = '';
  constructor(readonly o: XfrmPrintOptions) {}
  w(s: string): void { this.text += s; }
  get sl(): string { return this.o.sl; }

  /** xfrm_id_info_print() */
  idInfo(saddr: Buffer, daddr: Buffer, spi: number, proto: number, mode: number, reqid: number, family: number, forceSpi: boolean, prefix: string, title: string): void {
    const st = this.o.stats > 0;
    this.w(`${title}src ${addrText(family, saddr)} dst ${addrText(family, daddr)}${this.sl}`);
    this.w(`${prefix}\tproto ${xfrmProtoName(proto)} `);
    if (st || forceSpi || spi) {
      this.w(`spi 0x${hex8(spi)}`);
      if (st) this.w(`(${spi >>> 0})`);
      this.w(' ');
    }
    this.w(`reqid ${reqid >>> 0}`);
    if (st) this.w(`(0x${hex8(reqid)})`);
    this.w(` mode ${modeText(mode)}${this.sl}`);
  }

  /** xfrm_selector_print() */
  selector(sel: XfrmSelector, family: number, prefix: string): void {
    let f = sel.family || family;
    if (!f) f = this.o.family;
    this.w(`${prefix}src ${addrText(f, sel.saddr)}/${sel.prefixlen_s} dst ${addrText(f, sel.daddr)}/${sel.prefixlen_d} `);
    if (sel.proto) this.w(`proto ${strxfProto(sel.proto)} `);
    switch (sel.proto) {
      case IPPROTO_ICMP:
      case IPPROTO_ICMPV6:
        if (sel.sport_mask) this.w(`type ${sel.sport} `);
        if (sel.dport_mask) this.w(`code ${sel.dport} `);
        break;
      case IPPROTO_GRE:
        if (sel.sport_mask || sel.dport_mask) this.w(`key ${sel.sport * 65536 + sel.dport} `);
        break;
      case IPPROTO_MH:
        if (sel.sport_mask) this.w(`type ${sel.sport} `);
        // iproute2 prints the raw (network-order) dport here.
        if (sel.dport_mask && this.o.stats > 0) this.w(`(dport) 0x${(((sel.dport & 0xff) << 8) | (sel.dport >> 8)).toString(16).padStart(4, '0')} `);
        break;
      default:
        if (sel.sport_mask) this.w(`sport ${sel.sport} `);
        if (sel.dport_mask) this.w(`dport ${sel.dport} `);
    }
    if ((sel.ifindex | 0) > 0) this.w(`dev ${this.o.ifname(sel.ifindex)} `);
    if (this.o.stats > 0) this.w(`uid ${sel.user >>> 0}`);
    this.w(this.sl);
  }

  /** __xfrm_algo_print() (key part); `extra` is the trunc/ICV length for auth-trunc/aead. */
  private algo(type: string, a: XfrmAlgo, prefix: string, nokeys: boolean, extra?: number): void {
    this.w(`${prefix}${type} ${a.name} `);
    const keylen = Math.floor(a.keyLen / 8);
    if (a.key.length < keylen) {
      this.w('(ERROR truncated)');
    } else if (nokeys) {
      this.w('<<Keys hidden>>');
    } else if (keylen > 0) {
      this.w('0x' + a.key.subarray(0, keylen).toString('hex'));
      if (this.o.stats > 0) this.w(` (${a.keyLen | 0} bits)`);
    }
    if (extra !== undefined) this.w(` ${extra | 0}`);
    this.w(this.sl);
  }

  /** xfrm_xfrma_print() */
  xfrma(a: XfrmAttrs, family: number, prefix: string, nokeys: boolean): void {
    const outputMark = (): void => {
      this.w(`output-mark 0x${(a.set_mark! >>> 0).toString(16)}`);
      if (a.set_mark_mask !== undefined) this.w(`/0x${(a.set_mark_mask >>> 0).toString(16)}`);
    };
    if (a.mark) {
      this.w(`\tmark ${hashX(a.mark.v)}/${hashX(a.mark.m)} `);
      if (a.set_mark !== undefined) outputMark();
      this.w(this.sl);
    } else if (a.set_mark !== undefined) {
      this.w('\t');
      outputMark();
      this.w(this.sl);
    }
    if (a.alg_auth && !a.alg_auth_trunc) this.algo('auth', a.alg_auth, prefix, nokeys);
    if (a.alg_auth_trunc) this.algo('auth-trunc', a.alg_auth_trunc, prefix, nokeys, a.alg_auth_trunc.truncLen);
    if (a.alg_aead) this.algo('aead', a.alg_aead, prefix, nokeys, a.alg_aead.icvLen);
    if (a.alg_crypt) this.algo('enc', a.alg_crypt, prefix, nokeys);
    if (a.alg_comp) this.algo('comp', a.alg_comp, prefix, nokeys);
    if (a.encap) {
      const e = a.encap;
      const t = e.encap_type === 1 ? 'espinudp-nonike' : e.encap_type === 2 ? 'espinudp' : e.encap_type === 7 ? 'espintcp' : String(e.encap_type);
      this.w(`${prefix}encap type ${t} sport ${e.encap_sport} dport ${e.encap_dport} addr ${addrText(family, e.encap_oa)}${this.sl}`);
    }
    if (a.tmpl) this.tmpls(a.tmpl, prefix);
    if (a.coaddr) this.w(`${prefix}coa ${addrText(family, a.coaddr)}${this.sl}`);
    if (a.lastused !== undefined) this.w(`${prefix}lastused ${strxfTime(a.lastused)}${this.sl}`);
    if (a.replay_val) {
      const r = a.replay_val;
      this.w(`${prefix}anti-replay context: seq 0x${hexN(r.seq)}, oseq 0x${hexN(r.oseq)}, bitmap 0x${hex8(r.bitmap)}${this.sl}`);
    }
    if (a.replay_esn_val) {
      const r = a.replay_esn_val;
      this.w(`${prefix}anti-replay esn context:${this.sl}`);
      this.w(`${prefix} seq-hi 0x${hexN(r.seqHi)}, seq 0x${hexN(r.seq)}, oseq-hi 0x${hexN(r.oseqHi)}, oseq 0x${hexN(r.oseq)}${this.sl}`);
      this.w(`${prefix} replay_window ${r.replayWindow >>> 0}, bitmap-length ${r.bmpLen >>> 0}`);
      for (let i = r.bmpLen, j = 0; i; i--) {
        if (j++ % 8 === 0) this.w(`${this.sl}${prefix} `);
        this.w(`${hex8(r.bmp[i - 1] ?? 0)} `);
      }
      this.w(this.sl);
    }
    if (a.offload_dev) {
      this.w(`${prefix}crypto offload parameters: dev ${this.o.ifname(a.offload_dev.ifindex)} dir ${a.offload_dev.flags & 2 ? 'in' : 'out'}${this.sl}`);
    }
    if (a.if_id !== undefined) this.w(`${prefix}if_id ${hashX(a.if_id)}${this.sl}`);
    if (a.tfcpad !== undefined) this.w(`${prefix}tfcpad ${a.tfcpad >>> 0}${this.sl}`);
  }

  /** xfrm_tmpl_print() */
  private tmpls(list: NonNullable<XfrmAttrs['tmpl']>, prefix: string): void {
    const st = this.o.stats > 0;
    if (list.length === 0) {
      this.w(`${prefix}(ERROR "tmpl" truncated)${this.sl}`);
      return;
    }
    for (const t of list) {
      this.w(prefix);
      this.idInfo(t.saddr, t.id.daddr, t.id.spi, t.id.proto, t.mode, t.reqid, t.family, false, prefix, 'tmpl ');
      if (st || t.optional) {
        this.w(`${prefix}\t`);
        if (t.optional === 0) { if (st) this.w('level required '); } else if (t.optional === 1) this.w('level use ');
        else this.w(`level ${t.optional} `);
        if (st) this.w(`share ${shareText(t.share)} `);
        this.w(this.sl);
      }
      if (st) this.w(`${prefix}\tenc-mask ${hex8(t.ealgos)} auth-mask ${hex8(t.aalgos)} comp-mask ${hex8(t.calgos)}${this.sl}`);
    }
  }

  /** xfrm_lifetime_print() */
  lifetime(cfg: XfrmUsersaInfo['lft'], cur: XfrmUsersaInfo['curlft'], prefix: string): void {
    const sl = this.sl;
    this.w(`${prefix}lifetime config:${sl}`);
    this.w(`${prefix}  limit: soft ${limit(cfg.soft_byte_limit)}(bytes), hard ${limit(cfg.hard_byte_limit)}(bytes)${sl}`);
    this.w(`${prefix}  limit: soft ${limit(cfg.soft_packet_limit)}(packets), hard ${limit(cfg.hard_packet_limit)}(packets)${sl}`);
    this.w(`${prefix}  expire add: soft ${cfg.soft_add_expires_seconds}(sec), hard ${cfg.hard_add_expires_seconds}(sec)${sl}`);
    this.w(`${prefix}  expire use: soft ${cfg.soft_use_expires_seconds}(sec), hard ${cfg.hard_use_expires_seconds}(sec)${sl}`);
    this.w(`${prefix}lifetime current:${sl}`);
    this.w(`${prefix}  ${cur.bytes}(bytes), ${cur.packets}(packets)${sl}`);
    this.w(`${prefix}  add ${strxfTime(cur.add_time)} use ${strxfTime(cur.use_time)}${sl}`);
  }

  private secCtx(a: XfrmAttrs): void {
    const c = a.sec_ctx!;
    // "%.*s": stops at a NUL within ctx_len.
    const z = c.ctx.indexOf(0);
    this.w(`\tsecurity context ${c.ctx.toString('latin1', 0, z >= 0 ? z : c.ctx.length)} ${this.sl}`);
  }

  /** xfrm_state_info_print() */
  stateInfo(x: XfrmUsersaInfo, a: XfrmAttrs, nokeys: boolean): void {
    const st = this.o.stats > 0;
    this.idInfo(x.saddr, x.id.daddr, x.id.spi, x.id.proto, x.mode, x.reqid, x.family, xfrmProtoIsIpsec(x.id.proto), '', '');
    const buf = '\t';
    this.w(`${buf}replay-window ${x.replay_window} `);
    if (st) this.w(`seq 0x${String(x.seq >>> 0).padStart(8, '0')} `);
    if (st || x.flags) this.w('flag ' + flagWords(x.flags, STATE_FLAG_WORDS));
    if (st && a.sa_extra_flags !== undefined) this.w('extra_flag ' + flagWords(a.sa_extra_flags, EXTRA_FLAG_WORDS));
    if (st) this.w(` (0x${mask8(x.flags)})`);
    this.w(this.sl);
    this.xfrma(a, x.family, buf, nokeys);
    if (!selectorIsZero(x.sel)) this.selector(x.sel, x.family, buf + 'sel ');
    if (st) {
      this.lifetime(x.lft, x.curlft, buf);
      this.w(`${buf}stats:${this.sl}`);
      this.w(`${buf}  replay-window ${x.stats.replay_window >>> 0} replay ${x.stats.replay >>> 0} failed ${x.stats.integrity_failed >>> 0}${this.sl}`);
    }
    if (a.sec_ctx) this.secCtx(a);
  }

  /** xfrm_policy_info_print() */
  policyInfo(p: XfrmUserpolicyInfo, a: XfrmAttrs, prefix = '', title = ''): void {
    const st = this.o.stats > 0;
    this.selector(p.sel, this.o.family, title);
    if (a.sec_ctx) this.secCtx(a);
    const buf = prefix + '\t';
    let dir = p.dir;
    if (dir >= XFRM_POLICY.MAX) {
      dir -= XFRM_POLICY.MAX;
      this.w(`${buf}socket `);
    } else {
      this.w(`${buf}dir `);
    }
    this.w((dir === 0 ? 'in' : dir === 1 ? 'out' : dir === 2 ? 'fwd' : String(dir)) + ' ');
    if (p.action === 0) { if (st) this.w('action allow '); } else if (p.action === 1) this.w('action block ');
    else this.w(`action ${p.action} `);
    if (this.o.stats) this.w(`index ${p.index >>> 0} `);
    this.w(`priority ${p.priority >>> 0} `);
    if (a.policy_type) this.w(`ptype ${a.policy_type.type === 0 ? 'main' : a.policy_type.type === 1 ? 'sub' : String(a.policy_type.type)} `);
    if (st) this.w(`share ${shareText(p.share)} `);
    if (st || p.flags) this.w('flag ' + flagWords(p.flags, POLICY_FLAG_WORDS));
    if (st) this.w(` (0x${mask8(p.flags)})`);
    this.w(this.sl);
    if (st) this.lifetime(p.lft, p.curlft, buf);
    this.xfrma(a, p.sel.family, buf, false);
  }
}

/** `%#x`: 0 prints as `0`. */
function hashX(n: number): string {
  const v = n >>> 0;
  return v ? '0x' + v.toString(16) : '0';
}

const hexN = (n: number): string => (n >>> 0).toString(16);

function selectorIsZero(s: XfrmSelector): boolean {
  return s.daddr.every((b) => b === 0) && s.saddr.every((b) => b === 0) && !s.dport && !s.dport_mask && !s.sport && !s.sport_mask &&
    !s.family && !s.prefixlen_d && !s.prefixlen_s && !s.proto && !s.ifindex && !s.user;
}
