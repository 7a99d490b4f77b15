// Typed wrappers over the exact Gram kernels (internal).
import { wasm } from './loader.js';
import { f64, type WasmArray } from './memory.js';
import { throwIfBad } from './features.js';
import { WorkSizer, STEP_MS, type Step } from '../runtime/cooperative.js';

type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;

export type GramKind = 'linear' | 'cosine' | 'gaussian';
export const KIND: Record<GramKind, number> = { linear: 0, cosine: 1, gaussian: 2 };

/** Checks gram's arguments; returns the wasm kernel code and γ = 1/(2σ²) (0 unless Gaussian). */
function gramArgs(X: F32, n: number, d: number, kind: GramKind, sigma: number, out: F64): { k: number; gamma: number } {
  const k = KIND[kind];
  if (k === undefined) throw new RangeError(`spec-embed: unknown kernel ${kind}`);
  if (kind === 'gaussian' && !(sigma > 0 && Number.isFinite(sigma))) throw new RangeError(`spec-embed: sigma must be a positive finite number, got ${sigma}`);
  if (n * d > X.length) throw new RangeError(`spec-embed: X (${n} × ${d}) exceeds its buffer of ${X.length}`);
  if (out.length < n * n) throw new RangeError(`spec-embed: Gram output needs ${n * n} entries, has ${out.length}`);
  return { k, gamma: kind === 'gaussian' ? 1 / (2 * sigma * sigma) : 0 };
}

/**
 * out = scale·[k(xi, xj)] as the FULL symmetric n × n f64 matrix, for X n × d f32.
 * gaussian: k = exp(−‖xi − xj‖²/(2σ²)) (σ ignored for the other kinds).
 * NaN/Inf, or a zero row under cosine, raise InputError naming the row.
 */
export function gram(X: F32, n: number, d: number, kind: GramKind, sigma: number, out: F64, scale = 1, source?: string): void {
  const { k, gamma } = gramArgs(X, n, d, kind, sigma, out);
  throwIfBad(wasm().gramF64(X.ptr, n, d, k, gamma, out.ptr, scale), 0, source, undefined, { ptr: X.ptr, cols: d });
}

/**
 * All Euclidean distances between rows i < j of the rows × d f32 matrix X (f64, in
 * the order (0,1), (0,2), …, (0,rows−1), (1,2), …), computed in wasm.
 */
export function pairwiseDistances(X: F32, rows: number, d: number, xOffset = 0): Float64Array {
  if (rows < 2) return new Float64Array(0);
  if (xOffset + rows * d > X.length) throw new RangeError(`spec-embed: X (${rows} × ${d}) exceeds its buffer`);
  const len = (rows * (rows - 1)) / 2;
  const buf = f64(len, `pairwise distances (${rows} rows)`);
  try {
    wasm().pairwiseDistances(X.ptr + 4 * xOffset, rows, d, buf.ptr);
    return buf.toArray();
  } finally {
    buf.free();
  }
}

/** gram's rows are built in blocks of a multiple of this many rows. */
const GRAM_ROW_ALIGN = 32;

/**
 * gram as a resumable computation: rows in blocks sized to ~STEP_MS/2 each
 * (multiples of 32 rows), yielding after each block with progress in rows.
 * Same entries as one gram call.
 */
export function* gramSteps(
  X: F32,
  n: number,
  d: number,
  kind: GramKind,
  sigma: number,
  out: F64,
  scale = 1,
  source?: string,
  rowBase = 0,
  rowTotal = n,
): Generator<Step, void> {
  const { k, gamma } = gramArgs(X, n, d, kind, sigma, out);
  // Units: entries of the upper triangle times d (multiply-adds).
  const sizer = new WorkSizer(STEP_MS / 2, GRAM_ROW_ALIGN * Math.max(1, n) * Math.max(1, d));
  const ex = wasm();
  for (let r0 = 0; r0 < n; ) {
    const budget = sizer.units();
    let r1 = r0,
      units = 0;
    do {
      const e = Math.min(n, r1 + GRAM_ROW_ALIGN);
      units += (e - r1) * (n - r1) * Math.max(1, d);
      r1 = e;
    } while (r1 < n && units + GRAM_ROW_ALIGN * (n - r1) * d <= budget);
    sizer.start();
    throwIfBad(ex.gramRowsF64(X.ptr, n, d, k, gamma, out.ptr, scale, r0, r1), 0, source, undefined, { ptr: X.ptr, cols: d });
    sizer.stop(units);
    r0 = r1;
    yield { done: rowBase + r0, total: rowTotal, message: 'kernel rows' };
  }
}

/**
 * out[j − j0] for j = j0 .. n−1: pᵢ·pⱼ, or ‖pᵢ − pⱼ‖² with `squared`, for the
 * n × d f64 rows P, all in f64 (where f32 products would lose digits).
 */
export function gramRowF64(P: F64, n: number, d: number, i: number, j0: number, squared: boolean, out: F64, outOffset = 0): void {
  if (n * d > P.length || outOffset + n - j0 > out.length || i < 0 || i >= n || j0 < 0 || j0 > n)
    throw new RangeError('spec-embed: gramRowF64 arguments exceed their buffers');
  wasm().gramRowF64(P.ptr, n, d, i, j0, squared ? 1 : 0, out.ptr + 8 * outOffset);
}

/**
 * Rows [0, r1) of the Gram of the m × d f32 rows of X starting at row `xRow`,
 * from the diagonal on: row i holds its entries i..m−1 at out[i·m + i ..]. A
 * worker's band of the whole matrix (runtime/gram-shard.ts): with xRow a multiple
 * of 32 each entry equals the whole matrix's bit for bit. Bad rows are named
 * with `rowOffset` added.
 */
export function gramBandF64(
  X: F32,
  xRow: number,
  m: number,
  d: number,
  kind: GramKind,
  gamma: number,
  out: F64,
  scale: number,
  r1: number,
  rowOffset: number,
  source?: string,
): void {
  const k = KIND[kind];
  if (k === undefined) throw new RangeError(`spec-embed: unknown kernel ${kind}`);
  if ((xRow + m) * d > X.length) throw new RangeError(`spec-embed: X rows ${xRow}..${xRow + m} (× ${d}) exceed its buffer of ${X.length}`);
  if (r1 < 0 || r1 > m || out.length < r1 * m) throw new RangeError(`spec-embed: Gram band of ${r1} rows × ${m} exceeds its buffer of ${out.length}`);
  const x = X.ptr + 4 * xRow * d;
  throwIfBad(wasm().gramRowsF64(x, m, d, k, gamma, out.ptr, scale, 0, r1), rowOffset, source, undefined, { ptr: x, cols: d });
}

/** Distances of the pairs (i, j > i) for i in [i0, i1) of the rows × d f32 X, at their places in pairwiseDistances' order. */
export function pairwiseDistancesRows(X: F32, rows: number, d: number, i0: number, i1: number, out: F64): void {
  if (rows * d > X.length) throw new RangeError(`spec-embed: X (${rows} × ${d}) exceeds its buffer`);
  if (out.length < (rows * (rows - 1)) / 2) throw new RangeError(`spec-embed: pairwise distances of ${rows} rows exceed their buffer of ${out.length}`);
  if (!(0 <= i0 && i0 <= i1 && i1 <= rows)) throw new RangeError(`spec-embed: pairwise distance rows ${i0}..${i1} outside 0..${rows}`);
  wasm().pairwiseDistancesRows(X.ptr, rows, d, i0, i1, out.ptr);
}

/** x[off + i] = exp(−γ·x[off + i]) for i < n, in place (this module's exp, the same in every runtime). */
export function expNegScaled(x: F64, off: number, n: number, gamma: number): void {
  if (off < 0 || off + n > x.length) throw new RangeError(`spec-embed: expNegScaled range ${off}..${off + n} exceeds its buffer of ${x.length}`);
  wasm().expNegScaled(x.ptr + 8 * off, n, gamma);
}

/** Mirrors the upper triangle of the n × n f64 K into its lower triangle for rows [r0, r1) (r0 a multiple of 32). */
export function symmetrizeRows(K: F64, n: number, r0: number, r1: number): void {
  if (K.length < n * n) throw new RangeError(`spec-embed: symmetrizeRows needs ${n * n} entries, has ${K.length}`);
  if (r0 % 32 !== 0 || r0 < 0 || r1 < r0 || r1 > n) throw new RangeError(`spec-embed: symmetrizeRows rows ${r0}..${r1} (r0 a multiple of 32, r1 ≤ ${n})`);
  wasm().symmetrizeRows(K.ptr, n, r0, r1);
}
