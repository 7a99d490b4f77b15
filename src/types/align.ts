// Public types of SPEC-align (docs/design.md §1): a learned linear map of Y whose
// cosine kernel groups the samples as X's kernel does.
import type { KernelInfo, KernelOption, Mode, ProgressEvent, SpecDiff } from './index.js';

/**
 * What align minimises on each batch (docs/design.md §1): 'x-not-y' is the paper's
 * λmax(KX − K_ψ(Y)), which only asks ψ(Y) to hold X's clusters and may create clusters X
 * does not have (y-not-x); 'norm' is the spectral norm max(λmax, −λmin), both directions.
 */
export type AlignObjective = 'x-not-y' | 'norm';

/** How one held-out SPEC-diff quantity changed from before alignment to after it. */
export interface SpecDiffChange {
  before: number;
  after: number;
  /** (after − before) / before; null when before is 0 and after is not (0 → 0 is 0). */
  relative: number | null;
  /** It rose by more than the warning limit (after > (1 + limit) × before). */
  warn: boolean;
}

/** x-not-y, y-not-x and the norm on the held-out split, each before → after, and the warning limit (0.1). */
export interface SpecDiffChanges {
  limit: number;
  xNotY: SpecDiffChange;
  yNotX: SpecDiffChange;
  norm: SpecDiffChange;
}

/** A mode named by its side and rank ("y1" is { side: 'y', rank: 1 }). */
export interface ModeRef {
  side: 'x' | 'y';
  rank: number;
}

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
  /**
   * What is minimised: 'x-not-y' (default, the paper's λmax(KX − K_ψ(Y))) or 'norm' (the
   * spectral norm max(λmax, −λmin), so the map may not create clusters X does not have).
   */
  objective?: AlignObjective;
  /** Modes per side in the before/after comparison. Default 10. */
  topK?: number;
  /** Top samples per mode in the before/after comparison. Default 20. */
  samplesPerMode?: number;
  /** Called at least once per epoch (stage 'align', done/total in epochs; fractional within long epochs). */
  onProgress?: (e: ProgressEvent) => void;
  /** Aborts between steps with an AbortError. */
  signal?: AbortSignal;
}

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
  /** The objective minimised (the held-out loss is its value plus the penalty). */
  objective: AlignObjective;
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
  /** x-not-y, y-not-x and the norm on the held-out split: before, after, relative change, and whether it rose by more than `limit` (0.1). */
  specDiffChange: SpecDiffChanges;
  /** One sentence per quantity of specDiffChange that rose by more than 10% (empty when none did). */
  warnings: string[];
  /**
   * modesAfter with no counterpart before: on their side, ≥ 10% of the strongest |λ| before or after,
   * and keeping < ½ of their vector in the span of that side's modesBefore at least half as strong.
   * A rise of y-not-x shows here as side-y modes: clusters ψ(Y) has that X does not.
   */
  createdModes: ModeRef[];
}
