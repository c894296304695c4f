/**
 * `ip link set DEV vf N …` (iproute2's iplink_parse_vf()): one IFLA_VF_INFO
 * with the options in command-line order, and IFLA_VF_RATE last when the
 * min/max rate API is used.
 * @module
 */
import { CliError, matches, invarg } from '../common/args.js';
import { IFLA_VF_LINK_STATE, type VfInfo } from '../../netlink/rtnetlink/link-vf-schema.js';
import { getUint, llAddrA2n, llProtoId, onOff } from './link-kinds/util.js';

const ETH_P_8021Q = 0x8100;
const ETH_P_8021AD = 0x88a8;

/** get_guid(): `xx:xx:xx:xx:xx:xx:xx:xx`, the first byte most significant. */
function guid(arg: string): bigint | undefined {
  if (arg.length !== 23) return undefined;
  let v = 0n;
  for (let k = 0; k < 8; k++) {
    if (k < 7 && arg[2 + 3 * k] !== ':') return undefined;
    const part = arg.slice(3 * k, 3 * k + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(part)) return undefined;
    v |= BigInt(parseInt(part, 16)) << BigInt(56 - 8 * k);
  }
  return v;
}

/** parse_on_off() for the VF switches (prefixes of off/on; iproute2's message and status 1). */
function onOffVf(key: string, v: string): number {
  return onOff(key, v) ? 1 : 0;
}

/**
 * Parse the options after `vf N` starting at `args[i]` (the N). Returns the
 * VF's attributes and the index of the last word used. `addrLen` is the
 * device's hardware address length (nl_get_ll_addr_len), or -1.
 */
export function parseVf(args: readonly string[], i: number, vf: number, addrLen: number): { info: VfInfo; last: number } {
  const start = i;
  const info: Record<string, unknown> = {};
  const u = (s: string): number | undefined => getUint(s, 0xffffffff);
  // iproute2 looks ahead over *all* remaining words for the min/max rate API.
  let newRateApi = false, overrideLegacy = false;
  for (let k = i + 1; k < args.length; k++) {
    if (matches(args[k], 'max_tx_rate')) { newRateApi = true; overrideLegacy = true; }
    else if (matches(args[k], 'min_tx_rate')) newRateApi = true;
  }
  let minRate = -1, maxRate = -1;
  const next = (): string => {
    const v = args[++i];
    if (v === undefined) throw new CliError('Command line is not complete. Try option "help"');
    return v;
  };
  const vlanInfo = (): { vf: number; vlan: number; qos: number; vlan_proto: number } => {
    const v = next();
    const vlan = u(v);
    if (vlan === undefined || vlan > 4095) invarg('Invalid "vlan" value\n', v);
    let qos = 0, proto = ETH_P_8021Q;
    if (i + 1 < args.length && matches(args[i + 1], 'qos')) {
      i++;
      const q = next();
      const n = u(q);
      if (n === undefined) invarg('Invalid "qos" value\n', q);
      qos = n;
    }
    if (i + 1 < args.length && matches(args[i + 1], 'proto')) {
      i++;
      const p = next();
      const n = llProtoId(p);
      if (n === undefined) invarg('protocol is invalid\n', p);
      if (n !== ETH_P_8021AD && n !== ETH_P_8021Q) {
        invarg('Invalid "vlan protocol" value - supported 802.1Q, 802.1ad\n', p);
      }
      proto = n;
    }
    return { vf, vlan, qos, vlan_proto: proto };
  };
  while (i + 1 < args.length) {
    const a = args[++i]!;
    if (matches(a, 'mac')) {
      const v = next();
      const mac = Buffer.from(llAddrA2n(v).split(':').map((x) => parseInt(x, 16)));
      if (addrLen > 0 && mac.length !== addrLen) throw new CliError(`Invalid address length ${mac.length} - must be ${addrLen} bytes`, 1);
      info.mac = { vf, mac };
    } else if (matches(a, 'vlan')) {
      const first = vlanInfo();
      if (first.vlan_proto === ETH_P_8021Q) {
        info.vlan = { vf, vlan: first.vlan, qos: first.qos };
      } else {
        // Not 802.1Q: a VLAN list, which takes further `vlan …` words.
        const list = [first];
        while (i + 1 < args.length && matches(args[i + 1], 'vlan')) {
          i++;
          list.push(vlanInfo());
        }
        info.vlan_list = { info: list };
      }
    } else if (matches(a, 'rate')) {
      const v = next();
      const r = u(v);
      if (r === undefined) invarg('Invalid "rate" value\n', v);
      if (!newRateApi) info.tx_rate = { vf, rate: r };
      else if (!overrideLegacy) maxRate = r;
    } else if (matches(a, 'max_tx_rate')) {
      const v = next();
      const r = u(v);
      if (r === undefined) invarg('Invalid "max tx rate" value\n', v);
      maxRate = r;
    } else if (matches(a, 'min_tx_rate')) {
      const v = next();
      const r = u(v);
      if (r === undefined) invarg('Invalid "min tx rate" value\n', v);
      minRate = r;
    } else if (matches(a, 'spoofchk')) {
      info.spoofchk = { vf, setting: onOffVf('spoofchk', next()) };
    } else if (matches(a, 'query_rss')) {
      info.rss_query_en = { vf, setting: onOffVf('query_rss', next()) };
    } else if (matches(a, 'trust')) {
      info.trust = { vf, setting: onOffVf('trust', next()) };
    } else if (matches(a, 'state')) {
      const v = next();
      let s: number;
      if (matches(v, 'auto')) s = IFLA_VF_LINK_STATE.AUTO;
      else if (matches(v, 'enable')) s = IFLA_VF_LINK_STATE.ENABLE;
      else if (matches(v, 'disable')) s = IFLA_VF_LINK_STATE.DISABLE;
      else invarg('Invalid "state" value\n', v);
      info.link_state = { vf, link_state: s };
    } else if (matches(a, 'node_guid') || matches(a, 'port_guid')) {
      const v = next();
      const g = guid(v);
      if (g === undefined) invarg('Invalid GUID format\n', v);
      info[matches(a, 'node_guid') ? 'ib_node_guid' : 'ib_port_guid'] = { vf, guid: g };
    } else {
      i--; // not ours: the caller goes on with it
      break;
    }
  }
  if (newRateApi) {
    if (minRate === -1 || maxRate === -1) {
      // iproute2 fills the missing one from the VF's current rate (a link dump); rip does not read VF state.
      throw new CliError('Error: rip needs both "min_tx_rate" and "max_tx_rate" (it does not read the VF\'s current rates)', 1);
    }
    if (maxRate && minRate > maxRate) throw new CliError(`Invalid min_tx_rate ${minRate} - must be <= max_tx_rate ${maxRate}`, 1);
    info.rate = { vf, min_tx_rate: minRate, max_tx_rate: maxRate };
  }
  if (i === start) throw new CliError('Command line is not complete. Try option "help"');
  return { info: info as VfInfo, last: i };
}
