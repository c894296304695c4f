/**
 * ss's column renderer (misc/ss.c: out/field_next/render): every field is
 * buffered as a token, column widths are measured over everything buffered,
 * then lines are printed with ss's alignment and spacing. When stdout is not
 * a terminal widths are the measured ones ("compact"); on a terminal the
 * spare width is spread over the columns. As in ss, the buffer is rendered
 * early once it holds five 1 MiB chunks (at a line boundary), so very long
 * outputs are aligned per batch exactly as iproute2 aligns them.
 *
 * Tokens are kept as UTF-8 bytes in one growing buffer (as ss keeps them),
 * not as strings: a dump of 100,000 sockets then leaves no long-lived
 * objects for the garbage collector to copy, and widths are byte counts as in
 * ss. Numbers and IPv4 addresses can be written as digits straight into the
 * buffer ({@link ColumnRenderer.outUint}, {@link ColumnRenderer.outIPv4}).
 * @module
 */
import type { Sink } from '../../output/printer.js';

/** Column ids (ss's enum col_id). */
export const COL = { NETID: 0, STATE: 1, RECVQ: 2, SENDQ: 3, ADDR: 4, SERV: 5, RADDR: 6, RSERV: 7, PROC: 8, EXT: 9 } as const;
const COL_MAX = 10;
const LEFT = 0, RIGHT = 2;

interface Column { align: number; header: string; ldelim: string; disabled: boolean; width: number; maxLen: number }

const BUF_CHUNK_DATA = 1024 * 1024 - 16;
const BUF_CHUNKS_MAX = 5;
/** Initial token buffer: a full render batch of ss. */
const DATA_SIZE = (BUF_CHUNKS_MAX + 1) * (BUF_CHUNK_DATA + 16);
/** Initial token count (a batch of -tan lines has about 500,000). */
const TOKENS = 1 << 20;
/** Rendered output is handed to the sink in pieces of about this size (at line ends). */
const OUT_FLUSH = 64 * 1024;
/** Room for a render's output (past the tokens, in the same buffer): a piece and a line. */
const OUT_AREA = OUT_FLUSH + 4096;

/** A sink that also takes bytes (written, or copied, before `writeBytes` returns). */
export interface ByteSink extends Sink {
  writeBytes(b: Uint8Array): void;
}

function isByteSink(s: Sink): s is ByteSink {
  return typeof (s as Partial<ByteSink>).writeBytes === 'function';
}

/** Decimal digits of `n` (a non-negative integer below 2^53). */
function digitCount(n: number): number {
  let d = 1;
  while (n >= 10) { n = Math.floor(n / 10); d++; }
  return d;
}

// Indexes of the state renderRun resumes from and leaves behind: the next token, the output end.
const RS_TOKEN = 0, RS_OUT = 1;

/**
 * Tokens and padding longer than this are moved by one builtin call
 * (copyWithin, fill): from the first line on (before the JIT has compiled
 * the loop) that is far cheaper than a byte loop for `-i`'s long tokens,
 * while short ones (most of `-tan`) stay in the loop.
 */
const BULK = 24;
/**
 * TypedArray's fill (a builtin): Buffer#fill is a JavaScript wrapper that
 * validates its arguments, ~15 times slower per call until V8 compiles it.
 */
const fillBytes = Uint8Array.prototype.fill;

/**
 * Lay out tokens from `st[RS_TOKEN]` into `d[base, base+cap)` from
 * `st[RS_OUT]` (ss's render loop: delimiter, alignment padding, the token, a
 * newline after the last column), until every token is done, the output
 * passes OUT_FLUSH at a line end, or the next token might not fit. The
 * output area is in the token buffer itself, past the tokens, so that a
 * token is copied by `copyWithin` without a view object per call. `st` is
 * kept current on every token instead of being written once at the end:
 * stores after the loop would have no type feedback when V8 compiles the
 * loop, and its compiled code would be thrown away at the end of every run.
 */
function renderRun(d: Buffer, ends: Int32Array, flds: Uint8Array, ntok: number, widths: Int32Array,
  right: Uint8Array, delims: Uint8Array, base: number, cap: number, st: Int32Array): void {
  let k = st[RS_TOKEN]!, p = st[RS_OUT]!;
  // Tokens are back to back; a line has a token when the previous one was not the last column.
  let start = k > 0 ? ends[k - 1]! : 0;
  let line = k > 0 && flds[k - 1] !== COL_MAX - 1 ? 1 : 0;
  const limit = base + cap, flushAt = base + OUT_FLUSH;
  while (k < ntok) {
    const f = flds[k]!;
    const end = ends[k]!;
    const tlen = end - start;
    const w = widths[f]!;
    // Room for delimiter, spacing, the token and a newline.
    if (p + tlen + (w > tlen ? w : 0) + 2 > limit) return;
    let printed = 0;
    if (line && delims[f]) { d[p++] = 32; printed = 1; }
    line = 1;
    if (w && right[f]) {
      const s = w - tlen - printed;
      if (s > BULK) { fillBytes.call(d, 32, p, p + s); p += s; } else for (let i = 0; i < s; i++) d[p++] = 32;
      if (s > 0) printed += s;
    }
    if (tlen > BULK) { d.copyWithin(p, start, end); p += tlen; } else for (let i = start; i < end; i++) d[p++] = d[i]!;
    printed += tlen;
    if (w && !right[f]) {
      const s = w - printed;
      if (s > BULK) { fillBytes.call(d, 32, p, p + s); p += s; } else for (let i = 0; i < s; i++) d[p++] = 32;
    }
    start = end;
    k++;
    if (f === COL_MAX - 1) {
      d[p++] = 10;
      line = 0;
    }
    st[RS_TOKEN] = k;
    st[RS_OUT] = p;
    if (p >= flushAt && !line) return;
  }
}

/** The token buffer and renderer. */
export class ColumnRenderer {
  private readonly cols: Column[] = [
    { align: LEFT, header: 'Netid', ldelim: '', disabled: false, width: 0, maxLen: 0 },
    { align: LEFT, header: 'State', ldelim: ' ', disabled: false, width: 0, maxLen: 0 },
    { align: LEFT, header: 'Recv-Q', ldelim: ' ', disabled: false, width: 0, maxLen: 0 },
    { align: LEFT, header: 'Send-Q', ldelim: ' ', disabled: false, width: 0, maxLen: 0 },
    { align: RIGHT, header: 'Local Address:', ldelim: ' ', disabled: false, width: 0, maxLen: 0 },
    { align: LEFT, header: 'Port', ldelim: '', disabled: false, width: 0, maxLen: 0 },
    { align: RIGHT, header: 'Peer Address:', ldelim: ' ', disabled: false, width: 0, maxLen: 0 },
    { align: LEFT, header: 'Port', ldelim: '', disabled: false, width: 0, maxLen: 0 },
    { align: LEFT, header: 'Process', ldelim: '', disabled: false, width: 0, maxLen: 0 },
    { align: LEFT, header: '', ldelim: '', disabled: false, width: 0, maxLen: 0 },
  ];
  /** Per column: 1 when disabled (checked on every write). */
  private readonly dis = new Uint8Array(COL_MAX);
  /** Token bytes, back to back. */
  private data: Buffer = Buffer.allocUnsafe(0);
  private len = 0;
  /** Per finished token: end offset in `data`, and column. */
  private ends = new Int32Array(0);
  private flds = new Uint8Array(0);
  private ntok = 0;
  /** Where the current (unfinished) token starts in `data`. */
  private tokStart = 0;
  private field = 0;
  // Emulation of ss's chunked token buffer (see out/buf_update/field_flush in ss.c):
  // chunk count, offset of the end of data in the current chunk, and whether
  // the current token is the first of its chunk.
  private chunks = 0;
  private endOff = 0;
  /** 1 when the next token is the first of its chunk. */
  private firstInChunk = 1;
  /** Where a render stands between runs of renderRun (RS_* indexes). */
  private readonly runState = new Int32Array(4);

  /** @param screenWidth the terminal width, or -1 when stdout is not a terminal (compact output). */
  constructor(private readonly sink: Sink, private readonly screenWidth: number) {
    // Room for what ss renders at once (five 1 MiB chunks of tokens) and the
    // output area, and for the tokens of that many -tan lines, from the
    // start: pages never written cost no memory, and growing in the middle
    // of a dump would reach code that V8 compiled without type feedback for
    // it (it throws that code away). The buffers are replaced if they do
    // grow; storing them once more here tells V8 so before any code is
    // optimized: otherwise their first growth throws away every optimized
    // function that assumed them constant.
    this.data = Buffer.allocUnsafe(DATA_SIZE + OUT_AREA);
    this.ends = new Int32Array(TOKENS);
    this.flds = new Uint8Array(TOKENS);
  }

  /** Disable a column (ss disables Netid with one table, State with one state). */
  disable(col: number): void { this.cols[col]!.disabled = true; this.dis[col] = 1; }

  /** Whether column `col` is shown. */
  enabled(col: number): boolean { return this.dis[col] === 0; }

  private reserve(n: number): void {
    if (this.len + n <= this.data.length) return;
    this.grow(n);
  }

  /** {@link reserve} when the buffer is full (out of line: reserve stays small enough to inline everywhere). */
  private grow(n: number): void {
    let size = this.data.length * 2;
    while (size < this.len + n) size *= 2;
    const d = Buffer.allocUnsafe(size);
    this.data.copy(d, 0, 0, this.len);
    this.data = d;
  }

  /** Append text to the current field. */
  out(s: string): void {
    if (this.dis[this.field]) return;
    const n = s.length;
    this.reserve(n * 3);
    const d = this.data;
    let p = this.len;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Non-ASCII from here on: let Buffer encode it (UTF-8, as ss measures bytes).
        p += d.write(i ? s.slice(i) : s, p, 'utf8');
        break;
      }
      d[p++] = c;
    }
    this.len = p;
  }

  /** {@link out} for text known to be ASCII (numbers, fixed words). */
  outA(s: string): void { this.out(s); }

  /** Append one byte (ASCII character code). */
  outByte(c: number): void {
    if (this.dis[this.field]) return;
    this.reserve(1);
    this.data[this.len++] = c;
  }

  /** Append bytes (e.g. a cached word). */
  outBytes(b: Uint8Array): void {
    if (this.dis[this.field]) return;
    this.reserve(b.length);
    // One builtin call: cheap from the first socket on, before the JIT has optimized anything.
    this.data.set(b, this.len);
    this.len += b.length;
  }

  /**
   * For writers that put bytes straight into the current field (see
   * num-bytes.ts): room for `n` more bytes. Returns the token buffer, to be
   * written from {@link tail} and closed with {@link setTail}; null when the
   * field is disabled (its output is dropped). The buffer is only valid
   * until the next call that writes to the renderer.
   */
  room(n: number): Buffer | null {
    if (this.dis[this.field]) return null;
    this.reserve(n);
    return this.data;
  }

  /**
   * The token buffer with room for `n` more bytes, for a writer that puts
   * a line's fields straight into it and ends each with {@link cut} (it
   * must write nothing into a disabled field). Valid until a call that
   * writes through the renderer's other methods, or {@link set}.
   */
  buf(n: number): Buffer {
    this.reserve(n);
    return this.data;
  }

  /** End the current field where direct writes reached (`p`) and move to the next (ss's field_next). */
  cut(p: number): void {
    this.len = p;
    this.next();
  }

  /** Where direct writes into the {@link room} buffer continue. */
  tail(): number { return this.len; }

  /** End of what was written directly into the {@link room} buffer. */
  setTail(p: number): void { this.len = p; }

  /** Append a non-negative integer (below 2^53) in decimal. */
  outUint(n: number): void {
    if (this.dis[this.field]) return;
    this.writeUint(n);
  }

  private writeUint(n: number): void {
    // Most numbers ss prints are short: their digits are written without a loop.
    if (n < 10) {
      this.reserve(1);
      this.data[this.len++] = 48 + n;
      return;
    }
    if (n < 100) {
      this.reserve(2);
      const d = this.data, p = this.len;
      d[p] = 48 + ((n / 10) | 0);
      d[p + 1] = 48 + (n % 10);
      this.len = p + 2;
      return;
    }
    const k = n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : digitCount(n);
    this.reserve(k);
    const d = this.data;
    let p = this.len + k;
    this.len = p;
    if (n < 0x80000000) {
      do { d[--p] = 48 + (n % 10); n = (n / 10) | 0; } while (n);
    } else {
      do { d[--p] = 48 + (n % 10); n = Math.floor(n / 10); } while (n);
    }
  }

  /** `label` (bytes) then a non-negative integer (below 2^53) in decimal. */
  outLabelUint(label: Uint8Array, n: number): void {
    if (this.dis[this.field]) return;
    this.reserve(label.length);
    this.data.set(label, this.len);
    this.len += label.length;
    this.writeUint(n);
  }

  /** Append a signed 32-bit integer in decimal (C's %d of an int). */
  outInt(n: number): void {
    if (this.dis[this.field]) return;
    n |= 0;
    if (n < 0) { this.reserve(1); this.data[this.len++] = 45; n = -n; }
    this.writeUint(n);
  }

  /** C's `%-Nd` of an int: the number, then spaces up to `width` bytes. */
  outIntLeft(n: number, width: number): void {
    if (this.dis[this.field]) return;
    const start = this.len;
    this.outInt(n);
    const pad = width - (this.len - start);
    if (pad > 0) {
      this.reserve(pad);
      for (let i = 0; i < pad; i++) this.data[this.len++] = 32;
    }
  }

  /** Append 4 bytes at `off` as a dotted quad. */
  outIPv4(b: Uint8Array, off: number): void {
    if (this.dis[this.field]) return;
    this.reserve(15);
    for (let i = 0; i < 4; i++) {
      if (i) this.data[this.len++] = 46;
      this.writeUint(b[off + i]!);
    }
  }

  private flushField(): void {
    const f = this.field;
    if (this.dis[f]) return;
    const c = this.cols[f]!;
    const len = this.len - this.tokStart;
    if (len > c.maxLen) c.maxLen = len;
    // ss checks for room on every out() call and moves a token that does not
    // fit (with what it had so far) to a new chunk, unless it is the chunk's
    // first. The outcome only depends on the token's total length, so it is
    // decided here once. Every operation runs for every token, and the
    // conditions only pick between values: a new chunk (after a megabyte of
    // tokens) then finds code V8 compiled with type feedback for it, instead
    // of throwing that code away.
    let chunks = this.chunks, end = this.endOff, first = this.firstInChunk;
    // The first token of a render starts the first chunk.
    const fresh = chunks === 0 ? 1 : 0;
    chunks += fresh;
    end = fresh ? 2 : end;
    first = fresh ? 1 : first;
    // A token that does not fit moves to a new chunk (2 bytes of header, then the token).
    const moved = first === 0 && !(end + len < BUF_CHUNK_DATA) ? 1 : 0;
    const inNew = 2 + len, inSame = end + len;
    chunks += moved;
    end = moved ? inNew : inSame;
    // Then its padding to 2 bytes and the 2-byte length field; no room left: a new chunk.
    const pad = len & 1;
    const full = BUF_CHUNK_DATA - end - pad < 2 ? 1 : 0;
    const after = end + pad + 2;
    chunks += full;
    end = full ? 2 : after;
    first = full;
    this.chunks = chunks;
    this.endOff = end;
    this.firstInChunk = first;
    this.pushToken(f);
  }

  private pushToken(f: number): void {
    const k = this.ntok;
    if (k === this.ends.length) {
      const n = k * 2;
      const e = new Int32Array(n); e.set(this.ends); this.ends = e;
      const g = new Uint8Array(n); g.set(this.flds); this.flds = g;
    }
    this.ends[k] = this.len;
    this.flds[k] = f;
    this.ntok = k + 1;
    this.tokStart = this.len;
  }

  /** Finish the current field and move to the next (ss's field_next). */
  next(): void {
    if (this.field === COL_MAX - 1 && this.chunks >= BUF_CHUNKS_MAX) {
      this.render();
      return;
    }
    this.flushField();
    this.field = this.field === COL_MAX - 1 ? 0 : this.field + 1;
  }

  /** Advance to column `id` (ss's field_set). */
  set(id: number): void {
    while (this.field !== id) this.next();
  }

  /** Print the header line (into the buffer, like ss). */
  header(): void {
    while (this.field !== COL_MAX - 1) {
      const c = this.cols[this.field]!;
      if (!c.disabled) this.out(c.header);
      this.next();
    }
  }

  private calcWidth(): void {
    let screen = this.screenWidth;
    let compact = false;
    if (screen === -1) { screen = 0x7fffffff; compact = true; }
    let first = true;
    for (const c of this.cols) {
      if (c.disabled) continue;
      c.width = !first && c.maxLen ? c.maxLen + c.ldelim.length : c.maxLen;
      c.width = Math.min(c.width, screen);
      if (c.width) first = false;
    }
    if (compact) return;
    let len = 0, linecols = 0, eol = -1;
    for (let i = 0; i < COL_MAX; i++) {
      let c = this.cols[i]!;
      if (!c.width) continue;
      linecols++;
      len += c.width;
      let last = true;
      for (let j = i + 1; j < COL_MAX; j++) if (this.cols[j]!.width) { last = false; break; }
      if (!last && len < screen) continue;
      if (len !== screen) {
        if (len > screen) {
          len -= c.width;
          i--;
          linecols--;
          c = this.cols[i]!;
        }
        const pad = screen - len;
        const spacing = linecols ? Math.floor(pad / linecols) : 0;
        let rem = linecols ? pad % linecols : 0;
        for (let t = i; t > eol; t--) {
          const tc = this.cols[t]!;
          if (!tc.width) continue;
          tc.width += spacing;
          if (rem) { tc.width++; rem--; }
        }
      }
      eol = i;
      len = 0;
      linecols = 0;
    }
  }

  /** Write out what the sink buffered. */
  flushSink(): void { this.sink.flush(); }

  private emit(from: number, to: number): void {
    if (to === from) return;
    const b = this.data.subarray(from, to);
    if (isByteSink(this.sink)) this.sink.writeBytes(b);
    else this.sink.write(b.toString('utf8'));
  }

  /** Print everything buffered and reset (ss's render). */
  render(): void {
    // The current (unfinished) token is printed too, but, as in ss, not measured.
    if (!this.dis[this.field]) this.pushToken(this.field);
    const ntok = this.ntok;
    if (ntok === 0) { this.reset(); return; }
    this.calcWidth();
    const cols = this.cols;
    const widths = new Int32Array(COL_MAX);
    const right = new Uint8Array(COL_MAX);
    const delims = new Uint8Array(COL_MAX);
    for (let i = 0; i < COL_MAX; i++) {
      widths[i] = cols[i]!.width;
      right[i] = cols[i]!.align === RIGHT ? 1 : 0;
      // Every ldelim is '' or ' '.
      delims[i] = cols[i]!.ldelim.length;
    }
    // The output area follows the tokens in the same buffer (8-aligned).
    const base = (this.len + 7) & ~7;
    let cap = OUT_AREA;
    this.reserve(base - this.len + cap);
    // The tokens are laid out by renderRun, a loop without rarely taken
    // branches (so that V8 optimizes it once and keeps it); writing out and
    // growing the output area happen here, between its runs.
    const st = this.runState;
    st.fill(0);
    st[RS_OUT] = base;
    for (;;) {
      renderRun(this.data, this.ends, this.flds, ntok, widths, right, delims, base, cap, st);
      const k = st[RS_TOKEN]!, p = st[RS_OUT]!;
      if (k >= ntok) break;
      if (p >= base + OUT_FLUSH) { this.emit(base, p); st[RS_OUT] = base; continue; }
      // Token k does not fit: an area that holds what is pending and that token.
      const tlen = this.ends[k]! - (k > 0 ? this.ends[k - 1]! : 0);
      cap = Math.max(p - base + tlen + Math.max(widths[this.flds[k]!]!, 0) + 2, cap * 2);
      this.growTo(base + cap, p);
    }
    let p = st[RS_OUT]!;
    if (this.flds[ntok - 1] !== COL_MAX - 1) this.data[p++] = 10;
    this.emit(base, p);
    this.reset();
  }

  /** Make the token buffer `size` bytes, keeping its first `keep`. */
  private growTo(size: number, keep: number): void {
    if (size <= this.data.length) return;
    const d = Buffer.allocUnsafe(size);
    this.data.copy(d, 0, 0, keep);
    this.data = d;
  }

  private reset(): void {
    this.len = 0;
    this.ntok = 0;
    this.tokStart = 0;
    this.field = 0;
    this.chunks = 0;
    this.endOff = 0;
    this.firstInChunk = 1;
  }
}
