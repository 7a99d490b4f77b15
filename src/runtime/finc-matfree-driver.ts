// finc()'s matrix-free solve on workers (docs/design.md, "Matrix-free solve"):
// each set's rows are split into contiguous CHUNK_ROWS-aligned ranges, worker w
// taking range w of X and of Y and keeping their f32 features
// (finc-matfree-shard.ts). Lanczos runs here on an external D × D operator
// whose every application is one round trip: x goes to every worker, each
// returns its f64 partial over its rows (block X then block Y, the in-process
// kernels), and the partials are added in worker order. Then the workers score
// their rows on the mode vectors; their top samples merge in worker order and
// their Σ score² over Y's rows add up in worker order. The metrics get each
// set's column sums and Σ‖φ‖², added in worker order.
//
// Timings: `workers` (starting them), `features` (feeding the rows while the
// workers compute), `solve` (messages included) and `scores`.
import type { FincJob } from '../features/job.js';
import { featureDim } from '../features/kernel.js';
import { extremeEigsSteps, type ExtremeEigOptions, type ExtremeEigResult } from '../solve/eigen.js';
import { TopSamples } from '../score/modes.js';
import type { FeatureMoments } from '../significance/finc-metrics.js';
import { type Cooperative, drive, lap } from './cooperative.js';
import { Crew, Progress, planThreads, rowsToSend, splitRows } from './plan.js';
import type { PoolWorker } from './pool.js';
import type { FincMatfreeStats, FincScoreReply } from './finc-matfree-shard.js';

/** The mode vectors the route chose from the solve: V (D × k f32, row-major) and, per set, the columns whose scores are kept. */
export interface FincChosen {
  V: Float32Array;
  k: number;
  keep: boolean[][];
}

/** What the solve on workers gives the route. */
export interface FincMatfreeSolved {
  res: ExtremeEigResult;
  /** Σ_b |w_b|·‖A_b‖_F²: the operator's scale bound. */
  scale: number;
  /** Per set (X, Y), the column sums and Σ‖φ‖² over every row. */
  moments: FeatureMoments[];
  /** Per set, every row's top samples; Σ score² per column over Y's rows. */
  tops: TopSamples[];
  sqY: Float64Array;
  threads: number;
}

/** Test hook (internal): operator applications made on workers. */
export const fincMatfreeCounters = { applications: 0 };

/**
 * FINC's matrix-free solve and scores on workers, or null when it should run in
 * process: one planned thread, or no workers in this runtime (a silent fall-back).
 * `choose` picks the mode vectors from the solve and its scale bound.
 */
export async function fincMatrixFreeOnWorkers(
  r: FincJob,
  k: number,
  eig: ExtremeEigOptions,
  choose: (res: ExtremeEigResult, scale: number) => FincChosen,
  coop: Cooperative,
  timings: Record<string, number>,
): Promise<FincMatfreeSolved | null> {
  const sets = [r.sx, r.sy];
  const rows = sets.map((s) => s.rows);
  const [nx, ny] = rows;
  const total = nx + ny;
  const D = featureDim(r.kernel, r.sx.cols);
  const T = await planThreads(r.threads, total, D);
  if (T < 2) return null;
  let t = performance.now();
  const crew = await Crew.hire(T, coop.signal);
  if (!crew) return null;
  const ws = crew.workers;
  const ranges = rows.map((n) => splitRows(n, ws.length));
  let clean = false;
  try {
    const base = { kernel: r.kernel, seed: r.seed, d: r.sx.cols, eta: r.eta, names: sets.map((s) => s.name), nx, ny };
    const mine = (i: number) => ranges.map((rs) => ({ row0: rs[i][0], rows: rs[i][1] - rs[i][0] }));
    await Promise.all(ws.map((w, i) => w.call({ op: 'mfFincBegin', spec: { ...base, ranges: mine(i) } })));
    t = lap(timings, 'workers', t);
    const prog = new Progress('features', total, coop.onProgress);
    const chunk = (set: number) => (row0: number, n: number) => {
      const x = rowsToSend(sets[set], row0, n);
      return { req: { op: 'mfFincAdd' as const, set, row0, rows: n, x }, transfer: [x.buffer] };
    };
    // a worker takes its range of X, then of Y (chunks of a shard arrive in sequence)
    const feedBoth = async (w: PoolWorker, i: number) => {
      for (const set of [0, 1]) await crew.feed(w, ranges[set][i][0], ranges[set][i][1], chunk(set), prog, set === 0 ? 0 : nx);
    };
    await crew.all(ws.map((w, i) => feedBoth(w, i)));
    const stats = await Promise.all(ws.map((w) => w.call<FincMatfreeStats>({ op: 'mfFincStats' })));
    // the blocks' squares summed over the workers in order, then weighted as gramScale does
    const weights = [1 / nx, -r.eta / ny];
    const scale = weights.reduce((s, wt, b) => s + (wt === 0 ? 0 : Math.abs(wt) * stats.reduce((f, p) => f + p.norms[b], 0)), 0);
    const moments = [0, 1].map((set) => {
      const sums = new Float64Array(D);
      let trace = 0;
      for (const p of stats) {
        const m = p.moments[set];
        for (let j = 0; j < D; j++) sums[j] += m.sums[j];
        trace += m.trace;
      }
      return { sums, trace };
    });
    t = lap(timings, 'features', t);
    const apply = (x: Float64Array) => applyOnWorkers(ws, x);
    const res = await drive(extremeEigsSteps({ kind: 'external', n: D, scale, apply }, k, eig), coop, 'solve');
    t = lap(timings, 'solve', t);
    crew.check();
    const chosen = choose(res, scale);
    const tops = rows.map((n, set) => new TopSamples(chosen.k, r.samplesPerMode, n, chosen.keep[set]));
    const sp = new Progress('scores', total, coop.onProgress);
    const parts = await crew.all(
      ws.map(async (w, i) => {
        const p = await w.call<FincScoreReply>({ op: 'mfFincScore', V: chosen.V, k: chosen.k, samplesPerMode: r.samplesPerMode, keep: chosen.keep });
        sp.add(ranges[0][i][1] - ranges[0][i][0] + ranges[1][i][1] - ranges[1][i][0]);
        return p;
      }),
    );
    const sqY = new Float64Array(chosen.k);
    parts.forEach((p, i) => {
      p.tops.forEach((top, set) => tops[set].absorb(top, ranges[set][i][0]));
      for (let j = 0; j < sqY.length; j++) sqY[j] += p.sqY[j];
    });
    await Promise.all(ws.map((w) => w.call({ op: 'free' })));
    lap(timings, 'scores', t);
    clean = true;
    return { res, scale, moments, tops, sqY, threads: ws.length };
  } catch (e) {
    throw crew.error(e);
  } finally {
    crew.finish(clean);
  }
}

/** y = (CX − ηCY)x: every worker's f64 partial over its rows, added in worker order. */
async function applyOnWorkers(ws: PoolWorker[], x: Float64Array): Promise<Float64Array> {
  fincMatfreeCounters.applications++;
  const parts = await Promise.all(ws.map((w) => w.call<Float64Array>({ op: 'mfFincApply', x })));
  const y = new Float64Array(x.length);
  for (const p of parts) for (let c = 0; c < y.length; c++) y[c] += p[c];
  return y;
}
