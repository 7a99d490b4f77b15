// Seeded pseudo-random numbers in plain JS (mulberry32), for the report's point
// sample, pair sample and UMAP: integer arithmetic only, so a seed gives the
// same stream in Node, Deno and browsers without wasm.

/** A seeded generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = (seed >>> 0) ^ 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded integer in [0, n). */
export const randInt = (rand: () => number, n: number): number => Math.min(n - 1, Math.floor(rand() * n));
