// compare(): SPEC on two embeddings of the same samples (DESIGN.md §1), by the
// exact route (n × n kernels, small n) or the covariance route (linear in n).
import { init } from './wasm.js';
import { f32, f64, type WasmArray } from './memory.js';
import { FeatureMap } from './feature-map.js';
import { InputError } from './errors.js';
import type { CompareOptions, Matrix, MatrixLike, SpecResult } from './types.js';
import { toMatrix, checkSameRows, checkNonZeroRows, nonNegative, positiveInt, seedOf, throwIfAborted } from './validate.js';
import { matrixSource, readAll, sampleRows, type RowSource } from './source.js';
import { parseKernel, resolveSigma, featureDim, kernelInfo, type Kernel } from './kernel-spec.js';
import { SpecAccumulator, CHUNK_ROWS, kernelOption } from './accumulator.js';
import { gram } from './kernels/gram.js';
import { daxpy } from './kernels/blas1.js';
import { extremeEigs } from './kernels/eigen.js';
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
  const eta = nonNegative(o.eta, 'eta', 1);
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
  const mx = toMatrix(X, 'X'), my = toMatrix(Y, 'Y');
  checkSameRows(mx, my);
  // src/parallel: `worker: true` runs the whole analysis in a worker (null: none here).
  if (workerOption(options.worker)) return (await offload<SpecResult>('compare', mx, my, options)) ?? run(matrixSource(mx, 'X'), matrixSource(my, 'Y'), options, true);
  return run(matrixSource(mx, 'X'), matrixSource(my, 'Y'), options, true);
}

/**
 * `compare` over row sources read in chunks (for example .npy files streamed
 * from disk): on the covariance route the data are read twice (accumulate,
 * then score) and never held whole in memory.
 */
export async function compareSources(sx: RowSource, sy: RowSource, options: CompareOptions = {}): Promise<SpecResult> {
  return run(sx, sy, options, false);
}

async function run(sx: RowSource, sy: RowSource, options: CompareOptions, inMemory: boolean): Promise<SpecResult> {
  await init();
  const t0 = performance.now();
  const r = resolve(sx, sy, options);
  r.cacheFeatures = inMemory;
  const choice = chooseMethod(r, options.method ?? 'auto');
  throwIfAborted(options.signal);
  const timings: Record<string, number> = {};
  threadsOption(options.threads);
  // src/parallel: `threads` > 1 spreads the covariance route over workers (null: in process).
  const par = choice.method === 'covariance' ? await parallelCompare(r, options, timings, EXACT_MAX) : null;
  const result = par ?? (choice.method === 'exact' ? exactRoute(r, options, timings) : covarianceRoute(r, options, timings));
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

function readChecked(s: RowSource, k: Kernel): Matrix {
  const m = toMatrix(readAll(s), s.name);
  if (k.type === 'cosine') checkNonZeroRows(m, s.name);
  return m;
}

/** Fills out = (1/n)·K of one side (full n × n f64). */
type SideGram = (side: 'X' | 'Y', out: WasmArray<Float64Array>) => void;

/**
 * The exact route: KX and KY from the kernels themselves (no approximation).
 * `sideGram` replaces how each side's matrix is formed (the covariance route
 * uses it for n ≤ D with the Gram of the feature maps).
 */
function exactRoute(r: Resolved, o: CompareOptions, timings: Record<string, number>, sideGram?: SideGram): RouteResult {
  const { n } = r;
  let t = performance.now();
  const X = sideGram ? null : readChecked(r.sx, r.kx), Y = sideGram ? null : readChecked(r.sy, r.ky);
  const K = f64(n * n, `kernel matrix (${n} × ${n})`);
  const KY = f64(n * n, `kernel matrix (${n} × ${n})`);
  try {
    const gramOf = (m: Matrix | null, k: Kernel, out: typeof K, side: 'X' | 'Y') => {
      if (sideGram) return sideGram(side, out);
      m = m!;
      const buf = f32(m.rows * m.cols, `${side} data`);
      try {
        // Scale-free inputs for the f32 products: unit rows for cosine, centred
        // rows over σ for the Gaussian (both kernels are invariant to that).
        if (k.type === 'cosine') writeUnitRows(m, buf.view);
        else if (k.type === 'gaussian') writeCentredScaled(m, k.sigma, buf.view, side);
        else buf.view.set(m.data);
        gram(buf, m.rows, m.cols, k.type === 'cosine' ? 'linear' : k.type, k.type === 'gaussian' ? 1 : k.sigma, out, 1 / n);
      } finally {
        buf.free();
      }
    };
    o.onProgress?.({ stage: 'gram', done: 0, total: 2 });
    gramOf(X, r.kx, K, 'X');
    o.onProgress?.({ stage: 'gram', done: 1, total: 2 });
    throwIfAborted(o.signal);
    gramOf(Y, r.ky, KY, 'Y');
    o.onProgress?.({ stage: 'gram', done: 2, total: 2 });
    let scale = 0;
    { const a = K.view, b = KY.view; for (let i = 0; i < n; i++) scale += a[i * n + i] + r.eta * b[i * n + i]; }
    daxpy(n * n, -r.eta, KY, K);
    KY.free();
    t = lap(timings, 'gram', t);
    throwIfAborted(o.signal);
    o.onProgress?.({ stage: 'solve', done: 0, total: 1 });
    const res = extremeEigs({ kind: 'dense', A: K, n }, Math.min(r.topK, n), { seed: r.seed });
    // Λ has n eigenvalues: with 2k > n the two lists overlap and are deduplicated below.
    o.onProgress?.({ stage: 'solve', done: 1, total: 1 });
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
    for (let r0 = 0; r0 < n; r0 += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, n - r0);
      for (let j = 0; j < kk; j++) {
        const u = res.vectors[chosen[j].column];
        for (let i = 0; i < rows; i++) block[i * kk + j] = u[r0 + i];
      }
      top.addRows(block, rows, r0);
    }
    lap(timings, 'scores', t);
    return {
      eigenvalues: Float64Array.from(chosen.map((c) => c.value)),
      modes: buildModes(chosen, top.finish()),
      specDiff: specDiffOf(lmax, lmin),
      noiseDropped,
    };
  } finally {
    K.free();
    KY.free();
  }
}

/** Rows scaled to unit length in f64 (no under- or overflow at any finite scale), as f32. */
function writeUnitRows(m: Matrix, out: Float32Array): void {
  const { rows, cols, data } = m;
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let big = 0;
    for (let j = 0; j < cols; j++) big = Math.max(big, Math.abs(data[o + j]));
    let ss = 0;
    for (let j = 0; j < cols; j++) { const v = data[o + j] / big; ss += v * v; }
    const norm = Math.sqrt(ss);
    for (let j = 0; j < cols; j++) out[o + j] = data[o + j] / big / norm;
  }
}

/** (x − mean)/σ as f32: the Gaussian kernel is translation invariant, and f32 squared norms then cannot overflow. */
function writeCentredScaled(m: Matrix, sigma: number, out: Float32Array, side: string): void {
  const { rows, cols, data } = m;
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j] / rows;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = (data[i * cols + j] - mean[j]) / sigma;
      if (!(Math.abs(v) <= 1e18)) {
        throw new InputError(`sigma = ${sigma} is too small for the data of ${side}: (x − mean)/sigma reaches ${v.toExponential(2)}, beyond float32 range for squared distances`, side);
      }
      out[i * cols + j] = v;
    }
  }
}

/** In-memory data keep up to this much of Ψ between the passes instead of recomputing it. */
const FEATURE_CACHE_BYTES = 512 * 2 ** 20;

/** Rows read from a source per accumulation step. */
const READ_ROWS = 8192;

/**
 * With n ≤ D the n × n operator Λ = (1/n)(ΦXΦXᵀ − η·ΦYΦYᵀ) is the smaller one:
 * its Gram products sum in f64, where C's f32 block sums would carry ~1e-6
 * relative error, and it is exact whatever C's rank.
 */
function featureGramRoute(r: Resolved, o: CompareOptions, timings: Record<string, number>): RouteResult {
  const sideGram: SideGram = (side, out) => {
    const src = side === 'X' ? r.sx : r.sy;
    const map = new FeatureMap(side === 'X' ? r.kx : r.ky, src.cols, r.seed);
    const x = f32(r.n * src.cols, `${side} data`);
    const phi = f32(r.n * map.D, `${side} features (${r.n} × ${map.D})`);
    try {
      x.view.set(src.read(0, r.n));
      map.apply(x, r.n, phi, 0, src.name);
      gram(phi, r.n, map.D, 'linear', 0, out, 1 / r.n);
    } finally {
      map.free();
      x.free();
      phi.free();
    }
  };
  return exactRoute(r, o, timings, sideGram);
}

function covarianceRoute(r: Resolved, o: CompareOptions, timings: Record<string, number>): RouteResult {
  const D = featureDim(r.kx, r.sx.cols) + featureDim(r.ky, r.sy.cols);
  if (r.n <= D && r.n <= EXACT_MAX) return featureGramRoute(r, o, timings);
  let t = performance.now();
  const { sx, sy, n } = r;
  const acc = new SpecAccumulator({ kernelX: kernelOption(r.kx), kernelY: kernelOption(r.ky), eta: r.eta, seed: r.seed, dx: sx.cols, dy: sy.cols });
  if (r.cacheFeatures) acc.cacheFeatures(FEATURE_CACHE_BYTES);
  // One pass over the paired sources in chunks of READ_ROWS.
  const pass = (stage: 'accumulate' | 'scores', use: (cx: Matrix, cy: Matrix) => void) => {
    for (let s = 0; s < n; s += READ_ROWS) {
      throwIfAborted(o.signal);
      const rows = Math.min(READ_ROWS, n - s);
      use({ data: sx.read(s, rows), rows, cols: sx.cols }, { data: sy.read(s, rows), rows, cols: sy.cols });
      o.onProgress?.({ stage, done: s + rows, total: n });
    }
  };
  const named = (e: unknown) => {
    if (e instanceof InputError && (e.source === 'X' || e.source === 'Y') && (sx.name !== 'X' || sy.name !== 'Y')) {
      return new InputError(e.message.slice(e.source.length + 2), e.source === 'X' ? sx.name : sy.name);
    }
    return e;
  };
  try {
    pass('accumulate', (cx, cy) => acc.add(cx, cy));
    t = lap(timings, 'accumulate', t);
    const sol = acc.solve({ topK: r.topK, samplesPerMode: r.samplesPerMode, returnScores: r.returnScores, onProgress: o.onProgress });
    t = lap(timings, 'solve', t);
    pass('scores', (cx, cy) => acc.scores(cx, cy));
    lap(timings, 'scores', t);
    return { eigenvalues: sol.eigenvalues, modes: acc.modes(), specDiff: sol.specDiff, noiseDropped: sol.noiseDropped };
  } catch (e) {
    throw named(e);
  } finally {
    acc.dispose();
  }
}
