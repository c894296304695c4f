/**
 * GNU getopt_long as ss uses it: short options clustered (`-tan`), option
 * arguments attached or separate (`-fnetlink`, `-f netlink`), long options
 * with unambiguous prefixes (`--num`) and `=value`, and argument permutation
 * (options may follow non-option words) until `--`.
 * @module
 */

/** A long option: name, whether it takes an argument, and the key it reports. */
export interface LongOpt { readonly name: string; readonly arg: boolean; readonly key: string }

/** One parsed option. */
export interface ParsedOpt { readonly key: string; readonly value: string | undefined }

/**
 * The key of a malformed option (what getopt returns for one): its `value`
 * is getopt's diagnostic. It ends the list, in its place among the options
 * before it, since ss acts on each option as getopt returns it (e.g. `-N`
 * switches namespace, and may fail, before a later bad option is seen).
 */
export const GETOPT_ERROR = '?';

/** getopt's diagnostics (printed to stderr; ss then prints its usage and exits 255). */
export class GetoptError extends Error {
  override readonly name = 'GetoptError';
}

/** Parse `argv` (without the program name). Returns options in order and the non-option words. */
export function getoptLong(argv: readonly string[], shortOpts: string, longOpts: readonly LongOpt[], prog = 'ss'): { opts: ParsedOpt[]; rest: string[] } {
  const opts: ParsedOpt[] = [];
  const rest: string[] = [];
  try {
    scan(argv, shortOpts, longOpts, prog, opts, rest);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    opts.push({ key: GETOPT_ERROR, value: e.message });
  }
  return { opts, rest };
}

function scan(argv: readonly string[], shortOpts: string, longOpts: readonly LongOpt[], prog: string, opts: ParsedOpt[], rest: string[]): void {
  const takesArg = (c: string): boolean | undefined => {
    const i = shortOpts.indexOf(c);
    if (i < 0 || c === ':') return undefined;
    return shortOpts[i + 1] === ':';
  };
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === '--') { rest.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const exact = longOpts.find((o) => o.name === name);
      const cands = exact ? [exact] : longOpts.filter((o) => o.name.startsWith(name));
      // Candidates that are the same option under different names (socket/query) are not ambiguous.
      const distinct = new Set(cands.map((o) => `${o.key}/${o.arg}`));
      if (cands.length === 0) throw new GetoptError(`${prog}: unrecognized option '${a}'`);
      if (distinct.size > 1) {
        throw new GetoptError(`${prog}: option '${a}' is ambiguous; possibilities:${cands.map((o) => ` '--${o.name}'`).join('')}`);
      }
      const o = cands[0]!;
      if (o.arg) {
        let v: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined;
        if (v === undefined) {
          v = argv[i + 1];
          if (v === undefined) throw new GetoptError(`${prog}: option '--${o.name}' requires an argument`);
          i++;
        }
        opts.push({ key: o.key, value: v });
      } else {
        if (eq >= 0) throw new GetoptError(`${prog}: option '--${o.name}' doesn't allow an argument`);
        opts.push({ key: o.key, value: undefined });
      }
      i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const t = takesArg(c);
        if (t === undefined) throw new GetoptError(`${prog}: invalid option -- '${c}'`);
        if (t) {
          let v = a.slice(j + 1);
          if (v === '') {
            const nx = argv[i + 1];
            if (nx === undefined) throw new GetoptError(`${prog}: option requires an argument -- '${c}'`);
            v = nx;
            i++;
          }
          opts.push({ key: c, value: v });
          break;
        }
        opts.push({ key: c, value: undefined });
      }
      i++;
      continue;
    }
    rest.push(a);
    i++;
  }
}
