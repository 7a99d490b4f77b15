// FINC's matrix-free solver on workers (src/runtime/finc-matfree-driver.ts and
// finc-matfree-shard.ts): with two or three workers holding each set's rows'
// features, it must report what one thread reports (eigenvalues, SPEC-diff,
// shares and MMD² within 1e-12 relative: only the order of the f64 sums over the
// workers differs; the same top samples), be bit-identical across repeats, say
// that it ran on workers, and stop on abort with no workers or wasm allocations
// left behind.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, terminateWorkers } from '../../../../src/index.js';
import { fincCovarianceRoute } from '../../../../src/methods/routes/finc-covariance.js';
import { fincMatfreeCounters } from '../../../../src/runtime/finc-matfree-driver.js';
import { FincMetricsSink } from '../../../../src/significance/finc-metrics.js';
import { liveAllocations } from '../../../../src/wasm/memory.js';
import { pool } from '../../../../src/runtime/pool.js';
import type { FincOutcome } from '../../../../src/features/job.js';
import type { KernelOption, Matrix } from '../../../../src/types/index.js';
import { randomF32 } from '../../../shared/rng.mjs';
import { Counting, fincJob } from './jobs.js';

await init();
after(() => terminateWorkers());

type M32 = Matrix & { data: Float32Array };
const mat = (rows: number, cols: number, seed: number): M32 => ({ data: randomF32(rows * cols, seed), rows, cols });

/** Rows with a planted direction: every 5th row leans on column (row mod 3) (X's modes to find), shifted by `shift` overall. */
function planted(rows: number, cols: number, seed: number, shift = 0): M32 {
  const m = mat(rows, cols, seed);
  for (let i = 0; i < rows; i++) {
    if (i % 5 === 0) m.data[i * cols + (i % 3)] += 3;
    for (let j = 0; j < cols; j++) m.data[i * cols + j] += shift;
  }
  return m;
}

interface Opts {
  kernel?: KernelOption;
  eta?: number;
  topK?: number;
  samplesPerMode?: number;
  seed?: number;
  returnScores?: boolean;
}

async function run(X: Matrix, Y: Matrix, o: Opts, threads: number, coop = new Counting()) {
  const timings: Record<string, number> = {};
  const sink = new FincMetricsSink(false);
  const job = { ...fincJob(X, Y, { ...o, solver: 'matrix-free' }), threads };
  const out = await fincCovarianceRoute(job, coop, timings, sink);
  return { out, timings, mmd2: sink.mmd2 };
}

const rel = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(scale), Number.MIN_VALUE);

/** Same modes as one thread: eigenvalues, SPEC-diff, shares within 1e-12 of the largest |λ|, identical top samples. */
function sameAsOneThread(got: FincOutcome, one: FincOutcome): void {
  assert.equal(got.solver, 'matrix-free');
  const norm = Math.max(...one.modes.map((m) => Math.abs(m.eigenvalue)), Math.abs(one.specDiff.xNotY), Math.abs(one.specDiff.yNotX));
  assert.ok(one.modes.length > 0);
  assert.deepEqual(
    got.modes.map((m) => `${m.side}${m.rank}`),
    one.modes.map((m) => `${m.side}${m.rank}`),
  );
  assert.ok(rel(got.specDiff.xNotY, one.specDiff.xNotY, norm), `xNotY ${got.specDiff.xNotY} vs ${one.specDiff.xNotY}`);
  assert.ok(rel(got.specDiff.yNotX, one.specDiff.yNotX, norm), `yNotX ${got.specDiff.yNotX} vs ${one.specDiff.yNotX}`);
  assert.equal(got.noiseDropped, one.noiseDropped);
  one.modes.forEach((m, i) => {
    const g = got.modes[i];
    assert.ok(rel(g.eigenvalue, m.eigenvalue, norm), `${m.side}${m.rank} eigenvalue ${g.eigenvalue} vs ${m.eigenvalue}`);
    assert.ok(rel(g.shareX, m.shareX, m.shareX), `${m.side}${m.rank} shareX ${g.shareX} vs ${m.shareX}`);
    assert.ok(rel(g.shareY, m.shareY, m.shareY), `${m.side}${m.rank} shareY ${g.shareY} vs ${m.shareY}`);
    assert.deepEqual(g.top, m.top, `${m.side}${m.rank} top samples`);
    assert.deepEqual(g.bottom, m.bottom, `${m.side}${m.rank} bottom samples`);
    if (m.scores) {
      assert.equal(g.scores!.length, m.scores.length);
      for (let r = 0; r < m.scores.length; r++) assert.ok(Math.abs(g.scores![r] - m.scores[r]) <= 1e-10, `${m.side}${m.rank} score ${r}`);
    }
  });
}

test('threads 2 and 3 equal one thread (cosine, nx = 2600, ny = 2300, η = 1): eigenvalues, SPEC-diff, shares, MMD², top samples', async () => {
  const X = planted(2600, 12, 1),
    Y = planted(2300, 12, 2, 0.4);
  const o = { topK: 4, samplesPerMode: 15, returnScores: true };
  const one = await run(X, Y, o, 1);
  assert.equal(one.out.threads, undefined, 'one thread runs in process');
  assert.equal(one.timings.workers, undefined);
  assert.ok(Number.isFinite(one.mmd2) && one.mmd2 > 0);
  for (const threads of [2, 3]) {
    const before = fincMatfreeCounters.applications;
    const got = await run(X, Y, o, threads);
    assert.equal(got.out.threads, threads, `ran on ${threads} workers`);
    assert.ok(got.timings.workers >= 0 && got.timings.features >= 0 && got.timings.solve >= 0 && got.timings.scores >= 0);
    assert.ok(fincMatfreeCounters.applications - before >= 2 * o.topK, 'the operator was applied on the workers');
    sameAsOneThread(got.out, one.out);
    assert.ok(rel(got.mmd2, one.mmd2, one.mmd2), `MMD² ${got.mmd2} vs ${one.mmd2}`);
  }
});

test('bit-identical across repeats at threads 2 (Gaussian RFF, η = 0.7)', async () => {
  const X = planted(2100, 9, 3),
    Y = planted(1900, 9, 4, -0.3);
  const o = { kernel: { type: 'gaussian' as const, sigma: 2, rffDim: 40 }, eta: 0.7, seed: 5, topK: 3, samplesPerMode: 10, returnScores: true };
  const a = await run(X, Y, o, 2),
    b = await run(X, Y, o, 2);
  assert.equal(a.out.threads, 2);
  assert.deepEqual(b.out, a.out);
  assert.equal(b.mmd2, a.mmd2);
  const one = await run(X, Y, o, 1);
  sameAsOneThread(a.out, one.out);
  assert.ok(rel(a.mmd2, one.mmd2, one.mmd2), `MMD² ${a.mmd2} vs ${one.mmd2}`);
});

test('η = 0: two workers equal one thread (Y weighs nothing in the operator, its scores still give shareY)', async () => {
  const X = planted(1500, 8, 6),
    Y = planted(1200, 8, 7, 0.2);
  const o = { eta: 0, topK: 3, samplesPerMode: 8 };
  const two = await run(X, Y, o, 2);
  assert.equal(two.out.threads, 2);
  const one = await run(X, Y, o, 1);
  sameAsOneThread(two.out, one.out);
  assert.ok(rel(two.mmd2, one.mmd2, one.mmd2));
});

test('abort mid-solve rejects with AbortError and leaves no workers or wasm allocations', async () => {
  const X = planted(2600, 12, 8),
    Y = planted(2600, 12, 9, 0.4);
  const ac = new AbortController();
  const before = fincMatfreeCounters.applications;
  // aborts from the progress of the solve once five applications have gone to the workers
  class Stopper extends Counting {
    override progress(...a: Parameters<Counting['progress']>): void {
      super.progress(...a);
      if (a[0] === 'solve' && fincMatfreeCounters.applications - before >= 5) ac.abort();
    }
  }
  const coop = new Stopper(ac.signal);
  const live = liveAllocations();
  await assert.rejects(run(X, Y, { topK: 4 }, 2, coop), { name: 'AbortError' });
  const applied = fincMatfreeCounters.applications - before;
  assert.ok(applied >= 5 && applied < 200, `${applied} applications before the abort`);
  assert.equal(liveAllocations(), live);
  const p = pool as unknown as { busy: Set<unknown>; idle: unknown[]; all: Set<unknown> };
  assert.equal(p.busy.size, 0, 'no worker still in use');
  assert.equal(p.all.size, p.idle.length, 'every live worker is idle: the aborted ones were terminated');
});

test('progress: features by rows of both sets, then the solve, then the scores of every row', async () => {
  const coop = new Counting();
  await run(planted(2100, 6, 10), planted(1100, 6, 11, 0.3), { topK: 3 }, 2, coop);
  assert.deepEqual([...new Set(coop.events.map((e) => e.stage))], ['features', 'solve', 'scores']);
  const feats = coop.events.filter((e) => e.stage === 'features');
  assert.deepEqual([feats[0].done, feats.at(-1)!.done, feats.at(-1)!.total], [0, 3200, 3200]);
  assert.deepEqual(coop.events.at(-1), { stage: 'scores', done: 3200, total: 3200, message: 'rows' });
});

test('finc(): threads 2 reports its workers, and MMD² and the modes as one thread does', async () => {
  const { finc } = await import('../../../../src/index.js');
  const X = planted(2100, 8, 12),
    Y = planted(1700, 8, 13, 0.5);
  const o = { method: 'covariance' as const, solver: 'matrix-free' as const, kernel: { type: 'gaussian' as const, sigma: 3, rffDim: 30 }, topK: 3 };
  const one = await finc(X, Y, { ...o, threads: 1 }),
    two = await finc(X, Y, { ...o, threads: 2 });
  assert.equal(one.threads, undefined);
  assert.equal(two.threads, 2);
  assert.equal(two.solver, 'matrix-free');
  assert.ok(rel(two.metrics!.mmd2.value, one.metrics!.mmd2.value, one.metrics!.mmd2.value), `${two.metrics!.mmd2.value} vs ${one.metrics!.mmd2.value}`);
  assert.deepEqual(
    two.modes.map((m) => m.top),
    one.modes.map((m) => m.top),
  );
});

test('a set smaller than one chunk: the second worker holds none of its rows, and two workers still equal one thread', async () => {
  const X = planted(2100, 6, 14),
    Y = planted(40, 6, 15, 0.5);
  const o = { topK: 2, samplesPerMode: 5, returnScores: true };
  const two = await run(X, Y, o, 2);
  assert.equal(two.out.threads, 2);
  const one = await run(X, Y, o, 1);
  sameAsOneThread(two.out, one.out);
  assert.ok(rel(two.mmd2, one.mmd2, one.mmd2));
});
