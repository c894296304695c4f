/**
 * The contract of a link kind's CLI module (iproute2's struct link_util:
 * parse_opt, print_opt, print_help) and the number parsers they share.
 * @module
 */
import { CliError, invarg, matches } from '../../common/args.js';
import type { Printer } from '../../../output/printer.js';
import { strtoul } from '../rtnl-names.js';

/** What a kind parser may look at besides its arguments. */
export interface KindParseContext {
  /** The request creates a link (NLM_F_CREATE): `ip link add`/`replace`. */
  readonly create: boolean;
  /** `-4`/`-6` (preferred_family). */
  readonly family: number;
  /** ll_name_to_index(): 0 when there is no such device. */
  index(name: string): number;
  /**
   * For a change (`ip link set`, no NLM_F_CREATE): the device's current
   * IFLA_INFO_DATA bytes (undefined when it has none), which the tunnel kinds
   * read as iproute2's parse_opt() does after its RTM_GETLINK.
   */
  readonly current?: Buffer | undefined;
}

/** What a kind printer may look at. */
export interface KindPrintContext {
  /** ll_index_to_name() */
  name(index: number): string;
  /** -d given more than once etc. */
  readonly details: number;
  readonly stats: number;
}

/** A decoded attribute object of a kind's schema. */
export type KindAttrs = Readonly<Record<string, unknown>>;

/** One link kind's grammar and printer. */
export interface KindCli {
  /** The help text (`ip link add type KIND help`); `%s` is the kind. */
  readonly usage: string;
  /**
   * Parse the arguments after `type KIND` into IFLA_INFO_DATA attributes, in
   * the order iproute2 adds them (object key order is wire order).
   * Throws CliError with iproute2's text and status on bad input.
   */
  parse(args: string[], ctx: KindParseContext): Record<string, unknown>;
  /** print_opt(): the kind's part of `ip -d link show`. */
  print?(p: Printer, data: KindAttrs, ctx: KindPrintContext): void;
}

/** The kind's help text on stderr, then exit 1 (parse_opt returning -1 after explain()). */
export function explainAndFail(usage: string, kind: string, prefix = ''): never {
  throw new CliError(prefix + fmtUsage(usage, kind).replace(/\n$/, ''), 1);
}

/** Fill the `%s` / `%-9s` / `%-6s` placeholders of a help text with the kind. */
export function fmtUsage(usage: string, kind: string): string {
  return usage.replace(/%(-?)(\d*)s/g, (_m, left: string, w: string) => {
    const n = Number(w || 0);
    return left ? kind.padEnd(n) : kind.padStart(n);
  });
}

/** get_unsigned()-style parse within [0, max]; undefined when invalid. */
export function getUint(arg: string, max: number, base = 0): number | undefined {
  if (!arg) return undefined;
  const v = strtoul(arg, base);
  return v !== undefined && v <= max ? v : undefined;
}
export const getU8 = (a: string, base = 0): number | undefined => getUint(a, 0xff, base);
export const getU16 = (a: string, base = 0): number | undefined => getUint(a, 0xffff, base);
export const getU32 = (a: string, base = 0): number | undefined => getUint(a, 0xffffffff, base);

/** get_u64() */
export function getU64(arg: string): bigint | undefined {
  const s = arg.replace(/^[ \t\n]+/, '').replace(/^\+/, '');
  let v: bigint;
  try {
    if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = BigInt(s);
    else if (/^0[0-7]*$/.test(s)) v = BigInt('0o' + (s.slice(1) || '0'));
    else if (/^[1-9][0-9]*$/.test(s)) v = BigInt(s);
    else return undefined;
  } catch { return undefined; }
  return v < 2n ** 64n ? v : undefined;
}

/** get_integer(): strtol base 0 within int. */
export function getInteger(arg: string): number | undefined {
  if (!arg) return undefined;
  const m = /^[ \t\n]*([+-]?)(.*)$/s.exec(arg)!;
  if (m[2]!.startsWith('+') || m[2]!.startsWith('-')) return undefined;
  const v = strtoul(m[2]!);
  if (v === undefined) return undefined;
  const n = m[1] === '-' ? -v : v;
  return n >= -0x80000000 && n <= 0x7fffffff ? n : undefined;
}

/** Parse with `parse` or fail with invarg(msg, arg). */
export function need<T>(v: T | undefined, msg: string, arg: string): T {
  if (v === undefined) invarg(msg, arg);
  return v;
}

/** parse_on_off(): a prefix of `on` / `off` (matches()), else iproute2's error (exit 1). */
export function onOff(key: string, arg: string): boolean {
  if (matches(arg, 'off')) return false;
  if (matches(arg, 'on')) return true;
  throw new CliError(`Error: argument of "${key}" must be one of "off", "on", not "${arg}"`, 1);
}

/** iplink.c's on_off(): exactly `on` / `off`, else its own error text (exit 1). */
export function onOffStrict(key: string, arg: string): boolean {
  if (arg === 'on') return true;
  if (arg === 'off') return false;
  throw new CliError(`Error: argument of "${key}" must be "on" or "off", not "${arg}"`, 1);
}

/** The value after a keyword (NEXT_ARG). */
export function nextArg(args: string[], i: number): string {
  const v = args[i + 1];
  if (v === undefined) throw new CliError('Command line is not complete. Try option "help"');
  return v;
}

/** ll_proto_n2a for the protocols link kinds print. */
export function llProtoName(p: number): string {
  if (p === 0x8100) return '802.1Q';
  if (p === 0x88a8) return '802.1ad';
  return `[${p}]`;
}

/** ll_proto_a2n for the same (names or hex numbers). */
export function llProtoId(arg: string): number | undefined {
  // strcasecmp against ll_proto.c's table (only the VLAN protocols matter here).
  const names: Record<string, number> = { '802.1q': 0x8100, '802.1ad': 0x88a8, ip: 0x0800, ipv6: 0x86dd, arp: 0x0806 };
  const n = names[arg.toLowerCase()];
  if (n !== undefined) return n;
  return getU16(arg, 0);
}

/**
 * ll_addr_a2n(): `aa:bb:…` (each part as sscanf %x, 0..255) or a dotted IPv4
 * address (4 bytes, for tunnels), as colon hex text for the lladdr codec.
 * Bad input: `"PART" is invalid lladdr.` and exit 1, as iproute2.
 */
export function llAddrA2n(arg: string): string {
  const bad = (part: string): never => { throw new CliError(`"${part}" is invalid lladdr.`, 1); };
  if (arg.includes('.')) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(arg);
    if (!m || m.slice(1).some((x) => Number(x) > 255)) bad(arg);
    return m!.slice(1).map((x) => Number(x).toString(16).padStart(2, '0')).join(':');
  }
  const out: number[] = [];
  let rest: string | undefined = arg;
  while (rest !== undefined && out.length < 32) {
    const idx = rest.indexOf(':');
    const part = idx >= 0 ? rest.slice(0, idx) : rest;
    rest = idx >= 0 ? rest.slice(idx + 1) : undefined;
    const m = /^[ \t\n]*([+-]?)(?:0[xX])?([0-9a-fA-F]+)/.exec(part);
    if (!m) bad(part);
    const v = parseInt(m![2]!, 16) * (m![1] === '-' ? -1 : 1);
    if (v < 0 || v > 255) bad(part);
    out.push(v);
  }
  return out.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
