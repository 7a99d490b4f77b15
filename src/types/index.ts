// Public types of the compare/finc/align API (docs/design.md §1, §3).
import type { CompareMetrics, ModeSignificance, SignificanceOptions } from './significance.js';

/** A row-major matrix: row i is sample i. */
export interface Matrix {
  /** rows × cols values, row-major: row i is data[i·cols .. (i+1)·cols). */
  data: Float32Array | Float64Array;
  /** Number of samples. */
  rows: number;
  /** Embedding dimension. */
  cols: number;
}

/** What callers may pass as an embedding. */
export type MatrixLike = Matrix | number[][];

/** The similarity function of a side: cosine, linear (dot product) or Gaussian (RBF). */
export type KernelType = 'cosine' | 'linear' | 'gaussian';

/** A kernel request: a bare name, or an object with the Gaussian's σ and RFF size. */
export type KernelOption =
  | KernelType
  | {
      /** Which kernel. */
      type: KernelType;
      /** Gaussian bandwidth, or 'auto' (median pairwise distance over a seeded sample of ≤ 1000 rows). */
      sigma?: number | 'auto';
      /** Number of random Fourier frequencies m (feature dimension 2m). Default 1000. */
      rffDim?: number;
    };

/** The kernel actually used, as reported in results. */
export interface KernelInfo {
  /** Which kernel. */
  type: KernelType;
  /** The σ used (Gaussian only). */
  sigma?: number;
  /** The number of random Fourier frequencies m (Gaussian on the covariance route only). */
  rffDim?: number;
}

/** 'exact' (n × n kernel matrices), 'covariance' (D × D, linear in n) or 'auto' (chosen by size). */
export type Method = 'auto' | 'exact' | 'covariance';

/**
 * The covariance route's solver: 'syrk' (form C = (1/n)ΨᵀΨ, factor it, Lanczos on the
 * factor), 'matrix-free' (Lanczos on Λ applied from the cached features, no C) or
 * 'auto' (default: a cost model picks; see `solverReason`).
 */
export type Solver = 'auto' | 'syrk' | 'matrix-free';

/** Progress events: `stage` names the step, `done/total` its progress. */
export interface ProgressEvent {
  /** The step: sigma (σ = 'auto' estimation), features, accumulate, gram (kernel matrices), solve, scores, rffError (the random features' error on a sample), align (epochs), metrics (CKA, k-NN, MMD²), significance (permutations, splits, bootstrap) or report (the CLI's HTML report: layouts, evidence). */
  stage: 'sigma' | 'features' | 'accumulate' | 'gram' | 'solve' | 'scores' | 'rffError' | 'align' | 'metrics' | 'significance' | 'report';
  /** Units done so far. */
  done: number;
  /** Units in the stage. */
  total: number;
  /** The units, or what the stage is doing (e.g. 'rows', 'Lanczos'). */
  message?: string;
  /** stage 'significance', after the first permutation: the estimated seconds for all of them. */
  estimatedSeconds?: number;
  /** Which side the stage works on, when it runs once per side (e.g. features of X, then of Y). */
  side?: 'X' | 'Y';
  /** What this run of the stage is for, when the stage name alone does not say (e.g. 'σ sample', 'layout X'). */
  label?: string;
}

/** Options compare() and finc() share. */
export interface TaskOptions {
  /** Weight η ≥ 0 of Y: KY in compare's Λ = KX − η·KY, CY in finc's CX − η·CY. Default 1. */
  eta?: number;
  /** Modes per side. Default 10. */
  topK?: number;
  /** Route: 'exact', 'covariance', or 'auto' (default) by problem size. */
  method?: Method;
  /** Seed for random Fourier frequencies and σ-auto sampling. Default 0. */
  seed?: number;
  /** The covariance route's solver (ignored on the exact route). Default 'auto'. */
  solver?: Solver;
  /** Top samples listed per mode. Default 20. */
  samplesPerMode?: number;
  /** Also return every score of each mode. Default false. */
  returnScores?: boolean;
  /**
   * Worker threads for the covariance route's passes (1: in process). Default: the
   * available cores, capped at 8, for jobs large enough to gain; 1 where workers are unavailable.
   */
  threads?: number;
  /** Run the whole analysis in a worker, off the calling (e.g. a page's main) thread. `compare()`/`finc()` only. Default false. */
  worker?: boolean;
  /** Called at least every ~100 ms of work. */
  onProgress?: (e: ProgressEvent) => void;
  /** Aborts the computation (rejects with AbortError). */
  signal?: AbortSignal;
  /** Held-out replication, bootstrap stability and permutation tests of the modes and metrics. Default: none. */
  significance?: SignificanceOptions;
}

export interface CompareOptions extends TaskOptions {
  /** Kernel for both sides (default 'cosine'); kernelX/kernelY override per side. */
  kernel?: KernelOption;
  /** Kernel of X (overrides `kernel`). */
  kernelX?: KernelOption;
  /** Kernel of Y (overrides `kernel`). */
  kernelY?: KernelOption;
}

/** One of a mode's top (or bottom) samples. */
export interface TopSample {
  /** Row of the sample (0-based). */
  index: number;
  /** Its score: its entry of the mode's eigenvector (sign fixed so the scores sum to ≥ 0). */
  score: number;
}

/** A mode: an eigenvector of Λ, as the samples that weigh most in it. */
export interface Mode {
  /** 1-based rank within its side. */
  rank: number;
  /** 'x': clustered by X more than Y (λ > 0); 'y': the reverse. */
  side: 'x' | 'y';
  /** Eigenvalue λ of Λ. */
  eigenvalue: number;
  /** Samples with the largest scores (sign fixed so that sum(u) ≥ 0). */
  top: TopSample[];
  /** All n scores (the unit eigenvector u of Λ), when `returnScores` is set. */
  scores?: Float64Array;
  /** Evidence that the mode is real, when `significance` asked for it. */
  significance?: ModeSignificance;
}

/**
 * What a mode is made of, from the masses of its two ends (docs/design.md §1, "Ends of a mode"):
 * 'cluster' — one end holds it (the heavier of massTop and massBottom; with the sign rule almost
 * always the top); 'contrast' — both ends do (the samples at one end against those at the other);
 * 'diffuse' — neither: its weight is spread over many samples below the cuts.
 */
export type ModeKind = 'cluster' | 'contrast' | 'diffuse';

/**
 * Both ends of a mode, by the one cut rule (docs/design.md §1, "Ends of a mode"). With b the
 * mode's baseline (compare: 0; finc: the mean score of X's and Y's samples pooled) and P the
 * largest |score − b| over every sample scored on the mode, a sample is past the top cut when
 * its score ≥ `cutTop` (b + P/2, rounded down to a grid of 2^E/256 with 2^E the smallest power
 * of two above every |score|) and past the bottom cut when its score ≤ `cutBottom` (b − P/2
 * rounded up). When the two cuts meet (cutTop ≤ cutBottom: P = 0, or under two grid steps) no
 * sample is past either.
 */
export interface ModeEnds {
  /** Samples with the most negative scores, most negative first: the mode's other end. */
  bottom: TopSample[];
  /** Which ends hold the mode: see ModeKind. */
  kind: ModeKind;
  /** Share of the mode's Σ (score − b)² over its samples held by those past the top cut (compare: Σ score², the unit eigenvector's 1). */
  massTop: number;
  /** The same for the bottom cut. massTop + massBottom ≤ 1. */
  massBottom: number;
  /** Samples past the top cut. */
  countTop: number;
  /** Samples past the bottom cut. */
  countBottom: number;
  /** Scores ≥ cutTop are past the top cut. */
  cutTop: number;
  /** Scores ≤ cutBottom are past the bottom cut. */
  cutBottom: number;
}

/** A mode of compare() (and SpecAccumulator): its top samples and both of its ends. */
export interface SpecMode extends Mode, ModeEnds {}

/** SPEC-diff: how much each embedding clusters what the other does not. */
export interface SpecDiff {
  /** λmax(Λ). */
  xNotY: number;
  /** −λmin(Λ). */
  yNotX: number;
  /** Spectral norm max |λ|. */
  norm: number;
}

/**
 * The random Fourier features' error in SPEC-diff, estimated on a seeded sample of
 * rows: |SPEC-diff with the run's features − SPEC-diff with the exact kernel| on
 * the sample, each over the exact norm (0.05 = 5% of the norm).
 */
export interface RffError {
  /** Relative error of x-not-y (λmax). */
  xNotY: number;
  /** Relative error of y-not-x (−λmin). */
  yNotX: number;
  /** Relative error of the norm max |λ|. */
  norm: number;
  /** Rows in the sample (compare: paired rows; finc: X's and Y's sampled rows together). */
  sample: number;
}

/**
 * Seconds per stage of a compare() or finc() run; a stage the route does not
 * have is absent. In process the stages are disjoint and sum to at most
 * `total` (what is left is bookkeeping: choosing the route, merging results).
 */
export interface TimingInfo {
  /**
   * Reading the inputs: scanning in-memory values for NaN/Inf, or the rows read
   * from a source (a file streamed from disk), over both passes of the
   * covariance route. On workers: the main thread's reading and copying of the
   * rows it sends, which overlaps the workers' computing.
   */
  read?: number;
  /** σ = 'auto': the median distance of the seeded sample (Gaussian kernels only). */
  sigma?: number;
  /** Covariance route on workers: starting them (the first call of a process) and their shards. */
  workers?: number;
  /**
   * Features: drawing the random Fourier map and computing Ψ (covariance
   * route, both passes) or Φ (its n ≤ D Gram form); on the exact route the
   * scale-free f32 copy of the rows (unit rows, centred rows over σ). On
   * workers: the largest of the workers' seconds (each pass).
   */
  features?: number;
  /** Exact route (and the covariance route's n ≤ D form): the two n × n kernel matrices and Λ, beyond `read` and `features`. */
  gram?: number;
  /** Covariance route: the sums C += ΨᵀΨ (the SYRK) and nothing else. On workers: the largest of the workers' SYRK seconds. */
  accumulate?: number;
  /** The extreme eigenpairs (Lanczos; on the covariance route after a pivoted Cholesky of C). */
  solve?: number;
  /** Per-sample mode scores and top samples, beyond that pass's `read` and `features`. */
  scores?: number;
  /** Covariance route with a Gaussian side: the random features' error estimated on a sample (`rffError`). */
  rffError?: number;
  /** The metrics (CKA, mutual k-NN; MMD² comes free with the sums). */
  metrics?: number;
  /** The permutation tests (`significance.permutations`). */
  significance?: number;
  /** The whole call, from its start to the result (a CLI's process start-up and file opening are outside). */
  total: number;
}

export interface SpecResult {
  /** Samples (rows of X and of Y). */
  n: number;
  /** The route taken. */
  method: 'exact' | 'covariance';
  /** Why `method: 'auto'` chose this route. */
  methodReason: string;
  /** Covariance route: the solver used ('syrk' or 'matrix-free'). */
  solver?: 'syrk' | 'matrix-free';
  /** Covariance route: why that solver (the cost model's estimates, or 'requested'). */
  solverReason?: string;
  /** The η used. */
  eta: number;
  /** X's kernel as used (σ as chosen; rffDim on the covariance route). */
  kernelX: KernelInfo;
  /** Y's kernel as used. */
  kernelY: KernelInfo;
  /** The eigenvalues found: side x descending, then side y most negative first. */
  eigenvalues: Float64Array;
  /** The modes, in the order of `eigenvalues`. */
  modes: SpecMode[];
  /** SPEC-diff of X and Y. */
  specDiff: SpecDiff;
  /** Computed eigenvalues not reported because |λ| is within the route's round-off (the noise floor). */
  noiseDropped: number;
  /** How far the random Fourier features move SPEC-diff, estimated on a sample; absent when no side uses them (docs/design.md §1). */
  rffError?: RffError;
  /** Options not honoured as given (topK beyond the eigenvalues, samplesPerMode beyond n, rffDim on the exact route), one sentence each; absent when none. */
  notes?: string[];
  /** Worker threads the route ran on (the covariance sums, the matrix-free operator, or the exact route's kernel matrices); absent when it ran in process (one thread). */
  threads?: number;
  /** Seconds per stage. */
  timings: TimingInfo;
  /**
   * True when the modes are every eigenvalue of the operator outside the noise floor (2·topK ≥ its
   * eigenvalue count, so both ends of the spectrum met): Σ|λ| over the modes is then the whole
   * spectrum's. False: it is the sum over the listed modes only.
   */
  spectrumComplete?: boolean;
  /** CKA (linear and kernel) and mutual k-NN overlap of X and Y. */
  metrics?: CompareMetrics;
}
