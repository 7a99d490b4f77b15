// The second pass over a set's rows: each chunk's features (from the cache or
// computed again) times the mode vectors V, one GEMM per chunk, handed to a
// sink that keeps the top samples (score/modes.ts TopSamples, or a worker's share
// of them).
import { InputError } from '../errors.js';
import { Scope } from '../wasm/memory.js';
import { sgemm } from '../wasm/gemm.js';
import type { Matrix } from '../types/index.js';
import type { Step } from '../runtime/cooperative.js';
import { CHUNK_ROWS } from './features-pass.js';
import type { Sums } from './sums.js';

/** Receives rows × k scores (row-major) of samples start.. (times `scale`). */
export interface ScoreSink {
  addRows(scores: ArrayLike<number>, rows: number, start: number, scale?: number): void;
}

/** One set's mode vectors: V is D × k f32, row-major, column j is mode j; scores are scale·F·V. */
export interface ModeVectors {
  V: Float32Array;
  k: number;
  scale: number;
  /** With `returnScores`, whether every score of column j is kept (default: every column). */
  keep?: boolean[];
}

export class ScorePass {
  /** Rows scored so far. */
  scored = 0;

  /**
   * Scores the `total` rows of `set`, numbered from global row `base`; the
   * sink sees row indices relative to `base`.
   */
  constructor(
    private readonly sums: Sums,
    readonly set: number,
    readonly modes: ModeVectors,
    private readonly sink: ScoreSink,
    readonly total: number,
    readonly base = 0,
  ) {}

  /**
   * Scores the next `rows` rows (from `inputs`, checked by Sums.chunks, or from
   * the feature cache when null), in steps: features of uncached chunks in
   * ~STEP_MS/2 steps, one GEMM per chunk; progress in rows of this call. A call
   * left unfinished leaves the sums unusable.
   */
  *steps(inputs: Matrix[] | null, rows: number): Generator<Step, void> {
    const s = this.sums,
      decl = s.decl.sets[this.set],
      { V, k, scale } = this.modes;
    s.live();
    if (this.scored + rows > this.total) throw new InputError(`${decl.score} received more rows (${this.scored + rows}) than ${decl.add} did (${this.total})`);
    if (k === 0) {
      this.scored += rows;
      return;
    }
    let ok = false,
      touched = false;
    const sc = new Scope();
    try {
      const D = s.D,
        v = sc.f32(Math.max(1, V.length), 'mode vectors'),
        out = sc.f32(CHUNK_ROWS * k, 'scores chunk');
      v.view.set(V);
      for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, rows - r0),
          g0 = this.base + this.scored + r0;
        touched = true;
        const steps = s.featureSteps(this.set, inputs, r0, n, g0, false);
        let r = steps.next();
        for (; !r.done; r = steps.next()) yield { done: r0 + r.value.done, total: rows };
        sgemm(n, k, D, r.value, D, v, k, out, k, 0);
        this.sink.addRows(out.view, n, g0 - this.base, scale);
        yield { done: r0 + n, total: rows };
      }
      this.scored += rows;
      ok = true;
    } finally {
      sc.free();
      if (!ok && touched) s.fail();
    }
  }

  /** Throws unless every row was scored (by default only when there are modes to score). */
  checkComplete(required = this.modes.k > 0): void {
    const decl = this.sums.decl.sets[this.set];
    if (required && this.scored !== this.total) {
      const again = decl.names.length > 1 ? 'feed every row again' : `feed every row of ${decl.names[0]} again`;
      throw new InputError(`${decl.score} saw ${this.scored} rows, ${decl.add} saw ${this.total}: ${again}`);
    }
  }
}
