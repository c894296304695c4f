/**
 * `ip address save | showdump | restore`: iproute2's binary address dump
 * (a magic number, then RTM_NEWADDR messages verbatim).
 * @module
 */
import { CliError } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { ANY, JSON_ONLY } from '../../output/printer.js';
import { rtRequest } from '../../netlink/rtnetlink/request.js';
import { NLM_F, RTM } from '../../netlink/constants.js';
import { NetlinkError } from '../../netlink/errors.js';
import type { Netlink } from '../../netlink/netlink.js';
import { readFileSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { addressMessage } from '../../netlink/rtnetlink/address-schema.js';
import { decodeAddress } from '../../netlink/address.js';
import { kernelErrorText } from '../common/errors.js';
import { nsNameResolver, printAddressLinkInfo, type LinkLineOptions } from './address-link.js';
export { nsNameResolver, printAddressLinkInfo } from './address-link.js';
export type { LinkLineOptions } from './address-link.js';

import { emptyAddrFilter, printAddrInfo, type AddrFilter } from './address-print.js';

/** ipadd_dump_magic: the first 4 bytes of an `ip address save` stream (host order). */
const DUMP_MAGIC = 0x47361222;

/** `ip address save`: the magic, then every dumped RTM_NEWADDR message verbatim. */
export async function save(ctx: CliContext, nl: Netlink, f: AddrFilter): Promise<number> {
  if (isatty(1)) { ctx.warn('Not sending a binary stream to stdout'); return 1; }
  const magic = Buffer.alloc(4);
  magic.writeUInt32LE(DUMP_MAGIC, 0);
  const parts: Buffer[] = [magic];
  const build = rtRequest(addressMessage, RTM.GETADDR, NLM_F.DUMP, { family: ctx.opts.family, prefixlen: 0, flags: 0, scope: 0, index: f.ifindex }, {});
  const stream = nl.socket.dump(build, (m) => Buffer.from(m.buf.subarray(m.off - 16, m.off + m.len)), 'save addresses', { interrupted: 'partial' });
  for await (const b of stream) parts.push(b);
  ctx.printer.flush();
  writeAll(1, Buffer.concat(parts));
  return 0;
}

function writeAll(fd: number, b: Buffer): void {
  for (let off = 0; off < b.length;) {
    try { off += writeSync(fd, b, off); } catch (e) { if ((e as { code?: string }).code !== 'EAGAIN') throw e; }
  }
}

/** ipadd_dump_check_magic() + rtnl_from_file(): the messages of a saved stream on stdin. */
function readDump(ctx: CliContext): Buffer[] {
  if (isatty(0)) throw new CliError("Can't restore address dump from a terminal");
  let data: Buffer;
  try { data = readFileSync(0); } catch { data = Buffer.alloc(0); }
  // fread() of a short stream fills what it got; the rest of `magic` stays zero.
  const head = Buffer.alloc(4);
  data.copy(head, 0, 0, 4);
  const magic = head.readUInt32LE(0);
  if (magic !== DUMP_MAGIC) throw new CliError(`Magic mismatch (${data.length >= 4 ? 1 : 0} elems, ${magic.toString(16)} magic)`);
  const out: Buffer[] = [];
  let p = 4;
  while (p < data.length) {
    if (data.length - p < 16) { ctx.warn('rtnl-from_file: truncated message'); throw new CliError('', 255); }
    const len = data.readUInt32LE(p);
    if (len < 16 || len > 16384) { ctx.warn(`!!!malformed message: len=${len} @${p + 16}`); throw new CliError('', 255); }
    const alen = (len + 3) & ~3;
    if (data.length - p < alen) { ctx.warn('rtnl-from_file: truncated message'); throw new CliError('', 255); }
    out.push(data.subarray(p, p + len));
    p += alen;
  }
  return out;
}

/** `ip address showdump`: print a saved stream. */
export async function showdump(ctx: CliContext): Promise<number> {
  const msgs = readDump(ctx);
  const p = ctx.printer;
  const f = emptyAddrFilter(false);
  p.start();
  p.openObject();
  p.openArray(JSON_ONLY, 'addr_info');
  for (const m of msgs) {
    const a = decodeAddress({ type: m.readUInt16LE(4), flags: m.readUInt16LE(6), seq: 0, pid: 0, buf: m, off: 16, len: m.length - 16 });
    p.openObject();
    p.int(ANY, 'index', 'if%d:', a.index);
    p.nl();
    printAddrInfo(ctx, a, f, (i) => `if${i}`);
    p.closeObject();
  }
  p.closeArray(JSON_ONLY, '');
  p.closeObject();
  p.finish();
  return 0;
}

/** `ip address restore`: re-add every saved address (existing ones are fine). */
export async function restore(ctx: CliContext): Promise<number> {
  const msgs = readDump(ctx);
  const nl = await ctx.netlink();
  for (const m of msgs) {
    try {
      await nl.socket.request((w, seq) => {
        const start = w.offset;
        w.bytes(m);
        w.buf.writeUInt16LE(m.readUInt16LE(6) | NLM_F.REQUEST | NLM_F.CREATE | NLM_F.ACK, start + 6);
        w.buf.writeUInt32LE(seq, start + 8);
        w.buf.writeUInt32LE(0, start + 12);
      }, 'restore address');
    } catch (e) {
      if (e instanceof NetlinkError && e.code === 'EEXIST') continue;
      if (e instanceof NetlinkError) { process.stderr.write(kernelErrorText(e)); return 255; }
      throw e;
    }
  }
  return 0;
}

// ------------------------------------------------------------------ add / change / replace / del
