// The seeded row draws of the resampling loops. Resample r draws from its own
// stream (seed and r mixed), so any resample can be reproduced alone, in any order or
// on any worker, and a NumPy script can rebuild the same index sets (scripts/fixtures).
import { mulberry32 } from '../runtime/prng.js';

/** The stream of resample `r` of a loop (`loop` 1: splits, 2: bootstrap) under `seed`. */
export function resampleStream(seed: number, loop: number, r: number): () => number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (loop * 0x27d4eb2f), 0xc2b2ae35) >>> 0;
  h = Math.imul(h ^ (r + 1), 0x165667b1) >>> 0;
  return mulberry32((h ^ (h >>> 16)) >>> 0);
}

/** A uniformly random permutation of 0..n−1 (Fisher–Yates from the top). */
export function permutation(n: number, rand: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * Half A of a random halving as 0/1 weights: the first ⌊n/2⌋ of a random permutation
 * (the rest are half B).
 */
export function halving(n: number, rand: () => number): Float64Array {
  const p = permutation(n, rand);
  const w = new Float64Array(n);
  for (let i = 0; i < n >> 1; i++) w[p[i]] = 1;
  return w;
}

/** Bootstrap multiplicities: n draws with replacement, w[i] = how often row i was drawn. */
export function bootstrapWeights(n: number, rand: () => number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[Math.floor(rand() * n)]++;
  return w;
}
