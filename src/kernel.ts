// Kernels (docs/design.md §1): the similarity function of a side — cosine, linear or
// Gaussian. A caller's KernelOption is resolved once into a Kernel (defaults
// filled in, σ = 'auto' replaced by the median pairwise distance of one seeded
// sample); routes, feature maps, snapshots and the result's KernelInfo all read
// that one Kernel.
import { InputError } from './errors.js';
import type { KernelInfo, KernelOption, KernelType, Matrix, MatrixLike } from './types.js';
import { KERNEL_KEYS } from './option-names.js';
import { init } from './wasm/loader.js';
import { f32 } from './wasm/memory.js';
import { pairwiseDistances } from './wasm/gram.js';
import { matrixSource, sampleRows, type RowSource } from './source.js';
import { toMatrix, seedOf, checkOptionNames } from './validate.js';

export const DEFAULT_RFF_DIM = 1000;
/**
 * Smallest σ random Fourier features can use: ω ~ N(0, σ⁻²) is drawn in float32
 * (max 3.4e38) and |N(0, 1)| draws reach ~6.7, so 1/σ must stay below ~5e37.
 */
export const MIN_RFF_SIGMA = 1e-37;
const TYPES: KernelType[] = ['cosine', 'linear', 'gaussian'];

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

/**
 * A kernel option checked (type, keys, σ, rffDim), as an object; messages name
 * it `option`, the name the user passed it under (compare checks kernel,
 * kernelX and kernelY this way before resolving either side).
 */
export function checkKernelOption(opt: KernelOption | undefined, option: string): Exclude<KernelOption, string> {
  const o = opt === undefined ? { type: 'cosine' as KernelType } : typeof opt === 'string' ? { type: opt } : opt;
  if (!o || typeof o !== 'object' || !TYPES.includes(o.type)) {
    throw new InputError(`${option} must be one of ${TYPES.join(', ')}, got ${JSON.stringify((o as any)?.type ?? opt)}`);
  }
  checkOptionNames(o, KERNEL_KEYS, `${option} option`);
  const sigma = o.sigma ?? 'auto';
  if (sigma !== 'auto' && (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma <= 0)) {
    throw new InputError(`sigma of ${option} must be a number > 0 or 'auto', got ${String(sigma)}`);
  }
  const rffDim = o.rffDim ?? DEFAULT_RFF_DIM;
  if (!Number.isInteger(rffDim) || rffDim < 1) {
    throw new InputError(`rffDim of ${option} must be an integer ≥ 1, got ${String(rffDim)}`);
  }
  return o;
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
  const sigma = medianPairwiseDistance(sampleRows(sources, seed));
  if (!(sigma > 0)) {
    throw new InputError(`sigma = auto is 0 for ${what}: the median pairwise distance of the sampled rows is 0 (at least half of the pairs are duplicates); pass an explicit sigma`, what);
  }
  return sigma;
}

/** Median of the pairwise Euclidean distances between all rows of `m` (NumPy's median: mean of the two middle values when even). */
function medianPairwiseDistance(m: Matrix): number {
  if (m.rows < 2) return 1;
  const buf = f32(m.rows * m.cols, 'σ-auto sample');
  try {
    buf.view.set(m.data);
    const d = pairwiseDistances(buf, m.rows, m.cols);
    d.sort();
    const h = d.length >> 1;
    return d.length % 2 ? d[h] : (d[h - 1] + d[h]) / 2;
  } finally {
    buf.free();
  }
}

/**
 * The σ that `sigma: 'auto'` would choose: the median pairwise Euclidean
 * distance over a seeded sample of at most 1000 rows of `m`.
 */
export async function estimateSigma(m: MatrixLike, seed = 0): Promise<number> {
  await init();
  return medianPairwiseDistance(sampleRows([matrixSource(toMatrix(m, 'data'), 'data')], seedOf(seed)));
}
