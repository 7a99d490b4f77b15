// Public types of the evidence beside the modes: significance and stability of each mode
// (held-out replication, bootstrap, permutations) and the scalar metrics users compare by.

/** What to resample. Every count defaults to 0 (off); the seed defaults to the task's seed. */
export interface SignificanceOptions {
  /** R seeded random halvings: find the modes on one half, evaluate them on the other. */
  splits?: number;
  /** B seeded bootstrap resamples: each mode's eigenvalue interval and how often it reappears. */
  bootstrap?: number;
  /** N permutations: compare — Y's pairing against X's (CKA p-values); finc — set membership (mode, SPEC-diff and MMD² p-values). */
  permutations?: number;
  /** Seed of the resampling, independent of the random features' seed. */
  seed?: number;
}

/** Held-out replication of one mode over R splits. */
export interface HeldOutReplication {
  splits: number;
  /** Mean held-out eigenvalue (the mode's Rayleigh quotient on the other half), on the mode's scale. */
  mean: number;
  /** 2.5% and 97.5% percentiles of the held-out eigenvalue over the splits. */
  lo: number;
  hi: number;
  /** One-sided p-value that the held-out eigenvalue is not beyond 0 on the mode's side. */
  pValue: number;
}

/** Bootstrap stability of one mode over B resamples. */
export interface ModeStability {
  bootstrap: number;
  /** How often, and how closely, the mode reappears in a resample: in [0, 1]. */
  value: number;
  /** 2.5% and 97.5% percentiles of the matched eigenvalue over the resamples. */
  eigenvalueLo: number;
  eigenvalueHi: number;
}

/** A permutation test of one statistic. */
export interface PermutationTest {
  permutations: number;
  /** (1 + #{null ≥ observed}) / (1 + N). */
  pValue: number;
  /** The null distribution's 50%, 95% and 99% quantiles. */
  nullQuantiles: [number, number, number];
}

/** The evidence for one mode; present when `significance` asked for any of it. */
export interface ModeSignificance {
  heldOut?: HeldOutReplication;
  stability?: ModeStability;
  /** finc only: the mode's eigenvalue against its null under permuted set membership. */
  permutation?: PermutationTest;
  /** True when the held-out p-value exceeds 0.05 or the stability is below 0.5. */
  weak: boolean;
  /** One sentence per reason the mode is weak; empty when it is not. */
  weakReasons: string[];
}

/** A scalar that users compare embeddings by, with its permutation test when one was run. */
export interface MetricValue {
  value: number;
  /** Present when the value was estimated on this many sampled rows rather than all of them (kernel CKA after the matrix-free solve, which forms no D × D sums). */
  sampled?: number;
  /** Present when `significance.permutations` > 0. */
  test?: PermutationTest;
}

/** compare(): how alike the two embeddings are overall. */
export interface CompareMetrics {
  /** Linear CKA of X and Y (1: same geometry up to rotation and scale). */
  ckaLinear: MetricValue;
  /** CKA with the kernels in use, on the route in use. */
  ckaKernel: MetricValue;
  /** Mean fraction of each sample's k nearest neighbours (cosine) shared by X and Y. */
  mutualKnn: { k: number; value: number; exact: boolean; sampled?: number };
}

/** finc(): how far apart the two sets are overall. */
export interface FincMetrics {
  /** Unbiased MMD² of X and Y with the shared kernel (features on the covariance route). */
  mmd2: MetricValue;
  /** SPEC-diff's norm against its null under permuted set membership. */
  specDiff?: MetricValue;
}
