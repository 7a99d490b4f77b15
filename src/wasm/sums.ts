// Typed wrappers over the kernels the covariance sums drive step by step
// (internal): feature blocks into Ψ at a row offset, one SYRK block packed and
// flushed into C in bands of rows, and C's normalisation in row bands.
import { wasm } from './loader.js';
import type { WasmArray } from './memory.js';

type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;

/** Rows of Ψ per f32 block sum of the SYRK (the host splits accumulation on these boundaries). */
export function syrkBlockRows(): number {
  return wasm().syrkBlockRows() as number;
}

/** f32 entries of the panel8 buffer that packRowsBlock fills for D columns. */
export function packedBlockLength(D: number): number {
  return ((D + 7) >> 3) * 8 * syrkBlockRows();
}

/** dst[dstOff + r·ldd + off + j] = scale·src[r·cols + j] for r < rows, j < cols (scale is rounded to f32). */
export function packColumnsAt(src: F32, rows: number, cols: number, dst: F32, dstOff: number, ldd: number, off: number, scale = 1): void {
  if (rows <= 0 || cols <= 0) return;
  if (off < 0 || off + cols > ldd) throw new RangeError(`spec-embed: packColumns block [${off}, ${off + cols}) outside a row of ${ldd}`);
  if (rows * cols > src.length) throw new RangeError(`spec-embed: packColumns source (${rows} × ${cols}) exceeds its buffer of ${src.length}`);
  if (dstOff < 0 || dstOff + (rows - 1) * ldd + off + cols > dst.length)
    throw new RangeError(`spec-embed: packColumns destination (${rows} rows of ${ldd}, offset ${dstOff}) exceeds its buffer of ${dst.length}`);
  wasm().packColumns(src.ptr, rows, cols, dst.ptr + 4 * dstOff, ldd, off, scale);
}

/** Packs rows × D of src (row-major, leading dimension ld, from element srcOff) into panel8s in pack; rows ≤ syrkBlockRows(). */
export function packRowsBlock(src: F32, srcOff: number, ld: number, rows: number, D: number, pack: F32): void {
  if (rows <= 0 || D <= 0) return;
  if (ld < D) throw new RangeError(`spec-embed: packRows leading dimension ${ld} smaller than D = ${D}`);
  if (rows > syrkBlockRows()) throw new RangeError(`spec-embed: packRows block of ${rows} rows exceeds ${syrkBlockRows()}`);
  if (srcOff < 0 || srcOff + (rows - 1) * ld + D > src.length)
    throw new RangeError(`spec-embed: packRows source (${rows} × ${D}) exceeds its buffer of ${src.length}`);
  if (packedBlockLength(D) > pack.length) throw new RangeError(`spec-embed: packRows needs ${packedBlockLength(D)} packed entries, has ${pack.length}`);
  wasm().packRows(src.ptr + 4 * srcOff, ld, rows, D, pack.ptr);
}

/**
 * C[i, j] += scale·Σ_p Ψ[p, i]·Ψ[p, j] for rows [i0, i1) of the upper triangle of
 * the D × D f64 C, from the block of `rows` rows packed by packRowsBlock (f32
 * sums within the block, flushed into C). Bands of one block give the same C as
 * one call over all rows.
 */
export function syrkPackedBand(pack: F32, D: number, rows: number, C: F64, scale: number, i0: number, i1: number): void {
  if (rows <= 0 || i1 <= i0) return;
  if (i0 < 0 || i1 > D || i0 % 32 !== 0) throw new RangeError(`spec-embed: syrk band [${i0}, ${i1}) is not 32-aligned inside [0, ${D})`);
  if (packedBlockLength(D) > pack.length) throw new RangeError(`spec-embed: syrk packed block needs ${packedBlockLength(D)} entries, has ${pack.length}`);
  if (D * D > C.length) throw new RangeError(`spec-embed: syrk C (${D} × ${D}) exceeds its buffer of ${C.length}`);
  wasm().syrkPackedRows(pack.ptr, D, rows, C.ptr, D, scale, i0, i1);
}

/** A[off, off + len) ← a·A[off, off + len) (f64). */
export function dscalAt(len: number, a: number, A: F64, off: number): void {
  if (len <= 0) return;
  if (off < 0 || off + len > A.length) throw new RangeError(`spec-embed: dscal [${off}, ${off + len}) exceeds its buffer of ${A.length}`);
  wasm().dscal(len, a, A.ptr + 8 * off);
}

/** Copies the upper triangle into the lower for rows [r0, r1) of the D × D f64 C (r0 a multiple of 32). */
export function symmetrizeRows(C: F64, D: number, r0: number, r1: number): void {
  if (r1 <= r0) return;
  if (r0 < 0 || r1 > D || r0 % 32 !== 0) throw new RangeError(`spec-embed: symmetrize rows [${r0}, ${r1}) are not 32-aligned inside [0, ${D})`);
  if (D * D > C.length) throw new RangeError(`spec-embed: symmetrize needs ${D * D} entries, has ${C.length}`);
  wasm().symmetrizeRows(C.ptr, D, r0, r1);
}
