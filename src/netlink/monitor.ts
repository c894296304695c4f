/**
 * `nl.monitor(…)`: rtnetlink notifications as a typed async stream.
 *
 * ```ts
 * const ac = new AbortController();
 * for await (const ev of nl.monitor(['link', 'address'], { signal: ac.signal })) {
 *   if (ev.type === 'overflow') { console.warn('events were lost; re-read state'); continue; }
 *   if (ev.type === 'address') console.log(ev.action, ev.message.local, ev.message.prefixlen);
 * }
 * ```
 *
 * Each monitor has its own socket joined to the RTNLGRP_* groups of the
 * requested objects, so notifications never mix with request replies. When
 * the consumer falls behind, reading stops at `maxQueue` queued events; the
 * kernel then drops notifications and the loss is yielded as an `overflow`
 * event (ENOBUFS) — never silently.
 *
 * Decoders are looked up per object in {@link MONITOR_OBJECTS}; objects whose
 * decoder lives in a module that is not loaded (or does not exist yet) yield a
 * {@link RawRtMessage}. {@link registerMonitorDecoder} adds or replaces one.
 * @module
 */
import { NetlinkSocket, type MessageView, type NetnsRef, type SubscriptionEvent } from './socket.js';
import { NETLINK, RTM, RTNLGRP } from './constants.js';
import { decodeLink, type Link } from './link.js';
import { decodeAddress, type Address } from './address.js';
import { nsidMessage } from './netns.js';
import { constants } from './constants.js';

export { NETCONFA, netconfMessage, decodeNetconf, type NetconfMessage } from './rtnetlink/netconf-schema.js';
import { decodeNetconf, type NetconfMessage } from './rtnetlink/netconf-schema.js';

/** A namespace id notification (`ip monitor nsid`). */
export interface NsidMessage {
  /** The peer namespace's id, or -1 when unassigned. */
  readonly nsid: number;
  readonly 'current-nsid'?: number;
}

/** A notification rip has no decoder for: its type, flags and payload (after nlmsghdr). */
export interface RawRtMessage {
  readonly undecoded: true;
  /** nlmsg_type (RTM_*). */
  readonly nlmsgType: number;
  readonly nlmsgFlags: number;
  /** The payload, copied. */
  readonly payload: Buffer;
}

/**
 * Decoded message type per object. Object modules may augment this interface
 * (declaration merging) when they register a decoder.
 */
export interface MonitorMessageMap {
  link: Link;
  address: Address;
  nsid: NsidMessage;
  route: object;
  mroute: object;
  neigh: object;
  rule: object;
  nexthop: object;
  netconf: NetconfMessage;
  prefix: object;
}

/** The objects one can monitor. */
export type MonitorObject = keyof MonitorMessageMap;

/** Every monitorable object, in `ip monitor`'s order. */
export const MONITOR_OBJECT_NAMES: readonly MonitorObject[] = ['link', 'address', 'route', 'mroute', 'prefix', 'neigh', 'netconf', 'rule', 'nsid', 'nexthop'];

/** What happened: a new/changed object, a deleted one, or (neighbours) a resolution request. */
export type MonitorAction = 'new' | 'del' | 'get';

/** One notification: `message` is the decoded object, or a {@link RawRtMessage} when no decoder is available. */
export type MonitorObjectEvent = {
  [K in MonitorObject]: {
    readonly type: K;
    readonly action: MonitorAction;
    /** When rip received it. */
    readonly timestamp: Date;
    readonly message: MonitorMessageMap[K] | RawRtMessage;
    /** nlmsg_type of the notification. */
    readonly nlmsgType: number;
  }
}[MonitorObject];

/** The kernel dropped notifications because they were read too slowly (ENOBUFS). */
export interface MonitorOverflowEvent {
  readonly type: 'overflow';
  readonly timestamp: Date;
}

/** An event of {@link Monitor}. */
export type MonitorEvent = MonitorObjectEvent | MonitorOverflowEvent;

/** How one object is monitored. */
export interface MonitorObjectSpec {
  /** Groups to join; `family` is 0, AF_INET or AF_INET6 (as `ip -4/-6 monitor`). */
  groups(family: number): number[];
  /** Which object a message of this type belongs to (undefined: not this object). */
  classify(m: MessageView): MonitorAction | undefined;
  /** Decoder; undefined until a module provides one (events then carry raw messages). */
  decode?: ((m: MessageView) => object) | undefined;
  /**
   * Loads the decoder from the object's own module on first use (a static
   * import() so bundlers see it; monitoring links alone then skips the route,
   * neighbour, rule and nexthop modules).
   */
  lazy?: () => Promise<(m: MessageView) => object>;
}

const byFamily = (family: number, v4: number, v6: number, other: readonly number[] = []): number[] => [
  ...(family === 0 || family === 2 ? [v4] : []),
  ...(family === 0 || family === 10 ? [v6] : []),
  ...(family === 0 ? other : []),
];
const pair = (n: number, d: number) => (m: MessageView): MonitorAction | undefined =>
  m.type === n ? 'new' : m.type === d ? 'del' : undefined;
/** RTNL_FAMILY_IPMR / RTNL_FAMILY_IP6MR: multicast routes arrive as route messages with these families. */
const isMrouteFamily = (m: MessageView): boolean => m.len >= 1 && (m.buf[m.off] === 128 || m.buf[m.off] === 129);

/** The decoder table; extend or override with {@link registerMonitorDecoder}. */
export const MONITOR_OBJECTS: { [K in MonitorObject]: MonitorObjectSpec } = {
  link: { groups: () => [RTNLGRP.LINK], classify: pair(RTM.NEWLINK, RTM.DELLINK), decode: decodeLink },
  address: { groups: (f) => byFamily(f, RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR), classify: pair(RTM.NEWADDR, RTM.DELADDR), decode: decodeAddress },
  route: {
    groups: (f) => byFamily(f, RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE, [RTNLGRP.MPLS_ROUTE]),
    classify: (m) => (isMrouteFamily(m) ? undefined : pair(RTM.NEWROUTE, RTM.DELROUTE)(m)),
    lazy: async () => (await import('./route-decode.js')).decodeRoute,
  },
  mroute: {
    groups: (f) => byFamily(f, RTNLGRP.IPV4_MROUTE, RTNLGRP.IPV6_MROUTE),
    classify: (m) => (isMrouteFamily(m) ? pair(RTM.NEWROUTE, RTM.DELROUTE)(m) : undefined),
  },
  prefix: { groups: (f) => (f === 0 || f === 10 ? [RTNLGRP.IPV6_PREFIX] : []), classify: (m) => (m.type === RTM.NEWPREFIX ? 'new' : undefined) },
  neigh: {
    groups: () => [RTNLGRP.NEIGH],
    classify: (m) => (m.type === RTM.GETNEIGH ? 'get' : pair(RTM.NEWNEIGH, RTM.DELNEIGH)(m)),
    lazy: async () => (await import('./neighbor.js')).decodeNeighbor,
  },
  netconf: {
    groups: (f) => byFamily(f, RTNLGRP.IPV4_NETCONF, RTNLGRP.IPV6_NETCONF, [RTNLGRP.MPLS_NETCONF]),
    classify: pair(RTM.NEWNETCONF, RTM.DELNETCONF),
    decode: decodeNetconf,
  },
  rule: {
    groups: (f) => byFamily(f, RTNLGRP.IPV4_RULE, RTNLGRP.IPV6_RULE),
    classify: pair(RTM.NEWRULE, RTM.DELRULE),
    lazy: async () => (await import('./rule.js')).decodeRule,
  },
  nsid: { groups: () => [RTNLGRP.NSID], classify: pair(RTM.NEWNSID, RTM.DELNSID), decode: decodeNsid },
  nexthop: {
    groups: () => [RTNLGRP.NEXTHOP],
    classify: pair(RTM.NEWNEXTHOP, RTM.DELNEXTHOP),
    lazy: async () => (await import('./nexthop.js')).decodeNexthop,
  },
};

/** Install (or replace) the decoder of an object's notifications. */
export function registerMonitorDecoder<K extends MonitorObject>(type: K, decode: (m: MessageView) => MonitorMessageMap[K]): void {
  MONITOR_OBJECTS[type].decode = decode;
  delete MONITOR_OBJECTS[type].lazy;
}

/** Decode an RTM_NEWNSID/DELNSID notification. */
export function decodeNsid(m: MessageView): NsidMessage {
  const { attrs: a } = nsidMessage.decode(m.buf, m.off, m.len);
  const out: { nsid: number; 'current-nsid'?: number } = { nsid: a.nsid ?? -1 };
  if (a.current_nsid !== undefined) out['current-nsid'] = a.current_nsid;
  return out;
}

function rawMessage(m: MessageView): RawRtMessage {
  return { undecoded: true, nlmsgType: m.type, nlmsgFlags: m.flags, payload: Buffer.from(m.buf.subarray(m.off, m.off + m.len)) };
}

/** Load the decoders of the selected objects that live in their own modules. */
async function loadLazyDecoders(types: readonly MonitorObject[]): Promise<void> {
  await Promise.all(types.map(async (t) => {
    const spec = MONITOR_OBJECTS[t];
    if (spec.decode || !spec.lazy) return;
    spec.decode = await spec.lazy();
  }));
}

/** Options for {@link openMonitor}. */
export interface MonitorOptions {
  /** Stop the stream (the iterator returns; the socket closes). */
  readonly signal?: AbortSignal;
  /** Only AF_INET (2) or AF_INET6 (10) groups where an object has both (`ip -4 monitor`). */
  readonly family?: 0 | 2 | 10;
  /** Receive buffer of the monitor socket in bytes (default 4 MiB). */
  readonly rcvbuf?: number;
  /** Events queued before reading pauses and the kernel starts dropping (default 10000). */
  readonly maxQueue?: number;
}

/**
 * A running subscription: an async iterable of {@link MonitorEvent}s. It is
 * subscribed from creation (events that happen before iteration starts are
 * queued). Iterate it once; `close()` or the signal ends it.
 */
export class Monitor implements AsyncIterable<MonitorEvent>, AsyncDisposable {
  private readonly sock: NetlinkSocket;
  private readonly queue: MonitorEvent[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  private paused = false;
  private readonly unsubscribe: () => void;
  private readonly ready: Promise<void>;
  private readonly maxQueue: number;
  private readonly onAbort = (): void => this.close();
  /** The objects this monitor reports. */
  readonly types: readonly MonitorObject[];

  constructor(netns: NetnsRef | undefined, types: readonly MonitorObject[], opts: MonitorOptions = {}) {
    this.types = types;
    this.maxQueue = opts.maxQueue ?? 10000;
    const family = opts.family ?? 0;
    const groups = new Set<number>();
    for (const t of types) for (const g of MONITOR_OBJECTS[t].groups(family)) groups.add(g);
    this.sock = NetlinkSocket.open(NETLINK.ROUTE, {
      ...(netns !== undefined ? { netns } : {}),
      ...(opts.rcvbuf !== undefined ? { rcvbuf: opts.rcvbuf } : {}),
    });
    try {
      for (const g of groups) this.sock.join(g);
    } catch (e) {
      this.sock.close();
      throw e;
    }
    this.ready = loadLazyDecoders(types);
    this.unsubscribe = this.sock.subscribe((ev) => this.onEvent(ev));
    if (opts.signal) {
      if (opts.signal.aborted) this.close();
      else opts.signal.addEventListener('abort', this.onAbort, { once: true });
    }
    this.signal = opts.signal;
  }

  private readonly signal: AbortSignal | undefined;

  private onEvent(ev: SubscriptionEvent): void {
    const timestamp = new Date();
    if (ev.kind === 'overflow') {
      this.push({ type: 'overflow', timestamp });
      return;
    }
    const m = ev.message;
    for (const t of this.types) {
      const action = MONITOR_OBJECTS[t].classify(m);
      if (action === undefined) continue;
      // Keep the view; it is decoded when consumed (decoders may still be loading).
      this.push({ type: t, action, timestamp, message: rawMessage(m), nlmsgType: m.type } as MonitorObjectEvent);
      return;
    }
  }

  private push(ev: MonitorEvent): void {
    if (this.ended) return;
    this.queue.push(ev);
    if (this.queue.length >= this.maxQueue && !this.paused) {
      this.paused = true;
      this.sock.pauseReading();
    }
    const w = this.wake;
    this.wake = null;
    if (w) w();
  }

  /** Decode a queued raw event with the object's decoder, if there is one now. */
  private finish(ev: MonitorEvent): MonitorEvent {
    if (ev.type === 'overflow') return ev;
    const spec = MONITOR_OBJECTS[ev.type];
    const raw = ev.message as RawRtMessage;
    if (!spec.decode) return ev;
    const view: MessageView = { type: raw.nlmsgType, flags: raw.nlmsgFlags, seq: 0, pid: 0, buf: raw.payload, off: 0, len: raw.payload.length };
    return { ...ev, message: spec.decode(view) } as MonitorEvent;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<MonitorEvent> {
    await this.ready;
    try {
      for (;;) {
        while (this.queue.length) {
          const ev = this.queue.shift()!;
          if (this.paused && this.queue.length < this.maxQueue / 2) {
            this.paused = false;
            this.sock.resumeReading();
          }
          yield this.finish(ev);
        }
        if (this.ended) return;
        await new Promise<void>((r) => { this.wake = r; });
      }
    } finally {
      this.close();
    }
  }

  /** Stop monitoring: the iterator ends after the events already queued are dropped. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.unsubscribe();
    this.sock.close();
    const w = this.wake;
    this.wake = null;
    if (w) w();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

/** Which objects `'all'` or a list names; throws on an unknown one. */
export function monitorTypes(what: 'all' | readonly MonitorObject[]): MonitorObject[] {
  if (what === 'all') return [...MONITOR_OBJECT_NAMES];
  for (const t of what) if (!(t in MONITOR_OBJECTS)) throw new TypeError(`unknown monitor object "${String(t)}"`);
  return [...new Set(what)];
}
