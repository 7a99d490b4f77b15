// FincAccumulator: FINC's covariance route (docs/design.md §1) for callers who stream
// their own rows — add chunks of either set, solve once, score the same rows
// again, read the modes. Its state (the sums, sums/finc-sums.ts; the solve,
// score/finc-solve.ts; the scoring passes) is private. Adds, solves and scoring
// passes report progress and stop on a signal as SpecAccumulator's do.
import { InputError } from '../errors.js';
import { init } from '../wasm/loader.js';
import type { KernelOption, MatrixLike, ProgressEvent } from '../types/index.js';
import type { FincMode } from '../types/finc.js';
import { checkOptionNames, chunkOf, optionsOf, overflowError } from '../validate/checks.js';
import { Cooperative, drive, type Step } from '../runtime/cooperative.js';
import { FincSums, setOf, type Side } from '../sums/finc-sums.js';
import { solveFincSteps, fincModes, type FincSolution, type FincSolved, type FincSolveSettings } from '../score/finc-solve.js';
import { Scoring } from '../score/scoring.js';
import { finiteSolution, runSteps, solveWith } from './spec-accumulator.js';

export type { FincSolution } from '../score/finc-solve.js';

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

export interface FincSolveOptions extends FincSolveSettings {
  /** Progress of the solve (stage 'solve'). */
  onProgress?: (e: ProgressEvent) => void;
  /** Aborts solveAsync (AbortError); the accumulator is unusable afterwards. */
  signal?: AbortSignal;
}

/** Every option name of FincAccumulator.create, checked against FincAccumulatorOptions at compile time. */
const FINC_ACCUMULATOR_OPTIONS = Object.keys({ kernel: true, eta: true, seed: true, d: true } satisfies Record<keyof FincAccumulatorOptions, true>);
/** Every option name of solve/solveAsync. */
const FINC_SOLVE_OPTIONS = Object.keys({ topK: true, samplesPerMode: true, returnScores: true, onProgress: true, signal: true } satisfies Record<
  keyof FincSolveOptions,
  true
>);

/**
 * Streams FINC's covariance route: `addX`/`addY` chunks of either set in any
 * order and sizes, `solve` once, then `scoresX`/`scoresY` with the same rows
 * again (each set in its original order; both sets, whenever there is a mode), then `modes()`. `dispose()` frees
 * the wasm memory; any use after it throws.
 */
export class FincAccumulator {
  readonly #sums: FincSums;
  #solved: { solved: FincSolved; scoring: Scoring } | null = null;

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

  /** Adds rows of X; progress (stage 'accumulate') in rows of this chunk; stops with AbortError on `signal` (the accumulator is then unusable). */
  addX(chunk: MatrixLike, onProgress?: (e: ProgressEvent) => void, signal?: AbortSignal): void {
    runSteps(this.#sums.addSteps(chunkOf(chunk, 'X', this.#sums.nx), 'x'), 'accumulate', onProgress, signal);
  }

  /** Adds rows of Y, as addX. */
  addY(chunk: MatrixLike, onProgress?: (e: ProgressEvent) => void, signal?: AbortSignal): void {
    runSteps(this.#sums.addSteps(chunkOf(chunk, 'Y', this.#sums.ny), 'y'), 'accumulate', onProgress, signal);
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

  /** Finds the top-K eigenpairs at each end of CX − η·CY (synchronously; see solveAsync). Later calls return the same solution. */
  solve(opts: FincSolveOptions = {}): FincSolution {
    checkOptionNames(optionsOf(opts, 'solve options'), FINC_SOLVE_OPTIONS, 'solve option');
    return solveWith(this.#steps(opts), opts);
  }

  /**
   * `solve` that yields to the event loop between steps of the normalisation
   * and of Lanczos, reports `onProgress` (stage 'solve') and stops with
   * AbortError on `signal`. After an abort the accumulator is unusable.
   */
  async solveAsync(opts: FincSolveOptions = {}): Promise<FincSolution> {
    checkOptionNames(optionsOf(opts, 'solveAsync options'), FINC_SOLVE_OPTIONS, 'solveAsync option');
    const steps = this.#steps(opts);
    return drive(steps, new Cooperative(opts.signal, opts.onProgress), 'solve').then(finiteSolution, (e) => {
      throw overflowError(e);
    });
  }

  *#steps(opts: FincSolveOptions): Generator<Step, FincSolution> {
    this.#sums.live();
    if (this.#solved) return this.#solved.solved.sol;
    const solved = yield* solveFincSteps(this.#sums, opts);
    this.#solved = { solved, scoring: new Scoring(this.#sums, solved) };
    return solved.sol;
  }

  /** Second pass over X (same rows, same order): X's scores on every mode (the side-x modes' samples, and each mode's frequency in X); progress and signal as addX. */
  scoresX(chunk: MatrixLike, onProgress?: (e: ProgressEvent) => void, signal?: AbortSignal): void {
    this.#score(chunk, 'x', onProgress, signal);
  }

  /** Second pass over Y: Y's scores on every mode (the side-y modes' samples, and each mode's frequency in Y); progress and signal as addX. */
  scoresY(chunk: MatrixLike, onProgress?: (e: ProgressEvent) => void, signal?: AbortSignal): void {
    this.#score(chunk, 'y', onProgress, signal);
  }

  #score(chunk: MatrixLike, side: Side, onProgress?: (e: ProgressEvent) => void, signal?: AbortSignal): void {
    this.#sums.live();
    if (!this.#solved) throw new Error('spec-embed: call solve() before scoresX()/scoresY()');
    runSteps(this.#sums.scoreSteps(this.#solved.scoring.passes[setOf(side)], chunk), 'scores', onProgress, signal);
  }

  /** The modes, once the scoring passes have seen every row of X and of Y (both, when there is any mode: frequencies count both sets). */
  modes(): FincMode[] {
    this.#sums.live();
    const s = this.#solved;
    if (!s) throw new Error('spec-embed: call solve() and scoresX()/scoresY() first');
    for (const p of s.scoring.passes) p.checkComplete();
    return fincModes(s.solved, s.scoring.tops);
  }

  /** Releases the wasm buffers. Idempotent; any other call afterwards throws. */
  dispose(): void {
    this.#sums.dispose();
  }
}
