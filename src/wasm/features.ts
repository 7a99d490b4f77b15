// Typed wrappers over the feature-map kernels (internal). Each writes rows × D f32
// features of a chunk of rows into `out`; NaN/Inf (and zero rows under the cosine
// kernel) raise InputError naming the GLOBAL row index rowOffset + i.
import { wasm } from './loader.js';
import type { WasmArray } from './memory.js';
import { InputError } from '../errors.js';

type F32 = WasmArray<Float32Array>;

export interface FeatureOptions {
  /** Element offset of the chunk's first row in X (default 0). */
  xOffset?: number;
  /** Element offset of the first output row in out (default 0). */
  outOffset?: number;
  /** Leading dimension of out in elements (default D: d, or 2m for RFF). */
  ldOut?: number;
  /** Named in error messages (e.g. "X" or a file name). */
  source?: string;
}

const ERR_NONFINITE = 1;
const ERR_ZERO_ROW = 2;

/**
 * Raises the InputError for a kernel's bad-row return value (no-op for -1).
 * `input` (the chunk's f32 rows in wasm memory, `cols` wide) lets a NaN/Inf
 * message name the value, worded as validate.ts's checkFinite words it.
 */
export function throwIfBad(bad: number, rowOffset: number, source?: string, what = 'the cosine kernel', input?: { ptr: number; cols: number }): void {
  if (bad < 0) return;
  const ex = wasm();
  const row = rowOffset + bad;
  if (ex.featErrKind() === ERR_ZERO_ROW) {
    throw new InputError(`row ${row + 1} (1-based) is all zeros: ${what} needs non-zero rows`, source);
  }
  if (ex.featErrKind() === ERR_NONFINITE) {
    const col = ex.featErrCol();
    const value = input ? `${new Float32Array(ex.memory.buffer, input.ptr + 4 * (bad * input.cols + col), 1)[0]}` : '(NaN or Inf)';
    throw new InputError(`non-finite value ${value} at row ${row + 1}, column ${col + 1} (1-based)`, source);
  }
  throw new InputError(`row ${row + 1} (1-based) is invalid`, source);
}

function check(X: F32, rows: number, d: number, out: F32, D: number, o: FeatureOptions): [number, number, number] {
  const xOff = o.xOffset ?? 0,
    outOff = o.outOffset ?? 0,
    ld = o.ldOut ?? D;
  if (ld < D) throw new RangeError(`spec-embed: ldOut ${ld} is smaller than the feature dimension ${D}`);
  if (rows > 0 && xOff + rows * d > X.length) throw new RangeError(`spec-embed: X chunk (${rows} × ${d} at ${xOff}) exceeds its buffer of ${X.length}`);
  if (rows > 0 && outOff + (rows - 1) * ld + D > out.length)
    throw new RangeError(`spec-embed: feature output (${rows} × ${D}, ld ${ld}) exceeds its buffer of ${out.length}`);
  return [X.ptr + 4 * xOff, out.ptr + 4 * outOff, ld];
}

/** φ(x) = x/‖x‖ (norm in f64). */
export function featuresCosine(X: F32, rows: number, d: number, out: F32, rowOffset = 0, opts: FeatureOptions = {}): void {
  if (rows <= 0) return;
  const [x, o, ld] = check(X, rows, d, out, d, opts);
  throwIfBad(wasm().featCosine(x, rows, d, o, ld), rowOffset, opts.source, undefined, { ptr: x, cols: d });
}

/** Rows [0, rows) of X (d wide) scaled to unit length in place (f64 norm; zero rows stay zero). */
export function unitRowsInPlace(X: F32, rows: number, d: number): void {
  if (rows <= 0) return;
  if (X.length < rows * d) throw new RangeError(`spec-embed: unitRowsInPlace: ${rows} × ${d} rows exceed the buffer`);
  wasm().unitRowsInPlace(X.ptr, rows, d);
}

/** φ(x) = x (copied, after the NaN/Inf check). */
export function featuresLinear(X: F32, rows: number, d: number, out: F32, rowOffset = 0, opts: FeatureOptions = {}): void {
  if (rows <= 0) return;
  const [x, o, ld] = check(X, rows, d, out, d, opts);
  throwIfBad(wasm().featLinear(x, rows, d, o, ld), rowOffset, opts.source, undefined, { ptr: x, cols: d });
}

/**
 * Random Fourier features: out row = m^(−1/2)·[cos(xω)_1..m, sin(xω)_1..m] (cos block
 * first), ω the d × m f32 matrix from rng.gaussianOmega. Projection by sgemm (its
 * packing buffers are allocated once per call), then vectorised sin/cos in wasm.
 */
export function featuresRff(X: F32, rows: number, d: number, omega: F32, m: number, out: F32, rowOffset = 0, opts: FeatureOptions = {}): void {
  if (rows <= 0) return;
  if (omega.length < d * m) throw new RangeError(`spec-embed: ω has ${omega.length} entries, needs ${d} × ${m}`);
  const [x, o, ld] = check(X, rows, d, out, 2 * m, opts);
  throwIfBad(wasm().featRff(x, rows, d, omega.ptr, m, o, ld), rowOffset, opts.source, undefined, { ptr: x, cols: d });
}

/** First row of a rows × d chunk holding NaN/Inf (chunk-local), or -1. */
export function firstNonFinite(X: F32, rows: number, d: number, xOffset = 0): number {
  return wasm().firstNonFinite(X.ptr + 4 * xOffset, rows, d, d);
}

/** cos(t)·scale and sin(t)·scale for n f32 values (wasm, vectorised); outCos may be t. */
export function sincos(t: F32, n: number, scale: number, outCos: F32, outSin: F32, tOff = 0, cosOff = 0, sinOff = 0): void {
  wasm().sincosF32(t.ptr + 4 * tOff, n, scale, outCos.ptr + 4 * cosOff, outSin.ptr + 4 * sinOff);
}
