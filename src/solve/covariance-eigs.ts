// Extreme eigenpairs of J·C for the covariance route, exact on singular C.
// A pivoted Cholesky stops at C's numerical rank r: P C Pᵀ = RᵀR with R r × D
// upper trapezoidal. The non-zero eigenvalues of J·C (= those of Λ) are those
// of the symmetric r × r operator Θ = R S Rᵀ (S = P J Pᵀ), found by Lanczos in
// the ordinary inner product. Lanczos in the C-inner product, which needs no
// factor, is ill-posed where C is numerically singular (rounding makes it
// indefinite) and then reports eigenvalues that do not exist.
import { dpstrfBlock, dpstrfInit, dpstrfPack, dpstrfPackBytes, dpstrfPanel, dpstrfTransposeRows, dpstrfUpdate } from '../wasm/pstrf.js';
import { Scope, type WasmArray } from '../wasm/memory.js';
import { drain, WorkSizer, type Step } from '../runtime/cooperative.js';
import { extremeEigsSteps, type ExtremeEigResult } from './eigen.js';

export type CovarianceEigs = ExtremeEigResult & { rank: number };

/** Rows per step of whole-matrix passes (a multiple of 32; 256 × 11000 f64 ≈ 22 MB). */
export const BAND_ROWS = 256;

/**
 * `C` (D × D row-major f64, upper triangle read) is overwritten. Returns the k
 * largest positive and k most negative eigenpairs of J·C (J = diag(I_dx, −I)),
 * vectors v of length D with J·C·v = λv and vᵀCv = 1, padded with zeros, plus
 * the numerical rank found. With `signSplit` false, the k largest and the k
 * smallest non-zero eigenpairs instead, whatever their signs (the two lists
 * share pairs when the rank is below 2k).
 */
export function covarianceEigs(C: WasmArray<Float64Array>, D: number, dx: number, k: number, seed: number, signSplit = true): CovarianceEigs {
  return drain(covarianceEigsSteps(C, D, dx, k, seed, signSplit));
}

/**
 * covarianceEigs as a resumable computation: the pivoted Cholesky runs panel by
 * panel, each panel's trailing update in slices of ~10 ms, then Lanczos
 * (extremeEigsSteps); it yields between slices with progress in pivots, then
 * in Lanczos restarts. Same arithmetic, hence the same result, as one call.
 */
export function* covarianceEigsSteps(
  C: WasmArray<Float64Array>,
  D: number,
  dx: number,
  k: number,
  seed: number,
  signSplit = true,
): Generator<Step, CovarianceEigs> {
  const sc = new Scope();
  try {
    const piv = sc.i32(D, 'Cholesky pivots');
    const work = sc.f64(D, 'Cholesky work');
    let maxDiag = 0;
    const c = C.view;
    for (let i = 0; i < D; i++) maxDiag = Math.max(maxDiag, c[i * D + i]);
    if (!Number.isFinite(maxDiag)) throw new RangeError('spec-embed: covariance contains NaN or Inf');
    // LAPACK's dpstrf default: pivots below D·ε·max(diag) are round-off of C itself.
    const tol = D * 2.220446049250313e-16 * maxDiag;
    const NB = dpstrfBlock();
    const pack = sc.f64(Math.ceil(dpstrfPackBytes(D, 0, Math.min(NB, D)) / 8) + 1, 'Cholesky panel');
    const sizer = new WorkSizer(10, 4096);
    dpstrfInit(D, piv);
    let rank = D;
    for (let k0 = 0; k0 < D; k0 += NB) {
      const r = dpstrfPanel(D, C, piv, work, tol, k0);
      if (r >= 0) {
        rank = r;
        break;
      }
      const k1 = k0 + NB;
      dpstrfPack(D, C, k0, k1, pack);
      // Block row ib of the trailing update costs (nblk − ib) tiles of 4 × 4 × NB.
      const nblk = (D - k1 + 3) >> 2;
      for (let ib = 0; ib < nblk; ) {
        const budget = sizer.units();
        let ib1 = ib,
          tiles = 0;
        while (ib1 < nblk && (tiles === 0 || tiles + (nblk - ib1) <= budget)) tiles += nblk - ib1++;
        sizer.start();
        dpstrfUpdate(D, C, k0, k1, pack, ib, ib1);
        sizer.stop(tiles);
        ib = ib1;
        yield { done: k1, total: D, message: 'Cholesky pivots' };
      }
    }
    // The transpose touches all D² entries (~0.3 s at D = 11000): in row bands.
    for (let r0 = 0; r0 < D; r0 += BAND_ROWS) {
      dpstrfTransposeRows(D, C, r0, r0 + BAND_ROWS);
      yield { done: D, total: D, message: 'Cholesky pivots' };
    }
    const p = piv.toArray();
    const s = work.view;
    for (let c = 0; c < D; c++) s[c] = p[c] < dx ? 1 : -1;
    const res = yield* extremeEigsSteps({ kind: 'rsr', R: C, r: rank, D, signs: work, piv: p }, k, { seed, signSplit });
    return { ...res, rank };
  } finally {
    sc.free();
  }
}
