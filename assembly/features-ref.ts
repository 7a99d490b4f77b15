// Scalar references for features.ts (compiled into the as-pect tests only).
import { sgemmRef } from './gemm-4x8-ref';
import { sincosScalar } from './sincos';

/** First row holding NaN or ±Inf, or -1. */
export function firstNonFiniteRef(x: usize, rows: i32, d: i32, ld: i32): i32 {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) if (!isFinite(load<f32>(x + ((<usize>i * <usize>ld + <usize>j) << 2)))) return i;
  }
  return -1;
}

/** out row = x/‖x‖ (f64 norm and product), rows without a zero norm. */
export function featCosineRef(x: usize, rows: i32, d: i32, out: usize, ldOut: i32): void {
  for (let i = 0; i < rows; i++) {
    let s: f64 = 0;
    for (let j = 0; j < d; j++) { const v = <f64>load<f32>(x + ((<usize>i * <usize>d + <usize>j) << 2)); s += v * v; }
    const inv = 1.0 / Math.sqrt(s);
    for (let j = 0; j < d; j++) {
      store<f32>(out + ((<usize>i * <usize>ldOut + <usize>j) << 2), <f32>(<f64>load<f32>(x + ((<usize>i * <usize>d + <usize>j) << 2)) * inv));
    }
  }
}

/** Random Fourier features: projection by the scalar GEMM, then the scalar sin/cos. */
export function featRffRef(x: usize, rows: i32, d: i32, omega: usize, m: i32, out: usize, ldOut: i32): void {
  sgemmRef(rows, m, d, x, d, omega, m, out, ldOut, 0);
  const scale = 1.0 / Math.sqrt(<f64>m);
  for (let i = 0; i < rows; i++) {
    const o = out + ((<usize>i * <usize>ldOut) << 2);
    for (let j = 0; j < m; j++) {
      const p = o + (<usize>j << 2);
      sincosScalar(load<f32>(p), scale, p, p + (<usize>m << 2));
    }
  }
}
