// The covariance route (DESIGN.md §1) as a streaming accumulator: C = (1/n)ΨᵀΨ
// with Ψ = [ΦX, √η·ΦY] is summed chunk by chunk (memory depends on D, never on
// n), mergeable and serialisable; solve() finds the extreme eigenpairs of J·C,
// and a second pass scores() turns them into per-sample mode scores u = Ψv/√n.
import { InputError } from './errors.js';
import { f32, f64, type WasmArray } from './memory.js';
import { init } from './wasm.js';
import type { Kernel } from './kernel-spec.js';
import type { KernelOption, MatrixLike, ProgressEvent } from './types.js';
import { toMatrix, checkSameRows, nonNegative, seedOf, positiveInt, throwIfAborted } from './validate.js';
import { FeatureMap, concreteKernel, copyRows, kernelOption } from './feature-map.js';
import { writeSnapshot, readSnapshot } from './snapshot.js';
import { syrkAccumulate, symmetrize, addInto } from './kernels/syrk.js';
import { sgemm } from './kernels/gemm.js';

export { kernelOption, copyRows };
import { packColumns, dscal } from './kernels/pack.js';
import { covarianceEigs } from './kernels/covariance-eigs.js';
import { TopSamples, selectModes, specDiffOf, buildModes } from './modes.js';
import type { Matrix, Mode, SpecDiff } from './types.js';

/** Rows per internal chunk: bounds scratch memory and keeps the SYRK panels in cache. */
export const CHUNK_ROWS = 1024;
const FORMAT_MAGIC = 'SPECACC';
const FORMAT_VERSION = 1;
/**
 * Eigenvalues with |λ| ≤ COVARIANCE_NOISE·trace(C) are round-off, not modes: C sums f32
 * products in blocks of ≤ 256 rows (relative error up to ~16 u, u = 2⁻²⁴) before the f64 flush.
 */
const COVARIANCE_NOISE = 16 * 2 ** -24;

export interface AccumulatorOptions {
  /** Kernels per side; the Gaussian needs a numeric sigma here (see estimateSigma). */
  kernelX?: KernelOption;
  kernelY?: KernelOption;
  eta?: number;
  seed?: number;
  /** Input dimensions of X and Y. */
  dx: number;
  dy: number;
}

export interface SolveOptions {
  topK?: number;
  samplesPerMode?: number;
  returnScores?: boolean;
  onProgress?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
}

/** The eigen-solution of an accumulator, before the scoring pass. */
export interface CovarianceSolution {
  n: number;
  eigenvalues: Float64Array;
  sides: ('x' | 'y')[];
  specDiff: SpecDiff;
  /** Computed eigenvalues within the noise floor, not reported as modes. */
  noiseDropped: number;
}

/**
 * Streams the covariance route of SPEC. Call `add` for every chunk of paired
 * rows, `solve` once, then `scores` for every chunk again (same order), then
 * `modes()`. Free wasm memory with `dispose()` when done.
 */
export class SpecAccumulator {
  readonly kernelX: Kernel;
  readonly kernelY: Kernel;
  readonly eta: number;
  readonly seed: number;
  readonly dx: number;
  readonly dy: number;
  readonly DX: number;
  readonly DY: number;
  readonly D: number;
  /** Rows added so far. */
  n = 0;
  /**
   * Ψ chunks kept from the accumulation pass so that scores() need not
   * recompute features; set by `cacheFeatures(bytes)`, for data held in memory.
   */
  private featureCache: Float32Array[] | null = null;
  private cacheBudget = 0;
  private cacheCursor = 0;
  private C: WasmArray<Float64Array>;
  /** solve() scales C by 1/n in place; after that the sums are gone. */
  private normalised = false;
  private mapX: FeatureMap;
  private mapY: FeatureMap;
  private scratch: { x: WasmArray<Float32Array>; y: WasmArray<Float32Array>; fx: WasmArray<Float32Array>; fy: WasmArray<Float32Array>; psi: WasmArray<Float32Array> } | null = null;
  private solution: { V: WasmArray<Float32Array>; k: number; chosen: { side: 'x' | 'y'; column: number; value: number }[]; sol: CovarianceSolution; top: TopSamples; scored: number } | null = null;

  /** Use `SpecAccumulator.create` (it loads the wasm module first). */
  constructor(opts: AccumulatorOptions) {
    this.kernelX = concreteKernel(opts.kernelX, 'X');
    this.kernelY = concreteKernel(opts.kernelY, 'Y');
    this.eta = nonNegative(opts.eta, 'eta', 1);
    this.seed = seedOf(opts.seed);
    this.dx = positiveInt(opts.dx, 'dx', 0);
    this.dy = positiveInt(opts.dy, 'dy', 0);
    // Same (d, m, σ) on both sides gives the same frequencies, so compare(X, X) is exactly 0.
    this.mapX = new FeatureMap(this.kernelX, this.dx, this.seed);
    this.mapY = new FeatureMap(this.kernelY, this.dy, this.seed);
    this.DX = this.mapX.D;
    this.DY = this.mapY.D;
    this.D = this.DX + this.DY;
    try {
      this.C = f64(this.D * this.D, `covariance (${this.D} × ${this.D})`);
    } catch (e) {
      this.mapX.free();
      this.mapY.free();
      throw e;
    }
    this.C.view.fill(0);
  }

  static async create(opts: AccumulatorOptions): Promise<SpecAccumulator> {
    await init();
    return new SpecAccumulator(opts);
  }

  private ensureScratch(): NonNullable<SpecAccumulator['scratch']> {
    if (!this.scratch) {
      const R = CHUNK_ROWS;
      this.scratch = {
        x: f32(R * this.dx, 'X chunk'),
        y: f32(R * this.dy, 'Y chunk'),
        fx: f32(R * this.DX, 'X features'),
        fy: f32(R * this.DY, 'Y features'),
        psi: f32(R * this.D, 'Ψ chunk'),
      };
    }
    return this.scratch;
  }

  /** Writes Ψ rows for samples [r0, r0+rows) of the chunk into scratch.psi. */
  private features(X: Matrix, Y: Matrix, r0: number, rows: number, globalRow: number): void {
    const s = this.ensureScratch();
    copyRows(X, r0, rows, s.x);
    copyRows(Y, r0, rows, s.y);
    this.mapX.apply(s.x, rows, s.fx, globalRow, 'X');
    this.mapY.apply(s.y, rows, s.fy, globalRow, 'Y');
    packColumns(s.fx, rows, this.DX, s.psi, this.D, 0, 1);
    packColumns(s.fy, rows, this.DY, s.psi, this.D, this.DX, Math.sqrt(this.eta));
  }

  /**
   * Keeps the features of up to `maxBytes` of rows between the two passes (they
   * are the costliest part of scores()); memory then grows with n up to that cap.
   * scores() must then receive exactly the chunks add() received, in the same order.
   */
  cacheFeatures(maxBytes: number): void {
    this.featureCache = [];
    this.cacheBudget = maxBytes;
  }

  /** Adds paired rows: row i of chunkX and row i of chunkY describe the same sample. */
  add(chunkX: MatrixLike, chunkY: MatrixLike, onProgress?: (e: ProgressEvent) => void, signal?: AbortSignal): void {
    if (this.solution) throw new Error('spec-embed: add() after solve(); create a new accumulator');
    // Values are checked where they are read, by the wasm feature maps (NaN/Inf,
    // zero rows under the cosine kernel), so large streams are scanned once.
    const X = toMatrix(chunkX, 'X', this.n, false), Y = toMatrix(chunkY, 'Y', this.n, false);
    checkSameRows(X, Y);
    this.checkCols(X, Y);
    for (let r0 = 0; r0 < X.rows; r0 += CHUNK_ROWS) {
      throwIfAborted(signal);
      const rows = Math.min(CHUNK_ROWS, X.rows - r0);
      this.features(X, Y, r0, rows, this.n + r0);
      const psi = this.scratch!.psi;
      syrkAccumulate(psi, rows, this.D, this.C, 1);
      if (this.featureCache) {
        const bytes = rows * this.D * 4;
        if (bytes <= this.cacheBudget) {
          this.featureCache.push(psi.view.slice(0, rows * this.D));
          this.cacheBudget -= bytes;
        } else {
          this.featureCache = null;
        }
      }
      onProgress?.({ stage: 'accumulate', done: r0 + rows, total: X.rows });
    }
    this.n += X.rows;
  }

  private checkCols(X: Matrix, Y: Matrix): void {
    if (X.cols !== this.dx) throw new InputError(`has ${X.cols} columns, the accumulator was made for ${this.dx}`, 'X');
    if (Y.cols !== this.dy) throw new InputError(`has ${Y.cols} columns, the accumulator was made for ${this.dy}`, 'Y');
  }

  /** Adds another accumulator's rows (same kernels, η, seed and dimensions). */
  merge(other: SpecAccumulator): void {
    if (this.normalised || other.normalised) throw new Error('spec-embed: merge() after solve(); merge before solving');
    if (this.signature() !== other.signature()) {
      throw new InputError('cannot merge accumulators with different kernels, η, seed or dimensions');
    }
    addInto(this.C, other.C, this.D * this.D);
    this.n += other.n;
  }

  private signature(): string {
    return JSON.stringify([this.kernelX, this.kernelY, this.eta, this.seed, this.dx, this.dy]);
  }

  /** Versioned binary snapshot: magic, version, JSON header, then the f64 upper-triangle sums. */
  serialize(): Uint8Array {
    if (this.normalised) throw new Error('spec-embed: serialize() after solve(); serialize the sums before solving');
    const header = { kernelX: kernelOption(this.kernelX), kernelY: kernelOption(this.kernelY), eta: this.eta, seed: this.seed, dx: this.dx, dy: this.dy, n: this.n, D: this.D };
    return writeSnapshot(FORMAT_MAGIC, FORMAT_VERSION, header, [this.C], this.D);
  }

  /** Reads a snapshot made by `serialize`, checking magic, version and size. */
  static async deserialize(bytes: Uint8Array): Promise<SpecAccumulator> {
    await init();
    const snap = readSnapshot(bytes, FORMAT_MAGIC, FORMAT_VERSION, 'accumulator');
    const h = snap.header;
    snap.checkSize(1, h.D); // before allocating anything the header claims
    const acc = new SpecAccumulator({ kernelX: h.kernelX, kernelY: h.kernelY, eta: h.eta, seed: h.seed, dx: h.dx, dy: h.dy });
    if (acc.D !== h.D || !Number.isSafeInteger(h.n) || h.n < 0) {
      acc.dispose();
      throw new InputError('not a spec-embed accumulator snapshot: header does not match its data');
    }
    snap.fill(0, acc.C, acc.D);
    acc.n = h.n;
    return acc;
  }

  /** trace((1/n)ΨᵀΨ) restricted to each side, the scale of the spectrum. */
  private traceScale(): number {
    const c = this.C.view, D = this.D;
    let t = 0;
    for (let i = 0; i < D; i++) t += c[i * D + i];
    return this.normalised ? t : t / Math.max(1, this.n);
  }

  /** Finds the top-K eigenpairs at each end of Λ through J·C. */
  solve(opts: SolveOptions = {}): CovarianceSolution {
    if (this.n === 0) throw new InputError('no rows were added');
    if (this.solution) return this.solution.sol;
    const topK = positiveInt(opts.topK, 'topK', 10);
    const samplesPerMode = positiveInt(opts.samplesPerMode, 'samplesPerMode', 20);
    const D = this.D;
    const k = Math.min(topK, D);
    // Normalise in place: a second D × D copy would double the peak memory (513 MB at D = 8000).
    const C = this.C;
    let V: WasmArray<Float32Array> | null = null;
    try {
      this.normalised = true;
      dscal(D * D, 1 / this.n, C);
      symmetrize(C, D);
      const tol = COVARIANCE_NOISE * this.traceScale();
      opts.onProgress?.({ stage: 'solve', done: 0, total: 1 });
      const res = covarianceEigs(C, D, this.DX, k, this.seed);
      opts.onProgress?.({ stage: 'solve', done: 1, total: 1 });
      const values = res.values;
      // J·C has the non-zero eigenvalues of Λ plus zeros. When n > D, Λ itself is
      // singular, so 0 belongs to its spectrum; otherwise only the non-zero ones do.
      let lmax = this.n > D ? 0 : -Infinity, lmin = this.n > D ? 0 : Infinity;
      for (let i = 0; i < values.length; i++) {
        if (Math.abs(values[i]) <= tol && this.n <= D) continue;
        lmax = Math.max(lmax, values[i]);
        lmin = Math.min(lmin, values[i]);
      }
      if (lmax === -Infinity) lmax = lmin = 0;
      const chosen = selectModes(values, topK, tol);
      // V columns are the chosen eigenvectors, f32, D × kk row-major for the scoring GEMM.
      const kk = Math.max(1, chosen.length);
      V = f32(D * kk, 'mode vectors');
      const vv = V.view;
      vv.fill(0);
      chosen.forEach((c, j) => {
        const v = res.vectors[c.column];
        for (let i = 0; i < D; i++) vv[i * kk + j] = v[i];
      });
      const sol: CovarianceSolution = {
        n: this.n,
        eigenvalues: Float64Array.from(chosen.map((c) => c.value)),
        sides: chosen.map((c) => c.side),
        specDiff: specDiffOf(lmax, lmin),
        noiseDropped: values.filter((v) => v !== 0 && Math.abs(v) <= tol).length,
      };
      this.solution = { V, k: chosen.length, chosen, sol, top: new TopSamples(chosen.length, samplesPerMode, this.n, !!opts.returnScores), scored: 0 };
      return sol;
    } catch (e) {
      V?.free();
      throw e;
    }
  }

  /** Second pass: feed the same rows again, in the same order, to score every sample. */
  scores(chunkX: MatrixLike, chunkY: MatrixLike, onProgress?: (e: ProgressEvent) => void, signal?: AbortSignal): void {
    const s = this.solution;
    if (!s) throw new Error('spec-embed: call solve() before scores()');
    const X = toMatrix(chunkX, 'X', s.scored, false), Y = toMatrix(chunkY, 'Y', s.scored, false);
    checkSameRows(X, Y);
    this.checkCols(X, Y);
    if (s.scored + X.rows > this.n) throw new InputError(`scores() received more rows (${s.scored + X.rows}) than add() did (${this.n})`);
    if (s.k === 0) {
      s.scored += X.rows;
      return;
    }
    const out = f32(CHUNK_ROWS * s.k, 'scores chunk');
    try {
      for (let r0 = 0; r0 < X.rows; r0 += CHUNK_ROWS) {
        throwIfAborted(signal);
        const rows = Math.min(CHUNK_ROWS, X.rows - r0);
        const cached = this.featureCache?.[this.cacheCursor++];
        if (cached && cached.length === rows * this.D) this.scratch!.psi.view.set(cached);
        else this.features(X, Y, r0, rows, s.scored + r0);
        sgemm(rows, s.k, this.D, this.scratch!.psi, this.D, s.V, s.k, out, s.k, 0);
        s.top.addRows(out.view, rows, s.scored + r0, 1 / Math.sqrt(this.n));
        onProgress?.({ stage: 'scores', done: r0 + rows, total: X.rows });
      }
    } finally {
      out.free();
    }
    s.scored += X.rows;
  }

  /** The modes, once every row has been scored. */
  modes(): Mode[] {
    const s = this.solution;
    if (!s) throw new Error('spec-embed: call solve() and scores() first');
    if (s.scored !== this.n) throw new InputError(`scores() saw ${s.scored} rows, add() saw ${this.n}: feed every row again`);
    return buildModes(s.chosen, s.top.finish());
  }

  // --- src/parallel: sums accumulated by workers, and the vectors for their scoring pass.

  /** Adds the D × D sums (row-major, upper triangle read) of `rows` rows accumulated elsewhere with the same options. */
  addSums(sums: Float64Array, rows: number): void {
    if (this.normalised || this.solution) throw new Error('spec-embed: addSums() after solve()');
    if (sums.length !== this.D * this.D) throw new Error(`spec-embed: addSums() needs ${this.D * this.D} sums, got ${sums.length}`);
    const c = this.C.view;
    for (let i = 0; i < c.length; i++) c[i] += sums[i];
    this.n += rows;
  }

  /** After solve(): the chosen modes' vectors v (D × k f32, row-major, column j is mode j); scores are Ψv/√n. */
  modeVectors(): { V: Float32Array; k: number } {
    const s = this.solution;
    if (!s) throw new Error('spec-embed: call solve() before modeVectors()');
    return { V: s.V.view.slice(), k: s.k };
  }

  /** Releases the wasm buffers. */
  dispose(): void {
    this.featureCache = null;
    this.C.free();
    this.mapX.free();
    this.mapY.free();
    if (this.scratch) for (const b of Object.values(this.scratch)) b.free();
    this.solution?.V.free();
    this.scratch = null;
  }
}

