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
export function* gramSteps(X: F32, n: number, d: number, kind: GramKind, sigma: number, out: F64, scale = 1, source?: string, rowBase = 0, rowTotal = n): Generator<Step, void> {
  const { k, gamma } = gramArgs(X, n, d, kind, sigma, out);
  // Units: entries of the upper triangle times d (multiply-adds).
  const sizer = new WorkSizer(STEP_MS / 2, GRAM_ROW_ALIGN * Math.max(1, n) * Math.max(1, d));
  const ex = wasm();
  for (let r0 = 0; r0 < n;) {
    const budget = sizer.units();
    let r1 = r0, units = 0;
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
  if (n * d > P.length || outOffset + n - j0 > out.length || i < 0 || i >= n || j0 < 0 || j0 > n) throw new RangeError('spec-embed: gramRowF64 arguments exceed their buffers');
  wasm().gramRowF64(P.ptr, n, d, i, j0, squared ? 1 : 0, out.ptr + 8 * outOffset);
}
