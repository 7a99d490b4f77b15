// compare()'s covariance route over workers: rows are split into contiguous
// CHUNK_ROWS-aligned ranges, one per worker; each worker accumulates its share
// of C = ΨᵀΨ with its own wasm instance and the same random features; the main
// thread adds the sums in worker order (so the result depends on the thread
// count only through that summation order), solves, and the workers score their
// rows (from cached features when the data were in memory); their top samples
// are merged in worker order.
import type { Kernel } from '../kernel-spec.js';
import { featureDim } from '../kernel-spec.js';
import { SpecAccumulator } from '../accumulator.js';
import { kernelOption } from '../feature-map.js';
import { InputError } from '../errors.js';
import { TopSamples, buildModes, type TopPartial } from '../modes.js';
import type { CompareOptions, Mode, SpecDiff } from '../types.js';
import type { RowSource } from '../source.js';
import { Crew, Progress, copyF32, heartbeat, planThreads, splitRows, threadsOption } from './plan.js';

/** What compare() resolved (a structural subset of its internal `Resolved`). */
export interface SpecRun {
  sx: RowSource;
  sy: RowSource;
  n: number;
  kx: Kernel;
  ky: Kernel;
  eta: number;
  topK: number;
  seed: number;
  samplesPerMode: number;
  returnScores: boolean;
  cacheFeatures: boolean;
}

export interface SpecRouteResult {
  eigenvalues: Float64Array;
  modes: Mode[];
  specDiff: SpecDiff;
  noiseDropped: number;
  /** Workers the passes ran on. */
  threads: number;
}

/** Per-worker feature cache when the data are in memory (compare's in-process budget, shared). */
const FEATURE_CACHE_BYTES = 512 * 2 ** 20;

/**
 * The covariance route on `threads` workers, or null when it should run in
 * process: one thread, n ≤ D (the n × n feature-Gram route), or no workers in
 * this runtime (edge functions: a silent fall-back).
 */
export async function parallelCompare(r: SpecRun, o: CompareOptions, timings: Record<string, number>, exactMax: number): Promise<SpecRouteResult | null> {
  const { sx, sy, n } = r;
  const DX = featureDim(r.kx, r.sx.cols), DY = featureDim(r.ky, r.sy.cols), D = DX + DY;
  if (r.n <= D && r.n <= exactMax) return null;
  const T = await planThreads(threadsOption(o.threads), r.n, D);
  if (T < 2) return null;
  const beat = heartbeat(o.onProgress, { stage: 'accumulate', done: 0, total: n, message: 'rows' });
  try {
    return await onWorkers(r, { ...o, onProgress: beat.on }, timings, T);
  } finally {
    beat.stop();
  }
}

async function onWorkers(r: SpecRun, o: CompareOptions, timings: Record<string, number>, T: number): Promise<SpecRouteResult | null> {
  const { sx, sy, n } = r;
  // The main thread's accumulator first: a D × D beyond wasm memory fails before any worker starts.
  const acc = new SpecAccumulator({ kernelX: kernelOption(r.kx), kernelY: kernelOption(r.ky), eta: r.eta, seed: r.seed, dx: sx.cols, dy: sy.cols });
  let crew: Crew | null;
  try {
    crew = await Crew.hire(T, o.signal);
  } catch (e) {
    acc.dispose();
    throw e;
  }
  if (!crew) {
    acc.dispose();
    return null;
  }
  const ws = crew.workers;
  const ranges = splitRows(r.n, ws.length);
  let clean = false;
  try {
    let t = performance.now();
    const cacheBytes = r.cacheFeatures ? Math.floor(FEATURE_CACHE_BYTES / ws.length) : 0;
    const spec = { kind: 'spec' as const, kernelX: r.kx, kernelY: r.ky, eta: r.eta, seed: r.seed, dx: sx.cols, dy: sy.cols, cacheBytes };
    await Promise.all(ws.map((w) => w.call({ op: 'shard', spec })));
    const chunk = (op: 'add' | 'score') => (r0: number, rows: number) => {
      const x = copyF32(sx.read(r0, rows)), y = copyF32(sy.read(r0, rows));
      return { req: { op, set: 0, row0: r0, rows, x, y }, transfer: [x.buffer, y.buffer] };
    };
    const acc0 = new Progress('accumulate', n, o.onProgress);
    await Promise.all(ws.map((w, i) => crew.feed(w, ranges[i][0], ranges[i][1], chunk('add'), acc0)));
    const parts = await Promise.all(ws.map((w) => w.call<{ sums: Float64Array[]; cachedAll: boolean }>({ op: 'sums' })));
    parts.forEach((p, i) => acc.addSums(p.sums[0], ranges[i][1] - ranges[i][0]));
    t = lap(timings, 'accumulate', t);
    crew.check();
    const sol = await acc.solveAsync({ topK: r.topK, samplesPerMode: r.samplesPerMode, returnScores: r.returnScores, onProgress: o.onProgress, signal: o.signal });
    const { V, k } = acc.modeVectors();
    t = lap(timings, 'solve', t);
    crew.check();
    const top = new TopSamples(k, r.samplesPerMode, n, r.returnScores);
    if (k > 0) {
      const prog = new Progress('scores', n, o.onProgress);
      const partials = await Promise.all(ws.map(async (w, i) => {
        const [a, b] = ranges[i];
        await w.call({ op: 'scoreBegin', set: 0, V, k, scale: 1 / Math.sqrt(n), samplesPerMode: r.samplesPerMode, keepAll: r.returnScores, base: a, rows: b - a });
        if (parts[i].cachedAll) {
          await w.call({ op: 'score', set: 0, row0: a, rows: b - a });
          prog.add(b - a);
        } else {
          await crew.feed(w, a, b, chunk('score'), prog);
        }
        return w.call<TopPartial>({ op: 'partial', set: 0 });
      }));
      partials.forEach((p, i) => top.absorb(p, ranges[i][0]));
    }
    await Promise.all(ws.map((w) => w.call({ op: 'free' })));
    lap(timings, 'scores', t);
    const chosen = sol.sides.map((side, i) => ({ side, value: sol.eigenvalues[i] }));
    clean = true;
    return { eigenvalues: sol.eigenvalues, modes: buildModes(chosen, top.finish()), specDiff: sol.specDiff, noiseDropped: sol.noiseDropped, threads: ws.length };
  } catch (e) {
    throw renamed(crew.error(e), sx, sy);
  } finally {
    acc.dispose();
    crew.finish(clean);
  }
}

function lap(timings: Record<string, number>, key: string, t: number): number {
  const now = performance.now();
  timings[key] = (timings[key] ?? 0) + (now - t) / 1000;
  return now;
}

/** The workers name sources 'X' and 'Y'; a caller's sources may have other names (files). */
export function renamed(e: unknown, sx: RowSource, sy: RowSource): unknown {
  if (e instanceof InputError && (e.source === 'X' || e.source === 'Y')) {
    const name = e.source === 'X' ? sx.name : sy.name;
    if (name !== e.source) return new InputError(e.message.slice(e.source.length + 2), name);
  }
  return e;
}
