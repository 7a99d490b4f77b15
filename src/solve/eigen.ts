// Symmetric eigensolvers (internal): dense syev, tridiagonal steqr and the
// thick-restart Lanczos extremeEigs. Every floating-point loop runs in wasm
// (assembly/syev.ts, assembly/lanczos.ts); this file holds control flow, index
// bookkeeping and exact f64 copies only, so results are bit-identical in every
// runtime.
import { wasm } from '../wasm/loader.js';
import { Scope } from '../wasm/memory.js';
import type { WasmArray } from '../wasm/memory.js';
import { drain, type Step } from '../runtime/cooperative.js';

type F64 = WasmArray<Float64Array>;

export interface SyevResult {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** n×n row-major; column j (vectors[i*n + j], i = 0..n-1) is the unit eigenvector of values[j]. */
  vectors: Float64Array;
}

/**
 * All eigenpairs of the symmetric n×n row-major matrix A (full storage; only the
 * upper triangle is read; A is not modified). Householder tridiagonalisation +
 * implicit QL with Wilkinson shifts, O(n³) — meant for n up to ~1500.
 */
export function syev(A: F64, n: number): SyevResult {
  if (!Number.isInteger(n) || n < 0 || A.length < n * n) throw new RangeError(`spec-embed: syev needs an n×n buffer (n=${n}, length ${A.length})`);
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  const ex = wasm();
  const sc = new Scope();
  try {
    const a = sc.f64(n * n, 'syev workspace');
    const zt = sc.f64(n * n, 'syev eigenvectors');
    const d = sc.f64(n, 'syev eigenvalues');
    const work = sc.f64(4 * n, 'syev work');
    a.view.set(A.view.subarray(0, n * n));
    const info = ex.dsyevRaw(n, a.ptr, d.ptr, zt.ptr, work.ptr) as number;
    if (info !== 0) throw new RangeError(`spec-embed: syev: QL iteration did not converge for eigenvalue ${info - 1} (NaN/Inf input?)`);
    ex.eigTranspose(n, zt.ptr, a.ptr);
    return { values: d.toArray(), vectors: a.toArray() };
  } finally {
    sc.free();
  }
}

/**
 * Eigenpairs of the symmetric tridiagonal matrix with diagonal d (n) and
 * off-diagonal e (n-1, e[i] = T[i][i+1]). Same output layout as syev.
 */
export function steqr(d: Float64Array, e: Float64Array): SyevResult {
  const n = d.length;
  if (e.length < n - 1) throw new RangeError('spec-embed: steqr: e must have n-1 entries');
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  const ex = wasm();
  const sc = new Scope();
  try {
    const dd = sc.f64(n), ee = sc.f64(n), zt = sc.f64(n * n), out = sc.f64(n * n);
    dd.view.set(d);
    const ev = ee.view;
    for (let i = 0; i < n - 1; i++) ev[i] = e[i];
    ev[n - 1] = 0;
    const z = zt.view;
    z.fill(0);
    for (let i = 0; i < n; i++) z[i * n + i] = 1;
    const info = ex.dsteqlT(n, dd.ptr, ee.ptr, zt.ptr) as number;
    if (info !== 0) throw new RangeError(`spec-embed: steqr did not converge for eigenvalue ${info - 1}`);
    ex.eigTranspose(n, zt.ptr, out.ptr);
    return { values: dd.toArray(), vectors: out.toArray() };
  } finally {
    sc.free();
  }
}

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
  | { kind: 'rsr'; R: F64; r: number; D: number; signs: F64; piv: Int32Array };

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

/**
 * The k largest (descending) and the k smallest (ascending) eigenpairs of a
 * symmetric operator, by thick-restart Lanczos (Wu–Simon) with full
 * reorthogonalisation, keeping the Ritz vectors at both ends of the spectrum
 * at every restart. On breakdown (invariant subspace) a fresh seeded vector is
 * orthogonalised against the basis; if nothing is left (the dimension is
 * exhausted) the decomposition is exact and the missing slots are padded
 * (value 0, zero vector, residual 0). Dimension ≤ 2k+40 with 'dense': direct
 * syev instead.
 */
export function extremeEigs(op: EigOperator, k: number, opts: ExtremeEigOptions = {}): ExtremeEigResult {
  return drain(extremeEigsSteps(op, k, opts));
}

/** Lanczos steps per synchronous slice are sized to about this many milliseconds. */
const SLICE_MS = 20;

/**
 * extremeEigs as a resumable computation: it yields between slices of Lanczos
 * steps (each ~SLICE_MS) with progress in restarts, so a caller can yield to the
 * event loop, report progress, or stop it (`return()` frees its buffers).
 * Identical results to extremeEigs: the slicing does not change the arithmetic.
 */
export function* extremeEigsSteps(op: EigOperator, k: number, opts: ExtremeEigOptions = {}): Generator<Step, ExtremeEigResult> {
  const shape = operatorShape(op);
  const set = settings(op, k, opts);
  if (shape.n === 0) return assemble(k, shape.wide, NO_PAIRS, NO_PAIRS, { matvecs: 0, converged: true, restarts: 0 });
  const bind = binder(op, shape);
  bind();
  const model = opts.solver === 'dense' || (opts.solver !== 'lanczos' && denseIsCheaper(shape.n, k));
  if (op.kind === 'dense' && (shape.n <= Math.max(2 * k + 40, opts.denseUpTo ?? 0) || model)) return denseFallback(op.A, shape.n, k, set.signSplit);
  if (op.kind === 'rsr' && model) return rsrDense(op, shape, k, set.signSplit);
  const sc = new Scope();
  try {
    const s = newState(sc, op, shape, set, k, bind);
    if (!(startVector(s, 0) > 0) || s.scale === 0) {
      return assemble(k, shape.wide, NO_PAIRS, NO_PAIRS, { matvecs: s.matvecs, converged: true, restarts: 0 });
    }
    let locked: Float64Array | null = null;
    for (;;) {
      yield* extendBasis(s);
      const conv = solveProjected(s);
      if (s.exhausted || s.restarts >= set.maxRestarts) return yield* ritzPairs(s, conv || s.exhausted);
      if (conv) {
        const wanted = wantedValues(s);
        if (locked && sameValues(locked, wanted, set.tol * s.anorm)) return yield* ritzPairs(s, true);
        // Converged, but a Krylov space from one start vector holds one vector per
        // distinct eigenvalue: copies of a repeated eigenvalue are missing. Lock the
        // wanted Ritz vectors and go on from a fresh random vector orthogonal to
        // them; accept once such a round finds nothing beyond them.
        locked = wanted;
        if (!lockAndRefresh(s)) {
          solveProjected(s); // the locked vectors span everything: T is their diagonal
          return yield* ritzPairs(s, true);
        }
      } else {
        locked = null;
        thickRestart(s);
      }
      // Between restarts (views are fetched afresh after this: memory may grow meanwhile).
      yield { done: s.restarts, total: set.maxRestarts, message: `Lanczos: ${s.steps} steps, restart ${s.restarts}` };
      bind();
    }
  } finally {
    sc.free();
  }
}

/**
 * The cost model that sends a solve to syev (docs/design.md, "Dense or Lanczos";
 * measured by bench/eigen-crossover.bench.mjs). Thick-restart Lanczos for k pairs
 * at each end costs ~R·(2k·n² + 4k²·n) (a basis of ~2k vectors: its matvecs and
 * full reorthogonalisation, over R passes; 3 to 8 where it matters, R = 4 here),
 * syev ~(4/3 + 2)·n³ (Householder, then QL accumulating the vectors). Fitted on a
 * 2-vCPU EPYC at n = 1000: syev 0.81 s, i.e. SYEV_MS·n³ ms, and LANCZOS_MS per
 * unit of the Lanczos count (0.25–0.62e-6 over k = 100, 250). They cross at
 * k ≈ 0.18·n. Up to DENSE_MAX only: syev holds three n × n f64 matrices.
 */
const SYEV_MS = 8.1e-7;
const LANCZOS_MS = 4e-7;
const LANCZOS_PASSES = 4;
export const DENSE_MAX = 4096;

/** Whether syev of the whole n × n operator is expected to be cheaper than Lanczos for k pairs at each end. */
export function denseIsCheaper(n: number, k: number): boolean {
  if (n > DENSE_MAX) return false;
  const kk = Math.min(k, n);
  return SYEV_MS * n ** 3 <= LANCZOS_MS * LANCZOS_PASSES * (2 * kk * n * n + 4 * kk * kk * n);
}

const OP_KIND = { dense: 0, rsr: 1 } as const;

interface Shape {
  /** Dimension of the operator (n, or the rank r for 'rsr'). */
  n: number;
  /** Row width of its matrix and length of the returned vectors (n, or D for 'rsr'). */
  wide: number;
  /** The matrix: A, or the transposed factor R. */
  a: F64;
}

function operatorShape(op: EigOperator): Shape {
  if (OP_KIND[op.kind] === undefined) throw new RangeError(`spec-embed: extremeEigs: unknown operator kind ${(op as { kind: unknown }).kind}`);
  const n = op.kind === 'dense' ? op.n : op.r;
  const wide = op.kind === 'rsr' ? op.D : n;
  const a = op.kind === 'dense' ? op.A : op.R;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(wide) || wide < n || a.length < n * wide) throw new RangeError(`spec-embed: extremeEigs: operator buffer too small for dimension ${n}`);
  return { n, wide, a };
}

interface Settings {
  tol: number;
  maxRestarts: number;
  seed: number;
  basisSize: number | undefined;
  signSplit: boolean;
  explicit: boolean;
}

function settings(op: EigOperator, k: number, opts: ExtremeEigOptions): Settings {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`spec-embed: extremeEigs: k must be a positive integer, got ${k}`);
  const tol = opts.tol ?? 1e-10;
  const maxRestarts = opts.maxRestarts ?? 300;
  const seed = opts.seed ?? 1;
  if (!(tol > 0) || !Number.isFinite(tol)) throw new RangeError(`spec-embed: extremeEigs: tol must be a positive number, got ${tol}`);
  if (!Number.isInteger(maxRestarts) || maxRestarts < 0) throw new RangeError(`spec-embed: extremeEigs: maxRestarts must be a non-negative integer, got ${maxRestarts}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`spec-embed: extremeEigs: seed must be an integer, got ${seed}`);
  if (opts.basisSize !== undefined && (!Number.isInteger(opts.basisSize) || opts.basisSize < 1)) throw new RangeError(`spec-embed: extremeEigs: basisSize must be a positive integer, got ${opts.basisSize}`);
  return { tol, maxRestarts, seed, basisSize: opts.basisSize, signSplit: opts.signSplit ?? op.kind !== 'dense', explicit: opts.explicitResiduals ?? false };
}

/**
 * Binds the operator in wasm (assembly/lanczos.ts keeps it as module state).
 * Called again after every yield, since another computation may have run in between.
 */
function binder(op: EigOperator, shape: Shape): () => void {
  if (op.kind === 'rsr' && (op.signs.length < shape.wide || op.piv.length < shape.wide)) throw new RangeError('spec-embed: extremeEigs: rsr signs/pivots shorter than D');
  const signs = op.kind === 'rsr' ? op.signs.ptr : 0;
  return () => wasm().lzBind(OP_KIND[op.kind], shape.n, shape.wide, shape.a.ptr, signs);
}

/** Everything one Lanczos solve carries between its steps. */
interface LanczosState {
  op: EigOperator;
  shape: Shape;
  set: Settings;
  k: number;
  /** Basis size, and the row stride of the projected matrix T (m + 1). */
  m: number;
  ldt: number;
  bind: () => void;
  /** Basis (m + 1 rows of n), projected matrix, its eigen-decomposition, scratch. */
  Q: F64; T: F64; Tc: F64; Y: F64; th: F64; wk: F64; Ysel: F64; out: F64; w: F64; z: F64; h: F64;
  /** Operator-scale bound (‖A‖_F·√2 for dense, ‖R‖_F² for rsr) and the absolute breakdown threshold. */
  scale: number;
  brkAbs: number;
  /** Rows of the basis formed, and the size of the current decomposition (< m when exhausted). */
  j: number;
  mcur: number;
  exhausted: boolean;
  anorm: number;
  theta: Float64Array;
  betaM: number;
  restarts: number;
  matvecs: number;
  starts: number;
  /** Slice pacing: steps per slice, measured ms per step, total steps. */
  slice: number;
  perStep: number;
  steps: number;
}

function newState(sc: Scope, op: EigOperator, shape: Shape, set: Settings, k: number, bind: () => void): LanczosState {
  const ex = wasm();
  const { n, wide, a } = shape;
  let m = set.basisSize ?? Math.max(2 * k + 20, 3 * k);
  m = Math.max(m, 2 * k + 2);
  if (m >= n) m = n;
  const ldt = m + 1;
  // At most 2·min(k, m) Ritz vectors are ever formed: k beyond the dimension sizes nothing.
  const kk = Math.min(k, m);
  const s: LanczosState = {
    op, shape, set, k, m, ldt, bind,
    Q: sc.f64((m + 1) * n, 'Lanczos basis'),
    T: sc.f64(ldt * ldt, 'Lanczos projected matrix'),
    Tc: sc.f64(m * m), Y: sc.f64(m * m), th: sc.f64(m), wk: sc.f64(4 * m), Ysel: sc.f64(Math.max(m, 2 * kk) * m),
    out: sc.f64(Math.max(m, 2 * kk) * n, 'Lanczos restart buffer'),
    w: sc.f64(wide), z: sc.f64(wide), h: sc.f64(ldt),
    scale: 0, brkAbs: 0,
    j: 0, mcur: m, exhausted: false, anorm: 0, theta: new Float64Array(0), betaM: 0,
    restarts: 0, matvecs: 0, starts: 0, slice: 1, perStep: 0, steps: 0,
  };
  const f2 = op.kind === 'rsr' ? (ex.lzRsrFrob2(n, wide, a.ptr) as number) : (ex.lzFrob2Upper(n, a.ptr) as number);
  s.scale = op.kind === 'rsr' ? f2 : Math.sqrt(2 * f2);
  if (!Number.isFinite(s.scale)) throw new RangeError('spec-embed: extremeEigs: the operator contains NaN or Inf');
  // breakdown: β ≤ max(1e-13·‖Op‖ (running estimate), 1e-16·scale)
  s.brkAbs = 1e-16 * s.scale;
  s.T.view.fill(0);
  return s;
}

/** A fresh seeded start vector in basis row `row`; returns the norm left after orthogonalisation. */
function startVector(s: LanczosState, row: number): number {
  const seed = BigInt(s.set.seed) * 1000003n + BigInt(s.starts++);
  return wasm().lanczosStart(s.Q.ptr, row, s.w.ptr, s.h.ptr, seed) as number;
}

/**
 * Extends the basis to m vectors (+ the residual direction in row m), in slices
 * of ~SLICE_MS with a yield between them. On breakdown a fresh start vector
 * continues the basis; when none is left the decomposition is exact
 * (s.exhausted, s.mcur = its size).
 */
function* extendBasis(s: LanczosState): Generator<Step, void> {
  const ex = wasm();
  const { m } = s;
  s.exhausted = false;
  s.mcur = m;
  while (s.j < m) {
    const j0 = s.j, j1 = Math.min(m, j0 + s.slice);
    const t0 = performance.now();
    const r = ex.lanczosRun(s.Q.ptr, s.T.ptr, s.ldt, j0, j1, s.w.ptr, s.h.ptr, s.brkAbs, s.anorm) as number;
    // Carry the running norm estimate into the next slice: slices are sized by
    // elapsed time, and results must not depend on them.
    s.anorm = Math.max(s.anorm, ex.lzNormEstimate() as number);
    if (r >= 0) {
      s.matvecs += j1 - j0;
      pace(s, performance.now() - t0, j1 - j0);
      s.j = j1;
      if (s.j < m) {
        yield { done: s.restarts, total: s.set.maxRestarts, message: `Lanczos: ${s.steps} steps, restart ${s.restarts} (stops when converged)` };
        s.bind();
      }
      continue;
    }
    const jb = -r; // row jb could not be formed: invariant subspace (the breaking step applied Op too)
    s.matvecs += jb - j0;
    s.j = jb; // T[jb-1][jb] stays 0
    if (jb >= s.shape.n || !(startVector(s, jb) > 1e-8)) {
      s.exhausted = true;
      s.mcur = jb;
      break;
    }
  }
  if (m === s.shape.n) s.exhausted = true;
}

/** Sizes the next slice of steps to ~SLICE_MS from the time the last one took. */
function pace(s: LanczosState, ms: number, steps: number): void {
  const per = Math.max(ms, 0.001) / steps;
  s.perStep = s.perStep > 0 ? 0.5 * (s.perStep + per) : per;
  s.slice = Math.max(1, Math.min(s.m, Math.floor(SLICE_MS / s.perStep)));
  s.steps += steps;
}

/** Eigen-decomposition of the projected matrix; returns whether every wanted Ritz pair has converged. */
function solveProjected(s: LanczosState): boolean {
  const { mcur, ldt } = s;
  const tv = s.T.view, tc = s.Tc.view;
  for (let r = 0; r < mcur; r++) for (let c = 0; c < mcur; c++) tc[r * mcur + c] = tv[r * ldt + c];
  const info = wasm().dsyevRaw(mcur, s.Tc.ptr, s.th.ptr, s.Y.ptr, s.wk.ptr) as number;
  if (info !== 0) throw new RangeError('spec-embed: extremeEigs: projected eigenproblem did not converge (NaN/Inf in the operator?)');
  const theta = (s.theta = s.th.view.slice(0, mcur));
  s.anorm = Math.max(s.anorm, Math.abs(theta[0]), Math.abs(theta[mcur - 1]));
  s.betaM = s.exhausted ? 0 : s.T.view[(s.m - 1) * ldt + s.m];
  const yv = s.Y.view;
  for (const i of wantedIndices(theta, s.k, s.set.signSplit)) {
    if (Math.abs(s.betaM * yv[i * mcur + mcur - 1]) > s.set.tol * s.anorm) return false;
  }
  return true;
}

/**
 * Thick restart: keeps the nlow smallest and nhigh largest Ritz vectors as the
 * new basis rows 0..l-1 and the residual direction as row l; T becomes the
 * arrowhead matrix of their Ritz values and couplings.
 */
function thickRestart(s: LanczosState): void {
  const { m, k, ldt, theta, betaM } = s;
  const n = s.shape.n;
  s.restarts++;
  const ext = Math.max(0, Math.floor((m - 2 * k) / 2));
  let nlow = k + (ext >> 1), nhigh = k + ext - (ext >> 1);
  while (nlow + nhigh > m - 1) { if (nlow >= nhigh) nlow--; else nhigh--; }
  const keep: number[] = [];
  for (let i = 0; i < nlow; i++) keep.push(i);
  for (let i = m - nhigh; i < m; i++) keep.push(i);
  const l = keep.length;
  const yv = s.Y.view, ys = s.Ysel.view;
  for (let r = 0; r < l; r++) ys.set(yv.subarray(keep[r] * m, keep[r] * m + m), r * m);
  wasm().lzCombineRows(l, m, n, s.Ysel.ptr, m, s.Q.ptr, s.out.ptr);
  const q = s.Q.view;
  q.set(s.out.view.subarray(0, l * n), 0);
  q.copyWithin(l * n, m * n, (m + 1) * n);
  const t = s.T.view;
  t.fill(0);
  for (let r = 0; r < l; r++) {
    t[r * ldt + r] = theta[keep[r]];
    const c = betaM * yv[keep[r] * m + m - 1];
    t[r * ldt + l] = c;
    t[l * ldt + r] = c;
  }
  s.j = l;
}

/** The wanted Ritz values (top then bottom lists), to compare across a verification round. */
function wantedValues(s: LanczosState): Float64Array {
  const { top, bot } = lists(s.theta, s.k, s.set.signSplit);
  return Float64Array.from([...top, ...bot], (i) => s.theta[i]);
}

function sameValues(a: Float64Array, b: Float64Array, tol: number): boolean {
  return a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= tol);
}

/**
 * Verification restart: the wanted (converged) Ritz vectors become basis rows
 * 0..l-1 with their Ritz values on T's diagonal and no coupling (their residuals
 * are below tolerance), and row l is a fresh seeded random vector orthogonal to
 * them, so the next Lanczos steps explore the operator deflated by what was found.
 */
function lockAndRefresh(s: LanczosState): boolean {
  const { m, ldt, theta } = s;
  const n = s.shape.n;
  s.restarts++;
  const keep = wantedIndices(theta, s.k, s.set.signSplit).sort((a, b) => a - b);
  const l = keep.length;
  const yv = s.Y.view, ys = s.Ysel.view;
  for (let r = 0; r < l; r++) ys.set(yv.subarray(keep[r] * m, keep[r] * m + m), r * m);
  wasm().lzCombineRows(l, m, n, s.Ysel.ptr, m, s.Q.ptr, s.out.ptr);
  s.Q.view.set(s.out.view.subarray(0, l * n), 0);
  const t = s.T.view;
  t.fill(0);
  for (let r = 0; r < l; r++) t[r * ldt + r] = theta[keep[r]];
  s.j = l;
  if (startVector(s, l) > 1e-8) return true;
  // No direction is left beside the locked vectors: the decomposition is exact.
  s.exhausted = true;
  s.mcur = l;
  return false;
}

/**
 * The reported Ritz pairs: vectors formed from the basis, residuals, then the
 * 'rsr' map back to covariance coordinates. A generator too: forming 2k vectors
 * of length D from the factor takes ~O(k·r·D).
 */
function* ritzPairs(s: LanczosState, converged: boolean): Generator<Step, ExtremeEigResult> {
  const ex = wasm();
  const { mcur, theta } = s;
  const n = s.shape.n;
  const { top, bot } = lists(theta, s.k, s.set.signSplit);
  const sel = [...top, ...bot];
  let yv = s.Y.view;
  const ys = s.Ysel.view;
  for (let r = 0; r < sel.length; r++) ys.set(yv.subarray(sel[r] * mcur, sel[r] * mcur + mcur), r * mcur);
  ex.lzCombineRows(sel.length, mcur, n, s.Ysel.ptr, mcur, s.Q.ptr, s.out.ptr);
  const vecs: Float64Array[] = [];
  const res: number[] = [];
  for (let r = 0; r < sel.length; r++) {
    if (r > 0) {
      yield { done: s.restarts, total: s.set.maxRestarts, message: `Lanczos: forming eigenvector ${r + 1} of ${sel.length}` };
      s.bind();
      yv = s.Y.view; // a view taken before a yield may be detached by memory growth
    }
    const lam = theta[sel[r]];
    const vOff = s.out.ptr + 8 * r * n;
    ex.dscal(n, 1 / Math.sqrt(ex.ddot(n, vOff, vOff) as number), vOff);
    res.push(s.set.explicit ? explicitResidual(s, vOff, lam) : Math.abs(s.betaM * yv[sel[r] * mcur + mcur - 1]));
    vecs.push(s.op.kind === 'rsr' ? covarianceVector(s, s.op, vOff, lam) : new Float64Array(ex.memory.buffer, vOff, n).slice());
  }
  const pairs = (idx: number[], from: number): Pairs => ({
    values: idx.map((i) => theta[i]), vectors: vecs.slice(from, from + idx.length), residuals: res.slice(from, from + idx.length),
  });
  return assemble(s.k, s.shape.wide, pairs(top, 0), pairs(bot, top.length), { matvecs: s.matvecs, converged, restarts: s.restarts });
}

/** ‖Op v − λv‖₂ for the unit vector at vOff (one operator application, counted). */
function explicitResidual(s: LanczosState, vOff: number, lam: number): number {
  const ex = wasm();
  const n = s.shape.n, w = s.w.ptr;
  ex.lzApply(vOff, w);
  s.matvecs++;
  ex.daxpy(n, -lam, vOff, w);
  return Math.sqrt(ex.ddot(n, w, w) as number);
}

/** v = Pᵀ S Rᵀ w / |λ| in the original order (vᵀCv = ‖R S Rᵀ w‖²/λ² = 1) for the unit eigenvector w of Θ. */
function covarianceVector(s: LanczosState, op: Extract<EigOperator, { kind: 'rsr' }>, wOff: number, lam: number): Float64Array {
  const { n, wide } = s.shape;
  wasm().lzRsrBack(n, wide, op.R.ptr, op.signs.ptr, wOff, s.z.ptr);
  const zv = s.z.view, v = new Float64Array(wide);
  const inv = lam !== 0 ? 1 / Math.abs(lam) : 1;
  for (let c = 0; c < wide; c++) v[op.piv[c]] = zv[c] * inv;
  return v;
}

/** Indices (into ascending theta) of the two reported lists: top descending, bottom ascending. */
function lists(theta: Float64Array, k: number, signSplit: boolean): { top: number[]; bot: number[] } {
  const m = theta.length;
  const kk = Math.min(k, m);
  const top: number[] = [], bot: number[] = [];
  for (let i = m - 1; i >= m - kk; i--) if (!signSplit || theta[i] > 0) top.push(i);
  for (let i = 0; i < kk; i++) if (!signSplit || theta[i] < 0) bot.push(i);
  return { top, bot };
}

/** Indices of the Ritz values that must converge. */
function wantedIndices(theta: Float64Array, k: number, signSplit: boolean): number[] {
  const { top, bot } = lists(theta, k, signSplit);
  return [...new Set([...top, ...bot])];
}

/** Eigenpairs of one reported list (top or bottom), possibly fewer than k. */
interface Pairs {
  values: number[];
  vectors: Float64Array[];
  residuals: number[];
}

const NO_PAIRS: Pairs = { values: [], vectors: [], residuals: [] };

/** The result: each list padded to k slots (value 0, zero vector of length `width`, residual 0). */
function assemble(k: number, width: number, top: Pairs, bot: Pairs, info: Pick<ExtremeEigResult, 'matvecs' | 'converged' | 'restarts'>): ExtremeEigResult {
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

/**
 * 'rsr' solved whole: Θ = R S Rᵀ formed column by column (r operator
 * applications), syev, then the selected vectors mapped back as Lanczos's are.
 */
function rsrDense(op: Extract<EigOperator, { kind: 'rsr' }>, shape: Shape, k: number, signSplit: boolean): ExtremeEigResult {
  const { n: r, wide: D } = shape;
  const ex = wasm();
  const sc = new Scope();
  try {
    const T = sc.f64(r * r, 'Θ = R S Rᵀ'), e = sc.f64(D), y = sc.f64(D);
    for (let i = 0; i < r; i++) {
      const ev = e.view;
      ev.fill(0);
      ev[i] = 1;
      ex.lzApply(e.ptr, y.ptr);
      T.view.set(y.view.subarray(0, r), i * r); // Θ is symmetric: column i = row i
    }
    const { values: theta, vectors } = syev(T, r);
    const { top, bot } = lists(theta, k, signSplit);
    const pairs = (idx: number[]): Pairs => {
      const p: Pairs = { values: [], vectors: [], residuals: [] };
      for (const i of idx) {
        const w = e.view;
        for (let row = 0; row < r; row++) w[row] = vectors[row * r + i];
        ex.dsymvUpper(r, T.ptr, e.ptr, y.ptr);
        ex.daxpy(r, -theta[i], e.ptr, y.ptr);
        p.residuals.push(Math.sqrt(ex.ddot(r, y.ptr, y.ptr) as number));
        ex.lzRsrBack(r, D, op.R.ptr, op.signs.ptr, e.ptr, y.ptr);
        const z = y.view, v = new Float64Array(D), inv = theta[i] !== 0 ? 1 / Math.abs(theta[i]) : 1;
        for (let c = 0; c < D; c++) v[op.piv[c]] = z[c] * inv;
        p.values.push(theta[i]);
        p.vectors.push(v);
      }
      return p;
    };
    const t = pairs(top), b = pairs(bot);
    return assemble(k, D, t, b, { matvecs: r, converged: true, restarts: 0 });
  } finally {
    sc.free();
  }
}

/** Small dense operators: every eigenpair by syev, residuals computed explicitly. */
function denseFallback(A: F64, n: number, k: number, signSplit: boolean): ExtremeEigResult {
  const { values: theta, vectors } = syev(A, n);
  const ex = wasm();
  const { top, bot } = lists(theta, k, signSplit);
  const sc = new Scope();
  try {
    const v = sc.f64(n), y = sc.f64(n);
    // With 2k > n the two lists share pairs: each is formed and checked once.
    const seen = new Map<number, { col: Float64Array; res: number }>();
    const pairs = (idx: number[]): Pairs => {
      const p: Pairs = { values: [], vectors: [], residuals: [] };
      for (const i of idx) {
        const had = seen.get(i);
        if (had) { p.values.push(theta[i]); p.vectors.push(had.col.slice()); p.residuals.push(had.res); continue; }
        const col = new Float64Array(n);
        for (let r = 0; r < n; r++) col[r] = vectors[r * n + i];
        v.view.set(col);
        ex.dsymvUpper(n, A.ptr, v.ptr, y.ptr);
        ex.daxpy(n, -theta[i], v.ptr, y.ptr);
        const res = Math.sqrt(ex.ddot(n, y.ptr, y.ptr) as number);
        seen.set(i, { col, res });
        p.values.push(theta[i]);
        p.vectors.push(col);
        p.residuals.push(res);
      }
      return p;
    };
    const t = pairs(top), b = pairs(bot);
    return assemble(k, n, t, b, { matvecs: seen.size, converged: true, restarts: 0 });
  } finally {
    sc.free();
  }
}
