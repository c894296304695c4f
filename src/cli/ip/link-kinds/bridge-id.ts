/**
 * Shared printing of bridge ids and timers (iproute2's br_dump_bridge_id and
 * _bridge_print_timer).
 * @module
 */
import { ANY, type Printer } from '../../../output/printer.js';

/** br_dump_bridge_id(): `8000.2:0:0:0:0:1` (priority bytes in hex, then ether_ntoa, unpadded). */
export function bridgeIdText(v: unknown): string {
  const id = v as { prio: Buffer; addr: Buffer };
  const hex2 = (n: number | undefined): string => (n ?? 0).toString(16).padStart(2, '0');
  return `${hex2(id.prio[0])}${hex2(id.prio[1])}.${[...id.addr].map((b) => b.toString(16)).join(':')}`;
}

/** A timer in jiffies of USER_HZ (100) as `%4i.%.2i` seconds; JSON as a bare number. */
export function printTimer(p: Printer, key: string, v: unknown): void {
  const t = Number(v as bigint);
  const sec = Math.floor(t / 100);
  const cs = t - sec * 100;
  if (p.inJson) p.jsonValue(key, `${sec}.${String(cs).padStart(2, '0')}`);
  else p.string(ANY, null, '%s', `${key} ${String(sec).padStart(4)}.${String(cs).padStart(2, '0')} `);
}
