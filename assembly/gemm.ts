// Blocked single-precision GEMM machinery shared by sgemm, SYRK, AᵀB and the
// Gram matrices. Operands are packed into "panel8" layout — for each k index p,
// 8 consecutive f32 values (one per row/column of the panel), zero-padded past
// the matrix edge — so the 4×8 micro-kernel reads both operands with unit
// stride: per p it broadcasts 4 A values (v128.load32_splat) and multiplies them
// by two f32x4 B vectors into 8 accumulators (11 live xmm registers on x64).
// The micro-kernel leaves its 4×8 f32 tile in TILE; callers write it out.
//
// Tile shapes tried (V8 x64, 16 xmm registers; in-L1 throughput of the bare
// micro-kernel): 4×8, 4×8 unrolled ×2, 5×8, 6×8, 6×8 unrolled ×2, 4×12, 3×12,
// 8×4 and a 4×8 with one A load + lane shuffles instead of 4 broadcast loads —
// all within measurement noise of each other (10–12 GFLOP/s on the shared
// 2.5 GHz test VM). Without FMA, 8 mul + 8 add per 64 flops on two FP ports cap
// any shape near 8 flops/cycle, so the simplest shape was kept: one panel8
// packing then serves both operands of SYRK. V8 emits vbroadcastss for
// load32_splat and keeps all 8 accumulators in registers (checked with
// --print-wasm-code).

export const KC: i32 = 256; // k block (rows of Ψ per f32 accumulation)
// @ts-ignore: decorator
@inline const MC: i32 = 128; // rows of A per packed block (A block = MC·KC·4 = 128 KiB)
// @ts-ignore: decorator
@inline const NC: i32 = 2048; // columns of B per packed block

/** The 4×8 f32 result of the last micro-kernel call (row-major, 8 per row). */
export const TILE: usize = memory.data(128, 16);

/**
 * tile = Σ_p a[p]ᵀ b[p] over kc steps: `a` points at 4 values inside a panel8
 * (stride 32 bytes per p), `b` at a panel8 (8 values, stride 32).
 */
export function microKernel4x8(a: usize, b: usize, kc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = b + (<usize>kc << 5);
  while (b < end) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    av = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(av, b0));
    c21 = f32x4.add(c21, f32x4.mul(av, b1));
    av = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(av, b0));
    c31 = f32x4.add(c31, f32x4.mul(av, b1));
    a += 32;
    b += 32;
  }
  v128.store(TILE, c00, 0);
  v128.store(TILE, c01, 16);
  v128.store(TILE, c10, 32);
  v128.store(TILE, c11, 48);
  v128.store(TILE, c20, 64);
  v128.store(TILE, c21, 80);
  v128.store(TILE, c30, 96);
  v128.store(TILE, c31, 112);
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

/** Writes TILE rows 0..mr, cols 0..nr into f32 C: C = tile + beta·C (first) or C += tile. */
function writeTileF32(c: usize, ldc: i32, mr: i32, nr: i32, first: bool, beta: f32): void {
  const ldcb = <usize>ldc << 2;
  if (mr == 4 && nr == 8) {
    for (let r = 0; r < 4; r++) {
      const cr = c + <usize>r * ldcb;
      let t0 = v128.load(TILE + (<usize>r << 5));
      let t1 = v128.load(TILE + (<usize>r << 5), 16);
      if (!first) {
        t0 = f32x4.add(v128.load(cr), t0);
        t1 = f32x4.add(v128.load(cr, 16), t1);
      } else if (beta != 0) {
        const bv = f32x4.splat(beta);
        t0 = f32x4.add(f32x4.mul(bv, v128.load(cr)), t0);
        t1 = f32x4.add(f32x4.mul(bv, v128.load(cr, 16)), t1);
      }
      v128.store(cr, t0);
      v128.store(cr, t1, 16);
    }
    return;
  }
  for (let r = 0; r < mr; r++) {
    const cr = c + <usize>r * ldcb;
    for (let j = 0; j < nr; j++) {
      const t = load<f32>(TILE + (<usize>r << 5) + (<usize>j << 2));
      const cp = cr + (<usize>j << 2);
      let v: f32;
      if (!first) v = load<f32>(cp) + t;
      else if (beta != 0) v = beta * load<f32>(cp) + t;
      else v = t;
      store<f32>(cp, v);
    }
  }
}

/**
 * C = A·B + beta·C, row-major f32: A m×k (lda), B k×n (ldb), C m×n (ldc).
 * beta = 0 ignores C's previous contents (NaN included), as BLAS does.
 * Packing buffers are allocated once per call.
 */
export function sgemm(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, beta: f32): void {
  if (m <= 0 || n <= 0) return;
  const ldcb = <usize>ldc << 2;
  if (k <= 0) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const cp = c + <usize>i * ldcb + (<usize>j << 2);
        store<f32>(cp, beta == 0 ? 0 : beta * load<f32>(cp));
      }
    }
    return;
  }
  const ncMax = min(n, NC);
  const kcMax = min(k, KC);
  const mcMax = min(m, MC);
  const pb = heap.alloc(<usize>((ncMax + 7) >> 3) * (<usize>kcMax << 5));
  const pa = heap.alloc(<usize>((mcMax + 7) >> 3) * (<usize>kcMax << 5));
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const first = pc == 0;
      packRows(b + ((<usize>pc * <usize>ldb + <usize>jc) << 2), ldb, kc, nc, pb);
      const panelBytes = <usize>kc << 5;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packCols(a + ((<usize>ic * <usize>lda + <usize>pc) << 2), lda, mc, kc, pa);
        for (let jr = 0; jr < nc; jr += 8) {
          const bp = pb + <usize>(jr >> 3) * panelBytes;
          const nr = min(8, nc - jr);
          for (let ir = 0; ir < mc; ir += 4) {
            const ap = pa + <usize>(ir >> 3) * panelBytes + (<usize>(ir & 7) << 2);
            microKernel4x8(ap, bp, kc);
            writeTileF32(c + <usize>(ic + ir) * ldcb + (<usize>(jc + jr) << 2), ldc, min(4, mc - ir), nr, first, beta);
          }
        }
      }
    }
  }
  heap.free(pa);
  heap.free(pb);
}


