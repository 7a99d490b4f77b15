// Mutual k-NN overlap (compare): for a query row i, the fraction of its k nearest
// neighbours by cosine similarity (itself excluded; ties to the lower index) that
// X and Y share, averaged over the queries. Similarities come from blocked SGEMM
// (queries × a chunk of rows), the rows streamed from the sources chunk by chunk,
// so memory holds the queries and one chunk, never the whole data. Every row is
// a query up to KNN_EXACT_MAX rows and KNN_WORK multiply-adds; beyond, a seeded
// sample of query rows (each still searched against all rows) estimates the mean.
import { Scope } from '../wasm/memory.js';
import { sgemm } from '../wasm/gemm.js';
import { unitRowsInPlace } from '../wasm/features.js';
import type { RowSource } from '../validate/source.js';
import type { Cooperative } from '../runtime/cooperative.js';
import { seededRandom } from '../runtime/prng.js';
import type { CompareMetrics } from '../types/significance.js';

export const KNN_K = 10;
/** Every row is a query up to this many rows (and KNN_WORK). */
export const KNN_EXACT_MAX = 20_000;
/** Multiply-adds of the similarity GEMMs (n·queries·(dx + dy)) the default allows: about half a second. */
export const KNN_WORK = 1.5e9;
/** The fewest queries sampled (standard error of the mean ≤ 0.5/√100 = 0.05). */
export const KNN_MIN_QUERIES = 100;

/** Rows streamed per chunk. */
const CHUNK = 2048;
/** Multiply-adds per GEMM step. */
const STEP_WORK = 1e8;

/** How many query rows: all of them (exact) or a sample. */
export function knnQueries(n: number, d: number): { exact: boolean; m: number } {
  if (n <= KNN_EXACT_MAX && n * n * d <= KNN_WORK) return { exact: true, m: n };
  return { exact: false, m: Math.min(n, Math.max(KNN_MIN_QUERIES, Math.floor(KNN_WORK / (n * d)))) };
}

/** m distinct rows of n, seeded, ascending (a partial Fisher–Yates shuffle). */
export function sampleRows(n: number, m: number, seed: number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const rand = seededRandom(seed ^ 0x6b6e6e);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, m).sort();
}

/** Rows scaled to unit length in f64 (a zero row stays zero), written as f32 at `out[o..]`. */
function unitRow(src: ArrayLike<number>, s0: number, d: number, out: Float32Array, o: number, stride = 1): void {
  let ss = 0;
  for (let j = 0; j < d; j++) ss += src[s0 + j] * src[s0 + j];
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let j = 0; j < d; j++) out[o + j * stride] = src[s0 + j] * inv;
}

/** The k nearest rows (cosine) of every query row in one source: m × k row indices. */
async function neighbours(src: RowSource, queries: Int32Array, k: number, coop: Cooperative, progress: { done: number; total: number }): Promise<Int32Array> {
  const n = src.rows,
    d = src.cols,
    m = queries.length;
  const best = new Float64Array(m * k).fill(-Infinity);
  const idx = new Int32Array(m * k).fill(-1);
  const sc = new Scope();
  try {
    // the queries transposed (d × m), so each chunk's rows are used as read (row-major):
    // S = rows · Qᵀ sums the same products in the same order as Q · rowsᵀ
    const QT = sc.f32(m * d, 'k-NN queries, transposed');
    {
      const q = QT.view;
      for (let i = 0; i < m; i++) unitRow(src.read(queries[i], 1), 0, d, q, i, m);
    }
    const ch = Math.min(CHUNK, n);
    const R = sc.f32(d * ch, 'k-NN rows');
    const rb = Math.max(1, Math.min(ch, Math.floor(STEP_WORK / (m * d))));
    const S = sc.f32(rb * m, 'k-NN similarities');
    for (let c0 = 0; c0 < n; c0 += ch) {
      const rows = Math.min(ch, n - c0);
      const data = src.read(c0, rows);
      R.view.set(data.subarray(0, rows * d));
      // the same bits as unitRow, in wasm (JavaScript's loop took ~0.6 s at 100k rows × 1280)
      unitRowsInPlace(R, rows, d);
      for (let r0 = 0; r0 < rows; r0 += rb) {
        const mr = Math.min(rb, rows - r0);
        sgemm(mr, m, d, R, d, QT, m, S, m, 0, r0 * d);
        update(S.view, mr, m, c0 + r0, queries, best, idx, k);
        progress.done += mr * m;
        coop.progress('metrics', progress.done, progress.total, 'k-NN similarities');
        await coop.tick();
      }
    }
    return idx;
  } finally {
    sc.free();
  }
}

/**
 * Keeps, per query, the k largest similarities seen; `s` holds rows r0.. (one per
 * line) × the m queries. Rows come in ascending order and only a strictly larger
 * value replaces: ties keep the lower row.
 */
function update(s: Float32Array, rows: number, m: number, r0: number, queries: Int32Array, best: Float64Array, idx: Int32Array, k: number): void {
  for (let q = 0; q < m; q++) {
    const self = queries[q],
      o = q * k;
    let floor = best[o + k - 1];
    for (let r = 0; r < rows; r++) {
      const v = s[r * m + q];
      if (!(v > floor) || r0 + r === self) continue;
      let p = k - 1;
      while (p > 0 && best[o + p - 1] < v) {
        best[o + p] = best[o + p - 1];
        idx[o + p] = idx[o + p - 1];
        p--;
      }
      best[o + p] = v;
      idx[o + p] = r0 + r;
      floor = best[o + k - 1];
    }
  }
}

/** Mutual k-NN overlap of paired sources (k = min(KNN_K, n − 1)); `sample` forces that many sampled queries (tests). */
export async function mutualKnn(
  sx: RowSource,
  sy: RowSource,
  seed: number,
  coop: Cooperative,
  k0 = KNN_K,
  sample?: number,
): Promise<CompareMetrics['mutualKnn']> {
  const n = sx.rows;
  const k = Math.min(k0, n - 1);
  if (k < 1) return { k: Math.max(0, k), value: Number.NaN, exact: true };
  const { exact, m } = sample !== undefined ? { exact: false, m: Math.min(n, sample) } : knnQueries(n, sx.cols + sy.cols);
  const queries = exact ? Int32Array.from({ length: n }, (_, i) => i) : sampleRows(n, m, seed);
  const progress = { done: 0, total: 2 * m * n };
  const nx = await neighbours(sx, queries, k, coop, progress);
  const ny = await neighbours(sy, queries, k, coop, progress);
  let total = 0;
  for (let q = 0; q < m; q++) {
    const a = new Set(nx.subarray(q * k, (q + 1) * k));
    let shared = 0;
    for (let j = q * k; j < (q + 1) * k; j++) if (a.has(ny[j])) shared++;
    total += shared / k;
  }
  return exact ? { k, value: total / m, exact } : { k, value: total / m, exact, sampled: m };
}
