// finc()'s metrics (docs/design.md, "Metrics and permutation tests"): the unbiased
// MMD² from what the route built (its sums and column sums, or its pooled kernel
// rows: a sink the route fills), and — with permutations — the test of "X and Y
// come from one distribution" by permuting set membership of the pooled rows:
// p-values of MMD², SPEC-diff's norm and each mode's eigenvalue.
import { InputError } from '../errors.js';
import type { FincMetrics, PermutationTest } from '../types/significance.js';
import type { FincMode } from '../types/finc.js';
import type { Kernel } from '../features/kernel.js';
import { featureDim } from '../features/kernel.js';
import type { RowSource } from '../validate/source.js';
import type { FincSums } from '../sums/finc-sums.js';
import { type Cooperative, drive } from '../runtime/cooperative.js';
import { mmd2FromMoments, mmd2FromSums } from './centred.js';
import { checkFeatureRows, featureRows } from './feature-rows.js';
import { kernelFactorSteps } from './kernel-factor.js';
import { FINC_BATCH, FincEngine, type FincStats } from './finc-permutation.js';
import { permutationTest, runPermutations } from './permutations.js';

/** What finc()'s metrics need from a job. */
export interface FincMetricsJob {
  sx: RowSource;
  sy: RowSource;
  kernel: Kernel;
  eta: number;
  seed: number;
}

/** One set's feature moments: Σ φ per column and Σ‖φ‖² (f64, summed row by row). */
export interface FeatureMoments {
  sums: Float64Array;
  trace: number;
}

/** The moments of `rows` feature rows (f32, row-major, D columns). */
export function featureMoments(phi: Float32Array, rows: number, D: number): FeatureMoments {
  const sums = new Float64Array(D);
  let trace = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0, o = i * D; j < D; j++) {
      const v = phi[o + j];
      sums[j] += v;
      trace += v * v;
    }
  return { sums, trace };
}

/** The route's side of the metrics: its sums (covariance) or its pooled kernel's rows (exact). */
export class FincMetricsSink {
  mmd2 = Number.NaN;
  /** The pooled kernel (exact route, kept for permutations). */
  kernel: Float64Array | null = null;
  private moments = { sxx: 0, trX: 0, syy: 0, trY: 0, sxy: 0 };
  constructor(readonly permutations: boolean) {}

  /** Both sets' sums before the solve. */
  sums(acc: FincSums): void {
    const cs = acc.colSums;
    if (cs) this.mmd2 = mmd2FromSums(acc.peek(0), acc.peek(1), cs[0], cs[1], acc.nx, acc.ny, acc.D);
  }

  /**
   * The same MMD² from the two sets' feature rows (f32, row-major, D columns), for the matrix-free
   * solve that forms no D × D sums: it needs only the column sums and Σ‖φ‖² (tr S).
   */
  features(phiX: Float32Array, nx: number, phiY: Float32Array, ny: number, D: number): void {
    this.fromMoments(featureMoments(phiX, nx, D), nx, featureMoments(phiY, ny, D), ny);
  }

  /** The same MMD² from each set's column sums and Σ‖φ‖² (the matrix-free solve on workers adds them up from its shards). */
  fromMoments(x: FeatureMoments, nx: number, y: FeatureMoments, ny: number): void {
    let sxx = 0,
      syy = 0,
      sxy = 0;
    for (let j = 0; j < x.sums.length; j++) {
      sxx += x.sums[j] * x.sums[j];
      syy += y.sums[j] * y.sums[j];
      sxy += x.sums[j] * y.sums[j];
    }
    this.mmd2 = mmd2FromMoments(sxx, x.trace, syy, y.trace, sxy, nx, ny);
  }

  /** Row i of the pooled kernel from the diagonal on (`row[j − i]` = k(pᵢ, pⱼ)), X's nx rows first. */
  gramRow(i: number, row: Float64Array, nx: number, n: number): void {
    const m = this.moments;
    for (let t = 0; t < row.length; t++) {
      const j = i + t,
        v = row[t];
      if (t === 0) {
        if (i < nx) {
          m.trX += v;
          m.sxx += v;
        } else {
          m.trY += v;
          m.syy += v;
        }
      } else if (j < nx) m.sxx += 2 * v;
      else if (i >= nx) m.syy += 2 * v;
      else m.sxy += v;
    }
    if (this.permutations) {
      this.kernel ??= new Float64Array(n * n);
      for (let t = 0; t < row.length; t++) {
        this.kernel[i * n + i + t] = row[t];
        this.kernel[(i + t) * n + i] = row[t];
      }
    }
    if (i === n - 1) this.mmd2 = mmd2FromMoments(m.sxx, m.trX, m.syy, m.trY, m.sxy, nx, n - nx);
  }
}

/** Refuses, before the route runs, permutations whose features could not be held. */
export function checkFincPermutations(job: FincMetricsJob, method: 'exact' | 'covariance', permutations: number): void {
  if (permutations <= 0) return;
  const n = job.sx.rows + job.sy.rows;
  if (method === 'covariance') checkFeatureRows(n, featureDim(job.kernel, job.sx.cols), 'the pooled rows of X and Y');
  if (job.sx.rows < 2 || job.sy.rows < 2) throw new InputError('permutations need at least two rows in each set');
}

/** Each mode's test and the weak flag it implies. */
function modeTest(mode: FincMode, test: PermutationTest): void {
  const weak = test.pValue > 0.05;
  mode.significance = {
    ...(mode.significance ?? {}),
    permutation: test,
    weak: (mode.significance?.weak ?? false) || weak,
    weakReasons: [
      ...(mode.significance?.weakReasons ?? []),
      ...(weak
        ? [`permutation p = ${test.pValue.toPrecision(2)} > 0.05: an eigenvalue this large appears when X and Y are split at random from their pooled rows`]
        : []),
    ],
  };
}

/** finc()'s metrics after its route ran, with `permutations` membership permutations (modes gain their tests). */
export async function fincMetrics(
  job: FincMetricsJob,
  method: 'exact' | 'covariance',
  sink: FincMetricsSink,
  sig: { permutations: number; seed: number },
  modes: FincMode[],
  specDiffNorm: number,
  coop: Cooperative,
  timings: Record<string, number>,
): Promise<FincMetrics> {
  const metrics: FincMetrics = { mmd2: { value: sink.mmd2 } };
  const N = sig.permutations;
  if (N <= 0) return metrics;
  const t = performance.now();
  const nx = job.sx.rows,
    n = nx + job.sy.rows;
  const k = Math.max(1, ...modes.map((m) => m.rank));
  let engine: FincEngine;
  if (method === 'exact' && sink.kernel) {
    const { phi, rank } = await drive(kernelFactorSteps(sink.kernel, n), coop, 'significance');
    sink.kernel = null;
    engine = new FincEngine(phi, n, nx, rank, job.eta, k, sig.seed);
  } else {
    const phi = await featureRows([job.sx, job.sy], job.kernel, job.seed, '', coop);
    engine = new FincEngine(phi, n, nx, featureDim(job.kernel, job.sx.cols), job.eta, k, sig.seed);
  }
  try {
    // the observed split rides with the first batch (a lone run would be GEMV-shaped, and slow)
    let observed: FincStats | null = null;
    const nulls: FincStats[] = [];
    await runPermutations(
      N,
      n,
      sig.seed,
      coop,
      function* (ps) {
        const out = yield* engine.stats(observed ? ps : [null, ...ps]);
        observed ??= out.shift()!;
        nulls.push(...out);
      },
      FINC_BATCH,
      FINC_BATCH - 1,
    );
    const obs: FincStats = observed ?? (await drive(engine.stats([null]), coop, 'significance'))[0];
    const col = (f: (s: FincStats) => number) => Float64Array.from(nulls, f);
    metrics.mmd2.test = permutationTest(
      obs.mmd2,
      col((s) => s.mmd2),
    );
    const norm = (s: FincStats) => Math.max(0, s.values[s.values.length - 1], -s.values[0]);
    metrics.specDiff = { value: specDiffNorm, test: permutationTest(norm(obs), col(norm)) };
    // mode j of a side against the j-th extreme eigenvalue on that side of each permuted split
    const jth = (s: FincStats, side: 'x' | 'y', j: number) => {
      const v = side === 'x' ? s.values[s.values.length - j] : -s.values[j - 1];
      return v === undefined ? 0 : v;
    };
    // quantiles on the side's scale: |λ| of the j-th eigenvalue on that side
    for (const m of modes)
      modeTest(
        m,
        permutationTest(
          jth(obs, m.side, m.rank),
          col((s) => jth(s, m.side, m.rank)),
        ),
      );
  } finally {
    engine.free();
  }
  timings.significance = (timings.significance ?? 0) + (performance.now() - t) / 1000;
  return metrics;
}
