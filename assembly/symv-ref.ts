// Scalar references for symv.ts (compiled into the as-pect tests only).

/** y = A x, A symmetric n×n with leading dimension ld, entry (i, j) read from the upper triangle only. */
export function symvUpperRef(n: i32, a: usize, ld: i32, x: usize, y: usize): void {
  for (let i = 0; i < n; i++) {
    let s: f64 = 0;
    for (let j = 0; j < n; j++) {
      const u = min(i, j), v = max(i, j);
      s += load<f64>(a + ((<usize>u * <usize>ld + <usize>v) << 3)) * load<f64>(x + (<usize>j << 3));
    }
    store<f64>(y + (<usize>i << 3), s);
  }
}

/**
 * y = R S Rᵀ x (length r) with the factor stored transposed: row c (c < d,
 * leading dim d) holds R[0..min(c+1, r))[c]; s: d signs.
 */
export function rsrApplyRef(r: i32, d: i32, a: usize, s: usize, x: usize, y: usize): void {
  for (let t = 0; t < r; t++) {
    let acc: f64 = 0;
    for (let c = 0; c < d; c++) {
      if (t >= min(c + 1, r)) continue;
      let dot: f64 = 0;
      for (let u = 0; u < min(c + 1, r); u++) dot += load<f64>(a + ((<usize>c * <usize>d + <usize>u) << 3)) * load<f64>(x + (<usize>u << 3));
      acc += load<f64>(a + ((<usize>c * <usize>d + <usize>t) << 3)) * load<f64>(s + (<usize>c << 3)) * dot;
    }
    store<f64>(y + (<usize>t << 3), acc);
  }
}
