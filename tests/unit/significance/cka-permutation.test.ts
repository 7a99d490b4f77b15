// The Mantel-style permutation test of CKA (src/significance/cka-permutation.ts,
// compare-metrics.ts): each engine's permuted cross term against a brute-force
// ⟨HKXH, P·HKYH·Pᵀ⟩ in f64, both routes' p-values on related and on independent
// embeddings, and determinism across thread counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, init } from '../../../src/index.js';
import { featureEngine, kernelEngine } from '../../../src/significance/cka-permutation.js';
import { drain } from '../../../src/runtime/cooperative.js';
import { f32 } from '../../../src/wasm/memory.js';
import { mulberry32, randomF32 } from '../../shared/rng.mjs';

await init();

const n = 50,
  dx = 4,
  dy = 3;
const Xd = randomF32(n * dx, 11),
  Yd = randomF32(n * dy, 12);

/** Column-centred copy (f64). */
function centred(a: Float32Array, rows: number, cols: number): Float64Array {
  const out = Float64Array.from(a);
  for (let j = 0; j < cols; j++) {
    let m = 0;
    for (let i = 0; i < rows; i++) m += out[i * cols + j] / rows;
    for (let i = 0; i < rows; i++) out[i * cols + j] -= m;
  }
  return out;
}

/** Brute force Σᵢⱼ (XXᵀ)ᵢⱼ·(YYᵀ)_{pᵢpⱼ} over centred rows. */
function bruteCross(X: Float64Array, Y: Float64Array, p: Int32Array | null): number {
  let s = 0;
  const dot = (A: Float64Array, d: number, i: number, j: number) => {
    let t = 0;
    for (let c = 0; c < d; c++) t += A[i * d + c] * A[j * d + c];
    return t;
  };
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += dot(X, dx, i, j) * dot(Y, dy, p ? p[i] : i, p ? p[j] : j);
  return s;
}

test('both engines give the permuted cross term ⟨K̃X, P·K̃Y·Pᵀ⟩ of a brute-force sum', () => {
  const Xc = centred(Xd, n, dx),
    Yc = centred(Yd, n, dy);
  const r = mulberry32(3);
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  const FX = f32(n * dx).set(Float32Array.from(Xc)),
    FY = f32(n * dy).set(Float32Array.from(Yc));
  const fe = drain(featureEngine(FX, FY, n, dx, dy));
  const A = new Float32Array(n * n),
    B = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      for (let c = 0; c < dx; c++) A[i * n + j] += Xc[i * dx + c] * Xc[j * dx + c];
      for (let c = 0; c < dy; c++) B[i * n + j] += Yc[i * dy + c] * Yc[j * dy + c];
    }
  const ke = kernelEngine(A, B, n);
  try {
    for (const perm of [null, p]) {
      const want = bruteCross(Xc, Yc, perm);
      for (const e of [fe, ke]) {
        const got = drain(e.cross(perm));
        assert.ok(Math.abs(got - want) <= 1e-4 * Math.abs(want) + 1e-6, `${got} vs ${want}`);
      }
    }
    // scale = 1/(‖K̃X‖·‖K̃Y‖), the same from both
    assert.ok(Math.abs(fe.scale - ke.scale) <= 1e-5 * ke.scale);
  } finally {
    fe.free();
    ke.free();
  }
});

test('related embeddings: p = 1/(N + 1) on both routes; independent ones: p not small', async () => {
  const rows = 200;
  const Z = randomF32(rows * 3, 21);
  const X = { data: Float32Array.from({ length: rows * 5 }, (_, k) => Z[Math.floor(k / 5) * 3 + (k % 3)] + 0.3 * Math.sin(k)), rows, cols: 5 };
  const Y = { data: Float32Array.from({ length: rows * 4 }, (_, k) => Z[Math.floor(k / 4) * 3 + (k % 3)] * 2 + 0.3 * Math.cos(3 * k)), rows, cols: 4 };
  const W = { data: randomF32(rows * 4, 22), rows, cols: 4 };
  for (const method of ['exact', 'covariance'] as const) {
    const rel = await compare(X, Y, { method, threads: 1, significance: { permutations: 99 } });
    assert.equal(rel.metrics!.ckaLinear.test!.pValue, 0.01);
    assert.equal(rel.metrics!.ckaKernel.test!.pValue, 0.01);
    const q = rel.metrics!.ckaKernel.test!.nullQuantiles;
    assert.ok(q[0] <= q[1] && q[1] <= q[2] && q[2] < rel.metrics!.ckaKernel.value);
    const ind = await compare(X, W, { method, threads: 1, significance: { permutations: 99 } });
    assert.ok(ind.metrics!.ckaKernel.test!.pValue > 0.01, `independent: p = ${ind.metrics!.ckaKernel.test!.pValue}`);
  }
});

test('same seed → identical CKA p-values for threads 1 and 2', async () => {
  const rows = 3000;
  const X = { data: randomF32(rows * 6, 31), rows, cols: 6 };
  const Y = { data: Float32Array.from({ length: rows * 6 }, (_, k) => X.data[k] * 0.2 + Math.sin(k)), rows, cols: 6 };
  const opts = { method: 'covariance' as const, significance: { permutations: 10, seed: 4 } };
  const one = await compare(X, Y, { ...opts, threads: 1 });
  const two = await compare(X, Y, { ...opts, threads: 2 });
  assert.equal(two.threads, 2);
  assert.deepEqual(two.metrics!.ckaLinear.test, one.metrics!.ckaLinear.test);
  assert.deepEqual(two.metrics!.ckaKernel.test, one.metrics!.ckaKernel.test);
});
