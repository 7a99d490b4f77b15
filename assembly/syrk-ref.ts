// Scalar references for syrk.ts (compiled into the as-pect tests only): f64
// products and sums, the exact answer the f32-block kernels approximate.

/** C[i][j] += scale·Σ_r Ψ[r][i]·Ψ[r][j] for j ≥ i (Ψ rows × dim, leading dim ld; C leading dim ldc). */
export function syrkRef(psi: usize, rows: i32, dim: i32, ld: i32, c: usize, ldc: i32, scale: f64): void {
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      let s: f64 = 0;
      for (let r = 0; r < rows; r++) {
        const row = psi + ((<usize>r * <usize>ld) << 2);
        s += <f64>load<f32>(row + (<usize>i << 2)) * <f64>load<f32>(row + (<usize>j << 2));
      }
      const cp = c + ((<usize>i * <usize>ldc + <usize>j) << 3);
      store<f64>(cp, load<f64>(cp) + scale * s);
    }
  }
}

/** C += scale·AᵀB (A rows × da, lda; B rows × db, ldb; C da × db f64, ldc). */
export function gemmTNRef(a: usize, lda: i32, da: i32, b: usize, ldb: i32, db: i32, rows: i32, c: usize, ldc: i32, scale: f64): void {
  for (let i = 0; i < da; i++) {
    for (let j = 0; j < db; j++) {
      let s: f64 = 0;
      for (let r = 0; r < rows; r++) {
        s += <f64>load<f32>(a + ((<usize>r * <usize>lda + <usize>i) << 2)) * <f64>load<f32>(b + ((<usize>r * <usize>ldb + <usize>j) << 2));
      }
      const cp = c + ((<usize>i * <usize>ldc + <usize>j) << 3);
      store<f64>(cp, load<f64>(cp) + scale * s);
    }
  }
}
