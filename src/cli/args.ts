// A small strict option parser for the spec-embed commands.
//
// * `--opt value` and `--opt=value`; flags take no value (`--json=1` is an error).
// * Unknown options, missing values and repeated options are usage errors (exit 2).
// * `--` ends the options; `-h`/`--help` anywhere before it asks for help.
// * A value may start with a single dash (`--sigma-x -1` reaches the σ check),
//   but not with `--` (`--top --json` means --top is missing its value).

/** Bad usage: main prints `spec-embed: <message>` and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** Long name without the dashes, e.g. "sigma-x". */
  name: string;
  /** Placeholder shown in help for options that take a value; absent for flags. */
  value?: string;
  help: string;
  /** Accepted but left out of --help (developer switches). */
  hidden?: boolean;
}

export interface ParsedArgs {
  help: boolean;
  positionals: string[];
  /** Option name → its value (`true` for flags). */
  options: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  const endOfOptions = argv.indexOf('--');
  const scanned = endOfOptions < 0 ? argv : argv.slice(0, endOfOptions);
  if (scanned.includes('--help') || scanned.includes('-h')) return { help: true, positionals, options };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) {
      // `-labels` is `--labels` with a dash missing.
      const single = arg.slice(1).split('=')[0];
      const hint = byName.has(single) ? `--${single}` : undefined;
      throw new UsageError(unknownOption(arg, command, hint));
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) throw new UsageError(unknownOption(`--${name}`, command, nearestOption(name, specs)));
    if (options.has(name)) throw new UsageError(`--${name} is given more than once`);
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value (got '${arg}')`);
      options.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value (${spec.value})`);
    options.set(name, value);
  }
  return { help: false, positionals, options };
}

function unknownOption(arg: string, command: string, suggestion: string | undefined): string {
  return suggestion
    ? `unknown option ${arg} for '${command}'; did you mean ${suggestion}?`
    : `unknown option ${arg} for '${command}' (see 'spec-embed ${command} --help')`;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions: `--out-mpa`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The valid option(s) an unknown name most likely meant, as "--labels" or "--sigma-x or
 * --sigma-y", or undefined when none is close. Close means: at most one edit per three
 * characters typed (two at most, so `--bogus` suggests nothing), or the name begins one or
 * two options (`--sigma` → --sigma-x, --sigma-y). Hidden switches are never suggested.
 */
export function nearestOption(name: string, specs: readonly OptionSpec[]): string | undefined {
  return nearest(name, [...specs.filter((s) => !s.hidden).map((s) => s.name), 'help'])
    ?.map((n) => `--${n}`)
    .join(' or ');
}

/** The one or two of `names` closest to `name` by the rule of nearestOption, or undefined. */
export function nearest(name: string, names: readonly string[]): string[] | undefined {
  const lower = name.toLowerCase();
  const limit = Math.min(2, Math.max(1, Math.floor(lower.length / 3)));
  let best = Infinity,
    close: string[] = [];
  for (const n of names) {
    const d = editDistance(lower, n);
    if (d < best) [best, close] = [d, [n]];
    else if (d === best) close.push(n);
  }
  if (lower.length >= 2 && best <= limit && close.length <= 2) return close;
  const prefixed = lower.length >= 3 ? names.filter((n) => n.startsWith(lower)) : [];
  if (prefixed.length >= 1 && prefixed.length <= 2) return prefixed;
  return undefined;
}

/** The help lines for a list of options, aligned. */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const shown = specs.filter((s) => !s.hidden);
  const heads = shown.map((s) => `--${s.name}${s.value ? ` ${s.value}` : ''}`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return shown.map((s, i) => `  ${heads[i].padEnd(width)}${s.help}`).join('\n');
}

// ---- value checks (each returns the parsed value or throws a UsageError naming the option) ----

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseNumber(option: string, raw: string, what = 'a number'): number {
  const v = NUMBER.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(v)) throw new UsageError(`--${option} must be ${what}, got '${raw}'`);
  return v;
}

export function parseInteger(option: string, raw: string, min: number): number {
  const what = `an integer ≥ ${min}`;
  const v = parseNumber(option, raw, what);
  if (!Number.isSafeInteger(v) || v < min) throw new UsageError(`--${option} must be ${what}, got '${raw}'`);
  return v;
}

export function parseChoice<T extends string>(option: string, raw: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${option} must be one of ${choices.join(', ')}, got '${raw}'`);
  }
  return raw as T;
}

/** σ: a positive number or 'auto'. */
export function parseSigma(option: string, raw: string): number | 'auto' {
  if (raw === 'auto') return 'auto';
  const what = "a positive number or 'auto'";
  const v = parseNumber(option, raw, what);
  if (!(v > 0)) throw new UsageError(`--${option} must be ${what}, got '${raw}'`);
  return v;
}
