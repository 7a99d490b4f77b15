// compare(): SPEC on two embeddings of the same samples (docs/design.md §1), by the
// exact route (n × n kernels, small n) or the covariance route (linear in n).
import { init, wasm } from './wasm/loader.js';
import { Scope, MAX_BLOCK_BYTES, type WasmArray } from './wasm/memory.js';
import { FeatureMap } from './feature-map.js';
import { InputError } from './errors.js';
import type { CompareOptions, Matrix, MatrixLike, SpecResult } from './types.js';
import { toMatrix, checkFinite, checkSameRows, checkNonZeroRows, etaOf, positiveInt, seedOf } from './validate.js';
import { matrixSource, readAll, sampleRows, type RowSource } from './source.js';
import { parseKernel, resolveSigma, featureDim, kernelInfo, type Kernel } from './kernel-spec.js';
import { SpecAccumulator, CHUNK_ROWS, kernelOption, checkCovarianceSize } from './accumulator.js';
import { gramSteps } from './wasm/gram.js';
import { extremeEigsSteps } from './solver/eigen.js';
import { Cooperative, StepSizer, drive, shifted, type Step } from './cooperative.js';
import { TopSamples, selectModes, specDiffOf, buildModes } from './modes.js';
import { parallelCompare } from './parallel/spec.js';
import { offload } from './parallel/offload.js';
import { threadsOption, workerOption } from './parallel/plan.js';

/** `method: 'auto'` takes the exact route up to this many samples (or while n ≤ D). */
export const EXACT_MAX_AUTO = 4000;
/** Beyond this n the two n × n f64 kernels no longer fit in wasm memory. */
export const EXACT_MAX = 11000;
/**
 * Exact-route eigenvalues with |λ| ≤ EXACT_NOISE·(trace KX + η·trace KY) are round-off:
 * the kernel entries come from f32 products (unit round-off u = 2⁻²⁴) summed in f64,
 * so each carries a relative error of a few u, and ‖E‖₂ ≤ ‖E‖_F stays within ~16u of the trace.
 */
export const EXACT_NOISE = 16 * 2 ** -24;

interface Resolved {
  sx: RowSource;
  sy: RowSource;
  n: number;
  kx: Kernel;
  ky: Kernel;
  eta: number;
  topK: number;
  seed: number;
  samplesPerMode: number;
  returnScores: boolean;
  /** The data are in memory anyway: trade memory for recomputing features. */
  cacheFeatures: boolean;
}

function resolve(sx: RowSource, sy: RowSource, o: CompareOptions): Resolved {
  if (sx.rows !== sy.rows) {
    throw new InputError(`row counts differ: ${sx.name} has ${sx.rows} rows, ${sy.name} has ${sy.rows}; both must describe the same samples`);
  }
  if (sx.rows < 1) throw new InputError('has no rows', sx.name);
  const eta = etaOf(o.eta);
  const topK = positiveInt(o.topK, 'topK', 10);
  const samplesPerMode = positiveInt(o.samplesPerMode, 'samplesPerMode', 20);
  const seed = seedOf(o.seed);
  if (o.method !== undefined && !['auto', 'exact', 'covariance'].includes(o.method)) {
    throw new InputError(`method must be auto, exact or covariance, got ${String(o.method)}`);
  }
  const rx = parseKernel(o.kernelX ?? o.kernel, 'X');
  const ry = parseKernel(o.kernelY ?? o.kernel, 'Y');
  const kx = resolveSigma(rx, rx.type === 'gaussian' && rx.sigma === 'auto' ? sampleRows(sx, seed) : EMPTY, seed, sx.name);
  const ky = resolveSigma(ry, ry.type === 'gaussian' && ry.sigma === 'auto' ? sampleRows(sy, seed) : EMPTY, seed, sy.name);
  return { sx, sy, n: sx.rows, kx, ky, eta, topK, seed, samplesPerMode, returnScores: !!o.returnScores, cacheFeatures: false };
}

const EMPTY: Matrix = { data: new Float32Array(0), rows: 0, cols: 0 };

function chooseMethod(r: Resolved, method: CompareOptions['method']): { method: 'exact' | 'covariance'; reason: string } {
  const D = featureDim(r.kx, r.sx.cols) + featureDim(r.ky, r.sy.cols);
  if (method === 'exact') {
    if (r.n > EXACT_MAX) throw new InputError(`method 'exact' needs two ${r.n} × ${r.n} kernel matrices, more than WebAssembly memory holds (n ≤ ${EXACT_MAX}); use 'covariance'`);
    return { method: 'exact', reason: 'requested' };
  }
  if (method === 'covariance') return { method: 'covariance', reason: 'requested' };
  if (r.n <= EXACT_MAX && r.n <= D) return { method: 'exact', reason: `n = ${r.n} ≤ D = ${D}: the n × n kernels are the smaller problem` };
  if (r.n <= EXACT_MAX_AUTO) return { method: 'exact', reason: `n = ${r.n} ≤ ${EXACT_MAX_AUTO}: exact kernels are cheap and free of RFF error` };
  return { method: 'covariance', reason: `n = ${r.n} > max(${EXACT_MAX_AUTO}, D = ${D}): the D × D covariance is linear in n` };
}

/**
 * Compares two embeddings of the same n samples: the eigenpairs of
 * Λ = KX − η·KY with the largest and the most negative eigenvalues, as modes
 * (clusters X has and Y lacks, side 'x', and the reverse, side 'y'), their top
 * samples, and SPEC-diff.
 */
export async function compare(X: MatrixLike, Y: MatrixLike, options: CompareOptions = {}): Promise<SpecResult> {
  await init();
  // Shapes now; values are scanned by run() in steps (a 10000 × 768 scan is ~50 ms).
  const mx = toMatrix(X, 'X', 0, false), my = toMatrix(Y, 'Y', 0, false);
  checkSameRows(mx, my);
  // src/parallel: `worker: true` runs the whole analysis in a worker (null: none here).
  if (workerOption(options.worker)) return (await offload<SpecResult>('compare', mx, my, options)) ?? run(matrixSource(mx, 'X'), matrixSource(my, 'Y'), options, true, [mx, my]);
  return run(matrixSource(mx, 'X'), matrixSource(my, 'Y'), options, true, [mx, my]);
}

/**
 * `compare` over row sources read in chunks (for example .npy files streamed
 * from disk): on the covariance route the data are read twice (accumulate,
 * then score) and never held whole in memory.
 */
export async function compareSources(sx: RowSource, sy: RowSource, options: CompareOptions = {}): Promise<SpecResult> {
  return run(sx, sy, options, false);
}

async function run(sx: RowSource, sy: RowSource, options: CompareOptions, inMemory: boolean, check: Matrix[] = []): Promise<SpecResult> {
  await init();
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  // σ = auto (the seeded sample's median distance) is timed as its own stage
  const r = resolve(sx, sy, options);
  r.cacheFeatures = inMemory;
  if (r.kx.type === 'gaussian' || r.ky.type === 'gaussian') timings.sigma = (performance.now() - t0) / 1000;
  const choice = chooseMethod(r, options.method ?? 'auto');
  const coop = new Cooperative(options.signal, options.onProgress);
  for (const [i, m] of check.entries()) await checkFiniteSteps(m, i === 0 ? 'X' : 'Y', coop);
  threadsOption(options.threads);
  // Two linear sides far from unit scale: read both scaled by one power of two c, so
  // every route works on Λ' = c²Λ (same eigenvectors) in f32 range; λ = λ'/c² below.
  const c = choice.method === 'covariance' ? linearScale(r) : 1;
  if (c !== 1) { r.sx = scaledSource(r.sx, c); r.sy = scaledSource(r.sy, c); }
  // src/parallel: `threads` > 1 spreads the covariance route over workers (null: in process).
  const par = choice.method === 'covariance' ? await parallelCompare(r, options, timings, EXACT_MAX) : null;
  const result = par ?? (choice.method === 'exact' ? await exactRoute(r, coop, timings) : await covarianceRoute(r, coop, timings));
  if (c !== 1) unscale(result, 1 / (c * c));
  timings.total = (performance.now() - t0) / 1000;
  return {
    n: r.n,
    method: choice.method,
    methodReason: choice.reason,
    eta: r.eta,
    kernelX: kernelInfo(r.kx, choice.method),
    kernelY: kernelInfo(r.ky, choice.method),
    ...result,
    timings,
  };
}

/** The common power-of-two scale of two linear sides, from the seeded sample rows (1: no scaling needed). */
function linearScale(r: Resolved): number {
  if (r.kx.type !== 'linear' || r.ky.type !== 'linear') return 1;
  let big = 0;
  for (const src of [r.sx, r.sy]) big = maxAbs(sampleRows(src, r.seed).data, big);
  return powerOfTwoScale(big);
}

/** A source whose rows read times c (exact for a power of two), as f32 like every source's consumer expects. */
function scaledSource(s: RowSource, c: number): RowSource {
  return {
    ...s,
    read: (start, count) => {
      const d = s.read(start, count);
      const out = new Float32Array(d.length);
      for (let i = 0; i < d.length; i++) out[i] = d[i] * c;
      return out;
    },
  };
}

/** Eigenvalues and SPEC-diff of Λ' = c²Λ back to Λ (f = 1/c²); the unit eigenvectors are the same. */
function unscale(res: RouteResult, f: number): void {
  for (let i = 0; i < res.eigenvalues.length; i++) res.eigenvalues[i] *= f;
  for (const m of res.modes) m.eigenvalue *= f;
  res.specDiff = { xNotY: res.specDiff.xNotY * f, yNotX: res.specDiff.yNotX * f, norm: res.specDiff.norm * f };
}

/** checkFinite over a whole matrix in steps of PREP_VALUES values, yielding between them. */
async function checkFiniteSteps(m: Matrix, name: string, coop: Cooperative): Promise<void> {
  const step = Math.max(1, Math.floor(PREP_VALUES / m.cols));
  for (let r0 = 0; r0 < m.rows; r0 += step) {
    const rows = Math.min(step, m.rows - r0);
    checkFinite({ data: m.data.subarray(r0 * m.cols, (r0 + rows) * m.cols), rows, cols: m.cols }, name, r0);
    await coop.tick();
  }
}

type RouteResult = Pick<SpecResult, 'eigenvalues' | 'modes' | 'specDiff' | 'noiseDropped'>;

/** Distinct computed eigenvalues (the two lists may share entries) within the noise floor. */
function countNoise(values: ArrayLike<number>, floor: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && Math.abs(values[i]) <= floor) seen.add(values[i]);
  return seen.size;
}

function lap(timings: Record<string, number>, key: string, t: number): number {
  const now = performance.now();
  timings[key] = (timings[key] ?? 0) + (now - t) / 1000;
  return now;
}

/** Rows of the in-memory exact-route inputs checked and scaled per step (~a few ms per 1M values). */
const PREP_VALUES = 1 << 19;

/**
 * Reads one side whole and writes its scale-free f32 copy into `buf` (unit rows
 * for cosine, centred rows over σ for the Gaussian, the values for linear),
 * checking values on the way, in steps with yields.
 */
async function prepareSide(s: RowSource, k: Kernel, buf: WasmArray<Float32Array>, side: string, coop: Cooperative, base: number, total: number): Promise<number> {
  const m = toMatrix(readAll(s), s.name, 0, false);
  const step = Math.max(1, Math.floor(PREP_VALUES / m.cols));
  let mean: Float64Array | null = null;
  let big = 0;
  for (let r0 = 0; r0 < m.rows; r0 += step) {
    const part = { data: m.data.subarray(r0 * m.cols, Math.min(m.rows, r0 + step) * m.cols), rows: Math.min(step, m.rows - r0), cols: m.cols };
    checkFinite(part, s.name, r0);
    if (k.type === 'cosine') checkNonZeroRows(part, s.name, r0);
    if (k.type === 'gaussian') mean = addMean(part, m.rows, mean);
    if (k.type === 'linear') big = maxAbs(part.data, big);
    coop.progress('features', base + Math.floor((r0 + part.rows) / 2), total, 'rows checked and scaled');
    await coop.tick();
  }
  const c = k.type === 'linear' ? powerOfTwoScale(big) : 1;
  for (let r0 = 0; r0 < m.rows; r0 += step) {
    const r1 = Math.min(m.rows, r0 + step);
    // A fresh view per step: wasm memory may grow (detaching views) while we yield.
    const out = buf.view;
    if (k.type === 'cosine') writeUnitRows(m, out, r0, r1);
    else if (k.type === 'gaussian') writeCentredScaled(m, k.sigma, mean!, out, side, r0, r1);
    else for (let i = r0 * m.cols; i < r1 * m.cols; i++) out[i] = m.data[i] * c;
    coop.progress('features', base + Math.floor((m.rows + r1) / 2), total, 'rows checked and scaled');
    await coop.tick();
  }
  return c;
}

/** max(big, max |x|) over a block of values. */
function maxAbs(data: ArrayLike<number>, big: number): number {
  for (let i = 0; i < data.length; i++) { const a = Math.abs(data[i]); if (a > big) big = a; }
  return big;
}

/**
 * A power of two that brings values of size `big` near 1: the linear kernel's f32
 * products of 1e-25 would underflow and of 1e25 overflow, and a power of two
 * scales without rounding. 1 inside [2⁻²⁰, 2²⁰] (ordinary data are left alone).
 */
function powerOfTwoScale(big: number): number {
  if (!(big > 0) || (big >= 2 ** -20 && big <= 2 ** 20)) return 1;
  return 2 ** -Math.round(Math.log2(big));
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
 * and `rowTotal` place its rows in the stage's progress.
 */
type SideGram = (side: 'X' | 'Y', out: WasmArray<Float64Array>, coop: Cooperative, rowBase: number, rowTotal: number) => Promise<void>;

/**
 * Up to this n²·d the exact route forms K entirely in f64 from the data (a few
 * tens of ms): small problems then match an f64 reference to ~1e-12 instead of
 * carrying the f32 products' ~1e-7 (duplicated rows, tight clusters).
 */
const SMALL_GRAM_WORK = 2e7;

/** out = (1/n)·K in f64 from the rows of `src` (cosine rows normalised in f64; Gaussian from coordinate differences, exp in wasm). */
function smallGramF64(src: RowSource, k: Kernel, out: WasmArray<Float64Array>, n: number): void {
  const d = src.cols;
  const x = Float64Array.from(src.read(0, n));
  if (k.type === 'cosine') {
    for (let i = 0; i < n; i++) {
      let big = 0;
      for (let c = i * d; c < (i + 1) * d; c++) big = Math.max(big, Math.abs(x[c]));
      let ss = 0;
      for (let c = i * d; c < (i + 1) * d; c++) { const v = x[c] / big; ss += v * v; }
      const norm = Math.sqrt(ss);
      for (let c = i * d; c < (i + 1) * d; c++) x[c] = x[c] / big / norm;
    }
  }
  const g = out.view;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      if (k.type === 'gaussian') for (let c = 0; c < d; c++) { const t = x[i * d + c] - x[j * d + c]; s += t * t; }
      else for (let c = 0; c < d; c++) s += x[i * d + c] * x[j * d + c];
      g[i * n + j] = s;
    }
    if (k.type === 'gaussian') wasm().expNegScaled(out.ptr + 8 * (i * n + i), n - i, 1 / (2 * k.sigma * k.sigma));
    for (let j = i; j < n; j++) { const v = g[i * n + j] / n; g[i * n + j] = v; g[j * n + i] = v; }
  }
}

/** Rows of an n × n f64 matrix per step of a cheap pass over it (Λ = KX − η·KY). */
const AXPY_ROWS = 256;

/**
 * The exact route: KX and KY from the kernels themselves (no approximation).
 * `sideGram` replaces how each side's matrix is formed (the covariance route
 * uses it for n ≤ D with the Gram of the feature maps). Every stage runs in
 * steps of ≤ ~50 ms with yields (Gram row blocks, slices of Lanczos steps).
 */
async function exactRoute(r: Resolved, coop: Cooperative, timings: Record<string, number>, sideGram?: SideGram): Promise<RouteResult> {
  const { n } = r;
  let t = performance.now();
  const sc = new Scope();
  try {
    const K = sc.f64(n * n, `kernel matrix (${n} × ${n})`);
    const KY = sc.f64(n * n, `kernel matrix (${n} × ${n})`);
    // Both sides are checked (and made scale-free) before either Gram is formed: bad input fails fast.
    const bufs = { X: null as WasmArray<Float32Array> | null, Y: null as WasmArray<Float32Array> | null };
    const factor = { X: 1, Y: 1 };
    if (!sideGram) {
      for (const [src, k, side] of [[r.sx, r.kx, 'X'], [r.sy, r.ky, 'Y']] as const) {
        const buf = (bufs[side] = sc.f32(n * src.cols, `${side} data`));
        // Unit rows for cosine, centred rows over σ for the Gaussian (both kernels
        // are invariant to that), linear rows times a power of two c (K then times
        // 1/c² in f64): inputs whose f32 products neither underflow nor overflow.
        factor[side] = await prepareSide(src, k, buf, side, coop, side === 'X' ? 0 : n, 2 * n);
      }
    }
    const gramOf = async (src: RowSource, k: Kernel, out: typeof K, side: 'X' | 'Y') => {
      const base = side === 'X' ? 0 : n;
      if (sideGram) return sideGram(side, out, coop, base, 2 * n);
      const buf = bufs[side]!;
      if (n * n * src.cols <= SMALL_GRAM_WORK) {
        smallGramF64(src, k, out, n);
        coop.progress('gram', base + n, 2 * n, 'kernel rows');
        buf.free();
        return;
      }
      const f = factor[side];
      await drive(gramSteps(buf, n, src.cols, k.type === 'cosine' ? 'linear' : k.type, k.type === 'gaussian' ? 1 : k.sigma, out, 1 / n / (f * f), undefined, base, 2 * n), coop, 'gram');
      buf.free();
    };
    coop.progress('gram', 0, 2 * n, 'kernel rows');
    await gramOf(r.sx, r.kx, K, 'X');
    await gramOf(r.sy, r.ky, KY, 'Y');
    let scale = 0;
    { const a = K.view, b = KY.view; for (let i = 0; i < n; i++) scale += a[i * n + i] + r.eta * b[i * n + i]; }
    // Λ = KX − η·KY, in row blocks (one n² pass is ~150 ms at n = 11000).
    const ex = wasm();
    for (let r0 = 0; r0 < n; r0 += AXPY_ROWS) {
      const rows = Math.min(AXPY_ROWS, n - r0);
      ex.daxpy(rows * n, -r.eta, KY.ptr + 8 * r0 * n, K.ptr + 8 * r0 * n);
      await coop.tick();
    }
    KY.free();
    t = lap(timings, 'gram', t);
    coop.progress('solve', 0, 1, 'Lanczos');
    const res = await drive(extremeEigsSteps({ kind: 'dense', A: K, n }, Math.min(r.topK, n), { seed: r.seed }), coop, 'solve');
    // Λ has n eigenvalues: with 2k > n the two lists overlap and are deduplicated below.
    coop.progress('solve', 1, 1, 'Lanczos');
    t = lap(timings, 'solve', t);
    let lmax = -Infinity, lmin = Infinity;
    for (const v of res.values) { lmax = Math.max(lmax, v); lmin = Math.min(lmin, v); }
    const k = Math.min(r.topK, n);
    const floor = EXACT_NOISE * Math.max(scale, Number.MIN_VALUE);
    const chosen = selectModes(res.values, r.topK, floor, k);
    const noiseDropped = countNoise(res.values, floor);
    const kk = chosen.length;
    const top = new TopSamples(kk, r.samplesPerMode, n, r.returnScores);
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
    lap(timings, 'scores', t);
    return {
      eigenvalues: Float64Array.from(chosen.map((c) => c.value)),
      modes: buildModes(chosen, top.finish()),
      specDiff: specDiffOf(lmax, lmin),
      noiseDropped,
    };
  } finally {
    sc.free();
  }
}

/** Rows [r0, r1) scaled to unit length in f64 (no under- or overflow at any finite scale), as f32. */
function writeUnitRows(m: Matrix, out: Float32Array, r0: number, r1: number): void {
  const { cols, data } = m;
  for (let i = r0; i < r1; i++) {
    const o = i * cols;
    let big = 0;
    for (let j = 0; j < cols; j++) big = Math.max(big, Math.abs(data[o + j]));
    let ss = 0;
    for (let j = 0; j < cols; j++) { const v = data[o + j] / big; ss += v * v; }
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
        throw new InputError(`sigma = ${sigma} is too small for the data of ${side}: (x − mean)/sigma reaches ${v.toExponential(2)}, beyond float32 range for squared distances`, side);
      }
      out[i * cols + j] = v;
    }
  }
}

/** Rows read from a source per accumulation step (the accumulator splits it further). */
const READ_ROWS = 8192;

/** In-memory data keep up to this much of Ψ between the passes instead of recomputing it. */
const FEATURE_CACHE_BYTES = 512 * 2 ** 20;


/**
 * With n ≤ D the n × n operator Λ = (1/n)(ΦXΦXᵀ − η·ΦYΦYᵀ) is the smaller one:
 * its Gram products sum in f64, where C's f32 block sums would carry ~1e-6
 * relative error, and it is exact whatever C's rank.
 */
async function featureGramRoute(r: Resolved, coop: Cooperative, timings: Record<string, number>): Promise<RouteResult> {
  const sideGram: SideGram = async (side, out, coop, rowBase, rowTotal) => {
    const src = side === 'X' ? r.sx : r.sy;
    const map = new FeatureMap(side === 'X' ? r.kx : r.ky, src.cols, r.seed, side);
    const sc = new Scope();
    try {
      const x = sc.f32(r.n * src.cols, `${side} data`);
      const phi = sc.f32(r.n * map.D, `${side} features (${r.n} × ${map.D})`);
      x.view.set(src.read(0, r.n));
      // Features in row steps of ~STEP_MS (an RFF projection of 11000 rows takes seconds).
      const sizer = new StepSizer(8, 4096, 64);
      for (let r0 = 0; r0 < r.n;) {
        const rows = Math.min(sizer.rows, r.n - r0);
        const t0 = performance.now();
        map.apply(x, rows, phi, r0, src.name, r0 * map.D, map.D, r0 * src.cols);
        sizer.observe(rows, performance.now() - t0);
        r0 += rows;
        coop.progress('features', rowBase + r0, rowTotal, 'rows of features');
        await coop.tick();
      }
      await drive(gramSteps(phi, r.n, map.D, 'linear', 0, out, 1 / r.n, undefined, rowBase, rowTotal), coop, 'gram');
    } finally {
      sc.free();
      map.free();
    }
  };
  return exactRoute(r, coop, timings, sideGram);
}

/**
 * Whether the feature-Gram route's buffers fit: it holds ω (d × m f32) and Φ
 * (n × D f32) of one side at a time, each one WebAssembly allocation.
 */
function featureGramFits(r: Resolved): boolean {
  return ([[r.kx, r.sx], [r.ky, r.sy]] as const).every(([k, src]) =>
    Math.max(4 * r.n * featureDim(k, src.cols), k.type === 'gaussian' ? 4 * src.cols * k.rffDim : 0) <= MAX_BLOCK_BYTES);
}

async function covarianceRoute(r: Resolved, coop: Cooperative, timings: Record<string, number>): Promise<RouteResult> {
  const D = featureDim(r.kx, r.sx.cols) + featureDim(r.ky, r.sy.cols);
  if (r.n <= D && r.n <= EXACT_MAX && featureGramFits(r)) return featureGramRoute(r, coop, timings);
  // Refused before allocating, naming the option that makes D large.
  checkCovarianceSize(r.kx, r.sx.cols, r.ky, r.sy.cols);
  let t = performance.now();
  const { sx, sy, n } = r;
  const acc = new SpecAccumulator({ kernelX: kernelOption(r.kx), kernelY: kernelOption(r.ky), eta: r.eta, seed: r.seed, dx: sx.cols, dy: sy.cols });
  if (r.cacheFeatures) acc.cacheFeatures(FEATURE_CACHE_BYTES);
  // One pass over the paired sources in chunks of READ_ROWS; the accumulator
  // splits each chunk into steps of ≤ ~STEP_MS (features, SYRK bands, GEMM).
  // Reading the sources (files streamed from disk, or views of in-memory data) is its own stage.
  const pass = async (stage: 'accumulate' | 'scores', steps: (cx: Matrix, cy: Matrix) => Generator<Step, void>) => {
    coop.progress(stage, 0, n, 'rows');
    let readSeconds = 0;
    for (let s = 0; s < n; s += READ_ROWS) {
      const rows = Math.min(READ_ROWS, n - s);
      const t0 = performance.now();
      const cx = { data: sx.read(s, rows), rows, cols: sx.cols }, cy = { data: sy.read(s, rows), rows, cols: sy.cols };
      readSeconds += (performance.now() - t0) / 1000;
      await drive(shifted(steps(cx, cy), s, n, 'rows'), coop, stage);
    }
    coop.progress(stage, n, n, 'rows');
    timings.read = (timings.read ?? 0) + readSeconds;
    return readSeconds;
  };
  const named = (e: unknown) => {
    if (e instanceof InputError && (e.source === 'X' || e.source === 'Y') && (sx.name !== 'X' || sy.name !== 'Y')) {
      return new InputError(e.message.slice(e.source.length + 2), e.source === 'X' ? sx.name : sy.name);
    }
    return e;
  };
  try {
    const readA = await pass('accumulate', (cx, cy) => acc.addSteps(cx, cy));
    t = lap(timings, 'accumulate', t);
    timings.accumulate -= readA;
    const sol = await acc.solveAsync({ topK: r.topK, samplesPerMode: r.samplesPerMode, returnScores: r.returnScores, signal: coop.signal, onProgress: coop.onProgress });
    t = lap(timings, 'solve', t);
    const readS = await pass('scores', (cx, cy) => acc.scoreSteps(cx, cy));
    lap(timings, 'scores', t);
    timings.scores -= readS;
    return { eigenvalues: sol.eigenvalues, modes: acc.modes(), specDiff: sol.specDiff, noiseDropped: sol.noiseDropped };
  } catch (e) {
    throw named(e);
  } finally {
    acc.dispose();
  }
}
