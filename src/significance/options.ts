// The `significance` option checked once: counts are whole numbers in a sane range.
import { InputError } from '../errors.js';
import type { SignificanceOptions } from '../types/significance.js';

/** The largest resample count accepted: each resample is about one run of the analysis. */
export const MAX_RESAMPLES = 10000;

const KEYS = ['splits', 'bootstrap', 'permutations', 'seed'];

export interface SignificancePlan {
  splits: number;
  bootstrap: number;
  permutations: number;
  seed: number;
}

function count(v: unknown, name: string, min: number): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_RESAMPLES || (v > 0 && v < min))
    throw new InputError(
      `significance.${name} must be 0 (off) or a whole number from ${min} to ${MAX_RESAMPLES}, got ${typeof v === 'number' ? v : JSON.stringify(v)}${min > 1 ? ` (a p-value or an interval needs at least ${min})` : ''}`,
    );
  return v;
}

/** The checked plan (all counts 0 when the option is absent); `seed` defaults to the task's seed. */
export function significancePlan(o: SignificanceOptions | undefined, taskSeed: number): SignificancePlan {
  if (o === undefined || o === null) return { splits: 0, bootstrap: 0, permutations: 0, seed: taskSeed };
  if (typeof o !== 'object' || Array.isArray(o))
    throw new InputError(`significance must be an object { splits, bootstrap, permutations, seed }, got ${JSON.stringify(o)}`);
  for (const key of Object.keys(o)) if (!KEYS.includes(key)) throw new InputError(`significance has no option '${key}' (it takes ${KEYS.join(', ')})`);
  const seed = o.seed ?? taskSeed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0)
    throw new InputError(`significance.seed must be a non-negative integer, got ${JSON.stringify(o.seed)}`);
  // permutations (up to MAX_PERMUTATIONS, far more than resamples) are checked by significanceOf
  const permutations = typeof o.permutations === 'number' ? o.permutations : 0;
  return { splits: count(o.splits, 'splits', 2), bootstrap: count(o.bootstrap, 'bootstrap', 2), permutations, seed };
}
