/**
 * bpf: classic BPF bytecode or an eBPF program as classifier
 * (linux/pkt_cls.h TCA_BPF_*; grammar and output of iproute2's tc/f_bpf.c
 * and lib/bpf_legacy.c).
 *
 * Classic BPF (`bytecode 'N,c t f k,…'`) needs nothing but netlink. An eBPF
 * program is given to the kernel as a file descriptor: the library takes an
 * fd the caller holds (`bpf({ fd, name, directAction: true })`). The `tc`
 * command does not open pinned objects or ELF files (that needs the bpf(2)
 * syscall, which rip's addon does not expose), and prints an eBPF program
 * by `id` and `tag` without the name/jited details tc reads with bpf(2).
 *
 * ```ts
 * import { bpf } from 'rip/tc';
 * // ret #-1 (accept everything), classify into 1:1
 * await nl.filter.add({ dev: 'eth0', parent: '1:', protocol: 'all', prio: 1, kind: 'bpf',
 *   options: bpf({ bytecode: [[6, 0, 0, 0xffffffff]], classid: '1:1' }) });
 * ```
 * @module
 */
import { attrs, attr, struct, array, u8, u16, u32, cstring, bytes, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { ANY, FP, JSON_ONLY, type Printer } from '../../output/printer.js';
import { TcArgError, type TcEnv } from '../kind.js';
import { registerFilterKind, TCA_CLS_FLAGS, type FilterEnv, type ParsedFilter } from '../filter-kind.js';
import { actionList, printActions, type Action } from '../action.js';
import { formatClassid, toHandle, type HandleLike } from '../handle.js';
import { Tokens, getUnsigned, matches } from '../kinds/util.js';
import { printPolice, policeAttrs } from '../actions/police.js';
import { fail, actionClause, policeClause, classidArg, printClsFlags } from './common.js';

/** TCA_BPF_* */
export const TCA_BPF = constants('TCA_BPF_', ['linux/pkt_cls.h'], {
  UNSPEC: 0, ACT: 1, POLICE: 2, CLASSID: 3, OPS_LEN: 4, OPS: 5, FD: 6, NAME: 7, FLAGS: 8, FLAGS_GEN: 9, TAG: 10, ID: 11,
  FLAG_ACT_DIRECT: 1,
});

/** struct sock_filter: one classic BPF instruction. */
export const sockFilter = struct('sock_filter', { code: u16, jt: u8, jf: u8, k: u32 });
/** A classic BPF instruction. */
export type SockFilter = Infer<typeof sockFilter>;

/** TCA_OPTIONS of bpf. */
export const bpfAttrs = attrs('bpf', {
  classid: attr(TCA_BPF.CLASSID, u32),
  ops_len: attr(TCA_BPF.OPS_LEN, u16),
  ops: attr(TCA_BPF.OPS, array(sockFilter)),
  fd: attr(TCA_BPF.FD, u32),
  name: attr(TCA_BPF.NAME, cstring),
  act: attr(TCA_BPF.ACT, actionList),
  police: attr(TCA_BPF.POLICE, policeAttrs),
  flags_gen: attr(TCA_BPF.FLAGS_GEN, u32),
  flags: attr(TCA_BPF.FLAGS, u32),
  tag: attr(TCA_BPF.TAG, bytes),
  id: attr(TCA_BPF.ID, u32),
});
/** Decoded/encodable bpf options. */
export type BpfOptions = Infer<typeof bpfAttrs>;

declare module '../filter-kind.js' {
  interface FilterOptionsMap { bpf: BpfOptions }
}

const USAGE = `Usage: ... bpf ...

BPF use case:
 bytecode BPF_BYTECODE
 bytecode-file FILE

eBPF use case:
 object-file FILE [ section CLS_NAME ] [ export UDS_FILE ] [ verbose ] [ direct-action ] [ skip_hw | skip_sw ]
 object-pinned FILE [ direct-action ] [ skip_hw | skip_sw ]

Common remaining options:
 [ action ACTION_SPEC ]
 [ classid CLASSID ]

Where BPF_BYTECODE := 's,c t f k,c t f k,c t f k,...'
c,t,f,k and s are decimals; s denotes number of 4-tuples

Where FILE points to a file containing the BPF_BYTECODE string,
an ELF file containing eBPF map definitions and bytecode, or a
pinned eBPF program.

Where CLS_NAME refers to the section name containing the
classifier (default 'classifier').

Where UDS_FILE points to a unix domain socket file in order
to hand off control of all created eBPF maps to an agent.

ACTION_SPEC := ... look at individual actions
NOTE: CLASSID is parsed as hexadecimal input.`;

/** sscanf("%hu %hhu %hhu %u,") of one instruction: C's conversions, wrapping as scanf does. */
function scanInsn(s: string): SockFilter | null {
  const m = /^\s*([+-]?\d+)\s+([+-]?\d+)\s+([+-]?\d+)\s+([+-]?\d+)/.exec(s);
  if (!m) return null;
  const n = m.slice(1).map((x) => BigInt(x));
  return {
    code: Number(BigInt.asUintN(16, n[0]!)), jt: Number(BigInt.asUintN(8, n[1]!)),
    jf: Number(BigInt.asUintN(8, n[2]!)), k: Number(BigInt.asUintN(32, n[3]!)),
  };
}

/** bpf_ops_parse() of a bytecode string `N,c t f k,…`. */
export function parseBytecode(str: string): SockFilter[] {
  const head = /^\s*([+-]?\d+)(.)/.exec(str);
  if (!head || head[2] !== ',') fail('');
  const len = Number(BigInt.asUintN(16, BigInt(head![1]!)));
  if (len === 0 || len > 4096) fail('');
  const ops: SockFilter[] = [];
  let pos = str.indexOf(',');
  while (pos >= 0 && pos + 1 < str.length) {
    const token = str.slice(pos + 1);
    if (ops.length >= len) fail('Real program length exceeds encoded length parameter!');
    const insn = scanInsn(token);
    if (!insn) fail(`Error at instruction ${ops.length}!`);
    ops.push(insn!);
    pos = str.indexOf(',', pos + 1);
  }
  if (ops.length !== len) fail('Parsed program length is less than encoded length parameter!');
  return ops;
}

/** bpf_parse_opt() */
function parse(handle: string | undefined, argv: readonly string[], env: TcEnv): ParsedFilter<BpfOptions> {
  let h = 0;
  if (handle !== undefined) {
    const v = getUnsigned(handle, 0);
    if (v === null) fail('Illegal "handle"');
    h = v!;
  }
  if (argv.length === 0) return { handle: h, options: undefined };
  const t = new Tokens(argv);
  const o: BpfOptions = {};
  const tail: BpfOptions = {};
  let seenRun = false;
  let genFlags = 0;
  let flags = 0;
  const run = (): void => {
    seenRun = true;
    const a = t.cur;
    if (matches(a, 'bytecode') || a === 'bc') {
      const code = t.next();
      let ops: SockFilter[];
      try { ops = parseBytecode(code); } catch (e) {
        if (e instanceof TcArgError) fail(`${e.message ? `${e.message}\n` : ''}Unable to parse bpf command line`);
        throw e;
      }
      tail.ops_len = ops!.length;
      tail.ops = ops!;
    } else if (matches(a, 'bytecode-file') || a === 'bcf' || matches(a, 'object-file') || a === 'obj'
      || matches(a, 'object-pinned') || matches(a, 'pinned') || matches(a, 'fd')) {
      fail(`rip: bpf "${a}" needs the bpf(2) syscall, which rip does not use; load the program elsewhere and pass its fd to the library`);
    } else {
      fail(`What mode is "${a}"?\nUnable to parse bpf command line`);
    }
  };
  while (t.argc > 0) {
    const a = t.cur;
    if (matches(a, 'run')) {
      const v = t.next();
      if (seenRun) throw new TcArgError(`Error: duplicate "run": "${v}" is the second value.`, 255);
      run();
    } else if (matches(a, 'classid') || matches(a, 'flowid')) {
      o.classid = classidArg(t.next());
    } else if (matches(a, 'direct-action') || matches(a, 'da')) {
      flags |= TCA_BPF.FLAG_ACT_DIRECT;
    } else if (matches(a, 'skip_hw')) {
      genFlags |= TCA_CLS_FLAGS.SKIP_HW;
    } else if (matches(a, 'skip_sw')) {
      genFlags |= TCA_CLS_FLAGS.SKIP_SW;
    } else if (matches(a, 'action')) {
      t.next();
      o.act = actionClause(t, env);
      continue;
    } else if (matches(a, 'police')) {
      t.next();
      o.police = policeClause(t, env);
      continue;
    } else if (matches(a, 'help')) {
      fail(USAGE);
    } else {
      if (!seenRun) run();
      else fail(`What is "${a}"?\n${USAGE}`);
    }
    t.fwd();
  }
  // tc adds the program (bpf_load_common) and the flags after the options it met in the loop.
  Object.assign(o, tail);
  if (genFlags) o.flags_gen = genFlags;
  if (flags) o.flags = flags;
  return { handle: h, options: o };
}

function printOps(p: Printer, ops: readonly SockFilter[], len: number): void {
  if (len === 0) return;
  p.openObject('bytecode');
  p.uint(ANY, 'length', "bytecode '%u,", len);
  p.openArray(JSON_ONLY, 'insns');
  for (let i = 0; i < len; i++) {
    const op = ops[i] ?? { code: 0, jt: 0, jf: 0, k: 0 };
    p.openObject();
    p.uint(ANY, 'code', '%hu ', op.code);
    p.uint(ANY, 'jt', '%hhu ', op.jt);
    p.uint(ANY, 'jf', '%hhu ', op.jf);
    p.uint(ANY, 'k', i === len - 1 ? "%u'" : '%u,', op.k);
    p.closeObject();
  }
  p.closeArray(JSON_ONLY, '');
  p.closeObject();
}

/** bpf_print_opt() */
function print(p: Printer, o: BpfOptions, handle: number, env: FilterEnv): void {
  if (handle) p.hex0x(ANY, 'handle', 'handle %#llx ', handle);
  if (o.classid !== undefined) p.string(ANY, 'flowid', 'flowid %s ', formatClassid(o.classid));
  if (o.name !== undefined) p.string(ANY, 'bpf_name', '%s ', o.name);
  if (o.flags !== undefined && o.flags & TCA_BPF.FLAG_ACT_DIRECT) p.bool(ANY, 'direct-action', 'direct-action ', true);
  if (o.flags_gen !== undefined) printClsFlags(p, o.flags_gen);
  if (o.ops && o.ops_len !== undefined) printOps(p, o.ops, o.ops_len);
  if (o.id !== undefined) {
    // bpf_dump_prog_info() without bpf(2): the id only; the program's name and jited state are not read.
    p.openObject('prog');
    p.uint(ANY, 'id', 'id %u ', o.id);
    p.closeObject();
  }
  if (o.tag) p.string(ANY, 'tag', 'tag %s ', o.tag.toString('hex'));
  if (o.police) {
    p.nl();
    printPolice(p, o.police, env);
  }
  if (o.act) printActions(p, o.act, env);
}

registerFilterKind<BpfOptions>({ kind: 'bpf', options: bpfAttrs, parse, print });

/** What {@link bpf} takes: classic bytecode, or an eBPF program's fd. */
export interface BpfSpec {
  /** Classic BPF: [code, jt, jf, k] per instruction. */
  readonly bytecode?: ReadonlyArray<readonly [number, number, number, number]>;
  /** eBPF: a program fd of type sched_cls held by the caller, and the name tc shows for it. */
  readonly fd?: number;
  readonly name?: string;
  readonly classid?: HandleLike;
  /** The program's return value is the verdict (direct-action / da). */
  readonly directAction?: boolean;
  readonly skipHw?: boolean;
  readonly skipSw?: boolean;
  readonly actions?: readonly Action[];
}

/** Build bpf classifier options in tc's attribute order. */
export function bpf(spec: BpfSpec): BpfOptions {
  const o: BpfOptions = {};
  if (spec.classid !== undefined) o.classid = toHandle(spec.classid, 'classid');
  if (spec.actions?.length) o.act = [...spec.actions];
  if (spec.bytecode) {
    if (spec.fd !== undefined) throw new RangeError('bpf: bytecode and fd are exclusive');
    if (!spec.bytecode.length || spec.bytecode.length > 4096) throw new RangeError('bpf: 1 to 4096 instructions');
    o.ops_len = spec.bytecode.length;
    o.ops = spec.bytecode.map(([code, jt, jf, k]) => ({ code, jt, jf, k }));
  } else if (spec.fd !== undefined) {
    o.fd = spec.fd;
    o.name = spec.name ?? 'rip';
  } else throw new RangeError('bpf: bytecode or fd is required');
  const gen = (spec.skipHw ? TCA_CLS_FLAGS.SKIP_HW : 0) | (spec.skipSw ? TCA_CLS_FLAGS.SKIP_SW : 0);
  if (gen) o.flags_gen = gen;
  if (spec.directAction) o.flags = TCA_BPF.FLAG_ACT_DIRECT;
  return o;
}
