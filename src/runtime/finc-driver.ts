// finc()'s covariance route over workers: X's rows and Y's rows are each split
// into contiguous CHUNK_ROWS-aligned ranges, worker w taking range w of both;
// the main thread adds the sums SX, SY in worker order, solves, and the workers
// score their rows of each set that has modes; top samples merge in worker order.
// Timings as in ./spec.ts (features and accumulate: the largest over the workers).
import { FincSums } from '../sums/finc-sums.js';
import { fincMode } from '../methods/routes/finc-exact.js';
import { TopSamples, type TopPartial } from '../score/modes.js';
import { featureDim } from '../features/kernel.js';
import { featureCacheBytes } from '../sums/spec-sums.js';
import type { FincJob, FincOutcome } from '../features/job.js';
import { Cooperative, drive, lap } from './cooperative.js';
import { Crew, Progress, rowsToSend, heartbeat, planThreads, splitRows, slowest } from './plan.js';
import type { PartialReply, SumsReply } from './protocol.js';
import type { PoolWorker } from './pool.js';

/** The covariance route on workers, or null for the in-process path (one thread, or no workers here). */
export async function parallelFinc(r: FincJob, coop: Cooperative, timings: Record<string, number>): Promise<FincOutcome | null> {
  const total = r.sx.rows + r.sy.rows;
  const T = await planThreads(r.threads, total, featureDim(r.kernel, r.sx.cols));
  if (T < 2) return null;
  const beat = heartbeat(coop.onProgress, { stage: 'accumulate', done: 0, total, message: 'rows' });
  try {
    return await onWorkers(r, { onProgress: beat.on, signal: coop.signal }, timings, T);
  } finally {
    beat.stop();
  }
}

async function onWorkers(r: FincJob, o: Pick<Cooperative, 'onProgress' | 'signal'>, timings: Record<string, number>, T: number): Promise<FincOutcome | null> {
  const { sx, sy } = r;
  const total = sx.rows + sy.rows;
  let t = performance.now();
  // The main thread's accumulator first: a D × D beyond wasm memory fails before any worker starts.
  const coop = new Cooperative(o.signal, o.onProgress);
  const acc = await drive(FincSums.ofSteps(r.kernel, r.eta, r.seed, sx, sy), coop, 'accumulate');
  const crew = await Crew.hireFor(acc, T, o.signal);
  if (!crew) return null;
  const ws = crew.workers;
  const sets = [sx, sy];
  const ranges = sets.map((s) => splitRows(s.rows, ws.length));
  let clean = false;
  try {
    const cacheBytes = Math.floor(featureCacheBytes(sx.rows + sy.rows, acc.D) / ws.length);
    const spec = { kind: 'finc' as const, kernel: r.kernel, seed: r.seed, d: sx.cols, names: [sx.name, sy.name], cacheBytes };
    await Promise.all(ws.map((w) => w.call({ op: 'shard', spec })));
    t = lap(timings, 'workers', t);
    let read = 0;
    const chunk = (op: 'add' | 'score', set: number) => (r0: number, rows: number) => {
      const t0 = performance.now();
      const x = rowsToSend(sets[set], r0, rows);
      read += (performance.now() - t0) / 1000;
      return { req: { op, set, row0: r0, rows, x }, transfer: [x.buffer] };
    };
    const prog = new Progress('accumulate', total, o.onProgress);
    // Each worker takes its X range, then its Y range (in order: chunks of a shard arrive in sequence).
    const feedBoth = async (w: PoolWorker, i: number, op: 'add' | 'score', which: boolean[], p: Progress) => {
      for (const set of [0, 1]) if (which[set]) await crew.feed(w, ranges[set][i][0], ranges[set][i][1], chunk(op, set), p, set === 0 ? 0 : sx.rows);
    };
    await crew.all(ws.map((w, i) => feedBoth(w, i, 'add', [true, true], prog)));
    const parts = await Promise.all(ws.map((w) => w.call<SumsReply>({ op: 'sums' })));
    for (const [i, p] of parts.entries()) await drive(acc.addSumsSteps(p.sums[0], p.sums[1], ranges[0][i][1] - ranges[0][i][0], ranges[1][i][1] - ranges[1][i][0]), coop, 'accumulate');
    timings.read = (timings.read ?? 0) + read;
    timings.features = slowest(parts.map((p) => p.seconds.features));
    timings.accumulate = slowest(parts.map((p) => p.seconds.accumulate));
    t = performance.now();
    crew.check();
    const sol = await drive(acc.solveSteps({ topK: r.topK, samplesPerMode: r.samplesPerMode, returnScores: r.returnScores }), coop, 'solve');
    const vec = acc.modeVectors();
    t = lap(timings, 'solve', t);
    crew.check();
    const sides = [vec.x, vec.y];
    const tops = sides.map((s, set) => new TopSamples(s.k, r.samplesPerMode, sets[set].rows, r.returnScores));
    const need = sides.map((s) => s.k > 0);
    const sp = new Progress('scores', (need[0] ? sx.rows : 0) + (need[1] ? sy.rows : 0), o.onProgress);
    read = 0;
    const lastFeatures = parts.map((p) => p.seconds.features);
    const partials = await crew.all(ws.map(async (w, i) => {
      const out: (TopPartial | null)[] = [null, null];
      for (const set of [0, 1]) {
        if (!need[set]) continue;
        const [a, b] = ranges[set][i];
        await w.call({ op: 'scoreBegin', set, V: sides[set].V, k: sides[set].k, scale: 1, samplesPerMode: r.samplesPerMode, keepAll: r.returnScores, base: a, rows: b - a });
        if (parts[i].cachedAll) {
          await w.call({ op: 'score', set, row0: a, rows: b - a });
          sp.add(b - a);
        } else {
          await crew.feed(w, a, b, chunk('score', set), sp, set === 0 ? 0 : sx.rows);
        }
        const p = await w.call<PartialReply<TopPartial>>({ op: 'partial', set });
        out[set] = p.top;
        lastFeatures[i] = p.seconds.features;
      }
      return out;
    }));
    partials.forEach((p, i) => p.forEach((q, set) => q && tops[set].absorb(q, ranges[set][i][0])));
    await Promise.all(ws.map((w) => w.call({ op: 'free' })));
    lap(timings, 'scores', t);
    const scoreFeatures = slowest(lastFeatures.map((f, i) => f - parts[i].seconds.features));
    timings.read += read;
    timings.features += scoreFeatures;
    timings.scores = Math.max(0, timings.scores - read - scoreFeatures);
    const fx = tops[0].finish(), fy = tops[1].finish();
    let ix = 0, iy = 0;
    const modes = sol.sides.map((side, i) => {
      const tt = side === 'x' ? fx[ix++] : fy[iy++];
      return fincMode(side, side === 'x' ? ix : iy, sol.eigenvalues[i], tt, sol.shareX[i], sol.shareY[i]);
    });
    clean = true;
    return { modes, specDiff: sol.specDiff, noiseDropped: sol.noiseDropped, threads: ws.length };
  } catch (e) {
    throw crew.error(e);
  } finally {
    acc.dispose();
    crew.finish(clean);
  }
}
