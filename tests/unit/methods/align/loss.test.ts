// λmax(KX − K_cos(Z)) and its gradient (loss.ts) against a plain f64 reference:
// the value by Jacobi eigenvalues in JS, ∂λ/∂Z by central finite differences of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/index.js';
import * as memory from '../../../../src/wasm/memory.js';
import { lambdaAndGrad } from '../../../../src/methods/align/loss.js';
import { randomF32 } from '../../../shared/rng.mjs';

await init();

/** Largest eigenvalue of a symmetric n × n matrix by cyclic Jacobi rotations (f64). */
function lambdaMax(A: Float64Array, n: number): number {
  const a = A.slice();
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      const apq = a[p * n + q];
      if (apq === 0) continue;
      const th = (a[q * n + q] - a[p * n + p]) / (2 * apq);
      const t = Math.sign(th || 1) / (Math.abs(th) + Math.sqrt(th * th + 1)), c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < n; k++) {
        const akp = a[k * n + p], akq = a[k * n + q];
        a[k * n + p] = c * akp - s * akq; a[k * n + q] = s * akp + c * akq;
      }
      for (let k = 0; k < n; k++) {
        const apk = a[p * n + k], aqk = a[q * n + k];
        a[p * n + k] = c * apk - s * aqk; a[q * n + k] = s * apk + c * aqk;
      }
    }
  }
  let m = -Infinity;
  for (let i = 0; i < n; i++) m = Math.max(m, a[i * n + i]);
  return m;
}

/** (1/b)·cosine Gram of the b × d rows (f64). */
function cosGram(z: ArrayLike<number>, b: number, d: number): Float64Array {
  const K = new Float64Array(b * b), nrm = new Float64Array(b);
  for (let i = 0; i < b; i++) { let s = 0; for (let j = 0; j < d; j++) s += z[i * d + j] ** 2; nrm[i] = Math.sqrt(s); }
  for (let i = 0; i < b; i++) for (let k = 0; k < b; k++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += z[i * d + j] * z[k * d + j];
    K[i * b + k] = s / (nrm[i] * nrm[k]) / b;
  }
  return K;
}

const lossRef = (KX: Float64Array, z: ArrayLike<number>, b: number, d: number) => {
  const KZ = cosGram(z, b, d);
  return lambdaMax(KX.map((v, i) => v - KZ[i]), b);
};

test('λmax and ∂λ/∂Z equal the f64 eigenvalue and its central finite differences', () => {
  const b = 14, dx = 5, d = 3;
  const KX = cosGram(randomF32(b * dx, 21), b, dx);
  const z = randomF32(b * d, 22);
  const sc = new memory.Scope();
  try {
    const kx = sc.f64(b * b).set(KX), M = sc.f64(b * b), Z = sc.f32(b * d).set(z);
    const r = lambdaAndGrad(kx, M, Z, b, d, 0, true, (i) => `row ${i + 1}`);
    const z64 = Float64Array.from(z);
    assert.ok(Math.abs(r.value - lossRef(KX, z64, b, d)) < 1e-6, `λ ${r.value}`);
    assert.ok(Math.abs(r.u.reduce((s, v) => s + v * v, 0) - 1) < 1e-12, 'unit eigenvector');
    assert.ok(r.u.reduce((s, v) => s + v, 0) >= 0, 'sign: sum ≥ 0');
    const h = 1e-5;
    let gmax = 0;
    for (const g of r.gradZ!) gmax = Math.max(gmax, Math.abs(g));
    for (let k = 0; k < b * d; k++) {
      const zp = z64.slice(), zm = z64.slice();
      zp[k] += h; zm[k] -= h;
      const fd = (lossRef(KX, zp, b, d) - lossRef(KX, zm, b, d)) / (2 * h);
      assert.ok(Math.abs(r.gradZ![k] - fd) <= 1e-4 * gmax + 1e-8, `∂λ/∂Z[${k}]: ${r.gradZ![k]} vs ${fd}`);
    }
    const v = lambdaAndGrad(kx, M, Z, b, d, 0, false, (i) => `row ${i + 1}`);
    assert.equal(v.value, r.value, 'the value does not depend on asking for the gradient');
    assert.equal(v.gradZ, undefined);
  } finally {
    sc.free();
  }
});

test('a zero or non-finite row of Z is named through rowName', () => {
  const b = 4, d = 2, sc = new memory.Scope();
  try {
    const kx = sc.f64(b * b), M = sc.f64(b * b), Z = sc.f32(b * d).set(Float32Array.of(1, 0, 0, 1, 0, 0, 1, 1));
    kx.view.fill(0);
    assert.throws(() => lambdaAndGrad(kx, M, Z, b, d, 0, true, (i) => `sample ${i + 1}`), /^.*sample 3 is all zeros/);
    Z.view[4] = NaN;
    assert.throws(() => lambdaAndGrad(kx, M, Z, b, d, 0, true, (i) => `sample ${i + 1}`), /sample 3 is not finite/);
  } finally {
    sc.free();
  }
});
