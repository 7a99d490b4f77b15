// Public σ estimate, for callers who stream data through SpecAccumulator.
import { init } from './wasm/loader.js';
import { medianPairwiseDistance } from './sigma.js';
import { toMatrix, seedOf } from './validate.js';
import type { MatrixLike } from './types.js';

/**
 * The σ that `sigma: 'auto'` would choose: the median pairwise Euclidean
 * distance over a seeded sample of at most 1000 rows of `m`.
 */
export async function estimateSigma(m: MatrixLike, seed = 0): Promise<number> {
  await init();
  return medianPairwiseDistance(toMatrix(m, 'data'), seedOf(seed));
}
