// Typed wrappers over the kernels of FINC's exact route (internal): the
// symmetric matvec that maps a mode to its scores, and the in-place exp that
// turns squared distances into Gaussian kernel values.
import { wasm } from './loader.js';
import type { WasmArray } from './memory.js';

type F64 = WasmArray<Float64Array>;

/** y = A·x for the symmetric n × n f64 A of which only the upper triangle is read. */
export function dsymvUpper(n: number, A: F64, x: F64, y: F64): void {
  if (n <= 0) return;
  if (n * n > A.length) throw new RangeError(`spec-embed: dsymv A (${n} × ${n}) exceeds its buffer of ${A.length}`);
  if (n > x.length || n > y.length) throw new RangeError(`spec-embed: dsymv vectors need ${n} entries`);
  wasm().dsymvUpper(n, A.ptr, x.ptr, y.ptr);
}

/**
 * X[off, off + len) ← exp(−gamma·X[…]) in place, with the module's exp (not
 * Math.exp, whose last bit differs between engines).
 */
export function expNegScaledAt(X: F64, off: number, len: number, gamma: number): void {
  if (len <= 0) return;
  if (off < 0 || off + len > X.length) throw new RangeError(`spec-embed: exp [${off}, ${off + len}) exceeds its buffer of ${X.length}`);
  if (!(gamma >= 0 && Number.isFinite(gamma))) throw new RangeError(`spec-embed: exp scale must be finite and ≥ 0, got ${gamma}`);
  wasm().expNegScaled(X.ptr + 8 * off, len, gamma);
}
