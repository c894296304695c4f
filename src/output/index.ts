/**
 * Shared text/JSON printing helpers in iproute2's style: one call per field
 * serves both output modes.
 * @module
 */
export { Printer, FdSink, StringSink, jsonString, FP, JSON_ONLY, ANY } from './printer.js';
export type { Sink, PrinterOptions, OutputType } from './printer.js';
export { sprintf, formatG } from './printf.js';
export type { PrintfArg } from './printf.js';
