/**
 * A small C printf for the format strings the iproute2 printers use
 * (%s %d %i %u %x %X %o %c %f %g %e %%, flags -+ 0#, width, precision, and
 * the h/l/ll/z/j length modifiers, which are accepted and ignored).
 * Parsed formats are cached: the printers call the same few formats millions of times.
 * @module
 */

/** A printf argument. */
export type PrintfArg = string | number | bigint | boolean;

interface Spec {
  readonly literal: string;
  readonly conv: string; // '' when this piece is only a literal
  readonly left: boolean;
  readonly zero: boolean;
  readonly plus: boolean;
  readonly space: boolean;
  readonly alt: boolean;
  readonly width: number; // -1 = none, -2 = from args ('*')
  readonly precision: number; // -1 = none
}

const cache = new Map<string, Spec[]>();

function parse(fmt: string): Spec[] {
  const out: Spec[] = [];
  let lit = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i]!;
    if (c !== '%') { lit += c; i++; continue; }
    if (fmt[i + 1] === '%') { lit += '%'; i += 2; continue; }
    i++;
    let left = false, zero = false, plus = false, space = false, alt = false;
    for (;; i++) {
      const f = fmt[i];
      if (f === '-') left = true;
      else if (f === '0') zero = true;
      else if (f === '+') plus = true;
      else if (f === ' ') space = true;
      else if (f === '#') alt = true;
      else break;
    }
    let width = -1;
    if (fmt[i] === '*') { width = -2; i++; } else {
      let w = '';
      while (i < fmt.length && fmt[i]! >= '0' && fmt[i]! <= '9') w += fmt[i++];
      if (w) width = Number(w);
    }
    let precision = -1;
    if (fmt[i] === '.') {
      i++;
      let p = '';
      while (i < fmt.length && fmt[i]! >= '0' && fmt[i]! <= '9') p += fmt[i++];
      precision = p ? Number(p) : 0;
    }
    while (i < fmt.length && 'hlLqjzt'.includes(fmt[i]!)) i++;
    const conv = fmt[i++] ?? '';
    out.push({ literal: lit, conv, left, zero, plus, space, alt, width, precision });
    lit = '';
  }
  if (lit) out.push({ literal: lit, conv: '', left: false, zero: false, plus: false, space: false, alt: false, width: -1, precision: -1 });
  return out;
}

function pad(s: string, spec: Spec, width: number, numeric: boolean): string {
  if (width < 0 || s.length >= width) return s;
  if (spec.left) return s + ' '.repeat(width - s.length);
  if (spec.zero && numeric && spec.precision < 0) {
    const sign = s[0] === '-' || s[0] === '+' || s[0] === ' ' ? s[0] : '';
    const pre = spec.alt && /^[-+ ]?0[xX]/.test(s) ? s.slice(sign.length, sign.length + 2) : '';
    const body = s.slice(sign.length + pre.length);
    return sign + pre + '0'.repeat(width - s.length) + body;
  }
  return ' '.repeat(width - s.length) + s;
}

function toBig(v: PrintfArg): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return BigInt(v);
}

/** Format like C's sprintf. */
export function sprintf(fmt: string, ...args: PrintfArg[]): string {
  let specs = cache.get(fmt);
  if (!specs) { specs = parse(fmt); cache.set(fmt, specs); }
  let out = '';
  let a = 0;
  for (const s of specs) {
    out += s.literal;
    if (!s.conv) continue;
    const width = s.width === -2 ? Number(args[a++] ?? 0) : s.width;
    const v = args[a++] ?? '';
    let str: string;
    let numeric = true;
    switch (s.conv) {
      case 's':
        str = String(v);
        if (s.precision >= 0) str = str.slice(0, s.precision);
        numeric = false;
        break;
      case 'c':
        str = typeof v === 'number' ? String.fromCharCode(v) : String(v);
        numeric = false;
        break;
      case 'd': case 'i': {
        // Safe integers format the same as numbers; BigInt only for the rest (cheaper in hot loops).
        if (typeof v === 'number' && Number.isSafeInteger(v)) {
          str = String(v === 0 ? 0 : v);
          if (v >= 0) str = (s.plus ? '+' : s.space ? ' ' : '') + str;
          break;
        }
        const n = toBig(v);
        str = n.toString();
        if (n >= 0n) str = (s.plus ? '+' : s.space ? ' ' : '') + str;
        break;
      }
      case 'u': {
        if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) { str = String(v); break; }
        let n = toBig(v);
        if (n < 0n) n = BigInt.asUintN(64, n);
        str = n.toString();
        break;
      }
      case 'x': case 'X': case 'o': {
        let n = toBig(v);
        if (n < 0n) n = BigInt.asUintN(64, n);
        str = n.toString(s.conv === 'o' ? 8 : 16);
        if (s.conv === 'X') str = str.toUpperCase();
        if (s.precision >= 0) str = str.padStart(s.precision, '0');
        if (s.alt && n !== 0n) str = (s.conv === 'o' ? '0' : s.conv === 'x' ? '0x' : '0X') + str;
        break;
      }
      case 'f': case 'F': {
        const n = Number(v);
        str = toFixedEven(n, s.precision < 0 ? 6 : s.precision);
        if (n >= 0 && s.plus) str = '+' + str;
        break;
      }
      case 'g': case 'G':
        str = formatG(Number(v), s.precision < 0 ? 6 : s.precision || 1, s.alt);
        break;
      case 'e':
        str = toExponentialEven(Number(v), s.precision < 0 ? 6 : s.precision).replace(/e([+-])(\d)$/, 'e$10$2');
        break;
      default:
        str = String(v);
    }
    out += pad(str, s, width, numeric);
  }
  return out;
}

/** C's %g: shortest of %e/%f at `p` significant digits, trailing zeros removed. */
export function formatG(n: number, p: number, alt = false): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  if (n === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  let s: string;
  // Round first: the exponent may change after rounding (9.9999 → 10).
  const rounded = Number(toExponentialEven(n, p - 1));
  const e = rounded === 0 ? exp : Math.floor(Math.log10(Math.abs(rounded)));
  if (e < -4 || e >= p) {
    s = rounded.toExponential(p - 1);
    if (!alt) s = s.replace(/\.?0+e/, 'e');
    s = s.replace(/e([+-])(\d)$/, 'e$10$2');
  } else {
    s = rounded.toFixed(Math.max(0, p - 1 - e));
    if (!alt && s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  return s;
}

/*
 * glibc rounds the exact binary value of a double to nearest, ties to even;
 * JavaScript's toFixed/toExponential/toPrecision round exact ties away from
 * zero: printf("%.3g", 1.125) is 1.12 and printf("%.0f", 2.5) is 2, where
 * (1.125).toPrecision(3) is 1.13 and (2.5).toFixed(0) is 3. A tie is only
 * possible when the value's exact decimal expansion ends right after the
 * first dropped digit, a 5; 25 more digits (exact: toFixed/toExponential
 * round the exact value) show whether it does, since doubles near a
 * rounding midpoint are at least ~10^-17 of it apart.
 */

/** Extra digits asked for to see whether a value is exactly a midpoint. */
const TIE_DIGITS = 25;

/** `digits` with the dropped part `rest` (first dropped digit on): the even neighbour on an exact tie, else null. */
function evenOnTie(digits: string, rest: string): string | null {
  if (rest.charCodeAt(0) !== 53 /* 5 */) return null;
  for (let i = 1; i < rest.length; i++) if (rest.charCodeAt(i) !== 48) return null;
  // The truncated digits are one neighbour; keep them if their last digit is even.
  return (digits.charCodeAt(digits.length - 1) - 48) % 2 === 0 ? digits : null;
}

/** `%.{f}f` of n: n.toFixed(f), but exact ties rounded to even as glibc does, and no exponent from 1e21 on. */
export function toFixedEven(n: number, f: number): string {
  const a = Math.abs(n);
  // toFixed switches to exponent notation from 1e21; such doubles are integers.
  if (a >= 1e21 && a !== Infinity) return (n < 0 ? '-' : '') + BigInt(a).toString() + (f > 0 ? '.' + '0'.repeat(f) : '');
  const s = n.toFixed(f);
  if (!(a < 1e21) || f + TIE_DIGITS > 100) return s;
  const long = a.toFixed(f + TIE_DIGITS);
  const cut = long.length - TIE_DIGITS;
  const even = evenOnTie(long.slice(0, f === 0 ? cut - 1 : cut), long.slice(cut));
  return even === null ? s : (n < 0 ? '-' : '') + even;
}

/** n.toExponential(f), but exact ties rounded to even as glibc does. */
export function toExponentialEven(n: number, f: number): string {
  const s = n.toExponential(f);
  if (!Number.isFinite(n) || f + TIE_DIGITS > 100) return s;
  const long = Math.abs(n).toExponential(f + TIE_DIGITS);
  const e = long.indexOf('e');
  const cut = 2 + f; // past "d." and f digits
  const even = evenOnTie(long.slice(0, f === 0 ? 1 : cut), long.slice(cut, e));
  return even === null ? s : (n < 0 ? '-' : '') + even + long.slice(e);
}
