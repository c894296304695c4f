/**
 * hfsc (Hierarchical Fair Service Curve): qdisc option struct tc_hfsc_qopt
 * (default class), class service curves TCA_HFSC_RSC/FSC/USC (rt, ls, sc,
 * ul in either m1/d/m2 or umax/dmax/rate form), class xstats struct
 * tc_hfsc_stats. Grammar and printing as iproute2's tc/q_hfsc.c (which
 * prints text only, no JSON keys).
 * @module
 */
import { attrs, attr, struct, u16, u32, u64, type Infer } from '../../netlink/codec/schema.js';
import { constants } from '../../netlink/constants.js';
import { registerQdiscKind, type QdiscKind, type TcEnv } from '../kind.js';
import type { Printer } from '../../output/printer.js';
import { sprintf } from '../../output/printf.js';
import {
  Tokens, fail, usage, matches, getUnsigned, getRate, getTime, getSize, percentRate, sprintRate, sprintTime,
  time2ktime, ktime2time, incomplete,
} from './util.js';

/** TCA_HFSC_* class attributes. */
export const TCA_HFSC = constants('TCA_HFSC_', ['linux/pkt_sched.h'], { RSC: 1, FSC: 2, USC: 3 });

/** struct tc_hfsc_qopt. */
export const hfscOptions = struct('tc_hfsc_qopt', { defcls: u16 });
/** Decoded hfsc qdisc options. */
export type HfscOptions = Infer<typeof hfscOptions>;
/** struct tc_service_curve: m1/m2 in bytes/s, d in kernel clock units. */
export const serviceCurve = struct('tc_service_curve', { m1: u32, d: u32, m2: u32 });
/** A service curve. */
export type ServiceCurve = Infer<typeof serviceCurve>;
/** Class TCA_OPTIONS of hfsc. */
export const hfscClassOptions = attrs('TCA_HFSC', {
  rt: attr(TCA_HFSC.RSC, serviceCurve),
  ls: attr(TCA_HFSC.FSC, serviceCurve),
  ul: attr(TCA_HFSC.USC, serviceCurve),
});
/** Decoded hfsc class options. */
export type HfscClassOptions = Infer<typeof hfscClassOptions>;
/** struct tc_hfsc_stats (class xstats). */
export const hfscXstats = struct('tc_hfsc_stats', { work: u64, rtwork: u64, period: u32, level: u32 });
/** Decoded hfsc class xstats. */
export type HfscXstats = Infer<typeof hfscXstats>;

/** `tc qdisc add … hfsc help`. */
export const HFSC_USAGE = `Usage: ... hfsc [ default CLASSID ]

 default: default class for unclassified packets
`;
/** `tc class add … hfsc help`. */
export const HFSC_CLASS_USAGE = `Usage: ... hfsc [ [ rt SC ] [ ls SC ] | [ sc SC ] ] [ ul SC ]

SC := [ [ m1 BPS ] d SEC ] m2 BPS

 m1 : slope of first segment
 d  : x-coordinate of intersection
 m2 : slope of second segment

Alternative format:

SC := [ [ umax BYTE ] dmax SEC ] rate BPS

 umax : maximum unit of work
 dmax : maximum delay
 rate : rate

Remarks:
 - at least one of 'rt', 'ls' or 'sc' must be specified
 - 'ul' can only be specified with 'ls' or 'sc'

`;

/** tc(8) hfsc qdisc grammar. */
export function parseHfsc(argv: readonly string[]): HfscOptions {
  const a = new Tokens(argv);
  const o = { defcls: 0 };
  for (; a.argc > 0; a.fwd()) {
    const t = a.cur;
    if (matches(t, 'default')) {
      const v = a.next();
      if (o.defcls !== 0) fail('HFSC: Double "default"');
      const n = getUnsigned(v, 16, 0xffff);
      if (n === null) fail('HFSC: Illegal "default"');
      o.defcls = n;
    } else if (matches(t, 'help')) fail(usage(HFSC_USAGE));
    else fail(`HFSC: What is "${t}" ?\n${usage(HFSC_USAGE)}`);
  }
  return o;
}

/** One curve parse attempt: the curve and the index after it, or the error lines it printed. */
type Attempt = { sc: ServiceCurve; i: number } | { errors: string[] };

function rateArg(v: string, what: string, env: TcEnv, errors: string[]): number | null {
  const r = v.includes('%') ? percentRate(v, env) : getRate(v);
  if (r === null) errors.push(`HFSC: Illegal "${what}"`);
  return r;
}

/** hfsc_get_sc1: [ [ m1 BPS ] d SEC ] m2 BPS. */
function sc1(argv: readonly string[], start: number, env: TcEnv): Attempt {
  let i = start;
  const errors: string[] = [];
  const next = (): string => { i++; if (i >= argv.length) incomplete(); return argv[i]!; };
  let m1 = 0, d = 0, m2 = 0;
  if (matches(argv[i]!, 'm1')) {
    const r = rateArg(next(), 'm1', env, errors);
    if (r === null) return { errors };
    m1 = r;
    next();
  }
  if (matches(argv[i]!, 'd')) {
    const t = getTime(next());
    if (t === null) return { errors: ['HFSC: Illegal "d"'] };
    d = t;
    next();
  }
  if (!matches(argv[i]!, 'm2')) return { errors };
  const r = rateArg(next(), 'm2', env, errors);
  if (r === null) return { errors };
  m2 = r;
  return { sc: { m1, d: time2ktime(d), m2 }, i };
}

/** hfsc_get_sc2: [ [ umax BYTE ] dmax SEC ] rate BPS. */
function sc2(argv: readonly string[], start: number, env: TcEnv): Attempt {
  let i = start;
  const errors: string[] = [];
  const next = (): string => { i++; if (i >= argv.length) incomplete(); return argv[i]!; };
  let umax = 0, dmax = 0, rate = 0;
  if (matches(argv[i]!, 'umax')) {
    const v = getSize(next());
    if (v === null) return { errors: ['HFSC: Illegal "umax"'] };
    umax = v;
    next();
  }
  if (matches(argv[i]!, 'dmax')) {
    const v = getTime(next());
    if (v === null) return { errors: ['HFSC: Illegal "dmax"'] };
    dmax = v;
    next();
  }
  if (!matches(argv[i]!, 'rate')) return { errors };
  const r = rateArg(next(), 'rate', env, errors);
  if (r === null) return { errors };
  rate = r;
  if (umax !== 0 && dmax === 0) return { errors: ['HFSC: umax given but dmax is zero.'] };
  const m1 = Math.ceil((umax * 1e6) / dmax);
  if (dmax !== 0 && m1 > rate) {
    // Concave: first slope umax/dmax up to dmax.
    return { sc: { m1: m1 >>> 0, d: time2ktime(dmax), m2: rate }, i };
  }
  // Convex: flat first segment up to dmax - umax/rate.
  return { sc: { m1: 0, d: time2ktime(Math.ceil(dmax - (umax * 1e6) / rate)), m2: rate }, i };
}

/** tc(8) hfsc class grammar. */
export function parseHfscClass(argv: readonly string[], env: TcEnv): HfscClassOptions {
  let rsc: ServiceCurve | undefined, fsc: ServiceCurve | undefined, usc: ServiceCurve | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const t = argv[i]!;
    const which = matches(t, 'rt') ? 'rt' : matches(t, 'ls') ? 'ls' : matches(t, 'sc') ? 'sc' : matches(t, 'ul') ? 'ul' : undefined;
    if (which) {
      i++;
      if (i >= argv.length) incomplete();
      let r = sc1(argv, i, env);
      const errors = 'errors' in r ? [...r.errors] : [];
      if ('errors' in r) {
        r = sc2(argv, i, env);
        if ('errors' in r) errors.push(...r.errors);
      }
      if (!('errors' in r) && r.sc.m1 === 0 && r.sc.m2 === 0) r = { errors: ['HFSC: Service Curve has two zero slopes'] };
      if ('errors' in r) {
        if (!errors.includes(r.errors[0] ?? '')) errors.push(...r.errors);
        fail([...errors, `HFSC: Illegal "${which}"`].join('\n'));
      }
      i = r.i;
      if (which === 'rt') rsc = r.sc;
      else if (which === 'ls') fsc = r.sc;
      else if (which === 'sc') { rsc = r.sc; fsc = { ...r.sc }; } else usc = r.sc;
    } else if (matches(t, 'help')) fail(usage(HFSC_CLASS_USAGE));
    else fail(`HFSC: What is "${t}" ?\n${usage(HFSC_CLASS_USAGE)}`);
  }
  if (!rsc && !fsc && !usc) fail(`HFSC: no parameters given\n${usage(HFSC_CLASS_USAGE)}`);
  if (usc && !fsc) fail(`HFSC: Upper-limit Service Curve without Link-Share Service Curve\n${usage(HFSC_CLASS_USAGE)}`);
  const o: HfscClassOptions = {};
  if (rsc) o.rt = rsc;
  if (fsc) o.ls = fsc;
  if (usc) o.ul = usc;
  return o;
}

function printSc(p: Printer, name: string, sc: ServiceCurve, env: TcEnv): void {
  p.rawText(sprintf('%s ', name));
  p.rawText(sprintf('m1 %s ', sprintRate(sc.m1, env.iec)));
  p.rawText(sprintf('d %s ', sprintTime(ktime2time(sc.d))));
  p.rawText(sprintf('m2 %s ', sprintRate(sc.m2, env.iec)));
}

/** Print hfsc class options (q_hfsc.c hfsc_print_class_opt; text only). */
export function printHfscClass(p: Printer, o: HfscClassOptions, env: TcEnv): void {
  const { rt, ls, ul } = o;
  if (rt && ls && rt.m1 === ls.m1 && rt.d === ls.d && rt.m2 === ls.m2) printSc(p, 'sc', rt, env);
  else {
    if (rt) printSc(p, 'rt', rt, env);
    if (ls) printSc(p, 'ls', ls, env);
  }
  if (ul) printSc(p, 'ul', ul, env);
}

/** Print hfsc xstats (q_hfsc.c hfsc_print_xstats; text only). */
export function printHfscXstats(p: Printer, st: HfscXstats): void {
  p.rawText(sprintf(' period %u ', st.period));
  if (st.work) p.rawText(sprintf('work %llu bytes ', st.work));
  if (st.rtwork) p.rawText(sprintf('rtwork %llu bytes ', st.rtwork));
  p.rawText(sprintf('level %u ', st.level));
  p.rawText(sprintf('\n'));
}

/** The hfsc kind module. */
export const hfscKind: QdiscKind<HfscOptions, HfscClassOptions> = {
  kind: 'hfsc',
  options: hfscOptions,
  alwaysSendOptions: true,
  usage: HFSC_USAGE,
  parse: (tokens) => parseHfsc(tokens),
  print: (p, o) => { if (o.defcls) p.rawText(sprintf('default %x ', o.defcls)); },
  xstats: hfscXstats,
  printXstats: (p, x) => printHfscXstats(p, x as HfscXstats),
  classOptions: hfscClassOptions,
  classUsage: HFSC_CLASS_USAGE,
  parseClass: parseHfscClass,
  printClass: printHfscClass,
  classXstats: hfscXstats,
  printClassXstats: (p, x) => printHfscXstats(p, x as HfscXstats),
};

registerQdiscKind(hfscKind);

declare module '../kind.js' {
  interface QdiscOptionsMap {
    hfsc: HfscOptions;
  }
}

declare module '../kind.js' {
  interface ClassOptionsMap {
    hfsc: HfscClassOptions;
  }
}
