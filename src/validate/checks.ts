// Input validation shared by compare, finc and align — the one owner of these
// checks: shapes, row counts, finiteness and option ranges, each failure an
// InputError naming the input (its source name) or the option; rows and columns
// are numbered from 1, as a person reads a file.
import { InputError } from '../errors.js';
import type { Matrix, MatrixLike } from '../types/index.js';
import { F32_MIN_NORMAL, float32RangeMessage, float32UnderflowMessage, rowUnderflow, rowUnderflows } from '../io/f32-range.js';

/**
 * Normalises a Matrix or number[][] into a row-major Matrix, checking shape and
 * (with `checkValues`) the values: finite, and for float64 data within what
 * float32 holds (checkFinite). Every cell of a number[][] must be a number: the
 * readers refuse a string or null in a file, and so does the library.
 */
export function toMatrix(m: MatrixLike, name: string, rowOffset = 0, checkValues = true): Matrix {
  if (Array.isArray(m)) {
    const rows = m.length;
    if (rows === 0) throw new InputError('has no rows', name);
    const cols = Array.isArray(m[0]) ? m[0].length : -1;
    if (cols <= 0) throw new InputError(`row ${rowOffset + 1} (1-based) is not a non-empty array of numbers`, name);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = m[i];
      if (!Array.isArray(r) || r.length !== cols) {
        throw new InputError(`row ${rowOffset + i + 1} (1-based) has ${Array.isArray(r) ? r.length : 'no'} columns, expected ${cols}`, name);
      }
      for (let j = 0; j < cols; j++) {
        const v: unknown = r[j];
        if (typeof v !== 'number')
          throw new InputError(`value at row ${rowOffset + i + 1}, column ${j + 1} (1-based) is ${describeCell(v, j in r)}, not a number`, name);
        data[i * cols + j] = v;
      }
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

/** What a number[][] cell holds instead of a number, for messages ('a string "0x10"', 'null', 'an array'). */
function describeCell(v: unknown, present: boolean): string {
  if (!present) return 'missing (a hole in a sparse array)';
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `a string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'boolean') return `a boolean (${v})`;
  if (typeof v === 'bigint') return 'a BigInt';
  if (Array.isArray(v)) return 'an array';
  return `${typeof v === 'object' ? 'an object' : `a ${typeof v}`}`;
}

/**
 * Throws an InputError naming the first NaN/±Inf entry; for float64 data also the
 * first value float32 cannot hold — beyond its range, or under its normal range
 * where that matters in its row (io/f32-range.ts) — since every route computes in f32.
 */
export function checkFinite(m: Matrix, name: string, rowOffset = 0): void {
  const d = m.data;
  if (d instanceof Float64Array) {
    checkF64(d, m.cols, name, rowOffset);
    return;
  }
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v - v !== 0) {
      const r = rowOffset + Math.floor(i / m.cols),
        c = i % m.cols;
      throw new InputError(`non-finite value ${v} at row ${r + 1}, column ${c + 1} (1-based)`, name);
    }
  }
}

/**
 * A chunk for the accumulators: toMatrix's shape checks, and float64 values checked
 * against float32 here (float32 data are checked for NaN/Inf by the wasm feature
 * maps as they are read, so large streams are scanned once).
 */
export function chunkOf(m: MatrixLike, name: string, rowOffset: number): Matrix {
  const out = toMatrix(m, name, rowOffset, false);
  if (out.data instanceof Float64Array) checkF64(out.data, out.cols, name, rowOffset);
  return out;
}

function checkF64(d: Float64Array, cols: number, name: string, rowOffset: number): void {
  for (let o = 0, i = 0; o < d.length; o += cols, i++) {
    let max = 0,
      tiny = 0;
    for (let j = 0; j < cols; j++) {
      const v = d[o + j],
        f = Math.fround(v);
      if (f - f !== 0) {
        throw new InputError(
          v - v !== 0 ? `non-finite value ${v} at row ${rowOffset + i + 1}, column ${j + 1} (1-based)` : float32RangeMessage(v, rowOffset + i, j),
          name,
        );
      }
      const a = Math.abs(v);
      if (a > max) max = a;
      if (a < F32_MIN_NORMAL && a > tiny) tiny = a;
    }
    if (rowUnderflows(max, tiny)) {
      const hit = rowUnderflow((j) => d[o + j], cols)!;
      throw new InputError(float32UnderflowMessage(hit.value, rowOffset + i, hit.col, hit.rowMax), name);
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

/** `solver`: 'auto' (default), 'syrk' or 'matrix-free'. */
export function solverOf(v: unknown): 'auto' | 'syrk' | 'matrix-free' {
  if (v === undefined) return 'auto';
  if (v !== 'auto' && v !== 'syrk' && v !== 'matrix-free') throw new InputError(`solver must be auto, syrk or matrix-free, got ${String(v)}`);
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

// Lives with the error classes so the runtime layer below validation can use it.
export { throwIfAborted } from '../errors.js';

/** The cosine kernel normalises rows: a zero row has no direction. */
export function checkNonZeroRows(m: Matrix, name: string, rowOffset = 0): void {
  const { data, rows, cols } = m;
  for (let i = 0; i < rows; i++) {
    let any = false;
    for (let j = i * cols, e = j + cols; j < e; j++)
      if (data[j] !== 0) {
        any = true;
        break;
      }
    if (!any) throw new InputError(`row ${rowOffset + i + 1} (1-based) is all zeros: the cosine kernel needs non-zero rows`, name);
  }
}

/**
 * Refuses option names not in `valid` (a typo such as `topk` would otherwise run
 * with the defaults), naming the nearest valid one: a case-insensitive match
 * first, else the closest by edit distance when it is close enough to be the
 * intended name. `what` prefixes the message ('kernel option' …).
 */
export function checkOptionNames(o: object, valid: readonly string[], what = 'option'): void {
  for (const key of Object.keys(o)) {
    if (valid.includes(key)) continue;
    const near = nearestName(key, valid);
    throw new InputError(`unknown ${what} ${key}; ${near ? `did you mean ${near}?` : `valid: ${valid.join(', ')}`}`);
  }
}

/** The name in `names` `key` most likely means, or undefined when none is close. */
export function nearestName(key: string, names: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const same = names.find((n) => n.toLowerCase() === lower);
  if (same) return same;
  let best: string | undefined,
    bestD = Infinity;
  for (const n of names) {
    const d = editDistance(lower, n.toLowerCase());
    if (d < bestD) {
      best = n;
      bestD = d;
    }
  }
  // beyond a third of the name's length the "suggestion" is a different word
  return bestD <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

/** Edit distance with adjacent transpositions (optimal string alignment): `topk`→`topK` 0 after lower-casing, `eat`→`eta` 1. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** What the solvers throw when their operator holds NaN/±Inf (f32 features or products that overflowed). */
// (syev's "did not converge (NaN/Inf input?)" is left alone: it also means a genuine failure to converge)
const OVERFLOW_FAILURE = /contains NaN or Inf/;
const RESCALE =
  'the computation overflowed float32 (|x| > 3.4028235e38), as large values under a linear kernel do; rescale the data (for example to values of order 1)';

/**
 * A solver's NaN/Inf failure as an InputError saying what overflowed and what to do
 * (large values under a linear kernel make f32 products beyond float32's range);
 * any other error unchanged.
 */
export function overflowError(e: unknown): unknown {
  if (!(e instanceof RangeError) || !OVERFLOW_FAILURE.test(e.message)) return e;
  const what = /covariance/.test(e.message) ? 'the covariance' : 'the kernel matrix';
  return new InputError(`${what} holds NaN or Infinity: ${RESCALE}`);
}

/**
 * The last check before a result is returned: its eigenvalues, SPEC-diff and
 * scores must be finite. Throws an InputError naming the first that is not.
 */
export function checkFiniteResult(
  r: {
    eigenvalues?: ArrayLike<number>;
    specDiff?: { xNotY: number; yNotX: number; norm: number };
    modes?: { eigenvalue: number; scores?: ArrayLike<number>; top: { score: number }[] }[];
  },
  what = 'the result',
): void {
  const bad = (v: number) => !(v - v === 0);
  const fail = (name: string, v: number): never => {
    throw new InputError(`${what}: ${name} is ${v}: ${RESCALE}`);
  };
  if (r.specDiff) for (const [k, v] of Object.entries(r.specDiff)) if (bad(v)) fail(`SPEC-diff ${k}`, v);
  if (r.eigenvalues) for (let i = 0; i < r.eigenvalues.length; i++) if (bad(r.eigenvalues[i])) fail(`eigenvalue ${i + 1}`, r.eigenvalues[i]);
  for (const [i, m] of (r.modes ?? []).entries()) {
    if (bad(m.eigenvalue)) fail(`the eigenvalue of mode ${i + 1}`, m.eigenvalue);
    for (const t of m.top) if (bad(t.score)) fail(`a score of mode ${i + 1}`, t.score);
    if (m.scores) for (let j = 0; j < m.scores.length; j++) if (bad(m.scores[j])) fail(`score ${j + 1} of mode ${i + 1}`, m.scores[j]);
  }
}

/** A loss that must be finite (align's, specDiffLoss's). */
export function checkFiniteLoss(v: number, what: string): void {
  if (!(v - v === 0)) throw new InputError(`${what} is ${v}: ${RESCALE}`);
}
