// The covariance route's sums (docs/design.md §1): C = ΨᵀΨ with Ψ = [ΦX, √η·ΦY]
// summed chunk by chunk (memory depends on D, never on n), mergeable and
// serialisable; solveSteps() finds the extreme eigenpairs of J·C, and a second
// pass (scoreSteps) turns them into per-sample mode scores u = Ψv/√n. Internal:
// compare()'s routes and workers drive it directly; SpecAccumulator
// (accumulator.ts) is its public face.
import { InputError } from '../errors.js';
import { f32, f64, formatBytes, MAX_BLOCK_BYTES, Scope, type WasmArray } from '../wasm/memory.js';
import { wasm } from '../wasm/loader.js';
import { featureDim, kernelOption, resolveKernel, type Kernel } from '../features/kernel.js';
import type { KernelOption, MatrixLike, Matrix, Mode, SpecDiff } from '../types.js';
import { toMatrix, checkSameRows, etaOf, seedOf, positiveInt, optionsOf } from '../validate/checks.js';
import { WorkSizer, STEP_MS, addSteps, drain, zeroSteps, type Step } from '../runtime/cooperative.js';
import { FeatureMap, copyRows } from '../features/feature-map.js';
import { writeSnapshot, readSnapshot } from './snapshot.js';
import { addInto, syrkAccumulateF64, PRECISE_MAX_D } from '../wasm/syrk.js';
import { sgemm } from '../wasm/gemm.js';
import { covarianceEigsSteps, BAND_ROWS } from '../solve/covariance-eigs.js';
import { TopSamples, selectModes, specDiffOf, buildModes } from '../score/modes.js';

/** Rows per internal chunk: bounds scratch memory and keeps the SYRK panels in cache. */
export const CHUNK_ROWS = 1024;
/** Rows read from a source per step of a pass (the sums split it further). */
export const READ_ROWS = 8192;
/**
 * The covariance route keeps the features between its passes (instead of reading
 * and recomputing them) when all n rows' Ψ fit in this many bytes (decided before
 * the first pass: B2, n = 100k at D = 1280, is 488 MiB; a longer stream such as
 * B4's 250k rows × 640 never starts caching, so its memory stays flat in n).
 */
export const FEATURE_CACHE_BYTES = 512 * 2 ** 20;

let cacheLimit = FEATURE_CACHE_BYTES;

/** Tests only: the budget featureCacheBytes() allows (0: never cache), so the re-reading scoring passes run at small sizes too. */
export function setFeatureCacheLimit(bytes: number = FEATURE_CACHE_BYTES): void {
  cacheLimit = bytes;
}

/** The feature cache for n rows of D features: the whole budget when all of them fit, else 0 (none). */
export function featureCacheBytes(n: number, D: number): number {
  return cacheLimit > 0 && 4 * n * D <= cacheLimit ? cacheLimit : 0;
}
const FORMAT_MAGIC = 'SPECACC';
/** 2: a checksum over the whole file (snapshot.ts). */
const FORMAT_VERSION = 2;
/**
 * Eigenvalues with |λ| ≤ COVARIANCE_NOISE·trace(C) are round-off, not modes: C sums f32
 * products in blocks of ≤ 256 rows (relative error up to ~16 u, u = 2⁻²⁴) before the f64 flush.
 */
const COVARIANCE_NOISE = 16 * 2 ** -24;

/** What solveSteps needs. */
export interface SolveSettings {
  topK?: number;
  samplesPerMode?: number;
  returnScores?: boolean;
}

/** The eigen-solution of the sums, before the scoring pass. */
export interface CovarianceSolution {
  /** Rows accumulated. */
  n: number;
  /** Mode eigenvalues: side x descending, then side y most negative first. */
  eigenvalues: Float64Array;
  /** The side of each eigenvalue's mode. */
  sides: ('x' | 'y')[];
  /** SPEC-diff from the extreme eigenvalues of Λ. */
  specDiff: SpecDiff;
  /** Computed eigenvalues within the noise floor, not reported as modes. */
  noiseDropped: number;
}

/** The largest D whose D × D f64 covariance fits in one WebAssembly allocation. */
export const MAX_COVARIANCE_DIM = Math.floor(Math.sqrt(MAX_BLOCK_BYTES / 8));

/**
 * Refuses, before anything is allocated, a covariance route whose D × D f64
 * covariance cannot fit in WebAssembly memory, naming what makes D large.
 */
export function checkCovarianceSize(kx: Kernel, dx: number, ky: Kernel, dy: number, exactHint?: { n: number; max: number }): void {
  const DX = featureDim(kx, dx), DY = featureDim(ky, dy), D = DX + DY;
  if (D <= MAX_COVARIANCE_DIM) return;
  const [k, d, side] = DX >= DY ? [kx, dx, 'X'] : [ky, dy, 'Y'];
  const what = k.type === 'gaussian' ? `rffDim of kernel${side} = ${k.rffDim}` : `${side} has ${d} columns, so the ${k.type} kernel's feature map`;
  // The exact route needs n × n kernels, not D × D: say so when n allows it.
  const hint = exactHint && exactHint.n <= exactHint.max ? `; n = ${exactHint.n} is small enough for method 'exact' (--method exact: two ${exactHint.n} × ${exactHint.n} kernel matrices)` : '';
  throw new InputError(`${what} gives D = ${D} features: the D × D f64 covariance would need ${formatBytes(D * D * 8)}, more than one WebAssembly allocation holds (${formatBytes(MAX_BLOCK_BYTES)}, D ≤ ${MAX_COVARIANCE_DIM})${hint}`);
}

/** Paired-row sums of SPEC's covariance route, and their solve and scoring pass. */
export class SpecSums {
  readonly DX: number;
  readonly DY: number;
  readonly D: number;
  /** Rows added so far. */
  n = 0;
  /** Seconds spent computing features (both passes), reported by the routes as `timings.features`. */
  featureSeconds = 0;
  /**
   * Ψ chunks kept from the accumulation pass so that scores need not
   * recompute features; set by `cacheFeatures(bytes)` (the covariance route: featureCacheBytes).
   */
  private featureCache: Float32Array[] | null = null;
  private cacheBudget = 0;
  private cacheCursor = 0;
  private C: WasmArray<Float64Array>;
  /** solve scales C by 1/n in place; after that the sums are gone. */
  private normalised = false;
  private mapX: FeatureMap;
  private mapY: FeatureMap;
  private scratch: { x: WasmArray<Float32Array>; y: WasmArray<Float32Array>; fx: WasmArray<Float32Array>; fy: WasmArray<Float32Array>; psi: WasmArray<Float32Array>; pack: WasmArray<Float32Array> } | null = null;
  /** Step sizes (rows of features, C entries × rows of SYRK) learnt from measured times. */
  private featureSizer = new WorkSizer(STEP_MS / 2, 64);
  private syrkSizer = new WorkSizer(STEP_MS / 2, 32 * 4096 * 256);
  private solution: { V: WasmArray<Float32Array>; k: number; chosen: { side: 'x' | 'y'; column: number; value: number }[]; sol: CovarianceSolution; top: TopSamples; scored: number } | null = null;
  private disposed = false;
  /** A solve that threw (or was aborted) after normalising C in place: the sums are gone. */
  private failed = false;

  /**
   * Sums for inputs of `dx` and `dy` columns named `nameX`, `nameY` in messages
   * (a file name, or 'X'/'Y'). Use `of` or `fromOptions`.
   */
  private constructor(readonly kernelX: Kernel, readonly kernelY: Kernel, readonly eta: number, readonly seed: number,
    readonly dx: number, readonly dy: number, private readonly nameX: string, private readonly nameY: string, zero = true) {
    checkCovarianceSize(kernelX, dx, kernelY, dy);
    // Same (d, m, σ) on both sides gives the same frequencies, so compare(X, X) is exactly 0.
    const mapX = new FeatureMap(kernelX, dx, seed, 'X');
    let mapY: FeatureMap | null = null;
    try {
      mapY = new FeatureMap(kernelY, dy, seed, 'Y');
      this.D = mapX.D + mapY.D;
      this.C = f64(this.D * this.D, `covariance (${this.D} × ${this.D})`);
    } catch (e) {
      mapX.free();
      mapY?.free();
      throw e;
    }
    this.mapX = mapX;
    this.mapY = mapY;
    this.DX = mapX.D;
    this.DY = mapY.D;
    if (zero) this.C.view.fill(0);
  }

  /** Sums for a resolved job's kernels over two sources (their columns and names). */
  static of(kx: Kernel, ky: Kernel, eta: number, seed: number, sx: { cols: number; name: string }, sy: { cols: number; name: string }): SpecSums {
    return new SpecSums(kx, ky, eta, seed, sx.cols, sy.cols, sx.name, sy.name);
  }

  /** `of` as a resumable computation: C (up to 1 GiB) is zeroed in steps; closing it early frees the sums. */
  static *ofSteps(kx: Kernel, ky: Kernel, eta: number, seed: number, sx: { cols: number; name: string }, sy: { cols: number; name: string }): Generator<void, SpecSums> {
    const acc = new SpecSums(kx, ky, eta, seed, sx.cols, sy.cols, sx.name, sy.name, false);
    let ok = false;
    try {
      yield* zeroSteps(() => acc.C.view);
      ok = true;
      return acc;
    } finally {
      if (!ok) acc.dispose();
    }
  }

  /** Sums from the public accumulator options, each checked (a Gaussian needs a numeric σ). */
  static fromOptions(options: { kernelX?: KernelOption; kernelY?: KernelOption; eta?: number; seed?: number; dx: number; dy: number }): SpecSums {
    const o = optionsOf(options, 'SpecAccumulator options');
    const kx = resolveKernel(o.kernelX, 'X'), ky = resolveKernel(o.kernelY, 'Y');
    const eta = etaOf(o.eta), seed = seedOf(o.seed);
    return new SpecSums(kx, ky, eta, seed, positiveInt(o.dx, 'dx', 0), positiveInt(o.dy, 'dy', 0), 'X', 'Y');
  }

  /** Throws if the accumulator was disposed (every method but dispose checks). */
  private live(): void {
    if (this.disposed) throw new Error('spec-embed: SpecAccumulator used after dispose()');
    if (this.failed) throw new Error('spec-embed: SpecAccumulator unusable: its solve() failed or was aborted after normalising the sums; create a new one');
  }

  private ensureScratch(): NonNullable<SpecSums['scratch']> {
    if (!this.scratch) {
      const R = CHUNK_ROWS;
      const sc = new Scope();
      try {
        this.scratch = {
          x: sc.f32(R * this.dx, 'X chunk'),
          y: sc.f32(R * this.dy, 'Y chunk'),
          fx: sc.f32(R * this.DX, 'X features'),
          fy: sc.f32(R * this.DY, 'Y features'),
          psi: sc.f32(R * this.D, 'Ψ chunk'),
          pack: sc.f32(((this.D + 7) >> 3) * 8 * (wasm().syrkBlockRows() as number), 'packed Ψ block'),
        };
      } catch (e) {
        sc.free();
        throw e;
      }
    }
    return this.scratch;
  }

  /**
   * Writes Ψ rows for samples [r0, r0+rows) of the chunk into scratch.psi,
   * starting at row `psiRow`, in steps of ~STEP_MS/2 (RFF features of 1024
   * rows take ~100 ms at d = 768, m = 1000).
   */
  private *featureSteps(X: Matrix, Y: Matrix, r0: number, rows: number, globalRow: number): Generator<Step, void> {
    const s = this.ensureScratch();
    const ex = wasm();
    for (let i = 0; i < rows;) {
      const m = Math.min(this.featureSizer.units(), rows - i);
      const t0 = performance.now();
      this.featureSizer.start();
      copyRows(X, r0 + i, m, s.x);
      copyRows(Y, r0 + i, m, s.y);
      this.mapX.apply(s.x, m, s.fx, globalRow + i, this.nameX);
      this.mapY.apply(s.y, m, s.fy, globalRow + i, this.nameY);
      const psi = s.psi.ptr + 4 * i * this.D;
      ex.packColumns(s.fx.ptr, m, this.DX, psi, this.D, 0, 1);
      ex.packColumns(s.fy.ptr, m, this.DY, psi, this.D, this.DX, Math.sqrt(this.eta));
      this.featureSizer.stop(m);
      this.featureSeconds += (performance.now() - t0) / 1000;
      i += m;
      if (i < rows) yield { done: i, total: rows };
    }
  }

  /**
   * C += ΨᵀΨ for the `rows` rows in scratch.psi: the same blocks of 256 rows as
   * one syrkAccumulate call (bit-identical sums), each block's update split into
   * bands of C's rows of ~STEP_MS/2, so the caller can yield between bands
   * without flushing the f32 block sums into C more often.
   */
  private *syrkSteps(rows: number): Generator<Step, void> {
    const s = this.scratch!;
    const ex = wasm();
    if (this.D <= PRECISE_MAX_D) {
      // small D: f64 products, one call per chunk (≤ 1024 × 256²/2 multiply-adds, a few ms)
      syrkAccumulateF64(s.psi, rows, this.D, this.C, 1);
      return;
    }
    const KC = ex.syrkBlockRows() as number, D = this.D;
    for (let b0 = 0; b0 < rows; b0 += KC) {
      const kc = Math.min(KC, rows - b0);
      ex.packRows(s.psi.ptr + 4 * b0 * D, D, kc, D, s.pack.ptr);
      for (let i0 = 0; i0 < D;) {
        // Units: entries of C's upper triangle times rows; band boundaries on multiples of 32.
        const budget = this.syrkSizer.units();
        let i1 = i0, units = 0;
        do {
          const e = Math.min(D, i1 + 32);
          units += (e - i1) * (D - i1) * kc;
          i1 = e;
        } while (i1 < D && units + 32 * (D - i1) * kc <= budget);
        this.syrkSizer.start();
        ex.syrkPackedRows(s.pack.ptr, D, kc, this.C.ptr, D, 1, i0, i1);
        this.syrkSizer.stop(units);
        i0 = i1;
        if (i0 < D) yield { done: b0, total: rows };
      }
    }
  }

  /**
   * Keeps the features of up to `maxBytes` of rows between the two passes (they
   * and reading the rows again are the costliest part of scores()); memory then grows with n up to that cap.
   * scores() must then receive exactly the chunks add() received, in the same order.
   */
  cacheFeatures(maxBytes: number): void {
    this.live();
    this.featureCache = [];
    this.cacheBudget = maxBytes;
  }

  /**
   * add() as resumable steps of ≤ ~STEP_MS (features, then bands of the SYRK),
   * with progress in rows of this chunk; compare() drives it cooperatively.
   * A chunk left unfinished (error or abort) leaves partial sums: the
   * accumulator then refuses further use.
   */
  *addSteps(chunkX: MatrixLike, chunkY: MatrixLike): Generator<Step, void> {
    this.live();
    if (this.solution) throw new Error('spec-embed: add() after solve(); create a new accumulator');
    // Values are checked where they are read, by the wasm feature maps (NaN/Inf,
    // zero rows under the cosine kernel), so large streams are scanned once.
    const X = toMatrix(chunkX, this.nameX, this.n, false), Y = toMatrix(chunkY, this.nameY, this.n, false);
    checkSameRows({ rows: X.rows, name: this.nameX }, { rows: Y.rows, name: this.nameY });
    this.checkCols(X, Y);
    let ok = false, touched = false;
    try {
      for (let r0 = 0; r0 < X.rows; r0 += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, X.rows - r0);
        for (const st of this.featureSteps(X, Y, r0, rows, this.n + r0)) yield { done: r0 + st.done, total: X.rows };
        touched = true;
        for (const _ of this.syrkSteps(rows)) yield { done: r0, total: X.rows };
        const psi = this.scratch!.psi;
        if (this.featureCache) {
          const bytes = rows * this.D * 4;
          if (bytes <= this.cacheBudget) {
            this.featureCache.push(psi.view.slice(0, rows * this.D));
            this.cacheBudget -= bytes;
          } else {
            this.featureCache = null;
          }
        }
        yield { done: r0 + rows, total: X.rows };
      }
      this.n += X.rows;
      ok = true;
    } finally {
      if (!ok && touched) this.failed = true;
    }
  }

  private checkCols(X: Matrix, Y: Matrix): void {
    if (X.cols !== this.dx) throw new InputError(`has ${X.cols} columns, the accumulator was made for ${this.dx}`, this.nameX);
    if (Y.cols !== this.dy) throw new InputError(`has ${Y.cols} columns, the accumulator was made for ${this.dy}`, this.nameY);
  }

  /** Adds another accumulator's rows (same kernels, η, seed and dimensions). */
  merge(other: SpecSums): void {
    this.live();
    other.live();
    if (other === this) throw new InputError('cannot merge an accumulator with itself');
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
    this.live();
    if (this.normalised) throw new Error('spec-embed: serialize() after solve(); serialize the sums before solving');
    const header = { kernelX: kernelOption(this.kernelX), kernelY: kernelOption(this.kernelY), eta: this.eta, seed: this.seed, dx: this.dx, dy: this.dy, n: this.n, D: this.D };
    return writeSnapshot(FORMAT_MAGIC, FORMAT_VERSION, header, [this.C], this.D);
  }

  /**
   * Reads a snapshot made by `serialize`: magic, version, checksum, every header
   * field (an InputError names a bad one) and the size are checked before
   * anything is allocated; a failure frees whatever was allocated.
   */
  static deserialize(bytes: Uint8Array): SpecSums {
    const snap = readSnapshot(bytes, FORMAT_MAGIC, FORMAT_VERSION, 'accumulator');
    const h = snap.header;
    snap.checkSize(1, h.D); // before allocating anything the header claims
    const acc = SpecSums.fromOptions({ kernelX: h.kernelX, kernelY: h.kernelY, eta: h.eta, seed: h.seed, dx: h.dx, dy: h.dy });
    try {
      if (acc.D !== h.D) throw new InputError('not a spec-embed accumulator snapshot: header does not match its data');
      snap.fill(0, acc.C, acc.D);
      acc.n = h.n;
      return acc;
    } catch (e) {
      acc.dispose();
      throw e;
    }
  }

  /** trace((1/n)ΨᵀΨ) restricted to each side, the scale of the spectrum. */
  private traceScale(): number {
    const c = this.C.view, D = this.D;
    let t = 0;
    for (let i = 0; i < D; i++) t += c[i * D + i];
    return this.normalised ? t : t / Math.max(1, this.n);
  }

  /** Finds the top-K eigenpairs at each end of Λ through J·C, in steps (once; later calls return the same solution). */
  *solveSteps(opts: SolveSettings): Generator<Step, CovarianceSolution> {
    this.live();
    if (this.n === 0) throw new InputError('no rows were added');
    if (this.solution) return this.solution.sol;
    const topK = positiveInt(opts.topK, 'topK', 10);
    const samplesPerMode = positiveInt(opts.samplesPerMode, 'samplesPerMode', 20);
    const D = this.D;
    const k = Math.min(topK, D);
    // Normalise in place: a second D × D copy would double the peak memory (513 MB at D = 8000).
    const C = this.C;
    let V: WasmArray<Float32Array> | null = null;
    let ok = false;
    try {
      this.normalised = true;
      // C ← C/n and its lower triangle from the upper, in row bands (each is D²
      // work: ~0.2 s at D = 11000); a band's mirror reads rows already scaled.
      const ex = wasm();
      yield { done: 0, total: D, message: 'Cholesky pivots' };
      for (let r0 = 0; r0 < D; r0 += BAND_ROWS) {
        const r1 = Math.min(D, r0 + BAND_ROWS);
        ex.dscal((r1 - r0) * D, 1 / this.n, C.ptr + 8 * r0 * D);
        ex.symmetrizeRows(C.ptr, D, r0, r1);
        yield { done: 0, total: D, message: 'Cholesky pivots' };
      }
      const tol = COVARIANCE_NOISE * this.traceScale();
      // The k largest and k smallest eigenvalues whatever their signs (ARPACK's 'BE'),
      // not "k positive and k negative": negative eigenvalues far smaller than the
      // positive ones (a small η) may not show among the Ritz values before the
      // positive end converges, and a sign-split search would then report none; and
      // with n ≤ D and η = 0 every eigenvalue is positive, λmin the smallest of them.
      const res = yield* covarianceEigsSteps(C, D, this.DX, k, this.seed, false);
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
      // values = [k largest, k smallest]; the two lists share pairs when the rank is below 2k.
      const chosen = selectModes(values, topK, tol, k);
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
        specDiff: specDiffOf(lmax, lmin, tol),
        noiseDropped: values.subarray(0, k).filter((v) => v > 0 && v <= tol).length + values.subarray(k).filter((v) => v < 0 && v >= -tol).length,
      };
      this.solution = { V, k: chosen.length, chosen, sol, top: new TopSamples(chosen.length, samplesPerMode, this.n, !!opts.returnScores), scored: 0 };
      ok = true;
      return sol;
    } finally {
      // Thrown or aborted (the generator closed early): C no longer holds the sums.
      if (!ok) {
        V?.free();
        this.failed = true;
      }
    }
  }

  /** Whether every row added so far kept its features (the scoring pass then needs no data: scoreCachedSteps). */
  get allCached(): boolean {
    return this.featureCache !== null && this.featureCache.length === Math.ceil(this.n / CHUNK_ROWS);
  }

  /**
   * scores() as resumable steps (features of uncached rows in ~STEP_MS/2 steps,
   * one GEMM per chunk), progress in rows of this chunk.
   */
  *scoreSteps(chunkX: MatrixLike, chunkY: MatrixLike): Generator<Step, void> {
    this.live();
    const s = this.solution;
    if (!s) throw new Error('spec-embed: call solve() before scores()');
    const X = toMatrix(chunkX, this.nameX, s.scored, false), Y = toMatrix(chunkY, this.nameY, s.scored, false);
    checkSameRows({ rows: X.rows, name: this.nameX }, { rows: Y.rows, name: this.nameY });
    this.checkCols(X, Y);
    yield* this.scoreRows(X.rows, X, Y);
  }

  /** scoreSteps for the next `rows` rows from the cached features alone (when allCached; the route then reads no data). */
  *scoreCachedSteps(rows: number): Generator<Step, void> {
    this.live();
    if (!this.solution) throw new Error('spec-embed: call solve() before scores()');
    if (!this.allCached) throw new Error('spec-embed: scoreCachedSteps() without every feature cached');
    yield* this.scoreRows(rows, null, null);
  }

  private *scoreRows(total: number, X: Matrix | null, Y: Matrix | null): Generator<Step, void> {
    const s = this.solution!;
    if (s.scored + total > this.n) throw new InputError(`scores() received more rows (${s.scored + total}) than add() did (${this.n})`);
    if (s.k === 0) {
      s.scored += total;
      return;
    }
    let ok = false, touched = false;
    const out = f32(CHUNK_ROWS * s.k, 'scores chunk');
    try {
      for (let r0 = 0; r0 < total; r0 += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, total - r0);
        touched = true; // the cache cursor moves now
        const cached = this.featureCache?.[this.cacheCursor++];
        if (cached && cached.length === rows * this.D) this.ensureScratch().psi.view.set(cached);
        else if (X && Y) for (const st of this.featureSteps(X, Y, r0, rows, s.scored + r0)) yield { done: r0 + st.done, total };
        else throw new Error('spec-embed: cached features do not match the chunks scored');
        sgemm(rows, s.k, this.D, this.scratch!.psi, this.D, s.V, s.k, out, s.k, 0);
        s.top.addRows(out.view, rows, s.scored + r0, 1 / Math.sqrt(this.n));
        yield { done: r0 + rows, total };
      }
      s.scored += total;
      ok = true;
    } finally {
      out.free();
      if (!ok && touched) this.failed = true;
    }
  }

  /** The modes, once every row has been scored. */
  modes(): Mode[] {
    this.live();
    const s = this.solution;
    if (!s) throw new Error('spec-embed: call solve() and scores() first');
    if (s.scored !== this.n) throw new InputError(`scores() saw ${s.scored} rows, add() saw ${this.n}: feed every row again`);
    return buildModes(s.chosen, s.top.finish());
  }

  /** Adds the D × D sums (row-major, upper triangle read) of `rows` rows accumulated elsewhere with the same options. */
  addSums(sums: Float64Array, rows: number): void {
    drain(this.addSumsSteps(sums, rows));
  }

  /** addSums in bands of C, yielding between them (D = 4000: 16 M additions). */
  *addSumsSteps(sums: Float64Array, rows: number): Generator<void, void> {
    if (this.normalised || this.solution) throw new Error('spec-embed: addSums() after solve()');
    if (sums.length !== this.D * this.D) throw new Error(`spec-embed: addSums() needs ${this.D * this.D} sums, got ${sums.length}`);
    yield* addSteps(() => this.C.view, sums);
    this.n += rows;
  }

  /** After solve(): the chosen modes' vectors v (D × k f32, row-major, column j is mode j); scores are Ψv/√n. */
  modeVectors(): { V: Float32Array; k: number } {
    const s = this.solution;
    if (!s) throw new Error('spec-embed: call solve() before modeVectors()');
    return { V: s.V.view.slice(), k: s.k };
  }

  /** Releases the wasm buffers. Idempotent; any other call afterwards throws. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.featureCache = null;
    this.C.free();
    this.mapX.free();
    this.mapY.free();
    if (this.scratch) for (const b of Object.values(this.scratch)) b.free();
    this.solution?.V.free();
    this.scratch = null;
  }
}

