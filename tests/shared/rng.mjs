// @ts-check
// A tiny deterministic generator for test data (mulberry32), identical in every runtime.
/** @param {number} seed @returns {() => number} uniform numbers in [0, 1) */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @param {number} n @param {number} seed @returns {Float32Array} n numbers uniform in [-1, 1) */
export function randomF32(n, seed) {
  const r = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r() * 2 - 1;
  return out;
}

/** @param {number} n @param {number} seed @returns {Float64Array} a symmetric n × n matrix (row-major), entries uniform in [-1, 1) filled along the upper triangle */
export function randomSymmetric(n, seed) {
  const r = mulberry32(seed),
    a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const v = r() * 2 - 1;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  return a;
}

/** @param {string} b64 @returns {Float64Array} the little-endian f64 values a NumPy fixture stored as base64 (a copy) */
export function f64FromBase64(b64) {
  const b = Buffer.from(b64, 'base64');
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8).slice();
}
