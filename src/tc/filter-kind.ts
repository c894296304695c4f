/**
 * The contract every tc classifier module implements (src/tc/filters/<kind>.ts),
 * the registry the library and the `tc filter` command dispatch over, and
 * the classifier flags and link-layer protocol names they share.
 *
 * A classifier's TCA_OPTIONS payload is described by ONE codec (`options`)
 * driving encode and decode; `parse` is tc(8)'s grammar for it (iproute2's
 * parse_fopt), `print` prints it as iproute2's print_fopt (text and JSON).
 * @module
 */
import type { Codec } from '../netlink/codec/schema.js';
import { constants } from '../netlink/constants.js';
import type { Printer } from '../output/printer.js';
import type { TcEnv } from './kind.js';

/** TCA_CLS_FLAGS_*: hardware offload flags common to classifiers. */
export const TCA_CLS_FLAGS = constants('TCA_CLS_FLAGS_', ['linux/pkt_cls.h'], {
  SKIP_HW: 1, SKIP_SW: 2, IN_HW: 4, NOT_IN_HW: 8, VERBOSE: 16,
});

/** What a classifier's printer needs beyond its options. */
export interface FilterEnv extends TcEnv {
  /** Link-layer protocol of the filter (host order), as tc's f_proto (u32 -p decodes keys by it). */
  readonly protocol: number;
}

/** What a classifier's parser returns. */
export interface ParsedFilter<O> {
  /** tcm_handle (from `handle H` in the classifier's own syntax, or set by options such as u32's `order`). */
  readonly handle: number;
  /** TCA_OPTIONS (undefined: none is sent, as tc does for a bare `tc filter del … KIND`). */
  readonly options: O | undefined;
}

/** One classifier kind. */
export interface FilterKind<O = unknown> {
  /** TCA_KIND, e.g. 'u32'. */
  readonly kind: string;
  /** Codec of TCA_OPTIONS. */
  readonly options: Codec<O>;
  /**
   * parse_fopt(): `handle` is the text after `handle` (undefined if none),
   * `tokens` what follows the kind. Errors are TcArgError (tc exits 1 when a
   * classifier's parser fails; 255 for invarg/duparg/incomplete).
   */
  parse(handle: string | undefined, tokens: readonly string[], env: TcEnv): ParsedFilter<O>;
  /** print_fopt(): after `filter … KIND [chain N] `, inside JSON object `options`. */
  print(p: Printer, options: O, handle: number, env: FilterEnv): void;
}

const filterKinds = new Map<string, FilterKind>();

/** Register a classifier module (called once per module at import). */
export function registerFilterKind<O>(k: FilterKind<O>): void {
  filterKinds.set(k.kind, k as unknown as FilterKind);
}

/** The module of a classifier kind, or undefined (its options stay raw bytes). */
export function filterKind(kind: string): FilterKind | undefined {
  return filterKinds.get(kind);
}

/** Names of the registered classifiers. */
export function filterKindNames(): string[] {
  return [...filterKinds.keys()];
}

/** Typed classifier options by kind; classifier modules augment this interface. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface FilterOptionsMap {}

// ---------------------------------------------------------------- protocols

/** iproute2's lib/ll_proto.c table (ETH_P_* values and names), in its order. */
const LL_PROTO: ReadonlyArray<readonly [number, string]> = [
  [0x0060, 'loop'], [0x0200, 'pup'], [0x0201, 'pupat'], [0x0800, 'ip'], [0x0805, 'x25'], [0x0806, 'arp'],
  [0x08ff, 'bpq'], [0x0a00, 'ieeepup'], [0x0a01, 'ieeepupat'], [0x6000, 'dec'], [0x6001, 'dna_dl'],
  [0x6002, 'dna_rc'], [0x6003, 'dna_rt'], [0x6004, 'lat'], [0x6005, 'diag'], [0x6006, 'cust'], [0x6007, 'sca'],
  [0x8035, 'rarp'], [0x809b, 'atalk'], [0x80f3, 'aarp'], [0x8137, 'ipx'], [0x86dd, 'ipv6'], [0x8863, 'ppp_disc'],
  [0x8864, 'ppp_ses'], [0x884c, 'atmmpoa'], [0x8884, 'atmfate'], [0x0001, '802_3'], [0x0002, 'ax25'],
  [0x0003, 'all'], [0x0004, '802_2'], [0x0005, 'snap'], [0x0006, 'ddcmp'], [0x0007, 'wan_ppp'], [0x0008, 'ppp_mp'],
  [0x0009, 'localtalk'], [0x000c, 'can'], [0x0010, 'ppptalk'], [0x0011, 'tr_802_2'], [0x0015, 'mobitex'],
  [0x0016, 'control'], [0x0017, 'irda'], [0x0018, 'econet'], [0x88ca, 'tipc'], [0x8892, 'profinet'],
  [0x88a2, 'aoe'], [0x88a4, 'ethercat'], [0x8100, '802.1Q'], [0x88a8, '802.1ad'], [0x8847, 'mpls_uc'],
  [0x8848, 'mpls_mc'], [0x6558, 'teb'], [0x8100, '802.1Q'], [0x88cc, 'LLDP'], [0x0800, 'ipv4'],
];

/** ll_proto_n2a(): the name of an ETH_P_* protocol (host order), or `[N]`. */
export function llProtoName(id: number, numeric = false): string {
  if (!numeric) for (const [v, n] of LL_PROTO) if (v === id) return n;
  return `[${id}]`;
}

/**
 * ll_proto_a2n(): a protocol name (case-insensitive) or number (get_be16:
 * strtoul base 0, ≤ 0xffff); host order, or undefined.
 */
export function llProtoId(arg: string): number | undefined {
  const lower = arg.toLowerCase();
  for (const [v, n] of LL_PROTO) if (n.toLowerCase() === lower) return v;
  const m = /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(arg);
  if (!m) return undefined;
  const t = m[1]!;
  const v = /^0[xX]/.test(t) ? parseInt(t, 16) : t.length > 1 && t[0] === '0' ? parseInt(t, 8) : Number(t);
  return v <= 0xffff ? v : undefined;
}

/** htons() of a 16-bit value (tcm_info carries the protocol in network order). */
export function htons(v: number): number {
  return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
}
