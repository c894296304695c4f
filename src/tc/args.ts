/**
 * Walking a kind's tokens with iproute2's NEXT_ARG() semantics, and the
 * error helpers kind parsers use (exit statuses as tc: 1 when a kind's
 * parser fails, 255 for incomplete_command/invarg/duparg).
 * @module
 */
import { TcArgError } from './kind.js';

/** iproute2's matches(): `arg` is a non-empty prefix of `word`. */
export function matches(arg: string | undefined, word: string): boolean {
  return arg !== undefined && arg.length > 0 && arg.length <= word.length && word.startsWith(arg);
}

/** A kind parser's failure: tc prints `message` and exits 1. */
export function kindFail(message: string): never {
  throw new TcArgError(message, 1);
}

/** incomplete_command(): NEXT_ARG() ran off the end (exit 255). */
export function incompleteCommand(): never {
  throw new TcArgError('Command line is not complete. Try option "help"', 255);
}

/** A cursor over tokens: `cur` is *argv, `next()` is NEXT_ARG(). */
export class TokenCursor {
  private i = 0;
  constructor(private readonly argv: readonly string[]) {}
  /** Tokens left including the current one (argc). */
  get left(): number { return this.argv.length - this.i; }
  /** *argv */
  get cur(): string { return this.argv[this.i] ?? ''; }
  /** NEXT_ARG(): advance to the value; incomplete_command() if there is none. */
  next(): string {
    this.i++;
    const v = this.argv[this.i];
    if (v === undefined) incompleteCommand();
    return v;
  }
  /** argc--; argv++ */
  advance(): void { this.i++; }
  /** The tokens from the current one on. */
  rest(): readonly string[] { return this.argv.slice(this.i); }
}
