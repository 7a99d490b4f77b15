// Kernels (docs/design.md §1): the similarity function of a side — cosine, linear or
// Gaussian. A caller's KernelOption is resolved once into a Kernel (defaults
// filled in, σ = 'auto' replaced by the median pairwise distance of one seeded
// sample); routes, feature maps, snapshots and the result's KernelInfo all read
// that one Kernel.
import { InputError } from '../errors.js';
import type { KernelInfo, KernelOption, KernelType, Matrix, MatrixLike } from '../types/index.js';
import { init } from '../wasm/loader.js';
import { pairwiseDistancesRows } from '../wasm/gram.js';
import { Scope } from '../wasm/memory.js';
import { drain, STEP_MS, WorkSizer, type Step } from '../runtime/cooperative.js';
import { matrixSource, sampleRows, type RowSource } from '../validate/source.js';
import { toMatrix, seedOf } from '../validate/checks.js';
import { checkKernelOption } from '../validate/kernel-option.js';

export { checkKernelOption };

export const DEFAULT_RFF_DIM = 1000;
/**
 * Smallest σ random Fourier features can use: ω ~ N(0, σ⁻²) is drawn in float32
 * (max 3.4e38) and |N(0, 1)| draws reach ~6.7, so 1/σ must stay below ~5e37.
 */
export const MIN_RFF_SIGMA = 1e-37;

/** A kernel with every choice made: σ and the RFF size m for the Gaussian (both 0 otherwise). */
export interface Kernel {
  type: KernelType;
  sigma: number;
  rffDim: number;
}

/**
 * Checks a kernel option and fills in its defaults. `autoSigma` supplies σ when
 * the option leaves it 'auto' (called at most once); without one, 'auto' is refused
 * (the streaming accumulators need a numeric σ before the first row). `option`
 * is the name the caller passed it under, for messages (default kernel + side).
 */
export function resolveKernel(opt: KernelOption | undefined, side: string, autoSigma?: () => number, option = `kernel${side}`): Kernel {
  const o = checkKernelOption(opt, option);
  const sigma = o.sigma ?? 'auto';
  const rffDim = o.rffDim ?? DEFAULT_RFF_DIM;
  if (o.type !== 'gaussian') return { type: o.type, sigma: 0, rffDim: 0 };
  if (sigma !== 'auto') return { type: o.type, sigma, rffDim };
  if (!autoSigma) throw new InputError(`${option}: the accumulator needs a numeric sigma (use estimateSigma on a sample first)`);
  return { type: o.type, sigma: autoSigma(), rffDim };
}

/** Feature dimension on the covariance route: d for cosine/linear, 2m for RFF. */
export function featureDim(k: Kernel, d: number): number {
  return k.type === 'gaussian' ? 2 * k.rffDim : d;
}

/** The kernel as a result reports it: σ for the Gaussian, and m where random features were used. */
export function kernelInfo(k: Kernel, route: 'exact' | 'covariance'): KernelInfo {
  if (k.type !== 'gaussian') return { type: k.type };
  return route === 'covariance' ? { type: k.type, sigma: k.sigma, rffDim: k.rffDim } : { type: k.type, sigma: k.sigma };
}

/** The option that resolves to `k` again (what snapshot headers store). */
export function kernelOption(k: Kernel): KernelOption {
  return k.type === 'gaussian' ? { type: k.type, sigma: k.sigma, rffDim: k.rffDim } : k.type;
}

/**
 * σ = 'auto' over the rows of `sources` pooled (finc pools X and Y; compare and
 * align have one source): the median pairwise distance of a seeded sample of at
 * most SAMPLE_ROWS rows (source.ts). `what` names the data in the zero-σ message.
 */
export function sigmaAuto(sources: RowSource[], seed: number, what: string): number {
  return drain(sigmaAutoSteps(sources, seed, what));
}

/** sigmaAuto as a resumable computation (the distances in row steps of ~STEP_MS/2), with progress in sample rows. */
export function* sigmaAutoSteps(sources: RowSource[], seed: number, what: string): Generator<Step, number> {
  const sigma = yield* medianPairwiseDistanceSteps(sampleRows(sources, seed));
  if (!(sigma > 0)) {
    throw new InputError(
      `sigma = auto is 0 for ${what}: the median pairwise distance of the sampled rows is 0 (at least half of the pairs are duplicates); pass an explicit sigma`,
      what,
    );
  }
  return sigma;
}

/**
 * Median of the pairwise Euclidean distances between all rows of `m` (NumPy's
 * median: mean of the two middle values when even). The distances of 1000 rows
 * at d = 384 take ~0.2 s, so they are computed a band of rows per step; the
 * middle values are selected (O(n)), not sorted: the same order statistics.
 */
function* medianPairwiseDistanceSteps(m: Matrix): Generator<Step, number> {
  const n = m.rows,
    d = m.cols;
  if (n < 2) return 1;
  const sc = new Scope();
  try {
    const x = sc.f32(n * d, 'σ-auto sample');
    x.view.set(m.data);
    const out = sc.f64((n * (n - 1)) / 2, `pairwise distances (${n} rows)`);
    const sizer = new WorkSizer(STEP_MS / 2, 16 * n * d);
    for (let i0 = 0; i0 < n - 1; ) {
      const budget = sizer.units();
      let i1 = i0,
        units = 0;
      do units += (n - 1 - i1++) * d;
      while (i1 < n - 1 && units + (n - 1 - i1) * d <= budget);
      sizer.start();
      pairwiseDistancesRows(x, n, d, i0, i1, out);
      sizer.stop(units);
      i0 = i1;
      yield { done: i0, total: n - 1, message: 'σ-auto sample rows' };
    }
    const dist = out.toArray();
    const h = dist.length >> 1;
    const hi = select(dist, h);
    if (dist.length % 2) return hi;
    // select left every value below position h in front of it: the largest of those is the (h−1)-th
    let lo = -Infinity;
    for (let i = 0; i < h; i++) if (dist[i] > lo) lo = dist[i];
    return (lo + hi) / 2;
  } finally {
    sc.free();
  }
}

/** The k-th smallest value of a (0-based; a is reordered so that a[0..k) ≤ a[k] ≤ a[k+1..]): Hoare's quickselect, median-of-3 pivots. */
function select(a: Float64Array, k: number): number {
  let lo = 0,
    hi = a.length - 1;
  while (hi > lo) {
    const x = a[lo],
      y = a[(lo + hi) >>> 1],
      z = a[hi];
    const p = x < y ? (y < z ? y : Math.max(x, z)) : x < z ? x : Math.max(y, z);
    let i = lo,
      j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * The σ that `sigma: 'auto'` would choose: the median pairwise Euclidean
 * distance over a seeded sample of at most 1000 rows of `m`.
 */
export async function estimateSigma(m: MatrixLike, seed = 0): Promise<number> {
  await init();
  return drain(medianPairwiseDistanceSteps(sampleRows([matrixSource(toMatrix(m, 'data'), 'data')], seedOf(seed))));
}
