// finc()'s matrix-free covariance solver (docs/design.md, "Matrix-free solve"):
// the features of both sets are computed once and kept in f32, and Lanczos runs
// on the D × D operator CX − η·CY = (1/nx)ΦXᵀΦX − (η/ny)ΦYᵀΦY applied by two GEMV
// passes per set, never formed. The modes, shares and noise floor follow the
// SYRK route's rules (score/finc-solve.ts); scores are Φv from the cached features.
import { Scope, type WasmArray } from '../../wasm/memory.js';
import { FeatureMap } from '../../features/feature-map.js';
import type { FincJob, FincOutcome } from '../../features/job.js';
import type { FincMetricsSink } from '../../significance/finc-metrics.js';
import { type Cooperative, drive, lap } from '../../runtime/cooperative.js';
import { extremeEigsSteps } from '../../solve/eigen.js';
import { gramScale, gramScratchLength, type GramBlock } from '../../wasm/lanczos.js';
import { sgemm } from '../../wasm/gemm.js';
import { chooseModes, COV_NOISE_C, fincModes, U32, type FincSolved } from '../../score/finc-solve.js';
import { specDiffOf, TopSamples } from '../../score/modes.js';
import { keepOf } from '../../score/scoring.js';
import { sideFeatures, MATRIX_FREE_TOL } from './matrix-free.js';
import { matrixFreeBasis } from './solver-choice.js';

/** Rows scored per GEMM (and per yield). */
const SCORE_ROWS = 2048;

/**
 * Scores rows of `phi` (rows × D) on the mode vectors V (D × k f32 in wasm) into
 * `top`, in chunks; returns Σ score² per column (f64), for the modes' shares.
 */
async function scoreSet(
  sc: Scope,
  phi: WasmArray<Float32Array>,
  rows: number,
  D: number,
  V: WasmArray<Float32Array>,
  k: number,
  top: TopSamples,
  coop: Cooperative,
  base: number,
  total: number,
): Promise<Float64Array> {
  const sq = new Float64Array(k);
  if (k === 0) return sq;
  const out = sc.f32(Math.min(SCORE_ROWS, rows) * k, 'scores chunk');
  for (let r0 = 0; r0 < rows; r0 += SCORE_ROWS) {
    const n = Math.min(SCORE_ROWS, rows - r0);
    sgemm(n, k, D, phi, D, V, k, out, k, 0, r0 * D);
    const o = out.view;
    for (let i = 0; i < n * k; i++) sq[i % k] += o[i] * o[i];
    top.addRows(o, n, r0);
    coop.progress('scores', base + r0 + n, total, 'rows');
    await coop.tick();
  }
  return sq;
}

/** FINC's matrix-free solve: features (stage 'features'), Lanczos on CX − η·CY ('solve'), the scores of both sets ('scores'). */
export async function fincMatrixFreeRoute(r: FincJob, coop: Cooperative, timings: Record<string, number>, sink?: FincMetricsSink): Promise<FincOutcome> {
  const { sx, sy, eta } = r;
  const nx = sx.rows,
    ny = sy.rows,
    total = nx + ny;
  const sc = new Scope();
  const map = new FeatureMap(r.kernel, sx.cols, r.seed);
  try {
    let t = performance.now();
    const D = map.D;
    const phiX = await sideFeatures(sc, map, sx, nx, coop, 0, total);
    const phiY = await sideFeatures(sc, map, sy, ny, coop, nx, total);
    t = lap(timings, 'features', t);
    if (sink) {
      sink.features(phiX.view, nx, phiY.view, ny, D);
      t = lap(timings, 'metrics', t);
    }
    const blocks: GramBlock[] = [
      { A: phiX, rows: nx, cols: D, weight: 1 / nx },
      { A: phiY, rows: ny, cols: D, weight: -eta / ny },
    ];
    const scratch = sc.f64(gramScratchLength(blocks), 'matrix-free scratch');
    const k = Math.min(r.topK, D);
    const op = { kind: 'gram' as const, side: 'D' as const, n: D, blocks, scratch };
    const res = await drive(
      extremeEigsSteps(op, k, { seed: r.seed + 1, signSplit: false, tol: MATRIX_FREE_TOL, basisSize: matrixFreeBasis(k) }),
      coop,
      'solve',
    );
    const floor = COV_NOISE_C * U32 * gramScale(blocks);
    const { chosen, columns, dropped } = chooseModes(res.values, k, r.topK, floor);
    t = lap(timings, 'solve', t);
    const kk = columns.length;
    const V = sc.f32(Math.max(1, D * kk), 'mode vectors');
    const v = V.view;
    columns.forEach((c, j) => {
      const u = res.vectors[c];
      for (let i = 0; i < D; i++) v[i * kk + j] = u[i];
    });
    const forSet = (s: 'x' | 'y') => ({ V: v, k: kk, scale: 1, keep: chosen.map((c) => c.side === s) });
    const vectors: FincSolved['vectors'] = [forSet('x'), forSet('y')];
    const tops = vectors.map((mv, set) => new TopSamples(kk, r.samplesPerMode, set === 0 ? nx : ny, keepOf(mv, r.returnScores)));
    coop.progress('scores', 0, total);
    await scoreSet(sc, phiX, nx, D, V, kk, tops[0], coop, 0, total);
    const sqY = await scoreSet(sc, phiY, ny, D, V, kk, tops[1], coop, nx, total);
    // v is an eigenvector of CX − ηCY: vᵀCXv = λ + η·vᵀCYv, as on the SYRK route
    const shareY = Float64Array.from(sqY, (s) => s / ny);
    const shareX = Float64Array.from(chosen, (c, i) => c.value + eta * shareY[i]);
    const solved: FincSolved = {
      sol: {
        nx,
        ny,
        eigenvalues: Float64Array.from(chosen.map((c) => c.value)),
        sides: chosen.map((c) => c.side),
        shareX,
        shareY,
        specDiff: specDiffOf(res.values[0], res.values[k], floor),
        noiseDropped: dropped,
        noiseFloor: floor,
      },
      eta,
      vectors,
      samplesPerMode: r.samplesPerMode,
      returnScores: r.returnScores,
    };
    const modes = fincModes(solved, tops);
    lap(timings, 'scores', t);
    return { modes, specDiff: solved.sol.specDiff, noiseDropped: dropped };
  } finally {
    sc.free();
    map.free();
  }
}
