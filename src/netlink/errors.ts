/**
 * Errors the library raises.
 * @module
 */
import { errnoName, strerror } from './errno.js';
export { ParseError } from './codec/errors.js';

/** Details of a kernel rejection, from nlmsgerr and its extended ACK TLVs. */
export interface KernelErrorDetails {
  /** Positive errno. */
  readonly errno: number;
  /** The kernel's extended ACK message (NLMSGERR_ATTR_MSG), if it sent one. */
  readonly extack?: string;
  /** Byte offset in our request of the offending attribute (NLMSGERR_ATTR_OFFS). */
  readonly extackOffset?: number;
  /** Type of a missing attribute (NLMSGERR_ATTR_MISS_TYPE). */
  readonly missingType?: number;
  /** Offset of the nest lacking it (NLMSGERR_ATTR_MISS_NEST). */
  readonly missingNest?: number;
}

/**
 * The kernel refused a request. `message` reads like
 * `add route 10.0.0.0/8: File exists (Nexthop device is not up)`.
 */
export class NetlinkError extends Error {
  override readonly name = 'NetlinkError';
  /** Positive errno. */
  readonly errno: number;
  /** Symbolic errno, e.g. 'EEXIST'. */
  readonly code: string;
  /** What we were doing, e.g. `add route 10.0.0.0/8`. */
  readonly operation: string;
  /** glibc's text for errno, e.g. 'File exists'. */
  readonly reason: string;
  readonly extack: string | undefined;
  readonly extackOffset: number | undefined;
  readonly missingType: number | undefined;
  readonly missingNest: number | undefined;

  constructor(operation: string, details: KernelErrorDetails) {
    const reason = strerror(details.errno);
    super(`${operation}: ${reason}${details.extack ? ` (${details.extack})` : ''}`);
    this.errno = details.errno;
    this.code = errnoName(details.errno);
    this.operation = operation;
    this.reason = reason;
    this.extack = details.extack;
    this.extackOffset = details.extackOffset;
    this.missingType = details.missingType;
    this.missingNest = details.missingNest;
  }
}

/** The dump was changed under us (NLM_F_DUMP_INTR) and the caller asked not to retry. */
export class DumpInterruptedError extends Error {
  override readonly name = 'DumpInterruptedError';
  readonly code = 'EINTR_DUMP';
  constructor(readonly operation: string) {
    super(`${operation}: dump was interrupted by a concurrent change and may be inconsistent`);
  }
}

/** The socket was closed while the request was pending, or before it was sent. */
export class SocketClosedError extends Error {
  override readonly name = 'SocketClosedError';
  readonly code = 'ERR_SOCKET_CLOSED';
  constructor(readonly operation: string) {
    super(`${operation}: netlink socket closed`);
  }
}

/** The request did not complete within its timeout. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'ETIMEDOUT';
  constructor(readonly operation: string, readonly ms: number) {
    super(`${operation}: timed out after ${ms} ms`);
  }
}

/** Bad input detected before anything was sent to the kernel. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly code = 'ERR_INVALID_ARG';
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

const hasErrno = (e: unknown, code: string): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;

/** The object does not exist (ENOENT, ENODEV, ESRCH, ENXIO, EADDRNOTAVAIL). */
export function isNotFound(e: unknown): boolean {
  return ['ENOENT', 'ENODEV', 'ESRCH', 'ENXIO', 'EADDRNOTAVAIL'].some((c) => hasErrno(e, c));
}
/** The object already exists (EEXIST). */
export function isExists(e: unknown): boolean { return hasErrno(e, 'EEXIST'); }
/** Permission denied (EPERM, EACCES). */
export function isPermission(e: unknown): boolean { return hasErrno(e, 'EPERM') || hasErrno(e, 'EACCES'); }
/** The kernel lacks the feature (EOPNOTSUPP, EAFNOSUPPORT, EPROTONOSUPPORT, or an unknown kind: ENOENT from a module load is ambiguous and not included). */
export function isNotSupported(e: unknown): boolean {
  return ['ENOTSUP', 'EOPNOTSUPP', 'EAFNOSUPPORT', 'EPROTONOSUPPORT'].some((c) => hasErrno(e, c));
}
/** Whether `e` is an AbortError (from an AbortSignal). */
export function isAbort(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}
