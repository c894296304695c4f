/**
 * iproute2's ll_map.c for the commands that print device names: one link
 * dump, then index ↔ name and ARPHRD type lookups; link-layer addresses
 * formatted as ll_addr_n2a() does.
 * @module
 */
import type { CliContext } from '../common/context.js';
import { formatIPv4, formatIPv6, formatLladdr } from '../../netlink/addr.js';

/** Interface names and types of one namespace, from a single link dump. */
export class LinkMap {
  private constructor(
    private readonly byIndex: ReadonlyMap<number, { readonly name: string; readonly type: number; readonly kind: string | undefined }>,
    private readonly byName: ReadonlyMap<string, number>,
  ) {}

  /** Dump the links of the context's namespace. */
  static async load(ctx: CliContext): Promise<LinkMap> {
    const nl = await ctx.netlink();
    const links = await nl.link.list({ skipStats: true }, { interrupted: 'partial' }).toArray();
    return new LinkMap(
      new Map(links.map((l) => [l.ifindex, { name: l.ifname, type: l.type, kind: l.kind }] as const)),
      new Map(links.map((l) => [l.ifname, l.ifindex] as const)),
    );
  }

  /** ll_name_to_index(): 0 when unknown (`ifN` names are taken as index N). */
  index(name: string): number {
    const i = this.byName.get(name);
    if (i !== undefined) return i;
    const m = /^if(\d+)$/.exec(name);
    return m ? Number(m[1]) : 0;
  }

  /** ll_index_to_name(): `ifN` when unknown. */
  name(index: number): string {
    return this.byIndex.get(index)?.name ?? `if${index}`;
  }

  /** ll_index_to_type(): ARPHRD_* or -1. */
  type(index: number): number {
    return this.byIndex.get(index)?.type ?? -1;
  }

  /** IFLA_INFO_KIND of a link. */
  kind(index: number): string | undefined {
    return this.byIndex.get(index)?.kind;
  }
}

const ARPHRD_TUNNEL = 768, ARPHRD_TUNNEL6 = 769, ARPHRD_SIT = 776, ARPHRD_IPGRE = 778, ARPHRD_IP6GRE = 823;

/** ll_addr_n2a(): colon hex, or an IP address for IP tunnel devices. */
export function llAddrText(hex: string, type: number): string {
  const b = Buffer.from(hex.replace(/:/g, ''), 'hex');
  if (b.length === 4 && (type === ARPHRD_TUNNEL || type === ARPHRD_SIT || type === ARPHRD_IPGRE)) return formatIPv4(b);
  if (b.length === 16 && (type === ARPHRD_TUNNEL6 || type === ARPHRD_IP6GRE)) return formatIPv6(b);
  return formatLladdr(b);
}
