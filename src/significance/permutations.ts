// What every permutation test shares: the seeded permutations themselves, the
// p-value convention, the null's quantiles, and the loop that runs N of them
// cooperatively (progress as stage 'significance', abort, the cost estimate
// after the first one). The statistics are the callers' (cka-permutation.ts,
// finc-permutation.ts).
import { InputError } from '../errors.js';
import type { PermutationTest } from '../types/significance.js';
import type { Cooperative } from '../runtime/cooperative.js';
import { seededRandom } from '../runtime/prng.js';

/** The most permutations accepted: beyond, the p-value's resolution (1/(N+1)) no longer matters. */
export const MAX_PERMUTATIONS = 100_000;

/** `significance.permutations` checked: a non-negative integer ≤ MAX_PERMUTATIONS (0 or absent: no test). */
export function permutationsOf(v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new InputError(`significance.permutations must be a non-negative integer (the number of permutations), got ${describe(v)}`);
  if (v > MAX_PERMUTATIONS)
    throw new InputError(
      `significance.permutations = ${v} is more than ${MAX_PERMUTATIONS}: a p-value's resolution is 1/(N + 1), and 1000–10000 permutations already resolve 0.001–0.0001`,
    );
  return v;
}

/** `significance.seed` checked (default: the task's seed). */
export function significanceSeedOf(v: unknown, taskSeed: number): number {
  if (v === undefined) return taskSeed;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new InputError(`significance.seed must be an integer, got ${describe(v)}`);
  return v;
}

function describe(v: unknown): string {
  return typeof v === 'number' ? String(v) : typeof v === 'string' ? JSON.stringify(v) : typeof v;
}

/**
 * N seeded permutations of 0..n−1, drawn one after the other from one stream
 * (Fisher–Yates with mulberry32), so the i-th permutation depends only on the seed.
 */
export class Permutations {
  private readonly rand: () => number;
  readonly perm: Int32Array;
  constructor(
    readonly n: number,
    seed: number,
  ) {
    this.rand = seededRandom(seed);
    this.perm = new Int32Array(n);
  }
  /** The next permutation (a fresh shuffle of the identity), in `perm`. */
  next(): Int32Array {
    const p = this.perm;
    for (let i = 0; i < this.n; i++) p[i] = i;
    for (let i = this.n - 1; i > 0; i--) {
      const j = Math.floor(this.rand() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

/** Quantile q of sorted values (linear interpolation, NumPy's default). */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q,
    lo = Math.floor(h),
    hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The test of `observed` against `nulls` (larger is more extreme):
 * p = (1 + #{null ≥ observed}) / (1 + N), and the null's 50/95/99% quantiles.
 * `display` maps a statistic to the unit the result reports (the quantiles).
 */
export function permutationTest(observed: number, nulls: Float64Array, display: (v: number) => number = (v) => v): PermutationTest {
  let ge = 0;
  for (const v of nulls) if (v >= observed) ge++;
  const sorted = Float64Array.from(nulls, display).sort();
  return {
    permutations: nulls.length,
    pValue: (1 + ge) / (1 + nulls.length),
    nullQuantiles: [quantile(sorted, 0.5), quantile(sorted, 0.95), quantile(sorted, 0.99)],
  };
}

/**
 * Runs N seeded permutations of n rows in batches of `batch` (the i-th
 * permutation is the same whatever the batch size), cooperatively: `run`
 * computes a batch's statistics as a resumable computation (yielding between
 * its steps); progress is reported per batch, and after the first batch the
 * estimated seconds for all of them (the CLI prints it when it is long).
 */
export async function runPermutations(
  N: number,
  n: number,
  seed: number,
  coop: Cooperative,
  run: (perms: Int32Array[]) => Generator<void, void>,
  batch = 1,
): Promise<void> {
  const perms = new Permutations(n, seed);
  coop.progress('significance', 0, N, 'permutations');
  const t0 = performance.now();
  for (let i0 = 0; i0 < N; i0 += batch) {
    const size = Math.min(batch, N - i0);
    const ps = Array.from({ length: size }, () => perms.next().slice());
    const gen = run(ps);
    try {
      for (let r = gen.next(); !r.done; r = gen.next()) await coop.tick();
    } finally {
      gen.return();
    }
    if (i0 === 0 && coop.onProgress) {
      const estimatedSeconds = ((performance.now() - t0) / 1000) * (N / size);
      coop.onProgress({ stage: 'significance', done: size, total: N, message: 'permutations', estimatedSeconds });
    } else {
      coop.progress('significance', i0 + size, N, 'permutations');
    }
    await coop.tick();
  }
}

/** The permutation settings of `significance` (the other resampling counts are checked elsewhere). */
export function significanceOf(v: unknown, taskSeed: number): { permutations: number; seed: number } {
  if (v === undefined || v === null) return { permutations: 0, seed: taskSeed };
  if (typeof v !== 'object' || Array.isArray(v)) throw new InputError(`significance must be an object such as { permutations: 1000 }, got ${describe(v)}`);
  const o = v as { permutations?: unknown; seed?: unknown };
  return { permutations: permutationsOf(o.permutations), seed: significanceSeedOf(o.seed, taskSeed) };
}
