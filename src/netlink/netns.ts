/**
 * Network namespaces the way iproute2 manages them: named namespaces are
 * files under /run/netns bind-mounted onto a namespace, so they outlive the
 * process that made them. The process running rip never changes its own
 * namespace: creation and exec happen on a helper thread / in a child.
 *
 * ```ts
 * import { netns, Netlink } from 'rip/netlink';
 * await netns.add('blue');
 * await using nl = await Netlink.open({ netns: 'blue' });
 * const { status } = await netns.exec('blue', ['ip', 'link']);
 * await netns.del('blue');
 * ```
 * @module
 */
import { mkdirSync, statSync, openSync, closeSync, unlinkSync, opendirSync, readdirSync, readlinkSync, watch } from 'node:fs';
import { native } from './native.js';
import { NetlinkSocket, type RequestOptions } from './socket.js';
import { NETLINK, RTM, NLM_F, constants } from './constants.js';
import { attrs, attr, s32, u32, message } from './codec/schema.js';
import { rtgenmsg } from './structs.js';
import { ValidationError } from './errors.js';
import { errnoNumber, strerror } from './errno.js';
import { rtRequest } from './rtnetlink/request.js';

/** Where named namespaces live (NETNS_RUN_DIR). */
export const NETNS_RUN_DIR = '/run/netns';

/** NETNSA_* (linux/net_namespace.h). */
export const NETNSA = constants('NETNSA_', ['linux/net_namespace.h'], {
  NONE: 0, NSID: 1, PID: 2, FD: 3, TARGET_NSID: 4, CURRENT_NSID: 5,
});

/** RTM_*NSID body: rtgenmsg + NETNSA attributes. */
export const nsidMessage = message('RTM_NEWNSID', rtgenmsg, attrs('NETNSA', {
  fd: attr(NETNSA.FD, u32),
  pid: attr(NETNSA.PID, u32),
  nsid: attr(NETNSA.NSID, s32),
  target_nsid: attr(NETNSA.TARGET_NSID, s32),
  current_nsid: attr(NETNSA.CURRENT_NSID, s32),
}));

const MS_BIND = 0x1000;
const MS_REC = 0x4000;
const MS_SHARED = 1 << 20;
const MNT_DETACH = 2;

/** iproute2's invalid_name(): empty, too long, containing '/', '.' or '..'. */
export function isValidName(name: string): boolean {
  return name.length > 0 && Buffer.byteLength(name) <= 255 && !name.includes('/') && name !== '.' && name !== '..';
}

function check(name: string): string {
  if (!isValidName(name)) throw new ValidationError(`Invalid netns name "${name}"`, 'name');
  return `${NETNS_RUN_DIR}/${name}`;
}

function errnoOf(e: unknown): string {
  return (e as { code?: string }).code ?? '';
}

/** An error from a namespace operation, with iproute2's wording in `message`. */
export class NetnsError extends Error {
  override readonly name = 'NetnsError';
  constructor(message: string, readonly code: string, options?: ErrorOptions) {
    super(message, options);
  }
}

function fail(prefix: string, e: unknown): never {
  const err = e as { code?: string; message?: string };
  const num = err.code !== undefined ? errnoNumber(err.code) : undefined;
  const reason = num !== undefined ? strerror(num) : (err.message ?? String(e));
  throw new NetnsError(`${prefix}: ${reason}`, err.code ?? 'EIO', { cause: e });
}

/** Make /run/netns a shared mount point (so unmounts propagate), like iproute2. */
function prepareRunDir(): void {
  try { mkdirSync(NETNS_RUN_DIR, { mode: 0o755 }); } catch (e) { if (errnoOf(e) !== 'EEXIST') fail(`mkdir ${NETNS_RUN_DIR} failed`, e); }
  let madeMount = false;
  for (;;) {
    try {
      native.mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC, null);
      return;
    } catch (e) {
      if (errnoOf(e) !== 'EINVAL' || madeMount) fail(`mount --make-shared ${NETNS_RUN_DIR} failed`, e);
    }
    try {
      native.mount(NETNS_RUN_DIR, NETNS_RUN_DIR, 'none', MS_BIND | MS_REC, null);
    } catch (e) {
      fail(`mount --bind ${NETNS_RUN_DIR} ${NETNS_RUN_DIR} failed`, e);
    }
    madeMount = true;
  }
}

/** Create a named namespace (`ip netns add NAME`). */
export async function add(name: string): Promise<void> {
  const path = check(name);
  prepareRunDir();
  try {
    closeSync(openSync(path, 'wx', 0));
  } catch (e) {
    fail(`Cannot create namespace file "${path}"`, e);
  }
  try {
    native.netnsCreate(path);
  } catch (e) {
    try { native.umount(path, MNT_DETACH); } catch { /* not mounted */ }
    try { unlinkSync(path); } catch { /* already gone */ }
    fail(`Failed to create a new network namespace "${name}"`, e);
  }
}

/** Name an existing process's namespace (`ip netns attach NAME PID`). */
export async function attach(name: string, pid: number): Promise<void> {
  const path = check(name);
  prepareRunDir();
  try {
    closeSync(openSync(path, 'wx', 0));
  } catch (e) {
    fail(`Cannot create namespace file "${path}"`, e);
  }
  try {
    native.mount(`/proc/${pid}/ns/net`, path, 'none', MS_BIND, null);
  } catch (e) {
    try { unlinkSync(path); } catch { /* already gone */ }
    fail(`Bind /proc/${pid}/ns/net -> ${path} failed`, e);
  }
}

/** Delete a named namespace (`ip netns del NAME`); the namespace dies with its last user. */
export async function del(name: string): Promise<void> {
  const path = check(name);
  try { native.umount(path, MNT_DETACH); } catch { /* iproute2 ignores this too */ }
  try {
    unlinkSync(path);
  } catch (e) {
    fail(`Cannot remove namespace file "${path}"`, e);
  }
}

/** Names under /run/netns in directory order (as `ip netns list` prints them). */
export function names(): string[] {
  let dir;
  try { dir = opendirSync(NETNS_RUN_DIR); } catch { return []; }
  const out: string[] = [];
  try {
    for (let ent = dir.readSync(); ent; ent = dir.readSync()) out.push(ent.name);
  } finally {
    dir.closeSync();
  }
  return out;
}

/** A named namespace and its id as seen from the caller's namespace (if one is assigned). */
export interface NamedNetns {
  readonly name: string;
  readonly id: number | undefined;
}

/**
 * Every named namespace with its nsid (`ip netns list`).
 * @param opts.from look the ids up as seen from this namespace (default: ours)
 */
export async function list(opts: RequestOptions & { from?: string } = {}): Promise<NamedNetns[]> {
  const all = names();
  if (!all.length) return [];
  const sock = NetlinkSocket.open(NETLINK.ROUTE, opts.from !== undefined ? { netns: opts.from } : {});
  try {
    return await Promise.all(all.map(async (name) => ({ name, id: await idOn(sock, name, opts).catch(() => undefined) })));
  } finally {
    sock.close();
  }
}

async function idOn(sock: NetlinkSocket, name: string, opts: RequestOptions): Promise<number | undefined> {
  const fd = native.open(`${NETNS_RUN_DIR}/${name}`, native.constants.O_RDONLY);
  try {
    const m = await sock.get(rtRequest(nsidMessage, RTM.GETNSID, NLM_F.ACK, { family: 0 }, { fd }), `get nsid of ${name}`, opts);
    const id = nsidMessage.decode(m.buf, m.off, m.len).attrs.nsid;
    return id === undefined || id < 0 ? undefined : id;
  } finally {
    native.close(fd);
  }
}

/** The nsid of a named namespace as seen from `from` (default: ours), or undefined if unassigned. */
export async function getId(name: string, opts: RequestOptions & { from?: string } = {}): Promise<number | undefined> {
  check(name);
  const sock = NetlinkSocket.open(NETLINK.ROUTE, opts.from !== undefined ? { netns: opts.from } : {});
  try {
    return await idOn(sock, name, opts);
  } finally {
    sock.close();
  }
}

/**
 * Assign an nsid to a named namespace (`ip netns set NAME ID`); `'auto'` lets the kernel choose.
 */
export async function setId(name: string, id: number | 'auto', opts: RequestOptions & { from?: string } = {}): Promise<void> {
  const path = check(name);
  const nsid = id === 'auto' ? -1 : id;
  if (!Number.isInteger(nsid) || (id !== 'auto' && nsid < 0)) throw new ValidationError(`"netnsid" value should be >= 0`, 'id');
  let fd: number;
  try { fd = native.open(path, native.constants.O_RDONLY); } catch (e) { fail(`Cannot open network namespace "${name}"`, e); }
  const sock = NetlinkSocket.open(NETLINK.ROUTE, opts.from !== undefined ? { netns: opts.from } : {});
  try {
    await sock.request(rtRequest(nsidMessage, RTM.NEWNSID, NLM_F.ACK, { family: 0 }, { fd, nsid }), `set netns ${name} id ${id}`, opts);
  } finally {
    sock.close();
    native.close(fd);
  }
}

/** An nsid entry from `ip netns list-id`. */
export interface NsidEntry {
  readonly nsid: number;
  /** The named namespace(s) with this id, if any are named. */
  readonly names: string[];
  readonly currentNsid: number | undefined;
}

/** Every nsid assigned in `from` (default: ours), like `ip netns list-id`. */
export async function listIds(opts: RequestOptions & { from?: string; targetNsid?: number } = {}): Promise<Array<{ nsid: number; currentNsid: number | undefined }>> {
  const sock = NetlinkSocket.open(NETLINK.ROUTE, opts.from !== undefined ? { netns: opts.from } : {});
  try {
    const body = opts.targetNsid !== undefined ? { target_nsid: opts.targetNsid } : {};
    return await sock.dump(rtRequest(nsidMessage, RTM.GETNSID, NLM_F.DUMP, { family: 0 }, body), (m) => {
      if (m.type !== RTM.NEWNSID) return undefined;
      const a = nsidMessage.decode(m.buf, m.off, m.len).attrs;
      return { nsid: a.nsid ?? -1, currentNsid: a.current_nsid };
    }, 'list nsids', opts).toArray();
  } finally {
    sock.close();
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a), y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** Names of the namespace a process is in (`ip netns identify [PID]`). */
export function identify(pid: number | 'self' = 'self'): string[] {
  const mine = `/proc/${pid}/ns/net`;
  try { statSync(mine); } catch (e) { fail('Cannot open network namespace', e); }
  return names().filter((n) => sameFile(mine, `${NETNS_RUN_DIR}/${n}`));
}

/** Pids of the processes in a named namespace (`ip netns pids NAME`). */
export function pids(name: string): number[] {
  const path = check(name);
  let st;
  try { st = statSync(path); } catch (e) { fail('Cannot open network namespace', e); }
  const out: number[] = [];
  for (const ent of readdirSync('/proc')) {
    if (!/^\d+$/.test(ent)) continue;
    try {
      const s = statSync(`/proc/${ent}/ns/net`);
      if (s.dev === st.dev && s.ino === st.ino) out.push(Number(ent));
    } catch { /* process gone or not ours */ }
  }
  return out;
}

/** How a command run with {@link exec} ended. */
export interface ExecResult {
  /** Exit status (0 when killed by a signal). */
  readonly status: number;
  /** Signal number that killed it, or 0. */
  readonly signal: number;
}

/**
 * Run a command inside a named namespace (`ip netns exec NAME cmd …`):
 * in a fresh mount namespace with /sys remounted and /etc/netns/NAME/*
 * bind-mounted over /etc, as iproute2 does. The child shares our stdio.
 */
export async function exec(name: string, argv: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<ExecResult> {
  const path = check(name);
  if (!argv.length) throw new ValidationError('No command specified', 'argv');
  const { pid, pidfd } = native.spawnInNetns(path, [...argv], name);
  return new Promise<ExecResult>((resolve) => {
    const poller = new native.Poller(pidfd, () => {
      const r = native.waitPidfd(pidfd);
      if (!r) return;
      poller.close();
      native.close(pidfd);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ status: r.status, signal: r.signal });
    });
    const onAbort = (): void => { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    poller.start(true, false);
  });
}

/** A named namespace appeared or went away. */
export interface NetnsEvent {
  readonly action: 'add' | 'delete';
  readonly name: string;
}

/**
 * Watch /run/netns for namespaces being added and deleted (`ip netns monitor`).
 */
export async function* monitor(opts: { signal?: AbortSignal } = {}): AsyncGenerator<NetnsEvent, void, undefined> {
  prepareRunDir();
  let known = new Set(names());
  const queue: NetnsEvent[] = [];
  let wake: (() => void) | null = null;
  const watcher = watch(NETNS_RUN_DIR, () => {
    const now = new Set(names());
    for (const n of now) if (!known.has(n)) queue.push({ action: 'add', name: n });
    for (const n of known) if (!now.has(n)) queue.push({ action: 'delete', name: n });
    known = now;
    const w = wake; wake = null; w?.();
  });
  const stop = (): void => { const w = wake; wake = null; w?.(); };
  opts.signal?.addEventListener('abort', stop, { once: true });
  try {
    while (!opts.signal?.aborted) {
      while (queue.length) yield queue.shift()!;
      await new Promise<void>((r) => { wake = r; });
    }
  } finally {
    watcher.close();
    opts.signal?.removeEventListener('abort', stop);
  }
}

/** The target of a /proc/PID/ns/net link, e.g. `net:[4026531840]` (for comparisons). */
export function namespaceId(pid: number | 'self' = 'self'): string {
  return readlinkSync(`/proc/${pid}/ns/net`);
}
