// Typed wrappers over the level-1 kernels (internal).
import { wasm } from './loader.js';
import type { WasmArray } from './memory.js';

type F32 = WasmArray<Float32Array>;
type F64 = WasmArray<Float64Array>;

export function sdot(n: number, x: F32, y: F32, xOff = 0, yOff = 0): number {
  return wasm().sdot(n, x.ptr + 4 * xOff, y.ptr + 4 * yOff);
}
export function saxpy(n: number, a: number, x: F32, y: F32, xOff = 0, yOff = 0): void {
  wasm().saxpy(n, a, x.ptr + 4 * xOff, y.ptr + 4 * yOff);
}
export function ddot(n: number, x: F64, y: F64): number {
  return wasm().ddot(n, x.ptr, y.ptr);
}
export function daxpy(n: number, a: number, x: F64, y: F64, xOff = 0, yOff = 0): void {
  wasm().daxpy(n, a, x.ptr + 8 * xOff, y.ptr + 8 * yOff);
}
/** y = a·y over n f64 values. */
export function dscal(n: number, a: number, y: F64): void {
  wasm().dscal(n, a, y.ptr);
}
