// SpecAccumulator (src/methods/spec-accumulator.ts): the order of its calls
// (add, solve, scores, modes), its refusals with their exact messages, merge and
// snapshot, progress and abort, and its modes against the NumPy fixture
// tests/fixtures/compare/linear-eta.json (n = 90 > D = 12) fed in uneven chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpecAccumulator, solveWith, runSteps, finiteSolution } from '../../../src/methods/spec-accumulator.js';
import { InputError } from '../../../src/errors.js';
import type { ProgressEvent } from '../../../src/types/index.js';
import { randomF32 } from '../../shared/rng.mjs';
import { checkModes, fixture, rowsOf } from './routes/jobs.js';

const f = fixture('compare', 'linear-eta');
const X = rowsOf(f.X),
  Y = rowsOf(f.Y),
  n = X.rows;
const rows = (m: typeof X, r0: number, r1: number) => ({ data: m.data.subarray(r0 * m.cols, r1 * m.cols), rows: r1 - r0, cols: m.cols });
const CUTS = [0, 7, 40, 41, 90];
const opts = { kernelX: 'linear' as const, kernelY: 'linear' as const, eta: f.eta, dx: X.cols, dy: Y.cols };

function throwsExactly(fn: () => unknown, type: abstract new (...args: any[]) => Error, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `${type.name}, got ${String(e)}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

async function fed(): Promise<SpecAccumulator> {
  const acc = await SpecAccumulator.create(opts);
  for (let i = 0; i + 1 < CUTS.length; i++) acc.add(rows(X, CUTS[i], CUTS[i + 1]), rows(Y, CUTS[i], CUTS[i + 1]));
  return acc;
}

test("add in uneven chunks, solve, score in other chunks: the fixture's modes", async () => {
  const acc = await fed();
  try {
    assert.equal(acc.n, n);
    const sol = acc.solve({ topK: f.topK, samplesPerMode: f.samplesPerMode });
    const tol = 1e-6 * f.norm;
    assert.equal(sol.n, n);
    assert.deepEqual(
      sol.sides,
      f.modes.map((m: any) => m.side),
    );
    assert.ok(Math.abs(sol.specDiff.xNotY - f.lambdaMax) <= tol && Math.abs(sol.specDiff.yNotX + f.lambdaMin) <= tol);
    // the second solve returns the same solution, not a second solve of spent sums
    assert.equal(acc.solve(), sol);
    for (const [a, b] of [
      [0, 50],
      [50, 90],
    ])
      acc.scores(rows(X, a, b), rows(Y, a, b));
    checkModes(acc.modes(), f.modes, { value: tol, score: 1e-5 });
  } finally {
    acc.dispose();
  }
});

test('call order: scores and modes before solve, modes before every row is scored, add after solve, use after dispose', async () => {
  const acc = await fed();
  throwsExactly(() => acc.scores(X, Y), Error, 'spec-embed: call solve() before scores()');
  throwsExactly(() => acc.modes(), Error, 'spec-embed: call solve() and scores() first');
  acc.solve({ topK: 2 });
  acc.scores(rows(X, 0, 30), rows(Y, 0, 30));
  throwsExactly(() => acc.modes(), InputError, 'scores() saw 30 rows, add() saw 90: feed every row again');
  throwsExactly(() => acc.add(X, Y), Error, 'spec-embed: add() after solve(); create a new accumulator');
  throwsExactly(() => acc.scores(rows(X, 0, 61), rows(Y, 0, 61)), InputError, 'scores() received more rows (91) than add() did (90)');
  acc.dispose();
  acc.dispose(); // idempotent
  throwsExactly(() => acc.modes(), Error, 'spec-embed: SpecAccumulator used after dispose()');
  throwsExactly(() => acc.solve(), Error, 'spec-embed: SpecAccumulator used after dispose()');
});

test('refusals: option names, no rows, wrong columns, merge with itself or a stranger, mismatched merge', async () => {
  await assert.rejects(SpecAccumulator.create({ ...opts, topK: 3 } as any), {
    message: 'unknown SpecAccumulator option topK; valid: kernelX, kernelY, eta, seed, dx, dy',
  });
  await assert.rejects(SpecAccumulator.create({ ...opts, kernelX: 'gaussian' }), {
    message: 'kernelX: the accumulator needs a numeric sigma (use estimateSigma on a sample first)',
  });
  const acc = await SpecAccumulator.create(opts),
    other = await SpecAccumulator.create({ ...opts, seed: 1 });
  try {
    throwsExactly(() => acc.solve({ topk: 3 } as any), InputError, 'unknown solve option topk; did you mean topK?');
    throwsExactly(
      () => acc.add(rows(X, 0, 3), { data: new Float32Array(6), rows: 3, cols: 2 }),
      InputError,
      `Y: has 2 columns, the accumulator was made for ${Y.cols}`,
    );
    throwsExactly(() => acc.merge(acc), InputError, 'cannot merge an accumulator with itself');
    throwsExactly(() => acc.merge({} as SpecAccumulator), InputError, 'merge() needs another SpecAccumulator');
    throwsExactly(() => acc.merge(other), InputError, 'cannot merge accumulators with different kernels, η, seed or dimensions');
    throwsExactly(() => acc.solve(), InputError, 'no rows were added');
    // refused before the sums were touched: still usable
    acc.add(rows(X, 0, 3), rows(Y, 0, 3));
    assert.equal(acc.n, 3);
  } finally {
    acc.dispose();
    other.dispose();
  }
});

test('merge of two halves and a snapshot round trip solve to the same eigenvalues as one accumulator', async () => {
  const one = await fed(),
    a = await SpecAccumulator.create(opts),
    b = await SpecAccumulator.create(opts);
  try {
    a.add(rows(X, 0, 41), rows(Y, 0, 41));
    b.add(rows(X, 41, 90), rows(Y, 41, 90));
    a.merge(b);
    assert.equal(a.n, n);
    const back = await SpecAccumulator.deserialize(a.serialize());
    try {
      const e1 = one.solve({ topK: 3 }).eigenvalues,
        e2 = a.solve({ topK: 3 }).eigenvalues,
        e3 = back.solve({ topK: 3 }).eigenvalues;
      // same chunk boundaries at 41 would give bit-identical sums; merged halves differ in f64 summation order only
      for (let i = 0; i < e1.length; i++) assert.ok(Math.abs(e1[i] - e2[i]) < 1e-12 * f.norm);
      assert.deepEqual(e3, e2);
    } finally {
      back.dispose();
    }
  } finally {
    one.dispose();
    a.dispose();
    b.dispose();
  }
});

test('progress: add and scores report rows of their chunk; solveAsync reports stage solve and stops on abort, leaving it unusable', async () => {
  const acc = await SpecAccumulator.create(opts);
  const events: ProgressEvent[] = [];
  acc.add(X, Y, (e) => events.push(e));
  assert.ok(events.length >= 1 && events.every((e) => e.stage === 'accumulate' && e.total === n));
  assert.equal(events.at(-1)!.done, n);
  const seen: ProgressEvent[] = [];
  const sol = await acc.solveAsync({ topK: 2, onProgress: (e) => seen.push(e) });
  assert.ok(seen.length >= 1 && seen.every((e) => e.stage === 'solve'));
  assert.equal(sol.eigenvalues.length, 4);
  acc.dispose();

  const ac = new AbortController();
  const late = await SpecAccumulator.create(opts);
  late.add(X, Y);
  await assert.rejects(late.solveAsync({ signal: ac.signal, onProgress: () => ac.abort() }), { name: 'AbortError' });
  throwsExactly(() => late.solve(), Error, 'spec-embed: SpecAccumulator unusable: a pass or solve() failed or was aborted part-way; create a new one');
  late.dispose();

  // an abort between the steps of add() stops it
  const big = await SpecAccumulator.create({ dx: 4, dy: 4 });
  const ac2 = new AbortController();
  ac2.abort();
  assert.throws(
    () => big.add({ data: randomF32(3000 * 4, 1), rows: 3000, cols: 4 }, { data: randomF32(3000 * 4, 2), rows: 3000, cols: 4 }, undefined, ac2.signal),
    { name: 'AbortError' },
  );
  big.dispose();
});

test('runSteps, solveWith, finiteSolution: steps reported as their stage, the generator closed, non-finite results refused', () => {
  let closed = false;
  function* gen() {
    try {
      yield { done: 1, total: 2 };
      yield { done: 2, total: 2 };
    } finally {
      closed = true;
    }
  }
  const ev: ProgressEvent[] = [];
  runSteps(gen(), 'scores', (e) => ev.push(e));
  assert.deepEqual(ev, [
    { stage: 'scores', done: 1, total: 2 },
    { stage: 'scores', done: 2, total: 2 },
  ]);
  assert.ok(closed);
  closed = false;
  const ac = new AbortController();
  ac.abort();
  assert.throws(() => runSteps(gen(), 'accumulate', undefined, ac.signal), { name: 'AbortError' });
  assert.ok(closed, 'closed on abort');
  const ok = { eigenvalues: new Float64Array([1, -1]), specDiff: { xNotY: 1, yNotX: 1, norm: 1 } };
  const steps = function* () {
    yield { done: 0, total: 1, message: 'm' };
    return ok;
  };
  const ev2: ProgressEvent[] = [];
  assert.equal(solveWith(steps(), { onProgress: (e) => ev2.push(e) }), ok);
  assert.deepEqual(ev2, [{ stage: 'solve', done: 0, total: 1, message: 'm' }]);
  assert.equal(finiteSolution(ok), ok);
  assert.throws(() => finiteSolution({ ...ok, eigenvalues: new Float64Array([NaN]) }), InputError);
});
