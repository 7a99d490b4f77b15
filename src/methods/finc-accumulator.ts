// FincAccumulator: FINC's covariance route (docs/design.md §1) for callers who stream
// their own rows — add chunks of either set, solve once, score the same rows
// again, read the modes. Its state (the sums, finc-sums.ts) is private.
import { InputError } from '../errors.js';
import { init } from '../wasm/loader.js';
import type { KernelOption, MatrixLike } from '../types.js';
import type { FincMode } from '../finc-types.js';
import { checkFiniteResult, checkOptionNames, chunkOf, optionsOf, overflowError } from '../validate/checks.js';
import { FincSums, type FincSolution, type FincSolveOptions } from '../sums/finc-sums.js';

export type { FincSolution, FincSolveOptions } from '../sums/finc-sums.js';

export interface FincAccumulatorOptions {
  /** The kernel of both sets; a Gaussian needs a numeric sigma (see estimateSigma). */
  kernel?: KernelOption;
  /** Weight η ≥ 0 of Y. Default 1. */
  eta?: number;
  /** Seed of the random Fourier frequencies. Default 0. */
  seed?: number;
  /** Columns d of both sets. */
  d: number;
}

/** Every option name of FincAccumulator.create, checked against FincAccumulatorOptions at compile time. */
const FINC_ACCUMULATOR_OPTIONS = Object.keys({ kernel: true, eta: true, seed: true, d: true } satisfies Record<keyof FincAccumulatorOptions, true>);
/** Every option name of solve. */
const FINC_SOLVE_OPTIONS = Object.keys({ topK: true, samplesPerMode: true, returnScores: true } satisfies Record<keyof FincSolveOptions, true>);

/**
 * Streams FINC's covariance route: `addX`/`addY` chunks of either set in any
 * order and sizes, `solve` once, then `scoresX`/`scoresY` with the same rows
 * again (each set in its original order), then `modes()`. `dispose()` frees
 * the wasm memory; any use after it throws.
 */
export class FincAccumulator {
  readonly #sums: FincSums;

  private constructor(sums: FincSums) {
    this.#sums = sums;
  }

  /** A new, empty accumulator (loads the wasm module first). */
  static async create(options: FincAccumulatorOptions): Promise<FincAccumulator> {
    await init();
    checkOptionNames(optionsOf(options, 'FincAccumulator options'), FINC_ACCUMULATOR_OPTIONS, 'FincAccumulator option');
    return new FincAccumulator(FincSums.fromOptions(options));
  }

  /** Reads a snapshot made by `serialize`, checking magic, version and size before allocating. */
  static async deserialize(bytes: Uint8Array): Promise<FincAccumulator> {
    await init();
    return new FincAccumulator(FincSums.deserialize(bytes));
  }

  /** Rows of X added so far. */
  get nx(): number {
    return this.#sums.nx;
  }

  /** Rows of Y added so far. */
  get ny(): number {
    return this.#sums.ny;
  }

  /** Adds rows of X. */
  addX(chunk: MatrixLike): void {
    this.#sums.add(chunkOf(chunk, 'X', this.#sums.nx), 'x');
  }

  /** Adds rows of Y. */
  addY(chunk: MatrixLike): void {
    this.#sums.add(chunkOf(chunk, 'Y', this.#sums.ny), 'y');
  }

  /** Adds another accumulator's rows (same kernel, η, seed and d), before solving. */
  merge(other: FincAccumulator): void {
    if (!(other instanceof FincAccumulator)) throw new InputError('merge() needs another FincAccumulator');
    this.#sums.merge(other.#sums);
  }

  /** Versioned binary snapshot (the SpecAccumulator layout, magic FINCACC): header, then the X and Y sums. */
  serialize(): Uint8Array {
    return this.#sums.serialize();
  }

  /** Finds the top-K eigenpairs at each end of CX − η·CY (once; later calls return the same solution). */
  solve(opts: FincSolveOptions = {}): FincSolution {
    checkOptionNames(optionsOf(opts, 'solve options'), FINC_SOLVE_OPTIONS, 'solve option');
    let sol: FincSolution;
    try {
      sol = this.#sums.solve(opts);
    } catch (e) {
      throw overflowError(e);
    }
    checkFiniteResult(sol, 'solve()');
    return sol;
  }

  /** Second pass over X (same rows, same order): scores of the side-x modes. */
  scoresX(chunk: MatrixLike): void {
    this.#sums.score(chunk, 'x');
  }

  /** Second pass over Y: scores of the side-y modes. */
  scoresY(chunk: MatrixLike): void {
    this.#sums.score(chunk, 'y');
  }

  /** The modes, once the scoring pass has seen every row of each side that has modes. */
  modes(): FincMode[] {
    return this.#sums.modes();
  }

  /** Releases the wasm buffers. Idempotent; any other call afterwards throws. */
  dispose(): void {
    this.#sums.dispose();
  }
}
