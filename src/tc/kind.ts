/**
 * The contract every tc qdisc/class kind module implements, and the registry
 * the library and the `tc` command dispatch over. One module per kind
 * (src/tc/kinds/<kind>.ts) calls {@link registerQdiscKind} at import time;
 * src/tc/kinds/index.ts imports them all.
 *
 * The TCA_OPTIONS payload of a kind is described by ONE codec (`options`)
 * that drives both encode and decode; `parse` turns tc(8) tokens into that
 * codec's value, `print` prints it like iproute2's tc (text and JSON through
 * the shared Printer).
 *
 * Extensions (compatible; all optional) by the tc foundation:
 * - `TcEnv.dev` (device name of the command, '' if none) and
 *   `TcEnv.linkSpeed()` (its speed in Mbit/s, for `rate 30%`; throws
 *   `PercentRateError` from ./units.js with tc's text) — needed by percent rates.
 * - `QdiscOptionsMap` / `ClassOptionsMap`: a kind module may augment them
 *   (`declare module '../kind.js' { interface QdiscOptionsMap { htb: HtbQdiscOptions } }`)
 *   so `nl.qdisc.add({ kind: 'htb', options })` is typed.
 * - The `tc` CLI exits with `TcArgError.exitCode`; tc itself exits 1 when a
 *   kind's parser fails (parse_qopt returned -1) and 255 for invarg/duparg,
 *   so kind parsers should pass 1 explicitly for their own messages.
 * @module
 */
import type { Codec } from '../netlink/codec/schema.js';
import type { Printer } from '../output/printer.js';
import type { ByteWriter } from '../output/bytes.js';

/** What a kind's parser and printer may need beyond its own tokens. */
export interface TcEnv {
  /** Link speed etc. are looked up lazily; ifindex of the device being configured (0 if none). */
  readonly ifindex: number;
  /** -iec (print rates with Ki/Mi prefixes). */
  readonly iec: boolean;
  /** -s count. */
  readonly stats: number;
  /** -d count. */
  readonly details: number;
  /** -r / -raw: print raw handles/numbers. */
  readonly raw: boolean;
  /** Name of the device the command names (`dev X`), '' when none. */
  readonly dev?: string;
  /** Link speed of `dev` in Mbit/s (for percent rates); throws PercentRateError with tc's message. */
  linkSpeed?(): number;
  /**
   * A non-fatal message tc prints to stderr while parsing (e.g. red's
   * "RED: set bandwidth to 10Mbit"); the CLI writes `msg + "\n"` to stderr.
   */
  warn?(msg: string): void;
  /** -p: tc's `pretty` (u32 prints its keys decoded by protocol). */
  readonly pretty?: boolean;
  /** -brief (tc prints action indexes). */
  readonly brief?: boolean;
  /** ll_index_to_name() of the command's namespace (actions print devices by name). */
  linkName?(ifindex: number): string;
  /** ll_name_to_index() of the command's namespace, 0 when unknown (mirred's `dev`). */
  linkIndex?(name: string): number;
}

/** Typed qdisc options by kind; kind modules augment this interface. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface QdiscOptionsMap {}
/** Typed class options by kind; kind modules augment this interface. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ClassOptionsMap {}

/** A usage or value error in kind options; message is printed as is, exit code 255 unless given. */
export class TcArgError extends Error {
  override readonly name = 'TcArgError';
  /**
   * Whether tc exit()s here (ending a -batch run) rather than failing the
   * command: true for 255 (invarg/duparg/usage), and for the few exit(1)
   * paths such as get_prefix()'s "inet prefix is expected".
   */
  readonly exits: boolean;
  constructor(message: string, readonly exitCode = 255, exits?: boolean) {
    super(message);
    this.exits = exits ?? exitCode === 255;
  }
}

/**
 * Text renderers of a kind that read the wire bytes of TCA_OPTIONS /
 * TCA_XSTATS directly, for the hot path of `tc -s qdisc/class show` (see
 * src/cli/tc/show-fast.ts). Each writes into `out` exactly what the matching
 * printer (`print`, `printXstats`, `printClass`, `printClassXstats`) prints
 * in text mode after the schema decode and returns true, or returns false
 * when it cannot vouch for the bytes or the options (`-d`, `-r`, a short
 * struct, …): the caller then discards what was written and prints the
 * message through the schema. test/unit/tc-show-fast.test.ts checks every
 * kind's renderers against its printers on generated and corrupted payloads.
 */
export interface KindFastText {
  options?(out: ByteWriter, buf: Buffer, off: number, len: number, env: TcEnv): boolean;
  xstats?(out: ByteWriter, buf: Buffer, off: number, len: number, env: TcEnv): boolean;
  classOptions?(out: ByteWriter, buf: Buffer, off: number, len: number, env: TcEnv): boolean;
  classXstats?(out: ByteWriter, buf: Buffer, off: number, len: number, env: TcEnv): boolean;
}

/** One qdisc kind (also describes its classes when classful). */
export interface QdiscKind<O = unknown, C = unknown> {
  /** TCA_KIND, e.g. 'htb'. */
  readonly kind: string;
  /** Codec of the TCA_OPTIONS payload for qdiscs (absent: the kind takes no options). */
  readonly options?: Codec<O>;
  /**
   * Whether TCA_OPTIONS must be sent even when no option was given (iproute2
   * sends an empty nest for some kinds; match it byte for byte).
   */
  readonly alwaysSendOptions?: boolean;
  /**
   * NLA_F_* bits iproute2 sets on the TCA_OPTIONS attribute itself, for both
   * qdisc and class options (ets sends TCA_OPTIONS | NLA_F_NESTED).
   */
  readonly optionsFlags?: number;
  /** Codec of TCA_XSTATS (qdisc) when the kind has extended statistics. */
  readonly xstats?: Codec<unknown>;
  /** tc(8) grammar for `tc qdisc add … KIND [options]`; `tokens` are what follows the kind. */
  parse?(tokens: readonly string[], env: TcEnv): O | undefined;
  /** Print options as iproute2's `tc qdisc show` does (after "qdisc KIND HANDLE: … "). */
  print?(p: Printer, options: O, env: TcEnv): void;
  /** Print TCA_XSTATS (with -s). */
  printXstats?(p: Printer, xstats: unknown, env: TcEnv): void;
  /** `tc qdisc add … KIND help` text (goes to stderr). */
  readonly usage?: string;
  /** Classful kinds: the class options codec and grammar. */
  readonly classOptions?: Codec<C>;
  parseClass?(tokens: readonly string[], env: TcEnv): C | undefined;
  printClass?(p: Printer, options: C, env: TcEnv): void;
  /** Codec of TCA_XSTATS for classes of this kind. */
  readonly classXstats?: Codec<unknown>;
  printClassXstats?(p: Printer, xstats: unknown, env: TcEnv): void;
  readonly classUsage?: string;
  /** Optional byte-level text renderers (an optimisation; see {@link KindFastText}). */
  readonly fastText?: KindFastText;
}

const qdiscKinds = new Map<string, QdiscKind>();

/** Register a kind module (called once per module at import). */
export function registerQdiscKind<O, C = unknown>(k: QdiscKind<O, C>): void {
  qdiscKinds.set(k.kind, k as unknown as QdiscKind);
}

/** The module of `kind`, or undefined for kinds rip does not know (their options stay raw bytes). */
export function qdiscKind(kind: string): QdiscKind | undefined {
  return qdiscKinds.get(kind);
}

/** All registered kinds. */
export function qdiscKindNames(): string[] {
  return [...qdiscKinds.keys()];
}
