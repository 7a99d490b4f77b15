// Public types of FINC (docs/design.md §1): two unpaired sample sets under one embedding.
import type { KernelInfo, KernelOption, ModeEnds, RffError, SpecDiff, TopSample } from './index.js';
import type { TaskOptions } from './index.js';
import type { FincMetrics, ModeSignificance } from './significance.js';

export interface FincOptions extends TaskOptions {
  /** The one kernel of both sets (default 'cosine'); a Gaussian σ 'auto' samples both sets pooled. */
  kernel?: KernelOption;
}

/**
 * A FINC mode: a sample type over-represented in one set. Its ends (ModeEnds: `bottom`, `kind`,
 * masses, counts, cuts) follow the one cut rule over the scores of X's and Y's samples pooled;
 * `top` and `bottom` list samples of the side's set.
 */
export interface FincMode extends ModeEnds {
  /** 1-based rank within its side. */
  rank: number;
  /** 'x': a sample type over-represented in X (λ > 0); 'y': over-represented in Y (λ < 0). */
  side: 'x' | 'y';
  /** Eigenvalue λ of CX − η·CY. */
  eigenvalue: number;
  /** Samples of the side's set (X for 'x', Y for 'y') with the largest scores φ(s)ᵀv; sign fixed so their sum over that set is ≥ 0. */
  top: TopSample[];
  /**
   * The estimated fraction of X's samples that belong to the mode: those past the cut at the
   * mode's end `freqEnd` (docs/design.md §1, "FINC frequencies").
   */
  freqX: number;
  /** The same fraction of Y's samples. */
  freqY: number;
  /**
   * The end the frequencies count: the one where the side's set is the more over-represented
   * (side x: the larger fraction of X past its cut less η × that of Y; side y: the reverse).
   */
  freqEnd: 'top' | 'bottom';
  /**
   * vᵀCX v: the mean squared score over X. Not a frequency: under a broad kernel every sample
   * scores on the mode's common component (a type absent from Y can show 0.27 against 0.14).
   */
  meanSquareX: number;
  /** vᵀCY v: the mean squared score over Y. */
  meanSquareY: number;
  /** vᵀCX v, as `meanSquareX` (its earlier name). */
  shareX: number;
  /** vᵀCY v, as `meanSquareY` (its earlier name). */
  shareY: number;
  /** Every score of the side's set (length nx or ny), when `returnScores` is set. */
  scores?: Float64Array;
  /** Evidence that the mode is real, when `significance` asked for it. */
  significance?: ModeSignificance;
}

/** What finc() returns. */
export interface FincResult {
  /** Which analysis made this result. */
  task: 'finc';
  /** Rows of X. */
  nx: number;
  /** Rows of Y. */
  ny: number;
  /** The route taken. */
  method: 'exact' | 'covariance';
  /** Why this route was taken. */
  methodReason: string;
  /** Covariance route: the solver used ('syrk' or 'matrix-free'). */
  solver?: 'syrk' | 'matrix-free';
  /** Covariance route: why that solver (the cost model's estimates, or 'requested'). */
  solverReason?: string;
  /** The η used. */
  eta: number;
  /** The kernel used for both sets (σ as chosen; rffDim on the covariance route). */
  kernel: KernelInfo;
  /** The eigenvalues of the modes: side x descending, then side y most negative first. */
  eigenvalues: Float64Array;
  /** The modes, in the order of `eigenvalues`. */
  modes: FincMode[];
  /** { xNotY: λmax, yNotX: −λmin, norm: max |λ| } of CX − η·CY. */
  specDiff: SpecDiff;
  /** Eigenvalues among the top-K of either side that were within the route's rounding error and so not reported. */
  noiseDropped: number;
  /** How far the random Fourier features move SPEC-diff, estimated on a sample; absent on the exact route and for kernels without random features. */
  rffError?: RffError;
  /** Options not honoured as given (topK beyond the eigenvalues, samplesPerMode beyond a set's rows, rffDim on the exact route), one sentence each; absent when none. */
  notes?: string[];
  /** Worker threads the covariance route ran on; absent when it ran in process (one thread). */
  threads?: number;
  /** Seconds per stage. */
  timings: Record<string, number>;
  /** True when the modes are every eigenvalue of CX − η·CY outside the noise floor (2·topK ≥ its eigenvalue count). */
  spectrumComplete?: boolean;
  /** MMD² of X and Y (and SPEC-diff's permutation test when asked for). */
  metrics?: FincMetrics;
}
