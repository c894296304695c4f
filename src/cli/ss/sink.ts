/**
 * ss's standard output: text and the renderer's bytes, in order, written to
 * a file descriptor in large writes.
 * @module
 */
import { FdSink } from '../../output/printer.js';
import type { ByteSink } from './render.js';

/** The printer's file-descriptor sink, which also takes the renderer's bytes (default stdout; FdSink.writeBytes). */
export class FdByteSink extends FdSink implements ByteSink {}
