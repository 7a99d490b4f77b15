// Typed wrapper over the symmetric matrix-vector kernel (internal; assembly/symv.ts).
import { wasm } from './loader.js';
import type { WasmArray } from './memory.js';

type F64 = WasmArray<Float64Array>;

/** y = A x for the symmetric n × n row-major A, reading only its upper triangle (x, y distinct). */
export function dsymvUpper(n: number, A: F64, x: F64, y: F64): void {
  if (A.length < n * n || x.length < n || y.length < n) throw new RangeError(`spec-embed: dsymvUpper (n = ${n}) exceeds its buffers`);
  wasm().dsymvUpper(n, A.ptr, x.ptr, y.ptr);
}
