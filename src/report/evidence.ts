// Per-mode evidence computed at generation time from the plotted samples' rows
// (small: top samples × plotted points): the kernel similarities among a mode's
// top samples against a seeded sample of all pairs, under X and under Y, and
// the similarity-ranking view (rank of each top sample among another's nearest
// neighbours under X versus under Y).
import type { KernelInfo } from '../types/index.js';
import { randInt, seededRandom } from './random.js';

/** Rows of one embedding for the plotted points (row p = plotted point p). */
export interface PointRows {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

/** Five-number summary [min, q1, median, q3, max] (linear-interpolated quantiles, as NumPy's default). */
export type Box = [number, number, number, number, number];

export interface ModeEvidence {
  /** Similarities among the mode's top samples (all pairs), per embedding. */
  topX: Box;
  topY: Box;
  /** Similarities of a seeded sample of pairs of plotted points, per embedding. */
  allX: Box;
  allY: Box;
  /** Ordered pairs (i, j) of top samples: rank of j among i's neighbours (1 = nearest) over the plotted points, under X and Y. */
  rankX: number[];
  rankY: number[];
  /** How many points the ranks are taken over (the plotted points minus the query). */
  rankOf: number;
}

/** A kernel's similarity between two rows (what the mode's eigenvalue measures). */
export function similarity(k: KernelInfo, a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, d: number): number {
  if (k.type === 'gaussian') {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = a[ao + j] - b[bo + j];
      s += t * t;
    }
    const sg = k.sigma ?? 1;
    return Math.exp(-s / (2 * sg * sg));
  }
  let dot = 0,
    na = 0,
    nb = 0;
  for (let j = 0; j < d; j++) {
    dot += a[ao + j] * b[bo + j];
    na += a[ao + j] ** 2;
    nb += b[bo + j] ** 2;
  }
  if (k.type === 'linear') return dot;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

export function fiveNumbers(values: number[]): Box {
  if (!values.length) return [NaN, NaN, NaN, NaN, NaN];
  const v = [...values].sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (v.length - 1) * p,
      lo = Math.floor(h),
      hi = Math.ceil(h);
    return v[lo] + (h - lo) * (v[hi] - v[lo]);
  };
  return [v[0], q(0.25), q(0.5), q(0.75), v[v.length - 1]];
}

/** Similarities of `pairs` random distinct pairs of points (seeded). */
export function pairSample(rows: PointRows, k: KernelInfo, pairs: number, seed: number): number[] {
  const n = rows.rows,
    out: number[] = [];
  if (n < 2) return out;
  const rand = seededRandom(seed);
  for (let t = 0; t < pairs; t++) {
    const i = randInt(rand, n);
    let j = randInt(rand, n - 1);
    if (j >= i) j++;
    out.push(similarity(k, rows.data, i * rows.cols, rows.data, j * rows.cols, rows.cols));
  }
  return out;
}

/** Similarities among the given points (each unordered pair once). */
export function pairsAmong(rows: PointRows, k: KernelInfo, points: number[]): number[] {
  const out: number[] = [];
  for (let a = 0; a < points.length; a++) {
    for (let b = a + 1; b < points.length; b++) out.push(similarity(k, rows.data, points[a] * rows.cols, rows.data, points[b] * rows.cols, rows.cols));
  }
  return out;
}

/**
 * For each ordered pair (i, j) of `points`, the neighbour rank of j from i:
 * 1 + the number of other plotted points more similar to i than j is.
 * `norms` (rowNorms of `rows`, for the cosine kernel) saves recomputing each
 * row's length per query; the similarities are the same numbers either way.
 */
export function neighbourRanks(rows: PointRows, k: KernelInfo, points: number[], norms?: Float64Array): number[] {
  const n = rows.rows;
  const out: number[] = [];
  const sims = new Float64Array(n);
  for (const i of points) {
    similaritiesTo(rows, k, i, sims, norms);
    for (const j of points) {
      if (j === i) continue;
      const sj = sims[j];
      let rank = 1;
      for (let r = 0; r < n; r++) if (r !== i && r !== j && sims[r] > sj) rank++;
      out.push(rank);
    }
  }
  return out;
}

/** Σ x² of each row (as `similarity` sums it), for the cosine kernel's fast path. */
export function rowNorms(rows: PointRows): Float64Array {
  const { data, rows: n, cols: d } = rows;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += data[r * d + j] ** 2;
    out[r] = s;
  }
  return out;
}

/** out[r] = similarity of row i and row r, for every row r. */
function similaritiesTo(rows: PointRows, k: KernelInfo, i: number, out: Float64Array, norms?: Float64Array): void {
  const { data, rows: n, cols: d } = rows;
  if (k.type !== 'cosine' || !norms) {
    for (let r = 0; r < n; r++) out[r] = similarity(k, data, i * d, data, r * d, d);
    return;
  }
  const io = i * d,
    na = norms[i];
  for (let r = 0; r < n; r++) {
    let dot = 0;
    const ro = r * d;
    for (let j = 0; j < d; j++) dot += data[io + j] * data[ro + j];
    const nb = norms[r];
    out[r] = na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
  }
}

/** The evidence of one mode whose top samples are the plotted points `top`. */
export function modeEvidence(
  top: number[],
  X: PointRows,
  Y: PointRows,
  kx: KernelInfo,
  ky: KernelInfo,
  allX: Box,
  allY: Box,
  rankTop: number,
  norms: { x?: Float64Array; y?: Float64Array } = {},
): ModeEvidence {
  const r = top.slice(0, rankTop);
  return {
    topX: fiveNumbers(pairsAmong(X, kx, top)),
    topY: fiveNumbers(pairsAmong(Y, ky, top)),
    allX,
    allY,
    rankX: neighbourRanks(X, kx, r, norms.x),
    rankY: neighbourRanks(Y, ky, r, norms.y),
    rankOf: X.rows - 1,
  };
}
