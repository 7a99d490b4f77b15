// The Lanczos wrappers against plain f64 references: the bound operators (dense
// upper triangle; Θ = R S Rᵀ from the transposed factor), Lanczos steps (an
// orthonormal basis with Qᵀ A Q = T), combining rows, the map back, the norms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import * as lz from '../../../src/wasm/lanczos.js';
import { mulberry32, randomSymmetric as randSym } from '../../shared/rng.mjs';

await init();

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/** A transposed r × D factor in a D × D buffer: row c holds R[t][c] for t ≤ min(c, r − 1), zeros elsewhere. */
function factor(r: number, D: number, seed: number): Float64Array {
  const g = mulberry32(seed),
    a = new Float64Array(D * D);
  for (let c = 0; c < D; c++) for (let t = 0; t <= Math.min(c, r - 1); t++) a[c * D + t] = g() * 2 - 1;
  return a;
}

test('dense operator: lzApply = A x, lzFrob2Upper = Σ over the upper triangle', () => {
  const n = 29,
    A = randSym(n, 1),
    x = Float64Array.from(randSym(n, 2).subarray(0, n));
  const sc = new memory.Scope();
  try {
    const a = sc.f64(n * n).set(A),
      xv = sc.f64(2 * n),
      y = sc.f64(n);
    xv.view.set(x, n);
    lz.lzBind('dense', n, n, a, null);
    lz.lzApply(xv, y, n);
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += A[i * n + j] * x[j];
      close(y.view[i], t, 1e-13, `row ${i}`);
    }
    let f = 0;
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) f += A[i * n + j] ** 2;
    close(lz.lzFrob2Upper(n, a), f, 1e-12, 'Frobenius²');
  } finally {
    sc.free();
  }
});

test('rsr operator: lzApply = R S Rᵀ x, lzRsrBack = S Rᵀ w, lzRsrFrob2 = ‖R‖²', () => {
  const D = 23,
    r = 9,
    a0 = factor(r, D, 3),
    g = mulberry32(4);
  const s = Float64Array.from({ length: D }, (_, c) => (c % 3 === 0 ? -1 : 1)),
    x = Float64Array.from({ length: r }, () => g() - 0.5);
  const R = (t: number, c: number) => (t <= Math.min(c, r - 1) ? a0[c * D + t] : 0);
  const sc = new memory.Scope();
  try {
    const a = sc.f64(D * D).set(a0),
      sv = sc.f64(D).set(s),
      xv = sc.f64(D),
      y = sc.f64(D),
      back = sc.f64(D);
    xv.view.set(x);
    lz.lzBind('rsr', r, D, a, sv);
    lz.lzApply(xv, y);
    const z = new Float64Array(D);
    for (let c = 0; c < D; c++) {
      let t = 0;
      for (let u = 0; u < r; u++) t += R(u, c) * x[u];
      z[c] = s[c] * t;
    }
    for (let t = 0; t < r; t++) {
      let v = 0;
      for (let c = 0; c < D; c++) v += R(t, c) * z[c];
      close(y.view[t], v, 1e-13, `Θx[${t}]`);
    }
    lz.lzRsrBack(r, D, a, sv, xv, back);
    for (let c = 0; c < D; c++) close(back.view[c], z[c], 1e-14, `S Rᵀ w[${c}]`);
    let f = 0;
    for (let c = 0; c < D; c++) for (let t = 0; t < r; t++) f += R(t, c) ** 2;
    close(lz.lzRsrFrob2(r, D, a), f, 1e-12, '‖R‖²');
    assert.throws(() => lz.lzBind('rsr', r, D, a, sc.f64(D - 1)), RangeError);
    assert.throws(() => lz.lzBind('rsr', r, D, a, null), RangeError);
    assert.throws(() => lz.lzBind('dense', D + 1, D + 1, a, null), RangeError);
  } finally {
    sc.free();
  }
});

test('lanczosStart + lanczosRun: orthonormal rows, Qᵀ A Q = T (tridiagonal), deterministic for a seed', () => {
  const n = 40,
    m = 12,
    ldt = m + 1,
    A = randSym(n, 7);
  const run = () => {
    const sc = new memory.Scope();
    try {
      const a = sc.f64(n * n).set(A),
        Q = sc.f64((m + 1) * n),
        T = sc.f64(ldt * ldt),
        w = sc.f64(n),
        h = sc.f64(ldt);
      T.view.fill(0);
      lz.lzBind('dense', n, n, a, null);
      assert.ok(lz.lanczosStart(Q, n, 0, w, h, 5n) > 0);
      assert.equal(lz.lanczosRun(Q, n, T, ldt, 0, 5, w, h, 0, 0), 5);
      assert.equal(lz.lanczosRun(Q, n, T, ldt, 5, m, w, h, 0, lz.lzNormEstimate()), m);
      return { Q: Q.toArray(), T: T.toArray() };
    } finally {
      sc.free();
    }
  };
  const { Q, T } = run();
  const row = (i: number) => Q.subarray(i * n, (i + 1) * n);
  const dot = (u: Float64Array, v: Float64Array) => u.reduce((s, ui, k) => s + ui * v[k], 0);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) close(dot(row(i), row(j)), i === j ? 1 : 0, 1e-13, `QᵀQ (${i}, ${j})`);
  for (let i = 0; i < m; i++) {
    const Aq = new Float64Array(n);
    for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) Aq[p] += A[p * n + q] * Q[i * n + q];
    for (let j = 0; j < m; j++) close(dot(row(j), Aq), Math.abs(i - j) <= 1 ? T[i * ldt + j] : 0, 1e-12, `QᵀAQ (${i}, ${j})`);
  }
  assert.deepEqual(run().T, T, 'same seed, same T');
});

test('lzCombineRows = Y Q (rows), unitRow scales a row to unit length', () => {
  const l = 3,
    m = 5,
    n = 11,
    ldy = 7,
    g = mulberry32(9);
  const Y = Float64Array.from({ length: l * ldy }, () => g() - 0.5),
    Qs = Float64Array.from({ length: m * n }, () => g() - 0.5);
  const sc = new memory.Scope();
  try {
    const y = sc.f64(l * ldy).set(Y),
      q = sc.f64(m * n).set(Qs),
      out = sc.f64(l * n);
    lz.lzCombineRows(l, m, n, y, ldy, q, out);
    for (let r = 0; r < l; r++)
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += Y[r * ldy + i] * Qs[i * n + c];
        close(out.view[r * n + c], s, 1e-14, `out (${r}, ${c})`);
      }
    const before = out.view.slice(n, 2 * n);
    lz.unitRow(out, 1, n);
    const norm = Math.hypot(...before);
    for (let c = 0; c < n; c++) close(out.view[n + c], before[c] / norm, 1e-15, `unit row ${c}`);
    assert.throws(() => lz.lzCombineRows(l, m, n, y, ldy, q, sc.f64(l * n - 1)), RangeError);
    assert.throws(() => lz.unitRow(out, l, n), RangeError);
  } finally {
    sc.free();
  }
});
