/**
 * Building rtnetlink requests from a message codec.
 * @module
 */
import type { MessageCodec } from '../codec/schema.js';
import type { RequestBuilder } from '../socket.js';
import { NLM_F } from '../constants.js';

/**
 * A request builder for `type` with `flags` (NLM_F_REQUEST is added) whose
 * body is `header` + `attrs` encoded by `codec`.
 */
export function rtRequest<H, A>(codec: MessageCodec<H, A>, type: number, flags: number, header: H, attrs: A): RequestBuilder {
  return (w, seq) => {
    const start = w.beginMessage(type, flags | NLM_F.REQUEST, seq);
    codec.encode(w, header, attrs);
    w.endMessage(start);
  };
}

/** Flags for a create request as `ip … add` sends them. */
export const CREATE_FLAGS = NLM_F.CREATE | NLM_F.EXCL | NLM_F.ACK;
/** Flags for `replace`. */
export const REPLACE_FLAGS = NLM_F.CREATE | NLM_F.REPLACE | NLM_F.ACK;
/** Flags for `change`. */
export const CHANGE_FLAGS = NLM_F.REPLACE | NLM_F.ACK;
