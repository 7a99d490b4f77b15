// FINC's exact route (small sets): the pooled kernel matrix, no random features.
//
// With pooled rows p (X then Y), W = diag(1/nx on X, −η/ny on Y), Ψ = |W|^½Φ and
// J = sign(W): CX − ηCY = ΨᵀJΨ, whose non-zero eigenvalues are those of
// JΨΨᵀ = JG, G = |W|^½ K |W|^½. With G = Q s Qᵀ restricted to s above a cut-off
// (G's numerical range) and Ψ = Q s^½ Pᵀ, ΨᵀJΨ = P T Pᵀ with T = s^½ QᵀJQ s^½,
// so T = Z μ Zᵀ gives the eigenvalues μ and unit eigenvectors v = P z, whose
// scores are φ(p_i)ᵀv = (Q s^½ z)_i / √|w_i|. Nothing is inverted, so a singular
// G (duplicates, rank-deficient data) is fine. When η = 0, Y's rows have w = 0
// and their scores come from the kernel: φ(y)ᵀv = Σ_i k(y, x_i)·√|w_i|·(Q s^-½ z)_i.
import { wasm } from '../wasm/loader.js';
import { f64 } from '../wasm/memory.js';
import type { Matrix, SpecDiff, TopSample } from '../types.js';
import type { FincMode } from '../finc-types.js';
import { featureDim, type Kernel } from '../kernel.js';
import { syev } from '../solver/eigen.js';
import { TopSamples, selectModes, specDiffOf } from '../modes.js';
import { lap, type Cooperative } from '../cooperative.js';
import type { FincOutcome } from '../job.js';

const U64 = 2 ** -53;
/**
 * Noise floor of the exact route: |μ| ≤ EXACT_NOISE_C·√(n·u64)·(tr CX + η·tr CY).
 * Why a square root: when X and Y share samples, JG is (nearly) defective — for
 * X = Y it is nilpotent — so a rounding error E in G (f64 kernel, syev's backward
 * error ~ n·u64·‖G‖) moves its zero eigenvalues by ~√(‖E‖·‖G‖), in ± pairs.
 * c = 1 is that generic bound. Measured on identical sets in different row orders
 * (n = 400–1200; Gaussian, cosine, linear; offsets 0–30): |μ| ≤ 1.2e-8·√(n·u64)·trace,
 * because duplicated rows give bit-identical kernel rows; the bound covers near-
 * duplicates too. At n = 2000 it is 1.5e-7·trace, like the covariance route's floor.
 */
const EXACT_NOISE_C = 1;

export interface ExactInput {
  X: Matrix;
  Y: Matrix;
  kernel: Kernel;
  eta: number;
  topK: number;
  samplesPerMode: number;
  returnScores: boolean;
}


export function fincMode(side: 'x' | 'y', rank: number, eigenvalue: number, t: { top: TopSample[]; scores?: Float64Array }, shareX: number, shareY: number): FincMode {
  const m: FincMode = { rank, side, eigenvalue, top: t.top, shareX, shareY };
  if (t.scores) m.scores = t.scores;
  return m;
}

/** The noise floor the exact route uses for n pooled rows and trace tr CX + η·tr CY. */
export function exactNoiseFloor(n: number, trace: number): number {
  return EXACT_NOISE_C * Math.sqrt(n * U64) * trace;
}

/** FINC's exact route over the two whole sets (values already checked). */
export async function fincExactRoute(inp: ExactInput, coop: Cooperative, timings: Record<string, number>): Promise<FincOutcome> {
  let t = performance.now();
  const { X, Y, kernel, eta } = inp;
  const nx = X.rows, ny = Y.rows, n = nx + ny, d = X.cols;
  const a = new Float64Array(n); // √|w_i|
  for (let i = 0; i < n; i++) a[i] = i < nx ? Math.sqrt(1 / nx) : Math.sqrt(eta / ny);
  const G = f64(n * n, `pooled kernel matrix (${n} × ${n})`);
  let eig: { values: Float64Array; vectors: Float64Array };
  let KYX: Float64Array | null = null;
  let trace = 0;
  try {
    KYX = await pooledGram(X, Y, kernel, a, G, eta === 0, coop);
    const g = G.view;
    for (let i = 0; i < n; i++) trace += g[i * n + i];
    t = lap(timings, 'gram', t);
    await coop.tick();
    coop.progress('solve', 0, 3);
    eig = syev(G, n);
  } finally {
    G.free();
  }
  await coop.tick();
  coop.progress('solve', 1, 3);
  // G's numerical range: syev's eigenvalues carry an absolute error ≲ n·u64·‖G‖
  // (‖G‖ ≤ trace G = tr CX + η·tr CY); below that an eigenvalue of G is 0.
  const cut = n * U64 * trace;
  const floor = exactNoiseFloor(n, trace);
  const kept: number[] = [];
  for (let j = n - 1; j >= 0; j--) if (eig.values[j] > cut) kept.push(j);
  const rank = kept.length;
  const Q = eig.vectors;
  const sq = Float64Array.from(kept, (j) => Math.sqrt(eig.values[j]));
  const T = await thinT(Q, n, nx, kept, sq, coop);
  coop.progress('solve', 2, 3);
  const Tw = f64(Math.max(1, rank * rank), `T (${rank} × ${rank})`);
  let te: { values: Float64Array; vectors: Float64Array };
  try {
    Tw.view.set(T);
    te = syev(Tw, rank);
  } finally {
    Tw.free();
  }
  coop.progress('solve', 3, 3);
  t = lap(timings, 'solve', t);
  const mu = te.values; // ascending
  // 0 is an eigenvalue of CX − ηCY whenever its rank is below the feature dimension (always for the Gaussian).
  const zeroIn = kernel.type === 'gaussian' || rank < featureDim(kernel, d);
  let lmax = zeroIn ? 0 : -Infinity, lmin = zeroIn ? 0 : Infinity;
  for (const v of mu) { lmax = Math.max(lmax, v); lmin = Math.min(lmin, v); }
  if (lmax === -Infinity) lmax = lmin = 0;
  const sel = selectModes(mu, inp.topK, floor);
  const pos = [...mu].filter((v) => v > 0).sort((p, q) => q - p).slice(0, inp.topK);
  const neg = [...mu].filter((v) => v < 0).sort((p, q) => p - q).slice(0, inp.topK);
  const dropped = [...pos, ...neg].filter((v) => Math.abs(v) <= floor).length;
  const modes: FincMode[] = [];
  let rx = 0, ry = 0;
  for (const c of sel) {
    await coop.tick();
    const z = new Float64Array(rank);
    for (let i = 0; i < rank; i++) z[i] = te.vectors[i * rank + c.column];
    const sx = new Float64Array(nx), sy = new Float64Array(ny);
    // y = Q_kept s^½ z; φ(p_i)ᵀv = y_i / a_i.
    const yv = combine(Q, n, kept, Float64Array.from(z, (zi, i) => zi * sq[i]), n);
    for (let i = 0; i < nx; i++) sx[i] = yv[i] / a[i];
    if (eta > 0) {
      for (let j = 0; j < ny; j++) sy[j] = yv[nx + j] / a[nx + j];
    } else {
      // φ(y_j)ᵀv = Σ_i k(y_j, x_i)·c_i with c_i = a_i·(Q s^-½ z)_i over X's rows.
      const cv = combine(Q, n, kept, Float64Array.from(z, (zi, i) => zi / sq[i]), nx);
      for (let i = 0; i < nx; i++) cv[i] *= a[i];
      for (let j = 0; j < ny; j++) {
        let s = 0;
        const row = j * nx;
        for (let i = 0; i < nx; i++) s += KYX![row + i] * cv[i];
        sy[j] = s;
      }
    }
    const own = c.side === 'x' ? sx : sy;
    const ts = new TopSamples(1, inp.samplesPerMode, own.length, inp.returnScores);
    ts.addRows(own, own.length, 0);
    modes.push(fincMode(c.side, c.side === 'x' ? ++rx : ++ry, c.value, ts.finish()[0], meanSquare(sx), meanSquare(sy)));
  }
  lap(timings, 'scores', t);
  return { modes, specDiff: specDiffOf(lmax, lmin), noiseDropped: dropped };
}

const meanSquare = (v: Float64Array) => v.reduce((s, x) => s + x * x, 0) / v.length;

/** out_i = Σ_q Q[i, kept[q]]·w_q for the first `rows` rows. */
function combine(Q: Float64Array, n: number, kept: number[], w: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const row = i * n;
    for (let q = 0; q < kept.length; q++) s += Q[row + kept[q]] * w[q];
    out[i] = s;
  }
  return out;
}

/**
 * G = |W|^½ K |W|^½ in full f64 (the wasm Gram sums f32 products, whose error
 * the square-root sensitivity above would amplify to ~1e-5), into the wasm
 * buffer G. Gaussian distances come from coordinate differences (no
 * cancellation). Returns the unscaled Y × X block when η = 0 (Y's scores need it).
 */
async function pooledGram(X: Matrix, Y: Matrix, kernel: Kernel, a: Float64Array, G: { view: Float64Array; ptr: number }, keepYX: boolean, coop: Cooperative): Promise<Float64Array | null> {
  const nx = X.rows, n = nx + Y.rows, d = X.cols;
  const P = new Float64Array(n * d);
  P.set(X.data, 0);
  P.set(Y.data, nx * d);
  if (kernel.type === 'cosine') {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = i * d; c < (i + 1) * d; c++) s += P[c] * P[c];
      const inv = 1 / Math.sqrt(s);
      for (let c = i * d; c < (i + 1) * d; c++) P[c] *= inv;
    }
  }
  const gamma = kernel.type === 'gaussian' ? 1 / (2 * kernel.sigma * kernel.sigma) : 0;
  const KYX = keepYX ? new Float64Array((n - nx) * nx) : null;
  coop.progress('gram', 0, n);
  let last = performance.now();
  for (let i = 0; i < n; i++) {
    const g = G.view; // re-read: memory may have grown while we yielded
    const pi = i * d;
    for (let j = i; j < n; j++) {
      const pj = j * d;
      let s = 0;
      if (gamma > 0) for (let c = 0; c < d; c++) { const t = P[pi + c] - P[pj + c]; s += t * t; }
      else for (let c = 0; c < d; c++) s += P[pi + c] * P[pj + c];
      g[i * n + j] = s;
    }
    // exp in wasm, not Math.exp: engines may differ in its last bit
    if (gamma > 0) wasm().expNegScaled(G.ptr + 8 * (i * n + i), n - i, gamma);
    for (let j = i; j < n; j++) {
      const s = g[i * n + j];
      if (KYX && i < nx && j >= nx) KYX[(j - nx) * nx + i] = s;
      const v = a[i] * a[j] * s;
      g[i * n + j] = v;
      g[j * n + i] = v;
    }
    if (performance.now() - last > 25) {
      await coop.tick();
      coop.progress('gram', i + 1, n);
      last = performance.now();
    }
  }
  coop.progress('gram', n, n);
  return KYX;
}

/**
 * T = s^½ QᵀJQ s^½ over the kept columns. Q has orthonormal columns, so
 * QᵀJQ = 2·Q_XᵀQ_X − I = I − 2·Q_YᵀQ_Y; the smaller set's rows are used.
 * Cost min(nx, ny)·r²/2, in slices between which the loop yields.
 */
async function thinT(Q: Float64Array, n: number, nx: number, kept: number[], sq: Float64Array, coop: Cooperative): Promise<Float64Array> {
  const r = kept.length;
  const useX = nx <= n - nx;
  const m = useX ? nx : n - nx, first = useX ? 0 : nx;
  // Bt: r × m, row q = kept column q of Q on the smaller set (contiguous for the dot products).
  const Bt = new Float64Array(r * m);
  for (let t = 0; t < m; t++) {
    const row = (first + t) * n;
    for (let q = 0; q < r; q++) Bt[q * m + t] = Q[row + kept[q]];
  }
  const T = new Float64Array(r * r);
  const sign = useX ? 2 : -2, diag = useX ? -1 : 1;
  let last = performance.now();
  for (let p = 0; p < r; p++) {
    const bp = p * m;
    for (let q = p; q < r; q++) {
      const bq = q * m;
      let s0 = 0, s1 = 0, t = 0;
      for (; t + 1 < m; t += 2) { s0 += Bt[bp + t] * Bt[bq + t]; s1 += Bt[bp + t + 1] * Bt[bq + t + 1]; }
      if (t < m) s0 += Bt[bp + t] * Bt[bq + t];
      const v = (sign * (s0 + s1) + (p === q ? diag : 0)) * sq[p] * sq[q];
      T[p * r + q] = v;
      T[q * r + p] = v;
    }
    if (performance.now() - last > 25) {
      await coop.tick();
      coop.progress('solve', 1 + (p + 1) / r, 3);
      last = performance.now();
    }
  }
  return T;
}
