/**
 * Shared bits of the ip neigh/rule/nexthop golden tests: the capture
 * namespace's ifindexes, splitting a captured command line, and building a
 * request into bytes.
 */
import { Writer } from '../../src/netlink/codec/writer.js';
import type { RequestBuilder } from '../../src/netlink/socket.js';

/** ifindexes in a capture namespace: lo 1, then the veth pair (veth1 2, veth0 3). */
export const CAPTURE_IFINDEX: Readonly<Record<string, number>> = { lo: 1, veth1: 2, veth0: 3 };

/** `ip [-4|-6] OBJECT VERB ARGS…` → family, verb and the rest. */
export function splitCommand(cmd: string): { family: number; verb: string; rest: string[] } {
  const words = cmd.split(' ').slice(1);
  let family = 0;
  while (words[0]?.startsWith('-')) {
    const o = words.shift()!;
    family = o === '-4' ? 2 : o === '-6' ? 10 : family;
  }
  words.shift(); // object
  return { family, verb: words.shift()!, rest: words };
}

export function bytesOf(build: RequestBuilder): Buffer {
  const w = new Writer();
  build(w, 0);
  return w.toBuffer();
}


/**
 * A copy of a netlink message with attribute alignment padding zeroed
 * (recursing into NLA_F_NESTED attributes). iproute2 builds some requests in
 * uninitialised stack buffers, so the padding after e.g. a u8 attribute is
 * whatever was on its stack; those bytes mean nothing to the kernel.
 */
export function zeroPadding(msg: Buffer, familyHeaderLen: number): Buffer {
  const b = Buffer.from(msg);
  const walk = (off: number, end: number): void => {
    let p = off;
    while (end - p >= 4) {
      const len = b.readUInt16LE(p);
      if (len < 4 || len > end - p) return;
      if (b.readUInt16LE(p + 2) & 0x8000) walk(p + 4, p + len);
      const padded = Math.min(end, p + ((len + 3) & ~3));
      b.fill(0, p + len, padded);
      p = padded;
    }
  };
  walk(16 + ((familyHeaderLen + 3) & ~3), b.length);
  return b;
}
