import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compare, SpecAccumulator, InputError, estimateSigma } from '../../src/index.js';
import { mulberry32 as mulberry } from '../shared/rng.mjs';
import { jacobiEig } from '../property/helpers/jacobi.js';

const f = JSON.parse(readFileSync(new URL('../fixtures/compare/gaussian-rff.json', import.meta.url), 'utf8'));
const n = f.X.length;
const opts = {
  kernelX: { type: 'gaussian' as const, sigma: 2, rffDim: 300 },
  kernelY: 'cosine' as const,
  eta: 0.7,
  seed: 5,
  dx: f.X[0].length,
  dy: f.Y[0].length,
};
const slice = (a: number[][], s: number, e: number) => a.slice(s, e);

async function streamed(parts: number[]) {
  const acc = await SpecAccumulator.create(opts);
  let s = 0;
  for (const p of parts) {
    acc.add(slice(f.X, s, s + p), slice(f.Y, s, s + p));
    s += p;
  }
  const sol = acc.solve({ topK: 4, samplesPerMode: 6 });
  s = 0;
  for (const p of parts) {
    acc.scores(slice(f.X, s, s + p), slice(f.Y, s, s + p));
    s += p;
  }
  const modes = acc.modes();
  acc.dispose();
  return { sol, modes };
}

test('streaming in uneven chunks equals compare() on the whole data (covariance route)', async () => {
  const whole = await compare(f.X, f.Y, {
    kernelX: opts.kernelX,
    kernelY: opts.kernelY,
    eta: opts.eta,
    seed: opts.seed,
    topK: 4,
    samplesPerMode: 6,
    method: 'covariance',
  });
  const { sol, modes } = await streamed([1, 150, 99, n - 250]);
  assert.equal(sol.n, n);
  assert.equal(modes.length, whole.modes.length);
  modes.forEach((m, i) => {
    const w = whole.modes[i];
    assert.equal(m.side, w.side);
    assert.ok(Math.abs(m.eigenvalue - w.eigenvalue) <= 1e-6 * whole.specDiff.norm);
    assert.deepEqual(
      m.top.map((t) => t.index),
      w.top.map((t) => t.index),
    );
  });
});

test('merge of two accumulators equals one accumulator over all rows', async () => {
  const a = await SpecAccumulator.create(opts),
    b = await SpecAccumulator.create(opts),
    all = await SpecAccumulator.create(opts);
  a.add(slice(f.X, 0, 123), slice(f.Y, 0, 123));
  b.add(slice(f.X, 123, n), slice(f.Y, 123, n));
  all.add(f.X, f.Y);
  const other = await SpecAccumulator.create({ ...opts, eta: 2 });
  assert.throws(() => all.merge(other), InputError);
  a.merge(b);
  assert.equal(a.n, n);
  const s1 = a.solve({ topK: 3 }),
    s2 = all.solve({ topK: 3 });
  // f32 partial sums restart at chunk boundaries, so agreement is to f32 accuracy
  s1.eigenvalues.forEach((v, i) => assert.ok(Math.abs(v - s2.eigenvalues[i]) <= 1e-6 * s2.specDiff.norm));
  assert.throws(() => a.merge(b), /after solve/);
  assert.throws(() => a.serialize(), /after solve/);
  for (const x of [a, b, all, other]) x.dispose();
});

test('serialize/deserialize round-trips exactly and rejects corrupt snapshots', async () => {
  const a = await SpecAccumulator.create(opts);
  a.add(slice(f.X, 0, 200), slice(f.Y, 0, 200));
  const bytes = a.serialize();
  const b = await SpecAccumulator.deserialize(bytes);
  assert.equal(b.n, 200);
  assert.deepEqual(b.serialize(), bytes);
  b.add(slice(f.X, 200, n), slice(f.Y, 200, n));
  a.add(slice(f.X, 200, n), slice(f.Y, 200, n));
  assert.deepEqual(Array.from(b.solve({ topK: 2 }).eigenvalues), Array.from(a.solve({ topK: 2 }).eigenvalues));
  await assert.rejects(SpecAccumulator.deserialize(bytes.subarray(0, bytes.length - 8)), /truncated/);
  const bad = bytes.slice();
  bad[0] = 0x41;
  await assert.rejects(SpecAccumulator.deserialize(bad), /bad magic/);
  const v2 = bytes.slice();
  v2[8] = 99;
  await assert.rejects(SpecAccumulator.deserialize(v2), /version 99/);
  a.dispose();
  b.dispose();
});

test('misuse is reported: wrong columns, scores before solve, too few rows scored, auto sigma', async () => {
  const a = await SpecAccumulator.create(opts);
  assert.throws(() => a.add([[1, 2]], [[1, 2]]), /X: has 2 columns, the accumulator was made for 10/);
  assert.throws(() => a.scores(f.X, f.Y), /solve\(\) before scores/);
  a.add(f.X, f.Y);
  a.solve({ topK: 2 });
  a.scores(slice(f.X, 0, 10), slice(f.Y, 0, 10));
  assert.throws(() => a.modes(), /scores\(\) saw 10 rows, add\(\) saw 400/);
  a.dispose();
  await assert.rejects(SpecAccumulator.create({ ...opts, kernelX: { type: 'gaussian', sigma: 'auto' } }), /numeric sigma/);
  const s = await estimateSigma(f.X);
  assert.ok(s > 0);
});

test('streamed chunks: NaN/Inf and zero rows are caught by the feature maps with global row numbers', async () => {
  const a = await SpecAccumulator.create({ kernelX: 'cosine', kernelY: 'linear', dx: 3, dy: 2 });
  const ok = Array.from({ length: 5 }, (_, i) => [1, i, 2]);
  const oky = Array.from({ length: 5 }, (_, i) => [i, 1]);
  a.add(ok, oky);
  const zero = ok.map((r) => r.slice());
  zero[2] = [0, 0, 0];
  assert.throws(
    () => a.add(zero, oky),
    (e: any) => e instanceof InputError && /row 8 \(1-based\) is all zeros/.test(e.message) && e.source === 'X',
  );
  const nan = oky.map((r) => r.slice());
  nan[4][1] = NaN;
  assert.throws(
    () => a.add(ok, nan),
    (e: any) => e instanceof InputError && /row 10/.test(e.message) && /NaN/.test(e.message) && e.source === 'Y',
  );
  const inf = ok.map((r) => r.slice());
  inf[0][1] = -Infinity;
  const g = await SpecAccumulator.create({ kernelX: { type: 'gaussian', sigma: 1, rffDim: 8 }, kernelY: 'linear', dx: 3, dy: 2 });
  assert.throws(
    () => g.add(inf, oky),
    (e: any) => e instanceof InputError && /non-finite value -Infinity at row 1, column 2 \(1-based\)/.test(e.message),
  );
  a.dispose();
  g.dispose();
});

test('n ≤ D with η = 0: every eigenvalue of Λ is positive, and y-not-x is minus the smallest of them', async () => {
  // Λ = X Xᵀ/n (linear, η = 0) has n positive eigenvalues when n ≤ dx: 0 is not in its
  // spectrum, so λmin is the smallest eigenvalue, not the smallest of the top-k.
  const n = 30,
    dx = 40,
    dy = 40,
    r = mulberry(11);
  const X = { data: Float32Array.from({ length: n * dx }, () => r() * 2 - 1), rows: n, cols: dx };
  const Y = { data: Float32Array.from({ length: n * dy }, () => r() * 2 - 1), rows: n, cols: dy };
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < dx; c++) s += X.data[i * dx + c] * X.data[j * dx + c];
      L[i * n + j] = s / n;
    }
  const ref = [...jacobiEig(L, n).values].sort((a, b) => a - b);
  const acc = await SpecAccumulator.create({ kernelX: 'linear', kernelY: 'linear', dx, dy, eta: 0 });
  acc.add(X, Y);
  const sol = acc.solve({ topK: 3 });
  acc.dispose();
  assert.ok(Math.abs(sol.specDiff.xNotY - ref[n - 1]) < 1e-6 * ref[n - 1], `xNotY ${sol.specDiff.xNotY} vs ${ref[n - 1]}`);
  assert.ok(Math.abs(-sol.specDiff.yNotX - ref[0]) < 1e-6 * ref[n - 1], `yNotX ${sol.specDiff.yNotX} vs −λmin ${-ref[0]}`);
});
