// The significance flags (compare and finc): --splits and --bootstrap (the resampling
// evidence of each mode), --permutations N (the permutation tests of the metrics and, for
// finc, of each mode), the table columns that show the evidence, and the note that tells
// the user how long a long run will take.
import { InputError } from '../errors.js';
import type { ProgressEvent } from '../types/index.js';
import type { ModeSignificance, SignificanceOptions } from '../types/significance.js';
import { MAX_PERMUTATIONS } from '../significance/permutations.js';
import { significancePlan } from '../significance/options.js';
import { UsageError, parseInteger, parseNumber, type OptionSpec, type ParsedArgs } from './args.js';
import { formatSeconds } from '../report/format.js';

export const PERMUTATION_OPTION: OptionSpec = {
  name: 'permutations',
  value: 'N',
  help: 'permutation tests with N seeded permutations (default 0: none): p-values of CKA (compare) or of MMD², SPEC-diff and each mode (finc)',
};

/** --permutations as the library's `significance` option (absent: none). */
export function permutationsOption(args: ParsedArgs): { significance: { permutations: number } } | Record<string, never> {
  const raw = args.options.get('permutations');
  if (raw === undefined || raw === true) return {};
  const what = `an integer from 0 to ${MAX_PERMUTATIONS}`;
  const v = parseNumber('permutations', raw, what);
  if (!Number.isSafeInteger(v) || v < 0) throw new UsageError(`--permutations must be ${what}, got '${raw}'`);
  if (v > MAX_PERMUTATIONS)
    throw new UsageError(
      `--permutations ${raw} is more than ${MAX_PERMUTATIONS}: a p-value's resolution is 1/(N + 1), so 1000–10000 permutations already suffice`,
    );
  return v > 0 ? { significance: { permutations: v } } : {};
}

/** Estimated costs above this many seconds are announced before the tests run on. */
export const ANNOUNCE_SECONDS = 10;

/**
 * The estimated seconds of a resampling loop from its first resample: `start` is the time
 * of its first 'resamples' event, `now` that of the first with done ≥ 1.
 */
export function resamplingEstimate(start: number, now: number, total: number): number {
  return ((now - start) / 1000) * total;
}

/**
 * Wraps a progress callback so that a long significance run is announced: permutations from
 * the estimate their first event carries, resamples (splits, bootstrap) timed from the first.
 */
export function withCostNote(
  onProgress: (e: ProgressEvent) => void,
  note: (m: string) => void,
  now: () => number = () => performance.now(),
): (e: ProgressEvent) => void {
  let start = -1,
    announced = false;
  return (e) => {
    if (e.stage === 'significance' && e.estimatedSeconds !== undefined && e.estimatedSeconds > ANNOUNCE_SECONDS)
      note(`permutation tests: about ${formatSeconds(e.estimatedSeconds)} for ${e.total} permutations (estimated from the first)`);
    if (e.stage === 'significance' && e.message === 'resamples' && !announced) {
      if (start < 0) start = now();
      else if (e.done >= 1) {
        announced = true;
        const est = resamplingEstimate(start, now(), e.total);
        if (est > ANNOUNCE_SECONDS) note(`significance: ${e.total} resamples will take about ${Math.round(est)} s (estimated from the first)`);
      }
    }
    onProgress(e);
  };
}

export const SIGNIFICANCE_OPTIONS: OptionSpec[] = [
  { name: 'splits', value: 'R', help: 'held-out replication: R seeded random halvings (modes found on one half, evaluated on the other; R ≥ 2)' },
  { name: 'bootstrap', value: 'B', help: "bootstrap stability: B seeded resamples (each mode's eigenvalue interval and how closely it reappears; B ≥ 2)" },
];

/** The `significance` option from --splits/--bootstrap (undefined when neither is given); counts checked as the library checks them. */
export function significanceOption(args: ParsedArgs): SignificanceOptions | undefined {
  const o: SignificanceOptions = {};
  for (const name of ['splits', 'bootstrap'] as const) {
    const raw = args.options.get(name);
    if (typeof raw === 'string') o[name] = parseInteger(name, raw, 0);
  }
  if (o.splits === undefined && o.bootstrap === undefined) return undefined;
  try {
    significancePlan(o, 0);
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message.replace(/significance\.(\w+)/, '--$1'));
    throw e;
  }
  return o;
}

type WithSignificance = { significance?: ModeSignificance };

/**
 * The modes table with the evidence columns (held-out p, stability, weak) inserted before
 * its last column (the samples), and the lines that explain them; unchanged without evidence.
 */
export function withSignificanceColumns(
  rows: string[][],
  right: boolean[],
  modes: readonly WithSignificance[],
): { rows: string[][]; right: boolean[]; legend: string[] } {
  const sig = modes.map((m) => m.significance);
  const held = sig.some((s) => s?.heldOut),
    stab = sig.some((s) => s?.stability);
  if (!held && !stab) return { rows, right, legend: [] };
  const head = [...(held ? ['held-out p'] : []), ...(stab ? ['stability'] : []), 'weak'];
  const cells = (s: ModeSignificance | undefined) => [
    ...(held ? [s?.heldOut ? pText(s.heldOut.pValue) : ''] : []),
    ...(stab ? [s?.stability ? s.stability.value.toFixed(2) : ''] : []),
    s?.weak ? 'weak' : '',
  ];
  const at = rows[0].length - 1;
  const splice = (r: string[], extra: string[]) => [...r.slice(0, at), ...extra, ...r.slice(at)];
  const legend = [
    ...(held
      ? [
          `held-out p: one-sided p-value that the mode's eigenvalue is not beyond 0 on half the samples it was not found on (${sig.find((s) => s?.heldOut)!.heldOut!.splits} random halvings).`,
        ]
      : []),
    ...(stab
      ? [
          `stability: how closely the mode reappears in ${sig.find((s) => s?.stability)!.stability!.bootstrap} bootstrap resamples (mean best |cosine|, 0 to 1).`,
        ]
      : []),
    'weak: held-out p > 0.05 or stability < 0.5 (--json gives the reasons).',
  ];
  return {
    rows: rows.map((r, i) => splice(r, i === 0 ? head : cells(sig[i - 1]))),
    right: [...right.slice(0, at), ...head.map(() => true), ...right.slice(at)],
    legend,
  };
}

function pText(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** The library's `significance` option from all three flags (undefined when none is given). */
export function significanceFlags(args: ParsedArgs): SignificanceOptions | undefined {
  const resampling = significanceOption(args),
    permutations = permutationsOption(args);
  const o = { ...(resampling ?? {}), ...('significance' in permutations ? permutations.significance : {}) };
  return Object.keys(o).length ? o : undefined;
}
