// Typed wrapper over assembly/pack.ts (internal): feature blocks into the rows of Ψ.
import { wasm } from './loader.js';
import type { WasmArray } from './memory.js';

/** dst[r, off + j] = scale * src[r, j] with dst row stride `ldd`. */
export function packColumns(src: WasmArray<Float32Array>, rows: number, cols: number, dst: WasmArray<Float32Array>, ldd: number, off: number, scale = 1): void {
  wasm().packColumns(src.ptr, rows, cols, dst.ptr, ldd, off, scale);
}
