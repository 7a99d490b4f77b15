// compare()'s exact route (docs/design.md §1): KX and KY as n × n matrices from the
// kernels themselves (no approximation), Λ = KX − η·KY, its extreme eigenpairs by
// Lanczos, and the modes' top samples. Every stage runs in steps of ≤ ~50 ms with
// yields (Gram row blocks, slices of Lanczos steps).
import { Scope, f64, type WasmArray } from '../../wasm/memory.js';
import { InputError } from '../../errors.js';
import type { Matrix } from '../../types/index.js';
import { toMatrix, checkFinite, checkNonZeroRows } from '../../validate/checks.js';
import { readAll, type RowSource } from '../../validate/source.js';
import type { Kernel } from '../../features/kernel.js';
import type { SpecJob, SpecOutcome } from '../../features/job.js';
import { CHUNK_ROWS } from '../../sums/spec-sums.js';
import { gramSteps, gramRowF64, expNegScaled } from '../../wasm/gram.js';
import { daxpy } from '../../wasm/blas1.js';
import { DEFAULT_MAX_RESTARTS, extremeEigsSteps } from '../../solve/eigen.js';
import { type Cooperative, drive, lap } from '../../runtime/cooperative.js';
import { TopSamples, selectModes, specDiffOf, buildModes } from '../../score/modes.js';
import { maxAbs, powerOfTwoScale } from '../../features/scale.js';
import { parallelGram } from '../../runtime/gram.js';
import type { SpecMetricsSink } from '../../significance/compare-metrics.js';

/** Beyond this n the two n × n f64 kernels no longer fit in wasm memory. */
export const EXACT_MAX = 11000;
/**
 * Exact-route eigenvalues with |λ| ≤ EXACT_NOISE·(trace KX + η·trace KY) are round-off:
 * the kernel entries come from f32 products (unit round-off u = 2⁻²⁴) summed in f64,
 * so each carries a relative error of a few u, and ‖E‖₂ ≤ ‖E‖_F stays within ~16u of the trace.
 */
export const EXACT_NOISE = 16 * 2 ** -24;

/** Distinct computed eigenvalues (the two lists may share entries) within the noise floor. */
function countNoise(values: ArrayLike<number>, floor: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && Math.abs(values[i]) <= floor) seen.add(values[i]);
  return seen.size;
}

/** Rows of the in-memory exact-route inputs checked and scaled per step (~a few ms per 1M values). */
const PREP_VALUES = 1 << 19;

/**
 * Reads one side whole and writes its scale-free f32 copy into `buf` (unit rows
 * for cosine, centred rows over σ for the Gaussian, the values for linear),
 * checking values on the way unless the caller did (`checkValues`), in steps
 * with yields. Reading and checking are booked as `read`, the copy as
 * `features`. Returns the linear side's scale c (1 otherwise).
 */
async function prepareSide(
  s: RowSource,
  k: Kernel,
  buf: WasmArray<Float32Array>,
  checkValues: boolean,
  coop: Cooperative,
  base: number,
  total: number,
  timings: Record<string, number>,
): Promise<number> {
  let t = performance.now();
  const m = toMatrix(readAll(s), s.name, 0, false);
  const step = Math.max(1, Math.floor(PREP_VALUES / m.cols));
  let mean: Float64Array | null = null;
  let big = 0;
  for (let r0 = 0; r0 < m.rows; r0 += step) {
    const part = { data: m.data.subarray(r0 * m.cols, Math.min(m.rows, r0 + step) * m.cols), rows: Math.min(step, m.rows - r0), cols: m.cols };
    if (checkValues) checkFinite(part, s.name, r0);
    if (k.type === 'cosine') checkNonZeroRows(part, s.name, r0);
    t = lap(timings, 'read', t);
    if (k.type === 'gaussian') mean = addMean(part, m.rows, mean);
    if (k.type === 'linear') big = maxAbs(part.data, big);
    t = lap(timings, 'features', t);
    coop.progress('features', base + Math.floor((r0 + part.rows) / 2), total, 'rows checked and scaled');
    await coop.tick();
    t = performance.now();
  }
  const c = k.type === 'linear' ? powerOfTwoScale(big) : 1;
  t = performance.now();
  for (let r0 = 0; r0 < m.rows; r0 += step) {
    const r1 = Math.min(m.rows, r0 + step);
    // A fresh view per step: wasm memory may grow (detaching views) while we yield.
    const out = buf.view;
    if (k.type === 'cosine') writeUnitRows(m, out, r0, r1);
    else if (k.type === 'gaussian') writeCentredScaled(m, k.sigma, mean!, out, s.name, r0, r1);
    else for (let i = r0 * m.cols; i < r1 * m.cols; i++) out[i] = m.data[i] * c;
    lap(timings, 'features', t);
    coop.progress('features', base + Math.floor((m.rows + r1) / 2), total, 'rows checked and scaled');
    await coop.tick();
    t = performance.now();
  }
  return c;
}

/** Adds the rows of `part` / n into the column means. */
function addMean(part: Matrix, n: number, mean: Float64Array | null): Float64Array {
  const { rows, cols, data } = part;
  const out = mean ?? new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += data[i * cols + j] / n;
  return out;
}

/**
 * Fills out = (1/n)·K of one side (full n × n f64), cooperatively: `rowBase`
 * and `rowTotal` place its rows in the stage's progress. Resolves with the
 * workers that computed it (0: in process).
 */
export type SideGram = (side: 'X' | 'Y', out: WasmArray<Float64Array>, coop: Cooperative, rowBase: number, rowTotal: number) => Promise<number>;

/**
 * Up to this n²·d the exact route forms K entirely in f64 from the data (a few
 * tens of ms): small problems then match an f64 reference to ~1e-12 instead of
 * carrying the f32 products' ~1e-7 (duplicated rows, tight clusters).
 */
const SMALL_GRAM_WORK = 2e7;

/** out = (1/n)·K in f64 from the rows of `src` (cosine rows normalised in f64; Gaussian from coordinate differences, exp in wasm). */
function smallGramF64(src: RowSource, k: Kernel, out: WasmArray<Float64Array>, n: number): void {
  const d = src.cols;
  const P = f64(n * d, `${src.name} rows in f64`);
  try {
    const rows = src.read(0, n);
    const x = P.view;
    x.set(rows);
    if (k.type === 'cosine') {
      for (let i = 0; i < n; i++) {
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
    for (let i = 0; i < n; i++) {
      gramRowF64(P, n, d, i, i, k.type === 'gaussian', out, i * n + i);
      if (k.type === 'gaussian') expNegScaled(out, i * n + i, n - i, 1 / (2 * k.sigma * k.sigma));
      const g = out.view;
      for (let j = i; j < n; j++) {
        const v = g[i * n + j] / n;
        g[i * n + j] = v;
        g[j * n + i] = v;
      }
    }
  } finally {
    P.free();
  }
}

/** Λ up to this size is eigendecomposed whole (syev, ~15 ms at 200): exact for repeated eigenvalues too. */
const DENSE_UP_TO = 200;

/** Rows of an n × n f64 matrix per step of a cheap pass over it (Λ = KX − η·KY). */
const AXPY_ROWS = 256;

/**
 * The exact route. `sideGram` replaces how each side's matrix is formed (the
 * covariance route uses it for n ≤ D with the Gram of the feature maps). Time
 * the sides book as `read` or `features` while the kernels are formed is not
 * counted again in `gram`.
 */
export async function exactRoute(
  job: SpecJob,
  coop: Cooperative,
  timings: Record<string, number>,
  sideGram?: SideGram,
  sink?: SpecMetricsSink,
): Promise<SpecOutcome> {
  const { n } = job;
  let t = performance.now();
  const sc = new Scope();
  try {
    const K = sc.f64(n * n, `kernel matrix (${n} × ${n})`);
    const KY = sc.f64(n * n, `kernel matrix (${n} × ${n})`);
    const booked = () => (timings.read ?? 0) + (timings.features ?? 0) + (timings.metrics ?? 0);
    const b0 = booked();
    const { scale, workers } = await formLambda(job, K, KY, sc, coop, timings, sideGram, sink);
    t = lap(timings, 'gram', t);
    timings.gram -= booked() - b0;
    // In the Lanczos driver's units (restarts, at most DEFAULT_MAX_RESTARTS; it stops when converged).
    coop.progress('solve', 0, DEFAULT_MAX_RESTARTS, 'Lanczos');
    const res = await drive(extremeEigsSteps({ kind: 'dense', A: K, n }, Math.min(job.topK, n), { seed: job.seed, denseUpTo: DENSE_UP_TO }), coop, 'solve');
    t = lap(timings, 'solve', t);
    const out = await modesOf(job, res, EXACT_NOISE * Math.max(scale, Number.MIN_VALUE), coop);
    lap(timings, 'scores', t);
    return workers > 0 ? { ...out, threads: workers } : out;
  } finally {
    sc.free();
  }
}

/**
 * K ← Λ = KX − η·KY (KY is work space, freed at the end); returns
 * trace KX + η·trace KY, the scale of the noise floor, and the most workers a side used.
 */
async function formLambda(
  job: SpecJob,
  K: WasmArray<Float64Array>,
  KY: WasmArray<Float64Array>,
  sc: Scope,
  coop: Cooperative,
  timings: Record<string, number>,
  sideGram?: SideGram,
  sink?: SpecMetricsSink,
): Promise<{ scale: number; workers: number }> {
  const { n } = job;
  const gramOf = sideGram ?? (await dataGrams(job, sc, coop, timings));
  // One bar per side (its n kernel rows), named by the side.
  const sideRows = (side: 'X' | 'Y', out: WasmArray<Float64Array>) => coop.within({ side }, () => gramOf(side, out, coop, 0, n));
  const workers = Math.max(await sideRows('X', K), await sideRows('Y', KY));
  // CKA (and the permutation test's centred kernels) read both kernels before Λ overwrites KX
  if (sink) {
    const t0 = performance.now();
    await coop.within({ label: 'metrics: kernel CKA' }, () => sink.grams(K, KY, n, coop));
    timings.metrics = (timings.metrics ?? 0) + (performance.now() - t0) / 1000;
  }
  let scale = 0;
  {
    const a = K.view,
      b = KY.view;
    for (let i = 0; i < n; i++) scale += a[i * n + i] + job.eta * b[i * n + i];
  }
  // Λ = KX − η·KY, in row blocks (one n² pass is ~150 ms at n = 11000).
  for (let r0 = 0; r0 < n; r0 += AXPY_ROWS) {
    const rows = Math.min(AXPY_ROWS, n - r0);
    daxpy(rows * n, -job.eta, KY, K, r0 * n, r0 * n);
    await coop.tick();
  }
  KY.free();
  return { scale, workers };
}

/**
 * Each side's (1/n)·K from its data. Both sides are checked (and made
 * scale-free) before either Gram is formed, so bad input fails fast: unit rows
 * for cosine, centred rows over σ for the Gaussian (both kernels are invariant
 * to that), linear rows times a power of two c (K then times 1/c² in f64), so
 * the f32 products neither underflow nor overflow.
 */
async function dataGrams(job: SpecJob, sc: Scope, coop: Cooperative, timings: Record<string, number>): Promise<SideGram> {
  const { n } = job;
  const sides = { X: { src: job.sx, k: job.kx }, Y: { src: job.sy, k: job.ky } };
  const prepared = { X: null as { buf: WasmArray<Float32Array>; c: number } | null, Y: null as { buf: WasmArray<Float32Array>; c: number } | null };
  for (const side of ['X', 'Y'] as const) {
    const { src, k } = sides[side];
    const buf = sc.f32(n * src.cols, `${side} data`);
    prepared[side] = { buf, c: await coop.within({ side }, () => prepareSide(src, k, buf, !job.inMemory, coop, 0, n, timings)) };
  }
  return async (side, out, coop, base, total) => {
    coop.progress('gram', base, total, 'kernel rows');
    const { src, k } = sides[side];
    const { buf, c } = prepared[side]!;
    let workers = 0;
    if (n * n * src.cols <= SMALL_GRAM_WORK) {
      smallGramF64(src, k, out, n);
      coop.progress('gram', base + n, total, 'kernel rows');
    } else {
      const kind = k.type === 'cosine' ? 'linear' : k.type,
        scale = 1 / n / (c * c);
      // Gaussian rows are already over σ: γ = 1/2.
      const spec = { n, d: src.cols, kind, gamma: kind === 'gaussian' ? 0.5 : 0, scale, name: src.name };
      workers = await parallelGram(buf, spec, out, job.threads, coop, base, total);
      if (!workers) await drive(gramSteps(buf, n, src.cols, kind, 1, out, scale, undefined, base, total), coop, 'gram');
    }
    buf.free();
    return workers;
  };
}

/** The modes of the eigenpairs `res` of Λ above the noise floor, with their top samples. */
async function modesOf(job: SpecJob, res: { values: Float64Array; vectors: Float64Array[] }, floor: number, coop: Cooperative): Promise<SpecOutcome> {
  const { n } = job;
  let lmax = -Infinity,
    lmin = Infinity;
  for (const v of res.values) {
    lmax = Math.max(lmax, v);
    lmin = Math.min(lmin, v);
  }
  // Λ has n eigenvalues: with 2k > n the two lists overlap and are deduplicated here.
  const chosen = selectModes(res.values, job.topK, floor, Math.min(job.topK, n));
  const kk = chosen.length;
  const top = new TopSamples(kk, job.samplesPerMode, n, job.returnScores);
  const block = new Float64Array(Math.min(n, CHUNK_ROWS) * Math.max(kk, 1));
  coop.progress('scores', 0, n, 'rows');
  for (let r0 = 0; r0 < n; r0 += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, n - r0);
    for (let j = 0; j < kk; j++) {
      const u = res.vectors[chosen[j].column];
      for (let i = 0; i < rows; i++) block[i * kk + j] = u[r0 + i];
    }
    top.addRows(block, rows, r0);
    coop.progress('scores', r0 + rows, n, 'rows');
    await coop.tick();
  }
  return {
    eigenvalues: Float64Array.from(chosen.map((c) => c.value)),
    modes: buildModes(chosen, top.finish()),
    specDiff: specDiffOf(lmax, lmin, floor),
    noiseDropped: countNoise(res.values, floor),
  };
}

/** Rows [r0, r1) scaled to unit length in f64 (no under- or overflow at any finite scale), as f32. */
function writeUnitRows(m: Matrix, out: Float32Array, r0: number, r1: number): void {
  const { cols, data } = m;
  for (let i = r0; i < r1; i++) {
    const o = i * cols;
    let big = 0;
    for (let j = 0; j < cols; j++) big = Math.max(big, Math.abs(data[o + j]));
    let ss = 0;
    for (let j = 0; j < cols; j++) {
      const v = data[o + j] / big;
      ss += v * v;
    }
    const norm = Math.sqrt(ss);
    for (let j = 0; j < cols; j++) out[o + j] = data[o + j] / big / norm;
  }
}

/** Rows [r0, r1) as (x − mean)/σ in f32: the Gaussian kernel is translation invariant, and f32 squared norms then cannot overflow. */
function writeCentredScaled(m: Matrix, sigma: number, mean: Float64Array, out: Float32Array, side: string, r0: number, r1: number): void {
  const { cols, data } = m;
  for (let i = r0; i < r1; i++) {
    for (let j = 0; j < cols; j++) {
      const v = (data[i * cols + j] - mean[j]) / sigma;
      if (!(Math.abs(v) <= 1e18)) {
        throw new InputError(
          `sigma = ${sigma} is too small for the data of ${side}: (x − mean)/sigma reaches ${v.toExponential(2)}, beyond float32 range for squared distances`,
          side,
        );
      }
      out[i * cols + j] = v;
    }
  }
}
