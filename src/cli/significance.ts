// --permutations N (compare and finc): the permutation tests of the metrics and,
// for finc, of each mode; and the note that tells the user how long they will take.
import type { ProgressEvent } from '../types/index.js';
import { MAX_PERMUTATIONS } from '../significance/permutations.js';
import { UsageError, parseNumber, type OptionSpec, type ParsedArgs } from './args.js';
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

/** Wraps a progress callback so that a long permutation run is announced (from its first permutation). */
export function withCostNote(onProgress: (e: ProgressEvent) => void, note: (m: string) => void): (e: ProgressEvent) => void {
  return (e) => {
    if (e.stage === 'significance' && e.estimatedSeconds !== undefined && e.estimatedSeconds > ANNOUNCE_SECONDS)
      note(`permutation tests: about ${formatSeconds(e.estimatedSeconds)} for ${e.total} permutations (estimated from the first)`);
    onProgress(e);
  };
}
