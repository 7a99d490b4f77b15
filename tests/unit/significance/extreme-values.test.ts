// The matrix-free Lanczos of the FINC permutation test (src/significance/extreme-values.ts)
// and the exact route's kernel factor (kernel-factor.ts): Ritz values of operators with
// known spectra, batch runs equal to single runs, and Φ·Φᵀ = K on a rank-deficient kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import { lanczosSteps, ritzValuesBatch } from '../../../src/significance/extreme-values.js';
import { kernelFactorSteps } from '../../../src/significance/kernel-factor.js';
import { drain } from '../../../src/runtime/cooperative.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

test('Ritz values: a diagonal operator (D ≤ m) gives its spectrum exactly; a batch equals its runs alone', () => {
  const diag = [
    Float64Array.from([3, -2, 0.5, 0, 1, -1.5]),
    Float64Array.from([1, 1, 1, 1, 1, 1]), // one eigenvalue: the Krylov space is exhausted at once
  ];
  const apply = (vs: Float64Array[], outs: Float64Array[], which: number[]) => vs.forEach((v, b) => outs[b].set(v.map((x, i) => diag[which[b]][i] * x)));
  const both = drain(ritzValuesBatch((vs, outs) => apply(vs, outs, [0, 1]), 2, 6, lanczosSteps(6, 2), 1));
  const want = [...diag[0]].sort((a, b) => a - b);
  both[0].forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-12, `${v} vs ${want[i]}`));
  assert.equal(both[1].length, 1);
  assert.ok(Math.abs(both[1][0] - 1) < 1e-12);
  const alone = drain(ritzValuesBatch((vs, outs) => apply(vs, outs, [0]), 1, 6, lanczosSteps(6, 2), 1));
  assert.deepEqual(alone[0], both[0]);
});

test('the extremes of a large diagonal operator converge in lanczosSteps(D, k) steps', () => {
  const D = 500;
  const d = Float64Array.from({ length: D }, (_, i) => Math.sin(i * 1.7) * (i % 50 === 0 ? 3 : 1));
  const vals = drain(ritzValuesBatch((vs, outs) => outs[0].set(vs[0].map((x, i) => d[i] * x)), 1, D, lanczosSteps(D, 2), 3))[0];
  const sorted = [...d].sort((a, b) => a - b);
  assert.ok(Math.abs(vals[vals.length - 1] - sorted[D - 1]) < 1e-8);
  assert.ok(Math.abs(vals[0] - sorted[0]) < 1e-8);
});

test('kernel factor: Φ·Φᵀ = K for a rank-3 kernel of 40 rows, rank found', () => {
  const n = 40,
    r = 3;
  const F = randomF32(n * r, 9);
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let c = 0; c < r; c++) K[i * n + j] += F[i * r + c] * F[j * r + c];
  const { phi, rank } = drain(kernelFactorSteps(K, n));
  try {
    assert.equal(rank, r);
    const f = phi.view;
    let err = 0,
      big = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let c = 0; c < rank; c++) s += f[i * rank + c] * f[j * rank + c];
        err = Math.max(err, Math.abs(s - K[i * n + j]));
        big = Math.max(big, Math.abs(K[i * n + j]));
      }
    assert.ok(err <= 1e-6 * big, `max |ΦΦᵀ − K| = ${err}`);
  } finally {
    phi.free();
  }
});
