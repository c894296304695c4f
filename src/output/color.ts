/**
 * Colour output as iproute2's lib/color.c: `-c`/`-color[=always|auto|never]`
 * parsing, the decision to colour (never with -j; `auto` only on a
 * terminal), the light/dark palette chosen from COLORFGBG, and which colour
 * a family or operational state gets. The printer wraps a coloured field's
 * whole formatted text (padding and literal text of the format included) in
 * the colour's escape sequence and a reset, as color_fprintf() does.
 * @module
 */

/** iproute2's enum color_attr: what a field is, which picks its colour. */
export const COLOR_IFNAME = 0;
export const COLOR_MAC = 1;
export const COLOR_INET = 2;
export const COLOR_INET6 = 3;
export const COLOR_OPERSTATE_UP = 4;
export const COLOR_OPERSTATE_DOWN = 5;
export const COLOR_NONE = 6;
export type ColorAttr =
  | typeof COLOR_IFNAME | typeof COLOR_MAC | typeof COLOR_INET | typeof COLOR_INET6
  | typeof COLOR_OPERSTATE_UP | typeof COLOR_OPERSTATE_DOWN | typeof COLOR_NONE;

/** The escape sequence that ends a coloured field. */
export const COLOR_RESET = '\x1b[0m';

/** Escape sequence per ColorAttr (COLOR_NONE has none): index with a ColorAttr. */
export type Palette = readonly string[];

const RED = '\x1b[31m', GREEN = '\x1b[32m', YELLOW = '\x1b[33m', BLUE = '\x1b[34m', MAGENTA = '\x1b[35m', CYAN = '\x1b[36m';
const BOLD_RED = '\x1b[1;31m', BOLD_GREEN = '\x1b[1;32m', BOLD_YELLOW = '\x1b[1;33m', BOLD_BLUE = '\x1b[1;34m';
const BOLD_MAGENTA = '\x1b[1;35m', BOLD_CYAN = '\x1b[1;36m';

/** attr_colors_light: ifname, mac, inet, inet6, up, down. */
export const PALETTE_LIGHT: Palette = Object.freeze([CYAN, YELLOW, MAGENTA, BLUE, GREEN, RED, '']);
/** attr_colors_dark. */
export const PALETTE_DARK: Palette = Object.freeze([BOLD_CYAN, BOLD_YELLOW, BOLD_MAGENTA, BOLD_BLUE, BOLD_GREEN, BOLD_RED, '']);

/** iproute2's enum color_opt. */
export type ColorOption = 'never' | 'auto' | 'always';

/**
 * matches_color(): `-color` or any prefix of it down to `-c`, optionally
 * `=always|auto|never` (`=` alone means always). Undefined when `arg` is not
 * a colour option (including an unknown `=value`, which iproute2 then reports
 * as an unknown option).
 */
export function matchesColor(arg: string): ColorOption | undefined {
  const eq = arg.indexOf('=');
  const name = eq < 0 ? arg : arg.slice(0, eq);
  const value = eq < 0 ? '' : arg.slice(eq + 1);
  // matches(): a non-empty prefix of "-color".
  if (name.length === 0 || !'-color'.startsWith(name)) return undefined;
  if (value === '' || value === 'always') return 'always';
  if (value === 'auto') return 'auto';
  if (value === 'never') return 'never';
  return undefined;
}

/**
 * check_enable_color(): colour only in text output, always with `always`,
 * and with `auto` only when stdout is a terminal.
 */
export function colorEnabled(opt: ColorOption, json: boolean, stdoutIsTty: boolean): boolean {
  if (json || opt === 'never') return false;
  return opt === 'always' || stdoutIsTty;
}

/**
 * set_color_palette(): COLORFGBG holds "fg;bg" or "fg;x;bg"; a last value of
 * 0-6 or 8 (one digit) means a dark background. Anything else, or no
 * variable, gives the light palette.
 */
export function paletteFor(colorfgbg: string | undefined): Palette {
  if (colorfgbg === undefined) return PALETTE_LIGHT;
  const i = colorfgbg.lastIndexOf(';');
  if (i < 0) return PALETTE_LIGHT;
  const last = colorfgbg.slice(i + 1);
  return last.length === 1 && ((last >= '0' && last <= '6') || last === '8') ? PALETTE_DARK : PALETTE_LIGHT;
}

/** ifa_family_color(): AF_INET and AF_INET6 addresses have a colour, others none. */
export function familyColor(family: number): ColorAttr {
  return family === 2 ? COLOR_INET : family === 10 ? COLOR_INET6 : COLOR_NONE;
}

/** oper_state_color(): IF_OPER_UP green, IF_OPER_DOWN red, others none. */
export function operstateColor(state: number): ColorAttr {
  return state === 6 ? COLOR_OPERSTATE_UP : state === 2 ? COLOR_OPERSTATE_DOWN : COLOR_NONE;
}

/**
 * color_fprintf() on already formatted text: `text` wrapped in the colour's
 * escape and a reset, or unchanged without a palette or for COLOR_NONE.
 */
export function paint(palette: Palette | undefined, color: ColorAttr, text: string): string {
  return palette === undefined || color === COLOR_NONE ? text : palette[color] + text + COLOR_RESET;
}
