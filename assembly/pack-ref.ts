// Scalar references for pack.ts (compiled into the as-pect tests only).

/** dst[r*ldd + off + j] = scale * src[r*cols + j]. */
export function packColumnsRef(src: usize, rows: i32, cols: i32, dst: usize, ldd: i32, off: i32, scale: f32): void {
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      store<f32>(dst + ((<usize>r * <usize>ldd + <usize>(off + j)) << 2), load<f32>(src + ((<usize>r * <usize>cols + <usize>j) << 2)) * scale);
    }
  }
}

/** panel8 of a kc × n row-major block: dst[(j/8)·kc·8 + p·8 + j%8] = src(p, j), zero past n. */
export function packRowsRef(src: usize, ld: i32, kc: i32, n: i32, dst: usize): void {
  const panels = (n + 7) >> 3;
  for (let q = 0; q < panels; q++) {
    for (let p = 0; p < kc; p++) {
      for (let t = 0; t < 8; t++) {
        const j = q * 8 + t;
        const v: f32 = j < n ? load<f32>(src + ((<usize>p * <usize>ld + <usize>j) << 2)) : 0;
        store<f32>(dst + (<usize>((q * kc + p) * 8 + t) << 2), v);
      }
    }
  }
}

/** panel8 of the transpose of an m × kc block: dst[(i/8)·kc·8 + p·8 + i%8] = src(i, p), zero past m. */
export function packColsRef(src: usize, ld: i32, m: i32, kc: i32, dst: usize): void {
  const panels = (m + 7) >> 3;
  for (let q = 0; q < panels; q++) {
    for (let p = 0; p < kc; p++) {
      for (let t = 0; t < 8; t++) {
        const i = q * 8 + t;
        const v: f32 = i < m ? load<f32>(src + ((<usize>i * <usize>ld + <usize>p) << 2)) : 0;
        store<f32>(dst + (<usize>((q * kc + p) * 8 + t) << 2), v);
      }
    }
  }
}
