/**
 * Generic netlink: resolving a family by name (nlctrl) and sending commands
 * to it. L2TP, wireguard, devlink, ethtool and friends live here.
 *
 * ```ts
 * await using genl = await GenericNetlink.open();
 * const fam = await genl.family('nlctrl');   // { id: 16, version: 2, groups: Map { 'notify' => 16 } }
 * ```
 * @module
 */
import { NetlinkSocket, type NetnsRef, type RequestOptions, type DumpOptions, type MessageView, type DumpStream } from './socket.js';
import { NETLINK, NLM_F, GENL_ID, CTRL_CMD, CTRL_ATTR, CTRL_ATTR_MCAST_GRP } from './constants.js';
import { attrs, attr, cstring, u16, u32, indexed, type AttrSet } from './codec/schema.js';
import { genlmsghdr } from './structs.js';
import type { Writer } from './codec/writer.js';

/** CTRL_ATTR_MCAST_GROUPS element. */
export const ctrlMcastGroupAttrs = attrs('CTRL_ATTR_MCAST_GRP', {
  name: attr(CTRL_ATTR_MCAST_GRP.NAME, cstring),
  id: attr(CTRL_ATTR_MCAST_GRP.ID, u32),
});

/** nlctrl attributes. */
export const ctrlAttrs = attrs('CTRL_ATTR', {
  family_id: attr(CTRL_ATTR.FAMILY_ID, u16),
  family_name: attr(CTRL_ATTR.FAMILY_NAME, cstring),
  version: attr(CTRL_ATTR.VERSION, u32),
  hdrsize: attr(CTRL_ATTR.HDRSIZE, u32),
  maxattr: attr(CTRL_ATTR.MAXATTR, u32),
  mcast_groups: attr(CTRL_ATTR.MCAST_GROUPS, indexed('CTRL_ATTR_MCAST_GROUPS', ctrlMcastGroupAttrs)),
});

/** A resolved generic netlink family. */
export interface GenlFamily {
  readonly name: string;
  readonly id: number;
  readonly version: number;
  readonly hdrsize: number;
  readonly maxattr: number;
  /** Multicast group name → group id. */
  readonly groups: ReadonlyMap<string, number>;
}

/** Build a generic netlink message: nlmsghdr + genlmsghdr + attributes of `body`. */
export function genlRequest<A>(familyId: number, cmd: number, version: number, flags: number, body: AttrSet<A>, value: A) {
  return (w: Writer, seq: number): void => {
    const start = w.beginMessage(familyId, flags | NLM_F.REQUEST, seq);
    genlmsghdr.encode(w, { cmd, version, reserved: 0 }, {});
    body.encode(w, value, {});
    w.endMessage(start);
  };
}

/** Decode the attributes after the genlmsghdr of a reply. */
export function genlDecode<A>(m: MessageView, body: AttrSet<A>): { cmd: number; version: number; attrs: A } {
  const h = genlmsghdr.decode(m.buf, m.off, m.len);
  return { cmd: h.cmd, version: h.version, attrs: body.decode(m.buf, m.off + 4, Math.max(0, m.len - 4), {}) };
}

function toFamily(a: ReturnType<typeof ctrlAttrs.decode>): GenlFamily {
  const groups = new Map<string, number>();
  for (const g of a.mcast_groups ?? []) if (g.name !== undefined && g.id !== undefined) groups.set(g.name, g.id);
  return {
    name: a.family_name ?? '', id: a.family_id ?? 0, version: a.version ?? 0,
    hdrsize: a.hdrsize ?? 0, maxattr: a.maxattr ?? 0, groups,
  };
}

/** A generic netlink socket with family resolution (cached per handle). */
export class GenericNetlink implements AsyncDisposable {
  private readonly cache = new Map<string, Promise<GenlFamily>>();
  private constructor(readonly socket: NetlinkSocket) {}

  /** Open a generic netlink socket (in `netns` if given). */
  static async open(opts: { netns?: NetnsRef } = {}): Promise<GenericNetlink> {
    return new GenericNetlink(NetlinkSocket.open(NETLINK.GENERIC, opts.netns !== undefined ? { netns: opts.netns } : {}));
  }

  /** Resolve a family by name; rejects with ENOENT if the kernel lacks it (module not loaded). */
  family(name: string, opts: RequestOptions = {}): Promise<GenlFamily> {
    let p = this.cache.get(name);
    if (!p) {
      p = this.socket.get(genlRequest(GENL_ID.CTRL, CTRL_CMD.GETFAMILY, 1, NLM_F.ACK, ctrlAttrs, { family_name: name }), `resolve generic netlink family ${name}`, opts)
        .then((m) => toFamily(genlDecode(m, ctrlAttrs).attrs));
      p.catch(() => this.cache.delete(name));
      this.cache.set(name, p);
    }
    return p;
  }

  /** Every family the kernel knows. */
  families(opts: DumpOptions = {}): DumpStream<GenlFamily> {
    return this.socket.dump(genlRequest(GENL_ID.CTRL, CTRL_CMD.GETFAMILY, 1, NLM_F.DUMP, ctrlAttrs, {}),
      (m) => (m.type === GENL_ID.CTRL ? toFamily(genlDecode(m, ctrlAttrs).attrs) : undefined), 'list generic netlink families', opts);
  }

  close(): void {
    this.socket.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}
