// The random Fourier features' error in SPEC-diff (docs/design.md §1, "RFF error").
// The covariance route replaces a Gaussian kernel by m random features, and the
// run alone cannot say how far that moved its eigenvalues. On a seeded sample of
// rows both operators are small enough to form: the sample's Λ (compare) or
// CX − η·CY (finc) with the exact kernel, and the same operator from the features
// the run used (same ω: same d, m, σ and seed). Their SPEC-diffs differ by the
// approximation, which depends on m, not on how many rows are summed.
import type { Matrix, RffError, SpecDiff } from '../types/index.js';
import { Scope, type WasmArray } from '../wasm/memory.js';
import { expNegScaled, gramRowF64, gramSteps } from '../wasm/gram.js';
import { daxpy } from '../wasm/blas1.js';
import { sampleRows } from '../validate/source.js';
import type { Kernel } from '../features/kernel.js';
import { FeatureMap } from '../features/feature-map.js';
import type { FincJob, SpecJob } from '../features/job.js';
import { extremeEigsSteps } from '../solve/eigen.js';
import { covarianceEigsSteps } from '../solve/covariance-eigs.js';
import { specDiffOf } from '../score/modes.js';
import { drive, lap, STEP_MS, WorkSizer, type Cooperative, type Step } from '../runtime/cooperative.js';

type F64 = WasmArray<Float64Array>;

/** Rows sampled (compare: paired rows; finc: both sets together). */
export const RFF_SAMPLE = 500;
/** A relative error of the norm above this gets a note. */
export const RFF_ERROR_LIMIT = 0.05;

/** The estimate and, above RFF_ERROR_LIMIT, the note that says what to do. */
export interface RffOutcome {
  rffError: RffError;
  note?: string;
}

/** The exact route's limit, for the note's alternative. */
interface ExactLimit {
  n: number;
  max: number;
  what: string;
}

/** compare()'s estimate on the covariance route; null when neither side is Gaussian (its features are then exact). */
export async function specRffError(
  job: SpecJob,
  coop: Cooperative,
  timings: Record<string, number>,
  exactMax: number,
  size = RFF_SAMPLE,
): Promise<RffOutcome | null> {
  const sides = [job.kx, job.ky];
  if (!sides.some((k) => k.type === 'gaussian')) return null;
  const t = performance.now();
  // One seeded draw of n indices: the same paired rows from both sources.
  const x = sampleRows([job.sx], job.seed, size),
    y = sampleRows([job.sy], job.seed, size);
  const { exact, rff } = await drive(specSampleSteps(x, y, job.kx, job.ky, job.eta, job.seed), coop, 'rffError');
  const e = relativeError(exact, rff, x.rows);
  lap(timings, 'rffError', t);
  const m = Math.max(...sides.filter((k) => k.type === 'gaussian').map((k) => k.rffDim));
  return withNote(e, m, { n: job.n, max: exactMax, what: 'n' });
}

/** finc()'s estimate on the covariance route; null unless the kernel is Gaussian. */
export async function fincRffError(
  job: FincJob,
  coop: Cooperative,
  timings: Record<string, number>,
  exactMax: number,
  size = RFF_SAMPLE,
): Promise<RffOutcome | null> {
  if (job.kernel.type !== 'gaussian') return null;
  const t = performance.now();
  const { sx: ax, sy: ay } = fincSampleSizes(job.sx.rows, job.sy.rows, size);
  const x = sampleRows([job.sx], job.seed, ax),
    y = sampleRows([job.sy], job.seed, ay);
  const { exact, rff } = await drive(fincSampleSteps(x, y, job.kernel, job.eta, job.seed), coop, 'rffError');
  const e = relativeError(exact, rff, ax + ay);
  lap(timings, 'rffError', t);
  return withNote(e, job.kernel.rffDim, { n: job.sx.rows + job.sy.rows, max: exactMax, what: 'nx + ny' });
}

/** Rows sampled from each set: half of `size` each, a small set's unused share going to the other. */
export function fincSampleSizes(nx: number, ny: number, size = RFF_SAMPLE): { sx: number; sy: number } {
  const sx = Math.min(nx, Math.max(size >> 1, size - ny));
  return { sx, sy: Math.min(ny, size - sx) };
}

/**
 * |SPEC-diff with the features − SPEC-diff with the exact kernel|, each over the
 * exact norm (over the features' norm when the exact one is 0; 0 when both are).
 */
export function relativeError(exact: SpecDiff, rff: SpecDiff, sample: number): RffError {
  const den = exact.norm > 0 ? exact.norm : rff.norm;
  const rel = (a: number, b: number) => (den > 0 ? Math.abs(a - b) / den : 0);
  return { xNotY: rel(rff.xNotY, exact.xNotY), yNotX: rel(rff.yNotX, exact.yNotX), norm: rel(rff.norm, exact.norm), sample };
}

/**
 * The m that brings `error` (measured at m) under the limit with a margin, by the
 * 1/√m rate of random features (error² ∝ 1/m), rounded up to a hundred.
 */
export function suggestedRffDim(error: number, m: number): number {
  return Math.ceil((m * (error / (0.8 * RFF_ERROR_LIMIT)) ** 2) / 100) * 100;
}

function withNote(e: RffError, m: number, exact: ExactLimit): RffOutcome {
  if (!(e.norm > RFF_ERROR_LIMIT)) return { rffError: e };
  const pct = (v: number) => `${(100 * v).toPrecision(2)}%`;
  const alt = exact.n <= exact.max ? ` or --method exact (${exact.what} = ${exact.n} ≤ ${exact.max})` : '';
  return {
    rffError: e,
    note:
      `the random Fourier features move SPEC-diff by an estimated ${pct(e.norm)} of its norm (above ${pct(RFF_ERROR_LIMIT)}; ` +
      `the exact kernel against the run's ${m} features on a sample of ${e.sample} rows): use --rff-dim ${suggestedRffDim(e.norm, m)} (the error falls as 1/√m)${alt}`,
  };
}

/** SPEC-diff of the sample's operator with the exact kernel and with the run's features. */
export interface SampleSpecDiffs {
  exact: SpecDiff;
  rff: SpecDiff;
}

/** Reports each inner step as one unit of the estimate's `phases`. */
function* phase<T>(gen: Generator<Step | void, T>, done: number, phases: number): Generator<Step, T> {
  try {
    for (;;) {
      const r = gen.next();
      if (r.done) return r.value;
      yield { done, total: phases, message: 'sample kernels and eigenvalues' };
    }
  } finally {
    gen.return(undefined as T);
  }
}

/**
 * compare's sample: SPEC-diff of Λ = (1/s)(KX − η·KY) with the exact kernels and
 * with the run's features (a cosine or linear side's features are its kernel, so
 * that side is the same matrix in both).
 */
export function* specSampleSteps(x: Matrix, y: Matrix, kx: Kernel, ky: Kernel, eta: number, seed: number): Generator<Step, SampleSpecDiffs> {
  const s = x.rows,
    sc = new Scope();
  const phases = 6;
  try {
    const exact = { X: sc.f64(s * s, 'sample kernel X'), Y: sc.f64(s * s, 'sample kernel Y') };
    const rff = { X: sc.f64(s * s, 'sample feature Gram X'), Y: sc.f64(s * s, 'sample feature Gram Y') };
    let p = 0;
    for (const [side, m, k] of [
      ['X', x, kx],
      ['Y', y, ky],
    ] as const) {
      yield* phase(exactGramSteps(m, k, exact[side], 1 / s), p++, phases);
      if (k.type === 'gaussian') yield* phase(featureGramSteps(m, k, seed, side, rff[side], 1 / s), p++, phases);
      else {
        rff[side].view.set(exact[side].view);
        p++;
      }
    }
    // Λ in place of KX: what the exact route forms, the operator whose extremes are SPEC-diff.
    daxpy(s * s, -eta, exact.Y, exact.X);
    daxpy(s * s, -eta, rff.Y, rff.X);
    return { exact: yield* phase(denseSpecDiff(exact.X, s, seed), p++, phases), rff: yield* phase(denseSpecDiff(rff.X, s, seed), p++, phases) };
  } finally {
    sc.free();
  }
}

/** SPEC-diff of the dense s × s operator A (overwritten): its largest and smallest eigenvalues. */
function* denseSpecDiff(A: F64, s: number, seed: number): Generator<Step, SpecDiff> {
  const res = yield* extremeEigsSteps({ kind: 'dense', A, n: s }, 1, { seed, denseUpTo: 200 });
  return specDiffOf(Math.max(...res.values), Math.min(...res.values));
}

/**
 * finc's sample: with the pooled sampled rows (X's first), W = diag(1/sx, −η/sy),
 * a = √|w| and G = A K A, the non-zero eigenvalues of CX − η·CY are those of J·G
 * (as on FINC's exact route), for K the exact pooled kernel and for K = ΦΦᵀ.
 */
export function* fincSampleSteps(x: Matrix, y: Matrix, k: Kernel, eta: number, seed: number): Generator<Step, SampleSpecDiffs> {
  const nx = x.rows,
    s = nx + y.rows,
    sc = new Scope();
  const pooled: Matrix = { data: new Float32Array(s * x.cols), rows: s, cols: x.cols };
  pooled.data.set(x.data);
  pooled.data.set(y.data, x.data.length);
  const a = new Float64Array(s);
  for (let i = 0; i < s; i++) a[i] = i < nx ? Math.sqrt(1 / nx) : Math.sqrt(eta / y.rows);
  const phases = 4;
  try {
    const exact = sc.f64(s * s, 'pooled sample kernel'),
      rff = sc.f64(s * s, 'pooled sample feature Gram');
    yield* phase(exactGramSteps(pooled, k, exact, 1), 0, phases);
    yield* phase(featureGramSteps(pooled, k, seed, '', rff, 1), 1, phases);
    const diffs: SpecDiff[] = [];
    for (const G of [exact, rff]) {
      const g = G.view;
      for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) g[i * s + j] *= a[i] * a[j];
      const res = yield* phase(covarianceEigsSteps(G, s, nx, 1, seed, false), 2 + diffs.length, phases);
      // 0 is always an eigenvalue: the Gaussian's feature space outnumbers the samples.
      let lmax = 0,
        lmin = 0;
      for (const v of res.values) {
        lmax = Math.max(lmax, v);
        lmin = Math.min(lmin, v);
      }
      diffs.push(specDiffOf(lmax, lmin));
    }
    return { exact: diffs[0], rff: diffs[1] };
  } finally {
    sc.free();
  }
}

/**
 * out = scale·K of the rows of m with the exact kernel, in f64 from the rows
 * (Gaussian from coordinate differences, exp in wasm; cosine rows normalised in
 * f64), in row steps of ~STEP_MS/2.
 */
function* exactGramSteps(m: Matrix, k: Kernel, out: F64, scale: number): Generator<Step, void> {
  const { rows: s, cols: d } = m,
    sc = new Scope();
  try {
    const P = sc.f64(s * d, 'sample rows in f64');
    const x = P.view;
    x.set(m.data);
    if (k.type === 'cosine') {
      for (let i = 0; i < s; i++) {
        let big = 0;
        for (let c = i * d; c < (i + 1) * d; c++) big = Math.max(big, Math.abs(x[c]));
        let ss = 0;
        for (let c = i * d; c < (i + 1) * d; c++) {
          const v = x[c] / big;
          ss += v * v;
        }
        const norm = Math.sqrt(ss);
        for (let c = i * d; c < (i + 1) * d; c++) x[c] = x[c] / big / norm;
      }
    }
    const sizer = new WorkSizer(STEP_MS / 2, 16 * s * d);
    for (let i = 0; i < s; ) {
      const budget = sizer.units();
      let i1 = i,
        units = 0;
      do units += (s - i1++) * d;
      while (i1 < s && units + (s - i1) * d <= budget);
      sizer.start();
      for (; i < i1; i++) {
        gramRowF64(P, s, d, i, i, k.type === 'gaussian', out, i * s + i);
        if (k.type === 'gaussian') expNegScaled(out, i * s + i, s - i, 1 / (2 * k.sigma * k.sigma));
        const g = out.view;
        for (let j = i; j < s; j++) {
          const v = g[i * s + j] * scale;
          g[i * s + j] = v;
          g[j * s + i] = v;
        }
      }
      sizer.stop(units);
      yield { done: i, total: s, message: 'sample kernel rows' };
    }
  } finally {
    sc.free();
  }
}

/** out = scale·ΦΦᵀ for the run's feature map of the rows of m (f32 features, products summed in f64 as on the n ≤ D route). */
function* featureGramSteps(m: Matrix, k: Kernel, seed: number, side: string, out: F64, scale: number): Generator<Step, void> {
  const { rows: s, cols: d } = m,
    sc = new Scope();
  const map = new FeatureMap(k, d, seed, side);
  try {
    const x = sc.f32(s * d, 'sample rows'),
      phi = sc.f32(s * map.D, `sample features (${s} × ${map.D})`);
    x.view.set(m.data);
    const sizer = new WorkSizer(STEP_MS / 2, 16);
    for (let r0 = 0; r0 < s; ) {
      const rows = Math.min(s - r0, Math.max(1, Math.floor(sizer.units())));
      sizer.start();
      map.apply(x, rows, phi, r0, 'sample', r0 * map.D, map.D, r0 * d);
      sizer.stop(rows);
      r0 += rows;
      yield { done: r0, total: s, message: 'sample feature rows' };
    }
    yield* gramSteps(phi, s, map.D, 'linear', 0, out, scale);
  } finally {
    sc.free();
    map.free();
  }
}
