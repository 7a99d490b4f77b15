// Extreme eigenpairs of J·C for the covariance route, exact on singular C.
// A pivoted Cholesky stops at C's numerical rank r: P C Pᵀ = RᵀR with R r × D
// upper trapezoidal. The non-zero eigenvalues of J·C (= those of Λ) are those
// of the symmetric r × r operator Θ = R S Rᵀ (S = P J Pᵀ), found by Lanczos in
// the ordinary inner product. Lanczos in the C-inner product, which needs no
// factor, is ill-posed where C is numerically singular (rounding makes it
// indefinite) and then reports eigenvalues that do not exist.
import { wasm } from '../wasm.js';
import { f64, i32, type WasmArray } from '../memory.js';
import { extremeEigs, type ExtremeEigResult } from './eigen.js';

/**
 * `C` (D × D row-major f64, upper triangle read) is overwritten. Returns the k
 * largest positive and k most negative eigenpairs of J·C (J = diag(I_dx, −I)),
 * vectors v of length D with J·C·v = λv and vᵀCv = 1, padded with zeros, plus
 * the numerical rank found.
 */
export function covarianceEigs(C: WasmArray<Float64Array>, D: number, dx: number, k: number, seed: number): ExtremeEigResult & { rank: number } {
  const ex = wasm();
  const piv = i32(D, 'Cholesky pivots');
  const work = f64(D, 'Cholesky work');
  try {
    let maxDiag = 0;
    const c = C.view;
    for (let i = 0; i < D; i++) maxDiag = Math.max(maxDiag, c[i * D + i]);
    if (!Number.isFinite(maxDiag)) throw new RangeError('spec-embed: covariance contains NaN or Inf');
    // LAPACK's dpstrf default: pivots below D·ε·max(diag) are round-off of C itself.
    const tol = D * 2.220446049250313e-16 * maxDiag;
    const rank = ex.dpstrfUpper(D, C.ptr, piv.ptr, work.ptr, tol) as number;
    ex.lzTransposeSquare(D, C.ptr);
    const p = piv.toArray();
    const s = work.view;
    for (let c = 0; c < D; c++) s[c] = p[c] < dx ? 1 : -1;
    return { ...extremeEigs({ kind: 'rsr', R: C, r: rank, D, signs: work, piv: p }, k, { seed }), rank };
  } finally {
    piv.free();
    work.free();
  }
}
