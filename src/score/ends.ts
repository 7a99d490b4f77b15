// The two ends of a mode, by the one cut rule of the package (docs/design.md §1
// "Ends of a mode"): which samples are past each end's cut, how much of the mode
// they hold, and what kind of mode that makes. The scoring pass feeds every score
// into a ScoreHistogram (bounded memory, mergeable across workers), whose cells
// are fine enough to apply the rule exactly once the mode's mean and extremes are
// known; endsOfScores applies the same code to scores held in memory.
import type { ModeKind } from '../types/index.js';

/**
 * The cut, as a fraction of the way from the mode's baseline to its peak: a sample is past
 * the top cut when its score is at least halfway from the baseline to the mode's largest
 * |score − baseline| (docs/design.md §1).
 */
export const ASSIGN_CUT = 0.5;

/** log2 of the grid's cells per power of two: cuts are rounded to 2^E / 256, |scores| < 2^E. */
const LOG_GRID = 8;
const GRID = 1 << LOG_GRID;
/** Cells: the grid points u·w and the open intervals between them, for |score| < GRID·w. */
const CELLS = 4 * GRID - 1;
const ZERO = 2 * GRID - 1;
/** Scores below 2^E_MIN share the finest grid (w = 2^(E_MIN − 8) stays a normal double). */
const E_MIN = -1000;

/** An end holding less than this fraction of what the heavier end holds is not an end of its own. */
export const CONTRAST_RATIO = 1 / 3;
/** A one-ended mode is a cluster when its end holds at least this share of the mode. */
export const CLUSTER_MIN = 0.25;
/** A two-ended mode is a contrast when its ends together hold at least this share of the mode. */
export const CONTRAST_MIN = 0.5;

/** A ScoreHistogram's mergeable state. */
export interface HistogramState {
  /** |score| < 2^e for every score seen; null until a non-zero score was seen. */
  e: number | null;
  count: number;
  min: number;
  max: number;
  /** Per cell: how many scores, their sum, their sum of squares. */
  n: Float64Array;
  s1: Float64Array;
  s2: Float64Array;
}

/** The exponent e with 2^e ≤ a < 2^(e+1), for finite a > 0. */
function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return e;
}

/** The cell of score s on the grid of spacing w: 2x at a grid point x = s/w, else 2·floor(x) + 1. */
function cellOf(s: number, w: number): number {
  const x = s / w; // exact: w is a power of two
  return Number.isInteger(x) ? 2 * x : 2 * Math.floor(x) + 1;
}

/** The cell `u` of a grid 2^k times finer, on the coarser grid. */
function coarser(u: number, k: number): number {
  // Every cell of a grid ≥ GRID times coarser than the scores' extent lies in (−w, 0), 0 or (0, w).
  if (k > LOG_GRID + 1) return Math.sign(u);
  const f = 2 ** k;
  if (u % 2 === 0) {
    const x = u / 2 / f;
    return Number.isInteger(x) ? 2 * x : 2 * Math.floor(x) + 1;
  }
  return 2 * Math.floor((u - 1) / 2 / f) + 1;
}

/**
 * The scores of one mode over a set of samples, in cells of a grid that follows the
 * largest |score| seen (2^(E−8) wide, 2^E the smallest power of two above it): O(1) memory
 * in the samples (1023 cells × 3 f64), and cells merge exactly when the grid coarsens,
 * so any order of rows, and any split of them over workers, gives the same counts.
 */
export class ScoreHistogram {
  private e: number | null = null;
  private lim = 0;
  private w = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;
  private n = new Float64Array(CELLS);
  private s1 = new Float64Array(CELLS);
  private s2 = new Float64Array(CELLS);

  push(s: number): void {
    if (!Number.isFinite(s)) return;
    const a = Math.abs(s);
    if (a >= this.lim && a > 0) this.widen(Math.max(E_MIN, exponentOf(a) + 1));
    const c = (this.e === null ? 0 : cellOf(s, this.w)) + ZERO;
    this.n[c]++;
    this.s1[c] += s;
    this.s2[c] += s * s;
    this.count++;
    if (s < this.min) this.min = s;
    if (s > this.max) this.max = s;
  }

  /** Moves to the grid of 2^e (e above the current one), merging cells. */
  private widen(e: number): void {
    if (this.e !== null && e <= this.e) return;
    if (this.e !== null) {
      const k = e - this.e,
        { n, s1, s2 } = this;
      const m = new Float64Array(CELLS),
        t1 = new Float64Array(CELLS),
        t2 = new Float64Array(CELLS);
      for (let c = 0; c < CELLS; c++) {
        if (n[c] === 0) continue;
        const d = coarser(c - ZERO, k) + ZERO;
        m[d] += n[c];
        t1[d] += s1[c];
        t2[d] += s2[c];
      }
      this.n = m;
      this.s1 = t1;
      this.s2 = t2;
    }
    // Before any non-zero score every score was 0, in the cell of 0 on every grid.
    this.e = e;
    this.lim = 2 ** e;
    this.w = 2 ** (e - LOG_GRID);
  }

  state(): HistogramState {
    return { e: this.e, count: this.count, min: this.min, max: this.max, n: this.n, s1: this.s1, s2: this.s2 };
  }

  /** Adds another histogram's scores (a disjoint set of samples). */
  absorb(st: HistogramState): void {
    if (st.count === 0) return;
    const other = ScoreHistogram.from(st);
    if (other.e !== null) this.widen(other.e);
    if (this.e !== null && other.e !== null && other.e < this.e) other.widen(this.e);
    for (let c = 0; c < CELLS; c++) {
      if (other.n[c] === 0) continue;
      this.n[c] += other.n[c];
      this.s1[c] += other.s1[c];
      this.s2[c] += other.s2[c];
    }
    this.count += other.count;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  static from(st: HistogramState): ScoreHistogram {
    const h = new ScoreHistogram();
    if (st.e !== null) h.widen(st.e);
    h.n = Float64Array.from(st.n);
    h.s1 = Float64Array.from(st.s1);
    h.s2 = Float64Array.from(st.s2);
    h.count = st.count;
    h.min = st.min;
    h.max = st.max;
    return h;
  }

  /** The grid exponent E (null: every score was 0). */
  get exponent(): number | null {
    return this.e;
  }

  /** Calls fn for every non-empty cell, by its index u on the grid of 2^e (e ≥ this one's): count, Σ score, Σ score². */
  forEachCell(e: number | null, fn: (u: number, n: number, s1: number, s2: number) => void): void {
    const k = e === null || this.e === null ? 0 : e - this.e,
      { n, s1, s2 } = this;
    for (let c = 0; c < CELLS; c++) if (n[c] !== 0) fn(k === 0 ? c - ZERO : coarser(c - ZERO, k), n[c], s1[c], s2[c]);
  }
}

/**
 * Where a mode's scores start: 'zero' for SPEC (an eigenvector of KX − η·KY puts the samples
 * both kernels treat alike at 0), 'mean' for FINC (every φ(s)ᵀv carries the kernel's common
 * component μᵀv, μ the mean feature of both sets pooled: the mean score).
 */
export type Baseline = 'zero' | 'mean';

/** What the cut rule says about one mode, in the scores' reported orientation. */
export interface EndsSummary {
  kind: ModeKind;
  /** The baseline b, as reported. */
  baseline: number;
  /** Share of the mode's Σ (score − b)² held by the samples past each cut (0 when that sum is 0). */
  massTop: number;
  massBottom: number;
  /** Scores ≥ cutTop are past the top cut, scores ≤ cutBottom past the bottom cut. */
  cutTop: number;
  cutBottom: number;
  /** Samples past each cut, per histogram given (FINC: X's, then Y's). */
  countTop: number[];
  countBottom: number[];
}

/**
 * The kind from the two end masses. One-ended (the lighter end holds less than CONTRAST_RATIO
 * of the heavier): 'cluster' when the heavier holds at least CLUSTER_MIN of the mode. Two-ended:
 * 'contrast' when the two hold at least CONTRAST_MIN together. Otherwise 'diffuse': no end
 * stands out of the spread (scores spread like a Gaussian's put about a quarter of the mode
 * past each cut, in balance).
 */
export function kindOf(massTop: number, massBottom: number): ModeKind {
  const heavy = Math.max(massTop, massBottom),
    light = Math.min(massTop, massBottom);
  if (!(heavy > 0)) return 'diffuse';
  if (light < CONTRAST_RATIO * heavy) return heavy >= CLUSTER_MIN ? 'cluster' : 'diffuse';
  return heavy + light >= CONTRAST_MIN ? 'contrast' : 'diffuse';
}

/**
 * The cut rule (docs/design.md §1, "Ends of a mode") over the scores of one mode, gathered
 * in one histogram per set of samples (all sets together are the mode's samples); `sign` −1
 * reports the negated scores (the sign rule flipped the mode). With b the baseline and P the
 * largest |score − b|: cutTop = b + ASSIGN_CUT·P rounded down to the grid, cutBottom =
 * b − ASSIGN_CUT·P rounded up to it (the grid: multiples of 2^E/256, 2^E the smallest power of
 * two above every |score|). When the two rounded cuts meet (P under ~2 grid steps) or P = 0,
 * no sample is past either (cutTop ≤ cutBottom says so).
 */
export function summarizeEnds(hists: readonly ScoreHistogram[], sign: 1 | -1, baseline: Baseline): EndsSummary {
  let e: number | null = null,
    count = 0,
    min = Infinity,
    max = -Infinity;
  for (const h of hists) {
    if (h.exponent !== null) e = e === null ? h.exponent : Math.max(e, h.exponent);
    count += h.count;
    min = Math.min(min, h.min);
    max = Math.max(max, h.max);
  }
  let S1 = 0;
  for (const h of hists)
    h.forEachCell(e, (_u, _n, s1) => {
      S1 += s1;
    });
  // in the reported orientation: r = sign·s
  const b = baseline === 'zero' || count === 0 ? 0 : (sign * S1) / count;
  const none = (cutTop: number, cutBottom: number): EndsSummary => ({
    kind: 'diffuse',
    baseline: b,
    massTop: 0,
    massBottom: 0,
    cutTop,
    cutBottom,
    countTop: hists.map(() => 0),
    countBottom: hists.map(() => 0),
  });
  if (count === 0) return none(0, 0);
  const hi = sign === 1 ? max : -min,
    lo = sign === 1 ? min : -max;
  const P = Math.max(hi - b, b - lo);
  if (e === null || !(P > 0)) return none(b, b);
  const w = 2 ** (e - LOG_GRID);
  const cutTop = Math.floor((b + ASSIGN_CUT * P) / w) * w,
    cutBottom = Math.ceil((b - ASSIGN_CUT * P) / w) * w;
  if (cutBottom >= cutTop) return none(cutTop, cutBottom);
  // cells of reported scores at or above cutTop, at or below cutBottom (a cell's index in r: sign·u)
  const uTop = 2 * (cutTop / w),
    uBottom = 2 * (cutBottom / w);
  let total = 0,
    top = 0,
    bottom = 0;
  const countTop = hists.map(() => 0),
    countBottom = hists.map(() => 0);
  hists.forEach((hist, h) =>
    hist.forEachCell(e, (cell, k, cs1, s2) => {
      const u = sign * cell,
        s1 = sign * cs1;
      const t2 = s2 - 2 * b * s1 + k * b * b; // Σ (r − b)² over the cell
      total += t2;
      if (u >= uTop) {
        top += t2;
        countTop[h] += k;
      }
      if (u <= uBottom) {
        bottom += t2;
        countBottom[h] += k;
      }
    }),
  );
  const massTop = total > 0 ? Math.max(0, top) / total : 0,
    massBottom = total > 0 ? Math.max(0, bottom) / total : 0;
  return { kind: kindOf(massTop, massBottom), baseline: b, massTop, massBottom, cutTop, cutBottom, countTop, countBottom };
}

/** The cut rule over scores held in memory (the first n; as reported: no sign change). */
export function endsOfScores(scores: ArrayLike<number>, baseline: Baseline, n = scores.length): EndsSummary {
  const h = new ScoreHistogram();
  for (let i = 0; i < n; i++) h.push(scores[i]);
  return summarizeEnds([h], 1, baseline);
}
