// What the symmetric eigensolvers share (internal): the operators extremeEigs
// accepts, its options and result, and how the reported lists are chosen and
// padded — one definition for the Lanczos and the dense routes, so both report
// the same pairs in the same slots.
import type { WasmArray } from '../wasm/memory.js';
import type { GramBlock } from '../wasm/lanczos.js';

type F64 = WasmArray<Float64Array>;

/** The operators extremeEigs accepts. All matrices are row-major f64 in wasm memory. */
export type EigOperator =
  /** Symmetric n×n A in full storage; only the upper triangle is read (exact route, Λ = KX − ηKY). */
  | { kind: 'dense'; A: F64; n: number }
  /**
   * Θ = R S Rᵀ (r × r) with R (r × D upper trapezoidal, stored transposed: row c of the
   * D × D buffer holds R[0..min(c, r−1)][c]) the pivoted Cholesky factor of C (PCPᵀ = RᵀR
   * on its numerical range, piv[c] = original index of column c) and S = P J Pᵀ as a ±1
   * vector; vectors are returned in the original order as v = Pᵀ S Rᵀ w / |λ| (length D,
   * J·C·v = λv, vᵀCv = 1). Built by covarianceEigs.
   */
  | { kind: 'rsr'; R: F64; r: number; D: number; signs: F64; piv: Int32Array }
  /**
   * The matrix-free operator over cached f32 features: Σ_b w_b·A_b A_bᵀ (side 'n', n =
   * the blocks' rows) or Σ_b w_b·A_bᵀ A_b (side 'D', n = their columns), applied by two
   * GEMV passes per block and never formed. `scratch`: gramScratchLength(blocks) f64.
   */
  | { kind: 'gram'; side: 'n' | 'D'; n: number; blocks: GramBlock[]; scratch: F64 }
  /**
   * An operator the caller applies asynchronously (the matrix-free route on worker
   * threads): `apply(x)` resolves to Op·x (length n; x must not be kept, it is a copy).
   * `scale` bounds its spectral norm as the other kinds' do (the breakdown threshold
   * is 1e-16 of it). Lanczos then takes one step per application and yields it as a
   * Step carrying the pending apply, so only drive() can run it (extremeEigs refuses);
   * explicitResiduals is refused.
   */
  | { kind: 'external'; n: number; scale: number; apply(x: Float64Array): Promise<Float64Array> };

export interface ExtremeEigOptions {
  /** Convergence: residual ≤ tol·‖A‖ (‖A‖ estimated by the largest |Ritz value|). Default 1e-10. */
  tol?: number;
  /** Maximum number of thick restarts. Default 300. */
  maxRestarts?: number;
  /** Lanczos basis size m. Default max(2k+20, 3k), at least 2k+2, at most the dimension. */
  basisSize?: number;
  /** Seed of the deterministic start vector (SplitMix64). Default 1. */
  seed?: number;
  /**
   * Report the positive eigenvalues in the first list and the negative ones in
   * the second (SPEC's side x / side y), padding missing slots with value 0 and
   * a zero vector instead of letting an eigenvalue of the wrong sign in.
   * Default true for 'rsr', false for 'dense' (plain k largest / k smallest).
   */
  signSplit?: boolean;
  /**
   * Dense operators up to this size are solved whole by syev (default 0: only those
   * up to 2k + 40, or where the cost model, denseIsCheaper, expects syev to be
   * cheaper). syev also gets every copy of a repeated eigenvalue right, where
   * Lanczos can only look for them.
   */
  denseUpTo?: number;
  /**
   * 'auto' (default): syev where the cost model (denseIsCheaper) expects it to be
   * cheaper; 'lanczos': Lanczos unless the dimension is ≤ max(2k + 40, denseUpTo);
   * 'dense': syev of the whole operator (benchmarks and tests of the decision).
   */
  solver?: 'auto' | 'lanczos' | 'dense';
  /**
   * Compute every reported residual explicitly (one extra operator application
   * per pair) instead of taking the Lanczos estimate |β_m·y_m|, which equals it
   * in exact arithmetic under full reorthogonalisation. Default false.
   */
  explicitResiduals?: boolean;
}

export interface ExtremeEigResult {
  /** 2k values: the k largest, descending, then the k smallest, ascending. */
  values: Float64Array;
  /**
   * 2k vectors (length n or D), matching `values`. 'dense': unit 2-norm. 'rsr': v with
   * J·C·v = λv normalised so that vᵀCv = 1, hence u = Ψv/√n is a unit eigenvector of
   * Λ = (1/n)ΨJΨᵀ when C = (1/n)ΨᵀΨ. Padded slots are zero.
   */
  vectors: Float64Array[];
  /**
   * 2k residual norms (Lanczos estimates |β_m·y_m| unless explicitResiduals). 'dense':
   * ‖Av − λv‖₂. 'rsr': ‖Θw − λw‖₂ for the unit eigenvector w of Θ.
   */
  residuals: Float64Array;
  /** Operator applications (A-matvecs for 'dense', Θ applications for 'rsr'). */
  matvecs: number;
  /** Whether every wanted Ritz pair met residual ≤ tol·‖A‖ by the Lanczos estimate (true for the dense fallback and exhausted spaces). */
  converged: boolean;
  /** Thick restarts used. */
  restarts: number;
}

export interface Shape {
  /** Dimension of the operator (n, or the rank r for 'rsr'). */
  n: number;
  /** Row width of its matrix and length of the returned vectors (n, or D for 'rsr'). */
  wide: number;
  /** The matrix: A, or the transposed factor R (for 'gram': its scratch, the blocks are in the operator; null for 'external'). */
  a: F64 | null;
}

/** Indices (into ascending theta) of the two reported lists: top descending, bottom ascending. */
export function lists(theta: Float64Array, k: number, signSplit: boolean): { top: number[]; bot: number[] } {
  const m = theta.length;
  const kk = Math.min(k, m);
  const top: number[] = [],
    bot: number[] = [];
  for (let i = m - 1; i >= m - kk; i--) if (!signSplit || theta[i] > 0) top.push(i);
  for (let i = 0; i < kk; i++) if (!signSplit || theta[i] < 0) bot.push(i);
  return { top, bot };
}

/** Indices of the Ritz values that must converge. */
export function wantedIndices(theta: Float64Array, k: number, signSplit: boolean): number[] {
  const { top, bot } = lists(theta, k, signSplit);
  return [...new Set([...top, ...bot])];
}

/** Eigenpairs of one reported list (top or bottom), possibly fewer than k. */
export interface Pairs {
  values: number[];
  vectors: Float64Array[];
  residuals: number[];
}

export const NO_PAIRS: Pairs = { values: [], vectors: [], residuals: [] };

/** The result: each list padded to k slots (value 0, zero vector of length `width`, residual 0). */
export function assemble(
  k: number,
  width: number,
  top: Pairs,
  bot: Pairs,
  info: Pick<ExtremeEigResult, 'matvecs' | 'converged' | 'restarts'>,
): ExtremeEigResult {
  const values = new Float64Array(2 * k);
  const residuals = new Float64Array(2 * k);
  const vectors: Float64Array[] = [];
  [top, bot].forEach((p, side) => {
    for (let i = 0; i < k; i++) {
      values[side * k + i] = i < p.values.length ? p.values[i] : 0;
      residuals[side * k + i] = i < p.residuals.length ? p.residuals[i] : 0;
      vectors.push(i < p.vectors.length ? p.vectors[i] : new Float64Array(width));
    }
  });
  return { values, vectors, residuals, ...info };
}
