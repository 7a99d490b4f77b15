// Packing: copying f32 blocks into the layouts the kernels read.
//  - packColumns: feature blocks into the combined rows Ψ = [ΦX, √η·ΦY].
//  - packRows / packCols: a k-block of a row-major matrix (or of its transpose)
//    into "panel8" layout, for each k index p 8 consecutive f32 values (one per
//    row/column of the panel), zero-padded past the matrix edge: the operand
//    layout of the 4×8 micro-kernel (gemm-4x8.ts).
// Scalar references: pack-ref.ts.

/** dst[r*ldd + off + j] = scale * src[r*cols + j] for r < rows, j < cols (f32). */
export function packColumns(src: usize, rows: i32, cols: i32, dst: usize, ldd: i32, off: i32, scale: f32): void {
  const sv = f32x4.splat(scale);
  for (let r = 0; r < rows; r++) {
    const s = src + ((<usize>r * <usize>cols) << 2);
    const d = dst + ((<usize>r * <usize>ldd + <usize>off) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(d + o, f32x4.mul(v128.load(s + o), sv));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(d + o, load<f32>(s + o) * scale);
    }
  }
}

/**
 * Packs a kc × n block of a row-major matrix (element (p, j) at src + 4·(p·ld + j))
 * into ceil(n/8) panel8s: dst[panel][p][0..8]. Columns ≥ n are zero.
 */
export function packRows(src: usize, ld: i32, kc: i32, n: i32, dst: usize): void {
  const ldb = <usize>ld << 2;
  const panelBytes = <usize>kc << 5;
  const full = n & ~7;
  for (let p = 0; p < kc; p++) {
    const s = src + <usize>p * ldb;
    let d = dst + (<usize>p << 5);
    let j = 0;
    for (; j < full; j += 8) {
      v128.store(d, v128.load(s + (<usize>j << 2)));
      v128.store(d, v128.load(s + (<usize>j << 2), 16), 16);
      d += panelBytes;
    }
    if (j < n) {
      for (let t = 0; t < 8; t++) {
        store<f32>(d + (<usize>t << 2), j + t < n ? load<f32>(s + (<usize>(j + t) << 2)) : 0);
      }
    }
  }
}

/**
 * Packs the transpose of an m × kc block (element (i, p) at src + 4·(i·ld + p))
 * into ceil(m/8) panel8s: dst[panel][p][0..8] = src(panel·8 + 0..8, p). Rows ≥ m are zero.
 */
export function packCols(src: usize, ld: i32, m: i32, kc: i32, dst: usize): void {
  const ldb = <usize>ld << 2;
  const panelBytes = <usize>kc << 5;
  for (let i0 = 0; i0 < m; i0 += 8) {
    const d = dst + <usize>(i0 >> 3) * panelBytes;
    const rows = min(8, m - i0);
    if (rows == 8) {
      const r0 = src + <usize>i0 * ldb;
      let p = 0;
      // 4 columns × 8 rows at a time: two 4×4 transposes
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        for (let h = 0; h < 2; h++) {
          const rb = r0 + <usize>(h * 4) * ldb + o;
          const x0 = v128.load(rb);
          const x1 = v128.load(rb + ldb);
          const x2 = v128.load(rb + 2 * ldb);
          const x3 = v128.load(rb + 3 * ldb);
          const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
          const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
          const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
          const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
          const db = d + (<usize>p << 5) + (<usize>h << 4);
          v128.store(db, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
          v128.store(db, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 32);
          v128.store(db, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 64);
          v128.store(db, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 96);
        }
      }
      for (; p < kc; p++) {
        for (let t = 0; t < 8; t++) {
          store<f32>(d + (<usize>p << 5) + (<usize>t << 2), load<f32>(r0 + <usize>t * ldb + (<usize>p << 2)));
        }
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let t = 0; t < 8; t++) {
          store<f32>(d + (<usize>p << 5) + (<usize>t << 2),
            t < rows ? load<f32>(src + <usize>(i0 + t) * ldb + (<usize>p << 2)) : 0);
        }
      }
    }
  }
}
