// The map ψ(y) = W·y (+ b): applying it (applyMap, by sgemm in row chunks), its
// initial value W0, and copying rows of the inputs into wasm for it.
import { f32, f64, type WasmArray } from '../../wasm/memory.js';
import { sgemm } from '../../wasm/gemm.js';
import { gemmTNAccumulate, syrkAccumulate, symmetrize } from '../../wasm/syrk.js';
import type { Matrix, MatrixLike } from '../../types/index.js';
import { applyMapArgs } from '../../validate/align-options.js';
import { syev } from '../../solve/dense.js';

type F32 = WasmArray<Float32Array>;

/** Copies rows idx[start..start+count) of m into the wasm buffer (f32, row-major). */
export function gather(m: Matrix, idx: ArrayLike<number>, start: number, count: number, out: F32): void {
  const v = out.view,
    d = m.cols,
    src = m.data;
  for (let r = 0; r < count; r++) {
    const s = idx[start + r] * d;
    const o = r * d;
    for (let j = 0; j < d; j++) v[o + j] = src[s + j];
  }
}

export function subset(m: Matrix, idx: ArrayLike<number>): Matrix {
  const d = m.cols,
    out = new Float32Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) out.set(m.data.subarray(idx[r] * d, idx[r] * d + d), r * d);
  return { data: out, rows: idx.length, cols: d };
}

/** ψ(Y) = Y Wᵀ (+ bias): an n × dim f32 matrix. W is dim × dy row-major. Synchronous: call `await init()` once before. */
export function applyMap(W: Float32Array, Y: MatrixLike, opts: { dim: number; bias?: Float32Array }): Matrix {
  const { my, dim } = applyMapArgs(W, Y, opts);
  const out = new Float32Array(my.rows * dim);
  mapRows(W, opts.bias, my, dim, out);
  return { data: out, rows: my.rows, cols: dim };
}

/** out = Y Wᵀ (+ b), computed by sgemm in chunks of rows. */
function mapRows(W: ArrayLike<number>, bias: ArrayLike<number> | undefined, Y: Matrix, dim: number, out: Float32Array): void {
  const dy = Y.cols,
    n = Y.rows;
  const CH = Math.max(1, Math.min(n, 4096));
  const Wt = f32(dy * dim, 'map Wᵀ');
  let Yc: F32 | undefined, Zc: F32 | undefined;
  try {
    Yc = f32(CH * dy, 'Y chunk');
    Zc = f32(CH * dim, 'ψ(Y) chunk');
    transposeInto(W, dim, dy, Wt);
    for (let r0 = 0; r0 < n; r0 += CH) {
      const rows = Math.min(CH, n - r0);
      Yc.view.set(Y.data.subarray(r0 * dy, (r0 + rows) * dy));
      sgemm(rows, dim, dy, Yc, dy, Wt, dim, Zc, dim, 0);
      const z = Zc.view.subarray(0, rows * dim);
      if (bias) for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) z[i * dim + j] += bias[j];
      out.set(z, r0 * dim);
    }
  } finally {
    Wt.free();
    Yc?.free();
    Zc?.free();
  }
}

/** Wt (dy × dim, f32) = Wᵀ for W dim × dy. */
export function transposeInto(W: ArrayLike<number>, dim: number, dy: number, Wt: F32): void {
  const t = Wt.view;
  for (let i = 0; i < dim; i++) for (let j = 0; j < dy; j++) t[j * dim + i] = W[i * dy + j];
}

/**
 * The initial map W0 (dim × dy, f64): the identity when dim = dy; otherwise the
 * least-squares map of Y onto X's leading `dim` principal directions,
 * W0ᵀ = lstsq(Y, X·P) with P the top right singular vectors of centred X (from
 * the eigenvectors of its covariance). Directions beyond dx are zero rows: they
 * start unused and grow only where the gradient finds them useful.
 */
export function initialMap(X: Matrix, Y: Matrix, dim: number): Float64Array {
  const dx = X.cols,
    dy = Y.cols,
    n = X.rows;
  const W0 = new Float64Array(dim * dy);
  if (dim === dy) {
    for (let i = 0; i < dim; i++) W0[i * dy + i] = 1;
    return W0;
  }
  const CH = Math.min(n, 4096);
  // Means, then centred-X covariance (dx × dx), YᵀY (dy × dy), YᵀXc (dy × dx).
  const mean = new Float64Array(dx);
  for (let i = 0; i < n; i++) for (let j = 0; j < dx; j++) mean[j] += X.data[i * dx + j];
  for (let j = 0; j < dx; j++) mean[j] /= n;
  const Cx = f64(dx * dx, 'X covariance'),
    Cy = f64(dy * dy, 'Y covariance'),
    Cyx = f64(dy * dx, 'YᵀX');
  const xb = f32(CH * dx, 'X chunk'),
    yb = f32(CH * dy, 'Y chunk');
  try {
    Cx.view.fill(0);
    Cy.view.fill(0);
    Cyx.view.fill(0);
    for (let r0 = 0; r0 < n; r0 += CH) {
      const rows = Math.min(CH, n - r0);
      const xv = xb.view;
      for (let i = 0; i < rows; i++) for (let j = 0; j < dx; j++) xv[i * dx + j] = X.data[(r0 + i) * dx + j] - mean[j];
      yb.view.set(Y.data.subarray(r0 * dy, (r0 + rows) * dy));
      syrkAccumulate(xb, rows, dx, Cx);
      syrkAccumulate(yb, rows, dy, Cy);
      gemmTNAccumulate(yb, dy, xb, dx, Cyx, rows);
    }
    symmetrize(Cx, dx);
    symmetrize(Cy, dy);
    const ex = syev(Cx, dx); // ascending
    const k = Math.min(dim, dx);
    // P: dx × k, columns = top-k eigenvectors (descending).
    const P = new Float64Array(dx * k);
    for (let c = 0; c < k; c++) {
      const col = dx - 1 - c;
      for (let r = 0; r < dx; r++) P[r * k + c] = ex.vectors[r * dx + col];
    }
    // B = Yᵀ(X − 1μᵀ)P... lstsq(Y, X·P) uses uncentred X·P; YᵀXP = YᵀXcP + (Yᵀ1)(μᵀP).
    const ysum = new Float64Array(dy);
    for (let i = 0; i < n; i++) for (let j = 0; j < dy; j++) ysum[j] += Y.data[i * dy + j];
    const muP = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let r = 0; r < dx; r++) s += mean[r] * P[r * k + c];
      muP[c] = s;
    }
    const cyx = Cyx.view;
    const B = new Float64Array(dy * k);
    for (let i = 0; i < dy; i++)
      for (let c = 0; c < k; c++) {
        let s = ysum[i] * muP[c];
        for (let r = 0; r < dx; r++) s += cyx[i * dx + r] * P[r * k + c];
        B[i * k + c] = s;
      }
    // Pseudo-inverse of YᵀY by its eigendecomposition (rank-deficient Y is fine).
    const ey = syev(Cy, dy);
    const smax = Math.max(Math.abs(ey.values[dy - 1]), Number.MIN_VALUE);
    const Vt = new Float64Array(dy * k); // Vᵀ B scaled by 1/s
    for (let e = 0; e < dy; e++) {
      const s = ey.values[e];
      if (!(s > 1e-10 * smax)) continue;
      for (let c = 0; c < k; c++) {
        let t = 0;
        for (let i = 0; i < dy; i++) t += ey.vectors[i * dy + e] * B[i * k + c];
        Vt[e * k + c] = t / s;
      }
    }
    // W0ᵀ[i][c] = Σ_e V[i][e]·Vt[e][c]; W0[c][i] = W0ᵀ[i][c].
    for (let i = 0; i < dy; i++)
      for (let c = 0; c < k; c++) {
        let t = 0;
        for (let e = 0; e < dy; e++) t += ey.vectors[i * dy + e] * Vt[e * k + c];
        W0[c * dy + i] = t;
      }
    return W0;
  } finally {
    Cx.free();
    Cy.free();
    Cyx.free();
    xb.free();
    yb.free();
  }
}
