// Symmetric eigensolvers (internal): dense syev, tridiagonal steqr and the
// thick-restart Lanczos extremeEigs. Every floating-point loop runs in wasm
// (assembly/syev.ts, assembly/lanczos.ts); this file holds control flow, index
// bookkeeping and exact f64 copies only, so results are bit-identical in every
// runtime.
import { wasm } from '../wasm/loader.js';
import { f64, Scope } from '../wasm/memory.js';
import type { WasmArray } from '../wasm/memory.js';
import { drain, type Step } from '../cooperative.js';

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
  /** J·C with C the D×D symmetric PSD covariance (upper triangle read), J = diag(I_dx, −I_{D−dx}). */
  | { kind: 'jc'; C: F64; D: number; dx: number }
  /** Θ = R J Rᵀ with R the upper Cholesky factor of C (from potrf; strict lower part ignored). */
  | { kind: 'rjr'; R: F64; D: number; dx: number }
  /**
   * Θ = R S Rᵀ (r × r) with R (r × D upper trapezoidal, stored transposed: row c of the
   * D × D buffer holds R[0..min(c, r−1)][c]) the pivoted Cholesky factor of C (PCPᵀ = RᵀR on its numerical range, piv[c] = original index of column c) and
   * S = P J Pᵀ as a ±1 vector; vectors are returned in the original order as
   * v = Pᵀ S Rᵀ w / |λ| (length D, J·C·v = λv, vᵀCv = 1).
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
   * Default true for 'jc' and 'rjr', false for 'dense' (plain k largest / k smallest).
   */
  signSplit?: boolean;
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
   * 2k vectors (length n or D), matching `values`. 'dense': unit 2-norm. 'jc' and
   * 'rjr': v with J·C·v = λv normalised so that vᵀCv = 1, hence u = Ψv/√n is a
   * unit eigenvector of Λ = (1/n)ΨJΨᵀ when C = (1/n)ΨᵀΨ. Padded slots are zero.
   */
  vectors: Float64Array[];
  /**
   * 2k residual norms (Lanczos estimates |β_m·y_m| unless explicitResiduals). 'dense': ‖Av − λv‖₂. 'jc': ‖JCv − λv‖_C = ‖Λu − λu‖₂ (for the
   * Lanczos Ritz vector). 'rjr': ‖Θw − λw‖₂ for the unit eigenvector w of Θ.
   */
  residuals: Float64Array;
  /** Operator applications (C-matvecs for 'jc', A-matvecs for 'dense', Θ applications for 'rjr'). */
  matvecs: number;
  /** Whether every wanted Ritz pair met residual ≤ tol·‖A‖ by the Lanczos estimate (true for the dense fallback and exhausted spaces). */
  converged: boolean;
  /** Thick restarts used. */
  restarts: number;
}

const KIND = { dense: 0, jc: 1, rjr: 2, rsr: 3 } as const;

/**
 * The k largest (descending) and the k smallest (ascending) eigenpairs of a
 * symmetric operator, by thick-restart Lanczos (Wu–Simon) with full
 * reorthogonalisation, keeping the Ritz vectors at both ends of the spectrum
 * at every restart.
 *
 * 'jc' runs Lanczos on J·C in the C-inner product (no Cholesky): the basis Q is
 * C-orthonormal, P = C·Q is kept alongside, one C-matvec per step, the start
 * vector is J·C·g (g seeded random) so every iterate lies in range(J·C). This is
 * Lanczos on Λ in disguise (u = Ψq/√n), so singular or ill-conditioned C is
 * fine. On breakdown (invariant subspace) a fresh seeded vector is
 * orthogonalised against the basis; if nothing is left (rank(C) or n exhausted)
 * the decomposition is exact and the missing slots are padded (value 0, zero
 * vector, residual 0). Dimension ≤ 2k+40 with 'dense': direct syev instead.
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
  const ex = wasm();
  const kind = KIND[op.kind];
  if (kind === undefined) throw new RangeError(`spec-embed: extremeEigs: unknown operator kind ${(op as any).kind}`);
  const n = op.kind === 'dense' ? op.n : op.kind === 'rsr' ? op.r : op.D;
  const a = op.kind === 'dense' ? op.A : op.kind === 'jc' ? op.C : op.R;
  const dx = op.kind === 'dense' || op.kind === 'rsr' ? 0 : op.dx;
  // Width of a row of the operator's matrix and length of the returned vectors.
  const wide = op.kind === 'rsr' ? op.D : n;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(wide) || wide < n || a.length < n * wide) throw new RangeError(`spec-embed: extremeEigs: operator buffer too small for dimension ${n}`);
  if (!Number.isInteger(dx) || dx < 0 || dx > wide) throw new RangeError(`spec-embed: extremeEigs: dx=${dx} outside 0..${wide}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`spec-embed: extremeEigs: k must be a positive integer, got ${k}`);
  const tol = opts.tol ?? 1e-10;
  const maxRestarts = opts.maxRestarts ?? 300;
  const seed = opts.seed ?? 1;
  if (!(tol > 0) || !Number.isFinite(tol)) throw new RangeError(`spec-embed: extremeEigs: tol must be a positive number, got ${tol}`);
  if (!Number.isInteger(maxRestarts) || maxRestarts < 0) throw new RangeError(`spec-embed: extremeEigs: maxRestarts must be a non-negative integer, got ${maxRestarts}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`spec-embed: extremeEigs: seed must be an integer, got ${seed}`);
  if (opts.basisSize !== undefined && (!Number.isInteger(opts.basisSize) || opts.basisSize < 1)) throw new RangeError(`spec-embed: extremeEigs: basisSize must be a positive integer, got ${opts.basisSize}`);
  const signSplit = opts.signSplit ?? op.kind !== 'dense';
  const explicit = opts.explicitResiduals ?? false;

  if (n === 0) return padResult(k, wide, [], [], [], [], 0, true, 0, signSplit);
  // The 'rsr' operator's width and signs are module globals: set them again after
  // every yield, since another computation may have run in between.
  const setOp = () => { if (op.kind === 'rsr') ex.lzSetTrapezoid(wide, op.signs.ptr); };
  if (op.kind === 'rsr') {
    if (op.signs.length < wide || op.piv.length < wide) throw new RangeError('spec-embed: extremeEigs: rsr signs/pivots shorter than D');
    setOp();
  }
  if (op.kind === 'dense' && n <= 2 * k + 40) return denseFallback(a, n, k, signSplit);

  let m = opts.basisSize ?? Math.max(2 * k + 20, 3 * k);
  m = Math.max(m, 2 * k + 2);
  if (m >= n) m = n;
  const ldt = m + 1;
  const jc = kind === 1;

  const sc = new Scope();
  try {
    const Q = sc.f64((m + 1) * n, 'Lanczos basis');
    const P = jc ? sc.f64((m + 1) * n, 'Lanczos C·basis') : Q;
    const T = sc.f64(ldt * ldt, 'Lanczos projected matrix');
    const Tc = sc.f64(m * m), Y = sc.f64(m * m), th = sc.f64(m), wk = sc.f64(4 * m);
    const Ysel = sc.f64(m * m);
    // At most 2·min(k, m) Ritz vectors are ever formed: k beyond the dimension sizes nothing.
    const kk = Math.min(k, m);
    const out = sc.f64(Math.max(m, 2 * kk) * n, 'Lanczos restart buffer');
    const out2 = jc ? sc.f64(2 * kk * n) : out;
    const w = sc.f64(wide), z = sc.f64(wide), tmp = sc.f64(wide), h = sc.f64(ldt);
    const mv = sc.i32(1);
    mv.view[0] = 0;
    let extraMv = 0;
    // Absolute scale for breakdown detection: trace(C) bounds ‖J·C‖ (PSD); ‖A‖_F for dense; ‖R‖_F² for rjr.
    let f2 = 0;
    if (op.kind === 'rsr') f2 = ex.lzRsrFrob2(n, wide, a.ptr) as number;
    else f2 = ex.lzFrob2Upper(n, a.ptr) as number;
    const scale = jc ? (ex.potrfTrace(n, a.ptr) as number) : op.kind === 'rjr' || op.kind === 'rsr' ? f2 : Math.sqrt(2 * f2);
    if (!Number.isFinite(scale)) throw new RangeError('spec-embed: extremeEigs: the operator contains NaN or Inf');
    // breakdown: β ≤ max(1e-13·‖Op‖ (running estimate), 1e-16·scale)
    const brkAbs = 1e-16 * scale;
    let seedCount = 0;
    const start = (row: number): number => {
      if (jc) extraMv += 3;
      return ex.lanczosStart(kind, n, a.ptr, dx, Q.ptr, P.ptr, row, w.ptr, z.ptr, h.ptr, BigInt(seed) * 1000003n + BigInt(seedCount++)) as number;
    };
    if (!(start(0) > 0) || scale === 0) {
      return padResult(k, wide, [], [], [], [], mv.view[0] + extraMv, true, 0, signSplit);
    }
    T.view.fill(0);
    let j = 0;
    let anorm = 0;
    let restarts = 0;
    let exhausted = false;
    let mcur = m;
    let theta = new Float64Array(0);
    let betaM = 0;
    let slice = 1, perStep = 0, steps = 0;
    for (;;) {
      // extend the basis to m vectors (+ the residual direction in row m)
      exhausted = false;
      mcur = m;
      while (j < m) {
        const j1 = Math.min(m, j + slice);
        const t0 = performance.now();
        const r = ex.lanczosRun(kind, n, a.ptr, dx, Q.ptr, P.ptr, T.ptr, ldt, j, j1, w.ptr, z.ptr, h.ptr, tmp.ptr, 1e-13, brkAbs, anorm, mv.ptr) as number;
        if (r >= 0) {
          // A slice of steps done: size the next one to ~SLICE_MS, then let the caller in.
          const per = Math.max(performance.now() - t0, 0.001) / (j1 - j);
          perStep = perStep > 0 ? 0.5 * (perStep + per) : per;
          slice = Math.max(1, Math.min(m, Math.floor(SLICE_MS / perStep)));
          steps += j1 - j;
          j = j1;
          if (j < m) {
            yield { done: restarts, total: maxRestarts, message: `Lanczos: ${steps} steps, restart ${restarts} (stops when converged)` };
            setOp();
          }
          continue;
        }
        const jb = -r; // row jb could not be formed: invariant subspace
        if (jb >= n) { exhausted = true; mcur = jb; j = jb; break; }
        const left = start(jb);
        if (!(left > 1e-8)) { exhausted = true; mcur = jb; j = jb; break; }
        j = jb; // T[jb-1][jb] stays 0
      }
      if (m === n) exhausted = true;
      // projected eigenproblem
      const tv = T.view, tc = Tc.view;
      for (let r = 0; r < mcur; r++) for (let c = 0; c < mcur; c++) tc[r * mcur + c] = tv[r * ldt + c];
      const info = ex.dsyevRaw(mcur, Tc.ptr, th.ptr, Y.ptr, wk.ptr) as number;
      if (info !== 0) throw new RangeError('spec-embed: extremeEigs: projected eigenproblem did not converge (NaN/Inf in the operator?)');
      theta = th.view.slice(0, mcur);
      anorm = Math.max(anorm, Math.abs(theta[0]), Math.abs(theta[mcur - 1]));
      betaM = exhausted ? 0 : T.view[(m - 1) * ldt + m];
      const yv = Y.view;
      const wanted = wantedIndices(theta, k, signSplit);
      let conv = true;
      for (const i of wanted) {
        if (Math.abs(betaM * yv[i * mcur + mcur - 1]) > tol * anorm) { conv = false; break; }
      }
      if (conv || exhausted || restarts >= maxRestarts) {
        return yield* finish(conv || exhausted, restarts);
      }
      // thick restart: keep nlow smallest and nhigh largest Ritz vectors
      restarts++;
      const ext = Math.max(0, Math.floor((m - 2 * k) / 2));
      let nlow = k + (ext >> 1), nhigh = k + ext - (ext >> 1);
      while (nlow + nhigh > m - 1) { if (nlow >= nhigh) nlow--; else nhigh--; }
      const keep: number[] = [];
      for (let i = 0; i < nlow; i++) keep.push(i);
      for (let i = m - nhigh; i < m; i++) keep.push(i);
      const l = keep.length;
      const ys = Ysel.view;
      for (let r = 0; r < l; r++) ys.set(yv.subarray(keep[r] * m, keep[r] * m + m), r * m);
      ex.lzCombineRows(l, m, n, Ysel.ptr, m, Q.ptr, out.ptr);
      Q.view.set(out.view.subarray(0, l * n), 0);
      Q.view.copyWithin(l * n, m * n, (m + 1) * n);
      if (jc) {
        ex.lzCombineRows(l, m, n, Ysel.ptr, m, P.ptr, out.ptr);
        P.view.set(out.view.subarray(0, l * n), 0);
        P.view.copyWithin(l * n, m * n, (m + 1) * n);
      }
      const t2 = T.view;
      t2.fill(0);
      for (let r = 0; r < l; r++) {
        t2[r * ldt + r] = theta[keep[r]];
        const s = betaM * yv[keep[r] * m + m - 1];
        t2[r * ldt + l] = s;
        t2[l * ldt + r] = s;
      }
      j = l;
      // Between restarts (views are fetched afresh after this: memory may grow meanwhile).
      yield { done: restarts, total: maxRestarts, message: `Lanczos: ${steps} steps, restart ${restarts}` };
      setOp();
    }

    // A generator too: forming 2k vectors of length D from the factor takes ~O(k·r·D).
    function* finish(converged: boolean, restarts: number): Generator<Step, ExtremeEigResult> {
      let yv = Y.view;
      const { top, bot } = lists(theta, k, signSplit);
      const sel = [...top, ...bot];
      const ys = Ysel.view;
      for (let r = 0; r < sel.length; r++) ys.set(yv.subarray(sel[r] * mcur, sel[r] * mcur + mcur), r * mcur);
      ex.lzCombineRows(sel.length, mcur, n, Ysel.ptr, mcur, Q.ptr, out.ptr);
      if (jc) ex.lzCombineRows(sel.length, mcur, n, Ysel.ptr, mcur, P.ptr, out2.ptr);
      const vecs: Float64Array[] = [];
      const res: number[] = [];
      let resMv = 0;
      for (let r = 0; r < sel.length; r++) {
        if (r > 0) {
          yield { done: restarts, total: maxRestarts, message: `Lanczos: forming eigenvector ${r + 1} of ${sel.length}` };
          setOp();
          yv = Y.view; // a view taken before a yield may be detached by memory growth
        }
        const lam = theta[sel[r]];
        const vOff = out.ptr + 8 * r * n;
        if (jc) {
          const gOff = out2.ptr + 8 * r * n;
          if (explicit) {
            // r = J g − λ v ; residual = sqrt(rᵀ C r)
            ex.lzApplyJ(n, dx, gOff, w.ptr);
            ex.daxpy(n, -lam, vOff, w.ptr);
            ex.dsymvUpper(n, a.ptr, w.ptr, z.ptr);
            resMv++;
            res.push(Math.sqrt(Math.max(ex.lzDot(n, w.ptr, z.ptr) as number, 0)));
          } else res.push(Math.abs(betaM * yv[sel[r] * mcur + mcur - 1]));
          // cleaned vector v = J g / sqrt(λ gᵀJg): exactly in range(J·C), vᵀCv ≈ 1
          ex.lzApplyJ(n, dx, gOff, w.ptr);
          const s = lam * (ex.lzDot(n, gOff, w.ptr) as number);
          if (Math.abs(lam) > 1e-12 * anorm && s > 0) ex.lzScale(n, 1 / Math.sqrt(s), w.ptr, w.ptr);
          else ex.lzScale(n, 1, vOff, w.ptr);
          vecs.push(w.toArray());
        } else {
          const nv = Math.sqrt(ex.lzDot(n, vOff, vOff) as number);
          ex.lzScale(n, 1 / nv, vOff, vOff);
          if (explicit) {
            ex.opApply(kind, n, a.ptr, dx, vOff, w.ptr, tmp.ptr);
            resMv++;
            ex.daxpy(n, -lam, vOff, w.ptr);
            res.push(Math.sqrt(ex.lzDot(n, w.ptr, w.ptr) as number));
          } else res.push(Math.abs(betaM * yv[sel[r] * mcur + mcur - 1]));
          if (op.kind === 'rjr') {
            // v = J Rᵀ w / |λ|  (vᵀCv = ‖RJRᵀw‖²/λ² = 1)
            ex.dtrmvUpperT(n, a.ptr, vOff, z.ptr);
            ex.lzApplyJ(n, dx, z.ptr, z.ptr);
            if (lam !== 0) ex.lzScale(n, 1 / Math.abs(lam), z.ptr, z.ptr);
            vecs.push(z.toArray());
          } else if (op.kind === 'rsr') {
            // the same in pivoted order, then back to the original order
            ex.lzRsrBack(n, wide, a.ptr, op.signs.ptr, vOff, z.ptr);
            const zv = z.view, v = new Float64Array(wide);
            const inv = lam !== 0 ? 1 / Math.abs(lam) : 1;
            for (let c = 0; c < wide; c++) v[op.piv[c]] = zv[c] * inv;
            vecs.push(v);
          } else {
            vecs.push(new Float64Array(wasm().memory.buffer, vOff, n).slice());
          }
        }
      }
      const topVals = top.map((i) => theta[i]), botVals = bot.map((i) => theta[i]);
      // `converged` is the Lanczos criterion; explicit residuals are reported as
      // measured (for 'jc' they carry a rounding floor ~eps·‖C‖·‖v‖₂, which
      // dominates when ‖Λ‖ ≪ ‖C‖ because then ‖v‖₂ ~ 1/sqrt(smallest C-eigenvalues)).
      const conv = converged;
      return padResult(k, wide, topVals, vecs.slice(0, top.length), botVals, vecs.slice(top.length), mv.view[0] + extraMv + resMv, conv, restarts, signSplit,
        res.slice(0, top.length), res.slice(top.length));
    }
  } finally {
    sc.free();
  }
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

function padResult(k: number, n: number, topVals: number[], topVecs: Float64Array[], botVals: number[], botVecs: Float64Array[],
  matvecs: number, converged: boolean, restarts: number, _signSplit: boolean, topRes: number[] = [], botRes: number[] = []): ExtremeEigResult {
  const values = new Float64Array(2 * k);
  const residuals = new Float64Array(2 * k);
  const vectors: Float64Array[] = [];
  for (let i = 0; i < k; i++) {
    values[i] = i < topVals.length ? topVals[i] : 0;
    residuals[i] = i < topRes.length ? topRes[i] : 0;
    vectors.push(i < topVecs.length ? topVecs[i] : new Float64Array(n));
  }
  for (let i = 0; i < k; i++) {
    values[k + i] = i < botVals.length ? botVals[i] : 0;
    residuals[k + i] = i < botRes.length ? botRes[i] : 0;
    vectors.push(i < botVecs.length ? botVecs[i] : new Float64Array(n));
  }
  return { values, vectors, residuals, matvecs, converged, restarts };
}

function denseFallback(A: F64, n: number, k: number, signSplit: boolean): ExtremeEigResult {
  const { values, vectors } = syev(A, n);
  const ex = wasm();
  const theta = values;
  const { top, bot } = lists(theta, k, signSplit);
  const sc = new Scope();
  try {
    const v = sc.f64(n), y = sc.f64(n);
    const mk = (i: number) => {
      const col = new Float64Array(n);
      for (let r = 0; r < n; r++) col[r] = vectors[r * n + i];
      v.view.set(col);
      ex.dsymvUpper(n, A.ptr, v.ptr, y.ptr);
      ex.daxpy(n, -theta[i], v.ptr, y.ptr);
      return { col, res: Math.sqrt(ex.lzDot(n, y.ptr, y.ptr) as number) };
    };
    const t = top.map(mk), b = bot.map(mk);
    return padResult(k, n, top.map((i) => theta[i]), t.map((x) => x.col), bot.map((i) => theta[i]), b.map((x) => x.col), t.length + b.length, true, 0, signSplit,
      t.map((x) => x.res), b.map((x) => x.res));
  } finally {
    sc.free();
  }
}
