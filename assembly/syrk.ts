// Covariance accumulation C += scale·ΨᵀΨ (upper triangle, f64 C), the cross
// block C += scale·AᵀB, and the copy of the upper triangle into the lower one.
// Rows are taken in blocks of KC ≤ 256: within a block the 4×8 micro-kernel
// (gemm-4x8.ts) accumulates products in f32, then each tile is flushed into the
// f64 C, so the rounding error does not grow with the total row count. syrkF64
// is the all-f64 path for small D. Scalar references: syrk-ref.ts.
import { KC, TILE, microKernel4x8 } from './gemm-4x8';
import { packRows } from './pack';

// @ts-ignore: decorator
@inline const NCS: i32 = 512; // columns per L2-resident slab of packed panels (512·KC·4 = 512 KiB)

/**
 * Adds scale·TILE[0..mr, 0..nr] (f32 → f64) into the f64 C at c (leading dimension ldc).
 * With `upper`, only entries with (j0 + j) ≥ (i0 + r) are touched.
 */
function writeTileF64(c: usize, ldc: i32, mr: i32, nr: i32, scale: f64, upper: bool, i0: i32, j0: i32): void {
  const ldcb = <usize>ldc << 3;
  if (mr == 4 && nr == 8 && (!upper || j0 >= i0 + 3)) {
    const sv = f64x2.splat(scale);
    for (let r = 0; r < 4; r++) {
      const cr = c + <usize>r * ldcb;
      const t0 = v128.load(TILE + (<usize>r << 5));
      const t1 = v128.load(TILE + (<usize>r << 5), 16);
      v128.store(cr, f64x2.add(v128.load(cr), f64x2.mul(sv, f64x2.promote_low_f32x4(t0))));
      v128.store(cr, f64x2.add(v128.load(cr, 16), f64x2.mul(sv, f64x2.promote_low_f32x4(v128.shuffle<f32>(t0, t0, 2, 3, 0, 1)))), 16);
      v128.store(cr, f64x2.add(v128.load(cr, 32), f64x2.mul(sv, f64x2.promote_low_f32x4(t1))), 32);
      v128.store(cr, f64x2.add(v128.load(cr, 48), f64x2.mul(sv, f64x2.promote_low_f32x4(v128.shuffle<f32>(t1, t1, 2, 3, 0, 1)))), 48);
    }
    return;
  }
  for (let r = 0; r < mr; r++) {
    const cr = c + <usize>r * ldcb;
    const jStart = upper ? max(0, i0 + r - j0) : 0;
    for (let j = jStart; j < nr; j++) {
      const cp = cr + (<usize>j << 3);
      store<f64>(cp, load<f64>(cp) + scale * <f64>load<f32>(TILE + (<usize>r << 5) + (<usize>j << 2)));
    }
  }
}
/** Rows of Ψ per f32 block sum (the host splits accumulation on these boundaries). */
export function syrkBlockRows(): i32 {
  return KC;
}

/**
 * Given P = kc × D packed in panel8s (panel p holds columns 8p..8p+7), adds
 * scale·PᵀP into the rows [r0, r1) (r0 a multiple of 4) of the upper triangle
 * of the f64 D × D matrix at c (leading dim ldc): a Gram matrix or covariance
 * built in row blocks, so that the host can yield between blocks. Panels before
 * r0 & ~7 are never read. Loop order: slabs of NCS columns of P (L2-resident) ×
 * 4-row A micro-panels (L1), walking C along its rows so the f64 flushes stream
 * through memory.
 */
export function syrkPackedRows(pk: usize, dim: i32, kc: i32, c: usize, ldc: i32, scale: f64, r0: i32, r1: i32): void {
  const panelBytes = <usize>kc << 5;
  const ldcb = <usize>ldc << 3;
  for (let jc = r0 & ~(NCS - 1); jc < dim; jc += NCS) {
    const jEnd = min(jc + NCS, dim);
    const iEnd = min(jEnd, r1);
    for (let ir = r0; ir < iEnd; ir += 4) {
      const ap = pk + <usize>(ir >> 3) * panelBytes + (<usize>(ir & 7) << 2);
      const mr = min(4, dim - ir);
      const cr = c + <usize>ir * ldcb;
      // start at the first panel reaching the diagonal of these rows
      for (let jp = max(jc, ir & ~7); jp < jEnd; jp += 8) {
        microKernel4x8(ap, pk + <usize>(jp >> 3) * panelBytes, kc);
        writeTileF64(cr + (<usize>jp << 3), ldc, mr, min(8, dim - jp), scale, true, ir, jp);
      }
    }
  }
}

/**
 * C[i][j] += scale·Σ_r Ψ[r][i]·Ψ[r][j] for j ≥ i (upper triangle only; the lower
 * triangle is not touched). Ψ is rows × dim f32 (leading dim ld), C dim × dim f64
 * (leading dim ldc ≥ dim, so C may be a diagonal block of a larger matrix).
 */
export function syrkAccumulate(psi: usize, rows: i32, dim: i32, ld: i32, c: usize, ldc: i32, scale: f64): void {
  if (rows <= 0 || dim <= 0) return;
  const kcMax = min(rows, KC);
  const pk = heap.alloc(<usize>((dim + 7) >> 3) * (<usize>kcMax << 5));
  const ldb = <usize>ld << 2;
  for (let r0 = 0; r0 < rows; r0 += KC) {
    const kc = min(KC, rows - r0);
    packRows(psi + <usize>r0 * ldb, ld, kc, dim, pk);
    syrkPackedRows(pk, dim, kc, c, ldc, scale, 0, dim);
  }
  heap.free(pk);
}

/**
 * C += scale·AᵀB: A rows × da (lda), B rows × db (ldb) f32, C da × db f64
 * (row-major, leading dim ldc ≥ db, so C may be an off-diagonal block of a larger matrix).
 */
export function gemmTNAccumulate(a: usize, lda: i32, da: i32, b: usize, ldb: i32, db: i32, rows: i32, c: usize, ldc: i32, scale: f64): void {
  if (rows <= 0 || da <= 0 || db <= 0) return;
  const kcMax = min(rows, KC);
  const pa = heap.alloc(<usize>((da + 7) >> 3) * (<usize>kcMax << 5));
  const pb = heap.alloc(<usize>((db + 7) >> 3) * (<usize>kcMax << 5));
  const ldcb = <usize>ldc << 3;
  for (let r0 = 0; r0 < rows; r0 += KC) {
    const kc = min(KC, rows - r0);
    const panelBytes = <usize>kc << 5;
    packRows(a + ((<usize>r0 * <usize>lda) << 2), lda, kc, da, pa);
    packRows(b + ((<usize>r0 * <usize>ldb) << 2), ldb, kc, db, pb);
    for (let jc = 0; jc < db; jc += NCS) {
      const jEnd = min(jc + NCS, db);
      for (let ir = 0; ir < da; ir += 4) {
        const ap = pa + <usize>(ir >> 3) * panelBytes + (<usize>(ir & 7) << 2);
        const mr = min(4, da - ir);
        const cr = c + <usize>ir * ldcb;
        for (let jp = jc; jp < jEnd; jp += 8) {
          microKernel4x8(ap, pb + <usize>(jp >> 3) * panelBytes, kc);
          writeTileF64(cr + (<usize>jp << 3), ldc, mr, min(8, db - jp), scale, false, ir, jp);
        }
      }
    }
  }
  heap.free(pb);
  heap.free(pa);
}

/** Copies the upper triangle of the f64 dim × dim matrix at c into its lower triangle. */
export function symmetrize(c: usize, dim: i32): void {
  symmetrizeRows(c, dim, 0, dim);
}

/** symmetrize for the lower-triangle rows [r0, r1) only (r0 a multiple of 32). */
export function symmetrizeRows(c: usize, dim: i32, r0: i32, r1: i32): void {
  const B = 32;
  const ldb = <usize>dim << 3;
  for (let i0 = r0; i0 < r1; i0 += B) {
    const iEnd = min(i0 + B, r1);
    for (let j0 = 0; j0 <= i0; j0 += B) {
      const jEnd = min(j0 + B, dim);
      // lower block (i ≥ j): c[i][j] = c[j][i]
      for (let i = i0; i < iEnd; i++) {
        const jStop = min(jEnd, i);
        for (let j = j0; j < jStop; j++) {
          store<f64>(c + <usize>i * ldb + (<usize>j << 3), load<f64>(c + <usize>j * ldb + (<usize>i << 3)));
        }
      }
    }
  }
}

/**
 * C[i][j] += scale·Σ_r Ψ[r][i]·Ψ[r][j] for j ≥ i with the products and sums in
 * f64 (the precise path for small D, where exactness costs little): Ψ's rows
 * are widened into a column-major f64 copy `pt` (dim × rows, host-owned) and
 * each entry is a dot product of two columns, four entries at a time.
 */
export function syrkF64(psi: usize, rows: i32, dim: i32, ld: i32, c: usize, ldc: i32, scale: f64, pt: usize): void {
  if (rows <= 0 || dim <= 0) return;
  const ldb = <usize>ld << 2;
  const rb = <usize>rows << 3;
  for (let r = 0; r < rows; r++) {
    const src = psi + <usize>r * ldb;
    for (let i = 0; i < dim; i++) store<f64>(pt + <usize>i * rb + (<usize>r << 3), <f64>load<f32>(src + (<usize>i << 2)));
  }
  const ldcb = <usize>ldc << 3;
  for (let i = 0; i < dim; i += 2) {
    const i2 = min(i + 2, dim);
    for (let j = i; j < dim; j += 2) {
      const j2 = min(j + 2, dim);
      if (i2 - i == 2 && j2 - j == 2) {
        const a0 = pt + <usize>i * rb, a1 = a0 + rb, b0 = pt + <usize>j * rb, b1 = b0 + rb;
        let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
        let k = 0;
        for (; k + 2 <= rows; k += 2) {
          const o = <usize>k << 3;
          const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o), y0 = v128.load(b0 + o), y1 = v128.load(b1 + o);
          s00 = f64x2.add(s00, f64x2.mul(x0, y0)); s01 = f64x2.add(s01, f64x2.mul(x0, y1));
          s10 = f64x2.add(s10, f64x2.mul(x1, y0)); s11 = f64x2.add(s11, f64x2.mul(x1, y1));
        }
        let t00 = f64x2.extract_lane(s00, 0) + f64x2.extract_lane(s00, 1);
        let t01 = f64x2.extract_lane(s01, 0) + f64x2.extract_lane(s01, 1);
        let t10 = f64x2.extract_lane(s10, 0) + f64x2.extract_lane(s10, 1);
        let t11 = f64x2.extract_lane(s11, 0) + f64x2.extract_lane(s11, 1);
        for (; k < rows; k++) {
          const o = <usize>k << 3;
          const x0 = load<f64>(a0 + o), x1 = load<f64>(a1 + o), y0 = load<f64>(b0 + o), y1 = load<f64>(b1 + o);
          t00 += x0 * y0; t01 += x0 * y1; t10 += x1 * y0; t11 += x1 * y1;
        }
        const c0 = c + <usize>i * ldcb + (<usize>j << 3), c1 = c0 + ldcb;
        store<f64>(c0, load<f64>(c0) + scale * t00);
        store<f64>(c0 + 8, load<f64>(c0 + 8) + scale * t01);
        if (j > i) store<f64>(c1, load<f64>(c1) + scale * t10); // (i+1, j) is below the diagonal when j == i
        store<f64>(c1 + 8, load<f64>(c1 + 8) + scale * t11);
      } else {
        for (let ii = i; ii < i2; ii++) {
          for (let jj = max(j, ii); jj < j2; jj++) {
            const a = pt + <usize>ii * rb, b = pt + <usize>jj * rb;
            let t = 0.0;
            for (let k = 0; k < rows; k++) t += load<f64>(a + (<usize>k << 3)) * load<f64>(b + (<usize>k << 3));
            const cp = c + <usize>ii * ldcb + (<usize>jj << 3);
            store<f64>(cp, load<f64>(cp) + scale * t);
          }
        }
      }
    }
  }
}
