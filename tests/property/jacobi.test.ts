// The reference eigensolver of the property suites must itself be right: checked on
// matrices with known spectra (Q·diag(λ)·Qᵀ from Householder reflectors, including
// repeated, zero and tiny/huge eigenvalues) and on analytic 2 × 2 cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jacobiEig } from './helpers/jacobi.js';
import { mulberry32 } from '../shared/rng.mjs';

function withSpectrum(lams: number[], seed: number): Float64Array {
  const n = lams.length,
    r = mulberry32(seed);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) A[i * n + i] = lams[i];
  for (let k = 0; k < 3; k++) {
    // A ← H A H with H = I − 2vvᵀ (orthogonal, symmetric).
    const v = Float64Array.from({ length: n }, () => r() - 0.5);
    const nv = Math.hypot(...v);
    v.forEach((x, i) => (v[i] = x / nv));
    const Av = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Av[i] += A[i * n + j] * v[j];
    let vAv = 0;
    for (let i = 0; i < n; i++) vAv += v[i] * Av[i];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] += -2 * v[i] * Av[j] - 2 * Av[i] * v[j] + 4 * vAv * v[i] * v[j];
  }
  return A;
}

test('Jacobi recovers known spectra (repeated, zero, mixed-sign, scaled)', () => {
  const r = mulberry32(5);
  for (const [n, scale] of [
    [1, 1],
    [2, 1],
    [7, 1e-30],
    [40, 1],
    [120, 1e30],
  ] as const) {
    const lams = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : i % 7 === 0 ? 0.5 : r() * 2 - 1) * scale);
    const { values, vectors } = jacobiEig(withSpectrum(lams, n), n, true);
    const want = [...lams].sort((a, b) => a - b);
    const norm = Math.max(...want.map(Math.abs)) || 1;
    values.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-12 * norm, `n=${n}: λ${i} = ${v}, want ${want[i]}`));
    // Vectors: orthonormal and A v = λ v.
    const A = withSpectrum(lams, n);
    for (let j = 0; j < n; j++) {
      let res = 0,
        nn = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += A[i * n + k] * vectors![k * n + j];
        res += (s - values[j] * vectors![i * n + j]) ** 2;
        nn += vectors![i * n + j] ** 2;
      }
      assert.ok(Math.abs(nn - 1) < 1e-12 && Math.sqrt(res) <= 1e-12 * norm, `n=${n}: vector ${j}`);
    }
  }
});

test('Jacobi on 2 × 2: eigenvalues (a + c)/2 ± √(((a − c)/2)² + b²)', () => {
  for (const [a, b, c] of [
    [1, 2, 3],
    [0, 1, 0],
    [5, 0, -5],
    [1e-20, 3e-20, -2e-20],
  ]) {
    const { values } = jacobiEig([a, b, b, c], 2);
    const m = (a + c) / 2,
      h = Math.hypot((a - c) / 2, b);
    assert.ok(Math.abs(values[0] - (m - h)) <= 1e-15 * Math.abs(h) + 1e-300);
    assert.ok(Math.abs(values[1] - (m + h)) <= 1e-15 * Math.abs(h) + 1e-300);
  }
});
