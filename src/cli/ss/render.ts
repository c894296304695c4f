/**
 * ss's column renderer (misc/ss.c: out/field_next/render): every field is
 * buffered as a token, column widths are measured over everything buffered,
 * then lines are printed with ss's alignment and spacing. When stdout is not
 * a terminal widths are the measured ones ("compact"); on a terminal the
 * spare width is spread over the columns. As in ss, the buffer is rendered
 * early once it holds five 1 MiB chunks (at a line boundary), so very long
 * outputs are aligned per batch exactly as iproute2 aligns them.
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

const SPACES: string[] = [];
function spaces(n: number): string {
  if (n < 256) return (SPACES[n] ??= ' '.repeat(n));
  return ' '.repeat(n);
}

const NON_ASCII = /[^\x00-\x7f]/;
function byteLen(s: string): number {
  return NON_ASCII.test(s) ? Buffer.byteLength(s) : s.length;
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
  /** Finished tokens: text and column, in order. */
  private texts: string[] = [];
  private fields: number[] = [];
  private lens: number[] = [];
  private cur = '';
  private field = 0;
  // Emulation of ss's chunked token buffer (see out/buf_update/field_flush in ss.c):
  // chunk count, offset of the end of data in the current chunk, length of the
  // current token, and whether it is the first token of its chunk.
  private chunks = 0;
  private endOff = 0;
  private curLen = 0;
  private firstInChunk = true;

  /** @param screenWidth the terminal width, or -1 when stdout is not a terminal (compact output). */
  constructor(private readonly sink: Sink, private readonly screenWidth: number) {}

  /** Disable a column (ss disables Netid with one table, State with one state). */
  disable(col: number): void { this.cols[col]!.disabled = true; }

  /** Append to the current field. */
  out(s: string): void {
    this.outLen(s, byteLen(s));
  }

  /** {@link out} for text known to be ASCII (numbers, fixed words): no byte counting. */
  outA(s: string): void {
    this.outLen(s, s.length);
  }

  private outLen(s: string, len: number): void {
    if (this.cols[this.field]!.disabled) return;
    if (this.chunks === 0) this.newChunk(0);
    if (!(len < BUF_CHUNK_DATA - this.endOff) && !this.firstInChunk) {
      // The token does not fit: ss moves it (with what it had so far) to a new chunk.
      this.newChunk(this.curLen);
    }
    this.endOff += len;
    this.curLen += len;
    this.cur += s;
  }

  private newChunk(carried: number): void {
    this.chunks++;
    this.endOff = 2 + carried;
    this.firstInChunk = true;
  }

  private flushField(): void {
    const c = this.cols[this.field]!;
    if (c.disabled) return;
    const len = this.curLen;
    if (len > c.maxLen) c.maxLen = len;
    if (this.chunks === 0) this.newChunk(0);
    const pad = len % 2;
    if (BUF_CHUNK_DATA - this.endOff - pad < 2) {
      this.newChunk(0);
    } else {
      this.endOff += pad + 2;
      this.firstInChunk = false;
    }
    this.curLen = 0;
    this.texts.push(this.cur);
    this.lens.push(len);
    this.fields.push(this.field);
    this.cur = '';
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

  /** Print everything buffered and reset (ss's render). */
  render(): void {
    // The current (unflushed) token is printed too, but, as in ss, not measured.
    const texts = this.texts; const fields = this.fields; const lens = this.lens;
    const c0 = this.cols[this.field]!;
    if (!c0.disabled) {
      texts.push(this.cur); fields.push(this.field); lens.push(this.curLen);
    }
    if (texts.length === 0) { this.reset(); return; }
    this.calcWidth();
    const parts: string[] = [];
    let lineStarted = false;
    let f = 0;
    while (this.cols[f]!.disabled || !this.cols[f]!.width) { f++; if (f >= COL_MAX) { f = 0; break; } }
    f = fields[0]!;
    for (let k = 0; k < texts.length; k++) {
      const col = this.cols[fields[k]!]!;
      f = fields[k]!;
      let printed = 0;
      if (lineStarted) { parts.push(col.ldelim); printed = col.ldelim.length; }
      lineStarted = true;
      const tlen = lens[k]!;
      if (col.width && col.align === RIGHT) {
        const s = col.width - tlen - printed;
        if (s > 0) { parts.push(spaces(s)); printed += s; }
      }
      parts.push(texts[k]!);
      printed += tlen;
      if (col.width && col.align === LEFT) {
        const s = col.width - printed;
        if (s > 0) parts.push(spaces(s));
      }
      if (f === COL_MAX - 1) { parts.push('\n'); lineStarted = false; }
      if (parts.length > 4096) { this.sink.write(parts.join('')); parts.length = 0; }
    }
    if (lineStarted) parts.push('\n');
    this.sink.write(parts.join(''));
    this.reset();
  }

  private reset(): void {
    this.texts = []; this.fields = []; this.lens = [];
    this.cur = '';
    this.field = 0;
    this.chunks = 0;
    this.endOff = 0;
    this.curLen = 0;
    this.firstInChunk = true;
  }
}
