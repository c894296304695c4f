/**
 * ets (Enhanced Transmission Selection): TCA_ETS_* options (bands, strict
 * bands, quanta, priomap), class option quantum; tc(8) grammar and printing
 * as iproute2's tc/q_ets.c. TCA_OPTIONS carries NLA_F_NESTED (optionsFlags).
 * @module
 */
import { attrs, attr, multi, u8, u32, type Infer } from '../../netlink/codec/schema.js';
import { NLA_F_NESTED } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import { ANY, Tokens, fail, usage, whatIs, getUnsigned, withNestedFlag } from './util.js';

const H = ['linux/pkt_sched.h'];
/** TCA_ETS_* attributes. */
export const TCA_ETS = constants('TCA_ETS_', H, {
  NBANDS: 1, NSTRICT: 2, QUANTA: 3, QUANTA_BAND: 4, PRIOMAP: 5, PRIOMAP_BAND: 6,
});
/** TCQ_ETS_MAX_BANDS. */
export const TCQ_ETS_MAX_BANDS = 16;

/** The TCA_OPTIONS payload of ets. */
export const etsOptions = withNestedFlag(attrs('TCA_ETS', {
  bands: attr(TCA_ETS.NBANDS, u8),
  strict: attr(TCA_ETS.NSTRICT, u8),
  quanta: attr(TCA_ETS.QUANTA, attrs('TCA_ETS_QUANTA', { band: multi(TCA_ETS.QUANTA_BAND, u32) }), NLA_F_NESTED),
  priomap: attr(TCA_ETS.PRIOMAP, attrs('TCA_ETS_PRIOMAP', { band: multi(TCA_ETS.PRIOMAP_BAND, u8) }), NLA_F_NESTED),
}));
/** Decoded ets options. */
export type EtsOptions = Infer<typeof etsOptions>;
/** Class TCA_OPTIONS of ets. */
export const etsClassOptions = withNestedFlag(attrs('TCA_ETS(class)', { quantum: attr(TCA_ETS.QUANTA_BAND, u32) }));
/** Decoded ets class options. */
export type EtsClassOptions = Infer<typeof etsClassOptions>;

/** `tc qdisc add … ets help`. */
export const ETS_USAGE = 'Usage: ... ets [bands NUMBER] [strict NUMBER] [quanta Q1 Q2...] [priomap P1 P2...]\n';
/** `tc class add … ets help`. */
export const ETS_CLASS_USAGE = 'Usage: ... ets [quantum Q1]\n';

function quantum(s: string): number {
  const v = getUnsigned(s, 10);
  if (v === null) fail('Illegal "quanta" element');
  if (!v) fail('"quanta" must be > 0');
  return v;
}
function nbands(s: string, what: string): number {
  const v = getUnsigned(s, 10);
  if (v === null) fail(`Illegal "${what}"`);
  if (v > TCQ_ETS_MAX_BANDS) fail(`The number of "${what}" must be <= ${TCQ_ETS_MAX_BANDS}`);
  return v;
}

/** tc(8) ets grammar (q_ets.c). */
export function parseEts(argv: readonly string[]): EtsOptions {
  const a = new Tokens(argv);
  let bands = 0, strict = 0, mode: 'quanta' | 'priomap' | '' = '';
  const quanta: number[] = [];
  const priomap: number[] = [];
  const pushPrio = (s: string): void => {
    const v = getUnsigned(s, 10);
    if (v === null) fail('Illegal "priomap" element');
    if (priomap.length > 15) fail('"priomap" index cannot be higher than 15');
    priomap.push(v & 0xff);
  };
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (t === 'bands') {
      if (bands) fail('Duplicate "bands"');
      bands = nbands(a.next(), 'bands');
      mode = '';
    } else if (t === 'strict') {
      if (strict) fail('Duplicate "strict"');
      strict = nbands(a.next(), 'strict');
      mode = '';
    } else if (t === 'quanta') {
      if (quanta.length) fail('Duplicate "quanta"');
      mode = 'quanta';
      quanta.push(quantum(a.next()));
    } else if (t === 'priomap') {
      if (priomap.length) fail('Duplicate "priomap"');
      mode = 'priomap';
      pushPrio(a.next());
    } else if (t === 'help') fail(usage(ETS_USAGE));
    else if (mode === 'quanta') quanta.push(quantum(t));
    else if (mode === 'priomap') pushPrio(t);
    else whatIs(t, ETS_USAGE);
  }
  if (!bands) bands = quanta.length + strict;
  if (!bands) fail(`One of "bands", "quanta" or "strict" needs to be specified\n${usage(ETS_USAGE)}`);
  if (strict + quanta.length > bands) fail(`Not enough total bands to cover all the strict bands and quanta\n${usage(ETS_USAGE)}`);
  if (priomap.some((b) => b >= bands)) fail('"priomap" element is out of bounds');
  const o: EtsOptions = { bands };
  if (strict) o.strict = strict;
  if (quanta.length) o.quanta = { band: quanta };
  if (priomap.length) o.priomap = { band: priomap };
  return o;
}

/** tc(8) ets class grammar. */
export function parseEtsClass(argv: readonly string[]): EtsClassOptions {
  const a = new Tokens(argv);
  let q = 0;
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (t === 'quantum') {
      if (q) fail('Duplicate "quantum"');
      q = quantum(a.next());
    } else if (t === 'help') fail(usage(ETS_CLASS_USAGE));
    else whatIs(t, ETS_CLASS_USAGE);
  }
  return q ? { quantum: q } : {};
}

/** Print ets options (q_ets.c ets_print_opt). */
export function printEts(p: Printer, o: EtsOptions): void {
  if (o.bands === undefined || !o.priomap) return; // iproute2: "Incomplete ETS options"
  p.uint(ANY, 'bands', 'bands %u ', o.bands);
  if (o.strict !== undefined) p.uint(ANY, 'strict', 'strict %u ', o.strict);
  if (o.quanta) {
    p.openArray(ANY, 'quanta');
    for (const q of o.quanta.band ?? []) p.uint(ANY, null, ' %u', q);
    p.closeArray(ANY, ' ');
  }
  p.openArray(ANY, 'priomap');
  for (const b of o.priomap.band ?? []) p.uint(ANY, null, ' %u', b);
  p.closeArray(ANY, ' ');
}

/** The ets kind module. */
export const etsKind: QdiscKind<EtsOptions, EtsClassOptions> = {
  kind: 'ets',
  options: etsOptions,
  optionsFlags: NLA_F_NESTED,
  alwaysSendOptions: true,
  usage: ETS_USAGE,
  parse: (tokens) => parseEts(tokens),
  print: (p, o) => printEts(p, o),
  classOptions: etsClassOptions,
  classUsage: ETS_CLASS_USAGE,
  parseClass: (tokens) => parseEtsClass(tokens),
  printClass: (p, o) => { if (o.quantum !== undefined) p.uint(ANY, 'quantum', 'quantum %u ', o.quantum); },
};

registerQdiscKind(etsKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    ets: EtsOptions;
  }
}

declare module '../kind.js' {
  interface ClassOptionsMap {
    ets: EtsClassOptions;
  }
}
