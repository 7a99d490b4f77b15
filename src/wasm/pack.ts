// Typed wrappers over assembly/pack.ts (internal).
import { wasm } from './loader.js';
import type { WasmArray } from './memory.js';

/** dst[r, off + j] = scale * src[r, j] with dst row stride `ldd`. */
export function packColumns(src: WasmArray<Float32Array>, rows: number, cols: number, dst: WasmArray<Float32Array>, ldd: number, off: number, scale = 1): void {
  wasm().packColumns(src.ptr, rows, cols, dst.ptr, ldd, off, scale);
}

export function f64ToF32(src: WasmArray<Float64Array>, n: number, dst: WasmArray<Float32Array>, scale = 1): void {
  wasm().f64ToF32(src.ptr, n, dst.ptr, scale);
}

export function f32ToF64(src: WasmArray<Float32Array>, n: number, dst: WasmArray<Float64Array>): void {
  wasm().f32ToF64(src.ptr, n, dst.ptr);
}

export function dscal(n: number, a: number, y: WasmArray<Float64Array>): void {
  wasm().dscal(n, a, y.ptr);
}
