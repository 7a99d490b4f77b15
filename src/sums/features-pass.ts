// The feature rows the sums are made of, one chunk of ≤ CHUNK_ROWS rows at a
// time: each input's map φ, laid side by side in one row of D features with a
// weight per block (SPEC: Ψ = [ΦX, √η·ΦY]; FINC: Φ of one set). Features are
// computed row by row, so the step sizes never change their values.
import type { WasmArray } from '../wasm/memory.js';
import { Scope } from '../wasm/memory.js';
import { packColumnsAt } from '../wasm/sums.js';
import type { Matrix } from '../types/index.js';
import { type FeatureMap, copyRows } from '../features/feature-map.js';
import { WorkSizer, STEP_MS, type Step } from '../runtime/cooperative.js';

type F32 = WasmArray<Float32Array>;

/** Rows per internal chunk: bounds scratch memory and keeps the SYRK panels in cache. */
export const CHUNK_ROWS = 1024;
/** Rows read from a source per step of a pass (the sums split it further). */
export const READ_ROWS = 8192;
/**
 * The covariance routes keep the features between their passes (instead of
 * reading and recomputing them) when all rows' features fit in this many bytes
 * (decided before the first pass: B2, n = 100k at D = 1280, is 488 MiB; a longer
 * stream such as B4's 250k rows × 640 never starts caching, so its memory stays
 * flat in n).
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

/** One input of a feature row: its map, and the weight of its block (√η for SPEC's Y). */
export interface FeaturePart {
  map: FeatureMap;
  scale: number;
}

export class FeaturePipeline {
  /** Features per row: the sum of the parts' dimensions. */
  readonly D: number;
  /** Seconds spent computing features, reported by the routes as `timings.features`. */
  seconds = 0;
  private sizer = new WorkSizer(STEP_MS / 2, 64);
  private scratch: { x: F32[]; f: F32[]; out: F32 } | null = null;

  /** Owns the parts' maps: free() frees them. */
  constructor(
    readonly parts: FeaturePart[],
    private readonly what: string,
  ) {
    this.D = parts.reduce((s, p) => s + p.map.D, 0);
  }

  /** The chunk of features the last steps() wrote (CHUNK_ROWS × D). */
  get out(): F32 {
    return this.buffers().out;
  }

  private buffers(): { x: F32[]; f: F32[]; out: F32 } {
    if (!this.scratch) {
      const R = CHUNK_ROWS,
        sc = new Scope(),
        joint = this.parts.length > 1;
      const names = joint ? ['X', 'Y'] : [this.what];
      try {
        this.scratch = {
          x: this.parts.map((p, i) => sc.f32(R * p.map.d, `${names[i] ?? ''} chunk`.trim())),
          f: joint ? this.parts.map((p, i) => sc.f32(R * p.map.D, `${names[i] ?? ''} features`.trim())) : [],
          out: sc.f32(R * this.D, joint ? 'Ψ chunk' : `${this.what} feature chunk`),
        };
      } catch (e) {
        sc.free();
        throw e;
      }
    }
    return this.scratch;
  }

  /**
   * Writes the features of rows [r0, r0 + rows) of `inputs` (one matrix per
   * part, rows ≤ CHUNK_ROWS) into `out` from row 0, in steps of ~STEP_MS/2
   * (RFF features of 1024 rows take ~100 ms at d = 768, m = 1000). Bad values
   * raise an InputError naming global row g0 + i and that part's name.
   */
  *steps(inputs: Matrix[], r0: number, rows: number, g0: number, names: string[]): Generator<Step, void> {
    const s = this.buffers(),
      D = this.D;
    if (this.parts.length === 1) {
      const map = this.parts[0].map;
      copyRows(inputs[0], r0, rows, s.x[0]);
      for (let i = 0; i < rows; ) {
        const m = Math.min(this.sizer.units(), rows - i);
        this.timed(m, () => map.apply(s.x[0], m, s.out, g0 + i, names[0], i * D, D, i * map.d));
        i += m;
        if (i < rows) yield { done: i, total: rows };
      }
      return;
    }
    for (let i = 0; i < rows; ) {
      const m = Math.min(this.sizer.units(), rows - i);
      this.timed(m, () => {
        let off = 0;
        this.parts.forEach((p, j) => {
          copyRows(inputs[j], r0 + i, m, s.x[j]);
          p.map.apply(s.x[j], m, s.f[j], g0 + i, names[j]);
        });
        this.parts.forEach((p, j) => {
          packColumnsAt(s.f[j], m, p.map.D, s.out, i * D, D, off, p.scale);
          off += p.map.D;
        });
      });
      i += m;
      if (i < rows) yield { done: i, total: rows };
    }
  }

  private timed(units: number, f: () => void): void {
    const t0 = performance.now();
    this.sizer.start();
    try {
      f();
    } finally {
      this.sizer.stop(units);
      this.seconds += (performance.now() - t0) / 1000;
    }
  }

  /** Copies `rows` feature rows kept from an earlier pass into `out`. */
  load(rows: Float32Array): void {
    this.buffers().out.view.set(rows);
  }

  free(): void {
    for (const p of this.parts) p.map.free();
    if (this.scratch) {
      for (const b of [...this.scratch.x, ...this.scratch.f, this.scratch.out]) b.free();
      this.scratch = null;
    }
  }
}
