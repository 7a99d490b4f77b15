// FINC (docs/design.md §1): two unpaired sample sets X (nx × d) and Y (ny × d) under
// one embedding and one feature map φ. Modes are eigenpairs of CX − η·CY with
// CX = (1/nx)ΦXᵀΦX, CY = (1/ny)ΦYᵀΦY: λ > 0 is a sample type over-represented in
// X, λ < 0 one over-represented in Y. Two routes:
//  * covariance (FincAccumulator): stream both sets into the D × D sums, solve the
//    symmetric CX − η·CY by Lanczos, then a second pass scores the samples;
//  * exact (small sets, no RFF): the pooled kernel matrix G = |W|^½ K |W|^½ and
//    the r × r matrix T = s^½ QᵀJQ s^½ on G's numerical range (finc-exact.ts).
import { init } from './wasm/loader.js';
import { f32, f64, formatBytes, type WasmArray } from './wasm/memory.js';
import { InputError } from './errors.js';
import type { Matrix, MatrixLike, KernelOption, SpecDiff } from './types.js';
import type { FincMode, FincOptions, FincResult } from './finc-types.js';
import { toMatrix, checkFinite, checkNonZeroRows, etaOf, positiveInt, seedOf } from './validate.js';
import { matrixSource, readAll, type RowSource } from './source.js';
import { featureDim, parseKernel, resolveSigma, kernelInfo, type Kernel } from './kernel-spec.js';
import { FeatureMap, concreteKernel, copyRows, kernelOption } from './feature-map.js';
import { writeSnapshot, readSnapshot } from './snapshot.js';
import { syrkAccumulate, syrkAccumulateF64, addInto, PRECISE_MAX_D } from './wasm/syrk.js';
import { sgemm } from './wasm/gemm.js';
import { dscal } from './wasm/blas1.js';
import { extremeEigs } from './solver/eigen.js';
import { sampleIndices } from './wasm/rng.js';
import { SIGMA_SAMPLE_ROWS } from './sigma.js';
import { TopSamples, selectModes, specDiffOf } from './modes.js';
import { Cooperative, StepSizer } from './cooperative.js';
import { exactRoute, fincMode, type RouteOut } from './finc-exact.js';
import { CHUNK_ROWS, MAX_COVARIANCE_DIM } from './accumulator.js';
import { parallelFinc } from './parallel/finc.js';
import { offload } from './parallel/offload.js';
import { threadsOption, workerOption } from './parallel/plan.js';

export type { FincMode, FincOptions, FincResult } from './finc-types.js';

const FINC_MAGIC = 'FINCACC';
const FINC_VERSION = 2; // 2: snapshot.ts layout with a checksum
/** Unit round-off of f32 (features and in-block sums are f32). */
const U32 = 2 ** -24;
/**
 * Covariance-route noise floor: |λ| ≤ COV_NOISE_C·u32·(tr CX + η·tr CY). Features are
 * f32 and syrk sums products in f32 over blocks of ≤ 256 rows before the f64 flush,
 * so an entry of CX − ηCY carries a rounding error of ≲ √256·u32 (random rounding)
 * of Σ|φiφj|/n, and ‖E‖ ≤ ‖E‖_F ≤ that factor·trace. Measured (identical sets fed
 * in different row orders and chunk sizes, cosine/linear/RFF, with and without a
 * large common offset, n = 3000–20000): max |λ| = 0.02–0.18·u32·trace. c = 4 keeps
 * a 20× margin over that and stays far below any mismatch worth reporting.
 */
const COV_NOISE_C = 4;
/**
 * `method: 'auto'` takes the exact route for a Gaussian kernel up to this nx + ny.
 * Measured (d = 768, one thread, two O(n³) syev calls dominate): exact 2.8 s at
 * n = 1000, 6.1 s at 1500, 22 s at 2000, 46 s at 2500, against 0.3–0.5 s for the
 * covariance route with m = 1000 (whose RFF error moved λ1 by ~0.5% there).
 */
export const FINC_EXACT_MAX_AUTO = 1000;
/** 'exact' beyond this would take minutes in syev and ~4 n² f64 of memory. */
export const FINC_EXACT_MAX = 4000;
/** In-memory data keep up to this much of Φ between the passes instead of recomputing it (compare's budget). */
const FEATURE_CACHE_BYTES = 512 * 2 ** 20;
/** Rows read from a source per step of a pass. */
const READ_ROWS = 8192;

type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;
type Side = 'x' | 'y';

export interface FincAccumulatorOptions {
  /** The kernel of both sets; a Gaussian needs a numeric sigma (see estimateSigma). */
  kernel?: KernelOption;
  /** Weight η ≥ 0 of Y. Default 1. */
  eta?: number;
  /** Seed of the random Fourier frequencies. Default 0. */
  seed?: number;
  /** Input dimension d of both sets. */
  d: number;
}

export interface FincSolveOptions {
  /** Modes per side. Default 10. */
  topK?: number;
  /** Top samples per mode. Default 20. */
  samplesPerMode?: number;
  /** Keep every score of each mode's side set. Default false. */
  returnScores?: boolean;
}

/** The eigen-solution of a FincAccumulator, before the scoring pass. */
export interface FincSolution {
  nx: number;
  ny: number;
  /** Mode eigenvalues: side x descending, then side y most negative first. */
  eigenvalues: Float64Array;
  sides: Side[];
  /** vᵀCX v and vᵀCY v per mode. */
  shareX: Float64Array;
  shareY: Float64Array;
  specDiff: SpecDiff;
  /** Eigenvalues among each side's top-K within the noise floor. */
  noiseDropped: number;
  /** The floor |λ| ≤ noiseFloor used. */
  noiseFloor: number;
}

interface Chosen {
  side: Side;
  value: number;
}

/** Per side: which columns of the solution vectors feed that side's scoring pass. */
interface SideScoring {
  V: F32 | null;
  k: number;
  top: TopSamples;
  scored: number;
}

/**
 * Streams FINC's covariance route: `addX`/`addY` chunks of either set in any
 * order and sizes, `solve` once, then `scoresX`/`scoresY` with the same rows
 * again (each set in its original order), then `modes()`. `dispose()` frees
 * the wasm memory; any use after it throws.
 */
export class FincAccumulator {
  readonly kernel: Kernel;
  readonly eta: number;
  readonly seed: number;
  readonly d: number;
  /** Feature dimension. */
  readonly D: number;
  /** Rows of X and of Y added so far. */
  nx = 0;
  ny = 0;
  private map: FeatureMap;
  /** Upper-triangle sums Σφφᵀ of X and of Y; after solve SX holds CX − ηCY and SY holds CY. */
  private SX: F64;
  private SY: F64;
  private solved = false;
  private disposed = false;
  private scratch: { x: F32; f: F32 } | null = null;
  private cache: { budget: number; x: Map<number, Float32Array>; y: Map<number, Float32Array> } | null = null;
  private result: { sol: FincSolution; chosen: Chosen[]; x: SideScoring; y: SideScoring } | null = null;

  /** Use `FincAccumulator.create` (it loads the wasm module first). */
  constructor(opts: FincAccumulatorOptions) {
    if (!opts || typeof opts !== 'object') throw new InputError('FincAccumulator options must be an object');
    this.kernel = concreteKernel(opts.kernel, '');
    this.eta = etaOf(opts.eta);
    this.seed = seedOf(opts.seed);
    this.d = positiveInt(opts.d, 'd', 0);
    // Refuse an impossible D before allocating anything, naming the option that made it.
    const D = featureDim(this.kernel, this.d);
    if (D > MAX_COVARIANCE_DIM) {
      const what = this.kernel.type === 'gaussian' ? `rffDim of kernel = ${this.kernel.rffDim}` : `d = ${this.d} under the ${this.kernel.type} kernel`;
      throw new InputError(`${what} gives D = ${D} features: each of the two D × D f64 covariances would need ${formatBytes(D * D * 8)}, more than one WebAssembly allocation holds (D ≤ ${MAX_COVARIANCE_DIM})`);
    }
    this.map = new FeatureMap(this.kernel, this.d, this.seed);
    this.D = this.map.D;
    const bufs: F64[] = [];
    try {
      bufs.push(f64(this.D * this.D, `FINC covariance of X (${this.D} × ${this.D})`));
      bufs.push(f64(this.D * this.D, `FINC covariance of Y (${this.D} × ${this.D})`));
    } catch (e) {
      for (const b of bufs) b.free();
      this.map.free();
      throw e;
    }
    [this.SX, this.SY] = bufs;
    this.SX.view.fill(0);
    this.SY.view.fill(0);
  }

  static async create(opts: FincAccumulatorOptions): Promise<FincAccumulator> {
    await init();
    return new FincAccumulator(opts);
  }

  private live(): void {
    if (this.disposed) throw new Error('spec-embed: FincAccumulator used after dispose()');
  }

  private ensureScratch(): { x: F32; f: F32 } {
    if (!this.scratch) {
      const x = f32(CHUNK_ROWS * this.d, 'FINC input chunk');
      try {
        this.scratch = { x, f: f32(CHUNK_ROWS * this.D, 'FINC feature chunk') };
      } catch (e) {
        x.free();
        throw e;
      }
    }
    return this.scratch;
  }

  /**
   * Keeps up to `maxBytes` of features between the passes (the costliest part
   * of the scoring pass when recomputed). Entries are keyed by their first row,
   * so scoring must feed the same rows; memory then grows with n up to the cap.
   */
  cacheFeatures(maxBytes: number): void {
    this.live();
    this.cache = { budget: maxBytes, x: new Map(), y: new Map() };
  }

  private matrix(chunk: MatrixLike, side: Side, row0: number): Matrix {
    const name = side === 'x' ? 'X' : 'Y';
    // Values are checked where they are read, by the wasm feature maps (NaN/Inf, zero rows).
    const m = toMatrix(chunk, name, row0, false);
    if (m.cols !== this.d) throw new InputError(`has ${m.cols} columns, the accumulator was made for d = ${this.d}`, name);
    return m;
  }

  /** φ of rows [r0, r0+rows) of m (global row g0) into scratch.f, from the cache when possible. */
  private features(m: Matrix, r0: number, rows: number, g0: number, side: Side, store: boolean): F32 {
    const s = this.ensureScratch();
    const cached = this.cache?.[side].get(g0);
    if (cached && cached.length === rows * this.D) {
      s.f.view.set(cached);
      return s.f;
    }
    copyRows(m, r0, rows, s.x);
    this.map.apply(s.x, rows, s.f, g0, side === 'x' ? 'X' : 'Y');
    if (store && this.cache && rows * this.D * 4 <= this.cache.budget) {
      this.cache[side].set(g0, s.f.view.slice(0, rows * this.D));
      this.cache.budget -= rows * this.D * 4;
    }
    return s.f;
  }

  private add(chunk: MatrixLike, side: Side): void {
    this.live();
    if (this.solved) throw new Error('spec-embed: add after solve(); create a new accumulator');
    const start = side === 'x' ? this.nx : this.ny;
    const m = this.matrix(chunk, side, start);
    const S = side === 'x' ? this.SX : this.SY;
    for (let r0 = 0; r0 < m.rows; r0 += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, m.rows - r0);
      const f = this.features(m, r0, rows, start + r0, side, true);
      if (this.D <= PRECISE_MAX_D) syrkAccumulateF64(f, rows, this.D, S, 1);
      else syrkAccumulate(f, rows, this.D, S, 1);
    }
    if (side === 'x') this.nx += m.rows;
    else this.ny += m.rows;
  }

  /** Adds rows of X. */
  addX(chunk: MatrixLike): void {
    this.add(chunk, 'x');
  }

  /** Adds rows of Y. */
  addY(chunk: MatrixLike): void {
    this.add(chunk, 'y');
  }

  /** Adds another accumulator's rows (same kernel, η, seed and d), before solving. */
  merge(other: FincAccumulator): void {
    this.live();
    if (!(other instanceof FincAccumulator)) throw new InputError('merge() needs another FincAccumulator');
    other.live();
    if (this.solved || other.solved) throw new Error('spec-embed: merge() after solve(); merge before solving');
    if (this.signature() !== other.signature()) throw new InputError('cannot merge FINC accumulators with different kernels, η, seed or d');
    addInto(this.SX, other.SX, this.D * this.D);
    addInto(this.SY, other.SY, this.D * this.D);
    this.nx += other.nx;
    this.ny += other.ny;
  }

  private signature(): string {
    return JSON.stringify([this.kernel, this.eta, this.seed, this.d]);
  }

  /** Versioned binary snapshot (the SpecAccumulator layout, magic FINCACC): header, then the X and Y sums. */
  serialize(): Uint8Array {
    this.live();
    if (this.solved) throw new Error('spec-embed: serialize() after solve(); serialize the sums before solving');
    const header = { kernel: kernelOption(this.kernel), eta: this.eta, seed: this.seed, d: this.d, nx: this.nx, ny: this.ny, D: this.D };
    return writeSnapshot(FINC_MAGIC, FINC_VERSION, header, [this.SX, this.SY], this.D);
  }

  /** Reads a snapshot made by `serialize`, checking magic, version and size before allocating. */
  static async deserialize(bytes: Uint8Array): Promise<FincAccumulator> {
    await init();
    const snap = readSnapshot(bytes, FINC_MAGIC, FINC_VERSION, 'FINC accumulator');
    const h = snap.header;
    snap.checkSize(2, h.D);
    const acc = new FincAccumulator({ kernel: h.kernel, eta: h.eta, seed: h.seed, d: h.d });
    if (acc.D !== h.D || !Number.isSafeInteger(h.nx) || !Number.isSafeInteger(h.ny) || h.nx < 0 || h.ny < 0) {
      acc.dispose();
      throw new InputError('not a spec-embed FINC accumulator snapshot: header does not match its data');
    }
    snap.fill(0, acc.SX, acc.D);
    snap.fill(1, acc.SY, acc.D);
    acc.nx = h.nx;
    acc.ny = h.ny;
    return acc;
  }

  /** Finds the top-K eigenpairs at each end of CX − η·CY (once; later calls return the same solution). */
  solve(opts: FincSolveOptions = {}): FincSolution {
    this.live();
    if (this.result) return this.result.sol;
    if (this.nx === 0) throw new InputError('no rows were added', 'X');
    if (this.ny === 0) throw new InputError('no rows were added', 'Y');
    const topK = positiveInt(opts.topK, 'topK', 10);
    const samplesPerMode = positiveInt(opts.samplesPerMode, 'samplesPerMode', 20);
    const D = this.D, nx = this.nx, ny = this.ny, eta = this.eta;
    const k = Math.min(topK, D);
    // Normalise in place (a third D × D buffer would add 32 MB at D = 2000):
    // SX ← SX/nx − η·SY/ny = CX − ηCY, SY ← SY/ny = CY (kept for the shares).
    let trX = 0, trY = 0;
    {
      const a = this.SX.view, b = this.SY.view;
      for (let i = 0; i < D; i++) { trX += a[i * D + i]; trY += b[i * D + i]; }
    }
    trX /= nx;
    trY /= ny;
    this.solved = true;
    dscal(D * D, 1 / nx, this.SX);
    dscal(D * D, 1 / ny, this.SY);
    addInto(this.SX, this.SY, D * D, -eta);
    const res = extremeEigs({ kind: 'dense', A: this.SX, n: D }, k, { seed: this.seed + 1 });
    const floor = COV_NOISE_C * U32 * (trX + eta * trY);
    const { chosen, columns, dropped } = chooseModes(res.values, k, topK, floor);
    const shareY = Float64Array.from(columns.map((c) => quadUpper(this.SY.view, D, res.vectors[c])));
    // v is an eigenvector of CX − ηCY: vᵀCXv = λ + η·vᵀCYv.
    const shareX = Float64Array.from(chosen.map((c, i) => c.value + eta * shareY[i]));
    const sol: FincSolution = {
      nx, ny,
      eigenvalues: Float64Array.from(chosen.map((c) => c.value)),
      sides: chosen.map((c) => c.side),
      shareX, shareY,
      specDiff: specDiffOf(res.values[0], res.values[k]),
      noiseDropped: dropped,
      noiseFloor: floor,
    };
    const side = (s: Side, n: number): SideScoring => {
      const cols = columns.filter((_, i) => chosen[i].side === s);
      const kk = cols.length;
      let V: F32 | null = null;
      if (kk > 0) {
        V = f32(D * kk, 'FINC mode vectors');
        const vv = V.view;
        cols.forEach((c, j) => {
          const v = res.vectors[c];
          for (let i = 0; i < D; i++) vv[i * kk + j] = v[i];
        });
      }
      return { V, k: kk, top: new TopSamples(kk, samplesPerMode, n, !!opts.returnScores), scored: 0 };
    };
    const x = side('x', nx);
    let y: SideScoring;
    try {
      y = side('y', ny);
    } catch (e) {
      x.V?.free();
      throw e;
    }
    this.result = { sol, chosen, x, y };
    return sol;
  }

  private score(chunk: MatrixLike, side: Side): void {
    this.live();
    const r = this.result;
    if (!r) throw new Error('spec-embed: call solve() before scoresX()/scoresY()');
    const s = side === 'x' ? r.x : r.y;
    const total = side === 'x' ? this.nx : this.ny;
    const m = this.matrix(chunk, side, s.scored);
    if (s.scored + m.rows > total) {
      throw new InputError(`scores${side.toUpperCase()}() received more rows (${s.scored + m.rows}) than add${side.toUpperCase()}() did (${total})`);
    }
    if (s.k === 0) {
      s.scored += m.rows;
      return;
    }
    const out = f32(CHUNK_ROWS * s.k, 'FINC scores chunk');
    try {
      for (let r0 = 0; r0 < m.rows; r0 += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, m.rows - r0);
        const f = this.features(m, r0, rows, s.scored + r0, side, false);
        sgemm(rows, s.k, this.D, f, this.D, s.V!, s.k, out, s.k, 0);
        s.top.addRows(out.view, rows, s.scored + r0);
      }
    } finally {
      out.free();
    }
    s.scored += m.rows;
  }

  /** Second pass over X (same rows, same order): scores of the side-x modes. */
  scoresX(chunk: MatrixLike): void {
    this.score(chunk, 'x');
  }

  /** Second pass over Y: scores of the side-y modes. */
  scoresY(chunk: MatrixLike): void {
    this.score(chunk, 'y');
  }

  /** Whether the scoring pass must read X (there are side-x modes) and Y. */
  needsScores(): { x: boolean; y: boolean } {
    const r = this.result;
    return { x: !!r && r.x.k > 0, y: !!r && r.y.k > 0 };
  }

  /** The modes, once the scoring pass has seen every row of each side that has modes. */
  modes(): FincMode[] {
    this.live();
    const r = this.result;
    if (!r) throw new Error('spec-embed: call solve() and scoresX()/scoresY() first');
    if (r.x.k > 0 && r.x.scored !== this.nx) throw new InputError(`scoresX() saw ${r.x.scored} rows, addX() saw ${this.nx}: feed every row of X again`);
    if (r.y.k > 0 && r.y.scored !== this.ny) throw new InputError(`scoresY() saw ${r.y.scored} rows, addY() saw ${this.ny}: feed every row of Y again`);
    const fx = r.x.top.finish(), fy = r.y.top.finish();
    let ix = 0, iy = 0;
    return r.chosen.map((c, i) => {
      const t = c.side === 'x' ? fx[ix++] : fy[iy++];
      return fincMode(c.side, c.side === 'x' ? ix : iy, c.value, t, r.sol.shareX[i], r.sol.shareY[i]);
    });
  }

  // --- src/parallel: sums accumulated by workers, and the vectors for their scoring pass.

  /** Adds the D × D sums of X (nx rows) and of Y (ny rows) accumulated elsewhere with the same options. */
  addSums(sx: Float64Array, sy: Float64Array, nx: number, ny: number): void {
    this.live();
    if (this.solved) throw new Error('spec-embed: addSums() after solve()');
    const len = this.D * this.D;
    if (sx.length !== len || sy.length !== len) throw new Error(`spec-embed: addSums() needs ${len} sums per set`);
    const a = this.SX.view, b = this.SY.view;
    for (let i = 0; i < len; i++) { a[i] += sx[i]; b[i] += sy[i]; }
    this.nx += nx;
    this.ny += ny;
  }

  /** After solve(): each side's mode vectors (D × k f32, row-major) in the order of its modes; scores are Φv. */
  modeVectors(): { x: { V: Float32Array; k: number }; y: { V: Float32Array; k: number } } {
    this.live();
    const r = this.result;
    if (!r) throw new Error('spec-embed: call solve() before modeVectors()');
    const of = (s: SideScoring) => ({ V: s.V ? s.V.view.slice() : new Float32Array(0), k: s.k });
    return { x: of(r.x), y: of(r.y) };
  }

  /** Releases the wasm buffers. Idempotent; any other call afterwards throws. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cache = null;
    this.SX.free();
    this.SY.free();
    this.map.free();
    if (this.scratch) {
      this.scratch.x.free();
      this.scratch.f.free();
      this.scratch = null;
    }
    this.result?.x.V?.free();
    this.result?.y.V?.free();
  }
}

/** vᵀAv for the symmetric A of which only the upper triangle is valid. */
function quadUpper(a: Float64Array, D: number, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < D; i++) {
    const vi = v[i];
    if (vi === 0) continue;
    let row = 0;
    for (let j = i + 1, p = i * D + j; j < D; j++, p++) row += a[p] * v[j];
    s += vi * (a[i * D + i] * vi + 2 * row);
  }
  return s;
}

/**
 * Modes from the 2k extreme eigenvalues (k largest descending, k smallest
 * ascending; the two lists overlap when 2k > D, so each side only looks at its
 * own list). `dropped` counts eigenvalues of the right sign within the floor.
 */
function chooseModes(values: Float64Array, k: number, topK: number, floor: number): { chosen: Chosen[]; columns: number[]; dropped: number } {
  const masked = Float64Array.from(values, (v, i) => (i < k ? Math.max(v, 0) : Math.min(v, 0)));
  const sel = selectModes(masked, topK, floor);
  let dropped = 0;
  for (let i = 0; i < 2 * k; i++) if (masked[i] !== 0 && Math.abs(masked[i]) <= floor) dropped++;
  return { chosen: sel.map((c) => ({ side: c.side, value: values[c.column] })), columns: sel.map((c) => c.column), dropped };
}

// ---------------------------------------------------------------------------
// finc() / fincSources()

interface Resolved {
  sx: RowSource;
  sy: RowSource;
  kernel: Kernel;
  eta: number;
  topK: number;
  seed: number;
  samplesPerMode: number;
  returnScores: boolean;
}

function resolve(sx: RowSource, sy: RowSource, o: FincOptions): Resolved {
  if (!o || typeof o !== 'object') throw new InputError('options must be an object');
  for (const s of [sx, sy]) if (s.rows < 2) throw new InputError(`has ${s.rows} row${s.rows === 1 ? '' : 's'}; FINC needs at least 2 samples per set`, s.name);
  if (sx.cols !== sy.cols) {
    throw new InputError(`dimensions differ: ${sx.name} has ${sx.cols} columns, ${sy.name} has ${sy.cols}; FINC compares two sets under the same embedding`);
  }
  const eta = etaOf(o.eta);
  const topK = positiveInt(o.topK, 'topK', 10);
  const samplesPerMode = positiveInt(o.samplesPerMode, 'samplesPerMode', 20);
  const seed = seedOf(o.seed);
  if (o.method !== undefined && !['auto', 'exact', 'covariance'].includes(o.method)) {
    throw new InputError(`method must be auto, exact or covariance, got ${String(o.method)}`);
  }
  if ('kernelX' in o || 'kernelY' in o) throw new InputError('FINC has one kernel for both sets: use `kernel`, not kernelX/kernelY');
  const req = parseKernel(o.kernel, '');
  const auto = req.type === 'gaussian' && req.sigma === 'auto';
  const kernel = resolveSigma(req, auto ? pooledSample(sx, sy, seed) : EMPTY, seed, `${sx.name} and ${sy.name}`);
  return { sx, sy, kernel, eta, topK, seed, samplesPerMode, returnScores: !!o.returnScores };
}

const EMPTY: Matrix = { data: new Float32Array(0), rows: 0, cols: 0 };

/** The σ-auto sample: ≤ 1000 seeded rows drawn from X and Y pooled (indices ≥ nx are Y's). */
function pooledSample(sx: RowSource, sy: RowSource, seed: number): Matrix {
  const idx = sampleIndices(sx.rows + sy.rows, SIGMA_SAMPLE_ROWS, seed);
  const data = new Float32Array(idx.length * sx.cols);
  idx.forEach((r, i) => data.set(r < sx.rows ? sx.read(r, 1) : sy.read(r - sx.rows, 1), i * sx.cols));
  const m = { data, rows: idx.length, cols: sx.cols };
  checkFinite(m, `${sx.name} and ${sy.name} (σ-auto sample)`);
  return m;
}

function chooseMethod(r: Resolved, method: FincOptions['method']): { method: 'exact' | 'covariance'; reason: string } {
  const n = r.sx.rows + r.sy.rows;
  if (method === 'exact') {
    if (n > FINC_EXACT_MAX) throw new InputError(`method 'exact' eigendecomposes the pooled ${n} × ${n} kernel matrix; it is limited to nx + ny ≤ ${FINC_EXACT_MAX}; use 'covariance'`);
    return { method: 'exact', reason: 'requested' };
  }
  if (method === 'covariance') return { method: 'covariance', reason: 'requested' };
  if (r.kernel.type !== 'gaussian') {
    return { method: 'covariance', reason: `the ${r.kernel.type} kernel's features are exact (D = ${r.sx.cols}): the D × D covariance is exact and linear in nx + ny` };
  }
  if (n <= FINC_EXACT_MAX_AUTO) return { method: 'exact', reason: `nx + ny = ${n} ≤ ${FINC_EXACT_MAX_AUTO}: the pooled kernel matrix is quick to eigendecompose and free of RFF error` };
  return { method: 'covariance', reason: `nx + ny = ${n} > ${FINC_EXACT_MAX_AUTO}: random Fourier features keep the work linear in nx + ny` };
}

/**
 * FINC: which sample types are over-represented in X relative to Y (side 'x',
 * λ > 0) and the reverse (side 'y'), for two unpaired sets embedded alike.
 */
export async function finc(X: MatrixLike, Y: MatrixLike, options: FincOptions = {}): Promise<FincResult> {
  await init();
  const mx = toMatrix(X, 'X'), my = toMatrix(Y, 'Y');
  // src/parallel: `worker: true` runs the whole analysis in a worker (null: none here).
  if (workerOption(options?.worker)) return (await offload<FincResult>('finc', mx, my, options)) ?? run(matrixSource(mx, 'X'), matrixSource(my, 'Y'), options, true);
  return run(matrixSource(mx, 'X'), matrixSource(my, 'Y'), options, true);
}

/** `finc` over row sources read in chunks: on the covariance route each set is read twice and never held whole. */
export async function fincSources(sx: RowSource, sy: RowSource, options: FincOptions = {}): Promise<FincResult> {
  await init();
  return run(sx, sy, options, false);
}

async function run(sx: RowSource, sy: RowSource, options: FincOptions, inMemory: boolean): Promise<FincResult> {
  const t0 = performance.now();
  const r = resolve(sx, sy, options ?? {});
  const choice = chooseMethod(r, options.method ?? 'auto');
  threadsOption(options.threads);
  const coop = new Cooperative(options.signal, options.onProgress);
  const timings: Record<string, number> = {};
  let out: RouteOut;
  if (choice.method === 'exact') {
    const input = { X: readChecked(r.sx, r.kernel), Y: readChecked(r.sy, r.kernel), kernel: r.kernel, eta: r.eta, topK: r.topK, samplesPerMode: r.samplesPerMode, returnScores: r.returnScores };
    try {
      out = await exactRoute(input, coop, timings);
    } catch (e) {
      // The QL iteration can fail on huge clusters of equal eigenvalues; 'auto' then takes the covariance route.
      if (!(e instanceof RangeError && /did not converge/.test(e.message)) || (options.method ?? 'auto') !== 'auto') throw e;
      choice.method = 'covariance';
      choice.reason += `; the exact eigensolver did not converge (${e.message.replace(/^spec-embed: /, '')}), so the covariance route was used`;
      out = await covarianceRoute(r, coop, timings, inMemory);
    }
  } else {
    // src/parallel: `threads` > 1 spreads the covariance route over workers (null: in process).
    out = (await parallelFinc(r, options, timings, inMemory)) ?? (await covarianceRoute(r, coop, timings, inMemory));
  }
  timings.total = (performance.now() - t0) / 1000;
  return {
    task: 'finc',
    nx: sx.rows,
    ny: sy.rows,
    method: choice.method,
    methodReason: choice.reason,
    eta: r.eta,
    kernel: kernelInfo(r.kernel, choice.method),
    eigenvalues: Float64Array.from(out.modes.map((m) => m.eigenvalue)),
    modes: out.modes,
    specDiff: out.specDiff,
    noiseDropped: out.noiseDropped,
    ...(out.threads ? { threads: out.threads } : {}),
    timings,
  };
}


function lap(timings: Record<string, number>, key: string, t: number): number {
  const now = performance.now();
  timings[key] = (timings[key] ?? 0) + (now - t) / 1000;
  return now;
}

/** Renames the accumulator's 'X'/'Y' error sources to the sources' names. */
function named(e: unknown, sx: RowSource, sy: RowSource): unknown {
  if (e instanceof InputError && (e.source === 'X' || e.source === 'Y')) {
    const name = e.source === 'X' ? sx.name : sy.name;
    if (name !== e.source) return new InputError(e.message.slice(e.source.length + 2), name);
  }
  return e;
}

async function covarianceRoute(r: Resolved, coop: Cooperative, timings: Record<string, number>, inMemory: boolean): Promise<RouteOut> {
  let t = performance.now();
  const { sx, sy } = r;
  const acc = new FincAccumulator({ kernel: kernelOption(r.kernel), eta: r.eta, seed: r.seed, d: sx.cols });
  if (inMemory) acc.cacheFeatures(FEATURE_CACHE_BYTES);
  const total = sx.rows + sy.rows;
  const sizer = new StepSizer();
  // One pass over a source: read READ_ROWS at a time, feed steps sized to ~50 ms,
  // yield between steps. The scoring pass replays the accumulation pass's steps,
  // so cached features (keyed by first row and length) are found again.
  const pass = async (s: RowSource, base: number, stage: 'accumulate' | 'scores', use: (m: Matrix) => void, plan?: number[]) => {
    const steps: number[] = [];
    let p = 0;
    for (let s0 = 0; s0 < s.rows; s0 += READ_ROWS) {
      const rows = Math.min(READ_ROWS, s.rows - s0);
      const data = s.read(s0, rows);
      for (let r0 = 0; r0 < rows; ) {
        await coop.tick();
        // Steps are whole SYRK blocks (256 rows), so the f32 block sums do not depend on
        // timing, and equal those of the workers' CHUNK_ROWS-aligned chunks (src/parallel).
        const step = Math.min(plan ? plan[p++] : Math.ceil(sizer.rows / 256) * 256, rows - r0);
        const ts = performance.now();
        use({ data: data.subarray(r0 * s.cols, (r0 + step) * s.cols), rows: step, cols: s.cols });
        if (!plan) sizer.observe(step, performance.now() - ts);
        steps.push(step);
        r0 += step;
        coop.progress(stage, base + s0 + r0, total);
      }
    }
    return steps;
  };
  try {
    coop.progress('accumulate', 0, total);
    const planX = await pass(sx, 0, 'accumulate', (m) => acc.addX(m));
    const planY = await pass(sy, sx.rows, 'accumulate', (m) => acc.addY(m));
    t = lap(timings, 'accumulate', t);
    await coop.tick();
    coop.progress('solve', 0, 1);
    const sol = acc.solve({ topK: r.topK, samplesPerMode: r.samplesPerMode, returnScores: r.returnScores });
    coop.progress('solve', 1, 1);
    t = lap(timings, 'solve', t);
    const need = acc.needsScores();
    coop.progress('scores', 0, total);
    if (need.x) await pass(sx, 0, 'scores', (m) => acc.scoresX(m), planX);
    if (need.y) await pass(sy, sx.rows, 'scores', (m) => acc.scoresY(m), planY);
    coop.progress('scores', total, total);
    lap(timings, 'scores', t);
    return { modes: acc.modes(), specDiff: sol.specDiff, noiseDropped: sol.noiseDropped };
  } catch (e) {
    throw named(e, sx, sy);
  } finally {
    acc.dispose();
  }
}

function readChecked(s: RowSource, k: Kernel): Matrix {
  const m = toMatrix(readAll(s), s.name);
  if (k.type === 'cosine') checkNonZeroRows(m, s.name);
  return m;
}

/** For tests: the noise-floor constants of the two routes. */
