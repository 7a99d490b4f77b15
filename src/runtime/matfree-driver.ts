// compare()'s matrix-free solve on workers (docs/design.md, "Matrix-free
// solve"): the rows are split into contiguous CHUNK_ROWS-aligned ranges, each
// worker computes and keeps the f32 features of its range (matfree-shard.ts),
// and Lanczos runs here on an external operator whose every application is two
// round trips: t = Σ_w A_wᵀx (the workers' f64 partials added in worker order,
// then demoted to f32), then y = the workers' rows of Σ_b w_b·A_b t_b. Only the
// order of t's sums differs from the in-process operator, so results agree with
// one thread to rounding and are bit-identical across repeats.
//
// Timings: `workers` is starting the workers and their shards, `features` the
// feeding of rows (the workers computing their features meanwhile), `solve` the
// Lanczos solve (messages included).
import type { SpecJob } from '../features/job.js';
import { featureDim } from '../features/kernel.js';
import { extremeEigsSteps, type ExtremeEigOptions, type ExtremeEigResult } from '../solve/eigen.js';
import { type Cooperative, drive, lap } from './cooperative.js';
import { Crew, Progress, planThreads, rowsToSend, splitRows } from './plan.js';
import type { PoolWorker } from './pool.js';

/** The solve of Λ on workers, with Λ's scale bound Σ_b |w_b|·‖A_b‖_F² and the workers used. */
export interface MatfreeSolved {
  res: ExtremeEigResult;
  scale: number;
  threads: number;
}

/** Test hook (internal): operator applications made on workers. */
export const matfreeCounters = { applications: 0 };

/**
 * The k extreme eigenpairs of Λ on workers, or null when the solve should run in
 * process: one planned thread, or no workers in this runtime (a silent fall-back).
 */
export async function matrixFreeOnWorkers(
  job: SpecJob,
  k: number,
  eig: ExtremeEigOptions,
  coop: Cooperative,
  timings: Record<string, number>,
): Promise<MatfreeSolved | null> {
  const { n, eta } = job;
  const T = await planThreads(job.threads, n, featureDim(job.kx, job.sx.cols) + featureDim(job.ky, job.sy.cols));
  if (T < 2) return null;
  let t = performance.now();
  const crew = await Crew.hire(T, coop.signal);
  if (!crew) return null;
  const ws = crew.workers;
  const ranges = splitRows(n, ws.length);
  let clean = false;
  try {
    const names = [job.sx.name, job.sy.name];
    const base = { kernelX: job.kx, kernelY: job.ky, seed: job.seed, dx: job.sx.cols, dy: job.sy.cols, eta, names, n };
    await Promise.all(ws.map((w, i) => w.call({ op: 'mfBegin', spec: { ...base, row0: ranges[i][0], rows: ranges[i][1] - ranges[i][0] } })));
    t = lap(timings, 'workers', t);
    const prog = new Progress('features', n, coop.onProgress);
    const chunk = (row0: number, rows: number) => {
      const x = rowsToSend(job.sx, row0, rows);
      // η = 0: Y's block has weight 0, its rows are never read
      const y = eta > 0 ? rowsToSend(job.sy, row0, rows) : undefined;
      return { req: { op: 'mfAdd' as const, row0, rows, x, y }, transfer: y ? [x.buffer, y.buffer] : [x.buffer] };
    };
    await crew.all(ws.map((w, i) => crew.feed(w, ranges[i][0], ranges[i][1], chunk, prog)));
    const norms = await Promise.all(ws.map((w) => w.call<Float64Array>({ op: 'mfNorms' })));
    const weights = eta > 0 ? [1 / n, -eta / n] : [1 / n];
    // the blocks' squares summed over the workers in order, then weighted as gramScale does
    const scale = weights.reduce((s, wt, b) => s + Math.abs(wt) * norms.reduce((f, p) => f + p[b], 0), 0);
    t = lap(timings, 'features', t);
    const apply = (x: Float64Array) => applyOnWorkers(ws, ranges, x);
    const res = await drive(extremeEigsSteps({ kind: 'external', n, scale, apply }, k, eig), coop, 'solve');
    await Promise.all(ws.map((w) => w.call({ op: 'free' })));
    lap(timings, 'solve', t);
    clean = true;
    return { res, scale, threads: ws.length };
  } catch (e) {
    throw crew.error(e);
  } finally {
    crew.finish(clean);
  }
}

/** y = Λx: every worker's t partial, their f64 sum in worker order demoted to f32, then every worker's rows of y. */
async function applyOnWorkers(ws: PoolWorker[], ranges: [number, number][], x: Float64Array): Promise<Float64Array> {
  matfreeCounters.applications++;
  const parts = await Promise.all(
    ws.map((w, i) => {
      const xs = x.slice(ranges[i][0], ranges[i][1]);
      return w.call<Float64Array>({ op: 'mfT', x: xs }, [xs.buffer]);
    }),
  );
  const t = new Float64Array(parts[0].length);
  for (const p of parts) for (let c = 0; c < t.length; c++) t[c] += p[c];
  // Float32Array rounds to nearest, as the in-process demotion does
  const t32 = Float32Array.from(t);
  const ys = await Promise.all(ws.map((w) => w.call<Float64Array>({ op: 'mfN', t: t32 })));
  const y = new Float64Array(x.length);
  ys.forEach((v, i) => y.set(v, ranges[i][0]));
  return y;
}
