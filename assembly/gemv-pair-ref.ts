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

/** t[c] += Σ_i x[i]·A[i][c]: per column, blocks of T_BLOCK rows summed in f32 (groups of four rows paired), then added in f64. */
export function gemvTAccRef(rows: i32, cols: i32, a: usize, x: usize, t: usize): void {
  for (let c = 0; c < cols; c++) {
    let acc = at64(t, c);
    for (let b0 = 0; b0 < rows; b0 += T_BLOCK) {
      const b1 = min(rows, b0 + T_BLOCK);
      let s: f32 = 0;
      let i = b0;
      for (; i + 4 <= b1; i += 4) {
        const p0 = <f32>at64(x, i) * at32(a, i * cols + c),
          p1 = <f32>at64(x, i + 1) * at32(a, (i + 1) * cols + c),
          p2 = <f32>at64(x, i + 2) * at32(a, (i + 2) * cols + c),
          p3 = <f32>at64(x, i + 3) * at32(a, (i + 3) * cols + c);
        s = s + ((p0 + p1) + (p2 + p3));
      }
      for (; i < b1; i++) s = s + <f32>at64(x, i) * at32(a, i * cols + c);
      acc += <f64>s;
    }
    store<f64>(t + (<usize>c << 3), acc);
  }
}

/** y[i] += w·Σ_c A[i][c]·t[c]: per row, lanes of alternate vectors per chunk, the gemv-pair.ts order. */
export function gemvNAccRef(rows: i32, cols: i32, a: usize, t: usize, y: usize, w: f64): void {
  const c4 = cols & ~3;
  const sa = new StaticArray<f32>(4),
    sb = new StaticArray<f32>(4);
  for (let i = 0; i < rows; i++) {
    let acc0: f64 = 0,
      acc1: f64 = 0;
    for (let c0 = 0; c0 < c4; c0 += N_CHUNK) {
      const c1 = min(c4, c0 + N_CHUNK);
      for (let l = 0; l < 4; l++) {
        sa[l] = 0;
        sb[l] = 0;
      }
      for (let v = 0; c0 + 4 * v < c1; v++) {
        for (let l = 0; l < 4; l++) {
          const c = c0 + 4 * v + l;
          const p = at32(a, i * cols + c) * at32(t, c);
          if ((v & 1) == 0) sa[l] = sa[l] + p;
          else sb[l] = sb[l] + p;
        }
      }
      const s0 = sa[0] + sb[0],
        s1 = sa[1] + sb[1],
        s2 = sa[2] + sb[2],
        s3 = sa[3] + sb[3];
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
