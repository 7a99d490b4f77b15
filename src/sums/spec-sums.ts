// SPEC's covariance sums (docs/design.md §1): one set of paired rows whose
// features are Ψ = [ΦX, √η·ΦY], so the sums are C = ΨᵀΨ. A declaration of
// sums.ts; the solve (J·C) is score/spec-solve.ts, the public face
// methods/spec-accumulator.ts.
import { InputError } from '../errors.js';
import { formatBytes, MAX_BLOCK_BYTES } from '../wasm/memory.js';
import { featureDim, kernelOption, resolveKernel, type Kernel } from '../features/kernel.js';
import type { KernelOption, MatrixLike } from '../types/index.js';
import { etaOf, seedOf, positiveInt, optionsOf } from '../validate/checks.js';
import type { Step } from '../runtime/cooperative.js';
import { FeatureMap } from '../features/feature-map.js';
import { readSnapshot } from './snapshot.js';
import { Sums, MAX_COVARIANCE_DIM } from './sums.js';
import { FeaturePipeline } from './features-pass.js';
import type { ScorePass } from './score-pass.js';

export { CHUNK_ROWS, READ_ROWS, FEATURE_CACHE_BYTES, setFeatureCacheLimit, featureCacheBytes } from './features-pass.js';
export { MAX_COVARIANCE_DIM } from './sums.js';

const FORMAT_MAGIC = 'SPECACC';
/** 2: a checksum over the whole file (snapshot.ts). */
const FORMAT_VERSION = 2;

/**
 * Refuses, before anything is allocated, a covariance route whose D × D f64
 * covariance cannot fit in WebAssembly memory, naming what makes D large.
 */
export function checkCovarianceSize(kx: Kernel, dx: number, ky: Kernel, dy: number, exactHint?: { n: number; max: number }): void {
  const DX = featureDim(kx, dx),
    DY = featureDim(ky, dy),
    D = DX + DY;
  if (D <= MAX_COVARIANCE_DIM) return;
  const [k, d, side] = DX >= DY ? [kx, dx, 'X'] : [ky, dy, 'Y'];
  const what = k.type === 'gaussian' ? `rffDim of kernel${side} = ${k.rffDim}` : `${side} has ${d} columns, so the ${k.type} kernel's feature map`;
  // The exact route needs n × n kernels, not D × D: say so when n allows it.
  const hint =
    exactHint && exactHint.n <= exactHint.max
      ? `; n = ${exactHint.n} is small enough for method 'exact' (--method exact: two ${exactHint.n} × ${exactHint.n} kernel matrices)`
      : '';
  throw new InputError(
    `${what} gives D = ${D} features: the D × D f64 covariance would need ${formatBytes(D * D * 8)}, more than one WebAssembly allocation holds (${formatBytes(MAX_BLOCK_BYTES)}, D ≤ ${MAX_COVARIANCE_DIM})${hint}`,
  );
}

/** Paired-row sums of SPEC's covariance route. */
export class SpecSums extends Sums {
  readonly DX: number;
  readonly DY: number;

  private constructor(
    readonly kernelX: Kernel,
    readonly kernelY: Kernel,
    readonly eta: number,
    readonly seed: number,
    readonly dx: number,
    readonly dy: number,
    pipeline: FeaturePipeline,
    names: [string, string],
    zero: boolean,
  ) {
    super(
      {
        label: 'SpecAccumulator',
        sets: [{ names, madeFor: [`${dx}`, `${dy}`], add: 'add()', score: 'scores()', sumsName: 'covariance' }],
        cols: [dx, dy],
        signature: JSON.stringify([kernelX, kernelY, eta, seed, dx, dy]),
        mergeMismatch: 'cannot merge accumulators with different kernels, η, seed or dimensions',
      },
      pipeline,
      zero,
    );
    this.DX = pipeline.parts[0].map.D;
    this.DY = pipeline.parts[1].map.D;
  }

  /** Sums for inputs of dx and dy columns named nameX, nameY in messages (a file name, or 'X'/'Y'). */
  private static make(kx: Kernel, ky: Kernel, eta: number, seed: number, dx: number, dy: number, nameX: string, nameY: string, zero = true): SpecSums {
    checkCovarianceSize(kx, dx, ky, dy);
    // Same (d, m, σ) on both sides gives the same frequencies, so compare(X, X) is exactly 0.
    const mapX = new FeatureMap(kx, dx, seed, 'X');
    let mapY: FeatureMap;
    try {
      mapY = new FeatureMap(ky, dy, seed, 'Y');
    } catch (e) {
      mapX.free();
      throw e;
    }
    const pipeline = new FeaturePipeline(
      [
        { map: mapX, scale: 1 },
        { map: mapY, scale: Math.sqrt(eta) },
      ],
      'Ψ',
    );
    return new SpecSums(kx, ky, eta, seed, dx, dy, pipeline, [nameX, nameY], zero);
  }

  /** Sums for a resolved job's kernels over two sources (their columns and names). */
  static of(kx: Kernel, ky: Kernel, eta: number, seed: number, sx: { cols: number; name: string }, sy: { cols: number; name: string }): SpecSums {
    return SpecSums.make(kx, ky, eta, seed, sx.cols, sy.cols, sx.name, sy.name);
  }

  /** `of` as a resumable computation: C (up to 1 GiB) is zeroed in steps; closing it early frees the sums. */
  static *ofSteps(
    kx: Kernel,
    ky: Kernel,
    eta: number,
    seed: number,
    sx: { cols: number; name: string },
    sy: { cols: number; name: string },
  ): Generator<void, SpecSums> {
    return yield* SpecSums.make(kx, ky, eta, seed, sx.cols, sy.cols, sx.name, sy.name, false).zeroSteps();
  }

  /** Sums from the public accumulator options, each checked (a Gaussian needs a numeric σ). */
  static fromOptions(options: { kernelX?: KernelOption; kernelY?: KernelOption; eta?: number; seed?: number; dx: number; dy: number }): SpecSums {
    const o = optionsOf(options, 'SpecAccumulator options');
    const kx = resolveKernel(o.kernelX, 'X'),
      ky = resolveKernel(o.kernelY, 'Y');
    const eta = etaOf(o.eta),
      seed = seedOf(o.seed);
    return SpecSums.make(kx, ky, eta, seed, positiveInt(o.dx, 'dx', 0), positiveInt(o.dy, 'dy', 0), 'X', 'Y');
  }

  /** Rows added so far. */
  get n(): number {
    return this.rows[0];
  }

  /** Adds paired rows as resumable steps (features, then bands of the SYRK), progress in rows of this chunk. */
  *addSteps(chunkX: MatrixLike, chunkY: MatrixLike): Generator<Step, void> {
    this.checkOpen(0);
    yield* this.addSetSteps(0, this.chunks(0, [chunkX, chunkY], this.n));
  }

  /** Versioned binary snapshot: magic, version, JSON header, then the f64 upper-triangle sums. */
  serialize(): Uint8Array {
    const header = {
      kernelX: kernelOption(this.kernelX),
      kernelY: kernelOption(this.kernelY),
      eta: this.eta,
      seed: this.seed,
      dx: this.dx,
      dy: this.dy,
      n: this.n,
      D: this.D,
    };
    return this.snapshot(FORMAT_MAGIC, FORMAT_VERSION, header);
  }

  /**
   * Reads a snapshot made by `serialize`: magic, version, checksum, every
   * header field (an InputError names a bad one) and the size are checked
   * before anything is allocated; a failure frees whatever was allocated.
   */
  static deserialize(bytes: Uint8Array): SpecSums {
    const snap = readSnapshot(bytes, FORMAT_MAGIC, FORMAT_VERSION, 'accumulator');
    const h = snap.header;
    snap.checkSize(1, h.D); // before allocating anything the header claims
    const acc = SpecSums.fromOptions({ kernelX: h.kernelX, kernelY: h.kernelY, eta: h.eta, seed: h.seed, dx: h.dx, dy: h.dy });
    try {
      if (acc.D !== h.D) throw new InputError('not a spec-embed accumulator snapshot: header does not match its data');
      acc.restore(snap, [h.n]);
      return acc;
    } catch (e) {
      acc.dispose();
      throw e;
    }
  }

  /** A scoring pass's steps over the next paired rows (the same rows as add() saw, in order). */
  *scoreSteps(pass: ScorePass, chunkX: MatrixLike, chunkY: MatrixLike): Generator<Step, void> {
    this.live();
    const inputs = this.chunks(0, [chunkX, chunkY], pass.scored);
    yield* pass.steps(inputs, inputs[0].rows);
  }

  /** Whether every row added kept its features (the scoring pass then needs no data). */
  get allCached(): boolean {
    return this.cached(0, 0, this.n);
  }
}
