// Density evidence of a mode, computed at generation time in the embeddings
// themselves: how spread out the mode's top samples are around them (each one's
// distance to its k-th nearest neighbour among the plotted samples) under X and
// under Y, each relative to the same distance of a typical plotted sample. A 2-D
// layout (UMAP) evens out density, so a mode whose samples are tight under one
// embedding and spread under the other looks alike in both maps: for such a mode
// the page shows these radii instead (view 'density'); for a mode that moves
// groups together or apart (merge/split) the maps show it (view 'maps').
import type { KernelInfo } from '../types/index.js';
import { fiveNumbers, type Box, type PointRows } from './evidence.js';
import { randInt, seededRandom } from './random.js';

export interface DensityEvidence {
  /** Neighbours counted: the radius is the distance to the k-th nearest. */
  k: number;
  /** Plotted samples the neighbours are searched among. */
  of: number;
  /** Row of each top sample in its set (those plotted), in the mode's top order. */
  index: number[];
  /** Each top sample's k-NN radius over the median radius of the reference samples, under X and under Y (1 = as spread as a typical sample). */
  x: number[];
  y: number[];
  /** The reference samples' relative radii (their median is 1), under X and under Y. */
  refX: Box;
  refY: Box;
  /** Median over the top samples of (relative radius under the other side) / (under the mode's side): > 1 when the mode's side packs them tighter. */
  ratio: number;
  /** What the page shows for the mode: 'density' when the ratio is ≥ DENSITY_RATIO or ≤ 1/DENSITY_RATIO else 'maps'. */
  view: 'density' | 'maps';
}

/**
 * A density difference at least this large (either way) is shown as radii, not as maps. On
 * the planted six groups (tests/fixtures/ends, Gaussian σ = 4) the group 4× wider in Y gives
 * ratios of 5 (x2) and 1/4 (y2, y4, …: halves of it), the merge of g0 and g1 1.46 (y1) and
 * the split of g0 from g1 1.12 (x1).
 */
export const DENSITY_RATIO = 2;
/** Neighbours of the radius. */
export const DENSITY_K = 10;
/** At most this many plotted samples are searched (a seeded subset): the cost is queries × this × cols per side. */
export const DENSITY_POPULATION = 1500;
/** Reference samples whose radii define "typical". */
export const DENSITY_REFERENCE = 100;

/** Squared distance the kernel implies: Euclidean (gaussian, linear) or between the unit vectors (cosine). */
function dist2(k: KernelInfo, a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, d: number): number {
  if (k.type !== 'cosine') {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = a[ao + j] - b[bo + j];
      s += t * t;
    }
    return s;
  }
  let dot = 0,
    na = 0,
    nb = 0;
  for (let j = 0; j < d; j++) {
    dot += a[ao + j] * b[bo + j];
    na += a[ao + j] ** 2;
    nb += b[bo + j] ** 2;
  }
  return na > 0 && nb > 0 ? Math.max(0, 2 - (2 * dot) / Math.sqrt(na * nb)) : 2;
}

/** Distance from plotted point q to its k-th nearest among `population` (q itself excluded). */
export function knnRadius(rows: PointRows, kernel: KernelInfo, q: number, population: number[], k: number): number {
  const d = rows.cols;
  const ds: number[] = [];
  for (const r of population) if (r !== q) ds.push(dist2(kernel, rows.data, q * d, rows.data, r * d, d));
  if (!ds.length) return NaN;
  ds.sort((a, b) => a - b);
  return Math.sqrt(ds[Math.min(k, ds.length) - 1]);
}

/** `m` distinct plotted points (all when m ≥ n), seeded, in ascending order. */
export function seededSubset(n: number, m: number, seed: number): number[] {
  if (m >= n) return Array.from({ length: n }, (_, i) => i);
  const rand = seededRandom(seed);
  const chosen = new Set<number>();
  while (chosen.size < m) chosen.add(randInt(rand, n));
  return [...chosen].sort((a, b) => a - b);
}

const median = (v: number[]) => fiveNumbers(v)[2];
const round4 = (v: number) => Number(v.toPrecision(4));

/** One side's radii: the reference median and a function of a point's relative radius. */
function side(rows: PointRows, kernel: KernelInfo, population: number[], reference: number[], k: number) {
  const cache = new Map<number, number>();
  const radius = (q: number) => {
    let r = cache.get(q);
    if (r === undefined) cache.set(q, (r = knnRadius(rows, kernel, q, population, k)));
    return r;
  };
  const refRadii = reference.map(radius);
  const scale = median(refRadii);
  const rel = (r: number) => (scale > 0 ? r / scale : r === 0 ? 1 : Infinity);
  return { ref: fiveNumbers(refRadii.map(rel)), rel: (q: number) => rel(radius(q)) };
}

export interface DensityModeInput {
  key: string;
  side: 'x' | 'y';
  /** Plotted positions of the mode's top samples (in its top order). */
  top: number[];
  /** Their rows in the set. */
  index: number[];
}

/** Density evidence of every mode (keyed as the modes are) from the plotted points' rows under X and Y. */
export function densityEvidence(
  modes: DensityModeInput[],
  X: PointRows,
  Y: PointRows,
  kx: KernelInfo,
  ky: KernelInfo,
  seed: number,
): Record<string, DensityEvidence> {
  const n = X.rows;
  const out: Record<string, DensityEvidence> = {};
  if (n < 3) return out;
  const k = Math.min(DENSITY_K, n - 2);
  const population = seededSubset(n, DENSITY_POPULATION, seed);
  const reference = seededSubset(n, DENSITY_REFERENCE, seed + 1);
  const sx = side(X, kx, population, reference, k),
    sy = side(Y, ky, population, reference, k);
  for (const m of modes) {
    const x = m.top.map(sx.rel),
      y = m.top.map(sy.rel);
    const ratios = x.map((xi, i) => (m.side === 'x' ? y[i] / xi : xi / y[i])).filter((r) => Number.isFinite(r) && r > 0);
    const ratio = ratios.length ? median(ratios) : 1;
    const differs = ratio >= DENSITY_RATIO || ratio <= 1 / DENSITY_RATIO;
    out[m.key] = {
      k,
      of: population.length,
      index: m.index,
      x: x.map(round4),
      y: y.map(round4),
      refX: sx.ref.map(round4) as Box,
      refY: sy.ref.map(round4) as Box,
      ratio: round4(ratio),
      view: differs ? 'density' : 'maps',
    };
  }
  return out;
}
