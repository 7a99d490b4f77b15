// 2-D layouts of the plotted samples, computed when the report is generated
// (Node, or the app's Web Worker): UMAP (umap-js, seeded) by default, PCA for
// tiny sets or on request. Cosine-kernel embeddings are laid out on their
// unit-normalised rows (Euclidean there ranks neighbours as cosine does).
// Wide rows are first projected on their top principal subspace (as UMAP users
// do with PCA-50): the neighbour search costs in proportion to the columns, and
// the clusters a map shows live in the leading directions. The neighbours are
// then found exactly (knn.ts) and the fuzzy graph built with numeric keys
// (umap-graph.ts); umap-js optimises the layout.
import * as umapModule from 'umap-js';
import { pca } from './pca.js';
import { seededRandom } from './random.js';
import { principalSubspace } from './subspace.js';
import { useFastGraph, type UmapInternals } from './umap-graph.js';
import { exactKnn } from './knn.js';

export type LayoutMethod = 'umap' | 'pca';

export interface LayoutOptions {
  /** 'auto' (default): UMAP, or PCA below `minUmapPoints` points. */
  method?: 'auto' | LayoutMethod;
  /** Seed of UMAP's random stream. Default 0. */
  seed?: number;
  /** UMAP optimisation epochs; default by size (defaultEpochs). Time grows linearly. */
  nEpochs?: number;
  /** Columns UMAP's neighbour search works in: wider rows are projected on their top principal subspace first. Default 32; 0 keeps every column. */
  dims?: number;
  /** Normalise rows first (the cosine kernel's geometry). */
  normalize?: boolean;
  /** Called with the finished fraction in [0, 1]. */
  onProgress?: (fraction: number) => void;
}

/**
 * UMAP epochs when not given: 200 up to 2,000 points, else 100 (was 120; the
 * demo's maps look the same at 100, while at 50 groups come out looser and
 * split: checked by eye, docs/design.md "Report layouts").
 */
export const defaultEpochs = (n: number): number => (n <= 2000 ? 200 : 100);
/** Default of LayoutOptions.dims. */
export const LAYOUT_DIMS = 32;

/** A layout: n × 2 row-major coordinates rescaled to [−1, 1] per axis (aspect kept). */
export interface Layout {
  method: LayoutMethod;
  xy: Float32Array;
}

/** UMAP needs a neighbourhood (15) and some structure; fewer points get PCA. */
export const MIN_UMAP_POINTS = 40;

// biome-ignore lint/suspicious/noExplicitAny: umap-js is CommonJS; bundlers expose it as the namespace or as its default
const UMAP: typeof umapModule.UMAP = (umapModule as any).UMAP ?? (umapModule as any).default?.UMAP;
const macrotask = () => new Promise<void>((r) => setTimeout(r, 0));

export async function layout2d(data: ArrayLike<number>, n: number, d: number, opts: LayoutOptions = {}): Promise<Layout> {
  const method: LayoutMethod = opts.method === 'pca' || opts.method === 'umap' ? opts.method : n < MIN_UMAP_POINTS ? 'pca' : 'umap';
  let xy: Float64Array;
  if (method === 'pca' || n < 3) {
    const rows = toRows(data, n, d, opts.normalize ?? false);
    const flat = new Float64Array(n * d);
    rows.forEach((r, i) => flat.set(r, i * d));
    xy = pca(flat, n, d, 2);
  } else {
    const dims = opts.dims ?? LAYOUT_DIMS;
    let rows = toRows(data, n, d, opts.normalize ?? false);
    let p = d;
    if (dims > 0 && d > dims) {
      const flat = new Float64Array(n * d);
      rows.forEach((r, i) => flat.set(r, i * d));
      rows = toRows(principalSubspace(flat, n, d, dims, opts.seed ?? 0), n, dims, false);
      p = dims;
    }
    const nNeighbors = Math.min(15, n - 1);
    const umap = new UMAP({ nComponents: 2, nNeighbors, nEpochs: opts.nEpochs ?? defaultEpochs(n), random: seededRandom(opts.seed ?? 0) });
    // Exact neighbours in the projected rows, in place of umap-js's approximate search.
    const flat = new Float64Array(n * p);
    rows.forEach((r, i) => flat.set(r, i * p));
    const knn = exactKnn(flat, n, p, nNeighbors);
    umap.setPrecomputedKNN(knn.indices, knn.distances);
    // The search graph only serves umap.transform() of new points, which a report never calls.
    (umap as unknown as { makeSearchGraph: () => null }).makeSearchGraph = () => null;
    useFastGraph(umap as unknown as UmapInternals, n);
    const epochs = umap.initializeFit(rows);
    let last = performance.now();
    for (let e = 0; e < epochs; e++) {
      umap.step();
      if (performance.now() - last > 40) {
        opts.onProgress?.(e / epochs);
        await macrotask();
        last = performance.now();
      }
    }
    const emb = umap.getEmbedding();
    xy = new Float64Array(n * 2);
    emb.forEach((p, i) => {
      xy[2 * i] = p[0];
      xy[2 * i + 1] = p[1];
    });
  }
  opts.onProgress?.(1);
  return { method: method === 'umap' && n >= 3 ? 'umap' : 'pca', xy: rescale(xy, n) };
}

function toRows(data: ArrayLike<number>, n: number, d: number, normalize: boolean): number[][] {
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = new Array<number>(d);
    let s = 0;
    for (let j = 0; j < d; j++) {
      r[j] = data[i * d + j];
      s += r[j] * r[j];
    }
    if (normalize && s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let j = 0; j < d; j++) r[j] *= inv;
    }
    rows[i] = r;
  }
  return rows;
}

/** Centres and scales both axes by one factor so the larger extent spans [−1, 1]. */
function rescale(xy: Float64Array, n: number): Float32Array {
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, xy[2 * i]);
    x1 = Math.max(x1, xy[2 * i]);
    y0 = Math.min(y0, xy[2 * i + 1]);
    y1 = Math.max(y1, xy[2 * i + 1]);
  }
  const cx = (x0 + x1) / 2,
    cy = (y0 + y1) / 2;
  const half = Math.max(x1 - x0, y1 - y0) / 2 || 1;
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = (xy[2 * i] - cx) / half;
    out[2 * i + 1] = (xy[2 * i + 1] - cy) / half;
  }
  return out;
}
