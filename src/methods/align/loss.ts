// The loss and its gradient (docs/design.md §1, SPEC-align): λmax(KX − K_cos(Z))
// (objective 'x-not-y', the paper's) or the spectral norm max(λmax, −λmin)
// (objective 'norm'). The gradient is analytic through the unit eigenvector u of
// the end that is used (dλ = uᵀ dΛ u; for −λmin, −uᵀ dΛ u with u the bottom vector)
// and never forms an n × n gradient: with Ŷ the normalised rows of Z,
// ∂λ/∂Ŷ = −(2/n)·u·(uᵀŶ) is rank one. One code path serves specDiffLoss and
// align's training steps.
import { init } from '../../wasm/loader.js';
import { daxpy } from '../../wasm/blas1.js';
import { f32, f64, type WasmArray } from '../../wasm/memory.js';
import { gramSteps } from '../../wasm/gram.js';
import { InputError } from '../../errors.js';
import type { KernelOption, Matrix, MatrixLike } from '../../types/index.js';
import type { AlignObjective } from '../../types/align.js';
import { toMatrix, checkSameRows, checkNonZeroRows, checkFiniteLoss, overflowError, seedOf } from '../../validate/checks.js';
import { checkSpecDiffLossOptions, MAX_BATCH } from '../../validate/align-options.js';
import { matrixSource } from '../../validate/source.js';
import { resolveKernel, sigmaAuto, type Kernel } from '../../features/kernel.js';
import { drain, type Step } from '../../runtime/cooperative.js';
import { BAND_ROWS } from '../../solve/covariance-eigs.js';
import { extremeEigsSteps } from '../../solve/eigen.js';
import { gather } from './map.js';

type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;

/** Result of one exact evaluation of the objective on b samples (Λ = KX − K_cos(Z)). */
export interface LambdaGrad {
  /** The objective: λmax(Λ) ('x-not-y') or max(λmax, −λmin) ('norm'). */
  value: number;
  /** λmax(Λ). */
  lambdaMax: number;
  /** λmin(Λ). */
  lambdaMin: number;
  /** Which end `value`, `u` and `gradZ` belong to: 'top' (λmax) or 'bottom' (−λmin; only under 'norm'). */
  end: 'top' | 'bottom';
  /** Unit eigenvector of Λ at that end (sign: sum ≥ 0). */
  u: Float64Array;
  /** ∂value/∂Z, b × d row-major (when asked for). */
  gradZ?: Float64Array;
}

/**
 * The objective on Λ = KX − K_cos(Z) — λmax ('x-not-y', default) or
 * max(λmax, −λmin) ('norm') — and its gradient ∂/∂Z for the b × d f32 Z in
 * wasm. KX holds (1/b)[kX(xi, xj)] and is only read; M is a b × b work buffer.
 * `rowName(i)` names sample i in the zero-row error. The one code path of
 * specDiffLoss and of align's steps.
 */
export function lambdaAndGrad(
  KX: F64,
  M: F64,
  Z: F32,
  b: number,
  d: number,
  seed: number,
  wantGrad: boolean,
  rowName: (i: number) => string,
  objective: AlignObjective = 'x-not-y',
): LambdaGrad {
  return drain(lambdaAndGradSteps(KX, M, Z, b, d, seed, wantGrad, rowName, objective));
}

/**
 * Which end of the spectrum the objective takes: under 'norm' the larger of λmax and
 * −λmin, and at a tie (equal in f64) the top end — uuᵀ of either end's unit vector is
 * a subgradient there (docs/design.md §1).
 */
export function objectiveEnd(objective: AlignObjective, lambdaMax: number, lambdaMin: number): 'top' | 'bottom' {
  return objective === 'norm' && -lambdaMin > lambdaMax ? 'bottom' : 'top';
}

/** lambdaAndGrad as a resumable computation: the Gram in row blocks, −Λ in bands, Lanczos in its steps (the same arithmetic). */
export function* lambdaAndGradSteps(
  KX: F64,
  M: F64,
  Z: F32,
  b: number,
  d: number,
  seed: number,
  wantGrad: boolean,
  rowName: (i: number) => string,
  objective: AlignObjective = 'x-not-y',
): Generator<Step | void, LambdaGrad> {
  // Row norms first: a zero row of Z has no direction (and would fail inside gram).
  const zv = Z.view;
  const inv = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    let s = 0;
    for (let j = i * d, e = j + d; j < e; j++) s += zv[j] * zv[j];
    if (!(s > 0) || !Number.isFinite(s)) {
      throw new InputError(
        s === 0
          ? `${rowName(i)} is all zeros: the cosine kernel of the mapped side needs non-zero rows`
          : `${rowName(i)} is not finite (the map diverged; lower lr)`,
      );
    }
    inv[i] = 1 / Math.sqrt(s);
  }
  yield* gramSteps(Z, b, d, 'cosine', 0, M, 1 / b);
  // M = K_ψ − KX = −Λ, element-wise in bands of rows
  for (let o = 0; o < b * b; o += BAND_ROWS * b) {
    daxpy(Math.min(BAND_ROWS * b, b * b - o), -1, KX, M, o, o);
    yield;
  }
  // λmax(Λ) = −λmin(−Λ) and λmin(Λ) = −λmax(−Λ): for k = 1 the largest pair of M is in
  // slot 0 and the smallest in slot 1 (the solver finds both ends in any case).
  const r = yield* extremeEigsSteps({ kind: 'dense', A: M, n: b }, 1, { seed: seed + 1 });
  const lambdaMax = -r.values[1],
    lambdaMin = -r.values[0];
  const end = objectiveEnd(objective, lambdaMax, lambdaMin);
  const value = end === 'top' ? lambdaMax : -lambdaMin;
  const u = r.vectors[end === 'top' ? 1 : 0];
  let sum = 0;
  for (let i = 0; i < b; i++) sum += u[i];
  if (sum < 0) for (let i = 0; i < b; i++) u[i] = -u[i];
  if (!wantGrad) return { value, lambdaMax, lambdaMin, end, u };
  // s = Ŷᵀu (d); ∂λ/∂Zᵢ = −(2/b)(uᵢ/‖Zᵢ‖)(s − Ŷᵢ(sᵀŶᵢ)) for λmax; for −λmin (dΛ = −dK_cos,
  // d(−λmin) = −uᵀdΛu with u the bottom vector) the same with the opposite sign.
  const sgn = end === 'top' ? 1 : -1;
  const zv2 = Z.view;
  const s = new Float64Array(d);
  for (let i = 0; i < b; i++) {
    const w = u[i] * inv[i];
    if (w === 0) continue;
    for (let j = 0, o = i * d; j < d; j++) s[j] += w * zv2[o + j];
  }
  const gradZ = new Float64Array(b * d);
  for (let i = 0; i < b; i++) {
    const o = i * d,
      ni = inv[i];
    let c = 0;
    for (let j = 0; j < d; j++) c += zv2[o + j] * s[j];
    c *= ni; // sᵀŶᵢ
    const a = ((-2 * sgn) / b) * u[i] * ni;
    if (a === 0) continue;
    const cn = c * ni;
    for (let j = 0; j < d; j++) gradZ[o + j] = a * (s[j] - cn * zv2[o + j]);
  }
  return { value, lambdaMax, lambdaMin, end, u, gradZ };
}

/** X's kernel, σ = 'auto' from X's seeded sample. */
function resolveKernelX(opt: KernelOption | undefined, X: Matrix, name: string, seed: number): Kernel {
  return resolveKernel(opt, 'X', () => sigmaAuto([matrixSource(X, name)], seed, name), 'kernel');
}

/** KX = (1/b)[kX(xi, xj)] of the rows idx[start..start+b) into K, in row blocks (gramSteps: the same entries as one gram). */
export function* kernelX(X: Matrix, idx: ArrayLike<number>, start: number, b: number, k: Kernel, K: F64): Generator<Step, void> {
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
export async function specDiffLoss(
  X: MatrixLike,
  Y: MatrixLike,
  options: { kernel?: KernelOption; seed?: number } = {},
): Promise<{ value: number; gradY: Float64Array; eigenvector: Float64Array }> {
  await init();
  checkSpecDiffLossOptions(options);
  const mx = toMatrix(X, 'X'),
    my = toMatrix(Y, 'Y');
  checkSameRows({ rows: mx.rows, name: 'X' }, { rows: my.rows, name: 'Y' });
  const seed = seedOf(options.seed);
  const k = resolveKernelX(options.kernel, mx, 'X', seed);
  if (k.type === 'cosine') checkNonZeroRows(mx, 'X');
  const n = mx.rows,
    d = my.cols;
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
    KX.free();
    M?.free();
    Z?.free();
  }
}
