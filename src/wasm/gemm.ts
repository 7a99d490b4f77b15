// Typed wrapper over the blocked SGEMM kernel (internal).
import { wasm } from './loader.js';
import type { WasmArray } from './memory.js';

type F32 = WasmArray<Float32Array>;

/**
 * C = A·B + beta·C (row-major f32). A is m × k with leading dimension lda, B k × n
 * (ldb), C m × n (ldc); aOff/bOff/cOff are element offsets into the buffers.
 * beta = 0 overwrites C (its NaNs included).
 */
export function sgemm(
  m: number,
  n: number,
  k: number,
  A: F32,
  lda: number,
  B: F32,
  ldb: number,
  C: F32,
  ldc: number,
  beta: number,
  aOff = 0,
  bOff = 0,
  cOff = 0,
): void {
  if (m <= 0 || n <= 0) return;
  if (lda < k || ldb < n || ldc < n)
    throw new RangeError(`spec-embed: sgemm leading dimensions too small (lda ${lda}, ldb ${ldb}, ldc ${ldc} for ${m}×${n}×${k})`);
  checkSpan(A, aOff, m, lda, k, 'A');
  checkSpan(B, bOff, k, ldb, n, 'B');
  checkSpan(C, cOff, m, ldc, n, 'C');
  wasm().sgemm(m, n, k, A.ptr + 4 * aOff, lda, B.ptr + 4 * bOff, ldb, C.ptr + 4 * cOff, ldc, beta);
}

function checkSpan(a: F32, off: number, rows: number, ld: number, cols: number, name: string): void {
  if (rows > 0 && cols > 0 && off + (rows - 1) * ld + cols > a.length) {
    throw new RangeError(`spec-embed: sgemm operand ${name} (${rows} × ${cols}, ld ${ld}, offset ${off}) exceeds its buffer of ${a.length}`);
  }
}
