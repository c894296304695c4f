/**
 * `ip route save`, `ip route restore` and `ip route showdump`: iproute2's
 * binary route dump format, a u32 magic (0x45311224, host order) followed
 * by the RTM_NEWROUTE messages as the kernel sent them.
 * @module
 */
import { readFileSync, writeSync, fstatSync } from 'node:fs';
import { isatty } from 'node:tty';
import { CliError } from '../common/args.js';
import type { CliContext } from '../common/context.js';
import { NetlinkError } from '../../netlink/errors.js';
import { kernelErrorText } from '../common/errors.js';
import { RTM, NLM_F } from '../../netlink/constants.js';
import { RTA } from '../../netlink/rtnetlink/route-schema.js';
import type { MessageView } from '../../netlink/socket.js';

/** route_dump_magic of ip/iproute.c. */
export const ROUTE_DUMP_MAGIC = 0x45311224;

/** Write bytes to stdout unbuffered (a binary stream, like write(STDOUT_FILENO)). */
function writeOut(b: Buffer): void {
  let off = 0;
  while (off < b.length) off += writeSync(1, b, off);
}

/** save_route_prep(): refuse a terminal, then write the magic. */
export function savePrep(ctx: CliContext): void {
  ctx.printer.flush();
  if (isatty(1)) throw new CliError('Not sending a binary stream to stdout', 1);
  const m = Buffer.alloc(4);
  m.writeUInt32LE(ROUTE_DUMP_MAGIC, 0);
  writeOut(m);
}

/** save_route(): one whole message (header included, nlmsg_len bytes). */
export function saveMessage(raw: Buffer): void {
  writeOut(raw.subarray(0, raw.readUInt32LE(0)));
}

/** Read stdin and split the dump into messages (rtnl_from_file); errors as iproute2's. */
function readDump(): Buffer[] {
  if (isatty(0)) throw new CliError("Can't restore route dump from a terminal", 1);
  let data: Buffer;
  try {
    fstatSync(0);
    data = readFileSync(0);
  } catch {
    data = Buffer.alloc(0);
  }
  const magic = data.length >= 4 ? data.readUInt32LE(0) : 0;
  if (magic !== ROUTE_DUMP_MAGIC) {
    throw new CliError(`Magic mismatch (${data.length >= 4 ? 1 : 0} elems, ${magic.toString(16)} magic)`, 1);
  }
  const out: Buffer[] = [];
  let p = 4;
  while (p < data.length) {
    if (data.length - p < 16) throw new CliError('rtnl-from_file: truncated message', 2);
    const len = data.readUInt32LE(p);
    if (len < 16 || len > 16384) throw new CliError(`!!!malformed message: len=${len} @${p + 16}`, 2);
    const aligned = 16 + ((len - 16 + 3) & ~3);
    if (data.length - p < aligned) throw new CliError('rtnl-from_file: truncated message', 2);
    out.push(Buffer.from(data.subarray(p, p + len)));
    p += aligned;
  }
  return out;
}

/** A view of a whole message buffer. */
export function viewOf(raw: Buffer): MessageView {
  return {
    type: raw.readUInt16LE(4), flags: raw.readUInt16LE(6), seq: raw.readUInt32LE(8), pid: raw.readUInt32LE(12),
    buf: raw, off: 16, len: raw.readUInt32LE(0) - 16,
  };
}

/** `ip route showdump`: print every saved route. */
export function showdumpMessages(): Buffer[] {
  return readDump();
}

/** Payload of top-level attribute `type` of a route message, or undefined. */
function attrOf(raw: Buffer, type: number): Buffer | undefined {
  const end = raw.readUInt32LE(0);
  let p = 16 + 12;
  while (end - p >= 4) {
    const alen = raw.readUInt16LE(p);
    if (alen < 4 || alen > end - p) return undefined;
    if ((raw.readUInt16LE(p + 2) & 0x3fff) === type) return raw.subarray(p + 4, p + alen);
    p += (alen + 3) & ~3;
  }
  return undefined;
}

/**
 * `ip route restore`: routes for local addresses first, then local networks,
 * then the rest (those with a gateway), each sent with NLM_F_CREATE; routes
 * that exist already are fine.
 */
export async function restore(ctx: CliContext): Promise<number> {
  const msgs = readDump();
  // iproute2 rewinds stdin for each of its three passes: a pipe fails its ftell().
  let seekable = false;
  try { const st = fstatSync(0); seekable = st.isFile() || st.isBlockDevice(); } catch { seekable = false; }
  if (!seekable) throw new CliError('Failed to restore: ftell: Illegal seek', 1);
  const nl = await ctx.netlink();
  for (let prio = 0; prio < 3; prio++) {
    for (const raw of msgs) {
      const gw = attrOf(raw, RTA.GATEWAY);
      const psrc = attrOf(raw, RTA.PREFSRC);
      const dst = attrOf(raw, RTA.DST);
      const sameAsDst = psrc !== undefined && dst !== undefined && psrc.equals(dst);
      const pick = prio === 0 ? !gw && (!psrc || sameAsDst)
        : prio === 1 ? !gw && psrc !== undefined && !sameAsDst
          : gw !== undefined;
      if (!pick) continue;
      try {
        await nl.socket.request((w, seq) => {
          w.pad4();
          const s = w.offset;
          w.bytes(raw);
          w.buf.writeUInt16LE(raw.readUInt16LE(6) | NLM_F.REQUEST | NLM_F.CREATE | NLM_F.ACK, s + 6);
          w.buf.writeUInt32LE(seq, s + 8);
          w.buf.writeUInt32LE(0, s + 12);
        }, 'restore route');
      } catch (e) {
        if (e instanceof NetlinkError) {
          if (e.code === 'EEXIST') continue;
          ctx.printer.flush();
          process.stderr.write(kernelErrorText(e));
          return 2;
        }
        throw e;
      }
    }
  }
  void RTM;
  return 0;
}
