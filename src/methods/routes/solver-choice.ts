// Which covariance-route solver runs (docs/design.md, "Matrix-free solve"):
// SYRK (form C = (1/n)ΨᵀΨ, pivoted Cholesky, Lanczos on the factor) or
// matrix-free (Lanczos on Λ = (1/n)ΨJΨᵀ from the cached features). `solver:
// 'auto'` compares the two estimated times from constants measured once on the
// reference machine; the estimates are reported in `solverReason`.
import { InputError } from '../../errors.js';
import type { Solver } from '../../types/index.js';
import { FEATURE_CACHE_BYTES } from '../../sums/features-pass.js';
import { MAX_BLOCK_BYTES, formatBytes } from '../../wasm/memory.js';

/**
 * Seconds per unit of work, measured once (docs/design.md records how):
 * SYRK per multiply-add of n·D²/2 on one thread, the pivoted Cholesky and the
 * solve on its factor per D³/3, the scoring GEMM per n·D·k, the matrix-free
 * operator per n·D of one application (two GEMV passes), its Lanczos basis
 * work per n·m of one step, and compare's operator on workers per application
 * for its messages (two round trips).
 */
export const COST = {
  syrk: 5.0e-11,
  factor: 1.1e-10,
  score: 8.0e-11,
  apply: 4.7e-10,
  basis: 1.0e-9,
  /** Operator applications the matrix-free solve is expected to take, per wanted pair (2k of them), at least minApply. */
  applyPerPair: 7.5,
  minApply: 60,
  /** Speed-up of the SYRK pass per worker thread (the driver's measured scaling). */
  threadEfficiency: 0.85,
  /**
   * Speed-up of compare's matrix-free operator per worker thread: its GEMV passes
   * stream the features from memory, which one thread nearly saturates (B1 on the
   * reference machine: 1.2–1.36× on two workers).
   */
  applyThreadEfficiency: 0.3,
  /** Seconds of messages per application of compare's matrix-free operator on workers (measured at n = 10⁴, two workers; two round trips, FINC's one: half). */
  message: 4e-4,
  /** FINC's dense D × D Lanczos per application per D² entries. */
  symv: 4.0e-10,
  /** auto takes matrix-free only when it is estimated this much faster (the estimates' spread)... */
  margin: 0.8,
  /** ...and only for jobs whose SYRK solve is estimated to take at least this long. */
  minSyrkSeconds: 1,
} as const;

/**
 * The matrix-free solver's Lanczos basis size for k pairs per end. Larger than the
 * dense default (max(2k + 20, 3k)): each basis vector costs a pass of reorthogonalisation
 * (n·m), tiny beside an application (4·n·D), and fewer restarts save applications
 * (B1: 80 applications at m = 40, 70 at m = 60).
 */
export const matrixFreeBasis = (k: number): number => Math.max(3 * k + 30, 2 * k + 40);

/** What the matrix-free solver holds: the features, the Lanczos basis and the Ritz vectors. */
export function matrixFreeBytes(n: number, dx: number, dy: number, eta: number, k: number): { features: number; basis: number } {
  const m = matrixFreeBasis(k);
  return { features: 4 * n * (dx + (eta > 0 ? dy : 0)), basis: 8 * n * (m + 1 + 2 * k) };
}

/**
 * Why the matrix-free solver cannot run this job, or null when it can. `workers`:
 * how many workers hold the features (compare's operator on workers: each holds
 * its share of the rows, within the cache budget each), 1 in process.
 */
export function matrixFreeMisfit(n: number, dx: number, dy: number, eta: number, k: number, workers = 1): string | null {
  const { features, basis } = matrixFreeBytes(n, dx, dy, eta, k);
  const rows = Math.ceil(n / Math.max(1, workers));
  const each = Math.ceil(features / Math.max(1, workers));
  if (each > FEATURE_CACHE_BYTES) {
    const per = workers > 1 ? `; ${formatBytes(each)} per worker on ${workers} workers` : '';
    return `the features (${formatBytes(features)}${per}) exceed the ${formatBytes(FEATURE_CACHE_BYTES)} feature cache`;
  }
  if (Math.max(4 * rows * dx, 4 * rows * dy) > MAX_BLOCK_BYTES || basis > MAX_BLOCK_BYTES)
    return `its Lanczos basis (${formatBytes(basis)}) exceeds one WebAssembly allocation`;
  return null;
}

/** Which task's solve is estimated: compare's (SYRK + pivoted Cholesky; Lanczos on the n × n Λ) or finc's (SYRK of two sums + Lanczos on the dense D × D difference; Lanczos on the D × D operator). */
export type SolveTask = 'compare' | 'finc';

/**
 * Whether the matrix-free solver applies its operator on `threads` workers:
 * both tasks' do when two or more are planned (runtime/matfree-driver.ts,
 * runtime/finc-matfree-driver.ts).
 */
export const matrixFreeUsesWorkers = (threads: number, _task: SolveTask = 'compare'): boolean => threads > 1;

/** Estimated seconds of each solver (features and reading excluded: both pay them once). */
export function estimateSeconds(
  n: number,
  D: number,
  k: number,
  threads: number,
  task: SolveTask = 'compare',
): { syrk: number; matrixFree: number; applications: number } {
  const par = threads <= 1 ? 1 : 1 + (threads - 1) * COST.threadEfficiency;
  const applyPar = threads <= 1 ? 1 : 1 + (threads - 1) * COST.applyThreadEfficiency;
  const applications = Math.max(COST.minApply, COST.applyPerPair * 2 * k);
  const m = matrixFreeBasis(k);
  const solve = task === 'compare' ? (COST.factor * D * D * D) / 3 : COST.symv * applications * D * D;
  const syrk = (COST.syrk * n * D * D) / 2 / par + solve + COST.score * n * D * k;
  // on workers the operator's passes split by rows and each application pays its messages; the basis work stays here
  const workers = matrixFreeUsesWorkers(threads, task);
  // compare's application is two round trips, FINC's one
  const message = workers ? (task === 'compare' ? COST.message : COST.message / 2) : 0;
  const apply = (COST.apply * n * D) / (workers ? applyPar : 1) + message;
  const matrixFree = applications * (apply + COST.basis * (task === 'compare' ? n : D) * m);
  return { syrk, matrixFree, applications };
}

const fmt = (s: number) => (s >= 10 ? `${s.toFixed(0)} s` : s >= 0.1 ? `${s.toFixed(1)} s` : `${(1000 * s).toFixed(0)} ms`);

/**
 * The solver for a covariance-route job: as requested, or by the cost model.
 * `threads` is the planned worker count of the SYRK pass and of the
 * matrix-free operator. A forced 'matrix-free' that
 * cannot fit is an InputError.
 */
export function chooseSolver(
  asked: Solver,
  job: { n: number; dx: number; dy: number; eta: number; topK: number; task?: SolveTask },
  threads: number,
): { solver: 'syrk' | 'matrix-free'; reason: string } {
  const D = job.dx + job.dy;
  const k = Math.min(job.topK, D, job.n);
  const misfit = matrixFreeMisfit(job.n, job.dx, job.dy, job.eta, k, matrixFreeUsesWorkers(threads, job.task) ? threads : 1);
  if (asked === 'syrk') return { solver: 'syrk', reason: 'requested' };
  if (asked === 'matrix-free') {
    if (misfit) throw new InputError(`solver 'matrix-free' cannot run this job: ${misfit}; use solver 'syrk'`);
    return { solver: 'matrix-free', reason: 'requested' };
  }
  if (misfit) return { solver: 'syrk', reason: `matrix-free does not fit: ${misfit}` };
  const est = estimateSeconds(job.n, D, k, threads, job.task);
  const on = threads > 1 ? ` on ${threads} threads` : '';
  const where = matrixFreeUsesWorkers(threads, job.task) ? `on ${threads} workers` : 'in process';
  const both = `estimated SYRK${on} ${fmt(est.syrk)}, matrix-free (${where}, ~${est.applications} applications) ${fmt(est.matrixFree)}`;
  // Below MIN_GAIN_SECONDS either solver is quick: SYRK keeps its one pass and mergeable sums.
  if (est.syrk < COST.minSyrkSeconds) return { solver: 'syrk', reason: `${both}: both quick, SYRK kept` };
  return est.matrixFree < COST.margin * est.syrk
    ? { solver: 'matrix-free', reason: `${both}: the n·D² SYRK outweighs the operator passes` }
    : { solver: 'syrk', reason: both };
}
