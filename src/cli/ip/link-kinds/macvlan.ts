/**
 * `ip link … type macvlan|macvtap …` (iproute2 ip/iplink_macvlan.c).
 * @module
 */
import { CliError, matches } from '../../common/args.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../../output/printer.js';
import { MACVLAN_MODE, MACVLAN_MACADDR, MACVLAN_FLAG } from '../../../netlink/rtnetlink/kinds/macvlan.js';
import { USAGE_MACVLAN } from './usage.js';
import { fmtUsage, getU32, llAddrA2n, nextArg, type KindCli, type KindAttrs } from './util.js';

const MODES: Record<string, number> = {
  private: MACVLAN_MODE.PRIVATE, vepa: MACVLAN_MODE.VEPA, bridge: MACVLAN_MODE.BRIDGE,
  passthru: MACVLAN_MODE.PASSTHRU, source: MACVLAN_MODE.SOURCE,
};

/** A macvlan-family kind module (`macvlan` or `macvtap`). */
export function macvlan(kind: string): KindCli {
  const usage = fmtUsage(USAGE_MACVLAN, kind).replace(/\n$/, '');
  const fail = (msg = ''): never => { throw new CliError((msg ? `${kind}: ${msg}\n` : '') + usage, 1); };
  const mac6 = (arg: string): string => {
    const t = llAddrA2n(arg);
    if (t.split(':').length !== 6) throw new CliError('', 1);
    return t;
  };
  return {
    usage: USAGE_MACVLAN,
    parse(args) {
      const out: Record<string, unknown> = {};
      let mode = 0, flags = 0, hasFlags = false;
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (matches(a, 'mode')) {
          const v = nextArg(args, i++);
          const m = MODES[v];
          if (m === undefined) throw new CliError(`Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${v}"`, 1);
          mode = m;
        } else if (matches(a, 'flag')) {
          const v = nextArg(args, i++);
          if (v === 'nopromisc') flags |= MACVLAN_FLAG.NOPROMISC;
          else if (v === 'nodst') flags |= MACVLAN_FLAG.NODST;
          else if (v !== 'null') throw new CliError(`Error: argument of "flag" must be "nopromisc", "nodst" or "null", not "${v}"`, 1);
          hasFlags = true;
        } else if (matches(a, 'macaddr')) {
          const v = nextArg(args, i++);
          const mm = v === 'add' ? MACVLAN_MACADDR.ADD : v === 'del' ? MACVLAN_MACADDR.DEL : v === 'set' ? MACVLAN_MACADDR.SET : v === 'flush' ? MACVLAN_MACADDR.FLUSH : -1;
          if (mm < 0) fail();
          out.macaddr_mode = mm;
          if (mm === MACVLAN_MACADDR.ADD || mm === MACVLAN_MACADDR.DEL) out.macaddr = mac6(nextArg(args, i++));
          if (mm === MACVLAN_MACADDR.SET) {
            const list: string[] = [];
            while (i + 1 < args.length) {
              let t: string | undefined;
              try { t = mac6(args[i + 1]!); } catch { t = undefined; }
              if (t === undefined) break;
              list.push(t);
              i++;
            }
            out.macaddr_data = { macaddr: list };
          }
        } else if (matches(a, 'nopromisc')) {
          flags |= MACVLAN_FLAG.NOPROMISC; hasFlags = true;
        } else if (matches(a, 'nodst')) {
          flags |= MACVLAN_FLAG.NODST; hasFlags = true;
        } else if (matches(a, 'bcqueuelen')) {
          const v = nextArg(args, i++);
          const n = getU32(v);
          if (n === undefined) throw new CliError(`Error: argument of "bcqueuelen" must be a positive integer [0-4294967295], not "${v}"`, 1);
          out.bc_queue_len = n;
        } else if (matches(a, 'help')) {
          fail();
        } else {
          fail(`unknown option "${a}"?`);
        }
      }
      if (mode) out.mode = mode;
      if (hasFlags) {
        if (flags & MACVLAN_FLAG.NOPROMISC && mode !== MACVLAN_MODE.PASSTHRU) fail('nopromisc flag only valid in passthru mode');
        out.flags = flags;
      }
      return out;
    },
    print(p: Printer, d: KindAttrs) {
      if (d.mode === undefined) return;
      const mode = d.mode as number;
      const name = Object.entries(MODES).find(([, v]) => v === mode)?.[0] ?? 'unknown';
      p.string(ANY, 'mode', 'mode %s ', name);
      const flags = (d.flags as number | undefined) ?? 0;
      if (flags & MACVLAN_FLAG.NOPROMISC) p.bool(ANY, 'nopromisc', 'nopromisc ', true);
      if (flags & MACVLAN_FLAG.NODST) p.bool(ANY, 'nodst', 'nodst ', true);
      if (d.bc_queue_len !== undefined) p.uint(ANY, 'bcqueuelen', 'bcqueuelen %lu ', d.bc_queue_len as number);
      if (d.bc_queue_len_used !== undefined) p.uint(ANY, 'usedbcqueuelen', 'usedbcqueuelen %lu ', d.bc_queue_len_used as number);
      if (mode !== MACVLAN_MODE.SOURCE || d.macaddr_count === undefined) return;
      p.int(ANY, 'macaddr_count', 'remotes (%d) ', d.macaddr_count as number);
      const data = d.macaddr_data as { macaddr?: string[] } | undefined;
      if (!data) return;
      p.openArray(JSON_ONLY, 'macaddr_data');
      for (const m of data.macaddr ?? []) {
        if (p.inJson) p.string(JSON_ONLY, null, '', m);
        else p.string(FP, null, '%s ', m);
      }
      p.closeArray(JSON_ONLY, '');
    },
  };
}
