// compare()'s covariance route over workers: rows are split into contiguous
// CHUNK_ROWS-aligned ranges, one per worker; each worker accumulates its share
// of C = ΨᵀΨ with its own wasm instance and the same random features; the main
// thread adds the sums in worker order (so the result depends on the thread
// count only through that summation order), solves, and the workers score their
// rows (from cached features when the data were in memory); their top samples
// are merged in worker order.
//
// Timings: `workers` is starting the workers and their shards; `read` the main
// thread's reading and copying of rows (which overlaps the workers' computing);
// `features` and `accumulate` (the SYRK) the largest over the workers of each;
// `scores` the scoring pass's wall time less its reading and the workers'
// largest feature seconds there.
import { featureDim } from '../features/kernel.js';
import { SpecSums, featureCacheBytes } from '../sums/spec-sums.js';
import { TopSamples, buildModes, type TopPartial } from '../score/modes.js';
import type { SpecJob, SpecOutcome } from '../features/job.js';
import { Cooperative, drive, lap } from './cooperative.js';
import { Crew, Progress, rowsToSend, heartbeat, planThreads, splitRows, slowest } from './plan.js';
import type { PartialReply, SumsReply } from './protocol.js';

/**
 * The covariance route's sums on `threads` workers, or null when it should run
 * in process: one thread, or no workers in this runtime (edge functions: a
 * silent fall-back).
 */
export async function parallelCompare(r: SpecJob, coop: Cooperative, timings: Record<string, number>): Promise<SpecOutcome | null> {
  const D = featureDim(r.kx, r.sx.cols) + featureDim(r.ky, r.sy.cols);
  const T = await planThreads(r.threads, r.n, D);
  if (T < 2) return null;
  const beat = heartbeat(coop.onProgress, { stage: 'accumulate', done: 0, total: r.n, message: 'rows' });
  try {
    return await onWorkers(r, { onProgress: beat.on, signal: coop.signal }, timings, T);
  } finally {
    beat.stop();
  }
}

async function onWorkers(r: SpecJob, o: Pick<Cooperative, 'onProgress' | 'signal'>, timings: Record<string, number>, T: number): Promise<SpecOutcome | null> {
  const { sx, sy, n } = r;
  let t = performance.now();
  // The main thread's accumulator first: a D × D beyond wasm memory fails before any worker starts.
  const coop = new Cooperative(o.signal, o.onProgress);
  const acc = await drive(SpecSums.ofSteps(r.kx, r.ky, r.eta, r.seed, sx, sy), coop, 'accumulate');
  const crew = await Crew.hireFor(acc, T, o.signal);
  if (!crew) return null;
  const ws = crew.workers;
  const ranges = splitRows(r.n, ws.length);
  let clean = false;
  try {
    const cacheBytes = Math.floor(featureCacheBytes(n, acc.D) / ws.length);
    const spec = { kind: 'spec' as const, kernelX: r.kx, kernelY: r.ky, eta: r.eta, seed: r.seed, dx: sx.cols, dy: sy.cols, names: [sx.name, sy.name], cacheBytes };
    await Promise.all(ws.map((w) => w.call({ op: 'shard', spec })));
    t = lap(timings, 'workers', t);
    let read = 0;
    const chunk = (op: 'add' | 'score') => (r0: number, rows: number) => {
      const t0 = performance.now();
      const x = rowsToSend(sx, r0, rows), y = rowsToSend(sy, r0, rows);
      read += (performance.now() - t0) / 1000;
      return { req: { op, set: 0, row0: r0, rows, x, y }, transfer: [x.buffer, y.buffer] };
    };
    const acc0 = new Progress('accumulate', n, o.onProgress);
    await crew.all(ws.map((w, i) => crew.feed(w, ranges[i][0], ranges[i][1], chunk('add'), acc0)));
    const parts = await Promise.all(ws.map((w) => w.call<SumsReply>({ op: 'sums' })));
    for (const [i, p] of parts.entries()) await drive(acc.addSumsSteps(p.sums[0], ranges[i][1] - ranges[i][0]), coop, 'accumulate');
    timings.read = (timings.read ?? 0) + read;
    timings.features = slowest(parts.map((p) => p.seconds.features));
    timings.accumulate = slowest(parts.map((p) => p.seconds.accumulate));
    t = performance.now();
    crew.check();
    const sol = await drive(acc.solveSteps(r), coop, 'solve');
    const { V, k } = acc.modeVectors();
    t = lap(timings, 'solve', t);
    crew.check();
    const top = new TopSamples(k, r.samplesPerMode, n, r.returnScores);
    read = 0;
    let scoreFeatures = 0;
    if (k > 0) {
      const prog = new Progress('scores', n, o.onProgress);
      const partials = await crew.all(ws.map(async (w, i) => {
        const [a, b] = ranges[i];
        await w.call({ op: 'scoreBegin', set: 0, V, k, scale: 1 / Math.sqrt(n), samplesPerMode: r.samplesPerMode, keepAll: r.returnScores, base: a, rows: b - a });
        if (parts[i].cachedAll) {
          await w.call({ op: 'score', set: 0, row0: a, rows: b - a });
          prog.add(b - a);
        } else {
          await crew.feed(w, a, b, chunk('score'), prog);
        }
        return w.call<PartialReply<TopPartial>>({ op: 'partial', set: 0 });
      }));
      partials.forEach((p, i) => top.absorb(p.top, ranges[i][0]));
      scoreFeatures = slowest(partials.map((p, i) => p.seconds.features - parts[i].seconds.features));
    }
    await Promise.all(ws.map((w) => w.call({ op: 'free' })));
    lap(timings, 'scores', t);
    timings.read += read;
    timings.features += scoreFeatures;
    timings.scores = Math.max(0, timings.scores - read - scoreFeatures);
    const chosen = sol.sides.map((side, i) => ({ side, value: sol.eigenvalues[i] }));
    clean = true;
    return { eigenvalues: sol.eigenvalues, modes: buildModes(chosen, top.finish()), specDiff: sol.specDiff, noiseDropped: sol.noiseDropped, threads: ws.length };
  } catch (e) {
    throw crew.error(e);
  } finally {
    acc.dispose();
    crew.finish(clean);
  }
}
