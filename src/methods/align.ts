// SPEC-align (docs/design.md §1): learn ψ(y) = W·y (+ b) so that the cosine kernel of
// ψ(Y) groups the samples as X's kernel does, by minimising
//   L(W) = λmax(KX − K_ψ(Y)) + β‖W − W0‖²_F
// with Adam on mini-batches. The gradient is analytic through the unit top
// eigenvector u of Λ (dλ = uᵀ dΛ u) and never forms an n × n gradient: with
// Z = Y Wᵀ (+ b) and Ŷ its normalised rows, ∂λ/∂Ŷ = −(2/n)·u·(uᵀŶ) is rank one.
import { seededRandom } from '../runtime/prng.js';
import { init } from '../wasm/loader.js';
import { daxpy } from '../wasm/blas1.js';
import { f32, f64, formatBytes, MAX_BLOCK_BYTES, type WasmArray } from '../wasm/memory.js';
import { InputError } from '../errors.js';
import type { KernelInfo, KernelOption, Matrix, MatrixLike, Mode, ProgressEvent, SpecDiff } from '../types.js';
import { toMatrix, checkSameRows, checkNonZeroRows, checkFiniteLoss, checkOptionNames, nonNegative, optionsOf, overflowError, positiveInt, seedOf, throwIfAborted } from '../validate/checks.js';
import { resolveKernel, sigmaAuto, sigmaAutoSteps, kernelInfo, type Kernel } from '../features/kernel.js';
import { matrixSource } from '../validate/source.js';
import { gramSteps } from '../wasm/gram.js';
import { Cooperative, drain, drive, type Step } from '../runtime/cooperative.js';
import { BAND_ROWS } from '../solve/covariance-eigs.js';
import { sgemm } from '../wasm/gemm.js';
import { gemmTNAccumulate, syrkAccumulate, symmetrize } from '../wasm/syrk.js';
import { extremeEigsSteps } from '../solve/eigen.js';
import { syev } from '../solve/dense.js';
import { compare } from './compare.js';
import { checkOutputBudget } from '../score/modes.js';

type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;

export interface AlignOptions {
  /** Kernel of X (cosine by default; linear; gaussian, exact, σ 'auto' = median pairwise distance of X). The mapped side is always cosine. */
  kernel?: KernelOption;
  /** Output dimension d' of the map (default dy). */
  dim?: number;
  /** Also learn a bias b (ψ(y) = W·y + b). Default false. */
  bias?: boolean;
  /** Maximum number of epochs (passes over the training split). Default 100. */
  epochs?: number;
  /** Peak Adam learning rate (cosine-decayed to 0 over all steps). Default 0.01. */
  lr?: number;
  /** Weight β ≥ 0 of the pull ‖W − W0‖²_F towards the initial map. Default 1e-3. */
  beta?: number;
  /** Samples per mini-batch (≥ 2; default min(nTrain, 2000)); each batch is solved exactly (batch × batch kernels). */
  batch?: number;
  /** Held-out fraction in (0, 1) for early stopping and the before/after report. Default 0.2. */
  holdout?: number;
  /** Stop after this many epochs without a better held-out loss. Default 10. */
  patience?: number;
  /** Seed of the split, the shuffles, σ-auto sampling and the eigensolver start vectors. Default 0. */
  seed?: number;
  /** Modes per side in the before/after comparison. Default 10. */
  topK?: number;
  /** Top samples per mode in the before/after comparison. Default 20. */
  samplesPerMode?: number;
  /** Called at least once per epoch (stage 'align', done/total in epochs; fractional within long epochs). */
  onProgress?: (e: ProgressEvent) => void;
  /** Aborts between steps with an AbortError. */
  signal?: AbortSignal;
}

/** Every option name of align(), checked against AlignOptions at compile time (unknown names are refused). */
const ALIGN_OPTIONS = Object.keys({
  kernel: true, dim: true, bias: true, epochs: true, lr: true, beta: true, batch: true, holdout: true,
  patience: true, seed: true, topK: true, samplesPerMode: true, onProgress: true, signal: true,
} satisfies Record<keyof AlignOptions, true>);

/** What align() returns. */
export interface AlignResult {
  /** Which analysis made this result. */
  task: 'align';
  /** Samples in X and Y. */
  n: number;
  /** Samples in the training split. */
  nTrain: number;
  /** Samples in the held-out split. */
  nHoldout: number;
  /** Output dimension d' of the map. */
  dim: number;
  /** Input dimension of Y. */
  dy: number;
  /** The best map (by held-out loss), d' × dy row-major: `Y @ W.T` applies it. */
  W: Float32Array;
  /** The learned bias (length d'), when `bias` was set. */
  bias?: Float32Array;
  /** X's kernel as used (σ reported for the Gaussian). */
  kernelX: KernelInfo;
  /** Epochs run (early stopping may end before `epochs`). */
  epochs: number;
  /** The epoch whose map was kept (0 = the initial map W0). */
  bestEpoch: number;
  /** Per epoch: mean training loss over its batches; held-out loss (index 0 = W0, then after each epoch). */
  loss: {
    /** Mean training loss over each epoch's batches. */
    train: number[];
    /** Held-out loss: index 0 for W0, then one per epoch. */
    holdout: number[];
  };
  /** SPEC-diff on the held-out split between KX and the cosine kernel of Y. */
  specDiffBefore: SpecDiff;
  /** SPEC-diff on the held-out split between KX and the cosine kernel of ψ(Y). */
  specDiffAfter: SpecDiff;
  /** compare() modes on the held-out split before alignment (top indices are indices into X/Y). */
  modesBefore: Mode[];
  /** compare() modes on the held-out split after alignment (top indices are indices into X/Y). */
  modesAfter: Mode[];
  /** Ranks of the side-x modesBefore (those ≥ 10% of the strongest) whose vector keeps < ½ of its weight in the span of side-x modesAfter at least half as strong. */
  removedModes: number[];
  /** Seconds per stage. */
  timings: Record<string, number>;
}

/** Default mini-batch size: 2000 × 2000 f64 kernels are 32 MB each and one exact step stays well under a second. */
export const DEFAULT_BATCH = 2000;
/** Largest batch accepted: two batch × batch f64 matrices must fit in WebAssembly memory. */
export const MAX_BATCH = 8000;
/** The per-epoch held-out loss is evaluated on a seeded subset of at most this many held-out samples. */
export const HOLDOUT_LOSS_MAX = 2500;

/**
 * Bytes held per entry of the dim × dy map: in JS the f64 W, W0, Adam's m and v,
 * the gradient and the best map; in wasm ∂λ/∂W (f64) and the two f32 Wᵀ of the
 * training and held-out evaluations.
 */
const MAP_ENTRY_BYTES = 6 * 8 + 8 + 2 * 4;
/**
 * What align may hold for its map and the initial map's covariances: one
 * WebAssembly allocation's limit (1 GiB), the same bound compare and finc put on
 * their D × D covariance. The batch kernels are bounded apart (MAX_BATCH).
 */
export const ALIGN_MAP_BUDGET = MAX_BLOCK_BYTES;

/**
 * Memory align needs for a dim × dy map (plus bias), beyond the inputs and the
 * batch kernels: the map state (MAP_ENTRY_BYTES per entry) and, unless it starts
 * from the identity (dim = dy), the initial map's peak (f64 dx × dx and dy × dy
 * covariances with their syev workspaces and eigenvectors, YᵀX, B and Vᵀ).
 */
export function alignMapBytes(dx: number, dy: number, dim: number, bias: boolean, identity = dim === dy): number {
  const P = dim * dy + (bias ? dim : 0);
  const init = identity ? 0 : 8 * (2 * dx * dx + 4 * dy * dy + dx * dy + 2 * dy * Math.min(dim, dx));
  return MAP_ENTRY_BYTES * P + init;
}

/**
 * Refuses, before anything is allocated, a map whose state exceeds
 * ALIGN_MAP_BUDGET, naming the dimension option (`dimName`: 'dim', or '--dim'
 * for the CLI), dy, the memory needed and the largest dim that fits.
 */
export function checkAlignSize(dx: number, dy: number, dim: number, bias: boolean, dimName = 'dim'): void {
  const need = alignMapBytes(dx, dy, dim, bias);
  if (need <= ALIGN_MAP_BUDGET) return;
  // Without the identity start (dim = dy) the need grows with dim: bisect below dim.
  let fit = 0;
  for (let lo = 1, hi = dim - 1; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    if (alignMapBytes(dx, dy, mid, bias, false) <= ALIGN_MAP_BUDGET) { fit = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (dy < dim && alignMapBytes(dx, dy, dy, bias) <= ALIGN_MAP_BUDGET) fit = Math.max(fit, dy);
  const advice = fit > 0 ? `the largest ${dimName} that fits is ${fit}`
    : `no ${dimName} fits: a map narrower than dy starts from Y's dy × dy covariance (${formatBytes(8 * dy * dy)} in f64, with its eigendecomposition), so reduce Y's dimension first`;
  throw new InputError(`${dimName} = ${dim} with dy = ${dy}: the ${dim} × ${dy} map, its Adam state and copies would need ${formatBytes(need)}, more than align's budget of ${formatBytes(ALIGN_MAP_BUDGET)} (one WebAssembly allocation, as for compare's D × D covariance); ${advice}`);
}

/**
 * Defaults, chosen on the planted test (two clusters collapsed to 10% along their
 * separating direction in a rotated copy, n = 1500, d = 24; tests/unit/align.test.ts):
 * undoing it needs W to move ~10 along one rank-one direction, so lr = 0.03 (Adam
 * moves each entry ≤ lr per step) reaches it within 100 cosine-decayed steps and cuts
 * the held-out SPEC-diff ~10× (lr 0.01 gives ~4×, 0.1 overshoots); β = 1e-4 keeps
 * β‖W − W0‖² ≈ 0.01 at that distance, below λmax (≈ 0.18), whereas β = 1e-3
 * already costs as much as the mismatch it removes; patience 10 epochs rides out
 * the noisy held-out curve of mini-batch steps.
 */
/**
 * Largest β accepted: the penalty's gradient 2β(W − W0) squared in Adam's second
 * moment overflows near β ≈ 1e154/lr, and then the map turns NaN and the message
 * blames lr; far below that β already pins W to W0.
 */
export const MAX_BETA = 1e15;

const DEFAULTS = { epochs: 100, lr: 0.03, beta: 1e-4, holdout: 0.2, patience: 10 };

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function check(signal?: AbortSignal): void {
  throwIfAborted(signal);
}

/** The seeded generator for split and shuffles (identical in every runtime). */
const rng = seededRandom;

function shuffle(a: Int32Array, next: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = a[i]; a[i] = a[j]; a[j] = t;
  }
}

/** Copies rows idx[start..start+count) of m into the wasm buffer (f32, row-major). */
function gather(m: Matrix, idx: ArrayLike<number>, start: number, count: number, out: F32): void {
  const v = out.view, d = m.cols, src = m.data;
  for (let r = 0; r < count; r++) {
    const s = idx[start + r] * d;
    const o = r * d;
    for (let j = 0; j < d; j++) v[o + j] = src[s + j];
  }
}

/** Result of one exact evaluation of λmax(KX − K_cos(Z)) on b samples. */
interface LambdaGrad {
  value: number;
  /** Unit top eigenvector of Λ (sign: sum ≥ 0). */
  u: Float64Array;
  /** ∂λ/∂Z, b × d row-major (when asked for). */
  gradZ?: Float64Array;
}

/**
 * λmax(KX − K_cos(Z)) and ∂λ/∂Z for the b × d f32 Z in wasm. KX holds
 * (1/b)[kX(xi, xj)] and is only read; M is a b × b work buffer. `rowName(i)`
 * names sample i in the zero-row error. The one code path of specDiffLoss and
 * of align's steps.
 */
function lambdaAndGrad(KX: F64, M: F64, Z: F32, b: number, d: number, seed: number, wantGrad: boolean, rowName: (i: number) => string): LambdaGrad {
  return drain(lambdaAndGradSteps(KX, M, Z, b, d, seed, wantGrad, rowName));
}

/** lambdaAndGrad as a resumable computation: the Gram in row blocks, −Λ in bands, Lanczos in its steps (the same arithmetic). */
function* lambdaAndGradSteps(KX: F64, M: F64, Z: F32, b: number, d: number, seed: number, wantGrad: boolean, rowName: (i: number) => string): Generator<Step | void, LambdaGrad> {
  // Row norms first: a zero row of Z has no direction (and would fail inside gram).
  const zv = Z.view;
  const inv = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    let s = 0;
    for (let j = i * d, e = j + d; j < e; j++) s += zv[j] * zv[j];
    if (!(s > 0) || !Number.isFinite(s)) {
      throw new InputError(s === 0 ? `${rowName(i)} is all zeros: the cosine kernel of the mapped side needs non-zero rows`
        : `${rowName(i)} is not finite (the map diverged; lower lr)`);
    }
    inv[i] = 1 / Math.sqrt(s);
  }
  yield* gramSteps(Z, b, d, 'cosine', 0, M, 1 / b);
  // M = K_ψ − KX = −Λ, element-wise in bands of rows
  for (let o = 0; o < b * b; o += BAND_ROWS * b) {
    daxpy(Math.min(BAND_ROWS * b, b * b - o), -1, KX, M, o, o);
    yield;
  }
  // λmax(Λ) = −λmin(−Λ); the smallest pair of M is in slot 1 for k = 1.
  const r = yield* extremeEigsSteps({ kind: 'dense', A: M, n: b }, 1, { seed: seed + 1 });
  const value = -r.values[1];
  const u = r.vectors[1];
  let sum = 0;
  for (let i = 0; i < b; i++) sum += u[i];
  if (sum < 0) for (let i = 0; i < b; i++) u[i] = -u[i];
  if (!wantGrad) return { value, u };
  // s = Ŷᵀu (d); ∂λ/∂Zᵢ = −(2/b)(uᵢ/‖Zᵢ‖)(s − Ŷᵢ(sᵀŶᵢ)).
  const zv2 = Z.view;
  const s = new Float64Array(d);
  for (let i = 0; i < b; i++) {
    const w = u[i] * inv[i];
    if (w === 0) continue;
    for (let j = 0, o = i * d; j < d; j++) s[j] += w * zv2[o + j];
  }
  const gradZ = new Float64Array(b * d);
  for (let i = 0; i < b; i++) {
    const o = i * d, ni = inv[i];
    let c = 0;
    for (let j = 0; j < d; j++) c += zv2[o + j] * s[j];
    c *= ni; // sᵀŶᵢ
    const a = (-2 / b) * u[i] * ni;
    if (a === 0) continue;
    const cn = c * ni;
    for (let j = 0; j < d; j++) gradZ[o + j] = a * (s[j] - cn * zv2[o + j]);
  }
  return { value, u, gradZ };
}

/** X's kernel, σ = 'auto' from X's seeded sample. */
function resolveKernelX(opt: KernelOption | undefined, X: Matrix, name: string, seed: number): Kernel {
  return resolveKernel(opt, 'X', () => sigmaAuto([matrixSource(X, name)], seed, name), 'kernel');
}

/** KX = (1/b)[kX(xi, xj)] of the rows idx[start..start+b) into K, in row blocks (gramSteps: the same entries as one gram). */
function* kernelX(X: Matrix, idx: ArrayLike<number>, start: number, b: number, k: Kernel, K: F64): Generator<Step, void> {
  const buf = f32(b * X.cols, `X batch (${b} × ${X.cols})`);
  try {
    gather(X, idx, start, b, buf);
    yield* gramSteps(buf, b, X.cols, k.type, k.sigma, K, 1 / b, 'X');
  } finally {
    buf.free();
  }
}

/**
 * λmax(KX − K_cos(Y)) on all n samples (exact n × n kernels) and its gradient
 * with respect to Y, for use inside a training loop (TF.js, ORT-web, ...):
 * add `value` to the loss and back-propagate `gradY` into the network that
 * produced Y. Same code as align's steps (where ∂/∂W = gradZᵀY).
 */
export async function specDiffLoss(X: MatrixLike, Y: MatrixLike, options: { kernel?: KernelOption; seed?: number } = {}):
  Promise<{ value: number; gradY: Float64Array; eigenvector: Float64Array }> {
  await init();
  checkOptionNames(optionsOf(options), ['kernel', 'seed']);
  const mx = toMatrix(X, 'X'), my = toMatrix(Y, 'Y');
  checkSameRows({ rows: mx.rows, name: 'X' }, { rows: my.rows, name: 'Y' });
  const seed = seedOf(options.seed);
  const k = resolveKernelX(options.kernel, mx, 'X', seed);
  if (k.type === 'cosine') checkNonZeroRows(mx, 'X');
  const n = mx.rows, d = my.cols;
  if (n > MAX_BATCH) throw new InputError(`specDiffLoss forms n × n kernels; n = ${n} is more than ${MAX_BATCH}: call it on mini-batches`);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const KX = f64(n * n, `kernel matrix (${n} × ${n})`);
  let M: F64 | undefined, Z: F32 | undefined;
  try {
    M = f64(n * n, `kernel matrix (${n} × ${n})`);
    Z = f32(n * d, `Y (${n} × ${d})`);
    drain(kernelX(mx, all, 0, n, k, KX));
    gather(my, all, 0, n, Z);
    const r = lambdaAndGrad(KX, M, Z, n, d, seed, true, (i) => `Y: row ${i + 1} (1-based)`);
    checkFiniteLoss(r.value, 'the SPEC-diff loss');
    return { value: r.value, gradY: r.gradZ!, eigenvector: r.u };
  } catch (e) {
    throw overflowError(e);
  } finally {
    KX.free(); M?.free(); Z?.free();
  }
}

/** ψ(Y) = Y Wᵀ (+ bias): an n × dim f32 matrix. W is dim × dy row-major. Synchronous: call `await init()` once before. */
export function applyMap(W: Float32Array, Y: MatrixLike, opts: { dim: number; bias?: Float32Array }): Matrix {
  checkOptionNames(optionsOf(opts, 'applyMap options'), ['dim', 'bias'], 'applyMap option');
  const my = toMatrix(Y, 'Y');
  const dim = positiveInt(opts.dim, 'dim', 1);
  if (!(W instanceof Float32Array) || W.length !== dim * my.cols) {
    throw new InputError(`W must be a Float32Array of dim × dy = ${dim} × ${my.cols} = ${dim * my.cols} values, got ${W?.length}`);
  }
  if (opts.bias !== undefined && opts.bias.length !== dim) throw new InputError(`bias must have dim = ${dim} values, got ${opts.bias.length}`);
  const out = new Float32Array(my.rows * dim);
  mapRows(W, opts.bias, my, dim, out);
  return { data: out, rows: my.rows, cols: dim };
}

/** out = Y Wᵀ (+ b), computed by sgemm in chunks of rows. */
function mapRows(W: ArrayLike<number>, bias: ArrayLike<number> | undefined, Y: Matrix, dim: number, out: Float32Array): void {
  const dy = Y.cols, n = Y.rows;
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
    Wt.free(); Yc?.free(); Zc?.free();
  }
}

/** Wt (dy × dim, f32) = Wᵀ for W dim × dy. */
function transposeInto(W: ArrayLike<number>, dim: number, dy: number, Wt: F32): void {
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
  const dx = X.cols, dy = Y.cols, n = X.rows;
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
  const Cx = f64(dx * dx, 'X covariance'), Cy = f64(dy * dy, 'Y covariance'), Cyx = f64(dy * dx, 'YᵀX');
  const xb = f32(CH * dx, 'X chunk'), yb = f32(CH * dy, 'Y chunk');
  try {
    Cx.view.fill(0); Cy.view.fill(0); Cyx.view.fill(0);
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
    for (let c = 0; c < k; c++) { const col = dx - 1 - c; for (let r = 0; r < dx; r++) P[r * k + c] = ex.vectors[r * dx + col]; }
    // B = Yᵀ(X − 1μᵀ)P... lstsq(Y, X·P) uses uncentred X·P; YᵀXP = YᵀXcP + (Yᵀ1)(μᵀP).
    const ysum = new Float64Array(dy);
    for (let i = 0; i < n; i++) for (let j = 0; j < dy; j++) ysum[j] += Y.data[i * dy + j];
    const muP = new Float64Array(k);
    for (let c = 0; c < k; c++) { let s = 0; for (let r = 0; r < dx; r++) s += mean[r] * P[r * k + c]; muP[c] = s; }
    const cyx = Cyx.view;
    const B = new Float64Array(dy * k);
    for (let i = 0; i < dy; i++) for (let c = 0; c < k; c++) {
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
    for (let i = 0; i < dy; i++) for (let c = 0; c < k; c++) {
      let t = 0;
      for (let e = 0; e < dy; e++) t += ey.vectors[i * dy + e] * Vt[e * k + c];
      W0[c * dy + i] = t;
    }
    return W0;
  } finally {
    Cx.free(); Cy.free(); Cyx.free(); xb.free(); yb.free();
  }
}

/** Settings of a training run, validated. */
interface Settings {
  dim: number; bias: boolean; epochs: number; lr: number; beta: number; batch: number;
  holdout: number; patience: number; seed: number; topK: number; samplesPerMode: number;
}

function settingsOf(o: AlignOptions, dx: number, dy: number): Omit<Settings, 'batch'> & { batch?: number } {
  const dim = positiveInt(o.dim, 'dim', dy);
  if (dim > Math.max(dx, dy)) throw new InputError(`dim must be ≤ max(dx, dy) = ${Math.max(dx, dy)} (a wider map adds nothing), got ${dim}`);
  const epochs = positiveInt(o.epochs, 'epochs', DEFAULTS.epochs);
  const lr = o.lr ?? DEFAULTS.lr;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) throw new InputError(`lr must be a finite number > 0, got ${String(o.lr)}`);
  const beta = nonNegative(o.beta, 'beta', DEFAULTS.beta);
  if (beta > MAX_BETA) throw new InputError(`beta must be ≤ ${MAX_BETA} (λmax is at most 2, so a larger pull only holds W at W0, and near 1e154 Adam's squared gradient 4β²‖W − W0‖² overflows), got ${String(o.beta)}`);
  const holdout = o.holdout ?? DEFAULTS.holdout;
  if (typeof holdout !== 'number' || !(holdout > 0 && holdout < 1)) throw new InputError(`holdout must be a fraction in (0, 1), got ${String(o.holdout)}`);
  if (o.batch !== undefined && (typeof o.batch !== 'number' || !Number.isInteger(o.batch) || o.batch < 2)) {
    throw new InputError(`batch must be an integer ≥ 2, got ${String(o.batch)}`);
  }
  if (o.batch !== undefined && o.batch > MAX_BATCH) throw new InputError(`batch must be ≤ ${MAX_BATCH} (two batch × batch f64 kernels must fit in WebAssembly memory), got ${o.batch}`);
  if (o.bias !== undefined && typeof o.bias !== 'boolean') throw new InputError(`bias must be true or false, got ${String(o.bias)}`);
  return {
    dim, bias: !!o.bias, epochs, lr, beta, batch: o.batch, holdout,
    patience: positiveInt(o.patience, 'patience', DEFAULTS.patience),
    seed: seedOf(o.seed),
    topK: positiveInt(o.topK, 'topK', 10),
    samplesPerMode: positiveInt(o.samplesPerMode, 'samplesPerMode', 20),
  };
}

/**
 * The training state: parameters, Adam moments and the wasm work buffers of
 * one batch size. Internal (exported for tests and the benchmark).
 */
export class AlignTrainer {
  readonly dx: number;
  readonly dy: number;
  /** Parameters: W (dim × dy) then bias (dim), f64 master copy. */
  readonly theta: Float64Array;
  readonly W0: Float64Array;
  // Adam's moments and the gradient are dim × dy each: made on first use, so a
  // trainer that only evaluates (the held-out loss) never holds them.
  private m: Float64Array | null = null;
  private v: Float64Array | null = null;
  private grad: Float64Array | null = null;
  private t = 0;
  private bufs: { b: number; KX: F64; M: F64; Xb: F32; Yb: F32; Z: F32; Wt: F32; G?: F32; GW?: F64 } | null = null;
  /** Batch rows whose KX is cached (when one batch covers the whole set). */
  private cachedKX: Int32Array | null = null;

  constructor(readonly X: Matrix, readonly Y: Matrix, readonly k: Kernel, readonly dim: number, readonly useBias: boolean,
    readonly beta: number, W0: Float64Array, readonly seed: number, theta?: Float64Array) {
    this.dx = X.cols; this.dy = Y.cols;
    this.W0 = W0;
    const P = dim * this.dy + (useBias ? dim : 0);
    // `theta`: evaluate another trainer's parameters in place instead of a copy of them.
    if (theta && theta.length !== P) throw new RangeError(`spec-embed: AlignTrainer: theta has ${theta.length} values, not ${P}`);
    this.theta = theta ?? new Float64Array(P);
    if (!theta) this.theta.set(W0);
  }

  /** Work buffers for batches of up to b samples (smaller batches use their front); the gradient's only with `grad`. */
  private ensure(b: number, grad = false) {
    if (this.bufs && this.bufs.b >= b && (!grad || this.bufs.GW)) return this.bufs;
    b = Math.max(b, this.bufs?.b ?? 0);
    this.release();
    const { dim, dx, dy } = this;
    const made: WasmArray<any>[] = [];
    const mk = <T extends WasmArray<any>>(a: T): T => { made.push(a); return a; };
    try {
      this.bufs = {
        b,
        KX: mk(f64(b * b, `kernel matrix (${b} × ${b})`)),
        M: mk(f64(b * b, `kernel matrix (${b} × ${b})`)),
        Xb: mk(f32(b * dx, 'X batch')),
        Yb: mk(f32(b * dy, 'Y batch')),
        Z: mk(f32(b * dim, 'ψ(Y) batch')),
        Wt: mk(f32(dy * dim, 'Wᵀ')),
        ...(grad ? { G: mk(f32(b * dim, '∂λ/∂Z')), GW: mk(f64(dim * dy, '∂λ/∂W')) } : {}),
      };
    } catch (e) {
      for (const a of made) a.free();
      this.bufs = null;
      throw e;
    }
    return this.bufs;
  }

  release(): void {
    if (!this.bufs) return;
    const { KX, M, Xb, Yb, Z, Wt, G, GW } = this.bufs;
    for (const a of [KX, M, Xb, Yb, Z, Wt, G, GW]) a?.free();
    this.bufs = null;
    this.cachedKX = null;
  }

  /** ‖W − W0‖²_F. */
  penalty(): number {
    const { theta, W0 } = this;
    let s = 0;
    for (let i = 0; i < W0.length; i++) { const d = theta[i] - W0[i]; s += d * d; }
    return s;
  }

  /** Z = Y_b Wᵀ (+ b) for the rows idx[start..start+b) (Yb gathered). */
  private mapBatch(idx: Int32Array, start: number, b: number): void {
    const B = this.ensure(b);
    const { dim, dy, theta } = this;
    gather(this.Y, idx, start, b, B.Yb);
    transposeInto(theta, dim, dy, B.Wt);
    sgemm(b, dim, dy, B.Yb, dy, B.Wt, dim, B.Z, dim, 0);
    if (this.useBias) {
      const z = B.Z.view, off = dim * dy;
      for (let i = 0; i < b; i++) for (let j = 0; j < dim; j++) z[i * dim + j] += theta[off + j];
    }
  }

  private *kx(idx: Int32Array, start: number, b: number): Generator<Step, void> {
    const B = this.ensure(b);
    const key = idx.subarray(start, start + b);
    if (this.cachedKX && this.cachedKX.length === b && this.cachedKX.every((v, i) => v === key[i])) return;
    this.cachedKX = null; // an aborted pass leaves KX half-written
    yield* kernelX(this.X, idx, start, b, this.k, B.KX);
    this.cachedKX = Int32Array.from(key);
  }

  /**
   * L = λmax + β‖W − W0‖² on the rows idx[start..start+b) and, when asked,
   * ∂L/∂θ (W then bias). Yields to the event loop between the heavy phases.
   */
  async lossAndGrad(idx: Int32Array, start: number, b: number, wantGrad: boolean, signal?: AbortSignal): Promise<{ loss: number; lambda: number; grad?: Float64Array }> {
    this.ensure(b, wantGrad);
    // The batch kernels and the eigensolve take ~0.1 s each at b = 4000: in steps of ≤ ~STEP_MS.
    const coop = new Cooperative(signal);
    await drive(this.kx(idx, start, b), coop, 'align');
    await tick(); check(signal);
    this.mapBatch(idx, start, b);
    const B = this.bufs!;
    const r = await drive(lambdaAndGradSteps(B.KX, B.M, B.Z, b, this.dim, this.seed, wantGrad, (i) => `row ${idx[start + i] + 1} (1-based) of Y·Wᵀ${this.useBias ? ' + b' : ''}`), coop, 'align');
    const loss = r.value + this.beta * this.penalty();
    checkFiniteLoss(loss, 'the align loss');
    if (!wantGrad) return { loss, lambda: r.value };
    await tick(); check(signal);
    const { dim, dy, theta, W0, beta } = this;
    // ∂λ/∂W = (∂λ/∂Z)ᵀ Y_b (gemmTN, f64 out); ∂λ/∂b = Σᵢ ∂λ/∂Zᵢ.
    const G = B.G!, GW = B.GW!;
    G.view.set(r.gradZ!);
    GW.view.fill(0);
    gemmTNAccumulate(G, dim, B.Yb, dy, GW, b);
    const grad = (this.grad ??= new Float64Array(theta.length));
    if (this.useBias) grad.fill(0, dim * dy);
    const gw = GW.view;
    for (let i = 0; i < dim * dy; i++) grad[i] = gw[i] + 2 * beta * (theta[i] - W0[i]);
    if (this.useBias) {
      const gz = r.gradZ!, off = dim * dy;
      for (let i = 0; i < b; i++) for (let j = 0; j < dim; j++) grad[off + j] += gz[i * dim + j];
    }
    return { loss, lambda: r.value, grad };
  }

  /** One Adam step with learning rate lr. */
  adam(grad: Float64Array, lr: number): void {
    const b1 = 0.9, b2 = 0.999, eps = 1e-8;
    this.t++;
    const c1 = 1 / (1 - b1 ** this.t), c2 = 1 / (1 - b2 ** this.t);
    const { theta } = this;
    const m = (this.m ??= new Float64Array(theta.length)), v = (this.v ??= new Float64Array(theta.length));
    for (let i = 0; i < theta.length; i++) {
      const g = grad[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      theta[i] -= (lr * m[i] * c1) / (Math.sqrt(v[i] * c2) + eps);
    }
  }

  /**
   * One epoch over `train` (shuffled in place with `next`) in balanced batches
   * of at most `batch`. `lrAt(step)` gives the learning rate of each global step.
   */
  async epoch(train: Int32Array, batch: number, next: () => number, lrAt: (t: number) => number,
    onBatch?: (done: number, total: number) => void, signal?: AbortSignal): Promise<number> {
    if (train.length > batch) shuffle(train, next);
    const starts = batchStarts(train.length, batch);
    let sum = 0;
    for (let j = 0; j < starts.length; j++) {
      const s = starts[j], e = j + 1 < starts.length ? starts[j + 1] : train.length;
      const r = await this.lossAndGrad(train, s, e - s, true, signal);
      this.adam(r.grad!, lrAt(this.t));
      sum += r.loss;
      onBatch?.(j + 1, starts.length);
      await tick(); check(signal);
    }
    return sum / starts.length;
  }
}

/** Batch start offsets: ⌈n / batch⌉ batches of balanced sizes (each ≤ batch, sizes differ by ≤ 1). */
export function batchStarts(n: number, batch: number): number[] {
  const count = Math.max(1, Math.ceil(n / batch));
  return Array.from({ length: count }, (_, i) => Math.floor((i * n) / count));
}

function subset(m: Matrix, idx: ArrayLike<number>): Matrix {
  const d = m.cols, out = new Float32Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) out.set(m.data.subarray(idx[r] * d, idx[r] * d + d), r * d);
  return { data: out, rows: idx.length, cols: d };
}

/** Side-x modes of `before` that the alignment removed (see AlignResult.removedModes). */
function removed(before: Mode[], after: Mode[]): number[] {
  // A side-x mode counts when it is a real cluster mismatch (≥ 10% of the strongest one;
  // weaker ones sit near the noise and reshuffle under any change). It is kept when at
  // least half of its vector lies in the span of after-modes at least half as strong
  // (a mode may split in two), and removed otherwise.
  const out: number[] = [];
  const bx = before.filter((m) => m.side === 'x');
  const ax = after.filter((m) => m.side === 'x');
  const strongest = bx.length ? bx[0].eigenvalue : 0;
  for (const mb of bx) {
    if (mb.eigenvalue < 0.1 * strongest) continue;
    let captured = 0;
    for (const ma of ax) {
      if (!(ma.eigenvalue >= mb.eigenvalue / 2)) continue;
      const a = ma.scores!, b = mb.scores!;
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] * b[i];
      captured += s * s;
    }
    if (captured < 0.5) out.push(mb.rank);
  }
  return out;
}

/** Modes with top indices mapped from held-out positions to indices into X/Y, scores dropped. */
function globalModes(modes: Mode[], hold: Int32Array): Mode[] {
  return modes.map((m) => ({ rank: m.rank, side: m.side, eigenvalue: m.eigenvalue, top: m.top.map((t) => ({ index: hold[t.index], score: t.score })) }));
}

/**
 * Learns ψ(y) = W·y (+ b) so that the cosine kernel of ψ(Y) groups the samples
 * as X's kernel does (SPEC-align), and reports SPEC-diff and the modes on a
 * held-out split before and after.
 */
export async function align(X: MatrixLike, Y: MatrixLike, options: AlignOptions = {}): Promise<AlignResult> {
  return alignNamed(X, Y, options, { x: 'X', y: 'Y' });
}

/** `align` with the names messages give X and Y (the CLI passes its files' names). */
export async function alignNamed(X: MatrixLike, Y: MatrixLike, options: AlignOptions, names: { x: string; y: string }): Promise<AlignResult> {
  await init();
  const T0 = performance.now();
  const timings: Record<string, number> = {};
  let t = T0;
  const lap = (key: string) => { const now = performance.now(); timings[key] = (timings[key] ?? 0) + (now - t) / 1000; t = now; };
  checkOptionNames(optionsOf(options), ALIGN_OPTIONS);
  const mx = toMatrix(X, names.x), my = toMatrix(Y, names.y);
  checkSameRows({ rows: mx.rows, name: names.x }, { rows: my.rows, name: names.y });
  const st = settingsOf(options, mx.cols, my.cols);
  checkAlignSize(mx.cols, my.cols, st.dim, st.bias);
  const { signal, onProgress } = options;
  // σ = 'auto' (~0.2 s for a 1000-row sample at d = 384) in steps, as stage 'sigma'.
  const k0 = resolveKernel(options.kernel, 'X', () => NaN, 'kernel');
  const k = Number.isNaN(k0.sigma)
    ? { ...k0, sigma: await drive(sigmaAutoSteps([matrixSource(mx, names.x)], st.seed, names.x), new Cooperative(signal, onProgress), 'sigma') }
    : k0;
  if (k.type === 'cosine') checkNonZeroRows(mx, names.x);
  checkNonZeroRows(my, names.y);
  const n = mx.rows;
  const nHoldout = Math.round(st.holdout * n);
  const nTrain = n - nHoldout;
  if (nHoldout < 2 || nTrain < 2) {
    throw new InputError(`holdout ${st.holdout} of n = ${n} samples leaves ${nTrain} for training and ${nHoldout} held out; both need ≥ 2`);
  }
  const batch = Math.min(st.batch ?? DEFAULT_BATCH, nTrain);
  // The before/after comparisons run after training: refuse their output up front.
  checkOutputBudget(st.topK, st.samplesPerMode, nHoldout, [nHoldout, nHoldout]);
  throwIfAborted(signal);

  // Seeded split; train/hold indices ascending.
  const next = rng(st.seed);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  shuffle(perm, next);
  const hold = perm.slice(0, nHoldout).sort();
  const train = perm.slice(nHoldout).sort();
  // The held-out loss set: all of the held-out split up to HOLDOUT_LOSS_MAX samples.
  const holdEval = hold.length <= HOLDOUT_LOSS_MAX ? hold : (() => { const h = hold.slice(); shuffle(h, rng(st.seed + 1)); return h.slice(0, HOLDOUT_LOSS_MAX).sort(); })();

  const W0 = initialMap(subset(mx, train), subset(my, train), st.dim);
  lap('init');
  const trainer = new AlignTrainer(mx, my, k, st.dim, st.bias, st.beta, W0, st.seed);
  const evalTrainer = new AlignTrainer(mx, my, k, st.dim, st.bias, st.beta, W0, st.seed, trainer.theta);
  const loss = { train: [] as number[], holdout: [] as number[] };
  // One buffer for the best map, overwritten in place (a dim × dy copy per better epoch was garbage).
  const best = { epoch: 0, loss: Infinity, theta: trainer.theta.slice() };
  let epochsRun = 0;
  try {
    const evalHold = async () => {
      const r = await evalTrainer.lossAndGrad(holdEval, 0, holdEval.length, false, signal);
      return r.loss;
    };
    const h0 = await evalHold();
    loss.holdout.push(h0);
    best.loss = h0;
    lap('holdout');
    onProgress?.({ stage: 'align', done: 0, total: st.epochs });
    const steps = st.epochs * batchStarts(nTrain, batch).length;
    const lrAt = (s: number) => st.lr * 0.5 * (1 + Math.cos((Math.PI * Math.min(s, steps)) / steps));
    let since = 0;
    for (let e = 1; e <= st.epochs; e++) {
      const tr = await trainer.epoch(train, batch, next, lrAt, (d, tot) => {
        if (tot > 1 && d < tot) onProgress?.({ stage: 'align', done: e - 1 + d / tot, total: st.epochs });
      }, signal);
      lap('train');
      loss.train.push(tr);
      const h = await evalHold();
      lap('holdout');
      loss.holdout.push(h);
      epochsRun = e;
      onProgress?.({ stage: 'align', done: e, total: st.epochs });
      if (h < best.loss) { best.epoch = e; best.loss = h; best.theta.set(trainer.theta); since = 0; }
      else if (++since >= st.patience) break;
    }
  } catch (e) {
    throw overflowError(e);
  } finally {
    trainer.release();
    evalTrainer.release();
  }

  const W = Float32Array.from(best.theta.subarray(0, st.dim * my.cols));
  const bias = st.bias ? Float32Array.from(best.theta.subarray(st.dim * my.cols)) : undefined;
  // Before/after on the held-out split, by compare().
  throwIfAborted(signal);
  const Xh = subset(mx, hold), Yh = subset(my, hold);
  const kernelOpt: KernelOption = k.type === 'gaussian' ? { type: 'gaussian', sigma: k.sigma } : k.type;
  const copts = { kernelX: kernelOpt, kernelY: 'cosine' as const, topK: st.topK, samplesPerMode: st.samplesPerMode, seed: st.seed, returnScores: true, signal };
  const before = await compare(Xh, Yh, copts);
  const after = await compare(Xh, applyMap(W, Yh, { dim: st.dim, bias }), copts);
  lap('compare');
  timings.total = (performance.now() - T0) / 1000;
  return {
    task: 'align',
    n, nTrain, nHoldout, dim: st.dim, dy: my.cols,
    W, ...(bias ? { bias } : {}),
    kernelX: kernelInfo(k, 'exact'),
    epochs: epochsRun, bestEpoch: best.epoch, loss,
    specDiffBefore: before.specDiff, specDiffAfter: after.specDiff,
    modesBefore: globalModes(before.modes, hold), modesAfter: globalModes(after.modes, hold),
    removedModes: removed(before.modes, after.modes),
    timings,
  };
}
