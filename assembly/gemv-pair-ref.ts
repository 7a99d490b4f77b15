// Scalar references for gemv-pair.ts (compiled into the as-pect tests only):
// the same summation orders, one column or one lane at a time, so the SIMD
// kernels must agree bit for bit.
import { N_CHUNK, T_BLOCK } from './gemv-pair';

// @ts-ignore: decorator
@inline function at32(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline function at64(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

/** t[c] += Σ_i x[i]·A[i][c]: per column, blocks of T_BLOCK rows summed in f32 one row at a time, then added in f64. */
export function gemvTAccRef(rows: i32, cols: i32, a: usize, x: usize, t: usize): void {
  for (let c = 0; c < cols; c++) {
    let acc = at64(t, c);
    for (let b0 = 0; b0 < rows; b0 += T_BLOCK) {
      const b1 = min(rows, b0 + T_BLOCK);
      let s: f32 = 0;
      for (let i = b0; i < b1; i++) s = s + <f32>at64(x, i) * at32(a, i * cols + c);
      acc += <f64>s;
    }
    store<f64>(t + (<usize>c << 3), acc);
  }
}

/** y[i] += w·Σ_c A[i][c]·t[c]: per row, lanes of four partials (vector v of a chunk into partial v % 4), the gemv-pair.ts order. */
export function gemvNAccRef(rows: i32, cols: i32, a: usize, t: usize, y: usize, w: f64): void {
  const c4 = cols & ~3;
  const ps = new StaticArray<f32>(16);
  for (let i = 0; i < rows; i++) {
    let acc0: f64 = 0,
      acc1: f64 = 0;
    for (let c0 = 0; c0 < c4; c0 += N_CHUNK) {
      const c1 = min(c4, c0 + N_CHUNK);
      for (let l = 0; l < 16; l++) ps[l] = 0;
      for (let v = 0; c0 + 4 * v < c1; v++) {
        for (let l = 0; l < 4; l++) {
          const c = c0 + 4 * v + l;
          const q = (v & 3) * 4 + l;
          ps[q] = ps[q] + at32(a, i * cols + c) * at32(t, c);
        }
      }
      const s0 = (ps[0] + ps[4]) + (ps[8] + ps[12]),
        s1 = (ps[1] + ps[5]) + (ps[9] + ps[13]),
        s2 = (ps[2] + ps[6]) + (ps[10] + ps[14]),
        s3 = (ps[3] + ps[7]) + (ps[11] + ps[15]);
      acc0 = acc0 + <f64>s0;
      acc1 = acc1 + <f64>s1;
      acc0 = acc0 + <f64>s2;
      acc1 = acc1 + <f64>s3;
    }
    let d = acc0 + acc1;
    for (let c = c4; c < cols; c++) d += <f64>at32(a, i * cols + c) * <f64>at32(t, c);
    store<f64>(y + (<usize>i << 3), at64(y, i) + w * d);
  }
}
