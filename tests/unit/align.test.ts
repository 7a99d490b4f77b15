// SPEC-align: loss and gradients against NumPy (eigh + float64 central finite
// differences, scripts/fixtures/align.py), the planted recovery, W0, applyMap,
// abort/progress and input validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, InputError, AbortError, parseNpy, align, applyMap, specDiffLoss } from '../../src/index.js';
import { AlignTrainer, initialMap, batchStarts } from '../../src/align.js';
import type { Matrix } from '../../src/types.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/align/${name}.json`, import.meta.url), 'utf8'));
const npy = (name: string) => parseNpy(new Uint8Array(readFileSync(new URL(`../fixtures/align/${name}`, import.meta.url))), name);
const mat = (rows: number[][]): Matrix => ({ data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0].length });

/** max |a − b| / max |b|: the gradient's relative error as a whole. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num = Math.max(num, Math.abs(a[i] - b[i])); den = Math.max(den, Math.abs(b[i])); }
  return num / den;
}

for (const kind of ['cosine', 'linear', 'gaussian'] as const) {
  test(`specDiffLoss (${kind} X) = eigh λmax, gradient = float64 finite differences`, async () => {
    await init();
    const f = fixture(`loss-${kind}`);
    const r = await specDiffLoss(f.X, f.Y, { kernel: kind });
    assert.ok(Math.abs(r.value - f.value) <= 1e-6 * Math.max(1, Math.abs(f.value)), `λmax ${r.value} vs ${f.value}`);
    const e = relErr(r.gradY, f.gradY);
    assert.ok(e <= 1e-4, `gradient relative error ${e}`);
    assert.ok(relErr(r.eigenvector, f.eigenvector) <= 1e-5);
  });
}

test('specDiffLoss: a wrong gradient would fail (sign and factor are checked)', async () => {
  const f = fixture('loss-cosine');
  const r = await specDiffLoss(f.X, f.Y);
  const half = r.gradY.map((v) => v / 2);
  assert.ok(relErr(half, f.gradY) > 0.1);
});

test('align step: ∂L/∂W and ∂L/∂b equal finite differences of L(W, b) (d′ ≠ dy, β > 0)', async () => {
  await init();
  const f = fixture('w-grad');
  const X = mat(f.X), Y = mat(f.Y);
  const tr = new AlignTrainer(X, Y, { type: 'cosine', sigma: 0, rffDim: 0 }, f.dim, true, f.beta, Float64Array.from(f.W0), 0);
  try {
    tr.theta.set(f.W); tr.theta.set(f.bias, f.W.length);
    const idx = Int32Array.from({ length: X.rows }, (_, i) => i);
    const r = await tr.lossAndGrad(idx, 0, X.rows, true);
    assert.ok(Math.abs(r.loss - f.loss) <= 1e-6 * Math.abs(f.loss), `loss ${r.loss} vs ${f.loss}`);
    assert.ok(relErr(r.grad!.subarray(0, f.W.length), f.gradW) <= 1e-4);
    assert.ok(relErr(r.grad!.subarray(f.W.length), f.gradBias) <= 1e-4);
  } finally {
    tr.release();
  }
});

test('W0 for d′ < dy is lstsq(Y, X·P) with P the top right singular vectors of centred X', async () => {
  await init();
  const f = fixture('w0');
  const W0 = initialMap(mat(f.X), mat(f.Y), f.dim);
  // Singular vectors have a sign ambiguity: compare row by row up to sign.
  const dy = f.Y[0].length;
  for (let c = 0; c < f.dim; c++) {
    const a = W0.subarray(c * dy, c * dy + dy), b = f.W0.slice(c * dy, c * dy + dy);
    const s = Math.sign(a[0]) === Math.sign(b[0]) ? 1 : -1;
    assert.ok(relErr(a.map((v) => s * v), b) <= 1e-4, `row ${c}`);
  }
});

test('batches: balanced, each ≤ batch, covering all samples', () => {
  assert.deepEqual(batchStarts(10000, 2000), [0, 2000, 4000, 6000, 8000]);
  assert.deepEqual(batchStarts(10, 4), [0, 3, 6]);
  assert.deepEqual(batchStarts(3, 2000), [0]);
});

test('planted: two clusters collapsed in a rotated copy; held-out SPEC-diff (xNotY) falls by at least half', async () => {
  const X = npy('planted_x.npy'), Y = npy('planted_y.npy');
  const epochs: number[] = [];
  const r = await align(X, Y, { onProgress: (e) => { if (Number.isInteger(e.done)) epochs.push(e.done); } });
  assert.equal(r.task, 'align');
  assert.equal(r.nHoldout, 300);
  assert.equal(r.nTrain, 1200);
  assert.equal(r.W.length, 24 * 24);
  assert.ok(r.specDiffAfter.xNotY <= 0.5 * r.specDiffBefore.xNotY, `before ${r.specDiffBefore.xNotY}, after ${r.specDiffAfter.xNotY}`);
  assert.ok(r.bestEpoch >= 1);
  assert.equal(r.loss.train.length, r.epochs);
  assert.equal(r.loss.holdout.length, r.epochs + 1);
  assert.deepEqual(epochs, Array.from({ length: r.epochs + 1 }, (_, i) => i), 'onProgress once per epoch');
  assert.ok(r.removedModes.includes(1), `the leading side-x mode is removed: ${r.removedModes}`);
  // the map is what applyMap applies
  const z = applyMap(r.W, Y, { dim: r.dim });
  let s = 0;
  for (let j = 0; j < 24; j++) s += Y.data[j] * r.W[3 * 24 + j];
  assert.ok(Math.abs(z.data[3] - s) < 1e-4 * Math.max(1, Math.abs(s)));
});

test('aligning X to itself keeps SPEC-diff ≈ 0 and W ≈ I', async () => {
  const X = npy('planted_x.npy');
  const r = await align(X, X, { epochs: 5 });
  assert.ok(r.specDiffBefore.norm < 1e-9 && r.specDiffAfter.norm < 1e-9, JSON.stringify(r.specDiffAfter));
  let maxDev = 0;
  for (let i = 0; i < 24; i++) for (let j = 0; j < 24; j++) maxDev = Math.max(maxDev, Math.abs(r.W[i * 24 + j] - (i === j ? 1 : 0)));
  assert.ok(maxDev < 1e-6, `max |W − I| = ${maxDev}`);
  assert.deepEqual(r.removedModes, []);
});

test('bias and d′ < dy: shapes, and bias enters applyMap', async () => {
  const X = npy('planted_x.npy'), Y = npy('planted_y.npy');
  const r = await align(X, Y, { dim: 8, bias: true, epochs: 3, kernel: 'linear' });
  assert.equal(r.W.length, 8 * 24);
  assert.equal(r.bias!.length, 8);
  const z = applyMap(r.W, Y, { dim: 8, bias: r.bias });
  const z0 = applyMap(r.W, Y, { dim: 8 });
  for (let j = 0; j < 8; j++) assert.ok(Math.abs(z.data[j] - z0.data[j] - r.bias![j]) < 1e-5);
});

test('Gaussian X: σ auto is reported', async () => {
  const X = npy('planted_x.npy'), Y = npy('planted_y.npy');
  const r = await align(X, Y, { kernel: 'gaussian', epochs: 2 });
  assert.equal(r.kernelX.type, 'gaussian');
  assert.ok(r.kernelX.sigma! > 0);
});

test('abort mid-run rejects with AbortError promptly', async () => {
  const X = npy('planted_x.npy'), Y = npy('planted_y.npy');
  const ac = new AbortController();
  let at = 0, events = 0;
  const p = align(X, Y, { epochs: 1000, patience: 1000, signal: ac.signal, onProgress: (e) => { events++; if (e.done === 3 && !at) { at = events; ac.abort(); } } });
  await assert.rejects(p, AbortError);
  // counted, not timed: nothing reported after abort() (tests/unit/lifecycle.test.ts counts the steps)
  assert.ok(at > 0 && events === at, `${events - at} progress events after abort`);
  // wasm buffers were freed: a fresh run still works
  const r = await align(X, Y, { epochs: 1 });
  assert.equal(r.epochs, 1);
});

test('bad inputs are InputErrors naming the option', async () => {
  const X = npy('planted_x.npy'), Y = npy('planted_y.npy');
  const bad = async (o: object, re: RegExp, x: any = X, y: any = Y) => {
    await assert.rejects(align(x, y, o), (e: any) => e instanceof InputError && re.test(e.message));
  };
  await bad({ epochs: 0 }, /epochs must be an integer ≥ 1/);
  await bad({ lr: 0 }, /lr must be a finite number > 0/);
  await bad({ lr: -1 }, /lr must be/);
  await bad({ holdout: 0 }, /holdout must be a fraction in \(0, 1\)/);
  await bad({ holdout: 1 }, /holdout/);
  await bad({ dim: 0 }, /dim must be an integer ≥ 1/);
  await bad({ dim: 100 }, /dim must be ≤ max\(dx, dy\) = 24/);
  await bad({ batch: 1 }, /batch must be an integer ≥ 2/);
  await bad({ batch: 1e6 }, /batch must be ≤ 8000/);
  await bad({ beta: -1 }, /beta must be a finite number ≥ 0/);
  await bad({ patience: 0 }, /patience/);
  await bad({ kernel: 'rbf' }, /kernelX must be one of/);
  await bad({}, /row counts differ/, X, { data: Y.data.subarray(0, 24 * 100), rows: 100, cols: 24 });
  const nan = Float32Array.from(Y.data); nan[50] = NaN;
  await bad({}, /Y: non-finite value NaN at row 3/, X, { data: nan, rows: 1500, cols: 24 });
  const zero = Float32Array.from(Y.data); zero.fill(0, 24 * 7, 24 * 8);
  await bad({}, /Y: row 8 \(1-based\) is all zeros/, X, { data: zero, rows: 1500, cols: 24 });
  // a zero row of Y·Wᵀ: row 11 of Y in the null space of W (dim 1)
  const tr = new AlignTrainer(X, Y, { type: 'cosine', sigma: 0, rffDim: 0 }, 1, false, 0, new Float64Array(24), 0);
  try {
    for (let j = 0; j < 24; j++) tr.theta[j] = j === 0 ? -Y.data[11 * 24 + 1] : j === 1 ? Y.data[11 * 24 + 0] : 0;
    const idx = Int32Array.from({ length: 40 }, (_, i) => i);
    await assert.rejects(tr.lossAndGrad(idx, 0, 40, true), (e: any) => e instanceof InputError && /row 12 \(1-based\) of Y·Wᵀ is all zeros/.test(e.message));
  } finally {
    tr.release();
  }
  await assert.rejects(specDiffLoss([[1, 0], [0, 1]], [[1, 1], [0, 0]]), /Y: row 2 \(1-based\) is all zeros/);
  await bad({ holdout: 0.5 }, /leaves 2 for training and 1 held out|both need ≥ 2/, [[1, 0], [0, 1], [1, 1]], [[1, 0], [0, 1], [1, 1]]);
});
