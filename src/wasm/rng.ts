// Seeded random streams drawn in wasm (xoshiro128** + Box–Muller), identical in
// every runtime for the same seed (internal).
import { wasm } from './loader.js';
import { f32, i32, type WasmArray } from './memory.js';

/** Stream ids: one user seed gives independent streams for each purpose. */
export const STREAM_OMEGA = 1;
export const STREAM_INDICES = 2;

function seedParts(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`spec-embed: seed must be a safe integer, got ${seed}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return [lo, hi];
}

/**
 * ω for random Fourier features: a d × m row-major f32 matrix with i.i.d. entries
 * N(0, 1/σ²), drawn in row-major order. The caller frees the returned buffer.
 */
export function gaussianOmega(d: number, m: number, sigma: number, seed: number, stream = STREAM_OMEGA): WasmArray<Float32Array> {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`spec-embed: sigma must be a positive finite number, got ${sigma}`);
  if (!Number.isInteger(d) || !Number.isInteger(m) || d < 0 || m < 0) throw new RangeError(`spec-embed: invalid omega shape ${d} × ${m}`);
  const [lo, hi] = seedParts(seed);
  const out = f32(d * m, `random features ω (${d} × ${m})`);
  wasm().rngGaussianF32(out.ptr, d * m, 1 / sigma, lo, hi, stream);
  return out;
}

/** k distinct indices of 0..n−1, ascending, seeded (k ≥ n gives all of them). */
export function sampleIndices(n: number, k: number, seed: number, stream = STREAM_INDICES): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new RangeError(`spec-embed: invalid population size ${n}`);
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`spec-embed: invalid sample size ${k}`);
  const [lo, hi] = seedParts(seed);
  const count = Math.min(k, n);
  const buf = i32(Math.max(count, 1));
  try {
    const got = wasm().rngSampleIndices(buf.ptr, n, count, lo, hi, stream);
    return buf.view.slice(0, got);
  } finally {
    buf.free();
  }
}
