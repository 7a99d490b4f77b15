// align's options and settings, checked in the order compare and finc check
// theirs: unknown option names (checkAlignOptions), then — after the input
// matrices — the settings (alignSettings), the map's memory (checkAlignSize)
// and, once n is known, the held-out split (holdoutSplit). Each failure is an
// InputError naming the option.
import { InputError } from '../errors.js';
import type { AlignObjective, AlignOptions } from '../types/align.js';
import type { Matrix, MatrixLike } from '../types/index.js';
import { formatBytes, MAX_BLOCK_BYTES } from '../wasm/memory.js';
import { checkOptionNames, nearestName, nonNegative, optionsOf, positiveInt, seedOf, toMatrix } from './checks.js';
import { ALIGN_OBJECTIVES, ALIGN_OPTIONS, APPLY_MAP_OPTIONS, SPEC_DIFF_LOSS_OPTIONS } from './option-names.js';

/** Largest batch accepted: two batch × batch f64 matrices must fit in WebAssembly memory. */
export const MAX_BATCH = 8000;

/**
 * Largest β accepted: the penalty's gradient 2β(W − W0) squared in Adam's second
 * moment overflows near β ≈ 1e154/lr, and then the map turns NaN and the message
 * blames lr; far below that β already pins W to W0.
 */
export const MAX_BETA = 1e15;

/**
 * Defaults, chosen on the planted test (two clusters collapsed to 10% along their
 * separating direction in a rotated copy, n = 1500, d = 24; tests/contracts/align.test.ts):
 * undoing it needs W to move ~10 along one rank-one direction, so lr = 0.03 (Adam
 * moves each entry ≤ lr per step) reaches it within 100 cosine-decayed steps and cuts
 * the held-out SPEC-diff ~10× (lr 0.01 gives ~4×, 0.1 overshoots); β = 1e-4 keeps
 * β‖W − W0‖² ≈ 0.01 at that distance, below λmax (≈ 0.18), whereas β = 1e-3
 * already costs as much as the mismatch it removes; patience 10 epochs rides out
 * the noisy held-out curve of mini-batch steps.
 */
const DEFAULTS = { epochs: 100, lr: 0.03, beta: 1e-4, holdout: 0.2, patience: 10 };

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
  for (let lo = 1, hi = dim - 1; lo <= hi; ) {
    const mid = (lo + hi) >> 1;
    if (alignMapBytes(dx, dy, mid, bias, false) <= ALIGN_MAP_BUDGET) {
      fit = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (dy < dim && alignMapBytes(dx, dy, dy, bias) <= ALIGN_MAP_BUDGET) fit = Math.max(fit, dy);
  const advice =
    fit > 0
      ? `the largest ${dimName} that fits is ${fit}`
      : `no ${dimName} fits: a map narrower than dy starts from Y's dy × dy covariance (${formatBytes(8 * dy * dy)} in f64, with its eigendecomposition), so reduce Y's dimension first`;
  throw new InputError(
    `${dimName} = ${dim} with dy = ${dy}: the ${dim} × ${dy} map, its Adam state and copies would need ${formatBytes(need)}, more than align's budget of ${formatBytes(ALIGN_MAP_BUDGET)} (one WebAssembly allocation, as for compare's D × D covariance); ${advice}`,
  );
}

/** Refuses option names align() does not know. */
export function checkAlignOptions(options: AlignOptions | undefined): void {
  checkOptionNames(optionsOf(options), ALIGN_OPTIONS);
}

/** Refuses option names specDiffLoss() does not know. */
export function checkSpecDiffLossOptions(options: object | undefined): void {
  checkOptionNames(optionsOf(options), SPEC_DIFF_LOSS_OPTIONS);
}

/** Settings of a training run, validated (batch stays unset for the default). */
export interface AlignSettings {
  dim: number;
  bias: boolean;
  epochs: number;
  lr: number;
  beta: number;
  batch?: number;
  holdout: number;
  patience: number;
  seed: number;
  topK: number;
  samplesPerMode: number;
  objective: AlignObjective;
}

/** The objective option: 'x-not-y' (default) or 'norm'; anything else is an InputError saying what each means. */
export function alignObjective(o: unknown): AlignObjective {
  if (o === undefined) return 'x-not-y';
  if (typeof o === 'string' && (ALIGN_OBJECTIVES as readonly string[]).includes(o)) return o as AlignObjective;
  const near = typeof o === 'string' ? nearestName(o, ALIGN_OBJECTIVES) : undefined;
  throw new InputError(
    `objective must be one of ${ALIGN_OBJECTIVES.join(', ')} (x-not-y: λmax(KX − K_ψ(Y)), the paper's, the default; norm: the spectral norm max(λmax, −λmin)), got ${JSON.stringify(o) ?? String(o)}${near ? `; did you mean ${near}?` : ''}`,
  );
}

/** The settings of `o` for X with dx and Y with dy columns. */
export function alignSettings(o: AlignOptions, dx: number, dy: number): AlignSettings {
  const dim = positiveInt(o.dim, 'dim', dy);
  if (dim > Math.max(dx, dy)) throw new InputError(`dim must be ≤ max(dx, dy) = ${Math.max(dx, dy)} (a wider map adds nothing), got ${dim}`);
  const epochs = positiveInt(o.epochs, 'epochs', DEFAULTS.epochs);
  const lr = o.lr ?? DEFAULTS.lr;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) throw new InputError(`lr must be a finite number > 0, got ${String(o.lr)}`);
  const beta = nonNegative(o.beta, 'beta', DEFAULTS.beta);
  if (beta > MAX_BETA)
    throw new InputError(
      `beta must be ≤ ${MAX_BETA} (λmax is at most 2, so a larger pull only holds W at W0, and near 1e154 Adam's squared gradient 4β²‖W − W0‖² overflows), got ${String(o.beta)}`,
    );
  const holdout = o.holdout ?? DEFAULTS.holdout;
  if (typeof holdout !== 'number' || !(holdout > 0 && holdout < 1)) throw new InputError(`holdout must be a fraction in (0, 1), got ${String(o.holdout)}`);
  if (o.batch !== undefined && (typeof o.batch !== 'number' || !Number.isInteger(o.batch) || o.batch < 2)) {
    throw new InputError(`batch must be an integer ≥ 2, got ${String(o.batch)}`);
  }
  if (o.batch !== undefined && o.batch > MAX_BATCH)
    throw new InputError(`batch must be ≤ ${MAX_BATCH} (two batch × batch f64 kernels must fit in WebAssembly memory), got ${o.batch}`);
  if (o.bias !== undefined && typeof o.bias !== 'boolean') throw new InputError(`bias must be true or false, got ${String(o.bias)}`);
  return {
    dim,
    bias: !!o.bias,
    epochs,
    lr,
    beta,
    batch: o.batch,
    holdout,
    patience: positiveInt(o.patience, 'patience', DEFAULTS.patience),
    seed: seedOf(o.seed),
    topK: positiveInt(o.topK, 'topK', 10),
    samplesPerMode: positiveInt(o.samplesPerMode, 'samplesPerMode', 20),
    objective: alignObjective(o.objective),
  };
}

/** The held-out split of n samples: both parts need ≥ 2. */
export function holdoutSplit(holdout: number, n: number): { nTrain: number; nHoldout: number } {
  const nHoldout = Math.round(holdout * n);
  const nTrain = n - nHoldout;
  if (nHoldout < 2 || nTrain < 2) {
    throw new InputError(`holdout ${holdout} of n = ${n} samples leaves ${nTrain} for training and ${nHoldout} held out; both need ≥ 2`);
  }
  return { nTrain, nHoldout };
}

/** applyMap's arguments: its options, Y, then W and bias against dim × dy; returns Y as a Matrix and dim. */
export function applyMapArgs(W: Float32Array, Y: MatrixLike, opts: { dim: number; bias?: Float32Array }): { my: Matrix; dim: number } {
  checkOptionNames(optionsOf(opts, 'applyMap options'), APPLY_MAP_OPTIONS, 'applyMap option');
  const my = toMatrix(Y, 'Y');
  const dim = positiveInt(opts.dim, 'dim', 1);
  if (!(W instanceof Float32Array) || W.length !== dim * my.cols) {
    throw new InputError(`W must be a Float32Array of dim × dy = ${dim} × ${my.cols} = ${dim * my.cols} values, got ${W?.length}`);
  }
  if (opts.bias !== undefined && opts.bias.length !== dim) throw new InputError(`bias must have dim = ${dim} values, got ${opts.bias.length}`);
  return { my, dim };
}
