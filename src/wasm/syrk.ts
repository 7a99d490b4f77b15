// Typed wrappers over the covariance kernels (internal): C += scale·ΨᵀΨ (upper
// triangle), C += scale·AᵀB, symmetrize, and accumulator merging.
import { wasm } from './loader.js';
import { f64, type WasmArray } from './memory.js';

type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;

/**
 * C += scale·ΨᵀΨ on the UPPER triangle of the row-major D × D f64 C (C[i·D+j], j ≥ i);
 * the lower triangle is left untouched. Ψ is rows × D f32 (leading dim `ld`,
 * default D, starting at element `psiOff`). Products are summed in f32 over blocks
 * of ≤ 256 rows, then flushed into the f64 C. With cOff/ldc, C may be a diagonal
 * block of a larger matrix (entry (i, j) at C[cOff + i·ldc + j]).
 */
export function syrkAccumulate(Psi: F32, rows: number, D: number, C: F64, scale = 1, psiOff = 0, ld = D, cOff = 0, ldc = D): void {
  if (rows <= 0 || D <= 0) return;
  if (ld < D || ldc < D) throw new RangeError(`spec-embed: syrk leading dimensions (${ld}, ${ldc}) smaller than D = ${D}`);
  if (psiOff + (rows - 1) * ld + D > Psi.length) throw new RangeError(`spec-embed: syrk Ψ (${rows} × ${D}) exceeds its buffer`);
  if (cOff + (D - 1) * ldc + D > C.length) throw new RangeError(`spec-embed: syrk C (${D} × ${D}, ld ${ldc}) exceeds its buffer of ${C.length}`);
  wasm().syrkAccumulate(Psi.ptr + 4 * psiOff, rows, D, ld, C.ptr + 8 * cOff, ldc, scale);
}

/** Copies the upper triangle of the D × D f64 matrix C into its lower triangle, in place. */
export function symmetrize(C: F64, D: number): void {
  if (C.length < D * D) throw new RangeError(`spec-embed: symmetrize needs ${D * D} entries, has ${C.length}`);
  wasm().symmetrize(C.ptr, D);
}

/**
 * C += scale·AᵀB: A rows × Da f32, B rows × Db f32 (row i of each is sample i),
 * C the full row-major Da × Db f64 block, entry (i, j) at C[cOff + i·ldc + j]
 * (default: its own Da × Db matrix; or the cross block of a larger C).
 */
export function gemmTNAccumulate(
  A: F32,
  Da: number,
  B: F32,
  Db: number,
  C: F64,
  rows: number,
  scale = 1,
  aOff = 0,
  lda = Da,
  bOff = 0,
  ldb = Db,
  cOff = 0,
  ldc = Db,
): void {
  if (rows <= 0 || Da <= 0 || Db <= 0) return;
  if (lda < Da || ldb < Db || ldc < Db) throw new RangeError('spec-embed: gemmTN leading dimension smaller than the block width');
  if (aOff + (rows - 1) * lda + Da > A.length) throw new RangeError('spec-embed: gemmTN A exceeds its buffer');
  if (bOff + (rows - 1) * ldb + Db > B.length) throw new RangeError('spec-embed: gemmTN B exceeds its buffer');
  if (cOff + (Da - 1) * ldc + Db > C.length) throw new RangeError(`spec-embed: gemmTN C (${Da} × ${Db}, ld ${ldc}) exceeds its buffer of ${C.length}`);
  wasm().gemmTNAccumulate(A.ptr + 4 * aOff, lda, Da, B.ptr + 4 * bOff, ldb, Db, rows, C.ptr + 8 * cOff, ldc, scale);
}

/** C[0..len) += Cother[0..len) (f64), for merging accumulators. */
export function addInto(C: F64, Cother: F64, len = C.length, alpha = 1): void {
  if (len > C.length || len > Cother.length) throw new RangeError('spec-embed: addInto length exceeds a buffer');
  wasm().daxpy(len, alpha, Cother.ptr, C.ptr);
}

/**
 * Up to this feature dimension the covariance is summed with f64 products
 * (syrkAccumulateF64): the work is small, and C then carries f64 rather than
 * f32 round-off, so the covariance route matches an f64 reference to ~1e-7 of
 * the features' own precision instead of ~16 f32 units of the trace.
 */
export const PRECISE_MAX_D = 256;

/** C += scale·ΨᵀΨ (upper triangle) with f64 products and sums; for D ≤ PRECISE_MAX_D. */
export function syrkAccumulateF64(Psi: F32, rows: number, D: number, C: F64, scale = 1): void {
  if (rows <= 0 || D <= 0) return;
  if (rows * D > Psi.length) throw new RangeError(`spec-embed: syrk Ψ (${rows} × ${D}) exceeds its buffer`);
  if (D * D > C.length) throw new RangeError(`spec-embed: syrk C (${D} × ${D}) exceeds its buffer of ${C.length}`);
  const pt = f64(rows * D, 'f64 copy of a Ψ block');
  try {
    wasm().syrkF64(Psi.ptr, rows, D, D, C.ptr, D, scale, pt.ptr);
  } finally {
    pt.free();
  }
}
