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
import { extremeEigsSteps, type ExtremeEigOptions, type ExtremeEigResult } from '../../solve/eigen.js';
import { featureDim } from '../../features/kernel.js';
import { fincMatrixFreeOnWorkers } from '../../runtime/finc-matfree-driver.js';
import { gramScale, gramScratchLength, type GramBlock } from '../../wasm/lanczos.js';
import { sgemm } from '../../wasm/gemm.js';
import { chooseModes, COV_NOISE_C, fincModes, U32, type FincSolved } from '../../score/finc-solve.js';
import { specDiffOf, TopSamples } from '../../score/modes.js';
import { keepOf } from '../../score/scoring.js';
import { sideFeatures, MATRIX_FREE_TOL } from './matrix-free.js';
import { matrixFreeBasis } from './solver-choice.js';
import { FINC_SCORE_ROWS } from '../../runtime/finc-matfree-shard.js';

/** Rows scored per GEMM (and per yield): the workers' chunk too. */
const SCORE_ROWS = FINC_SCORE_ROWS;

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

/** The modes chosen from the solve: the SYRK route's rules (score/finc-solve.ts), the noise floor from the operator's scale bound. */
function pick(r: FincJob, res: ExtremeEigResult, k: number, D: number, scale: number) {
  const floor = COV_NOISE_C * U32 * scale;
  const { chosen, columns, dropped } = chooseModes(res.values, k, r.topK, floor);
  const kk = columns.length;
  const v = new Float32Array(Math.max(1, D * kk));
  columns.forEach((c, j) => {
    const u = res.vectors[c];
    for (let i = 0; i < D; i++) v[i * kk + j] = u[i];
  });
  const forSet = (s: 'x' | 'y') => ({ V: v, k: kk, scale: 1, keep: chosen.map((c) => c.side === s) });
  const vectors: FincSolved['vectors'] = [forSet('x'), forSet('y')];
  const keep = vectors.map((mv) => keepOf(mv, r.returnScores));
  return { floor, chosen, dropped, kk, v, vectors, keep, specDiff: specDiffOf(res.values[0], res.values[k], floor) };
}
type Picked = ReturnType<typeof pick>;

/**
 * FINC's matrix-free solve: features (stage 'features'), Lanczos on CX − η·CY ('solve'), the scores of both sets ('scores');
 * on workers when `threads` plans two or more (runtime/finc-matfree-driver.ts), else in process.
 */
export async function fincMatrixFreeRoute(r: FincJob, coop: Cooperative, timings: Record<string, number>, sink?: FincMetricsSink): Promise<FincOutcome> {
  const { sx, sy, eta } = r;
  const nx = sx.rows,
    ny = sy.rows;
  const D = featureDim(r.kernel, sx.cols);
  const k = Math.min(r.topK, D);
  const eig: ExtremeEigOptions = { seed: r.seed + 1, signSplit: false, tol: MATRIX_FREE_TOL, basisSize: matrixFreeBasis(k) };
  let picked: Picked | null = null;
  const choose = (res: ExtremeEigResult, scale: number) => {
    picked = pick(r, res, k, D, scale);
    return { V: picked.v, k: picked.kk, keep: picked.keep };
  };
  let scored: { tops: TopSamples[]; sqY: Float64Array; threads?: number };
  const onWorkers = await fincMatrixFreeOnWorkers(r, k, eig, choose, coop, timings);
  if (onWorkers) {
    const t = performance.now();
    sink?.fromMoments(onWorkers.moments[0], nx, onWorkers.moments[1], ny);
    if (sink) lap(timings, 'metrics', t);
    scored = onWorkers;
  } else scored = await inProcess(r, k, eig, choose, coop, timings, sink);
  const p = picked as Picked | null;
  if (!p) throw new Error('spec-embed: the matrix-free solve chose no modes');
  const t = performance.now();
  // v is an eigenvector of CX − ηCY: vᵀCXv = λ + η·vᵀCYv, as on the SYRK route
  const shareY = Float64Array.from(scored.sqY, (s) => s / ny);
  const shareX = Float64Array.from(p.chosen, (c, i) => c.value + eta * shareY[i]);
  const solved: FincSolved = {
    sol: {
      nx,
      ny,
      eigenvalues: Float64Array.from(p.chosen.map((c) => c.value)),
      sides: p.chosen.map((c) => c.side),
      shareX,
      shareY,
      specDiff: p.specDiff,
      noiseDropped: p.dropped,
      noiseFloor: p.floor,
    },
    eta,
    vectors: p.vectors,
    samplesPerMode: r.samplesPerMode,
    returnScores: r.returnScores,
  };
  const modes = fincModes(solved, scored.tops);
  lap(timings, 'scores', t);
  return { modes, specDiff: p.specDiff, noiseDropped: p.dropped, ...(scored.threads ? { threads: scored.threads } : {}) };
}

/** The in-process solve: every row's features here, the metrics from them, Lanczos on the Gram operator, the scores. */
async function inProcess(
  r: FincJob,
  k: number,
  eig: ExtremeEigOptions,
  choose: (res: ExtremeEigResult, scale: number) => { V: Float32Array; k: number; keep: boolean[][] },
  coop: Cooperative,
  timings: Record<string, number>,
  sink?: FincMetricsSink,
): Promise<{ tops: TopSamples[]; sqY: Float64Array }> {
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
    const op = { kind: 'gram' as const, side: 'D' as const, n: D, blocks, scratch };
    const res = await drive(extremeEigsSteps(op, k, eig), coop, 'solve');
    const chosen = choose(res, gramScale(blocks));
    t = lap(timings, 'solve', t);
    const kk = chosen.k;
    const V = sc.f32(Math.max(1, D * kk), 'mode vectors');
    V.view.set(chosen.V);
    const tops = chosen.keep.map((keep, set) => new TopSamples(kk, r.samplesPerMode, set === 0 ? nx : ny, keep));
    coop.progress('scores', 0, total);
    await scoreSet(sc, phiX, nx, D, V, kk, tops[0], coop, 0, total);
    const sqY = await scoreSet(sc, phiY, ny, D, V, kk, tops[1], coop, nx, total);
    lap(timings, 'scores', t);
    return { tops, sqY };
  } finally {
    sc.free();
    map.free();
  }
}
