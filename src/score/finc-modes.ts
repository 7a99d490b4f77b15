// A FINC mode as reported: its side, rank, eigenvalue, both ends (the cut rule over
// the scores of X's and Y's samples pooled, from their mean score; the listed samples
// are the side's set's),
// the frequencies of the mode in X and in Y, and its mean squared scores.
import type { FincMode } from '../types/finc.js';
import { endsFields, type ModeSamples } from './modes.js';
import { summarizeEnds, type ScoreHistogram } from './ends.js';

/**
 * `own`: the mode's samples over the side's set, oriented by the sign rule over that set;
 * `hists`: the computed scores of X's samples and of Y's on the mode. The mode's end is the
 * one where its side's set is the more over-represented (side x: the larger
 * N_X(end)/nx − η·N_Y(end)/ny of the samples past each cut; side y: the larger
 * η·N_Y(end)/ny − N_X(end)/nx; the top on a tie); freqX and freqY are the fractions of X's and
 * of Y's samples past the cut at that end.
 */
export function fincMode(
  side: 'x' | 'y',
  rank: number,
  eigenvalue: number,
  own: ModeSamples,
  hists: [ScoreHistogram, ScoreHistogram],
  eta: number,
  meanSquareX: number,
  meanSquareY: number,
): FincMode {
  const e = summarizeEnds(hists, own.sign, 'mean');
  const nx = hists[0].count,
    ny = hists[1].count;
  const frac = (k: number, n: number) => (n > 0 ? k / n : 0);
  const excess = (c: number[]) => (side === 'x' ? 1 : -1) * (frac(c[0], nx) - eta * frac(c[1], ny));
  const end = excess(e.countTop) >= excess(e.countBottom) ? 'top' : 'bottom';
  const c = end === 'top' ? e.countTop : e.countBottom;
  const m: FincMode = {
    rank,
    side,
    eigenvalue,
    top: own.top,
    shareX: meanSquareX,
    shareY: meanSquareY,
    ...endsFields(own.bottom, e),
    freqX: frac(c[0], nx),
    freqY: frac(c[1], ny),
    freqEnd: end,
    meanSquareX,
    meanSquareY,
  };
  if (own.scores) m.scores = own.scores;
  return m;
}
