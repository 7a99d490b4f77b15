// FINC's solve on its covariance sums (docs/design.md §1): SX ← SX/nx − η·SY/ny
// = CX − η·CY and SY ← SY/ny = CY in place, the extreme eigenpairs of CX − η·CY,
// the modes above the noise floor with their mean squared scores, and the vectors
// of every mode for the scoring pass of each set (scores Φv): a mode's frequency
// in X and in Y needs both sets scored on it.
import { InputError } from '../errors.js';
import type { SpecDiff } from '../types/index.js';
import type { FincMode } from '../types/finc.js';
import { positiveInt } from '../validate/checks.js';
import type { Step } from '../runtime/cooperative.js';
import { dscalAt } from '../wasm/sums.js';
import { daxpy } from '../wasm/blas1.js';
import type { FincSums, Side } from '../sums/finc-sums.js';
import type { ModeVectors } from '../sums/score-pass.js';
import { extremeEigsSteps } from '../solve/eigen.js';
import { BAND_ROWS } from '../solve/covariance-eigs.js';
import { selectModes, signOf, specDiffOf, type TopSamples } from './modes.js';
import { fincMode } from './finc-modes.js';

/** Unit round-off of f32 (features and in-block sums are f32). */
export const U32 = 2 ** -24;
/**
 * Covariance-route noise floor: |λ| ≤ COV_NOISE_C·u32·(tr CX + η·tr CY). Features are
 * f32 and syrk sums products in f32 over blocks of ≤ 256 rows before the f64 flush,
 * so an entry of CX − ηCY carries a rounding error of ≲ √256·u32 (random rounding)
 * of Σ|φiφj|/n, and ‖E‖ ≤ ‖E‖_F ≤ that factor·trace. Measured (identical sets fed
 * in different row orders and chunk sizes, cosine/linear/RFF, with and without a
 * large common offset, n = 3000–20000): max |λ| = 0.02–0.18·u32·trace. c = 4 keeps
 * a 20× margin over that and stays far below any mismatch worth reporting.
 */
export const COV_NOISE_C = 4;

/** What the solve needs. */
export interface FincSolveSettings {
  /** Modes per side. Default 10. */
  topK?: number;
  /** Top samples per mode. Default 20. */
  samplesPerMode?: number;
  /** Keep every score of each mode over its side's set. Default false. */
  returnScores?: boolean;
}

/** The eigen-solution of a FincAccumulator, before the scoring pass. */
export interface FincSolution {
  /** Rows of X accumulated. */
  nx: number;
  /** Rows of Y accumulated. */
  ny: number;
  /** Mode eigenvalues: side x descending, then side y most negative first. */
  eigenvalues: Float64Array;
  /** The side of each eigenvalue's mode. */
  sides: Side[];
  /** vᵀCX v per mode. */
  shareX: Float64Array;
  /** vᵀCY v per mode. */
  shareY: Float64Array;
  /** SPEC-diff from the extreme eigenvalues of CX − η·CY. */
  specDiff: SpecDiff;
  /** Eigenvalues among each side's top-K within the noise floor. */
  noiseDropped: number;
  /** The floor |λ| ≤ noiseFloor used. */
  noiseFloor: number;
}

/**
 * A solved FINC sums: the solution, and per set (X, Y) the vectors of every mode (the same
 * columns, in the order of `sol.sides`; each set keeps the scores of its own side's modes).
 */
export interface FincSolved {
  sol: FincSolution;
  /** The η of the sums (the frequencies' over-representation weighs Y by it). */
  eta: number;
  vectors: [ModeVectors, ModeVectors];
  samplesPerMode: number;
  returnScores: boolean;
}

/**
 * Finds the top-K eigenpairs at each end of CX − η·CY, in steps: the
 * normalisation in row bands, then Lanczos (extremeEigsSteps); the same
 * arithmetic as one call, so the same solution. The sums are spent.
 */
export function* solveFincSteps(sums: FincSums, opts: FincSolveSettings): Generator<Step, FincSolved> {
  sums.live();
  const nx = sums.nx,
    ny = sums.ny,
    eta = sums.eta,
    D = sums.D;
  if (nx === 0) throw new InputError('no rows were added', 'X');
  if (ny === 0) throw new InputError('no rows were added', 'Y');
  const topK = positiveInt(opts.topK, 'topK', 10);
  const samplesPerMode = positiveInt(opts.samplesPerMode, 'samplesPerMode', 20);
  const k = Math.min(topK, D);
  let ok = false;
  try {
    // Normalise in place (a third D × D buffer would add 32 MB at D = 2000).
    const [SX, SY] = sums.beginSolve();
    let trX = 0,
      trY = 0;
    {
      const a = SX.view,
        b = SY.view;
      for (let i = 0; i < D; i++) {
        trX += a[i * D + i];
        trY += b[i * D + i];
      }
    }
    trX /= nx;
    trY /= ny;
    // Element-wise, so bands give the same values as one pass (D = 5600: ~0.1 s in all).
    const band = BAND_ROWS * D;
    for (let o = 0; o < D * D; o += band) {
      const len = Math.min(band, D * D - o);
      dscalAt(len, 1 / nx, SX, o);
      dscalAt(len, 1 / ny, SY, o);
      daxpy(len, -eta, SY, SX, o, o);
      yield { done: 0, total: 1, message: 'normalising' };
    }
    const res = yield* extremeEigsSteps({ kind: 'dense', A: SX, n: D }, k, { seed: sums.seed + 1 });
    const floor = COV_NOISE_C * U32 * (trX + eta * trY);
    const { chosen, columns, dropped } = chooseModes(res.values, k, topK, floor);
    // one D² pass in JS per mode (~10 ms at D = 3000)
    const shareY = new Float64Array(columns.length);
    for (const [i, c] of columns.entries()) {
      shareY[i] = quadUpper(SY.view, D, res.vectors[c]);
      yield { done: 1, total: 1, message: 'mode shares' };
    }
    // v is an eigenvector of CX − ηCY: vᵀCXv = λ + η·vᵀCYv.
    const shareX = Float64Array.from(chosen.map((c, i) => c.value + eta * shareY[i]));
    const sol: FincSolution = {
      nx,
      ny,
      eigenvalues: Float64Array.from(chosen.map((c) => c.value)),
      sides: chosen.map((c) => c.side),
      shareX,
      shareY,
      specDiff: specDiffOf(res.values[0], res.values[k], floor),
      noiseDropped: dropped,
      noiseFloor: floor,
    };
    // Both sets are scored on every mode (twice the GEMM columns of scoring each set on its
    // own side's modes only): a mode's frequency in X and in Y counts the samples of both.
    const kk = columns.length,
      V = new Float32Array(D * kk);
    columns.forEach((c, j) => {
      const v = res.vectors[c];
      for (let i = 0; i < D; i++) V[i * kk + j] = v[i];
    });
    const forSet = (s: Side): ModeVectors => ({ V, k: kk, scale: 1, keep: chosen.map((c) => c.side === s) });
    ok = true;
    return { sol, eta, vectors: [forSet('x'), forSet('y')], samplesPerMode, returnScores: !!opts.returnScores };
  } finally {
    if (!ok) sums.fail();
  }
}

/**
 * The modes of a solved FINC sums from its scoring passes over X and over Y (both on every
 * mode): each mode's sign by the rule over its side's set, its listed samples from that set.
 */
export function fincModes(solved: FincSolved, tops: TopSamples[]): FincMode[] {
  const { sol } = solved;
  const sx = tops[0].sums(),
    sy = tops[1].sums();
  const signs = sol.sides.map((side, i) => signOf(side === 'x' ? sx[i] : sy[i]));
  const fx = tops[0].finish(signs),
    fy = tops[1].finish(signs);
  let rx = 0,
    ry = 0;
  return sol.sides.map((side, i) =>
    fincMode(
      side,
      side === 'x' ? ++rx : ++ry,
      sol.eigenvalues[i],
      side === 'x' ? fx[i] : fy[i],
      [fx[i].hist, fy[i].hist],
      solved.eta,
      sol.shareX[i],
      sol.shareY[i],
    ),
  );
}

/** vᵀAv for the symmetric A of which only the upper triangle is valid. */
function quadUpper(a: Float64Array, D: number, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < D; i++) {
    const vi = v[i];
    if (vi === 0) continue;
    let row = 0;
    for (let j = i + 1, p = i * D + j; j < D; j++, p++) row += a[p] * v[j];
    s += vi * (a[i * D + i] * vi + 2 * row);
  }
  return s;
}

/**
 * Modes from the 2k extreme eigenvalues (k largest descending, k smallest
 * ascending; the two lists overlap when 2k > D, so each side only looks at its
 * own list). `dropped` counts eigenvalues of the right sign within the floor.
 */
export function chooseModes(
  values: Float64Array,
  k: number,
  topK: number,
  floor: number,
): { chosen: { side: Side; value: number }[]; columns: number[]; dropped: number } {
  const masked = Float64Array.from(values, (v, i) => (i < k ? Math.max(v, 0) : Math.min(v, 0)));
  const sel = selectModes(masked, topK, floor);
  let dropped = 0;
  for (let i = 0; i < 2 * k; i++) if (masked[i] !== 0 && Math.abs(masked[i]) <= floor) dropped++;
  return { chosen: sel.map((c) => ({ side: c.side, value: values[c.column] })), columns: sel.map((c) => c.column), dropped };
}
