// Typed wrappers over the pivoted Cholesky kernels (internal; assembly/pstrf.ts).
// The host drives the factorisation panel by panel so it can yield between steps:
// init, then per panel of dpstrfBlock() pivots: panel, pack, update (in ranges of
// block rows); finally the transpose, in bands of rows.
import { wasm } from './loader.js';
import type { WasmArray } from './memory.js';

type F64 = WasmArray<Float64Array>;
type I32 = WasmArray<Int32Array>;

function square(a: F64, n: number): void {
  if (a.length < n * n) throw new RangeError(`spec-embed: pivoted Cholesky needs an ${n} × ${n} matrix, has ${a.length} entries`);
}

/** Pivots per panel. */
export function dpstrfBlock(): number {
  return wasm().dpstrfBlock() as number;
}

/** Bytes of the packed panel k0..k1 of an n × n matrix. */
export function dpstrfPackBytes(n: number, k0: number, k1: number): number {
  return wasm().dpstrfPackBytes(n, k0, k1) as number;
}

/** Identity pivots: the start of a factorisation. */
export function dpstrfInit(n: number, piv: I32): void {
  if (piv.length < n) throw new RangeError(`spec-embed: pivoted Cholesky needs ${n} pivots, has ${piv.length}`);
  wasm().dpstrfInit(n, piv.ptr);
}

/**
 * Pivots k0.. of the next panel (left-looking), stopping where the largest
 * remaining diagonal is ≤ tol: returns that rank, or −1 when the panel completed.
 */
export function dpstrfPanel(n: number, A: F64, piv: I32, work: F64, tol: number, k0: number): number {
  square(A, n);
  if (piv.length < n || work.length < n) throw new RangeError(`spec-embed: pivoted Cholesky needs ${n} pivots and work entries`);
  return wasm().dpstrfPanel(n, A.ptr, piv.ptr, work.ptr, tol, k0) as number;
}

/** Packs R12 = A[k0:k1, k1:] (dpstrfPackBytes bytes into `pack`). */
export function dpstrfPack(n: number, A: F64, k0: number, k1: number, pack: F64): void {
  square(A, n);
  if (8 * pack.length < dpstrfPackBytes(n, k0, k1)) throw new RangeError('spec-embed: pivoted Cholesky panel exceeds its pack buffer');
  wasm().dpstrfPack(n, A.ptr, k0, k1, pack.ptr);
}

/** The trailing update A22 −= R12ᵀR12 (upper triangle) for block rows [ib0, ib1) of 4 rows. */
export function dpstrfUpdate(n: number, A: F64, k0: number, k1: number, pack: F64, ib0: number, ib1: number): void {
  square(A, n);
  if (8 * pack.length < dpstrfPackBytes(n, k0, k1)) throw new RangeError('spec-embed: pivoted Cholesky panel exceeds its pack buffer');
  wasm().dpstrfUpdate(n, A.ptr, k0, k1, pack.ptr, ib0, ib1);
}

/** Transposes the factor in place for the tile rows starting in [r0, r1) (r0 a multiple of 32; r1 may pass n). */
export function dpstrfTransposeRows(n: number, A: F64, r0: number, r1: number): void {
  square(A, n);
  if (r0 % 32 !== 0 || r0 < 0) throw new RangeError(`spec-embed: transpose rows must start at a multiple of 32, got ${r0}`);
  wasm().dpstrfTransposeRows(n, A.ptr, r0, r1);
}
