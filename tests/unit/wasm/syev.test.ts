// The dense eigen wrappers against plain f64 references: A·v = λv for every pair,
// eigenvalues ascending, the tridiagonal QL, the transpose, and buffer checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import { dsyevRaw, dsteqlT, eigTranspose } from '../../../src/wasm/syev.js';
import { randomSymmetric as randSym } from '../../shared/rng.mjs';

await init();

/** max over pairs of ‖A z − λ z‖ for the rows z of zt (f64 in JS). */
function worstResidual(A: Float64Array, n: number, d: Float64Array, zt: Float64Array): number {
  let worst = 0;
  for (let e = 0; e < n; e++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += A[i * n + j] * zt[e * n + j];
      s += (t - d[e] * zt[e * n + i]) ** 2;
    }
    worst = Math.max(worst, Math.sqrt(s));
  }
  return worst;
}

test('dsyevRaw: ascending eigenvalues, rows of zt are unit eigenvectors (f64 residual)', () => {
  for (const n of [1, 2, 7, 33]) {
    const A = randSym(n, n);
    const sc = new memory.Scope();
    try {
      const a = sc.f64(n * n).set(A),
        d = sc.f64(n),
        zt = sc.f64(n * n),
        w = sc.f64(4 * n);
      assert.equal(dsyevRaw(n, a, d, zt, w), 0);
      const dv = d.toArray(),
        z = zt.toArray();
      for (let i = 1; i < n; i++) assert.ok(dv[i - 1] <= dv[i], 'ascending');
      assert.ok(worstResidual(A, n, dv, z) < 1e-12 * n, `n=${n}`);
      for (let e = 0; e < n; e++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += z[e * n + j] ** 2;
        assert.ok(Math.abs(s - 1) < 1e-13 * n);
      }
    } finally {
      sc.free();
    }
  }
});

test('dsteqlT: the tridiagonal [2 1; 1 2] from the identity has eigenvalues 1, 3', () => {
  const sc = new memory.Scope();
  try {
    const d = sc.f64(2).set(Float64Array.of(2, 2)),
      e = sc.f64(2).set(Float64Array.of(1, 0)),
      zt = sc.f64(4).set(Float64Array.of(1, 0, 0, 1));
    assert.equal(dsteqlT(2, d, e, zt), 0);
    const v = d.toArray();
    assert.ok(Math.abs(v[0] - 1) < 1e-15 && Math.abs(v[1] - 3) < 1e-15);
    assert.ok(worstResidual(Float64Array.of(2, 1, 1, 2), 2, v, zt.toArray()) < 1e-15);
  } finally {
    sc.free();
  }
});

test('eigTranspose equals a plain transpose; buffers too small or aliased are refused', () => {
  const n = 37,
    src = randSym(n, 5);
  for (let i = 0; i < n; i++) src[i * n] += i; // not symmetric any more
  const sc = new memory.Scope();
  try {
    const a = sc.f64(n * n).set(src),
      out = sc.f64(n * n);
    eigTranspose(n, a, out);
    const o = out.view;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(o[i * n + j], src[j * n + i]);
    assert.throws(() => eigTranspose(n, a, a), /in place/);
    assert.throws(() => dsyevRaw(n, a, sc.f64(n - 1), out, sc.f64(4 * n)), RangeError);
    assert.throws(() => dsteqlT(n, sc.f64(n), sc.f64(n), sc.f64(n)), RangeError);
  } finally {
    sc.free();
  }
});
