// FINC's covariance route as sums (docs/design.md §1): SX = ΣφφᵀX and SY = ΣφφᵀY
// under one feature map, summed chunk by chunk in any order; solve() finds the
// extreme eigenpairs of CX − η·CY, and a second pass scores the samples of each
// set. Internal: finc()'s routes and workers drive it; FincAccumulator
// (finc-accumulator.ts) is its public face.
import { f32, f64, formatBytes, type WasmArray } from '../wasm/memory.js';
import { InputError } from '../errors.js';
import type { Matrix, MatrixLike, KernelOption, SpecDiff } from '../types.js';
import type { FincMode } from '../finc-types.js';
import { toMatrix, etaOf, optionsOf, positiveInt, seedOf } from '../validate/checks.js';
import { featureDim, kernelOption, resolveKernel, type Kernel } from '../features/kernel.js';
import { FeatureMap, copyRows } from '../features/feature-map.js';
import { writeSnapshot, readSnapshot } from './snapshot.js';
import { syrkAccumulateF64, addInto, PRECISE_MAX_D } from '../wasm/syrk.js';
import { sgemm } from '../wasm/gemm.js';
import { wasm } from '../wasm/loader.js';
import { extremeEigsSteps } from '../solve/eigen.js';
import { addSteps, drain, zeroSteps, STEP_MS, WorkSizer, type Step } from '../runtime/cooperative.js';
import { BAND_ROWS } from '../solve/covariance-eigs.js';
import { TopSamples, selectModes, specDiffOf } from '../score/modes.js';
import { fincMode } from '../methods/routes/finc-exact.js';
import { CHUNK_ROWS, MAX_COVARIANCE_DIM } from './spec-sums.js';

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
type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;
export type Side = 'x' | 'y';

/** What solve needs. */
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
  /** Rows of X accumulated. */
  nx: number;
  /** Rows of Y accumulated. */
  ny: number;
  /** Mode eigenvalues: side x descending, then side y most negative first. */
  eigenvalues: Float64Array;
  /** The side of each eigenvalue's mode. */
  sides: Side[];
  /** vᵀCX v per mode. */
  shareX: Float64Array;
  /** vᵀCY v per mode. */
  shareY: Float64Array;
  /** SPEC-diff from the extreme eigenvalues of CX − η·CY. */
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

/** The two sets' sums of FINC's covariance route, and their solve and scoring pass. */
export class FincSums {
  /** Feature dimension. */
  readonly D: number;
  /** Rows of X and of Y added so far. */
  nx = 0;
  ny = 0;
  /** Seconds spent computing features (both passes), reported by the routes as `timings.features`. */
  featureSeconds = 0;
  private map: FeatureMap;
  /** Upper-triangle sums Σφφᵀ of X and of Y; after solve SX holds CX − ηCY and SY holds CY. */
  private SX: F64;
  private SY: F64;
  private solved = false;
  private featureSizer = new WorkSizer(STEP_MS / 2, 64);
  private syrkSizer = new WorkSizer(STEP_MS / 2, 32 * 4096 * 256);
  private disposed = false;
  private scratch: { x: F32; f: F32 } | null = null;
  private cache: { budget: number; x: Map<number, Float32Array>; y: Map<number, Float32Array> } | null = null;
  private result: { sol: FincSolution; chosen: Chosen[]; x: SideScoring; y: SideScoring } | null = null;

  /** Sums for sets of `d` columns named `names` in messages. Use `of` or `fromOptions`. */
  private constructor(readonly kernel: Kernel, readonly eta: number, readonly seed: number, readonly d: number, private readonly names: [string, string], zero = true) {
    // Refuse an impossible D before allocating anything, naming the option that made it.
    const D = featureDim(kernel, d);
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
    if (zero) {
      this.SX.view.fill(0);
      this.SY.view.fill(0);
    }
  }

  /** Sums for a resolved job's kernel over two sources (their columns and names). */
  static of(kernel: Kernel, eta: number, seed: number, sx: { cols: number; name: string }, sy: { name: string }): FincSums {
    return new FincSums(kernel, eta, seed, sx.cols, [sx.name, sy.name]);
  }

  /** `of` as a resumable computation: the two D × D sums are zeroed in steps; closing it early frees them. */
  static *ofSteps(kernel: Kernel, eta: number, seed: number, sx: { cols: number; name: string }, sy: { name: string }): Generator<void, FincSums> {
    const acc = new FincSums(kernel, eta, seed, sx.cols, [sx.name, sy.name], false);
    let ok = false;
    try {
      yield* zeroSteps(() => acc.SX.view);
      yield* zeroSteps(() => acc.SY.view);
      ok = true;
      return acc;
    } finally {
      if (!ok) acc.dispose();
    }
  }

  /** Sums from the public accumulator options, each checked (a Gaussian needs a numeric σ). */
  static fromOptions(options: { kernel?: KernelOption; eta?: number; seed?: number; d: number }): FincSums {
    const o = optionsOf(options, 'FincAccumulator options');
    const kernel = resolveKernel(o.kernel, '');
    const eta = etaOf(o.eta), seed = seedOf(o.seed);
    return new FincSums(kernel, eta, seed, positiveInt(o.d, 'd', 0), ['X', 'Y']);
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
    const name = this.names[side === 'x' ? 0 : 1];
    // Values are checked where they are read, by the wasm feature maps (NaN/Inf, zero rows).
    const m = toMatrix(chunk, name, row0, false);
    if (m.cols !== this.d) throw new InputError(`has ${m.cols} columns, the accumulator was made for d = ${this.d}`, name);
    return m;
  }

  /** φ of rows [r0, r0+rows) of m (global row g0) into scratch.f, from the cache when possible. */
  private features(m: Matrix, r0: number, rows: number, g0: number, side: Side, store: boolean): F32 {
    return drain(this.featureSteps(m, r0, rows, g0, side, store));
  }

  /** features in steps of rows sized to ~STEP_MS/2 (features are row by row: the same values). */
  private *featureSteps(m: Matrix, r0: number, rows: number, g0: number, side: Side, store: boolean): Generator<void, F32> {
    const s = this.ensureScratch();
    const cached = this.cache?.[side].get(g0);
    if (cached && cached.length === rows * this.D) {
      s.f.view.set(cached);
      return s.f;
    }
    copyRows(m, r0, rows, s.x);
    for (let i = 0; i < rows;) {
      const k = Math.min(this.featureSizer.units(), rows - i);
      const t0 = performance.now();
      this.featureSizer.start();
      this.map.apply(s.x, k, s.f, g0 + i, this.names[side === 'x' ? 0 : 1], i * this.D, this.D, i * this.d);
      this.featureSizer.stop(k);
      this.featureSeconds += (performance.now() - t0) / 1000;
      i += k;
      if (i < rows) yield;
    }
    if (store && this.cache && rows * this.D * 4 <= this.cache.budget) {
      this.cache[side].set(g0, s.f.view.slice(0, rows * this.D));
      this.cache.budget -= rows * this.D * 4;
    }
    return s.f;
  }

  /**
   * S += ΦᵀΦ for `rows` rows of f: syrkAccumulate's blocks of rows (the same
   * sums), each block's update in bands of S's rows of ~STEP_MS/2 (one 256-row
   * block is ~0.1 s at D = 3000).
   */
  private *syrkSteps(f: F32, rows: number, S: F64): Generator<void, void> {
    const ex = wasm(), D = this.D, KC = ex.syrkBlockRows() as number;
    const pack = f32(((D + 7) >> 3) * 8 * KC, 'packed Φ block');
    try {
      for (let b0 = 0; b0 < rows; b0 += KC) {
        const kc = Math.min(KC, rows - b0);
        ex.packRows(f.ptr + 4 * b0 * D, D, kc, D, pack.ptr);
        for (let i0 = 0; i0 < D;) {
          const budget = this.syrkSizer.units();
          let i1 = i0, units = 0;
          do {
            const e = Math.min(D, i1 + 32);
            units += (e - i1) * (D - i1) * kc;
            i1 = e;
          } while (i1 < D && units + 32 * (D - i1) * kc <= budget);
          this.syrkSizer.start();
          ex.syrkPackedRows(pack.ptr, D, kc, S.ptr, D, 1, i0, i1);
          this.syrkSizer.stop(units);
          i0 = i1;
          yield;
        }
      }
    } finally {
      pack.free();
    }
  }

  /** Adds rows of X (side 'x') or of Y. */
  add(chunk: MatrixLike, side: Side): void {
    drain(this.addSteps(chunk, side));
  }

  /** add as a resumable computation (features, then bands of the SYRK); an unfinished one leaves partial sums. */
  *addSteps(chunk: MatrixLike, side: Side): Generator<void, void> {
    this.live();
    if (this.solved) throw new Error('spec-embed: add after solve(); create a new accumulator');
    const start = side === 'x' ? this.nx : this.ny;
    const m = this.matrix(chunk, side, start);
    const S = side === 'x' ? this.SX : this.SY;
    for (let r0 = 0; r0 < m.rows; r0 += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, m.rows - r0);
      const f = yield* this.featureSteps(m, r0, rows, start + r0, side, true);
      if (this.D <= PRECISE_MAX_D) syrkAccumulateF64(f, rows, this.D, S, 1);
      else yield* this.syrkSteps(f, rows, S);
    }
    if (side === 'x') this.nx += m.rows;
    else this.ny += m.rows;
  }

  /** Adds another accumulator's rows (same kernel, η, seed and d), before solving. */
  merge(other: FincSums): void {
    this.live();
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
  static deserialize(bytes: Uint8Array): FincSums {
    const snap = readSnapshot(bytes, FINC_MAGIC, FINC_VERSION, 'FINC accumulator');
    const h = snap.header;
    snap.checkSize(2, h.D);
    const acc = FincSums.fromOptions({ kernel: h.kernel, eta: h.eta, seed: h.seed, d: h.d });
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
  solve(opts: FincSolveOptions): FincSolution {
    return drain(this.solveSteps(opts));
  }

  /**
   * solve as a resumable computation: the normalisation in row bands, then
   * Lanczos (extremeEigsSteps), yielding between them; the same arithmetic as
   * one call, so the same solution.
   */
  *solveSteps(opts: FincSolveOptions): Generator<Step, FincSolution> {
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
    // Element-wise, so bands give the same values as one pass (D = 5600: ~0.1 s in all).
    const ex = wasm(), band = BAND_ROWS * D;
    for (let o = 0; o < D * D; o += band) {
      const len = Math.min(band, D * D - o);
      ex.dscal(len, 1 / nx, this.SX.ptr + 8 * o);
      ex.dscal(len, 1 / ny, this.SY.ptr + 8 * o);
      ex.daxpy(len, -eta, this.SY.ptr + 8 * o, this.SX.ptr + 8 * o);
      yield { done: 0, total: 1, message: 'normalising' };
    }
    const res = yield* extremeEigsSteps({ kind: 'dense', A: this.SX, n: D }, k, { seed: this.seed + 1 });
    const floor = COV_NOISE_C * U32 * (trX + eta * trY);
    const { chosen, columns, dropped } = chooseModes(res.values, k, topK, floor);
    // one D² pass in JS per mode (~10 ms at D = 3000)
    const shareY = new Float64Array(columns.length);
    for (const [i, c] of columns.entries()) {
      shareY[i] = quadUpper(this.SY.view, D, res.vectors[c]);
      yield { done: 1, total: 1, message: 'mode shares' };
    }
    // v is an eigenvector of CX − ηCY: vᵀCXv = λ + η·vᵀCYv.
    const shareX = Float64Array.from(chosen.map((c, i) => c.value + eta * shareY[i]));
    const sol: FincSolution = {
      nx, ny,
      eigenvalues: Float64Array.from(chosen.map((c) => c.value)),
      sides: chosen.map((c) => c.side),
      shareX, shareY,
      specDiff: specDiffOf(res.values[0], res.values[k], floor),
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

  /** Scores rows of X (side 'x') or of Y: the second pass, same rows in the same order. */
  score(chunk: MatrixLike, side: Side): void {
    drain(this.scoreSteps(chunk, side));
  }

  /** score as a resumable computation (features in steps, then one GEMM per chunk of rows). */
  *scoreSteps(chunk: MatrixLike, side: Side): Generator<void, void> {
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
        const f = yield* this.featureSteps(m, r0, rows, s.scored + r0, side, false);
        sgemm(rows, s.k, this.D, f, this.D, s.V!, s.k, out, s.k, 0);
        s.top.addRows(out.view, rows, s.scored + r0);
      }
    } finally {
      out.free();
    }
    s.scored += m.rows;
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

  /** Adds the D × D sums of X (nx rows) and of Y (ny rows) accumulated elsewhere with the same options. */
  addSums(sx: Float64Array, sy: Float64Array, nx: number, ny: number): void {
    drain(this.addSumsSteps(sx, sy, nx, ny));
  }

  /** addSums in bands, yielding between them (element-wise: the same sums). */
  *addSumsSteps(sx: Float64Array, sy: Float64Array, nx: number, ny: number): Generator<void, void> {
    this.live();
    if (this.solved) throw new Error('spec-embed: addSums() after solve()');
    const len = this.D * this.D;
    if (sx.length !== len || sy.length !== len) throw new Error(`spec-embed: addSums() needs ${len} sums per set`);
    yield* addSteps(() => this.SX.view, sx);
    yield* addSteps(() => this.SY.view, sy);
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
