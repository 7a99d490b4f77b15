// Features of an exact kernel for FINC's permutation test on the exact route: a
// pivoted Cholesky of the pooled n × n kernel, K = Φ·Φᵀ on its numerical range
// (Φ n × r), so the permuted CX' − η·CY' = Φᵀ·diag(w)·Φ has the eigenvalues of
// diag(w)·K — the exact route's operator — and the features engine applies unchanged.
import { dpstrfBlock, dpstrfInit, dpstrfPack, dpstrfPackBytes, dpstrfPanel, dpstrfTransposeRows, dpstrfUpdate } from '../wasm/pstrf.js';
import { f32, Scope, type WasmArray } from '../wasm/memory.js';

/** Rows per step of the transpose. */
const BAND = 256;

/**
 * Φ (n × r f32, rows in the original order) with Φ·Φᵀ = K up to LAPACK dpstrf's
 * default tolerance (pivots below n·ε·max diag(K) are round-off), as resumable
 * steps (one per panel update). `K` is n × n f64, full storage; not modified.
 */
export function* kernelFactorSteps(K: Float64Array, n: number): Generator<void, { phi: WasmArray<Float32Array>; rank: number }> {
  const sc = new Scope();
  try {
    const C = sc.f64(n * n, `pooled kernel copy (${n} × ${n})`);
    C.view.set(K.subarray(0, n * n));
    const piv = sc.i32(n, 'Cholesky pivots');
    const work = sc.f64(n, 'Cholesky work');
    let maxDiag = 0;
    for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, K[i * n + i]);
    const tol = n * 2.220446049250313e-16 * maxDiag;
    const NB = dpstrfBlock();
    const pack = sc.f64(Math.ceil(dpstrfPackBytes(n, 0, Math.min(NB, n)) / 8) + 1, 'Cholesky panel');
    dpstrfInit(n, piv);
    let rank = n;
    for (let k0 = 0; k0 < n; k0 += NB) {
      const r = dpstrfPanel(n, C, piv, work, tol, k0);
      if (r >= 0) {
        rank = r;
        break;
      }
      const k1 = k0 + NB;
      dpstrfPack(n, C, k0, k1, pack);
      dpstrfUpdate(n, C, k0, k1, pack, 0, (n - k1 + 3) >> 2);
      yield;
    }
    for (let r0 = 0; r0 < n; r0 += BAND) dpstrfTransposeRows(n, C, r0, r0 + BAND);
    const r = Math.max(1, rank);
    const phi = f32(n * r, `kernel factor (${n} × ${r})`);
    // row c of C holds R[0..min(c, rank − 1)][c], the factor's row for original index piv[c]
    const c = C.view,
      p = piv.view,
      f = phi.view;
    f.fill(0);
    for (let row = 0; row < n; row++) {
      const o = p[row] * r;
      for (let t = 0; t <= Math.min(row, rank - 1); t++) f[o + t] = c[row * n + t];
    }
    return { phi, rank };
  } finally {
    sc.free();
  }
}
