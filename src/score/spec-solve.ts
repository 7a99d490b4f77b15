// SPEC's solve on its covariance sums (docs/design.md §1): C ← C/n in place,
// the k largest and k smallest eigenvalues of J·C (pivoted Cholesky, then
// Lanczos on R S Rᵀ), the modes above the noise floor, and their vectors for
// the scoring pass (u = Ψv/√n).
import { InputError } from '../errors.js';
import type { SpecDiff, SpecMode } from '../types/index.js';
import { positiveInt } from '../validate/checks.js';
import type { Step } from '../runtime/cooperative.js';
import { dscalAt, symmetrizeRows } from '../wasm/sums.js';
import type { SpecSums } from '../sums/spec-sums.js';
import type { ModeVectors } from '../sums/score-pass.js';
import { covarianceEigsSteps, BAND_ROWS } from '../solve/covariance-eigs.js';
import { selectModes, specDiffOf, buildModes, type TopSamples } from './modes.js';

/**
 * Eigenvalues with |λ| ≤ COVARIANCE_NOISE·trace(C) are round-off, not modes: C sums f32
 * products in blocks of ≤ 256 rows (relative error up to ~16 u, u = 2⁻²⁴) before the f64 flush.
 */
export const COVARIANCE_NOISE = 16 * 2 ** -24;

/** What the solve needs. */
export interface SolveSettings {
  topK?: number;
  samplesPerMode?: number;
  returnScores?: boolean;
}

/** The eigen-solution of the sums, before the scoring pass. */
export interface CovarianceSolution {
  /** Rows accumulated. */
  n: number;
  /** Mode eigenvalues: side x descending, then side y most negative first. */
  eigenvalues: Float64Array;
  /** The side of each eigenvalue's mode. */
  sides: ('x' | 'y')[];
  /** SPEC-diff from the extreme eigenvalues of Λ. */
  specDiff: SpecDiff;
  /** Computed eigenvalues within the noise floor, not reported as modes. */
  noiseDropped: number;
}

/** A solved SPEC sums: the solution, its modes, and the one set's mode vectors. */
export interface SpecSolved {
  sol: CovarianceSolution;
  chosen: { side: 'x' | 'y'; value: number }[];
  vectors: [ModeVectors];
  /** Top samples per mode, and whether every score is kept. */
  samplesPerMode: number;
  returnScores: boolean;
}

/**
 * Finds the top-K eigenpairs at each end of Λ through J·C, in steps. C is
 * normalised in place (a second D × D copy would double the peak memory: 513 MB
 * at D = 8000), so the sums are spent: thrown or aborted, they are unusable.
 */
export function* solveSpecSteps(sums: SpecSums, opts: SolveSettings): Generator<Step, SpecSolved> {
  sums.live();
  const n = sums.n;
  if (n === 0) throw new InputError('no rows were added');
  const topK = positiveInt(opts.topK, 'topK', 10);
  const samplesPerMode = positiveInt(opts.samplesPerMode, 'samplesPerMode', 20);
  const D = sums.D;
  const k = Math.min(topK, D);
  let ok = false;
  try {
    const [C] = sums.beginSolve();
    // C ← C/n and its lower triangle from the upper, in row bands (each is D²
    // work: ~0.2 s at D = 11000); a band's mirror reads rows already scaled.
    yield { done: 0, total: D, message: 'Cholesky pivots' };
    for (let r0 = 0; r0 < D; r0 += BAND_ROWS) {
      const r1 = Math.min(D, r0 + BAND_ROWS);
      dscalAt((r1 - r0) * D, 1 / n, C, r0 * D);
      symmetrizeRows(C, D, r0, r1);
      yield { done: 0, total: D, message: 'Cholesky pivots' };
    }
    let trace = 0;
    for (let i = 0, c = C.view; i < D; i++) trace += c[i * D + i];
    const tol = COVARIANCE_NOISE * trace;
    // The k largest and k smallest eigenvalues whatever their signs (ARPACK's 'BE'),
    // not "k positive and k negative": negative eigenvalues far smaller than the
    // positive ones (a small η) may not show among the Ritz values before the
    // positive end converges, and a sign-split search would then report none; and
    // with n ≤ D and η = 0 every eigenvalue is positive, λmin the smallest of them.
    const res = yield* covarianceEigsSteps(C, D, sums.DX, k, sums.seed, false);
    const values = res.values;
    // J·C has the non-zero eigenvalues of Λ plus zeros. When n > D, Λ itself is
    // singular, so 0 belongs to its spectrum; otherwise only the non-zero ones do.
    let lmax = n > D ? 0 : -Infinity,
      lmin = n > D ? 0 : Infinity;
    for (let i = 0; i < values.length; i++) {
      if (Math.abs(values[i]) <= tol && n <= D) continue;
      lmax = Math.max(lmax, values[i]);
      lmin = Math.min(lmin, values[i]);
    }
    if (lmax === -Infinity) lmax = lmin = 0;
    // values = [k largest, k smallest]; the two lists share pairs when the rank is below 2k.
    const chosen = selectModes(values, topK, tol, k);
    // V columns are the chosen eigenvectors, f32, D × kk row-major for the scoring GEMM.
    const kk = Math.max(1, chosen.length);
    const V = new Float32Array(D * kk);
    chosen.forEach((c, j) => {
      const v = res.vectors[c.column];
      for (let i = 0; i < D; i++) V[i * kk + j] = v[i];
    });
    const sol: CovarianceSolution = {
      n,
      eigenvalues: Float64Array.from(chosen.map((c) => c.value)),
      sides: chosen.map((c) => c.side),
      specDiff: specDiffOf(lmax, lmin, tol),
      noiseDropped: values.subarray(0, k).filter((v) => v > 0 && v <= tol).length + values.subarray(k).filter((v) => v < 0 && v >= -tol).length,
    };
    ok = true;
    return {
      sol,
      chosen: chosen.map((c) => ({ side: c.side, value: c.value })),
      vectors: [{ V, k: chosen.length, scale: 1 / Math.sqrt(n) }],
      samplesPerMode,
      returnScores: !!opts.returnScores,
    };
  } finally {
    // Thrown or aborted (the generator closed early): C no longer holds the sums.
    if (!ok) sums.fail();
  }
}

/** The modes of a solved SPEC sums from its scoring pass's top samples. */
export function specModes(solved: SpecSolved, tops: TopSamples[]): SpecMode[] {
  return buildModes(solved.chosen, tops[0].finish());
}
