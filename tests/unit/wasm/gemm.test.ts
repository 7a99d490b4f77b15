import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import * as gemm from '../../../src/wasm/gemm.js';
import { loadFixture } from '../../fixtures/kernels/load.mjs';
import { randomF32 } from '../../shared/rng.mjs';

await init();

test('sgemm matches NumPy (float64 reference) on odd sizes, with beta', () => {
  for (const c of loadFixture('gemm')) {
    const { m, n, k, beta } = c;
    const A = memory.f32(m * k).set(c.A),
      B = memory.f32(k * n).set(c.B),
      C = memory.f32(m * n).set(c.C);
    gemm.sgemm(m, n, k, A, k, B, n, C, n, beta);
    const got = C.view;
    // f32 accumulation: error ≲ k·eps·Σ|a||b|; bound with the row/column magnitudes
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let mag = Math.abs(beta * c.C[i * n + j]);
        for (let p = 0; p < k; p++) mag += Math.abs(c.A[i * k + p] * c.B[p * n + j]);
        const e = c.expected[i * n + j];
        assert.ok(Math.abs(got[i * n + j] - e) <= 2e-6 * mag + 1e-7 * Math.abs(e) + 1e-30, `${m}x${n}x${k} (${i},${j}): ${got[i * n + j]} vs ${e}`);
      }
    }
    A.free();
    B.free();
    C.free();
  }
});

test('sgemm honours leading dimensions and offsets, leaving the rest of C untouched', () => {
  const m = 13,
    n = 10,
    k = 7,
    lda = 9,
    ldb = 12,
    ldc = 15,
    aOff = 3,
    bOff = 5,
    cOff = 2;
  const a = randomF32(aOff + m * lda, 1),
    b = randomF32(bOff + k * ldb, 2),
    c = randomF32(cOff + m * ldc, 3);
  const A = memory.f32(a.length).set(a),
    B = memory.f32(b.length).set(b),
    C = memory.f32(c.length).set(c);
  gemm.sgemm(m, n, k, A, lda, B, ldb, C, ldc, 1, aOff, bOff, cOff);
  const got = C.view;
  for (let idx = 0; idx < c.length; idx++) {
    const r = Math.floor((idx - cOff) / ldc),
      col = (idx - cOff) % ldc;
    if (idx < cOff || r >= m || col >= n) {
      assert.equal(got[idx], c[idx], `untouched ${idx}`);
      continue;
    }
    let s = c[idx];
    for (let p = 0; p < k; p++) s += a[aOff + r * lda + p] * b[bOff + p * ldb + col];
    assert.ok(Math.abs(got[idx] - s) < 1e-5, `(${r},${col})`);
  }
  A.free();
  B.free();
  C.free();
});

test('sgemm with beta = 0 ignores NaN in C; k = 0 scales C', () => {
  const A = memory.f32(6).set([1, 2, 3, 4, 5, 6]),
    B = memory.f32(6).set([1, 0, 0, 1, 1, 1]);
  const C = memory.f32(4).set([NaN, NaN, NaN, NaN]);
  gemm.sgemm(2, 2, 3, A, 3, B, 2, C, 2, 0);
  assert.deepEqual([...C.view], [4, 5, 10, 11]);
  gemm.sgemm(2, 2, 0, A, 3, B, 2, C, 2, 2);
  assert.deepEqual([...C.view], [8, 10, 20, 22]);
  assert.throws(() => gemm.sgemm(3, 3, 3, A, 3, B, 3, C, 3, 0), RangeError);
  A.free();
  B.free();
  C.free();
});
