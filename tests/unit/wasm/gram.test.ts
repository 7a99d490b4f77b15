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
      const got = out.view, exp = c[kind];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          assert.equal(got[i * n + j], got[j * n + i], `${kind} symmetric`);
          let mag = 0;
          for (let p = 0; p < d; p++) mag += Math.abs(c.X[i * d + p] * c.X[j * d + p]);
          // linear: f32 products over ≤ 256 coords; cosine/gaussian: relative to the norms
          const tol = kind === 'linear' ? 2e-6 * scale * mag + 1e-7 * Math.abs(exp[i * n + j])
            : kind === 'cosine' ? 2e-6 * mag / Math.sqrt(c.linear[i * n + i] * c.linear[j * n + j]) * scale + 2e-7 * scale
            : 1e-6 * scale * (1 + mag / (sigma * sigma));
          assert.ok(Math.abs(got[i * n + j] - exp[i * n + j]) <= tol + 1e-300, `${kind} n=${n} d=${d} (${i},${j}): ${got[i * n + j]} vs ${exp[i * n + j]}`);
        }
      }
      if (kind !== 'linear') for (let i = 0; i < n; i++) assert.equal(got[i * n + i], scale, `${kind} diagonal exact`);
    }
    const pd = gram.pairwiseDistances(X, n, d);
    assert.equal(pd.length, (n * (n - 1)) / 2);
    for (let i = 0; i < pd.length; i++) assert.ok(Math.abs(pd[i] - c.pdist[i]) <= 1.2e-7 * c.pdist[i], `pdist ${i}`);
    X.free(); out.free();
  }
});

test('gram rejects zero rows (cosine), NaN/Inf and bad σ with clear errors', () => {
  const n = 4, d = 3;
  const x = randomF32(n * d, 3);
  x.fill(0, 2 * d, 3 * d);
  const X = memory.f32(n * d).set(x), out = memory.f64(n * n);
  assert.throws(() => gram.gram(X, n, d, 'cosine', 1, out, 1), (e: any) => e.name === 'InputError' && /row 3 \(1-based\) is all zeros/.test(e.message));
  gram.gram(X, n, d, 'gaussian', 1, out, 1);
  assert.equal(out.view[2 * n + 2], 1);
  X.view[1] = NaN;
  assert.throws(() => gram.gram(X, n, d, 'linear', 1, out, 1), (e: any) => e.name === 'InputError' && /non-finite value NaN at row 1, column 2 \(1-based\)/.test(e.message));
  assert.throws(() => gram.gram(X, n, d, 'gaussian', 0, out, 1), RangeError);
  assert.throws(() => gram.gram(X, n, d, 'gaussian', NaN, out, 1), RangeError);
  X.free(); out.free();
});
