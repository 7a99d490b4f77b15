// The scoring pass of solved sums, set by set: a TopSamples per set and the
// sums' ScorePass feeding it. The in-process routes and the accumulators drive
// the passes; the worker driver merges workers' partials into `tops` instead.
import type { Sums } from '../sums/sums.js';
import { ScorePass, type ModeVectors } from '../sums/score-pass.js';
import { TopSamples } from './modes.js';

/** Per column of `v`, whether its every score is kept. */
export function keepOf(v: ModeVectors, returnScores: boolean): boolean[] {
  return Array.from({ length: v.k }, (_, j) => returnScores && (v.keep?.[j] ?? true));
}

export class Scoring {
  readonly tops: TopSamples[];
  readonly passes: ScorePass[];

  constructor(sums: Sums, solved: { vectors: ModeVectors[]; samplesPerMode: number; returnScores: boolean }) {
    this.tops = solved.vectors.map((v, set) => new TopSamples(v.k, solved.samplesPerMode, sums.rows[set], keepOf(v, solved.returnScores)));
    this.passes = solved.vectors.map((v, set) => new ScorePass(sums, set, v, this.tops[set], sums.rows[set]));
  }

  /** Whether `set` has modes to score (its pass must see every row). */
  needs(set: number): boolean {
    return this.passes[set].modes.k > 0;
  }
}
