/**
 * The one error type the decoders throw.
 * @module
 */

/**
 * Bytes that do not form a valid message for the schema that decodes them.
 * `path` names where decoding was (e.g. `RTM_NEWROUTE > RTA_MULTIPATH > [1]`)
 * and `offset` is the byte offset in the buffer being decoded.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  readonly code = 'ERR_NETLINK_PARSE';
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly path: readonly string[] = [],
  ) {
    super(`${path.length ? path.join(' > ') + ': ' : ''}${reason} at byte ${offset}`);
  }

  /** Re-throw with an outer path element prepended. */
  within(segment: string): ParseError {
    return new ParseError(this.reason, this.offset, [segment, ...this.path]);
  }
}
