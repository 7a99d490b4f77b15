// finc()'s covariance route (docs/design.md §1): both sets streamed into the D × D
// sums under one feature map (finc-sums.ts), CX − η·CY solved by Lanczos, and a
// second pass that scores the samples.
import type { Matrix } from '../../types.js';
import type { RowSource } from '../../validate/source.js';
import type { FincJob, FincOutcome } from '../../features/job.js';
import { FincSums } from '../../sums/finc-sums.js';
import { featureCacheBytes, READ_ROWS } from '../../sums/spec-sums.js';
import { Cooperative, StepSizer, drive, lap } from '../../runtime/cooperative.js';
import { parallelFinc } from '../../runtime/finc-driver.js';

/**
 * FINC's covariance route: on workers when `threads` allows (src/runtime), else
 * in process: one pass over each set into the sums, the solve, then a scoring
 * pass over each set that has modes.
 */
export async function fincCovarianceRoute(r: FincJob, coop: Cooperative, timings: Record<string, number>): Promise<FincOutcome> {
  return (await parallelFinc(r, coop, timings)) ?? inProcess(r, coop, timings);
}

async function inProcess(r: FincJob, coop: Cooperative, timings: Record<string, number>): Promise<FincOutcome> {
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
  const pass = async (s: RowSource, base: number, stage: 'accumulate' | 'scores', use: (m: Matrix) => Generator<void, void>, plan?: number[]) => {
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
        await drive(use({ data: data.subarray(r0 * s.cols, (r0 + step) * s.cols), rows: step, cols: s.cols }), coop, stage);
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
    const sol = await drive(acc.solveSteps({ topK: r.topK, samplesPerMode: r.samplesPerMode, returnScores: r.returnScores }), coop, 'solve');
    t = lap(timings, 'solve', t);
    const need = acc.needsScores();
    coop.progress('scores', 0, total);
    b0 = booked();
    if (need.x) await pass(sx, 0, 'scores', (m) => acc.scoreSteps(m, 'x'), planX);
    if (need.y) await pass(sy, sx.rows, 'scores', (m) => acc.scoreSteps(m, 'y'), planY);
    coop.progress('scores', total, total);
    lap(timings, 'scores', t);
    timings.scores -= booked() - b0;
    timings.features += acc.featureSeconds;
    return { modes: acc.modes(), specDiff: sol.specDiff, noiseDropped: sol.noiseDropped };
  } finally {
    acc.dispose();
  }
}

