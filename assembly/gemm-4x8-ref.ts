// Scalar reference for gemm-4x8.ts (compiled into the as-pect tests only).

/** C = A·B + beta·C by the textbook triple loop, f64 sums rounded once to f32. */
export function sgemmRef(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, beta: f32): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s: f64 = 0;
      for (let p = 0; p < k; p++) {
        s += <f64>load<f32>(a + ((<usize>i * <usize>lda + <usize>p) << 2)) * <f64>load<f32>(b + ((<usize>p * <usize>ldb + <usize>j) << 2));
      }
      const cp = c + ((<usize>i * <usize>ldc + <usize>j) << 2);
      store<f32>(cp, beta == 0 ? <f32>s : <f32>(s + <f64>beta * <f64>load<f32>(cp)));
    }
  }
}

/** tile[r][j] = Σ_p a[p·8 + r]·b[p·8 + j] for r < 4, j < 8 (a, b: panel8 layout), into out (32 f32). */
export function microKernel4x8Ref(a: usize, b: usize, kc: i32, out: usize): void {
  for (let r = 0; r < 4; r++) {
    for (let j = 0; j < 8; j++) {
      let s: f32 = 0;
      for (let p = 0; p < kc; p++) s += load<f32>(a + (<usize>(p * 8 + r) << 2)) * load<f32>(b + (<usize>(p * 8 + j) << 2));
      store<f32>(out + (<usize>(r * 8 + j) << 2), s);
    }
  }
}
