import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import * as gram from '../../../src/wasm/gram.js';
import { loadFixture } from '../../fixtures/kernels/load.mjs';
import { randomF32 } from '../../shared/rng.mjs';

await init();

test('gram (linear, cosine, gaussian) matches NumPy/SciPy, full symmetric', () => {
  for (const c of loadFixture('gram')) {
    const { n, d, sigma, scale } = c;
    const X = memory.f32(n * d).set(c.X);
    const out = memory.f64(n * n);
    for (const kind of ['linear', 'cosine', 'gaussian'] as const) {
      out.view.fill(NaN);
      gram.gram(X, n, d, kind, sigma, out, scale);
      const got = out.view,
        exp = c[kind];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          assert.equal(got[i * n + j], got[j * n + i], `${kind} symmetric`);
          let mag = 0;
          for (let p = 0; p < d; p++) mag += Math.abs(c.X[i * d + p] * c.X[j * d + p]);
          // linear: f32 products over ≤ 256 coords; cosine/gaussian: relative to the norms
          const tol =
            kind === 'linear'
              ? 2e-6 * scale * mag + 1e-7 * Math.abs(exp[i * n + j])
              : kind === 'cosine'
                ? ((2e-6 * mag) / Math.sqrt(c.linear[i * n + i] * c.linear[j * n + j])) * scale + 2e-7 * scale
                : 1e-6 * scale * (1 + mag / (sigma * sigma));
          assert.ok(Math.abs(got[i * n + j] - exp[i * n + j]) <= tol + 1e-300, `${kind} n=${n} d=${d} (${i},${j}): ${got[i * n + j]} vs ${exp[i * n + j]}`);
        }
      }
      if (kind !== 'linear') for (let i = 0; i < n; i++) assert.equal(got[i * n + i], scale, `${kind} diagonal exact`);
    }
    const pd = gram.pairwiseDistances(X, n, d);
    assert.equal(pd.length, (n * (n - 1)) / 2);
    for (let i = 0; i < pd.length; i++) assert.ok(Math.abs(pd[i] - c.pdist[i]) <= 1.2e-7 * c.pdist[i], `pdist ${i}`);
    X.free();
    out.free();
  }
});

test('gram rejects zero rows (cosine), NaN/Inf and bad σ with clear errors', () => {
  const n = 4,
    d = 3;
  const x = randomF32(n * d, 3);
  x.fill(0, 2 * d, 3 * d);
  const X = memory.f32(n * d).set(x),
    out = memory.f64(n * n);
  assert.throws(
    () => gram.gram(X, n, d, 'cosine', 1, out, 1),
    (e: any) => e.name === 'InputError' && /row 3 \(1-based\) is all zeros/.test(e.message),
  );
  gram.gram(X, n, d, 'gaussian', 1, out, 1);
  assert.equal(out.view[2 * n + 2], 1);
  X.view[1] = NaN;
  assert.throws(
    () => gram.gram(X, n, d, 'linear', 1, out, 1),
    (e: any) => e.name === 'InputError' && /non-finite value NaN at row 1, column 2 \(1-based\)/.test(e.message),
  );
  assert.throws(() => gram.gram(X, n, d, 'gaussian', 0, out, 1), RangeError);
  assert.throws(() => gram.gram(X, n, d, 'gaussian', NaN, out, 1), RangeError);
  X.free();
  out.free();
});

test('gramBandF64: a band from row 32·k on equals those rows of the whole Gram bit for bit; bad rows named globally', () => {
  const n = 100,
    d = 7,
    r0 = 64,
    r1 = 96,
    m = n - r0;
  const X = memory.f32(n * d).set(randomF32(n * d, 11)),
    full = memory.f64(n * n),
    band = memory.f64((r1 - r0) * m);
  try {
    gram.gram(X, n, d, 'gaussian', 0.9, full, 0.5);
    gram.gramBandF64(X, r0, m, d, 'gaussian', 1 / (2 * 0.9 * 0.9), band, 0.5, r1 - r0, r0);
    for (let i = r0; i < r1; i++) for (let j = i; j < n; j++) assert.equal(band.view[(i - r0) * m + (j - r0)], full.view[i * n + j], `(${i}, ${j})`);
    X.view[(r0 + 3) * d + 2] = Infinity;
    assert.throws(
      () => gram.gramBandF64(X, r0, m, d, 'linear', 0, band, 1, r1 - r0, r0, 'X'),
      (e: any) => e.name === 'InputError' && /row 68, column 3/.test(e.message),
    );
    assert.throws(() => gram.gramBandF64(X, r0, m + 1, d, 'linear', 0, band, 1, r1 - r0, r0), RangeError);
  } finally {
    X.free();
    full.free();
    band.free();
  }
});

test('pairwiseDistancesRows in steps equals pairwiseDistances; expNegScaled and symmetrizeRows against plain loops', () => {
  const rows = 23,
    d = 5;
  const X = memory.f32(rows * d).set(randomF32(rows * d, 12)),
    out = memory.f64((rows * (rows - 1)) / 2);
  try {
    for (const [i0, i1] of [
      [0, 4],
      [4, 5],
      [5, 22],
    ])
      gram.pairwiseDistancesRows(X, rows, d, i0, i1, out);
    assert.deepEqual(out.toArray(), gram.pairwiseDistances(X, rows, d));
    assert.throws(() => gram.pairwiseDistancesRows(X, rows, d, 3, rows + 1, out), RangeError);
  } finally {
    X.free();
    out.free();
  }
  const v = Float64Array.from({ length: 40 }, (_, i) => i / 7),
    x = memory.f64(40).set(v);
  try {
    gram.expNegScaled(x, 5, 30, 0.25);
    for (let i = 0; i < 40; i++) {
      const want = i >= 5 && i < 35 ? Math.exp(-v[i] * 0.25) : v[i];
      assert.ok(Math.abs(x.view[i] - want) <= 2e-16 * Math.abs(want), `exp ${i}`);
    }
    assert.throws(() => gram.expNegScaled(x, 20, 21, 1), RangeError);
  } finally {
    x.free();
  }
  const n = 70,
    K = memory.f64(n * n).set(Float64Array.from({ length: n * n }, (_, k) => k));
  try {
    gram.symmetrizeRows(K, n, 0, 32);
    gram.symmetrizeRows(K, n, 32, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(K.view[i * n + j], Math.min(i, j) * n + Math.max(i, j));
    assert.throws(() => gram.symmetrizeRows(K, n, 5, 10), RangeError);
  } finally {
    K.free();
  }
});
