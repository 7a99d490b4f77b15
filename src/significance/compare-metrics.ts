// compare()'s metrics (docs/design.md, "Metrics and permutation tests"): kernel CKA
// from what the route built (its sums, or its two kernel matrices: a sink the route
// fills), linear CKA from one SYRK pass over the raw rows (or the kernel CKA when
// both kernels are linear), mutual k-NN overlap, and — with permutations — the
// Mantel-style p-values of both CKAs.
import { InputError } from '../errors.js';
import type { WasmArray } from '../wasm/memory.js';
import type { CompareMetrics, MetricValue, PermutationTest } from '../types/significance.js';
import type { Kernel } from '../features/kernel.js';
import { featureDim } from '../features/kernel.js';
import { type RowSource, matrixSource } from '../validate/source.js';
import { SpecSums, READ_ROWS } from '../sums/spec-sums.js';
import { type Cooperative, drive } from '../runtime/cooperative.js';
import { ckaOf, hsicFromSums, hsicKernelSteps, hsicSumsSteps, type HsicParts } from './centred.js';
import { mutualKnn, sampleRows } from './knn.js';
import { centreColumns, checkFeatureRows, featureRows } from './feature-rows.js';
import { featureEngine, kernelEngine, type CkaEngine } from './cka-permutation.js';
import { sampleGramHsicSteps } from './sample-gram.js';
import { permutationTest, runPermutations } from './permutations.js';

/** The exact route keeps two centred n × n f32 kernels for permutations up to this n. */
export const EXACT_PERMUTATION_MAX = 8000;

/** What compare()'s metrics need from a job. */
export interface CompareMetricsJob {
  sx: RowSource;
  sy: RowSource;
  n: number;
  kx: Kernel;
  ky: Kernel;
  seed: number;
}

/** The route's side of the metrics: it hands over its sums (covariance) or kernel matrices (exact). */
export class SpecMetricsSink {
  kernel: HsicParts | null = null;
  /** Kernel CKA's parts on its seeded row sample, from the matrix-free route's features (unbiased HSIC when it is not every row). */
  sampled: { parts: HsicParts; rows: number } | null = null;
  centred: { A: Float32Array; B: Float32Array; n: number } | null = null;
  /** `permutations`: keep the centred kernels (up to EXACT_PERMUTATION_MAX rows) for the test. */
  constructor(readonly permutations: boolean) {}

  /** Paired-row sums before the solve (S = ΨᵀΨ and Σ Ψ), as resumable steps. */
  *sums(acc: SpecSums): Generator<void, void> {
    const cs = acc.colSums;
    if (!cs || acc.n < 1) return;
    this.kernel = yield* hsicSumsSteps(() => acc.peek(0), cs[0], acc.n, acc.D, acc.DX);
  }

  /** The two (1/n)·K matrices (n × n f64, full storage), before Λ overwrites them. */
  async grams(KX: WasmArray<Float64Array>, KY: WasmArray<Float64Array>, n: number, coop: Cooperative): Promise<void> {
    const out = await drive(
      hsicKernelSteps(
        () => KX.view,
        () => KY.view,
        n,
        this.permutations && n <= EXACT_PERMUTATION_MAX,
      ),
      coop,
      'metrics',
    );
    this.kernel = out.parts;
    if (out.centred) this.centred = { ...out.centred, n };
  }

  /**
   * Every row's features ΦX (n × DX) and ΦY (n × DY), f32, held by the matrix-free
   * route (which forms no D × D sums): kernel CKA's sample is taken from them.
   */
  async features(
    phiX: WasmArray<Float32Array>,
    phiY: WasmArray<Float32Array>,
    n: number,
    DX: number,
    DY: number,
    seed: number,
    coop: Cooperative,
    timings: Record<string, number>,
  ): Promise<void> {
    const t0 = performance.now();
    const idx = kernelSample(n, DX + DY, seed);
    const parts = await coop.within({ label: 'metrics: kernel CKA' }, () =>
      drive(sampleGramHsicSteps(phiX, DX, phiY, DY, idx, idx.length < n), coop, 'metrics'),
    );
    this.sampled = { parts, rows: idx.length };
    timings.metrics = (timings.metrics ?? 0) + (performance.now() - t0) / 1000;
  }
}

/** Refuses, before the route runs, permutations the route could not hold. */
export function checkComparePermutations(job: CompareMetricsJob, method: 'exact' | 'covariance', permutations: number): void {
  if (permutations <= 0) return;
  if (method === 'exact' && job.n > EXACT_PERMUTATION_MAX)
    throw new InputError(
      `permutations on the exact route keep two ${job.n} × ${job.n} centred kernel matrices; they are limited to n ≤ ${EXACT_PERMUTATION_MAX} there: use method 'covariance'`,
    );
  checkFeatureRows(job.n, job.sx.cols + job.sy.cols, 'the raw rows of X and Y');
  if (method === 'covariance') checkFeatureRows(job.n, featureDim(job.kx, job.sx.cols) + featureDim(job.ky, job.sy.cols), 'the features of X and Y');
}

const LINEAR: Kernel = { type: 'linear', sigma: 0, rffDim: 0 };
const bothLinear = (job: CompareMetricsJob) => job.kx.type === 'linear' && job.ky.type === 'linear';

/** Multiply-adds of linear CKA's SYRK (n·(dx + dy)²/2) done on every row; beyond, a seeded row sample. */
export const LINEAR_WORK = 1e9;
/** The fewest rows of that sample. */
export const LINEAR_MIN_ROWS = 1000;

/** Rows linear CKA is computed on: all of them, or a seeded sample when the SYRK would cost more than LINEAR_WORK. */
export function linearRows(n: number, d: number): number {
  if ((n * d * d) / 2 <= LINEAR_WORK) return n;
  return Math.min(n, Math.max(LINEAR_MIN_ROWS, Math.floor((2 * LINEAR_WORK) / (d * d))));
}

/**
 * Most rows of kernel CKA's sample when the route formed no D × D sums (the matrix-free solve): the
 * exact value would cost the SYRK that solver avoids, so the metric is estimated on a sample.
 */
export const CKA_SAMPLE_ROWS = 2000;
/** Multiply-adds of the sample's two Gram matrices (m²·D/2) the default allows: about 0.12 s. */
export const CKA_SAMPLE_WORK = 2e9;
/** The fewest rows of that sample (fewer would widen the estimate's spread, docs/design.md). */
export const CKA_MIN_ROWS = 1000;

/** Rows of kernel CKA's sample for n rows of D = DX + DY features: min(n, CKA_SAMPLE_ROWS, max(CKA_MIN_ROWS, √(2·CKA_SAMPLE_WORK/D))). */
export function kernelSampleRows(n: number, D: number): number {
  return Math.min(n, CKA_SAMPLE_ROWS, Math.max(CKA_MIN_ROWS, Math.floor(Math.sqrt((2 * CKA_SAMPLE_WORK) / Math.max(1, D)))));
}

/** The job restricted to the paired rows `idx` (held in memory). */
function pickedJob(job: CompareMetricsJob, idx: Int32Array): CompareMetricsJob {
  const m = idx.length;
  const pick = (s: RowSource) => {
    const data = new Float32Array(m * s.cols);
    idx.forEach((r, i) => data.set(s.read(r, 1), i * s.cols));
    return matrixSource({ data, rows: m, cols: s.cols }, s.name);
  };
  return { ...job, sx: pick(job.sx), sy: pick(job.sy), n: m };
}

/** Linear CKA's parts: one pass of the raw rows [X, Y] (or of a seeded sample of them) into D × D sums (the SYRK). */
async function linearParts(job: CompareMetricsJob, coop: Cooperative): Promise<{ parts: HsicParts; sampled?: number }> {
  const m = linearRows(job.n, job.sx.cols + job.sy.cols);
  if (m >= job.n) return { parts: await sumsParts(job, LINEAR, LINEAR, coop) };
  return { parts: await sumsParts(pickedJob(job, sampleRows(job.n, m, job.seed)), LINEAR, LINEAR, coop), sampled: m };
}

/** Kernel CKA's seeded sample of n rows with D features: kernelSampleRows(n, D) distinct rows, ascending. */
export function kernelSample(n: number, D: number, seed: number): Int32Array {
  return sampleRows(n, kernelSampleRows(n, D), seed ^ 0x636b61);
}

/**
 * Kernel CKA's parts on its seeded sample when no route handed its features over:
 * the sample's rows read and featurised (the same maps as the route's), then the
 * same Gram computation as SpecMetricsSink.features.
 */
export async function sampledKernelParts(job: CompareMetricsJob, coop: Cooperative): Promise<{ parts: HsicParts; rows: number }> {
  const DX = featureDim(job.kx, job.sx.cols),
    DY = featureDim(job.ky, job.sy.cols);
  const idx = kernelSample(job.n, DX + DY, job.seed);
  const m = idx.length;
  const p = pickedJob(job, idx);
  const FX = await featureRows([p.sx], job.kx, job.seed, 'X', coop);
  try {
    const FY = await featureRows([p.sy], job.ky, job.seed, 'Y', coop);
    try {
      const all = Int32Array.from({ length: m }, (_, i) => i);
      return { parts: await drive(sampleGramHsicSteps(FX, DX, FY, DY, all, m < job.n), coop, 'metrics'), rows: m };
    } finally {
      FY.free();
    }
  } finally {
    FX.free();
  }
}

/** HSIC parts of the paired rows under (kx, ky), from their D × D sums. */
async function sumsParts(job: CompareMetricsJob, kx: Kernel, ky: Kernel, coop: Cooperative): Promise<HsicParts> {
  const acc = await drive(SpecSums.ofSteps(kx, ky, 1, job.seed, job.sx, job.sy), coop, 'metrics');
  try {
    for (let s = 0; s < job.n; s += READ_ROWS) {
      const rows = Math.min(READ_ROWS, job.n - s);
      const cx = { data: job.sx.read(s, rows), rows, cols: job.sx.cols },
        cy = { data: job.sy.read(s, rows), rows, cols: job.sy.cols };
      await drive(acc.addSteps(cx, cy), coop, 'metrics');
    }
    return hsicFromSums(acc.peek(0), acc.colSums![0], job.n, acc.D, acc.DX);
  } finally {
    acc.dispose();
  }
}

/** Column-centred features of both sides under (kx, ky): the features engine. */
async function featuresEngine(job: CompareMetricsJob, kx: Kernel, ky: Kernel, coop: Cooperative): Promise<CkaEngine> {
  const FX = await featureRows([job.sx], kx, job.seed, 'X', coop);
  let FY: WasmArray<Float32Array>;
  try {
    FY = await featureRows([job.sy], ky, job.seed, 'Y', coop);
  } catch (e) {
    FX.free();
    throw e;
  }
  const DX = featureDim(kx, job.sx.cols),
    DY = featureDim(ky, job.sy.cols);
  centreColumns(FX, job.n, DX);
  centreColumns(FY, job.n, DY);
  return drive(featureEngine(FX, FY, job.n, DX, DY), coop, 'significance');
}

/** compare()'s metrics after its route ran (`sink` filled by it), with `permutations` Mantel tests. */
export async function compareMetrics(
  job: CompareMetricsJob,
  method: 'exact' | 'covariance',
  sink: SpecMetricsSink,
  sig: { permutations: number; seed: number },
  coop: Cooperative,
  timings: Record<string, number>,
): Promise<CompareMetrics> {
  let t = performance.now();
  const linear = bothLinear(job) && sink.kernel ? { parts: sink.kernel } : await coop.within({ label: 'metrics: linear CKA' }, () => linearParts(job, coop));
  const sample =
    sink.kernel || method !== 'covariance'
      ? null
      : (sink.sampled ?? (await coop.within({ label: 'metrics: kernel CKA' }, () => sampledKernelParts(job, coop))));
  const kernelParts = sink.kernel ?? sample?.parts ?? null;
  const knn = await coop.within({ label: 'metrics: mutual k-NN' }, () => mutualKnn(job.sx, job.sy, job.seed, coop));
  const ckaLinear: MetricValue = { value: ckaOf(linear.parts), ...(linear.sampled ? { sampled: linear.sampled } : {}) };
  const ckaKernel: MetricValue = { value: kernelParts ? ckaOf(kernelParts) : Number.NaN };
  if (sample && sample.rows < job.n) ckaKernel.sampled = sample.rows;
  timings.metrics = (timings.metrics ?? 0) + (performance.now() - t) / 1000;
  if (sig.permutations > 0) {
    t = performance.now();
    const tests = await ckaTests(job, method, sink, sig, coop);
    ckaLinear.test = tests.linear;
    if (tests.kernel) ckaKernel.test = tests.kernel;
    timings.significance = (timings.significance ?? 0) + (performance.now() - t) / 1000;
  }
  return { ckaLinear, ckaKernel, mutualKnn: knn };
}

/** Both CKAs' permutation tests, under the same permutations. */
async function ckaTests(
  job: CompareMetricsJob,
  method: 'exact' | 'covariance',
  sink: SpecMetricsSink,
  sig: { permutations: number; seed: number },
  coop: Cooperative,
): Promise<{ linear: PermutationTest; kernel: PermutationTest | null }> {
  const engines: CkaEngine[] = [];
  try {
    engines.push(await featuresEngine(job, LINEAR, LINEAR, coop));
    const c = sink.centred;
    if (c) engines.push(kernelEngine(c.A, c.B, c.n));
    else if (method === 'covariance') engines.push(await featuresEngine(job, job.kx, job.ky, coop));
    const observed: number[] = [];
    for (const e of engines) observed.push(await drive(e.cross(null), coop, 'significance'));
    const N = sig.permutations;
    const nulls = engines.map(() => new Float64Array(N));
    let i = 0;
    await runPermutations(N, job.n, sig.seed, coop, function* ([p]) {
      for (const [j, e] of engines.entries()) nulls[j][i] = yield* e.cross(p);
      i++;
    });
    const tests = engines.map((e, j) => permutationTest(observed[j], nulls[j], (v) => v * e.scale));
    return { linear: tests[0], kernel: tests[1] ?? null };
  } finally {
    for (const e of engines) e.free();
    sink.centred = null;
  }
}
