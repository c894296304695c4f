/**
 * Number ↔ name tables iproute2 prints (ll_types.c, rt_names.c), including
 * the /etc/iproute2 files it reads.
 * @module
 */
import { readFileSync } from 'node:fs';

/** ARPHRD_* → iproute2's ll_type_n2a() names (lib/ll_types.c); others print as `[N]`. */
const ARPHRD: Record<number, string> = {
  0: 'netrom', 1: 'ether', 2: 'eether', 3: 'ax25', 4: 'pronet', 5: 'chaos', 6: 'ieee802', 7: 'arcnet',
  8: 'atalk', 15: 'dlci', 19: 'atm', 23: 'metricom', 24: 'ieee1394', 32: 'infiniband', 256: 'slip',
  257: 'cslip', 258: 'slip6', 259: 'cslip6', 260: 'rsrvd', 264: 'adapt', 270: 'rose', 271: 'x25',
  272: 'hwx25', 280: 'can', 512: 'ppp', 513: 'hdlc', 516: 'lapb', 517: 'ddcmp', 518: 'rawhdlc', 768: 'ipip',
  769: 'tunnel6', 770: 'frad', 771: 'skip', 772: 'loopback', 773: 'ltalk', 774: 'fddi', 775: 'bif',
  776: 'sit', 777: 'ip/ddp', 778: 'gre', 779: 'pimreg', 780: 'hippi', 781: 'ash', 782: 'econet', 783: 'irda',
  784: 'fcpp', 785: 'fcal', 786: 'fcpl', 787: 'fcfb0', 800: 'tr', 801: 'ieee802.11', 802: 'ieee802.11/prism',
  803: 'ieee802.11/radiotap', 804: 'ieee802.15.4', 805: 'ieee802.15.4/monitor', 820: 'phonet',
  821: 'phonet_pipe', 822: 'caif', 823: 'gre6', 824: 'netlink', 825: '6lowpan', 65534: 'none', 65535: 'void',
};

/** ll_type_n2a */
export function linkTypeName(type: number): string {
  return ARPHRD[type] ?? `[${type}]`;
}

/** Read an /etc/iproute2 style "NUMBER NAME" table (missing file = empty). */
export function readNameTable(file: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const dir of ['/etc/iproute2', '/usr/share/iproute2', '/usr/lib/iproute2']) {
    let text: string;
    try { text = readFileSync(`${dir}/${file}`, 'utf8'); } catch { continue; }
    for (const line of text.split('\n')) {
      const t = line.replace(/#.*/, '').trim();
      if (!t) continue;
      const [num, name] = t.split(/\s+/);
      if (num === undefined || name === undefined) continue;
      const n = Number(num);
      if (Number.isInteger(n) && !m.has(n)) m.set(n, name);
    }
    break;
  }
  return m;
}

let groups: Map<number, string> | undefined;
/** rtnl_group_n2a */
export function groupName(group: number): string {
  groups ??= readNameTable('group');
  if (group === 0 && !groups.has(0)) return 'default';
  return groups.get(group) ?? String(group);
}
