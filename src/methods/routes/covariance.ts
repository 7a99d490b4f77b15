// compare()'s covariance route (docs/design.md §1), linear in n: features Ψ =
// [ΦX, √η·ΦY] per row, C = (1/n)ΨᵀΨ summed over the rows, the extreme eigenpairs
// of J·C, and a second pass that scores every row (u = Ψv/√n).
import { MAX_BLOCK_BYTES, Scope } from '../../wasm/memory.js';
import { FeatureMap } from '../../features/feature-map.js';
import type { Matrix } from '../../types/index.js';
import { featureDim } from '../../features/kernel.js';
import type { SpecJob, SpecOutcome } from '../../features/job.js';
import { SpecSums, checkCovarianceSize } from '../../sums/spec-sums.js';
import { featureCacheBytes, READ_ROWS } from '../../sums/features-pass.js';
import { gramSteps } from '../../wasm/gram.js';
import { type Cooperative, StepSizer, drive, lap, shifted, type Step } from '../../runtime/cooperative.js';
import { solveSpecSteps, specModes, type SpecSolved } from '../../score/spec-solve.js';
import type { TopSamples } from '../../score/modes.js';
import { Scoring } from '../../score/scoring.js';
import { onWorkers } from '../../runtime/driver.js';
import { parallelGram } from '../../runtime/gram.js';
import { exactRoute, EXACT_MAX, type SideGram } from './exact.js';
import { linearScale, scaledSource, unscale } from '../../features/scale.js';
import type { SpecMetricsSink } from '../../significance/compare-metrics.js';
import { planThreads } from '../../runtime/plan.js';
import { matrixFreeRoute } from './matrix-free.js';
import { chooseSolver } from './solver-choice.js';

/**
 * With n ≤ D the n × n operator Λ = (1/n)(ΦXΦXᵀ − η·ΦYΦYᵀ) is the smaller one:
 * its Gram products sum in f64, where C's f32 block sums would carry ~1e-6
 * relative error, and it is exact whatever C's rank.
 */
async function featureGramRoute(r: SpecJob, coop: Cooperative, timings: Record<string, number>, sink?: SpecMetricsSink): Promise<SpecOutcome> {
  const sideGram: SideGram = async (side, out, coop, rowBase, rowTotal) => {
    const src = side === 'X' ? r.sx : r.sy;
    let t = performance.now();
    const map = new FeatureMap(side === 'X' ? r.kx : r.ky, src.cols, r.seed, side);
    const sc = new Scope();
    try {
      const x = sc.f32(r.n * src.cols, `${side} data`);
      const phi = sc.f32(r.n * map.D, `${side} features (${r.n} × ${map.D})`);
      t = lap(timings, 'features', t);
      x.view.set(src.read(0, r.n));
      t = lap(timings, 'read', t);
      // Features in row steps of ~STEP_MS (an RFF projection of 11000 rows takes seconds).
      const sizer = new StepSizer(8, 4096, 64);
      for (let r0 = 0; r0 < r.n; ) {
        await coop.tick(); // first: an abort seen in the last event stops before the next step
        t = performance.now();
        const rows = Math.min(sizer.rows, r.n - r0);
        const t0 = performance.now();
        map.apply(x, rows, phi, r0, src.name, r0 * map.D, map.D, r0 * src.cols);
        sizer.observe(rows, performance.now() - t0);
        r0 += rows;
        coop.progress('features', rowBase + r0, rowTotal, 'rows of features');
        t = lap(timings, 'features', t);
      }
      // The kernel matrix's bar starts once the features are done (one bar each, in turn).
      coop.progress('gram', rowBase, rowTotal, 'kernel rows');
      const spec = { n: r.n, d: map.D, kind: 'linear' as const, gamma: 0, scale: 1 / r.n, name: src.name };
      const workers = await parallelGram(phi, spec, out, r.threads, coop, rowBase, rowTotal);
      if (!workers) await drive(gramSteps(phi, r.n, map.D, 'linear', 0, out, 1 / r.n, undefined, rowBase, rowTotal), coop, 'gram');
      return workers;
    } finally {
      sc.free();
      map.free();
    }
  };
  return exactRoute(r, coop, timings, sideGram, sink);
}

/**
 * Whether the feature-Gram route's buffers fit: it holds ω (d × m f32) and Φ
 * (n × D f32) of one side at a time, each one WebAssembly allocation.
 */
function featureGramFits(r: SpecJob): boolean {
  return (
    [
      [r.kx, r.sx],
      [r.ky, r.sy],
    ] as const
  ).every(([k, src]) => Math.max(4 * r.n * featureDim(k, src.cols), k.type === 'gaussian' ? 4 * src.cols * k.rffDim : 0) <= MAX_BLOCK_BYTES);
}

/**
 * The covariance route: n ≤ D takes the n × n feature Gram (when its buffers
 * fit); otherwise C = ΨᵀΨ is accumulated, on workers when `threads` allows
 * (src/runtime), else in process. Two linear sides far from unit scale are read
 * scaled by one power of two c, so the route works on Λ' = c²Λ (same
 * eigenvectors) in f32 range; λ = λ'/c² on the way out.
 */
export async function covarianceRoute(job: SpecJob, coop: Cooperative, timings: Record<string, number>, sink?: SpecMetricsSink): Promise<SpecOutcome> {
  const c = linearScale(job);
  if (c === 1) return unscaledRoute(job, coop, timings, sink);
  const out = await unscaledRoute({ ...job, sx: scaledSource(job.sx, c), sy: scaledSource(job.sy, c) }, coop, timings, sink);
  unscale(out, 1 / (c * c));
  return out;
}

async function unscaledRoute(job: SpecJob, coop: Cooperative, timings: Record<string, number>, sink?: SpecMetricsSink): Promise<SpecOutcome> {
  const dx = featureDim(job.kx, job.sx.cols),
    dy = featureDim(job.ky, job.sy.cols),
    D = dx + dy;
  const small = job.n <= D && job.n <= EXACT_MAX;
  if (small && job.solver !== 'matrix-free' && featureGramFits(job)) return featureGramRoute(job, coop, timings, sink);
  // Refused before allocating, naming the option that makes D large (a forced
  // matrix-free solve forms no covariance, so it is not limited by it).
  if (job.solver !== 'matrix-free') checkCovarianceSize(job.kx, job.sx.cols, job.ky, job.sy.cols, { n: job.n, max: EXACT_MAX });
  const threads = small ? 1 : await planThreads(job.threads, job.n, D);
  const choice = chooseSolver(job.solver, { n: job.n, dx, dy, eta: job.eta, topK: job.topK }, threads);
  const tag = { solver: choice.solver, solverReason: choice.reason };
  if (choice.solver === 'matrix-free') return { ...(await matrixFreeRoute(job, coop, timings, sink)), ...tag };
  const out = (small ? null : await onWorkers(specOnWorkers(job, D, sink), coop, timings)) ?? (await accumulatorRoute(job, coop, timings, sink));
  return { ...out, ...tag };
}

/** SPEC for the worker driver: one set of paired rows, the sums C = ΨᵀΨ, the solve of J·C. */
function specOnWorkers(r: SpecJob, D: number, sink?: SpecMetricsSink) {
  return {
    sets: [[r.sx, r.sy]],
    D,
    threads: r.threads,
    sums: () => SpecSums.ofSteps(r.kx, r.ky, r.eta, r.seed, r.sx, r.sy),
    shard: { kind: 'spec' as const, kernelX: r.kx, kernelY: r.ky, eta: r.eta, seed: r.seed, dx: r.sx.cols, dy: r.sy.cols, names: [r.sx.name, r.sy.name] },
    // the metrics read the merged sums before the solve normalises them in place
    solve: function* (acc: SpecSums) {
      if (sink) yield* shifted(sink.sums(acc), 0, 1, 'metrics');
      return yield* solveSpecSteps(acc, r);
    },
    outcome: (solved: SpecSolved, tops: TopSamples[], threads: number): SpecOutcome => {
      const { sol } = solved;
      return { eigenvalues: sol.eigenvalues, modes: specModes(solved, tops), specDiff: sol.specDiff, noiseDropped: sol.noiseDropped, threads };
    },
  };
}

/**
 * C accumulated in process: one pass over the paired sources in chunks of
 * READ_ROWS (the accumulator splits each chunk into steps of ≤ ~STEP_MS), the
 * solve, then a second pass that scores the rows. Each pass's wall time is split
 * into `read` (the sources' rows: files streamed from disk, or views of
 * in-memory data), `features` (drawing the map, then Ψ of each chunk) and the
 * rest: `accumulate` (the SYRK) or `scores` (the GEMM and top samples).
 */
async function accumulatorRoute(job: SpecJob, coop: Cooperative, timings: Record<string, number>, sink?: SpecMetricsSink): Promise<SpecOutcome> {
  const { sx, sy, n } = job;
  let t = performance.now();
  const acc = await drive(SpecSums.ofSteps(job.kx, job.ky, job.eta, job.seed, sx, sy), coop, 'accumulate');
  t = lap(timings, 'features', t);
  const cache = featureCacheBytes(n, acc.D);
  if (cache > 0) acc.cacheFeatures(cache);
  /** Runs one pass and books its wall time from `t0` under read, features and `stage`. */
  const pass = async (stage: 'accumulate' | 'scores', t0: number, steps: (cx: Matrix, cy: Matrix) => Generator<Step, void>) => {
    coop.progress(stage, 0, n, 'rows');
    let read = 0;
    const f0 = acc.featureSeconds;
    for (let s = 0; s < n; s += READ_ROWS) {
      const rows = Math.min(READ_ROWS, n - s);
      const r0 = performance.now();
      const cx = { data: sx.read(s, rows), rows, cols: sx.cols },
        cy = { data: sy.read(s, rows), rows, cols: sy.cols };
      read += (performance.now() - r0) / 1000;
      await drive(shifted(steps(cx, cy), s, n, 'rows'), coop, stage);
    }
    coop.progress(stage, n, n, 'rows');
    const now = performance.now(),
      features = acc.featureSeconds - f0;
    timings.read = (timings.read ?? 0) + read;
    timings.features = (timings.features ?? 0) + features;
    timings[stage] = (timings[stage] ?? 0) + (now - t0) / 1000 - read - features;
    return now;
  };
  try {
    t = await pass('accumulate', t, (cx, cy) => acc.addSteps(cx, cy));
    if (sink) {
      const t0 = performance.now();
      await coop.within({ label: 'metrics: kernel CKA' }, () => drive(sink.sums(acc), coop, 'metrics'));
      t = lap(timings, 'metrics', t0);
    }
    const solved = await drive(solveSpecSteps(acc, job), coop, 'solve');
    const scoring = new Scoring(acc, solved),
      scorePass = scoring.passes[0];
    t = lap(timings, 'solve', t);
    if (acc.allCached) {
      // every row's features were kept: the scoring pass reads nothing
      await drive(scorePass.steps(null, n), coop, 'scores');
      lap(timings, 'scores', t);
    } else {
      await pass('scores', t, (cx, cy) => acc.scoreSteps(scorePass, cx, cy));
    }
    scorePass.checkComplete(true);
    const { sol } = solved;
    // the modes' ends come from the pass's histograms: part of `scores`
    const t0 = performance.now();
    const modes = specModes(solved, scoring.tops);
    lap(timings, 'scores', t0);
    return { eigenvalues: sol.eigenvalues, modes, specDiff: sol.specDiff, noiseDropped: sol.noiseDropped };
  } finally {
    acc.dispose();
  }
}
