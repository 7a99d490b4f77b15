// FincAccumulator (src/methods/finc-accumulator.ts): X's and Y's rows added in
// any order and chunk sizes, solved once, each set scored again, against the
// NumPy fixture tests/fixtures/finc/linear-eta.json; its refusals with their
// exact messages, merge and snapshot, progress and abort.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FincAccumulator } from '../../../src/methods/finc-accumulator.js';
import { InputError } from '../../../src/errors.js';
import type { ProgressEvent } from '../../../src/types/index.js';
import { checkModes, fixture, rowsOf } from './routes/jobs.js';

const f = fixture('finc', 'linear-eta');
const X = rowsOf(f.X),
  Y = rowsOf(f.Y);
const rows = (m: typeof X, r0: number, r1: number) => ({ data: m.data.subarray(r0 * m.cols, r1 * m.cols), rows: r1 - r0, cols: m.cols });
const opts = { kernel: 'linear' as const, eta: f.eta, d: X.cols };

function throwsExactly(fn: () => unknown, type: abstract new (...args: any[]) => Error, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `${type.name}, got ${String(e)}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

/** X's and Y's rows interleaved in uneven chunks. */
async function fed(): Promise<FincAccumulator> {
  const acc = await FincAccumulator.create(opts);
  acc.addY(rows(Y, 0, 13));
  acc.addX(rows(X, 0, 100));
  acc.addY(rows(Y, 13, 110));
  acc.addX(rows(X, 100, 150));
  return acc;
}

test("interleaved adds, solve, each set scored in other chunks: the fixture's modes and shares", async () => {
  const acc = await fed();
  try {
    assert.deepEqual([acc.nx, acc.ny], [150, 110]);
    const sol = acc.solve({ topK: f.topK, samplesPerMode: f.samplesPerMode });
    const floor = 4 * 2 ** -24 * f.traceScale,
      tol = 1e-6 * f.traceScale;
    assert.ok(Math.abs(sol.noiseFloor - floor) < 1e-9 * floor, `floor ${sol.noiseFloor} vs ${floor}`);
    const want = f.modes.filter((m: any) => Math.abs(m.eigenvalue) > floor);
    assert.deepEqual(
      sol.sides,
      want.map((m: any) => m.side),
    );
    assert.equal(acc.solve(), sol);
    acc.scoresX(rows(X, 0, 75));
    acc.scoresY(Y);
    acc.scoresX(rows(X, 75, 150));
    const modes = acc.modes();
    checkModes(modes, want, { value: tol, score: 1e-5 * Math.sqrt(f.traceScale) });
    modes.forEach((m, i) => {
      assert.ok(Math.abs(m.shareX - want[i].shareX) <= tol);
      assert.ok(Math.abs(m.shareY - want[i].shareY) <= tol);
    });
  } finally {
    acc.dispose();
  }
});

test('call order and refusals, with their messages', async () => {
  await assert.rejects(FincAccumulator.create({ ...opts, kernelX: 'linear' } as any), {
    message: 'unknown FincAccumulator option kernelX; did you mean kernel?',
  });
  const empty = await FincAccumulator.create(opts);
  throwsExactly(() => empty.solve(), InputError, 'X: no rows were added');
  empty.addX(X);
  throwsExactly(() => empty.solve(), InputError, 'Y: no rows were added');
  throwsExactly(() => empty.addY({ data: new Float32Array(6), rows: 2, cols: 3 }), InputError, `Y: has 3 columns, the accumulator was made for d = ${X.cols}`);
  throwsExactly(() => empty.merge({} as FincAccumulator), InputError, 'merge() needs another FincAccumulator');
  const other = await FincAccumulator.create({ ...opts, eta: 2 });
  throwsExactly(() => empty.merge(other), InputError, 'cannot merge FINC accumulators with different kernels, η, seed or d');
  other.dispose();
  empty.dispose();

  const acc = await fed();
  throwsExactly(() => acc.scoresX(X), Error, 'spec-embed: call solve() before scoresX()/scoresY()');
  throwsExactly(() => acc.modes(), Error, 'spec-embed: call solve() and scoresX()/scoresY() first');
  throwsExactly(() => acc.solve({ topk: 2 } as any), InputError, 'unknown solve option topk; did you mean topK?');
  acc.solve({ topK: 2 });
  throwsExactly(() => acc.addX(X), Error, 'spec-embed: addX() after solve(); create a new accumulator');
  acc.scoresX(rows(X, 0, 10));
  throwsExactly(() => acc.modes(), InputError, 'scoresX() saw 10 rows, addX() saw 150: feed every row of X again');
  acc.dispose();
  throwsExactly(() => acc.scoresY(Y), Error, 'spec-embed: FincAccumulator used after dispose()');
});

test('a side without modes needs no scoring pass', async () => {
  const acc = await fed();
  try {
    // η = 0.5 and topK = 1: one x mode and one y mode; with Y scored only, X is still owed
    const sol = acc.solve({ topK: 1 });
    assert.deepEqual(sol.sides, ['x', 'y']);
    acc.scoresY(Y);
    throwsExactly(() => acc.modes(), InputError, 'scoresX() saw 0 rows, addX() saw 150: feed every row of X again');
  } finally {
    acc.dispose();
  }
  // X = Y, η = 1: nothing beyond the floor, so no side needs scoring
  const one = await FincAccumulator.create({ ...opts, eta: 1 });
  try {
    one.addX(X);
    one.addY(X);
    assert.deepEqual(one.solve({ topK: 3 }).sides, []);
    assert.deepEqual(one.modes(), []);
  } finally {
    one.dispose();
  }
});

test('merge and snapshot round trip solve as one accumulator; progress of adds, scores and solveAsync; abort', async () => {
  const one = await fed(),
    a = await FincAccumulator.create(opts),
    b = await FincAccumulator.create(opts);
  a.addX(rows(X, 0, 150));
  b.addY(Y);
  a.merge(b);
  const back = await FincAccumulator.deserialize(a.serialize());
  const e1 = one.solve({ topK: 3 }).eigenvalues,
    e2 = back.solve({ topK: 3 }).eigenvalues;
  for (let i = 0; i < e1.length; i++) assert.ok(Math.abs(e1[i] - e2[i]) < 1e-6 * f.traceScale);
  for (const x of [one, a, b, back]) x.dispose();

  const acc = await FincAccumulator.create(opts);
  const ev: ProgressEvent[] = [];
  acc.addX(X, (e) => ev.push(e));
  acc.addY(Y, (e) => ev.push(e));
  assert.ok(ev.every((e) => e.stage === 'accumulate'));
  assert.deepEqual(
    ev.filter((e) => e.done === e.total).map((e) => e.total),
    [150, 110],
  );
  const sv: ProgressEvent[] = [];
  await acc.solveAsync({ topK: 2, onProgress: (e) => sv.push(e) });
  assert.ok(sv.length > 0 && sv.every((e) => e.stage === 'solve'));
  const sc: ProgressEvent[] = [];
  acc.scoresX(X, (e) => sc.push(e));
  assert.deepEqual(sc.at(-1), { stage: 'scores', done: 150, total: 150 });
  acc.dispose();

  const late = await FincAccumulator.create(opts);
  late.addX(X);
  late.addY(Y);
  const ac = new AbortController();
  await assert.rejects(late.solveAsync({ signal: ac.signal, onProgress: () => ac.abort() }), { name: 'AbortError' });
  throwsExactly(() => late.solve(), Error, 'spec-embed: FincAccumulator unusable: a pass or solve() failed or was aborted part-way; create a new one');
  late.dispose();
});
