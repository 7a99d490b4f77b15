// The kernels' one source of random numbers, computed entirely in wasm so every
// runtime draws the same stream for the same seed. SplitMix64 (Steele, Lea &
// Flood) seeds the xoshiro128** streams (Blackman & Vigna) that draw ω and
// sample indices, and itself gives the Lanczos start vectors (uniformSymF64).
// Gaussians come from the Box–Muller transform with the wasm-side
// (AssemblyScript stdlib) log/sin/cos, never the host's Math.

let s0: u32 = 1;
let s1: u32 = 2;
let s2: u32 = 3;
let s3: u32 = 4;

// @ts-ignore: decorator
@inline function rotl(x: u32, k: u32): u32 {
  return (x << k) | (x >>> (32 - k));
}

let sm: u64 = 0;
function splitmix64(): u64 {
  sm += 0x9e3779b97f4a7c15;
  let z = sm;
  z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >>> 27)) * 0x94d049bb133111eb;
  return z ^ (z >>> 31);
}

/**
 * x[i] for i < n: uniform in [-1, 1) with 53-bit resolution, from the SplitMix64
 * sequence started at seed·φ64 + 0x632be59bd9b4e019 (the Lanczos start vectors).
 */
export function uniformSymF64(n: i32, x: usize, seed: i64): void {
  sm = <u64>seed * 0x9e3779b97f4a7c15 + 0x632be59bd9b4e019;
  for (let i = 0; i < n; i++) {
    store<f64>(x + (<usize>i << 3), <f64>(splitmix64() >>> 11) * 2.220446049250313e-16 - 1.0);
  }
}

/**
 * Seeds the generator from a 64-bit seed (lo, hi halves) and a stream id, so
 * different uses of one user seed (ω, index sampling ...) draw independent streams.
 */
export function rngSeed(lo: u32, hi: u32, stream: u32): void {
  sm = ((<u64>hi << 32) | <u64>lo) ^ (<u64>stream * 0xd1b54a32d192ed03);
  const a = splitmix64();
  const b = splitmix64();
  s0 = <u32>a;
  s1 = <u32>(a >>> 32);
  s2 = <u32>b;
  s3 = <u32>(b >>> 32);
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1;
}

/** Next 32 random bits (xoshiro128**). */
export function rngNextU32(): u32 {
  const result = rotl(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 11);
  return result;
}

/** Uniform double in [0, 1) with 53 random bits. */
function rngUniform(): f64 {
  const a = <u64>(rngNextU32() >>> 5); // 27 bits
  const b = <u64>(rngNextU32() >>> 6); // 26 bits
  return <f64>((a << 26) | b) * 1.1102230246251565e-16; // 2^-53
}

/**
 * Fills n f32 values at `out` with N(0, scale²) draws (Box–Muller, pairs in
 * order: cos branch then sin branch), after seeding with (lo, hi, stream).
 */
export function rngGaussianF32(out: usize, n: i32, scale: f64, lo: u32, hi: u32, stream: u32): void {
  rngSeed(lo, hi, stream);
  const TWO_PI: f64 = 6.283185307179586;
  let i = 0;
  while (i < n) {
    const u1 = 1.0 - rngUniform(); // (0, 1]
    const u2 = rngUniform();
    const r = Math.sqrt(-2.0 * Math.log(u1)) * scale;
    const th = TWO_PI * u2;
    store<f32>(out + (<usize>i << 2), <f32>(r * Math.cos(th)));
    i++;
    if (i < n) {
      store<f32>(out + (<usize>i << 2), <f32>(r * Math.sin(th)));
      i++;
    }
  }
}

/**
 * Writes k distinct indices of 0..n-1 in ascending order to `out` (i32),
 * by selection sampling (Knuth's Algorithm S): one uniform per candidate,
 * O(n) time, no extra memory. k ≥ n writes 0..n-1. Returns the count written.
 */
export function rngSampleIndices(out: usize, n: i32, k: i32, lo: u32, hi: u32, stream: u32): i32 {
  if (k >= n) {
    for (let i = 0; i < n; i++) store<i32>(out + (<usize>i << 2), i);
    return n;
  }
  if (k <= 0) return 0;
  rngSeed(lo, hi, stream);
  let chosen = 0;
  for (let t = 0; t < n && chosen < k; t++) {
    if (<f64>(n - t) * rngUniform() < <f64>(k - chosen)) {
      store<i32>(out + (<usize>chosen << 2), t);
      chosen++;
    }
  }
  return chosen;
}
