import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import * as dense from '../../../src/solve/dense.js';
import { mulberry32, randomSymmetric as randSym, f64FromBase64 as f64 } from '../../shared/rng.mjs';

await init();

const fx = JSON.parse(readFileSync(new URL('../../fixtures/eigen/syev.json', import.meta.url), 'utf8'));

/** Same generator as rand_sym in scripts/fixtures/make_eigen_fixtures.py. */

function check(name: string, n: number, values: Float64Array, vectors: Float64Array, refW: number[], refV: Float64Array, a?: Float64Array) {
  const norm = Math.max(...refW.map(Math.abs), 1e-300);
  for (let j = 0; j < n; j++) assert.ok(Math.abs(values[j] - refW[j]) <= 1e-9 * norm, `${name}: λ${j} ${values[j]} vs ${refW[j]}`);
  for (let j = 0; j < n; j++) {
    const gap = Math.min(j > 0 ? refW[j] - refW[j - 1] : Infinity, j < n - 1 ? refW[j + 1] - refW[j] : Infinity);
    if (gap < 1e-6 * norm) continue;
    let dot = 0,
      nn = 0;
    for (let i = 0; i < n; i++) {
      dot += vectors[i * n + j] * refV[i * n + j];
      nn += vectors[i * n + j] ** 2;
    }
    assert.ok(Math.abs(dot) >= 1 - 1e-8, `${name}: |cos| of vector ${j} = ${Math.abs(dot)}`);
    assert.ok(Math.abs(nn - 1) < 1e-12);
  }
  // orthonormal columns and small residuals for every pair (clusters included)
  for (let p = 0; p < n; p++)
    for (let q = p; q < Math.min(n, p + 3); q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += vectors[i * n + p] * vectors[i * n + q];
      assert.ok(Math.abs(s - (p === q ? 1 : 0)) < 1e-12, `${name}: orthogonality ${p},${q}: ${s}`);
    }
  if (a)
    for (let j = 0; j < n; j++) {
      let r2 = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let t = 0; t < n; t++) s += a[i * n + t] * vectors[t * n + j];
        r2 += (s - values[j] * vectors[i * n + j]) ** 2;
      }
      assert.ok(Math.sqrt(r2) <= 1e-12 * n * norm, `${name}: residual ${Math.sqrt(r2)}`);
    }
}

for (const c of fx.cases) {
  test(`syev ${c.name} agrees with numpy.linalg.eigh`, () => {
    const n = c.n;
    if (c.tridiagonal) {
      const { values, vectors } = dense.steqr(Float64Array.from(c.tridiagonal.d), Float64Array.from(c.tridiagonal.e));
      check(c.name, n, values, vectors, c.values, f64(c.vectors));
      return;
    }
    const a = c.A ? f64(c.A) : randSym(n, c.seed);
    const A = memory.f64(n * n).set(a);
    const { values, vectors } = dense.syev(A, n);
    assert.deepEqual(A.toArray(), a, 'input untouched');
    A.free();
    for (let j = 1; j < n; j++) assert.ok(values[j] >= values[j - 1], 'ascending');
    check(c.name, n, values, vectors, c.values, f64(c.vectors), a);
  });
}

test('syev reads only the upper triangle', () => {
  const n = 9,
    a = randSym(n, 5),
    b = a.slice();
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) b[i * n + j] = 1e30;
  const A = memory.f64(n * n).set(a),
    B = memory.f64(n * n).set(b);
  const ra = dense.syev(A, n),
    rb = dense.syev(B, n);
  assert.deepEqual(rb.values, ra.values);
  assert.deepEqual(rb.vectors, ra.vectors);
  A.free();
  B.free();
});

test('syev and steqr handle empty, diagonal and NaN input', () => {
  assert.equal(dense.syev(memory.f64(0), 0).values.length, 0);
  const D = memory.f64(9).set([3, 0, 0, 0, 1, 0, 0, 0, 2]);
  assert.deepEqual(Array.from(dense.syev(D, 3).values), [1, 2, 3]);
  D.set([1, NaN, 0, NaN, 1, 0, 0, 0, 1]);
  assert.throws(() => dense.syev(D, 3), RangeError);
  D.free();
  const r = dense.steqr(new Float64Array([2, 2]), new Float64Array([1]));
  assert.ok(Math.abs(r.values[0] - 1) < 1e-15 && Math.abs(r.values[1] - 3) < 1e-15);
});

// Subnormal entries used to break the reflectors (1/scale overflows, then QL never
// converges or returns eigenvalues off by 20%); LAPACK scales the matrix first.
for (const [name, offDiag, diagScale] of [
  ['subnormal off-diagonal (1e-310) under a normal diagonal', 1e-310, 1],
  ['the smallest subnormal off-diagonal', 5e-324, 1],
  ['a subnormal matrix (diagonal 1e-310)', 1e-320, 1e-310],
  ['a huge matrix (diagonal 1e300)', 1e280, 1e300],
] as [string, number, number][]) {
  test(`syev: ${name} — eigenvalues are the diagonal (off-diagonal negligible)`, () => {
    const n = 46,
      r = mulberry32(3),
      a = new Float64Array(n * n);
    const diag = Array.from({ length: n }, (_, i) => -0.0007 * diagScale * (1 + i / 100));
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        const v = i === j ? diag[i] : offDiag * (r() * 2 - 1);
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    const A = memory.f64(n * n).set(a);
    const e = dense.syev(A, n);
    A.free();
    const want = [...diag].sort((p, q) => p - q);
    // Off-diagonals ≤ 1e-17 of the diagonal move eigenvalues by far less than syev's own
    // backward error, n·u·‖A‖.
    const tol = n * 2 ** -53 * Math.abs(want[0]);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(e.values[i] - want[i]) <= tol, `λ${i} = ${e.values[i]}, want ${want[i]}`);
  });
}
