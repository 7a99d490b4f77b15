// The one seeded JavaScript generator of the package (mulberry32): plain 32-bit
// integer arithmetic, so a seed gives the same stream in Node, Deno and browsers.
// Used where wasm is not needed (data split and shuffles, demo order, report samples);
// the numeric kernels draw from the wasm xoshiro128** instead.

/** Floats in [0, 1) from a raw 32-bit state. */
export function mulberry32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Floats in [0, 1) from a user seed (mixed with the golden-ratio constant so that seeds 0, 1, … differ well). */
export function seededRandom(seed: number): () => number {
  return mulberry32(((seed >>> 0) ^ 0x9e3779b9) >>> 0);
}
