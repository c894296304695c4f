/**
 * `ip -resolve`: addresses printed as host names, as iproute2's format_host()
 * (lib/utils.c resolve_address()) prints them.
 *
 * iproute2 calls gethostbyaddr() synchronously at each format_host() call
 * site, remembering every answer (negative ones too). Node cannot ask the C
 * library synchronously, so the work is split in two: before printing, every
 * address a decoded object holds is looked up once, all in parallel
 * ({@link prefetchHosts}); the printers then call {@link formatHost} at the
 * same places iproute2 calls format_host(), which only reads the cache.
 * Without -r the cache does not exist and formatHost() returns its argument.
 * @module
 */
import { createRequire } from 'node:module';
import { isIP } from 'node:net';

/**
 * node:dns, loaded on the first lookup: only -r needs it, and loading it
 * (with its c-ares binding) cost every `ip` start ~2 ms.
 */
let dns: typeof import('node:dns') | undefined;

/** address text → host name (or the address itself when it has none). Undefined until -r is used. */
let names: Map<string, string> | undefined;
/** Lookups in flight, by address text. */
const pending = new Map<string, Promise<void>>();

/**
 * The name to print for an address (format_host()): its host name when -r
 * resolved one, else the address text unchanged. Anything that is not an
 * address ("default", a prefix "10.0.0.0/8", MPLS labels) comes back as is.
 */
export function formatHost(addr: string): string {
  return names === undefined ? addr : names.get(addr) ?? addr;
}

/** An IPv4-mapped IPv6 address is looked up as IPv4 (resolve_address() does the same). */
function lookupText(addr: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  return m ? m[1]! : addr;
}

/** getnameinfo(NI_NAMEREQD) through libuv; a failure is remembered as "no name". */
function lookup(addr: string): Promise<void> {
  let p = pending.get(addr);
  if (p) return p;
  p = new Promise<void>((resolve) => {
    dns ??= createRequire(import.meta.url)('node:dns') as typeof import('node:dns');
    dns.lookupService(lookupText(addr), 0, (err, host) => {
      if (!err && host) names!.set(addr, host);
      else names!.set(addr, addr);
      pending.delete(addr);
      resolve();
    });
  });
  pending.set(addr, p);
  return p;
}

/** Every string in `v` (plain objects and arrays, at most `depth` deep) that is an IP address. */
function collect(v: unknown, out: Set<string>, depth: number): void {
  if (typeof v === 'string') {
    if (isIP(v) !== 0) out.add(v);
    return;
  }
  if (depth <= 0 || typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return;
  if (Array.isArray(v)) {
    for (const x of v) collect(x, out, depth - 1);
    return;
  }
  if (v instanceof Map || v instanceof Set) return;
  for (const k of Object.keys(v)) collect((v as Record<string, unknown>)[k], out, depth - 1);
}

/**
 * Look up, in parallel and once each, every address held by `values`
 * (decoded routes, addresses, neighbours, links…) so that {@link formatHost}
 * can answer while they are printed.
 */
export async function prefetchHosts(...values: unknown[]): Promise<void> {
  names ??= new Map();
  const found = new Set<string>();
  for (const v of values) collect(v, found, 10);
  const waits: Array<Promise<void>> = [];
  for (const a of found) if (!names.has(a)) waits.push(lookup(a));
  if (waits.length) await Promise.all(waits);
}

/**
 * The items of a dump, all in hand and with their addresses looked up when
 * -r is on; the stream itself otherwise (so plain listings keep streaming).
 */
export async function withHosts<T>(resolve: boolean, items: AsyncIterable<T>): Promise<AsyncIterable<T> | T[]> {
  if (!resolve) return items;
  const all: T[] = [];
  for await (const x of items) all.push(x);
  await prefetchHosts(all);
  return all;
}
