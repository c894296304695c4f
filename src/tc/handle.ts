/**
 * tc handles: 32-bit `major:minor` identifiers of qdiscs and classes, and
 * the special parents (root, ingress, clsact). Parsing and printing follow
 * tc/tc_util.c (get_qdisc_handle, get_tc_classid, print_tc_classid).
 *
 * ```ts
 * parseClassid('1:10');          // 0x00010010
 * parseQdiscHandle('ffff:');     // 0xffff0000
 * formatClassid(0xffffffff);     // 'root'
 * handle(1, 0x10);               // 0x00010010
 * ```
 * @module
 */
import { readFileSync } from 'node:fs';
import { ascii, type ByteWriter } from '../output/bytes.js';

/** A 32-bit tc handle (major << 16 | minor). */
export type TcHandle = number & { readonly __brand?: 'TcHandle' };

/** Special handle values and masks (linux/pkt_sched.h TC_H_*). */
export const TC_H = {
  MAJ_MASK: 0xffff0000,
  MIN_MASK: 0x0000ffff,
  UNSPEC: 0,
  ROOT: 0xffffffff,
  INGRESS: 0xfffffff1,
  CLSACT: 0xfffffff1,
  MIN_PRIORITY: 0xffe0,
  MIN_INGRESS: 0xfff2,
  MIN_EGRESS: 0xfff3,
} as const;

/** TC_H_MAJ */
export const major = (h: number): number => (h & 0xffff0000) >>> 0;
/** TC_H_MIN */
export const minor = (h: number): number => h & 0xffff;
/** TC_H_MAKE(maj << 16, min) from the two 16-bit halves. */
export function handle(maj: number, min: number): TcHandle {
  return (((maj & 0xffff) << 16) | (min & 0xffff)) >>> 0;
}

/**
 * A handle or parent as the library accepts it: a number, `'root'`,
 * `'ingress'`, `'clsact'`, `'none'`, or tc's text (`'1:'`, `'1:10'`, `':5'`, `'ffff:fff1'`).
 */
export type HandleLike = number | string;

/** strtoul(str, &p, 16) on a prefix: value and rest (value may exceed 32 bits; null if no digits). */
function hexPrefix(s: string): { value: number; rest: string } | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(?:0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)/.exec(s);
  if (!m) return null;
  let v = parseInt(m[2]!, 16);
  if (!Number.isSafeInteger(v)) v = Number.MAX_SAFE_INTEGER;
  // strtoul negates in unsigned long arithmetic: "-1" is ULONG_MAX, never < 2^16.
  if (m[1] === '-' && v !== 0) v = Number.MAX_SAFE_INTEGER;
  return { value: v, rest: s.slice(m[0].length) };
}

/** get_qdisc_handle(): `1:`, `1`, `ffff:`, `none` → handle with minor 0; null if invalid. */
export function parseQdiscHandle(str: string): TcHandle | null {
  if (str === 'none') return 0;
  const r = hexPrefix(str);
  if (!r || r.value >= 0x10000) return null;
  if (r.rest !== '' && r.rest[0] !== ':') return null;
  return (r.value << 16) >>> 0;
}

/** get_tc_classid(): `root`, `none`, `1:10`, `:10`, `1:`, `10` (a bare number is the whole 32-bit id); null if invalid. */
export function parseClassid(str: string): TcHandle | null {
  if (str === 'root') return TC_H.ROOT;
  if (str === 'none') return 0;
  let maj: number;
  let rest: string;
  const r = hexPrefix(str);
  if (!r) {
    if (str[0] !== ':') return null;
    maj = 0;
    rest = str;
  } else {
    maj = r.value;
    rest = r.rest;
  }
  if (rest[0] === ':') {
    if (maj >= 0x10000) return null;
    const after = rest.slice(1);
    const m = hexPrefix(after);
    // strtoul with no digits consumes nothing and yields 0; the rest must then be empty.
    const min = m ? m.value : 0;
    const tail = m ? m.rest : after;
    if (tail !== '') return null;
    if (min >= 0x10000) return null;
    return ((maj << 16) | min) >>> 0;
  }
  if (rest !== '') return null;
  if (maj > 0xffffffff) return null;
  return maj >>> 0;
}

let clsNames: Map<number, string> | null | undefined;

/**
 * Load tc's class names file (-nm / -names; /etc/iproute2/tc_cls by default):
 * lines of `HANDLE NAME`. Returns false when an explicitly given file is missing.
 */
export function loadClassNames(path?: string): boolean {
  let text: string;
  try {
    text = readFileSync(path ?? '/etc/iproute2/tc_cls', 'utf8');
  } catch {
    clsNames = null;
    return path === undefined;
  }
  const m = new Map<number, string>();
  for (const line of text.split('\n')) {
    const t = line.replace(/#.*/, '').trim();
    if (!t) continue;
    const [id, name] = t.split(/\s+/);
    if (id === undefined || name === undefined) continue;
    const h = parseClassid(id);
    if (h !== null && !m.has(h)) m.set(h, name);
  }
  clsNames = m;
  return true;
}

/** Forget loaded class names (names are printed only after {@link loadClassNames}). */
export function unloadClassNames(): void {
  clsNames = undefined;
}

/** print_tc_classid(): `root`, `none`, `:10`, `1:`, `1:10` (and `NAME#1:10` with -nm names loaded). */
export function formatClassid(h: number): string {
  const v = h >>> 0;
  // Listings print the same parent on line after line.
  if (v === lastClassid && clsNames === lastNames) return lastClassidText;
  let s: string;
  if (v === TC_H.ROOT) s = 'root';
  else if (v === 0) s = 'none';
  else if (major(v) === 0) s = `:${minor(v).toString(16)}`;
  else if (minor(v) === 0) s = `${(v >>> 16).toString(16)}:`;
  else s = `${(v >>> 16).toString(16)}:${minor(v).toString(16)}`;
  if (clsNames) {
    const name = clsNames.get(v);
    if (name !== undefined) s = `${name}#${s}`;
  }
  lastClassid = v;
  lastNames = clsNames;
  lastClassidText = s;
  return s;
}

const ROOT_BYTES = ascii('root');
const NONE_BYTES = ascii('none');

/** {@link formatClassid} written into `out`. */
export function writeClassid(out: ByteWriter, h: number): void {
  const v = h >>> 0;
  if (clsNames) {
    out.str(formatClassid(v));
    return;
  }
  if (v === TC_H.ROOT) {
    out.bytes(ROOT_BYTES);
  } else if (v === 0) {
    out.bytes(NONE_BYTES);
  } else if (v >>> 16 === 0) {
    out.byte(0x3a); // ':'
    out.hex(v & 0xffff);
  } else {
    out.hex(v >>> 16);
    out.byte(0x3a);
    if (v & 0xffff) out.hex(v & 0xffff);
  }
}

let lastClassid = -1;
let lastNames: Map<number, string> | null | undefined;
let lastClassidText = '';

/** A qdisc handle as `tc qdisc show` prints it: the major in hex and a colon (`1:`, `0:`). */
export function formatQdiscHandle(h: number): string {
  return `${((h >>> 0) >>> 16).toString(16)}:`;
}

/** Resolve a {@link HandleLike} to a number (`root`/`ingress`/`clsact` by name); throws RangeError if invalid. */
export function toHandle(h: HandleLike, what = 'handle'): TcHandle {
  if (typeof h === 'number') {
    if (!Number.isInteger(h) || h < 0 || h > 0xffffffff) throw new RangeError(`invalid ${what} ${h}`);
    return h >>> 0;
  }
  if (h === 'ingress' || h === 'clsact') return TC_H.INGRESS;
  const v = parseClassid(h);
  if (v === null) throw new RangeError(`invalid ${what} "${h}"`);
  return v;
}
