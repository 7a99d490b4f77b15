// Resolving kernel options into concrete kernels: defaults, σ = 'auto', the
// feature dimension each side contributes on the covariance route.
import { InputError } from './errors.js';
import type { KernelInfo, KernelOption, KernelType, Matrix } from './types.js';
import { medianPairwiseDistance } from './sigma.js';

export const DEFAULT_RFF_DIM = 1000;
/**
 * Smallest σ random Fourier features can use: ω ~ N(0, σ⁻²) is drawn in float32
 * (max 3.4e38) and |N(0, 1)| draws reach ~6.7, so 1/σ must stay below ~5e37.
 */
export const MIN_RFF_SIGMA = 1e-37;
const TYPES: KernelType[] = ['cosine', 'linear', 'gaussian'];

/** A kernel with every choice made, except σ = 'auto' which `resolveSigma` fills in. */
export interface KernelRequest {
  type: KernelType;
  sigma: number | 'auto';
  rffDim: number;
}

export function parseKernel(opt: KernelOption | undefined, side: string): KernelRequest {
  const o = opt === undefined ? { type: 'cosine' as KernelType } : typeof opt === 'string' ? { type: opt } : opt;
  if (!o || !TYPES.includes(o.type)) {
    throw new InputError(`kernel${side} must be one of ${TYPES.join(', ')}, got ${JSON.stringify((o as any)?.type ?? opt)}`);
  }
  const sigma = o.sigma ?? 'auto';
  if (sigma !== 'auto' && (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma <= 0)) {
    throw new InputError(`sigma of kernel${side} must be a number > 0 or 'auto', got ${String(sigma)}`);
  }
  const rffDim = o.rffDim ?? DEFAULT_RFF_DIM;
  if (!Number.isInteger(rffDim) || rffDim < 1) {
    throw new InputError(`rffDim of kernel${side} must be an integer ≥ 1, got ${String(rffDim)}`);
  }
  return { type: o.type, sigma, rffDim };
}

/** A kernel ready to compute: σ is a number for the Gaussian. */
export interface Kernel {
  type: KernelType;
  sigma: number;
  rffDim: number;
}

/** Fills in σ = 'auto' from a seeded sample of ≤ 1000 rows (docs/design.md §1). */
export function resolveSigma(k: KernelRequest, m: Matrix, seed: number, side: string): Kernel {
  if (k.type !== 'gaussian') return { type: k.type, sigma: 0, rffDim: 0 };
  if (k.sigma !== 'auto') return { type: k.type, sigma: k.sigma, rffDim: k.rffDim };
  const sigma = medianPairwiseDistance(m, seed);
  if (!(sigma > 0)) {
    throw new InputError(`sigma = auto is 0 for ${side}: the median pairwise distance of the sampled rows is 0 (at least half of the pairs are duplicates); pass an explicit sigma`, side);
  }
  return { type: k.type, sigma, rffDim: k.rffDim };
}

/** Feature dimension on the covariance route: d for cosine/linear, 2m for RFF. */
export function featureDim(k: Kernel, d: number): number {
  return k.type === 'gaussian' ? 2 * k.rffDim : d;
}

export function kernelInfo(k: Kernel, route: 'exact' | 'covariance'): KernelInfo {
  if (k.type !== 'gaussian') return { type: k.type };
  return route === 'covariance' ? { type: k.type, sigma: k.sigma, rffDim: k.rffDim } : { type: k.type, sigma: k.sigma };
}
