// Public types of the compare/finc/align API (docs/design.md §1, §3).

/** A row-major matrix: row i is sample i. */
export interface Matrix {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

/** What callers may pass as an embedding. */
export type MatrixLike = Matrix | number[][];

export type KernelType = 'cosine' | 'linear' | 'gaussian';

/** A kernel request: a bare name, or an object with the Gaussian's σ and RFF size. */
export type KernelOption =
  | KernelType
  | {
      type: KernelType;
      /** Gaussian bandwidth, or 'auto' (median pairwise distance over a seeded sample of ≤ 1000 rows). */
      sigma?: number | 'auto';
      /** Number of random Fourier frequencies m (feature dimension 2m). Default 1000. */
      rffDim?: number;
    };

/** The kernel actually used, as reported in results. */
export interface KernelInfo {
  type: KernelType;
  /** The σ used (Gaussian only). */
  sigma?: number;
  /** The number of random Fourier frequencies m (Gaussian on the covariance route only). */
  rffDim?: number;
}

export type Method = 'auto' | 'exact' | 'covariance';

/** Progress events: `stage` names the step, `done/total` its progress. */
export interface ProgressEvent {
  stage: 'features' | 'accumulate' | 'gram' | 'solve' | 'scores' | 'align';
  done: number;
  total: number;
  message?: string;
}

export interface CompareOptions {
  /** Kernel for both sides (default 'cosine'); kernelX/kernelY override per side. */
  kernel?: KernelOption;
  kernelX?: KernelOption;
  kernelY?: KernelOption;
  /** Weight η ≥ 0 of the Y kernel in Λ = KX − η·KY. Default 1. */
  eta?: number;
  /** Modes per side. Default 10. */
  topK?: number;
  method?: Method;
  /** Seed for RFF frequencies and σ-auto sampling. Default 0. */
  seed?: number;
  /** Top samples listed per mode. Default 20. */
  samplesPerMode?: number;
  /** Also return all n scores of every mode. Default false. */
  returnScores?: boolean;
  /**
   * Worker threads for the covariance route's passes (1: in process). Default: the
   * available cores, capped at 8, for jobs large enough to gain; 1 where workers are unavailable.
   */
  threads?: number;
  /** Run the whole analysis in a worker, off the calling (e.g. a page's main) thread. `compare()` only. Default false. */
  worker?: boolean;
  onProgress?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
}

export interface TopSample {
  index: number;
  score: number;
}

export interface Mode {
  /** 1-based rank within its side. */
  rank: number;
  /** 'x': clustered by X more than Y (λ > 0); 'y': the reverse. */
  side: 'x' | 'y';
  eigenvalue: number;
  /** Samples with the largest scores (sign fixed so that sum(u) ≥ 0). */
  top: TopSample[];
  /** All n scores (the unit eigenvector u of Λ), when `returnScores` is set. */
  scores?: Float64Array;
}

export interface SpecDiff {
  /** λmax(Λ). */
  xNotY: number;
  /** −λmin(Λ). */
  yNotX: number;
  /** Spectral norm max |λ|. */
  norm: number;
}

export interface SpecResult {
  n: number;
  method: 'exact' | 'covariance';
  /** Why `method: 'auto'` chose this route. */
  methodReason: string;
  eta: number;
  kernelX: KernelInfo;
  kernelY: KernelInfo;
  /** The eigenvalues found: side x descending, then side y most negative first. */
  eigenvalues: Float64Array;
  modes: Mode[];
  specDiff: SpecDiff;
  /** Computed eigenvalues not reported because |λ| is within the route's round-off (the noise floor). */
  noiseDropped: number;
  /** Worker threads the covariance route ran on; absent when it ran in process (one thread). */
  threads?: number;
  /** Seconds per stage. */
  timings: Record<string, number>;
}
