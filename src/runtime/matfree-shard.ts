// A worker's share of compare()'s matrix-free solver (runs inside a worker,
// with its own wasm instance): the f32 features ΦX and ΦY of one contiguous
// range of rows, and the two halves of the operator Λ = Σ_b w_b·A_b A_bᵀ on
// them. The main thread sums the workers' t_b = A_bᵀx (mfT) in worker order,
// demotes it to f32 and sends it back; each worker answers its rows of
// Σ_b w_b·A_b t_b (mfN). The kernels and their order are the in-process
// operator's (assembly/lanczos.ts lzGramT/lzGramN beside gramBlock), so only
// the summation of t differs from one thread.
import type { Kernel } from '../features/kernel.js';
import { FeatureMap } from '../features/feature-map.js';
import { f32, Scope, type WasmArray } from '../wasm/memory.js';
import { gramScale, gramScratchLength, lzBindGram, lzGramN, lzGramT, type GramBlock } from '../wasm/lanczos.js';

/** What a worker holds: both kernels and the seed (the same ω in every worker), its rows, and the weights' n. */
export interface MatfreeSpec {
  kernelX: Kernel;
  kernelY: Kernel;
  seed: number;
  /** Input columns of X and Y. */
  dx: number;
  dy: number;
  /** η = 0: Y's block has weight 0 and its features are never computed. */
  eta: number;
  /** The sources' names, for messages. */
  names: string[];
  /** All rows of the job (the operator's 1/n). */
  n: number;
  /** This worker's rows [row0, row0 + rows). */
  row0: number;
  rows: number;
}

export class MatfreeShard {
  private sc = new Scope();
  private maps: FeatureMap[] = [];
  private blocks: GramBlock[] = [];
  private added = 0;
  private scratch: WasmArray<Float64Array>;
  private x: WasmArray<Float64Array>;
  private t: WasmArray<Float64Array>;
  private t32: WasmArray<Float32Array>;
  private y: WasmArray<Float64Array>;

  constructor(readonly spec: MatfreeSpec) {
    const { rows, n, eta } = spec;
    try {
      const sides: [Kernel, number, string][] = [[spec.kernelX, spec.dx, 'X']];
      if (eta > 0) sides.push([spec.kernelY, spec.dy, 'Y']);
      sides.forEach(([k, d, side], i) => {
        const map = new FeatureMap(k, d, spec.seed, side);
        this.maps.push(map);
        const A = this.sc.f32(Math.max(1, rows * map.D), `${spec.names[i]} features (${rows} × ${map.D})`);
        this.blocks.push({ A, rows, cols: map.D, weight: i === 0 ? 1 / n : -eta / n });
      });
      const cols = this.blocks.reduce((s, b) => s + b.cols, 0);
      this.scratch = this.sc.f64(gramScratchLength(this.blocks), 'matrix-free scratch');
      this.x = this.sc.f64(Math.max(1, rows), 'matrix-free vector');
      this.y = this.sc.f64(Math.max(1, rows), 'matrix-free result');
      this.t = this.sc.f64(cols, 'matrix-free partial');
      this.t32 = this.sc.f32(cols, 'matrix-free coefficients');
    } catch (e) {
      this.free();
      throw e;
    }
  }

  /** The features of rows [row0, row0 + rows) (X's, and Y's when η > 0), which arrive in order. */
  add(row0: number, rows: number, x: Float32Array, y?: Float32Array): void {
    const { spec } = this;
    if (row0 !== spec.row0 + this.added || this.added + rows > spec.rows)
      throw new Error(`spec-embed: worker got matrix-free rows from ${row0}, expected ${spec.row0 + this.added}`);
    this.maps.forEach((map, i) => {
      const data = i === 0 ? x : y;
      if (!data) throw new Error("spec-embed: worker got no rows of Y's features");
      const cols = i === 0 ? spec.dx : spec.dy;
      const buf = f32(Math.max(1, rows * cols), `${spec.names[i]} rows`);
      try {
        buf.view.set(data.subarray(0, rows * cols));
        map.apply(buf, rows, this.blocks[i].A, row0, spec.names[i], this.added * map.D, map.D, 0);
      } finally {
        buf.free();
      }
    });
    this.added += rows;
  }

  /** Σ A_b² per block over this worker's rows (f64), for the operator's scale. */
  norms(): Float64Array {
    this.ready();
    return Float64Array.from(this.blocks, (b) => gramScale([{ ...b, weight: 1 }]));
  }

  /** [A_Xᵀx ; A_Yᵀx] in f64 for x over this worker's rows. */
  applyT(x: Float64Array): Float64Array {
    this.bind();
    if (x.length !== this.spec.rows) throw new Error(`spec-embed: worker got a vector of ${x.length} rows, holds ${this.spec.rows}`);
    this.x.view.set(x);
    lzGramT(this.blocks, this.x, this.t);
    return this.t.view.slice();
  }

  /** This worker's rows of w_X·A_X t_X + w_Y·A_Y t_Y (f64) for t = [t_X ; t_Y] in f32. */
  applyN(t: Float32Array): Float64Array {
    this.bind();
    if (t.length !== this.t32.length) throw new Error(`spec-embed: worker got ${t.length} coefficients, expected ${this.t32.length}`);
    this.t32.view.set(t);
    lzGramN(this.blocks, this.t32, this.y);
    return this.y.view.slice(0, this.spec.rows);
  }

  private ready(): void {
    if (this.added !== this.spec.rows) throw new Error(`spec-embed: worker has the features of ${this.added} of its ${this.spec.rows} rows`);
  }

  /** The Gram operator over this worker's rows (module state in wasm: bound again for every request). */
  private bind(): void {
    this.ready();
    lzBindGram('n', this.spec.rows, this.blocks, this.scratch);
  }

  free(): void {
    this.sc.free();
    for (const m of this.maps) m.free();
    this.maps = [];
  }
}
