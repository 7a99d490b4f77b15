// compare()'s matrix-free covariance solver (docs/design.md, "Matrix-free
// solve"): the features ΦX and ΦY of every row are computed once and kept in
// f32, and Lanczos runs on the n × n operator Λ = (1/n)(ΦXΦXᵀ − η·ΦYΦYᵀ) applied
// by two GEMV passes per side (assembly/gemv-pair.ts). No D × D covariance, no
// Cholesky factor; the unit eigenvectors of Λ are the per-sample scores, so
// there is no scoring pass either. With two or more planned threads the rows'
// features live in workers and the operator is applied there
// (runtime/matfree-driver.ts); otherwise everything runs in process.
import { Scope, type WasmArray } from '../../wasm/memory.js';
import { FeatureMap } from '../../features/feature-map.js';
import type { SpecJob, SpecOutcome } from '../../features/job.js';
import { READ_ROWS } from '../../sums/features-pass.js';
import { type Cooperative, StepSizer, drive, lap } from '../../runtime/cooperative.js';
import { extremeEigsSteps, type ExtremeEigOptions, type ExtremeEigResult } from '../../solve/eigen.js';
import { gramScale, gramScratchLength, type GramBlock } from '../../wasm/lanczos.js';
import { COVARIANCE_NOISE } from '../../score/spec-solve.js';
import { buildModes, selectModes, specDiffOf, TopSamples } from '../../score/modes.js';
import type { RowSource } from '../../validate/source.js';
import { matrixFreeBasis } from './solver-choice.js';
import type { SpecMetricsSink } from '../../significance/compare-metrics.js';
import { featureDim } from '../../features/kernel.js';
import { matrixFreeOnWorkers } from '../../runtime/matfree-driver.js';

/**
 * Lanczos residual tolerance relative to ‖Λ‖. The f32 operator passes carry
 * ~1e-7 relative error, so 1e-10 (the dense default) buys nothing but restarts:
 * at 1e-8 eigenvalues agree with the SYRK route to ~1e-7 of ‖Λ‖ and B1 takes
 * 70 applications instead of 90 (basis 60).
 */
export const MATRIX_FREE_TOL = 1e-8;

/** Rows of scores handed to TopSamples at a time. */
const SCORE_ROWS = 1024;

/** The features of one source under `map`, all n rows, f32 row-major (n × D); progress as rows done + those before of total. */
export async function sideFeatures(
  sc: Scope,
  map: FeatureMap,
  src: RowSource,
  n: number,
  coop: Cooperative,
  done: number,
  total: number,
): Promise<WasmArray<Float32Array>> {
  const phi = sc.f32(Math.max(1, n * map.D), `${src.name} features (${n} × ${map.D})`);
  const x = sc.f32(Math.min(READ_ROWS, n) * src.cols, `${src.name} rows`);
  const sizer = new StepSizer(8, 4096, 64);
  for (let s = 0; s < n; s += READ_ROWS) {
    const rows = Math.min(READ_ROWS, n - s);
    x.view.set(src.read(s, rows));
    for (let r0 = 0; r0 < rows; ) {
      await coop.tick();
      // row counts per step follow the clock; each row's features do not depend on them
      const step = Math.min(sizer.rows, rows - r0);
      const t0 = performance.now();
      map.apply(x, step, phi, s + r0, src.name, (s + r0) * map.D, map.D, r0 * src.cols);
      sizer.observe(step, performance.now() - t0);
      r0 += step;
      coop.progress('features', done + s + r0, total, 'rows of features');
    }
  }
  return phi;
}

/**
 * The matrix-free solve of one compare job: features (stage 'features'), Lanczos
 * on Λ (stage 'solve'), and the modes from its eigenvectors (stage 'scores').
 * Eigenvalues, noise floor, SPEC-diff and mode selection follow the SYRK route's
 * rules (score/spec-solve.ts), so both report the same modes.
 */
export async function matrixFreeRoute(job: SpecJob, coop: Cooperative, timings: Record<string, number>, sink?: SpecMetricsSink): Promise<SpecOutcome> {
  const { n } = job;
  const D = featureDim(job.kx, job.sx.cols) + featureDim(job.ky, job.sy.cols);
  const k = Math.min(job.topK, D, n);
  const eig: ExtremeEigOptions = { seed: job.seed, signSplit: false, tol: MATRIX_FREE_TOL, basisSize: matrixFreeBasis(k) };
  // the in-process solve's features, held until the metrics have their sample
  const held: Held = { sc: new Scope(), maps: [] };
  try {
    const solved = (await matrixFreeOnWorkers(job, k, eig, coop, timings)) ?? (await inProcess(job, k, eig, coop, timings, held));
    let t = performance.now();
    const { res } = solved;
    // trace(C) = (1/n)(‖ΦX‖² + η‖ΦY‖²): the same noise floor as the SYRK route's
    const tol = COVARIANCE_NOISE * solved.scale;
    const values = res.values;
    // Λ's spectrum holds 0 when n > D (rank ≤ D); otherwise the computed values are all of it.
    let lmax = n > D ? 0 : -Infinity,
      lmin = n > D ? 0 : Infinity;
    for (let i = 0; i < values.length; i++) {
      if (Math.abs(values[i]) <= tol && n <= D) continue;
      lmax = Math.max(lmax, values[i]);
      lmin = Math.min(lmin, values[i]);
    }
    if (lmax === -Infinity) lmax = lmin = 0;
    const chosen = selectModes(values, job.topK, tol, k);
    t = lap(timings, 'solve', t);
    const kk = chosen.length;
    const tops = new TopSamples(kk, job.samplesPerMode, n, job.returnScores);
    const buf = new Float64Array(Math.min(SCORE_ROWS, n) * Math.max(1, kk));
    for (let r0 = 0; r0 < n; r0 += SCORE_ROWS) {
      const rows = Math.min(SCORE_ROWS, n - r0);
      chosen.forEach((c, j) => {
        const u = res.vectors[c.column];
        for (let r = 0; r < rows; r++) buf[r * kk + j] = u[r0 + r];
      });
      tops.addRows(buf, rows, r0);
      coop.progress('scores', r0 + rows, n, 'rows');
      await coop.tick();
    }
    const modes = buildModes(chosen, tops.finish());
    lap(timings, 'scores', t);
    // kernel CKA's row sample from the features held here (η = 0: Y's were never made; on
    // workers none are held here, and the metrics featurise their sample's rows themselves)
    const [bx, by] = held.blocks ?? [];
    if (sink && by) await sink.features(bx.A, by.A, n, bx.cols, by.cols, job.seed, coop, timings);
    return {
      eigenvalues: Float64Array.from(chosen.map((c) => c.value)),
      modes,
      specDiff: specDiffOf(lmax, lmin, tol),
      // Λ has n − D structural zeros when n > D, which J·C (the SYRK route's operator) has not: not counted as noise
      noiseDropped: Math.max(
        0,
        values.subarray(0, k).filter((v) => v > 0 && v <= tol).length + values.subarray(k).filter((v) => v < 0 && v >= -tol).length - Math.max(0, n - D),
      ),
      ...(solved.threads ? { threads: solved.threads } : {}),
    };
  } finally {
    held.sc.free();
    for (const m of held.maps) m.free();
  }
}

/** What the in-process solve allocates, freed by the route; `blocks`: the features of every row. */
interface Held {
  sc: Scope;
  maps: FeatureMap[];
  blocks?: GramBlock[];
}

/** Features and Lanczos on Λ in process: the features of both sides (stage 'features'), then the solve. */
async function inProcess(
  job: SpecJob,
  k: number,
  eig: ExtremeEigOptions,
  coop: Cooperative,
  timings: Record<string, number>,
  held: Held,
): Promise<{ res: ExtremeEigResult; scale: number; threads?: number }> {
  const { n, eta } = job;
  const { sc, maps } = held;
  let t = performance.now();
  const mapX = new FeatureMap(job.kx, job.sx.cols, job.seed, 'X');
  maps.push(mapX);
  const mapY = new FeatureMap(job.ky, job.sy.cols, job.seed, 'Y');
  maps.push(mapY);
  // η = 0: Y's block has weight 0, its features are never needed
  const total = eta > 0 ? 2 * n : n;
  const phiX = await sideFeatures(sc, mapX, job.sx, n, coop, 0, total);
  const blocks: GramBlock[] = [{ A: phiX, rows: n, cols: mapX.D, weight: 1 / n }];
  if (eta > 0) blocks.push({ A: await sideFeatures(sc, mapY, job.sy, n, coop, n, total), rows: n, cols: mapY.D, weight: -eta / n });
  held.blocks = blocks;
  t = lap(timings, 'features', t);
  const scratch = sc.f64(gramScratchLength(blocks), 'matrix-free scratch');
  const res = await drive(extremeEigsSteps({ kind: 'gram', side: 'n', n, blocks, scratch }, k, eig), coop, 'solve');
  lap(timings, 'solve', t);
  return { res, scale: gramScale(blocks) };
}
