/**
 * Shared text/JSON printing helpers in iproute2's style: one call per field
 * serves both output modes.
 * @module
 */
export { Printer, FdSink, StringSink, jsonString, FP, JSON_ONLY, ANY } from './printer.js';
export type { Sink, PrinterOptions, OutputType } from './printer.js';
export { sprintf, formatG } from './printf.js';
export {
  COLOR_IFNAME, COLOR_MAC, COLOR_INET, COLOR_INET6, COLOR_OPERSTATE_UP, COLOR_OPERSTATE_DOWN, COLOR_NONE, COLOR_RESET,
  PALETTE_LIGHT, PALETTE_DARK, matchesColor, colorEnabled, paletteFor, familyColor, operstateColor, paint,
} from './color.js';
export type { ColorAttr, ColorOption, Palette } from './color.js';
export type { PrintfArg } from './printf.js';
