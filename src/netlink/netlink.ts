/**
 * `Netlink`: one rtnetlink handle per network namespace, with the object APIs
 * (`nl.link`, …) hanging off it.
 * @module
 */
import { NetlinkSocket, type NetnsRef, type SocketOptions } from './socket.js';
import { NETLINK } from './constants.js';
import { LinkApi } from './link.js';
import { AddressApi } from './address.js';
import { Monitor, monitorTypes, type MonitorObject, type MonitorOptions } from './monitor.js';
import { RouteApi } from './route.js';
import { QdiscApi } from '../tc/qdisc.js';
import { ClassApi } from '../tc/class.js';
import { FilterApi } from '../tc/filter.js';
import { NeighborApi } from './neighbor.js';
import { RuleApi } from './rule.js';
import { NexthopApi } from './nexthop.js';
import { NetconfApi } from './netconf.js';
import { MrouteApi } from './mroute.js';
import { AddrlabelApi } from './addrlabel.js';
import { L2tp } from './l2tp.js';

/** Options for {@link Netlink.open}. */
export interface NetlinkOpenOptions {
  /** Network namespace: a name under /run/netns, a path, or a pid. Default: the caller's. */
  readonly netns?: NetnsRef;
  /** Receive buffer size in bytes. */
  readonly rcvbuf?: number;
  /** Requests in flight at once (pipelining window). */
  readonly window?: number;
}

/**
 * A handle on one network namespace's routing netlink.
 *
 * ```ts
 * await using nl = await Netlink.open({ netns: 'blue' });
 * for await (const link of nl.link.list()) console.log(link.ifname);
 * ```
 */
export class Netlink implements AsyncDisposable {
  /** The rtnetlink socket (for advanced use: raw requests and dumps). */
  readonly socket: NetlinkSocket;
  /** Links. */
  readonly link: LinkApi;
  /** Interface addresses. */
  readonly address: AddressApi;
  /** The namespace this handle was opened in (monitors open their own socket there). */
  private netnsRef: NetnsRef | undefined;
  /** Routes. */
  readonly route: RouteApi;
  /** Neighbours (ARP/NDP cache and proxy entries). */
  readonly neighbor: NeighborApi;
  /** Policy routing rules. */
  readonly rule: RuleApi;
  /** Nexthop objects and groups. */
  readonly nexthop: NexthopApi;
  /** Per-family IP configuration of devices (`ip netconf`). */
  readonly netconf: NetconfApi;
  /** Multicast forwarding cache entries (`ip mroute`). */
  readonly mroute: MrouteApi;
  /** IPv6 address selection labels (`ip addrlabel`). */
  readonly addrlabel: AddrlabelApi;
  /** Traffic-control qdiscs (rip/tc). */
  readonly qdisc: QdiscApi;
  /** Traffic-control classes (rip/tc). */
  readonly class: ClassApi;
  /** Traffic-control filters (classifiers) with their actions (rip/tc). */
  readonly filter: FilterApi;
  private l2tpHandle: L2tp | undefined;

  protected constructor(socket: NetlinkSocket) {
    this.socket = socket;
    this.link = new LinkApi(socket);
    this.address = new AddressApi(socket, this.link);
    this.route = new RouteApi(socket);
    this.neighbor = new NeighborApi(socket, this.link);
    this.rule = new RuleApi(socket);
    this.nexthop = new NexthopApi(socket, this.link);
    this.netconf = new NetconfApi(socket);
    this.mroute = new MrouteApi(socket);
    this.addrlabel = new AddrlabelApi(socket);
    this.qdisc = new QdiscApi(socket, this.link);
    this.class = new ClassApi(socket, this.link);
    this.filter = new FilterApi(socket, this.link);
  }

  /** Open a handle (in `netns`, if given; the process itself never changes namespace). */
  static async open(opts: NetlinkOpenOptions = {}): Promise<Netlink> {
    const sockOpts: { -readonly [K in keyof SocketOptions]: SocketOptions[K] } = {};
    if (opts.netns !== undefined) sockOpts.netns = opts.netns;
    if (opts.rcvbuf !== undefined) sockOpts.rcvbuf = opts.rcvbuf;
    if (opts.window !== undefined) sockOpts.window = opts.window;
    const socket = NetlinkSocket.open(NETLINK.ROUTE, sockOpts);
    try {
      socket.setOption(NETLINK.GET_STRICT_CHK, 1);
    } catch {
      // Kernels before 4.20 lack strict checking; dumps are then filtered in user space only.
    }
    const nl = new Netlink(socket);
    nl.netnsRef = opts.netns;
    return nl;
  }

  /**
   * Watch notifications of `objects` (or `'all'`) on a dedicated socket.
   * ```ts
   * for await (const ev of nl.monitor(['link', 'address'], { signal })) console.log(ev.type, ev.action);
   * ```
   */
  monitor(objects: 'all' | readonly MonitorObject[], opts: MonitorOptions = {}): Monitor {
    return new Monitor(this.netnsRef, monitorTypes(objects), opts);
  }

  /**
   * L2TPv3 tunnels and sessions (`ip l2tp`), over a generic netlink socket in
   * the same namespace that is opened on first use and closed with this handle.
   * ```ts
   * await nl.l2tp.addTunnel({ tunnel_id: 1, peer_tunnel_id: 1, encap: 'ip', local: '192.0.2.1', remote: '192.0.2.2' });
   * ```
   */
  get l2tp(): L2tp {
    return (this.l2tpHandle ??= new L2tp(this.netnsRef));
  }

  /** Close the socket(s); pending requests reject. */
  close(): void {
    this.socket.close();
    this.l2tpHandle?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}
