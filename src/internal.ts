// Entry for tests and benchmarks that need the internal kernels from dist/.
// Not part of the public API: names and shapes may change between versions.
export * as memory from './memory.js';
export * as blas1 from './kernels/blas1.js';
export { wasm } from './wasm.js';
export * as cholesky from './kernels/cholesky.js';
export * as eigen from './kernels/eigen.js';
