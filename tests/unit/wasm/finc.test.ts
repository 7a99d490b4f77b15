// The wrappers of FINC's exact route (src/wasm/finc.ts): the upper-triangle
// symmetric matvec and the in-place exp of squared distances.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import { dsymvUpper, expNegScaledAt } from '../../../src/wasm/finc.js';
import { randomF32 } from '../../shared/rng.mjs';

await init();

test('dsymvUpper reads the upper triangle only: A·x for the symmetric A it implies', () => {
  const n = 37,
    A = memory.f64(n * n),
    x = memory.f64(n),
    y = memory.f64(n);
  try {
    const r = randomF32(n * n + n, 3);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A.view[i * n + j] = j >= i ? r[i * n + j] : 1e300; // lower: garbage
    x.view.set(Float64Array.from(r.subarray(n * n)));
    dsymvUpper(n, A, x, y);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A.view[Math.min(i, j) * n + Math.max(i, j)] * x.view[j];
      assert.ok(Math.abs(y.view[i] - s) < 1e-12, `row ${i}`);
    }
    assert.throws(() => dsymvUpper(n + 1, A, x, y), RangeError);
  } finally {
    A.free();
    x.free();
    y.free();
  }
});

test('expNegScaledAt turns its range into exp(−γ·x) and leaves the rest', () => {
  const X = memory.f64(20);
  try {
    X.view.set(Float64Array.from({ length: 20 }, (_, i) => i / 4));
    expNegScaledAt(X, 5, 10, 0.7);
    for (let i = 0; i < 20; i++) {
      const v = i / 4;
      assert.ok(i >= 5 && i < 15 ? Math.abs(X.view[i] - Math.exp(-0.7 * v)) < 1e-15 : X.view[i] === v, `entry ${i}`);
    }
    assert.throws(() => expNegScaledAt(X, 15, 10, 1), RangeError);
    assert.throws(() => expNegScaledAt(X, 0, 5, NaN), RangeError);
  } finally {
    X.free();
  }
});
