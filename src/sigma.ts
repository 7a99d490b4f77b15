// σ = 'auto': the median Euclidean distance between pairs of a seeded sample of
// at most 1000 rows (NumPy's median: mean of the two middle values when even).
import type { Matrix } from './types.js';
import { f32 } from './wasm/memory.js';
import { sampleIndices } from './wasm/rng.js';
import { pairwiseDistances } from './wasm/gram.js';

export const SIGMA_SAMPLE_ROWS = 1000;

/** Median pairwise distance of the seeded ≤ 1000-row sample of `m` (a sample of ≤ 1000 rows is used whole). */
export function medianPairwiseDistance(m: Matrix, seed: number): number {
  const idx = sampleIndices(m.rows, SIGMA_SAMPLE_ROWS, seed);
  if (idx.length < 2) return 1;
  const buf = f32(idx.length * m.cols, 'σ-auto sample');
  try {
    const v = buf.view;
    for (let r = 0; r < idx.length; r++) {
      const src = idx[r] * m.cols;
      for (let j = 0; j < m.cols; j++) v[r * m.cols + j] = m.data[src + j];
    }
    const d = pairwiseDistances(buf, idx.length, m.cols);
    d.sort();
    const h = d.length >> 1;
    return d.length % 2 ? d[h] : (d[h - 1] + d[h]) / 2;
  } finally {
    buf.free();
  }
}
