// The per-kernel feature map φ of the covariance routes (docs/design.md §1), shared by
// the SPEC sums (one map per side) and the FINC sums (one map for both sets):
// ω drawn once from the seed, then φ of a chunk of rows written by the wasm
// kernels, which also check values (NaN/Inf, zero rows under the cosine kernel).
import { InputError } from '../errors.js';
import type { WasmArray } from '../wasm/memory.js';
import { featureDim, MIN_RFF_SIGMA, type Kernel } from './kernel.js';
import type { Matrix } from '../types/index.js';
import { gaussianOmega } from '../wasm/rng.js';
import { featuresCosine, featuresLinear, featuresRff } from '../wasm/features.js';

type F32 = WasmArray<Float32Array>;

export class FeatureMap {
  /** Output dimension D: d for cosine/linear, 2m for random Fourier features. */
  readonly D: number;
  private omega: F32 | null = null;

  /**
   * The same (d, m, σ, seed) always gives the same ω, so two maps built alike
   * (SPEC's X and Y sides, or FINC's two sets) embed identical rows identically.
   */
  constructor(
    readonly kernel: Kernel,
    readonly d: number,
    readonly seed: number,
    side = '',
  ) {
    this.D = featureDim(kernel, d);
    if (kernel.type === 'gaussian' && !(kernel.sigma >= MIN_RFF_SIGMA)) {
      throw new InputError(
        `sigma of kernel${side} = ${kernel.sigma} is too small for random Fourier features: the frequencies ω ~ N(0, 1/σ²) overflow float32 (sigma must be ≥ ${MIN_RFF_SIGMA})`,
      );
    }
    if (kernel.type === 'gaussian') this.omega = gaussianOmega(d, kernel.rffDim, kernel.sigma, seed);
  }

  /**
   * Writes φ of `rows` rows of x (rows × d f32 in wasm) into out (row stride
   * `ldOut`, first row at element `outOffset`; the rows start at element
   * `xOffset` of x). Bad values raise an InputError naming the global row
   * `globalRow + i` and `source`.
   */
  apply(x: F32, rows: number, out: F32, globalRow: number, source: string, outOffset = 0, ldOut = this.D, xOffset = 0): void {
    const o = { outOffset, ldOut, xOffset };
    const k = this.kernel;
    try {
      if (k.type === 'cosine') featuresCosine(x, rows, this.d, out, globalRow, o);
      else if (k.type === 'linear') featuresLinear(x, rows, this.d, out, globalRow, o);
      else featuresRff(x, rows, this.d, this.omega!, k.rffDim, out, globalRow, o);
    } catch (e) {
      if (e instanceof InputError && !e.source) throw new InputError(e.message, source);
      throw e;
    }
  }

  free(): void {
    this.omega?.free();
    this.omega = null;
  }
}

/** Copies rows [r0, r0+rows) of m into a wasm f32 buffer (converting from f64 if needed). */
export function copyRows(m: Matrix, r0: number, rows: number, dst: F32): void {
  dst.view.set(m.data.subarray(r0 * m.cols, (r0 + rows) * m.cols));
}
