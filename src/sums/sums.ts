// The covariance sums of both methods (docs/design.md §1): per set of rows, the
// f64 upper triangle of S = Σ feature·featureᵀ, summed chunk by chunk (memory
// depends on D, never on n) in a SYRK that sums f32 products over blocks of
// ≤ 256 rows and flushes them into f64 (f64 products for D ≤ 256). Sums merge,
// serialise and take other threads' sums; a feature cache keeps chunks between
// the accumulation and the scoring pass. SPEC has one set (Ψ = [ΦX, √η·ΦY]),
// FINC two (X's and Y's Φ under one map): spec-sums.ts and finc-sums.ts
// declare them. Solving belongs to the callers: beginSolve() hands the sums over.
import { InputError } from '../errors.js';
import { f32, f64, MAX_BLOCK_BYTES, type WasmArray } from '../wasm/memory.js';
import { addInto, syrkAccumulateF64, PRECISE_MAX_D } from '../wasm/syrk.js';
import { packRowsBlock, packedBlockLength, syrkBlockRows, syrkPackedBand } from '../wasm/sums.js';
import type { Matrix, MatrixLike } from '../types/index.js';
import { toMatrix, checkSameRows } from '../validate/checks.js';
import { WorkSizer, STEP_MS, addSteps, drain, zeroSteps, type Step } from '../runtime/cooperative.js';
import { writeSnapshot, type Snapshot } from './snapshot.js';
import { CHUNK_ROWS, type FeaturePipeline } from './features-pass.js';

type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;

/** The largest D whose D × D f64 covariance fits in one WebAssembly allocation. */
export const MAX_COVARIANCE_DIM = Math.floor(Math.sqrt(MAX_BLOCK_BYTES / 8));

/** One set of rows: the names of its inputs and the public calls that add and score it (for messages). */
export interface SetDecl {
  names: string[];
  /** What each input's columns must be, as the message says it ("10", "d = 10"). */
  madeFor: string[];
  add: string;
  score: string;
  /** The sums' name in out-of-memory messages. */
  sumsName: string;
}

/** What makes one kind of sums: its name in messages, its sets, and what must agree for a merge. */
export interface SumsDecl {
  label: string;
  sets: SetDecl[];
  /** Columns of each input (the same for every set). */
  cols: number[];
  /** Equal for sums that may be merged. */
  signature: string;
  mergeMismatch: string;
}

export class Sums {
  readonly D: number;
  /** Rows added so far, per set. */
  readonly rows: number[];
  /**
   * Per set, Σ feature over the rows (length D, f64): the feature means that
   * centred statistics (CKA's HSIC, MMD²) need beside S. Null once sums of
   * unknown column sums were added (a snapshot, an older shard).
   */
  colSums: Float64Array[] | null;
  /** Seconds spent in the SYRK. */
  accumulateSeconds = 0;
  private mats: F64[] = [];
  private pack: F32 | null = null;
  private syrkSizer = new WorkSizer(STEP_MS / 2, 32 * 4096 * 256);
  /** 'solving': a solver normalises the sums in place, so they take no more rows. */
  private state: 'open' | 'solving' | 'failed' | 'disposed' = 'open';
  /** Feature chunks keyed by set and first global row, within `budget` bytes; `intact` until one did not fit. */
  private cache: { budget: number; chunks: Map<string, Float32Array>; intact: boolean } | null = null;

  /** Takes ownership of `features` (freed on failure here, or by dispose()). */
  constructor(
    readonly decl: SumsDecl,
    readonly features: FeaturePipeline,
    zero = true,
  ) {
    this.D = features.D;
    try {
      for (const s of decl.sets) this.mats.push(f64(this.D * this.D, `${s.sumsName} (${this.D} × ${this.D})`));
    } catch (e) {
      for (const m of this.mats) m.free();
      features.free();
      throw e;
    }
    this.rows = decl.sets.map(() => 0);
    this.colSums = decl.sets.map(() => new Float64Array(this.D));
    if (zero) for (const m of this.mats) m.view.fill(0);
  }

  /** The sums zeroed in steps (up to 1 GiB each); closing early frees them. */
  *zeroSteps(): Generator<void, this> {
    let ok = false;
    try {
      for (const m of this.mats) yield* zeroSteps(() => m.view);
      ok = true;
      return this;
    } finally {
      if (!ok) this.dispose();
    }
  }

  /** Seconds spent computing features (both passes). */
  get featureSeconds(): number {
    return this.features.seconds;
  }

  /** Throws if disposed, or unusable after a failure that left partial sums. */
  live(): void {
    if (this.state === 'disposed') throw new Error(`spec-embed: ${this.decl.label} used after dispose()`);
    if (this.state === 'failed') throw new Error(`spec-embed: ${this.decl.label} unusable: a pass or solve() failed or was aborted part-way; create a new one`);
  }

  /** Whether a solver holds the sums. */
  get solving(): boolean {
    return this.state === 'solving';
  }

  /** Throws unless rows may be added to `set`. */
  checkOpen(set: number): void {
    this.live();
    if (this.solving) throw new Error(`spec-embed: ${this.decl.sets[set].add} after solve(); create a new accumulator`);
  }

  /** Checked matrices for chunks of `set` (their values are checked by the feature maps, where they are read). */
  chunks(set: number, chunks: MatrixLike[], row0: number): Matrix[] {
    const s = this.decl.sets[set];
    const ms = chunks.map((c, i) => toMatrix(c, s.names[i], row0, false));
    if (ms.length === 2) checkSameRows({ rows: ms[0].rows, name: s.names[0] }, { rows: ms[1].rows, name: s.names[1] });
    ms.forEach((m, i) => {
      if (m.cols !== this.decl.cols[i]) throw new InputError(`has ${m.cols} columns, the accumulator was made for ${s.madeFor[i]}`, s.names[i]);
    });
    return ms;
  }

  /** Keeps up to `maxBytes` of feature chunks between the passes (memory then grows with n up to that cap). */
  cacheFeatures(maxBytes: number): void {
    this.live();
    this.cache = { budget: maxBytes, chunks: new Map(), intact: true };
  }

  /** Whether every chunk fed so far kept its features (false without a cache). */
  get cacheIntact(): boolean {
    return !!this.cache?.intact;
  }

  /** Whether the cache holds every CHUNK_ROWS chunk of rows [g0, g0 + rows) of `set`. */
  cached(set: number, g0: number, rows: number): boolean {
    const c = this.cache;
    if (!c) return false;
    for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
      if (c.chunks.get(`${set}:${g0 + r0}`)?.length !== Math.min(CHUNK_ROWS, rows - r0) * this.D) return false;
    }
    return true;
  }

  /**
   * Features of rows [r0, r0 + rows) of `inputs` (global row g0) into
   * features.out: from the cache when it holds them, else computed, and kept
   * when `store` and they fit. Without inputs the cache must hold them.
   */
  *featureSteps(set: number, inputs: Matrix[] | null, r0: number, rows: number, g0: number, store: boolean): Generator<Step, F32> {
    const key = `${set}:${g0}`,
      c = this.cache;
    const hit = c?.chunks.get(key);
    if (hit && hit.length === rows * this.D) {
      this.features.load(hit);
      return this.features.out;
    }
    if (!inputs) throw new Error(`spec-embed: no data and no cached features for rows ${g0}..${g0 + rows}`);
    yield* this.features.steps(inputs, r0, rows, g0, this.decl.sets[set].names);
    const out = this.features.out;
    if (store && c) {
      const bytes = rows * this.D * 4;
      if (c.intact && bytes <= c.budget) {
        c.chunks.set(key, out.view.slice(0, rows * this.D));
        c.budget -= bytes;
      } else {
        c.intact = false;
      }
    }
    return out;
  }

  /**
   * S += FᵀF for the `rows` rows in features.out: the same blocks of 256 rows as
   * one syrkAccumulate call (bit-identical sums), each block's update split into
   * bands of S's rows of ~STEP_MS/2, so the caller can yield between bands
   * without flushing the f32 block sums more often.
   */
  private *syrkSteps(rows: number, S: F64): Generator<Step, void> {
    const F = this.features.out,
      D = this.D;
    const t0 = performance.now();
    try {
      if (D <= PRECISE_MAX_D) {
        // small D: f64 products, one call per chunk (≤ 1024 × 256²/2 multiply-adds, a few ms)
        syrkAccumulateF64(F, rows, D, S, 1);
        return;
      }
      const KC = syrkBlockRows();
      this.pack ??= f32(packedBlockLength(D), 'packed feature block');
      for (let b0 = 0; b0 < rows; b0 += KC) {
        const kc = Math.min(KC, rows - b0);
        packRowsBlock(F, b0 * D, D, kc, D, this.pack);
        for (let i0 = 0; i0 < D; ) {
          // Units: entries of S's upper triangle times rows; band boundaries on multiples of 32.
          const budget = this.syrkSizer.units();
          let i1 = i0,
            units = 0;
          do {
            const e = Math.min(D, i1 + 32);
            units += (e - i1) * (D - i1) * kc;
            i1 = e;
          } while (i1 < D && units + 32 * (D - i1) * kc <= budget);
          this.syrkSizer.start();
          syrkPackedBand(this.pack, D, kc, S, 1, i0, i1);
          this.syrkSizer.stop(units);
          i0 = i1;
          if (i0 < D) yield { done: b0, total: rows };
        }
      }
    } finally {
      this.accumulateSeconds += (performance.now() - t0) / 1000;
    }
  }

  /**
   * Adds the rows of `inputs` (checked by chunks()) to `set`, as resumable steps
   * of ≤ ~STEP_MS (features, then bands of the SYRK), with progress in rows of
   * this call. Rows are numbered from g0 (the set's count by default) in
   * messages and cache keys. A call left unfinished (error or abort) leaves
   * partial sums: the sums then refuse further use.
   */
  *addSetSteps(set: number, inputs: Matrix[], g0 = this.rows[set]): Generator<Step, void> {
    this.checkOpen(set);
    const n = inputs[0].rows,
      S = this.mats[set];
    let ok = false,
      touched = false;
    try {
      for (let r0 = 0; r0 < n; r0 += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, n - r0);
        const steps = this.featureSteps(set, inputs, r0, rows, g0 + r0, true);
        for (let r = steps.next(); !r.done; r = steps.next()) yield { done: r0 + r.value.done, total: n };
        touched = true;
        this.addColSums(set, rows);
        for (const _ of this.syrkSteps(rows, S)) yield { done: r0, total: n };
        yield { done: r0 + rows, total: n };
      }
      this.rows[set] += n;
      ok = true;
    } finally {
      if (!ok && touched) this.state = 'failed';
    }
  }

  /** Adds the column sums of the `rows` rows in features.out to set `set`. */
  private addColSums(set: number, rows: number): void {
    const cs = this.colSums?.[set];
    if (!cs) return;
    const F = this.features.out.view,
      D = this.D;
    for (let i = 0; i < rows; i++) for (let j = 0, o = i * D; j < D; j++) cs[j] += F[o + j];
  }

  /** The raw sums of `set` (row-major D × D, upper triangle valid), read-only, before solving. */
  peek(set: number): Float64Array {
    this.live();
    if (this.solving) throw new Error('spec-embed: peek() after solve()');
    return this.mats[set].view;
  }

  /** Adds another instance's rows (same declaration), before solving. */
  merge(other: Sums): void {
    this.live();
    other.live();
    if (other === this) throw new InputError('cannot merge an accumulator with itself');
    if (this.solving || other.solving) throw new Error('spec-embed: merge() after solve(); merge before solving');
    if (this.decl.signature !== other.decl.signature) throw new InputError(this.decl.mergeMismatch);
    this.mats.forEach((m, i) => addInto(m, other.mats[i], this.D * this.D));
    this.addColSumsOf(other.colSums);
    other.rows.forEach((r, i) => (this.rows[i] += r));
  }

  /** The versioned binary snapshot (snapshot.ts) with `header`, then each set's upper triangle. */
  protected snapshot(magic: string, version: number, header: object): Uint8Array {
    this.live();
    if (this.solving) throw new Error('spec-embed: serialize() after solve(); serialize the sums before solving');
    return writeSnapshot(magic, version, header, this.mats, this.D);
  }

  /** Fills every set's sums and row count from a snapshot whose size was checked. */
  restore(snap: Snapshot, rows: number[]): void {
    this.mats.forEach((m, i) => snap.fill(i, m, this.D));
    rows.forEach((r, i) => (this.rows[i] = r));
    // snapshots carry no column sums: centred statistics are then unavailable
    this.colSums = null;
  }

  /** Adds D × D sums per set (row-major, upper triangle read) of `rows` rows accumulated elsewhere alike. */
  addSums(sums: Float64Array[], rows: number[], colSums?: Float64Array[]): void {
    drain(this.addSumsSteps(sums, rows, colSums));
  }

  /** Adds other column sums set by set (null or absent: ours become unknown). */
  private addColSumsOf(other: Float64Array[] | null | undefined): void {
    if (!this.colSums || !other || other.length !== this.colSums.length) {
      this.colSums = null;
      return;
    }
    this.colSums.forEach((c, i) => c.forEach((_, j) => (c[j] += other[i][j])));
  }

  /** addSums in bands, yielding between them (element-wise: the same sums as one pass). */
  *addSumsSteps(sums: Float64Array[], rows: number[], colSums?: Float64Array[]): Generator<void, void> {
    this.live();
    if (this.solving) throw new Error('spec-embed: addSums() after solve()');
    const len = this.D * this.D;
    if (sums.length !== this.mats.length || sums.some((s) => s.length !== len)) throw new Error(`spec-embed: addSums() needs ${len} sums per set`);
    for (const [i, s] of sums.entries()) yield* addSteps(() => this.mats[i].view, s);
    this.addColSumsOf(colSums);
    rows.forEach((r, i) => (this.rows[i] += r));
  }

  /** Copies of the sums (upper triangles valid), one per set. */
  takeSums(): Float64Array[] {
    return this.mats.map((m) => m.view.slice());
  }

  /**
   * Hands the sums to a solver, which may overwrite them in place (normalise,
   * mirror): no add, merge or serialize afterwards. A solver that stops part-way
   * calls fail().
   */
  beginSolve(): F64[] {
    this.live();
    this.state = 'solving';
    return this.mats;
  }

  /** Marks the sums unusable (a pass or a solve stopped part-way). */
  fail(): void {
    if (this.state !== 'disposed') this.state = 'failed';
  }

  /** Releases the wasm buffers. Idempotent; any other call afterwards throws. */
  dispose(): void {
    if (this.state === 'disposed') return;
    this.state = 'disposed';
    this.cache = null;
    for (const m of this.mats) m.free();
    this.mats = [];
    this.pack?.free();
    this.pack = null;
    this.features.free();
  }
}
