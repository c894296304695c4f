/**
 * Text of one TIPC socket, as misc/ss.c's tipc_show_sock prints it:
 * `<node>:<ref>` for the local end, the peer's `<node>:<ref>` or `-`, then
 * `-e` details, `-p` users and the `--tipcinfo` line.
 * @module
 */
import { addrPrint, detailsPrint, procPrint, statePrint, type FormatContext } from './format.js';
import type { TipcSocket } from '../../sockdiag/tipc.js';

/** stype_nameg: ss's names of socket types (index = SOCK_*); its hole at SOCK_RAW prints as glibc prints NULL. */
const STYPE_NAMES: readonly string[] = ['UNKNOWN', 'STREAM', 'DGRAM', '(null)', 'RDM', 'SEQPACKET'];

/** tipc_show_sock */
export function printTipc(ctx: FormatContext, s: TipcSocket): void {
  const r = ctx.r;
  const o = ctx.o;
  statePrint(ctx, s.netid, s);
  addrPrint(r, String(s.node), ':', String(s.ref), null);
  if (s.peer) addrPrint(r, String(s.peer.node), ':', String(s.peer.ref), null);
  else addrPrint(r, '', '-', '', null);
  if (o.details) detailsPrint(ctx, s.uid ?? 0, s.inode, s.cookie, 0, 0n);
  procPrint(ctx, s.inode);
  if (o.tipcinfo) {
    // The kernel has TIPC sockets of these four types only; ss would read past its table for others.
    r.outA(`${o.oneline ? ' ' : '\n '}type:${STYPE_NAMES[s.type] ?? '(null)'}`);
    r.outA(` cong:${s.linkCongested ? 'link' : s.connCongested ? 'conn' : 'none'} `);
    r.outA(` drop:${s.drops | 0} `);
    if (s.published) r.outA(' publ');
    if (s.peer?.service) r.outA(` via {${s.peer.service.type},${s.peer.service.instance}} `);
  }
}
