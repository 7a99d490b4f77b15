// dsymvUpper against a plain f64 product with the full symmetric matrix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import { dsymvUpper } from '../../../src/wasm/symv.js';
import { mulberry32 } from '../../shared/rng.mjs';

await init();

test('dsymvUpper reads the upper triangle only and matches the full product', () => {
  for (const n of [1, 3, 4, 5, 17, 64]) {
    const r = mulberry32(n),
      A = new Float64Array(n * n),
      x = Float64Array.from({ length: n }, () => r() - 0.5);
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        const v = r() - 0.5;
        A[i * n + j] = v;
        A[j * n + i] = v;
      }
    const upper = A.slice();
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) upper[i * n + j] = NaN;
    const sc = new memory.Scope();
    try {
      const a = sc.f64(n * n).set(upper),
        xv = sc.f64(n).set(x),
        y = sc.f64(n);
      dsymvUpper(n, a, xv, y);
      for (let i = 0; i < n; i++) {
        let t = 0,
          mag = 0;
        for (let j = 0; j < n; j++) {
          t += A[i * n + j] * x[j];
          mag += Math.abs(A[i * n + j] * x[j]);
        }
        assert.ok(Math.abs(y.view[i] - t) <= 1e-15 * mag + 1e-300, `n=${n} row ${i}`);
      }
      assert.throws(() => dsymvUpper(n + 1, a, xv, y), RangeError);
    } finally {
      sc.free();
    }
  }
});
