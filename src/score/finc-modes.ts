// A FINC mode as reported: its side, rank within the side, eigenvalue, top
// samples (and scores when kept) and its share in each set.
import type { TopSample } from '../types/index.js';
import type { FincMode } from '../types/finc.js';

export function fincMode(side: 'x' | 'y', rank: number, eigenvalue: number, t: { top: TopSample[]; scores?: Float64Array }, shareX: number, shareY: number): FincMode {
  const m: FincMode = { rank, side, eigenvalue, top: t.top, shareX, shareY };
  if (t.scores) m.scores = t.scores;
  return m;
}
