// λmax(KX − K_cos(Z)) and the norm max(λmax, −λmin), and their gradients (loss.ts),
// against a plain f64 reference: the values by Jacobi eigenvalues in JS, ∂/∂Z by
// central finite differences of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../../src/index.js';
import * as memory from '../../../../src/wasm/memory.js';
import { lambdaAndGrad, objectiveEnd } from '../../../../src/methods/align/loss.js';
import { mulberry32, randomF32 } from '../../../shared/rng.mjs';

await init();

/** Largest eigenvalue of a symmetric n × n matrix by cyclic Jacobi rotations (f64). */
function lambdaMax(A: Float64Array, n: number): number {
  return Math.max(...eigenvalues(A, n));
}

/** Every eigenvalue of a symmetric n × n matrix by cyclic Jacobi rotations (f64), unordered. */
function eigenvalues(A: Float64Array, n: number): number[] {
  const a = A.slice();
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const th = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(th || 1) / (Math.abs(th) + Math.sqrt(th * th + 1)),
          c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p],
            akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k],
            aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
  }
  return Array.from({ length: n }, (_, i) => a[i * n + i]);
}

/** (1/b)·cosine Gram of the b × d rows (f64). */
function cosGram(z: ArrayLike<number>, b: number, d: number): Float64Array {
  const K = new Float64Array(b * b),
    nrm = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += z[i * d + j] ** 2;
    nrm[i] = Math.sqrt(s);
  }
  for (let i = 0; i < b; i++)
    for (let k = 0; k < b; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += z[i * d + j] * z[k * d + j];
      K[i * b + k] = s / (nrm[i] * nrm[k]) / b;
    }
  return K;
}

const lossRef = (KX: Float64Array, z: ArrayLike<number>, b: number, d: number) => {
  const KZ = cosGram(z, b, d);
  return lambdaMax(
    KX.map((v, i) => v - KZ[i]),
    b,
  );
};

/** λmax and λmin of KX − K_cos(Z), f64. */
const endsRef = (KX: Float64Array, z: ArrayLike<number>, b: number, d: number) => {
  const KZ = cosGram(z, b, d);
  const w = eigenvalues(
    KX.map((v, i) => v - KZ[i]),
    b,
  );
  return { max: Math.max(...w), min: Math.min(...w) };
};
const normRef = (KX: Float64Array, z: ArrayLike<number>, b: number, d: number) => {
  const e = endsRef(KX, z, b, d);
  return Math.max(e.max, -e.min);
};

/** b rows in `k` tight clusters of dimension d (centres ~3, spread 0.3), from the test RNG. */
function clustered(b: number, d: number, k: number, seed: number): Float32Array {
  const r = mulberry32(seed),
    c = Array.from({ length: k * d }, () => 6 * r() - 3);
  return Float32Array.from({ length: b * d }, (_, i) => c[(Math.floor(i / d) % k) * d + (i % d)] + 0.6 * r() - 0.3);
}

test('λmax and ∂λ/∂Z equal the f64 eigenvalue and its central finite differences', () => {
  const b = 14,
    dx = 5,
    d = 3;
  const KX = cosGram(randomF32(b * dx, 21), b, dx);
  const z = randomF32(b * d, 22);
  const sc = new memory.Scope();
  try {
    const kx = sc.f64(b * b).set(KX),
      M = sc.f64(b * b),
      Z = sc.f32(b * d).set(z);
    const r = lambdaAndGrad(kx, M, Z, b, d, 0, true, (i) => `row ${i + 1}`);
    const z64 = Float64Array.from(z);
    assert.ok(Math.abs(r.value - lossRef(KX, z64, b, d)) < 1e-6, `λ ${r.value}`);
    assert.ok(Math.abs(r.u.reduce((s, v) => s + v * v, 0) - 1) < 1e-12, 'unit eigenvector');
    assert.ok(r.u.reduce((s, v) => s + v, 0) >= 0, 'sign: sum ≥ 0');
    const h = 1e-5;
    let gmax = 0;
    for (const g of r.gradZ!) gmax = Math.max(gmax, Math.abs(g));
    for (let k = 0; k < b * d; k++) {
      const zp = z64.slice(),
        zm = z64.slice();
      zp[k] += h;
      zm[k] -= h;
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

/** Checks the norm objective's value, ends and gradient against the f64 reference; returns the end used. */
function checkNorm(KX: Float64Array, z: Float32Array, b: number, d: number): 'top' | 'bottom' {
  const sc = new memory.Scope();
  try {
    const kx = sc.f64(b * b).set(KX),
      M = sc.f64(b * b),
      Z = sc.f32(b * d).set(z);
    const r = lambdaAndGrad(kx, M, Z, b, d, 0, true, (i) => `row ${i + 1}`, 'norm');
    const z64 = Float64Array.from(z),
      ends = endsRef(KX, z64, b, d);
    assert.ok(
      Math.abs(r.lambdaMax - ends.max) < 1e-6 && Math.abs(r.lambdaMin - ends.min) < 1e-6,
      `ends ${r.lambdaMax}, ${r.lambdaMin} vs ${ends.max}, ${ends.min}`,
    );
    assert.ok(Math.abs(-ends.min - ends.max) > 1e-3, 'the test case is not near a tie');
    assert.equal(r.end, -ends.min > ends.max ? 'bottom' : 'top');
    assert.ok(Math.abs(r.value - Math.max(ends.max, -ends.min)) < 1e-6, `norm ${r.value}`);
    assert.ok(Math.abs(r.u.reduce((s, v) => s + v * v, 0) - 1) < 1e-12, 'unit eigenvector');
    // u is the eigenvector of the end used: uᵀΛu = λ of that end
    const KZ = cosGram(z64, b, d);
    let q = 0;
    for (let i = 0; i < b; i++) for (let k = 0; k < b; k++) q += r.u[i] * (KX[i * b + k] - KZ[i * b + k]) * r.u[k];
    assert.ok(Math.abs(q - (r.end === 'top' ? ends.max : ends.min)) < 1e-6, `uᵀΛu ${q}`);
    const h = 1e-5;
    let gmax = 0;
    for (const g of r.gradZ!) gmax = Math.max(gmax, Math.abs(g));
    assert.ok(gmax > 1e-3, 'a gradient to compare');
    for (let k = 0; k < b * d; k++) {
      const zp = z64.slice(),
        zm = z64.slice();
      zp[k] += h;
      zm[k] -= h;
      const fd = (normRef(KX, zp, b, d) - normRef(KX, zm, b, d)) / (2 * h);
      assert.ok(Math.abs(r.gradZ![k] - fd) <= 1e-4 * gmax + 1e-8, `∂norm/∂Z[${k}] (${r.end}): ${r.gradZ![k]} vs ${fd}`);
    }
    // The default objective on the same batch: λmax and the top end, whatever the norm's end.
    const x = lambdaAndGrad(kx, M, Z, b, d, 0, true, (i) => `row ${i + 1}`);
    assert.equal(x.end, 'top');
    assert.ok(Math.abs(x.value - ends.max) < 1e-6);
    return r.end;
  } finally {
    sc.free();
  }
}

test('norm objective, bottom end (ψ(Y) clustered where X is not): max(λmax, −λmin) and its gradient equal f64 finite differences', () => {
  const b = 15,
    dx = 5,
    d = 3;
  const KX = cosGram(randomF32(b * dx, 31), b, dx);
  assert.equal(checkNorm(KX, clustered(b, d, 3, 32), b, d), 'bottom');
});

test("norm objective, top end (X clustered where ψ(Y) is not): the gradient is λmax's and equals f64 finite differences", () => {
  const b = 15,
    dx = 5,
    d = 4;
  const KX = cosGram(clustered(b, dx, 3, 41), b, dx);
  assert.equal(checkNorm(KX, randomF32(b * d, 42), b, d), 'top');
});

test("norm objective: the bottom end's gradient is the opposite of the top formula with the bottom vector, and a wrong sign would fail", () => {
  const b = 15,
    dx = 5,
    d = 3;
  const KX = cosGram(randomF32(b * dx, 31), b, dx),
    z = clustered(b, d, 3, 32);
  const sc = new memory.Scope();
  try {
    const kx = sc.f64(b * b).set(KX),
      M = sc.f64(b * b),
      Z = sc.f32(b * d).set(z);
    const r = lambdaAndGrad(kx, M, Z, b, d, 0, true, (i) => `row ${i + 1}`, 'norm');
    assert.equal(r.end, 'bottom');
    // finite differences of −λmin alone (the norm is −λmin here, away from the tie)
    const z64 = Float64Array.from(z),
      h = 1e-5;
    let err = 0,
      errFlipped = 0,
      gmax = 0;
    for (let k = 0; k < b * d; k++) {
      const zp = z64.slice(),
        zm = z64.slice();
      zp[k] += h;
      zm[k] -= h;
      const fd = (-endsRef(KX, zp, b, d).min + endsRef(KX, zm, b, d).min) / (2 * h);
      err = Math.max(err, Math.abs(r.gradZ![k] - fd));
      errFlipped = Math.max(errFlipped, Math.abs(-r.gradZ![k] - fd));
      gmax = Math.max(gmax, Math.abs(fd));
    }
    assert.ok(err <= 1e-4 * gmax, `error ${err}`);
    assert.ok(errFlipped > 0.5 * gmax, 'the sign matters');
  } finally {
    sc.free();
  }
});

test('objectiveEnd: x-not-y always takes the top end; norm the larger in magnitude, the top end at a tie', () => {
  assert.equal(objectiveEnd('x-not-y', 0.1, -0.5), 'top');
  assert.equal(objectiveEnd('norm', 0.1, -0.5), 'bottom');
  assert.equal(objectiveEnd('norm', 0.5, -0.1), 'top');
  assert.equal(objectiveEnd('norm', 0.25, -0.25), 'top', 'a tie goes to the top end');
  assert.equal(objectiveEnd('norm', 0, 0), 'top', 'Λ = 0');
  assert.equal(objectiveEnd('norm', 0.25, -(0.25 + 2 ** -54)), 'bottom', 'the next f64 above is not a tie');
  // both ends negative / positive (η-free Λ has trace 0 per batch, but the rule holds for any pair)
  assert.equal(objectiveEnd('norm', -0.1, -0.3), 'bottom');
});

test('a zero or non-finite row of Z is named through rowName', () => {
  const b = 4,
    d = 2,
    sc = new memory.Scope();
  try {
    const kx = sc.f64(b * b),
      M = sc.f64(b * b),
      Z = sc.f32(b * d).set(Float32Array.of(1, 0, 0, 1, 0, 0, 1, 1));
    kx.view.fill(0);
    assert.throws(() => lambdaAndGrad(kx, M, Z, b, d, 0, true, (i) => `sample ${i + 1}`), /^.*sample 3 is all zeros/);
    Z.view[4] = NaN;
    assert.throws(() => lambdaAndGrad(kx, M, Z, b, d, 0, true, (i) => `sample ${i + 1}`), /sample 3 is not finite/);
  } finally {
    sc.free();
  }
});
