// The pivoted Cholesky wrappers, driven panel by panel as solve/covariance-eigs.ts
// drives them, against a plain f64 reconstruction: P C Pᵀ = RᵀR on the numerical
// rank, for full-rank and rank-deficient C over several panels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../src/index.js';
import * as memory from '../../../src/wasm/memory.js';
import * as pstrf from '../../../src/wasm/pstrf.js';
import { mulberry32 } from '../../shared/rng.mjs';

await init();

/** C = G Gᵀ for a D × k Gaussian-ish G (rank min(D, k)). */
function gramOf(D: number, k: number, seed: number): Float64Array {
  const r = mulberry32(seed),
    G = Float64Array.from({ length: D * k }, () => r() * 2 - 1),
    C = new Float64Array(D * D);
  for (let i = 0; i < D; i++)
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += G[i * k + t] * G[j * k + t];
      C[i * D + j] = s;
    }
  return C;
}

function factor(C: Float64Array, D: number): { rank: number; L: Float64Array; piv: Int32Array } {
  const sc = new memory.Scope();
  try {
    const A = sc.f64(D * D).set(C),
      piv = sc.i32(D),
      work = sc.f64(D);
    let maxDiag = 0;
    for (let i = 0; i < D; i++) maxDiag = Math.max(maxDiag, C[i * D + i]);
    const tol = D * 2.220446049250313e-16 * maxDiag,
      NB = pstrf.dpstrfBlock();
    const pack = sc.f64(Math.ceil(pstrf.dpstrfPackBytes(D, 0, Math.min(NB, D)) / 8) + 1);
    pstrf.dpstrfInit(D, piv);
    let rank = D;
    for (let k0 = 0; k0 < D; k0 += NB) {
      const r = pstrf.dpstrfPanel(D, A, piv, work, tol, k0);
      if (r >= 0) {
        rank = r;
        break;
      }
      const k1 = k0 + NB;
      pstrf.dpstrfPack(D, A, k0, k1, pack);
      const nblk = (D - k1 + 3) >> 2;
      // two ranges of block rows, as the stepped driver splits them
      const mid = nblk >> 1;
      pstrf.dpstrfUpdate(D, A, k0, k1, pack, 0, mid);
      pstrf.dpstrfUpdate(D, A, k0, k1, pack, mid, nblk);
    }
    for (let r0 = 0; r0 < D; r0 += 64) pstrf.dpstrfTransposeRows(D, A, r0, r0 + 64);
    return { rank, L: A.toArray(), piv: piv.toArray() };
  } finally {
    sc.free();
  }
}

for (const [D, k] of [
  [150, 150],
  [150, 7],
  [9, 9],
  [70, 40],
] as const) {
  test(`P C Pᵀ = RᵀR (D = ${D}, rank ${Math.min(D, k)})`, () => {
    const C = gramOf(D, k, D + k);
    const { rank, L, piv } = factor(C, D);
    assert.equal(rank, Math.min(D, k));
    assert.deepEqual(
      [...piv].sort((a, b) => a - b),
      Array.from({ length: D }, (_, i) => i),
      'pivots are a permutation',
    );
    let scale = 0;
    for (let i = 0; i < D; i++) scale = Math.max(scale, C[i * D + i]);
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < D; j++) {
        let s = 0;
        for (let t = 0; t <= Math.min(i, j, rank - 1); t++) s += L[i * D + t] * L[j * D + t];
        assert.ok(Math.abs(s - C[piv[i] * D + piv[j]]) <= 1e-12 * D * scale, `(${i}, ${j}): ${s} vs ${C[piv[i] * D + piv[j]]}`);
      }
    }
  });
}

test('pivoted Cholesky wrappers refuse short buffers and unaligned transposes', () => {
  const sc = new memory.Scope();
  try {
    const A = sc.f64(16),
      piv = sc.i32(3),
      work = sc.f64(4);
    assert.throws(() => pstrf.dpstrfInit(4, piv), RangeError);
    assert.throws(() => pstrf.dpstrfPanel(5, A, sc.i32(5), sc.f64(5), 0, 0), RangeError);
    assert.throws(() => pstrf.dpstrfPanel(4, A, piv, work, 0, 0), RangeError);
    assert.throws(() => pstrf.dpstrfTransposeRows(4, A, 1, 4), RangeError);
    assert.throws(() => pstrf.dpstrfPack(200, sc.f64(200 * 200), 0, 64, sc.f64(8)), RangeError);
  } finally {
    sc.free();
  }
});
