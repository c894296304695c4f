/**
 * Name lookups the ss output needs, each loaded lazily once: interface
 * names of the namespace, cgroup paths by id, host names (-r) from
 * /etc/hosts, protocol names from /etc/protocols.
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { formatIPv4, formatIPv6 } from '../../netlink/addr.js';
import { NetlinkSocket, type MessageView } from '../../netlink/socket.js';
import { NETLINK, RTM } from '../../netlink/constants.js';
import { RTEXT_FILTER } from '../../netlink/rtnetlink/link-schema.js';
import { linkNameOf, linkNamesRequest } from '../../netlink/link-names.js';

/** Index and name of an RTM_NEWLINK message (`if%d` without IFLA_IFNAME); undefined for anything else. */
function linkName(m: MessageView): readonly [number, string] | undefined {
  if (m.type !== RTM.NEWLINK || m.len < 16) return undefined;
  return linkNameOf(m) ?? [m.buf.readInt32LE(m.off + 4), `if${m.buf.readInt32LE(m.off + 4)}`];
}

/** Interface index ↔ name for one namespace (ll_index_to_name / ll_name_to_index). */
export class LinkNames {
  private byIndex = new Map<number, string>();
  private byName = new Map<string, number>();
  private loaded = false;
  constructor(private readonly netns: string | undefined) {}

  /** Whether {@link load} ran. */
  get isLoaded(): boolean { return this.loaded; }

  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    // A dump of its own that reads only the names: the Netlink class (nl.link)
    // would bring every ip and tc module into ss's bundle, three times its size.
    const sock = NetlinkSocket.open(NETLINK.ROUTE, this.netns !== undefined ? { netns: this.netns } : {});
    try {
      const links = await sock.dump((w, seq) => linkNamesRequest(w, seq, RTEXT_FILTER.VF | RTEXT_FILTER.SKIP_STATS), linkName, 'dump links').toArray();
      for (const [index, name] of links) {
        this.byIndex.set(index, name);
        this.byName.set(name, index);
      }
    } finally {
      sock.close();
    }
  }

  /** ll_index_to_name: unknown indexes print as `if%d`. */
  name(index: number): string { return this.byIndex.get(index) ?? `if${index}`; }
  /** ll_name_to_index: 0 when unknown. */
  index(name: string): number { return this.byName.get(name) ?? 0; }
}

/** cgroup v2 id → path (lib/cg_map.c), `unreachable:%llx` when unknown. */
export class CgroupPaths {
  private map: Map<bigint, string> | undefined;
  private mount: string | null = null;
  /** Where iproute2 reports that no cgroup2 is mounted (it does so on every failed lookup). */
  /**
   * @param nsSwitched ss -N remounts /sys for the namespace (netns_switch), so a
   *   cgroup2 mounted under /sys is not visible to it: mimic that.
   */
  constructor(private readonly warn: (line: string) => void = (l) => process.stderr.write(l + '\n'), private readonly nsSwitched = false) {}
  path(id: bigint): string {
    if (!this.map) {
      this.map = new Map();
      let mnt: string | null = null;
      try {
        for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
          const f = line.split(' ');
          if (f[2] === 'cgroup2' && !(this.nsSwitched && (f[1] === '/sys' || f[1]!.startsWith('/sys/')))) { mnt = f[1]!; break; }
        }
      } catch { /* none */ }
      this.mount = mnt;
      if (mnt === null) this.warn('Failed to find cgroup2 mount');
      const walk = (dir: string, rel: string, depth: number): void => {
        let ino: bigint;
        try { ino = statSync(dir, { bigint: true }).ino; } catch { return; }
        this.map!.set(ino, rel || '/');
        if (depth > 32) return;
        let ents;
        try { ents = readdirSync(dir, { withFileTypes: true }); } catch { return; }
        for (const e of ents) if (e.isDirectory()) walk(`${dir}/${e.name}`, `${rel}/${e.name}`, depth + 1);
      };
      if (mnt !== null) walk(mnt, '', 0);
    }
    const p = this.map.get(id);
    if (p !== undefined) return p;
    if (this.mount === null) this.warn('Failed to find cgroup2 mount');
    return `unreachable:${id.toString(16)}`;
  }
}

let hostsByAddr: Map<string, string> | undefined;
/** Reverse lookup for -r (from /etc/hosts; falls back to the numeric address). */
export function hostName(bytes: Uint8Array, v4: boolean): string {
  const text = v4 ? formatIPv4(bytes) : formatIPv6(bytes);
  if (!hostsByAddr) {
    hostsByAddr = new Map();
    try {
      for (const raw of readFileSync('/etc/hosts', 'utf8').split('\n')) {
        const line = raw.replace(/#.*/, '').trim();
        if (!line) continue;
        const [addr, name] = line.split(/\s+/);
        if (addr && name && !hostsByAddr.has(addr)) hostsByAddr.set(addr, name);
      }
    } catch { /* none */ }
  }
  return hostsByAddr.get(text) ?? text;
}

let protocols: Map<number, string> | undefined;
/** getprotobynumber(n)?.p_name from /etc/protocols. */
export function protocolName(n: number): string | undefined {
  if (!protocols) {
    protocols = new Map();
    try {
      for (const raw of readFileSync('/etc/protocols', 'utf8').split('\n')) {
        const line = raw.replace(/#.*/, '').trim();
        if (!line) continue;
        const [name, num] = line.split(/\s+/);
        const v = Number(num);
        if (name && Number.isInteger(v) && !protocols.has(v)) protocols.set(v, name);
      }
    } catch { /* none */ }
  }
  return protocols.get(n);
}

/** /etc/hosts forward lookup for filter host names (sync). */
export function resolveHostSync(name: string, family: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  try {
    for (const raw of readFileSync('/etc/hosts', 'utf8').split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (!line) continue;
      const [addr, ...names] = line.split(/\s+/);
      if (!addr || !names.includes(name)) continue;
      const v6 = addr.includes(':');
      if (family === 2 && v6) continue;
      if (family === 10 && !v6) continue;
      if (v6) {
        const b = Buffer.alloc(16);
        // Simple full-form parse through the filter module would create a cycle; use URL-free manual parse.
        const parts = addr.split('::');
        const head = parts[0] ? parts[0].split(':') : [];
        const tail = parts.length > 1 && parts[1] ? parts[1].split(':') : [];
        const words = [...head, ...new Array(8 - head.length - tail.length).fill('0'), ...tail];
        words.forEach((w, i) => b.writeUInt16BE(parseInt(w, 16) || 0, i * 2));
        out.push(b);
      } else {
        out.push(Buffer.from(addr.split('.').map(Number)));
      }
    }
  } catch { /* none */ }
  return out;
}
