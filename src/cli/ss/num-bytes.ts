/**
 * Numbers as C's printf prints them, written as ASCII straight into a byte
 * buffer (no strings): `%u` of integers below 2^53, `%g` / `%.3g` of
 * non-negative doubles (ss's rtt/rto values, sprint_bw's rates) and `%.0f`.
 * Each writer takes the buffer and a position and returns the position
 * after what it wrote; the caller makes room first (at most
 * {@link NUM_MAX} bytes per number).
 *
 * Rounding is glibc's: the exact binary value of the double, rounded to
 * nearest with ties to even. (JavaScript's toPrecision/toFixed round exact
 * ties up: `(1.125).toPrecision(3)` is 1.13 where printf prints 1.12.) The
 * common case is done in floating point without a string; only a value that
 * lands exactly on a rounding midpoint is settled from its exact decimal
 * expansion.
 * @module
 */

/** Most bytes any writer here puts down for one number (`%g` of the largest double is 12). */
export const NUM_MAX = 32;

/** 10^k, exact as doubles for k <= 22 (parsed: Math.pow is not always correctly rounded). */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** The doubles nearest to 10^-k. */
const NEG_POW10: readonly number[] = Array.from({ length: 7 }, (_, k) => Number(`1e-${k}`));

/** Decimal digits of an integer 0 <= n < 2^53. */
function digits(n: number): number {
  let k = 1;
  while (k < 16 && n >= POW10[k]!) k++;
  return k;
}

/** `%u`/`%lu` of an integer 0 <= n < 2^53. */
export function putUint(d: Uint8Array, p: number, n: number): number {
  if (n < 10) { d[p] = 48 + n; return p + 1; }
  if (n < 100) {
    const q = (n / 10) | 0;
    d[p] = 48 + q; d[p + 1] = 48 + (n - q * 10);
    return p + 2;
  }
  const end = p + (n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : digits(n));
  let q = end;
  if (n <= 0x7fffffff) {
    do { const t = (n / 10) | 0; d[--q] = 48 + (n - t * 10); n = t; } while (n);
  } else {
    do { const t = Math.floor(n / 10); d[--q] = 48 + (n - t * 10); n = t; } while (n);
  }
  return end;
}

/** `%d` of a 32-bit int (any number is taken as C's int conversion of its low 32 bits). */
export function putInt(d: Uint8Array, p: number, n: number): number {
  n |= 0;
  if (n < 0) { d[p++] = 45; return putUint(d, p, -n); }
  return putUint(d, p, n);
}

/** `%.0f` of a finite v >= 0. */
export function putFixed0(d: Uint8Array, p: number, v: number): number {
  if (v >= 2 ** 52) return putAscii(d, p, BigInt(v).toString()); // an integer already
  let n = Math.floor(v);
  const f = v - n; // exact below 2^52
  if (f > 0.5 || (f === 0.5 && n % 2 === 1)) n++;
  return putUint(d, p, n);
}

/** `%g` (6 significant digits) of a finite v >= 0. */
export function putG(d: Uint8Array, p: number, v: number): number {
  return putGP(d, p, v, 6);
}

/** `%.3g` of a finite v >= 0. */
export function putG3(d: Uint8Array, p: number, v: number): number {
  return putGP(d, p, v, 3);
}

/**
 * `%.{prec}g` of a finite v >= 0 (prec 1..15): v rounded to `prec`
 * significant digits, in fixed notation when its decimal exponent X is in
 * [-4, prec), else as d.ddde±XX; trailing zeros (and a bare point) removed.
 */
export function putGP(d: Uint8Array, p: number, v: number, prec: number): number {
  if (v === 0) { d[p] = 48; return p + 1; }
  // The decimal exponent X with 10^X <= v < 10^(X+1), from the powers of ten
  // (exact up to 10^22; below 1 the comparison is with the nearest doubles,
  // and a wrong guess shows as a count of digits off by one, below).
  let x: number;
  if (v >= 1 && v < 1e22) {
    x = 0;
    while (x < 22 && v >= POW10[x + 1]!) x++;
  } else if (v < 1 && v >= 1e-5) {
    x = -1;
    while (v < NEG_POW10[-x]!) x--;
  } else {
    return putGExact(d, p, v, prec);
  }
  // v scaled to `prec` digits before the point, rounded once (exact powers of ten).
  const j = prec - 1 - x;
  if (j > 22 || j < -22) return putGExact(d, p, v, prec);
  const t = j >= 0 ? v * POW10[j]! : v / POW10[-j]!;
  let n = Math.floor(t);
  const f = t - n; // exact: t < 2^52
  // Rounding to nearest is monotonic and n + 0.5 is a double: only t landing
  // exactly on the midpoint leaves the side of v's exact value open.
  if (f === 0.5) return putGExact(d, p, v, prec);
  if (f > 0.5) n++;
  const lo = POW10[prec - 1]!, hi = POW10[prec]!;
  if (n === hi) { n = lo; x++; } else if (n < lo || n > hi) return putGExact(d, p, v, prec);
  return putDigits(d, p, n, x, prec);
}

/**
 * Write the `prec` digits of integer n (10^(prec-1) <= n < 10^prec) with
 * decimal exponent x as %g does.
 */
function putDigits(d: Uint8Array, p: number, n: number, x: number, prec: number): number {
  // Significant digits left after removing trailing zeros.
  let sig = prec;
  while (sig > 1 && n % 10 === 0) { n /= 10; sig--; }
  const start = p;
  if (x < -4 || x >= prec) {
    // d[.ddd]e±XX
    p = putUint(d, p, n);
    if (sig > 1) {
      d.copyWithin(start + 2, start + 1, p);
      d[start + 1] = 46;
      p++;
    }
    d[p++] = 101;
    d[p++] = x < 0 ? 45 : 43;
    const ax = x < 0 ? -x : x;
    if (ax < 10) d[p++] = 48;
    return putUint(d, p, ax);
  }
  if (x < 0) {
    // 0.000ddd
    d[p++] = 48; d[p++] = 46;
    for (let i = -1; i > x; i--) d[p++] = 48;
    return putUint(d, p, n);
  }
  // Integer part of x+1 digits, then the rest after a point.
  p = putUint(d, p, n);
  const intEnd = start + x + 1;
  if (p < intEnd) {
    // Trailing zeros of the integer part were removed above: put them back.
    while (p < intEnd) d[p++] = 48;
    return p;
  }
  if (p > intEnd) {
    d.copyWithin(intEnd + 1, intEnd, p);
    d[intEnd] = 46;
    p++;
  }
  return p;
}

/**
 * {@link putGP} from v's exact decimal expansion (for doubles of 1e-5 and
 * up, toPrecision(100) is exact: they have fewer significant digits), with
 * ties to even: the rare midpoints and values outside the fast path's range.
 */
function putGExact(d: Uint8Array, p: number, v: number, prec: number): number {
  const s = v.toPrecision(100);
  const e = s.indexOf('e');
  const mant = e < 0 ? s : s.slice(0, e);
  let x = e < 0 ? 0 : Number(s.slice(e + 1));
  const dot = mant.indexOf('.');
  const all = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  // The position of the point gives the exponent of the first digit.
  let lead = 0;
  while (lead < all.length - 1 && all.charCodeAt(lead) === 48) lead++;
  x += (dot < 0 ? all.length : dot) - 1 - lead;
  const ds = all.slice(lead);
  let n = Number(ds.slice(0, prec).padEnd(prec, '0'));
  const next = ds.charCodeAt(prec) - 48;
  let rest = false;
  for (let i = prec + 1; i < ds.length; i++) if (ds.charCodeAt(i) !== 48) { rest = true; break; }
  if (next > 5 || (next === 5 && (rest || n % 2 === 1))) n++;
  if (n === POW10[prec]) { n = POW10[prec - 1]!; x++; }
  return putDigits(d, p, n, x, prec);
}

/**
 * A constant ASCII text as little-endian 32-bit words, for {@link putLabel}:
 * element 0 is its length in bytes, then its bytes four at a time (the last
 * word padded with zeros).
 */
export type Label = Uint32Array;

/** {@link Label} of text (its UTF-8 bytes). */
export function label(text: string): Label {
  const bytes = Buffer.from(text, 'utf8');
  const words = (bytes.length + 3) >>> 2;
  const b = Buffer.alloc(words * 4);
  bytes.copy(b);
  const l = new Uint32Array(1 + words);
  l[0] = bytes.length;
  for (let i = 0; i < words; i++) l[1 + i] = b.readUInt32LE(4 * i);
  return l;
}

/**
 * Write a label at `p` through `dv` (a DataView over the output buffer), a
 * word at a time: V8 compiles DataView stores to single instructions, where
 * a byte loop or TypedArray#set costs 20-30 ns per label (a third of -i's
 * time went to its ~35 labels per socket). Up to 3 bytes past the label's
 * end are overwritten: the caller's room must cover them.
 */
export function putLabel(dv: DataView<ArrayBufferLike>, p: number, l: Label): number {
  const n = l.length;
  for (let i = 1, q = p; i < n; i++, q += 4) dv.setUint32(q, l[i]!, true);
  return p + l[0]!;
}

/** C's `%-6d` of an int: the number, then spaces up to 6 bytes. */
export function putIntLeft6(d: Uint8Array, p: number, n: number): number {
  const end = p + 6;
  p = putInt(d, p, n);
  while (p < end) d[p++] = 32;
  return p;
}

/** The 4 bytes at `b[a]` as a dotted quad. */
export function putIPv4(d: Uint8Array, p: number, b: Uint8Array, a: number): number {
  p = putUint(d, p, b[a]!); d[p++] = 46;
  p = putUint(d, p, b[a + 1]!); d[p++] = 46;
  p = putUint(d, p, b[a + 2]!); d[p++] = 46;
  return putUint(d, p, b[a + 3]!);
}

/** ASCII text (digits from a rare path). */
export function putAscii(d: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) d[p++] = s.charCodeAt(i);
  return p;
}

/** ss's sprint_bw: `%.0f` with -n, else `%.3g` of the rate in T/G/M/k units, or `%g` below 1000. */
export function putBw(d: Uint8Array, p: number, bw: number, numeric: boolean): number {
  if (numeric) return putFixed0(d, p, bw);
  if (bw >= 1e12) { p = putGP(d, p, bw / 1e12, 3); d[p] = 84; return p + 1; }
  if (bw >= 1e9) { p = putGP(d, p, bw / 1e9, 3); d[p] = 71; return p + 1; }
  if (bw >= 1e6) { p = putGP(d, p, bw / 1e6, 3); d[p] = 77; return p + 1; }
  if (bw >= 1e3) { p = putGP(d, p, bw / 1e3, 3); d[p] = 107; return p + 1; }
  return putGP(d, p, bw, 6);
}

/**
 * `%g` of `us / 1000` for an integer 0 <= us < 2^32 (ss's times in
 * milliseconds from microseconds). Below 1000 ms the value has at most six
 * significant digits, which %g prints exactly: its digits are written
 * without floating point.
 */
export function putMsec(d: Uint8Array, p: number, us: number): number {
  if (us >= 1000000) return putGP(d, p, us / 1000, 6);
  const ms = (us / 1000) | 0;
  let frac = us - ms * 1000;
  p = putUint(d, p, ms);
  if (frac) {
    d[p++] = 46;
    const a = (frac / 100) | 0;
    d[p++] = 48 + a;
    frac -= a * 100;
    if (frac) {
      const b = (frac / 10) | 0;
      d[p++] = 48 + b;
      frac -= b * 10;
      if (frac) d[p++] = 48 + frac;
    }
  }
  return p;
}
