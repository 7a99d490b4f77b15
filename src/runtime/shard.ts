// A worker's share of a covariance route (runs inside a worker, with its own
// wasm instance). The same options and seed give the same random features as
// the main thread's accumulator, and rows arrive in the same CHUNK_ROWS-aligned
// chunks, so each f32 block sum of the SYRK equals the in-process one: merging
// the shards' f64 sums differs from one thread only in summation order.
//
// The feature pipeline mirrors SpecSums.featureSteps() / FincSums.features():
// SPEC writes Ψ = [ΦX, √η·ΦY] (one set), FINC writes Φ of either set (two sets).
import { f32, f64, type WasmArray } from '../wasm/memory.js';
import { FeatureMap } from '../features/feature-map.js';
import { CHUNK_ROWS } from '../sums/spec-sums.js';
import { syrkAccumulate, syrkAccumulateF64, PRECISE_MAX_D } from '../wasm/syrk.js';
import { packColumns } from '../wasm/pack.js';
import { sgemm } from '../wasm/gemm.js';
import { TopSamples, type TopPartial } from '../score/modes.js';
import type { ShardSpec } from './protocol.js';

type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;

interface Scoring {
  V: F32;
  k: number;
  scale: number;
  base: number;
  top: TopSamples;
}

export class Shard {
  readonly D: number;
  private maps: FeatureMap[] = [];
  private sums: F64[] = [];
  private rows: number[];
  private bufs: F32[] = [];
  private x!: F32;
  private y: F32 | null = null;
  private fx: F32 | null = null;
  private fy: F32 | null = null;
  /** The features fed to SYRK/GEMM (Ψ for SPEC, Φ for FINC). */
  private out!: F32;
  /** Features kept between the passes, keyed by set and first global row, within `budget` bytes. */
  private cache = new Map<string, Float32Array>();
  private budget: number;
  /** False once a chunk did not fit the cache: the scoring pass then needs the data again. */
  cachedAll = true;
  private scoring: (Scoring | null)[] = [null, null];
  /** Seconds this shard spent on features (both passes) and on the SYRK, for the route's timings. */
  seconds = { features: 0, accumulate: 0 };

  constructor(readonly spec: ShardSpec) {
    this.budget = spec.cacheBytes;
    try {
      if (spec.kind === 'spec') {
        const mx = new FeatureMap(spec.kernelX, spec.dx, spec.seed);
        this.maps.push(mx);
        const my = new FeatureMap(spec.kernelY, spec.dy, spec.seed);
        this.maps.push(my);
        this.D = mx.D + my.D;
        this.x = this.buf(CHUNK_ROWS * spec.dx, 'X chunk');
        this.y = this.buf(CHUNK_ROWS * spec.dy, 'Y chunk');
        this.fx = this.buf(CHUNK_ROWS * mx.D, 'X features');
        this.fy = this.buf(CHUNK_ROWS * my.D, 'Y features');
        this.out = this.buf(CHUNK_ROWS * this.D, 'Ψ chunk');
        this.sums.push(f64(this.D * this.D, `covariance (${this.D} × ${this.D})`));
      } else {
        const m = new FeatureMap(spec.kernel, spec.d, spec.seed);
        this.maps.push(m);
        this.D = m.D;
        this.x = this.buf(CHUNK_ROWS * spec.d, 'FINC input chunk');
        this.out = this.buf(CHUNK_ROWS * this.D, 'FINC feature chunk');
        this.sums.push(f64(this.D * this.D, `FINC covariance of X (${this.D} × ${this.D})`));
        this.sums.push(f64(this.D * this.D, `FINC covariance of Y (${this.D} × ${this.D})`));
      }
    } catch (e) {
      this.free();
      throw e;
    }
    for (const s of this.sums) s.view.fill(0);
    this.rows = this.sums.map(() => 0);
  }

  private buf(n: number, what: string): F32 {
    const b = f32(n, what);
    this.bufs.push(b);
    return b;
  }

  /** Features of rows [g0, g0 + rows) (global numbering, for messages) of `set` into this.out. */
  private features(set: number, g0: number, rows: number, x: Float32Array, y: Float32Array | undefined, off: number): void {
    const t0 = performance.now();
    try {
      this.computeFeatures(set, g0, rows, x, y, off);
    } finally {
      this.seconds.features += (performance.now() - t0) / 1000;
    }
  }

  private computeFeatures(set: number, g0: number, rows: number, x: Float32Array, y: Float32Array | undefined, off: number): void {
    const s = this.spec;
    if (s.kind === 'spec') {
      const [mx, my] = this.maps;
      this.x.view.set(x.subarray(off * s.dx, (off + rows) * s.dx));
      this.y!.view.set(y!.subarray(off * s.dy, (off + rows) * s.dy));
      mx.apply(this.x, rows, this.fx!, g0, s.names[0]);
      my.apply(this.y!, rows, this.fy!, g0, s.names[1]);
      packColumns(this.fx!, rows, mx.D, this.out, this.D, 0, 1);
      packColumns(this.fy!, rows, my.D, this.out, this.D, mx.D, Math.sqrt(s.eta));
    } else {
      this.x.view.set(x.subarray(off * s.d, (off + rows) * s.d));
      this.maps[0].apply(this.x, rows, this.out, g0, s.names[set]);
    }
  }

  /** Accumulates rows [row0, row0 + rows) of `set`, in CHUNK_ROWS steps (row0 is a multiple of CHUNK_ROWS). */
  add(set: number, row0: number, rows: number, x: Float32Array, y?: Float32Array): void {
    for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rows - r0);
      this.features(set, row0 + r0, n, x, y, r0);
      // the same summation as the in-process accumulators (f64 products for small D)
      const t0 = performance.now();
      if (this.D <= PRECISE_MAX_D) syrkAccumulateF64(this.out, n, this.D, this.sums[set], 1);
      else syrkAccumulate(this.out, n, this.D, this.sums[set], 1);
      this.seconds.accumulate += (performance.now() - t0) / 1000;
      const bytes = n * this.D * 4;
      if (this.cachedAll && bytes <= this.budget) {
        this.cache.set(`${set}:${row0 + r0}`, this.out.view.slice(0, n * this.D));
        this.budget -= bytes;
      } else {
        this.cachedAll = false;
      }
    }
    this.rows[set] += rows;
  }

  /** Copies of the f64 sums (upper triangles valid), one per set. */
  takeSums(): Float64Array[] {
    return this.sums.map((s) => s.view.slice());
  }

  /** Starts the scoring pass of `set` with mode vectors V (D × k, row-major) over `rows` rows from global row `base`. */
  scoreBegin(set: number, V: Float32Array, k: number, scale: number, samplesPerMode: number, keepAll: boolean, base: number, rows: number): void {
    this.scoring[set]?.V.free();
    this.scoring[set] = null;
    const vb = f32(Math.max(1, V.length), 'mode vectors');
    vb.view.set(V);
    this.scoring[set] = { V: vb, k, scale, base, top: new TopSamples(k, samplesPerMode, rows, keepAll) };
  }

  /** Scores rows [row0, row0 + rows) of `set`, from the cache where the data are not sent again. */
  score(set: number, row0: number, rows: number, x?: Float32Array, y?: Float32Array): void {
    const sc = this.scoring[set];
    if (!sc) throw new Error('spec-embed: worker scoring before scoreBegin');
    if (sc.k === 0) return;
    const out = f32(CHUNK_ROWS * sc.k, 'scores chunk');
    try {
      for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, rows - r0);
        const cached = this.cache.get(`${set}:${row0 + r0}`);
        if (cached && cached.length === n * this.D) this.out.view.set(cached);
        else if (x) this.features(set, row0 + r0, n, x, y, r0);
        else throw new Error(`spec-embed: worker has no data for rows ${row0 + r0}..${row0 + r0 + n}`);
        sgemm(n, sc.k, this.D, this.out, this.D, sc.V, sc.k, out, sc.k, 0);
        sc.top.addRows(out.view, n, row0 + r0 - sc.base, sc.scale);
      }
    } finally {
      out.free();
    }
  }

  /** The scoring pass's mergeable top samples of `set` (indices relative to its base row). */
  partial(set: number): TopPartial {
    const sc = this.scoring[set];
    if (!sc) throw new Error('spec-embed: worker partial before scoreBegin');
    return sc.top.partial();
  }

  free(): void {
    for (const m of this.maps) m.free();
    for (const b of this.bufs) b.free();
    for (const s of this.sums) s.free();
    for (const sc of this.scoring) sc?.V.free();
    this.maps = [];
    this.bufs = [];
    this.sums = [];
    this.scoring = [null, null];
    this.cache.clear();
  }
}
