/**
 * The dump loop of `tc qdisc show` and `tc class show`: each reply goes to
 * the byte-level renderer (show-fast.ts) when there is one, else to the
 * command's printer, in the order the kernel sent them.
 *
 * With the byte renderer, the dump runs synchronously on the native reader
 * ({@link NetlinkSocket.dumpSync}): the kernel fills the next datagrams on
 * another core while this thread prints the ones received, instead of the
 * two taking turns. Messages whose kind module is not loaded yet (loading is
 * asynchronous) are copied and printed after the dump, together with every
 * message after them, so the order stays the kernel's; the kinds that have
 * byte renderers are loaded before the dump so that this stays rare.
 * @module
 */
import type { MessageView, NetlinkSocket, RequestBuilder } from '../../netlink/socket.js';
import type { Printer } from '../../output/printer.js';
import { ByteWriter } from '../../output/bytes.js';
import { ensureKinds, ensureKindsOf, kindReady } from './common.js';
import { FAST_TEXT_KINDS, OUT_FLUSH } from './show-fast.js';

/** One message through the byte renderer into `out`: false when it declines (nothing written). */
export type FastLine = (out: ByteWriter, m: MessageView) => boolean;

/** A message in a buffer of its own (4-aligned, as the byte readers want), valid after a dumpSync callback. */
function copyMessage(m: MessageView): MessageView {
  // Buffer.alloc is never pooled: its memory starts 8-aligned.
  const buf = Buffer.alloc(m.len);
  m.buf.copy(buf, 0, m.off, m.off + m.len);
  return { type: m.type, flags: m.flags, seq: m.seq, pid: m.pid, buf, off: 0, len: m.len };
}

/**
 * Run the dump built by `build` and print every reply: through `fast` when
 * given and it accepts the message, else through `print` (after loading the
 * message's kind module). Throws what the dump throws (NetlinkError); the
 * printer's sink has everything printed before the error.
 */
export async function showDump(sock: NetlinkSocket, build: RequestBuilder, operation: string, p: Printer,
  print: (m: MessageView) => void, fast?: FastLine): Promise<void> {
  const out = new ByteWriter(OUT_FLUSH + 4096);
  try {
    if (fast) {
      await ensureKinds(FAST_TEXT_KINDS);
      let later: MessageView[] | undefined;
      let ran: boolean;
      let failed = false;
      let error: unknown;
      try {
        ran = sock.dumpSync(build, operation, (m) => {
          if (later === undefined) {
            if (fast(out, m)) {
              if (out.pos >= OUT_FLUSH) out.flushTo(p.sink);
              return;
            }
            if (kindReady(m)) {
              out.flushTo(p.sink);
              print(m);
              return;
            }
            later = [];
          }
          later.push(copyMessage(m));
        });
      } catch (e) {
        // What was received before the error is printed first, as the stream path does.
        ran = true;
        failed = true;
        error = e;
      }
      if (ran) {
        if (later) await printAll(later, p, out, print, fast);
        if (failed) throw error;
        return;
      }
    }
    const stream = sock.dump<MessageView>(build, (m) => m, operation, { interrupted: 'partial' });
    for await (const batch of stream.batches()) await printAll(batch, p, out, print, fast);
  } finally {
    out.flushTo(p.sink);
  }
}

/** Print messages in order (received by the stream, or kept from a dumpSync). */
async function printAll(batch: readonly MessageView[], p: Printer, out: ByteWriter, print: (m: MessageView) => void, fast?: FastLine): Promise<void> {
  // The byte renderer only takes kinds already loaded; what it declines may need a kind module first.
  if (!fast) await ensureKindsOf(batch);
  for (const m of batch) {
    if (fast) {
      if (fast(out, m)) {
        if (out.pos >= OUT_FLUSH) out.flushTo(p.sink);
        continue;
      }
      // The printer's text goes after the bytes written so far.
      out.flushTo(p.sink);
      await ensureKindsOf([m]);
    }
    print(m);
  }
}
