// SpecAccumulator: the covariance route of SPEC (docs/design.md §1) for callers who
// stream their own rows — add every chunk of paired rows, solve once, score the
// same rows again, read the modes. Its state (the sums, sums/spec-sums.ts; the
// solve, score/spec-solve.ts; the scoring pass) is private.
import { InputError } from '../errors.js';
import { init } from '../wasm/loader.js';
import type { KernelOption, MatrixLike, ProgressEvent, SpecMode } from '../types/index.js';
import { checkFiniteResult, checkOptionNames, chunkOf, optionsOf, overflowError, throwIfAborted } from '../validate/checks.js';
import { Cooperative, drive, type Step } from '../runtime/cooperative.js';
import { SpecSums } from '../sums/spec-sums.js';
import { solveSpecSteps, specModes, type CovarianceSolution, type SpecSolved } from '../score/spec-solve.js';
import { Scoring } from '../score/scoring.js';

export type { CovarianceSolution } from '../score/spec-solve.js';

export interface AccumulatorOptions {
  /** Kernel of X (default 'cosine'); a Gaussian needs a numeric sigma here (see estimateSigma). */
  kernelX?: KernelOption;
  /** Kernel of Y (default 'cosine'); a Gaussian needs a numeric sigma here. */
  kernelY?: KernelOption;
  /** Weight η ≥ 0 of the Y kernel in Λ = KX − η·KY. Default 1. */
  eta?: number;
  /** Seed of the random Fourier frequencies and of the eigensolver. Default 0. */
  seed?: number;
  /** Columns of X. */
  dx: number;
  /** Columns of Y. */
  dy: number;
}

export interface SolveOptions {
  /** Modes per side. Default 10. */
  topK?: number;
  /** Top samples listed per mode. Default 20. */
  samplesPerMode?: number;
  /** Also keep all n scores of every mode. Default false. */
  returnScores?: boolean;
  /** Progress of the solve (stage 'solve'). */
  onProgress?: (e: ProgressEvent) => void;
  /** Aborts the solve (AbortError); the accumulator is unusable afterwards. */
  signal?: AbortSignal;
}

/** Every option name of SpecAccumulator.create, checked against AccumulatorOptions at compile time. */
const ACCUMULATOR_OPTIONS = Object.keys({ kernelX: true, kernelY: true, eta: true, seed: true, dx: true, dy: true } satisfies Record<
  keyof AccumulatorOptions,
  true
>);
/** Every option name of solve/solveAsync. */
const SOLVE_OPTIONS = Object.keys({ topK: true, samplesPerMode: true, returnScores: true, onProgress: true, signal: true } satisfies Record<
  keyof SolveOptions,
  true
>);

/**
 * Streams the covariance route of SPEC. Call `add` for every chunk of paired
 * rows, `solve` once, then `scores` for every chunk again (same order), then
 * `modes()`. Free wasm memory with `dispose()` when done.
 */
export class SpecAccumulator {
  readonly #sums: SpecSums;
  #solved: { solved: SpecSolved; scoring: Scoring } | null = null;

  private constructor(sums: SpecSums) {
    this.#sums = sums;
  }

  /** A new, empty accumulator (loads the wasm module first). */
  static async create(options: AccumulatorOptions): Promise<SpecAccumulator> {
    await init();
    checkOptionNames(optionsOf(options, 'SpecAccumulator options'), ACCUMULATOR_OPTIONS, 'SpecAccumulator option');
    return new SpecAccumulator(SpecSums.fromOptions(options));
  }

  /**
   * Reads a snapshot made by `serialize`: magic, version, checksum, every header
   * field (an InputError names a bad one) and the size are checked before
   * anything is allocated; a failure frees whatever was allocated.
   */
  static async deserialize(bytes: Uint8Array): Promise<SpecAccumulator> {
    await init();
    return new SpecAccumulator(SpecSums.deserialize(bytes));
  }

  /** Rows added so far. */
  get n(): number {
    return this.#sums.n;
  }

  /** Adds paired rows: row i of chunkX and row i of chunkY describe the same sample. */
  add(chunkX: MatrixLike, chunkY: MatrixLike, onProgress?: (e: ProgressEvent) => void, signal?: AbortSignal): void {
    // float64 chunks are checked against float32 here (chunkOf), float32 ones by the feature maps
    runSteps(this.#sums.addSteps(chunkOf(chunkX, 'X', this.n), chunkOf(chunkY, 'Y', this.n)), 'accumulate', onProgress, signal);
  }

  /** Adds another accumulator's rows (same kernels, η, seed and dimensions). */
  merge(other: SpecAccumulator): void {
    if (!(other instanceof SpecAccumulator)) throw new InputError('merge() needs another SpecAccumulator');
    if (other === this) throw new InputError('cannot merge an accumulator with itself');
    this.#sums.merge(other.#sums);
  }

  /** Versioned binary snapshot: magic, version, JSON header, then the f64 upper-triangle sums. */
  serialize(): Uint8Array {
    return this.#sums.serialize();
  }

  /** Finds the top-K eigenpairs at each end of Λ through J·C (synchronously; see solveAsync). */
  solve(opts: SolveOptions = {}): CovarianceSolution {
    checkOptionNames(optionsOf(opts, 'solve options'), SOLVE_OPTIONS, 'solve option');
    return solveWith(this.#steps(opts), opts);
  }

  /** The solve's steps; once solved, later calls return the same solution. */
  *#steps(opts: SolveOptions): Generator<Step, CovarianceSolution> {
    this.#sums.live();
    if (this.#solved) return this.#solved.solved.sol;
    const solved = yield* solveSpecSteps(this.#sums, opts);
    this.#solved = { solved, scoring: new Scoring(this.#sums, solved) };
    return solved.sol;
  }

  /**
   * `solve` that yields to the event loop between steps of the factorisation
   * and of Lanczos (~every 20–50 ms), reports `onProgress` (stage 'solve') and stops
   * with AbortError on `signal`. After an abort the accumulator is unusable.
   */
  async solveAsync(opts: SolveOptions = {}): Promise<CovarianceSolution> {
    checkOptionNames(optionsOf(opts, 'solveAsync options'), SOLVE_OPTIONS, 'solveAsync option');
    const steps = this.#steps(opts);
    return drive(steps, new Cooperative(opts.signal, opts.onProgress), 'solve').then(finiteSolution, (e) => {
      throw overflowError(e);
    });
  }

  /** Second pass: feed the same rows again, in the same order, to score every sample. */
  scores(chunkX: MatrixLike, chunkY: MatrixLike, onProgress?: (e: ProgressEvent) => void, signal?: AbortSignal): void {
    this.#sums.live();
    if (!this.#solved) throw new Error('spec-embed: call solve() before scores()');
    runSteps(this.#sums.scoreSteps(this.#solved.scoring.passes[0], chunkX, chunkY), 'scores', onProgress, signal);
  }

  /** The modes, once every row has been scored. */
  modes(): SpecMode[] {
    this.#sums.live();
    const s = this.#solved;
    if (!s) throw new Error('spec-embed: call solve() and scores() first');
    s.scoring.passes[0].checkComplete(true);
    return specModes(s.solved, s.scoring.tops);
  }

  /** Releases the wasm buffers. Idempotent; any other call afterwards throws. */
  dispose(): void {
    this.#sums.dispose();
  }
}

/** A solution whose eigenvalues and SPEC-diff are finite (validate.ts), as the last check before it is returned. */
export function finiteSolution<S extends Parameters<typeof checkFiniteResult>[0]>(sol: S): S {
  checkFiniteResult(sol, 'solve()');
  return sol;
}

/** Runs a solve's steps synchronously, reporting each as stage 'solve'. */
export function solveWith<S extends Parameters<typeof checkFiniteResult>[0]>(steps: Generator<Step, S>, opts: { onProgress?: (e: ProgressEvent) => void }): S {
  try {
    for (let r = steps.next(); ; r = steps.next()) {
      if (r.done) return finiteSolution(r.value);
      opts.onProgress?.({ stage: 'solve', done: r.value.done, total: r.value.total, message: r.value.message });
    }
  } catch (e) {
    throw overflowError(e);
  } finally {
    steps.return(undefined as never);
  }
}

/** Runs a pass's steps synchronously, reporting each as `stage` and checking `signal` between them. */
export function runSteps(steps: Generator<Step, void>, stage: 'accumulate' | 'scores', onProgress?: (e: ProgressEvent) => void, signal?: AbortSignal): void {
  try {
    for (let r = steps.next(); !r.done; r = steps.next()) {
      if (r.value && onProgress) onProgress({ stage, done: r.value.done, total: r.value.total });
      throwIfAborted(signal);
    }
  } finally {
    steps.return();
  }
}
