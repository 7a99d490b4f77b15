// finc()'s covariance route (docs/design.md §1): both sets streamed into the D × D
// sums under one feature map (finc-sums.ts), CX − η·CY solved by Lanczos, and a
// second pass that scores the samples.
import type { Matrix } from '../../types/index.js';
import type { RowSource } from '../../validate/source.js';
import type { FincJob, FincOutcome } from '../../features/job.js';
import { FincSums } from '../../sums/finc-sums.js';
import { featureCacheBytes, READ_ROWS } from '../../sums/features-pass.js';
import { solveFincSteps, fincModes, type FincSolved } from '../../score/finc-solve.js';
import { Scoring } from '../../score/scoring.js';
import { type Cooperative, StepSizer, drive, lap, shifted, type Step } from '../../runtime/cooperative.js';
import { onWorkers } from '../../runtime/driver.js';
import { featureDim } from '../../features/kernel.js';
import type { TopSamples } from '../../score/modes.js';
import type { FincMetricsSink } from '../../significance/finc-metrics.js';
import { planThreads } from '../../runtime/plan.js';
import { chooseSolver } from './solver-choice.js';
import { fincMatrixFreeRoute } from './finc-matrix-free.js';

/**
 * FINC's covariance route: on workers when `threads` allows (src/runtime), else
 * in process: one pass over each set into the sums, the solve, then a scoring
 * pass over each set that has modes.
 */
export async function fincCovarianceRoute(r: FincJob, coop: Cooperative, timings: Record<string, number>, sink?: FincMetricsSink): Promise<FincOutcome> {
  const D = featureDim(r.kernel, r.sx.cols),
    n = r.sx.rows + r.sy.rows;
  const threads = await planThreads(r.threads, n, D);
  const choice = chooseSolver(r.solver, { n, dx: D, dy: 0, eta: r.eta, topK: r.topK, task: 'finc' }, threads);
  const tag = { solver: choice.solver, solverReason: choice.reason };
  if (choice.solver === 'matrix-free') return { ...(await fincMatrixFreeRoute(r, coop, timings, sink)), ...tag };
  return { ...((await onWorkers(fincOnWorkers(r, sink), coop, timings)) ?? (await inProcess(r, coop, timings, sink))), ...tag };
}

/** FINC for the worker driver: two sets (X's rows, Y's) under one map, the solve of CX − η·CY. */
function fincOnWorkers(r: FincJob, sink?: FincMetricsSink) {
  const settings = { topK: r.topK, samplesPerMode: r.samplesPerMode, returnScores: r.returnScores };
  return {
    sets: [[r.sx], [r.sy]],
    D: featureDim(r.kernel, r.sx.cols),
    threads: r.threads,
    sums: () => FincSums.ofSteps(r.kernel, r.eta, r.seed, r.sx, r.sy),
    shard: { kind: 'finc' as const, kernel: r.kernel, eta: r.eta, seed: r.seed, d: r.sx.cols, names: [r.sx.name, r.sy.name] },
    solve: (acc: FincSums) => {
      // MMD² reads the merged sums before the solve normalises them in place
      sink?.sums(acc);
      return solveFincSteps(acc, settings);
    },
    outcome: (solved: FincSolved, tops: TopSamples[], threads: number): FincOutcome => ({
      modes: fincModes(solved, tops),
      specDiff: solved.sol.specDiff,
      noiseDropped: solved.sol.noiseDropped,
      threads,
    }),
  };
}

async function inProcess(r: FincJob, coop: Cooperative, timings: Record<string, number>, sink?: FincMetricsSink): Promise<FincOutcome> {
  let t = performance.now();
  const { sx, sy } = r;
  const acc = await drive(FincSums.ofSteps(r.kernel, r.eta, r.seed, sx, sy), coop, 'accumulate');
  t = lap(timings, 'features', t);
  const total = sx.rows + sy.rows;
  // As compare's route: keep every row's features for the scoring pass when all fit
  // (files too: the second pass then reads nothing), else none, so memory stays flat.
  const cache = featureCacheBytes(total, acc.D);
  if (cache > 0) acc.cacheFeatures(cache);
  const sizer = new StepSizer();
  // One pass over a source: read READ_ROWS at a time, feed steps sized to ~25 ms,
  // yield between steps. The scoring pass replays the accumulation pass's steps,
  // so cached features (keyed by first row and length) are found again.
  const pass = async (s: RowSource, base: number, stage: 'accumulate' | 'scores', use: (m: Matrix) => Generator<Step, void>, plan?: number[]) => {
    const steps: number[] = [];
    let p = 0;
    for (let s0 = 0; s0 < s.rows; s0 += READ_ROWS) {
      const rows = Math.min(READ_ROWS, s.rows - s0);
      const tr = performance.now();
      const data = s.read(s0, rows);
      lap(timings, 'read', tr);
      for (let r0 = 0; r0 < rows; ) {
        await coop.tick();
        // Steps are whole SYRK blocks (256 rows), so the f32 block sums do not depend on
        // timing, and equal those of the workers' CHUNK_ROWS-aligned chunks (src/runtime).
        const step = Math.min(plan ? plan[p++] : Math.ceil(sizer.rows / 256) * 256, rows - r0);
        const ts = performance.now();
        // the step's work yields inside too (features, SYRK bands): its size only sets the plan
        await drive(shifted(use({ data: data.subarray(r0 * s.cols, (r0 + step) * s.cols), rows: step, cols: s.cols }), base + s0 + r0, total), coop, stage);
        if (!plan) sizer.observe(step, performance.now() - ts);
        steps.push(step);
        r0 += step;
        coop.progress(stage, base + s0 + r0, total);
      }
    }
    return steps;
  };
  // A pass's wall time less the reading and features it booked is its own stage's.
  const booked = () => (timings.read ?? 0) + acc.featureSeconds;
  try {
    coop.progress('accumulate', 0, total);
    let b0 = booked();
    const planX = await pass(sx, 0, 'accumulate', (m) => acc.addSteps(m, 'x'));
    const planY = await pass(sy, sx.rows, 'accumulate', (m) => acc.addSteps(m, 'y'));
    t = lap(timings, 'accumulate', t);
    timings.accumulate -= booked() - b0;
    await coop.tick();
    sink?.sums(acc);
    const solved = await drive(solveFincSteps(acc, { topK: r.topK, samplesPerMode: r.samplesPerMode, returnScores: r.returnScores }), coop, 'solve');
    const scoring = new Scoring(acc, solved),
      [px, py] = scoring.passes;
    t = lap(timings, 'solve', t);
    coop.progress('scores', 0, total);
    b0 = booked();
    if (scoring.needs(0)) await pass(sx, 0, 'scores', (m) => acc.scoreSteps(px, m), planX);
    if (scoring.needs(1)) await pass(sy, sx.rows, 'scores', (m) => acc.scoreSteps(py, m), planY);
    coop.progress('scores', total, total);
    px.checkComplete();
    py.checkComplete();
    // the modes' ends and frequencies come from the passes' histograms: part of `scores`
    const modes = fincModes(solved, scoring.tops);
    lap(timings, 'scores', t);
    timings.scores -= booked() - b0;
    timings.features += acc.featureSeconds;
    return { modes, specDiff: solved.sol.specDiff, noiseDropped: solved.sol.noiseDropped };
  } finally {
    acc.dispose();
  }
}
