// Seeded pseudo-random numbers for the report's point sample, pair sample and
// UMAP: the package's one JS generator (src/runtime/prng.ts).

export { seededRandom } from '../runtime/prng.js';

/** A seeded integer in [0, n). */
export const randInt = (rand: () => number, n: number): number => Math.min(n - 1, Math.floor(rand() * n));
