// A covariance route's sums over workers, for any method: each set's rows are
// split into contiguous CHUNK_ROWS-aligned ranges, worker w taking range w of
// every set (in set order); each worker accumulates its share with its own wasm
// instance and the same random features; the main thread adds the sums in
// worker order (so the result depends on the thread count only through that
// summation order), solves, and the workers score their rows of each set that
// has modes (from cached features when the data were in memory); their top and
// bottom samples and score histograms merge in worker order. What differs between methods (the sums, the
// sets' sources, the shard, the solve, the outcome) is a WorkerSums declaration.
//
// Timings: `workers` is starting the workers and their shards; `read` the main
// thread's reading and copying of rows (which overlaps the workers' computing);
// `features` and `accumulate` (the SYRK) the largest over the workers of each;
// `scores` the scoring pass's wall time less its reading and the workers'
// largest feature seconds there.
import type { Sums } from '../sums/sums.js';
import type { ModeVectors } from '../sums/score-pass.js';
import { featureCacheBytes } from '../sums/features-pass.js';
import { TopSamples, type TopPartial } from '../score/modes.js';
import { keepOf } from '../score/scoring.js';
import type { RowSource } from '../validate/source.js';
import { Cooperative, drive, lap, type Step } from './cooperative.js';
import { Crew, Progress, rowsToSend, heartbeat, planThreads, splitRows, slowest } from './plan.js';
import type { PartialReply, ShardSpec, SumsReply } from './protocol.js';
import type { PoolWorker } from './pool.js';

/** A solved sums, as the scoring pass needs it: per set, its mode vectors. */
export interface SolvedSums {
  vectors: ModeVectors[];
  samplesPerMode: number;
  returnScores: boolean;
}

type Omitted<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One method's covariance route, declared for the driver. */
export interface WorkerSums<S extends Sums, V extends SolvedSums, O> {
  /** Per set, the sources a row of it pairs (SPEC: [[X, Y]]; FINC: [[X], [Y]]). */
  sets: RowSource[][];
  /** Features per row (plans the thread count). */
  D: number;
  /** The caller's thread option. */
  threads?: number;
  /** The main thread's sums, zeroed in steps (a D × D beyond wasm memory fails here, before any worker starts). */
  sums(): Generator<void, S>;
  /** What each worker's shard accumulates (the driver adds the cache budget). */
  shard: Omitted<ShardSpec, 'cacheBytes'>;
  solve(sums: S): Generator<Step, V>;
  /** The route's outcome from the solve and every set's merged top samples. */
  outcome(solved: V, tops: TopSamples[], threads: number): O;
}

/**
 * The route's sums on workers, or null when it should run in process: one
 * thread, or no workers in this runtime (edge functions: a silent fall-back).
 */
export async function onWorkers<S extends Sums, V extends SolvedSums, O>(
  w: WorkerSums<S, V, O>,
  coop: Cooperative,
  timings: Record<string, number>,
): Promise<O | null> {
  const total = w.sets.reduce((s, set) => s + set[0].rows, 0);
  const T = await planThreads(w.threads, total, w.D);
  if (T < 2) return null;
  const beat = heartbeat(coop.onProgress, { stage: 'accumulate', done: 0, total, message: 'rows' }, coop.signal);
  try {
    return await run(w, { onProgress: beat.on, signal: coop.signal }, timings, T);
  } finally {
    beat.stop();
  }
}

async function run<S extends Sums, V extends SolvedSums, O>(
  w: WorkerSums<S, V, O>,
  o: Pick<Cooperative, 'onProgress' | 'signal'>,
  timings: Record<string, number>,
  T: number,
): Promise<O | null> {
  const rows = w.sets.map((set) => set[0].rows);
  const total = rows.reduce((a, b) => a + b, 0);
  // Where row 0 of each set stands in one thread's order (FINC: Y's rows after all of X's).
  const order = rows.map((_, i) => rows.slice(0, i).reduce((a, b) => a + b, 0));
  let t = performance.now();
  const coop = new Cooperative(o.signal, o.onProgress);
  const acc = await drive(w.sums(), coop, 'accumulate');
  const crew = await Crew.hireFor(acc, T, o.signal);
  if (!crew) return null;
  const ws = crew.workers;
  const ranges = rows.map((n) => splitRows(n, ws.length));
  const share = (i: number) => ranges.map((r) => r[i][1] - r[i][0]);
  let clean = false;
  try {
    const spec = { ...w.shard, cacheBytes: Math.floor(featureCacheBytes(total, acc.D) / ws.length) } as ShardSpec;
    await Promise.all(ws.map((wk) => wk.call({ op: 'shard', spec })));
    t = lap(timings, 'workers', t);
    let read = 0;
    const chunk = (op: 'add' | 'score', set: number) => (r0: number, n: number) => {
      const t0 = performance.now();
      const [x, y] = w.sets[set].map((src) => rowsToSend(src, r0, n));
      read += (performance.now() - t0) / 1000;
      return { req: y ? { op, set, row0: r0, rows: n, x, y } : { op, set, row0: r0, rows: n, x }, transfer: y ? [x.buffer, y.buffer] : [x.buffer] };
    };
    // A worker takes its range of each set in turn (chunks of a shard arrive in sequence).
    const feedSets = async (wk: PoolWorker, i: number, op: 'add' | 'score', p: Progress, which = rows.map(() => true)) => {
      for (const set of rows.keys()) if (which[set]) await crew.feed(wk, ranges[set][i][0], ranges[set][i][1], chunk(op, set), p, order[set]);
    };
    const prog = new Progress('accumulate', total, o.onProgress);
    await crew.all(ws.map((wk, i) => feedSets(wk, i, 'add', prog)));
    const parts = await Promise.all(ws.map((wk) => wk.call<SumsReply>({ op: 'sums' })));
    for (const [i, p] of parts.entries()) await drive(acc.addSumsSteps(p.sums, share(i), p.colSums ?? undefined), coop, 'accumulate');
    timings.read = (timings.read ?? 0) + read;
    timings.features = slowest(parts.map((p) => p.seconds.features));
    timings.accumulate = slowest(parts.map((p) => p.seconds.accumulate));
    t = performance.now();
    crew.check();
    const solved = await drive(w.solve(acc), coop, 'solve');
    t = lap(timings, 'solve', t);
    crew.check();
    const vecs = solved.vectors;
    const keep = vecs.map((v) => keepOf(v, solved.returnScores));
    const tops = vecs.map((v, set) => new TopSamples(v.k, solved.samplesPerMode, rows[set], keep[set]));
    const need = vecs.map((v) => v.k > 0);
    const sp = new Progress(
      'scores',
      rows.reduce((s, n, set) => s + (need[set] ? n : 0), 0),
      o.onProgress,
    );
    read = 0;
    const lastFeatures = parts.map((p) => p.seconds.features);
    const partials = await crew.all(
      ws.map(async (wk, i) => {
        const out: (TopPartial | null)[] = vecs.map(() => null);
        for (const set of rows.keys()) {
          if (!need[set]) continue;
          const [a, b] = ranges[set][i],
            { V, k, scale } = vecs[set];
          await wk.call({ op: 'scoreBegin', set, V, k, scale, samplesPerMode: solved.samplesPerMode, keepAll: keep[set], base: a, rows: b - a });
          if (parts[i].cachedAll) {
            await wk.call({ op: 'score', set, row0: a, rows: b - a });
            sp.add(b - a);
          } else {
            await crew.feed(wk, a, b, chunk('score', set), sp, order[set]);
          }
          const p = await wk.call<PartialReply<TopPartial>>({ op: 'partial', set });
          out[set] = p.top;
          lastFeatures[i] = p.seconds.features;
        }
        return out;
      }),
    );
    partials.forEach((p, i) => p.forEach((q, set) => q && tops[set].absorb(q, ranges[set][i][0])));
    await Promise.all(ws.map((wk) => wk.call({ op: 'free' })));
    lap(timings, 'scores', t);
    const scoreFeatures = slowest(lastFeatures.map((f, i) => f - parts[i].seconds.features));
    timings.read += read;
    timings.features += scoreFeatures;
    timings.scores = Math.max(0, timings.scores - read - scoreFeatures);
    // the outcome assembles the modes (their ends, from the merged histograms): part of `scores`
    const t0 = performance.now();
    const out = w.outcome(solved, tops, ws.length);
    lap(timings, 'scores', t0);
    clean = true;
    return out;
  } catch (e) {
    throw crew.error(e);
  } finally {
    acc.dispose();
    crew.finish(clean);
  }
}
