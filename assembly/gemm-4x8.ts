// Blocked single-precision GEMM: C = A·B + beta·C through a 4×8 f32 micro-kernel.
// Operands are packed into "panel8" layout (assembly/pack.ts) so the micro-kernel
// reads both with unit stride: per k index p it broadcasts 4 A values
// (v128.load32_splat) and multiplies them by two f32x4 B vectors into 8
// accumulators (11 live xmm registers on x64). The micro-kernel leaves its 4×8
// f32 tile in TILE; callers (sgemm here, SYRK and Gram in syrk.ts/gram.ts) write
// it out. Why 4×8 and not another shape: docs/kernels.md.
import { packRows, packCols } from './pack';

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


