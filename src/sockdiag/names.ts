/**
 * Name tables ss uses: link-layer protocols (lib/ll_proto.c), netlink
 * protocols (lib/rt_names.c plus /etc/iproute2/nl_protos), /etc/services.
 * @module
 */
import { readFileSync } from 'node:fs';

/** Link-layer protocol names in iproute2's table order (the first match wins). */
export const LL_PROTOS: ReadonlyArray<readonly [number, string]> = [
  [0x0060, 'loop'], [0x0200, 'pup'], [0x0201, 'pupat'], [0x0800, 'ip'], [0x0805, 'x25'], [0x0806, 'arp'],
  [0x08ff, 'bpq'], [0x0a00, 'ieeepup'], [0x0a01, 'ieeepupat'], [0x6000, 'dec'], [0x6001, 'dna_dl'],
  [0x6002, 'dna_rc'], [0x6003, 'dna_rt'], [0x6004, 'lat'], [0x6005, 'diag'], [0x6006, 'cust'], [0x6007, 'sca'],
  [0x8035, 'rarp'], [0x809b, 'atalk'], [0x80f3, 'aarp'], [0x8137, 'ipx'], [0x86dd, 'ipv6'], [0x8863, 'ppp_disc'],
  [0x8864, 'ppp_ses'], [0x884c, 'atmmpoa'], [0x8884, 'atmfate'], [0x0001, '802_3'], [0x0002, 'ax25'],
  [0x0003, 'all'], [0x0004, '802_2'], [0x0005, 'snap'], [0x0006, 'ddcmp'], [0x0007, 'wan_ppp'], [0x0008, 'ppp_mp'],
  [0x0009, 'localtalk'], [0x000c, 'can'], [0x0010, 'ppptalk'], [0x0011, 'tr_802_2'], [0x0015, 'mobitex'],
  [0x0016, 'control'], [0x0017, 'irda'], [0x0018, 'econet'], [0x88ca, 'tipc'], [0x8892, 'profinet'],
  [0x88a2, 'aoe'], [0x88a4, 'ethercat'], [0x8100, '802.1Q'], [0x88a8, '802.1ad'], [0x8847, 'mpls_uc'],
  [0x8848, 'mpls_mc'], [0x6558, 'teb'], [0x8100, '802.1Q'], [0x88cc, 'LLDP'], [0x0800, 'ipv4'],
];

/** ll_proto_n2a: name of an ethertype (host order), or `[N]` (always numeric when `numeric`). */
export function llProtoName(id: number, numeric = false): string {
  if (!numeric) for (const [n, name] of LL_PROTOS) if (n === id) return name;
  return `[${id}]`;
}

/** ll_proto_a2n: ethertype (host order) from a name (case-insensitive) or number; null if invalid. */
export function llProtoParse(s: string): number | null {
  for (const [n, name] of LL_PROTOS) if (name.toLowerCase() === s.toLowerCase()) return n;
  const v = strtoulFull(s);
  return v !== null && v <= 0xffff ? v : null;
}

const NL_PROTOS_BUILTIN: Record<number, string> = {
  0: 'rtnl', 1: 'unused', 2: 'usersock', 3: 'fw', 4: 'tcpdiag', 5: 'nflog', 6: 'xfrm', 7: 'selinux',
  8: 'iscsi', 9: 'audit', 10: 'fiblookup', 11: 'connector', 12: 'nft', 13: 'ip6fw', 14: 'dec-rt',
  15: 'uevent', 16: 'genl', 18: 'scsi-trans', 19: 'ecryptfs', 20: 'rdma', 21: 'crypto',
};

let nlProtos: Record<number, string> | undefined;

/** Parse an iproute2 `ID NAME` table file (rtnl_tab_initialize): `#` comments, ids in any base. */
export function readIdTable(path: string, into: Record<number, string>): void {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return; }
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(0x[0-9a-fA-F]+|\d+)\s+(\S+)/.exec(line);
    if (!m) continue;
    const id = Number(m[1]);
    if (id >= 0 && id < 256) into[id] = m[2]!;
  }
}

function nlTable(): Record<number, string> {
  if (!nlProtos) {
    nlProtos = { ...NL_PROTOS_BUILTIN };
    readIdTable('/etc/iproute2/nl_protos', nlProtos);
  }
  return nlProtos;
}

/** nl_proto_n2a. */
export function nlProtoName(id: number, numeric = false): string {
  if (id < 0 || id >= 256 || numeric) return String(id);
  return nlTable()[id] ?? String(id);
}

/** nl_proto_a2n: number from name or integer; null if invalid. */
export function nlProtoParse(s: string): number | null {
  const t = nlTable();
  for (const [k, v] of Object.entries(t)) if (v === s) return Number(k);
  const n = strtoulFull(s);
  return n !== null && n <= 0xffffffff ? n : null;
}

/** strtoul(s, &end, 0) requiring the whole string; null otherwise. */
export function strtoulFull(s: string): number | null {
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0[0-7]*$/.test(s)) return parseInt(s, 8);
  if (/^[1-9][0-9]*$/.test(s)) return parseInt(s, 10);
  return null;
}

/** strtol(s, &end, 0) requiring the whole string (get_integer); null otherwise. */
export function strtolFull(s: string): number | null {
  const t = s.replace(/^\s+/, '');
  const neg = t.startsWith('-');
  const body = t.replace(/^[+-]/, '');
  const v = strtoulFull(body);
  if (v === null) return null;
  const n = neg ? -v : v;
  if (n > 0x7fffffff || n < -0x80000000) return null;
  return n;
}

/** /etc/services, by port and by name, per protocol. */
export class Services {
  private byPort = new Map<string, string>();
  private byName = new Map<string, number>();
  private loaded = false;

  constructor(private readonly path = '/etc/services') {}

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    let text = '';
    try { text = readFileSync(this.path, 'utf8'); } catch { return; }
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (!line) continue;
      const parts = line.split(/\s+/);
      const m = /^(\d+)\/(\w+)$/.exec(parts[1] ?? '');
      if (!m) continue;
      const port = Number(m[1]);
      const proto = m[2]!;
      // getservbyport returns the first entry in file order.
      const key = `${port}/${proto}`;
      if (!this.byPort.has(key)) this.byPort.set(key, parts[0]!);
      for (const name of [parts[0]!, ...parts.slice(2)]) {
        const nk = `${name}/${proto}`;
        if (!this.byName.has(nk)) this.byName.set(nk, port);
      }
    }
  }

  /** getservbyport(port, proto)?.s_name */
  name(port: number, proto: string): string | undefined {
    this.load();
    return this.byPort.get(`${port}/${proto}`);
  }

  /** getservbyname(name, proto)?.s_port */
  port(name: string, proto: string): number | undefined {
    this.load();
    return this.byName.get(`${name}/${proto}`);
  }
}

/** The ephemeral port range of the current namespace's view of /proc (ss's is_ephemeral). */
export function ephemeralRange(procRoot = '/proc'): { min: number; max: number } {
  try {
    const [a, b] = readFileSync(`${procRoot}/sys/net/ipv4/ip_local_port_range`, 'utf8').trim().split(/\s+/).map(Number);
    if (a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && a > 0) return { min: a, max: b };
  } catch { /* fall through */ }
  return { min: 1024, max: 4999 };
}
