import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import * as syrk from '../../../src/wasm/syrk.js';
import { loadFixture } from '../../fixtures/kernels/load.mjs';
import { randomF32 } from '../../shared/rng.mjs';

await init();

/** Bound for f32 products summed in f32 over ≤ 256 rows: ~ 256·eps·Σ|ψi||ψj|. */
function magnitude(P: Float32Array, rows: number, D: number, i: number, j: number): number {
  let s = 0;
  for (let r = 0; r < rows; r++) s += Math.abs(P[r * D + i] * P[r * D + j]);
  return s;
}

test('syrkAccumulate matches NumPy ΨᵀΨ (upper triangle), lower triangle untouched', () => {
  for (const c of loadFixture('syrk')) {
    const { rows, D, scale } = c;
    const P = memory.f32(rows * D).set(c.Psi);
    const C = memory.f64(D * D);
    C.view.fill(-7); // sentinel: accumulation adds onto it, lower stays -7
    syrk.syrkAccumulate(P, rows, D, C, scale);
    const got = C.view;
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < D; j++) {
        if (j < i) {
          assert.equal(got[i * D + j], -7, `${c.kind} lower (${i},${j}) touched`);
          continue;
        }
        const e = c.expected[i * D + j];
        const tol = 2e-6 * scale * magnitude(c.Psi, rows, D, i, j) + 1e-7 * Math.abs(e) + 1e-300;
        assert.ok(Math.abs(got[i * D + j] + 7 - e) <= tol + 7 * 2 ** -50, `${c.kind} ${rows}x${D} (${i},${j}): ${got[i * D + j] + 7} vs ${e}`);
      }
    }
    P.free();
    C.free();
  }
});

test('symmetrize copies the upper triangle down', () => {
  for (const D of [1, 2, 7, 33, 70]) {
    const C = memory.f64(D * D);
    const v = C.view;
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) v[i * D + j] = j >= i ? i * 1000 + j : NaN;
    syrk.symmetrize(C, D);
    const g = C.view;
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) assert.equal(g[i * D + j], Math.min(i, j) * 1000 + Math.max(i, j));
    C.free();
  }
});

test('gemmTNAccumulate matches NumPy AᵀB', () => {
  for (const c of loadFixture('gemm_tn')) {
    const { rows, Da, Db, scale } = c;
    const A = memory.f32(rows * Da).set(c.A),
      B = memory.f32(rows * Db).set(c.B),
      C = memory.f64(Da * Db);
    C.view.fill(0);
    syrk.gemmTNAccumulate(A, Da, B, Db, C, rows, scale);
    const got = C.view;
    for (let i = 0; i < Da; i++) {
      for (let j = 0; j < Db; j++) {
        let mag = 0;
        for (let r = 0; r < rows; r++) mag += Math.abs(c.A[r * Da + i] * c.B[r * Db + j]);
        const e = c.expected[i * Db + j];
        assert.ok(Math.abs(got[i * Db + j] - e) <= 2e-6 * scale * mag + 1e-7 * Math.abs(e) + 1e-30, `${rows}x${Da}x${Db} (${i},${j})`);
      }
    }
    A.free();
    B.free();
    C.free();
  }
});

test('chunked accumulation plus addInto equals one pass (mergeable accumulators)', () => {
  const rows = 777,
    D = 21;
  const p = randomF32(rows * D, 9);
  const P = memory.f32(rows * D).set(p);
  const one = memory.f64(D * D),
    a = memory.f64(D * D),
    b = memory.f64(D * D);
  one.view.fill(0);
  a.view.fill(0);
  b.view.fill(0);
  syrk.syrkAccumulate(P, rows, D, one, 1);
  syrk.syrkAccumulate(P, 512, D, a, 1);
  syrk.syrkAccumulate(P, rows - 512, D, b, 1, 512 * D);
  syrk.addInto(a, b, D * D);
  // 512 is a multiple of the 256-row block, so both paths sum identical f32 partials
  assert.deepEqual([...a.view], [...one.view]);
  P.free();
  one.free();
  a.free();
  b.free();
});

test('blocks written in place (cOff/ldc) assemble the covariance of [A, B]', () => {
  const rows = 300,
    Da = 13,
    Db = 6,
    D = Da + Db;
  const a = randomF32(rows * Da, 31),
    b = randomF32(rows * Db, 32);
  const psi = new Float32Array(rows * D);
  for (let r = 0; r < rows; r++) {
    psi.set(a.subarray(r * Da, (r + 1) * Da), r * D);
    psi.set(b.subarray(r * Db, (r + 1) * Db), r * D + Da);
  }
  const A = memory.f32(a.length).set(a),
    B = memory.f32(b.length).set(b),
    P = memory.f32(psi.length).set(psi);
  const whole = memory.f64(D * D),
    blocks = memory.f64(D * D);
  whole.view.fill(0);
  blocks.view.fill(0);
  syrk.syrkAccumulate(P, rows, D, whole, 0.5);
  syrk.syrkAccumulate(A, rows, Da, blocks, 0.5, 0, Da, 0, D);
  syrk.syrkAccumulate(B, rows, Db, blocks, 0.5, 0, Db, Da * D + Da, D);
  syrk.gemmTNAccumulate(A, Da, B, Db, blocks, rows, 0.5, 0, Da, 0, Db, Da, D);
  const w = whole.view,
    g = blocks.view;
  for (let i = 0; i < D; i++)
    for (let j = 0; j < D; j++) {
      if (j < i) {
        assert.equal(g[i * D + j], 0, 'lower untouched');
        continue;
      }
      assert.ok(Math.abs(w[i * D + j] - g[i * D + j]) <= 1e-5, `(${i},${j})`);
    }
  A.free();
  B.free();
  P.free();
  whole.free();
  blocks.free();
});

test('f64 flush keeps 200k nearly-constant rows at relative error ≤ 1e-6', () => {
  const rows = 200_000,
    D = 12;
  const base = randomF32(D, 3);
  const noise = randomF32(rows * D, 4);
  const p = new Float32Array(rows * D);
  for (let r = 0; r < rows; r++) for (let j = 0; j < D; j++) p[r * D + j] = base[j] + 1 + 1e-3 * noise[r * D + j];
  const P = memory.f32(p.length).set(p);
  const C = memory.f64(D * D);
  C.view.fill(0);
  syrk.syrkAccumulate(P, rows, D, C, 1 / rows);
  const got = C.view;
  for (let i = 0; i < D; i++) {
    for (let j = i; j < D; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += p[r * D + i] * p[r * D + j];
      s /= rows;
      assert.ok(Math.abs(got[i * D + j] - s) <= 1e-6 * Math.abs(s), `(${i},${j}): ${got[i * D + j]} vs ${s} rel ${Math.abs(got[i * D + j] - s) / s}`);
    }
  }
  P.free();
  C.free();
});

test('wrappers reject buffers that are too small', () => {
  const P = memory.f32(10),
    C = memory.f64(4);
  assert.throws(() => syrk.syrkAccumulate(P, 5, 3, C), RangeError);
  assert.throws(() => syrk.symmetrize(C, 3), RangeError);
  P.free();
  C.free();
});
