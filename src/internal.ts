// Entry for tests and benchmarks that need the internal kernels from dist/.
// Not part of the public API: names and shapes may change between versions.
export * as memory from './memory.js';
export * as blas1 from './kernels/blas1.js';
export { wasm } from './wasm.js';
export * as io from './io/index.js';
export * as pack from './kernels/pack.js';
export * as rng from './kernels/rng.js';
export * as features from './kernels/features.js';
export * as gemm from './kernels/gemm.js';
export * as syrk from './kernels/syrk.js';
export * as gram from './kernels/gram.js';
export * as cholesky from './kernels/cholesky.js';
export * as eigen from './kernels/eigen.js';
export * as align from './align.js';
export * as snapshot from './snapshot.js';
export * as covarianceEigs from './kernels/covariance-eigs.js';
