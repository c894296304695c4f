/**
 * The `tun` part of `ip -d link show` (iproute2 ip/iptuntap.c tun_print_opt).
 * iproute2's tun link_util has no parse_opt: words after `type tun` are
 * ignored inside an empty IFLA_INFO_DATA nest; and no print_help: `ip link
 * help tun` prints ip link's usage (an empty `usage` here).
 * @module
 */
import { ANY, JSON_ONLY, type Printer } from '../../../output/printer.js';
import { TUN_FLAG } from '../../../tuntap/constants.js';
import { userName, groupName } from '../../common/passwd.js';
import type { KindCli, KindAttrs } from './util.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

export const tun: KindCli = {
  usage: '',
  parse() {
    return {};
  },
  print(p: Printer, d: KindAttrs) {
    const type = num(d.type);
    if (type !== undefined) {
      const s = type === TUN_FLAG.TUN ? 'tun' : type === TUN_FLAG.TAP ? 'tap' : `UNKNOWN:${type}`;
      p.string(ANY, 'type', 'type %s ', s);
    }
    const pi = num(d.pi);
    if (pi !== undefined) p.onOff(ANY, 'pi', 'pi %s ', pi !== 0);
    const vnet = num(d.vnet_hdr);
    if (vnet !== undefined) p.onOff(ANY, 'vnet_hdr', 'vnet_hdr %s ', vnet !== 0);
    // print_mq()
    if (!num(d.multi_queue)) {
      if (p.inJson) p.bool(JSON_ONLY, 'multi_queue', '', false);
    } else {
      p.bool(ANY, 'multi_queue', 'multi_queue ', true);
      const nq = num(d.num_queues);
      if (nq !== undefined) p.uint(ANY, 'numqueues', 'numqueues %u ', nq);
      const nd = num(d.num_disabled_queues);
      if (nd !== undefined) p.uint(ANY, 'numdisabled', 'numdisabled %u ', nd);
    }
    const persist = num(d.persist);
    if (persist !== undefined) p.onOff(ANY, 'persist', 'persist %s ', persist !== 0);
    const owner = num(d.owner);
    if (owner !== undefined) {
      const name = userName(owner);
      if (name !== undefined) p.string(ANY, 'user', 'user %s ', name);
      else p.uint(ANY, 'user', 'user %u ', owner);
    }
    const group = num(d.group);
    if (group !== undefined) {
      const name = groupName(group);
      if (name !== undefined) p.string(ANY, 'group', 'group %s ', name);
      else p.uint(ANY, 'group', 'group %u ', group);
    }
  },
};
