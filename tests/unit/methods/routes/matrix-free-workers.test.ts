// The matrix-free solver on workers (src/runtime/matfree-driver.ts and
// matfree-shard.ts): with two or three workers holding the rows' features, it
// must report what one thread reports (eigenvalues within 1e-12 of ‖Λ‖, the
// same top samples, scores within 1e-10: only the order of one f64 sum per
// application differs), be bit-identical across repeats, match the NumPy eigh
// fixture the in-process tests use, say that it ran on workers, and stop on
// abort with no workers or wasm allocations left behind.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, terminateWorkers } from '../../../../src/index.js';
import { covarianceRoute } from '../../../../src/methods/routes/covariance.js';
import { matfreeCounters } from '../../../../src/runtime/matfree-driver.js';
import { liveAllocations } from '../../../../src/wasm/memory.js';
import { pool } from '../../../../src/runtime/pool.js';
import type { SpecOutcome } from '../../../../src/features/job.js';
import type { Matrix } from '../../../../src/types/index.js';
import { randomF32 } from '../../../shared/rng.mjs';
import { checkModes, Counting, fixture, maxDiff, rowsOf, specJob } from './jobs.js';

await init();
after(() => terminateWorkers());

type M32 = Matrix & { data: Float32Array };
const mat = (rows: number, cols: number, seed: number): M32 => ({ data: randomF32(rows * cols, seed), rows, cols });

/** Rows with a planted cluster: every 7th row leans on column (row mod 7) of the first 5. */
function planted(rows: number, cols: number, seed: number): M32 {
  const m = mat(rows, cols, seed);
  for (let i = 0; i < rows; i++) if (i % 7 < 5) m.data[i * cols + (i % 7)] += 3;
  return m;
}

type Opts = Parameters<typeof specJob>[2];

async function run(X: Matrix, Y: Matrix, o: Opts, threads: number, coop = new Counting()): Promise<{ out: SpecOutcome; timings: Record<string, number> }> {
  const timings: Record<string, number> = {};
  const out = await covarianceRoute(specJob(X, Y, { ...o, threads, solver: 'matrix-free' }), coop, timings);
  return { out, timings };
}

/** Same modes as one thread: eigenvalues and SPEC-diff within 1e-12·‖Λ‖, identical top samples, scores within 1e-10. */
function sameAsOneThread(got: SpecOutcome, one: SpecOutcome): void {
  const norm = Math.max(...one.modes.map((m) => Math.abs(m.eigenvalue)));
  assert.deepEqual(
    got.modes.map((m) => `${m.side}${m.rank}`),
    one.modes.map((m) => `${m.side}${m.rank}`),
  );
  assert.ok(maxDiff(got.eigenvalues, one.eigenvalues) <= 1e-12 * norm, `eigenvalues ${got.eigenvalues} vs ${one.eigenvalues}`);
  assert.ok(Math.abs(got.specDiff.xNotY - one.specDiff.xNotY) <= 1e-12 * norm);
  assert.ok(Math.abs(got.specDiff.yNotX - one.specDiff.yNotX) <= 1e-12 * norm);
  assert.equal(got.noiseDropped, one.noiseDropped);
  one.modes.forEach((m, i) => {
    const g = got.modes[i];
    assert.deepEqual(
      g.top.map((t) => t.index),
      m.top.map((t) => t.index),
      `${m.side}${m.rank} top samples`,
    );
    assert.ok(maxDiff(g.scores!, m.scores!) <= 1e-10, `${m.side}${m.rank} scores`);
  });
}

test('threads 2 and 3 equal one thread (cosine, n = 2600, η = 1): eigenvalues, SPEC-diff, top samples, scores', async () => {
  const X = planted(2600, 14, 1),
    Y = mat(2600, 11, 2);
  const o = { topK: 5, samplesPerMode: 20, returnScores: true };
  const one = await run(X, Y, o, 1);
  assert.equal(one.out.threads, undefined, 'one thread runs in process');
  assert.equal(one.timings.workers, undefined);
  for (const threads of [2, 3]) {
    const before = matfreeCounters.applications;
    const got = await run(X, Y, o, threads);
    assert.equal(got.out.threads, threads, `ran on ${threads} workers`);
    assert.ok(got.timings.workers >= 0 && got.timings.features >= 0 && got.timings.solve >= 0 && got.timings.scores >= 0);
    assert.ok(matfreeCounters.applications - before >= 2 * o.topK, 'the operator was applied on the workers');
    sameAsOneThread(got.out, one.out);
  }
});

test('bit-identical across repeats at threads 2 (Gaussian RFF on X, η = 0.7)', async () => {
  const X = planted(2100, 9, 3),
    Y = mat(2100, 6, 4);
  const o = { kx: { type: 'gaussian' as const, sigma: 2, rffDim: 40 }, eta: 0.7, seed: 5, topK: 4, samplesPerMode: 10, returnScores: true };
  const a = await run(X, Y, o, 2),
    b = await run(X, Y, o, 2);
  assert.equal(a.out.threads, 2);
  assert.deepEqual(b.out, a.out);
  sameAsOneThread(a.out, (await run(X, Y, o, 1)).out);
});

test('η = 0: Y is never sent, and two workers equal one thread', async () => {
  const X = planted(1500, 10, 6),
    Y = mat(1500, 8, 7);
  const o = { eta: 0, topK: 4, samplesPerMode: 10, returnScores: true };
  const two = await run(X, Y, o, 2);
  assert.equal(two.out.threads, 2);
  assert.ok(two.out.modes.every((m) => m.side === 'x'));
  sameAsOneThread(two.out, (await run(X, Y, o, 1)).out);
});

test('NumPy eigh fixture cosine, its rows stacked 130 times (n = 2600): two workers report the fixture modes', async () => {
  // Stacking the rows r times keeps Λ's non-zero spectrum (each eigenvalue of the
  // fixture's Λ, since C = (1/n)ΨᵀΨ is unchanged) and repeats each score r times / √r.
  const f = fixture('compare', 'cosine');
  const X0 = rowsOf(f.X),
    Y0 = rowsOf(f.Y);
  const r = Math.ceil(2600 / X0.rows);
  const stack = (m: M32): M32 => {
    const data = new Float32Array(m.data.length * r);
    for (let i = 0; i < r; i++) data.set(m.data, i * m.data.length);
    return { data, rows: m.rows * r, cols: m.cols };
  };
  const o = { kx: f.kernelX, ky: f.kernelY, eta: f.eta, topK: f.topK, samplesPerMode: 1 };
  const got = await run(stack(X0), stack(Y0), o, 2);
  assert.equal(got.out.threads, 2);
  const tol = 1e-6 * f.norm;
  assert.ok(Math.abs(got.out.specDiff.xNotY - f.lambdaMax) <= tol);
  assert.ok(Math.abs(got.out.specDiff.yNotX + f.lambdaMin) <= tol);
  // the first sample's |score| is the fixture's top score / √r (the copies tie, so indices are not compared)
  const want = (f.modes as any[]).map((m) => ({ ...m, top: [m.top[0]], topScores: [m.topScores[0] / Math.sqrt(r)] }));
  const modes = got.out.modes.map((m) => ({ ...m, top: m.top.map((t) => ({ index: t.index % X0.rows, score: t.score })) }));
  checkModes(modes, want, { value: tol, score: 1e-5 });
});

test('abort mid-solve rejects with AbortError and leaves no workers or wasm allocations; the main thread yields per application', async () => {
  const X = planted(2600, 14, 8),
    Y = mat(2600, 11, 9);
  const ac = new AbortController();
  const before = matfreeCounters.applications;
  // aborts from the progress of the solve once five applications have gone to the workers
  class Stopper extends Counting {
    override progress(...a: Parameters<Counting['progress']>): void {
      super.progress(...a);
      if (a[0] === 'solve' && matfreeCounters.applications - before >= 5) ac.abort();
    }
  }
  const coop = new Stopper(ac.signal);
  const live = liveAllocations();
  await assert.rejects(run(X, Y, { topK: 5 }, 2, coop), { name: 'AbortError' });
  const applied = matfreeCounters.applications - before;
  assert.ok(applied >= 5 && applied < 200, `${applied} applications before the abort`);
  // one tick after every application answered (the last one was cut short by the abort)
  assert.ok(coop.ticks >= applied - 1, `${coop.ticks} ticks for ${applied} applications`);
  assert.equal(liveAllocations(), live);
  const p = pool as unknown as { busy: Set<unknown>; idle: unknown[]; all: Set<unknown> };
  assert.equal(p.busy.size, 0, 'no worker still in use');
  assert.equal(p.all.size, p.idle.length, 'every live worker is idle: the aborted ones were terminated');
});

test('progress: features by rows, then the solve by applications, then the scores', async () => {
  const coop = new Counting();
  const before = matfreeCounters.applications;
  await run(planted(2100, 6, 10), mat(2100, 5, 11), { topK: 3 }, 2, coop);
  // one step, one tick (yield when due, abort check) per application
  const applied = matfreeCounters.applications - before;
  assert.ok(applied >= 26 && coop.ticks >= applied, `${coop.ticks} ticks for ${applied} applications`);
  assert.deepEqual([...new Set(coop.events.map((e) => e.stage))], ['features', 'solve', 'scores']);
  const feats = coop.events.filter((e) => e.stage === 'features');
  assert.deepEqual([feats[0].done, feats.at(-1)!.done, feats.at(-1)!.total], [0, 2100, 2100]);
});

test("compare(): on workers the metrics featurise kernel CKA's sample themselves, to the value one thread's held features give", async () => {
  const { compare } = await import('../../../../src/index.js');
  const X = planted(2100, 10, 12),
    Y = mat(2100, 8, 13);
  const o = { method: 'covariance' as const, solver: 'matrix-free' as const, kernelX: { type: 'gaussian' as const, sigma: 2, rffDim: 30 }, topK: 3 };
  const one = await compare(X, Y, { ...o, threads: 1 }),
    two = await compare(X, Y, { ...o, threads: 2 });
  assert.equal(one.threads, undefined);
  assert.equal(two.threads, 2);
  assert.ok(
    Math.abs(two.metrics!.ckaKernel.value - one.metrics!.ckaKernel.value) <= 1e-12,
    `${two.metrics!.ckaKernel.value} vs ${one.metrics!.ckaKernel.value}`,
  );
  assert.equal(two.metrics!.ckaKernel.sampled, one.metrics!.ckaKernel.sampled);
  assert.deepEqual(two.metrics!.ckaLinear, one.metrics!.ckaLinear);
});
