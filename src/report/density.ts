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
  /** Row of each top sample in its set (the first DENSITY_TOP plotted), in the mode's top order. */
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
 * ratios of 5.3 (x2) and 1/4 (y2, y4, …: halves of it), the merge of g0 and g1 1.6 (y1) and
 * the split of g0 from g1 1.12 (x1).
 */
export const DENSITY_RATIO = 2;
/** Neighbours of the radius. */
export const DENSITY_K = 10;
/**
 * Plotted samples searched: a seeded subset of this many, plus every mode's top samples (so a
 * small tight group keeps its own members as neighbours). The cost is queries × population × cols
 * per side, queries ≤ modes × DENSITY_TOP + DENSITY_REFERENCE.
 */
export const DENSITY_POPULATION = 500;
/** Reference samples whose radii define "typical". */
export const DENSITY_REFERENCE = 64;
/** Top samples of a mode whose radii are shown (its first ones). */
export const DENSITY_TOP = 12;

/** The rows as a Float32Array (the gathered rows already are) and, for cosine, each row's inverse norm. */
function prepared(rows: PointRows, kernel: KernelInfo): { data: Float32Array; inv: Float64Array | null } {
  const data = rows.data instanceof Float32Array ? rows.data : Float32Array.from(rows.data);
  if (kernel.type !== 'cosine') return { data, inv: null };
  const d = rows.cols,
    inv = new Float64Array(rows.rows);
  for (let r = 0; r < rows.rows; r++) {
    let s = 0;
    for (let j = r * d; j < (r + 1) * d; j++) s += data[j] * data[j];
    inv[r] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  return { data, inv };
}

/**
 * Squared distances from plotted point q to each of `population` (q itself skipped) into `out`,
 * returning how many: Euclidean (Gaussian, linear kernels) or between the unit vectors (cosine:
 * 2 − 2 cos; a zero row is at distance √2 from everything).
 */
function distances(p: { data: Float32Array; inv: Float64Array | null }, d: number, q: number, population: number[], out: Float64Array): number {
  const { data, inv } = p;
  const qo = q * d;
  let m = 0;
  for (const r of population) {
    if (r === q) continue;
    const ro = r * d;
    let s = 0;
    if (inv) {
      for (let j = 0; j < d; j++) s += data[qo + j] * data[ro + j];
      s = inv[q] > 0 && inv[r] > 0 ? Math.max(0, 2 - 2 * s * inv[q] * inv[r]) : 2;
    } else {
      for (let j = 0; j < d; j++) {
        const t = data[qo + j] - data[ro + j];
        s += t * t;
      }
    }
    out[m++] = s;
  }
  return m;
}

/** Distance from plotted point q to its k-th nearest among `population` (q itself excluded). */
export function knnRadius(rows: PointRows, kernel: KernelInfo, q: number, population: number[], k: number): number {
  const out = new Float64Array(population.length);
  return kth(out, distances(prepared(rows, kernel), rows.cols, q, population, out), k);
}

/** √ of the k-th smallest of the first m values (all of them when m < k; NaN when none). */
function kth(values: Float64Array, m: number, k: number): number {
  if (m === 0) return NaN;
  const v = values.subarray(0, m).sort();
  return Math.sqrt(v[Math.min(k, m) - 1]);
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
  const p = prepared(rows, kernel);
  const buf = new Float64Array(population.length);
  const radius = (q: number) => {
    let r = cache.get(q);
    if (r === undefined) cache.set(q, (r = kth(buf, distances(p, rows.cols, q, population, buf), k)));
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
  const tops = modes.map((m) => m.top.slice(0, DENSITY_TOP));
  const population = [...new Set([...seededSubset(n, DENSITY_POPULATION, seed), ...tops.flat()])].sort((a, b) => a - b);
  const reference = seededSubset(n, DENSITY_REFERENCE, seed + 1);
  const sx = side(X, kx, population, reference, k),
    sy = side(Y, ky, population, reference, k);
  modes.forEach((m, i) => {
    const x = tops[i].map(sx.rel),
      y = tops[i].map(sy.rel);
    const ratios = x.map((xi, i) => (m.side === 'x' ? y[i] / xi : xi / y[i])).filter((r) => Number.isFinite(r) && r > 0);
    const ratio = ratios.length ? median(ratios) : 1;
    const differs = ratio >= DENSITY_RATIO || ratio <= 1 / DENSITY_RATIO;
    out[m.key] = {
      k,
      of: population.length,
      index: m.index.slice(0, DENSITY_TOP),
      x: x.map(round4),
      y: y.map(round4),
      refX: sx.ref.map(round4) as Box,
      refY: sy.ref.map(round4) as Box,
      ratio: round4(ratio),
      view: differs ? 'density' : 'maps',
    };
  });
  return out;
}

/** densityEvidence of a compare() result's modes, whose top samples are rows of the plotted points `pts`. */
export function compareDensity(
  modes: readonly { side: 'x' | 'y'; rank: number; top: { index: number }[] }[],
  pts: number[],
  X: PointRows,
  Y: PointRows,
  kx: KernelInfo,
  ky: KernelInfo,
  seed: number,
): Record<string, DensityEvidence> {
  const pos = new Map(pts.map((i, p) => [i, p]));
  const input = modes.map((m) => {
    const plotted = m.top.filter((t) => pos.has(t.index));
    return { key: `${m.side}${m.rank}`, side: m.side, top: plotted.map((t) => pos.get(t.index)!), index: plotted.map((t) => t.index) };
  });
  return densityEvidence(input, X, Y, kx, ky, seed);
}
