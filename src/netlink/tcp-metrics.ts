/**
 * The kernel's TCP metrics cache over generic netlink "tcp_metrics":
 * list, get, delete one destination, flush.
 *
 * ```ts
 * await using tm = await TcpMetrics.open({ netns: 'blue' });
 * for await (const e of tm.list()) console.log(e.dst, e.source, e.vals.cwnd);
 * await tm.del('192.0.2.1');
 * ```
 * @module
 */
import { NLM_F } from './constants.js';
import { GenericNetlink, genlRequest, genlDecode, type GenlFamily } from './genl.js';
import type { NetnsRef, RequestOptions, DumpOptions, DumpStream, RequestBuilder, MessageView } from './socket.js';
import { formatAddress, parseAddress } from './addr.js';
import { ValidationError } from './errors.js';
import { tcpMetricsAttrs, TCP_METRICS_CMD, TCP_METRICS_GENL_NAME, TCP_METRICS_GENL_VERSION, type TcpMetricsAttrs, type TcpMetricVals } from './tcp-metrics-schema.js';

export { TCP_METRICS_CMD, TCP_METRICS_ATTR, TCP_METRIC } from './tcp-metrics-schema.js';

/** One cache entry. */
export interface TcpMetricsEntry {
  /** AF_INET or AF_INET6 (of the destination). */
  readonly family: number;
  readonly dst: string;
  /** The source address, on kernels that key entries by it. */
  readonly source: string | undefined;
  /** Milliseconds since the last update. */
  readonly age: bigint | undefined;
  readonly vals: TcpMetricVals;
  /** The whole message body as decoded. */
  readonly raw: TcpMetricsAttrs;
}

/** Decode one TCP_METRICS_CMD_GET reply; undefined when it names no destination. */
export function decodeTcpMetrics(m: MessageView): TcpMetricsEntry | undefined {
  const { attrs: a } = genlDecode(m, tcpMetricsAttrs);
  const d = a.addr_ipv4 ?? a.addr_ipv6;
  if (!d || (d.length !== 4 && d.length !== 16)) return undefined;
  const s = a.saddr_ipv4 ?? a.saddr_ipv6;
  return {
    family: a.addr_ipv4 ? 2 : 10,
    dst: formatAddress(d, 0, d.length),
    source: s && (s.length === 4 || s.length === 16) ? formatAddress(s, 0, s.length) : undefined,
    age: a.age,
    vals: a.vals ?? {},
    raw: a,
  };
}

/** Request attributes naming a destination (and source). */
export function tcpMetricsKey(dst: Buffer, src?: Buffer): TcpMetricsAttrs {
  const k: TcpMetricsAttrs = dst.length === 4 ? { addr_ipv4: dst } : { addr_ipv6: dst };
  if (src) {
    if (src.length === 4) k.saddr_ipv4 = src; else k.saddr_ipv6 = src;
  }
  return k;
}

/** A generic netlink handle on "tcp_metrics". */
export class TcpMetrics implements AsyncDisposable {
  private constructor(private readonly genl: GenericNetlink, readonly family: GenlFamily) {}

  /** Open a socket and resolve the family (rejects with ENOENT if the kernel lacks it). */
  static async open(opts: { netns?: NetnsRef } = {}): Promise<TcpMetrics> {
    const genl = await GenericNetlink.open(opts);
    try {
      return new TcpMetrics(genl, await genl.family(TCP_METRICS_GENL_NAME));
    } catch (e) {
      genl.close();
      throw e;
    }
  }

  /** A request of this family. */
  request(cmd: number, flags: number, attrs: TcpMetricsAttrs): RequestBuilder {
    return genlRequest(this.family.id, cmd, TCP_METRICS_GENL_VERSION, flags, tcpMetricsAttrs, attrs);
  }

  /** Every entry. */
  list(opts: DumpOptions = {}): DumpStream<TcpMetricsEntry> {
    return this.genl.socket.dump(this.request(TCP_METRICS_CMD.GET, NLM_F.DUMP, {}), (m) => {
      if (m.type !== this.family.id) return undefined;
      if (m.len < 4 || m.buf[m.off] !== TCP_METRICS_CMD.GET) return undefined;
      return decodeTcpMetrics(m);
    }, 'list tcp metrics', opts);
  }

  /** The entry of one destination (ENOENT… if none). */
  async get(dst: string, src?: string, opts: RequestOptions = {}): Promise<TcpMetricsEntry | undefined> {
    const m = await this.genl.socket.get(this.request(TCP_METRICS_CMD.GET, NLM_F.ACK, key(dst, src)), 'get tcp metrics', opts);
    return decodeTcpMetrics(m);
  }

  /** Delete the entry of one destination (and source). */
  async del(dst: string, src?: string, opts: RequestOptions = {}): Promise<void> {
    await this.genl.socket.request(this.request(TCP_METRICS_CMD.DEL, NLM_F.ACK, key(dst, src)), 'delete tcp metrics', opts);
  }

  /** Delete every entry. */
  async flush(opts: RequestOptions = {}): Promise<void> {
    await this.genl.socket.request(this.request(TCP_METRICS_CMD.DEL, NLM_F.ACK, {}), 'flush tcp metrics', opts);
  }

  /** Raw request/dump access for callers that build their own (the CLI). */
  get socket(): GenericNetlink['socket'] { return this.genl.socket; }

  close(): void { this.genl.close(); }
  async [Symbol.asyncDispose](): Promise<void> { this.close(); }
}

function key(dst: string, src?: string): TcpMetricsAttrs {
  const d = parseAddress(dst);
  if (!d) throw new ValidationError(`invalid address "${dst}"`);
  let s: Buffer | undefined;
  if (src !== undefined) {
    const p = parseAddress(src);
    if (!p) throw new ValidationError(`invalid address "${src}"`);
    s = p;
  }
  return tcpMetricsKey(d, s);
}
