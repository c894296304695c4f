/**
 * Errors of TUN/TAP operations.
 * @module
 */
import { isNativeError } from '../netlink/native.js';
import { errnoName, errnoNumber, strerror } from '../netlink/errno.js';

/**
 * A failing system call on a TUN/TAP device. `message` is what perror()
 * prints for the same failure, e.g. `ioctl(TUNSETIFF): Device or resource busy`
 * (iproute2's wording: `operation` names the call and its request).
 */
export class TunTapError extends Error {
  override readonly name = 'TunTapError';
  /** Symbolic errno name, e.g. 'EBUSY'. */
  readonly code: string;
  constructor(
    /** What failed, e.g. 'open', 'ioctl(TUNSETIFF)', 'read'. */
    readonly operation: string,
    /** Positive errno value. */
    readonly errno: number,
    options?: { cause?: unknown },
  ) {
    super(`${operation}: ${strerror(errno)}`, options);
    this.code = errnoName(errno);
  }
}

/** Rejects reads and writes pending on, or started after, a closed device. */
export class DeviceClosedError extends Error {
  override readonly name = 'DeviceClosedError';
  readonly code = 'ERR_DEVICE_CLOSED';
  constructor(readonly ifname: string) {
    super(`${ifname}: device closed`);
  }
}

/** An addon errno error as a {@link TunTapError} named `operation`; anything else unchanged. */
export function asTunTapError(operation: string, e: unknown): unknown {
  return isNativeError(e) ? new TunTapError(operation, e.errno, { cause: e }) : e;
}

/** Run a native call, turning its errno error into a {@link TunTapError} named `operation`. */
export function sys<T>(operation: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    throw asTunTapError(operation, e);
  }
}

/** A Node fs error (code 'ENOENT'…) as a {@link TunTapError} named `operation`. */
export function fsError(operation: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const errno = code !== undefined ? errnoNumber(code) : undefined;
  return errno !== undefined ? new TunTapError(operation, errno, { cause: e }) : e;
}
