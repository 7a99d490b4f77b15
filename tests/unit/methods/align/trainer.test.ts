// The trainer (trainer.ts): Adam against its textbook update in f64, the
// penalty, balanced batches, the seeded shuffle, and fit's early stopping
// keeping the map of the best held-out loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/index.js';
import { AlignTrainer, batchStarts, fit, shuffle } from '../../../../src/methods/align/trainer.js';
import { seededRandom } from '../../../../src/runtime/prng.js';
import type { AlignSettings } from '../../../../src/validate/align-options.js';
import { randomF32 } from '../../../shared/rng.mjs';

await init();

const cosine = { type: 'cosine' as const, sigma: 0, rffDim: 0 };
const mat = (rows: number, cols: number, seed: number) => ({ data: randomF32(rows * cols, seed), rows, cols });

test('adam: three steps equal the textbook update (β1 0.9, β2 0.999, ε 1e-8, bias-corrected)', () => {
  const dim = 2,
    dy = 3,
    W0 = Float64Array.from([1, 0, 0, 0, 1, 0]);
  const tr = new AlignTrainer(mat(4, 2, 1), mat(4, dy, 2), cosine, dim, false, 0, W0, 0);
  const theta = W0.slice(),
    m = new Float64Array(6),
    v = new Float64Array(6);
  for (let t = 1; t <= 3; t++) {
    const g = Float64Array.from({ length: 6 }, (_, i) => Math.sin(i + t));
    tr.adam(g, 0.05);
    for (let i = 0; i < 6; i++) {
      m[i] = 0.9 * m[i] + 0.1 * g[i];
      v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
      theta[i] -= (0.05 * m[i]) / (1 - 0.9 ** t) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8);
    }
    for (let i = 0; i < 6; i++) assert.ok(Math.abs(tr.theta[i] - theta[i]) <= 1e-15, `step ${t}, θ[${i}]`);
  }
  let pen = 0;
  for (let i = 0; i < 6; i++) pen += (theta[i] - W0[i]) ** 2;
  assert.ok(Math.abs(tr.penalty() - pen) <= 1e-15);
});

test('lossAndGrad: L = λ + β‖W − W0‖², its gradient adds 2β(W − W0) to ∂λ/∂W', async () => {
  const n = 20,
    dx = 4,
    dy = 3,
    dim = 3,
    idx = Int32Array.from({ length: n }, (_, i) => i);
  const X = mat(n, dx, 3),
    Y = mat(n, dy, 4),
    W0 = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const a = new AlignTrainer(X, Y, cosine, dim, false, 0, W0, 0),
    b = new AlignTrainer(X, Y, cosine, dim, false, 0.5, W0, 0);
  try {
    for (const t of [a, b]) t.theta.set([1.1, 0.2, 0, -0.1, 0.9, 0.3, 0, 0.2, 1]);
    const ra = await a.lossAndGrad(idx, 0, n, true),
      rb = await b.lossAndGrad(idx, 0, n, true);
    assert.equal(ra.lambda, rb.lambda);
    assert.ok(Math.abs(rb.loss - (ra.lambda + 0.5 * a.penalty())) <= 1e-15);
    const ga = ra.grad!.slice();
    for (let i = 0; i < 9; i++) assert.ok(Math.abs(rb.grad![i] - (ga[i] + 2 * 0.5 * (b.theta[i] - W0[i]))) <= 1e-15, `∂L/∂W[${i}]`);
  } finally {
    a.release();
    b.release();
  }
});

test('batchStarts: ⌈n / batch⌉ balanced batches; shuffle: a seeded permutation', () => {
  assert.deepEqual(batchStarts(10, 4), [0, 3, 6]);
  assert.deepEqual(batchStarts(3, 10), [0]);
  const a = Int32Array.from({ length: 50 }, (_, i) => i),
    b = a.slice();
  shuffle(a, seededRandom(7));
  shuffle(b, seededRandom(7));
  assert.deepEqual(a, b);
  assert.notDeepEqual(
    [...a],
    Array.from({ length: 50 }, (_, i) => i),
  );
  assert.deepEqual(
    [...a].sort((x, y) => x - y),
    Array.from({ length: 50 }, (_, i) => i),
  );
});

test('fit: one held-out loss per epoch plus W0, stops after `patience` epochs without improvement, keeps the best map', async () => {
  const n = 40,
    X = mat(n, 4, 5),
    Y = mat(n, 4, 6);
  const st: AlignSettings = {
    dim: 4,
    bias: false,
    epochs: 6,
    lr: 0.5,
    beta: 0,
    holdout: 0.25,
    patience: 1,
    seed: 0,
    topK: 2,
    samplesPerMode: 2,
    objective: 'x-not-y',
  };
  const train = Int32Array.from({ length: 30 }, (_, i) => i + 10),
    hold = Int32Array.from({ length: 10 }, (_, i) => i);
  const W0 = Float64Array.from({ length: 16 }, (_, k) => (k % 5 === 0 ? 1 : 0));
  const laps: string[] = [];
  const r = await fit(X, Y, cosine, st, W0, train, hold, 8, seededRandom(1), (key) => laps.push(key));
  assert.equal(r.loss.holdout.length, r.epochsRun + 1);
  assert.equal(r.loss.train.length, r.epochsRun);
  assert.equal(r.best.loss, Math.min(...r.loss.holdout));
  assert.equal(r.best.loss, r.loss.holdout[r.best.epoch]);
  if (r.epochsRun < st.epochs) assert.ok(r.loss.holdout[r.epochsRun] >= r.best.loss, 'stopped after an epoch without improvement');
  assert.ok(laps.includes('train') && laps.includes('holdout'));
});

test("objective norm: the trainer's λ is max(λmax, −λmin) of the batch and fit keeps the epoch of the lowest held-out norm", async () => {
  const n = 30,
    dy = 3,
    dim = 3,
    idx = Int32Array.from({ length: n }, (_, i) => i);
  // X without structure, Y in three tight clusters: −λmin > λmax
  const X = mat(n, 5, 11);
  const Y = {
    data: Float32Array.from(
      { length: n * dy },
      (_, k) =>
        [
          [3, 0, 0],
          [0, 3, 0],
          [0, 0, 3],
        ][Math.floor(k / dy) % 3][k % dy] +
        0.1 * Math.sin(k),
    ),
    rows: n,
    cols: dy,
  };
  const W0 = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const x = new AlignTrainer(X, Y, cosine, dim, false, 0, W0, 0),
    m = new AlignTrainer(X, Y, cosine, dim, false, 0, W0, 0, undefined, 'norm');
  try {
    assert.equal(x.objective, 'x-not-y');
    assert.equal(m.objective, 'norm');
    const rx = await x.lossAndGrad(idx, 0, n, true),
      rm = await m.lossAndGrad(idx, 0, n, true);
    assert.ok(rm.lambda > rx.lambda + 0.01, `norm ${rm.lambda} vs λmax ${rx.lambda}`);
    assert.equal(rm.loss, rm.lambda, 'β = 0');
    let dot = 0;
    for (let i = 0; i < rx.grad!.length; i++) dot += rx.grad![i] * rm.grad![i];
    assert.ok(Number.isFinite(dot) && rm.grad!.some((g, i) => g !== rx.grad![i]), "a different gradient (the bottom end's)");
  } finally {
    x.release();
    m.release();
  }
  const st: AlignSettings = {
    dim,
    bias: false,
    epochs: 5,
    lr: 0.05,
    beta: 0,
    holdout: 0.3,
    patience: 5,
    seed: 0,
    topK: 2,
    samplesPerMode: 2,
    objective: 'norm',
  };
  const train = Int32Array.from({ length: 20 }, (_, i) => i + 10),
    hold = Int32Array.from({ length: 10 }, (_, i) => i);
  const r = await fit(X, Y, cosine, st, W0, train, hold, 10, seededRandom(2), () => {});
  assert.equal(r.best.loss, Math.min(...r.loss.holdout));
  const ev = new AlignTrainer(X, Y, cosine, dim, false, 0, W0, 0, r.best.theta, 'norm');
  try {
    const h = await ev.lossAndGrad(hold, 0, hold.length, false);
    assert.equal(h.loss, r.best.loss, "the kept map's held-out loss is its norm");
  } finally {
    ev.release();
  }
});
