/**
 * Turning errors into iproute2's stderr lines and exit codes.
 * @module
 */
import { CliError } from './args.js';
import { NetlinkError } from '../../netlink/errors.js';
import type { CliContext } from './context.js';

/**
 * Print an error the way iproute2 does and return the exit status:
 * usage errors as given (255), kernel errors as `Error: <extack>.` when the
 * kernel explained itself, else `RTNETLINK answers: <strerror>` (exit 2).
 */
export function reportError(ctx: CliContext, e: unknown): number {
  ctx.printer.flush();
  if (e instanceof CliError) {
    if (e.message) process.stderr.write(e.message + '\n');
    return e.exitCode;
  }
  if (e instanceof NetlinkError) {
    process.stderr.write(kernelErrorText(e));
    return 2;
  }
  throw e;
}

/** iproute2's text for a kernel rejection. */
export function kernelErrorText(e: NetlinkError): string {
  if (e.extack) return `Error: ${e.extack}${e.extack.endsWith('.') ? '' : '.'}\n`;
  return `RTNETLINK answers: ${e.reason}\n`;
}
