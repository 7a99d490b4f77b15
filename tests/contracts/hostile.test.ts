// Inputs that could give wrong answers or unbounded work while exiting 0: more modes
// than eigenvalues, round-off reported as modes, huge sizes taken from options, clustered
// tiny eigenvalues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare } from '../../src/index.js';
import { mulberry32 } from '../shared/rng.mjs';

function gaussianMatrix(rows: number, cols: number, seed: number) {
  const r = mulberry32(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  return { data, rows, cols };
}

for (const method of ['exact', 'covariance'] as const) {
  test(`${method}: an n × n Λ has at most n modes, each reported once (topK ≥ n)`, async () => {
    for (const n of [1, 2, 3, 7, 60]) {
      const X = gaussianMatrix(n, 5, n),
        Y = gaussianMatrix(n, 4, n + 100);
      const res = await compare(X, Y, { kernel: 'linear', topK: 1e9, method });
      assert.ok(res.modes.length <= n, `n = ${n}: ${res.modes.length} modes`);
      const values = res.modes.map((m) => m.eigenvalue);
      assert.equal(new Set(values).size, values.length, `n = ${n}: duplicated eigenvalues ${values}`);
      for (const m of res.modes) assert.equal(m.side, m.eigenvalue > 0 ? 'x' : 'y');
    }
  });

  test(`${method}: round-off is not reported as modes, and the result says how many were dropped`, async () => {
    // Λ = 0 in exact arithmetic: the same data on both sides, and identical rows.
    const X = gaussianMatrix(80, 6, 3);
    const same = await compare(X, X, { kernel: 'linear', method });
    assert.equal(same.modes.length, 0);
    const row = gaussianMatrix(1, 9, 4).data;
    const rows = new Float32Array(50 * 9);
    for (let i = 0; i < 50; i++) rows.set(row, i * 9);
    const Z = { data: rows, rows: 50, cols: 9 };
    const res = await compare(Z, Z, { kernel: 'cosine', method });
    assert.equal(res.modes.length, 0, `identical rows gave ${res.modes.map((m) => m.eigenvalue)}`);
    assert.ok(res.specDiff.norm <= 1e-6, `specDiff ${res.specDiff.norm}`);
    assert.equal(typeof res.noiseDropped, 'number');
  });
}

test('samplesPerMode far beyond n is clamped to n (no allocation from the typed number)', async () => {
  const X = gaussianMatrix(200, 8, 5),
    Y = gaussianMatrix(200, 8, 6);
  const res = await compare(X, Y, { kernel: 'cosine', samplesPerMode: 1e9, topK: 2, method: 'exact' });
  assert.ok(
    res.notes?.some((n) => /samplesPerMode/.test(n) && /200/.test(n)),
    `the clamp is noted: ${JSON.stringify(res.notes)}`,
  );
  for (const m of res.modes) {
    assert.equal(m.top.length, 200);
    const idx = new Set(m.top.map((t) => t.index));
    assert.equal(idx.size, 200);
    for (let i = 1; i < m.top.length; i++) assert.ok(m.top[i - 1].score >= m.top[i].score);
  }
});

test('syev converges on the pooled kernel of two identical sets under a narrow Gaussian (clustered tiny eigenvalues)', async () => {
  // Clustered tiny eigenvalues need many QL sweeps: a fixed sweep budget per eigenvalue fails here.
  const { finc } = await import('../../src/index.js');
  const n = 600,
    d = 24,
    r = mulberry32(5);
  const X = new Float32Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r()) + 3;
  const Y = new Float32Array(X.length);
  for (let i = 0; i < n; i++) Y.set(X.subarray(((i * 7) % n) * d, ((i * 7) % n) * d + d), i * d);
  const res = await finc({ data: X, rows: n, cols: d }, { data: Y, rows: n, cols: d }, { kernel: { type: 'gaussian', sigma: 1 }, method: 'exact', topK: 4 });
  assert.equal(res.method, 'exact');
  assert.equal(res.modes.length, 0, 'the same samples in both sets: no mode');
});

test('finc: an absurd rffDim is refused before allocating, naming the option and the memory', async () => {
  const { finc, InputError } = await import('../../src/index.js');
  const X = gaussianMatrix(50, 4, 7),
    Y = gaussianMatrix(40, 4, 8);
  await assert.rejects(
    finc(X, Y, { kernel: { type: 'gaussian', sigma: 1, rffDim: 1e9 }, method: 'covariance' }),
    (e: Error) =>
      e instanceof InputError &&
      /^rffDim of kernel = 1000000000 gives D = 2000000000 features: each of the two D × D f64 covariances would need [\d.]+ GiB/.test(e.message),
  );
});
