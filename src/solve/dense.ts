// The dense symmetric eigensolvers (internal): syev (Householder + implicit
// QL), steqr (tridiagonal), the cost model that sends a solve to syev instead
// of Lanczos, and extremeEigs' dense routes built on syev. Every floating-point
// loop runs in wasm (assembly/syev.ts, assembly/symv.ts); this file holds
// control flow and exact f64 copies only, so results are bit-identical in every runtime.
import { dsyevRaw, dsteqlT, eigTranspose } from '../wasm/syev.js';
import { dsymvUpper } from '../wasm/symv.js';
import { lzApply, lzRsrBack } from '../wasm/lanczos.js';
import { daxpy, ddot } from '../wasm/blas1.js';
import { Scope } from '../wasm/memory.js';
import type { WasmArray } from '../wasm/memory.js';
import { assemble, lists, type EigOperator, type ExtremeEigResult, type Pairs, type Shape } from './eig-result.js';

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
  const sc = new Scope();
  try {
    const a = sc.f64(n * n, 'syev workspace');
    const zt = sc.f64(n * n, 'syev eigenvectors');
    const d = sc.f64(n, 'syev eigenvalues');
    const work = sc.f64(4 * n, 'syev work');
    a.view.set(A.view.subarray(0, n * n));
    const info = dsyevRaw(n, a, d, zt, work);
    if (info !== 0) throw new RangeError(`spec-embed: syev: QL iteration did not converge for eigenvalue ${info - 1} (NaN/Inf input?)`);
    eigTranspose(n, zt, a);
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
  const sc = new Scope();
  try {
    const dd = sc.f64(n),
      ee = sc.f64(n),
      zt = sc.f64(n * n),
      out = sc.f64(n * n);
    dd.view.set(d);
    const ev = ee.view;
    for (let i = 0; i < n - 1; i++) ev[i] = e[i];
    ev[n - 1] = 0;
    const z = zt.view;
    z.fill(0);
    for (let i = 0; i < n; i++) z[i * n + i] = 1;
    const info = dsteqlT(n, dd, ee, zt);
    if (info !== 0) throw new RangeError(`spec-embed: steqr did not converge for eigenvalue ${info - 1}`);
    eigTranspose(n, zt, out);
    return { values: dd.toArray(), vectors: out.toArray() };
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

/**
 * 'rsr' solved whole: Θ = R S Rᵀ formed column by column (r operator
 * applications), syev, then the selected vectors mapped back as Lanczos's are.
 */
export function rsrDense(op: Extract<EigOperator, { kind: 'rsr' }>, shape: Shape, k: number, signSplit: boolean): ExtremeEigResult {
  const { n: r, wide: D } = shape;
  const sc = new Scope();
  try {
    const T = sc.f64(r * r, 'Θ = R S Rᵀ'),
      e = sc.f64(D),
      y = sc.f64(D);
    for (let i = 0; i < r; i++) {
      const ev = e.view;
      ev.fill(0);
      ev[i] = 1;
      lzApply(e, y);
      T.view.set(y.view.subarray(0, r), i * r); // Θ is symmetric: column i = row i
    }
    const { values: theta, vectors } = syev(T, r);
    const { top, bot } = lists(theta, k, signSplit);
    const pairs = (idx: number[]): Pairs => {
      const p: Pairs = { values: [], vectors: [], residuals: [] };
      for (const i of idx) {
        const w = e.view;
        for (let row = 0; row < r; row++) w[row] = vectors[row * r + i];
        dsymvUpper(r, T, e, y);
        daxpy(r, -theta[i], e, y);
        p.residuals.push(Math.sqrt(ddot(r, y, y)));
        lzRsrBack(r, D, op.R, op.signs, e, y);
        const z = y.view,
          v = new Float64Array(D),
          inv = theta[i] !== 0 ? 1 / Math.abs(theta[i]) : 1;
        for (let c = 0; c < D; c++) v[op.piv[c]] = z[c] * inv;
        p.values.push(theta[i]);
        p.vectors.push(v);
      }
      return p;
    };
    const t = pairs(top),
      b = pairs(bot);
    return assemble(k, D, t, b, { matvecs: r, converged: true, restarts: 0 });
  } finally {
    sc.free();
  }
}

/** Small dense operators: every eigenpair by syev, residuals computed explicitly. */
export function denseFallback(A: F64, n: number, k: number, signSplit: boolean): ExtremeEigResult {
  const { values: theta, vectors } = syev(A, n);
  const { top, bot } = lists(theta, k, signSplit);
  const sc = new Scope();
  try {
    const v = sc.f64(n),
      y = sc.f64(n);
    // With 2k > n the two lists share pairs: each is formed and checked once.
    const seen = new Map<number, { col: Float64Array; res: number }>();
    const pairs = (idx: number[]): Pairs => {
      const p: Pairs = { values: [], vectors: [], residuals: [] };
      for (const i of idx) {
        const had = seen.get(i);
        if (had) {
          p.values.push(theta[i]);
          p.vectors.push(had.col.slice());
          p.residuals.push(had.res);
          continue;
        }
        const col = new Float64Array(n);
        for (let r = 0; r < n; r++) col[r] = vectors[r * n + i];
        v.view.set(col);
        dsymvUpper(n, A, v, y);
        daxpy(n, -theta[i], v, y);
        const res = Math.sqrt(ddot(n, y, y));
        seen.set(i, { col, res });
        p.values.push(theta[i]);
        p.vectors.push(col);
        p.residuals.push(res);
      }
      return p;
    };
    const t = pairs(top),
      b = pairs(bot);
    return assemble(k, n, t, b, { matvecs: seen.size, converged: true, restarts: 0 });
  } finally {
    sc.free();
  }
}
