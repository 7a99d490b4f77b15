// Typed wrappers over the dense symmetric eigen kernels (internal; assembly/syev.ts).
import { wasm } from './loader.js';
import type { WasmArray } from './memory.js';

type F64 = WasmArray<Float64Array>;

function fits(a: F64, len: number, what: string): void {
  if (!(len <= a.length)) throw new RangeError(`spec-embed: ${what} needs ${len} entries, has ${a.length}`);
}

/**
 * Householder tridiagonalisation + implicit QL of the n × n matrix `a` (upper
 * triangle read, destroyed): eigenvalues ascending in d (n), row i of zt (n × n)
 * the eigenvector of d[i]; work 4n. Returns 0, or l + 1 when eigenvalue l did not converge.
 */
export function dsyevRaw(n: number, a: F64, d: F64, zt: F64, work: F64): number {
  fits(a, n * n, 'syev matrix');
  fits(d, n, 'syev eigenvalues');
  fits(zt, n * n, 'syev eigenvectors');
  fits(work, 4 * n, 'syev work');
  return wasm().dsyevRaw(n, a.ptr, d.ptr, zt.ptr, work.ptr) as number;
}

/**
 * Implicit QL on the tridiagonal (d, e) (e has n entries, e[n−1] zeroed), rotating
 * the rows of zt (on entry the identity or Qᵀ). Returns as dsyevRaw.
 */
export function dsteqlT(n: number, d: F64, e: F64, zt: F64): number {
  fits(d, n, 'steqr diagonal');
  fits(e, n, 'steqr off-diagonal');
  fits(zt, n * n, 'steqr eigenvectors');
  return wasm().dsteqlT(n, d.ptr, e.ptr, zt.ptr) as number;
}

/** out = srcᵀ for n × n matrices (out ≠ src). */
export function eigTranspose(n: number, src: F64, out: F64): void {
  fits(src, n * n, 'transpose source');
  fits(out, n * n, 'transpose output');
  if (n > 0 && src.ptr === out.ptr) throw new RangeError('spec-embed: eigTranspose cannot work in place');
  wasm().eigTranspose(n, src.ptr, out.ptr);
}
