/**
 * The pure codec: writer, schema combinators and the parse error.
 * @module
 */
export * from './schema.js';
export { Writer, align4 } from './writer.js';
export { ParseError } from './errors.js';
