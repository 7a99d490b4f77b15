// Public types of FINC (docs/design.md §1): two unpaired sample sets under one embedding.
import type { KernelInfo, KernelOption, Method, ProgressEvent, SpecDiff, TopSample } from './types.js';

export interface FincOptions {
  /** The one kernel of both sets (default 'cosine'); a Gaussian σ 'auto' samples both sets pooled. */
  kernel?: KernelOption;
  /** Weight η ≥ 0 of Y in CX − η·CY. Default 1. */
  eta?: number;
  /** Modes per side. Default 10. */
  topK?: number;
  /** 'exact' (pooled kernel matrix, small sets), 'covariance' (D × D, linear in nx + ny) or 'auto' (default). */
  method?: Method;
  /** Seed for random Fourier frequencies and σ-auto sampling. Default 0. */
  seed?: number;
  /** Top samples listed per mode. Default 20. */
  samplesPerMode?: number;
  /** Also return every score of each mode over the set its side names. Default false. */
  returnScores?: boolean;
  /**
   * Worker threads for the covariance route's passes (1: in process). Default: the
   * available cores, capped at 8, for jobs large enough to gain; 1 where workers are unavailable.
   */
  threads?: number;
  /** Run the whole analysis in a worker, off the calling (e.g. a page's main) thread. `finc()` only. Default false. */
  worker?: boolean;
  /** Called at least every ~100 ms of work. */
  onProgress?: (e: ProgressEvent) => void;
  /** Aborts the computation (rejects with AbortError). */
  signal?: AbortSignal;
}

export interface FincMode {
  /** 1-based rank within its side. */
  rank: number;
  /** 'x': a sample type over-represented in X (λ > 0); 'y': over-represented in Y (λ < 0). */
  side: 'x' | 'y';
  /** Eigenvalue λ of CX − η·CY. */
  eigenvalue: number;
  /** Samples of the side's set (X for 'x', Y for 'y') with the largest scores φ(s)ᵀv; sign fixed so their sum over that set is ≥ 0. */
  top: TopSample[];
  /** vᵀCX v: the mean squared score over X. */
  shareX: number;
  /** vᵀCY v: the mean squared score over Y. */
  shareY: number;
  /** Every score of the side's set (length nx or ny), when `returnScores` is set. */
  scores?: Float64Array;
}

export interface FincResult {
  task: 'finc';
  /** Rows of X. */
  nx: number;
  /** Rows of Y. */
  ny: number;
  method: 'exact' | 'covariance';
  /** Why this route was taken. */
  methodReason: string;
  eta: number;
  /** The kernel used for both sets (σ as chosen; rffDim on the covariance route). */
  kernel: KernelInfo;
  /** The eigenvalues of the modes: side x descending, then side y most negative first. */
  eigenvalues: Float64Array;
  modes: FincMode[];
  /** { xNotY: λmax, yNotX: −λmin, norm: max |λ| } of CX − η·CY. */
  specDiff: SpecDiff;
  /** Eigenvalues among the top-K of either side that were within the route's rounding error and so not reported. */
  noiseDropped: number;
  /** Worker threads the covariance route ran on; absent when it ran in process (one thread). */
  threads?: number;
  /** Seconds per stage. */
  timings: Record<string, number>;
}
