// A worker's share of finc()'s matrix-free solver (runs inside a worker, with
// its own wasm instance): the f32 features of one contiguous range of X's rows
// and one of Y's under FINC's one FeatureMap (same kernel and seed: the same ω
// everywhere), and its partial of the D × D operator
// (1/nx)ΦXᵀΦX − (η/ny)ΦYᵀΦY over those rows. The partial is the in-process
// operator's own lzApply on a D-side Gram operator bound to this worker's
// blocks (block X then block Y, gemvGramDAcc into a zeroed result), so only the
// order of the f64 sums over the workers differs from one thread. After the
// solve it scores its rows on the mode vectors (the in-process GEMM) into
// mergeable top samples.
import type { Kernel } from '../features/kernel.js';
import { FeatureMap } from '../features/feature-map.js';
import { f32, Scope, type WasmArray } from '../wasm/memory.js';
import { gramScale, gramScratchLength, lzApply, lzBindGram, type GramBlock } from '../wasm/lanczos.js';
import { sgemm } from '../wasm/gemm.js';
import { TopSamples, type TopPartial } from '../score/modes.js';
import { featureMoments, type FeatureMoments } from '../significance/finc-metrics.js';

/** What a worker holds: the kernel and seed, both sets' sizes (the weights) and its ranges of each. */
export interface FincMatfreeSpec {
  kernel: Kernel;
  seed: number;
  /** Input columns of both sets. */
  d: number;
  eta: number;
  /** The sources' names, for messages. */
  names: string[];
  nx: number;
  ny: number;
  /** Per set, this worker's rows [row0, row0 + rows). */
  ranges: { row0: number; rows: number }[];
}

/** The reply to `mfFincStats`: per set Σ A² (the scale bound) and the feature moments (MMD²). */
export interface FincMatfreeStats {
  norms: Float64Array;
  moments: FeatureMoments[];
}

/** The reply to `mfFincScore`: per set the top samples of this worker's rows, and Σ score² per column over its Y rows. */
export interface FincScoreReply {
  tops: TopPartial[];
  sqY: Float64Array;
}

/** Rows scored per GEMM: the in-process route's chunk. */
export const FINC_SCORE_ROWS = 2048;

export class FincMatfreeShard {
  private sc = new Scope();
  private map: FeatureMap;
  private blocks: GramBlock[] = [];
  private added: number[] = [0, 0];
  private scratch!: WasmArray<Float64Array>;
  private x!: WasmArray<Float64Array>;
  private y!: WasmArray<Float64Array>;

  constructor(readonly spec: FincMatfreeSpec) {
    this.map = new FeatureMap(spec.kernel, spec.d, spec.seed);
    try {
      const D = this.map.D;
      const weights = [1 / spec.nx, -spec.eta / spec.ny];
      spec.ranges.forEach(({ rows }, set) => {
        const A = this.sc.f32(Math.max(1, rows * D), `${spec.names[set]} features (${rows} × ${D})`);
        this.blocks.push({ A, rows, cols: D, weight: weights[set] });
      });
      this.scratch = this.sc.f64(gramScratchLength(this.blocks), 'matrix-free scratch');
      this.x = this.sc.f64(D, 'matrix-free vector');
      this.y = this.sc.f64(D, 'matrix-free result');
    } catch (e) {
      this.free();
      throw e;
    }
  }

  /** The features of rows [row0, row0 + rows) of set `set`, which arrive in order. */
  add(set: number, row0: number, rows: number, x: Float32Array): void {
    const { spec, map } = this;
    const r = spec.ranges[set],
      done = this.added[set];
    if (row0 !== r.row0 + done || done + rows > r.rows)
      throw new Error(`spec-embed: worker got matrix-free rows of set ${set} from ${row0}, expected ${r.row0 + done}`);
    const buf = f32(Math.max(1, rows * spec.d), `${spec.names[set]} rows`);
    try {
      buf.view.set(x.subarray(0, rows * spec.d));
      map.apply(buf, rows, this.blocks[set].A, row0, spec.names[set], done * map.D, map.D, 0);
    } finally {
      buf.free();
    }
    this.added[set] += rows;
  }

  /** Per set Σ A² over this worker's rows and its feature moments. */
  stats(): FincMatfreeStats {
    this.ready();
    const D = this.map.D;
    return {
      norms: Float64Array.from(this.blocks, (b) => gramScale([{ ...b, weight: 1 }])),
      moments: this.blocks.map((b) => featureMoments(b.A.view, b.rows, D)),
    };
  }

  /** This worker's partial w_X·A_XᵀA_X x + w_Y·A_YᵀA_Y x (f64) for x of D (demoted to f32 as in process). */
  apply(x: Float64Array): Float64Array {
    this.ready();
    const D = this.map.D;
    if (x.length !== D) throw new Error(`spec-embed: worker got a vector of ${x.length}, expected ${D}`);
    // module state in wasm: bound again for every request
    lzBindGram('D', D, this.blocks, this.scratch);
    this.x.view.set(x);
    lzApply(this.x, this.y);
    return this.y.view.slice(0, D);
  }

  /** Scores this worker's rows of both sets on V (D × k) into top samples; Σ score² per column over Y's rows. */
  score(V: Float32Array, k: number, samplesPerMode: number, keep: boolean[][]): FincScoreReply {
    this.ready();
    const D = this.map.D;
    const sq = new Float64Array(k);
    const sc = new Scope();
    try {
      const v = sc.f32(Math.max(1, D * k), 'mode vectors');
      v.view.set(V.subarray(0, D * k));
      const out = sc.f32(Math.max(1, FINC_SCORE_ROWS * k), 'scores chunk');
      const tops = this.blocks.map((b, set) => {
        const top = new TopSamples(k, samplesPerMode, b.rows, keep[set]);
        if (k > 0)
          for (let r0 = 0; r0 < b.rows; r0 += FINC_SCORE_ROWS) {
            const n = Math.min(FINC_SCORE_ROWS, b.rows - r0);
            sgemm(n, k, D, b.A, D, v, k, out, k, 0, r0 * D);
            const o = out.view;
            if (set === 1) for (let i = 0; i < n * k; i++) sq[i % k] += o[i] * o[i];
            top.addRows(o, n, r0);
          }
        return top.partial();
      });
      return { tops, sqY: sq };
    } finally {
      sc.free();
    }
  }

  private ready(): void {
    this.spec.ranges.forEach((r, set) => {
      if (this.added[set] !== r.rows) throw new Error(`spec-embed: worker has the features of ${this.added[set]} of its ${r.rows} rows of set ${set}`);
    });
  }

  free(): void {
    this.sc.free();
    this.map.free();
  }
}
