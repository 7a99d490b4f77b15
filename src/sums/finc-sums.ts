// FINC's covariance sums (docs/design.md §1): two sets, X's rows and Y's rows,
// under one feature map, so the sums are SX = ΣφφᵀX and SY = ΣφφᵀY, added in
// any order. A declaration of sums.ts; the solve (CX − η·CY) is
// score/finc-solve.ts, the public face methods/finc-accumulator.ts.
import { InputError } from '../errors.js';
import { formatBytes } from '../wasm/memory.js';
import type { KernelOption, MatrixLike } from '../types/index.js';
import { etaOf, optionsOf, positiveInt, seedOf } from '../validate/checks.js';
import { featureDim, kernelOption, resolveKernel, type Kernel } from '../features/kernel.js';
import { FeatureMap } from '../features/feature-map.js';
import type { Step } from '../runtime/cooperative.js';
import { readSnapshot } from './snapshot.js';
import { Sums, MAX_COVARIANCE_DIM } from './sums.js';
import { FeaturePipeline } from './features-pass.js';
import type { ScorePass } from './score-pass.js';

const FINC_MAGIC = 'FINCACC';
const FINC_VERSION = 2; // 2: snapshot.ts layout with a checksum
export type Side = 'x' | 'y';

/** The set of a side: X's rows are set 0, Y's set 1. */
export const setOf = (side: Side): number => (side === 'x' ? 0 : 1);

/** The two sets' sums of FINC's covariance route. */
export class FincSums extends Sums {
  private constructor(
    readonly kernel: Kernel,
    readonly eta: number,
    readonly seed: number,
    readonly d: number,
    pipeline: FeaturePipeline,
    names: [string, string],
    zero: boolean,
  ) {
    const set = (name: string, s: string) => ({
      names: [name],
      madeFor: [`d = ${d}`],
      add: `add${s}()`,
      score: `scores${s}()`,
      sumsName: `FINC covariance of ${s}`,
    });
    super(
      {
        label: 'FincAccumulator',
        sets: [set(names[0], 'X'), set(names[1], 'Y')],
        cols: [d],
        signature: JSON.stringify([kernel, eta, seed, d]),
        mergeMismatch: 'cannot merge FINC accumulators with different kernels, η, seed or d',
      },
      pipeline,
      zero,
    );
  }

  /** Sums for sets of `d` columns named `names` in messages. */
  private static make(kernel: Kernel, eta: number, seed: number, d: number, names: [string, string], zero = true): FincSums {
    // Refuse an impossible D before allocating anything, naming the option that made it.
    const D = featureDim(kernel, d);
    if (D > MAX_COVARIANCE_DIM) {
      const what = kernel.type === 'gaussian' ? `rffDim of kernel = ${kernel.rffDim}` : `d = ${d} under the ${kernel.type} kernel`;
      throw new InputError(
        `${what} gives D = ${D} features: each of the two D × D f64 covariances would need ${formatBytes(D * D * 8)}, more than one WebAssembly allocation holds (D ≤ ${MAX_COVARIANCE_DIM})`,
      );
    }
    const pipeline = new FeaturePipeline([{ map: new FeatureMap(kernel, d, seed), scale: 1 }], 'FINC');
    return new FincSums(kernel, eta, seed, d, pipeline, names, zero);
  }

  /** Sums for a resolved job's kernel over two sources (their columns and names). */
  static of(kernel: Kernel, eta: number, seed: number, sx: { cols: number; name: string }, sy: { name: string }): FincSums {
    return FincSums.make(kernel, eta, seed, sx.cols, [sx.name, sy.name]);
  }

  /** `of` as a resumable computation: the two D × D sums are zeroed in steps; closing it early frees them. */
  static *ofSteps(kernel: Kernel, eta: number, seed: number, sx: { cols: number; name: string }, sy: { name: string }): Generator<void, FincSums> {
    return yield* FincSums.make(kernel, eta, seed, sx.cols, [sx.name, sy.name], false).zeroSteps();
  }

  /** Sums from the public accumulator options, each checked (a Gaussian needs a numeric σ). */
  static fromOptions(options: { kernel?: KernelOption; eta?: number; seed?: number; d: number }): FincSums {
    const o = optionsOf(options, 'FincAccumulator options');
    const kernel = resolveKernel(o.kernel, '');
    return FincSums.make(kernel, etaOf(o.eta), seedOf(o.seed), positiveInt(o.d, 'd', 0), ['X', 'Y']);
  }

  /** Rows of X added so far. */
  get nx(): number {
    return this.rows[0];
  }

  /** Rows of Y added so far. */
  get ny(): number {
    return this.rows[1];
  }

  /** Adds rows of X (side 'x') or of Y as resumable steps (features, then bands of the SYRK), progress in rows of this chunk. */
  *addSteps(chunk: MatrixLike, side: Side): Generator<Step, void> {
    const set = setOf(side);
    this.checkOpen(set);
    yield* this.addSetSteps(set, this.chunks(set, [chunk], this.rows[set]));
  }

  /** Versioned binary snapshot (the SpecAccumulator layout, magic FINCACC): header, then the X and Y sums. */
  serialize(): Uint8Array {
    const header = { kernel: kernelOption(this.kernel), eta: this.eta, seed: this.seed, d: this.d, nx: this.nx, ny: this.ny, D: this.D };
    return this.snapshot(FINC_MAGIC, FINC_VERSION, header);
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
    acc.restore(snap, [h.nx, h.ny]);
    return acc;
  }

  /** A scoring pass's steps over the next rows of its side (the same rows as the add pass, in order). */
  *scoreSteps(pass: ScorePass, chunk: MatrixLike): Generator<Step, void> {
    this.live();
    const [m] = this.chunks(pass.set, [chunk], pass.scored);
    yield* pass.steps([m], m.rows);
  }
}
