/**
 * Compiling a {@link FilterExpr} to INET_DIAG bytecode (the kernel's
 * inet_diag_bc_run program), laid out exactly as ss's ssfilter_bytecompile
 * does so the kernel's audit (inet_diag_bc_audit) accepts it and the bytes
 * equal what iproute2 sends for the same expression.
 *
 * Every op is `{ code: u8, yes: u8, no: u16 }` followed by its operand; `yes`
 * is the op's length (fall through on match), `no` the jump on mismatch. A
 * jump to exactly `length + 4` rejects; running off the end accepts.
 * @module
 */
import { INET_DIAG_BC } from './constants.js';
import { AF_INET6, AF_UNIX, AF_PACKET, AF_NETLINK, AF_VSOCK, type FilterExpr } from './filter.js';

function op(code: number, yes: number, no: number): Buffer {
  const b = Buffer.alloc(4);
  b[0] = code; b[1] = yes; b.writeUInt16LE(no, 2);
  return b;
}

/** ssfilter_patch: relocate the external (reject) jumps of the first `len` bytes by `reloc`. */
function patch(a: Buffer, len: number, reloc: number): void {
  let off = 0;
  let rem = len;
  while (rem > 0) {
    const yes = a[off + 1]!;
    const no = a.readUInt16LE(off + 2);
    if (no === rem + 4) a.writeUInt16LE(no + reloc, off + 2);
    rem -= yes;
    off += yes;
    if (yes === 0) throw new Error('bytecode: zero-length op');
  }
  if (rem < 0) throw new Error('bytecode: misaligned op');
}

/** Options for {@link compileBytecode}. */
export interface CompileOptions {
  /**
   * `ss`: give up on the whole expression when any part cannot be expressed
   * (iproute2's behaviour; `dev` is never compiled). `best` (default): compile
   * what can be; an AND with an inexpressible side keeps the other side, so
   * the kernel returns a superset that user-space evaluation then narrows.
   */
  readonly mode?: 'ss' | 'best';
}

/**
 * Compile to bytecode, or null when nothing can be expressed (then the
 * caller filters in user space only). Unix/packet/netlink conditions are
 * never compiled (those families are not filtered by bytecode).
 */
export function compileBytecode(e: FilterExpr, opts: CompileOptions = {}): Buffer | null {
  const best = (opts.mode ?? 'best') === 'best';
  const rec = (x: FilterExpr): Buffer | null => {
    switch (x.type) {
      case 'autobound': return op(INET_DIAG_BC.AUTO, 4, 8);
      case 'src':
      case 'dst': {
        const code = x.type === 'dst' ? INET_DIAG_BC.D_COND : INET_DIAG_BC.S_COND;
        const first = x.conds[0]!;
        if ([AF_UNIX, AF_PACKET, AF_NETLINK, AF_VSOCK].includes(first.family)) return null;
        const alen = first.family === AF_INET6 ? 16 : 4;
        const oplen = alen + 4 + 8;
        let len = 0;
        x.conds.forEach((_, i) => { len += oplen + (i < x.conds.length - 1 ? 4 : 0); });
        const out = Buffer.alloc(len);
        let p = 0;
        x.conds.forEach((c, i) => {
          op(code, oplen, oplen + 4).copy(out, p);
          out[p + 4] = first.family;
          out[p + 5] = c.prefixLen;
          out.writeInt32LE(c.port, p + 8);
          Buffer.from(c.addr.buffer, c.addr.byteOffset, alen).copy(out, p + 12);
          p += oplen;
          if (i < x.conds.length - 1) {
            op(INET_DIAG_BC.JMP, 4, len - p).copy(out, p);
            p += 4;
          }
        });
        return out;
      }
      case 'dport-ge': case 'dport-le': case 'sport-ge': case 'sport-le': {
        const code = { 'dport-ge': INET_DIAG_BC.D_GE, 'dport-le': INET_DIAG_BC.D_LE, 'sport-ge': INET_DIAG_BC.S_GE, 'sport-le': INET_DIAG_BC.S_LE }[x.type];
        return Buffer.concat([op(code, 8, 12), op(0, 0, x.port & 0xffff)]);
      }
      case 'and': {
        const a1 = rec(x.left);
        const a2 = rec(x.right);
        if (!a1 || !a2) return best ? (a1 ?? a2) : null;
        const a = Buffer.concat([a1, a2]);
        patch(a, a1.length, a2.length);
        return a;
      }
      case 'or': {
        const a1 = rec(x.left);
        const a2 = rec(x.right);
        if (!a1 || !a2) return null;
        return Buffer.concat([a1, op(INET_DIAG_BC.JMP, 4, a2.length + 4), a2]);
      }
      case 'not': {
        const a1 = rec(x.expr);
        if (!a1) return null;
        return Buffer.concat([a1, op(INET_DIAG_BC.JMP, 4, 8)]);
      }
      case 'dev': {
        if (!best) return null;
        const b = Buffer.alloc(8);
        op(INET_DIAG_BC.DEV_COND, 8, 12).copy(b, 0);
        b.writeUInt32LE(x.ifindex >>> 0, 4);
        return b;
      }
      case 'fwmark': {
        const b = Buffer.alloc(12);
        op(INET_DIAG_BC.MARK_COND, 12, 16).copy(b, 0);
        b.writeUInt32LE(x.mark >>> 0, 4);
        b.writeUInt32LE(x.mask >>> 0, 8);
        return b;
      }
      case 'cgroup': {
        const b = Buffer.alloc(12);
        op(INET_DIAG_BC.CGROUP_COND, 12, 16).copy(b, 0);
        b.writeBigUInt64LE(BigInt.asUintN(64, x.id), 4);
        return b;
      }
    }
  };
  const r = rec(e);
  // The kernel limits the attribute to 64 KiB and `yes` jumps to 255 bytes; longer programs stay in user space.
  if (r && r.length > 65000) return null;
  return r;
}

/** Entry fields the bytecode interpreter reads (the kernel's struct inet_diag_entry). */
export interface BytecodeEntry {
  readonly family: number;
  readonly saddr: Uint8Array;
  readonly daddr: Uint8Array;
  readonly sport: number;
  readonly dport: number;
  readonly ifindex: number;
  readonly mark: number;
  readonly cgroupId: bigint;
  /** SOCK_BINDPORT_LOCK set in sk_userlocks (the port was bound explicitly). */
  readonly portLocked: boolean;
}

function bitsEqual(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const full = bits >> 3;
  for (let i = 0; i < full; i++) if (a[i] !== b[i]) return false;
  const rem = bits & 7;
  return rem === 0 || (((a[full]! ^ b[full]!) & ((0xff << (8 - rem)) & 0xff)) === 0);
}

/**
 * Run a program as the kernel's inet_diag_bc_run does (for tests and for
 * applying bytecode to sockets read from a dump file).
 */
export function runBytecode(bc: Buffer, e: BytecodeEntry): boolean {
  let off = 0;
  let len = bc.length;
  while (len > 0) {
    const code = bc[off]!;
    const yesLen = bc[off + 1]!;
    const no = bc.readUInt16LE(off + 2);
    let yes = true;
    switch (code) {
      case INET_DIAG_BC.NOP: break;
      case INET_DIAG_BC.JMP: yes = false; break;
      case INET_DIAG_BC.S_EQ: yes = e.sport === bc.readUInt16LE(off + 6); break;
      case INET_DIAG_BC.S_GE: yes = e.sport >= bc.readUInt16LE(off + 6); break;
      case INET_DIAG_BC.S_LE: yes = e.sport <= bc.readUInt16LE(off + 6); break;
      case INET_DIAG_BC.D_EQ: yes = e.dport === bc.readUInt16LE(off + 6); break;
      case INET_DIAG_BC.D_GE: yes = e.dport >= bc.readUInt16LE(off + 6); break;
      case INET_DIAG_BC.D_LE: yes = e.dport <= bc.readUInt16LE(off + 6); break;
      case INET_DIAG_BC.AUTO: yes = !e.portLocked; break;
      case INET_DIAG_BC.S_COND:
      case INET_DIAG_BC.D_COND: {
        const family = bc[off + 4]!;
        const plen = bc[off + 5]!;
        const port = bc.readInt32LE(off + 8);
        const caddr = bc.subarray(off + 12, off + yesLen);
        const isS = code === INET_DIAG_BC.S_COND;
        if (port !== -1 && port !== (isS ? e.sport : e.dport)) { yes = false; break; }
        const addr = isS ? e.saddr : e.daddr;
        if (family !== 0 && family !== e.family) {
          yes = false;
          if (e.family === AF_INET6 && family === 2) {
            let mapped = addr[10] === 0xff && addr[11] === 0xff;
            for (let i = 0; i < 10; i++) if (addr[i] !== 0) mapped = false;
            if (mapped && bitsEqual(addr.subarray(12), caddr, plen)) yes = true;
          }
          break;
        }
        if (plen === 0) break;
        yes = bitsEqual(addr, caddr, plen);
        break;
      }
      case INET_DIAG_BC.DEV_COND: yes = e.ifindex === bc.readUInt32LE(off + 4); break;
      case INET_DIAG_BC.MARK_COND: yes = ((e.mark & bc.readUInt32LE(off + 8)) >>> 0) === bc.readUInt32LE(off + 4); break;
      case INET_DIAG_BC.CGROUP_COND: yes = e.cgroupId === bc.readBigUInt64LE(off + 4); break;
      default: throw new Error(`bytecode: unknown op ${code}`);
    }
    const step = yes ? yesLen : no;
    len -= step;
    off += step;
  }
  return len === 0;
}
