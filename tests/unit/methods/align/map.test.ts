// The map (map.ts) against plain JS: applyMap = Y Wᵀ + b by an f64 matmul, the
// row gathering and transposes exact, W0 the identity when dim = dy and a
// least-squares fit otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, InputError } from '../../../../src/index.js';
import * as memory from '../../../../src/wasm/memory.js';
import { applyMap, gather, initialMap, subset, transposeInto } from '../../../../src/methods/align/map.js';
import { randomF32 } from '../../../shared/rng.mjs';

await init();

test('applyMap equals an f64 Y Wᵀ + b, across sgemm chunks of 4096 rows', () => {
  for (const [n, dy, dim, withBias] of [
    [5, 3, 2, true],
    [4100, 7, 9, false],
    [33, 16, 16, true],
  ] as const) {
    const Y = randomF32(n * dy, n),
      W = randomF32(dim * dy, dim + 1),
      bias = withBias ? randomF32(dim, 3) : undefined;
    const out = applyMap(W, { data: Y, rows: n, cols: dy }, { dim, bias });
    assert.equal(out.rows, n);
    assert.equal(out.cols, dim);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < dim; c++) {
        let s = 0,
          mag = 0;
        for (let j = 0; j < dy; j++) {
          s += Y[i * dy + j] * W[c * dy + j];
          mag += Math.abs(Y[i * dy + j] * W[c * dy + j]);
        }
        if (bias) {
          s += bias[c];
          mag += Math.abs(bias[c]);
        }
        assert.ok(Math.abs(out.data[i * dim + c] - s) <= 4e-7 * mag + 1e-30, `n=${n} (${i}, ${c}): ${out.data[i * dim + c]} vs ${s}`);
      }
  }
});

test('applyMap refuses a W or bias of the wrong size and unknown options', () => {
  const Y = { data: new Float32Array(6), rows: 2, cols: 3 };
  assert.throws(
    () => applyMap(new Float32Array(5), Y, { dim: 2 }),
    (e: any) => e instanceof InputError && /dim × dy = 2 × 3 = 6 values, got 5/.test(e.message),
  );
  assert.throws(() => applyMap(new Float32Array(6), Y, { dim: 2, bias: new Float32Array(3) }), /bias must have dim = 2 values, got 3/);
  assert.throws(() => applyMap(new Float32Array(6), Y, { dim: 2, bais: 1 } as any), /unknown applyMap option bais; did you mean bias\?/);
});

test('gather, subset and transposeInto copy exactly', () => {
  const m = { data: randomF32(5 * 3, 4), rows: 5, cols: 3 },
    idx = [4, 0, 2];
  const buf = memory.f32(3 * 3),
    Wt = memory.f32(3 * 2);
  try {
    gather(m, idx, 1, 2, buf);
    assert.deepEqual([...buf.view.subarray(0, 6)], [...m.data.subarray(0, 3), ...m.data.subarray(6, 9)]);
    const s = subset(m, idx);
    assert.deepEqual([s.rows, s.cols], [3, 3]);
    assert.deepEqual([...s.data], [...m.data.subarray(12, 15), ...m.data.subarray(0, 3), ...m.data.subarray(6, 9)]);
    const W = [1, 2, 3, 4, 5, 6]; // 2 × 3
    transposeInto(W, 2, 3, Wt);
    assert.deepEqual([...Wt.view], [1, 4, 2, 5, 3, 6]);
  } finally {
    buf.free();
    Wt.free();
  }
});

test('initialMap: the identity when dim = dy; for dim < dy, Y W0ᵀ fits X’s leading direction as least squares does', () => {
  const n = 200,
    dx = 3,
    dy = 4;
  const X = { data: randomF32(n * dx, 8), rows: n, cols: dx },
    Y = { data: randomF32(n * dy, 9), rows: n, cols: dy };
  assert.deepEqual([...initialMap(X, Y, dy)], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  // X = Y·A exactly: the least-squares map reproduces X·P, so Y·W0ᵀ lies in X's column space.
  const A = [0.5, -1, 2, 1, 0, 1, -1, 1, 0, 0, 2, 1];
  const Xa = new Float32Array(n * dx);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < dx; c++) {
      let s = 0;
      for (let j = 0; j < dy; j++) s += Y.data[i * dy + j] * A[j * dx + c];
      Xa[i * dx + c] = s;
    }
  const W0 = initialMap({ data: Xa, rows: n, cols: dx }, Y, 2);
  assert.equal(W0.length, 2 * dy);
  // residual of Y·W0ᵀ projected off span(X) is round-off: regress each mapped column on X
  for (let c = 0; c < 2; c++) {
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < dy; j++) z[i] += Y.data[i * dy + j] * W0[c * dy + j];
    const G = new Float64Array(dx * dx),
      g = new Float64Array(dx);
    for (let i = 0; i < n; i++)
      for (let p = 0; p < dx; p++) {
        g[p] += Xa[i * dx + p] * z[i];
        for (let q = 0; q < dx; q++) G[p * dx + q] += Xa[i * dx + p] * Xa[i * dx + q];
      }
    const coef = solve3(G, g);
    let res = 0,
      tot = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let p = 0; p < dx; p++) f += Xa[i * dx + p] * coef[p];
      res += (z[i] - f) ** 2;
      tot += z[i] ** 2;
    }
    assert.ok(tot > 0 && res <= 1e-8 * tot, `column ${c}: residual ${res} of ${tot}`);
  }
});

function solve3(G: Float64Array, g: Float64Array): Float64Array {
  const a = Array.from({ length: 3 }, (_, i) => [G[i * 3], G[i * 3 + 1], G[i * 3 + 2], g[i]]);
  for (let p = 0; p < 3; p++) {
    for (let r = p + 1; r < 3; r++) {
      const f = a[r][p] / a[p][p];
      for (let c = p; c < 4; c++) a[r][c] -= f * a[p][c];
    }
  }
  const x = new Float64Array(3);
  for (let r = 2; r >= 0; r--) {
    let s = a[r][3];
    for (let c = r + 1; c < 3; c++) s -= a[r][c] * x[c];
    x[r] = s / a[r][r];
  }
  return x;
}
