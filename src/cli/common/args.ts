/**
 * Command-line grammar helpers in iproute2's style: unique-prefix keyword
 * matching and the standard error lines (with iproute2's exit status 255 for
 * usage errors, which it gets from exit(-1)).
 * @module
 */

/** A command-line error: `message` goes to stderr verbatim, then exit with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(message: string, readonly exitCode = 255) {
    super(message);
  }
}

/**
 * iproute2's matches(): true when `arg` is a non-empty prefix of `word`
 * (`ip a` → address, `ip r s` → route show).
 */
export function matches(arg: string | undefined, word: string): boolean {
  return arg !== undefined && arg.length > 0 && arg.length <= word.length && word.startsWith(arg);
}

/** `Error: argument "ARG" is wrong: MSG` (invarg). */
export function invarg(msg: string, arg: string): never {
  throw new CliError(`Error: argument "${arg}" is wrong: ${msg}`);
}

/** `Error: duplicate "KEY": "ARG" is the second value.` (duparg). */
export function duparg(key: string, arg: string): never {
  throw new CliError(`Error: duplicate "${key}": "${arg}" is the second value.`);
}

/** `Error: either "KEY" is duplicate, or "ARG" is a garbage.` (duparg2). */
export function duparg2(key: string, arg: string): never {
  throw new CliError(`Error: either "${key}" is duplicate, or "${arg}" is a garbage.`);
}

/** `Error: argument "KEY" is required` (missarg). */
export function missarg(key: string): never {
  throw new CliError(`Error: argument "${key}" is required`);
}

/** `Command line is not complete. Try option "help"` (incomplete_command). */
export function incomplete(): never {
  throw new CliError('Command line is not complete. Try option "help"');
}

/** A cursor over argv, like iproute2's argc/argv walking with NEXT_ARG(). */
export class Args {
  private i = 0;
  constructor(private readonly argv: readonly string[]) {}

  /** Tokens left. */
  get left(): number { return Math.max(0, this.argv.length - this.i); }
  /** The current token, or undefined at the end. */
  peek(offset = 0): string | undefined { return this.argv[this.i + offset]; }
  /** Take the current token. */
  next(): string | undefined {
    if (this.i >= this.argv.length) return undefined;
    return this.argv[this.i++];
  }
  /** Take the current token; at the end, "Command line is not complete". */
  need(): string {
    const v = this.next();
    if (v === undefined) incomplete();
    return v;
  }
  /** NEXT_ARG(): advance to the value after a keyword (incomplete if none). */
  value(): string {
    return this.need();
  }
  /** Everything not yet taken. */
  rest(): string[] { const r = this.argv.slice(this.i); this.i = this.argv.length; return r; }
}

/** Parse an unsigned decimal/hex/octal integer as strtoul(…, 0) would, within [0, max]; null if invalid. */
export function parseUnsigned(s: string, max = 0xffffffff, base = 0): number | null {
  let t = s.trim();
  if (!t.length || t.startsWith('-')) return null;
  let b = base;
  if (b === 0) {
    if (/^0[xX]/.test(t)) { b = 16; t = t.slice(2); } else if (/^0[0-7]/.test(t)) { b = 8; t = t.slice(1); } else b = 10;
  } else if (b === 16 && /^0[xX]/.test(t)) t = t.slice(2);
  const re = b === 16 ? /^[0-9a-fA-F]+$/ : b === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!re.test(t)) return null;
  const n = parseInt(t, b);
  if (!Number.isFinite(n) || n > max) return null;
  return n;
}

/** Parse a signed integer as strtol(…, 0); null if invalid or out of [min, max]. */
export function parseSigned(s: string, min = -0x80000000, max = 0x7fffffff): number | null {
  if (s.startsWith('-')) {
    const n = parseUnsigned(s.slice(1), -min);
    return n === null ? null : -n;
  }
  const n = parseUnsigned(s, max);
  return n;
}
