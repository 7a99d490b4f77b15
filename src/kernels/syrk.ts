// Typed wrappers over the covariance kernels (internal): C += scale·ΨᵀΨ (upper
// triangle), C += scale·AᵀB, symmetrize, and accumulator merging.
import { wasm } from '../wasm.js';
import type { WasmArray } from '../memory.js';

type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;

/**
 * C += scale·ΨᵀΨ on the UPPER triangle of the row-major D × D f64 C (C[i·D+j], j ≥ i);
 * the lower triangle is left untouched. Ψ is rows × D f32 (leading dim `ld`,
 * default D, starting at element `psiOff`). Products are summed in f32 over blocks
 * of ≤ 256 rows, then flushed into the f64 C.
 */
export function syrkAccumulate(Psi: F32, rows: number, D: number, C: F64, scale = 1, psiOff = 0, ld = D): void {
  if (rows <= 0 || D <= 0) return;
  if (psiOff + (rows - 1) * ld + D > Psi.length) throw new RangeError(`spec-embed: syrk Ψ (${rows} × ${D}) exceeds its buffer`);
  if (C.length < D * D) throw new RangeError(`spec-embed: syrk C needs ${D * D} entries, has ${C.length}`);
  wasm().syrkAccumulate(Psi.ptr + 4 * psiOff, rows, D, ld, C.ptr, scale);
}

/** Copies the upper triangle of the D × D f64 matrix C into its lower triangle, in place. */
export function symmetrize(C: F64, D: number): void {
  if (C.length < D * D) throw new RangeError(`spec-embed: symmetrize needs ${D * D} entries, has ${C.length}`);
  wasm().symmetrize(C.ptr, D);
}

/**
 * C += scale·AᵀB: A rows × Da f32, B rows × Db f32 (row i of each is sample i),
 * C the full row-major Da × Db f64 block (C[i·Db + j]).
 */
export function gemmTNAccumulate(
  A: F32, Da: number, B: F32, Db: number, C: F64, rows: number, scale = 1,
  aOff = 0, lda = Da, bOff = 0, ldb = Db,
): void {
  if (rows <= 0 || Da <= 0 || Db <= 0) return;
  if (aOff + (rows - 1) * lda + Da > A.length) throw new RangeError('spec-embed: gemmTN A exceeds its buffer');
  if (bOff + (rows - 1) * ldb + Db > B.length) throw new RangeError('spec-embed: gemmTN B exceeds its buffer');
  if (C.length < Da * Db) throw new RangeError(`spec-embed: gemmTN C needs ${Da * Db} entries, has ${C.length}`);
  wasm().gemmTNAccumulate(A.ptr + 4 * aOff, lda, Da, B.ptr + 4 * bOff, ldb, Db, rows, C.ptr, scale);
}

/** C[0..len) += Cother[0..len) (f64), for merging accumulators. */
export function addInto(C: F64, Cother: F64, len = C.length, alpha = 1): void {
  if (len > C.length || len > Cother.length) throw new RangeError('spec-embed: addInto length exceeds a buffer');
  wasm().daxpy(len, alpha, Cother.ptr, C.ptr);
}
