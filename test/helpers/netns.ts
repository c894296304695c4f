/**
 * Integration-test helpers: throwaway network namespaces and kernel-feature probes.
 *
 * Every namespace made here is named `<prefix>-<pid>-<counter>` (default prefix
 * `rip-test`), is created with iproute2's `ip netns add`, has `lo` up, and is
 * deleted afterwards (in a finally, and as a last resort on process exit), so a
 * test never touches the host's own network.
 *
 * ```ts
 * test('tbf', async (t) => {
 *   await withNetns(t, async (ns) => {
 *     ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
 *     // ... use rip with { netns: ns.name } ...
 *     assert.match(ns.tc('qdisc', 'show', 'dev', 'veth0'), /tbf/);
 *   });
 * });
 * ```
 *
 * Everything is synchronous (spawnSync) on purpose: setup and checks are short,
 * and synchronous calls keep test code linear and make cleanup in `exit` possible.
 * @module
 */
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

/** Result of a command run inside a namespace. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status; null when killed by a signal or not started. */
  readonly status: number | null;
}

/** A throwaway network namespace. */
export interface TestNetns {
  /** Namespace name, usable as `ip -n NAME` and as rip's `{ netns: NAME }`. */
  readonly name: string;
  /** Its bind-mount path, /run/netns/NAME. */
  readonly path: string;
  /** Run any command inside the namespace (`ip netns exec NAME cmd ...args`); never throws. */
  run(cmd: string, args?: readonly string[]): RunResult;
  /** `ip -n NAME ...args`; returns stdout, throws with stderr on a non-zero exit. */
  ip(...args: string[]): string;
  /** `tc -n NAME ...args`; returns stdout, throws with stderr on a non-zero exit. */
  tc(...args: string[]): string;
  /** Delete the namespace (idempotent). */
  cleanup(): void;
}

/** Whether we run inside the full-kernel VM (`npm run test:vm`; run-in-vm.sh sets RUN_IN_VM=1). */
export function inVm(): boolean {
  return process.env.RUN_IN_VM === '1';
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function exec(cmd: string, args: readonly string[]): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const err = r.error ? `${r.error.message}\n` : '';
  return { stdout: r.stdout ?? '', stderr: err + (r.stderr ?? ''), status: r.status };
}

function mustExec(cmd: string, args: readonly string[]): string {
  const r = exec(cmd, args);
  if (r.status !== 0) {
    throw new Error(`${[cmd, ...args].join(' ')} failed (status ${String(r.status)}): ${r.stderr.trim()}`);
  }
  return r.stdout;
}

// Namespaces this process still owns; deleted on exit if a test forgot (or crashed).
const live = new Set<string>();
let hooked = false;
let counter = 0;

function deleteNetns(name: string): void {
  if (!live.delete(name)) return;
  exec('ip', ['netns', 'del', name]);
}

/** Create a fresh namespace `<prefix>-<pid>-<n>` with lo up. Call `cleanup()` when done. */
export function createTestNetns(prefix = 'rip-test'): TestNetns {
  const name = `${prefix}-${process.pid}-${++counter}`;
  mustExec('ip', ['netns', 'add', name]);
  live.add(name);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => { for (const n of [...live]) deleteNetns(n); });
  }
  try {
    mustExec('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (e) {
    deleteNetns(name);
    throw e;
  }
  return {
    name,
    path: `/run/netns/${name}`,
    run: (cmd, args = []) => exec('ip', ['netns', 'exec', name, cmd, ...args]),
    ip: (...args) => mustExec('ip', ['-n', name, ...args]),
    tc: (...args) => mustExec('tc', ['-n', name, ...args]),
    cleanup: () => deleteNetns(name),
  };
}

/**
 * Skip `t` unless we are root; returns whether the test may go on.
 * Usage: `if (!requireRoot(t)) return;`
 */
export function requireRoot(t: TestContext): boolean {
  if (isRoot()) return true;
  t.skip('needs root');
  return false;
}

/**
 * Skip `t` unless `probe()` says this kernel has `what` (e.g. `hasQdisc('cake')`).
 * Also skips (as 'needs root') when not root, since every probe needs root.
 */
export function requireKernelFeature(t: TestContext, probe: () => boolean, what: string): boolean {
  if (!requireRoot(t)) return false;
  if (probe()) return true;
  t.skip(`needs ${what} (not in this kernel; runs in the full-kernel VM via npm run test:vm)`);
  return false;
}

/**
 * Run `fn` with a fresh namespace that is deleted afterwards, whatever happens.
 * Skips `t` (returning undefined) when not root.
 */
export async function withNetns<R>(t: TestContext, fn: (ns: TestNetns) => R | Promise<R>, prefix?: string): Promise<R | undefined> {
  if (!requireRoot(t)) return undefined;
  const ns = createTestNetns(prefix);
  try {
    return await fn(ns);
  } finally {
    ns.cleanup();
  }
}

// ---------------------------------------------------------------- probes

/*
 * Probes try the real thing in one scratch namespace per process (with a veth
 * pair: rip-pb0 for qdiscs and as lower device, rip-pb1 for filters) and cache
 * the answer per kind. A probe never throws: no root, no iproute2 support or
 * no kernel module all answer false.
 */
let probeNs: TestNetns | null | undefined;
const cache = new Map<string, boolean>();

function scratch(): TestNetns | null {
  if (probeNs !== undefined) return probeNs;
  probeNs = null;
  if (!isRoot()) return null;
  try {
    const ns = createTestNetns('rip-probe');
    ns.ip('link', 'add', 'rip-pb0', 'type', 'veth', 'peer', 'name', 'rip-pb1');
    probeNs = ns;
  } catch {
    probeNs = null;
  }
  return probeNs;
}

function cached(key: string, check: (ns: TestNetns) => boolean): boolean {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const ns = scratch();
  let ok = false;
  if (ns) {
    try { ok = check(ns); } catch { ok = false; }
  }
  cache.set(key, ok);
  return ok;
}

const ok = (r: RunResult): boolean => r.status === 0;

/**
 * What some link kinds need to be created at all: `before` goes ahead of
 * `type KIND` (generic options such as the lower device), `after` follows it.
 */
const LINK_ARGS: Readonly<Record<string, { before?: readonly string[]; after?: readonly string[] }>> = {
  veth: { after: ['peer', 'name', 'rip-probe-y'] },
  vlan: { before: ['link', 'rip-pb0'], after: ['id', '10'] },
  macvlan: { before: ['link', 'rip-pb0'] },
  macvtap: { before: ['link', 'rip-pb0'] },
  ipvlan: { before: ['link', 'rip-pb0'] },
  ipvtap: { before: ['link', 'rip-pb0'] },
  macsec: { before: ['link', 'rip-pb0'] },
  vrf: { after: ['table', '10'] },
  vxlan: { after: ['id', '42', 'dstport', '4789'] },
  geneve: { after: ['id', '42', 'remote', '192.0.2.1'] },
  bareudp: { after: ['dstport', '6635', 'ethertype', 'ip'] },
  gre: { after: ['remote', '192.0.2.1', 'local', '192.0.2.2'] },
  gretap: { after: ['remote', '192.0.2.1', 'local', '192.0.2.2'] },
  ip6gre: { after: ['remote', '2001:db8::1', 'local', '2001:db8::2'] },
  ipip: { after: ['remote', '192.0.2.1', 'local', '192.0.2.2'] },
  sit: { after: ['remote', '192.0.2.1', 'local', '192.0.2.2'] },
  vti: { after: ['remote', '192.0.2.1', 'local', '192.0.2.2'] },
  xfrm: { after: ['if_id', '7'] },
};

/**
 * Can this kernel create links of `kind` (`ip link add [before] rip-probe-x type KIND [args]`)?
 * `args` replaces the built-in kind arguments; a lower device, where the kind needs one, is rip-pb0.
 */
export function hasLinkKind(kind: string, args?: readonly string[]): boolean {
  const before = LINK_ARGS[kind]?.before ?? [];
  const after = args ?? LINK_ARGS[kind]?.after ?? [];
  return cached(`link:${kind}:${after.join(' ')}`, (ns) => {
    const added = ok(ns.run('ip', ['link', 'add', ...before, 'name', 'rip-probe-x', 'type', kind, ...after]));
    ns.run('ip', ['link', 'del', 'rip-probe-x']);
    return added;
  });
}

/** Arguments some qdiscs need (the probe attaches at root of rip-pb0). */
const QDISC_ARGS: Readonly<Record<string, readonly string[]>> = {
  tbf: ['rate', '1mbit', 'burst', '10k', 'latency', '50ms'],
  cbs: ['idleslope', '1', 'sendslope', '-1', 'hicredit', '1', 'locredit', '-1'],
  etf: ['clockid', 'CLOCK_TAI', 'delta', '1000'],
};

/**
 * Can this kernel attach a `kind` qdisc (`tc qdisc add dev rip-pb0 root KIND [args]`)?
 * `ingress` and `clsact` are tried as such. `args` replaces the built-in kind arguments.
 */
export function hasQdisc(kind: string, args: readonly string[] = QDISC_ARGS[kind] ?? []): boolean {
  return cached(`qdisc:${kind}:${args.join(' ')}`, (ns) => {
    const where = kind === 'ingress' || kind === 'clsact' ? [] : ['root'];
    const added = ok(ns.run('tc', ['qdisc', 'add', 'dev', 'rip-pb0', ...where, kind, ...args]));
    ns.run('tc', ['qdisc', 'del', 'dev', 'rip-pb0', ...(where.length ? where : [kind])]);
    return added;
  });
}

/**
 * What classifiers need: `before` goes ahead of the kind (e.g. `handle`), `after`
 * follows it. Some kinds reject a filter with neither classid nor action (EINVAL).
 */
const FILTER_ARGS: Readonly<Record<string, { before?: readonly string[]; after?: readonly string[] }>> = {
  u32: { after: ['match', 'u32', '0', '0', 'classid', '1:1'] },
  matchall: { after: ['classid', '1:1'] },
  basic: { after: ['classid', '1:1'] },
  flower: { after: ['classid', '1:1'] },
  fw: { before: ['handle', '1'], after: ['classid', '1:1'] },
  route: { after: ['to', '1', 'classid', '1:1'] },
};

function withClsact(ns: TestNetns): boolean {
  // On rip-pb1, so hasQdisc('clsact'), which adds and removes one on rip-pb0, cannot disturb it.
  return cached('qdisc:clsact(probe base)', () => ok(ns.run('tc', ['qdisc', 'add', 'dev', 'rip-pb1', 'clsact'])));
}

/**
 * Can this kernel attach a `kind` classifier (`tc filter add dev rip-pb1 ingress
 * protocol all pref 7 [before] KIND [args]`)? `args` replaces the built-in kind arguments.
 */
export function hasFilter(kind: string, args?: readonly string[]): boolean {
  const before = FILTER_ARGS[kind]?.before ?? [];
  const after = args ?? FILTER_ARGS[kind]?.after ?? [];
  return cached(`filter:${kind}:${after.join(' ')}`, (ns) => {
    if (!withClsact(ns)) return false;
    const added = ok(ns.run('tc', ['filter', 'add', 'dev', 'rip-pb1', 'ingress', 'protocol', 'all', 'pref', '7', ...before, kind, ...after]));
    ns.run('tc', ['filter', 'del', 'dev', 'rip-pb1', 'ingress', 'pref', '7']);
    return added;
  });
}

/** Arguments each action needs to be created standalone. */
const ACTION_ARGS: Readonly<Record<string, readonly string[]>> = {
  gact: ['pass'],
  mirred: ['egress', 'redirect', 'dev', 'rip-pb1'],
  police: ['rate', '1mbit', 'burst', '10k'],
  vlan: ['pop'],
  skbedit: ['mark', '1'],
  pedit: ['munge', 'offset', '0', 'u8', 'set', '1'],
  tunnel_key: ['unset'],
  nat: ['ingress', '192.0.2.1', '192.0.2.2'],
  csum: ['ip4h'],
  sample: ['rate', '10', 'group', '1'],
  connmark: [],
  ct: [],
  mpls: ['pop', 'protocol', 'ip'],
  skbmod: ['set', 'smac', '02:00:00:00:00:01'],
};

/**
 * Can this kernel create a standalone `kind` action (`tc actions add action KIND [args] index N`)?
 * `args` replaces the built-in kind arguments.
 */
export function hasAction(kind: string, args: readonly string[] = ACTION_ARGS[kind] ?? []): boolean {
  return cached(`action:${kind}:${args.join(' ')}`, (ns) => {
    const added = ok(ns.run('tc', ['actions', 'add', 'action', kind, ...args, 'index', '4242']));
    ns.run('tc', ['actions', 'flush', 'action', kind]);
    return added;
  });
}
