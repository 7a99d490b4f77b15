// Blocked Cholesky with automatic jitter (internal). All arithmetic runs in wasm
// (assembly/potrf.ts); this file is control flow only.
import { wasm } from './loader.js';
import { f64 } from './memory.js';
import type { WasmArray } from './memory.js';

type F64 = WasmArray<Float64Array>;

export interface PotrfResult {
  /**
   * The multiple of the identity that was added to A before the factorisation
   * succeeded (0 when A was numerically positive definite).
   */
  jitter: number;
}

/** How many times the jitter is multiplied by 10 before potrf gives up. */
export const MAX_JITTER_STEPS = 24;

/**
 * In-place Cholesky factorisation `A (+ jitter·I) = RᵀR`, R upper triangular.
 *
 * `A` is an n×n row-major f64 matrix in FULL symmetric storage (both triangles
 * must hold the matrix: the strict lower triangle is kept as a backup during
 * the factorisation). On return the upper triangle (diagonal included) holds R
 * and the strict lower triangle is ZEROED, so `A` is exactly R.
 *
 * If A is not numerically positive definite the matrix is restored from the
 * backup and refactored with a jitter εI, ε starting at 1e-12·trace(A)/n and
 * growing ×10 per attempt; the jitter used is returned. Throws a RangeError if A
 * contains NaN/Inf or no jitter up to 1e12·trace(A)/n works.
 */
export function potrf(A: F64, n: number): PotrfResult {
  if (!Number.isInteger(n) || n < 0 || A.length < n * n) throw new RangeError(`spec-embed: potrf needs an n×n buffer (n=${n}, length ${A.length})`);
  if (n === 0) return { jitter: 0 };
  const ex = wasm();
  const diag = f64(n, 'Cholesky diagonal backup');
  try {
    ex.potrfGetDiag(n, A.ptr, diag.ptr);
    const trace = ex.potrfTrace(n, A.ptr) as number;
    if (!Number.isFinite(trace)) throw new RangeError('spec-embed: potrf: the matrix contains NaN or Inf');
    const base = trace > 0 ? trace / n : 1;
    let jitter = 0;
    for (let attempt = 0; attempt <= MAX_JITTER_STEPS; attempt++) {
      const info = ex.dpotrfUpper(n, A.ptr) as number;
      if (info === 0) {
        ex.potrfZeroLower(n, A.ptr);
        return { jitter };
      }
      jitter = jitter === 0 ? 1e-12 * base : jitter * 10;
      ex.potrfRestore(n, A.ptr, diag.ptr, jitter);
    }
    throw new RangeError(`spec-embed: potrf: matrix is not positive definite even with jitter ${jitter} (NaN/Inf entries or strongly indefinite input)`);
  } finally {
    diag.free();
  }
}

/** Releases the packing scratch kept between potrf calls. */
export function releaseScratch(): void {
  wasm().potrfReleaseScratch();
}
