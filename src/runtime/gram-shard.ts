// A worker's part of an exact-route kernel matrix (runs inside a worker). Row
// band [r0, r1) of K is the band [0, r1 − r0) of the Gram of rows r0..n−1 alone:
// with r0 a multiple of 32 the wasm kernel packs and tiles those rows exactly
// as it does in the whole matrix, so every entry equals the one-thread entry
// bit for bit (tests/unit/parallel/gram.test.ts).
import { f32, f64, type WasmArray } from '../wasm/memory.js';
import { gramBandF64, type GramKind } from '../wasm/gram.js';

export interface GramSpec {
  n: number;
  d: number;
  kind: GramKind;
  /** exp(−γ‖xi − xj‖²) for the Gaussian (0 otherwise). */
  gamma: number;
  /** Every entry is multiplied by this. */
  scale: number;
  /** The source's name, for messages. */
  name: string;
}

export class GramShard {
  private x: WasmArray<Float32Array>;

  /** Holds the n × d rows `x` (already checked and made scale-free by the main thread). */
  constructor(
    readonly spec: GramSpec,
    x: Float32Array,
  ) {
    this.x = f32(spec.n * spec.d, `${spec.name} data`);
    this.x.view.set(x);
  }

  /**
   * Rows [r0, r1) of K from the diagonal on: (r1 − r0) rows of n − r0 entries,
   * row i holding K[i][r0..n) (the entries left of the diagonal are the band's own mirror).
   */
  rows(r0: number, r1: number): Float64Array {
    const { n, d, kind, gamma, scale, name } = this.spec;
    const m = n - r0;
    const out = f64((r1 - r0) * m, `kernel rows ${r0 + 1}..${r1}`);
    try {
      gramBandF64(this.x, r0, m, d, kind, gamma, out, scale, r1 - r0, r0, name);
      return out.view.slice();
    } finally {
      out.free();
    }
  }

  free(): void {
    this.x.free();
  }
}
