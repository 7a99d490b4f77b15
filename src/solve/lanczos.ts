// Thick-restart Lanczos (Wu–Simon) with full reorthogonalisation and locking
// (internal): the iterative route of extremeEigs. Every floating-point loop
// runs in wasm (assembly/lanczos.ts); this file holds control flow, index
// bookkeeping and exact f64 copies only, so results are bit-identical in every
// runtime. The operator is bound in wasm by the caller's `bind`, again after
// every yield.
import { gramScale, lanczosRun, lanczosStart, lzApply, lzCombineRows, lzFrob2Upper, lzNormEstimate, lzRsrBack, lzRsrFrob2, unitRow } from '../wasm/lanczos.js';
import { applyExternal } from './external-step.js';
import { dsyevRaw } from '../wasm/syev.js';
import { daxpy, ddot } from '../wasm/blas1.js';
import { Scope } from '../wasm/memory.js';
import type { WasmArray } from '../wasm/memory.js';
import type { Step } from '../runtime/cooperative.js';
import { assemble, lists, NO_PAIRS, wantedIndices, type EigOperator, type ExtremeEigResult, type Pairs, type Shape } from './eig-result.js';

type F64 = WasmArray<Float64Array>;

/** Lanczos steps per synchronous slice are sized to about this many milliseconds. */
const SLICE_MS = 20;

/** The validated options of one solve. */
export interface Settings {
  tol: number;
  maxRestarts: number;
  seed: number;
  basisSize: number | undefined;
  signSplit: boolean;
  explicit: boolean;
}

/**
 * The k largest and k smallest eigenpairs of the bound operator by Lanczos,
 * yielding between slices of steps (~SLICE_MS) and between restarts, with
 * progress in restarts. `bind` binds the operator again after each yield.
 */
export function* lanczosSteps(op: EigOperator, shape: Shape, set: Settings, k: number, bind: () => void): Generator<Step, ExtremeEigResult> {
  const sc = new Scope();
  try {
    const s = newState(sc, op, shape, set, k, bind);
    if (!(startVector(s, 0) > 0) || s.scale === 0) {
      return assemble(k, shape.wide, NO_PAIRS, NO_PAIRS, { matvecs: s.matvecs, converged: true, restarts: 0 });
    }
    let locked: Float64Array | null = null;
    let verifying = false;
    for (;;) {
      yield* extendBasis(s, verifying ? Math.min(s.m, s.j + verifySteps(s)) : s.m);
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
        verifying = true;
      } else if (s.j < s.m) {
        // The short verification round found pairs not yet converged: go on to a full basis.
        locked = null;
        verifying = false;
        continue;
      } else {
        locked = null;
        verifying = false;
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
  Q: F64;
  T: F64;
  Tc: F64;
  Y: F64;
  th: F64;
  wk: F64;
  Ysel: F64;
  out: F64;
  w: F64;
  z: F64;
  h: F64;
  /** The external operator's result for the next step (null for the other kinds). */
  ext: F64 | null;
  /** Operator-scale bound (‖A‖_F·√2 for dense, ‖R‖_F² for rsr, Σ|w|·‖A_b‖_F² for gram) and the absolute breakdown threshold. */
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
  const { n, wide, a } = shape;
  let m = set.basisSize ?? Math.max(2 * k + 20, 3 * k);
  m = Math.max(m, 2 * k + 2);
  if (m >= n) m = n;
  const ldt = m + 1;
  // At most 2·min(k, m) Ritz vectors are ever formed: k beyond the dimension sizes nothing.
  const kk = Math.min(k, m);
  const s: LanczosState = {
    op,
    shape,
    set,
    k,
    m,
    ldt,
    bind,
    Q: sc.f64((m + 1) * n, 'Lanczos basis'),
    T: sc.f64(ldt * ldt, 'Lanczos projected matrix'),
    Tc: sc.f64(m * m),
    Y: sc.f64(m * m),
    th: sc.f64(m),
    wk: sc.f64(4 * m),
    Ysel: sc.f64(Math.max(m, 2 * kk) * m),
    out: sc.f64(Math.max(m, 2 * kk) * n, 'Lanczos restart buffer'),
    w: sc.f64(wide),
    z: sc.f64(wide),
    h: sc.f64(ldt),
    ext: op.kind === 'external' ? sc.f64(n, 'external operator result') : null,
    scale: 0,
    brkAbs: 0,
    j: 0,
    mcur: m,
    exhausted: false,
    anorm: 0,
    theta: new Float64Array(0),
    betaM: 0,
    restarts: 0,
    matvecs: 0,
    starts: 0,
    slice: 1,
    perStep: 0,
    steps: 0,
  };
  if (op.kind === 'gram') s.scale = gramScale(op.blocks);
  else if (op.kind === 'external') s.scale = op.scale;
  else {
    const f2 = op.kind === 'rsr' ? lzRsrFrob2(n, wide, a!) : lzFrob2Upper(n, a!);
    s.scale = op.kind === 'rsr' ? f2 : Math.sqrt(2 * f2);
  }
  if (!Number.isFinite(s.scale)) throw new RangeError('spec-embed: extremeEigs: the operator contains NaN or Inf');
  // breakdown: β ≤ max(1e-13·‖Op‖ (running estimate), 1e-16·scale)
  s.brkAbs = 1e-16 * s.scale;
  s.T.view.fill(0);
  return s;
}

/** A fresh seeded start vector in basis row `row`; returns the norm left after orthogonalisation. */
function startVector(s: LanczosState, row: number): number {
  const seed = BigInt(s.set.seed) * 1000003n + BigInt(s.starts++);
  return lanczosStart(s.Q, s.shape.n, row, s.w, s.h, seed);
}

/**
 * Extends the basis to m vectors (+ the residual direction in row m), in slices
 * of ~SLICE_MS with a yield between them. On breakdown a fresh start vector
 * continues the basis; when none is left the decomposition is exact
 * (s.exhausted, s.mcur = its size).
 */
function* extendBasis(s: LanczosState, limit: number): Generator<Step, void> {
  const m = limit;
  s.exhausted = false;
  s.mcur = m;
  while (s.j < m) {
    const ext = s.op.kind === 'external'; // applied elsewhere, one step at a time
    const j0 = s.j,
      j1 = ext ? j0 + 1 : Math.min(m, j0 + s.slice);
    if (s.op.kind === 'external') yield* applyExternal(s.op, s.Q, s.shape.n, j0, s.ext!, s.restarts, s.set.maxRestarts, s.steps);
    const t0 = performance.now();
    const r = lanczosRun(s.Q, s.shape.n, s.T, s.ldt, j0, j1, s.w, s.h, s.brkAbs, s.anorm);
    // Carry the running norm estimate into the next slice: slices are sized by
    // elapsed time, and results must not depend on them.
    s.anorm = Math.max(s.anorm, lzNormEstimate());
    if (r >= 0) {
      s.matvecs += j1 - j0;
      pace(s, performance.now() - t0, j1 - j0);
      s.j = j1;
      if (s.j < m && !ext) {
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
  if (s.mcur === s.shape.n) s.exhausted = true;
}

/**
 * Steps of a verification round (after lockAndRefresh). A missing copy of a
 * repeated eigenvalue, or a wanted eigenvalue the first start vector hardly
 * touched, shows as an extreme Ritz value of the deflated operator within a few
 * steps; the round then goes on to a full basis. Rounds of the full m − 2k
 * steps cost B1 a fifth of its applications.
 */
function verifySteps(s: LanczosState): number {
  return Math.max(10, s.k);
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
  const tv = s.T.view,
    tc = s.Tc.view;
  for (let r = 0; r < mcur; r++) for (let c = 0; c < mcur; c++) tc[r * mcur + c] = tv[r * ldt + c];
  const info = dsyevRaw(mcur, s.Tc, s.th, s.Y, s.wk);
  if (info !== 0) throw new RangeError('spec-embed: extremeEigs: projected eigenproblem did not converge (NaN/Inf in the operator?)');
  const theta = (s.theta = s.th.view.slice(0, mcur));
  s.anorm = Math.max(s.anorm, Math.abs(theta[0]), Math.abs(theta[mcur - 1]));
  s.betaM = s.exhausted ? 0 : s.T.view[(mcur - 1) * ldt + mcur];
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
  let nlow = k + (ext >> 1),
    nhigh = k + ext - (ext >> 1);
  while (nlow + nhigh > m - 1) {
    if (nlow >= nhigh) nlow--;
    else nhigh--;
  }
  const keep: number[] = [];
  for (let i = 0; i < nlow; i++) keep.push(i);
  for (let i = m - nhigh; i < m; i++) keep.push(i);
  const l = keep.length;
  const yv = s.Y.view,
    ys = s.Ysel.view;
  for (let r = 0; r < l; r++) ys.set(yv.subarray(keep[r] * m, keep[r] * m + m), r * m);
  lzCombineRows(l, m, n, s.Ysel, m, s.Q, s.out);
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
  const { mcur: m, ldt, theta } = s;
  const n = s.shape.n;
  s.restarts++;
  const keep = wantedIndices(theta, s.k, s.set.signSplit).sort((a, b) => a - b);
  const l = keep.length;
  const yv = s.Y.view,
    ys = s.Ysel.view;
  for (let r = 0; r < l; r++) ys.set(yv.subarray(keep[r] * m, keep[r] * m + m), r * m);
  lzCombineRows(l, m, n, s.Ysel, m, s.Q, s.out);
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
  const { mcur, theta } = s;
  const n = s.shape.n;
  const { top, bot } = lists(theta, s.k, s.set.signSplit);
  const sel = [...top, ...bot];
  let yv = s.Y.view;
  const ys = s.Ysel.view;
  for (let r = 0; r < sel.length; r++) ys.set(yv.subarray(sel[r] * mcur, sel[r] * mcur + mcur), r * mcur);
  lzCombineRows(sel.length, mcur, n, s.Ysel, mcur, s.Q, s.out);
  const vecs: Float64Array[] = [];
  const res: number[] = [];
  for (let r = 0; r < sel.length; r++) {
    if (r > 0) {
      yield { done: s.restarts, total: s.set.maxRestarts, message: `Lanczos: forming eigenvector ${r + 1} of ${sel.length}` };
      s.bind();
      yv = s.Y.view; // a view taken before a yield may be detached by memory growth
    }
    const lam = theta[sel[r]];
    unitRow(s.out, r, n);
    res.push(s.set.explicit ? explicitResidual(s, r * n, lam) : Math.abs(s.betaM * yv[sel[r] * mcur + mcur - 1]));
    vecs.push(s.op.kind === 'rsr' ? covarianceVector(s, s.op, r * n, lam) : s.out.view.slice(r * n, r * n + n));
  }
  const pairs = (idx: number[], from: number): Pairs => ({
    values: idx.map((i) => theta[i]),
    vectors: vecs.slice(from, from + idx.length),
    residuals: res.slice(from, from + idx.length),
  });
  return assemble(s.k, s.shape.wide, pairs(top, 0), pairs(bot, top.length), { matvecs: s.matvecs, converged, restarts: s.restarts });
}

/** ‖Op v − λv‖₂ for the unit vector v at element vOff of s.out (one operator application, counted). */
function explicitResidual(s: LanczosState, vOff: number, lam: number): number {
  const n = s.shape.n;
  lzApply(s.out, s.w, vOff);
  s.matvecs++;
  daxpy(n, -lam, s.out, s.w, vOff, 0);
  return Math.sqrt(ddot(n, s.w, s.w));
}

/** v = Pᵀ S Rᵀ w / |λ| in the original order (vᵀCv = ‖R S Rᵀ w‖²/λ² = 1) for the unit eigenvector w of Θ at element wOff of s.out. */
function covarianceVector(s: LanczosState, op: Extract<EigOperator, { kind: 'rsr' }>, wOff: number, lam: number): Float64Array {
  const { n, wide } = s.shape;
  lzRsrBack(n, wide, op.R, op.signs, s.out, s.z, wOff);
  const zv = s.z.view,
    v = new Float64Array(wide);
  const inv = lam !== 0 ? 1 / Math.abs(lam) : 1;
  for (let c = 0; c < wide; c++) v[op.piv[c]] = zv[c] * inv;
  return v;
}
