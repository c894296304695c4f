/**
 * The link dump that asks for names only, and the name in one of its
 * replies: shared by {@link RouteApi.linkNames} (src/netlink/route.ts),
 * `ip -batch`'s early start (src/cli/ip/route-batch-native.ts) and ss's
 * interface names (src/cli/ss/lookup.ts), which must not load the object
 * modules to learn a namespace's link names.
 * @module
 */
import { NLM_F, RTM } from './constants.js';
import type { Writer } from './codec/writer.js';
import type { MessageView } from './socket.js';

const IFLA_IFNAME = 3;
const IFLA_EXT_MASK = 29;
const RTEXT_FILTER_SKIP_STATS = 8;

/**
 * Write an RTM_GETLINK dump request of every link, without counters.
 * `extMask` is its IFLA_EXT_MASK (RTEXT_FILTER_* bits; default SKIP_STATS).
 */
export function linkNamesRequest(w: Writer, seq: number, extMask = RTEXT_FILTER_SKIP_STATS): void {
  const start = w.beginMessage(RTM.GETLINK, NLM_F.REQUEST | NLM_F.DUMP, seq);
  w.u32(0).u32(0).u32(0).u32(0); // ifinfomsg: any family, any link
  w.u16(8).u16(IFLA_EXT_MASK).u32(extMask);
  w.endMessage(start);
}

/** ifindex and IFLA_IFNAME of an RTM_NEWLINK reply; undefined for anything else. */
export function linkNameOf(m: MessageView): readonly [number, string] | undefined {
  if (m.type !== RTM.NEWLINK || m.len < 16) return undefined;
  const index = m.buf.readInt32LE(m.off + 4);
  let p = m.off + 16;
  const end = m.off + m.len;
  while (end - p >= 4) {
    const alen = m.buf.readUInt16LE(p);
    if (alen < 4 || alen > end - p) break;
    if ((m.buf.readUInt16LE(p + 2) & 0x3fff) === IFLA_IFNAME) {
      const z = m.buf.indexOf(0, p + 4);
      return [index, m.buf.toString('utf8', p + 4, z >= 0 && z < p + alen ? z : p + alen)];
    }
    p += (alen + 3) & ~3;
  }
  return undefined;
}
