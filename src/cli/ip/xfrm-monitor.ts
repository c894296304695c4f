/**
 * `ip xfrm monitor [nokeys] [all | OBJECTS]`: print XFRM notifications as
 * iproute2's ip/xfrm_monitor.c does (states and policies with the list
 * printers, flushes, acquires, reports, async events, mappings).
 * @module
 */
import { CliError, matches } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkSocket, type MessageView } from '../../netlink/socket.js';
import { NETLINK } from '../../netlink/constants.js';
import { XFRM_MSG, XFRMNLGRP, xfrmAcquireMessage, xfrmAttrs, xfrmSelector, xfrmUsersaId, xfrmUserpolicyDefault } from '../../netlink/xfrm-schema.js';
import { xfrmProtoName } from '../../netlink/xfrm.js';
import { LinkMap } from './ll-map.js';
import { XfrmOut, addrText, strxfProto, hex8 } from './xfrm-print.js';
import { printStateMessage } from './xfrm-state.js';
import { printPolicyMessage } from './xfrm-policy.js';
import { formatTimestamp } from './monitor.js';

const USAGE = `Usage: ip xfrm monitor [ nokeys ] [ all-nsid ] [ all | OBJECTS | help ]
OBJECTS := { acquire | expire | SA | aevent | policy | report }`;


/** One notification as xfrm_accept_msg() prints it. */
export function printXfrmEvent(out: XfrmOut, m: MessageView, nokeys: boolean): void {
  const sl = out.sl;
  switch (m.type) {
    case XFRM_MSG.NEWSA: case XFRM_MSG.DELSA: case XFRM_MSG.UPDSA: case XFRM_MSG.EXPIRE:
      printStateMessage(out, m, undefined, false);
      return;
    case XFRM_MSG.NEWPOLICY: case XFRM_MSG.DELPOLICY: case XFRM_MSG.UPDPOLICY: case XFRM_MSG.POLEXPIRE:
      printPolicyMessage(out, m, undefined);
      return;
    case XFRM_MSG.ACQUIRE: {
      const { header: x, attrs } = xfrmAcquireMessage.decode(m.buf, m.off, m.len);
      const family = x.sel.family || x.policy.sel.family || out.o.family;
      out.w(`acquire proto ${xfrmProtoName(x.id.proto)} `);
      if (out.o.stats > 0 || x.id.spi) {
        out.w(`spi 0x${hex8(x.id.spi)}`);
        if (out.o.stats > 0) out.w(`(${x.id.spi >>> 0})`);
        out.w(' ');
      }
      out.w(sl);
      out.selector(x.sel, family, '  sel ');
      out.policyInfo(x.policy, attrs, '  policy ');
      if (out.o.stats > 0) {
        out.w(`  seq 0x${String(x.seq >>> 0).padStart(8, '0')} `);
        out.w(`enc-mask ${hex8(x.ealgos)} auth-mask ${hex8(x.aalgos)} comp-mask ${hex8(x.calgos)}`);
      }
      out.w(sl);
      if (sl !== '\n') out.w('\n');
      return;
    }
    case XFRM_MSG.FLUSHSA:
      out.w(`Flushed state proto ${xfrmProtoName(m.len > 0 ? m.buf[m.off]! : 0)}${sl}`);
      if (sl !== '\n') out.w('\n');
      return;
    case XFRM_MSG.FLUSHPOLICY: {
      const a = xfrmAttrs.decode(m.buf, m.off, m.len, {});
      out.w('Flushed policy ');
      if (a.policy_type) out.w(`ptype ${a.policy_type.type === 0 ? 'main' : a.policy_type.type === 1 ? 'sub' : String(a.policy_type.type)} `);
      out.w(sl);
      if (sl !== '\n') out.w('\n');
      return;
    }
    case XFRM_MSG.REPORT: {
      const proto = m.buf[m.off]!;
      const sel = xfrmSelector.decode(m.buf, m.off + 4, m.len - 4);
      const family = sel.family || out.o.family;
      out.w(`report proto ${xfrmProtoName(proto)} ${sl}`);
      out.selector(sel, family, '  sel ');
      out.xfrma(xfrmAttrs.decode(m.buf, m.off + 60, Math.max(0, m.len - 60), {}), family, '  ', nokeys);
      if (sl !== '\n') out.w('\n');
      return;
    }
    case XFRM_MSG.NEWAE: {
      const id = xfrmUsersaId.decode(m.buf, m.off, m.len);
      const saddr = Buffer.from(m.buf.subarray(m.off + 24, m.off + 40));
      const flags = m.buf.readUInt32LE(m.off + 40), reqid = m.buf.readUInt32LE(m.off + 44);
      out.w(`Async event  (0x${flags.toString(16)}) `);
      if (flags & 16) out.w(' replay update ');
      if (flags & 32) out.w(' timer expired ');
      if (flags & 64) out.w(' policy updated ');
      out.w(`\n\tsrc ${addrText(id.family, saddr)} dst ${addrText(id.family, id.daddr)}  reqid 0x${reqid.toString(16)} protocol ${strxfProto(id.proto)}  SPI 0x${id.spi.toString(16)}\n`);
      return;
    }
    case XFRM_MSG.MAPPING: {
      const id = xfrmUsersaId.decode(m.buf, m.off, m.len);
      const reqid = m.buf.readUInt32LE(m.off + 24);
      const olds = Buffer.from(m.buf.subarray(m.off + 28, m.off + 44)), news = Buffer.from(m.buf.subarray(m.off + 44, m.off + 60));
      const oport = m.buf.readUInt16BE(m.off + 60), nport = m.buf.readUInt16BE(m.off + 62);
      out.w(`Mapping change ${addrText(id.family, olds)}:${oport} -> ${addrText(id.family, news)}:${nport}\n\t`);
      out.w(`dst ${addrText(id.family, id.daddr)}  reqid 0x${reqid.toString(16)} protocol ${strxfProto(id.proto)}  SPI 0x${id.spi.toString(16)}\n`);
      return;
    }
    case XFRM_MSG.GETDEFAULT: {
      const d = xfrmUserpolicyDefault.decode(m.buf, m.off, m.len);
      const n = (v: number): string => ['unspec', 'block', 'accept'][v] ?? 'unknown';
      out.w(`Default policies:\n in:  ${n(d.in)}\n fwd: ${n(d.fwd)}\n out: ${n(d.out)}\n`);
      return;
    }
    default:
      if (m.type > 3) out.w(`Unknown message: ${String(m.len + 16).padStart(8, '0')} 0x${hex8(m.type)} 0x${hex8(m.flags)}\n`);
  }
}

/** `ip xfrm monitor …` (do_xfrm_monitor) */
export async function doXfrmMonitor(ctx: CliContext, argv: readonly string[]): Promise<number> {
  let nokeys = false;
  const groups = new Set<number>();
  let all = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (matches(a, 'file')) throw new CliError('ip xfrm monitor file: not supported by rip yet', 1);
    else if (a === 'nokeys') nokeys = true;
    else if (a === 'all') { /* the default */ }
    else if (matches(a, 'all-nsid')) throw new CliError('ip xfrm monitor all-nsid: not supported by rip yet', 1);
    else if (matches(a, 'acquire')) { all = false; groups.add(XFRMNLGRP.ACQUIRE); }
    else if (matches(a, 'expire')) { all = false; groups.add(XFRMNLGRP.EXPIRE); }
    else if (matches(a, 'SA')) { all = false; groups.add(XFRMNLGRP.SA); }
    else if (matches(a, 'aevent')) { all = false; groups.add(XFRMNLGRP.AEVENTS); }
    else if (matches(a, 'policy')) { all = false; groups.add(XFRMNLGRP.POLICY); }
    else if (matches(a, 'report')) { all = false; groups.add(XFRMNLGRP.REPORT); }
    else if (matches(a, 'help')) throw new CliError(USAGE);
    else throw new CliError(`Argument "${a}" is unknown, try "ip xfrm monitor help".`);
  }
  // iproute2 binds to every group (~0) unless objects were named.
  const join = all ? Array.from({ length: 32 }, (_, i) => i + 1).filter((g) => g <= XFRMNLGRP.MAPPING) : [...groups];
  const links = await LinkMap.load(ctx);
  const sock = NetlinkSocket.open(NETLINK.XFRM, { ...(ctx.opts.netns !== undefined ? { netns: ctx.opts.netns } : {}), groups: join });
  const out = new XfrmOut({ stats: ctx.opts.stats, sl: ctx.opts.oneline ? '\\' : '\n', family: ctx.opts.family, ifname: (i) => links.name(i) });
  await new Promise<void>((resolve) => {
    const stop = (): void => { unsub(); resolve(); };
    const unsub = sock.subscribe((ev) => {
      if (ev.kind !== 'message') return;
      if (ctx.opts.timestamp) out.w(formatTimestamp(new Date(), ctx.opts.timestamp > 1));
      printXfrmEvent(out, ev.message, nokeys);
      ctx.sink.write(out.text);
      ctx.sink.flush();
      out.text = '';
    });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  sock.close();
  return 0;
}
