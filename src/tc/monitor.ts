/**
 * tc notifications (RTNLGRP_TC): qdisc and class changes as a typed async
 * stream, plus the raw messages of filters/actions/chains for their modules.
 *
 * ```ts
 * const ac = new AbortController();
 * for await (const ev of tcMonitor({ netns: 'blue', signal: ac.signal })) {
 *   if (ev.type === 'qdisc') console.log(ev.action, ev.qdisc.kind);
 * }
 * ```
 * @module
 */
import { NetlinkSocket, type MessageView, type NetnsRef } from '../netlink/socket.js';
import { NETLINK, RTM, RTNLGRP } from '../netlink/constants.js';
import { decodeQdisc, type Qdisc } from './qdisc.js';
import { decodeClass, type TcClass } from './class.js';

/** One tc notification. */
export type TcEvent =
  | { readonly type: 'qdisc'; readonly action: 'new' | 'del'; readonly qdisc: Qdisc; readonly message: MessageView }
  | { readonly type: 'class'; readonly action: 'new' | 'del'; readonly tclass: TcClass; readonly message: MessageView }
  /** Filters, chains and actions: decoded by their own modules. */
  | { readonly type: 'other'; readonly message: MessageView }
  /** The kernel dropped notifications (ENOBUFS): re-read state. */
  | { readonly type: 'overflow' };

/** Options of {@link tcMonitor}. */
export interface TcMonitorOptions {
  readonly netns?: NetnsRef;
  readonly signal?: AbortSignal;
}

/** Classify and decode one tc notification. */
export function decodeTcEvent(m: MessageView): TcEvent {
  if (m.type === RTM.NEWQDISC || m.type === RTM.DELQDISC) {
    return { type: 'qdisc', action: m.type === RTM.NEWQDISC ? 'new' : 'del', qdisc: decodeQdisc(m), message: m };
  }
  if (m.type === RTM.NEWTCLASS || m.type === RTM.DELTCLASS) {
    return { type: 'class', action: m.type === RTM.NEWTCLASS ? 'new' : 'del', tclass: decodeClass(m), message: m };
  }
  return { type: 'other', message: m };
}

/** Stream tc notifications until `signal` aborts. Messages are copied, so events stay valid. */
export async function* tcMonitor(opts: TcMonitorOptions = {}): AsyncGenerator<TcEvent, void, undefined> {
  const sock = NetlinkSocket.open(NETLINK.ROUTE, { ...(opts.netns !== undefined ? { netns: opts.netns } : {}), groups: [RTNLGRP.TC] });
  const queue: TcEvent[] = [];
  let wake: (() => void) | null = null;
  const notify = (): void => { const w = wake; wake = null; w?.(); };
  const unsubscribe = sock.subscribe((ev) => {
    if (ev.kind === 'overflow') queue.push({ type: 'overflow' });
    else {
      const m = ev.message;
      const copy: MessageView = { ...m, buf: Buffer.from(m.buf.subarray(m.off, m.off + m.len)), off: 0 };
      try { queue.push(decodeTcEvent(copy)); } catch { queue.push({ type: 'other', message: copy }); }
    }
    notify();
  });
  const onAbort = (): void => notify();
  opts.signal?.addEventListener('abort', onAbort);
  try {
    while (!opts.signal?.aborted) {
      while (queue.length) yield queue.shift()!;
      if (opts.signal?.aborted) break;
      await new Promise<void>((r) => { wake = r; });
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    unsubscribe();
    sock.close();
  }
}
