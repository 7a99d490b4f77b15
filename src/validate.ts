// Input validation shared by compare, finc and align — the one owner of these
// checks: shapes, row counts, finiteness and option ranges, each failure an
// InputError naming the input (its source name) or the option; rows and columns
// are numbered from 1, as a person reads a file.
import { AbortError, InputError } from './errors.js';
import type { Matrix, MatrixLike } from './types.js';

/** Normalises a Matrix or number[][] into a row-major Matrix, checking shape and finiteness. */
export function toMatrix(m: MatrixLike, name: string, rowOffset = 0, checkValues = true): Matrix {
  if (Array.isArray(m)) {
    const rows = m.length;
    if (rows === 0) throw new InputError('has no rows', name);
    const cols = Array.isArray(m[0]) ? m[0].length : -1;
    if (cols <= 0) throw new InputError('row 0 is not a non-empty array of numbers', name);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = m[i];
      if (!Array.isArray(r) || r.length !== cols) {
        throw new InputError(`row ${rowOffset + i + 1} (1-based) has ${Array.isArray(r) ? r.length : 'no'} columns, expected ${cols}`, name);
      }
      for (let j = 0; j < cols; j++) data[i * cols + j] = r[j];
    }
    const out = { data, rows, cols };
    if (checkValues) checkFinite(out, name, rowOffset);
    return out;
  }
  if (!m || typeof m !== 'object' || !(m.data instanceof Float32Array || m.data instanceof Float64Array)) {
    throw new InputError('expected { data: Float32Array | Float64Array, rows, cols } or number[][]', name);
  }
  const { rows, cols } = m;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new InputError(`invalid shape ${rows} × ${cols}`, name);
  }
  if (m.data.length !== rows * cols) {
    throw new InputError(`data has ${m.data.length} values but shape ${rows} × ${cols} needs ${rows * cols}`, name);
  }
  if (checkValues) checkFinite(m, name, rowOffset);
  return m;
}

/** Throws an InputError naming the first NaN/±Inf entry. */
export function checkFinite(m: Matrix, name: string, rowOffset = 0): void {
  const d = m.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v - v !== 0) {
      const r = rowOffset + Math.floor(i / m.cols), c = i % m.cols;
      throw new InputError(`non-finite value ${v} at row ${r + 1}, column ${c + 1} (1-based)`, name);
    }
  }
}

/** Row i of both inputs describes sample i (compare, align). */
export function checkSameRows(x: Named, y: Named): void {
  if (x.rows !== y.rows) {
    throw new InputError(`row counts differ: ${x.name} has ${x.rows} rows, ${y.name} has ${y.rows}; both must describe the same samples`);
  }
}

/** Two sample sets under one embedding (finc). */
export function checkSameCols(x: Named & { cols: number }, y: Named & { cols: number }): void {
  if (x.cols !== y.cols) {
    throw new InputError(`dimensions differ: ${x.name} has ${x.cols} columns, ${y.name} has ${y.cols}; FINC compares two sets under the same embedding`);
  }
}

/** Something with rows and the name messages use (a RowSource, or a matrix with its name). */
interface Named {
  rows: number;
  name: string;
}

/** An integer ≥ 1, or `fallback` when absent. */
export function positiveInt(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new InputError(`${name} must be an integer ≥ 1, got ${String(v)}`);
  return v;
}

/** A finite number ≥ 0, or `fallback` when absent. */
export function nonNegative(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InputError(`${name} must be a finite number ≥ 0, got ${String(v)}`);
  return v;
}

/**
 * Largest η accepted. Beyond ~1/ε (ε = 2⁻⁵² ≈ 2.2e-16) the term η·KY hides KX
 * entirely below double rounding, so the comparison no longer sees X; far before
 * overflow (η = 1e308 makes the operator Inf) it is a typo, not a weight.
 */
export const MAX_ETA = 1e15;

/** Below this a positive η makes η·KY vanish under the rounding of KX (and underflow in f32 features). */
export const MIN_ETA = 1e-15;

/** η: 0, or a finite number in [MIN_ETA, MAX_ETA] (default 1). */
export function etaOf(v: unknown): number {
  const eta = nonNegative(v, 'eta', 1);
  if (eta > MAX_ETA) throw new InputError(`eta must be ≤ 1e15 (beyond that η·KY hides KX below double-precision rounding), got ${String(v)}`);
  if (eta > 0 && eta < MIN_ETA) throw new InputError(`eta must be 0 or ≥ 1e-15 (below that η·KY vanishes under the rounding of KX), got ${String(v)}`);
  return eta;
}

/** `seed`: an integer in [0, 2^32) (default 0). */
export function seedOf(v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new InputError(`seed must be an integer in [0, 2^32), got ${String(v)}`);
  }
  return v;
}

/** `method`: 'auto' (default), 'exact' or 'covariance'. */
export function methodOf(v: unknown): 'auto' | 'exact' | 'covariance' {
  if (v === undefined) return 'auto';
  if (v !== 'auto' && v !== 'exact' && v !== 'covariance') throw new InputError(`method must be auto, exact or covariance, got ${String(v)}`);
  return v;
}

/** An explicit `threads` above this is refused (each worker holds its own D × D sums). */
export const MAX_THREADS = 256;

/** `threads`: an integer 1..MAX_THREADS, or undefined for the default. */
export function threadsOf(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_THREADS) {
    throw new InputError(`threads must be an integer from 1 to ${MAX_THREADS}, got ${String(v)}`);
  }
  return v;
}

/** `worker`: true or false (default). */
export function workerOf(v: unknown): boolean {
  if (v === undefined || typeof v === 'boolean') return !!v;
  throw new InputError(`worker must be true or false, got ${String(v)}`);
}

/** An options argument: undefined (all defaults) or an object. */
export function optionsOf<T extends object>(o: T | undefined, what = 'options'): T {
  if (o === undefined) return {} as T;
  if (!o || typeof o !== 'object') throw new InputError(`${what} must be an object`);
  return o;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError();
}

/** The cosine kernel normalises rows: a zero row has no direction. */
export function checkNonZeroRows(m: Matrix, name: string, rowOffset = 0): void {
  const { data, rows, cols } = m;
  for (let i = 0; i < rows; i++) {
    let any = false;
    for (let j = i * cols, e = j + cols; j < e; j++) if (data[j] !== 0) { any = true; break; }
    if (!any) throw new InputError(`row ${rowOffset + i + 1} (1-based) is all zeros: the cosine kernel needs non-zero rows`, name);
  }
}
