/**
 * One printing call per field for both text and JSON, as iproute2's
 * json_print does: `p.string(ANY, 'ifname', '%s: ', name)` prints
 * `lo: ` in text mode and `"ifname":"lo"` in JSON mode. The JSON writer
 * reproduces iproute2's json_writer byte for byte (separators, `-p`
 * indentation, arrays as `[ "a","b" ]` when pretty).
 * @module
 */
import { writeSync } from 'node:fs';
import { sprintf, type PrintfArg } from './printf.js';
import { COLOR_NONE, COLOR_RESET, type ColorAttr, type Palette } from './color.js';

/** Where a field goes: text only, JSON only, or both (iproute2's PRINT_FP/JSON/ANY). */
export const FP = 1;
export const JSON_ONLY = 2;
export const ANY = 4;
export type OutputType = typeof FP | typeof JSON_ONLY | typeof ANY;

/** Destination of printed text; buffered, flushed in large writes. */
export interface Sink {
  write(s: string): void;
  flush(): void;
}

/** A sink writing to a file descriptor (default stdout) in 64 KiB chunks. */
export class FdSink implements Sink {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly fd = 1, private readonly threshold = 64 * 1024) {}
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= this.threshold) this.flush();
  }
  flush(): void {
    if (!this.parts.length) return;
    const buf = Buffer.from(this.parts.join(''));
    this.parts = [];
    this.size = 0;
    this.writeAll(buf);
  }
  /** Write `b` at once, after any text written before (so `b` may be reused by the caller). */
  writeBytes(b: Uint8Array): void {
    this.flush();
    this.writeAll(b);
  }
  /** Write all of `buf` now; a closed pipe (`ip … | head`) ends output quietly, as SIGPIPE does in C. */
  protected writeAll(buf: Uint8Array): void {
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EPIPE') return;
        throw e;
      }
    }
  }
}

/** A sink collecting into a string (tests, library use). */
export class StringSink implements Sink {
  private parts: string[] = [];
  write(s: string): void { this.parts.push(s); }
  flush(): void {}
  toString(): string { return this.parts.join(''); }
}

/** Printer options. */
export interface PrinterOptions {
  readonly json?: boolean;
  readonly pretty?: boolean;
  /** Line separator in text mode: "\n", or "\\" for iproute2's -oneline. */
  readonly lineSep?: string;
  /** Colours of text output (see color.ts); undefined (the default) prints no colour. */
  readonly palette?: Palette;
}

/** Escaped JSON keys with their separator, by key: the same few keys are written for every object. */
const KEYS = new Map<string, string>();
const PRETTY_KEYS = new Map<string, string>();

/** The iproute2-style field printer. */
export class Printer {
  readonly json: boolean;
  readonly pretty: boolean;
  readonly lineSep: string;
  /** The text colours, or undefined when colour is off (always off in JSON mode). */
  readonly palette: Palette | undefined;
  private depth = 0;
  private sep = '';
  private jsonActive = false;

  constructor(readonly sink: Sink, opts: PrinterOptions = {}) {
    this.json = opts.json ?? false;
    this.pretty = opts.pretty ?? false;
    this.lineSep = opts.lineSep ?? '\n';
    this.palette = this.json ? undefined : opts.palette;
  }

  // ----- JSON writer (lib/json_writer.c) -----
  private eol(): void {
    if (!this.pretty) return;
    this.sink.write('\n' + '    '.repeat(this.depth));
  }
  private eor(): void {
    if (this.sep) this.sink.write(this.sep);
    this.sep = ',';
  }
  private begin(c: string): void {
    this.eor();
    this.sink.write(c);
    this.depth++;
    this.sep = '';
  }
  private end(c: string): void {
    this.depth--;
    if (this.sep) this.eol();
    this.sink.write(c);
    this.sep = ',';
  }
  private name(key: string): void {
    this.eor();
    this.eol();
    this.sep = '';
    let k = (this.pretty ? PRETTY_KEYS : KEYS).get(key);
    if (k === undefined) {
      k = jsonString(key) + (this.pretty ? ': ' : ':');
      const cache = this.pretty ? PRETTY_KEYS : KEYS;
      if (cache.size < 4096) cache.set(key, k); // keys come from code; the cap only guards odd callers
    }
    this.sink.write(k);
  }
  private raw(s: string): void {
    this.eor();
    this.sink.write(s);
  }
  private startArray(): void {
    this.begin('[');
    if (this.pretty) this.sink.write(' ');
  }
  private endArray(): void {
    if (this.pretty && this.sep) this.sink.write(' ');
    this.sep = '';
    this.end(']');
  }

  private isJson(t: OutputType): boolean { return this.jsonActive && (t & (JSON_ONLY | ANY)) !== 0; }
  private isFp(t: OutputType): boolean { return !this.jsonActive && (t & (FP | ANY)) !== 0; }

  /** new_json_obj(): in JSON mode, open the top-level array. */
  start(withArray = true): void {
    if (!this.json) return;
    this.jsonActive = true;
    if (withArray) this.startArray();
  }

  /** delete_json_obj(): close the top-level array, end with a newline, flush. */
  finish(withArray = true): void {
    if (this.jsonActive) {
      if (withArray) this.endArray();
      this.sink.write('\n');
      this.jsonActive = false;
      this.depth = 0;
      this.sep = '';
    }
    this.sink.flush();
  }

  /** Whether JSON output is active (is_json_context()). */
  get inJson(): boolean { return this.jsonActive; }

  openObject(key?: string): void {
    if (!this.jsonActive) return;
    if (key) this.name(key);
    this.begin('{');
  }
  closeObject(): void {
    if (this.jsonActive) this.end('}');
  }
  openArray(t: OutputType, key: string): void {
    if (this.isJson(t)) {
      if (key) this.name(key);
      this.startArray();
    } else if (this.isFp(t)) {
      this.sink.write(key);
    }
  }
  closeArray(t: OutputType, str: string): void {
    if (this.isJson(t)) this.endArray();
    else if (this.isFp(t)) this.sink.write(str);
  }

  /** print_string: a null key with a value prints an array element; a key with null value prints just the name. */
  string(t: OutputType, key: string | null, fmt: string, value: string | null): void {
    if (this.isJson(t)) {
      if (key !== null && value === null) this.name(key);
      else if (key === null) this.raw(jsonString(value ?? ''));
      else { this.name(key); this.raw(jsonString(value ?? '')); }
    } else if (this.isFp(t)) {
      this.sink.write(sprintf(fmt, value ?? ''));
    }
  }

  /**
   * print_color_string: as {@link string}, with the whole formatted text
   * (format's literal text and padding included) in `color` when colour is on.
   */
  colorString(t: OutputType, color: ColorAttr, key: string | null, fmt: string, value: string | null): void {
    if (this.palette === undefined || color === COLOR_NONE || !this.isFp(t)) this.string(t, key, fmt, value);
    else this.sink.write(this.palette[color] + sprintf(fmt, value ?? '') + COLOR_RESET);
  }

  /** color_fprintf(stdout, color, …): text-only output in `color` when colour is on. */
  colorText(color: ColorAttr, fmt: string, ...args: PrintfArg[]): void {
    if (this.jsonActive) return;
    const s = args.length ? sprintf(fmt, ...args) : fmt;
    this.sink.write(this.palette === undefined || color === COLOR_NONE ? s : this.palette[color] + s + COLOR_RESET);
  }

  /** Already formatted text in `color` when colour is on (for renderers that build lines as strings). */
  paint(color: ColorAttr, text: string): string {
    return this.palette === undefined || color === COLOR_NONE ? text : this.palette[color] + text + COLOR_RESET;
  }

  /** print_uint/print_u64/print_int/print_s64/print_hu/...: integers, JSON as bare numbers. */
  number(t: OutputType, key: string | null, fmt: string, value: number | bigint): void {
    if (this.isJson(t)) {
      if (key !== null) this.name(key);
      this.raw(String(value));
    } else if (this.isFp(t)) {
      this.sink.write(sprintf(fmt, value));
    }
  }

  uint(t: OutputType, key: string | null, fmt: string, value: number | bigint): void { this.number(t, key, fmt, value); }
  int(t: OutputType, key: string | null, fmt: string, value: number | bigint): void { this.number(t, key, fmt, value); }
  u64(t: OutputType, key: string | null, fmt: string, value: number | bigint): void { this.number(t, key, fmt, value); }

  /** print_float: JSON with %g. */
  float(t: OutputType, key: string | null, fmt: string, value: number): void {
    if (this.isJson(t)) {
      if (key !== null) this.name(key);
      this.raw(sprintf('%g', value));
    } else if (this.isFp(t)) {
      this.sink.write(sprintf(fmt, value));
    }
  }

  bool(t: OutputType, key: string | null, fmt: string, value: boolean): void {
    if (this.isJson(t)) {
      if (key !== null) this.name(key);
      this.raw(value ? 'true' : 'false');
    } else if (this.isFp(t)) {
      this.sink.write(sprintf(fmt, value ? 'true' : 'false'));
    }
  }

  onOff(t: OutputType, key: string | null, fmt: string, value: boolean): void {
    if (this.isJson(t)) {
      if (key !== null) this.name(key);
      this.raw(value ? 'true' : 'false');
    } else if (this.isFp(t)) {
      this.sink.write(sprintf(fmt, value ? 'on' : 'off'));
    }
  }

  null(t: OutputType, key: string | null, fmt: string, value: string): void {
    if (this.isJson(t)) {
      if (key !== null) this.name(key);
      this.raw('null');
    } else if (this.isFp(t)) {
      this.sink.write(sprintf(fmt, value));
    }
  }

  /** print_0xhex: JSON as a "0x…" string. */
  hex0x(t: OutputType, key: string | null, fmt: string, value: number | bigint): void {
    if (this.isJson(t)) {
      this.string(JSON_ONLY, key, '', value === 0 || value === 0n ? '0' : '0x' + value.toString(16));
    } else if (this.isFp(t)) {
      this.sink.write(sprintf(fmt, value));
    }
  }

  /** print_hex: JSON as a bare-hex string. */
  hex(t: OutputType, key: string | null, fmt: string, value: number): void {
    if (this.isJson(t)) {
      if (key !== null) this.name(key);
      this.raw(jsonString((value >>> 0).toString(16)));
    } else if (this.isFp(t)) {
      this.sink.write(sprintf(fmt, value));
    }
  }

  /** jsonw_name + jsonw_printf: `text` written as a bare JSON value (e.g. a timer as `12.34`); JSON mode only. */
  jsonValue(key: string, text: string): void {
    if (!this.jsonActive) return;
    this.name(key);
    this.raw(text);
  }

  /**
   * Pre-rendered compact JSON members (`"a":1,"b":"x"`) of the current
   * object, in JSON mode without -pretty: for printers that build a whole
   * object's members as one string (one per address of `ip address`).
   */
  jsonMembers(members: string): void {
    if (!this.jsonActive || !members) return;
    this.raw(members);
  }

  /** Text-only output (printf / fprintf(fp, …)). */
  text(fmt: string, ...args: PrintfArg[]): void {
    if (this.jsonActive) return;
    this.sink.write(args.length ? sprintf(fmt, ...args) : fmt);
  }

  /** Text written in either mode without JSON structure (rarely right; used for raw passthrough). */
  rawText(s: string): void {
    this.sink.write(s);
  }

  /** print_nl: end a line in text mode (or the -oneline separator). */
  nl(): void {
    if (!this.jsonActive) this.sink.write(this.lineSep);
  }

  flush(): void { this.sink.flush(); }
}

/** JSON string escaping exactly as iproute2's jsonw_puts (C escapes, no \u). */
export function jsonString(s: string): string {
  let needs = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || c === 9 || c === 10 || c === 13 || c === 12 || c === 8) { needs = true; break; }
  }
  if (!needs) return '"' + s + '"';
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '\t': out += '\\t'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\f': out += '\\f'; break;
      case '\b': out += '\\b'; break;
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      default: out += ch;
    }
  }
  return out + '"';
}
